/* inline.c - prose as CommonMark that prints as written
 * (notes-dialect.md section 6).
 *
 * Identifiers are not emphasis: `__init__`, `__name__`, `*args` and
 * `**kwargs` get their `_` and `*` escaped, while `**bold**`, `*word*`
 * and `_word_` still work. Bare URLs become autolinks. A `<` that starts
 * something tag-like that is not a known inline tag (`List<int>`) is
 * escaped so cmark does not swallow it as HTML. Code spans, autolinks and
 * backslash escapes are copied unchanged.
 */
#include <string.h>

#include "lift.h"

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
	    || (c >= '0' && c <= '9') || (unsigned char)c >= 0x80;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

static const char *const inline_tags[] = {
	"b", "strong", "i", "em", "u", "s", "del", "ins", "code", "kbd",
	"samp", "tt", "var", "sub", "sup", "small", "mark", "span", "a",
	"abbr", "q", "cite", "dfn", "br", "img", "wbr", NULL,
};

/* Length of a known inline tag at s ("<b>", "</em>", "<br/>", "<a href=..>"). */
static size_t known_tag(const char *s, size_t n)
{
	size_t i = 1;
	if (i < n && s[i] == '/')
		i++;
	size_t name = i;
	while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
		i++;
	size_t len = i - name;
	bool ok = false;
	for (int k = 0; inline_tags[k] && !ok; k++)
		ok = strlen(inline_tags[k]) == len && strncasecmp(s + name, inline_tags[k], len) == 0;
	if (!ok || i >= n || (s[i] != '>' && s[i] != ' ' && s[i] != '/'))
		return 0;
	const char *close = memchr(s + i, '>', n - i);
	return close ? (size_t)(close - s) + 1 : 0;
}

/* Length of an autolink <scheme:...> at s, or 0. */
static size_t autolink(const char *s, size_t n)
{
	size_t i = 1;
	while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
		i++;
	if (i < 3 || i >= n || s[i] != ':')
		return 0;
	for (; i < n; i++) {
		if (s[i] == '>')
			return i + 1;
		if (is_space(s[i]) || s[i] == '<')
			return 0;
	}
	return 0;
}

/* Length of a bare URL at s (http:// or https://), trailing punctuation
 * excluded; 0 if none. */
static size_t bare_url(const char *s, size_t n)
{
	size_t i;
	if (n > 8 && strncmp(s, "https://", 8) == 0)
		i = 8;
	else if (n > 7 && strncmp(s, "http://", 7) == 0)
		i = 7;
	else
		return 0;
	size_t start = i;
	int parens = 0;
	for (; i < n && !is_space(s[i]) && s[i] != '<' && s[i] != '>' && s[i] != '`'; i++)
		parens += s[i] == '(' ? 1 : s[i] == ')' ? -1 : 0;
	while (i > start && (strchr(".,;:!?'\"*_", s[i - 1]) || (s[i - 1] == ')' && parens < 0))) {
		if (s[i - 1] == ')')
			parens++;
		i--;
	}
	return i > start ? i : 0;
}

/* Length of a backtick code span at s (copied as is), or 0. */
static size_t code_span(const char *s, size_t n)
{
	size_t run = 0;
	while (run < n && s[run] == '`')
		run++;
	for (size_t i = run; i < n; i++) {
		if (s[i] != '`')
			continue;
		size_t r = 0;
		while (i + r < n && s[i + r] == '`')
			r++;
		if (r == run)
			return i + r;
		i += r - 1;
	}
	return 0;
}

/* Is there a closing delimiter run of `len` chars `c` after position i:
 * preceded by a non-space and not followed by an alphanumeric? */
static bool has_closer(const char *s, size_t n, size_t i, char c, size_t len)
{
	for (size_t j = i; j < n; j++) {
		if (s[j] == '`') {
			size_t cs = code_span(s + j, n - j);
			if (cs)
				j += cs - 1;
			continue;
		}
		if (s[j] != c)
			continue;
		size_t r = 0;
		while (j + r < n && s[j + r] == c)
			r++;
		if (r == len && !is_space(s[j - 1]) && (j + r >= n || !is_alnum(s[j + r]))
		    && (c != '_' || s[j - 1] != '_'))
			return true;
		j += r - 1;
	}
	return false;
}

static void put_escaped_run(qbuf *out, char c, size_t len)
{
	for (size_t k = 0; k < len; k++) {
		qbuf_putc(out, '\\');
		qbuf_putc(out, c);
	}
}

/* A run of * or _ at s[i]: emphasis delimiter, or part of an identifier. */
static size_t delim_run(const char *s, size_t n, size_t i, qbuf *out)
{
	char c = s[i];
	size_t len = 0;
	while (i + len < n && s[i + len] == c)
		len++;
	char before = i ? s[i - 1] : ' ';
	char after = i + len < n ? s[i + len] : ' ';
	bool left_open = !is_alnum(before) && !is_space(after) && after != c;
	bool intraword = is_alnum(before) && is_alnum(after);
	bool keep;
	if (intraword)
		keep = c == '_';   /* a_b_c is safe as is; x**2 is not */
	else if (left_open && len <= 3 && (c == '*' || len == 1))
		keep = has_closer(s, n, i + len, c, len);
	else if (is_space(after) || i + len >= n)
		keep = c == '*' && is_space(before);   /* "a * b", list bullets */
	else
		keep = false;
	if (keep)
		qbuf_put(out, s + i, len);
	else
		put_escaped_run(out, c, len);
	return len;
}

/* Copy a closing delimiter that has_closer() promised, unescaped. */
static size_t special(const char *s, size_t n, size_t i, qbuf *out)
{
	char c = s[i];
	size_t l;
	if (c == '\\' && i + 1 < n) {
		qbuf_put(out, s + i, 2);
		return 2;
	}
	if (c == '`' && (l = code_span(s + i, n - i))) {
		qbuf_put(out, s + i, l);
		return l;
	}
	if (c == '<') {
		if ((l = autolink(s + i, n - i)) || (l = known_tag(s + i, n - i))) {
			qbuf_put(out, s + i, l);
			return l;
		}
		if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
			qbuf_putc(out, '<');   /* a comment: cmark's, hidden */
			return 1;
		}
		bool taglike = i + 1 < n && (s[i + 1] == '/' || s[i + 1] == '!' || s[i + 1] == '?'
					      || (s[i + 1] >= 'a' && s[i + 1] <= 'z')
					      || (s[i + 1] >= 'A' && s[i + 1] <= 'Z'));
		qbuf_puts(out, taglike ? "\\<" : "<");
		return 1;
	}
	if ((c == 'h') && (i == 0 || !is_alnum(s[i - 1])) && (l = bare_url(s + i, n - i))) {
		qbuf_putc(out, '<');
		qbuf_put(out, s + i, l);
		qbuf_putc(out, '>');
		return l;
	}
	return 0;
}

/* May the byte at s[i] start something protect() handles? An 'h' only
 * when "http" starts there (a bare URL). */
static bool is_special(const char *s, size_t n, size_t i)
{
	char c = s[i];
	if (c == 'h')
		return i + 4 <= n && memcmp(s + i, "http", 4) == 0;
	return c == '*' || c == '_' || c == '\\' || c == '`' || c == '<';
}

/* Closing runs promised by an opener are left as they are: remember
 * where openers were kept so the matching closer is kept too. */
void qinline_protect(const char *s, size_t n, qbuf *out)
{
	size_t i = 0;
	int open_star = 0, open_under = 0;
	while (i < n) {
		char c = s[i];
		if (c == '*' || c == '_') {
			size_t len = 0;
			while (i + len < n && s[i + len] == c)
				len++;
			char before = i ? s[i - 1] : ' ';
			char after = i + len < n ? s[i + len] : ' ';
			int *open = c == '*' ? &open_star : &open_under;
			bool closes = *open && !is_space(before) && !is_alnum(after);
			if (closes && (size_t)*open == len) {
				qbuf_put(out, s + i, len);
				*open = 0;
				i += len;
				continue;
			}
			size_t before_len = out->len;
			i += delim_run(s, n, i, out);
			if (out->len - before_len == len && !is_alnum(before) && !is_space(after))
				*open = (int)len;   /* kept as an opener */
			continue;
		}
		size_t l = (c == '\\' || c == '`' || c == '<' || c == 'h') ? special(s, n, i, out) : 0;
		if (l) {
			i += l;
			continue;
		}
		size_t j = i + 1;   /* copy a run of ordinary bytes at once */
		while (j < n && !is_special(s, n, j))
			j++;
		qbuf_put(out, s + i, j - i);
		i = j;
	}
}
