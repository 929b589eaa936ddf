/* test_pool.c - util/pool: every task runs exactly once, on a worker
 * number below the pool's size, with or without threads; waiting for one
 * task, for all, and qpool_for; tasks that push tasks; the order of a
 * pool without threads; nothing is left running when it is freed. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "testing.h"
#include "util/pool.h"

#define N 200

typedef struct counter {
	qtask t;
	atomic_int *runs;
	atomic_uint *workers;
	int order;             /* when it ran (pool without threads) */
	atomic_int *clock;
	qpool *pool;
	struct counter *child; /* pushed by this task when not NULL */
} counter;

static void count_run(qtask *t, int worker)
{
	counter *c = (counter *)t;
	atomic_fetch_add(c->runs, 1);
	atomic_fetch_or(c->workers, 1u << worker);
	c->order = atomic_fetch_add(c->clock, 1);
	if (c->child)
		qpool_push(c->pool, &c->child->t);
}

static void setup(counter *c, int n, qpool *p, atomic_int *runs, atomic_uint *workers,
		  atomic_int *clock)
{
	for (int i = 0; i < n; i++)
		c[i] = (counter){.t = {.run = count_run}, .runs = &runs[i], .workers = workers,
				 .clock = clock, .pool = p};
}

TEST(every_task_once)
{
	for (int threads = 0; threads <= 7; threads += 7) {
		qpool *p = qpool_new(threads);
		CHECK(qpool_size(p) >= 1 && qpool_size(p) <= threads + 1);
		static counter c[N];
		static atomic_int runs[N];
		atomic_uint workers = 0;
		atomic_int clock = 0;
		memset(runs, 0, sizeof runs);
		setup(c, N, p, runs, &workers, &clock);
		for (int i = 0; i < N / 2; i++)   /* half push a child */
			c[i].child = &c[N / 2 + i];
		for (int i = 0; i < N / 2; i++)
			qpool_push(p, &c[i].t);
		qpool_wait_task(p, &c[N / 4].t);
		CHECK_INT(atomic_load(&runs[N / 4]), 1);
		qpool_wait(p);
		int bad = 0;
		for (int i = 0; i < N; i++)
			bad += atomic_load(&runs[i]) != 1;
		CHECK_INT(bad, 0);
		CHECK(atomic_load(&workers) >> qpool_size(p) == 0);
		qpool_free(p);
	}
}

/* Without threads, tasks run in the waits, in queue order, the ones
 * pushed to the front first; waiting for one task runs only it. */
TEST(order_without_threads)
{
	qpool *p = qpool_new(0);
	CHECK_INT(qpool_size(p), 1);
	counter c[4];
	atomic_int runs[4] = {0};
	atomic_uint workers = 0;
	atomic_int clock = 0;
	setup(c, 4, p, runs, &workers, &clock);
	qpool_push(p, &c[0].t);
	qpool_push(p, &c[1].t);
	qpool_push_front(p, &c[2].t);
	qpool_push(p, &c[3].t);
	qpool_wait_task(p, &c[1].t);
	CHECK_INT(c[1].order, 0);
	CHECK_INT(atomic_load(&runs[0]), 0);
	qpool_wait(p);
	CHECK_INT(c[2].order, 1);
	CHECK_INT(c[0].order, 2);
	CHECK_INT(c[3].order, 3);
	CHECK_INT(atomic_load(&workers), 1);   /* all on the caller */
	qpool_free(p);
}

typedef struct hits {
	atomic_int v[1000];
	atomic_uint workers;
} hits;

static void hit(void *ctx, int worker, int i)
{
	hits *h = ctx;
	atomic_fetch_add(&h->v[i], 1);
	atomic_fetch_or(&h->workers, 1u << worker);
}

TEST(for_runs_every_index_once)
{
	static const int counts[] = {0, 1, 2, 999};
	for (int threads = 0; threads <= 7; threads += 7) {
		qpool *p = qpool_new(threads);
		for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) {
			static hits h;
			memset(&h, 0, sizeof h);
			qpool_for(p, counts[k], hit, &h);
			int bad = 0;
			for (int i = 0; i < 1000; i++)
				bad += atomic_load(&h.v[i]) != (i < counts[k]);
			CHECK_INT(bad, 0);
			CHECK(atomic_load(&h.workers) >> qpool_size(p) == 0);
		}
		qpool_free(p);
	}
}

/* Freeing waits for what was pushed; NULL is a no-op. */
TEST(free_waits_for_pushed_tasks)
{
	qpool *p = qpool_new(3);
	counter c[20];
	atomic_int runs[20] = {0};
	atomic_uint workers = 0;
	atomic_int clock = 0;
	setup(c, 20, p, runs, &workers, &clock);
	for (int i = 0; i < 20; i++)
		qpool_push(p, &c[i].t);
	qpool_free(p);
	int bad = 0;
	for (int i = 0; i < 20; i++)
		bad += atomic_load(&runs[i]) != 1;
	CHECK_INT(bad, 0);
	qpool_free(NULL);
}

int main(void)
{
	RUN(every_task_once);
	RUN(order_without_threads);
	RUN(for_runs_every_index_once);
	RUN(free_waits_for_pushed_tasks);
	return testing_done();
}
