/* options.h - the options of the Anki back end (-t apkg), given to it as
 * job->opts; NULL gives the defaults (the title as the top deck, the
 * share folder's styles/cards.css, no previous deck). */
#ifndef QUIRE_APKG_OPTIONS_H
#define QUIRE_APKG_OPTIONS_H

#include "../backend.h"

typedef struct qapkg_opts {
	const char *deck;         /* --deck NAME, or NULL: the document title */
	const char *style_path;   /* --card-style, or NULL: share/styles/cards.css */
	const char *previous;     /* the deck already at the output path, or NULL */
} qapkg_opts;

/* The options of a job (never NULL). */
static inline const qapkg_opts *qapkg_opts_of(const qjob *job)
{
	static const qapkg_opts defaults = {0};
	return job->opts ? (const qapkg_opts *)job->opts : &defaults;
}

#endif
