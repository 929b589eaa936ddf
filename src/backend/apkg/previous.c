/* previous.c - what the deck at the output path held before this build:
 * guid -> (mod, content hash) of each quire note, and quire's notetype.
 *
 * Anki updates a note on import only when the incoming `mod` is newer, so
 * an unchanged note must keep its previous mod and a changed one must get
 * a newer one; the same for the notetype (templates, CSS, fields). The
 * file is opened read-only: collection.anki2 is read into memory (libzip) and
 * sqlite3_deserialize() opens it there, so nothing is written anywhere.
 * A file that is not a readable deck gives a warning and an empty result.
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

static int read_notes(qapkg_prev *p, sqlite3 *db, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(db, "SELECT guid, mod, flds, tags FROM notes"
			       " WHERE mid = ?1", -1, &st, NULL) != SQLITE_OK) {
		prev_fail(db, "notes", err, errlen);
		goto done;
	}
	sqlite3_bind_int64(st, 1, QAPKG_MODEL_ID);
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

/* What the bytes of a collection.anki2 hold (read in place, not kept).
 * 0 on success, else -1 with err. */
static int load_db(qapkg_prev *p, const void *bytes, size_t n,
		   const char *model_json, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	int rc = -1;
	qapkg_sqlite_init();
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		prev_fail(db, "open", err, errlen);
		goto done;
	}
	/* the file is not trusted: no side effects from its schema */
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
	/* read-only over the caller's bytes: no copy, nothing written */
	if (sqlite3_deserialize(db, "main", (unsigned char *)bytes, (sqlite3_int64)n,
				(sqlite3_int64)n, SQLITE_DESERIALIZE_READONLY) != SQLITE_OK) {
		prev_fail(db, "open", err, errlen);
		goto done;
	}
	/* pages read where they are, not copied into a page cache */
	sqlite3_exec(db, "PRAGMA mmap_size=1073741824", NULL, NULL, NULL);
	if (read_model(p, db, model_json, err, errlen) || read_notes(p, db, err, errlen))
		goto done;
	p->loaded = true;
	rc = 0;
done:
	sqlite3_close(db);
	if (rc) {   /* all or nothing */
		qstrmap_free(&p->notes);
		qstrmap_init(&p->notes);
		p->model_found = p->model_same = false;
	}
	return rc;
}

int qapkg_prev_load(qapkg_prev *p, const char *path, const char *model_json,
		    char *err, size_t errlen)
{
	qbuf zip = QBUF_INIT, db = QBUF_INIT;
	int rc = qfile_read(path, &zip, QAPKG_PREV_MAX, err, errlen) == QF_OK ? 0 : -1;
	if (rc == 0)
		rc = qzip_read(zip.ptr, zip.len, "collection.anki2", QAPKG_PREV_MAX, &db, err,
			       errlen);
	qbuf_free(&zip);
	if (rc == 0)
		rc = load_db(p, db.ptr, db.len, model_json, err, errlen);
	qbuf_free(&db);
	return rc;
}
