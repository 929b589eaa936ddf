/* tslayout.h - the typesetter: boxes, glue and penalties, in TeX's sense.
 *
 * A layout is one vertical list of lines, glue, penalties, rules and
 * pictures, built from paragraphs (broken by the Knuth-Plass total-fit
 * algorithm, with hyphenation), code blocks (monospaced, wrapped with a
 * continuation mark) and tables (column widths from content, wrapped
 * cells), then cut into pages by a TeX-like page builder that honours
 * keeps, widows, orphans and repeats table headers. The layout knows
 * nothing of notes or PDF: tsdraw.h draws its pages with libharu.
 *
 * Units are PostScript points; x grows right, the vertical list grows
 * down. Every x is relative to the left edge of the text block.
 *
 * Ownership: ts_layout_new() allocates a layout that borrows the font set
 * and the hyphenator (both must outlive it); ts_layout_free() frees it and
 * everything it made. Text given to ts_par_add() and friends is copied;
 * a picture's samples given to ts_layout_image() are taken over.
 */
#ifndef QUIRE_TSLAYOUT_H
#define QUIRE_TSLAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/buf.h"
#include "tsfont.h"
#include "tshyph.h"

typedef uint32_t ts_rgb;          /* 0xRRGGBB */
#define TS_NO_COLOR 0xFFFFFFFFu

#define TS_INF_PENALTY 10000      /* never break here (unless impossible) */
#define TS_EJECT (-10000)         /* always break here */

/* ---- what the drawing side reads ---------------------------------------- */

typedef enum ts_runkind {
	TS_RUN_TEXT = 0,    /* text in a TrueType face */
	TS_RUN_IMAGE,       /* one colour emoji image */
	TS_RUN_OUTLINE,     /* one glyph drawn as a path (above U+FFFF) */
	TS_RUN_MISSING,     /* one character no font has: a box */
	TS_RUN_CONTMARK,    /* continuation mark of a wrapped code line */
	TS_RUN_LEADER,      /* dot leaders: w wide, drawn as spaced dots */
	TS_RUN_RULE,        /* a filled rule of a formula: w wide, size thick,
	                     * its bottom at rise */
	TS_RUN_BRACE,       /* a horizontal curly brace of a formula: w wide,
	                     * size high, bottom at rise; off 1: opens down */
	TS_RUN_MATH,        /* in a paragraph only: a formula's box, whose
	                     * runs are set in its place (tsmath.h) */
	TS_RUN_SPAN_BEGIN,  /* what follows up to the next TS_RUN_SPAN_END of
	                     * the same line copies as this run's text (PDF
	                     * ActualText: a formula's TeX); w 0 */
	TS_RUN_SPAN_END,
} ts_runkind;

typedef struct ts_run {
	float x, w;         /* from the line's x */
	float size;
	ts_rgb color;
	uint32_t off, len;  /* text in the layout's pool */
	int32_t link;       /* 0, or a link id (ts_layout_link) */
	uint16_t face;
	uint8_t kind;
	/* one byte of flags: a long booklet has millions of runs */
	uint8_t underline : 1;
	uint8_t nokern : 1;    /* code: set without kerning */
	uint8_t strike : 1;    /* struck through */
	uint8_t fake_bold : 1; /* emboldened by stroking the outline (CJK) */
	float rise;         /* baseline shift, up: sub- and superscripts,
	                     * a formula's glyphs, rules and braces */
	ts_rgb bg;          /* highlight behind the run, 0: none */
} ts_run;

typedef enum ts_vtype {
	TS_V_LINE, TS_V_GLUE, TS_V_PENALTY, TS_V_RULE,
	TS_V_IMAGE,         /* a picture: x, w wide, h high (d 0), image */
} ts_vtype;

enum {
	TS_VF_NOBREAK = 1,  /* glue that is no breakpoint */
	TS_VF_SPACE = 2,    /* block space (merged with a neighbour: max) */
	TS_VF_HEAD = 4,     /* part of a table's header block */
};

typedef struct ts_vitem {
	uint8_t type;
	uint8_t flags;
	int32_t penalty;
	float h, d;         /* line/rule: height above and depth below the
			     * baseline; glue: natural size in h */
	float stretch, shrink;
	float x, w;         /* line/rule: left edge and width */
	uint32_t run0, nruns;
	int32_t group;      /* decoration group, -1 */
	int32_t table;      /* table whose rows this belongs to, -1 */
	ts_rgb color;       /* rule colour */
	int32_t image;      /* TS_V_IMAGE: index into the layout's images */
} ts_vitem;

typedef enum ts_groupkind {
	TS_GROUP_BG,        /* tinted rectangle behind the lines */
	TS_GROUP_BAR,       /* vertical bar left of the lines (quotes) */
} ts_groupkind;

typedef struct ts_group {
	uint8_t kind;
	float x0, x1;       /* horizontal extent (BG) or bar x and width */
	float pad;          /* vertical padding beyond the lines */
	ts_rgb color;
	ts_rgb border;      /* BG: a thin frame, or TS_NO_COLOR */
} ts_group;

typedef struct ts_mark {
	uint32_t item;      /* the line it is attached to */
	int kind, id;       /* chosen by the caller */
	int page;           /* set by ts_paginate */
	float y;            /* from the top of the text block, to the line top */
} ts_mark;

/* TS_LINK_ANCHOR: no link on the page, only a name for the runs that
 * carry it (an insert's reference: ts_insert_begin). */
typedef enum ts_linkkind { TS_LINK_URI, TS_LINK_MARK, TS_LINK_ANCHOR } ts_linkkind;
typedef struct ts_link {
	uint8_t kind;
	uint32_t off, len;  /* URI in the pool */
	int mark;           /* TS_LINK_MARK: target mark index */
} ts_link;

typedef struct ts_page {
	uint32_t i0, i1;    /* items [i0, i1) */
	uint32_t f0, f1;    /* insert lines [f0, f1) of L->fitems, set at
	                     * the foot of the page */
	int repeat_table;   /* header block drawn first, or -1 */
	float ratio;        /* glue set ratio (flush bottom), in [-1, 1] */
} ts_page;

typedef struct ts_tablerec {
	uint32_t head0, head1;  /* items of the header block to repeat */
	float head_h;
} ts_tablerec;

/* A picture's samples, as the drawing side embeds them: a JPEG file kept
 * as it is (DCT, never decoded), or 8-bit samples row by row (grey or
 * RGB), with an optional 8-bit alpha plane after them. */
typedef enum ts_imagekind { TS_IMAGE_JPEG = 1, TS_IMAGE_PIXELS } ts_imagekind;

typedef struct ts_image {
	uint8_t kind;
	uint8_t channels;   /* PIXELS: 1 grey, 3 RGB; JPEG: its components */
	bool alpha;         /* PIXELS: width * height alpha bytes follow */
	int width, height;  /* pixels */
	qbuf data;
	float ppi;          /* pixels per inch at its natural size, or 0:
	                     * the caller's default (not used here) */
} ts_image;

/* An insert (a footnote): a vertical list of its own, set at the foot of
 * the page that holds its anchor line (see ts_insert_begin). */
typedef struct ts_insert {
	uint32_t anchor;    /* item of the main list it goes with */
	uint32_t f0, f1;    /* its items in L->fitems */
	float h;            /* their height, the glue before them included */
} ts_insert;

/* What separates the inserts from the text above them: skip points in
 * all, a rule rule_w wide and thick at its top. */
typedef struct ts_footfmt {
	float skip, rule_w, rule_thick;
	ts_rgb color;
} ts_footfmt;

/* The main list's state while an insert is being built (its items are
 * in fitems then: the two lists trade places). */
typedef struct ts_mainsave {
	float prev_depth;
	int keep, pending_marks, nmarks;
	bool active;
} ts_mainsave;

typedef struct ts_layout ts_layout;
struct ts_layout {
	ts_fontset *fonts;
	ts_hyph *hyph;
	qbuf pool;                 /* text of all runs and URIs */
	ts_run *runs;
	size_t nruns, cap_runs;
	ts_vitem *items;
	size_t nitems, cap_items;
	ts_group *groups;
	int ngroups, cap_groups;
	ts_mark *marks;
	int nmarks, cap_marks;
	int pending_marks;         /* marks waiting for the next line */
	ts_link *links;
	int nlinks, cap_links;
	ts_tablerec *tables;
	int ntables, cap_tables;
	ts_page *pages;
	int npages, cap_pages;
	ts_image *images;          /* each one embedded once per document */
	int nimages, cap_images;
	float prev_depth;          /* depth of the last line, or < -999 */
	int keep;                  /* lines still to keep with what precedes */
	float topskip;             /* first baseline from the top of a page */
	ts_vitem *fitems;          /* the lines of every insert, in order */
	size_t nfitems, cap_fitems;
	ts_insert *inserts;        /* in the order of their anchors */
	int ninserts, cap_inserts;
	float foot_depth;          /* depth of the last insert line */
	ts_footfmt foot;
	ts_mainsave main;
	float page_h;              /* text height given to ts_paginate */
	uint32_t *first_drawn;     /* ts_layout_forget: per page, the first
	                            * item and run it or a later page draws */
};

ts_layout *ts_layout_new(ts_fontset *fonts, ts_hyph *hyph);
void ts_layout_free(ts_layout *L);   /* NULL is a no-op */

/* ---- building the vertical list ----------------------------------------- */

/* Vertical space between blocks; adjacent spaces merge (the larger wins). */
void ts_v_space(ts_layout *L, float nat, float stretch, float shrink);
void ts_v_penalty(ts_layout *L, int penalty);
/* An empty line of no height: makes the space after it stick at the top
 * of a page (title pages). */
void ts_v_strut(ts_layout *L);
/* Start a new page (an eject penalty after filling glue). */
void ts_v_newpage(ts_layout *L);
/* Keep the next n lines on the page of what is already there. */
void ts_v_keep(ts_layout *L, int n);
/* Stop keeping: what is kept has ended (a short answer). */
void ts_v_keep_end(ts_layout *L);
/* A horizontal rule: x, width, thickness, colour; space around it is the
 * caller's (ts_v_space). */
void ts_v_rule(ts_layout *L, float x, float w, float thickness, ts_rgb color);
/* A picture for ts_v_image: the layout takes im->data (im->data is left
 * empty). Returns its index. */
int ts_layout_image(ts_layout *L, ts_image *im);
/* A picture as a box of the vertical list, w x h points with its left
 * edge at x; space around it is the caller's. It is kept with what a keep
 * asks for, and ends the keep (it is taller than the lines kept). */
void ts_v_image(ts_layout *L, int image, float x, float w, float h);
/* The height of what the next box will be kept with (the lines of a
 * question or heading before it, back to the last place a page may
 * break), or 0 when nothing keeps it: a picture that must share a page
 * with them is made small enough to. */
float ts_v_kept_height(const ts_layout *L);
/* A mark (anchor) on the next line added; returns its index. */
int ts_layout_mark(ts_layout *L, int kind, int id);
/* A link target: a URI (copied) or a mark. Returns the link id (>= 1). */
int ts_layout_link_uri(ts_layout *L, const char *uri, size_t n);
int ts_layout_link_mark(ts_layout *L, int mark);
int ts_layout_group(ts_layout *L, ts_groupkind kind, float x0, float x1,
		    float pad, ts_rgb color);

/* ---- inserts ------------------------------------------------------------ */

/* An anchor for an insert: a link id that makes no link on the page; give
 * it (as ts_attr.link) to the text that refers to the insert. */
int ts_layout_link_anchor(ts_layout *L);
/* Start an insert: what is built until ts_insert_end() (paragraphs,
 * spaces) goes not into the vertical list but to the foot of the page
 * where the last line holding a run of `anchor` falls (the last line of
 * the list when none does; call it after that line is built). The page
 * builder keeps an insert with its line, below a rule (ts_footfmt); an
 * insert taller than what is left of a page continues at the foot of the
 * next. Inserts do not nest; marks made inside one point at its line. */
void ts_insert_begin(ts_layout *L, int anchor);
void ts_insert_end(ts_layout *L);

/* ---- paragraphs --------------------------------------------------------- */

typedef enum ts_align { TS_JUSTIFY, TS_RAGGED, TS_CENTER, TS_RIGHT } ts_align;

typedef struct ts_attr {
	ts_role role;
	float size;
	ts_rgb color;
	int link;           /* 0 or a link id */
	bool underline;
	float rise;         /* baseline shift, up (superscripts) or down */
	bool strike;        /* struck through */
	ts_rgb bg;          /* highlight behind the text; 0: none */
} ts_attr;

typedef enum ts_textmode {
	TS_PROSE,           /* words and spaces; hyphenation */
	TS_CODESPAN,        /* inline code: breaks after . / _ ( , only */
	TS_URL,             /* breaks after / . - ? & = # */
	TS_NOBREAK,         /* one unbreakable piece (spaces do not break) */
} ts_textmode;

typedef struct ts_parfmt {
	float x;            /* left edge of the lines */
	float width;        /* line width */
	float indent;       /* first line starts this much further right */
	float leading;      /* baseline to baseline */
	ts_align align;
	bool hyphenate;
	bool keep_together; /* no page break inside (headings, questions) */
	int keep_after;     /* lines of what follows to keep with it */
	int group;          /* decoration group of the lines, or -1 */
	float label_gap;    /* gap between a label and the text */
	float label_hang;   /* room kept left of the text for the label (x is
			     * past it); a right-to-left paragraph keeps it on
			     * the right and sets its label there */
	bool whole_parens;  /* a short parenthesis, "(10 Questions)", never
			     * breaks (headings) */
} ts_parfmt;

typedef struct ts_par ts_par;

/* A paragraph builder, reusable: begin, add text, end. */
ts_par *ts_par_new(ts_layout *L);
void ts_par_free(ts_par *p);   /* NULL is a no-op */
void ts_par_begin(ts_par *p, const ts_parfmt *fmt);
void ts_par_add(ts_par *p, const ts_attr *a, const char *s, size_t n,
		ts_textmode mode);
/* A label (bullet, number) set right-aligned left of the first line. */
void ts_par_label(ts_par *p, const ts_attr *a, const char *s, size_t n);
/* A forced line break. */
void ts_par_newline(ts_par *p);
/* A stretchable gap filled with dot leaders (contents lines). */
void ts_par_leaders(ts_par *p, const ts_attr *a);
/* Text right-aligned in a box w wide that hangs into the right margin, so
 * the line keeps its width (page numbers after leaders). */
void ts_par_hang_right(ts_par *p, const ts_attr *a, const char *s, size_t n,
		       float w);
/* Break into lines and append them to the vertical list. Returns the
 * number of lines. */
int ts_par_end(ts_par *p);
/* Natural width of the content on one line, and the widest piece that
 * cannot be broken (tables). */
void ts_par_measure(ts_par *p, float *natural, float *minimum);
bool ts_par_empty(const ts_par *p);
/* The width of the paragraph's lines. */
float ts_par_width(const ts_par *p);

/* ---- code blocks -------------------------------------------------------- */

typedef struct ts_codefmt {
	float x, width;     /* the block, background included */
	float pad;          /* inside the background: left/right and top/bottom */
	float size, leading;
	ts_rgb bg;          /* TS_NO_COLOR: none */
	ts_rgb border;      /* frame around the background, or TS_NO_COLOR */
	ts_rgb mark_color;  /* the continuation mark */
	int tab;            /* tab stops (4) */
	/* A list item's label (bullet, number) that the block opens: set
	 * beside its first line, right-aligned to end label_gap left of the
	 * block, on that line's baseline, as ts_par_label does for a
	 * paragraph; NULL or "" for none. */
	const char *label;
	ts_attr label_attr;
	float label_gap;
} ts_codefmt;

typedef struct ts_codespan {
	size_t off, len;    /* bytes of the code */
	int style;          /* index into the styles array */
} ts_codespan;

/* Lay out code: spans cover the code in order (gaps use style 0). Lines
 * longer than the width wrap with a continuation mark; the block may break
 * across pages except within its first or last two lines. A label
 * (f->label) goes beside the first line. */
void ts_code_block(ts_layout *L, const ts_codefmt *f, const char *code,
		   size_t n, const ts_codespan *spans, size_t nspans,
		   const ts_attr *styles, int nstyles);

/* ---- tables ------------------------------------------------------------- */

typedef struct ts_tablefmt {
	float x, width;     /* available */
	float pad_x, pad_y; /* cell padding */
	float leading;
	int header_rows;    /* rows repeated after a page break */
	float rule_outer, rule_inner;  /* booktabs rule thickness */
	ts_rgb rule_color;
	ts_rgb head_bg;     /* TS_NO_COLOR: none */
	bool center;        /* centre a table narrower than the width */
	float min_scale;    /* a table too wide is set smaller, down to this
			     * fraction of its type (0 or 1: never) */
	const char *part_label;  /* a table still too wide is cut into parts,
				  * each captioned "<part_label> 1, 6–10" */
	ts_attr part_attr;  /* the type of those captions */
} ts_tablefmt;

typedef struct ts_table ts_table;
ts_table *ts_table_begin(ts_layout *L, int ncols, const ts_tablefmt *f);
/* The paragraph of the next cell, row by row, left to right; fill it with
 * ts_par_add(). align: TS_RAGGED (left), TS_CENTER or TS_RIGHT. A table
 * has no limit of rows or columns; one wider than the width is set
 * smaller (min_scale), then cut into parts of columns that fit. */
ts_par *ts_table_cell(ts_table *t, int row, int col, ts_align align);
/* How a table too wide was fitted: its type scaled by `scale` (1: not),
 * cut into `parts` parts of columns (1: not). */
typedef struct ts_tablefit {
	float scale;
	int parts;
} ts_tablefit;
/* Lay the table out into the vertical list and free t. Returns its
 * width (of its widest part); fit (or NULL) tells how it was fitted. */
float ts_table_end(ts_table *t, ts_tablefit *fit);

/* ---- pages -------------------------------------------------------------- */

/* Cut the vertical list into pages of the given text height. flush: set
 * glue so full pages end at the bottom (within the glue's stretch). */
void ts_paginate(ts_layout *L, float height, bool flush);
/* Set marks[].y, the top of each mark's line (after ts_paginate). */
void ts_layout_place_marks(ts_layout *L);
/* Free what only drawing needs (items, runs, text, groups, tables, images),
 * keeping the pages' count, the marks and the link records (their URIs
 * are gone): for a layout that will not be drawn again. */
void ts_layout_drop_content(ts_layout *L);

/* Pages before p are drawn and will not be drawn again (a long booklet,
 * drawn once, in order): the items and runs that no page from p on
 * draws give their memory back, whole huge pages of it. They must not
 * be read again (they read as zeros); the marks, links, text and pages
 * stay. */
void ts_layout_forget(ts_layout *L, int p);

/* Page index of an item (after ts_paginate). */
int ts_item_page(const ts_layout *L, uint32_t item);

#endif
