/* xhtml.h - the model as XHTML, shared by the EPUB chapters and the card
 * fields of the Anki deck.
 *
 * Output is well-formed XHTML (every & < > escaped, every element closed,
 * <br/>, <hr/>, <img/>), valid inside an EPUB 3 content document and as
 * Anki field HTML. No script, no style attributes, no event handlers:
 * looks come only from CSS classes, listed here so stylesheets in
 * styles/ can match them:
 *
 *   code block   <pre class="code" data-lang="python"><code>...</code></pre>
 *                token spans <span class="kw|str|com|num|name|dec">
 *                caption <p class="code-caption">file.py</p> before it
 *   label        <p class="label">What it is:</p>
 *   table        <table class="grid"> <caption> <thead><tr><th scope="col">
 *                <tbody><tr><td>; cell alignment class="al-left|al-center|al-right";
 *                an empty header cell is a <td>; a short row gets empty
 *                cells; with table_scroll a wide one is <table class="grid
 *                wide"> in <div class="table-wrap" tabindex="0">
 *   heading      <hN class="sub">  (QN_HEADING, level shifted by opts)
 *   list, quote, rule, paragraph: ul/ol(start)/li, blockquote, hr, p
 *   inline code  <code>; emphasis <em>; strong <strong>; links <a href>
 *                (the one URL policy of util/url.h: http, https, mailto,
 *                and "#name" where the back end resolves it; any other
 *                URL is written as text: link text, then " (url)")
 *   image        <img src alt/> (opts.image_src, opts.images), or
 *                <span class="img-alt">alt</span> and " (url)"
 *   tight list   item paragraphs without <p>
 *   html block   the sanitized fragment as is (QN_HTML)
 *   callout      <div class="callout callout-KIND" role="note">, first
 *                <p class="callout-title"> (its caption, or the kind:
 *                in the language of opts.words, words.h)
 *   footnote     <sup class="footref">label</sup> where it is referenced;
 *                <div class="footnote"><p class="footnote-label">label</p>
 *                blocks</div> (see opts.footnotes for the EPUB's)
 *   sub, sup, strike, mark: sub, sup, del, mark; cloze <span class="cloze">
 *   formula      <span class="math"> (inline) or <div class="math">
 *                (displayed) holding MathML (mathml.h); for the cards
 *                class="math tex2jax_process" holding \(TeX\) or \[TeX\];
 *                a formula outside the subset: its TeX as text
 *
 * Direction (opts.bidi): elements whose text starts right to left in
 * left-to-right text, or the other way round, get a dir attribute.
 *
 * Characters XML 1.0 forbids (C0 controls but tab/newline/CR, U+FFFE,
 * U+FFFF) and invalid UTF-8 are written as U+FFFD.
 * The walk is the shared iterator (walk.h): no recursion.
 * Ownership: everything is appended to a caller-owned qbuf.
 */
#ifndef QUIRE_XHTML_H
#define QUIRE_XHTML_H

#include <stdbool.h>

#include "../model/model.h"
#include "../util/buf.h"
#include "words.h"

typedef enum qx_math {
	QX_MATH_MATHML = 0, /* MathML, its TeX in alttext (EPUB) */
	QX_MATH_TEX,        /* \(TeX\), \[TeX\] for MathJax (Anki) */
	QX_MATH_TEXT,       /* the TeX as text */
} qx_math;

typedef struct qx_opts {
	int heading_base;   /* QN_HEADING level L is written as h(L+base), max h6 */
	int *heading_chain; /* or NULL; else the level of the heading written
	                     * last (0: none): a QN_HEADING is set at most one
	                     * level below it, and updates it (headings that
	                     * skip a level confuse screen readers) */
	bool images;        /* false: an image is written as its alt text in
	                     * <span class="img-alt">, not as <img> */
	bool external_only; /* true in every output: only what util/url.h
	                     * allows becomes a link or an image. False (the
	                     * zero value) also keeps relative and "#name"
	                     * links: the whole-document XHTML compared with
	                     * cmark's, which no output uses. */
	bool anchors;       /* with external_only: "#name" links are kept
	                     * (the EPUB points them at their chapter or
	                     * drops them); otherwise they are text */
	bool bidi;          /* dir="rtl" or dir="ltr" on an element whose
	                     * text starts in the other direction than the
	                     * text around it (qx_direction); code and math
	                     * left to right inside right-to-left text */
	bool rtl;           /* the text around is right to left */
	/* A local image (QN_IMAGE with link.file) the back end keeps: the
	 * src to write, or NULL to show its alt text and address. */
	const char *(*image_src)(void *ctx, const qnode *image);
	void *image_ctx;
	bool footnotes;     /* EPUB 3 footnotes: a reference is an
	                     * <a epub:type="noteref" href="#fn-N"> and a
	                     * QN_FOOTNOTE block below the root is left out
	                     * (the back end places it); else a reference is
	                     * its raised label and a footnote a framed block */
	qx_math math;       /* how formulas are written */
	bool table_scroll;  /* a wide table (WIDE_TABLE_COLS columns or more)
	                     * is set in <div class="table-wrap"
	                     * tabindex="0">, which scrolls sideways (EPUB) */
	const qwords *words; /* the output's own words (a callout's title
	                      * when the notes give none), or NULL: the
	                      * callout's kind as written */
} qx_opts;

/* The direction of a node's text from its first letter: -1 right to
 * left, 1 left to right, 0 none; code and math count only when nothing
 * else has a letter. Walks no further than that letter. */
int qx_direction(const qnode *n);
int qx_text_direction(const char *s, size_t n);
/* " dir=\"rtl\"" or " dir=\"ltr\"" when direction d differs from the
 * direction `around` (-1 or 1) of the text around, else "". */
const char *qx_dir_attr(int d, int around);

/* Escape text for element content (& < >) or an attribute value (also "). */
void qx_text(qbuf *b, const char *s, size_t n);
void qx_attr(qbuf *b, const char *s, size_t n);

/* The children of an inline container (paragraph, title, question, cell,
 * caption, label, emph, ...), as XHTML inline content. */
void qx_inlines(qbuf *b, const qnode *container, const qx_opts *o);

/* One block node and everything below it. */
void qx_block(qbuf *b, const qnode *block, const qx_opts *o);

/* Every block child of a block container (answer, item, quote, section
 * body), in order; cards and sections among them are skipped (the back
 * end lays those out itself). */
void qx_blocks(qbuf *b, const qnode *container, const qx_opts *o);

/* The whole document (document.c): the title heading, then sections
 * (<section class="section">, title <hN class="title">) and cards
 * (<div class="card">, <hN class="question">, <div class="answer">) in
 * order, each heading at the level it was written. */
void qx_document(qbuf *b, const qdoc *doc, const qx_opts *o);

/* A code block with highlighting spans (used by qx_block). */
void qx_code(qbuf *b, const qnode *code);

#endif
