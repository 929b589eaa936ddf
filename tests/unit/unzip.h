/* unzip.h - the tests' own reader of zip archives in memory, independent
 * of libzip (which quire uses to write and read them): it walks the
 * central directory, checks that each local header agrees with it, and
 * inflates a member with zlib, checking its size and CRC-32. Strict on
 * purpose: what it refuses, some reader somewhere may refuse too. No
 * zip64 (the e2e tests read those with python3's zipfile). */
#ifndef QUIRE_TEST_UNZIP_H
#define QUIRE_TEST_UNZIP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

typedef struct tzip_entry {
	char name[256];
	unsigned method, flags, dtime, ddate, made_by;
	uint32_t crc, external;
	size_t csize, usize, local, data;   /* data: offset of its bytes */
	size_t extra;                       /* extra field bytes, both headers */
} tzip_entry;

static inline unsigned tzip_get16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static inline uint32_t tzip_get32(const unsigned char *p)
{
	return (uint32_t)tzip_get16(p) | (uint32_t)tzip_get16(p + 2) << 16;
}

/* The entries of the archive, in directory order (at most max); their
 * count, or -1 when the records are damaged or disagree. */
static inline int tzip_list(const void *zip, size_t n, tzip_entry *e, int max)
{
	const unsigned char *z = zip;
	size_t end = n >= 22 ? n - 22 : 0;
	while (n >= 22 && end > 0 && tzip_get32(z + end) != 0x06054b50u)
		end--;
	if (n < 22 || tzip_get32(z + end) != 0x06054b50u)
		return -1;
	size_t count = tzip_get16(z + end + 10), at = tzip_get32(z + end + 16);
	if (count > (size_t)max)
		return -1;
	for (size_t i = 0; i < count; i++) {
		if (at + 46 > end || tzip_get32(z + at) != 0x02014b50u)
			return -1;
		const unsigned char *h = z + at;
		size_t nl = tzip_get16(h + 28), xl = tzip_get16(h + 30), cl = tzip_get16(h + 32);
		if (nl >= sizeof e[i].name || at + 46 + nl + xl + cl > end)
			return -1;
		tzip_entry *t = &e[i];
		memcpy(t->name, h + 46, nl);
		t->name[nl] = '\0';
		t->made_by = tzip_get16(h + 4);
		t->flags = tzip_get16(h + 8);
		t->method = tzip_get16(h + 10);
		t->dtime = tzip_get16(h + 12);
		t->ddate = tzip_get16(h + 14);
		t->crc = tzip_get32(h + 16);
		t->csize = tzip_get32(h + 20);
		t->usize = tzip_get32(h + 24);
		t->external = tzip_get32(h + 38);
		t->local = tzip_get32(h + 42);
		const unsigned char *l = z + t->local;
		if (t->local + 30 > n || tzip_get32(l) != 0x04034b50u)
			return -1;
		size_t lnl = tzip_get16(l + 26), lxl = tzip_get16(l + 28);
		t->data = t->local + 30 + lnl + lxl;
		t->extra = xl + lxl;
		if (lnl != nl || memcmp(l + 30, t->name, nl) != 0 || tzip_get16(l + 8) != t->method
		    || tzip_get32(l + 14) != t->crc || tzip_get32(l + 18) != t->csize
		    || tzip_get32(l + 22) != t->usize || (t->flags & 8) || t->data > n
		    || t->csize > n - t->data)
			return -1;
		at += 46 + nl + xl + cl;
	}
	return (int)count;
}

/* The bytes of member `name`, NUL-terminated (the caller frees), their
 * count in *len when len is not NULL; NULL when the archive or the member
 * cannot be read. */
static inline char *tzip_member(const void *zip, size_t n, const char *name, size_t *len)
{
	static tzip_entry e[1024];
	int count = tzip_list(zip, n, e, 1024);
	for (int i = 0; i < count; i++) {
		if (strcmp(e[i].name, name) != 0)
			continue;
		const unsigned char *in = (const unsigned char *)zip + e[i].data;
		char *out = malloc(e[i].usize + 1);
		bool ok = out != NULL;
		if (ok && e[i].method == 0) {
			ok = e[i].csize == e[i].usize;
			if (ok)
				memcpy(out, in, e[i].usize);
		} else if (ok && e[i].method == 8) {
			z_stream s;
			memset(&s, 0, sizeof s);
			ok = inflateInit2(&s, -15) == Z_OK;
			if (ok) {
				s.next_in = (Bytef *)in;
				s.avail_in = (uInt)e[i].csize;
				s.next_out = (Bytef *)out;
				s.avail_out = (uInt)e[i].usize;
				ok = inflate(&s, Z_FINISH) == Z_STREAM_END && s.total_out == e[i].usize;
				inflateEnd(&s);
			}
		} else {
			ok = false;
		}
		if (ok)
			ok = crc32(0L, (const Bytef *)out, (uInt)e[i].usize) == e[i].crc;
		if (!ok) {
			free(out);
			return NULL;
		}
		out[e[i].usize] = '\0';
		if (len)
			*len = e[i].usize;
		return out;
	}
	return NULL;
}

#endif
