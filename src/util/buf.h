/* buf.h - the one growable byte buffer of quire.
 *
 * A qbuf owns its bytes. `ptr` is never NULL: an empty buffer points at a
 * shared static "" so it can always be printed. The contents are always
 * NUL-terminated (the NUL is not counted in len).
 *
 * Out of memory: quire has one policy, here as everywhere (util/arena.h,
 * cmark): a failed allocation prints "quire: out of memory" and exits
 * with status 4 (qoom). So an append never fails and there is nothing to
 * check; a size that comes from untrusted input is bounded by its caller
 * before it reaches a buffer.
 *
 * Ownership: the caller owns the qbuf struct (usually on the stack) and
 * must call qbuf_free(); qbuf_detach() hands the bytes to the caller, who
 * then frees them with free().
 */
#ifndef QUIRE_BUF_H
#define QUIRE_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct qbuf {
	char *ptr;
	size_t len;
	size_t cap;
} qbuf;

#define QBUF_INIT {(char *)"", 0, 0}

void qbuf_init(qbuf *b);
void qbuf_free(qbuf *b);
void qbuf_reset(qbuf *b);               /* len = 0, keeps capacity */
void qbuf_grow(qbuf *b, size_t extra);  /* room for extra more bytes */
void qbuf_put_slow(qbuf *b, const void *p, size_t n);
void qbuf_puts(qbuf *b, const char *s);
void qbuf_putc_slow(qbuf *b, int c);
void qbuf_printf(qbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void qbuf_vprintf(qbuf *b, const char *fmt, va_list ap);
void qbuf_put_utf8(qbuf *b, unsigned cp);  /* one code point as UTF-8 */
void qbuf_put_int(qbuf *b, long v);        /* in decimal, without printf */
void qbuf_truncate(qbuf *b, size_t len);
/* s as a JSON string literal: quoted, with \" \\ \n \t and \u00XX for
 * other control characters (also usable in any C-like dump). */
void qbuf_put_json_str(qbuf *b, const char *s, size_t n);
/* s for a terminal: what could move the cursor, change colours or the
 * title is shown, not obeyed. Control characters become caret notation
 * (ESC is "^[", TAB "^I"), C1 controls "<U+009B>", bytes that are not
 * UTF-8 "<0xFF>"; everything else is copied. */
void qbuf_put_visible(qbuf *b, const char *s, size_t n);
char *qbuf_detach(qbuf *b, size_t *len);  /* caller frees; never NULL */

/* n bytes; the common case (room left) stays inline. */
static inline void qbuf_put(qbuf *b, const void *p, size_t n)
{
	if (b->len + n < b->cap) {
		__builtin_memcpy(b->ptr + b->len, p, n);
		b->len += n;
		b->ptr[b->len] = '\0';
		return;
	}
	qbuf_put_slow(b, p, n);
}

/* One byte; the common case (room left) stays inline. */
static inline void qbuf_putc(qbuf *b, int c)
{
	if (b->len + 1 < b->cap) {
		b->ptr[b->len++] = (char)c;
		b->ptr[b->len] = '\0';
		return;
	}
	qbuf_putc_slow(b, c);
}

#endif
