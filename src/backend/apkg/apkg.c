/* apkg.c - the `-t apkg` back end: the study model as an Anki deck.
 *
 * One note per distinct question (notes.c), fields from the shared XHTML
 * writer (fields.c), decks and tags from the section path (decks.c), a
 * schema-11 collection built in memory (collection.c), zipped in memory
 * with a `media` map (zipout.c). The `mod` of notes and notetype comes
 * from the previous deck at the output path (previous.c), so that a
 * re-import updates exactly what changed. The notetype CSS is
 * styles/highlight.css (token colours shared with the EPUB) followed by
 * styles/cards.css (or --card-style).
 *
 * Threads: the previous deck is read while the notes are made, and the
 * fields of many notes and the deflating of the collection are shared
 * among one thread per processor (qapkg_parallel). Every job writes only
 * its own results, so the bytes never depend on the threads.
 */
#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../model/walk.h"
#include "../../util/fileio.h"
#include "apkg.h"

#define STYLE_MAX ((size_t)4 << 20)

void qapkg_init(qapkg *k, const qjob *job)
{
	memset(k, 0, sizeof *k);
	k->job = job;
	qarena_init(&k->arena);
	qstrmap_init(&k->deck_by_name);
	size_t ns = (size_t)(job->doc->nsections > 0 ? job->doc->nsections : 0) + 1;
	k->sec_deck = qarena_alloc(&k->arena, ns * sizeof *k->sec_deck);
	k->sec_tag = qarena_alloc(&k->arena, ns * sizeof *k->sec_tag);
}

void qapkg_free(qapkg *k)
{
	for (int i = 0; i < k->nfield_arenas; i++)
		qarena_free(&k->field_arenas[i]);
	free(k->field_arenas);
	free(k->decks);
	qstrmap_free(&k->deck_by_name);
	qarena_free(&k->arena);
	memset(k, 0, sizeof *k);
}

long long qapkg_next_mod(long long epoch, long long prev)
{
	if (epoch > prev)
		return epoch;
	return prev < LLONG_MAX ? prev + 1 : prev;
}

int qapkg_workers(int njobs)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int n = cpus > 0 ? (int)cpus : 1;
	if (n > QAPKG_MAX_WORKERS)
		n = QAPKG_MAX_WORKERS;
	if (n > njobs)
		n = njobs;
	return n > 1 ? n : 1;
}

typedef struct worker {
	void (*fn)(void *ctx, int worker, int job);
	void *ctx;
	int w, nw, njobs;
} worker;

static void *work(void *arg)
{
	const worker *wk = arg;
	for (int j = wk->w; j < wk->njobs; j += wk->nw)
		wk->fn(wk->ctx, wk->w, j);
	return NULL;
}

void qapkg_parallel(int njobs, int nw, void (*fn)(void *ctx, int worker, int job),
		    void *ctx)
{
	worker wk[QAPKG_MAX_WORKERS];
	pthread_t tid[QAPKG_MAX_WORKERS];
	bool started[QAPKG_MAX_WORKERS] = {false};
	if (nw < 1)
		nw = 1;
	if (nw > QAPKG_MAX_WORKERS)
		nw = QAPKG_MAX_WORKERS;
	for (int w = 0; w < nw; w++)
		wk[w] = (worker){fn, ctx, w, nw, njobs};
	for (int w = 1; w < nw; w++)
		started[w] = pthread_create(&tid[w], NULL, work, &wk[w]) == 0;
	work(&wk[0]);
	for (int w = 1; w < nw; w++) {
		if (started[w])
			pthread_join(tid[w], NULL);
		else
			work(&wk[w]);   /* no thread: its share is done here */
	}
}

/* Append a stylesheet file; '<' is written as the CSS escape "\3c " so
 * that no text in it can close Anki's <style> element. */
static int append_css(qbuf *css, const char *path, char *err, size_t errlen)
{
	qbuf raw = QBUF_INIT;
	int rc = qfile_read(path, &raw, STYLE_MAX, err, errlen) == QF_OK ? 0 : -1;
	for (size_t i = 0; rc == 0 && i < raw.len; i++) {
		if (raw.ptr[i] == '<')
			qbuf_puts(css, "\\3c ");
		else if (raw.ptr[i] != '\0')
			qbuf_putc(css, raw.ptr[i]);
	}
	if (rc == 0 && css->len && css->ptr[css->len - 1] != '\n')
		qbuf_putc(css, '\n');
	qbuf_free(&raw);
	return rc;
}

static int load_css(qapkg *k)
{
	const qjob *job = k->job;
	const char *share = job->share ? job->share : ".";
	char path[PATH_MAX], err[256];
	qbuf css = QBUF_INIT;
	snprintf(path, sizeof path, "%s/styles/highlight.css", share);
	if (append_css(&css, path, err, sizeof err))
		qdiag_add(job->diags, QD_WARNING, 0, 0, "apkg-style",
			  "%s: %s; code on the cards will not be coloured", path, err);
	const char *cards = job->apkg ? job->apkg->style_path : NULL;
	if (!cards) {
		snprintf(path, sizeof path, "%s/styles/cards.css", share);
		cards = path;
	}
	int rc = append_css(&css, cards, err, sizeof err);
	if (rc)
		qdiag_add(job->diags, QD_ERROR, 0, 0, "apkg-style",
			  "%s: cannot read the card style: %s", cards, err);
	if (!qbuf_ok(&css))
		qoom();
	k->css = qarena_strndup(&k->arena, css.ptr, css.len);
	qbuf_free(&css);
	return rc;
}

/* The notetype keeps its mod unless its templates, CSS or fields changed. */
static long long model_mod(const qjob *job, const qapkg_prev *prev)
{
	long long epoch = (long long)job->epoch;
	if (!prev->model_found)
		return epoch;
	return prev->model_same ? prev->model_mod : qapkg_next_mod(epoch, prev->model_mod);
}

/* Images are not packed into the deck: say so where they are. */
static void warn_images(const qapkg *k)
{
	const qdoc *doc = k->job->doc;
	for (int i = 0; i < doc->ncards; i++) {
		qiter it;
		qnode *n;
		qiter_init(&it, doc->cards[i]);
		while (qiter_next(&it, &n) != QEV_DONE)
			if (it.ev == QEV_ENTER && n->type == QN_IMAGE)
				qdiag_add(k->job->diags, QD_WARNING, n->line, 0, "apkg-image",
					  "image '%s' is not put into the Anki deck; the card "
					  "shows its description instead", n->u.link.url
					  ? n->u.link.url : "");
	}
}

/* How many notes Anki will update or add on re-import; said once. */
static void report_changes(const qapkg *k, const qapkg_prev *prev)
{
	if (!prev->loaded)
		return;
	int changed = 0, added = 0;
	for (int j = 0; j < k->nnotes; j++) {
		const qapkg_note *n = &k->notes[j];
		const qapkg_prev_note *p = qstrmap_get(&prev->notes, n->guid, strlen(n->guid));
		if (!p)
			added++;
		else if (p->mod != n->mod)
			changed++;
	}
	qdiag_add(k->job->diags, QD_NOTE, 0, 0, "apkg-changes",
		  "Anki deck: %d notes, %d changed and %d new since the previous "
		  "deck%s", k->nnotes, changed, added,
		  prev->model_found && !prev->model_same ? "; card style changed" : "");
}

/* Reading the previous deck runs beside the making of the fields. */
typedef struct prev_reader {
	qapkg_prev *prev;
	const char *path;
	const char *model;
	int rc;
	char err[256];
} prev_reader;

static void *read_previous(void *arg)
{
	prev_reader *r = arg;
	r->rc = qapkg_prev_load(r->prev, r->path, r->model, r->err, sizeof r->err);
	return NULL;
}

/* Build the notes while the previous deck is read, then their mods. */
static void build(qapkg *k, qapkg_prev *prev, const char *model)
{
	const char *path = k->job->apkg ? k->job->apkg->previous : NULL;
	prev_reader r = {prev, path, model, 0, ""};
	pthread_t tid;
	bool threaded = path && pthread_create(&tid, NULL, read_previous, &r) == 0;
	qapkg_build_notes(k);
	if (threaded)
		pthread_join(tid, NULL);
	else if (path)
		read_previous(&r);
	if (path && r.rc)
		qdiag_add(k->job->diags, QD_WARNING, 0, 0, "apkg-previous",
			  "%s: not read as a previous deck (%s); every note gets "
			  "the build time as its modification time", path, r.err);
	k->model_mod = model_mod(k->job, prev);
	qapkg_assign_mods(k, prev->loaded ? prev : NULL);
	k->stamp = k->model_mod;
	for (int j = 0; j < k->nnotes; j++)
		if (k->notes[j].mod > k->stamp)
			k->stamp = k->notes[j].mod;
}

static int pack(const qapkg *k, qbuf *zip)
{
	char err[256];
	unsigned char *db = NULL;
	size_t len = 0;
	int rc = qapkg_collection(k, &db, &len, err, sizeof err);
	if (rc == 0) {
		const qapkg_entry entries[] = {
			{"collection.anki2", db, len, true},
			{"media", "{}", 2, false},
		};
		rc = qapkg_zip(entries, 2, k->stamp, zip, err, sizeof err);
	}
	if (rc == 0 && !qbuf_ok(zip)) {
		snprintf(err, sizeof err, "out of memory");
		rc = -1;
	}
	if (rc)
		qdiag_add(k->job->diags, QD_ERROR, 0, 0, "apkg", "cannot make the Anki deck: %s",
			  err);
	sqlite3_free(db);
	return rc;
}

static qbstatus apkg_write(const qjob *job, qoutputs *outs)
{
	qapkg k;
	qapkg_prev prev;
	qbuf model = QBUF_INIT, zip = QBUF_INIT;
	qbstatus st = QB_FAILED;
	qapkg_init(&k, job);
	qapkg_prev_init(&prev);
	if (load_css(&k))
		goto done;
	qapkg_top_deck(&k);
	qapkg_model_json(&k, 0, &model);
	if (!qbuf_ok(&model))
		qoom();
	build(&k, &prev, model.ptr);
	warn_images(&k);
	if (k.nnotes == 0)
		qdiag_add(job->diags, QD_WARNING, 0, 0, "apkg-empty",
			  "no questions with answers: the Anki deck has no notes");
	report_changes(&k, &prev);
	if (pack(&k, &zip))
		goto done;
	qbuf *out = qoutputs_add(outs, "");
	*out = zip;           /* the list owns the bytes now */
	qbuf_init(&zip);
	st = QB_OK;
done:
	qbuf_free(&zip);
	qbuf_free(&model);
	qapkg_prev_free(&prev);
	qapkg_free(&k);
	return st;
}

const qbackend qbackend_apkg = {
	.name = "apkg",
	.ext = "apkg",
	.summary = "Anki deck: one note per distinct question",
	.write = apkg_write,
};
