/* math.h - formulas in the notes (quire-notes(5), "Mathematics"):
 * `$…$`, `$$…$$`, `\(…\)`, `\[…\]`, GitHub's `` $`…`$ ``, ```` ```math ````
 * fences and images whose address is a formula service. The lifter puts
 * each formula it finds into its side table (qlift.maths) and writes a
 * placeholder in its place, so cmark never reads the
 * TeX (its escapes would eat `\,`); the builder makes the placeholder a
 * QN_MATH or QN_MATH_BLOCK holding the TeX exactly as written.
 *
 * Dollars follow pandoc's rule: an opening `$` is followed by a
 * non-space, a closing `$` is preceded by a non-space and not followed by
 * a digit; quire also wants no letter or digit right before the opening
 * `$` or right after the closing one, and no other `$` between them, so
 * `$5 and $10`, `$HOME/$USER`, `US$5` and `$5 but $x$` (a price, then a
 * formula) read as people mean them. A line that is one formula may have
 * a space after its opening `$` (`$ x = \frac{1}{2}$`, as KaTeX reads it)
 * when a sign of a formula is in it.
 *
 * Ownership: the functions here borrow their arguments; formulas added to
 * a qlift live in its arena.
 */
#ifndef QUIRE_READER_MATH_H
#define QUIRE_READER_MATH_H

#include <stdbool.h>
#include <stddef.h>

#include "../model/model.h"
#include "../util/buf.h"
#include "../util/diag.h"
#include "lift.h"

/* Where the next closing delimiters of a line are, found once and looked
 * up as the scan moves on (a line of a thousand `$` costs one pass). */
typedef struct qmath_scan {
	size_t one, two, tick;   /* next closing `$`, `$$`, `` `$ ``; or n */
	bool ready;
	size_t from_one, from_two, from_tick;
} qmath_scan;

typedef struct qmath_span {
	size_t len;          /* bytes of the span, delimiters included */
	size_t tex, texlen;  /* the TeX, from the span's start */
	bool display;        /* $$…$$ */
} qmath_span;

/* A formula opened by the `$` at s[i] (not escaped): true and *out
 * filled, or false when the `$` is text. */
bool qmath_dollar(const char *s, size_t n, size_t i, qmath_scan *sc, qmath_span *out);

/* Add a formula to the lift's table; returns its index. */
int qlift_add_math(qlift *l, const char *tex, size_t n, bool display);
/* Append the placeholder of formula `index` to out: inline, an empty
 * image `![](quire:math:N)` (never the start of a block, whatever comes
 * after it on the line, and allowed in a link's text, as a formula is);
 * a block, a line `<!--quire:math:N-->` (an HTML block, which may
 * interrupt a paragraph). */
void qmath_put_placeholder(qbuf *out, int index, bool block);
/* Is url (of an image cmark read) an inline placeholder of l? Its
 * index, or -1. */
int qmath_image(const qlift *l, const char *url);
/* Is lit (an HTML block cmark read) a block placeholder of l? Its
 * index, or -1. */
int qmath_placeholder(const qlift *l, const char *lit);

/* Append s[0..n) to out with each placeholder written back as the
 * formula in dollars (`quire --lifted`). */
void qmath_unplace(const qlift *l, const char *s, size_t n, qbuf *out);
/* The literal s (NUL-terminated) of something cmark read as it is (a
 * code span or an HTML block over a line break, whose lines seemed to
 * hold formulas): s itself when it holds no placeholder, else the text
 * with them written back, in tmp (reset first; the caller frees it). */
const char *qmath_as_written(const qlift *l, const char *s, qbuf *tmp);

/* A displayed formula on lines of its own, starting at lines[0] (the
 * bodies of the lines of one paragraph, n of them): `$$` or `\[` opening
 * the first line (or ending it, after text), `$$` or `\]` closing a
 * later one. Returns the number of lines it takes and appends its TeX to
 * tex; 0 when lines[0] opens none; -1 when it opens one that no later
 * line closes. Text before the opener (`... as follows: $$`) and after
 * the closer (`$$.`, `$$ where x is ...`) is the paragraph's: *lead is
 * the bytes of the first line before the opener, *rest where the text
 * after the closer starts in the last line; 0 when there is none. */
int qmath_display_lines(const qline_ref *lines, int n, qbuf *tex, size_t *lead,
			size_t *rest);

/* The next inline placeholder in s[0..n) (lifted text) of a displayed
 * formula written in a line of text (`... is $$ E = mc^2 $$.`, `\[x\]`):
 * its start, its length and the formula's index; NULL when none is. */
const char *qmath_next_display(const qlift *l, const char *s, size_t n, size_t *len,
			       int *index);

/* After the build: images whose address is a formula service
 * (`…/render/math?math=TEX`, `latex.codecogs.com/…?TEX`) become formulas
 * (a displayed one when alone in their paragraph); each formula's TeX is
 * checked against the subset quire typesets, with a warning naming the
 * line and the command it does not know (the outputs then show the TeX). */
void qmath_refine(qdoc *doc, qdiags *d);

/* The TeX of a formula-service address, URL-decoded, appended to tex;
 * false when url is none. */
bool qmath_from_url(const char *url, qbuf *tex);

#endif
