/* test_highlight.c - the syntax highlighter: token kinds per language on
 * lines from the real notes, and the tiling property (tokens cover every
 * byte once, in order, never split a UTF-8 character) on random and
 * pathological input, which must also scan in linear time. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render/highlight.h"
#include "testing.h"
#include "util/utf8.h"

static const char *const langs[] = {"python", "sql", "shell", "json",
				    "javascript", "c", "text"};
#define NLANGS (sizeof langs / sizeof langs[0])

/* The kind of `needle` (its first occurrence in code): the kind of the
 * token that is exactly the needle, or QTOK_TEXT when a text token holds
 * it (text merges with the spaces around it); -1 otherwise. */
static int kind_of(const char *lang, const char *code, const char *needle)
{
	const char *p = strstr(code, needle);
	size_t off = p ? (size_t)(p - code) : 0, len = strlen(needle);
	qtoken *t = NULL;
	size_t cnt = qhighlight(lang, code, strlen(code), &t);
	int kind = -1;
	for (size_t k = 0; p && k < cnt; k++) {
		bool exact = t[k].off == off && t[k].len == len;
		bool holds = t[k].off <= off && off + len <= t[k].off + t[k].len;
		if (exact || (holds && t[k].kind == QTOK_TEXT))
			kind = (int)t[k].kind;
	}
	free(t);
	return kind;
}

/* Where no token boundary may fall: inside a valid UTF-8 sequence
 * (decoded left to right). */
static void mark_inside(const unsigned char *s, size_t n, char *inside)
{
	memset(inside, 0, n + 1);
	for (size_t i = 0; i < n;) {
		size_t l = qutf8_seq_len(s + i, n - i);
		for (size_t j = 1; j < l; j++)
			inside[i + j] = 1;
		i += l ? l : 1;
	}
}

/* 0 when the tokens tile s[0..n) exactly, else a code for the fault. */
static int check_tiling(const char *s, size_t n, const qtoken *t, size_t cnt)
{
	char *inside = malloc(n + 1);
	int bad = 0;
	size_t pos = 0;
	mark_inside((const unsigned char *)s, n, inside);
	for (size_t k = 0; k < cnt && !bad; k++) {
		if (t[k].off != pos || t[k].len == 0)
			bad = 1;
		else if ((int)t[k].kind < 0 || t[k].kind >= QTOK__COUNT)
			bad = 2;
		else if (k && t[k].kind == t[k - 1].kind)
			bad = 3;   /* adjacent same kinds must be merged */
		else if (inside[pos])
			bad = 4;
		pos += t[k].len;
	}
	if (!bad && pos != n)
		bad = 5;
	free(inside);
	return bad;
}

static int tile(const char *lang, const char *s, size_t n)
{
	qtoken *t = NULL;
	size_t cnt = qhighlight(lang, s, n, &t);
	int bad = check_tiling(s, n, t, cnt);
	free(t);
	return bad;
}

/* ---- python ---------------------------------------------------------- */

TEST(python_decorator_and_def)
{
	const char *c = "@app.get(\"/items/{id}\")\n"
			"def read_item(id: int): return {\"id\": id}\n";
	CHECK_INT(kind_of("python", c, "@app.get"), QTOK_DECORATOR);
	CHECK_INT(kind_of("python", c, "\"/items/{id}\""), QTOK_STRING);
	CHECK_INT(kind_of("python", c, "def"), QTOK_KEYWORD);
	CHECK_INT(kind_of("python", c, "read_item"), QTOK_NAME);
	CHECK_INT(kind_of("python", c, "int"), QTOK_NAME);
	CHECK_INT(kind_of("python", c, "return"), QTOK_KEYWORD);
	CHECK_INT(kind_of("python", "@property\ndef x(self): pass\n", "@property"),
		  QTOK_DECORATOR);
	CHECK_INT(kind_of("python", "    @patch(\"weather.requests.get\")\n",
			  "@patch"), QTOK_DECORATOR);
	CHECK_INT(kind_of("python", "a = b @ c\n", "@"), QTOK_TEXT);
	CHECK_INT(kind_of("python", "m = a @b\n", "@b"), QTOK_TEXT);
	CHECK_INT(kind_of("js", "x = y\n@Component\n", "@Component"),
		  QTOK_DECORATOR);
}

TEST(python_execute_line)
{
	const char *c = "cur.execute(\"SELECT id, name FROM users WHERE id = %s\", (1,))\n"
			"print(cur.fetchone())\n";
	CHECK_INT(kind_of("python", c, "execute"), QTOK_NAME);
	CHECK_INT(kind_of("python", c,
			  "\"SELECT id, name FROM users WHERE id = %s\""),
		  QTOK_STRING);
	CHECK_INT(kind_of("python", c, "1"), QTOK_NUMBER);
	CHECK_INT(kind_of("python", c, "print"), QTOK_NAME);
	CHECK_INT(kind_of("python", c, "cur"), QTOK_TEXT);
}

TEST(python_strings)
{
	CHECK_INT(kind_of("python", "x = f\"hi {name}\"\n", "f\"hi {name}\""),
		  QTOK_STRING);
	CHECK_INT(kind_of("python", "x = rb'\\x00'\n", "rb'\\x00'"), QTOK_STRING);
	CHECK_INT(kind_of("python", "x = 'it\\'s'\n", "'it\\'s'"), QTOK_STRING);
	CHECK_INT(kind_of("python", "cur.execute(\"\"\"\n    SELECT u.id\n\"\"\")\n",
			  "\"\"\"\n    SELECT u.id\n\"\"\""), QTOK_STRING);
	CHECK_INT(kind_of("python", "d = '''a \"\"\" b'''\n", "'''a \"\"\" b'''"),
		  QTOK_STRING);
	/* unterminated: a one-line string stops at the line end */
	CHECK_INT(kind_of("python", "s = 'abc\nx = 1\n", "'abc"), QTOK_STRING);
	CHECK_INT(kind_of("python", "s = 'abc\nx = 1\n", "1"), QTOK_NUMBER);
	/* a triple-quoted one runs to the end */
	CHECK_INT(kind_of("python", "s = \"\"\"abc\nx = 1\n", "\"\"\"abc\nx = 1\n"),
		  QTOK_STRING);
}

TEST(python_comments_numbers_names)
{
	const char *c = "class User(Base):  # the model\n"
			"    x = len(range(10)) + 3.14e-2 + 0xFF + 1_000\n";
	CHECK_INT(kind_of("python", c, "class"), QTOK_KEYWORD);
	CHECK_INT(kind_of("python", c, "User"), QTOK_NAME);
	CHECK_INT(kind_of("python", c, "Base"), QTOK_TEXT);
	CHECK_INT(kind_of("python", c, "# the model"), QTOK_COMMENT);
	CHECK_INT(kind_of("python", c, "len"), QTOK_NAME);
	CHECK_INT(kind_of("python", c, "range"), QTOK_NAME);
	CHECK_INT(kind_of("python", c, "10"), QTOK_NUMBER);
	CHECK_INT(kind_of("python", c, "3.14e-2"), QTOK_NUMBER);
	CHECK_INT(kind_of("python", c, "0xFF"), QTOK_NUMBER);
	CHECK_INT(kind_of("python", c, "1_000"), QTOK_NUMBER);
	CHECK_INT(kind_of("python", "x = None or True\n", "None"), QTOK_KEYWORD);
	CHECK_INT(kind_of("python", "item2 = 3\n", "item2"), QTOK_TEXT);
}

/* ---- shell ----------------------------------------------------------- */

TEST(shell_commands)
{
	const char *c = "pip install -r requirements.txt\n"
			"pip freeze > requirements.txt  # save dependencies\n"
			"uvicorn app:app --workers 4 --host 0.0.0.0\n"
			"docker build . && git commit -m \"first $X\" 2>&1 | tee log\n";
	CHECK_INT(kind_of("shell", c, "pip"), QTOK_NAME);
	CHECK_INT(kind_of("shell", c, "install"), QTOK_TEXT);
	CHECK_INT(kind_of("shell", c, "# save dependencies"), QTOK_COMMENT);
	CHECK_INT(kind_of("shell", c, "uvicorn"), QTOK_NAME);
	CHECK_INT(kind_of("shell", c, "4"), QTOK_NUMBER);
	CHECK_INT(kind_of("shell", c, "docker"), QTOK_NAME);
	CHECK_INT(kind_of("shell", c, "git"), QTOK_NAME);
	CHECK_INT(kind_of("shell", c, "\"first $X\""), QTOK_STRING);
	CHECK_INT(kind_of("shell", c, "tee"), QTOK_NAME);
	CHECK_INT(kind_of("bash", "$ pip install fastapi\n", "pip"), QTOK_NAME);
	CHECK_INT(kind_of("sh", "FOO=1 sudo apt-get install x\n", "apt-get"),
		  QTOK_NAME);
	CHECK_INT(kind_of("sh", "echo a#b\n", "a#b"), QTOK_TEXT);
}

TEST(shell_keywords_and_heredoc)
{
	const char *c = "for f in *.py; do echo \"$f\"; done\n"
			"cat <<'EOF' > out.txt\nit's $HOME\nEOF\necho done\n";
	CHECK_INT(kind_of("shell", c, "for"), QTOK_KEYWORD);
	CHECK_INT(kind_of("shell", c, "in"), QTOK_KEYWORD);
	CHECK_INT(kind_of("shell", c, "do"), QTOK_KEYWORD);
	CHECK_INT(kind_of("shell", c, "echo"), QTOK_NAME);
	CHECK_INT(kind_of("shell", c, "done"), QTOK_KEYWORD);
	CHECK_INT(kind_of("shell", c, "it's $HOME\nEOF"), QTOK_STRING);
	CHECK_INT(kind_of("shell", "echo 'a\nb'\n", "'a\nb'"), QTOK_STRING);
	CHECK_INT(kind_of("shell", "cat <<EOF\nnever closed\n", "never closed\n"),
		  QTOK_STRING);
}

/* ---- SQL ------------------------------------------------------------- */

TEST(sql_keywords_strings_comments)
{
	const char *c = "select u.id, COUNT(*) From users u -- all users\n"
			"LEFT JOIN posts p ON u.id = p.user_id\n"
			"WHERE name = 'O''Brien' AND id = $1 /* x */ LIMIT 5;\n";
	CHECK_INT(kind_of("sql", c, "select"), QTOK_KEYWORD);
	CHECK_INT(kind_of("sql", c, "From"), QTOK_KEYWORD);
	CHECK_INT(kind_of("sql", c, "COUNT"), QTOK_NAME);
	CHECK_INT(kind_of("sql", c, "-- all users"), QTOK_COMMENT);
	CHECK_INT(kind_of("sql", c, "LEFT"), QTOK_KEYWORD);
	CHECK_INT(kind_of("sql", c, "'O''Brien'"), QTOK_STRING);
	CHECK_INT(kind_of("sql", c, "/* x */"), QTOK_COMMENT);
	CHECK_INT(kind_of("sql", c, "5"), QTOK_NUMBER);
	CHECK_INT(kind_of("sql", c, "users"), QTOK_TEXT);
	CHECK_INT(kind_of("postgres", "SELECT \"Order\" FROM t\n", "\"Order\""),
		  QTOK_STRING);
	CHECK_INT(kind_of("sqlite", "SELECT 1 /* open\nFROM t\n",
			  "/* open\nFROM t\n"), QTOK_COMMENT);
}

/* ---- JSON, JavaScript, C --------------------------------------------- */

TEST(json_tokens)
{
	const char *c = "{\"id\": 1, \"name\" : \"Alice\", \"ok\": true, "
			"\"n\": -2.5e3, \"x\": null}\n";
	CHECK_INT(kind_of("json", c, "\"id\""), QTOK_NAME);
	CHECK_INT(kind_of("json", c, "\"name\""), QTOK_NAME);
	CHECK_INT(kind_of("json", c, "\"Alice\""), QTOK_STRING);
	CHECK_INT(kind_of("json", c, "true"), QTOK_KEYWORD);
	CHECK_INT(kind_of("json", c, "null"), QTOK_KEYWORD);
	CHECK_INT(kind_of("json", c, "-2.5e3"), QTOK_NUMBER);
	CHECK_INT(kind_of("json", c, "1"), QTOK_NUMBER);
}

TEST(javascript_tokens)
{
	const char *c = "const x = require(\"fs\"); // read\n"
			"async function load(url) { return `${url}\n`; }\n"
			"p.catch(e => 0x1F) /* end */\n";
	CHECK_INT(kind_of("js", c, "const"), QTOK_KEYWORD);
	CHECK_INT(kind_of("js", c, "require"), QTOK_NAME);
	CHECK_INT(kind_of("js", c, "\"fs\""), QTOK_STRING);
	CHECK_INT(kind_of("js", c, "// read"), QTOK_COMMENT);
	CHECK_INT(kind_of("js", c, "function"), QTOK_KEYWORD);
	CHECK_INT(kind_of("js", c, "load"), QTOK_NAME);
	CHECK_INT(kind_of("js", c, "`${url}\n`"), QTOK_STRING);
	CHECK_INT(kind_of("js", c, "catch"), QTOK_NAME);   /* after a dot */
	CHECK_INT(kind_of("js", c, "0x1F"), QTOK_NUMBER);
	CHECK_INT(kind_of("js", c, "/* end */"), QTOK_COMMENT);
}

TEST(c_tokens)
{
	const char *c = "#include <stdio.h>\n"
			"int main(void) { printf(\"%d\\n\", 42); return 0; } // end\n"
			"char ch = 'x'; /* open\n";
	CHECK_INT(kind_of("c", c, "#include"), QTOK_KEYWORD);
	CHECK_INT(kind_of("c", c, "<stdio.h>"), QTOK_STRING);
	CHECK_INT(kind_of("c", c, "int"), QTOK_KEYWORD);
	CHECK_INT(kind_of("c", c, "main"), QTOK_NAME);
	CHECK_INT(kind_of("c", c, "printf"), QTOK_NAME);
	CHECK_INT(kind_of("c", c, "\"%d\\n\""), QTOK_STRING);
	CHECK_INT(kind_of("c", c, "42"), QTOK_NUMBER);
	CHECK_INT(kind_of("c", c, "// end"), QTOK_COMMENT);
	CHECK_INT(kind_of("c", c, "'x'"), QTOK_STRING);
	CHECK_INT(kind_of("h", c, "/* open\n"), QTOK_COMMENT);
}

/* ---- languages, classes, edge cases ---------------------------------- */

TEST(language_aliases)
{
	CHECK_STR(qhl_lang("PY"), "python");
	CHECK_STR(qhl_lang("python3"), "python");
	CHECK_STR(qhl_lang("Bash"), "shell");
	CHECK_STR(qhl_lang("zsh"), "shell");
	CHECK_STR(qhl_lang("console"), "shell");
	CHECK_STR(qhl_lang("shell-session"), "shell");
	CHECK_STR(qhl_lang("node"), "javascript");
	CHECK_STR(qhl_lang("js"), "javascript");
	CHECK_STR(qhl_lang("h"), "c");
	CHECK_STR(qhl_lang("postgres"), "sql");
	CHECK_STR(qhl_lang("MySQL"), "sql");
	CHECK_STR(qhl_lang("sqlite"), "sql");
	CHECK_STR(qhl_lang("json"), "json");
	CHECK_STR(qhl_lang("rust"), "");
	CHECK_STR(qhl_lang("text"), "");
	CHECK_STR(qhl_lang(""), "");
	CHECK_STR(qhl_lang(NULL), "");
}

TEST(token_classes)
{
	CHECK_STR(qtok_class(QTOK_TEXT), "");
	CHECK_STR(qtok_class(QTOK_KEYWORD), "kw");
	CHECK_STR(qtok_class(QTOK_STRING), "str");
	CHECK_STR(qtok_class(QTOK_COMMENT), "com");
	CHECK_STR(qtok_class(QTOK_NUMBER), "num");
	CHECK_STR(qtok_class(QTOK_NAME), "name");
	CHECK_STR(qtok_class(QTOK_DECORATOR), "dec");
	CHECK_STR(qtok_class(QTOK__COUNT), "");
}

TEST(empty_and_plain)
{
	qtoken *t = (qtoken *)1;
	CHECK_INT(qhighlight("python", "", 0, &t), 0);
	CHECK(t == NULL);
	CHECK_INT(qhighlight("rust", "fn main() {}", 12, &t), 1);
	CHECK_INT(t[0].kind, QTOK_TEXT);
	CHECK_INT(t[0].len, 12);
	free(t);
	CHECK_INT(qhighlight(NULL, "x", 1, &t), 1);
	free(t);
}

TEST(nul_crlf_invalid_utf8)
{
	static const char c[] = "x = 'a\0b' # c\xff\xfe\r\nprint(\"\xc3\xa9\xe2\x82\")\r\n";
	size_t n = sizeof c - 1;
	for (size_t l = 0; l < NLANGS; l++)
		CHECK_INT(tile(langs[l], c, n), 0);
	qtoken *t = NULL;
	size_t cnt = qhighlight("python", c, n, &t);
	int strings = 0, comments = 0;
	for (size_t k = 0; k < cnt; k++) {
		strings += t[k].kind == QTOK_STRING;
		comments += t[k].kind == QTOK_COMMENT
			    && memchr(c + t[k].off, '\r', t[k].len) == NULL;
	}
	free(t);
	CHECK_INT(strings, 2);
	CHECK_INT(comments, 1);   /* the comment stops before \r */
	/* NUL inside a shell word that starts like a keyword */
	static const char w[] = "do\0ne\nfor\0\0\0\0\0\0\0\0 in\0\0\0\0\0\0";
	for (size_t l = 0; l < NLANGS; l++)
		CHECK_INT(tile(langs[l], w, sizeof w - 1), 0);
}

/* A deterministic pseudo-random generator (xorshift). */
static uint32_t rnd_state = 2463534242u;
static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static void random_code(char *s, size_t n)
{
	static const char alpha[] = "\"'`#/*-@<>\\\n\r\t $(){}:;.=&|!0123456789"
				    "eExXdefclasSELECTforinpipEOFab_";
	static const char *const utf8[] = {"\xc3\xa9", "\xe2\x86\x92",
					   "\xf0\x9f\x91\x89", "\xff", "\xc3",
					   "\xef\xbf\xbf", "\x80"};
	for (size_t i = 0; i < n;) {
		uint32_t r = rnd() % 100;
		if (r < 8) {
			const char *u = utf8[rnd() % 7];
			for (; *u && i < n; u++)
				s[i++] = *u;
		} else if (r < 10) {
			s[i++] = '\0';
		} else {
			s[i++] = alpha[rnd() % (sizeof alpha - 1)];
		}
	}
}

TEST(random_input_tiles)
{
	char buf[400];
	for (int round = 0; round < 3000; round++) {
		size_t n = rnd() % sizeof buf;
		random_code(buf, n);
		for (size_t l = 0; l < NLANGS; l++) {
			int bad = tile(langs[l], buf, n);
			if (bad) {
				printf("# lang %s round %d fault %d\n", langs[l],
				       round, bad);
				CHECK(bad == 0);
			}
		}
	}
}

TEST(deterministic)
{
	char buf[2000];
	random_code(buf, sizeof buf);
	for (size_t l = 0; l < NLANGS; l++) {
		qtoken *a = NULL, *b = NULL;
		size_t na = qhighlight(langs[l], buf, sizeof buf, &a);
		size_t nb = qhighlight(langs[l], buf, sizeof buf, &b);
		CHECK(na == nb);
		for (size_t k = 0; k < na; k++)
			CHECK(a[k].kind == b[k].kind && a[k].off == b[k].off
			      && a[k].len == b[k].len);
		free(a);
		free(b);
	}
}

/* Time to tokenize (and check) n bytes, in seconds; -1 when the tokens
 * do not tile the input. */
static double timed_tile(const char *lang, const char *buf, size_t n)
{
	clock_t start = clock();
	int bad = tile(lang, buf, n);
	return bad ? -1 : (double)(clock() - start) / CLOCKS_PER_SEC;
}

/* Pathological inputs of 256 KB scan in linear time: each takes about a
 * millisecond (a second under valgrind), a quadratic scanner would need
 * minutes for one. */
TEST(linear_time_on_pathological_input)
{
	static const char *const units[] = {
		"\"", "'", "\\", "<<", "<<E\n", "@", "/*", "#", "a(", "'''",
		"\"\"\"", "-- ", "$'", "`", "<<-'X'\n", "u8", "0x", "\r", "1e",
		"\"\\", "def ", "for ", "#include <", "\xf0\x9f",
	};
	size_t n = 256 * 1024, nunits = sizeof units / sizeof units[0];
	char *buf = malloc(n);
	double worst = 0;
	for (size_t u = 0; u <= nunits; u++) {
		if (u == nunits) {
			random_code(buf, n);
		} else {
			size_t ul = strlen(units[u]);
			for (size_t i = 0; i < n; i++)
				buf[i] = units[u][i % ul];
		}
		for (size_t l = 0; l < NLANGS; l++) {
			double t = timed_tile(langs[l], buf, n);
			if (t < 0 || t > 10.0)
				printf("# input %zu lang %s: %.2f s\n", u, langs[l], t);
			if (t < 0 || t > worst)
				worst = t < 0 ? 99 : t;
		}
	}
	free(buf);
	printf("# %zu inputs of 256 KB x %zu languages, slowest %.3f s\n",
	       nunits + 1, NLANGS, worst);
	CHECK(worst <= 10.0);
}

int main(void)
{
	RUN(python_decorator_and_def);
	RUN(python_execute_line);
	RUN(python_strings);
	RUN(python_comments_numbers_names);
	RUN(shell_commands);
	RUN(shell_keywords_and_heredoc);
	RUN(sql_keywords_strings_comments);
	RUN(json_tokens);
	RUN(javascript_tokens);
	RUN(c_tokens);
	RUN(language_aliases);
	RUN(token_classes);
	RUN(empty_and_plain);
	RUN(nul_crlf_invalid_utf8);
	RUN(random_input_tiles);
	RUN(deterministic);
	RUN(linear_time_on_pathological_input);
	return testing_done();
}
