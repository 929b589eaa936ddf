/* match.c - notes found again although their question was reworded, and
 * the summary of what a rebuild changed.
 *
 * A note's guid comes from its question's key, so a reworded question
 * would be a new note, and its reviews would stay behind with the old
 * one. So a note of this build whose guid the previous deck lacks takes
 * the place of a previous note that no note of this build has, when:
 *
 *   - it stands where that note stood: the note just before it in the
 *     notes is (the successor of) the note just before the old one in the
 *     previous deck, or the same holds for the notes just after them
 *     (a note at the very start or end counts as having that neighbour);
 *   - it is in the same section (the same section path);
 *   - it is of a type that can take the old note's place;
 *   - its answer (a cloze note: its text) is similar: at least half of
 *     the words of the two, counted once each, are shared (Dice).
 *
 * Wherever it stands, a note also takes the place of a previous one in
 * its section whose question it starts with, up to a word's end: the
 * question kept its words and its front grew (a multiple-choice
 * question's options joined it on the front).
 *
 * The notes are taken in document order, then once more backwards (for
 * the rule on the notes after), so a run of reworded questions is found
 * from either end. A note found this way keeps the old note's guid and
 * id: Anki updates it and keeps its reviews. What this does not find: a
 * question reworded and moved (to another place or section) at once, one
 * reworded with its answer largely rewritten, or reworded with new notes
 * on both sides of it. A question split in two keeps its note in the
 * part that stands where it stood and has the closer answer; of two
 * merged into one, the one whose place and answer fit keeps its note and
 * the other is listed as gone.
 *
 * Notes gone from the notes cannot be deleted by an import: the summary
 * lists them, with an Anki search that finds them (their note ids).
 */
#include <stdlib.h>
#include <string.h>

#include "../../util/hash.h"
#include "../../util/utf8.h"
#include "apkg.h"

#define SIMILAR 0.5
#define MAX_WORDS 4096   /* words compared per text (the first ones) */
#define SHOWN 100        /* bytes of a question shown in the summary */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static bool word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
	       || c == '_' || c >= 0x80;
}

void qapkg_words_of(const char *s, size_t n, qarena *a, qapkg_words *w)
{
	uint64_t *v = NULL;
	int m = 0, cap = 0;
	char low[64];
	for (size_t i = 0; i < n && m < MAX_WORDS;) {
		if (!word_byte((unsigned char)s[i])) {
			i++;
			continue;
		}
		size_t start = i, l = 0;
		while (i < n && word_byte((unsigned char)s[i])) {
			if (l < sizeof low)
				low[l++] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
			i++;
		}
		uint64_t h = qhash64(low, l) ^ (uint64_t)(i - start);
		if (m == cap) {
			cap = cap ? 2 * cap : 32;
			v = qxrealloc(v, sizeof *v * (size_t)cap);
		}
		v[m++] = h;
	}
	if (m)
		qsort(v, (size_t)m, sizeof *v, cmp_u64);
	int u = 0;
	for (int i = 0; i < m; i++)
		if (!u || v[u - 1] != v[i])
			v[u++] = v[i];
	uint64_t *kept = qarena_alloc(a, sizeof *kept * (size_t)(u + 1));
	if (u)
		memcpy(kept, v, sizeof *kept * (size_t)u);
	free(v);
	w->v = kept;
	w->n = u;
}

double qapkg_words_similar(const qapkg_words *a, const qapkg_words *b)
{
	if (a->n + b->n == 0)
		return 1.0;
	int i = 0, j = 0, same = 0;
	while (i < a->n && j < b->n) {
		if (a->v[i] == b->v[j]) {
			same++;
			i++;
			j++;
		} else if (a->v[i] < b->v[j]) {
			i++;
		} else {
			j++;
		}
	}
	return 2.0 * same / (a->n + b->n);
}

/* ---- matching ----------------------------------------------------------- */

typedef struct matcher {
	qapkg *k;
	const qapkg_prev *prev;
	bool *taken;              /* per previous note (its order) */
	qarena arena;
	qbuf tmp, tmp2;
} matcher;

static bool kinds_fit(qapkg_kind now, qapkg_kind before)
{
	return now == before || (now == QAPKG_BASIC && before == QAPKG_LEGACY);
}

static bool same_text(const qbuf *a, const qbuf *b)
{
	return a->len == b->len && (!a->len || memcmp(a->ptr, b->ptr, a->len) == 0);
}

/* The section path of a note of this build and of a previous one (as
 * previous.c reads it back from its field): the field shows formulas
 * as text (fields.c), a deck of an older quire showed them as TeX. */
static bool same_section(matcher *m, const qapkg_note *n, const qapkg_prev_note *p)
{
	qbuf_reset(&m->tmp);
	qbuf_reset(&m->tmp2);
	qnode_section_path_shown(n->first, " \xE2\x80\xBA ", &m->tmp);
	qapkg_prev_text(p, QAPKG_PREV_SECTION, &m->tmp2);
	if (same_text(&m->tmp, &m->tmp2))
		return true;
	qbuf_reset(&m->tmp);
	qnode_section_path(n->first, " \xE2\x80\xBA ", &m->tmp);
	return same_text(&m->tmp, &m->tmp2);
}

static double similarity(matcher *m, const qapkg_note *n, const qapkg_prev_note *p)
{
	const char *f;
	size_t len;
	if (!qapkg_field(n->flds, n->flds_len, qapkg_body_field(n->kind), &f, &len))
		return 0;
	qapkg_words now, before;
	qbuf_reset(&m->tmp);
	qapkg_strip_html(f, len, &m->tmp);
	qapkg_words_of(m->tmp.ptr, m->tmp.len, &m->arena, &now);
	qbuf_reset(&m->tmp);
	qapkg_prev_text(p, QAPKG_PREV_BODY, &m->tmp);
	qapkg_words_of(m->tmp.ptr, m->tmp.len, &m->arena, &before);
	return qapkg_words_similar(&now, &before);
}

/* Note j takes previous note o: its guid, reworded. */
static void take(matcher *m, int j, int o)
{
	qapkg_note *n = &m->k->notes[j];
	n->prev = m->prev->order[o];
	n->guid = n->prev->guid;
	n->reworded = true;
	m->taken[o] = true;
}

/* Note j takes the previous note at order o, if it fits. */
static void try_take(matcher *m, int j, int o)
{
	const qapkg_prev *prev = m->prev;
	if (o < 0 || o >= prev->nnotes || m->taken[o])
		return;
	qapkg_note *n = &m->k->notes[j];
	const qapkg_prev_note *p = prev->order[o];
	if (!kinds_fit(n->kind, p->kind) || !same_section(m, n, p)
	    || similarity(m, n, p) < SIMILAR)
		return;
	take(m, j, o);
}

/* A previous note's key, for take_grown: its hash and its order. */
typedef struct old_key {
	uint64_t h;
	int o;
} old_key;

static int cmp_old_key(const void *a, const void *b)
{
	uint64_t x = ((const old_key *)a)->h, y = ((const old_key *)b)->h;
	return (x > y) - (x < y);
}

/* The previous note whose key is s[0..len), not taken, that note j can
 * take (fitting type, same section): its order, or -1. */
static int grown_from(matcher *m, int j, const old_key *v, int nv, const char *const *keys,
		      const char *s, size_t len)
{
	uint64_t h = qhash64(s, len);
	int lo = 0, hi = nv;
	while (lo < hi) {   /* the first of hash h */
		int mid = lo + (hi - lo) / 2;
		if (v[mid].h < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	const qapkg_note *n = &m->k->notes[j];
	for (; lo < nv && v[lo].h == h; lo++) {
		int o = v[lo].o;
		const qapkg_prev_note *p = m->prev->order[o];
		if (!m->taken[o] && strlen(keys[o]) == len && !memcmp(keys[o], s, len)
		    && kinds_fit(n->kind, p->kind) && same_section(m, n, p))
			return o;
	}
	return -1;
}

/* A question that kept its words while its front grew (the options of a
 * multiple-choice question joined it on the front): the key of a note of
 * this build starts, up to a word's end, with the key of a previous
 * note's question. It takes that note wherever it stands. */
static void take_grown(matcher *m)
{
	const qapkg_prev *prev = m->prev;
	old_key *v = qxmalloc(sizeof *v * (size_t)(prev->nnotes + 1));
	const char **keys = qxmalloc(sizeof *keys * (size_t)(prev->nnotes + 1));
	int nv = 0;
	qbuf key = QBUF_INIT;
	for (int o = 0; o < prev->nnotes; o++) {
		keys[o] = NULL;
		if (m->taken[o] || prev->order[o]->kind == QAPKG_CLOZE)
			continue;
		qbuf_reset(&m->tmp);
		qapkg_prev_text(prev->order[o], QAPKG_PREV_QUESTION, &m->tmp);
		qbuf_reset(&key);
		qcard_key(m->tmp.ptr ? m->tmp.ptr : "", m->tmp.len, &key);
		if (!key.len)
			continue;
		keys[o] = qarena_strndup(&m->arena, key.ptr, key.len);
		v[nv++] = (old_key){qhash64(key.ptr, key.len), o};
	}
	qsort(v, (size_t)nv, sizeof *v, cmp_old_key);
	for (int j = 0; j < m->k->nnotes && nv; j++) {
		qapkg_note *n = &m->k->notes[j];
		if (n->prev || n->kind == QAPKG_CLOZE || !n->key)
			continue;
		size_t len = strlen(n->key);
		for (size_t b = 1; b < len && !n->prev; b++) {
			int o = n->key[b] == ' ' ? grown_from(m, j, v, nv, keys, n->key, b) : -1;
			if (o >= 0)
				take(m, j, o);
		}
	}
	qbuf_free(&key);
	free(keys);
	free(v);
}

void qapkg_match_reworded(qapkg *k, const qapkg_prev *prev)
{
	matcher m = {.k = k, .prev = prev, .tmp = QBUF_INIT, .tmp2 = QBUF_INIT};
	qarena_init(&m.arena);
	m.taken = qxmalloc(sizeof *m.taken * (size_t)(prev->nnotes + 1));
	memset(m.taken, 0, sizeof *m.taken * (size_t)(prev->nnotes + 1));
	for (int j = 0; j < k->nnotes; j++)
		if (k->notes[j].prev)
			m.taken[k->notes[j].prev->order] = true;
	int last = prev->nnotes - 1;
	for (int j = 0; j < k->nnotes; j++) {
		if (k->notes[j].prev)
			continue;
		const qapkg_prev_note *before = j ? k->notes[j - 1].prev : NULL;
		if (j == 0 || before)
			try_take(&m, j, j == 0 ? 0 : before->order + 1);
	}
	for (int j = k->nnotes - 1; j >= 0; j--) {
		if (k->notes[j].prev)
			continue;
		const qapkg_prev_note *after = j < k->nnotes - 1 ? k->notes[j + 1].prev : NULL;
		if (j == k->nnotes - 1 || after)
			try_take(&m, j, j == k->nnotes - 1 ? last : after->order - 1);
	}
	take_grown(&m);
	free(m.taken);
	qarena_free(&m.arena);
	qbuf_free(&m.tmp);
	qbuf_free(&m.tmp2);
}

/* ---- the summary ---------------------------------------------------------- */

/* At most SHOWN bytes of s, cut at a character, with "..." if cut. */
static const char *shown(const char *s, size_t n, char out[SHOWN + 8])
{
	size_t l = n < SHOWN ? n : SHOWN;
	while (l < n && l > 0 && ((unsigned char)s[l] & 0xC0) == 0x80)
		l--;
	size_t w = 0;
	for (size_t i = 0; i < l; i++)   /* one line */
		out[w++] = s[i] == '\n' || s[i] == '\r' || s[i] == '\t' ? ' ' : s[i];
	if (l < n) {
		memcpy(out + w, "...", 3);
		w += 3;
	}
	out[w] = '\0';
	return out;
}

/* The question of a previous note, shown. */
static const char *prev_question(const qapkg_prev_note *p, qbuf *tmp, char out[SHOWN + 8])
{
	qbuf_reset(tmp);
	qapkg_prev_text(p, QAPKG_PREV_QUESTION, tmp);
	return shown(tmp->ptr, tmp->len, out);
}

static void report_reworded(qapkg *k)
{
	char now[SHOWN + 8], was[SHOWN + 8];
	qbuf tmp = QBUF_INIT;
	for (int j = 0; j < k->nnotes; j++) {
		const qapkg_note *n = &k->notes[j];
		if (!n->reworded)
			continue;
		k->nreworded++;
		qdiag_add(k->job->diags, QD_NOTE, n->line, 0, "apkg-reworded",
			  "reworded: \"%s\" keeps the Anki note (and its reviews) of \"%s\"",
			  shown(n->sfld, n->sfld_len, now), prev_question(n->prev, &tmp, was));
	}
	qbuf_free(&tmp);
}

/* The previous notes no note of this build has: each listed, then one
 * Anki search for all of them. */
static void report_gone(qapkg *k, const qapkg_prev *prev)
{
	bool *taken = qxmalloc(sizeof *taken * (size_t)(prev->nnotes + 1));
	memset(taken, 0, sizeof *taken * (size_t)(prev->nnotes + 1));
	for (int j = 0; j < k->nnotes; j++)
		if (k->notes[j].prev)
			taken[k->notes[j].prev->order] = true;
	qbuf search = QBUF_INIT, tmp = QBUF_INIT;
	char was[SHOWN + 8];
	for (int o = 0; o < prev->nnotes; o++) {
		const qapkg_prev_note *p = prev->order[o];
		if (taken[o])
			continue;
		k->ngone++;
		qbuf_printf(&search, "%s%lld", search.len ? "," : "nid:", p->id);
		qdiag_add(k->job->diags, QD_NOTE, 0, 0, "apkg-gone",
			  "gone from the notes: \"%s\" (Anki keeps its note: an import never "
			  "deletes one)", prev_question(p, &tmp, was));
	}
	if (k->ngone)
		qdiag_add(k->job->diags, QD_NOTE, 0, 0, "apkg-gone",
			  "to delete the %d notes gone from the notes in Anki: Browse, search "
			  "for  %s  select all, and delete the notes", k->ngone, search.ptr);
	qbuf_free(&search);
	qbuf_free(&tmp);
	free(taken);
}

void qapkg_report(qapkg *k, const qapkg_prev *prev)
{
	if (!prev->loaded)
		return;
	report_reworded(k);
	report_gone(k, prev);
	int changed = 0, added = 0;
	for (int j = 0; j < k->nnotes; j++) {
		const qapkg_note *n = &k->notes[j];
		if (!n->prev)
			added++;
		else if (n->prev->mod != n->mod)
			changed++;
	}
	bool style = false;
	for (int i = 0; i < QAPKG_KINDS; i++)
		style = style || (k->models[i].used && prev->models[i].found && !prev->models[i].same);
	qdiag_add(k->job->diags, QD_NOTE, 0, 0, "apkg-changes",
		  "Anki deck: %d notes, %d changed (%d of them reworded) and %d new since the "
		  "previous deck, %d gone from the notes%s", k->nnotes, changed, k->nreworded,
		  added, k->ngone, style ? "; note type changed" : "");
}
