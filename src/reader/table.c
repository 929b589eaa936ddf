/* table.c - tables that are only aligned text, and GFM pipe tables
 * (notes-dialect.md section 5).
 *
 * Aligned text: cells are separated by runs of 2+ spaces (or tabs); the
 * first line is the header and gives the column starts. A cell that
 * overflows into the next column is split at the space that best matches
 * the column start (after a closing parenthesis and before a capital
 * letter, nearest the column).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../util/utf8.h"
#include "lift.h"

#define MAX_COLS 32

typedef struct rawcell {
	size_t off, len;  /* bytes in the line */
	int col;          /* display column where it starts */
} rawcell;

/* Display column of byte offset `off` (code points; tabs to 8). */
static int column_at(const char *s, size_t off)
{
	int col = 0;
	for (size_t i = 0; i < off; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\t')
			col = (col / 8 + 1) * 8;
		else if ((c & 0xC0) != 0x80)
			col++;
	}
	return col;
}

/* Split a line at runs of 2+ spaces or tabs. Returns the cell count
 * (at most max; further text joins the last cell). */
static int split_cells(const char *s, size_t n, rawcell *cells, int max)
{
	int k = 0;
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (i < n && k < max) {
		size_t start = i, end = i;
		while (i < n) {
			if (s[i] == '\t' || (s[i] == ' ' && i + 1 < n && (s[i + 1] == ' ' || s[i + 1] == '\t')))
				break;
			i++;
			end = i;
		}
		while (end > start && s[end - 1] == ' ')
			end--;
		if (k == max - 1)
			end = n;   /* the rest */
		cells[k++] = (rawcell){start, end - start, 0};
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (k == max)
			break;
	}
	for (int j = 0; j < k; j++)
		cells[j].col = column_at(s, cells[j].off);
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

bool qtable_row_like(const char *s, size_t n)
{
	rawcell c[3];
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (!has_gap(s + i, n - i))
		return false;   /* one cell */
	return split_cells(s, n, c, 3) >= 2;
}

/* Best byte offset (inside cell c of line s) to split it so that the
 * second part starts near display column `target`. */
static size_t best_split(const char *s, const rawcell *c, int target)
{
	size_t best = 0;
	int best_score = -1000000;
	for (size_t i = c->off + 1; i + 1 < c->off + c->len; i++) {
		if (s[i] != ' ' || s[i + 1] == ' ')
			continue;
		int dist = column_at(s, i + 1) - target;
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
		}
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

/* Column index of a cell starting at display column col. */
static int column_of(const int *starts, int ncols, int col, int min)
{
	int k = min;
	while (k + 1 < ncols && starts[k + 1] <= col + 2)
		k++;
	return k;
}

/* Fill row r of t from one line; false when the line does not fit. */
static bool fill_row(qlift *l, qlift_table *t, int r, const qline_ref *ln,
		     const int *starts)
{
	rawcell c[MAX_COLS];
	int k = split_cells(ln->s, ln->len, c, MAX_COLS);
	if (k < 2 || c[0].col > starts[0] + 2 || c[0].col + 2 < starts[0])
		return false;
	const char **row = t->cells + (size_t)r * (size_t)t->ncols;
	int next = 0;
	for (int j = 0; j < k; j++) {
		int col = column_of(starts, t->ncols, c[j].col, next);
		rawcell cur = c[j];
		/* a cell running past later columns that got no cell */
		while (col + 1 < t->ncols && (j + 1 == k || column_of(starts, t->ncols, c[j + 1].col, col + 1) > col + 1)
		       && column_at(ln->s, cur.off + cur.len) > starts[col + 1] + 1) {
			size_t cut = best_split(ln->s, &cur, starts[col + 1]);
			if (!cut)
				break;
			row[col] = cell_md(l, ln->s + cur.off, cut - cur.off);
			cur.len -= cut + 1 - cur.off;
			cur.off = cut + 1;
			col++;
		}
		if (row[col] && *row[col]) {   /* two cells in one column: join */
			qbuf b = QBUF_INIT;
			qbuf_puts(&b, row[col]);
			qbuf_putc(&b, ' ');
			qinline_protect_in(l, ln->s + cur.off, cur.len, &b);
			row[col] = qarena_strndup(&l->arena, b.ptr, b.len);
			qbuf_free(&b);
		} else {
			row[col] = cell_md(l, ln->s + cur.off, cur.len);
		}
		next = col + 1 < t->ncols ? col + 1 : col;
	}
	for (int j = 0; j < t->ncols; j++)
		if (!row[j])
			row[j] = "";
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

int qtable_aligned(qlift *l, const qline_ref *lines, int n, qlift_table *t)
{
	rawcell h[MAX_COLS];
	if (n < 2)
		return 0;
	int ncols = split_cells(lines[0].s, lines[0].len, h, MAX_COLS);
	if (ncols < 2)
		return 0;
	int starts[MAX_COLS];
	for (int j = 0; j < ncols; j++)
		starts[j] = h[j].col;
	int rows = 1;
	while (rows < n && qtable_row_like(lines[rows].s, lines[rows].len))
		rows++;
	if (rows < 3)
		return 0;   /* a header and two rows: two lines are seldom a table */
	memset(t, 0, sizeof *t);
	alloc_table(l, t, ncols, rows);
	t->src = lines[0].no;
	t->header = true;
	t->guessed = true;
	for (int r = 0; r < rows; r++) {
		t->rowsrc[r] = lines[r].no;
		if (!fill_row(l, t, r, &lines[r], starts))
			return r >= 3 ? (t->nrows = r) : 0;
	}
	return rows;
}

/* ---- pipe tables ---- */

/* Split a pipe-table line into cells (unescaped | outside code spans). */
static int split_pipes(const char *s, size_t n, rawcell *cells, int max)
{
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
	for (; i <= n && k < max; i++) {
		if (i < n && s[i] == '`')
			tick = !tick;
		if (i < n && s[i] == '\\') {
			i++;
			continue;
		}
		if (i == n || (s[i] == '|' && !tick)) {
			size_t a = start, b = i;
			while (a < b && (s[a] == ' ' || s[a] == '\t'))
				a++;
			while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
				b--;
			cells[k++] = (rawcell){a, b - a, 0};
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

int qtable_pipe(qlift *l, const qline_ref *lines, int n, qlift_table *t)
{
	rawcell h[MAX_COLS], d[MAX_COLS];
	if (n < 2 || !memchr(lines[0].s, '|', lines[0].len) || !memchr(lines[1].s, '|', lines[1].len))
		return 0;
	int ncols = split_pipes(lines[0].s, lines[0].len, h, MAX_COLS);
	if (split_pipes(lines[1].s, lines[1].len, d, MAX_COLS) != ncols)
		return 0;
	qalign align[MAX_COLS];
	for (int j = 0; j < ncols; j++)
		if (!delimiter_cell(lines[1].s + d[j].off, d[j].len, &align[j]))
			return 0;
	int rows = 2;
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
		rawcell c[MAX_COLS];
		int k = split_pipes(lines[r].s, lines[r].len, c, MAX_COLS);
		const char **row = t->cells + (size_t)(r ? r - 1 : 0) * (size_t)ncols;
		t->rowsrc[r ? r - 1 : 0] = lines[r].no;
		for (int j = 0; j < ncols; j++)
			row[j] = j < k ? cell_md(l, lines[r].s + c[j].off, c[j].len) : "";
		for (int j = ncols; j < k; j++) {   /* extra cells join the last */
			qbuf b = QBUF_INIT;
			qbuf_puts(&b, row[ncols - 1]);
			qbuf_puts(&b, " | ");
			qinline_protect_in(l, lines[r].s + c[j].off, c[j].len, &b);
			row[ncols - 1] = qarena_strndup(&l->arena, b.ptr, b.len);
			qbuf_free(&b);
		}
	}
	return rows;
}
