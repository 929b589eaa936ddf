/* nav.c - the ways into the book: the EPUB 3 navigation document (a
 * table of contents with every section and, one level down, its
 * questions; landmarks), the NCX with the same tree for EPUB 2 readers,
 * and the title page with a short contents list of the chapters.
 *
 * A book with more than QEPUB_NCX_MAX entries gets an NCX of its
 * sections only: validators check NCX play orders pairwise (epubcheck
 * needs two minutes for 5,000 points and hours for the 48,000 of the
 * 10 MB test notes) and old readers load the NCX whole. The navigation
 * document always lists every question.
 *
 * The trees are written from one walk over the model (walk.h); a small
 * byte stack remembers, per open section, whether its child list has
 * been opened, so nesting costs no recursion.
 */
#include <stdlib.h>
#include <string.h>

#include "../../model/walk.h"
#include "../../render/xhtml.h"
#include "epub.h"

#define QEPUB_NCX_MAX 2000

typedef enum { TREE_NAV, TREE_NCX } tree_kind;

typedef struct tree {
	tree_kind kind;
	qbuf *b;
	const qepub_book *book;
	qbuf open;       /* one byte per open section: 1 when its list is open */
	qbuf label;      /* the current entry's name */
	int order;       /* NCX playOrder of the last point */
	int depth, max_depth;
	bool cards;      /* list the questions too */
} tree;

/* Open the child list of the innermost open section, once. */
static void need_list(tree *t)
{
	if (t->kind != TREE_NAV || !t->open.len)
		return;
	char *top = &t->open.ptr[t->open.len - 1];
	if (*top)
		return;
	*top = 1;
	qbuf_puts(t->b, "\n<ol>\n");
}

static void put_target(qbuf *b, const char *file, const char *anchor)
{
	qbuf_puts(b, file);
	if (anchor) {
		qbuf_putc(b, '#');
		qbuf_puts(b, anchor);
	}
}

/* The entry's name as escaped text. */
static void put_label(qbuf *b, const qepub_book *book, const qnode *n)
{
	if (!n)
		qepub_word(b, book, QW_TITLE_PAGE);
	else if (n->type == QN_SECTION)
		qepub_section_label(b, book, n);
	else
		qepub_card_label(b, book, n);
}

/* Start one entry (left open for children). */
static void entry_open(tree *t, const char *file, const char *anchor,
		       const qnode *n)
{
	need_list(t);
	qbuf *b = t->b;
	qbuf_reset(&t->label);
	put_label(&t->label, t->book, n);
	if (t->kind == TREE_NAV) {
		qbuf_puts(b, "<li><a href=\"");
		put_target(b, file, anchor);
		qbuf_putc(b, '"');
		qbuf_puts(b, qx_dir_attr(qx_text_direction(t->label.ptr, t->label.len),
					 t->book->rtl ? -1 : 1));
		qbuf_putc(b, '>');
		qbuf_put(b, t->label.ptr, t->label.len);
		qbuf_puts(b, "</a>");
	} else {
		t->order++;
		qbuf_puts(b, "<navPoint id=\"n");
		qepub_put_int(b, t->order);
		qbuf_puts(b, "\" playOrder=\"");
		qepub_put_int(b, t->order);
		qbuf_puts(b, "\"><navLabel><text>");
		qbuf_put(b, t->label.ptr, t->label.len);
		qbuf_puts(b, "</text></navLabel><content src=\"");
		put_target(b, file, anchor);
		qbuf_puts(b, "\"/>");
	}
	t->depth++;
	if (t->depth > t->max_depth)
		t->max_depth = t->depth;
}

static void entry_close(tree *t, bool had_list)
{
	if (had_list && t->kind == TREE_NAV)
		qbuf_puts(t->b, "</ol>\n");
	qbuf_puts(t->b, t->kind == TREE_NAV ? "</li>\n" : "</navPoint>\n");
	t->depth--;
}

static void tree_section(tree *t, qev ev, const qnode *n)
{
	const qepub_book *book = t->book;
	if (ev == QEV_ENTER) {
		int c = book->sec_chap[n->u.section.index];
		entry_open(t, book->chaps[c].file, n->u.section.anchor, n);
		if (t->kind == TREE_NCX)
			qbuf_putc(t->b, '\n');
		qbuf_putc(&t->open, t->kind == TREE_NCX);
	} else {
		bool had = t->open.len && t->open.ptr[t->open.len - 1];
		qbuf_truncate(&t->open, t->open.len - 1);
		entry_close(t, had);
	}
}

static void tree_write(tree *t)
{
	const qepub_book *book = t->book;
	entry_open(t, "title.xhtml", NULL, NULL);
	entry_close(t, false);
	qiter it;
	qnode *n;
	qev ev;
	qiter_init(&it, book->doc->root);
	while ((ev = qiter_next(&it, &n)) != QEV_DONE) {
		if (n->type == QN_DOCUMENT)
			continue;
		if (n->type == QN_SECTION) {
			tree_section(t, ev, n);
			continue;
		}
		if (ev != QEV_ENTER)
			continue;
		if (n->type == QN_CARD && t->cards) {
			int c = book->card_chap[n->u.card.index];
			entry_open(t, book->chaps[c].file, n->u.card.anchor, n);
			entry_close(t, false);
		}
		if (!qtype_is_leaf(n->type))
			qiter_skip(&it);
	}
}

/* The booklet's pages, each to the mark where it starts (chapter.c). */
static void page_list(qbuf *b, const qepub_book *book)
{
	if (!book->npages)
		return;
	qbuf_puts(b, "<nav epub:type=\"page-list\" role=\"doc-pagelist\" "
		  "id=\"page-list\" hidden=\"hidden\">\n<h2>");
	qepub_word(b, book, QW_PAGE_LIST);
	qbuf_puts(b, "</h2>\n<ol>\n");
	for (int i = 0; i < book->npages; i++) {
		const qepub_page *p = &book->pages[i];
		qbuf_puts(b, "<li><a href=\"");
		qbuf_puts(b, book->chaps[p->chap].file);
		qbuf_puts(b, "#page-");
		qepub_put_int(b, p->page);
		qbuf_puts(b, "\">");
		qepub_put_int(b, p->page);
		qbuf_puts(b, "</a></li>\n");
	}
	qbuf_puts(b, "</ol>\n</nav>\n");
}

/* One entry of the landmarks. */
static void landmark(qbuf *b, const qepub_book *book, const char *type,
		     const char *href, qword name)
{
	qbuf_printf(b, "  <li><a epub:type=\"%s\" href=\"%s\">", type, href);
	qepub_word(b, book, name);
	qbuf_puts(b, "</a></li>\n");
}

void qepub_nav(qbuf *b, const qepub_book *book)
{
	const char *contents = qw_word(book->words, QW_CONTENTS);
	const char *title = book->doc->title && book->doc->title[0]
				    ? qdoc_title_shown(book->doc) : contents;
	qepub_xhtml_head(b, book, title, strlen(title), NULL);
	qbuf_puts(b, "<nav epub:type=\"toc\" role=\"doc-toc\" id=\"toc\">\n<h1>");
	qepub_word(b, book, QW_CONTENTS);
	qbuf_puts(b, "</h1>\n<ol>\n");
	tree t = {.kind = TREE_NAV, .b = b, .book = book, .cards = true};
	qbuf_init(&t.open);
	qbuf_init(&t.label);
	tree_write(&t);
	qbuf_free(&t.open);
	qbuf_free(&t.label);
	qbuf_puts(b, "</ol>\n</nav>\n"
		  "<nav epub:type=\"landmarks\" id=\"landmarks\" hidden=\"hidden\">\n<h2>");
	qepub_word(b, book, QW_LANDMARKS);
	qbuf_puts(b, "</h2>\n<ol>\n");
	landmark(b, book, "cover", "cover.xhtml", QW_COVER);
	landmark(b, book, "titlepage", "title.xhtml", QW_TITLE_PAGE);
	landmark(b, book, "toc", "title.xhtml#contents", QW_CONTENTS);
	if (book->nchaps)
		landmark(b, book, "bodymatter", book->chaps[0].file, QW_START);
	qbuf_puts(b, "</ol>\n</nav>\n");
	page_list(b, book);
	qepub_xhtml_tail(b);
}

void qepub_ncx(qbuf *b, const qepub_book *book)
{
	qbuf map = QBUF_INIT;
	const qdoc *doc = book->doc;
	tree t = {.kind = TREE_NCX, .b = &map, .book = book,
		  .cards = 1 + doc->nsections + doc->ncards <= QEPUB_NCX_MAX};
	qbuf_init(&t.open);
	qbuf_init(&t.label);
	tree_write(&t);
	qbuf_free(&t.open);
	qbuf_free(&t.label);
	qbuf_printf(b,
		    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<ncx xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" "
		    "version=\"2005-1\" xml:lang=\"%s\">\n<head>\n"
		    "  <meta name=\"dtb:uid\" content=\"%s\"/>\n"
		    "  <meta name=\"dtb:depth\" content=\"%d\"/>\n"
		    "  <meta name=\"dtb:totalPageCount\" content=\"0\"/>\n"
		    "  <meta name=\"dtb:maxPageNumber\" content=\"0\"/>\n"
		    "</head>\n<docTitle><text>",
		    book->lang, book->ident, t.max_depth);
	const char *title = qepub_title(book->doc);
	qx_text(b, title, strlen(title));
	qbuf_puts(b, "</text></docTitle>\n<navMap>\n");
	qbuf_put(b, map.ptr, map.len);
	qbuf_puts(b, "</navMap>\n</ncx>\n");
	qbuf_free(&map);
}

/* ---- title page ------------------------------------------------------ */

/* The chapters as a list: one entry per section (parts of a split
 * section counted with it). */
static void title_contents(qbuf *b, const qepub_book *book)
{
	if (!book->nchaps) {
		qbuf_puts(b, "<section class=\"contents\" id=\"contents\">\n<p>");
		qepub_word(b, book, QW_EMPTY);
		qbuf_puts(b, "</p>\n</section>\n");
		return;
	}
	int *cards = qxmalloc(sizeof(int) * (size_t)book->nchaps);
	memset(cards, 0, sizeof(int) * (size_t)book->nchaps);
	for (int i = 0; i < book->doc->ncards; i++)
		cards[book->card_chap[i]]++;
	qbuf_puts(b, "<section class=\"contents\" id=\"contents\">\n<h2>");
	qepub_word(b, book, QW_CONTENTS);
	qbuf_puts(b, "</h2>\n<ol class=\"contents\">\n");
	for (int i = 0; i < book->nchaps;) {
		int j = i + 1;
		while (j < book->nchaps && book->chaps[j].continued)
			j++;
		const qepub_chap *c = &book->chaps[i];
		qbuf label = QBUF_INIT;
		if (c->section)
			qepub_section_label(&label, book, c->section);
		else
			qepub_word(&label, book, QW_INTRODUCTION);
		qbuf_printf(b, "<li%s><a href=\"%s\">",
			    qx_dir_attr(qx_text_direction(label.ptr, label.len),
					book->rtl ? -1 : 1), c->file);
		qbuf_put(b, label.ptr, label.len);
		qbuf_free(&label);
		qbuf_puts(b, "</a>");
		int nc = 0;
		for (int k = i; k < j; k++)
			nc += cards[k];
		if (nc) {
			qbuf count = QBUF_INIT;
			qw_count(&count, book->words, QWN_QUESTIONS, nc);
			qbuf_puts(b, " <span class=\"count\">");
			qx_text(b, count.ptr, count.len);
			qbuf_puts(b, "</span>");
			qbuf_free(&count);
		}
		qbuf_puts(b, "</li>\n");
		i = j;
	}
	qbuf_puts(b, "</ol>\n</section>\n");
	free(cards);
}

/* A line of the title page in its own direction (around: the book's);
 * nothing when the text is empty. */
static void title_line(qbuf *b, const char *cls, const char *text, int around)
{
	if (!text || !text[0])
		return;
	size_t n = strlen(text);
	qbuf_printf(b, "<p class=\"%s\"%s>", cls, qx_dir_attr(qx_text_direction(text, n), around));
	qx_text(b, text, n);
	qbuf_puts(b, "</p>\n");
}

/* The self-test edition's line: the word of the answer link in <em>. */
static void howto(qbuf *b, const qepub_book *book)
{
	qbuf answer = QBUF_INIT, text = QBUF_INIT;
	qbuf_puts(&answer, "<em>");
	qepub_word(&answer, book, QW_ANSWER);
	qbuf_puts(&answer, "</em>");
	qx_text(&text, qw_word(book->words, QW_HOWTO), strlen(qw_word(book->words, QW_HOWTO)));
	qbuf_puts(b, "<p class=\"howto\">");
	qw_format(b, text.ptr, answer.ptr, NULL);
	qbuf_puts(b, "</p>\n");
	qbuf_free(&answer);
	qbuf_free(&text);
}

void qepub_title_page(qbuf *b, const qepub_book *book)
{
	const qdoc *doc = book->doc;
	const char *title = qepub_title(doc);
	qepub_xhtml_head(b, book, title, strlen(title), "frontmatter");
	int around = book->rtl ? -1 : 1;
	qbuf_printf(b, "<section class=\"titlepage\" epub:type=\"titlepage\">\n"
		    "<h1 class=\"title\"%s>",
		    qx_dir_attr(qx_text_direction(title, strlen(title)), around));
	qx_text(b, title, strlen(title));
	qbuf_puts(b, "</h1>\n");
	title_line(b, "subtitle", doc->subtitle, around);
	title_line(b, "author", doc->author, around);
	if (doc->date && doc->date[0]) {
		qbuf_puts(b, "<p class=\"date\">");
		qx_text(b, doc->date, strlen(doc->date));
		qbuf_puts(b, "</p>\n");
	}
	qcounts n = qdoc_counts(doc);
	qbuf line = QBUF_INIT;
	qw_counts(&line, book->words, n.questions, n.sections);
	title_line(b, "stats", line.ptr, around);
	if (book->popup)
		howto(b, book);
	qbuf_free(&line);
	qbuf_puts(b, "</section>\n");
	title_contents(b, book);
	qepub_xhtml_tail(b);
}
