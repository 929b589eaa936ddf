/* fields.c - the fields of a note, as Anki field HTML, by note type:
 *
 *   BASIC   Question   the first card's question (inlines)
 *           Answer     the answer; for a merged note each distinct answer
 *                      once, under the name of the section it came from;
 *                      then the footnotes the card refers to
 *           Section    the section path of each card ("A › B")
 *           Source     where each card is in the notes ("notes.md:12")
 *           Booklet page  the page of each card when the PDF back end
 *                      knows it ("8", "8, 12")
 *           Reverse    "y" when the note also gets a Reverse card
 *   CLOZE   Text (cloze.c), Extra (the section path, then the footnotes
 *           the text refers to), Source, Booklet page
 *   LEGACY  Question, Answer, and Source: the section path with the
 *           booklet page, as quire 0.1 wrote it
 *
 * HTML comes from the shared XHTML writer (render/xhtml.h) and goes
 * through qapkg_put_field() (sanitize.c) before it is stored. Also the
 * content hash that tells which notes changed since the previous deck.
 */
#include <stdlib.h>
#include <string.h>

#include "../../model/walk.h"
#include "../../render/xhtml.h"
#include "../../util/find.h"
#include "../../util/hash.h"
#include "apkg.h"

#define PAGE_OPEN "<span class=\"page\">"

/* ---- the layout of each type ---------------------------------------- */

int qapkg_field_count(qapkg_kind kind)
{
	return kind == QAPKG_BASIC ? 6 : kind == QAPKG_CLOZE ? 4 : 3;
}

int qapkg_body_field(qapkg_kind kind)
{
	return kind == QAPKG_CLOZE ? 0 : 1;
}

int qapkg_section_field(qapkg_kind kind)
{
	return kind == QAPKG_CLOZE ? 1 : 2;
}

bool qapkg_field(const char *flds, size_t n, int i, const char **f, size_t *len)
{
	const char *s = flds, *end = flds + n;
	for (; i > 0; i--) {
		const char *sep = memchr(s, QAPKG_FIELD_SEP, (size_t)(end - s));
		if (!sep)
			return false;
		s = sep + 1;
	}
	const char *sep = memchr(s, QAPKG_FIELD_SEP, (size_t)(end - s));
	*f = s;
	*len = (size_t)((sep ? sep : end) - s);
	return true;
}

/* ---- comparing notes ----------------------------------------------- */

/* s[0..n) without its page spans into b. */
static void drop_pages(const char *s, size_t n, qbuf *b)
{
	size_t i = 0;
	while (i < n) {
		const char *open = qmemmem(s + i, n - i, PAGE_OPEN, sizeof PAGE_OPEN - 1);
		const char *end = open ? qmemmem(open, (size_t)(s + n - open), "</span>", 7) : NULL;
		if (!end) {
			qbuf_put(b, s + i, n - i);
			break;
		}
		qbuf_put(b, s + i, (size_t)(open - (s + i)));
		i = (size_t)(end + 7 - s);
	}
}

/* The fields that say where a note stands, which do not count. */
static bool positional(qapkg_kind kind, int i)
{
	return kind == QAPKG_BASIC ? i == 3 || i == 4 : kind == QAPKG_CLOZE ? i == 2 || i == 3 : false;
}

/* qhash64 of the fields but the positional ones (LEGACY: the Source
 * field without its page spans), then of the tags. Computed afresh on
 * both sides (the previous deck's notes are hashed when read), so
 * nothing stored depends on it. */
uint64_t qapkg_content_hash(qapkg_kind kind, const char *s, size_t n, const char *tags)
{
	qbuf b = QBUF_INIT;
	const char *f;
	size_t len;
	for (int i = 0; qapkg_field(s, n, i, &f, &len); i++) {
		if (i)
			qbuf_putc(&b, QAPKG_FIELD_SEP);
		if (kind == QAPKG_LEGACY && i == 2)
			drop_pages(f, len, &b);
		else if (!positional(kind, i))
			qbuf_put(&b, f, len);
	}
	uint64_t h = qhash64(b.ptr, b.len);
	qbuf_free(&b);
	return h * 0x9E3779B97F4A7C15ULL + qhash64(tags, strlen(tags));
}

/* ---- building the fields ------------------------------------------- */

static const qnode *card_part(const qnode *card, qtype t)
{
	for (const qnode *c = card->first; c; c = c->next)
		if (c->type == t)
			return c;
	return NULL;
}

static bool blank_text(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\n' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

/* A topic card's front: the path of the sections around its own, then
 * its title ("Docker › Prerequisites › Linux"): a title alone ("Linux")
 * would not say what is asked, and would repeat in every topic. A
 * follow-up's front names the question it follows ("What is a trigger?
 * › Why use one?"). */
static void topic_path(const qnode *card, qbuf *out)
{
	const qnode *sec = qnode_section(card);
	const qnode *outer = sec ? qnode_section(sec) : NULL;
	const qnode *follows = card->u.card.follows;
	if (!follows && (!card->u.card.topic || !outer))
		return;
	qbuf path = QBUF_INIT;
	if (follows)
		qbuf_puts(&path, follows->u.card.plain);
	else
		qnode_section_path(outer, " \xE2\x80\xBA ", &path);
	qbuf_puts(out, "<span class=\"topic-path\">");
	qx_text(out, path.ptr, path.len);
	qbuf_puts(out, " \xE2\x80\xBA </span>");
	qbuf_free(&path);
}

/* The blocks of the answer that belong to the question (its code, its
 * options): the first front_blocks of them. */
static void front_blocks_html(const qapkg *k, const qnode *card, qbuf *out)
{
	const qnode *a = card_part(card, QN_ANSWER);
	int n = card->u.card.front_blocks;
	for (const qnode *c = a ? a->first : NULL; c && n > 0; c = c->next, n--)
		qx_block(out, c, &k->xopts);
}

/* The question, and its text as Anki strips it into sort (the sort
 * field); never an empty front: a question without visible text shows
 * how it was written, or where it is. */
static void question_field(const qapkg *k, const qnode *card, qbuf *out, qbuf *sort,
			   qbuf *tmp)
{
	const qnode *q = card_part(card, QN_QUESTION);
	bool blocks = card->u.card.front_blocks > 0;
	qbuf_reset(tmp);
	if (blocks)
		qbuf_puts(tmp, "<p>");
	topic_path(card, tmp);
	if (q)
		qx_inlines(tmp, q, &k->xopts);
	if (blocks) {
		qbuf_puts(tmp, "</p>");
		front_blocks_html(k, card, tmp);
	}
	size_t start = out->len;
	qapkg_put_field(out, tmp->ptr, tmp->len);
	qapkg_strip_html(out->ptr + start, out->len - start, sort);
	if (!blank_text(sort->ptr, sort->len))
		return;
	qbuf_truncate(out, start);
	qbuf_reset(sort);
	const char *full = card->u.card.full;
	qbuf_reset(tmp);
	if (full && !blank_text(full, strlen(full))) {
		qx_text(tmp, full, strlen(full));
	} else {
		qbuf words = QBUF_INIT;
		qw_put_n(&words, k->words, QW_QUESTION_LINE, card->line);
		qx_text(tmp, words.ptr, words.len);
		qbuf_free(&words);
	}
	qapkg_put_field(out, tmp->ptr, tmp->len);
	qapkg_strip_html(out->ptr + start, out->len - start, sort);
}

/* ---- footnotes -------------------------------------------------------
 * A card's back ends with the footnotes its question and answer refer to
 * (and those these notes refer to), numbered, in order of reference; a
 * note's definition is not repeated inside the answer that holds it. */

typedef struct notelist {
	int *v;
	int n, cap;
} notelist;

static void add_note(const qapkg *k, notelist *l, int number)
{
	if (number < 1 || number > k->maxfoot || !k->footnotes[number])
		return;
	for (int i = 0; i < l->n; i++)
		if (l->v[i] == number)
			return;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->v = qxrealloc(l->v, sizeof *l->v * (size_t)l->cap);
	}
	l->v[l->n++] = number;
}

/* The references under n, cards and sections inside it left out (their
 * own cards show them). */
static void collect_refs(const qapkg *k, const qnode *n, notelist *l)
{
	qiter it;
	qnode *m;
	if (!n)
		return;
	qiter_init(&it, (qnode *)n);
	while (qiter_next_of(&it, &m, QN_NONE)) {
		if (m != n && (m->type == QN_CARD || m->type == QN_SECTION))
			qiter_skip(&it);
		else if (m->type == QN_FOOTREF)
			add_note(k, l, m->u.footnote.number);
	}
}

/* Is c a footnote some card refers to (shown at the end, not here)? */
static bool referenced_note(const qapkg *k, const qnode *c)
{
	int num = c->u.footnote.number;
	return c->type == QN_FOOTNOTE && c->u.footnote.referenced && num >= 1
	       && num <= k->maxfoot && k->footnotes[num] == c;
}

static int by_number(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* The notes that a and b (either may be NULL) refer to, as HTML. */
static void put_footnotes(const qapkg *k, const qnode *a, const qnode *b, qbuf *out)
{
	if (!k->maxfoot)
		return;
	notelist l = {0};
	collect_refs(k, a, &l);
	collect_refs(k, b, &l);
	for (int i = 0; i < l.n; i++)   /* a note's own references: the list grows */
		collect_refs(k, k->footnotes[l.v[i]], &l);
	if (!l.n)
		return;
	qsort(l.v, (size_t)l.n, sizeof *l.v, by_number);
	qbuf_puts(out, "<div class=\"footnotes\">");
	for (int i = 0; i < l.n; i++)
		qx_block(out, k->footnotes[l.v[i]], &k->xopts);
	qbuf_puts(out, "</div>");
	free(l.v);
}

/* The answer: its blocks after those shown on the front, then the
 * footnotes the card refers to. */
static void answer_html(const qapkg *k, const qnode *card, qbuf *out)
{
	const qnode *a = card_part(card, QN_ANSWER);
	int skip = card->u.card.front_blocks;
	for (const qnode *c = a ? a->first : NULL; c; c = c->next)
		if (skip > 0)
			skip--;
		else if (c->type != QN_CARD && c->type != QN_SECTION && c->type != QN_TITLE
			 && !referenced_note(k, c))
			qx_block(out, c, &k->xopts);
	put_footnotes(k, card_part(card, QN_QUESTION), a, out);
}

/* The name an answer is shown under: formulas as text. */
static const char *section_name(const qapkg *k, const qnode *card)
{
	const qnode *s = qnode_section(card);
	if (s && qsection_shown_name(s) && *qsection_shown_name(s))
		return qsection_shown_name(s);
	const qdoc *doc = k->job->doc;
	return doc->title && *doc->title ? qdoc_title_shown(doc) : k->top;
}

/* One distinct answer kept for a note: where in `all` it is. */
typedef struct span {
	uint64_t hash;
	size_t off, len;
} span;

/* The answers of a note's cards, each distinct one once; with more than
 * one, each under the name of its section. */
static void answer_field(const qapkg *k, const qapkg_note *note, qbuf *out,
			 qbuf *tmp)
{
	if (note->ncards == 1) {
		qbuf_reset(tmp);
		answer_html(k, k->cards[note->card0], tmp);
		qapkg_put_field(out, tmp->ptr, tmp->len);
		return;
	}
	qbuf all = QBUF_INIT;
	span *seen = qxmalloc(sizeof *seen * (size_t)note->ncards);
	int *owner = qxmalloc(sizeof *owner * (size_t)note->ncards);
	int nseen = 0;
	for (int i = 0; i < note->ncards; i++) {
		qbuf_reset(tmp);
		answer_html(k, k->cards[note->card0 + i], tmp);
		uint64_t h = qfnv1a64(tmp->ptr, tmp->len);
		bool dup = false;
		for (int j = 0; j < nseen && !dup; j++)
			dup = seen[j].hash == h && seen[j].len == tmp->len
			   && memcmp(all.ptr + seen[j].off, tmp->ptr, tmp->len) == 0;
		if (dup)
			continue;
		seen[nseen] = (span){h, all.len, tmp->len};
		owner[nseen++] = note->card0 + i;
		qbuf_put(&all, tmp->ptr, tmp->len);
	}
	for (int j = 0; j < nseen; j++) {
		const char *html = all.ptr + seen[j].off;
		if (nseen == 1) {
			qapkg_put_field(out, html, seen[j].len);
			break;
		}
		qbuf_reset(tmp);
		qbuf_puts(tmp, "<div class=\"variant\"><p class=\"variant-from\">");
		const char *name = section_name(k, k->cards[owner[j]]);
		qx_text(tmp, name, strlen(name));
		qbuf_puts(tmp, "</p>");
		qbuf_put(tmp, html, seen[j].len);
		qbuf_puts(tmp, "</div>");
		qapkg_put_field(out, tmp->ptr, tmp->len);
	}
	free(owner);
	free(seen);
	qbuf_free(&all);
}

/* The booklet page of the card n is in or is, or 0. */
static int page_of(const qapkg *k, const qnode *n)
{
	while (n && n->type != QN_CARD)
		n = n->parent;
	const qjob *job = k->job;
	int idx = n ? n->u.card.index : -1;
	if (!job->card_pages || idx < 0 || idx >= job->doc->ncards || job->doc->cards[idx] != n)
		return 0;
	return job->card_pages[idx] > 0 ? job->card_pages[idx] : 0;
}

/* "Section › Subsection" of a node, escaped; formulas as text (the
 * field is shown, never a key: match.c reads it back as shown). */
static void section_path(const qnode *n, qbuf *out)
{
	qbuf path = QBUF_INIT;
	qnode_section_path_shown(n, " \xE2\x80\xBA ", &path);
	qx_text(out, path.ptr, path.len);
	qbuf_free(&path);
}

/* FILE:LINE of a node: in a book, the file name of its part. */
static void source_line(const qapkg *k, const qnode *n, qbuf *out)
{
	const char *file = qnode_file(n);
	const char *slash = file ? strrchr(file, '/') : NULL;
	if (file)
		file = slash ? slash + 1 : file;
	else
		file = k->file;
	qx_text(out, file, strlen(file));
	qbuf_printf(out, ":%d", n->line);
}

/* "booklet p.&#160;12" in the notes' language, its no-break spaces as
 * quire 0.1 wrote them (&#160;: the English field stays byte for byte). */
static void put_legacy_page(const qapkg *k, int page, qbuf *out)
{
	qbuf words = QBUF_INIT, html = QBUF_INIT;
	qw_put_n(&words, k->words, QW_BOOKLET_PAGE_N, page);
	qx_text(&html, words.ptr, words.len);
	for (size_t i = 0; i < html.len; i++) {
		if (i + 1 < html.len && (unsigned char)html.ptr[i] == 0xC2
		    && (unsigned char)html.ptr[i + 1] == 0xA0) {
			qbuf_puts(out, "&#160;");
			i++;
		} else {
			qbuf_putc(out, html.ptr[i]);
		}
	}
	qbuf_free(&words);
	qbuf_free(&html);
}

/* What a card says for a field that lists something per card. */
typedef enum { PER_SECTION, PER_LINE, PER_PAGE, PER_LEGACY_SOURCE } per_card;

static void card_entry(const qapkg *k, const qnode *card, per_card what, qbuf *out)
{
	int page = what == PER_PAGE || what == PER_LEGACY_SOURCE ? page_of(k, card) : 0;
	switch (what) {
	case PER_SECTION:
		section_path(card, out);
		break;
	case PER_LINE:
		source_line(k, card, out);
		break;
	case PER_PAGE:
		if (page)
			qbuf_printf(out, "%d", page);
		break;
	case PER_LEGACY_SOURCE:
		section_path(card, out);
		if (page) {   /* the separating space is inside the span: the
			       * content hash drops the whole span */
			qbuf_printf(out, PAGE_OPEN "%s", out->len ? " " : "");
			put_legacy_page(k, page, out);
			qbuf_puts(out, "</span>");
		}
		break;
	}
}

/* One entry per card, each distinct one once, joined by sep. A note may
 * gather thousands of cards (one question asked again and again), so the
 * entries seen are kept in a hash map, not compared pairwise. */
static void per_card_field(const qapkg *k, const qapkg_note *note, per_card what,
			   const char *sep, qbuf *out, qbuf *tmp)
{
	qbuf all = QBUF_INIT;
	size_t *offs = qxmalloc(sizeof *offs * (size_t)(note->ncards + 1));
	int n = 0;
	offs[0] = 0;
	for (int i = 0; i < note->ncards; i++) {
		qbuf_reset(tmp);
		card_entry(k, k->cards[note->card0 + i], what, tmp);
		if (tmp->len == 0)
			continue;
		qbuf_put(&all, tmp->ptr, tmp->len);
		offs[++n] = all.len;
	}
	qstrmap seen;   /* keys borrowed from all, which no longer grows */
	qstrmap_init(&seen);
	if (n > 1)
		qstrmap_reserve(&seen, (size_t)n);
	bool first = true;
	for (int j = 0; j < n; j++) {
		const char *entry = all.ptr + offs[j];
		size_t len = offs[j + 1] - offs[j];
		if (n > 1 && qstrmap_put(&seen, entry, len, (void *)entry))
			continue;
		if (!first)
			qbuf_puts(out, sep);
		first = false;
		qapkg_put_field(out, entry, len);
	}
	qstrmap_free(&seen);
	free(offs);
	qbuf_free(&all);
}

static void card_fields(const qapkg *k, const qapkg_note *note, qbuf *out, qbuf *sort,
			qbuf *tmp)
{
	question_field(k, note->first, out, sort, tmp);
	qbuf_putc(out, QAPKG_FIELD_SEP);
	answer_field(k, note, out, tmp);
	qbuf_putc(out, QAPKG_FIELD_SEP);
	if (note->kind == QAPKG_LEGACY) {
		per_card_field(k, note, PER_LEGACY_SOURCE, "<br/>", out, tmp);
		return;
	}
	per_card_field(k, note, PER_SECTION, "<br/>", out, tmp);
	qbuf_putc(out, QAPKG_FIELD_SEP);
	per_card_field(k, note, PER_LINE, ", ", out, tmp);
	qbuf_putc(out, QAPKG_FIELD_SEP);
	per_card_field(k, note, PER_PAGE, ", ", out, tmp);
	qbuf_putc(out, QAPKG_FIELD_SEP);
	if (note->nords > 1)
		qbuf_putc(out, 'y');
}

static void cloze_fields(const qapkg *k, const qapkg_note *note, qbuf *out, qbuf *sort,
			 qbuf *tmp)
{
	const qnode *b = note->first;
	size_t start = out->len;
	qapkg_cloze_text(k, b, out);   /* notes.c made the note: it can */
	qapkg_strip_html(out->ptr + start, out->len - start, sort);
	qbuf_putc(out, QAPKG_FIELD_SEP);
	qbuf_reset(tmp);
	section_path(b, tmp);
	put_footnotes(k, b, NULL, tmp);   /* on the back, after the text */
	qapkg_put_field(out, tmp->ptr, tmp->len);
	qbuf_putc(out, QAPKG_FIELD_SEP);
	qbuf_reset(tmp);
	source_line(k, b, tmp);
	qapkg_put_field(out, tmp->ptr, tmp->len);
	qbuf_putc(out, QAPKG_FIELD_SEP);
	int page = page_of(k, b);
	if (page)
		qbuf_printf(out, "%d", page);
}

void qapkg_note_fields(const qapkg *k, const qapkg_note *note, qbuf *out, qbuf *sort)
{
	qbuf tmp = QBUF_INIT;
	if (note->kind == QAPKG_CLOZE)
		cloze_fields(k, note, out, sort, &tmp);
	else
		card_fields(k, note, out, sort, &tmp);
	qbuf_free(&tmp);
}
