/* diag.h - diagnostics collected while reading notes and writing outputs.
 *
 * Nothing below the command line prints. Every module adds diagnostics to
 * a qdiags list with a position in the notes file; the CLI prints them as
 * `notes.md:12:3: warning: message [kind]` so editors can jump there.
 * `kind` is a short fixed tag (a string literal: "mojibake", "no-answer",
 * "guess-code", ...) used to count and filter; `verbose` diagnostics are
 * guesses, shown only with -v.
 *
 * A diagnostic about another file than the notes (a style file, the font
 * roles) names that file: qdiag_at() takes its name, so the message reads
 * `styles/booklet.conf:3: warning: ...`.
 *
 * Ownership: the caller owns the qdiags struct and calls qdiags_free();
 * messages are copied in. The list's default `file` is borrowed and must
 * outlive it; names given to qdiag_at() are copied (kept once per name).
 */
#ifndef QUIRE_DIAG_H
#define QUIRE_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum { QD_NOTE, QD_WARNING, QD_ERROR } qsev;

typedef struct qdiag {
	const char *file;  /* borrowed */
	int line, col;     /* 1-based; 0 = unknown */
	qsev sev;
	bool verbose;      /* a guess: shown with -v only */
	const char *kind;  /* string literal */
	char *msg;         /* owned */
	size_t seq;        /* order of addition, keeps sorting stable */
} qdiag;

typedef struct qdiag_tally {
	const char *kind;
	size_t count;    /* every one, guesses and capped ones too */
	size_t shown;    /* kept to be shown (not guesses) */
	size_t capped;   /* beyond max_per_kind: counted, not kept */
} qdiag_tally;

typedef struct qdiags {
	qdiag *v;
	size_t n, cap;
	const char *file;  /* default file for new entries (borrowed) */
	size_t errors;
	size_t warnings, notes;  /* by severity, capped ones too (not guesses) */
	size_t max_per_kind;  /* 0 = unlimited; beyond it entries are counted only,
	                       * and qdiags_print says how many it did not show */
	size_t suppressed;
	bool keep_guesses;      /* store verbose guesses (else only count them) */
	qdiag_tally tally[48];  /* per-kind counts, including suppressed */
	size_t ntally;
	char **names;           /* owned copies of the files named by qdiag_at() */
	size_t nnames;
} qdiags;

void qdiags_init(qdiags *d, const char *file);
void qdiags_free(qdiags *d);
void qdiag_add(qdiags *d, qsev sev, int line, int col, const char *kind,
	       const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void qdiag_addv(qdiags *d, qsev sev, bool verbose, int line, int col,
		const char *kind, const char *fmt, va_list ap);
/* A diagnostic about `file` (copied) instead of the list's default file;
 * line 0 = the file as a whole. */
void qdiag_at(qdiags *d, const char *file, qsev sev, int line, const char *kind,
	      const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* A guess (shown with -v). */
void qdiag_guess(qdiags *d, int line, const char *kind, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* How many diagnostics of this kind were added (suppressed ones too). */
size_t qdiags_count(const qdiags *d, const char *kind);
/* Move every diagnostic of src to the end of dst (src is left empty). */
void qdiags_merge(qdiags *dst, qdiags *src);
/* Sort by line (stable) and print; verbose entries only when show_verbose.
 * Then, per kind capped by max_per_kind, one note of how many more there
 * were. */
void qdiags_print(qdiags *d, FILE *f, bool show_verbose);

#endif
