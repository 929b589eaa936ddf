/* test_model.c - the study model on its own: duplicate keys as the
 * dialect defines them, tree editing (append, insert before, unlink, which
 * keeps a card's count of front blocks),
 * moving all children of a node, the enter/exit walk (order, skip, a depth no recursion would survive,
 * the entered nodes of one type, the outline)
 * and indexing (card and section lists, repeats of a key, unique
 * anchors). */
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "model/walk.h"
#include "testing.h"

static char *key_of(const char *q)
{
	static char s[256];
	qbuf b = QBUF_INIT;
	qcard_key(q, strlen(q), &b);
	snprintf(s, sizeof s, "%.*s", (int)b.len, b.ptr ? b.ptr : "");
	qbuf_free(&b);
	return s;
}

TEST(key_strips_numbers_and_punctuation)
{
	CHECK_STR(key_of("Q12. What is the GIL?"), "what is the gil");
	CHECK_STR(key_of("12) What is the GIL?"), "what is the gil");
	CHECK_STR(key_of("Q3: Explain *args and **kwargs"), "explain args and kwargs");
	CHECK_STR(key_of("  What’s   a decorator?? "), "what s a decorator");
	CHECK_STR(key_of("What is __init__.py for?"), "what is __init__ py for");
	CHECK_STR(key_of("Что такое GIL?"), "что такое gil");
	CHECK_STR(key_of("什么是装饰器？"), "什么是装饰器");
	CHECK_STR(key_of("?!"), "");
	/* a number that is not a question number stays */
	CHECK_STR(key_of("2024 changes"), "2024 changes");
}

TEST(key_reads_commonmark_escapes)
{
	/* clean CommonMark escapes what messy notes write bare */
	CHECK_STR(key_of("What is \\_\\_all\\_\\_ in modules?"), key_of("What is __all__ in modules?"));
	CHECK_STR(key_of("Explain \\*args"), "explain args");
	CHECK_STR(key_of("C:\\\\path"), "c path");
	CHECK_STR(key_of("a\\b"), "a b");   /* not an escape: a separator */
}

static qnode *section(qdoc *doc, qnode *parent, const char *name, int level)
{
	qnode *s = qnode_new(doc, QN_SECTION, 1);
	s->u.section.level = level;
	s->u.section.name = s->u.section.plain = name;
	qnode_append(parent, s);
	return s;
}

static qnode *card(qdoc *doc, qnode *parent, const char *q, int line)
{
	qnode *c = qnode_new(doc, QN_CARD, line);
	qbuf b = QBUF_INIT;
	qcard_key(q, strlen(q), &b);
	c->u.card.key = qdoc_strdup(doc, b.ptr ? b.ptr : "", b.len);
	c->u.card.plain = c->u.card.full = q;
	qbuf_free(&b);
	qnode_append(parent, c);
	return c;
}

TEST(index_counts_cards_sections_and_repeats)
{
	qdoc *doc = qdoc_new();
	qnode *a = section(doc, doc->root, "Python", 1);
	qnode *c1 = card(doc, a, "Q1. What is the GIL?", 3);
	qnode *b = section(doc, a, "Async", 2);
	qnode *c2 = card(doc, b, "What is async?", 7);
	qnode *c3 = card(doc, b, "Q9. What is the GIL?", 9);
	qdoc_index(doc);
	CHECK_INT(doc->ncards, 3);
	CHECK_INT(doc->nsections, 2);
	CHECK_INT(doc->nkeys, 2);
	CHECK(doc->cards[0] == c1 && doc->cards[2] == c3);
	CHECK(c3->u.card.first == c1);
	CHECK_INT(c3->u.card.repeat, 1);
	CHECK(c2->u.card.first == c2);
	CHECK(strcmp(c1->u.card.anchor, c3->u.card.anchor) != 0);
	CHECK(qnode_section(c2) == b);
	qbuf path = QBUF_INIT;
	qnode_section_path(c2, "::", &path);
	qbuf_putc(&path, '\0');
	CHECK_STR(path.ptr, "Python::Async");
	qbuf_free(&path);
	qdoc_free(doc);
}

/* The title page's counts: the model counts, the back ends say it
 * (render/words.h); notes that only ask have no sections. */
TEST(counts_leave_out_no_sections)
{
	qdoc *doc = qdoc_new();
	card(doc, doc->root, "What is the GIL?", 1);
	card(doc, doc->root, "What is async?", 3);
	qdoc_index(doc);
	qcounts n = qdoc_counts(doc);
	CHECK_INT(n.questions, 2);
	CHECK_INT(n.sections, 0);
	section(doc, doc->root, "Python", 1);
	qdoc_index(doc);
	n = qdoc_counts(doc);
	CHECK_INT(n.questions, 2);
	CHECK_INT(n.sections, 1);
	qdoc_free(doc);
}

/* The order of enter/exit events of a small tree, as a string. */
static void trace(qnode *root, char *out, size_t cap, qnode *skip)
{
	qiter it;
	qnode *n;
	qev ev;
	size_t k = 0;
	qiter_init(&it, root);
	while ((ev = qiter_next(&it, &n)) != QEV_DONE && k + 3 < cap) {
		out[k++] = ev == QEV_ENTER ? '<' : '>';
		out[k++] = n->text && n->len ? n->text[0] : qtype_name(n->type)[0];
		if (ev == QEV_ENTER && n == skip)
			qiter_skip(&it);
	}
	out[k] = '\0';
}

TEST(walk_order_insert_unlink_skip)
{
	qdoc *doc = qdoc_new();
	qnode *p = qnode_new(doc, QN_PARAGRAPH, 1);
	qnode_append(doc->root, p);
	qnode *x = qnode_new_text(doc, QN_TEXT, 1, "x", 1);
	qnode *z = qnode_new_text(doc, QN_TEXT, 1, "z", 1);
	qnode_append(p, x);
	qnode_append(p, z);
	qnode *y = qnode_new_text(doc, QN_TEXT, 1, "y", 1);
	qnode_insert_before(z, y);
	qnode *e = qnode_new(doc, QN_EMPH, 1);
	qnode_insert_before(x, e);
	char s[64];
	trace(p, s, sizeof s, NULL);
	CHECK_STR(s, "<p<e>e<x<y<z>p");
	CHECK(p->first == e && e->next == x && z->prev == y && p->last == z);
	qnode_unlink(y);
	trace(p, s, sizeof s, NULL);
	CHECK_STR(s, "<p<e>e<x<z>p");
	CHECK(x->next == z && z->prev == x && y->parent == NULL);
	trace(doc->root, s, sizeof s, p);
	CHECK_STR(s, "<d<p>d");   /* skip passes the children and the exit */
	qdoc_free(doc);
}

/* A front block taken out of a card's answer leaves the card one fewer
 * (the fuzzer found a card counting more front blocks than its answer
 * held); a block of the answer proper leaves the count. */
TEST(unlink_front_block_counts_down)
{
	qdoc *doc = qdoc_new();
	qnode *card = qnode_new(doc, QN_CARD, 1);
	qnode_append(doc->root, card);
	qnode_append(card, qnode_new(doc, QN_QUESTION, 1));
	qnode *answer = qnode_new(doc, QN_ANSWER, 1);
	qnode_append(card, answer);
	qnode *b[4];
	for (int i = 0; i < 4; i++) {
		b[i] = qnode_new(doc, QN_PARAGRAPH, 2 + i);
		qnode_append(answer, b[i]);
	}
	card->u.card.front_blocks = 2;
	qnode_unlink(b[3]);   /* the answer's own */
	CHECK_INT(card->u.card.front_blocks, 2);
	qnode_unlink(b[1]);   /* a front block */
	CHECK_INT(card->u.card.front_blocks, 1);
	qnode_unlink(b[0]);
	CHECK_INT(card->u.card.front_blocks, 0);
	CHECK(answer->first == b[2] && answer->last == b[2]);
	qnode_unlink(b[2]);
	CHECK_INT(card->u.card.front_blocks, 0);
	qdoc_free(doc);
}

TEST(move_children_keeps_their_order)
{
	qdoc *doc = qdoc_new();
	qnode *p = qnode_new(doc, QN_PARAGRAPH, 1);
	qnode *e = qnode_new(doc, QN_EMPH, 1);
	qnode *s = qnode_new(doc, QN_STRONG, 1);
	qnode_append(doc->root, p);
	qnode_append(p, qnode_new_text(doc, QN_TEXT, 1, "a", 1));
	qnode_append(p, e);
	qnode_append(e, qnode_new_text(doc, QN_TEXT, 1, "x", 1));
	qnode_append(e, qnode_new_text(doc, QN_TEXT, 1, "y", 1));
	qnode_append(p, s);
	qnode_append(s, qnode_new_text(doc, QN_TEXT, 1, "z", 1));
	char t[64];
	qnode_insert_children_before(e, e);   /* as a link is unwrapped */
	trace(p, t, sizeof t, NULL);
	CHECK_STR(t, "<p<a<x<y<e>e<s<z>s>p");
	CHECK(e->first == NULL && e->last == NULL && e->parent == p);
	qnode *m = qnode_new(doc, QN_MARK, 1);
	qnode_append(doc->root, m);
	qnode_append(m, qnode_new_text(doc, QN_TEXT, 1, "b", 1));
	qnode_append_children(m, p);   /* after what m holds */
	CHECK(p->first == NULL && p->last == NULL);
	trace(m, t, sizeof t, NULL);
	CHECK_STR(t, "<m<b<a<x<y<e>e<s<z>s>m");
	CHECK(s->parent == m && m->last == s);
	qdoc_free(doc);
}

/* The nodes qiter_next_of gives from root, as a string. */
static void trace_of(qnode *root, qtype type, char *out, size_t cap, qnode *skip)
{
	qiter it;
	qnode *n;
	size_t k = 0;
	qiter_init(&it, root);
	while (qiter_next_of(&it, &n, type) && k + 2 < cap) {
		CHECK(it.ev == QEV_ENTER && it.cur == n);
		out[k++] = n->text && n->len ? n->text[0] : qtype_name(n->type)[0];
		if (n == skip)
			qiter_skip(&it);
	}
	out[k] = '\0';
	CHECK(k + 2 < cap);
}

TEST(walk_entered_nodes_of_a_type)
{
	qdoc *doc = qdoc_new();
	qnode *p = qnode_new(doc, QN_PARAGRAPH, 1);
	qnode *e = qnode_new(doc, QN_EMPH, 1);
	qnode_append(doc->root, p);
	qnode_append(p, qnode_new_text(doc, QN_TEXT, 1, "x", 1));
	qnode_append(p, e);
	qnode_append(e, qnode_new_text(doc, QN_TEXT, 1, "y", 1));
	qnode_append(p, qnode_new_text(doc, QN_TEXT, 1, "z", 1));
	qnode_append(doc->root, qnode_new(doc, QN_RULE, 2));
	char s[64];
	trace_of(doc->root, QN_TEXT, s, sizeof s, NULL);
	CHECK_STR(s, "xyz");   /* in document order, inside containers too */
	trace_of(doc->root, QN_NONE, s, sizeof s, NULL);
	CHECK_STR(s, "dpxeyzr");   /* every node once: exits are passed over */
	trace_of(doc->root, QN_NONE, s, sizeof s, e);
	CHECK_STR(s, "dpxezr");   /* skip after it passes the children */
	trace_of(doc->root, QN_CARD, s, sizeof s, NULL);
	CHECK_STR(s, "");
	trace_of(e, QN_EMPH, s, sizeof s, NULL);
	CHECK_STR(s, "e");   /* the root is entered too */
	qdoc_free(doc);
}

TEST(walk_outline_gives_document_sections_cards)
{
	qdoc *doc = qdoc_new();
	qnode *a = section(doc, doc->root, "A", 1);
	qnode *p = qnode_new(doc, QN_PARAGRAPH, 2);
	qnode_append(a, p);
	qnode_append(p, qnode_new_text(doc, QN_TEXT, 2, "p", 1));
	qnode *c1 = card(doc, a, "What is x?", 3);
	qnode *q = qnode_new(doc, QN_QUESTION, 3), *ans = qnode_new(doc, QN_ANSWER, 3);
	qnode_append(c1, q);
	qnode_append(c1, ans);
	qnode_append(q, qnode_new_text(doc, QN_TEXT, 3, "What is x?", 10));
	qnode_append(ans, qnode_new(doc, QN_PARAGRAPH, 4));
	qnode *b = section(doc, a, "B", 4);
	qnode_append(b, qnode_new(doc, QN_TITLE, 4));
	qnode *c2 = card(doc, doc->root, "What is y?", 5);
	qnode *got[8];
	int k = 0;
	qiter it;
	qnode *n;
	qiter_init(&it, doc->root);
	while (qiter_next_outline(&it, &n) && k < 8)
		got[k++] = n;
	CHECK_INT(k, 5);   /* no title, paragraph, question or answer */
	CHECK(k == 5 && got[0] == doc->root && got[1] == a && got[2] == c1 && got[3] == b
	      && got[4] == c2);
	qdoc_free(doc);
}

TEST(walk_survives_depth_no_stack_would)
{
	enum { DEPTH = 200000 };
	qdoc *doc = qdoc_new();
	qnode *n = doc->root;
	for (int i = 0; i < DEPTH; i++) {
		qnode *q = qnode_new(doc, QN_QUOTE, i + 1);
		qnode_append(n, q);
		n = q;
	}
	qnode_append(n, qnode_new_text(doc, QN_TEXT, 1, "deep", 4));
	qiter it;
	qnode *cur;
	qev ev;
	long enters = 0, exits = 0;
	int maxdepth = 0;
	qiter_init(&it, doc->root);
	while ((ev = qiter_next(&it, &cur)) != QEV_DONE) {
		enters += ev == QEV_ENTER;
		exits += ev == QEV_EXIT;
		if (it.depth > maxdepth)
			maxdepth = it.depth;
	}
	CHECK_INT(enters, DEPTH + 2);
	CHECK_INT(exits, DEPTH + 1);   /* the text leaf has no exit */
	CHECK_INT(maxdepth, DEPTH + 1);
	qdoc_free(doc);
}

int main(void)
{
	RUN(key_strips_numbers_and_punctuation);
	RUN(key_reads_commonmark_escapes);
	RUN(index_counts_cards_sections_and_repeats);
	RUN(counts_leave_out_no_sections);
	RUN(walk_order_insert_unlink_skip);
	RUN(unlink_front_block_counts_down);
	RUN(move_children_keeps_their_order);
	RUN(walk_entered_nodes_of_a_type);
	RUN(walk_outline_gives_document_sections_cards);
	RUN(walk_survives_depth_no_stack_would);
	return testing_done();
}
