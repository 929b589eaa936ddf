/* tsvlist.c - the vertical list and the page builder (see tslayout.h).
 *
 * Lines are separated by TeX's interline glue (baselineskip minus the
 * depth above and the height below, at least lineskip). Breakpoints are
 * penalties below TS_INF_PENALTY and glue that follows a line or rule.
 * The page builder is TeX's: it walks the list, prices each breakpoint by
 * the badness of the page plus the penalty, remembers the cheapest, and
 * cuts there once the page overflows. When keeps forbid every breakpoint
 * of an overfull page it falls back to the last place where the content
 * still fits, so no content ever runs past the bottom margin.
 *
 * Inserts (footnotes) are TeX's too, simplified: an insert's lines live
 * in a list of their own (L->fitems) and count on the page of their
 * anchor line, below a rule; a break before the line moves both. When a
 * page cannot hold them (an insert taller than a page), the lines that
 * fit are set and the rest continues at the foot of the next page, before
 * that page's own: no insert line is ever dropped.
 */
#include <math.h>

#include "../util/pages.h"
#include "../util/utf8.h"
#include "tsint.h"

#define LINESKIP 1.0f

ts_layout *ts_layout_new(ts_fontset *fonts, ts_hyph *hyph)
{
	ts_layout *L = qxmalloc(sizeof *L);
	memset(L, 0, sizeof *L);
	L->fonts = fonts;
	L->hyph = hyph;
	qbuf_init(&L->pool);
	L->prev_depth = -1000.0f;
	L->topskip = 10.0f;
	L->foot_depth = -1000.0f;
	L->foot = (ts_footfmt){12.0f, 72.0f, 0.4f, 0};
	qbuf_putc(&L->pool, ' ');   /* offset 0 is never a real run */
	return L;
}

static void free_images(ts_layout *L)
{
	for (int i = 0; i < L->nimages; i++)
		qbuf_free(&L->images[i].data);
	free(L->images);
	L->images = NULL;
	L->nimages = L->cap_images = 0;
}

/* The runs and both vertical lists of a long booklet live in mappings
 * of their own (qpages_grow), so that the part its drawn pages used
 * goes back before the rest is drawn (ts_layout_forget); smaller ones
 * (most layouts: a running head is one line) in the heap. */
static void *grow_list(void *v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return v;
	size_t nc = *cap ? *cap * 2 : 64;
	v = qpages_grow(v, *cap * size, nc * size);
	*cap = nc;
	return v;
}

static void give_list(void *v, size_t cap, size_t size)
{
	qpages_free_grown(v, cap * size);
}

static void free_lists(ts_layout *L)
{
	give_list(L->runs, L->cap_runs, sizeof *L->runs);
	give_list(L->items, L->cap_items, sizeof *L->items);
	give_list(L->fitems, L->cap_fitems, sizeof *L->fitems);
	free(L->first_drawn);
	L->runs = NULL;
	L->items = L->fitems = NULL;
	L->first_drawn = NULL;
}

void ts_layout_free(ts_layout *L)
{
	if (!L)
		return;
	free_images(L);
	qbuf_free(&L->pool);
	free_lists(L);
	free(L->groups);
	free(L->marks);
	free(L->links);
	free(L->tables);
	free(L->pages);
	free(L->inserts);
	free(L);
}

void ts_layout_drop_content(ts_layout *L)
{
	free_images(L);
	qbuf_free(&L->pool);
	free_lists(L);
	free(L->groups);
	free(L->tables);
	L->nfitems = L->cap_fitems = 0;
	L->groups = NULL;
	L->tables = NULL;
	L->nruns = L->cap_runs = L->nitems = L->cap_items = 0;
	L->ngroups = L->cap_groups = L->ntables = L->cap_tables = 0;
	for (int p = 0; p < L->npages; p++)
		L->pages[p].i0 = L->pages[p].i1 = L->pages[p].f0 = L->pages[p].f1 = 0;
}

/* Lower *run to the first run of the lines among items [a, b) of v. */
static void first_of(const ts_vitem *v, uint32_t a, uint32_t b, uint32_t *run)
{
	for (uint32_t i = a; i < b; i++)
		if (v[i].nruns && v[i].run0 < *run)
			*run = v[i].run0;
}

/* For each page p, the first item and the first run that p or a later
 * page draws (what ts_page_place and the foot of the page read): the
 * lines of its own items, a repeated table header, its inserts. */
static uint32_t *first_drawn(const ts_layout *L)
{
	uint32_t *f = qxmalloc(sizeof *f * 2 * ((size_t)L->npages + 1));
	uint32_t item = (uint32_t)L->nitems, run = (uint32_t)L->nruns;
	f[2 * L->npages] = item;
	f[2 * L->npages + 1] = run;
	for (int p = L->npages - 1; p >= 0; p--) {
		const ts_page *pg = &L->pages[p];
		if (pg->i0 < item)
			item = pg->i0;
		first_of(L->items, pg->i0, pg->i1, &run);
		if (pg->repeat_table >= 0) {
			const ts_tablerec *t = &L->tables[pg->repeat_table];
			if (t->head0 < item)
				item = t->head0;
			first_of(L->items, t->head0, t->head1, &run);
		}
		first_of(L->fitems, pg->f0, pg->f1, &run);
		f[2 * p] = item;
		f[2 * p + 1] = run;
	}
	return f;
}

void ts_layout_forget(ts_layout *L, int p)
{
	if (p <= 0 || L->npages == 0)
		return;
	if (!L->first_drawn)
		L->first_drawn = first_drawn(L);
	if (p > L->npages)
		p = L->npages;
	qpages_forget(L->items, L->cap_items * sizeof *L->items,
		      L->first_drawn[2 * p] * sizeof *L->items);
	qpages_forget(L->runs, L->cap_runs * sizeof *L->runs,
		      L->first_drawn[2 * p + 1] * sizeof *L->runs);
}

uint32_t ts__pool(ts_layout *L, const char *s, size_t n)
{
	uint32_t off = (uint32_t)L->pool.len;
	qbuf_put(&L->pool, s, n);
	return off;
}

ts_run *ts__run(ts_layout *L)
{
	L->runs = grow_list(L->runs, &L->cap_runs, L->nruns, sizeof *L->runs);
	ts_run *r = &L->runs[L->nruns++];
	memset(r, 0, sizeof *r);
	return r;
}

ts_vitem *ts__item(ts_layout *L, ts_vtype type)
{
	L->items = grow_list(L->items, &L->cap_items, L->nitems, sizeof *L->items);
	ts_vitem *it = &L->items[L->nitems++];
	memset(it, 0, sizeof *it);
	it->type = (uint8_t)type;
	it->group = -1;
	it->table = -1;
	it->image = -1;
	return it;
}

/* Forbid every breakpoint between the last line and the end of the list. */
static void forbid_breaks_back(ts_layout *L)
{
	for (size_t i = L->nitems; i-- > 0;) {
		ts_vitem *it = &L->items[i];
		if (it->type == TS_V_LINE || it->type == TS_V_RULE || it->type == TS_V_IMAGE)
			break;
		if (it->type == TS_V_PENALTY && it->penalty < TS_INF_PENALTY &&
		    it->penalty > TS_EJECT)
			it->penalty = TS_INF_PENALTY;
		if (it->type == TS_V_GLUE)
			it->flags |= TS_VF_NOBREAK;
	}
}

uint32_t ts__line(ts_layout *L, const ts_linespec *s)
{
	if (L->prev_depth > -999.0f) {
		float g = s->leading - L->prev_depth - s->h;
		ts_vitem *gl = ts__item(L, TS_V_GLUE);
		gl->h = g >= 0 ? g : LINESKIP;
		if (s->leading <= 0)
			gl->h = 0;
	}
	if (L->keep > 0) {
		forbid_breaks_back(L);
		L->keep--;
	}
	ts_vitem *it = ts__item(L, TS_V_LINE);
	it->x = s->x;
	it->w = s->w;
	it->h = s->h;
	it->d = s->d;
	it->run0 = s->run0;
	it->nruns = s->nruns;
	it->group = s->group;
	it->table = s->table;
	it->flags = s->flags;
	L->prev_depth = s->d;
	uint32_t idx = (uint32_t)(L->nitems - 1);
	for (int i = L->nmarks - L->pending_marks; i < L->nmarks; i++)
		L->marks[i].item = idx;
	L->pending_marks = 0;
	return idx;
}

void ts_v_space(ts_layout *L, float nat, float stretch, float shrink)
{
	if (L->nitems) {
		ts_vitem *last = &L->items[L->nitems - 1];
		if (last->type == TS_V_GLUE && (last->flags & TS_VF_SPACE)) {
			if (nat > last->h) {
				last->h = nat;
				last->stretch = stretch;
				last->shrink = shrink;
			}
			return;
		}
	}
	ts_vitem *g = ts__item(L, TS_V_GLUE);
	g->h = nat;
	g->stretch = stretch;
	g->shrink = shrink;
	g->flags = TS_VF_SPACE;
	if (L->keep > 0)
		g->flags |= TS_VF_NOBREAK;
}

void ts_v_penalty(ts_layout *L, int penalty)
{
	ts_vitem *p = ts__item(L, TS_V_PENALTY);
	p->penalty = L->keep > 0 && penalty > TS_EJECT ? TS_INF_PENALTY : penalty;
}

void ts_v_strut(ts_layout *L)
{
	ts_linespec s = {0, 0, 0, 0, 0, (uint32_t)L->nruns, 0, -1, -1, 0};
	ts__line(L, &s);
}

void ts_v_newpage(ts_layout *L)
{
	if (!L->nitems)
		return;
	ts_vitem *g = ts__item(L, TS_V_GLUE);
	g->stretch = 1e6f;
	g->flags = TS_VF_NOBREAK;
	ts_vitem *p = ts__item(L, TS_V_PENALTY);
	p->penalty = TS_EJECT;
	L->keep = 0;
	L->prev_depth = -1000.0f;
}

void ts_v_keep(ts_layout *L, int n)
{
	if (n > L->keep)
		L->keep = n;
}

void ts_v_keep_end(ts_layout *L)
{
	L->keep = 0;
}

void ts_v_rule(ts_layout *L, float x, float w, float thickness, ts_rgb color)
{
	if (L->keep > 0)
		forbid_breaks_back(L);
	ts_vitem *r = ts__item(L, TS_V_RULE);
	r->x = x;
	r->w = w;
	r->h = thickness;
	r->color = color;
	L->prev_depth = -1000.0f;   /* no interline glue after a rule */
}

int ts_layout_image(ts_layout *L, ts_image *im)
{
	TS_GROW(L->images, L->nimages, L->cap_images, 1);
	L->images[L->nimages] = *im;
	qbuf_init(&im->data);
	return L->nimages++;
}

void ts_v_image(ts_layout *L, int image, float x, float w, float h)
{
	if (L->keep > 0)   /* kept with what precedes; it ends the keep, */
		forbid_breaks_back(L);   /* being taller than the lines kept */
	L->keep = 0;
	ts_vitem *it = ts__item(L, TS_V_IMAGE);
	it->x = x;
	it->w = w;
	it->h = h;
	it->image = image;
	L->prev_depth = -1000.0f;   /* no interline glue after a picture */
}

int ts_layout_mark(ts_layout *L, int kind, int id)
{
	TS_GROW(L->marks, L->nmarks, L->cap_marks, 1);
	ts_mark *m = &L->marks[L->nmarks++];
	memset(m, 0, sizeof *m);
	m->kind = kind;
	m->id = id;
	m->page = -1;
	m->item = UINT32_MAX;
	L->pending_marks++;
	return L->nmarks - 1;
}

int ts_layout_link_uri(ts_layout *L, const char *uri, size_t n)
{
	TS_GROW(L->links, L->nlinks, L->cap_links, 1);
	ts_link *k = &L->links[L->nlinks++];
	k->kind = TS_LINK_URI;
	k->off = ts__pool(L, uri, n);
	k->len = (uint32_t)n;
	k->mark = -1;
	return L->nlinks;
}

int ts_layout_link_mark(ts_layout *L, int mark)
{
	TS_GROW(L->links, L->nlinks, L->cap_links, 1);
	ts_link *k = &L->links[L->nlinks++];
	k->kind = TS_LINK_MARK;
	k->off = k->len = 0;
	k->mark = mark;
	return L->nlinks;
}

int ts_layout_link_anchor(ts_layout *L)
{
	TS_GROW(L->links, L->nlinks, L->cap_links, 1);
	ts_link *k = &L->links[L->nlinks++];
	k->kind = TS_LINK_ANCHOR;
	k->off = k->len = 0;
	k->mark = -1;
	return L->nlinks;
}

/* The last line of the main list holding a run of link `anchor`; the
 * last line when none does; 0 in an empty list. */
static uint32_t anchor_line(const ts_layout *L, int anchor)
{
	size_t last = SIZE_MAX;
	for (size_t i = L->nitems; i-- > 0;) {
		const ts_vitem *it = &L->items[i];
		if (it->type != TS_V_LINE)
			continue;
		if (last == SIZE_MAX)
			last = i;
		for (uint32_t k = 0; anchor > 0 && k < it->nruns; k++)
			if (L->runs[it->run0 + k].link == anchor)
				return (uint32_t)i;
		if (anchor <= 0)
			break;
	}
	return last == SIZE_MAX ? 0 : (uint32_t)last;
}

/* The main list and the inserts' list trade places. */
static void swap_lists(ts_layout *L)
{
	ts_vitem *v = L->items;
	size_t n = L->nitems, c = L->cap_items;
	L->items = L->fitems;
	L->nitems = L->nfitems;
	L->cap_items = L->cap_fitems;
	L->fitems = v;
	L->nfitems = n;
	L->cap_fitems = c;
}

void ts_insert_begin(ts_layout *L, int anchor)
{
	if (L->main.active)
		return;   /* inserts do not nest: the content stays in the insert */
	uint32_t at = anchor_line(L, anchor);
	if (L->ninserts && at < L->inserts[L->ninserts - 1].anchor)
		at = L->inserts[L->ninserts - 1].anchor;   /* kept in order */
	TS_GROW(L->inserts, L->ninserts, L->cap_inserts, 1);
	L->main = (ts_mainsave){L->prev_depth, L->keep, L->pending_marks, L->nmarks, true};
	swap_lists(L);
	L->prev_depth = L->foot_depth;
	L->keep = 0;
	L->pending_marks = 0;
	L->inserts[L->ninserts++] = (ts_insert){at, (uint32_t)L->nitems, 0, 0};
}

void ts_insert_end(ts_layout *L)
{
	if (!L->main.active)
		return;
	ts_insert *ins = &L->inserts[L->ninserts - 1];
	ins->f1 = (uint32_t)L->nitems;
	for (uint32_t i = ins->f0; i < ins->f1; i++) {
		const ts_vitem *it = &L->items[i];
		ins->h += it->type == TS_V_GLUE ? it->h : it->h + it->d;
	}
	L->foot_depth = L->prev_depth;
	swap_lists(L);
	for (int m = L->main.nmarks; m < L->nmarks; m++)
		L->marks[m].item = ins->anchor;
	L->prev_depth = L->main.prev_depth;
	L->keep = L->main.keep;
	L->pending_marks = L->main.pending_marks;
	L->main.active = false;
}

int ts_layout_group(ts_layout *L, ts_groupkind kind, float x0, float x1,
		    float pad, ts_rgb color)
{
	TS_GROW(L->groups, L->ngroups, L->cap_groups, 1);
	ts_group *g = &L->groups[L->ngroups++];
	g->kind = (uint8_t)kind;
	g->x0 = x0;
	g->x1 = x1;
	g->pad = pad;
	g->color = color;
	g->border = TS_NO_COLOR;
	return L->ngroups - 1;
}

/* ---- page builder --------------------------------------------------------- */

static bool is_box(const ts_vitem *it)
{
	return it->type == TS_V_LINE || it->type == TS_V_RULE || it->type == TS_V_IMAGE;
}

/* Penalty of breaking at item i, or > TS_INF_PENALTY when i is no
 * breakpoint. */
static int break_penalty(const ts_layout *L, size_t i)
{
	const ts_vitem *it = &L->items[i];
	if (it->type == TS_V_PENALTY)
		return it->penalty < TS_INF_PENALTY ? it->penalty : TS_INF_PENALTY + 1;
	if (it->type == TS_V_GLUE && !(it->flags & TS_VF_NOBREAK) && i > 0 &&
	    is_box(&L->items[i - 1]))
		return 0;
	return TS_INF_PENALTY + 1;
}

static float badness(float t, float goal, float stretch, float shrink)
{
	if (t < goal) {
		if (stretch <= 0)
			return TS_INF_BAD;
		float r = (goal - t) / stretch;
		return r > 10 ? TS_INF_BAD : fminf(TS_INF_BAD, 100 * r * r * r);
	}
	if (t > goal + shrink + 0.01f)
		return INFINITY;
	if (shrink <= 0)
		return 0;
	float r = (t - goal) / shrink;
	return 100 * r * r * r;
}

typedef struct pagestate {
	float t, stretch, shrink;
	bool first;
} pagestate;

/* Where the page builder is in the inserts: the next insert line to set
 * (lines before it are on earlier pages), and the next insert not yet
 * given a page. */
typedef struct footstate {
	size_t fpos;
	int next;
	size_t given;   /* end of the lines of the inserts given a page */
} footstate;

/* The glue set ratio that brings a page's content to goal: stretched
 * or shrunk by at most its glue's own amount, -1..1. */
static float glue_ratio(const pagestate *s, float goal)
{
	if (s->t < goal && s->stretch > 0)
		return fminf(1.0f, (goal - s->t) / s->stretch);
	if (s->t > goal && s->shrink > 0)
		return fmaxf(-1.0f, (goal - s->t) / s->shrink);
	return 0;
}

static void add_item(const ts_layout *L, pagestate *s, const ts_vitem *it)
{
	if (is_box(it)) {
		float h = it->h;
		if (s->first && it->type == TS_V_LINE && h < L->topskip)
			h = L->topskip;
		s->t += h + it->d;
		s->first = false;
	} else if (it->type == TS_V_GLUE) {
		s->t += it->h;
		s->stretch += it->stretch;
		s->shrink += it->shrink;
	}
}

static bool in_head(const ts_layout *L, uint32_t i)
{
	const ts_vitem *it = &L->items[i];
	return it->table < 0 || (it->flags & TS_VF_HEAD) ||
	       L->tables[it->table].head1 <= L->tables[it->table].head0;
}

/* Height of insert lines [a, b) at the foot of a page, the glue before
 * the first line left out. */
static float foot_lines_height(const ts_layout *L, size_t a, size_t b)
{
	float h = 0;
	bool seen = false;
	for (size_t i = a; i < b; i++) {
		const ts_vitem *it = &L->fitems[i];
		if (it->type == TS_V_GLUE) {
			if (seen)
				h += it->h;
		} else {
			h += it->h + it->d;
			seen = true;
		}
	}
	return h;
}

/* The foot of a page whose body is body_h high: the insert lines
 * [f->fpos, end) that fit below it (all of them when they do; at least
 * one line when the body is empty), the rest left for the next page. */
static void set_foot(const ts_layout *L, ts_page *pg, footstate *f, size_t end,
		     float body_h, float goal)
{
	size_t cut = f->fpos;
	if (end > f->fpos && body_h + L->foot.skip + foot_lines_height(L, f->fpos, end) > goal + 0.01f) {
		for (size_t i = f->fpos; i < end; i++) {
			if (L->fitems[i].type == TS_V_GLUE)
				continue;
			float h = foot_lines_height(L, f->fpos, i + 1);
			bool empty = body_h <= 0 && cut == f->fpos;
			if (body_h + L->foot.skip + h > goal + 0.01f && !empty)
				break;
			cut = i + 1;
		}
	} else {
		cut = end;
	}
	pg->f0 = (uint32_t)f->fpos;
	pg->f1 = (uint32_t)cut;
	f->fpos = cut;
}

/* Where the page starting at i ends; fills the page record. */
static size_t build_page(ts_layout *L, size_t i, float goal, ts_page *pg, footstate *f)
{
	pagestate s = {0, 0, 0, true};
	pg->repeat_table = -1;
	/* the foot: lines carried over from the page before, then the
	 * inserts of the lines added */
	size_t fend = f->given > f->fpos ? f->given : f->fpos;
	int ki = f->next;
	for (; ki < L->ninserts && L->inserts[ki].anchor < i; ki++)
		if (L->inserts[ki].f1 > fend)
			fend = L->inserts[ki].f1;
	float foot = fend > f->fpos ? L->foot.skip + foot_lines_height(L, f->fpos, fend) : 0;
	if (foot > goal / 2) {   /* a long insert goes on: a page of its own */
		pg->i0 = pg->i1 = (uint32_t)i;
		pg->ratio = 0;
		f->next = ki;
		f->given = fend;
		set_foot(L, pg, f, fend, 0, goal);
		return i;
	}
	if (!in_head(L, (uint32_t)i)) {
		const ts_tablerec *tr = &L->tables[L->items[i].table];
		pg->repeat_table = L->items[i].table;
		for (uint32_t k = tr->head0; k < tr->head1; k++)
			add_item(L, &s, &L->items[k]);
	}
	size_t best = 0, last_fit = 0, j;
	float best_cost = INFINITY;
	pagestate at_best = s, at_fit = s;
	for (j = i; j < L->nitems; j++) {
		const ts_vitem *it = &L->items[j];
		int pi = j > i ? break_penalty(L, j) : TS_INF_PENALTY + 1;
		if (pi <= TS_INF_PENALTY) {
			float b = badness(s.t, goal - foot, s.stretch, s.shrink);
			float c = pi <= TS_EJECT ? (float)pi
				  : b < TS_INF_BAD ? b + (float)pi
				  : 100000.0f;
			if (c <= best_cost) {
				best_cost = c;
				best = j;
				at_best = s;
			}
			if (pi <= TS_EJECT)
				break;
		}
		if (is_box(it) && j > i && s.t + foot <= goal + 0.01f) {
			last_fit = j;
			at_fit = s;
		}
		add_item(L, &s, it);
		for (; ki < L->ninserts && L->inserts[ki].anchor <= j; ki++) {
			if (fend == f->fpos && L->inserts[ki].f1 > fend)
				foot += L->foot.skip;
			foot += L->inserts[ki].h;
			if (L->inserts[ki].f1 > fend)
				fend = L->inserts[ki].f1;
		}
		if (s.t + foot > goal + s.shrink + 0.01f)
			break;
	}
	if (j >= L->nitems) {   /* the rest of the list fits on this page */
		best = L->nitems;
		at_best = s;
	} else if (best == 0) { /* keeps forbid every break: cut where it fits */
		best = last_fit ? last_fit : i + 1;
		at_best = last_fit ? at_fit : s;
	}
	pg->i0 = (uint32_t)i;
	pg->i1 = (uint32_t)best;
	/* the page's foot: the inserts of its lines, after what was carried */
	size_t bend = f->given > f->fpos ? f->given : f->fpos;
	for (; f->next < L->ninserts && L->inserts[f->next].anchor < best; f->next++)
		if (L->inserts[f->next].f1 > bend)
			bend = L->inserts[f->next].f1;
	f->given = bend;
	set_foot(L, pg, f, bend, at_best.t - at_best.shrink, goal);   /* shrunk at most */
	float used = pg->f1 > pg->f0 ? L->foot.skip + foot_lines_height(L, pg->f0, pg->f1) : 0;
	pg->ratio = glue_ratio(&at_best, goal - used);
	return best;
}

/* Fill a page record for items [i0, i1): the repeated table header and
 * the glue set ratio. Returns the content height. */
static float fill_page(const ts_layout *L, size_t i0, size_t i1, float goal,
		       ts_page *pg)
{
	pagestate s = {0, 0, 0, true};
	pg->repeat_table = -1;
	if (i0 < L->nitems && !in_head(L, (uint32_t)i0)) {
		const ts_tablerec *tr = &L->tables[L->items[i0].table];
		pg->repeat_table = L->items[i0].table;
		for (uint32_t k = tr->head0; k < tr->head1; k++)
			add_item(L, &s, &L->items[k]);
	}
	for (size_t j = i0; j < i1; j++)
		add_item(L, &s, &L->items[j]);
	pg->i0 = (uint32_t)i0;
	pg->i1 = (uint32_t)i1;
	pg->ratio = glue_ratio(&s, goal);
	return s.t - (s.t > goal ? s.shrink : 0);
}

static int count_lines(const ts_layout *L, size_t i0, size_t i1)
{
	int n = 0;
	for (size_t j = i0; j < i1; j++)
		n += L->items[j].type == TS_V_LINE && L->items[j].nruns > 0;
	return n;
}

static bool ends_forced(const ts_layout *L, size_t i)
{
	return i >= L->nitems ||
	       (L->items[i].type == TS_V_PENALTY && L->items[i].penalty <= TS_EJECT);
}

/* The first box at or after i. */
static size_t next_box(const ts_layout *L, size_t i)
{
	while (i < L->nitems && !is_box(&L->items[i]))
		i++;
	return i;
}

#define NEAR_EMPTY_LINES 3
#define BALANCED_LINES 5

/* A page that ends a chapter (or the document) with a line or three of
 * what the previous page could not hold: take them back onto the previous
 * page when they fit there, else move a few more lines over so that the
 * page is not nearly empty. Returns true when page k was merged away. */
static bool balance_page(ts_layout *L, int k, float goal)
{
	ts_page *a = &L->pages[k - 1], *b = &L->pages[k];
	if (!ends_forced(L, b->i1) || ends_forced(L, a->i1))
		return false;
	if (a->f1 > a->f0 || b->f1 > b->f0 || b->i1 <= b->i0)
		return false;   /* inserts go with their lines: left as built */
	int lines = count_lines(L, b->i0, b->i1);
	if (lines == 0 || lines > NEAR_EMPTY_LINES)
		return false;
	ts_page merged;
	if (fill_page(L, a->i0, b->i1, goal, &merged) <= goal + 0.01f) {
		merged.f0 = merged.f1 = a->f0;
		*a = merged;
		memmove(b, b + 1, sizeof *b * (size_t)(L->npages - k - 1));
		L->npages--;
		return true;
	}
	/* move lines: the latest break of page k - 1 after which at least
	 * BALANCED_LINES lines go to page k, leaving it at least as many */
	for (size_t j = a->i1; j > a->i0 + 1; j--) {
		size_t cut = j - 1, start = next_box(L, cut);
		if (break_penalty(L, cut) >= TS_INF_PENALTY)
			continue;
		if (count_lines(L, start, b->i1) < BALANCED_LINES)
			continue;
		if (count_lines(L, a->i0, cut) < BALANCED_LINES)
			return false;
		ts_page na, nb;
		fill_page(L, a->i0, cut, goal, &na);
		if (fill_page(L, start, b->i1, goal, &nb) > goal + 0.01f)
			return false;
		na.f0 = na.f1 = nb.f0 = nb.f1 = a->f0;
		*a = na;
		*b = nb;
		return false;
	}
	return false;
}

void ts_paginate(ts_layout *L, float height, bool flush)
{
	L->npages = 0;
	L->page_h = height;
	size_t i = 0;
	footstate f = {0, 0, 0};
	while (i < L->nitems) {
		while (i < L->nitems && !is_box(&L->items[i]))
			i++;
		if (i >= L->nitems)
			break;
		TS_GROW(L->pages, L->npages, L->cap_pages, 1);
		ts_page *pg = &L->pages[L->npages++];
		i = build_page(L, i, height, pg, &f);
		if (!flush || (i < L->nitems && L->items[i].type == TS_V_PENALTY &&
			       L->items[i].penalty <= TS_EJECT) ||
		    i >= L->nitems)
			pg->ratio = fminf(pg->ratio, 0.0f);
	}
	while (f.fpos < L->nfitems) {   /* inserts still to set: pages of their own */
		TS_GROW(L->pages, L->npages, L->cap_pages, 1);
		ts_page *pg = &L->pages[L->npages++];
		*pg = (ts_page){(uint32_t)L->nitems, (uint32_t)L->nitems, 0, 0, -1, 0};
		f.next = L->ninserts;
		set_foot(L, pg, &f, L->nfitems, 0, height);
	}
	for (int k = L->npages - 1; k >= 1; k--)
		balance_page(L, k, height);
	for (int k = 0; k < L->npages; k++)   /* only full pages are stretched */
		if (!flush || ends_forced(L, L->pages[k].i1))
			L->pages[k].ratio = fminf(L->pages[k].ratio, 0.0f);
	for (int m = 0; m < L->nmarks; m++) {
		uint32_t it = L->marks[m].item;
		L->marks[m].page = it == UINT32_MAX ? (L->npages ? L->npages - 1 : 0)
						    : ts_item_page(L, it);
	}
}

float ts_v_kept_height(const ts_layout *L)
{
	if (L->keep <= 0)
		return 0;
	/* back to the last breakpoint before the kept boxes (the breakpoints
	 * after the last box will be forbidden), then their height as the
	 * top of a page would hold them */
	size_t i = L->nitems;
	bool box = false;
	for (; i > 0; i--) {
		const ts_vitem *it = &L->items[i - 1];
		if (is_box(it))
			box = true;
		else if (box && break_penalty(L, i - 1) <= TS_INF_PENALTY)
			break;
	}
	while (i < L->nitems && !is_box(&L->items[i]))
		i++;
	pagestate s = {0, 0, 0, true};
	for (; i < L->nitems; i++)
		add_item(L, &s, &L->items[i]);
	return s.t;
}

int ts_item_page(const ts_layout *L, uint32_t item)
{
	int lo = 0, hi = L->npages - 1;
	while (lo < hi) {
		int mid = (lo + hi + 1) / 2;
		if (L->pages[mid].i0 <= item)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}
