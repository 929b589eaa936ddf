/* tspar.c - paragraphs, first half: text to boxes, glue and penalties
 * (see tslayout.h); the breaking is in tsbreak.c.
 *
 * Text becomes one box per piece of a word in one face (per-character
 * font fallback splits a word into several boxes), glue for each space
 * (the font's space, stretch 1/2, shrink 1/3, as in TeX) and penalties
 * after explicit hyphens and dashes, between CJK ideographs, inside
 * code and URLs, and after the dots and underscores of long identifiers
 * written in prose. Hyphenation points (flagged penalties: a hyphen is drawn
 * when broken there) are added only when a paragraph cannot be set well
 * without them, as in TeX's second pass.
 */
#include <math.h>

#include "../util/utf8.h"
#include "tsbidi.h"
#include "tspar.h"

ts_par *ts_par_new(ts_layout *L)
{
	ts_par *p = qxmalloc(sizeof *p);
	memset(p, 0, sizeof *p);
	p->L = L;
	return p;
}

/* Free the breaker's working arrays (characters, nodes, sums, breaks). */
static void free_work(ts_par *p)
{
	free(p->ch);
	free(p->nodes);
	free(p->sw);
	free(p->sy);
	free(p->sz);
	free(p->sf);
	free(p->breaks);
}

void ts_par_free(ts_par *p)
{
	if (!p)
		return;
	free_work(p);
	free(p->it);
	free(p->lab);
	free(p->mruns);
	free(p);
}

void ts_par_begin(ts_par *p, const ts_parfmt *fmt)
{
	p->fmt = *fmt;
	p->n = p->nlab = 0;
	p->nmruns = 0;
	p->in_label = false;
	if (p->fmt.width < 1)
		p->fmt.width = 1;
}

float ts_par_width(const ts_par *p)
{
	return p->fmt.width;
}

bool ts_par_empty(const ts_par *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->it[i].type == H_BOX)
			return false;
	return true;
}

hitem *ts__new_item(ts_par *p, int type)
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
	uint32_t prev = 0;
	for (size_t i = 0; i < n;) {
		size_t l;
		uint32_t cp = ts__cp(s + i, n - i, &l);
		total += ts_font_advance(L->fonts, face, cp);
		if (i > 0)
			total += ts_font_kern(L->fonts, face, prev, cp);
		prev = cp;
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

ts_runkind ts__run_kind(ts_glyphkind g)
{
	switch (g) {
	case TS_GLYPH_IMAGE: return TS_RUN_IMAGE;
	case TS_GLYPH_OUTLINE: return TS_RUN_OUTLINE;
	case TS_GLYPH_MISSING: return TS_RUN_MISSING;
	default: return TS_RUN_TEXT;
	}
}

/* A right-to-left word in p->ch becomes its visual form (FriBidi:
 * display order, Arabic joined): new characters in the pool. Its break
 * marks are dropped (a right-to-left word is not broken). */
static void visual_word(ts_par *p)
{
	uint32_t *cps = qxmalloc(sizeof *cps * p->nch);
	for (size_t k = 0; k < p->nch; k++)
		cps[k] = p->ch[k].cp;
	size_t n = ts_bidi_word(cps, p->nch);
	qbuf u = QBUF_INIT;
	for (size_t k = 0; k < n; k++) {
		wch *c = &p->ch[k];
		qbuf_reset(&u);
		qbuf_put_utf8(&u, cps[k]);
		memset(c, 0, sizeof *c);
		c->cp = cps[k];
		c->len = (uint8_t)u.len;
		c->off = ts__pool(p->L, u.ptr, u.len);
		c->emoji = ts_is_emoji_presentation(c->cp);
	}
	p->nch = n;
	qbuf_free(&u);
	free(cps);
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
		if (ts_is_invisible(cp)) {
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
	bool rtl = false;
	for (size_t k = 0; k < p->nch && !rtl; k++)
		rtl = ts_bidi_dir(p->ch[k].cp) == TS_DIR_RTL;
	if (rtl)
		visual_word(p);
	for (size_t k = 0; k < p->nch; k++) {
		wch *c = &p->ch[k];
		c->dir = rtl ? TS_DIR_RTL : (uint8_t)ts_bidi_dir(c->cp);
		ts_glyph g = ts_glyph_for(L->fonts, a->role, c->cp, c->emoji);
		c->face = (uint16_t)g.face;
		c->kind = (uint8_t)ts__run_kind(g.kind);
		c->adv = g.adv;
		c->fake_bold = g.fake_bold;
	}
}

float ts__mark_width(float size)
{
	return 0.5f * size;
}

bool ts__word_letter(uint32_t cp)
{
	return cp < 0x80 ? ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')
			 : qutf8_is_wordchar((int32_t)cp) && !qutf8_is_cjk((int32_t)cp);
}

static bool is_dash(uint32_t cp)
{
	return cp == '-' || cp == 0x2010 || cp == 0x2013 || cp == 0x2014;
}

/* Is cp a character of a name (letters, digits)? */
static bool name_char(uint32_t cp)
{
	return ts__word_letter(cp) || (cp >= '0' && cp <= '9');
}

/* A break after the . / _ at k of an identifier: between name
 * characters, in a word long enough to be worth breaking. */
static bool ident_break(const ts_par *p, size_t k)
{
	uint32_t cp = p->ch[k].cp;
	if (p->nch < 8 || k == 0 || k + 1 >= p->nch || (cp != '.' && cp != '/' && cp != '_'))
		return false;
	uint32_t a = p->ch[k - 1].cp, b = p->ch[k + 1].cp;
	if (cp == '/')
		return name_char(a) || a == ')' || name_char(b);
	return (name_char(a) || a == ')') && name_char(b);
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
			c->brk = 3;
			c->pen = 0;
		} else if (mode == TS_URL && c->cp < 0x80 && c->cp &&
			   strchr("/.-?&=#_:", (int)c->cp)) {
			c->brk = 2;
			c->pen = c->cp == '/' ? 20 : c->cp == '-' ? 400 : 100;
		} else if ((mode == TS_PROSE || mode == TS_CODESPAN) && ident_break(p, k)) {
			c->brk = c->cp == '/' ? 2 : 4;   /* a/b reads on without a mark */
			c->pen = IDENT_BREAK_PENALTY;
		} else if (mode == TS_CODESPAN && n > 12 &&
			   c->cp < 0x80 && strchr("(,:=&|>[", (int)c->cp)) {
			c->brk = 2;
			c->pen = 150;
		} else if (mode == TS_PROSE && is_dash(c->cp) && k > 0) {
			c->brk = 2;
			c->pen = EXHYPHEN_PENALTY;
		}
	}
}

static void emit_box(ts_par *p, const ts_attr *a, size_t from, size_t to)
{
	hitem *h = ts__new_item(p, H_BOX);
	wch *c = &p->ch[from];
	int adv = 0;
	for (size_t k = from; k < to; k++) {
		adv += p->ch[k].adv;
		if (k + 1 < to && c->kind == TS_RUN_TEXT)
			adv += ts_font_kern(p->L->fonts, c->face, p->ch[k].cp, p->ch[k + 1].cp);
	}
	h->kind = c->kind;
	h->face = c->face;
	h->off = c->off;
	h->len = p->ch[to - 1].off + p->ch[to - 1].len - c->off;
	h->size = a->size;
	h->color = a->color;
	h->link = a->link;
	h->underline = a->underline;
	h->w = (float)adv * a->size / 1000.0f;
	h->strike = a->strike;
	h->fake_bold = c->fake_bold;
	for (size_t k = from; k < to; k++)
		if (p->ch[k].dir > h->dir)
			h->dir = p->ch[k].dir;
	h->rise = a->rise;
	h->bg = a->bg;
	ts__box_hd(p->L, (ts_runkind)h->kind, a->size, &h->h, &h->d);
	h->h = fmaxf(h->h, h->h + a->rise);   /* a superscript raises the line */
	h->d = fmaxf(h->d, h->d - a->rise);
}

static void emit_break(ts_par *p, const ts_attr *a, const wch *c)
{
	if (c->brk == 3) {   /* between CJK characters: stretchable */
		hitem *g = ts__new_item(p, H_GLUE);
		g->st = p->fmt.align == TS_JUSTIFY ? CJK_STRETCH * a->size : 0;
		return;
	}
	hitem *h = ts__new_item(p, H_PEN);
	h->pen = c->pen;
	if (c->brk == 1 || c->brk == 4) {
		h->flagged = c->brk == 1 ? 1 : 2;
		h->hyph = c->brk == 1 && c->pen < 0;
		h->pen = c->brk == 1 ? HYPHEN_PENALTY : c->pen;
		h->face = c->face;
		h->size = a->size;
		h->color = a->color;
		h->link = a->link;
		h->w = c->brk == 1 ? (float)ts_font_advance(p->L->fonts, c->face, '-') *
					     a->size / 1000.0f
				   : ts__mark_width(a->size);
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
			     p->ch[k + 1].face != c->face ||
			     p->ch[k + 1].fake_bold != c->fake_bold;
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

/* Is the decoded word an identifier (an underscore, or a dot between
 * letters: snake_case, module.attr)? Those are never hyphenated: a drawn
 * hyphen would read as part of the name. */
static bool is_identifier(const ts_par *p)
{
	for (size_t k = 0; k < p->nch; k++) {
		uint32_t cp = p->ch[k].cp;
		if (cp == '_' || (cp == '.' && k > 0 && k + 1 < p->nch &&
				  ts__word_letter(p->ch[k - 1].cp) &&
				  ts__word_letter(p->ch[k + 1].cp)))
			return true;
	}
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
	if (mode != TS_NOBREAK && !(p->nch && p->ch[0].dir == TS_DIR_RTL))
		word_breaks(p, mode);
	size_t first = p->in_label ? p->nlab : p->n;
	emit_word(p, a);
	if (mode == TS_PROSE && p->fmt.hyphenate && p->L->hyph && !p->in_label &&
	    !is_identifier(p))
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
		hitem *pen = ts__new_item(p, H_PEN);
		pen->pen = TS_INF_PENALTY;
	}
	hitem *g = ts__new_item(p, H_GLUE);
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
	hitem *g = ts__new_item(p, H_GLUE);
	g->fil = 1;
	g->st = 1;
	hitem *pen = ts__new_item(p, H_PEN);
	pen->pen = TS_EJECT;
}

void ts_par_leaders(ts_par *p, const ts_attr *a)
{
	hitem *last = last_item(p);
	if (last && last->type == H_GLUE && !last->fil)
		p->n--;
	hitem *pen = ts__new_item(p, H_PEN);
	pen->pen = TS_INF_PENALTY;
	hitem *g = ts__new_item(p, H_GLUE);
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
	hitem *k = ts__new_item(p, H_GLUE);
	k->w = -w;
	k->kern = 1;
}

/* ---- measuring (tables) ----------------------------------------------------- */

bool ts__legal_break(const hitem *it, size_t i, bool skip_hyph)
{
	if (it[i].type == H_PEN)
		return it[i].pen < TS_INF_PENALTY && !(skip_hyph && it[i].hyph);
	return it[i].type == H_GLUE && !it[i].kern && !it[i].nobreak && i > 0 &&
	       it[i - 1].type == H_BOX;
}

/* Does box h's text begin with c (first) or end with it? A formula's
 * box holds runs, not text: never. */
static bool box_edge(const ts_par *p, const hitem *h, char c, bool first)
{
	if (h->type != H_BOX || h->len == 0 || h->kind == TS_RUN_MATH)
		return false;
	return p->L->pool.ptr[first ? h->off : h->off + h->len - 1] == c;
}

#define WHOLE_PARENS_WORDS 3

void ts__whole_parens(ts_par *p)
{
	for (size_t i = 0; i < p->n; i++) {
		if (!box_edge(p, &p->it[i], '(', true))
			continue;
		int glues = 0;
		size_t j = i;
		for (; j < p->n && glues < WHOLE_PARENS_WORDS; j++) {
			if (p->it[j].type == H_GLUE)
				glues++;
			if (box_edge(p, &p->it[j], ')', false))
				break;
		}
		if (j >= p->n || !box_edge(p, &p->it[j], ')', false))
			continue;
		for (size_t k = i; k < j; k++)
			if (p->it[k].type == H_GLUE)
				p->it[k].nobreak = 1;
		i = j;
	}
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
		if (ts__legal_break(p->it, i, false)) {
			mn = fmaxf(mn, seg + (h->type == H_PEN && h->flagged ? h->w : 0));
			seg = 0;
		}
		if (h->type == H_BOX || (h->type == H_GLUE && !ts__legal_break(p->it, i, false)))
			seg += h->w;
		if (h->type != H_PEN)
			line += h->w;
	}
	*natural = fmaxf(nat, line);
	*minimum = fmaxf(mn, seg);
}

void ts__par_trim(ts_par *p)
{
	free_work(p);
	p->ch = NULL;
	p->nodes = NULL;
	p->sw = p->sy = p->sz = p->sf = NULL;
	p->breaks = NULL;
	p->nch = p->capch = p->nnodes = p->capnodes = p->capsum = 0;
	p->nbreaks = p->capbreaks = 0;
	if (p->n < p->cap) {
		p->it = qxrealloc(p->it, (p->n ? p->n : 1) * sizeof *p->it);
		p->cap = p->n ? p->n : 1;
	}
}

static void scale_items(hitem *v, size_t n, float s)
{
	for (size_t i = 0; i < n; i++) {
		hitem *h = &v[i];
		h->w *= s;
		h->st *= s;
		h->sh *= s;
		h->size *= s;
		h->h *= s;
		h->d *= s;
		h->rise *= s;
		h->textw *= s;
	}
}

void ts__par_scale(ts_par *p, float s)
{
	scale_items(p->it, p->n, s);
	scale_items(p->lab, p->nlab, s);
	for (size_t i = 0; i < p->nmruns; i++) {
		ts_run *r = &p->mruns[i];
		r->x *= s;
		r->w *= s;
		r->size *= s;
		r->rise *= s;
	}
	p->fmt.leading *= s;
	p->fmt.label_gap *= s;
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
		if (ts__word_letter(cp)) {
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
		if (!ts__word_letter(cp) || (i > first && cp >= 'A' && cp <= 'Z'))
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

void ts__hyphenate_items(ts_par *p)
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

