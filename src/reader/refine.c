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
#include <string.h>

#include "../model/walk.h"
#include "../util/utf8.h"

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
		qnode *rest = i + l < n ? qnode_new_text(doc, QN_TEXT, t->line, s + i + l, n - i - l) : NULL;
		qnode *link = i ? qnode_new(doc, QN_LINK, t->line) : t;
		qbuf url = QBUF_INIT;
		if (www)
			qbuf_puts(&url, "http://");
		qbuf_put(&url, s + i, l);
		link->u.link.url = qdoc_strdup(doc, url.ptr, url.len);
		link->u.link.title = "";
		qbuf_free(&url);
		qnode *text = qnode_new_text(doc, QN_TEXT, t->line, s + i, l);
		qnode *after = t->next;
		if (link == t) {   /* the text node becomes the link */
			t->type = QN_LINK;
			t->text = "";
			t->len = 0;
		} else {
			t->len = i;
			t->text = qdoc_strdup(doc, s, i);
		}
		qnode_append(link, text);
		qnode *add[2] = {link == t ? NULL : link, rest};
		for (int k = 0; k < 2; k++) {
			if (!add[k])
				continue;
			if (after)
				qnode_insert_before(after, add[k]);
			else
				qnode_append(t->parent, add[k]);
		}
		return link == t;
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
		if ((memmem(n->text, n->len, "://", 3) || memmem(n->text, n->len, "www.", 4)
		     || memmem(n->text, n->len, "WWW.", 4)) && link_first_url(doc, n))
			in_link++;   /* the walk goes into the new link */
	}
}
