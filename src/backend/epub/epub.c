/* epub.c - placeholder until the epub back end lands: it is listed but
 * reports itself unavailable, so the default output list skips it. */
#include "../backend.h"

const qbackend qbackend_epub = {
	.name = "epub",
	.ext = "epub",
	.summary = "(not yet available)",
	.write = NULL,
};
