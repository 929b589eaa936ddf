/* tsfont.h - fonts by role, per-character fallback and cached widths.
 *
 * The typesetter never asks libharu how wide a character is: it reads the
 * font files with FreeType and computes advance * 1000 / unitsPerEm with
 * the same integer truncation libharu 2.3.0 uses, so the widths it lays
 * out with are exactly the /W widths a viewer uses (test_typeset checks
 * this against HPDF_Font_GetUnicodeWidth). Only the (3,1) Unicode BMP
 * cmap counts for text, because it is the only one libharu reads.
 *
 * A font set maps each role (body, bold, italic, mono, ...) to one font
 * file, chosen from a list of alternatives in fonts/roles.conf (the first
 * that exists and is a TrueType font wins; a missing file is a warning that
 * names the role). A character is looked up along a fallback chain: the
 * role, its base role (bold -> body, mono bold -> mono), then symbols,
 * then CJK, then the colour emoji font. Characters above U+FFFF, which
 * libharu cannot draw as text, resolve to the emoji font (drawn as an
 * image) or to a TrueType face that has them (drawn as outlines).
 *
 * Ownership: ts_fontset_new() allocates; ts_fontset_free() frees the set,
 * its FreeType faces and caches. Paths are copied.
 */
#ifndef QUIRE_TSFONT_H
#define QUIRE_TSFONT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/buf.h"
#include "../util/diag.h"

typedef enum ts_role {
	TS_BODY = 0,
	TS_BOLD,
	TS_ITALIC,
	TS_BOLDITALIC,
	TS_MONO,
	TS_MONOBOLD,
	TS_MONOITALIC, /* comments in code */
	TS_SANS,       /* headings and the running head */
	TS_SANSBOLD,
	TS_SYMBOLS,    /* arrows, dingbats, check marks: fallback for all */
	TS_CJK,        /* ideographs, kana: fallback for all */
	TS_HANGUL,     /* Korean syllables, which the CJK font lacks */
	TS_EMOJI,      /* colour emoji (CBDT bitmaps), drawn as images */
	TS_MATH,       /* formulas: upright letters, digits, operators */
	TS_MATHITALIC, /* formulas: italic letters */
	TS_MATHBOLD,   /* \mathbf */
	TS_MATHBB,     /* \mathbb: double-struck capitals at A-Z */
	TS_MATHCAL,    /* \mathcal: calligraphic capitals at A-Z */
	TS_MATHFRAK,   /* \mathfrak: Fraktur letters at A-Z, a-z */
	TS_MATHSIZE1,  /* big operators and delimiters, 1.2 em ... */
	TS_MATHSIZE2,  /* 1.8 em */
	TS_MATHSIZE3,  /* 2.4 em */
	TS_MATHSIZE4,  /* 3 em, and the pieces of taller delimiters */
	TS_ROLE_COUNT
} ts_role;

/* How a resolved character is drawn. */
typedef enum ts_glyphkind {
	TS_GLYPH_TEXT = 0,   /* BMP character as text in a TrueType face */
	TS_GLYPH_IMAGE,      /* colour bitmap from the emoji face */
	TS_GLYPH_OUTLINE,    /* above U+FFFF: outline drawn as a path */
	TS_GLYPH_MISSING,    /* no face has it: drawn as the body .notdef box */
} ts_glyphkind;

#define TS_MAX_FACES 32

typedef struct ts_fontset ts_fontset;

/* A new set; roles start unset. share_fonts_dir is the folder that
 * relative paths in roles.conf are resolved against. */
ts_fontset *ts_fontset_new(void);
void ts_fontset_free(ts_fontset *fs);   /* NULL is a no-op */

/* Read roles.conf text (`role = path ; path ...`, # comments). Each role
 * takes the first alternative that exists and is usable; problems are
 * warnings in d (file = conf_name). Relative paths are resolved against
 * base_dir. Returns false (with an error in d) when no usable text face
 * exists at all. Missing roles borrow a related role's face, with a
 * warning naming both. */
bool ts_fontset_load_conf(ts_fontset *fs, const char *text, size_t n,
			  const char *base_dir, const char *conf_name,
			  qdiags *d);
/* Set one role directly to the first usable of `paths` (tests). */
bool ts_fontset_set_role(ts_fontset *fs, ts_role role, const char *const *paths,
			 int npaths, qdiags *d);
/* Settle roles that have no face (after loading): borrow a related role.
 * Returns false when not even a body face exists. */
bool ts_fontset_finish(ts_fontset *fs, qdiags *d);

/* Draw characters of the BMP that have a text glyph as text even when
 * they have emoji presentation (✅ ❌ in Symbola rather than colour
 * images). Characters above U+FFFF stay images: libharu cannot draw them
 * as text. */
void ts_fontset_text_emoji(ts_fontset *fs, bool on);

/* The face that draws cp in role, and how. emoji: prefer the colour emoji
 * face (the character has emoji presentation or is followed by U+FE0F).
 * Returns the face index (>= 0); for TS_GLYPH_MISSING the body face. */
int ts_font_resolve(ts_fontset *fs, ts_role role, uint32_t cp, bool emoji,
		    ts_glyphkind *kind);
/* Characters the typesetter never draws: variation selectors, zero-width
 * spaces and joiners, the soft hyphen, bidi controls, the byte order
 * mark, C0 and C1 controls. (Where a soft hyphen or zero-width space
 * lets a line break is the paragraph builder's business.) The one list
 * for paragraphs, code, single lines and the lint. */
bool ts_is_invisible(uint32_t cp);

/* One character resolved for drawing: the face, how it is drawn, and
 * its advance in 1/1000 em. The typesetter's one glyph lookup. */
typedef struct ts_glyph {
	int face;
	ts_glyphkind kind;
	int adv;
	bool fake_bold;   /* a bold role drawn by a face with no bold (CJK):
			   * embolden by stroking the outline */
} ts_glyph;
ts_glyph ts_glyph_for(ts_fontset *fs, ts_role role, uint32_t cp, bool emoji);

/* Is cp drawable in some face of the set (any role)? For lint. */
bool ts_font_covers(ts_fontset *fs, uint32_t cp);
/* Advance of cp in face, in 1/1000 em (libharu's integer widths). For
 * image glyphs a fixed emoji advance. */
int ts_font_advance(ts_fontset *fs, int face, uint32_t cp);

/* Glyph index of cp in face: for the BMP from the (3,1) cmap, the one
 * libharu reads, so it is the glyph libharu would choose (0: none). */
unsigned ts_font_gid(ts_fontset *fs, int face, uint32_t cp);

/* The ink box of cp in face, in 1/1000 em: xmin, ymin, xmax, ymax (y
 * up; all 0 for a blank or missing glyph). Cached for the BMP. The math
 * typesetter places glyphs by their ink. */
void ts_font_bbox(ts_fontset *fs, int face, uint32_t cp, int16_t box[4]);

/* Kerning between a and b in face, in 1/1000 em, rounded to an integer
 * (the same number is written into TJ arrays). 0 for monospaced faces,
 * colour faces, and fonts without a 'kern' table (libharu reads neither
 * kern nor GPOS; FreeType reads kern). Cached for ASCII pairs. */
int ts_font_kern(ts_fontset *fs, int face, uint32_t a, uint32_t b);

/* Face properties. */
int ts_font_role_face(const ts_fontset *fs, ts_role role); /* -1 if unset */
const char *ts_font_path(const ts_fontset *fs, int face);
bool ts_font_is_color(const ts_fontset *fs, int face);
/* Units per em of a face (1000 when unknown). */
int ts_font_upem(ts_fontset *fs, int face);
/* The raw bytes of a TrueType table of a face (glyf, loca, ...), NULL if
 * absent; *len set. Owned by the font set (cached until free). */
const unsigned char *ts_font_table(ts_fontset *fs, int face, const char tag[4],
				   size_t *len);

/* A subset of a face as a TrueType font program for PDF (tssubset.c):
 * the glyphs with keep[g] != 0 (g < nkeep), ids unchanged. */
bool ts_font_subset(ts_fontset *fs, int face, const uint8_t *keep, unsigned nkeep,
		    qbuf *out);

/* A colour emoji as a PNG with alpha (RGBA), appended to png. Returns
 * false when the face cannot render cp. */
bool ts_font_emoji_png(ts_fontset *fs, int face, uint32_t cp, qbuf *png);
/* Walk the outline of cp in face (font units, y up), calling the
 * callbacks; units_per_em is set. For TS_GLYPH_OUTLINE glyphs. */
typedef struct ts_outline_cb {
	void *ctx;
	void (*move)(void *ctx, float x, float y);
	void (*line)(void *ctx, float x, float y);
	void (*cubic)(void *ctx, float x1, float y1, float x2, float y2,
		      float x3, float y3);
} ts_outline_cb;
bool ts_font_outline(ts_fontset *fs, int face, uint32_t cp,
		     const ts_outline_cb *cb, int *units_per_em);

/* Characters with emoji presentation by default (✅ ❌ ⚡ and the like in
 * the BMP, and the pictographs above U+1F000). */
bool ts_is_emoji_presentation(uint32_t cp);

/* Role names as in roles.conf: "body", "bold", ... */
const char *ts_role_name(ts_role role);

#endif
