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
 *
 * The zip is made and read by libzip (backend/zip); the collection is
 * deflated in pieces on a pool of threads (util/pool.h), which also
 * makes the fields while the previous deck is read.
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
 * A qapkg_db owns its database and is freed with qapkg_db_close().
 */
#ifndef QUIRE_APKG_H
#define QUIRE_APKG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../util/arena.h"
#include "../../util/pool.h"
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
/* The previous deck (previous.c): a file or collection larger than this
 * is not read (warning); nor a collection that unpacks to more than
 * RATIO times its file (unless under FLOOR); values longer than
 * VALUE_MAX, guids longer than GUID_MAX; and reading it stops after
 * STEPS_BASE + STEPS_PER_BYTE * (collection size) SQLite steps. */
#define QAPKG_PREV_MAX ((size_t)1 << 30)
#define QAPKG_PREV_RATIO 64
#define QAPKG_PREV_FLOOR ((size_t)16 << 20)
#define QAPKG_PREV_VALUE_MAX (32 << 20)
#define QAPKG_PREV_GUID_MAX 64
#define QAPKG_PREV_STEPS_BASE 1000000LL
#define QAPKG_PREV_STEPS_PER_BYTE 16LL

typedef struct qapkg_prev_note qapkg_prev_note;

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
	const qapkg_prev_note *prev;   /* the same note in the previous deck */
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
struct qapkg_prev_note {
	long long mod;
	uint64_t hash;            /* qapkg_content_hash of fields and tags */
};

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
/* A new mod for a changed thing: the build time, but always after prev. */
long long qapkg_next_mod(long long epoch, long long prev);
/* notes.c: the notes of the cards, in steps:
 *  qapkg_group_cards()  one note per distinct key (k->notes, k->cards)
 *  qapkg_make_fields()  fields, sort field and checksum of every note,
 *                       shared out on the pool (may be NULL)
 *  qapkg_identify()     guid, ids, deck, tags and due of every note, the
 *                       decks, k->by_id, and each note's previous
 *                       version and mod (prev may be NULL: none) */
void qapkg_group_cards(qapkg *k);
void qapkg_make_fields(qapkg *k, qpool *pool);
void qapkg_identify(qapkg *k, const qapkg_prev *prev);
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
/* The question, answer and source fields of a note, joined by 0x1f,
 * into out; the question as Anki strips it (the sort field) into sort. */
void qapkg_note_fields(const qapkg *k, const qapkg_note *note, qbuf *out, qbuf *sort);
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
 * at the end); qapkg_db_note() adds a note and its card (in increasing
 * id order: the tables' pages are filled by appending);
 * qapkg_db_finish() adds the `col` row and the indexes and points *db
 * at the file's bytes, which stay the database's (valid until
 * qapkg_db_close). 0, else -1 with err. One thread at a time may use a
 * qapkg_db. */
void qapkg_model_json(const qapkg *k, long long mod, qbuf *out);
/* Set SQLite up for this back end (once; before any other use: the
 * functions here that open a database call it). */
void qapkg_sqlite_init(void);
typedef struct qapkg_db qapkg_db;
qapkg_db *qapkg_db_open(size_t hint);
void qapkg_db_note(qapkg_db *c, const qapkg_note *n);
int qapkg_db_finish(qapkg_db *c, const qapkg *k, const unsigned char **db, size_t *len,
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
/* The same from the bytes of the .apkg, or of its collection.anki2 with
 * a budget of `steps` SQLite steps (qapkg_prev_steps() of its size is
 * the one used). */
int qapkg_prev_load_zip(qapkg_prev *p, const void *zip, size_t n, const char *model_json,
			char *err, size_t errlen);
int qapkg_prev_load_db(qapkg_prev *p, const void *db, size_t n, const char *model_json,
		       long long steps, char *err, size_t errlen);
long long qapkg_prev_steps(size_t n);

#endif
