/* zipout.c - the EPUB container: a zip archive written in memory, its
 * entries deflated by zlib on the worker threads (pool.c) while the book
 * is still being written.
 *
 * A file is cut into chunks of a fixed size, each deflated on its own as
 * raw deflate, primed with the bytes before it (DICT, so the ratio stays
 * close to that of one stream) and ending on a byte boundary (a sync
 * flush; the last one with the final block): concatenated in order they
 * are one valid deflate stream. A chunk is queued as soon as its bytes
 * are final: a chapter's first chunks while later parts of it are still
 * being rendered (qepub_zip_part copies them, since the chapter's buffer
 * may move), the rest when the file is complete (qepub_zip_end). Chunk
 * borders depend only on the file and every chunk gets a fresh zlib
 * stream, so the bytes never depend on the threads, the order the jobs
 * ran in or the number of processors.
 *
 * qepub_zip_finish helps with what is left, then writes the archive:
 * entries in slot order, the first (the mimetype) stored, no extra
 * fields or data descriptors, every entry with the same DOS time
 * computed in UTC from the build time and the same Unix attributes, so
 * two builds of the same notes are byte-identical on any machine. No
 * zip64: an archive that would need it (4 GB, 65535 entries) is an
 * error.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../zip/zip.h"
#include "epub.h"

#define CHUNK QEPUB_ZIP_CHUNK
/* Bytes before a chunk that prime its stream: priming costs about as
 * much as deflating them, and the last 8 KB give almost all of the gain
 * (the corpus book is 0.4% larger than with deflate's whole 32 KB
 * window, and 0.2% larger than as unbroken streams). */
#define DICT ((size_t)8 << 10)
/* (zip.c deflates at zlib's fastest level: deflate dominates the time
 * of a build, and level 6 makes books only about 12% smaller.) */

typedef struct chunk {
	qepub_task t;
	const unsigned char *in;  /* n bytes; the dict bytes before them prime */
	size_t n, dict;
	bool last;
	unsigned char *copy;      /* owned copy of dict + n bytes until done */
	unsigned char *out;       /* raw deflate, olen bytes, malloc'd */
	size_t olen;
	uLong crc;
	int rc;                   /* 0 when done and right */
} chunk;

typedef struct job {
	qepub_task t;
	void (*fn)(void *arg);
	void *arg;
	struct job *next_owned;   /* every job, for qepub_zip_free */
} job;

typedef struct entry {
	int slot;
	char *name;
	const unsigned char *data; /* borrowed; set by end */
	size_t len;
	bool deflate, ended, dropped;
	chunk **ck;                /* queued chunks, in order */
	int nck, capck;
	uint32_t crc;              /* these two are set by finish */
	size_t csize;
} entry;

struct qepub_zip {
	qepub_pool *pool;
	pthread_mutex_t mu;        /* guards the entries and the job list */
	entry *e;
	int n, cap;
	job *jobs;
	bool failed;               /* out of memory while adding */
	time_t epoch;              /* the time of every entry */
};

/* ---- deflating a chunk ------------------------------------------------ */

/* What a worker thread keeps between chunks: its deflate stream, and a
 * scratch buffer to deflate into before the exact copy is kept. */
typedef struct zlocal {
	qzip_stream s;
	unsigned char *scratch;
	size_t scap;
} zlocal;

static void zlocal_free(void *local)
{
	zlocal *l = local;
	qzip_stream_end(&l->s);
	free(l->scratch);
	free(l);
}

static void deflate_chunk(qepub_task *t, void **local)
{
	chunk *c = (chunk *)t;
	if (!*local)
		*local = calloc(1, sizeof(zlocal));
	zlocal *l = *local;
	c->rc = -1;
	c->crc = crc32_z(0L, c->in, c->n);
	z_stream *z = l ? qzip_stream_reset(&l->s) : NULL;
	size_t cap = z ? deflateBound(z, (uLong)c->n) + 64 : 0;
	if (z && l->scap < cap) {
		free(l->scratch);
		l->scratch = malloc(cap);
		l->scap = l->scratch ? cap : 0;
	}
	size_t olen = z && l->scratch ? qzip_deflate_piece(z, c->in - c->dict, c->dict, c->in, c->n,
							   c->last, l->scratch, cap) : 0;
	c->out = olen ? malloc(olen) : NULL;
	if (c->out) {
		memcpy(c->out, l->scratch, olen);
		c->olen = olen;
		c->rc = 0;
	}
	free(c->copy);   /* only the deflated bytes are needed from now on */
	c->copy = NULL;
	c->in = NULL;
}

static void run_job(qepub_task *t, void **local)
{
	job *j = (job *)t;
	j->fn(j->arg);
}

/* ---- adding files ------------------------------------------------------ */

qepub_zip *qepub_zip_new(time_t epoch)
{
	qepub_zip *z = qxmalloc(sizeof *z);
	memset(z, 0, sizeof *z);
	pthread_mutex_init(&z->mu, NULL);
	z->epoch = epoch;
	z->pool = qepub_pool_new(zlocal_free);
	return z;
}

/* Under the lock: queue the next chunk of e, whose final bytes so far
 * are data[0..len); copy its bytes (and the dictionary before them) when
 * `copy`, else borrow them. */
static bool queue_chunk(qepub_zip *z, entry *e, const unsigned char *data,
			size_t len, bool copy)
{
	size_t off = (size_t)e->nck * CHUNK, dict = off < DICT ? off : DICT;
	size_t n = len - off < CHUNK ? len - off : CHUNK;
	if (e->nck == e->capck) {
		int cap = e->capck ? e->capck * 2 : 4;
		chunk **grown = realloc(e->ck, (size_t)cap * sizeof *grown);
		if (!grown)
			return false;
		e->ck = grown;
		e->capck = cap;
	}
	chunk *c = calloc(1, sizeof *c);
	if (c && copy && !(c->copy = malloc(dict + n))) {
		free(c);
		c = NULL;
	}
	if (!c)
		return false;
	if (copy)
		memcpy(c->copy, data + off - dict, dict + n);
	c->t.run = deflate_chunk;
	c->in = copy ? c->copy + dict : data + off;
	c->n = n;
	c->dict = dict;
	c->last = off + n == len && !copy;
	e->ck[e->nck++] = c;
	qepub_pool_push(z->pool, &c->t, false);
	return true;
}

/* A new entry; its index, or -1 when out of memory. */
static int new_entry(qepub_zip *z, int slot, const char *name, bool deflate)
{
	pthread_mutex_lock(&z->mu);
	int id = -1;
	if (z->n == z->cap) {
		int cap = z->cap ? z->cap * 2 : 32;
		entry *grown = realloc(z->e, (size_t)cap * sizeof *grown);
		if (!grown)
			goto done;
		z->e = grown;
		z->cap = cap;
	}
	entry *e = &z->e[z->n];
	memset(e, 0, sizeof *e);
	e->slot = slot;
	e->deflate = deflate;
	e->name = strdup(name);
	if (e->name)
		id = z->n++;
done:
	if (id < 0)
		z->failed = true;
	pthread_mutex_unlock(&z->mu);
	return id;
}

int qepub_zip_begin(qepub_zip *z, int slot, const char *name)
{
	return new_entry(z, slot, name, true);
}

void qepub_zip_part(qepub_zip *z, int id, const char *data, size_t len)
{
	if (id < 0)
		return;
	pthread_mutex_lock(&z->mu);
	entry *e = &z->e[id];
	/* only chunks with more bytes after them: the last one is queued by
	 * qepub_zip_end, with the final block */
	while (!z->failed && ((size_t)e->nck + 1) * CHUNK < len)
		if (!queue_chunk(z, e, (const unsigned char *)data, len, true))
			z->failed = true;
	pthread_mutex_unlock(&z->mu);
}

void qepub_zip_end(qepub_zip *z, int id, const char *data, size_t len)
{
	if (id < 0)
		return;
	pthread_mutex_lock(&z->mu);
	entry *e = &z->e[id];
	e->data = (const unsigned char *)data;
	e->len = len;
	e->ended = true;
	if (len == 0)
		e->deflate = false;   /* an empty file is stored */
	while (!z->failed && e->deflate && (size_t)e->nck * CHUNK < len)
		if (!queue_chunk(z, e, e->data, len, false))
			z->failed = true;
	pthread_mutex_unlock(&z->mu);
}

void qepub_zip_drop(qepub_zip *z, int id)
{
	if (id < 0)
		return;
	pthread_mutex_lock(&z->mu);
	z->e[id].dropped = true;
	pthread_mutex_unlock(&z->mu);
}

void qepub_zip_add(qepub_zip *z, int slot, const char *name, const char *data,
		   size_t len, bool deflate)
{
	qepub_zip_end(z, new_entry(z, slot, name, deflate), data, len);
}

void qepub_zip_run(qepub_zip *z, void (*fn)(void *arg), void *arg)
{
	job *j = qxmalloc(sizeof *j);
	j->t.run = run_job;
	j->fn = fn;
	j->arg = arg;
	pthread_mutex_lock(&z->mu);
	j->next_owned = z->jobs;
	z->jobs = j;
	pthread_mutex_unlock(&z->mu);
	qepub_pool_push(z->pool, &j->t, true);
}

/* ---- writing the archive ------------------------------------------------- */

/* Size and CRC of every entry from its chunks; false when one failed. */
static bool sum_entries(qepub_zip *z)
{
	for (int i = 0; i < z->n; i++) {
		entry *e = &z->e[i];
		if (e->dropped)
			continue;
		if (!e->ended)
			return false;
		if (!e->deflate) {
			e->crc = (uint32_t)crc32_z(0L, e->data, e->len);
			e->csize = e->len;
			continue;
		}
		uLong crc = crc32_z(0L, Z_NULL, 0);
		e->csize = 0;
		for (int k = 0; k < e->nck; k++) {
			const chunk *c = e->ck[k];
			if (c->rc)
				return false;
			crc = crc32_combine(crc, c->crc, (z_off_t)c->n);
			e->csize += c->olen;
		}
		e->crc = (uint32_t)crc;
	}
	return true;
}

/* Kept entries first, in slot order. */
static int by_slot(const void *a, const void *b)
{
	const entry *x = a, *y = b;
	if (x->dropped != y->dropped)
		return x->dropped ? 1 : -1;
	return (x->slot > y->slot) - (x->slot < y->slot);
}

static void put_entry(qbuf *out, int i, void *ctx)
{
	const entry *e = &((const qepub_zip *)ctx)->e[i];
	if (!e->deflate)
		qbuf_put(out, e->data, e->len);
	for (int k = 0; e->deflate && k < e->nck; k++)
		qbuf_put(out, e->ck[k]->out, e->ck[k]->olen);
}

/* The archive of the first n entries (the kept ones) into out; false
 * when it would need zip64 or memory ran out. */
static bool write_archive(qepub_zip *z, int n, qbuf *out)
{
	qzip_member *m = calloc((size_t)(n > 0 ? n : 1), sizeof *m);
	if (!m)
		return false;
	for (int i = 0; i < n; i++) {
		const entry *e = &z->e[i];
		m[i] = (qzip_member){e->name, e->deflate, e->crc, e->len, e->csize, 0};
	}
	bool ok = qzip_write(out, m, n, (long long)z->epoch, put_entry, z) == 0;
	free(m);
	return ok;
}

int qepub_zip_finish(qepub_zip *z, qbuf *out, char *err, size_t errlen)
{
	qepub_pool_wait(z->pool);
	if (z->failed || !sum_entries(z)) {
		snprintf(err, errlen, "zlib: out of memory or a deflate error");
		return -1;
	}
	qsort(z->e, (size_t)z->n, sizeof *z->e, by_slot);
	int n = 0;
	while (n < z->n && !z->e[n].dropped)
		n++;
	if (!write_archive(z, n, out)) {
		snprintf(err, errlen, "the book is too large for a zip file, or out of memory");
		return -1;
	}
	return 0;
}

void qepub_zip_free(qepub_zip *z)
{
	if (!z)
		return;
	qepub_pool_free(z->pool);   /* first: the workers use the chunks */
	for (int i = 0; i < z->n; i++) {
		for (int k = 0; k < z->e[i].nck; k++) {
			free(z->e[i].ck[k]->out);
			free(z->e[i].ck[k]->copy);
			free(z->e[i].ck[k]);
		}
		free(z->e[i].ck);
		free(z->e[i].name);
	}
	for (job *j = z->jobs, *next; j; j = next) {
		next = j->next_owned;
		free(j);
	}
	free(z->e);
	pthread_mutex_destroy(&z->mu);
	free(z);
}

int qepub_zip_files(const qepub_file *files, int n, time_t epoch, qbuf *out,
		    char *err, size_t errlen)
{
	qepub_zip *z = qepub_zip_new(epoch);
	for (int i = 0; i < n; i++)
		qepub_zip_add(z, i, files[i].name, files[i].data, files[i].len,
			      files[i].deflate);
	int rc = qepub_zip_finish(z, out, err, errlen);
	qepub_zip_free(z);
	return rc;
}
