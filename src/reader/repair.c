/* repair.c - undo mojibake and legacy bytes, keep every line in place.
 *
 * A run of non-ASCII characters (U+0080..U+FFFF) is mojibake when mapping
 * each character back to a byte of Mac Roman, Windows-1252 or Latin-1
 * gives valid UTF-8 that differs from the run and decodes to plausible
 * characters. Text that is already right (café, →, 中文, кириллица) fails
 * that test and is never touched. Bytes that are not UTF-8 at all are read
 * as Windows-1252, with a warning naming the line.
 */
#include "repair.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../util/arena.h"
#include "../util/utf8.h"

typedef enum { ENC_MACROMAN, ENC_CP1252, ENC_LATIN1, NENC } enc;

static const char *const enc_name[NENC] = {"Mac Roman", "Windows-1252",
					   "Latin-1"};

static const uint16_t mac_roman[128] = {
	0x00C4, 0x00C5, 0x00C7, 0x00C9, 0x00D1, 0x00D6, 0x00DC, 0x00E1,
	0x00E0, 0x00E2, 0x00E4, 0x00E3, 0x00E5, 0x00E7, 0x00E9, 0x00E8,
	0x00EA, 0x00EB, 0x00ED, 0x00EC, 0x00EE, 0x00EF, 0x00F1, 0x00F3,
	0x00F2, 0x00F4, 0x00F6, 0x00F5, 0x00FA, 0x00F9, 0x00FB, 0x00FC,
	0x2020, 0x00B0, 0x00A2, 0x00A3, 0x00A7, 0x2022, 0x00B6, 0x00DF,
	0x00AE, 0x00A9, 0x2122, 0x00B4, 0x00A8, 0x2260, 0x00C6, 0x00D8,
	0x221E, 0x00B1, 0x2264, 0x2265, 0x00A5, 0x00B5, 0x2202, 0x2211,
	0x220F, 0x03C0, 0x222B, 0x00AA, 0x00BA, 0x03A9, 0x00E6, 0x00F8,
	0x00BF, 0x00A1, 0x00AC, 0x221A, 0x0192, 0x2248, 0x2206, 0x00AB,
	0x00BB, 0x2026, 0x00A0, 0x00C0, 0x00C3, 0x00D5, 0x0152, 0x0153,
	0x2013, 0x2014, 0x201C, 0x201D, 0x2018, 0x2019, 0x00F7, 0x25CA,
	0x00FF, 0x0178, 0x2044, 0x20AC, 0x2039, 0x203A, 0xFB01, 0xFB02,
	0x2021, 0x00B7, 0x201A, 0x201E, 0x2030, 0x00C2, 0x00CA, 0x00C1,
	0x00CB, 0x00C8, 0x00CD, 0x00CE, 0x00CF, 0x00CC, 0x00D3, 0x00D4,
	0xF8FF, 0x00D2, 0x00DA, 0x00DB, 0x00D9, 0x0131, 0x02C6, 0x02DC,
	0x00AF, 0x02D8, 0x02D9, 0x02DA, 0x00B8, 0x02DD, 0x02DB, 0x02C7,
};

/* 0 marks the five bytes Windows-1252 leaves undefined. */
static const uint16_t cp1252[32] = {
	0x20AC, 0x0000, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x0000, 0x017D, 0x0000,
	0x0000, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x0000, 0x017E, 0x0178,
};

/* The character a legacy byte stands for in Windows-1252 (0 if none). */
static uint32_t cp1252_char(unsigned char b)
{
	if (b < 0x80 || b >= 0xA0)
		return b;
	return cp1252[b - 0x80];
}

/* Reverse maps, code point -> byte, for the characters above U+00FF of
 * Mac Roman and Windows-1252 (filled once; Latin-1 needs none). */
typedef struct rev {
	uint16_t cp;
	uint8_t byte;
} rev;
static rev mac_rev[128], win_rev[32];
static int nmac, nwin;

static int by_cp(const void *a, const void *b)
{
	return (int)((const rev *)a)->cp - (int)((const rev *)b)->cp;
}

static void fill_reverse(void)
{
	for (int i = 0; i < 128; i++)
		mac_rev[nmac++] = (rev){mac_roman[i], (uint8_t)(0x80 + i)};
	for (int i = 0; i < 32; i++)
		if (cp1252[i])
			win_rev[nwin++] = (rev){cp1252[i], (uint8_t)(0x80 + i)};
	qsort(mac_rev, (size_t)nmac, sizeof(rev), by_cp);
	qsort(win_rev, (size_t)nwin, sizeof(rev), by_cp);
}

static void build_reverse(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, fill_reverse);
}

static int lookup(const rev *t, int n, uint32_t cp)
{
	if (cp > 0xFFFF)
		return -1;
	rev key = {(uint16_t)cp, 0};
	const rev *r = bsearch(&key, t, (size_t)n, sizeof(rev), by_cp);
	return r ? r->byte : -1;
}

/* The byte that `cp` is in encoding e, or -1. */
static int encode_byte(enc e, uint32_t cp)
{
	if (e == ENC_LATIN1)
		return (cp >= 0x80 && cp <= 0xFF) ? (int)cp : -1;
	if (e == ENC_CP1252)
		return (cp >= 0xA0 && cp <= 0xFF) ? (int)cp : lookup(win_rev, nwin, cp);
	return lookup(mac_rev, nmac, cp);
}

/* Characters a repair may produce: not C1 controls, IPA, modifier letters,
 * combining marks or private use (those come out of false repairs). */
static bool plausible(int32_t cp)
{
	if (cp < 0xA0)
		return false;
	if (cp >= 0x250 && cp <= 0x36F)
		return false;
	if (cp >= 0xE000 && cp <= 0xF8FF)
		return false;
	if (cp == 0xFFFD || (cp >= 0xFFF0 && cp <= 0xFFFF))
		return false;
	return true;
}

/* Do the bytes decode to valid, plausible UTF-8 (all non-ASCII)? */
static bool decodes_well(const unsigned char *b, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t l;
		int32_t cp = qutf8_decode(b + i, n - i, &l);
		if (cp < 0 || l < 2 || !plausible(cp))
			return false;
		i += l;
	}
	return true;
}

typedef struct run {
	uint32_t *cp;
	size_t n, cap;
	unsigned char *bytes;
	size_t bcap;
} run;

static void run_push(run *r, uint32_t cp)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->cp = qxrealloc(r->cp, r->cap * sizeof *r->cp);
	}
	r->cp[r->n++] = cp;
}

/* Map cps[0..n) to bytes of e; false if one has no byte. */
static bool to_bytes(run *r, enc e, const uint32_t *cps, size_t n)
{
	if (n > r->bcap) {
		r->bcap = n * 2;
		r->bytes = qxrealloc(r->bytes, r->bcap);
	}
	for (size_t i = 0; i < n; i++) {
		int b = encode_byte(e, cps[i]);
		if (b < 0)
			return false;
		r->bytes[i] = (unsigned char)b;
	}
	return true;
}

typedef struct repairer {
	qbuf *out;
	qdiags *d;        /* NULL: no diagnostics */
	int line;
	run r;
	qrepair_stats st; /* counts of this piece */
	int runs;         /* repaired runs, for qrepair_text */
} repairer;

static void note_repair(repairer *p, enc e, const uint32_t *cps, size_t n,
			const unsigned char *to, size_t tn)
{
	p->runs++;
	if (!p->st.count[e]++)
		p->st.first[e] = p->line;
	if (!p->d)
		return;
	qbuf from = QBUF_INIT;
	for (size_t i = 0; i < n; i++)
		qbuf_put_utf8(&from, cps[i]);
	qdiag_guess(p->d, p->line, "mojibake", "repaired %s mojibake '%s' -> '%.*s'",
		    enc_name[e], from.ptr, (int)tn, (const char *)to);
	qbuf_free(&from);
}

/* Try to repair a whole run with one encoding. */
static bool repair_whole(repairer *p, const uint32_t *cps, size_t n)
{
	for (int e = 0; e < NENC; e++) {
		if (!to_bytes(&p->r, (enc)e, cps, n) || !decodes_well(p->r.bytes, n))
			continue;
		qbuf_put(p->out, p->r.bytes, n);
		note_repair(p, (enc)e, cps, n, p->r.bytes, n);
		return true;
	}
	return false;
}

/* Length of a UTF-8 sequence led by byte b (0 if b cannot lead one). */
static size_t lead_len(int b)
{
	if (b >= 0xC2 && b <= 0xDF)
		return 2;
	if (b >= 0xE0 && b <= 0xEF)
		return 3;
	if (b >= 0xF0 && b <= 0xF4)
		return 4;
	return 0;
}

/* Repair the mojibake sequences inside a run that is partly right. */
static void repair_parts(repairer *p, const uint32_t *cps, size_t n)
{
	size_t i = 0;
	while (i < n) {
		bool done = false;
		for (int e = 0; e < NENC && !done; e++) {
			size_t l = lead_len(encode_byte((enc)e, cps[i]));
			if (!l || i + l > n || !to_bytes(&p->r, (enc)e, cps + i, l)
			    || !decodes_well(p->r.bytes, l))
				continue;
			qbuf_put(p->out, p->r.bytes, l);
			note_repair(p, (enc)e, cps + i, l, p->r.bytes, l);
			i += l;
			done = true;
		}
		if (!done)
			qbuf_put_utf8(p->out, cps[i++]);
	}
}

static void flush_run(repairer *p)
{
	run *r = &p->r;
	if (!r->n)
		return;
	if (r->n == 1 || !repair_whole(p, r->cp, r->n))
		repair_parts(p, r->cp, r->n);
	r->n = 0;
}

static void invalid_byte(repairer *p, unsigned char b)
{
	flush_run(p);
	uint32_t cp = cp1252_char(b);
	if (!p->st.invalid++)
		p->st.invalid_first = p->line;
	qbuf ch = QBUF_INIT;
	qbuf_put_utf8(&ch, cp ? cp : 0xFFFD);
	if (p->d)
		qdiag_add(p->d, QD_WARNING, p->line, 0, "invalid-utf8",
			  "byte 0x%02X is not UTF-8; read as Windows-1252 '%s'%s",
			  b, ch.ptr, cp ? "" : " (undefined there)");
	qbuf_put(p->out, ch.ptr, ch.len);
	qbuf_free(&ch);
}

/* One character of valid UTF-8 (or ASCII) at s. */
static void take_char(repairer *p, const unsigned char *s, size_t len,
		      int32_t cp)
{
	if (cp >= 0x80 && cp <= 0xFFFF) {
		run_push(&p->r, (uint32_t)cp);
		return;
	}
	flush_run(p);
	qbuf_put(p->out, s, len);
}

static void repair_bytes(repairer *p, const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		if (c >= 0x20 && c < 0x80) {   /* plain ASCII: copy the whole stretch */
			size_t j = i + 1;
			while (j < n && s[j] >= 0x20 && s[j] < 0x80)
				j++;
			flush_run(p);
			qbuf_put(p->out, s + i, j - i);
			i = j;
			continue;
		}
		if (c < 0x80) {
			flush_run(p);
			if (c == '\r') {
				qbuf_putc(p->out, '\n');
				i += (i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
				p->line++;
				continue;
			}
			if (c == '\n')
				p->line++;
			if (c)
				qbuf_putc(p->out, c);
			else
				qbuf_put_utf8(p->out, 0xFFFD);
			if (!c && p->d)
				qdiag_add(p->d, QD_WARNING, p->line, 0, "nul-byte",
					  "NUL byte replaced by U+FFFD");
			i++;
			continue;
		}
		size_t l;
		int32_t cp = qutf8_decode(s + i, n - i, &l);
		if (cp < 0)
			invalid_byte(p, c);
		else
			take_char(p, s + i, l, cp);
		i += l;
	}
	flush_run(p);
}

void qrepair_summary(const qrepair_stats *st, qdiags *d)
{
	for (int e = 0; e < NENC; e++)
		if (st->count[e])
			qdiag_add(d, QD_WARNING, st->first[e], 0, "mojibake",
				  "repaired %d %s mojibake sequence%s (first here; -v lists all)",
				  st->count[e], enc_name[e], st->count[e] == 1 ? "" : "s");
	if (st->invalid > 1)
		qdiag_add(d, QD_WARNING, st->invalid_first, 0, "invalid-utf8",
			  "%d bytes were not UTF-8 and were read as Windows-1252",
			  st->invalid);
}

/* Add one part's counts to the whole's. */
void qrepair_stats_add(qrepair_stats *to, const qrepair_stats *from)
{
	for (int e = 0; e < NENC; e++) {
		if (from->count[e] && (!to->count[e] || from->first[e] < to->first[e]))
			to->first[e] = from->first[e];
		to->count[e] += from->count[e];
	}
	if (from->invalid && (!to->invalid || from->invalid_first < to->invalid_first))
		to->invalid_first = from->invalid_first;
	to->invalid += from->invalid;
}

/* Is this binary data rather than text? NUL bytes in bulk say so. */
static bool looks_binary(const unsigned char *s, size_t n, size_t *at)
{
	size_t nul = 0, ctl = 0;
	size_t probe = n < 8192 ? n : 8192;   /* as git does */
	*at = 0;
	for (size_t i = 0; i < probe; i++) {
		if (s[i] == 0 && !nul++)
			*at = i;
		else if (s[i] < 0x20 && s[i] != '\n' && s[i] != '\r'
			 && s[i] != '\t' && s[i] != '\f')
			ctl++;
	}
	return (nul >= 4 && nul * 100 > probe) || (probe >= 64 && (ctl + nul) * 10 > probe);
}

/* UTF-16 without a byte order mark: mostly text whose every other byte
 * is NUL. Returns "UTF-16LE", "UTF-16BE" or NULL. */
static const char *utf16_without_bom(const unsigned char *s, size_t n)
{
	size_t probe = (n < 8192 ? n : 8192) & ~(size_t)1, zero[2] = {0, 0};
	if (probe < 4)
		return NULL;
	for (size_t i = 0; i < probe; i++)
		zero[i & 1] += s[i] == 0;
	size_t half = probe / 2;
	if (zero[1] * 10 >= half * 9 && zero[0] * 10 < half)
		return "UTF-16LE";
	if (zero[0] * 10 >= half * 9 && zero[1] * 10 < half)
		return "UTF-16BE";
	return NULL;
}

static int line_of(const unsigned char *s, size_t at)
{
	int line = 1;
	for (size_t i = 0; i < at; i++)
		line += s[i] == '\n';
	return line;
}

/* UTF-16 with a BOM: decode to UTF-8 bytes in out. */
static void decode_utf16(const unsigned char *s, size_t n, bool be, qbuf *out)
{
	for (size_t i = 2; i + 1 < n; i += 2) {
		uint32_t u = be ? (uint32_t)(s[i] << 8 | s[i + 1])
				: (uint32_t)(s[i + 1] << 8 | s[i]);
		if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
			uint32_t lo = be ? (uint32_t)(s[i + 2] << 8 | s[i + 3])
					 : (uint32_t)(s[i + 3] << 8 | s[i + 2]);
			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
				i += 2;
			}
		}
		qbuf_put_utf8(out, u ? u : '?');
	}
}

static void free_repairer(repairer *p)
{
	free(p->r.cp);
	free(p->r.bytes);
}

int qrepair_prepare(const char *data, size_t n, qbuf *decoded,
		    const char **text, size_t *len, qdiags *d)
{
	const unsigned char *s = (const unsigned char *)data;
	if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
		decode_utf16(s, n, s[0] == 0xFE, decoded);
		qdiag_add(d, QD_NOTE, 1, 0, "encoding", "read as UTF-16 (byte order mark)");
		s = (const unsigned char *)decoded->ptr;
		n = decoded->len;
	}
	size_t at;
	const char *utf16 = s == (const unsigned char *)data ? utf16_without_bom(s, n) : NULL;
	if (utf16) {
		qdiag_add(d, QD_ERROR, 0, 0, "encoding",
			  "this looks like %s text without a byte order mark, which quire does not "
			  "guess; convert it first: iconv -f %s -t UTF-8 NOTES > NOTES-utf8.md",
			  utf16, utf16);
		return -1;
	}
	if (looks_binary(s, n, &at)) {
		qdiag_add(d, QD_ERROR, line_of(s, at), 0, "binary",
			  "this is not a text file (NUL or control bytes); nothing was written");
		return -1;
	}
	if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
		s += 3;
		n -= 3;
	}
	build_reverse();
	*text = (const char *)s;
	*len = n;
	return 0;
}

void qrepair_part(const char *s, size_t n, int first_line, qbuf *out,
		  qdiags *d, qrepair_stats *stats)
{
	build_reverse();
	repairer p = {.out = out, .d = d, .line = first_line};
	qbuf_grow(out, n + n / 8);
	repair_bytes(&p, (const unsigned char *)s, n);
	qrepair_stats_add(stats, &p.st);
	free_repairer(&p);
}

int qrepair(const char *data, size_t n, qbuf *out, qdiags *d)
{
	qbuf decoded = QBUF_INIT;
	const char *text;
	size_t len;
	int rc = qrepair_prepare(data, n, &decoded, &text, &len, d);
	if (rc == 0) {
		qrepair_stats st = {0};
		qrepair_part(text, len, 1, out, d, &st);
		qrepair_summary(&st, d);
	}
	qbuf_free(&decoded);
	return rc;
}

int qrepair_text(const char *s, size_t n, qbuf *out)
{
	build_reverse();
	repairer p = {.out = out, .d = NULL, .line = 1};
	repair_bytes(&p, (const unsigned char *)s, n);
	free_repairer(&p);
	return p.runs;
}
