/* zipout.c - the EPUB container: a zip archive built in memory with
 * libzip.
 *
 * The first entry (the mimetype) is stored, every other one deflated.
 * Every entry gets the same DOS time, computed in UTC from the build
 * time (libzip's zip_file_set_mtime would use the local time zone), and
 * the same Unix attributes, so two builds of the same notes are
 * byte-identical on any machine. libzip writes no extra fields for
 * entries added from memory.
 */
#include <stdio.h>
#include <string.h>
#include <zip.h>

#include "epub.h"

/* zlib's fastest level: deflate dominates the time of a build, and
 * level 6 makes books only about 12% smaller. */
#define QEPUB_DEFLATE_LEVEL 1

/* The build time as DOS date and time, UTC, clamped to 1980..2107. */
static void dos_time(time_t t, zip_uint16_t *dtime, zip_uint16_t *ddate)
{
	struct tm tm;
	if (t < 315532800 || !gmtime_r(&t, &tm)) {   /* before 1980 */
		*dtime = 0;
		*ddate = (zip_uint16_t)(1 << 5 | 1);
		return;
	}
	if (tm.tm_year + 1900 > 2107) {
		*dtime = (zip_uint16_t)(23 << 11 | 59 << 5 | 29);
		*ddate = (zip_uint16_t)(127 << 9 | 12 << 5 | 31);
		return;
	}
	*dtime = (zip_uint16_t)(tm.tm_hour << 11 | tm.tm_min << 5 | tm.tm_sec / 2);
	*ddate = (zip_uint16_t)((tm.tm_year + 1900 - 1980) << 9
				| (tm.tm_mon + 1) << 5 | tm.tm_mday);
}

static int add_entry(zip_t *za, const qepub_file *f, zip_uint16_t dtime,
		     zip_uint16_t ddate, zip_uint32_t level)
{
	zip_source_t *s = zip_source_buffer(za, f->data, f->len, 0);
	if (!s)
		return -1;
	zip_int64_t idx = zip_file_add(za, f->name, s, ZIP_FL_ENC_UTF_8);
	if (idx < 0) {
		zip_source_free(s);
		return -1;
	}
	zip_uint64_t i = (zip_uint64_t)idx;
	if (zip_set_file_compression(za, i, f->deflate ? ZIP_CM_DEFLATE
					   : ZIP_CM_STORE,
				     f->deflate ? level : 0) < 0
	    || zip_file_set_dostime(za, i, dtime, ddate, 0) < 0
	    || zip_file_set_external_attributes(za, i, 0, ZIP_OPSYS_UNIX,
						(zip_uint32_t)0100644 << 16) < 0)
		return -1;
	return 0;
}

/* Copy the finished archive out of its buffer source. */
static int read_back(zip_source_t *src, qbuf *out)
{
	zip_stat_t st;
	if (zip_source_stat(src, &st) < 0 || !(st.valid & ZIP_STAT_SIZE))
		return -1;
	if (zip_source_open(src) < 0)
		return -1;
	int rc = 0;
	if (!qbuf_grow(out, (size_t)st.size))
		rc = -1;
	else {
		zip_int64_t got = zip_source_read(src, out->ptr + out->len, st.size);
		if (got < 0 || (zip_uint64_t)got != st.size)
			rc = -1;
		else
			out->len += (size_t)got, out->ptr[out->len] = '\0';
	}
	zip_source_close(src);
	return rc;
}

int qepub_zip(const qepub_file *files, int n, time_t epoch, qbuf *out,
	      char *err, size_t errlen)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_t *za = src ? zip_open_from_source(src, ZIP_TRUNCATE, &ze) : NULL;
	int rc = -1;
	if (!za) {
		snprintf(err, errlen, "libzip: %s", zip_error_strerror(&ze));
		if (src)
			zip_source_free(src);
		goto done;
	}
	zip_source_keep(src);
	zip_uint16_t dtime, ddate;
	dos_time(epoch, &dtime, &ddate);
	for (int i = 0; i < n; i++) {
		if (add_entry(za, &files[i], dtime, ddate, QEPUB_DEFLATE_LEVEL) < 0) {
			snprintf(err, errlen, "libzip: %s: %s", files[i].name,
				 zip_strerror(za));
			zip_discard(za);
			zip_source_free(src);
			goto done;
		}
	}
	if (zip_close(za) < 0) {
		snprintf(err, errlen, "libzip: %s", zip_strerror(za));
		zip_discard(za);
		zip_source_free(src);
		goto done;
	}
	rc = read_back(src, out);
	if (rc < 0)
		snprintf(err, errlen, "libzip: cannot read the archive back");
	zip_source_free(src);
done:
	zip_error_fini(&ze);
	return rc;
}
