/* zipout.c - the .apkg zip, written and read in memory with libzip.
 *
 * Writing goes into a libzip buffer source, never a file, so a failure
 * leaves nothing behind (main.c writes the finished bytes atomically).
 * Entries are only stored or deflated (the only methods every Anki
 * reads) and carry a fixed time taken from the build epoch in UTC, so the
 * same deck gives the same bytes.
 *
 * The collection is deflated here, not by libzip: in chunks of a fixed
 * size, several at a time (each chunk primed with the 32 KB before it, so
 * the ratio stays that of one stream), joined into one raw deflate
 * stream that libzip copies as it is. Chunk borders do not depend on the
 * number of processors, so neither do the bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>
#include <zlib.h>

#include "apkg.h"

#define CHUNK ((size_t)128 << 10)   /* bytes of input per deflate job */
#define WINDOW ((size_t)32 << 10)   /* deflate's window: the dictionary */
#define LEVEL 1                     /* zlib's fastest: 10% over level 6 */

static int zip_fail(const char *what, zip_error_t *ze, char *err, size_t errlen)
{
	snprintf(err, errlen, "zip: %s: %s", what, ze ? zip_error_strerror(ze) : "failed");
	return -1;
}

/* The MS-DOS date and time of an epoch, in UTC, within 1980..2107. */
static void dos_time(long long epoch, zip_uint16_t *dtime, zip_uint16_t *ddate)
{
	struct tm tm;
	time_t t = (time_t)epoch;
	if (epoch < 315532800LL || !gmtime_r(&t, &tm)) {
		*dtime = 0;
		*ddate = (1 << 5) | 1;   /* 1980-01-01 00:00 */
		return;
	}
	if (tm.tm_year > 207) {
		tm.tm_year = 207;
		tm.tm_mon = 11;
		tm.tm_mday = 31;
	}
	*dtime = (zip_uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
	*ddate = (zip_uint16_t)(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
}

/* ---- deflate in chunks ------------------------------------------------ */

typedef struct chunk {
	unsigned char *out;
	size_t olen;
	uLong crc;
	int rc;
} chunk;

typedef struct deflater {
	const unsigned char *in;
	size_t n;
	chunk *c;
	int nchunks;
} deflater;

/* One chunk as raw deflate: primed with the window before it, ending on
 * a byte boundary (sync flush), the last one with the final block. */
static void deflate_job(void *ctx, int worker, int job)
{
	const deflater *d = ctx;
	chunk *c = &d->c[job];
	size_t off = (size_t)job * CHUNK, n = d->n - off < CHUNK ? d->n - off : CHUNK;
	bool last = job == d->nchunks - 1;
	z_stream z;
	memset(&z, 0, sizeof z);
	c->rc = -1;
	if (deflateInit2(&z, LEVEL, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return;
	size_t dict = off < WINDOW ? off : WINDOW;
	size_t cap = deflateBound(&z, n) + 64;
	c->out = malloc(cap);
	if (c->out && (!dict || deflateSetDictionary(&z, d->in + off - dict, (uInt)dict) == Z_OK)) {
		z.next_in = (Bytef *)(d->in + off);
		z.avail_in = (uInt)n;
		z.next_out = c->out;
		z.avail_out = (uInt)cap;
		int r = deflate(&z, last ? Z_FINISH : Z_SYNC_FLUSH);
		c->olen = cap - z.avail_out;
		bool done = last ? r == Z_STREAM_END : r == Z_OK && z.avail_out > 0;
		c->rc = done && z.avail_in == 0 ? 0 : -1;
	}
	c->crc = crc32(0L, d->in + off, (uInt)n);
	deflateEnd(&z);
}

/* n > 0 bytes as one raw deflate stream in out; *crc of the input. */
static int deflate_all(const void *in, size_t n, qbuf *out, uLong *crc)
{
	deflater d = {in, n, NULL, (int)((n + CHUNK - 1) / CHUNK)};
	d.c = calloc((size_t)d.nchunks, sizeof *d.c);
	int rc = d.c ? 0 : -1;
	if (rc == 0)
		qapkg_parallel(d.nchunks, qapkg_workers(d.nchunks), deflate_job, &d);
	*crc = crc32(0L, Z_NULL, 0);
	for (int i = 0; rc == 0 && i < d.nchunks; i++) {
		size_t len = (size_t)i * CHUNK + CHUNK <= n ? CHUNK : n - (size_t)i * CHUNK;
		rc = d.c[i].rc;
		qbuf_put(out, d.c[i].out, d.c[i].olen);
		*crc = crc32_combine(*crc, d.c[i].crc, (z_off_t)len);
	}
	for (int i = 0; d.c && i < d.nchunks; i++)
		free(d.c[i].out);
	free(d.c);
	return rc == 0 && qbuf_ok(out) ? 0 : -1;
}

/* A libzip source of data that is already deflated: its stat says so,
 * and libzip copies it without compressing again. */
typedef struct raw_source {
	qbuf data;
	size_t pos;
	zip_uint64_t size;
	zip_uint32_t crc;
	zip_error_t err;
} raw_source;

static zip_int64_t raw_stat(raw_source *r, void *buf, zip_uint64_t n)
{
	zip_stat_t *st = buf;
	if (n < sizeof *st) {
		zip_error_set(&r->err, ZIP_ER_INVAL, 0);
		return -1;
	}
	zip_stat_init(st);
	st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC;
	st->size = r->size;
	st->comp_size = r->data.len;
	st->comp_method = ZIP_CM_DEFLATE;
	st->crc = r->crc;
	return (zip_int64_t)sizeof *st;
}

static zip_int64_t raw_cb(void *ud, void *buf, zip_uint64_t n, zip_source_cmd_t cmd)
{
	raw_source *r = ud;
	size_t k;
	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		r->pos = 0;
		return 0;
	case ZIP_SOURCE_READ:
		k = r->data.len - r->pos < n ? r->data.len - r->pos : (size_t)n;
		memcpy(buf, r->data.ptr + r->pos, k);
		r->pos += k;
		return (zip_int64_t)k;
	case ZIP_SOURCE_CLOSE:
	case ZIP_SOURCE_FREE:
		return 0;
	case ZIP_SOURCE_STAT:
		return raw_stat(r, buf, n);
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&r->err, buf, n);
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ,
						      ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
						      ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
	default:
		zip_error_set(&r->err, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

/* The source of an entry: the bytes as they are (stored), or deflated
 * here into r (which must outlive the archive). */
static zip_source_t *entry_source(zip_t *za, const qapkg_entry *e, raw_source *r)
{
	if (!e->deflate || e->len == 0)
		return zip_source_buffer(za, e->data, e->len, 0);
	uLong crc;
	if (deflate_all(e->data, e->len, &r->data, &crc)) {
		zip_error_set(zip_get_error(za), ZIP_ER_ZLIB, 0);
		return NULL;
	}
	r->size = e->len;
	r->crc = (zip_uint32_t)crc;
	return zip_source_function(za, raw_cb, r);
}

static int add_entry(zip_t *za, const qapkg_entry *e, raw_source *r,
		     zip_uint16_t dt, zip_uint16_t dd, char *err, size_t errlen)
{
	zip_source_t *s = entry_source(za, e, r);
	if (!s)
		return zip_fail(e->name, zip_get_error(za), err, errlen);
	zip_int64_t idx = zip_file_add(za, e->name, s, ZIP_FL_ENC_UTF_8);
	if (idx < 0) {
		zip_source_free(s);
		return zip_fail(e->name, zip_get_error(za), err, errlen);
	}
	bool stored = !e->deflate || e->len == 0;
	if ((stored && zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0) < 0)
	    || zip_file_set_dostime(za, (zip_uint64_t)idx, dt, dd, 0) < 0)
		return zip_fail(e->name, zip_get_error(za), err, errlen);
	return 0;
}

/* Copy the whole content of a source (after zip_close) into out. */
static int source_bytes(zip_source_t *src, qbuf *out, char *err, size_t errlen)
{
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_source_stat(src, &st) < 0 || !(st.valid & ZIP_STAT_SIZE)
	    || zip_source_open(src) < 0)
		return zip_fail("read back", zip_source_error(src), err, errlen);
	int rc = 0;
	if (!qbuf_grow(out, (size_t)st.size))
		rc = -1;
	zip_uint64_t got = 0;
	while (rc == 0 && got < st.size) {
		zip_int64_t r = zip_source_read(src, out->ptr + out->len, st.size - got);
		if (r <= 0) {
			rc = zip_fail("read back", zip_source_error(src), err, errlen);
			break;
		}
		out->len += (size_t)r;
		got += (zip_uint64_t)r;
	}
	if (out->cap > out->len)
		out->ptr[out->len] = '\0';
	zip_source_close(src);
	return rc;
}

int qapkg_zip(const qapkg_entry *e, int n, long long epoch, qbuf *out,
	      char *err, size_t errlen)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_t *za = NULL;
	int rc = -1;
	raw_source *raw = calloc((size_t)(n > 0 ? n : 1), sizeof *raw);
	for (int i = 0; raw && i < n; i++) {
		qbuf_init(&raw[i].data);
		zip_error_init(&raw[i].err);
	}
	zip_source_t *src = raw ? zip_source_buffer_create(NULL, 0, 0, &ze) : NULL;
	if (!src) {
		zip_fail("create", &ze, err, errlen);
		goto done;
	}
	za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	if (!za) {
		zip_fail("open", &ze, err, errlen);
		goto done;
	}
	zip_source_keep(src);   /* it outlives the archive: the result */
	zip_uint16_t dt, dd;
	dos_time(epoch, &dt, &dd);
	for (int i = 0; i < n; i++)
		if (add_entry(za, &e[i], &raw[i], dt, dd, err, errlen))
			goto done;
	if (zip_close(za) < 0) {
		zip_fail("write", zip_get_error(za), err, errlen);
		goto done;
	}
	za = NULL;
	rc = source_bytes(src, out, err, errlen);
done:
	if (za)
		zip_discard(za);
	if (src)
		zip_source_free(src);
	for (int i = 0; raw && i < n; i++) {
		qbuf_free(&raw[i].data);
		zip_error_fini(&raw[i].err);
	}
	free(raw);
	zip_error_fini(&ze);
	return rc;
}

static int read_entry(zip_t *za, const char *name, size_t max, qbuf *out,
		      char *err, size_t errlen)
{
	zip_int64_t idx = zip_name_locate(za, name, 0);
	zip_stat_t st;
	zip_stat_init(&st);
	if (idx < 0) {
		snprintf(err, errlen, "no %s in the zip", name);
		return -1;
	}
	if (zip_stat_index(za, (zip_uint64_t)idx, 0, &st) < 0 || !(st.valid & ZIP_STAT_SIZE))
		return zip_fail(name, zip_get_error(za), err, errlen);
	if (st.size > max) {
		snprintf(err, errlen, "%s is too large", name);
		return -1;
	}
	zip_file_t *f = zip_fopen_index(za, (zip_uint64_t)idx, 0);
	if (!f)
		return zip_fail(name, zip_get_error(za), err, errlen);
	int rc = qbuf_grow(out, (size_t)st.size) ? 0 : -1;
	zip_uint64_t got = 0;
	while (rc == 0 && got < st.size) {
		zip_int64_t r = zip_fread(f, out->ptr + out->len, st.size - got);
		if (r <= 0) {
			rc = zip_fail(name, zip_file_get_error(f), err, errlen);
			break;
		}
		out->len += (size_t)r;
		got += (zip_uint64_t)r;
	}
	if (out->cap > out->len)
		out->ptr[out->len] = '\0';
	zip_fclose(f);
	return rc;
}

int qapkg_unzip_file(const char *path, const char *name, size_t max,
		     qbuf *out, char *err, size_t errlen)
{
	int zerr = 0;
	zip_t *za = zip_open(path, ZIP_RDONLY, &zerr);
	if (!za) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, zerr);
		zip_fail("open", &ze, err, errlen);
		zip_error_fini(&ze);
		return -1;
	}
	int rc = read_entry(za, name, max, out, err, errlen);
	zip_discard(za);
	return rc;
}

int qapkg_unzip_mem(const void *zip, size_t n, const char *name, size_t max,
		    qbuf *out, char *err, size_t errlen)
{
	zip_error_t ze;
	zip_error_init(&ze);
	int rc = -1;
	zip_source_t *src = zip_source_buffer_create(zip, n, 0, &ze);
	zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
	if (!za) {
		zip_fail("open", &ze, err, errlen);
		if (src)
			zip_source_free(src);
	} else {
		rc = read_entry(za, name, max, out, err, errlen);
		zip_discard(za);
	}
	zip_error_fini(&ze);
	return rc;
}
