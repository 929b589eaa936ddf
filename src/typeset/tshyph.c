/* tshyph.c - libhyphen behind a per-word cache (see tshyph.h). */
#include "tshyph.h"

#include <dirent.h>
#include <stdbool.h>
#include <hyphen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/arena.h"
#include "../util/buf.h"
#include "../util/strmap.h"
#include "../util/utf8.h"

#define MAX_WORD_CHARS 60
#define MIN_WORD_CHARS 5
#define LEFT_MIN 2
#define RIGHT_MIN 3

typedef struct hyph_entry {
	int n;
	uint16_t pos[];   /* character indexes after which a break may go */
} hyph_entry;

struct ts_hyph {
	qtask load;           /* first: loading is slow (a large text file),
	                       * done as a task of the pool */
	HyphenDict *dict;
	char *path;
	bool failed;
	qpool *pool;          /* where the load was pushed, or NULL */
	bool loading;         /* pushed and not waited for yet */
	qstrmap cache;    /* lower-cased word -> hyph_entry */
	qarena arena;     /* keys and entries */
};

static bool exists(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f)
		fclose(f);
	return f != NULL;
}

/* The dictionary file for a language, or false. */
static bool find_dict(const char *dir, const char *lang, char *path, size_t cap)
{
	char l[16];
	size_t n = 0;
	for (; lang[n] && lang[n] != '-' && lang[n] != '_' && n < sizeof l - 1; n++)
		l[n] = lang[n] >= 'A' && lang[n] <= 'Z' ? (char)(lang[n] + 32) : lang[n];
	l[n] = '\0';
	if (n == 0)
		return false;
	const char *region = lang[n] ? lang + n + 1 : "";
	if (*region) {
		snprintf(path, cap, "%s/hyph_%s_%s.dic", dir, l, region);
		if (exists(path))
			return true;
	}
	if (strcmp(l, "en") == 0) {   /* en -> en_US first */
		snprintf(path, cap, "%s/hyph_en_US.dic", dir);
		if (exists(path))
			return true;
	}
	snprintf(path, cap, "%s/hyph_%s.dic", dir, l);
	if (exists(path))
		return true;
	/* any hyph_<l>_*.dic, in name order */
	struct dirent **list = NULL;
	int cnt = scandir(dir, &list, NULL, alphasort);
	char prefix[32];
	snprintf(prefix, sizeof prefix, "hyph_%s_", l);
	bool found = false;
	for (int i = 0; i < cnt; i++) {
		if (!found && strncmp(list[i]->d_name, prefix, strlen(prefix)) == 0) {
			snprintf(path, cap, "%s/%s", dir, list[i]->d_name);
			found = true;
		}
		free(list[i]);
	}
	free(list);
	return found;
}

static void load_dict(qtask *t, int worker)
{
	(void)worker;
	ts_hyph *h = (ts_hyph *)t;
	h->dict = hnj_hyphen_load(h->path);
}

/* Wait for a load pushed on the pool. */
static void wait_load(ts_hyph *h)
{
	if (h->loading) {
		qpool_wait_task(h->pool, &h->load);
		h->loading = false;
	}
}

/* The dictionary, loaded now unless it was pushed on the pool. */
static HyphenDict *dict_of(ts_hyph *h)
{
	if (h->loading)
		wait_load(h);
	else if (!h->dict && !h->failed)
		load_dict(&h->load, 0);
	if (!h->dict)
		h->failed = true;
	return h->dict;
}

ts_hyph *ts_hyph_open(const char *lang, const char *dir, const char *path)
{
	char found[1200];
	if (!path) {
		if (!find_dict(dir ? dir : "/usr/share/hyphen", lang ? lang : "en",
			       found, sizeof found))
			return NULL;
		path = found;
	} else if (!exists(path)) {
		return NULL;
	}
	ts_hyph *h = qxmalloc(sizeof *h);
	memset(h, 0, sizeof *h);
	size_t n = strlen(path);
	h->path = qxmalloc(n + 1);
	memcpy(h->path, path, n + 1);
	qstrmap_init(&h->cache);
	qarena_init(&h->arena);
	return h;
}

void ts_hyph_preload(ts_hyph *h, qpool *pool)
{
	if (!h || h->dict || h->loading || h->failed)
		return;
	h->load = (qtask){.run = load_dict};
	h->pool = pool;
	h->loading = true;
	qpool_push(pool, &h->load);
}

void ts_hyph_free(ts_hyph *h)
{
	if (!h)
		return;
	wait_load(h);
	if (h->dict)
		hnj_hyphen_free(h->dict);
	free(h->path);
	qstrmap_free(&h->cache);
	qarena_free(&h->arena);
	free(h);
}

static bool is_letter(int32_t cp)
{
	if (cp < 0x80)
		return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
	return qutf8_is_wordchar(cp) && !qutf8_is_cjk(cp) && cp != 0xD7 &&
	       cp != 0xF7;
}

/* Lower-case word into out; returns its character count, or -1 when it
 * is not a word of letters of hyphenable length. */
static int lower_word(const char *w, size_t n, qbuf *out)
{
	int chars = 0;
	for (size_t i = 0; i < n;) {
		size_t l;
		int32_t cp = qutf8_decode((const unsigned char *)w + i, n - i, &l);
		if (cp < 0 || !is_letter(cp) || ++chars > MAX_WORD_CHARS)
			return -1;
		qbuf_put_utf8(out, (unsigned)qutf8_lower(cp));
		i += l;
	}
	return chars >= MIN_WORD_CHARS ? chars : -1;
}

static hyph_entry *compute(ts_hyph *h, const char *lw, size_t ln, int chars)
{
	char hyphens[MAX_WORD_CHARS * 4 + 8];
	char **rep = NULL;
	int *rpos = NULL, *cut = NULL;
	memset(hyphens, 0, sizeof hyphens);
	int rc = hnj_hyphen_hyphenate3(h->dict, lw, (int)ln, hyphens, NULL, &rep,
				       &rpos, &cut, LEFT_MIN, RIGHT_MIN, LEFT_MIN,
				       RIGHT_MIN);
	hyph_entry *e = qarena_alloc(&h->arena, sizeof *e +
				     sizeof(uint16_t) * (size_t)chars);
	e->n = 0;
	if (rc == 0 && !rep) {
		for (int i = LEFT_MIN - 1; i < chars - RIGHT_MIN; i++)
			if (hyphens[i] & 1)
				e->pos[e->n++] = (uint16_t)i;
	}
	if (rep) {   /* non-standard hyphenation: not used for English */
		for (size_t i = 0; i < ln; i++)
			free(rep[i]);
		free(rep);
		free(rpos);
		free(cut);
	}
	return e;
}

int ts_hyph_points(ts_hyph *h, const char *word, size_t n, uint16_t *pos,
		   int max)
{
	if (!h || n < MIN_WORD_CHARS || n > MAX_WORD_CHARS * 4 || h->failed)
		return 0;

	char stack[MAX_WORD_CHARS * 4 + 8];
	qbuf lw = QBUF_INIT;
	int chars = lower_word(word, n, &lw);
	int count = 0;
	if (chars > 0 && lw.len < sizeof stack) {
		memcpy(stack, lw.ptr, lw.len + 1);
		hyph_entry *e = qstrmap_get(&h->cache, stack, lw.len);
		if (!e && dict_of(h)) {
			e = compute(h, stack, lw.len, chars);
			const char *key = qarena_strndup(&h->arena, stack, lw.len);
			qstrmap_put(&h->cache, key, lw.len, e);
		}
		/* character indexes -> byte offsets in the original word */
		int ci = 0, k = 0;
		for (size_t i = 0; e && i < n && k < e->n && count < max; ci++) {
			size_t l;
			qutf8_decode((const unsigned char *)word + i, n - i, &l);
			i += l;
			if (ci == e->pos[k]) {
				pos[count++] = (uint16_t)i;
				k++;
			}
		}
	}
	qbuf_free(&lw);
	return count;
}
