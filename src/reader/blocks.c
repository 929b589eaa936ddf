/* blocks.c - what cmark makes of each line of the notes (see blocks.h).
 *
 * The lifter decides what a line of notes means from its text; before
 * it does, cmark has read the same text as plain CommonMark. Its tree
 * says which lines are fenced or indented code, HTML, headings and
 * paragraphs, and inside which block quotes and list items they sit:
 * the lifter leaves what CommonMark already reads right as it is, and
 * applies its rules to the content of a line after its container prefix
 * (`> `, a list item's marker or indentation).
 *
 * The walk is cmark's iterator with an explicit stack of containers; a
 * line's prefix is found by matching the containers from the outside in,
 * as CommonMark does (a line that fails to match is a lazy continuation).
 */
#include "blocks.h"

#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"

typedef struct cont {
	bool quote;       /* block quote, else list item */
	int col;          /* item: display column where its content starts */
	int start_line;   /* item: the line of its marker */
	int id;
} cont;

typedef struct mapper {
	const qline_ref *lines;
	qline_block *info;
	int nlines;
	cont *stack;
	int depth, cap;
	int next_id;
	int leaf;
} mapper;

static int next_col(int col, char c)
{
	return c == '\t' ? (col / 4 + 1) * 4 : col + 1;
}

/* Display column of byte offset `off` of a line. */
static int column_of(const qline_ref *l, size_t off)
{
	int col = 0;
	for (size_t i = 0; i < off && i < l->len; i++)
		col = next_col(col, l->s[i]);
	return col;
}

/* Match the open containers against line `no` (1-based); returns the
 * bytes of its prefix and whether every container matched. */
static size_t match_prefix(const mapper *m, int no, bool *lazy)
{
	const qline_ref *l = &m->lines[no - 1];
	size_t pos = 0;
	int col = 0;
	*lazy = false;
	for (int k = 0; k < m->depth; k++) {
		const cont *c = &m->stack[k];
		if (c->quote) {
			size_t p = pos;
			int cc = col;
			while (p < l->len && l->s[p] == ' ' && cc - col < 3) {
				p++;
				cc++;
			}
			if (p >= l->len || l->s[p] != '>') {
				*lazy = true;
				break;
			}
			pos = p + 1;
			col = cc + 1;
			if (pos < l->len && (l->s[pos] == ' ' || l->s[pos] == '\t'))
				col = next_col(col, l->s[pos++]);
			continue;
		}
		if (no == c->start_line) {   /* the marker line: up to the content */
			while (pos < l->len && col < c->col)
				col = next_col(col, l->s[pos++]);
			continue;
		}
		while (pos < l->len && col < c->col && (l->s[pos] == ' ' || l->s[pos] == '\t'))
			col = next_col(col, l->s[pos++]);
		if (col < c->col && pos < l->len) {
			*lazy = true;
			break;
		}
	}
	return pos;
}

static qblock_kind leaf_kind(cmark_node *n)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_PARAGRAPH: return QB_PARA;
	case CMARK_NODE_HTML_BLOCK: return QB_HTML;
	case CMARK_NODE_THEMATIC_BREAK: return QB_HR;
	case CMARK_NODE_CODE_BLOCK: return QB_FENCED;
	case CMARK_NODE_HEADING:   /* a setext heading has its underline */
		return cmark_node_get_end_line(n) > cmark_node_get_start_line(n) ? QB_SETEXT : QB_ATX;
	default: return QB_OTHER;
	}
}

/* A code block is fenced when its first line, after the prefix, starts
 * with ``` or ~~~ (cmark says no more). */
static bool starts_fence(const qline_ref *l, size_t pfx)
{
	while (pfx < l->len && l->s[pfx] == ' ')
		pfx++;
	return pfx + 2 < l->len && (l->s[pfx] == '`' || l->s[pfx] == '~')
	    && l->s[pfx + 1] == l->s[pfx] && l->s[pfx + 2] == l->s[pfx];
}

/* ------------------------------------------ link reference definitions */

static size_t skip_spaces(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* Spaces and tabs with at most one line end among them. */
static size_t skip_space_line(const char *s, size_t n, size_t i)
{
	i = skip_spaces(s, n, i);
	if (i < n && s[i] == '\n')
		i = skip_spaces(s, n, i + 1);
	return i;
}

/* [label]: the offset after ']', or 0. */
static size_t def_label(const char *s, size_t n, size_t i)
{
	if (i >= n || s[i] != '[')
		return 0;
	bool word = false;
	size_t start = ++i;
	for (; i < n && i - start <= 999; i++) {
		char c = s[i];
		if (c == '\\' && i + 1 < n && s[i + 1] != '\n') {
			i++;
			word = true;
		} else if (c == '[') {
			return 0;
		} else if (c == ']') {
			return word ? i + 1 : 0;
		} else if (c != ' ' && c != '\t' && c != '\n') {
			word = true;
		}
	}
	return 0;
}

/* A link destination at i: the offset after it, or 0. */
static size_t def_destination(const char *s, size_t n, size_t i)
{
	if (i < n && s[i] == '<') {
		for (i++; i < n && s[i] != '\n'; i++) {
			if (s[i] == '\\' && i + 1 < n && s[i + 1] != '\n')
				i++;
			else if (s[i] == '<')
				return 0;
			else if (s[i] == '>')
				return i + 1;
		}
		return 0;
	}
	size_t start = i;
	int depth = 0;
	for (; i < n && (unsigned char)s[i] > 0x20 && s[i] != 0x7F; i++) {
		if (s[i] == '\\' && i + 1 < n && (unsigned char)s[i + 1] > 0x20)
			i++;
		else if (s[i] == '(' && ++depth > 32)
			return 0;
		else if (s[i] == ')' && --depth < 0)
			break;
	}
	return depth == 0 && i > start ? i : 0;
}

/* A link title at i: the offset after its closing quote, or 0. */
static size_t def_title(const char *s, size_t n, size_t i)
{
	if (i >= n || (s[i] != '"' && s[i] != '\'' && s[i] != '('))
		return 0;
	char close = s[i] == '(' ? ')' : s[i];
	for (i++; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		else if (s[i] == close)
			return i + 1;
		else if (close == ')' && s[i] == '(')
			return 0;
		else if (s[i] == '\n' && skip_spaces(s, n, i + 1) < n && s[skip_spaces(s, n, i + 1)] == '\n')
			return 0;   /* no blank line inside */
	}
	return 0;
}

/* Bytes of the link reference definition at the start of s (its line
 * end included), or 0 (CommonMark 0.30, section 4.7). */
static size_t link_definition(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && i < 3 && s[i] == ' ')
		i++;
	i = def_label(s, n, i);
	if (!i || i >= n || s[i] != ':')
		return 0;
	i = skip_space_line(s, n, i + 1);
	size_t d = def_destination(s, n, i);
	if (!d)
		return 0;
	size_t after = skip_spaces(s, n, d);
	size_t line_end = after == n ? n : s[after] == '\n' ? after + 1 : 0;
	size_t t = skip_space_line(s, n, d);
	size_t title = t > d ? def_title(s, n, t) : 0;
	if (title) {
		size_t e = skip_spaces(s, n, title);
		if (e == n || s[e] == '\n')
			return e == n ? n : e + 1;
	}
	return line_end;   /* no title: the definition ends with its line */
}

/* The lines of paragraph a..b (1-based) that cmark took as link
 * reference definitions: they are in no leaf. cmark keeps the paragraph's
 * start line where its definitions were. */
static int leading_definitions(const mapper *m, int a, int b)
{
	const qline_ref *first = &m->lines[a - 1];
	size_t p = m->info[a - 1].pfx;
	while (p < first->len && p - m->info[a - 1].pfx < 3 && first->s[p] == ' ')
		p++;
	if (p >= first->len || first->s[p] != '[')
		return 0;
	qbuf text = QBUF_INIT;
	for (int no = a; no <= b; no++) {
		const qline_ref *l = &m->lines[no - 1];
		size_t x = m->info[no - 1].pfx;
		qbuf_put(&text, l->s + x, l->len - x);
		qbuf_putc(&text, '\n');
	}
	size_t off = 0, k;
	while (off < text.len && (k = link_definition(text.ptr + off, text.len - off)) > 0)
		off += k;
	int lines = 0;
	for (size_t i = 0; i < off; i++)
		lines += text.ptr[i] == '\n';
	qbuf_free(&text);
	return lines;
}

/* Is line l, after its prefix, a setext underline (=== or ---)? */
static bool is_underline(const qline_ref *l, size_t pfx)
{
	size_t i = pfx, sp = 0;
	while (i < l->len && l->s[i] == ' ' && sp < 3) {
		i++;
		sp++;
	}
	if (i >= l->len || (l->s[i] != '=' && l->s[i] != '-'))
		return false;
	char c = l->s[i];
	while (i < l->len && l->s[i] == c)
		i++;
	while (i < l->len && (l->s[i] == ' ' || l->s[i] == '\t'))
		i++;
	return i == l->len;
}

/* The underline of the setext heading that starts at line a: the first
 * line after it that is one. */
static int setext_underline(mapper *m, int a, int b)
{
	for (int no = a + 1; no <= b; no++) {
		bool lazy;
		if (is_underline(&m->lines[no - 1], match_prefix(m, no, &lazy)))
			return no;
	}
	return b;
}

static void map_leaf(mapper *m, cmark_node *n)
{
	int a = cmark_node_get_start_line(n), b = cmark_node_get_end_line(n);
	if (a < 1 || a > m->nlines)
		return;
	if (b > m->nlines)
		b = m->nlines;
	qblock_kind kind = leaf_kind(n);
	if (kind == QB_SETEXT)   /* cmark's end of a setext heading is off */
		b = setext_underline(m, a, b);
	int ctx = m->depth ? m->stack[m->depth - 1].id : 0;
	int leaf = ++m->leaf;
	for (int no = a; no <= b; no++) {
		qline_block *x = &m->info[no - 1];
		x->kind = kind == QB_SETEXT && no == b ? QB_SETEXT_LINE : kind;
		x->leaf = leaf;
		x->first = no == a;
		x->ctx = ctx;
		x->pfx = match_prefix(m, no, &x->lazy);
		x->depth = m->depth;
		for (int k = 0; k < m->depth; k++)
			if (!m->stack[k].quote && m->stack[k].start_line == no)
				x->marker = true;
	}
	if (kind == QB_FENCED && !starts_fence(&m->lines[a - 1], m->info[a - 1].pfx))
		for (int no = a; no <= b; no++)
			m->info[no - 1].kind = QB_INDENTED;
	int defs = kind == QB_PARA ? leading_definitions(m, a, b) : 0;
	for (int no = a; no < a + defs && no <= b; no++) {
		m->info[no - 1].kind = QB_OTHER;
		m->info[no - 1].leaf = 0;
	}
	if (defs && a + defs <= b)
		m->info[a + defs - 1].first = true;
}

/* A container opens: a block quote, or a list item whose content starts
 * at the column of its first child (CommonMark's content column). */
static void push(mapper *m, cmark_node *n)
{
	if (m->depth == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 16;
		m->stack = qxrealloc(m->stack, sizeof *m->stack * (size_t)m->cap);
	}
	cont c = {cmark_node_get_type(n) == CMARK_NODE_BLOCK_QUOTE, 0,
		  cmark_node_get_start_line(n), ++m->next_id};
	cmark_node *child = c.quote ? NULL : cmark_node_first_child(n);
	if (child) {
		int line = cmark_node_get_start_line(child), col = cmark_node_get_start_column(child);
		if (line >= 1 && line <= m->nlines && col >= 1)
			c.col = column_of(&m->lines[line - 1], (size_t)(col - 1));
	}
	m->stack[m->depth++] = c;
}

void qblocks_map(cmark_node *root, const qline_ref *lines, int nlines, qline_block *info)
{
	mapper m = {.lines = lines, .info = info, .nlines = nlines};
	memset(info, 0, sizeof *info * (size_t)nlines);
	for (int i = 0; i < nlines; i++) {
		size_t k = 0;
		while (k < lines[i].len && (lines[i].s[k] == ' ' || lines[i].s[k] == '\t'))
			k++;
		info[i].kind = k == lines[i].len ? QB_BLANK : QB_OTHER;
	}
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (t == CMARK_NODE_BLOCK_QUOTE || t == CMARK_NODE_ITEM) {
			if (ev == CMARK_EVENT_ENTER)
				push(&m, n);
			else
				m.depth--;
		} else if (ev == CMARK_EVENT_ENTER && t != CMARK_NODE_DOCUMENT && t != CMARK_NODE_LIST
			   && t < CMARK_NODE_FIRST_INLINE) {
			map_leaf(&m, n);
			cmark_iter_reset(it, n, CMARK_EVENT_EXIT);   /* not its inlines */
		}
	}
	cmark_iter_free(it);
	free(m.stack);
}
