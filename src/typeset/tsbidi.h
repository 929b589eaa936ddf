/* tsbidi.h - right-to-left text (Arabic, Hebrew) with GNU FriBidi: the
 * direction of characters, and the visual form of a right-to-left word:
 * its characters in display order, Arabic letters joined (the contextual
 * forms of the Arabic Presentation Forms blocks, which the fonts have and
 * libharu can draw), mandatory ligatures formed, brackets mirrored. The
 * order of the words of a line is the line builder's (tsbreak.c).
 *
 * Nothing is allocated that outlives a call.
 */
#ifndef QUIRE_TSBIDI_H
#define QUIRE_TSBIDI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum ts_dir { TS_DIR_NEUTRAL = 0, TS_DIR_LTR = 1, TS_DIR_RTL = 2 } ts_dir;

/* The strong direction of a character (letters), or neutral. */
ts_dir ts_bidi_dir(uint32_t cp);

/* Turn the n code points of a word (logical order) into their visual
 * form, in place; returns the new count (ligatures make it shorter). */
size_t ts_bidi_word(uint32_t *cps, size_t n);

#endif
