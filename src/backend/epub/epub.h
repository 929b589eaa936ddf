/* epub.h - the parts of the EPUB back end and what they share.
 *
 * The back end (epub.c) builds one qepub_book: it plans and renders the
 * chapters (chapter.c), writes the navigation document, the NCX and the
 * title page (nav.c), the container and package documents (opf.c),
 * cleans links and ids in rendered XHTML (fixup.c) and packs everything
 * into a zip in memory (zipout.c), deflated on worker threads (pool.c)
 * while the book is still being written. Nothing here touches the file
 * system except reading the stylesheets.
 *
 * Layout of the book (all under EPUB/, flat, so links need no "../"):
 *   mimetype, META-INF/container.xml, EPUB/package.opf, EPUB/nav.xhtml,
 *   EPUB/toc.ncx, EPUB/highlight.css, EPUB/book.css, EPUB/title.xhtml,
 *   EPUB/ch0001.xhtml ...  (one per top-level section, split further
 *   when a chapter grows past QEPUB_CHAPTER_MAX bytes)
 *
 * Ownership: a qepub_book owns its chapter buffers, stylesheets, index
 * arrays and anchor map (epub.c frees them when the book is packed); it
 * borrows the job and the document. Every function below appends to a
 * caller-owned qbuf.
 */
#ifndef QUIRE_EPUB_H
#define QUIRE_EPUB_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "../../model/model.h"
#include "../../util/buf.h"
#include "../../util/strmap.h"
#include "../backend.h"
#include "options.h"

/* A chapter is closed at the next split point once it is this big. */
#define QEPUB_CHAPTER_MAX ((size_t)240 * 1024)

/* The slot of each file in the container (chapters from QEPUB_SLOT_CHAPTER
 * on, in reading order). */
enum {
	QEPUB_SLOT_MIMETYPE, QEPUB_SLOT_CONTAINER, QEPUB_SLOT_OPF, QEPUB_SLOT_NAV,
	QEPUB_SLOT_NCX, QEPUB_SLOT_CSS_HL, QEPUB_SLOT_CSS, QEPUB_SLOT_TITLE,
	QEPUB_SLOT_CHAPTER
};

typedef struct qepub_zip qepub_zip;

typedef struct qepub_chap {
	char file[24];        /* "ch0001.xhtml" */
	const qnode *section; /* top-level section it belongs to, or NULL */
	bool continued;       /* a later part of a split section */
	bool has_local;       /* holds links to "#anchor" of the notes */
	bool has_math;        /* holds MathML (the package says so) */
	int zip_id;           /* its entry in book->zip, or -1 */
	qbuf xhtml;           /* the complete content document */
} qepub_chap;

typedef struct qepub_book {
	const qjob *job;
	const qdoc *doc;
	bool popup;            /* answers as pop-up footnotes */
	const char *lang;      /* a valid BCP 47 tag */
	char ident[64];        /* "urn:uuid:..." */
	char modified[32];     /* "CCYY-MM-DDThh:mm:ssZ" */
	qbuf css_hl;           /* styles/highlight.css */
	qbuf css;              /* styles/epub.css or --style */
	qepub_chap *chaps;
	int nchaps, capchaps;
	int *sec_chap;         /* chapter index of each section (doc order) */
	int *card_chap;        /* chapter index of each card */
	qstrmap anchors;       /* section and card anchors -> their node */
	qepub_zip *zip;        /* the container, filled as files are written */
} qepub_book;

/* One file of the container, borrowed bytes. */
typedef struct qepub_file {
	const char *name;
	const char *data;
	size_t len;
	bool deflate;
} qepub_file;

/* chapter.c: render every chapter into book->chaps and fill sec_chap and
 * card_chap. A chapter goes into book->zip while it is written, unless
 * it has links to fix up later (has_local): then qepub_chap_pack() adds
 * it once they are. */
void qepub_render_chapters(qepub_book *book);
void qepub_chap_pack(qepub_book *book, int i);
/* Shared head of every content document (XML declaration to <body>). */
void qepub_xhtml_head(qbuf *b, const qepub_book *book, const char *title,
		      size_t tlen, const char *body_type);
void qepub_xhtml_tail(qbuf *b);
/* v in decimal (faster than qbuf_printf for the many small numbers). */
void qepub_put_int(qbuf *b, long v);
/* A card's or section's visible name when its text is empty. */
void qepub_card_label(qbuf *b, const qnode *card);
void qepub_section_label(qbuf *b, const qnode *sec);

/* nav.c */
void qepub_nav(qbuf *b, const qepub_book *book);
void qepub_ncx(qbuf *b, const qepub_book *book);
void qepub_title_page(qbuf *b, const qepub_book *book);

/* opf.c */
void qepub_container(qbuf *b);
void qepub_opf(qbuf *b, const qepub_book *book);
/* A BCP 47 language tag as the EPUB needs it (syntax check only). */
bool qepub_lang_ok(const char *lang);
/* "urn:uuid:" + a name-based (version 5) UUID of the notes' identity. */
void qepub_identifier(const char *title, const char *stem, char out[64]);
/* time_t as "CCYY-MM-DDThh:mm:ssZ" (UTC). */
void qepub_w3cdtf(time_t t, char out[32]);

/* fixup.c: make the XHTML rendered at b->ptr + from safe inside the book
 * (see fixup.c): links a reader can follow, no ids but ours, no images,
 * scripts or event handlers. Sets *has_local when a link to "#anchor" of
 * a section or card was kept; qepub_fixup_local() then points such links
 * of chapter `chap` at the chapter that holds the anchor. */
void qepub_fixup(qbuf *b, size_t from, const qepub_book *book,
		 bool *has_local);
void qepub_fixup_local(qepub_book *book, int chap);

/* pool.c: worker threads (one per processor beside the caller) that run
 * queued tasks, urgent ones first; qepub_pool_wait() runs tasks on the
 * calling thread until none is queued or running. A task's `local` is a
 * per-thread slot (NULL at first) handed to local_free at the end.
 * Ownership: the caller owns the tasks; qepub_pool_free() stops the
 * workers (tasks still queued are not run) before it returns. */
typedef struct qepub_task qepub_task;
struct qepub_task {
	void (*run)(qepub_task *t, void **local);
	qepub_task *next;
};
typedef struct qepub_pool qepub_pool;
qepub_pool *qepub_pool_new(void (*local_free)(void *local));
void qepub_pool_push(qepub_pool *p, qepub_task *t, bool urgent);
void qepub_pool_wait(qepub_pool *p);
void qepub_pool_free(qepub_pool *p);

/* zipout.c: the EPUB container, built in memory with zlib, deflated on
 * the pool while the book goes on; the bytes never depend on the
 * threads. A file is begun, may be given its final bytes so far while it
 * grows (part: they are copied, the buffer may move), and is ended with
 * all its bytes (borrowed: they must stay unchanged until
 * qepub_zip_free); or dropped. qepub_zip_add() is begin + end.
 * qepub_zip_finish() writes the archive into out, entries in slot order
 * (slot 0: the mimetype, added with deflate false). Ownership: the
 * qepub_zip owns names, copies and deflated bytes; qepub_zip_free()
 * ends the workers first. Every call is thread-safe. */
#define QEPUB_ZIP_CHUNK ((size_t)64 << 10)   /* bytes per deflate job */
qepub_zip *qepub_zip_new(time_t epoch);
int qepub_zip_begin(qepub_zip *z, int slot, const char *name);
void qepub_zip_part(qepub_zip *z, int id, const char *data, size_t len);
void qepub_zip_end(qepub_zip *z, int id, const char *data, size_t len);
void qepub_zip_drop(qepub_zip *z, int id);
void qepub_zip_add(qepub_zip *z, int slot, const char *name,
		   const char *data, size_t len, bool deflate);
/* Run fn(arg) on a worker, before the chunks already queued. */
void qepub_zip_run(qepub_zip *z, void (*fn)(void *arg), void *arg);
/* Returns 0, or -1 with err set. */
int qepub_zip_finish(qepub_zip *z, qbuf *out, char *err, size_t errlen);
void qepub_zip_free(qepub_zip *z);
/* All in one: files[0] must be the mimetype. */
int qepub_zip_files(const qepub_file *files, int n, time_t epoch, qbuf *out,
		    char *err, size_t errlen);

#endif
