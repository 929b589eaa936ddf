/* notes.c - the notes of a deck: one per distinct question (the cards of
 * a key merged), one per block that holds clozes (cloze.c); each note's
 * guid and ids, its deck, tags and fields, and its `mod`.
 *
 * guid = Anki's base91 of the first 8 bytes of SHA-256("quire:" + key):
 * a question's key ignores numbers, position and section, so
 * renumbering, reordering, moving and editing an answer all keep the
 * guid, and re-importing updates the note (keeping the user's reviews)
 * instead of adding a copy; a cloze note's key is its deletions. A note
 * of the previous deck found again by match.c (a reworded question)
 * keeps its guid and id. The note id (= its first card's id) comes from
 * the same 64 bits. Collisions (of guids or ids) are resolved in
 * document order, so the result never depends on anything but the notes
 * and the previous deck.
 *
 * The fields are made in blocks of notes shared out on a pool of threads,
 * each worker keeping what it makes in an arena of its own.
 */
#include <stdlib.h>
#include <string.h>

#include "../../model/walk.h"
#include "../zip/digest.h"
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

/* ---- grouping --------------------------------------------------------- */

typedef struct grouping {
	qapkg *k;
	int *note_of;        /* per card (doc->cards order): its note */
	int cap;
	qbuf tmp, key;
	qstrmap texts;       /* the Text of each cloze note so far */
} grouping;

static qapkg_note *new_note(grouping *g, qapkg_kind kind, const qnode *first, int line)
{
	qapkg *k = g->k;
	if (k->nnotes == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 64;
		k->notes = qxrealloc(k->notes, sizeof *k->notes * (size_t)g->cap);
	}
	qapkg_note *n = &k->notes[k->nnotes++];
	memset(n, 0, sizeof *n);
	n->kind = kind;
	n->first = first;
	n->line = line;
	return n;
}

static void card_note(grouping *g, const qnode *card)
{
	qapkg *k = g->k;
	const qdoc *doc = k->job->doc;
	int i = card->u.card.index;
	if (i < 0 || i >= doc->ncards || doc->cards[i] != card)
		return;   /* not indexed: not a card of the document */
	const qnode *f = card->u.card.first;
	int fi = f && f != card ? f->u.card.index : -1;
	if (fi >= 0 && fi < i && doc->cards[fi] == f && g->note_of[fi] >= 0) {
		g->note_of[i] = g->note_of[fi];
		k->notes[g->note_of[i]].ncards++;
		return;
	}
	g->note_of[i] = k->nnotes;
	qapkg_note *n = new_note(g, QAPKG_BASIC, card, card->line);
	n->ncards = 1;
	n->key = card->u.card.key ? card->u.card.key : "";
}

static void cloze_note(void *ctx, const qnode *block)
{
	grouping *g = ctx;
	qapkg *k = g->k;
	qbuf_reset(&g->tmp);
	if (!qapkg_cloze_text(k, block, &g->tmp)) {
		qdiag_add(k->job->diags, QD_WARNING, block->line, 0, "apkg-cloze",
			  "the clozes here could not be placed in an Anki cloze note; "
			  "the text goes into the deck only as part of its card");
		return;
	}
	if (qstrmap_get(&g->texts, g->tmp.ptr, g->tmp.len))
		return;   /* the same text and deletions again: one note asks them */
	qstrmap_put(&g->texts, qarena_strndup(&k->arena, g->tmp.ptr, g->tmp.len), g->tmp.len, g);
	qapkg_note *n = new_note(g, QAPKG_CLOZE, block, block->line);
	qbuf_reset(&g->key);
	n->nords = qapkg_cloze_numbers(k, block, &k->arena, &n->ords, &g->key);
	for (int i = 0; i < n->nords; i++)
		((int *)n->ords)[i]--;   /* cN is card ord N - 1 */
	n->key = qarena_strndup(&k->arena, g->key.ptr, g->key.len);
}

/* The cards of each note together in k->cards; the ords of card notes. */
static void place_cards(grouping *g)
{
	qapkg *k = g->k;
	const qdoc *doc = k->job->doc;
	int at = 0;
	for (int j = 0; j < k->nnotes; j++) {
		k->notes[j].card0 = at;
		at += k->notes[j].ncards;
		k->notes[j].ncards = 0;
	}
	k->cards = qarena_alloc(&k->arena, sizeof *k->cards * (size_t)(at + 1));
	for (int i = 0; i < doc->ncards; i++) {
		if (g->note_of[i] < 0)
			continue;
		qapkg_note *n = &k->notes[g->note_of[i]];
		k->cards[n->card0 + n->ncards++] = doc->cards[i];
	}
	static const int both[] = {0, 1};
	for (int j = 0; j < k->nnotes; j++) {
		qapkg_note *n = &k->notes[j];
		if (n->kind == QAPKG_CLOZE)
			continue;
		bool rev = false;
		for (int i = 0; k->reversed && i < n->ncards; i++)
			rev = rev || k->cards[n->card0 + i]->u.card.reversible;
		n->ords = both;
		n->nords = rev ? 2 : 1;
	}
}

void qapkg_group_notes(qapkg *k)
{
	const qdoc *doc = k->job->doc;
	grouping g = {.k = k, .tmp = QBUF_INIT, .key = QBUF_INIT};
	qstrmap_init(&g.texts);
	g.note_of = qxmalloc(sizeof *g.note_of * (size_t)(doc->ncards + 1));
	for (int i = 0; i < doc->ncards; i++)
		g.note_of[i] = -1;
	/* the cards in document order; the cloze blocks where they start */
	for (int i = 0; i < doc->ncards; i++)
		card_note(&g, doc->cards[i]);
	int ncard_notes = k->nnotes;
	qapkg_cloze_blocks(k, cloze_note, &g);
	place_cards(&g);
	/* one document order for both: by the line they start on, the card
	 * notes first on a tie (the walk order within each kind is kept) */
	qapkg_note *all = qxmalloc(sizeof *all * (size_t)(k->nnotes + 1));
	int a = 0, b = ncard_notes, m = 0;
	while (a < ncard_notes || b < k->nnotes)
		all[m++] = b >= k->nnotes || (a < ncard_notes && k->notes[a].line <= k->notes[b].line)
			   ? k->notes[a++] : k->notes[b++];
	qapkg_note *kept = qarena_alloc(&k->arena, sizeof *kept * (size_t)(k->nnotes + 1));
	memcpy(kept, all, sizeof *kept * (size_t)k->nnotes);
	free(all);
	free(k->notes);
	k->notes = kept;
	free(g.note_of);
	qbuf_free(&g.tmp);
	qbuf_free(&g.key);
	qstrmap_free(&g.texts);
}

/* ---- fields in parallel ---------------------------------------------- */

void qapkg_note_fields_into(const qapkg *k, qapkg_note *n, qbuf *tmp, qbuf *sort, qarena *a)
{
	qbuf_reset(tmp);
	qbuf_reset(sort);
	qapkg_note_fields(k, n, tmp, sort);
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
		qapkg_note_fields_into(k, &k->notes[j], &tmp, &sort, &k->field_arenas[worker]);
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

/* ---- identity ---------------------------------------------------------- */

/* Whether a note of this build may take the place of a previous one:
 * the same type, or a question on 0.1's type (it stays there). */
static bool kinds_fit(qapkg_kind now, qapkg_kind before)
{
	return now == before || (now == QAPKG_BASIC && before == QAPKG_LEGACY);
}

/* The guid of each note: from its key, unique in this build, and not
 * one the previous deck has on a type the note cannot take. */
static void assign_guids(qapkg *k, const qapkg_prev *prev)
{
	qstrmap guids;
	qstrmap_init(&guids);
	qstrmap_reserve(&guids, (size_t)k->nnotes);
	for (int j = 0; j < k->nnotes; j++) {
		qapkg_note *n = &k->notes[j];
		char g[16];
		uint64_t h;
		const qapkg_prev_note *p = NULL;
		for (int attempt = 0;; attempt++) {
			h = qapkg_guid(n->key, attempt, g);
			p = prev ? qstrmap_get(&prev->notes, g, strlen(g)) : NULL;
			if (!qstrmap_get(&guids, g, strlen(g)) && (!p || kinds_fit(n->kind, p->kind)))
				break;
		}
		n->guid = qarena_strdup(&k->arena, g);
		n->guid_bits = h;
		qstrmap_put(&guids, n->guid, strlen(n->guid), n);
		n->prev = p;
	}
	qstrmap_free(&guids);
}

/* A note found in the previous deck on 0.1's type stays on it: its
 * fields take that type's shape (made again here), with one card. */
static void keep_legacy_types(qapkg *k)
{
	qbuf tmp = QBUF_INIT, sort = QBUF_INIT;
	int lost = 0;
	for (int j = 0; j < k->nnotes; j++) {
		qapkg_note *n = &k->notes[j];
		if (!n->prev || n->prev->kind != QAPKG_LEGACY || n->kind == QAPKG_LEGACY)
			continue;
		n->kind = QAPKG_LEGACY;
		lost += n->nords > 1;
		n->nords = 1;
		qapkg_note_fields_into(k, n, &tmp, &sort, &k->arena);
	}
	qbuf_free(&tmp);
	qbuf_free(&sort);
	if (lost)
		qdiag_add(k->job->diags, QD_NOTE, 0, 0, "apkg-legacy",
			  "%d notes that the previous deck had on quire 0.1's note type "
			  "get no Reverse card (see the README on moving notes to the new "
			  "note type)", lost);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A tag list being collected. */
typedef struct tagset {
	const char **v;
	int n, cap;
} tagset;

static void tag_add(qapkg *k, tagset *t, const char *s, bool clean)
{
	if (!s || !*s)
		return;
	if (clean) {
		qbuf b = QBUF_INIT;
		qapkg_tag_component(&b, s);
		s = qarena_strndup(&k->arena, b.ptr, b.len);
		qbuf_free(&b);
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		t->v = qxrealloc(t->v, sizeof *t->v * (size_t)t->cap);
	}
	t->v[t->n++] = s;
}

/* The tags a card brings: its own, and its section path if asked. */
static void card_tags(qapkg *k, tagset *t, const qnode *card)
{
	for (int i = 0; card && i < card->u.card.ntags; i++)
		tag_add(k, t, card->u.card.tags[i], true);
}

/* " a b " from the notes' keywords, the note's cards' own tags and,
 * with tag_sections, their section paths; sorted, each once. */
static void note_tags(qapkg *k, qapkg_note *n)
{
	const qdoc *doc = k->job->doc;
	tagset t = {0};
	for (int i = 0; i < doc->nkeywords; i++)
		tag_add(k, &t, doc->keywords[i], true);
	if (n->kind == QAPKG_CLOZE) {
		const qnode *c = n->first;
		while (c && c->type != QN_CARD)
			c = c->parent;
		card_tags(k, &t, c);
		if (k->tag_sections)
			tag_add(k, &t, qapkg_section_tag(k, qnode_section(n->first)), false);
	}
	for (int i = 0; n->kind != QAPKG_CLOZE && i < n->ncards; i++) {
		const qnode *c = k->cards[n->card0 + i];
		card_tags(k, &t, c);
		if (k->tag_sections)
			tag_add(k, &t, qapkg_section_tag(k, qnode_section(c)), false);
	}
	if (t.n)
		qsort(t.v, (size_t)t.n, sizeof *t.v, cmp_str);
	qbuf b = QBUF_INIT;
	for (int i = 0; i < t.n; i++) {
		if (i && strcmp(t.v[i], t.v[i - 1]) == 0)
			continue;
		qbuf_putc(&b, ' ');
		qbuf_puts(&b, t.v[i]);
	}
	if (b.len)
		qbuf_putc(&b, ' ');
	n->tags = qarena_strndup(&k->arena, b.ptr, b.len);
	qbuf_free(&b);
	free(t.v);
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
	n->hash = qapkg_content_hash(n->kind, n->flds, n->flds_len, n->tags);
	n->mod = p->hash == n->hash ? p->mod : qapkg_next_mod(epoch, p->mod);
}

/* Note and card ids: a note found again by match.c keeps its id, the
 * others derive theirs from their guid's 64 bits; further cards from
 * the guid and their ord. */
static void assign_ids(qapkg *k)
{
	qapkg_idset ids;
	qapkg_idset_init(&ids, (size_t)k->nnotes * 2);
	for (int j = 0; j < k->nnotes; j++) {
		qapkg_note *n = &k->notes[j];
		if (n->reworded)
			n->id = qapkg_idset_claim(&ids, (uint64_t)(n->prev->id - QAPKG_ID_BASE));
	}
	qbuf b = QBUF_INIT;
	for (int j = 0; j < k->nnotes; j++) {
		qapkg_note *n = &k->notes[j];
		if (!n->reworded)
			n->id = qapkg_idset_claim(&ids, n->guid_bits);
		long long *cids = qarena_alloc(&k->arena, sizeof *cids * (size_t)(n->nords + 1));
		for (int o = 0; o < n->nords; o++) {
			if (o == 0 && (n->kind != QAPKG_CLOZE || n->ords[0] == 0)) {
				cids[o] = n->id;
				continue;
			}
			qbuf_reset(&b);
			qbuf_printf(&b, "quire-card:%s/%d", n->guid, n->ords[o]);
			cids[o] = qapkg_idset_claim(&ids, qsha256_u64(b.ptr, b.len));
		}
		n->card_ids = cids;
	}
	qbuf_free(&b);
	qapkg_idset_free(&ids);
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

static int by_note_id(const void *a, const void *b, void *ctx)
{
	const qapkg_note *notes = ctx;
	long long x = notes[*(const int *)a].id, y = notes[*(const int *)b].id;
	return (x > y) - (x < y);
}

void qapkg_identify(qapkg *k, const qapkg_prev *prev)
{
	assign_guids(k, prev);
	if (prev)
		qapkg_match_reworded(k, prev);
	keep_legacy_types(k);
	assign_ids(k);
	qapkg_deck_add(k, k->top);
	for (int j = 0; j < k->nnotes; j++) {
		qapkg_note *n = &k->notes[j];
		const char *deck = qapkg_section_deck(k, qnode_section(n->first));
		n->did = qapkg_deck_add(k, deck);   /* an index until ids exist */
		n->due = j + 1;
		note_tags(k, n);
		note_mod(k, n);
		k->models[n->kind].used = true;
	}
	deck_ids(k);
	for (int j = 0; j < k->nnotes; j++)
		k->notes[j].did = k->decks[k->notes[j].did].id;
	k->by_id = qarena_alloc(&k->arena, sizeof *k->by_id * (size_t)(k->nnotes + 1));
	for (int j = 0; j < k->nnotes; j++)
		k->by_id[j] = j;
	qsort_r(k->by_id, (size_t)k->nnotes, sizeof *k->by_id, by_note_id, k->notes);
}
