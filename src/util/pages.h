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

#include <stdbool.h>
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
 * bytes at p (none when old is 0) grown to n bytes, contents kept; free
 * it with qpages_free_grown(p, size). Under QPAGES_GROWN bytes an array
 * is malloc's; above QPAGES_ALONE a block mapped alone (moved by
 * qpages_resize); in between a block of qpages_take() while arrays go to
 * blocks (qpages_arrays_in_blocks), else malloc's.
 * Why blocks: malloc gives a middle-sized array pages of its own, each a
 * fault when first written (and a realloc that moves it copies into
 * fresh pages one fault a page), then unmaps them when it is freed; a
 * block's pages are the arenas' huge pages, already there. The corpus
 * EPUB takes about 0.9 of the time with them. Why not always: blocks
 * are kept for the next of the same size, and a large run's many arrays
 * held the 10 MB notes' three outputs at a 40 MB higher peak than in
 * malloc's memory, which it reuses for any size (and whose heap is then
 * in huge pages: qpages_restart_huge_heap).
 * The pages new to a growth are made present at once
 * (MADV_POPULATE_WRITE: about a twelfth of the cost of faulting them in
 * one by one), since the array is about to be filled. */
#define QPAGES_GROWN ((size_t)32 << 10)
void *qpages_grow(void *p, size_t old, size_t n);
void qpages_free_grown(void *p, size_t size);
/* Is the grown array p of size bytes a block (else malloc's)? Told by
 * where it is, so the choice below may change while arrays live. */
bool qpages_is_block(const void *p, size_t size);
/* Would an array grown to n bytes now be a block? */
bool qpages_grows_in_block(size_t n);
/* Whether middle-sized arrays go to blocks from now on (they do until
 * told otherwise): main.c turns it off for notes of QPAGES_HUGE_HEAP
 * bytes or more. A plain flag: set it before other threads grow arrays
 * (arrays that live on are told apart by their address either way). */
void qpages_arrays_in_blocks(bool on);

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
