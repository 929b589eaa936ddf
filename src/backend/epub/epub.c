/* epub.c - the `-t epub` back end: the study model as an EPUB 3 book.
 *
 * It reads the stylesheets (styles/highlight.css and styles/epub.css, or
 * --style), renders the chapters, writes the navigation files and the
 * package document, and zips them in memory; main.c writes the bytes
 * atomically. Every file goes into the container as soon as it is
 * written, so worker threads deflate the first chapters while later ones
 * are rendered (zipout.c, on util/pool.h). See epub.h for the layout of the book
 * and the parts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../model/walk.h"
#include "../../util/fileio.h"
#include "../../util/utf8.h"
#include "epub.h"

static void book_error(const qepub_book *book, const char *fmt, const char *a,
		       const char *b)
{
	if (book->job->diags)
		qdiag_add(book->job->diags, QD_ERROR, 0, 0, "epub", fmt, a, b);
}

/* The footnotes of the document, numbered, and which are referenced. */
static void book_notes(qepub_book *book)
{
	qiter it;
	qnode *n;
	int cap = 0;
	qiter_init_of(&it, book->doc, QN_FOOTNOTE);
	while (qiter_next_of(&it, &n, QN_FOOTNOTE)) {
		if (book->nnotes == cap) {
			cap = cap ? 2 * cap : 16;
			book->notes = qxrealloc(book->notes, (size_t)cap * sizeof *book->notes);
		}
		book->notes[book->nnotes++] = (qepub_note){n, false, -1, -1};
		int k = n->u.footnote.number;
		if (k > book->max_note && k <= 2 * book->nnotes + 64)
			book->max_note = k;   /* numbers are 1, 2, ... by the model */
	}
	if (!book->nnotes)
		return;
	book->note_of = qxmalloc(((size_t)book->max_note + 1) * sizeof(int));
	for (int k = 0; k <= book->max_note; k++)
		book->note_of[k] = -1;
	for (int i = book->nnotes - 1; i >= 0; i--) {   /* the first wins */
		int k = book->notes[i].node->u.footnote.number;
		if (k > 0 && k <= book->max_note)
			book->note_of[k] = i;
	}
	qiter_init_of(&it, book->doc, QN_FOOTREF);
	while (qiter_next_of(&it, &n, QN_FOOTREF)) {
		qepub_note *note = qepub_note_get(book, n->u.footnote.number);
		if (note)
			note->referenced = true;
	}
}

qepub_note *qepub_note_get(const qepub_book *book, int number)
{
	if (number < 1 || number > book->max_note || book->note_of[number] < 0)
		return NULL;
	return &book->notes[book->note_of[number]];
}

static void book_init(qepub_book *book, const qjob *job)
{
	memset(book, 0, sizeof *book);
	book->job = job;
	book->doc = job->doc;
	book->cover = -1;
	book->popup = qepub_opts_of(job)->popup_answers;
	qbuf_init(&book->css_hl);
	qbuf_init(&book->css);
	qstrmap_init(&book->anchors);
	size_t ns = (size_t)book->doc->nsections + 1;
	size_t nc = (size_t)book->doc->ncards + 1;
	book->sec_chap = qxmalloc(ns * sizeof(int));
	book->card_chap = qxmalloc(nc * sizeof(int));
	memset(book->sec_chap, 0, ns * sizeof(int));
	memset(book->card_chap, 0, nc * sizeof(int));
	for (int i = 0; i < book->doc->nsections; i++) {
		const char *a = book->doc->sections[i]->u.section.anchor;
		if (a)
			qstrmap_put(&book->anchors, a, strlen(a), book->doc->sections[i]);
	}
	for (int i = 0; i < book->doc->ncards; i++) {
		const char *a = book->doc->cards[i]->u.card.anchor;
		if (a)
			qstrmap_put(&book->anchors, a, strlen(a), book->doc->cards[i]);
	}
	book_notes(book);
}

static void book_free(qepub_book *book)
{
	for (int i = 0; i < book->nchaps; i++)
		qbuf_free(&book->chaps[i].xhtml);
	free(book->chaps);
	free(book->sec_chap);
	free(book->card_chap);
	free(book->pages);
	free(book->notes);
	free(book->note_of);
	qstrmap_free(&book->anchors);
	qepub_images_free(book);
	qbuf_free(&book->css_hl);
	qbuf_free(&book->css);
}

static int load_css(qepub_book *book, const char *path, qbuf *out)
{
	char err[256];
	qdiags *d = book->job->diags;
	if (qfile_read_style(path, out, err, sizeof err) != QF_OK) {
		if (d)
			qdiag_at(d, path, QD_ERROR, 0, "epub", "cannot read the stylesheet: %s", err);
		return -1;
	}
	if (!qutf8_valid(out->ptr, out->len)) {
		if (d)
			qdiag_at(d, path, QD_ERROR, 0, "epub", "the stylesheet is not UTF-8");
		return -1;
	}
	return 0;
}

static int load_styles(qepub_book *book)
{
	const char *share = book->job->share ? book->job->share : ".";
	qbuf path = QBUF_INIT;
	qbuf_printf(&path, "%s/styles/highlight.css", share);
	int rc = load_css(book, path.ptr, &book->css_hl);
	const char *style = qepub_opts_of(book->job)->style_path;
	qbuf_reset(&path);
	if (style)
		qbuf_puts(&path, style);
	else
		qbuf_printf(&path, "%s/styles/epub.css", share);
	if (rc == 0)
		rc = load_css(book, path.ptr, &book->css);
	qbuf_free(&path);
	return rc;
}

static void book_identity(qepub_book *book)
{
	const qdoc *doc = book->doc;
	book->lang = doc->lang;
	if (!qepub_lang_ok(book->lang)) {
		if (book->job->diags)
			qdiag_add(book->job->diags, QD_WARNING, 0, 0, "lang",
				  "language '%s' is not a BCP 47 tag; the book "
				  "says 'en'", doc->lang ? doc->lang : "");
		book->lang = "en";
	}
	book->rtl = qepub_lang_rtl(book->lang);
	book->words = qw_for(book->lang);
	qepub_identifier(doc->title, doc->stem, book->ident);
	qepub_w3cdtf(book->job->epoch, book->modified);
}

/* The generated documents that are not chapters. */
typedef struct extras {
	qbuf container, opf, nav, ncx, title, cover;
	const qepub_book *book;
} extras;

static void extras_init(extras *x, const qepub_book *book)
{
	qbuf_init(&x->container);
	qbuf_init(&x->opf);
	qbuf_init(&x->nav);
	qbuf_init(&x->ncx);
	qbuf_init(&x->title);
	qbuf_init(&x->cover);
	x->book = book;
}

/* A finished document into the container. */
static void add_doc(const qepub_book *book, int slot, const char *name,
		    const qbuf *b)
{
	qepub_zip_add(book->zip, slot, name, b->ptr, b->len, true);
}

static void ncx_job(void *arg)
{
	extras *x = arg;
	qepub_ncx(&x->ncx, x->book);
	add_doc(x->book, QEPUB_SLOT_NCX, "EPUB/toc.ncx", &x->ncx);
}

/* After the chapters: the NCX on a worker, the others here, each into
 * the container as soon as it is written. */
static void extras_build(extras *x, const qepub_book *book)
{
	qepub_zip_run(book->zip, ncx_job, x);
	qepub_nav(&x->nav, book);
	add_doc(book, QEPUB_SLOT_NAV, "EPUB/nav.xhtml", &x->nav);
	qepub_title_page(&x->title, book);
	add_doc(book, QEPUB_SLOT_TITLE, "EPUB/title.xhtml", &x->title);
	qepub_opf(&x->opf, book);
	add_doc(book, QEPUB_SLOT_OPF, "EPUB/package.opf", &x->opf);
	qepub_container(&x->container);
	add_doc(book, QEPUB_SLOT_CONTAINER, "META-INF/container.xml",
		&x->container);
}

static void extras_free(extras *x)
{
	qbuf_free(&x->container);
	qbuf_free(&x->opf);
	qbuf_free(&x->nav);
	qbuf_free(&x->ncx);
	qbuf_free(&x->title);
	qbuf_free(&x->cover);
}

/* Start the container with what is known before the chapters. */
static void pack_start(qepub_book *book)
{
	static const char mimetype[] = "application/epub+zip";
	qepub_zip_add(book->zip, QEPUB_SLOT_MIMETYPE, "mimetype", mimetype,
		      sizeof mimetype - 1, false);
	add_doc(book, QEPUB_SLOT_CSS_HL, "EPUB/highlight.css", &book->css_hl);
	add_doc(book, QEPUB_SLOT_CSS, "EPUB/book.css", &book->css);
}

/* Everything the container still lacks, then the archive into out.
 * Returns 0, or -1 (reported). */
static int pack_finish(qepub_book *book, extras *x, qbuf *out)
{
	for (int i = 0; i < book->nchaps; i++) {
		if (book->chaps[i].has_local) {
			qepub_fixup_local(book, i);
			qepub_chap_pack(book, i);
		}
	}
	qepub_cover(&x->cover, book);
	add_doc(book, QEPUB_SLOT_COVER, "EPUB/cover.xhtml", &x->cover);
	qepub_images_pack(book);
	extras_build(x, book);
	char err[256];
	int rc = qepub_zip_finish(book->zip, out, err, sizeof err);
	if (rc)
		book_error(book, "cannot build the EPUB: %s%s", err, "");
	return rc;
}

static qbstatus epub_write(const qjob *job, qoutputs *outs)
{
	qepub_book book;
	book_init(&book, job);
	/* first: its worker threads start while the rest is set up */
	book.zip = qepub_zip_new(job->pool, job->epoch);
	extras x;
	extras_init(&x, &book);
	qbstatus st = QB_FAILED;
	book_identity(&book);
	if (load_styles(&book))
		goto done;
	pack_start(&book);
	qepub_render_chapters(&book);
	if (pack_finish(&book, &x, qoutputs_add(outs, "")) == 0)
		st = QB_OK;
done:
	qepub_zip_free(book.zip);   /* first: it borrows the documents */
	extras_free(&x);
	book_free(&book);
	return st;
}

const qbackend qbackend_epub = {
	.write = epub_write,
};
