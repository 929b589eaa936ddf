/* tsmath.c - TeX math to runs by the rules of The TeXbook, appendix G
 * (see tsmath.h). The tree of util/texmath.h has a capped depth, so the
 * typesetter recurses on it. Every box's runs are one contiguous range
 * of m->runs, made just before the box is put together, so placing a box
 * is moving its range. */
#include "tsmath.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/texmath.h"
#include "../util/utf8.h"
#include "tsbidi.h"
#include "tspar.h"

/* ---- TeX's font parameters ---------------------------------------------- */

/* cmsy10 and cmex10 (sigma and xi of appendix G), in em of the size of
 * the style: [0] text, [1] script, [2] scriptscript. */
typedef struct fparams {
	float xheight, quad, num1, num2, num3, denom1, denom2, sup1, sup2, sup3,
	    sub1, sub2, supdrop, subdrop, delim1, delim2, axis, rule;
} fparams;

static const fparams PARAMS[3] = {
	{0.431f, 1.000f, 0.677f, 0.394f, 0.444f, 0.686f, 0.345f, 0.413f, 0.363f, 0.289f,
	 0.150f, 0.247f, 0.386f, 0.050f, 2.390f, 1.010f, 0.250f, 0.040f},
	{0.431f, 1.171f, 0.732f, 0.384f, 0.471f, 0.752f, 0.344f, 0.503f, 0.431f, 0.286f,
	 0.143f, 0.286f, 0.353f, 0.071f, 1.700f, 1.157f, 0.250f, 0.049f},
	{0.431f, 1.472f, 0.925f, 0.387f, 0.504f, 1.025f, 0.532f, 0.504f, 0.404f, 0.294f,
	 0.200f, 0.400f, 0.494f, 0.100f, 1.980f, 1.420f, 0.250f, 0.049f},
};

/* xi8 .. xi13: the spacing of limits. */
#define BIGOP1 0.111f
#define BIGOP2 0.166f
#define BIGOP3 0.200f
#define BIGOP4 0.600f
#define BIGOP5 0.100f
#define NULLDELIM 0.12f      /* \nulldelimiterspace, 1.2pt at 10pt */
#define SCRIPTSPACE 0.05f    /* \scriptspace, 0.5pt at 10pt */
#define DELIMSHORT 0.5f      /* \delimitershortfall, 5pt at 10pt */
#define DELIMFACTOR 0.901f   /* \delimiterfactor 901 */

/* Break penalties of an inline formula, far above TeX's 500 and 700:
 * a formula breaks only when it does not fit on a line. */
#define REL_PENALTY 9000
#define BIN_PENALTY 9500

enum { D = 0, T = 1, S = 2, SS = 3 };

typedef struct mstyle {
	int8_t st;
	bool cramped;
} mstyle;

static float scale_of(int st)
{
	return st <= T ? 1.0f : st == S ? 0.7f : 0.5f;
}

static mstyle sup_style(mstyle s)
{
	return (mstyle){s.st <= T ? S : SS, s.cramped};
}

static mstyle sub_style(mstyle s)
{
	return (mstyle){s.st <= T ? S : SS, true};
}

static mstyle num_style(mstyle s)
{
	return (mstyle){s.st == D ? T : s.st == T ? S : SS, s.cramped};
}

static mstyle den_style(mstyle s)
{
	return (mstyle){s.st == D ? T : s.st == T ? S : SS, true};
}

/* ---- boxes --------------------------------------------------------------- */

typedef struct box {
	float w, h, d;
	float italic;      /* italic correction of a lone character */
	uint32_t r0, r1;   /* runs */
	uint8_t cls;
	bool is_char;      /* a lone character: scripts hang at its ink */
	bool limits;       /* an operator whose scripts go above and below */
} box;

typedef struct ctx {
	ts_math *m;
	ts_fontset *fs;
	const qtex *t;
	float size;        /* of text style, in points */
	ts_rgb color;
} ctx;

static float sz(const ctx *c, mstyle s)
{
	return c->size * scale_of(s.st);
}

static const fparams *fp(mstyle s)
{
	return &PARAMS[s.st <= T ? 0 : s.st == S ? 1 : 2];
}

/* A parameter in points at style s. */
#define P(c, s, field) (fp(s)->field * sz(c, s))

static box empty_box(const ctx *c)
{
	box b = {0};
	b.r0 = b.r1 = (uint32_t)c->m->nruns;
	b.cls = QC_ORD;
	return b;
}

static ts_run *new_run(ctx *c)
{
	ts_math *m = c->m;
	if (m->nruns == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->runs = qxrealloc(m->runs, sizeof *m->runs * m->cap);
	}
	ts_run *r = &m->runs[m->nruns++];
	memset(r, 0, sizeof *r);
	r->color = c->color;
	r->nokern = 1;
	return r;
}

static void move_box(ctx *c, const box *b, float dx, float dy)
{
	for (uint32_t i = b->r0; i < b->r1; i++) {
		c->m->runs[i].x += dx;
		c->m->runs[i].rise += dy;
	}
}

static ts_runkind kind_of(ts_glyphkind g)
{
	switch (g) {
	case TS_GLYPH_IMAGE: return TS_RUN_IMAGE;
	case TS_GLYPH_OUTLINE: return TS_RUN_OUTLINE;
	case TS_GLYPH_MISSING: return TS_RUN_MISSING;
	default: return TS_RUN_TEXT;
	}
}

/* The face that draws cp in role, and how (kind may be NULL): the
 * typesetter's one glyph lookup. */
static int face_for(ctx *c, ts_role role, uint32_t cp, ts_glyphkind *kind)
{
	ts_glyph g = ts_glyph_for(c->fs, role, cp, false);
	if (kind)
		*kind = g.kind;
	return g.face;
}

/* The ink box of cp in face at a size, in points. */
static void ink(ctx *c, int face, uint32_t cp, float size, float v[4])
{
	int16_t b[4];
	ts_font_bbox(c->fs, face, cp, b);
	for (int k = 0; k < 4; k++)
		v[k] = b[k] * size / 1000.0f;
}

/* One character in a role: its box is its advance and its ink. */
static box glyph_face(ctx *c, int face, ts_glyphkind kind, uint32_t cp, float size, bool italic)
{
	box b = empty_box(c);
	float adv = (float)ts_font_advance(c->fs, face, cp) * size / 1000.0f, v[4];
	ink(c, face, cp, size, v);
	ts_run *r = new_run(c);
	r->w = adv;
	r->size = size;
	r->face = (uint16_t)face;
	r->kind = (uint8_t)kind_of(kind);
	r->off = (uint32_t)c->m->text.len;
	qbuf_put_utf8(&c->m->text, cp);
	r->len = (uint32_t)(c->m->text.len - r->off);
	b.r1 = (uint32_t)c->m->nruns;
	b.w = adv;
	b.h = fmaxf(v[3], 0);
	b.d = fmaxf(-v[1], 0);
	b.italic = italic ? fmaxf(v[2] - adv, 0) : 0;
	b.is_char = true;
	return b;
}

static box glyph(ctx *c, ts_role role, uint32_t cp, float size, bool italic)
{
	ts_glyphkind kind;
	int face = face_for(c, role, cp, &kind);
	return glyph_face(c, face, kind, cp, size, italic);
}

/* Text in a role, one run per face. */
static box text_box(ctx *c, ts_role role, const char *s, size_t n, float size)
{
	box b = empty_box(c);
	ts_run *r = NULL;
	for (size_t i = 0; i < n;) {
		size_t l;
		int32_t d = qutf8_decode((const unsigned char *)s + i, n - i, &l);
		uint32_t cp = d < 0 ? 0xFFFD : (uint32_t)d;
		i += l ? l : 1;
		if (ts_is_invisible(cp))
			continue;
		ts_glyph g = ts_glyph_for(c->fs, role, cp, false);
		int face = g.face;
		ts_glyphkind kind = g.kind;
		float adv = (float)g.adv * size / 1000.0f, v[4];
		ink(c, face, cp, size, v);
		if (!r || r->face != face || r->kind != kind_of(kind) || kind != TS_GLYPH_TEXT) {
			r = new_run(c);
			r->x = b.w;
			r->size = size;
			r->face = (uint16_t)face;
			r->kind = (uint8_t)kind_of(kind);
			r->off = (uint32_t)c->m->text.len;
		}
		qbuf_put_utf8(&c->m->text, cp);
		r->len = (uint32_t)(c->m->text.len - r->off);
		r->w += adv;
		b.w += adv;
		b.h = fmaxf(b.h, v[3]);
		b.d = fmaxf(b.d, -v[1]);
	}
	b.r1 = (uint32_t)c->m->nruns;
	return b;
}

/* A rule: x, bottom y, width, thickness. */
static void rule_run(ctx *c, float x, float y, float w, float th)
{
	ts_run *r = new_run(c);
	r->kind = TS_RUN_RULE;
	r->x = x;
	r->rise = y;
	r->w = w;
	r->size = th;
}

/* ---- characters ----------------------------------------------------------- */

static bool italic_letter(uint32_t cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= 0x3B1 && cp <= 0x3C9)
	       || cp == 0x3D1 || cp == 0x3D5 || cp == 0x3D6 || cp == 0x3F0 || cp == 0x3F1
	       || cp == 0x3F5 || cp == 0x131 || cp == 0x237;
}

static ts_role role_of(uint8_t font, uint32_t cp)
{
	bool letter = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
	switch (font) {
	case QF_MATH: return italic_letter(cp) ? TS_MATHITALIC : TS_MATH;
	case QF_IT: return italic_letter(cp) ? TS_MATHITALIC : TS_MATH;
	case QF_BF: case QF_BFIT: return TS_MATHBOLD;
	case QF_BB: return cp >= 'A' && cp <= 'Z' ? TS_MATHBB : TS_MATH;
	case QF_CAL: return cp >= 'A' && cp <= 'Z' ? TS_MATHCAL : letter ? TS_MATHITALIC : TS_MATH;
	case QF_FRAK: return letter ? TS_MATHFRAK : TS_MATH;
	case QF_SF: return TS_SANS;
	case QF_TT: return TS_MONO;
	default: return TS_MATH;
	}
}

/* ---- delimiters ----------------------------------------------------------- */

/* The pieces of a delimiter taller than the biggest glyph (mathsize4):
 * top, extension, middle, bottom (0: none). */
static bool pieces_of(uint32_t cp, uint32_t pc[4])
{
	static const uint32_t tab[][5] = {
		{'(', 0x239B, 0x239C, 0, 0x239D}, {')', 0x239E, 0x239F, 0, 0x23A0},
		{'[', 0x23A1, 0x23A2, 0, 0x23A3}, {']', 0x23A4, 0x23A5, 0, 0x23A6},
		{0x2308, 0x23A1, 0x23A2, 0, 0x23A2}, {0x2309, 0x23A4, 0x23A5, 0, 0x23A5},
		{0x230A, 0x23A2, 0x23A2, 0, 0x23A3}, {0x230B, 0x23A5, 0x23A5, 0, 0x23A6},
		{'{', 0x23A7, 0x23AA, 0x23A8, 0x23A9}, {'}', 0x23AB, 0x23AA, 0x23AC, 0x23AD},
	};
	for (size_t k = 0; k < sizeof tab / sizeof tab[0]; k++)
		if (tab[k][0] == cp) {
			memcpy(pc, tab[k] + 1, sizeof(uint32_t) * 4);
			return true;
		}
	return false;
}

/* Center box b on the axis. */
static void on_axis(ctx *c, box *b, float axis)
{
	float dy = axis - (b->h - b->d) / 2;
	move_box(c, b, 0, dy);
	b->h += dy;
	b->d -= dy;
}

/* A vertical bar of rules (| and ‖) of total height t centred on the axis. */
static box bar_delim(ctx *c, uint32_t cp, float t, float size, float axis)
{
	box b = empty_box(c);
	float th = 0.056f * size, gap = 0.2f * size, side = 0.1f * size;
	int n = cp == 0x2016 ? 2 : 1;
	for (int k = 0; k < n; k++)
		rule_run(c, side + k * (th + gap), axis - t / 2, th, t);
	b.r1 = (uint32_t)c->m->nruns;
	b.w = 2 * side + n * th + (n - 1) * gap;
	b.h = axis + t / 2;
	b.d = t / 2 - axis;
	return b;
}

/* A delimiter of at least total height t (height plus depth), centred on
 * the axis: the glyph of the smallest size that is tall enough, else
 * built from pieces, else the biggest glyph scaled. */
static box delimiter(ctx *c, uint32_t cp, float t, float size, float axis)
{
	if (!cp) {   /* `.`: no delimiter, only its space */
		box b = empty_box(c);
		b.w = NULLDELIM * size;
		return b;
	}
	if (cp == '|' || cp == 0x2016 || cp == 0x2223 || cp == 0x2225) {
		if (t <= 1.0f * size)
			t = 1.0f * size;
		return bar_delim(c, cp == 0x2223 ? '|' : cp == 0x2225 ? 0x2016 : cp, t, size, axis);
	}
	static const ts_role roles[] = {TS_MATH, TS_MATHSIZE1, TS_MATHSIZE2, TS_MATHSIZE3, TS_MATHSIZE4};
	int best = -1;
	float v[4];
	for (int k = 0; k < 5; k++) {
		ts_glyphkind kind;
		int face = face_for(c, roles[k], cp, &kind);
		if (kind != TS_GLYPH_TEXT)
			continue;
		ink(c, face, cp, size, v);
		best = k;
		if (v[3] - v[1] >= t * 0.98f)
			break;
	}
	uint32_t pc[4];
	if (best >= 0 && v[3] - v[1] < t * 0.98f && pieces_of(cp, pc)) {
		ts_glyphkind kind;
		int face = face_for(c, TS_MATHSIZE4, pc[1], &kind);
		float top[4], ext[4], bot[4], mid[4] = {0};
		ink(c, face, pc[0], size, top);
		ink(c, face, pc[1], size, ext);
		ink(c, face, pc[3], size, bot);
		if (pc[2])
			ink(c, face, pc[2], size, mid);
		float th = top[3] - top[1], eh = ext[3] - ext[1], bh = bot[3] - bot[1];
		float mh = pc[2] ? mid[3] - mid[1] : 0;
		if (eh > 0.01f && kind == TS_GLYPH_TEXT) {
			float rest = t - th - bh - mh;
			size_t n = rest > 0 ? (size_t)ceilf(rest / eh / (pc[2] ? 2 : 1)) : 0;
			float total = th + bh + mh + eh * (float)n * (pc[2] ? 2 : 1);
			box b = empty_box(c);
			float y = axis - total / 2;   /* the bottom of the ink */
			float w = 0;
			uint32_t *seq = qxmalloc(sizeof *seq * (2 * n + 3));
			size_t ns = 0;
			seq[ns++] = pc[3];
			for (size_t k = 0; k < n; k++)
				seq[ns++] = pc[1];
			if (pc[2]) {
				seq[ns++] = pc[2];
				for (size_t k = 0; k < n; k++)
					seq[ns++] = pc[1];
			}
			seq[ns++] = pc[0];
			for (size_t k = 0; k < ns; k++) {
				box g = glyph_face(c, face, kind, seq[k], size, false);
				float gi[4];
				ink(c, face, seq[k], size, gi);
				move_box(c, &g, 0, y - gi[1]);
				y += gi[3] - gi[1];
				w = fmaxf(w, g.w);
			}
			free(seq);
			b.r1 = (uint32_t)c->m->nruns;
			b.w = w;
			b.h = axis + total / 2;
			b.d = total / 2 - axis;
			return b;
		}
	}
	float s = size;
	if (best < 0)
		best = 0;
	else if (v[3] - v[1] < t * 0.98f && v[3] - v[1] > 0.01f)
		s = size * t / (v[3] - v[1]);   /* taller than any glyph: scaled */
	ts_glyphkind kind;
	int face = face_for(c, roles[best], cp, &kind);
	box b = glyph_face(c, face, kind, cp, s, false);
	ink(c, face, cp, s, v);
	b.h = v[3];
	b.d = -v[1];
	on_axis(c, &b, axis);
	b.is_char = false;
	return b;
}

/* inner between x's open and close delimiters, t tall about the axis a
 * and pad from each: the runs from start on are inner's, then the
 * delimiters'. \left...\right, \binom and matrices with brackets. */
static box delimited(ctx *c, const qtex_node *x, box inner, uint32_t start, float t,
		     float size, float a, float pad)
{
	box l = delimiter(c, x->open, t, size, a);
	box r = delimiter(c, x->close, t, size, a);
	move_box(c, &inner, l.w + pad, 0);
	move_box(c, &r, l.w + inner.w + 2 * pad, 0);
	box b = empty_box(c);
	b.r0 = start;
	b.r1 = (uint32_t)c->m->nruns;
	b.w = l.w + inner.w + 2 * pad + r.w;
	b.h = fmaxf(inner.h, fmaxf(l.h, r.h));
	b.d = fmaxf(inner.d, fmaxf(l.d, r.d));
	b.cls = QC_INNER;
	return b;
}

/* How tall delimiters around a box are made to stand (TeX's rule 19,
 * \delimiterfactor and \delimitershortfall). */
static float fence_height(box inner, float size, float a)
{
	float delta = fmaxf(inner.h - a, inner.d + a);
	return fmaxf(2 * delta * DELIMFACTOR, 2 * delta - DELIMSHORT * size);
}

/* ---- atoms ------------------------------------------------------------------ */

static box atom(ctx *c, int i, mstyle s);
static box row_box(ctx *c, int i, mstyle s, bool top, bool after_ord);

static box node_or_empty(ctx *c, int i, mstyle s)
{
	return i >= 0 ? atom(c, i, s) : empty_box(c);
}

static box frac_box(ctx *c, const qtex_node *x, mstyle s)
{
	if (x->style == 1)
		s = (mstyle){D, s.cramped};
	else if (x->style == 2 && s.st == D)
		s = (mstyle){T, s.cramped};
	float a = P(c, s, axis), th = x->rule ? P(c, s, rule) : 0;
	uint32_t start = (uint32_t)c->m->nruns;
	box num = node_or_empty(c, x->a, num_style(s));
	box den = node_or_empty(c, x->b, den_style(s));
	float u, v, phi;
	if (s.st == D) {
		u = P(c, s, num1);
		v = P(c, s, denom1);
		phi = x->rule ? 3 * P(c, s, rule) : 7 * P(c, s, rule);
	} else {
		u = x->rule ? P(c, s, num2) : P(c, s, num3);
		v = P(c, s, denom2);
		phi = x->rule ? P(c, s, rule) : 3 * P(c, s, rule);
	}
	if (x->rule) {
		float g1 = (u - num.d) - (a + th / 2), g2 = (a - th / 2) - (den.h - v);
		if (g1 < phi)
			u += phi - g1;
		if (g2 < phi)
			v += phi - g2;
	} else {
		float g = (u - num.d) - (den.h - v);
		if (g < phi) {
			u += (phi - g) / 2;
			v += (phi - g) / 2;
		}
	}
	float w = fmaxf(num.w, den.w), pad = NULLDELIM * sz(c, s);
	move_box(c, &num, pad + (w - num.w) / 2, u);
	move_box(c, &den, pad + (w - den.w) / 2, -v);
	if (x->rule)
		rule_run(c, pad, a - th / 2, w, th);
	box b = empty_box(c);
	b.r0 = start;
	b.r1 = (uint32_t)c->m->nruns;
	b.w = w + 2 * pad;
	b.h = u + num.h;
	b.d = v + den.d;
	b.cls = x->cls;
	if (!x->open)
		return b;
	float t = s.st == D ? P(c, s, delim1) : P(c, s, delim2);
	return delimited(c, x, b, start, t, sz(c, s), a, 0);
}

static box sqrt_box(ctx *c, const qtex_node *x, mstyle s)
{
	uint32_t start = (uint32_t)c->m->nruns;
	mstyle cs = {s.st, true};
	box body = node_or_empty(c, x->a, cs);
	float th = P(c, s, rule), size = sz(c, s);
	float phi = s.st == D ? th + P(c, s, xheight) / 4 : th + th / 4;
	float need = body.h + body.d + phi + th;
	static const ts_role roles[] = {TS_MATH, TS_MATHSIZE1, TS_MATHSIZE2, TS_MATHSIZE3, TS_MATHSIZE4};
	int face = -1;
	ts_glyphkind kind = TS_GLYPH_TEXT;
	float v[4] = {0}, gs = size;
	for (int k = 0; k < 5; k++) {
		face = face_for(c, roles[k], 0x221A, &kind);
		ink(c, face, 0x221A, size, v);
		if (v[3] - v[1] >= need)
			break;
	}
	if (v[3] - v[1] < need && v[3] - v[1] > 0.01f) {
		gs = size * need / (v[3] - v[1]);
		ink(c, face, 0x221A, gs, v);
	}
	float total = v[3] - v[1];
	if (total > need)
		phi += (total - need) / 2;
	box rad = glyph_face(c, face, kind, 0x221A, gs, false);
	float top = body.h + phi + th;   /* the top of the rule */
	move_box(c, &rad, 0, top - v[3]);
	float rx = fmaxf(rad.w, v[2]) - 0.01f * size;
	rule_run(c, rx, top - th, body.w, th);
	/* body's runs come first: move it right of the sign */
	move_box(c, &body, rx, 0);
	box b = empty_box(c);
	b.r0 = start;
	b.r1 = (uint32_t)c->m->nruns;
	b.w = rx + body.w;
	b.h = top + th;
	b.d = fmaxf(body.d, -(top - v[3] + v[1]));
	if (x->b >= 0) {   /* \sqrt[n]: the index raised, in SS */
		box idx = atom(c, x->b, (mstyle){SS, false});
		float k1 = 5.0f / 18 * size, k2 = -10.0f / 18 * size;
		float raise = 0.6f * (b.h - b.d);
		float shift = fmaxf(0, -(k1 + idx.w + k2));
		move_box(c, &idx, k1, raise);
		float dx = k1 + idx.w + k2 + shift;
		for (uint32_t i = b.r0; i < b.r1; i++)
			c->m->runs[i].x += dx;
		b.w += dx;
		b.h = fmaxf(b.h, raise + idx.h);
		b.r1 = (uint32_t)c->m->nruns;
	}
	b.cls = QC_ORD;
	return b;
}

static uint32_t accent_glyph(uint32_t cp)
{
	switch (cp) {
	case 0x5E: return 0x2C6;
	case 0x7E: return 0x2DC;
	case 0xAF: return 0x2C9;
	case 0xB4: return 0x2CA;
	case 0x60: return 0x2CB;
	case 0x2192: return 0x20D7;
	default: return cp;
	}
}

static box accent_box(ctx *c, const qtex_node *x, mstyle s)
{
	uint32_t start = (uint32_t)c->m->nruns;
	box body = node_or_empty(c, x->a, (mstyle){s.st, true});
	float size = sz(c, s), xh = P(c, s, xheight);
	float delta = fminf(body.h, xh);
	box b = body;
	b.r0 = start;
	if (x->wide && (x->cp == 0x2192 || x->cp == 0x2190)) {   /* an arrow over */
		float th = P(c, s, rule);
		box ar = glyph(c, TS_MATH, x->cp, size, false);
		float v[4];
		ink(c, face_for(c, TS_MATH, x->cp, NULL), x->cp, size, v);
		float y = body.h + 0.1f * size;
		float mid = (v[1] + v[3]) / 2;
		float w = fmaxf(body.w, ar.w);
		move_box(c, &ar, x->cp == 0x2192 ? w - ar.w : 0, y - v[1]);
		float shaft = fmaxf(0, w - ar.w * 0.8f);
		rule_run(c, x->cp == 0x2192 ? 0 : ar.w * 0.8f, y - v[1] + mid - th * 0.6f, shaft, th * 1.2f);
		b.r1 = (uint32_t)c->m->nruns;
		b.w = w;
		b.h = y - v[1] + v[3];
		b.is_char = false;
		return b;
	}
	uint32_t g = accent_glyph(x->cp);
	static const ts_role roles[] = {TS_MATH, TS_MATHSIZE1, TS_MATHSIZE2, TS_MATHSIZE3, TS_MATHSIZE4};
	ts_glyphkind kind = TS_GLYPH_TEXT;
	int face = face_for(c, TS_MATH, g, &kind);
	float v[4];
	ink(c, face, g, size, v);
	for (int k = 1; x->wide && k < 5 && v[2] - v[0] < body.w * 0.9f; k++) {
		ts_glyphkind k2;
		int f2 = face_for(c, roles[k], g, &k2);
		if (k2 != TS_GLYPH_TEXT)
			break;
		face = f2;
		kind = k2;
		ink(c, face, g, size, v);
	}
	box acc = glyph_face(c, face, kind, g, size, false);
	float skew = body.is_char && body.italic > 0 ? 0.06f * size : 0;
	float dx = (body.w - (v[0] + v[2])) / 2 + skew;
	float dy = body.h - delta;
	if (g == 0x20D7)   /* the vector arrow sits on its own baseline */
		dy = body.h + 0.05f * size - v[1];
	move_box(c, &acc, dx, dy);
	b.r1 = (uint32_t)c->m->nruns;
	b.h = fmaxf(body.h, dy + v[3]);
	b.is_char = false;
	b.italic = 0;
	return b;
}

static box overunder_box(ctx *c, const qtex_node *x, mstyle s, bool over)
{
	uint32_t start = (uint32_t)c->m->nruns;
	box b = node_or_empty(c, x->a, over ? (mstyle){s.st, true} : s);
	b.r0 = start;
	float th = P(c, s, rule), size = sz(c, s);
	if (!x->cp) {   /* \overline, \underline */
		if (over) {
			rule_run(c, 0, b.h + 3 * th, b.w, th);
			b.h += 4 * th;
		} else {
			rule_run(c, 0, -(b.d + 4 * th), b.w, th);
			b.d += 5 * th;
		}
	} else {   /* a brace drawn as a path */
		float bh = 0.35f * size, gap = 0.12f * size;
		ts_run *r = new_run(c);
		r->kind = TS_RUN_BRACE;
		r->x = 0;
		r->w = b.w;
		r->size = bh;
		r->rise = over ? b.h + gap : -(b.d + gap + bh);
		r->off = over ? 1 : 0;   /* 1: opens downward (over), 0: upward */
		if (over)
			b.h += gap + bh;
		else
			b.d += gap + bh;
		b.limits = true;
		b.cls = QC_OP;
	}
	b.r1 = (uint32_t)c->m->nruns;
	b.is_char = false;
	b.italic = 0;
	return b;
}

static box fenced_box(ctx *c, const qtex_node *x, mstyle s)
{
	uint32_t start = (uint32_t)c->m->nruns;
	box body = node_or_empty(c, x->a, s);
	float a = P(c, s, axis), size = sz(c, s);
	return delimited(c, x, body, start, fence_height(body, size, a), size, a, 0);
}

/* \big( and friends: the glyph of that size (mathsize1 to mathsize4),
 * as KaTeX and plain TeX take the next size of the delimiter. */
static box big_delim(ctx *c, const qtex_node *x, mstyle s)
{
	static const float em[] = {1.0f, 1.2f, 1.8f, 2.4f, 3.0f};
	static const ts_role roles[] = {TS_MATH, TS_MATHSIZE1, TS_MATHSIZE2, TS_MATHSIZE3,
					TS_MATHSIZE4};
	float size = sz(c, s), axis = P(c, s, axis);
	int k = x->size >= 1 && x->size <= 4 ? x->size : 1;
	box b;
	ts_glyphkind kind;
	int face = x->cp && x->cp != '|' && x->cp != 0x2016
		   ? face_for(c, roles[k], x->cp, &kind) : -1;
	if (face >= 0 && kind == TS_GLYPH_TEXT && ts_font_role_face(c->fs, roles[k]) == face) {
		float v[4];
		b = glyph_face(c, face, kind, x->cp, size, false);
		ink(c, face, x->cp, size, v);
		b.h = v[3];
		b.d = -v[1];
		on_axis(c, &b, axis);
		b.is_char = false;
	} else {
		b = delimiter(c, x->cp, em[k] * size * 0.95f, size, axis);
	}
	b.cls = x->cls;
	return b;
}

/* Scripts as limits above and below (Rule 13a). */
static box limits_box(ctx *c, box nuc, int sub, int sup, mstyle s)
{
	box up = sup >= 0 ? atom(c, sup, sup_style(s)) : empty_box(c);
	box dn = sub >= 0 ? atom(c, sub, sub_style(s)) : empty_box(c);
	float size = sz(c, s), w = fmaxf(nuc.w, fmaxf(up.w, dn.w));
	move_box(c, &nuc, (w - nuc.w) / 2, 0);
	box b = nuc;
	b.w = w;
	if (sup >= 0) {
		float gap = fmaxf(BIGOP1 * size, BIGOP3 * size - up.d);
		move_box(c, &up, (w - up.w) / 2 + nuc.italic / 2, nuc.h + gap + up.d);
		b.h = nuc.h + gap + up.d + up.h + BIGOP5 * size;
	}
	if (sub >= 0) {
		float gap = fmaxf(BIGOP2 * size, BIGOP4 * size - dn.h);
		move_box(c, &dn, (w - dn.w) / 2 - nuc.italic / 2, -(nuc.d + gap + dn.h));
		b.d = nuc.d + gap + dn.h + dn.d + BIGOP5 * size;
	}
	b.r1 = (uint32_t)c->m->nruns;
	b.is_char = false;
	b.italic = 0;
	return b;
}

static box scripts_box(ctx *c, const qtex_node *x, mstyle s)
{
	uint32_t start = (uint32_t)c->m->nruns;
	box nuc = node_or_empty(c, x->a, s);
	nuc.r0 = start;
	int nk = x->a >= 0 ? c->t->v[x->a].kind : -1;
	if (x->limits) {   /* \overset and friends: above and below in every
			    * style, the whole of the class of its base (amsmath
			    * keeps no italic correction there) */
		nuc.italic = 0;
		box b = limits_box(c, nuc, x->b, x->c, s);
		b.cls = x->cls;
		b.limits = false;
		return b;
	}
	if (nuc.limits && (s.st == D || nk == QT_OVER || nk == QT_UNDER))
		return limits_box(c, nuc, x->b, x->c, s);
	float u = 0, v = 0;
	mstyle ss = sup_style(s), bs = sub_style(s);
	if (!nuc.is_char) {
		u = nuc.h - P(c, ss, supdrop);
		v = nuc.d + P(c, bs, subdrop);
	}
	float xh = P(c, s, xheight), th = P(c, s, rule);
	box sup = x->c >= 0 ? atom(c, x->c, ss) : empty_box(c);
	box sub = x->b >= 0 ? atom(c, x->b, bs) : empty_box(c);
	if (x->c >= 0) {
		float p = s.st == D && !s.cramped ? P(c, s, sup1) : s.cramped ? P(c, s, sup3) : P(c, s, sup2);
		u = fmaxf(u, fmaxf(p, sup.d + xh / 4));
	}
	if (x->b >= 0 && x->c < 0)
		v = fmaxf(v, fmaxf(P(c, s, sub1), sub.h - 0.8f * xh));
	if (x->b >= 0 && x->c >= 0) {
		v = fmaxf(v, P(c, s, sub2));
		float gap = (u - sup.d) - (sub.h - v);
		if (gap < 4 * th) {
			v += 4 * th - gap;
			float psi = 0.8f * xh - (u - sup.d);
			if (psi > 0) {
				u += psi;
				v -= psi;
			}
		}
	}
	float space = SCRIPTSPACE * c->size, w = nuc.w;
	/* Rule 18: a superscript after the italic correction; an operator's
	 * box holds it already and its subscript goes back by it */
	float supx = nuc.w + (nk == QT_BIGOP ? 0 : nuc.italic);
	float subx = nuc.w - (nk == QT_BIGOP ? nuc.italic : 0);
	if (x->c >= 0)
		move_box(c, &sup, supx, u);
	if (x->b >= 0)
		move_box(c, &sub, subx, -v);
	float sw = fmaxf(x->c >= 0 ? supx - nuc.w + sup.w : 0, x->b >= 0 ? subx - nuc.w + sub.w : 0);
	box b = nuc;
	b.w = w + sw + space;
	if (x->c >= 0)
		b.h = fmaxf(b.h, u + sup.h);
	if (x->b >= 0)
		b.d = fmaxf(b.d, v + sub.d);
	b.r1 = (uint32_t)c->m->nruns;
	b.is_char = false;
	b.italic = 0;
	b.cls = x->cls;
	return b;
}

/* An environment: cells in rows and columns, centred on the axis, in
 * its fences. */
static box array_box(ctx *c, const qtex_node *x, mstyle s)
{
	uint32_t start = (uint32_t)c->m->nruns;
	int rows = x->rows, cols = x->cols;
	bool align = x->env == QE_ALIGNED, cases = x->env == QE_CASES;
	mstyle cs = {align || x->env == QE_GATHERED ? D : (s.st == D ? T : s.st), false};
	if (x->env == QE_GATHERED && s.st > T)
		cs.st = s.st;
	float size = sz(c, s);
	box *cell = qxmalloc(sizeof *cell * (size_t)(rows * cols + 1));
	float *cw = calloc((size_t)cols + 1, sizeof *cw), *rh = calloc((size_t)rows + 1, sizeof *rh),
	      *rd = calloc((size_t)rows + 1, sizeof *rd);
	if (!cw || !rh || !rd)
		qoom();
	int k = 0;
	float strut_h = 0.84f * size * scale_of(cs.st) / scale_of(s.st),
	      strut_d = 0.36f * size * scale_of(cs.st) / scale_of(s.st);
	for (int i = x->first; i >= 0 && k < rows * cols; i = c->t->v[i].next, k++) {
		/* amsmath's aligned: the right cell of a pair starts as if after
		 * an ord (`&=` spaces its relation) */
		cell[k] = row_box(c, i, cs, false, align && k % cols % 2 == 1);
		int r = k / cols, col = k % cols;
		cw[col] = fmaxf(cw[col], cell[k].w);
		rh[r] = fmaxf(rh[r], fmaxf(cell[k].h, strut_h));
		rd[r] = fmaxf(rd[r], fmaxf(cell[k].d, strut_d));
	}
	float jot = align || x->env == QE_GATHERED ? 0.3f * size : 0;
	float total = 0;
	for (int r = 0; r < rows; r++)
		total += rh[r] + rd[r] + (r ? jot : 0);
	float a = P(c, s, axis), y = a + total / 2;
	float *xs = qxmalloc(sizeof *xs * (size_t)(cols + 1));
	float gapw = cases ? 1.0f * size : align ? 0 : 1.0f * size;
	float pos = 0;
	for (int col = 0; col < cols; col++) {
		xs[col] = pos;
		float g = gapw;
		if (align)
			g = col % 2 == 1 ? 2.0f * size : 0;
		pos += cw[col] + (col + 1 < cols ? g : 0);
	}
	float width = pos;
	for (int r = 0; r < rows; r++) {
		y -= rh[r] + (r ? jot : 0);
		for (int col = 0; col < cols; col++) {
			box *b = &cell[r * cols + col];
			float x0 = xs[col], extra = cw[col] - b->w;
			float dx = cases ? 0 : align ? (col % 2 == 0 ? extra : 0) : extra / 2;
			/* an aligned right column starts with the relation: its
			 * space as if something stood before it */
			move_box(c, b, x0 + dx, y);
		}
		y -= rd[r];
	}
	box body = empty_box(c);
	body.r0 = start;
	body.r1 = (uint32_t)c->m->nruns;
	body.w = width;
	body.h = a + total / 2;
	body.d = total / 2 - a;
	free(cell);
	free(cw);
	free(rh);
	free(rd);
	free(xs);
	if (!x->open && !x->close) {
		body.cls = QC_ORD;
		return body;
	}
	float pad = cases ? 0.17f * size : 0.1f * size;
	return delimited(c, x, body, start, fence_height(body, size, a), size, a, pad);
}

static box bigop_box(ctx *c, const qtex_node *x, mstyle s)
{
	float size = sz(c, s);
	ts_role role = s.st == D ? TS_MATHSIZE2 : TS_MATHSIZE1;
	box b = glyph(c, role, x->cp, size, true);
	on_axis(c, &b, P(c, s, axis));
	if (s.st == D) {   /* cmex10's display operators: 0.1 em beyond their ink */
		b.h += 0.1f * size;
		b.d += 0.1f * size;
	}
	if (!(x->limits && s.st == D))   /* Rule 13: the italic correction is
					  * part of the box without limits */
		b.w += b.italic;
	b.cls = QC_OP;
	b.limits = x->limits;
	b.is_char = false;   /* Rule 13: a box now; scripts hang at its edges */
	return b;
}

static box atom(ctx *c, int i, mstyle s)
{
	const qtex_node *x = &c->t->v[i];
	box b;
	float size = sz(c, s);
	switch ((qtex_kind)x->kind) {
	case QT_ROW:
		return row_box(c, i, s, false, false);
	case QT_SYM: {
		uint32_t cp = x->cp;
		ts_role role = role_of(x->font, cp);
		b = glyph(c, role, cp, size, role == TS_MATHITALIC);
		if (x->negated) {   /* \not: a slash over it */
			uint32_t r0 = b.r0;
			box sl = glyph(c, TS_MATH, '/', size, false);
			move_box(c, &sl, (b.w - sl.w) / 2, 0);
			b.r0 = r0;
			b.r1 = sl.r1;
			b.is_char = false;
		}
		b.cls = x->cls;
		return b;
	}
	case QT_TEXT: {
		ts_role role = x->font == QF_BF ? TS_BOLD : x->font == QF_IT ? TS_ITALIC
			       : x->font == QF_TT ? TS_MONO : x->font == QF_SF ? TS_SANS : TS_MATH;
		b = text_box(c, role, qtex_text(c->t, x), x->len, size);
		b.cls = QC_ORD;
		return b;
	}
	case QT_OP:
		b = text_box(c, TS_MATH, qtex_text(c->t, x), x->len, size);
		b.cls = x->cls;
		b.limits = x->limits;
		return b;
	case QT_BIGOP:
		return bigop_box(c, x, s);
	case QT_SCRIPTS:
		return scripts_box(c, x, s);
	case QT_FRAC:
		return frac_box(c, x, s);
	case QT_SQRT:
		return sqrt_box(c, x, s);
	case QT_ACCENT:
		b = accent_box(c, x, s);
		b.cls = QC_ORD;
		return b;
	case QT_OVER:
		return overunder_box(c, x, s, true);
	case QT_UNDER:
		return overunder_box(c, x, s, false);
	case QT_FENCED:
		return fenced_box(c, x, s);
	case QT_DELIM:
		return big_delim(c, x, s);
	case QT_ARRAY:
		return array_box(c, x, s);
	case QT_SPACE: case QT_STYLE:
		break;
	}
	return empty_box(c);
}

/* ---- rows: spacing between atoms ---------------------------------------- */

/* TeX's table (The TeXbook, chapter 18): 0 none, 1 thin (3mu), 2 medium
 * (4mu), 3 thick (5mu); negative: only in styles D and T. */
static const int8_t SPACING[8][8] = {
	/*          ord op  bin rel open close punct inner */
	/* ord   */ {0, 1, -2, -3, 0, 0, 0, -1},
	/* op    */ {1, 1, 0, -3, 0, 0, 0, -1},
	/* bin   */ {-2, -2, 0, 0, -2, 0, 0, -2},
	/* rel   */ {-3, -3, 0, 0, -3, 0, 0, -3},
	/* open  */ {0, 0, 0, 0, 0, 0, 0, 0},
	/* close */ {0, 1, -2, -3, 0, 0, 0, -1},
	/* punct */ {-1, -1, 0, -1, -1, -1, -1, -1},
	/* inner */ {-1, 1, -2, -3, -1, 0, -1, -1},
};

static float space_between(const ctx *c, int a, int b, mstyle s)
{
	int v = SPACING[a][b];
	if (v < 0) {
		if (s.st > T)
			return 0;
		v = -v;
	}
	static const float mu[] = {0, 3, 4, 5};
	return mu[v] / 18.0f * sz(c, s);
}

typedef struct slot {
	box b;
	uint8_t cls;
	bool space;        /* an explicit space (its width in b.w) */
	mstyle s;
} slot;

/* A top-level row also records where it may break (after each bin and
 * rel): into the formula's pieces. */
typedef struct brk {
	uint32_t run;      /* runs before it are in earlier pieces */
	float x;           /* where the break is */
	float next;        /* where the next piece starts */
	int penalty;
} brk;

static box row_box(ctx *c, int i, mstyle s, bool top, bool after_ord)
{
	const qtex_node *row = &c->t->v[i];
	uint32_t start = (uint32_t)c->m->nruns;
	if (row->kind != QT_ROW) {
		box b = atom(c, i, s);
		return b;
	}
	slot *v = NULL;
	int n = 0, cap = 0;
	for (int k = row->first; k >= 0; k = c->t->v[k].next) {
		const qtex_node *x = &c->t->v[k];
		if (x->kind == QT_STYLE) {
			s = (mstyle){(int8_t)(x->style - 1), s.cramped};
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = qxrealloc(v, sizeof *v * (size_t)cap);
		}
		slot *sl = &v[n++];
		sl->s = s;
		if (x->kind == QT_SPACE) {
			sl->b = empty_box(c);
			sl->b.w = x->mu / 18.0f * sz(c, s);
			sl->space = true;
			sl->cls = QC_ORD;
			continue;
		}
		sl->space = false;
		sl->b = atom(c, k, s);
		sl->cls = sl->b.cls;
	}
	/* Rules 5 and 6: a bin with nothing to operate on is an ord */
	int prev = -1;
	slot lead = {.cls = QC_ORD};
	if (after_ord && n < cap) {   /* an empty ord before the first atom */
		memmove(v + 1, v, sizeof *v * (size_t)n);
		n++;
	} else if (after_ord) {
		v = qxrealloc(v, sizeof *v * (size_t)(n + 1));
		memmove(v + 1, v, sizeof *v * (size_t)n);
		n++;
	}
	if (after_ord) {
		lead.b = empty_box(c);
		lead.s = s;
		v[0] = lead;
	}
	for (int k = 0; k < n; k++) {
		if (v[k].space)
			continue;
		if (v[k].cls == QC_BIN && (prev < 0 || v[prev].cls == QC_BIN || v[prev].cls == QC_OP
					   || v[prev].cls == QC_REL || v[prev].cls == QC_OPEN
					   || v[prev].cls == QC_PUNCT))
			v[k].cls = QC_ORD;
		if (prev >= 0 && v[prev].cls == QC_BIN && (v[k].cls == QC_REL || v[k].cls == QC_CLOSE
							   || v[k].cls == QC_PUNCT))
			v[prev].cls = QC_ORD;
		prev = k;
	}
	if (prev >= 0 && v[prev].cls == QC_BIN)
		v[prev].cls = QC_ORD;
	box b = empty_box(c);
	b.r0 = start;
	float x = 0;
	prev = -1;
	for (int k = 0; k < n; k++) {
		if (!v[k].space && prev >= 0) {
			float sp = space_between(c, v[prev].cls, v[k].cls, v[k].s);
			bool can = top && (v[prev].cls == QC_REL || v[prev].cls == QC_BIN)
				   && v[k].cls != QC_REL && v[k].cls != QC_PUNCT && v[k].cls != QC_CLOSE;
			if (can) {
				ts_math *m = c->m;
				if (m->npieces == m->cappieces) {
					m->cappieces = m->cappieces ? m->cappieces * 2 : 8;
					m->pieces = qxrealloc(m->pieces, sizeof *m->pieces * m->cappieces);
				}
				ts_mpiece *pc = &m->pieces[m->npieces++];
				memset(pc, 0, sizeof *pc);
				pc->r0 = v[k].b.r0;   /* where the next piece starts */
				pc->w = x;            /* the break's x */
				pc->space = sp;
				pc->penalty = v[prev].cls == QC_REL ? REL_PENALTY : BIN_PENALTY;
			}
			x += sp;
		}
		move_box(c, &v[k].b, x, 0);
		x += v[k].b.w;
		b.h = fmaxf(b.h, v[k].b.h);
		b.d = fmaxf(b.d, v[k].b.d);
		if (!v[k].space)
			prev = k;
	}
	b.w = x;
	b.r1 = (uint32_t)c->m->nruns;
	b.cls = QC_ORD;
	if (n == 1 && !v[0].space) {   /* {x}: keeps its italic correction */
		b.italic = v[0].b.italic;
	}
	free(v);
	return b;
}

/* ---- the formula ------------------------------------------------------------ */

void ts_math_init(ts_math *m)
{
	memset(m, 0, sizeof *m);
	qbuf_init(&m->text);
}

void ts_math_free(ts_math *m)
{
	free(m->runs);
	free(m->pieces);
	qbuf_free(&m->text);
	memset(m, 0, sizeof *m);
}

/* Cut the runs into pieces at the breaks the top row recorded (their
 * r0 = first run of the next piece, w = x of the break, space). */
static void make_pieces(ts_math *m, size_t nbrk, box all)
{
	brk *b = qxmalloc(sizeof *b * (nbrk + 1));
	for (size_t k = 0; k < nbrk; k++)
		b[k] = (brk){m->pieces[k].r0, m->pieces[k].w, m->pieces[k].w + m->pieces[k].space,
			     m->pieces[k].penalty};
	m->npieces = 0;
	uint32_t r0 = all.r0;
	float x0 = 0;
	for (size_t k = 0; k <= nbrk; k++) {
		uint32_t r1 = k < nbrk ? b[k].run : all.r1;
		float x1 = k < nbrk ? b[k].x : all.w;
		if (m->npieces == m->cappieces) {
			m->cappieces = m->cappieces ? m->cappieces * 2 : 8;
			m->pieces = qxrealloc(m->pieces, sizeof *m->pieces * m->cappieces);
		}
		ts_mpiece *p = &m->pieces[m->npieces++];
		p->r0 = r0;
		p->nr = r1 - r0;
		p->w = x1 - x0;
		p->h = p->d = 0;
		for (uint32_t i = r0; i < r1; i++)
			m->runs[i].x -= x0;
		p->penalty = k < nbrk ? b[k].penalty : TS_INF_PENALTY;
		p->space = k < nbrk ? b[k].next - b[k].x : 0;
		r0 = r1;
		x0 = k < nbrk ? b[k].next : all.w;
	}
	free(b);
}

/* A piece's runs left to right (a radicand is made before its sign):
 * text extraction reads them in the order they are drawn. Stable: by x,
 * then by the order they were made. */
typedef struct runkey {
	float x;
	uint32_t i;
} runkey;

static int by_x(const void *a, const void *b)
{
	const runkey *p = a, *q = b;
	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	return p->i < q->i ? -1 : p->i > q->i;
}

static void sort_runs(ts_run *v, uint32_t n)
{
	if (n < 2)
		return;
	runkey *k = qxmalloc(sizeof *k * n);
	ts_run *tmp = qxmalloc(sizeof *tmp * n);
	for (uint32_t i = 0; i < n; i++)
		k[i] = (runkey){v[i].x, i};
	qsort(k, n, sizeof *k, by_x);
	for (uint32_t i = 0; i < n; i++)
		tmp[i] = v[k[i].i];
	memcpy(v, tmp, sizeof *v * n);
	free(k);
	free(tmp);
}

/* Height and depth of each piece, from its runs. */
static void piece_extents(ts_math *m, ts_fontset *fs)
{
	for (size_t k = 0; k < m->npieces; k++) {
		ts_mpiece *p = &m->pieces[k];
		for (uint32_t i = p->r0; i < p->r0 + p->nr; i++) {
			const ts_run *r = &m->runs[i];
			float top, bot;
			if (r->kind == TS_RUN_RULE || r->kind == TS_RUN_BRACE) {
				bot = r->rise;
				top = r->rise + r->size;
			} else {
				int16_t bb[4] = {0, 0, 0, 0};
				size_t l;
				uint32_t cp = r->len ? ts__cp(m->text.ptr + r->off, r->len, &l) : 0;
				float hi = 0, lo = 0;
				for (size_t o = 0; o < r->len; o += l ? l : 1) {
					cp = ts__cp(m->text.ptr + r->off + o, r->len - o, &l);
					ts_font_bbox(fs, r->face, cp, bb);
					hi = fmaxf(hi, bb[3] * r->size / 1000.0f);
					lo = fminf(lo, bb[1] * r->size / 1000.0f);
				}
				top = r->rise + hi;
				bot = r->rise + lo;
			}
			p->h = fmaxf(p->h, top);
			p->d = fmaxf(p->d, -bot);
		}
	}
}

bool ts_math_set(ts_math *m, ts_fontset *fs, const char *tex, size_t n, float size,
		 bool display, ts_rgb color)
{
	m->nruns = m->npieces = 0;
	m->ntag = 0;
	m->tagw = 0;
	m->src = m->srclen = 0;
	m->w = m->h = m->d = 0;
	m->error[0] = '\0';
	qbuf_reset(&m->text);
	qtex_error e;
	qtex *t = qtex_parse(tex, n, &e);
	if (!t) {
		snprintf(m->error, sizeof m->error, "%s", e.msg);
		return false;
	}
	ctx c = {m, fs, t, size, color};
	box all = row_box(&c, t->root, (mstyle){display ? D : T, false}, true, false);
	size_t nbrk = m->npieces;
	make_pieces(m, nbrk, all);
	for (size_t k = 0; k < m->npieces; k++)
		sort_runs(m->runs + m->pieces[k].r0, m->pieces[k].nr);
	piece_extents(m, fs);
	m->w = all.w;
	m->h = all.h;
	m->d = all.d;
	for (size_t k = 0; k < m->npieces; k++) {
		m->h = fmaxf(m->h, m->pieces[k].h);
		m->d = fmaxf(m->d, m->pieces[k].d);
	}
	if (t->tag >= 0) {
		const qtex_node *x = &t->v[t->tag];
		qbuf tag = QBUF_INIT;
		qbuf_putc(&tag, '(');
		qbuf_put(&tag, qtex_text(t, x), x->len);
		qbuf_putc(&tag, ')');
		uint32_t r0 = (uint32_t)m->nruns;
		box tb = text_box(&c, TS_MATH, tag.ptr, tag.len, size);
		m->tag0 = r0;
		m->ntag = tb.r1 - r0;
		m->tagw = tb.w;
		qbuf_free(&tag);
	}
	qtex_free(t);
	m->src = (uint32_t)m->text.len;
	qbuf_puts(&m->text, display ? "$$" : "$");
	qbuf_put(&m->text, tex, n);
	qbuf_puts(&m->text, display ? "$$" : "$");
	m->srclen = (uint32_t)(m->text.len - m->src);
	return true;
}

float ts_math_widest(const ts_math *m)
{
	float w = 0;
	for (size_t k = 0; k < m->npieces; k++)
		w = fmaxf(w, m->pieces[k].w);
	return w;
}

/* ---- into paragraphs --------------------------------------------------------- */

/* A box of n runs of m (from r0) in the paragraph. */
static void add_box(ts_par *p, const ts_math *m, uint32_t r0, uint32_t nr, float w, float h,
		    float d, int link)
{
	hitem *it = ts__new_item(p, H_BOX);
	it->kind = TS_RUN_MATH;
	it->dir = TS_DIR_LTR;   /* a formula reads left to right in any text */
	it->off = (uint32_t)p->nmruns;
	it->len = nr;
	it->w = w;
	it->h = h;
	it->d = d;
	it->link = link;
	TS_GROW(p->mruns, p->nmruns, p->capmruns, nr);
	for (uint32_t i = 0; i < nr; i++) {
		ts_run r = m->runs[r0 + i];
		r.off = r.len ? ts__pool(p->L, m->text.ptr + r.off, r.len) : r.off;
		r.link = link;
		p->mruns[p->nmruns++] = r;
	}
}

/* A zero-width box holding one marker run (its text: s, n). */
static void add_marker(ts_par *p, ts_runkind kind, const char *s, size_t n)
{
	hitem *it = ts__new_item(p, H_BOX);
	it->kind = TS_RUN_MATH;
	it->off = (uint32_t)p->nmruns;
	it->len = 1;
	TS_GROW(p->mruns, p->nmruns, p->capmruns, 1);
	ts_run *r = &p->mruns[p->nmruns++];
	memset(r, 0, sizeof *r);
	r->kind = (uint8_t)kind;
	r->off = n ? ts__pool(p->L, s, n) : 0;
	r->len = (uint32_t)n;
}

void ts_par_math(ts_par *p, const ts_math *m, int link)
{
	if (m->srclen)
		add_marker(p, TS_RUN_SPAN_BEGIN, m->text.ptr + m->src, m->srclen);
	for (size_t k = 0; k < m->npieces; k++) {
		const ts_mpiece *pc = &m->pieces[k];
		add_box(p, m, pc->r0, pc->nr, pc->w, pc->h, pc->d, link);
		if (k + 1 == m->npieces)
			break;
		hitem *pen = ts__new_item(p, H_PEN);
		pen->pen = pc->penalty;
		hitem *g = ts__new_item(p, H_GLUE);
		g->w = pc->space;
		g->st = pc->space / 2;
		g->sh = pc->space / 4;
	}
	if (m->srclen)
		add_marker(p, TS_RUN_SPAN_END, NULL, 0);
}

int ts_math_display(ts_par *p, const ts_math *m, const ts_parfmt *fmt, const ts_attr *la,
		    const char *label)
{
	ts_parfmt f = *fmt;
	f.align = TS_CENTER;
	f.indent = 0;
	f.hyphenate = false;
	ts_par_begin(p, &f);
	if (label && *label && la)
		ts_par_label(p, la, label, strlen(label));
	float gap = m->ntag ? m->runs[m->tag0].size : 0;   /* 1 em */
	float side = m->ntag ? m->tagw + gap : 0;
	add_box(p, m, 0, 0, 0, 0, 0, 0);   /* holds the glue at the line start */
	if (side > 0) {
		hitem *k = ts__new_item(p, H_GLUE);
		k->w = side;
		k->kern = 1;
	}
	hitem *g = ts__new_item(p, H_GLUE);
	g->fil = 1;
	g->st = 1;
	g->kern = 1;
	ts_par_math(p, m, 0);
	g = ts__new_item(p, H_GLUE);
	g->fil = 1;
	g->st = 1;
	g->kern = 1;
	if (m->ntag) {
		hitem *k = ts__new_item(p, H_GLUE);
		k->w = gap;
		k->kern = 1;
		float h = 0, d = 0;
		for (uint32_t i = 0; i < m->ntag; i++) {
			h = fmaxf(h, m->runs[m->tag0 + i].size * 0.75f);
			d = fmaxf(d, m->runs[m->tag0 + i].size * 0.25f);
		}
		add_box(p, m, m->tag0, m->ntag, m->tagw, h, d, 0);
	}
	return ts_par_end(p);
}
