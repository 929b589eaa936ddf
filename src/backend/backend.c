/* backend.c - the table of back ends and the output list they fill. */
#include "backend.h"

#include <stdlib.h>
#include <string.h>

#include "../util/arena.h"

extern const qbackend qbackend_pdf;
extern const qbackend qbackend_epub;
extern const qbackend qbackend_apkg;
extern const qbackend qbackend_tree;

const qbackend *const qbackends[] = {
	&qbackend_pdf,
	&qbackend_epub,
	&qbackend_apkg,
	&qbackend_tree,
	NULL,
};

const qbackend *qbackend_find(const char *name)
{
	for (int i = 0; qbackends[i]; i++)
		if (strcmp(qbackends[i]->name, name) == 0)
			return qbackends[i];
	return NULL;
}

void qoutputs_init(qoutputs *o)
{
	o->v = NULL;
	o->n = o->cap = 0;
}

void qoutputs_free(qoutputs *o)
{
	for (int i = 0; i < o->n; i++) {
		free(o->v[i].suffix);
		qbuf_free(&o->v[i].data);
	}
	free(o->v);
	qoutputs_init(o);
}

qbuf *qoutputs_add(qoutputs *o, const char *suffix)
{
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 2;
		o->v = qxrealloc(o->v, (size_t)o->cap * sizeof *o->v);
	}
	qoutput *out = &o->v[o->n++];
	size_t n = strlen(suffix);
	out->suffix = qxmalloc(n + 1);
	memcpy(out->suffix, suffix, n + 1);
	qbuf_init(&out->data);
	return &out->data;
}
