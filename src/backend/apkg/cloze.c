/* cloze.c - cloze deletions as Anki cloze notes.
 *
 * The model marks a cloze deletion with QN_CLOZE (`{{c1::text::hint}}` in
 * the notes: cloze.number, cloze.hint, the text as children); with
 * k->highlight_clozes a highlight (QN_MARK, `==text==`) is one too, and
 * with k->note_clozes a highlight the reader marked a deletion of the
 * notes' flashcard settings (cloze.deletion, its hint in cloze.hint),
 * each numbered after the block's own clozes. One note is made per block that
 * holds them: the list item around the paragraph, else the paragraph
 * itself (or the heading, label, question or title; for a table cell or
 * caption, the table), when it shows something beside its deletions
 * (`- ==3==` alone would ask "[...]" with nothing to go on). A cloze
 * inside another one is only text of the outer one; a block inside
 * another (a nested list item) is a note of its own, and only text in
 * the outer one.
 *
 * The Text field is the block's HTML from the shared writer, made safe by
 * qapkg_put_field() (which defuses any "{{" of the notes), in which each
 * cloze, as the writer renders it (<span class="cloze">...</span>, or
 * <mark>...</mark>), is found in order and replaced by Anki's syntax.
 * Inside it, "::" and "}}" (and a ':' or '}' at its end) are written as
 * entities, so that nothing in the text can end the deletion early.
 */
#include <stdlib.h>
#include <string.h>

#include "../../model/walk.h"
#include "../../render/xhtml.h"
#include "apkg.h"

#define MAX_NUMBER 9999

static bool is_deletion(const qapkg *k, const qnode *n)
{
	return n->type == QN_CLOZE
	       || (n->type == QN_MARK && (k->highlight_clozes || (k->note_clozes && n->u.cloze.deletion)));
}

/* The block of a node inside inlines (see the top of the file). */
static const qnode *block_of(const qnode *n)
{
	const qnode *p = n->parent;
	while (p && qtype_is_inline(p->type))
		p = p->parent;
	if (!p)
		return NULL;
	if (p->type == QN_CELL && p->parent && p->parent->parent)
		return p->parent->parent;   /* cell, row, table */
	if (p->type == QN_CAPTION && p->parent)
		return p->parent;
	if (p->parent && p->parent->type == QN_ITEM)
		return p->parent;
	return p;
}

/* A deletion inside another deletion of the same block is only text. */
static bool outermost(const qapkg *k, const qnode *n, const qnode *block)
{
	for (const qnode *p = n->parent; p && p != block; p = p->parent)
		if (is_deletion(k, p))
			return false;
	return true;
}

/* Does the block show something beside its deletions (a word, a
 * number, a formula)? A block that is only its deletions (`- ==3==`,
 * the solution line of a question card) would ask "[...]" with nothing
 * to go on: it makes no note. */
static bool has_context(const qapkg *k, const qnode *block)
{
	qiter it;
	qnode *c;
	qiter_init(&it, (qnode *)block);   /* the walk only reads */
	while (qiter_next_of(&it, &c, QN_NONE)) {
		if (is_deletion(k, c)) {
			qiter_skip(&it);
			continue;
		}
		if (c->type == QN_MATH || c->type == QN_MATH_BLOCK || c->type == QN_IMAGE)
			return true;
		for (size_t i = 0; c->text && i < c->len; i++) {
			unsigned char b = (unsigned char)c->text[i];
			if (b >= 0x80 || (b >= '0' && b <= '9') || ((b | 0x20) >= 'a' && (b | 0x20) <= 'z'))
				return true;
		}
	}
	return false;
}

void qapkg_cloze_blocks(const qapkg *k, void (*fn)(void *ctx, const qnode *block), void *ctx)
{
	qstrmap seen;
	qstrmap_init(&seen);
	qiter it;
	qnode *n;
	qiter_init(&it, k->job->doc->root);
	while (qiter_next_of(&it, &n, QN_NONE)) {
		if (!is_deletion(k, n))
			continue;
		const qnode *b = block_of(n);
		if (!b || !outermost(k, n, b) || qstrmap_get(&seen, (const char *)&b, sizeof b))
			continue;
		qstrmap_put(&seen, (const char *)&b, sizeof b, (void *)b);
		if (has_context(k, b))
			fn(ctx, b);
	}
	qstrmap_free(&seen);
}

/* The deletions of a block, in order, and the number of each. */
typedef struct deletion {
	const qnode *n;
	int number;
} deletion;

static int deletions_of(const qapkg *k, const qnode *block, deletion **out)
{
	int n = 0, cap = 8, max = 0;
	deletion *v = qxmalloc(sizeof *v * (size_t)cap);
	qiter it;
	qnode *c;
	qiter_init(&it, (qnode *)block);   /* the walk only reads */
	while (qiter_next_of(&it, &c, QN_NONE)) {
		if (!is_deletion(k, c) || block_of(c) != block || !outermost(k, c, block))
			continue;
		if (n == cap) {
			cap *= 2;
			v = qxrealloc(v, sizeof *v * (size_t)cap);
		}
		int num = c->type == QN_CLOZE ? c->u.cloze.number : 0;
		num = num < 1 ? 1 : num > MAX_NUMBER ? MAX_NUMBER : num;
		if (c->type == QN_CLOZE && num > max)
			max = num;
		v[n++] = (deletion){c, c->type == QN_CLOZE ? num : 0};
	}
	for (int i = 0; i < n; i++)   /* highlights: after the block's clozes */
		if (v[i].number == 0)
			v[i].number = max < MAX_NUMBER ? ++max : MAX_NUMBER;
	*out = v;
	return n;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

int qapkg_cloze_numbers(const qapkg *k, const qnode *block, qarena *a, const int **out,
			qbuf *key)
{
	deletion *d;
	int n = deletions_of(k, block, &d);
	int *v = qarena_alloc(a, sizeof *v * (size_t)(n + 1));
	int m = 0;
	qbuf_puts(key, "cloze:");
	for (int i = 0; i < n; i++) {
		v[m++] = d[i].number;
		qbuf_printf(key, "%sc%d:", i ? "|" : "", d[i].number);
		qnode_plain(d[i].n, key);
	}
	qsort(v, (size_t)m, sizeof *v, cmp_int);
	int u = 0;
	for (int i = 0; i < m; i++)
		if (!u || v[u - 1] != v[i])
			v[u++] = v[i];
	free(d);
	*out = v;
	return u;
}

/* The HTML of a block, as the writer makes it. */
static void block_html(const qapkg *k, const qnode *b, qbuf *out)
{
	switch (b->type) {
	case QN_ITEM:
		qx_blocks(out, b, &k->xopts);
		break;
	case QN_PARAGRAPH:
	case QN_TABLE:
	case QN_CALLOUT:
	case QN_HEADING:
	case QN_LABEL:
		qx_block(out, b, &k->xopts);
		break;
	default:   /* a question, a title: inlines */
		qbuf_puts(out, "<p>");
		qx_inlines(out, b, &k->xopts);
		qbuf_puts(out, "</p>");
		break;
	}
}

/* s[0..n) with what could end a deletion written as entities. */
static void put_inside(qbuf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool pair = i + 1 < n && s[i + 1] == s[i];
		if (s[i] == ':' && (pair || i + 1 == n)) {
			qbuf_puts(out, pair ? ":&#58;" : "&#58;");
			i += pair;
		} else if (s[i] == '}' && (pair || i + 1 == n)) {
			qbuf_puts(out, pair ? "}&#125;" : "&#125;");
			i += pair;
		} else {
			qbuf_putc(out, s[i]);
		}
	}
}

/* The first occurrence of w (m bytes) in s[from..n), or (size_t)-1. */
static size_t find_from(const char *s, size_t n, size_t from, const char *w, size_t m)
{
	for (size_t i = from; i + m <= n; i++) {
		const char *c = memchr(s + i, w[0], n - m + 1 - i);
		if (!c)
			break;
		i = (size_t)(c - s);
		if (memcmp(c, w, m) == 0)
			return i;
	}
	return (size_t)-1;
}

bool qapkg_cloze_text(const qapkg *k, const qnode *block, qbuf *out)
{
	qbuf raw = QBUF_INIT, html = QBUF_INIT, inner = QBUF_INIT, needle = QBUF_INIT;
	deletion *d;
	int nd = deletions_of(k, block, &d);
	block_html(k, block, &raw);
	qapkg_put_field(&html, raw.ptr, raw.len);
	size_t start = out->len, from = 0;
	bool ok = nd > 0;
	for (int i = 0; ok && i < nd; i++) {
		const qnode *c = d[i].n;
		bool mark = c->type == QN_MARK;
		qbuf_reset(&raw);
		qbuf_reset(&inner);
		qx_inlines(&raw, c, &k->xopts);
		qapkg_put_field(&inner, raw.ptr, raw.len);
		qbuf_reset(&needle);
		qbuf_puts(&needle, mark ? "<mark>" : "<span class=\"cloze\">");
		qbuf_put(&needle, inner.ptr, inner.len);
		qbuf_puts(&needle, mark ? "</mark>" : "</span>");
		size_t at = find_from(html.ptr, html.len, from, needle.ptr, needle.len);
		if (at == (size_t)-1) {
			ok = false;
			break;
		}
		qbuf_put(out, html.ptr + from, at - from);
		qbuf_printf(out, "{{c%d::", d[i].number);
		put_inside(out, inner.ptr, inner.len);
		const char *hint = c->u.cloze.hint;   /* a deletion's, as a cloze's */
		if (hint && *hint) {
			qbuf_puts(out, "::");
			qbuf_reset(&raw);
			qx_text(&raw, hint, strlen(hint));
			qbuf_reset(&inner);
			qapkg_put_field(&inner, raw.ptr, raw.len);
			put_inside(out, inner.ptr, inner.len);
		}
		qbuf_puts(out, "}}");
		from = at + needle.len;
	}
	if (ok)
		qbuf_put(out, html.ptr + from, html.len - from);
	else
		qbuf_truncate(out, start);
	free(d);
	qbuf_free(&raw);
	qbuf_free(&html);
	qbuf_free(&inner);
	qbuf_free(&needle);
	return ok;
}
