/* test_image.c - the notes' image files as every back end keeps them
 * (render/image.h): typed from their bytes whatever their name, measured,
 * and refused with a reason when no output could show them safely. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render/image.h"
#include "testing.h"

static bool sniff(const char *s, size_t n, qimage_info *info, const char **why)
{
	return qimage_sniff(s, n, info, why);
}

#define SNIFF(lit, info, why) sniff(lit, sizeof lit - 1, info, why)

TEST(png_and_gif_sizes)
{
	qimage_info i;
	const char *why;
	static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\x01\x2c\0\0\0\x64\x08\x02\0\0\0";
	CHECK(SNIFF(png, &i, &why));
	CHECK_INT(i.type, QIMAGE_PNG);
	CHECK_STR(i.media, "image/png");
	CHECK_INT(i.width, 300);
	CHECK_INT(i.height, 100);
	static const char zero[] = "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\0\0\0\0\x64\x08\x02\0\0\0";
	CHECK(!SNIFF(zero, &i, &why));
	CHECK(strstr(why, "size"));
	static const char gif[] = "GIF89a\x10\0\x20\0";
	CHECK(SNIFF(gif, &i, &why));
	CHECK_INT(i.type, QIMAGE_GIF);
	CHECK_INT(i.width, 16);
	CHECK_INT(i.height, 32);
}

TEST(jpeg_size_from_its_frame)
{
	qimage_info i;
	const char *why;
	/* SOI, an APP0 segment, then a baseline frame 40 x 30, 3 components */
	static const char jpg[] = "\xFF\xD8\xFF\xE0\0\x04\0\0\xFF\xC0\0\x11\x08\0\x1e\0\x28\x03";
	CHECK(SNIFF(jpg, &i, &why));
	CHECK_INT(i.type, QIMAGE_JPEG);
	CHECK_STR(i.ext, "jpg");
	CHECK_INT(i.width, 40);
	CHECK_INT(i.height, 30);
	CHECK_INT(i.components, 3);
	/* the scan starts before any frame: no size, refused */
	static const char noframe[] = "\xFF\xD8\xFF\xDA\0\x04\0\0\xFF\xC0\0\x11\x08\0\x1e\0\x28\x03";
	CHECK(!SNIFF(noframe, &i, &why));
	/* a segment length running past the end */
	static const char cut[] = "\xFF\xD8\xFF\xE0\xFF\xFF\0\0";
	CHECK(!SNIFF(cut, &i, &why));
}

TEST(svg_kept_only_when_it_stays_inside)
{
	qimage_info i;
	const char *why;
	CHECK(SNIFF("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>", &i, &why));
	CHECK_INT(i.type, QIMAGE_SVG);
	CHECK_STR(i.media, "image/svg+xml");
	CHECK(!SNIFF("<svg><script>alert(1)</script></svg>", &i, &why));
	CHECK(strstr(why, "SVG"));
	CHECK(!SNIFF("<svg><rect onload=\"alert(1)\"/></svg>", &i, &why));
	CHECK(!SNIFF("<svg><image href=\"file:///etc/passwd\"/></svg>", &i, &why));
	CHECK(!SNIFF("<svg><foreignObject><p>x</p></foreignObject></svg>", &i, &why));
	CHECK(!SNIFF("<!DOCTYPE svg [<!ENTITY x SYSTEM \"/etc/passwd\">]><svg>&x;</svg>", &i, &why));
}

/* WebP: the size from its first chunk, whichever of the three it is. */
TEST(webp_sizes)
{
	qimage_info i;
	const char *why;
	static const char vp8x[] = "RIFF\x30\0\0\0WEBPVP8X\x0a\0\0\0\x10\0\0\0\x1f\0\0\x17\0\0";
	CHECK(SNIFF(vp8x, &i, &why));
	CHECK_INT(i.type, QIMAGE_WEBP);
	CHECK_STR(i.media, "image/webp");
	CHECK_STR(i.ext, "webp");
	CHECK_INT(i.width, 32);
	CHECK_INT(i.height, 24);
	static const char vp8[] = "RIFF\x30\0\0\0WEBPVP8 \x20\0\0\0\0\0\0\x9d\x01\x2a\x28\0\x1e\0";
	CHECK(SNIFF(vp8, &i, &why));
	CHECK_INT(i.width, 40);
	CHECK_INT(i.height, 30);
	/* 14 bits of width - 1 (299), then 14 of height - 1 (99) */
	unsigned long bits = 299 | 99ul << 14;
	char vp8l[] = "RIFF\x30\0\0\0WEBPVP8L\x20\0\0\0\x2f....";
	for (int k = 0; k < 4; k++)
		vp8l[21 + k] = (char)(bits >> 8 * k & 255);
	CHECK(sniff(vp8l, sizeof vp8l - 1, &i, &why));
	CHECK_INT(i.width, 300);
	CHECK_INT(i.height, 100);
}

TEST(others_refused_with_a_reason)
{
	qimage_info i;
	const char *why;
	CHECK(!SNIFF("RIFF\0\0\0\0WEBPVP8 ", &i, &why));
	CHECK(strstr(why, "WebP without a readable size"));
	CHECK(!SNIFF("BM\x36\0\0\0\0\0\0\0\x36\0\0\0", &i, &why));
	CHECK(strstr(why, "not a PNG, JPEG, GIF, WebP or SVG"));
	CHECK(!SNIFF("just some text", &i, &why));
	CHECK(strstr(why, "not a PNG"));
	CHECK(!sniff("", 0, &i, &why));
}

/* The file is typed from its bytes, not its name; a folder or a missing
 * file is refused with a reason. */
TEST(load_reads_and_types_a_file)
{
	char dir[] = "/tmp/quire-image-XXXXXX";
	CHECK(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof path, "%s/photo.png", dir);
	FILE *f = fopen(path, "wb");
	static const char gif[] = "GIF87a\x02\0\x03\0";
	CHECK(f && fwrite(gif, 1, sizeof gif - 1, f) == sizeof gif - 1);
	fclose(f);
	qbuf b = QBUF_INIT;
	qimage_info i;
	char why[128];
	CHECK(qimage_load(path, &b, &i, why, sizeof why));
	CHECK_INT(i.type, QIMAGE_GIF);
	CHECK_INT((int)b.len, (int)sizeof gif - 1);
	qbuf_reset(&b);
	CHECK(!qimage_load(dir, &b, &i, why, sizeof why));
	CHECK(why[0]);
	snprintf(path + strlen(path) - 9, 10, "none.png");
	CHECK(!qimage_load(path, &b, &i, why, sizeof why));
	qbuf_free(&b);
	snprintf(path, sizeof path, "%s/photo.png", dir);
	remove(path);
	rmdir(dir);
}

int main(void)
{
	RUN(png_and_gif_sizes);
	RUN(jpeg_size_from_its_frame);
	RUN(svg_kept_only_when_it_stays_inside);
	RUN(webp_sizes);
	RUN(others_refused_with_a_reason);
	RUN(load_reads_and_types_a_file);
	return testing_done();
}
