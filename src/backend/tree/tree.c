/* tree.c - the `-t tree` back end: the study model as indented text.
 *
 * One node per line, two spaces per level, the source line after the
 * node name; strings are quoted as in JSON. Golden tests compare this dump, so it is stable and shows
 * every field a back end may rely on.
 */
#include <stdbool.h>
#include <string.h>

#include "../../model/walk.h"
#include "../backend.h"

/* A quoted string, escaped as in JSON. */
static void put_quoted(qbuf *b, const char *s, size_t n)
{
	qbuf_put_json_str(b, s, n);
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

static void put_indent(qbuf *b, int depth)
{
	static const char spaces[] = "                                                                ";
	size_t n = 2 * (size_t)depth;
	while (n > sizeof spaces - 1) {
		qbuf_put(b, spaces, sizeof spaces - 1);
		n -= sizeof spaces - 1;
	}
	qbuf_put(b, spaces, n);
}

/* " name=value" with a number or a quoted string; nothing for NULL. */
static void put_num(qbuf *b, const char *name, long v)
{
	qbuf_puts(b, name);
	qbuf_put_int(b, v);
}

static void put_str(qbuf *b, const char *name, const char *v)
{
	if (!v)
		return;
	qbuf_puts(b, name);
	put_qstr(b, v);
}

static void put_section(qbuf *b, const qnode *n)
{
	put_num(b, " level=", n->u.section.level);
	qbuf_puts(b, n->u.section.bare ? " bare " : " ");
	put_qstr(b, n->u.section.plain);
	qbuf_puts(b, " #");
	qbuf_puts(b, n->u.section.anchor);
}

static void put_card(qbuf *b, const qnode *n)
{
	qbuf_puts(b, " #");
	qbuf_puts(b, n->u.card.anchor);
	put_str(b, " number=", n->u.card.number);
	put_str(b, " key=", n->u.card.key ? n->u.card.key : "");
	if (n->u.card.repeat)
		put_num(b, " repeat=", n->u.card.repeat);
	if (n->u.card.front_blocks)
		put_num(b, " front=", n->u.card.front_blocks);
	if (n->u.card.reversible)
		qbuf_puts(b, " reversible");
	for (int i = 0; i < n->u.card.ntags; i++)
		qbuf_printf(b, "%s%s", i ? "," : " tags=", n->u.card.tags[i]);
	if (n->u.card.topic)
		qbuf_puts(b, " topic");
}

static void put_block_attrs(qbuf *b, const qnode *n)
{
	switch (n->type) {
	case QN_HEADING:
		put_num(b, " level=", n->u.level);
		break;
	case QN_LIST:
		qbuf_puts(b, n->u.list.ordered ? " ordered" : " bullet");
		qbuf_puts(b, n->u.list.tight ? " tight" : "");
		if (n->u.list.ordered)
			put_num(b, " start=", n->u.list.start);
		break;
	case QN_CODE:
		qbuf_puts(b, " lang=");
		qbuf_puts(b, n->u.code.lang[0] ? n->u.code.lang : "-");
		qbuf_puts(b, n->u.code.guessed ? " guessed" : "");
		put_str(b, " caption=", n->u.code.caption);
		break;
	case QN_TABLE:
		put_num(b, " cols=", n->u.table.ncols);
		qbuf_puts(b, n->u.table.header ? " header" : "");
		qbuf_puts(b, n->u.table.guessed ? " guessed" : "");
		break;
	default:
		break;
	}
}

static void put_attrs(qbuf *b, const qnode *n)
{
	switch (n->type) {
	case QN_SECTION:
		put_section(b, n);
		break;
	case QN_CARD:
		put_card(b, n);
		break;
	case QN_LINK:
	case QN_IMAGE:
		put_str(b, " url=", n->u.link.url);
		if (n->u.link.title && n->u.link.title[0])
			put_str(b, " title=", n->u.link.title);
		break;
	case QN_TEXT:
	case QN_CODE_SPAN:
	case QN_HTML:
	case QN_MATH:
	case QN_MATH_BLOCK:
	case QN_FOOTREF:
		qbuf_putc(b, ' ');
		put_quoted(b, n->text, n->len);
		break;
	case QN_CLOZE:
		put_num(b, " c", n->u.cloze.number);
		put_str(b, " hint=", n->u.cloze.hint);
		break;
	case QN_MARK:
		if (n->u.cloze.deletion)
			qbuf_puts(b, " deletion");
		put_str(b, " hint=", n->u.cloze.hint);
		break;
	case QN_FOOTNOTE:
		put_num(b, " number=", n->u.footnote.number);
		put_str(b, " label=", n->u.footnote.label);
		break;
	case QN_CALLOUT:
		put_str(b, " kind=", n->u.callout.kind);
		break;
	default:
		put_block_attrs(b, n);
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

/* Dump the subtrees of root's children from `first` up to (not
 * including) `stop`, each one level below the document. */
static void dump_children(qbuf *b, const qnode *first, const qnode *stop)
{
	for (const qnode *c = first; c && c != stop; c = c->next) {
		qiter it;
		qnode *n;
		qiter_init(&it, (qnode *)c);
		while (qiter_next_of(&it, &n, QN_NONE)) {
			put_indent(b, it.depth + 1);
			qbuf_puts(b, qtype_name(n->type));
			qbuf_putc(b, ' ');
			qbuf_put_int(b, n->line);
			put_attrs(b, n);
			qbuf_putc(b, '\n');
			if (n->type == QN_CODE)
				put_code_lines(b, n, it.depth + 1);
		}
	}
}

/* Big documents are dumped in slices of top-level nodes on the pool and
 * the slices joined in order: the text is the same either way. */
#define SLICES 4

typedef struct slice {
	const qnode *first, *stop;
	qbuf out;
} slice;

static void dump_slice(void *arg, int worker, int i)
{
	(void)worker;
	slice *s = &((slice *)arg)[i];
	dump_children(&s->out, s->first, s->stop);
}

/* Cut the root's children into up to SLICES runs of about equal lines. */
static int cut_slices(const qdoc *doc, slice *sl)
{
	const qnode *root = doc->root;
	int last_line = root->last ? root->last->line : 0;
	int k = 0;
	sl[0].first = root->first;
	for (const qnode *c = root->first; c && k < SLICES - 1; c = c->next)
		if (c != sl[k].first && c->line >= (k + 1) * last_line / SLICES) {
			sl[k].stop = c;
			sl[++k].first = c;
		}
	sl[k].stop = NULL;
	return k + 1;
}

static qbstatus tree_write(const qjob *job, qoutputs *outs)
{
	qbuf *b = qoutputs_add(outs, "");
	put_header(b, job->doc);
	slice sl[SLICES];
	memset(sl, 0, sizeof sl);
	int n = job->doc->ncards > 4000 ? cut_slices(job->doc, sl) : 0;
	if (n < 2) {
		dump_children(b, job->doc->root->first, NULL);
		return QB_OK;
	}
	qpool_for(job->pool, n, dump_slice, sl);
	for (int i = 0; i < n; i++) {
		qbuf_put(b, sl[i].out.ptr, sl[i].out.len);
		qbuf_free(&sl[i].out);
	}
	return QB_OK;
}

const qbackend qbackend_tree = {
	.write = tree_write,
};
