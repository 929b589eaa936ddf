/* options.h - the options of the PDF back end (-t pdf), given to it as
 * job->opts; NULL gives the defaults (A5, not imposed, the share
 * folder's styles/booklet.conf and fonts/roles.conf). */
#ifndef QUIRE_PDF_OPTIONS_H
#define QUIRE_PDF_OPTIONS_H

#include <stdbool.h>

#include "../backend.h"

typedef struct qpdf_opts {
	const char *paper;        /* "a5" (NULL: a5), "a4", "letter" */
	bool impose;              /* also write <stem>-print.pdf */
	const char *style_path;   /* --booklet-style, or NULL: share/styles/booklet.conf */
	const char *fonts_path;   /* --fonts, or NULL: share/fonts/roles.conf */
} qpdf_opts;

/* The options of a job (never NULL). */
static inline const qpdf_opts *qpdf_opts_of(const qjob *job)
{
	static const qpdf_opts defaults = {.paper = "a5"};
	return job->opts ? (const qpdf_opts *)job->opts : &defaults;
}

#endif
