/* fileio.h - reading a whole file and writing one atomically.
 *
 * qfile_write_atomic() writes to a temporary file in the target's folder
 * and renames it over the target, so a failed write never leaves a partial
 * output and never touches a previous good one.
 *
 * Ownership: qfile_read() appends to a caller-owned qbuf; error messages
 * go to a caller-provided array.
 */
#ifndef QUIRE_FILEIO_H
#define QUIRE_FILEIO_H

#include <stddef.h>
#include <time.h>

#include "buf.h"

typedef enum {
	QF_OK = 0,
	QF_NOT_FOUND,
	QF_IS_DIR,
	QF_TOO_BIG,
	QF_IO_ERROR,
} qfile_status;

/* Read all of `path` (or stdin for "-") into out. max = size limit in
 * bytes (0 = none). On failure err holds a message (without the path). */
qfile_status qfile_read(const char *path, qbuf *out, size_t max,
			char *err, size_t errlen);
/* The same for a file that must be a regular file (never a FIFO, a
 * device or a directory, which are not read at all), of at most max
 * bytes (checked before reading). */
qfile_status qfile_read_regular(const char *path, qbuf *out, size_t max,
				char *err, size_t errlen);
/* Modification time of path, or 0. */
time_t qfile_mtime(const char *path);
/* Write n bytes to path atomically; 0 on success, -1 with err set. */
int qfile_write_atomic(const char *path, const void *data, size_t n,
		       char *err, size_t errlen);
/* The folder of the running program (from /proc/self/exe); 0 on success. */
int qfile_exe_dir(char *buf, size_t n);
/* Create a directory (one level) if missing; 0 on success. */
int qfile_ensure_dir(const char *path, char *err, size_t errlen);

#endif
