/* crew.c - the helper threads of one deck build.
 *
 * The threads are started once per build and wait between batches of
 * jobs: the fields of the notes (with the previous deck, the identities
 * and the opening of the collection among them), then the deflating of
 * the collection, most of it while the caller is still making the
 * indexes. Each job writes only its own results, so the bytes never
 * depend on the threads or on the order they take the jobs in.
 *
 * Placement: a build lasts a few milliseconds, less than the scheduler
 * takes to notice an idle processor. Left alone, a new or woken thread
 * often waits on the caller's processor, while another one is idle, until
 * the next tick moves it (up to 4 ms; in a virtual machine an idle
 * processor even looks busy to the scheduler). So for the length of the
 * build the caller stays on its processor and each helper gets one of
 * the others of its own; the caller's own set is given back at the end.
 * A thread with nothing to do waits awake for a short while (SPIN_NS)
 * before sleeping, since waking a sleeping processor can take longer
 * than the job it is woken for; only when every worker has a processor
 * of its own, never at the expense of another worker.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../util/cpu.h"
#include "apkg.h"

#ifndef QAPKG_SPIN_NS   /* (0 for counting instructions under valgrind) */
#define QAPKG_SPIN_NS 2000000LL
#endif
#define SPIN_NS QAPKG_SPIN_NS   /* how long an idle worker waits awake */

typedef struct helper {
	qapkg_crew *crew;
	int w;                  /* 1 .. nhelpers: the caller is worker 0 */
	pthread_t tid;
} helper;

struct qapkg_crew {
	atomic_uint posts;        /* batches posted or grown, and quit */
	atomic_int left;          /* jobs of the batch not done yet */
	pthread_mutex_t mu;
	pthread_cond_t work_cv;   /* a batch was posted or grown, or quit */
	pthread_cond_t done_cv;   /* the last job of a batch is done */
	void (*fn)(void *ctx, int worker, int job);
	void *ctx;
	int njobs, next;          /* the current batch */
	bool quit;
	bool pinned;              /* the caller was pinned: give back `mask` */
	bool spin;                /* every worker has a processor of its own */
	cpu_set_t mask;
	int nhelpers;
	helper h[QAPKG_MAX_WORKERS];
};

/* Workers (the caller included) for njobs jobs. */
static int workers_for(int njobs)
{
	int n = qcpu_count();
	if (n > QAPKG_MAX_WORKERS)
		n = QAPKG_MAX_WORKERS;
	if (n > njobs)
		n = njobs;
	return n > 1 ? n : 1;
}

static void pause_a_little(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

/* Wait awake, up to SPIN_NS, until *v differs from `seen` (at once
 * false when !spin: a thread waiting awake on a processor it shares
 * would take its time from the one it waits for). */
static bool spin_uint(atomic_uint *v, unsigned seen, bool spin)
{
	if (!spin)
		return false;
	long long end = qclock_ns() + SPIN_NS;
	do {
		for (int i = 0; i < 64; i++) {
			if (atomic_load_explicit(v, memory_order_acquire) != seen)
				return true;
			pause_a_little();
		}
	} while (qclock_ns() < end);
	return false;
}

/* Wait awake, up to SPIN_NS, until *v is 0 (see spin_uint). */
static bool spin_zero(atomic_int *v, bool spin)
{
	if (!spin)
		return false;
	long long end = qclock_ns() + SPIN_NS;
	do {
		for (int i = 0; i < 64; i++) {
			if (atomic_load_explicit(v, memory_order_acquire) == 0)
				return true;
			pause_a_little();
		}
	} while (qclock_ns() < end);
	return false;
}

void qapkg_signal_init(qapkg_signal *s, const qapkg_crew *c)
{
	s->spin = c && c->spin;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	atomic_init(&s->version, 0);
}

void qapkg_signal_destroy(qapkg_signal *s)
{
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
}

void qapkg_signal_wait(qapkg_signal *s)
{
	unsigned seen = atomic_load(&s->version);
	pthread_mutex_unlock(&s->mu);
	bool changed = spin_uint(&s->version, seen, s->spin);
	pthread_mutex_lock(&s->mu);
	if (!changed && atomic_load(&s->version) == seen)
		pthread_cond_wait(&s->cv, &s->mu);
}

void qapkg_signal_broadcast(qapkg_signal *s)
{
	atomic_fetch_add(&s->version, 1);
	pthread_cond_broadcast(&s->cv);
}

/* Take jobs of the current batch until none is left; called and
 * returns with the mutex held. */
static void take_jobs(qapkg_crew *c, int w)
{
	while (c->next < c->njobs) {
		int j = c->next++;
		void (*fn)(void *, int, int) = c->fn;
		void *ctx = c->ctx;
		pthread_mutex_unlock(&c->mu);
		fn(ctx, w, j);
		pthread_mutex_lock(&c->mu);
		if (atomic_fetch_sub(&c->left, 1) == 1)
			pthread_cond_broadcast(&c->done_cv);
	}
}

static void *helper_main(void *arg)
{
	helper *h = arg;
	qapkg_crew *c = h->crew;
	pthread_mutex_lock(&c->mu);
	for (;;) {
		take_jobs(c, h->w);
		if (c->quit)
			break;
		unsigned seen = atomic_load(&c->posts);
		pthread_mutex_unlock(&c->mu);
		bool more = spin_uint(&c->posts, seen, c->spin);
		pthread_mutex_lock(&c->mu);
		if (!more && !c->quit && c->next >= c->njobs)
			pthread_cond_wait(&c->work_cv, &c->mu);
	}
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

/* The processors for the helpers: the caller's set without its own
 * processor, in order; the caller is pinned to its own. Returns how many
 * there are (0: helpers go where the scheduler puts them). */
static int place(qapkg_crew *c, int *cpus, int max)
{
	int here = sched_getcpu(), n = 0;
	if (here < 0 || max < 1
	    || pthread_getaffinity_np(pthread_self(), sizeof c->mask, &c->mask) != 0
	    || !CPU_ISSET(here, &c->mask) || CPU_COUNT(&c->mask) < 2)
		return 0;
	for (int cpu = 0; cpu < CPU_SETSIZE && n < max; cpu++)
		if (cpu != here && CPU_ISSET(cpu, &c->mask))
			cpus[n++] = cpu;
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(here, &one);
	c->pinned = pthread_setaffinity_np(pthread_self(), sizeof one, &one) == 0;
	return c->pinned ? n : 0;
}

static bool start_helper(qapkg_crew *c, helper *h, int w, int cpu)
{
	pthread_attr_t attr;
	bool attr_ok = pthread_attr_init(&attr) == 0;
	if (attr_ok && cpu >= 0) {
		cpu_set_t one;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		pthread_attr_setaffinity_np(&attr, sizeof one, &one);
	}
	h->crew = c;
	h->w = w;
	bool ok = pthread_create(&h->tid, attr_ok ? &attr : NULL, helper_main, h) == 0;
	if (attr_ok)
		pthread_attr_destroy(&attr);
	return ok;
}

qapkg_crew *qapkg_crew_new(int max_workers)
{
	qapkg_crew *c = qxmalloc(sizeof *c);
	memset(c, 0, sizeof *c);
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->work_cv, NULL);
	pthread_cond_init(&c->done_cv, NULL);
	int want = workers_for(max_workers) - 1;
	int cpus[QAPKG_MAX_WORKERS];
	int ncpus = want > 0 ? place(c, cpus, want) : 0;
	c->spin = c->pinned && want <= ncpus;   /* before any helper reads it */
	while (c->nhelpers < want
	       && start_helper(c, &c->h[c->nhelpers], c->nhelpers + 1,
			       c->nhelpers < ncpus ? cpus[c->nhelpers] : -1))
		c->nhelpers++;
	return c;
}

int qapkg_crew_size(const qapkg_crew *c)
{
	return c ? c->nhelpers + 1 : 1;
}

/* Help with the current batch, then wait for its last job. */
static void finish_locked(qapkg_crew *c)
{
	take_jobs(c, 0);
	if (atomic_load(&c->left) == 0)
		return;
	pthread_mutex_unlock(&c->mu);
	spin_zero(&c->left, c->spin);
	pthread_mutex_lock(&c->mu);
	while (atomic_load(&c->left) > 0)
		pthread_cond_wait(&c->done_cv, &c->mu);
}

void qapkg_crew_post(qapkg_crew *c, int njobs, void (*fn)(void *ctx, int worker, int job),
		     void *ctx)
{
	if (!c) {   /* no crew: the caller does it all, now */
		for (int j = 0; j < njobs; j++)
			fn(ctx, 0, j);
		return;
	}
	pthread_mutex_lock(&c->mu);
	finish_locked(c);   /* one batch at a time: the last one ends first */
	c->fn = fn;
	c->ctx = ctx;
	c->njobs = njobs > 0 ? njobs : 0;
	c->next = 0;
	atomic_store(&c->left, c->njobs);
	atomic_fetch_add(&c->posts, 1);
	pthread_cond_broadcast(&c->work_cv);
	pthread_mutex_unlock(&c->mu);
}

void qapkg_crew_grow(qapkg_crew *c, int njobs)
{
	pthread_mutex_lock(&c->mu);
	if (njobs > c->njobs) {
		atomic_fetch_add(&c->left, njobs - c->njobs);
		c->njobs = njobs;
		atomic_fetch_add(&c->posts, 1);
		pthread_cond_broadcast(&c->work_cv);
	}
	pthread_mutex_unlock(&c->mu);
}

void qapkg_crew_finish(qapkg_crew *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->mu);
	finish_locked(c);
	pthread_mutex_unlock(&c->mu);
}

void qapkg_crew_run(qapkg_crew *c, int njobs, void (*fn)(void *ctx, int worker, int job),
		    void *ctx)
{
	qapkg_crew_post(c, njobs, fn, ctx);
	qapkg_crew_finish(c);
}

void qapkg_crew_free(qapkg_crew *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->mu);
	finish_locked(c);
	c->quit = true;
	atomic_fetch_add(&c->posts, 1);
	pthread_cond_broadcast(&c->work_cv);
	pthread_mutex_unlock(&c->mu);
	for (int i = 0; i < c->nhelpers; i++)
		pthread_join(c->h[i].tid, NULL);
	if (c->pinned)
		pthread_setaffinity_np(pthread_self(), sizeof c->mask, &c->mask);
	pthread_cond_destroy(&c->done_cv);
	pthread_cond_destroy(&c->work_cv);
	pthread_mutex_destroy(&c->mu);
	free(c);
}
