/* watch.c - inotify on the folders of watched files (see watch.h). */
#include "watch.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "arena.h"
#include "cpu.h"

typedef struct watched {
	int wd;        /* the watch of its folder */
	char *name;    /* the file's name in that folder */
} watched;

typedef struct folder {
	int wd;
	char *path;
} folder;

struct qwatch {
	int fd;
	watched *files;
	int nfiles;
	folder *dirs;
	int ndirs;
};

qwatch *qwatch_new(void)
{
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0)
		return NULL;
	qwatch *w = qxmalloc(sizeof *w);
	*w = (qwatch){.fd = fd};
	return w;
}

void qwatch_clear(qwatch *w)
{
	for (int i = 0; i < w->nfiles; i++)
		free(w->files[i].name);
	free(w->files);
	w->files = NULL;
	w->nfiles = 0;
}

void qwatch_free(qwatch *w)
{
	if (!w)
		return;
	qwatch_clear(w);
	for (int i = 0; i < w->ndirs; i++)
		free(w->dirs[i].path);
	free(w->dirs);
	close(w->fd);
	free(w);
}

static char *copy(const char *s, size_t n)
{
	char *c = qxmalloc(n + 1);
	memcpy(c, s, n);
	c[n] = '\0';
	return c;
}

/* The watch of folder dir, added when new; -1 with errno set. */
static int folder_watch(qwatch *w, const char *dir)
{
	for (int i = 0; i < w->ndirs; i++)
		if (strcmp(w->dirs[i].path, dir) == 0)
			return w->dirs[i].wd;
	int wd = inotify_add_watch(w->fd, dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_ONLYDIR);
	if (wd < 0)
		return -1;
	w->dirs = qxrealloc(w->dirs, sizeof *w->dirs * (size_t)(w->ndirs + 1));
	w->dirs[w->ndirs++] = (folder){wd, copy(dir, strlen(dir))};
	return wd;
}

int qwatch_add(qwatch *w, const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == path)
		snprintf(dir, sizeof dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	const char *name = slash ? slash + 1 : path;
	int wd = folder_watch(w, dir);
	if (wd < 0)
		return -1;
	w->files = qxrealloc(w->files, sizeof *w->files * (size_t)(w->nfiles + 1));
	w->files[w->nfiles++] = (watched){wd, copy(name, strlen(name))};
	return 0;
}

/* Read the pending events; true when one names a watched file. */
static bool drain(qwatch *w)
{
	_Alignas(struct inotify_event) char buf[8192];
	bool hit = false;
	for (;;) {
		ssize_t n = read(w->fd, buf, sizeof buf);
		if (n <= 0)
			return hit;
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *e = (const struct inotify_event *)p;
			for (int i = 0; e->len && i < w->nfiles && !hit; i++)
				hit = w->files[i].wd == e->wd && strcmp(w->files[i].name, e->name) == 0;
			p += sizeof *e + e->len;
		}
	}
}

int qwatch_wait(qwatch *w, int settle_ms)
{
	/* events that came during the last build count: that build may
	 * have read the file before it was saved */
	struct pollfd pfd = {w->fd, POLLIN, 0};
	for (;;) {
		int r = poll(&pfd, 1, -1);
		if (r < 0)
			return errno == EINTR ? 0 : -1;
		if (drain(w))
			break;
	}
	long long until = qclock_ns() + (long long)settle_ms * 1000000;
	for (;;) {   /* the rest of a burst of saves */
		long long left = (until - qclock_ns()) / 1000000;
		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			return 1;
		drain(w);
	}
}
