/* meta.h - what the notes say about themselves: a YAML front matter
 * block at the top (`---` ... `---` or `...`), read with libyaml, and
 * Logseq's page properties (`title:: X` lines opening the page), and
 * --metadata KEY=VALUE from the command line, which wins.
 *
 * Keys: title, subtitle, author(s), date, lang, description, keywords or
 * tags, deck, cards, paper, cover, card-separators, cloze, reversed,
 * tag-sections. A
 * key quire does not know is a warning naming its line (keys note apps
 * write, like created or aliases, are read and left alone); a bad value
 * is an error naming the key.
 *
 * Ownership: strings live in the arena given; the struct is the
 * caller's.
 */
#ifndef QUIRE_META_H
#define QUIRE_META_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/arena.h"
#include "../util/diag.h"

typedef struct qmeta {
	const char *title, *subtitle, *date, *lang, *description, *deck;
	const char *cards;        /* auto, questions, headings[=N], outline, none */
	const char *paper, *cover, *card_seps;
	const char *cloze;        /* auto, marked, highlight, or NULL */
	bool reversed;            /* reversed: true */
	bool tag_sections;        /* tag-sections: true */
	const char **authors;
	int nauthors;
	const char **keywords;
	int nkeywords;
	int lines;                /* lines the block takes (0: none) */
	int cover_line;           /* where cover: was written (0: --metadata) */
} qmeta;

/* Read the front matter at the top of text into m. Returns the bytes it
 * takes (its lines to blank), or 0 when the text opens with none. YAML
 * that breaks after the first key is a warning: the lines from the last
 * key read are read as plain `key: value` lines. */
size_t qmeta_read(const char *text, size_t n, qarena *a, qmeta *m, qdiags *d);
/* Read a file of metadata alone (a book's quire.yaml), the same keys
 * as front matter; false when it holds no mapping. Messages carry the
 * file's own lines; broken YAML is an error (the file is quire's). */
bool qmeta_read_file(const char *yaml, size_t n, qarena *a, qmeta *m, qdiags *d);
/* Logseq's page properties: the `key:: value` lines that open the
 * page's first block (at the top, or as its first bullet), read with the
 * keys of front matter (tags:: a, [[b]] a list, a page link its name).
 * text starts at line first_line. Returns the bytes they take (their
 * lines to blank), or 0 when there are none. */
size_t qmeta_read_properties(const char *text, size_t n, int first_line, qarena *a, qmeta *m,
			     qdiags *d);
/* A `key:: value` property line (Logseq, Dataview) in s[0..n): the
 * key's length (a lower-case key), or 0. */
size_t qmeta_property(const char *s, size_t n);
/* Set one KEY=VALUE (--metadata); false (with an error) when bad. */
bool qmeta_set(qmeta *m, qarena *a, const char *kv, qdiags *d);
/* Is s a value of --cards / `cards:`? */
bool qmeta_cards_valid(const char *s);

#endif
