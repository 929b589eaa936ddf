/* diag.c - collected diagnostics and their `file:line:col:` printing. */
#include "diag.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"

void qdiags_init(qdiags *d, const char *file)
{
	memset(d, 0, sizeof *d);
	d->file = file;
}

void qdiags_free(qdiags *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].msg);
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
	for (size_t i = 0; i < d->nnames; i++)
		free(d->names[i]);
	free(d->names);
	d->names = NULL;
	d->nnames = 0;
}

/* The list's own copy of a file name (one per distinct name). */
static const char *intern_name(qdiags *d, const char *name)
{
	for (size_t i = 0; i < d->nnames; i++)
		if (strcmp(d->names[i], name) == 0)
			return d->names[i];
	size_t n = strlen(name) + 1;
	char *copy = qxmalloc(n);
	memcpy(copy, name, n);
	d->names = qxrealloc(d->names, (d->nnames + 1) * sizeof *d->names);
	d->names[d->nnames++] = copy;
	return copy;
}

/* The tally of kind (the last one when the table is full). */
static qdiag_tally *tally_of(qdiags *d, const char *kind)
{
	for (size_t i = 0; i < d->ntally; i++)
		if (strcmp(d->tally[i].kind, kind) == 0)
			return &d->tally[i];
	return &d->tally[d->ntally - 1];
}

/* Count one more of `kind`; returns the new count. */
static size_t tally_bump(qdiags *d, const char *kind)
{
	for (size_t i = 0; i < d->ntally; i++)
		if (strcmp(d->tally[i].kind, kind) == 0)
			return ++d->tally[i].count;
	if (d->ntally < sizeof d->tally / sizeof d->tally[0]) {
		d->tally[d->ntally++] = (qdiag_tally){kind, 1, 0, 0};
		return 1;
	}
	return 1;
}

static void add_entry(qdiags *d, const char *file, qsev sev, bool verbose, int line,
		      int col, const char *kind, const char *fmt, va_list ap)
{
	if (sev == QD_ERROR)
		d->errors++;
	else if (sev == QD_WARNING && !verbose)
		d->warnings++;
	else if (!verbose)
		d->notes++;
	tally_bump(d, kind);
	if (verbose && !d->keep_guesses) {
		d->suppressed++;
		return;
	}
	qdiag_tally *t = tally_of(d, kind);
	if (!verbose && sev != QD_ERROR) {
		if (d->max_per_kind && t->shown >= d->max_per_kind) {
			d->suppressed++;
			t->capped++;
			return;
		}
		t->shown++;
	}
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 32;
		d->v = qxrealloc(d->v, d->cap * sizeof *d->v);
	}
	qbuf b = QBUF_INIT;
	qbuf_vprintf(&b, fmt, ap);
	char *msg = qbuf_detach(&b, NULL);
	d->v[d->n] = (qdiag){file, line, col, sev, verbose, kind, msg, d->n};
	d->n++;
}

void qdiag_addv(qdiags *d, qsev sev, bool verbose, int line, int col,
		const char *kind, const char *fmt, va_list ap)
{
	add_entry(d, d->file, sev, verbose, line, col, kind, fmt, ap);
}

void qdiag_at(qdiags *d, const char *file, qsev sev, int line, const char *kind,
	      const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add_entry(d, file ? intern_name(d, file) : d->file, sev, false, line, 0, kind, fmt, ap);
	va_end(ap);
}

void qdiag_add(qdiags *d, qsev sev, int line, int col, const char *kind,
	       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	qdiag_addv(d, sev, false, line, col, kind, fmt, ap);
	va_end(ap);
}

void qdiag_guess(qdiags *d, int line, const char *kind, const char *fmt, ...)
{
	if (!d->keep_guesses) {
		tally_bump(d, kind);
		d->suppressed++;
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	qdiag_addv(d, QD_NOTE, true, line, 1, kind, fmt, ap);
	va_end(ap);
}

size_t qdiags_count(const qdiags *d, const char *kind)
{
	for (size_t i = 0; i < d->ntally; i++)
		if (strcmp(d->tally[i].kind, kind) == 0)
			return d->tally[i].count;
	return 0;
}

/* dst's tally of kind, made (empty) when missing; NULL when full. */
static qdiag_tally *tally_in(qdiags *d, const char *kind)
{
	for (size_t k = 0; k < d->ntally; k++)
		if (strcmp(d->tally[k].kind, kind) == 0)
			return &d->tally[k];
	if (d->ntally == sizeof d->tally / sizeof d->tally[0])
		return NULL;
	d->tally[d->ntally] = (qdiag_tally){kind, 0, 0, 0};
	return &d->tally[d->ntally++];
}

void qdiags_merge(qdiags *dst, qdiags *src)
{
	for (size_t i = 0; i < src->ntally; i++) {
		qdiag_tally *t = tally_in(dst, src->tally[i].kind);
		if (t) {
			t->count += src->tally[i].count;
			t->capped += src->tally[i].capped;
		}
	}
	for (size_t i = 0; i < src->n; i++) {
		qdiag *e = &src->v[i];
		qdiag_tally *t = tally_in(dst, e->kind);
		if (t && !e->verbose && e->sev != QD_ERROR) {   /* dst's cap holds */
			if (dst->max_per_kind && t->shown >= dst->max_per_kind) {
				t->capped++;
				dst->suppressed++;
				free(e->msg);
				continue;
			}
			t->shown++;
		}
		if (dst->n == dst->cap) {
			dst->cap = dst->cap ? dst->cap * 2 : 32;
			dst->v = qxrealloc(dst->v, dst->cap * sizeof *dst->v);
		}
		dst->v[dst->n] = *e;
		dst->v[dst->n].seq = dst->n;
		if (e->file && e->file != src->file)
			dst->v[dst->n].file = intern_name(dst, e->file);
		dst->n++;
	}
	dst->errors += src->errors;
	dst->warnings += src->warnings;
	dst->notes += src->notes;
	dst->suppressed += src->suppressed;
	free(src->v);
	src->v = NULL;
	src->n = src->cap = src->ntally = 0;
	src->errors = src->warnings = src->notes = src->suppressed = 0;
	for (size_t i = 0; i < src->nnames; i++)
		free(src->names[i]);
	free(src->names);
	src->names = NULL;
	src->nnames = 0;
}

static int by_line(const void *a, const void *b)
{
	const qdiag *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static const char *sev_name(qsev s)
{
	return s == QD_ERROR ? "error" : s == QD_WARNING ? "warning" : "note";
}

void qdiags_print(qdiags *d, FILE *f, bool show_verbose)
{
	/* qsort is not stable: ties are broken by order of addition */
	if (d->n)
		qsort(d->v, d->n, sizeof *d->v, by_line);
	qbuf file = QBUF_INIT, msg = QBUF_INIT;
	for (size_t i = 0; i < d->n; i++) {
		const qdiag *g = &d->v[i];
		if (g->verbose && !show_verbose)
			continue;
		/* names and messages quote the notes: shown, never obeyed */
		const char *name = g->file ? g->file : "quire";
		qbuf_reset(&file);
		qbuf_put_visible(&file, name, strlen(name));
		qbuf_reset(&msg);
		qbuf_put_visible(&msg, g->msg, strlen(g->msg));
		if (g->line > 0)
			fprintf(f, "%s:%d:%d: %s: %s [%s]\n", file.ptr, g->line,
				g->col > 0 ? g->col : 1, sev_name(g->sev), msg.ptr, g->kind);
		else
			fprintf(f, "%s: %s: %s [%s]\n", file.ptr, sev_name(g->sev), msg.ptr,
				g->kind);
	}
	qbuf_free(&file);
	qbuf_free(&msg);
	for (size_t i = 0; i < d->ntally; i++)
		if (d->tally[i].capped)
			fprintf(f, "%s: note: %zu more like the %zu above not shown (-v shows "
				"every one) [%s]\n", d->file ? d->file : "quire", d->tally[i].capped,
				d->tally[i].shown, d->tally[i].kind);
}
