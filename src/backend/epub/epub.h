/* epub.h - the parts of the EPUB back end and what they share.
 *
 * The back end (epub.c) builds one qepub_book: it plans and renders the
 * chapters (chapter.c), writes the navigation document, the NCX and the
 * title page (nav.c), the container and package documents (opf.c),
 * cleans links and ids in rendered XHTML (fixup.c) and packs everything
 * into a zip in memory (zipout.c, by libzip), deflated on the threads
 * of a pool (util/pool.h) while the book is still being written.
 * Nothing here touches the file system except reading the stylesheets
 * and the notes' images (images.c, files the reader checked).
 *
 * Layout of the book (all under EPUB/, flat, so links need no "../"):
 *   mimetype, META-INF/container.xml, EPUB/package.opf, EPUB/nav.xhtml,
 *   EPUB/toc.ncx, EPUB/highlight.css, EPUB/book.css, EPUB/cover.xhtml,
 *   EPUB/title.xhtml,
 *   EPUB/ch0001.xhtml ...  (one per top-level section, split further
 *   when a chapter grows past QEPUB_CHAPTER_MAX bytes),
 *   EPUB/images/i0001.png ... (the notes' images; a WebP with a PNG twin)
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
#include "../../render/words.h"
#include "../../util/buf.h"
#include "../../util/strmap.h"
#include "../backend.h"
#include "options.h"

/* A chapter is closed at the next split point (a section, question or
 * block) once it is this big, so that files stay near 100 KB: old e-ink
 * readers turn the pages of a big file slowly. One block bigger than
 * that (a huge code block) still makes one file. */
#define QEPUB_CHAPTER_MAX ((size_t)96 * 1024)

/* The slot of each file in the container (chapters from QEPUB_SLOT_CHAPTER
 * on, in reading order). */
enum {
	QEPUB_SLOT_MIMETYPE, QEPUB_SLOT_CONTAINER, QEPUB_SLOT_OPF, QEPUB_SLOT_NAV,
	QEPUB_SLOT_NCX, QEPUB_SLOT_CSS_HL, QEPUB_SLOT_CSS, QEPUB_SLOT_COVER,
	QEPUB_SLOT_TITLE, QEPUB_SLOT_CHAPTER
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

/* A booklet page whose start the book marks (chapter.c). */
typedef struct qepub_page {
	int page;              /* the booklet's page number, from 1 */
	int chap;              /* index of the chapter holding the mark */
} qepub_page;

/* A footnote of the notes (QN_FOOTNOTE), placed by chapter.c at the end
 * of every chapter that refers to it, as an EPUB 3 footnote. */
typedef struct qepub_note {
	const qnode *node;
	bool referenced;       /* some QN_FOOTREF names its number */
	int listed;            /* the last chapter that lists it, or -1 */
	int ref_id;            /* the last chapter where a reference to it
	                        * has the id "fnref-N", or -1 */
} qepub_note;

/* A local image of the notes kept in the book (images.c). */
typedef struct qepub_image {
	const char *path;      /* the file, as the reader checked it, or
	                        * NULL for the typeset cover */
	const char *media;     /* its media type, or NULL: not kept */
	char name[32];         /* "images/i0001.png", from EPUB/ */
	qbuf data;
	char twin[32];         /* a WebP's PNG ("images/i0001.png"), its
	                        * manifest fallback and the cover's picture;
	                        * "" for the other types */
	qbuf twin_data;
} qepub_image;

typedef struct qepub_book {
	const qjob *job;
	const qdoc *doc;
	bool popup;            /* answers as pop-up footnotes */
	const char *lang;      /* a valid BCP 47 tag */
	bool rtl;              /* the language is written right to left */
	const qwords *words;   /* the book's own words in its language */
	char ident[64];        /* "urn:uuid:..." */
	char modified[32];     /* "CCYY-MM-DDThh:mm:ssZ" */
	qbuf css_hl;           /* styles/highlight.css */
	qbuf css;              /* styles/epub.css or --style */
	qepub_chap *chaps;
	int nchaps, capchaps;
	int *sec_chap;         /* chapter index of each section (doc order) */
	int *card_chap;        /* chapter index of each card */
	qepub_page *pages;     /* booklet pages marked: 1, 2, ... npages */
	int npages;
	qepub_note *notes;     /* footnotes in document order */
	int nnotes;
	int *note_of;          /* index in notes of footnote number k
	                        * (1..max_note), or -1 */
	int max_note;
	qepub_image *images;   /* every image file met, kept or not */
	int nimages, capimages;
	int nkept;             /* images kept */
	int cover;             /* index in images of the cover image (the
	                        * notes' cover: or the typeset one), or -1 */
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

/* The footnote with this number, or NULL. */
qepub_note *qepub_note_get(const qepub_book *book, int number);

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
/* The book's title as shown (formulas as text), or the notes' file
 * name when they have none. */
static inline const char *qepub_title(const qdoc *doc)
{
	return doc->title && doc->title[0] ? qdoc_title_shown(doc) : doc->stem;
}
/* A card's or section's name as plain text (escaped), for the
 * navigation and wherever its own text is empty: the question without
 * Markdown and without a bare "Q:", the section without decorations. */
void qepub_card_label(qbuf *b, const qepub_book *book, const qnode *card);
void qepub_section_label(qbuf *b, const qepub_book *book, const qnode *sec);
/* One of the book's own words in its language, escaped (words.h). */
void qepub_word(qbuf *b, const qepub_book *book, qword k);

/* images.c: the src of a local image in the book (qx_opts.image_src:
 * ctx is the book), read and kept the first time, or NULL (warned); the
 * cover image (doc->cover) likewise; whether name is a kept image's;
 * every kept image into the container after the chapters. */
const char *qepub_image_src(void *ctx, const qnode *image);
/* The kept image of a file (read the first time), or NULL (warned, with
 * the notes' line); a new entry of the image list (path may be NULL). */
qepub_image *qepub_image_file(qepub_book *book, const char *path, int line);
qepub_image *qepub_image_new(qepub_book *book, const char *path);
/* cover.c: the cover image (sets book->cover: the notes' `cover:` image,
 * or one typeset from the title, subtitle and authors) and the cover
 * page that shows it. */
void qepub_cover(qbuf *page, qepub_book *book);
bool qepub_is_image(const qepub_book *book, const char *name, size_t n);
void qepub_images_pack(qepub_book *book);
void qepub_images_free(qepub_book *book);

/* nav.c: the navigation document (toc, landmarks and, when the booklet
 * was made, a page-list of its pages), the NCX, the title page. */
void qepub_nav(qbuf *b, const qepub_book *book);
void qepub_ncx(qbuf *b, const qepub_book *book);
void qepub_title_page(qbuf *b, const qepub_book *book);

/* opf.c */
void qepub_container(qbuf *b);
void qepub_opf(qbuf *b, const qepub_book *book);
/* A BCP 47 language tag as the EPUB needs it (syntax check only). */
bool qepub_lang_ok(const char *lang);
/* Is the language (a valid tag) written right to left: Arabic, Hebrew,
 * Persian, Urdu, ... (by its primary subtag, or a -Arab/-Hebr script)? */
bool qepub_lang_rtl(const char *lang);
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

/* zipout.c: the EPUB container, built in memory by libzip, its files
 * deflated by zlib on a pool of threads while the book goes on; the
 * bytes never depend on the threads. A file is begun, may be given its final bytes so far while it
 * grows (part: they are copied, the buffer may move), and is ended with
 * all its bytes (borrowed: they must stay unchanged until
 * qepub_zip_free); or dropped. qepub_zip_add() is begin + end.
 * qepub_zip_finish() writes the archive into out, entries in slot order
 * (slot 0: the mimetype, added with deflate false). Ownership: the
 * qepub_zip owns names, copies and deflated bytes; qepub_zip_free()
 * waits for its tasks on the pool (the program's, or NULL) first. Every
 * call is thread-safe. */
#define QEPUB_ZIP_CHUNK ((size_t)64 << 10)   /* bytes per deflate job */
qepub_zip *qepub_zip_new(qpool *pool, time_t epoch);
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
int qepub_zip_files(qpool *pool, const qepub_file *files, int n, time_t epoch, qbuf *out,
		    char *err, size_t errlen);

#endif
