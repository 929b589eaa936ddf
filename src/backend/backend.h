/* backend.h - the small interface every output format implements, and
 * how the program finds the back ends that are modules.
 *
 * A back end turns a finished study model into bytes in memory; it never
 * touches the file system for its output (the CLI writes the bytes
 * atomically, the fuzzer throws them away). One folder per back end under
 * src/backend/<name>/, exporting one `const qbackend qbackend_<name>`; its
 * own options are a struct declared in its own header (qpdf_opts in
 * pdf/pdf.h, qepub_opts in epub/epub.h, qapkg_opts in apkg/apkg.h) and
 * reach it as job->opts.
 *
 * The booklet pages: the EPUB and the deck print "booklet p. N" beside a
 * question when the PDF was made in the same run. The PDF back end
 * returns each card's page in its result (outs->card_pages); the caller
 * hands that array to the later back ends as job->card_pages.
 *
 * Modules. The program links the tree back end in; pdf, epub and apkg
 * are modules, build/lib/quire-<name>.so, each linked with only the
 * libraries it needs (libharu and FreeType; zlib; SQLite), so that a run
 * loads only what its outputs use (the README gives the numbers). The
 * whole module interface is the symbol qbackend_<name> in the module:
 * qbackend_get() dlopen()s the module and looks it up. The tests and the
 * fuzzer link every back end in and use the qbackend_<name> objects
 * directly.
 *
 * Ownership: the job and everything it points to is borrowed. A back end
 * appends its files to `outs` (qoutputs_add gives it a buffer owned by the
 * list); the caller frees the list with qoutputs_free(), which frees
 * card_pages too.
 */
#ifndef QUIRE_BACKEND_H
#define QUIRE_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "../model/model.h"
#include "../util/buf.h"
#include "../util/diag.h"
#include "../util/pool.h"

/* What a back end is given. */
typedef struct qjob {
	qpool *pool;          /* the program's threads (util/pool.h): a back end
	                       * waits for the tasks it pushed before it
	                       * returns; NULL runs them on the caller's */
	const qdoc *doc;
	time_t epoch;         /* build time: SOURCE_DATE_EPOCH, else notes mtime */
	const char *share;    /* folder holding styles/ and fonts/ */
	qdiags *diags;        /* add warnings here, with notes line numbers */
	/* Booklet page of each card (doc->ncards entries, doc->cards order;
	 * 0 = not known), from the PDF made in this run, or NULL. */
	const int *card_pages;
	/* This back end's options (the struct its header declares), or NULL
	 * for its defaults. */
	const void *opts;
} qjob;

typedef struct qoutput {
	char *suffix;   /* appended to the stem before ".ext": "" or "-print" */
	qbuf data;
} qoutput;

/* A back end's result: its files, and (the PDF back end) where each card
 * landed. */
typedef struct qoutputs {
	qoutput *v;
	int n, cap;
	int *card_pages;   /* doc->ncards entries, malloc'd, or NULL */
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
	qbstatus (*write)(const qjob *job, qoutputs *outs);
	/* Optional: findings for `quire --lint` that only this back end can
	 * make (characters no booklet font has). job->doc, share, diags and
	 * opts are set; nothing is written. */
	void (*lint)(const qjob *job);
} qbackend;

/* The back ends, in the order a run writes them: the PDF first, because
 * the EPUB and the deck print the pages it returns. */
typedef enum { QB_PDF, QB_EPUB, QB_APKG, QB_TREE, QB_COUNT } qbackend_id;

typedef struct qbackend_info {
	const char *name;      /* "-t" name, module quire-<name>.so, symbol qbackend_<name> */
	const char *ext;       /* file extension */
	const char *summary;   /* one line for --help */
} qbackend_info;

extern const qbackend_info qbackends[QB_COUNT];

/* The back end with this -t name; QB_COUNT when there is none. */
qbackend_id qbackend_find(const char *name);

/* The back end: linked in (tree), or its module loaded (once) from the
 * first folder that has it: $QUIRE_MODULES, then beside the program
 * (build/lib, lib, ../lib/quire: a checkout, the build folder, an
 * installed PREFIX/bin/quire).
 * NULL with a message in err when it cannot be had. A module stays
 * loaded until the program exits. Called from the thread that called
 * qbackend_preload (the loading is waited for first). */
const qbackend *qbackend_get(qbackend_id id, char *err, size_t errlen);
/* Start loading the modules of the back ends with want[id] set, on a
 * thread of its own (once); the next qbackend_get() waits for it. Not a
 * task of the pool: loading a module cannot be put aside for the notes'
 * parts, while the kernel shares the processors among the threads, so
 * that the loading fills the time the reading leaves a processor idle. */
void qbackend_preload(const bool want[QB_COUNT]);

#endif
