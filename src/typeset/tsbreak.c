/* tsbreak.c - paragraphs, second half: the Knuth-Plass total-fit line
 * breaker and the setting of lines (see tslayout.h; tspar.c builds the
 * boxes, glue and penalties).
 *
 * The breaker runs TeX's three passes: without hyphenation (pretolerance
 * 100), with it (tolerance 200), then an emergency pass that accepts any
 * line that is not overfull but avoids lines whose spaces would stretch
 * past twice their width; such a line, when nothing else works, is set
 * ragged rather than stretched. Before breaking with hyphenation, any
 * unbreakable piece wider than the line is given a break between every two
 * characters, so no line can ever run past the margin. A paragraph too long
 * for the total-fit breaker's memory is broken first-fit. Lines holding
 * right-to-left text are put in display order word by word (tsbidi.h).
 */
#include <math.h>

#include "tsbidi.h"
#include "tspar.h"

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
		if (ts__legal_break(p->it, i, false))
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
		bool end = i == p->n || ts__legal_break(p->it, i, false);
		if (!end) {
			if (p->it[i].type == H_BOX || p->it[i].type == H_GLUE)
				seg += p->it[i].w;
			continue;
		}
		for (size_t k = seg_start; k < i; k++) {
			if (seg > w && p->it[k].type == H_BOX && p->it[k].len > 0
			    && p->it[k].kind != TS_RUN_MATH) {
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

/* Would the line from node a to break b, set without the emergency
 * stretch, stretch its spaces past MAX_STRETCH_RATIO (and so be set
 * ragged)? */
static bool too_loose(const ts_par *p, const kpnode *a, size_t b)
{
	const hitem *it = &p->it[b];
	if (p->fmt.align != TS_JUSTIFY || p->sf[b] - a->tf > 0)
		return false;
	double W = line_width(p, a->line);
	double Lw = p->sw[b] - a->tw + (it->type == H_PEN ? it->w : 0);
	double Y = p->sy[b] - a->ty;
	return Lw < W && Y > 0 && (W - Lw) / Y > MAX_STRETCH_RATIO;
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
				if (ps->final && too_loose(p, n, b))
					d += LOOSE_DEMERITS;   /* it would be set ragged */
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
		if (ts__legal_break(p->it, b, ps->skip_hyph))
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

/* First fit, for paragraphs too long for the total-fit breaker's memory
 * (its nodes grow with every breakpoint): each line takes what fits up
 * to its last legal break. Loose lines are set ragged as usual. */
static void greedy_breaks(ts_par *p)
{
	split_wide(p, fminf(line_width(p, 0), line_width(p, 1)));
	compute_sums(p);
	p->nbreaks = 0;
	size_t start = after_break(p, (size_t)-1), last = (size_t)-1;
	int line = 0;
	for (size_t b = 0; b < p->n; b++) {
		const hitem *it = &p->it[b];
		if (!ts__legal_break(p->it, b, true))
			continue;
		bool forced = it->type == H_PEN && it->pen <= TS_EJECT;
		double w = p->sw[b] - p->sw[start] + (it->type == H_PEN ? it->w : 0);
		double shrink = p->sz[b] - p->sz[start];
		if (w - shrink > line_width(p, line) && last != (size_t)-1 && last >= start) {
			TS_GROW(p->breaks, p->nbreaks, p->capbreaks, 1);
			p->breaks[p->nbreaks++] = (int32_t)last;
			start = after_break(p, last);
			line++;
			last = (size_t)-1;
			if (b < start)
				continue;
		}
		last = b;
		if (forced) {
			TS_GROW(p->breaks, p->nbreaks, p->capbreaks, 1);
			p->breaks[p->nbreaks++] = (int32_t)b;
			start = after_break(p, b);
			line++;
			last = (size_t)-1;
		}
	}
	if (p->nbreaks == 0 || p->breaks[p->nbreaks - 1] != (int32_t)p->n - 1) {
		TS_GROW(p->breaks, p->nbreaks, p->capbreaks, 1);
		p->breaks[p->nbreaks++] = (int32_t)p->n - 1;
	}
}

static void find_breaks(ts_par *p)
{
	if (p->n > LONG_PARAGRAPH) {
		greedy_breaks(p);
		return;
	}
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
		ts__hyphenate_items(p);
	split_wide(p, fminf(line_width(p, 0), line_width(p, 1)));
	if (p->n > LONG_PARAGRAPH) {   /* a long word split into characters */
		greedy_breaks(p);
		return;
	}
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
	       r->strike == h->strike && r->rise == h->rise && r->bg == h->bg &&
	       r->fake_bold == h->fake_bold &&
	       r->off + r->len == h->off;
}

/* Kerning between the end of run r and the start of box h. */
static int seam_kern(ts_layout *L, const ts_run *r, const hitem *h)
{
	const char *s = L->pool.ptr;
	size_t i = r->off + r->len - 1, l;
	while (i > r->off && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	uint32_t a = ts__cp(s + i, r->off + r->len - i, &l);
	uint32_t b = ts__cp(s + h->off, h->len, &l);
	return ts_font_kern(L->fonts, r->face, a, b);
}

static void put_box(ts_layout *L, const hitem *h, float x, bool merge)
{
	if (merge && L->nruns) {
		ts_run *r = &L->runs[L->nruns - 1];
		if (same_run(r, h) && fabsf(r->x + r->w - x) < 0.01f && !seam_kern(L, r, h)) {
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
	r->strike = h->strike;
	r->fake_bold = h->fake_bold;
	r->rise = h->rise;
	r->bg = h->bg;
}

/* A formula's box: its runs, moved to x. */
static void put_math(ts_par *p, const hitem *h, float x)
{
	for (uint32_t i = 0; i < h->len; i++) {
		ts_run *r = ts__run(p->L);
		*r = p->mruns[h->off + i];
		r->x += x;
	}
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

/* The small continuation sign of a marked break (identifiers), drawn as
 * a path so that copying the text does not pick it up. */
static void put_break_mark(ts_layout *L, const hitem *pen, float x)
{
	ts_run *r = ts__run(L);
	r->x = x + pen->w * 0.15f;
	r->w = pen->w * 0.85f;
	r->size = pen->size * 0.8f;
	r->color = 0x808080;
	r->kind = TS_RUN_CONTMARK;
	r->off = 0;
	r->len = 0;
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

/* ---- right to left ------------------------------------------------------------ */

/* A piece of a line for reordering: a word (the items between two glues)
 * or one glue, and its embedding level (0 left to right; odd right to
 * left; 2 left-to-right text in a right-to-left paragraph). */
typedef struct piece {
	size_t from, to;
	int dir;
	int level;
} piece;

static int piece_dir(const ts_par *p, size_t from, size_t to)
{
	int d = TS_DIR_NEUTRAL;
	for (size_t i = from; i < to; i++)
		if (p->it[i].type == H_BOX && p->it[i].dir > d)
			d = p->it[i].dir;
	return d;
}

/* Levels of the Unicode bidi algorithm at word granularity: strong words
 * take their direction, neutral words and spaces that of their strong
 * neighbours when both agree, else the paragraph's. */
static void piece_levels(piece *v, size_t n, int base)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i].dir == TS_DIR_RTL)
			v[i].level = 1;
		else if (v[i].dir == TS_DIR_LTR)
			v[i].level = base ? 2 : 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (v[i].dir != TS_DIR_NEUTRAL)
			continue;
		int before = -1, after = -1;
		for (size_t j = i; j-- > 0;)
			if (v[j].dir != TS_DIR_NEUTRAL) {
				before = v[j].level;
				break;
			}
		for (size_t j = i + 1; j < n; j++)
			if (v[j].dir != TS_DIR_NEUTRAL) {
				after = v[j].level;
				break;
			}
		v[i].level = before >= 0 && before == after ? before : base;
	}
}

/* The visual order of items [s, b), or NULL when the line holds no
 * right-to-left text (the logical order then). The caller frees it. */
static size_t *bidi_order(const ts_par *p, size_t s, size_t b)
{
	bool any = p->rtl;
	for (size_t i = s; i < b && !any; i++)
		any = p->it[i].type == H_BOX && p->it[i].dir == TS_DIR_RTL;
	if (!any || b <= s)
		return NULL;
	piece *v = qxmalloc(sizeof *v * (b - s));
	size_t n = 0;
	for (size_t i = s; i < b;) {
		size_t j = i + 1;
		if (p->it[i].type != H_GLUE)
			while (j < b && p->it[j].type != H_GLUE)
				j++;
		v[n++] = (piece){i, j, p->it[i].type == H_GLUE ? TS_DIR_NEUTRAL : piece_dir(p, i, j), 0};
		i = j;
	}
	int base = p->rtl ? 1 : 0, top = 0;
	piece_levels(v, n, base);
	for (size_t i = 0; i < n; i++)
		top = v[i].level > top ? v[i].level : top;
	for (int lev = top; lev >= 1; lev--)   /* rule L2: reverse runs at >= lev */
		for (size_t i = 0; i < n;) {
			if (v[i].level < lev) {
				i++;
				continue;
			}
			size_t j = i;
			while (j < n && v[j].level >= lev)
				j++;
			for (size_t a = i, z = j - 1; a < z; a++, z--) {
				piece t = v[a];
				v[a] = v[z];
				v[z] = t;
			}
			i = j;
		}
	size_t *order = qxmalloc(sizeof *order * (b - s)), k = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = v[i].from; j < v[i].to; j++)
			order[k++] = j;
	free(v);
	return order;
}

/* Is the paragraph right to left: is its first strong word so? */
static bool starts_rtl(const ts_par *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->it[i].type == H_BOX && p->it[i].dir != TS_DIR_NEUTRAL)
			return p->it[i].dir == TS_DIR_RTL;
	return false;
}

/* Set the items [s, b) (plus a hyphen) as one line into L->runs. */
static void set_line(ts_par *p, size_t s, size_t b, int lineno, pline *out)
{
	ts_layout *L = p->L;
	const hitem *end = &p->it[b];
	bool flagged = end->type == H_PEN && end->flagged;
	bool hyphen = flagged && end->flagged == 1;
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
	if (flagged)
		nat += end->w;
	double W = line_width(p, lineno);
	double r = 0, rf = 0, lead = 0;
	if (nat < W && fil > 0)
		rf = (W - nat) / fil;
	else if (nat < W && st > 0 && p->fmt.align == TS_JUSTIFY)
		r = (W - nat) / st;
	if (r > MAX_STRETCH_RATIO)
		r = 0;   /* no good break: this line ragged, not stretched */
	else if (nat > W && sh > 0)
		r = fmax(-1.0, (W - nat) / sh);
	if (fil <= 0 && nat < W && (p->fmt.align == TS_CENTER || p->fmt.align == TS_RIGHT))
		lead = (W - nat) / (p->fmt.align == TS_CENTER ? 2 : 1);
	else if (fil <= 0 && nat < W && p->rtl && p->fmt.align != TS_CENTER)
		lead = W - nat - (r > 0 ? r * st : 0);   /* right to left: ragged left */
	out->run0 = (uint32_t)L->nruns;
	float x = (float)lead + (lineno == 0 ? p->fmt.indent : 0);
	bool merge = false;
	size_t *order = bidi_order(p, s, b);
	for (size_t k = s; k < b; k++) {
		size_t i = order ? order[k - s] : k;
		const hitem *it = &p->it[i];
		if (it->type == H_BOX && it->kind == TS_RUN_MATH) {
			put_math(p, it, x);
			merge = false;
			x += it->w;
		} else if (it->type == H_BOX) {
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
	free(order);
	if (hyphen)
		put_hyphen(L, end, x);
	else if (flagged)
		put_break_mark(L, end, x);
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
	hitem *pen = ts__new_item(p, H_PEN);
	pen->pen = TS_INF_PENALTY;
	hitem *g = ts__new_item(p, H_GLUE);
	/* centred and right-aligned lines are filled from the sides */
	bool sides = p->fmt.align == TS_CENTER || p->fmt.align == TS_RIGHT;
	g->fil = !sides;
	g->st = sides ? 0 : 1;
	hitem *e = ts__new_item(p, H_PEN);
	e->pen = TS_EJECT;
}

/* Break the paragraph into lines (runs appended to L->runs); calls emit
 * for each line. */
typedef void (*line_fn)(void *ctx, ts_par *p, int lineno, int nlines,
			const pline *ln);

static int break_lines(ts_par *p, line_fn emit, void *ctx)
{
	close_items(p);
	if (p->fmt.whole_parens)
		ts__whole_parens(p);
	p->rtl = starts_rtl(p);
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

/* Does the label go right of a right-to-left paragraph (label_hang)? */
static bool label_on_right(const ts_par *p)
{
	return p->rtl && p->nlab && p->fmt.label_hang > 0;
}

/* The label's runs, right-aligned to end label_gap before the text, or
 * label_gap after it on the right. */
static void put_label(ts_par *p)
{
	ts_layout *L = p->L;
	float w = 0;
	for (size_t i = 0; i < p->nlab; i++)
		w += p->lab[i].w;
	float x = label_on_right(p) ? p->fmt.width + p->fmt.label_gap
				    : p->fmt.indent - p->fmt.label_gap - w;
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
	float x = p->fmt.x - (label_on_right(p) ? p->fmt.label_hang : 0);
	ts_linespec s = {x, p->fmt.width, h, d, p->fmt.leading,
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

int ts__par_lines(ts_par *p, float w, bool hyphenate, ts_plines *lines)
{
	p->fmt.width = w;
	p->fmt.hyphenate = p->fmt.hyphenate && hyphenate;
	p->fmt.indent = 0;
	return break_lines(p, emit_collect, lines);
}

