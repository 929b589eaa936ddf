/* raster.h - the notes' GIF, WebP and SVG images as pixels, for the back
 * ends that cannot carry them as they are: the booklet draws all three,
 * the EPUB gives a WebP a PNG twin (WebP is not one of EPUB's core media
 * types). Each decoder is a Debian library: giflib (the first frame of a
 * GIF), libwebp (the first frame of a WebP, animated or not) and librsvg
 * (an SVG, rasterised); libpng writes the EPUB's PNG twin. Each is
 * loaded the first time a picture needs it (lazy.h), so a run without
 * one never pays for loading it.
 *
 * The bytes given are those render/image.h typed (so an SVG has no
 * scripts nor outside references). A file the library cannot decode is a
 * false return with a reason, never a crash; a picture larger than
 * QRASTER_MAX_PIXELS is refused before it is decoded.
 *
 * The EPUB and the deck carry these files as they are, but only once
 * qraster_check() found that their library reads them: a broken GIF or
 * SVG would fail epubcheck and show as a broken picture in Anki.
 *
 * Every module links raster.c, gif.c, webp.c and svg.c; png.c is the
 * EPUB's only (Makefile).
 *
 * Ownership: a qraster owns its pixels (qraster_free); data is borrowed
 * for the call.
 */
#ifndef QUIRE_RASTER_H
#define QUIRE_RASTER_H

#include <stdbool.h>
#include <stddef.h>

#include "../../render/image.h"
#include "../../util/buf.h"

/* The most pixels decoded from one picture (4 bytes each). */
#define QRASTER_MAX_PIXELS (40L * 1000 * 1000)

/* The resolution an SVG is rasterised at, in pixels per inch of its
 * natural size (CSS pixels at 96 per inch): print resolution, so its
 * lines stay sharp on paper. */
#define QRASTER_SVG_PPI 300.0f

typedef struct qraster {
	int width, height;     /* pixels */
	unsigned char *rgba;   /* width * height * 4 bytes, not premultiplied */
	float ppi;             /* pixels per inch at the picture's natural
	                        * size, or 0 for the caller's default */
} qraster;

/* Each: decode data[0..n) into *out (true), or false with a reason
 * written to why[0..whylen) and *out empty. */
bool qraster_gif(const char *data, size_t n, qraster *out, char *why, size_t whylen);
bool qraster_webp(const char *data, size_t n, qraster *out, char *why, size_t whylen);
/* An SVG at QRASTER_SVG_PPI, made smaller when that would be larger than
 * a Letter or A4 page (no figure prints larger); out->ppi says at what. */
bool qraster_svg(const char *data, size_t n, qraster *out, char *why, size_t whylen);

/* Does the picture's library read a GIF, WebP or SVG whole (an SVG is
 * parsed, not drawn)? True for the other types; false with why. */
bool qraster_check(const char *data, size_t n, qimage_type type, char *why, size_t whylen);
/* Only the parse of qraster_check() for an SVG. */
bool qraster_svg_parses(const char *data, size_t n, char *why, size_t whylen);

/* The picture as a PNG (RGB, or RGBA when some pixel is not opaque),
 * appended to png; false with why. */
bool qraster_png(const qraster *r, qbuf *png, char *why, size_t whylen);

/* Is every pixel opaque? */
bool qraster_opaque(const qraster *r);

void qraster_free(qraster *r);

#endif
