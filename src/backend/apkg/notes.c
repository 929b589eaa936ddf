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
 *
 * The fields are made in blocks of notes shared out on a pool of threads,
 * each worker keeping what it makes in an arena of its own.
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
void qapkg_group_cards(qapkg *k)
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

/* Fields, sort field and checksum, kept in arena a. Reads only the model
 * and k's cards; writes only n's fields. */
static void note_fields(const qapkg *k, qapkg_note *n, qbuf *tmp, qbuf *sort, qarena *a)
{
	qbuf_reset(tmp);
	qbuf_reset(sort);
	qapkg_note_fields(k, n, tmp, sort);
	if (!qbuf_ok(tmp) || !qbuf_ok(sort))
		qoom();
	n->flds = qarena_strndup(a, tmp->ptr, tmp->len);
	n->flds_len = tmp->len;
	n->sfld = qarena_strndup(a, sort->ptr, sort->len);
	n->sfld_len = sort->len;
	n->csum = qapkg_field_checksum(sort->ptr, sort->len);
}

#define FIELD_BLOCK 32        /* notes per job */

static void field_block(void *ctx, int worker, int b)
{
	qapkg *k = ctx;
	qbuf tmp = QBUF_INIT, sort = QBUF_INIT;
	int end = (b + 1) * FIELD_BLOCK < k->nnotes ? (b + 1) * FIELD_BLOCK : k->nnotes;
	for (int j = b * FIELD_BLOCK; j < end; j++)
		note_fields(k, &k->notes[j], &tmp, &sort, &k->field_arenas[worker]);
	qbuf_free(&tmp);
	qbuf_free(&sort);
}

void qapkg_make_fields(qapkg *k, qpool *pool)
{
	int nw = pool ? qpool_size(pool) : 1;
	k->field_arenas = qxmalloc(sizeof *k->field_arenas * (size_t)nw);
	k->nfield_arenas = nw;
	for (int w = 0; w < nw; w++)
		qarena_init(&k->field_arenas[w]);
	int nblocks = (k->nnotes + FIELD_BLOCK - 1) / FIELD_BLOCK;
	if (pool)
		qpool_for(pool, nblocks, field_block, k);
	else
		for (int b = 0; b < nblocks; b++)
			field_block(k, 0, b);
}

static int by_note_id(const void *a, const void *b, void *ctx)
{
	const qapkg_note *notes = ctx;
	long long x = notes[*(const int *)a].id, y = notes[*(const int *)b].id;
	return (x > y) - (x < y);
}

/* Keep the previous mod of an unchanged note; a changed or new note
 * gets the build time (always later than its previous mod). */
static void note_mod(const qapkg *k, qapkg_note *n)
{
	long long epoch = (long long)k->job->epoch;
	const qapkg_prev_note *p = n->prev;
	if (!p) {
		n->mod = epoch;
		return;
	}
	bool same = p->hash == qapkg_content_hash(n->flds, n->flds_len, n->tags);
	n->mod = same ? p->mod : qapkg_next_mod(epoch, p->mod);
}

/* The deck ids, from their names, in order of first use. */
static void deck_ids(qapkg *k)
{
	qapkg_idset ids;
	qapkg_idset_init(&ids, (size_t)k->ndecks);
	qbuf b = QBUF_INIT;
	for (int i = 0; i < k->ndecks; i++) {
		qbuf_reset(&b);
		qbuf_puts(&b, "quire-deck:");
		qbuf_puts(&b, k->decks[i].name);
		k->decks[i].id = qapkg_idset_claim(&ids, qsha256_u64(b.ptr, b.len));
	}
	qbuf_free(&b);
	qapkg_idset_free(&ids);
}

void qapkg_identify(qapkg *k, const qapkg_prev *prev)
{
	assign_identity(k);
	qapkg_deck_add(k, k->top);
	for (int j = 0; j < k->nnotes; j++) {
		qapkg_note *n = &k->notes[j];
		const char *deck = qapkg_section_deck(k, qnode_section(n->first));
		n->did = qapkg_deck_add(k, deck);   /* an index until ids exist */
		note_tags(k, n);
		n->prev = prev ? qstrmap_get(&prev->notes, n->guid, strlen(n->guid)) : NULL;
		note_mod(k, n);
	}
	deck_ids(k);
	for (int j = 0; j < k->nnotes; j++)
		k->notes[j].did = k->decks[k->notes[j].did].id;
	k->by_id = qarena_alloc(&k->arena, sizeof *k->by_id * (size_t)(k->nnotes + 1));
	for (int j = 0; j < k->nnotes; j++)
		k->by_id[j] = j;
	qsort_r(k->by_id, (size_t)k->nnotes, sizeof *k->by_id, by_note_id, k->notes);
}
