/* reader.c - TEMPORARY stub: replaced by the real reader. */
#include "reader.h"

qdoc *qread(const char *data, size_t n, const qread_opts *o, qdiags *d)
{
	(void)data; (void)n; (void)d;
	qdoc *doc = qdoc_new();
	doc->source = o->path;
	qdoc_index(doc);
	return doc;
}

void qlint(const qdoc *doc, qdiags *d) { (void)doc; (void)d; }
