/* tsbidi.c - right-to-left words with FriBidi (see tsbidi.h). */
#include "tsbidi.h"

#include <fribidi.h>
#include <stdlib.h>

#include "../util/arena.h"

ts_dir ts_bidi_dir(uint32_t cp)
{
	if (cp < 0x80)   /* most text: no table lookup */
		return ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') ? TS_DIR_LTR : TS_DIR_NEUTRAL;
	FriBidiCharType t = fribidi_get_bidi_type((FriBidiChar)cp);
	if (!FRIBIDI_IS_STRONG(t) || !FRIBIDI_IS_LETTER(t))
		return TS_DIR_NEUTRAL;
	return FRIBIDI_IS_RTL(t) ? TS_DIR_RTL : TS_DIR_LTR;
}

size_t ts_bidi_word(uint32_t *cps, size_t n)
{
	if (n == 0 || n > 100000)
		return n;
	FriBidiChar *vis = qxmalloc(sizeof *vis * n);
	FriBidiParType base = FRIBIDI_PAR_RTL;
	/* shapes (joining, presentation forms, ligatures) and mirrors */
	if (!fribidi_log2vis((const FriBidiChar *)cps, (FriBidiStrIndex)n, &base, vis,
			     NULL, NULL, NULL)) {
		free(vis);
		return n;
	}
	size_t m = 0;
	for (size_t i = 0; i < n; i++)   /* a ligature leaves a filler behind */
		if (vis[i] != 0xFEFF)
			cps[m++] = vis[i];
	free(vis);
	return m;
}
