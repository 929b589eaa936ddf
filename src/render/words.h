/* words.h - the words the outputs print of their own ("Contents", "63
 * questions in 5 sections", "Answer", "p. 12"), in the language of the
 * notes.
 *
 * One table per language, chosen by the document's BCP 47 tag (the
 * reader detects it or the front matter sets it): its primary subtag,
 * and for Chinese the script or region (zh-Hant, zh-TW, zh-HK, zh-MO:
 * traditional characters). An unknown language, or a word a language
 * leaves out, falls back to English. Counted words ("5 sections") take
 * the plural form the language's rule picks (CLDR categories: Russian,
 * Ukrainian and Polish have three for whole numbers, Arabic six, Chinese,
 * Japanese, Korean, Indonesian and Vietnamese none).
 *
 * The model holds no display text: back ends ask here, with the counts
 * the model gives (qdoc's ncards and nsections).
 *
 * A word with a slot holds "{1}" (and "{2}") where qw_format puts its
 * arguments. Words are UTF-8 text, not markup: the caller escapes them.
 * The tables are static; nothing is allocated but in the caller's buffer.
 */
#ifndef QUIRE_WORDS_H
#define QUIRE_WORDS_H

#include "../util/buf.h"

typedef enum qword {
	QW_CONTENTS,        /* the contents' heading, bookmark, running head */
	QW_TITLE_PAGE,      /* navigation: the title page */
	QW_COVER,           /* navigation: the cover; the cover page's title */
	QW_COVER_OF,        /* the cover's alt text: "Cover: {1}" */
	QW_BY,              /* after the title in the alt text: ", by {1}" */
	QW_LANDMARKS,       /* the (hidden) landmarks' heading */
	QW_START,           /* landmark: where the notes start */
	QW_PAGE_LIST,       /* the (hidden) page list's heading */
	QW_INTRODUCTION,    /* the text before the first section */
	QW_EMPTY,           /* the contents of notes with nothing in them */
	QW_QUESTION_N,      /* a question with no words: "Question {1}" */
	QW_SECTION_N,       /* a section with no title: "Section {1}" */
	QW_CONTINUED,       /* a chapter's part after the first: "{1} (continued)" */
	QW_QUESTION_LINE,   /* the deck's sort field then: "Question at line {1}" */
	QW_NOTES,           /* untitled notes (the document) */
	QW_FOOTNOTES,       /* the heading of the footnotes */
	QW_ANSWERS,         /* the heading of the pop-up answers */
	QW_ANSWER,          /* the link from a question to its answer */
	QW_HOWTO,           /* the self-test edition's line; {1}: QW_ANSWER */
	QW_PAGE_OF,         /* "page {1} of the printed booklet" (a tooltip) */
	QW_PAGE_N,          /* "p. {1}", beside a question */
	QW_BOOKLET_PAGE_N,  /* "booklet p. {1}", on a card */
	QW_TYPESET,         /* "Typeset by quire from {1}" (a file name) */
	QW_TYPESET_STDIN,   /* the same, of notes read from standard input */
	QW_DATED,           /* that line and a date: "{1} on {2}" */
	QW_IMAGE_OPEN,      /* before an image's alt text: "[image: " */
	QW_COLUMNS,         /* a wide table's parts: "columns 1, 6-10" */
	QW_MADE_BY,         /* the deck's description */
	QW_COUNT_ALL,       /* the count line without sections: "{1}" */
	QW_COUNT_IN,        /* with them: "{1} in {2}" */
	QW__COUNT
} qword;

/* What is counted: questions ("12 questions"), and sections as the
 * count line names them after QW_COUNT_IN's preposition (its case:
 * German "in 5 Abschnitten", Russian "в 5 разделах"). */
typedef enum qnoun { QWN_QUESTIONS, QWN_SECTIONS_IN, QWN__COUNT } qnoun;

/* The plural categories of CLDR (whole numbers only). */
typedef enum qplural {
	QP_ZERO, QP_ONE, QP_TWO, QP_FEW, QP_MANY, QP_OTHER, QP__COUNT
} qplural;

/* The kinds of callout (GitHub's alerts, Obsidian's callouts) whose
 * title, when the notes give none, is a word of the language. */
typedef enum qcallout {
	QWC_NOTE, QWC_SUMMARY, QWC_INFO, QWC_TODO, QWC_TIP, QWC_HINT,
	QWC_IMPORTANT, QWC_SUCCESS, QWC_QUESTION, QWC_WARNING, QWC_CAUTION, QWC_FAILURE,
	QWC_DANGER, QWC_ERROR, QWC_BUG, QWC_EXAMPLE, QWC_QUOTE,
	QWC__COUNT
} qcallout;

typedef struct qwords qwords;

/* The table of a BCP 47 tag (NULL or unknown: English's). */
const qwords *qw_for(const char *lang);
/* The tag the table is for ("en", "zh-Hant", ...). */
const char *qw_lang(const qwords *w);
/* A word (English's when the language has none). */
const char *qw_word(const qwords *w, qword k);
/* The plural category of n in the table's language. */
qplural qw_plural(const qwords *w, long n);
/* Append pattern to out with "{1}" replaced by a1 and "{2}" by a2
 * (NULL: nothing). */
void qw_format(qbuf *out, const char *pattern, const char *a1, const char *a2);
/* Append a word with its slots filled. */
void qw_put(qbuf *out, const qwords *w, qword k, const char *a1, const char *a2);
/* Append a word with a number in its slot ("Question 3"). */
void qw_put_n(qbuf *out, const qwords *w, qword k, long n);
/* The title of a callout of this kind (as written: "warning", "TIP",
 * Obsidian's aliases "tldr", "faq" ...) in the table's language, or NULL:
 * an unknown kind, or English (whose title is the kind as written). */
const char *qw_callout(const qwords *w, const char *kind);
/* Append the title of a callout the notes leave untitled: qw_callout's
 * word, else the kind as written with a capital ("Warning"); NULL or
 * "" is a note. */
void qw_callout_title(qbuf *out, const qwords *w, const char *kind);
/* Append n and the counted noun in the form n asks ("5 sections"). */
void qw_count(qbuf *out, const qwords *w, qnoun what, long n);
/* Append the title page's count line: "12 questions in 3 sections", or
 * "12 questions" when nsections is 0 (notes that only ask). */
void qw_counts(qbuf *out, const qwords *w, int nquestions, int nsections);

#endif
