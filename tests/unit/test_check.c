/* test_check.c - model/check.c: qdoc_check() accepts a tree the way the
 * reader builds it and rejects each kind of broken tree, naming what is
 * wrong and where. */
#include "fixture.h"
#include "model/check.h"
#include "testing.h"

static qbuf why_;

/* A small good document: section A (level 1) holding two cards and
 * section B (level 2) with a paragraph. */
static qdoc *good(void)
{
	qdoc *d = qdoc_new();
	qnode *a = section(d, d->root, 1, "A");
	card(d, a, "1.", "What is x?", para(d, "x is x."))->u.card.rule = "heading";
	card(d, a, "2.", "What is y?", para(d, "y is y."))->u.card.rule = "heading";
	qnode *b = section(d, a, 2, "B");
	qnode_append(b, para(d, "text of B"));
	qdoc_index(d);
	return d;
}

/* Does the check reject doc with a description holding `want`? */
static bool rejects(qdoc *doc, const char *want)
{
	qbuf_reset(&why_);
	bool ok = qdoc_check(doc, &why_);
	qbuf_putc(&why_, '\0');
	qdoc_free(doc);
	if (!ok && !strstr(why_.ptr, want))
		printf("# got: %s\n", why_.ptr);
	return !ok && strstr(why_.ptr, want);
}

TEST(good_tree_holds)
{
	qdoc *d = good();
	qbuf_reset(&why_);
	bool ok = qdoc_check(d, &why_);
	qdoc_free(d);
	CHECK(ok);
	CHECK_INT(why_.len, 0);
}

TEST(card_holds_one_question_and_one_answer)
{
	qdoc *d = good();
	qnode_append(d->cards[0], para(d, "a third child"));
	CHECK(rejects(d, "in a card, which holds a question, then an answer"));
	d = good();
	qnode_unlink(d->cards[1]->last);
	CHECK(rejects(d, "1 children, not a question and an answer"));
	d = good();
	qnode *q = d->cards[0]->first;
	qnode_unlink(q);
	qnode_append(d->cards[0], q);   /* answer, then question */
	CHECK(rejects(d, "line 8: answer: in a card"));
	d = good();
	qnode_unlink(d->cards[0]->last->first);
	CHECK(rejects(d, "answer: empty"));
}

TEST(sections_nest_by_level)
{
	qdoc *d = good();
	d->sections[1]->u.section.level = 1;
	CHECK(rejects(d, "level 1 inside a section of level 1"));
	d = good();
	qnode_unlink(d->sections[1]->first);   /* its title */
	CHECK(rejects(d, "which holds its title first"));
}

TEST(links_agree)
{
	qdoc *d = good();
	d->cards[0]->next->prev = NULL;
	CHECK(rejects(d, "its next sibling's previous link is not it"));
	d = good();
	d->cards[1]->parent = d->root;
	CHECK(rejects(d, "its parent link is not the node holding it"));
	d = good();
	qnode *p = d->cards[0]->last->first;
	qnode_append(p->first, text_node(d, QN_TEXT, "inside a leaf"));
	CHECK(rejects(d, "a leaf with children"));
}

TEST(cards_sit_only_in_sections)
{
	qdoc *d = good();
	qnode *list = qnode_new(d, QN_LIST, 3), *item = qnode_new(d, QN_ITEM, 3);
	qnode_append(list, item);
	qnode_append(d->sections[0], list);
	qnode *c = d->cards[1];
	qnode_unlink(c);
	qnode_append(item, c);
	CHECK(rejects(d, "card: in a item, which holds blocks"));
	d = good();
	qnode_append(d->sections[1], text_node(d, QN_TEXT, "loose text"));
	CHECK(rejects(d, "text: in a section"));
}

TEST(indexes_agree_with_the_tree)
{
	qdoc *d = good();
	qnode *t = d->cards[0];
	d->cards[0] = d->cards[1];
	d->cards[1] = t;
	CHECK(rejects(d, "not doc->cards[0]"));
	d = good();
	d->nsections = 1;
	CHECK(rejects(d, "not doc->sections[1]"));
	d = good();
	card(d, d->sections[1], NULL, "Not indexed?", para(d, "no"))->u.card.rule = "heading";
	CHECK(rejects(d, "not doc->cards[2]"));
	d = good();
	d->cards[1]->u.card.anchor = d->cards[0]->u.card.anchor;
	CHECK(rejects(d, "is not unique"));
	d = good();
	d->cards[1]->u.card.first = d->cards[0];
	CHECK(rejects(d, "its first card of key"));
}

TEST(card_info_is_consistent)
{
	qdoc *d = good();
	d->cards[0]->u.card.follows = d->cards[1];   /* a later card */
	CHECK(rejects(d, "follows no earlier card"));
	d = good();
	d->cards[1]->u.card.follows = d->cards[0];   /* an earlier one: fine */
	qbuf_reset(&why_);
	bool ok = qdoc_check(d, &why_);
	qdoc_free(d);
	CHECK(ok);
	d = good();
	d->cards[0]->u.card.front_blocks = 2;
	CHECK(rejects(d, "2 front blocks in an answer of 1"));
	d = good();
	d->cards[0]->u.card.rule = NULL;
	CHECK(rejects(d, "no rule"));
}

TEST(blocks_nest_no_deeper_than_the_cap)
{
	qdoc *d = good();
	qnode *at = d->cards[0]->last;
	for (int i = 0; i < QMODEL_MAX_DEPTH + 1; i++) {
		qnode *q = qnode_new(d, QN_QUOTE, 9);
		qnode_append(at, q);
		at = q;
	}
	qnode_append(at, para(d, "deep"));
	CHECK(rejects(d, "nested deeper than"));
}

TEST(leaves_and_values)
{
	qdoc *d = good();
	qnode_append(d->sections[1], text_node(d, QN_CODE, "no newline"));
	CHECK(rejects(d, "code that does not end with a newline"));
	d = good();
	qnode *h = qnode_new(d, QN_HEADING, 5);
	h->u.level = 9;
	qnode_append(d->sections[1], h);
	CHECK(rejects(d, "line 5: heading: level 9"));
	d = good();
	qnode_append(d->sections[1], qnode_new(d, QN_LIST, 6));
	qnode_append(d->sections[1]->last, para(d, "not an item"));
	CHECK(rejects(d, "in a list, which holds items"));
}

TEST(without_a_buffer)
{
	qdoc *d = good();
	d->sections[1]->u.section.level = 0;
	bool ok = qdoc_check(d, NULL);
	qdoc_free(d);
	CHECK(!ok);
}

int main(void)
{
	RUN(good_tree_holds);
	RUN(card_holds_one_question_and_one_answer);
	RUN(sections_nest_by_level);
	RUN(links_agree);
	RUN(cards_sit_only_in_sections);
	RUN(indexes_agree_with_the_tree);
	RUN(card_info_is_consistent);
	RUN(blocks_nest_no_deeper_than_the_cap);
	RUN(leaves_and_values);
	RUN(without_a_buffer);
	qbuf_free(&why_);
	return testing_done();
}
