/* tsint.h - internals shared by the typesetter's files (not for users of
 * the library): growing arrays, appending lines and runs.
 */
#ifndef QUIRE_TSINT_H
#define QUIRE_TSINT_H

#include <stdlib.h>
#include <string.h>

#include "../util/arena.h"
#include "../util/utf8.h"
#include "tslayout.h"

/* Grow *v (count n, capacity *cap) to hold n + extra elements. */
#define TS_GROW(v, n, cap, extra)                                            \
	do {                                                                 \
		if ((size_t)(n) + (size_t)(extra) > (size_t)(cap)) {         \
			size_t nc_ = (size_t)(cap) ? (size_t)(cap) * 2 : 64; \
			while (nc_ < (size_t)(n) + (size_t)(extra))          \
				nc_ *= 2;                                    \
			(v) = qxrealloc((v), nc_ * sizeof *(v));             \
			(cap) = nc_;                                         \
		}                                                            \
	} while (0)

#define TS_INF_BAD 10000.0f

/* A line ready for the vertical list: runs already in L->runs. */
typedef struct ts_linespec {
	float x, w, h, d;
	float leading;      /* baselineskip to the previous line */
	uint32_t run0, nruns;
	int group, table;
	uint8_t flags;      /* TS_VF_HEAD */
} ts_linespec;

/* Append a line with its interline glue; applies keeps and pending marks.
 * Returns the item index of the line. */
uint32_t ts__line(ts_layout *L, const ts_linespec *s);
/* Append a raw item. */
ts_vitem *ts__item(ts_layout *L, ts_vtype type);
/* Copy text into the pool; returns its offset. */
uint32_t ts__pool(ts_layout *L, const char *s, size_t n);
/* A new run in L->runs. */
ts_run *ts__run(ts_layout *L);

/* Width of a piece of text in one face, in points. */
float ts__text_width(ts_layout *L, int face, float size, const char *s,
		     size_t n);
/* Height and depth of a box in a role at a size. */
void ts__box_hd(ts_layout *L, ts_runkind kind, float size, float *h, float *d);

/* One broken line of a paragraph (tables collect them). */
typedef struct ts_pline {
	uint32_t run0, nruns;
	float w, h, d, x;
	bool hyphen;
} ts_pline;

typedef struct ts_plines {
	ts_pline *v;
	size_t n, cap;
} ts_plines;

/* Break p at width w: runs appended to L->runs, line records to *lines
 * (the caller frees lines->v). hyphenate: may words be hyphenated (only
 * when the column is narrower than its longest word). Returns the
 * number of lines. */
int ts__par_lines(ts_par *p, float w, bool hyphenate, ts_plines *lines);

/* Free what a filled paragraph needs only while text is added or lines
 * are broken, and its spare room: a table holds many paragraphs. */
void ts__par_trim(ts_par *p);

/* Scale a filled paragraph's type by s (a table set smaller): sizes,
 * widths, glue, rises, its formulas and its leading. */
void ts__par_scale(ts_par *p, float s);

/* How a glyph of this kind is drawn. */
ts_runkind ts__run_kind(ts_glyphkind g);

/* Decode one code point (invalid bytes give U+FFFD). */
static inline uint32_t ts__cp(const char *s, size_t n, size_t *len)
{
	int32_t cp = qutf8_decode((const unsigned char *)s, n, len);
	return cp < 0 ? 0xFFFD : (uint32_t)cp;
}

#endif
