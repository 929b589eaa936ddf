/* strmap.h - a small open-addressing hash map from strings to pointers.
 *
 * Keys are borrowed (the caller keeps them alive, usually in an arena);
 * the map owns only its slot array. Insertion order is not kept.
 *
 * Ownership: caller owns the struct and calls qstrmap_free().
 */
#ifndef QUIRE_STRMAP_H
#define QUIRE_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct qstrmap_slot {
	const char *key;
	size_t len;
	uint64_t hash;   /* kept so most mismatches need no look at the key */
	void *val;
} qstrmap_slot;

typedef struct qstrmap {
	qstrmap_slot *slots;
	size_t cap, n;
} qstrmap;

void qstrmap_init(qstrmap *m);
void qstrmap_free(qstrmap *m);
void *qstrmap_get(const qstrmap *m, const char *key, size_t len);
/* Make room for n entries in all, so that adding them never rehashes. */
void qstrmap_reserve(qstrmap *m, size_t n);
/* Insert or replace; returns the previous value or NULL. */
void *qstrmap_put(qstrmap *m, const char *key, size_t len, void *val);

#endif
