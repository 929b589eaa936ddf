/* pool.c - worker threads running queued tasks (see pool.h).
 *
 * One mutex guards the queue and the task states; `work` wakes threads
 * when a task is queued (or the pool stops), `done` wakes the waiting
 * caller when a task ends. Threads that find nothing to do sleep.
 */
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cpu.h"

#define MAX_THREADS 15

enum { T_NEW, T_QUEUED, T_RUNNING, T_DONE };

typedef struct thread_arg {
	qpool *p;
	int worker;
} thread_arg;

struct qpool {
	pthread_mutex_t mu;
	pthread_cond_t work;      /* a task was queued, or stop */
	pthread_cond_t done;      /* a task ended */
	qtask *head, *tail;
	int pending;              /* pushed and not done */
	bool stop;
	int nthreads;
	pthread_t tid[MAX_THREADS];
	thread_arg args[MAX_THREADS];
};

/* Under the lock: the first queued task, taken off the queue. */
static qtask *pop(qpool *p)
{
	qtask *t = p->head;
	if (t) {
		p->head = t->next;
		if (!p->head)
			p->tail = NULL;
		t->next = NULL;
	}
	return t;
}

/* Under the lock: take t off the queue (it is queued). */
static void unlink_task(qpool *p, qtask *t)
{
	qtask *prev = NULL;
	for (qtask *c = p->head; c && c != t; c = c->next)
		prev = c;
	if (prev)
		prev->next = t->next;
	else
		p->head = t->next;
	if (p->tail == t)
		p->tail = prev;
	t->next = NULL;
}

/* Run t without the lock (held on entry and on return). */
static void run(qpool *p, qtask *t, int worker)
{
	t->state = T_RUNNING;
	pthread_mutex_unlock(&p->mu);
	t->run(t, worker);
	pthread_mutex_lock(&p->mu);
	t->state = T_DONE;
	p->pending--;
	pthread_cond_broadcast(&p->done);
}

static void *thread_main(void *arg)
{
	thread_arg *a = arg;
	qpool *p = a->p;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		qtask *t = pop(p);
		if (t)
			run(p, t, a->worker);
		else if (p->stop)
			break;
		else
			pthread_cond_wait(&p->work, &p->mu);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

qpool *qpool_new(int max_threads)
{
	qpool *p = qxmalloc(sizeof *p);
	memset(p, 0, sizeof *p);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	int want = qcpu_count() - 1;
	if (want > max_threads)
		want = max_threads;
	if (want > MAX_THREADS)
		want = MAX_THREADS;
	for (int i = 0; i < want; i++) {
		p->args[p->nthreads] = (thread_arg){p, p->nthreads + 1};
		if (pthread_create(&p->tid[p->nthreads], NULL, thread_main,
				   &p->args[p->nthreads]) == 0)
			p->nthreads++;
	}
	return p;
}

int qpool_size(const qpool *p)
{
	return p ? p->nthreads + 1 : 1;
}

static void push(qpool *p, qtask *t, bool front)
{
	if (!p) {   /* no threads: run it now */
		t->state = T_RUNNING;
		t->run(t, 0);
		t->state = T_DONE;
		return;
	}
	pthread_mutex_lock(&p->mu);
	t->state = T_QUEUED;
	t->next = NULL;
	if (!p->head) {
		p->head = p->tail = t;
	} else if (front) {
		t->next = p->head;
		p->head = t;
	} else {
		p->tail->next = t;
		p->tail = t;
	}
	p->pending++;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
}

void qpool_push(qpool *p, qtask *t)
{
	push(p, t, false);
}

void qpool_push_front(qpool *p, qtask *t)
{
	push(p, t, true);
}

void qpool_wait_task(qpool *p, qtask *t)
{
	if (!p)
		return;   /* it ran when it was pushed */
	pthread_mutex_lock(&p->mu);
	if (t->state == T_QUEUED) {
		unlink_task(p, t);
		run(p, t, 0);
	}
	while (t->state != T_DONE) {
		qtask *other = pop(p);   /* help while t runs elsewhere */
		if (other)
			run(p, other, 0);
		else
			pthread_cond_wait(&p->done, &p->mu);
	}
	pthread_mutex_unlock(&p->mu);
}

void qpool_wait(qpool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	while (p->pending) {
		qtask *t = pop(p);
		if (t)
			run(p, t, 0);
		else
			pthread_cond_wait(&p->done, &p->mu);
	}
	pthread_mutex_unlock(&p->mu);
}

/* qpool_for: every runner takes the next index until none is left. */
typedef struct for_run {
	qtask t;
	struct for_all *all;
} for_run;

typedef struct for_all {
	atomic_int next;
	int n;
	void (*fn)(void *ctx, int worker, int i);
	void *ctx;
	for_run runs[MAX_THREADS];
} for_all;

static void take_indexes(for_all *a, int worker)
{
	int i;
	while ((i = atomic_fetch_add(&a->next, 1)) < a->n)
		a->fn(a->ctx, worker, i);
}

static void for_task(qtask *t, int worker)
{
	take_indexes(((for_run *)t)->all, worker);
}

void qpool_for(qpool *p, int n, void (*fn)(void *ctx, int worker, int i), void *ctx)
{
	for_all a = {.n = n, .fn = fn, .ctx = ctx};
	atomic_init(&a.next, 0);
	int threads = p ? p->nthreads : 0;
	int helpers = n - 1 < threads ? n - 1 : threads;
	for (int h = 0; h < helpers; h++) {
		a.runs[h] = (for_run){.t = {.run = for_task}, .all = &a};
		qpool_push(p, &a.runs[h].t);
	}
	take_indexes(&a, 0);
	for (int h = 0; h < helpers; h++)
		qpool_wait_task(p, &a.runs[h].t);
}

void qpool_free(qpool *p)
{
	if (!p)
		return;
	qpool_wait(p);
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; i < p->nthreads; i++)
		pthread_join(p->tid[i], NULL);
	pthread_cond_destroy(&p->done);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
