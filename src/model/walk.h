/* walk.h - the one walk over the study model: an iterator of enter/exit
 * events, so no code ever recurses on depth the notes control.
 *
 * Containers give QEV_ENTER, then their children, then QEV_EXIT (also
 * when empty). Leaves (qtype_is_leaf) give QEV_ENTER only. The walk
 * covers the subtree of `root` (root included).
 *
 *     qiter it; qnode *n; qev ev;
 *     qiter_init(&it, root);
 *     while ((ev = qiter_next(&it, &n)) != QEV_DONE) { ... }
 *
 * qiter_skip() after an ENTER of a container passes over its children
 * and its EXIT: the next event is whatever follows the container.
 *
 * Most walks only look at the nodes they enter, often of one type:
 *
 *     qiter_init(&it, root);
 *     while (qiter_next_of(&it, &n, QN_CARD)) { ... }
 *
 * qiter_next_of() passes over exits and other types (QN_NONE: any type);
 * it->ev is QEV_ENTER when it returns true, so qiter_skip() still works.
 * qiter_next_outline() gives the document, its sections and cards only:
 * it walks into nothing else (cards and sections sit nowhere else) and
 * passes over a card's question and answer itself.
 * Ownership: the iterator is a plain struct on the caller's stack; it
 * borrows the tree, which must not change during the walk except that the
 * current node's descendants may be changed before they are visited.
 */
#ifndef QUIRE_WALK_H
#define QUIRE_WALK_H

#include "model.h"

typedef enum { QEV_DONE = 0, QEV_ENTER, QEV_EXIT } qev;

typedef struct qiter {
	qnode *root;
	qnode *cur;
	qev ev;
	int depth;   /* depth of cur below root (root = 0) */
} qiter;

void qiter_init(qiter *it, qnode *root);
/* A walk over doc's whole tree that looks for nodes of `type` with
 * qiter_next_of: empty at once when doc never made one (qdoc_may_hold),
 * as most notes have no footnote, image or callout. */
void qiter_init_of(qiter *it, const qdoc *doc, qtype type);
qev qiter_next(qiter *it, qnode **node);
bool qiter_next_of(qiter *it, qnode **node, qtype type);
bool qiter_next_outline(qiter *it, qnode **node);
void qiter_skip(qiter *it);

#endif
