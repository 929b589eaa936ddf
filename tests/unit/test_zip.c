/* test_zip.c - the zip records and reader of backend/zip: an archive
 * written with them reads back through libzip (an independent reader)
 * and through qzip_read; archives written by libzip read back through
 * qzip_read; damaged, encrypted, zip64 and oversized archives are
 * refused with a reason, never read past their end. */
#include <stdlib.h>
#include <string.h>
#include <zip.h>
#include <zlib.h>

#include "backend/zip/zip.h"
#include "testing.h"
#include "unzip.h"

static const char text[] = "Question: what is a zip?\nAnswer: members and a directory.\n";

/* Raw deflate of s into out. */
static void deflate_raw(const char *s, size_t n, qbuf *out)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
	qbuf_grow(out, deflateBound(&z, n));
	z.next_in = (Bytef *)s;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)out->ptr + out->len;
	z.avail_out = (uInt)deflateBound(&z, n);
	deflate(&z, Z_FINISH);
	out->len += z.total_out;
	deflateEnd(&z);
}

/* An archive of two members: "a.txt" deflated, "media" stored. */
static void write_two(qbuf *zip)
{
	qbuf raw = QBUF_INIT;
	deflate_raw(text, strlen(text), &raw);
	qzip_member m[2] = {
		{"a.txt", true, (uint32_t)crc32(0L, (const Bytef *)text, (uInt)strlen(text)),
		 strlen(text), raw.len, 0},
		{"media", false, (uint32_t)crc32(0L, (const Bytef *)"{}", 2), 2, 2, 0},
	};
	size_t dir = 0, total = qzip_layout(m, 2, &dir);
	uint16_t dt, dd;
	qzip_dos_time(1700000000, &dt, &dd);
	qzip_put_local(zip, &m[0], dt, dd);
	qbuf_put(zip, raw.ptr, raw.len);
	qzip_put_local(zip, &m[1], dt, dd);
	qbuf_put(zip, "{}", 2);
	qzip_put_directory(zip, m, 2, dir, dt, dd);
	if (zip->len != total)
		zip->len = 0;   /* the checks below then fail */
	qbuf_free(&raw);
}

/* A member read by libzip, NUL-terminated in a static buffer. */
static const char *libzip_read(const qbuf *zip, const char *name)
{
	static char got[256];
	char *data = libzip_member(zip->ptr, zip->len, name, NULL);
	snprintf(got, sizeof got, "%s", data ? data : "");
	free(data);
	return got;
}

static int read_member(const qbuf *zip, const char *name, qbuf *out, char *err)
{
	qbuf_reset(out);
	return qzip_read(zip->ptr, zip->len, name, 1 << 20, out, err, 128);
}

TEST(written_archive_reads_back)
{
	qbuf zip = QBUF_INIT, out = QBUF_INIT;
	char err[128];
	write_two(&zip);
	CHECK(zip.len > 0);
	CHECK_STR(libzip_read(&zip, "a.txt"), text);
	CHECK_STR(libzip_read(&zip, "media"), "{}");
	CHECK_INT(read_member(&zip, "a.txt", &out, err), 0);
	CHECK_STR(out.ptr, text);
	CHECK_INT(read_member(&zip, "media", &out, err), 0);
	CHECK_STR(out.ptr, "{}");
	CHECK_INT(read_member(&zip, "other", &out, err), -1);
	CHECK(strstr(err, "no other") != NULL);
	qbuf_free(&zip);
	qbuf_free(&out);
}

TEST(libzip_archive_reads)
{
	/* written by libzip: deflated by its own rules, with a comment */
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, NULL);
	zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, NULL);
	CHECK(za != NULL);
	zip_source_keep(src);
	zip_file_add(za, "first", zip_source_buffer(za, "one", 3, 0), 0);
	zip_file_add(za, "collection.anki2", zip_source_buffer(za, text, strlen(text), 0), 0);
	zip_set_archive_comment(za, "made by libzip", 14);
	CHECK(zip_close(za) == 0);
	zip_stat_t st;
	zip_source_stat(src, &st);
	qbuf zip = QBUF_INIT, out = QBUF_INIT;
	zip_source_open(src);
	qbuf_grow(&zip, (size_t)st.size);
	zip.len = (size_t)zip_source_read(src, zip.ptr, st.size);
	zip_source_close(src);
	zip_source_free(src);
	char err[128];
	CHECK_INT(read_member(&zip, "collection.anki2", &out, err), 0);
	CHECK_STR(out.ptr, text);
	CHECK_INT(read_member(&zip, "first", &out, err), 0);
	CHECK_STR(out.ptr, "one");
	qbuf_free(&zip);
	qbuf_free(&out);
}

/* Overwrite 4 little-endian bytes. */
static void poke32(qbuf *b, size_t at, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		b->ptr[at + (size_t)i] = (char)(v >> (8 * i) & 0xFF);
}

TEST(damaged_archives_are_refused)
{
	qbuf zip = QBUF_INIT, bad = QBUF_INIT, out = QBUF_INIT;
	char err[128];
	write_two(&zip);
	size_t end = zip.len - 22;
	/* every truncation: refused or (only whole prefixes) never read past */
	for (size_t n = 0; n < zip.len; n++) {
		qbuf_reset(&bad);
		qbuf_put(&bad, zip.ptr, n);
		CHECK_INT(read_member(&bad, "a.txt", &out, err), -1);
	}
	/* a flipped byte in the deflated data: the CRC says so */
	qbuf_reset(&bad);
	qbuf_put(&bad, zip.ptr, zip.len);
	bad.ptr[30 + 5 + 3] ^= 0x55;
	CHECK_INT(read_member(&bad, "a.txt", &out, err), -1);
	/* a directory offset past the end */
	qbuf_reset(&bad);
	qbuf_put(&bad, zip.ptr, zip.len);
	poke32(&bad, end + 16, 0x7FFFFFF0u);
	CHECK_INT(read_member(&bad, "a.txt", &out, err), -1);
	CHECK(strstr(err, "outside") != NULL);
	/* zip64 markers */
	qbuf_reset(&bad);
	qbuf_put(&bad, zip.ptr, zip.len);
	poke32(&bad, end + 16, 0xFFFFFFFFu);
	CHECK_INT(read_member(&bad, "a.txt", &out, err), -1);
	CHECK(strstr(err, "zip64") != NULL);
	/* an encrypted member (flag bit 0 in the directory) */
	qbuf_reset(&bad);
	qbuf_put(&bad, zip.ptr, zip.len);
	size_t cd = (unsigned char)zip.ptr[end + 16] | (size_t)(unsigned char)zip.ptr[end + 17] << 8;
	bad.ptr[cd + 8] |= 1;
	CHECK_INT(read_member(&bad, "a.txt", &out, err), -1);
	CHECK(strstr(err, "encrypted") != NULL);
	/* a member larger than the caller allows */
	qbuf_reset(&out);
	CHECK_INT(qzip_read(zip.ptr, zip.len, "a.txt", 10, &out, err, sizeof err), -1);
	CHECK(strstr(err, "too large") != NULL);
	/* not a zip at all */
	CHECK_INT(qzip_read("# notes\n", 8, "a.txt", 100, &out, err, sizeof err), -1);
	qbuf_free(&zip);
	qbuf_free(&bad);
	qbuf_free(&out);
}

TEST(layout_refuses_zip64)
{
	qzip_member big = {"huge", true, 0, (size_t)5 << 30, 100, 0};
	size_t dir = 0;
	CHECK_INT(qzip_layout(&big, 1, &dir), 0);
	qzip_member ok = {"ok", false, 0, 3, 3, 0};
	CHECK_INT(qzip_layout(&ok, 1, &dir), 30 + 2 + 3 + 46 + 2 + 22);
	CHECK_INT(dir, 30 + 2 + 3);
}

TEST(dos_time_is_utc_and_clamped)
{
	uint16_t t, d;
	qzip_dos_time(1700000000, &t, &d);   /* 2023-11-14 22:13:20 UTC */
	CHECK_INT(d, (2023 - 1980) << 9 | 11 << 5 | 14);
	CHECK_INT(t, 22 << 11 | 13 << 5 | 10);
	qzip_dos_time(0, &t, &d);
	CHECK_INT(d, 1 << 5 | 1);
	CHECK_INT(t, 0);
	qzip_dos_time(5000000000LL, &t, &d);   /* 2128: the last DOS day */
	CHECK_INT(d, 127 << 9 | 12 << 5 | 31);
}

int main(void)
{
	RUN(written_archive_reads_back);
	RUN(libzip_archive_reads);
	RUN(damaged_archives_are_refused);
	RUN(layout_refuses_zip64);
	RUN(dos_time_is_utc_and_clamped);
	return testing_done();
}
