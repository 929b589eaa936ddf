/* clozes.h - cloze patterns as Obsidian Spaced Repetition writes them in
 * its settings (`clozePatterns`): how a cloze deletion is written in the
 * notes.
 *
 * A pattern is literal text around the word `answer` (the deleted text)
 * and two optional groups in brackets: one holding a number (`[123;;]`,
 * where the deletion's card number goes, with the text around the number
 * written as is) and one holding the word `hint` (`[;;hint]`, a hint
 * shown in its place). `\[` and `\]` are brackets written as is. So
 * `==[123;;]answer[;;hint]==` reads `==Paris==`, `==1;;Paris==` and
 * `==Paris;;a city==`; `{@{answer}@}` reads `{@{Paris}@}`. The deleted
 * text and a hint run to the first place the rest of the pattern
 * starts, on one line of text; the deleted text starts and ends with no
 * blank, as a highlight does (`x == y == z` compares); a number is digits (the plug-in's
 * overlapping clozes, a letter per card, `ash`, ask on the card of the
 * first `a`).
 *
 * Ownership: a pattern's strings live in the arena it was read into.
 */
#ifndef QUIRE_CLOZES_H
#define QUIRE_CLOZES_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/arena.h"

#define QCLOZE_PARTS 7   /* literal, group, literal, group, literal, group, literal */

typedef enum { QCP_TEXT, QCP_ANSWER, QCP_NUMBER, QCP_HINT } qcloze_part_kind;

typedef struct qcloze_part {
	qcloze_part_kind kind;
	const char *pre;    /* QCP_TEXT: the text; a group: the text before its slot */
	const char *post;   /* a group: the text after its slot */
	size_t npre, npost;
} qcloze_part;

typedef struct qcloze_pattern {
	qcloze_part part[QCLOZE_PARTS];
	int nparts;
	const char *source;   /* as the settings write it */
} qcloze_pattern;

/* One deletion found: its bytes, the answer's and the hint's. */
typedef struct qcloze_match {
	size_t len;          /* of the whole deletion as written */
	size_t a0, a1;       /* the answer */
	size_t h0, h1;       /* the hint (h1 == h0: none) */
	int number;          /* the card number, 0 when none is written */
} qcloze_match;

/* Read pattern s[0..n) into *out; false when it is no usable pattern
 * (no `answer`, no literal text before it or none right after it and
 * its groups, an unclosed bracket, a group twice). */
bool qcloze_pattern_read(const char *s, size_t n, qarena *a, qcloze_pattern *out);

/* Does pattern p match text s[0..n) at its start? A deletion runs at
 * most to the end of the line. */
bool qcloze_match_at(const qcloze_pattern *p, const char *s, size_t n, qcloze_match *m);

/* Does p match the whole of s[0..n) once its first and last literal
 * text are taken away (cmark has read `**` around the text as bold)? */
bool qcloze_match_inner(const qcloze_pattern *p, const char *s, size_t n, qcloze_match *m);

/* The pattern's leading text and trailing text (after its last part
 * that is not a group), for a caller that looks for where it starts. */
const char *qcloze_opener(const qcloze_pattern *p, size_t *len);
const char *qcloze_closer(const qcloze_pattern *p, size_t *len);

#endif
