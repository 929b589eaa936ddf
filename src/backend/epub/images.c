/* images.c - the notes' local images in the book.
 *
 * The reader names, for each image of the notes it could find, a file it
 * checked lies inside the notes' folder (QN_IMAGE link.file; doc->cover).
 * The first time the chapters show an image, its file is read and kept
 * as EPUB/images/iNNNN.EXT, numbered in order of first use, with a
 * manifest item of its media type (opf.c); the same file shown twice is
 * kept once. Only images every EPUB 3 reader can show are kept: PNG,
 * JPEG, GIF, and SVG without scripts, event handlers, embedded HTML or
 * references outside itself. Anything else (WebP, a broken or too big
 * file) is shown as its alt text and address, with a warning naming the
 * notes' line. The type comes from the file's first bytes, never from
 * its name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../util/fileio.h"
#include "epub.h"

#define QEPUB_MAX_IMAGE ((size_t)64 << 20)

static void warn(const qepub_book *book, int line, const char *path,
		 const char *why)
{
	if (book->job->diags)
		qdiag_add(book->job->diags, QD_WARNING, line, 0, "image",
			  "image %s is not in the EPUB (%s); its alt text is shown",
			  path, why);
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

/* An attribute that could run or fetch something: an event handler
 * (on...=) or an href/src that is not "#name" or an inline image. */
static bool svg_reaches_out(const char *s, size_t n)
{
	for (size_t i = 1; i + 3 < n; i++) {
		char c = s[i - 1];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			continue;
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
		if (strncasecmp(s + j, "xlink:", 6) == 0)
			j += 6;
		if (strncasecmp(s + j, "href", 4) == 0)
			j += 4;
		else if (strncasecmp(s + j, "src", 3) == 0)
			j += 3;
		else
			continue;
		while (j < n && (s[j] == ' ' || s[j] == '='))
			j++;
		if (j < n && (s[j] == '"' || s[j] == '\''))
			j++;
		if (j < n && s[j] != '#' && strncasecmp(s + j, "data:image/", 11) != 0)
			return true;
	}
	return false;
}

/* The media type of an image file an EPUB may hold, from its bytes, or
 * NULL with *why set. */
static const char *media_type(const qbuf *d, const char **ext, const char **why)
{
	const unsigned char *p = (const unsigned char *)d->ptr;
	size_t n = d->len;
	*why = "not a PNG, JPEG, GIF or SVG image";
	if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return *ext = "png", "image/png";
	if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
		return *ext = "jpg", "image/jpeg";
	if (n >= 6 && (memcmp(p, "GIF87a", 6) == 0 || memcmp(p, "GIF89a", 6) == 0))
		return *ext = "gif", "image/gif";
	if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0) {
		*why = "WebP is not an image type of EPUB 3.2; convert it to PNG";
		return NULL;
	}
	size_t head = n < 4096 ? n : 4096;
	if (memchr(d->ptr, '\0', n) || !has_ci(d->ptr, head, "<svg"))
		return NULL;
	if (has_ci(d->ptr, n, "<script") || has_ci(d->ptr, n, "foreignObject")
	    || has_ci(d->ptr, n, "<!ENTITY") || svg_reaches_out(d->ptr, n)) {
		*why = "an SVG with scripts, event handlers, HTML or outside references";
		return NULL;
	}
	return *ext = "svg", "image/svg+xml";
}

qepub_image *qepub_image_new(qepub_book *book, const char *path)
{
	if (book->nimages == book->capimages) {
		book->capimages = book->capimages ? 2 * book->capimages : 8;
		book->images = qxrealloc(book->images,
					 (size_t)book->capimages * sizeof *book->images);
	}
	qepub_image *im = &book->images[book->nimages++];
	memset(im, 0, sizeof *im);
	im->path = path;
	qbuf_init(&im->data);
	return im;
}

qepub_image *qepub_image_file(qepub_book *book, const char *path, int line)
{
	for (int i = 0; i < book->nimages; i++)
		if (book->images[i].path && strcmp(book->images[i].path, path) == 0)
			return book->images[i].media ? &book->images[i] : NULL;
	qepub_image *im = qepub_image_new(book, path);
	char err[256];
	const char *why = err, *ext = "";
	if (qfile_read(path, &im->data, QEPUB_MAX_IMAGE, err, sizeof err) != QF_OK
	    || !(im->media = media_type(&im->data, &ext, &why))) {
		warn(book, line, path, why);
		qbuf_free(&im->data);
		return NULL;
	}
	book->nkept++;
	snprintf(im->name, sizeof im->name, "images/i%04d.%s", book->nkept, ext);
	return im;
}

const char *qepub_image_src(void *ctx, const qnode *image)
{
	qepub_book *book = ctx;
	const qepub_image *im = image->u.link.file
				? qepub_image_file(book, image->u.link.file, image->line) : NULL;
	return im ? im->name : NULL;
}

bool qepub_is_image(const qepub_book *book, const char *name, size_t n)
{
	for (int i = 0; i < book->nimages; i++)
		if (book->images[i].media && strlen(book->images[i].name) == n
		    && memcmp(book->images[i].name, name, n) == 0)
			return true;
	return false;
}

void qepub_images_pack(qepub_book *book)
{
	char name[64];
	for (int i = 0, k = 0; i < book->nimages; i++) {
		const qepub_image *im = &book->images[i];
		if (!im->media)
			continue;
		snprintf(name, sizeof name, "EPUB/%s", im->name);
		qepub_zip_add(book->zip, QEPUB_SLOT_CHAPTER + book->nchaps + k++, name,
			      im->data.ptr, im->data.len,
			      strcmp(im->media, "image/svg+xml") == 0);
	}
}

void qepub_images_free(qepub_book *book)
{
	for (int i = 0; i < book->nimages; i++)
		qbuf_free(&book->images[i].data);
	free(book->images);
}
