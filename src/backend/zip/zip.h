/* zip.h - zip archives for the back ends that write one (epub, apkg),
 * made and read by libzip; and the pieces of deflate streams that the
 * back ends make in parallel before handing them to libzip.
 *
 * Writing: qzip_write() makes an archive in memory of members in the
 * order given. A member is stored, deflated by libzip, or already a raw
 * deflate stream (made here in pieces on several threads), which libzip
 * copies as it is. Every member gets the same DOS time (the build time,
 * in UTC) and the same Unix attributes (a regular file, rw-r--r--), no
 * extra fields and no comments, so the bytes depend only on the members.
 * libzip writes zip64 records when an archive needs them (more than
 * 65,535 members or 4 GB).
 *
 * Reading: qzip_read() reads one member by name from an archive in
 * memory (stored or deflated, not encrypted), at most `max` bytes of it;
 * libzip checks its headers, size and CRC.
 *
 * Ownership: nothing here keeps anything; names and data are borrowed
 * for the call; out is the caller's.
 */
#ifndef QUIRE_ZIP_H
#define QUIRE_ZIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <zlib.h>

#include "../../util/buf.h"
#include "../../util/pool.h"

typedef enum {
	QZIP_STORE,      /* data stored as it is */
	QZIP_DEFLATE,    /* data deflated by libzip (zlib's fastest level) */
	QZIP_RAW,        /* data is a raw deflate stream of usize bytes
	                  * whose CRC-32 is crc */
} qzip_how;

typedef struct qzip_member {
	const char *name;
	const void *data;
	size_t len;
	qzip_how how;
	size_t usize;         /* QZIP_RAW only */
	uint32_t crc;         /* QZIP_RAW only */
} qzip_member;

/* The DOS date and time of an epoch, in UTC, clamped to 1980..2107. */
void qzip_dos_time(long long epoch, uint16_t *dtime, uint16_t *ddate);

/* The archive of the n members, all with the DOS time of epoch, into
 * out. Returns 0, or -1 with a reason in err. */
int qzip_write(const qzip_member *m, int n, long long epoch, qbuf *out,
	       char *err, size_t errlen);

/* Append the bytes of the member called name to out when there are at
 * most max of them. Returns 0; -2 when there are more (err says so), or
 * -1 with another reason in err. */
int qzip_read(const void *zip, size_t n, const char *name, size_t max, qbuf *out,
	      char *err, size_t errlen);

/* Deflating a member in pieces on several threads (the EPUB's chapters,
 * the deck's collection): each piece is deflated on its own as raw
 * deflate at zlib's fastest level, primed with the bytes before it, and
 * ends on a byte boundary (a sync flush; the last piece may end the
 * stream instead), so that the pieces joined in order are one stream and
 * the bytes never depend on which thread made which piece. A thread
 * keeps one qzip_stream, made once and reset for each piece (zlib
 * documents a reset stream as equal to a new one). */
typedef struct qzip_stream {
	z_stream z;
	bool ready;
	/* zlib's blocks for this stream (util/pages.h): the state, window
	 * and tables, touched anew by every piece */
	struct { void *p; size_t n; } mem[8];
} qzip_stream;
/* The stream, ready for a new piece; NULL when zlib failed. */
z_stream *qzip_stream_reset(qzip_stream *s);
void qzip_stream_end(qzip_stream *s);
/* Deflate the n bytes at in, primed with the dlen bytes at dict, into
 * out (cap bytes, at least deflateBound(z, n) + 16); last ends the
 * stream. Returns the length written, or 0 on failure. */
size_t qzip_deflate_piece(z_stream *z, const unsigned char *dict, size_t dlen,
			  const unsigned char *in, size_t n, bool last,
			  unsigned char *out, size_t cap);
/* The n bytes at data as one raw deflate stream made in pieces on the
 * pool (where the pieces are cut depends only on n), appended to out,
 * with the CRC-32 of the data in *crc. 0, or -1 when zlib failed or
 * memory ran out. */
int qzip_deflate_all(qpool *pool, const void *data, size_t n, qbuf *out, uint32_t *crc);

#endif
