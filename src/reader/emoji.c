/* emoji.c - GitHub's emoji shortcodes (see emoji.h). */
#include "emoji.h"

#include <stdlib.h>
#include <string.h>

/* An emoji's code points (a flag or a family has several), zero after
 * the last. The name is held, not pointed to: a table of pointers is
 * relocated, so written page by page, at every start of the program. */
typedef struct shortcode {
	char name[40];   /* emoji.awk refuses longer names */
	unsigned cp[8];
} shortcode;

/* Sorted by name, as strcmp compares (emoji-table.h is generated). */
static const shortcode table[] = {
#include "emoji-table.h"
};

typedef struct key {
	const char *s;
	size_t n;
} key;

static int by_name(const void *k, const void *e)
{
	const key *a = k;
	const char *b = ((const shortcode *)e)->name;
	int c = strncmp(a->s, b, a->n);
	return c ? c : b[a->n] ? -1 : 0;
}

bool qemoji_put(const char *name, size_t n, qbuf *out)
{
	key k = {name, n};
	const shortcode *e = bsearch(&k, table, sizeof table / sizeof *table, sizeof *table,
				     by_name);
	if (!e || !out)
		return e != NULL;
	for (size_t i = 0; i < sizeof e->cp / sizeof *e->cp && e->cp[i]; i++)
		qbuf_put_utf8(out, e->cp[i]);
	return true;
}
