/* apkg.h - the pieces of the Anki back end (private to src/backend/apkg).
 *
 * The deck is a legacy package every Anki from 2.1 to today reads: a zip
 * holding `collection.anki2` (SQLite, schema 11) and a `media` map. The
 * work is split so each file does one thing:
 *
 *   apkg.c        the back end: options, styles, previous deck, build, pack
 *   notes.c       the notes: one per distinct question (cards merged),
 *                 one per block holding clozes; guid, ids, tags, mod
 *   fields.c      the fields of each note type; content hash
 *   cloze.c       the blocks holding clozes, and their Text field
 *   match.c       reworded questions found again; the rebuild summary
 *   sanitize.c    field HTML made safe; Anki's stripping and checksum
 *   decks.c       deck names and tags from the section path, deck ids
 *   collection.c  the SQLite collection: schema, col JSON, rows, serialise
 *   previous.c    reading the previous deck at the output path
 *   media.c       the notes' images as the deck's media files
 *
 * The zip is made and read by libzip (backend/zip); the collection is
 * deflated in pieces on a pool of threads (util/pool.h), which also
 * makes the fields while the previous deck is read.
 *
 * Identity (see anki-apkg.md): a note's guid comes from its question key
 * only (a cloze note's: from its clozes), so editing, renumbering,
 * reordering or moving a question keeps it; a question reworded in place
 * keeps the guid it had (match.c). Note and card ids derive from the
 * same hash. A note's `mod` stays the previous deck's when its fields and
 * tags are unchanged, so re-importing a rebuild updates exactly the
 * notes that changed.
 *
 * Ownership: a qapkg owns everything it builds in its arena and maps and
 * is freed with qapkg_free(); the job and the model are borrowed. A
 * qapkg_prev owns its arena, map and order and is freed with
 * qapkg_prev_free().
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
#include "../../render/words.h"
#include "../../render/xhtml.h"
#include "../backend.h"
#include "options.h"

/* The note types, with fixed ids shared by every quire deck:
 *   BASIC   "quire": Question, Answer, Section, Source, Booklet page,
 *           Reverse; cards Recall (always) and Reverse (when the Reverse
 *           field is not empty)
 *   CLOZE   "quire cloze" (Anki's cloze type): Text, Extra, Source,
 *           Booklet page
 *   LEGACY  quire 0.1's "quire": Question, Answer, Source; card Recall.
 *           Anki never changes the type of a note on import (a type of
 *           another shape makes it skip the note), so a note that the
 *           previous deck had on this type stays on it.
 * The order of QAPKG_KINDS is the order of the types in the collection. */
typedef enum qapkg_kind { QAPKG_BASIC, QAPKG_CLOZE, QAPKG_LEGACY, QAPKG_KINDS } qapkg_kind;
#define QAPKG_LEGACY_ID 1577836800077LL
#define QAPKG_BASIC_ID 1577836800177LL
#define QAPKG_CLOZE_ID 1577836800277LL
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

/* Words of a text for comparing two versions of it (match.c): sorted,
 * distinct 64-bit hashes of its lower-case words. */
typedef struct qapkg_words {
	const uint64_t *v;
	int n;
} qapkg_words;

typedef struct qapkg_note {
	qapkg_kind kind;
	const qnode *first;   /* BASIC, LEGACY: the first card of the key;
	                       * CLOZE: the block holding the clozes */
	int card0, ncards;    /* BASIC, LEGACY: cards[card0 .. +ncards) */
	const int *ords;      /* the cards' ords (a cloze: its number - 1) */
	int nords;
	const char *key;      /* what the guid is made from, arena */
	const char *guid;     /* base91, arena */
	uint64_t guid_bits;   /* the 64 bits the guid encodes */
	long long id;         /* note id, also the id of its first card */
	const long long *card_ids;   /* the id of each card (ords order) */
	long long did;        /* deck of its cards */
	long long mod;        /* seconds */
	int due;              /* 1.. in document order */
	int line;             /* where it starts in the notes */
	const char *flds;     /* the fields, joined by 0x1f (arena) */
	size_t flds_len;
	const char *tags;     /* " a b " or "", arena */
	const char *sfld;     /* sort field: the first field without HTML */
	size_t sfld_len;
	uint32_t csum;        /* Anki's field checksum of the sort field */
	uint64_t hash;        /* qapkg_content_hash (only with a previous version) */
	const qapkg_prev_note *prev;   /* the same note in the previous deck */
	bool reworded;        /* prev was found by match.c, not by guid */
} qapkg_note;

typedef struct qapkg_deck {
	const char *name;     /* "Top::Section::Sub", arena */
	long long id;
} qapkg_deck;

/* A note type as this build writes it. */
typedef struct qapkg_model {
	bool used;                /* some note has it */
	const char *json;         /* its JSON with mod 0 (for comparing) */
	long long mod;
} qapkg_model;

/* An image file the deck holds (media.c). */
typedef struct qapkg_media {
	char name[40];            /* "quire-HEX16.png", in Anki's media folder */
	qbuf data;
	bool svg;                 /* text: deflated; pictures are stored */
} qapkg_media;

typedef struct qapkg {
	const qjob *job;
	qx_opts xopts;            /* how every field is written as HTML */
	qarena arena;
	const char *top;          /* top deck name, arena */
	const char *css;          /* notetype CSS, arena */
	const char *file;         /* the notes' file name, for Source */
	const qwords *words;      /* the deck's own words, in the notes' language */
	bool reversed;            /* reversible cards get a Reverse card */
	bool tag_sections;        /* section path as a hierarchical tag */
	bool highlight_clozes;    /* highlights (QN_MARK) are clozes too */
	bool note_clozes;         /* the deletions the reader marked so
	                           * (QN_MARK cloze.deletion) are clozes */
	qapkg_model models[QAPKG_KINDS];
	long long stamp;          /* newest mod of notes and notetypes: the
	                           * time of the collection and zip entries */
	qapkg_note *notes;        /* in document order, arena */
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
	int nreworded, ngone;     /* match.c: notes found again, notes gone */
	qapkg_media *media;       /* media.c: images, in order of first use */
	int nmedia, cap_media;
	qstrmap media_by_path;    /* file -> media index + 1, or -1: refused */
	const qnode **footnotes;  /* by number 1..maxfoot (or NULL), arena:
	                           * shown at the end of the backs of the
	                           * cards that refer to them */
	int maxfoot;
} qapkg;

/* What the previous deck at the output path held: quire's notes, and
 * quire's note types. */
struct qapkg_prev_note {
	long long id, mod;
	qapkg_kind kind;
	uint64_t hash;            /* qapkg_content_hash of fields and tags */
	const char *guid;
	const char *flds;         /* its fields (qapkg_prev_text() reads them) */
	size_t flds_len;
	int order;                /* 0.. in the previous document's order */
};

typedef struct qapkg_prev_model {
	bool found;               /* the previous deck has this note type */
	bool same;                /* ... the same but for mod, usn and did */
	long long mod;
} qapkg_prev_model;

typedef struct qapkg_prev {
	qarena arena;
	qstrmap notes;            /* guid -> qapkg_prev_note* */
	qapkg_prev_note **order;  /* every note, in the previous order */
	int nnotes;
	bool loaded;              /* a readable quire deck was found */
	qapkg_prev_model models[QAPKG_KINDS];
} qapkg_prev;

/* apkg.c */
void qapkg_init(qapkg *k, const qjob *job);
void qapkg_free(qapkg *k);
/* A new mod for a changed thing: the build time, but always after prev. */
long long qapkg_next_mod(long long epoch, long long prev);
/* notes.c: the notes, in steps:
 *  qapkg_group_notes()  one note per distinct key and one per block that
 *                       holds clozes, in document order (k->notes,
 *                       k->cards), with their kinds, ords and keys
 *  qapkg_make_fields()  fields, sort field, checksum and content hash of
 *                       every note, shared out on the pool (may be NULL)
 *  qapkg_identify()     guid, ids, deck, tags and due of every note, the
 *                       decks, k->by_id, and each note's previous
 *                       version (by guid, else by match.c) and mod (prev
 *                       may be NULL: none)
 * A note of the previous deck on the LEGACY type stays LEGACY: its kind
 * is known only after the previous deck is read, so the fields of such
 * notes are made again by qapkg_identify(). */
void qapkg_group_notes(qapkg *k);
void qapkg_make_fields(qapkg *k, qpool *pool);
void qapkg_identify(qapkg *k, const qapkg_prev *prev);
/* The fields of one note (with its sort field, checksum and hash) into
 * arena a; tmp and sort are scratch buffers. */
void qapkg_note_fields_into(const qapkg *k, qapkg_note *n, qbuf *tmp, qbuf *sort,
			    qarena *a);
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
/* The fields of a note of its kind, joined by 0x1f, into out; the first
 * field as Anki strips it (the sort field) into sort. */
void qapkg_note_fields(const qapkg *k, const qapkg_note *note, qbuf *out, qbuf *sort);
/* A 64-bit hash of a note's content (fields and tags) for finding the
 * notes that changed since the previous deck. Where the note stands in
 * the notes does not count (Source, Booklet page, and the page in a
 * LEGACY Source field): it moves whenever earlier notes change. */
uint64_t qapkg_content_hash(qapkg_kind kind, const char *flds, size_t n, const char *tags);
/* Field i (0-based) of flds (n bytes) in *f, its length in *len; false
 * when flds has fewer fields. */
bool qapkg_field(const char *flds, size_t n, int i, const char **f, size_t *len);
/* Which field holds what, by kind (-1: none). */
int qapkg_body_field(qapkg_kind kind);
int qapkg_section_field(qapkg_kind kind);
int qapkg_field_count(qapkg_kind kind);

/* cloze.c: the blocks that hold clozes (QN_CLOZE; QN_MARK too when
 * k->highlight_clozes), each found once, in document order: fn(ctx,
 * block) for each. A block is the list item around the paragraph
 * holding them, else the paragraph (or heading, label, question, title;
 * a table for a cell or caption). */
void qapkg_cloze_blocks(const qapkg *k, void (*fn)(void *ctx, const qnode *block), void *ctx);
/* The cloze numbers of a block (sorted, distinct) into out (arena), and
 * the text the note's guid is made from into key; their count. */
int qapkg_cloze_numbers(const qapkg *k, const qnode *block, qarena *a, const int **out,
			qbuf *key);
/* The Text field of a block: its HTML with each cloze written as Anki's
 * {{cN::text::hint}}, safe otherwise (qapkg_put_field). False (nothing
 * written) when the clozes could not be placed. */
bool qapkg_cloze_text(const qapkg *k, const qnode *block, qbuf *out);

/* match.c: notes of the previous deck found again although their
 * question was reworded (same section, same neighbours, a similar
 * answer), and the summary of what changed. */
void qapkg_words_of(const char *s, size_t n, qarena *a, qapkg_words *w);
double qapkg_words_similar(const qapkg_words *a, const qapkg_words *b);
void qapkg_match_reworded(qapkg *k, const qapkg_prev *prev);
void qapkg_report(qapkg *k, const qapkg_prev *prev);

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

/* collection.c: the JSON of a note type (mod given), and the
 * collection: a private in-memory SQLite database. qapkg_db_open() makes
 * it with its schema (room for about `hint` bytes; it never fails: an
 * error shows at the end); qapkg_db_note() adds a note and its cards (in
 * increasing id order: the tables' pages are filled by appending);
 * qapkg_db_finish() adds the `col` row and the indexes and points *db
 * at the file's bytes, which stay the database's (valid until
 * qapkg_db_close). 0, else -1 with err. One thread at a time may use a
 * qapkg_db. */
void qapkg_model_json(const qapkg *k, qapkg_kind kind, long long mod, qbuf *out);
long long qapkg_model_id(qapkg_kind kind);
/* Set SQLite up for this back end (once; before any other use: the
 * functions here that open a database call it). */
void qapkg_sqlite_init(void);
typedef struct qapkg_db qapkg_db;
qapkg_db *qapkg_db_open(size_t hint);
void qapkg_db_note(qapkg_db *c, const qapkg_note *n);
int qapkg_db_finish(qapkg_db *c, const qapkg *k, const unsigned char **db, size_t *len,
		    char *err, size_t errlen);
void qapkg_db_close(qapkg_db *c);

/* previous.c: read the previous deck at path. models[kind] is this
 * build's JSON of each note type (NULL: not compared), compared with the
 * previous one without mod, usn and did. 0 on success; else -1 with err,
 * and prev stays empty. Touches nothing but p (it runs beside the field
 * workers). */
void qapkg_prev_init(qapkg_prev *p);
void qapkg_prev_free(qapkg_prev *p);
int qapkg_prev_load(qapkg_prev *p, const char *path, const char *const *models,
		    char *err, size_t errlen);
/* The same from the bytes of the .apkg, or of its collection.anki2 with
 * a budget of `steps` SQLite steps (qapkg_prev_steps() of its size is
 * the one used). */
int qapkg_prev_load_zip(qapkg_prev *p, const void *zip, size_t n,
			const char *const *models, char *err, size_t errlen);
int qapkg_prev_load_db(qapkg_prev *p, const void *db, size_t n, const char *const *models,
		       long long steps, char *err, size_t errlen);
long long qapkg_prev_steps(size_t n);
/* A part of a previous note as text (HTML stripped), appended to out:
 * its question (a cloze note's text), its section path (the first, for
 * a merged note), or its answer (a cloze note's text). */
typedef enum { QAPKG_PREV_QUESTION, QAPKG_PREV_SECTION, QAPKG_PREV_BODY } qapkg_prev_part;
void qapkg_prev_text(const qapkg_prev_note *n, qapkg_prev_part part, qbuf *out);

/* media.c: read the images of the notes' cards (after
 * qapkg_group_notes, before qapkg_make_fields); the <img src> of an
 * image (NULL: show its alt text), safe from any thread; the `media`
 * map as JSON; free the images. */
void qapkg_media_collect(qapkg *k);
const char *qapkg_media_src(void *ctx, const qnode *image);
void qapkg_media_map(const qapkg *k, qbuf *json);
void qapkg_media_free(qapkg *k);

#endif
