/* texplain.c - a TeX formula as plain Unicode text (see texplain.h): one
 * walk over the parser's tree with an explicit stack of steps, so a deep
 * formula costs no recursion. A part that needs a second look (a
 * script, an accented letter) is written first, then rewritten in place
 * by a step that waits below its nodes on the stack. */
#include "texplain.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "texmath.h"
#include "utf8.h"

typedef enum step_op {
	S_NODE,     /* write node x */
	S_CP,       /* write the character cp */
	S_SPACE,    /* a space; runs are collapsed at the end */
	S_TIGHT,    /* cp 1: into a script, fraction or root (operators
	             * unspaced, as TeX sets them in script style); 0: out */
	S_MARK,     /* remember where a part starts */
	S_SUP,      /* the part since the mark as a superscript */
	S_SUB,      /* ... as a subscript */
	S_ACCENT,   /* combining mark cp after the part: x 0 when the part
	             * must be one character, 1 after each character */
} step_op;

typedef struct step {
	uint8_t op;
	int32_t x;
	uint32_t cp;
} step;

typedef struct walker {
	const qtex *t;
	qbuf *out;
	step *v;
	int n, cap;
	size_t *marks;
	int nmarks, capmarks;
	int *kids;          /* the children of the row being pushed */
	int *prevs;         /* the class of the atom before each, or -1 */
	int capkids;
	int tight;
	bool failed;
	qbuf part;          /* a script or accented part, rewritten */
} walker;

static void push(walker *w, step_op op, int32_t x, uint32_t cp)
{
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 64;
		w->v = qxrealloc(w->v, sizeof *w->v * (size_t)w->cap);
	}
	w->v[w->n++] = (step){(uint8_t)op, x, cp};
}

static void mark(walker *w)
{
	if (w->nmarks == w->capmarks) {
		w->capmarks = w->capmarks ? w->capmarks * 2 : 16;
		w->marks = qxrealloc(w->marks, sizeof *w->marks * (size_t)w->capmarks);
	}
	w->marks[w->nmarks++] = w->out->len;
}

/* ---------------------------------------------------- script characters */

/* The second of the pair of map[0..n) whose first is cp, or 0. */
static uint32_t paired(const uint32_t (*map)[2], size_t n, uint32_t cp)
{
	for (size_t k = 0; k < n; k++)
		if (map[k][0] == cp)
			return map[k][1];
	return 0;
}

/* The superscript form of cp, or 0 when Unicode has none. */
static uint32_t sup_cp(uint32_t cp)
{
	static const char letters[] = "abcdefghijklmnoprstuvwxyz";
	static const uint16_t lower[] = {
		0x1D43, 0x1D47, 0x1D9C, 0x1D48, 0x1D49, 0x1DA0, 0x1D4D, 0x02B0, 0x2071,
		0x02B2, 0x1D4F, 0x02E1, 0x1D50, 0x207F, 0x1D52, 0x1D56, 0x02B3, 0x02E2,
		0x1D57, 0x1D58, 0x1D5B, 0x02B7, 0x02E3, 0x02B8, 0x1DBB};
	static const char capitals[] = "ABDEGHIJKLMNOPRTUVW";
	static const uint16_t upper[] = {
		0x1D2C, 0x1D2E, 0x1D30, 0x1D31, 0x1D33, 0x1D34, 0x1D35, 0x1D36, 0x1D37,
		0x1D38, 0x1D39, 0x1D3A, 0x1D3C, 0x1D3E, 0x1D3F, 0x1D40, 0x1D41, 0x2C7D,
		0x1D42};
	static const uint32_t other[][2] = {
		{'+', 0x207A}, {'-', 0x207B}, {0x2212, 0x207B}, {'=', 0x207C}, {'(', 0x207D},
		{')', 0x207E}, {0x2032, 0x2032}, {0x2033, 0x2033}, {0x2217, '*'},
		{0x3B1, 0x1D45},
		{0x3B2, 0x1D5D}, {0x3B3, 0x1D5E}, {0x3B4, 0x1D5F}, {0x3B8, 0x1DBF},
		{0x3B9, 0x1DA5}, {0x3C6, 0x1D60}, {0x3D5, 0x1D60}, {0x3C7, 0x1D61}};
	if (cp >= '0' && cp <= '9')
		return cp == '1' ? 0xB9 : cp == '2' ? 0xB2 : cp == '3' ? 0xB3 : 0x2070 + (cp - '0');
	if (cp < 0x80 && cp) {
		const char *l = strchr(letters, (int)cp), *u = strchr(capitals, (int)cp);
		if (l)
			return lower[l - letters];
		if (u)
			return upper[u - capitals];
	}
	return paired(other, sizeof other / sizeof other[0], cp);
}

/* The subscript form of cp, or 0 when Unicode has none. */
static uint32_t sub_cp(uint32_t cp)
{
	static const uint32_t map[][2] = {
		{'+', 0x208A}, {'-', 0x208B}, {0x2212, 0x208B}, {'=', 0x208C}, {'(', 0x208D},
		{')', 0x208E}, {'a', 0x2090}, {'e', 0x2091}, {'o', 0x2092}, {'x', 0x2093},
		{'h', 0x2095}, {'k', 0x2096}, {'l', 0x2097}, {'m', 0x2098}, {'n', 0x2099},
		{'p', 0x209A}, {'s', 0x209B}, {'t', 0x209C}, {'i', 0x1D62}, {'r', 0x1D63},
		{'u', 0x1D64}, {'v', 0x1D65}, {'j', 0x2C7C}, {0x3B2, 0x1D66}, {0x3B3, 0x1D67},
		{0x3C1, 0x1D68}, {0x3C6, 0x1D69}, {0x3D5, 0x1D69}, {0x3C7, 0x1D6A}};
	if (cp >= '0' && cp <= '9')
		return 0x2080 + (cp - '0');
	return paired(map, sizeof map / sizeof map[0], cp);
}

/* The combining form of an accent of texmath.c's table, or 0. */
static uint32_t combining(uint32_t accent)
{
	static const uint32_t map[][2] = {
		{0x5E, 0x302}, {0xAF, 0x304}, {0x2192, 0x20D7}, {0x2190, 0x20D6}, {0x7E, 0x303},
		{0x2D9, 0x307}, {0xA8, 0x308}, {0x2C7, 0x30C}, {0x2D8, 0x306}, {0xB4, 0x301},
		{0x60, 0x300}, {0x2DA, 0x30A}};
	return paired(map, sizeof map / sizeof map[0], accent);
}

/* ------------------------------------------------------- rewriting parts */

/* The part written since the last mark, moved into w->part. */
static bool take_part(walker *w)
{
	if (!w->nmarks) {
		w->failed = true;
		return false;
	}
	size_t start = w->marks[--w->nmarks];
	qbuf_reset(&w->part);
	qbuf_put(&w->part, w->out->ptr + start, w->out->len - start);
	qbuf_truncate(w->out, start);
	return true;
}

/* The part as super- or subscript characters when each has one; else
 * ^x for one character, ^(...) for more. */
static void finish_script(walker *w, bool sup)
{
	if (!take_part(w))
		return;
	const unsigned char *s = (const unsigned char *)w->part.ptr;
	size_t n = w->part.len, start = w->out->len, chars = 0;
	bool all = true;
	for (size_t i = 0; i < n;) {
		size_t l;
		int32_t cp = qutf8_decode(s + i, n - i, &l);
		uint32_t to = cp < 0 ? 0 : sup ? sup_cp((uint32_t)cp) : sub_cp((uint32_t)cp);
		if (!to) {
			all = false;
			break;
		}
		qbuf_put_utf8(w->out, to);
		i += l;
	}
	if (all)
		return;
	qbuf_truncate(w->out, start);
	for (size_t i = 0; i < n; i += qutf8_seq_len(s + i, n - i))
		chars++;
	if (!chars)
		return;
	qbuf_putc(w->out, sup ? '^' : '_');
	if (chars > 1)
		qbuf_putc(w->out, '(');
	qbuf_put(w->out, s, n);
	if (chars > 1)
		qbuf_putc(w->out, ')');
}

/* The part with combining mark cp after its one character (each: after
 * every character, as a line over or under them). */
static void finish_accent(walker *w, uint32_t cp, bool each)
{
	if (!take_part(w))
		return;
	const unsigned char *s = (const unsigned char *)w->part.ptr;
	size_t n = w->part.len, chars = 0;
	for (size_t i = 0; i < n;) {
		size_t l = qutf8_seq_len(s + i, n - i);
		if (s[i] == ' ') {   /* a line under a space says nothing */
			w->failed = true;
			return;
		}
		qbuf_put(w->out, s + i, l);
		qbuf_put_utf8(w->out, cp);
		chars++;
		i += l;
	}
	if (chars == 0 || (chars > 1 && !each))
		w->failed = true;
}

/* ------------------------------------------------------------- the walk */

/* The class a node has among its row's atoms (a group is ordinary). */
static int class_of(const qtex_node *x)
{
	return x->kind == QT_ROW ? QC_ORD : x->cls;
}

static bool is_filler(const qtex_node *x)
{
	return x->kind == QT_SPACE || x->kind == QT_STYLE;
}

/* Push a row's children, each with the spaces TeX's spacing would show
 * as a space in text: around a binary operator (not a sign) and a
 * relation, after punctuation, on either side of a named operator. */
static void push_row(walker *w, const qtex_node *row)
{
	const qtex *t = w->t;
	int n = 0, last = -1;
	for (int c = row->first; c >= 0; c = t->v[c].next) {
		if (n == w->capkids) {
			w->capkids = w->capkids ? w->capkids * 2 : 16;
			w->kids = qxrealloc(w->kids, sizeof *w->kids * (size_t)w->capkids);
			w->prevs = qxrealloc(w->prevs, sizeof *w->prevs * (size_t)w->capkids);
		}
		w->kids[n] = c;
		w->prevs[n++] = last;
		if (!is_filler(&t->v[c]))
			last = class_of(&t->v[c]);
	}
	/* the class of the atom after each child: going backwards, as the
	 * children are pushed */
	int next = -1;
	for (int i = n - 1; i >= 0; i--) {
		const qtex_node *x = &t->v[w->kids[i]];
		int prev = w->prevs[i];
		bool before = false, after = false;
		int cls = class_of(x);
		if (is_filler(x)) {
			push(w, S_NODE, w->kids[i], 0);
			continue;
		}
		if (cls == QC_BIN && !w->tight) {
			bool binary = (prev == QC_ORD || prev == QC_CLOSE || prev == QC_INNER)
				      && next >= 0 && next != QC_REL && next != QC_CLOSE
				      && next != QC_PUNCT;
			before = after = binary;
		} else if (cls == QC_REL && !w->tight) {   /* := is one relation */
			before = prev >= 0 && prev != QC_OPEN && prev != QC_REL;
			after = next >= 0 && next != QC_CLOSE && next != QC_PUNCT && next != QC_REL;
		} else if (cls == QC_PUNCT && !w->tight) {
			after = next >= 0 && next != QC_CLOSE;
		} else if (cls == QC_OP) {
			before = prev == QC_ORD || prev == QC_CLOSE || prev == QC_INNER;
			after = next == QC_ORD || next == QC_OP || next == QC_INNER;
		}
		if (after)
			push(w, S_SPACE, 0, 0);
		push(w, S_NODE, w->kids[i], 0);
		if (before)
			push(w, S_SPACE, 0, 0);
		next = cls;
	}
}

/* Is x one atom to a reader, so that x/2 and √x need no parentheses: a
 * character, a number, a word of text, a scripted or accented atom. */
static bool one_atom(const qtex *t, int x)
{
	while (x >= 0) {
		const qtex_node *a = &t->v[x];
		switch (a->kind) {
		case QT_ROW: {
			int only = -1, count = 0;
			bool number = true;
			for (int c = a->first; c >= 0; c = t->v[c].next) {
				const qtex_node *k = &t->v[c];
				if (is_filler(k))
					continue;
				count++;
				only = c;
				number = number && k->kind == QT_SYM
					 && ((k->cp >= '0' && k->cp <= '9') || k->cp == '.');
			}
			if (count == 0 || number)
				return true;
			if (count > 1)
				return false;
			x = only;
			break;
		}
		case QT_SCRIPTS:
			x = a->a;
			break;
		case QT_TEXT:
			return !memchr(qtex_text(t, a), ' ', a->len);
		case QT_FRAC:
			return false;
		default:
			return true;
		}
	}
	return true;
}

/* Push x's text, in parentheses when it is more than one atom. */
static void push_operand(walker *w, int x)
{
	bool paren = !one_atom(w->t, x);
	if (paren)
		push(w, S_CP, 0, ')');
	if (x >= 0)
		push(w, S_NODE, x, 0);
	if (paren)
		push(w, S_CP, 0, '(');
}

/* Push a script: written, then rewritten as one. */
static void push_script(walker *w, int x, step_op op)
{
	push(w, op, 0, 0);
	push(w, S_TIGHT, 0, 0);
	push(w, S_NODE, x, 0);
	push(w, S_TIGHT, 0, 1);
	push(w, S_MARK, 0, 0);
}

static void put_text(walker *w, const qtex_node *x)
{
	qbuf_put(w->out, qtex_text(w->t, x), x->len);
}

static void node(walker *w, int i)
{
	const qtex_node *x = &w->t->v[i];
	switch (x->kind) {
	case QT_ROW:
		push_row(w, x);
		break;
	case QT_SYM: {
		uint32_t cp = x->cp;
		if (x->font == QF_BB || x->font == QF_CAL || x->font == QF_FRAK)
			cp = qtex_variant_cp(cp, (qtex_font)x->font);
		qbuf_put_utf8(w->out, cp);
		if (x->negated)
			qbuf_put_utf8(w->out, 0x338);
		break;
	}
	case QT_TEXT:
	case QT_OP:
		put_text(w, x);
		break;
	case QT_BIGOP:
		qbuf_put_utf8(w->out, x->cp);
		break;
	case QT_SCRIPTS:   /* nucleus, subscript, superscript: xᵢ² */
		if (x->c >= 0)
			push_script(w, x->c, S_SUP);
		if (x->b >= 0)
			push_script(w, x->b, S_SUB);
		if (x->a >= 0)
			push(w, S_NODE, x->a, 0);
		break;
	case QT_FRAC:
		if (!x->rule) {   /* a binomial has no plain form */
			w->failed = true;
			break;
		}
		push(w, S_TIGHT, 0, 0);
		push_operand(w, x->b);
		push(w, S_CP, 0, '/');
		push_operand(w, x->a);
		push(w, S_TIGHT, 0, 1);
		break;
	case QT_SQRT:
		push(w, S_TIGHT, 0, 0);
		push_operand(w, x->a);
		push(w, S_CP, 0, 0x221A);
		if (x->b >= 0)
			push_script(w, x->b, S_SUP);
		push(w, S_TIGHT, 0, 1);
		break;
	case QT_ACCENT: {
		uint32_t cp = combining(x->cp);
		if (!cp) {
			w->failed = true;
			break;
		}
		push(w, S_ACCENT, 0, cp);
		push(w, S_NODE, x->a, 0);
		push(w, S_MARK, 0, 0);
		break;
	}
	case QT_OVER:
	case QT_UNDER:
		if (x->cp) {   /* a brace over or under a part: no text form */
			w->failed = true;
			break;
		}
		push(w, S_ACCENT, 1, x->kind == QT_OVER ? 0x305 : 0x332);
		push(w, S_NODE, x->a, 0);
		push(w, S_MARK, 0, 0);
		break;
	case QT_FENCED:
		if (x->close)
			push(w, S_CP, 0, x->close);
		if (x->a >= 0)
			push(w, S_NODE, x->a, 0);
		if (x->open)
			push(w, S_CP, 0, x->open);
		break;
	case QT_DELIM:
		if (x->cp)
			qbuf_put_utf8(w->out, x->cp);
		break;
	case QT_SPACE:
		if (x->mu > 0)
			qbuf_putc(w->out, ' ');
		break;
	case QT_STYLE:
		break;
	default:   /* a matrix, cases, lines: no text form */
		w->failed = true;
		break;
	}
}

static void run(walker *w)
{
	while (w->n && !w->failed) {
		step s = w->v[--w->n];
		switch ((step_op)s.op) {
		case S_NODE:
			if (s.x >= 0)
				node(w, s.x);
			break;
		case S_CP:
			qbuf_put_utf8(w->out, s.cp);
			break;
		case S_SPACE:
			qbuf_putc(w->out, ' ');
			break;
		case S_TIGHT:
			w->tight += s.cp ? 1 : -1;
			break;
		case S_MARK:
			mark(w);
			break;
		case S_SUP:
		case S_SUB:
			finish_script(w, s.op == S_SUP);
			break;
		case S_ACCENT:
			finish_accent(w, s.cp, s.x == 1);
			break;
		}
	}
}

/* Runs of spaces in out[start..] as one, none at either end. */
static void collapse_spaces(qbuf *out, size_t start)
{
	size_t j = start;
	for (size_t i = start; i < out->len; i++) {
		char c = out->ptr[i];
		if (c == ' ' && (j == start || out->ptr[j - 1] == ' '))
			continue;
		out->ptr[j++] = c;
	}
	if (j > start && out->ptr[j - 1] == ' ')
		j--;
	qbuf_truncate(out, j);
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return false;
	return true;
}

bool qtex_plain(const char *tex, size_t n, qbuf *out)
{
	size_t start = out->len;
	qtex *t = qtex_parse(tex, n, NULL);
	walker w = {.t = t, .out = out};
	qbuf_init(&w.part);
	if (t) {
		push(&w, S_NODE, t->root, 0);
		run(&w);
		if (!w.failed && t->tag >= 0) {
			qbuf_puts(out, " (");
			put_text(&w, &t->v[t->tag]);
			qbuf_putc(out, ')');
		}
	}
	bool ok = t && !w.failed && w.nmarks == 0;
	if (ok) {
		collapse_spaces(out, start);
		ok = out->len > start || blank(tex, n);
	}
	if (!ok) {   /* as written: nothing vanishes */
		qbuf_truncate(out, start);
		qbuf_put(out, tex, n);
	}
	free(w.v);
	free(w.marks);
	free(w.kids);
	free(w.prevs);
	qbuf_free(&w.part);
	qtex_free(t);
	return ok;
}
