/* lazy.h - a picture library loaded the first time a picture needs it.
 *
 * giflib, libwebp, libpng's writer and librsvg (with glib, cairo and
 * pango) would otherwise be mapped and relocated by every run of a
 * module that links them, though most notes hold no GIF, WebP or SVG.
 * Each is opened with dlopen() the first time it is needed, once per
 * process, and never closed (glib's types cannot be unloaded). Its
 * functions are found by name into a struct of pointers typed after the
 * library's own header, so a changed signature fails the build:
 *
 *     #define GIF_FUNCTIONS(F) F(DGifOpen) F(DGifCloseFile)
 *     static struct { GIF_FUNCTIONS(QLAZY_POINTER) } gif;
 *     static const char *const gif_names[] = {GIF_FUNCTIONS(QLAZY_NAME)};
 *     static qlazy giflib = QLAZY("libgif.so.7", "giflib", gif, gif_names);
 *     ... if (!qlazy_load(&giflib, why, whylen)) return false;
 *     ... gif.DGifOpen(...)
 *
 * Thread-safe: callers on several threads wait for one load.
 *
 * Ownership: a qlazy and its struct are the caller's (static); the
 * library stays loaded until the process exits.
 */
#ifndef QUIRE_LAZY_H
#define QUIRE_LAZY_H

#include <stdbool.h>
#include <stddef.h>

typedef struct qlazy {
	const char *soname;         /* the file dlopen() is given */
	const char *what;           /* the library's name in messages */
	const char *const *names;   /* its functions, in the order of api */
	size_t count;
	void *api;                  /* count function pointers, filled here */
	int state;                  /* 0: not tried, 1: loaded, -1: cannot be */
	char error[200];
} qlazy;

#define QLAZY_POINTER(f) __typeof__(f) *f;
#define QLAZY_NAME(f) #f,
#define QLAZY(soname, what, api, names)                                             \
	{(soname), (what), (names), sizeof(names) / sizeof(names)[0], &(api), 0, ""}

/* Load lib (the first call) and find each of its functions: true when
 * they can be called, else false with the reason in why. */
bool qlazy_load(qlazy *lib, char *why, size_t whylen);

#endif
