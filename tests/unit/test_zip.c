/* test_zip.c - backend/zip: archives made by libzip read back through
 * the tests' own reader (unzip.h, independent of libzip) and through
 * qzip_read; the records are what the EPUB and the deck need (order,
 * methods, one DOS time, no extra fields); pre-deflated members are
 * copied as they are; damaged, encrypted, oversized and foreign archives
 * are refused with a reason; the parallel deflate makes one stream whose
 * bytes do not depend on the threads. */
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

/* An archive of three members: "mimetype" stored, "a.txt" deflated by
 * us, "b.txt" deflated by libzip. Returns qzip_write's result. */
static int write_three(qbuf *zip, qbuf *raw)
{
	char err[128];
	deflate_raw(text, strlen(text), raw);
	qzip_member m[3] = {
		{.name = "mimetype", .data = "application/epub+zip", .len = 20, .how = QZIP_STORE},
		{.name = "a.txt", .data = raw->ptr, .len = raw->len, .how = QZIP_RAW,
		 .usize = strlen(text), .crc = (uint32_t)crc32(0L, (const Bytef *)text,
							       (uInt)strlen(text))},
		{.name = "b.txt", .data = text, .len = strlen(text), .how = QZIP_DEFLATE},
	};
	return qzip_write(m, 3, 1700000000, zip, err, sizeof err);
}

static const char *own_read(const qbuf *zip, const char *name)
{
	static char got[256];
	char *data = tzip_member(zip->ptr, zip->len, name, NULL);
	snprintf(got, sizeof got, "%s", data ? data : "(unreadable)");
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
	qbuf zip = QBUF_INIT, raw = QBUF_INIT, out = QBUF_INIT;
	char err[128];
	CHECK_INT(write_three(&zip, &raw), 0);
	CHECK_STR(own_read(&zip, "mimetype"), "application/epub+zip");
	CHECK_STR(own_read(&zip, "a.txt"), text);
	CHECK_STR(own_read(&zip, "b.txt"), text);
	CHECK_INT(read_member(&zip, "a.txt", &out, err), 0);
	CHECK_STR(out.ptr, text);
	CHECK_INT(read_member(&zip, "b.txt", &out, err), 0);
	CHECK_STR(out.ptr, text);
	CHECK_INT(read_member(&zip, "other", &out, err), -1);
	CHECK(strstr(err, "no other") != NULL);
	qbuf_free(&zip);
	qbuf_free(&raw);
	qbuf_free(&out);
}

/* The records: members in order, the mimetype first and stored right
 * after its 30-byte header (EPUB readers look for it at offset 38), our
 * deflate stream copied byte for byte, one DOS time for all, Unix
 * regular-file attributes, no extra fields, no data descriptors. */
TEST(records_are_fixed)
{
	qbuf zip = QBUF_INIT, raw = QBUF_INIT;
	CHECK_INT(write_three(&zip, &raw), 0);
	tzip_entry e[4];
	CHECK_INT(tzip_list(zip.ptr, zip.len, e, 4), 3);
	CHECK_STR(e[0].name, "mimetype");
	CHECK_STR(e[1].name, "a.txt");
	CHECK_STR(e[2].name, "b.txt");
	CHECK_INT(e[0].method, 0);
	CHECK_INT(e[0].local, 0);
	CHECK(memcmp(zip.ptr + 30, "mimetypeapplication/epub+zip", 28) == 0);
	CHECK_INT(e[1].method, 8);
	CHECK_INT(e[1].csize, raw.len);
	CHECK(memcmp(zip.ptr + e[1].data, raw.ptr, raw.len) == 0);
	CHECK_INT(e[2].method, 8);
	for (int i = 0; i < 3; i++) {
		CHECK_INT(e[i].ddate, (2023 - 1980) << 9 | 11 << 5 | 14);
		CHECK_INT(e[i].dtime, 22 << 11 | 13 << 5 | 10);
		CHECK_INT(e[i].external >> 16, 0100644);
		CHECK_INT(e[i].made_by >> 8, 3);   /* Unix */
		CHECK_INT(e[i].extra, 0);
		CHECK_INT(e[i].flags & 9, 0);      /* no encryption, no descriptor */
	}
	qbuf again = QBUF_INIT, raw2 = QBUF_INIT;
	CHECK_INT(write_three(&again, &raw2), 0);
	CHECK(again.len == zip.len && memcmp(again.ptr, zip.ptr, zip.len) == 0);
	qbuf_free(&again);
	qbuf_free(&raw2);
	qbuf_free(&zip);
	qbuf_free(&raw);
}

/* Overwrite 4 little-endian bytes. */
static void poke32(qbuf *b, size_t at, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		b->ptr[at + (size_t)i] = (char)(v >> (8 * i) & 0xFF);
}

TEST(damaged_archives_are_refused)
{
	qbuf zip = QBUF_INIT, raw = QBUF_INIT, bad = QBUF_INIT, out = QBUF_INIT;
	char err[128];
	CHECK_INT(write_three(&zip, &raw), 0);
	size_t end = zip.len - 22;
	tzip_entry e[4];
	CHECK_INT(tzip_list(zip.ptr, zip.len, e, 4), 3);
	/* every truncation is refused */
	for (size_t n = 0; n < zip.len; n++) {
		qbuf_reset(&bad);
		qbuf_put(&bad, zip.ptr, n);
		CHECK_INT(read_member(&bad, "a.txt", &out, err), -1);
	}
	/* a flipped byte in the deflated data: the CRC says so */
	qbuf_reset(&bad);
	qbuf_put(&bad, zip.ptr, zip.len);
	bad.ptr[e[1].data + 3] ^= 0x55;
	CHECK_INT(read_member(&bad, "a.txt", &out, err), -1);
	/* a directory offset past the end */
	qbuf_reset(&bad);
	qbuf_put(&bad, zip.ptr, zip.len);
	poke32(&bad, end + 16, 0x7FFFFFF0u);
	CHECK_INT(read_member(&bad, "a.txt", &out, err), -1);
	/* a member whose size in the directory is not its real size */
	qbuf_reset(&bad);
	qbuf_put(&bad, zip.ptr, zip.len);
	size_t cd = tzip_get32((const unsigned char *)zip.ptr + end + 16);
	size_t cd1 = cd + 46 + strlen("mimetype");
	poke32(&bad, cd1 + 24, (uint32_t)strlen(text) + 1000);
	poke32(&bad, e[1].local + 22, (uint32_t)strlen(text) + 1000);
	CHECK_INT(read_member(&bad, "a.txt", &out, err), -1);
	/* an encrypted member (flag bit 0 in both headers) */
	qbuf_reset(&bad);
	qbuf_put(&bad, zip.ptr, zip.len);
	bad.ptr[cd1 + 8] |= 1;
	bad.ptr[e[1].local + 6] |= 1;
	CHECK_INT(read_member(&bad, "a.txt", &out, err), -1);
	/* a member larger than the caller allows */
	qbuf_reset(&out);
	CHECK_INT(qzip_read(zip.ptr, zip.len, "a.txt", 10, &out, err, sizeof err), -2);
	CHECK(strstr(err, "more than the 10 read") != NULL);
	/* not a zip at all */
	CHECK_INT(qzip_read("# notes\n", 8, "a.txt", 100, &out, err, sizeof err), -1);
	CHECK(strstr(err, "not a zip") != NULL);
	qbuf_free(&zip);
	qbuf_free(&raw);
	qbuf_free(&bad);
	qbuf_free(&out);
}

/* Another method than stored or deflated (bzip2, by libzip) is refused. */
TEST(other_methods_are_refused)
{
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, NULL);
	zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, NULL);
	CHECK(za != NULL);
	zip_source_keep(src);
	zip_int64_t i = zip_file_add(za, "collection.anki2",
				     zip_source_buffer(za, text, strlen(text), 0), 0);
	CHECK(i >= 0);
	if (zip_set_file_compression(za, (zip_uint64_t)i, ZIP_CM_BZIP2, 0) != 0) {
		zip_discard(za);   /* libzip without bzip2: nothing to test */
		zip_source_free(src);
		return;
	}
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
	CHECK_INT(read_member(&zip, "collection.anki2", &out, err), -1);
	CHECK(strstr(err, "method 12") != NULL);
	qbuf_free(&zip);
	qbuf_free(&out);
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

/* Text, numbers and zeros, like a collection: n bytes. */
static unsigned char *sample_bytes(size_t n)
{
	unsigned char *b = malloc(n);
	uint64_t x = 12345;
	for (size_t i = 0; i < n; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		size_t page = i / 4096 % 5;
		b[i] = page == 4 ? 0 : page == 3 ? (unsigned char)(x >> 60) :
		       (unsigned char)("the quick brown fox jumps over a lazy dog "[(i * 7 + (x >> 61)) % 42]);
	}
	return b;
}

static int inflate_all(const qbuf *z, unsigned char *out, size_t n)
{
	z_stream s;
	memset(&s, 0, sizeof s);
	if (inflateInit2(&s, -15) != Z_OK)
		return -1;
	s.next_in = (Bytef *)z->ptr;
	s.avail_in = (uInt)z->len;
	s.next_out = out;
	s.avail_out = (uInt)n + 1;
	int r = inflate(&s, Z_FINISH);
	size_t got = s.total_out;
	inflateEnd(&s);
	return r == Z_STREAM_END && got == n && s.avail_in == 0 ? 0 : -1;
}

/* One stream from pieces: it inflates back to the input, its CRC is the
 * input's, and its bytes are the same with or without threads. */
TEST(parallel_deflate_makes_one_stream)
{
	static const size_t sizes[] = {0, 1, 70000, 700000};
	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		size_t n = sizes[s];
		unsigned char *in = sample_bytes(n + 1), *back = malloc(n + 2);
		qbuf out[2] = {QBUF_INIT, QBUF_INIT};
		uint32_t crc[2] = {1, 1};
		for (int i = 0; i < 2; i++) {
			qpool *pool = qpool_new(i ? 7 : 0);
			CHECK_INT(qzip_deflate_all(pool, in, n, &out[i], &crc[i]), 0);
			qpool_free(pool);
		}
		CHECK(out[0].len == out[1].len && memcmp(out[0].ptr, out[1].ptr, out[0].len) == 0);
		CHECK(n < 70000 || out[0].len < n / 2);
		CHECK_INT(crc[0], (uint32_t)crc32(0L, in, (uInt)n));
		CHECK_INT(inflate_all(&out[0], back, n), 0);
		CHECK(memcmp(back, in, n) == 0);
		qbuf_free(&out[0]);
		qbuf_free(&out[1]);
		free(back);
		free(in);
	}
}

int main(void)
{
	RUN(written_archive_reads_back);
	RUN(records_are_fixed);
	RUN(damaged_archives_are_refused);
	RUN(other_methods_are_refused);
	RUN(dos_time_is_utc_and_clamped);
	RUN(parallel_deflate_makes_one_stream);
	return testing_done();
}
