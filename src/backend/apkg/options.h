/* options.h - the options of the Anki back end (-t apkg), given to it as
 * job->opts; NULL gives the defaults (the title as the top deck, the
 * share folder's styles/cards.css, no previous deck, no Reverse cards,
 * no section tags, clozes chosen as --cloze=auto says). */
#ifndef QUIRE_APKG_OPTIONS_H
#define QUIRE_APKG_OPTIONS_H

#include <stdbool.h>

#include "../backend.h"

typedef struct qapkg_opts {
	const char *deck;         /* --deck NAME, or NULL: the document title */
	const char *style_path;   /* --card-style, or NULL: share/styles/cards.css */
	const char *previous;     /* the deck already at the output path, or NULL */
	bool reversed;            /* --reversed: term cards asked both ways */
	bool tag_sections;        /* --tag-sections: Section::Sub as a tag */
	/* --cloze: QAPKG_CLOZE_AUTO (highlights are clozes when the notes
	 * are tagged "flashcards", Obsidian Spaced Repetition's way), _MARKED
	 * ({{c1::...}} only) or _HIGHLIGHT (==highlights== too) */
	enum { QAPKG_CLOZE_AUTO, QAPKG_CLOZE_MARKED, QAPKG_CLOZE_HIGHLIGHT } cloze;
} qapkg_opts;

/* The options of a job (never NULL). */
static inline const qapkg_opts *qapkg_opts_of(const qjob *job)
{
	static const qapkg_opts defaults = {0};
	return job->opts ? (const qapkg_opts *)job->opts : &defaults;
}

#endif
