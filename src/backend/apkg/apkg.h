/* apkg.h - the pieces of the Anki back end (private to src/backend/apkg).
 *
 * The deck is a legacy package every Anki from 2.1 to today reads: a zip
 * holding `collection.anki2` (SQLite, schema 11) and a `media` map. The
 * work is split so each file does one thing:
 *
 *   apkg.c        the back end: styles, previous deck, build, pack
 *   crew.c        the helper threads of a build
 *   notes.c       one note per distinct question: merge, guid, ids, mod
 *   fields.c      the Question, Answer and Source fields; content hash
 *   sanitize.c    field HTML made safe; Anki's stripping and checksum
 *   decks.c       deck names and tags from the section path, deck ids
 *   collection.c  the SQLite collection: schema, col JSON, rows, serialise
 *   previous.c    reading the previous deck at the output path
 *   deflate.c     the collection deflated by zlib, in pieces, in parallel
 *   zipout.c      the zip, in memory (backend/zip); reading a zip
 *
 * Identity (see anki-apkg.md): a note's guid comes from its question key
 * only, so editing, renumbering, reordering or moving a question keeps it.
 * Note and card ids derive from the same hash. A note's `mod` stays the
 * previous deck's when its fields and tags are unchanged, so re-importing
 * a rebuild updates exactly the notes that changed.
 *
 * Ownership: a qapkg owns everything it builds in its arena and maps and
 * is freed with qapkg_free(); the job and the model are borrowed. A
 * qapkg_prev owns its arena and map and is freed with qapkg_prev_free().
 * A qapkg_crew, qapkg_deflater and qapkg_db own their threads, pieces
 * and database, and are freed by the thread that made them with
 * qapkg_crew_free(), qapkg_deflater_free() and qapkg_db_close().
 */
#ifndef QUIRE_APKG_H
#define QUIRE_APKG_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../util/arena.h"
#include "../../util/strmap.h"
#include "../backend.h"
#include "options.h"

/* The notetype: quire's own, a fixed id shared by every quire deck. */
#define QAPKG_MODEL_ID 1577836800077LL
#define QAPKG_MODEL_NAME "quire"
/* Note, card and deck ids: BASE + hash % SPAN, i.e. milliseconds between
 * 2017-07-14 and 2020-10-14: always below "now + 1 day" for Anki. */
#define QAPKG_ID_BASE 1500000000000LL
#define QAPKG_ID_SPAN 100000000000LL
/* Separator of fields in notes.flds. */
#define QAPKG_FIELD_SEP '\x1f'
/* A previous collection larger than this is not read (warning). */
#define QAPKG_PREV_MAX ((size_t)1 << 30)

typedef struct qapkg_note {
	const qnode *first;   /* first card of the key (question text, deck) */
	int card0, ncards;    /* this note's cards: cards[card0 .. +ncards) */
	const char *guid;     /* base91, arena */
	long long id;         /* note id, also its one card's id */
	long long did;        /* deck of the card */
	long long mod;        /* seconds */
	int due;              /* 1.. in document order */
	const char *flds;     /* Question \x1f Answer \x1f Source, arena */
	size_t flds_len;
	const char *tags;     /* " a b " or "", arena */
	const char *sfld;     /* sort field: Question without HTML, arena */
	size_t sfld_len;
	uint32_t csum;        /* Anki's field checksum of the sort field */
} qapkg_note;

typedef struct qapkg_deck {
	const char *name;     /* "Top::Section::Sub", arena */
	long long id;
} qapkg_deck;

typedef struct qapkg {
	const qjob *job;
	qarena arena;
	const char *top;          /* top deck name, arena */
	const char *css;          /* notetype CSS, arena */
	long long model_mod;
	long long stamp;          /* newest mod of notes and notetype: the
	                           * time of the collection and zip entries */
	qapkg_note *notes;        /* doc->nkeys entries, arena */
	int nnotes;
	int *by_id;               /* note indexes in id order, arena */
	const qnode **cards;      /* cards grouped by note, arena */
	qapkg_deck *decks;        /* in order of first use, parents first */
	int ndecks, cap_decks;
	qstrmap deck_by_name;     /* name -> (deck index + 1) */
	const char **sec_deck;    /* per section: deck name (lazy), arena */
	const char **sec_tag;     /* per section: tag (lazy), arena */
	qarena *field_arenas;     /* one per field worker (fields, sfld) */
	int nfield_arenas;
} qapkg;

/* What the previous deck at the output path held. */
typedef struct qapkg_prev_note {
	long long mod;
	uint64_t hash;            /* qapkg_content_hash of fields and tags */
} qapkg_prev_note;

typedef struct qapkg_prev {
	qarena arena;
	qstrmap notes;            /* guid -> qapkg_prev_note* */
	bool loaded;              /* a readable quire deck was found */
	bool model_found;         /* it has quire's notetype */
	bool model_same;          /* ... with the same templates, CSS, fields */
	long long model_mod;
} qapkg_prev;

/* apkg.c */
void qapkg_init(qapkg *k, const qjob *job);
void qapkg_free(qapkg *k);
/* A new id for a changed thing: the build time, but always after prev. */
long long qapkg_next_mod(long long epoch, long long prev);
/* crew.c: helper threads for one build, up to one per other processor
 * (at most QAPKG_MAX_WORKERS workers in all, the caller's thread among
 * them; never fails: without helpers the caller does every job). A
 * batch is njobs calls fn(ctx, worker, job), job in [0, njobs), taken
 * in order by whichever worker is free; `worker` (0 = the caller, up to
 * qapkg_crew_size() - 1) names the thread, e.g. for an arena of its
 * own. Each job must write only its own results, so the outcome never
 * depends on the threads. qapkg_crew_post() hands a batch to the
 * helpers and returns (the previous batch ends first); the caller then
 * does other work and calls qapkg_crew_finish(), which helps with what
 * is left and waits for the whole batch. A NULL crew runs the batch
 * on the caller at once. Only the thread that made the crew posts. */
#define QAPKG_MAX_WORKERS 8
typedef struct qapkg_crew qapkg_crew;
qapkg_crew *qapkg_crew_new(int max_workers);
int qapkg_crew_size(const qapkg_crew *c);
void qapkg_crew_post(qapkg_crew *c, int njobs, void (*fn)(void *ctx, int worker, int job),
		     void *ctx);
/* The current batch (posted by this thread, with the jobs before as
 * they were) now has njobs jobs; c must not be NULL. */
void qapkg_crew_grow(qapkg_crew *c, int njobs);
void qapkg_crew_finish(qapkg_crew *c);
void qapkg_crew_run(qapkg_crew *c, int njobs, void (*fn)(void *ctx, int worker, int job),
		    void *ctx);
void qapkg_crew_free(qapkg_crew *c);
/* A condition variable whose waiters stay awake for a moment first
 * (crew.c says why). Wait and broadcast with mu held; a wait returns
 * after a broadcast or spuriously, so wait in a loop. */
typedef struct qapkg_signal {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	atomic_uint version;
	bool spin;
} qapkg_signal;
/* c: the crew whose workers wait on it (may be NULL). */
void qapkg_signal_init(qapkg_signal *s, const qapkg_crew *c);
void qapkg_signal_destroy(qapkg_signal *s);
void qapkg_signal_wait(qapkg_signal *s);
void qapkg_signal_broadcast(qapkg_signal *s);

/* notes.c: build k->notes (fields, tags, decks, guid, ids, due, by_id)
 * on the crew. The side jobs (may be NULL; they must touch nothing the
 * notes need) run among the jobs, the first one first. The sink (may be
 * NULL) gets every note, in id order, as soon as the side jobs are done
 * and the note is complete but for its mod, on one worker at a time.
 * Then the mods: qapkg_note_mod() of one note, qapkg_assign_mods() of
 * all, from the previous deck (NULL: none). */
typedef struct qapkg_side {
	void (*fn)(void *ctx);
	void *ctx;
} qapkg_side;
typedef struct qapkg_sink {
	void (*note)(void *ctx, qapkg_note *n);
	void *ctx;
} qapkg_sink;
void qapkg_build_notes(qapkg *k, qapkg_crew *crew, const qapkg_side *sides, int nsides,
		       const qapkg_sink *sink);
void qapkg_note_mod(const qapkg *k, qapkg_note *n, const qapkg_prev *prev);
void qapkg_assign_mods(qapkg *k, const qapkg_prev *prev);
/* Anki's base91 (utils.base91) of v into out (12 bytes is enough). */
void qapkg_base91(uint64_t v, char out[16]);
/* The guid of a question key (attempt 0; later attempts on collision);
 * returns the 64 bits it encodes (the note id derives from them). */
uint64_t qapkg_guid(const char *key, int attempt, char out[16]);

/* sanitize.c */
/* Append HTML to out with what must never reach Anki removed: control
 * characters (the field separator among them) become U+FFFD, invalid
 * UTF-8 bytes too, "[sound:" and "{{" lose their meaning, and any
 * script-capable markup is escaped as text. */
void qapkg_put_field(qbuf *out, const char *html, size_t n);
/* Anki's stripHTMLMedia (2.1.15) of a field: tags removed, entities
 * decoded. Appends to out. */
void qapkg_strip_html(const char *s, size_t n, qbuf *out);
/* Anki's field checksum: first 4 bytes of SHA-1 of the stripped text. */
uint32_t qapkg_field_checksum(const char *stripped, size_t n);

/* fields.c */
/* The question, answer and source fields of a note, joined by 0x1f. */
void qapkg_note_fields(const qapkg *k, const qapkg_note *note, qbuf *out);
/* A 64-bit hash of a note's content (fields and tags) for finding the
 * notes that changed since the previous deck. The booklet page in the
 * Source field does not count: it moves whenever earlier notes grow. */
uint64_t qapkg_content_hash(const char *flds, size_t n, const char *tags);

/* decks.c */
/* The top deck name: --deck (with "::" levels allowed), else the title,
 * else the notes' stem. */
const char *qapkg_top_deck(qapkg *k);
/* Deck name and tag of a section (NULL: the top deck / no tag). */
const char *qapkg_section_deck(qapkg *k, const qnode *section);
const char *qapkg_section_tag(qapkg *k, const qnode *section);
/* The index of a deck by full name, adding it and its parents. */
int qapkg_deck_add(qapkg *k, const char *name);
/* Append one sanitised deck-name component / tag component. */
void qapkg_deck_component(qbuf *out, const char *s);
void qapkg_tag_component(qbuf *out, const char *s);
/* Ids from a hash: BASE + h % SPAN, unique among `used` (linear probe). */
typedef struct qapkg_idset {
	long long *v;
	size_t cap, n;
} qapkg_idset;
void qapkg_idset_init(qapkg_idset *s, size_t expect);
void qapkg_idset_free(qapkg_idset *s);
long long qapkg_idset_claim(qapkg_idset *s, uint64_t h);

/* collection.c: the notetype JSON (mod given), and the collection: a
 * private in-memory SQLite database. qapkg_db_open() makes it with its
 * schema (room for about `hint` bytes; it never fails: an error shows
 * at the end of the rows); qapkg_db_note() adds a note and its card (in
 * increasing id order: the tables' pages are filled by appending);
 * qapkg_db_rows_end() adds the `col` row and ends that transaction, and
 * qapkg_db_indexes() adds the indexes in another (the pages of the
 * tables do not change any more, so they can be deflated while the
 * indexes are made). Both point *db at the file's bytes as they are
 * then, which stay the database's: valid until its next change or
 * qapkg_db_close. 0, else -1 with err. One thread at a time may use a
 * qapkg_db. */
void qapkg_model_json(const qapkg *k, long long mod, qbuf *out);
/* Set SQLite up for this back end (once; before any other use: the
 * functions here that open a database call it). */
void qapkg_sqlite_init(void);
typedef struct qapkg_db qapkg_db;
qapkg_db *qapkg_db_open(size_t hint);
void qapkg_db_note(qapkg_db *c, const qapkg_note *n);
int qapkg_db_rows_end(qapkg_db *c, const qapkg *k, const unsigned char **db, size_t *len,
		      char *err, size_t errlen);
int qapkg_db_indexes(qapkg_db *c, const unsigned char **db, size_t *len,
		     char *err, size_t errlen);
void qapkg_db_close(qapkg_db *c);

/* previous.c: read the previous deck at path. model_json is this build's
 * notetype, compared with the previous one without mod, usn and did.
 * 0 on success; else -1 with err, and prev stays empty. Touches nothing
 * but p (it runs beside the field workers). */
void qapkg_prev_init(qapkg_prev *p);
void qapkg_prev_free(qapkg_prev *p);
int qapkg_prev_load(qapkg_prev *p, const char *path, const char *model_json,
		    char *err, size_t errlen);

/* deflate.c: one raw deflate stream of n bytes, made by the crew (may
 * be NULL) in pieces from ranges given in any order. qapkg_deflater_add:
 * bytes [from, to) are final, to be cut in pieces of at least min_piece
 * bytes (16 KB at least); base points at the byte at offset
 * base_off <= from, and from base_off (or from - 16 KB if later) to `to`
 * the bytes must stay readable and unchanged until qapkg_deflater_end,
 * which waits for every piece and appends the stream to out (0), or
 * -1 when the ranges do not cover [0, n) exactly once or memory ran
 * out. The bytes depend only on the data and the ranges. */
typedef struct qapkg_deflater qapkg_deflater;
qapkg_deflater *qapkg_deflater_new(qapkg_crew *crew);
void qapkg_deflater_add(qapkg_deflater *d, const unsigned char *base, size_t base_off,
			size_t from, size_t to, size_t min_piece);
int qapkg_deflater_end(qapkg_deflater *d, size_t n, qbuf *out, uint32_t *crc);
void qapkg_deflater_free(qapkg_deflater *d);

/* zipout.c */
typedef struct qapkg_entry {
	const char *name;
	const void *data;     /* stored as it is, or (deflated) a raw deflate */
	size_t len;           /* stream of usize bytes whose CRC-32 is crc */
	bool deflated;
	size_t usize;
	uint32_t crc;
} qapkg_entry;
/* A zip of the entries, in memory, with fixed times (from epoch, UTC). */
int qapkg_zip(const qapkg_entry *e, int n, long long epoch, qbuf *out,
	      char *err, size_t errlen);
/* Read one entry of the zip at path (at most max bytes) into out. */
int qapkg_unzip_file(const char *path, const char *name, size_t max,
		     qbuf *out, char *err, size_t errlen);

#endif
