/* check.c - qdoc_check(): the tree grammar of model.h, verified in one
 * walk (check.h says what is checked and where it runs). */
#include "check.h"

#include <stdarg.h>
#include <string.h>

#include "../util/strmap.h"
#include "walk.h"

typedef struct checker {
	const qdoc *doc;
	qbuf *why;
	int ncards, nsections, nkeys;   /* met so far in the walk */
	qstrmap anchors;                /* every anchor met, to find repeats */
} checker;

/* Describe the first violation, at node n (or the document). */
static bool fail(checker *k, const qnode *n, const char *fmt, ...)
{
	if (!k->why)
		return false;
	if (n)
		qbuf_printf(k->why, "line %d: %s: ", n->line, qtype_name(n->type));
	va_list ap;
	va_start(ap, fmt);
	qbuf_vprintf(k->why, fmt, ap);
	va_end(ap);
	return false;
}

static bool is_block(qtype t)
{
	switch (t) {
	case QN_PARAGRAPH: case QN_HEADING: case QN_LABEL: case QN_LIST:
	case QN_CODE: case QN_TABLE: case QN_QUOTE: case QN_RULE: case QN_HTML:
	case QN_MATH_BLOCK: case QN_CALLOUT: case QN_FOOTNOTE:
		return true;
	default:
		return false;
	}
}

/* Block containers below the document's structure: their nesting is
 * capped (model.h), so back ends may keep per-depth state in arrays. */
static bool holds_blocks(qtype t)
{
	return t == QN_LIST || t == QN_ITEM || t == QN_QUOTE || t == QN_CALLOUT
	       || t == QN_FOOTNOTE || t == QN_TABLE;
}

/* What may hold what, by the parent's type: "" when the child fits,
 * else what the parent holds (for the message). Positions (a title
 * first, a caption first, a question then an answer) are checked by
 * children_fit. */
static const char *holds(qtype parent, qtype child, bool first)
{
	switch (parent) {
	case QN_DOCUMENT:
		return is_block(child) || child == QN_CARD || child == QN_SECTION
		       ? "" : "blocks, cards and sections";
	case QN_SECTION:
		if (first)
			return child == QN_TITLE ? "" : "its title first";
		return is_block(child) || child == QN_CARD || child == QN_SECTION
		       ? "" : "one title, then blocks, cards and sections";
	case QN_CARD:
		return child == (first ? QN_QUESTION : QN_ANSWER)
		       ? "" : "a question, then an answer";
	case QN_ANSWER: case QN_ITEM: case QN_QUOTE: case QN_FOOTNOTE:
		return is_block(child) ? "" : "blocks";
	case QN_CALLOUT:
		return is_block(child) || (first && child == QN_CAPTION)
		       ? "" : "an optional caption, then blocks";
	case QN_LIST:
		return child == QN_ITEM ? "" : "items";
	case QN_TABLE:
		return child == QN_ROW || (first && child == QN_CAPTION)
		       ? "" : "an optional caption, then rows";
	case QN_ROW:
		return child == QN_CELL ? "" : "cells";
	default:   /* everything else holds inlines (QN_HTML among them:
		    * omitted raw HTML's placeholder, qread_opts.omit_html) */
		return qtype_is_inline(child) || child == QN_HTML ? "" : "inlines";
	}
}

/* n's children: links that agree, kinds that fit, counts that hold. */
static bool children_fit(checker *k, const qnode *n)
{
	if (n->first && n->first->prev)
		return fail(k, n, "its first child has a previous sibling");
	if (n->last && n->last->next)
		return fail(k, n, "its last child has a next sibling");
	if (!n->first != !n->last)
		return fail(k, n, "first and last child disagree");
	if (n->first && qtype_is_leaf(n->type))
		return fail(k, n, "a leaf with children");
	int count = 0;
	for (const qnode *c = n->first; c; c = c->next) {
		if (c->parent != n)
			return fail(k, c, "its parent link is not the node holding it");
		if (c->next && c->next->prev != c)
			return fail(k, c, "its next sibling's previous link is not it");
		if (!c->next && c != n->last)
			return fail(k, n, "its last child is not the end of its children");
		if (c->type <= QN_NONE || c->type >= QN__COUNT)
			return fail(k, c, "type %d is no node type", (int)c->type);
		const char *want = holds(n->type, c->type, c == n->first);
		if (*want)
			return fail(k, c, "in a %s, which holds %s", qtype_name(n->type), want);
		count++;
	}
	if (n->type == QN_CARD && count != 2)
		return fail(k, n, "%d children, not a question and an answer", count);
	if (n->type == QN_SECTION && !count)
		return fail(k, n, "no title");
	if (n->type == QN_ANSWER && !count)
		return fail(k, n, "empty (a question without answer is no card)");
	return true;
}

static bool leaf_fits(checker *k, const qnode *n)
{
	if (!n->text)
		return fail(k, n, "a leaf without text");
	if (n->text[n->len] != '\0')
		return fail(k, n, "its text does not end at len");
	if (n->type == QN_CODE && n->len && n->text[n->len - 1] != '\n')
		return fail(k, n, "code that does not end with a newline");
	return true;
}

static bool anchor_unique(checker *k, const qnode *n, const char *anchor, const char *prefix)
{
	if (!anchor || strncmp(anchor, prefix, 2) != 0)
		return fail(k, n, "anchor '%s' does not start with '%s'", anchor ? anchor : "(none)", prefix);
	size_t len = strlen(anchor);
	if (qstrmap_get(&k->anchors, anchor, len))
		return fail(k, n, "anchor '%s' is not unique", anchor);
	qstrmap_put(&k->anchors, anchor, len, (void *)anchor);
	return true;
}

static bool section_fits(checker *k, const qnode *n)
{
	const qsection_info *s = &n->u.section;
	const qdoc *doc = k->doc;
	if (s->level < 1)
		return fail(k, n, "level %d", s->level);
	if (n->parent->type == QN_SECTION && s->level <= n->parent->u.section.level)
		return fail(k, n, "level %d inside a section of level %d", s->level,
			    n->parent->u.section.level);
	if (s->heading < 0 || s->heading > 6 || (s->bare && s->heading))
		return fail(k, n, "heading level %d%s", s->heading, s->bare ? " for a bare title" : "");
	if (!s->plain || !s->name)
		return fail(k, n, "no plain title or name");
	if (k->nsections >= doc->nsections || doc->sections[k->nsections] != n)
		return fail(k, n, "not doc->sections[%d]", k->nsections);
	if (s->index != k->nsections++)
		return fail(k, n, "index %d, not its place %d", s->index, k->nsections - 1);
	return anchor_unique(k, n, s->anchor, "s-");
}

/* A card's answer blocks, its number and key, its first card of the
 * same key, the card it follows. */
static bool card_fits(checker *k, const qnode *n)
{
	const qcard_info *c = &n->u.card;
	const qdoc *doc = k->doc;
	if (!c->rule || !c->plain || !c->full || !c->key)
		return fail(k, n, "no rule, plain text, full text or key");
	if (c->heading < 0 || c->heading > 6)
		return fail(k, n, "heading level %d", c->heading);
	if (c->ntags < 0 || (c->ntags && !c->tags))
		return fail(k, n, "%d tags without a list", c->ntags);
	int blocks = 0;
	if (n->last)
		for (const qnode *b = n->last->first; b; b = b->next)
			blocks++;
	if (c->front_blocks < 0 || c->front_blocks > blocks)
		return fail(k, n, "%d front blocks in an answer of %d", c->front_blocks, blocks);
	if (k->ncards >= doc->ncards || doc->cards[k->ncards] != n)
		return fail(k, n, "not doc->cards[%d]", k->ncards);
	if (c->index != k->ncards++)
		return fail(k, n, "index %d, not its place %d", c->index, k->ncards - 1);
	const qnode *f = c->first;
	if (!f || f->type != QN_CARD || f->u.card.first != f || f->u.card.index > c->index
	    || (f->u.card.key && strcmp(f->u.card.key, c->key) != 0))
		return fail(k, n, "its first card of key '%s' is not an earlier card of that key", c->key);
	if ((f == n) != (c->repeat == 0))
		return fail(k, n, "repeat %d for a %s card of its key", c->repeat,
			    f == n ? "first" : "later");
	k->nkeys += f == n;
	const qnode *p = c->follows;
	if (p && (p->type != QN_CARD || p->u.card.index < 0 || p->u.card.index >= c->index
		  || p->u.card.index >= doc->ncards || doc->cards[p->u.card.index] != p))
		return fail(k, n, "follows no earlier card of the document");
	return anchor_unique(k, n, c->anchor, "q-");
}

static bool table_fits(checker *k, const qnode *n)
{
	const qtable_info *t = &n->u.table;
	if (t->ncols < 0 || (t->ncols && !t->align))
		return fail(k, n, "%d columns without alignments", t->ncols);
	return true;
}

/* What each kind of node carries beside its children. */
static bool node_fits(checker *k, const qnode *n)
{
	if (n->line < 0)
		return fail(k, n, "line %d", n->line);
	if (qtype_is_leaf(n->type) && !leaf_fits(k, n))
		return false;
	switch (n->type) {
	case QN_SECTION: return section_fits(k, n);
	case QN_CARD: return card_fits(k, n);
	case QN_TABLE: return table_fits(k, n);
	case QN_HEADING:
		return n->u.level >= 1 && n->u.level <= 6 ? true : fail(k, n, "level %d", n->u.level);
	case QN_LINK: case QN_IMAGE:
		return n->u.link.url && n->u.link.title ? true : fail(k, n, "no url or title");
	case QN_CLOZE:
		return n->u.cloze.number >= 1 ? true : fail(k, n, "cloze number %d", n->u.cloze.number);
	case QN_FOOTNOTE:
		return n->u.footnote.label && n->u.footnote.number >= 1
		       ? true : fail(k, n, "no label or number");
	case QN_CALLOUT:
		return n->u.callout.kind ? true : fail(k, n, "no kind");
	default:
		return true;
	}
}

/* The document's own fields and its lists' lengths, after the walk. */
static bool lists_agree(checker *k)
{
	const qdoc *doc = k->doc;
	if (k->ncards != doc->ncards)
		return fail(k, NULL, "doc->ncards is %d, the tree holds %d cards", doc->ncards, k->ncards);
	if (k->nsections != doc->nsections)
		return fail(k, NULL, "doc->nsections is %d, the tree holds %d sections",
			    doc->nsections, k->nsections);
	if (k->nkeys != doc->nkeys)
		return fail(k, NULL, "doc->nkeys is %d, the cards have %d keys", doc->nkeys, k->nkeys);
	if (doc->nquestions < 0 || (doc->nquestions && !doc->questions))
		return fail(k, NULL, "%d questions without a list", doc->nquestions);
	for (int i = 0; i < doc->nquestions; i++)
		if (!doc->questions[i].full)
			return fail(k, NULL, "question %d (line %d) has no text", i, doc->questions[i].line);
	return true;
}

bool qdoc_check(const qdoc *doc, qbuf *why)
{
	checker k = {.doc = doc, .why = why};
	const qnode *root = doc->root;
	if (!root || root->type != QN_DOCUMENT || root->parent || root->prev || root->next)
		return fail(&k, NULL, "the root is not a lone document node");
	if (!doc->title || !doc->subtitle || !doc->author || !doc->date || !doc->lang
	    || !doc->description || !doc->source || !doc->stem)
		return fail(&k, NULL, "a document field that is never NULL is NULL");
	qstrmap_init(&k.anchors);
	bool ok = true;
	qiter it;
	qnode *n;
	qiter_init(&it, (qnode *)root);
	int nesting = 0;   /* block containers open around the walk */
	while (ok && qiter_next(&it, &n) != QEV_DONE) {
		bool nests = holds_blocks(n->type);
		if (it.ev == QEV_EXIT) {
			nesting -= nests;
			continue;
		}
		ok = children_fit(&k, n) && node_fits(&k, n);
		if (ok && nests && ++nesting > QMODEL_MAX_DEPTH)
			ok = fail(&k, n, "blocks nested deeper than %d", QMODEL_MAX_DEPTH);
	}
	qstrmap_free(&k.anchors);
	return ok && lists_agree(&k);
}
