/* tsharu.c - the libharu 2.3.0 workarounds that need its structures
 * (see tsharu.h for what and why). The only file of quire that includes
 * libharu's private headers; keep it so. */
#include "tsharu.h"

#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_outline.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <string.h>
#include <libdeflate.h>

#include "../util/arena.h"
#include "../util/buf.h"
#include "../util/pool.h"

HPDF_Doc tsh_doc_new(HPDF_Error_Handler fn, void *user)
{
	/* no memory pool: libharu 2.3.0 as Debian builds it packs a pool's
	 * objects without alignment (UBSan: a misaligned HPDF_List) */
	HPDF_Doc pdf = HPDF_NewEx(fn, NULL, NULL, 0, user);
	if (!pdf)
		return NULL;
	HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
	pdf->pdf_version = HPDF_VER_17;   /* 2.3.0 has no setter */
	return pdf;
}

void tsh_doc_set_lang(HPDF_Doc pdf, const char *lang)
{
	char clean[36];
	size_t n = 0;   /* letters, digits and '-' only: a language tag */
	for (; lang && lang[n] && n < sizeof clean - 1; n++) {
		char c = lang[n];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-'))
			return;
		clean[n] = c;
	}
	clean[n] = '\0';
	if (n == 0 || !pdf->catalog)
		return;
	HPDF_String s = HPDF_String_New(pdf->mmgr, clean, NULL);
	if (s)
		HPDF_Dict_Add(pdf->catalog, "Lang", s);
}

/* A list whose next growth copies it whole grows by its length. */
static void grow_list(HPDF_List l)
{
	if (l && l->items_per_block < l->count)
		l->items_per_block = l->count;
}

void tsh_doc_grow(HPDF_Doc pdf)
{
	if (pdf->xref)
		grow_list(pdf->xref->entries);
	grow_list(pdf->page_list);
	HPDF_Array kids = pdf->cur_pages ? HPDF_Dict_GetItem(pdf->cur_pages, "Kids",
							      HPDF_OCLASS_ARRAY) : NULL;
	if (kids)
		grow_list(kids->list);
}

static HPDF_STATUS out_write(HPDF_Stream st, const HPDF_BYTE *p, HPDF_UINT n)
{
	qbuf *out = st->attr;
	qbuf_put(out, p, n);
	return HPDF_OK;
}

bool tsh_save(HPDF_Doc pdf, qbuf *out)
{
	if (pdf->stream)
		HPDF_Stream_Free(pdf->stream);
	pdf->stream = HPDF_CallbackWriter_New(pdf->mmgr, out_write, out);
	return pdf->stream && HPDF_SaveToStream(pdf) == HPDF_OK;
}

const char *tsh_libharu_version(void)
{
	return HPDF_GetVersion();
}

bool tsh_page_write(HPDF_Page hp, const char *s, size_t n)
{
	if (!hp || !hp->attr)
		return false;
	HPDF_Stream st = ((HPDF_PageAttr)hp->attr)->stream;
	return st && HPDF_Stream_Write(st, (const HPDF_BYTE *)s, (HPDF_UINT)n) == HPDF_OK;
}

size_t tsh_real(char *out, float v)
{
	if (v > HPDF_LIMIT_MAX_REAL)
		v = HPDF_LIMIT_MAX_REAL;
	else if (v < HPDF_LIMIT_MIN_REAL)
		v = HPDF_LIMIT_MIN_REAL;
	char *s = out, digits[8];
	if (v < 0) {
		*s++ = '-';
		v = -v;
	}
	/* libharu's rounding, in its types: the whole part in double, the
	 * fraction's five digits from a float */
	int32_t whole = (int32_t)(v + 0.000005);
	int32_t frac = (int32_t)((float)(v - (float)whole + 0.000005) * 100000);
	int n = 0;
	do {
		digits[n++] = (char)('0' + whole % 10);
		whole /= 10;
	} while (whole);
	while (n)
		*s++ = digits[--n];
	*s++ = '.';
	for (int i = 4; i >= 0; i--, frac /= 10)
		s[i] = (char)('0' + frac % 10);
	s += 5;
	while (s[-1] == '0')
		s--;
	if (s[-1] == '.')
		s--;
	return (size_t)(s - out);
}

/* Write the numbers v[0..n) and then op, as libharu's operators do. */
static bool put_op(HPDF_Page hp, const float *v, int n, const char *op)
{
	char buf[16 * 4 + 8];
	size_t len = 0;
	for (int i = 0; i < n; i++) {
		len += tsh_real(buf + len, v[i]);
		buf[len++] = ' ';
	}
	size_t ol = strlen(op);
	memcpy(buf + len, op, ol);
	buf[len + ol] = '\012';
	return tsh_page_write(hp, buf, len + ol + 1);
}

bool tsh_page_td(HPDF_Page hp, float x, float y)
{
	const float v[2] = {x, y};
	return put_op(hp, v, 2, "Td");
}

bool tsh_page_rgb_fill(HPDF_Page hp, float r, float g, float b)
{
	const float v[3] = {r, g, b};
	return put_op(hp, v, 3, "rg");
}

static bool plain_name(const char *s)
{
	for (; *s; s++)
		if (!(*s >= 'A' && *s <= 'Z') && !(*s >= 'a' && *s <= 'z') && !(*s >= '0' && *s <= '9'))
			return false;
	return true;
}

bool tsh_page_font(HPDF_Page hp, HPDF_Font font, float size)
{
	HPDF_PageAttr attr = hp ? (HPDF_PageAttr)hp->attr : NULL;
	const char *name = attr && font && size > 0 && size <= HPDF_MAX_FONTSIZE
			   ? HPDF_Page_GetLocalFontName(hp, font) : NULL;
	if (!name || !plain_name(name) || strlen(name) > 32)
		return HPDF_Page_SetFontAndSize(hp, font, size) == HPDF_OK;   /* its checks */
	char buf[32 + 16 + 8];
	size_t n = strlen(name);
	buf[0] = '/';
	memcpy(buf + 1, name, n);
	buf[++n] = ' ';
	n++;
	n += tsh_real(buf + n, size);
	memcpy(buf + n, " Tf\012", 4);
	attr->gstate->font = font;   /* what libharu's function records */
	attr->gstate->font_size = size;
	attr->gstate->writing_mode = ((HPDF_FontAttr)font->attr)->writing_mode;
	return tsh_page_write(hp, buf, n + 4);
}

/* A list's block of item pointers cut to its items (libharu gives each
 * list room for 20 at first): more may still be added (it grows again). */
static void fit_list(HPDF_List l)
{
	if (!l || !l->obj || !l->count || l->count >= l->block_siz)
		return;
	void **obj = HPDF_GetMem(l->mmgr, sizeof *obj * l->count);
	if (!obj)
		return;
	memcpy(obj, l->obj, sizeof *obj * l->count);
	HPDF_FreeMem(l->mmgr, l->obj);
	l->obj = obj;
	l->block_siz = l->count;
}

void tsh_array_fit(HPDF_Array a)
{
	if (a)
		fit_list(a->list);
}

/* The lists of dictionary d and of the dictionaries and arrays in it. */
static void fit_dict(HPDF_Dict d)
{
	if (!d)
		return;
	fit_list(d->list);
	for (HPDF_UINT i = 0; i < d->list->count; i++) {
		HPDF_DictElement el = HPDF_List_ItemAt(d->list, i);
		HPDF_Obj_Header *h = el ? el->value : NULL;
		if (!h || (h->obj_id & HPDF_OTYPE_INDIRECT))
			continue;
		if ((h->obj_class & HPDF_OCLASS_ANY) == HPDF_OCLASS_ARRAY)
			fit_list(((HPDF_Array)h)->list);
		else if ((h->obj_class & HPDF_OCLASS_ANY) == HPDF_OCLASS_DICT)
			fit_dict((HPDF_Dict)h);
	}
}

void tsh_page_fit(HPDF_Page hp)
{
	if (!hp || !hp->attr)
		return;
	fit_dict(hp);
	fit_dict(((HPDF_PageAttr)hp->attr)->contents);
}

/* Write n bytes into st; into an empty memory stream as one block of
 * exactly n bytes (libharu's blocks have a fixed size: the last block of
 * a deflated page is half empty on average). */
static bool stream_put(HPDF_Stream st, const void *p, size_t n)
{
	if (st && st->type == HPDF_STREAM_MEMORY && n && !st->size) {
		HPDF_MemStreamAttr a = st->attr;
		if (a->buf->count == 0) {
			a->buf_siz = (HPDF_UINT)n;
			a->w_pos = (HPDF_UINT)n;   /* full: the first write takes a block */
			a->w_ptr = NULL;
		}
	}
	bool ok = HPDF_Stream_Write(st, (const HPDF_BYTE *)p, (HPDF_UINT)n) == HPDF_OK;
	if (ok && st->type == HPDF_STREAM_MEMORY)
		fit_list(((HPDF_MemStreamAttr)st->attr)->buf);
	return ok;
}

/* ---- sealed dictionaries --------------------------------------------------------------- */

/* The bytes of a sealed dictionary's entries, in its attr. */
typedef struct sealed {
	size_t len;
	char text[];
} sealed;

static HPDF_STATUS write_sealed(HPDF_Dict d, HPDF_Stream st)
{
	const sealed *s = d->attr;
	return HPDF_Stream_Write(st, (const HPDF_BYTE *)s->text, (HPDF_UINT)s->len);
}

static void free_sealed(HPDF_Dict d)
{
	free(d->attr);
	d->attr = NULL;
}

/* The entries of d as HPDF_Dict_Write writes them between << and >>
 * (hidden ones left out), into out. */
static bool write_entries(HPDF_Dict d, qbuf *out)
{
	qbuf_reset(out);
	HPDF_Stream st = HPDF_CallbackWriter_New(d->mmgr, out_write, out);
	if (!st)
		return false;
	HPDF_STATUS r = HPDF_OK;
	for (HPDF_UINT i = 0; r == HPDF_OK && i < d->list->count; i++) {
		HPDF_DictElement el = HPDF_List_ItemAt(d->list, i);
		if (!el || !el->value) {
			r = HPDF_INVALID_OBJECT;
			break;
		}
		if (((HPDF_Obj_Header *)el->value)->obj_id & HPDF_OTYPE_HIDDEN)
			continue;
		r = HPDF_Stream_WriteEscapeName(st, el->key);
		if (r == HPDF_OK)
			r = HPDF_Stream_WriteChar(st, ' ');
		if (r == HPDF_OK)
			r = HPDF_Obj_Write(el->value, st, NULL);
		if (r == HPDF_OK)
			r = HPDF_Stream_WriteStr(st, "\012");
	}
	HPDF_Stream_Free(st);
	return r == HPDF_OK;
}

bool tsh_dict_seal(HPDF_Dict d, qbuf *scratch)
{
	if (!d || d->stream || d->attr || d->before_write_fn || d->write_fn || d->free_fn ||
	    !write_entries(d, scratch))
		return false;
	sealed *s = qxmalloc(sizeof *s + scratch->len);
	s->len = scratch->len;
	memcpy(s->text, scratch->ptr, scratch->len);
	for (HPDF_UINT i = 0; i < d->list->count; i++) {
		HPDF_DictElement el = HPDF_List_ItemAt(d->list, i);
		HPDF_Obj_Free(d->mmgr, el->value);
		HPDF_FreeMem(d->mmgr, el);
	}
	HPDF_List_Clear(d->list);
	d->attr = s;
	d->write_fn = write_sealed;
	d->free_fn = free_sealed;
	return true;
}

/* What libharu's outline writer does before writing bookmark o, whose
 * children show `shown` bookmarks: /Count, negative when o is closed. */
static void outline_count(HPDF_Outline o, unsigned shown)
{
	if (shown)
		HPDF_Dict_AddNumber(o, "Count", HPDF_Outline_GetOpened(o) ? (HPDF_INT32)shown
									 : -(HPDF_INT32)shown);
	o->before_write_fn = NULL;
}

unsigned tsh_outline_seal(HPDF_Outline o, unsigned shown, qbuf *scratch)
{
	if (!o)
		return 0;
	bool open = HPDF_Outline_GetOpened(o);
	if (!HPDF_Dict_GetItem(o, "Count", HPDF_OCLASS_NUMBER)) {
		outline_count(o, shown);
		tsh_dict_seal(o, scratch);
	}
	return 1 + (open ? shown : 0);
}

void tsh_outline_seal_root(HPDF_Doc pdf, unsigned shown, qbuf *scratch)
{
	if (pdf->outlines && !HPDF_Dict_GetItem(pdf->outlines, "Count", HPDF_OCLASS_NUMBER)) {
		outline_count(pdf->outlines, shown);
		tsh_dict_seal(pdf->outlines, scratch);
	}
}

/* ---- deflating finished streams -------------------------------------------------------- */

/* A finished page's content deflated on a thread of the pool while the
 * next pages are drawn: the task touches only its own buffers and its
 * compressor, never libharu; the page gets the bytes on the drawing
 * thread. */
typedef struct page_job {
	qtask t;
	struct libdeflate_compressor *z;   /* NULL: out of memory */
	qbuf in, out;
	HPDF_Page page;      /* the page whose content `in` is */
	bool queued;         /* pushed, and its page not given the bytes yet */
	bool ok;
} page_job;

/* How many sealed pages may wait for their bytes: the drawing thread
 * waits for a page only when this many are still being deflated, so
 * that it does not stop at every page for a pool thread to wake up. */
#define TSH_AHEAD 4

struct tsh_zip {
	struct libdeflate_compressor *z;   /* NULL: out of memory */
	qbuf in, out;
	HPDF_Stream sink;    /* appends to in: the page being drawn writes here */
	HPDF_Page page;      /* that page, whose own stream is saved below */
	HPDF_Stream saved;
	qpool *pool;         /* NULL: pages are deflated as they are sealed */
	page_job jobs[TSH_AHEAD];   /* a ring, in the order the pages were sealed */
	int first, queued;   /* jobs[first] is the earliest of `queued` in flight */
};

/* The level of the streams quire deflates itself (libdeflate's: its
 * level 1 makes smaller streams than zlib's level 1, several times
 * faster). One level for every compressor, so that which one deflated a
 * stream never shows in its bytes. */
#define TSH_LEVEL 1

tsh_zip *tsh_zip_new(void)
{
	tsh_zip *z = qxmalloc(sizeof *z);
	memset(z, 0, sizeof *z);
	qbuf_init(&z->in);
	qbuf_init(&z->out);
	z->z = libdeflate_alloc_compressor(TSH_LEVEL);
	return z;
}

/* Deflate n bytes with c (a zlib stream, as FlateDecode reads) into out. */
static bool deflate_into(struct libdeflate_compressor *c, const void *p, size_t n, qbuf *out)
{
	if (!c)
		return false;
	qbuf_reset(out);
	qbuf_grow(out, libdeflate_zlib_compress_bound(c, n) + 1);
	out->len = libdeflate_zlib_compress(c, p, n, out->ptr, out->cap - 1);
	return out->len > 0;
}

/* Deflate n bytes into z->out. */
static bool zip_bytes(tsh_zip *z, const void *p, size_t n)
{
	return deflate_into(z->z, p, n, &z->out);
}

static void page_job_run(qtask *t, int worker)
{
	(void)worker;
	page_job *j = (page_job *)t;
	j->ok = deflate_into(j->z, j->in.ptr, j->in.len, &j->out);
}

void tsh_zip_use_pool(tsh_zip *z, qpool *pool)
{
	if (!z || z->pool || !pool)
		return;
	for (int i = 0; i < TSH_AHEAD; i++) {
		page_job *j = &z->jobs[i];
		qbuf_init(&j->in);
		qbuf_init(&j->out);
		j->t.run = page_job_run;
		j->z = libdeflate_alloc_compressor(TSH_LEVEL);
	}
	z->pool = pool;
}

void tsh_zip_free(tsh_zip *z)
{
	if (!z)
		return;
	if (z->page)   /* a page begun and never sealed gets its stream back */
		((HPDF_PageAttr)z->page->attr)->stream = z->saved;
	for (int i = 0; z->pool && i < TSH_AHEAD; i++) {   /* pages never flushed are dropped */
		page_job *j = &z->jobs[i];
		if (j->queued)
			qpool_wait_task(z->pool, &j->t);
		libdeflate_free_compressor(j->z);
		qbuf_free(&j->in);
		qbuf_free(&j->out);
	}
	if (z->sink)
		HPDF_Stream_Free(z->sink);
	libdeflate_free_compressor(z->z);
	qbuf_free(&z->in);
	qbuf_free(&z->out);
	free(z);
}

/* Written inside the dictionary of a stream quire deflated: the same
 * entry libharu writes for the streams it deflates. */
static HPDF_STATUS write_flate_filter(HPDF_Dict obj, HPDF_Stream stream)
{
	(void)obj;
	return HPDF_Stream_WriteStr(stream, "/Filter [ /FlateDecode ]\012");
}

/* Replace the data of a stream dictionary by its deflated form. */
static bool seal_dict(tsh_zip *z, HPDF_Dict d)
{
	if (!d || !d->stream || d->write_fn || d->before_write_fn ||
	    d->filter != HPDF_STREAM_FILTER_FLATE_DECODE ||
	    d->stream->type != HPDF_STREAM_MEMORY)
		return false;
	qbuf_reset(&z->in);
	HPDF_UINT count = HPDF_MemStream_GetBufCount(d->stream);
	for (HPDF_UINT i = 0; i < count; i++) {
		HPDF_UINT len = 0;
		HPDF_BYTE *b = HPDF_MemStream_GetBufPtr(d->stream, i, &len);
		if (!b)
			return false;
		qbuf_put(&z->in, b, len);
	}
	if (!zip_bytes(z, z->in.ptr, z->in.len))
		return false;
	HPDF_MemStream_FreeData(d->stream);
	if (!stream_put(d->stream, z->out.ptr, z->out.len))
		return false;
	d->filter = HPDF_STREAM_FILTER_NONE;
	d->write_fn = write_flate_filter;
	return true;
}

static HPDF_STATUS sink_write(HPDF_Stream st, const HPDF_BYTE *p, HPDF_UINT n)
{
	tsh_zip *z = st->attr;
	qbuf_put(&z->in, p, n);
	return HPDF_OK;
}

bool tsh_page_begin(tsh_zip *z, HPDF_Page hp)
{
	if (!z || !hp || !hp->attr || z->page)
		return false;
	HPDF_PageAttr pa = (HPDF_PageAttr)hp->attr;
	if (!pa->stream || pa->stream->type != HPDF_STREAM_MEMORY || pa->stream->size)
		return false;
	if (!z->sink) {
		z->sink = HPDF_CallbackWriter_New(hp->mmgr, sink_write, z);
		if (!z->sink)
			return false;
	}
	qbuf_reset(&z->in);
	z->sink->size = 0;
	z->saved = pa->stream;
	pa->stream = z->sink;
	z->page = hp;
	return true;
}

/* A finished page's resources (procedure sets, fonts, pictures) are
 * sealed too: nothing is drawn on it again. The page's shortcuts into
 * them are cleared (they would point at freed objects). */
static void seal_resources(tsh_zip *z, HPDF_Page hp)
{
	HPDF_Dict res = HPDF_Dict_GetItem(hp, "Resources", HPDF_OCLASS_DICT);
	if (res && tsh_dict_seal(res, &z->out)) {
		HPDF_PageAttr pa = hp->attr;
		pa->fonts = pa->xobjects = pa->ext_gstates = NULL;
	}
}

/* Page hp's own, empty stream gets its content: deflated (ok) or, when
 * deflating failed, raw for libharu to deflate when it saves. */
static bool give_content(tsh_zip *z, HPDF_Page hp, bool ok, const qbuf *raw,
			 const qbuf *deflated)
{
	HPDF_PageAttr pa = hp->attr;
	if (!ok)
		return stream_put(pa->stream, raw->ptr, raw->len) && false;
	if (!stream_put(pa->stream, deflated->ptr, deflated->len))
		return false;
	pa->contents->filter = HPDF_STREAM_FILTER_NONE;
	pa->contents->write_fn = write_flate_filter;
	seal_resources(z, hp);
	return true;
}

/* The earliest page in flight gets its bytes (after its deflating is
 * done): pages get theirs in the order they were sealed. */
static bool give_earliest(tsh_zip *z)
{
	page_job *j = &z->jobs[z->first];
	qpool_wait_task(z->pool, &j->t);
	j->queued = false;
	z->first = (z->first + 1) % TSH_AHEAD;
	z->queued--;
	return give_content(z, j->page, j->ok, &j->in, &j->out);
}

bool tsh_zip_flush(tsh_zip *z)
{
	bool ok = true;
	while (z && z->pool && z->queued)
		ok = give_earliest(z) && ok;
	return ok;
}

/* The content drawn into z->in goes to the pool (it swaps buffers with
 * a free job of the ring), after the earliest page in flight gets its
 * bytes when the ring is full: the next pages are drawn meanwhile. */
static bool hand_to_pool(tsh_zip *z, HPDF_Page hp)
{
	bool ok = z->queued < TSH_AHEAD || give_earliest(z);
	page_job *j = &z->jobs[(z->first + z->queued) % TSH_AHEAD];
	qbuf t = j->in;
	j->in = z->in;
	z->in = t;
	j->page = hp;
	j->queued = true;
	z->queued++;
	qpool_push(z->pool, &j->t);
	return ok;
}

bool tsh_page_seal(tsh_zip *z, HPDF_Page hp)
{
	if (!z || !hp || !hp->attr)
		return false;
	HPDF_Dict contents = ((HPDF_PageAttr)hp->attr)->contents;
	if (z->page != hp) {
		bool ok = seal_dict(z, contents);
		if (ok)
			seal_resources(z, hp);
		return ok;
	}
	/* drawn into z->in: deflate it into the page's own, empty stream */
	((HPDF_PageAttr)hp->attr)->stream = z->saved;
	z->page = NULL;
	if (!contents || contents->stream != z->saved ||
	    contents->filter != HPDF_STREAM_FILTER_FLATE_DECODE || contents->write_fn)
		return stream_put(z->saved, z->in.ptr, z->in.len) && false;
	if (z->pool)
		return hand_to_pool(z, hp);
	bool ok = zip_bytes(z, z->in.ptr, z->in.len);
	return give_content(z, hp, ok, &z->in, &z->out);
}

/* ---- fonts ------------------------------------------------------------------------------ */

/* An empty cmap: one segment ending at U+FFFF that maps nothing. */
static HPDF_UINT16 empty_end[1] = {0xFFFF}, empty_start[1] = {0xFFFF},
		   empty_zero[1] = {0};
static HPDF_INT16 empty_delta[1] = {1};

HPDF_Font tsh_font_new(HPDF_Doc pdf, ts_fontset *fs, int face, const char **name)
{
	const char *path = ts_font_path(fs, face);
	*name = path ? HPDF_LoadTTFontFromFile(pdf, path, HPDF_TRUE) : NULL;
	HPDF_FontDef def = *name ? HPDF_GetFontDef(pdf, *name) : NULL;
	if (!def || def->type != HPDF_FONTDEF_TYPE_TRUETYPE || !def->attr) {
		HPDF_ResetError(pdf);
		return NULL;
	}
	/* While the font is created, libharu asks the cmap for the glyph of
	 * each of the 65,536 code points, by a linear scan, to fill a /W
	 * array and a CIDToGIDMap that tsh_font_finish() replaces anyway:
	 * with an empty cmap each answer takes one comparison, every glyph
	 * is .notdef and /W stays empty. */
	HPDF_TTFontDefAttr attr = (HPDF_TTFontDefAttr)def->attr;
	HPDF_TTF_CmapRange real = attr->cmap;
	if (real.format == 4) {
		attr->cmap.seg_count_x2 = 2;
		attr->cmap.end_count = empty_end;
		attr->cmap.start_count = empty_start;
		attr->cmap.id_delta = empty_delta;
		attr->cmap.id_range_offset = empty_zero;
		attr->cmap.glyph_id_array = empty_zero;
		attr->cmap.glyph_id_array_count = 0;
	}
	HPDF_Font font = HPDF_GetFont(pdf, *name, "UTF-8");
	attr->cmap = real;
	if (!font)
		HPDF_ResetError(pdf);
	return font;
}


static unsigned be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* Mark the glyphs of the code points drawn as used (TJ arrays bypass
 * libharu's measuring, which is what marks them). */
static void mark_glyphs(ts_fontset *fs, int face, const uint8_t *used,
			HPDF_FontDef def)
{
	HPDF_TTFontDefAttr attr = (HPDF_TTFontDefAttr)def->attr;
	if (!used || !attr || !attr->glyph_tbl.flgs)
		return;
	for (unsigned cp = 0; cp < 65536; cp++)
		if (used[cp >> 3] & (1u << (cp & 7))) {
			unsigned gid = ts_font_gid(fs, face, cp);
			if (gid < attr->num_glyphs)
				attr->glyph_tbl.flgs[gid] = 1;
		}
}

/* Mark every component of every used composite glyph, transitively. */
static void close_composites(ts_fontset *fs, int face, HPDF_FontDef def)
{
	HPDF_TTFontDefAttr attr = (HPDF_TTFontDefAttr)def->attr;
	size_t glen;
	const unsigned char *glyf = ts_font_table(fs, face, "glyf", &glen);
	if (!glyf || !attr || !attr->glyph_tbl.flgs || !attr->glyph_tbl.offsets)
		return;
	unsigned ng = attr->num_glyphs;
	unsigned mul = attr->header.index_to_loc_format == 0 ? 2 : 1;
	uint16_t *stack = qxmalloc(sizeof(uint16_t) * (ng + 1));
	size_t sp = 0;
	for (unsigned g = 0; g < ng; g++)
		if (attr->glyph_tbl.flgs[g])
			stack[sp++] = (uint16_t)g;
	while (sp) {
		unsigned g = stack[--sp];
		size_t off = (size_t)attr->glyph_tbl.offsets[g] * mul;
		size_t end = (size_t)attr->glyph_tbl.offsets[g + 1] * mul;
		if (end <= off + 10 || end > glen || (int16_t)be16(glyf + off) >= 0)
			continue;
		size_t q = off + 10;
		unsigned flags;
		do {
			if (q + 4 > end)
				break;
			flags = be16(glyf + q);
			unsigned comp = be16(glyf + q + 2);
			q += 4 + ((flags & 1) ? 4 : 2);
			q += (flags & 8) ? 2 : (flags & 64) ? 4 : (flags & 128) ? 8 : 0;
			if (comp < ng && !attr->glyph_tbl.flgs[comp]) {
				attr->glyph_tbl.flgs[comp] = 1;
				stack[sp++] = (uint16_t)comp;
			}
		} while (flags & 32);
	}
	free(stack);
}

/* A ToUnicode CMap: character code = Unicode code point (BMP, no
 * surrogates). */
static void tounicode_text(qbuf *b)
{
	qbuf_puts(b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
		     "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
		     "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
		     "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	int hi[256], n = 0;
	for (int h = 0; h < 256; h++)
		if (h < 0xD8 || h > 0xDF)
			hi[n++] = h;
	for (int i = 0; i < n; i += 100) {
		int m = n - i < 100 ? n - i : 100;
		qbuf_printf(b, "%d beginbfrange\n", m);
		for (int k = i; k < i + m; k++)
			qbuf_printf(b, "<%02X00> <%02XFF> <%02X00>\n", hi[k], hi[k], hi[k]);
		qbuf_puts(b, "endbfrange\n");
	}
	qbuf_puts(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
}

static bool fix_tounicode(HPDF_Doc pdf, HPDF_Font font, const qbuf *cmap)
{
	HPDF_Dict tu = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
	if (!tu || !tu->stream) {
		HPDF_ResetError(pdf);
		return true;
	}
	HPDF_MemStream_FreeData(tu->stream);
	return stream_put(tu->stream, cmap->ptr, cmap->len);
}

/* Replace the /W array (every character of the font) and the
 * CIDToGIDMap (128 KB for a font reaching U+FFFF) that libharu builds
 * when a font is created by ones that cover only the characters drawn:
 * the same values for those, much smaller files, less to compress. */
static bool shrink_font(ts_fontset *fs, int face, const uint8_t *used, HPDF_Font font)
{
	HPDF_FontAttr fa = (HPDF_FontAttr)font->attr;
	if (!used || !fa || !fa->descendant_font || !fa->map_stream)
		return true;
	int max = 0;
	for (int cp = 0; cp < 65536; cp++)
		if (used[cp >> 3] & (1u << (cp & 7)))
			max = cp;
	HPDF_Array w = HPDF_Array_New(font->mmgr);
	if (!w)
		return false;
	HPDF_Array run = NULL;
	unsigned char *map = qxmalloc((size_t)(max + 1) * 2);
	memset(map, 0, (size_t)(max + 1) * 2);
	for (int cp = 0; cp <= max; cp++) {
		if (!(used[cp >> 3] & (1u << (cp & 7)))) {
			run = NULL;
			continue;
		}
		unsigned gid = ts_font_gid(fs, face, (uint32_t)cp);
		map[2 * cp] = (unsigned char)(gid >> 8);
		map[2 * cp + 1] = (unsigned char)gid;
		if (!run) {
			HPDF_Array_AddNumber(w, cp);
			run = HPDF_Array_New(font->mmgr);
			HPDF_Array_Add(w, run);
		}
		HPDF_Array_AddNumber(run, ts_font_advance(fs, face, (uint32_t)cp));
	}
	HPDF_Dict_Add(fa->descendant_font, "W", w);
	HPDF_MemStream_FreeData(fa->map_stream->stream);
	bool ok = stream_put(fa->map_stream->stream, map, (size_t)(max + 1) * 2);
	free(map);
	return ok;
}

/* Embed our own subset of the face (see tssubset.c) by giving libharu
 * a finished font descriptor: its own writer then skips the font. */
static bool embed_subset(tsh_zip *z, ts_fontset *fs, int face, HPDF_Font font,
			 HPDF_FontDef def)
{
	HPDF_TTFontDefAttr attr = (HPDF_TTFontDefAttr)def->attr;
	HPDF_FontAttr fa = (HPDF_FontAttr)font->attr;
	if (def->descriptor || !attr || !attr->embedding || !fa)
		return true;
	qbuf sub = QBUF_INIT;
	if (!ts_font_subset(fs, face, attr->glyph_tbl.flgs, attr->num_glyphs, &sub)) {
		qbuf_free(&sub);
		return true;   /* libharu's own subset, then */
	}
	HPDF_Dict desc = HPDF_Dict_New(font->mmgr);
	HPDF_Dict ff = HPDF_DictStream_New(font->mmgr, fa->xref);
	bool ok = desc && ff && HPDF_Xref_Add(fa->xref, desc) == HPDF_OK &&
		  stream_put(ff->stream, sub.ptr, sub.len);
	if (ok) {
		ff->filter = font->filter;
		HPDF_STATUS st = HPDF_Dict_AddNumber(ff, "Length1", (HPDF_INT32)sub.len);
		st += HPDF_Dict_Add(desc, "FontFile2", ff);
		st += HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
		st += HPDF_Dict_AddName(desc, "FontName", attr->base_font);
		st += HPDF_Dict_AddNumber(desc, "Flags", (HPDF_INT32)def->flags);
		st += HPDF_Dict_Add(desc, "FontBBox", HPDF_Box_Array_New(font->mmgr, def->font_bbox));
		st += HPDF_Dict_AddNumber(desc, "ItalicAngle", def->italic_angle);
		st += HPDF_Dict_AddNumber(desc, "Ascent", def->ascent);
		st += HPDF_Dict_AddNumber(desc, "Descent", def->descent);
		st += HPDF_Dict_AddNumber(desc, "CapHeight", def->cap_height);
		st += HPDF_Dict_AddNumber(desc, "StemV", def->stemv);
		st += HPDF_Dict_AddNumber(desc, "XHeight", def->x_height);
		ok = st == HPDF_OK;
	}
	if (ok) {
		def->descriptor = desc;
		seal_dict(z, ff);   /* else libharu deflates it */
	}
	qbuf_free(&sub);
	return ok;
}

bool tsh_font_finish(HPDF_Doc pdf, tsh_zip *z, HPDF_Font font,
		     const char *name, ts_fontset *fs, int face,
		     const uint8_t *used, bool libharu_subset)
{
	bool ok = true;
	HPDF_FontDef def = HPDF_GetFontDef(pdf, name);
	if (def && def->type == HPDF_FONTDEF_TYPE_TRUETYPE) {
		mark_glyphs(fs, face, used, def);
		if (!libharu_subset) {
			close_composites(fs, face, def);
			ok &= embed_subset(z, fs, face, font, def);
		}
		ok &= shrink_font(fs, face, used, font);
	}
	qbuf cmap = QBUF_INIT;
	tounicode_text(&cmap);
	ok &= fix_tounicode(pdf, font, &cmap);
	qbuf_free(&cmap);
	return ok;
}
