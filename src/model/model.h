/* model.h - the study model: what every back end reads.
 *
 * A document is a tree of nodes. The reader (src/reader) builds it from
 * notes; back ends (src/backend) only walk it, with the one iterator in
 * walk.h, and never see Markdown.
 *
 *   QN_DOCUMENT   blocks, cards and sections
 *   QN_SECTION    first child QN_TITLE, then blocks, cards and sections
 *   QN_CARD       exactly two children: QN_QUESTION, then QN_ANSWER
 *   QN_QUESTION   inlines (the question without its number; see card.number)
 *   QN_ANSWER     blocks (never empty: a question without answer is no card)
 *   blocks        QN_PARAGRAPH QN_LABEL QN_LIST>QN_ITEM QN_CODE QN_TABLE
 *                 QN_QUOTE QN_RULE QN_HTML QN_HEADING QN_MATH_BLOCK
 *                 QN_CALLOUT QN_FOOTNOTE
 *   QN_TABLE      optional QN_CAPTION, then QN_ROW (first row = header when
 *                 table.header), each QN_ROW holds QN_CELL (inlines)
 *   QN_CALLOUT    a framed note (`> [!note] Title`, `!!! note`): optional
 *                 QN_CAPTION (its title), then blocks; callout.kind
 *   QN_FOOTNOTE   a footnote's text (blocks); footnote.label, .number
 *   inlines       QN_TEXT QN_CODE_SPAN QN_EMPH QN_STRONG QN_LINK QN_IMAGE
 *                 QN_SOFTBREAK QN_LINEBREAK QN_SUB QN_SUP QN_STRIKE
 *                 QN_MARK QN_CLOZE QN_MATH QN_FOOTREF, and QN_HTML when
 *                 it is the placeholder of omitted raw HTML (omit_html)
 *
 * qdoc_check() (check.h) verifies this grammar.
 *
 * Leaves (QN_TEXT, QN_CODE_SPAN, QN_CODE, QN_RULE, QN_HTML, QN_SOFTBREAK,
 * QN_LINEBREAK, QN_MATH, QN_MATH_BLOCK, QN_FOOTREF) carry their text in
 * `text`/`len` (UTF-8, NUL-terminated) and have no children. Every node
 * keeps the 1-based line of the notes file it came from.
 *
 * A back end that does not know how to show an inline container (QN_SUB,
 * QN_MARK, ...) shows its children; a leaf it does not know, its text.
 * Nothing the notes say may vanish.
 *
 * Nesting of blocks is capped at QMODEL_MAX_DEPTH by the reader (deeper
 * content is kept, attached at the cap, with a warning), so a back end may
 * keep per-depth state in fixed arrays, but must still walk with qiter and
 * never recurse.
 *
 * Ownership: a qdoc owns everything reachable from it: every node and
 * string lives in doc->arena and is freed by qdoc_free(). Nodes are never
 * freed one by one. Back ends receive `const qdoc *` and must not change
 * it.
 */
#ifndef QUIRE_MODEL_H
#define QUIRE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/arena.h"
#include "../util/buf.h"

#define QMODEL_MAX_DEPTH 32

typedef enum qtype {
	QN_NONE = 0,
	/* structure */
	QN_DOCUMENT,
	QN_SECTION,
	QN_TITLE,
	QN_CARD,
	QN_QUESTION,
	QN_ANSWER,
	/* blocks */
	QN_PARAGRAPH,
	QN_HEADING,   /* a heading inside prose that is neither section nor
	               * question (e.g. deeper than a card); heading.level */
	QN_LABEL,     /* `What it is:` - a label inside the text (inlines) */
	QN_LIST,
	QN_ITEM,
	QN_CODE,      /* text = code (ends with '\n' unless empty) */
	QN_TABLE,
	QN_CAPTION,
	QN_ROW,
	QN_CELL,
	QN_QUOTE,
	QN_RULE,
	QN_HTML,      /* text = sanitized, well-formed XHTML fragment */
	QN_MATH_BLOCK,/* text = TeX as written, without delimiters */
	QN_CALLOUT,   /* callout.kind; optional QN_CAPTION, then blocks */
	QN_FOOTNOTE,  /* footnote.label, footnote.number; blocks */
	/* inlines */
	QN_TEXT,
	QN_CODE_SPAN,
	QN_EMPH,
	QN_STRONG,
	QN_LINK,      /* link.url, link.title; children = link text */
	QN_IMAGE,     /* link.url, link.title; children = alt text */
	QN_SOFTBREAK,
	QN_LINEBREAK,
	QN_SUB,       /* subscript (<sub>, ~x~) */
	QN_SUP,       /* superscript (<sup>, ^x^) */
	QN_STRIKE,    /* struck out (~~x~~, <del>, <s>) */
	QN_MARK,      /* highlighted (==x==, <mark>) */
	QN_CLOZE,     /* {{c1::x::hint}}: cloze.number, cloze.hint; children = x */
	QN_MATH,      /* text = TeX as written, without delimiters */
	QN_FOOTREF,   /* a reference to QN_FOOTNOTE footnote.number; text = label */
	QN__COUNT
} qtype;

typedef enum { QALIGN_NONE, QALIGN_LEFT, QALIGN_CENTER, QALIGN_RIGHT } qalign;

typedef struct qnode qnode;

typedef struct qsection_info {
	int level;           /* 1.. (after promotion of a lone top title) */
	const char *plain;   /* title as plain text, decorations kept */
	const char *name;    /* title without leading decorations (🔹 ✅ 👉) */
	/* plain and name as a reader sees them, formulas as Unicode text
	 * (qnode_plain_shown); set by qdoc_index, the same strings when
	 * the title has no formula. Only to show: keys, anchors and the
	 * reader's rules use plain and name. */
	const char *shown, *shown_name;
	const char *anchor;  /* unique id, a valid XML name: "s-..." */
	bool bare;           /* was a bare title line, not a heading */
	int heading;         /* the level of the heading it came from as
	                      * written (1-6), 0 for a bare title */
	int index;           /* 0-based order among all sections */
	const char *file;    /* a part of a book: the notes file it came from
	                      * (its nodes' lines are that file's); else NULL */
} qsection_info;

typedef struct qcard_info {
	const char *number;  /* as written: "Q12.", "12.", "Q3:" or NULL */
	const char *plain;   /* question as plain text, without number */
	const char *full;    /* as `--questions` prints it: number + text */
	const char *shown;   /* plain as a reader sees it, formulas as
	                      * Unicode text; set by qdoc_index (plain
	                      * itself when there is no formula) */
	const char *key;     /* duplicate key (notes-dialect.md section 2) */
	const char *anchor;  /* unique id, a valid XML name: "q-..." */
	int index;           /* 0-based order among all cards */
	qnode *first;        /* first card with the same key (self if first) */
	int repeat;          /* 0 for the first card of a key, then 1, 2, ... */
	int heading;         /* the level of the heading the question was
	                      * written as (1-6), 0 when it was no heading */
	const char *rule;    /* the reader's rule that made it ("heading",
	                      * "qa-lines", "obsidian-inline", ...) */
	const char **tags;   /* the card's own tags (#tag after the question),
	                      * without '#'; ntags of them */
	int ntags;
	bool reversible;     /* a term and its definition: may be asked
	                      * backwards (term:::def, definition lists) */
	int front_blocks;    /* the first N blocks of the answer belong to the
	                      * question (its code, its options): the deck shows
	                      * them on the front; the booklet as they come */
	bool topic;          /* a topic card: a heading and its text, no
	                      * question (the deck's front is the section path) */
	const qnode *follows;/* a follow-up question: the card it is asked
	                      * after (the deck's front names it), else NULL */
} qcard_info;

typedef struct qcode_info {
	const char *lang;    /* "python", "sql", "shell", "json", "javascript",
	                      * "c", "text", other info words, or "" */
	const char *caption; /* e.g. "test_db.py" from `#### test_db.py`, or NULL */
	bool guessed;        /* unfenced code found by the reader */
} qcode_info;

typedef struct qlist_info {
	bool ordered;
	bool tight;
	int start;
} qlist_info;

typedef struct qtable_info {
	int ncols;
	bool header;         /* first QN_ROW is a header row */
	bool guessed;        /* aligned-text table found by the reader */
	const qalign *align; /* ncols entries */
} qtable_info;

typedef struct qlink_info {
	const char *url;
	const char *title;   /* may be "" */
	const char *file;    /* QN_IMAGE: the local file the URL names, as a
	                      * path the reader checked lies inside the notes'
	                      * folder or a --resource-path folder; NULL when
	                      * the image is remote, missing or refused */
} qlink_info;

typedef struct qcloze_info {
	int number;          /* the N of cN, >= 1 */
	const char *hint;    /* or NULL */
	bool deletion;       /* QN_MARK: a cloze deletion as the notes' flashcard
	                      * settings write one (`==text==` in notes tagged
	                      * #flashcards), numbered by the deck; its hint
	                      * in hint */
} qcloze_info;

typedef struct qfootnote_info {
	const char *label;   /* as written: "1", "note" */
	int number;          /* 1-based, in order of first reference */
	bool referenced;     /* QN_FOOTNOTE: some QN_FOOTREF refers to it */
} qfootnote_info;

typedef struct qcallout_info {
	const char *kind;    /* lower case: "note", "tip", "warning", ... */
	bool labelled;       /* a block quote titled by a bold label of its
	                      * own (`> **Theorem 1**`), not `[!kind]` */
	bool generic;        /* that label is only its kind and a number */
} qcallout_info;

struct qnode {
	qtype type;
	int line;
	qnode *parent, *first, *last, *prev, *next;
	const char *text;    /* leaves only; NUL-terminated, len bytes */
	size_t len;
	union {              /* only the member of the node's type: see qnode_new */
		qsection_info section;
		qcard_info card;
		qcode_info code;
		qlist_info list;
		qtable_info table;
		qlink_info link;
		qcloze_info cloze;
		qfootnote_info footnote;
		qcallout_info callout;
		int level;       /* QN_HEADING */
	} u;
};

/* Every question the reader found, answered or not (`--questions`). */
typedef struct qquestion {
	int line;
	const char *full;    /* number + text, as written after repair */
	bool answered;       /* false: no card was made (lint warning) */
	const char *rule;    /* the reader's rule that found it (card.rule) */
	const char *file;    /* in a book: the notes file; else NULL */
} qquestion;

typedef struct qdoc {
	qarena arena;
	qnode *root;          /* QN_DOCUMENT */
	const char *title;    /* never NULL */
	qnode *title_node;    /* the QN_TITLE of the heading the title came
	                      * from (not in the tree), or NULL */
	const char *title_shown; /* title with its formulas as Unicode text,
	                      * made by qdoc_index from title_of (see
	                      * qdoc_title_shown: a title set later wins) */
	const char *title_of;
	const char *subtitle; /* may be "" */
	const char *author;   /* may be "": every author, joined by ", " */
	const char **authors; /* nauthors of them */
	int nauthors;
	const char *date;     /* as written in the metadata, or "" */
	const char *description; /* or "" */
	const char **keywords;   /* nkeywords (front matter keywords/tags) */
	int nkeywords;
	const char *cover;    /* a checked local image path, or NULL */
	const char *deck;     /* the deck's name the notes ask for, or NULL */
	const char *paper;    /* the booklet's paper the notes ask for, or NULL */
	/* What the notes ask of the deck (front matter; the command line
	 * wins): which marks make clozes ("auto", "marked", "highlight", or
	 * NULL: not said), term cards asked backwards too, section tags. */
	const char *cloze;
	bool reversed;
	bool tag_sections;
	bool flashcards;      /* tagged as Obsidian Spaced Repetition's notes
	                       * (#flashcards, #flashcards/DECK, in the text
	                       * or the front matter): highlights are clozes
	                       * unless the notes or the command line say not */
	const char *lang;     /* BCP 47, default "en" */
	const char *source;   /* path of the notes as given (for messages) */
	const char *stem;     /* file name without folder and extension */
	qnode **cards;        /* all cards in document order */
	int ncards;
	qnode **sections;     /* all sections in document order */
	int nsections;
	int nkeys;            /* distinct card keys (= notes in the deck) */
	uint64_t made;        /* bit 1 << type of every type of node made in
	                       * this document (or moved in with qdoc_adopt):
	                       * a walk for a type without its bit is done at
	                       * once (qdoc_may_hold, qiter_init_of) */
	qquestion *questions; /* set by the reader, in document order */
	int nquestions;
} qdoc;

/* Lifecycle. qdoc_new never fails (out of memory exits, see arena.h). */
qdoc *qdoc_new(void);
void qdoc_free(qdoc *doc);   /* NULL is a no-op */

/* Building (used by the reader and by tests). */
/* A node has room for the info (u) of its own type only: reading or
 * writing another type's member is out of bounds (poisoned under
 * AddressSanitizer). qnode_set_type changes a node's type to one whose
 * info is no larger (a text to a link, a quote to a callout). */
qnode *qnode_new(qdoc *doc, qtype type, int line);
void qnode_set_type(qdoc *doc, qnode *n, qtype type);
/* Move src's nodes, and src itself (it lives in its arena), into dst's
 * arena: they are freed with dst. src is not used again. */
void qdoc_adopt(qdoc *dst, qdoc *src);
/* May the tree of doc hold a node of type t? False only when no node of
 * that type was ever made in it. */
bool qdoc_may_hold(const qdoc *doc, qtype t);
qnode *qnode_new_text(qdoc *doc, qtype type, int line, const char *s,
		      size_t n);
void qnode_append(qnode *parent, qnode *child);
void qnode_insert_before(qnode *at, qnode *child);   /* at has a parent */
/* Take node out of its parent (a front block of a card: the card has one
 * fewer). */
void qnode_unlink(qnode *node);
/* Move all of from's children, in order, to the end of `to` or before
 * `at` (which has a parent); from is left empty. */
void qnode_append_children(qnode *to, qnode *from);
void qnode_insert_children_before(qnode *at, qnode *from);
const char *qdoc_strdup(qdoc *doc, const char *s, size_t n);
/* Fill doc->cards, doc->sections, card.index/first/repeat, anchors and
 * nkeys from the tree. Call once after building. */
void qdoc_index(qdoc *doc);

/* Queries. */
const char *qtype_name(qtype t);
/* Leaves hold text or nothing, never children (inline: every walk of
 * the tree asks it of every node). */
static inline bool qtype_is_leaf(qtype t)
{
	switch (t) {
	case QN_TEXT: case QN_CODE_SPAN: case QN_CODE: case QN_RULE:
	case QN_HTML: case QN_SOFTBREAK: case QN_LINEBREAK: case QN_MATH:
	case QN_MATH_BLOCK: case QN_FOOTREF:
		return true;
	default:
		return false;
	}
}
bool qtype_is_inline(qtype t);
qnode *qnode_section(const qnode *n);   /* nearest enclosing section */
/* The notes file a node came from in a book (its part's section.file),
 * or NULL outside a book. Borrowed from the document. */
const char *qnode_file(const qnode *n);
/* Plain text of a node's inlines (or whole subtree) appended to out:
 * soft breaks become spaces, code as written. */
void qnode_plain(const qnode *n, qbuf *out);
/* The same, with formulas as readable Unicode text (util/texplain.h):
 * for what the outputs show as text only. qnode_plain stays the text
 * keys and rules are made of. */
void qnode_plain_shown(const qnode *n, qbuf *out);
/* What the outputs show for a section's title, decorated (plain) or
 * not (name), a card's question, the document's title: formulas as
 * text once qdoc_index has run, else the plain text itself. */
static inline const char *qsection_shown(const qnode *s)
{
	return s->u.section.shown ? s->u.section.shown : s->u.section.plain;
}
static inline const char *qsection_shown_name(const qnode *s)
{
	return s->u.section.shown_name ? s->u.section.shown_name : s->u.section.name;
}
static inline const char *qcard_shown(const qnode *c)
{
	return c->u.card.shown ? c->u.card.shown : c->u.card.plain;
}
static inline const char *qdoc_title_shown(const qdoc *d)
{
	return d->title_shown && d->title_of == d->title ? d->title_shown : d->title;
}
/* Section path of a node: the titles (section.name) of its enclosing
 * sections from the top, joined by sep, appended to out. */
void qnode_section_path(const qnode *n, const char *sep, qbuf *out);
/* The same path of the names as shown (qsection_shown_name). */
void qnode_section_path_shown(const qnode *n, const char *sep, qbuf *out);
/* What an indexed document holds, counted (the title page's count
 * line; its words are the back ends', render/words.h). */
typedef struct qcounts {
	int questions;   /* cards */
	int sections;    /* 0: notes that only ask */
} qcounts;
qcounts qdoc_counts(const qdoc *doc);
/* Append the duplicate key of a question text (number stripped, lower
 * case, ’ as ', non-word characters as spaces, spaces collapsed; a
 * CommonMark backslash escape counts as the character it escapes). */
void qcard_key(const char *question, size_t n, qbuf *out);

#endif
