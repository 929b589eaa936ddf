/* build.c - from cmark's tree to the study model (see build.h). */
#include "build.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/walk.h"
#include "../util/find.h"
#include "../util/utf8.h"
#include "classify.h"
#include "code.h"
#include "divs.h"
#include "html.h"
#include "math.h"

#define MAX_SECTIONS 16
#define CONVERT_DEPTH 24

typedef struct builder {
	qdoc *doc;
	qdiags *d;
	qbuild_opts o;
	const qlift *lift;
	cmark_mem *mem;           /* cmark's allocator of the current part */
	qnode *sec[MAX_SECTIONS];
	int sec_level[MAX_SECTIONS];
	int nsec;
	qnode *card;
	qnode *answer;
	int card_level;
	int card_q;          /* index in doc->questions */
	int capq;
	bool depth_warned;
	bool spoiler;        /* inside <details><summary>Answer</summary> */
	bool folded;         /* the card's folded answer has closed */
	qnode *folded_last;  /* the answer's last block then (NULL: none) */
	qnode *grow;         /* the text node append_text() grows, with room */
	const char *grow_text; /* where its room starts */
	size_t grow_cap;     /* for grow_cap bytes */
	qnode *recent;       /* the section its heading opened last: an answer
	                      * marker in it makes that heading a question */
	qnode *lead;         /* the label a paragraph made last, alone: a
	                      * formula right after it makes it a paragraph */
	cmark_node *ord_item; /* the item item_ordinal() numbered last, */
	int ord_value;        /* and its number: the next item's is one more */
	qbuf tmp;
} builder;

/* ------------------------------------------------------------ helpers */

static int src_line(const builder *b, cmark_node *n)
{
	return qlift_src(b->lift, cmark_node_get_start_line(n));
}

static qnode *container(builder *b)
{
	if (b->card)
		return b->answer;
	return b->nsec ? b->sec[b->nsec - 1] : b->doc->root;
}

static const char *plain_of(builder *b, const qnode *n)
{
	qbuf_reset(&b->tmp);
	qnode_plain(n, &b->tmp);
	const char *s = b->tmp.ptr;
	size_t len = qc_trim(&s, b->tmp.len);
	return qdoc_strdup(b->doc, s, len);
}

static bool accepts_blocks(qtype t)
{
	return t == QN_DOCUMENT || t == QN_SECTION || t == QN_ANSWER
	    || t == QN_ITEM || t == QN_QUOTE;
}

static bool is_inline_container(qtype t)
{
	return t == QN_PARAGRAPH || t == QN_HEADING || t == QN_LABEL
	    || t == QN_TITLE || t == QN_QUESTION || t == QN_CELL
	    || t == QN_CAPTION || t == QN_EMPH || t == QN_STRONG
	    || t == QN_LINK || t == QN_IMAGE || t == QN_SUB || t == QN_SUP
	    || t == QN_STRIKE || t == QN_MARK || t == QN_CLOZE;
}

/* Append text to parent, merging with a preceding text node. */
/* Append text to parent, merging with a preceding text node. The node
 * the builder merged into last has room to grow (doubled when full), so
 * text cmark hands over in many pieces (`_a _a _a ...`) costs linear
 * time, not the square of its length. */
static void append_text(builder *b, qnode *parent, const char *s, size_t n,
			int line)
{
	qnode *last = parent->last;
	if (!last || last->type != QN_TEXT) {
		qnode_append(parent, qnode_new_text(b->doc, QN_TEXT, line, s, n));
		return;
	}
	if (last != b->grow || last->text != b->grow_text || last->len + n + 1 > b->grow_cap) {
		size_t cap = 2 * (last->len + n) + 64;
		char *t = qarena_alloc(&b->doc->arena, cap);
		memcpy(t, last->text, last->len);
		last->text = t;
		b->grow = last;
		b->grow_text = t;   /* moved or shortened by someone else: a new room */
		b->grow_cap = cap;
	}
	char *t = (char *)last->text;
	memcpy(t + last->len, s, n);
	last->len += n;
	t[last->len] = '\0';
}

/* ------------------------------------------------- converting blocks */

typedef struct conv {
	builder *b;
	qnode *stack[CONVERT_DEPTH + 2];
	bool from_html[CONVERT_DEPTH + 2];   /* opened by an inline tag */
	int depth;
	int skipped;     /* containers not opened because of the cap */
	int skipped_at_text; /* skipped when a text block opened past the cap */
	int line;        /* notes line of the current node */
	int lifted;      /* lifted line, counted along breaks in a paragraph */
	bool snippet;    /* a separately parsed text: lines stay put */
} conv;

/* The node to attach a child of type t to, respecting the model. */
static qnode *attach_point(conv *c, qtype t)
{
	bool inl = qtype_is_inline(t);
	for (int k = c->depth - 1; k >= 0; k--) {
		qnode *p = c->stack[k];
		if (inl && is_inline_container(p->type))
			return p;
		if (!inl && t == QN_ITEM && p->type == QN_LIST)
			return p;
		if (!inl && accepts_blocks(p->type))
			return p;
		if (!inl && p->type == QN_LIST) {   /* a block straight in a list */
			if (!p->last)
				qnode_append(p, qnode_new(c->b->doc, QN_ITEM, c->line));
			return p->last;
		}
	}
	return c->stack[0];
}

/* At the cap, the paragraph (heading, ...) that holds a block's text
 * still opens, one level past it: inlines have nowhere else to go. */
static bool holds_text_at_cap(const conv *c, const qnode *n)
{
	return c->depth == CONVERT_DEPTH && is_inline_container(n->type)
	       && !qtype_is_inline(n->type) && !is_inline_container(c->stack[c->depth - 1]->type);
}

static void push(conv *c, qnode *n, bool html)
{
	if (c->depth >= CONVERT_DEPTH && !holds_text_at_cap(c, n)) {
		if (!c->b->depth_warned) {
			qdiag_add(c->b->d, QD_WARNING, c->line, 0, "depth",
				  "nesting deeper than %d levels is flattened", CONVERT_DEPTH);
			c->b->depth_warned = true;
		}
		if (!html)   /* an inline tag has no exit to balance */
			c->skipped++;
		return;
	}
	if (c->depth == CONVERT_DEPTH)
		c->skipped_at_text = c->skipped;
	/* one text block past the cap at most: the stack has room for it */
	assert(c->depth <= CONVERT_DEPTH);
	qnode_append(attach_point(c, n->type), n);
	c->from_html[c->depth] = html;
	c->stack[c->depth++] = n;
}

static void pop_html(conv *c)
{
	while (c->depth > 1 && c->from_html[c->depth - 1])
		c->depth--;
}

static void pop(conv *c)
{
	pop_html(c);
	if (c->depth > CONVERT_DEPTH && c->skipped == c->skipped_at_text)
		c->depth--;   /* the text block opened past the cap closes */
	else if (c->skipped)
		c->skipped--;
	else if (c->depth > 1)
		c->depth--;
}

static void leaf(conv *c, qnode *n)
{
	qnode_append(attach_point(c, n->type), n);
}

/* A MyST directive written as a code fence (```` ```{code-cell} python ````):
 * its name and the word after it (divs.h). */
static bool myst_info(const char *info, const char **name, size_t *nlen, const char **arg,
		      size_t *alen)
{
	return info && qdiv_myst_directive(info, strlen(info), name, nlen, arg, alen);
}

static bool named(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && !strncmp(s, word, n);
}

static const char *code_lang(builder *b, cmark_node *n, const qmark *m,
			     const char *text, size_t len)
{
	if (m && m->kind == QM_CODE)
		return m->lang;
	const char *info = cmark_node_get_fence_info(n), *name, *arg;
	size_t nlen, alen;
	if (myst_info(info, &name, &nlen, &arg, &alen)) {
		bool code = named(name, nlen, "code-cell") || named(name, nlen, "code")
			    || named(name, nlen, "code-block") || named(name, nlen, "sourcecode");
		if (code && (named(arg, alen, "ipython3") || named(arg, alen, "ipython")))
			return "python";   /* Jupyter's kernel names */
		if (code && alen)
			return qdoc_strdup(b->doc, arg, alen);
		info = NULL;   /* no language said: guessed below */
	}
	if (info && *info) {
		size_t l = 0;
		while (info[l] && info[l] != ' ' && info[l] != '\t' && info[l] != '{')
			l++;
		return qdoc_strdup(b->doc, info, l);
	}
	qlang_votes v = {0};   /* no language given: guess one */
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - text) : len;
		const char *s = text + i;
		size_t sl = qc_trim(&s, e - i);
		qcode_vote(&v, s, sl);
		i = e + 1;
	}
	const char *lang = qcode_language(&v);
	return strcmp(lang, "text") == 0 ? "" : lang;
}

/* A fence whose info string is `math` (or MyST's `{math}`): a
 * displayed formula. */
static bool math_fence(builder *b, cmark_node *n)
{
	const char *info = cmark_node_get_fence_info(n), *name, *arg;
	size_t nlen, alen;
	if (myst_info(info, &name, &nlen, &arg, &alen))
		return !b->o.strict && named(name, nlen, "math");
	return !b->o.strict && info && strncmp(info, "math", 4) == 0
	       && (!info[4] || info[4] == ' ' || info[4] == '\t');
}

/* A formula block's node from a placeholder, or NULL. */
static qnode *math_block(builder *b, const char *lit, int line)
{
	int mi = qmath_placeholder(b->lift, lit);
	if (mi < 0)
		return NULL;
	const qlift_math *m = &b->lift->maths[mi];
	return qnode_new_text(b->doc, QN_MATH_BLOCK, line, m->tex, m->len);
}

static qnode *code_block(builder *b, cmark_node *n, int line)
{
	const char *lit = cmark_node_get_literal(n), *name, *arg;
	size_t len = lit ? strlen(lit) : 0, nlen, alen;
	if (!b->o.strict && myst_info(cmark_node_get_fence_info(n), &name, &nlen, &arg, &alen)) {
		size_t skip = qdiv_myst_options(lit, len);   /* the directive's, not the code's */
		lit += skip;
		len -= skip;
	}
	if (math_fence(b, n)) {
		while (len && (lit[len - 1] == '\n' || lit[len - 1] == ' '))
			len--;
		return qnode_new_text(b->doc, QN_MATH_BLOCK, line, lit, len);
	}
	const qmark *m = qlift_mark(b->lift, cmark_node_get_start_line(n));
	qnode *q = qnode_new_text(b->doc, QN_CODE, line, lit ? lit : "", len);
	q->u.code.lang = code_lang(b, n, m, q->text, len);
	if (m && m->kind == QM_CODE) {
		q->u.code.guessed = m->guessed;
		q->u.code.caption = m->caption ? qdoc_strdup(b->doc, m->caption, strlen(m->caption)) : NULL;
	}
	return q;
}

#define HTML_OMITTED "<!-- raw HTML omitted -->"

/* A paragraph of the images in sanitized HTML h[0..n), which are taken
 * out of h (the booklet and the cards show a model image, not HTML).
 * Returns the new length of h. */
static size_t take_images(builder *b, char *h, size_t n, int line, qnode **para)
{
	size_t w = 0;
	for (size_t i = 0; i < n;) {
		const char *gt = NULL;
		if (n - i > 4 && strncmp(h + i, "<img", 4) == 0 && (h[i + 4] == ' ' || h[i + 4] == '/'))
			gt = memchr(h + i, '>', n - i);
		if (!gt) {
			h[w++] = h[i++];
			continue;
		}
		size_t tl = (size_t)(gt - (h + i)) + 1;
		qbuf src = QBUF_INIT, alt = QBUF_INIT;
		qhtml_attr(h + i, tl, "src", &src);
		qhtml_attr(h + i, tl, "alt", &alt);
		qnode *img = qnode_new(b->doc, QN_IMAGE, line);
		img->u.link.url = qdoc_strdup(b->doc, src.ptr ? src.ptr : "", src.len);
		img->u.link.title = "";
		if (alt.len)
			qnode_append(img, qnode_new_text(b->doc, QN_TEXT, line, alt.ptr, alt.len));
		if (!*para)
			*para = qnode_new(b->doc, QN_PARAGRAPH, line);
		qnode_append(*para, img);
		qbuf_free(&src);
		qbuf_free(&alt);
		i += tl;
	}
	return w;
}

/* Does the sanitized HTML show nothing: only tags (a <br> separator,
 * the <p> left of a wrapper) and white space? */
static bool shows_nothing(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '<') {
			const char *gt = memchr(s + i, '>', n - i);
			if (!gt)
				return false;
			if (n - i > 3 && (strncmp(s + i, "<hr", 3) == 0))
				return false;
			i = (size_t)(gt - s);
		} else if (s[i] != ' ' && s[i] != '\n' && s[i] != '\t') {
			return false;
		}
	}
	return true;
}

#define HTML_OMITTED "<!-- raw HTML omitted -->"

/* An HTML block, sanitized (QN_HTML, or NULL when it shows nothing); its
 * images become a paragraph of model images in *images. */
static qnode *html_block(builder *b, const char *lit, int line, qnode **images)
{
	*images = NULL;
	if (b->o.omit_html)
		return qnode_new_text(b->doc, QN_HTML, line, HTML_OMITTED, strlen(HTML_OMITTED));
	qhtml_report r;
	qbuf t = QBUF_INIT;   /* formulas in it: as the notes wrote them */
	lit = qmath_as_written(b->lift, lit, &t);
	qbuf_reset(&b->tmp);
	qhtml_sanitize(lit, strlen(lit), &b->tmp, &r);
	qbuf_free(&t);
	if (r.removed_elements || r.removed_attrs)
		qdiag_add(b->d, QD_WARNING, line, 0, "html",
			  "HTML sanitized: removed %d element%s%s%s%s and %d attribute%s%s%s%s",
			  r.removed_elements, r.removed_elements == 1 ? "" : "s",
			  r.removed_elements ? " (" : "", r.element_names,
			  r.removed_elements ? ")" : "", r.removed_attrs,
			  r.removed_attrs == 1 ? "" : "s", r.removed_attrs ? " (" : "",
			  r.attr_names, r.removed_attrs ? ")" : "");
	if (b->tmp.len)
		b->tmp.len = take_images(b, b->tmp.ptr, b->tmp.len, line, images);
	const char *s = b->tmp.ptr ? b->tmp.ptr : "";
	size_t n = qc_trim(&s, b->tmp.len);
	while (n && (s[n - 1] == '\n'))
		n--;
	if (!n || shows_nothing(s, n))
		return NULL;
	return qnode_new_text(b->doc, QN_HTML, line, s, n);
}

/* The model container an inline HTML element opens, or QN_NONE. */
static qtype inline_element(const char *name, size_t n)
{
	static const struct { const char *name; qtype t; } map[] = {
		{"b", QN_STRONG}, {"strong", QN_STRONG}, {"i", QN_EMPH}, {"em", QN_EMPH},
		{"sub", QN_SUB}, {"sup", QN_SUP}, {"del", QN_STRIKE}, {"s", QN_STRIKE},
		{"strike", QN_STRIKE}, {"mark", QN_MARK},
	};
	for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
		if (strlen(map[k].name) == n && strncasecmp(map[k].name, name, n) == 0)
			return map[k].t;
	return QN_NONE;
}

/* <img src alt>: a model image, shown as its alt text (or its address)
 * where it is not embedded. */
static void inline_image(conv *c, const char *lit, size_t len)
{
	qbuf src = QBUF_INIT, alt = QBUF_INIT;
	qhtml_attr(lit, len, "src", &src);
	qhtml_attr(lit, len, "alt", &alt);
	qnode *img = qnode_new(c->b->doc, QN_IMAGE, c->line);
	img->u.link.url = qdoc_strdup(c->b->doc, src.ptr ? src.ptr : "", src.len);
	img->u.link.title = "";
	if (alt.len)
		qnode_append(img, qnode_new_text(c->b->doc, QN_TEXT, c->line, alt.ptr, alt.len));
	leaf(c, img);
	qbuf_free(&src);
	qbuf_free(&alt);
}

/* Is a link open at the current point (links do not nest)? */
static bool in_link(const conv *c)
{
	for (int k = c->depth - 1; k > 0; k--)
		if (c->stack[k]->type == QN_LINK)
			return true;
	return false;
}

/* <a href="..." title="...">: a model link, which </a> closes; the
 * back ends judge its address as they judge a Markdown link's (a
 * refused one keeps its text and shows the address). An <a> without
 * href (a named anchor) or inside a link is dropped, its text kept. */
static void inline_link(conv *c, const char *lit, size_t len)
{
	qbuf href = QBUF_INIT, title = QBUF_INIT;
	if (qhtml_attr(lit, len, "href", &href) && href.len && !in_link(c)) {
		qhtml_attr(lit, len, "title", &title);
		qnode *a = qnode_new(c->b->doc, QN_LINK, c->line);
		const char *u = href.ptr;
		size_t un = qc_trim(&u, href.len);
		a->u.link.url = qdoc_strdup(c->b->doc, u, un);
		a->u.link.title = qdoc_strdup(c->b->doc, title.ptr ? title.ptr : "", title.len);
		push(c, a, true);
	}
	qbuf_free(&href);
	qbuf_free(&title);
}

/* Inline HTML: <br> is a break; <b>, <i>, <sub>, <sup>, <del>, <mark>
 * open model containers their end tags close; <a href> is a link;
 * <img> is an image; other
 * tags of HTML elements are dropped (their text stays); a tag that names
 * no HTML element (`<filename>`, `<T>`) is text, as the author meant. */
static void inline_html(conv *c, cmark_node *n)
{
	const char *lit = cmark_node_get_literal(n);
	size_t len = strlen(lit);
	if (c->b->o.omit_html) {
		leaf(c, qnode_new_text(c->b->doc, QN_HTML, c->line, HTML_OMITTED,
				       strlen(HTML_OMITTED)));
		return;
	}
	bool closing = len > 1 && lit[1] == '/';
	const char *name = lit + 1 + closing;
	size_t nl = 0;
	while (name + nl < lit + len && ((name[nl] >= 'a' && name[nl] <= 'z')
					 || (name[nl] >= 'A' && name[nl] <= 'Z')
					 || (nl && name[nl] >= '0' && name[nl] <= '9')))
		nl++;
	if (len >= 4 && memcmp(lit, "<!--", 4) == 0)
		return;   /* an HTML comment: hidden by intent */
	if (nl == 0 || lit[0] != '<' || !qhtml_is_element(name, nl)) {
		append_text(c->b, attach_point(c, QN_TEXT), lit, len, c->line);
		return;
	}
	qtype t = inline_element(name, nl);
	if (nl == 1 && (name[0] == 'a' || name[0] == 'A'))
		t = QN_LINK;
	if (t == QN_LINK && !closing) {
		inline_link(c, lit, len);
	} else if (nl == 2 && !strncasecmp(name, "br", 2)) {
		leaf(c, qnode_new(c->b->doc, QN_LINEBREAK, c->line));
	} else if (nl == 3 && !strncasecmp(name, "img", 3) && !closing) {
		inline_image(c, lit, len);
	} else if (t != QN_NONE && !closing) {
		push(c, qnode_new(c->b->doc, t, c->line), true);
	} else if (t != QN_NONE) {
		for (int k = c->depth - 1; k > 0 && c->from_html[k]; k--)
			if (c->stack[k]->type == t) {
				c->depth = k;
				break;
			}
	}
	/* other tags: dropped, their text stays */
}

static qnode *link_node(builder *b, cmark_node *n, qtype t, int line)
{
	qnode *q = qnode_new(b->doc, t, line);
	const char *url = cmark_node_get_url(n), *title = cmark_node_get_title(n);
	q->u.link.url = qdoc_strdup(b->doc, url ? url : "", url ? strlen(url) : 0);
	q->u.link.title = qdoc_strdup(b->doc, title ? title : "", title ? strlen(title) : 0);
	return q;
}

static qnode *list_node(builder *b, cmark_node *n, int line)
{
	qnode *q = qnode_new(b->doc, QN_LIST, line);
	q->u.list.ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
	q->u.list.start = cmark_node_get_list_start(n);
	q->u.list.tight = cmark_node_get_list_tight(n);
	return q;
}

static qnode *table_node(builder *b, int index, int line);

/* A container node for cmark node n, or NULL for leaves. */
static qnode *enter_container(conv *c, cmark_node *n)
{
	qdoc *doc = c->b->doc;
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_PARAGRAPH: return qnode_new(doc, QN_PARAGRAPH, c->line);
	case CMARK_NODE_BLOCK_QUOTE: return qnode_new(doc, QN_QUOTE, c->line);
	case CMARK_NODE_LIST: return list_node(c->b, n, c->line);
	case CMARK_NODE_ITEM: return qnode_new(doc, QN_ITEM, c->line);
	case CMARK_NODE_EMPH: return qnode_new(doc, QN_EMPH, c->line);
	case CMARK_NODE_STRONG: return qnode_new(doc, QN_STRONG, c->line);
	case CMARK_NODE_LINK: return link_node(c->b, n, QN_LINK, c->line);
	case CMARK_NODE_IMAGE: return link_node(c->b, n, QN_IMAGE, c->line);
	case CMARK_NODE_HEADING: {
		qnode *h = qnode_new(doc, QN_HEADING, c->line);
		h->u.level = cmark_node_get_heading_level(n);
		return h;
	}
	default: return qnode_new(doc, QN_PARAGRAPH, c->line);
	}
}

/* A code span as written: one that goes on over a line break
 * (`` `Sei $M$ eine`` ... ``Menge.` ``) holds the placeholders of the
 * formulas its lines seemed to have, written back as they were. */
static qnode *code_span(builder *b, const char *lit, int line)
{
	qbuf t = QBUF_INIT;
	const char *s = qmath_as_written(b->lift, lit, &t);
	qnode *n = qnode_new_text(b->doc, QN_CODE_SPAN, line, s, strlen(s));
	qbuf_free(&t);
	return n;
}

static void on_leaf(conv *c, cmark_node *n)
{
	builder *b = c->b;
	const char *lit = cmark_node_get_literal(n);
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_TEXT:
		append_text(b, attach_point(c, QN_TEXT), lit, strlen(lit), c->line);
		break;
	case CMARK_NODE_CODE:
		leaf(c, code_span(b, lit, c->line));
		break;
	case CMARK_NODE_SOFTBREAK:
	case CMARK_NODE_LINEBREAK:
		leaf(c, qnode_new(b->doc, cmark_node_get_type(n) == CMARK_NODE_SOFTBREAK
				  ? QN_SOFTBREAK : QN_LINEBREAK, c->line));
		if (!c->snippet && c->lifted)   /* what follows is on the next line */
			c->line = qlift_src(b->lift, ++c->lifted);
		break;
	case CMARK_NODE_HTML_INLINE:
		inline_html(c, n);
		break;
	case CMARK_NODE_CODE_BLOCK:
		leaf(c, code_block(b, n, c->line));
		break;
	case CMARK_NODE_THEMATIC_BREAK:
		leaf(c, qnode_new(b->doc, QN_RULE, c->line));
		break;
	case CMARK_NODE_HTML_BLOCK: {
		qnode *mb = math_block(b, lit, c->line);
		if (mb) {
			leaf(c, mb);
			break;
		}
		qnode *images, *h = html_block(b, lit, c->line, &images);
		if (h)
			leaf(c, h);
		if (images)
			leaf(c, images);
		break;
	}
	default:
		break;
	}
}

static bool is_leaf(cmark_node *n)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_TEXT: case CMARK_NODE_CODE: case CMARK_NODE_SOFTBREAK:
	case CMARK_NODE_LINEBREAK: case CMARK_NODE_HTML_INLINE:
	case CMARK_NODE_CODE_BLOCK: case CMARK_NODE_THEMATIC_BREAK:
	case CMARK_NODE_HTML_BLOCK:
		return true;
	default:
		return false;
	}
}

/* Convert the children of cmark node `from` (not the node itself) into
 * children of model node `into`. Lines come from the lift, except for a
 * separately parsed snippet (a table cell: `snippet`), which keeps the
 * line of `into`. */
static void convert_nodes(builder *b, cmark_node *from, qnode *into, bool snippet)
{
	conv c = {.b = b, .depth = 1, .line = into->line, .snippet = snippet};
	c.stack[0] = into;
	c.lifted = snippet ? 0 : cmark_node_get_start_line(from);
	cmark_iter *it = cmark_iter_new(from);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (n == from)
			continue;
		int l = cmark_node_get_start_line(n);
		if (l > 0 && !snippet && (cmark_node_get_type(n) < CMARK_NODE_FIRST_INLINE)) {
			c.lifted = l;   /* a block: its own line */
			c.line = qlift_src(b->lift, l);
		}
		int mi = cmark_node_get_type(n) == CMARK_NODE_IMAGE
			 ? qmath_image(b->lift, cmark_node_get_url(n)) : -1;
		if (mi >= 0) {   /* a formula's placeholder: no children */
			if (ev == CMARK_EVENT_ENTER)
				leaf(&c, qnode_new_text(b->doc, QN_MATH, c.line, b->lift->maths[mi].tex,
							b->lift->maths[mi].len));
			continue;
		}
		if (ev == CMARK_EVENT_EXIT)
			pop(&c);
		else if (is_leaf(n))
			on_leaf(&c, n);
		else
			push(&c, enter_container(&c, n), false);
	}
	cmark_iter_free(it);
}

static void convert_children(builder *b, cmark_node *from, qnode *into)
{
	convert_nodes(b, from, into, false);
}

/* Convert one block (with its subtree) into a new model node. */
static qnode *convert_block(builder *b, cmark_node *n)
{
	int line = src_line(b, n);
	qnode tmp = {.type = QN_ANSWER, .line = line};
	conv c = {.b = b, .depth = 1, .line = line};
	c.stack[0] = &tmp;
	if (is_leaf(n))
		on_leaf(&c, n);
	else {
		qnode *q = enter_container(&c, n);
		qnode_append(&tmp, q);
		convert_children(b, n, q);
	}
	qnode *r = tmp.first;
	if (r)
		qnode_unlink(r);
	return r;
}

/* Convert block n and append it to parent, unless it converts to nothing
 * (a block the lifter took out). */
static void append_converted(builder *b, qnode *parent, cmark_node *n)
{
	qnode *q = convert_block(b, n);
	if (q)
		qnode_append(parent, q);
}

/* ------------------------------------------------------------- tables */

/* Does a cell's text open as a block would (`- item`, `1. item`, `#`,
 * `>`, a fence)? A cell holds only inlines (GFM): such an opener is its
 * text, so it is escaped before cmark reads the cell. */
static bool opens_block(const char *s)
{
	size_t d = strspn(s, "0123456789");
	if (d && d <= 9 && (s[d] == '.' || s[d] == ')') && (s[d + 1] == ' ' || !s[d + 1]))
		return true;
	if ((s[0] == '-' || s[0] == '+' || s[0] == '*') && (s[1] == ' ' || !s[1]))
		return true;
	return s[0] == '#' || s[0] == '>' || !strncmp(s, "```", 3) || !strncmp(s, "~~~", 3);
}

static void cell_inlines(builder *b, qnode *cell, const char *md)
{
	size_t n = strlen(md);
	if (!strpbrk(md, "*_`[]<>!\\&")) {
		if (n)
			qnode_append(cell, qnode_new_text(b->doc, QN_TEXT, cell->line, md, n));
		return;
	}
	qbuf esc = QBUF_INIT;
	if (opens_block(md)) {   /* `- [A](a.md) <br/> - [B](b.md)`: a list in a cell */
		size_t d = strspn(md, "0123456789");
		qbuf_put(&esc, md, d);
		qbuf_putc(&esc, '\\');
		qbuf_put(&esc, md + d, n - d);
		md = esc.ptr;
		n = esc.len;
	}
	cmark_node *root = cmark_parse_document(md, n, CMARK_OPT_DEFAULT);
	qbuf_free(&esc);
	for (cmark_node *p = cmark_node_first_child(root); p; p = cmark_node_next(p)) {
		if (p != cmark_node_first_child(root))
			append_text(b, cell, " ", 1, cell->line);
		if (cmark_node_get_type(p) == CMARK_NODE_PARAGRAPH || cmark_node_get_type(p) == CMARK_NODE_HEADING)
			convert_nodes(b, p, cell, true);
		else {
			const char *lit = cmark_node_get_literal(p);
			append_text(b, cell, lit ? lit : md, lit ? strlen(lit) : n, cell->line);
		}
	}
	cmark_node_free(root);
}

static qnode *table_node(builder *b, int index, int line)
{
	const qlift_table *t = &b->lift->tables[index];
	qnode *q = qnode_new(b->doc, QN_TABLE, t->src ? t->src : line);
	q->u.table.ncols = t->ncols;
	q->u.table.header = t->header;
	q->u.table.guessed = t->guessed;
	qalign *al = qarena_alloc(&b->doc->arena, sizeof(qalign) * (size_t)t->ncols);
	memcpy(al, t->align, sizeof(qalign) * (size_t)t->ncols);
	q->u.table.align = al;
	if (t->caption) {
		qnode *cap = qnode_new(b->doc, QN_CAPTION, t->caption_src);
		cell_inlines(b, cap, t->caption);
		qnode_append(q, cap);
	}
	for (int r = 0; r < t->nrows; r++) {
		qnode *row = qnode_new(b->doc, QN_ROW, t->rowsrc[r]);
		for (int k = 0; k < t->ncols; k++) {
			qnode *cell = qnode_new(b->doc, QN_CELL, row->line);
			cell_inlines(b, cell, t->cells[(size_t)r * (size_t)t->ncols + (size_t)k]);
			qnode_append(row, cell);
		}
		qnode_append(q, row);
	}
	return q;
}

/* A footnote's definition: its text read as Markdown (numbered later,
 * in the order of the first reference to it). */
static qnode *footnote_node(builder *b, int index, int line)
{
	const struct qlift_footnote *fn = &b->lift->footnotes[index];
	qnode *q = qnode_new(b->doc, QN_FOOTNOTE, line);
	q->u.footnote.label = qdoc_strdup(b->doc, fn->label, strlen(fn->label));
	cmark_node *root = cmark_parse_document(fn->text, strlen(fn->text), CMARK_OPT_DEFAULT);
	for (cmark_node *p = cmark_node_first_child(root); p; p = cmark_node_next(p)) {
		qnode *blk = convert_block(b, p);
		if (blk) {
			qiter it;
			qnode *x;
			qiter_init(&it, blk);
			while (qiter_next_of(&it, &x, QN_NONE))
				x->line = line;   /* the snippet's lines are the definition's */
			qnode_append(q, blk);
		}
	}
	cmark_node_free(root);
	return q;
}

/* --------------------------------------------------- sections, cards */

static void add_question(builder *b, int line, const char *full, const char *rule)
{
	qdoc *doc = b->doc;
	if (doc->nquestions == b->capq) {
		b->capq = b->capq ? b->capq * 2 : 64;
		qquestion *v = qarena_alloc(&doc->arena, sizeof(qquestion) * (size_t)b->capq);
		if (doc->nquestions)
			memcpy(v, doc->questions, sizeof(qquestion) * (size_t)doc->nquestions);
		doc->questions = v;
	}
	doc->questions[doc->nquestions++] = (qquestion){line, full, true, rule, NULL};
}

/* Words that hold the place of an answer not written yet. */
static bool placeholder_text(const char *s, size_t n)
{
	static const char *const words[] = {
		"todo", "to do", "tbd", "tba", "tbc", "wip", "fixme", "xxx", "answer here",
		"your answer here", "to be completed", "to be written", "to be added",
		"coming soon", "pending", "n/a", "...", "\xE2\x80\xA6", "?", "-", "\xE2\x80\x94",
		"\xE5\xBE\x85\xE8\xA1\xA5\xE5\x85\x85", "\xE5\xBE\x85\xE5\xAE\x8C\xE5\x96\x84",
		"\xE5\xBE\x85\xE6\x9B\xB4\xE6\x96\xB0", "\xE6\x9C\xAA\xE5\xAE\x8C\xE6\x88\x90",
		NULL};   /* ..., …, —, 待补充, 待完善, 待更新, 未完成 */
	n = qc_trim(&s, n);
	while (n && (s[n - 1] == '.' || s[n - 1] == '!' || s[n - 1] == ':') && !(n == 3 && s[0] == '.'))
		n--;
	for (int k = 0; words[k]; k++)
		if (strlen(words[k]) == n && strncasecmp(words[k], s, n) == 0)
			return true;
	return false;
}

/* Text before a link that only sends the reader to it: `See `, `See
 * also `, `Refer to `, `Siehe `, `Voir `, `Ver `, `Vedi `, `Zie `,
 * `Zobacz `, `См. `, `参见`. */
static size_t see_word(const char *s, size_t n)
{
	static const char *const words[] = {
		"see also", "see", "refer to", "siehe", "voir", "ver", "vedi", "zie", "zobacz",
		"\xD1\x81\xD0\xBC.", "\xE5\x8F\x82\xE8\xA7\x81", NULL};   /* см., 参见 */
	for (int k = 0; words[k]; k++) {
		size_t l = strlen(words[k]);
		if (n > l && strncasecmp(s, words[k], l) == 0 && (s[l] == ' ' || s[l] == ':'))
			return l + 1;
	}
	return 0;
}

/* Is a paragraph nothing but links (a back that only points elsewhere,
 * also after a `See`)? Wikilinks (`[[Page]]`) are links too. */
static bool only_links(const qnode *p)
{
	bool any = false;
	for (const qnode *c = p->first; c; c = c->next) {
		if (c->type == QN_LINK) {
			any = true;
		} else if (c->type == QN_TEXT) {
			size_t i = c == p->first ? see_word(c->text, c->len) : 0;
			for (; i < c->len; i++) {
				const char *e;
				if (c->text[i] == '[' && i + 1 < c->len && c->text[i + 1] == '['
				    && (e = qmemmem(c->text + i, c->len - i, "]]", 2))) {
					any = true;
					i = (size_t)(e - c->text) + 1;
				} else if (!strchr(" \t,;.-|", c->text[i])) {
					return false;
				}
			}
		} else if (c->type != QN_SOFTBREAK && c->type != QN_LINEBREAK) {
			return false;
		}
	}
	return any;
}

/* A list whose items are only links ("Useful resources"). */
static bool links_list(const qnode *l)
{
	for (const qnode *it = l->first; it; it = it->next)
		if (!it->first || it->first->type != QN_PARAGRAPH || !only_links(it->first) || it->first->next)
			return false;
	return l->first != NULL;
}

/* Is the answer only a placeholder (TODO, "Answer here", "To be
 * completed.") or links, once labels and lists of links are set aside? */
static bool placeholder_answer(builder *b, const qnode *answer)
{
	const qnode *said = NULL;
	assert(answer->type == QN_ANSWER && answer->parent->type == QN_CARD);
	int k = 0, front = answer->parent->u.card.front_blocks;
	for (const qnode *c = answer->first; c; c = c->next, k++) {
		if (k < front || c->type == QN_LABEL || (c->type == QN_LIST && links_list(c))
		    || (c->type == QN_PARAGRAPH && only_links(c)))
			continue;
		if (said)
			return false;   /* two blocks that say something */
		said = c;
	}
	if (!said)
		return true;
	qbuf_reset(&b->tmp);
	qnode_plain(said, &b->tmp);
	return b->tmp.len < 40 && placeholder_text(b->tmp.ptr ? b->tmp.ptr : "", b->tmp.len);
}

/* A question that got no card: its text stays as a heading, followed by
 * whatever its answer held. */
static void uncard(builder *b, qnode *card)
{
	b->doc->questions[b->card_q].answered = false;
	qnode *h = qnode_new(b->doc, QN_HEADING, card->line);
	h->u.level = b->card_level < 1 ? 1 : b->card_level > 6 ? 6 : b->card_level;
	if (card->u.card.number)
		qnode_append(h, qnode_new_text(b->doc, QN_TEXT, card->line, card->u.card.number,
					       strlen(card->u.card.number)));
	qnode *q = card->first;
	while (q->first) {
		qnode *k = q->first;
		qnode_unlink(k);
		if (h->last)
			append_text(b, h, " ", 1, card->line);
		if (k->type == QN_TEXT)
			append_text(b, h, k->text, k->len, card->line);
		else
			qnode_append(h, k);
	}
	qnode_insert_before(card, h);
	qnode_insert_children_before(card, card->last);
	qnode_unlink(card);
}

/* A question that only leads in to questions (`Q6) Distributed
 * systems:` over `- What's Paxos?`, `- What's Raft?`): its text ends
 * with a colon and its answer is one list whose every item asks. The
 * items ask what the notes leave unanswered: no card. */
static bool only_subquestions(builder *b, const qnode *card)
{
	const char *full = card->u.card.full;
	size_t n = qc_trim(&full, strlen(full));
	const qnode *a = b->answer->first;
	for (int k = 0; a && k < card->u.card.front_blocks; k++)
		a = a->next;
	if (!n || full[n - 1] != ':' || !a || a->type != QN_LIST || a->next || !a->first)
		return false;
	for (const qnode *it = a->first; it; it = it->next) {
		if (!it->first || it->first->type != QN_PARAGRAPH || it->first->next)
			return false;
		qbuf_reset(&b->tmp);
		qnode_plain(it->first, &b->tmp);
		if (!qc_asks(b->tmp.ptr ? b->tmp.ptr : "", b->tmp.len))
			return false;
	}
	return true;
}

static qnode *start_card(builder *b, qnode *q, const char *full, int level, int heading,
			 int line, const char *rule);

/* Does the text in b->tmp end in a question mark (qc_ends_question_mark,
 * after trailing spaces)? */
static bool tmp_asks(builder *b)
{
	const char *s = b->tmp.ptr ? b->tmp.ptr : "";
	return qc_ends_question_mark(s, qc_trim(&s, b->tmp.len));
}

/* Does a list item open with a bold question (`- **What is X?**`) and
 * answer it, after the bold run or under it? */
static bool answered_bold_item(builder *b, const qnode *item)
{
	const qnode *p = item->first;
	if (!p || p->type != QN_PARAGRAPH || !p->first || p->first->type != QN_STRONG)
		return false;
	qbuf_reset(&b->tmp);
	qnode_plain(p->first, &b->tmp);
	if (!tmp_asks(b))
		return false;   /* it asks by its question mark */
	if (p->next)
		return true;
	for (const qnode *c = p->first->next; c; c = c->next)
		if (c->type != QN_SOFTBREAK && c->type != QN_LINEBREAK
		    && !(c->type == QN_TEXT && !qc_trim(&(const char *){c->text}, c->len)))
			return true;
	return false;
}

/* Is a card's answer only lists of bold questions that each answer
 * themselves (and labels over them)? The question then only names the
 * set (`### What are common interview questions?` over `- **What is a
 * closure?** A function ...`): the items are the cards. */
static bool answers_are_items(builder *b, const qnode *card)
{
	const qnode *a = b->answer->first;
	int items = 0;
	for (int k = 0; a && k < card->u.card.front_blocks; k++)
		a = a->next;
	for (; a; a = a->next) {
		if (a->type == QN_LABEL)
			continue;
		if (a->type != QN_LIST)
			return false;
		for (const qnode *it = a->first; it; it = it->next, items++)
			if (!answered_bold_item(b, it))
				return false;
	}
	return items >= 2;
}

/* One answered bold item as a card: the bold run asks, the rest of the
 * item answers. */
static void bold_item_card(builder *b, qnode *item, int level)
{
	qnode *p = item->first, *strong = p->first;
	qnode *q = qnode_new(b->doc, QN_QUESTION, item->line);
	qnode_unlink(strong);
	while (strong->first) {
		qnode *c = strong->first;
		qnode_unlink(c);
		qnode_append(q, c);
	}
	start_card(b, q, plain_of(b, q), level, 0, item->line, "bold-item");
	while (p->first && (p->first->type == QN_SOFTBREAK || p->first->type == QN_LINEBREAK))
		qnode_unlink(p->first);
	if (p->first && p->first->type == QN_TEXT) {
		qnode *t = p->first;   /* ` A value ...` after the bold run */
		while (t->len && (t->text[0] == ' ' || t->text[0] == '\t')) {
			t->text++;
			t->len--;
		}
	}
	for (qnode *c = p->first ? p : p->next, *nx; c; c = nx) {
		nx = c->next;
		qnode_unlink(c);
		qnode_append(b->answer, c);
	}
	b->card = NULL;   /* answered, by answered_bold_item() */
}

/* The question that only named the set stays as a heading; its labels
 * stay, and each item of its lists becomes a card, in their order. */
static void item_cards(builder *b, qnode *card)
{
	int level = b->card_level + 1 > 6 ? 6 : b->card_level + 1;
	qnode *hold = qnode_new(b->doc, QN_ANSWER, card->line);
	qnode *a = card->last->first;
	for (int k = 0; a && k < card->u.card.front_blocks; k++)
		a = a->next;
	for (qnode *nx; a; a = nx) {
		nx = a->next;
		qnode_unlink(a);
		qnode_append(hold, a);
	}
	uncard(b, card);
	for (qnode *blk = hold->first, *nx; blk; blk = nx) {
		nx = blk->next;
		qnode_unlink(blk);
		if (blk->type != QN_LIST) {
			qnode_append(container(b), blk);
			continue;
		}
		for (qnode *it = blk->first; it; it = it->next)
			bold_item_card(b, it, level);
	}
}

static void close_card(builder *b)
{
	qnode *card = b->card;
	if (!card)
		return;
	b->card = NULL;
	b->spoiler = false;
	b->folded = false;
	if (answers_are_items(b, card)) {
		item_cards(b, card);
		return;
	}
	int blocks = 0;
	for (qnode *c = b->answer->first; c; c = c->next)
		blocks++;
	if (blocks > card->u.card.front_blocks && !placeholder_answer(b, b->answer)
	    && !only_subquestions(b, card))
		return;
	if (blocks > card->u.card.front_blocks && only_subquestions(b, card))
		qdiag_add(b->d, QD_WARNING, card->line, 0, "no-answer",
			  "the answer only asks more questions; no card is made for it");
	else if (blocks > card->u.card.front_blocks)
		qdiag_add(b->d, QD_WARNING, card->line, 0, "placeholder",
			  "the answer is only a placeholder or a link; no card is made for it");
	else
		qdiag_add(b->d, QD_WARNING, card->line, 0, "no-answer",
			  "question has no answer; no card is made for it");
	uncard(b, card);
}

/* Remove the question number from the start of the first text node. */
static const char *take_number(builder *b, qnode *question, const char *full)
{
	size_t num = qc_number(full, strlen(full));
	qnode *t = question->first;
	if (!num || !t || t->type != QN_TEXT || t->len < num || memcmp(t->text, full, num) != 0)
		return NULL;
	const char *s = full;
	size_t n = qc_trim(&s, num);
	const char *number = qdoc_strdup(b->doc, s, n);
	t->text += num;
	t->len -= num;
	if (!t->len)
		qnode_unlink(t);
	return number;
}

/* The duplicate key of a card: its question without the number, and
 * the blocks of its front (the code of "What's the output?"). */
static void set_key(builder *b, qnode *card)
{
	const char *full = card->u.card.full;
	size_t num = qc_number(full, strlen(full));
	qbuf_reset(&b->tmp);
	qcard_key(full + num, strlen(full) - num, &b->tmp);
	int k = 0;
	assert(card->last && card->last->type == QN_ANSWER);   /* front blocks lead the answer */
	for (qnode *c = card->last->first; c && k < card->u.card.front_blocks; c = c->next, k++) {
		qbuf front = QBUF_INIT;
		qnode_plain(c, &front);
		qbuf_putc(&b->tmp, ' ');
		qcard_key(front.ptr ? front.ptr : "", front.len, &b->tmp);
		qbuf_free(&front);
	}
	card->u.card.key = qdoc_strdup(b->doc, b->tmp.ptr ? b->tmp.ptr : "", b->tmp.len);
}

/* Where the trailing #tags of s[0..n) start (`What is x? #bio #ch-2`),
 * or n: tags after a question that ends as a sentence (`Explain #pragma`
 * keeps its word), each a '#' and a word that is not only digits. */
static size_t trailing_tags(const char *s, size_t n, int *count)
{
	size_t end = n, start = n;
	*count = 0;
	for (;;) {
		while (end > 0 && s[end - 1] == ' ')
			end--;
		size_t w = end;
		while (w > 0 && s[w - 1] != ' ')
			w--;
		bool digits = true;
		for (size_t i = w + 1; i < end; i++)
			digits &= s[i] >= '0' && s[i] <= '9';
		if (end - w < 2 || s[w] != '#' || digits || memchr(s + w + 1, '#', end - w - 1))
			break;
		(*count)++;
		start = end = w;
	}
	while (start > 0 && s[start - 1] == ' ')
		start--;
	bool sentence = (start && s[start - 1] && strchr("?.!)", s[start - 1]))
			|| (start >= 3 && !memcmp(s + start - 3, "\xEF\xBC\x9F", 3));   /* ？ */
	if (!*count || !sentence) {
		*count = 0;
		return n;
	}
	return start;
}

/* The question's trailing #tags become the card's tags, out of its text
 * (and out of `full`, which then ends where the text does). */
static void take_tags(builder *b, qnode *card, qnode *q, const char **full)
{
	qnode *t = q->last;
	int count;
	if (!t || t->type != QN_TEXT)
		return;
	size_t at = trailing_tags(t->text, t->len, &count);
	if (!count)
		return;
	qcard_info *ci = &card->u.card;
	ci->tags = qarena_alloc(&b->doc->arena, sizeof *ci->tags * (size_t)count);
	for (const char *p = t->text + at, *e = t->text + t->len; p < e;) {
		while (p < e && *p == ' ')
			p++;
		const char *w = p;
		while (p < e && *p != ' ')
			p++;
		if (p > w)
			ci->tags[ci->ntags++] = qdoc_strdup(b->doc, w + 1, (size_t)(p - w - 1));
	}
	size_t cut = t->len - at, fl = strlen(*full);
	t->text = qdoc_strdup(b->doc, t->text, at);   /* ends at its len */
	t->len = at;
	if (fl >= cut)   /* full ends with the same tags, and their spaces */
		*full = qdoc_strdup(b->doc, *full, fl - cut);
}

/* A new card in the current container, its question q (QN_QUESTION,
 * filled) read as `full`; the card is open until the next question,
 * heading or separator. */
static qnode *start_card(builder *b, qnode *q, const char *full, int level, int heading,
			 int line, const char *rule)
{
	qnode *card = qnode_new(b->doc, QN_CARD, line);
	qnode *a = qnode_new(b->doc, QN_ANSWER, line);
	qnode_append(card, q);
	qnode_append(card, a);
	full = qdoc_strdup(b->doc, full, strlen(full));   /* the lift is freed */
	take_tags(b, card, q, &full);
	card->u.card.heading = heading;
	card->u.card.number = take_number(b, q, full);
	card->u.card.full = full;
	card->u.card.plain = plain_of(b, q);
	card->u.card.rule = rule;
	set_key(b, card);
	qnode_append(container(b), card);
	b->card = card;
	b->answer = a;
	b->card_level = level;
	b->card_q = b->doc->nquestions;
	b->recent = NULL;
	add_question(b, line, full, rule);
	return card;
}

static void open_card(builder *b, cmark_node *heading, const char *full,
		      int level, int line, const char *rule)
{
	close_card(b);
	qnode *q = qnode_new(b->doc, QN_QUESTION, line);
	if (heading)
		convert_children(b, heading, q);
	start_card(b, q, full, level, heading && cmark_node_get_type(heading) == CMARK_NODE_HEADING
		   ? cmark_node_get_heading_level(heading) : 0, line, rule);
}

/* --------------------------------------------------- answer markers */

/* A heading that only numbers a question (`Question 2`, `Problem 3`,
 * `问题 1`): the question is the text under it. */
static bool label_heading(const char *s, size_t n)
{
	static const char *const words[] = {
		"question", "problem", "exercise", "task", "q", "pregunta", "ejercicio",
		"frage", "aufgabe", "vopros", "\xD0\xB2\xD0\xBE\xD0\xBF\xD1\x80\xD0\xBE\xD1\x81",
		"\xE9\x97\xAE\xE9\xA2\x98", "\xE9\xA2\x98\xE7\x9B\xAE", "\xEB\xAC\xB8\xEC\xA0\x9C",
		"\xE5\x95\x8F\xE9\xA1\x8C", NULL};   /* вопрос, 问题, 题目, 문제, 問題 */
	n = qc_trim(&s, n);
	for (int k = 0; words[k]; k++) {
		size_t l = strlen(words[k]);
		if (n < l || strncasecmp(s, words[k], l) != 0)
			continue;
		size_t i = l;
		while (i < n && (s[i] == ' ' || s[i] == '#' || s[i] == '.' || s[i] == ':' || s[i] == '-'
				 || (s[i] >= '0' && s[i] <= '9')))
			i++;
		return i == n;
	}
	return false;
}

static int count_children(const qnode *n)
{
	int k = 0;
	for (const qnode *c = n->first; c; c = c->next)
		k++;
	return k;
}

/* Move the siblings after `from` (from included) to the end of `to`. */
static int move_blocks(qnode *from, qnode *to)
{
	int k = 0;
	while (from) {
		qnode *next = from->next;
		qnode_unlink(from);
		qnode_append(to, from);
		from = next;
		k++;
	}
	return k;
}

/* The heading of section sec is the question of the answer marker that
 * follows its text: the section becomes a card, its text the card's front
 * (a label heading, `Question 2`, numbers the question under it). */
static void section_to_card(builder *b, qnode *sec)
{
	qnode *title = sec->first, *body = title->next;
	b->nsec--;
	qnode *q = qnode_new(b->doc, QN_QUESTION, sec->line);
	const char *number = NULL;
	if (label_heading(sec->u.section.plain, strlen(sec->u.section.plain))
	    && body && body->type == QN_PARAGRAPH) {
		number = sec->u.section.plain;
		move_blocks(body->first, q);
		qnode *rest = body->next;
		qnode_unlink(body);
		body = rest;
	} else {
		move_blocks(title->first, q);
	}
	const char *full = plain_of(b, q);
	int level = sec->u.section.level;
	qnode *card = start_card(b, q, full, level, sec->u.section.heading, sec->line, "answer-marker");
	if (number && !card->u.card.number)
		card->u.card.number = number;
	qnode_unlink(card);   /* start_card put it last: it takes sec's place */
	qnode_insert_before(sec, card);
	card->u.card.front_blocks = body ? move_blocks(body, b->answer) : 0;
	qnode_unlink(sec);
	set_key(b, card);
}

/* The block that `wanted` takes among the `most` last blocks from p back
 * (not reaching stop): NULL when none is, or a title, card or section
 * comes first (what is before it is no longer this text's). */
static qnode *block_back(builder *b, qnode *p, const qnode *stop, int most,
			 bool (*wanted)(builder *, const qnode *))
{
	for (int seen = 0; p && p != stop && seen < most; seen++, p = p->prev) {
		if (p->type == QN_TITLE || p->type == QN_CARD || p->type == QN_SECTION)
			return NULL;
		if (wanted(b, p))
			return p;
	}
	return NULL;
}

static bool is_paragraph(builder *b, const qnode *p)
{
	(void)b;
	return p->type == QN_PARAGRAPH;
}

/* A paragraph (and the code or options after it) that an answer marker
 * follows, with no question open: the paragraph is the question. */
static void paragraph_card(builder *b, qnode *p);

static bool paragraph_to_card(builder *b, qnode *c)
{
	qnode *p = block_back(b, c->last, NULL, 5, is_paragraph);
	if (!p)
		return false;
	paragraph_card(b, p);
	return true;
}

/* Paragraph p is the question; the blocks after it go with its front. */
static void paragraph_card(builder *b, qnode *p)
{
	qnode *q = qnode_new(b->doc, QN_QUESTION, p->line);
	qnode *front = qnode_new(b->doc, QN_ANSWER, p->line);   /* held aside: the new */
	int k = p->next ? move_blocks(p->next, front) : 0;       /* card goes after them */
	move_blocks(p->first, q);
	qnode_unlink(p);
	const char *full = plain_of(b, q);
	start_card(b, q, full, 6, 0, p->line, "answer-marker");
	b->card->u.card.front_blocks = k ? move_blocks(front->first, b->answer) : 0;
	set_key(b, b->card);
}

/* Does paragraph p ask: a question, or a task ending in a colon that
 * the code right after it belongs to (`Try this program:` + code, a
 * label while it has no card)? */
static bool paragraph_asks(builder *b, const qnode *p)
{
	const char *t = plain_of(b, p);
	size_t n = strlen(t);
	if (qc_asks(t, n))
		return true;
	return n && t[n - 1] == ':' && p->next && p->next->type == QN_CODE;
}

/* A paragraph or label that asks (paragraph_asks). */
static bool text_asks(builder *b, const qnode *p)
{
	return (p->type == QN_PARAGRAPH || p->type == QN_LABEL) && paragraph_asks(b, p);
}

/* A folded answer (<details><summary>Solution</summary>, a template's
 * solution block) answers the last paragraph before it that asks, since
 * the heading or the previous folded answer: exercises in running text
 * under a topic heading, each with its solution. A card whose folded
 * answer has closed ends there. False: no such paragraph. */
static bool spoiler_to_card(builder *b)
{
	if (b->card && !b->folded)
		return false;
	qnode *c = container(b);
	qnode *stop = b->card ? b->folded_last : NULL;   /* the folded answer's last block */
	qnode *p = block_back(b, c->last, stop, 8, text_asks);
	if (!p)
		return false;   /* none of the blocks looked at asks */
	if (b->card) {   /* out of the old card's answer, after the card */
		qnode *held = qnode_new(b->doc, QN_ANSWER, p->line);
		move_blocks(p, held);
		close_card(b);
		move_blocks(held->first, container(b));
	}
	paragraph_card(b, p);
	return true;
}

/* Is the text of a section whose heading does not ask only a rule and
 * the question the answer marker answers (`### Container`, `***`, then
 * `Was ist der Unterschied zwischen Vagrant und Docker?` and its
 * `<details>`)? The rule sets the heading apart: the paragraph is the
 * question, the heading the section of it and the questions after it. */
static bool text_asks_instead(builder *b, const qnode *sec)
{
	const char *h = sec->u.section.plain;
	if (!h || label_heading(h, strlen(h)) || qc_classify(h, strlen(h)) == QC_QUESTION)
		return false;
	const qnode *p = block_back(b, sec->last, NULL, 5, is_paragraph);
	if (!p)
		return false;   /* the question, before the code or options after it */
	bool ruled = false;   /* a rule sets the heading apart from the text */
	for (const qnode *k = sec->first ? sec->first->next : NULL; k && k != p; k = k->next) {
		if (k->type != QN_RULE)
			return false;   /* text of its own first: the question is the heading's */
		ruled = true;
	}
	if (!ruled)
		return false;   /* `## asyncio.Semaphore` then `What is it used for?`: one front */
	qbuf_reset(&b->tmp);
	qnode_plain(p, &b->tmp);
	return tmp_asks(b);
}

/* An answer marker: with a question open, what came since is its front;
 * without, the heading or paragraph before it becomes the question. */
static void on_answer_marker(builder *b)
{
	if (b->card) {
		int k = b->card->u.card.front_blocks ? 0 : count_children(b->answer);
		if (k) {
			b->card->u.card.front_blocks = k;
			set_key(b, b->card);
		}
		return;
	}
	qnode *c = container(b);
	if (c->type == QN_SECTION && c == b->recent) {
		bool subsections = false;
		for (qnode *k = c->first; k; k = k->next)
			subsections |= k->type == QN_SECTION || k->type == QN_CARD;
		if (!subsections && !text_asks_instead(b, c)) {
			section_to_card(b, c);
			return;
		}
	}
	paragraph_to_card(b, c);
}

/* The level of a bare section title: a sibling of the deepest open
 * section from level 3 down, else one below it. */
static int bare_level(const builder *b)
{
	if (!b->nsec)
		return 1;
	int top = b->sec_level[b->nsec - 1];
	bool top_bare = b->sec[b->nsec - 1]->u.section.bare;
	return (top >= 3 || top_bare) ? top : top + 1;
}

static void open_section(builder *b, cmark_node *heading, int level, bool bare,
			 int line)
{
	close_card(b);
	while (b->nsec && b->sec_level[b->nsec - 1] >= level)
		b->nsec--;
	if (b->nsec == MAX_SECTIONS)
		b->nsec--;
	qnode *s = qnode_new(b->doc, QN_SECTION, line);
	qnode *title = qnode_new(b->doc, QN_TITLE, line);
	qnode_append(s, title);
	convert_children(b, heading, title);
	s->u.section.level = level;
	s->u.section.bare = bare;
	s->u.section.heading = bare ? 0 : cmark_node_get_heading_level(heading);
	s->u.section.plain = plain_of(b, title);
	const char *p = s->u.section.plain;
	size_t n = strlen(p), dec = qc_decoration(p, n);
	s->u.section.name = dec < n ? p + dec : p;
	qnode_append(b->nsec ? b->sec[b->nsec - 1] : b->doc->root, s);
	b->sec[b->nsec] = s;
	b->sec_level[b->nsec++] = level;
	b->recent = bare ? NULL : s;
}

/* Is this plain text a label: short, one phrase, ending with ':'? */
static bool label_like(const char *s, size_t n)
{
	n = qc_trim(&s, n);
	if (n < 2 || qutf8_longer_than(s, n, 40))
		return false;
	if (!qc_ends_colon(s, n))
		return false;
	return !qmemmem(s, n, ". ", 2) && !qmemmem(s, n, "? ", 2);
}

/* A paragraph whose first line is a label (`✅ Pros:`, `Example:`)
 * becomes a label, followed by the rest of the paragraph if any. */
static void add_paragraph(builder *b, qnode *p)
{
	qnode *brk = p->first;
	while (brk && brk->type != QN_SOFTBREAK && brk->type != QN_LINEBREAK)
		brk = brk->next;
	for (qnode *k = p->first; k != brk; k = k->next)
		if (k->type != QN_TEXT && k->type != QN_STRONG && k->type != QN_EMPH
		    && k->type != QN_CODE_SPAN) {
			qnode_append(container(b), p);
			return;
		}
	qbuf_reset(&b->tmp);
	for (qnode *k = p->first; k != brk; k = k->next)
		qnode_plain(k, &b->tmp);
	if (!label_like(b->tmp.ptr, b->tmp.len)) {
		qnode_append(container(b), p);
		return;
	}
	qnode *label = qnode_new(b->doc, QN_LABEL, p->line);
	while (p->first && p->first != brk) {
		qnode *k = p->first;
		qnode_unlink(k);
		qnode_append(label, k);
	}
	qnode_append(container(b), label);
	b->lead = brk ? NULL : label;
	if (brk) {
		qnode_unlink(brk);
		p->line = p->first ? p->first->line : p->line;
		qnode_append(container(b), p);
	}
}

/* `Por lo tanto:`, `We rewrite the system:` right before a displayed
 * formula: a sentence the formula completes, not a label over it. */
static void lead_in(builder *b, const qnode *n)
{
	qnode *l = b->lead;
	b->lead = NULL;
	if (l && n->type == QN_MATH_BLOCK && l->parent == container(b) && !l->next)
		qnode_set_type(b->doc, l, QN_PARAGRAPH);
}

static void add_block(builder *b, qnode *n)
{
	if (!n || (n->type == QN_PARAGRAPH && !n->first))
		return;   /* a paragraph of tags that show nothing (`<a name>`) */
	lead_in(b, n);
	if (n->type == QN_PARAGRAPH && !b->o.strict)
		add_paragraph(b, n);
	else
		qnode_append(container(b), n);
}

/* Does a section hold text of its own (not only its title, cards and
 * sections)? Such a section is a topic beside the questions of its
 * level, not the group they belong to. */
static bool has_own_body(const qnode *sec)
{
	for (const qnode *c = sec->first; c; c = c->next)
		if (c->type != QN_TITLE && c->type != QN_CARD && c->type != QN_SECTION)
			return true;
	return false;
}

static void on_label(builder *b, cmark_node *heading, int line)
{
	qnode *l = qnode_new(b->doc, QN_LABEL, line);
	convert_children(b, heading, l);
	add_block(b, l);
}

/* Does a heading of this level that only names the answer answer the
 * heading before it: a question's heading or a section's whose text
 * (the exercise's statement, its options) it follows, at the same
 * level, with no heading between? Then it goes, and what follows it is
 * the answer. (A deeper `## Resolución` under a `# Topic` is the
 * topic's method, its own sections each a topic: it stays a section.) */
static bool answers_heading_before(builder *b, int level)
{
	if (b->o.strict || b->lift->tool_cards)
		return false;
	if (b->card)
		return b->card->u.card.heading && level == b->card_level;
	qnode *c = container(b);
	return c->type == QN_SECTION && c == b->recent && level == c->u.section.level;
}

static void on_heading(builder *b, cmark_node *n)
{
	int line = src_line(b, n);
	int level = cmark_node_get_heading_level(n);
	const qmark *m = qlift_mark(b->lift, cmark_node_get_start_line(n));
	if (m && m->kind == QM_QUESTION) {
		open_card(b, n, m->full, b->card ? b->card_level : 6, line,
			  m->rule ? m->rule : "bare-question");
		b->card->u.card.reversible = m->reversible;
		return;
	}
	if (m && m->kind == QM_TITLE) {
		open_section(b, n, bare_level(b), true, line);
		return;
	}
	if (b->spoiler && b->card) {   /* "#### Answer: B" in the answer */
		add_block(b, convert_block(b, n));
		return;
	}
	const char *full = m && m->full ? m->full : NULL;
	qnode probe = {.type = QN_TITLE};
	if (!full) {
		convert_children(b, n, &probe);
		full = plain_of(b, &probe);
	}
	if (qc_names_answer(full, strlen(full)) && answers_heading_before(b, level)) {
		on_answer_marker(b);   /* `## Resolución:` after `## Demostrar que ...` */
		return;
	}
	qclass k = qc_classify(full, strlen(full));
	if (k == QC_LABEL && (b->o.strict || (b->card ? level < b->card_level : level <= 2)))
		k = QC_OTHER;   /* a label is a line inside the text; `## Python:` heads a part */
	if (k == QC_QUESTION && b->lift->tool_cards)
		k = QC_OTHER;   /* the notes mark their cards for Obsidian_to_Anki */
	if (k == QC_QUESTION) {
		while (b->nsec && (b->sec_level[b->nsec - 1] > level
				   || (b->sec_level[b->nsec - 1] == level
				       && has_own_body(b->sec[b->nsec - 1]))))
			b->nsec--;
		close_card(b);
		open_card(b, n, full, level, line, "heading");
	} else if (k == QC_LABEL) {
		on_label(b, n, line);
	} else if (b->card && level > b->card_level) {
		add_block(b, convert_block(b, n));
	} else {
		open_section(b, n, level, false, line);
	}
}

/* ------------------------------------------------ list items as cards */

typedef enum {
	IT_PLAIN,     /* a bullet of text */
	IT_QUESTION,  /* its first line asks, the rest answers */
	IT_HEADING,   /* 1. ### What is a closure (a question heading) */
	IT_TAGGED,    /* Logseq / RemNote: a bullet tagged #card */
	IT_TERM,      /* an outline's term: a bullet with nested content */
	IT_ASKS_AND_TELLS,   /* `- X 是啥? Y ...`: asks, then answers on its line */
} item_kind;

/* The text of the first line of paragraph p (inline text and code). A
 * code span stands as `x` when code is false: documentation that names
 * the syntax (`#card`) does not tag its own bullet. */
static void first_line(cmark_node *p, qbuf *text, bool *more, bool code)
{
	qbuf_reset(text);
	cmark_node *c = cmark_node_first_child(p);
	for (; c && cmark_node_get_type(c) != CMARK_NODE_SOFTBREAK
	       && cmark_node_get_type(c) != CMARK_NODE_LINEBREAK; c = cmark_node_next(c)) {
		cmark_iter *it = cmark_iter_new(c);
		while (cmark_iter_next(it) != CMARK_EVENT_DONE) {
			cmark_node *x = cmark_iter_get_node(it);
			const char *lit = cmark_node_get_literal(x);
			if (lit && cmark_node_get_type(x) == CMARK_NODE_TEXT)
				qbuf_puts(text, lit);
			else if (lit && cmark_node_get_type(x) == CMARK_NODE_CODE)
				qbuf_puts(text, code ? lit : "x");
		}
		cmark_iter_free(it);
	}
	*more = c != NULL;
}

/* Where a #card tag (Logseq, RemNote: #card, #flashcard, #flashcards)
 * stands in text, as a word of its own; its length, or 0. */
static size_t card_tag(const char *s, size_t n, size_t *at)
{
	static const char *const tags[] = {"#flashcards", "#flashcard", "#card", NULL};
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '#' || (i && s[i - 1] != ' ' && s[i - 1] != '\t'))
			continue;
		for (int k = 0; tags[k]; k++) {
			size_t l = strlen(tags[k]);
			if (n - i >= l && strncasecmp(s + i, tags[k], l) == 0
			    && (i + l == n || s[i + l] == ' ' || s[i + l] == '\t')) {
				*at = i;
				return l;
			}
		}
	}
	return 0;
}

/* A term of an outline: a short line that does not end a sentence. */
static bool term_like(const char *s, size_t n)
{
	n = qc_trim(&s, n);
	if (!n || qutf8_longer_than(s, n, 80))
		return false;
	if (n >= 2 && s[0] == '[' && s[1] == '[' && s[n - 1] == ']')
		return false;   /* [[a page]]: a link, no term */
	return !strchr(".;,", s[n - 1]);
}

static bool holds_tagged(builder *b, cmark_node *list);
static bool holds_tagged_or(builder *b, cmark_node *list, bool asks);

/* In notes that tag their cards, a bullet that asks (its first line
 * ends in `?`) with its answer nested below is a card too, as the
 * author wrote it: unless the nested blocks hold tagged cards, which it
 * then only groups. Its first line is in b->tmp. */
static bool asks_untagged(builder *b, cmark_node *item)
{
	if (!tmp_asks(b))
		return false;
	for (cmark_node *c = cmark_node_next(cmark_node_first_child(item)); c; c = cmark_node_next(c))
		if (cmark_node_get_type(c) == CMARK_NODE_LIST && holds_tagged(b, c))
			return false;
	return true;
}

/* Where the first question of paragraph p's first line ends, when it
 * stands in a text of its own and more text follows it on the line: the
 * text node and the byte after its mark (`?` before a space, or `？`);
 * NULL when it does not. */
static cmark_node *ask_mark(cmark_node *p, size_t *end)
{
	for (cmark_node *c = cmark_node_first_child(p); c; c = cmark_node_next(c)) {
		cmark_node_type t = cmark_node_get_type(c);
		if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
			return NULL;
		if (t != CMARK_NODE_TEXT)
			continue;
		const char *s = cmark_node_get_literal(c);
		size_t n = s ? strlen(s) : 0;
		for (size_t i = 0; i < n; i++) {
			size_t after = s[i] == '?' ? i + 1
				       : (i + 3 <= n && !memcmp(s + i, "\xEF\xBC\x9F", 3)) ? i + 3 : 0;
			if (!after)
				continue;
			if (s[i] == '?' && after < n && s[after] != ' ')
				continue;   /* `a?b`: no question mark of a sentence */
			const char *rest = s + after;
			size_t rn = qc_trim(&rest, n - after);
			if (!rn && !cmark_node_next(c))
				return NULL;   /* the line ends with its question */
			*end = after;
			return c;
		}
	}
	return NULL;
}

/* A bullet at the margin of the notes (not nested in another: a nested
 * one asks about its parent) whose first line asks a short question and
 * goes on to answer it (`- 正/负溢出 是啥? 两个正有符号整型相加溢出到负数, …`). */
static bool asks_and_tells(builder *b, cmark_node *item, cmark_node *first)
{
	cmark_node *owner = cmark_node_parent(cmark_node_parent(item));
	if (!owner || cmark_node_get_type(owner) != CMARK_NODE_DOCUMENT)
		return false;
	size_t end;
	cmark_node *at = ask_mark(first, &end);
	if (!at)
		return false;
	qbuf *t = &b->tmp;   /* the question: the line up to its mark */
	qbuf_reset(t);
	for (cmark_node *c = cmark_node_first_child(first); c != at; c = cmark_node_next(c)) {
		const char *lit = cmark_node_get_literal(c);
		if (lit && (cmark_node_get_type(c) == CMARK_NODE_TEXT || cmark_node_get_type(c) == CMARK_NODE_CODE))
			qbuf_puts(t, lit);
		else if (cmark_node_get_type(c) != CMARK_NODE_TEXT && cmark_node_first_child(c))
			qbuf_puts(t, "x");
	}
	qbuf_put(t, cmark_node_get_literal(at), end);
	const char *s = t->ptr;
	size_t n = qc_trim(&s, t->len);
	if (n <= 2 || qutf8_longer_than(s, n, 120) || qc_holds_colon(s, n)
	    || qc_classify(s, n) != QC_QUESTION)
		return false;
	qbuf_reset(t);   /* the answer: the rest of the line, a sentence told */
	qbuf_puts(t, cmark_node_get_literal(at) + end);
	for (cmark_node *c = cmark_node_next(at); c; c = cmark_node_next(c)) {
		cmark_node_type ty = cmark_node_get_type(c);
		if (ty == CMARK_NODE_SOFTBREAK || ty == CMARK_NODE_LINEBREAK)
			break;
		const char *lit = cmark_node_get_literal(c);
		if (lit && (ty == CMARK_NODE_TEXT || ty == CMARK_NODE_CODE))
			qbuf_puts(t, lit);
		else if (ty != CMARK_NODE_HTML_INLINE && cmark_node_first_child(c))
			qbuf_puts(t, "x");
	}
	s = t->ptr ? t->ptr : "";
	n = qc_trim(&s, t->len);
	while (n && (s[n - 1] == ')' || (n >= 3 && !memcmp(s + n - 3, "\xEF\xBC\x89", 3))))
		n -= s[n - 1] == ')' ? 1 : 3;   /* `... (谢罪.)`, `（…。）` */
	if (qc_classify(s, n) == QC_QUESTION)
		return false;   /* `What is its price? Compare it with ...`: a task goes on */
	return n > 1 && (s[n - 1] == '.' || s[n - 1] == '!'
			 || (n >= 3 && (!memcmp(s + n - 3, "\xE3\x80\x82", 3)       /* 。 */
					|| !memcmp(s + n - 3, "\xEF\xBC\x81", 3))));  /* ！ */
}

static item_kind classify_item(builder *b, cmark_node *item, bool terms)
{
	cmark_node *first = cmark_node_first_child(item);
	if (!first)
		return IT_PLAIN;
	bool rest = cmark_node_next(first) != NULL, more = false;
	qbuf *t = &b->tmp;
	const qmark *m = qlift_mark(b->lift, cmark_node_get_start_line(first));
	if (m && m->kind == QM_QUESTION && cmark_node_get_type(first) == CMARK_NODE_HEADING)
		return IT_HEADING;   /* a card line in a bullet: `- ATP >> energy` */
	if (cmark_node_get_type(first) == CMARK_NODE_HEADING && !b->o.tagged) {
		qnode probe = {.type = QN_TITLE};
		convert_children(b, first, &probe);
		const char *text = plain_of(b, &probe);
		if (qc_classify(text, strlen(text)) == QC_QUESTION)
			return IT_HEADING;
		return terms && rest ? IT_TERM : IT_PLAIN;
	}
	if (cmark_node_get_type(first) != CMARK_NODE_PARAGRAPH)
		return IT_PLAIN;
	first_line(first, t, &more, false);
	size_t at;
	if (card_tag(t->ptr ? t->ptr : "", t->len, &at))
		return IT_TAGGED;
	first_line(first, t, &more, true);
	if (b->o.tagged)   /* the notes say which bullets are cards */
		return rest && asks_untagged(b, item) ? IT_QUESTION : IT_PLAIN;
	if ((more || rest) && qc_classify(t->ptr ? t->ptr : "", t->len) == QC_QUESTION)
		return IT_QUESTION;
	bool term = terms && rest && !more && term_like(t->ptr ? t->ptr : "", t->len);
	if (asks_and_tells(b, item, first))
		return IT_ASKS_AND_TELLS;
	return term ? IT_TERM : IT_PLAIN;
}

/* Take a #card tag out of the text nodes of a question. */
static void drop_tag(builder *b, qnode *q)
{
	for (qnode *c = q->first; c; c = c->next) {
		size_t at, l;
		if (c->type != QN_TEXT || !(l = card_tag(c->text, c->len, &at)))
			continue;
		qbuf_reset(&b->tmp);
		qbuf_put(&b->tmp, c->text, at);
		qbuf_put(&b->tmp, c->text + at + l, c->len - at - l);
		const char *s = b->tmp.ptr;
		size_t n = b->tmp.len;
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		c->text = qdoc_strdup(b->doc, s, n);
		c->len = n;
	}
	while (q->last && (q->last->type == QN_SOFTBREAK || q->last->type == QN_LINEBREAK))
		qnode_unlink(q->last);
}

/* The number an ordered list shows for item (`3.`, `3)`): a numbered
 * question that stays in its item keeps it, as one lifted out does. */
static const char *item_ordinal(builder *b, cmark_node *item)
{
	cmark_node *list = cmark_node_parent(item);
	if (!list || cmark_node_get_list_type(list) != CMARK_ORDERED_LIST)
		return NULL;
	int v = cmark_node_get_list_start(list);
	if (b->ord_item && b->ord_item == cmark_node_previous(item)) {
		v = b->ord_value + 1;   /* one walk over a long list, not one per item */
	} else {
		for (cmark_node *c = cmark_node_first_child(list); c && c != item; c = cmark_node_next(c))
			v++;
	}
	b->ord_item = item;
	b->ord_value = v;
	char num[24];
	int k = snprintf(num, sizeof num, "%d%c", v,
			 cmark_node_get_list_delim(list) == CMARK_PAREN_DELIM ? ')' : '.');
	return qdoc_strdup(b->doc, num, (size_t)k);
}

/* Is block c of a list item the lifter's mark of a folded answer
 * (`<details><summary>Answer</summary>` indented in the item) or of an
 * answer label? */
static bool folds_answer(builder *b, cmark_node *c)
{
	if (cmark_node_get_type(c) != CMARK_NODE_HTML_BLOCK)
		return false;
	const qmark *m = qlift_mark(b->lift, cmark_node_get_start_line(c));
	return m && (m->kind == QM_SPOILER || m->kind == QM_ANSWER);
}

static const char *const item_rules[] = {
	[IT_QUESTION] = "list-item", [IT_HEADING] = "heading-in-list",
	[IT_TAGGED] = "card-tag", [IT_TERM] = "outline-term",
	[IT_ASKS_AND_TELLS] = "list-item-answered",
};

/* Break the first line of paragraph p after its question (ask_mark):
 * the answer that follows on the line goes on as the next line. */
static void break_after_question(builder *b, cmark_node *p)
{
	size_t end;
	cmark_node *at = ask_mark(p, &end);
	if (!at)
		return;
	const char *lit = cmark_node_get_literal(at);
	const char *rest = lit + end;
	size_t rn = strlen(rest);
	while (rn && (*rest == ' ' || *rest == '\t')) {   /* its leading space only */
		rest++;
		rn--;
	}
	qbuf_reset(&b->tmp);
	qbuf_put(&b->tmp, rest, rn);
	qbuf_putc(&b->tmp, '\0');
	cmark_node *brk = cmark_node_new_with_mem(CMARK_NODE_SOFTBREAK, b->mem);
	cmark_node_insert_after(at, brk);
	if (rn) {
		cmark_node *tail = cmark_node_new_with_mem(CMARK_NODE_TEXT, b->mem);
		cmark_node_set_literal(tail, b->tmp.ptr);
		cmark_node_insert_after(brk, tail);
	} else {   /* the answer starts with the next node: drop its space */
		cmark_node *n = cmark_node_next(brk);
		if (n && cmark_node_get_type(n) == CMARK_NODE_TEXT) {
			const char *ns = cmark_node_get_literal(n);
			size_t nn = strlen(ns);
			while (nn && (*ns == ' ' || *ns == '\t')) {
				ns++;
				nn--;
			}
			qbuf_reset(&b->tmp);
			qbuf_put(&b->tmp, ns, nn);
			qbuf_putc(&b->tmp, '\0');
			cmark_node_set_literal(n, b->tmp.ptr);
		}
	}
	qbuf_reset(&b->tmp);
	qbuf_put(&b->tmp, lit, end);
	qbuf_putc(&b->tmp, '\0');
	cmark_node_set_literal(at, b->tmp.ptr);
}

/* One list item as a card: the question is its heading, its tagged
 * paragraph, or its first line; the answer is the rest of the item. A
 * last item that is only its question keeps the card open: the answer
 * follows the list (`262. ### What happens ...?` then text at the left). */
static void item_card(builder *b, cmark_node *item, item_kind k, cmark_node *skip)
{
	int line = src_line(b, item);
	cmark_node *first = cmark_node_first_child(item);
	qnode *q = qnode_new(b->doc, QN_QUESTION, line);
	cmark_node *rest = NULL;
	if (k == IT_ASKS_AND_TELLS)
		break_after_question(b, first);
	if (k == IT_HEADING || cmark_node_get_type(first) == CMARK_NODE_HEADING || k == IT_TAGGED) {
		convert_children(b, first, q);
	} else {   /* split the paragraph: its first line asks */
		rest = cmark_node_new_with_mem(CMARK_NODE_PARAGRAPH, b->mem);
		cmark_node *c = cmark_node_first_child(first);
		qnode probe = {.type = QN_TITLE};
		while (c && cmark_node_get_type(c) != CMARK_NODE_SOFTBREAK && cmark_node_get_type(c) != CMARK_NODE_LINEBREAK)
			c = cmark_node_next(c);
		if (c) {
			cmark_node *next = cmark_node_next(c);
			cmark_node_free(c);
			while (next) {
				cmark_node *nn = cmark_node_next(next);
				cmark_node_append_child(rest, next);
				next = nn;
			}
		}
		(void)probe;
		convert_children(b, first, q);
	}
	if (k == IT_TAGGED)
		drop_tag(b, q);
	const char *full = plain_of(b, q);
	int level = b->nsec ? b->sec_level[b->nsec - 1] + 1 : 2;
	const qmark *m = qlift_mark(b->lift, cmark_node_get_start_line(first));
	bool marked = m && m->kind == QM_QUESTION;   /* the lifter's card line */
	start_card(b, q, full, level > 6 ? 6 : level, k == IT_HEADING ? cmark_node_get_heading_level(first) : 0,
		   line, marked && m->rule ? m->rule : item_rules[k]);
	if (marked)
		b->card->u.card.reversible = m->reversible;
	if (marked && m->rule && !strcmp(m->rule, "numbered-item"))
		b->card->u.card.number = item_ordinal(b, item);
	bool had_rest = rest && cmark_node_first_child(rest);
	if (had_rest) {
		qnode *para = qnode_new(b->doc, QN_PARAGRAPH, line);
		convert_children(b, rest, para);
		qnode_append(b->answer, para);
	}
	if (rest)
		cmark_node_free(rest);
	for (cmark_node *c = cmark_node_next(first); c; c = cmark_node_next(c)) {
		if (c == skip)   /* the nested cards: read after the card */
			continue;
		if (folds_answer(b, c))
			on_answer_marker(b);   /* what came before it (the options) is front */
		else
			add_block(b, convert_block(b, c));
	}
	bool last = !cmark_node_next(item) && !cmark_node_next(first) && !had_rest
		    && cmark_node_get_type(cmark_node_parent(cmark_node_parent(item))) == CMARK_NODE_DOCUMENT;
	if (!last || b->answer->first)
		close_card(b);
}

/* Bullets of a list outside any answer go to a list of their own, which
 * is added when a card comes between them or the list ends. */
typedef struct pending {
	qnode *list;
} pending;

static void flush(builder *b, pending *p)
{
	if (p->list && p->list->first)
		add_block(b, p->list);
	p->list = NULL;
}

static void add_plain(builder *b, pending *p, cmark_node *list, cmark_node *item)
{
	if (!p->list)
		p->list = list_node(b, list, src_line(b, item));
	append_converted(b, p->list, item);
}

/* Is an item's first block a card line the lifter found (`front::back`,
 * `front >> back`), its back on the line itself? */
static bool line_card(builder *b, cmark_node *first)
{
	if (!first || cmark_node_get_type(first) != CMARK_NODE_HEADING)
		return false;
	const qmark *m = qlift_mark(b->lift, cmark_node_get_start_line(first));
	return m && m->kind == QM_QUESTION && m->rule
	       && (!strcmp(m->rule, "obsidian-inline") || !strcmp(m->rule, "remnote-inline"));
}

/* The last nested list of a card line's item that holds cards: a
 * card line's back is its own line, so cards nested below it are cards
 * of their own (Obsidian Spaced Repetition reads every line), or NULL. */
static cmark_node *nested_cards(builder *b, cmark_node *item)
{
	cmark_node *first = cmark_node_first_child(item), *inner = NULL;
	if (!line_card(b, first))
		return NULL;
	for (cmark_node *c = cmark_node_next(first); c; c = cmark_node_next(c))
		if (cmark_node_get_type(c) == CMARK_NODE_LIST && holds_tagged_or(b, c, b->o.tagged))
			inner = c;
	return inner;
}

/* Does a list hold a card anywhere below its top: a #card bullet, or
 * with asks (in notes that tag their cards) a bullet that asks with
 * nested blocks (a card, or a group of tagged cards: either way the
 * list is read for cards)? */
static bool holds_tagged_or(builder *b, cmark_node *list, bool asks)
{
	cmark_iter *it = cmark_iter_new(list);
	cmark_event_type ev;
	bool found = false;
	while (!found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_ITEM)
			continue;
		cmark_node *first = cmark_node_first_child(n);
		bool more;
		if (line_card(b, first))
			found = true;
		else if (first && cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH) {
			first_line(first, &b->tmp, &more, false);
			size_t at;
			found = card_tag(b->tmp.ptr ? b->tmp.ptr : "", b->tmp.len, &at) > 0
				|| (asks && cmark_node_next(first) && tmp_asks(b));
		}
	}
	cmark_iter_free(it);
	return found;
}

static bool holds_tagged(builder *b, cmark_node *list)
{
	return holds_tagged_or(b, list, false);
}

/* Put the item to go on with after a nested list on the stack. */
static void push_next(cmark_node ***stack, int *depth, int *cap, cmark_node *next)
{
	if (*depth == *cap) {
		*cap = *cap ? 2 * *cap : 8;
		*stack = qxrealloc(*stack, sizeof **stack * (size_t)*cap);
	}
	(*stack)[(*depth)++] = next;
}

/* The cards of a list outside an answer: question bullets, #card
 * bullets at any depth, an outline's terms; the other bullets stay a
 * list between them. Nested lists that hold #card bullets are read the
 * same way, with an explicit stack. */
static void list_cards(builder *b, cmark_node *list, bool terms)
{
	cmark_node **stack = NULL;
	int depth = 0, cap = 0;
	cmark_node *cur = cmark_node_first_child(list);
	cmark_node *owner = list;
	pending p = {0};
	for (;;) {
		if (!cur) {
			flush(b, &p);
			if (!depth)
				break;
			cur = stack[--depth];   /* the item after the one we went into */
			owner = cur ? cmark_node_parent(cur) : NULL;
			continue;
		}
		item_kind k = classify_item(b, cur, terms && owner == list);
		cmark_node *next = cmark_node_next(cur);
		cmark_node *inner = NULL;
		if (k != IT_PLAIN) {
			flush(b, &p);
			inner = nested_cards(b, cur);
			item_card(b, cur, k, inner);
			if (inner) {
				push_next(&stack, &depth, &cap, next);
				cur = cmark_node_first_child(inner);
				owner = inner;
			} else {
				cur = next;
			}
			continue;
		}
		for (cmark_node *c = cmark_node_first_child(cur); c; c = cmark_node_next(c))
			if (cmark_node_get_type(c) == CMARK_NODE_LIST && holds_tagged_or(b, c, b->o.tagged))
				inner = c;
		if (!inner) {
			add_plain(b, &p, owner, cur);
			cur = next;
			continue;
		}
		/* the bullet's own text, then its nested lists read for cards */
		flush(b, &p);
		p.list = list_node(b, owner, src_line(b, cur));
		qnode *it = qnode_new(b->doc, QN_ITEM, src_line(b, cur));
		qnode_append(p.list, it);
		for (cmark_node *c = cmark_node_first_child(cur); c; c = cmark_node_next(c))
			if (cmark_node_get_type(c) != CMARK_NODE_LIST)
				append_converted(b, it, c);
		flush(b, &p);
		push_next(&stack, &depth, &cap, next);
		cur = cmark_node_first_child(inner);   /* only the list holding cards */
		owner = inner;
	}
	free(stack);
}

/* A list that opens with a question heading or a #card bullet starts
 * cards of its own, even right after an answer. */
static bool starts_cards(builder *b, cmark_node *list)
{
	cmark_node *first = cmark_node_first_child(list);
	item_kind k = first ? classify_item(b, first, false) : IT_PLAIN;
	if (k == IT_HEADING || k == IT_TAGGED)
		return true;
	/* a later item the lifter made a question (`9. What ...?` with
	 * its `Answer:` line): the list goes on with the questions */
	for (cmark_node *it = first; it; it = cmark_node_next(it)) {
		cmark_node *c = cmark_node_first_child(it);
		const qmark *m = c ? qlift_mark(b->lift, cmark_node_get_start_line(c)) : NULL;
		if (m && m->kind == QM_QUESTION && cmark_node_get_type(c) == CMARK_NODE_HEADING)
			return true;
	}
	return false;
}

/* Does a list outside an answer hold cards? */
static bool list_has_cards(builder *b, cmark_node *list, bool *terms)
{
	int questions = 0, items = 0;
	for (cmark_node *it = cmark_node_first_child(list); it; it = cmark_node_next(it)) {
		item_kind k = classify_item(b, it, false);
		questions += k != IT_PLAIN;
		items++;
	}
	*terms = !b->o.tagged && (b->o.outline || questions > 0);
	return questions || *terms || holds_tagged_or(b, list, b->o.tagged);
}

/* ------------------------------------------------------------- driver */

static void on_html_block(builder *b, cmark_node *n)
{
	const char *lit = cmark_node_get_literal(n);
	const qmark *m = qlift_mark(b->lift, cmark_node_get_start_line(n));
	int line = src_line(b, n);
	qnode *mb;
	if (m && m->kind == QM_TABLE) {
		add_block(b, table_node(b, m->table, line));
	} else if ((mb = math_block(b, lit, line))) {
		add_block(b, mb);
	} else if (m && m->kind == QM_FOOTNOTE) {
		add_block(b, footnote_node(b, m->table, line));
	} else if (m && m->kind == QM_END) {
		close_card(b);
	} else if (m && m->kind == QM_ANSWER) {
		on_answer_marker(b);
	} else if (m && m->kind == QM_SPOILER) {
		if (!spoiler_to_card(b))
			on_answer_marker(b);
		b->spoiler = b->card != NULL;
		b->folded = false;
	} else if (m && m->kind == QM_SPOILER_END) {
		if (b->spoiler) {
			b->folded = true;
			b->folded_last = b->answer->last;
		}
		b->spoiler = false;
	} else if (!b->o.omit_html && strncmp(lit, "<!--", 4) == 0 && strstr(lit, "-->")
		   && !strstr(strstr(lit, "-->") + 3, "<")) {
		qdiag_guess(b->d, line, "html-comment", "HTML comment left out of the outputs");
	} else {
		qnode *images, *h = html_block(b, lit, line, &images);
		add_block(b, h);
		add_block(b, images);
	}
}

/* A question set in block quotes (`> Q1. What ...?`, its choices and
 * `> - solution: 3` below in the same quote): a quote that opens with a
 * question line the lifter found is one card, the rest of the quote its
 * answer, as a list item that opens with one is. */
static bool quoted_question(builder *b, cmark_node *quote)
{
	cmark_node *first = cmark_node_first_child(quote);
	if (!first || cmark_node_get_type(first) != CMARK_NODE_HEADING)
		return false;
	const qmark *m = qlift_mark(b->lift, cmark_node_get_start_line(first));
	return m && m->kind == QM_QUESTION;
}

static void on_block(builder *b, cmark_node *n)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_HEADING:
		on_heading(b, n);
		break;
	case CMARK_NODE_THEMATIC_BREAK:
		if (!b->spoiler)
			close_card(b);
		add_block(b, qnode_new(b->doc, QN_RULE, src_line(b, n)));
		break;
	case CMARK_NODE_HTML_BLOCK:
		on_html_block(b, n);
		break;
	case CMARK_NODE_LIST: {
		bool terms;
		if (!b->o.strict && !b->o.no_cards && (!b->card || starts_cards(b, n))
		    && list_has_cards(b, n, &terms)) {
			close_card(b);
			list_cards(b, n, terms);
			break;
		}
		add_block(b, convert_block(b, n));
		break;
	}
	case CMARK_NODE_BLOCK_QUOTE:
		if (!b->o.strict && !b->o.no_cards && quoted_question(b, n)) {
			close_card(b);
			item_card(b, n, IT_HEADING, NULL);
			break;
		}
		add_block(b, convert_block(b, n));
		break;
	default:
		add_block(b, convert_block(b, n));
		break;
	}
}

qbuilder *qbuild_new(qdoc *doc, qdiags *d, const qbuild_opts *o)
{
	builder *b = qxmalloc(sizeof *b);
	memset(b, 0, sizeof *b);
	b->doc = doc;
	b->d = d;
	if (o)
		b->o = *o;
	qbuf_init(&b->tmp);
	return b;
}

void qbuild_part(qbuilder *b, cmark_node *root, const qlift *lift, cmark_mem *mem)
{
	b->lift = lift;
	b->mem = mem;
	for (cmark_node *n = cmark_node_first_child(root); n; n = cmark_node_next(n))
		on_block(b, n);
}

int qbuild_open_sections(const qbuilder *b, qnode **secs, int *levels, int max)
{
	int n = b->nsec < max ? b->nsec : max;
	for (int i = 0; i < n; i++) {
		secs[i] = b->sec[i];
		levels[i] = b->sec_level[i];
	}
	return n;
}

void qbuild_finish(qbuilder *b)
{
	close_card(b);
	qbuf_free(&b->tmp);
	free(b);
}
