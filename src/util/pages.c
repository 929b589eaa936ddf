/* pages.c - arena blocks from huge-page mappings (see pages.h).
 *
 * Blocks of up to MAX_CLASS bytes are powers of two cut in order from
 * REGION-sized mappings; a block given back goes on the free list of its
 * size. Larger blocks are mapped alone and unmapped when given back. */
#include "pages.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "arena.h"

#define HUGE_PAGE ((size_t)2 << 20)
#define MIN_CLASS ((size_t)16 << 10)
#define MAX_CLASS QPAGES_ALONE
#define REGION ((size_t)8 << 20)
#define NCLASS 9   /* 16 KB .. 4 MB */

#if defined(__SANITIZE_ADDRESS__)
#define PLAIN_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PLAIN_MALLOC 1
#endif
#endif

size_t qpages_size(size_t n)
{
	if (n > MAX_CLASS) {
		if (n > SIZE_MAX - 2 * HUGE_PAGE)
			qoom();
		return (n + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
	}
	size_t s = MIN_CLASS;
	while (s < n)
		s *= 2;
	return s;
}

#ifndef PLAIN_MALLOC   /* a sanitized build takes every block from malloc */
typedef struct free_block {
	struct free_block *next;
} free_block;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static free_block *free_list[NCLASS];
static unsigned char *region_next, *region_end;
static unsigned char **regions;   /* every region mapped, for qpages_is_block */
static size_t nregions;

static int class_of(size_t size)
{
	int c = 0;
	for (size_t s = MIN_CLASS; s < size; s *= 2)
		c++;
	return c;
}

/* n bytes (a multiple of HUGE_PAGE) at a HUGE_PAGE boundary, advised as
 * huge pages; NULL when the kernel refuses the mapping. */
static unsigned char *map_aligned(size_t n)
{
	size_t len = n + HUGE_PAGE;
	unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				-1, 0);
	if (p == MAP_FAILED)
		return NULL;
	size_t head = (HUGE_PAGE - (uintptr_t)p % HUGE_PAGE) % HUGE_PAGE;
	if (head)
		munmap(p, head);
	if (len - head > n)
		munmap(p + head + n, len - head - n);
	madvise(p + head, n, MADV_HUGEPAGE);   /* advice: without it, small pages */
	return p + head;
}

/* Put block p of a class size on its free list. Called locked. */
static void push_free(void *p, size_t size)
{
	free_block *b = p;
	int c = class_of(size);
	b->next = free_list[c];
	free_list[c] = b;
}

/* A block of a class size, from its free list or cut from the region
 * (a new region when the rest of this one is too small: the rest is cut
 * into smaller blocks for their free lists first). Called locked. */
static void *take_class(size_t size)
{
	int c = class_of(size);
	if (free_list[c]) {
		free_block *b = free_list[c];
		free_list[c] = b->next;
		return b;
	}
	if ((size_t)(region_end - region_next) < size) {
		for (size_t s = MAX_CLASS; s >= MIN_CLASS && region_next < region_end; s /= 2)
			while ((size_t)(region_end - region_next) >= s) {
				push_free(region_next, s);
				region_next += s;
			}
		unsigned char *r = map_aligned(REGION);
		if (!r)
			return NULL;
		regions = qxrealloc(regions, sizeof *regions * (nregions + 1));
		regions[nregions++] = r;
		region_next = r;
		region_end = r + REGION;
	}
	void *p = region_next;
	region_next += size;
	return p;
}
#endif

void *qpages_take(size_t n)
{
	size_t size = qpages_size(n);
#ifdef PLAIN_MALLOC
	return qxmalloc(size);
#else
	void *p;
	if (size > MAX_CLASS) {
		p = map_aligned(size);
	} else {
		pthread_mutex_lock(&lock);
		p = take_class(size);
		pthread_mutex_unlock(&lock);
	}
	if (!p)
		qoom();
	return p;
#endif
}

void qpages_give(void *p, size_t n)
{
	if (!p)
		return;
	size_t size = qpages_size(n);
#ifdef PLAIN_MALLOC
	(void)size;
	free(p);
#else
	if (size > MAX_CLASS) {
		munmap(p, size);
		return;
	}
	pthread_mutex_lock(&lock);
	push_free(p, size);
	pthread_mutex_unlock(&lock);
#endif
}

void *qpages_resize(void *p, size_t old, size_t n)
{
	size_t from = qpages_size(old), to = qpages_size(n);
	if (to <= from)
		return p;
#ifdef PLAIN_MALLOC
	return qxrealloc(p, to);
#else
	if (from > MAX_CLASS) {
		void *q = mremap(p, from, to, MREMAP_MAYMOVE);
		if (q == MAP_FAILED)
			qoom();
		madvise(q, to, MADV_HUGEPAGE);
		return q;
	}
	void *q = qpages_take(to);
	memcpy(q, p, from);
	qpages_give(p, from);
	return q;
#endif
}

/* The whole pages of [p, p + n), present and writable now: one call
 * instead of a fault per page (a kernel without MADV_POPULATE_WRITE
 * refuses, and the pages fault in as they are touched). */
static void populate(unsigned char *p, size_t n)
{
#if defined(MADV_POPULATE_WRITE) && !defined(PLAIN_MALLOC)
	const uintptr_t page = 4096;
	uintptr_t a = ((uintptr_t)p + page - 1) & ~(page - 1), b = ((uintptr_t)p + n) & ~(page - 1);
	if (b > a)
		madvise((void *)a, b - a, MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)n;
#endif
}

static bool arrays_in_blocks = true;

void qpages_arrays_in_blocks(bool on)
{
	arrays_in_blocks = on;
}

bool qpages_grows_in_block(size_t n)
{
	return n > QPAGES_ALONE || (n >= QPAGES_GROWN && arrays_in_blocks);
}

bool qpages_is_block(const void *p, size_t size)
{
	if (size > QPAGES_ALONE)
		return true;
	if (size < QPAGES_GROWN)
		return false;
	bool in = false;
#ifndef PLAIN_MALLOC
	const unsigned char *b = p;
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < nregions && !in; i++)
		in = b >= regions[i] && b < regions[i] + REGION;
	pthread_mutex_unlock(&lock);
#else
	(void)p;   /* every block is malloc's: either way it is freed */
#endif
	return in;
}

void *qpages_grow(void *p, size_t old, size_t n)
{
	bool was = old && qpages_is_block(p, old), is = qpages_grows_in_block(n);
	unsigned char *q;
	if (was && is) {
		q = qpages_resize(p, old, n);
	} else if (!was && !is) {
		q = qxrealloc(old ? p : NULL, n);
	} else {   /* from malloc's memory to a block, or back */
		q = is ? qpages_take(n) : qxmalloc(n);
		if (old) {
			memcpy(q, p, old);
			qpages_free_grown(p, old);
		}
	}
	if (n > old && n >= QPAGES_GROWN && n <= QPAGES_ALONE)
		populate(q + old, n - old);   /* a block mapped alone faults in huge pages */
	return q;
}

void qpages_free_grown(void *p, size_t size)
{
	if (size && qpages_is_block(p, size))
		qpages_give(p, size);
	else if (size)
		free(p);
}

void qpages_forget(void *p, size_t n, size_t len)
{
	size_t size = qpages_size(n);
#ifdef PLAIN_MALLOC
	(void)p;
	(void)size;
	(void)len;
#else
	if (!p || size <= MAX_CLASS)
		return;
	len = len < size ? len / HUGE_PAGE * HUGE_PAGE : size;
	if (len)
		madvise(p, len, MADV_DONTNEED);
#endif
}

#ifndef PLAIN_MALLOC   /* the sanitizers' malloc is not glibc's */
/* The kernel's transparent huge pages are given only where a program
 * asks for them (the setting "madvise"): otherwise asking is pointless
 * ("always": every heap has them; "never": none has). */
static bool huge_pages_on_request(void)
{
	char s[64] = "";
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
	if (!f)
		return false;
	bool got = fgets(s, sizeof s, f) != NULL;
	fclose(f);
	return got && strstr(s, "[madvise]");
}
#endif

void qpages_restart_huge_heap(char *const *argv, size_t notes_bytes)
{
#ifdef PLAIN_MALLOC
	(void)argv;
	(void)notes_bytes;
#else
	const char *was = getenv("GLIBC_TUNABLES");
	if (notes_bytes < QPAGES_HUGE_HEAP || (was && strstr(was, "glibc.malloc.hugetlb")) ||
	    !huge_pages_on_request())
		return;
	/* The program's file by its name: under valgrind, /proc/self/exe is
	 * the tool itself, while the name read from it is the program's (the
	 * run then goes on outside valgrind unless it traces children). */
	char exe[4096];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len <= 0 || (size_t)len >= sizeof exe - 1)
		return;
	exe[len] = '\0';
	char *set = NULL;
	if (asprintf(&set, "%s%sglibc.malloc.hugetlb=1", was ? was : "", was ? ":" : "") < 0)
		return;
	char *keep = was ? strdup(was) : NULL;
	if (setenv("GLIBC_TUNABLES", set, 1) == 0)
		execv(exe, argv);
	/* not restarted (no /proc, say): on as it is, the environment as it was */
	if (keep)
		setenv("GLIBC_TUNABLES", keep, 1);
	else
		unsetenv("GLIBC_TUNABLES");
	free(keep);
	free(set);
#endif
}
