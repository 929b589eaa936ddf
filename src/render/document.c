/* document.c - a whole study model as one XHTML fragment (see xhtml.h).
 *
 * The title heading first, then sections and cards in document order,
 * every heading at the level it was written: a section is
 * <section class="section"><hN class="title">..</hN> .. </section>, a card
 * <div class="card"><hN class="question">..</hN><div class="answer">..
 * </div></div> (a topic card shows no question: its section's title
 * above it is that). The CommonMark spec test compares this with cmark's HTML
 * once the wrappers, ids and classes are taken away; it is also the
 * simplest view of what the reader understood.
 */
#include "xhtml.h"

#include "../model/walk.h"

/* A heading of the level it was written (h6 for a question or title that
 * was no heading), holding the inlines of n. */
static void put_level_heading(qbuf *b, const qnode *n, int level,
			      const char *cls, const qx_opts *o)
{
	level = level < 1 ? 6 : level > 6 ? 6 : level;
	qbuf_printf(b, "<h%d class=\"%s\">", level, cls);
	qx_inlines(b, n, o);
	qbuf_printf(b, "</h%d>\n", level);
}

static void enter_structure(qbuf *b, qiter *it, const qnode *n, const qx_opts *o)
{
	const qnode *p = n->parent;
	switch (n->type) {
	case QN_DOCUMENT:
		break;
	case QN_SECTION:
		qbuf_puts(b, "<section class=\"section\">\n");
		break;
	case QN_TITLE:
		put_level_heading(b, n, p ? p->u.section.heading : 0, "title", o);
		qiter_skip(it);
		break;
	case QN_CARD:
		qbuf_puts(b, "<div class=\"card\">\n");
		break;
	case QN_QUESTION:   /* a topic card's question is its section's title */
		if (!p || !p->u.card.topic)
			put_level_heading(b, n, p ? p->u.card.heading : 0, "question", o);
		qiter_skip(it);
		break;
	case QN_ANSWER:
		qbuf_puts(b, "<div class=\"answer\">\n");
		break;
	default:
		qx_block(b, n, o);
		if (!qtype_is_leaf(n->type))
			qiter_skip(it);
		break;
	}
}

static void exit_structure(qbuf *b, const qnode *n)
{
	if (n->type == QN_SECTION)
		qbuf_puts(b, "</section>\n");
	else if (n->type == QN_CARD || n->type == QN_ANSWER)
		qbuf_puts(b, "</div>\n");
}

void qx_document(qbuf *b, const qdoc *doc, const qx_opts *o)
{
	if (doc->title_node)
		put_level_heading(b, doc->title_node, 1, "title", o);
	qiter it;
	qnode *n;
	qev ev;
	qiter_init(&it, doc->root);
	while ((ev = qiter_next(&it, &n)) != QEV_DONE) {
		if (ev == QEV_ENTER)
			enter_structure(b, &it, n, o);
		else
			exit_structure(b, n);
	}
}
