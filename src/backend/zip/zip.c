/* zip.c - zip records for the EPUB and the Anki deck, and reading one
 * member back (see zip.h). Linked into each module that needs it. */
#include "zip.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#define SIG_LOCAL 0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_END 0x06054b50u
#define LOCAL_SIZE 30
#define CENTRAL_SIZE 46
#define END_SIZE 22
#define QZIP32_MAX ((size_t)0xFFFFFFFEu)   /* larger needs zip64 */

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

static void put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v & 0xFF);
	p[1] = (unsigned char)(v >> 8 & 0xFF);
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, v & 0xFFFF);
	put16(p + 2, v >> 16);
}

size_t qzip_layout(qzip_member *m, int n, size_t *dir)
{
	size_t at = 0, cd = 0;
	if (n < 0 || n > 0xFFFF)
		return 0;
	for (int i = 0; i < n; i++) {
		size_t nl = strlen(m[i].name);
		if (nl > 0xFFFF || m[i].usize > QZIP32_MAX || m[i].csize > QZIP32_MAX
		    || at > QZIP32_MAX)
			return 0;
		m[i].offset = at;
		at += LOCAL_SIZE + nl + m[i].csize;
		cd += CENTRAL_SIZE + nl;
	}
	if (at > QZIP32_MAX || cd > QZIP32_MAX)
		return 0;
	*dir = at;
	return at + cd + END_SIZE;
}

/* The fields the local and central headers share, from "version needed". */
static void put_common(unsigned char *p, const qzip_member *m, uint16_t dtime,
		       uint16_t ddate)
{
	put16(p, m->deflated ? 20 : 10);     /* version needed */
	put16(p + 2, m->deflated ? 4 : 0);   /* flags: deflate "fast" */
	put16(p + 4, m->deflated ? 8 : 0);   /* method */
	put16(p + 6, dtime);
	put16(p + 8, ddate);
	put32(p + 10, m->crc);
	put32(p + 14, (uint32_t)m->csize);
	put32(p + 18, (uint32_t)m->usize);
	put16(p + 22, (unsigned)strlen(m->name));
	put16(p + 24, 0);                    /* extra field length */
}

void qzip_put_local(qbuf *out, const qzip_member *m, uint16_t dtime, uint16_t ddate)
{
	unsigned char h[LOCAL_SIZE];
	put32(h, SIG_LOCAL);
	put_common(h + 4, m, dtime, ddate);
	qbuf_put(out, h, sizeof h);
	qbuf_puts(out, m->name);
}

void qzip_put_directory(qbuf *out, const qzip_member *m, int n, size_t dir,
			uint16_t dtime, uint16_t ddate)
{
	size_t size = 0;
	for (int i = 0; i < n; i++) {
		unsigned char h[CENTRAL_SIZE];
		put32(h, SIG_CENTRAL);
		put16(h + 4, 3 << 8 | 20);           /* made by: Unix, zip 2.0 */
		put_common(h + 6, &m[i], dtime, ddate);
		put16(h + 32, 0);                    /* comment length */
		put16(h + 34, 0);                    /* disk */
		put16(h + 36, 0);                    /* internal attributes */
		put32(h + 38, (uint32_t)0100644 << 16);
		put32(h + 42, (uint32_t)m[i].offset);
		qbuf_put(out, h, sizeof h);
		qbuf_puts(out, m[i].name);
		size += CENTRAL_SIZE + strlen(m[i].name);
	}
	unsigned char end[END_SIZE];
	put32(end, SIG_END);
	put16(end + 4, 0);                           /* this disk */
	put16(end + 6, 0);                           /* disk of the directory */
	put16(end + 8, (unsigned)n);
	put16(end + 10, (unsigned)n);
	put32(end + 12, (uint32_t)size);
	put32(end + 16, (uint32_t)dir);
	put16(end + 20, 0);                          /* comment length */
	qbuf_put(out, end, sizeof end);
}

int qzip_write(qbuf *out, qzip_member *m, int n, long long epoch,
	       void (*put_data)(qbuf *out, int i, void *ctx), void *ctx)
{
	size_t dir = 0, total = qzip_layout(m, n, &dir), from = out->len;
	if (!total)
		return -1;
	uint16_t dtime, ddate;
	qzip_dos_time(epoch, &dtime, &ddate);
	qbuf_grow(out, total);
	for (int i = 0; i < n; i++) {
		qzip_put_local(out, &m[i], dtime, ddate);
		put_data(out, i, ctx);
	}
	qzip_put_directory(out, m, n, dir, dtime, ddate);
	return out->len - from == total ? 0 : -2;
}

/* ---- deflating in pieces ------------------------------------------------ */

z_stream *qzip_stream_reset(qzip_stream *s)
{
	if (s->ready)
		return deflateReset(&s->z) == Z_OK ? &s->z : NULL;
	memset(&s->z, 0, sizeof s->z);
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

/* ---- reading ------------------------------------------------------------- */

static unsigned get16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16;
}

/* The end record: the last signature with room for its comment. */
static const unsigned char *find_end(const unsigned char *z, size_t n)
{
	if (n < END_SIZE)
		return NULL;
	size_t stop = n - END_SIZE > 0xFFFF ? n - END_SIZE - 0xFFFF : 0;
	for (size_t at = n - END_SIZE + 1; at-- > stop;)
		if (get32(z + at) == SIG_END && at + END_SIZE + get16(z + at + 20) <= n)
			return z + at;
	return NULL;
}

typedef struct found {
	unsigned method, flags;
	uint32_t crc;
	size_t csize, usize, local;
} found;

/* Look name up in the central directory. 1 found, 0 absent, -1 damaged. */
static int find_member(const unsigned char *z, size_t n, const char *name, found *f,
		       char *err, size_t errlen)
{
	const unsigned char *end = find_end(z, n);
	if (!end) {
		snprintf(err, errlen, "not a zip file");
		return -1;
	}
	size_t count = get16(end + 10), size = get32(end + 12), at = get32(end + 16);
	if (count == 0xFFFF || size == 0xFFFFFFFFu || at == 0xFFFFFFFFu) {
		snprintf(err, errlen, "a zip64 archive (not read)");
		return -1;
	}
	size_t nlen = strlen(name), stop = (size_t)(end - z);
	if (at > stop || size > stop - at) {
		snprintf(err, errlen, "damaged zip: the directory lies outside the file");
		return -1;
	}
	for (size_t i = 0; i < count; i++) {
		if (stop - at < CENTRAL_SIZE || get32(z + at) != SIG_CENTRAL) {
			snprintf(err, errlen, "damaged zip directory");
			return -1;
		}
		const unsigned char *h = z + at;
		size_t nl = get16(h + 28), skip = CENTRAL_SIZE + nl + get16(h + 30) + get16(h + 32);
		if (skip > stop - at) {
			snprintf(err, errlen, "damaged zip directory");
			return -1;
		}
		if (nl == nlen && memcmp(h + CENTRAL_SIZE, name, nl) == 0) {
			*f = (found){get16(h + 10), get16(h + 8), get32(h + 16), get32(h + 20),
				     get32(h + 24), get32(h + 42)};
			return 1;
		}
		at += skip;
	}
	return 0;
}

/* The stored bytes of a member: after its local header, inside the file. */
static const unsigned char *member_bytes(const unsigned char *z, size_t n, const found *f)
{
	if (f->local > n || n - f->local < LOCAL_SIZE || get32(z + f->local) != SIG_LOCAL)
		return NULL;
	size_t at = f->local + LOCAL_SIZE + get16(z + f->local + 26) + get16(z + f->local + 28);
	if (at > n || f->csize > n - at)
		return NULL;
	return z + at;
}

/* Inflate a raw deflate stream of exactly usize bytes into out. */
static bool inflate_into(const unsigned char *in, size_t csize, size_t usize, unsigned char *out)
{
	z_stream s;
	memset(&s, 0, sizeof s);
	if (inflateInit2(&s, -15) != Z_OK)
		return false;
	s.next_in = (Bytef *)in;
	s.avail_in = (uInt)csize;
	s.next_out = out;
	s.avail_out = (uInt)usize;
	int rc = inflate(&s, Z_FINISH);
	bool ok = rc == Z_STREAM_END && s.total_out == usize;
	inflateEnd(&s);
	return ok;
}

int qzip_read(const void *zip, size_t n, const char *name, size_t max, qbuf *out,
	      char *err, size_t errlen)
{
	const unsigned char *z = zip;
	found f;
	int rc = find_member(z, n, name, &f, err, errlen);
	if (rc <= 0) {
		if (rc == 0)
			snprintf(err, errlen, "no %s in the zip", name);
		return -1;
	}
	if (f.flags & 1) {
		snprintf(err, errlen, "%s is encrypted", name);
		return -1;
	}
	if (f.method != 0 && f.method != 8) {
		snprintf(err, errlen, "%s: compression method %u (not read)", name, f.method);
		return -1;
	}
	if (f.usize > max || f.usize > QZIP32_MAX) {
		snprintf(err, errlen, "%s is too large", name);
		return -1;
	}
	const unsigned char *data = member_bytes(z, n, &f);
	if (!data || (f.method == 0 && f.csize != f.usize)) {
		snprintf(err, errlen, "damaged zip: %s lies outside the file", name);
		return -1;
	}
	qbuf_grow(out, f.usize + 1);
	unsigned char *dst = (unsigned char *)out->ptr + out->len;
	bool ok = f.method == 0 ? (memcpy(dst, data, f.usize), true)
				: inflate_into(data, f.csize, f.usize, dst);
	if (!ok || crc32_z(0L, dst, f.usize) != f.crc) {
		snprintf(err, errlen, "%s: damaged (not the size or CRC its zip says)", name);
		return -1;
	}
	out->len += f.usize;
	out->ptr[out->len] = '\0';
	return 0;
}
