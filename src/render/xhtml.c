/* xhtml.c - the study model as XHTML (see xhtml.h): escaping, inline
 * content, blocks, tables and highlighted code.
 *
 * Two walks, both with the shared iterator and never recursive: the block
 * walk (qx_block) writes block tags on enter and exit and hands every
 * inline container (paragraph, label, heading, caption, cell) to the
 * inline walk (qx_inlines), then skips its children. Tables are written
 * as a unit by plain loops over rows and cells (a cell only holds
 * inlines), so no per-depth state is needed.
 *
 * Anything a malformed model puts where it does not belong is still
 * written (as text when there is no valid place for its tags), so the
 * output stays well-formed and nothing the user wrote disappears.
 */
#include "xhtml.h"

#include <stdlib.h>
#include <string.h>

#include "../model/walk.h"
#include "../util/url.h"
#include "../util/utf8.h"
#include "highlight.h"
#include "mathml.h"

#define REPLACEMENT "\xEF\xBF\xBD"   /* U+FFFD */
/* A table of this many columns is wide: it may scroll (table_scroll). */
#define WIDE_TABLE_COLS 8

static const qx_opts default_opts = {0};

static const qx_opts *opts_or_default(const qx_opts *o)
{
	return o ? o : &default_opts;
}

/* ---- escaping -------------------------------------------------------- */

/* What replaces the ASCII byte c, or NULL to copy it. */
static const char *ascii_escape(unsigned c, bool attr)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return attr ? "&quot;" : NULL;
	case '\t': return attr ? "&#9;" : NULL;
	case '\n': return attr ? "&#10;" : NULL;
	case '\r': return attr ? "&#13;" : NULL;
	default: return c < 0x20 ? REPLACEMENT : NULL;   /* not XML 1.0 */
	}
}

/* Length of the character at p; *bad when it must become U+FFFD
 * (invalid UTF-8, U+FFFE, U+FFFF). */
static size_t non_ascii_len(const unsigned char *p, size_t n, bool *bad)
{
	size_t l = qutf8_seq_len(p, n);
	*bad = l == 0 || (l == 3 && p[0] == 0xEF && p[1] == 0xBF
			  && (p[2] == 0xBE || p[2] == 0xBF));
	return l ? l : 1;
}

/* Bytes copied as they are in text and in attributes: printable ASCII
 * but & < > and the quote. */
static bool plain_byte(unsigned char c)
{
	return c >= 0x20 && c < 0x7F && c != '&' && c != '<' && c != '>' && c != '"';
}

static void put_escaped(qbuf *b, const char *s, size_t n, bool attr)
{
	if (!s)
		return;
	const unsigned char *p = (const unsigned char *)s;
	size_t run = 0, i = 0;
	while (i < n) {
		while (i < n && plain_byte(p[i]))   /* the common case, quickly */
			i++;
		if (i == n)
			break;
		const char *rep = NULL;
		size_t adv = 1;
		if (p[i] < 0x80) {
			rep = ascii_escape(p[i], attr);
		} else {
			bool bad;
			adv = non_ascii_len(p + i, n - i, &bad);
			rep = bad ? REPLACEMENT : NULL;
		}
		if (rep) {
			qbuf_put(b, s + run, i - run);
			qbuf_puts(b, rep);
			run = i + adv;
		}
		i += adv;
	}
	qbuf_put(b, s + run, n - run);
}

void qx_text(qbuf *b, const char *s, size_t n)
{
	put_escaped(b, s, n, false);
}

void qx_attr(qbuf *b, const char *s, size_t n)
{
	put_escaped(b, s, n, true);
}

static void put_text0(qbuf *b, const char *s)
{
	if (s)
		qx_text(b, s, strlen(s));
}

/* ---- URLs ------------------------------------------------------------ */

/* The one URL policy (util/url.h); the whole-document XHTML compared
 * with cmark (external_only false) also keeps relative links, and the
 * EPUB keeps "#name" links, which it points at the chapter that holds
 * the anchor or drops. */
static bool url_allowed(const char *url, const qx_opts *o)
{
	qurl_kind k = qurl_classify(url, url ? strlen(url) : 0);
	if (!o->external_only)
		return k != QURL_REFUSED;
	return k == QURL_WEB || k == QURL_MAIL || (k == QURL_ANCHOR && o->anchors);
}

static bool is_hex(int c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* A URL as an attribute value: bytes that are not allowed in a URL are
 * percent-encoded (spaces, non-ASCII, quotes, brackets, backslashes),
 * & becomes &amp;. */
static void put_url_attr(qbuf *b, const char *url)
{
	static const char keep[] = "-._~:/?#@!$'()*+,;=";
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		int c = *p;
		bool alnum = (c >= '0' && c <= '9') || ((c | 0x20) >= 'a'
							 && (c | 0x20) <= 'z');
		if (c == '&')
			qbuf_puts(b, "&amp;");
		else if (alnum || strchr(keep, c)
			 || (c == '%' && is_hex(p[1]) && is_hex(p[2])))
			qbuf_putc(b, c);
		else
			qbuf_printf(b, "%%%02X", (unsigned)c);
	}
}

/* ---- direction ------------------------------------------------------ */

int qx_text_direction(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		if (p[i] < 0x80) {
			if ((p[i] | 0x20) >= 'a' && (p[i] | 0x20) <= 'z')
				return 1;
			i++;
			continue;
		}
		size_t l;
		int d = qutf8_direction(qutf8_decode(p + i, n - i, &l));
		if (d)
			return d;
		i += l;
	}
	return 0;
}

static bool is_code_like(qtype t)
{
	return t == QN_CODE_SPAN || t == QN_CODE || t == QN_MATH || t == QN_MATH_BLOCK;
}

int qx_direction(const qnode *n)
{
	int code = 0;
	qiter it;
	qnode *m;
	if (!n)
		return 0;
	qiter_init(&it, (qnode *)n);
	while (qiter_next_of(&it, &m, QN_NONE)) {
		if (!m->text || m->type == QN_HTML)
			continue;
		int d = qx_text_direction(m->text, m->len);
		if (d && !is_code_like(m->type))
			return d;
		if (!code)
			code = d;
	}
	return code;
}

const char *qx_dir_attr(int d, int around)
{
	if (d < 0 && around >= 0)
		return " dir=\"rtl\"";
	if (d > 0 && around < 0)
		return " dir=\"ltr\"";
	return "";
}

/* The direction of the text around a container's inlines. */
static int inline_context(const qnode *container, const qx_opts *o)
{
	int d = o->bidi ? qx_direction(container) : 0;
	return d ? d : o->rtl ? -1 : 1;
}

/* ---- formulas --------------------------------------------------------- */

/* A formula: MathML (EPUB), TeX between \( \) or \[ \] that MathJax
 * renders (the cards: their template ignores TeX elsewhere), or its TeX
 * as text when it is outside the subset MathML is written for. dir is
 * its element's direction attribute ("" or " dir=\"ltr\"" inside
 * right-to-left text). */
static void put_math(qbuf *b, const qnode *n, const qx_opts *o, bool display,
		     const char *dir)
{
	o = opts_or_default(o);
	const char *tag = display ? "div" : "span";
	if (o->math == QX_MATH_TEX) {
		qbuf_printf(b, "<%s class=\"math tex2jax_process\"%s>%s", tag, dir,
			    display ? "\\[" : "\\(");
		qx_text(b, n->text, n->len);
		qbuf_printf(b, "%s</%s>", display ? "\\]" : "\\)", tag);
	} else {
		qbuf_printf(b, "<%s class=\"math\"%s>", tag, dir);
		if (o->math != QX_MATH_MATHML || !qmathml(b, n->text, n->len, display))
			qx_text(b, n->text, n->len);
		qbuf_printf(b, "</%s>", tag);
	}
	if (display)
		qbuf_putc(b, '\n');
}

/* ---- inline content -------------------------------------------------- */

typedef struct inl {
	const qx_opts *o;
	const qnode *open_link;   /* the link whose <a> is open, or NULL */
	int dir;                  /* direction of the text around, -1 or 1 */
} inl;

static const char *url_of(const qnode *n)
{
	return n->u.link.url ? n->u.link.url : "";
}

static void put_title_attr(qbuf *b, const qnode *n)
{
	const char *t = n->u.link.title;
	if (!t || !*t)
		return;
	qbuf_puts(b, " title=\"");
	qx_attr(b, t, strlen(t));
	qbuf_putc(b, '"');
}

/* After the text of a link that is not written as <a>: its URL as text,
 * unless the text is one text node that already is the URL (autolinks)
 * or the URL is a "#name" of the document (meaningless as text).
 * In right-to-left text the address is set apart as left-to-right, or
 * its slashes and dots are reordered (`(ar-EG/README.md/..)`).
 * Constant time, so links nested in links cannot make it quadratic. */
static void put_link_tail(qbuf *b, const qnode *n, int dir)
{
	const char *url = url_of(n);
	const qnode *c = n->first;
	bool same = c && c == n->last && c->type == QN_TEXT
		    && c->len == strlen(url) && memcmp(c->text, url, c->len) == 0;
	bool note = c && qurl_names_note(url, strlen(url));   /* its text names it */
	if (*url && *url != '#' && !same && !note) {
		qbuf_puts(b, dir < 0 ? " (<span dir=\"ltr\">" : " (");
		put_text0(b, url);
		qbuf_puts(b, dir < 0 ? "</span>)" : ")");
	}
}

static void link_enter(qbuf *b, inl *st, const qnode *n)
{
	const char *url = url_of(n);
	if (st->open_link || !*url || !url_allowed(url, st->o))
		return;
	qbuf_puts(b, "<a href=\"");
	put_url_attr(b, url);
	qbuf_putc(b, '"');
	put_title_attr(b, n);
	qbuf_putc(b, '>');
	st->open_link = n;
}

static void link_exit(qbuf *b, inl *st, const qnode *n)
{
	if (st->open_link == n) {
		qbuf_puts(b, "</a>");
		st->open_link = NULL;
	} else {
		put_link_tail(b, n, st->dir);
	}
}

static void put_img(qbuf *b, const qnode *n, const char *src)
{
	qbuf alt = QBUF_INIT;
	qnode_plain(n, &alt);
	qbuf_puts(b, "<img src=\"");
	put_url_attr(b, src);
	qbuf_puts(b, "\" alt=\"");
	qx_attr(b, alt.ptr, alt.len);
	qbuf_putc(b, '"');
	put_title_attr(b, n);
	qbuf_puts(b, "/>");
	qbuf_free(&alt);
}

/* An image as <img/> (children skipped): a local file the back end keeps
 * (opts.image_src), or with opts.images a URL the policy allows. Else
 * its alt text in a span that image_exit closes, then its address; an
 * image without alt text shows its address in the span. */
static void image_enter(qbuf *b, inl *st, qiter *it, const qnode *n)
{
	const char *url = url_of(n);
	const char *src = st->o->image_src && n->u.link.file
			  ? st->o->image_src(st->o->image_ctx, n) : NULL;
	if (!src && st->o->images && *url && url_allowed(url, st->o))
		src = url;
	if (src) {
		put_img(b, n, src);
		qiter_skip(it);
		return;
	}
	qbuf_puts(b, "<span class=\"img-alt\">");
	if (!n->first)
		put_text0(b, url);
}

/* The element of a simple inline container. */
static const char *inline_tag(qtype t)
{
	switch (t) {
	case QN_EMPH: return "em";
	case QN_STRONG: return "strong";
	case QN_SUB: return "sub";
	case QN_SUP: return "sup";
	case QN_STRIKE: return "del";
	default: return "mark";
	}
}

/* A footnote reference: its label, raised; with opts.footnotes a note
 * reference to "#fn-N" (not inside a link: links do not nest). */
static void put_footref(qbuf *b, const inl *st, const qnode *n)
{
	int num = n->u.footnote.number;
	bool link = st->o->footnotes && num > 0 && !st->open_link;
	qbuf_puts(b, "<sup class=\"footref\">");
	if (link)
		qbuf_printf(b, "<a class=\"footref\" epub:type=\"noteref\" "
			    "role=\"doc-noteref\" href=\"#fn-%d\">", num);
	qx_text(b, n->text, n->len);
	qbuf_puts(b, link ? "</a></sup>" : "</sup>");
}

static void inline_enter(qbuf *b, inl *st, qiter *it, const qnode *n)
{
	switch (n->type) {
	case QN_TEXT:
		qx_text(b, n->text, n->len);
		break;
	case QN_CODE_SPAN:
	case QN_CODE:   /* code reads left to right, isolated in other text */
		qbuf_printf(b, "<code%s>", st->dir < 0 ? " dir=\"ltr\"" : "");
		qx_text(b, n->text, n->len);
		qbuf_puts(b, "</code>");
		break;
	case QN_HTML:
		qbuf_put(b, n->text, n->len);
		break;
	case QN_SOFTBREAK:
		qbuf_putc(b, '\n');
		break;
	case QN_LINEBREAK:
		qbuf_puts(b, "<br/>\n");
		break;
	case QN_EMPH: case QN_STRONG: case QN_SUB: case QN_SUP: case QN_STRIKE: case QN_MARK:
		qbuf_printf(b, "<%s>", inline_tag(n->type));
		break;
	case QN_CLOZE:
		qbuf_puts(b, "<span class=\"cloze\">");
		break;
	case QN_MATH:
		put_math(b, n, st->o, false, st->dir < 0 ? " dir=\"ltr\"" : "");
		break;
	case QN_FOOTREF:
		put_footref(b, st, n);
		break;
	case QN_LINK:
		link_enter(b, st, n);
		break;
	case QN_IMAGE:
		image_enter(b, st, it, n);
		break;
	default:
		break;   /* other containers: only their children show */
	}
}

static void inline_exit(qbuf *b, inl *st, const qnode *n)
{
	switch (n->type) {
	case QN_EMPH: case QN_STRONG: case QN_SUB: case QN_SUP: case QN_STRIKE: case QN_MARK:
		qbuf_printf(b, "</%s>", inline_tag(n->type));
		break;
	case QN_CLOZE:
		qbuf_puts(b, "</span>");
		break;
	case QN_LINK:
		link_exit(b, st, n);
		break;
	case QN_IMAGE:
		qbuf_puts(b, "</span>");
		if (n->first)
			put_link_tail(b, n, st->dir);
		break;
	default:
		break;
	}
}

void qx_inlines(qbuf *b, const qnode *container, const qx_opts *o)
{
	o = opts_or_default(o);
	inl st = {o, NULL, o->rtl ? -1 : 1};
	qiter it;
	qnode *n;
	qev ev;
	if (!container)
		return;
	if (o->bidi)
		st.dir = inline_context(container, o);
	qiter_init(&it, (qnode *)container);
	if (qtype_is_leaf(container->type)) {
		inline_enter(b, &st, &it, container);
		return;
	}
	while ((ev = qiter_next(&it, &n)) != QEV_DONE) {
		if (n == container)
			continue;
		if (ev == QEV_ENTER)
			inline_enter(b, &st, &it, n);
		else
			inline_exit(b, &st, n);
	}
}

/* ---- code ------------------------------------------------------------ */

/* Each line of code is a span of class "ln", with "iN" when it is
 * indented N steps of 4 columns (at most 8): the stylesheet sets a
 * wrapped line's continuation under its own text, further in than the
 * line itself. A line keeps its newline, so the text reads the same
 * without the stylesheet. */
static void open_line(qbuf *b, const char *s, const char *end)
{
	int col = 0;
	for (; s < end && (*s == ' ' || *s == '\t'); s++)
		col = *s == '\t' ? (col / 4 + 1) * 4 : col + 1;
	int steps = col / 4 > 8 ? 8 : col / 4;
	if (steps)
		qbuf_printf(b, "<span class=\"ln i%d\">", steps);
	else
		qbuf_puts(b, "<span class=\"ln\">");
}

/* One highlighted token, split where it crosses the end of a line. */
static void put_token(qbuf *b, const char *cls, const char *s, size_t n, const char *end,
		      bool *open)
{
	while (n) {
		if (!*open) {
			open_line(b, s, end);
			*open = true;
		}
		const char *nl = memchr(s, '\n', n);
		size_t seg = nl ? (size_t)(nl - s) : n;
		if (seg && *cls)
			qbuf_printf(b, "<span class=\"%s\">", cls);
		qx_text(b, s, seg);
		if (seg && *cls)
			qbuf_puts(b, "</span>");
		if (nl) {
			qbuf_puts(b, "\n</span>");
			*open = false;
			seg++;
		}
		s += seg;
		n -= seg;
	}
}

/* A code block; ltr: set left to right inside right-to-left text. */
static void put_code(qbuf *b, const qnode *code, bool ltr)
{
	const char *lang = code->u.code.lang ? code->u.code.lang : "";
	const char *hl = qhl_lang(lang);
	const char *shown = hl[0] ? hl : lang;
	const char *cap = code->u.code.caption;
	if (code->type == QN_CODE && cap && *cap) {
		qbuf_puts(b, "<p class=\"code-caption\">");
		put_text0(b, cap);
		qbuf_puts(b, "</p>\n");
	}
	qbuf_puts(b, ltr ? "<pre class=\"code\" dir=\"ltr\"" : "<pre class=\"code\"");
	if (code->type == QN_CODE && *shown) {
		qbuf_puts(b, " data-lang=\"");
		qx_attr(b, shown, strlen(shown));
		qbuf_putc(b, '"');
	}
	qbuf_puts(b, "><code>");
	qtoken *t = NULL;
	size_t cnt = qhighlight(code->type == QN_CODE ? hl : "", code->text,
				code->len, &t);
	const char *end = code->text + code->len;
	bool open = false;
	for (size_t k = 0; k < cnt; k++)
		put_token(b, qtok_class(t[k].kind), code->text + t[k].off, t[k].len, end,
			  &open);
	if (open)
		qbuf_puts(b, "</span>");
	free(t);
	qbuf_puts(b, "</code></pre>\n");
}

void qx_code(qbuf *b, const qnode *code)
{
	put_code(b, code, false);
}

/* ---- tables ---------------------------------------------------------- */

static void put_cell(qbuf *b, const qnode *t, const qnode *c, int col,
		     bool head, const qx_opts *o, int tdir)
{
	static const char *const align_class[] = {
		"", " class=\"al-left\"", " class=\"al-center\"",
		" class=\"al-right\""};
	const char *tag = head ? "th" : "td";
	qalign a = QALIGN_NONE;
	if (t->u.table.align && col < t->u.table.ncols)
		a = t->u.table.align[col];
	if ((int)a < QALIGN_NONE || (int)a > QALIGN_RIGHT)
		a = QALIGN_NONE;
	size_t start = b->len;
	qbuf_printf(b, "<%s%s%s%s>", tag, head ? " scope=\"col\"" : "",
		    align_class[a], o->bidi ? qx_dir_attr(qx_direction(c), tdir) : "");
	size_t inner = b->len;
	if (c && c->type == QN_CELL) {
		qx_inlines(b, c, o);
	} else if (c) {
		qbuf plain = QBUF_INIT;
		qnode_plain(c, &plain);
		qx_text(b, plain.ptr, plain.len);
		qbuf_free(&plain);
	}
	if (head && b->len == inner) {
		/* an empty header cell heads nothing: a plain cell */
		qbuf_truncate(b, start);
		qbuf_printf(b, "<td%s></td>", align_class[a]);
		return;
	}
	qbuf_printf(b, "</%s>", tag);
}

static void put_row(qbuf *b, const qnode *t, const qnode *row, bool head,
		    const qx_opts *o, int tdir)
{
	int col = 0;
	int pad = t->u.table.ncols;   /* a short row gets empty cells */
	qbuf_puts(b, "<tr>");
	if (row->type != QN_ROW) {   /* a stray block: its text in one cell */
		put_cell(b, t, row, col++, head, o, tdir);
	} else {
		for (const qnode *c = row->first; c; c = c->next)
			put_cell(b, t, c, col++, head, o, tdir);
	}
	for (; col < pad; col++)
		put_cell(b, t, NULL, col, head, o, tdir);
	qbuf_puts(b, "</tr>\n");
}

/* A table; around: the direction of the text around it. */
static void put_table(qbuf *b, const qnode *t, const qx_opts *o, int around)
{
	const qnode *c = t->first;
	bool body = false, seen_row = false;
	int d = o->bidi ? qx_direction(t) : 0;
	int tdir = d ? d : around;
	bool wrap = o->table_scroll && t->u.table.ncols >= WIDE_TABLE_COLS;
	if (wrap)
		qbuf_puts(b, "<div class=\"table-wrap\" tabindex=\"0\">\n");
	qbuf_printf(b, "<table class=\"grid%s\"%s>\n", wrap ? " wide" : "",
		    qx_dir_attr(d, around));
	if (c && c->type == QN_CAPTION) {
		qbuf_printf(b, "<caption%s>", o->bidi ? qx_dir_attr(qx_direction(c), tdir) : "");
		qx_inlines(b, c, o);
		qbuf_puts(b, "</caption>\n");
		c = c->next;
	}
	for (; c; c = c->next) {
		if (c->type == QN_ROW && !seen_row && !body && t->u.table.header) {
			qbuf_puts(b, "<thead>\n");
			put_row(b, t, c, true, o, tdir);
			qbuf_puts(b, "</thead>\n");
		} else {
			if (!body)
				qbuf_puts(b, "<tbody>\n");
			body = true;
			put_row(b, t, c, false, o, tdir);
		}
		seen_row |= c->type == QN_ROW;
	}
	if (body)
		qbuf_puts(b, "</tbody>\n");
	qbuf_puts(b, "</table>\n");
	if (wrap)
		qbuf_puts(b, "</div>\n");
}

/* ---- blocks ---------------------------------------------------------- */

#define DIR_DEPTH 64

typedef struct blk {
	const qx_opts *o;
	const qnode *root;
	inl in;   /* for inline nodes met where blocks belong */
	signed char dir[DIR_DEPTH];   /* direction inside each open element
	                               * by walk depth (o->bidi) */
} blk;

/* The direction of the text around the node at walk depth `depth`. */
static int dir_around(const blk *st, int depth)
{
	if (depth <= 0)
		return st->o->rtl ? -1 : 1;
	return st->dir[depth - 1 < DIR_DEPTH ? depth - 1 : DIR_DEPTH - 1];
}

/* The dir attribute of an element for node n at depth (its text starts
 * in the other direction than the text around it), and the direction
 * inside it for its children. */
static const char *dir_of(blk *st, const qnode *n, int depth)
{
	int around = dir_around(st, depth);
	int d = st->o->bidi ? qx_direction(n) : 0;
	if (is_code_like(n->type) && st->o->bidi)
		d = 1;
	st->dir[depth < DIR_DEPTH ? depth : DIR_DEPTH - 1] = (signed char)(d ? d : around);
	return qx_dir_attr(d, around);
}

static bool in_tight_item(const qnode *n)
{
	const qnode *item = n->parent;
	return n->type == QN_PARAGRAPH && item && item->type == QN_ITEM
	       && item->parent && item->parent->type == QN_LIST
	       && item->parent->u.list.tight;
}

/* A block that is not an item directly in a list gets its own <li>. */
static bool needs_li(const blk *st, const qnode *n)
{
	return n != st->root && n->type != QN_ITEM && n->parent
	       && n->parent->type == QN_LIST;
}

static void put_heading(qbuf *b, const qnode *n, const qx_opts *o,
			const char *dir)
{
	int level = n->u.level + o->heading_base;
	level = level < 1 ? 1 : level > 6 ? 6 : level;
	if (o->heading_chain) {   /* never more than one below the last */
		if (*o->heading_chain >= 1 && level > *o->heading_chain + 1)
			level = *o->heading_chain + 1;
		*o->heading_chain = level;
	}
	qbuf_printf(b, "<h%d class=\"sub\"%s>", level, dir);
	qx_inlines(b, n, o);
	qbuf_printf(b, "</h%d>\n", level);
}

/* An inline container as a whole element: open tag, inlines, close. */
static void put_inline_block(qbuf *b, const qnode *n, const qx_opts *o,
			     const char *dir)
{
	if (in_tight_item(n)) {
		qx_inlines(b, n, o);
		if (n->next)
			qbuf_putc(b, '\n');
	} else if (n->type == QN_HEADING) {
		put_heading(b, n, o, dir);
	} else if (n->type == QN_CAPTION && n->parent
		   && n->parent->type == QN_CALLOUT) {
		qbuf_printf(b, "<p class=\"callout-title\"%s>", dir);
		qx_inlines(b, n, o);
		qbuf_puts(b, "</p>\n");
	} else {
		qbuf_printf(b, n->type == QN_LABEL ? "<p class=\"label\"%s>" : "<p%s>", dir);
		qx_inlines(b, n, o);
		qbuf_puts(b, "</p>\n");
	}
}

static void put_list_open(qbuf *b, const qnode *n, const char *dir)
{
	if (!n->u.list.ordered)
		qbuf_printf(b, "<ul%s>\n", dir);
	else if (n->u.list.start != 1)
		qbuf_printf(b, "<ol start=\"%d\"%s>\n", n->u.list.start, dir);
	else
		qbuf_printf(b, "<ol%s>\n", dir);
}

/* A callout: a framed note of its kind, titled by its caption or, when
 * it has none, by its kind ("Warning", or the language's word for it). */
static void put_callout_open(qbuf *b, const qnode *n, const qx_opts *o, const char *dir)
{
	const char *kind = n->u.callout.kind && *n->u.callout.kind
				   ? n->u.callout.kind : "note";
	qbuf_puts(b, "<div class=\"callout callout-");
	for (const char *k = kind; *k; k++) {   /* a class name */
		char c = *k >= 'A' && *k <= 'Z' ? (char)(*k + 32) : *k;
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
		qbuf_putc(b, ok ? c : '-');
	}
	qbuf_printf(b, "\" role=\"note\"%s>\n", dir);
	if (n->first && n->first->type == QN_CAPTION)
		return;
	qbuf_puts(b, "<p class=\"callout-title\">");
	qbuf title = QBUF_INIT;
	qw_callout_title(&title, o->words ? o->words : qw_for(NULL), kind);
	put_text0(b, title.ptr);
	qbuf_free(&title);
	qbuf_puts(b, "</p>\n");
}

static void put_footnote_open(qbuf *b, const qnode *n, const char *dir)
{
	qbuf_printf(b, "<div class=\"footnote\"%s>\n<p class=\"footnote-label\">", dir);
	if (n->u.footnote.number > 0)   /* as its references show it */
		qbuf_printf(b, "%d", n->u.footnote.number);
	else
		put_text0(b, n->u.footnote.label);
	qbuf_puts(b, "</p>\n");
}

static void put_html(qbuf *b, const qnode *n)
{
	qbuf_put(b, n->text, n->len);
	if (n->len && n->text[n->len - 1] != '\n')
		qbuf_putc(b, '\n');
}

static void block_enter(qbuf *b, blk *st, qiter *it, const qnode *n)
{
	const qtype t = n->type;
	if (n != st->root && (t == QN_CARD || t == QN_SECTION)) {
		qiter_skip(it);   /* laid out by the back end */
		return;
	}
	int depth = it->depth;
	int around = dir_around(st, depth);
	const char *dir = dir_of(st, n, depth);
	if (needs_li(st, n))
		qbuf_puts(b, "<li>");
	switch (t) {
	case QN_PARAGRAPH: case QN_HEADING: case QN_LABEL: case QN_TITLE:
	case QN_QUESTION: case QN_CAPTION: case QN_CELL:
		put_inline_block(b, n, st->o, dir);
		qiter_skip(it);
		break;
	case QN_TABLE:
		put_table(b, n, st->o, around);
		qiter_skip(it);
		break;
	case QN_LIST:
		put_list_open(b, n, dir);
		break;
	case QN_ITEM:
		if (n->parent && n->parent->type == QN_LIST)
			qbuf_printf(b, "<li%s>", dir);
		break;
	case QN_CODE:
		put_code(b, n, *dir != '\0');
		break;
	case QN_QUOTE:
		qbuf_printf(b, "<blockquote%s>\n", dir);
		break;
	case QN_RULE:
		qbuf_puts(b, "<hr/>\n");
		break;
	case QN_HTML:
		put_html(b, n);
		break;
	case QN_MATH_BLOCK:
		put_math(b, n, st->o, true, dir);
		break;
	case QN_CALLOUT:
		put_callout_open(b, n, st->o, dir);
		break;
	case QN_FOOTNOTE:
		if (st->o->footnotes && n != st->root)
			qiter_skip(it);   /* the back end places the note */
		else
			put_footnote_open(b, n, dir);
		break;
	default:
		inline_enter(b, &st->in, it, n);
		break;
	}
	/* leaves and skipped containers get no exit event */
	if (needs_li(st, n) && (qtype_is_leaf(t) || it->ev == QEV_EXIT))
		qbuf_puts(b, "</li>\n");
}

static void block_exit(qbuf *b, blk *st, const qnode *n)
{
	switch (n->type) {
	case QN_LIST:
		qbuf_puts(b, n->u.list.ordered ? "</ol>\n" : "</ul>\n");
		break;
	case QN_ITEM:
		if (n->parent && n->parent->type == QN_LIST)
			qbuf_puts(b, "</li>\n");
		break;
	case QN_QUOTE:
		qbuf_puts(b, "</blockquote>\n");
		break;
	case QN_CALLOUT: case QN_FOOTNOTE:
		qbuf_puts(b, "</div>\n");
		break;
	default:
		inline_exit(b, &st->in, n);
		break;
	}
	if (needs_li(st, n))
		qbuf_puts(b, "</li>\n");
}

void qx_block(qbuf *b, const qnode *block, const qx_opts *o)
{
	o = opts_or_default(o);
	blk st = {o, block, {o, NULL, o->rtl ? -1 : 1}, {0}};
	qiter it;
	qnode *n;
	qev ev;
	if (!block)
		return;
	qiter_init(&it, (qnode *)block);
	while ((ev = qiter_next(&it, &n)) != QEV_DONE) {
		if (ev == QEV_ENTER)
			block_enter(b, &st, &it, n);
		else
			block_exit(b, &st, n);
	}
}

void qx_blocks(qbuf *b, const qnode *container, const qx_opts *o)
{
	if (!container)
		return;
	o = opts_or_default(o);
	for (const qnode *c = container->first; c; c = c->next)
		if (c->type != QN_CARD && c->type != QN_SECTION
		    && c->type != QN_TITLE && !(c->type == QN_FOOTNOTE && o->footnotes))
			qx_block(b, c, o);
}
