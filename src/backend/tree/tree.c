/* tree.c - the `-t tree` back end: the study model as indented text.
 *
 * One node per line, two spaces per level, the source line after the
 * node name; strings are quoted as in JSON. Golden tests compare this dump, so it is stable and shows
 * every field a back end may rely on.
 */
#include <string.h>

#include "../../model/walk.h"
#include "../backend.h"

/* A quoted string, escaped as in JSON. */
static void put_quoted(qbuf *b, const char *s, size_t n)
{
	qbuf_put_json_str(b, s, n);
}

/* A non-negative number without printf. */
static void put_int(qbuf *b, long v)
{
	char tmp[24];
	int n = 0;
	if (v < 0) {
		qbuf_putc(b, '-');
		v = -v;
	}
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		qbuf_putc(b, tmp[--n]);
}

static void put_qstr(qbuf *b, const char *s)
{
	put_quoted(b, s ? s : "", s ? strlen(s) : 0);
}

static void put_code_lines(qbuf *b, const qnode *n, int depth)
{
	const char *p = n->text, *end = n->text + n->len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		for (int i = 0; i < depth + 1; i++)
			qbuf_puts(b, "  ");
		qbuf_puts(b, "| ");
		qbuf_put(b, p, (size_t)(e - p));
		qbuf_putc(b, '\n');
		p = nl ? nl + 1 : end;
	}
}

static void put_attrs(qbuf *b, const qnode *n)
{
	switch (n->type) {
	case QN_SECTION:
		qbuf_printf(b, " level=%d%s ", n->u.section.level,
			    n->u.section.bare ? " bare" : "");
		put_qstr(b, n->u.section.plain);
		qbuf_printf(b, " #%s", n->u.section.anchor);
		break;
	case QN_CARD:
		qbuf_printf(b, " #%s", n->u.card.anchor);
		if (n->u.card.number) {
			qbuf_puts(b, " number=");
			put_qstr(b, n->u.card.number);
		}
		qbuf_puts(b, " key=");
		put_qstr(b, n->u.card.key);
		if (n->u.card.repeat)
			qbuf_printf(b, " repeat=%d", n->u.card.repeat);
		break;
	case QN_HEADING:
		qbuf_printf(b, " level=%d", n->u.level);
		break;
	case QN_LIST:
		qbuf_printf(b, " %s%s", n->u.list.ordered ? "ordered" : "bullet",
			    n->u.list.tight ? " tight" : "");
		if (n->u.list.ordered)
			qbuf_printf(b, " start=%d", n->u.list.start);
		break;
	case QN_CODE:
		qbuf_printf(b, " lang=%s%s", n->u.code.lang[0] ? n->u.code.lang : "-",
			    n->u.code.guessed ? " guessed" : "");
		if (n->u.code.caption) {
			qbuf_puts(b, " caption=");
			put_qstr(b, n->u.code.caption);
		}
		break;
	case QN_TABLE:
		qbuf_printf(b, " cols=%d%s%s", n->u.table.ncols,
			    n->u.table.header ? " header" : "",
			    n->u.table.guessed ? " guessed" : "");
		break;
	case QN_LINK:
	case QN_IMAGE:
		qbuf_puts(b, " url=");
		put_qstr(b, n->u.link.url);
		if (n->u.link.title && n->u.link.title[0]) {
			qbuf_puts(b, " title=");
			put_qstr(b, n->u.link.title);
		}
		break;
	case QN_TEXT:
	case QN_CODE_SPAN:
	case QN_HTML:
		qbuf_putc(b, ' ');
		put_quoted(b, n->text, n->len);
		break;
	default:
		break;
	}
}

static void put_header(qbuf *b, const qdoc *doc)
{
	qbuf_puts(b, "document title=");
	put_qstr(b, doc->title);
	qbuf_puts(b, " author=");
	put_qstr(b, doc->author);
	qbuf_printf(b, " lang=%s sections=%d cards=%d keys=%d\n", doc->lang,
		    doc->nsections, doc->ncards, doc->nkeys);
}

static qbstatus tree_write(const qjob *job, qoutputs *outs)
{
	qbuf *b = qoutputs_add(outs, "");
	qiter it;
	qnode *n;
	qiter_init(&it, job->doc->root);
	while (qiter_next(&it, &n) != QEV_DONE) {
		if (it.ev != QEV_ENTER)
			continue;
		if (n->type == QN_DOCUMENT) {
			put_header(b, job->doc);
			continue;
		}
		for (int i = 0; i < it.depth; i++)
			qbuf_put(b, "  ", 2);
		qbuf_puts(b, qtype_name(n->type));
		qbuf_putc(b, ' ');
		put_int(b, n->line);
		put_attrs(b, n);
		qbuf_putc(b, '\n');
		if (n->type == QN_CODE)
			put_code_lines(b, n, it.depth);
	}
	return qbuf_ok(b) ? QB_OK : QB_FAILED;
}

const qbackend qbackend_tree = {
	.name = "tree",
	.ext = "tree",
	.summary = "the study model as indented text (for tests and debugging)",
	.write = tree_write,
};
