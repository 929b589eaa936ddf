/* fileio.c - whole-file reads and atomic writes (see fileio.h). */
#define _POSIX_C_SOURCE 200809L
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void set_err(char *err, size_t errlen, const char *msg)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", msg);
}

/* Read fd to its end; size is what fstat said (0: unknown), so that a
 * regular file is read into one allocation in few calls. */
static qfile_status read_fd(int fd, qbuf *out, size_t max, size_t size, char *err,
			    size_t errlen)
{
	size_t step = 65536;
	if (size && (!max || size <= max) && size < ((size_t)1 << 40))
		step = size + 1;   /* +1: the read that sees the end */
	for (;;) {
		if (!qbuf_grow(out, step)) {
			set_err(err, errlen, "out of memory");
			return QF_IO_ERROR;
		}
		ssize_t n = read(fd, out->ptr + out->len, step);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			set_err(err, errlen, strerror(errno));
			return errno == EISDIR ? QF_IS_DIR : QF_IO_ERROR;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		out->ptr[out->len] = '\0';
		step = 65536;
		if (max && out->len > max) {
			set_err(err, errlen, "file is too large");
			return QF_TOO_BIG;
		}
	}
	return QF_OK;
}

qfile_status qfile_read(const char *path, qbuf *out, size_t max, char *err,
			size_t errlen)
{
	if (strcmp(path, "-") == 0)
		return read_fd(0, out, max, 0, err, errlen);
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		set_err(err, errlen, strerror(errno));
		return errno == ENOENT ? QF_NOT_FOUND : QF_IO_ERROR;
	}
	struct stat st;
	if (fstat(fd, &st) != 0)
		memset(&st, 0, sizeof st);
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		set_err(err, errlen, "is a directory");
		return QF_IS_DIR;
	}
	size_t size = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size : 0;
	qfile_status s = read_fd(fd, out, max, size, err, errlen);
	close(fd);
	return s;
}

static const char *file_kind(mode_t m)
{
	return S_ISDIR(m) ? "a directory, not a regular file"
	       : S_ISFIFO(m) ? "a FIFO, not a regular file"
	       : S_ISCHR(m) || S_ISBLK(m) ? "a device, not a regular file"
	       : S_ISSOCK(m) ? "a socket, not a regular file" : "not a regular file";
}

qfile_status qfile_read_regular(const char *path, qbuf *out, size_t max, char *err,
				size_t errlen)
{
	/* O_NONBLOCK: opening a FIFO must not wait for a writer */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		set_err(err, errlen, strerror(errno));
		return errno == ENOENT ? QF_NOT_FOUND : QF_IO_ERROR;
	}
	struct stat st;
	qfile_status s = QF_OK;
	if (fstat(fd, &st) != 0) {
		set_err(err, errlen, strerror(errno));
		s = QF_IO_ERROR;
	} else if (!S_ISREG(st.st_mode)) {
		set_err(err, errlen, file_kind(st.st_mode));
		s = S_ISDIR(st.st_mode) ? QF_IS_DIR : QF_IO_ERROR;
	} else if (max && (unsigned long long)st.st_size > max) {
		set_err(err, errlen, "file is too large");
		s = QF_TOO_BIG;
	}
	if (s == QF_OK)
		s = read_fd(fd, out, max, (size_t)st.st_size, err, errlen);
	close(fd);
	return s;
}

time_t qfile_mtime(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return 0;
	return st.st_mtime;
}

static int write_all(int fd, const void *data, size_t n)
{
	const char *p = data;
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* "dir/.name.XXXXXX" beside path. */
static char *temp_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path + 1) : 0;
	const char *base = path + dirlen;
	size_t n = dirlen + 1 + strlen(base) + 8 + 1;
	char *t = malloc(n);
	if (t)
		snprintf(t, n, "%.*s.%s.XXXXXX", (int)dirlen, path, base);
	return t;
}

int qfile_write_atomic(const char *path, const void *data, size_t n,
		       char *err, size_t errlen)
{
	char *tmp = temp_name(path);
	if (!tmp) {
		set_err(err, errlen, "out of memory");
		return -1;
	}
	int fd = mkstemp(tmp);
	if (fd < 0) {
		set_err(err, errlen, strerror(errno));
		free(tmp);
		return -1;
	}
	mode_t um = umask(0);
	umask(um);
	int rc = fchmod(fd, 0666 & ~um);
	if (rc == 0)
		rc = write_all(fd, data, n);
	int saved = errno;
	if (close(fd) != 0 && rc == 0) {
		rc = -1;
		saved = errno;
	}
	if (rc == 0 && rename(tmp, path) != 0) {
		rc = -1;
		saved = errno;
	}
	if (rc != 0) {
		set_err(err, errlen, strerror(saved));
		unlink(tmp);
	}
	free(tmp);
	return rc;
}

int qfile_ensure_dir(const char *path, char *err, size_t errlen)
{
	struct stat st;
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		set_err(err, errlen, "exists and is not a directory");
		return -1;
	}
	if (mkdir(path, 0777) != 0 && errno != EEXIST) {
		set_err(err, errlen, strerror(errno));
		return -1;
	}
	return 0;
}

int qfile_exe_dir(char *buf, size_t n)
{
	if (n < 2)
		return -1;
	ssize_t len = readlink("/proc/self/exe", buf, n - 1);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	char *slash = strrchr(buf, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	return 0;
}
