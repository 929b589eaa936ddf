/* pool.h - worker threads shared out among the processors: the one way
 * quire runs work in parallel (the EPUB's deflating, the deck's fields
 * and collection; the reader can use it the same way).
 *
 * A pool has a few worker threads (one per processor beside the thread
 * that made it, at most the number asked for) that run queued tasks in
 * the order they were pushed (qpool_push_front() puts one before the
 * others). The thread that made the pool is worker 0: it runs tasks too
 * while it waits, so a pool without threads (one processor) still runs
 * everything. Idle threads sleep on a condition variable; nothing spins.
 *
 * Rules:
 * - A task writes only its own results, so that what quire makes never
 *   depends on which thread ran what or on how many there are.
 * - Any thread may push (a task may push more tasks); only the thread
 *   that made the pool waits (qpool_wait, qpool_wait_task, qpool_for)
 *   and frees it. A task never waits for another task.
 * - `worker` (0 .. qpool_size() - 1) names the thread running a task, for
 *   state kept per thread (an arena, a zlib stream); two tasks with the
 *   same worker number never run at the same time.
 *
 * One pool serves the whole program: main.c makes it and hands it to
 * the loading of the back ends' modules, the reader (qread_opts.pool)
 * and the back ends (qjob.pool), each of which waits for its own tasks
 * before it returns. NULL is a pool without threads that runs each task
 * as it is pushed (tests, the fuzz target, a program that wants no
 * threads). What blocks rather than computes has a thread of its own:
 * writing and flushing an output file (main.c), the progress line.
 *
 * Ownership: the caller owns each task and keeps it alive until it is
 * done (qpool_wait_task, qpool_wait, or qpool_free, which waits for
 * every pushed task before it stops the threads).
 */
#ifndef QUIRE_POOL_H
#define QUIRE_POOL_H

#include <stdbool.h>

typedef struct qtask qtask;
struct qtask {
	void (*run)(qtask *t, int worker);
	/* the pool's own */
	qtask *next;
	int state;
};

typedef struct qpool qpool;

/* A pool of up to max_threads threads beside the caller (fewer when the
 * processors are fewer; 0 gives a pool that runs everything in the
 * waits). Never fails: a thread that cannot be started is one fewer. */
qpool *qpool_new(int max_threads);
/* NULL is a no-op. Waits for every pushed task first. */
void qpool_free(qpool *p);
/* Workers including the caller: 1 + the threads. */
int qpool_size(const qpool *p);

/* Queue t (t->run set; the rest is the pool's). */
void qpool_push(qpool *p, qtask *t);
void qpool_push_front(qpool *p, qtask *t);
/* Until t is done: run it here if no thread has taken it yet. */
void qpool_wait_task(qpool *p, qtask *t);
/* Until every pushed task is done, running queued ones here. */
void qpool_wait(qpool *p);
/* fn(ctx, worker, i) for every i in [0, n), shared among the threads
 * and the caller; returns when all are done. Tasks queued before run
 * first. */
void qpool_for(qpool *p, int n, void (*fn)(void *ctx, int worker, int i), void *ctx);

#endif
