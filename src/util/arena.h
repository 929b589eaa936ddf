/* arena.h - bump allocator for objects that live and die together.
 *
 * The study model allocates every node and string from one arena, so a
 * whole document is freed with one qarena_free(). Allocation never
 * returns NULL: on out-of-memory quire prints a message and exits (the
 * same policy as cmark), see qoom().
 *
 * Ownership: the caller owns the qarena struct and calls qarena_free();
 * memory handed out must not be passed to free().
 */
#ifndef QUIRE_ARENA_H
#define QUIRE_ARENA_H

#include <stdbool.h>
#include <stddef.h>

typedef struct qarena_chunk qarena_chunk;
typedef struct qarena {
	qarena_chunk *head;
	size_t total;   /* bytes handed out, for --stats */
} qarena;

void qarena_init(qarena *a);
void qarena_free(qarena *a);
void *qarena_alloc(qarena *a, size_t n);          /* zeroed, 8-aligned */
char *qarena_strndup(qarena *a, const char *s, size_t n); /* NUL-terminated */
char *qarena_strdup(qarena *a, const char *s);
/* Grow the newest allocation p (of old bytes) to n bytes where it is, when
 * it ends its chunk and the chunk has room; the new bytes are zeroed.
 * False (and nothing changed) otherwise. */
bool qarena_extend(qarena *a, void *p, size_t old, size_t n);
/* Move every chunk of src into dst (src is left empty): what was
 * allocated from src is now freed with dst. */
void qarena_adopt(qarena *dst, qarena *src);

/* Out of memory: print one line on stderr and exit with status 4. */
_Noreturn void qoom(void);
void *qxmalloc(size_t n);            /* malloc or qoom() */
void *qxrealloc(void *p, size_t n);  /* realloc or qoom() */

#endif
