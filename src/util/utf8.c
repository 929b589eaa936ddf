/* utf8.c - UTF-8 decoding and rough character classes (see utf8.h). */
#include "utf8.h"

/* The valid sequence at s: its length (0 when invalid) and code point. */
static size_t decode(const unsigned char *s, size_t n, int32_t *out)
{
	if (n == 0)
		return 0;
	unsigned c = s[0];
	if (c < 0x80) {
		*out = (int32_t)c;
		return 1;
	}
	size_t len;
	unsigned min;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	unsigned cp = c & (0x7F >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	*out = (int32_t)cp;
	return len;
}

size_t qutf8_seq_len(const unsigned char *s, size_t n)
{
	int32_t cp;
	return decode(s, n, &cp);
}

int32_t qutf8_decode_seq(const unsigned char *s, size_t n, size_t *len)
{
	int32_t cp = -1;
	size_t l = decode(s, n, &cp);
	*len = l ? l : 1;
	return l ? cp : -1;
}

bool qutf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		size_t l = qutf8_seq_len(p + i, n - i);
		if (!l)
			return false;
		i += l;
	}
	return true;
}

size_t qutf8_count(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

bool qutf8_longer_than(const char *s, size_t n, size_t k)
{
	if (n <= k)
		return false;   /* at most n code points */
	if (n > 4 * k)
		return true;    /* at least n/4 */
	return qutf8_count(s, n) > k;
}

bool qutf8_is_symbol(int32_t cp)
{
	return (cp >= 0x2190 && cp <= 0x21FF)      /* arrows */
	    || (cp >= 0x2300 && cp <= 0x23FF)      /* misc technical */
	    || (cp >= 0x2460 && cp <= 0x24FF)      /* enclosed */
	    || (cp >= 0x2500 && cp <= 0x27BF)      /* boxes, shapes, dingbats */
	    || (cp >= 0x27F0 && cp <= 0x27FF)
	    || (cp >= 0x2900 && cp <= 0x297F)
	    || (cp >= 0x2B00 && cp <= 0x2BFF)
	    || cp == 0xFE0F || cp == 0xFE0E || cp == 0x200D || cp == 0x20E3
	    || (cp >= 0x1F000 && cp <= 0x1FAFF)    /* emoji */
	    || (cp >= 0xE0000 && cp <= 0xE007F);   /* tags */
}

bool qutf8_is_space(int32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r'
	    || cp == '\f' || cp == '\v' || cp == 0xA0 || cp == 0x1680
	    || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F
	    || cp == 0x205F || cp == 0x3000;
}

static bool is_punct_block(int32_t cp)
{
	return (cp >= 0x2000 && cp <= 0x206F)      /* general punctuation */
	    || (cp >= 0x20A0 && cp <= 0x20CF)      /* currency */
	    || (cp >= 0x2100 && cp <= 0x214F)      /* letterlike: keep out */
	    || (cp >= 0x2200 && cp <= 0x22FF)      /* math operators */
	    || (cp >= 0x3000 && cp <= 0x303F)      /* CJK punctuation */
	    || (cp >= 0xFE30 && cp <= 0xFE4F)
	    || (cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20)
	    || (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65);
}

bool qutf8_is_wordchar(int32_t cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z')
		    || (cp >= 'A' && cp <= 'Z');
	if (cp < 0x100)
		return cp >= 0xC0 && cp != 0xD7 && cp != 0xF7;
	if (qutf8_is_symbol(cp) || is_punct_block(cp) || qutf8_is_space(cp))
		return false;
	return cp != 0xFFFD;
}

static bool is_rtl_letter(int32_t cp)
{
	if (cp >= 0x0590 && cp <= 0x08FF)   /* Hebrew .. Arabic Extended-A */
		return !(cp >= 0x0591 && cp <= 0x05C7 && cp != 0x05BE && cp != 0x05C0
			 && cp != 0x05C3 && cp != 0x05C6)   /* Hebrew points */
		       && !(cp >= 0x0600 && cp <= 0x0605)      /* number signs */
		       && !(cp >= 0x0610 && cp <= 0x061A)      /* marks */
		       && !(cp >= 0x064B && cp <= 0x065F)      /* harakat */
		       && !(cp >= 0x0660 && cp <= 0x0669)      /* digits */
		       && cp != 0x066B && cp != 0x066C && cp != 0x0670
		       && !(cp >= 0x06D6 && cp <= 0x06ED && cp != 0x06E5 && cp != 0x06E6)
		       && !(cp >= 0x06F0 && cp <= 0x06F9);     /* digits */
	return (cp >= 0xFB1D && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFC)
	       || (cp >= 0x10800 && cp <= 0x10FFF) || (cp >= 0x1E800 && cp <= 0x1EFFF);
}

int qutf8_direction(int32_t cp)
{
	if (cp < 0)
		return 0;
	if (is_rtl_letter(cp))
		return -1;
	if ((cp >= '0' && cp <= '9') || (cp >= 0x0590 && cp <= 0x08FF))
		return 0;
	return qutf8_is_wordchar(cp) ? 1 : 0;
}

int32_t qutf8_lower(int32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
	if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
		return cp + 32;
	if (cp >= 0x100 && cp <= 0x137)
		return cp | 1;
	if (cp >= 0x139 && cp <= 0x148)
		return (cp & 1) ? cp + 1 : cp;
	if (cp >= 0x14A && cp <= 0x177)
		return cp | 1;
	if (cp == 0x178)
		return 0xFF;
	if (cp >= 0x179 && cp <= 0x17E)
		return (cp & 1) ? cp + 1 : cp;
	if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2)
		return cp + 32;
	if (cp >= 0x410 && cp <= 0x42F)
		return cp + 32;
	if (cp >= 0x400 && cp <= 0x40F)
		return cp + 80;
	return cp;
}
