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
 * The fields are made in blocks of notes in id order, by the crew, and
 * handed to a sink (the rows of the collection) as soon as each block is
 * done, so the rows go in while the later fields are still being made.
 */
#include <pthread.h>
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
 * only the model and k's cards; writes only n's fields. */
static void note_fields(const qapkg *k, qapkg_note *n, qbuf *tmp, qarena *a)
{
	qbuf_reset(tmp);
	qapkg_note_fields(k, n, tmp);
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

static int by_note_id(const void *a, const void *b, void *ctx)
{
	const qapkg_note *notes = ctx;
	long long x = notes[*(const int *)a].id, y = notes[*(const int *)b].id;
	return (x > y) - (x < y);
}

/* guid, id, deck and tags of every note, the decks with their ids, and
 * the notes in id order: one job, beside the fields (it touches none). */
static void identify(qapkg *k)
{
	assign_identity(k);
	qapkg_deck_add(k, k->top);
	for (int j = 0; j < k->nnotes; j++) {
		qapkg_note *n = &k->notes[j];
		const char *deck = qapkg_section_deck(k, qnode_section(n->first));
		n->did = qapkg_deck_add(k, deck);   /* an index until ids exist */
		note_tags(k, n);
	}
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
	for (int j = 0; j < k->nnotes; j++)
		k->by_id[j] = j;
	qsort_r(k->by_id, (size_t)k->nnotes, sizeof *k->by_id, by_note_id, k->notes);
}

/* ---- fields in parallel ------------------------------------------------ */

#define FIELD_BLOCK 32        /* notes per block, in id order */

enum { FREE, TAKEN, DONE };

/* The jobs of the crew, in this order: the first side job (the longest,
 * so that it starts at once), the identities (everything in k but the
 * fields), the other side jobs, the sink, and the blocks of fields.
 * The sink hands every note, in id order, to sink->note once the side
 * jobs are done (its mod needs the previous deck) and the note's block
 * has its fields; meanwhile, and whenever the next block is not taken
 * yet, it makes fields itself. So it never waits on a job that nobody
 * runs, whatever the number of workers. A block job skips a block the
 * sink took. */
typedef struct fields_work {
	qapkg *k;
	const qapkg_side *sides;
	int nsides;
	const qapkg_sink *sink;
	int nblocks;
	qapkg_signal sig;         /* a side job, the identities or a block done */
	int sides_left;
	bool identified;
	unsigned char *state;     /* per block: FREE, TAKEN, DONE */
} fields_work;

static void make_block(fields_work *fw, int worker, int b)
{
	qapkg *k = fw->k;
	qbuf tmp = QBUF_INIT;
	int end = (b + 1) * FIELD_BLOCK < k->nnotes ? (b + 1) * FIELD_BLOCK : k->nnotes;
	for (int j = b * FIELD_BLOCK; j < end; j++)
		note_fields(k, &k->notes[k->by_id[j]], &tmp, &k->field_arenas[worker]);
	qbuf_free(&tmp);
}

/* Take block b if it is free, make it, and say so; false if taken. */
static bool take_block(fields_work *fw, int worker, int b)
{
	pthread_mutex_lock(&fw->sig.mu);
	bool mine = fw->state[b] == FREE;
	if (mine)
		fw->state[b] = TAKEN;
	pthread_mutex_unlock(&fw->sig.mu);
	if (!mine)
		return false;
	make_block(fw, worker, b);
	pthread_mutex_lock(&fw->sig.mu);
	fw->state[b] = DONE;
	qapkg_signal_broadcast(&fw->sig);
	pthread_mutex_unlock(&fw->sig.mu);
	return true;
}

static void wait_identified(fields_work *fw)
{
	pthread_mutex_lock(&fw->sig.mu);
	while (!fw->identified)
		qapkg_signal_wait(&fw->sig);
	pthread_mutex_unlock(&fw->sig.mu);
}

/* What the sink does next with block b: hand it on (DONE and the side
 * jobs done), make a block, or wait. Returns the block to make, or -1
 * to hand b on. Called with the mutex held. */
static int sink_next(fields_work *fw, int b)
{
	for (;;) {
		if (fw->sides_left == 0 && fw->state[b] == DONE)
			return -1;
		if (fw->state[b] == FREE)
			return b;
		if (fw->sides_left > 0)   /* waiting anyway: make a later block */
			for (int i = b + 1; i < fw->nblocks; i++)
				if (fw->state[i] == FREE)
					return i;
		qapkg_signal_wait(&fw->sig);
	}
}

static void run_sink(fields_work *fw, int worker)
{
	qapkg *k = fw->k;
	wait_identified(fw);
	for (int b = 0; b < fw->nblocks;) {
		pthread_mutex_lock(&fw->sig.mu);
		int make = sink_next(fw, b);
		pthread_mutex_unlock(&fw->sig.mu);
		if (make >= 0) {
			take_block(fw, worker, make);
			continue;
		}
		int end = (b + 1) * FIELD_BLOCK < k->nnotes ? (b + 1) * FIELD_BLOCK : k->nnotes;
		for (int j = b * FIELD_BLOCK; j < end; j++)
			fw->sink->note(fw->sink->ctx, &k->notes[k->by_id[j]]);
		b++;
	}
}

static void field_job(void *ctx, int worker, int job)
{
	fields_work *fw = ctx;
	bool side = job == 0 ? fw->nsides > 0 : job >= 2 && job < fw->nsides + 1;
	if (side) {
		int i = job == 0 ? 0 : job - 1;
		fw->sides[i].fn(fw->sides[i].ctx);
		pthread_mutex_lock(&fw->sig.mu);
		fw->sides_left--;
		qapkg_signal_broadcast(&fw->sig);
		pthread_mutex_unlock(&fw->sig.mu);
	} else if (job == (fw->nsides > 0 ? 1 : 0)) {
		identify(fw->k);
		pthread_mutex_lock(&fw->sig.mu);
		fw->identified = true;
		qapkg_signal_broadcast(&fw->sig);
		pthread_mutex_unlock(&fw->sig.mu);
	} else if (job == fw->nsides + 1) {
		if (fw->sink)
			run_sink(fw, worker);
	} else {
		wait_identified(fw);
		take_block(fw, worker, job - fw->nsides - 2);
	}
}

/* Each worker keeps what it makes in an arena of its own. */
static void make_fields(qapkg *k, qapkg_crew *crew, const qapkg_side *sides, int nsides,
			const qapkg_sink *sink)
{
	fields_work fw = {
		.k = k, .sides = sides, .nsides = nsides > 0 ? nsides : 0, .sink = sink,
		.nblocks = (k->nnotes + FIELD_BLOCK - 1) / FIELD_BLOCK,
	};
	fw.sides_left = fw.nsides;
	fw.state = qxmalloc((size_t)fw.nblocks + 1);
	memset(fw.state, FREE, (size_t)fw.nblocks + 1);
	qapkg_signal_init(&fw.sig, crew);
	int nw = qapkg_crew_size(crew);
	k->field_arenas = qxmalloc(sizeof *k->field_arenas * (size_t)nw);
	k->nfield_arenas = nw;
	for (int w = 0; w < nw; w++)
		qarena_init(&k->field_arenas[w]);
	k->by_id = qarena_alloc(&k->arena, sizeof *k->by_id * (size_t)(k->nnotes + 1));
	qapkg_crew_run(crew, fw.nsides + 2 + fw.nblocks, field_job, &fw);
	qapkg_signal_destroy(&fw.sig);
	free(fw.state);
}

/* Keep the previous mod of an unchanged note; a changed or new note
 * gets the build time (always later than its previous mod). */
void qapkg_note_mod(const qapkg *k, qapkg_note *n, const qapkg_prev *prev)
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

void qapkg_build_notes(qapkg *k, qapkg_crew *crew, const qapkg_side *sides, int nsides,
		       const qapkg_sink *sink)
{
	group_cards(k);
	make_fields(k, crew, sides, nsides, sink);
}

void qapkg_assign_mods(qapkg *k, const qapkg_prev *prev)
{
	for (int j = 0; j < k->nnotes; j++)
		qapkg_note_mod(k, &k->notes[j], prev);
}
