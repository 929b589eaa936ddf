/* sanitize.c - Anki field HTML made safe, and Anki's own reading of it.
 *
 * qapkg_put_field() is the last step before a field is stored: nothing in
 * it may act inside Anki. The field separator and other control
 * characters become U+FFFD; "{{" loses its meaning (Anki 2.1.x re-reads
 * substituted field text as template); "[sound:" and "[anki:" tags are
 * defused; elements and attributes able to run script or load content
 * are written as text. Everything stays visible: nothing is dropped.
 *
 * qapkg_strip_html() and qapkg_field_checksum() are Anki 2.1.15's
 * stripHTMLMedia and fieldChecksum, for the sort field and checksum
 * columns (importers recompute both; lint tools compare them).
 */
#include <string.h>

#include "../../util/hash.h"
#include "../../util/utf8.h"
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

/* A URL value that would run script: javascript:, vbscript:, data:
 * (white space, controls and case do not hide it; an entity before the
 * scheme's ':' is taken as an attempt to hide one). */
static bool unsafe_url(const char *v, size_t n)
{
	char norm[16];
	size_t k = 0;
	for (size_t i = 0; i < n && k < sizeof norm - 1; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c == '&')
			return true;
		if (c == '/' || c == '?' || c == '#')
			return false;     /* relative: no scheme */
		if (c <= ' ')
			continue;
		norm[k++] = (char)lower_ascii(c);
		if (c == ':')
			break;
	}
	norm[k] = '\0';
	return strcmp(norm, "javascript:") == 0 || strcmp(norm, "vbscript:") == 0
	    || strcmp(norm, "data:") == 0;
}

/* Scan the attributes of a tag from s (after its name) to its '>'.
 * Returns the tag length from s, or 0 when the tag has no end or an
 * attribute is unsafe (an event handler, a script URL, a style). */
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
			if (unsafe_url(s + v, vl))
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
		if (c == '<') {
			size_t t = safe_tag(html + i, n - i);
			if (t) {
				qbuf_put(out, html + i, t);
				i += t;
			} else {
				qbuf_puts(out, "&lt;");
				i++;
			}
		} else if (c == '{') {
			/* "{{" would be read as a template tag by Anki 2.1.x */
			qbuf_puts(out, i + 1 < n && html[i + 1] == '{' ? "{&#123;" : "{");
			i += i + 1 < n && html[i + 1] == '{' ? 2 : 1;
		} else if (c == '[') {
			bool tag = PREFIX_CI(html + i, n - i, "[sound:")
				|| PREFIX_CI(html + i, n - i, "[anki:");
			qbuf_puts(out, tag ? "&#91;" : "[");
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
