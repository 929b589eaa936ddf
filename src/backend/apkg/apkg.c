/* apkg.c - placeholder until the apkg back end lands: it is listed but
 * reports itself unavailable, so the default output list skips it. */
#include "../backend.h"

const qbackend qbackend_apkg = {
	.name = "apkg",
	.ext = "apkg",
	.summary = "(not yet available)",
	.write = NULL,
};
