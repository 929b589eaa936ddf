/* gif.c - the first frame of a GIF, decoded by giflib (see raster.h),
 * loaded at the first GIF.
 *
 * The picture is the GIF's logical screen, transparent where its first
 * frame does not cover it (as browsers show it); the frame's colour map,
 * or the global one, gives the colours, and its graphic control block
 * the transparent index. Later frames are never read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gif_lib.h>

#include "../../util/arena.h"
#include "lazy.h"
#include "raster.h"

/* giflib, loaded at the first GIF (lazy.h). */
#define GIF_FUNCTIONS(F)                                                            \
	F(DGifOpen) F(DGifCloseFile) F(DGifGetRecordType) F(DGifGetImageDesc)       \
	F(DGifGetLine) F(DGifGetExtension) F(DGifGetExtensionNext)                  \
	F(DGifExtensionToGCB) F(GifErrorString)
static struct { GIF_FUNCTIONS(QLAZY_POINTER) } gif;
static const char *const gif_names[] = {GIF_FUNCTIONS(QLAZY_NAME)};
static qlazy giflib = QLAZY("libgif.so.7", "giflib", gif, gif_names);

typedef struct gif_source {
	const unsigned char *p;
	size_t n, at;
} gif_source;

/* giflib's reader: the next len bytes of the file, or fewer at its end. */
static int gif_read(GifFileType *g, GifByteType *to, int len)
{
	gif_source *s = g->UserData;
	size_t k = s->n - s->at < (size_t)len ? s->n - s->at : (size_t)len;
	memcpy(to, s->p + s->at, k);
	s->at += k;
	return (int)k;
}

static bool gif_fail(GifFileType *g, const char *what, char *why, size_t whylen)
{
	const char *msg = g ? gif.GifErrorString(g->Error) : NULL;
	snprintf(why, whylen, "giflib: %s%s%s", what, msg ? ": " : "", msg ? msg : "");
	return false;
}

/* The transparent colour index of a graphic control extension, or -1. */
static int transparent_index(int code, const GifByteType *ext, int prev)
{
	GraphicsControlBlock gcb;
	if (code != GRAPHICS_EXT_FUNC_CODE || !ext
	    || gif.DGifExtensionToGCB(ext[0], ext + 1, &gcb) != GIF_OK)
		return prev;
	return gcb.TransparentColor;
}

/* Skip the records before the first image; its transparent index. */
static bool find_first_frame(GifFileType *g, int *transparent, char *why, size_t whylen)
{
	*transparent = NO_TRANSPARENT_COLOR;
	for (;;) {
		GifRecordType t;
		if (gif.DGifGetRecordType(g, &t) != GIF_OK)
			return gif_fail(g, "a broken GIF", why, whylen);
		if (t == IMAGE_DESC_RECORD_TYPE)
			return true;
		if (t == TERMINATE_RECORD_TYPE) {
			snprintf(why, whylen, "a GIF without a picture");
			return false;
		}
		if (t != EXTENSION_RECORD_TYPE)
			continue;
		int code;
		GifByteType *ext;
		if (gif.DGifGetExtension(g, &code, &ext) != GIF_OK)
			return gif_fail(g, "a broken GIF", why, whylen);
		*transparent = transparent_index(code, ext, *transparent);
		while (ext)
			if (gif.DGifGetExtensionNext(g, &ext) != GIF_OK)
				return gif_fail(g, "a broken GIF", why, whylen);
	}
}

/* The row of the frame that the k-th line read is (interlaced GIFs come
 * in four passes). */
static int frame_row(int k, int h, bool interlaced)
{
	if (!interlaced)
		return k;
	static const int start[4] = {0, 4, 2, 1}, step[4] = {8, 8, 4, 2};
	for (int p = 0; p < 4; p++) {
		int rows = h > start[p] ? (h - start[p] + step[p] - 1) / step[p] : 0;
		if (k < rows)
			return start[p] + k * step[p];
		k -= rows;
	}
	return -1;
}

/* Read the frame's lines into the screen's pixels. */
static bool draw_frame(GifFileType *g, qraster *out, int transparent, char *why, size_t whylen)
{
	const GifImageDesc *d = &g->Image;
	const ColorMapObject *map = d->ColorMap ? d->ColorMap : g->SColorMap;
	if (!map) {
		snprintf(why, whylen, "a GIF without colours");
		return false;
	}
	GifPixelType *line = qxmalloc((size_t)d->Width);
	for (int k = 0; k < d->Height; k++) {
		if (gif.DGifGetLine(g, line, d->Width) != GIF_OK) {
			free(line);
			return gif_fail(g, "a GIF that ends before its picture does", why, whylen);
		}
		int y = d->Top + frame_row(k, d->Height, d->Interlace);
		if (y < 0 || y >= out->height)
			continue;
		for (int i = 0; i < d->Width; i++) {
			int x = d->Left + i;
			if (x < 0 || x >= out->width || line[i] == transparent)
				continue;
			unsigned char *px = out->rgba + 4 * ((size_t)y * (size_t)out->width + (size_t)x);
			if (line[i] < map->ColorCount) {
				const GifColorType *c = &map->Colors[line[i]];
				px[0] = c->Red, px[1] = c->Green, px[2] = c->Blue;
			}
			px[3] = 255;   /* an index past the map is black */
		}
	}
	free(line);
	return true;
}

bool qraster_gif(const char *data, size_t n, qraster *out, char *why, size_t whylen)
{
	*out = (qraster){0};
	if (!qlazy_load(&giflib, why, whylen))
		return false;
	gif_source src = {(const unsigned char *)data, n, 0};
	int err = 0;
	GifFileType *g = gif.DGifOpen(&src, gif_read, &err);
	if (!g) {
		snprintf(why, whylen, "giflib: %s", gif.GifErrorString(err));
		return false;
	}
	int transparent;
	bool ok = find_first_frame(g, &transparent, why, whylen);
	if (ok && gif.DGifGetImageDesc(g) != GIF_OK)
		ok = gif_fail(g, "a broken GIF", why, whylen);
	if (ok) {
		/* a screen of 0 x 0 (some writers): the frame's size */
		out->width = g->SWidth > 0 ? g->SWidth : g->Image.Left + g->Image.Width;
		out->height = g->SHeight > 0 ? g->SHeight : g->Image.Top + g->Image.Height;
		if (out->width <= 0 || out->height <= 0 || g->Image.Width <= 0 || g->Image.Height <= 0) {
			snprintf(why, whylen, "a GIF without a sane size");
			ok = false;
		} else if ((long)out->width * (long)out->height > QRASTER_MAX_PIXELS
			   || (long)g->Image.Width * (long)g->Image.Height > QRASTER_MAX_PIXELS) {
			snprintf(why, whylen, "%d x %d pixels, more than the %ld million decoded",
				 out->width, out->height, QRASTER_MAX_PIXELS / 1000000);
			ok = false;
		}
	}
	if (ok) {
		out->rgba = calloc((size_t)out->width * (size_t)out->height, 4);
		if (!out->rgba)
			qoom();
		ok = draw_frame(g, out, transparent, why, whylen);
	}
	gif.DGifCloseFile(g, &err);
	if (!ok)
		qraster_free(out);
	return ok;
}
