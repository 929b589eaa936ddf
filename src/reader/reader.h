/* reader.h - notes in, study model out: repair, lift, cmark, build.
 *
 * The reader knows nothing of outputs. Everything it decides (repairs,
 * guessed code and tables, questions without answers) is reported as
 * diagnostics with the line of the notes file.
 *
 * Ownership: the caller owns the bytes passed in (they are not kept) and
 * frees the returned document with qdoc_free().
 */
#ifndef QUIRE_READER_H
#define QUIRE_READER_H

#include <stdbool.h>
#include <stddef.h>

#include "../model/model.h"
#include "../util/buf.h"
#include "../util/diag.h"
#include "../util/pool.h"

typedef struct qread_opts {
	const char *path;     /* notes path as given, for the stem and messages */
	const char *title;    /* overrides, or NULL */
	const char *author;
	const char *lang;
	qbuf *lifted;         /* if set, receives the lifted CommonMark text */
	bool strict;          /* --from commonmark: the notes are CommonMark
	                       * as written: nothing is lifted, and only
	                       * headings make sections and cards */
	bool omit_html;       /* raw HTML becomes cmark's safe-mode
	                       * placeholder, `<!-- raw HTML omitted -->`
	                       * (the CommonMark spec test compares so) */
	const char *cards;    /* --cards: auto, questions, headings[=LEVEL],
	                       * outline, none; NULL: the front matter's, or
	                       * auto */
	const char *card_seps;/* --card-separators: "INLINE,INLINE_REVERSED,
	                       * MULTI,MULTI_REVERSED" (Obsidian Spaced
	                       * Repetition's, default "::,:::,?,??"), or NULL */
	const char *const *metadata; /* --metadata KEY=VALUE, nmetadata of them */
	int nmetadata;
	const char *book_yaml;/* qread_book: the book folder's quire.yaml, or NULL */
	const char *book_yaml_path; /* its path, named in its messages */
	const char *const *resource_paths; /* --resource-path: more folders
	                       * images may be read from */
	int nresource_paths;
	qpool *pool;          /* reads long notes in parts on its threads;
	                       * NULL: on the caller's (util/pool.h) */
} qread_opts;

/* Read notes. Returns NULL when the bytes are not notes at all (binary
 * data); the reason is an error in d. Never fails otherwise. */
qdoc *qread(const char *data, size_t n, const qread_opts *o, qdiags *d);

/* A book: several notes files read as one document, each a part (a
 * level-one section titled by the file's own title, its sections one
 * level deeper), in the order given. The book's metadata is the
 * options', then the first file's (its front matter); each file's
 * diagnostics name that file. Returns NULL when a file is not notes. */
typedef struct qbook_file {
	const char *path;
	const char *data;
	size_t len;
} qbook_file;
qdoc *qread_book(const qbook_file *files, int n, const qread_opts *o, qdiags *d);

/* Lint a read document: exact repeats, near-duplicates, numbering gaps. */
void qlint(const qdoc *doc, qdiags *d);

#endif
