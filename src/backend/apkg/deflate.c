/* deflate.c - one raw deflate stream made in pieces by the crew.
 *
 * The collection is deflated here (zlib); the zip writer gets the
 * finished stream to copy as it is (zipout.c). Its bytes come in ranges
 * (most of the file is final before the indexes are made; the rest
 * after), and each range is cut into pieces deflated at the same time
 * by the crew. Each piece is primed with the 16 KB before it, so the
 * ratio stays about that of one stream, and ends on a byte boundary (a
 * sync flush); the stream ends with an empty final block. Where the pieces
 * are cut depends only on the ranges, never on the number of
 * processors or on which thread takes which piece, so neither do the
 * bytes.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../zip/zip.h"
#include "apkg.h"

/* The dictionary of a piece: the 16 KB before it. Half of deflate's
 * window, priming a piece with all 32 KB took a tenth of the deflating, and
 * this way the deck grows by less than 0.5%. */
#define DICT ((size_t)16 << 10)
#define PIECE_MIN ((size_t)16 << 10)
#define PIECE_MAX ((size_t)1 << 20)
#define BLOCK 64                      /* pieces per block of the table */
#define MAX_BLOCKS 256                /* 16384 pieces, 16 GB: more than zip32 */

typedef struct piece {
	const unsigned char *dict;    /* the bytes before it (up to DICT) */
	size_t dlen;
	const unsigned char *in;      /* right after dict */
	size_t n, off;                /* its bytes, and where in the stream */
	unsigned char *out;
	size_t olen;
	uLong crc;
	int rc;
} piece;

struct qapkg_deflater {
	qapkg_crew *crew;
	piece *blocks[MAX_BLOCKS];    /* filled in order, never moved */
	int npieces;
	bool failed;                  /* too many pieces */
	bool posted;                  /* the crew has the batch */
	qzip_stream z[QAPKG_MAX_WORKERS];   /* one per worker */
};

static piece *piece_at(qapkg_deflater *d, int i)
{
	return &d->blocks[i / BLOCK][i % BLOCK];
}

qapkg_deflater *qapkg_deflater_new(qapkg_crew *crew)
{
	qapkg_deflater *d = qxmalloc(sizeof *d);
	memset(d, 0, sizeof *d);
	d->crew = crew;
	return d;
}

static void deflate_piece(void *ctx, int worker, int job)
{
	qapkg_deflater *d = ctx;
	piece *p = piece_at(d, job);
	z_stream *z = qzip_stream_reset(&d->z[worker]);
	p->rc = -1;
	p->crc = crc32(crc32(0L, Z_NULL, 0), p->in, (uInt)p->n);
	size_t cap = z ? deflateBound(z, p->n) + 16 : 0;
	p->out = z ? malloc(cap) : NULL;
	if (!p->out)
		return;
	p->olen = qzip_deflate_piece(z, p->dict, p->dlen, p->in, p->n, false, p->out, cap);
	p->rc = p->olen ? 0 : -1;
}

/* An eighth of the range a piece (so that even a small range is
 * shared), within min_piece .. PIECE_MAX. */
static int count_pieces(size_t len, size_t min_piece)
{
	size_t want = len / 8 < min_piece ? min_piece : len / 8 > PIECE_MAX ? PIECE_MAX : len / 8;
	size_t np = (len + want - 1) / want;
	return np > 0 ? (int)np : 1;
}

void qapkg_deflater_add(qapkg_deflater *d, const unsigned char *base, size_t base_off,
			size_t from, size_t to, size_t min_piece)
{
	if (to <= from)
		return;
	size_t len = to - from;
	int np = count_pieces(len, min_piece < PIECE_MIN ? PIECE_MIN : min_piece);
	if (d->npieces + np > MAX_BLOCKS * BLOCK) {
		d->failed = true;
		return;
	}
	for (int i = 0; i < np; i++) {
		size_t a = from + len * (size_t)i / (size_t)np;
		size_t b = from + len * (size_t)(i + 1) / (size_t)np;
		size_t dict = a - base_off < DICT ? a - base_off : DICT;
		int at = d->npieces++;
		if (!d->blocks[at / BLOCK])
			d->blocks[at / BLOCK] = qxmalloc(sizeof(piece) * BLOCK);
		*piece_at(d, at) = (piece){
			.dict = base + (a - base_off) - dict, .dlen = dict,
			.in = base + (a - base_off), .n = b - a, .off = a, .rc = -1,
		};
	}
	if (!d->crew) {   /* no helpers: deflate them now */
		for (int i = d->npieces - np; i < d->npieces; i++)
			deflate_piece(d, 0, i);
		return;
	}
	/* one batch for all the pieces: helpers that ran out of pieces of
	 * the first ranges go on with these */
	if (d->posted)
		qapkg_crew_grow(d->crew, d->npieces);
	else
		qapkg_crew_post(d->crew, d->npieces, deflate_piece, d);
	d->posted = true;
}

static int by_offset(const void *x, const void *y)
{
	const piece *a = *(const piece *const *)x, *b = *(const piece *const *)y;
	return (a->off > b->off) - (a->off < b->off);
}

int qapkg_deflater_end(qapkg_deflater *d, size_t n, qbuf *out, uint32_t *crc)
{
	if (d->posted)
		qapkg_crew_finish(d->crew);
	piece **order = qxmalloc(sizeof *order * (size_t)(d->npieces + 1));
	for (int i = 0; i < d->npieces; i++)
		order[i] = piece_at(d, i);
	qsort(order, (size_t)d->npieces, sizeof *order, by_offset);
	uLong c = crc32(0L, Z_NULL, 0);
	size_t at = 0;
	int rc = d->failed ? -1 : 0;
	for (int i = 0; rc == 0 && i < d->npieces; i++) {
		const piece *p = order[i];
		rc = p->rc == 0 && p->off == at ? 0 : -1;   /* every byte once */
		qbuf_put(out, p->out, p->olen);
		c = crc32_combine(c, p->crc, (z_off_t)p->n);
		at += p->n;
	}
	static const unsigned char last[] = {0x03, 0x00};   /* empty final block */
	qbuf_put(out, last, sizeof last);
	free(order);
	*crc = (uint32_t)c;
	return rc == 0 && at == n ? 0 : -1;
}

void qapkg_deflater_free(qapkg_deflater *d)
{
	if (!d)
		return;
	if (d->posted)
		qapkg_crew_finish(d->crew);   /* no piece may be in work */
	for (int i = 0; i < d->npieces; i++)
		free(piece_at(d, i)->out);
	for (int i = 0; i < MAX_BLOCKS && d->blocks[i]; i++)
		free(d->blocks[i]);
	for (int w = 0; w < QAPKG_MAX_WORKERS; w++)
		qzip_stream_end(&d->z[w]);
	free(d);
}
