/* test_apkg.c - the Anki back end on study models built by hand: the
 * written collection is opened with sqlite3 and checked for the schema,
 * the JSON keys Anki needs, note/card/deck counts, merging, guid and mod
 * stability across edits, field safety, odd models and determinism. */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "backend/apkg/apkg.h"
#include "backend/backend.h"
#include "backend/zip/zip.h"
#include "util/cpu.h"
#include "util/fileio.h"
#include "model/model.h"
#include "model/walk.h"
#include "fixture.h"
#include "testing.h"
#include "unzip.h"

extern const qbackend qbackend_apkg;

/* ---- building models --------------------------------------------- */






static qnode *table2(qdoc *d)
{
	static const qalign al[2] = {QALIGN_NONE, QALIGN_NONE};
	qnode *t = qnode_new(d, QN_TABLE, 1);
	t->u.table.ncols = 2;
	t->u.table.header = true;
	t->u.table.align = al;
	const char *cells[2][2] = {{"Tool", "Use"}, {"psycopg", "raw SQL"}};
	for (int r = 0; r < 2; r++) {
		qnode *row = qnode_new(d, QN_ROW, 1);
		for (int c = 0; c < 2; c++) {
			qnode *cell = qnode_new(d, QN_CELL, 1);
			qnode_append(cell, text_node(d, QN_TEXT, cells[r][c]));
			qnode_append(row, cell);
		}
		qnode_append(t, row);
	}
	return t;
}

/* The standard small notes: two sections, a repeat, code and a table.
 * variant: 0 as is; 1 one answer edited; 2 renumbered, reordered and a
 * question moved to the other section. */
static qdoc *sample(int variant)
{
	qdoc *d = qdoc_new();
	d->title = "Python Notes";
	d->stem = "notes";
	qnode *s1 = section(d, d->root, 1, "Basics");
	qnode *s2 = section(d, d->root, 1, "Advanced Topics");
	qnode *sub = section(d, s2, 1, "Concurrency");
	const char *gil = variant == 1 ? "A lock, edited." : "A lock in CPython.";
	if (variant == 2) {
		card(d, s1, "Q7.", "What is a list?", para(d, "A sequence."));
		card(d, s1, "Q9.", "What is the GIL?", para(d, gil));
		card(d, sub, "Q3.", "What is a decorator?",
		     code(d, "python", "@app.get(\"/\")\ndef f():\n    return 1\n"));
	} else {
		card(d, s1, "Q1.", "What is the GIL?", para(d, gil));
		card(d, s1, "Q2.", "What is a list?", para(d, "A sequence."));
		card(d, s1, "Q3.", "What is a decorator?",
		     code(d, "python", "@app.get(\"/\")\ndef f():\n    return 1\n"));
	}
	card(d, sub, "Q4.", "Compare threads and processes?", table2(d));
	card(d, sub, "Q5.", "What is the GIL?", para(d, "It serialises bytecode."));
	qdoc_index(d);
	return d;
}

/* ---- running the back end ------------------------------------------ */

typedef struct run {
	qbuf apkg;
	sqlite3 *db;
	qdiags diags;
	int status;
} run;

static void build_with(run *r, const qdoc *doc, long long epoch, const char *prev,
		       const int *pages, qapkg_opts o)
{
	o.previous = prev;
	int *p = calloc((size_t)doc->ncards + 1, sizeof *p);
	for (int i = 0; pages && i < doc->ncards; i++)
		p[i] = pages[i];
	qdiags_init(&r->diags, "notes.md");
	qjob job = {.doc = doc, .epoch = (time_t)epoch, .share = ".",
		    .diags = &r->diags, .card_pages = p, .opts = &o};
	qoutputs outs;
	qoutputs_init(&outs);
	r->status = qbackend_apkg.write(&job, &outs);
	qbuf_init(&r->apkg);
	r->db = NULL;
	if (r->status == QB_OK && outs.n == 1) {
		r->apkg = outs.v[0].data;
		qbuf_init(&outs.v[0].data);
		size_t n = 0;
		char *col = tzip_member(r->apkg.ptr, r->apkg.len, "collection.anki2", &n);
		if (col) {
			unsigned char *m = sqlite3_malloc64(n);
			memcpy(m, col, n);
			sqlite3_open(":memory:", &r->db);
			sqlite3_deserialize(r->db, "main", m, (sqlite3_int64)n, (sqlite3_int64)n,
					    SQLITE_DESERIALIZE_FREEONCLOSE);
		}
		free(col);
	}
	qoutputs_free(&outs);
	free(p);
}

static void build(run *r, const qdoc *doc, long long epoch, const char *prev,
		  const int *pages)
{
	build_with(r, doc, epoch, prev, pages, (qapkg_opts){0});
}

static void run_free(run *r)
{
	sqlite3_close(r->db);
	qbuf_free(&r->apkg);
	qdiags_free(&r->diags);
}

static long long q_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -999;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK
	    && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The first column of the first row as text (static buffer). */
static const char *q_text(sqlite3 *db, const char *sql)
{
	static char out[1 << 16];
	sqlite3_stmt *st;
	out[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK
	    && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, sizeof out, "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return out;
}

static char *write_temp(const qbuf *b)
{
	char *path = strdup("/tmp/test_apkg_XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0)
		return path;
	if (write(fd, b->ptr, b->len) != (ssize_t)b->len)
		path[0] = '\0';
	close(fd);
	return path;
}

/* ---- the tests ------------------------------------------------------- */

TEST(base91_matches_anki)
{
	char s[16];
	qapkg_base91(0, s);
	CHECK_STR(s, "a");
	qapkg_base91(90, s);
	CHECK_STR(s, "~");
	qapkg_base91(91, s);
	CHECK_STR(s, "ba");
	qapkg_base91(UINT64_MAX, s);   /* Python: base91(2**64-1) */
	CHECK_STR(s, "Rj&Z5m[>Zp");
	/* guid of a key: base91(int(sha256(b"quire:what is the gil")[:8])) */
	qapkg_guid("what is the gil", 0, s);
	CHECK_STR(s, "oNTR(sW&IG");
}

TEST(strip_and_checksum_match_anki)
{
	qbuf b = QBUF_INIT;
	const char *html = "What is <code>a &lt;b&gt; &amp; {&#123;</code>?<!-- x -->";
	qapkg_strip_html(html, strlen(html), &b);
	CHECK_STR(b.ptr, "What is a <b> & {{?");
	CHECK_INT(qapkg_field_checksum("", 0), 0xda39a3eeu);
	CHECK_INT(qapkg_field_checksum("abc", 3), 0xa9993e36u);
	qbuf_free(&b);
}

TEST(field_sanitiser)
{
	qbuf b = QBUF_INIT;
	const char *in = "a\x1f" "b{{Answer}}[sound:x.mp3]<script>alert(1)</script>"
			 "<a href=\"javascript:alert(1)\">x</a><p onclick=\"y\">z</p>"
			 "<pre class=\"code\" data-lang=\"py\"><code>ok</code></pre>\xff";
	qapkg_put_field(&b, in, strlen(in));
	CHECK(!strchr(b.ptr, '\x1f'));
	CHECK(!strstr(b.ptr, "{{"));
	CHECK(!strstr(b.ptr, "[sound:"));
	CHECK(!strstr(b.ptr, "<script"));
	CHECK(!strstr(b.ptr, "<a href=\"javascript"));
	CHECK(!strstr(b.ptr, "<p onclick"));
	CHECK(strstr(b.ptr, "<pre class=\"code\" data-lang=\"py\"><code>ok</code></pre>"));
	CHECK(strstr(b.ptr, "&lt;script&gt;") || strstr(b.ptr, "&lt;script>"));
	CHECK(strstr(b.ptr, "\xEF\xBF\xBD"));   /* the bad byte, visible */
	qbuf_free(&b);
}

/* Links: the scheme is read after decoding entities; only http, https,
 * mailto and fragments stay links; a title with '&' keeps its link;
 * Anki's syntax inside attributes is defused too. */
TEST(field_links_and_attributes)
{
	static const char *const kept[] = {
		"<a href=\"https://x.org/?a=1&amp;b=2\" title=\"Q&amp;A\">x</a>",
		"<a href=\"mailto:a@b.org\">m</a>",
		"<a href=\"#q-1\">f</a>",
		"<a href=\"HTTP://X.ORG\">u</a>",
	};
	static const char *const refused[] = {
		"<a href=\"&#x66;ile:///etc/passwd\">p</a>",
		"<a href=\"&#x73;mb://host/share\">s</a>",
		"<a href=\"jav&#x09;ascript:alert(1)\">j</a>",
		"<a href=\"&#106avascript:alert(1)\">j</a>",
		"<a href=\"java&Tab;script:alert(1)\">j</a>",
		"<a href=\" data:text/html,x\">d</a>",
		"<a href=\"vbscript:x\">v</a>",
		"<a href=\"file:///etc/passwd\">p</a>",
		"<img src=\"&#x6A;avascript:x\">",
		"<a href=\"&bogus;javascript:x\">b</a>",
	};
	qbuf b = QBUF_INIT;
	for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
		qbuf_reset(&b);
		qapkg_put_field(&b, kept[i], strlen(kept[i]));
		CHECK_STR(b.ptr, kept[i]);
	}
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		qbuf_reset(&b);
		qapkg_put_field(&b, refused[i], strlen(refused[i]));
		CHECK(strncmp(b.ptr, "&lt;", 4) == 0);
	}
	const char *t = "<a href=\"https://x.org\" title=\"{{Answer}} [sound:x.mp3]\">x</a>";
	qbuf_reset(&b);
	qapkg_put_field(&b, t, strlen(t));
	CHECK_STR(b.ptr, "<a href=\"https://x.org\" title=\"{&#123;Answer}} &#91;sound:x.mp3]\">x</a>");
	qbuf_free(&b);
}

TEST(deck_and_tag_components)
{
	qbuf b = QBUF_INIT;
	qapkg_deck_component(&b, " :Intro::Basics: ");
	CHECK_STR(b.ptr, "Intro:Basics");
	qbuf_reset(&b);
	qapkg_deck_component(&b, "  ");
	CHECK_STR(b.ptr, "Untitled");
	qbuf_reset(&b);
	qapkg_tag_component(&b, "Data Structures & \"Algos\"\xe3\x80\x80x");
	CHECK_STR(b.ptr, "Data_Structures_&_Algos_x");
	qbuf_free(&b);
}

static const char *const tables[][2] = {
	{"col", "id crt mod scm ver dty usn ls conf models decks dconf tags"},
	{"notes", "id guid mid mod usn tags flds sfld csum flags data"},
	{"cards", "id nid did ord mod usn type queue due ivl factor reps lapses "
		  "left odue odid flags data"},
	{"revlog", "id cid usn ease ivl lastIvl factor time type"},
	{"graves", "usn oid type"},
};

TEST(schema_11_exact_columns)
{
	qdoc *d = sample(0);
	run r;
	build(&r, d, 1700000000, NULL, NULL);
	CHECK_INT(r.status, QB_OK);
	CHECK(r.db);
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
		char sql[200];
		snprintf(sql, sizeof sql, "SELECT group_concat(name, ' ') FROM "
			 "(SELECT name FROM pragma_table_info('%s') ORDER BY cid)",
			 tables[t][0]);
		CHECK_STR(q_text(r.db, sql), tables[t][1]);
	}
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM col"), 1);
	CHECK_INT(q_int(r.db, "SELECT ver FROM col"), 11);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM sqlite_master WHERE type='index'"
			" AND name LIKE 'ix_%'"), 7);
	CHECK_STR(q_text(r.db, "PRAGMA integrity_check"), "ok");
	run_free(&r);
	qdoc_free(d);
}

/* Every key Anki's serde needs (anki-apkg.md section 1). */
static const char *const required[] = {
	"$.\"1577836800177\".id", "$.\"1577836800177\".name",
	"$.\"1577836800177\".type", "$.\"1577836800177\".mod",
	"$.\"1577836800177\".usn", "$.\"1577836800177\".sortf",
	"$.\"1577836800177\".did", "$.\"1577836800177\".tmpls[0].name",
	"$.\"1577836800177\".tmpls[0].qfmt", "$.\"1577836800177\".flds[5].name",
	"$.\"1577836800177\".tmpls[1].name", "$.\"1577836800177\".tmpls[1].afmt",
	"$.\"1577836800177\".flds[0].sticky", "$.\"1577836800177\".flds[0].rtl",
	"$.\"1577836800177\".flds[0].font", "$.\"1577836800177\".flds[0].size",
	"$.\"1577836800177\".css", NULL,
};
static const char *const deck_keys[] = {
	"id", "name", "usn", "lrnToday", "revToday", "newToday", "timeToday",
	"collapsed", "dyn", "conf", "desc", NULL,
};
static const char *const dconf_keys[] = {
	"id", "mod", "name", "usn", "maxTaken", "autoplay", "timer", "new",
	"rev", "lapse", "new.perDay", "rev.perDay", NULL,
};

TEST(json_keys_present)
{
	qdoc *d = sample(0);
	run r;
	build(&r, d, 1700000000, NULL, NULL);
	CHECK(r.db);
	char sql[400];
	for (int i = 0; required[i]; i++) {
		snprintf(sql, sizeof sql, "SELECT json_type(models, '%s') IS NOT NULL"
			 " FROM col", required[i]);
		CHECK_INT(q_int(r.db, sql), 1);
	}
	for (int i = 0; deck_keys[i]; i++) {
		snprintf(sql, sizeof sql, "SELECT count(*) FROM col, json_each(col.decks)"
			 " WHERE json_type(json_each.value, '$.%s') IS NULL", deck_keys[i]);
		CHECK_INT(q_int(r.db, sql), 0);
	}
	for (int i = 0; dconf_keys[i]; i++) {
		snprintf(sql, sizeof sql, "SELECT json_type(dconf, '$.\"1\".%s') IS NOT "
			 "NULL FROM col", dconf_keys[i]);
		CHECK_INT(q_int(r.db, sql), 1);
	}
	CHECK_STR(q_text(r.db, "SELECT json_type(decks, '$.\"1\".collapsed') FROM col"),
		  "false");
	CHECK_STR(q_text(r.db, "SELECT json_type(conf) FROM col"), "object");
	CHECK_STR(q_text(r.db, "SELECT tags FROM col"), "{}");
	run_free(&r);
	qdoc_free(d);
}

TEST(one_note_per_question_merged)
{
	qdoc *d = sample(0);
	run r;
	build(&r, d, 1700000000, NULL, NULL);
	CHECK(r.db);
	CHECK_INT(d->nkeys, 4);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM notes"), 4);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM cards"), 4);
	CHECK_INT(q_int(r.db, "SELECT count(DISTINCT guid) FROM notes"), 4);
	/* the GIL: both answers, each under its section's name */
	const char *f = q_text(r.db, "SELECT flds FROM notes WHERE sfld = 'What is the GIL?'");
	CHECK(strstr(f, "A lock in CPython."));
	CHECK(strstr(f, "It serialises bytecode."));
	CHECK(strstr(f, "<p class=\"variant-from\">Basics</p>"));
	CHECK(strstr(f, "<p class=\"variant-from\">Concurrency</p>"));
	CHECK_STR(q_text(r.db, "SELECT tags FROM notes WHERE sfld = 'What is the GIL?'"), "");
	/* both sections and both places in its own fields */
	f = q_text(r.db, "SELECT flds FROM notes WHERE sfld = 'What is the GIL?'");
	CHECK(strstr(f, "\x1f" "Basics<br/>Advanced Topics \xE2\x80\xBA Concurrency\x1f"));
	CHECK(strstr(f, "\x1f" "notes:7\x1f\x1f"));   /* both on line 7; no page */
	/* six fields, every note */
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM notes WHERE length(flds) - "
			"length(replace(flds, char(31), '')) != 5"), 0);
	/* due follows the notes' order */
	CHECK_STR(q_text(r.db, "SELECT group_concat(n.sfld, '|') FROM (SELECT n.sfld"
			 " FROM cards c JOIN notes n ON n.id = c.nid ORDER BY c.due) n"),
		  "What is the GIL?|What is a list?|What is a decorator?|"
		  "Compare threads and processes?");
	run_free(&r);
	qdoc_free(d);
}

TEST(decks_from_sections_with_parents)
{
	qdoc *d = sample(0);
	run r;
	build(&r, d, 1700000000, NULL, NULL);
	CHECK(r.db);
	CHECK_STR(q_text(r.db, "SELECT group_concat(json_extract(value, '$.name'), '|')"
			 " FROM col, json_each(col.decks)"),
		  "Default|Python Notes|Python Notes::Basics|Python Notes::Advanced Topics|"
		  "Python Notes::Advanced Topics::Concurrency");
	/* the decorator's card in Basics, the table's in Concurrency */
	CHECK_STR(q_text(r.db, "SELECT json_extract(c.decks, '$.\"' || cards.did || '\".name')"
			 " FROM cards JOIN notes n ON n.id = cards.nid, col c"
			 " WHERE n.sfld = 'Compare threads and processes?'"),
		  "Python Notes::Advanced Topics::Concurrency");
	/* ids: in range, every card's deck exists */
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM notes WHERE id < 1500000000000"
			" OR id >= 1600000000000"), 0);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM cards, col WHERE json_type(col.decks,"
			" '$.\"' || cards.did || '\"') IS NULL"), 0);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM notes WHERE mod != 1700000000"), 0);
	run_free(&r);
	qdoc_free(d);
}

TEST(card_html_code_and_table)
{
	qdoc *d = sample(0);
	run r;
	build(&r, d, 1700000000, NULL, NULL);
	CHECK(r.db);
	const char *f = q_text(r.db, "SELECT flds FROM notes WHERE sfld = 'What is a decorator?'");
	CHECK(strstr(f, "<pre class=\"code\" data-lang=\"python\"><code>"));
	CHECK(strstr(f, "<span class=\"dec\">"));
	CHECK(strstr(f, "\n"));
	f = q_text(r.db, "SELECT flds FROM notes WHERE sfld = 'Compare threads and processes?'");
	CHECK(strstr(f, "<table class=\"grid\">"));
	CHECK(strstr(f, "Advanced Topics \xE2\x80\xBA Concurrency"));
	const char *css = q_text(r.db, "SELECT json_extract(models, '$.\"1577836800177\".css') FROM col");
	CHECK(strstr(css, ".nightMode"));
	CHECK(strstr(css, "pre.code"));
	CHECK(strstr(css, "white-space: pre-wrap"));
	CHECK(strstr(css, "text-align: left"));
	CHECK(!strstr(css, "<"));
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM notes WHERE flds LIKE '%<script%'"), 0);
	run_free(&r);
	qdoc_free(d);
}

TEST(two_builds_byte_identical)
{
	qdoc *d = sample(0);
	run a, b;
	build(&a, d, 1700000000, NULL, NULL);
	build(&b, d, 1700000000, NULL, NULL);
	CHECK(a.apkg.len > 0);
	CHECK_INT(a.apkg.len, b.apkg.len);
	CHECK(memcmp(a.apkg.ptr, b.apkg.ptr, a.apkg.len) == 0);
	run_free(&a);
	run_free(&b);
	qdoc_free(d);
}

/* guid -> mod of every note, as "guid=mod;" sorted by guid. */
static const char *mods(sqlite3 *db)
{
	return q_text(db, "SELECT group_concat(guid || '=' || mod, ';') FROM "
		      "(SELECT guid, mod FROM notes ORDER BY guid)");
}

TEST(rebuild_keeps_mod_of_unchanged_notes)
{
	qdoc *d0 = sample(0), *d1 = sample(1);
	run a, same, edit;
	build(&a, d0, 1700000000, NULL, NULL);
	char *prev = write_temp(&a.apkg);
	CHECK(prev[0]);
	/* unchanged: the same bytes, even at a later build time */
	build(&same, d0, 1800000000, prev, NULL);
	CHECK_INT(same.status, QB_OK);
	CHECK(same.apkg.len == a.apkg.len
	      && memcmp(same.apkg.ptr, a.apkg.ptr, a.apkg.len) == 0);
	/* one answer edited: exactly that note newer */
	build(&edit, d1, 1800000000, prev, NULL);
	CHECK(edit.db);
	CHECK_STR(q_text(edit.db, "SELECT group_concat(sfld) FROM notes WHERE mod = 1800000000"),
		  "What is the GIL?");
	CHECK_INT(q_int(edit.db, "SELECT count(*) FROM notes WHERE mod = 1700000000"), 3);
	CHECK_INT(q_int(edit.db, "SELECT json_extract(models, '$.\"1577836800177\".mod') FROM col"),
		  1700000000);
	unlink(prev);
	free(prev);
	run_free(&a);
	run_free(&same);
	run_free(&edit);
	qdoc_free(d0);
	qdoc_free(d1);
}

TEST(changed_note_mod_always_increases)
{
	qdoc *d0 = sample(0), *d1 = sample(1);
	run a, b;
	build(&a, d0, 1700000000, NULL, NULL);
	char *prev = write_temp(&a.apkg);
	build(&b, d1, 1600000000, prev, NULL);   /* clock went back */
	CHECK(b.db);
	CHECK_INT(q_int(b.db, "SELECT mod FROM notes WHERE sfld = 'What is the GIL?'"),
		  1700000001);
	unlink(prev);
	free(prev);
	run_free(&a);
	run_free(&b);
	qdoc_free(d0);
	qdoc_free(d1);
}

TEST(guids_survive_renumber_reorder_move)
{
	qdoc *d0 = sample(0), *d2 = sample(2);
	run a, b;
	build(&a, d0, 1700000000, NULL, NULL);
	build(&b, d2, 1700000000, NULL, NULL);
	CHECK(a.db && b.db);
	const char *sql = "SELECT group_concat(guid || id, ',') FROM "
			  "(SELECT guid, id FROM notes ORDER BY guid)";
	char first[4096];
	snprintf(first, sizeof first, "%s", q_text(a.db, sql));
	CHECK_STR(q_text(b.db, sql), first);
	run_free(&a);
	run_free(&b);
	qdoc_free(d0);
	qdoc_free(d2);
}

TEST(booklet_page_does_not_count_as_change)
{
	qdoc *d = sample(0);
	int p1[5] = {3, 3, 4, 5, 6}, p2[5] = {4, 4, 5, 6, 7};
	run a, b;
	build(&a, d, 1700000000, NULL, p1);
	CHECK(a.db);
	CHECK(strstr(q_text(a.db, "SELECT flds FROM notes WHERE sfld = 'What is a list?'"),
		     ":7\x1f" "3\x1f"));
	char *prev = write_temp(&a.apkg);
	build(&b, d, 1800000000, prev, p2);
	CHECK(b.db);
	char before[4096];
	snprintf(before, sizeof before, "%s", mods(a.db));
	CHECK_STR(mods(b.db), before);
	CHECK(strstr(q_text(b.db, "SELECT flds FROM notes WHERE sfld = 'What is a list?'"),
		     ":7\x1f" "4\x1f"));
	/* pages unknown (no PDF this time): still no change */
	run c;
	build(&c, d, 1900000000, prev, NULL);
	CHECK(c.db);
	CHECK_STR(mods(c.db), before);
	CHECK_INT(q_int(c.db, "SELECT count(*) FROM notes WHERE flds NOT LIKE '%:7' || char(31, 31) || '%'"), 0);
	run_free(&c);
	unlink(prev);
	free(prev);
	run_free(&a);
	run_free(&b);
	qdoc_free(d);
}

TEST(bad_previous_deck_warns_and_goes_on)
{
	qdoc *d = sample(0);
	qbuf junk = QBUF_INIT;
	qbuf_puts(&junk, "this is not a zip file");
	char *prev = write_temp(&junk);
	run r;
	build(&r, d, 1700000000, prev, NULL);
	CHECK_INT(r.status, QB_OK);
	CHECK(r.db);
	CHECK_INT(qdiags_count(&r.diags, "apkg-previous"), 1);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM notes"), 4);
	unlink(prev);
	free(prev);
	qbuf_free(&junk);
	run_free(&r);
	qdoc_free(d);
}

TEST(hostile_text_stays_in_its_field)
{
	qdoc *d = qdoc_new();
	d->title = "T::";
	qnode *s = section(d, d->root, 1, "A::B \x01 <i>");
	qnode *html = text_node(d, QN_HTML, "<div onclick=\"x()\">hi</div><script>alert(1)</script>");
	card(d, s, NULL, "Why \x1f{{Answer}} </div><script>x</script>?", html);
	card(d, d->root, NULL, "What is [sound:a.mp3] here?", para(d, "{{#Source}}x{{/Source}}\x1f"));
	qdoc_index(d);
	run r;
	build(&r, d, 1700000000, NULL, NULL);
	CHECK(r.db);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM notes"), 2);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM notes WHERE length(flds) - "
			"length(replace(flds, char(31), '')) != 5"), 0);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM notes WHERE flds LIKE '%<script%'"
			" OR flds LIKE '%{{%' OR flds LIKE '%[sound:%' OR flds LIKE '%<div onclick%'"), 0);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM notes WHERE flds LIKE '%alert(1)%'"), 1);
	CHECK_STR(q_text(r.db, "SELECT group_concat(json_extract(value, '$.name'), '|')"
			 " FROM col, json_each(col.decks)"),
		  "Default|T|T::A:B  <i>");
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM notes WHERE tags LIKE '%  %'"
			" OR tags GLOB '*[\t\"]*'"), 0);
	run_free(&r);
	qdoc_free(d);
}

TEST(odd_models)
{
	/* empty document: a valid deck without notes */
	qdoc *e = qdoc_new();
	qdoc_index(e);
	run r;
	build(&r, e, 0, NULL, NULL);
	CHECK_INT(r.status, QB_OK);
	CHECK(r.db);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM notes"), 0);
	CHECK_INT(qdiags_count(&r.diags, "apkg-empty"), 1);
	run_free(&r);
	qdoc_free(e);
	/* deep sections, a root card, an emoji above U+FFFF, a long word */
	qdoc *d = qdoc_new();
	d->title = "";
	d->stem = "deep";
	qnode *p = d->root;
	for (int i = 0; i < QMODEL_MAX_DEPTH; i++)
		p = section(d, p, 1, "L");
	card(d, p, NULL, "Why \xF0\x9F\xA7\xB5?", para(d, "Because."));
	card(d, d->root, NULL, "What is at the root?", para(d, "A card."));
	card(d, d->root, NULL, "  ", para(d, "An answer to nothing."));
	qnode *img = qnode_new(d, QN_IMAGE, 9);
	img->u.link.url = "pic.png";
	img->u.link.title = "";
	qnode_append(img, text_node(d, QN_TEXT, "a diagram"));
	qnode *ip = qnode_new(d, QN_PARAGRAPH, 9);
	qnode_append(ip, img);
	card(d, d->root, NULL, "Where is the picture?", ip);
	qdoc_index(d);
	build(&r, d, 1700000000, NULL, NULL);
	CHECK(r.db);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM notes"), 4);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM col, json_each(col.decks)"),
		  QMODEL_MAX_DEPTH + 2);
	/* a question without text still has a front */
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM notes WHERE sfld = 'Question at line 7'"), 1);
	/* an image the reader did not find (it warned): its description on
	 * the card, and nothing in the deck's media */
	CHECK(strstr(q_text(r.db, "SELECT flds FROM notes WHERE sfld = 'Where is the picture?'"),
		     "<span class=\"img-alt\">a diagram</span>"));
	size_t none = 0;
	CHECK(!tzip_member(r.apkg.ptr, r.apkg.len, "0", &none));
	CHECK_STR(q_text(r.db, "SELECT tags FROM notes WHERE sfld = 'What is at the root?'"), "");
	CHECK_STR(q_text(r.db, "SELECT json_extract(c.decks, '$.\"' || cards.did || '\".name')"
			 " FROM cards JOIN notes n ON n.id = cards.nid, col c"
			 " WHERE n.sfld = 'What is at the root?'"), "deep");
	CHECK(strstr(q_text(r.db, "SELECT sfld FROM notes WHERE sfld LIKE 'Why%'"),
		     "\xF0\x9F\xA7\xB5"));
	run_free(&r);
	qdoc_free(d);
}

/* An image the reader found on the disk is one media file of the deck,
 * named after its content, however many cards show it; a file that is
 * not an image stays out with a warning. */
TEST(images_become_media)
{
	static const char png[] =
		"\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52"
		"\x00\x00\x00\x02\x00\x00\x00\x01\x08\x00\x00\x00\x00\xd1\x49\x20"
		"\x56\x00\x00\x00\x0b\x49\x44\x41\x54\x78\x9c\x63\x60\xf8\x0f\x00"
		"\x01\x02\x01\x00\x42\xbe\xbc\x68\x00\x00\x00\x00\x49\x45\x4e\x44"
		"\xae\x42\x60\x82";
	char dir[] = "/tmp/quire-media-XXXXXX";
	CHECK(mkdtemp(dir));
	char pic[64], bad[64];
	snprintf(pic, sizeof pic, "%s/pic.png", dir);
	snprintf(bad, sizeof bad, "%s/bad.png", dir);
	FILE *f = fopen(pic, "wb");
	CHECK(f && fwrite(png, 1, sizeof png - 1, f) == sizeof png - 1);
	fclose(f);
	f = fopen(bad, "wb");
	CHECK(f && fputs("not a picture", f) >= 0);
	fclose(f);
	qdoc *d = qdoc_new();
	d->title = "Pictures";
	d->stem = "pictures";
	const char *files[] = {pic, pic, bad};
	const char *qs[] = {"Where is the first?", "Where is the second?", "Where is the third?"};
	for (int i = 0; i < 3; i++) {
		qnode *img = qnode_new(d, QN_IMAGE, 3 + i);
		img->u.link.url = "pic.png";
		img->u.link.title = "";
		img->u.link.file = (char *)files[i];
		qnode_append(img, text_node(d, QN_TEXT, "a diagram"));
		qnode *ip = qnode_new(d, QN_PARAGRAPH, 3 + i);
		qnode_append(ip, img);
		card(d, d->root, NULL, qs[i], ip);
	}
	qdoc_index(d);
	run r;
	build(&r, d, 1700000000, NULL, NULL);
	CHECK(r.db);
	size_t n = 0;
	char *map = tzip_member(r.apkg.ptr, r.apkg.len, "media", &n);
	CHECK(map);
	char *one = tzip_member(r.apkg.ptr, r.apkg.len, "0", &n);
	CHECK(one && n == sizeof png - 1 && memcmp(one, png, n) == 0);
	size_t none = 0;
	CHECK(!tzip_member(r.apkg.ptr, r.apkg.len, "1", &none));
	const char *name = map ? strstr(map, "quire-") : NULL;
	CHECK(name && strncmp(map, "{\"0\":\"quire-", 12) == 0 && strstr(map, ".png\"}"));
	const char *f1 = q_text(r.db, "SELECT flds FROM notes WHERE sfld = 'Where is the first?'");
	CHECK(strstr(f1, "<img src=\"quire-") && strstr(f1, ".png\""));
	CHECK(strstr(q_text(r.db, "SELECT flds FROM notes WHERE sfld = 'Where is the third?'"),
		     "<span class=\"img-alt\">a diagram</span>"));
	CHECK_INT(qdiags_count(&r.diags, "image"), 1);
	free(map);
	free(one);
	run_free(&r);
	qdoc_free(d);
	remove(pic);
	remove(bad);
	rmdir(dir);
}

/* Enough notes for several field workers: each note still gets its own
 * answer, and the bytes do not depend on the threads. */
TEST(many_notes_in_parallel)
{
	qdoc *d = qdoc_new();
	d->title = "Many";
	qnode *s = section(d, d->root, 1, "All");
	char q[64], a[64];
	for (int i = 0; i < 1500; i++) {
		snprintf(q, sizeof q, "What is item %d?", i);
		snprintf(a, sizeof a, "Answer %d.", i);
		card(d, s, NULL, qdoc_strdup(d, q, strlen(q)), para(d, qdoc_strdup(d, a, strlen(a))));
	}
	qdoc_index(d);
	run r, r2;
	build(&r, d, 1700000000, NULL, NULL);
	build(&r2, d, 1700000000, NULL, NULL);
	CHECK(r.db);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM notes"), 1500);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM notes WHERE flds NOT LIKE '%<p>Answer '"
			" || substr(sfld, 14, length(sfld) - 14) || '.</p>%'"), 0);
	CHECK_INT(q_int(r.db, "SELECT min(due) = 1 AND max(due) = 1500 FROM cards"), 1);
	CHECK(r.apkg.len == r2.apkg.len && memcmp(r.apkg.ptr, r2.apkg.ptr, r.apkg.len) == 0);
	run_free(&r);
	run_free(&r2);
	qdoc_free(d);
}

TEST(top_deck_option)
{
	qdoc *d = sample(0);
	qapkg_opts ao = {.deck = "Lang::Py"};
	qdiags dg;
	qdiags_init(&dg, "x");
	qjob job = {.doc = d, .epoch = 1, .share = ".", .diags = &dg, .opts = &ao};
	qapkg k;
	qapkg_init(&k, &job);
	CHECK_STR(qapkg_top_deck(&k), "Lang::Py");
	qapkg_group_notes(&k);
	qapkg_make_fields(&k, NULL);
	qapkg_identify(&k, NULL);
	CHECK_STR(k.decks[0].name, "Lang");
	CHECK_STR(k.decks[1].name, "Lang::Py");
	qapkg_free(&k);
	qdiags_free(&dg);
	qdoc_free(d);
}


/* A previous deck whose collection was damaged after it was written: the
 * CRC says so, a warning says so, and the new deck is made anyway. */
TEST(damaged_previous_deck_warns_and_goes_on)
{
	qdoc *d = sample(0);
	run a, r;
	build(&a, d, 1700000000, NULL, NULL);
	CHECK(a.apkg.len > 200);
	qbuf bad = QBUF_INIT;
	qbuf_put(&bad, a.apkg.ptr, a.apkg.len);
	bad.ptr[120] ^= 0x5a;   /* inside the deflated collection */
	char *prev = write_temp(&bad);
	build(&r, d, 1700000100, prev, NULL);
	CHECK_INT(r.status, QB_OK);
	CHECK(r.db);
	CHECK_INT(qdiags_count(&r.diags, "apkg-previous"), 1);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM notes WHERE mod = 1700000100"), 4);
	unlink(prev);
	free(prev);
	qbuf_free(&bad);
	run_free(&a);
	run_free(&r);
	qdoc_free(d);
}

/* sfld has INTEGER affinity (Anki's schema): a sort field that reads as
 * a number is stored the way SQLite stores such a value. */
TEST(numeric_sort_fields_as_sqlite_stores_them)
{
	static const char *const qs[] = {"42", "3.5", " 7 ", "1e3", "12abc", "-0", "007"};
	const size_t nq = sizeof qs / sizeof qs[0];
	qdoc *d = qdoc_new();
	d->title = "Numbers";
	qnode *s = section(d, d->root, 1, "All");
	for (size_t i = 0; i < nq; i++) {
		char a[32];
		snprintf(a, sizeof a, "Answer %zu.", i);
		qnode *c = card(d, s, NULL, qs[i], para(d, qdoc_strdup(d, a, strlen(a))));
		c->u.card.key = qdoc_strdup(d, a, strlen(a));   /* keys ignore numbers */
	}
	qdoc_index(d);
	run r;
	build(&r, d, 1700000000, NULL, NULL);
	CHECK(r.db);
	CHECK_STR(q_text(r.db, "PRAGMA integrity_check"), "ok");
	sqlite3 *ref;
	sqlite3_open(":memory:", &ref);
	sqlite3_exec(ref, "CREATE TABLE x (n integer)", NULL, NULL, NULL);
	int same = 0;
	for (size_t i = 0; i < nq; i++) {
		char sql[256], want[128];
		char *ins = sqlite3_mprintf("DELETE FROM x; INSERT INTO x VALUES (%Q)", qs[i]);
		sqlite3_exec(ref, ins, NULL, NULL, NULL);
		sqlite3_free(ins);
		snprintf(want, sizeof want, "%s",
			 q_text(ref, "SELECT typeof(n) || ':' || quote(n) FROM x"));
		snprintf(sql, sizeof sql, "SELECT typeof(sfld) || ':' || quote(sfld) FROM notes"
			 " WHERE flds LIKE '%%<p>Answer %zu.</p>%%'", i);
		same += strcmp(q_text(r.db, sql), want) == 0;
	}
	sqlite3_close(ref);
	CHECK_INT(same, (long long)nq);
	CHECK_STR(q_text(r.db, "SELECT typeof(sfld) FROM notes WHERE flds LIKE '42%'"), "integer");
	run_free(&r);
	qdoc_free(d);
}

/* ---- a hostile previous deck ------------------------------------------ */

/* A collection made by sql, serialised (sqlite3_free the result). */
static unsigned char *make_db(const char *sql, size_t *n)
{
	sqlite3 *db;
	sqlite3_open(":memory:", &db);
	char *e = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &e) != SQLITE_OK) {
		printf("# make_db: %s\n", e);
		sqlite3_free(e);
	}
	sqlite3_int64 size = 0;
	unsigned char *b = sqlite3_serialize(db, "main", &size, 0);
	sqlite3_close(db);
	*n = (size_t)size;
	return b;
}

#define COL_TABLE "CREATE TABLE col (id integer primary key, models text);" \
	"INSERT INTO col VALUES (1, '{}');"
#define NOTES_TABLE "CREATE TABLE notes (id integer primary key, guid text, mid integer," \
	" mod integer, flds text, tags text);" \
	"CREATE TABLE cards (id integer primary key, nid integer, due integer);"

/* Load a made collection; the error, or "" when it was read. */
static const char *load_made(const char *sql, long long steps, int *nnotes)
{
	static char err[256];
	size_t n;
	unsigned char *b = make_db(sql, &n);
	qapkg_prev p;
	qapkg_prev_init(&p);
	err[0] = '\0';
	long long st = steps ? steps : qapkg_prev_steps(n);
	if (qapkg_prev_load_db(&p, b, n, NULL, st, err, sizeof err) == 0)
		err[0] = '\0';
	else if (!err[0])
		snprintf(err, sizeof err, "failed without a reason");
	if (nnotes)
		*nnotes = (int)p.notes.n;
	qapkg_prev_free(&p);
	sqlite3_free(b);
	return err;
}

/* A `notes` view with a recursive query that never ends, and one that
 * yields huge guids: refused before they run. */
TEST(previous_deck_views_are_not_read)
{
	long long t0 = qclock_ns();
	const char *e = load_made(COL_TABLE "CREATE VIEW notes AS WITH RECURSIVE r(x) AS"
				  " (SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT x AS id,"
				  " 'g' || x AS guid, 1577836800177 AS mid, 1 AS mod, '' AS flds,"
				  " '' AS tags FROM r;", 0, NULL);
	CHECK(strstr(e, "'notes' is not a plain table"));
	e = load_made(COL_TABLE "CREATE VIEW notes AS WITH RECURSIVE r(x) AS (SELECT 1 UNION"
		      " ALL SELECT x + 1 FROM r WHERE x < 3000) SELECT x AS id,"
		      " hex(zeroblob(500000)) || x AS guid, 1577836800177 AS mid, 1 AS mod,"
		      " '' AS flds, '' AS tags FROM r;", 0, NULL);
	CHECK(strstr(e, "'notes' is not a plain table"));
	e = load_made("CREATE VIEW col AS SELECT 1 AS id, '{}' AS models;" NOTES_TABLE, 0, NULL);
	CHECK(strstr(e, "'col' is not a plain table"));
	e = load_made(COL_TABLE "CREATE TABLE notes (id integer primary key, guid text,"
		      " mid integer, mod integer, flds text, tags text,"
		      " x text GENERATED ALWAYS AS (hex(zeroblob(100000000))) VIRTUAL);", 0, NULL);
	CHECK(strstr(e, "not a plain table"));
	e = load_made(COL_TABLE, 0, NULL);
	CHECK(strstr(e, "no 'col', 'notes' and 'cards' tables"));
	CHECK(qclock_ns() - t0 < 5000000000LL);
}

/* Plain tables with triggers (they never run on reads) are read; a value
 * longer than QAPKG_PREV_VALUE_MAX stops the reading; a guid longer than
 * QAPKG_PREV_GUID_MAX is not quire's and is skipped. */
TEST(previous_deck_values_are_bounded)
{
	int n = -1;
	const char *e = load_made(COL_TABLE NOTES_TABLE
				  "INSERT INTO notes VALUES (1, 'abc', 1577836800177, 5, 'q', '');"
				  "INSERT INTO notes VALUES (2, hex(zeroblob(100)), 1577836800177, 5,"
				  " 'q', '');"
				  "CREATE TRIGGER t AFTER INSERT ON notes BEGIN SELECT 1; END;", 0, &n);
	CHECK_STR(e, "");
	CHECK_INT(n, 1);
	e = load_made(COL_TABLE NOTES_TABLE
		      "INSERT INTO notes VALUES (1, 'abc', 1577836800177, 5,"
		      " zeroblob(40000000), '');", 0, NULL);
	CHECK(strstr(e, "too big"));
}

/* Reading stops after the budget of SQLite steps; the budget a deck gets
 * is more than ten times what reading a real one takes. */
TEST(previous_deck_reading_has_a_budget)
{
	qdoc *d = qdoc_new();
	d->title = "Budget";
	qnode *s = section(d, d->root, 1, "All");
	char q[64];
	for (int i = 0; i < 3000; i++) {
		snprintf(q, sizeof q, "What is item %d?", i);
		card(d, s, NULL, qdoc_strdup(d, q, strlen(q)), para(d, "An answer."));
	}
	qdoc_index(d);
	run r;
	build(&r, d, 1700000000, NULL, NULL);
	CHECK(r.status == QB_OK);
	size_t n = 0;
	char *col = tzip_member(r.apkg.ptr, r.apkg.len, "collection.anki2", &n);
	CHECK(col);
	char err[256];
	qapkg_prev p;
	qapkg_prev_init(&p);
	int rc_small = qapkg_prev_load_db(&p, col, n, NULL, 20000, err, sizeof err);
	CHECK(rc_small != 0 && strstr(err, "SQLite steps"));
	int rc_tenth = qapkg_prev_load_db(&p, col, n, NULL, qapkg_prev_steps(n) / 10, err,
					  sizeof err);
	CHECK_INT(rc_tenth, 0);
	CHECK_INT(p.notes.n, 3000);
	qapkg_prev_free(&p);
	free(col);
	run_free(&r);
	qdoc_free(d);
}

/* A small .apkg whose collection unpacks to far more than its size (a
 * zip bomb) is refused before it is unpacked. */
TEST(previous_deck_zip_bomb_is_refused)
{
	size_t n = (size_t)64 << 20;
	char *zeros = calloc(1, n);
	qbuf zip = QBUF_INIT;
	char err[256];
	qzip_member m = {.name = "collection.anki2", .data = zeros, .len = n,
			 .how = QZIP_DEFLATE};
	CHECK_INT(qzip_write(&m, 1, 1700000000, &zip, err, sizeof err), 0);
	CHECK(zip.len < n / QAPKG_PREV_RATIO);
	qapkg_prev p;
	qapkg_prev_init(&p);
	long long t0 = qclock_ns();
	CHECK_INT(qapkg_prev_load_zip(&p, zip.ptr, zip.len, NULL, err, sizeof err), -1);
	CHECK(strstr(err, "zip bomb"));
	CHECK(qclock_ns() - t0 < 1000000000LL);
	qapkg_prev_free(&p);
	qbuf_free(&zip);
	free(zeros);
}

/* ---- issue 13: cloze, reversed cards, tags, upgrades, rewording -------- */


static qnode *cloze_node(qdoc *d, int number, const char *hint, const char *text)
{
	qnode *c = qnode_new(d, QN_CLOZE, 1);
	c->u.cloze.number = number;
	c->u.cloze.hint = hint;
	qnode_append(c, text_node(d, QN_TEXT, text));
	return c;
}

/* A paragraph of text and deletions: odd arguments are text, even ones
 * deletions (a QN_CLOZE numbered in order, or with mark a QN_MARK). */
static qnode *cloze_para(qdoc *d, bool mark, int line, const char *const *parts, int n)
{
	qnode *p = qnode_new(d, QN_PARAGRAPH, line);
	for (int i = 0; i < n; i++) {
		if (i % 2 == 0) {
			qnode_append(p, text_node(d, QN_TEXT, parts[i]));
		} else if (mark) {
			qnode *m = qnode_new(d, QN_MARK, line);
			qnode_append(m, text_node(d, QN_TEXT, parts[i]));
			qnode_append(p, m);
		} else {
			qnode_append(p, cloze_node(d, (i + 1) / 2,
						   strcmp(parts[i], "GIL") == 0 ? "a lock" : NULL,
						   parts[i]));
		}
	}
	return p;
}

static qdoc *cloze_doc(void)
{
	qdoc *d = qdoc_new();
	d->title = "Cloze Notes";
	d->stem = "notes";
	qnode *s = section(d, d->root, 1, "Threads");
	static const char *const p1[] = {"The ", "GIL", " serialises ", "bytecode", "."};
	qnode_append(s, cloze_para(d, false, 3, p1, 5));
	/* a list item: "::" and "}}" inside a deletion */
	qnode *list = qnode_new(d, QN_LIST, 5);
	qnode *item = qnode_new(d, QN_ITEM, 5);
	static const char *const p2[] = {"Use ", "std::vector<int>}}", " here"};
	qnode_append(item, cloze_para(d, false, 5, p2, 3));
	qnode_append(list, item);
	qnode_append(s, list);
	/* highlights only */
	static const char *const p3[] = {"A ", "mutex", " guards ", "state", "."};
	qnode_append(s, cloze_para(d, true, 7, p3, 5));
	/* only a highlight and punctuation: nothing to ask it by, no note */
	static const char *const p4[] = {"- ", "3", " ."};
	qnode_append(s, cloze_para(d, true, 8, p4, 3));
	/* the same text again: one note asks it */
	qnode_append(s, cloze_para(d, true, 9, p3, 5));
	card(d, s, NULL, "What is a thread?", para(d, "A path of execution."));
	qdoc_index(d);
	return d;
}

TEST(cloze_notes_one_per_block)
{
	qdoc *d = cloze_doc();
	run r;
	build_with(&r, d, 1700000000, NULL, NULL, (qapkg_opts){.cloze = QAPKG_CLOZE_MARKED});
	CHECK(r.db);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM notes WHERE mid = 1577836800277"), 2);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM notes WHERE mid = 1577836800177"), 1);
	CHECK_STR(q_text(r.db, "SELECT flds FROM notes WHERE flds LIKE '<p>The %'"),
		  "<p>The {{c1::GIL::a lock}} serialises {{c2::bytecode}}.</p>\n"
		  "\x1fThreads\x1fnotes:3\x1f");
	CHECK_STR(q_text(r.db, "SELECT group_concat(ord) FROM (SELECT c.ord FROM cards c"
			 " JOIN notes n ON n.id = c.nid WHERE n.flds LIKE '<p>The %' ORDER BY c.ord)"),
		  "0,1");
	/* nothing inside a deletion can end it early */
	const char *f = q_text(r.db, "SELECT flds FROM notes WHERE flds LIKE '%vector%'");
	CHECK(strstr(f, "{{c1::std:&#58;vector&lt;int&gt;}&#125;}}"));
	CHECK_STR(q_text(r.db, "SELECT json_extract(models, '$.\"1577836800277\".type') ||"
			 " json_array_length(json_extract(models, '$.\"1577836800277\".tmpls')) ||"
			 " json_extract(models, '$.\"1577836800277\".tmpls[0].qfmt') FROM col"),
		  "11<div class=\"quire\"><div class=\"cloze-text tex2jax_ignore\">"
		  "{{cloze:Text}}</div></div>");
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM notes WHERE flds LIKE '%mutex%'"), 0);
	run_free(&r);
	/* highlights are clozes when asked, or when the notes are tagged
	 * flashcards (Obsidian Spaced Repetition) */
	build_with(&r, d, 1700000000, NULL, NULL, (qapkg_opts){.cloze = QAPKG_CLOZE_HIGHLIGHT});
	CHECK(r.db);
	CHECK_STR(q_text(r.db, "SELECT substr(flds, 1, instr(flds, char(31)) - 1) FROM notes"
			 " WHERE flds LIKE '%mutex%'"),
		  "<p>A {{c1::mutex}} guards {{c2::state}}.</p>\n");
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM notes WHERE mid = 1577836800277"), 3);
	run_free(&r);
	static const char *kw[] = {"flashcards"};
	d->keywords = kw;
	d->nkeywords = 1;
	build_with(&r, d, 1700000000, NULL, NULL, (qapkg_opts){0});
	CHECK(r.db);   /* the tag alone: the reader says whether it is Obsidian's */
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM notes WHERE mid = 1577836800277"), 2);
	run_free(&r);
	d->flashcards = true;
	build_with(&r, d, 1700000000, NULL, NULL, (qapkg_opts){0});
	CHECK(r.db);   /* tagged, but no highlight is a deletion of the notes' cloze settings */
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM notes WHERE mid = 1577836800277"), 2);
	run_free(&r);
	qiter it;
	qnode *m;
	qiter_init(&it, d->root);
	while (qiter_next_of(&it, &m, QN_MARK))
		m->u.cloze.deletion = true;   /* as the reader marks `==text==` in tagged notes */
	build_with(&r, d, 1700000000, NULL, NULL, (qapkg_opts){0});
	CHECK(r.db);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM notes WHERE mid = 1577836800277"), 3);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM notes WHERE tags != ' flashcards '"), 0);
	run_free(&r);
	qdoc_free(d);
}

/* Term cards get a Reverse card with --reversed; others never do. */
TEST(reversed_cards_for_terms)
{
	qdoc *d = qdoc_new();
	d->title = "Terms";
	qnode *s = section(d, d->root, 1, "Words");
	qnode *t = card(d, s, NULL, "Idempotent", para(d, "Same result however often it runs."));
	t->u.card.reversible = true;
	card(d, s, NULL, "Why use queues?", para(d, "To decouple producers."));
	qdoc_index(d);
	run r;
	build_with(&r, d, 1700000000, NULL, NULL, (qapkg_opts){.reversed = true});
	CHECK(r.db);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM cards"), 3);
	CHECK_STR(q_text(r.db, "SELECT group_concat(c.ord) FROM cards c JOIN notes n"
			 " ON n.id = c.nid WHERE n.sfld = 'Idempotent'"), "0,1");
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM notes WHERE flds LIKE '%' || char(31) || 'y'"), 1);
	CHECK_INT(q_int(r.db, "SELECT count(DISTINCT id) FROM cards"), 3);
	CHECK_INT(q_int(r.db, "SELECT count(DISTINCT due) FROM cards"), 2);   /* siblings */
	run_free(&r);
	build_with(&r, d, 1700000000, NULL, NULL, (qapkg_opts){0});
	CHECK(r.db);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM cards"), 2);
	run_free(&r);
	qdoc_free(d);
}

/* Tags: the notes' keywords, a card's own tags, and with tag_sections its
 * section path as a hierarchical tag. */
TEST(tags_from_keywords_cards_and_sections)
{
	qdoc *d = sample(0);
	static const char *kw[] = {"python", "interview prep"};
	static const char *own[] = {"gil", "async"};
	d->keywords = kw;
	d->nkeywords = 2;
	d->cards[0]->u.card.tags = own;
	d->cards[0]->u.card.ntags = 2;
	run r;
	build_with(&r, d, 1700000000, NULL, NULL, (qapkg_opts){0});
	CHECK(r.db);
	CHECK_STR(q_text(r.db, "SELECT tags FROM notes WHERE sfld = 'What is the GIL?'"),
		  " async gil interview_prep python ");
	CHECK_STR(q_text(r.db, "SELECT tags FROM notes WHERE sfld = 'What is a list?'"),
		  " interview_prep python ");
	run_free(&r);
	build_with(&r, d, 1700000000, NULL, NULL, (qapkg_opts){.tag_sections = true});
	CHECK(r.db);
	CHECK_STR(q_text(r.db, "SELECT tags FROM notes WHERE sfld = 'What is the GIL?'"),
		  " Advanced_Topics::Concurrency Basics async gil interview_prep python ");
	run_free(&r);
	qdoc_free(d);
}

#define SAMPLE_01 "tests/fixtures/deck-0.1.0/sample.apkg"

/* Over a deck of quire 0.1 (built from sample(0) by 0.1 with pages 3, 3,
 * 4, 5, 6): every note keeps its guid and stays on 0.1's note type with
 * its three fields, byte for byte (so with the section tags 0.1 gave, no
 * note even changes); a new question goes to the new type. */
TEST(upgrade_from_0_1_keeps_notes_on_their_type)
{
	if (access(SAMPLE_01, R_OK) != 0) {
		printf("# %s not found (run from the repository's root)\n", SAMPLE_01);
		CHECK(0);
	}
	qdoc *d = sample(0);
	int pages[5] = {3, 3, 4, 5, 6};
	run old, r;
	qbuf b = QBUF_INIT;
	char err[128];
	CHECK(qfile_read(SAMPLE_01, &b, 1 << 20, err, sizeof err) == QF_OK);
	old.apkg = b;
	size_t n = 0;
	char *col = tzip_member(b.ptr, b.len, "collection.anki2", &n);
	CHECK(col);
	unsigned char *m = sqlite3_malloc64(n);
	memcpy(m, col, n);
	free(col);
	sqlite3_open(":memory:", &old.db);
	sqlite3_deserialize(old.db, "main", m, (sqlite3_int64)n, (sqlite3_int64)n,
			    SQLITE_DESERIALIZE_FREEONCLOSE);
	qdiags_init(&old.diags, "x");
	build_with(&r, d, 1800000000, SAMPLE_01, pages, (qapkg_opts){.tag_sections = true});
	CHECK(r.db);
	const char *sql = "SELECT group_concat(guid || ':' || mid || ':' || mod || ':' || flds, '|')"
			  " FROM (SELECT * FROM notes ORDER BY guid)";
	char before[8192];
	snprintf(before, sizeof before, "%s", q_text(old.db, sql));
	CHECK_STR(q_text(r.db, sql), before);
	CHECK_STR(q_text(r.db, "SELECT group_concat(json_extract(value, '$.name')) FROM col,"
			 " json_each(col.models)"), "quire 0.1");
	run_free(&r);
	/* a new question: the new type beside the old one */
	qnode *extra = card(d, d->sections[0], NULL, "What is a tuple?", para(d, "Immutable."));
	(void)extra;
	qdoc_index(d);
	build_with(&r, d, 1800000000, SAMPLE_01, NULL, (qapkg_opts){0});
	CHECK(r.db);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM notes WHERE mid = 1577836800077"), 4);
	CHECK_STR(q_text(r.db, "SELECT sfld FROM notes WHERE mid = 1577836800177"),
		  "What is a tuple?");
	CHECK_INT(q_int(r.db, "SELECT json_array_length(json_extract(models,"
			" '$.\"1577836800077\".flds')) FROM col"), 3);
	run_free(&r);
	run_free(&old);
	qdoc_free(d);
}

/* Notes for the rewording tests: one section, questions with answers. */
static qdoc *qa_doc(const char *const *qa, int n)
{
	qdoc *d = qdoc_new();
	d->title = "Reword";
	d->stem = "notes";
	qnode *s = section(d, d->root, 1, "Databases");
	for (int i = 0; i + 1 < n; i += 2) {
		qnode *c = card(d, s, NULL, qa[i], para(d, qa[i + 1]));
		c->line = 10 + i;
	}
	qdoc_index(d);
	return d;
}

static const char *const base_qa[] = {
	"What is an index?", "A sorted structure that speeds up lookups by key.",
	"What is a transaction?", "A unit of work that commits or rolls back as a whole.",
	"What is MVCC?", "Readers see a snapshot while writers make new row versions.",
	"What is a deadlock?", "Two transactions each wait for a lock the other holds.",
	"What is sharding?", "Splitting rows across servers by a key.",
};

/* Rebuild base_qa edited into qa over the deck of base_qa; the guids of
 * the rebuild in order ('|'), and its diagnostics in *r. */
static const char *rebuild(run *r, const char *const *qa, int n, char *guids_before,
			   size_t cap)
{
	qdoc *d0 = qa_doc(base_qa, 10), *d1 = qa_doc(qa, n);
	run a;
	build_with(&a, d0, 1700000000, NULL, NULL, (qapkg_opts){0});
	snprintf(guids_before, cap, "%s", q_text(a.db, "SELECT group_concat(guid, '|') FROM"
						 " (SELECT n.guid FROM notes n JOIN cards c ON"
						 " c.nid = n.id ORDER BY c.due)"));
	char *prev = write_temp(&a.apkg);
	build_with(r, d1, 1800000000, prev, NULL, (qapkg_opts){0});
	unlink(prev);
	free(prev);
	run_free(&a);
	qdoc_free(d0);
	qdoc_free(d1);
	return r->db ? q_text(r->db, "SELECT group_concat(guid, '|') FROM (SELECT n.guid FROM"
			      " notes n JOIN cards c ON c.nid = n.id ORDER BY c.due)") : "";
}

TEST(reworded_questions_keep_their_notes)
{
	char before[512];
	run r;
	/* one reworded, one at each end, two in a row: all found */
	static const char *const qa[] = {
		"Explain what a database index is.", "A sorted structure that speeds up lookups by key.",
		"What is a transaction?", "A unit of work that commits or rolls back as a whole.",
		"Explain MVCC.", "Readers see a snapshot while writers make new row versions.",
		"When does a deadlock happen?", "Two transactions each wait for a lock the other holds.",
		"What does sharding mean?", "Splitting rows across servers by a key.",
	};
	const char *after = rebuild(&r, qa, 10, before, sizeof before);
	CHECK_STR(after, before);
	CHECK_INT(qdiags_count(&r.diags, "apkg-reworded"), 4);
	CHECK_INT(qdiags_count(&r.diags, "apkg-gone"), 0);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM notes WHERE mod = 1800000000"), 4);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM notes WHERE sfld = 'Explain MVCC.'"), 1);
	run_free(&r);
}

TEST(a_question_whose_front_grew_keeps_its_note)
{
	char before[512];
	run r;
	/* the options joined every question on its front and the answers are
	 * only the letter now: no answer is similar, yet each question kept
	 * its words, so each note is found, in another order too */
	static const char *const qa[] = {
		"What is sharding? Rows by key, or columns by name", "B.",
		"What is an index? A sorted structure, or a log", "A.",
		"What is a transaction? A unit of work, or a lock", "A.",
		"What is MVCC? Snapshots, or locks", "A.",
		"What is a deadlock? A wait cycle, or a crash", "A.",
	};
	rebuild(&r, qa, 10, before, sizeof before);
	CHECK_INT(qdiags_count(&r.diags, "apkg-reworded"), 5);
	CHECK_INT(qdiags_count(&r.diags, "apkg-gone"), 0);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM notes"), 5);
	const char *guids = q_text(r.db, "SELECT group_concat(guid, '|') FROM (SELECT guid FROM notes"
				   " ORDER BY guid)");
	char sorted[512];
	snprintf(sorted, sizeof sorted, "%s", guids);
	run_free(&r);
	/* the same five guids as the first build */
	qdoc *d0 = qa_doc(base_qa, 10);
	run a;
	build_with(&a, d0, 1700000000, NULL, NULL, (qapkg_opts){0});
	CHECK_STR(sorted, q_text(a.db, "SELECT group_concat(guid, '|') FROM (SELECT guid FROM notes"
				 " ORDER BY guid)"));
	run_free(&a);
	qdoc_free(d0);
}

TEST(rewording_limits_and_deleted_questions)
{
	char before[512], gone[512];
	run r;
	/* reworded and the answer rewritten: a new note; the old one gone,
	 * with a search for it */
	static const char *const rewritten[] = {
		"What is an index?", "A sorted structure that speeds up lookups by key.",
		"Why use transactions?", "So that a failure halfway leaves nothing half done.",
		"What is MVCC?", "Readers see a snapshot while writers make new row versions.",
		"What is a deadlock?", "Two transactions each wait for a lock the other holds.",
		"What is sharding?", "Splitting rows across servers by a key.",
	};
	const char *after = rebuild(&r, rewritten, 10, before, sizeof before);
	CHECK(strcmp(after, before) != 0);
	CHECK_INT(qdiags_count(&r.diags, "apkg-reworded"), 0);
	CHECK_INT(qdiags_count(&r.diags, "apkg-gone"), 2);   /* the note, the search */
	snprintf(gone, sizeof gone, "nid:");
	run_free(&r);
	/* deleted: listed */
	static const char *const deleted[] = {
		"What is an index?", "A sorted structure that speeds up lookups by key.",
		"What is MVCC?", "Readers see a snapshot while writers make new row versions.",
		"What is a deadlock?", "Two transactions each wait for a lock the other holds.",
		"What is sharding?", "Splitting rows across servers by a key.",
	};
	rebuild(&r, deleted, 8, before, sizeof before);
	CHECK_INT(qdiags_count(&r.diags, "apkg-gone"), 2);
	bool search = false;
	for (size_t i = 0; i < r.diags.n; i++)
		search = search || (strstr(r.diags.v[i].msg, "search for  nid:15")
				    && strcmp(r.diags.v[i].kind, "apkg-gone") == 0);
	CHECK(search);
	run_free(&r);
	/* split: the part in place with the closer answer keeps the note */
	static const char *const split[] = {
		"What is an index?", "A sorted structure that speeds up lookups by key.",
		"What does a transaction commit?", "A unit of work that commits as a whole.",
		"What does a transaction roll back?", "It rolls back as a whole on failure.",
		"What is MVCC?", "Readers see a snapshot while writers make new row versions.",
		"What is a deadlock?", "Two transactions each wait for a lock the other holds.",
		"What is sharding?", "Splitting rows across servers by a key.",
	};
	rebuild(&r, split, 12, before, sizeof before);
	CHECK_INT(qdiags_count(&r.diags, "apkg-reworded"), 1);
	CHECK_INT(qdiags_count(&r.diags, "apkg-gone"), 0);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM notes"), 6);
	run_free(&r);
	/* merged: one keeps its note, the other is gone */
	static const char *const merged[] = {
		"What is an index?", "A sorted structure that speeds up lookups by key.",
		"What are transactions and MVCC?", "A unit of work that commits or rolls back as a"
		" whole; readers see a snapshot.",
		"What is a deadlock?", "Two transactions each wait for a lock the other holds.",
		"What is sharding?", "Splitting rows across servers by a key.",
	};
	rebuild(&r, merged, 8, before, sizeof before);
	CHECK_INT(qdiags_count(&r.diags, "apkg-reworded"), 1);
	CHECK_INT(qdiags_count(&r.diags, "apkg-gone"), 2);
	run_free(&r);
	/* reworded and moved to another section: a new note */
	qdoc *d0 = qa_doc(base_qa, 10), *d1 = qa_doc(base_qa, 10);
	qnode *other = section(d1, d1->root, 1, "Elsewhere");
	qnode *c = d1->cards[2];
	qnode_unlink(c);
	qnode_append(other, c);
	c->first->first->text = "Explain MVCC.";
	c->first->first->len = strlen("Explain MVCC.");
	qbuf key = QBUF_INIT;
	qcard_key("Explain MVCC.", 13, &key);
	c->u.card.key = qdoc_strdup(d1, key.ptr, key.len);
	qbuf_free(&key);
	qdoc_index(d1);
	run a;
	build_with(&a, d0, 1700000000, NULL, NULL, (qapkg_opts){0});
	char *prev = write_temp(&a.apkg);
	build_with(&r, d1, 1800000000, prev, NULL, (qapkg_opts){0});
	CHECK_INT(qdiags_count(&r.diags, "apkg-reworded"), 0);
	CHECK_INT(qdiags_count(&r.diags, "apkg-gone"), 2);
	unlink(prev);
	free(prev);
	run_free(&a);
	run_free(&r);
	qdoc_free(d0);
	qdoc_free(d1);
}

int main(void)
{
	RUN(base91_matches_anki);
	RUN(strip_and_checksum_match_anki);
	RUN(field_sanitiser);
	RUN(field_links_and_attributes);
	RUN(deck_and_tag_components);
	RUN(schema_11_exact_columns);
	RUN(json_keys_present);
	RUN(one_note_per_question_merged);
	RUN(decks_from_sections_with_parents);
	RUN(card_html_code_and_table);
	RUN(two_builds_byte_identical);
	RUN(rebuild_keeps_mod_of_unchanged_notes);
	RUN(changed_note_mod_always_increases);
	RUN(guids_survive_renumber_reorder_move);
	RUN(booklet_page_does_not_count_as_change);
	RUN(bad_previous_deck_warns_and_goes_on);
	RUN(hostile_text_stays_in_its_field);
	RUN(odd_models);
	RUN(images_become_media);
	RUN(many_notes_in_parallel);
	RUN(top_deck_option);
	RUN(damaged_previous_deck_warns_and_goes_on);
	RUN(numeric_sort_fields_as_sqlite_stores_them);
	RUN(previous_deck_views_are_not_read);
	RUN(previous_deck_values_are_bounded);
	RUN(previous_deck_reading_has_a_budget);
	RUN(previous_deck_zip_bomb_is_refused);
	RUN(cloze_notes_one_per_block);
	RUN(reversed_cards_for_terms);
	RUN(tags_from_keywords_cards_and_sections);
	RUN(upgrade_from_0_1_keeps_notes_on_their_type);
	RUN(reworded_questions_keep_their_notes);
	RUN(a_question_whose_front_grew_keeps_its_note);
	RUN(rewording_limits_and_deleted_questions);
	return testing_done();
}
