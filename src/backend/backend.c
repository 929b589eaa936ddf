/* backend.c - the table of back ends, loading the ones that are modules,
 * and the output list they fill (see backend.h). */
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

extern const qbackend qbackend_tree;   /* the one linked into the program */

const qbackend_info qbackends[QB_COUNT] = {
	[QB_PDF] = {"pdf", "pdf", "PDF booklet (typeset; --impose for printing)"},
	[QB_EPUB] = {"epub", "epub", "EPUB 3 book (questions as headings; --epub-answers=popup)"},
	[QB_APKG] = {"apkg", "apkg", "Anki deck: a note per distinct question or paragraph of clozes"},
	[QB_TREE] = {"tree", "tree", "the study model as indented text (for tests and debugging)"},
};

qbackend_id qbackend_find(const char *name)
{
	for (int i = 0; i < QB_COUNT; i++)
		if (strcmp(qbackends[i].name, name) == 0)
			return (qbackend_id)i;
	return QB_COUNT;
}

/* The folders where modules may be, in order: $QUIRE_MODULES, then the
 * program's own (build/lib for ./quire in a checkout, lib for build/quire,
 * PREFIX/lib/quire for an installed PREFIX/bin/quire); returns how many. */
enum { MAX_DIRS = 4 };
static int module_dirs(char dirs[MAX_DIRS][PATH_MAX])
{
	int n = 0;
	const char *env = getenv("QUIRE_MODULES");
	if (env && *env)
		snprintf(dirs[n++], PATH_MAX, "%s", env);
	char exe[PATH_MAX];
	if (qfile_exe_dir(exe, sizeof exe) == 0) {
		static const char *const rel[] = {"build/lib", "lib", "../lib/quire"};
		for (int i = 0; i < 3; i++)
			snprintf(dirs[n++], PATH_MAX, "%.*s/%s", PATH_MAX - 16, exe, rel[i]);
	}
	if (n == 0)
		snprintf(dirs[n++], PATH_MAX, "(the program's folder is unknown)");
	return n;
}

/* dlopen() quire-<name>.so from the first folder that has it and return
 * its qbackend_<name>; NULL with a message in err. */
static const qbackend *load_module(const char *name, char *err, size_t errlen)
{
	char dirs[MAX_DIRS][PATH_MAX];
	int n = module_dirs(dirs);
	const char *why = "not found";
	for (int i = 0; i < n; i++) {
		char path[PATH_MAX + 32], symbol[64];
		snprintf(path, sizeof path, "%.*s/quire-%s.so", PATH_MAX - 16, dirs[i], name);
		if (access(path, R_OK) != 0)
			continue;
		void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
		if (!h) {
			why = dlerror();
			continue;
		}
		snprintf(symbol, sizeof symbol, "qbackend_%s", name);
		const qbackend *be = dlsym(h, symbol);
		if (be)
			return be;
		why = "the module has no back end in it";
		dlclose(h);
	}
	snprintf(err, errlen, "the %s back end cannot be loaded (quire-%s.so: %.512s; "
		 "looked in %.1024s and %.1024s)", name, name, why, dirs[0], dirs[n - 1]);
	return NULL;
}

/* The modules loaded so far, or why one cannot be; written by the
 * loading thread while it runs, else by the caller's thread. */
static const qbackend *loaded[QB_COUNT];
static char why_not[QB_COUNT][PATH_MAX + 256];
static bool wanted[QB_COUNT];
static pthread_t loader;
static bool loading;   /* the loader runs, or ran and is not joined yet */

static void load(qbackend_id id)
{
	if (id != QB_TREE && !loaded[id] && !why_not[id][0])
		loaded[id] = load_module(qbackends[id].name, why_not[id], sizeof why_not[id]);
}

static void *load_wanted(void *arg)
{
	(void)arg;
	for (int i = 0; i < QB_COUNT; i++)
		if (wanted[i])
			load((qbackend_id)i);
	return NULL;
}

void qbackend_preload(const bool want[QB_COUNT])
{
	bool any = false;
	for (int i = 0; i < QB_COUNT; i++)
		any = any || (want[i] && i != QB_TREE);
	if (loading || !any)
		return;
	memcpy(wanted, want, sizeof wanted);
	loading = pthread_create(&loader, NULL, load_wanted, NULL) == 0;
}

const qbackend *qbackend_get(qbackend_id id, char *err, size_t errlen)
{
	if (loading) {   /* once joined, its loads are ours to read */
		pthread_join(loader, NULL);
		loading = false;
	}
	if (id == QB_TREE)
		return &qbackend_tree;
	load(id);
	if (!loaded[id])
		snprintf(err, errlen, "%s", why_not[id]);
	return loaded[id];
}

void qoutputs_init(qoutputs *o)
{
	o->v = NULL;
	o->n = o->cap = 0;
	o->card_pages = NULL;
}

void qoutputs_free(qoutputs *o)
{
	for (int i = 0; i < o->n; i++) {
		free(o->v[i].suffix);
		qbuf_free(&o->v[i].data);
	}
	free(o->v);
	free(o->card_pages);
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
