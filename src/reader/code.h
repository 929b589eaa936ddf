/* code.h - is a line of notes code, and in which language?
 * (notes-dialect.md section 4). Pure functions on borrowed text.
 */
#ifndef QUIRE_CODE_H
#define QUIRE_CODE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
	QCE_PROSE = -1,   /* certainly prose (an arrow outside a comment, ...) */
	QCE_NONE = 0,     /* no evidence */
	QCE_WEAK = 1,     /* may continue a run of code, cannot start one */
	QCE_STRONG = 2,   /* starts a run of code */
} qcode_ev;

/* What a line (leading indentation removed) looks like, as QT_* bits. */
enum {
	QT_PROSE = 1 << 0,      /* an arrow outside a comment, a full stop */
	QT_PY_STRONG = 1 << 1,  /* def, class, import, decorator, if ...:, return */
	QT_PY_WEAK = 1 << 2,    /* an assignment or a call */
	QT_SQL = 1 << 3,        /* an SQL statement */
	QT_SQL_START = 1 << 4,  /* starts with an SQL keyword */
	QT_SHELL = 1 << 5,      /* a shell command */
	QT_LITERAL = 1 << 6,    /* a JSON or Python literal line */
	QT_JSON_KEY = 1 << 7,   /* "key": value */
	QT_C = 1 << 8,
	QT_JS = 1 << 9,
	QT_WEAK = 1 << 10,      /* a closer, a comment, a continuation */
};
/* Does s (n bytes) start with the string p? */
bool qcode_starts(const char *s, size_t n, const char *p);
unsigned qcode_traits(const char *s, size_t n);
qcode_ev qcode_evidence_of(unsigned traits);
/* Text of a file-name caption heading (`#### test_db.py`): returns the
 * length of the name and sets *name, or 0 when it is not one. */
size_t qcode_caption(const char *s, size_t n, const char **name);
/* Bracket depth change of a line, ignoring brackets inside strings and
 * comments; *triple toggles when a line opens or closes a triple-quoted
 * string (which then continues the run). */
int qcode_depth(const char *s, size_t n, int *triple);

/* Language of a run of lines: "python", "sql", "shell", "json",
 * "javascript", "c" or "text". */
typedef struct qlang_votes {
	int python, sql, shell, json, js, c;
} qlang_votes;
void qcode_vote(qlang_votes *v, const char *s, size_t n);
void qcode_vote_traits(qlang_votes *v, unsigned traits);
const char *qcode_language(const qlang_votes *v);

#endif
