/* code.c - evidence that a line of notes is code, and language votes.
 *
 * The rules are the dialect's (notes-dialect.md section 4): Python
 * statements, assignments and calls, SQL keywords with SQL structure,
 * shell commands, JSON and lone brackets are code; a line with an arrow
 * outside a comment (`os → file system operations`) is prose.
 */
#include "code.h"

#include <string.h>

#include "../util/find.h"

static bool is_id_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_id(char c)
{
	return is_id_start(c) || (c >= '0' && c <= '9');
}

bool qcode_starts(const char *s, size_t n, const char *p)
{
	if (!n || s[0] != p[0])   /* most tries end here, without strlen */
		return !p[0];
	size_t l = strlen(p);
	return n >= l && memcmp(s, p, l) == 0;
}


static size_t rtrim(const char *s, size_t n)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n;
}

/* Length of a dotted identifier at s (a.b.c), 0 if none. */
static size_t dotted_id(const char *s, size_t n)
{
	size_t i = 0;
	if (!n || !is_id_start(s[0]))
		return 0;
	while (i < n && (is_id(s[i]) || (s[i] == '.' && i + 1 < n && is_id_start(s[i + 1]))))
		i++;
	return i;
}

static size_t skip_sp(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* A line as Python reads its quotes: where a `#` comment starts (outside
 * quotes), or n; *open (when not NULL) says whether a quote is left open
 * at its end, with no comment and no triple quote on the line. */
static size_t scan_quotes(const char *s, size_t n, bool *open)
{
	if (open)
		*open = false;
	if (!open && !memchr(s, '#', n))
		return n;
	char q = 0;
	bool triple = false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (q) {
			if (c == '\\')
				i++;
			else if (c == q)
				q = 0;
		} else if (c == '"' || c == '\'') {
			triple |= i + 2 < n && s[i + 1] == c && s[i + 2] == c;
			q = c;
		} else if (c == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t')) {
			return i;
		}
	}
	if (open)
		*open = q && !triple;
	return n;
}

/* Where a Python-style `#` comment starts (outside quotes), or n. */
static size_t comment_start(const char *s, size_t n)
{
	return scan_quotes(s, n, NULL);
}

/* An arrow (→ ⇒ ↔ ← ⟶) in the text before any comment. */
static bool arrow_outside_comment(const char *s, size_t n)
{
	size_t end = comment_start(s, n);
	for (size_t i = 0; i + 2 < end; i++) {
		const unsigned char *u = (const unsigned char *)s + i;
		if (u[0] == 0xE2 && ((u[1] == 0x86 && u[2] >= 0x90 && u[2] <= 0x9F)
				     || (u[1] == 0x87 && u[2] >= 0x90 && u[2] <= 0x9F)
				     || (u[1] == 0x9F && u[2] == 0xB6)))
			return true;
	}
	return false;
}

/* Do the brackets of s[open..n) close at the end of the code part? */
static bool balanced_to_end(const char *s, size_t n, size_t open)
{
	size_t end = rtrim(s, comment_start(s, n));
	while (end && (s[end - 1] == ';' || s[end - 1] == ','))
		end--;
	int depth = 0;
	char q = 0;
	for (size_t i = open; i < end; i++) {
		char c = s[i];
		if (q) {
			if (c == '\\')
				i++;
			else if (c == q)
				q = 0;
			continue;
		}
		if (c == '"' || c == '\'')
			q = c;
		else if (c == '(' || c == '[' || c == '{')
			depth++;
		else if (c == ')' || c == ']' || c == '}') {
			if (--depth == 0 && i + 1 != end)
				return false;
			if (depth < 0)
				return false;
		}
	}
	return depth == 0 && end > open;
}

static bool is_decorator(const char *s, size_t n)
{
	if (!n || s[0] != '@')
		return false;
	size_t i = 1 + dotted_id(s + 1, n - 1);
	if (i == 1)
		return false;
	i = skip_sp(s, n, i);
	return i == rtrim(s, n) || (s[i] == '(' && balanced_to_end(s, n, i));
}

static bool is_import(const char *s, size_t n)
{
	n = rtrim(s, comment_start(s, n));
	if (qcode_starts(s, n, "import ")) {
		for (size_t i = 7; i < n; i++)
			if (!is_id(s[i]) && !strchr(" ,.", s[i]))
				return false;
		return n > 7;
	}
	if (!qcode_starts(s, n, "from "))
		return false;
	size_t i = skip_sp(s, n, 5);
	while (i < n && s[i] == '.')
		i++;
	i += dotted_id(s + i, n - i);
	i = skip_sp(s, n, i);
	return qcode_starts(s + i, n - i, "import ");
}

static const char *const block_kw[] = {
	"if ", "elif ", "else", "for ", "while ", "with ", "try", "except",
	"finally", "async with ", "async for ", "match ", "case ", NULL,
};

/* Does s[0..end) hold ` in ` (a for loop's, `for ext filesystems:` has
 * none: prose before a list)? */
static bool holds_in(const char *s, size_t end)
{
	for (size_t k = 0; k + 4 <= end; k++)
		if (s[k] == ' ' && s[k + 1] == 'i' && s[k + 2] == 'n' && s[k + 3] == ' ')
			return true;
	return false;
}

/* `if x:`, `for a in b:`, `try:` ... ending with ':'. */
static bool is_block_statement(const char *s, size_t n)
{
	size_t end = rtrim(s, comment_start(s, n));
	if (!end || s[end - 1] != ':')
		return false;
	for (int i = 0; block_kw[i]; i++) {
		if (!qcode_starts(s, end, block_kw[i]))
			continue;
		size_t l = strlen(block_kw[i]);
		if (strstr(block_kw[i], "for ") && !holds_in(s, end))
			return false;
		if (block_kw[i][l - 1] == ' ' || end == l + 1 || s[l] == ' ' || s[l] == ':')
			return true;
	}
	return false;
}

static const char *const simple_kw[] = {
	"return", "yield", "raise", "await", "pass", "break", "continue",
	"del ", "assert ", "global ", "nonlocal ", NULL,
};

static bool is_simple_statement(const char *s, size_t n)
{
	n = rtrim(s, n);
	for (int i = 0; simple_kw[i]; i++) {
		if (!qcode_starts(s, n, simple_kw[i]))
			continue;
		size_t l = strlen(simple_kw[i]);
		if (n == l || s[l] == ' ' || s[l] == '(')
			return n == l || s[n - 1] != '.' || s[l] == '(';
	}
	return false;
}

static bool is_def(const char *s, size_t n)
{
	size_t i = 0;
	if (qcode_starts(s, n, "async def "))
		i = 10;
	else if (qcode_starts(s, n, "def "))
		i = 4;
	else if (qcode_starts(s, n, "class "))
		i = 6;
	else
		return false;
	size_t id = dotted_id(s + i, n - i);
	if (!id)
		return false;
	i = skip_sp(s, n, i + id);
	return i < n && (s[i] == '(' || s[i] == ':');
}

static bool is_binary_op_start(const char *s, size_t n)
{
	static const char *const ops[] = {"+", "-", "*", "/", "%", "==", "!=",
		"<", ">", "and ", "or ", "|", "&", "**", "//", NULL};
	for (int i = 0; ops[i]; i++)
		if (qcode_starts(s, n, ops[i]))
			return true;
	return false;
}

/* The right side of an assignment looks like an expression. */
static bool code_like_rhs(const char *s, size_t n)
{
	n = rtrim(s, n);
	if (!n)
		return false;
	if (strchr("\"'[{(0123456789-", s[0]))
		return true;
	if (qcode_starts(s, n, "lambda") || qcode_starts(s, n, "not ") || qcode_starts(s, n, "await ")
	    || qcode_starts(s, n, "f\"") || qcode_starts(s, n, "r\"") || qcode_starts(s, n, "b\"")
	    || qcode_starts(s, n, "f'") || qcode_starts(s, n, "None") || qcode_starts(s, n, "True")
	    || qcode_starts(s, n, "False"))
		return true;
	size_t id = dotted_id(s, n);
	if (!id)
		return false;
	if (id == n || strchr("([.,)", s[id]))
		return true;
	size_t j = skip_sp(s, n, id);
	return j == n || s[j] == '#' || is_binary_op_start(s + j, n - j);
}

/* Does a line leave a quote open at its end (outside comments, no
 * triple quote)? `Stockholders' Equity`: an apostrophe of prose, since
 * a line of code closes its strings. */
static bool leaves_quote_open(const char *s, size_t n)
{
	bool open;
	scan_quotes(s, n, &open);
	return open;
}

static bool is_assignment(const char *s, size_t n)
{
	size_t i = dotted_id(s, n);
	if (!i)
		return false;
	while (i < n && s[i] == '[') {   /* x["key"] = ... */
		const char *close = memchr(s + i, ']', n - i);
		if (!close)
			return false;
		i = (size_t)(close - s) + 1;
	}
	i = skip_sp(s, n, i);
	while (i < n && s[i] == ',') {   /* a, b = ... */
		i = skip_sp(s, n, i + 1);
		size_t id = dotted_id(s + i, n - i);
		if (!id)
			return false;
		i = skip_sp(s, n, i + id);
	}
	if (i < n && s[i] == ':') {      /* x: int = ... */
		size_t j = i + 1;
		while (j < n && s[j] != '=' && (is_id(s[j]) || strchr(" [],.|", s[j])))
			j++;
		if (j >= n || s[j] != '=')
			return false;
		i = j;
	}
	if (i < n && strchr("+-*/%|&", s[i]) && i + 1 < n && s[i + 1] == '=')
		i++;
	if (i >= n || s[i] != '=' || (i + 1 < n && s[i + 1] == '='))
		return false;
	i = skip_sp(s, n, i + 1);
	return code_like_rhs(s + i, n - i) && !leaves_quote_open(s + i, n - i);
}

static bool is_call_line(const char *s, size_t n)
{
	size_t i = dotted_id(s, n);
	if (!i || i >= n || (i == 1 && s[0] == '_') || (i == 2 && s[0] == '_' && s[1] == '_'))
		return false;   /* `_(` is emphasis around a parenthesis */
	while (i < n && s[i] == '[') {
		const char *close = memchr(s + i, ']', n - i);
		if (!close)
			return false;
		i = (size_t)(close - s) + 1;
	}
	return i < n && s[i] == '(' && balanced_to_end(s, n, i);
}

typedef struct word {
	const char *w;
	size_t n;
} word;
#define W(x) {x, sizeof x - 1}

static const word sql_start[] = {
	W("SELECT"), W("INSERT"), W("UPDATE"), W("DELETE"), W("CREATE"),
	W("DROP"), W("ALTER"), W("WITH"), W("FROM"), W("WHERE"), W("JOIN"),
	W("LEFT"), W("RIGHT"), W("INNER"), W("ORDER"), W("GROUP"), W("HAVING"),
	W("LIMIT"), W("VALUES"), W("BEGIN"), W("COMMIT"), W("ROLLBACK"),
	W("EXPLAIN"), W("GRANT"), W("TRUNCATE"), W("SET"), W("UNION"), {0, 0},
};

static const word sql_struct[] = {
	W("FROM"), W("INTO"), W("SET"), W("TABLE"), W("VALUES"), W("WHERE"),
	W("JOIN"), W("BY"), W("ON"), W("AS"), W("INDEX"), W("AND"), W("IN"),
	W("NOT"), {0, 0},
};

/* An upper-case SQL word at s that ends at a word boundary. */
static bool sql_word_at(const char *s, size_t n, const word *words)
{
	if (!n || s[0] < 'A' || s[0] > 'Z')
		return false;
	for (int i = 0; words[i].w; i++) {
		size_t l = words[i].n;
		if (n >= l && s[0] == words[i].w[0] && memcmp(s, words[i].w, l) == 0
		    && (n == l || !is_id(s[l])))
			return true;
	}
	return false;
}

/* 2: an SQL statement, 1: starts like SQL, 0: no. */
static int sql_level(const char *s, size_t n)
{
	if (!sql_word_at(s, n, sql_start))
		return 0;
	n = rtrim(s, n);
	if (n && s[n - 1] == ';')
		return 2;
	for (size_t i = 1; i < n; i++)
		if (s[i] >= 'A' && s[i] <= 'Z' && !is_id(s[i - 1])
		    && sql_word_at(s + i, n - i, sql_struct))
			return 2;
	return 1;
}

static const char *const shell_cmds[] = {
	"pip", "pip3", "python", "python3", "uvicorn", "gunicorn", "docker",
	"docker-compose", "kubectl", "git", "npm", "npx", "yarn", "curl",
	"wget", "alembic", "celery", "pytest", "poetry", "pipenv", "apt",
	"apt-get", "sudo", "cd", "ls", "mkdir", "export", "source", "make",
	"brew", "conda", "virtualenv", "redis-cli", "psql", "mysql", "openssl",
	"ssh", "chmod", "cp", "mv", "rm", "cat", "echo", "helm", "hypercorn",
	"mypy", "black", "flake8", "ruff", "tox", "coverage", NULL,
};

static const char *const stop_words[] = {
	"is", "are", "was", "the", "a", "an", "to", "for", "and", "or", "with",
	"of", "in", "on", "as", "by", "it", "can", "will", "that", "vs", NULL,
};

static bool is_shell(const char *s, size_t n)
{
	n = rtrim(s, n);
	if (qcode_starts(s, n, "$ ") && n > 2)
		return s[n - 1] != '$';   /* `$ x = \frac{1}{2}$` is a formula */
	if (!n || s[0] < 'a' || s[0] > 'z')
		return false;   /* commands are lower case */
	size_t w = 0;
	while (w < n && s[w] != ' ')
		w++;
	bool known = false;
	for (int i = 0; shell_cmds[i] && !known; i++)
		known = shell_cmds[i][0] == s[0] && strlen(shell_cmds[i]) == w
			&& memcmp(s, shell_cmds[i], w) == 0;
	if (!known || w + 1 >= n)
		return false;
	size_t a = skip_sp(s, n, w);
	size_t e = a;
	while (e < n && s[e] != ' ')
		e++;
	for (int i = 0; stop_words[i]; i++)
		if (e > a && stop_words[i][0] == s[a] && strlen(stop_words[i]) == e - a
		    && memcmp(s + a, stop_words[i], e - a) == 0)
			return false;
	bool flag = qmemmem(s, n, " -", 2) != NULL;
	return flag || s[n - 1] != '.';
}

/* Does s open with a note app's page link, `[[page]]` or
 * `[[1716-note|Son continuas en X = [0,1)]]` (no comma, quote or bracket
 * in the page's name, as a nested array's `[[1, 2]]` has; its label
 * after `|` runs to `]]`)? */
static bool wiki_link_at(const char *s, size_t n)
{
	if (n < 5 || s[0] != '[' || s[1] != '[')
		return false;
	size_t i = 2;
	while (i < n && !strchr(",\"'[]|", s[i]))
		i++;
	if (i == 2 || i >= n)
		return false;
	if (s[i] == '|')
		return qmemmem(s + i, n - i, "]]", 2) != NULL;
	return i + 1 < n && s[i] == ']' && s[i + 1] == ']';
}

/* A JSON or Python literal: `{"a": 1}`, `[1, 2]`, `[` opening one. A
 * bracketed word or phrase (`[foo]`, `[foo][bar]`, `[text](url)`) is a
 * Markdown link, not a literal. */
static bool is_literal_line(const char *s, size_t n)
{
	n = rtrim(s, comment_start(s, n));
	if (!n || (s[0] != '{' && s[0] != '['))
		return false;
	char last = s[n - 1];
	if (s[0] == '[' && n > 1) {
		if (qmemmem(s, n, "](", 2) || wiki_link_at(s, n))
			return false;
		bool data = false;   /* inside the first brackets */
		int depth = 0;
		for (size_t i = 0; i < n && !data; i++) {
			depth += s[i] == '[' ? 1 : s[i] == ']' ? -1 : 0;
			if (depth == 0)
				break;
			data = strchr(",:\"'", s[i]) != NULL || (s[i] >= '0' && s[i] <= '9');
		}
		if (!data && last != '[' && last != '{')
			return false;
	}
	return strchr("}],{[", last) || qmemmem(s, n, "\":", 2);
}

static bool is_c_or_js(const char *s, size_t n)
{
	static const char *const p[] = {"#include <", "#include \"", "int main(",
		"const ", "let ", "var ", "function ", "console.log(",
		"printf(", "export default ", NULL};
	for (int i = 0; p[i]; i++) {
		if (!qcode_starts(s, n, p[i]))
			continue;
		size_t l = strlen(p[i]);
		if (p[i][l - 1] != ' ')
			return true;
		size_t id = dotted_id(s + l, n - l);   /* const name = / function name( */
		if (!id)
			continue;
		size_t j = skip_sp(s, n, l + id);
		if (j < n && (s[j] == '=' || s[j] == '('))
			return true;
	}
	return false;
}

static bool is_lone_closer(const char *s, size_t n)
{
	n = rtrim(s, n);
	if (!n)
		return false;
	if (qcode_starts(s, n, "\"\"\"") || qcode_starts(s, n, "'''"))
		return true;
	for (size_t i = 0; i < n; i++)
		if (!strchr(")]};,:", s[i]))
			return false;
	return true;
}

static bool is_weak(const char *s, size_t n)
{
	size_t t = rtrim(s, n);
	if (!t)
		return false;
	if (is_lone_closer(s, t) || (s[0] == '.' && t > 1 && is_id_start(s[1])))
		return true;
	if (qcode_starts(s, t, "# ") || qcode_starts(s, t, "// ") || qcode_starts(s, t, "-- "))
		return true;
	if (s[0] == '"' && qmemmem(s, t, "\":", 2))
		return true;
	if (sql_level(s, t) == 1)
		return true;
	char last = s[t - 1];
	return (last == '(' || last == '[' || last == '{' || last == '\\')
	    && !memchr(s, ' ', t);
}

/* Characters that code has and prose seldom does. */
static bool code_punct(unsigned char c)
{
	return c == '=' || c == '(' || c == ')' || c == '[' || c == ']' || c == '{'
	    || c == '}' || c == '@' || c == ';' || c == '$' || c == '`';
}

/* A quick look: prose that starts with a capitalised word followed by a
 * lower-case word, without any code punctuation, is not code. */
static bool could_be_code(const char *s, size_t n)
{
	if (s[0] < 'A' || s[0] > 'Z' || n < 2 || (s[1] >= 'A' && s[1] <= 'Z'))
		return true;
	size_t i = 1;
	while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || s[i] == '\''))
		i++;
	if (i >= n || s[i] != ' ' || i + 1 >= n || s[i + 1] < 'a' || s[i + 1] > 'z')
		return true;
	for (size_t k = i; k < n; k++)
		if (code_punct((unsigned char)s[k]))
			return true;
	return false;
}

/* Code never ends with a full stop: `x = 1.` is prose ("..." is not). */
static bool ends_like_sentence(const char *s, size_t n)
{
	size_t end = rtrim(s, comment_start(s, n));
	if (end < 2 || s[end - 1] != '.' || s[end - 2] == '.')
		return false;
	return memchr(s, ' ', end) != NULL;
}

/* Which kinds of code the line looks like (QT_* bits), all tests once. */
unsigned qcode_traits(const char *s, size_t n)
{
	n = rtrim(s, n);
	if (!n || !could_be_code(s, n))
		return 0;
	if (arrow_outside_comment(s, n))
		return QT_PROSE;
	unsigned t = 0;
	if (is_shell(s, n))
		t |= QT_SHELL;
	if (!t && ends_like_sentence(s, n))
		return QT_PROSE;
	if (is_def(s, n) || is_import(s, n) || is_decorator(s, n)
	    || is_block_statement(s, n) || is_simple_statement(s, n))
		t |= QT_PY_STRONG;
	if (qmemmem(s, n, "self.", 5) || qcode_starts(s, n, "print("))
		t |= QT_PY_STRONG;
	if (is_assignment(s, n) || is_call_line(s, n))
		t |= QT_PY_WEAK;
	int sql = sql_level(s, n);
	t |= sql == 2 ? QT_SQL : sql == 1 ? QT_SQL_START : 0;
	if (is_literal_line(s, n))
		t |= QT_LITERAL;
	if (s[0] == '"' && qmemmem(s, n, "\":", 2))
		t |= QT_JSON_KEY;
	if (is_c_or_js(s, n))
		t |= (qcode_starts(s, n, "#include") || qcode_starts(s, n, "int main") || qcode_starts(s, n, "printf"))
		     ? QT_C : QT_JS;
	if (is_weak(s, n))
		t |= QT_WEAK;
	return t;
}

qcode_ev qcode_evidence_of(unsigned t)
{
	if (t & QT_PROSE)
		return QCE_PROSE;
	if (t & (QT_SHELL | QT_PY_STRONG | QT_PY_WEAK | QT_SQL | QT_LITERAL | QT_C | QT_JS))
		return QCE_STRONG;
	return (t & (QT_WEAK | QT_JSON_KEY | QT_SQL_START)) ? QCE_WEAK : QCE_NONE;
}

void qcode_vote_traits(qlang_votes *v, unsigned t)
{
	if (t & QT_PY_STRONG)
		v->python += 2;
	else if (t & QT_PY_WEAK)
		v->python += 1;
	v->sql += (t & QT_SQL) ? 3 : (t & QT_SQL_START) ? 1 : 0;
	if (t & QT_SHELL)
		v->shell += 3;
	if (t & (QT_LITERAL | QT_JSON_KEY))
		v->json += 1;
	if (t & QT_C)
		v->c += 3;
	if (t & QT_JS)
		v->js += 3;
}

void qcode_vote(qlang_votes *v, const char *s, size_t n)
{
	unsigned t = qcode_traits(s, n);
	if (t & QT_PROSE) {   /* prose tests stop early: count what matters */
		t = 0;
		n = rtrim(s, n);
		if (n && (is_def(s, n) || is_import(s, n) || is_decorator(s, n)))
			t |= QT_PY_STRONG;
	}
	qcode_vote_traits(v, t);
}

size_t qcode_caption(const char *s, size_t n, const char **name)
{
	size_t i = 0;
	while (i < n && s[i] == '#')
		i++;
	if (i < 2 || i > 6)
		return 0;
	i = skip_sp(s, n, i);
	n = rtrim(s, n);
	size_t start = i, dot = 0;
	for (; i < n; i++) {
		if (s[i] == '.')
			dot = i;
		else if (!is_id(s[i]) && !strchr("/-", s[i]))
			return 0;
	}
	if (!dot || dot == start || dot + 1 >= n || n - dot > 6)
		return 0;
	*name = s + start;
	return n - start;
}

int qcode_depth(const char *s, size_t n, int *triple)
{
	int depth = 0;
	char q = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (i + 2 < n && (c == '"' || c == '\'') && s[i + 1] == c && s[i + 2] == c) {
			*triple = !*triple;
			i += 2;
			continue;
		}
		if (*triple)
			continue;
		if (q) {
			if (c == '\\')
				i++;
			else if (c == q)
				q = 0;
			continue;
		}
		if (c == '#' && (i == 0 || s[i - 1] == ' '))
			break;
		if (c == '"' || c == '\'')
			q = c;
		else if (c == '(' || c == '[' || c == '{')
			depth++;
		else if (c == ')' || c == ']' || c == '}')
			depth--;
	}
	return depth;
}

const char *qcode_language(const qlang_votes *v)
{
	/* in order of preference when votes tie */
	const int votes[] = {v->python, v->sql, v->shell, v->js, v->c, v->json};
	static const char *const names[] = {"python", "sql", "shell", "javascript", "c", "json"};
	int best = 0;
	for (int i = 1; i < 6; i++)
		if (votes[i] > votes[best])
			best = i;
	return votes[best] > 0 ? names[best] : "text";
}
