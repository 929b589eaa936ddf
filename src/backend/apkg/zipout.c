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

static void put_entry(qbuf *out, int i, void *ctx)
{
	const qapkg_entry *e = ctx;
	qbuf_put(out, e[i].data, e[i].len);
}

int qapkg_zip(const qapkg_entry *e, int n, long long epoch, qbuf *out,
	      char *err, size_t errlen)
{
	qzip_member m[8];
	if (n < 0 || n > (int)(sizeof m / sizeof m[0])) {
		snprintf(err, errlen, "too many entries");
		return -1;
	}
	for (int i = 0; i < n; i++)   /* a stored entry's CRC is ours to take */
		m[i] = (qzip_member){e[i].name, e[i].deflated,
				     e[i].deflated ? e[i].crc
						   : (uint32_t)crc32_z(0L, e[i].data, e[i].len),
				     e[i].usize, e[i].len, 0};
	int rc = qzip_write(out, m, n, epoch, put_entry, (void *)e);
	if (rc)
		snprintf(err, errlen, "%s", rc == -1 ? "the deck is too large for a zip file"
						     : "out of memory");
	return rc ? -1 : 0;
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
