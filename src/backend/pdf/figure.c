/* figure.c - the notes' local images in the booklet: each file read once
 * (render/image.h: only the file the reader resolved and allowed), its
 * samples handed to the typesetter, and placed as a figure.
 *
 * A JPEG is embedded as it is (DCT, never resampled), once libjpeg has
 * decoded it whole: libharu reads only its header and would embed a
 * broken, truncated, 12-bit or lossless file that viewers cannot show. A
 * PNG is
 * decoded with libpng's simplified reader into 8-bit grey or RGB and an
 * alpha plane: libharu 2.3.0's own PNG loader refuses interlaced files
 * and, for an interlaced one with alpha, frees memory twice when the
 * document is freed. A GIF (its first frame), a WebP and an SVG are
 * decoded into pixels by backend/raster (giflib, libwebp, librsvg loaded
 * at the first SVG); an SVG at print resolution, placed at its own
 * natural size (its CSS pixels, 96 to the inch). A file its library
 * cannot decode keeps its alt text, with a warning.
 *
 * A figure is a picture box of its own, centred in the measure, at
 * FIGURE_DPI pixels per inch or smaller: never wider than the measure nor
 * higher than the page with its caption (the alt text, small and centred
 * below it, as text that search and copying find) and with the question
 * or heading it is kept with. The page builder moves a figure that does
 * not fit below the text before it to the next page.
 */
#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

#include "../../render/image.h"
#include "../raster/raster.h"
#include "pdfint.h"

/* The resolution of a picture at its natural size: 150 pixels per inch
 * (a screenshot's pixels at 96 per inch would print soft; 150 is the
 * least print that looks sharp at reading distance). Pictures are made
 * smaller to fit, never larger. */
#define FIGURE_DPI 150.0f

/* The most pixels decoded from one PNG or JPEG. */
#define MAX_PIXELS QRASTER_MAX_PIXELS

static void refuse(qbk *b, const qnode *img, const char *why)
{
	qdiag_add(b->job->diags, QD_WARNING, img->line, 0, "image",
		  "image %s is not in the booklet (%s); its alt text is shown",
		  img->u.link.file, why);
}

/* Split interleaved samples with alpha (GA or RGBA) into the colour
 * samples followed by the alpha plane; drop the plane when opaque. */
static void split_alpha(ts_image *im, const unsigned char *px, int ch)
{
	size_t n = (size_t)im->width * (size_t)im->height;
	int c = ch - 1;
	bool opaque = true;
	for (size_t i = 0; i < n && opaque; i++)
		opaque = px[i * (size_t)ch + (size_t)c] == 255;
	im->alpha = !opaque;
	for (size_t i = 0; i < n; i++)
		qbuf_put(&im->data, (const char *)px + i * (size_t)ch, (size_t)c);
	for (size_t i = 0; i < n && im->alpha; i++)
		qbuf_putc(&im->data, (char)px[i * (size_t)ch + (size_t)c]);
}

/* Decode a PNG into 8-bit samples; false with why. */
static bool decode_png(const qbuf *file, ts_image *im, char *why, size_t whylen)
{
	png_image pi;
	memset(&pi, 0, sizeof pi);
	pi.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&pi, file->ptr, file->len)) {
		snprintf(why, whylen, "libpng: %s", pi.message);
		return false;
	}
	if ((long)pi.width * (long)pi.height > MAX_PIXELS) {
		png_image_free(&pi);
		snprintf(why, whylen, "%u x %u pixels, more than the %ld million the booklet decodes",
			 pi.width, pi.height, MAX_PIXELS / 1000000);
		return false;
	}
	bool color = pi.format & PNG_FORMAT_FLAG_COLOR, alpha = pi.format & PNG_FORMAT_FLAG_ALPHA;
	pi.format = color ? (alpha ? PNG_FORMAT_RGBA : PNG_FORMAT_RGB)
			  : (alpha ? PNG_FORMAT_GA : PNG_FORMAT_GRAY);
	int ch = (color ? 3 : 1) + (alpha ? 1 : 0);
	unsigned char *px = qxmalloc(PNG_IMAGE_SIZE(pi));
	if (!png_image_finish_read(&pi, NULL, px, 0, NULL)) {
		snprintf(why, whylen, "libpng: %s", pi.message);
		free(px);
		return false;
	}
	*im = (ts_image){TS_IMAGE_PIXELS, (uint8_t)(color ? 3 : 1), false, (int)pi.width,
			 (int)pi.height, QBUF_INIT, 0};
	if (alpha)
		split_alpha(im, px, ch);
	else
		qbuf_put(&im->data, (const char *)px, PNG_IMAGE_SIZE(pi));
	free(px);
	return true;
}

typedef struct jpeg_check {
	struct jpeg_error_mgr mgr;
	jmp_buf env;
	bool truncated;
} jpeg_check;

static void jpeg_fail(j_common_ptr c)
{
	longjmp(((jpeg_check *)c->err)->env, 1);
}

static void jpeg_note(j_common_ptr c, int level)
{
	jpeg_check *j = (jpeg_check *)c->err;
	if (level < 0 && c->err->msg_code == JWRN_JPEG_EOF)
		j->truncated = true;
}

/* Does libjpeg decode the whole file, 8 bits per sample? False with why. */
static bool jpeg_decodes(const qbuf *file, char *why, size_t whylen)
{
	struct jpeg_decompress_struct d;
	jpeg_check j;
	d.err = jpeg_std_error(&j.mgr);
	j.mgr.error_exit = jpeg_fail;
	j.mgr.emit_message = jpeg_note;
	j.truncated = false;
	JSAMPARRAY row = NULL;
	if (setjmp(j.env)) {
		char msg[JMSG_LENGTH_MAX];
		j.mgr.format_message((j_common_ptr)&d, msg);
		snprintf(why, whylen, "libjpeg: %s", msg);
		jpeg_destroy_decompress(&d);
		return false;
	}
	jpeg_create_decompress(&d);
	jpeg_mem_src(&d, (const unsigned char *)file->ptr, (unsigned long)file->len);
	jpeg_read_header(&d, TRUE);
	if ((long)d.image_width * (long)d.image_height > MAX_PIXELS) {
		snprintf(why, whylen, "%u x %u pixels, more than the %ld million the booklet takes",
			 d.image_width, d.image_height, MAX_PIXELS / 1000000);
		jpeg_destroy_decompress(&d);
		return false;
	}
	if (d.num_components == 4 && d.saw_Adobe_marker) {
		/* Adobe's CMYK is stored inverted, and libharu 2.3.0 has no
		 * way to give the image the /Decode that turns it back */
		snprintf(why, whylen, "an Adobe CMYK JPEG, which would print inverted; convert it to RGB");
		jpeg_destroy_decompress(&d);
		return false;
	}
	jpeg_start_decompress(&d);
	row = (*d.mem->alloc_sarray)((j_common_ptr)&d, JPOOL_IMAGE,
				     d.output_width * (JDIMENSION)d.output_components, 1);
	while (d.output_scanline < d.output_height && !j.truncated)
		jpeg_read_scanlines(&d, row, 1);
	if (!j.truncated)
		jpeg_finish_decompress(&d);
	jpeg_destroy_decompress(&d);
	if (j.truncated)
		snprintf(why, whylen, "a JPEG that ends before its picture does");
	return !j.truncated;
}

/* A GIF, WebP or SVG decoded into RGB and an alpha plane; false with
 * why. */
static bool decode_raster(const qbuf *file, qimage_type type, ts_image *im, char *why,
			  size_t whylen)
{
	qraster r;
	bool ok = type == QIMAGE_GIF    ? qraster_gif(file->ptr, file->len, &r, why, whylen)
		  : type == QIMAGE_WEBP ? qraster_webp(file->ptr, file->len, &r, why, whylen)
					: qraster_svg(file->ptr, file->len, &r, why, whylen);
	if (!ok)
		return false;
	*im = (ts_image){TS_IMAGE_PIXELS, 3, false, r.width, r.height, QBUF_INIT, r.ppi};
	split_alpha(im, r.rgba, 4);
	qraster_free(&r);
	return true;
}

/* The picture of the file an image node names, read and handed to the
 * typesetter the first time: its index in the body layout, or -1 (a
 * warning was given once per file). */
static int load_picture(qbk *b, const qnode *img)
{
	qbuf file = QBUF_INIT;
	qimage_info info;
	char why[256];
	ts_image im = {0};
	bool ok = qimage_load(img->u.link.file, &file, &info, why, sizeof why);
	if (ok && info.type == QIMAGE_PNG) {
		ok = decode_png(&file, &im, why, sizeof why);
	} else if (ok && info.type == QIMAGE_JPEG && (ok = jpeg_decodes(&file, why, sizeof why))) {
		im = (ts_image){TS_IMAGE_JPEG, (uint8_t)info.components, false, info.width,
				info.height, file, 0};
		qbuf_init(&file);
	} else if (ok) {
		ok = decode_raster(&file, info.type, &im, why, sizeof why);
	}
	qbuf_free(&file);
	if (ok && !ts_image_embeds(&im)) {
		snprintf(why, sizeof why, "libharu cannot embed this %s", info.ext);
		ok = false;
	}
	if (!ok) {
		qbuf_free(&im.data);
		refuse(b, img, why);
		return -1;
	}
	return ts_layout_image(b->body, &im);
}

int qbk_picture(qbk *b, const qnode *img)
{
	const char *path = img->type == QN_IMAGE ? img->u.link.file : NULL;
	if (!path)
		return -1;
	size_t n = strlen(path);
	void *v = qstrmap_get(&b->pictures, path, n);
	if (v)
		return (int)(intptr_t)v - 2;
	int id = load_picture(b, img);
	qstrmap_put(&b->pictures, path, n, (void *)(intptr_t)(id + 2));
	return id;
}

void qbk_queue_figure(qbk *b, const qnode *img)
{
	if (b->nfigs == b->capfigs) {
		b->capfigs = b->capfigs ? 2 * b->capfigs : 8;
		b->figs = qxrealloc(b->figs, sizeof *b->figs * (size_t)b->capfigs);
	}
	b->figs[b->nfigs++] = img;
}

/* The caption's attributes: the table's small italic. */
static ts_attr caption_attr(const qbk *b)
{
	ts_attr a = {TS_ITALIC, b->st.table.size, b->st.table.color, 0, false, 0, false, 0};
	return a;
}

static void caption(qbk *b, const char *s, size_t n, int lines)
{
	ts_v_keep(b->body, lines <= 4 ? lines : 2);
	ts_v_space(b->body, 4, 0, 0);
	ts_parfmt f = {0};
	f.x = b->fig_x;
	f.width = b->fig_w;
	f.leading = b->st.table.leading;
	f.align = TS_CENTER;
	f.hyphenate = b->st.hyphenate;
	f.keep_together = lines <= 4;
	f.group = -1;
	ts_par_begin(b->par, &f);
	ts_attr a = caption_attr(b);
	ts_par_add(b->par, &a, s, n, TS_PROSE);
	ts_par_end(b->par);
}

static void figure(qbk *b, const qnode *img, int id)
{
	const ts_image *im = &b->body->images[id];
	qbuf_reset(&b->tmp);
	qnode_plain(img, &b->tmp);
	const char *alt = b->tmp.ptr ? b->tmp.ptr : "";
	size_t altn = b->tmp.len;
	while (altn && (alt[0] == ' ' || alt[0] == '\n'))
		alt++, altn--;
	/* the caption's lines, estimated from its width, and their room */
	int lines = 0;
	float room = b->text_h - ts_v_kept_height(b->body) - b->st.block_space;
	if (altn) {
		ts_attr a = caption_attr(b);
		float tw = ts_text_width(b->fonts, &a, alt, altn);
		lines = (int)(tw / (b->fig_w * 0.9f)) + 1;
		room -= 4 + (float)(lines <= 4 ? lines : 2) * b->st.table.leading + 2;
	}
	if (room < b->text_h * 0.25f)
		room = b->text_h * 0.25f;
	float ppi = im->ppi > 0 ? im->ppi : FIGURE_DPI;
	float w = (float)im->width * 72.0f / ppi;
	float h = (float)im->height * 72.0f / ppi;
	float s = fminf(1.0f, fminf(b->fig_w / w, room / h));
	w *= s;
	h *= s;
	ts_v_space(b->body, b->st.block_space, 2, 0);
	ts_v_image(b->body, id, b->fig_x + (b->fig_w - w) / 2, w, h);
	if (altn) {
		qbuf cap = QBUF_INIT;   /* b->tmp is the paragraph builder's too */
		qbuf_put(&cap, alt, altn);
		caption(b, cap.ptr, cap.len, lines);
		qbuf_free(&cap);
	}
	ts_v_space(b->body, b->st.block_space, 2, 0);
}

void qbk_place_figures(qbk *b, float x, float w)
{
	b->fig_x = x;
	b->fig_w = w;
	for (int i = 0; i < b->nfigs; i++)
		figure(b, b->figs[i], qbk_picture(b, b->figs[i]));
	b->nfigs = 0;
}
