/* test_util.c - the ground floor: reading style files safely, folders
 * made with their parents, atomic writes (the temporary file of a killed
 * run removed, a live writer's kept), diagnostics that name another file
 * than the notes, the memory blocks of the arenas and of large buffers.
 * Works in a fresh folder under $TMPDIR. */
#include <limits.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testing.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fileio.h"
#include "util/find.h"
#include "util/pages.h"

static char root[256];

static void path_of(char *out, size_t n, const char *rel)
{
	snprintf(out, n, "%s/%s", root, rel);
}

static void put_file(const char *rel, const char *text)
{
	char p[512];
	path_of(p, sizeof p, rel);
	FILE *f = fopen(p, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static qfile_status read_style(const char *rel, char *err, size_t n)
{
	char p[512];
	path_of(p, sizeof p, rel);
	qbuf b = QBUF_INIT;
	qfile_status s = qfile_read_style(p, &b, err, n);
	qbuf_free(&b);
	return s;
}

static int exists(const char *rel)
{
	char p[512];
	path_of(p, sizeof p, rel);
	return access(p, F_OK) == 0;
}

TEST(style_regular_file_is_read)
{
	put_file("styles/a.css", "body { color: red }\n");
	char p[512];
	path_of(p, sizeof p, "styles/a.css");
	qbuf b = QBUF_INIT;
	char err[128];
	CHECK_INT(qfile_read_style(p, &b, err, sizeof err), QF_OK);
	int same = strcmp(b.ptr, "body { color: red }\n") == 0;
	qbuf_free(&b);
	CHECK(same);
}

TEST(style_link_inside_its_folder_is_read)
{
	char p[512];
	path_of(p, sizeof p, "styles/b.css");
	CHECK(symlink("a.css", p) == 0);
	char err[128];
	CHECK_INT(read_style("styles/b.css", err, sizeof err), QF_OK);
}

TEST(style_link_out_of_its_folder_is_refused)
{
	put_file("secret.txt", "password\n");
	char p[512], t[512];
	path_of(p, sizeof p, "styles/c.css");
	path_of(t, sizeof t, "secret.txt");
	CHECK(symlink(t, p) == 0);
	char err[128] = "";
	CHECK_INT(read_style("styles/c.css", err, sizeof err), QF_NOT_ALLOWED);
	CHECK(strstr(err, "link") != NULL);
	path_of(p, sizeof p, "styles/d.css");
	CHECK(symlink("../secret.txt", p) == 0);
	CHECK_INT(read_style("styles/d.css", err, sizeof err), QF_NOT_ALLOWED);
}

TEST(style_fifo_and_folder_are_refused)
{
	char p[512];
	path_of(p, sizeof p, "styles/fifo.css");
	CHECK(mkfifo(p, 0600) == 0);
	char err[128];
	CHECK_INT(read_style("styles/fifo.css", err, sizeof err), QF_NOT_ALLOWED);
	path_of(p, sizeof p, "styles/dir.css");
	CHECK(mkdir(p, 0700) == 0);
	CHECK_INT(read_style("styles/dir.css", err, sizeof err), QF_IS_DIR);
	CHECK_INT(read_style("styles/none.css", err, sizeof err), QF_NOT_FOUND);
}

TEST(style_too_big_is_refused)
{
	char p[512];
	path_of(p, sizeof p, "styles/big.css");
	FILE *f = fopen(p, "w");
	CHECK(f != NULL);
	for (size_t i = 0; i <= QFILE_STYLE_MAX / 64; i++)
		fputs("/* a comment of sixty-four bytes, to fill the file ......... */\n", f);
	fclose(f);
	char err[128] = "";
	CHECK_INT(read_style("styles/big.css", err, sizeof err), QF_TOO_BIG);
	CHECK(strstr(err, "KB") != NULL);
}

TEST(ensure_dir_makes_parents)
{
	char p[512], err[256];
	path_of(p, sizeof p, "out/a/b/c");
	CHECK_INT(qfile_ensure_dir(p, err, sizeof err), 0);
	CHECK(exists("out/a/b/c"));
	CHECK_INT(qfile_ensure_dir(p, err, sizeof err), 0);   /* again: fine */
	put_file("out/file", "x");
	path_of(p, sizeof p, "out/file/sub");
	CHECK_INT(qfile_ensure_dir(p, err, sizeof err), -1);
	CHECK(strstr(err, "out/file") != NULL);
}

TEST(atomic_write_removes_a_killed_runs_temporary)
{
	put_file("out/n.pdf", "old");
	put_file("out/.n.pdf.a1B2c3", "half written by a killed run");
	put_file("out/.n.pdf.keep", "not our name");
	put_file("out/.m.pdf.a1B2c3", "another output's");
	/* a live writer holds its lock: its file stays */
	char live[512];
	path_of(live, sizeof live, "out/.n.pdf.LIVE99");
	int fd = open(live, O_CREAT | O_WRONLY, 0600);
	CHECK(fd >= 0);
	CHECK(flock(fd, LOCK_EX) == 0);
	char p[512], err[256];
	path_of(p, sizeof p, "out/n.pdf");
	CHECK_INT(qfile_write_atomic(p, "new", 3, err, sizeof err), 0);
	close(fd);
	CHECK(!exists("out/.n.pdf.a1B2c3"));
	CHECK(exists("out/.n.pdf.LIVE99"));
	CHECK(exists("out/.n.pdf.keep"));
	CHECK(exists("out/.m.pdf.a1B2c3"));
	qbuf b = QBUF_INIT;
	qfile_read(p, &b, 0, err, sizeof err);
	int same = strcmp(b.ptr, "new") == 0;
	qbuf_free(&b);
	CHECK(same);
}

TEST(atomic_write_leaves_no_temporary)
{
	char p[512], err[256];
	path_of(p, sizeof p, "out2/x.epub");
	CHECK_INT(qfile_ensure_dir(root, err, sizeof err), 0);
	path_of(p, sizeof p, "out2");
	CHECK_INT(qfile_ensure_dir(p, err, sizeof err), 0);
	path_of(p, sizeof p, "out2/x.epub");
	CHECK_INT(qfile_write_atomic(p, "book", 4, err, sizeof err), 0);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "ls -a %s/out2 | grep -q '^\\.x\\.epub\\.'", root);
	CHECK(system(cmd) != 0);
	struct stat st;
	CHECK(stat(p, &st) == 0 && st.st_size == 4);
}

TEST(diag_names_another_file)
{
	qdiags d;
	qdiags_init(&d, "notes.md");
	char name[64];
	snprintf(name, sizeof name, "styles/booklet.conf");
	qdiag_at(&d, name, QD_WARNING, 3, "style", "unknown key '%s', ignored", "paper");
	qdiag_at(&d, name, QD_ERROR, 0, "style", "cannot read");
	qdiag_add(&d, QD_WARNING, 5, 2, "x", "about the notes");
	memset(name, 0, sizeof name);   /* the list keeps its own copy */
	qdiags other;
	qdiags_init(&other, "notes.md");
	qdiags_merge(&other, &d);
	qdiags_free(&d);
	char buf[1024] = "";
	FILE *f = fmemopen(buf, sizeof buf, "w");
	qdiags_print(&other, f, false);
	fclose(f);
	qdiags_free(&other);
	CHECK(strstr(buf, "styles/booklet.conf:3:1: warning: unknown key 'paper', ignored [style]\n"));
	CHECK(strstr(buf, "styles/booklet.conf: error: cannot read [style]\n"));
	CHECK(strstr(buf, "notes.md:5:2: warning: about the notes [x]\n"));
}

TEST(visible_text_shows_control_characters)
{
	qbuf b = QBUF_INIT;
	const char s[] = "a\x1b]0;title\x07 \x1b[31mred\tcaf\xc3\xa9 \xc2\x9b \xff\x7f";
	qbuf_put_visible(&b, s, sizeof s - 1);
	char got[128];
	snprintf(got, sizeof got, "%s", b.ptr);
	qbuf_free(&b);
	CHECK_STR(got, "a^[]0;title^G ^[[31mred^Icaf\xc3\xa9 <U+009B> <0xFF>^?");
}

TEST(integers_in_decimal)
{
	qbuf b = QBUF_INIT;
	qbuf_put_int(&b, 0);
	qbuf_putc(&b, ' ');
	qbuf_put_int(&b, -7);
	qbuf_putc(&b, ' ');
	qbuf_put_int(&b, 1234567890L);
	qbuf_putc(&b, ' ');
	qbuf_put_int(&b, LONG_MIN);
	char want[64];
	snprintf(want, sizeof want, "0 -7 1234567890 %ld", LONG_MIN);
	CHECK_STR(b.ptr, want);
	CHECK(b.len == strlen(want));
	qbuf_free(&b);
}

TEST(diag_caps_each_kind_and_says_how_many_more)
{
	qdiags d, part;
	qdiags_init(&d, "n.md");
	d.max_per_kind = 3;
	qdiags_init(&part, "n.md");   /* a part read on its own: no cap */
	for (int i = 1; i <= 5; i++)
		qdiag_add(&d, QD_WARNING, i, 0, "no-answer", "question %d has no answer", i);
	for (int i = 6; i <= 9; i++)
		qdiag_add(&part, QD_WARNING, i, 0, "no-answer", "question %d has no answer", i);
	qdiag_guess(&d, 1, "no-answer", "a guess is no warning");
	qdiag_add(&d, QD_ERROR, 10, 0, "no-answer", "errors are never capped");
	qdiags_merge(&d, &part);
	char buf[2048] = "";
	FILE *f = fmemopen(buf, sizeof buf, "w");
	qdiags_print(&d, f, false);
	fclose(f);
	size_t warnings = d.warnings, errors = d.errors;
	qdiags_free(&d);
	qdiags_free(&part);
	CHECK(strstr(buf, "n.md:3:1: warning: question 3") != NULL);
	CHECK(strstr(buf, "question 4") == NULL);
	CHECK(strstr(buf, "question 7") == NULL);
	CHECK(strstr(buf, "n.md:10:1: error: errors are never capped") != NULL);
	CHECK(strstr(buf, "n.md: note: 6 more like the 3 above not shown") != NULL);
	CHECK_INT(warnings, 9);
	CHECK_INT(errors, 1);
}

/* Sizes are classes: a block given back is the next one of its size. */
TEST(pages_reuse_blocks_of_a_size)
{
	CHECK_INT(qpages_size(1), 16 << 10);
	CHECK_INT(qpages_size((16 << 10) + 1), 32 << 10);
	CHECK_INT(qpages_size(QPAGES_ALONE), QPAGES_ALONE);
	CHECK_INT(qpages_size(QPAGES_ALONE + 1), QPAGES_ALONE + ((size_t)2 << 20));
	unsigned char *a = qpages_take(20000), *b = qpages_take(20000);
	CHECK(a != b);
	memset(a, 0xA5, qpages_size(20000));
	memset(b, 0x5A, qpages_size(20000));
	CHECK(a[0] == 0xA5 && b[(32 << 10) - 1] == 0x5A);
	qpages_give(a, 20000);
	unsigned char *c = qpages_take(30000);
#ifndef __SANITIZE_ADDRESS__   /* there every block is a malloc */
	CHECK(c == a);
#endif
	qpages_give(b, 20000);
	qpages_give(c, 30000);
}

/* Memory grown by a large step has its pages present before it is
 * written (one call, not a fault per page), where the kernel can. */
TEST(pages_grow_makes_pages_present)
{
#if defined(MADV_POPULATE_WRITE) && !defined(__SANITIZE_ADDRESS__)
	const size_t page = 4096, n = (size_t)1 << 20;
	void *probe = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(probe != MAP_FAILED);
	bool can = madvise(probe, page, MADV_POPULATE_WRITE) == 0;
	munmap(probe, page);
	unsigned char *p = qpages_grow(NULL, 0, n);
	uintptr_t a = ((uintptr_t)p + page - 1) & ~(uintptr_t)(page - 1);
	size_t npages = ((uintptr_t)p + n - a) / page;
	unsigned char *in = calloc(npages, 1);
	CHECK(mincore((void *)a, npages * page, in) == 0);
	size_t present = 0;
	for (size_t i = 0; i < npages; i++)
		present += in[i] & 1;
	if (can)
		CHECK_INT(present, npages);
	free(in);
	qpages_free_grown(p, n);
#endif
}

/* A middle-sized array is a block while arrays go to blocks, malloc's
 * memory otherwise; one that lived through a change of mind moves, keeps
 * its bytes and is freed where it lives. */
TEST(pages_grown_arrays_blocks_or_malloc)
{
	const size_t small = 20 << 10, mid = 256 << 10, more = 1 << 20;
	qpages_arrays_in_blocks(true);
	CHECK(!qpages_grows_in_block(small));
	CHECK(qpages_grows_in_block(mid));
	CHECK(qpages_grows_in_block(QPAGES_ALONE + 1));
	unsigned char *a = qpages_grow(NULL, 0, small);
	memset(a, 7, small);
	CHECK(!qpages_is_block(a, small));
	a = qpages_grow(a, small, mid);
	memset(a + small, 8, mid - small);
#ifndef __SANITIZE_ADDRESS__   /* there every block is a malloc */
	CHECK(qpages_is_block(a, mid));
#endif
	qpages_arrays_in_blocks(false);
	CHECK(!qpages_grows_in_block(mid));
	CHECK(qpages_grows_in_block(QPAGES_ALONE + 1));
	a = qpages_grow(a, mid, more);   /* from a block back to malloc */
	CHECK(!qpages_is_block(a, more));
	CHECK(a[0] == 7 && a[small - 1] == 7 && a[small] == 8 && a[mid - 1] == 8);
	unsigned char *b = qpages_grow(NULL, 0, mid);
	CHECK(!qpages_is_block(b, mid));
	qpages_free_grown(b, mid);
	qpages_arrays_in_blocks(true);
	a = qpages_grow(a, more, 2 * more);   /* and to a block again */
	CHECK(a[0] == 7 && a[mid - 1] == 8);
#ifndef __SANITIZE_ADDRESS__
	CHECK(qpages_is_block(a, 2 * more));
#endif
	qpages_free_grown(a, 2 * more);
}

#if !defined(__SANITIZE_ADDRESS__)   /* no restart where malloc is the sanitizer's */
/* What a child run of this program prints as GLIBC_TUNABLES after
 * qpages_restart_huge_heap() with n bytes of notes (see main), started
 * with env as GLIBC_TUNABLES (NULL: none). */
static void huge_heap_child(size_t n, const char *env, char *out, size_t len)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "/proc/%d/exe --huge-heap-child %zu", (int)getpid(), n);
	if (env)
		setenv("GLIBC_TUNABLES", env, 1);
	else
		unsetenv("GLIBC_TUNABLES");
	FILE *f = popen(cmd, "r");
	out[0] = 0;
	if (f) {
		if (!fgets(out, (int)len, f))
			out[0] = 0;
		pclose(f);
	}
	out[strcspn(out, "\n")] = 0;
	unsetenv("GLIBC_TUNABLES");
}
#endif

/* Large notes start the program again with glibc's heap in huge pages,
 * once, keeping the user's own tunables; small notes and a user's own
 * choice of the tunable do not. */
TEST(large_run_restarts_with_huge_heap)
{
#if !defined(__SANITIZE_ADDRESS__)
	char s[64] = "", got[256];
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
	bool on_request = f && fgets(s, sizeof s, f) && strstr(s, "[madvise]");
	if (f)
		fclose(f);
	huge_heap_child(QPAGES_HUGE_HEAP - 1, NULL, got, sizeof got);
	CHECK_STR(got, "-");
	huge_heap_child(QPAGES_HUGE_HEAP, NULL, got, sizeof got);
	CHECK_STR(got, on_request ? "glibc.malloc.hugetlb=1" : "-");
	huge_heap_child(QPAGES_HUGE_HEAP, "glibc.malloc.arena_max=2", got, sizeof got);
	CHECK_STR(got, on_request ? "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1"
				  : "glibc.malloc.arena_max=2");
	huge_heap_child(QPAGES_HUGE_HEAP, "glibc.malloc.hugetlb=0", got, sizeof got);
	CHECK_STR(got, "glibc.malloc.hugetlb=0");
#endif
}

/* A block grown keeps its bytes, also from a class to a mapping alone and
 * from a mapping to a larger one. */
TEST(pages_resize_keeps_contents)
{
	size_t n = 100000;
	unsigned char *p = qpages_take(n);
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 7);
	size_t sizes[] = {QPAGES_ALONE + 1, 3 * QPAGES_ALONE};
	for (int k = 0; k < 2; k++) {
		p = qpages_resize(p, n, sizes[k]);
		n = sizes[k];
		p[n - 1] = 1;
	}
	size_t bad = 0;
	for (size_t i = 0; i < 100000; i++)
		bad += p[i] != (unsigned char)(i * 7);
	CHECK_INT(bad, 0);
	qpages_give(p, n);
}

/* A buffer past QPAGES_ALONE (mapped) grows, keeps every byte, and is
 * detached into memory the caller frees with free(). */
TEST(big_buffer_grows_and_detaches)
{
	qbuf b = QBUF_INIT;
	char line[64];
	size_t want = 0;
	for (int i = 0; b.len < 3 * QPAGES_ALONE; i++) {
		int n = snprintf(line, sizeof line, "line %d\n", i);
		qbuf_put(&b, line, (size_t)n);
		want += (size_t)n;
	}
	CHECK_INT(b.len, want);
	CHECK(b.cap > QPAGES_ALONE);
	CHECK(strncmp(b.ptr, "line 0\nline 1\n", 14) == 0);
	CHECK(b.ptr[b.len] == '\0');
	snprintf(line, sizeof line, "line %d\n", 100000);
	CHECK(strstr(b.ptr, line) != NULL);
	size_t len = 0;
	char *d = qbuf_detach(&b, &len);
	CHECK_INT(len, want);
	CHECK(d[len] == '\0' && strncmp(d, "line 0\n", 7) == 0);
	free(d);
	CHECK(b.cap == 0 && b.len == 0);
}

/* Arenas cut from the blocks: many allocations, large ones, all zeroed,
 * and a freed arena's blocks serve the next. */
TEST(arena_blocks_are_zeroed_and_reused)
{
	for (int round = 0; round < 2; round++) {
		qarena a;
		qarena_init(&a);
		size_t bad = 0;
		for (int i = 0; i < 20000; i++) {
			unsigned char *p = qarena_alloc(&a, (size_t)(i % 97) + 1);
			for (int j = 0; j < i % 97 + 1; j++)
				bad += p[j] != 0;
			memset(p, 0xFF, (size_t)(i % 97) + 1);
		}
		unsigned char *big = qarena_alloc(&a, (size_t)9 << 20);
		bad += big[0] != 0 || big[((size_t)9 << 20) - 1] != 0;
		CHECK_INT(bad, 0);
		qarena_free(&a);
	}
}

/* A buffer zeroed rather than initialised (a part of the notes set up
 * by memset) may grow at once past the size that moves it into a mapped
 * block: 7 MB of notes in one part crashed there. */
TEST(zeroed_buffer_grows_into_a_mapped_block)
{
	qbuf b;
	memset(&b, 0, sizeof b);
	qbuf_grow(&b, (size_t)8 << 20);
	CHECK(b.cap > ((size_t)8 << 20));
	CHECK_INT(b.len, 0);
	CHECK_STR(b.ptr, "");
	qbuf_puts(&b, "abc");
	CHECK_STR(b.ptr, "abc");
	qbuf_free(&b);
}

/* qmemmem finds what memmem finds: the first place, overlaps, the
 * ends, nothing, an empty needle, a needle longer than the haystack. */
TEST(find_agrees_with_memmem)
{
	static const char *const hays[] = {"aaab", "abcabc", "-->", "x-->y-->", "", "aab", "ba"};
	static const char *const needles[] = {"aab", "ab", "c", "-->", "", "x", "abcabcd", "ba"};
	for (size_t i = 0; i < sizeof hays / sizeof *hays; i++)
		for (size_t j = 0; j < sizeof needles / sizeof *needles; j++) {
			const char *h = hays[i], *s = needles[j];
			CHECK(qmemmem(h, strlen(h), s, strlen(s)) == memmem(h, strlen(h), s, strlen(s)));
		}
	const char *t = "a-->b";
	CHECK(qmemmem(t, 3, "-->", 3) == NULL);   /* only the first n bytes */
	CHECK(qmemmem(t, 4, "-->", 3) == t + 1);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--huge-heap-child") == 0) {
		qpages_restart_huge_heap(argv, (size_t)strtoull(argv[2], NULL, 10));
		const char *t = getenv("GLIBC_TUNABLES");
		printf("%s\n", t ? t : "-");
		return 0;
	}
	const char *tmp = getenv("TMPDIR");
	snprintf(root, sizeof root, "%s/quire-util-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(root)) {
		printf("not ok - test_util: cannot make a folder: %s\n", strerror(errno));
		return 1;
	}
	char p[512];
	path_of(p, sizeof p, "styles");
	mkdir(p, 0700);
	path_of(p, sizeof p, "out");
	mkdir(p, 0700);
	RUN(style_regular_file_is_read);
	RUN(zeroed_buffer_grows_into_a_mapped_block);
	RUN(style_link_inside_its_folder_is_read);
	RUN(style_link_out_of_its_folder_is_refused);
	RUN(style_fifo_and_folder_are_refused);
	RUN(style_too_big_is_refused);
	RUN(ensure_dir_makes_parents);
	RUN(atomic_write_removes_a_killed_runs_temporary);
	RUN(atomic_write_leaves_no_temporary);
	RUN(diag_names_another_file);
	RUN(visible_text_shows_control_characters);
	RUN(integers_in_decimal);
	RUN(diag_caps_each_kind_and_says_how_many_more);
	RUN(pages_reuse_blocks_of_a_size);
	RUN(pages_grow_makes_pages_present);
	RUN(pages_grown_arrays_blocks_or_malloc);
	RUN(large_run_restarts_with_huge_heap);
	RUN(pages_resize_keeps_contents);
	RUN(big_buffer_grows_and_detaches);
	RUN(arena_blocks_are_zeroed_and_reused);
	RUN(find_agrees_with_memmem);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", root);
	return testing_done();
}
