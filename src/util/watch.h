/* watch.h - waiting until one of a set of files changes (quire --watch).
 *
 * Linux inotify on the folders that hold the files, so that a file an
 * editor saves by writing a new one and renaming it over the old counts
 * as well as one written in place. A file counts as changed when a writer
 * closes it or a file is renamed to its name; a half-written file never
 * does.
 *
 * Ownership: qwatch_new() returns an object the caller frees with
 * qwatch_free(); paths are copied in.
 */
#ifndef QUIRE_WATCH_H
#define QUIRE_WATCH_H

typedef struct qwatch qwatch;

/* NULL with errno set when inotify is not available. */
qwatch *qwatch_new(void);
void qwatch_free(qwatch *w);
/* Watch path (its folder may hold it later); 0, or -1 with errno set. */
int qwatch_add(qwatch *w, const char *path);
/* Forget every path (the folders' watches stay for qwatch_add). */
void qwatch_clear(qwatch *w);
/* Wait for a change of a watched path, then for settle_ms more so that a
 * burst of saves is one change. Returns 1 when something changed, 0 when
 * a signal interrupted the wait, -1 on an error (errno set). */
int qwatch_wait(qwatch *w, int settle_ms);

#endif
