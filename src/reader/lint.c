/* lint.c - what `quire --lint` reports beyond the reader's own findings:
 * exact repeats of a question, near-duplicates (the same question in
 * other words) and gaps in question numbering.
 */
#include <stdlib.h>
#include <string.h>

#include "../model/walk.h"
#include "../util/find.h"
#include "../util/strmap.h"
#include "classify.h"
#include "reader.h"

static void exact_repeats(const qdoc *doc, qdiags *d)
{
	for (int i = 0; i < doc->ncards; i++) {
		const qnode *c = doc->cards[i];
		if (c->u.card.first == c)
			continue;
		qdiag_add(d, QD_WARNING, c->line, 0, "repeat",
			  "the same question as line %d; the deck merges them into one note",
			  c->u.card.first->line);
	}
}

/* "Q72." -> prefix 'Q', number 72; false when unnumbered. */
static bool question_number(const char *full, char *prefix, long *num)
{
	const char *s = full;
	*prefix = 0;
	if (*s == 'Q' || *s == 'q')
		*prefix = *s++;
	long v = 0;
	int digits = 0;
	while (*s >= '0' && *s <= '9' && digits < 7) {
		v = v * 10 + (*s++ - '0');
		digits++;
	}
	if (!digits || digits > 6)
		return false;   /* not a question number (and no overflow) */
	*num = v;
	return *s == '.' || *s == ':' || *s == ')';
}

static void numbering_gaps(const qdoc *doc, qdiags *d)
{
	char prev_prefix = 0;
	long prev = -1;
	int prev_line = 0;
	for (int i = 0; i < doc->nquestions; i++) {
		char prefix;
		long num;
		if (!question_number(doc->questions[i].full, &prefix, &num)) {
			prev = -1;
			continue;
		}
		if (prev >= 0 && prefix == prev_prefix && num > prev + 1)
			qdiag_add(d, QD_WARNING, doc->questions[i].line, 0, "numbering-gap",
				  "numbering jumps from %s%ld (line %d) to %s%ld: %ld question%s missing?",
				  prev_prefix ? "Q" : "", prev, prev_line, prefix ? "Q" : "", num,
				  num - prev - 1, num - prev - 1 == 1 ? "" : "s");
		prev = num;
		prev_prefix = prefix;
		prev_line = doc->questions[i].line;
	}
}

/* ---------------------------------------------------- near-duplicates */

static const char *const stop[] = {
	"what", "is", "are", "the", "a", "an", "of", "in", "on", "to", "and",
	"or", "how", "why", "when", "which", "who", "do", "does", "you", "your",
	"explain", "describe", "define", "difference", "differences", "between",
	"vs", "versus", "with", "for", "it", "its", "can", "should", "python",
	"s", "use", "used", "using", "work", "works", "be", "by", "from", "as",
	"that", "this", "there", "way", "ways", "mean", "means", "role", NULL,
};

static bool is_stop(const char *w, size_t n)
{
	for (int i = 0; stop[i]; i++)
		if (strlen(stop[i]) == n && memcmp(stop[i], w, n) == 0)
			return true;
	return false;
}

typedef struct words {
	const char *w[24];
	size_t n[24];
	int count;
} words;

/* Content words of a key (keys are lower case, single-spaced). */
static void content_words(const char *key, words *out)
{
	out->count = 0;
	const char *p = key;
	while (*p && out->count < 24) {
		const char *e = strchr(p, ' ');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n > 1 && !is_stop(p, n)) {
			bool dup = false;
			for (int i = 0; i < out->count && !dup; i++)
				dup = out->n[i] == n && memcmp(out->w[i], p, n) == 0;
			if (!dup) {
				out->w[out->count] = p;
				out->n[out->count++] = n;
			}
		}
		p = e ? e + 1 : p + n;
	}
}

static double similarity(const words *a, const words *b)
{
	int common = 0;
	for (int i = 0; i < a->count; i++)
		for (int j = 0; j < b->count; j++)
			if (a->n[i] == b->n[j] && memcmp(a->w[i], b->w[j], a->n[i]) == 0) {
				common++;
				break;
			}
	int uni = a->count + b->count - common;
	return uni ? (double)common / uni : 0;
}

typedef struct posting {
	int *cards;
	int n, cap;
} posting;

static void near_duplicates(const qdoc *doc, qdiags *d)
{
	int nk = doc->ncards;
	words *w = calloc((size_t)nk + 1, sizeof *w);
	qstrmap index;
	qstrmap_init(&index);
	for (int i = 0; i < nk; i++) {
		const qnode *c = doc->cards[i];
		if (c->u.card.first != c)
			continue;
		content_words(c->u.card.key, &w[i]);
		for (int k = 0; k < w[i].count; k++) {
			posting *p = qstrmap_get(&index, w[i].w[k], w[i].n[k]);
			if (!p) {
				p = calloc(1, sizeof *p);
				qstrmap_put(&index, w[i].w[k], w[i].n[k], p);
			}
			if (p->n == p->cap) {
				p->cap = p->cap ? p->cap * 2 : 4;
				p->cards = realloc(p->cards, sizeof(int) * (size_t)p->cap);
			}
			p->cards[p->n++] = i;
		}
	}
	for (int i = 0; i < nk; i++) {
		if (w[i].count < 1 || doc->cards[i]->u.card.first != doc->cards[i])
			continue;
		/* candidates: earlier cards sharing the rarest word */
		posting *rare = NULL;
		for (int k = 0; k < w[i].count; k++) {
			posting *p = qstrmap_get(&index, w[i].w[k], w[i].n[k]);
			if (p && (!rare || p->n < rare->n))
				rare = p;
		}
		for (int k = 0; rare && k < rare->n && k < 400; k++) {
			int j = rare->cards[k];
			if (j >= i)
				break;
			if (w[j].count && similarity(&w[i], &w[j]) >= 0.6) {
				qdiag_add(d, QD_NOTE, doc->cards[i]->line, 0, "near-duplicate",
					  "may ask the same as line %d: \"%s\"", doc->cards[j]->line,
					  doc->cards[j]->u.card.plain);
				break;
			}
		}
	}
	for (size_t s = 0; s < index.cap; s++)
		if (index.slots[s].key) {
			posting *p = index.slots[s].val;
			free(p->cards);
			free(p);
		}
	qstrmap_free(&index);
	free(w);
}

/* Notes that gave no card: what in them looked like cards, and which
 * --cards value (or separator) would take it. */
static void no_cards(const qdoc *doc, qdiags *d)
{
	int topics = 0, terms = 0, seps = 0, unanswered = 0, first_line = 0;
	qiter it;
	qnode *n;
	qiter_init(&it, doc->root);
	while (qiter_next_of(&it, &n, QN_NONE)) {
		if (n->type == QN_SECTION && n->first && n->first->next && n->first->next->type != QN_SECTION) {
			topics++;
			first_line = first_line ? first_line : n->line;
		} else if (n->type == QN_ITEM && n->parent && n->parent->parent
			   && n->parent->parent->type != QN_ITEM && n->first && n->first->next) {
			terms++;
		} else if (n->type == QN_TEXT && qmemmem(n->text, n->len, "::", 2)) {
			seps++;
		}
	}
	for (int i = 0; i < doc->nquestions; i++)
		unanswered += !doc->questions[i].answered;
	qdiag_add(d, QD_NOTE, first_line, 0, "no-cards", "no cards were made from these notes");
	if (unanswered)
		qdiag_add(d, QD_NOTE, 0, 0, "no-cards",
			  "%d question%s without an answer (see the no-answer warnings)",
			  unanswered, unanswered == 1 ? " has no card: it is" : "s have no card: they are");
	if (topics)
		qdiag_add(d, QD_NOTE, first_line, 0, "no-cards",
			  "%d heading%s with text of %s own: --cards=headings makes a card of each",
			  topics, topics == 1 ? "" : "s", topics == 1 ? "its" : "their");
	if (terms)
		qdiag_add(d, QD_NOTE, 0, 0, "no-cards",
			  "%d bullet%s with nested text: --cards=outline makes a card of each",
			  terms, terms == 1 ? "" : "s");
	if (seps)
		qdiag_add(d, QD_NOTE, 0, 0, "no-cards",
			  "%d line%s with '::': tag the notes #flashcards (or give --card-separators) "
			  "to read them as front::back cards", seps, seps == 1 ? "" : "s");
}

void qlint(const qdoc *doc, qdiags *d)
{
	if (!doc->ncards)
		no_cards(doc, d);
	exact_repeats(doc, d);
	near_duplicates(doc, d);
	numbering_gaps(doc, d);
	int unanswered = 0;
	for (int i = 0; i < doc->nquestions; i++)
		unanswered += !doc->questions[i].answered;
	qdiag_add(d, QD_NOTE, 0, 0, "summary",
		  "%d question%s, %d card%s, %d distinct (notes in the deck), %d without answer, %d section%s",
		  doc->nquestions, doc->nquestions == 1 ? "" : "s", doc->ncards,
		  doc->ncards == 1 ? "" : "s", doc->nkeys, unanswered, doc->nsections,
		  doc->nsections == 1 ? "" : "s");
}
