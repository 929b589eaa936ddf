/* png.c - a decoded picture written as a PNG by libpng's simplified
 * writer (see raster.h), loaded at the first: the EPUB's twin of a
 * WebP. */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/arena.h"
#include "lazy.h"
#include "raster.h"

/* libpng's simplified writer, loaded at the first PNG written (lazy.h);
 * asked with no buffer, the writer gives the size it needs (what the
 * macro png_image_write_get_memory_size does). */
#define PNG_FUNCTIONS(F) F(png_image_write_to_memory) F(png_image_free)
static struct { PNG_FUNCTIONS(QLAZY_POINTER) } pngw;
static const char *const png_names[] = {PNG_FUNCTIONS(QLAZY_NAME)};
static qlazy libpng = QLAZY("libpng16.so.16", "libpng", pngw, png_names);

bool qraster_png(const qraster *r, qbuf *png, char *why, size_t whylen)
{
	if (!qlazy_load(&libpng, why, whylen))
		return false;
	png_image pi;
	memset(&pi, 0, sizeof pi);
	pi.version = PNG_IMAGE_VERSION;
	pi.width = (png_uint_32)r->width;
	pi.height = (png_uint_32)r->height;
	pi.format = PNG_FORMAT_RGBA;
	bool opaque = qraster_opaque(r);
	/* RGB when opaque: the alpha channel would only make the file larger */
	unsigned char *rgb = NULL;
	const unsigned char *px = r->rgba;
	if (opaque) {
		size_t n = (size_t)r->width * (size_t)r->height;
		rgb = qxmalloc(n * 3);
		for (size_t i = 0; i < n; i++)
			memcpy(rgb + 3 * i, r->rgba + 4 * i, 3);
		pi.format = PNG_FORMAT_RGB;
		px = rgb;
	}
	png_alloc_size_t size = 0;
	bool ok = pngw.png_image_write_to_memory(&pi, NULL, &size, 0, px, 0, NULL);
	if (ok) {
		qbuf_grow(png, size + 1);
		ok = pngw.png_image_write_to_memory(&pi, png->ptr + png->len, &size, 0, px, 0, NULL);
		if (ok) {
			png->len += size;
			png->ptr[png->len] = '\0';
		}
	}
	if (!ok)
		snprintf(why, whylen, "libpng: %s", pi.message);
	pngw.png_image_free(&pi);
	free(rgb);
	return ok;
}
