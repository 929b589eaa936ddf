/* zip.c - zip archives by libzip for the EPUB and the Anki deck, and the
 * deflate pieces they make in parallel (see zip.h). Linked into each
 * module that needs it.
 *
 * Times: libzip 1.7 keeps an entry's time as a time_t and converts the
 * DOS time given to it through the local time zone and back; that gives
 * back the same DOS time except in the hour a local clock skips when
 * summer time starts, where mktime() moves it an hour on. Builds on one
 * machine (one time zone) are always byte-identical; the DOS time of
 * such an hour may differ between machines in different zones.
 */
#include "zip.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>
#include <zlib.h>

#include "../../util/pages.h"

#define FILE_ATTRIBUTES ((zip_uint32_t)0100644 << 16)   /* regular, rw-r--r-- */

void qzip_dos_time(long long epoch, uint16_t *dtime, uint16_t *ddate)
{
	struct tm tm;
	time_t t = (time_t)epoch;
	if (epoch < 315532800LL || !gmtime_r(&t, &tm)) {   /* before 1980 */
		*dtime = 0;
		*ddate = (uint16_t)(1 << 5 | 1);
		return;
	}
	if (tm.tm_year + 1900 > 2107) {
		*dtime = (uint16_t)(23 << 11 | 59 << 5 | 29);
		*ddate = (uint16_t)(127 << 9 | 12 << 5 | 31);
		return;
	}
	*dtime = (uint16_t)(tm.tm_hour << 11 | tm.tm_min << 5 | tm.tm_sec / 2);
	*ddate = (uint16_t)((tm.tm_year + 1900 - 1980) << 9 | (tm.tm_mon + 1) << 5 | tm.tm_mday);
}

/* ---- writing ------------------------------------------------------------- */

/* A libzip source of an already deflated member (zip_source_function(3):
 * compressed data says its method, size and CRC; libzip then copies it
 * without deflating it again). */
typedef struct raw_source {
	const qzip_member *m;
	size_t pos;
	zip_error_t error;
} raw_source;

static zip_int64_t raw_read(raw_source *r, void *data, zip_uint64_t len)
{
	size_t left = r->m->len - r->pos;
	size_t n = len < left ? (size_t)len : left;
	memcpy(data, (const char *)r->m->data + r->pos, n);
	r->pos += n;
	return (zip_int64_t)n;
}

static zip_int64_t raw_stat(raw_source *r, void *data)
{
	zip_stat_t *st = data;
	zip_stat_init(st);
	st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC
		  | ZIP_STAT_ENCRYPTION_METHOD;
	st->size = r->m->usize;
	st->comp_size = r->m->len;
	st->comp_method = ZIP_CM_DEFLATE;
	st->encryption_method = ZIP_EM_NONE;
	st->crc = r->m->crc;
	return sizeof *st;
}

static zip_int64_t raw_callback(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	raw_source *r = ud;
	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		r->pos = 0;
		return 0;
	case ZIP_SOURCE_READ:
		return raw_read(r, data, len);
	case ZIP_SOURCE_CLOSE:
	case ZIP_SOURCE_FREE:
		return 0;
	case ZIP_SOURCE_STAT:
		return len < sizeof(zip_stat_t) ? -1 : raw_stat(r, data);
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&r->error, data, len);
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ,
						      ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
						      ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
	default:
		zip_error_set(&r->error, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

static int fail(char *err, size_t errlen, const char *what, zip_error_t *e)
{
	snprintf(err, errlen, "libzip: %s: %s", what, zip_error_strerror(e));
	return -1;
}

/* Add member m as entry i of za. */
static int add_member(zip_t *za, const qzip_member *m, raw_source *raw, uint16_t dt,
		      uint16_t dd, char *err, size_t errlen)
{
	zip_source_t *s;
	if (m->how == QZIP_RAW) {
		*raw = (raw_source){.m = m};
		zip_error_init(&raw->error);
		s = zip_source_function(za, raw_callback, raw);
	} else {
		s = zip_source_buffer(za, m->data, m->len, 0);
	}
	zip_int64_t i = s ? zip_file_add(za, m->name, s, 0) : -1;
	if (i < 0) {
		zip_source_free(s);
		return fail(err, errlen, m->name, zip_get_error(za));
	}
	zip_uint64_t u = (zip_uint64_t)i;
	int rc = 0;
	if (m->how == QZIP_STORE)
		rc = zip_set_file_compression(za, u, ZIP_CM_STORE, 0);
	else if (m->how == QZIP_DEFLATE)
		rc = zip_set_file_compression(za, u, ZIP_CM_DEFLATE, 1);
	if (rc == 0)
		rc = zip_file_set_dostime(za, u, dt, dd, 0);
	if (rc == 0)
		rc = zip_file_set_external_attributes(za, u, 0, ZIP_OPSYS_UNIX, FILE_ATTRIBUTES);
	return rc ? fail(err, errlen, m->name, zip_get_error(za)) : 0;
}

/* The bytes libzip wrote into the buffer source, appended to out. */
static int copy_out(zip_source_t *src, qbuf *out, char *err, size_t errlen)
{
	zip_stat_t st;
	if (zip_source_stat(src, &st) < 0 || !(st.valid & ZIP_STAT_SIZE)
	    || zip_source_open(src) < 0)
		return fail(err, errlen, "archive", zip_source_error(src));
	int rc = 0;
	qbuf_grow(out, (size_t)st.size + 1);
	zip_int64_t got = zip_source_read(src, out->ptr + out->len, st.size);
	if (got < 0 || (zip_uint64_t)got != st.size)
		rc = fail(err, errlen, "archive", zip_source_error(src));
	else {
		out->len += (size_t)got;
		out->ptr[out->len] = '\0';
	}
	zip_source_close(src);
	return rc;
}

int qzip_write(const qzip_member *m, int n, long long epoch, qbuf *out,
	       char *err, size_t errlen)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_t *za = src ? zip_open_from_source(src, ZIP_CREATE | ZIP_TRUNCATE, &ze) : NULL;
	if (!za) {
		zip_source_free(src);
		fail(err, errlen, "new archive", &ze);
		zip_error_fini(&ze);
		return -1;
	}
	zip_source_keep(src);   /* its bytes are read after zip_close */
	raw_source *raw = calloc((size_t)(n > 0 ? n : 1), sizeof *raw);
	uint16_t dt, dd;
	qzip_dos_time(epoch, &dt, &dd);
	int rc = raw ? 0 : -1;
	if (!raw)
		snprintf(err, errlen, "out of memory");
	for (int i = 0; rc == 0 && i < n; i++)
		rc = add_member(za, &m[i], &raw[i], dt, dd, err, errlen);
	if (rc == 0 && zip_close(za) < 0)
		rc = fail(err, errlen, "writing", zip_get_error(za));
	if (rc)
		zip_discard(za);   /* also after a failed zip_close */
	else
		rc = copy_out(src, out, err, errlen);
	for (int i = 0; raw && i < n; i++)
		if (m[i].how == QZIP_RAW)
			zip_error_fini(&raw[i].error);
	free(raw);
	zip_source_free(src);
	zip_error_fini(&ze);
	return rc;
}

/* ---- reading ------------------------------------------------------------- */

/* The member's bytes into out: exactly st->size of them, then the end
 * (reading to the end makes libzip check the size and CRC). */
static int read_member(zip_t *za, zip_uint64_t i, const zip_stat_t *st, qbuf *out,
		       char *err, size_t errlen)
{
	zip_file_t *f = zip_fopen_index(za, i, 0);
	if (!f)
		return fail(err, errlen, st->name, zip_get_error(za));
	qbuf_grow(out, (size_t)st->size + 1);
	char *dst = out->ptr + out->len;
	zip_uint64_t got = 0;
	zip_int64_t r = 1;
	while (got < st->size && (r = zip_fread(f, dst + got, st->size - got)) > 0)
		got += (zip_uint64_t)r;
	char extra;
	if (r >= 0 && got == st->size)
		r = zip_fread(f, &extra, 1);
	int rc = 0;
	if (r != 0 || got != st->size) {
		if (r < 0)
			fail(err, errlen, st->name, zip_file_get_error(f));
		else
			snprintf(err, errlen, "%s: damaged (not the size its zip says)", st->name);
		rc = -1;
	}
	zip_fclose(f);
	if (rc == 0) {
		out->len += (size_t)st->size;
		out->ptr[out->len] = '\0';
	}
	return rc;
}

static int read_from(zip_t *za, const char *name, size_t max, qbuf *out, char *err,
		     size_t errlen)
{
	zip_int64_t i = zip_name_locate(za, name, 0);
	zip_stat_t st;
	if (i < 0) {
		snprintf(err, errlen, "no %s in the zip", name);
		return -1;
	}
	if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) < 0)
		return fail(err, errlen, name, zip_get_error(za));
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
		snprintf(err, errlen, "%s is encrypted", name);
		return -1;
	}
	if (!(st.valid & ZIP_STAT_COMP_METHOD)
	    || (st.comp_method != ZIP_CM_STORE && st.comp_method != ZIP_CM_DEFLATE)) {
		snprintf(err, errlen, "%s: compression method %u (not read)", name,
			 (unsigned)st.comp_method);
		return -1;
	}
	if (!(st.valid & ZIP_STAT_SIZE) || st.size > max) {
		snprintf(err, errlen, "%s unpacks to %llu bytes, more than the %zu read", name,
			 (unsigned long long)st.size, max);
		return -2;
	}
	return read_member(za, (zip_uint64_t)i, &st, out, err, errlen);
}

int qzip_read(const void *zip, size_t n, const char *name, size_t max, qbuf *out,
	      char *err, size_t errlen)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(zip, n, 0, &ze);
	zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze) : NULL;
	int rc = -1;
	if (!za) {
		zip_source_free(src);
		snprintf(err, errlen, "not a zip file (libzip: %s)", zip_error_strerror(&ze));
	} else {
		rc = read_from(za, name, max, out, err, errlen);
		zip_discard(za);
	}
	zip_error_fini(&ze);
	return rc;
}

/* ---- deflating in pieces ------------------------------------------------ */

/* zlib's allocator for a stream: its few blocks (five for deflate) from
 * util/pages.h, remembered with their sizes for zfree. */
static voidpf stream_alloc(voidpf opaque, uInt items, uInt size)
{
	qzip_stream *s = opaque;
	size_t n = (size_t)items * size;
	for (size_t i = 0; i < sizeof s->mem / sizeof s->mem[0]; i++)
		if (!s->mem[i].p) {
			s->mem[i].p = qpages_take(n);
			s->mem[i].n = n;
			return s->mem[i].p;
		}
	return Z_NULL;   /* zlib reports Z_MEM_ERROR */
}

static void stream_free(voidpf opaque, voidpf p)
{
	qzip_stream *s = opaque;
	for (size_t i = 0; i < sizeof s->mem / sizeof s->mem[0]; i++)
		if (s->mem[i].p == p) {
			qpages_give(p, s->mem[i].n);
			s->mem[i].p = NULL;
			return;
		}
}

z_stream *qzip_stream_reset(qzip_stream *s)
{
	if (s->ready)
		return deflateReset(&s->z) == Z_OK ? &s->z : NULL;
	memset(s, 0, sizeof *s);
	s->z.zalloc = stream_alloc;
	s->z.zfree = stream_free;
	s->z.opaque = s;
	if (deflateInit2(&s->z, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	s->ready = true;
	return &s->z;
}

void qzip_stream_end(qzip_stream *s)
{
	if (s->ready)
		deflateEnd(&s->z);
	s->ready = false;
}

size_t qzip_deflate_piece(z_stream *z, const unsigned char *dict, size_t dlen,
			  const unsigned char *in, size_t n, bool last,
			  unsigned char *out, size_t cap)
{
	if (dlen && deflateSetDictionary(z, dict, (uInt)dlen) != Z_OK)
		return 0;
	z->next_in = (Bytef *)in;
	z->avail_in = (uInt)n;
	z->next_out = out;
	z->avail_out = (uInt)cap;
	int r = deflate(z, last ? Z_FINISH : Z_SYNC_FLUSH);
	bool done = last ? r == Z_STREAM_END : r == Z_OK && z->avail_out > 0;
	return done && z->avail_in == 0 ? cap - z->avail_out : 0;
}

/* qzip_deflate_all: pieces of about an eighth of the data, within these
 * bounds, each primed with the DICT bytes before it (the stream is then
 * less than 0.5% larger than one made in one go). Priming costs about as
 * much as deflating the DICT bytes, so a small collection is cut in few
 * pieces. Their number is even, so that two processors (or four) finish
 * together instead of one deflating the last piece alone; it depends on
 * the size of the data only, never on the processors, so the bytes do
 * not either. */
#define PIECE_MIN ((size_t)128 << 10)
#define PIECE_MAX ((size_t)1 << 20)
#define DICT ((size_t)16 << 10)

typedef struct piece {
	const unsigned char *in;
	size_t n, dlen;
	bool last;
	unsigned char *out;
	size_t olen;
	uLong crc;
} piece;

typedef struct pieces {
	piece *v;
	qzip_stream *streams;     /* one per worker */
} pieces;

static void deflate_one(void *ctx, int worker, int i)
{
	pieces *ps = ctx;
	piece *p = &ps->v[i];
	z_stream *z = qzip_stream_reset(&ps->streams[worker]);
	p->crc = crc32_z(0L, p->in, p->n);
	size_t cap = z ? deflateBound(z, (uLong)p->n) + 16 : 0;
	p->out = z ? malloc(cap) : NULL;
	if (p->out)
		p->olen = qzip_deflate_piece(z, p->in - p->dlen, p->dlen, p->in, p->n, p->last,
					     p->out, cap);
}

int qzip_deflate_all(qpool *pool, const void *data, size_t n, qbuf *out, uint32_t *crc)
{
	size_t want = n / 8 < PIECE_MIN ? PIECE_MIN : n / 8 > PIECE_MAX ? PIECE_MAX : n / 8;
	int np = (int)(n / want / 2 * 2);
	if (np < 1)
		np = 1;
	pieces ps = {calloc((size_t)np, sizeof(piece)),
		     calloc((size_t)qpool_size(pool), sizeof(qzip_stream))};
	int rc = ps.v && ps.streams ? 0 : -1;
	for (int i = 0; rc == 0 && i < np; i++) {
		size_t a = n * (size_t)i / (size_t)np, b = n * (size_t)(i + 1) / (size_t)np;
		ps.v[i] = (piece){.in = (const unsigned char *)data + a, .n = b - a,
				  .dlen = a < DICT ? a : DICT, .last = i == np - 1};
	}
	if (rc == 0)
		qpool_for(pool, np, deflate_one, &ps);
	uLong c = crc32_z(0L, Z_NULL, 0);
	for (int i = 0; rc == 0 && i < np; i++) {
		if (!ps.v[i].olen)
			rc = -1;
		qbuf_put(out, ps.v[i].out, ps.v[i].olen);
		c = crc32_combine(c, ps.v[i].crc, (z_off_t)ps.v[i].n);
	}
	*crc = (uint32_t)c;
	for (int i = 0; ps.v && i < np; i++)
		free(ps.v[i].out);
	for (int w = 0; ps.streams && w < qpool_size(pool); w++)
		qzip_stream_end(&ps.streams[w]);
	free(ps.v);
	free(ps.streams);
	return rc;
}
