/* tshpdf.c - two functions libharu 2.3.0 calls through its PLT, given
 * here so that the library uses these instead (the pdf module is loaded
 * before libharu and libz in its own scope, and the tests link them in).
 *
 * A faster cmap lookup. libharu maps a character to a glyph with
 * HPDF_TTFontDef_GetGlyphid(), which scans the cmap segments linearly. It
 * is called for every character drawn and 65,536 times for each font the
 * moment it is created (to build the /W widths and the CIDToGIDMap),
 * which made glyph lookup the largest single cost of a booklet. This one
 * computes the same result by a binary search over the same (sorted, as
 * the TrueType specification requires and FreeType checks) segments:
 * the data read and the glyph returned are the same as with the
 * original, for every input (test_typeset compares them over the whole
 * BMP for the fonts in use).
 *
 * A faster deflate. libharu compresses every stream of the file (page
 * contents, fonts, images) with deflateInit() at zlib's default level 6,
 * on one thread, at the end: a seventh of the time of a booklet. Level 1
 * makes the corpus booklet 4% larger (508 to 530 KB) and 19 ms faster.
 * Only requests for the default level change: quire's own calls name
 * their level, and use deflateInit2() anyway.
 */
#include <hpdf.h>
#include <hpdf_fontdef.h>
#include <zlib.h>

#define TLS_IE __attribute__((tls_model("initial-exec")))

HPDF_UINT16 HPDF_TTFontDef_GetGlyphid(HPDF_FontDef fontdef, HPDF_UINT16 unicode)
{
	HPDF_TTFontDefAttr attr = (HPDF_TTFontDefAttr)fontdef->attr;
	HPDF_TTF_CmapRange *cm = &attr->cmap;
	if (cm->format == 0)
		return cm->glyph_id_array ? cm->glyph_id_array[unicode & 0xFF] : 0;
	HPDF_UINT seg_count = cm->seg_count_x2 / 2;
	if (seg_count == 0) {
		HPDF_SetError(fontdef->error, HPDF_TTF_INVALID_CMAP, 0);
		return 0;
	}
	/* libharu asks for 0..65535 in order when it creates a font: try the
	 * segment of the last answer first. Initial-exec TLS: these 16 bytes
	 * sit in the static TLS block even in the loaded module, so no thread
	 * gets a dynamic TLS block (which LeakSanitizer misreads at exit). */
	static _Thread_local const HPDF_UINT16 *hint_map TLS_IE;
	static _Thread_local HPDF_UINT hint_seg TLS_IE;
	HPDF_UINT lo = 0, hi = seg_count;
	if (hint_map == cm->end_count && hint_seg < seg_count &&
	    cm->end_count[hint_seg] >= unicode &&
	    (hint_seg == 0 || cm->end_count[hint_seg - 1] < unicode))
		lo = hi = hint_seg;
	/* the first segment whose end is >= unicode */
	while (lo < hi) {
		HPDF_UINT mid = (lo + hi) / 2;
		if (cm->end_count[mid] < unicode)
			lo = mid + 1;
		else
			hi = mid;
	}
	HPDF_UINT i = lo;
	hint_map = cm->end_count;
	hint_seg = i;
	if (i >= seg_count || cm->start_count[i] > unicode)
		return 0;
	if (cm->id_range_offset[i] == 0)
		return (HPDF_UINT16)(unicode + cm->id_delta[i]);
	HPDF_UINT idx = cm->id_range_offset[i] / 2 + (unicode - cm->start_count[i]) -
			(seg_count - i);
	if (idx >= cm->glyph_id_array_count)
		return 0;
	return (HPDF_UINT16)(cm->glyph_id_array[idx] + cm->id_delta[i]);
}

/* The level libharu's streams get instead of zlib's default. */
#define HPDF_STREAM_LEVEL 1

int deflateInit_(z_streamp strm, int level, const char *version, int stream_size)
{
	if (level == Z_DEFAULT_COMPRESSION)
		level = HPDF_STREAM_LEVEL;
	return deflateInit2_(strm, level, Z_DEFLATED, MAX_WBITS, 8, Z_DEFAULT_STRATEGY,
			     version, stream_size);
}
