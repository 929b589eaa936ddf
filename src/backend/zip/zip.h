/* zip.h - the zip format for the back ends that write one (epub, apkg):
 * the records of an archive written in memory, and one member read back
 * out of an archive in memory.
 *
 * Writing: the caller compresses (or not) the members itself, fills a
 * qzip_member for each and calls qzip_write(), which places them, writes
 * each local header followed by the member's stored bytes (given by the
 * caller's put_data), then the central directory. The pieces it is made
 * of (layout, local header, directory) are public for the tests.
 * Members carry no extra fields and no data descriptors, all share one
 * DOS time (computed in UTC from the build time) and the same Unix
 * attributes, so the bytes depend only on the members. No zip64: an
 * archive that would need it is refused.
 *
 * Reading: qzip_read() finds a member by name, checks that its bytes lie
 * inside the archive, inflates it (stored and deflated members only; no
 * encryption, no zip64) and checks its size and CRC-32.
 *
 * Ownership: nothing here allocates except the bytes appended to the
 * caller's qbuf; names are borrowed.
 */
#ifndef QUIRE_ZIP_H
#define QUIRE_ZIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <zlib.h>

#include "../../util/buf.h"

typedef struct qzip_member {
	const char *name;
	bool deflated;        /* the stored bytes are a raw deflate stream */
	uint32_t crc;         /* CRC-32 of the member's own bytes */
	size_t usize;         /* the member's own size */
	size_t csize;         /* size of the stored bytes */
	size_t offset;        /* set by qzip_layout() */
} qzip_member;

/* The DOS date and time of an epoch, in UTC, clamped to 1980..2107. */
void qzip_dos_time(long long epoch, uint16_t *dtime, uint16_t *ddate);

/* Place the members one after the other from offset 0. Returns the size
 * of the whole archive and sets *dir to the offset of the central
 * directory, or returns 0 when the archive would need zip64. */
size_t qzip_layout(qzip_member *m, int n, size_t *dir);

/* The local header of a member (its bytes follow it). */
void qzip_put_local(qbuf *out, const qzip_member *m, uint16_t dtime, uint16_t ddate);

/* The central directory of the n members and the end record; dir is the
 * offset qzip_layout() gave. */
void qzip_put_directory(qbuf *out, const qzip_member *m, int n, size_t dir,
			uint16_t dtime, uint16_t ddate);

/* The whole archive of the n members into out, all with the DOS time of
 * epoch: put_data(out, i, ctx) appends the stored bytes of member i
 * (m[i].csize of them). Returns 0; -1 when the archive would need zip64;
 * -2 when memory ran out or put_data wrote another size. */
int qzip_write(qbuf *out, qzip_member *m, int n, long long epoch,
	       void (*put_data)(qbuf *out, int i, void *ctx), void *ctx);

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

/* Append the bytes of the member called name (at most max of them) to
 * out. Returns 0, or -1 with a reason in err. */
int qzip_read(const void *zip, size_t n, const char *name, size_t max, qbuf *out,
	      char *err, size_t errlen);

#endif
