/* tspar.h - the paragraph builder's private types, shared by tspar.c
 * (text to boxes, glue and penalties; hyphenation) and tsbreak.c (line
 * breaking and setting). Not part of the library's interface.
 */
#ifndef QUIRE_TSPAR_H
#define QUIRE_TSPAR_H

#include "tsint.h"

enum { H_BOX, H_GLUE, H_PEN };

#define LINE_PENALTY 10.0
#define HYPHEN_PENALTY 50
/* Far higher than TeX's 50, so a line breaks after an explicit hyphen
 * only when nothing else works: text extraction (pdftotext, copy and
 * paste) takes "OS-" + "level" at a line end for a hyphenated word and
 * joins it into "OSlevel". */
#define EXHYPHEN_PENALTY 5000
#define ADJ_DEMERITS 10000.0
#define DOUBLE_HYPHEN_DEMERITS 10000.0
#define FINAL_HYPHEN_DEMERITS 5000.0
#define EMERGENCY_SPLIT_PENALTY 5000
/* A break after the . / _ of an identifier (module.attr, a/b/c,
 * snake_case): cheap, so that no line is stretched to avoid it, and
 * marked at the line end with a small continuation sign so the two halves
 * do not read as two words. */
#define IDENT_BREAK_PENALTY 50
/* Stretch of the glue between two CJK characters, in em: CJK lines are
 * justified by spacing the characters, not only the few spaces. */
#define CJK_STRETCH 0.12f
/* A justified line whose word spaces would grow past this many times
 * their natural width is set ragged instead (TeX's emergency pass would
 * stretch it). Space stretch is half the space, so 2 means a word space
 * of at most twice the normal one. */
#define MAX_STRETCH_RATIO 2.0
/* The emergency pass's price of such a line: only taken when every other
 * way is worse. */
#define LOOSE_DEMERITS 1e8
/* Items of a paragraph past which lines are broken first-fit (bounded
 * memory) instead of total-fit: some 25,000 words, no real paragraph. */
#define LONG_PARAGRAPH 50000

typedef struct hitem {
	uint8_t type;
	uint8_t kind;       /* box: ts_runkind */
	uint8_t flagged;    /* penalty: draws a hyphen (1) or a continuation
			     * mark (2) when broken at */
	uint8_t hyph;       /* penalty from the hyphenator (pass 1 skips it) */
	uint8_t fil;        /* glue: infinite stretch */
	uint8_t leader;     /* glue: filled with dots */
	uint8_t underline;
	uint8_t rightbox;   /* box: text right-aligned in w */
	uint8_t kern;       /* glue: fixed, never a breakpoint */
	uint8_t hyphable;   /* box: prose, may be hyphenated when needed */
	uint8_t nobreak;    /* glue: no breakpoint (inside a short parenthesis) */
	uint8_t strike;     /* box: struck through */
	uint8_t fake_bold;  /* box: emboldened by stroking (CJK bold) */
	uint8_t dir;        /* box: ts_dir of its strongest characters */
	float rise;         /* box: baseline shift */
	ts_rgb bg;          /* box: highlight, 0 none */
	uint16_t face;
	int32_t pen;
	float w, st, sh;
	uint32_t off, len;
	float size;
	ts_rgb color;
	int32_t link;
	float h, d;
	float textw;        /* rightbox: the text's own width */
} hitem;

typedef struct wch {
	uint32_t cp;
	uint32_t off;       /* in the pool */
	uint8_t len;
	uint8_t kind;
	uint8_t emoji;
	uint8_t fake_bold;
	uint8_t dir;        /* ts_dir of the character */
	uint8_t brk;        /* break after: 0 none, 1 hyphen (flagged), 2 plain,
			     * 3 CJK glue, 4 marked (identifiers) */
	uint16_t face;
	int16_t pen;
	int adv;
} wch;

typedef struct kpnode {
	int32_t pos, line, prev, next;
	int8_t fit, flagged;
	double dem;
	double tw, ty, tz, tf;
} kpnode;

typedef ts_pline pline;

struct ts_par {
	ts_layout *L;
	ts_parfmt fmt;
	hitem *it;
	size_t n, cap;
	hitem *lab;
	size_t nlab, caplab;
	bool in_label;
	wch *ch;
	size_t nch, capch;
	kpnode *nodes;
	size_t nnodes, capnodes;
	double *sw, *sy, *sz, *sf;
	size_t capsum;
	int32_t *breaks;
	size_t nbreaks, capbreaks;
	float ragged;       /* rightskip stretch (ragged/centred) */
	bool prev_hyphen;   /* the previous line ended with a hyphen */
	bool rtl;           /* the paragraph runs right to left */
	ts_run *mruns;      /* the runs of formula boxes (TS_RUN_MATH items:
	                     * off = first, len = count) */
	size_t nmruns, capmruns;
};


hitem *ts__new_item(ts_par *p, int type);
bool ts__legal_break(const hitem *it, size_t i, bool skip_hyph);
/* Keep short parentheses whole (fmt.whole_parens). */
void ts__whole_parens(ts_par *p);
void ts__hyphenate_items(ts_par *p);
bool ts__word_letter(uint32_t cp);
/* Width of the continuation mark of a marked break at a size. */
float ts__mark_width(float size);

#endif
