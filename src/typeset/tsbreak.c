/* tsbreak.c - paragraphs: text to boxes, glue and penalties, broken into
 * lines by the Knuth-Plass total-fit algorithm (see tslayout.h).
 *
 * Text becomes one box per piece of a word in one face (per-character
 * font fallback splits a word into several boxes), glue for each space
 * (the font's space, stretch 1/2, shrink 1/3, as in TeX) and penalties at
 * hyphenation points (flagged: a hyphen is drawn when broken there), after
 * explicit hyphens and dashes, between CJK ideographs and inside code and
 * URLs. The breaker runs TeX's three passes: without hyphenation
 * (pretolerance 100), with it (tolerance 200), then an emergency pass that
 * accepts any line that is not overfull. Before breaking, any unbreakable
 * piece wider than the line is given a break between every two
 * characters, so no line can ever run past the margin.
 */
#include <math.h>

#include "../util/utf8.h"
#include "tsint.h"

enum { H_BOX, H_GLUE, H_PEN };

#define LINE_PENALTY 10.0
#define HYPHEN_PENALTY 50
#define EXHYPHEN_PENALTY 50
#define ADJ_DEMERITS 10000.0
#define DOUBLE_HYPHEN_DEMERITS 10000.0
#define FINAL_HYPHEN_DEMERITS 5000.0
#define EMERGENCY_SPLIT_PENALTY 5000

typedef struct hitem {
	uint8_t type;
	uint8_t kind;       /* box: ts_runkind */
	uint8_t flagged;    /* penalty: draws a hyphen when broken at */
	uint8_t hyph;       /* penalty from the hyphenator (pass 1 skips it) */
	uint8_t fil;        /* glue: infinite stretch */
	uint8_t leader;     /* glue: filled with dots */
	uint8_t underline;
	uint8_t rightbox;   /* box: text right-aligned in w */
	uint8_t kern;       /* glue: fixed, never a breakpoint */
	uint8_t hyphable;   /* box: prose, may be hyphenated when needed */
	uint16_t face;
	int32_t pen;
	float w, st, sh;
	uint32_t off, len;
	float size;
	ts_rgb color;
	int32_t link;
	float h, d;
	float textw;        /* rightbox: the text's own width */
} hitem;

typedef struct wch {
	uint32_t cp;
	uint32_t off;       /* in the pool */
	uint8_t len;
	uint8_t kind;
	uint8_t emoji;
	uint8_t brk;        /* break after: 0 none, 1 hyphen (flagged), 2 plain */
	uint16_t face;
	int16_t pen;
	int adv;
} wch;

typedef struct kpnode {
	int32_t pos, line, prev, next;
	int8_t fit, flagged;
	double dem;
	double tw, ty, tz, tf;
} kpnode;

typedef ts_pline pline;

struct ts_par {
	ts_layout *L;
	ts_parfmt fmt;
	hitem *it;
	size_t n, cap;
	hitem *lab;
	size_t nlab, caplab;
	bool in_label;
	wch *ch;
	size_t nch, capch;
	kpnode *nodes;
	size_t nnodes, capnodes;
	double *sw, *sy, *sz, *sf;
	size_t capsum;
	int32_t *breaks;
	size_t nbreaks, capbreaks;
	float ragged;       /* rightskip stretch (ragged/centred) */
	bool prev_hyphen;   /* the previous line ended with a hyphen */
};

ts_par *ts_par_new(ts_layout *L)
{
	ts_par *p = qxmalloc(sizeof *p);
	memset(p, 0, sizeof *p);
	p->L = L;
	return p;
}

void ts_par_free(ts_par *p)
{
	if (!p)
		return;
	free(p->it);
	free(p->lab);
	free(p->ch);
	free(p->nodes);
	free(p->sw);
	free(p->sy);
	free(p->sz);
	free(p->sf);
	free(p->breaks);
	free(p);
}

void ts_par_begin(ts_par *p, const ts_parfmt *fmt)
{
	p->fmt = *fmt;
	p->n = p->nlab = 0;
	p->in_label = false;
	if (p->fmt.width < 1)
		p->fmt.width = 1;
}

bool ts_par_empty(const ts_par *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->it[i].type == H_BOX)
			return false;
	return true;
}

static hitem *new_item(ts_par *p, int type)
{
	hitem *h;
	if (p->in_label) {
		TS_GROW(p->lab, p->nlab, p->caplab, 1);
		h = &p->lab[p->nlab++];
	} else {
		TS_GROW(p->it, p->n, p->cap, 1);
		h = &p->it[p->n++];
	}
	memset(h, 0, sizeof *h);
	h->type = (uint8_t)type;
	return h;
}

static hitem *last_item(ts_par *p)
{
	if (p->in_label)
		return p->nlab ? &p->lab[p->nlab - 1] : NULL;
	return p->n ? &p->it[p->n - 1] : NULL;
}

void ts__box_hd(ts_layout *L, ts_runkind kind, float size, float *h, float *d)
{
	(void)L;
	if (kind == TS_RUN_IMAGE) {
		*h = 0.86f * size;
		*d = 0.24f * size;
	} else {
		*h = 0.74f * size;
		*d = 0.24f * size;
	}
}

float ts__text_width(ts_layout *L, int face, float size, const char *s,
		     size_t n)
{
	int total = 0;
	for (size_t i = 0; i < n;) {
		size_t l;
		uint32_t cp = ts__cp(s + i, n - i, &l);
		total += ts_font_advance(L->fonts, face, cp);
		i += l;
	}
	return (float)total * size / 1000.0f;
}

/* ---- characters to boxes ---------------------------------------------------- */

static bool is_space_cp(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
	       cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
	       cp == 0x205F || cp == 0x3000 || cp == 0x1680;
}

static bool is_nbsp(uint32_t cp)
{
	return cp == 0xA0 || cp == 0x202F || cp == 0x2007;
}

static bool is_dropped(uint32_t cp)
{
	return cp == 0xFE0F || cp == 0xFE0E || cp == 0x200D || cp == 0xAD ||
	       cp == 0x200B || cp == 0x2060 || cp == 0xFEFF ||
	       (cp < 0x20) || (cp >= 0x7F && cp < 0xA0);
}

static bool cjk_no_break_before(uint32_t cp)
{
	static const uint32_t s[] = {0x3001, 0x3002, 0xFF0C, 0xFF0E, 0xFF09,
				     0x300D, 0x300F, 0x3011, 0x3015, 0x3009,
				     0x300B, 0xFF01, 0xFF1F, 0xFF1A, 0xFF1B,
				     0x30FC, 0x3005};
	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		if (cp == s[i])
			return true;
	return false;
}

static bool cjk_no_break_after(uint32_t cp)
{
	static const uint32_t s[] = {0xFF08, 0x300C, 0x300E, 0x3010, 0x3014,
				     0x3008, 0x300A};
	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		if (cp == s[i])
			return true;
	return false;
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

/* Decode a word into p->ch, copying its characters into the pool. Soft
 * hyphens and zero-width spaces become break marks. */
static void decode_word(ts_par *p, const ts_attr *a, const char *s, size_t n)
{
	ts_layout *L = p->L;
	p->nch = 0;
	for (size_t i = 0; i < n;) {
		size_t l;
		uint32_t cp = ts__cp(s + i, n - i, &l);
		if (is_dropped(cp)) {
			if (p->nch && (cp == 0xFE0F))
				p->ch[p->nch - 1].emoji = 1;
			if (p->nch && (cp == 0xAD || cp == 0x200B)) {
				p->ch[p->nch - 1].brk = cp == 0xAD ? 1 : 2;
				p->ch[p->nch - 1].pen = cp == 0xAD ? HYPHEN_PENALTY : 0;
			}
			i += l;
			continue;
		}
		TS_GROW(p->ch, p->nch, p->capch, 1);
		wch *c = &p->ch[p->nch++];
		memset(c, 0, sizeof *c);
		c->cp = cp;
		c->len = (uint8_t)l;
		c->off = ts__pool(L, cp == 0xFFFD && l == 1 ? "\xEF\xBF\xBD" : s + i,
				  cp == 0xFFFD && l == 1 ? 3 : l);
		if (cp == 0xFFFD && l == 1)
			c->len = 3;
		c->emoji = ts_is_emoji_presentation(cp);
		i += l;
	}
	for (size_t k = 0; k < p->nch; k++) {
		wch *c = &p->ch[k];
		ts_glyphkind g;
		c->face = (uint16_t)ts_font_resolve(L->fonts, a->role, c->cp,
						    c->emoji, &g);
		c->kind = (uint8_t)kind_of(g);
		c->adv = ts_font_advance(L->fonts, c->face, c->cp);
		if (g == TS_GLYPH_MISSING)
			L->missing++;
	}
}

static bool word_letter(uint32_t cp)
{
	return cp < 0x80 ? ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')
			 : qutf8_is_wordchar((int32_t)cp) && !qutf8_is_cjk((int32_t)cp);
}

static bool is_dash(uint32_t cp)
{
	return cp == '-' || cp == 0x2010 || cp == 0x2013 || cp == 0x2014;
}

/* Break opportunities inside a word, by mode. */
static void word_breaks(ts_par *p, ts_textmode mode)
{
	size_t n = p->nch;
	for (size_t k = 0; k + 1 < n; k++) {
		wch *c = &p->ch[k], *nx = &p->ch[k + 1];
		if (c->brk)
			continue;
		bool cjk = qutf8_is_cjk((int32_t)c->cp) || qutf8_is_cjk((int32_t)nx->cp);
		if (cjk && !cjk_no_break_before(nx->cp) && !cjk_no_break_after(c->cp)) {
			c->brk = 2;
			c->pen = 0;
		} else if (mode == TS_URL && c->cp < 0x80 && c->cp &&
			   strchr("/.-?&=#_:", (int)c->cp)) {
			c->brk = 2;
			c->pen = c->cp == '/' ? 20 : c->cp == '-' ? 400 : 100;
		} else if (mode == TS_CODESPAN && n > 12 &&
			   c->cp < 0x80 && strchr("./_(,:=&|>[", (int)c->cp)) {
			c->brk = 2;
			c->pen = c->cp == '_' ? 300 : 150;
		} else if (mode == TS_PROSE && is_dash(c->cp) && k > 0) {
			c->brk = 2;
			c->pen = EXHYPHEN_PENALTY;
		} else if (mode == TS_PROSE && c->cp == '/' && n > 8 && k > 0) {
			c->brk = 2;
			c->pen = 200;
		}
	}
}

static void emit_box(ts_par *p, const ts_attr *a, size_t from, size_t to)
{
	hitem *h = new_item(p, H_BOX);
	wch *c = &p->ch[from];
	int adv = 0;
	for (size_t k = from; k < to; k++)
		adv += p->ch[k].adv;
	h->kind = c->kind;
	h->face = c->face;
	h->off = c->off;
	h->len = p->ch[to - 1].off + p->ch[to - 1].len - c->off;
	h->size = a->size;
	h->color = a->color;
	h->link = a->link;
	h->underline = a->underline;
	h->w = (float)adv * a->size / 1000.0f;
	ts__box_hd(p->L, (ts_runkind)h->kind, a->size, &h->h, &h->d);
}

static void emit_break(ts_par *p, const ts_attr *a, const wch *c)
{
	hitem *h = new_item(p, H_PEN);
	if (c->brk == 1) {
		h->flagged = 1;
		h->hyph = c->pen < 0;
		h->pen = HYPHEN_PENALTY;
		h->face = c->face;
		h->size = a->size;
		h->color = a->color;
		h->link = a->link;
		h->w = (float)ts_font_advance(p->L->fonts, c->face, '-') * a->size / 1000.0f;
	} else {
		h->pen = c->pen;
	}
}

/* Emit the decoded word as boxes split at face changes and breaks. */
static void emit_word(ts_par *p, const ts_attr *a)
{
	size_t from = 0;
	for (size_t k = 0; k < p->nch; k++) {
		wch *c = &p->ch[k];
		bool last = k + 1 == p->nch;
		bool single = c->kind != TS_RUN_TEXT;
		bool split = last || c->brk || single ||
			     p->ch[k + 1].kind != TS_RUN_TEXT ||
			     p->ch[k + 1].face != c->face;
		if (!split)
			continue;
		emit_box(p, a, from, k + 1);
		if (c->brk && !last)
			emit_break(p, a, c);
		from = k + 1;
	}
}

static bool looks_like_url(const char *s, size_t n)
{
	if (memcmp(s, "www.", 4) == 0)
		return true;
	for (size_t i = 0; i + 3 <= n; i++)
		if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/')
			return true;
	return false;
}

static void add_word(ts_par *p, const ts_attr *a, const char *s, size_t n,
		     ts_textmode mode)
{
	if (mode == TS_PROSE && n > 8 && looks_like_url(s, n))
		mode = TS_URL;
	decode_word(p, a, s, n);
	if (!p->nch)
		return;
	if (mode != TS_NOBREAK)
		word_breaks(p, mode);
	size_t first = p->in_label ? p->nlab : p->n;
	emit_word(p, a);
	if (mode == TS_PROSE && p->fmt.hyphenate && p->L->hyph && !p->in_label)
		for (size_t i = first; i < p->n; i++)
			if (p->it[i].type == H_BOX && p->it[i].kind == TS_RUN_TEXT)
				p->it[i].hyphable = 1;
}

static void add_space(ts_par *p, const ts_attr *a, bool nobreak)
{
	hitem *last = last_item(p);
	if (!last)
		return;   /* no space at the start of a paragraph */
	if (last->type == H_GLUE && !last->fil && !last->leader)
		return;   /* spaces collapse */
	int face = ts_font_role_face(p->L->fonts, a->role);
	float w = (float)ts_font_advance(p->L->fonts, face, ' ') * a->size / 1000.0f;
	if (nobreak) {
		hitem *pen = new_item(p, H_PEN);
		pen->pen = TS_INF_PENALTY;
	}
	hitem *g = new_item(p, H_GLUE);
	g->w = w;
	bool rigid = p->fmt.align != TS_JUSTIFY;
	g->st = rigid ? 0 : w / 2;
	g->sh = rigid ? 0 : w / 3;
	g->underline = a->underline;
	g->link = a->link;
}

void ts_par_add(ts_par *p, const ts_attr *a, const char *s, size_t n,
		ts_textmode mode)
{
	size_t i = 0;
	while (i < n) {
		size_t l;
		uint32_t cp = ts__cp(s + i, n - i, &l);
		if (is_space_cp(cp)) {
			add_space(p, a, mode == TS_NOBREAK || is_nbsp(cp));
			i += l;
			continue;
		}
		size_t j = i;
		while (j < n) {
			size_t m;
			uint32_t c2 = ts__cp(s + j, n - j, &m);
			if (is_space_cp(c2))
				break;
			j += m;
		}
		add_word(p, a, s + i, j - i, mode);
		i = j;
	}
}

void ts_par_label(ts_par *p, const ts_attr *a, const char *s, size_t n)
{
	p->in_label = true;
	ts_par_add(p, a, s, n, TS_NOBREAK);
	p->in_label = false;
}

void ts_par_newline(ts_par *p)
{
	hitem *last = last_item(p);
	if (last && last->type == H_GLUE && !last->fil)
		p->n--;
	hitem *g = new_item(p, H_GLUE);
	g->fil = 1;
	g->st = 1;
	hitem *pen = new_item(p, H_PEN);
	pen->pen = TS_EJECT;
}

void ts_par_leaders(ts_par *p, const ts_attr *a)
{
	hitem *last = last_item(p);
	if (last && last->type == H_GLUE && !last->fil)
		p->n--;
	hitem *pen = new_item(p, H_PEN);
	pen->pen = TS_INF_PENALTY;
	hitem *g = new_item(p, H_GLUE);
	g->fil = 1;
	g->st = 1e6f;   /* takes all the room the parfillskip would */
	g->leader = 1;
	g->w = a->size;   /* at least a little gap */
	g->face = (uint16_t)ts_font_role_face(p->L->fonts, a->role);
	g->size = a->size;
	g->color = a->color;
}

/* A box of fixed width w with its text right-aligned, hanging into the
 * right margin by w (so lines keep their width): page numbers in the
 * contents. */
void ts_par_hang_right(ts_par *p, const ts_attr *a, const char *s, size_t n,
		       float w)
{
	size_t first = p->n;
	add_word(p, a, s, n, TS_NOBREAK);
	float tw = 0;
	for (size_t i = first; i < p->n; i++)
		tw += p->it[i].w;
	if (p->n > first) {
		p->it[first].rightbox = 1;
		p->it[first].textw = tw;
		p->it[first].w += w - tw;
	}
	hitem *k = new_item(p, H_GLUE);
	k->w = -w;
	k->kern = 1;
}

/* ---- measuring (tables) ----------------------------------------------------- */

static bool legal_break(const hitem *it, size_t i, bool skip_hyph)
{
	if (it[i].type == H_PEN)
		return it[i].pen < TS_INF_PENALTY && !(skip_hyph && it[i].hyph);
	return it[i].type == H_GLUE && !it[i].kern && i > 0 &&
	       it[i - 1].type == H_BOX;
}

void ts_par_measure(ts_par *p, float *natural, float *minimum)
{
	float nat = 0, seg = 0, mn = 0, line = 0;
	for (size_t i = 0; i < p->n; i++) {
		hitem *h = &p->it[i];
		if (h->type == H_PEN && h->pen <= TS_EJECT) {
			nat = fmaxf(nat, line);
			line = 0;
		}
		if (legal_break(p->it, i, false)) {
			mn = fmaxf(mn, seg + (h->type == H_PEN && h->flagged ? h->w : 0));
			seg = 0;
		}
		if (h->type == H_BOX || (h->type == H_GLUE && !legal_break(p->it, i, false)))
			seg += h->w;
		if (h->type != H_PEN)
			line += h->w;
	}
	*natural = fmaxf(nat, line);
	*minimum = fmaxf(mn, seg);
}

/* ---- emergency splitting -------------------------------------------------- */

/* Split box b into one box per character (appended to out). */
static void split_box(ts_par *p, const hitem *b, hitem **out, size_t *n,
		      size_t *cap)
{
	const char *pool = p->L->pool.ptr;
	for (uint32_t i = 0; i < b->len;) {
		size_t l;
		uint32_t cp = ts__cp(pool + b->off + i, b->len - i, &l);
		if (i > 0) {
			TS_GROW(*out, *n, *cap, 1);
			hitem *pen = &(*out)[(*n)++];
			memset(pen, 0, sizeof *pen);
			pen->type = H_PEN;
			pen->pen = EMERGENCY_SPLIT_PENALTY;
		}
		TS_GROW(*out, *n, *cap, 1);
		hitem *c = &(*out)[(*n)++];
		*c = *b;
		c->off = b->off + i;
		c->len = (uint32_t)l;
		c->w = b->kind == TS_RUN_TEXT
			       ? (float)ts_font_advance(p->L->fonts, b->face, cp) * b->size / 1000.0f
			       : b->w;
		i += (uint32_t)l;
	}
}

/* Give every unbreakable piece wider than w breaks between characters. */
static void split_wide(ts_par *p, float w)
{
	bool need = false;
	float seg = 0;
	for (size_t i = 0; i < p->n && !need; i++) {
		if (legal_break(p->it, i, false))
			seg = 0;
		else if (p->it[i].type == H_BOX || p->it[i].type == H_GLUE)
			seg += p->it[i].w;
		need = seg > w;
	}
	if (!need)
		return;
	hitem *out = NULL;
	size_t n = 0, cap = 0, seg_start = 0;
	seg = 0;
	for (size_t i = 0; i <= p->n; i++) {
		bool end = i == p->n || legal_break(p->it, i, false);
		if (!end) {
			if (p->it[i].type == H_BOX || p->it[i].type == H_GLUE)
				seg += p->it[i].w;
			continue;
		}
		for (size_t k = seg_start; k < i; k++) {
			if (seg > w && p->it[k].type == H_BOX && p->it[k].len > 0) {
				if (k > seg_start && p->it[k - 1].type == H_BOX) {
					TS_GROW(out, n, cap, 1);
					memset(&out[n], 0, sizeof out[n]);
					out[n].type = H_PEN;
					out[n++].pen = EMERGENCY_SPLIT_PENALTY;
				}
				split_box(p, &p->it[k], &out, &n, &cap);
			} else {
				TS_GROW(out, n, cap, 1);
				out[n++] = p->it[k];
			}
		}
		if (i < p->n) {
			TS_GROW(out, n, cap, 1);
			out[n++] = p->it[i];
		}
		seg = 0;
		seg_start = i + 1;
	}
	free(p->it);
	p->it = out;
	p->n = n;
	p->cap = cap;
}

/* ---- hyphenation (only for paragraphs that need it) ---------------------- */

/* The letters in the middle of a box's text: [*a, *b) byte offsets, or
 * false when it is no plain word (digits, camelCase, too short). */
static bool word_core(const char *s, size_t n, size_t *a, size_t *b)
{
	size_t first = n, end = 0, i = 0;
	while (i < n) {   /* the first and the end of the last letter */
		size_t l;
		uint32_t cp = ts__cp(s + i, n - i, &l);
		if (word_letter(cp)) {
			if (first == n)
				first = i;
			end = i + l;
		}
		i += l;
	}
	if (first >= end)
		return false;
	int letters = 0;
	for (i = first; i < end;) {   /* only letters between, no capitals */
		size_t l;
		uint32_t cp = ts__cp(s + i, end - i, &l);
		if (!word_letter(cp) || (i > first && cp >= 'A' && cp <= 'Z'))
			return false;
		letters++;
		i += l;
	}
	*a = first;
	*b = end;
	return letters >= 5;
}

static void push_item(hitem **out, size_t *n, size_t *cap, const hitem *h)
{
	TS_GROW(*out, *n, *cap, 1);
	(*out)[(*n)++] = *h;
}

/* Split a box at its hyphenation points into out. */
static void hyphenate_box(ts_par *p, const hitem *bx, hitem **out, size_t *n,
			  size_t *cap)
{
	const char *s = p->L->pool.ptr + bx->off;
	size_t a, b;
	uint16_t pos[64];
	int np = 0;
	if (word_core(s, bx->len, &a, &b))
		np = ts_hyph_points(p->L->hyph, s + a, b - a, pos, 64);
	if (np == 0) {
		push_item(out, n, cap, bx);
		return;
	}
	float hyw = (float)ts_font_advance(p->L->fonts, bx->face, '-') * bx->size / 1000.0f;
	size_t from = 0;
	for (int k = 0; k <= np; k++) {
		size_t to = k < np ? a + pos[k] : bx->len;
		hitem part = *bx;
		part.off = bx->off + (uint32_t)from;
		part.len = (uint32_t)(to - from);
		part.w = ts__text_width(p->L, bx->face, bx->size, s + from, to - from);
		part.hyphable = 0;
		push_item(out, n, cap, &part);
		if (k < np) {
			hitem pen;
			memset(&pen, 0, sizeof pen);
			pen.type = H_PEN;
			pen.flagged = pen.hyph = 1;
			pen.pen = HYPHEN_PENALTY;
			pen.face = bx->face;
			pen.size = bx->size;
			pen.color = bx->color;
			pen.link = bx->link;
			pen.w = hyw;
			push_item(out, n, cap, &pen);
		}
		from = to;
	}
}

static void hyphenate_items(ts_par *p)
{
	hitem *out = NULL;
	size_t n = 0, cap = 0;
	bool any = false;
	for (size_t i = 0; i < p->n; i++) {
		if (p->it[i].type == H_BOX && p->it[i].hyphable) {
			any = true;
			hyphenate_box(p, &p->it[i], &out, &n, &cap);
		} else {
			push_item(&out, &n, &cap, &p->it[i]);
		}
	}
	if (!any) {
		free(out);
		return;
	}
	free(p->it);
	p->it = out;
	p->n = n;
	p->cap = cap;
}

/* ---- Knuth-Plass ------------------------------------------------------------- */

static float line_width(const ts_par *p, int line)
{
	return line == 0 ? p->fmt.width - p->fmt.indent : p->fmt.width;
}

static void compute_sums(ts_par *p)
{
	if (p->n + 1 > p->capsum) {
		p->capsum = (p->n + 1) * 2;
		p->sw = qxrealloc(p->sw, p->capsum * sizeof(double));
		p->sy = qxrealloc(p->sy, p->capsum * sizeof(double));
		p->sz = qxrealloc(p->sz, p->capsum * sizeof(double));
		p->sf = qxrealloc(p->sf, p->capsum * sizeof(double));
	}
	p->sw[0] = p->sy[0] = p->sz[0] = p->sf[0] = 0;
	for (size_t i = 0; i < p->n; i++) {
		const hitem *h = &p->it[i];
		double w = h->type == H_PEN ? 0 : h->w;
		double y = h->type == H_GLUE && !h->fil ? h->st : 0;
		double z = h->type == H_GLUE ? h->sh : 0;
		double f = h->type == H_GLUE && h->fil ? h->st : 0;
		p->sw[i + 1] = p->sw[i] + w;
		p->sy[i + 1] = p->sy[i] + y;
		p->sz[i + 1] = p->sz[i] + z;
		p->sf[i + 1] = p->sf[i] + f;
	}
}

/* First item of the line after a break at b. */
static size_t after_break(const ts_par *p, size_t b)
{
	size_t j = b + 1;
	if (b == (size_t)-1)
		j = 0;
	while (j < p->n && p->it[j].type != H_BOX &&
	       !(p->it[j].type == H_PEN && p->it[j].pen <= TS_EJECT))
		j++;
	return j;
}

static int32_t new_node(ts_par *p, int32_t pos, int32_t line, int fit,
			bool flagged, double dem, int32_t prev)
{
	TS_GROW(p->nodes, p->nnodes, p->capnodes, 1);
	kpnode *k = &p->nodes[p->nnodes];
	size_t j = after_break(p, (size_t)pos);
	k->pos = pos;
	k->line = line;
	k->fit = (int8_t)fit;
	k->flagged = flagged;
	k->dem = dem;
	k->prev = prev;
	k->next = -1;
	k->tw = p->sw[j];
	k->ty = p->sy[j];
	k->tz = p->sz[j];
	k->tf = p->sf[j];
	return (int32_t)p->nnodes++;
}

typedef struct kppass {
	double tolerance;
	double emergency;
	bool skip_hyph;
	bool final;
} kppass;

typedef struct kpcand {
	double dem;
	int32_t from;
	int line;
} kpcand;

static double ratio_of(const ts_par *p, const kpnode *a, size_t b,
		       const kppass *ps, double *width_out)
{
	const hitem *it = &p->it[b];
	double W = line_width(p, a->line);
	double Lw = p->sw[b] - a->tw + (it->type == H_PEN ? it->w : 0);
	double Y = p->sy[b] - a->ty + p->ragged + ps->emergency;
	double Z = p->sz[b] - a->tz;
	double F = p->sf[b] - a->tf;
	*width_out = Lw;
	if (Lw < W - 1e-6) {
		if (F > 0)
			return 0;
		return Y > 0 ? (W - Lw) / Y : INFINITY;
	}
	if (Lw > W + 1e-6)
		return Z > 0 ? (W - Lw) / Z : -INFINITY;
	return 0;
}

static int fitness(double r)
{
	return r < -0.5 ? 0 : r <= 0.5 ? 1 : r <= 1 ? 2 : 3;
}

static double demerits(const ts_par *p, const kpnode *a, size_t b, double r,
		       const kppass *ps, int fit)
{
	const hitem *it = &p->it[b];
	double bad = isinf(r) ? TS_INF_BAD : fmin(TS_INF_BAD, 100 * fabs(r * r * r));
	int pen = it->type == H_PEN ? it->pen : 0;
	double d = (LINE_PENALTY + bad) * (LINE_PENALTY + bad);
	if (pen > 0)
		d += (double)pen * pen;
	else if (pen > TS_EJECT)
		d -= (double)pen * pen;
	bool flagged = it->type == H_PEN && it->flagged;
	if (flagged && a->flagged)
		d += DOUBLE_HYPHEN_DEMERITS;
	if (pen <= TS_EJECT && a->flagged)
		d += FINAL_HYPHEN_DEMERITS;
	if (abs(fit - a->fit) > 1)
		d += ADJ_DEMERITS;
	(void)ps;
	return d;
}

/* Try all active nodes against breakpoint b; returns the new head. */
static int32_t try_break(ts_par *p, int32_t head, size_t b, const kppass *ps)
{
	kpcand best[4] = {{INFINITY, -1, 0}, {INFINITY, -1, 0},
			  {INFINITY, -1, 0}, {INFINITY, -1, 0}};
	bool forced = p->it[b].type == H_PEN && p->it[b].pen <= TS_EJECT;
	int32_t prev = -1, a = head, last_dead = -1;
	while (a >= 0) {
		kpnode *n = &p->nodes[a];
		int32_t next = n->next;
		double lw;
		double r = ratio_of(p, n, b, ps, &lw);
		if (r >= -1) {
			double bad = isinf(r) ? TS_INF_BAD + 1 : 100 * fabs(r * r * r);
			if (bad <= ps->tolerance || ps->final) {
				int fit = fitness(r);
				double d = n->dem + demerits(p, n, b, r, ps, fit);
				if (d < best[fit].dem)
					best[fit] = (kpcand){d, a, n->line};
			}
		}
		if (r < -1 || forced) {
			if (prev >= 0)
				p->nodes[prev].next = next;
			else
				head = next;
			last_dead = a;
		} else {
			prev = a;
		}
		a = next;
	}
	bool any = false;
	for (int f = 0; f < 4; f++) {
		if (best[f].from < 0)
			continue;
		any = true;
		bool fl = p->it[b].type == H_PEN && p->it[b].flagged;
		int32_t k = new_node(p, (int32_t)b, best[f].line + 1, f, fl, best[f].dem,
				     best[f].from);
		p->nodes[k].next = head;
		head = k;
	}
	if (!any && head < 0 && ps->final && last_dead >= 0) {
		/* nothing fits (cannot happen after split_wide): break anyway */
		int32_t k = new_node(p, (int32_t)b, p->nodes[last_dead].line + 1, 1,
				     false, p->nodes[last_dead].dem, last_dead);
		head = k;
	}
	return head;
}

/* One pass; fills p->breaks (item indexes) and returns true on success. */
static bool kp_pass(ts_par *p, const kppass *ps)
{
	p->nnodes = 0;
	int32_t head = new_node(p, -1, 0, 1, false, 0, -1);
	for (size_t b = 0; b < p->n && head >= 0; b++)
		if (legal_break(p->it, b, ps->skip_hyph))
			head = try_break(p, head, b, ps);
	if (head < 0)
		return false;
	int32_t best = -1;
	for (int32_t a = head; a >= 0; a = p->nodes[a].next)
		if (p->nodes[a].pos == (int32_t)p->n - 1 &&
		    (best < 0 || p->nodes[a].dem < p->nodes[best].dem))
			best = a;
	if (best < 0)
		return false;
	p->nbreaks = 0;
	for (int32_t a = best; a >= 0 && p->nodes[a].pos >= 0; a = p->nodes[a].prev) {
		TS_GROW(p->breaks, p->nbreaks, p->capbreaks, 1);
		p->breaks[p->nbreaks++] = p->nodes[a].pos;
	}
	for (size_t i = 0; i < p->nbreaks / 2; i++) {
		int32_t t = p->breaks[i];
		p->breaks[i] = p->breaks[p->nbreaks - 1 - i];
		p->breaks[p->nbreaks - 1 - i] = t;
	}
	return true;
}

/* Lines fit on one line without any forced break inside? */
static bool fits_one_line(ts_par *p)
{
	for (size_t i = 0; i + 1 < p->n; i++)
		if (p->it[i].type == H_PEN && p->it[i].pen <= TS_EJECT)
			return false;
	return p->sw[p->n] <= line_width(p, 0) + 1e-3;
}

static void find_breaks(ts_par *p)
{
	compute_sums(p);
	if (fits_one_line(p)) {
		p->nbreaks = 0;
		TS_GROW(p->breaks, p->nbreaks, p->capbreaks, 1);
		p->breaks[p->nbreaks++] = (int32_t)p->n - 1;
		return;
	}
	kppass passes[3] = {
		{100, 0, true, false},
		{200, 0, false, false},
		{TS_INF_BAD, p->fmt.width * 0.1, false, true},
	};
	if (kp_pass(p, &passes[0]))   /* TeX's first pass: no hyphenation */
		return;
	if (p->fmt.hyphenate && p->L->hyph)
		hyphenate_items(p);
	split_wide(p, fminf(line_width(p, 0), line_width(p, 1)));
	compute_sums(p);
	for (int i = 1; i < 3; i++)
		if (kp_pass(p, &passes[i]))
			return;
}

/* ---- setting lines -------------------------------------------------------------- */

static bool same_run(const ts_run *r, const hitem *h)
{
	return r->kind == TS_RUN_TEXT && h->kind == TS_RUN_TEXT &&
	       r->face == h->face && r->size == h->size && r->color == h->color &&
	       r->link == h->link && r->underline == h->underline &&
	       r->off + r->len == h->off;
}

static void put_box(ts_layout *L, const hitem *h, float x, bool merge)
{
	if (merge && L->nruns) {
		ts_run *r = &L->runs[L->nruns - 1];
		if (same_run(r, h) && fabsf(r->x + r->w - x) < 0.01f) {
			r->len += h->len;
			r->w += h->w;
			return;
		}
	}
	ts_run *r = ts__run(L);
	r->x = h->rightbox ? x + h->w - h->textw : x;
	r->w = h->rightbox ? h->textw : h->w;
	r->size = h->size;
	r->color = h->color;
	r->off = h->off;
	r->len = h->len;
	r->link = h->link;
	r->face = h->face;
	r->kind = h->kind;
	r->underline = h->underline;
}

static void put_hyphen(ts_layout *L, const hitem *pen, float x)
{
	static const char hy[] = "-";
	ts_run *r = ts__run(L);
	r->x = x;
	r->w = pen->w;
	r->size = pen->size;
	r->color = pen->color;
	r->off = ts__pool(L, hy, 1);
	r->len = 1;
	r->link = pen->link;
	r->face = pen->face;
	r->kind = TS_RUN_TEXT;
}

static void put_leader(ts_layout *L, const hitem *g, float x, float w)
{
	ts_run *r = ts__run(L);
	r->x = x;
	r->w = w;
	r->size = g->size;
	r->color = g->color;
	r->face = g->face;
	r->kind = TS_RUN_LEADER;
	r->off = ts__pool(L, ".", 1);
	r->len = 1;
}

/* Set the items [s, b) (plus a hyphen) as one line into L->runs. */
static void set_line(ts_par *p, size_t s, size_t b, int lineno, pline *out)
{
	ts_layout *L = p->L;
	const hitem *end = &p->it[b];
	bool hyphen = end->type == H_PEN && end->flagged;
	double nat = 0, st = 0, sh = 0, fil = 0;
	float h = 0, d = 0;
	for (size_t i = s; i < b; i++) {
		const hitem *it = &p->it[i];
		if (it->type == H_PEN)
			continue;
		nat += it->w;
		if (it->type == H_GLUE) {
			if (it->fil)
				fil += it->st;
			else
				st += it->st;
			sh += it->sh;
		} else {
			h = fmaxf(h, it->h);
			d = fmaxf(d, it->d);
		}
	}
	if (hyphen)
		nat += end->w;
	double W = line_width(p, lineno);
	double r = 0, rf = 0, lead = 0;
	if (nat < W && fil > 0)
		rf = (W - nat) / fil;
	else if (nat < W && st > 0 && p->fmt.align == TS_JUSTIFY)
		r = (W - nat) / st;
	else if (nat > W && sh > 0)
		r = fmax(-1.0, (W - nat) / sh);
	if (fil <= 0 && nat < W && (p->fmt.align == TS_CENTER || p->fmt.align == TS_RIGHT))
		lead = (W - nat) / (p->fmt.align == TS_CENTER ? 2 : 1);
	out->run0 = (uint32_t)L->nruns;
	float x = (float)lead + (lineno == 0 ? p->fmt.indent : 0);
	bool merge = false;
	for (size_t i = s; i < b; i++) {
		const hitem *it = &p->it[i];
		if (it->type == H_BOX) {
			put_box(L, it, x, merge);
			merge = true;
			x += it->w;
		} else if (it->type == H_GLUE) {
			double gw = it->w + (it->fil ? rf * it->st
					     : r > 0 ? r * it->st : r * it->sh);
			if (it->leader)
				put_leader(L, it, x, (float)gw);
			x += (float)gw;
			merge = false;
		}
	}
	if (hyphen)
		put_hyphen(L, end, x);
	out->nruns = (uint32_t)(L->nruns - out->run0);
	out->w = (float)fmin(W, nat);
	out->h = h;
	out->d = d;
	out->hyphen = hyphen;
}

/* Finish the item list: drop trailing glue, add parfillskip. */
static void close_items(ts_par *p)
{
	while (p->n && p->it[p->n - 1].type == H_GLUE && !p->it[p->n - 1].leader &&
	       !p->it[p->n - 1].kern)
		p->n--;
	while (p->n && p->it[p->n - 1].type == H_PEN && p->it[p->n - 1].pen > TS_EJECT)
		p->n--;
	hitem *pen = new_item(p, H_PEN);
	pen->pen = TS_INF_PENALTY;
	hitem *g = new_item(p, H_GLUE);
	/* centred and right-aligned lines are filled from the sides */
	bool sides = p->fmt.align == TS_CENTER || p->fmt.align == TS_RIGHT;
	g->fil = !sides;
	g->st = sides ? 0 : 1;
	hitem *e = new_item(p, H_PEN);
	e->pen = TS_EJECT;
}

/* Break the paragraph into lines (runs appended to L->runs); calls emit
 * for each line. */
typedef void (*line_fn)(void *ctx, ts_par *p, int lineno, int nlines,
			const pline *ln);

static int break_lines(ts_par *p, line_fn emit, void *ctx)
{
	close_items(p);
	p->ragged = p->fmt.align == TS_JUSTIFY ? 0
		    : p->fmt.align == TS_RAGGED ? p->fmt.width * 0.25f
						: p->fmt.width * 0.5f;
	find_breaks(p);
	size_t s = after_break(p, (size_t)-1);
	int nl = (int)p->nbreaks;
	for (int k = 0; k < nl; k++) {
		size_t b = (size_t)p->breaks[k];
		pline ln;
		set_line(p, s, b, k, &ln);
		emit(ctx, p, k, nl, &ln);
		s = after_break(p, b);
	}
	return nl;
}

/* The label's runs, right-aligned to end label_gap before the text. */
static void put_label(ts_par *p)
{
	ts_layout *L = p->L;
	float w = 0;
	for (size_t i = 0; i < p->nlab; i++)
		w += p->lab[i].w;
	float x = p->fmt.indent - p->fmt.label_gap - w;
	for (size_t i = 0; i < p->nlab; i++) {
		const hitem *it = &p->lab[i];
		if (it->type == H_BOX)
			put_box(L, it, x, false);
		x += it->w;
	}
}

static void emit_vlist(void *ctx, ts_par *p, int k, int nl, const pline *ln)
{
	(void)ctx;
	ts_layout *L = p->L;
	uint32_t run0 = ln->run0, nruns = ln->nruns;
	float h = ln->h, d = ln->d;
	if (k == 0 && p->nlab) {
		put_label(p);
		nruns = (uint32_t)(L->nruns - run0);
		for (size_t i = 0; i < p->nlab; i++) {
			h = fmaxf(h, p->lab[i].h);
			d = fmaxf(d, p->lab[i].d);
		}
	}
	if (h == 0 && d == 0)
		ts__box_hd(L, TS_RUN_TEXT, p->fmt.leading / 1.2f, &h, &d);
	if (k > 0) {
		int pen = 0;
		if (p->fmt.keep_together || k == 1 || k == nl - 1)
			pen = TS_INF_PENALTY;
		else if (p->prev_hyphen)
			pen = 100;
		if (pen)
			ts_v_penalty(L, pen);
	}
	p->prev_hyphen = ln->hyphen;
	ts_linespec s = {p->fmt.x, p->fmt.width, h, d, p->fmt.leading,
			 run0, nruns, p->fmt.group, -1, 0};
	ts__line(L, &s);
}

int ts_par_end(ts_par *p)
{
	if (ts_par_empty(p) && !p->nlab)
		return 0;
	int nl = break_lines(p, emit_vlist, NULL);
	if (p->fmt.keep_after > 0)
		ts_v_keep(p->L, p->fmt.keep_after);
	return nl;
}

/* ---- for tables: break into a caller's line list ------------------------------- */

static void emit_collect(void *ctx, ts_par *p, int k, int nl, const pline *ln)
{
	(void)p;
	(void)k;
	(void)nl;
	ts_plines *pl = ctx;
	TS_GROW(pl->v, pl->n, pl->cap, 1);
	pl->v[pl->n++] = *ln;
}

int ts__par_lines(ts_par *p, float w, ts_plines *lines)
{
	p->fmt.width = w;
	p->fmt.indent = 0;
	return break_lines(p, emit_collect, lines);
}
