/* zipout.c - the .apkg zip, written and read in memory with libzip.
 *
 * Writing goes into a libzip buffer source, never a file, so a failure
 * leaves nothing behind (main.c writes the finished bytes atomically).
 * Entries are only stored or deflated (the only methods every Anki
 * reads) and carry a fixed time taken from the build epoch in UTC, so the
 * same deck gives the same bytes.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <zip.h>

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

static int add_entry(zip_t *za, const qapkg_entry *e, zip_uint16_t dt,
		     zip_uint16_t dd, char *err, size_t errlen)
{
	zip_source_t *s = zip_source_buffer(za, e->data, e->len, 0);
	if (!s)
		return zip_fail(e->name, zip_get_error(za), err, errlen);
	zip_int64_t idx = zip_file_add(za, e->name, s, ZIP_FL_ENC_UTF_8);
	if (idx < 0) {
		zip_source_free(s);
		return zip_fail(e->name, zip_get_error(za), err, errlen);
	}
	/* zlib's fastest level: 10% larger than level 6, 2-3 times faster */
	zip_uint32_t level = 1;
	if (zip_set_file_compression(za, (zip_uint64_t)idx,
				     e->deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE,
				     e->deflate ? level : 0) < 0
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
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
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
		if (add_entry(za, &e[i], dt, dd, err, errlen))
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
