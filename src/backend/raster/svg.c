/* svg.c - an SVG rasterised by librsvg into cairo's pixels (see
 * raster.h).
 *
 * librsvg brings glib, gio, cairo, pango and fontconfig: linked into the
 * booklet's module they would be loaded (and relocated) on every run.
 * They are loaded with dlopen() the first time an SVG is drawn instead,
 * once per process, and never unloaded (glib's types cannot be); the
 * functions are looked up by name with the types of librsvg's and
 * cairo's own headers, so a changed signature fails the build.
 *
 * The picture's natural size is the SVG's width and height (or, without
 * them, its viewBox) in CSS pixels, 96 to the inch; it is drawn at
 * QRASTER_SVG_PPI, or smaller when that would be larger than a page.
 * cairo's premultiplied pixels are turned back into plain RGBA.
 */
#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <librsvg/rsvg.h>

#include "../../util/arena.h"
#include "raster.h"

/* The largest raster, in pixels: a Letter page's width and an A4 page's
 * height at QRASTER_SVG_PPI (no figure prints larger). */
#define SVG_MAX_W 2550.0
#define SVG_MAX_H 3508.0

/* The functions used, found in librsvg and the libraries it loads. */
static struct rsvg_api {
	__typeof__(rsvg_handle_new_from_data) *new_from_data;
	__typeof__(rsvg_handle_set_dpi) *set_dpi;
	__typeof__(rsvg_handle_get_intrinsic_size_in_pixels) *size_in_pixels;
	__typeof__(rsvg_handle_get_intrinsic_dimensions) *dimensions;
	__typeof__(rsvg_handle_render_document) *render;
	__typeof__(g_object_unref) *unref;
	__typeof__(g_error_free) *error_free;
	__typeof__(cairo_image_surface_create) *surface_create;
	__typeof__(cairo_surface_status) *surface_status;
	__typeof__(cairo_surface_flush) *surface_flush;
	__typeof__(cairo_surface_destroy) *surface_destroy;
	__typeof__(cairo_image_surface_get_data) *surface_data;
	__typeof__(cairo_image_surface_get_stride) *surface_stride;
	__typeof__(cairo_create) *create;
	__typeof__(cairo_destroy) *destroy;
} api;
static char load_error[200];
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

/* dlopen librsvg and find every function, or say why not. */
static void load_rsvg(void)
{
	static const char *const names[] = {
		"rsvg_handle_new_from_data", "rsvg_handle_set_dpi",
		"rsvg_handle_get_intrinsic_size_in_pixels",
		"rsvg_handle_get_intrinsic_dimensions", "rsvg_handle_render_document",
		"g_object_unref", "g_error_free", "cairo_image_surface_create",
		"cairo_surface_status", "cairo_surface_flush", "cairo_surface_destroy",
		"cairo_image_surface_get_data", "cairo_image_surface_get_stride",
		"cairo_create", "cairo_destroy",
	};
	_Static_assert(sizeof names / sizeof names[0] * sizeof(void (*)(void)) == sizeof api,
		       "one name for each function of api");
	void *h = dlopen("librsvg-2.so.2", RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(load_error, sizeof load_error, "librsvg cannot be loaded (%s)", dlerror());
		return;
	}
	void (**slot)(void) = (void (**)(void))&api;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		void *f = dlsym(h, names[i]);
		if (!f) {
			snprintf(load_error, sizeof load_error, "librsvg has no %s", names[i]);
			memset(&api, 0, sizeof api);
			return;
		}
		memcpy(&slot[i], &f, sizeof f);
	}
}

/* The SVG's natural size in CSS pixels: false when it has none. */
static bool natural_size(RsvgHandle *h, double *w, double *ht)
{
	if (api.size_in_pixels(h, w, ht) && *w > 0 && *ht > 0)
		return true;
	gboolean has_w, has_h, has_vb;
	RsvgLength lw, lh;
	RsvgRectangle vb;
	api.dimensions(h, &has_w, &lw, &has_h, &lh, &has_vb, &vb);
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
		api.error_free(err);
}

/* Draw the document into a w x h surface and copy its pixels out. */
static bool draw(RsvgHandle *h, qraster *out, char *why, size_t whylen)
{
	cairo_surface_t *s = api.surface_create(CAIRO_FORMAT_ARGB32, out->width, out->height);
	if (api.surface_status(s) != CAIRO_STATUS_SUCCESS) {
		api.surface_destroy(s);
		snprintf(why, whylen, "cairo cannot make a %d x %d picture", out->width, out->height);
		return false;
	}
	cairo_t *cr = api.create(s);
	RsvgRectangle viewport = {0, 0, out->width, out->height};
	GError *err = NULL;
	bool ok = api.render(h, cr, &viewport, &err);
	api.destroy(cr);
	if (ok) {
		api.surface_flush(s);
		out->rgba = qxmalloc((size_t)out->width * (size_t)out->height * 4);
		unpremultiply(api.surface_data(s), api.surface_stride(s), out);
	} else {
		say_error(err, "librsvg cannot draw it", why, whylen);
	}
	api.surface_destroy(s);
	return ok;
}

/* The parsed document and its natural size, or NULL with why. */
static RsvgHandle *parse(const char *data, size_t n, double *w, double *ht, char *why,
			 size_t whylen)
{
	pthread_once(&load_once, load_rsvg);
	if (!api.new_from_data) {
		snprintf(why, whylen, "%s", load_error);
		return NULL;
	}
	GError *err = NULL;
	RsvgHandle *h = api.new_from_data((const guint8 *)data, n, &err);
	if (!h) {
		say_error(err, "librsvg cannot read it", why, whylen);
		return NULL;
	}
	api.set_dpi(h, 96.0);
	if (!natural_size(h, w, ht)) {
		snprintf(why, whylen, "an SVG without a width and height or a viewBox");
		api.unref(h);
		return NULL;
	}
	return h;
}

bool qraster_svg_parses(const char *data, size_t n, char *why, size_t whylen)
{
	double w, ht;
	RsvgHandle *h = parse(data, n, &w, &ht, why, whylen);
	if (h)
		api.unref(h);
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
		double fit = fmin(1.0, fmin(SVG_MAX_W / (w * s), SVG_MAX_H / (ht * s)));
		out->width = (int)fmax(1.0, ceil(w * s * fit - 0.01));
		out->height = (int)fmax(1.0, ceil(ht * s * fit - 0.01));
		/* the resolution that makes the raster the SVG's natural size */
		out->ppi = (float)(out->width / w * 96.0);
		ok = draw(h, out, why, whylen);
		api.unref(h);
	}
	if (!ok)
		qraster_free(out);
	return ok;
}
