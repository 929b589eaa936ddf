/* refine.c - passes over the built study model that need the whole of a
 * paragraph or of the document (see refine.h): bare URLs become links,
 * navigation inside the file and the notes' own table of contents go,
 * line breaks that end a paragraph go.
 *
 * Each pass is one walk with the shared iterator (walk.h); nodes are
 * split or unlinked only at or after the current one.
 */
#include "refine.h"

#include <ctype.h>
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../model/walk.h"
#include "../util/find.h"
#include "../util/strmap.h"
#include "../util/utf8.h"
#include "classify.h"

/* ------------------------------------------------------------ bare URLs */

static bool url_char(unsigned char c)
{
	return c > 0x20 && c != '<' && c != '>' && c != 0x7F;
}

/* Does the character at s end a bare URL: CJK punctuation (、。「」（）)
 * and full-width forms, where notes in Chinese or Japanese go straight
 * on after a URL? */
static bool cjk_stop(const char *s, size_t n)
{
	size_t l;
	int32_t cp = qutf8_decode((const unsigned char *)s, n, &l);
	return (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFFEF)
	    || qutf8_is_space(cp);
}

/* The length of a bare URL at s[i] (http://, https://, www.), trailing
 * punctuation and an unbalanced ')' left out; 0 if none. */
static size_t bare_url(const char *s, size_t n, size_t i, bool *www)
{
	size_t k;
	*www = false;
	if (i && (unsigned char)s[i - 1] < 0x80 && (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '/' || s[i - 1] == '@'))
		return 0;
	if (n - i > 8 && strncasecmp(s + i, "https://", 8) == 0)
		k = i + 8;
	else if (n - i > 7 && strncasecmp(s + i, "http://", 7) == 0)
		k = i + 7;
	else if (n - i > 4 && strncasecmp(s + i, "www.", 4) == 0) {
		k = i + 4;
		*www = true;
	} else
		return 0;
	size_t host = k;
	while (k < n && url_char((unsigned char)s[k]) && !((unsigned char)s[k] >= 0x80 && cjk_stop(s + k, n - k)))
		k++;
	int parens = 0;
	for (size_t j = host; j < k; j++)
		parens += s[j] == '(' ? 1 : s[j] == ')' ? -1 : 0;
	while (k > host) {
		char c = s[k - 1];
		if (strchr("?!.,:*_~'\";", c))
			k--;
		else if (c == ')' && parens < 0) {
			k--;
			parens++;
		} else
			break;
	}
	if (k == host || (*www && !memchr(s + host, '.', k - host)))
		return 0;
	return k - i;
}

/* Split text node t: its bytes [a, b) become node `mid` (a new inline
 * container or leaf) placed after the text before a; the text from b on
 * follows it. Returns the text node after mid (or NULL). With mid NULL
 * and a = 0, t itself has become the node for [0, b): t keeps no text. */
static qnode *splice(qdoc *doc, qnode *t, size_t a, size_t b, qnode *mid)
{
	const char *s = t->text;
	size_t n = t->len;
	qnode *after = t->next, *rest = NULL;
	if (b < n) {
		rest = qnode_new(doc, QN_TEXT, t->line);
		rest->text = s + b;   /* the same bytes: NUL-terminated at n */
		rest->len = n - b;
	}
	t->text = qdoc_strdup(doc, s, a);
	t->len = a;
	qnode *add[2] = {mid, rest};
	for (int k = 0; k < 2; k++) {
		if (!add[k])
			continue;
		if (after)
			qnode_insert_before(after, add[k]);
		else
			qnode_append(t->parent, add[k]);
	}
	return rest;
}

/* Split text node t at the first bare URL in it: text, link, text (a URL
 * at the start makes t itself the link; returns true then). The walk
 * then goes on with the text after the link. */
static bool link_first_url(qdoc *doc, qnode *t)
{
	const char *s = t->text;
	size_t n = t->len;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != 'h' && s[i] != 'H' && s[i] != 'w' && s[i] != 'W')
			continue;
		bool www;
		size_t l = bare_url(s, n, i, &www);
		if (!l)
			continue;
		qnode *link = i ? qnode_new(doc, QN_LINK, t->line) : t;
		qbuf url = QBUF_INIT;
		if (www)
			qbuf_puts(&url, "http://");
		qbuf_put(&url, s + i, l);
		link->u.link.url = qdoc_strdup(doc, url.ptr, url.len);
		link->u.link.title = "";
		qbuf_free(&url);
		if (link == t)   /* the text node becomes the link */
			qnode_set_type(doc, t, QN_LINK);
		qnode_append(link, qnode_new_text(doc, QN_TEXT, t->line, s + i, l));
		splice(doc, t, i, i + l, link == t ? NULL : link);
		return link == t;
	}
	return false;
}

/* Does s hold "://" or "www." (or "WWW."), where a bare link may be?
 * The first of them ends the search: the walk calls this again on the
 * text after each link it makes. */
static bool may_hold_url(const char *s, size_t n)
{
	const char *end = s + n, *colon = memchr(s, ':', n), *dot = memchr(s, '.', n);
	while (colon || dot) {
		if (colon && (!dot || colon < dot)) {
			if (end - colon >= 3 && colon[1] == '/' && colon[2] == '/')
				return true;
			colon = memchr(colon + 1, ':', (size_t)(end - colon - 1));
		} else {
			if (dot - s >= 3 && (memcmp(dot - 3, "www", 3) == 0 || memcmp(dot - 3, "WWW", 3) == 0))
				return true;
			dot = memchr(dot + 1, '.', (size_t)(end - dot - 1));
		}
	}
	return false;
}

void qrefine_autolinks(qdoc *doc)
{
	qiter it;
	qnode *n;
	qev ev;
	int in_link = 0;
	qiter_init(&it, doc->root);
	while ((ev = qiter_next(&it, &n)) != QEV_DONE) {
		if (n->type == QN_LINK || n->type == QN_IMAGE) {
			in_link += ev == QEV_ENTER ? 1 : -1;
			continue;
		}
		if (ev != QEV_ENTER || n->type != QN_TEXT || in_link || !n->parent)
			continue;
		if (may_hold_url(n->text, n->len) && link_first_url(doc, n))
			in_link++;   /* the walk goes into the new link */
	}
}

/* ---------------------------------------------------------- navigation */

typedef struct nodes {
	qnode **v;
	int n, cap;
} nodes;

static void keep(nodes *l, qnode *n)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = qxrealloc(l->v, sizeof *l->v * (size_t)l->cap);
	}
	l->v[l->n++] = n;
}

/* Every node of type t that pred accepts, in document order (the caller
 * frees .v): found first, changed after, so that no walk runs over a
 * tree it changes. */
static nodes collect(qdoc *doc, qtype t, bool (*pred)(const qnode *, qbuf *), qbuf *tmp)
{
	nodes found = {0};
	qiter it;
	qnode *n;
	qiter_init_of(&it, doc, t);
	while (qiter_next_of(&it, &n, t))
		if (pred(n, tmp))
			keep(&found, n);
	return found;
}

/* ------------------------------------------------------------ roles */

/* The length of a MyST role (`{math}`, `{numref}`, `{prf:ref}`) that ends
 * text t (n bytes), 0 when t does not end with one. */
static size_t role_at_end(const char *t, size_t n)
{
	if (n < 3 || t[n - 1] != '}')
		return 0;
	size_t i = n - 1;
	while (i > 0 && (isalnum((unsigned char)t[i - 1]) || t[i - 1] == ':' || t[i - 1] == '-'
			 || t[i - 1] == '_'))
		i--;
	if (i == 0 || t[i - 1] != '{' || i == n - 1 || !isalpha((unsigned char)t[i]))
		return 0;
	return n - (i - 1);
}

static bool role_span(const qnode *code, qbuf *tmp)
{
	(void)tmp;
	const qnode *t = code->prev;
	return t && t->type == QN_TEXT && role_at_end(t->text, t->len);
}

/* MyST's roles, a name in braces right before a code span: `{math}` is a
 * formula; a reference (`{ref}`, `{numref}`, `{prf:ref}`) written as
 * `text <target>` shows its text; any other keeps the span. The name is
 * no text. */
void qrefine_roles(qdoc *doc)
{
	qbuf tmp = QBUF_INIT;
	nodes spans = collect(doc, QN_CODE_SPAN, role_span, &tmp);
	for (int i = 0; i < spans.n; i++) {
		qnode *code = spans.v[i], *t = code->prev;
		size_t r = role_at_end(t->text, t->len);
		bool math = r == 6 && !memcmp(t->text + t->len - r, "{math}", 6);
		t->len -= r;
		((char *)t->text)[t->len] = '\0';
		if (!t->len)
			qnode_unlink(t);
		const char *lt = code->len ? memchr(code->text, '<', code->len) : NULL;
		if (math) {
			qnode_set_type(doc, code, QN_MATH);
		} else if (lt && lt > code->text && code->text[code->len - 1] == '>') {
			size_t n = (size_t)(lt - code->text);
			while (n && code->text[n - 1] == ' ')
				n--;
			qnode_insert_before(code, qnode_new_text(doc, QN_TEXT, code->line, code->text, n));
			qnode_unlink(code);
		}
	}
	free(spans.v);
	qbuf_free(&tmp);
}

static bool in_file(const qnode *link)
{
	const char *u = link->u.link.url;
	return u && u[0] == '#';
}

/* Is text only decoration: white space, punctuation, arrows, emoji? */
static bool decoration_only(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t l;
		int32_t cp = qutf8_decode((const unsigned char *)s + i, n - i, &l);
		if (cp < 0)
			return false;
		if (!(qutf8_is_space(cp) || qutf8_is_symbol(cp) || (cp < 0x80 && ispunct(cp))
		      || (cp >= 0x2000 && cp <= 0x206F) || cp == 0xA0))
			return false;
		i += l;
	}
	return true;
}

/* Does an inline container hold nothing but links (inside the file
 * unless `elsewhere`): `**[⬆ Back to Top](#contents)**`, `[A](#a) ·
 * [B](#b)`? */
static bool only_links(const qnode *p, bool elsewhere)
{
	qiter it;
	qnode *n;
	bool any = false;
	qiter_init(&it, (qnode *)p);
	while (qiter_next_of(&it, &n, QN_NONE)) {
		if (n == p)
			continue;
		if (n->type == QN_LINK) {
			if (!elsewhere && !in_file(n))
				return false;
			any = true;
			qiter_skip(&it);
		} else if (n->type == QN_TEXT) {
			if (!decoration_only(n->text, n->len))
				return false;
		} else if (n->type != QN_STRONG && n->type != QN_EMPH && n->type != QN_SOFTBREAK
			   && n->type != QN_LINEBREAK && n->type != QN_SUB && n->type != QN_SUP) {
			return false;
		}
	}
	return any;
}

static bool only_file_links(const qnode *p)
{
	return only_links(p, false);
}

/* HTML that is only a link inside the file (`<div align="right"><a
 * href="#top">↥ back to top</a></div>`). */
static bool html_only_file_links(const qnode *h)
{
	const char *s = h->text, *end = s + h->len;
	bool any = false, in_a = false;
	while (s < end) {
		if (*s == '<') {
			const char *gt = memchr(s, '>', (size_t)(end - s));
			if (!gt)
				return false;
			if (end - s > 3 && strncmp(s, "<a ", 3) == 0) {
				const char *h_ = qmemmem(s, (size_t)(gt - s), "href=\"", 6);
				if (!h_ || h_[6] != '#')
					return false;
				any = in_a = true;
			} else if (end - s > 3 && strncmp(s, "</a", 3) == 0) {
				in_a = false;
			} else if (end - s > 4 && strncmp(s, "<img", 4) == 0) {
				return false;
			}
			s = gt + 1;
			continue;
		}
		const char *lt = memchr(s, '<', (size_t)(end - s));
		size_t l = (size_t)((lt ? lt : end) - s);
		if (!in_a && !decoration_only(s, l))
			return false;
		s += l;
	}
	return any;
}

static bool is_navigation(const qnode *n)
{
	if (n->type == QN_PARAGRAPH)
		return only_file_links(n);
	if (n->type == QN_HTML)
		return html_only_file_links(n);
	return false;
}

/* An item of a table of contents: links (inside the file unless
 * `elsewhere`), then perhaps a nested list of more such items. */
static bool toc_item(const qnode *item, bool elsewhere)
{
	const qnode *c = item->first;
	if (!c || (c->type != QN_PARAGRAPH) || !only_links(c, elsewhere))
		return false;
	for (c = c->next; c; c = c->next)
		if (c->type != QN_LIST)
			return false;
	return true;
}

/* A list of links to the notes' own headings, most of them (a `[Memo]
 * (./README.md)` among them is the contents too); nested lists are
 * checked as the walk meets them. */
static bool is_toc_list(const qnode *list)
{
	int items = 0, inside = 0;
	for (const qnode *it = list->first; it; it = it->next) {
		if (it->type != QN_ITEM || !toc_item(it, true))
			return false;
		inside += toc_item(it, false);
		items++;
	}
	return inside >= 2 && 2 * inside > items;
}

/* A table whose cells are links inside the file or numbers. */
static bool is_toc_table(const qnode *t)
{
	int links = 0;
	for (const qnode *row = t->first; row; row = row->next) {
		if (row->type != QN_ROW)
			continue;
		bool head = row == t->first || (row->prev && row->prev->type == QN_CAPTION);
		for (const qnode *cell = row->first; cell; cell = cell->next) {
			if (head && t->u.table.header)
				continue;
			qbuf b = QBUF_INIT;
			qnode_plain(cell, &b);
			bool number = b.len > 0;
			for (size_t i = 0; i < b.len; i++)
				number &= (b.ptr[i] >= '0' && b.ptr[i] <= '9') || b.ptr[i] == '.' || b.ptr[i] == ' ';
			qbuf_free(&b);
			if (only_file_links(cell))
				links++;
			else if (!number && cell->first)
				return false;
		}
	}
	return links >= 2;
}

/* Replace a link by its text. */
static void unwrap(qnode *link)
{
	qnode_insert_children_before(link, link);
	qnode_unlink(link);
}

/* A section left with only its title once its table of contents went. */
static void drop_if_empty(qnode *sec)
{
	if (sec && sec->type == QN_SECTION && sec->first && sec->first->type == QN_TITLE
	    && !sec->first->next)
		qnode_unlink(sec);
}

static void uncard(qdoc *doc, qnode *card);

/* A card whose answer was only navigation, or only breaks (HTML that
 * shows nothing between them), has none: its question stays as a
 * heading, and the question is counted as unanswered. */
void qrefine_empty_answers(qdoc *doc, qdiags *d)
{
	nodes empty = {0};
	qiter it;
	qnode *n;
	qiter_init(&it, doc->root);
	while (qiter_next_outline(&it, &n))
		if (n->type == QN_CARD && !n->last->first)
			keep(&empty, n);
	for (int i = 0; i < empty.n; i++) {
		uncard(doc, empty.v[i]);
		qdiag_add(d, QD_WARNING, empty.v[i]->line, 0, "no-answer",
			  "question has no answer; no card is made for it");
	}
	free(empty.v);
}

/* A card that is no card after all: its question becomes a heading (a
 * topic card's goes: its section's title says it), its answer's blocks
 * follow, and the question counts as unanswered. */
static void uncard(qdoc *doc, qnode *card)
{
	{
		qnode *h = qnode_new(doc, QN_HEADING, card->line);
		int level = card->u.card.heading;
		h->u.level = level < 1 ? 6 : level;
		if (card->u.card.number)
			qnode_append(h, qnode_new_text(doc, QN_TEXT, card->line, card->u.card.number,
						       strlen(card->u.card.number)));
		qnode *q = card->first;
		if (card->u.card.number && q->first)
			qnode_append(h, qnode_new_text(doc, QN_TEXT, card->line, " ", 1));
		qnode_append_children(h, q);
		if (!card->u.card.topic)
			qnode_insert_before(card, h);
		qnode_insert_children_before(card, card->last);
		qnode_unlink(card);
		for (int k = 0; k < doc->nquestions; k++)
			if (doc->questions[k].line == card->line && doc->questions[k].answered) {
				doc->questions[k].answered = false;
				break;
			}
	}
}

void qrefine_no_cards(qdoc *doc)
{
	nodes cards = {0};
	qiter it;
	qnode *n;
	qiter_init(&it, doc->root);
	while (qiter_next_outline(&it, &n))
		if (n->type == QN_CARD)
			keep(&cards, n);
	for (int i = 0; i < cards.n; i++)
		uncard(doc, cards.v[i]);
	free(cards.v);
}

void qrefine_navigation(qdoc *doc, qdiags *d)
{
	nodes nav = {0}, toc = {0}, links = {0};
	qiter it;
	qnode *n;
	qiter_init(&it, doc->root);
	while (qiter_next_of(&it, &n, QN_NONE)) {
		if ((n->type == QN_LIST && is_toc_list(n)) || (n->type == QN_TABLE && is_toc_table(n))) {
			keep(&toc, n);
			qiter_skip(&it);
		} else if (is_navigation(n)) {
			keep(&nav, n);
			if (!qtype_is_leaf(n->type))
				qiter_skip(&it);
		} else if (n->type == QN_LINK && in_file(n)) {
			keep(&links, n);
		}
	}
	for (int i = 0; i < toc.n; i++) {
		if (i == 0)
			qdiag_add(d, QD_NOTE, toc.v[i]->line, 0, "toc",
				  "the notes' own table of contents is left out: the booklet and the EPUB make their own");
		qnode *sec = toc.v[i]->parent;
		qnode_unlink(toc.v[i]);
		drop_if_empty(sec);
	}
	for (int i = 0; i < nav.n; i++) {
		qnode *p = nav.v[i], *prev = p->prev;
		qdiag_guess(d, p->line, "navigation", "navigation link left out");
		qnode_unlink(p);
		if (prev && prev->type == QN_RULE && (!prev->next || prev->next->type == QN_CARD
						      || prev->next->type == QN_SECTION))
			qnode_unlink(prev);   /* the --- that set it apart */
	}
	for (int i = 0; i < links.n; i++) {
		if (!links.v[i]->parent)
			continue;   /* in a paragraph that went */
		qdiag_guess(d, links.v[i]->line, "navigation", "link inside the notes kept as its text");
		unwrap(links.v[i]);
	}
	free(nav.v);
	free(toc.v);
	free(links.v);
}

/* ------------------------------------------------------ trailing breaks */

void qrefine_breaks(qdoc *doc)
{
	nodes empty = {0};
	qiter it;
	qnode *n;
	qiter_init(&it, doc->root);
	while (qiter_next_of(&it, &n, QN_PARAGRAPH)) {
		while (n->last && (n->last->type == QN_LINEBREAK || n->last->type == QN_SOFTBREAK))
			qnode_unlink(n->last);
		while (n->first && (n->first->type == QN_LINEBREAK || n->first->type == QN_SOFTBREAK))
			qnode_unlink(n->first);
		if (!n->first)
			keep(&empty, n);
		qiter_skip(&it);
	}
	for (int i = 0; i < empty.n; i++)
		qnode_unlink(empty.v[i]);
	free(empty.v);
}

/* --------------------------------------------------------- topic cards */

/* The blocks of a section of its own: after its title, before its first
 * subsection or card. */
static qnode *own_body(const qnode *sec, int *count)
{
	qnode *first = sec->first ? sec->first->next : NULL;
	*count = 0;
	for (qnode *c = first; c && c->type != QN_SECTION && c->type != QN_CARD; c = c->next)
		(*count)++;
	return *count ? first : NULL;
}

/* A paragraph that is links more than words: its text outside the
 * links is less than half of the links' text. */
static bool mostly_links(const qnode *p)
{
	size_t in = 0, out = 0;
	qiter it;
	qnode *n;
	int link = 0;
	qiter_init(&it, (qnode *)p);
	while (qiter_next(&it, &n) != QEV_DONE) {
		if (n->type == QN_LINK) {
			link += it.ev == QEV_ENTER ? 1 : -1;
			continue;
		}
		if (it.ev == QEV_ENTER && n->type == QN_TEXT)
			*(link ? &in : &out) += n->len;
		else if (it.ev == QEV_ENTER && n->type == QN_CODE_SPAN)
			out += n->len;   /* [`docker volume rm`](url): a command, linked to its manual */
	}
	return in > 0 && out * 2 < in;
}

/* Does a paragraph hold a link? */
static bool has_link(const qnode *p)
{
	for (const qnode *c = p->first; c; c = c->next)
		if (c->type == QN_LINK)
			return true;
	return false;
}

/* A list of resources: every item points somewhere, and most items are
 * links more than words (`There's also a [blog post] from Lyst.` among
 * titles of articles). */
static bool link_list(const qnode *list)
{
	int items = 0, linked = 0;
	for (const qnode *it = list->first; it; it = it->next) {
		const qnode *p = it->first;
		if (!p || p->type != QN_PARAGRAPH || !has_link(p))
			return false;
		items++;
		linked += mostly_links(p);
	}
	return items && 2 * linked > items;
}

/* Does a block hold an Anki cloze ({{c1::...}}, already a card)? */
static bool holds_cloze(const qnode *block)
{
	qiter it;
	qnode *n;
	qiter_init(&it, (qnode *)block);
	return qiter_next_of(&it, &n, QN_CLOZE);
}

/* A paragraph that ends with a colon, leading in to what follows it
 * (`This is where best practices and war stories go:` over a list of
 * articles). */
static bool leads_in(const qnode *p)
{
	const qnode *t = p->type == QN_PARAGRAPH ? p->last : NULL;
	if (!t || t->type != QN_TEXT || !p->next)
		return false;
	size_t n = t->len;
	while (n && t->text[n - 1] == ' ')
		n--;
	return qc_ends_colon(t->text, n);
}

/* A list whose items hold nothing (their links to the notes' own
 * headings left out as navigation). */
static bool empty_list(const qnode *list)
{
	for (const qnode *it = list->first; it; it = it->next)
		if (it->first)
			return false;
	return true;
}

/* Is a body worth a card: more than links, placeholders, the `---`
 * that set sections apart and the labels and lead-ins that head lists
 * of links (`**Entity:**` over links to files), and none of it clozes? */
static bool body_says_something(const qnode *first, int count)
{
	int left = count;
	for (const qnode *c = first; c && left--; c = c->next)
		if (holds_cloze(c))
			return false;   /* its clozes are its cards */
	for (const qnode *c = first; c && count--; c = c->next) {
		if ((c->type == QN_LIST && (link_list(c) || empty_list(c))) || c->type == QN_RULE
		    || c->type == QN_LABEL
		    || (count && leads_in(c) && c->next->type == QN_LIST && link_list(c->next)))
			continue;
		if (c->type != QN_PARAGRAPH)
			return true;
		for (const qnode *k = c->first; k; k = k->next)
			if (k->type != QN_LINK && k->type != QN_SOFTBREAK && k->type != QN_LINEBREAK
			    && !(k->type == QN_TEXT && decoration_only(k->text, k->len)))
				return true;
	}
	return false;
}

/* Headings that name the notes' reading list rather than a topic, as
 * qcard_key writes them (lower case, words only): the books and pages a
 * section lists are kept in the notes but are no card. "Links" is not
 * among them: it is also a topic (Docker links). */
static const char *const reading_lists[] = {
	"references", "reference", "bibliography", "further reading", "reading list",
	"other resources", "additional resources", "sources", "referências",
	"referências bibliográficas", "referencias bibliográficas", "bibliografia",
	"fontes", "referencias", "bibliografía", "fuentes", "références",
	"bibliographie", "autres ressources", "pour aller plus loin", "quellen",
	"literatur", "literaturverzeichnis", "referenzen", "riferimenti", "fonti",
	"источники", "литература", "джерела", "література", "kaynaklar", "kaynakça",
	"referanslar", "referensi", "daftar pustaka", "źródła", "literatura",
	"tài liệu tham khảo", "参考资料", "参考文献", "参考資料", "참고 자료", "참고문헌", "منابع",
	"المراجع", "संदर्भ", NULL,
};

/* Headings that name the reader's exercises (questions the notes leave
 * to be solved, answered elsewhere if at all): the same kind of
 * section, kept in the notes but no card. */
static const char *const exercise_lists[] = {
	"exercises", "exercise", "practice", "exercícios", "exercicios",
	"exercícios propostos", "lista de exercícios", "ejercicios",
	"ejercicios propuestos", "exercices", "exercice", "übungen", "übungsaufgaben",
	"aufgaben", "esercizi", "упражнения", "задачи", "вправи", "завдання",
	"alıştırmalar", "egzersizler", "latihan", "soal latihan", "ćwiczenia",
	"zadania", "bài tập", "练习", "习题", "練習問題", "연습 문제", "연습문제", "تمرین ها", "تمرین",
	"تمارين", "अभ्यास", NULL,
};

/* Headings that name a repository's own business, not the notes' topic:
 * how to contribute to the notes, their licence, their credits. */
static const char *const repo_meta[] = {
	"contributing", "contribute", "how to contribute", "contribution", "contributions",
	"contributors", "license", "licence", "licensing", "credits", "acknowledgements",
	"acknowledgments", "contribuir", "cómo contribuir", "contribuciones", "licencia",
	"como contribuir", "contribuindo", "contribuições", "licença", "contribuer",
	"mitwirken", "beitragen", "lizenz", "contribuire",
	"licenza", "участие", "как помочь", "лицензия", "katkıda bulunma", "lisans",
	"贡献", "如何贡献", "参与贡献", "许可证", "开源协议", "기여", "기여하기", "라이선스",
	"ライセンス", "貢献", NULL,
};

/* Is a section, or a section it is part of, about the repository that
 * holds the notes (`## Contributing` and its `### Edit Page`)? */
static bool about_repository(const qnode *sec, qbuf *tmp)
{
	for (; sec && sec->type == QN_SECTION; sec = sec->parent) {
		const char *p = sec->u.section.plain;
		if (!p)
			continue;
		qbuf_reset(tmp);
		qcard_key(p, strlen(p), tmp);
		if (qc_one_of(repo_meta, tmp->ptr ? tmp->ptr : "", tmp->len))
			return true;
	}
	return false;
}

/* Is a section's heading only the number of a problem (`## 1.`,
 * `### (2)`, `## 3-1`): it names no topic, so its text (a problem set
 * without its solutions) makes no topic card of its own. */
static bool number_only(const qnode *sec)
{
	const char *s = sec->u.section.plain;
	bool digit = false;
	for (; s && *s; s++) {
		if (*s >= '0' && *s <= '9')
			digit = true;
		else if (!strchr(" ().-:[]", *s))
			return false;
	}
	return digit;
}

/* Does a section's heading name a reading list or the reader's exercises
 * (`## Referências Bibliográficas`, `## Autres ressources`, `## Kaynaklar`,
 * `## Exercícios`)? */
static bool reading_list(const qnode *sec, qbuf *tmp)
{
	const char *p = sec->u.section.plain;
	if (!p)
		return false;
	qbuf_reset(tmp);
	qcard_key(p, strlen(p), tmp);
	const char *k = tmp->ptr ? tmp->ptr : "";
	return qc_one_of(reading_lists, k, tmp->len) || qc_one_of(exercise_lists, k, tmp->len);
}

/* A copy of the inlines of a title (a leaf at a time: titles are flat
 * but for emphasis, which is copied as its text). */
static void copy_title(qdoc *doc, const qnode *title, qnode *into)
{
	qbuf t = QBUF_INIT;
	qnode_plain(title, &t);
	qnode_append(into, qnode_new_text(doc, QN_TEXT, title->line, t.ptr ? t.ptr : "", t.len));
	qbuf_free(&t);
}

/* A topic card on line, asking title (a heading's), put before first and
 * holding it and the blocks after it: count of them, or (count < 0) up to
 * the next section or card. */
static qnode *topic_card(qdoc *doc, const qnode *title, int line, qnode *first, int count)
{
	qnode *card = qnode_new(doc, QN_CARD, line);
	qnode *q = qnode_new(doc, QN_QUESTION, line);
	qnode *a = qnode_new(doc, QN_ANSWER, line);
	qnode_append(card, q);
	qnode_append(card, a);
	copy_title(doc, title, q);
	qnode_insert_before(first, card);
	for (qnode *c = first;
	     c && (count < 0 ? c->type != QN_SECTION && c->type != QN_CARD : count-- > 0);) {
		qnode *next = c->next;
		qnode_unlink(c);
		qnode_append(a, c);
		c = next;
	}
	card->u.card.topic = true;
	return card;
}

static qnode *make_topic_card(qdoc *doc, qnode *sec, qnode *first, int count, qbuf *tmp)
{
	qnode *card = topic_card(doc, sec->first, sec->line, first, count);
	qcard_info *ci = &card->u.card;
	ci->rule = "topic";
	ci->heading = sec->u.section.heading;
	ci->plain = sec->u.section.plain;
	ci->full = sec->u.section.plain;
	qbuf_reset(tmp);
	qnode_section_path(sec, " \xE2\x80\xBA ", tmp);   /* › */
	qbuf path = QBUF_INIT;
	qcard_key(tmp->ptr ? tmp->ptr : "", tmp->len, &path);
	ci->key = qdoc_strdup(doc, path.ptr ? path.ptr : "", path.len);
	qbuf_free(&path);
	return card;
}

/* ----------------------------------------------------------- glossaries */

/* Where an entry's term ends in paragraph p: the node after which its
 * definition starts, and in *cut the byte of that node's text where the
 * term ends (the `:` of `**Term**: meaning` or `Term : meaning`), or -1
 * when the term is a bold run before a line break (`**Term**  ` then the
 * meaning on the next line). NULL: no entry. */
static qnode *term_end(const qnode *p, long *cut)
{
	qnode *c = p->first;
	if (c && c->type == QN_STRONG && c->next && c->next->type == QN_LINEBREAK && c->next->next) {
		*cut = -1;
		return c->next;
	}
	size_t words = 0;
	for (; c; c = c->next) {
		if (c->type == QN_TEXT) {
			const char *colon = memchr(c->text, ':', c->len);
			for (size_t i = 0; i < (colon ? (size_t)(colon - c->text) : c->len); i++)
				words += c->text[i] == ' ';
			if (colon) {
				*cut = colon - c->text;
				return c;
			}
		} else if (c->type != QN_STRONG && c->type != QN_EMPH) {
			return NULL;   /* links, code: no term */
		}
		if (words > 6)
			return NULL;
	}
	return NULL;
}

/* A list item `**Term**: meaning` (or the meaning on the next line):
 * one paragraph whose term is short and whose meaning is there. */
static bool glossary_entry(const qnode *item)
{
	const qnode *p = item->first;
	long cut;
	if (!p || p->next || p->type != QN_PARAGRAPH)
		return false;
	qnode *at = term_end(p, &cut);
	if (!at)
		return false;
	if (cut < 0)
		return true;
	bool before = at != p->first || cut > 0;
	size_t after = at->len - (size_t)cut - 1;
	const char *rest = at->text + cut + 1;
	after = qc_trim(&rest, after);
	return before && (after > 0 || at->next);
}

/* A body that is only lists of glossary entries, two or more. */
static bool glossary_body(const qnode *first, int count)
{
	int entries = 0;
	for (const qnode *c = first; c && count--; c = c->next) {
		if (c->type != QN_LIST)
			return false;
		for (const qnode *it = c->first; it; it = it->next) {
			if (!glossary_entry(it))
				return false;
			entries++;
		}
	}
	return entries >= 2;
}

/* Move the siblings from `from` to the end of `to`. */
static void move_from(qnode *from, qnode *to)
{
	while (from) {
		qnode *next = from->next;
		qnode_unlink(from);
		qnode_append(to, from);
		from = next;
	}
}

/* A made card's text, rule and key: from its question q's plain text. */
static void name_card(qdoc *doc, qnode *card, const qnode *q, const char *rule,
		      bool reversible, qbuf *tmp)
{
	qbuf_reset(tmp);
	qnode_plain(q, tmp);
	qcard_info *ci = &card->u.card;
	ci->plain = ci->full = qdoc_strdup(doc, tmp->ptr ? tmp->ptr : "", tmp->len);
	ci->rule = rule;
	ci->reversible = reversible;
	qbuf key = QBUF_INIT;
	qcard_key(ci->plain, strlen(ci->plain), &key);
	ci->key = qdoc_strdup(doc, key.ptr ? key.ptr : "", key.len);
	qbuf_free(&key);
}

/* The card of one glossary entry, made of its paragraph's nodes. */
static qnode *glossary_card(qdoc *doc, qnode *item, qbuf *tmp)
{
	qnode *p = item->first;
	long cut;
	qnode *at = term_end(p, &cut);
	qnode *card = qnode_new(doc, QN_CARD, item->line);
	qnode *q = qnode_new(doc, QN_QUESTION, item->line);
	qnode *a = qnode_new(doc, QN_ANSWER, item->line);
	qnode *def = qnode_new(doc, QN_PARAGRAPH, p->line);
	qnode_append(card, q);
	qnode_append(card, a);
	qnode_append(a, def);
	qnode *rest = at->next;
	if (cut < 0) {   /* the bold term (without its bold), then the break */
		qnode *bold = p->first;
		move_from(bold->first, q);
		qnode_unlink(bold);
		qnode_unlink(at);
	} else {
		const char *after = at->text + cut + 1;
		size_t an = qc_trim(&after, at->len - (size_t)cut - 1);
		const char *term = at->text;
		size_t tn = qc_trim(&term, (size_t)cut);
		if (an)
			qnode_append(def, qnode_new_text(doc, QN_TEXT, at->line, after, an));
		while (p->first != at) {
			qnode *c = p->first;
			qnode_unlink(c);
			qnode_append(q, c);
		}
		if (tn)
			qnode_append(q, qnode_new_text(doc, QN_TEXT, at->line, term, tn));
		qnode_unlink(at);
	}
	move_from(rest, def);
	name_card(doc, card, q, "glossary", true, tmp);
	return card;
}

/* A section of glossary entries gets a card for each (a term and its
 * meaning), in place of its lists; returns how many. */
static int make_glossary_cards(qdoc *doc, qnode *first, int count, qbuf *tmp)
{
	int made = 0;
	for (qnode *c = first, *next; c && count--; c = next) {
		next = c->next;
		for (qnode *it = c->first; it; it = it->next) {
			qnode_insert_before(c, glossary_card(doc, it, tmp));
			made++;
		}
		qnode_unlink(c);
	}
	return made;
}

/* A card whose question is the inlines of `front` (moved) and whose
 * answer is `answer` (a block holding its blocks), at `line`; its key
 * and text are the front's plain text. */
static qnode *term_card(qdoc *doc, int line, qnode *front, qnode *answer,
			const char *rule, bool reversible, qbuf *tmp)
{
	qnode *card = qnode_new(doc, QN_CARD, line);
	qnode *q = qnode_new(doc, QN_QUESTION, line);
	qnode_append(card, q);
	qnode_append(card, answer);
	move_from(front->first, q);
	name_card(doc, card, q, rule, reversible, tmp);
	return card;
}

/* Does a cell hold text with a letter, not only code or math? */
static bool cell_has_words(const qnode *cell)
{
	for (const qnode *k = cell->first; k; k = k->next) {
		if (k->type != QN_TEXT && k->type != QN_STRONG && k->type != QN_EMPH)
			continue;
		qbuf t = QBUF_INIT;
		qnode_plain(k, &t);
		bool word = false;
		for (size_t i = 0; i < t.len && !word; i++) {
			unsigned char ch = (unsigned char)t.ptr[i];
			word = ch >= 0x80 || (unsigned)((ch | 0x20) - 'a') < 26u;
		}
		qbuf_free(&t);
		if (word)
			return true;
	}
	return false;
}

/* A row of a definition table: its first cell names a term in a few
 * words (not a command in code, not a number or formula), another cell
 * says something about it. */
static bool term_row(const qnode *row)
{
	const qnode *term = row->first;
	if (!term || !cell_has_words(term))
		return false;
	qbuf t = QBUF_INIT;
	qnode_plain(term, &t);
	size_t words = 1;
	for (size_t i = 0; i < t.len; i++)
		words += t.ptr[i] == ' ';
	qbuf_free(&t);
	if (words > 6)
		return false;
	for (const qnode *c = term->next; c; c = c->next)
		if (c->first)
			return true;
	return false;
}

/* The first data row of a table (after its caption and header). */
static qnode *first_data_row(const qnode *table)
{
	qnode *r = table->first;
	if (r && r->type == QN_CAPTION)
		r = r->next;
	if (r && table->u.table.header)
		r = r->next;
	return r;
}

/* A body that is only definition tables (`| term | meaning |`), two
 * rows or more each; footnotes the notes define at their end may follow
 * (they are not the section's text). */
static bool term_table_body(const qnode *first, int count)
{
	int tables = 0;
	for (const qnode *c = first; c && count--; c = c->next) {
		if (c->type == QN_FOOTNOTE && tables)
			continue;
		if (c->type != QN_TABLE || c->u.table.ncols < 2)
			return false;
		tables++;
		int rows = 0;
		for (const qnode *r = first_data_row(c); r; r = r->next, rows++)
			if (r->type != QN_ROW || !term_row(r))
				return false;
		if (rows < 2)
			return false;
	}
	return tables > 0;
}

/* A copy of a header cell's inlines into p: text, code and math as
 * they are, anything else as its plain text (the header stays where it
 * is, each row's card labels its cells with it). */
static void copy_label(qdoc *doc, const qnode *cell, qnode *p, int line, qbuf *tmp)
{
	for (const qnode *k = cell->first; k; k = k->next) {
		if (k->type == QN_TEXT || k->type == QN_CODE_SPAN || k->type == QN_MATH) {
			qnode_append(p, qnode_new_text(doc, k->type, line, k->text, k->len));
		} else {
			qbuf_reset(tmp);
			qnode_plain(k, tmp);
			qnode_append(p, qnode_new_text(doc, QN_TEXT, line, tmp->ptr ? tmp->ptr : "", tmp->len));
		}
	}
}

/* The card of one row of a definition table (or a question table): the
 * term, then each other cell, after its column's header when the table
 * has more than two. */
static qnode *row_card(qdoc *doc, qnode *table, qnode *row, const char *rule, bool reversible,
		       qbuf *tmp)
{
	qnode *a = qnode_new(doc, QN_ANSWER, row->line);
	const qnode *head = table->first;
	if (head && head->type == QN_CAPTION)
		head = head->next;
	const qnode *h = table->u.table.header && head ? head->first : NULL;
	for (qnode *c = row->first->next; c; c = c->next) {
		h = h ? h->next : NULL;
		if (!c->first)
			continue;
		qnode *p = qnode_new(doc, QN_PARAGRAPH, c->line);
		if (h && h->first && table->u.table.ncols > 2) {
			copy_label(doc, h, p, c->line, tmp);
			qnode_append(p, qnode_new_text(doc, QN_TEXT, c->line, ": ", 2));
		}
		move_from(c->first, p);
		qnode_append(a, p);
	}
	return term_card(doc, row->line, row->first, a, rule, reversible, tmp);
}

/* A section of definition tables gets a card for each row, in place of
 * its tables; returns how many. */
/* The table's caption and header row, which its cards do not carry
 * whole, as paragraphs before them (`Espagnol · Français`): nothing the
 * notes say is lost. */
/* The table's caption as a paragraph before it; its header row, or
 * NULL. */
static const qnode *keep_table_caption(qdoc *doc, qnode *t, qbuf *tmp)
{
	const qnode *r = t->first;
	if (r && r->type == QN_CAPTION) {
		qnode *p = qnode_new(doc, QN_PARAGRAPH, r->line);
		copy_label(doc, r, p, r->line, tmp);
		if (p->first)
			qnode_insert_before(t, p);
		r = r->next;
	}
	return r;
}

static void keep_table_head(qdoc *doc, qnode *t, qbuf *tmp)
{
	const qnode *r = keep_table_caption(doc, t, tmp);
	if (!r || !t->u.table.header)
		return;
	qnode *p = qnode_new(doc, QN_PARAGRAPH, r->line);
	for (const qnode *c = r->first; c; c = c->next) {
		if (p->first && c->first)
			qnode_append(p, qnode_new_text(doc, QN_TEXT, r->line, " \xC2\xB7 ", 4));
		copy_label(doc, c, p, r->line, tmp);
	}
	if (p->first)
		qnode_insert_before(t, p);
}

static int make_term_table_cards(qdoc *doc, qnode *first, int count, qbuf *tmp)
{
	int made = 0;
	for (qnode *t = first, *next; t && count--; t = next) {
		next = t->next;
		if (t->type != QN_TABLE)
			continue;   /* a footnote stays where it is */
		keep_table_head(doc, t, tmp);
		for (qnode *r = first_data_row(t); r; r = r->next, made++)
			qnode_insert_before(t, row_card(doc, t, r, "term-table", true, tmp));
		qnode_unlink(t);
	}
	return made;
}

/* ------------------------------------------------------ labelled boxes */

/* The words that name what a box holds, as the first word of its bold
 * label (`> **Theorem 1**`, `> **定义 3.1.1**`, `> **Question 2**`), in
 * qcard_key's spelling (lower case). A box that defines or states is a
 * term card in topic notes; one that asks is a question answered by the
 * blocks after it; an aside (a note, a warning) is no card. */
static const char *const box_defines[] = {
	"definition", "def", "defn", "définition", "definición", "definizione", "definição",
	"definitie", "определение", "визначення", "tanım", "定义", "定義", "정의", NULL,
};
static const char *const box_states[] = {
	"theorem", "thm", "lemma", "proposition", "prop", "corollary", "claim", "law",
	"axiom", "property", "fact", "théorème", "lemme", "corollaire", "teorema", "lema",
	"corolario", "proposición", "corollario", "satz", "korollar", "теорема", "лемма",
	"следствие", "утверждение", "teorem", "定理", "引理", "命题", "推论", "性质", "公理",
	"命題", "補題", "정리", "명제", NULL,
};
static const char *const box_asks[] = {
	"question", "problem", "exercise", "q", "frage", "aufgabe", "pregunta", "ejercicio",
	"problema", "exercice", "questão", "exercício", "domanda", "esercizio", "вопрос",
	"задача", "упражнение", "питання", "soru", "问题", "问", "习题", "练习", "例题",
	"思考题", "問題", "質問", "문제", "질문", NULL,
};
static const char *const box_asides[] = {
	"note", "tip", "hint", "warning", "caution", "important", "info", "attention",
	"danger", "remark", "example", "nb", "注", "注意", "提示", "警告", "备注", "例",
	"참고", "주의", NULL,
};

typedef enum { BOX_UNKNOWN, BOX_ASIDE, BOX_DEFINES, BOX_STATES, BOX_ASKS } box_role;

/* A word of a label's key without the digits it ends in (`定理4`). */
static size_t word_stem(const char *w, size_t n)
{
	while (n && w[n - 1] >= '0' && w[n - 1] <= '9')
		n--;
	return n;
}

/* What a bold label names (its first word, else a defining or stating
 * word anywhere: `Gaussian Annulus Theorem`), and in *generic whether it
 * is only that word and a number (`Theorem 1`, `定理 4.1.1`), which
 * names nothing outside its section. */
static box_role label_role(const char *label, size_t n, bool *generic)
{
	qbuf key = QBUF_INIT;
	qcard_key(label, n, &key);
	const char *s = key.ptr ? key.ptr : "";
	box_role role = BOX_UNKNOWN;
	bool first = true, numbers_after = true;
	*generic = false;
	for (size_t i = 0; i < key.len;) {
		size_t e = i;
		while (e < key.len && s[e] != ' ')
			e++;
		size_t w = word_stem(s + i, e - i);
		if (first) {
			role = qc_one_of(box_asks, s + i, w)      ? BOX_ASKS
			       : qc_one_of(box_defines, s + i, w) ? BOX_DEFINES
			       : qc_one_of(box_states, s + i, w)  ? BOX_STATES
			       : qc_one_of(box_asides, s + i, w)  ? BOX_ASIDE
								  : BOX_UNKNOWN;
		} else {
			numbers_after = numbers_after && w == 0;
			if (role == BOX_UNKNOWN && qc_one_of(box_defines, s + i, w))
				role = BOX_DEFINES;
			else if (role == BOX_UNKNOWN && qc_one_of(box_states, s + i, w))
				role = BOX_STATES;
		}
		first = false;
		i = e + 1;
	}
	*generic = role != BOX_UNKNOWN && role != BOX_ASIDE && numbers_after;
	qbuf_free(&key);
	return role;
}

static bool blank_text(const qnode *t)
{
	return t->type == QN_TEXT && qc_trim(&(const char *){t->text}, t->len) == 0;
}

/* Is the plain text of b a few words (eight at most) that name a part:
 * no lead-in's colon, no sentence's end? *asks (when given): does it ask. */
static bool names_a_part(const qnode *b, qbuf *tmp, bool *asks)
{
	qbuf_reset(tmp);
	qnode_plain(b, tmp);
	const char *s = tmp->ptr ? tmp->ptr : "";
	size_t n = qc_trim(&s, tmp->len), words = 1;
	for (size_t i = 0; i < n; i++)
		words += s[i] == ' ';
	if (asks)
		*asks = n && qc_asks(s, n);
	return n && words <= 8 && !qc_ends_colon(s, n) && !strchr(".!?", s[n - 1]);
}

/* The bold label that opens block quote q on a line of its own, with
 * the quote's body after it: a few words, not a lead-in (`**Note:**`)
 * nor a sentence; NULL when q has none. */
static qnode *box_label(const qnode *q, qbuf *tmp)
{
	const qnode *p = q->first;
	if (!p || p->type != QN_PARAGRAPH)
		return NULL;
	qnode *b = p->first;
	while (b && blank_text(b))
		b = b->next;
	if (!b || b->type != QN_STRONG)
		return NULL;
	const qnode *after = b->next;
	while (after && blank_text(after))
		after = after->next;
	if (after && after->type != QN_SOFTBREAK && after->type != QN_LINEBREAK)
		return NULL;   /* `> **Bias** is the error ...`: a sentence */
	if (!(after && after->next) && !p->next)
		return NULL;   /* no body */
	return names_a_part(b, tmp, NULL) ? b : NULL;
}

/* Quote q becomes a box of that kind titled by its label b (moved into
 * its caption, the label's line break dropped). */
static void make_box(qdoc *doc, qnode *q, qnode *b, const char *kind, bool generic)
{
	qnode *p = q->first;
	qnode_set_type(doc, q, QN_CALLOUT);
	q->u.callout.kind = qdoc_strdup(doc, kind, strlen(kind));
	q->u.callout.labelled = true;
	q->u.callout.generic = generic;
	qnode *cap = qnode_new(doc, QN_CAPTION, q->line);
	move_from(b->first, cap);
	while (p->first != b)
		qnode_unlink(p->first);
	qnode_unlink(b);
	while (p->first && (blank_text(p->first) || p->first->type == QN_SOFTBREAK
			    || p->first->type == QN_LINEBREAK)) {
		bool brk = p->first->type != QN_TEXT;
		qnode_unlink(p->first);
		if (brk)
			break;
	}
	if (!p->first)
		qnode_unlink(p);
	if (q->first)
		qnode_insert_before(q->first, cap);
	else
		qnode_append(q, cap);
}

/* Notes that box their statements under bold labels (two boxes or more
 * that define, state or ask: the notes' own convention, as Typora users
 * write a theorem) have every bold-labelled quote made a box; in other
 * notes such a quote stays a quote. */
static void make_boxes(qdoc *doc, const nodes *quotes, qbuf *tmp)
{
	int named = 0;
	bool generic;
	for (int i = 0; i < quotes->n; i++) {
		qnode *b = quotes->v[i]->type == QN_QUOTE ? box_label(quotes->v[i], tmp) : NULL;
		if (!b)
			continue;
		qbuf_reset(tmp);
		qnode_plain(b, tmp);
		box_role r = label_role(tmp->ptr ? tmp->ptr : "", tmp->len, &generic);
		named += r == BOX_DEFINES || r == BOX_STATES || r == BOX_ASKS;
	}
	for (int i = 0; named >= 2 && i < quotes->n; i++) {
		qnode *q = quotes->v[i];
		qnode *b = q->type == QN_QUOTE ? box_label(q, tmp) : NULL;
		if (!b)
			continue;
		qbuf_reset(tmp);
		qnode_plain(b, tmp);
		const char *s = tmp->ptr ? tmp->ptr : "";
		box_role r = label_role(s, tmp->len, &generic);
		char aside[16] = "note";
		size_t k = 0;   /* an aside keeps its English kind: `**Warning**` */
		for (; r == BOX_ASIDE && k + 1 < sizeof aside && isalpha((unsigned char)s[k]); k++)
			aside[k] = (char)tolower((unsigned char)s[k]);
		if (k)
			aside[k] = '\0';
		make_box(doc, q, b,
			 r == BOX_ASKS      ? "question"
			 : r == BOX_DEFINES ? "definition"
			 : r == BOX_STATES  ? "theorem"
			 : r == BOX_ASIDE   ? aside
					    : "statement",
			 generic);
	}
}

/* A spacer between parts of a section: a paragraph of white space
 * (`&nbsp;`) or decoration only. */
static bool spacer(const qnode *c)
{
	if (c->type != QN_PARAGRAPH)
		return false;
	for (const qnode *k = c->first; k; k = k->next)
		if (k->type != QN_TEXT || !decoration_only(k->text, k->len))
			return false;
	return true;
}

/* A question box's card: the box's body asks (its first paragraph, and
 * the items of a list under it, one to a line), the blocks after the box
 * answer, up to the next box, quote, rule, spacer, card or section.
 * NULL (the box left as it is) when nothing follows to answer it. */
static qnode *question_box_card(qdoc *doc, qnode *c, qbuf *tmp)
{
	qnode *stop = c->next;
	while (stop && stop->type != QN_SECTION && stop->type != QN_CARD
	       && stop->type != QN_CALLOUT && stop->type != QN_QUOTE && stop->type != QN_RULE
	       && !spacer(stop))
		stop = stop->next;
	qnode *body = c->first->next;
	if (stop == c->next || !body || body->type != QN_PARAGRAPH)
		return NULL;
	qnode *card = qnode_new(doc, QN_CARD, c->line);
	qnode *q = qnode_new(doc, QN_QUESTION, c->line);
	qnode *a = qnode_new(doc, QN_ANSWER, c->line);
	qnode_append(card, q);
	qnode_append(card, a);
	move_from(body->first, q);
	qnode_unlink(body);
	for (qnode *l = c->first->next; l && l->type == QN_LIST; l = c->first->next) {
		for (qnode *it = l->first; it; it = it->next)
			if (it->first && it->first->type == QN_PARAGRAPH) {
				qnode_append(q, qnode_new(doc, QN_LINEBREAK, it->line));
				move_from(it->first->first, q);
			}
		qnode_unlink(l);
	}
	move_from(c->first->next, a);   /* the rest of the box, then what follows */
	for (qnode *n = c->next; n != stop;) {
		qnode *next = n->next;
		qnode_unlink(n);
		qnode_append(a, n);
		n = next;
	}
	name_card(doc, card, q, "question-box", false, tmp);
	return card;
}

/* A box labelled only by its kind and a number (`Theorem 1`) is named
 * by the section it is in: `Machine Learning › Theorem 1`. */
static void name_by_section(qdoc *doc, const qnode *card, qnode *cap, qbuf *tmp)
{
	qbuf_reset(tmp);
	qnode_section_path(card, " \xE2\x80\xBA ", tmp);   /* › */
	if (!tmp->len)
		return;
	qbuf_puts(tmp, " \xE2\x80\xBA ");
	qnode *t = qnode_new_text(doc, QN_TEXT, cap->line, tmp->ptr, tmp->len);
	if (cap->first)
		qnode_insert_before(cap->first, t);
	else
		qnode_append(cap, t);
}

static bool kind_among(const qnode *c, const char *const *kinds)
{
	for (int i = 0; c->type == QN_CALLOUT && c->u.callout.kind && kinds[i]; i++)
		if (!strcmp(c->u.callout.kind, kinds[i]))
			return true;
	return false;
}

/* Kinds of a callout that states (not an aside): a box titled only by
 * its kind (`> [!theorem] Theorem`, an untitled `::: theorem`) is still
 * one, named by its section as a `**Theorem**` box is. */
static const char *const statement_kinds[] = {
	"definition", "def", "defn", "theorem", "thm", "lemma", "proposition", "prop",
	"corollary", "law", "axiom", "property", NULL,
};

static bool statement_kind(const qnode *c)
{
	return kind_among(c, statement_kinds);
}

/* The callout's caption as plain text into t, trimmed: its bytes from
 * *s; 0 when it has none (or no kind to compare it with). */
static size_t caption_text(const qnode *c, qbuf *t, const char **s)
{
	const qnode *cap = c->first;
	*s = "";
	if (!cap || cap->type != QN_CAPTION || !c->u.callout.kind)
		return 0;
	qnode_plain(cap, t);
	*s = t->ptr ? t->ptr : "";
	return qc_trim(s, t->len);
}

/* Is s[0..n) the callout's kind's own name (`Theorem`, `Note`)? */
static bool names_kind(const qnode *c, const char *s, size_t n)
{
	return n && n == strlen(c->u.callout.kind) && !strncasecmp(s, c->u.callout.kind, n);
}

/* Is the callout's caption only its kind's name (`> [!theorem] Theorem`)? */
static bool kind_caption(const qnode *c)
{
	qbuf t = QBUF_INIT;
	const char *s;
	size_t n = caption_text(c, &t, &s);
	bool only = names_kind(c, s, n);
	qbuf_free(&t);
	return only;
}

/* Does the callout's caption name it by more than its kind (`Exercise`)? */
static bool own_caption(const qnode *c)
{
	qbuf t = QBUF_INIT;
	const char *s;
	size_t n = caption_text(c, &t, &s);
	bool own = n && !names_kind(c, s, n);
	qbuf_free(&t);
	return own;
}

/* A callout that boxes a definition or a law: of a kind that states
 * (not a warning, tip or example), titled by a term of a few words that
 * is not the kind's own name, with a body. */
static bool definition_callout(const qnode *c)
{
	static const char *const kinds[] = {
		"definition", "def", "defn", "note", "info", "theorem", "thm", "lemma",
		"proposition", "prop", "corollary", "law", "axiom", "formula", "property", NULL,
	};
	if (c->type != QN_CALLOUT || !c->u.callout.kind)
		return false;
	if (c->u.callout.labelled)   /* its label was judged when it was made */
		return c->first && c->first->next
		       && (!strcmp(c->u.callout.kind, "definition") || !strcmp(c->u.callout.kind, "theorem")
			   || !strcmp(c->u.callout.kind, "statement"));
	const qnode *cap = c->first;
	if (!kind_among(c, kinds) || !cap || cap->type != QN_CAPTION || !cap->next)
		return false;
	qbuf t = QBUF_INIT;
	const char *s;
	size_t n = caption_text(c, &t, &s), words = 1;
	for (size_t i = 0; i < n; i++)
		words += s[i] == ' ';
	bool own_name = names_kind(c, s, n);   /* `> [!note] Note` */
	bool term = n > 0 && words <= 8 && !strchr(":.!?", s[n - 1]) && !own_name;
	qbuf_free(&t);
	return term || (own_name && statement_kind(c));
}

/* Callouts that set a task (a Pandoc or Carpentries div `::: exercise`,
 * `::: challenge`, or an Obsidian callout of that kind) and those that
 * answer one. A task's body is what it asks, not its answer: it is a
 * card only with an answering callout in it or right after it. */
static const char *const task_kinds[] = {"exercise", "problem", "challenge", "task", "example",
					  NULL};
static const char *const answer_kinds[] = {"answer", "solution", "success", "check", "done", NULL};

/* A task callout with its answer: an answering callout among its blocks
 * or right after it (an example so answered is a worked problem). */
static bool task_shaped(const qnode *c)
{
	if (!kind_among(c, task_kinds) || c->u.callout.labelled)
		return false;
	const qnode *body = c->first && c->first->type == QN_CAPTION ? c->first->next : c->first;
	if (!body || (!own_caption(c) && body->type != QN_PARAGRAPH))
		return false;   /* nothing that asks */
	if (c->next && kind_among(c->next, answer_kinds))
		return true;
	for (const qnode *k = body->next; k; k = k->next)
		if (kind_among(k, answer_kinds))
			return true;
	return false;
}

/* A task callout among the notes' blocks (not inside a card or a list). */
static bool task_callout(const qnode *c, qbuf *tmp)
{
	(void)tmp;
	return task_shaped(c) && c->parent
	       && (c->parent->type == QN_DOCUMENT || c->parent->type == QN_SECTION);
}

/* A task callout's card: its title asks (its first
 * paragraph when it is titled only by its kind), the rest of it answers
 * with its answering callouts, and so do the answering callouts right
 * after it (`::: exercise` then `::: solution`). */
static qnode *task_card(qdoc *doc, qnode *c, qbuf *tmp)
{
	qnode *front = own_caption(c) ? c->first : c->first->type == QN_CAPTION ? c->first->next : c->first;
	int line = front->first ? front->first->line : front->line;   /* where it asks */
	qnode *card = qnode_new(doc, QN_CARD, line);
	qnode *q = qnode_new(doc, QN_QUESTION, line);
	qnode *a = qnode_new(doc, QN_ANSWER, line);
	qnode_append(card, q);
	qnode_append(card, a);
	move_from(front->first, q);
	qnode_unlink(front);
	if (c->first && c->first->type == QN_CAPTION)
		qnode_unlink(c->first);   /* the kind's name alone */
	move_from(c->first, a);
	while (c->next && kind_among(c->next, answer_kinds)) {
		qnode *k = c->next;
		qnode_unlink(k);
		qnode_append(a, k);
	}
	name_card(doc, card, q, "callout", false, tmp);
	return card;
}

/* Every task callout left among the notes' blocks becomes a card in its
 * place. */
static int task_cards(qdoc *doc, qbuf *tmp)
{
	nodes tasks = collect(doc, QN_CALLOUT, task_callout, tmp);
	for (int i = 0; i < tasks.n; i++) {
		qnode *c = tasks.v[i];
		qnode_insert_before(c, task_card(doc, c, tmp));
		qnode_unlink(c);
	}
	free(tasks.v);
	return tasks.n;
}

/* A definition callout's card: its title asks, its body answers, with
 * the `proof` callouts right after it (`::: proof` after `::: theorem`);
 * a title that is only a kind (`Theorem 1`) is named by the section of
 * owner. *next moves past the proofs taken. */
static qnode *definition_card(qdoc *doc, qnode *c, const qnode *owner, qnode **next, qbuf *tmp)
{
	qnode *a = qnode_new(doc, QN_ANSWER, c->line);
	qnode *cap = c->first;
	move_from(cap->next, a);
	if (c->u.callout.generic || kind_caption(c))
		name_by_section(doc, owner, cap, tmp);
	while (*next && (*next)->type == QN_CALLOUT && (*next)->u.callout.kind
	       && !strcmp((*next)->u.callout.kind, "proof")) {
		qnode *p = *next;
		*next = p->next;
		qnode_unlink(p);
		qnode_append(a, p);
	}
	return term_card(doc, c->line, cap, a, "definition", false, tmp);
}

/* In topic notes, the definition callouts before the first section (under
 * the document's title, which is no card) are cards in their place. */
static int lead_definitions(qdoc *doc, qbuf *tmp)
{
	int made = 0;
	for (qnode *c = doc->root->first, *next; c && c->type != QN_SECTION; c = next) {
		next = c->next;
		if (!definition_callout(c))
			continue;
		qnode_insert_before(c, definition_card(doc, c, c, &next, tmp));
		qnode_unlink(c);
		made++;
	}
	return made;
}

/* The definition callouts of a topic card's answer become cards of
 * their own after it (the title asks, the body answers), and so do its
 * question boxes (the box asks, the blocks after it answer); a topic
 * card left with no answer goes. Returns how many. */
static int lift_definitions(qdoc *doc, qnode *card, qbuf *tmp)
{
	int made = 0;
	qnode *after = card;
	for (qnode *c = card->last->first, *next; c; c = next) {
		next = c->next;
		qnode *def = NULL;
		if (c->type == QN_CALLOUT && c->u.callout.labelled
		    && !strcmp(c->u.callout.kind, "question")) {
			def = question_box_card(doc, c, tmp);
			if (!def)
				continue;
			next = c->next;   /* the answer moved into the card */
		} else if (task_shaped(c)) {
			def = task_card(doc, c, tmp);
			next = c->next;   /* its answers moved into the card */
		} else if (definition_callout(c)) {
			def = definition_card(doc, c, card, &next, tmp);
		} else {
			continue;
		}
		qnode_unlink(c);
		if (after->next)
			qnode_insert_before(after->next, def);
		else
			qnode_append(after->parent, def);
		after = def;
		made++;
	}
	if (made && !card->last->first)
		qnode_unlink(card);
	return made;
}

/* The bold run of a paragraph that is one bold run alone (a head or a
 * lead-in, `**Topologías más finas:**`), else NULL. */
static const qnode *bold_line(const qnode *p)
{
	if (p->type != QN_PARAGRAPH)
		return NULL;
	const qnode *b = p->first;
	while (b && blank_text(b))
		b = b->next;
	if (!b || b->type != QN_STRONG)
		return NULL;
	for (const qnode *k = b->next; k; k = k->next)
		if (!blank_text(k))
			return NULL;
	return b;
}

/* A paragraph that is one bold run alone, of a few words, neither a
 * lead-in nor a sentence nor a question (`**Linear Classifier**`,
 * `**扩域**`): in topic notes, the title of a part of its section, as a
 * heading one level down would be. */
static bool bold_head(const qnode *p, qbuf *tmp)
{
	const qnode *b = bold_line(p);
	bool asks = true;
	return b && names_a_part(b, tmp, &asks) && !asks;
}

/* The part of a topic card's answer that bold head h titles: a card
 * after `after`, asking the section's path and the head's words, holding
 * the blocks from h up to stop (h itself dropped). */
static qnode *part_card(qdoc *doc, const qnode *sec, qnode *h, qnode *stop, qnode *after,
			qbuf *tmp)
{
	qbuf_reset(tmp);
	qnode_section_path(sec, " \xE2\x80\xBA ", tmp);   /* › */
	qbuf_puts(tmp, " \xE2\x80\xBA ");
	qnode_plain(h, tmp);
	qnode *card = qnode_new(doc, QN_CARD, h->line);
	qnode *q = qnode_new(doc, QN_QUESTION, h->line);
	qnode *a = qnode_new(doc, QN_ANSWER, h->line);
	qnode_append(card, q);
	qnode_append(card, a);
	qnode_append(q, qnode_new_text(doc, QN_TEXT, h->line, tmp->ptr, tmp->len));
	for (qnode *c = h->next; c != stop;) {
		qnode *next = c->next;
		qnode_unlink(c);
		qnode_append(a, c);
		c = next;
	}
	qnode_unlink(h);
	if (after->next)
		qnode_insert_before(after->next, card);
	else
		qnode_append(after->parent, card);
	qcard_info *ci = &card->u.card;
	ci->topic = true;
	ci->rule = "topic";
	ci->heading = sec->u.section.heading + 1;
	ci->plain = ci->full = qdoc_strdup(doc, tmp->ptr, tmp->len);
	qbuf key = QBUF_INIT;
	qcard_key(tmp->ptr, tmp->len, &key);
	ci->key = qdoc_strdup(doc, key.ptr ? key.ptr : "", key.len);
	qbuf_free(&key);
	return card;
}

/* The parts of a topic card's answer under bold heads that say
 * something in prose of their own become cards of their own after it (kept in parts, in
 * order); a topic card left with no answer goes. Returns how many. */
static int split_bold_heads(qdoc *doc, qnode *card, const qnode *sec, nodes *parts, qbuf *tmp)
{
	nodes heads = {0};
	for (qnode *h = card->last->first; h; h = h->next) {
		if (!bold_head(h, tmp))
			continue;
		int count = 0;
		bool prose = false;   /* a bold line over a list only labels it, */
		for (qnode *c = h->next; c && !bold_line(c); c = c->next, count++)   /* up to a lead-in's */
			prose = prose || (c->type == QN_PARAGRAPH && !spacer(c));
		if (prose && body_says_something(h->next, count))
			keep(&heads, h);
	}
	qnode *after = card;
	for (int k = 0; k < heads.n; k++) {   /* a part runs to the next part */
		after = part_card(doc, sec, heads.v[k], k + 1 < heads.n ? heads.v[k + 1] : NULL, after, tmp);
		keep(parts, after);
	}
	free(heads.v);
	if (parts->n && !card->last->first)
		qnode_unlink(card);
	return parts->n;
}

/* Does paragraph p define the words of key `title`: does it open with
 * them (`Алгоритм Дейкстри — це алгоритм …`) or set them in bold or
 * italics (`Bilgisayar bilimlerinde, **Bağlantılı liste**, …`)? */
static bool defines(const qnode *p, const char *title, size_t n, qbuf *tmp)
{
	qbuf_reset(tmp);
	qnode_plain(p, tmp);
	qbuf key = QBUF_INIT;
	qcard_key(tmp->ptr ? tmp->ptr : "", tmp->len, &key);
	bool opens = key.len > n && !memcmp(key.ptr, title, n) && key.ptr[n] == ' ';
	qbuf_free(&key);
	for (const qnode *c = p->first; c && !opens; c = c->next) {
		if (c->type != QN_STRONG && c->type != QN_EMPH)
			continue;
		qbuf_reset(tmp);
		qnode_plain(c, tmp);
		qbuf term = QBUF_INIT;
		qcard_key(tmp->ptr ? tmp->ptr : "", tmp->len, &term);
		opens = term.len == n && !memcmp(term.ptr, title, n);
		qbuf_free(&term);
	}
	return opens;
}

/* Topic notes whose `# Title` is followed by a paragraph that defines it,
 * before the first section: that paragraph and the blocks after it are
 * the answer to the title (the title of a page on one data structure,
 * one algorithm, one term). A lead that does not name the title is a
 * preface and stays. Returns 1 when the card was made. */
static int lead_card(qdoc *doc, qbuf *tmp)
{
	if (!doc->title_node || !doc->title || !*doc->title)
		return 0;
	qbuf title = QBUF_INIT;
	qcard_key(doc->title, strlen(doc->title), &title);
	qnode *first = NULL;
	for (qnode *c = doc->root->first; c && c->type != QN_SECTION && c->type != QN_CARD; c = c->next)
		if (c->type == QN_PARAGRAPH && title.len && defines(c, title.ptr, title.len, tmp)) {
			first = c;
			break;
		}
	if (!first) {
		qbuf_free(&title);
		return 0;
	}
	qnode *card = topic_card(doc, doc->title_node, doc->title_node->line, first, -1);
	qcard_info *ci = &card->u.card;
	ci->rule = "title-lead";
	ci->heading = 1;
	ci->plain = ci->full = doc->title;
	ci->key = qdoc_strdup(doc, title.ptr, title.len);
	qbuf_free(&title);
	return 1;
}

/* ------------------------------------------------------- vocabulary */

/* The break of a paragraph of two lines (`die Frohe Botschaft`, two
 * spaces, then `the Gospel` on the next line): the node between a
 * phrase and its meaning, or NULL when the paragraph is not two lines
 * of text; *hard tells a hard break from a soft one. */
static qnode *pair_break(const qnode *p, bool *hard)
{
	if (p->type != QN_PARAGRAPH)
		return NULL;
	qnode *br = NULL;
	for (qnode *c = p->first; c; c = c->next) {
		if (c->type == QN_LINEBREAK || c->type == QN_SOFTBREAK) {
			if (br)
				return NULL;
			br = c;
		} else if (c->type == QN_IMAGE || c->type == QN_LINK || c->type == QN_MATH) {
			return NULL;   /* a figure or a link, not a phrase */
		}
	}
	if (!br || br == p->first || !br->next)
		return NULL;
	*hard = br->type == QN_LINEBREAK;
	return br;
}

/* How many paragraphs from p on are two-line pairs, and how many of
 * them break hard. */
static int pair_run(const qnode *p, int *hard)
{
	int n = 0;
	*hard = 0;
	bool h;
	for (; p && pair_break(p, &h); p = p->next, n++)
		*hard += h;
	return n;
}

/* The card of a pair paragraph: the first line asks, the second
 * answers (a word or sentence and its translation). */
static qnode *pair_card(qdoc *doc, qnode *p, qbuf *tmp)
{
	bool hard;
	qnode *br = pair_break(p, &hard);
	qnode *front = qnode_new(doc, QN_PARAGRAPH, p->line);
	while (p->first != br) {
		qnode *c = p->first;
		qnode_unlink(c);
		qnode_append(front, c);
	}
	qnode_unlink(br);
	qnode *a = qnode_new(doc, QN_ANSWER, p->line);
	qnode_unlink(p);
	qnode_append(a, p);
	return term_card(doc, front->line, front, a, "pair", true, tmp);
}

/* A vocabulary table among other text: two columns under a header,
 * five rows or more, each a term in a few words and its meaning
 * (`| Deutsch | Bedeutung |`). */
static bool vocabulary_table(const qnode *t)
{
	if (t->type != QN_TABLE || t->u.table.ncols != 2 || !t->u.table.header)
		return false;
	int rows = 0;
	for (const qnode *r = first_data_row(t); r; r = r->next)
		rows++;
	return rows >= 5 && term_table_body(t, 1);
}

/* A language learner's notes: vocabulary tables and runs of two-line
 * pairs (a phrase, a hard break, its meaning; three or more in a row,
 * most breaking hard, a pair written with a soft break among them
 * too) give a card per word or phrase wherever they stand between the
 * notes' sections and questions. Returns how many. */
static int make_vocabulary_cards(qdoc *doc, qnode *container, nodes *heads, qbuf *tmp)
{
	int made = 0;
	for (qnode *c = container->first, *next; c; c = next) {
		next = c->next;
		int hard, n = pair_run(c, &hard);
		if (n && !(n >= 3 && hard >= 2 && 3 * hard >= 2 * n)) {
			for (int k = 1; k < n; k++)   /* too few, or prose: past the run */
				next = next->next;
		} else if (n) {
			for (int k = 0; k < n; k++, made++) {
				qnode *after = c->next;
				qnode *card = pair_card(doc, c, tmp);   /* c goes into its answer */
				if (after)
					qnode_insert_before(after, card);
				else
					qnode_append(container, card);
				c = after;
			}
			next = c;
		} else if (vocabulary_table(c)) {
			qnode *before = c->prev;
			made += make_term_table_cards(doc, c, 1, tmp);
			for (qnode *h = before ? before->next : container->first; h && h->type != QN_CARD; h = h->next)
				keep(heads, h);   /* the table's caption and header, kept as text */
		}
	}
	return made;
}

/* Orders nodes by address, for bsearch(). */
static int by_address(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(qnode *const *)a, y = (uintptr_t)*(qnode *const *)b;
	return x < y ? -1 : x > y;
}

/* Are the count blocks from first all in l, sorted by address (a
 * section whose own text is only what its vocabulary cards left: no
 * topic of its own)? */
static bool only_kept(const qnode *first, int count, const nodes *l)
{
	for (const qnode *c = first; c && count--; c = c->next)
		if (!l->n || !bsearch(&c, l->v, (size_t)l->n, sizeof *l->v, by_address))
			return false;
	return true;
}

/* The vocabulary cards of every section and of the text before the
 * first (not inside cards: a table in an answer is the answer's). */
static int vocabulary_cards(qdoc *doc, nodes *heads, qbuf *tmp)
{
	nodes holders = {0};
	keep(&holders, doc->root);
	qiter it;
	qnode *n;
	qiter_init(&it, doc->root);
	while (qiter_next_outline(&it, &n))
		if (n->type == QN_SECTION)
			keep(&holders, n);
	int made = 0;
	for (int i = 0; i < holders.n; i++)
		made += make_vocabulary_cards(doc, holders.v[i], heads, tmp);
	free(holders.v);
	return made;
}

int qrefine_topics(qdoc *doc, qdiags *d, int force)
{
	nodes topics = {0};
	int cards = 0, vocabulary = 0, vocabulary_topics = 0;
	nodes heads = {0};   /* what is left of the vocabulary tables */
	if (!force) {
		qbuf vt = QBUF_INIT;
		vocabulary = vocabulary_cards(doc, &heads, &vt);
		qbuf_free(&vt);
		if (heads.n)   /* sorted, for only_kept() */
			qsort(heads.v, (size_t)heads.n, sizeof *heads.v, by_address);
	}
	qiter it;
	qnode *n;
	qbuf name = QBUF_INIT;
	qiter_init(&it, doc->root);
	while (qiter_next_outline(&it, &n)) {
		if (n->type == QN_CARD) {
			cards++;
		} else if (n->type == QN_SECTION) {
			int count;
			qnode *first = own_body(n, &count);
			if (first && only_kept(first, count, &heads))
				vocabulary_topics++;   /* a topic, its cards made */
			else if (first && body_says_something(first, count)
			    && (force <= 0 || n->u.section.heading == force)
			    && (force || (!reading_list(n, &name) && !about_repository(n, &name)
					  && !number_only(n))))
				keep(&topics, n);
		}
	}
	qbuf_free(&name);
	int made = 0, terms = 0;
	cards -= vocabulary;   /* the notes' questions decide, not their words */
	if (force || (topics.n && cards * 4 < topics.n + vocabulary_topics)) {   /* force: --cards=headings */
		qbuf tmp = QBUF_INIT;
		for (int i = 0; i < topics.n; i++) {
			int count;
			qnode *first = own_body(topics.v[i], &count);
			if (!force && glossary_body(first, count)) {
				terms += make_glossary_cards(doc, first, count, &tmp);
				continue;
			}
			if (!force && term_table_body(first, count)) {
				terms += make_term_table_cards(doc, first, count, &tmp);
				continue;
			}
			qnode *card = make_topic_card(doc, topics.v[i], first, count, &tmp);
			nodes parts = {0};
			int defs = 0;
			if (!force) {
				made += split_bold_heads(doc, card, topics.v[i], &parts, &tmp);
				for (int k = 0; k < parts.n; k++)
					defs += lift_definitions(doc, parts.v[k], &tmp);
				if (card->parent)
					defs += lift_definitions(doc, card, &tmp);
			}
			free(parts.v);
			terms += defs;
			made += card->parent && (!defs || card->last->first);
		}
		if (!force) {
			made += lead_card(doc, &tmp);
			terms += lead_definitions(doc, &tmp);
		}
		qbuf_free(&tmp);
		if ((made || terms) && !force)
			qdiag_add(d, QD_NOTE, 0, 0, "cards",
				  "%s: %d topic cards made from headings and their text, %d from "
				  "glossary entries, definition tables and definition callouts "
				  "(--cards=questions makes none)",
				  cards ? "few questions found" : "no questions found", made, terms);
	}
	free(topics.v);
	free(heads.v);
	return made + terms + vocabulary;
}

/* --------------------------------------------------------- peer topics */

/* Question cards and sections of each heading level among the children
 * of one container, counted once for all of them. */
typedef struct level_counts {
	int cards[7], sections[7];
	const char *mark[7];        /* a decoration the level's cards open with */
	size_t marklen[7];
	int asked[7], quoted[7];   /* the whole document's */
	int topics[7];             /* the whole document's sections */
} level_counts;

/* Does a section hold question cards of its own (`## Other questions`
 * over a list of them)? */
static bool groups_questions(const qnode *sec)
{
	for (const qnode *c = sec->first; c; c = c->next)
		if (c->type == QN_CARD && !c->u.card.topic)
			return true;
	return false;
}

/* A section that groups questions is not counted: it asks nothing
 * itself, and its questions say the level is a list of questions. */
static void count_levels(const qnode *parent, level_counts *lc)
{
	memset(lc->cards, 0, sizeof lc->cards);
	memset(lc->sections, 0, sizeof lc->sections);
	memset(lc->marklen, 0, sizeof lc->marklen);
	for (const qnode *c = parent->first; c; c = c->next) {
		if (c->type == QN_CARD && !c->u.card.topic && c->u.card.heading >= 1 && c->u.card.heading <= 6) {
			int h = c->u.card.heading;
			lc->cards[h]++;
			const char *p = c->u.card.plain ? c->u.card.plain : "";
			size_t dec = lc->marklen[h] ? 0 : qc_decoration(p, strlen(p));
			if (dec) {
				lc->mark[h] = p;
				lc->marklen[h] = dec;
			}
		} else if (c->type == QN_SECTION && c->u.section.heading >= 1 && c->u.section.heading <= 6
			 && !groups_questions(c))
			lc->sections[c->u.section.heading]++;
	}
}

/* Does a title open with the decoration the question cards of its level
 * wear (`### ⭐️ 移位运算符` among `### ⭐️ 什么是字节码？`)? Then it marks
 * what the notes stress, not a summary. */
static bool marked_like_cards(const char *p, size_t dec, const level_counts *lc, int level)
{
	const char *m = lc->mark[level];
	size_t mn = lc->marklen[level];
	while (dec && p[dec - 1] == ' ')
		dec--;
	while (mn && m[mn - 1] == ' ')
		mn--;
	return mn && mn == dec && !memcmp(m, p, dec);
}

/* A question set apart inside a section's text, below its heading's
 * level (`Q : Can it go back?` or `**Why?**` after the section explains
 * the states):
 * a follow-up of the section, not a part it groups. */
static bool follow_up_card(const qnode *c, int level)
{
	const char *r = c->u.card.rule;
	return c->u.card.heading > level && r && (!strcmp(r, "q-line") || !strcmp(r, "bold"));
}

/* A section that stands among question cards of its heading level, with
 * text of its own and no parts (`#### C++ 실행 과정` between `#### 배열과
 * 연결리스트 차이는?` and others): the notes ask it as they ask its
 * neighbours. Its title becomes the question. A title under a label
 * (`Key Differences: Mock vs Stub`) or with a decoration is a summary. */
static bool peer_topic(const qnode *sec, const level_counts *lc)
{
	const qnode *title = sec->first;
	int level = sec->u.section.heading;
	if (level < 1 || level > 6 || sec->u.section.bare || !title || title->type != QN_TITLE)
		return false;
	const char *p = sec->u.section.plain;
	size_t dec = qc_decoration(p, strlen(p));
	if (strchr(p, ':') || (dec && !marked_like_cards(p, dec, lc, level)))
		return false;
	int follow = 0;
	for (const qnode *c = title->next; c; c = c->next) {
		if (c->type == QN_SECTION || (c->type == QN_CARD && !follow_up_card(c, level)))
			return false;   /* it has parts: a group */
		follow += c->type == QN_CARD;
	}
	int count;
	qnode *first = own_body(sec, &count);
	if (!first || !body_says_something(first, count) || follow >= count)
		return false;   /* more questions than text: a group with a preface */
	if (lc->cards[level] >= 2 && lc->cards[level] >= lc->sections[level])
		return true;
	/* Alone under its group heading in notes that ask at its level
	 * nearly everywhere (a FAQ's `### Git Doc doesn't recognize my
	 * repos` as the one item of `## Vaults`): asked like the others. */
	if (!lc->cards[level] && lc->sections[level] == 1 && lc->asked[level] >= 8
	    && lc->asked[level] >= 4 * lc->topics[level])
		return true;
	/* Notes that answer in block quotes (`#### X란?` then `> ...`) ask a
	 * term section answered the same way (`#### DI` then `> ...`) too,
	 * wherever it stands among them. */
	return first->type == QN_QUOTE && lc->quoted[level] >= 3
	       && 2 * lc->quoted[level] >= lc->asked[level];
}

/* How many question cards of each heading level the whole document has,
 * how many of them open their answer with a block quote, and how many
 * sections of each level it has. */
static void count_quoted_answers(const qdoc *doc, level_counts *lc)
{
	qiter it;
	qnode *n;
	qiter_init(&it, doc->root);
	while (qiter_next_outline(&it, &n))
		if (n->type == QN_SECTION && n->u.section.heading >= 1 && n->u.section.heading <= 6
		    && !groups_questions(n))
			lc->topics[n->u.section.heading]++;
	qiter_init(&it, doc->root);
	while (qiter_next_outline(&it, &n)) {
		int h = n->type == QN_CARD ? n->u.card.heading : 0;
		if (!h || n->u.card.topic || h > 6)
			continue;
		lc->asked[h]++;
		const qnode *a = n->last->first;
		if (a && a->type == QN_QUOTE)
			lc->quoted[h]++;
	}
}

int qrefine_peers(qdoc *doc)
{
	nodes peers = {0};
	level_counts lc = {0};
	count_quoted_answers(doc, &lc);
	qiter it;
	qnode *n;
	qiter_init(&it, doc->root);
	while (qiter_next_outline(&it, &n)) {
		if (n->type == QN_CARD)
			continue;
		count_levels(n, &lc);   /* the container's children, once */
		for (qnode *c = n->first; c; c = c->next)
			if (c->type == QN_SECTION && peer_topic(c, &lc))
				keep(&peers, c);
	}
	qbuf tmp = QBUF_INIT;
	for (int i = 0; i < peers.n; i++) {
		qnode *sec = peers.v[i];
		int count;
		qnode *first = own_body(sec, &count);
		make_topic_card(doc, sec, first, count, &tmp);
		qnode *card = sec->first->next;
		card->u.card.topic = false;
		card->u.card.rule = "peer-topic";
		qbuf key = QBUF_INIT;
		qcard_key(sec->u.section.plain, strlen(sec->u.section.plain), &key);
		card->u.card.key = qdoc_strdup(doc, key.ptr ? key.ptr : "", key.len);
		qbuf_free(&key);
		qnode_unlink(card);   /* the card takes the section's place */
		qnode_insert_before(sec, card);
		for (qnode *c = sec->first ? sec->first->next : NULL, *nx; c; c = nx) {
			nx = c->next;   /* its follow-ups come after it */
			qnode_unlink(c);
			qnode_insert_before(sec, c);
		}
		qnode_unlink(sec);
	}
	qbuf_free(&tmp);
	free(peers.v);
	return peers.n;
}

/* ------------------------------------------------------- follow-ups */

/* A heading inside a block-quote answer, deeper than its card's question
 * and asking (`> ##### 사용하는 이유는?` under `#### 트리거란?`): a
 * follow-up question, answered by the quote's blocks after it. */
static bool follow_up(const qnode *card, const qnode *h, qbuf *tmp)
{
	if (h->type != QN_HEADING || h->u.level <= card->u.card.heading || !h->prev)
		return false;
	qbuf_reset(tmp);
	qnode_plain(h, tmp);
	const char *t = tmp->ptr;
	size_t n = tmp->len ? qc_trim(&t, tmp->len) : 0;
	return qc_ends_question_mark(t, n);   /* only a `?` asks: `##### 차이점` names a part */
}

/* The follow-up card of heading h, its answer the quote's blocks after
 * h up to `end` (the next follow-up or NULL); it goes right after
 * `after`. NULL when nothing answers it (the heading stays). */
static qnode *split_follow_up(qdoc *doc, const qnode *card, qnode *h, qnode *end,
			      qnode *after, qbuf *tmp)
{
	if (h->next == end)
		return NULL;
	qnode *fc = qnode_new(doc, QN_CARD, h->line);
	qnode *q = qnode_new(doc, QN_QUESTION, h->line);
	qnode *a = qnode_new(doc, QN_ANSWER, h->line);
	qnode *quote = qnode_new(doc, QN_QUOTE, h->next->line);
	qnode_append(fc, q);
	qnode_append(fc, a);
	qnode_append(a, quote);
	while (h->next != end) {
		qnode *c = h->next;
		qnode_unlink(c);
		qnode_append(quote, c);
	}
	qnode_append_children(q, h);
	qnode_unlink(h);
	qbuf_reset(tmp);
	qnode_plain(q, tmp);
	qcard_info *ci = &fc->u.card;
	ci->plain = ci->full = qdoc_strdup(doc, tmp->ptr ? tmp->ptr : "", tmp->len);
	ci->heading = h->u.level;
	ci->rule = "follow-up";
	ci->follows = card;
	qbuf key = QBUF_INIT;   /* asked after its card: its key says which */
	qcard_key(card->u.card.plain, strlen(card->u.card.plain), &key);
	qbuf_putc(&key, ' ');
	qcard_key(ci->plain, strlen(ci->plain), &key);
	ci->key = qdoc_strdup(doc, key.ptr, key.len);
	qbuf_free(&key);
	if (after->next)
		qnode_insert_before(after->next, fc);
	else
		qnode_append(after->parent, fc);
	return fc;
}

int qrefine_follow_ups(qdoc *doc)
{
	nodes cards = {0};
	qiter it;
	qnode *n;
	qiter_init(&it, doc->root);
	while (qiter_next_outline(&it, &n))
		if (n->type == QN_CARD && !n->u.card.topic)
			keep(&cards, n);
	qbuf tmp = QBUF_INIT;
	int made = 0;
	for (int i = 0; i < cards.n; i++) {
		qnode *card = cards.v[i], *after = card;
		for (qnode *c = card->last->first; c; c = c->next) {
			if (c->type != QN_QUOTE)
				continue;
			qnode *h = c->first;
			while (h && !follow_up(card, h, &tmp))
				h = h->next;
			while (h) {
				qnode *end = h->next;
				while (end && !follow_up(card, end, &tmp))
					end = end->next;
				qnode *fc = split_follow_up(doc, card, h, end, after, &tmp);
				if (fc) {
					after = fc;
					made++;
				}
				h = end;
			}
		}
	}
	qbuf_free(&tmp);
	free(cards.v);
	return made;
}

/* ------------------------------------------------ notes-app inline syntax */

/* Is s[0..n) a note's address rather than words: no space, and a
 * scheme (`dendron://vault/note`), a hierarchy of two dots
 * (`dendron.topic.pod`) or a dotted name with an anchor
 * (`dendron.concepts#stubs`)? */
static bool note_address(const char *s, size_t n)
{
	int dots = 0;
	bool hash = false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '\t')
			return false;
		dots += s[i] == '.';
		hash |= s[i] == '#';
	}
	return qmemmem(s, n, "://", 3) || dots >= 2 || (dots && hash);
}

/* `[[Page]]`, `[[Page|label]]`, `[[Page#Heading]]`: the label. Dendron
 * writes the label first, `[[label|dendron.topic.links#anchor]]`: the
 * side after the bar that is a note's address is the page, and the
 * other side the label. */
static size_t wikilink(const char *s, size_t n, const char **label, size_t *ln)
{
	if (n < 5 || s[0] != '[' || s[1] != '[')
		return 0;
	const char *end = qmemmem(s + 2, n - 2, "]]", 2);
	if (!end || memchr(s + 2, '\n', (size_t)(end - s - 2)) || end == s + 2
	    || memchr(s + 2, '[', (size_t)(end - s - 2)) || memchr(s + 2, ']', (size_t)(end - s - 2)))
		return 0;
	const char *in = s + 2;
	size_t len = (size_t)(end - in);
	const char *bar = memchr(in, '|', len);
	if (bar && note_address(bar + 1, (size_t)(end - bar - 1))
	    && !note_address(in, (size_t)(bar - in))) {
		*label = in;
		*ln = (size_t)(bar - in);
	} else if (bar) {
		*label = bar + 1;
		*ln = (size_t)(end - bar - 1);
	} else {
		const char *hash = memchr(in, '#', len);
		*label = in;
		*ln = hash && hash > in ? (size_t)(hash - in) : len;
	}
	return (size_t)(end - s) + 2;
}


/* A byte of a word: a letter or digit, ASCII or any of UTF-8's. */
static bool word_byte(unsigned char c)
{
	return c >= 0x80 || isalnum(c);
}

/* The first closing pair of c found searching from `from` in the text
 * ending at `end`: at, or 0 when there was none. Whether a pair closes
 * does not depend on its opener, so a later opener whose search starts
 * between from and at finds the same one without searching again, and a
 * line of `==a ==b ==c` is read in linear time. The text after a
 * construct is the same bytes (splice), so the memo holds across it. */
typedef struct pair_memo {
	uintptr_t from, end, at;
} pair_memo;

/* What the walk over one document remembers: a pair_memo each for `=`,
 * `~`, `^` and the `}}` of Anki's clozes. */
typedef struct walk_memo {
	pair_memo pair[4];
} walk_memo;

/* The first `}}` from `from` in the text ending at `end`, remembered as
 * pair_memo remembers pairs: a line of `{{c1::` openers that nothing
 * closes is read in linear time. */
static const char *closing_braces(const char *from, const char *end, walk_memo *w)
{
	pair_memo *m = &w->pair[3];
	uintptr_t f = (uintptr_t)from, e = (uintptr_t)end;
	if (e == m->end && f >= m->from && (!m->at || f <= m->at))
		return (const char *)m->at;
	const char *r = qmemmem(from, (size_t)(end - from), "}}", 2);
	*m = (pair_memo){f, e, (uintptr_t)r};
	return r;
}

/* Anki's cloze opener `{{cN::` at s: its length, N in *num; else 0. */
static size_t cloze_opener(const char *s, size_t n, int *num)
{
	*num = 0;
	if (n < 6 || s[0] != '{' || s[1] != '{' || s[2] != 'c' || s[3] < '0' || s[3] > '9')
		return 0;
	size_t i = 3;
	while (i < n && s[i] >= '0' && s[i] <= '9' && *num < 1000)
		*num = *num * 10 + (s[i++] - '0');
	return *num >= 1 && i + 1 < n && s[i] == ':' && s[i + 1] == ':' ? i + 2 : 0;
}

/* Anki's `{{c1::text}}` or `{{c1::text::hint}}`: the cloze number, text
 * and hint. Returns its length; 0 for other text in braces, such as a
 * template's `{{ name }}` (a vault's settings may make `{{text}}` a
 * cloze: see deletion()). */
static size_t cloze(const char *s, size_t n, walk_memo *w, int *num, size_t *t0, size_t *t1,
		    size_t *h0, size_t *h1)
{
	int v;
	size_t i = n >= 7 ? cloze_opener(s, n, &v) : 0;
	if (!i)
		return 0;
	const char *end = closing_braces(s + i, s + n, w);
	if (!end || end == s + i)
		return 0;
	*num = v;
	*t0 = i;
	const char *hint = qmemmem(s + i, (size_t)(end - s) - i, "::", 2);
	*t1 = hint ? (size_t)(hint - s) : (size_t)(end - s);
	*h0 = hint ? *t1 + 2 : 0;
	*h1 = hint ? (size_t)(end - s) : 0;
	return (size_t)(end - s) + 2;
}

/* Does a pair of c close at s[j] (a blank does not end the text; for
 * Logseq's `^^`, no word goes on after it either)? */
static bool closes_at(const char *s, size_t n, size_t j, char c)
{
	return s[j] == c && s[j + 1] == c && s[j - 1] != ' '
	       && (c != '^' || j + 2 >= n || !word_byte((unsigned char)s[j + 2]));
}

/* `==text==`, `~~text~~`, `^^text^^` inside one text node: the span's
 * length. */
static size_t paired(const char *s, size_t n, char c, walk_memo *w)
{
	if (n < 5 || s[0] != c || s[1] != c || s[2] == ' ' || s[2] == c)
		return 0;
	pair_memo *m = &w->pair[c == '=' ? 0 : c == '~' ? 1 : 2];
	uintptr_t from = (uintptr_t)(s + 3), end = (uintptr_t)(s + n);
	if (end == m->end && from >= m->from && (!m->at || from <= m->at))
		return m->at ? (size_t)(m->at - (uintptr_t)s) + 2 : 0;
	size_t j = 3;
	while (j + 1 < n && !closes_at(s, n, j, c))
		j++;
	*m = (pair_memo){from, end, j + 1 < n ? (uintptr_t)(s + j) : 0};
	return j + 1 < n ? j + 2 : 0;
}

/* Logseq's `^^text^^` at s[i] of t: a closed pair around word text that
 * no word touches outside, so that an emoticon (`좋아요^^`), an exponent
 * (`2^^3`) or a `^^` opening nothing stays text. Returns its length. */
static size_t logseq_mark(const char *whole, size_t i, size_t n, walk_memo *w)
{
	const char *s = whole + i;
	if (i && word_byte((unsigned char)whole[i - 1]))
		return 0;
	size_t l = paired(s, n - i, '^', w);
	if (!l)
		return 0;
	for (size_t k = 0; k < 16 && k + 4 < l; k++)   /* a word near either end: */
		if (word_byte((unsigned char)s[2 + k]) || word_byte((unsigned char)s[l - 3 - k]))
			return l;   /* a bounded look, not the whole span again */
	return 0;
}

/* A cloze deletion of one of o's patterns at s: a QN_CLOZE when it has
 * a number, else a QN_MARK that is a deletion. */
static qnode *deletion(qdoc *doc, const qnote_syntax *o, int line, const char *s, size_t n, size_t *len)
{
	for (int k = 0; k < o->nclozes; k++) {
		qcloze_match m;
		if (!qcloze_match_at(&o->clozes[k], s, n, &m))
			continue;
		qnode *mid = qnode_new(doc, m.number ? QN_CLOZE : QN_MARK, line);
		mid->u.cloze.number = m.number;
		mid->u.cloze.deletion = !m.number;
		mid->u.cloze.hint = m.h1 > m.h0 ? qdoc_strdup(doc, s + m.h0, m.h1 - m.h0) : NULL;
		qnode_append(mid, qnode_new_text(doc, QN_TEXT, line, s + m.a0, m.a1 - m.a0));
		*len = m.len;
		return mid;
	}
	return NULL;
}

static qnode *text_leaf(qdoc *doc, int line, const char *s, size_t n)
{
	return qnode_new_text(doc, QN_TEXT, line, s, n);
}

/* One construct at s[i] of text node t, made a node; returns the text
 * node after it (to go on with), or t when there is none at i. */
static qnode *inline_construct(qdoc *doc, const qnote_syntax *o, walk_memo *w, qnode *t, size_t i,
				size_t *used)
{
	const char *s = t->text + i;
	size_t n = t->len - i, l = 0;
	const char *label;
	size_t ln;
	int num;
	size_t t0, t1, h0, h1;
	qnode *mid = NULL;
	if (s[0] == '!' && n > 1 && (l = wikilink(s + 1, n - 1, &label, &ln))) {
		l++;   /* ![[picture.png]]: an image, its name the address */
		mid = qnode_new(doc, QN_IMAGE, t->line);
		const char *in = s + 3;
		const char *bar = memchr(in, '|', l - 5);
		mid->u.link.url = qdoc_strdup(doc, in, bar ? (size_t)(bar - in) : l - 5);
		mid->u.link.title = "";
		if (bar)
			qnode_append(mid, text_leaf(doc, t->line, bar + 1, (size_t)(s + l - 2 - bar - 1)));
	} else if (s[0] == '[' && (i == 0 || t->text[i - 1] != '[') && (l = wikilink(s, n, &label, &ln))
		   && (l == n || s[l] != ']')) {
		mid = text_leaf(doc, t->line, label, ln);   /* [[Page|label]]: its label */
	} else if (s[0] == '{' && (l = cloze(s, n, w, &num, &t0, &t1, &h0, &h1))) {
		mid = qnode_new(doc, QN_CLOZE, t->line);
		mid->u.cloze.number = num;
		mid->u.cloze.hint = h1 > h0 ? qdoc_strdup(doc, s + h0, h1 - h0) : NULL;
		qnode_append(mid, text_leaf(doc, t->line, s + t0, t1 - t0));
	} else if ((mid = deletion(doc, o, t->line, s, n, &l))) {
		/* made */
	} else if ((s[0] == '=' || s[0] == '~') && (l = paired(s, n, s[0], w))) {
		mid = qnode_new(doc, s[0] == '=' ? QN_MARK : QN_STRIKE, t->line);
		qnode_append(mid, text_leaf(doc, t->line, s + 2, l - 4));
	} else if (s[0] == '^' && o->logseq && (l = logseq_mark(t->text, i, t->len, w))) {
		mid = qnode_new(doc, QN_MARK, t->line);
		qnode_append(mid, text_leaf(doc, t->line, s + 2, l - 4));
	}
	if (!mid)
		return t;
	*used = l;
	qnode *rest = splice(doc, t, i, i + l, mid);
	return rest ? rest : mid;
}

/* A Logseq or Obsidian block id at the end of a paragraph (` ^3f2a1b`). */
static void drop_block_id(qdoc *doc, qnode *t)
{
	if (t->next || !t->parent || t->parent->type != QN_PARAGRAPH)
		return;
	size_t i = t->len;
	while (i && ((t->text[i - 1] >= 'a' && t->text[i - 1] <= 'z') || (t->text[i - 1] >= '0' && t->text[i - 1] <= '9')
		     || t->text[i - 1] == '-'))
		i--;
	if (i + 1 < t->len && i >= 2 && t->text[i - 1] == '^' && t->text[i - 2] == ' ') {
		t->len = i - 2;
		t->text = qdoc_strdup(doc, t->text, t->len);   /* a text ends at its len */
	}
}

/* The size an image asks for, written right after it: Logseq's
 * `{:height 53, :width 42}`, kramdown's `{: width="50%"}`, pandoc's
 * `{width=50%}`. Its reader shows none of it, so it goes. */
static void drop_image_attrs(qnode *t)
{
	if (!t->prev || t->prev->type != QN_IMAGE || t->len < 3 || t->text[0] != '{')
		return;
	const char *s = t->text;
	size_t e = 1;
	bool sign = false;   /* a `:` key or an `=` value: attributes, not prose in braces */
	while (e < t->len && s[e] != '}') {
		char c = s[e];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
		      || strchr(" :,.=%-_#\"", c)))
			return;
		sign |= c == '=' || (c == ':' && (e == 1 || s[e - 1] == ' ' || s[e - 1] == ','));
		e++;
	}
	if (e == t->len || !sign)
		return;
	t->text += e + 1;
	t->len -= e + 1;
}

/* A task list item (`- [ ] todo`, `- [x] done`): a box, open or ticked,
 * that every output can show. */
static void task_box(qdoc *doc, qnode *t)
{
	const qnode *p = t->parent;
	if (t->prev || !p || p->type != QN_PARAGRAPH || p->prev || !p->parent
	    || p->parent->type != QN_ITEM || t->len < 4 || t->text[0] != '[' || t->text[2] != ']'
	    || t->text[3] != ' ')
		return;
	const char *box = t->text[1] == ' ' ? "\xE2\x98\x90" : (t->text[1] | 0x20) == 'x' ? "\xE2\x98\x91" : NULL;
	if (!box)
		return;
	qbuf b = QBUF_INIT;   /* ☐ or ☑ */
	qbuf_puts(&b, box);
	qbuf_put(&b, t->text + 3, t->len - 3);
	t->text = qdoc_strdup(doc, b.ptr, b.len);
	t->len = b.len;
	qbuf_free(&b);
}

/* Text nodes a split left empty go. */
static void drop_empty_text(qdoc *doc)
{
	nodes empty = {0};
	qiter it;
	qnode *n;
	qiter_init(&it, doc->root);
	while (qiter_next_of(&it, &n, QN_TEXT))
		if (!n->len && n->parent)
			keep(&empty, n);
	for (int i = 0; i < empty.n; i++)
		qnode_unlink(empty.v[i]);
	free(empty.v);
}

/* The bytes an inline construct of the notes may start at: the
 * dialect's own, Logseq's `^` in its notes, and the first byte of each
 * cloze pattern. */
static void construct_openers(const qnote_syntax *o, bool opens[256])
{
	memset(opens, 0, 256);
	for (const char *c = "[!{=~"; *c; c++)
		opens[(unsigned char)*c] = true;
	opens['^'] = o->logseq;
	for (int k = 0; k < o->nclozes; k++) {
		size_t l;
		const char *t = qcloze_opener(&o->clozes[k], &l);
		if (l)
			opens[(unsigned char)t[0]] = true;
	}
}

/* The node type the notes' reading made of a pattern written around
 * with `**`, `__` (bold), `*`, `_` (emphasis: cmark's) or `==` (a
 * highlight, which HTML writes <mark>), or QN_NONE. */
static qtype wrapped_by(const qcloze_pattern *p)
{
	size_t a, b;
	const char *open = qcloze_opener(p, &a), *close = qcloze_closer(p, &b);
	if (a != b || a < 1 || a > 2 || memcmp(open, close, a) || (a == 2 && open[1] != open[0]))
		return QN_NONE;
	if (open[0] == '=')
		return a == 2 ? QN_MARK : QN_NONE;
	if (open[0] != '*' && open[0] != '_')
		return QN_NONE;
	return a == 2 ? QN_STRONG : QN_EMPH;
}

/* Bold or emphasis that is a deletion of a pattern written with its
 * marks (`**[123;;]answer[;;hint]**`): the node becomes the deletion,
 * its text the answer. Only a node holding one text is read. An HTML
 * <mark> (all the highlights there are before `==text==` is read) is a
 * deletion when a pattern writes highlights (`==answer==`). */
static void wrapped_deletions(qdoc *doc, const qnote_syntax *o)
{
	bool marks = false;
	for (int k = 0; k < o->nclozes; k++)
		marks |= wrapped_by(&o->clozes[k]) == QN_MARK;
	qiter it;
	qnode *n;
	qiter_init(&it, doc->root);
	while (qiter_next_of(&it, &n, QN_NONE)) {
		if (n->type == QN_MARK)
			n->u.cloze.deletion = marks;
		if ((n->type != QN_STRONG && n->type != QN_EMPH) || !n->first || n->first != n->last
		    || n->first->type != QN_TEXT)
			continue;
		qnode *t = n->first;
		for (int k = 0; k < o->nclozes; k++) {
			qcloze_match m;
			if (wrapped_by(&o->clozes[k]) != n->type
			    || !qcloze_match_inner(&o->clozes[k], t->text, t->len, &m))
				continue;
			qnode_set_type(doc, n, m.number ? QN_CLOZE : QN_MARK);
			n->u.cloze.number = m.number;
			n->u.cloze.deletion = !m.number;
			n->u.cloze.hint = m.h1 > m.h0 ? qdoc_strdup(doc, t->text + m.h0, m.h1 - m.h0) : NULL;
			t->text += m.a0;
			t->len = m.a1 - m.a0;
			break;
		}
	}
}

/* A construct opened in one text and closed in a later one of the same
 * parent and line, markup between (`{{c1::the **nucleus**}}`, `==a *b*
 * c==`, `{@{A __cost object__}@}`): its opener and closer, what it makes. */
typedef struct span_kind {
	const char *open, *close;
	size_t no, nc;
	qtype type;
	bool deletion;
} span_kind;

/* Where kind k opens at s[0..n): the opener's length (Anki's `{{c12::`
 * with its number in *num), else 0. What it holds may start right after
 * the text, with markup (`{@{[dual](dual.md) to ...}@}`). */
static size_t span_opens(const span_kind *k, const char *s, size_t n, int *num)
{
	*num = 0;
	if (k->type == QN_CLOZE)
		return cloze_opener(s, n, num);   /* {{cN:: */
	return n >= k->no && !memcmp(s, k->open, k->no) && (n == k->no || s[k->no] != ' ') ? k->no : 0;
}

/* Make what lies between t[i + ol] and x[j] (the nodes between them
 * moved in) the children of a new node of kind k, in their place. */
static void wrap_span(qdoc *doc, const span_kind *k, int num, qnode *t, size_t i, size_t ol, qnode *x,
		      size_t j)
{
	qnode *mid = qnode_new(doc, k->type, t->line);
	mid->u.cloze.number = num;
	mid->u.cloze.deletion = k->deletion;
	if (t->len > i + ol)
		qnode_append(mid, qnode_new_text(doc, QN_TEXT, t->line, t->text + i + ol, t->len - i - ol));
	t->text = qdoc_strdup(doc, t->text, i);
	t->len = i;
	for (qnode *y = t->next; y != x;) {
		qnode *next = y->next;
		qnode_unlink(y);
		qnode_append(mid, y);
		y = next;
	}
	const char *hint = k->type == QN_CLOZE ? qmemmem(x->text, j, "::", 2) : NULL;
	size_t body = hint ? (size_t)(hint - x->text) : j;
	if (body)
		qnode_append(mid, qnode_new_text(doc, QN_TEXT, x->line, x->text, body));
	if (hint)
		mid->u.cloze.hint = qdoc_strdup(doc, hint + 2, j - body - 2);
	x->text += j + k->nc;
	x->len -= j + k->nc;
	qnode_insert_before(x, mid);
}

/* Does kind k, opening at t[i] and not closing in t (its last closer
 * in t ends at `closed`), close in a later text of the line (at most 32
 * nodes on)? Wraps it: 1. 0: it opens nothing here; -1: it opens, and no
 * later text closes it (nor any later opener of t). */
static int span_from(qdoc *doc, const span_kind *k, qnode *t, size_t i, size_t closed)
{
	int num;
	size_t ol = span_opens(k, t->text + i, t->len - i, &num);
	if (!ol || closed >= i + ol + k->nc)
		return 0;
	int steps = 0;
	for (qnode *x = t->next; x && steps < 32; x = x->next, steps++) {
		if (x->type == QN_SOFTBREAK || x->type == QN_LINEBREAK)
			return -1;
		const char *c = x->type == QN_TEXT ? qmemmem(x->text, x->len, k->close, strlen(k->close)) : NULL;
		if (c && (c == x->text || c[-1] != ' ')) {
			wrap_span(doc, k, num, t, i, ol, x, (size_t)(c - x->text));
			return 1;
		}
		if (c)
			return -1;   /* a closer after a blank closes nothing: the first one decides */
	}
	return -1;
}

/* Where the last closer of kind k in t ends (0: none). */
static size_t last_closer(const span_kind *k, const qnode *t)
{
	size_t end = 0;
	for (const char *c = t->text; (c = qmemmem(c, t->len - (size_t)(c - t->text), k->close, strlen(k->close))); c += k->nc)
		end = (size_t)(c - t->text) + k->nc;
	return end;
}

/* Constructs whose markup cmark has split over several nodes (see
 * span_kind): highlights, strikes, Anki's clozes and the deletions of
 * the notes' own cloze patterns (their plain form: no number or hint). */
static void spanning_constructs(qdoc *doc, const qnote_syntax *o)
{
	span_kind kinds[16 + 3] = {
		{"{{c", "}}", 3, 2, QN_CLOZE, false},
		{"==", "==", 2, 2, QN_MARK, false},
		{"~~", "~~", 2, 2, QN_STRIKE, false},
	};
	int nk = 3;
	for (int c = 0; c < o->nclozes && nk < 19; c++) {
		size_t a, b;
		const char *open = qcloze_opener(&o->clozes[c], &a), *close = qcloze_closer(&o->clozes[c], &b);
		if (!a || !b)
			continue;
		if (a == 2 && b == 2 && !memcmp(open, "==", 2) && !memcmp(close, "==", 2)) {
			kinds[1].deletion = true;   /* the notes' highlights are deletions */
			continue;
		}
		kinds[nk++] = (span_kind){open, close, a, b, QN_MARK, true};
	}
	nodes texts = {0};
	qiter it;
	qnode *n;
	qiter_init(&it, doc->root);
	while (qiter_next_of(&it, &n, QN_TEXT))
		if (n->parent && n->next && n->len >= 2 && (memchr(n->text, '{', n->len) || memchr(n->text, '=', n->len)
						 || memchr(n->text, '~', n->len) || nk > 3))
			keep(&texts, n);
	for (int k = 0; k < texts.n; k++) {
		qnode *t = texts.v[k];
		size_t closed[19];
		bool failed[19] = {0};
		for (int c = 0; c < nk; c++)
			closed[c] = last_closer(&kinds[c], t);
		bool done = false;
		for (size_t i = 0; i + 1 < t->len && !done; i++)
			for (int c = 0; c < nk && !done; c++) {
				if (failed[c] || t->text[i] != kinds[c].open[0])
					continue;
				int r = span_from(doc, &kinds[c], t, i, closed[c]);
				done = r > 0;   /* t ends at the opener now */
				failed[c] = r < 0;
			}
	}
	free(texts.v);
}

void qrefine_note_syntax(qdoc *doc, const qnote_syntax *o)
{
	bool opens[256];
	walk_memo memo = {0};
	construct_openers(o, opens);
	if (o->nclozes)
		wrapped_deletions(doc, o);
	spanning_constructs(doc, o);
	qiter it;
	qnode *n;
	qiter_init(&it, doc->root);
	while (qiter_next_of(&it, &n, QN_TEXT)) {
		if (!n->parent)
			continue;
		drop_block_id(doc, n);
		drop_image_attrs(n);
		task_box(doc, n);
		const char *s = n->text;
		for (size_t i = 0; i < n->len; i++) {
			if (!opens[(unsigned char)s[i]])
				continue;
			size_t used = 0;
			qnode *next = inline_construct(doc, o, &memo, n, i, &used);
			if (next != n)
				break;   /* the walk goes on with what follows it */
		}
	}
	drop_empty_text(doc);
}

/* --------------------------------------------------------------- images */

/* The breadth-first walk of the folder trees that finds a file by its
 * name (search_vault): the queue of folders to read. */
typedef struct vault {
	char **dirs;
	int *depth;
	int head, n, cap;
	int seen;         /* entries read */
	bool started;
} vault;

/* The folders images may be read from: the notes' own folder tree and
 * the --resource-path folders, each as its real path. */
typedef struct roots {
	char *v[17];
	int n;
	/* The walk, read as far as the names looked for so far needed, and
	 * the file names it met: each the path of its first file, one block
	 * of `names`, the name (its key) then the path. Every folder is read
	 * once however many names the notes look for. */
	vault walk;
	qstrmap met;
	qarena names;
} roots;

static void add_root(roots *r, const char *dir)
{
	char *real = dir ? realpath(dir, NULL) : NULL;
	if (real && r->n < (int)(sizeof r->v / sizeof r->v[0]))
		r->v[r->n++] = real;
	else
		free(real);
}

static bool under(const roots *r, const char *path)
{
	for (int i = 0; i < r->n; i++) {
		size_t l = strlen(r->v[i]);
		if (strncmp(path, r->v[i], l) == 0 && (path[l] == '/' || path[l] == '\0' || l == 1))
			return true;
	}
	return false;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
}

/* The URL's path, percent-decoded (`my%20pic.png`), without a query. */
static void url_path(const char *u, qbuf *out)
{
	for (; *u && *u != '?' && *u != '#'; u++) {
		if (*u == '%' && hexval(u[1]) >= 0 && hexval(u[2]) >= 0) {
			qbuf_putc(out, (char)(hexval(u[1]) * 16 + hexval(u[2])));
			u += 2;
		} else {
			qbuf_putc(out, *u);
		}
	}
}

static char *search_vault(roots *r, const char *base, const char *name);

/* Where image `rel` is: beside the notes or in a resource folder, as a
 * real path inside one of the roots; NULL (with *why) when missing,
 * outside, or not a regular file. */
static char *find_image(roots *r, const char *base, const char *rel, const char **why)
{
	qbuf p = QBUF_INIT;
	char *real = NULL;
	*why = "not found";
	for (int k = -1; k < r->n && !real; k++) {
		const char *dir = k < 0 ? base : r->v[k];
		if (!dir)
			continue;
		qbuf_reset(&p);
		if (rel[0] != '/') {
			qbuf_puts(&p, dir);
			qbuf_putc(&p, '/');
		}
		qbuf_puts(&p, rel);
		real = realpath(p.ptr, NULL);
	}
	qbuf_free(&p);
	if (!real && !strchr(rel, '/') && *rel)
		real = search_vault(r, base, rel);
	if (!real)
		return NULL;
	struct stat st;
	if (!under(r, real)) {
		*why = "outside the notes' folder (and any --resource-path)";
	} else if (stat(real, &st) != 0 || !S_ISREG(st.st_mode)) {
		*why = "not a regular file";
	} else {
		return real;
	}
	free(real);
	return NULL;
}

/* Note apps find an embedded file by its name anywhere in the vault
 * (`![[diagram.png]]` of a note in notes/ shows attachments/diagram.png).
 * So a bare file name not found beside the notes is looked for in the
 * notes' folder tree, then in the resource folders: breadth first, each
 * folder's entries in byte order (the shallowest, first match wins, the
 * same on every machine), hidden folders and links to folders skipped,
 * and at most SEARCH_MAX entries read in all. */
#define SEARCH_MAX 20000
#define SEARCH_DEPTH 8

static void vault_push(vault *v, char *dir, int depth)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? 2 * v->cap : 16;
		v->dirs = qxrealloc(v->dirs, (size_t)v->cap * sizeof *v->dirs);
		v->depth = qxrealloc(v->depth, (size_t)v->cap * sizeof *v->depth);
	}
	v->dirs[v->n] = dir;
	v->depth[v->n++] = depth;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted names in dir (without . and ..), at most room of them. */
static int list_dir(const char *dir, char ***out, int room)
{
	DIR *d = opendir(dir);
	char **names = NULL;
	int n = 0, cap = 0;
	struct dirent *e;
	while (d && n < room && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			names = qxrealloc(names, (size_t)cap * sizeof *names);
		}
		size_t l = strlen(e->d_name);
		names[n] = qxmalloc(l + 1);
		memcpy(names[n++], e->d_name, l + 1);
	}
	if (d)
		closedir(d);
	qsort(names, (size_t)n, sizeof *names, by_name);
	*out = names;
	return n;
}

static char *join_path(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	char *p = qxmalloc(a + b + 2);
	memcpy(p, dir, a);
	p[a] = '/';
	memcpy(p + a + 1, name, b + 1);
	return p;
}

/* Read the next folder of the walk: each file's path kept under its
 * name (the first one met wins), each subfolder queued. */
static void walk_next(roots *r)
{
	vault *v = &r->walk;
	const char *dir = v->dirs[v->head];
	int depth = v->depth[v->head++];
	char **names;
	int n = list_dir(dir, &names, SEARCH_MAX - v->seen);
	v->seen += n;
	for (int i = 0; i < n; i++) {
		char *p = join_path(dir, names[i]);
		struct stat st;
		size_t nl = strlen(names[i]);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (names[i][0] != '.' && depth < SEARCH_DEPTH) {
				vault_push(v, p, depth + 1);
				p = NULL;
			}
		} else if (!qstrmap_get(&r->met, names[i], nl) && stat(p, &st) == 0
			   && S_ISREG(st.st_mode)) {
			size_t pl = strlen(p);
			char *block = qarena_alloc(&r->names, nl + pl + 2);
			memcpy(block, names[i], nl + 1);
			memcpy(block + nl + 1, p, pl + 1);
			qstrmap_put(&r->met, block, nl, block);
		}
		free(p);
		free(names[i]);
	}
	free(names);
}

static char *search_vault(roots *r, const char *base, const char *name)
{
	vault *v = &r->walk;
	if (!v->started) {
		v->started = true;
		for (int k = -1; k < r->n; k++) {
			const char *dir = k < 0 ? base : r->v[k];
			if (dir)
				vault_push(v, join_path(dir, ""), 0);
		}
	}
	size_t n = strlen(name);
	const char *block;
	while (!(block = qstrmap_get(&r->met, name, n)) && v->head < v->n && v->seen < SEARCH_MAX)
		walk_next(r);
	return block ? realpath(block + n + 1, NULL) : NULL;
}

static bool has_scheme(const char *u)
{
	const char *c = u;
	while ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (c > u && ((*c >= '0' && *c <= '9') || *c == '+' || *c == '-' || *c == '.')))
		c++;
	return c > u + 1 && *c == ':';
}

/* The folders images may come from: the notes' own (its real path in
 * *base, which the caller frees) and the resource folders. */
static void image_roots(roots *r, char **base, const char *notes, const char *const *resource,
			int nresource)
{
	*base = NULL;
	qstrmap_init(&r->met);
	qarena_init(&r->names);
	if (notes && *notes && strcmp(notes, "-") != 0) {
		char *real = realpath(notes, NULL);
		if (real) {
			char *slash = strrchr(real, '/');
			if (slash)
				*(slash == real ? slash + 1 : slash) = '\0';
			*base = real;
			add_root(r, real);
		}
	}
	for (int i = 0; i < nresource; i++)
		add_root(r, resource[i]);
}

static void free_roots(roots *r, char *base)
{
	qstrmap_free(&r->met);
	qarena_free(&r->names);
	for (int i = 0; i < r->walk.n; i++)
		free(r->walk.dirs[i]);
	free(r->walk.dirs);
	free(r->walk.depth);
	free(base);
	for (int i = 0; i < r->n; i++)
		if (r->v[i] != base)
			free(r->v[i]);
}

/* The checked real path of local image u, or NULL with a warning
 * (what: "image", or "cover image"). */
static char *local_image(qdiags *d, roots *r, const char *base, const char *u,
			 int line, const char *what)
{
	bool image = !strcmp(what, "image");
	if (has_scheme(u) && strncasecmp(u, "file:", 5) != 0) {
		qdiag_add(d, QD_WARNING, line, 0, "image", "remote %s %s is not fetched: %s", what, u,
			  image ? "its description and address are shown" : "the cover is typeset");
		return NULL;
	}
	qbuf path = QBUF_INIT;
	url_path(strncasecmp(u, "file://", 7) == 0 ? u + 7 : strncasecmp(u, "file:", 5) == 0 ? u + 5 : u, &path);
	const char *why;
	char *real = find_image(r, base, path.ptr ? path.ptr : "", &why);
	qbuf_free(&path);
	if (!real)
		qdiag_add(d, QD_WARNING, line, 0, "image", "%s %s is left out (%s): %s", what, u, why,
			  image ? "its description is shown" : "the cover is typeset");
	return real;
}

/* The end (after `}`) of a Pandoc attribute list at the start of s
 * (`{alt='A flowchart' width=50%}`, `{.center}`, `{#fig:x}`): classes,
 * ids and key=value pairs, values quoted or not; 0 when s opens none. */
static size_t attribute_list(const char *s, size_t n, size_t *alt, size_t *altlen)
{
	*altlen = 0;
	if (n < 3 || s[0] != '{')
		return 0;
	bool any = false;
	for (size_t i = 1; i < n;) {
		while (i < n && s[i] == ' ')
			i++;
		if (i < n && s[i] == '}')
			return any ? i + 1 : 0;
		size_t w = i;
		if (i < n && (s[i] == '.' || s[i] == '#'))
			w++;
		while (w < n && (isalnum((unsigned char)s[w]) || s[w] == '-' || s[w] == '_' || s[w] == ':'))
			w++;
		if (w == i || (w == i + 1 && (s[i] == '.' || s[i] == '#')))
			return 0;
		bool key = s[i] != '.' && s[i] != '#';
		if (key && (w >= n || s[w] != '='))
			return 0;
		if (key) {
			size_t v = w + 1, e = v;
			if (v < n && (s[v] == '\'' || s[v] == '"')) {
				const char *q = memchr(s + v + 1, s[v], n - v - 1);
				if (!q)
					return 0;
				e = (size_t)(q - s) + 1;
				if (w - i == 3 && !strncmp(s + i, "alt", 3)) {
					*alt = v + 1;
					*altlen = e - v - 2;
				}
			} else {
				while (e < n && s[e] != ' ' && s[e] != '}')
					e++;
			}
			w = e;
		}
		any = true;
		i = w;
		if (i < n && s[i] != ' ' && s[i] != '}')
			return 0;
	}
	return 0;
}

static bool attributed_image(const qnode *img, qbuf *tmp)
{
	(void)tmp;
	const qnode *t = img->next;
	size_t a, al;
	return t && t->type == QN_TEXT && attribute_list(t->text, t->len, &a, &al);
}

/* Pandoc's attributes after an image (`![](x.png){alt='...' width=50%}`)
 * are no text: they go, and an image with no description of its own
 * takes its `alt`. */
static void image_attributes(qdoc *doc, qbuf *tmp)
{
	nodes imgs = collect(doc, QN_IMAGE, attributed_image, tmp);
	for (int i = 0; i < imgs.n; i++) {
		qnode *img = imgs.v[i], *t = img->next;
		size_t a, al, end = attribute_list(t->text, t->len, &a, &al);
		if (al && !img->first)
			qnode_append(img, qnode_new_text(doc, QN_TEXT, img->line, t->text + a, al));
		t->text += end;
		t->len -= end;
		if (!t->len)
			qnode_unlink(t);
	}
	free(imgs.v);
}

void qrefine_images(qdoc *doc, qdiags *d, const char *notes, const char *const *resource, int nresource)
{
	qbuf tmp = QBUF_INIT;
	image_attributes(doc, &tmp);
	qbuf_free(&tmp);
	roots r = {0};
	char *base;
	image_roots(&r, &base, notes, resource, nresource);
	qiter it;
	qnode *n;
	qiter_init_of(&it, doc, QN_IMAGE);
	while (qiter_next_of(&it, &n, QN_IMAGE)) {
		const char *u = n->u.link.url ? n->u.link.url : "";
		char *real = *u ? local_image(d, &r, base, u, n->line, "image") : NULL;
		if (real)
			n->u.link.file = qdoc_strdup(doc, real, strlen(real));
		free(real);
	}
	free_roots(&r, base);
}

void qrefine_cover(qdoc *doc, qdiags *d, const char *notes, const char *const *resource,
		   int nresource, const char *cover, int line)
{
	if (!cover || !*cover)
		return;
	roots r = {0};
	char *base;
	image_roots(&r, &base, notes, resource, nresource);
	char *real = local_image(d, &r, base, cover, line, "cover image");
	if (real)
		doc->cover = qdoc_strdup(doc, real, strlen(real));
	free(real);
	free_roots(&r, base);
}

/* ------------------------------------------------------------ callouts */

/* `[!note] Title` at the start of text: the kind (lower case) and where
 * the title starts; 0 when not a callout. */
static size_t callout_head(const char *s, size_t n, char *kind, size_t cap)
{
	if (n < 4 || s[0] != '[' || s[1] != '!')
		return 0;
	size_t i = 2, k = 0;
	while (i < n && ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') && k + 1 < cap)
		kind[k++] = (char)(s[i++] | 0x20);
	kind[k] = '\0';
	if (!k || i >= n || s[i] != ']')
		return 0;
	i++;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;   /* folded or not: Obsidian's fold marks */
	while (i < n && s[i] == ' ')
		i++;
	return i;
}

/* A block quote opening with `[!note] Title` (Obsidian, GitHub) is a
 * callout: a framed note of that kind, titled by the rest of its first
 * line (a caption), or untitled: the back ends title it by its kind, in
 * the notes' language (the model holds no words of quire's own). */
static void make_callout(qdoc *doc, qnode *q)
{
	qnode *p = q->first;
	qnode *t = p ? p->first : NULL;
	char kind[24];
	size_t at = t && t->type == QN_TEXT ? callout_head(t->text, t->len, kind, sizeof kind) : 0;
	if (!at)
		return;
	qnode_set_type(doc, q, QN_CALLOUT);
	q->u.callout.kind = qdoc_strdup(doc, kind, strlen(kind));
	qnode *cap = qnode_new(doc, QN_CAPTION, q->line);
	t->text += at;
	t->len -= at;
	while (p->first && p->first->type != QN_SOFTBREAK && p->first->type != QN_LINEBREAK) {
		qnode *k = p->first;   /* the first line: the title */
		qnode_unlink(k);
		if (k->type != QN_TEXT || k->len)
			qnode_append(cap, k);
	}
	if (p->first)
		qnode_unlink(p->first);   /* the break after it */
	if (!p->first)
		qnode_unlink(p);
	if (!cap->first)
		return;   /* untitled; the empty caption is the arena's */
	if (q->first)
		qnode_insert_before(q->first, cap);
	else
		qnode_append(q, cap);
}

/* A question callout (`> [!question] What is X?`, Obsidian's `faq` and
 * `help` too, folded or not) titled by its own words, with a body,
 * standing among the notes' blocks (not inside a card or a list). */
static bool question_callout(const qnode *c)
{
	static const char *const kinds[] = {"question", "faq", "help", NULL};
	const qnode *cap = c->first;
	if (!kind_among(c, kinds) || c->u.callout.labelled || !cap || cap->type != QN_CAPTION
	    || !cap->next || !c->parent
	    || (c->parent->type != QN_DOCUMENT && c->parent->type != QN_SECTION))
		return false;
	qbuf t = QBUF_INIT;
	qnode_plain(cap, &t);
	bool own_title = t.len && !names_kind(c, t.ptr, t.len);
	qbuf_free(&t);
	return own_title;
}

/* A question callout becomes a card in its place: the title asks, the
 * body answers (the body of an answer callout in it, `> > [!answer]`,
 * when that is all of it). */
static void callout_card(qdoc *doc, qnode *c, qbuf *tmp)
{
	static const char *const answers[] = {"answer", "success", "check", "done", NULL};
	qnode *cap = c->first, *body = cap->next;
	if (!body->next && kind_among(body, answers) && body->first) {
		qnode *in = body->first;   /* its body, after its title if any */
		if (in->type == QN_CAPTION)
			in = in->next;
		if (in)
			body = in;
	}
	qnode *a = qnode_new(doc, QN_ANSWER, body->line);
	move_from(body, a);
	qnode *card = term_card(doc, c->line, cap, a, "callout", false, tmp);
	qnode_insert_before(c, card);
	qnode_unlink(c);
}

/* Is a header cell's text one of words (or the letter c alone)? */
static bool header_names(const qnode *cell, const char *const *words, char c, qbuf *tmp)
{
	qbuf_reset(tmp);
	qnode_plain(cell, tmp);
	const char *s = tmp->ptr ? tmp->ptr : "";
	size_t n = qc_trim(&s, tmp->len);
	while (n && (s[n - 1] == ':' || s[n - 1] == 's'))   /* Questions:, Answers */
		n--;
	return (n == 1 && (s[0] | 0x20) == c) || qc_one_of(words, s, n)
	       || qc_one_of(words, s, qc_trim(&s, tmp->len));
}

/* A table of two columns headed by a question and an answer (`| Question
 * | Answer |`, `| Frage | Antwort |`, `| Q | A |`), every row filled in,
 * among the notes' blocks: a card per row. */
static bool qa_table(const qnode *t, qbuf *tmp)
{
	if (t->u.table.ncols != 2 || !t->u.table.header || !t->parent
	    || (t->parent->type != QN_DOCUMENT && t->parent->type != QN_SECTION))
		return false;
	const qnode *head = t->first;
	if (head && head->type == QN_CAPTION)
		head = head->next;
	if (!head || !head->first || !head->first->next || !head->next
	    || !header_names(head->first, qc_question_words, 'q', tmp)
	    || !header_names(head->first->next, qc_answer_words, 'a', tmp))
		return false;
	for (const qnode *r = head->next; r; r = r->next)
		if (!r->first || !r->first->first || !r->first->next || !r->first->next->first)
			return false;
	return true;
}

int qrefine_qa_tables(qdoc *doc)
{
	int made = 0;
	qbuf tmp = QBUF_INIT;
	nodes tables = collect(doc, QN_TABLE, qa_table, &tmp);
	for (int i = 0; i < tables.n; i++) {
		qnode *t = tables.v[i];
		keep_table_caption(doc, t, &tmp);   /* the header is the cards' shape */
		for (qnode *r = first_data_row(t); r; r = r->next, made++)
			qnode_insert_before(t, row_card(doc, t, r, "qa-table", false, &tmp));
		qnode_unlink(t);
	}
	qbuf_free(&tmp);
	free(tables.v);
	return made;
}

static bool opens_with_paragraph(const qnode *q, qbuf *tmp)
{
	return q->first && q->first->type == QN_PARAGRAPH;
}

/* A box that states (a definition, a theorem): the mark of lecture notes. */
static bool stating_box(const qnode *c, qbuf *tmp)
{
	(void)tmp;
	return statement_kind(c)
	       || (c->u.callout.labelled && c->u.callout.kind
		   && (!strcmp(c->u.callout.kind, "definition") || !strcmp(c->u.callout.kind, "theorem")));
}

int qrefine_tasks(qdoc *doc)
{
	qbuf tmp = QBUF_INIT;
	int made = task_cards(doc, &tmp);
	qbuf_free(&tmp);
	return made;
}

int qrefine_callouts(qdoc *doc)
{
	int made = 0;
	qbuf tmp = QBUF_INIT;
	nodes quotes = collect(doc, QN_QUOTE, opens_with_paragraph, &tmp);
	for (int i = 0; i < quotes.n; i++)
		make_callout(doc, quotes.v[i]);
	make_boxes(doc, &quotes, &tmp);
	for (int i = 0; i < quotes.n; i++)   /* inner callouts made first */
		if (question_callout(quotes.v[i])) {
			callout_card(doc, quotes.v[i], &tmp);
			made++;
		}
	/* A task box with its answer is a card; in lecture notes that box
	 * their statements, only after the topics are read (qrefine_tasks),
	 * as their question boxes are, so that it does not count as a
	 * question that makes the notes question notes. */
	nodes statements = collect(doc, QN_CALLOUT, stating_box, &tmp);
	if (!statements.n)
		made += task_cards(doc, &tmp);
	free(statements.v);
	qbuf_free(&tmp);
	free(quotes.v);
	return made;
}

/* ----------------------------------------------------------- footnotes */

static qnode *find_note(const nodes *notes, const char *label, size_t n)
{
	for (int i = 0; i < notes->n; i++) {
		const char *l = notes->v[i]->u.footnote.label;
		if (strlen(l) == n && memcmp(l, label, n) == 0)
			return notes->v[i];
	}
	return NULL;
}

/* Is [^s] meant as a footnote reference, so that it is worth a warning
 * when nothing defines it? A number always is; in notes with footnotes,
 * any word (letters, digits, - and _) is. A regular expression's
 * [^a-z ] in prose is not. */
static bool looks_like_label(const char *s, size_t n, bool notes_have_footnotes)
{
	bool digits = n > 0 && n <= 64;
	bool word = digits;
	for (size_t i = 0; i < n && word; i++) {
		unsigned char c = (unsigned char)s[i];
		digits = digits && isdigit(c);
		word = c >= 0x80 || isalnum(c) || c == '-' || c == '_';
	}
	return digits || (word && notes_have_footnotes);
}

/* Numbers the footnotes in order of first reference and makes each
 * [^label] with a definition a QN_FOOTREF; [^label] without one stays as
 * written, with a warning, and so does a definition nothing refers to. */
void qrefine_footnotes(qdoc *doc, qdiags *d)
{
	nodes notes = {0};
	qiter it;
	qnode *n;
	qiter_init_of(&it, doc, QN_FOOTNOTE);
	while (qiter_next_of(&it, &n, QN_FOOTNOTE))
		keep(&notes, n);
	int number = 0;
	qiter_init(&it, doc->root);
	while (qiter_next_of(&it, &n, QN_TEXT)) {
		if (!n->parent)
			continue;
		const char *s = n->text;
		for (size_t i = 0; i + 3 < n->len; i++) {
			const char *open = memchr(s + i, '[', n->len - 3 - i);
			if (!open)
				break;
			i = (size_t)(open - s);
			if (s[i + 1] != '^')
				continue;
			const char *close = memchr(s + i + 2, ']', n->len - i - 2);
			if (!close)
				break;
			size_t llen = (size_t)(close - s - i - 2);
			qnode *note = find_note(&notes, s + i + 2, llen);
			if (!note) {
				if (looks_like_label(s + i + 2, llen, notes.n > 0))
					qdiag_add(d, QD_WARNING, n->line, 0, "footnote",
						  "footnote [^%.*s] is referred to but never defined: "
						  "it stays as written", (int)llen, s + i + 2);
				i = (size_t)(close - s);
				continue;
			}
			if (!note->u.footnote.number)
				note->u.footnote.number = ++number;
			note->u.footnote.referenced = true;
			qnode *ref = qnode_new(doc, QN_FOOTREF, n->line);
			char num[16];
			int k = snprintf(num, sizeof num, "%d", note->u.footnote.number);
			ref->text = qdoc_strdup(doc, num, (size_t)k);
			ref->len = (size_t)k;
			ref->u.footnote.number = note->u.footnote.number;
			ref->u.footnote.label = note->u.footnote.label;
			splice(doc, n, i, (size_t)(close - s) + 1, ref);
			break;   /* the walk goes on with the text after it */
		}
	}
	for (int i = 0; i < notes.n; i++)
		if (!notes.v[i]->u.footnote.number) {
			notes.v[i]->u.footnote.number = ++number;
			qdiag_add(d, QD_WARNING, notes.v[i]->line, 0, "footnote",
				  "footnote [^%s] is never referred to: it stays where it is written",
				  notes.v[i]->u.footnote.label);
		}
	free(notes.v);
}
