/* apkg.c - the `-t apkg` back end: the study model as an Anki deck.
 *
 * One note per distinct question (notes.c), fields from the shared XHTML
 * writer (fields.c), decks and tags from the section path (decks.c), a
 * schema-11 collection built in memory (collection.c), zipped in memory
 * with a `media` map by libzip (backend/zip). The `mod` of notes and notetype comes
 * from the previous deck at the output path (previous.c), so that a
 * re-import updates exactly what changed. The notetype CSS is
 * styles/highlight.css (token colours shared with the EPUB) followed by
 * styles/cards.css (or --card-style).
 *
 * Threads: the program's pool (util/pool.h, job->pool). It makes the
 * fields of the notes while one of its threads reads the previous deck
 * and another opens the collection; later it deflates the collection in
 * pieces. Every task writes only its own results, so the bytes never
 * depend on the threads.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../model/walk.h"
#include "../../util/fileio.h"
#include "../zip/zip.h"
#include "apkg.h"

/* The back end's options, and what the notes say about them. */
static void options(qapkg *k)
{
	const qapkg_opts *o = qapkg_opts_of(k->job);
	const qdoc *doc = k->job->doc;
	k->reversed = o->reversed;
	k->tag_sections = o->tag_sections;
	k->highlight_clozes = o->cloze == QAPKG_CLOZE_HIGHLIGHT;
	k->note_clozes = o->cloze == QAPKG_CLOZE_AUTO && doc->flashcards;
	const char *src = doc->source && *doc->source && strcmp(doc->source, "-") != 0
			  ? doc->source : NULL;
	const char *slash = src ? strrchr(src, '/') : NULL;
	k->file = src ? (slash ? slash + 1 : src) : doc->stem && *doc->stem ? doc->stem : "notes";
	k->words = qw_for(doc->lang);
}

/* The document's footnotes by number (the first of a number wins). */
static void index_footnotes(qapkg *k)
{
	qiter it;
	qnode *n;
	qiter_init_of(&it, k->job->doc, QN_FOOTNOTE);
	while (qiter_next_of(&it, &n, QN_FOOTNOTE))
		if (n->u.footnote.number > k->maxfoot)
			k->maxfoot = n->u.footnote.number;
	if (!k->maxfoot)
		return;
	k->footnotes = qarena_alloc(&k->arena, ((size_t)k->maxfoot + 1) * sizeof *k->footnotes);
	qiter_init_of(&it, k->job->doc, QN_FOOTNOTE);
	while (qiter_next_of(&it, &n, QN_FOOTNOTE))
		if (n->u.footnote.number >= 1 && !k->footnotes[n->u.footnote.number])
			k->footnotes[n->u.footnote.number] = n;
}

void qapkg_init(qapkg *k, const qjob *job)
{
	memset(k, 0, sizeof *k);
	k->job = job;
	qarena_init(&k->arena);
	qstrmap_init(&k->deck_by_name);
	size_t ns = (size_t)(job->doc->nsections > 0 ? job->doc->nsections : 0) + 1;
	k->sec_deck = qarena_alloc(&k->arena, ns * sizeof *k->sec_deck);
	k->sec_tag = qarena_alloc(&k->arena, ns * sizeof *k->sec_tag);
	qstrmap_init(&k->media_by_path);
	/* formulas as \(...\): MathJax renders them on every Anki */
	k->xopts = (qx_opts){.external_only = true, .math = QX_MATH_TEX,
			     .words = k->words,
			     .image_src = qapkg_media_src, .image_ctx = k};
	index_footnotes(k);
	options(k);
}

void qapkg_free(qapkg *k)
{
	for (int i = 0; i < k->nfield_arenas; i++)
		qarena_free(&k->field_arenas[i]);
	free(k->field_arenas);
	free(k->decks);
	qstrmap_free(&k->deck_by_name);
	qapkg_media_free(k);
	qarena_free(&k->arena);
	memset(k, 0, sizeof *k);
}

long long qapkg_next_mod(long long epoch, long long prev)
{
	if (epoch > prev)
		return epoch;
	return prev < LLONG_MAX ? prev + 1 : prev;
}

/* Append a stylesheet file; '<' is written as the CSS escape "\3c " so
 * that no text in it can close Anki's <style> element. */
static int append_css(qbuf *css, const char *path, char *err, size_t errlen)
{
	qbuf raw = QBUF_INIT;
	int rc = qfile_read_style(path, &raw, err, errlen) == QF_OK ? 0 : -1;
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
		qdiag_at(job->diags, path, QD_WARNING, 0, "apkg-style",
			 "%s; code on the cards will not be coloured", err);
	const char *cards = qapkg_opts_of(job)->style_path;
	if (!cards) {
		snprintf(path, sizeof path, "%s/styles/cards.css", share);
		cards = path;
	}
	int rc = append_css(&css, cards, err, sizeof err);
	if (rc)
		qdiag_at(job->diags, cards, QD_ERROR, 0, "apkg-style",
			 "cannot read the card style: %s", err);
	k->css = qarena_strndup(&k->arena, css.ptr, css.len);
	qbuf_free(&css);
	return rc;
}

/* A note type keeps its mod unless its templates, CSS or fields changed. */
static void model_mods(qapkg *k, const qapkg_prev *prev)
{
	long long epoch = (long long)k->job->epoch;
	for (int i = 0; i < QAPKG_KINDS; i++) {
		const qapkg_prev_model *p = &prev->models[i];
		qapkg_model *m = &k->models[i];
		m->mod = !p->found ? epoch : p->same ? p->mod : qapkg_next_mod(epoch, p->mod);
	}
}

/* The JSON of each note type, without mod, to compare with the
 * previous deck's. */
static void model_jsons(qapkg *k, const char **out)
{
	qbuf b = QBUF_INIT;
	for (int i = 0; i < QAPKG_KINDS; i++) {
		qbuf_reset(&b);
		qapkg_model_json(k, (qapkg_kind)i, 0, &b);
		out[i] = k->models[i].json = qarena_strndup(&k->arena, b.ptr, b.len);
	}
	qbuf_free(&b);
}

/* Tasks on the pool beside the making of the fields: reading the
 * previous deck, and opening the collection (its schema needs nothing
 * from the notes). */
typedef struct prev_task {
	qtask t;
	qapkg_prev *prev;
	const char *path;
	const char *const *models;
	int rc;
	char err[256];
} prev_task;

static void read_previous(qtask *t, int worker)
{
	prev_task *r = (prev_task *)t;
	r->rc = qapkg_prev_load(r->prev, r->path, r->models, r->err, sizeof r->err);
}

typedef struct db_task {
	qtask t;
	qapkg_db *db;
	size_t hint;
} db_task;

static void open_db(qtask *t, int worker)
{
	db_task *o = (db_task *)t;
	o->db = qapkg_db_open(o->hint);
}

/* The notes, their fields made on the pool while the previous deck is
 * read and the collection opened; then their rows. */
static void build(qapkg *k, qpool *pool, qapkg_prev *prev, db_task *db)
{
	const char *path = qapkg_opts_of(k->job)->previous;
	const char *models[QAPKG_KINDS];
	model_jsons(k, models);
	prev_task r = {.t = {.run = read_previous}, .prev = prev, .path = path, .models = models};
	if (path)   /* the longest task: first */
		qpool_push(pool, &r.t);
	qpool_push(pool, &db->t);
	qapkg_group_notes(k);
	qapkg_media_collect(k);
	qapkg_make_fields(k, pool);
	if (path) {
		qpool_wait_task(pool, &r.t);
		if (r.rc)
			qdiag_add(k->job->diags, QD_WARNING, 0, 0, "apkg-previous",
				  "%s: not read as a previous deck (%s); every note gets "
				  "the build time as its modification time", path, r.err);
	}
	qapkg_identify(k, prev->loaded ? prev : NULL);
	model_mods(k, prev);
	k->stamp = 0;
	for (int i = 0; i < QAPKG_KINDS; i++)
		if (k->models[i].used && k->models[i].mod > k->stamp)
			k->stamp = k->models[i].mod;
	if (k->stamp == 0)
		k->stamp = (long long)k->job->epoch;
	for (int j = 0; j < k->nnotes; j++)
		if (k->notes[j].mod > k->stamp)
			k->stamp = k->notes[j].mod;
	qpool_wait_task(pool, &db->t);
	for (int j = 0; j < k->nnotes; j++)
		qapkg_db_note(db->db, &k->notes[k->by_id[j]]);
}

/* The collection, deflated on the pool, the media map and the images,
 * zipped. */
static int pack(const qapkg *k, qpool *pool, qapkg_db *c, qbuf *zip)
{
	char err[256];
	qbuf stream = QBUF_INIT, map = QBUF_INIT;
	const unsigned char *db = NULL;
	size_t n = 0;
	uint32_t crc = 0;
	int rc = qapkg_db_finish(c, k, &db, &n, err, sizeof err);
	if (rc == 0 && qzip_deflate_all(pool, db, n, &stream, &crc)) {
		snprintf(err, sizeof err, "zlib: cannot deflate the collection");
		rc = -1;
	}
	qzip_member *m = qxmalloc(((size_t)k->nmedia + 2) * sizeof *m);
	char (*names)[16] = qxmalloc(((size_t)k->nmedia + 1) * sizeof *names);
	if (rc == 0) {
		qapkg_media_map(k, &map);
		m[0] = (qzip_member){.name = "collection.anki2", .data = stream.ptr, .len = stream.len,
				     .how = QZIP_RAW, .usize = n, .crc = crc};
		m[1] = (qzip_member){.name = "media", .data = map.ptr, .len = map.len,
				     .how = QZIP_STORE};
		for (int i = 0; i < k->nmedia; i++) {
			snprintf(names[i], sizeof names[i], "%d", i);
			m[i + 2] = (qzip_member){.name = names[i], .data = k->media[i].data.ptr,
						 .len = k->media[i].data.len,
						 .how = k->media[i].svg ? QZIP_DEFLATE : QZIP_STORE};
		}
		rc = qzip_write(m, (size_t)k->nmedia + 2, k->stamp, zip, err, sizeof err);
	}
	if (rc)
		qdiag_add(k->job->diags, QD_ERROR, 0, 0, "apkg", "cannot make the Anki deck: %s",
			  err);
	free(m);
	free(names);
	qbuf_free(&map);
	qbuf_free(&stream);
	return rc;
}

static qbstatus apkg_write(const qjob *job, qoutputs *outs)
{
	qapkg k;
	qapkg_prev prev;
	qbuf zip = QBUF_INIT;
	/* room for the whole collection at once: about 1 KB a note */
	db_task db = {.t = {.run = open_db},
		      .hint = ((size_t)(job->doc->nkeys > 0 ? job->doc->nkeys : 0) + 64) << 10};
	qbstatus st = QB_FAILED;
	qapkg_sqlite_init();   /* here, before any thread may use SQLite */
	qpool *pool = job->pool;
	qapkg_init(&k, job);
	qapkg_prev_init(&prev);
	if (load_css(&k))
		goto done;
	qapkg_top_deck(&k);
	build(&k, pool, &prev, &db);
	if (k.nnotes == 0)
		qdiag_add(job->diags, QD_WARNING, 0, 0, "apkg-empty",
			  "no questions with answers and no clozes: the Anki deck has no notes");
	qapkg_report(&k, &prev);
	if (pack(&k, pool, db.db, &zip))
		goto done;
	qbuf *out = qoutputs_add(outs, "");
	*out = zip;           /* the list owns the bytes now */
	qbuf_init(&zip);
	st = QB_OK;
done:
	qpool_wait(pool);     /* first: its tasks use the rest */
	qapkg_db_close(db.db);
	qbuf_free(&zip);
	qapkg_prev_free(&prev);
	qapkg_free(&k);
	return st;
}

const qbackend qbackend_apkg = {
	.write = apkg_write,
};
