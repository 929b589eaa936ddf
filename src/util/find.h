/* find.h - the first place a short string occurs in a longer one: what
 * memmem(3) does, the one way quire does it.
 *
 * Why not memmem: glibc's builds a table of shifts on every call, which
 * costs more than the search when the needle is a few bytes (`-->`,
 * `:::`, `](`) and the haystack a line or a paragraph, as in nearly
 * every call quire makes; memchr finds each candidate first byte with
 * vector instructions. The time is linear in the haystack times the
 * needle's length (short here) in the worst case.
 */
#ifndef QUIRE_FIND_H
#define QUIRE_FIND_H

#include <stddef.h>
#include <string.h>

/* The first needle (m bytes) in hay (n bytes), or NULL; hay when m = 0. */
static inline void *qmemmem(const void *hay, size_t n, const void *needle, size_t m)
{
	const unsigned char *h = hay, *s = needle;
	if (!m)
		return (void *)hay;
	if (m > n)
		return NULL;
	const unsigned char *last = h + (n - m);   /* the last place it may start */
	while (h <= last) {
		h = memchr(h, s[0], (size_t)(last - h) + 1);
		if (!h)
			return NULL;
		if (!memcmp(h + 1, s + 1, m - 1))
			return (void *)h;
		h++;
	}
	return NULL;
}

#endif
