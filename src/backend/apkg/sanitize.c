/* sanitize.c - Anki field HTML made safe, and Anki's own reading of it.
 *
 * qapkg_put_field() is the last step before a field is stored: nothing in
 * it may act inside Anki. The field separator and other control
 * characters become U+FFFD; "{{" loses its meaning (Anki 2.1.x re-reads
 * substituted field text as template) and "[sound:" and "[anki:" tags
 * are defused, in text and in attributes alike (written as entities:
 * they look the same); elements and attributes able to run script or
 * load content, and links whose scheme (read after decoding entities) is
 * not http, https or mailto, are written as text. Everything stays
 * visible: nothing is dropped.
 *
 * qapkg_strip_html() and qapkg_field_checksum() are Anki 2.1.15's
 * stripHTMLMedia and fieldChecksum, for the sort field and checksum
 * columns (importers recompute both; lint tools compare them).
 */
#include <string.h>

#include "../../util/utf8.h"
#include "../zip/digest.h"
#include "apkg.h"

#define REPLACEMENT "\xEF\xBF\xBD"   /* U+FFFD */

static int lower_ascii(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* s[0..n) starts with the lower-case literal p (m bytes), any case. */
static bool prefix_ci(const char *s, size_t n, const char *p, size_t m)
{
	if (n < m)
		return false;
	for (size_t i = 0; i < m; i++)
		if (lower_ascii((unsigned char)s[i]) != p[i])
			return false;
	return true;
}

static bool is_name_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
	    || (c >= '0' && c <= '9') || c == '-' || c == ':' || c == '_';
}

#define PREFIX_CI(s, n, lit) prefix_ci(s, n, lit, sizeof lit - 1)

/* Elements that can run script, load content or change the page, by
 * the length of their names (3 to 8). */
static bool unsafe_element(const char *name, size_t n)
{
	static const char *const bad[] = {
		[3] = "svg",
		[4] = "form" "link" "meta" "base" "math",
		[5] = "style" "frame" "embed" "input" "audio" "video",
		[6] = "script" "iframe" "object" "applet" "button" "select" "source"
		      "portal",
		[8] = "frameset" "textarea" "template" "noscript",
	};
	if (n >= sizeof bad / sizeof bad[0] || !bad[n])
		return false;
	for (const char *b = bad[n]; *b; b += n)
		if (prefix_ci(name, n, b, n))
			return true;
	return false;
}

/* Attributes whose value is a URL the card may follow or load. */
static bool url_attribute(const char *name, size_t n)
{
	static const char *const urls[] = {
		"href", "src", "action", "formaction", "data", "poster", "background",
		"cite", "longdesc", "usemap", "xlink:href", "srcset", "ping", "codebase",
		"manifest", "lowsrc", "dynsrc", "icon", NULL,
	};
	for (int i = 0; urls[i]; i++)
		if (strlen(urls[i]) == n && prefix_ci(name, n, urls[i], n))
			return true;
	return false;
}

/* The character an entity at s[0] == '&' stands for, its length in *len;
 * -1 when it is not one of the entities a URL scheme could be hidden
 * with (numeric ones, and the few named ones that matter). */
static int32_t url_entity(const char *s, size_t n, size_t *len)
{
	static const struct { const char *name; int32_t c; } named[] = {
		{"&amp;", '&'}, {"&colon;", ':'}, {"&tab;", '\t'}, {"&newline;", '\n'},
		{"&sol;", '/'}, {"&quest;", '?'}, {"&num;", '#'}, {"&period;", '.'},
		{"&lpar;", '('}, {"&rpar;", ')'}, {"&nbsp;", 0xA0}, {NULL, 0},
	};
	for (int i = 0; named[i].name; i++) {
		size_t m = strlen(named[i].name);
		if (prefix_ci(s, n, named[i].name, m)) {
			*len = m;
			return named[i].c;
		}
	}
	size_t i = 1;
	if (i >= n || s[i] != '#')
		return -1;
	bool hex = ++i < n && (s[i] == 'x' || s[i] == 'X');
	i += hex;
	uint32_t v = 0;
	size_t start = i;
	for (; i < n && i - start < 8; i++) {
		int c = lower_ascii((unsigned char)s[i]);
		int d = c >= '0' && c <= '9' ? c - '0' : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (d < 0)
			break;
		v = v * (hex ? 16 : 10) + (uint32_t)d;
	}
	if (i == start)
		return -1;
	*len = i < n && s[i] == ';' ? i + 1 : i;   /* the ';' may be left out */
	return v > 0x10FFFF ? 0xFFFD : (int32_t)v;
}

/* The scheme of a URL attribute value, decoded first (entities, then
 * the white space and controls browsers drop), lower case, into out;
 * "" when the URL is relative or a fragment; false when an entity before
 * the scheme's end cannot be read (taken as an attempt to hide one). */
static bool url_scheme(const char *v, size_t n, char *out, size_t cap)
{
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		int32_t c = (unsigned char)v[i];
		size_t l = 1;
		if (c == '&' && (c = url_entity(v + i, n - i, &l)) < 0)
			return false;
		i += l;
		if (c <= ' ' || c == 0x7F || c == 0xA0)
			continue;
		if (c == ':')
			break;
		if (c == '/' || c == '?' || c == '#' || k + 1 >= cap) {
			k = 0;   /* no scheme before these: relative */
			break;
		}
		out[k++] = (char)(c < 0x80 ? lower_ascii(c) : '?');
		if (i >= n)
			k = 0;   /* no ':' at all */
	}
	out[k] = '\0';
	return true;
}

/* A URL the card may hold: http, https, mailto, or none (a relative one
 * or a fragment). Everything else (javascript:, data:, file:, smb:, ...)
 * is refused. */
static bool url_allowed(const char *v, size_t n)
{
	char scheme[16];
	if (!url_scheme(v, n, scheme, sizeof scheme))
		return false;
	return !scheme[0] || strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0
	       || strcmp(scheme, "mailto") == 0;
}

/* Scan the attributes of a tag from s (after its name) to its '>'.
 * Returns the tag length from s, or 0 when the tag has no end or an
 * attribute is unsafe (an event handler, a style, a URL attribute with
 * a scheme not allowed). */
static size_t scan_attrs(const char *s, size_t n, bool *unsafe)
{
	size_t i = 0;
	*unsafe = false;
	while (i < n && s[i] != '>') {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '/'
		    || s[i] == '\r') {
			i++;
			continue;
		}
		size_t a = i;
		while (i < n && s[i] != '=' && s[i] != '>' && s[i] != ' '
		       && s[i] != '\t' && s[i] != '\n' && s[i] != '/')
			i++;
		bool handler = PREFIX_CI(s + a, i - a, "on") || PREFIX_CI(s + a, i - a, "style")
			    || PREFIX_CI(s + a, i - a, "formaction");
		bool url = url_attribute(s + a, i - a);
		if (handler)
			*unsafe = true;
		if (i < n && s[i] == '=') {
			i++;
			size_t v = i, vl;
			if (i < n && (s[i] == '"' || s[i] == '\'')) {
				const char *q = memchr(s + i + 1, s[i], n - i - 1);
				if (!q)
					return 0;
				v = i + 1;
				vl = (size_t)(q - (s + v));
				i = (size_t)(q - s) + 1;
			} else {
				while (i < n && s[i] != '>' && s[i] != ' ' && s[i] != '\t'
				       && s[i] != '\n')
					i++;
				vl = i - v;
			}
			if (url && !url_allowed(s + v, vl))
				*unsafe = true;
		}
	}
	return i < n ? i + 1 : 0;
}

/* Length of a safe tag at s[0] == '<', or 0 when the '<' must be
 * written as text. Comments and declarations count as unsafe. */
static size_t safe_tag(const char *s, size_t n)
{
	size_t i = 1;
	if (i < n && s[i] == '/')
		i++;
	size_t name = i;
	if (i >= n || !((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
		return 0;
	while (i < n && is_name_char((unsigned char)s[i]))
		i++;
	if (unsafe_element(s + name, i - name))
		return 0;
	bool unsafe;
	size_t len = scan_attrs(s + i, n - i, &unsafe);
	if (!len || unsafe)
		return 0;
	return i + len;
}

/* Anki's own syntax in field text: "{{" opens a template tag and
 * "[sound:" or "[anki:" a media or text-to-speech tag, wherever they
 * are, in text or in an attribute. The length of such a sequence at s
 * and what it is written as (the same characters, as entities), or 0. */
static size_t anki_syntax(const char *s, size_t n, const char **as)
{
	if (n >= 2 && s[0] == '{' && s[1] == '{') {
		*as = "{&#123;";
		return 2;
	}
	if (s[0] == '[' && (PREFIX_CI(s, n, "[sound:") || PREFIX_CI(s, n, "[anki:"))) {
		*as = "&#91;";
		return 1;
	}
	return 0;
}

/* Copy a safe tag, with Anki's syntax in its attributes defused. */
static void put_tag(qbuf *out, const char *s, size_t n)
{
	size_t from = 0;
	for (size_t i = 0; i < n; i++) {
		const char *as;
		size_t l = (s[i] == '{' || s[i] == '[') ? anki_syntax(s + i, n - i, &as) : 0;
		if (!l)
			continue;
		qbuf_put(out, s + from, i - from);
		qbuf_puts(out, as);
		i += l - 1;
		from = i + 1;
	}
	qbuf_put(out, s + from, n - from);
}

/* Bytes that end a plain run: controls, DEL, '<', '{', '[' (1), and
 * the lead bytes of UTF-8 sequences (2, checked one by one). */
static const unsigned char stop[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,   /* '<' */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0,   /* '[' */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1,   /* '{', DEL */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

/* Length of the run at s that is copied as it is: printable ASCII but
 * '<', '{' and '[', and valid UTF-8 sequences. */
static size_t plain_run(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	for (;;) {
		while (i < n && !stop[u[i]])
			i++;
		if (i >= n || stop[u[i]] == 1)
			return i;
		size_t l = qutf8_seq_len(u + i, n - i);
		if (!l)
			return i;
		i += l;
	}
}

void qapkg_put_field(qbuf *out, const char *html, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t run = plain_run(html + i, n - i);
		qbuf_put(out, html + i, run);
		i += run;
		if (i >= n)
			break;
		unsigned char c = (unsigned char)html[i];
		const char *as;
		size_t syntax;
		if (c == '<') {
			size_t t = safe_tag(html + i, n - i);
			if (t) {
				put_tag(out, html + i, t);
				i += t;
			} else {
				qbuf_puts(out, "&lt;");
				i++;
			}
		} else if ((c == '{' || c == '[') && (syntax = anki_syntax(html + i, n - i, &as))) {
			qbuf_puts(out, as);
			i += syntax;
		} else if (c == '{' || c == '[') {
			qbuf_putc(out, (char)c);
			i++;
		} else if (c == '\n' || c == '\t' || c == '\r') {
			qbuf_putc(out, c);
			i++;
		} else {   /* a control character or a byte that is not UTF-8 */
			qbuf_puts(out, REPLACEMENT);
			i++;
		}
	}
}

/* ---- stripping, as Anki 2.1.15 utils.stripHTMLMedia ---------------- */

static size_t decode_entity(const char *s, size_t n, qbuf *out)
{
	/* s[0] == '&'; Python: &#?\w+; then a character reference or a
	 * known name. Unknown ones stay as written. */
	size_t i = 1;
	bool num = i < n && s[i] == '#';
	if (num)
		i++;
	size_t start = i;
	while (i < n && (is_name_char((unsigned char)s[i]) && s[i] != '-' && s[i] != ':'))
		i++;
	if (i == start || i >= n || s[i] != ';')
		return 0;
	size_t len = i - start;
	const char *w = s + start;
	if (num) {
		unsigned long v = 0;
		bool hex = w[0] == 'x' || w[0] == 'X';
		for (size_t j = hex ? 1 : 0; j < len; j++) {
			int c = lower_ascii((unsigned char)w[j]), d;
			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (hex && c >= 'a' && c <= 'f')
				d = c - 'a' + 10;
			else
				return 0;
			v = v * (hex ? 16 : 10) + (unsigned long)d;
			if (v > 0x10FFFF)
				return 0;
		}
		if ((hex && len == 1) || (v >= 0xD800 && v <= 0xDFFF))
			return 0;
		qbuf_put_utf8(out, (unsigned)v);
		return i + 1;
	}
	static const struct { const char *name; const char *text; } ents[] = {
		{"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""},
		{"nbsp", " "}, {NULL, NULL},
	};
	for (int e = 0; ents[e].name; e++)
		if (strlen(ents[e].name) == len && memcmp(ents[e].name, w, len) == 0) {
			qbuf_puts(out, ents[e].text);
			return i + 1;
		}
	return 0;
}

void qapkg_strip_html(const char *s, size_t n, qbuf *out)
{
	size_t i = 0;
	while (i < n) {
		if (s[i] == '<') {
			if (i + 4 <= n && memcmp(s + i, "<!--", 4) == 0) {
				const char *e = NULL;
				for (size_t j = i + 4; j + 3 <= n && !e; j++)
					if (memcmp(s + j, "-->", 3) == 0)
						e = s + j + 3;
				if (e) {
					i = (size_t)(e - s);
					continue;
				}
			}
			const char *gt = memchr(s + i, '>', n - i);
			if (gt) {
				i = (size_t)(gt - s) + 1;
				continue;
			}
		} else if (s[i] == '&') {
			size_t l = decode_entity(s + i, n - i, out);
			if (l) {
				i += l;
				continue;
			}
		}
		qbuf_putc(out, s[i]);
		i++;
	}
}

uint32_t qapkg_field_checksum(const char *stripped, size_t n)
{
	unsigned char d[20];
	qsha1(stripped, n, d);
	return (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 | d[3];
}
