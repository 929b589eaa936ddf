/* texmath.h - the TeX math quire understands, parsed into a tree of
 * atoms (The TeXbook, chapter 17 and appendix G): the subset of
 * quire-notes(5), "Mathematics". The MathML writer (render/mathml.c),
 * the booklet's math typesetter (typeset/tsmath.c) and the plain text
 * of a formula (util/texplain.c) read this tree; it knows nothing of
 * notes or outputs.
 *
 * A formula that uses anything outside the subset (an unknown command,
 * an unbalanced brace, `&` outside an environment) is not parsed:
 * qtex_parse() returns NULL and says why in qtex_error, and the outputs
 * show the TeX as written.
 *
 * Nodes live in one array and point at each other by index (-1: none).
 * Nesting is capped at QTEX_MAX_DEPTH (deeper is an error, reported like
 * any other), so readers of the tree may recurse on it.
 *
 * Ownership: qtex_parse() returns a tree the caller frees with
 * qtex_free(); it copies what it needs from the source.
 */
#ifndef QUIRE_TEXMATH_H
#define QUIRE_TEXMATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define QTEX_MAX_DEPTH 40

/* TeX's atom classes, which decide the spacing between atoms. */
typedef enum qtex_class {
	QC_ORD, QC_OP, QC_BIN, QC_REL, QC_OPEN, QC_CLOSE, QC_PUNCT, QC_INNER
} qtex_class;

typedef enum qtex_font {
	QF_MATH = 0,   /* letters italic, the rest upright */
	QF_RM, QF_IT, QF_BF, QF_BB, QF_CAL, QF_FRAK, QF_SF, QF_TT, QF_BFIT
} qtex_font;

typedef enum qtex_kind {
	QT_ROW,        /* a list of atoms: first, then next... */
	QT_SYM,        /* one character cp; cls; font */
	QT_TEXT,       /* \text{...}: text (off, len); font */
	QT_OP,         /* a named operator (\sin, \lim, \operatorname{..}):
	                * text; limits */
	QT_BIGOP,      /* \sum, \int, ...: cp; limits */
	QT_SCRIPTS,    /* a = nucleus (-1: empty), b = sub, c = sup;
	                * limits: always above and below (\overset,
	                * \underset, \stackrel), cls then its own */
	QT_FRAC,       /* a = numerator, b = denominator; style (0 auto,
	                * 1 display, 2 text); rule false for \binom, whose
	                * open/close are ( and ) */
	QT_SQRT,       /* a = radicand, b = index or -1 */
	QT_ACCENT,     /* a = body; cp = accent; wide: stretches */
	QT_OVER,       /* \overline (cp 0) or \overbrace (cp U+23DE): a */
	QT_UNDER,      /* \underline (cp 0) or \underbrace (cp U+23DF): a */
	QT_FENCED,     /* \left open ... \right close: a = body; 0 for `.` */
	QT_DELIM,      /* \big( and friends: cp, size 1..4, cls */
	QT_SPACE,      /* width in mu (18 mu = 1 em), may be negative */
	QT_ARRAY,      /* an environment: rows x cols cells, each a QT_ROW,
	                * chained by next from first (row major); env */
	QT_STYLE,      /* \displaystyle ... inside a row: style (1 D, 2 T,
	                * 3 S, 4 SS) */
} qtex_kind;

typedef enum qtex_env {
	QE_MATRIX, QE_PMATRIX, QE_BMATRIX, QE_BBMATRIX, QE_VMATRIX, QE_VVMATRIX,
	QE_CASES, QE_ALIGNED, QE_GATHERED, QE_ARRAY
} qtex_env;

typedef struct qtex_node {
	uint8_t kind, cls, font, style;
	bool limits;           /* QT_OP, QT_BIGOP: limits above and below in
	                        * display style; QT_SCRIPTS: in every style */
	bool rule;             /* QT_FRAC */
	bool wide;             /* QT_ACCENT */
	bool negated;          /* QT_SYM: \not before it */
	uint32_t cp;
	uint32_t open, close;  /* QT_FENCED, QT_FRAC (\binom), QT_ARRAY */
	int32_t a, b, c;
	int32_t first, next;   /* QT_ROW and QT_ARRAY children; siblings */
	uint32_t off, len;     /* QT_TEXT, QT_OP: text in qtex.text */
	int16_t size;          /* QT_DELIM: 1..4 */
	int16_t env;           /* QT_ARRAY: qtex_env */
	int32_t rows, cols;    /* QT_ARRAY */
	float mu;              /* QT_SPACE */
} qtex_node;

typedef struct qtex {
	qtex_node *v;
	int n, cap;
	qbuf text;             /* names of operators, \text contents */
	int root;              /* a QT_ROW (or a QT_ARRAY of lines joined
	                        * by \\ at the top) */
	int tag;               /* \tag{...}: a QT_TEXT node, or -1 */
} qtex;

typedef struct qtex_error {
	char msg[96];          /* "\foo is not known", "unbalanced {" */
	size_t pos;            /* byte offset in the source */
} qtex_error;

/* Parse n bytes of TeX (without delimiters). NULL with *e set when the
 * formula is outside the subset. */
qtex *qtex_parse(const char *s, size_t n, qtex_error *e);
void qtex_free(qtex *t);   /* NULL is a no-op */

/* The text of a QT_TEXT or QT_OP node (not NUL-terminated: len). */
static inline const char *qtex_text(const qtex *t, const qtex_node *x)
{
	return t->text.ptr + x->off;
}

/* A character in a font variant as Unicode's mathematical alphanumerics
 * (𝐯 for \mathbf, 𝔸-like letters for \mathbb, \mathcal, \mathfrak, ℝ
 * and the other letterlike symbols where Unicode has them: MathML Core
 * knows no mathvariant but "normal"); cp itself when the variant has no
 * character of its own. */
uint32_t qtex_variant_cp(uint32_t cp, qtex_font f);

#endif
