/* image.h - the notes' local image files as every back end keeps them:
 * read (a regular file of bounded size), typed from their first bytes,
 * never from their name, and measured.
 *
 * The types kept: PNG, JPEG, GIF, WebP, and an SVG without scripts,
 * event handlers, embedded HTML, entity declarations or references
 * outside itself. Anything else (a BMP, a file that is not a picture, a
 * 64 MB photo) is refused with a reason the back end puts in its
 * warning. Only the header is read here: a back end that decodes the
 * picture may still find it broken.
 *
 * Ownership: qimage_load() appends the bytes to a caller-owned qbuf;
 * the strings of qimage_info are literals.
 */
#ifndef QUIRE_IMAGE_H
#define QUIRE_IMAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/buf.h"

/* The largest image file read. */
#define QIMAGE_MAX ((size_t)64 << 20)

typedef enum { QIMAGE_PNG = 1, QIMAGE_JPEG, QIMAGE_GIF, QIMAGE_SVG, QIMAGE_WEBP } qimage_type;

typedef struct qimage_info {
	qimage_type type;
	const char *media;   /* "image/png" */
	const char *ext;     /* "png" */
	int width, height;   /* pixels; 0 when not known (SVG) */
	int components;      /* JPEG: 1 grey, 3 RGB, 4 CMYK; else 0 */
} qimage_info;

/* Type the bytes of an image file: true with *info filled, or false with
 * *why set to a reason (a literal). */
bool qimage_sniff(const char *data, size_t n, qimage_info *info, const char **why);
/* Read path into data and type it: true, or false with why (a message
 * without the path) written to why[0..whylen). */
bool qimage_load(const char *path, qbuf *data, qimage_info *info, char *why,
		 size_t whylen);

#endif
