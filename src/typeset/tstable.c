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
 *
 * A table too wide for the measure (its unbreakable pieces side by side
 * do not fit) is set in smaller type, down to the format's min_scale;
 * still too wide, it is cut into parts of adjacent columns, set one
 * below the other, each with the first column again (and the header
 * rows), so that no part is wider than the measure. A caption names the
 * columns of each part. Time is linear in the cells: each cell is broken
 * into lines once, the first column's lines are drawn again in each part.
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
	float *nat;          /* natural width of each column */
	size_t *rowstart;    /* nrows + 1: first cell of each row */
	size_t *cursor;      /* nrows: first cell of each row not yet set */
};

/* Columns [a, b) of a part, with column 0 in front when a > 0. */
typedef struct part {
	int a, b;
} part;

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
	t->nat = qxmalloc(sizeof(float) * (size_t)t->ncols);
	return t;
}

ts_par *ts_table_cell(ts_table *t, int row, int col, ts_align align)
{
	if (t->n)
		ts__par_trim(t->cells[t->n - 1].p);   /* the last cell is filled */
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

/* Natural and minimum width of each column, at the cells' own size. */
static void measure_columns(ts_table *t)
{
	for (int i = 0; i < t->ncols; i++)
		t->nat[i] = t->colmin[i] = 0;
	for (size_t i = 0; i < t->n; i++) {
		float a, b;
		ts_par_measure(t->cells[i].p, &a, &b);
		int c = t->cells[i].col;
		t->nat[c] = fmaxf(t->nat[c], a);
		t->colmin[c] = fmaxf(t->colmin[c], b);
	}
	/* a piece wider than a third of the measure (a long address) is broken
	 * anywhere: it neither makes the table smaller nor cuts it */
	float cap = fmaxf(t->f.width / 3, 6.0f);
	for (int i = 0; i < t->ncols; i++) {
		t->nat[i] = fmaxf(t->nat[i], 6.0f);
		t->colmin[i] = fminf(fminf(fmaxf(t->colmin[i], 6.0f), t->nat[i]), cap);
	}
}

static float pad2(const ts_table *t) { return 2 * t->f.pad_x; }

/* The width the columns [a, b) need at least, padding included. */
static float min_width(const ts_table *t, int a, int b)
{
	float w = 0;
	for (int i = a; i < b; i++)
		w += t->colmin[i] + pad2(t);
	return w;
}

/* Too wide: set every cell smaller, as far as min_scale allows. Only the
 * text shrinks, not the padding. Returns the scale. */
static float shrink_to_fit(ts_table *t)
{
	float text = 0;
	for (int i = 0; i < t->ncols; i++)
		text += t->colmin[i];
	float room = t->f.width - (float)t->ncols * pad2(t);
	float s = room > 0 && text > 0 ? room / text : 0;
	float floor = t->f.min_scale > 0 && t->f.min_scale < 1 ? t->f.min_scale : 1;
	if (s < floor)
		s = floor;
	if (s >= 1)
		return 1;
	for (size_t i = 0; i < t->n; i++)
		ts__par_scale(t->cells[i].p, s);
	for (int i = 0; i < t->ncols; i++) {
		t->nat[i] *= s;
		t->colmin[i] *= s;
	}
	t->f.leading *= s;
	return s;
}

/* Widths of columns [a, b) sharing avail (padding excluded). */
static void share_width(ts_table *t, int a, int b, float avail)
{
	int nc = b - a;
	if (avail < nc * 10.0f)
		avail = nc * 10.0f;
	float snat = 0, smin = 0;
	for (int i = a; i < b; i++) {
		snat += t->nat[i];
		smin += t->colmin[i];
	}
	for (int i = a; i < b; i++) {
		if (snat <= avail)
			t->colw[i] = t->nat[i];
		else if (smin <= avail && snat > smin)
			t->colw[i] = t->colmin[i] + (avail - smin) * (t->nat[i] - t->colmin[i]) / (snat - smin);
		else
			t->colw[i] = avail * t->colmin[i] / smin;
	}
}

/* Cut columns 1.. into parts that fit beside column 0 (whose width is
 * fixed for all parts, so its cells are broken once), and share each
 * part's width. Returns the parts (the caller frees them), *np their
 * count. */
static part *cut_parts(ts_table *t, int *np)
{
	float W = t->f.width;
	part *v = NULL;
	size_t n = 0, cap = 0;
	if (t->ncols < 2 || min_width(t, 0, t->ncols) <= W) {
		share_width(t, 0, t->ncols, W - (float)t->ncols * pad2(t));
		TS_GROW(v, n, cap, 1);
		v[n++] = (part){0, t->ncols};
		*np = 1;
		return v;
	}
	/* column 0: its natural width, at most a third of the measure */
	float w0 = fminf(t->nat[0], fmaxf(t->colmin[0], W / 4));
	t->colw[0] = fminf(w0, W / 3);
	float room = W - t->colw[0] - pad2(t);
	for (int a = 1; a < t->ncols;) {
		int b = a + 1;
		float w = t->colmin[a] + pad2(t);
		while (b < t->ncols && w + t->colmin[b] + pad2(t) <= room)
			w += t->colmin[b++] + pad2(t);
		share_width(t, a, b, room - (float)(b - a) * pad2(t));
		TS_GROW(v, n, cap, 1);
		v[n++] = (part){a, b};
		a = b;
	}
	*np = (int)n;
	return v;
}

/* Break every cell into lines at its column's width. */
static void break_cells(ts_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		tcell *c = &t->cells[i];
		float w = t->colw[c->col];
		ts__par_lines(c->p, w, w + 0.01f < t->colmin[c->col], &c->lines);
		ts_par_free(c->p);   /* its lines' runs are in the layout */
		c->p = NULL;
		if (c->lines.n && c->lines.n < c->lines.cap) {   /* no spare room */
			c->lines.v = qxrealloc(c->lines.v, c->lines.n * sizeof *c->lines.v);
			c->lines.cap = c->lines.n;
		}
	}
}

/* Where each row's cells start (cells come row by row, left to right). */
static void index_rows(ts_table *t)
{
	t->rowstart = qxmalloc(sizeof(size_t) * ((size_t)t->nrows + 1));
	t->cursor = qxmalloc(sizeof(size_t) * ((size_t)t->nrows + 1));
	size_t c = 0;
	for (int r = 0; r < t->nrows; r++) {
		t->rowstart[r] = t->cursor[r] = c;
		while (c < t->n && t->cells[c].row == r)
			c++;
	}
	t->rowstart[t->nrows] = c;
}

/* The cells of one row in one part: the row's column-0 cell (lead, or
 * NULL) and the cells [c0, c1). */
typedef struct rowpart {
	const tcell *lead;
	size_t c0, c1;
} rowpart;

/* The cells of row r in part p, taken from the row's cursor. */
static rowpart row_cells(ts_table *t, int r, part p)
{
	rowpart rp = {NULL, 0, 0};
	size_t c = t->cursor[r], end = t->rowstart[r + 1];
	if (p.a > 0) {
		size_t z = t->rowstart[r];
		if (z < end && t->cells[z].col == 0)
			rp.lead = &t->cells[z];
		while (c < end && t->cells[c].col < p.a)
			c++;
	}
	rp.c0 = c;
	while (c < end && t->cells[c].col < p.b)
		c++;
	rp.c1 = c;
	t->cursor[r] = c;
	return rp;
}

/* Line k of one cell into the current line's runs; its height and depth
 * widen *h and *d. */
static void cell_line(ts_table *t, const tcell *c, int k, float *h, float *d)
{
	ts_layout *L = t->L;
	if ((size_t)k >= c->lines.n)
		return;
	ts_pline *ln = &c->lines.v[k];
	float dx = t->colx[c->col] + t->f.pad_x;
	for (uint32_t r = 0; r < ln->nruns; r++) {
		ts_run copy = L->runs[ln->run0 + r];
		copy.x += dx;
		*ts__run(L) = copy;
	}
	*h = fmaxf(*h, ln->h);
	*d = fmaxf(*d, ln->d);
}

/* One visual line of a row: runs of line k of each cell. */
static void row_line(ts_table *t, const rowpart *rp, int k, float x0, float tw,
		     bool head, int group)
{
	ts_layout *L = t->L;
	uint32_t run0 = (uint32_t)L->nruns;
	float h = 0, d = 0;
	if (rp->lead)
		cell_line(t, rp->lead, k, &h, &d);
	for (size_t i = rp->c0; i < rp->c1; i++)
		cell_line(t, &t->cells[i], k, &h, &d);
	if (h == 0 && d == 0)
		ts__box_hd(L, TS_RUN_TEXT, t->f.leading / 1.2f, &h, &d);
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

/* The number of lines of a row (at least 1). */
static int row_lines(const ts_table *t, const rowpart *rp)
{
	int nl = rp->lead && (int)rp->lead->lines.n > 1 ? (int)rp->lead->lines.n : 1;
	for (size_t i = rp->c0; i < rp->c1; i++)
		if ((int)t->cells[i].lines.n > nl)
			nl = (int)t->cells[i].lines.n;
	return nl;
}

/* Emit one row; returns its number of lines. */
static int emit_row(ts_table *t, const rowpart *rp, float x0, float tw, bool head,
		    bool keep_before, bool lead_gap, int group)
{
	int nl = row_lines(t, rp);
	if (lead_gap)
		gap(t, t->f.pad_y, head, keep_before);
	for (int k = 0; k < nl; k++) {
		if (k > 0)
			ts_v_penalty(t->L, nl > 8 && k > 1 && k < nl - 1 ? 500 : TS_INF_PENALTY);
		row_line(t, rp, k, x0, tw, head, group);
	}
	return nl;
}

/* "columns 1, 6–10" above a part of a table cut into parts. */
static void part_caption(ts_table *t, part p)
{
	qbuf text = QBUF_INIT;
	qbuf_puts(&text, t->f.part_label ? t->f.part_label : "");
	if (p.a <= 1)
		qbuf_printf(&text, " 1\xE2\x80\x93%d", p.b);
	else if (p.b - p.a == 1)
		qbuf_printf(&text, " 1, %d", p.a + 1);
	else
		qbuf_printf(&text, " 1, %d\xE2\x80\x93%d", p.a + 1, p.b);
	ts_par *par = ts_par_new(t->L);
	ts_parfmt f = {0};
	f.x = t->f.x;
	f.width = t->f.width;
	f.leading = t->f.part_attr.size * 1.25f;
	f.align = TS_CENTER;
	f.keep_together = true;
	f.keep_after = 3;
	f.group = -1;
	ts_par_begin(par, &f);
	ts_par_add(par, &t->f.part_attr, text.ptr, text.len, TS_PROSE);
	ts_par_end(par);
	ts_par_free(par);
	qbuf_free(&text);
	ts_v_space(t->L, t->f.pad_y, 0, 0);
}

/* Lay out one part: the header rows (repeated after a page break), then
 * the other rows; returns its width. */
static float emit_part(ts_table *t, part p)
{
	ts_layout *L = t->L;
	float x = 0;
	if (p.a > 0) {
		t->colx[0] = 0;
		x = t->colw[0] + pad2(t);
	}
	for (int i = p.a; i < p.b; i++) {
		t->colx[i] = x;
		x += t->colw[i] + pad2(t);
	}
	float tw = x;
	float x0 = t->f.x + (t->f.center && tw < t->f.width ? (t->f.width - tw) / 2 : 0);
	TS_GROW(L->tables, L->ntables, L->cap_tables, 1);
	ts_tablerec *tr = &L->tables[L->ntables++];
	memset(tr, 0, sizeof *tr);
	int heads = t->f.header_rows < t->nrows ? t->f.header_rows : 0;
	int hgroup = t->f.head_bg != TS_NO_COLOR && heads
			     ? ts_layout_group(L, TS_GROUP_BG, x0, x0 + tw, 0, t->f.head_bg)
			     : -1;
	tr->head0 = (uint32_t)L->nitems;
	rule(t, x0, tw, t->f.rule_outer, heads > 0);
	bool wrapped = false;
	for (int r = 0; r < t->nrows; r++) {
		rowpart rp = row_cells(t, r, p);
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
		bool wraps = row_lines(t, &rp) > 1;
		if ((wrapped || wraps) && !head && !first_data && r > heads) {
			/* a hairline between a wrapped row and its neighbours */
			gap(t, t->f.pad_y, false, false);
			rule(t, x0, tw, HAIRLINE, false);
			L->items[L->nitems - 1].color = HAIRLINE_COLOR;
		}
		emit_row(t, &rp, x0, tw, head, keep, !first_data, head ? hgroup : -1);
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
	return tw;
}

static void free_table(ts_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->cells[i].lines.v);
		ts_par_free(t->cells[i].p);
	}
	free(t->cells);
	free(t->colw);
	free(t->colx);
	free(t->colmin);
	free(t->nat);
	free(t->rowstart);
	free(t->cursor);
	free(t);
}

float ts_table_end(ts_table *t, ts_tablefit *fit)
{
	if (t->n)
		ts__par_trim(t->cells[t->n - 1].p);
	measure_columns(t);
	float scale = 1;
	if (min_width(t, 0, t->ncols) > t->f.width)
		scale = shrink_to_fit(t);
	int np;
	part *parts = cut_parts(t, &np);
	if (fit)
		*fit = (ts_tablefit){scale, np};
	break_cells(t);
	index_rows(t);
	float tw = 0;
	for (int i = 0; i < np; i++) {
		if (np > 1) {
			if (i > 0)
				ts_v_space(t->L, 4 * t->f.pad_y, 0, 0);
			part_caption(t, parts[i]);
		}
		tw = fmaxf(tw, emit_part(t, parts[i]));
	}
	free(parts);
	free_table(t);
	return tw;
}
