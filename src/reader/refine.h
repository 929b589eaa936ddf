/* refine.h - passes over the built study model that need a whole
 * paragraph or the whole document: bare URLs linked, navigation inside
 * the file and the notes' own table of contents dropped (each counted in
 * the diagnostics), line breaks that end a paragraph dropped.
 *
 * Ownership: the document is the caller's; new nodes live in its arena.
 */
#ifndef QUIRE_REFINE_H
#define QUIRE_REFINE_H

#include "../model/model.h"
#include <stdbool.h>

#include "../util/diag.h"
#include "clozes.h"

/* http://, https:// and www. in text outside links become links (as
 * GitHub's Markdown does); a URL ends before white space, `<`, CJK
 * punctuation, trailing punctuation and an unbalanced `)`. */
void qrefine_autolinks(qdoc *doc);
/* MyST roles before a code span: {math}`x^2` is a formula, a reference
 * ({ref}`text <target>`) shows its text, the role's name never shows. */
void qrefine_roles(qdoc *doc);

/* What the notes' kind says of their inline syntax. */
typedef struct qnote_syntax {
	/* how the notes write cloze deletions (Obsidian Spaced Repetition's
	 * patterns): given only for notes tagged as its flashcards */
	const qcloze_pattern *clozes;
	int nclozes;
	bool logseq;   /* Logseq's notes: `^^highlight^^` */
} qnote_syntax;

/* The inline syntax of note apps, in text outside code: Obsidian's
 * `![[picture.png]]` (an image) and `[[Page|label]]` (its label), block
 * ids (` ^3f2a1b`) dropped, `==highlight==` (QN_MARK; Logseq's
 * `^^highlight^^` in its notes), `~~struck~~` (QN_STRIKE), Anki's
 * `{{c1::text::hint}}` (QN_CLOZE), task list boxes (`- [ ]`, `- [x]`:
 * ☐, ☑). A deletion of one of o's cloze patterns is a QN_CLOZE when it
 * has a number (`==1;;text==`), else a QN_MARK with cloze.deletion set
 * (and its hint); bold or emphasis a pattern writes with `**`, `__`,
 * `*` or `_` is read from the bold or emphasis node cmark made of it.
 * Other text in braces (`{{ name }}`, a template's) stays text. A
 * highlight, strike, Anki cloze or plain deletion may hold markup that
 * cmark has read (`{{c1::the **nucleus**}}`): it holds those nodes. */
void qrefine_note_syntax(qdoc *doc, const qnote_syntax *o);

/* Local images: each QN_IMAGE whose URL names a file gets link.file, its
 * real path, when that file is a regular file inside the folder of the
 * notes (the path given) or of a resource folder; a missing image, one
 * outside (`../../etc/passwd`, a symbolic link leading out, `file:`
 * elsewhere) or a remote one is a warning, and its description is shown.
 * Pandoc's attributes after an image (`{alt='...' width=50%}`) are
 * dropped first; an image without a description takes their alt. */
void qrefine_images(qdoc *doc, qdiags *d, const char *notes, const char *const *resource,
		    int nresource);
/* The front matter's cover image (cover:, written on line), by the same
 * rules: doc->cover is its real path inside the notes' folder or a
 * resource folder; anything else is a warning, and the book's cover is
 * typeset. */
void qrefine_cover(qdoc *doc, qdiags *d, const char *notes, const char *const *resource,
		   int nresource, const char *cover, int line);

/* A block quote opening with `[!note] Title` (Obsidian, GitHub; MkDocs'
 * `!!! note "Title"` comes here as one) is a callout: QN_CALLOUT of that
 * kind, its title a QN_CAPTION; a question callout among the notes'
 * blocks is a card instead. In notes that box two or more statements
 * in quotes titled by a bold label alone on their first line (`>
 * **Theorem 1**`), each such quote is a callout too (callout.labelled:
 * a definition, theorem, question or aside box, by its label). Returns
 * how many cards. */
int qrefine_callouts(qdoc *doc);
/* A task callout (`::: exercise`, `::: challenge`, a worked `example`)
 * with an answering callout (`solution`, `answer`) in it or right after
 * it is a card: its title (or first paragraph) asks, the rest answers.
 * qrefine_callouts makes them, except in notes that box their statements
 * (definitions, theorems), where topics are read first and the tasks
 * left after them are made here. Returns how many cards. */
int qrefine_tasks(qdoc *doc);
/* Tables headed by a question and an answer column (`| Question |
 * Answer |`, in any language quire reads, or `| Q | A |`) among the
 * notes' blocks become a card per row; a caption stays as a paragraph.
 * Returns how many cards. */
int qrefine_qa_tables(qdoc *doc);

/* `[^label]` in text that names a footnote the notes define becomes a
 * QN_FOOTREF (its text the note's number); notes are numbered in the
 * order of their first reference, unreferenced ones after, with a
 * warning; a [^label] nothing defines stays as text, with a warning. */
void qrefine_footnotes(qdoc *doc, qdiags *d);

/* Links that only jump inside the notes: a paragraph or HTML block of
 * nothing else ("⬆ Back to top") goes, with a --- right before it; a
 * list or table of them (the notes' own table of contents) goes, with
 * a section left empty by that; any other such link keeps its text. */
void qrefine_navigation(qdoc *doc, qdiags *d);

/* Line breaks that start or end a paragraph go (<br> separators); a
 * paragraph left empty goes. */
void qrefine_breaks(qdoc *doc);

/* A card whose answer is left empty (by qrefine_navigation or
 * qrefine_breaks: run it after both) is no card: its question becomes a
 * heading, with a warning. */
void qrefine_empty_answers(qdoc *doc, qdiags *d);

/* A heading inside a block-quote answer that asks, deeper than its
 * card's question, is a follow-up card right after it: its answer the
 * quote's blocks after the heading. Returns how many were made. */
int qrefine_follow_ups(qdoc *doc);

/* A section with text of its own among question cards of its heading
 * level becomes a card too (its title the question). */
int qrefine_peers(qdoc *doc);

/* Notes of topics, not questions: every section with text of its own
 * gets a topic card (its title, that text; the key is the section path)
 * when the questions are fewer than a quarter of such sections (force
 * 0), always (force -1: --cards=headings), or for the sections of
 * heading level force (--cards=headings=LEVEL). Without force, a
 * part of a section under a bold line alone (`**Linear Classifier**`)
 * is a topic card of its own, and the definition callouts and
 * question boxes of a topic card become cards after it. Returns how
 * many. */
int qrefine_topics(qdoc *doc, qdiags *d, int force);

/* --cards=none: every card's question becomes a heading again, its
 * answer the text after it. */
void qrefine_no_cards(qdoc *doc);

#endif
