/* test_code.c - reader/code.c: what makes a line of notes code, in which
 * language a run of lines is, file-name captions and bracket depth. */
#include "reader/code.h"
#include "testing.h"

static unsigned traits(const char *s)
{
	return qcode_traits(s, strlen(s));
}

static qcode_ev evidence(const char *s)
{
	return qcode_evidence_of(traits(s));
}

static const char *language(const char *const *lines, int n)
{
	qlang_votes v = {0};
	for (int i = 0; i < n; i++)
		qcode_vote(&v, lines[i], strlen(lines[i]));
	return qcode_language(&v);
}

TEST(python_statements_start_code)
{
	CHECK(traits("def area(r):") & QT_PY_STRONG);
	CHECK(traits("import os") & QT_PY_STRONG);
	CHECK(traits("@app.get(\"/items\")") & QT_PY_STRONG);
	CHECK(traits("return self.name") & QT_PY_STRONG);
	CHECK_INT(evidence("def area(r):"), QCE_STRONG);
	CHECK_INT(evidence("x = compute(1, 2)"), QCE_STRONG);
}

TEST(prose_is_not_code)
{
	CHECK_INT(evidence("os → file system operations"), QCE_PROSE);
	CHECK(evidence("This function returns the area of a circle.") <= QCE_NONE);
	CHECK_INT(evidence("print(x) shows the value of x."), QCE_PROSE);
	CHECK_INT(evidence(""), QCE_NONE);
	/* an equation of prose: its apostrophe opens no string */
	CHECK(!(traits("Asset = Liabilities + Stockholders' Equity") & (QT_PY_STRONG | QT_PY_WEAK)));
	CHECK(evidence("Asset = Liabilities + Stockholders' Equity") < QCE_STRONG);
	CHECK(traits("name = first + 'x'") & QT_PY_WEAK);
	CHECK_INT(evidence("name = first + 'x'"), QCE_STRONG);
	CHECK(traits("doc = '''") & QT_PY_WEAK);
	/* a for loop names what it goes through; prose before a list does not */
	CHECK(!(traits("for ext filesystems:") & QT_PY_STRONG));
	CHECK(!(traits("for xfs filesystem:") & QT_PY_STRONG));
	CHECK(traits("for x in items:") & QT_PY_STRONG);
	CHECK(traits("async for chunk in stream:") & QT_PY_STRONG);
	/* an arrow inside a comment is still code */
	CHECK(evidence("x = 1  # x → one") != QCE_PROSE);
}

TEST(page_links_are_no_literals)
{
	CHECK(!(traits("[[1716491727-ejercicio-5|Ejercicio 5]]") & QT_LITERAL));
	CHECK(!(traits("[[la-distancia|La distancia, la del máximo]]") & QT_LITERAL));
	CHECK(!(traits("[[son-continuas|Son continuas en X = [0,1)]]") & QT_LITERAL));
	CHECK(!(traits("[[Page]]") & QT_LITERAL));
	CHECK(traits("[[1, 2], [3, 4]]") & QT_LITERAL);
	CHECK(traits("[[\"a\", 1]]") & QT_LITERAL);
}

TEST(other_languages_have_their_traits)
{
	CHECK(traits("SELECT name FROM users WHERE id = 1;") & QT_SQL);
	CHECK(traits("$ pip install fastapi") & QT_SHELL);
	CHECK(traits("\"name\": \"quire\",") & QT_JSON_KEY);
	CHECK(traits("#include <stdio.h>") & QT_C);
	CHECK(!(traits("#include <stdio.h>") & QT_JS));
}

TEST(language_of_a_run)
{
	const char *py[] = {"def f(x):", "    return x * 2", "print(f(3))"};
	CHECK_STR(language(py, 3), "python");
	const char *sql[] = {"SELECT name, age", "FROM users", "WHERE age > 30;"};
	CHECK_STR(language(sql, 3), "sql");
	const char *sh[] = {"$ pip install fastapi", "$ uvicorn main:app --reload"};
	CHECK_STR(language(sh, 2), "shell");
	const char *none[] = {"some words"};
	CHECK_STR(language(none, 1), "text");
	qlang_votes tie = {.python = 2, .sql = 2};
	CHECK_STR(qcode_language(&tie), "python");   /* ties go to the first */
}

TEST(file_name_captions)
{
	const char *name = NULL;
	const char *h = "#### test_db.py";
	CHECK_INT(qcode_caption(h, strlen(h), &name), 10);
	CHECK(name == h + 5);
	h = "## src/app-main.js  ";
	CHECK_INT(qcode_caption(h, strlen(h), &name), 15);
	CHECK_INT(qcode_caption("# test.py", 9, &name), 0);          /* level 1: a title */
	CHECK_INT(qcode_caption("### What is it?", 15, &name), 0);
	CHECK_INT(qcode_caption("### notes.", 10, &name), 0);         /* no extension */
	CHECK_INT(qcode_caption("### archive.tarball", 19, &name), 0);/* too long for one */
}

TEST(bracket_depth_skips_strings_and_comments)
{
	int triple = 0;
	const char *s = "foo(bar[1], {";
	CHECK_INT(qcode_depth(s, strlen(s), &triple), 2);
	s = "x = \"(\" + ')'  # )))";
	CHECK_INT(qcode_depth(s, strlen(s), &triple), 0);
	s = "})";
	CHECK_INT(qcode_depth(s, strlen(s), &triple), -2);
	s = "doc = \"\"\"(";
	CHECK_INT(qcode_depth(s, strlen(s), &triple), 0);
	CHECK_INT(triple, 1);   /* the string goes on: brackets in it do not count */
	s = "((\"\"\")";   /* inside the string up to its end, then ')' */
	CHECK_INT(qcode_depth(s, strlen(s), &triple), -1);
	CHECK_INT(triple, 0);
}

TEST(starts_with)
{
	CHECK(qcode_starts("import os", 9, "import"));
	CHECK(!qcode_starts("imp", 3, "import"));
	CHECK(qcode_starts("", 0, ""));
	CHECK(!qcode_starts("", 0, "x"));
}

int main(void)
{
	RUN(python_statements_start_code);
	RUN(prose_is_not_code);
	RUN(page_links_are_no_literals);
	RUN(other_languages_have_their_traits);
	RUN(language_of_a_run);
	RUN(file_name_captions);
	RUN(bracket_depth_skips_strings_and_comments);
	RUN(starts_with);
	return testing_done();
}
