/* pages.h - blocks of memory for the arenas, cut from large mappings that
 * the kernel may back with transparent huge pages.
 *
 * Why: every 4 KB page that a process touches for the first time is a
 * page fault, and on a virtual machine a fault costs far more than
 * writing the page; the study model of a run is a few large arenas
 * (util/arena.h), so their chunks come from 2 MB-aligned mappings advised
 * MADV_HUGEPAGE, where one fault brings 2 MB. Blocks given back are kept
 * for the next block of the same size, never returned to the kernel
 * before exit except the largest (mapped alone).
 *
 * Thread-safe (one mutex; blocks are taken a few hundred times a run).
 * Under AddressSanitizer every block is a plain malloc, so that the
 * sanitizer still sees each chunk's life.
 *
 * Ownership: a block from qpages_take() is the caller's until it gives it
 * back with qpages_give() and the same size. Out of memory: qoom().
 */
#ifndef QUIRE_PAGES_H
#define QUIRE_PAGES_H

#include <stddef.h>

/* Blocks larger than this are mapped alone. */
#define QPAGES_ALONE ((size_t)4 << 20)

/* The size qpages_take() would give for a request of n bytes (at least
 * n: a power of two from 16 KB, or a multiple of 2 MB when larger). */
size_t qpages_size(size_t n);
/* A block of qpages_size(n) bytes, 64-aligned, contents unspecified. */
void *qpages_take(size_t n);
/* Give back a block of qpages_size(n) bytes taken with this n. */
void qpages_give(void *p, size_t n);
/* The block p of qpages_size(old) bytes grown to qpages_size(n) bytes
 * (n > old), its contents kept; p is given back. Mapped blocks are moved
 * by the kernel (mremap), not copied. */
void *qpages_resize(void *p, size_t old, size_t n);

/* Growable arrays (a qbuf, the typesetter's lists): the memory of `old`
 * bytes at p (none when old is 0) grown to n bytes, contents kept; under
 * QPAGES_GROWN bytes from malloc, from then on a block of qpages_take()
 * (moved by qpages_resize). Free it with qpages_free_grown(p, size).
 * malloc would give a large array pages of its own, each a fault when
 * first written (a realloc copying into them faults on every page); a
 * block's pages are the huge pages of the arenas, or made present at
 * once (MADV_POPULATE_WRITE: about a twelfth of the cost of faulting
 * them in one by one), since the array is about to be filled. */
#define QPAGES_GROWN ((size_t)32 << 10)
void *qpages_grow(void *p, size_t old, size_t n);
void qpages_free_grown(void *p, size_t size);

/* The first len bytes of block p (taken with this n) are not needed any
 * more: when p is mapped alone, the huge pages wholly inside them go
 * back to the kernel now (they read as zeros if touched again); smaller
 * blocks are left as they are. */
void qpages_forget(void *p, size_t n, size_t len);

/* A large run's own heap in huge pages. glibc's malloc (which holds
 * libharu's millions of small objects, among others) advises its heap as
 * huge pages only when told so before main, by the tunable
 * glibc.malloc.hugetlb=1 in GLIBC_TUNABLES: a run given notes_bytes of
 * at least QPAGES_HUGE_HEAP starts the program again (argv, the file
 * /proc/self/exe names) with the tunable added, where the kernel gives huge
 * pages on request. Returns (and the run goes on as it is) when the
 * notes are smaller, the tunable is already set (by this, or by the
 * user either way), the kernel gives huge pages always or never, or
 * the program cannot be started again. Call it before any thread is
 * started; nothing of the run so far is kept. */
#define QPAGES_HUGE_HEAP ((size_t)512 << 10)
void qpages_restart_huge_heap(char *const *argv, size_t notes_bytes);

#endif
