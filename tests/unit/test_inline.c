/* test_inline.c - reader/inline.c: prose made CommonMark that prints as
 * written. Each case is a line of notes cmark would read wrong (and one
 * it reads right, which must stay as it is). */
#include "reader/lift.h"
#include "testing.h"

static qbuf out_;

static const char *protect(const char *s)
{
	qbuf_reset(&out_);
	qinline_protect(s, strlen(s), &out_);
	qbuf_putc(&out_, '\0');
	return out_.ptr;
}

TEST(dunder_names_are_not_strong)
{
	CHECK_STR(protect("call __init__ first"), "call \\_\\_init\\_\\_ first");
	CHECK_STR(protect("__name__.py"), "\\_\\_name\\_\\_.py");
	CHECK_STR(protect("a_b_c"), "a_b_c");   /* cmark reads it right */
	CHECK_STR(protect("__bold__ words"), "__bold__ words");   /* Python's names only */
}

TEST(stars_by_digits_are_arithmetic)
{
	CHECK_STR(protect("2**10 and x**2 + y**2"), "2\\*\\*10 and x\\*\\*2 + y\\*\\*2");
	CHECK_STR(protect("3*4 is *twelve*"), "3\\*4 is *twelve*");
	CHECK_STR(protect("*emph* and **strong**"), "*emph* and **strong**");
}

TEST(angle_after_a_word_opens_no_tag)
{
	CHECK_STR(protect("List<int> and Vec<T>"), "List\\<int> and Vec\\<T>");
	CHECK_STR(protect("a <b>bold</b> tag"), "a <b>bold</b> tag");
	CHECK_STR(protect("x < y"), "x < y");
}

TEST(github_shortcodes_become_emoji)
{
	CHECK_STR(protect(":rocket: ship it :+1:"), "\xF0\x9F\x9A\x80 ship it \xF0\x9F\x91\x8D");
	CHECK_STR(protect("a :warning:."), "a \xE2\x9A\xA0\xEF\xB8\x8F.");
	CHECK_STR(protect("(:bulb:)"), "(\xF0\x9F\x92\xA1)");
	/* the longest name of the table, held whole in it */
	CHECK_STR(protect(":south_georgia_south_sandwich_islands:"),
		  "\xF0\x9F\x87\xAC\xF0\x9F\x87\xB8");
	/* what only looks like one stays as written */
	CHECK_STR(protect("at 10:30:00, a:rocket:b, x:rocket: and :rocket:y"),
		  "at 10:30:00, a:rocket:b, x:rocket: and :rocket:y");
	CHECK_STR(protect("http://h/:rocket:/ and ::rocket:: and :nosuchemoji:"),
		  "http://h/:rocket:/ and ::rocket:: and :nosuchemoji:");
	CHECK_STR(protect("`:rocket:` and <a title=\":rocket:\">"),
		  "`:rocket:` and <a title=\":rocket:\">");
	CHECK_STR(protect(":: and : and :r"), ":: and : and :r");
}

TEST(code_spans_and_escapes_are_copied)
{
	CHECK_STR(protect("`__x__` code"), "`__x__` code");
	CHECK_STR(protect("`a` `` b ` c `` __len__"), "`a` `` b ` c `` \\_\\_len\\_\\_");
	CHECK_STR(protect("\\_esc\\_"), "\\_esc\\_");
	CHECK_STR(protect("see https://example.com/__x__ now"), "see https://example.com/__x__ now");
	CHECK_STR(protect(""), "");
}

TEST(formulas_without_a_table_stay_text)
{
	CHECK_STR(protect("$x^2$ and \\(y\\)"), "$x^2$ and \\\\(y\\\\)");
}

TEST(formulas_go_into_the_lift)
{
	qlift l;
	memset(&l, 0, sizeof l);
	qarena_init(&l.arena);
	const char *m = "area $\\pi r^2$ here \\[E=mc^2\\] and `$not$`";
	qbuf b = QBUF_INIT;
	qinline_protect_in(&l, m, strlen(m), &b);
	qbuf_putc(&b, '\0');
	int n = l.nmaths;
	bool inline0 = n == 2 && l.maths[0].len == 7 && !memcmp(l.maths[0].tex, "\\pi r^2", 7)
		       && !l.maths[0].display;
	bool display1 = n == 2 && l.maths[1].len == 6 && !memcmp(l.maths[1].tex, "E=mc^2", 6)
			&& l.maths[1].display;
	bool text = !strstr(b.ptr, "\\pi") && strstr(b.ptr, "`$not$`");
	qbuf_free(&b);
	qlift_free(&l);
	CHECK_INT(n, 2);
	CHECK(inline0);
	CHECK(display1);
	CHECK(text);
}

int main(void)
{
	RUN(dunder_names_are_not_strong);
	RUN(stars_by_digits_are_arithmetic);
	RUN(angle_after_a_word_opens_no_tag);
	RUN(github_shortcodes_become_emoji);
	RUN(code_spans_and_escapes_are_copied);
	RUN(formulas_without_a_table_stay_text);
	RUN(formulas_go_into_the_lift);
	qbuf_free(&out_);
	return testing_done();
}
