/* backend.c - the table of back ends and the output list they fill. */
#include "backend.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/arena.h"
#include "../util/fileio.h"

/* Weak: present only when a back end is linked into the program. */
extern const qbackend qbackend_pdf __attribute__((weak));
extern const qbackend qbackend_epub __attribute__((weak));
extern const qbackend qbackend_apkg __attribute__((weak));
extern const qbackend qbackend_tree;

const qbackend_info qbackends[] = {
	{"pdf", "pdf", "PDF booklet (A5, typeset; --impose for printing)",
	 &qbackend_pdf, "qbackend_pdf"},
	{"epub", "epub", "EPUB 3 book (questions as headings; --epub-answers=popup)",
	 &qbackend_epub, "qbackend_epub"},
	{"apkg", "apkg", "Anki deck: one note per distinct question",
	 &qbackend_apkg, "qbackend_apkg"},
	{"tree", "tree", "the study model as indented text (for tests and debugging)",
	 &qbackend_tree, "qbackend_tree"},
	{NULL, NULL, NULL, NULL, NULL},
};

const qbackend_info *qbackend_find(const char *name)
{
	for (int i = 0; qbackends[i].name; i++)
		if (strcmp(qbackends[i].name, name) == 0)
			return &qbackends[i];
	return NULL;
}

/* Folders where modules may be, in order. */
static int module_dirs(char dirs[][PATH_MAX], int max)
{
	int n = 0;
	const char *env = getenv("QUIRE_MODULES");
	if (env && *env && n < max)
		snprintf(dirs[n++], PATH_MAX, "%s", env);
	char exe[PATH_MAX];
	if (qfile_exe_dir(exe, sizeof exe) == 0) {
		static const char *const rel[] = {"build/lib", "lib", "../lib/quire"};
		for (int i = 0; i < 3 && n < max; i++)
			snprintf(dirs[n++], PATH_MAX, "%.*s/%s", PATH_MAX - 16, exe, rel[i]);
	}
	if (n < max)
		snprintf(dirs[n++], PATH_MAX, "%s", QUIRE_LIB_DIR);
	return n;
}

/* Loaded modules, by index in qbackends[]; guarded by load_mu. */
static pthread_mutex_t load_mu = PTHREAD_MUTEX_INITIALIZER;
static const qbackend *loaded[8];
static char load_err[8][PATH_MAX + 256];

static const qbackend *load_module(const qbackend_info *b, char *err, size_t errlen);

const qbackend *qbackend_load(const qbackend_info *b, char *err, size_t errlen)
{
	if (b->linked)
		return b->linked;
	size_t i = (size_t)(b - qbackends);
	pthread_mutex_lock(&load_mu);
	if (!loaded[i] && !load_err[i][0])
		loaded[i] = load_module(b, load_err[i], sizeof load_err[i]);
	const qbackend *be = loaded[i];
	if (!be)
		snprintf(err, errlen, "%s", load_err[i]);
	pthread_mutex_unlock(&load_mu);
	return be;
}

static void *preload(void *arg)
{
	const bool *want = arg;
	char err[PATH_MAX + 256];
	for (int i = 0; qbackends[i].name; i++)
		if (want[i])
			qbackend_load(&qbackends[i], err, sizeof err);
	return NULL;
}

void qbackend_preload(const bool *want)
{
	static bool copy[8];
	pthread_t t;
	for (int i = 0; qbackends[i].name && i < 8; i++)
		copy[i] = want[i] && !qbackends[i].linked;
	if (pthread_create(&t, NULL, preload, copy) == 0)
		pthread_detach(t);
}

static const qbackend *load_module(const qbackend_info *b, char *err, size_t errlen)
{
	char dirs[6][PATH_MAX];
	int n = module_dirs(dirs, 6);
	const char *why = "not found";
	for (int i = 0; i < n; i++) {
		char path[PATH_MAX + 32];
		snprintf(path, sizeof path, "%.*s/quire-%s.so", PATH_MAX - 16, dirs[i], b->name);
		if (access(path, R_OK) != 0)
			continue;
		void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
		if (!h) {
			why = dlerror();
			continue;
		}
		const qbackend *be = dlsym(h, b->symbol);
		if (be)
			return be;
		why = "the module has no back end in it";
		dlclose(h);
	}
	snprintf(err, errlen, "the %s back end cannot be loaded (quire-%s.so: %s; looked in %s%s)",
		 b->name, b->name, why, n > 1 ? dirs[1] : dirs[0], n > 1 ? " and beside it" : "");
	return NULL;
}

void qoutputs_init(qoutputs *o)
{
	o->v = NULL;
	o->n = o->cap = 0;
}

void qoutputs_free(qoutputs *o)
{
	for (int i = 0; i < o->n; i++) {
		free(o->v[i].suffix);
		qbuf_free(&o->v[i].data);
	}
	free(o->v);
	qoutputs_init(o);
}

qbuf *qoutputs_add(qoutputs *o, const char *suffix)
{
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 2;
		o->v = qxrealloc(o->v, (size_t)o->cap * sizeof *o->v);
	}
	qoutput *out = &o->v[o->n++];
	size_t n = strlen(suffix);
	out->suffix = qxmalloc(n + 1);
	memcpy(out->suffix, suffix, n + 1);
	qbuf_init(&out->data);
	return &out->data;
}
