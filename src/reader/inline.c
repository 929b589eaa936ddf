/* inline.c - prose as CommonMark that prints as written
 * (notes-dialect.md section 6).
 *
 * cmark reads the emphasis, links and HTML of a line; the protection only
 * escapes what cmark would read wrong in notes, and nothing else:
 *
 *   - Python's dunder names (`__init__`, `__name__.py`) are not strong
 *     emphasis: their underscores are escaped;
 *   - `*` and `**` next to a digit (`2**10`, `x**2 + y**2`, `3*4`) are
 *     arithmetic, not emphasis;
 *   - a `<` right after a letter or digit (`List<int>`, `Vec<T>`) opens no
 *     HTML tag;
 *   - formulas (`$…$`, `$$…$$`, `\(…\)`, `\[…\]`, `` $`…`$ ``) become
 *     placeholders of the lift's formula table (math.h); where there is
 *     no table, `\(...\)` and `\[...\]` keep their backslashes.
 *   - GitHub's emoji shortcodes (`:rocket:`) become their emoji, as
 *     GitHub shows them (emoji.h); an unknown name stays as written.
 *
 * Code spans, autolinks, raw HTML and backslash escapes are copied as they
 * are. One pass, linear in the line: code spans are matched through a
 * table of the backtick runs, each run looked at a bounded number of
 * times (as cmark's scanned_for_backticks does).
 */
#include <stdlib.h>
#include <string.h>

#include "../util/find.h"
#include "emoji.h"
#include "html.h"
#include "lift.h"
#include "math.h"

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_word(char c)
{
	return is_alpha(c) || is_digit(c) || c == '_';
}

/* ---------------------------------------------------------- code spans */

typedef struct brun {
	size_t len, pos;
} brun;

typedef struct spans {
	brun *v;   /* every maximal run of backticks, by length then position */
	size_t n;
} spans;

static int by_len_then_pos(const void *a, const void *b)
{
	const brun *x = a, *y = b;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static void find_runs(const char *s, size_t n, spans *sp)
{
	size_t cap = 0;
	sp->v = NULL;
	sp->n = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '`')
			continue;
		size_t k = i;
		while (k < n && s[k] == '`')
			k++;
		if (sp->n == cap) {
			cap = cap ? 2 * cap : 8;
			sp->v = qxrealloc(sp->v, sizeof *sp->v * cap);
		}
		sp->v[sp->n++] = (brun){k - i, i};
		i = k - 1;
	}
	if (sp->n > 1)
		qsort(sp->v, sp->n, sizeof *sp->v, by_len_then_pos);
}

/* A code span opened by `len` backticks at i (after any escaped one):
 * its length through the closing run, the next run of the same length;
 * 0 when there is none (the backticks are then literal). */
static size_t code_span(const spans *sp, size_t i, size_t len)
{
	size_t lo = 0, hi = sp->n;   /* first run (len, pos > i) */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const brun *r = &sp->v[mid];
		if (r->len < len || (r->len == len && r->pos <= i))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= sp->n || sp->v[lo].len != len)
		return 0;
	return sp->v[lo].pos + len - i;
}

/* ------------------------------------------------------- HTML, links */

/* Length of an autolink <scheme:...> or <user@host> at s, or 0. */
static size_t autolink(const char *s, size_t n)
{
	size_t i = 1;
	while (i < n && (is_alpha(s[i]) || (i > 1 && (is_digit(s[i]) || s[i] == '+' || s[i] == '.' || s[i] == '-'))))
		i++;
	if (i >= 3 && i < n && s[i] == ':') {
		for (; i < n; i++) {
			if (s[i] == '>')
				return i + 1;
			if (s[i] == ' ' || s[i] == '<' || (unsigned char)s[i] < 0x20)
				return 0;
		}
		return 0;
	}
	bool at = false;   /* an e-mail address */
	for (i = 1; i < n; i++) {
		if (s[i] == '>')
			return at ? i + 1 : 0;
		if (s[i] == '@')
			at = true;
		else if (s[i] == ' ' || s[i] == '<' || s[i] == '\\')
			return 0;
	}
	return 0;
}

/* Length of something HTML-like at s that cmark may read as raw HTML
 * (a tag up to its '>', a comment, a processing instruction): copied as
 * it is; 0 if s does not start one. */
static size_t html_like(const char *s, size_t n)
{
	if (n >= 4 && memcmp(s, "<!--", 4) == 0) {
		const char *e = qmemmem(s + 4, n - 4, "-->", 3);
		return e ? (size_t)(e - s) + 3 : 0;
	}
	size_t i = 1 + (n > 1 && s[1] == '/');
	if (i >= n || !is_alpha(s[i]))
		return (n > 1 && (s[1] == '?' || s[1] == '!')) ? 1 : 0;
	char quote = 0;
	for (; i < n; i++) {
		if (quote) {
			if (s[i] == quote)
				quote = 0;
		} else if (s[i] == '"' || s[i] == '\'') {
			quote = s[i];
		} else if (s[i] == '>') {
			return i + 1;
		} else if (s[i] == '<') {
			return 0;
		}
	}
	return 0;
}

/* After `Name<`: a type argument (`List<int>`, `Map<K, V>`), not a
 * tag: a name that no HTML element has. */
static bool generic(const char *s, size_t n, size_t i)
{
	size_t k = i;
	while (k < n && (is_alpha(s[k]) || is_digit(s[k])))
		k++;
	return k > i && is_alpha(s[i]) && !qhtml_is_element(s + i, k - i);
}

/* ------------------------------------------------------- identifiers */

/* Python's own dunder names, which notes write bare: `__init__`. */
static bool known_dunder(const char *s, size_t n)
{
	static const char *const names[] = {
		"init", "name", "main", "all", "str", "repr", "dict", "call", "len",
		"eq", "ne", "lt", "le", "gt", "ge", "hash", "enter", "exit", "aenter",
		"aexit", "getattr", "getattribute", "setattr", "delattr", "slots",
		"new", "del", "iter", "next", "aiter", "anext", "file", "doc",
		"class", "module", "version", "future", "builtins", "add", "sub",
		"mul", "truediv", "floordiv", "mod", "pow", "and", "or", "xor",
		"contains", "getitem", "setitem", "delitem", "missing", "bool",
		"int", "float", "index", "format", "bytes", "get", "set", "set_name",
		"post_init", "init_subclass", "class_getitem", "mro", "bases",
		"subclasses", "qualname", "annotations", "wrapped", "closure",
		"code", "defaults", "globals", "kwdefaults", "self", "func",
		"await", "reversed", "round", "sizeof", "reduce", "copy",
		"deepcopy", "dir", "prepare", "instancecheck", "subclasscheck",
		"length_hint", "radd", "iadd", "neg", "pos", "abs", "invert",
		"matmul", "weakref", "package", "loader", "spec", "path", "cached",
		"pycache", "debug", "import", "fspath", "buffer", "complex",
		"delete", "getstate", "setstate", "reduce_ex", "match_args",
		"traceback", "context", "cause", "dataclass_fields", "trunc",
		"floor", "ceil", "divmod", "lshift", "rshift", "isub", "imul",
		"contains", "getnewargs", "format_spec", NULL};
	for (int k = 0; names[k]; k++)
		if (strlen(names[k]) == n && memcmp(names[k], s, n) == 0)
			return true;
	return false;
}

/* A dunder name at s[i] (`__name__`, the underscores included): its
 * length, or 0. It must stand as an identifier: no word character
 * before it, and a known name or one used as code (followed by `.py`,
 * `(` or `.`, or after a dot), or any dunder on a line (`any`) that
 * holds a known one (`__get__, __set__, __delete__`). */
static size_t dunder_any(const char *s, size_t n, size_t i, bool any)
{
	if (i + 5 > n || s[i] != '_' || s[i + 1] != '_' || !is_alpha(s[i + 2]))
		return 0;
	if (i && (is_word(s[i - 1]) || s[i - 1] == '\\'))
		return 0;
	size_t k = i + 2;
	while (k < n && (is_word(s[k]) && !(s[k] == '_' && k + 1 < n && s[k + 1] == '_'
					   && (k + 2 >= n || !is_word(s[k + 2])))))
		k++;
	if (k + 2 > n || s[k] != '_' || s[k + 1] != '_')
		return 0;
	size_t end = k + 2;
	if (end < n && is_word(s[end]))
		return 0;
	bool used = any || (end < n && (s[end] == '(' || s[end] == '.')) || (i && s[i - 1] == '.');
	return used || known_dunder(s + i + 2, k - i - 2) ? end - i : 0;
}

static size_t dunder(const char *s, size_t n, size_t i, bool any)
{
	return dunder_any(s, n, i, any);
}

/* Does the line hold a dunder name Python has? */
static bool has_known_dunder(const char *s, size_t n)
{
	for (const char *p = qmemmem(s, n, "__", 2); p; p = qmemmem(p + 2, n - (size_t)(p + 2 - s), "__", 2)) {
		size_t i = (size_t)(p - s);
		if (dunder_any(s, n, i, false))
			return true;
		if (i + 2 >= n)
			break;
	}
	return false;
}

static void put_escaped_underscores(qbuf *out, const char *s, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		if (s[k] == '_')
			qbuf_putc(out, '\\');
		qbuf_putc(out, s[k]);
	}
}

/* A run of `*` between operands, one of them a digit: arithmetic. */
static bool arithmetic_stars(const char *s, size_t n, size_t i, size_t len)
{
	char before = i ? s[i - 1] : ' ', after = i + len < n ? s[i + len] : ' ';
	bool operand_b = is_word(before) || before == ')';
	bool operand_a = is_word(after) || after == '(';
	return len <= 2 && operand_b && operand_a && (is_digit(before) || is_digit(after));
}

/* Where the next `\)` and `\]` of a line are: found by one scan the
 * first time a formula opens, then looked up (so a line of a thousand
 * unclosed `\(` costs one scan, not a thousand). */
typedef struct closers {
	size_t paren, bracket;   /* positions of the next closers, or n */
	size_t alnum;            /* position of the next letter or digit, or n */
	size_t tex;              /* position of the next TeX sign (`\\^_{}=`), or n */
	size_t link;             /* position of the next `](` (a Markdown link), or n */
	bool ready, link_ready;
} closers;

static size_t next_closer(const char *s, size_t n, size_t from, char close)
{
	for (size_t k = from; k + 1 < n; k++)
		if (s[k] == '\\' && s[k + 1] == close)
			return k;
	return n;
}

/* Letters of a word at s[k] (ASCII letters; any byte of a multibyte
 * character counts as a letter). */
static size_t word_at(const char *s, size_t n, size_t k)
{
	size_t j = k;
	while (j < n && (is_alpha(s[j]) || (unsigned char)s[j] >= 0x80))
		j++;
	return j - k;
}

/* Is s[from..to) only a number, a date or a version (`2025.9.24`,
 * `1`), or one word of three letters or more (`SHKP`)? */
static bool number_or_word(const char *s, size_t from, size_t to)
{
	while (from < to && s[from] == ' ')
		from++;
	while (to > from && s[to - 1] == ' ')
		to--;
	bool digits = true;
	for (size_t k = from; k < to; k++)
		digits &= is_digit(s[k]) || (k > from && strchr(".,-/", s[k]) && is_digit(s[k - 1]));
	return (to > from && digits) || (word_at(s, to, from) >= 3 && word_at(s, to, from) == to - from);
}

/* The next `](` from `from` whose target is a file or an address (a
 * dot, slash, colon or # before its `)`: `[group](group.md)`, not the
 * `[0,1](t)` of a formula), or n. */
static size_t next_link(const char *s, size_t n, size_t from)
{
	const char *l;
	while (from + 2 < n && (l = qmemmem(s + from, n - from, "](", 2))) {
		size_t k = (size_t)(l - s) + 2;
		while (k < n && s[k] != ')' && s[k] != ' ' && !strchr("./:#", s[k]))
			k++;
		if (k < n && strchr("./:#", s[k]))
			return (size_t)(l - s);
		from = k;
	}
	return n;
}

/* Is s[from..to) prose in escaped brackets (`\(ageing analysis\)`, as
 * Obsidian's exports write parentheses and brackets) rather than TeX?
 * No TeX sign (backslash, script, brace, equals: cl->tex, looked up once
 * per sign so a long line costs one scan), and two words of three
 * letters or more side by side or around a slash (`weak/strong`: a
 * formula names its variables in one letter), or only a number, a date or one such word (`\[2025.9.24\]`,
 * `\(SHKP\)`, `\[1\]`: no one writes those as formulas); and whatever
 * holds a Markdown link (`\(e.g. a [group](group.md)\)`), which TeX
 * never writes. */
static bool prose_inside(const char *s, size_t n, size_t from, size_t to, closers *cl)
{
	if (!cl->link_ready || cl->link < from) {   /* each `](` is looked at once */
		cl->link = next_link(s, n, from);
		cl->link_ready = true;
	}
	if (cl->link + 1 < to)
		return true;   /* a Markdown link inside: escaped brackets, not TeX */
	if (cl->tex < from || cl->tex == 0) {
		size_t j = from;
		while (j < to && !strchr("\\^_{}=", s[j]))
			j++;
		cl->tex = j < to ? j : to;   /* `\)` at to: no sign before it */
	}
	if (cl->tex < to)
		return false;
	if (number_or_word(s, from, to))
		return true;
	for (size_t k = from; k < to;) {
		size_t w = word_at(s, to, k);
		if (w >= 3 && k + w + 1 < to && (s[k + w] == ' ' || s[k + w] == '/') && word_at(s, to, k + w + 1) >= 3)
			return true;
		k += w ? w : 1;
	}
	return false;
}

/* `\(` ... `\)` or `\[` ... `\]` on the line around a formula (a letter
 * or digit inside, not prose): the length through the closer, else 0. */
static size_t tex_math(const char *s, size_t n, size_t i, closers *cl)
{
	if (i + 1 >= n || s[i] != '\\' || (s[i + 1] != '(' && s[i + 1] != '['))
		return 0;
	if (i && s[i - 1] != ' ' && s[i - 1] != '\t' && s[i - 1] != '$' && (unsigned char)s[i - 1] < 0x80)
		return 0;   /* `](\(foo\))`: an escape in a link, not a formula */
	bool paren = s[i + 1] == '(';
	if (!cl->ready || (paren ? cl->paren : cl->bracket) < i + 2) {
		if (!cl->ready || cl->paren < i + 2)
			cl->paren = next_closer(s, n, i + 2, ')');
		if (!cl->ready || cl->bracket < i + 2)
			cl->bracket = next_closer(s, n, i + 2, ']');
		cl->ready = true;
	}
	size_t k = paren ? cl->paren : cl->bracket;
	if (k >= n)
		return 0;
	if (cl->alnum < i + 2 || cl->alnum == 0) {
		size_t j = i + 2;
		while (j < n && !is_alpha(s[j]) && !is_digit(s[j]))
			j++;
		cl->alnum = j;
	}
	return cl->alnum < k && !prose_inside(s, n, i + 2, k, cl) ? k + 2 - i : 0;
}

/* The formula as text cmark prints as written: each backslash doubled
 * where CommonMark would take it for an escape. */
static void put_tex(qbuf *out, const char *s, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		if (s[k] == '\\' && k + 1 < n && strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", s[k + 1]))
			qbuf_putc(out, '\\');
		qbuf_putc(out, s[k]);
	}
}

/* ---------------------------------------------------------------- pass */

/* Formula s[i..i+len) with its TeX at s[i+tex..+texlen): a placeholder. */
static void put_math(qlift *l, qbuf *out, const char *s, size_t texlen, bool display)
{
	qmath_put_placeholder(out, qlift_add_math(l, s, texlen, display), false);
}

void qinline_protect(const char *s, size_t n, qbuf *out)
{
	qinline_protect_in(NULL, s, n, out);
}

/* `:name:` at s[i], on its own (no letter, digit, colon or slash next to
 * it, so not `10:30:00`, `a:b:c` or a URL's path) and a GitHub emoji's
 * name: its length with the colons, else 0. */
static size_t shortcode(const char *s, size_t n, size_t i)
{
	if (i > 0 && (is_word(s[i - 1]) || s[i - 1] == ':' || s[i - 1] == '/'))
		return 0;
	size_t j = i + 1;
	while (j < n && j - i <= 40 && (is_word(s[j]) || s[j] == '+' || s[j] == '-'))
		j++;
	if (j == i + 1 || j >= n || s[j] != ':')
		return 0;
	if (j + 1 < n && (is_word(s[j + 1]) || s[j + 1] == ':' || s[j + 1] == '/'))
		return 0;
	return qemoji_put(s + i + 1, j - i - 1, NULL) ? j + 1 - i : 0;
}

/* Can the pass below do anything at c? Every other byte is copied. */
static bool may_act(char c)
{
	switch (c) {
	case '\\': case '$': case '`': case '<': case '_': case '*': case ':':
		return true;
	default:
		return false;
	}
}

void qinline_protect_in(qlift *lift, const char *s, size_t n, qbuf *out)
{
	spans sp;
	find_runs(s, n, &sp);
	bool dunders = qmemmem(s, n, "__", 2) && has_known_dunder(s, n);
	closers cl = {0};
	qmath_scan ms = {0};
	qmath_span sp1;
	size_t i = 0, copied = 0;
	while (i < n) {
		char c = s[i];
		size_t l = 0;
		if (c == '\\') {
			if ((l = tex_math(s, n, i, &cl))) {
				qbuf_put(out, s + copied, i - copied);
				if (lift)
					put_math(lift, out, s + i + 2, l - 4, s[i + 1] == '[');
				else
					put_tex(out, s + i, l);
				i = copied = i + l;
				continue;
			}
			i += i + 1 < n ? 2 : 1;
		} else if (c == '$' && lift && qmath_dollar(s, n, i, &ms, &sp1)) {
			qbuf_put(out, s + copied, i - copied);
			put_math(lift, out, s + i + sp1.tex, sp1.texlen, sp1.display);
			i = copied = i + sp1.len;
		} else if (c == '`') {
			size_t run = 0;
			while (i + run < n && s[i + run] == '`')
				run++;
			l = code_span(&sp, i, run);
			i += l ? l : run;
		} else if (c == '<') {
			l = autolink(s + i, n - i);
			if (!l && i && (is_alpha(s[i - 1]) || is_digit(s[i - 1])) && generic(s, n, i + 1)) {
				qbuf_put(out, s + copied, i - copied);
				qbuf_puts(out, "\\<");   /* List<int> */
				i = copied = i + 1;
				continue;
			}
			if (!l)
				l = html_like(s + i, n - i);
			i += l ? l : 1;
		} else if (c == '_' && dunders && (l = dunder(s, n, i, true))) {
			qbuf_put(out, s + copied, i - copied);
			put_escaped_underscores(out, s + i, l);
			i = copied = i + l;
		} else if (c == ':' && (l = shortcode(s, n, i))) {
			qbuf_put(out, s + copied, i - copied);
			qemoji_put(s + i + 1, l - 2, out);
			i = copied = i + l;
		} else if (c == '*') {
			size_t len = 0;
			while (i + len < n && s[i + len] == '*')
				len++;
			if (arithmetic_stars(s, n, i, len)) {
				qbuf_put(out, s + copied, i - copied);
				for (size_t k = 0; k < len; k++)
					qbuf_puts(out, "\\*");
				copied = i + len;
			}
			i += len;
		} else {
			while (++i < n && !may_act(s[i]))
				;
		}
	}
	qbuf_put(out, s + copied, n - copied);
	free(sp.v);
}
