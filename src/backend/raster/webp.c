/* webp.c - the first frame of a WebP, decoded by libwebp (see raster.h),
 * loaded at the first WebP.
 *
 * libwebp's demuxer reads the container (a still picture, or an animated
 * one whose first frame may cover part of the canvas); the frame is
 * decoded into the canvas, transparent where it does not cover it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <webp/decode.h>
#include <webp/demux.h>

#include "../../util/arena.h"
#include "lazy.h"
#include "raster.h"

/* libwebp and its demuxer, loaded at the first WebP (lazy.h). WebPDemux()
 * is an inline of demux.h around WebPDemuxInternal(). */
#define WEBP_FUNCTIONS(F) F(WebPDecodeRGBAInto)
#define DEMUX_FUNCTIONS(F)                                                          \
	F(WebPDemuxInternal) F(WebPDemuxGetI) F(WebPDemuxGetFrame)                  \
	F(WebPDemuxReleaseIterator) F(WebPDemuxDelete)
static struct { WEBP_FUNCTIONS(QLAZY_POINTER) } webp;
static struct { DEMUX_FUNCTIONS(QLAZY_POINTER) } demux;
static const char *const webp_names[] = {WEBP_FUNCTIONS(QLAZY_NAME)};
static const char *const demux_names[] = {DEMUX_FUNCTIONS(QLAZY_NAME)};
static qlazy libwebp = QLAZY("libwebp.so.7", "libwebp", webp, webp_names);
static qlazy libdemux = QLAZY("libwebpdemux.so.2", "libwebpdemux", demux, demux_names);

/* Decode the frame the iterator is at into the canvas. */
static bool decode_frame(const WebPIterator *it, qraster *out, char *why, size_t whylen)
{
	if (it->x_offset < 0 || it->y_offset < 0 || it->width <= 0 || it->height <= 0
	    || it->x_offset + it->width > out->width || it->y_offset + it->height > out->height) {
		snprintf(why, whylen, "a WebP whose first frame lies outside its canvas");
		return false;
	}
	size_t stride = (size_t)out->width * 4;
	unsigned char *at = out->rgba + (size_t)it->y_offset * stride + (size_t)it->x_offset * 4;
	size_t room = (size_t)(it->height - 1) * stride + (size_t)it->width * 4;
	if (!webp.WebPDecodeRGBAInto(it->fragment.bytes, it->fragment.size, at, room, (int)stride)) {
		snprintf(why, whylen, "libwebp: a broken or truncated WebP");
		return false;
	}
	return true;
}

bool qraster_webp(const char *data, size_t n, qraster *out, char *why, size_t whylen)
{
	*out = (qraster){0};
	if (!qlazy_load(&libwebp, why, whylen) || !qlazy_load(&libdemux, why, whylen))
		return false;
	WebPData wd = {(const uint8_t *)data, n};
	WebPDemuxer *dm = demux.WebPDemuxInternal(&wd, 0, NULL, WEBP_DEMUX_ABI_VERSION);
	if (!dm) {
		snprintf(why, whylen, "libwebp: not a WebP it can read (broken or truncated)");
		return false;
	}
	long w = (long)demux.WebPDemuxGetI(dm, WEBP_FF_CANVAS_WIDTH);
	long h = (long)demux.WebPDemuxGetI(dm, WEBP_FF_CANVAS_HEIGHT);
	bool ok = true;
	WebPIterator it;
	memset(&it, 0, sizeof it);
	if (w <= 0 || h <= 0 || w * h > QRASTER_MAX_PIXELS) {
		snprintf(why, whylen, "%ld x %ld pixels, more than the %ld million decoded", w, h,
			 QRASTER_MAX_PIXELS / 1000000);
		ok = false;
	} else if (!demux.WebPDemuxGetFrame(dm, 1, &it)) {
		snprintf(why, whylen, "a WebP without a picture");
		ok = false;
	}
	if (ok) {
		out->width = (int)w;
		out->height = (int)h;
		out->rgba = calloc((size_t)w * (size_t)h, 4);
		if (!out->rgba)
			qoom();
		ok = decode_frame(&it, out, why, whylen);
	}
	demux.WebPDemuxReleaseIterator(&it);
	demux.WebPDemuxDelete(dm);
	if (!ok)
		qraster_free(out);
	return ok;
}
