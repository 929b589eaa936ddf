/* images.c - the notes' local images in the book.
 *
 * The reader names, for each image of the notes it could find, a file it
 * checked lies inside the notes' folder (QN_IMAGE link.file; doc->cover).
 * The first time the chapters show an image, its file is read and kept
 * as EPUB/images/iNNNN.EXT, numbered in order of first use, with a
 * manifest item of its media type (opf.c); the same file shown twice is
 * kept once. The images kept are those render/image.h types (PNG, JPEG,
 * GIF, WebP, safe SVG) and backend/raster finds whole, as they are;
 * anything else is shown as its alt text and address, with a warning
 * naming the notes' line. WebP is not
 * one of EPUB 3's core media types, which every reader shows: a WebP is
 * decoded (backend/raster, libwebp) and its PNG twin is its manifest
 * fallback (opf.c), so epubcheck passes and a reader without WebP shows
 * the PNG; a WebP libwebp cannot decode is not kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../render/image.h"
#include "../raster/raster.h"
#include "epub.h"

static void warn(const qepub_book *book, int line, const char *path,
		 const char *why)
{
	if (book->job->diags)
		qdiag_add(book->job->diags, QD_WARNING, line, 0, "image",
			  "image %s is not in the EPUB (%s); its alt text is shown",
			  path, why);
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
	qbuf_init(&im->twin_data);
	return im;
}

/* A WebP's PNG twin, beside it; false with why. */
static bool make_twin(qepub_image *im, char *why, size_t whylen)
{
	qraster r;
	if (!qraster_webp(im->data.ptr, im->data.len, &r, why, whylen))
		return false;
	bool ok = qraster_png(&r, &im->twin_data, why, whylen);
	qraster_free(&r);
	return ok;
}

qepub_image *qepub_image_file(qepub_book *book, const char *path, int line)
{
	for (int i = 0; i < book->nimages; i++)
		if (book->images[i].path && strcmp(book->images[i].path, path) == 0)
			return book->images[i].media ? &book->images[i] : NULL;
	qepub_image *im = qepub_image_new(book, path);
	char why[256];
	qimage_info info;
	if (!qimage_load(path, &im->data, &info, why, sizeof why)
	    || (info.type == QIMAGE_WEBP ? !make_twin(im, why, sizeof why)
					 : !qraster_check(im->data.ptr, im->data.len, info.type,
							  why, sizeof why))) {
		warn(book, line, path, why);
		qbuf_free(&im->data);
		qbuf_free(&im->twin_data);
		return NULL;
	}
	im->media = info.media;
	book->nkept++;
	snprintf(im->name, sizeof im->name, "images/i%04d.%s", book->nkept, info.ext);
	if (info.type == QIMAGE_WEBP)
		snprintf(im->twin, sizeof im->twin, "images/i%04d.png", book->nkept);
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
		if (!im->twin[0])
			continue;
		snprintf(name, sizeof name, "EPUB/%s", im->twin);
		qepub_zip_add(book->zip, QEPUB_SLOT_CHAPTER + book->nchaps + k++, name,
			      im->twin_data.ptr, im->twin_data.len, false);
	}
}

void qepub_images_free(qepub_book *book)
{
	for (int i = 0; i < book->nimages; i++) {
		qbuf_free(&book->images[i].data);
		qbuf_free(&book->images[i].twin_data);
	}
	free(book->images);
}
