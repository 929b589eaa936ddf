/* lift.h - the lifter: repaired notes in, well-formed CommonMark out,
 * plus the side data the builder needs (notes-dialect.md, stage 1).
 *
 * The lifter decides, line by line, what the notes mean: fenced code is
 * kept; unfenced code becomes a fence with a guessed language; aligned
 * and pipe tables become placeholders (`<!--quire:table:N-->`) with their
 * cells kept here; bare question lines and bare section titles become ATX
 * headings; separators are never setext underlines; answer markers
 * (`A:`, `Answer:`, a lone 👉) are removed; identifiers are escaped so
 * cmark does not read `__init__` as bold. Every lifted line knows the
 * notes line it came from, and marked lines carry a qmark.
 *
 * Ownership: qlift_run() fills a caller-owned qlift; qlift_free() frees
 * everything in it. Strings live in the qlift's arena.
 */
#ifndef QUIRE_LIFT_H
#define QUIRE_LIFT_H

#include <cmark.h>
#include <stdbool.h>

#include "../model/model.h"
#include "../util/arena.h"
#include "../util/buf.h"
#include "../util/diag.h"

typedef enum {
	QM_NONE = 0,
	QM_HEADING,    /* an ATX heading of the notes (level, full) */
	QM_QUESTION,   /* a bare question line made a heading (full, number) */
	QM_TITLE,      /* a bare section title made a heading (full) */
	QM_CODE,       /* a fence the lifter wrote (lang, caption) */
	QM_TABLE,      /* a table placeholder (table) */
	QM_FOOTNOTE,   /* a footnote's definition `[^1]: text` (table: its index
	                * in footnotes) */
	QM_END,        /* end of a card (after </details>) */
	QM_SPOILER,    /* <details><summary>Answer</summary>: what follows, up
	                * to QM_SPOILER_END, is the current question's answer */
	QM_SPOILER_END,
	QM_ANSWER,     /* an answer marker (`%`, `**Answer:**`, `__ANSWER__`):
	                * what came before it since the question is part of the
	                * front; with no question open, the heading or
	                * paragraph before it is the question */
} qmark_kind;

typedef struct qmark {
	qmark_kind kind;
	int src;              /* line in the notes */
	int level;            /* QM_HEADING */
	const char *full;     /* heading text as written, no # marks, trimmed */
	const char *lang;     /* QM_CODE */
	const char *caption;  /* QM_CODE: `#### test_db.py` -> "test_db.py" */
	bool guessed;         /* QM_CODE: unfenced code */
	const char *rule;     /* QM_QUESTION: the rule that found it */
	bool reversible;      /* QM_QUESTION: term:::definition, ?? cards */
	int table;            /* QM_TABLE: index in tables */
} qmark;

typedef struct qlift_table {
	int src;              /* line of the header row */
	int ncols, nrows;     /* nrows counts the header row */
	const char **cells;   /* nrows * ncols, inline CommonMark, never NULL */
	int *rowsrc;          /* nrows: notes line of each row */
	qalign *align;        /* ncols */
	const char *caption;  /* or NULL */
	int caption_src;
	bool header;
	bool guessed;         /* aligned text, not a pipe table */
} qlift_table;

/* A formula the lifter took out of the text (reader/math.h): its
 * placeholder (math.h) is what cmark reads. */
typedef struct qlift_math {
	const char *tex;      /* as written, without delimiters */
	size_t len;
	bool display;         /* $$…$$, \[…\], lines of their own */
} qlift_math;

typedef struct qlift {
	qarena arena;
	qbuf text;            /* the lifted CommonMark */
	int *src;             /* src[i]: notes line of lifted line i (1-based) */
	int *mark;            /* mark[i]: 1 + index in marks, or 0 */
	int nlines, caplines;
	qmark *marks;
	int nmarks, capmarks;
	qlift_table *tables;
	int ntables, captables;
	qlift_math *maths;
	int nmaths, capmaths;
	struct qlift_footnote {
		const char *label;    /* `1` of [^1] */
		const char *text;     /* its Markdown, lines joined */
	} *footnotes;
	int nfootnotes, capfootnotes;
	cmark_node *tree;     /* cmark's tree of the text before lifting, made
	                       * with the allocator given to qlift_run();
	                       * qlift_free() frees it unless taken (NULL) */
	bool unchanged;       /* the lifted text is the text given: `tree`
	                       * is the tree of the lifted text too */
	bool tool_cards;      /* the notes write their cards as Obsidian_to_Anki
	                       * notes: those are the cards, headings are not */
} qlift;

/* Flashcard separators of Obsidian Spaced Repetition (its settings, which
 * users change: `;;` for `::`), and whether the notes follow its
 * convention (a #flashcards tag, or several clear `front::back` lines). */
typedef struct qcard_seps {
	const char *inline_sep;       /* "::" */
	const char *inline_rev;       /* ":::" */
	const char *multi;            /* "?" */
	const char *multi_rev;        /* "??" */
} qcard_seps;

typedef struct qlift_opts {
	bool flashcards;              /* read the separators as cards */
	qcard_seps seps;              /* NULL members: the defaults */
} qlift_opts;

/* Lift n bytes of repaired text that start at notes line first_line.
 * mem: the allocator of cmark's first reading (NULL: cmark's default);
 * o may be NULL. */
void qlift_run(const char *text, size_t n, int first_line, qlift *out, qdiags *d,
	       cmark_mem *mem, const qlift_opts *o);
/* Do the notes follow Obsidian Spaced Repetition's convention without
 * its tag (the reader sees the tag itself): at least two lines
 * `front::back` whose front is words (not `std::vector`)? */
bool qlift_flashcards(const char *text, size_t n, const qcard_seps *seps);
/* The text as it is, lifted by nothing (--from commonmark): only the
 * line map is made. */
void qlift_verbatim(const char *text, size_t n, int first_line, qlift *out);
void qlift_free(qlift *l);
/* The mark of lifted line i, or NULL. */
const qmark *qlift_mark(const qlift *l, int line);
/* The notes line of lifted line i (clamped). */
int qlift_src(const qlift *l, int line);
/* Append the lifted text to out as plain CommonMark with GFM tables:
 * each table placeholder replaced by the table's caption and a pipe
 * table (what `quire --lifted` prints). */
void qlift_print(const qlift *l, qbuf *out);

/* Table detection (table.c), used by the lifter. `lines` are the
 * candidate lines (no blank line among them). Returns the number of
 * lines taken as a table starting at lines[0] (0: not a table) and fills
 * t (cells in l's arena). */
typedef struct qline_ref {
	const char *s;
	size_t len;
	int no;
} qline_ref;
int qtable_aligned(qlift *l, const qline_ref *lines, int n, qlift_table *t);
int qtable_pipe(qlift *l, const qline_ref *lines, int n, qlift_table *t);
/* Could this line be part of an aligned table (2+ cells)? */
bool qtable_row_like(const char *s, size_t n);

/* Inline protection (inline.c): append prose so that cmark prints it as
 * written: identifiers escaped, bare URLs as autolinks, unknown tags
 * escaped. */
void qinline_protect(const char *s, size_t n, qbuf *out);
/* The same, and formulas (`$…$`, `\(…\)`, ...) put into l's table with
 * a placeholder in their place (l may be NULL: formulas stay text). */
void qinline_protect_in(qlift *l, const char *s, size_t n, qbuf *out);

#endif
