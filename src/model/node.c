/* node.c - creating, linking and indexing the nodes of the study model. */
#include "model.h"

#include <assert.h>
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../util/hash.h"
#include "../util/strmap.h"
#include "../util/texplain.h"
#include "../util/utf8.h"
#include "walk.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define NODE_POISON 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/asan_interface.h>
#define NODE_POISON 1
#endif
#endif

static const char *const type_names[QN__COUNT] = {
	[QN_NONE] = "none",           [QN_DOCUMENT] = "document",
	[QN_SECTION] = "section",     [QN_TITLE] = "title",
	[QN_CARD] = "card",           [QN_QUESTION] = "question",
	[QN_ANSWER] = "answer",       [QN_PARAGRAPH] = "paragraph",
	[QN_HEADING] = "heading",     [QN_LABEL] = "label",
	[QN_LIST] = "list",           [QN_ITEM] = "item",
	[QN_CODE] = "code",           [QN_TABLE] = "table",
	[QN_CAPTION] = "caption",     [QN_ROW] = "row",
	[QN_CELL] = "cell",           [QN_QUOTE] = "quote",
	[QN_RULE] = "rule",           [QN_HTML] = "html",
	[QN_TEXT] = "text",           [QN_CODE_SPAN] = "code_span",
	[QN_EMPH] = "emph",           [QN_STRONG] = "strong",
	[QN_LINK] = "link",           [QN_IMAGE] = "image",
	[QN_SOFTBREAK] = "softbreak", [QN_LINEBREAK] = "linebreak",
	[QN_MATH_BLOCK] = "math_block", [QN_CALLOUT] = "callout",
	[QN_FOOTNOTE] = "footnote",   [QN_SUB] = "sub",
	[QN_SUP] = "sup",             [QN_STRIKE] = "strike",
	[QN_MARK] = "mark",           [QN_CLOZE] = "cloze",
	[QN_MATH] = "math",           [QN_FOOTREF] = "footref",
};

const char *qtype_name(qtype t)
{
	return (t > QN_NONE && t < QN__COUNT) ? type_names[t] : "none";
}

bool qtype_is_inline(qtype t)
{
	return t >= QN_TEXT && t < QN__COUNT;
}

qdoc *qdoc_new(void)
{
	qarena a;
	qarena_init(&a);
	qdoc *doc = qarena_alloc(&a, sizeof *doc);
	doc->arena = a;
	doc->root = qnode_new(doc, QN_DOCUMENT, 1);
	doc->title = "";
	doc->author = "";
	doc->subtitle = "";
	doc->date = "";
	doc->description = "";
	doc->lang = "en";
	doc->source = "";
	doc->stem = "notes";
	return doc;
}

void qdoc_free(qdoc *doc)
{
	if (!doc)
		return;
	qarena a = doc->arena;   /* doc itself lives in its arena */
	qarena_free(&a);
}

/* The room of the info of every type but a card's and a section's. */
#define SMALL_INFO sizeof(union { qcode_info code; qlist_info list; qtable_info table; \
	qlink_info link; qcloze_info cloze; qfootnote_info footnote; qcallout_info callout; int level; })
static_assert(QN__COUNT <= 64, "qdoc.made has a bit per type");
static_assert(sizeof(qcard_info) >= sizeof(qsection_info) && sizeof(qcard_info) >= SMALL_INFO
	      && sizeof(qnode) == offsetof(qnode, u) + sizeof(qcard_info),
	      "a card's info is the largest member of qnode.u");

/* The bytes a node of type t takes: its links and text, and the info of
 * its own type only. Most nodes are text and inlines with little info or
 * none; a whole-size node for each made the model of large notes twice as
 * large, and every walk over it twice as slow. */
static size_t node_size(qtype t)
{
	if (t == QN_CARD)
		return sizeof(qnode);
	if (t == QN_SECTION)
		return offsetof(qnode, u) + sizeof(qsection_info);
	return offsetof(qnode, u) + SMALL_INFO;
}

qnode *qnode_new(qdoc *doc, qtype type, int line)
{
	size_t size = node_size(type);
#ifdef NODE_POISON   /* reading info a node has no room for is an error */
	qnode *n = qarena_alloc(&doc->arena, sizeof *n);
	ASAN_POISON_MEMORY_REGION((char *)n + size, sizeof *n - size);
#else
	qnode *n = qarena_alloc(&doc->arena, size);
#endif
	n->type = type;
	doc->made |= (uint64_t)1 << type;
	n->line = line;
	n->text = "";
	return n;
}

void qnode_set_type(qdoc *doc, qnode *n, qtype type)
{
	assert(node_size(type) <= node_size(n->type));
	n->type = type;
	doc->made |= (uint64_t)1 << type;
}

void qdoc_adopt(qdoc *dst, qdoc *src)
{
	dst->made |= src->made;
	qarena a = src->arena;   /* src lives in its own arena: copy it out first */
	qarena_adopt(&dst->arena, &a);
}

bool qdoc_may_hold(const qdoc *doc, qtype t)
{
	return doc->made >> t & 1;
}

const char *qdoc_strdup(qdoc *doc, const char *s, size_t n)
{
	return qarena_strndup(&doc->arena, s, n);
}

qnode *qnode_new_text(qdoc *doc, qtype type, int line, const char *s,
		      size_t n)
{
	qnode *node = qnode_new(doc, type, line);
	node->text = qdoc_strdup(doc, s, n);
	node->len = n;
	return node;
}

void qnode_append(qnode *parent, qnode *child)
{
	child->parent = parent;
	child->next = NULL;
	child->prev = parent->last;
	if (parent->last)
		parent->last->next = child;
	else
		parent->first = child;
	parent->last = child;
}

void qnode_insert_before(qnode *at, qnode *child)
{
	assert(at->parent);   /* the parent's first child may change */
	child->parent = at->parent;
	child->next = at;
	child->prev = at->prev;
	if (at->prev)
		at->prev->next = child;
	else
		at->parent->first = child;
	at->prev = child;
}

/* A card's front blocks lead its answer: one of them taken out leaves
 * one fewer (the count never reaches past the answer's blocks). */
static void drop_front_block(qnode *answer, const qnode *node)
{
	qnode *card = answer->parent;
	if (!card || card->type != QN_CARD || card->u.card.front_blocks <= 0)
		return;
	int k = 0;
	for (const qnode *c = answer->first; c != node && k < card->u.card.front_blocks; c = c->next)
		k++;
	if (k < card->u.card.front_blocks)
		card->u.card.front_blocks--;
}

void qnode_unlink(qnode *node)
{
	qnode *p = node->parent;
	if (p && p->type == QN_ANSWER)
		drop_front_block(p, node);
	if (node->prev)
		node->prev->next = node->next;
	else if (p)
		p->first = node->next;
	if (node->next)
		node->next->prev = node->prev;
	else if (p)
		p->last = node->prev;
	node->parent = node->prev = node->next = NULL;
}

void qnode_append_children(qnode *to, qnode *from)
{
	while (from->first) {
		qnode *c = from->first;
		qnode_unlink(c);
		qnode_append(to, c);
	}
}

void qnode_insert_children_before(qnode *at, qnode *from)
{
	while (from->first) {
		qnode *c = from->first;
		qnode_unlink(c);
		qnode_insert_before(at, c);
	}
}

qnode *qnode_section(const qnode *n)
{
	for (qnode *p = n ? n->parent : NULL; p; p = p->parent)
		if (p->type == QN_SECTION)
			return p;
	return NULL;
}

const char *qnode_file(const qnode *n)
{
	for (const qnode *p = n; p; p = p->parent)
		if (p->type == QN_SECTION && p->u.section.file)
			return p->u.section.file;
	return NULL;
}

/* The plain text of n's inlines; formulas as text when shown. */
static void plain_text(const qnode *n, bool shown, qbuf *out)
{
	qiter it;
	qnode *cur;
	qiter_init(&it, (qnode *)n);
	while (qiter_next_of(&it, &cur, QN_NONE)) {
		if (cur->type == QN_SOFTBREAK || cur->type == QN_LINEBREAK)
			qbuf_putc(out, ' ');
		else if (shown && (cur->type == QN_MATH || cur->type == QN_MATH_BLOCK))
			qtex_plain(cur->text, cur->len, out);
		else if (cur->type == QN_TEXT || cur->type == QN_CODE_SPAN
			 || cur->type == QN_CODE || cur->type == QN_MATH
			 || cur->type == QN_MATH_BLOCK)
			qbuf_put(out, cur->text, cur->len);
	}
}

void qnode_plain(const qnode *n, qbuf *out)
{
	plain_text(n, false, out);
}

void qnode_plain_shown(const qnode *n, qbuf *out)
{
	plain_text(n, true, out);
}

static void section_path(const qnode *n, const char *sep, bool shown, qbuf *out)
{
	const qnode *chain[QMODEL_MAX_DEPTH + 8];
	int depth = 0;
	const qnode *s = n->type == QN_SECTION ? n : qnode_section(n);
	for (; s && depth < (int)(sizeof chain / sizeof chain[0]);
	     s = qnode_section(s))
		chain[depth++] = s;
	assert(!s);   /* sections nest no deeper than the chain holds */
	for (int i = depth - 1; i >= 0; i--) {
		qbuf_puts(out, shown ? qsection_shown_name(chain[i]) : chain[i]->u.section.name);
		if (i)
			qbuf_puts(out, sep);
	}
}

void qnode_section_path(const qnode *n, const char *sep, qbuf *out)
{
	section_path(n, sep, false, out);
}

void qnode_section_path_shown(const qnode *n, const char *sep, qbuf *out)
{
	section_path(n, sep, true, out);
}

/* Length of a leading question number: "12.", "Q12.", "Q12:", "12)". */
static size_t number_prefix(const char *s, size_t n)
{
	size_t i = 0;
	if (i < n && s[i] == 'Q')
		i++;
	size_t d = i;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == d || i >= n || (s[i] != '.' && s[i] != ':' && s[i] != ')'))
		return 0;
	i++;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

void qcard_key(const char *q, size_t n, qbuf *out)
{
	while (n && (*q == ' ' || *q == '\t')) {
		q++;
		n--;
	}
	size_t skip = number_prefix(q, n);
	const unsigned char *s = (const unsigned char *)q + skip;
	size_t len = n - skip, i = 0;
	bool space = true;   /* drop leading spaces */
	size_t start = out->len;
	while (i < len) {
		unsigned char c = s[i];
		if (c < 0x80) {   /* ASCII: no decoding */
			i++;
			if (c == '\\' && i < len && ispunct(s[i]))
				continue;   /* a CommonMark escape: `\_` is `_` */
			bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
			if (c >= 'A' && c <= 'Z') {
				c += 32;
				word = true;
			}
			if (word) {
				qbuf_putc(out, c);
				space = false;
			} else if (!space) {
				qbuf_putc(out, ' ');
				space = true;
			}
			continue;
		}
		size_t l;
		int32_t cp = qutf8_decode(s + i, len - i, &l);
		i += l;
		if (qutf8_is_wordchar(cp)) {
			qbuf_put_utf8(out, (unsigned)qutf8_lower(cp));
			space = false;
		} else if (!space) {
			qbuf_putc(out, ' ');
			space = true;
		}
	}
	if (out->len > start && out->ptr[out->len - 1] == ' ')
		qbuf_truncate(out, out->len - 1);
}

/* An ASCII slug of s: lower-case letters and digits joined by '-'. */
static void slug(const char *s, size_t max, qbuf *out)
{
	bool dash = false;
	size_t start = out->len;
	for (; *s && out->len - start < max; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && out->len > start)
				qbuf_putc(out, '-');
			qbuf_putc(out, c);
			dash = false;
		} else if (c >= 'A' && c <= 'Z') {
			if (dash && out->len > start)
				qbuf_putc(out, '-');
			qbuf_putc(out, c + 32);
			dash = false;
		} else {
			dash = true;
		}
	}
}

/* Make `base` unique among the anchors seen so far; returns arena copy.
 * `next` remembers, per base, the next suffix to try, so a base used
 * many times costs one probe per use. */
static const char *unique_anchor(qdoc *doc, qstrmap *seen, qstrmap *next,
				 qbuf *base)
{
	size_t baselen = base->len;
	if (qstrmap_get(seen, base->ptr, base->len)) {
		const char *key = qdoc_strdup(doc, base->ptr, baselen);
		uintptr_t k = (uintptr_t)qstrmap_get(next, key, baselen);
		if (k < 2)
			k = 2;
		do {
			char num[24];
			int d = 0;
			for (uintptr_t v = k++; v; v /= 10)
				num[d++] = (char)('0' + v % 10);
			qbuf_truncate(base, baselen);
			qbuf_putc(base, '-');
			while (d)
				qbuf_putc(base, num[--d]);
		} while (qstrmap_get(seen, base->ptr, base->len));
		qstrmap_put(next, key, baselen, (void *)k);
	}
	const char *a = qdoc_strdup(doc, base->ptr, base->len);
	qstrmap_put(seen, a, base->len, (void *)a);
	return a;
}

/* Does n hold a formula? */
static bool has_math(const qnode *n)
{
	qiter it;
	qnode *cur;
	qiter_init(&it, (qnode *)n);
	while (qiter_next_of(&it, &cur, QN_NONE))
		if (cur->type == QN_MATH || cur->type == QN_MATH_BLOCK)
			return true;
	return false;
}

static bool same(const char *s, size_t n, const char *t)
{
	return strlen(t) == n && memcmp(s, t, n) == 0;
}

/* s[0..*n) without the blanks around it (as the reader trims a title). */
static const char *trim_blanks(const char *s, size_t *n)
{
	while (*n && (*s == ' ' || *s == '\t')) {
		s++;
		(*n)--;
	}
	while (*n && (s[*n - 1] == ' ' || s[*n - 1] == '\t'))
		(*n)--;
	return s;
}

/* n's text as shown (formulas as text), when n's plain text is the
 * reader's `plain`, as made or with its blanks trimmed (as the reader
 * trims it); plain itself otherwise (no formula, or a text the reader
 * made another way). */
static const char *shown_of(qdoc *doc, const qnode *n, const char *plain, qbuf *tmp)
{
	if (!n || !plain || !has_math(n))
		return plain;
	qbuf_reset(tmp);
	plain_text(n, false, tmp);
	const char *s = tmp->ptr ? tmp->ptr : "";
	size_t len = tmp->len;
	bool trim = !same(s, len, plain);
	if (trim) {
		s = trim_blanks(s, &len);
		if (!same(s, len, plain))
			return plain;
	}
	qbuf_reset(tmp);
	plain_text(n, true, tmp);
	s = tmp->ptr ? tmp->ptr : "";
	len = tmp->len;
	if (trim)
		s = trim_blanks(s, &len);
	return qdoc_strdup(doc, s, len);
}

/* Does the section path of s show anything other than its names? */
static bool path_has_math(const qnode *s)
{
	for (; s; s = qnode_section(s))
		if (qsection_shown_name(s) != s->u.section.name)
			return true;
	return false;
}

/* A card whose question the reader wrote as text from its section (a
 * topic card: the section's title, or its path and a head's words; a
 * lead card: the document's title) shows that title or path as shown. */
static const char *card_shown_from_section(qdoc *doc, const qnode *card, qbuf *tmp)
{
	const char *plain = card->u.card.plain;
	const qnode *sec = qnode_section(card);
	if (doc->title_shown != doc->title && !strcmp(plain, doc->title))
		return doc->title_shown;
	if (!sec || !path_has_math(sec))
		return plain;
	if (!strcmp(plain, sec->u.section.plain))
		return qsection_shown(sec);
	static const char sep[] = " \xE2\x80\xBA ";   /* › */
	qbuf_reset(tmp);
	qnode_section_path(sec, sep, tmp);
	size_t n = tmp->len;
	if (strncmp(plain, tmp->ptr, n) != 0 || strncmp(plain + n, sep, strlen(sep)) != 0)
		return plain;
	qbuf_reset(tmp);
	qnode_section_path_shown(sec, sep, tmp);
	qbuf_puts(tmp, plain + n);
	return qdoc_strdup(doc, tmp->ptr, tmp->len);
}

/* A section's title and a card's question as shown. */
static void set_shown(qdoc *doc, qnode *n, qbuf *tmp)
{
	const qnode *part = n->first;
	if (n->type == QN_SECTION) {
		qsection_info *s = &n->u.section;
		s->shown = shown_of(doc, part && part->type == QN_TITLE ? part : NULL, s->plain, tmp);
		s->shown_name = s->name;
		if (s->shown == s->plain || !s->name)
			return;
		/* name is plain after its decorations: the same bytes begin
		 * shown (they are no formula) */
		uintptr_t p = (uintptr_t)s->plain, m = (uintptr_t)s->name;
		size_t dec = (size_t)(m - p);
		if (m >= p && dec <= strlen(s->plain) && strlen(s->shown) >= dec
		    && memcmp(s->shown, s->plain, dec) == 0)
			s->shown_name = s->shown + dec;
	} else if (n->u.card.plain) {
		qcard_info *c = &n->u.card;
		c->shown = shown_of(doc, part && part->type == QN_QUESTION ? part : NULL, c->plain, tmp);
		if (c->shown == c->plain)
			c->shown = card_shown_from_section(doc, n, tmp);
	}
}

static void index_section(qdoc *doc, qnode *n, qstrmap *anchors, qstrmap *next,
			  qbuf *tmp)
{
	set_shown(doc, n, tmp);
	n->u.section.index = doc->nsections++;
	qbuf_reset(tmp);
	qbuf_puts(tmp, "s-");
	slug(n->u.section.name ? n->u.section.name : "", 40, tmp);
	if (tmp->len == 2)
		qbuf_printf(tmp, "%d", n->u.section.index + 1);
	n->u.section.anchor = unique_anchor(doc, anchors, next, tmp);
}

static void index_card(qdoc *doc, qnode *n, qstrmap *anchors, qstrmap *next,
		       qstrmap *keys, qbuf *tmp)
{
	qcard_info *c = &n->u.card;
	set_shown(doc, n, tmp);
	c->index = doc->ncards++;
	const char *key = c->key ? c->key : "";
	size_t klen = strlen(key);
	qnode *first = qstrmap_get(keys, key, klen);
	qbuf_reset(tmp);
	if (first) {   /* a repeat: its first card's anchor, numbered */
		c->first = first;
		int k = ++first->u.card.repeat + 1;
		qbuf_puts(tmp, first->u.card.anchor);
		qbuf_putc(tmp, '-');
		char num[16];
		int d = 0;
		for (; k; k /= 10)
			num[d++] = (char)('0' + k % 10);
		while (d)
			qbuf_putc(tmp, num[--d]);
	} else {
		c->first = n;
		qstrmap_put(keys, key, klen, n);
		doc->nkeys++;
		static const char hex[] = "0123456789abcdef";
		uint64_t h = qfnv1a64(key, klen) >> 24;
		char a[12] = "q-";
		for (int k = 0; k < 10; k++)
			a[2 + k] = hex[(h >> (4 * (9 - k))) & 15];
		qbuf_put(tmp, a, 12);
	}
	c->anchor = unique_anchor(doc, anchors, next, tmp);
}

/* Second pass: number the repeats of each key 1, 2, ... in order. */
static void number_repeats(qdoc *doc)
{
	for (int i = 0; i < doc->ncards; i++)
		doc->cards[i]->u.card.repeat = 0;
	for (int i = 0; i < doc->ncards; i++) {
		qnode *c = doc->cards[i];
		qnode *f = c->u.card.first;
		if (f != c)
			c->u.card.repeat = ++f->u.card.repeat;
	}
	for (int i = 0; i < doc->ncards; i++)
		if (doc->cards[i]->u.card.first == doc->cards[i])
			doc->cards[i]->u.card.repeat = 0;
}

/* (*v)[i] = n in an array of the arena with room for *cap, doubled
 * (copied to a new one) when i reaches it. */
static void put_node(qarena *a, qnode ***v, size_t *cap, int i, qnode *n)
{
	if ((size_t)i == *cap) {
		qnode **w = qarena_alloc(a, 2 * *cap * sizeof *w);
		memcpy(w, *v, *cap * sizeof *w);
		*v = w;
		*cap *= 2;
	}
	(*v)[i] = n;
}

void qdoc_index(qdoc *doc)
{
	qstrmap anchors, keys, next;
	qstrmap_init(&anchors);
	qstrmap_init(&keys);
	qstrmap_init(&next);
	/* the reader has counted the questions: room for their anchors and
	 * keys, and about one section for every ten of them */
	size_t guess = (size_t)(doc->nquestions > 0 ? doc->nquestions : 0);
	qstrmap_reserve(&anchors, guess + guess / 8);
	qstrmap_reserve(&keys, guess);
	qbuf tmp = QBUF_INIT;
	size_t cap_c = 64, cap_s = 16;
	doc->cards = qarena_alloc(&doc->arena, cap_c * sizeof *doc->cards);
	doc->sections = qarena_alloc(&doc->arena, cap_s * sizeof *doc->sections);
	doc->ncards = doc->nsections = doc->nkeys = 0;
	qiter it;
	qnode *n;
	doc->title_shown = shown_of(doc, doc->title_node, doc->title, &tmp);
	doc->title_of = doc->title;
	qiter_init(&it, doc->root);
	while (qiter_next_outline(&it, &n)) {
		if (n->type == QN_SECTION) {
			put_node(&doc->arena, &doc->sections, &cap_s, doc->nsections, n);
			index_section(doc, n, &anchors, &next, &tmp);
		} else if (n->type == QN_CARD) {
			put_node(&doc->arena, &doc->cards, &cap_c, doc->ncards, n);
			index_card(doc, n, &anchors, &next, &keys, &tmp);
		}
	}
	number_repeats(doc);
	qbuf_free(&tmp);
	qstrmap_free(&anchors);
	qstrmap_free(&keys);
	qstrmap_free(&next);
}

qcounts qdoc_counts(const qdoc *doc)
{
	return (qcounts){doc->ncards, doc->nsections};
}
