/* strmap.c - open-addressing string map with linear probing. */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "hash.h"

void qstrmap_init(qstrmap *m)
{
	m->slots = NULL;
	m->cap = m->n = 0;
}

void qstrmap_free(qstrmap *m)
{
	free(m->slots);
	qstrmap_init(m);
}

static qstrmap_slot *find(const qstrmap *m, const char *key, size_t len,
			  uint64_t h)
{
	size_t mask = m->cap - 1;
	size_t i = (size_t)h & mask;
	for (;;) {
		qstrmap_slot *s = &m->slots[i];
		if (!s->key || (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0))
			return s;
		i = (i + 1) & mask;
	}
}

void *qstrmap_get(const qstrmap *m, const char *key, size_t len)
{
	if (!m->cap)
		return NULL;
	qstrmap_slot *s = find(m, key, len, qhash64(key, len));
	return s->key ? s->val : NULL;
}

/* Rehash into cap slots (a power of two above the count). */
static void rehash(qstrmap *m, size_t cap)
{
	qstrmap old = *m;
	m->cap = cap;
	m->slots = qxmalloc(m->cap * sizeof *m->slots);
	memset(m->slots, 0, m->cap * sizeof *m->slots);
	m->n = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].key) {
			*find(m, old.slots[i].key, old.slots[i].len, old.slots[i].hash) = old.slots[i];
			m->n++;
		}
	free(old.slots);
}

void qstrmap_reserve(qstrmap *m, size_t n)
{
	size_t cap = m->cap ? m->cap : 64;
	while ((n + 1) * 4 >= cap * 3)
		cap *= 2;
	if (cap > m->cap)
		rehash(m, cap);
}

void *qstrmap_put(qstrmap *m, const char *key, size_t len, void *val)
{
	if ((m->n + 1) * 4 >= m->cap * 3)
		rehash(m, m->cap ? m->cap * 2 : 64);
	uint64_t h = qhash64(key, len);
	qstrmap_slot *s = find(m, key, len, h);
	void *prev = s->key ? s->val : NULL;
	if (!s->key)
		m->n++;
	*s = (qstrmap_slot){key, len, h, val};
	return prev;
}
