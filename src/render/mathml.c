/* mathml.c - the tree of a TeX formula (util/texmath.h) written as
 * MathML (see mathml.h). The tree's depth is capped by its parser, so the
 * writer recurses on it. */
#include "mathml.h"

#include <stdio.h>
#include <string.h>

#include "../util/texmath.h"
#include "xhtml.h"

typedef struct mw {
	qbuf *b;
	const qtex *t;
	bool display;   /* the current style is D */
} mw;

static void node(mw *w, int i);

static void put_cp(qbuf *b, uint32_t cp)
{
	switch (cp) {
	case '<': qbuf_puts(b, "&lt;"); break;
	case '>': qbuf_puts(b, "&gt;"); break;
	case '&': qbuf_puts(b, "&amp;"); break;
	default: qbuf_put_utf8(b, cp);
	}
}

static bool is_letter(uint32_t cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= 0x3B1 && cp <= 0x3F5)
	       || cp == 0x131 || cp == 0x237 || cp == 0x2113;
}

static bool is_digit(uint32_t cp)
{
	return cp >= '0' && cp <= '9';
}

/* mathvariant="normal" for upright letters (MathML Core's only value:
 * other variants are Unicode characters, qtex_variant_cp). */
static const char *variant(uint8_t f, uint32_t cp)
{
	bool greek_up = cp >= 0x391 && cp <= 0x3A9;
	switch (f) {
	case QF_RM: return "normal";
	case QF_BF: case QF_SF: case QF_TT: return greek_up || cp > 0x7F ? "normal" : NULL;
	case QF_MATH: return greek_up ? "normal" : NULL;
	default: return NULL;
	}
}

/* A run of digits (and a decimal point between them) as one <mn>. */
static int number(mw *w, int i)
{
	const qtex_node *x = &w->t->v[i];
	qbuf_puts(w->b, "<mn>");
	int last = i;
	for (int k = i; k >= 0; k = w->t->v[k].next) {
		const qtex_node *y = &w->t->v[k];
		if (y->kind != QT_SYM || y->font != x->font
		    || !(is_digit(y->cp) || (y->cp == '.' && y->next >= 0
					     && w->t->v[y->next].kind == QT_SYM
					     && is_digit(w->t->v[y->next].cp))))
			break;
		qbuf_put_utf8(w->b, qtex_variant_cp(y->cp, (qtex_font)y->font));
		last = k;
	}
	qbuf_puts(w->b, "</mn>");
	return last;
}

static void sym(mw *w, const qtex_node *x)
{
	uint32_t cp = qtex_variant_cp(x->cp, (qtex_font)x->font);
	bool mi = x->cls == QC_ORD && (is_letter(x->cp) || x->cp > 0x7F || cp != x->cp)
		  && x->cp != 0x2032 && x->cp != '|' && x->cp != 0x2016;
	const char *tag = mi ? "mi" : is_digit(cp) ? "mn" : "mo";
	const char *v = variant(x->font, x->cp);
	qbuf_printf(w->b, "<%s", tag);
	if (v && mi)
		qbuf_printf(w->b, " mathvariant=\"%s\"", v);
	if (!mi && (x->cp == '|' || x->cp == 0x2016 || x->cls == QC_OPEN || x->cls == QC_CLOSE))
		qbuf_puts(w->b, " stretchy=\"false\"");
	qbuf_putc(w->b, '>');
	put_cp(w->b, cp);
	if (x->negated)
		qbuf_put_utf8(w->b, 0x338);
	qbuf_printf(w->b, "</%s>", tag);
}

static void text_of(mw *w, const qtex_node *x)
{
	qx_text(w->b, qtex_text(w->t, x), x->len);
}

/* \text's words: a space at either end is a no-break space (a token
 * element's edge spaces are trimmed). */
static void mtext_of(mw *w, const qtex_node *x)
{
	const char *s = qtex_text(w->t, x);
	size_t n = x->len, a = 0;
	while (a < n && s[a] == ' ') {
		qbuf_puts(w->b, "\xC2\xA0");
		a++;
	}
	size_t e = n;
	while (e > a && s[e - 1] == ' ')
		e--;
	qx_text(w->b, s + a, e - a);
	for (size_t k = e; k < n; k++)
		qbuf_puts(w->b, "\xC2\xA0");
}

/* Does the node put its scripts above and below (limits)? */
static bool takes_limits(const mw *w, const qtex_node *x)
{
	if (x->kind == QT_OVER || x->kind == QT_UNDER)
		return x->cp != 0;
	if (x->kind == QT_BIGOP)
		return x->limits;   /* <mo> of ∑ moves its limits in inline style */
	return x->kind == QT_OP && x->limits && w->display;
}

/* Is node i a row of primes only (f')? */
static bool only_primes(const mw *w, int i)
{
	const qtex_node *r = &w->t->v[i];
	if (r->kind != QT_ROW || r->first < 0)
		return false;
	for (int c = r->first; c >= 0; c = w->t->v[c].next)
		if (w->t->v[c].kind != QT_SYM || w->t->v[c].cp != 0x2032)
			return false;
	return true;
}

static void scripts(mw *w, const qtex_node *x)
{
	const qtex_node *base = x->a >= 0 ? &w->t->v[x->a] : NULL;
	if (!x->limits && x->b < 0 && x->c >= 0 && x->a >= 0 && only_primes(w, x->c)) {
		qbuf_puts(w->b, "<mrow>");   /* f′: the prime is raised by its glyph */
		node(w, x->a);
		for (int c = w->t->v[x->c].first; c >= 0; c = w->t->v[c].next)
			qbuf_puts(w->b, "<mo>\xE2\x80\xB2</mo>");
		qbuf_puts(w->b, "</mrow>");
		return;
	}
	bool lim = x->limits || (base && takes_limits(w, base));   /* \overset: <mover> */
	const char *tag = x->b >= 0 && x->c >= 0 ? (lim ? "munderover" : "msubsup")
			  : x->b >= 0 ? (lim ? "munder" : "msub") : (lim ? "mover" : "msup");
	qbuf_printf(w->b, "<%s>", tag);
	if (x->limits && base && base->kind == QT_BIGOP) {   /* \overset{a}{\sum}: fixed */
		qbuf_puts(w->b, "<mo largeop=\"true\" movablelimits=\"false\">");
		qbuf_put_utf8(w->b, base->cp);
		qbuf_puts(w->b, "</mo>");
	} else if (x->a >= 0)
		node(w, x->a);
	else
		qbuf_puts(w->b, "<mrow/>");
	bool d = w->display;
	w->display = false;
	if (x->b >= 0)
		node(w, x->b);
	if (x->c >= 0)
		node(w, x->c);
	w->display = d;
	qbuf_printf(w->b, "</%s>", tag);
}

static void fence(mw *w, uint32_t cp, bool stretch)
{
	if (!cp)
		return;
	qbuf_printf(w->b, "<mo fence=\"true\" stretchy=\"%s\">", stretch ? "true" : "false");
	put_cp(w->b, cp);
	qbuf_puts(w->b, "</mo>");
}

static void frac(mw *w, const qtex_node *x)
{
	bool d = w->display;
	if (x->style)
		qbuf_printf(w->b, "<mstyle displaystyle=\"%s\">", x->style == 1 ? "true" : "false");
	if (!x->rule)
		qbuf_puts(w->b, "<mrow>");
	fence(w, x->open, true);
	qbuf_puts(w->b, x->rule ? "<mfrac>" : "<mfrac linethickness=\"0\">");
	w->display = false;
	node(w, x->a);
	node(w, x->b);
	w->display = d;
	qbuf_puts(w->b, "</mfrac>");
	fence(w, x->close, true);
	if (!x->rule)
		qbuf_puts(w->b, "</mrow>");
	if (x->style)
		qbuf_puts(w->b, "</mstyle>");
}

static void array(mw *w, const qtex_node *x)
{
	static const char *const align[] = {
		[QE_CASES] = " columnalign=\"left left\"",
		[QE_ALIGNED] = " columnalign=\"right left right left right left\" columnspacing=\"0em 2em 0em 2em 0em\"",
	};
	qbuf_puts(w->b, "<mrow>");
	fence(w, x->open, true);
	const char *al = x->env < (int)(sizeof align / sizeof align[0]) && align[x->env] ? align[x->env] : "";
	qbuf_printf(w->b, "<mtable%s>", al);
	int c = x->first;
	bool d = w->display;
	w->display = x->env == QE_ALIGNED || x->env == QE_GATHERED;
	for (int r = 0; r < x->rows; r++) {
		qbuf_puts(w->b, "<mtr>");
		for (int k = 0; k < x->cols && c >= 0; k++, c = w->t->v[c].next) {
			qbuf_puts(w->b, "<mtd>");
			node(w, c);
			qbuf_puts(w->b, "</mtd>");
		}
		qbuf_puts(w->b, "</mtr>");
	}
	w->display = d;
	qbuf_puts(w->b, "</mtable>");
	fence(w, x->close, true);
	qbuf_puts(w->b, "</mrow>");
}

/* Is the atom a named operator (\sin, \lim_x, \operatorname{..})? */
static bool named_op(const mw *w, int i)
{
	const qtex_node *x = &w->t->v[i];
	if (x->kind == QT_SCRIPTS && x->a >= 0)
		x = &w->t->v[x->a];
	return x->kind == QT_OP && x->cls != QC_BIN;
}

/* MathML spaces its operators (<mo>), not a named operator, which is an
 * <mi>: TeX's thin space between it and an ordinary neighbour, written
 * out. */
static bool thin_before(const mw *w, int prev, int cur)
{
	if (prev < 0)
		return false;
	const qtex_node *p = &w->t->v[prev], *c = &w->t->v[cur];
	bool po = named_op(w, prev), co = named_op(w, cur);
	if (!po && !co)
		return false;
	if (co)   /* ord or op, then op */
		return p->kind != QT_SPACE && (p->cls == QC_ORD || p->cls == QC_CLOSE || po
					       || p->cls == QC_INNER);
	/* op, then ord (not an opening fence or an operator) */
	return c->kind != QT_SPACE && c->cls != QC_OPEN && c->cls != QC_BIN && c->cls != QC_REL
	       && c->cls != QC_PUNCT && c->cls != QC_CLOSE && c->kind != QT_FENCED
	       && !(c->kind == QT_SYM && c->cp == '(');
}

static void row(mw *w, const qtex_node *x)
{
	int n = 0;
	for (int c = x->first; c >= 0; c = w->t->v[c].next)
		n++;
	if (n != 1)
		qbuf_puts(w->b, n ? "<mrow>" : "<mrow/>");
	int styles = 0, prev = -1;
	bool d = w->display;
	for (int c = x->first; c >= 0; prev = c, c = w->t->v[c].next) {
		const qtex_node *y = &w->t->v[c];
		if (thin_before(w, prev, c))
			qbuf_puts(w->b, "<mspace width=\"0.1667em\"/>");
		if (y->kind == QT_STYLE) {
			qbuf_printf(w->b, "<mstyle displaystyle=\"%s\"%s>", y->style == 1 ? "true" : "false",
				    y->style == 3 ? " scriptlevel=\"1\"" : y->style == 4 ? " scriptlevel=\"2\"" : "");
			w->display = y->style == 1;
			styles++;
		} else if (y->kind == QT_SYM && is_digit(y->cp) && y->font != QF_BB) {
			c = number(w, c);
		} else {
			node(w, c);
		}
	}
	while (styles--)
		qbuf_puts(w->b, "</mstyle>");
	w->display = d;
	if (n > 1)
		qbuf_puts(w->b, "</mrow>");
}

static void node(mw *w, int i)
{
	const qtex_node *x = &w->t->v[i];
	qbuf *b = w->b;
	switch ((qtex_kind)x->kind) {
	case QT_ROW:
		row(w, x);
		break;
	case QT_SYM:
		if (is_digit(x->cp) && x->font != QF_BB) {
			qbuf_printf(b, "<mn>%c</mn>", (char)x->cp);
			break;
		}
		sym(w, x);
		break;
	case QT_TEXT:
		qbuf_puts(b, x->font == QF_RM ? "<mtext>" : "");
		if (x->font != QF_RM)
			qbuf_printf(b, "<mtext mathvariant=\"%s\">", x->font == QF_BF ? "bold"
				    : x->font == QF_IT ? "italic" : x->font == QF_TT ? "monospace" : "sans-serif");
		mtext_of(w, x);
		qbuf_puts(b, "</mtext>");
		break;
	case QT_OP:
		if (x->cls == QC_BIN) {
			qbuf_puts(b, "<mo>");
			text_of(w, x);
			qbuf_puts(b, "</mo>");
			break;
		}
		qbuf_puts(b, "<mi>");
		text_of(w, x);
		qbuf_puts(b, "</mi>");
		break;
	case QT_BIGOP:
		qbuf_printf(b, "<mo largeop=\"true\" movablelimits=\"%s\">", x->limits ? "true" : "false");
		qbuf_put_utf8(b, x->cp);
		qbuf_puts(b, "</mo>");
		break;
	case QT_SCRIPTS:
		scripts(w, x);
		break;
	case QT_FRAC:
		frac(w, x);
		break;
	case QT_SQRT:
		if (x->b >= 0) {
			qbuf_puts(b, "<mroot>");
			node(w, x->a);
			node(w, x->b);
			qbuf_puts(b, "</mroot>");
		} else {
			qbuf_puts(b, "<msqrt>");
			node(w, x->a);
			qbuf_puts(b, "</msqrt>");
		}
		break;
	case QT_ACCENT:
		qbuf_puts(b, "<mover accent=\"true\">");
		node(w, x->a);
		qbuf_printf(b, "<mo stretchy=\"%s\">", x->wide ? "true" : "false");
		put_cp(b, x->cp);
		qbuf_puts(b, "</mo></mover>");
		break;
	case QT_OVER:
		qbuf_puts(b, x->cp ? "<mover>" : "<mover accent=\"true\">");
		node(w, x->a);
		qbuf_puts(b, "<mo stretchy=\"true\">");
		qbuf_put_utf8(b, x->cp ? x->cp : 0x203E);
		qbuf_puts(b, "</mo></mover>");
		break;
	case QT_UNDER:
		qbuf_puts(b, x->cp ? "<munder>" : "<munder accentunder=\"true\">");
		node(w, x->a);
		qbuf_puts(b, "<mo stretchy=\"true\">");
		qbuf_put_utf8(b, x->cp ? x->cp : '_');
		qbuf_puts(b, "</mo></munder>");
		break;
	case QT_FENCED:
		qbuf_puts(b, "<mrow>");
		fence(w, x->open, true);
		node(w, x->a);
		fence(w, x->close, true);
		qbuf_puts(b, "</mrow>");
		break;
	case QT_DELIM: {
		static const char *const em[] = {"1em", "1.2em", "1.8em", "2.4em", "3em"};
		qbuf_printf(b, "<mo minsize=\"%s\" maxsize=\"%s\">", em[x->size], em[x->size]);
		put_cp(b, x->cp ? x->cp : ' ');
		qbuf_puts(b, "</mo>");
		break;
	}
	case QT_SPACE:
		qbuf_printf(b, "<mspace width=\"%.4gem\"/>", x->mu / 18.0);
		break;
	case QT_ARRAY:
		array(w, x);
		break;
	case QT_STYLE:
		break;   /* written by row() */
	}
}

bool qmathml(qbuf *b, const char *tex, size_t n, bool display)
{
	qtex *t = qtex_parse(tex, n, NULL);
	if (!t)
		return false;
	qbuf_puts(b, "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"");
	if (display)
		qbuf_puts(b, " display=\"block\"");
	qbuf_puts(b, " alttext=\"");
	qx_attr(b, tex, n);
	qbuf_puts(b, "\">");
	mw w = {b, t, display};
	node(&w, t->root);
	qbuf_puts(b, "</math>");
	if (t->tag >= 0 && display) {
		qbuf_puts(b, "<span class=\"tag\">(");
		text_of(&w, &t->v[t->tag]);
		qbuf_puts(b, ")</span>");
	}
	qtex_free(t);
	return true;
}
