/* pdf.c - placeholder until the pdf back end lands: it is listed but
 * reports itself unavailable, so the default output list skips it. */
#include "../backend.h"

const qbackend qbackend_pdf = {
	.name = "pdf",
	.ext = "pdf",
	.summary = "(not yet available)",
	.write = NULL,
};
