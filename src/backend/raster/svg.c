/* svg.c - an SVG rasterised by librsvg into cairo's pixels (see
 * raster.h).
 *
 * librsvg brings glib, gio, cairo, pango and fontconfig: linked into the
 * booklet's module they would be loaded (and relocated) on every run.
 * They are loaded the first time an SVG is drawn instead (lazy.h).
 *
 * The picture's natural size is the SVG's width and height (or, without
 * them, its viewBox) in CSS pixels, 96 to the inch; it is drawn at
 * QRASTER_SVG_PPI, or smaller when that would be larger than a page.
 * cairo's premultiplied pixels are turned back into plain RGBA.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <librsvg/rsvg.h>

#include "../../util/arena.h"
#include "lazy.h"
#include "raster.h"

/* The largest raster, in pixels: a Letter page's width and an A4 page's
 * height at QRASTER_SVG_PPI (no figure prints larger). */
#define SVG_MAX_W 2550.0
#define SVG_MAX_H 3508.0

/* The functions used, found in librsvg and the libraries it loads
 * (lazy.h). */
#define RSVG_FUNCTIONS(F)                                                           \
	F(rsvg_handle_new_from_data) F(rsvg_handle_set_dpi)                         \
	F(rsvg_handle_get_intrinsic_size_in_pixels)                                 \
	F(rsvg_handle_get_intrinsic_dimensions) F(rsvg_handle_render_document)      \
	F(g_object_unref) F(g_error_free) F(cairo_image_surface_create)             \
	F(cairo_surface_status) F(cairo_surface_flush) F(cairo_surface_destroy)     \
	F(cairo_image_surface_get_data) F(cairo_image_surface_get_stride)           \
	F(cairo_create) F(cairo_destroy)
static struct { RSVG_FUNCTIONS(QLAZY_POINTER) } api;
static const char *const rsvg_names[] = {RSVG_FUNCTIONS(QLAZY_NAME)};
static qlazy librsvg = QLAZY("librsvg-2.so.2", "librsvg", api, rsvg_names);

/* (Written out: the module does not load libm for them.) */
static double smaller(double a, double b)
{
	return a < b ? a : b;
}

/* v pixels rounded up, at least one (v is at most a page's). */
static int whole_pixels(double v)
{
	if (!(v > 1.0))
		return 1;
	int n = (int)v;
	return n < v ? n + 1 : n;
}

/* The SVG's natural size in CSS pixels: false when it has none. */
static bool natural_size(RsvgHandle *h, double *w, double *ht)
{
	if (api.rsvg_handle_get_intrinsic_size_in_pixels(h, w, ht) && *w > 0 && *ht > 0)
		return true;
	gboolean has_w, has_h, has_vb;
	RsvgLength lw, lh;
	RsvgRectangle vb;
	api.rsvg_handle_get_intrinsic_dimensions(h, &has_w, &lw, &has_h, &lh, &has_vb, &vb);
	*w = vb.width;
	*ht = vb.height;
	return has_vb && vb.width > 0 && vb.height > 0;
}

/* cairo's premultiplied native-endian ARGB into plain RGBA. */
static void unpremultiply(const unsigned char *src, int stride, qraster *out)
{
	for (int y = 0; y < out->height; y++) {
		const unsigned char *row = src + (size_t)y * (size_t)stride;
		unsigned char *to = out->rgba + (size_t)y * (size_t)out->width * 4;
		for (int x = 0; x < out->width; x++, to += 4) {
			uint32_t v;
			memcpy(&v, row + 4 * (size_t)x, 4);
			unsigned a = v >> 24, c[3] = {v >> 16 & 255, v >> 8 & 255, v & 255};
			for (int k = 0; k < 3; k++)
				to[k] = (unsigned char)(a ? (c[k] * 255 + a / 2) / a : 0);
			to[3] = (unsigned char)a;
		}
	}
}

/* librsvg's reason, without the line break it ends with. */
static void say_error(GError *err, const char *what, char *why, size_t whylen)
{
	int n = snprintf(why, whylen, "%s: %s", what, err ? err->message : "?");
	while (n > 0 && (size_t)n < whylen && (why[n - 1] == '\n' || why[n - 1] == ' '))
		why[--n] = '\0';
	if (err)
		api.g_error_free(err);
}

/* Draw the document into a w x h surface and copy its pixels out. */
static bool draw(RsvgHandle *h, qraster *out, char *why, size_t whylen)
{
	cairo_surface_t *s = api.cairo_image_surface_create(CAIRO_FORMAT_ARGB32, out->width, out->height);
	if (api.cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		api.cairo_surface_destroy(s);
		snprintf(why, whylen, "cairo cannot make a %d x %d picture", out->width, out->height);
		return false;
	}
	cairo_t *cr = api.cairo_create(s);
	RsvgRectangle viewport = {0, 0, out->width, out->height};
	GError *err = NULL;
	bool ok = api.rsvg_handle_render_document(h, cr, &viewport, &err);
	api.cairo_destroy(cr);
	if (ok) {
		api.cairo_surface_flush(s);
		out->rgba = qxmalloc((size_t)out->width * (size_t)out->height * 4);
		unpremultiply(api.cairo_image_surface_get_data(s), api.cairo_image_surface_get_stride(s), out);
	} else {
		say_error(err, "librsvg cannot draw it", why, whylen);
	}
	api.cairo_surface_destroy(s);
	return ok;
}

/* The parsed document and its natural size, or NULL with why. */
static RsvgHandle *parse(const char *data, size_t n, double *w, double *ht, char *why,
			 size_t whylen)
{
	if (!qlazy_load(&librsvg, why, whylen))
		return NULL;
	GError *err = NULL;
	RsvgHandle *h = api.rsvg_handle_new_from_data((const guint8 *)data, n, &err);
	if (!h) {
		say_error(err, "librsvg cannot read it", why, whylen);
		return NULL;
	}
	api.rsvg_handle_set_dpi(h, 96.0);
	if (!natural_size(h, w, ht)) {
		snprintf(why, whylen, "an SVG without a width and height or a viewBox");
		api.g_object_unref(h);
		return NULL;
	}
	return h;
}

bool qraster_svg_parses(const char *data, size_t n, char *why, size_t whylen)
{
	double w, ht;
	RsvgHandle *h = parse(data, n, &w, &ht, why, whylen);
	if (h)
		api.g_object_unref(h);
	return h != NULL;
}

bool qraster_svg(const char *data, size_t n, qraster *out, char *why, size_t whylen)
{
	*out = (qraster){0};
	double w, ht;
	RsvgHandle *h = parse(data, n, &w, &ht, why, whylen);
	bool ok = h != NULL;
	if (ok) {
		double s = QRASTER_SVG_PPI / 96.0;
		double fit = smaller(1.0, smaller(SVG_MAX_W / (w * s), SVG_MAX_H / (ht * s)));
		out->width = whole_pixels(w * s * fit - 0.01);
		out->height = whole_pixels(ht * s * fit - 0.01);
		/* the resolution that makes the raster the SVG's natural size */
		out->ppi = (float)(out->width / w * 96.0);
		ok = draw(h, out, why, whylen);
		api.g_object_unref(h);
	}
	if (!ok)
		qraster_free(out);
	return ok;
}
