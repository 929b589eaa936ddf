/* test_raster.c - GIF, WebP and SVG decoded into pixels (backend/raster):
 * the first frame of an animation, transparency, an SVG at print
 * resolution and its natural size, a PNG made from pixels, and broken or
 * truncated files refused with a reason, and a picture library that
 * cannot be loaded. Run from the repository's top
 * (tests/run.sh does): the pictures are tests/fixtures/images. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/raster/lazy.h"
#include "backend/raster/raster.h"
#include "testing.h"
#include "util/fileio.h"

static qbuf fixture(const char *name)
{
	char path[256], why[256];
	qbuf b = QBUF_INIT;
	snprintf(path, sizeof path, "tests/fixtures/images/%s", name);
	if (qfile_read_regular(path, &b, 1 << 20, why, sizeof why) != QF_OK)
		fprintf(stderr, "# %s: %s\n", path, why);
	return b;
}

static const unsigned char *pixel(const qraster *r, int x, int y)
{
	return r->rgba + 4 * ((size_t)y * (size_t)r->width + (size_t)x);
}

TEST(gif_first_frame_with_transparency)
{
	qbuf b = fixture("chart.gif");
	qraster r;
	char why[256];
	CHECK(qraster_gif(b.ptr, b.len, &r, why, sizeof why));
	CHECK_INT(r.width, 48);
	CHECK_INT(r.height, 32);
	CHECK_INT(pixel(&r, 0, 0)[3], 0);             /* the ground: transparent */
	const unsigned char *bar = pixel(&r, 4, 31);  /* the first bar's foot */
	CHECK(bar[0] == 30 && bar[1] == 60 && bar[2] == 200 && bar[3] == 255);
	CHECK(!qraster_opaque(&r));
	qraster_free(&r);
	/* cut short in the second frame (never read), in the first, before it */
	CHECK(qraster_gif(b.ptr, b.len - 40, &r, why, sizeof why));
	qraster_free(&r);
	CHECK(!qraster_gif(b.ptr, 50, &r, why, sizeof why));
	CHECK(strstr(why, "giflib"));
	CHECK(r.rgba == NULL);
	CHECK(!qraster_gif(b.ptr, 13, &r, why, sizeof why));
	qbuf_free(&b);
	static const char empty[] = "GIF89a\x10\0\x10\0\0\0\0;";
	CHECK(!qraster_gif(empty, sizeof empty - 1, &r, why, sizeof why));
	CHECK(strstr(why, "without a picture"));
}

TEST(webp_still_and_animated)
{
	qbuf b = fixture("anim.webp");
	qraster r;
	char why[256];
	CHECK(qraster_webp(b.ptr, b.len, &r, why, sizeof why));
	CHECK_INT(r.width, 32);
	CHECK_INT(r.height, 24);
	const unsigned char *p = pixel(&r, 31, 23);
	CHECK(p[0] == 20 && p[1] == 160 && p[2] == 60 && p[3] == 255);   /* green, not red */
	CHECK(qraster_opaque(&r));
	qbuf png = QBUF_INIT;
	CHECK(qraster_png(&r, &png, why, sizeof why));
	CHECK(png.len > 33 && memcmp(png.ptr, "\x89PNG\r\n\x1a\n", 8) == 0);
	CHECK_INT(png.ptr[25], 2);   /* colour type RGB: opaque */
	qbuf_free(&png);
	qraster_free(&r);
	qbuf_free(&b);
	b = fixture("photo.webp");
	CHECK(qraster_webp(b.ptr, b.len, &r, why, sizeof why));
	CHECK_INT(r.width, 40);
	CHECK_INT(r.height, 30);
	qraster_free(&r);
	CHECK(!qraster_webp(b.ptr, b.len / 2, &r, why, sizeof why));
	CHECK(strstr(why, "libwebp"));
	CHECK(!qraster_check(b.ptr, b.len / 2, QIMAGE_WEBP, why, sizeof why));
	CHECK(qraster_check(b.ptr, b.len, QIMAGE_WEBP, why, sizeof why));
	qbuf_free(&b);
}

#define SVG(body) "<svg xmlns=\"http://www.w3.org/2000/svg\" " body "</svg>"

TEST(svg_at_print_resolution)
{
	static const char s[] = SVG("width=\"96\" height=\"48\"><rect width=\"48\" height=\"48\" fill=\"#ff0000\"/>");
	qraster r;
	char why[256];
	CHECK(qraster_svg(s, sizeof s - 1, &r, why, sizeof why));
	CHECK_INT(r.width, 300);   /* an inch at 300 ppi */
	CHECK_INT(r.height, 150);
	CHECK(r.ppi > 299.9f && r.ppi < 300.1f);
	const unsigned char *red = pixel(&r, 10, 10), *clear = pixel(&r, 250, 10);
	CHECK(red[0] == 255 && red[1] == 0 && red[3] == 255);
	CHECK_INT(clear[3], 0);
	qraster_free(&r);
	/* a viewBox alone gives the size; none at all is refused */
	static const char vb[] = SVG("viewBox=\"0 0 48 96\"><circle r=\"10\"/>");
	CHECK(qraster_svg(vb, sizeof vb - 1, &r, why, sizeof why));
	CHECK_INT(r.width, 150);
	CHECK_INT(r.height, 300);
	qraster_free(&r);
	static const char none[] = SVG("><circle r=\"10\"/>");
	CHECK(!qraster_svg(none, sizeof none - 1, &r, why, sizeof why));
	CHECK(strstr(why, "viewBox"));
	/* a huge one is drawn no larger than a page, its natural size kept */
	static const char huge[] = SVG("width=\"96000\" height=\"9600\"><rect width=\"10\" height=\"10\"/>");
	CHECK(qraster_svg(huge, sizeof huge - 1, &r, why, sizeof why));
	CHECK_INT(r.width, 2550);
	CHECK_INT(r.height, 255);
	CHECK(r.ppi > 2.5f && r.ppi < 2.6f);
	qraster_free(&r);
	static const char broken[] = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\"><rect";
	CHECK(!qraster_svg(broken, sizeof broken - 1, &r, why, sizeof why));
	CHECK(strstr(why, "librsvg") && why[strlen(why) - 1] != '\n');
	CHECK(!qraster_check(broken, sizeof broken - 1, QIMAGE_SVG, why, sizeof why));
	CHECK(qraster_check(s, sizeof s - 1, QIMAGE_SVG, why, sizeof why));
}

/* A picture library that cannot be had is a reason, every time it is
 * asked for, never a crash (lazy.h). */
TEST(lazy_library_missing_says_why)
{
	char why[256];
	static struct {
		size_t (*length)(const char *);
	} none, missing;
	static const char *const strlen_name[] = {"strlen"}, *const no_name[] = {"quire_no_such_function"};
	static qlazy absent = QLAZY("libquire-absent.so.0", "libabsent", none, strlen_name);
	for (int k = 0; k < 2; k++) {
		CHECK(!qlazy_load(&absent, why, sizeof why));
		CHECK(strstr(why, "libabsent cannot be loaded"));
	}
	static qlazy libc_lib = QLAZY("libc.so.6", "libc", missing, no_name);
	CHECK(!qlazy_load(&libc_lib, why, sizeof why));
	CHECK(!strcmp(why, "libc has no quire_no_such_function"));
	CHECK(missing.length == NULL);
	static struct {
		size_t (*length)(const char *);
	} found;
	static qlazy libc_ok = QLAZY("libc.so.6", "libc", found, strlen_name);
	CHECK(qlazy_load(&libc_ok, why, sizeof why));
	CHECK(found.length && found.length("quire") == 5);
}

int main(void)
{
	RUN(gif_first_frame_with_transparency);
	RUN(webp_still_and_animated);
	RUN(svg_at_print_resolution);
	RUN(lazy_library_missing_says_why);
	return testing_done();
}
