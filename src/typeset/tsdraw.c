/* tsdraw.c - laid-out pages onto libharu pages (see tsdraw.h). */
#include "tsdraw.h"

#include <math.h>
#include <stdio.h>

#include "tsharu.h"
#include "tsint.h"

typedef struct dface {
	HPDF_Font font;
	const char *name;
	bool tried;
	uint8_t *used;      /* bitset of the code points drawn (BMP) */
} dface;

typedef struct dimg {
	uint32_t cp;
	int face;
	HPDF_Image img;   /* NULL: could not be made */
	float aspect;     /* width / height */
} dimg;

/* A picture of a layout, embedded once in this document. */
typedef struct dpic {
	const ts_layout *L;
	int image;
	HPDF_Image img;
} dpic;

struct ts_drawer {
	HPDF_Doc pdf;
	ts_fontset *fs;
	qdiags *d;
	dface faces[TS_MAX_FACES];
	dimg *imgs;
	size_t nimgs, capimgs;
	dpic *pics;
	size_t npics, cappics;
	ts_linkrect *links;
	size_t nlinks, caplinks;
	qbuf tmp;
	qbuf span;
	qbuf tj;            /* the TJ array being written */
	bool no_fix;        /* tests: leave the composite bug */
	tsh_zip *zip;       /* deflates finished pages */
	/* drawing state of the current page */
	int cur_face;
	float cur_size;
	float cur_rise;
	bool fake_bold;     /* text rendering mode fill + stroke is on */
	ts_rgb cur_color;
	/* placement scratch */
	struct placed { uint32_t item; float top, base; } *pl;
	size_t npl, cappl;
};

ts_drawer *ts_drawer_new(HPDF_Doc pdf, ts_fontset *fs, qdiags *d)
{
	ts_drawer *dr = qxmalloc(sizeof *dr);
	memset(dr, 0, sizeof *dr);
	dr->pdf = pdf;
	dr->fs = fs;
	dr->d = d;
	qbuf_init(&dr->tmp);
	qbuf_init(&dr->span);
	qbuf_init(&dr->tj);
	dr->zip = tsh_zip_new();
	HPDF_UseUTFEncodings(pdf);
	return dr;
}

void ts_drawer_free(ts_drawer *dr)
{
	if (!dr)
		return;
	for (int i = 0; i < TS_MAX_FACES; i++)
		free(dr->faces[i].used);
	free(dr->imgs);
	free(dr->pics);
	free(dr->links);
	free(dr->pl);
	qbuf_free(&dr->tmp);
	qbuf_free(&dr->span);
	qbuf_free(&dr->tj);
	tsh_zip_free(dr->zip);
	free(dr);
}

void ts_drawer_keep_libharu_subset(ts_drawer *dr)
{
	dr->no_fix = true;
}

const ts_linkrect *ts_drawer_links(const ts_drawer *dr, size_t *n)
{
	*n = dr->nlinks;
	return dr->links;
}

/* ---- resources -------------------------------------------------------------- */

static HPDF_Font face_font(ts_drawer *dr, int face)
{
	if (face < 0 || face >= TS_MAX_FACES)
		face = ts_font_role_face(dr->fs, TS_BODY);
	dface *f = &dr->faces[face];
	if (!f->tried) {
		f->tried = true;
		const char *path = ts_font_path(dr->fs, face);
		f->font = tsh_font_new(dr->pdf, dr->fs, face, &f->name);
		if (!f->font) {
			f->name = NULL;
			qdiag_add(dr->d, QD_WARNING, 0, 0, "font",
				  "libharu cannot load %s; its characters use the body font",
				  path ? path : "(none)");
			int body = ts_font_role_face(dr->fs, TS_BODY);
			if (body != face)
				f->font = face_font(dr, body);
		}
	}
	return f->font;
}

static dimg *emoji_image(ts_drawer *dr, int face, uint32_t cp)
{
	for (size_t i = 0; i < dr->nimgs; i++)
		if (dr->imgs[i].cp == cp && dr->imgs[i].face == face)
			return &dr->imgs[i];
	TS_GROW(dr->imgs, dr->nimgs, dr->capimgs, 1);
	dimg *im = &dr->imgs[dr->nimgs++];
	im->cp = cp;
	im->face = face;
	im->img = NULL;
	im->aspect = 1;
	qbuf png = QBUF_INIT;
	if (ts_font_emoji_png(dr->fs, face, cp, &png)) {
		im->img = HPDF_LoadPngImageFromMem(dr->pdf, (const HPDF_BYTE *)png.ptr,
						   (HPDF_UINT)png.len);
		if (!im->img)
			HPDF_ResetError(dr->pdf);
		else
			im->aspect = (float)HPDF_Image_GetWidth(im->img) /
				     (float)HPDF_Image_GetHeight(im->img);
	}
	qbuf_free(&png);
	return im;
}

/* A picture's samples as an image XObject of pdf, or NULL (libharu's
 * error handler has been told why). */
static HPDF_Image embed_image(HPDF_Doc pdf, const ts_image *im)
{
	const HPDF_BYTE *data = (const HPDF_BYTE *)im->data.ptr;
	if (im->kind == TS_IMAGE_JPEG)
		return HPDF_LoadJpegImageFromMem(pdf, data, (HPDF_UINT)im->data.len);
	size_t plane = (size_t)im->width * (size_t)im->height;
	if (im->kind != TS_IMAGE_PIXELS || (im->channels != 1 && im->channels != 3) ||
	    im->data.len != plane * (im->channels + (im->alpha ? 1u : 0u)))
		return NULL;
	HPDF_Image img = HPDF_LoadRawImageFromMem(
		pdf, data, (HPDF_UINT)im->width, (HPDF_UINT)im->height,
		im->channels == 1 ? HPDF_CS_DEVICE_GRAY : HPDF_CS_DEVICE_RGB, 8);
	if (img && im->alpha) {
		HPDF_Image mask = HPDF_LoadRawImageFromMem(
			pdf, data + plane * im->channels, (HPDF_UINT)im->width,
			(HPDF_UINT)im->height, HPDF_CS_DEVICE_GRAY, 8);
		if (!mask || HPDF_Image_AddSMask(img, mask) != HPDF_OK)
			return NULL;
	}
	return img;
}

static void note_error(HPDF_STATUS code, HPDF_STATUS detail, void *user)
{
	(void)detail;
	HPDF_STATUS *first = user;
	if (!*first)
		*first = code;
}

bool ts_image_embeds(const ts_image *im)
{
	HPDF_STATUS err = 0;
	HPDF_Doc pdf = HPDF_New(note_error, &err);
	if (!pdf)
		return false;
	bool ok = embed_image(pdf, im) != NULL && !err;
	HPDF_Free(pdf);
	return ok;
}

/* Picture i of L in this document, embedded the first time. */
static HPDF_Image picture(ts_drawer *dr, const ts_layout *L, int i)
{
	for (size_t k = 0; k < dr->npics; k++)
		if (dr->pics[k].L == L && dr->pics[k].image == i)
			return dr->pics[k].img;
	TS_GROW(dr->pics, dr->npics, dr->cappics, 1);
	dpic *p = &dr->pics[dr->npics++];
	p->L = L;
	p->image = i;
	p->img = i >= 0 && i < L->nimages ? embed_image(dr->pdf, &L->images[i]) : NULL;
	return p->img;
}

static void set_fill(ts_drawer *dr, HPDF_Page hp, ts_rgb c)
{
	if (c == dr->cur_color)
		return;
	dr->cur_color = c;
	tsh_page_rgb_fill(hp, (float)((c >> 16) & 0xFF) / 255.0f,
			  (float)((c >> 8) & 0xFF) / 255.0f, (float)(c & 0xFF) / 255.0f);
}

static void set_stroke(HPDF_Page hp, ts_rgb c)
{
	HPDF_Page_SetRGBStroke(hp, (float)((c >> 16) & 0xFF) / 255.0f,
			       (float)((c >> 8) & 0xFF) / 255.0f,
			       (float)(c & 0xFF) / 255.0f);
}

void ts_draw_rect(HPDF_Page hp, float x, float y, float w, float h, ts_rgb color)
{
	tsh_page_rgb_fill(hp, (float)((color >> 16) & 0xFF) / 255.0f,
			  (float)((color >> 8) & 0xFF) / 255.0f, (float)(color & 0xFF) / 255.0f);
	HPDF_Page_Rectangle(hp, x, y, w, h);
	HPDF_Page_Fill(hp);
}

/* ---- actual text spans ----------------------------------------------------------- */

/* Begin a /Span with /ActualText = the UTF-8 text s (as UTF-16BE). */
static void span_begin(ts_drawer *dr, HPDF_Page hp, const char *s, size_t n)
{
	qbuf *b = &dr->span;
	qbuf_reset(b);
	qbuf_puts(b, "/Span <</ActualText <FEFF");
	for (size_t i = 0; i < n;) {
		size_t l;
		uint32_t cp = ts__cp(s + i, n - i, &l);
		if (cp > 0xFFFF) {
			cp -= 0x10000;
			qbuf_printf(b, "%04X%04X", 0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF));
		} else {
			qbuf_printf(b, "%04X", cp);
		}
		i += l;
	}
	qbuf_puts(b, ">>> BDC\n");
	tsh_page_write(hp, b->ptr, b->len);
}

static void span_end(HPDF_Page hp)
{
	tsh_page_write(hp, "EMC\n", 4);
}

/* Remember which code points of a face were drawn (for /W and the
 * CIDToGIDMap, see ts_drawer_finish). */
static void mark_used(ts_drawer *dr, int face, const char *s, size_t n)
{
	if (face < 0 || face >= TS_MAX_FACES)
		return;
	dface *f = &dr->faces[face];
	if (!f->used) {
		f->used = qxmalloc(8192);
		memset(f->used, 0, 8192);
	}
	for (size_t i = 0; i < n;) {
		size_t l;
		uint32_t cp = ts__cp(s + i, n - i, &l);
		if (cp <= 0xFFFF)
			f->used[cp >> 3] |= (uint8_t)(1u << (cp & 7));
		i += l;
	}
}

/* Invisible text standing in for a drawn glyph, for extraction. */
static void invisible_text(ts_drawer *dr, HPDF_Page hp, float x, float y,
			   float w, float size)
{
	int body = ts_font_role_face(dr->fs, TS_BODY);
	HPDF_Font f = face_font(dr, body);
	if (!f)
		return;
	int adv = ts_font_advance(dr->fs, body, 0x25A1);
	float sz = adv > 0 ? w * 1000.0f / (float)adv : size;
	if (sz < 1)
		sz = 1;
	if (sz > 300)
		sz = 300;
	HPDF_Page_BeginText(hp);
	HPDF_Page_SetTextRenderingMode(hp, HPDF_INVISIBLE);
	tsh_page_font(hp, f, sz);
	tsh_page_td(hp, x, y);
	mark_used(dr, body, "\xE2\x96\xA1", 3);
	HPDF_Page_ShowText(hp, "\xE2\x96\xA1");
	HPDF_Page_SetTextRenderingMode(hp, HPDF_FILL);
	HPDF_Page_EndText(hp);
	dr->cur_face = -1;
}

/* ---- special runs ------------------------------------------------------------------ */

typedef struct olctx {
	HPDF_Page hp;
	float x, y, s;
} olctx;

static void ol_move(void *c, float x, float y)
{
	olctx *o = c;
	HPDF_Page_MoveTo(o->hp, o->x + x * o->s, o->y + y * o->s);
}

static void ol_line(void *c, float x, float y)
{
	olctx *o = c;
	HPDF_Page_LineTo(o->hp, o->x + x * o->s, o->y + y * o->s);
}

static void ol_cubic(void *c, float x1, float y1, float x2, float y2, float x3,
		     float y3)
{
	olctx *o = c;
	HPDF_Page_CurveTo(o->hp, o->x + x1 * o->s, o->y + y1 * o->s, o->x + x2 * o->s,
			  o->y + y2 * o->s, o->x + x3 * o->s, o->y + y3 * o->s);
}

static void draw_tofu(HPDF_Page hp, float x, float y, float w, float size,
		      ts_rgb color)
{
	set_stroke(hp, color);
	HPDF_Page_SetLineWidth(hp, size * 0.05f);
	HPDF_Page_Rectangle(hp, x + w * 0.1f, y - size * 0.05f, w * 0.8f, size * 0.8f);
	HPDF_Page_Stroke(hp);
}

static void draw_outline(ts_drawer *dr, HPDF_Page hp, const ts_run *r,
			 const char *text, float x, float y)
{
	size_t l;
	uint32_t cp = ts__cp(text, r->len, &l);
	span_begin(dr, hp, text, r->len);
	int upem = ts_font_upem(dr->fs, r->face);
	olctx o = {hp, x, y, r->size / (float)(upem > 0 ? upem : 1000)};
	ts_outline_cb cb = {&o, ol_move, ol_line, ol_cubic};
	bool ok = false;
	if (r->kind == TS_RUN_OUTLINE) {
		set_fill(dr, hp, r->color);
		ok = ts_font_outline(dr->fs, r->face, cp, &cb, &upem);
		if (ok)
			HPDF_Page_Fill(hp);
	}
	if (!ok)
		draw_tofu(hp, x, y, r->w, r->size, r->color);
	invisible_text(dr, hp, x, y, r->w, r->size);
	span_end(hp);
	dr->cur_color = TS_NO_COLOR;
}

static void draw_image(ts_drawer *dr, HPDF_Page hp, const ts_run *r,
		       const char *text, float x, float y)
{
	size_t l;
	uint32_t cp = ts__cp(text, r->len, &l);
	dimg *im = emoji_image(dr, r->face, cp);
	span_begin(dr, hp, text, r->len);
	if (im->img) {
		float h = r->size * 1.0f, w = h * im->aspect;
		HPDF_Page_DrawImage(hp, im->img, x + (r->w - w) / 2, y - 0.18f * r->size, w, h);
	} else {
		draw_tofu(hp, x, y, r->w, r->size, r->color);
	}
	invisible_text(dr, hp, x, y, r->w, r->size);
	span_end(hp);
	dr->cur_color = TS_NO_COLOR;
}

static void draw_contmark(HPDF_Page hp, const ts_run *r, float x, float y)
{
	float s = r->size, w = r->w;
	set_stroke(hp, r->color);
	HPDF_Page_SetLineWidth(hp, s * 0.07f);
	HPDF_Page_MoveTo(hp, x + w * 0.15f, y + s * 0.62f);
	HPDF_Page_LineTo(hp, x + w * 0.15f, y + s * 0.22f);
	HPDF_Page_LineTo(hp, x + w * 0.85f, y + s * 0.22f);
	HPDF_Page_MoveTo(hp, x + w * 0.6f, y + s * 0.40f);
	HPDF_Page_LineTo(hp, x + w * 0.85f, y + s * 0.22f);
	HPDF_Page_LineTo(hp, x + w * 0.6f, y + s * 0.04f);
	HPDF_Page_Stroke(hp);
}

/* Dot leaders as one dotted line (a dash pattern of zero-length dashes
 * with round caps), the dots on a grid from the text block's left edge so
 * that they line up from one line to the next. */
static void draw_leader(ts_drawer *dr, HPDF_Page hp, const ts_run *r, float left,
			float x, float y)
{
	float sp = r->size * 0.55f, rad = r->size * 0.06f;
	float from = x + sp * 0.5f, to = x + r->w - sp * 0.5f;
	float k = ceilf((from - left) / sp);
	float first = left + k * sp;
	if (first > to)
		return;
	float last = first + floorf((to - first) / sp) * sp;
	qbuf *b = &dr->span;
	qbuf_reset(b);
	qbuf_printf(b, "q 1 J %.3f w %.4f %.4f %.4f RG [0 %.3f] 0 d %.3f %.3f m %.3f %.3f l S Q\n",
		    2 * rad, (float)((r->color >> 16) & 0xFF) / 255.0f,
		    (float)((r->color >> 8) & 0xFF) / 255.0f, (float)(r->color & 0xFF) / 255.0f,
		    sp, first, y + rad, last + 0.01f, y + rad);
	tsh_page_write(hp, b->ptr, b->len);
}

/* ---- lines --------------------------------------------------------------------------- */

/* A formula's curly brace, w wide and size high from rise: two halves
 * of cubic curves meeting at a point in the middle, filled (a stroke of
 * varying weight, like a brace glyph). */
static void draw_brace(HPDF_Page hp, const ts_run *r, float x, float Y)
{
	float w = r->w, h = r->size, y0 = Y + r->rise, t = h * 0.16f;
	bool down = r->off == 1;   /* \overbrace: the point up, ends down */
	float ye = down ? y0 : y0 + h, ym = down ? y0 + h : y0;   /* ends, point */
	float yb = (ye + ym) / 2, s = down ? 1 : -1;   /* the bar, and its side */
	float q = fminf(w / 4, h * 1.6f);
	tsh_page_rgb_fill(hp, ((r->color >> 16) & 255) / 255.0f, ((r->color >> 8) & 255) / 255.0f,
			  (r->color & 255) / 255.0f);
	for (int half = 0; half < 2; half++) {
		float a = half ? x + w : x, m = x + w / 2, d = half ? -1 : 1;
		HPDF_Page_MoveTo(hp, a, ye);
		HPDF_Page_CurveTo(hp, a, yb + s * t / 2, a, yb + s * t / 2, a + d * q, yb + s * t / 2);
		HPDF_Page_LineTo(hp, m - d * q, yb + s * t / 2);
		HPDF_Page_CurveTo(hp, m, yb + s * t / 2, m, yb, m, ym);
		HPDF_Page_CurveTo(hp, m, yb - s * t / 2, m, yb - s * t / 2, m - d * q, yb - s * t / 2);
		HPDF_Page_LineTo(hp, a + d * q, yb - s * t / 2);
		HPDF_Page_CurveTo(hp, a + d * t, yb - s * t / 2, a + d * t, yb - s * t / 2, a + d * t, ye);
		HPDF_Page_ClosePath(hp);
		HPDF_Page_Fill(hp);
	}
}

static void add_link(ts_drawer *dr, HPDF_Page hp, int tag, int link, float x0,
		     float y0, float x1, float y1)
{
	if (dr->nlinks) {
		ts_linkrect *k = &dr->links[dr->nlinks - 1];
		/* one annotation per link and line (a contents entry's title,
		 * leaders and page number: libharu spends kilobytes on each) */
		if (k->page == hp && k->link == link && k->tag == tag &&
		    fabsf(k->y0 - y0) < 0.01f && x0 >= k->x0) {
			k->x1 = fmaxf(k->x1, x1);
			return;
		}
	}
	TS_GROW(dr->links, dr->nlinks, dr->caplinks, 1);
	dr->links[dr->nlinks++] = (ts_linkrect){hp, tag, link, x0, y0, x1, y1};
}

static const char *run_text(ts_drawer *dr, const ts_layout *L, const ts_run *r)
{
	qbuf_reset(&dr->tmp);
	qbuf_put(&dr->tmp, L->pool.ptr + r->off, r->len);
	return dr->tmp.ptr;
}

static bool is_text_run(const ts_layout *L, const ts_run *r)
{
	if (r->kind == TS_RUN_TEXT)
		return true;
	if (r->kind != TS_RUN_MISSING)
		return false;
	size_t l;
	return ts__cp(L->pool.ptr + r->off, r->len, &l) <= 0xFFFF;
}

static void put_byte(qbuf *b, unsigned char c)
{
	if (c == '(' || c == ')' || c == '\\')
		qbuf_putc(b, '\\');
	if (c == '\r')
		qbuf_puts(b, "\\r");
	else
		qbuf_putc(b, c);
}

/* Append the text of a run as literal strings of 2-byte codes (the code
 * is the Unicode code point: Identity-H with a CIDToGIDMap), split where
 * a kerning pair moves the next glyph. Raw bytes are allowed in literal
 * strings; only ( ) \ and CR are escaped: half the size of the hex
 * strings libharu writes. */
static void put_codes(ts_fontset *fs, const ts_run *r, qbuf *b, const char *s,
		      size_t n)
{
	uint32_t prev = 0;
	qbuf_putc(b, '(');
	for (size_t i = 0; i < n;) {
		size_t l;
		uint32_t cp = ts__cp(s + i, n - i, &l);
		if (i > 0 && !r->nokern) {
			int k = ts_font_kern(fs, r->face, prev, cp);
			if (k) {
				qbuf_puts(b, ") ");
				qbuf_put_int(b, -k);
				qbuf_puts(b, " (");
			}
		}
		prev = cp;
		i += l;
		if (cp > 0xFFFF)
			cp = 0xFFFD;
		put_byte(b, (unsigned char)(cp >> 8));
		put_byte(b, (unsigned char)cp);
	}
	qbuf_putc(b, ')');
}

/* A TJ displacement, shortest form. */
static void put_adjust(qbuf *b, float v)
{
	long t = lroundf(v * 10.0f);
	qbuf_putc(b, ' ');
	if (t < 0)
		qbuf_putc(b, '-');
	qbuf_put_int(b, labs(t) / 10);
	if (t % 10) {
		qbuf_putc(b, '.');
		qbuf_put_int(b, labs(t) % 10);
	}
	qbuf_putc(b, ' ');
}

static void flush_tj(ts_drawer *dr, HPDF_Page hp)
{
	if (!dr->tj.len)
		return;
	qbuf_puts(&dr->tj, "] TJ\n");
	tsh_page_write(hp, dr->tj.ptr, dr->tj.len);
	qbuf_reset(&dr->tj);
}

/* Synthetic bold for faces that have no bold (CJK): the glyphs are
 * filled and stroked with a thin outline of their own colour. r NULL:
 * back to plain filling. */
static void set_fake_bold(ts_drawer *dr, HPDF_Page hp, const ts_run *r)
{
	bool on = r && r->fake_bold;
	if (on) {
		set_stroke(hp, r->color);
		HPDF_Page_SetLineWidth(hp, r->size * 0.035f);
	}
	if (on != dr->fake_bold)
		HPDF_Page_SetTextRenderingMode(hp, on ? HPDF_FILL_THEN_STROKE : HPDF_FILL);
	dr->fake_bold = on;
}

/* Does the span opened by run k of the line close on the same line? */
static bool span_ends_here(const ts_layout *L, const ts_vitem *it, uint32_t k)
{
	for (uint32_t j = k + 1; j < it->nruns; j++) {
		uint8_t kind = L->runs[it->run0 + j].kind;
		if (kind == TS_RUN_SPAN_END)
			return true;
		if (kind == TS_RUN_SPAN_BEGIN)
			return false;
	}
	return false;
}

/* The text runs of one line in one BT/ET: one TJ array per stretch of
 * runs in the same font, size and colour, the gaps between words as TJ
 * displacements. libharu's ShowText would measure every character again
 * and write a Td and a Tj per word; the glyphs it would have marked used
 * are marked in ts_drawer_finish from the code points recorded here. */
static void draw_line_text(ts_drawer *dr, HPDF_Page hp, const ts_layout *L,
			   const ts_vitem *it, float X, float Y)
{
	bool in_text = false, span = false;
	float lastx = 0, pen = 0;
	const ts_run *prev = NULL;
	for (uint32_t k = 0; k < it->nruns; k++) {
		const ts_run *r = &L->runs[it->run0 + k];
		if (r->kind == TS_RUN_SPAN_BEGIN || r->kind == TS_RUN_SPAN_END) {
			bool begin = r->kind == TS_RUN_SPAN_BEGIN;
			if (begin && !span && !span_ends_here(L, it, k))
				continue;   /* a formula broken across lines copies as its glyphs */
			if (begin == span)
				continue;
			flush_tj(dr, hp);
			if (in_text) {
				set_fake_bold(dr, hp, NULL);
				HPDF_Page_EndText(hp);
			}
			in_text = false;
			prev = NULL;
			if (begin)
				span_begin(dr, hp, L->pool.ptr + r->off, r->len);
			else
				span_end(hp);
			span = begin;
			continue;
		}
		if (!is_text_run(L, r) || r->len == 0)
			continue;
		HPDF_Font f = face_font(dr, r->face);
		if (!f)
			continue;
		bool same = prev && r->face == prev->face && r->size == prev->size &&
			    r->color == prev->color && r->rise == prev->rise &&
			    r->fake_bold == prev->fake_bold && dr->tj.len;
		if (!same) {
			flush_tj(dr, hp);
			if (!in_text) {
				HPDF_Page_BeginText(hp);
				tsh_page_td(hp, X + it->x + r->x, Y);
				in_text = true;
			} else {
				tsh_page_td(hp, r->x - lastx, 0);
			}
			lastx = pen = r->x;
			if (r->face != dr->cur_face || r->size != dr->cur_size) {
				tsh_page_font(hp, f, r->size);
				dr->cur_face = r->face;
				dr->cur_size = r->size;
			}
			set_fill(dr, hp, r->color);
			if (r->rise != dr->cur_rise) {
				HPDF_Page_SetTextRise(hp, r->rise);
				dr->cur_rise = r->rise;
			}
			set_fake_bold(dr, hp, r);
			qbuf_putc(&dr->tj, '[');
		} else if (fabsf(r->x - pen) > 0.001f) {
			put_adjust(&dr->tj, -(r->x - pen) * 1000.0f / r->size);
		}
		mark_used(dr, r->face, L->pool.ptr + r->off, r->len);
		put_codes(dr->fs, r, &dr->tj, L->pool.ptr + r->off, r->len);
		pen = r->x + r->w;
		prev = r;
	}
	flush_tj(dr, hp);
	if (in_text) {
		set_fake_bold(dr, hp, NULL);
		HPDF_Page_EndText(hp);
	}
	if (span)
		span_end(hp);
}

/* Highlights behind the runs of a line (marked text, clozes); a
 * highlight reaches across the space to a next run of the same colour. */
static void draw_highlights(ts_drawer *dr, HPDF_Page hp, const ts_layout *L,
			    const ts_vitem *it, float left, float Y)
{
	for (uint32_t k = 0; k < it->nruns; k++) {
		const ts_run *r = &L->runs[it->run0 + k];
		if (!r->bg)
			continue;
		float x0 = left + it->x + r->x, x1 = x0 + r->w;
		if (k + 1 < it->nruns && L->runs[it->run0 + k + 1].bg == r->bg)
			x1 = left + it->x + L->runs[it->run0 + k + 1].x;
		ts_draw_rect(hp, x0 - 0.5f, Y - r->size * 0.26f + r->rise, x1 - x0 + 1.0f,
			     r->size * 1.12f, r->bg);
		dr->cur_color = TS_NO_COLOR;
	}
}

static void draw_line(ts_drawer *dr, HPDF_Page hp, const ts_layout *L,
		      const ts_vitem *it, float left, float Y, int tag)
{
	draw_highlights(dr, hp, L, it, left, Y);
	draw_line_text(dr, hp, L, it, left, Y);
	for (uint32_t k = 0; k < it->nruns; k++) {
		const ts_run *r = &L->runs[it->run0 + k];
		float x = left + it->x + r->x;
		if (r->link > 0 && L->links[r->link - 1].kind != TS_LINK_ANCHOR) {
			float a = r->size * 0.78f, b = r->size * 0.25f;
			add_link(dr, hp, tag, r->link, x, Y - b, x + r->w, Y + a);
		}
		if (r->underline && r->kind == TS_RUN_TEXT) {
			ts_draw_rect(hp, x, Y - r->size * 0.12f + r->rise, r->w, r->size * 0.05f,
				     r->color);
			dr->cur_color = TS_NO_COLOR;
		}
		if (r->strike && r->kind != TS_RUN_CONTMARK && r->kind != TS_RUN_LEADER) {
			ts_draw_rect(hp, x, Y + r->size * 0.27f + r->rise, r->w, r->size * 0.055f,
				     r->color);
			dr->cur_color = TS_NO_COLOR;
		}
		if (is_text_run(L, r))
			continue;
		switch (r->kind) {
		case TS_RUN_IMAGE:
			draw_image(dr, hp, r, run_text(dr, L, r), x, Y);
			break;
		case TS_RUN_OUTLINE:
		case TS_RUN_MISSING:
			draw_outline(dr, hp, r, run_text(dr, L, r), x, Y);
			break;
		case TS_RUN_CONTMARK:
			draw_contmark(hp, r, x, Y);
			break;
		case TS_RUN_LEADER:
			draw_leader(dr, hp, r, left, x, Y);
			dr->cur_color = TS_NO_COLOR;
			break;
		case TS_RUN_RULE:
			ts_draw_rect(hp, x, Y + r->rise, r->w, r->size, r->color);
			dr->cur_color = TS_NO_COLOR;
			break;
		case TS_RUN_BRACE:
			draw_brace(hp, r, x, Y);
			dr->cur_color = TS_NO_COLOR;
			break;
		default:
			break;
		}
	}
}

/* ---- pages ------------------------------------------------------------------------------ */

static void collect_place(void *ctx, uint32_t item, float top, float base)
{
	ts_drawer *dr = ctx;
	TS_GROW(dr->pl, dr->npl, dr->cappl, 1);
	dr->pl[dr->npl++] = (struct placed){item, top, base};
}

void ts_page_place(const ts_layout *L, int p, ts_place_fn fn, void *ctx)
{
	if (p < 0 || p >= L->npages)
		return;
	const ts_page *pg = &L->pages[p];
	float y = 0;
	bool first = true;
	for (int pass = 0; pass < 2; pass++) {
		uint32_t a = pg->i0, b = pg->i1;
		if (pass == 0) {
			if (pg->repeat_table < 0)
				continue;
			a = L->tables[pg->repeat_table].head0;
			b = L->tables[pg->repeat_table].head1;
		}
		for (uint32_t i = a; i < b; i++) {
			const ts_vitem *it = &L->items[i];
			if (it->type == TS_V_LINE) {
				float h = first && it->h < L->topskip ? L->topskip : it->h;
				float base = y + h;
				fn(ctx, i, base - it->h, base);
				y = base + it->d;
				first = false;
			} else if (it->type == TS_V_RULE || it->type == TS_V_IMAGE) {
				fn(ctx, i, y, y + it->h);
				y += it->h;
				first = false;
			} else if (it->type == TS_V_GLUE) {
				y += it->h + (pg->ratio > 0 ? pg->ratio * it->stretch
							    : pg->ratio * it->shrink);
			}
		}
	}
}

typedef struct markctx {
	ts_layout *L;
	int m;
} markctx;

static void place_mark(void *ctx, uint32_t item, float top, float base)
{
	markctx *c = ctx;
	(void)base;
	while (c->m < c->L->nmarks && c->L->marks[c->m].item < item)
		c->m++;
	for (int k = c->m; k < c->L->nmarks && c->L->marks[k].item == item; k++)
		c->L->marks[k].y = top;
}

void ts_layout_place_marks(ts_layout *L)
{
	markctx c = {L, 0};
	for (int p = 0; p < L->npages; p++) {
		int first = c.m;
		ts_page_place(L, p, place_mark, &c);
		if (c.m < first)
			c.m = first;
	}
}

static void draw_groups(ts_drawer *dr, HPDF_Page hp, const ts_layout *L,
			float left, float top)
{
	for (size_t i = 0; i < dr->npl;) {
		const ts_vitem *it = &L->items[dr->pl[i].item];
		int g = it->type == TS_V_LINE ? it->group : -1;
		if (g < 0) {
			i++;
			continue;
		}
		float y0 = dr->pl[i].top, y1 = dr->pl[i].base + it->d;
		size_t j = i + 1;
		for (; j < dr->npl; j++) {
			const ts_vitem *jt = &L->items[dr->pl[j].item];
			if (jt->type != TS_V_LINE || jt->group != g)
				break;
			y1 = dr->pl[j].base + jt->d;
		}
		const ts_group *gr = &L->groups[g];
		float ytop = top - (y0 - gr->pad), ybot = top - (y1 + gr->pad);
		ts_draw_rect(hp, left + gr->x0, ybot, gr->x1 - gr->x0, ytop - ybot,
			     gr->color);
		if (gr->kind == TS_GROUP_BG && gr->border != TS_NO_COLOR) {
			set_stroke(hp, gr->border);
			HPDF_Page_SetLineWidth(hp, 0.4f);
			HPDF_Page_Rectangle(hp, left + gr->x0 + 0.2f, ybot + 0.2f,
					    gr->x1 - gr->x0 - 0.4f, ytop - ybot - 0.4f);
			HPDF_Page_Stroke(hp);
		}
		dr->cur_color = TS_NO_COLOR;
		i = j;
	}
}

/* The insert lines of page p at the bottom of its text block, below a
 * short rule; the glue before the first one left out. */
static void draw_foot(ts_drawer *dr, HPDF_Page hp, const ts_layout *L, int p,
		      float left, float top, int tag)
{
	const ts_page *pg = &L->pages[p];
	if (pg->f1 <= pg->f0)
		return;
	float h = 0;
	bool seen = false;
	for (uint32_t i = pg->f0; i < pg->f1; i++) {
		const ts_vitem *it = &L->fitems[i];
		if (it->type != TS_V_GLUE)
			seen = true;
		if (seen)
			h += it->type == TS_V_GLUE ? it->h : it->h + it->d;
	}
	float y = L->page_h - h;   /* from the top of the text block */
	const ts_footfmt *f = &L->foot;
	ts_draw_rect(hp, left, top - (y - f->skip * 0.55f), f->rule_w, f->rule_thick,
		     f->color);
	dr->cur_color = TS_NO_COLOR;
	seen = false;
	for (uint32_t i = pg->f0; i < pg->f1; i++) {
		const ts_vitem *it = &L->fitems[i];
		if (it->type == TS_V_GLUE) {
			if (seen)
				y += it->h;
			continue;
		}
		seen = true;
		if (it->type == TS_V_LINE)
			draw_line(dr, hp, L, it, left, top - (y + it->h), tag);
		else if (it->type == TS_V_RULE)
			ts_draw_rect(hp, left + it->x, top - (y + it->h), it->w, it->h, it->color);
		y += it->h + it->d;
	}
	dr->cur_color = TS_NO_COLOR;
}

void ts_draw_page(ts_drawer *dr, HPDF_Page hp, const ts_layout *L, int p,
		  float left, float top, int tag)
{
	dr->npl = 0;
	dr->cur_face = -1;
	dr->cur_size = 0;
	dr->cur_rise = 0;
	dr->fake_bold = false;
	dr->cur_color = TS_NO_COLOR;
	ts_page_place(L, p, collect_place, dr);
	draw_groups(dr, hp, L, left, top);
	for (size_t i = 0; i < dr->npl; i++) {
		const ts_vitem *it = &L->items[dr->pl[i].item];
		if (it->type == TS_V_RULE) {
			ts_draw_rect(hp, left + it->x, top - dr->pl[i].base, it->w, it->h,
				     it->color);
			dr->cur_color = TS_NO_COLOR;
		} else if (it->type == TS_V_IMAGE) {
			HPDF_Image img = picture(dr, L, it->image);
			if (img)
				HPDF_Page_DrawImage(hp, img, left + it->x, top - dr->pl[i].base,
						    it->w, it->h);
		} else {
			draw_line(dr, hp, L, it, left, top - dr->pl[i].base, tag);
		}
	}
	draw_foot(dr, hp, L, p, left, top, tag);
}

/* ---- single lines of text ----------------------------------------------------------------- */

/* Move the line of L so that its leftmost run starts at 0; returns the
 * width of its runs. A left-to-right line starts there already; a
 * right-to-left one is set flush right against the measure, far from 0. */
static float runs_to_origin(ts_layout *L)
{
	if (L->nruns == 0)
		return 0;
	float x0 = L->runs[0].x, x1 = L->runs[0].x + L->runs[0].w;
	for (size_t i = 1; i < L->nruns; i++) {
		x0 = fminf(x0, L->runs[i].x);
		x1 = fmaxf(x1, L->runs[i].x + L->runs[i].w);
	}
	if (x0 <= 0)
		return fmaxf(x1, 0);
	for (size_t i = 0; i < L->nitems; i++)
		if (L->items[i].type == TS_V_LINE)
			L->items[i].x -= x0;
	return x1 - x0;
}

/* A layout of s as one unbreakable line: the same boxes, kerning and
 * invisible characters as in paragraphs, so measuring and drawing agree
 * with the page. *w: its width. Its line starts at 0 in either
 * direction. */
static ts_layout *one_line(ts_fontset *fs, const ts_attr *a, const char *s,
			   size_t n, float *w)
{
	ts_layout *L = ts_layout_new(fs, NULL);
	ts_par *p = ts_par_new(L);
	ts_parfmt f = {0};
	f.width = 1e5f;
	f.leading = a->size * 1.2f;
	f.align = TS_RAGGED;
	f.group = -1;
	ts_par_begin(p, &f);
	ts_par_add(p, a, s, n, TS_NOBREAK);
	ts_par_end(p);
	ts_par_free(p);
	*w = runs_to_origin(L);
	return L;
}

float ts_text_width(ts_fontset *fs, const ts_attr *a, const char *s, size_t n)
{
	float w;
	ts_layout_free(one_line(fs, a, s, n, &w));
	return w;
}

float ts_draw_text(ts_drawer *dr, HPDF_Page hp, const ts_attr *a, float x,
		   float y, const char *s, size_t n, ts_align align)
{
	float w;
	ts_layout *L = one_line(dr->fs, a, s, n, &w);
	float left = align == TS_CENTER ? x - w / 2 : align == TS_RIGHT ? x - w : x;
	for (size_t i = 0; i < L->nitems; i++)
		if (L->items[i].type == TS_V_LINE) {
			dr->cur_face = -1;
			dr->cur_color = TS_NO_COLOR;
			draw_line(dr, hp, L, &L->items[i], left, y, -1);
		}
	ts_layout_free(L);
	return w;
}

void ts_drawer_page_begin(ts_drawer *dr, HPDF_Page hp)
{
	tsh_page_begin(dr->zip, hp);
}

void ts_drawer_page_done(ts_drawer *dr, HPDF_Page hp)
{
	tsh_page_seal(dr->zip, hp);
}

void ts_drawer_use_pool(ts_drawer *dr, qpool *pool)
{
	tsh_zip_use_pool(dr->zip, pool);
}

/* ---- before saving ---------------------------------------------------------------------- */

bool ts_drawer_finish(ts_drawer *dr)
{
	tsh_zip_flush(dr->zip);   /* a failure leaves the page to libharu */
	bool ok = true;
	for (int i = 0; i < TS_MAX_FACES; i++) {
		dface *f = &dr->faces[i];
		if (f->font && f->name)
			ok &= tsh_font_finish(dr->pdf, dr->zip, f->font, f->name, dr->fs, i,
					      f->used, dr->no_fix);
	}
	return ok;
}

/* ---- imposition ---------------------------------------------------------------------------- */

int ts_impose_sides(int n)
{
	int padded = (n + 3) / 4 * 4;
	return padded / 2;
}

void ts_impose_side(int n, int side, int *left, int *right)
{
	int N = (n + 3) / 4 * 4;
	int k = side / 2;
	int l, r;
	if (side % 2 == 0) {
		l = N - 1 - 2 * k;
		r = 2 * k;
	} else {
		l = 2 * k + 1;
		r = N - 2 - 2 * k;
	}
	*left = l < n ? l : -1;
	*right = r < n ? r : -1;
}
