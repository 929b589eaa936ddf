/* divs.h - Pandoc's fenced divs (`::: theorem` ... `:::`) as callouts.
 *
 * Pandoc, Quarto and The Carpentries' lessons frame a part of the notes
 * between colon fences: `::: {.definition title="Norm"}`, `::: proof`,
 * `:::::: challenge` with a `## Title` heading inside, `::: {#thm-x}`.
 * The reader has one framed note, the callout (`> [!note] Title`), so a
 * div of a kind that frames (a statement, a question, an answer, an
 * aside) is rewritten as a callout quote of that kind, nested divs as
 * nested quotes; a div that only lays out (`::: columns`, `::: fragment`)
 * keeps its content as it is; the fence lines never show as text. MyST's
 * colon fences (`:::{prf:theorem} Title`, `:::{admonition} Solution`)
 * and its boxes in code fences (```` ```{note} ````) are read the same
 * way, their option lines and targets dropped; a ```` ```{figure} path ````
 * is its picture.
 * Every line stays on its line: line N of the output is line N of the
 * input, so the lifter, cmark and the diagnostics see the notes' lines.
 */
#ifndef QUIRE_DIVS_H
#define QUIRE_DIVS_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/buf.h"

/* Is the line (without its newline) a fence of a div: *opens true for
 * an opener (`::: kind`, `::: {attributes}`), false for a closer (colons
 * alone)? Up to three spaces before it, three colons or more. */
bool qdiv_fence(const char *s, size_t n, bool *opens);

/* A MyST directive at s (n bytes: a code fence's info string, or its
 * line after the fence): `{name}` then, maybe, a word (`{code-cell}
 * python`). Its name (*name, *nlen) and that word (*arg, *alen, maybe
 * empty); false when s names no directive. */
bool qdiv_myst_directive(const char *s, size_t n, const char **name, size_t *nlen,
			 const char **arg, size_t *alen);

/* The options that open a MyST directive's body (s, n bytes): its
 * `:name: value` lines, or a block of lines between `---` lines. Their
 * bytes, with their newlines; 0 when there are none. */
size_t qdiv_myst_options(const char *s, size_t n);

/* Rewrite the divs of text into callout quotes in out (reset first).
 * Returns how many divs and targets it read; 0 leaves out untouched (nothing to
 * rewrite: a fence without its partner is not a div). Linear. */
int qdivs_rewrite(const char *text, size_t n, qbuf *out);

#endif
