/* fixture.h - building small study models by hand in unit tests, the
 * same way in every back end's tests. Everything lives in the document's
 * arena (see model.h); `static inline` so a test may use only some. */
#ifndef QUIRE_FIXTURE_H
#define QUIRE_FIXTURE_H

#include <string.h>

#include "model/model.h"

static inline qnode *text_node(qdoc *d, qtype t, const char *s)
{
	return qnode_new_text(d, t, 1, s, strlen(s));
}

static inline qnode *para(qdoc *d, const char *s)
{
	qnode *p = qnode_new(d, QN_PARAGRAPH, 1);
	qnode_append(p, text_node(d, QN_TEXT, s));
	return p;
}

static inline qnode *section(qdoc *d, qnode *parent, int level, const char *title)
{
	qnode *s = qnode_new(d, QN_SECTION, 1);
	s->u.section.level = level;
	s->u.section.plain = title;
	s->u.section.name = title;
	qnode *t = qnode_new(d, QN_TITLE, 1);
	qnode_append(t, text_node(d, QN_TEXT, title));
	qnode_append(s, t);
	qnode_append(parent, s);
	return s;
}

/* A card (question on line 7, answer from line 8) with its number, full
 * text and duplicate key filled in as the reader would. */
static inline qnode *card(qdoc *d, qnode *parent, const char *num, const char *q,
			  qnode *answer_block)
{
	qnode *c = qnode_new(d, QN_CARD, 7);
	qnode *qn = qnode_new(d, QN_QUESTION, 7);
	qnode_append(qn, text_node(d, QN_TEXT, q));
	qnode *a = qnode_new(d, QN_ANSWER, 8);
	qnode_append(a, answer_block);
	qnode_append(c, qn);
	qnode_append(c, a);
	qbuf full = QBUF_INIT, key = QBUF_INIT;
	if (num)
		qbuf_printf(&full, "%s ", num);
	qbuf_puts(&full, q);
	qcard_key(q, strlen(q), &key);
	c->u.card.number = num;
	c->u.card.plain = q;
	c->u.card.full = qdoc_strdup(d, full.ptr, full.len);
	c->u.card.key = qdoc_strdup(d, key.ptr, key.len);
	qbuf_free(&full);
	qbuf_free(&key);
	qnode_append(parent, c);
	return c;
}

static inline qnode *code(qdoc *d, const char *lang, const char *s)
{
	qnode *c = text_node(d, QN_CODE, s);
	c->u.code.lang = lang;
	return c;
}

#endif
