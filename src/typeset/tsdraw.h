/* tsdraw.h - drawing laid-out pages with libharu 2.3.0.
 *
 * What libharu 2.3.0 cannot do, and how quire works around it:
 * - No character above U+FFFF (its UTF-8 encoder turns them into spaces):
 *   colour emoji (👉 🔹 🧵) are PNG images rendered with FreeType from
 *   Noto Color Emoji, other such characters are drawn as outlines from a
 *   font that has them; either way a marked-content span with /ActualText
 *   gives the real character back to extraction and search.
 * - No kerning, no TJ, and word spacing (Tw) does nothing with UTF-8
 *   fonts: the typesetter places every word itself; lines are written as
 *   TJ arrays directly into the page stream.
 * - Nested composite glyphs lose their inner components in 2.3.0's subset
 *   (accents vanish from DejaVu Sans Bold š, Sans Mono Bold ò ó): quire
 *   marks every component transitively and embeds its own subset
 *   (tssubset.c), which also drops the 85 KB per face that 2.3.0 copies.
 * - No CFF/OpenType (.otf) fonts: fonts/roles.conf lists TrueType files
 *   only, a CFF file is refused with a warning and the next one is used
 *   (CJK: Droid Sans Fallback, not Noto CJK).
 * - The ToUnicode map is a CID CMap poppler rejects: replaced by a proper
 *   bfrange map. The /W widths and CIDToGIDMap cover the whole BMP:
 *   replaced by ones for the characters drawn.
 * - MeasureText cuts UTF-8 and breaks only at ASCII spaces: unused; widths
 *   come from FreeType with libharu's own integer truncation.
 * - No form XObjects: --impose draws each page again onto the sheets.
 *
 * A drawer belongs to one HPDF_Doc. It embeds each picture of a layout
 * the first time a page shows it (a picture shown twice is one image
 * XObject). It loads each TrueType face the first
 * time a run uses it (embedded and subset, UTF-8 encoding), draws text
 * word by word at the positions the typesetter chose (libharu's word
 * spacing does nothing with UTF-8 fonts), colour emoji as PNG images and
 * characters above U+FFFF as outlines, each wrapped in a marked-content
 * span whose /ActualText carries the real character so that text
 * extraction and search still find it.
 *
 * ts_drawer_finish() hands each font to tsh_font_finish() (tsharu.c,
 * the only file that reaches into libharu): subsets, /W, CIDToGIDMap and
 * ToUnicode for the characters drawn.
 *
 * Ownership: ts_drawer_new() allocates; ts_drawer_free() frees the drawer
 * (not the document, the font set or the layouts, which it borrows).
 */
#ifndef QUIRE_TSDRAW_H
#define QUIRE_TSDRAW_H

#include <hpdf.h>

#include "../util/diag.h"
#include "../util/pool.h"
#include "tslayout.h"

typedef struct ts_drawer ts_drawer;

/* A link area found while drawing (PDF coordinates of the HPDF page). */
typedef struct ts_linkrect {
	HPDF_Page page;
	int tag;            /* as given to ts_draw_page */
	int link;           /* link id in the layout */
	float x0, y0, x1, y1;
} ts_linkrect;

ts_drawer *ts_drawer_new(HPDF_Doc pdf, ts_fontset *fs, qdiags *d);
void ts_drawer_free(ts_drawer *dr);   /* NULL is a no-op */

/* Draw page p of L onto hp with the top-left corner of the text block at
 * (left, top) in page coordinates (y up). Links are collected with tag. */
void ts_draw_page(ts_drawer *dr, HPDF_Page hp, const ts_layout *L, int p,
		  float left, float top, int tag);
/* One line of text with font fallback, aligned at x (TS_RAGGED: left,
 * TS_CENTER, TS_RIGHT) on baseline y, in either direction (a line of
 * Arabic or Hebrew shaped and ordered as in paragraphs). Returns its
 * width. */
float ts_draw_text(ts_drawer *dr, HPDF_Page hp, const ts_attr *a, float x,
		   float y, const char *s, size_t n, ts_align align);
/* Width of such a line. */
float ts_text_width(ts_fontset *fs, const ts_attr *a, const char *s, size_t n);
/* A filled rectangle (rules). */
void ts_draw_rect(HPDF_Page hp, float x, float y, float w, float h,
		  ts_rgb color);

/* Can libharu embed this picture? (Tried in a document of its own, so
 * that a refusal never reaches the booklet's error handler.) */
bool ts_image_embeds(const ts_image *im);

const ts_linkrect *ts_drawer_links(const ts_drawer *dr, size_t *n);

/* Page hp is drawn next (before anything is drawn on it): its content
 * is collected and compressed by quire. Optional; then end it with
 * ts_drawer_page_done(). */
void ts_drawer_page_begin(ts_drawer *dr, HPDF_Page hp);

/* Page hp is finished: its content is compressed now, nothing more may
 * be drawn on it (links may still be added). Optional; saves memory and
 * time for long documents. */
void ts_drawer_page_done(ts_drawer *dr, HPDF_Page hp);

/* Finished pages are compressed on a thread of pool (which must outlive
 * dr) while the next pages are drawn; the file is the same. */
void ts_drawer_use_pool(ts_drawer *dr, qpool *pool);

/* For tests only: leave libharu's subsets as 2.3.0 makes them (the
 * composite-glyph bug shows). */
void ts_drawer_keep_libharu_subset(ts_drawer *dr);

/* Give the last finished page its content, fix the subsets and the
 * ToUnicode maps; call once before saving.
 * Returns false on a libharu error. */
bool ts_drawer_finish(ts_drawer *dr);

/* Placement of the items of a page: fn gets each line or rule with the
 * top of its box and its baseline, both measured down from the top of
 * the text block. A repeated table header comes first. */
typedef void (*ts_place_fn)(void *ctx, uint32_t item, float top, float base);
void ts_page_place(const ts_layout *L, int p, ts_place_fn fn, void *ctx);

/* Saddle-stitch imposition: for n pages padded to a multiple of 4, the
 * logical page (0-based, or -1 for a blank) at the left and right of
 * side s (0 = front of sheet 1, 1 = its back, ...). Returns the number of
 * sides. */
int ts_impose_sides(int n);
void ts_impose_side(int n, int side, int *left, int *right);

#endif
