/* apkg.h - the pieces of the Anki back end (private to src/backend/apkg).
 *
 * The deck is a legacy package every Anki from 2.1 to today reads: a zip
 * holding `collection.anki2` (SQLite, schema 11) and a `media` map. The
 * work is split so each file does one thing:
 *
 *   apkg.c        the back end: styles, previous deck, build, pack
 *   notes.c       one note per distinct question: merge, guid, ids, mod
 *   fields.c      the Question, Answer and Source fields; content hash
 *   sanitize.c    field HTML made safe; Anki's stripping and checksum
 *   decks.c       deck names and tags from the section path, deck ids
 *   collection.c  the SQLite collection: schema, col JSON, rows, serialise
 *   previous.c    reading the previous deck at the output path
 *   zipout.c      the zip, in memory (libzip; the collection deflated by
 *                 zlib in parallel chunks); reading a zip
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
 */
#ifndef QUIRE_APKG_H
#define QUIRE_APKG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../util/arena.h"
#include "../../util/strmap.h"
#include "../backend.h"

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
/* Run fn(ctx, worker, job) for every job in [0, njobs) on up to one
 * thread per processor (at most QAPKG_MAX_WORKERS; worker w runs jobs
 * w, w + n, w + 2n, ... where n = the return value). Each job must write
 * only its own results, so the outcome never depends on the threads.
 * Without threads the calling thread does all the work. */
#define QAPKG_MAX_WORKERS 8
int qapkg_workers(int njobs);
void qapkg_parallel(int njobs, int nworkers, void (*fn)(void *ctx, int worker, int job),
		    void *ctx);

/* notes.c: build k->notes (fields, tags, decks, guid, ids, due); the
 * fields of many notes are made by several threads. Then the mods, from
 * the previous deck (NULL: none). */
void qapkg_build_notes(qapkg *k);
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

/* collection.c: the notetype JSON (mod given) and the whole collection
 * as SQLite file bytes in *db (allocated by sqlite: the caller frees it
 * with sqlite3_free). 0 on success, else -1 with err. */
void qapkg_model_json(const qapkg *k, long long mod, qbuf *out);
int qapkg_collection(const qapkg *k, unsigned char **db, size_t *len,
		     char *err, size_t errlen);

/* previous.c: read the previous deck at path. model_json is this build's
 * notetype, compared with the previous one without mod, usn and did.
 * 0 on success; else -1 with err, and prev stays empty. Touches nothing
 * but p (it runs in a thread of its own). */
void qapkg_prev_init(qapkg_prev *p);
void qapkg_prev_free(qapkg_prev *p);
int qapkg_prev_load(qapkg_prev *p, const char *path, const char *model_json,
		    char *err, size_t errlen);
/* Same, from the bytes of a collection.anki2 (read in place, not kept).
 * 0 on success, else -1 with err. */
int qapkg_prev_load_db(qapkg_prev *p, const void *db, size_t n,
		       const char *model_json, char *err, size_t errlen);

/* zipout.c */
typedef struct qapkg_entry {
	const char *name;
	const void *data;
	size_t len;
	bool deflate;
} qapkg_entry;
/* A zip of the entries, in memory, with fixed times (from epoch, UTC). */
int qapkg_zip(const qapkg_entry *e, int n, long long epoch, qbuf *out,
	      char *err, size_t errlen);
/* Read one entry of the zip at path (at most max bytes) into out. */
int qapkg_unzip_file(const char *path, const char *name, size_t max,
		     qbuf *out, char *err, size_t errlen);
/* Same for a zip held in memory. */
int qapkg_unzip_mem(const void *zip, size_t n, const char *name, size_t max,
		    qbuf *out, char *err, size_t errlen);

#endif
