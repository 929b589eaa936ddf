/* walk.c - enter/exit iteration over the model without recursion. */
#include "walk.h"

void qiter_init(qiter *it, qnode *root)
{
	it->root = root;
	it->cur = NULL;
	it->ev = QEV_DONE;
	it->depth = 0;
}

void qiter_init_of(qiter *it, const qdoc *doc, qtype type)
{
	qiter_init(it, qdoc_may_hold(doc, type) ? doc->root : NULL);
}

static bool is_container(const qnode *n)
{
	return !qtype_is_leaf(n->type);
}

/* One step of the walk: it->cur and it->ev become the next event. */
static inline qev step(qiter *it)
{
	qnode *c = it->cur;
	if (!c) {
		if (!it->root || it->ev != QEV_DONE)
			return QEV_DONE;   /* finished, or empty walk */
		it->cur = it->root;
		return it->ev = QEV_ENTER;
	}
	if (it->ev == QEV_ENTER && is_container(c)) {
		if (c->first) {
			it->cur = c->first;
			it->depth++;
			it->ev = QEV_ENTER;
		} else {
			it->ev = QEV_EXIT;
		}
	} else if (c == it->root) {
		it->cur = NULL;
		it->root = NULL;
		return it->ev = QEV_DONE;
	} else if (c->next) {
		it->cur = c->next;
		it->ev = QEV_ENTER;
	} else {
		it->cur = c->parent;
		it->depth--;
		it->ev = QEV_EXIT;
	}
	return it->ev;
}

qev qiter_next(qiter *it, qnode **node)
{
	bool walking = it->cur;
	qev ev = step(it);
	if (ev != QEV_DONE || walking)
		*node = it->cur;   /* NULL at the end of a walk */
	return ev;
}

/* The next entered node of `type` (QN_NONE: of any type) into *node;
 * false, *node untouched, when the walk is done. */
bool qiter_next_of(qiter *it, qnode **node, qtype type)
{
	qev ev;
	while ((ev = step(it)) != QEV_DONE) {
		if (ev == QEV_ENTER && (type == QN_NONE || it->cur->type == type)) {
			*node = it->cur;
			return true;
		}
	}
	return false;
}

/* The next document, section or card into *node; false when done. */
bool qiter_next_outline(qiter *it, qnode **node)
{
	qnode *n;
	while (qiter_next_of(it, &n, QN_NONE)) {
		if (n->type == QN_DOCUMENT || n->type == QN_SECTION) {
			*node = n;
			return true;
		}
		qiter_skip(it);   /* a card's insides, or a block */
		if (n->type == QN_CARD) {
			*node = n;
			return true;
		}
	}
	return false;
}

void qiter_skip(qiter *it)
{
	if (it->cur && it->ev == QEV_ENTER && is_container(it->cur))
		it->ev = QEV_EXIT;
}
