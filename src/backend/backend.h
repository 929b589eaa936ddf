/* backend.h - the small interface every output format implements.
 *
 * A back end turns a finished study model into bytes in memory; it never
 * touches the file system for its output (the CLI writes the bytes
 * atomically, the fuzzer throws them away). One folder per back end under
 * src/backend/<name>/, one row in backend.c.
 *
 * Ownership: the job and everything it points to is borrowed. A back end
 * appends its files to `outs` (qoutputs_add gives it a buffer owned by the
 * list); the caller frees the list with qoutputs_free().
 */
#ifndef QUIRE_BACKEND_H
#define QUIRE_BACKEND_H

#include <stdbool.h>
#include <time.h>

#include "../model/model.h"
#include "../util/buf.h"
#include "../util/diag.h"

/* Options of one back end (each back end reads only its own). */
typedef struct qepub_opts {
	bool popup_answers;       /* --epub-answers=popup */
	const char *style_path;   /* stylesheet file, or NULL for the default */
} qepub_opts;

typedef struct qapkg_opts {
	const char *deck;         /* --deck NAME, or NULL: the document title */
	const char *style_path;   /* card CSS file, or NULL for the default */
	const char *previous;     /* previous deck at the output path, or NULL */
	bool reversed;            /* --reversed: term cards asked both ways */
	bool tag_sections;        /* --tag-sections: Section::Sub as a tag */
	/* --cloze: QAPKG_CLOZE_AUTO (highlights are clozes when the notes
	 * are tagged "flashcards", Obsidian Spaced Repetition's way), _MARKED
	 * ({{c1::...}} only) or _HIGHLIGHT (==highlights== too) */
	enum { QAPKG_CLOZE_AUTO, QAPKG_CLOZE_MARKED, QAPKG_CLOZE_HIGHLIGHT } cloze;
} qapkg_opts;

typedef struct qpdf_opts {
	const char *paper;        /* "a5" (default), "a4", "letter" */
	bool impose;              /* also write <stem>-print.pdf */
	const char *style_path;   /* booklet.conf, or NULL for the default */
	const char *fonts_path;   /* fonts/roles.conf, or NULL for the default */
} qpdf_opts;

/* What a back end is given. */
typedef struct qjob {
	const qdoc *doc;
	time_t epoch;         /* build time: SOURCE_DATE_EPOCH, else notes mtime */
	const char *share;    /* folder holding styles/ and fonts/ */
	qdiags *diags;        /* add warnings here, with notes line numbers */
	/* Booklet page of each card (doc->cards order), 0 = unknown. The PDF
	 * back end, which runs first, fills it; the others may print
	 * "booklet p. N". Owned by the caller, doc->ncards entries. */
	int *card_pages;
	const qepub_opts *epub;
	const qapkg_opts *apkg;
	const qpdf_opts *pdf;
} qjob;

typedef struct qoutput {
	char *suffix;   /* appended to the stem before ".ext": "" or "-print" */
	qbuf data;
} qoutput;

typedef struct qoutputs {
	qoutput *v;
	int n, cap;
} qoutputs;

void qoutputs_init(qoutputs *o);
void qoutputs_free(qoutputs *o);
qbuf *qoutputs_add(qoutputs *o, const char *suffix);

typedef enum {
	QB_OK = 0,
	QB_BAD_INPUT = 1,    /* the notes cannot be rendered (message in diags) */
	QB_FAILED = 3,       /* resources missing, library failure (message in diags) */
} qbstatus;

typedef struct qbackend {
	const char *name;     /* "-t" name */
	const char *ext;      /* file extension */
	const char *summary;  /* one line for --help */
	qbstatus (*write)(const qjob *job, qoutputs *outs);
	/* Optional: findings for `quire --lint` that only this back end can
	 * make (characters no booklet font has). job->doc, share, diags and
	 * the back end's options are set; nothing is written. */
	void (*lint)(const qjob *job);
} qbackend;

/* The back ends, in the order they must run (pdf first: it fills
 * card_pages). pdf, epub and apkg are loadable modules
 * (quire-<name>.so), so that a run loads only the libraries its outputs
 * need; a program that links a back end in (the tests, the fuzzer) uses
 * that one. The table ends with name == NULL. */
typedef struct qbackend_info {
	const char *name;
	const char *ext;
	const char *summary;
	const qbackend *linked;   /* the back end if linked in, else NULL */
	const char *symbol;       /* its name in the module */
} qbackend_info;

extern const qbackend_info qbackends[];

/* The back end itself: linked in, or loaded from its module found in
 * $QUIRE_MODULES, beside the program (build/lib, lib), in ../lib/quire,
 * or in the installed library folder. Returns NULL with a message in err
 * when it cannot be had. The module stays loaded until exit. */
const qbackend *qbackend_load(const qbackend_info *b, char *err, size_t errlen);
/* Start loading the modules of the chosen back ends on a thread, so
 * that loading their libraries overlaps reading the notes. want[i] is
 * for qbackends[i]. Later qbackend_load() calls wait for it. */
void qbackend_preload(const bool *want);
const qbackend_info *qbackend_find(const char *name);

#endif
