/* build.h - cmark's tree of the lifted notes into the study model
 * (notes-dialect.md, stage 2).
 *
 * The builder walks the top-level blocks in order, keeping a stack of
 * open sections and the open card: a question opens a card, its answer
 * collects blocks until the next question, section heading or separator.
 * Blocks below the top level are converted with cmark's iterator and an
 * explicit stack (nesting capped), never by recursion.
 *
 * Ownership: the document is the caller's; the cmark tree and the lift
 * are borrowed.
 */
#ifndef QUIRE_BUILD_H
#define QUIRE_BUILD_H

#include <cmark.h>

#include "../model/model.h"
#include "../util/diag.h"
#include "lift.h"

/* Build doc's tree from cmark's document node(s): one part, or the parts
 * of big notes in order (the state, open sections and card, carries from
 * one part to the next). qbuild_new() allocates, qbuild_finish() closes
 * the last card and frees the builder. */
typedef struct builder qbuilder;
typedef struct qbuild_opts {
	bool strict;      /* only headings make sections and cards; no labels */
	bool omit_html;   /* raw HTML as cmark's safe-mode placeholder */
	bool outline;     /* the notes are an outline: a top-level bullet with
	                   * nested content is a term card */
	bool no_cards;    /* --cards=none */
	bool tagged;      /* the notes tag their cards (#card): only those
	                   * bullets are cards, no outline terms */
} qbuild_opts;
qbuilder *qbuild_new(qdoc *doc, qdiags *d, const qbuild_opts *o);
/* mem: the allocator root was parsed with; the nodes the builder makes
 * in that tree use it too (cmark frees a subtree with its root's). */
void qbuild_part(qbuilder *b, cmark_node *root, const qlift *lift, cmark_mem *mem);
void qbuild_finish(qbuilder *b);
/* The sections open now, outermost first, with their levels (for
 * joining parts built apart). Returns how many (at most max). */
int qbuild_open_sections(const qbuilder *b, qnode **secs, int *levels, int max);

#endif
