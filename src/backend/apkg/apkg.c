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
 * Threads: one crew of helpers (crew.c) for the whole build. It makes
 * the fields of the notes, with the reading of the previous deck, the
 * identities of the notes and the opening of the collection as more jobs
 * among them; then it deflates the collection in pieces, most of them
 * while the indexes are being made. Every job writes only its own
 * results, so the bytes never depend on the threads.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../model/walk.h"
#include "../../util/fileio.h"
#include "apkg.h"


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

/* Jobs beside the making of the fields: reading the previous deck, and
 * opening the collection (its schema needs nothing from the notes). */
typedef struct prev_reader {
	qapkg_prev *prev;
	const char *path;
	const char *model;
	int rc;
	char err[256];
} prev_reader;

static void read_previous(void *arg)
{
	prev_reader *r = arg;
	r->rc = qapkg_prev_load(r->prev, r->path, r->model, r->err, sizeof r->err);
}

typedef struct db_opener {
	qapkg_db *db;
	size_t hint;
} db_opener;

static void open_db(void *arg)
{
	db_opener *o = arg;
	o->db = qapkg_db_open(o->hint);
}

/* The sink of the notes: each note's mod, then its rows. */
typedef struct row_writer {
	const qapkg *k;
	const qapkg_prev *prev;
	db_opener *db;
} row_writer;

static void write_rows(void *arg, qapkg_note *n)
{
	row_writer *w = arg;
	qapkg_note_mod(w->k, n, w->prev->loaded ? w->prev : NULL);
	qapkg_db_note(w->db->db, n);
}

/* Build the notes while the previous deck is read and the collection
 * opened; their rows go into the collection as they are ready. */
static void build(qapkg *k, qapkg_crew *crew, qapkg_prev *prev, const char *model,
		  db_opener *db)
{
	const char *path = qapkg_opts_of(k->job)->previous;
	prev_reader r = {prev, path, model, 0, ""};
	row_writer w = {k, prev, db};
	qapkg_sink sink = {write_rows, &w};
	qapkg_side sides[2];
	int nsides = 0;
	if (path)   /* the longest job: first */
		sides[nsides++] = (qapkg_side){read_previous, &r};
	sides[nsides++] = (qapkg_side){open_db, db};
	qapkg_build_notes(k, crew, sides, nsides, &sink);
	if (path && r.rc)
		qdiag_add(k->job->diags, QD_WARNING, 0, 0, "apkg-previous",
			  "%s: not read as a previous deck (%s); every note gets "
			  "the build time as its modification time", path, r.err);
	k->model_mod = model_mod(k->job, prev);
	k->stamp = k->model_mod;
	for (int j = 0; j < k->nnotes; j++)
		if (k->notes[j].mod > k->stamp)
			k->stamp = k->notes[j].mod;
}

/* Once the rows are in, no page but the first changes: making the
 * indexes only adds pages at the end, and page 1 holds the schema. So
 * the pages after it are deflated by the crew while the indexes are
 * made (in big pieces); the rest afterwards, in small pieces, so that
 * the workers end together. */
#define PAGE1 ((size_t)4096)
#define EARLY_PIECE ((size_t)64 << 10)
#define LATE_PIECE ((size_t)32 << 10)

/* The collection as a raw deflate stream of *n bytes with CRC *crc. */
static int deflate_collection(const qapkg *k, qapkg_crew *crew, qapkg_db *c, qbuf *stream,
			      size_t *n, uint32_t *crc, char *err, size_t errlen)
{
	const unsigned char *db;
	size_t n1 = 0;
	qbuf early = QBUF_INIT;
	qapkg_deflater *d = qapkg_deflater_new(crew);
	int rc = qapkg_db_rows_end(c, k, &db, &n1, err, errlen);
	bool ahead = rc == 0 && n1 > PAGE1;
	if (ahead) {   /* a copy: the database's own buffer moves as it grows */
		qbuf_put(&early, db + PAGE1, n1 - PAGE1);
		qapkg_deflater_add(d, (const unsigned char *)early.ptr, PAGE1, PAGE1, n1,
				   EARLY_PIECE);
	}
	if (rc == 0)
		rc = qapkg_db_indexes(c, &db, n, err, errlen);
	if (rc == 0 && ahead && (*n < n1 || memcmp(db + PAGE1, early.ptr, n1 - PAGE1) != 0)) {
		/* not expected: a table page changed after all; start again */
		qapkg_deflater_free(d);
		d = qapkg_deflater_new(crew);
		ahead = false;
	}
	if (rc == 0) {
		qapkg_deflater_add(d, db, 0, ahead ? n1 : 0, *n, LATE_PIECE);
		if (ahead)
			qapkg_deflater_add(d, db, 0, 0, PAGE1, LATE_PIECE);
		rc = qapkg_deflater_end(d, *n, stream, crc);
		if (rc)
			snprintf(err, errlen, "zlib: cannot deflate the collection");
	}
	qapkg_deflater_free(d);
	qbuf_free(&early);
	return rc;
}

static int pack(const qapkg *k, qapkg_crew *crew, qapkg_db *c, qbuf *zip)
{
	char err[256];
	qbuf stream = QBUF_INIT;
	size_t n = 0;
	uint32_t crc = 0;
	int rc = deflate_collection(k, crew, c, &stream, &n, &crc, err, sizeof err);
	if (rc == 0) {
		const qapkg_entry entries[] = {
			{"collection.anki2", stream.ptr, stream.len, true, n, crc},
			{"media", "{}", 2, false, 2, 0},
		};
		rc = qapkg_zip(entries, 2, k->stamp, zip, err, sizeof err);
	}
	if (rc)
		qdiag_add(k->job->diags, QD_ERROR, 0, 0, "apkg", "cannot make the Anki deck: %s",
			  err);
	qbuf_free(&stream);
	return rc;
}

static qbstatus apkg_write(const qjob *job, qoutputs *outs)
{
	qapkg k;
	qapkg_prev prev;
	qbuf model = QBUF_INIT, zip = QBUF_INIT;
	qapkg_crew *crew = NULL;
	/* room for the whole collection at once: about 1 KB a note */
	db_opener db = {NULL, ((size_t)(job->doc->nkeys > 0 ? job->doc->nkeys : 0) + 64) << 10};
	qbstatus st = QB_FAILED;
	qapkg_sqlite_init();   /* here, before any helper may use SQLite */
	crew = qapkg_crew_new(QAPKG_MAX_WORKERS);   /* helpers start meanwhile */
	qapkg_init(&k, job);
	qapkg_prev_init(&prev);
	if (load_css(&k))
		goto done;
	qapkg_top_deck(&k);
	qapkg_model_json(&k, 0, &model);
	build(&k, crew, &prev, model.ptr, &db);
	warn_images(&k);
	if (k.nnotes == 0)
		qdiag_add(job->diags, QD_WARNING, 0, 0, "apkg-empty",
			  "no questions with answers: the Anki deck has no notes");
	report_changes(&k, &prev);
	if (pack(&k, crew, db.db, &zip))
		goto done;
	qbuf *out = qoutputs_add(outs, "");
	*out = zip;           /* the list owns the bytes now */
	qbuf_init(&zip);
	st = QB_OK;
done:
	qapkg_crew_free(crew);
	qapkg_db_close(db.db);
	qbuf_free(&zip);
	qbuf_free(&model);
	qapkg_prev_free(&prev);
	qapkg_free(&k);
	return st;
}

const qbackend qbackend_apkg = {
	.write = apkg_write,
};
