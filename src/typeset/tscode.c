/* tscode.c - code blocks: monospaced lines on a tinted background (see
 * tslayout.h).
 *
 * Each source line becomes one or more visual lines. A line too long for
 * the block wraps at a token boundary in its last 60% (after a space, a
 * comma or an opening bracket first, then between a name and an
 * operator), else at the last character that fits; the continuation
 * starts at the line's own indentation, with a continuation mark (a
 * hooked arrow, drawn as a path so that copying the code does not pick
 * it up) and two columns more.
 * Nothing is ever cut. Lines are exactly one leading apart, so the
 * background of consecutive lines is seamless; the block may break across
 * pages, but never after its first or before its last visual line.
 * A list item that opens with the block has its label beside the first
 * line, as beside a paragraph's, not on a line of its own above.
 */
#include <math.h>

#include "tsint.h"

typedef struct cch {
	uint32_t cp;
	const char *s;      /* bytes in the code (or " " for tab fill) */
	uint8_t len;
	uint8_t kind;
	uint16_t face;
	int style;
	float w;
} cch;

typedef struct codectx {
	ts_layout *L;
	const ts_codefmt *f;
	const ts_attr *styles;
	int nstyles;
	int group;
	float x0, avail, cont_w;
	float h, d;
	cch *ch;
	size_t nch, cap;
	int vline;           /* visual lines emitted so far */
} codectx;

static const ts_attr *style_of(const codectx *c, int style)
{
	if (style < 0 || style >= c->nstyles)
		style = 0;
	return &c->styles[style];
}

static void push_char(codectx *c, uint32_t cp, const char *s, size_t len,
		      int style)
{
	const ts_attr *a = style_of(c, style);
	TS_GROW(c->ch, c->nch, c->cap, 1);
	cch *x = &c->ch[c->nch++];
	ts_glyph g = ts_glyph_for(c->L->fonts, a->role, cp, ts_is_emoji_presentation(cp));
	x->cp = cp;
	x->s = s;
	x->len = (uint8_t)len;
	x->face = (uint16_t)g.face;
	x->kind = (uint8_t)ts__run_kind(g.kind);
	x->style = style;
	x->w = (float)g.adv * a->size / 1000.0f;
}

/* Runs for chars [a, b) starting at x; returns the end x. */
static float put_runs(codectx *c, size_t a, size_t b, float x)
{
	ts_layout *L = c->L;
	size_t i = a;
	while (i < b) {
		size_t j = i + 1;
		if (c->ch[i].kind == TS_RUN_TEXT)
			while (j < b && c->ch[j].kind == TS_RUN_TEXT &&
			       c->ch[j].face == c->ch[i].face &&
			       style_of(c, c->ch[j].style)->color ==
				       style_of(c, c->ch[i].style)->color)
				j++;
		const ts_attr *st = style_of(c, c->ch[i].style);
		ts_run *r = ts__run(L);
		r->x = x - c->f->x;
		r->off = (uint32_t)L->pool.len;
		float w = 0;
		for (size_t k = i; k < j; k++) {
			ts__pool(L, c->ch[k].s, c->ch[k].len);
			w += c->ch[k].w;
		}
		r->len = (uint32_t)(L->pool.len - r->off);
		r->w = w;
		r->size = st->size;
		r->color = st->color;
		r->face = c->ch[i].face;
		r->kind = c->ch[i].kind;
		r->nokern = 1;
		x += w;
		i = j;
	}
	return x;
}

static void put_mark(codectx *c, float x)
{
	ts_run *r = ts__run(c->L);
	r->x = x - c->f->x;
	r->w = c->cont_w * 0.8f;
	r->size = c->f->size;
	r->color = c->f->mark_color;
	r->kind = TS_RUN_CONTMARK;
	r->off = 0;
	r->len = 0;
}

/* The width of the label's character at s (l bytes), and its glyph. */
static float label_char(const codectx *c, const char *s, size_t n, size_t *l,
			ts_glyph *g)
{
	const ts_attr *a = &c->f->label_attr;
	uint32_t cp = ts__cp(s, n, l);
	*g = ts_glyph_for(c->L->fonts, a->role, cp, ts_is_emoji_presentation(cp));
	return (float)g->adv * a->size / 1000.0f;
}

/* The list label beside the first line: a run per face (a bullet or a
 * number, a few characters), right-aligned to end label_gap left of
 * the block, so it stands where a paragraph's label would. */
static void put_label(codectx *c)
{
	const char *s = c->f->label;
	size_t n = strlen(s), l;
	ts_glyph g;
	float w = 0;
	for (size_t i = 0; i < n; i += l)
		w += label_char(c, s + i, n - i, &l, &g);
	float x = -c->f->label_gap - w;
	ts_run *r = NULL;
	for (size_t i = 0; i < n; i += l) {
		float cw = label_char(c, s + i, n - i, &l, &g);
		uint8_t kind = (uint8_t)ts__run_kind(g.kind);
		if (r && kind == TS_RUN_TEXT && r->kind == TS_RUN_TEXT && r->face == g.face) {
			ts__pool(c->L, s + i, l);   /* right after r's text */
			r->len += (uint32_t)l;
			r->w += cw;
		} else {
			r = ts__run(c->L);
			r->x = x;
			r->w = cw;
			r->size = c->f->label_attr.size;
			r->color = c->f->label_attr.color;
			r->face = (uint16_t)g.face;
			r->kind = kind;
			r->off = ts__pool(c->L, s + i, l);
			r->len = (uint32_t)l;
		}
		x += cw;
	}
}

static void emit_vline(codectx *c, size_t a, size_t b, float indent, bool last)
{
	ts_layout *L = c->L;
	bool cont = indent >= 0;
	if (c->vline > 0) {
		int pen = c->vline == 1 ? TS_INF_PENALTY : cont ? 50 : 0;
		if (last)
			pen = TS_INF_PENALTY;
		if (pen)
			ts_v_penalty(L, pen);
	}
	uint32_t run0 = (uint32_t)L->nruns;
	float x = c->x0;
	if (cont) {
		put_mark(c, x + indent);
		x += indent + c->cont_w;
	}
	if (c->vline == 0 && c->f->label && *c->f->label)
		put_label(c);   /* first: it reads before the code */
	put_runs(c, a, b, x);
	ts_linespec s = {c->f->x, c->f->width, c->h, c->d, c->f->leading,
			 run0, (uint32_t)(L->nruns - run0), c->group, -1, 0};
	ts__line(L, &s);
	c->vline++;
}

static bool name_char(uint32_t cp)
{
	return cp == '_' || cp == '$' || (cp >= '0' && cp <= '9') ||
	       ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') || cp >= 0x80;
}

/* How good a break between a and b is: 2 after a space, comma, opening
 * bracket or semicolon; 1 at another token boundary; 0 inside a token
 * (a name, a number, a run of operator characters). */
static int break_rank(uint32_t a, uint32_t b)
{
	if (a == ' ' || (a < 0x80 && a && strchr(",;([{", (int)a)))
		return 2;
	if (b == ' ')
		return 0;   /* the space goes with the line it ends */
	return name_char(a) != name_char(b) || (a < 0x80 && strchr(".)]}:", (int)a)) ? 1 : 0;
}

/* The break for chars [a, b) that fit (b < n): the best-ranked one in
 * their last 60%, the last of its rank. */
static size_t choose_break(const codectx *c, size_t a, size_t b)
{
	size_t min = a + (b - a) * 2 / 5, best = b;
	int rank = 0;
	for (size_t k = b; k > min + 1 && rank < 2; k--) {
		int r = break_rank(c->ch[k - 1].cp, c->ch[k].cp);
		if (r > rank) {
			rank = r;
			best = k;
		}
	}
	return best;
}

/* Width of the line's own indentation (leading spaces), at most half the
 * block, so wrapped lines continue under their own code. */
static float line_indent(const codectx *c)
{
	float w = 0;
	for (size_t k = 0; k < c->nch && c->ch[k].cp == ' '; k++)
		w += c->ch[k].w;
	return fminf(w, c->avail / 2);
}

/* Lay out one source line held in c->ch; last: the block's last line. */
static void layout_line(codectx *c, bool last_line)
{
	size_t a = 0, n = c->nch;
	float indent = -1, own = line_indent(c);
	do {
		float avail = c->avail - (indent >= 0 ? indent + c->cont_w : 0);
		float w = 0;
		size_t b = a;
		while (b < n && w + c->ch[b].w <= avail + 0.01f) {
			w += c->ch[b].w;
			b++;
		}
		if (b == a && b < n)
			b = a + 1;   /* one character wider than the block */
		if (b < n)
			b = choose_break(c, a, b);
		emit_vline(c, a, b, indent, last_line && b >= n);
		a = b;
		while (a < n && c->ch[a].cp == ' ')   /* no spaces to start a continuation */
			a++;
		indent = own;
	} while (a < n);
}

/* Collect the characters of one source line [s, e) with styles. */
static void collect_line(codectx *c, const char *code, size_t s, size_t e,
			 const ts_codespan *spans, size_t nspans, size_t *si)
{
	static const char space[] = " ";
	int col = 0;
	c->nch = 0;
	for (size_t i = s; i < e;) {
		while (*si < nspans && spans[*si].off + spans[*si].len <= i)
			(*si)++;
		int style = *si < nspans && spans[*si].off <= i ? spans[*si].style : 0;
		size_t l;
		uint32_t cp = ts__cp(code + i, e - i, &l);
		if (cp == '\t') {
			int tab = c->f->tab > 0 ? c->f->tab : 4;
			do
				push_char(c, ' ', space, 1, style);
			while (++col % tab);
		} else if (ts_is_invisible(cp)) {
			/* nothing to draw */
		} else {
			push_char(c, cp, cp == 0xFFFD && l == 1 ? "\xEF\xBF\xBD" : code + i,
				  cp == 0xFFFD && l == 1 ? 3 : l, style);
			col++;
		}
		i += l;
	}
}

void ts_code_block(ts_layout *L, const ts_codefmt *f, const char *code,
		   size_t n, const ts_codespan *spans, size_t nspans,
		   const ts_attr *styles, int nstyles)
{
	if (n && code[n - 1] == '\n')
		n--;
	codectx c;
	memset(&c, 0, sizeof c);
	c.L = L;
	c.f = f;
	c.styles = styles;
	c.nstyles = nstyles;
	c.group = f->bg != TS_NO_COLOR
			  ? ts_layout_group(L, TS_GROUP_BG, f->x, f->x + f->width,
					    f->pad, f->bg)
			  : -1;
	if (c.group >= 0)
		L->groups[c.group].border = f->border;
	int mono = ts_font_role_face(L->fonts, styles[0].role);
	float chw = (float)ts_font_advance(L->fonts, mono, 'M') * f->size / 1000.0f;
	c.cont_w = 2 * chw;
	c.x0 = f->x + f->pad;
	c.avail = f->width - 2 * f->pad;
	if (c.avail < 4 * c.cont_w)
		c.avail = 4 * c.cont_w;
	c.d = 0.25f * f->leading;
	c.h = f->leading - c.d;
	size_t si = 0, s = 0;
	do {
		const char *nl = memchr(code + s, '\n', n - s);
		size_t e = nl ? (size_t)(nl - code) : n;
		collect_line(&c, code, s, e, spans, nspans, &si);
		layout_line(&c, e >= n);
		s = e + 1;
	} while (s <= n);
	free(c.ch);
}
