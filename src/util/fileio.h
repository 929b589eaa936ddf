/* fileio.h - reading a whole file and writing one atomically.
 *
 * qfile_write_atomic() writes to a temporary file `.NAME.XXXXXX` in the
 * target's folder, flushes it to the disk and renames it over the target,
 * so a failed write never leaves a partial output and never touches a
 * previous good one. The writer holds a lock on its temporary file; one
 * left by a killed run (no lock held) is removed by the next write of the
 * same target.
 *
 * qfile_read_style() reads a file quire copies into its outputs (a
 * stylesheet, the booklet style, the font roles): only a regular file of
 * sane size, and not a symbolic link that leads out of its own folder, so
 * that a planted link cannot copy another file of the user into a book.
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
	QF_NOT_ALLOWED,   /* not a regular file, or (qfile_read_style) a link out */
} qfile_status;

/* The size limit of a style or configuration file. */
#define QFILE_STYLE_MAX ((size_t)4 << 20)

/* Read all of `path` (or stdin for "-") into out. max = size limit in
 * bytes (0 = none). On failure err holds a message (without the path). */
qfile_status qfile_read(const char *path, qbuf *out, size_t max,
			char *err, size_t errlen);
/* Read a style or configuration file (see above) into out; at most
 * QFILE_STYLE_MAX bytes. On failure err holds a message (without the
 * path). */
qfile_status qfile_read_style(const char *path, qbuf *out, char *err, size_t errlen);
/* Read a file that must be a regular file (never a FIFO, a device or a
 * directory, which are not read at all) of at most max bytes (checked
 * before reading); a symbolic link is followed. */
qfile_status qfile_read_regular(const char *path, qbuf *out, size_t max,
				char *err, size_t errlen);
/* The stem of a notes path, which names its outputs: the file name
 * without folder and extension ("a/n.md" -> "n"), "notes" for "-" (standard
 * input). Returns a pointer into path (or a literal) and its length. */
const char *qfile_stem(const char *path, size_t *len);
/* Modification time of path, or 0. */
time_t qfile_mtime(const char *path);
/* Write n bytes to path atomically; 0 on success, -1 with err set. */
int qfile_write_atomic(const char *path, const void *data, size_t n,
		       char *err, size_t errlen);
/* The folder of the running program (from /proc/self/exe); 0 on success. */
int qfile_exe_dir(char *buf, size_t n);
/* Create a directory and its missing parents (mkdir -p); 0 on success,
 * -1 with err set (naming the part that failed when it is not path). */
int qfile_ensure_dir(const char *path, char *err, size_t errlen);

#endif
