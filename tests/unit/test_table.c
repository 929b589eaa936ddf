/* test_table.c - reader/table.c: tables that are aligned text, and GFM
 * pipe tables, found in candidate lines of notes. */
#include <stdlib.h>

#include "reader/lift.h"
#include "testing.h"

static qlift lift_;
static qline_ref lines_[16];

/* The lines of text (split at '\n') as candidates, numbered from 10. */
static int lines(const char *text)
{
	int n = 0;
	const char *s = text;
	while (*s && n < 16) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		lines_[n] = (qline_ref){s, len, 10 + n};
		n++;
		s += len + (e != NULL);
	}
	return n;
}

static void fresh(void)
{
	qlift_free(&lift_);
	qarena_init(&lift_.arena);
}

static const char *cell(const qlift_table *t, int r, int c)
{
	return t->cells[r * t->ncols + c];
}

TEST(aligned_text_table)
{
	fresh();
	int n = lines("Name      Type     Default\n"
		      "host      str      localhost\n"
		      "port      int      8000\n"
		      "debug     bool     False\n");
	qlift_table t;
	CHECK_INT(qtable_aligned(&lift_, lines_, n, &t), 4);
	CHECK_INT(t.ncols, 3);
	CHECK_INT(t.nrows, 4);
	CHECK(t.header && t.guessed);
	CHECK_INT(t.src, 10);
	CHECK_INT(t.rowsrc[3], 13);
	CHECK_STR(cell(&t, 0, 2), "Default");
	CHECK_STR(cell(&t, 2, 0), "port");
	CHECK_STR(cell(&t, 3, 2), "False");
}

TEST(aligned_text_needs_three_rows_and_two_columns)
{
	fresh();
	qlift_table t;
	int n = lines("Name      Type\nhost      str\n");
	CHECK_INT(qtable_aligned(&lift_, lines_, n, &t), 0);
	n = lines("Just one column\nof prose\nin three lines\n");
	CHECK_INT(qtable_aligned(&lift_, lines_, n, &t), 0);
	/* a table ends where a line stops looking like a row */
	n = lines("A    B\n1    2\n3    4\n5    6\nand then prose.\n");
	CHECK_INT(qtable_aligned(&lift_, lines_, n, &t), 4);
}

TEST(overflowing_cell_is_split_at_the_column)
{
	fresh();
	qlift_table t;
	int n = lines("Method       Meaning            Example\n"
		      "GET          Read a resource    GET /items\n"
		      "POST         Create (new item) Body\n"
		      "DELETE       Remove it          DELETE /items/1\n");
	CHECK_INT(qtable_aligned(&lift_, lines_, n, &t), 4);
	CHECK_STR(cell(&t, 2, 1), "Create (new item)");
	CHECK_STR(cell(&t, 2, 2), "Body");
}

TEST(row_like)
{
	CHECK(qtable_row_like("a    b", 6));
	CHECK(qtable_row_like("a\tb", 3));
	CHECK(!qtable_row_like("a b c", 5));
	CHECK(!qtable_row_like("    indented", 12));
}

TEST(pipe_table_with_alignments)
{
	fresh();
	qlift_table t;
	int n = lines("| Left | Middle | Right |\n"
		      "|:-----|:------:|------:|\n"
		      "| a    | `x|y`  | 1     |\n"
		      "| b    | c \\| d | 2 | extra |\n");
	CHECK_INT(qtable_pipe(&lift_, lines_, n, &t), 4);
	CHECK_INT(t.ncols, 3);
	CHECK_INT(t.nrows, 3);   /* the delimiter row is no row */
	CHECK(t.header && !t.guessed);
	CHECK_INT(t.align[0], QALIGN_LEFT);
	CHECK_INT(t.align[1], QALIGN_CENTER);
	CHECK_INT(t.align[2], QALIGN_RIGHT);
	CHECK_INT(t.rowsrc[1], 12);
	CHECK_STR(cell(&t, 1, 1), "`x|y`");       /* a pipe in code splits nothing */
	CHECK(strstr(cell(&t, 2, 1), "c \\| d"));  /* nor an escaped one */
	CHECK_STR(cell(&t, 2, 2), "2 | extra");   /* extra cells join the last */
}

TEST(pipe_table_needs_a_delimiter_row)
{
	fresh();
	qlift_table t;
	int n = lines("| a | b |\n| c | d |\n");
	CHECK_INT(qtable_pipe(&lift_, lines_, n, &t), 0);
	n = lines("| a | b |\n|---|\n| c | d |\n");   /* columns disagree */
	CHECK_INT(qtable_pipe(&lift_, lines_, n, &t), 0);
	n = lines("a | b\n--|--\nc | d\nno pipe here\n");
	CHECK_INT(qtable_pipe(&lift_, lines_, n, &t), 3);
	CHECK_STR(cell(&t, 1, 1), "d");
}

int main(void)
{
	RUN(aligned_text_table);
	RUN(aligned_text_needs_three_rows_and_two_columns);
	RUN(overflowing_cell_is_split_at_the_column);
	RUN(row_like);
	RUN(pipe_table_with_alignments);
	RUN(pipe_table_needs_a_delimiter_row);
	qlift_free(&lift_);
	return testing_done();
}
