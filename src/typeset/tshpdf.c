/* tshpdf.c - a faster cmap lookup for libharu 2.3.0.
 *
 * libharu maps a character to a glyph with HPDF_TTFontDef_GetGlyphid(),
 * which scans the cmap segments linearly. It is called for every
 * character drawn and 65,536 times for each font the moment it is
 * created (to build the /W widths and the CIDToGIDMap), which made glyph
 * lookup the largest single cost of a booklet. libharu calls the function
 * through its PLT, so this definition, with the same result computed by a
 * binary search over the same (sorted, as the TrueType specification
 * requires and FreeType checks) segments, is the one the library uses.
 * Nothing else changes: the data read and the glyph returned are the
 * same as with the original, for every input (test_typeset compares them
 * over the whole BMP for the fonts in use).
 */
#include <hpdf.h>
#include <hpdf_fontdef.h>

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
