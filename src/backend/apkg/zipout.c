/* zipout.c - the .apkg zip, written and read in memory with libzip.
 *
 * Writing goes into a libzip buffer source, never a file, so a failure
 * leaves nothing behind (main.c writes the finished bytes atomically).
 * Entries are only stored or deflated (the only methods every Anki
 * reads) and carry a fixed time taken from the build epoch in UTC, so the
 * same deck gives the same bytes.
 *
 * The collection comes already deflated (deflate.c, on several threads):
 * libzip is told so by the source's stat and copies the stream as it is.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>
#include <zlib.h>

#include "apkg.h"

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

/* A libzip source of data that is already deflated: its stat says so,
 * and libzip copies it without compressing again. */
typedef struct raw_source {
	const qapkg_entry *e;
	size_t pos;
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
	st->size = r->e->usize;
	st->comp_size = r->e->len;
	st->comp_method = ZIP_CM_DEFLATE;
	st->crc = r->e->crc;
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
		k = r->e->len - r->pos < n ? r->e->len - r->pos : (size_t)n;
		memcpy(buf, (const char *)r->e->data + r->pos, k);
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

/* The source of an entry: stored bytes, or a deflate stream (through r,
 * which must outlive the archive). */
static zip_source_t *entry_source(zip_t *za, const qapkg_entry *e, raw_source *r)
{
	if (!e->deflated)
		return zip_source_buffer(za, e->data, e->len, 0);
	r->e = e;
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
	bool stored = !e->deflated;
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
	for (int i = 0; raw && i < n; i++)
		zip_error_init(&raw[i].err);
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
	for (int i = 0; raw && i < n; i++)
		zip_error_fini(&raw[i].err);
	free(raw);
	zip_error_fini(&ze);
	return rc;
}

/* A deflated entry: its raw bytes from libzip (ZIP_FL_COMPRESSED), then
 * inflated here in one call, straight into out, and its CRC checked.
 * Faster than libzip's reading in small steps through layers of
 * sources; the same checks. */
static int read_deflated(zip_t *za, zip_uint64_t idx, const zip_stat_t *st, qbuf *out,
			 const char *name, char *err, size_t errlen)
{
	qbuf raw = QBUF_INIT;
	z_stream z;
	memset(&z, 0, sizeof z);
	int rc = -1;
	zip_file_t *f = zip_fopen_index(za, idx, ZIP_FL_COMPRESSED);
	if (!f)
		return zip_fail(name, zip_get_error(za), err, errlen);
	if (!qbuf_grow(&raw, (size_t)st->comp_size) || !qbuf_grow(out, (size_t)st->size)) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	zip_int64_t got = zip_fread(f, raw.ptr, st->comp_size);
	if (got < 0 || (zip_uint64_t)got != st->comp_size) {
		zip_fail(name, zip_file_get_error(f), err, errlen);
		goto done;
	}
	if (inflateInit2(&z, -15) != Z_OK) {
		snprintf(err, errlen, "%s: zlib: cannot inflate", name);
		goto done;
	}
	z.next_in = (Bytef *)raw.ptr;
	z.avail_in = (uInt)st->comp_size;
	z.next_out = (Bytef *)out->ptr + out->len;
	z.avail_out = (uInt)st->size;
	bool ok = inflate(&z, Z_FINISH) == Z_STREAM_END && z.total_out == st->size
		  && crc32(0L, (const Bytef *)out->ptr + out->len, (uInt)st->size) == st->crc;
	inflateEnd(&z);
	if (!ok) {
		snprintf(err, errlen, "%s: damaged (not the size or CRC its zip says)", name);
		goto done;
	}
	out->len += (size_t)st->size;
	out->ptr[out->len] = '\0';
	rc = 0;
done:
	zip_fclose(f);
	qbuf_free(&raw);
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
	const zip_uint64_t need = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD
				  | ZIP_STAT_CRC | ZIP_STAT_ENCRYPTION_METHOD;
	if ((st.valid & need) == need && st.comp_method == ZIP_CM_DEFLATE
	    && st.encryption_method == ZIP_EM_NONE && st.size <= UINT32_MAX
	    && st.comp_size <= UINT32_MAX)
		return read_deflated(za, (zip_uint64_t)idx, &st, out, name, err, errlen);
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
