/* arena.c - bump allocator in growing chunks (see arena.h); the chunks
 * are blocks of util/pages.h. */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pages.h"

struct qarena_chunk {
	qarena_chunk *next;
	size_t used, cap;
	size_t block;   /* the qpages block: this header and cap bytes */
	_Alignas(16) unsigned char data[];
};

_Noreturn void qoom(void)
{
	fputs("quire: out of memory\n", stderr);
	exit(4);
}

void *qxmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		qoom();
	return p;
}

void *qxrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		qoom();
	return q;
}

void qarena_init(qarena *a)
{
	a->head = NULL;
	a->total = 0;
}

void qarena_free(qarena *a)
{
	qarena_chunk *c = a->head;
	while (c) {
		qarena_chunk *next = c->next;
		qpages_give(c, c->block);
		c = next;
	}
	qarena_init(a);
}

static qarena_chunk *new_chunk(qarena *a, size_t need)
{
	const size_t most = ((size_t)64 << 10) - sizeof(qarena_chunk);
	size_t cap = a->head ? a->head->cap * 2 : 16384 - sizeof(qarena_chunk);
	if (cap > most)
		cap = most;
	if (cap < need)
		cap = need;
	if (cap > SIZE_MAX / 2)
		qoom();
	size_t block = qpages_size(sizeof(qarena_chunk) + cap);
	qarena_chunk *c = qpages_take(block);
	c->block = block;
	c->used = 0;
	c->cap = block - sizeof *c;
	c->next = a->head;
	a->head = c;
	return c;
}

void *qarena_alloc(qarena *a, size_t n)
{
	n = (n + 7) & ~(size_t)7;
	qarena_chunk *c = a->head;
	if (!c || c->cap - c->used < n)
		c = new_chunk(a, n);
	void *p = c->data + c->used;
	c->used += n;
	a->total += n;
	memset(p, 0, n);
	return p;
}

char *qarena_strndup(qarena *a, const char *s, size_t n)
{
	char *p = qarena_alloc(a, n + 1);
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *qarena_strdup(qarena *a, const char *s)
{
	return qarena_strndup(a, s, strlen(s));
}

void qarena_adopt(qarena *dst, qarena *src)
{
	qarena_chunk *c = src->head;
	if (!c)
		return;
	while (c->next)
		c = c->next;
	if (dst->head) {   /* keep dst's current chunk first */
		c->next = dst->head->next;
		dst->head->next = src->head;
	} else {
		dst->head = src->head;
	}
	dst->total += src->total;
	qarena_init(src);
}

bool qarena_extend(qarena *a, void *p, size_t old, size_t n)
{
	qarena_chunk *c = a->head;
	old = (old + 7) & ~(size_t)7;
	n = (n + 7) & ~(size_t)7;
	if (!c || (unsigned char *)p < c->data || (unsigned char *)p + old != c->data + c->used
	    || n < old || n - old > c->cap - c->used)
		return false;
	memset(c->data + c->used, 0, n - old);
	c->used += n - old;
	a->total += n - old;
	return true;
}
