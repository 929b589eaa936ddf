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
#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/pages.h"
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

/* The card templates. tex2jax_ignore: notes are not TeX, so "\(" in
 * prose stays text. Where a note comes from closes the back of a card:
 * its section path, then the place in the notes and the booklet page,
 * each in an element of its own (cards.css sets them apart). */
#define SOURCE_HTML \
	"<div class=\"source\">{{#Section}}<div class=\"section\">{{Section}}</div>{{/Section}}" \
	"<div class=\"where\">{{#Source}}<span class=\"line\">{{Source}}</span>{{/Source}}" \
	"{{#Booklet page}}<span class=\"page\">booklet p.&#160;{{Booklet page}}</span>" \
	"{{/Booklet page}}</div></div>"
#define CLOZE_SOURCE_HTML \
	"<div class=\"source\"><div class=\"where\">{{#Source}}<span class=\"line\">" \
	"{{Source}}</span>{{/Source}}{{#Booklet page}}<span class=\"page\">booklet p.&#160;" \
	"{{Booklet page}}</span>{{/Booklet page}}</div></div>"

typedef struct template {
	const char *name, *qfmt, *afmt;
} template;

static const template basic_templates[] = {
	{"Recall",
	 "<div class=\"quire\"><div class=\"q tex2jax_ignore\">{{Question}}</div></div>",
	 "<div class=\"quire\"><div class=\"q tex2jax_ignore\">{{Question}}</div>\n"
	 "<hr id=\"answer\">\n"
	 "<div class=\"a tex2jax_ignore\">{{Answer}}</div>\n" SOURCE_HTML "</div>"},
	{"Reverse",
	 "{{#Reverse}}<div class=\"quire reverse\"><div class=\"a tex2jax_ignore\">{{Answer}}"
	 "</div></div>{{/Reverse}}",
	 "<div class=\"quire reverse\"><div class=\"a tex2jax_ignore\">{{Answer}}</div>\n"
	 "<hr id=\"answer\">\n"
	 "<div class=\"q tex2jax_ignore\">{{Question}}</div>\n" SOURCE_HTML "</div>"},
};

static const template cloze_templates[] = {
	{"Cloze",
	 "<div class=\"quire\"><div class=\"cloze-text tex2jax_ignore\">{{cloze:Text}}</div></div>",
	 "<div class=\"quire\"><div class=\"cloze-text tex2jax_ignore\">{{cloze:Text}}</div>\n"
	 "{{#Extra}}<div class=\"extra\">{{Extra}}</div>{{/Extra}}\n" CLOZE_SOURCE_HTML "</div>"},
};

/* quire 0.1's, as it was: its notes stay on it. */
static const template legacy_templates[] = {
	{"Recall",
	 "<div class=\"quire\"><div class=\"q tex2jax_ignore\">{{Question}}</div></div>",
	 "<div class=\"quire\"><div class=\"q tex2jax_ignore\">{{Question}}</div>\n"
	 "<hr id=\"answer\">\n"
	 "<div class=\"a tex2jax_ignore\">{{Answer}}</div>\n"
	 "{{#Source}}<div class=\"source\">{{Source}}</div>{{/Source}}</div>"},
};

typedef struct model_shape {
	long long id;
	const char *name;
	int type;                    /* 0 standard, 1 cloze */
	const char *const *fields;
	int nfields;
	const template *tmpls;
	int ntmpls;
	const char *req;             /* "req" of a standard type */
} model_shape;

static const char *const basic_fields[] = {
	"Question", "Answer", "Section", "Source", "Booklet page", "Reverse",
};
static const char *const cloze_fields[] = {"Text", "Extra", "Source", "Booklet page"};
static const char *const legacy_fields[] = {"Question", "Answer", "Source"};

static const model_shape shapes[QAPKG_KINDS] = {
	[QAPKG_BASIC] = {QAPKG_BASIC_ID, "quire", 0, basic_fields, 6, basic_templates, 2,
			 "[[0,\"all\",[0]],[1,\"all\",[5,1]]]"},
	[QAPKG_CLOZE] = {QAPKG_CLOZE_ID, "quire cloze", 1, cloze_fields, 4, cloze_templates, 1,
			 NULL},
	[QAPKG_LEGACY] = {QAPKG_LEGACY_ID, "quire 0.1", 0, legacy_fields, 3, legacy_templates, 1,
			  "[[0,\"all\",[0]]]"},
};

long long qapkg_model_id(qapkg_kind kind)
{
	return shapes[kind].id;
}

static const char latex_pre[] =
	"\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n"
	"\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n"
	"\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n";

/* Fields and templates carry ids (id + 101.., id + 201..), so that Anki
 * matches them by id, not by name. */
static void model_fields(qbuf *b, const model_shape *m)
{
	qbuf_puts(b, "\"flds\":[");
	for (int i = 0; i < m->nfields; i++) {
		qbuf_printf(b, "%s{\"name\":", i ? "," : "");
		json_cstr(b, m->fields[i]);
		qbuf_printf(b, ",\"ord\":%d,\"sticky\":false,"
			    "\"rtl\":false,\"font\":\"Arial\",\"size\":20,\"media\":[],"
			    "\"description\":\"\",\"id\":%lld}", i, m->id + 101 + i);
	}
	qbuf_puts(b, "]");
}

static void model_templates(qbuf *b, const model_shape *m)
{
	qbuf_puts(b, "\"tmpls\":[");
	for (int i = 0; i < m->ntmpls; i++) {
		qbuf_printf(b, "%s{\"name\":", i ? "," : "");
		json_cstr(b, m->tmpls[i].name);
		qbuf_printf(b, ",\"ord\":%d,\"qfmt\":", i);
		json_cstr(b, m->tmpls[i].qfmt);
		qbuf_puts(b, ",\"afmt\":");
		json_cstr(b, m->tmpls[i].afmt);
		qbuf_printf(b, ",\"bqfmt\":\"\",\"bafmt\":\"\",\"did\":null,\"bfont\":\"\","
			    "\"bsize\":0,\"id\":%lld}", m->id + 201 + i);
	}
	qbuf_puts(b, "]");
}

void qapkg_model_json(const qapkg *k, qapkg_kind kind, long long mod, qbuf *b)
{
	const model_shape *m = &shapes[kind];
	long long did = k->ndecks ? k->decks[0].id : 1;
	qbuf_printf(b, "{\"id\":%lld,\"name\":", m->id);
	json_cstr(b, m->name);
	qbuf_printf(b, ",\"type\":%d,\"mod\":%lld,\"usn\":-1,\"sortf\":0,\"did\":%lld,",
		    m->type, mod, did);
	model_templates(b, m);
	qbuf_putc(b, ',');
	model_fields(b, m);
	qbuf_puts(b, ",\"css\":");
	json_cstr(b, k->css ? k->css : "");
	qbuf_puts(b, ",\"latexPre\":");
	json_cstr(b, latex_pre);
	qbuf_puts(b, ",\"latexPost\":\"\\\\end{document}\",\"latexsvg\":false,");
	if (m->req)
		qbuf_printf(b, "\"req\":%s,", m->req);
	qbuf_puts(b, "\"tags\":[],\"vers\":[]}");
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

/* The top deck's description (HTML, shown above its study button): the
 * notes' own description, and where the deck comes from. */
static void top_desc(const qapkg *k, qbuf *out)
{
	const char *d = k->job->doc->description;
	const char *made = qw_word(k->words, QW_MADE_BY);
	if (!d || !*d) {
		qx_text(out, made, strlen(made));
		return;
	}
	qbuf_puts(out, "<p>");
	qx_text(out, d, strlen(d));
	qbuf_puts(out, "</p><p>");
	qx_text(out, made, strlen(made));
	qbuf_puts(out, "</p>");
}

static void decks_json(const qapkg *k, qbuf *b)
{
	long long mod = k->stamp;
	qbuf desc = QBUF_INIT;
	top_desc(k, &desc);
	qbuf_putc(b, '{');
	deck_json(b, 1, "Default", "", mod);
	for (int i = 0; i < k->ndecks; i++) {
		qbuf_putc(b, ',');
		deck_json(b, k->decks[i].id, k->decks[i].name, i == 0 ? desc.ptr : "", mod);
	}
	qbuf_putc(b, '}');
	qbuf_free(&desc);
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
		    "\"timeLim\":0}", QAPKG_BASIC_ID, k->nnotes + 1);
}

/* ---- SQLite ---------------------------------------------------------- */

/* One connection, private to this build: no other thread or process
 * ever sees it, so no mutex, no journal, no sync, no locks to take.
 * It is a memdb database (sqlite3_deserialize of an empty buffer), so
 * the finished file is one buffer that sqlite3_serialize() hands over
 * without a copy. */
static const char pragmas_sql[] =
	"PRAGMA page_size=4096; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
	" PRAGMA locking_mode=EXCLUSIVE; PRAGMA temp_store=MEMORY;"
	" PRAGMA cache_size=-65536;";

static const char note_sql[] =
	"INSERT INTO notes VALUES (?1,?2,?3,?4,-1,?5,?6,?7,?8,0,'')";
static const char card_sql[] =
	"INSERT INTO cards VALUES (?1,?2,?3,?4,?5,-1,0,0,?6,0,0,0,0,0,0,0,0,'')";

/* SQLite keeps counts of its memory for sqlite3_status(), at the price of
 * a global mutex around every allocation; nothing here reads them. The
 * settings can only be made before SQLite starts (later it is refused,
 * harmlessly), so it is made once, before this back end first uses it;
 * in quire nothing else uses SQLite. */
/* SQLite's memory (SQLITE_CONFIG_MALLOC): its large blocks, the
 * collection's memdb buffer first, from util/pages.h, where huge pages
 * spare a page fault per 4 KB when the finished pages are copied in; the
 * rest from malloc. Each block keeps its size in front of it (xSize). */
#define SQL_BIG ((size_t)64 << 10)
#define SQL_HEAD 16

static size_t sql_size_of(void *p)
{
	size_t n;
	memcpy(&n, (unsigned char *)p - SQL_HEAD, sizeof n);
	return n;
}

static void *sql_malloc(int size)
{
	size_t n = size > 0 ? (size_t)size : 0;
	unsigned char *b = n + SQL_HEAD >= SQL_BIG ? qpages_take(n + SQL_HEAD)
						    : malloc(n + SQL_HEAD);
	if (!b)
		return NULL;
	memcpy(b, &n, sizeof n);
	return b + SQL_HEAD;
}

static void sql_free(void *p)
{
	if (!p)
		return;
	size_t n = sql_size_of(p);
	unsigned char *b = (unsigned char *)p - SQL_HEAD;
	if (n + SQL_HEAD >= SQL_BIG)
		qpages_give(b, n + SQL_HEAD);
	else
		free(b);
}

static void *sql_realloc(void *p, int size)
{
	size_t old = sql_size_of(p), n = size > 0 ? (size_t)size : 0;
	if (old + SQL_HEAD < SQL_BIG && n + SQL_HEAD < SQL_BIG) {
		unsigned char *b = realloc((unsigned char *)p - SQL_HEAD, n + SQL_HEAD);
		if (!b)
			return NULL;
		memcpy(b, &n, sizeof n);
		return b + SQL_HEAD;
	}
	void *q = sql_malloc(size);
	if (q) {
		memcpy(q, p, old < n ? old : n);
		sql_free(p);
	}
	return q;
}

static int sql_size(void *p)
{
	return (int)sql_size_of(p);
}

static int sql_roundup(int n)
{
	return n > INT_MAX - 7 ? n : (n + 7) & ~7;
}

static int sql_init(void *unused)
{
	(void)unused;
	return SQLITE_OK;
}

static void sql_shutdown(void *unused)
{
	(void)unused;
}

static const sqlite3_mem_methods sql_memory = {
	sql_malloc, sql_free, sql_realloc, sql_size, sql_roundup, sql_init, sql_shutdown, NULL,
};

static void sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MALLOC, &sql_memory);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_initialize();
}

void qapkg_sqlite_init(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, sqlite_setup);
}

struct qapkg_db {
	sqlite3 *db;
	sqlite3_stmt *note, *card;
	char err[256];
};

static int db_fail(qapkg_db *c, const char *what)
{
	snprintf(c->err, sizeof c->err, "sqlite: %.60s: %.150s", what,
		 c->db ? sqlite3_errmsg(c->db) : "out of memory");
	return -1;
}

static int exec(qapkg_db *c, const char *sql)
{
	return sqlite3_exec(c->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : db_fail(c, sql);
}

/* An empty memdb database, with room for `hint` bytes before it grows. */
static int open_memdb(qapkg_db *c, size_t hint)
{
	if (sqlite3_open_v2(":memory:", &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
			    | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		return db_fail(c, "open");
	unsigned char *mem = sqlite3_malloc64(hint);
	if (!mem)
		return db_fail(c, "open");
	/* memdb takes the buffer (and frees it) even when this fails */
	if (sqlite3_deserialize(c->db, "main", mem, 0, (sqlite3_int64)hint,
				SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE)
	    != SQLITE_OK)
		return db_fail(c, "open");
	return 0;
}

qapkg_db *qapkg_db_open(size_t hint)
{
	qapkg_db *c = qxmalloc(sizeof *c);
	memset(c, 0, sizeof *c);
	qapkg_sqlite_init();
	if (open_memdb(c, hint) || exec(c, pragmas_sql) || exec(c, "BEGIN")
	    || exec(c, schema_sql))
		return c;
	if (sqlite3_prepare_v3(c->db, note_sql, -1, SQLITE_PREPARE_PERSISTENT, &c->note, NULL)
	    || sqlite3_prepare_v3(c->db, card_sql, -1, SQLITE_PREPARE_PERSISTENT, &c->card,
				  NULL))
		db_fail(c, "prepare");
	return c;
}

void qapkg_db_close(qapkg_db *c)
{
	if (!c)
		return;
	sqlite3_finalize(c->note);
	sqlite3_finalize(c->card);
	sqlite3_close(c->db);
	free(c);
}

static int insert_col(qapkg_db *c, const qapkg *k)
{
	qbuf conf = QBUF_INIT, models = QBUF_INIT, decks = QBUF_INIT;
	conf_json(k, &conf);
	qbuf_putc(&models, '{');
	for (int i = 0; i < QAPKG_KINDS; i++) {
		if (!k->models[i].used)
			continue;
		qbuf_printf(&models, "%s\"%lld\":", models.len > 1 ? "," : "",
			    qapkg_model_id((qapkg_kind)i));
		qapkg_model_json(k, (qapkg_kind)i, k->models[i].mod, &models);
	}
	qbuf_putc(&models, '}');
	decks_json(k, &decks);
	long long epoch = k->stamp;
	sqlite3_stmt *st = NULL;
	int rc = -1;
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

/* One note and its cards, by the two statements made once; every
 * parameter is bound again each time, so none needs clearing. */
static int insert_note(qapkg_db *c, const qapkg_note *n)
{
	sqlite3_stmt *st = c->note;
	sqlite3_bind_int64(st, 1, n->id);
	sqlite3_bind_text(st, 2, n->guid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, qapkg_model_id(n->kind));
	sqlite3_bind_int64(st, 4, n->mod);
	sqlite3_bind_text(st, 5, n->tags, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, n->flds, (int)n->flds_len, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, n->sfld, (int)n->sfld_len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, n->csum);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	st = c->card;
	for (int o = 0; o < n->nords && rc == SQLITE_DONE; o++) {
		sqlite3_bind_int64(st, 1, n->card_ids[o]);
		sqlite3_bind_int64(st, 2, n->id);
		sqlite3_bind_int64(st, 3, n->did);
		sqlite3_bind_int(st, 4, n->ords[o]);
		sqlite3_bind_int64(st, 5, n->mod);
		sqlite3_bind_int64(st, 6, n->due);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
	}
	return rc == SQLITE_DONE ? 0 : -1;
}

void qapkg_db_note(qapkg_db *c, const qapkg_note *n)
{
	if (!c->err[0] && insert_note(c, n))
		db_fail(c, "insert");
}

/* The file as it is now: the memdb buffer itself, no copy. */
static int file_bytes(qapkg_db *c, const unsigned char **db, size_t *len)
{
	sqlite3_int64 size = 0;
	*db = sqlite3_serialize(c->db, "main", &size, SQLITE_SERIALIZE_NOCOPY);
	if (!*db)
		return db_fail(c, "serialize");
	*len = (size_t)size;
	return 0;
}

int qapkg_db_finish(qapkg_db *c, const qapkg *k, const unsigned char **db, size_t *len,
		    char *err, size_t errlen)
{
	*db = NULL;
	*len = 0;
	/* the rows and the col row in one transaction, the indexes in
	 * another: faster than indexes kept up to date row by row */
	int rc = c->err[0] ? -1 : 0;
	if (rc == 0 && (insert_col(c, k) || exec(c, "COMMIT") || exec(c, "BEGIN")
			|| exec(c, index_sql) || exec(c, "COMMIT") || file_bytes(c, db, len)))
		rc = -1;
	if (rc)
		snprintf(err, errlen, "%s", c->err);
	return rc;
}
