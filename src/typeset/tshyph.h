/* tshyph.h - hyphenation points from libhyphen, cached per word.
 *
 * The dictionary is a Debian hyphen-* file (/usr/share/hyphen/hyph_xx_YY.dic)
 * chosen from the document language. Words are lower-cased before lookup;
 * results are cached, since notes repeat their words. English minimums:
 * at least 2 letters before and 3 after a break.
 *
 * Loading a dictionary is the slowest step of a small booklet, so it is
 * done lazily, and ts_hyph_preload() overlaps it with the layout.
 *
 * Ownership: ts_hyph_open() allocates; ts_hyph_free() frees the
 * dictionary and the cache. NULL (no dictionary) is a valid handle that
 * never hyphenates.
 */
#ifndef QUIRE_TSHYPH_H
#define QUIRE_TSHYPH_H

#include <stddef.h>
#include <stdint.h>

#include "../util/pool.h"

typedef struct ts_hyph ts_hyph;

/* Open the dictionary for a BCP 47 language ("en", "en-GB", "de") in dir
 * (NULL: /usr/share/hyphen), or the file `path` when not NULL. Returns
 * NULL when none is found. */
ts_hyph *ts_hyph_open(const char *lang, const char *dir, const char *path);
void ts_hyph_free(ts_hyph *h);   /* NULL is a no-op */
/* Start loading the dictionary as a task of pool (util/pool.h; it
 * parses a large file); the first lookup waits for it, on the thread
 * that made the pool. Without this the first lookup loads it. */
void ts_hyph_preload(ts_hyph *h, qpool *pool);

/* Byte offsets inside word (UTF-8, n bytes) after which a hyphen may be
 * put, ascending; returns how many (at most max). Only words of letters,
 * 5 to 60 characters long, get any. */
int ts_hyph_points(ts_hyph *h, const char *word, size_t n, uint16_t *pos,
		   int max);

#endif
