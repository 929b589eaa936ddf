/* utf8.h - decoding and classifying UTF-8 text.
 *
 * Pure functions on borrowed bytes; nothing is allocated.
 */
#ifndef QUIRE_UTF8_H
#define QUIRE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decode one code point at s[0..n). Returns it and sets *len to its byte
 * length; on an invalid or truncated sequence returns -1 with *len = 1.
 * ASCII is decoded inline: it is most of the text of most notes. */
int32_t qutf8_decode_seq(const unsigned char *s, size_t n, size_t *len);
static inline int32_t qutf8_decode(const unsigned char *s, size_t n, size_t *len)
{
	if (n && s[0] < 0x80) {
		*len = 1;
		return s[0];
	}
	return qutf8_decode_seq(s, n, len);
}
/* Length of the valid UTF-8 sequence at s, or 0 when invalid. */
size_t qutf8_seq_len(const unsigned char *s, size_t n);
bool qutf8_valid(const char *s, size_t n);
/* Number of code points (invalid bytes count one each). */
size_t qutf8_count(const char *s, size_t n);
/* Does s hold more than k code points? Counts only when it must. */
bool qutf8_longer_than(const char *s, size_t n, size_t k);
/* Letters and digits of any script, approximately: ASCII alnum, Latin-1
 * letters, and every code point >= U+0100 that is not punctuation, a
 * symbol, an arrow or an emoji block. Used for card keys and word tests. */
bool qutf8_is_wordchar(int32_t cp);
/* Emoji, pictographs, dingbats, arrows and other symbols that notes put in
 * front of titles as decoration. */
bool qutf8_is_symbol(int32_t cp);
/* CJK ideographs, kana and hangul: text that may break between any two. */
static inline bool qutf8_is_cjk(int32_t cp)
{
	return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF)
	    || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFF60)
	    || (cp >= 0x20000 && cp <= 0x3FFFF);
}
/* Unicode white space including NBSP (U+00A0) and ideographic space. */
bool qutf8_is_space(int32_t cp);

/* The direction a letter sets (Unicode's strong bidi classes, roughly):
 * -1 right to left (Hebrew, Arabic, Syriac, Thaana, N'Ko and their
 * presentation forms), 1 left to right (other letters), 0 for digits,
 * punctuation, symbols, spaces and marks that set none. */
int qutf8_direction(int32_t cp);

/* Lower case for ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic. */
int32_t qutf8_lower(int32_t cp);

#endif
