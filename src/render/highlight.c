/* highlight.c - the syntax highlighter (see highlight.h): one hand-written
 * linear scanner per language that cuts code into tokens.
 *
 * Every scanner works on a `scan`: it looks at the byte at sc->i, decides
 * how far the current token reaches and calls emit_to(), which appends a
 * token from sc->i to that end (merging it into the previous token when
 * the kind is the same) and moves sc->i there. So tokens tile the code
 * exactly, in order. Every step consumes at least one byte and no byte is
 * looked at more than a bounded number of times: the scan is linear.
 * Reads go through at(), which returns -1 past the end, so NUL bytes and
 * truncated input are ordinary bytes.
 *
 * Token boundaries only fall next to ASCII bytes (identifiers take every
 * byte >= 0x80, escapes skip a whole UTF-8 sequence), so a token never
 * splits a valid UTF-8 character and each can be escaped on its own.
 *
 * Strings that cannot span lines in their language (Python '...', C, JS
 * '...', JSON) end at the end of the line when unterminated; strings and
 * comments that may span lines (triple quotes, block comments, SQL and
 * shell quotes, JS templates) run to the end of the code.
 */
#include "highlight.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../util/arena.h"
#include "../util/utf8.h"

typedef struct scan {
	const unsigned char *s;
	size_t n, i;
	qtoken *v;
	size_t cnt, cap;
	bool want_name;  /* the next identifier is a defined name */
	bool cmd;        /* shell: the next word is a command word */
	int for_var;     /* shell: words since for/case/select (for `in`) */
	size_t hd_off, hd_len;  /* shell: pending heredoc delimiter */
	bool hd_pending, hd_strip;
} scan;

/* ---- token output ---------------------------------------------------- */

static int at(const scan *sc, size_t k)
{
	return k < sc->n ? sc->s[k] : -1;
}

static void push_token(scan *sc, qtok kind, size_t off, size_t len)
{
	if (sc->cnt == sc->cap) {
		sc->cap = sc->cap ? sc->cap * 2 : 64;
		sc->v = qxrealloc(sc->v, sc->cap * sizeof *sc->v);
	}
	sc->v[sc->cnt++] = (qtoken){kind, off, len};
}

/* A token of `kind` from sc->i to end (clamped to n), merged with the
 * previous token when it has the same kind. */
static void emit_to(scan *sc, qtok kind, size_t end)
{
	if (sc->i >= sc->n)
		return;
	if (end > sc->n)
		end = sc->n;
	if (end <= sc->i)
		end = sc->i + 1;   /* always progress */
	if (sc->cnt && sc->v[sc->cnt - 1].kind == kind)
		sc->v[sc->cnt - 1].len += end - sc->i;
	else
		push_token(sc, kind, sc->i, end - sc->i);
	sc->i = end;
}

/* ---- character classes and common spans ------------------------------ */

static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static bool is_ident_start(int c)
{
	return is_alpha(c) || c == '_' || c >= 0x80;
}
static bool is_ident(int c) { return is_ident_start(c) || is_digit(c); }
static bool is_blank(int c) { return c == ' ' || c == '\t'; }

/* Index after the character at k: a whole UTF-8 sequence when valid. */
static size_t char_end(const scan *sc, size_t k)
{
	if (k >= sc->n)
		return sc->n;
	size_t l = qutf8_seq_len(sc->s + k, sc->n - k);
	return k + (l ? l : 1);
}

/* First \n or \r at or after k, or n. */
static size_t line_end(const scan *sc, size_t k)
{
	while (k < sc->n && sc->s[k] != '\n' && sc->s[k] != '\r')
		k++;
	return k;
}

static size_t ident_end(const scan *sc, size_t k, bool dollar)
{
	while (is_ident(at(sc, k)) || (dollar && at(sc, k) == '$'))
		k++;
	return k;
}

static size_t digits_end(const scan *sc, size_t k)
{
	while (is_digit(at(sc, k)) || at(sc, k) == '_')
		k++;
	return k;
}

/* A number at k: 0x/0o/0b forms, digits with _, fraction, exponent, and
 * a letter suffix (j, L, n, f, u). */
static size_t number_end(const scan *sc, size_t k)
{
	int x = at(sc, k + 1) | 0x20;
	if (at(sc, k) == '0' && (x == 'x' || x == 'o' || x == 'b')) {
		for (k += 2; is_alpha(at(sc, k)) || is_digit(at(sc, k))
			     || at(sc, k) == '_';)
			k++;
		return k;
	}
	k = digits_end(sc, k);
	if (at(sc, k) == '.' && is_digit(at(sc, k + 1)))
		k = digits_end(sc, k + 1);
	if ((at(sc, k) | 0x20) == 'e') {
		size_t e = k + 1;
		if (at(sc, e) == '+' || at(sc, e) == '-')
			e++;
		if (is_digit(at(sc, e)))
			k = digits_end(sc, e);
	}
	while (is_alpha(at(sc, k)))
		k++;
	return k;
}

/* A quoted string whose opening quote is at q: ends after the closing
 * quote; a backslash escapes the next character when `esc`. Unterminated:
 * ends at the line end when !multiline, else at n. */
static size_t quoted_end(const scan *sc, size_t q, bool esc, bool multiline)
{
	int quote = sc->s[q];
	size_t k = q + 1;
	while (k < sc->n) {
		int c = sc->s[k];
		if (c == quote)
			return k + 1;
		if (!multiline && (c == '\n' || c == '\r'))
			return k;
		k = (esc && c == '\\') ? char_end(sc, k + 1) : k + 1;
	}
	return sc->n;
}

/* End of a block comment opened at k ("/" "*"), or n. */
static size_t block_comment_end(const scan *sc, size_t k)
{
	for (k += 2; k + 1 < sc->n; k++)
		if (sc->s[k] == '*' && sc->s[k + 1] == '/')
			return k + 2;
	return sc->n;
}

/* Only blanks between the previous newline (or the start) and k. */
static bool at_line_start(const scan *sc, size_t k)
{
	while (k > 0 && is_blank(sc->s[k - 1]))
		k--;
	return k == 0 || sc->s[k - 1] == '\n' || sc->s[k - 1] == '\r';
}

/* The first non-blank byte at or after k on the same line, or -1. */
static int next_nonblank(const scan *sc, size_t k)
{
	while (is_blank(at(sc, k)))
		k++;
	return at(sc, k);
}

/* ---- keyword lists --------------------------------------------------- */

static const char *const py_keywords[] = {
	"False", "None", "True", "and", "as", "assert", "async", "await",
	"break", "class", "continue", "def", "del", "elif", "else", "except",
	"finally", "for", "from", "global", "if", "import", "in", "is",
	"lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try",
	"while", "with", "yield", NULL};

static const char *const py_builtins[] = {
	"abs", "all", "any", "bool", "bytes", "callable", "classmethod",
	"dict", "enumerate", "filter", "float", "frozenset", "getattr",
	"hasattr", "int", "isinstance", "issubclass", "iter", "len", "list",
	"map", "max", "min", "next", "object", "open", "print", "property",
	"range", "repr", "reversed", "round", "set", "setattr", "sorted",
	"staticmethod", "str", "sum", "super", "tuple", "type", "zip", NULL};

static const char *const sql_keywords[] = {
	"add", "all", "alter", "and", "as", "asc", "autoincrement", "begin",
	"between", "bigint", "boolean", "by", "cascade", "case", "char",
	"check", "column", "commit", "constraint", "create", "cross",
	"database", "date", "decimal", "default", "delete", "desc",
	"distinct", "drop", "else", "end", "exists", "explain", "false",
	"float", "foreign", "from", "full", "group", "having", "if", "ilike",
	"in", "index", "inner", "insert", "int", "integer", "into", "is",
	"join", "key", "left", "like", "limit", "not", "null", "numeric",
	"offset", "on", "or", "order", "outer", "primary", "real",
	"references", "returning", "right", "rollback", "select", "serial",
	"set", "smallint", "table", "text", "then", "timestamp",
	"transaction", "trigger", "true", "truncate", "union", "unique",
	"update", "using", "values", "varchar", "view", "when", "where",
	"with", NULL};

static const char *const sh_keywords[] = {
	"case", "do", "done", "elif", "else", "esac", "fi", "for",
	"function", "if", "in", "select", "then", "time", "until", "while",
	NULL};

static const char *const js_keywords[] = {
	"async", "await", "break", "case", "catch", "class", "const",
	"continue", "debugger", "default", "delete", "do", "else", "export",
	"extends", "false", "finally", "for", "from", "function", "if",
	"import", "in", "instanceof", "let", "new", "null", "of", "return",
	"static", "super", "switch", "this", "throw", "true", "try",
	"typeof", "undefined", "var", "void", "while", "with", "yield",
	NULL};

static const char *const js_builtins[] = {
	"Array", "Boolean", "Date", "Error", "JSON", "Map", "Math",
	"Number", "Object", "Promise", "RegExp", "Set", "String", "Symbol",
	"console", "document", "module", "parseFloat", "parseInt",
	"process", "require", "window", NULL};

static const char *const c_keywords[] = {
	"NULL", "_Alignas", "_Alignof", "_Atomic", "_Bool", "_Noreturn",
	"_Static_assert", "_Thread_local", "auto", "bool", "break", "case",
	"char", "const", "continue", "default", "do", "double", "else",
	"enum", "extern", "false", "float", "for", "goto", "if", "inline",
	"int", "long", "register", "restrict", "return", "short", "signed",
	"sizeof", "static", "struct", "switch", "true", "typedef", "union",
	"unsigned", "void", "volatile", "while", NULL};

static bool word_eq(const char *kw, const unsigned char *w, size_t len,
		    bool fold)
{
	size_t k = 0;
	for (; k < len; k++) {
		int c = w[k];
		if (fold && c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (!kw[k] || c != (unsigned char)kw[k])
			return false;
	}
	return kw[k] == '\0';
}

/* Is the word at off..off+len in the NULL-terminated list? */
static bool in_list(const char *const *list, const scan *sc, size_t off,
		    size_t len, bool fold)
{
	if (len > 16)
		return false;
	for (; *list; list++)
		if (word_eq(*list, sc->s + off, len, fold))
			return true;
	return false;
}

static bool after_dot(const scan *sc)
{
	return sc->i > 0 && sc->s[sc->i - 1] == '.';
}

/* ---- Python ---------------------------------------------------------- */

/* A string starting at sc->i whose quote is at q (after a prefix). */
static void py_string(scan *sc, size_t q)
{
	int quote = sc->s[q];
	size_t k = q + 3;
	if (at(sc, q + 1) != quote || at(sc, q + 2) != quote) {
		emit_to(sc, QTOK_STRING, quoted_end(sc, q, true, false));
		return;
	}
	while (k < sc->n) {
		if (sc->s[k] == '\\') {
			k = char_end(sc, k + 1);
		} else if (sc->s[k] == quote && at(sc, k + 1) == quote
			   && at(sc, k + 2) == quote) {
			k += 3;
			break;
		} else {
			k++;
		}
	}
	emit_to(sc, QTOK_STRING, k);
}

static bool py_is_prefix(const scan *sc, size_t off, size_t len)
{
	if (len > 2)
		return false;
	for (size_t k = 0; k < len; k++)
		if (!memchr("rRbBfFuU", sc->s[off + k], 8))
			return false;
	return true;
}

/* A word in a language with defined names (def/class, function). */
static void named_word(scan *sc, size_t end, const char *const *kws,
		       const char *const *builtins, const char *def1,
		       const char *def2)
{
	size_t len = end - sc->i;
	const unsigned char *w = sc->s + sc->i;
	if (!after_dot(sc) && in_list(kws, sc, sc->i, len, false)) {
		sc->want_name = word_eq(def1, w, len, false)
				|| word_eq(def2, w, len, false);
		emit_to(sc, QTOK_KEYWORD, end);
		return;
	}
	bool name = sc->want_name || at(sc, end) == '('
		    || (!after_dot(sc) && in_list(builtins, sc, sc->i, len, false));
	sc->want_name = false;
	emit_to(sc, name ? QTOK_NAME : QTOK_TEXT, end);
}

static void py_decorator(scan *sc)
{
	size_t k = sc->i + 1;
	if (!is_ident_start(at(sc, k)) || !at_line_start(sc, sc->i)) {
		emit_to(sc, QTOK_TEXT, k);
		return;
	}
	while (is_ident(at(sc, k))
	       || (at(sc, k) == '.' && is_ident_start(at(sc, k + 1))))
		k++;
	emit_to(sc, QTOK_DECORATOR, k);
}

static void py_step(scan *sc)
{
	int c = sc->s[sc->i];
	if (is_ident_start(c)) {
		size_t end = ident_end(sc, sc->i, false);
		int q = at(sc, end);
		if ((q == '\'' || q == '"') && py_is_prefix(sc, sc->i, end - sc->i))
			py_string(sc, end);
		else
			named_word(sc, end, py_keywords, py_builtins, "def", "class");
		return;
	}
	if (!is_blank(c))
		sc->want_name = false;
	if (c == '#')
		emit_to(sc, QTOK_COMMENT, line_end(sc, sc->i));
	else if (c == '\'' || c == '"')
		py_string(sc, sc->i);
	else if (c == '@')
		py_decorator(sc);
	else if (is_digit(c) || (c == '.' && is_digit(at(sc, sc->i + 1))))
		emit_to(sc, QTOK_NUMBER, number_end(sc, sc->i));
	else
		emit_to(sc, QTOK_TEXT, sc->i + 1);
}

/* ---- SQL ------------------------------------------------------------- */

static void sql_step(scan *sc)
{
	int c = sc->s[sc->i], d = at(sc, sc->i + 1);
	if (c == '-' && d == '-') {
		emit_to(sc, QTOK_COMMENT, line_end(sc, sc->i));
	} else if (c == '/' && d == '*') {
		emit_to(sc, QTOK_COMMENT, block_comment_end(sc, sc->i));
	} else if (c == '\'' || c == '"') {
		/* '' inside a string closes and reopens it: merged by emit_to */
		emit_to(sc, QTOK_STRING, quoted_end(sc, sc->i, false, true));
	} else if (c == '$' && is_digit(d)) {
		emit_to(sc, QTOK_TEXT, digits_end(sc, sc->i + 1));  /* $1 */
	} else if (is_digit(c) || (c == '.' && is_digit(d))) {
		emit_to(sc, QTOK_NUMBER, number_end(sc, sc->i));
	} else if (is_ident_start(c)) {
		size_t end = ident_end(sc, sc->i, true);
		qtok kind = QTOK_TEXT;
		if (!after_dot(sc) && in_list(sql_keywords, sc, sc->i,
					      end - sc->i, true))
			kind = QTOK_KEYWORD;
		else if (at(sc, end) == '(')
			kind = QTOK_NAME;
		emit_to(sc, kind, end);
	} else {
		emit_to(sc, QTOK_TEXT, sc->i + 1);
	}
}

/* ---- shell ----------------------------------------------------------- */

static bool sh_word_char(int c)
{
	if (c < 0)
		return false;
	return !memchr(" \t\r\n;|&()<>'\"`\\", c, 15);
}

static size_t sh_word_end(const scan *sc, size_t k)
{
	while (sh_word_char(at(sc, k)))
		k++;
	return k;
}

/* `<<DELIM`, `<<-DELIM`, `<<'DELIM'`, `<<"DELIM"`: remember the delimiter
 * and write the operator as text; the body follows the line's end. */
static void sh_heredoc_start(scan *sc)
{
	size_t k = sc->i + 2, d0, d1;
	bool strip = at(sc, k) == '-';
	k += strip;
	while (is_blank(at(sc, k)))
		k++;
	int q = at(sc, k);
	if (q == '\'' || q == '"') {
		d0 = k + 1;
		d1 = d0;
		while (at(sc, d1) >= 0 && at(sc, d1) != q && at(sc, d1) != '\n')
			d1++;
		if (at(sc, d1) != q)
			d1 = d0;   /* unterminated: not a heredoc */
		k = d1 + 1;
	} else {
		d0 = k;
		d1 = k = sh_word_end(sc, k);
	}
	if (d1 == d0 || sc->hd_pending) {
		emit_to(sc, QTOK_TEXT, sc->i + 2);
		return;
	}
	sc->hd_off = d0;
	sc->hd_len = d1 - d0;
	sc->hd_strip = strip;
	sc->hd_pending = true;
	emit_to(sc, QTOK_TEXT, k);
}

/* Does the line at k..e hold the pending delimiter? */
static bool sh_is_delim_line(const scan *sc, size_t k, size_t e)
{
	while (sc->hd_strip && k < e && sc->s[k] == '\t')
		k++;
	if (e > k && sc->s[e - 1] == '\r')
		e--;
	return e - k == sc->hd_len
	       && memcmp(sc->s + k, sc->s + sc->hd_off, sc->hd_len) == 0;
}

/* At the start of the line after `<<DELIM`: the body and the delimiter
 * line are one string (to the end when the delimiter never comes). */
static void sh_heredoc_body(scan *sc)
{
	size_t k = sc->i;
	sc->hd_pending = false;
	while (k < sc->n) {
		const unsigned char *nl = memchr(sc->s + k, '\n', sc->n - k);
		size_t e = nl ? (size_t)(nl - sc->s) : sc->n;
		if (sh_is_delim_line(sc, k, e)) {
			k = e;
			break;
		}
		k = nl ? e + 1 : sc->n;
	}
	if (k > sc->i)
		emit_to(sc, QTOK_STRING, k);
}

static void sh_word(scan *sc, size_t end)
{
	size_t len = end - sc->i;
	const unsigned char *w = sc->s + sc->i;
	bool in = sc->for_var == 1 && word_eq("in", w, len, false);
	if (sc->for_var)
		sc->for_var--;
	if (in || (sc->cmd && in_list(sh_keywords, sc, sc->i, len, false))) {
		bool var = word_eq("for", w, len, false) || word_eq("case", w, len, false)
			   || word_eq("select", w, len, false);
		sc->for_var = var ? 2 : 0;
		sc->cmd = !var && !word_eq("function", w, len, false) && !in;
		emit_to(sc, QTOK_KEYWORD, end);
	} else if (sc->cmd && memchr(w, '=', len) && w[0] != '=') {
		emit_to(sc, QTOK_TEXT, end);   /* VAR=value before a command */
	} else if (sc->cmd) {
		sc->cmd = word_eq("sudo", w, len, false) || word_eq("nohup", w, len, false)
			  || word_eq("exec", w, len, false);
		emit_to(sc, QTOK_NAME, end);
	} else {
		size_t k = sc->i;
		while (k < end && (is_digit(sc->s[k]) || sc->s[k] == '.'))
			k++;
		emit_to(sc, k == end && is_digit(w[0]) ? QTOK_NUMBER : QTOK_TEXT, end);
	}
}

/* Operators, separators and escapes; returns false for other bytes. */
static bool sh_punct(scan *sc, int c, int d)
{
	if (c == '\\') {
		emit_to(sc, QTOK_TEXT, char_end(sc, sc->i + 1));
	} else if (c == '<' && d == '<' && at(sc, sc->i + 2) != '<') {
		sh_heredoc_start(sc);
	} else if (c == '&' && sc->i > 0 && (sc->s[sc->i - 1] == '>'
					      || sc->s[sc->i - 1] == '<')) {
		emit_to(sc, QTOK_TEXT, sc->i + 1);   /* 2>&1 */
	} else if (c == ';' || c == '|' || c == '&' || c == '(' || c == '`'
		   || (c == '!' && is_blank(d))) {
		sc->cmd = true;
		emit_to(sc, QTOK_TEXT, sc->i + 1);
	} else if (c == '$' && d == '(') {
		sc->cmd = true;
		emit_to(sc, QTOK_TEXT, sc->i + 2);
	} else if (c == '$' && d == ' ' && at_line_start(sc, sc->i)) {
		sc->cmd = true;   /* a prompt: "$ pip install ..." */
		emit_to(sc, QTOK_TEXT, sc->i + 2);
	} else {
		return false;
	}
	return true;
}

static void sh_step(scan *sc)
{
	int c = sc->s[sc->i], d = at(sc, sc->i + 1);
	if (c == '\n') {
		sc->cmd = true;
		sc->for_var = 0;
		emit_to(sc, QTOK_TEXT, sc->i + 1);
		if (sc->hd_pending)
			sh_heredoc_body(sc);
	} else if (is_blank(c) || c == '\r') {
		emit_to(sc, QTOK_TEXT, sc->i + 1);
	} else if (c == '#' && (sc->i == 0 || !sh_word_char(sc->s[sc->i - 1]))) {
		emit_to(sc, QTOK_COMMENT, line_end(sc, sc->i));
	} else if (c == '\'' || c == '"') {
		sc->cmd = false;
		emit_to(sc, QTOK_STRING, quoted_end(sc, sc->i, c == '"', true));
	} else if (c == '$' && d == '\'') {
		sc->cmd = false;
		emit_to(sc, QTOK_STRING, quoted_end(sc, sc->i + 1, true, true));
	} else if (!sh_punct(sc, c, d)) {
		if (sh_word_char(c))
			sh_word(sc, sh_word_end(sc, sc->i));
		else
			emit_to(sc, QTOK_TEXT, sc->i + 1);
	}
}

/* ---- JSON ------------------------------------------------------------ */

static bool slash_comment(scan *sc, int c, int d)
{
	if (c == '/' && d == '/')
		emit_to(sc, QTOK_COMMENT, line_end(sc, sc->i));
	else if (c == '/' && d == '*')
		emit_to(sc, QTOK_COMMENT, block_comment_end(sc, sc->i));
	else
		return false;
	return true;
}

static void json_step(scan *sc)
{
	int c = sc->s[sc->i], d = at(sc, sc->i + 1);
	if (slash_comment(sc, c, d))
		return;
	if (c == '"' || c == '\'') {
		size_t end = quoted_end(sc, sc->i, true, false);
		bool key = next_nonblank(sc, end) == ':';
		emit_to(sc, key ? QTOK_NAME : QTOK_STRING, end);
	} else if (is_digit(c) || (c == '-' && is_digit(d))) {
		emit_to(sc, QTOK_NUMBER, number_end(sc, sc->i + (c == '-')));
	} else if (is_ident_start(c)) {
		size_t end = ident_end(sc, sc->i, true);
		size_t len = end - sc->i;
		bool kw = word_eq("true", sc->s + sc->i, len, false)
			  || word_eq("false", sc->s + sc->i, len, false)
			  || word_eq("null", sc->s + sc->i, len, false);
		emit_to(sc, kw ? QTOK_KEYWORD : QTOK_TEXT, end);
	} else {
		emit_to(sc, QTOK_TEXT, sc->i + 1);
	}
}

/* ---- JavaScript ------------------------------------------------------ */

static void js_step(scan *sc)
{
	int c = sc->s[sc->i], d = at(sc, sc->i + 1);
	if (is_ident_start(c) || c == '$') {
		named_word(sc, ident_end(sc, sc->i, true), js_keywords,
			   js_builtins, "function", "class");
		return;
	}
	if (!is_blank(c))
		sc->want_name = false;
	if (slash_comment(sc, c, d))
		return;
	if (c == '\'' || c == '"')
		emit_to(sc, QTOK_STRING, quoted_end(sc, sc->i, true, false));
	else if (c == '`')
		emit_to(sc, QTOK_STRING, quoted_end(sc, sc->i, true, true));
	else if (c == '@')
		py_decorator(sc);
	else if (is_digit(c) || (c == '.' && is_digit(d)))
		emit_to(sc, QTOK_NUMBER, number_end(sc, sc->i));
	else
		emit_to(sc, QTOK_TEXT, sc->i + 1);
}

/* ---- C --------------------------------------------------------------- */

/* `#include <x.h>`, `# define`: the directive is a keyword, an include
 * target a string. */
static void c_directive(scan *sc)
{
	size_t k = sc->i + 1;
	while (is_blank(at(sc, k)))
		k++;
	size_t end = ident_end(sc, k, false);
	bool include = end - k == 7 && memcmp(sc->s + k, "include", 7) == 0;
	emit_to(sc, QTOK_KEYWORD, end);
	while (is_blank(at(sc, sc->i)))
		emit_to(sc, QTOK_TEXT, sc->i + 1);
	if (include && at(sc, sc->i) == '<') {
		size_t e = sc->i + 1;
		while (at(sc, e) >= 0 && at(sc, e) != '>' && at(sc, e) != '\n')
			e++;
		emit_to(sc, QTOK_STRING, at(sc, e) == '>' ? e + 1 : e);
	}
}

static void c_word(scan *sc)
{
	size_t end = ident_end(sc, sc->i, false), len = end - sc->i;
	int q = at(sc, end);
	bool prefix = len <= 2 && (q == '"' || q == '\'')
		      && (word_eq("L", sc->s + sc->i, len, false)
			  || word_eq("u", sc->s + sc->i, len, false)
			  || word_eq("U", sc->s + sc->i, len, false)
			  || word_eq("u8", sc->s + sc->i, len, false));
	if (prefix)
		emit_to(sc, QTOK_STRING, quoted_end(sc, end, true, false));
	else if (!after_dot(sc) && in_list(c_keywords, sc, sc->i, len, false))
		emit_to(sc, QTOK_KEYWORD, end);
	else
		emit_to(sc, q == '(' ? QTOK_NAME : QTOK_TEXT, end);
}

static void c_step(scan *sc)
{
	int c = sc->s[sc->i], d = at(sc, sc->i + 1);
	if (slash_comment(sc, c, d))
		return;
	if (c == '#' && at_line_start(sc, sc->i))
		c_directive(sc);
	else if (c == '\'' || c == '"')
		emit_to(sc, QTOK_STRING, quoted_end(sc, sc->i, true, false));
	else if (is_digit(c) || (c == '.' && is_digit(d)))
		emit_to(sc, QTOK_NUMBER, number_end(sc, sc->i));
	else if (is_ident_start(c))
		c_word(sc);
	else
		emit_to(sc, QTOK_TEXT, sc->i + 1);
}

/* ---- public ---------------------------------------------------------- */

typedef struct lang_alias {
	const char *alias, *lang;
} lang_alias;

static const lang_alias aliases[] = {
	{"python", "python"}, {"py", "python"}, {"python3", "python"},
	{"py3", "python"}, {"python2", "python"}, {"ipython", "python"},
	{"pycon", "python"}, {"sql", "sql"}, {"postgres", "sql"},
	{"postgresql", "sql"}, {"psql", "sql"}, {"mysql", "sql"},
	{"sqlite", "sql"}, {"sqlite3", "sql"}, {"plpgsql", "sql"},
	{"shell", "shell"}, {"sh", "shell"}, {"bash", "shell"},
	{"zsh", "shell"}, {"console", "shell"}, {"shell-session", "shell"},
	{"shellsession", "shell"}, {"terminal", "shell"}, {"ksh", "shell"},
	{"json", "json"}, {"jsonc", "json"}, {"json5", "json"},
	{"javascript", "javascript"}, {"js", "javascript"},
	{"node", "javascript"}, {"nodejs", "javascript"},
	{"jsx", "javascript"}, {"mjs", "javascript"}, {"cjs", "javascript"},
	{"typescript", "javascript"}, {"ts", "javascript"},
	{"c", "c"}, {"h", "c"},
};

const char *qhl_lang(const char *lang)
{
	if (!lang)
		return "";
	size_t len = strlen(lang);
	for (size_t k = 0; k < sizeof aliases / sizeof aliases[0]; k++)
		if (word_eq(aliases[k].alias, (const unsigned char *)lang, len,
			    true))
			return aliases[k].lang;
	return "";
}

const char *qtok_class(qtok kind)
{
	static const char *const names[QTOK__COUNT] = {
		[QTOK_TEXT] = "", [QTOK_KEYWORD] = "kw", [QTOK_STRING] = "str",
		[QTOK_COMMENT] = "com", [QTOK_NUMBER] = "num",
		[QTOK_NAME] = "name", [QTOK_DECORATOR] = "dec",
	};
	return ((int)kind >= 0 && (int)kind < QTOK__COUNT) ? names[kind] : "";
}

size_t qhighlight(const char *lang, const char *code, size_t n, qtoken **toks)
{
	static const struct {
		const char *name;
		void (*step)(scan *);
	} steps[] = {
		{"python", py_step}, {"sql", sql_step}, {"shell", sh_step},
		{"json", json_step}, {"javascript", js_step}, {"c", c_step},
	};
	scan sc = {.s = (const unsigned char *)code, .n = code ? n : 0,
		   .cmd = true};
	const char *l = qhl_lang(lang);
	void (*step)(scan *) = NULL;
	for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++)
		if (strcmp(steps[k].name, l) == 0)
			step = steps[k].step;
	while (sc.i < sc.n) {
		if (step)
			step(&sc);
		else
			emit_to(&sc, QTOK_TEXT, sc.n);
	}
	*toks = sc.v;
	return sc.cnt;
}
