/* test_build.c - reader/build.c: cmark's tree of lifted notes into the
 * study model. Notes go through the lifter and cmark as the reader sends
 * them, then only the builder; each case looks at the tree it made. */
#include <cmark.h>
#include <stdlib.h>

#include "model/check.h"
#include "model/walk.h"
#include "reader/build.h"
#include "reader/lift.h"
#include "testing.h"

static qdiags diags_;

/* Lift, parse and build md; the document is indexed like a read one. */
static qdoc *build_with(const char *md, const qbuild_opts *o)
{
	qdiags_free(&diags_);
	qdiags_init(&diags_, "t.md");
	qlift l;
	memset(&l, 0, sizeof l);
	if (o->strict)
		qlift_verbatim(md, strlen(md), 1, &l);
	else
		qlift_run(md, strlen(md), 1, &l, &diags_, NULL, NULL);
	cmark_node *root = l.unchanged ? l.tree : NULL;
	if (root)
		l.tree = NULL;   /* taken: freed below, not by qlift_free */
	if (!root)
		root = cmark_parse_document(l.text.ptr ? l.text.ptr : "", l.text.len, CMARK_OPT_DEFAULT);
	qdoc *doc = qdoc_new();
	qbuilder *b = qbuild_new(doc, &diags_, o);
	qbuild_part(b, root, &l, cmark_get_default_mem_allocator());
	qbuild_finish(b);
	cmark_node_free(root);
	qlift_free(&l);
	qdoc_index(doc);
	return doc;
}

static qdoc *build(const char *md)
{
	qbuild_opts o = {0};
	return build_with(md, &o);
}

/* The tree holds to the grammar of model.h (check.h). */
static bool holds(const qdoc *doc)
{
	qbuf why = QBUF_INIT;
	bool ok = qdoc_check(doc, &why);
	if (!ok)
		printf("# %s\n", why.ptr);
	qbuf_free(&why);
	return ok;
}

static int count(const qdoc *doc, qtype t)
{
	int n = 0;
	qiter it;
	qnode *x;
	qiter_init(&it, doc->root);
	while (qiter_next(&it, &x) != QEV_DONE)
		n += it.ev == QEV_ENTER && x->type == t;
	return n;
}

static const char *plain(const qnode *n)
{
	static qbuf b;
	qbuf_reset(&b);
	qnode_plain(n, &b);
	qbuf_putc(&b, '\0');
	return b.ptr;
}

TEST(heading_question_makes_a_card_in_its_section)
{
	qdoc *doc = build("# Python\n\n## What is a list?\n\nAn ordered sequence.\n\n- mutable\n");
	bool ok = holds(doc);
	qnode *sec = doc->root->first;
	qnode *card = sec && sec->first ? sec->first->next : NULL;
	bool shape = sec && sec->type == QN_SECTION && sec->u.section.level == 1 && card
		     && card->type == QN_CARD && card->first->type == QN_QUESTION
		     && card->last->type == QN_ANSWER && card->last->first->type == QN_PARAGRAPH
		     && card->last->last->type == QN_LIST;
	const char *q = shape ? plain(card->first) : "";
	bool info = shape && !strcmp(card->u.card.rule, "heading") && card->u.card.heading == 2
		    && doc->nquestions == 1 && doc->questions[0].answered;
	qdoc_free(doc);
	CHECK(ok);
	CHECK(shape);
	CHECK_STR(q, "What is a list?");
	CHECK(info);
}

TEST(question_without_answer_is_no_card)
{
	qdoc *doc = build("## What is X?\n\n## What is Y?\n\nY is why.\n");
	bool ok = holds(doc);
	int cards = doc->ncards, nq = doc->nquestions;
	bool first_unanswered = nq == 2 && !doc->questions[0].answered && doc->questions[1].answered;
	int line = nq ? doc->questions[0].line : 0;
	qdoc_free(doc);
	CHECK(ok);
	CHECK_INT(cards, 1);
	CHECK_INT(nq, 2);
	CHECK(first_unanswered);
	CHECK_INT(line, 1);
}

TEST(sections_nest_by_level)
{
	qdoc *doc = build("# A\n\ntext a\n\n## B\n\ntext b\n\n### C\n\ntext c\n\n## D\n\ntext d\n\n# E\n\ntext e\n");
	bool ok = holds(doc);
	qnode *a = doc->root->first, *e = a ? a->next : NULL;
	int n = doc->nsections;
	/* A holds B and D; B holds C; E is A's sibling */
	qnode *b = n == 5 ? doc->sections[1] : NULL, *c = n == 5 ? doc->sections[2] : NULL;
	qnode *d = n == 5 ? doc->sections[3] : NULL;
	bool tree = b && b->parent == a && c->parent == b && d->parent == a && e == doc->sections[4]
		    && e->parent == doc->root && c->u.section.level == 3;
	bool named = b && !strcmp(b->u.section.name, "B");   /* before the arena goes */
	qdoc_free(doc);
	CHECK(ok);
	CHECK_INT(n, 5);
	CHECK(tree);
	CHECK(named);
}

TEST(label_line_becomes_a_label)
{
	qdoc *doc = build("## What is a driver?\n\nWhat it is:\nA program that talks to a device.\n");
	bool ok = holds(doc);
	qnode *a = doc->ncards ? doc->cards[0]->last : NULL;
	bool label = a && a->first && a->first->type == QN_LABEL && a->first->next
		     && a->first->next->type == QN_PARAGRAPH;
	const char *t = label ? plain(a->first) : "";
	qdoc_free(doc);
	CHECK(ok);
	CHECK(label);
	CHECK_STR(t, "What it is:");
}

TEST(strict_builds_cards_from_headings_only)
{
	qbuild_opts o = {.strict = true};
	qdoc *doc = build_with("Q1. What is X?\nIt is x.\n\n## What is Y?\n\nY.\n\nWhat it is:\nno label\n", &o);
	bool ok = holds(doc);
	int cards = doc->ncards, labels = count(doc, QN_LABEL);
	qdoc_free(doc);
	CHECK(ok);
	CHECK_INT(cards, 1);
	CHECK_INT(labels, 0);
}

TEST(inline_html_becomes_model_nodes)
{
	qdoc *doc = build("H<sub>2</sub>O is <b>water</b>, a <mark>liquid</mark>; <filename> stays<br>here.\n");
	bool ok = holds(doc);
	int sub = count(doc, QN_SUB), strong = count(doc, QN_STRONG), mark = count(doc, QN_MARK);
	int brk = count(doc, QN_LINEBREAK);
	const char *t = plain(doc->root);
	bool kept = strstr(t, "<filename> stays") != NULL;
	qdoc_free(doc);
	CHECK(ok);
	CHECK_INT(sub, 1);
	CHECK_INT(strong, 1);
	CHECK_INT(mark, 1);
	CHECK_INT(brk, 1);
	CHECK(kept);
}

TEST(fenced_code_keeps_its_language)
{
	qdoc *doc = build("```python\nprint(1)\n```\n\n```\nSELECT a FROM t WHERE b = 1;\n```\n");
	bool ok = holds(doc);
	qnode *c1 = doc->root->first, *c2 = c1 ? c1->next : NULL;
	bool code = c1 && c2 && c1->type == QN_CODE && c2->type == QN_CODE;
	bool python = code && !strcmp(c1->u.code.lang, "python");
	bool sql = code && !strcmp(c2->u.code.lang, "sql");   /* no info string: guessed */
	bool text = code && !strcmp(c1->text, "print(1)\n");
	qdoc_free(doc);
	CHECK(ok);
	CHECK(code);
	CHECK(python);
	CHECK(sql);
	CHECK(text);
}

TEST(deep_nesting_is_flattened_not_lost)
{
	qbuf md = QBUF_INIT;
	for (int i = 0; i < 60; i++)
		qbuf_puts(&md, "> ");
	qbuf_puts(&md, "deep words\n\n");
	for (int i = 0; i < 40; i++) {
		for (int k = 0; k < i; k++)
			qbuf_puts(&md, "  ");
		qbuf_printf(&md, "- item%d\n", i);
	}
	qbuf_putc(&md, '\0');
	qdoc *doc = build(md.ptr);
	qbuf_free(&md);
	bool ok = holds(doc);
	const char *t = plain(doc->root);
	bool kept = strstr(t, "deep words") && strstr(t, "item0") && strstr(t, "item39");
	int quotes = count(doc, QN_QUOTE);
	bool warned = qdiags_count(&diags_, "depth") == 1;
	/* each item's text its own paragraph, attached at the cap */
	int paragraphs = count(doc, QN_PARAGRAPH);
	qdoc_free(doc);
	CHECK(ok);
	CHECK(kept);
	CHECK(quotes < 60);
	CHECK(warned);
	CHECK_INT(paragraphs, 41);
}

TEST(open_sections_for_the_next_part)
{
	qdoc *doc = qdoc_new();
	qdiags_free(&diags_);
	qdiags_init(&diags_, "t.md");
	qbuild_opts o = {0};
	qbuilder *b = qbuild_new(doc, &diags_, &o);
	const char *md = "# A\n\n## B\n\ntext\n";
	qlift l;
	memset(&l, 0, sizeof l);
	qlift_run(md, strlen(md), 1, &l, &diags_, NULL, NULL);
	cmark_node *root = l.unchanged ? l.tree : NULL;
	if (root)
		l.tree = NULL;   /* taken: freed below, not by qlift_free */
	if (!root)
		root = cmark_parse_document(l.text.ptr, l.text.len, CMARK_OPT_DEFAULT);
	qbuild_part(b, root, &l, cmark_get_default_mem_allocator());
	qnode *secs[4];
	int levels[4];
	int n = qbuild_open_sections(b, secs, levels, 4);
	bool lv = n == 2 && levels[0] == 1 && levels[1] == 2 && secs[1]->parent == secs[0];
	int one = qbuild_open_sections(b, secs, levels, 1);
	qbuild_finish(b);
	cmark_node_free(root);
	qlift_free(&l);
	qdoc_free(doc);
	CHECK_INT(n, 2);
	CHECK(lv);
	CHECK_INT(one, 1);
}

int main(void)
{
	RUN(heading_question_makes_a_card_in_its_section);
	RUN(question_without_answer_is_no_card);
	RUN(sections_nest_by_level);
	RUN(label_line_becomes_a_label);
	RUN(strict_builds_cards_from_headings_only);
	RUN(inline_html_becomes_model_nodes);
	RUN(fenced_code_keeps_its_language);
	RUN(deep_nesting_is_flattened_not_lost);
	RUN(open_sections_for_the_next_part);
	qdiags_free(&diags_);
	return testing_done();
}
