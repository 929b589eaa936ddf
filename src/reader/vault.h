/* vault.h - the card settings an Obsidian vault keeps for the Spaced
 * Repetition plug-in.
 *
 * The plug-in's users may change its separators (`::`, `:::`, `?`, `??`),
 * the tags that mark flashcard notes (`#flashcards`) and how clozes are
 * written (`==answer==`, `**answer**`, `{{answer}}`, their own) in its settings,
 * which the vault keeps in `.obsidian/plugins/obsidian-spaced-repetition/
 * data.json`. Notes written with other separators read as prose unless
 * quire knows them, so the reader looks for that file: in the nearest
 * folder at or above the notes' own that holds an `.obsidian` folder
 * (the vault's root), and never further up. Only those settings are
 * taken, never any other content of the file (the plug-in may keep its
 * review data there too); the file must be a regular file of at most
 * QVAULT_MAX bytes, read with libyaml (JSON is YAML's flow style; the
 * library reads the front matter already). A file too big, unreadable or
 * not valid JSON is a warning naming it, and its settings are not used.
 *
 * Ownership: strings live in the arena given; the struct is the
 * caller's.
 */
#ifndef QUIRE_VAULT_H
#define QUIRE_VAULT_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/arena.h"
#include "../util/diag.h"
#include "clozes.h"

#define QVAULT_MAX ((size_t)1 << 20)
#define QVAULT_TAGS 32
#define QVAULT_CLOZES 16

typedef struct qvault_sr {
	const char *path;         /* the settings file read, or NULL */
	/* the separators in qcard_seps' order: single-line, single-line
	 * reversed, multi-line, multi-line reversed; NULL: not set */
	const char *seps[4];
	const char *tags[QVAULT_TAGS];   /* flashcard tags, without `#` */
	int ntags;
	/* how clozes are written (`clozePatterns`, or what the older
	 * switches `convertHighlightsToClozes`, `convertBoldTextToClozes`
	 * and `convertCurlyBracketsToClozes` turn on, as the plug-in reads
	 * them when it has no patterns); clozes_set: the settings said */
	qcloze_pattern clozes[QVAULT_CLOZES];
	int nclozes;
	bool clozes_set;
} qvault_sr;

/* Find and read the settings for the notes at notes_path (NULL or "-":
 * none). Returns true when a settings file was read and used. */
bool qvault_sr_read(const char *notes_path, qarena *a, qvault_sr *out, qdiags *d);
/* The plug-in's own cloze pattern (`==[123;;]answer[;;hint]==`) when v
 * has none of the settings'. */
void qvault_sr_default_clozes(qvault_sr *v, qarena *a);
/* Read settings from the text of a data.json (named path in messages). */
bool qvault_sr_parse(const char *json, size_t n, const char *path, qarena *a, qvault_sr *out,
		     qdiags *d);

#endif
