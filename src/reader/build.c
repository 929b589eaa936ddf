/* build.c - from cmark's tree to the study model (see build.h). */
#include "build.h"

#include <stdlib.h>
#include <string.h>

#include "../model/walk.h"
#include "../util/utf8.h"
#include "classify.h"
#include "code.h"
#include "html.h"

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
	    || t == QN_LINK || t == QN_IMAGE;
}

/* Append text to parent, merging with a preceding text node. */
static void append_text(builder *b, qnode *parent, const char *s, size_t n,
			int line)
{
	qnode *last = parent->last;
	if (last && last->type == QN_TEXT) {
		qbuf_reset(&b->tmp);
		qbuf_put(&b->tmp, last->text, last->len);
		qbuf_put(&b->tmp, s, n);
		last->text = qdoc_strdup(b->doc, b->tmp.ptr, b->tmp.len);
		last->len = b->tmp.len;
		return;
	}
	qnode_append(parent, qnode_new_text(b->doc, QN_TEXT, line, s, n));
}

/* ------------------------------------------------- converting blocks */

typedef struct conv {
	builder *b;
	qnode *stack[CONVERT_DEPTH + 2];
	bool from_html[CONVERT_DEPTH + 2];   /* opened by an inline tag */
	int depth;
	int skipped;     /* containers not opened because of the cap */
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

static void push(conv *c, qnode *n, bool html)
{
	if (c->depth >= CONVERT_DEPTH) {
		if (!c->b->depth_warned) {
			qdiag_add(c->b->d, QD_WARNING, c->line, 0, "depth",
				  "nesting deeper than %d levels is flattened", CONVERT_DEPTH);
			c->b->depth_warned = true;
		}
		c->skipped++;
		return;
	}
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
	if (c->skipped)
		c->skipped--;
	else if (c->depth > 1)
		c->depth--;
}

static void leaf(conv *c, qnode *n)
{
	qnode_append(attach_point(c, n->type), n);
}

static const char *code_lang(builder *b, cmark_node *n, const qmark *m,
			     const char *text, size_t len)
{
	if (m && m->kind == QM_CODE)
		return m->lang;
	const char *info = cmark_node_get_fence_info(n);
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

static qnode *code_block(builder *b, cmark_node *n, int line)
{
	const char *lit = cmark_node_get_literal(n);
	size_t len = lit ? strlen(lit) : 0;
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

static qnode *html_block(builder *b, const char *lit, int line)
{
	if (b->o.omit_html)
		return qnode_new_text(b->doc, QN_HTML, line, HTML_OMITTED, strlen(HTML_OMITTED));
	qhtml_report r;
	qbuf_reset(&b->tmp);
	qhtml_sanitize(lit, strlen(lit), &b->tmp, &r);
	if (r.removed_elements || r.removed_attrs)
		qdiag_add(b->d, QD_WARNING, line, 0, "html",
			  "HTML sanitized: removed %d element%s%s%s%s and %d attribute%s%s%s%s",
			  r.removed_elements, r.removed_elements == 1 ? "" : "s",
			  r.removed_elements ? " (" : "", r.element_names,
			  r.removed_elements ? ")" : "", r.removed_attrs,
			  r.removed_attrs == 1 ? "" : "s", r.removed_attrs ? " (" : "",
			  r.attr_names, r.removed_attrs ? ")" : "");
	const char *s = b->tmp.ptr;
	size_t n = qc_trim(&s, b->tmp.len);
	while (n && (s[n - 1] == '\n'))
		n--;
	if (!n)
		return NULL;
	return qnode_new_text(b->doc, QN_HTML, line, s, n);
}

/* Inline HTML: <br> is a break, <b>/<i>/<code> open containers, other
 * known formatting tags are dropped (their text stays), anything else is
 * literal text. */
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
	while (name + nl < lit + len && ((name[nl] >= 'a' && name[nl] <= 'z') || (name[nl] >= 'A' && name[nl] <= 'Z')))
		nl++;
	if (nl == 0 || lit[0] != '<') {
		if (len >= 4 && memcmp(lit, "<!--", 4) == 0)
			return;   /* an HTML comment: hidden by intent */
		append_text(c->b, attach_point(c, QN_TEXT), lit, len, c->line);
		return;
	}
	qtype t = QN_NONE;
	if ((nl == 1 && (*name == 'b' || *name == 'B')) || (nl == 6 && !strncasecmp(name, "strong", 6)))
		t = QN_STRONG;
	else if ((nl == 1 && (*name == 'i' || *name == 'I')) || (nl == 2 && !strncasecmp(name, "em", 2)))
		t = QN_EMPH;
	if (nl == 2 && !strncasecmp(name, "br", 2)) {
		leaf(c, qnode_new(c->b->doc, QN_LINEBREAK, c->line));
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

static void on_leaf(conv *c, cmark_node *n)
{
	builder *b = c->b;
	const char *lit = cmark_node_get_literal(n);
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_TEXT:
		append_text(b, attach_point(c, QN_TEXT), lit, strlen(lit), c->line);
		break;
	case CMARK_NODE_CODE:
		leaf(c, qnode_new_text(b->doc, QN_CODE_SPAN, c->line, lit, strlen(lit)));
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
		qnode *h = html_block(b, lit, c->line);
		if (h)
			leaf(c, h);
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

/* ------------------------------------------------------------- tables */

static void cell_inlines(builder *b, qnode *cell, const char *md)
{
	size_t n = strlen(md);
	if (!strpbrk(md, "*_`[]<>!\\&")) {
		if (n)
			qnode_append(cell, qnode_new_text(b->doc, QN_TEXT, cell->line, md, n));
		return;
	}
	cmark_node *root = cmark_parse_document(md, n, CMARK_OPT_DEFAULT);
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

/* --------------------------------------------------- sections, cards */

static void add_question(builder *b, int line, const char *full)
{
	qdoc *doc = b->doc;
	if (doc->nquestions == b->capq) {
		b->capq = b->capq ? b->capq * 2 : 64;
		qquestion *v = qarena_alloc(&doc->arena, sizeof(qquestion) * (size_t)b->capq);
		if (doc->nquestions)
			memcpy(v, doc->questions, sizeof(qquestion) * (size_t)doc->nquestions);
		doc->questions = v;
	}
	doc->questions[doc->nquestions++] = (qquestion){line, full, true};
}

static void close_card(builder *b)
{
	qnode *card = b->card;
	if (!card)
		return;
	b->card = NULL;
	if (b->answer->first)
		return;
	/* no answer: the question stays in the text as a heading */
	qdiag_add(b->d, QD_WARNING, card->line, 0, "no-answer",
		  "question has no answer; no card is made for it");
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
		if (k->type == QN_TEXT && h->last && h->last->type == QN_TEXT) {
			append_text(b, h, " ", 1, card->line);
			append_text(b, h, k->text, k->len, card->line);
		} else {
			if (h->last)
				append_text(b, h, " ", 1, card->line);
			qnode_append(h, k);
		}
	}
	qnode *parent = card->parent;
	qnode_unlink(card);
	qnode_append(parent, h);
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

static void open_card(builder *b, cmark_node *heading, const char *full,
		      int level, int line)
{
	close_card(b);
	qnode *card = qnode_new(b->doc, QN_CARD, line);
	qnode *q = qnode_new(b->doc, QN_QUESTION, line);
	qnode *a = qnode_new(b->doc, QN_ANSWER, line);
	qnode_append(card, q);
	qnode_append(card, a);
	if (heading)
		convert_children(b, heading, q);
	full = qdoc_strdup(b->doc, full, strlen(full));   /* the lift is freed */
	card->u.card.heading = heading && cmark_node_get_type(heading) == CMARK_NODE_HEADING
			       ? cmark_node_get_heading_level(heading) : 0;
	card->u.card.number = take_number(b, q, full);
	card->u.card.full = full;
	card->u.card.plain = plain_of(b, q);
	qbuf_reset(&b->tmp);
	size_t num = qc_number(full, strlen(full));
	qcard_key(full + num, strlen(full) - num, &b->tmp);
	card->u.card.key = qdoc_strdup(b->doc, b->tmp.ptr, b->tmp.len);
	qnode_append(container(b), card);
	b->card = card;
	b->answer = a;
	b->card_level = level;
	b->card_q = b->doc->nquestions;
	add_question(b, line, full);
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
}

/* Is this plain text a label: short, one phrase, ending with ':'? */
static bool label_like(const char *s, size_t n)
{
	n = qc_trim(&s, n);
	if (n < 2 || qutf8_longer_than(s, n, 40))
		return false;
	if (s[n - 1] != ':' && !(n >= 3 && memcmp(s + n - 3, "\xEF\xBC\x9A", 3) == 0))
		return false;
	return !memmem(s, n, ". ", 2) && !memmem(s, n, "? ", 2);
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
	if (brk) {
		qnode_unlink(brk);
		p->line = p->first ? p->first->line : p->line;
		qnode_append(container(b), p);
	}
}

static void add_block(builder *b, qnode *n)
{
	if (!n)
		return;
	if (n->type == QN_PARAGRAPH && !b->o.strict)
		add_paragraph(b, n);
	else
		qnode_append(container(b), n);
}

static void on_label(builder *b, cmark_node *heading, int line)
{
	qnode *l = qnode_new(b->doc, QN_LABEL, line);
	convert_children(b, heading, l);
	add_block(b, l);
}

static void on_heading(builder *b, cmark_node *n)
{
	int line = src_line(b, n);
	int level = cmark_node_get_heading_level(n);
	const qmark *m = qlift_mark(b->lift, cmark_node_get_start_line(n));
	if (m && m->kind == QM_QUESTION) {
		open_card(b, n, m->full, b->card ? b->card_level : 6, line);
		return;
	}
	if (m && m->kind == QM_TITLE) {
		open_section(b, n, bare_level(b), true, line);
		return;
	}
	const char *full = m && m->full ? m->full : NULL;
	qnode probe = {.type = QN_TITLE};
	if (!full) {
		convert_children(b, n, &probe);
		full = plain_of(b, &probe);
	}
	qclass k = qc_classify(full, strlen(full));
	if (k == QC_LABEL && b->o.strict)
		k = QC_OTHER;
	if (k == QC_QUESTION) {
		while (b->nsec && b->sec_level[b->nsec - 1] > level)
			b->nsec--;
		close_card(b);
		open_card(b, n, full, level, line);
	} else if (k == QC_LABEL) {
		on_label(b, n, line);
	} else if (b->card && level > b->card_level) {
		add_block(b, convert_block(b, n));
	} else {
		open_section(b, n, level, false, line);
	}
}

/* ------------------------------------------ list items as questions */

/* The first paragraph of a list item, if its first line is a question. */
static bool item_question(cmark_node *item, qbuf *text)
{
	cmark_node *p = cmark_node_first_child(item);
	if (!p || cmark_node_get_type(p) != CMARK_NODE_PARAGRAPH)
		return false;
	qbuf_reset(text);
	cmark_node *c = cmark_node_first_child(p);
	for (; c && cmark_node_get_type(c) != CMARK_NODE_SOFTBREAK
	       && cmark_node_get_type(c) != CMARK_NODE_LINEBREAK; c = cmark_node_next(c)) {
		cmark_iter *it = cmark_iter_new(c);
		while (cmark_iter_next(it) != CMARK_EVENT_DONE) {
			cmark_node *x = cmark_iter_get_node(it);
			const char *lit = cmark_node_get_literal(x);
			if (lit && (cmark_node_get_type(x) == CMARK_NODE_TEXT || cmark_node_get_type(x) == CMARK_NODE_CODE))
				qbuf_puts(text, lit);
		}
		cmark_iter_free(it);
	}
	bool more = c != NULL || cmark_node_next(p) != NULL;
	return more && qc_classify(text->ptr, text->len) == QC_QUESTION;
}

static bool is_question_list(builder *b, cmark_node *list)
{
	int items = 0;
	for (cmark_node *it = cmark_node_first_child(list); it; it = cmark_node_next(it)) {
		if (!item_question(it, &b->tmp))
			return false;
		items++;
	}
	return items > 0;
}

/* One list item as a card: question = its first line, answer = the rest. */
static void item_card(builder *b, cmark_node *item)
{
	int line = src_line(b, item);
	item_question(item, &b->tmp);
	const char *s = b->tmp.ptr;
	size_t n = qc_trim(&s, b->tmp.len);
	const char *full = qdoc_strdup(b->doc, s, n);
	cmark_node *p = cmark_node_first_child(item);
	/* split the paragraph: the question part, then the answer part */
	cmark_node *rest = cmark_node_new_with_mem(CMARK_NODE_PARAGRAPH, b->mem);
	cmark_node *c = cmark_node_first_child(p);
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
	open_card(b, p, full, b->card_level ? b->card_level : 6, line);
	if (cmark_node_first_child(rest)) {
		qnode *para = qnode_new(b->doc, QN_PARAGRAPH, line);
		convert_children(b, rest, para);
		qnode_append(b->answer, para);
	}
	cmark_node_free(rest);
	for (cmark_node *k = cmark_node_next(p); k; k = cmark_node_next(k))
		add_block(b, convert_block(b, k));
	close_card(b);
}

/* ------------------------------------------------------------- driver */

static void on_html_block(builder *b, cmark_node *n)
{
	const char *lit = cmark_node_get_literal(n);
	const qmark *m = qlift_mark(b->lift, cmark_node_get_start_line(n));
	int line = src_line(b, n);
	if (m && m->kind == QM_TABLE) {
		add_block(b, table_node(b, m->table, line));
	} else if (m && m->kind == QM_END) {
		close_card(b);
	} else if (!b->o.omit_html && strncmp(lit, "<!--", 4) == 0 && strstr(lit, "-->")
		   && !strstr(strstr(lit, "-->") + 3, "<")) {
		qdiag_guess(b->d, line, "html-comment", "HTML comment left out of the outputs");
	} else {
		add_block(b, html_block(b, lit, line));
	}
}

static void on_block(builder *b, cmark_node *n)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_HEADING:
		on_heading(b, n);
		break;
	case CMARK_NODE_THEMATIC_BREAK:
		close_card(b);
		add_block(b, qnode_new(b->doc, QN_RULE, src_line(b, n)));
		break;
	case CMARK_NODE_HTML_BLOCK:
		on_html_block(b, n);
		break;
	case CMARK_NODE_LIST:
		if (!b->o.strict && is_question_list(b, n)) {
			close_card(b);
			for (cmark_node *it = cmark_node_first_child(n); it; it = cmark_node_next(it))
				item_card(b, it);
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
