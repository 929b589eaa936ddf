/* tsmath.h - TeX math typeset by TeX's rules for math (The TeXbook,
 * appendix G): the styles D, T, S and SS (cramped or not), the spacing
 * between the classes ord, op, bin, rel, open, close, punct and inner,
 * sub- and superscript shifts, limits above and below operators,
 * fractions and radicals with their rules, delimiters grown from bigger
 * glyphs or from pieces, accents, environments as aligned arrays.
 *
 * TeX in, boxes out: the typesetter reads the tree of util/texmath.h and
 * knows nothing of notes. A typeset formula is a list of runs (glyphs,
 * rules, braces) placed from its origin (left edge, baseline; `rise` is
 * up), cut into pieces at the places TeX may break an inline formula
 * (after a relation or a binary operation at the outer level), each piece
 * followed by its break penalty and the space a break drops. The fonts
 * are the math roles of the font set (fonts/roles.conf: KaTeX's TrueType
 * Computer Modern), with the per-character fallback of tsfont.h; the
 * font parameters (x-height, axis, rule thickness, script shifts, the
 * spacing of limits) are TeX's cmsy10 and cmex10 values.
 *
 * Ownership: ts_math_init() / ts_math_free() around a caller-owned
 * ts_math; ts_math_set() may be called again on the same one.
 */
#ifndef QUIRE_TSMATH_H
#define QUIRE_TSMATH_H

#include <stdbool.h>
#include <stddef.h>

#include "tslayout.h"

/* A piece of a formula between two places where it may break. */
typedef struct ts_mpiece {
	uint32_t r0, nr;    /* its runs in ts_math.runs, x from its left */
	float w, h, d;
	int penalty;        /* of a break after it (TS_INF_PENALTY: none) */
	float space;        /* the space after it, which a break drops */
} ts_mpiece;

typedef struct ts_math {
	ts_run *runs;       /* off/len: text in `text` */
	size_t nruns, cap;
	qbuf text;
	ts_mpiece *pieces;
	size_t npieces, cappieces;
	float w, h, d;      /* the whole formula, tag excepted */
	uint32_t tag0, ntag; /* the runs of a \tag, x from its left */
	float tagw;
	uint32_t src, srclen; /* the TeX in `text`, in $ or $$: what copying
	                       * the formula from the PDF gives */
	char error[96];     /* why ts_math_set() failed */
} ts_math;

void ts_math_init(ts_math *m);
void ts_math_free(ts_math *m);

/* Typeset n bytes of TeX at `size` points, displayed (style D) or in the
 * text (style T). False, with m->error set, when the TeX is outside the
 * subset texmath.h reads. */
bool ts_math_set(ts_math *m, ts_fontset *fs, const char *tex, size_t n, float size,
		 bool display, ts_rgb color);

/* The widest piece (what no line break can make narrower). */
float ts_math_widest(const ts_math *m);

/* Add a typeset formula to a paragraph: its pieces as boxes, each
 * followed by its break penalty and space. link: 0 or a link id. On a
 * line that holds all of it, the formula copies as its TeX. */
void ts_par_math(ts_par *p, const ts_math *m, int link);

/* A displayed formula as a paragraph of its own (fmt: x, width,
 * leading, group, keeps): centred on the measure, its \tag at the right
 * margin, broken after a relation only when it is wider than the
 * measure; label (a list item's bullet, or NULL) hangs left of it.
 * Returns the number of lines. */
int ts_math_display(ts_par *p, const ts_math *m, const ts_parfmt *fmt, const ts_attr *la,
		    const char *label);

#endif
