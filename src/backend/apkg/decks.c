/* decks.c - deck names and tags from the section path, and the ids of
 * notes, cards and decks.
 *
 * A card goes to the deck "Top::Section::Subsection" of its section;
 * every parent deck is written too (old AnkiDroid crashed without them).
 * Names follow Anki's own normalisation (no control characters, no empty
 * component, no "::" inside a component, no ':' or space at either end),
 * so the name Anki stores is the name written, and decks match by name
 * on every re-import. Tags are the same path with spaces as '_' (Anki
 * splits tags at spaces), joined by "::" (Anki shows a tag hierarchy),
 * their formulas as text (model.h, qsection_shown_name): a re-import
 * sets a note's tags anew. Deck names keep formulas as written: a
 * deck found by a changed name would be another deck.
 */
#include <stdlib.h>
#include <string.h>

#include "../../util/hash.h"
#include "../../util/utf8.h"
#include "apkg.h"

#define UNTITLED "Untitled"

/* Append s with runs of ':' longer than one shortened to one, control
 * characters dropped, and white space (any script) replaced by `space`
 * (or kept when space is 0). Quotes dropped when drop_quotes. */
static void clean_text(qbuf *out, const char *s, int space, bool drop_quotes)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0;
	while (i < n) {
		size_t l;
		int32_t cp = qutf8_decode(p + i, n - i, &l);
		if (cp < 0) {
			qbuf_puts(out, "\xEF\xBF\xBD");
		} else if (cp < 0x20 || cp == 0x7F) {
			if (space && (cp == '\t' || cp == '\n'))
				qbuf_putc(out, space);
			else if (!space && (cp == '\t' || cp == '\n'))
				qbuf_putc(out, ' ');
		} else if (cp == ':' && i + 1 < n && p[i + 1] == ':') {
			/* drop: the last ':' of the run is written */
		} else if (space && qutf8_is_space(cp)) {
			qbuf_putc(out, space);
		} else if (drop_quotes && (cp == '"' || cp == '\'')) {
			/* Anki 2.1 removes quotes from tags */
		} else {
			qbuf_put(out, p + i, l);
		}
		i += l;
	}
}

/* Trim bytes from both ends of out[start..] while trim(c) holds; then
 * put UNTITLED if nothing is left. */
static void trim_component(qbuf *out, size_t start, bool tag)
{
	size_t a = start, b = out->len;
	for (;;) {
		size_t l;
		if (a < b) {
			int32_t cp = qutf8_decode((const unsigned char *)out->ptr + a, b - a, &l);
			if (cp == ':' || (tag ? cp == '_' : qutf8_is_space(cp))) {
				a += l;
				continue;
			}
		}
		break;
	}
	while (b > a) {
		size_t s = b - 1;
		while (s > a && ((unsigned char)out->ptr[s] & 0xC0) == 0x80)
			s--;
		size_t l;
		int32_t cp = qutf8_decode((const unsigned char *)out->ptr + s, b - s, &l);
		if (cp == ':' || (tag ? cp == '_' : qutf8_is_space(cp)))
			b = s;
		else
			break;
	}
	memmove(out->ptr + start, out->ptr + a, b - a);
	qbuf_truncate(out, start + (b - a));
	if (out->len == start)
		qbuf_puts(out, UNTITLED);
}

void qapkg_deck_component(qbuf *out, const char *s)
{
	size_t start = out->len;
	clean_text(out, s ? s : "", 0, false);
	trim_component(out, start, false);
}

/* Runs of '_' collapse to one. */
static void squeeze_underscores(qbuf *out, size_t start)
{
	size_t w = start;
	for (size_t r = start; r < out->len; r++) {
		if (out->ptr[r] == '_' && w > start && out->ptr[w - 1] == '_')
			continue;
		out->ptr[w++] = out->ptr[r];
	}
	qbuf_truncate(out, w);
}

void qapkg_tag_component(qbuf *out, const char *s)
{
	size_t start = out->len;
	clean_text(out, s ? s : "", '_', true);
	squeeze_underscores(out, start);
	trim_component(out, start, true);
}

/* The chain of sections from the top down to s; returns how many. */
static int section_chain(const qnode *s, const qnode **chain, int max)
{
	int n = 0;
	for (const qnode *p = s; p && n < max; p = qnode_section(p))
		chain[n++] = p;
	for (int i = 0; i < n / 2; i++) {
		const qnode *t = chain[i];
		chain[i] = chain[n - 1 - i];
		chain[n - 1 - i] = t;
	}
	return n;
}

const char *qapkg_top_deck(qapkg *k)
{
	const qdoc *doc = k->job->doc;
	const char *opt = qapkg_opts_of(k->job)->deck;
	qbuf b = QBUF_INIT, part = QBUF_INIT;
	if (!opt || !*opt) {
		/* the title is one deck, whatever it contains */
		const char *t = doc->title && *doc->title ? doc->title : doc->stem;
		qapkg_deck_component(&b, t && *t ? t : "quire");
	}
	/* --deck may name a place under existing decks: "Lang::Python" */
	for (const char *p = opt && *opt ? opt : NULL; p;) {
		const char *sep = strstr(p, "::");
		size_t n = sep ? (size_t)(sep - p) : strlen(p);
		qbuf_reset(&part);
		qbuf_put(&part, p, n);
		if (b.len)
			qbuf_puts(&b, "::");
		qapkg_deck_component(&b, part.ptr);
		p = sep ? sep + 2 : NULL;
	}
	k->top = qarena_strndup(&k->arena, b.ptr, b.len);
	qbuf_free(&part);
	qbuf_free(&b);
	return k->top;
}

/* The index of section s in doc->sections, or -1. */
static int section_index(const qapkg *k, const qnode *s)
{
	const qdoc *doc = k->job->doc;
	int i = s->u.section.index;
	return i >= 0 && i < doc->nsections && doc->sections[i] == s ? i : -1;
}

static const char *section_path_name(qapkg *k, const qnode *s, bool tag)
{
	const qnode *chain[QMODEL_MAX_DEPTH + 8];
	int n = section_chain(s, chain, (int)(sizeof chain / sizeof chain[0]));
	qbuf b = QBUF_INIT;
	if (!tag)
		qbuf_puts(&b, k->top);
	for (int i = 0; i < n; i++) {
		if (b.len)
			qbuf_puts(&b, "::");
		if (tag)
			qapkg_tag_component(&b, qsection_shown_name(chain[i]));
		else
			qapkg_deck_component(&b, chain[i]->u.section.name);
	}
	const char *r = qarena_strndup(&k->arena, b.ptr, b.len);
	qbuf_free(&b);
	return r;
}

/* Section s's deck name or tag, made once and kept in made (one slot
 * per section of the document). */
static const char *section_name_once(qapkg *k, const qnode *s, bool tag, const char **made)
{
	int i = section_index(k, s);
	if (i < 0)
		return section_path_name(k, s, tag);
	if (!made[i])
		made[i] = section_path_name(k, s, tag);
	return made[i];
}

const char *qapkg_section_deck(qapkg *k, const qnode *s)
{
	return s ? section_name_once(k, s, false, k->sec_deck) : k->top;
}

const char *qapkg_section_tag(qapkg *k, const qnode *s)
{
	return s ? section_name_once(k, s, true, k->sec_tag) : NULL;
}

/* Add one deck (its parents are the caller's business). */
static int deck_add_one(qapkg *k, const char *name, size_t len)
{
	void *v = qstrmap_get(&k->deck_by_name, name, len);
	if (v)
		return (int)((intptr_t)v - 1);
	if (k->ndecks == k->cap_decks) {
		k->cap_decks = k->cap_decks ? 2 * k->cap_decks : 16;
		k->decks = qxrealloc(k->decks, sizeof *k->decks * (size_t)k->cap_decks);
	}
	const char *copy = qarena_strndup(&k->arena, name, len);
	k->decks[k->ndecks] = (qapkg_deck){copy, 0};
	qstrmap_put(&k->deck_by_name, copy, len, (void *)(intptr_t)(k->ndecks + 1));
	return k->ndecks++;
}

int qapkg_deck_add(qapkg *k, const char *name)
{
	void *v = qstrmap_get(&k->deck_by_name, name, strlen(name));
	if (v)
		return (int)((intptr_t)v - 1);
	/* parents first, so the list reads top-down */
	for (const char *p = strstr(name, "::"); p; p = strstr(p + 2, "::"))
		deck_add_one(k, name, (size_t)(p - name));
	return deck_add_one(k, name, strlen(name));
}

/* ---- ids ------------------------------------------------------------- */

void qapkg_idset_init(qapkg_idset *s, size_t expect)
{
	s->cap = 64;
	while (s->cap < expect * 2 + 2)
		s->cap *= 2;
	s->v = qxmalloc(sizeof *s->v * s->cap);
	memset(s->v, 0, sizeof *s->v * s->cap);
	s->n = 0;
}

void qapkg_idset_free(qapkg_idset *s)
{
	free(s->v);
	s->v = NULL;
	s->cap = s->n = 0;
}

static long long *idset_slot(qapkg_idset *s, long long id)
{
	uint64_t x = (uint64_t)id;
	size_t i = (size_t)(qfnv1a64(&x, sizeof x) & (s->cap - 1));
	while (s->v[i] && s->v[i] != id)
		i = (i + 1) & (s->cap - 1);
	return &s->v[i];
}

static void idset_grow(qapkg_idset *s)
{
	qapkg_idset old = *s;
	qapkg_idset_init(s, old.cap);
	for (size_t i = 0; i < old.cap; i++)
		if (old.v[i]) {
			*idset_slot(s, old.v[i]) = old.v[i];
			s->n++;
		}
	free(old.v);
}

long long qapkg_idset_claim(qapkg_idset *s, uint64_t h)
{
	if ((s->n + 1) * 2 > s->cap)
		idset_grow(s);
	long long id = QAPKG_ID_BASE + (long long)(h % (uint64_t)QAPKG_ID_SPAN);
	long long *slot;
	while (*(slot = idset_slot(s, id)))
		id = id + 1 < QAPKG_ID_BASE + QAPKG_ID_SPAN ? id + 1 : QAPKG_ID_BASE;
	*slot = id;
	s->n++;
	return id;
}
