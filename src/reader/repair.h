/* repair.h - bytes of a notes file to clean UTF-8 text.
 *
 * Undoes mojibake (UTF-8 read as Mac Roman, Windows-1252 or Latin-1 and
 * saved again), decodes stray legacy bytes as Windows-1252, strips a BOM,
 * normalises line ends to "\n" and decodes UTF-16 files with a BOM. Line
 * numbers are kept: line N of the output is line N of the input. Every
 * repair is reported (verbose per line, plus one summary per kind).
 *
 * Ownership: the caller owns `out` and `d`; the input is borrowed.
 */
#ifndef QUIRE_REPAIR_H
#define QUIRE_REPAIR_H

#include <stddef.h>

#include "../util/buf.h"
#include "../util/diag.h"

/* Returns 0, or -1 when the data is binary (an error is added to d). */
int qrepair(const char *data, size_t n, qbuf *out, qdiags *d);

/* The same in parts, for reading big notes in parallel:
 * qrepair_prepare() looks at the whole input once (binary? UTF-16? BOM)
 * and gives the bytes to repair (in `decoded` when it had to decode);
 * qrepair_part() repairs a piece that starts at notes line first_line
 * (pieces must start at line starts) and counts into stats;
 * qrepair_summary() reports the counts once. */
typedef struct qrepair_stats {
	int count[3];          /* Mac Roman, Windows-1252, Latin-1 runs */
	int first[3];          /* line of the first of each */
	int invalid, invalid_first;
} qrepair_stats;

int qrepair_prepare(const char *data, size_t n, qbuf *decoded,
		    const char **text, size_t *len, qdiags *d);
void qrepair_part(const char *s, size_t n, int first_line, qbuf *out,
		  qdiags *d, qrepair_stats *stats);
void qrepair_summary(const qrepair_stats *stats, qdiags *d);
/* Add the counts of from to to; the first line of each kind is the
 * smaller of the two. */
void qrepair_stats_add(qrepair_stats *to, const qrepair_stats *from);

/* Repair one string (no line handling, no diagnostics); for tests and for
 * text given on the command line. Returns the number of repaired runs. */
int qrepair_text(const char *s, size_t n, qbuf *out);

#endif
