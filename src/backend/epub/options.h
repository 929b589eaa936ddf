/* options.h - the options of the EPUB back end (-t epub), given to it as
 * job->opts; NULL gives the defaults (answers inline, the share folder's
 * styles/epub.css). */
#ifndef QUIRE_EPUB_OPTIONS_H
#define QUIRE_EPUB_OPTIONS_H

#include <stdbool.h>

#include "../backend.h"

typedef struct qepub_opts {
	bool popup_answers;       /* --epub-answers=popup */
	const char *style_path;   /* --style, or NULL: share/styles/epub.css */
} qepub_opts;

/* The options of a job (never NULL). */
static inline const qepub_opts *qepub_opts_of(const qjob *job)
{
	static const qepub_opts defaults = {0};
	return job->opts ? (const qepub_opts *)job->opts : &defaults;
}

#endif
