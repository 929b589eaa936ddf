/* lazy.c - picture libraries loaded on first use (see lazy.h). */
#include "lazy.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* dlopen the library and fill its struct, or say why not. Called
 * locked, once per library. */
static void load(qlazy *lib)
{
	void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(lib->error, sizeof lib->error, "%s cannot be loaded (%s)", lib->what,
			 dlerror());
		lib->state = -1;
		return;
	}
	void (**slot)(void) = lib->api;
	for (size_t i = 0; i < lib->count; i++) {
		void *f = dlsym(h, lib->names[i]);
		if (!f) {
			snprintf(lib->error, sizeof lib->error, "%s has no %s", lib->what,
				 lib->names[i]);
			memset(lib->api, 0, lib->count * sizeof *slot);
			lib->state = -1;
			return;
		}
		memcpy(&slot[i], &f, sizeof f);
	}
	lib->state = 1;
}

bool qlazy_load(qlazy *lib, char *why, size_t whylen)
{
	pthread_mutex_lock(&lock);
	if (!lib->state)
		load(lib);
	bool ok = lib->state > 0;
	if (!ok)
		snprintf(why, whylen, "%s", lib->error);
	pthread_mutex_unlock(&lock);
	return ok;
}
