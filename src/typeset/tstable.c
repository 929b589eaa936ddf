/* tstable.c - tables: column widths from content, wrapped cells, booktabs
 * rules, the header repeated after a page break (see tslayout.h).
 *
 * Column widths follow the automatic layout of HTML tables: when the
 * natural widths fit, each column gets its natural width; otherwise each
 * column gets its widest unbreakable piece plus a share of the remaining
 * space in proportion to how much more it would like. Cells are set ragged
 * right (or centred, right-aligned) and may wrap, hyphenated only in a
 * column narrower than its longest word; a row that wraps is set off from
 * the next by a hairline. A row never breaks across pages unless it is
 * taller than eight lines.
 */
#include <math.h>

#include "tsint.h"

#define HAIRLINE 0.3f
#define HAIRLINE_COLOR 0xC8CDD3

typedef struct tcell {
	ts_par *p;
	int row, col;
	ts_plines lines;
} tcell;

struct ts_table {
	ts_layout *L;
	ts_tablefmt f;
	int ncols, nrows;
	tcell *cells;
	size_t n, cap;
	float *colw, *colx;
	float *colmin;       /* widest unbreakable piece of each column */
};

ts_table *ts_table_begin(ts_layout *L, int ncols, const ts_tablefmt *f)
{
	ts_table *t = qxmalloc(sizeof *t);
	memset(t, 0, sizeof *t);
	t->L = L;
	t->f = *f;
	t->ncols = ncols > 0 ? ncols : 1;
	t->colw = qxmalloc(sizeof(float) * (size_t)t->ncols);
	t->colx = qxmalloc(sizeof(float) * (size_t)t->ncols);
	t->colmin = qxmalloc(sizeof(float) * (size_t)t->ncols);
	return t;
}

ts_par *ts_table_cell(ts_table *t, int row, int col, ts_align align)
{
	TS_GROW(t->cells, t->n, t->cap, 1);
	tcell *c = &t->cells[t->n++];
	memset(c, 0, sizeof *c);
	c->row = row;
	c->col = col < 0 ? 0 : col >= t->ncols ? t->ncols - 1 : col;
	if (row + 1 > t->nrows)
		t->nrows = row + 1;
	c->p = ts_par_new(t->L);
	ts_parfmt fmt = {0};
	fmt.width = t->f.width;
	fmt.leading = t->f.leading;
	fmt.align = align == TS_JUSTIFY ? TS_RAGGED : align;
	fmt.hyphenate = true;
	fmt.group = -1;
	ts_par_begin(c->p, &fmt);
	return c->p;
}

static void column_widths(ts_table *t)
{
	int nc = t->ncols;
	float *nat = qxmalloc(sizeof(float) * (size_t)nc);
	float *mn = qxmalloc(sizeof(float) * (size_t)nc);
	for (int i = 0; i < nc; i++)
		nat[i] = mn[i] = 0;
	for (size_t i = 0; i < t->n; i++) {
		float a, b;
		ts_par_measure(t->cells[i].p, &a, &b);
		int c = t->cells[i].col;
		nat[c] = fmaxf(nat[c], a);
		mn[c] = fmaxf(mn[c], b);
	}
	float avail = t->f.width - (float)nc * 2 * t->f.pad_x;
	if (avail < nc * 10.0f)
		avail = nc * 10.0f;
	float snat = 0, smin = 0;
	for (int i = 0; i < nc; i++) {
		nat[i] = fmaxf(nat[i], 6.0f);
		mn[i] = fminf(fmaxf(mn[i], 6.0f), nat[i]);
		snat += nat[i];
		smin += mn[i];
	}
	for (int i = 0; i < nc; i++) {
		t->colmin[i] = mn[i];
		if (snat <= avail)
			t->colw[i] = nat[i];
		else if (smin <= avail && snat > smin)
			t->colw[i] = mn[i] + (avail - smin) * (nat[i] - mn[i]) / (snat - smin);
		else
			t->colw[i] = avail * mn[i] / smin;
	}
	free(nat);
	free(mn);
}

/* One visual line of a row: runs of line k of each cell. */
static void row_line(ts_table *t, size_t c0, size_t c1, int k, float x0,
		     bool head, int group)
{
	ts_layout *L = t->L;
	uint32_t run0 = (uint32_t)L->nruns;
	float h = 0, d = 0;
	for (size_t i = c0; i < c1; i++) {
		tcell *c = &t->cells[i];
		if ((size_t)k >= c->lines.n)
			continue;
		ts_pline *ln = &c->lines.v[k];
		float dx = t->colx[c->col] + t->f.pad_x;
		for (uint32_t r = 0; r < ln->nruns; r++) {
			ts_run copy = L->runs[ln->run0 + r];
			copy.x += dx;
			*ts__run(L) = copy;
		}
		h = fmaxf(h, ln->h);
		d = fmaxf(d, ln->d);
	}
	if (h == 0 && d == 0)
		ts__box_hd(L, TS_RUN_TEXT, t->f.leading / 1.2f, &h, &d);
	float tw = t->colx[t->ncols - 1] + t->colw[t->ncols - 1] + 2 * t->f.pad_x;
	ts_linespec s = {x0, tw, h, d, t->f.leading, run0,
			 (uint32_t)(L->nruns - run0), group, L->ntables - 1,
			 head ? TS_VF_HEAD : 0};
	ts__line(L, &s);
}

static void gap(ts_table *t, float h, bool head, bool nobreak)
{
	ts_vitem *g = ts__item(t->L, TS_V_GLUE);
	g->h = h;
	g->table = t->L->ntables - 1;
	g->flags = (uint8_t)((head ? TS_VF_HEAD : 0) | (nobreak ? TS_VF_NOBREAK : 0));
	t->L->prev_depth = -1000.0f;
}

static void rule(ts_table *t, float x0, float tw, float thick, bool head)
{
	ts_v_rule(t->L, x0, tw, thick, t->f.rule_color);
	ts_vitem *r = &t->L->items[t->L->nitems - 1];
	r->table = t->L->ntables - 1;
	if (head)
		r->flags |= TS_VF_HEAD;
}

/* Break every cell into lines at its column's width. */
static void break_cells(ts_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		tcell *c = &t->cells[i];
		float w = t->colw[c->col];
		ts__par_lines(c->p, w, w + 0.01f < t->colmin[c->col], &c->lines);
	}
}

/* The number of lines of the row of cells [c0, c1) (at least 1). */
static int row_lines(const ts_table *t, size_t c0, size_t c1)
{
	int nl = 1;
	for (size_t i = c0; i < c1; i++)
		if ((int)t->cells[i].lines.n > nl)
			nl = (int)t->cells[i].lines.n;
	return nl;
}

/* Emit row r (cells [c0, c1)); returns its number of lines. */
static int emit_row(ts_table *t, size_t c0, size_t c1, float x0, bool head,
		    bool keep_before, bool lead_gap, int group)
{
	int nl = row_lines(t, c0, c1);
	if (lead_gap)
		gap(t, t->f.pad_y, head, keep_before);
	for (int k = 0; k < nl; k++) {
		if (k > 0)
			ts_v_penalty(t->L, nl > 8 && k > 1 && k < nl - 1 ? 500 : TS_INF_PENALTY);
		row_line(t, c0, c1, k, x0, head, group);
	}
	return nl;
}

float ts_table_end(ts_table *t)
{
	ts_layout *L = t->L;
	column_widths(t);
	float x = 0;
	for (int i = 0; i < t->ncols; i++) {
		t->colx[i] = x;
		x += t->colw[i] + 2 * t->f.pad_x;
	}
	float tw = x;
	float x0 = t->f.x + (t->f.center && tw < t->f.width ? (t->f.width - tw) / 2 : 0);
	TS_GROW(L->tables, L->ntables, L->cap_tables, 1);
	ts_tablerec *tr = &L->tables[L->ntables++];
	int heads = t->f.header_rows < t->nrows ? t->f.header_rows : 0;
	int hgroup = t->f.head_bg != TS_NO_COLOR && heads
			     ? ts_layout_group(L, TS_GROUP_BG, x0, x0 + tw, 0, t->f.head_bg)
			     : -1;
	tr->head0 = (uint32_t)L->nitems;
	rule(t, x0, tw, t->f.rule_outer, heads > 0);
	break_cells(t);
	size_t c = 0;
	bool wrapped = false;
	for (int r = 0; r < t->nrows; r++) {
		size_t c0 = c;
		while (c < t->n && t->cells[c].row == r)
			c++;
		bool head = r < heads;
		bool first_data = r == heads && heads;
		if (first_data) {
			gap(t, t->f.pad_y, true, true);
			rule(t, x0, tw, t->f.rule_inner, true);
			gap(t, t->f.pad_y, true, true);
			tr = &L->tables[L->ntables - 1];
			tr->head1 = (uint32_t)L->nitems;
		}
		bool keep = r <= heads || r == t->nrows - 1;
		bool wraps = row_lines(t, c0, c) > 1;
		if ((wrapped || wraps) && !head && !first_data && r > heads) {
			/* a hairline between a wrapped row and its neighbours */
			gap(t, t->f.pad_y, false, false);
			rule(t, x0, tw, HAIRLINE, false);
			L->items[L->nitems - 1].color = HAIRLINE_COLOR;
		}
		emit_row(t, c0, c, x0, head, keep, !first_data, head ? hgroup : -1);
		wrapped = wraps;
	}
	tr = &L->tables[L->ntables - 1];
	if (!heads)
		tr->head1 = tr->head0;
	float hh = 0;
	for (uint32_t i = tr->head0; i < tr->head1; i++) {
		const ts_vitem *it = &L->items[i];
		hh += it->type == TS_V_GLUE ? it->h : it->h + it->d;
	}
	tr->head_h = hh;
	gap(t, t->f.pad_y, false, true);
	rule(t, x0, tw, t->f.rule_outer, false);
	for (size_t i = 0; i < t->n; i++) {
		free(t->cells[i].lines.v);
		ts_par_free(t->cells[i].p);
	}
	free(t->cells);
	free(t->colw);
	free(t->colx);
	free(t->colmin);
	free(t);
	return tw;
}
