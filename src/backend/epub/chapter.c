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
 * question by an <a epub:type="noteref">.
 *
 * The walk is the shared iterator; blocks are written by the shared
 * XHTML renderer, then cleaned by qepub_fixup().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../model/walk.h"
#include "../../render/xhtml.h"
#include "epub.h"

typedef struct render {
	qepub_book *book;
	qepub_chap *cur;    /* chapter being written, or NULL */
	qbuf notes;         /* pop-up answers of the current chapter */
	int sdepth;         /* sections open in the walk */
	const qnode *top;   /* top-level section of the current chapter */
} render;

void qepub_xhtml_head(qbuf *b, const qepub_book *book, const char *title,
		      size_t tlen, const char *body_type)
{
	qbuf_printf(b,
		    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<!DOCTYPE html>\n"
		    "<html xmlns=\"http://www.w3.org/1999/xhtml\" "
		    "xmlns:epub=\"http://www.idpf.org/2007/ops\" "
		    "lang=\"%s\" xml:lang=\"%s\">\n<head>\n"
		    "<meta charset=\"UTF-8\"/>\n<title>",
		    book->lang, book->lang);
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

void qepub_card_label(qbuf *b, const qnode *card)
{
	const char *full = card->u.card.full;
	if (full && full[strspn(full, " \t")])
		qx_text(b, full, strlen(full));
	else
		qbuf_printf(b, "Question %d", card->u.card.index + 1);
}

void qepub_section_label(qbuf *b, const qnode *sec)
{
	const char *plain = sec->u.section.plain;
	if (plain && plain[strspn(plain, " \t")])
		qx_text(b, plain, strlen(plain));
	else
		qbuf_printf(b, "Section %d", sec->u.section.index + 1);
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

static void chap_close(render *r)
{
	qepub_chap *c = r->cur;
	if (!c)
		return;
	if (r->notes.len) {
		qbuf_puts(&c->xhtml, "<section class=\"answers\" epub:type=\"footnotes\">\n"
			  "<h2 class=\"answers-title\">Answers</h2>\n");
		qbuf_put(&c->xhtml, r->notes.ptr, r->notes.len);
		qbuf_puts(&c->xhtml, "</section>\n");
		qbuf_reset(&r->notes);
	}
	qepub_xhtml_tail(&c->xhtml);
	c->has_math = c->xhtml.len && memmem(c->xhtml.ptr, c->xhtml.len, "<math xmlns=", 12);
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

/* The <title> of a chapter: its section, or the document title. */
static void chap_title(qbuf *t, const qepub_book *book, const qnode *sec)
{
	if (sec) {
		const char *p = sec->u.section.plain;
		if (p && p[strspn(p, " \t")])
			qbuf_puts(t, p);
		else
			qbuf_printf(t, "Section %d", sec->u.section.index + 1);
	} else if (book->doc->title && book->doc->title[0]) {
		qbuf_puts(t, book->doc->title);
	} else {
		qbuf_puts(t, "Notes");
	}
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
	r->top = sec;
	qbuf title = QBUF_INIT;
	chap_title(&title, r->book, sec);
	qepub_xhtml_head(&c->xhtml, r->book, title.ptr, title.len, "bodymatter");
	if (continued) {
		qbuf_puts(&c->xhtml, "<p class=\"continued\">");
		qx_text(&c->xhtml, title.ptr, title.len);
		qbuf_puts(&c->xhtml, " (continued)</p>\n");
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
 * hand: these are the most frequent tags of the book). */
static void heading_open(qbuf *b, int h, const char *cls, const char *id)
{
	qbuf_puts(b, "<h");
	qbuf_putc(b, '0' + clamp_level(h));
	qbuf_puts(b, " class=\"");
	qbuf_puts(b, cls);
	qbuf_puts(b, "\" id=\"");
	qbuf_puts(b, id);
	qbuf_puts(b, "\">");
}

static void heading_close(qbuf *b, int h)
{
	qbuf_puts(b, "</h");
	qbuf_putc(b, '0' + clamp_level(h));
	qbuf_puts(b, ">\n");
}

/* Renderer options: headings inside text go below level h; images as
 * their alt text and only web links (the book holds no other files). */
static const qx_opts *xopts(int h)
{
	static const qx_opts o[7] = {
		{.heading_base = 0, .external_only = true}, {.heading_base = 1, .external_only = true},
		{.heading_base = 2, .external_only = true}, {.heading_base = 3, .external_only = true},
		{.heading_base = 4, .external_only = true}, {.heading_base = 5, .external_only = true},
		{.heading_base = 6, .external_only = true},
	};
	return &o[clamp_level(h)];
}

static void put_section(render *r, const qnode *sec)
{
	if (!sec->parent || sec->parent->type == QN_DOCUMENT)
		chap_open(r, sec, false);
	else
		chap_room(r);
	r->book->sec_chap[sec->u.section.index] = r->book->nchaps - 1;
	qbuf *b = &r->cur->xhtml;
	int h = clamp_level(r->sdepth);
	heading_open(b, h, "section", sec->u.section.anchor);
	const qnode *title = child_of_type(sec, QN_TITLE);
	size_t from = b->len;
	if (title && title->first) {
		qx_inlines(b, title, xopts(h));
		qepub_fixup(b, from, r->book, &r->cur->has_local);
	}
	if (b->len == from)
		qepub_section_label(b, sec);
	heading_close(b, h);
}

static void put_booklet_page(qbuf *b, const qepub_book *book, const qnode *card)
{
	int idx = card->u.card.index;
	const int *pages = book->job->card_pages;
	if (pages && idx >= 0 && idx < book->doc->ncards && pages[idx] > 0)
		qbuf_printf(b, "<span class=\"booklet-page\">booklet p. %d</span>",
			    pages[idx]);
}

/* The question heading's content: number, then the question's inlines. */
static void put_question_text(render *r, qbuf *b, const qnode *card, int h)
{
	const qcard_info *ci = &card->u.card;
	const qnode *q = child_of_type(card, QN_QUESTION);
	size_t start = b->len;
	if (ci->number && ci->number[0]) {
		qbuf_puts(b, "<span class=\"qnum\">");
		qx_text(b, ci->number, strlen(ci->number));
		qbuf_puts(b, "</span> ");
	}
	size_t from = b->len;
	if (q && q->first) {
		qx_inlines(b, q, xopts(h));
		qepub_fixup(b, from, r->book, &r->cur->has_local);
	}
	if (b->len == start)
		qepub_card_label(b, card);
}

static void put_answer(render *r, qbuf *b, const qnode *card, int h)
{
	const qnode *a = child_of_type(card, QN_ANSWER);
	if (!a)
		return;
	size_t from = b->len;
	qx_blocks(b, a, xopts(h));
	qepub_fixup(b, from, r->book, &r->cur->has_local);
}

static void put_card_inline(render *r, const qnode *card, int h)
{
	qbuf *b = &r->cur->xhtml;
	qbuf_puts(b, "<div class=\"card\">\n");
	heading_open(b, h, "question", card->u.card.anchor);
	put_question_text(r, b, card, h);
	heading_close(b, h);
	size_t mark = b->len;
	qbuf_puts(b, "<p class=\"meta\">");
	size_t inner = b->len;
	put_booklet_page(b, r->book, card);
	if (b->len == inner)
		qbuf_truncate(b, mark);
	else
		qbuf_puts(b, "</p>\n");
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
	heading_open(b, h, "question", card->u.card.anchor);
	put_question_text(r, b, card, h);
	heading_close(b, h);
	qbuf_puts(b, "<p class=\"meta\"><a class=\"reveal\" "
		  "epub:type=\"noteref\" id=\"r-");
	qbuf_puts(b, id);
	qbuf_puts(b, "\" href=\"#a-");
	qbuf_puts(b, id);
	qbuf_puts(b, "\">Answer</a>");
	put_booklet_page(b, r->book, card);
	qbuf_puts(b, "</p>\n</div>\n");

	qbuf *n = &r->notes;
	qbuf_puts(n, "<aside class=\"answer\" epub:type=\"footnote\" id=\"a-");
	qbuf_puts(n, id);
	qbuf_puts(n, "\">\n<p class=\"answer-for\"><a href=\"#r-");
	qbuf_puts(n, id);
	qbuf_puts(n, "\">");
	qepub_card_label(n, card);
	qbuf_puts(n, "</a></p>\n");
	put_answer(r, n, card, h);
	qbuf_puts(n, "</aside>\n");
}

static void put_card(render *r, const qnode *card)
{
	chap_room(r);
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
	qbuf *b = &r->cur->xhtml;
	size_t from = b->len;
	qx_block(b, block, xopts(clamp_level(r->sdepth)));
	qepub_fixup(b, from, r->book, &r->cur->has_local);
}

/* One event of the walk. Returns true when the node's subtree is done. */
static bool render_event(render *r, qev ev, const qnode *n)
{
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
	if (n->type == QN_CARD)
		put_card(r, n);
	else
		put_block(r, n);
	return true;
}

void qepub_render_chapters(qepub_book *book)
{
	render r = {.book = book};
	qbuf_init(&r.notes);
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
}
