/* pool.c - worker threads for the EPUB back end: one per processor
 * beside the calling thread, started when the book is begun, running
 * queued tasks (deflating chunks of the container, writing the NCX)
 * while the calling thread renders the chapters. The caller joins in
 * with qepub_pool_wait() when it has nothing left to do.
 *
 * Tasks run in the order they were queued, urgent ones first. A task
 * must write only its own results: what the book looks like never
 * depends on which thread ran what, or on how many there are (with no
 * worker every task runs in qepub_pool_wait()).
 *
 * A thread that runs out of tasks polls for a moment before it sleeps:
 * on a virtual machine a processor that has gone idle can take
 * milliseconds to wake up again, longer than the gaps between the tasks
 * of one book (the next chapter comes a fraction of a millisecond
 * later). It polls with sched_yield() for at most SPIN_NS, and stops
 * as soon as a yield lets another thread run: when the machine is busy,
 * sleeping is better (the processor is not idle, and the scheduler
 * favours a thread that wakes up over one that kept polling).
 *
 * Each thread has a `local` slot that tasks may use for state kept
 * between tasks (zipout.c keeps its deflate stream there); the pool hands it
 * to local_free when the thread is done.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../util/cpu.h"
#include "epub.h"

#define MAX_WORKERS 7
#define SPIN_NS 1000000L   /* how long an idle thread polls before sleeping */
#define YIELD_NS 20000L    /* a sched_yield() this long ran another thread */

struct qepub_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;      /* a task was queued, none is pending, or stop */
	qepub_task *head, *tail;
	int pending;            /* tasks queued or running */
	bool stop;
	/* Copies for polling without the lock: tasks queued, tasks pending
	 * (queued or running), and stop. Written under the lock. */
	atomic_int nqueued, npending;
	atomic_bool stopping;
	pthread_t tid[MAX_WORKERS];
	int nworkers;
	void (*local_free)(void *local);
	void *main_local;       /* the slot of the thread that calls wait */
};

/* Under the lock; NULL when the queue is empty. */
static qepub_task *pop(qepub_pool *p)
{
	qepub_task *t = p->head;
	if (t) {
		p->head = t->next;
		if (!p->head)
			p->tail = NULL;
		atomic_fetch_sub(&p->nqueued, 1);
	}
	return t;
}

/* Run t outside the lock (held on entry and on return). */
static void run_unlocked(qepub_pool *p, qepub_task *t, void **local)
{
	pthread_mutex_unlock(&p->mu);
	t->run(t, local);
	pthread_mutex_lock(&p->mu);
	atomic_store(&p->npending, --p->pending);
	if (p->pending == 0)
		pthread_cond_broadcast(&p->cv);
}

/* Called with the lock held and nothing to run: poll without the lock
 * until there may be something (a task queued; for the waiting caller
 * also nothing pending), then wait on the condition if there still is
 * not. Returns with the lock held. */
static void idle(qepub_pool *p, bool caller)
{
	pthread_mutex_unlock(&p->mu);
	long long start = qclock_ns(), t = start;
	while (atomic_load(&p->nqueued) == 0 && !atomic_load(&p->stopping)
	       && !(caller && atomic_load(&p->npending) == 0)) {
		sched_yield();
		long long after = qclock_ns();
		/* another thread wanted this processor: sleep, so that it
		 * runs, and so that a wake-up (which the scheduler favours)
		 * brings this thread back */
		if (after - t > YIELD_NS || after - start > SPIN_NS)
			break;
		t = after;
	}
	pthread_mutex_lock(&p->mu);
	if (!p->head && !p->stop && (!caller || p->pending))
		pthread_cond_wait(&p->cv, &p->mu);
}

static void *worker(void *arg)
{
	qepub_pool *p = arg;
	void *local = NULL;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		qepub_task *t = p->stop ? NULL : pop(p);
		if (t)
			run_unlocked(p, t, &local);
		else if (p->stop)
			break;
		else
			idle(p, false);
	}
	pthread_mutex_unlock(&p->mu);
	if (local)
		p->local_free(local);
	return NULL;
}

qepub_pool *qepub_pool_new(void (*local_free)(void *local))
{
	qepub_pool *p = qxmalloc(sizeof *p);
	memset(p, 0, sizeof *p);
	atomic_init(&p->nqueued, 0);
	atomic_init(&p->npending, 0);
	atomic_init(&p->stopping, false);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->local_free = local_free;
	int want = qcpu_count() - 1;
	if (want > MAX_WORKERS)
		want = MAX_WORKERS;
	for (int i = 0; i < want; i++)
		if (pthread_create(&p->tid[p->nworkers], NULL, worker, p) == 0)
			p->nworkers++;
	return p;
}

void qepub_pool_push(qepub_pool *p, qepub_task *t, bool urgent)
{
	pthread_mutex_lock(&p->mu);
	t->next = NULL;
	if (!p->head) {
		p->head = p->tail = t;
	} else if (urgent) {
		t->next = p->head;
		p->head = t;
	} else {
		p->tail->next = t;
		p->tail = t;
	}
	p->pending++;
	atomic_fetch_add(&p->nqueued, 1);
	atomic_store(&p->npending, p->pending);
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void qepub_pool_wait(qepub_pool *p)
{
	pthread_mutex_lock(&p->mu);
	while (p->pending) {
		qepub_task *t = pop(p);
		if (t)
			run_unlocked(p, t, &p->main_local);
		else
			idle(p, true);
	}
	pthread_mutex_unlock(&p->mu);
}

void qepub_pool_free(qepub_pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	atomic_store(&p->stopping, true);
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; i < p->nworkers; i++)
		pthread_join(p->tid[i], NULL);
	if (p->main_local)
		p->local_free(p->main_local);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
