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

/* Repair one string (no line handling, no diagnostics); for tests and for
 * text given on the command line. Returns the number of repaired runs. */
int qrepair_text(const char *s, size_t n, qbuf *out);

#endif
