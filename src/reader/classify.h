/* classify.h - what a line of notes says it is, from its text alone:
 * a question, a label, a section title, a question number, decorations.
 * Shared by the lifter (lines) and the builder (headings, list items).
 *
 * All functions work on borrowed text and allocate nothing.
 */
#ifndef QUIRE_CLASSIFY_H
#define QUIRE_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
	QC_OTHER = 0,   /* a section title or plain text */
	QC_QUESTION,
	QC_LABEL,       /* ends with ':' */
} qclass;

/* Bytes of leading decoration: emoji, symbols, U+FE0F and spaces. */
size_t qc_decoration(const char *s, size_t n);
/* Bytes of a leading question number with its spaces: "12. ", "Q12. ",
 * "Q12: ", "12) ", "Q: ", "Q : ", "Q. ", "Q：" (0 when none). */
size_t qc_number(const char *s, size_t n);
/* Classify a heading or candidate line by the dialect's rules: ends in
 * '?'/'？' -> question; ends in ':' -> label (this wins); starts with an
 * asking word (What, How, Why, ... Advanced:) after decoration and number
 * -> question. Markdown emphasis around the whole text is ignored. */
qclass qc_classify(const char *s, size_t n);
/* Does the text ask by its form, not only by its first word: it ends
 * in a question mark (after decorations), or it sets a task (`Explain
 * ...`, `Write a function ...`)? `When sent by the server` does not. */
bool qc_asks(const char *s, size_t n);
/* Does the text end with a question mark: ASCII, full-width ？, Arabic ؟,
 * the Greek question mark U+037E, or ';' after a Greek letter? */
bool qc_ends_question_mark(const char *s, size_t n);
/* Does s end with a colon, `:` or the full-width `：` of CJK notes? Does
 * it hold one? */
bool qc_ends_colon(const char *s, size_t n);
bool qc_holds_colon(const char *s, size_t n);
/* Does it ask, or set an exercise (`Explain`, `Find`, `Calcula`; not a
 * tutorial's `Create a project`), also in a later clause or sentence
 * (`Given a list, find the largest`, `Dado el sistema ..., obtén ...`)?
 * Only for lines the notes already set out as exercises: a clause alone
 * is weak. */
bool qc_sets_task(const char *s, size_t n);
/* Trim ASCII spaces and tabs at both ends; returns the new length and
 * moves *s. */
size_t qc_trim(const char **s, size_t n);
/* Does s[0..n) start with word w (case-insensitive) followed by a space,
 * the end, or one of the characters in `after`? */
bool qc_word(const char *s, size_t n, const char *w, const char *after);

/* The word for "answer" (or "solution") in the languages notes are
 * written in: the label that opens an answer (`Antwort:`, `Đáp án:`,
 * `答：`), the summary of a <details> block that hides it, the header of
 * a table's answer column. ASCII matches in any case; other letters as
 * written, so both cases are listed where they differ. NULL-terminated. */
extern const char *const qc_answer_words[];
/* The same for "question" (`Frage:`, `问：`, a table's question column). */
extern const char *const qc_question_words[];
/* Is s[0..n) one of words, whole (ASCII in any case)? */
bool qc_one_of(const char *const *words, const char *s, size_t n);
/* Is s[0..n) only the word for the answer, a colon (`:` or `：`) and
 * spaces after it allowed (`Solution`, `Resolución:`, `答案：`)? */
bool qc_names_answer(const char *s, size_t n);

#endif
