/* zipout.c - the .apkg zip, written and read in memory (zip/zip.c).
 *
 * Writing never touches a file, so a failure leaves nothing behind
 * (main.c writes the finished bytes atomically). Entries are only stored
 * or deflated (the only methods every Anki reads) and carry a fixed time
 * taken from the build epoch in UTC, so the same deck gives the same
 * bytes. The collection comes already deflated (deflate.c, on several
 * threads) and is copied as it is.
 */
#include <stdint.h>
#include <stdio.h>
#include <zlib.h>

#include "../../util/fileio.h"
#include "../zip/zip.h"
#include "apkg.h"

/* A previous deck a little larger than its collection may be read. */
#define ZIP_SLACK ((size_t)1 << 20)

int qapkg_zip(const qapkg_entry *e, int n, long long epoch, qbuf *out,
	      char *err, size_t errlen)
{
	qzip_member m[8];
	size_t dir = 0, total = 0;
	uint16_t dtime, ddate;
	if (n < 0 || n > (int)(sizeof m / sizeof m[0])) {
		snprintf(err, errlen, "too many entries");
		return -1;
	}
	for (int i = 0; i < n; i++)
		m[i] = (qzip_member){e[i].name, e[i].deflated, e[i].crc, e[i].usize, e[i].len, 0};
	for (int i = 0; i < n; i++)
		if (!e[i].deflated)   /* stored: its CRC is ours to take */
			m[i].crc = (uint32_t)crc32_z(0L, e[i].data, e[i].len);
	total = qzip_layout(m, n, &dir);
	if (!total) {
		snprintf(err, errlen, "the deck is too large for a zip file");
		return -1;
	}
	qzip_dos_time(epoch, &dtime, &ddate);
	size_t from = out->len;
	if (!qbuf_grow(out, total)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (int i = 0; i < n; i++) {
		qzip_put_local(out, &m[i], dtime, ddate);
		qbuf_put(out, e[i].data, e[i].len);
	}
	qzip_put_directory(out, m, n, dir, dtime, ddate);
	if (!qbuf_ok(out) || out->len - from != total) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

int qapkg_unzip_file(const char *path, const char *name, size_t max,
		     qbuf *out, char *err, size_t errlen)
{
	qbuf zip = QBUF_INIT;
	size_t limit = max < SIZE_MAX - ZIP_SLACK ? max + ZIP_SLACK : max;
	int rc = qfile_read(path, &zip, limit, err, errlen) == QF_OK ? 0 : -1;
	if (rc == 0)
		rc = qzip_read(zip.ptr, zip.len, name, max, out, err, errlen);
	qbuf_free(&zip);
	return rc;
}
