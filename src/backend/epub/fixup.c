/* fixup.c - make rendered XHTML safe and valid inside the book.
 *
 * The shared renderer writes links as the notes give them, and HTML
 * blocks of the notes (already sanitized by the reader) as they are. In
 * a book that is not enough: a relative link points at a file the book
 * does not hold, a fragment may name an id that does not exist, an id in
 * an HTML block may repeat one of ours, an <img> needs an image in the
 * manifest, and an event handler or <script> would make the book
 * "scripted". So each rendered region is scanned once, tag by tag (text
 * has every '<' escaped, so each '<' starts markup):
 *
 *   <a href>     what the one URL policy allows (util/url.h), judged
 *                after the XML escapes are undone: http, https and mailto
 *                links are kept (bytes a URL may not hold are
 *                percent-encoded); "#anchor" of a section or question is
 *                kept and fixed up later to its chapter
 *                (qepub_fixup_local); "#fn-N" of a footnote is kept (the
 *                chapter holds the note); any other href is dropped, the
 *                link text stays.
 *   id="..."     dropped: the back end sets every id itself.
 *   on*="..."    dropped.
 *   <img>        kept when it shows an image of the book (images.c),
 *                else becomes <span class="img-alt">alt</span>.
 *   <script>, <style>   dropped with their content.
 *
 * The region is rewritten only when something changes.
 */
#include <stdlib.h>
#include <string.h>

#include "../../render/xhtml.h"
#include "../../util/strmap.h"
#include "../../util/url.h"
#include "epub.h"

typedef struct fix {
	const char *s;      /* the region, read in place: the scan only
	                     * appends to out, never to the scanned buffer */
	size_t n;
	size_t done;        /* s[0..done) is already in out */
	qbuf out;
	bool changed;
	const qepub_book *book;
	bool *has_local;
} fix;

static void emit_upto(fix *f, size_t i)
{
	if (i > f->done) {
		qbuf_put(&f->out, f->s + f->done, i - f->done);
		f->done = i;
	}
	f->changed = true;
}

static void skip_to(fix *f, size_t i)
{
	f->done = i;
	f->changed = true;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool name_is(const char *s, size_t n, const char *want)
{
	size_t w = strlen(want);
	if (n != w)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (c != want[i])
			return false;
	}
	return true;
}

static size_t find(const fix *f, size_t from, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = from; i + k <= f->n; i++)
		if (f->s[i] == needle[0] && memcmp(f->s + i, needle, k) == 0)
			return i;
	return f->n;
}

/* ---- URLs ------------------------------------------------------------ */

/* Undo the XML escapes the renderer put in an attribute value. */
static void xml_unescape(const char *s, size_t n, qbuf *out)
{
	static const struct { const char *ent; char c; } ents[] = {
		{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'},
		{"&quot;", '"'}, {"&apos;", '\''}, {"&#39;", '\''},
		{"&#9;", '\t'}, {"&#10;", '\n'}, {"&#13;", '\r'},
	};
	const size_t nents = sizeof ents / sizeof ents[0];
	for (size_t i = 0; i < n; i++) {
		size_t k = nents;
		if (s[i] == '&')
			for (k = 0; k < nents; k++) {
				size_t l = strlen(ents[k].ent);
				if (i + l <= n && memcmp(s + i, ents[k].ent, l) == 0) {
					qbuf_putc(out, ents[k].c);
					i += l - 1;
					break;
				}
			}
		if (k == nents)
			qbuf_putc(out, s[i]);
	}
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')
	       || (c >= 'A' && c <= 'F');
}

/* Percent-encode what RFC 3986 does not allow in a URL. */
static void url_encode(const char *u, size_t n, qbuf *out)
{
	static const char allowed[] = "-._~:/?#[]@!$&'()*+,;=";
	bool hash = false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)u[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
			  || (c >= '0' && c <= '9') || (c && strchr(allowed, c));
		if (c == '#')
			ok = !hash, hash = true;
		if (c == '[' || c == ']')
			ok = false;
		if (c == '%' && i + 2 < n && is_hex(u[i + 1]) && is_hex(u[i + 2]))
			ok = true;
		if (ok)
			qbuf_putc(out, c);
		else
			qbuf_printf(out, "%%%02X", c);
	}
}

/* "#fn-N" of a footnote of the notes. */
static bool is_note_ref(const qepub_book *book, const char *u, size_t n)
{
	if (n < 5 || memcmp(u, "#fn-", 4) != 0 || n > 12)
		return false;
	int k = 0;
	for (size_t i = 4; i < n; i++) {
		if (u[i] < '0' || u[i] > '9')
			return false;
		k = k * 10 + (u[i] - '0');
	}
	return qepub_note_get(book, k) != NULL;
}

/* The new href value (escaped for an attribute) in out; false: drop it. */
static bool rewrite_href(fix *f, const char *v, size_t vn, qbuf *out)
{
	qbuf url = QBUF_INIT;
	xml_unescape(v, vn, &url);
	const char *u = url.ptr ? url.ptr : "";
	size_t n = url.len;
	bool keep = false;
	switch (qurl_classify(u, n)) {
	case QURL_WEB: case QURL_MAIL: {
		qbuf enc = QBUF_INIT;
		url_encode(u, n, &enc);
		qx_attr(out, enc.ptr, enc.len);
		qbuf_free(&enc);
		keep = true;
		break;
	}
	case QURL_ANCHOR:
		if (is_note_ref(f->book, u, n)) {   /* in the same chapter */
			qx_attr(out, u, n);
			keep = true;
		} else if (qstrmap_get(&f->book->anchors, u + 1, n - 1)) {
			qx_attr(out, u, n);
			if (f->has_local)
				*f->has_local = true;
			keep = true;
		}
		break;
	default:
		break;
	}
	qbuf_free(&url);
	return keep;
}

/* ---- tags ------------------------------------------------------------ */

typedef struct attr {
	size_t start;        /* the space before the name */
	size_t name, name_len;
	size_t val, val_len; /* val_len 0 and val 0: no value */
	size_t end;          /* after the value */
} attr;

/* Parse the next attribute at i; false at the end of the tag (*i is then
 * just after '>'). */
static bool next_attr(const fix *f, size_t *i, attr *a)
{
	const char *s = f->s;
	size_t p = *i;
	a->start = p;
	while (p < f->n && (is_space(s[p]) || s[p] == '/'))
		p++;
	if (p >= f->n || s[p] == '>') {
		*i = p < f->n ? p + 1 : f->n;
		return false;
	}
	a->name = p;
	while (p < f->n && !is_space(s[p]) && s[p] != '=' && s[p] != '>'
	       && s[p] != '/')
		p++;
	a->name_len = p - a->name;
	a->val = a->val_len = 0;
	if (p < f->n && s[p] == '=') {
		p++;
		if (p < f->n && (s[p] == '"' || s[p] == '\'')) {
			char q = s[p++];
			const char *e = memchr(s + p, q, f->n - p);
			size_t end = e ? (size_t)(e - s) : f->n;
			a->val = p;
			a->val_len = end - p;
			p = end < f->n ? end + 1 : f->n;
		} else {
			a->val = p;
			while (p < f->n && !is_space(s[p]) && s[p] != '>')
				p++;
			a->val_len = p - a->val;
		}
	}
	a->end = p;
	*i = p;
	return true;
}

/* An <img>: kept when its src is an image of the book, else its alt
 * text as a span, or nothing. */
static size_t replace_img(fix *f, size_t lt, size_t i)
{
	attr a;
	size_t alt = 0, alt_len = 0;
	bool ours = false, other = false;   /* other: an attribute not ours */
	while (next_attr(f, &i, &a)) {
		if (name_is(f->s + a.name, a.name_len, "alt"))
			alt = a.val, alt_len = a.val_len;
		else if (name_is(f->s + a.name, a.name_len, "src"))
			ours = qepub_is_image(f->book, f->s + a.val, a.val_len);
		else if (!name_is(f->s + a.name, a.name_len, "title"))
			other = true;
	}
	if (ours && !other)
		return i;
	emit_upto(f, lt);
	if (alt_len) {
		qbuf_puts(&f->out, "<span class=\"img-alt\">");
		qbuf_put(&f->out, f->s + alt, alt_len);
		qbuf_puts(&f->out, "</span>");
	}
	skip_to(f, i);
	return i;
}

/* <script> or <style>: drop through its end tag. */
static size_t drop_element(fix *f, size_t lt, const char *close)
{
	size_t e = find(f, lt, close);
	const char *gt = e < f->n ? memchr(f->s + e, '>', f->n - e) : NULL;
	size_t end = gt ? (size_t)(gt - f->s) + 1 : f->n;
	emit_upto(f, lt);
	skip_to(f, end);
	return end;
}

static void fix_attr(fix *f, bool is_a, const attr *a)
{
	const char *nm = f->s + a->name;
	bool on = a->name_len > 2 && (nm[0] == 'o' || nm[0] == 'O')
		  && (nm[1] == 'n' || nm[1] == 'N');
	if (on || name_is(nm, a->name_len, "id")) {
		emit_upto(f, a->start);
		skip_to(f, a->end);
	} else if (is_a && name_is(nm, a->name_len, "href")) {
		qbuf v = QBUF_INIT;
		if (rewrite_href(f, f->s + a->val, a->val_len, &v)) {
			if (v.len != a->val_len
			    || memcmp(v.ptr, f->s + a->val, v.len) != 0) {
				emit_upto(f, a->val);
				qbuf_put(&f->out, v.ptr, v.len);
				skip_to(f, a->val + a->val_len);
			}
		} else {
			emit_upto(f, a->start);
			skip_to(f, a->end);
		}
		qbuf_free(&v);
	}
}

/* One piece of markup at lt; returns the index after it. */
static size_t fix_tag(fix *f, size_t lt)
{
	const char *s = f->s;
	size_t i = lt + 1;
	if (i < f->n && s[i] == '!' && i + 2 < f->n && s[i + 1] == '-'
	    && s[i + 2] == '-') {
		size_t e = find(f, i, "-->");
		return e < f->n ? e + 3 : f->n;
	}
	if (i < f->n && (s[i] == '/' || s[i] == '!' || s[i] == '?')) {
		const char *gt = memchr(s + i, '>', f->n - i);
		return gt ? (size_t)(gt - s) + 1 : f->n;
	}
	size_t name = i;
	while (i < f->n && !is_space(s[i]) && s[i] != '>' && s[i] != '/')
		i++;
	size_t nlen = i - name;
	if (name_is(s + name, nlen, "script"))
		return drop_element(f, lt, "</script");
	if (name_is(s + name, nlen, "style"))
		return drop_element(f, lt, "</style");
	if (name_is(s + name, nlen, "img"))
		return replace_img(f, lt, i);
	bool is_a = name_is(s + name, nlen, "a");
	attr a;
	while (next_attr(f, &i, &a))
		fix_attr(f, is_a, &a);
	return i;
}

void qepub_fixup(qbuf *b, size_t from, const qepub_book *book,
		 bool *has_local)
{
	if (from >= b->len)
		return;
	fix f = {.s = b->ptr + from, .n = b->len - from, .book = book,
		 .has_local = has_local};
	qbuf_init(&f.out);
	size_t i = 0;
	while (i < f.n) {
		const char *lt = memchr(f.s + i, '<', f.n - i);
		if (!lt)
			break;
		i = fix_tag(&f, (size_t)(lt - f.s));
	}
	if (f.changed) {
		emit_upto(&f, f.n);
		qbuf_truncate(b, from);
		qbuf_put(b, f.out.ptr, f.out.len);
	}
	qbuf_free(&f.out);
}

/* Chapter of an anchor's section or card, or -1. */
static int anchor_chapter(const qepub_book *book, const char *id, size_t n)
{
	const qnode *t = qstrmap_get(&book->anchors, id, n);
	if (!t)
		return -1;
	if (t->type == QN_SECTION)
		return book->sec_chap[t->u.section.index];
	if (t->type == QN_CARD)
		return book->card_chap[t->u.card.index];
	return -1;
}

void qepub_fixup_local(qepub_book *book, int chap)
{
	qbuf *b = &book->chaps[chap].xhtml;
	static const char pat[] = "href=\"#";
	const size_t k = sizeof pat - 1;
	qbuf out = QBUF_INIT;
	size_t done = 0, i = 0;
	while (i + k <= b->len) {
		const char *p = strstr(b->ptr + i, pat);
		if (!p)
			break;
		size_t v = (size_t)(p - b->ptr) + k;
		const char *q = memchr(b->ptr + v, '"', b->len - v);
		size_t e = q ? (size_t)(q - b->ptr) : b->len;
		int c = anchor_chapter(book, b->ptr + v, e - v);
		if (c >= 0 && c != chap) {
			qbuf_put(&out, b->ptr + done, v - 1 - done);
			qbuf_puts(&out, book->chaps[c].file);
			done = v - 1;
		}
		i = e;
	}
	if (done) {
		qbuf_put(&out, b->ptr + done, b->len - done);
		qbuf tmp = *b;
		*b = out;
		out = tmp;
	}
	qbuf_free(&out);
}
