/* buf.c - growable byte buffer (see buf.h). */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "pages.h"
#include "utf8.h"

static char empty_[1];

void qbuf_init(qbuf *b)
{
	b->ptr = empty_;
	b->len = b->cap = 0;
}

/* Does the buffer live in a block of util/pages.h (huge pages: an output
 * is not written one page fault per 4 KB), not in malloc's memory? */
static bool is_mapped(const qbuf *b)
{
	return b->cap && qpages_is_block(b->ptr, b->cap);
}

void qbuf_free(qbuf *b)
{
	qpages_free_grown(b->ptr, b->cap);
	qbuf_init(b);
}

void qbuf_reset(qbuf *b)
{
	b->len = 0;
	if (b->cap)
		b->ptr[0] = '\0';
}

void qbuf_grow(qbuf *b, size_t extra)
{
	if (extra >= (size_t)-1 / 2 - b->len)
		qoom();   /* no memory holds it */
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap += cap / 2 + 64;
	if (qpages_grows_in_block(cap))
		cap = qpages_size(cap);   /* the whole block */
	char *p = qpages_grow(b->ptr, b->cap, cap);   /* a zeroed qbuf: cap 0 */
	if (!b->cap)
		p[0] = '\0';
	b->ptr = p;
	b->cap = cap;
}

void qbuf_put_slow(qbuf *b, const void *p, size_t n)
{
	if (!n)
		return;
	qbuf_grow(b, n);
	memcpy(b->ptr + b->len, p, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}

void qbuf_puts(qbuf *b, const char *s)
{
	qbuf_put(b, s, strlen(s));
}

void qbuf_putc_slow(qbuf *b, int c)
{
	qbuf_grow(b, 1);
	b->ptr[b->len++] = (char)c;
	b->ptr[b->len] = '\0';
}

void qbuf_vprintf(qbuf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	char small[256];
	int n = vsnprintf(small, sizeof small, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		qoom();   /* vsnprintf fails only for a result over INT_MAX bytes */
	if ((size_t)n < sizeof small) {
		qbuf_put(b, small, (size_t)n);
		return;
	}
	qbuf_grow(b, (size_t)n);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void qbuf_printf(qbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	qbuf_vprintf(b, fmt, ap);
	va_end(ap);
}

void qbuf_put_int(qbuf *b, long v)
{
	char tmp[24];
	int n = 0;
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		tmp[n++] = '-';
	qbuf_grow(b, (size_t)n);
	while (n)
		b->ptr[b->len++] = tmp[--n];
	b->ptr[b->len] = '\0';
}

void qbuf_put_utf8(qbuf *b, unsigned cp)
{
	char s[4];
	size_t n;
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		s[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		s[0] = (char)(0xC0 | (cp >> 6));
		s[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		s[0] = (char)(0xE0 | (cp >> 12));
		s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		s[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		s[0] = (char)(0xF0 | (cp >> 18));
		s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		s[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	qbuf_put(b, s, n);
}

void qbuf_truncate(qbuf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->ptr[len] = '\0';
	}
}

char *qbuf_detach(qbuf *b, size_t *len)
{
	char *p;
	if (is_mapped(b)) {   /* the caller frees with free() */
		p = qxmalloc(b->len + 1);
		memcpy(p, b->ptr, b->len + 1);
		qpages_give(b->ptr, b->cap);
	} else if (b->cap) {
		p = b->ptr;
	} else {
		p = qxmalloc(1);
		p[0] = '\0';
	}
	if (len)
		*len = b->len;
	qbuf_init(b);
	return p;
}

void qbuf_put_visible(qbuf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		size_t run = i;   /* printable ASCII, the common case */
		while (run < n && u[run] >= 0x20 && u[run] < 0x7F)
			run++;
		qbuf_put(b, s + i, run - i);
		if (run >= n)
			break;
		size_t len;
		int32_t cp = qutf8_decode(u + run, n - run, &len);
		if (cp < 0)
			qbuf_printf(b, "<0x%02X>", u[run]);
		else if (cp < 0x20 || cp == 0x7F)
			qbuf_printf(b, "^%c", cp == 0x7F ? '?' : (char)(cp + 0x40));
		else if (cp >= 0x80 && cp < 0xA0)
			qbuf_printf(b, "<U+%04X>", (unsigned)cp);
		else
			qbuf_put(b, s + run, len);
		i = run + len;
	}
}

/* Bytes that JSON strings escape: control characters, ", \\ and DEL. */
static const unsigned char json_special[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['"'] = 1, ['\\'] = 1, [0x7F] = 1,
};

void qbuf_put_json_str(qbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	qbuf_putc(b, '"');
	size_t i = 0;
	while (i < n) {
		size_t run = i;
		while (run < n && !json_special[(unsigned char)s[run]])
			run++;
		qbuf_put(b, s + i, run - i);
		if (run >= n)
			break;
		unsigned char c = (unsigned char)s[run];
		if (c == '"' || c == '\\') {
			qbuf_putc(b, '\\');
			qbuf_putc(b, c);
		} else if (c == '\n') {
			qbuf_puts(b, "\\n");
		} else if (c == '\t') {
			qbuf_puts(b, "\\t");
		} else {
			qbuf_puts(b, "\\u00");
			qbuf_putc(b, hex[c >> 4]);
			qbuf_putc(b, hex[c & 15]);
		}
		i = run + 1;
	}
	qbuf_putc(b, '"');
}
