/* check.h - the tree grammar of model.h, checked.
 *
 * qdoc_check() walks a document once (with qiter, no recursion) and
 * verifies what back ends rely on: links that agree (parent, first,
 * last, prev, next), children of the kinds model.h allows where they
 * sit (a card holds one question then one answer, a section starts with
 * its title, a list holds items, a row cells, ...), sections nested by
 * level, cards and sections only in the document and in sections,
 * doc->cards and doc->sections the tree's cards and sections in order
 * with their index, key, first, repeat and anchor filled in, a
 * follow-up's card earlier in the document, blocks nested no deeper
 * than QMODEL_MAX_DEPTH, leaves' text NUL-terminated at len, and every
 * question of doc->questions with its text.
 *
 * It runs after every read in the fuzz target and, built with
 * -DQUIRE_CHECK_TREE (`make asan`), in the program; a violation there is
 * a reader bug, so the program aborts with the description.
 *
 * Ownership: the document is borrowed and not changed; the description
 * is appended to the caller's buffer.
 */
#ifndef QUIRE_CHECK_H
#define QUIRE_CHECK_H

#include <stdbool.h>

#include "../util/buf.h"
#include "model.h"

/* True when doc holds to the grammar. Otherwise false, and the first
 * violation ("line 12: card: ...") is appended to why (if not NULL). */
bool qdoc_check(const qdoc *doc, qbuf *why);

#endif
