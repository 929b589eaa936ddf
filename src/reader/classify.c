/* classify.c - questions, labels, numbers and decorations by text alone
 * (notes-dialect.md sections 2 and 3). */
#include "classify.h"

#include <string.h>

#include "../util/utf8.h"

static const char *const asking_words[] = {
	"What", "How", "Why", "When", "Where", "Which", "Who", "Whom", "Whose",
	"Explain", "Describe", "Difference", "Differences", "Compare",
	"Discuss", "Can", "Could", "Is", "Are", "Does", "Do", "Did", "Should",
	"Would", "Will", "Define", "Implement",
	NULL,
};

size_t qc_trim(const char **s, size_t n)
{
	const char *p = *s;
	while (n && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	*s = p;
	return n;
}

size_t qc_decoration(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, keep = 0;
	while (i < n) {
		size_t l;
		int32_t cp = qutf8_decode(u + i, n - i, &l);
		if (cp == ' ' || cp == '\t' || cp == 0xA0) {
			i += l;
			continue;
		}
		if (cp < 0 || !qutf8_is_symbol(cp))
			break;
		i += l;
		keep = i;
	}
	/* also the spaces after the last symbol */
	while (keep < n && (s[keep] == ' ' || s[keep] == '\t'))
		keep++;
	return keep;
}

size_t qc_number(const char *s, size_t n)
{
	size_t i = 0;
	if (i < n && (s[i] == 'Q' || s[i] == 'q'))
		i++;
	size_t d = i;
	while (i < n && i - d < 6 && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == d && d == 0)
		return 0;   /* neither Q nor digits */
	if (i >= n || (s[i] != '.' && s[i] != ':' && s[i] != ')'))
		return 0;
	if (i == d && s[i] == ')')
		return 0;   /* "Q)" is not a number */
	i++;
	if (i < n && s[i] != ' ' && s[i] != '\t')
		return 0;   /* "3.14", "Q:x" */
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

bool qc_word(const char *s, size_t n, const char *w, const char *after)
{
	if (w[0] && (!n || (s[0] | 0x20) != (w[0] | 0x20)))
		return false;   /* most tries end here, without strlen */
	size_t l = strlen(w);
	if (n < l)
		return false;
	for (size_t i = 0; i < l; i++) {
		char a = s[i], b = w[i];
		if (a >= 'A' && a <= 'Z')
			a += 32;
		if (b >= 'A' && b <= 'Z')
			b += 32;
		if (a != b)
			return false;
	}
	if (n == l || s[l] == ' ' || s[l] == '\t')
		return true;
	return after && strchr(after, s[l]) != NULL;
}

/* Strip markdown emphasis that wraps the whole text: **x**, *x*, __x__. */
static size_t strip_wrapping_emphasis(const char **s, size_t n)
{
	const char *p = *s;
	for (int k = 0; k < 2; k++) {
		size_t m = 0;
		while (m < n / 2 && (p[m] == '*' || p[m] == '_') && p[n - 1 - m] == p[m])
			m++;
		if (!m)
			break;
		p += m;
		n -= 2 * m;
		n = qc_trim(&p, n);
	}
	*s = p;
	return n;
}

/* Is the code point before byte n Greek? (Greek asks with ';') */
static bool greek_before(const char *s, size_t n)
{
	if (!n)
		return false;
	size_t i = n - 1;
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	size_t l;
	int32_t cp = qutf8_decode((const unsigned char *)s + i, n - i, &l);
	return cp >= 0x370 && cp <= 0x3FF;
}

/* Does the text end with a question mark: ASCII, full-width ？, Arabic ؟,
 * the Greek question mark U+037E, or ';' after a Greek letter? */
static bool ends_question(const char *s, size_t n)
{
	if (!n)
		return false;
	if (s[n - 1] == '?')
		return true;
	if (s[n - 1] == ';')
		return n >= 2 && greek_before(s, n - 1);
	return (n >= 3 && memcmp(s + n - 3, "\xEF\xBC\x9F", 3) == 0)   /* ？ */
	    || (n >= 2 && memcmp(s + n - 2, "\xD8\x9F", 2) == 0)       /* ؟ */
	    || (n >= 2 && memcmp(s + n - 2, "\xCD\xBE", 2) == 0);      /* ; */
}

qclass qc_classify(const char *s, size_t n)
{
	n = qc_trim(&s, n);
	while (n && s[n - 1] == '#')   /* closing ATX marks */
		n--;
	n = qc_trim(&s, n);
	n = strip_wrapping_emphasis(&s, n);
	size_t dec = qc_decoration(s, n);
	s += dec;
	n -= dec;
	size_t num = qc_number(s, n);
	s += num;
	n -= num;
	if (!n)
		return QC_OTHER;
	if (s[n - 1] == ':' || (n >= 3 && memcmp(s + n - 3, "\xEF\xBC\x9A", 3) == 0))
		return QC_LABEL;
	if (ends_question(s, n))
		return QC_QUESTION;
	if (qc_word(s, n, "Advanced", ":"))
		return (n > 9 && s[8] == ':') ? QC_QUESTION : QC_OTHER;
	for (int i = 0; asking_words[i]; i++)
		if (qc_word(s, n, asking_words[i], NULL))
			return QC_QUESTION;
	return QC_OTHER;
}
