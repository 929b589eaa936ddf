/* tssubset.c - a small TrueType subsetter for the embedded fonts.
 *
 * libharu 2.3.0 embeds a "subset" that subsets only the glyf table and
 * copies post, loca, hmtx, name and cmap whole (about 85 KB per face
 * before any text), and leaves out the inner parts of nested composite
 * glyphs. This writes the font program PDF needs for a CIDFontType2
 * (ISO 32000-1, 9.9: head, hhea, maxp, hmtx, loca, glyf, and cvt, fpgm,
 * prep when present) with the glyphs marked in keep[] and nothing else.
 * Glyph ids do not change, so the CIDToGIDMap stays valid; the font ends
 * after the highest glyph kept.
 */
#include <string.h>

#include "tsfont.h"

static unsigned be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

typedef struct table {
	char tag[4];
	qbuf data;
} table;

static uint32_t checksum(const unsigned char *p, size_t n)
{
	uint32_t sum = 0;
	for (size_t i = 0; i < n; i += 4) {
		unsigned char w[4] = {0, 0, 0, 0};
		memcpy(w, p + i, n - i < 4 ? n - i : 4);
		sum += be32(w);
	}
	return sum;
}

/* Offset of glyph g in glyf, from loca. */
static size_t loca_at(const unsigned char *loca, size_t loca_len, bool longf,
		      unsigned g)
{
	if (longf)
		return (size_t)(g * 4 + 4 <= loca_len ? be32(loca + g * 4) : 0);
	return (size_t)(g * 2 + 2 <= loca_len ? be16(loca + g * 2) * 2u : 0);
}

typedef struct src {
	const unsigned char *head, *hhea, *maxp, *hmtx, *loca, *glyf;
	size_t head_n, hhea_n, maxp_n, hmtx_n, loca_n, glyf_n;
} src;

static bool load_src(ts_fontset *fs, int face, src *s)
{
	s->head = ts_font_table(fs, face, "head", &s->head_n);
	s->hhea = ts_font_table(fs, face, "hhea", &s->hhea_n);
	s->maxp = ts_font_table(fs, face, "maxp", &s->maxp_n);
	s->hmtx = ts_font_table(fs, face, "hmtx", &s->hmtx_n);
	s->loca = ts_font_table(fs, face, "loca", &s->loca_n);
	s->glyf = ts_font_table(fs, face, "glyf", &s->glyf_n);
	return s->head && s->head_n >= 54 && s->hhea && s->hhea_n >= 36 && s->maxp &&
	       s->maxp_n >= 6 && s->hmtx && s->loca && s->glyf;
}

/* glyf and (long) loca for glyphs 0..n-1, keeping those in keep[]. */
static void build_glyf(const src *s, bool longf, const uint8_t *keep, unsigned n,
		       table *glyf, table *loca)
{
	unsigned char w[4];
	for (unsigned g = 0; g < n; g++) {
		put32(w, (uint32_t)glyf->data.len);
		qbuf_put(&loca->data, w, 4);
		if (!keep[g])
			continue;
		size_t a = loca_at(s->loca, s->loca_n, longf, g);
		size_t b = loca_at(s->loca, s->loca_n, longf, g + 1);
		if (b > a && b <= s->glyf_n) {
			qbuf_put(&glyf->data, s->glyf + a, b - a);
			while (glyf->data.len % 4)
				qbuf_putc(&glyf->data, 0);
		}
	}
	put32(w, (uint32_t)glyf->data.len);
	qbuf_put(&loca->data, w, 4);
}

/* hmtx for n glyphs: the long metrics first, then left side bearings. */
static void build_hmtx(const src *s, unsigned nhm_old, unsigned n, unsigned nhm,
		       table *hmtx)
{
	size_t longs = (size_t)nhm * 4;
	if (longs > s->hmtx_n)
		longs = s->hmtx_n;
	qbuf_put(&hmtx->data, s->hmtx, longs);
	for (unsigned g = nhm; g < n; g++) {
		size_t at = (size_t)nhm_old * 4 + (size_t)(g - nhm_old) * 2;
		unsigned char lsb[2] = {0, 0};
		if (g >= nhm_old && at + 2 <= s->hmtx_n)
			memcpy(lsb, s->hmtx + at, 2);
		qbuf_put(&hmtx->data, lsb, 2);
	}
}

static void add_copy(table *t, const char *tag, const unsigned char *p, size_t n)
{
	memcpy(t->tag, tag, 4);
	qbuf_init(&t->data);
	if (p && n)
		qbuf_put(&t->data, p, n);
}

/* The sfnt file: directory then tables (sorted by tag, 4-aligned). */
static void write_sfnt(table *t, int nt, qbuf *out)
{
	for (int i = 1; i < nt; i++)   /* insertion sort by tag */
		for (int j = i; j > 0 && memcmp(t[j - 1].tag, t[j].tag, 4) > 0; j--) {
			table x = t[j];
			t[j] = t[j - 1];
			t[j - 1] = x;
		}
	unsigned es = 0;
	while ((2u << es) <= (unsigned)nt)
		es++;
	unsigned char hdr[12];
	put32(hdr, 0x00010000);
	put16(hdr + 4, (unsigned)nt);
	put16(hdr + 6, (1u << es) * 16);
	put16(hdr + 8, es);
	put16(hdr + 10, (unsigned)nt * 16 - (1u << es) * 16);
	size_t start = out->len;
	qbuf_put(out, hdr, 12);
	size_t off = 12 + (size_t)nt * 16;
	for (int i = 0; i < nt; i++) {
		unsigned char rec[16];
		memcpy(rec, t[i].tag, 4);
		put32(rec + 4, checksum((const unsigned char *)t[i].data.ptr, t[i].data.len));
		put32(rec + 8, (uint32_t)off);
		put32(rec + 12, (uint32_t)t[i].data.len);
		qbuf_put(out, rec, 16);
		off += (t[i].data.len + 3) & ~(size_t)3;
	}
	size_t head_at = 0;
	for (int i = 0; i < nt; i++) {
		if (memcmp(t[i].tag, "head", 4) == 0)
			head_at = out->len;
		qbuf_put(out, t[i].data.ptr, t[i].data.len);
		while ((out->len - start) % 4)
			qbuf_putc(out, 0);
	}
	if (head_at) {
		uint32_t sum = checksum((const unsigned char *)out->ptr + start, out->len - start);
		put32((unsigned char *)out->ptr + head_at + 8, 0xB1B0AFBAu - sum);
	}
}

bool ts_font_subset(ts_fontset *fs, int face, const uint8_t *keep, unsigned nkeep,
		    qbuf *out)
{
	src s;
	if (!load_src(fs, face, &s))
		return false;
	bool longf = be16(s.head + 50) != 0;
	unsigned ng = be16(s.maxp + 4), nhm_old = be16(s.hhea + 34);
	unsigned n = 1;   /* glyph 0 (.notdef) always */
	if (nkeep == 0)
		return false;
	for (unsigned g = 0; g < nkeep && g < ng; g++)
		if (keep[g])
			n = g + 1;
	unsigned nhm = nhm_old < n ? nhm_old : n;
	if (nhm == 0)
		nhm = 1;
	table t[9];
	int nt = 0;
	add_copy(&t[nt++], "glyf", NULL, 0);
	add_copy(&t[nt++], "loca", NULL, 0);
	build_glyf(&s, longf, keep, n, &t[0], &t[1]);
	add_copy(&t[nt++], "hmtx", NULL, 0);
	build_hmtx(&s, nhm_old, n, nhm, &t[2]);
	add_copy(&t[nt++], "head", s.head, s.head_n);
	put16((unsigned char *)t[nt - 1].data.ptr + 50, 1);   /* long loca */
	put32((unsigned char *)t[nt - 1].data.ptr + 8, 0);    /* checksum later */
	add_copy(&t[nt++], "hhea", s.hhea, s.hhea_n);
	put16((unsigned char *)t[nt - 1].data.ptr + 34, nhm);
	add_copy(&t[nt++], "maxp", s.maxp, s.maxp_n);
	put16((unsigned char *)t[nt - 1].data.ptr + 4, n);
	static const char *const hinting[] = {"cvt ", "fpgm", "prep"};
	for (int i = 0; i < 3; i++) {
		size_t len;
		const unsigned char *p = ts_font_table(fs, face, hinting[i], &len);
		if (p)
			add_copy(&t[nt++], hinting[i], p, len);
	}
	write_sfnt(t, nt, out);
	for (int i = 0; i < nt; i++)
		qbuf_free(&t[i].data);
	return true;
}
