/* fileio.c - whole-file reads and atomic writes (see fileio.h). */
#define _POSIX_C_SOURCE 200809L
#include "fileio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
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
		if (out->cap - out->len <= 1)   /* room left is used first */
			qbuf_grow(out, step);
		ssize_t n = read(fd, out->ptr + out->len, out->cap - out->len - 1);
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

/* The resolved path of path, when it lies inside the resolved folder that
 * holds it (a symbolic link may point elsewhere in that folder, or below
 * it); false when it leads out, or cannot be resolved (errno set). */
static bool resolve_inside(const char *path, char *resolved)
{
	if (!realpath(path, resolved))
		return false;
	char dir[PATH_MAX], rdir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash == dir)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof dir, ".");
	if (!realpath(dir, rdir))
		return false;
	size_t n = strlen(rdir);
	if (n == 1)   /* the root folder holds everything */
		return true;
	if (strncmp(resolved, rdir, n) == 0 && resolved[n] == '/')
		return true;
	errno = EXDEV;
	return false;
}

static const char *file_kind(mode_t m)
{
	return S_ISFIFO(m) ? "a FIFO, not a regular file; not read"
	       : S_ISCHR(m) || S_ISBLK(m) ? "a device, not a regular file; not read"
	       : S_ISSOCK(m) ? "a socket, not a regular file; not read"
	       : "not a regular file; not read";
}

/* Read path when it is a regular file of at most max bytes (checked
 * before reading); a FIFO, a device or a directory is never read (nor
 * waited on). flags are added to open()'s. */
static qfile_status read_regular(const char *path, int flags, qbuf *out, size_t max,
				 char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | flags);
	if (fd < 0) {
		set_err(err, errlen, strerror(errno));
		return errno == ENOENT ? QF_NOT_FOUND : QF_IO_ERROR;
	}
	struct stat st;
	qfile_status s = QF_OK;
	if (fstat(fd, &st) != 0) {
		set_err(err, errlen, strerror(errno));
		s = QF_IO_ERROR;
	} else if (S_ISDIR(st.st_mode)) {
		set_err(err, errlen, "is a directory");
		s = QF_IS_DIR;
	} else if (!S_ISREG(st.st_mode)) {
		set_err(err, errlen, file_kind(st.st_mode));
		s = QF_NOT_ALLOWED;
	} else if ((size_t)st.st_size > max) {
		char msg[96];
		snprintf(msg, sizeof msg, "larger than %zu KB; not read", max >> 10);
		set_err(err, errlen, msg);
		s = QF_TOO_BIG;
	} else {
		s = read_fd(fd, out, max, (size_t)st.st_size, err, errlen);
	}
	close(fd);
	return s;
}

qfile_status qfile_read_style(const char *path, qbuf *out, char *err, size_t errlen)
{
	char resolved[PATH_MAX];
	if (!resolve_inside(path, resolved)) {
		if (errno == EXDEV) {
			set_err(err, errlen, "a symbolic link out of its folder; not read");
			return QF_NOT_ALLOWED;
		}
		set_err(err, errlen, strerror(errno));
		return errno == ENOENT ? QF_NOT_FOUND : QF_IO_ERROR;
	}
	return read_regular(resolved, O_NOFOLLOW, out, QFILE_STYLE_MAX, err, errlen);
}

qfile_status qfile_read_regular(const char *path, qbuf *out, size_t max, char *err,
				size_t errlen)
{
	return read_regular(path, 0, out, max, err, errlen);
}

const char *qfile_stem(const char *path, size_t *len)
{
	if (!path || !*path || strcmp(path, "-") == 0) {
		*len = 5;
		return "notes";
	}
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	*len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	return base;
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

/* True when name is `.BASE.XXXXXX`, quire's temporary name for base
 * (the six characters are mkstemp's). */
static bool is_temp_of(const char *name, const char *base)
{
	size_t bl = strlen(base);
	if (name[0] != '.' || strncmp(name + 1, base, bl) != 0 || name[1 + bl] != '.')
		return false;
	const char *x = name + bl + 2;
	if (strlen(x) != 6)
		return false;
	for (int i = 0; i < 6; i++)
		if (!(x[i] >= 'a' && x[i] <= 'z') && !(x[i] >= 'A' && x[i] <= 'Z') &&
		    !(x[i] >= '0' && x[i] <= '9'))
			return false;
	return true;
}

/* Remove dir/name when it is a regular file of ours that no writer holds
 * locked: what a killed run left behind. */
static void remove_if_stale(int dfd, const char *name)
{
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return;
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
	    flock(fd, LOCK_EX | LOCK_NB) == 0)
		unlinkat(dfd, name, 0);
	close(fd);   /* drops the lock */
}

/* Remove the stale temporary files of path (see fileio.h). */
static void clean_stale_temps(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	if (slash)
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path + 1), path);
	else
		snprintf(dir, sizeof dir, ".");
	const char *base = slash ? slash + 1 : path;
	DIR *d = opendir(dir);
	if (!d)
		return;
	for (struct dirent *e; (e = readdir(d));)
		if (is_temp_of(e->d_name, base))
			remove_if_stale(dirfd(d), e->d_name);
	closedir(d);
}

/* mkstemp() and take the writer's lock; retried when a cleaner of another
 * run removed the file between the two (it saw no lock yet). */
static int make_locked_temp(char *tmp)
{
	size_t n = strlen(tmp);
	for (int tries = 0; tries < 8; tries++) {
		memcpy(tmp + n - 6, "XXXXXX", 6);
		int fd = mkstemp(tmp);
		if (fd < 0)
			return -1;
		struct stat a, b;
		if (flock(fd, LOCK_EX) == 0 && fstat(fd, &a) == 0 && stat(tmp, &b) == 0 &&
		    a.st_ino == b.st_ino && a.st_dev == b.st_dev)
			return fd;
		close(fd);
	}
	errno = EAGAIN;
	return -1;
}

/* The umask, read once before main(), while the process has one thread:
 * umask() changes it to read it, and later the writers run on threads. */
static mode_t the_umask;

__attribute__((constructor)) static void read_umask(void)
{
	the_umask = umask(0);
	umask(the_umask);
}

static mode_t process_umask(void)
{
	return the_umask;
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
	clean_stale_temps(path);
	int fd = make_locked_temp(tmp);
	if (fd < 0) {
		set_err(err, errlen, strerror(errno));
		free(tmp);
		return -1;
	}
	int rc = fchmod(fd, 0666 & ~process_umask());
	if (rc == 0)
		rc = write_all(fd, data, n);
	if (rc == 0)
		rc = fsync(fd);   /* the bytes are on the disk before the name is */
	int saved = errno;
	if (rc == 0 && rename(tmp, path) != 0) {
		rc = -1;
		saved = errno;
	}
	close(fd);   /* after the rename: the lock marks a live writer */
	if (rc != 0) {
		set_err(err, errlen, strerror(saved));
		unlink(tmp);
	}
	free(tmp);
	return rc;
}

/* One folder, its parent existing; 0 when it is (now) a folder. The
 * message names the folder when it is a parent of the one asked for. */
static int make_one_dir(const char *path, const char *full, char *err, size_t errlen)
{
	struct stat st;
	const char *why = NULL;
	if (mkdir(path, 0777) != 0 && errno != EEXIST)
		why = strerror(errno);
	else if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		why = "exists and is not a directory";
	if (!why)
		return 0;
	char msg[PATH_MAX + 64];
	if (strcmp(path, full))
		snprintf(msg, sizeof msg, "%s: %s", path, why);
	else
		snprintf(msg, sizeof msg, "%s", why);
	set_err(err, errlen, msg);
	return -1;
}

int qfile_ensure_dir(const char *path, char *err, size_t errlen)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	char part[PATH_MAX];
	if (snprintf(part, sizeof part, "%s", path) >= (int)sizeof part) {
		set_err(err, errlen, "path too long");
		return -1;
	}
	/* each parent in turn, then the folder itself */
	for (char *p = part + 1; *p; p++) {
		if (*p != '/' || p[-1] == '/')
			continue;
		*p = '\0';
		int rc = make_one_dir(part, path, err, errlen);
		*p = '/';
		if (rc)
			return -1;
	}
	return make_one_dir(part, path, err, errlen);
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
