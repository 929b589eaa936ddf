/* image.c - reading, typing and measuring the notes' image files (see
 * image.h). The pixel sizes come from the headers: PNG's IHDR, GIF's
 * logical screen, JPEG's first start-of-frame marker, WebP's first chunk
 * (VP8X's canvas, or the lossy or lossless picture's own header).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../util/fileio.h"
#include "image.h"

static unsigned be16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }
static unsigned long be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

/* The bytes of s[0..n) as lower case, searched for needle. */
static bool has_ci(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (strncasecmp(s + i, needle, k) == 0)
			return true;
	return false;
}

/* After a space: an event handler (on...=) or an href/src that is not
 * "#name" or an inline image. */
static bool attribute_reaches_out(const char *s, size_t n, size_t i)
{
	if (strncasecmp(s + i, "on", 2) == 0) {
		size_t j = i + 2;
		while (j < n && ((s[j] | 0x20) >= 'a' && (s[j] | 0x20) <= 'z'))
			j++;
		while (j < n && (s[j] == ' ' || s[j] == '\t'))
			j++;
		if (j > i + 2 && j < n && s[j] == '=')
			return true;
	}
	size_t j = i;
	if (n - j > 6 && strncasecmp(s + j, "xlink:", 6) == 0)
		j += 6;
	if (n - j > 4 && strncasecmp(s + j, "href", 4) == 0)
		j += 4;
	else if (n - j > 3 && strncasecmp(s + j, "src", 3) == 0)
		j += 3;
	else
		return false;
	while (j < n && (s[j] == ' ' || s[j] == '='))
		j++;
	if (j < n && (s[j] == '"' || s[j] == '\''))
		j++;
	return j < n && s[j] != '#' && (n - j < 11 || strncasecmp(s + j, "data:image/", 11) != 0);
}

static bool svg_reaches_out(const char *s, size_t n)
{
	for (size_t i = 1; i + 3 < n; i++) {
		char c = s[i - 1];
		if ((c == ' ' || c == '\t' || c == '\n' || c == '\r') && attribute_reaches_out(s, n, i))
			return true;
	}
	return false;
}

/* JPEG: the size and components of the first start-of-frame marker. */
static bool jpeg_size(const unsigned char *p, size_t n, qimage_info *info)
{
	size_t i = 2;
	while (i + 4 <= n) {
		if (p[i] != 0xFF)
			return false;
		unsigned m = p[i + 1];
		if (m == 0xFF) {          /* fill byte */
			i++;
			continue;
		}
		if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
			i += 2;
			continue;
		}
		unsigned len = be16(p + i + 2);
		if (len < 2)
			return false;
		bool sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
		if (sof) {
			if (i + 10 > n)
				return false;
			info->height = (int)be16(p + i + 5);
			info->width = (int)be16(p + i + 7);
			info->components = p[i + 9];
			return info->width > 0 && info->height > 0;
		}
		if (m == 0xD9 || m == 0xDA)   /* end of image, start of scan */
			return false;
		i += 2 + (size_t)len;
	}
	return false;
}

static unsigned le24(const unsigned char *p) { return p[0] | (unsigned)p[1] << 8 | (unsigned)p[2] << 16; }

/* WebP: the size in its first chunk (RIFF, size, "WEBP", then the chunk). */
static bool webp_size(const unsigned char *p, size_t n, qimage_info *info)
{
	if (n >= 30 && memcmp(p + 12, "VP8X", 4) == 0) {
		info->width = (int)le24(p + 24) + 1;
		info->height = (int)le24(p + 27) + 1;
	} else if (n >= 30 && memcmp(p + 12, "VP8 ", 4) == 0 && memcmp(p + 23, "\x9d\x01\x2a", 3) == 0) {
		info->width = (int)((p[26] | (unsigned)p[27] << 8) & 0x3fff);
		info->height = (int)((p[28] | (unsigned)p[29] << 8) & 0x3fff);
	} else if (n >= 25 && memcmp(p + 12, "VP8L", 4) == 0 && p[20] == 0x2f) {
		unsigned long bits = p[21] | (unsigned long)p[22] << 8 | (unsigned long)p[23] << 16
				     | (unsigned long)p[24] << 24;
		info->width = (int)(bits & 0x3fff) + 1;
		info->height = (int)(bits >> 14 & 0x3fff) + 1;
	}
	return info->width > 0 && info->height > 0;
}

static bool svg_sniff(const char *s, size_t n, qimage_info *info, const char **why)
{
	size_t head = n < 4096 ? n : 4096;
	if (memchr(s, '\0', n) || !has_ci(s, head, "<svg"))
		return false;
	if (has_ci(s, n, "<script") || has_ci(s, n, "foreignObject")
	    || has_ci(s, n, "<!ENTITY") || svg_reaches_out(s, n)) {
		*why = "an SVG with scripts, event handlers, HTML or outside references";
		return false;
	}
	*info = (qimage_info){.type = QIMAGE_SVG, .media = "image/svg+xml", .ext = "svg"};
	return true;
}

bool qimage_sniff(const char *data, size_t n, qimage_info *info, const char **why)
{
	const unsigned char *p = (const unsigned char *)data;
	memset(info, 0, sizeof *info);
	*why = "not a PNG, JPEG, GIF, WebP or SVG image";
	if (n >= 24 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0 && memcmp(p + 12, "IHDR", 4) == 0) {
		unsigned long w = be32(p + 16), h = be32(p + 20);
		if (w == 0 || h == 0 || w > 1000000 || h > 1000000) {
			*why = "a PNG without a sane size";
			return false;
		}
		*info = (qimage_info){QIMAGE_PNG, "image/png", "png", (int)w, (int)h, 0};
		return true;
	}
	if (n >= 4 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) {
		*info = (qimage_info){.type = QIMAGE_JPEG, .media = "image/jpeg", .ext = "jpg"};
		if (jpeg_size(p, n, info))
			return true;
		*why = "a JPEG without a readable size";
		return false;
	}
	if (n >= 10 && (memcmp(p, "GIF87a", 6) == 0 || memcmp(p, "GIF89a", 6) == 0)) {
		*info = (qimage_info){QIMAGE_GIF, "image/gif", "gif",
				      p[6] | p[7] << 8, p[8] | p[9] << 8, 0};
		return true;
	}
	if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0) {
		*info = (qimage_info){.type = QIMAGE_WEBP, .media = "image/webp", .ext = "webp"};
		if (webp_size(p, n, info))
			return true;
		*why = "a WebP without a readable size";
		return false;
	}
	return svg_sniff(data, n, info, why);
}

bool qimage_load(const char *path, qbuf *data, qimage_info *info, char *why,
		 size_t whylen)
{
	const char *reason = NULL;
	size_t start = data->len;
	if (qfile_read_regular(path, data, QIMAGE_MAX, why, whylen) != QF_OK)
		return false;
	if (qimage_sniff(data->ptr + start, data->len - start, info, &reason))
		return true;
	snprintf(why, whylen, "%s", reason);
	return false;
}
