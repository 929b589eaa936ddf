/* zipout.c - the EPUB container: a zip archive made in memory by libzip
 * (backend/zip), its entries deflated by zlib on the pool's threads
 * (util/pool.h) while the book is still being written.
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
 * qepub_zip_finish helps with what is left, then has libzip write the
 * archive: entries in slot order, the first (the mimetype) stored, the
 * deflated ones copied as they are, every entry with the same DOS time
 * from the build time and the same attributes (see zip.h), so two
 * builds of the same notes are byte-identical. A book of more than
 * 65,535 files gets zip64 records.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../../util/pool.h"
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
	qtask t;
	const unsigned char *in;  /* n bytes; the dict bytes before them prime */
	size_t n, dict;
	bool last;
	unsigned char *copy;      /* owned copy of dict + n bytes until done */
	struct qepub_zip *zip;
	unsigned char *out;       /* raw deflate, olen bytes, malloc'd */
	size_t olen;
	uLong crc;
	int rc;                   /* 0 when done and right */
} chunk;

typedef struct job {
	qtask t;
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
	qpool *pool;
	struct zlocal *local;      /* one per worker of the pool */
	int nlocal;
	pthread_mutex_t mu;        /* guards the entries and the job list */
	entry *e;
	int n, cap;
	job *jobs;
	bool failed;               /* out of memory while adding */
	time_t epoch;              /* the time of every entry */
};

/* ---- deflating a chunk ------------------------------------------------ */

/* What a worker keeps between chunks: its deflate stream, and a
 * scratch buffer to deflate into before the exact copy is kept. */
typedef struct zlocal {
	qzip_stream s;
	unsigned char *scratch;
	size_t scap;
} zlocal;

static void deflate_chunk(qtask *t, int worker)
{
	chunk *c = (chunk *)t;
	zlocal *l = &c->zip->local[worker];
	c->rc = -1;
	c->crc = crc32_z(0L, c->in, c->n);
	z_stream *z = qzip_stream_reset(&l->s);
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

static void run_job(qtask *t, int worker)
{
	job *j = (job *)t;
	j->fn(j->arg);
}

/* ---- adding files ------------------------------------------------------ */

qepub_zip *qepub_zip_new(qpool *pool, time_t epoch)
{
	qepub_zip *z = qxmalloc(sizeof *z);
	memset(z, 0, sizeof *z);
	pthread_mutex_init(&z->mu, NULL);
	z->epoch = epoch;
	z->pool = pool;
	z->nlocal = qpool_size(z->pool);
	z->local = qxmalloc(sizeof *z->local * (size_t)z->nlocal);
	memset(z->local, 0, sizeof *z->local * (size_t)z->nlocal);
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
	c->zip = z;
	c->in = copy ? c->copy + dict : data + off;
	c->n = n;
	c->dict = dict;
	c->last = off + n == len && !copy;
	e->ck[e->nck++] = c;
	qpool_push(z->pool, &c->t);
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
	qpool_push_front(z->pool, &j->t);
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

/* The archive of the first n entries (the kept ones) into out: the
 * deflated ones joined from their chunks into `streams`, each a member
 * libzip copies as it is. */
static int write_archive(qepub_zip *z, int n, qbuf *out, char *err, size_t errlen)
{
	qzip_member *m = qxmalloc(sizeof *m * (size_t)(n > 0 ? n : 1));
	qbuf streams = QBUF_INIT;
	size_t total = 0;
	for (int i = 0; i < n; i++)
		total += z->e[i].deflate ? z->e[i].csize : 0;
	qbuf_grow(&streams, total + 1);   /* no move: members point into it */
	for (int i = 0; i < n; i++) {
		const entry *e = &z->e[i];
		if (!e->deflate) {
			m[i] = (qzip_member){.name = e->name, .data = e->data, .len = e->len,
					     .how = QZIP_STORE};
			continue;
		}
		size_t at = streams.len;
		for (int k = 0; k < e->nck; k++)
			qbuf_put(&streams, e->ck[k]->out, e->ck[k]->olen);
		m[i] = (qzip_member){.name = e->name, .data = streams.ptr + at, .len = e->csize,
				     .how = QZIP_RAW, .usize = e->len, .crc = e->crc};
	}
	int rc = qzip_write(m, n, (long long)z->epoch, out, err, errlen);
	qbuf_free(&streams);
	free(m);
	return rc;
}

int qepub_zip_finish(qepub_zip *z, qbuf *out, char *err, size_t errlen)
{
	qpool_wait(z->pool);
	if (z->failed || !sum_entries(z)) {
		snprintf(err, errlen, "zlib: out of memory or a deflate error");
		return -1;
	}
	qsort(z->e, (size_t)z->n, sizeof *z->e, by_slot);
	int n = 0;
	while (n < z->n && !z->e[n].dropped)
		n++;
	return write_archive(z, n, out, err, errlen);
}

void qepub_zip_free(qepub_zip *z)
{
	if (!z)
		return;
	qpool_wait(z->pool);   /* first: the workers use the chunks */
	for (int w = 0; z->local && w < z->nlocal; w++) {
		qzip_stream_end(&z->local[w].s);
		free(z->local[w].scratch);
	}
	free(z->local);
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

int qepub_zip_files(qpool *pool, const qepub_file *files, int n, time_t epoch, qbuf *out,
		    char *err, size_t errlen)
{
	qepub_zip *z = qepub_zip_new(pool, epoch);
	for (int i = 0; i < n; i++)
		qepub_zip_add(z, i, files[i].name, files[i].data, files[i].len,
			      files[i].deflate);
	int rc = qepub_zip_finish(z, out, err, errlen);
	qepub_zip_free(z);
	return rc;
}
