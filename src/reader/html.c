/* html.c - whitelist sanitizer for HTML found in notes (see html.h).
 *
 * A small tokenizer (text, tags, comments) drives a stack of open
 * elements; output is written as it goes and whatever is still open at
 * the end is closed. Nothing recurses.
 */
#include "html.h"

#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "../util/find.h"
#include "../util/url.h"

#define MAX_OPEN 64

typedef struct elem {
	const char *name;
	bool is_void;
	const char *attrs[4];   /* allowed attributes */
} elem;

static const elem allowed[] = {
	{"p", 0, {0}}, {"br", 1, {0}}, {"hr", 1, {0}}, {"b", 0, {0}},
	{"strong", 0, {0}}, {"i", 0, {0}}, {"em", 0, {0}}, {"u", 0, {0}},
	{"s", 0, {0}}, {"del", 0, {0}}, {"ins", 0, {0}}, {"code", 0, {0}},
	{"pre", 0, {0}}, {"kbd", 0, {0}}, {"samp", 0, {0}}, {"var", 0, {0}},
	{"sub", 0, {0}}, {"sup", 0, {0}}, {"small", 0, {0}}, {"mark", 0, {0}},
	{"span", 0, {0}}, {"div", 0, {0}}, {"blockquote", 0, {0}},
	{"ul", 0, {0}}, {"ol", 0, {"start"}}, {"li", 0, {0}}, {"dl", 0, {0}},
	{"dt", 0, {0}}, {"dd", 0, {0}}, {"table", 0, {0}}, {"thead", 0, {0}},
	{"tbody", 0, {0}}, {"tfoot", 0, {0}}, {"tr", 0, {0}},
	{"th", 0, {"colspan", "rowspan"}}, {"td", 0, {"colspan", "rowspan"}},
	{"caption", 0, {0}}, {"h1", 0, {0}}, {"h2", 0, {0}}, {"h3", 0, {0}},
	{"h4", 0, {0}}, {"h5", 0, {0}}, {"h6", 0, {0}}, {"a", 0, {"href", "title"}},
	{"img", 1, {"src", "alt", "title"}}, {"abbr", 0, {"title"}},
	{"cite", 0, {0}}, {"q", 0, {0}}, {"figure", 0, {0}},
	{"figcaption", 0, {0}}, {"details", 0, {0}}, {"summary", 0, {0}},
	{"section", 0, {0}}, {"center", 0, {0}},
};

/* Every element of HTML (the living standard, with the obsolete ones
 * still met in notes), sorted for bsearch. */
static const char *const html_elements[] = {
	"a", "abbr", "acronym", "address", "area", "article", "aside", "audio",
	"b", "base", "basefont", "bdi", "bdo", "big", "blink", "blockquote",
	"body", "br", "button", "canvas", "caption", "center", "cite", "code",
	"col", "colgroup", "data", "datalist", "dd", "del", "details", "dfn",
	"dialog", "dir", "div", "dl", "dt", "em", "embed", "fieldset",
	"figcaption", "figure", "font", "footer", "form", "frame", "frameset",
	"h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr",
	"html", "i", "iframe", "img", "input", "ins", "kbd", "label", "legend",
	"li", "link", "main", "map", "mark", "marquee", "math", "menu",
	"menuitem", "meta", "meter", "nav", "nobr", "noframes", "noscript",
	"object", "ol", "optgroup", "option", "output", "p", "param", "picture",
	"pre", "progress", "q", "rp", "rt", "ruby", "s", "samp", "script",
	"search", "section", "select", "slot", "small", "source", "span",
	"strike", "strong", "style", "sub", "summary", "sup", "svg", "table",
	"tbody", "td", "template", "textarea", "tfoot", "th", "thead", "time",
	"title", "tr", "track", "tt", "u", "ul", "var", "video", "wbr",
};

static int cmp_name(const void *key, const void *entry)
{
	return strcmp(key, *(const char *const *)entry);
}

bool qhtml_is_element(const char *name, size_t n)
{
	char low[16];
	if (!n || n >= sizeof low)
		return false;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
	low[n] = '\0';
	return bsearch(low, html_elements, sizeof html_elements / sizeof html_elements[0],
		       sizeof html_elements[0], cmp_name) != NULL;
}

/* Elements removed together with everything inside them. */
static const char *const dropped_with_content[] = {
	"script", "style", "iframe", "object", "embed", "noscript", "template",
	"svg", "math", "textarea", "select", "title", "head", NULL,
};

typedef struct entity {
	const char *name;
	unsigned cp;
} entity;

static const entity entities[] = {
	{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''},
	{"nbsp", 0xA0}, {"copy", 0xA9}, {"reg", 0xAE}, {"trade", 0x2122},
	{"mdash", 0x2014}, {"ndash", 0x2013}, {"hellip", 0x2026},
	{"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201C},
	{"rdquo", 0x201D}, {"laquo", 0xAB}, {"raquo", 0xBB}, {"bull", 0x2022},
	{"middot", 0xB7}, {"deg", 0xB0}, {"times", 0xD7}, {"divide", 0xF7},
	{"plusmn", 0xB1}, {"euro", 0x20AC}, {"pound", 0xA3}, {"yen", 0xA5},
	{"cent", 0xA2}, {"sect", 0xA7}, {"para", 0xB6}, {"rarr", 0x2192},
	{"larr", 0x2190}, {"uarr", 0x2191}, {"darr", 0x2193}, {"harr", 0x2194},
	{"rArr", 0x21D2}, {"lArr", 0x21D0}, {"hArr", 0x21D4}, {"le", 0x2264},
	{"ge", 0x2265}, {"ne", 0x2260}, {"check", 0x2713}, {"frac12", 0xBD},
	{"frac14", 0xBC}, {"frac34", 0xBE}, {"shy", 0xAD}, {"zwj", 0x200D},
	{"zwnj", 0x200C}, {"thinsp", 0x2009}, {"ensp", 0x2002}, {"emsp", 0x2003},
	{"eacute", 0xE9}, {"egrave", 0xE8}, {"agrave", 0xE0}, {"uuml", 0xFC},
	{"ouml", 0xF6}, {"auml", 0xE4}, {"szlig", 0xDF}, {"ccedil", 0xE7},
	{"alpha", 0x3B1}, {"beta", 0x3B2}, {"gamma", 0x3B3}, {"delta", 0x3B4},
	{"lambda", 0x3BB}, {"mu", 0x3BC}, {"pi", 0x3C0}, {"sigma", 0x3C3},
	{"infin", 0x221E}, {"sum", 0x2211}, {"minus", 0x2212},
};

size_t qhtml_entity(const char *s, size_t n, unsigned *cp)
{
	if (n < 3 || s[0] != '&')
		return 0;
	const char *semi = memchr(s, ';', n < 34 ? n : 34);
	if (!semi)
		return 0;
	size_t len = (size_t)(semi - s) + 1;
	if (s[1] == '#') {
		char *end;
		unsigned long v = (s[2] == 'x' || s[2] == 'X') ? strtoul(s + 3, &end, 16)
							       : strtoul(s + 2, &end, 10);
		if (end != semi || v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
			return 0;
		*cp = (unsigned)v;
		return len;
	}
	for (size_t i = 0; i < sizeof entities / sizeof entities[0]; i++)
		if (strlen(entities[i].name) == len - 2 && memcmp(s + 1, entities[i].name, len - 2) == 0) {
			*cp = entities[i].cp;
			return len;
		}
	return 0;
}

/* Text content: decode entities, escape & < >, drop XML-illegal bytes. */
static void put_text(qbuf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		unsigned cp;
		size_t l;
		if (c == '&' && (l = qhtml_entity(s + i, n - i, &cp))) {
			if (cp == '&')
				qbuf_puts(out, "&amp;");
			else if (cp == '<')
				qbuf_puts(out, "&lt;");
			else if (cp == '>')
				qbuf_puts(out, "&gt;");
			else if (cp < 0x20 && cp != '\t' && cp != '\n')
				qbuf_put_utf8(out, 0xFFFD);
			else
				qbuf_put_utf8(out, cp);
			i += l - 1;
		} else if (c == '&') {
			qbuf_puts(out, "&amp;");
		} else if (c == '<') {
			qbuf_puts(out, "&lt;");
		} else if (c == '>') {
			qbuf_puts(out, "&gt;");
		} else if (c < 0x20 && c != '\t' && c != '\n') {
			qbuf_put_utf8(out, 0xFFFD);
		} else {
			qbuf_putc(out, (char)c);
		}
	}
}

static const elem *find_elem(const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
		if (strlen(allowed[i].name) == n && strncasecmp(allowed[i].name, name, n) == 0)
			return &allowed[i];
	return NULL;
}

static bool drops_content(const char *name, size_t n)
{
	for (int i = 0; dropped_with_content[i]; i++)
		if (strlen(dropped_with_content[i]) == n && strncasecmp(dropped_with_content[i], name, n) == 0)
			return true;
	return false;
}

/* A URL attribute passes the one URL policy (util/url.h) as a browser
 * reads it: entities decoded first, so "&#x66;ile:" is file:. */
static bool safe_url(const char *v, size_t n, bool image)
{
	qbuf dec = QBUF_INIT;
	for (size_t k = 0; k < n; k++) {
		unsigned cp;
		size_t l = v[k] == '&' ? qhtml_entity(v + k, n - k, &cp) : 0;
		if (l) {
			qbuf_put_utf8(&dec, cp);
			k += l - 1;
		} else {
			qbuf_putc(&dec, v[k]);
		}
	}
	/* an image's relative path is read by the reader's image finder,
	 * which keeps to the notes' folder; as a link it is refused */
	bool ok = qurl_link_ok(dec.ptr, dec.len)
		  || (image && qurl_classify(dec.ptr, dec.len) == QURL_RELATIVE);
	qbuf_free(&dec);
	return ok;
}

typedef struct tag {
	const char *name;
	size_t nlen;
	bool closing, self_closing;
	const char *attrs;   /* between the name and '>' */
	size_t alen;
	size_t len;          /* whole tag */
} tag;

/* Parse a tag at s ('<' first); false when it is not one. */
static bool parse_tag(const char *s, size_t n, tag *t)
{
	memset(t, 0, sizeof *t);
	size_t i = 1;
	if (i < n && s[i] == '/') {
		t->closing = true;
		i++;
	}
	t->name = s + i;
	while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
		i++;
	t->nlen = (size_t)(s + i - t->name);
	if (!t->nlen)
		return false;
	t->attrs = s + i;
	char q = 0;
	for (; i < n; i++) {
		if (q) {
			if (s[i] == q)
				q = 0;
		} else if (s[i] == '"' || s[i] == '\'') {
			q = s[i];
		} else if (s[i] == '>') {
			break;
		}
	}
	if (i >= n)
		return false;
	t->alen = (size_t)(s + i - t->attrs);
	t->self_closing = t->alen && t->attrs[t->alen - 1] == '/';
	t->len = i + 1;
	return true;
}

/* An attribute value: entities decoded, then & < > " escaped. */
static void put_attr_value(qbuf *out, const char *v, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		unsigned cp = (unsigned char)v[k];
		size_t l = v[k] == '&' ? qhtml_entity(v + k, n - k, &cp) : 0;
		if (l)
			k += l - 1;
		if (cp == '&')
			qbuf_puts(out, "&amp;");
		else if (cp == '<')
			qbuf_puts(out, "&lt;");
		else if (cp == '>')
			qbuf_puts(out, "&gt;");
		else if (cp == '"')
			qbuf_puts(out, "&quot;");
		else if (cp < 0x20)
			qbuf_putc(out, ' ');
		else if (l)
			qbuf_put_utf8(out, cp);
		else
			qbuf_putc(out, v[k]);
	}
}

/* Add name (n bytes, any case) to a report's list of names, once. */
static void note_name(char *list, size_t cap, const char *name, size_t n)
{
	char low[32];
	if (n >= sizeof low)
		n = sizeof low - 1;
	for (size_t i = 0; i < n; i++)
		low[i] = name[i] >= 'A' && name[i] <= 'Z' ? (char)(name[i] + 32) : name[i];
	low[n] = '\0';
	size_t len = strlen(list);
	for (const char *p = list; (p = strstr(p, low)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
			return;
	if (len && strcmp(list + len - 3, "...") == 0)
		return;
	if (len + n + 2 + 5 >= cap)
		snprintf(list + len, cap - len, "%s...", len ? ", " : "");
	else
		snprintf(list + len, cap - len, "%s%s", len ? ", " : "", low);
}

/* Write the allowed attributes of a tag. */
static void put_attrs(qbuf *out, const elem *e, const tag *t, qhtml_report *r)
{
	const char *s = t->attrs, *end = t->attrs + t->alen;
	while (s < end) {
		while (s < end && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '/'))
			s++;
		const char *name = s;
		while (s < end && *s != '=' && *s != ' ' && *s != '\t' && *s != '\n' && *s != '/')
			s++;
		size_t nl = (size_t)(s - name);
		const char *val = "";
		size_t vl = 0;
		if (s < end && *s == '=') {
			s++;
			char q = (s < end && (*s == '"' || *s == '\'')) ? *s++ : 0;
			val = s;
			while (s < end && (q ? *s != q : (*s != ' ' && *s != '\t')))
				s++;
			vl = (size_t)(s - val);
			if (q && s < end)
				s++;
		}
		if (!nl)
			continue;
		bool ok = false;
		for (int k = 0; k < 4 && e->attrs[k] && !ok; k++)
			ok = strlen(e->attrs[k]) == nl && strncasecmp(e->attrs[k], name, nl) == 0;
		if (ok && (strncasecmp(name, "href", nl) == 0 || strncasecmp(name, "src", nl) == 0))
			ok = safe_url(val, vl, strncasecmp(name, "src", nl) == 0);
		if (!ok) {
			r->removed_attrs++;
			note_name(r->attr_names, sizeof r->attr_names, name, nl);
			continue;
		}
		qbuf_putc(out, ' ');
		for (size_t k = 0; k < nl; k++)
			qbuf_putc(out, name[k] >= 'A' && name[k] <= 'Z' ? name[k] + 32 : name[k]);
		qbuf_puts(out, "=\"");
		put_attr_value(out, val, vl);
		qbuf_putc(out, '"');
	}
}

typedef struct sanitizer {
	qbuf *out;
	qhtml_report *r;
	const elem *open[MAX_OPEN];
	int depth;
	int skipping;          /* inside a dropped element */
	const char *skip_name;
	size_t skip_len;
} sanitizer;

static void close_to(sanitizer *z, int depth)
{
	while (z->depth > depth) {
		const elem *e = z->open[--z->depth];
		qbuf_printf(z->out, "</%s>", e->name);
	}
}

static bool named(const elem *e, const char *const *names)
{
	for (int i = 0; names[i]; i++)
		if (strcmp(e->name, names[i]) == 0)
			return true;
	return false;
}

/* HTML's implied end tags, as browsers apply them: a block element closes
 * an open <p> (`<p><a>..</a><ol>` is a paragraph, then a list), a <li>
 * closes the open <li> of its list. Without this the fragment would not
 * be valid XHTML. */
static void close_implied(sanitizer *z, const elem *e)
{
	static const char *const blocks[] = {
		"p", "div", "ul", "ol", "dl", "table", "blockquote", "pre", "h1", "h2",
		"h3", "h4", "h5", "h6", "hr", "figure", "figcaption", "details",
		"summary", "section", "center", NULL};
	static const char *const p_scope[] = {"table", "td", "th", "caption", NULL};
	static const char *const li_scope[] = {"ul", "ol", NULL};
	if (named(e, blocks)) {
		for (int k = z->depth - 1; k >= 0 && !named(z->open[k], p_scope); k--)
			if (strcmp(z->open[k]->name, "p") == 0) {
				close_to(z, k);
				break;
			}
	}
	if (strcmp(e->name, "li") == 0) {
		for (int k = z->depth - 1; k >= 0 && !named(z->open[k], li_scope); k--)
			if (strcmp(z->open[k]->name, "li") == 0) {
				close_to(z, k);
				break;
			}
	}
}

static void on_tag(sanitizer *z, const tag *t)
{
	if (z->skipping) {
		if (t->nlen == z->skip_len && strncasecmp(t->name, z->skip_name, t->nlen) == 0)
			z->skipping += t->closing ? -1 : 1;
		return;
	}
	if (!t->closing && drops_content(t->name, t->nlen)) {
		z->r->removed_elements++;
		note_name(z->r->element_names, sizeof z->r->element_names, t->name, t->nlen);
		if (!t->self_closing) {
			z->skipping = 1;
			z->skip_name = t->name;
			z->skip_len = t->nlen;
		}
		return;
	}
	const elem *e = find_elem(t->name, t->nlen);
	if (!e) {
		z->r->removed_elements++;
		note_name(z->r->element_names, sizeof z->r->element_names, t->name, t->nlen);
		return;   /* unknown element: tag dropped, text kept */
	}
	if (t->closing) {
		for (int k = z->depth - 1; k >= 0; k--)
			if (z->open[k] == e) {
				close_to(z, k);
				return;
			}
		return;   /* stray closing tag */
	}
	close_implied(z, e);
	qbuf_printf(z->out, "<%s", e->name);
	put_attrs(z->out, e, t, z->r);
	if (e->is_void) {
		qbuf_puts(z->out, "/>");
	} else if (z->depth < MAX_OPEN) {
		qbuf_putc(z->out, '>');
		z->open[z->depth++] = e;
	} else {
		qbuf_printf(z->out, "></%s>", e->name);
	}
}

void qhtml_sanitize(const char *s, size_t n, qbuf *out, qhtml_report *r)
{
	qhtml_report dummy;
	sanitizer z = {.out = out, .r = r ? r : &dummy};
	memset(z.r, 0, sizeof *z.r);
	size_t i = 0, text = 0;
	while (i < n) {
		if (s[i] != '<') {
			i++;
			continue;
		}
		if (!z.skipping)
			put_text(out, s + text, i - text);
		if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
			const char *end = qmemmem(s + i + 4, n - i - 4, "-->", 3);
			i = end ? (size_t)(end - s) + 3 : n;
			text = i;
			continue;
		}
		tag t;
		if (parse_tag(s + i, n - i, &t)) {
			on_tag(&z, &t);
			i += t.len;
		} else {
			if (!z.skipping)
				qbuf_puts(out, "&lt;");
			i++;
		}
		text = i;
	}
	if (!z.skipping)
		put_text(out, s + text, n - text);
	close_to(&z, 0);
}

bool qhtml_attr(const char *t, size_t n, const char *name, qbuf *out)
{
	size_t nl = strlen(name), i = 1;
	while (i < n && t[i] != ' ' && t[i] != '\t' && t[i] != '\n' && t[i] != '>')
		i++;   /* the element's name */
	while (i < n) {
		while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '/'))
			i++;
		size_t a = i;
		while (i < n && t[i] != '=' && t[i] != ' ' && t[i] != '>' && t[i] != '/' && t[i] != '\t')
			i++;
		size_t an = i - a;
		if (!an)
			return false;
		while (i < n && (t[i] == ' ' || t[i] == '\t'))
			i++;
		const char *v = "";
		size_t vn = 0;
		if (i < n && t[i] == '=') {
			i++;
			while (i < n && (t[i] == ' ' || t[i] == '\t'))
				i++;
			char q = i < n && (t[i] == '"' || t[i] == '\'') ? t[i++] : 0;
			v = t + i;
			while (i < n && (q ? t[i] != q : (t[i] != ' ' && t[i] != '>' && t[i] != '\t')))
				i++;
			vn = (size_t)(t + i - v);
			if (q && i < n)
				i++;
		}
		if (an == nl && strncasecmp(t + a, name, nl) == 0) {
			for (size_t k = 0; k < vn;) {
				unsigned cp;
				size_t l = v[k] == '&' ? qhtml_entity(v + k, vn - k, &cp) : 0;
				if (l) {
					qbuf_put_utf8(out, cp);
					k += l;
				} else {
					qbuf_putc(out, v[k++]);
				}
			}
			return true;
		}
	}
	return false;
}
