/* collection.c - the Anki collection (SQLite, schema 11) of a deck, built
 * in memory and serialised to bytes.
 *
 * Tables and columns are exactly Anki's schema 11 (the legacy importer
 * reads rows by position). The `col` row carries the JSON of the
 * collection settings, the notetype, the decks and the deck options with
 * every key the current importer's serde needs (anki-apkg.md, section 1).
 * All values go through bound parameters; the SQL text is constant.
 * Nothing depends on the clock: times come from the job's epoch and the
 * notes, so two builds give the same bytes.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apkg.h"

static const char schema_sql[] =
	"CREATE TABLE col (id integer PRIMARY KEY, crt integer NOT NULL,"
	" mod integer NOT NULL, scm integer NOT NULL, ver integer NOT NULL,"
	" dty integer NOT NULL, usn integer NOT NULL, ls integer NOT NULL,"
	" conf text NOT NULL, models text NOT NULL, decks text NOT NULL,"
	" dconf text NOT NULL, tags text NOT NULL);"
	"CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL,"
	" mid integer NOT NULL, mod integer NOT NULL, usn integer NOT NULL,"
	" tags text NOT NULL, flds text NOT NULL, sfld integer NOT NULL,"
	" csum integer NOT NULL, flags integer NOT NULL, data text NOT NULL);"
	"CREATE TABLE cards (id integer PRIMARY KEY, nid integer NOT NULL,"
	" did integer NOT NULL, ord integer NOT NULL, mod integer NOT NULL,"
	" usn integer NOT NULL, type integer NOT NULL, queue integer NOT NULL,"
	" due integer NOT NULL, ivl integer NOT NULL, factor integer NOT NULL,"
	" reps integer NOT NULL, lapses integer NOT NULL, left integer NOT NULL,"
	" odue integer NOT NULL, odid integer NOT NULL, flags integer NOT NULL,"
	" data text NOT NULL);"
	"CREATE TABLE revlog (id integer PRIMARY KEY, cid integer NOT NULL,"
	" usn integer NOT NULL, ease integer NOT NULL, ivl integer NOT NULL,"
	" lastIvl integer NOT NULL, factor integer NOT NULL, time integer NOT NULL,"
	" type integer NOT NULL);"
	"CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL,"
	" type integer NOT NULL);";

/* Indexes are made after the rows are in: faster, same result. */
static const char index_sql[] =
	"CREATE INDEX ix_notes_usn ON notes (usn);"
	"CREATE INDEX ix_cards_usn ON cards (usn);"
	"CREATE INDEX ix_revlog_usn ON revlog (usn);"
	"CREATE INDEX ix_cards_nid ON cards (nid);"
	"CREATE INDEX ix_cards_sched ON cards (did, queue, due);"
	"CREATE INDEX ix_revlog_cid ON revlog (cid);"
	"CREATE INDEX ix_notes_csum ON notes (csum);";

/* ---- JSON ------------------------------------------------------------ */

static void json_cstr(qbuf *b, const char *s)
{
	qbuf_put_json_str(b, s, strlen(s));
}

/* The card template: the question, then the answer and where it came
 * from. tex2jax_ignore: notes are not TeX, so "\(" in prose stays text. */
static const char qfmt[] =
	"<div class=\"quire\"><div class=\"q tex2jax_ignore\">{{Question}}</div></div>";
static const char afmt[] =
	"<div class=\"quire\"><div class=\"q tex2jax_ignore\">{{Question}}</div>\n"
	"<hr id=\"answer\">\n"
	"<div class=\"a tex2jax_ignore\">{{Answer}}</div>\n"
	"{{#Source}}<div class=\"source\">{{Source}}</div>{{/Source}}</div>";

static const char latex_pre[] =
	"\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n"
	"\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n"
	"\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n";

static void model_fields(qbuf *b)
{
	static const char *const names[] = {"Question", "Answer", "Source"};
	qbuf_puts(b, "\"flds\":[");
	for (int i = 0; i < 3; i++) {
		qbuf_printf(b, "%s{\"name\":\"%s\",\"ord\":%d,\"sticky\":false,"
			    "\"rtl\":false,\"font\":\"Arial\",\"size\":20,\"media\":[],"
			    "\"description\":\"\",\"id\":%lld}", i ? "," : "", names[i],
			    i, QAPKG_MODEL_ID + 101 + i);
	}
	qbuf_puts(b, "]");
}

static void model_templates(qbuf *b)
{
	qbuf_puts(b, "\"tmpls\":[{\"name\":\"Recall\",\"ord\":0,\"qfmt\":");
	json_cstr(b, qfmt);
	qbuf_puts(b, ",\"afmt\":");
	json_cstr(b, afmt);
	qbuf_printf(b, ",\"bqfmt\":\"\",\"bafmt\":\"\",\"did\":null,\"bfont\":\"\","
		    "\"bsize\":0,\"id\":%lld}]", QAPKG_MODEL_ID + 201);
}

void qapkg_model_json(const qapkg *k, long long mod, qbuf *b)
{
	long long did = k->ndecks ? k->decks[0].id : 1;
	qbuf_printf(b, "{\"id\":%lld,\"name\":\"" QAPKG_MODEL_NAME "\",\"type\":0,"
		    "\"mod\":%lld,\"usn\":-1,\"sortf\":0,\"did\":%lld,",
		    QAPKG_MODEL_ID, mod, did);
	model_templates(b);
	qbuf_putc(b, ',');
	model_fields(b);
	qbuf_puts(b, ",\"css\":");
	json_cstr(b, k->css ? k->css : "");
	qbuf_puts(b, ",\"latexPre\":");
	json_cstr(b, latex_pre);
	qbuf_puts(b, ",\"latexPost\":\"\\\\end{document}\",\"latexsvg\":false,"
		  "\"req\":[[0,\"all\",[0]]],\"tags\":[],\"vers\":[]}");
}

static void deck_json(qbuf *b, long long id, const char *name, const char *desc,
		      long long mod)
{
	qbuf_printf(b, "\"%lld\":{\"id\":%lld,\"name\":", id, id);
	json_cstr(b, name);
	qbuf_puts(b, ",\"desc\":");
	json_cstr(b, desc);
	qbuf_printf(b, ",\"mod\":%lld,\"usn\":-1,\"collapsed\":false,"
		    "\"browserCollapsed\":false,\"dyn\":0,\"conf\":1,"
		    "\"extendNew\":0,\"extendRev\":0,\"newToday\":[0,0],"
		    "\"revToday\":[0,0],\"lrnToday\":[0,0],\"timeToday\":[0,0]}", mod);
}

static void decks_json(const qapkg *k, qbuf *b)
{
	long long mod = k->stamp;
	qbuf_putc(b, '{');
	deck_json(b, 1, "Default", "", mod);
	for (int i = 0; i < k->ndecks; i++) {
		qbuf_putc(b, ',');
		deck_json(b, k->decks[i].id, k->decks[i].name,
			  i == 0 ? "Made by quire from study notes." : "", mod);
	}
	qbuf_putc(b, '}');
}

static const char dconf_json[] =
	"{\"1\":{\"id\":1,\"mod\":0,\"name\":\"Default\",\"usn\":0,"
	"\"maxTaken\":60,\"autoplay\":true,\"timer\":0,\"replayq\":true,"
	"\"dyn\":false,"
	"\"new\":{\"bury\":true,\"delays\":[1,10],\"initialFactor\":2500,"
	"\"ints\":[1,4,7],\"order\":1,\"perDay\":20,\"separate\":true},"
	"\"rev\":{\"bury\":true,\"ease4\":1.3,\"fuzz\":0.05,\"ivlFct\":1,"
	"\"maxIvl\":36500,\"minSpace\":1,\"perDay\":200},"
	"\"lapse\":{\"delays\":[10],\"leechAction\":0,\"leechFails\":8,"
	"\"minInt\":1,\"mult\":0}}}";

static void conf_json(const qapkg *k, qbuf *b)
{
	qbuf_printf(b, "{\"activeDecks\":[1],\"addToCur\":true,\"collapseTime\":1200,"
		    "\"curDeck\":1,\"curModel\":\"%lld\",\"dueCounts\":true,"
		    "\"estTimes\":true,\"newBury\":true,\"newSpread\":0,"
		    "\"nextPos\":%d,\"sortBackwards\":false,\"sortType\":\"noteFld\","
		    "\"timeLim\":0}", QAPKG_MODEL_ID, k->nnotes + 1);
}

/* ---- SQLite ---------------------------------------------------------- */

typedef struct dbctx {
	sqlite3 *db;
	char *err;
	size_t errlen;
} dbctx;

static int db_fail(dbctx *c, const char *what)
{
	snprintf(c->err, c->errlen, "sqlite: %s: %s", what,
		 c->db ? sqlite3_errmsg(c->db) : "out of memory");
	return -1;
}

static int insert_col(dbctx *c, const qapkg *k)
{
	qbuf conf = QBUF_INIT, models = QBUF_INIT, decks = QBUF_INIT;
	conf_json(k, &conf);
	qbuf_printf(&models, "{\"%lld\":", QAPKG_MODEL_ID);
	qapkg_model_json(k, k->model_mod, &models);
	qbuf_putc(&models, '}');
	decks_json(k, &decks);
	long long epoch = k->stamp;
	sqlite3_stmt *st = NULL;
	int rc = -1;
	if (!qbuf_ok(&conf) || !qbuf_ok(&models) || !qbuf_ok(&decks))
		qoom();
	if (sqlite3_prepare_v2(c->db, "INSERT INTO col VALUES "
			       "(1,?,?,?,11,0,0,0,?,?,?,?,'{}')", -1, &st, NULL)) {
		db_fail(c, "col");
		goto done;
	}
	sqlite3_bind_int64(st, 1, epoch - epoch % 86400);
	sqlite3_bind_int64(st, 2, epoch * 1000);
	sqlite3_bind_int64(st, 3, epoch * 1000);
	sqlite3_bind_text(st, 4, conf.ptr, (int)conf.len, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, models.ptr, (int)models.len, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, decks.ptr, (int)decks.len, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, dconf_json, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(c, "col");
done:
	sqlite3_finalize(st);
	qbuf_free(&conf);
	qbuf_free(&models);
	qbuf_free(&decks);
	return rc;
}

static int insert_note(sqlite3_stmt *st, const qapkg_note *n)
{
	sqlite3_bind_int64(st, 1, n->id);
	sqlite3_bind_text(st, 2, n->guid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, QAPKG_MODEL_ID);
	sqlite3_bind_int64(st, 4, n->mod);
	sqlite3_bind_text(st, 5, n->tags, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, n->flds, (int)n->flds_len, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, n->sfld, (int)n->sfld_len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, n->csum);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int insert_card(sqlite3_stmt *st, const qapkg_note *n)
{
	sqlite3_bind_int64(st, 1, n->id);
	sqlite3_bind_int64(st, 2, n->id);
	sqlite3_bind_int64(st, 3, n->did);
	sqlite3_bind_int64(st, 4, n->mod);
	sqlite3_bind_int64(st, 5, n->due);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int by_id(const void *a, const void *b)
{
	long long x = (*(const qapkg_note *const *)a)->id;
	long long y = (*(const qapkg_note *const *)b)->id;
	return (x > y) - (x < y);
}

static int insert_rows(dbctx *c, const qapkg *k)
{
	const qapkg_note **order = NULL;
	sqlite3_stmt *note = NULL, *card = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(c->db, "INSERT INTO notes VALUES "
			       "(?1,?2,?3,?4,-1,?5,?6,?7,?8,0,'')", -1, &note, NULL)
	    || sqlite3_prepare_v2(c->db, "INSERT INTO cards VALUES "
				  "(?1,?2,?3,0,?4,-1,0,0,?5,0,0,0,0,0,0,0,0,'')",
				  -1, &card, NULL)) {
		db_fail(c, "prepare");
		goto done;
	}
	/* in id order: the b-trees are filled by appending, pages stay full */
	order = qxmalloc(sizeof *order * (size_t)(k->nnotes + 1));
	for (int j = 0; j < k->nnotes; j++)
		order[j] = &k->notes[j];
	qsort(order, (size_t)k->nnotes, sizeof *order, by_id);
	for (int j = 0; j < k->nnotes; j++)
		if (insert_note(note, order[j]) || insert_card(card, order[j])) {
			db_fail(c, "insert");
			goto done;
		}
	rc = 0;
done:
	free(order);
	sqlite3_finalize(note);
	sqlite3_finalize(card);
	return rc;
}

static int exec(dbctx *c, const char *sql)
{
	return sqlite3_exec(c->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : db_fail(c, sql);
}

/* The database file as bytes. */
static int serialise(dbctx *c, unsigned char **db, size_t *len)
{
	sqlite3_int64 size = 0;
	*db = sqlite3_serialize(c->db, "main", &size, 0);
	if (!*db)
		return db_fail(c, "serialize");
	*len = (size_t)size;
	return 0;
}

int qapkg_collection(const qapkg *k, unsigned char **db, size_t *len,
		     char *err, size_t errlen)
{
	dbctx c = {NULL, err, errlen};
	int rc = -1;
	*db = NULL;
	*len = 0;
	if (sqlite3_open_v2(":memory:", &c.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			    NULL) != SQLITE_OK) {
		db_fail(&c, "open");
		goto done;
	}
	if (exec(&c, "PRAGMA page_size=4096; PRAGMA journal_mode=OFF;"
		 " PRAGMA synchronous=OFF; PRAGMA temp_store=MEMORY;"
		 " PRAGMA encoding='UTF-8';")
	    || exec(&c, "BEGIN") || exec(&c, schema_sql) || insert_col(&c, k)
	    || insert_rows(&c, k) || exec(&c, index_sql) || exec(&c, "COMMIT")
	    || serialise(&c, db, len))
		goto done;
	rc = 0;
done:
	sqlite3_close(c.db);
	return rc;
}
