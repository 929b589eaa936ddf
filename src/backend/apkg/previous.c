/* previous.c - what the deck at the output path held before this build:
 * guid -> (mod, content hash) of each quire note, and quire's notetype.
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
	qstrmap_free(&p->notes);
	qarena_free(&p->arena);
	memset(p, 0, sizeof *p);
}

static int prev_fail(sqlite3 *db, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: %s", what, db ? sqlite3_errmsg(db) : "cannot open");
	return -1;
}

/* quire's notetype in the previous deck: its mod, and whether it is the
 * same as ours apart from mod, usn and did. */
static int read_model(qapkg_prev *p, sqlite3 *db, const char *model_json,
		      char *err, size_t errlen)
{
	static const char sql[] =
		"SELECT json_extract(models, ?1 || '.mod'),"
		" json_remove(json_extract(models, ?1), '$.mod', '$.usn', '$.did')"
		"  IS json_remove(json(?2), '$.mod', '$.usn', '$.did')"
		" FROM col WHERE json_type(models, ?1) = 'object'";
	char path[64];
	snprintf(path, sizeof path, "$.\"%lld\"", QAPKG_MODEL_ID);
	sqlite3_stmt *st = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		prev_fail(db, "notetype", err, errlen);
		goto done;
	}
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, model_json, -1, SQLITE_STATIC);
	int s = sqlite3_step(st);
	if (s == SQLITE_ROW) {
		p->model_found = true;
		p->model_mod = sqlite3_column_int64(st, 0);
		p->model_same = sqlite3_column_int(st, 1) == 1;
	} else if (s != SQLITE_DONE) {
		prev_fail(db, "notetype", err, errlen);
		goto done;
	}
	rc = 0;
done:
	sqlite3_finalize(st);
	return rc;
}

static const char *col_text(qapkg_prev *p, sqlite3_stmt *st, int i, size_t *len)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	size_t n = (size_t)sqlite3_column_bytes(st, i);
	*len = t ? n : 0;
	return qarena_strndup(&p->arena, t ? (const char *)t : "", *len);
}

/* quire's notes (those of its notetype with a guid of a sane length). */
static int read_notes(qapkg_prev *p, sqlite3 *db, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(db, "SELECT guid, mod, flds, tags FROM notes"
			       " WHERE mid = ?1 AND length(guid) BETWEEN 1 AND ?2", -1, &st,
			       NULL) != SQLITE_OK) {
		prev_fail(db, "notes", err, errlen);
		goto done;
	}
	sqlite3_bind_int64(st, 1, QAPKG_MODEL_ID);
	sqlite3_bind_int(st, 2, QAPKG_PREV_GUID_MAX);
	int s;
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		qapkg_prev_note *n = qarena_alloc(&p->arena, sizeof *n);
		size_t glen;
		const char *guid = col_text(p, st, 0, &glen);
		const char *flds = (const char *)sqlite3_column_text(st, 2);
		size_t flen = (size_t)sqlite3_column_bytes(st, 2);
		const char *tags = (const char *)sqlite3_column_text(st, 3);
		n->mod = sqlite3_column_int64(st, 1);
		n->hash = qapkg_content_hash(flds ? flds : "", flds ? flen : 0,
					     tags ? tags : "");
		qstrmap_put(&p->notes, guid, glen, n);
	}
	if (s != SQLITE_DONE) {
		prev_fail(db, "notes", err, errlen);
		goto done;
	}
	rc = 0;
done:
	sqlite3_finalize(st);
	return rc;
}

/* `col` and `notes` must be ordinary tables: a view (or a virtual table,
 * or a generated column) would run the file's own SQL on every read. */
static int check_tables(sqlite3 *db, char *err, size_t errlen)
{
	static const char sql[] =
		"SELECT s.name, s.type = 'table' AND s.sql NOT LIKE 'CREATE VIRTUAL%'"
		" AND NOT EXISTS (SELECT 1 FROM pragma_table_xinfo(s.name) x WHERE x.hidden > 1)"
		" FROM sqlite_schema s WHERE s.name IN ('col', 'notes') ORDER BY s.name";
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
	else if (found != 2)
		snprintf(err, errlen, "not an Anki collection (no 'col' and 'notes' tables)");
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

int qapkg_prev_load_db(qapkg_prev *p, const void *bytes, size_t n, const char *model_json,
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
	if (check_tables(db, err, errlen) || read_model(p, db, model_json, err, errlen)
	    || read_notes(p, db, err, errlen))
		goto done;
	p->loaded = true;
	rc = 0;
done:
	if (rc && budget < 0)
		snprintf(err, errlen, "reading it took more than %lld SQLite steps", steps);
	sqlite3_close(db);
	if (rc) {   /* all or nothing */
		qstrmap_free(&p->notes);
		qstrmap_init(&p->notes);
		p->model_found = p->model_same = false;
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

int qapkg_prev_load_zip(qapkg_prev *p, const void *zip, size_t n, const char *model_json,
			char *err, size_t errlen)
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
		rc = qapkg_prev_load_db(p, db.ptr, db.len, model_json, qapkg_prev_steps(db.len),
					err, errlen);
	qbuf_free(&db);
	return rc ? -1 : 0;
}

int qapkg_prev_load(qapkg_prev *p, const char *path, const char *model_json,
		    char *err, size_t errlen)
{
	qbuf zip = QBUF_INIT;
	int rc = qfile_read_regular(path, &zip, QAPKG_PREV_MAX, err, errlen) == QF_OK ? 0 : -1;
	if (rc == 0)
		rc = qapkg_prev_load_zip(p, zip.ptr, zip.len, model_json, err, errlen);
	qbuf_free(&zip);
	return rc;
}
