/* reader.c - the reader's pipeline: repair, lift, cmark, build, then the
 * document's title and indexes (see reader.h). */
#include "reader.h"

#include <cmark.h>
#include <string.h>

#include "../model/walk.h"
#include "build.h"
#include "classify.h"
#include "lift.h"
#include "repair.h"

static const char *file_stem(qdoc *doc, const char *path)
{
	if (!path || !*path || strcmp(path, "-") == 0)
		return "notes";
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	return qdoc_strdup(doc, base, n);
}

/* "python-fastapi-notes" -> "Python Fastapi Notes" */
static const char *title_from_stem(qdoc *doc, const char *stem)
{
	qbuf b = QBUF_INIT;
	bool start = true;
	for (const char *p = stem; *p; p++) {
		char c = (*p == '-' || *p == '_') ? ' ' : *p;
		if (start && c >= 'a' && c <= 'z')
			c -= 32;
		start = c == ' ';
		qbuf_putc(&b, c);
	}
	const char *t = qdoc_strdup(doc, b.ptr, b.len);
	qbuf_free(&b);
	return t;
}

/* A lone level-1 section at the very start is the document's title: its
 * content moves up one level. */
static bool promote_title(qdoc *doc, const char *wanted)
{
	qnode *root = doc->root, *first = root->first, *only = NULL;
	if (!first || first->type != QN_SECTION || first->u.section.level != 1)
		return false;
	for (qnode *n = root->first; n; n = n->next)
		if (n->type == QN_SECTION && n->u.section.level == 1) {
			if (only)
				return false;
			only = n;
		}
	if (wanted && strcmp(wanted, only->u.section.plain) != 0)
		return false;
	doc->title = only->u.section.plain;
	qnode *after = only->next;
	qnode *child = only->first->next;   /* after QN_TITLE */
	qnode_unlink(only);
	while (child) {
		qnode *next = child->next;
		qnode_unlink(child);
		if (after) {   /* insert before `after` */
			child->parent = root;
			child->next = after;
			child->prev = after->prev;
			if (after->prev)
				after->prev->next = child;
			else
				root->first = child;
			after->prev = child;
		} else {
			qnode_append(root, child);
		}
		child = next;
	}
	qiter it;
	qnode *n;
	qiter_init(&it, root);
	while (qiter_next(&it, &n) != QEV_DONE)
		if (it.ev == QEV_ENTER && n->type == QN_SECTION && n->u.section.level > 1)
			n->u.section.level--;
	return true;
}

static void set_meta(qdoc *doc, const qread_opts *o)
{
	doc->source = qdoc_strdup(doc, o->path ? o->path : "-", strlen(o->path ? o->path : "-"));
	doc->stem = file_stem(doc, o->path);
	bool promoted = promote_title(doc, o->title);
	if (o->title)
		doc->title = qdoc_strdup(doc, o->title, strlen(o->title));
	else if (!promoted)
		doc->title = title_from_stem(doc, doc->stem);
	if (o->author)
		doc->author = qdoc_strdup(doc, o->author, strlen(o->author));
	if (o->lang && *o->lang)
		doc->lang = qdoc_strdup(doc, o->lang, strlen(o->lang));
}

qdoc *qread(const char *data, size_t n, const qread_opts *o, qdiags *d)
{
	qbuf text = QBUF_INIT;
	if (qrepair(data, n, &text, d) != 0) {
		qbuf_free(&text);
		return NULL;
	}
	qlift lift;
	qlift_run(text.ptr, text.len, &lift, d);
	if (o->lifted)
		qbuf_put(o->lifted, lift.text.ptr, lift.text.len);
	cmark_node *root = cmark_parse_document(lift.text.ptr, lift.text.len, CMARK_OPT_DEFAULT);
	qdoc *doc = qdoc_new();
	if (root)
		qbuild(doc, root, &lift, d);
	cmark_node_free(root);
	qlift_free(&lift);
	qbuf_free(&text);
	set_meta(doc, o);
	qdoc_index(doc);
	if (!doc->root->first)
		qdiag_add(d, QD_WARNING, 0, 0, "empty",
			  "the notes are empty: the outputs have a title and nothing else");
	return doc;
}
