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

static void grow(qstrmap *m)
{
	qstrmap old = *m;
	m->cap = old.cap ? old.cap * 2 : 64;
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

void *qstrmap_put(qstrmap *m, const char *key, size_t len, void *val)
{
	if ((m->n + 1) * 4 >= m->cap * 3)
		grow(m);
	uint64_t h = qhash64(key, len);
	qstrmap_slot *s = find(m, key, len, h);
	void *prev = s->key ? s->val : NULL;
	if (!s->key)
		m->n++;
	*s = (qstrmap_slot){key, len, h, val};
	return prev;
}
