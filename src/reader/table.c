/* table.c - tables that are only aligned text, and GFM pipe tables
 * (notes-dialect.md section 5).
 *
 * Aligned text: cells are separated by runs of 2+ spaces (or tabs); the
 * first line is the header and gives the column starts. A cell that
 * overflows into the next column is split at the space that best matches
 * the column start (after a closing parenthesis and before a capital
 * letter, nearest the column).
 *
 * Tables have no limit of columns or rows: cells are gathered in growable
 * buffers, and each line is read in time linear in its length, so a table
 * of ten thousand columns or a hundred thousand rows is read as fast per
 * byte as prose.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../util/utf8.h"
#include "lift.h"

typedef struct rawcell {
	size_t off, len;  /* bytes in the line */
	int col;          /* display column where it starts */
} rawcell;

/* The cells of one line, in a growable buffer. */
static rawcell *cells_of(const qbuf *v) { return (rawcell *)(void *)v->ptr; }

static void push_cell(qbuf *v, size_t off, size_t len, int col)
{
	rawcell c = {off, len, col};
	qbuf_put(v, &c, sizeof c);
}

/* Display column after bytes [from, to) of s, the byte at `from` being at
 * display column col (code points; tabs to 8). */
static int column_after(const char *s, size_t from, size_t to, int col)
{
	for (size_t i = from; i < to; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\t')
			col = (col / 8 + 1) * 8;
		else if ((c & 0xC0) != 0x80)
			col++;
	}
	return col;
}

/* Split a line at runs of 2+ spaces or tabs into v (emptied first).
 * Returns the cell count. */
static int split_cells(const char *s, size_t n, qbuf *v)
{
	qbuf_reset(v);
	int k = 0, col = 0;
	size_t i = 0, at = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (i < n) {
		size_t start = i, end = i;
		while (i < n) {
			if (s[i] == '\t' || (s[i] == ' ' && i + 1 < n && (s[i + 1] == ' ' || s[i + 1] == '\t')))
				break;
			i++;
			end = i;
		}
		while (end > start && s[end - 1] == ' ')
			end--;
		col = column_after(s, at, start, col);
		at = start;
		push_cell(v, start, end - start, col);
		k++;
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
	}
	return k;
}

/* Two spaces in a row or a tab, eight bytes at a time. */
static bool has_gap(const char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	size_t k = 0;
	for (; k + 9 <= n; k += 8) {
		uint64_t w, w1;
		memcpy(&w, s + k, 8);
		memcpy(&w1, s + k + 1, 8);
		uint64_t sp = w ^ (ones * ' '), sp1 = w1 ^ (ones * ' '), tab = w ^ (ones * '\t');
		uint64_t z = ((sp | sp1) - ones) & ~(sp | sp1) & highs;   /* both spaces */
		uint64_t t = (tab - ones) & ~tab & highs;
		if (z || t)
			break;   /* maybe: look closely below */
	}
	for (size_t j = k; j < n; j++)
		if (s[j] == '\t' || (s[j] == ' ' && j + 1 < n && s[j + 1] == ' '))
			return true;
	return false;
}

/* Two cells or more: a gap with text on both sides. */
bool qtable_row_like(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return has_gap(s + i, n - i);
}

/* Best byte offset (inside cell c of line s) to split it so that the
 * second part starts near display column `target`; 0 when there is no
 * space to split at. *col: the display column of the second part. The
 * score falls with the distance, so the scan stops once no later space
 * can beat the best one: each call reads little more than the part it
 * cuts off. */
static size_t best_split(const char *s, const rawcell *c, int target, int *col)
{
	enum { BONUS_MAX = 300 };
	size_t best = 0;
	int best_score = INT_MIN, at = column_after(s, c->off, c->off + 1, c->col);
	for (size_t i = c->off + 1; i + 1 < c->off + c->len; i++) {
		int next = column_after(s, i, i + 1, at);   /* column of i + 1 */
		if (best && (next - target) * 5 > BONUS_MAX - best_score)
			break;
		if (s[i] == ' ' && s[i + 1] != ' ') {
			int dist = next - target;
			if (dist < 0)
				dist = -dist;
			int score = -dist * 5;
			if (s[i - 1] == ')')
				score += 200;
			if (s[i + 1] >= 'A' && s[i + 1] <= 'Z')
				score += 100;
			if (score > best_score) {
				best_score = score;
				best = i;
				*col = next;
			}
		}
		at = next;
	}
	return best;
}

static const char *cell_md(qlift *l, const char *s, size_t n)
{
	qbuf b = QBUF_INIT;
	qinline_protect_in(l, s, n, &b);
	const char *r = qarena_strndup(&l->arena, b.ptr, b.len);
	qbuf_free(&b);
	return r;
}

/* Column index of a cell starting at display column col, at least min. */
static int column_of(const int *starts, int ncols, int col, int min)
{
	int k = min;
	while (k + 1 < ncols && starts[k + 1] <= col + 2)
		k++;
	return k;
}

/* The text of one column of a row being filled: the cells that fall into
 * one column are joined with a space. */
typedef struct colfill {
	qlift *l;
	const char **row;
	int col;          /* column of `text`, or -1 */
	qbuf text;
} colfill;

static void fill_flush(colfill *f)
{
	if (f->col >= 0)
		f->row[f->col] = qarena_strndup(&f->l->arena, f->text.ptr, f->text.len);
	f->col = -1;
	qbuf_reset(&f->text);
}

static void fill_put(colfill *f, int col, const char *s, size_t n)
{
	if (col != f->col) {
		fill_flush(f);
		f->col = col;
	} else if (f->text.len) {
		qbuf_putc(&f->text, ' ');
	}
	qinline_protect_in(f->l, s, n, &f->text);
}

/* Fill row (ncols cells) from one line; false when the line does not
 * fit. v: scratch for the line's cells. */
static bool fill_row(colfill *f, int ncols, const qline_ref *ln,
		     const int *starts, qbuf *v)
{
	int k = split_cells(ln->s, ln->len, v);
	const rawcell *c = cells_of(v);
	if (k < 2 || c[0].col > starts[0] + 2 || c[0].col + 2 < starts[0])
		return false;
	for (int j = 0; j < ncols; j++)
		f->row[j] = NULL;
	int next = 0;
	for (int j = 0; j < k; j++) {
		int col = column_of(starts, ncols, c[j].col, next);
		int after = j + 1 < k ? column_of(starts, ncols, c[j + 1].col, col + 1) : INT_MAX;
		rawcell cur = c[j];
		int end = column_after(ln->s, cur.off, cur.off + cur.len, cur.col);
		/* a cell running past later columns that got no cell */
		while (col + 1 < ncols && after > col + 1 && end > starts[col + 1] + 1) {
			int at;
			size_t cut = best_split(ln->s, &cur, starts[col + 1], &at);
			if (!cut)
				break;
			fill_put(f, col, ln->s + cur.off, cut - cur.off);
			cur.len -= cut + 1 - cur.off;
			cur.off = cut + 1;
			cur.col = at;
			col++;
		}
		fill_put(f, col, ln->s + cur.off, cur.len);
		next = col + 1 < ncols ? col + 1 : col;
	}
	fill_flush(f);
	for (int j = 0; j < ncols; j++)
		if (!f->row[j])
			f->row[j] = "";
	return true;
}

static void alloc_table(qlift *l, qlift_table *t, int ncols, int nrows)
{
	t->ncols = ncols;
	t->nrows = nrows;
	t->cells = qarena_alloc(&l->arena, sizeof(char *) * (size_t)ncols * (size_t)nrows);
	t->align = qarena_alloc(&l->arena, sizeof(qalign) * (size_t)ncols);
	t->rowsrc = qarena_alloc(&l->arena, sizeof(int) * (size_t)nrows);
}

/* Rows are read one by one into growable buffers (the number of rows is
 * known only when a line does not fit), then copied into the arena. */
int qtable_aligned(qlift *l, const qline_ref *lines, int n, qlift_table *t)
{
	if (n < 3 || !qtable_row_like(lines[0].s, lines[0].len))
		return 0;
	qbuf v = QBUF_INIT, cells = QBUF_INIT, rowsrc = QBUF_INIT;
	int ncols = split_cells(lines[0].s, lines[0].len, &v);
	int *starts = qxmalloc(sizeof(int) * (size_t)ncols);
	for (int j = 0; j < ncols; j++)
		starts[j] = cells_of(&v)[j].col;
	colfill f = {l, qxmalloc(sizeof(char *) * (size_t)ncols), -1, QBUF_INIT};
	int rows = 0;
	while (rows < n && qtable_row_like(lines[rows].s, lines[rows].len)
	       && fill_row(&f, ncols, &lines[rows], starts, &v)) {
		qbuf_put(&cells, f.row, sizeof(char *) * (size_t)ncols);
		qbuf_put(&rowsrc, &lines[rows].no, sizeof(int));
		rows++;
	}
	if (rows >= 3) {   /* a header and two rows: two lines are seldom a table */
		memset(t, 0, sizeof *t);
		alloc_table(l, t, ncols, rows);
		memcpy(t->cells, cells.ptr, cells.len);
		memcpy(t->rowsrc, rowsrc.ptr, rowsrc.len);
		t->src = lines[0].no;
		t->header = true;
		t->guessed = true;
	} else {
		rows = 0;
	}
	free(starts);
	free(f.row);
	qbuf_free(&f.text);
	qbuf_free(&v);
	qbuf_free(&cells);
	qbuf_free(&rowsrc);
	return rows;
}

/* ---- pipe tables ---- */

/* Split a pipe-table line into cells (unescaped | outside code spans)
 * into v (emptied first). Returns the cell count. */
static int split_pipes(const char *s, size_t n, qbuf *v)
{
	qbuf_reset(v);
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (i < n && s[i] == '|')
		i++;
	if (n > i && s[n - 1] == '|' && (n < 2 || s[n - 2] != '\\'))
		n--;
	int k = 0;
	size_t start = i;
	int tick = 0;
	for (; i <= n; i++) {
		if (i < n && s[i] == '`')
			tick = !tick;
		if (i + 1 < n && s[i] == '\\') {
			i++;
			continue;
		}
		if (i == n || (s[i] == '|' && !tick)) {
			size_t a = start, b = i;
			while (a < b && (s[a] == ' ' || s[a] == '\t'))
				a++;
			while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
				b--;
			push_cell(v, a, b - a, 0);
			k++;
			start = i + 1;
		}
	}
	return k;
}

static bool delimiter_cell(const char *s, size_t n, qalign *a)
{
	if (!n)
		return false;
	bool left = s[0] == ':', right = s[n - 1] == ':';
	size_t dashes = 0;
	for (size_t i = left; i < n - right; i++) {
		if (s[i] != '-')
			return false;
		dashes++;
	}
	if (!dashes)
		return false;
	*a = left && right ? QALIGN_CENTER : right ? QALIGN_RIGHT
	   : left ? QALIGN_LEFT : QALIGN_NONE;
	return true;
}

/* The alignments of the delimiter row, or false when it is none. */
static bool delimiter_row(const qline_ref *ln, const qbuf *v, int ncols, qalign *align)
{
	for (int j = 0; j < ncols; j++)
		if (!delimiter_cell(ln->s + cells_of(v)[j].off, cells_of(v)[j].len, &align[j]))
			return false;
	return true;
}

/* One row from a line of k cells: cells past the header's count join the
 * last one, separated by " | " as written. */
static void pipe_row(qlift *l, const qline_ref *ln, const qbuf *v, int k,
		     int ncols, const char **row)
{
	const rawcell *c = cells_of(v);
	int single = k > ncols ? ncols - 1 : ncols;   /* columns of one cell */
	for (int j = 0; j < single; j++)
		row[j] = j < k ? cell_md(l, ln->s + c[j].off, c[j].len) : "";
	if (k <= ncols)
		return;
	qbuf b = QBUF_INIT;
	for (int j = ncols - 1; j < k; j++) {
		if (j > ncols - 1)
			qbuf_puts(&b, " | ");
		qinline_protect_in(l, ln->s + c[j].off, c[j].len, &b);
	}
	row[ncols - 1] = qarena_strndup(&l->arena, b.ptr, b.len);
	qbuf_free(&b);
}

int qtable_pipe(qlift *l, const qline_ref *lines, int n, qlift_table *t)
{
	if (n < 2 || !memchr(lines[0].s, '|', lines[0].len) || !memchr(lines[1].s, '|', lines[1].len))
		return 0;
	qbuf v = QBUF_INIT;
	int ncols = split_pipes(lines[1].s, lines[1].len, &v);
	qalign *align = qxmalloc(sizeof(qalign) * (size_t)ncols);
	int rows = 0;
	if (delimiter_row(&lines[1], &v, ncols, align)
	    && split_pipes(lines[0].s, lines[0].len, &v) == ncols) {
		rows = 2;
		while (rows < n && memchr(lines[rows].s, '|', lines[rows].len))
			rows++;
		memset(t, 0, sizeof *t);
		alloc_table(l, t, ncols, rows - 1);
		t->src = lines[0].no;
		t->header = true;
		memcpy(t->align, align, sizeof(qalign) * (size_t)ncols);
		for (int r = 0; r < rows; r++) {
			if (r == 1)
				continue;
			int k = split_pipes(lines[r].s, lines[r].len, &v);
			int out = r ? r - 1 : 0;
			t->rowsrc[out] = lines[r].no;
			pipe_row(l, &lines[r], &v, k, ncols, t->cells + (size_t)out * (size_t)ncols);
		}
	}
	free(align);
	qbuf_free(&v);
	return rows;
}
