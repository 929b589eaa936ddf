/* url.c - the one URL policy of quire's outputs (see url.h). */
#include "url.h"

#include <string.h>

static bool is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_scheme_char(unsigned char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-'
	       || c == '.';
}

static bool same_ci(const char *s, size_t n, const char *want)
{
	if (strlen(want) != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != (unsigned char)want[i])
			return false;
	}
	return true;
}

/* A URL without a clean scheme: refused when a browser could still find
 * one in it, i.e. a space or control character comes before the first
 * ':' that is not already past a '/', '?' or '#'. */
static qurl_kind without_scheme(const char *url, size_t n)
{
	bool odd = false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)url[i];
		if (c == '/' || c == '?' || c == '#')
			break;
		if (c <= 0x20 || c == 0x7F)
			odd = true;
		else if (c == ':' && odd)
			return QURL_REFUSED;
	}
	/* leading white space is stripped by browsers: " //host" */
	if (n && ((unsigned char)url[0] <= 0x20 || url[0] == 0x7F))
		return QURL_REFUSED;
	return QURL_RELATIVE;
}

qurl_kind qurl_classify(const char *url, size_t n)
{
	if (!url || !n)
		return QURL_REFUSED;
	if (url[0] == '#')
		return n > 1 ? QURL_ANCHOR : QURL_REFUSED;
	size_t k = 0;
	if (is_alpha((unsigned char)url[0]))
		while (k < n && is_scheme_char((unsigned char)url[k]))
			k++;
	if (k == 0 || k == n || url[k] != ':')
		return without_scheme(url, n);
	if (same_ci(url, k, "http") || same_ci(url, k, "https"))
		return QURL_WEB;
	if (same_ci(url, k, "mailto"))
		return QURL_MAIL;
	return QURL_REFUSED;
}

bool qurl_link_ok(const char *url, size_t n)
{
	qurl_kind k = qurl_classify(url, n);
	return k == QURL_WEB || k == QURL_MAIL || k == QURL_ANCHOR;
}

bool qurl_names_note(const char *url, size_t n)
{
	if (qurl_classify(url, n) != QURL_RELATIVE || (n > 1 && url[0] == '/' && url[1] == '/'))
		return false;
	const char *hash = memchr(url, '#', n);
	size_t end = hash ? (size_t)(hash - url) : n;
	static const char *const exts[] = {".md", ".markdown"};
	for (int i = 0; i < 2; i++) {
		size_t l = strlen(exts[i]);
		if (end > l && same_ci(url + end - l, l, exts[i]))
			return true;
	}
	return false;
}
