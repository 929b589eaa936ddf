/* previous.c - what the deck at the output path held before this build:
 * quire's notes (guid, id, mod, content hash, and for match.c their
 * fields and order) and quire's note types.
 *
 * Anki updates a note on import only when the incoming `mod` is newer, so
 * an unchanged note must keep its previous mod and a changed one must get
 * a newer one; the same for the notetype (templates, CSS, fields). The
 * file is opened read-only: collection.anki2 is read into memory (libzip)
 * and sqlite3_deserialize() opens it there, so nothing is written
 * anywhere. A file that is not a readable deck gives a warning and an
 * empty result.
 *
 * The file is not trusted (anyone may put a file where the deck goes):
 * only a regular file is read, at most QAPKG_PREV_MAX bytes, whose
 * collection unpacks to at most QAPKG_PREV_RATIO times that (a zip bomb
 * is refused before it is unpacked); `col` and `notes` must be plain
 * tables (no view, virtual table or computed column runs the file's own
 * SQL); views and triggers are switched off, values are at most
 * QAPKG_PREV_VALUE_MAX bytes, and the reading stops after a budget of
 * SQLite steps that grows with the file (enough for any real deck many
 * times over). Whatever the file holds, reading it ends soon and takes
 * memory in proportion to its size.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/fileio.h"
#include "../zip/zip.h"
#include "apkg.h"

void qapkg_prev_init(qapkg_prev *p)
{
	memset(p, 0, sizeof *p);
	qarena_init(&p->arena);
	qstrmap_init(&p->notes);
}

void qapkg_prev_free(qapkg_prev *p)
{
	free(p->order);
	qstrmap_free(&p->notes);
	qarena_free(&p->arena);
	memset(p, 0, sizeof *p);
}

static int prev_fail(sqlite3 *db, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: %s", what, db ? sqlite3_errmsg(db) : "cannot open");
	return -1;
}

static const char *col_text(qapkg_prev *p, sqlite3_stmt *st, int i, size_t *len)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	size_t n = (size_t)sqlite3_column_bytes(st, i);
	*len = t ? n : 0;
	return qarena_strndup(&p->arena, t ? (const char *)t : "", *len);
}

/* A quire note type in the previous deck: its mod, and whether it is the
 * same as this build's (json, or NULL: not compared) apart from mod, usn
 * and did. */
static int read_model(qapkg_prev_model *m, sqlite3 *db, long long id, const char *json,
		      char *err, size_t errlen)
{
	static const char sql[] =
		"SELECT json_extract(models, ?1 || '.mod'),"
		" json_remove(json_extract(models, ?1), '$.mod', '$.usn', '$.did')"
		"  IS json_remove(json(?2), '$.mod', '$.usn', '$.did')"
		" FROM col WHERE json_type(models, ?1) = 'object'";
	char path[64];
	snprintf(path, sizeof path, "$.\"%lld\"", id);
	sqlite3_stmt *st = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		prev_fail(db, "notetype", err, errlen);
		goto done;
	}
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, json ? json : "{}", -1, SQLITE_STATIC);
	int s = sqlite3_step(st);
	if (s == SQLITE_ROW) {
		m->found = true;
		m->mod = sqlite3_column_int64(st, 0);
		m->same = json && sqlite3_column_int(st, 1) == 1;
	} else if (s != SQLITE_DONE) {
		prev_fail(db, "notetype", err, errlen);
		goto done;
	}
	rc = 0;
done:
	sqlite3_finalize(st);
	return rc;
}

static int read_models(qapkg_prev *p, sqlite3 *db, const char *const *models, char *err,
		       size_t errlen)
{
	for (int i = 0; i < QAPKG_KINDS; i++)
		if (read_model(&p->models[i], db, qapkg_model_id((qapkg_kind)i),
			       models ? models[i] : NULL, err, errlen))
			return -1;
	return 0;
}

void qapkg_prev_text(const qapkg_prev_note *n, qapkg_prev_part part, qbuf *out)
{
	int i = part == QAPKG_PREV_QUESTION ? 0 : part == QAPKG_PREV_SECTION
		? qapkg_section_field(n->kind) : qapkg_body_field(n->kind);
	const char *f;
	size_t len;
	if (!qapkg_field(n->flds, n->flds_len, i, &f, &len))
		return;
	if (part == QAPKG_PREV_SECTION) {   /* its first line */
		for (size_t j = 0; j < len; j++) {
			if (len - j >= 5 && memcmp(f + j, "<br/>", 5) == 0) {
				len = j;
				break;
			}
			if (n->kind == QAPKG_LEGACY && len - j >= 19
			    && memcmp(f + j, "<span class=\"page\">", 19) == 0) {
				len = j;
				break;
			}
		}
	}
	qapkg_strip_html(f, len, out);
}

static qapkg_kind kind_of(long long mid)
{
	return mid == QAPKG_BASIC_ID ? QAPKG_BASIC : mid == QAPKG_CLOZE_ID ? QAPKG_CLOZE
									: QAPKG_LEGACY;
}

/* One row of read_notes: id, guid, mid, mod, flds, tags, due. */
static qapkg_prev_note *read_note(qapkg_prev *p, sqlite3_stmt *st)
{
	qapkg_prev_note *n = qarena_alloc(&p->arena, sizeof *n);
	memset(n, 0, sizeof *n);
	size_t glen;
	n->id = sqlite3_column_int64(st, 0);
	n->guid = col_text(p, st, 1, &glen);
	n->kind = kind_of(sqlite3_column_int64(st, 2));
	n->mod = sqlite3_column_int64(st, 3);
	n->flds = col_text(p, st, 4, &n->flds_len);
	const char *tags = (const char *)sqlite3_column_text(st, 5);
	n->hash = qapkg_content_hash(n->kind, n->flds, n->flds_len, tags ? tags : "");
	long long due = sqlite3_column_int64(st, 6);
	n->order = sqlite3_column_type(st, 6) == SQLITE_INTEGER && due >= 0 && due < 0x3FFFFFFF
		   ? (int)due : 0x3FFFFFFF;
	qstrmap_put(&p->notes, n->guid, glen, n);
	return n;
}

static int by_order(const void *a, const void *b)
{
	const qapkg_prev_note *x = *(const qapkg_prev_note *const *)a;
	const qapkg_prev_note *y = *(const qapkg_prev_note *const *)b;
	if (x->order != y->order)
		return (x->order > y->order) - (x->order < y->order);
	return (x->id > y->id) - (x->id < y->id);
}

/* quire's notes (those of its note types with a guid of a sane length),
 * in the order of the previous document (their cards' due). */
static int read_notes(qapkg_prev *p, sqlite3 *db, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, cap = 0;
	if (sqlite3_prepare_v2(db, "SELECT n.id, n.guid, n.mid, n.mod, n.flds, n.tags,"
			       " (SELECT min(c.due) FROM cards c WHERE c.nid = n.id) FROM notes n"
			       " WHERE n.mid IN (?1, ?2, ?3) AND length(n.guid) BETWEEN 1 AND ?4",
			       -1, &st, NULL) != SQLITE_OK) {
		prev_fail(db, "notes", err, errlen);
		goto done;
	}
	sqlite3_bind_int64(st, 1, QAPKG_LEGACY_ID);
	sqlite3_bind_int64(st, 2, QAPKG_BASIC_ID);
	sqlite3_bind_int64(st, 3, QAPKG_CLOZE_ID);
	sqlite3_bind_int(st, 4, QAPKG_PREV_GUID_MAX);
	int s;
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		if (p->nnotes == cap) {
			cap = cap ? 2 * cap : 256;
			p->order = qxrealloc(p->order, sizeof *p->order * (size_t)cap);
		}
		p->order[p->nnotes++] = read_note(p, st);
	}
	if (s != SQLITE_DONE) {
		prev_fail(db, "notes", err, errlen);
		goto done;
	}
	if (p->nnotes)
		qsort(p->order, (size_t)p->nnotes, sizeof *p->order, by_order);
	for (int i = 0; i < p->nnotes; i++)
		p->order[i]->order = i;
	rc = 0;
done:
	sqlite3_finalize(st);
	return rc;
}

/* `col`, `notes` and `cards` must be ordinary tables: a view (or a
 * virtual table, or a generated column) would run the file's own SQL on
 * every read. */
static int check_tables(sqlite3 *db, char *err, size_t errlen)
{
	static const char sql[] =
		"SELECT s.name, s.type = 'table' AND s.sql NOT LIKE 'CREATE VIRTUAL%'"
		" AND NOT EXISTS (SELECT 1 FROM pragma_table_xinfo(s.name) x WHERE x.hidden > 1)"
		" FROM sqlite_schema s WHERE s.name IN ('cards', 'col', 'notes') ORDER BY s.name";
	sqlite3_stmt *st = NULL;
	int found = 0, rc = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		prev_fail(db, "schema", err, errlen);
		goto done;
	}
	int s;
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		if (!sqlite3_column_int(st, 1)) {
			snprintf(err, errlen, "'%s' is not a plain table (a view, a virtual "
				 "table or computed columns)", sqlite3_column_text(st, 0));
			goto done;
		}
		found++;
	}
	if (s != SQLITE_DONE)
		prev_fail(db, "schema", err, errlen);
	else if (found != 3)
		snprintf(err, errlen, "not an Anki collection (no 'col', 'notes' and 'cards' tables)");
	else
		rc = 0;
done:
	sqlite3_finalize(st);
	return rc;
}

/* The progress handler: stop a statement that runs past the budget. */
static int over_budget(void *arg)
{
	long long *left = arg;
	return --*left < 0;
}

/* A connection fit for a file nobody vouches for: no schema SQL runs
 * with side effects, no view or trigger runs at all, values and
 * statements are bounded, and every statement shares one budget of
 * virtual machine steps (QAPKG_PREV_STEPS). */
static void harden(sqlite3 *db, long long *budget)
{
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, (int *)NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, (int *)NULL);
	sqlite3_limit(db, SQLITE_LIMIT_LENGTH, QAPKG_PREV_VALUE_MAX);
	sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 100000);
	sqlite3_limit(db, SQLITE_LIMIT_COLUMN, 200);
	sqlite3_limit(db, SQLITE_LIMIT_EXPR_DEPTH, 100);
	sqlite3_limit(db, SQLITE_LIMIT_COMPOUND_SELECT, 10);
	sqlite3_limit(db, SQLITE_LIMIT_VDBE_OP, 100000);
	sqlite3_limit(db, SQLITE_LIMIT_FUNCTION_ARG, 20);
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	sqlite3_limit(db, SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 100);
	sqlite3_limit(db, SQLITE_LIMIT_TRIGGER_DEPTH, 1);
	sqlite3_progress_handler(db, 1000, over_budget, budget);
}

int qapkg_prev_load_db(qapkg_prev *p, const void *bytes, size_t n, const char *const *models,
		       long long steps, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	int rc = -1;
	long long budget = steps / 1000 + 1;   /* the handler runs every 1000 steps */
	qapkg_sqlite_init();
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		prev_fail(db, "open", err, errlen);
		goto done;
	}
	harden(db, &budget);
	/* read-only over the caller's bytes: no copy, nothing written */
	if (sqlite3_deserialize(db, "main", (unsigned char *)bytes, (sqlite3_int64)n,
				(sqlite3_int64)n, SQLITE_DESERIALIZE_READONLY) != SQLITE_OK) {
		prev_fail(db, "open", err, errlen);
		goto done;
	}
	/* pages read where they are, not copied into a page cache */
	sqlite3_exec(db, "PRAGMA mmap_size=1073741824", NULL, NULL, NULL);
	if (check_tables(db, err, errlen) || read_models(p, db, models, err, errlen)
	    || read_notes(p, db, err, errlen))
		goto done;
	p->loaded = true;
	rc = 0;
done:
	if (rc && budget < 0)
		snprintf(err, errlen, "reading it took more than %lld SQLite steps", steps);
	sqlite3_close(db);
	if (rc) {   /* all or nothing */
		qapkg_prev_free(p);
		qapkg_prev_init(p);
	}
	return rc;
}

long long qapkg_prev_steps(size_t n)
{
	return QAPKG_PREV_STEPS_BASE + QAPKG_PREV_STEPS_PER_BYTE * (long long)n;
}

/* The unpacked collection may be at most this big: a zip bomb (a small
 * file that unpacks to gigabytes) is refused before it is unpacked. */
static size_t unpacked_max(size_t packed)
{
	size_t m = packed < QAPKG_PREV_MAX / QAPKG_PREV_RATIO ? packed * QAPKG_PREV_RATIO
							      : QAPKG_PREV_MAX;
	return m > QAPKG_PREV_FLOOR ? m : QAPKG_PREV_FLOOR;
}

int qapkg_prev_load_zip(qapkg_prev *p, const void *zip, size_t n,
			const char *const *models, char *err, size_t errlen)
{
	qbuf db = QBUF_INIT;
	size_t max = unpacked_max(n);
	int rc = qzip_read(zip, n, "collection.anki2", max, &db, err, errlen);
	if (rc == -2)   /* one limit, said once */
		snprintf(err, errlen, "its collection.anki2 unpacks to more than %zu bytes, the "
			 "limit for a file of its size (%d times the size, at least %zu MB, at "
			 "most %zu MB): a zip bomb?", max, QAPKG_PREV_RATIO,
			 QAPKG_PREV_FLOOR >> 20, QAPKG_PREV_MAX >> 20);
	if (rc == 0)
		rc = qapkg_prev_load_db(p, db.ptr, db.len, models, qapkg_prev_steps(db.len),
					err, errlen);
	qbuf_free(&db);
	return rc ? -1 : 0;
}

int qapkg_prev_load(qapkg_prev *p, const char *path, const char *const *models,
		    char *err, size_t errlen)
{
	qbuf zip = QBUF_INIT;
	int rc = qfile_read_regular(path, &zip, QAPKG_PREV_MAX, err, errlen) == QF_OK ? 0 : -1;
	if (rc == 0)
		rc = qapkg_prev_load_zip(p, zip.ptr, zip.len, models, err, errlen);
	qbuf_free(&zip);
	return rc;
}
