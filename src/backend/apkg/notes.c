/* notes.c - one note per distinct question: merging the cards of a key,
 * the note's guid and ids, its deck, tags and fields, and its `mod`.
 *
 * guid = Anki's base91 of the first 8 bytes of SHA-256("quire:" + key):
 * the key ignores numbers, position and section, so renumbering,
 * reordering, moving and editing an answer all keep the guid, and
 * re-importing updates the note (keeping the user's reviews) instead of
 * adding a copy. The note id (= card id) comes from the same 64 bits.
 * Collisions (of guids or ids) are resolved in document order, so the
 * result never depends on anything but the notes.
 */
#include <stdlib.h>
#include <string.h>

#include "../../util/hash.h"
#include "apkg.h"

void qapkg_base91(uint64_t v, char out[16])
{
	static const char table[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		"0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~";
	char tmp[16];
	int n = 0;
	do {
		tmp[n++] = table[v % 91];
		v /= 91;
	} while (v);
	for (int i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

uint64_t qapkg_guid(const char *key, int attempt, char out[16])
{
	qbuf b = QBUF_INIT;
	qbuf_puts(&b, "quire:");
	qbuf_puts(&b, key ? key : "");
	if (attempt)
		qbuf_printf(&b, "#%d", attempt);
	uint64_t h = qsha256_u64(b.ptr, b.len);
	qapkg_base91(h, out);
	qbuf_free(&b);
	return h;
}

/* The position of the first card of c's key in doc->cards. */
static int first_index(const qdoc *doc, int i)
{
	const qnode *c = doc->cards[i];
	const qnode *f = c->u.card.first;
	if (!f || f == c)
		return i;
	int fi = f->u.card.index;
	return fi >= 0 && fi < i && doc->cards[fi] == f ? fi : i;
}

/* Group the cards by note: note of each card, note order = order of
 * first cards; k->cards lists each note's cards together. */
static void group_cards(qapkg *k)
{
	const qdoc *doc = k->job->doc;
	int nc = doc->ncards;
	int *note_of = qxmalloc(sizeof *note_of * (size_t)(nc + 1));
	k->nnotes = 0;
	for (int i = 0; i < nc; i++) {
		int f = first_index(doc, i);
		note_of[i] = f == i ? k->nnotes++ : note_of[f];
	}
	k->notes = qarena_alloc(&k->arena, sizeof *k->notes * (size_t)(k->nnotes + 1));
	k->cards = qarena_alloc(&k->arena, sizeof *k->cards * (size_t)(nc + 1));
	for (int i = 0; i < nc; i++) {
		qapkg_note *n = &k->notes[note_of[i]];
		if (!n->ncards)
			n->first = doc->cards[i];
		n->ncards++;
	}
	int at = 0;
	for (int j = 0; j < k->nnotes; j++) {
		k->notes[j].card0 = at;
		at += k->notes[j].ncards;
		k->notes[j].ncards = 0;
	}
	for (int i = 0; i < nc; i++) {
		qapkg_note *n = &k->notes[note_of[i]];
		k->cards[n->card0 + n->ncards++] = doc->cards[i];
	}
	free(note_of);
}

/* guid and id of each note. */
static void assign_identity(qapkg *k)
{
	qstrmap guids;
	qstrmap_init(&guids);
	qapkg_idset ids;
	qapkg_idset_init(&ids, (size_t)k->nnotes);
	for (int j = 0; j < k->nnotes; j++) {
		qapkg_note *n = &k->notes[j];
		const char *key = n->first->u.card.key;
		char g[16];
		uint64_t h;
		for (int attempt = 0;; attempt++) {
			h = qapkg_guid(key, attempt, g);
			if (!qstrmap_get(&guids, g, strlen(g)))
				break;
		}
		n->guid = qarena_strdup(&k->arena, g);
		qstrmap_put(&guids, n->guid, strlen(n->guid), n);
		n->id = qapkg_idset_claim(&ids, h);
		n->due = j + 1;
	}
	qapkg_idset_free(&ids);
	qstrmap_free(&guids);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* " a b " from the sections of the note's cards, sorted, each once. */
static void note_tags(qapkg *k, qapkg_note *n)
{
	const char **v = qxmalloc(sizeof *v * (size_t)(n->ncards + 1));
	int m = 0;
	for (int i = 0; i < n->ncards; i++) {
		const char *t = qapkg_section_tag(k, qnode_section(k->cards[n->card0 + i]));
		if (t && *t)
			v[m++] = t;
	}
	qsort(v, (size_t)m, sizeof *v, cmp_str);
	qbuf b = QBUF_INIT;
	for (int i = 0; i < m; i++) {
		if (i && strcmp(v[i], v[i - 1]) == 0)
			continue;
		qbuf_putc(&b, ' ');
		qbuf_puts(&b, v[i]);
	}
	if (b.len)
		qbuf_putc(&b, ' ');
	n->tags = qarena_strndup(&k->arena, b.ptr, b.len);
	qbuf_free(&b);
	free(v);
}

/* Fields, sort field and checksum, kept in the worker's arena. Reads
 * only the model and k; writes only n. */
static void note_fields(const qapkg *k, qapkg_note *n, qbuf *tmp, qarena *a)
{
	qbuf_reset(tmp);
	qapkg_note_fields(k, n, tmp);
	if (!qbuf_ok(tmp))
		qoom();
	n->flds = qarena_strndup(a, tmp->ptr, tmp->len);
	n->flds_len = tmp->len;
	const char *sep = memchr(n->flds, QAPKG_FIELD_SEP, n->flds_len);
	size_t qlen = sep ? (size_t)(sep - n->flds) : n->flds_len;
	qbuf_reset(tmp);
	qapkg_strip_html(n->flds, qlen, tmp);
	n->sfld = qarena_strndup(a, tmp->ptr, tmp->len);
	n->sfld_len = tmp->len;
	n->csum = qapkg_field_checksum(tmp->ptr, tmp->len);
}

/* ---- fields in parallel ------------------------------------------------ */

#define FIELD_BLOCK 32        /* notes per job */

static void field_job(void *ctx, int worker, int job)
{
	qapkg *k = ctx;
	qbuf tmp = QBUF_INIT;
	int end = (job + 1) * FIELD_BLOCK < k->nnotes ? (job + 1) * FIELD_BLOCK : k->nnotes;
	for (int j = job * FIELD_BLOCK; j < end; j++)
		note_fields(k, &k->notes[j], &tmp, &k->field_arenas[worker]);
	qbuf_free(&tmp);
}

/* Each worker keeps what it makes in an arena of its own. */
static void make_fields(qapkg *k)
{
	int njobs = (k->nnotes + FIELD_BLOCK - 1) / FIELD_BLOCK;
	int nw = qapkg_workers(njobs / 2);   /* two blocks a worker at least */
	k->field_arenas = qxmalloc(sizeof *k->field_arenas * (size_t)nw);
	k->nfield_arenas = nw;
	for (int w = 0; w < nw; w++)
		qarena_init(&k->field_arenas[w]);
	qapkg_parallel(njobs, nw, field_job, k);
}

/* Keep the previous mod of an unchanged note; a changed or new note
 * gets the build time (always later than its previous mod). */
static void note_mod(const qapkg *k, qapkg_note *n, const qapkg_prev *prev)
{
	long long epoch = (long long)k->job->epoch;
	const qapkg_prev_note *p =
		prev ? qstrmap_get(&prev->notes, n->guid, strlen(n->guid)) : NULL;
	if (!p) {
		n->mod = epoch;
		return;
	}
	bool same = p->hash == qapkg_content_hash(n->flds, n->flds_len, n->tags);
	n->mod = same ? p->mod : qapkg_next_mod(epoch, p->mod);
}

void qapkg_build_notes(qapkg *k)
{
	group_cards(k);
	assign_identity(k);
	qapkg_deck_add(k, k->top);
	for (int j = 0; j < k->nnotes; j++) {
		qapkg_note *n = &k->notes[j];
		const char *deck = qapkg_section_deck(k, qnode_section(n->first));
		n->did = qapkg_deck_add(k, deck);   /* an index until ids exist */
		note_tags(k, n);
	}
	make_fields(k);
	/* deck ids from their names, in order of first use */
	qapkg_idset ids;
	qapkg_idset_init(&ids, (size_t)k->ndecks);
	for (int i = 0; i < k->ndecks; i++) {
		qbuf b = QBUF_INIT;
		qbuf_puts(&b, "quire-deck:");
		qbuf_puts(&b, k->decks[i].name);
		k->decks[i].id = qapkg_idset_claim(&ids, qsha256_u64(b.ptr, b.len));
		qbuf_free(&b);
	}
	for (int j = 0; j < k->nnotes; j++)
		k->notes[j].did = k->decks[k->notes[j].did].id;
	qapkg_idset_free(&ids);
}

void qapkg_assign_mods(qapkg *k, const qapkg_prev *prev)
{
	for (int j = 0; j < k->nnotes; j++)
		note_mod(k, &k->notes[j], prev);
}
