/* style.h - the booklet's look, read from styles/booklet.conf.
 *
 * The file is `key = value` lines (# starts a comment). Lengths take a
 * unit (pt, mm, cm, in; a bare number is points), colours are #rrggbb,
 * #rgb or `none`, switches yes/no. A key may be prefixed by a paper size
 * (`a4.margin.inner = 25mm`) to apply to that paper only. Unknown keys and
 * bad values are warnings naming the file and line; the built-in value
 * stays. Every key and its default is listed in styles/booklet.conf.
 *
 * Ownership: plain values in a caller-owned struct; nothing allocated.
 */
#ifndef QUIRE_PDF_STYLE_H
#define QUIRE_PDF_STYLE_H

#include <stdbool.h>
#include <stddef.h>

#include "../../typeset/tslayout.h"
#include "../../util/diag.h"

typedef struct qbk_font {
	float size, leading;
	ts_rgb color;
} qbk_font;

typedef struct qbk_style {
	/* page */
	float page_w, page_h;
	float margin_top, margin_bottom, margin_inner, margin_outer;
	float head_gap, foot_gap;     /* running head above, folio below the block */
	bool flush_bottom;
	/* text */
	qbk_font body;
	float par_space, block_space;
	bool justify, hyphenate, color_emoji;
	ts_rgb link_color;
	ts_rgb codespan_color;
	float codespan_scale;
	ts_rgb mark_bg;               /* ==highlighted== text */
	ts_rgb cloze_bg;              /* cloze deletions */
	/* headings, questions, labels */
	qbk_font h[4];                /* section levels 1, 2, 3, 4+ */
	float h_space_above[4], h_space_below[4];
	int h1_newpage;               /* 0 no, 1 yes, 2 auto: when chapters are long */
	ts_rgb h_rule;                /* rule under level-1 titles, or none */
	qbk_font question;
	ts_rgb question_number;
	float question_space_above, question_space_below;
	ts_rgb label_color;
	/* lists and quotes */
	float list_indent;
	ts_rgb bullet_color;
	ts_rgb quote_bar, quote_color;
	ts_rgb callout_bg, callout_border, callout_title;   /* framed notes */
	qbk_font footnote;            /* notes at the foot of the page */
	ts_rgb footnote_rule;         /* the short rule above them */
	/* code */
	qbk_font code;
	float code_pad;
	ts_rgb code_bg, code_border, code_mark;
	ts_rgb tok[7];                /* qtok kinds: text kw str com num name dec */
	/* tables */
	qbk_font table;
	ts_rgb table_rule, table_head_bg;
	float table_pad_x, table_pad_y;
	float table_min_size;         /* a table too wide is set down to this */
	/* running head and folio */
	qbk_font head;
	ts_rgb head_rule;
	qbk_font folio;
	/* front matter */
	qbk_font title, subtitle;
	qbk_font toc, toc_section;
	int toc_depth;
	/* imposition */
	float sheet_w, sheet_h;       /* portrait size of the printing sheet */
	float creep;                  /* shift of the innermost sheet's pages
				       * toward the fold (paper thickness) */
	bool crop_marks;              /* marks at the page corners */
} qbk_style;

/* Built-in defaults for a paper ("a5", "a4", "letter"). */
void qbk_style_defaults(qbk_style *s, const char *paper);
/* Apply a booklet.conf text; warnings go to d with `name:line:`. */
void qbk_style_parse(qbk_style *s, const char *paper, const char *text,
		     size_t n, const char *name, qdiags *d);

#endif
