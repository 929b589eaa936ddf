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
 *                <tbody><tr><td>; cell alignment class="al-left|al-center|al-right"
 *   heading      <hN class="sub">  (QN_HEADING, level shifted by opts)
 *   list, quote, rule, paragraph: ul/ol(start)/li, blockquote, hr, p
 *   inline code  <code>; emphasis <em>; strong <strong>; links <a href>
 *                (only http, https, mailto and relative URLs; any other
 *                scheme is written as text: link text, then " (url)")
 *   image        <img src alt/>, or <span class="img-alt">alt</span>
 *   tight list   item paragraphs without <p>
 *   html block   the sanitized fragment as is (QN_HTML)
 *   formula      <span class="math"> (inline) or <div class="math">
 *                (displayed) holding MathML (mathml.h); for the cards
 *                class="math tex2jax_process" holding \(TeX\) or \[TeX\];
 *                a formula outside the subset: its TeX as text
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

typedef enum qx_math {
	QX_MATH_MATHML = 0, /* MathML, its TeX in alttext (EPUB) */
	QX_MATH_TEX,        /* \(TeX\), \[TeX\] for MathJax (Anki) */
	QX_MATH_TEXT,       /* the TeX as text */
} qx_math;

typedef struct qx_opts {
	int heading_base;   /* QN_HEADING level L is written as h(L+base), max h6 */
	bool images;        /* false: an image is written as its alt text in
	                     * <span class="img-alt">, not as <img> */
	bool external_only; /* only http, https and mailto URLs become links
	                     * or images; relative ones are written as text
	                     * (e.g. EPUB: the files they name are not in the
	                     * book). Zero-initialised: relative URLs link. */
	qx_math math;       /* how formulas are written */
} qx_opts;

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
