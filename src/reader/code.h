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

/* Evidence that a line (leading indentation already removed) is code. */
qcode_ev qcode_evidence(const char *s, size_t n);
/* A `# comment` line of code, or a `#### name.py` caption? */
bool qcode_is_comment(const char *s, size_t n);
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
const char *qcode_language(const qlang_votes *v);

#endif
