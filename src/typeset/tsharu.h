/* tsharu.h - what quire needs from libharu 2.3.0 that its public
 * interface (hpdf.h) does not offer. This is the only place in quire that
 * reaches into libharu's structures (tsharu.c includes its private
 * headers); nothing here replaces a symbol of libharu or zlib, and
 * nothing changes process-wide state. test_typeset's
 * libharu_is_the_one_we_work_around fails when Debian's libharu changes,
 * so that each workaround is looked at again.
 *
 * The workarounds, each for a limitation or bug of 2.3.0:
 * - No way to write operators libharu lacks (TJ arrays with kerning;
 *   marked content with /ActualText, upstream #203 and #217 leave no
 *   kerning or shaping): tsh_page_write() appends raw operators. The
 *   most frequent of its own (Td, rg, Tf) are slow: tsh_page_td(),
 *   tsh_page_rgb_fill() and tsh_page_font() write the same bytes.
 * - No setter of the PDF version (1.3 by default): tsh_doc_new().
 * - Creating a UTF-8 font looks up the glyph of every BMP code point by a
 *   linear scan of the cmap segments and builds a /W array of the whole
 *   BMP: for DejaVu Sans and Droid Sans Fallback that was most of the
 *   booklet's time. tsh_font_new() hides the cmap while libharu creates
 *   the font; tsh_font_finish() writes /W and the CIDToGIDMap for the
 *   characters drawn only, from quire's own glyph lookup (FreeType).
 * - The subset loses the inner parts of nested composite glyphs (accents
 *   of DejaVu Sans Bold š, Sans Mono Bold ò ó; upstream #79, fixed in
 *   2.4): tsh_font_finish() embeds quire's own subset (tssubset.c), with
 *   every component marked, transitively.
 * - Streams are deflated only when the document is saved, at zlib's
 *   default level, with a new deflate state (about 256 KB, allocated and
 *   freed) per stream: slow for large booklets, and every page's content
 *   stays in memory uncompressed until then. tsh_page_seal() deflates a
 *   finished page's content at once, at level 1, with one reused state
 *   (the file is a few per cent larger and made much faster), or hands
 *   it to a thread of a pool while the next pages are drawn
 *   (tsh_zip_use_pool()), and tells libharu it is already compressed.
 * - The ToUnicode stream is a CID CMap (begincidrange) that poppler
 *   rejects: replaced by a bfrange map (the codes are the code points).
 * - Its lists (the cross-reference table of every object, the page
 *   list, the page tree's /Kids) grow by a fixed number of entries, each
 *   time copying the whole list byte by byte: quadratic in the objects
 *   of a long booklet (65,000 bookmarks and links spent a quarter of the
 *   booklet's time there). tsh_doc_grow() lets them grow geometrically.
 * - Every object stays a tree of small objects until the document is
 *   saved, each dictionary entry with a 128-byte key of its own: a
 *   bookmark costs many times its bytes in the file, and a long
 *   booklet's bookmarks were most of its memory.
 *   tsh_dict_seal() writes a finished dictionary's entries at once, with
 *   libharu's own writer, and keeps only those bytes (the file is the
 *   same); tsh_outline_seal() does it for bookmarks, whose /Count libharu
 *   would count at saving time.
 *
 * Ownership: nothing is kept; the fonts and the document are libharu's.
 */
#ifndef QUIRE_TSHARU_H
#define QUIRE_TSHARU_H

#include <hpdf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/buf.h"
#include "../util/pool.h"
#include "tsfont.h"

/* A new document: PDF 1.7, every stream compressed, errors to fn; its
 * objects come from malloc (libharu's memory pool would misalign them). */
HPDF_Doc tsh_doc_new(HPDF_Error_Handler fn, void *user);

/* The document's language (BCP 47), /Lang in the catalog: 2.3.0 has no
 * setter. */
void tsh_doc_set_lang(HPDF_Doc pdf, const char *lang);

/* From now on, libharu's growing lists grow by at least their length
 * (they double) instead of a fixed step. Call it now and then while
 * objects are added: after each page, link or bookmark. */
void tsh_doc_grow(HPDF_Doc pdf);

/* Load face of fs as an embedded TrueType font with the UTF-8 encoding.
 * NULL when libharu cannot (the error is reset). *name: libharu's name. */
HPDF_Font tsh_font_new(HPDF_Doc pdf, ts_fontset *fs, int face,
		       const char **name);

/* Deflating finished streams: one zlib state, reused. */
typedef struct tsh_zip tsh_zip;
tsh_zip *tsh_zip_new(void);
/* NULL is a no-op. Waits for a page being deflated on the pool; a page
 * not given its content by tsh_zip_flush() is left without it. */
void tsh_zip_free(tsh_zip *z);

/* From now on, a page sealed after tsh_page_begin() is deflated on a
 * thread of pool (which must outlive z) while the next pages are drawn,
 * into the very bytes the drawing thread would make: libharu is only
 * ever called from the thread that calls these functions. Pages get
 * their content in the order they were sealed: at a later
 * tsh_page_seal() (when a few wait already) or at tsh_zip_flush(). */
void tsh_zip_use_pool(tsh_zip *z, qpool *pool);
/* Give every page still waiting its content now (nothing without a
 * pool); call it before saving. False when deflating one failed (it is then left
 * for libharu to compress) or libharu refused the bytes. */
bool tsh_zip_flush(tsh_zip *z);

/* Page hp (new, nothing drawn yet) is drawn next: what is drawn on it
 * collects in z's buffer instead of libharu's stream, so that no
 * uncompressed page content is ever allocated (and freed, fragmenting
 * the heap) inside libharu. One page at a time; end it with
 * tsh_page_seal(). False when it cannot (drawing then goes to libharu). */
bool tsh_page_begin(tsh_zip *z, HPDF_Page hp);

/* Deflate the content of page hp now (on the pool's thread, see
 * tsh_zip_use_pool()); nothing may be drawn on it after this
 * (annotations may still be added). False on failure (the page is then
 * left uncompressed or for libharu to compress); with a pool, the
 * failure of a page sealed before it. */
bool tsh_page_seal(tsh_zip *z, HPDF_Page hp);

/* Write the entries of dictionary d now and free them: d keeps only
 * their bytes, which libharu writes in its place when it saves. d must
 * be finished (nothing added to it, changed in it or looked up in it
 * afterwards; the objects it refers to may still change) and have no
 * stream or hooks of its own. scratch is reset and used. False when d
 * is not sealed (it is then left as it was). */
bool tsh_dict_seal(HPDF_Dict d, qbuf *scratch);

/* Seal bookmark o (tsh_dict_seal()) once all its children are added,
 * and sealed, and the bookmark after it is added: shown is the sum of
 * what sealing its children returned. Writes the /Count that libharu
 * would count when saving. Returns how many bookmarks o shows while its
 * parent is open (itself, and its children's when it is open). */
unsigned tsh_outline_seal(HPDF_Outline o, unsigned shown, qbuf *scratch);
/* The same for the outline's root, after every bookmark is sealed (shown:
 * the sum for the top-level bookmarks); nothing when there is none. */
void tsh_outline_seal_root(HPDF_Doc pdf, unsigned shown, qbuf *scratch);

/* Cut the room array a keeps for more items to the items it has (a
 * finished destination: libharu gives every array room for 20). */
void tsh_array_fit(HPDF_Array a);

/* The same for a new page's dictionaries and arrays (its own, its
 * media box, resources and procedure sets, its content's): every page
 * of a booklet is made before the first is drawn. */
void tsh_page_fit(HPDF_Page hp);

/* Append raw content-stream operators to a page. */
bool tsh_page_write(HPDF_Page hp, const char *s, size_t n);

/* A number as libharu's operators write it (within its limits, five
 * decimals, trailing zeros dropped); out has room for 16 bytes. Returns
 * its length. */
size_t tsh_real(char *out, float v);

/* "x y Td" and "r g b rg", byte for byte as libharu's functions write
 * them: those clear a 512-byte buffer byte by byte on every call, which
 * was a tenth of drawing a booklet. libharu's record of the text position
 * and fill colour does not follow (quire never reads them back). A page
 * must be in a text object (BT) for Td, as libharu requires. */
bool tsh_page_td(HPDF_Page hp, float x, float y);
bool tsh_page_rgb_fill(HPDF_Page hp, float r, float g, float b);
/* "/F1 size Tf" the same way, the font added to the page's resources as
 * libharu's HPDF_Page_SetFontAndSize() does (which it calls for what it
 * would refuse). */
bool tsh_page_font(HPDF_Page hp, HPDF_Font font, float size);

/* Before saving, for a font made by tsh_font_new(): used is the bitset of
 * the BMP code points drawn with it (8192 bytes, may be NULL). Marks
 * their glyphs (and every component) used, embeds quire's subset
 * (deflated with z)
 * (unless libharu_subset: tests show the bug), writes /W and the
 * CIDToGIDMap of the characters drawn and a ToUnicode map poppler reads.
 * False on a libharu error. */
bool tsh_font_finish(HPDF_Doc pdf, tsh_zip *z, HPDF_Font font,
		     const char *name, ts_fontset *fs, int face,
		     const uint8_t *used, bool libharu_subset);

/* Save the document straight into out (appended): 2.3.0 saves into a
 * stream of its own, which would hold a second copy of the file. False
 * on a libharu error. */
bool tsh_save(HPDF_Doc pdf, qbuf *out);

/* The version of libharu quire was built against and runs with. */
const char *tsh_libharu_version(void);

#endif
