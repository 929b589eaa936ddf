/* chapter.c - the content documents of the book: one XHTML file per
 * top-level section (content before the first section gets its own
 * file), split further at a subsection, question or block when a file
 * grows past QEPUB_CHAPTER_MAX.
 *
 * Sections are written flat (a heading per section, h1..h6 by nesting),
 * so a chapter can end at any section or question without unbalanced
 * elements. A question is a heading with the card's anchor as id; its
 * answer follows (inline mode), or, in pop-up mode, sits in an
 * <aside epub:type="footnote"> at the end of the file, reached from the
 * question by an <a epub:type="noteref">. The notes' footnotes follow,
 * and marks where the booklet's pages start are set in the flow (see
 * "footnotes" and "booklet pages" below).
 *
 * The walk is the shared iterator; blocks are written by the shared
 * XHTML renderer, then cleaned by qepub_fixup().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../model/walk.h"
#include "../../render/xhtml.h"
#include "../../util/find.h"
#include "epub.h"

/* The booklet page marks of the chapters' items (see "booklet pages"). */
typedef struct plan {
	size_t *size;
	int *page;     /* exact page of the item (a card), or 0 */
	int *upto;     /* the marks due before the item: pages up to this */
	int n, cap;
} plan;

typedef struct render {
	qepub_book *book;
	qepub_chap *cur;    /* chapter being written, or NULL */
	qbuf notes;         /* pop-up answers of the current chapter */
	int sdepth;         /* sections open in the walk */
	const qnode *top;   /* top-level section of the current chapter */
	plan plan;          /* booklet page marks */
	qx_opts xo[7];      /* renderer options by heading level */
	qx_opts xcur;       /* the options of the current call */
	int chain;          /* level of the last heading in the chapter's
	                     * flow (0: none yet), so that headings inside
	                     * text never skip a level (xhtml.h) */
	int chain_notes;    /* the same in the pop-up answers */
	int chain_foot;     /* the same in the footnotes */
	int *cnotes;        /* footnotes (index in book->notes) the current
	                     * chapter lists at its end */
	int ncnotes, capcnotes;
	int item;           /* index of the current item in the plan */
} render;

void qepub_xhtml_head(qbuf *b, const qepub_book *book, const char *title,
		      size_t tlen, const char *body_type)
{
	qbuf_printf(b,
		    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<!DOCTYPE html>\n"
		    "<html xmlns=\"http://www.w3.org/1999/xhtml\" "
		    "xmlns:epub=\"http://www.idpf.org/2007/ops\" "
		    "lang=\"%s\" xml:lang=\"%s\"%s>\n<head>\n"
		    "<meta charset=\"UTF-8\"/>\n<title>",
		    book->lang, book->lang, book->rtl ? " dir=\"rtl\"" : "");
	qx_text(b, title, tlen);
	qbuf_puts(b, "</title>\n"
		  "<link rel=\"stylesheet\" type=\"text/css\" href=\"highlight.css\"/>\n"
		  "<link rel=\"stylesheet\" type=\"text/css\" href=\"book.css\"/>\n"
		  "</head>\n");
	if (body_type)
		qbuf_printf(b, "<body epub:type=\"%s\">\n", body_type);
	else
		qbuf_puts(b, "<body>\n");
}

void qepub_xhtml_tail(qbuf *b)
{
	qbuf_puts(b, "</body>\n</html>\n");
}

void qepub_put_int(qbuf *b, long v)
{
	char d[24];
	int i = (int)sizeof d;
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
	do
		d[--i] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		d[--i] = '-';
	qbuf_put(b, d + i, sizeof d - (size_t)i);
}

static bool has_text(const char *s)
{
	return s && s[strspn(s, " \t")];
}

static bool has_digit(const char *s)
{
	return s && s[strcspn(s, "0123456789")];
}

/* Plain text, for the navigation: a number that counts ("12.", "Q3:")
 * and the question without its Markdown; a bare "Q:" is no number. */
void qepub_word(qbuf *b, const qepub_book *book, qword k)
{
	const char *w = qw_word(book->words, k);
	qx_text(b, w, strlen(w));
}

/* A word with a number in its slot ("Question 3"), escaped. */
static void put_word_n(qbuf *b, const qepub_book *book, qword k, long n)
{
	qbuf t = QBUF_INIT;
	qw_put_n(&t, book->words, k, n);
	qx_text(b, t.ptr, t.len);
	qbuf_free(&t);
}

void qepub_card_label(qbuf *b, const qepub_book *book, const qnode *card)
{
	const qcard_info *ci = &card->u.card;
	const char *shown = qcard_shown(card);   /* formulas as text */
	if (!has_text(shown)) {
		put_word_n(b, book, QW_QUESTION_N, ci->index + 1);
		return;
	}
	if (has_digit(ci->number)) {
		qx_text(b, ci->number, strlen(ci->number));
		qbuf_putc(b, ' ');
	}
	qx_text(b, shown, strlen(shown));
}

/* The title without its leading decorations (as in the booklet's
 * bookmarks), else as written; formulas as text. */
void qepub_section_label(qbuf *b, const qepub_book *book, const qnode *sec)
{
	const qsection_info *si = &sec->u.section;
	const char *t = has_text(qsection_shown_name(sec)) ? qsection_shown_name(sec)
							  : qsection_shown(sec);
	if (has_text(t))
		qx_text(b, t, strlen(t));
	else
		put_word_n(b, book, QW_SECTION_N, si->index + 1);
}

static const qnode *child_of_type(const qnode *n, qtype t)
{
	for (const qnode *c = n->first; c; c = c->next)
		if (c->type == t)
			return c;
	return NULL;
}

/* ---- chapters ---------------------------------------------------- */

static qepub_chap *chap_new(qepub_book *book)
{
	if (book->nchaps == book->capchaps) {
		book->capchaps = book->capchaps ? book->capchaps * 2 : 16;
		book->chaps = qxrealloc(book->chaps,
					(size_t)book->capchaps * sizeof *book->chaps);
	}
	qepub_chap *c = &book->chaps[book->nchaps];
	memset(c, 0, sizeof *c);
	snprintf(c->file, sizeof c->file, "ch%04d.xhtml", book->nchaps + 1);
	qbuf_init(&c->xhtml);
	book->nchaps++;
	return c;
}

static void put_footnotes(render *r);

static void chap_close(render *r)
{
	qepub_chap *c = r->cur;
	if (!c)
		return;
	if (r->notes.len) {
		qbuf_puts(&c->xhtml, "<section class=\"answers\" epub:type=\"footnotes\">\n"
			  "<h2 class=\"answers-title\">");
		qepub_word(&c->xhtml, r->book, QW_ANSWERS);
		qbuf_puts(&c->xhtml, "</h2>\n");
		qbuf_put(&c->xhtml, r->notes.ptr, r->notes.len);
		qbuf_puts(&c->xhtml, "</section>\n");
		qbuf_reset(&r->notes);
		r->chain_notes = 2;   /* under "Answers" */
	}
	put_footnotes(r);
	qepub_xhtml_tail(&c->xhtml);
	c->has_math = c->xhtml.len && qmemmem(c->xhtml.ptr, c->xhtml.len, "<math xmlns=", 12);
	r->cur = NULL;
	if (c->has_local) {
		qepub_zip_drop(r->book->zip, c->zip_id);   /* added when fixed up */
		c->zip_id = -1;
	} else {
		qepub_zip_end(r->book->zip, c->zip_id, c->xhtml.ptr, c->xhtml.len);
	}
}

static int chap_slot(const qepub_book *book, const qepub_chap *c)
{
	return QEPUB_SLOT_CHAPTER + (int)(c - book->chaps);
}

static void chap_name(char *name, size_t n, const qepub_chap *c)
{
	snprintf(name, n, "EPUB/%s", c->file);
}

void qepub_chap_pack(qepub_book *book, int i)
{
	const qepub_chap *c = &book->chaps[i];
	char name[40];
	if (!book->zip)
		return;
	chap_name(name, sizeof name, c);
	qepub_zip_add(book->zip, chap_slot(book, c), name, c->xhtml.ptr,
		      c->xhtml.len, true);
}

/* Hand the finished part of the current chapter to the container, so
 * its first chunks are deflated while the rest is written. */
static void chap_stream(render *r)
{
	qepub_chap *c = r->cur;
	if (!c->has_local)
		qepub_zip_part(r->book->zip, c->zip_id, c->xhtml.ptr, c->xhtml.len);
}

/* The <title> of a chapter (plain text, formulas as text): its
 * section, or the document title. */
static void chap_title(qbuf *t, const qepub_book *book, const qnode *sec)
{
	if (sec) {
		const char *p = qsection_shown(sec);
		if (p && p[strspn(p, " \t")])
			qbuf_puts(t, p);
		else
			qw_put_n(t, book->words, QW_SECTION_N, sec->u.section.index + 1);
	} else if (book->doc->title && book->doc->title[0]) {
		qbuf_puts(t, qdoc_title_shown(book->doc));
	} else {
		qbuf_puts(t, qw_word(book->words, QW_NOTES));
	}
}

/* ---- booklet pages ------------------------------------------------
 * When the booklet was made in the same run, every page of it gets a
 * page break marker in the book, and the navigation document a
 * page-list (nav.c): a reader's "page" is the booklet's page. The PDF
 * back end tells the page of each question, so a page on which a
 * question starts is marked exactly, before that question. A page on
 * which none starts (a long answer, a section of prose) is marked at the
 * block where its share of the text between the two exact marks around
 * it begins: an estimate, within a page or so, and never out of order.
 * The plan is made before the chapters, in one walk over the same items
 * (sections, cards, blocks) that the chapters are written from. */

/* The booklet page a card starts on, or 0 when unknown. */
static int card_page(const qepub_book *book, const qnode *card)
{
	int idx = card->u.card.index;
	const int *pages = book->job->card_pages;
	if (pages && idx >= 0 && idx < book->doc->ncards && pages[idx] > 0)
		return pages[idx];
	return 0;
}

/* What a walk event is for the chapters: one item (its subtree done
 * with it unless it is a section), or nothing. */
static bool is_item(qev ev, const qnode *n)
{
	return ev == QEV_ENTER && n->type != QN_DOCUMENT && n->type != QN_TITLE;
}

/* About how much room an item takes in the booklet: its text, and a
 * little for each element. */
static size_t item_size(const qnode *n)
{
	size_t t = 0;
	qiter it;
	qnode *m;
	if (n->type == QN_SECTION) {
		for (m = n->first; m && m->type != QN_TITLE; m = m->next)
			;
		return 200 + (m ? item_size(m) : 0);
	}
	qiter_init(&it, (qnode *)n);
	while (qiter_next_of(&it, &m, QN_NONE))
		t += m->len + 20;
	return t;
}

static void plan_add(plan *pl, size_t size, int page)
{
	if (pl->n == pl->cap) {
		pl->cap = pl->cap ? 2 * pl->cap : 256;
		pl->size = qxrealloc(pl->size, (size_t)pl->cap * sizeof *pl->size);
		pl->page = qxrealloc(pl->page, (size_t)pl->cap * sizeof *pl->page);
	}
	pl->size[pl->n] = size;
	pl->page[pl->n] = page;
	pl->n++;
}

/* Pages q+1 .. p-1 start inside items i .. j-1 (page q starts at item
 * i, page p at item j): each at the first item where its share of their
 * text has gone by. */
static void plan_between(plan *pl, int i, int q, int j, int p)
{
	size_t total = 0, seen = 0;
	for (int k = i; k < j; k++)
		total += pl->size[k];
	int k = i;
	for (int t = q + 1; t < p; t++) {
		double want = (double)total * (t - q) / (p - q);
		while (k < j && (double)seen < want)
			seen += pl->size[k++];
		int at = k > i ? k : i + 1;
		if (pl->upto[at] < t)
			pl->upto[at] = t;
	}
}

/* The marks of every item (pl->upto), and room for them in the book. */
static void plan_pages(plan *pl, qepub_book *book)
{
	qiter it;
	qnode *n;
	qev ev;
	qiter_init(&it, book->doc->root);
	while ((ev = qiter_next(&it, &n)) != QEV_DONE) {
		if (ev == QEV_ENTER && n->type == QN_TITLE)
			qiter_skip(&it);
		if (!is_item(ev, n))
			continue;
		plan_add(pl, item_size(n), n->type == QN_CARD ? card_page(book, n) : 0);
		if (n->type != QN_SECTION && !qtype_is_leaf(n->type))
			qiter_skip(&it);
	}
	pl->upto = qxmalloc(((size_t)pl->n + 1) * sizeof(int));
	memset(pl->upto, 0, ((size_t)pl->n + 1) * sizeof(int));
	int last_i = 0, last_p = 0;
	for (int k = 0; k < pl->n; k++) {
		int p = pl->page[k];
		if (p <= last_p)
			continue;
		if (!last_p) {
			pl->upto[0] = 1;   /* the booklet's body starts here */
			last_p = 1;
		}
		plan_between(pl, last_i, last_p, k, p);
		if (pl->upto[k] < p)
			pl->upto[k] = p;
		last_i = k;
		last_p = p;
	}
	for (int k = 1; k < pl->n; k++)   /* due before k: due before k-1 too */
		if (pl->upto[k] < pl->upto[k - 1])
			pl->upto[k] = pl->upto[k - 1];
	book->pages = qxmalloc(((size_t)last_p + 1) * sizeof *book->pages);
}

static void plan_free(plan *pl)
{
	free(pl->size);
	free(pl->page);
	free(pl->upto);
}

/* A page break marker where booklet page `page` starts. */
static void mark_page(render *r, int page)
{
	qepub_book *book = r->book;
	qbuf *b = &r->cur->xhtml;
	qbuf_puts(b, "<span class=\"pagebreak\" epub:type=\"pagebreak\" "
		  "role=\"doc-pagebreak\" id=\"page-");
	qepub_put_int(b, page);
	qbuf_puts(b, "\" aria-label=\"");
	qepub_put_int(b, page);
	qbuf_puts(b, "\"></span>\n");
	book->pages[book->npages++] = (qepub_page){page, book->nchaps - 1};
}

/* The marks due before the current item, in the open chapter. */
static void mark_pages(render *r)
{
	int upto = r->item < r->plan.n ? r->plan.upto[r->item] : 0;
	for (int p = r->book->npages + 1; p <= upto; p++)
		mark_page(r, p);
}

static void chap_open(render *r, const qnode *sec, bool continued)
{
	chap_close(r);
	qepub_chap *c = chap_new(r->book);
	c->section = sec;
	c->continued = continued;
	char name[40];
	chap_name(name, sizeof name, c);
	c->zip_id = r->book->zip ? qepub_zip_begin(r->book->zip,
						   chap_slot(r->book, c), name) : -1;
	r->cur = c;
	r->chain = 0;
	r->top = sec;
	qbuf title = QBUF_INIT;
	chap_title(&title, r->book, sec);
	qepub_xhtml_head(&c->xhtml, r->book, title.ptr, title.len, "bodymatter");
	if (continued) {
		qbuf line = QBUF_INIT;
		qw_put(&line, r->book->words, QW_CONTINUED, title.ptr, NULL);
		qbuf_puts(&c->xhtml, "<p class=\"continued\">");
		qx_text(&c->xhtml, line.ptr, line.len);
		qbuf_puts(&c->xhtml, "</p>\n");
		qbuf_free(&line);
	}
	qbuf_free(&title);
}

/* Before new content: make sure a chapter is open, and start a new one
 * when the current one is full. */
static void chap_room(render *r)
{
	if (!r->cur)
		chap_open(r, r->top, r->top != NULL);
	else if (r->cur->xhtml.len + r->notes.len > QEPUB_CHAPTER_MAX)
		chap_open(r, r->top, r->top != NULL);
	else
		chap_stream(r);
}

/* ---- sections, cards, blocks --------------------------------------- */

static int clamp_level(int l)
{
	return l < 1 ? 1 : l > 6 ? 6 : l;
}

/* <hN class="cls" id="id"> and </hN> for a clamped level N (written by
 * hand: these are the most frequent tags of the book); dir when the
 * text of `text` goes the other way than the book. */
static void heading_open(qbuf *b, const qepub_book *book, int h,
			 const char *cls, const char *id, const qnode *text)
{
	qbuf_puts(b, "<h");
	qbuf_putc(b, '0' + clamp_level(h));
	qbuf_puts(b, " class=\"");
	qbuf_puts(b, cls);
	qbuf_puts(b, "\" id=\"");
	qbuf_puts(b, id);
	qbuf_putc(b, '"');
	qbuf_puts(b, qx_dir_attr(qx_direction(text), book->rtl ? -1 : 1));
	qbuf_putc(b, '>');
}

static void heading_close(qbuf *b, int h)
{
	qbuf_puts(b, "</h");
	qbuf_putc(b, '0' + clamp_level(h));
	qbuf_puts(b, ">\n");
}

/* Renderer options: headings inside text go below level h; local images
 * kept in the book (images.c), others as their alt text and address;
 * links by the one URL policy, "#name" links kept for
 * qepub_fixup() to resolve; direction marked against the book's. */
static const qx_opts *xopts(render *r, int h, int *chain)
{
	r->xcur = r->xo[clamp_level(h)];
	r->xcur.heading_chain = chain;
	return &r->xcur;
}

static void xopts_init(render *r)
{
	for (int h = 0; h < 7; h++)
		r->xo[h] = (qx_opts){.heading_base = h, .external_only = true,
				     .anchors = true, .bidi = true,
				     .rtl = r->book->rtl, .footnotes = true,
				     .table_scroll = true, .words = r->book->words,
				     .image_src = qepub_image_src, .image_ctx = r->book};
}

/* ---- footnotes ------------------------------------------------------
 * A footnote of the notes is an EPUB 3 footnote: its references are note
 * references (xhtml.c, opts.footnotes) and the note is an
 * <aside epub:type="footnote"> at the end of every chapter that refers to
 * it, so a reader shows it as a pop-up, or there. A footnote nothing
 * refers to is shown at the end of the chapter where it stands. */

static void list_note(render *r, qepub_note *note)
{
	int chap = r->book->nchaps - 1;
	if (!note || note->listed == chap)
		return;
	if (r->ncnotes == r->capcnotes) {
		r->capcnotes = r->capcnotes ? 2 * r->capcnotes : 16;
		r->cnotes = qxrealloc(r->cnotes, (size_t)r->capcnotes * sizeof(int));
	}
	r->cnotes[r->ncnotes++] = (int)(note - r->book->notes);
	note->listed = chap;
}

static qepub_note *note_of_node(const qepub_book *book, const qnode *n)
{
	qepub_note *note = qepub_note_get(book, n->u.footnote.number);
	if (note && note->node == n)
		return note;
	for (int i = 0; i < book->nnotes; i++)
		if (book->notes[i].node == n)
			return &book->notes[i];
	return NULL;
}

/* The footnotes that the current chapter must list because of n: those
 * its references name, and those nothing refers to that stand in it. */
static void collect_notes(render *r, const qnode *n)
{
	qiter it;
	qnode *m;
	if (!r->book->nnotes || !n)
		return;
	qiter_init(&it, (qnode *)n);
	while (qiter_next_of(&it, &m, QN_NONE)) {
		if (m->type == QN_FOOTREF) {
			list_note(r, qepub_note_get(r->book, m->u.footnote.number));
		} else if (m->type == QN_FOOTNOTE) {
			qepub_note *note = note_of_node(r->book, m);
			if (note && !note->referenced)
				list_note(r, note);
		}
	}
}

/* The first reference to each footnote in a chapter gets the id
 * "fnref-N", for the note's link back: in the region b[from..) just
 * rendered and cleaned. */
static void ref_ids(render *r, qbuf *b, size_t from)
{
	static const char pat[] = "<a class=\"footref\" epub:type=\"noteref\" "
				  "role=\"doc-noteref\" href=\"#fn-";
	const size_t k = sizeof pat - 1;
	int chap = r->book->nchaps - 1;
	if (!r->book->nnotes)
		return;
	for (size_t i = from; i + k <= b->len;) {
		const char *p = qmemmem(b->ptr + i, b->len - i, pat, k);
		if (!p)
			break;
		size_t at = (size_t)(p - b->ptr);
		int num = atoi(p + k);
		qepub_note *note = qepub_note_get(r->book, num);
		i = at + k;
		if (!note || note->ref_id == chap)
			continue;
		note->ref_id = chap;
		qbuf tail = QBUF_INIT;
		qbuf_put(&tail, b->ptr + at + 2, b->len - at - 2);
		qbuf_truncate(b, at + 2);
		size_t before = b->len;
		qbuf_printf(b, " id=\"fnref-%d\"", num);
		i += b->len - before;
		qbuf_put(b, tail.ptr, tail.len);
		qbuf_free(&tail);
	}
}

/* One footnote as an aside (referenced) or a block (not referenced). */
static void put_footnote(render *r, qbuf *b, qepub_note *note)
{
	const qnode *n = note->node;
	int num = n->u.footnote.number;
	if (note->referenced)
		qbuf_printf(b, "<aside class=\"footnote\" epub:type=\"footnote\" "
			    "role=\"doc-footnote\" id=\"fn-%d\">\n", num);
	else
		qbuf_puts(b, "<div class=\"footnote\">\n");
	qbuf_puts(b, "<p class=\"footnote-label\">");
	bool back = note->referenced && note->ref_id == r->book->nchaps - 1;
	if (back)
		qbuf_printf(b, "<a href=\"#fnref-%d\" role=\"doc-backlink\">", num);
	qepub_put_int(b, num);   /* as its references show it */
	qbuf_puts(b, back ? "</a></p>\n" : "</p>\n");
	size_t from = b->len;
	collect_notes(r, n);   /* notes referred to from this one */
	qx_blocks(b, n, xopts(r, 2, &r->chain_foot));
	qepub_fixup(b, from, r->book, &r->cur->has_local);
	ref_ids(r, b, from);
	qbuf_puts(b, note->referenced ? "</aside>\n" : "</div>\n");
}

static void put_footnotes(render *r)
{
	if (!r->ncnotes)
		return;
	r->chain_foot = 2;   /* under "Notes" */
	qbuf *b = &r->cur->xhtml;
	qbuf_puts(b, "<section class=\"footnotes\" epub:type=\"footnotes\">\n"
		  "<h2 class=\"footnotes-title\">");
	qepub_word(b, r->book, QW_FOOTNOTES);
	qbuf_puts(b, "</h2>\n");
	for (int i = 0; i < r->ncnotes; i++)   /* the list may grow */
		put_footnote(r, b, &r->book->notes[r->cnotes[i]]);
	qbuf_puts(b, "</section>\n");
	r->ncnotes = 0;
}

static void put_section(render *r, const qnode *sec)
{
	if (!sec->parent || sec->parent->type == QN_DOCUMENT)
		chap_open(r, sec, false);
	else
		chap_room(r);
	mark_pages(r);
	r->book->sec_chap[sec->u.section.index] = r->book->nchaps - 1;
	qbuf *b = &r->cur->xhtml;
	int h = clamp_level(r->sdepth);
	const qnode *title = child_of_type(sec, QN_TITLE);
	heading_open(b, r->book, h, "section", sec->u.section.anchor, title);
	size_t from = b->len;
	if (title && title->first) {
		collect_notes(r, title);
		qx_inlines(b, title, xopts(r, h, NULL));
		qepub_fixup(b, from, r->book, &r->cur->has_local);
		ref_ids(r, b, from);
	}
	if (b->len == from)
		qepub_section_label(b, r->book, sec);
	heading_close(b, h);
	if (b == &r->cur->xhtml)
		r->chain = h;
}

/* Beside the question, small: the booklet page it is printed on. */
static void put_booklet_page(qbuf *b, const qepub_book *book, const qnode *card)
{
	int page = card_page(book, card);
	if (!page)
		return;
	qbuf t = QBUF_INIT;
	qw_put_n(&t, book->words, QW_PAGE_OF, page);
	qbuf_puts(b, " <span class=\"booklet-page\" title=\"");
	qx_attr(b, t.ptr, t.len);
	qbuf_puts(b, "\">");
	qbuf_reset(&t);
	qw_put_n(&t, book->words, QW_PAGE_N, page);
	qx_text(b, t.ptr, t.len);
	qbuf_puts(b, "</span>");
	qbuf_free(&t);
}

/* The question heading: number, the question's inlines, booklet page. */
static void put_question(render *r, qbuf *b, const qnode *card, int h)
{
	const qcard_info *ci = &card->u.card;
	const qnode *q = child_of_type(card, QN_QUESTION);
	heading_open(b, r->book, h, "question", ci->anchor, q);
	size_t start = b->len;
	if (ci->number && ci->number[0]) {
		qbuf_puts(b, "<span class=\"qnum\">");
		qx_text(b, ci->number, strlen(ci->number));
		qbuf_puts(b, "</span> ");
	}
	size_t from = b->len;
	if (q && q->first) {
		qx_inlines(b, q, xopts(r, h, NULL));
		qepub_fixup(b, from, r->book, &r->cur->has_local);
		ref_ids(r, b, from);
	}
	if (b->len == start)
		qepub_card_label(b, r->book, card);
	put_booklet_page(b, r->book, card);
	heading_close(b, h);
	if (b == &r->cur->xhtml)
		r->chain = h;
}

static void put_answer(render *r, qbuf *b, const qnode *card, int h)
{
	const qnode *a = child_of_type(card, QN_ANSWER);
	if (!a)
		return;
	size_t from = b->len;
	qx_blocks(b, a, xopts(r, h, b == &r->notes ? &r->chain_notes : &r->chain));
	qepub_fixup(b, from, r->book, &r->cur->has_local);
	ref_ids(r, b, from);
}

/* A topic card's question is its section's title, just above: the card
 * keeps only its anchor (as in the booklet). */
static void put_card_inline(render *r, const qnode *card, int h)
{
	qbuf *b = &r->cur->xhtml;
	if (card->u.card.topic) {
		qbuf_puts(b, "<div class=\"card\" id=\"");
		qbuf_puts(b, card->u.card.anchor);
		qbuf_puts(b, "\">\n");
	} else {
		qbuf_puts(b, "<div class=\"card\">\n");
		put_question(r, b, card, h);
	}
	qbuf_puts(b, "<div class=\"answer\">\n");
	put_answer(r, b, card, h);
	qbuf_puts(b, "</div>\n</div>\n");
}

/* Pop-up mode: the question and a note reference in the flow, the answer
 * as a footnote at the end of the chapter with a link back. */
static void put_card_popup(render *r, const qnode *card, int h)
{
	qbuf *b = &r->cur->xhtml;
	const char *id = card->u.card.anchor;
	if (strncmp(id, "q-", 2) == 0)
		id += 2;   /* "q-x": answer "a-x", note reference "r-x" */
	qbuf_puts(b, "<div class=\"card\">\n");
	put_question(r, b, card, h);
	qbuf_puts(b, "<p class=\"meta\"><a class=\"reveal\" "
		  "epub:type=\"noteref\" role=\"doc-noteref\" id=\"r-");
	qbuf_puts(b, id);
	qbuf_puts(b, "\" href=\"#a-");
	qbuf_puts(b, id);
	qbuf_puts(b, "\">");
	qepub_word(b, r->book, QW_ANSWER);
	qbuf_puts(b, "</a></p>\n</div>\n");

	qbuf *n = &r->notes;
	qbuf_puts(n, "<aside class=\"answer\" epub:type=\"footnote\" "
		  "role=\"doc-footnote\" id=\"a-");
	qbuf_puts(n, id);
	qbuf_puts(n, "\">\n<p class=\"answer-for\"><a href=\"#r-");
	qbuf_puts(n, id);
	qbuf_puts(n, "\">");
	qepub_card_label(n, r->book, card);
	qbuf_puts(n, "</a></p>\n");
	put_answer(r, n, card, h);
	qbuf_puts(n, "</aside>\n");
}

static void put_card(render *r, const qnode *card)
{
	chap_room(r);
	mark_pages(r);
	collect_notes(r, card);
	r->book->card_chap[card->u.card.index] = r->book->nchaps - 1;
	int h = r->sdepth + 1 < 2 ? 2 : clamp_level(r->sdepth + 1);
	if (r->book->popup)
		put_card_popup(r, card, h);
	else
		put_card_inline(r, card, h);
}

static void put_block(render *r, const qnode *block)
{
	chap_room(r);
	mark_pages(r);
	qbuf *b = &r->cur->xhtml;
	size_t from = b->len;
	collect_notes(r, block);
	qx_block(b, block, xopts(r, clamp_level(r->sdepth), &r->chain));
	qepub_fixup(b, from, r->book, &r->cur->has_local);
	ref_ids(r, b, from);
}

/* One event of the walk. Returns true when the node's subtree is done. */
static bool render_event(render *r, qev ev, const qnode *n)
{
	if (is_item(ev, n))
		r->item++;
	if (n->type == QN_SECTION) {
		if (ev == QEV_ENTER) {
			r->sdepth++;
			put_section(r, n);
		} else {
			r->sdepth--;
		}
		return false;
	}
	if (ev != QEV_ENTER || n->type == QN_DOCUMENT)
		return false;
	if (n->type == QN_TITLE)
		return true;
	/* A separator line before any content would open a chapter that
	 * holds nothing else. */
	if (n->type == QN_RULE && !r->cur)
		return true;
	if (n->type == QN_FOOTNOTE) {   /* listed where referred to */
		const qepub_note *note = note_of_node(r->book, n);
		if (note && !note->referenced) {
			chap_room(r);
			mark_pages(r);
			collect_notes(r, n);
		}
		if (note)
			return true;
	}
	if (n->type == QN_CARD)
		put_card(r, n);
	else
		put_block(r, n);
	return true;
}

void qepub_render_chapters(qepub_book *book)
{
	render r = {.book = book, .item = -1, .chain_notes = 2};
	xopts_init(&r);
	qbuf_init(&r.notes);
	plan_pages(&r.plan, book);
	qiter it;
	qnode *n;
	qev ev;
	qiter_init(&it, book->doc->root);
	while ((ev = qiter_next(&it, &n)) != QEV_DONE) {
		if (render_event(&r, ev, n) && !qtype_is_leaf(n->type))
			qiter_skip(&it);
	}
	chap_close(&r);
	qbuf_free(&r.notes);
	plan_free(&r.plan);
	free(r.cnotes);
}
