/* fields.c - the three fields of a note as Anki field HTML:
 *
 *   Question  the first card's question (inlines)
 *   Answer    the answer; for a merged note each distinct answer once,
 *             under the name of the section it came from
 *   Source    the section path of each card ("A › B"), with the booklet
 *             page when the PDF back end knows it
 *
 * HTML comes from the shared XHTML writer (render/xhtml.h) and goes
 * through qapkg_put_field() (sanitize.c) before it is stored. Also the
 * content hash that tells which notes changed since the previous deck.
 */
#include <stdlib.h>
#include <string.h>

#include "../../render/xhtml.h"
#include "../../util/hash.h"
#include "apkg.h"

/* ---- comparing notes ----------------------------------------------- */

#define PAGE_OPEN "<span class=\"page\">"

/* The first occurrence of the m bytes w in s[0..n), or NULL. */
static const char *find(const char *s, size_t n, const char *w, size_t m)
{
	const char *end = s + n;
	while (n >= m) {
		const char *c = memchr(s, w[0], n - m + 1);
		if (!c)
			return NULL;
		if (memcmp(c, w, m) == 0)
			return c;
		s = c + 1;
		n = (size_t)(end - s);
	}
	return NULL;
}

/* qhash64 (8 bytes a step) of the fields without the booklet pages of
 * the Source field, then of the tags. Computed afresh on both sides
 * (the previous deck's notes are hashed when read), so nothing stored
 * depends on it. */
uint64_t qapkg_content_hash(const char *s, size_t n, const char *tags)
{
	const char *sep = memchr(s, QAPKG_FIELD_SEP, n);
	sep = sep ? memchr(sep + 1, QAPKG_FIELD_SEP, n - (size_t)(sep + 1 - s)) : NULL;
	size_t i = sep ? (size_t)(sep - s) : n;
	uint64_t h;
	const char *open = find(s + i, n - i, PAGE_OPEN, sizeof PAGE_OPEN - 1);
	if (!open) {
		h = qhash64(s, n);
	} else {   /* the Source field, without its page spans */
		qbuf b = QBUF_INIT;
		qbuf_put(&b, s, i);
		while (i < n) {
			if (!open)
				open = find(s + i, n - i, PAGE_OPEN, sizeof PAGE_OPEN - 1);
			const char *end = open ? find(open, (size_t)(s + n - open), "</span>", 7)
					       : NULL;
			if (!end) {
				qbuf_put(&b, s + i, n - i);
				break;
			}
			qbuf_put(&b, s + i, (size_t)(open - (s + i)));
			i = (size_t)(end + 7 - s);
			open = NULL;
		}
		h = qhash64(b.ptr, b.len);
		qbuf_free(&b);
	}
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

static const qx_opts field_opts = {
	.heading_base = 0, .images = false, .external_only = true,
	.math = QX_MATH_TEX,   /* MathJax renders \\(...\\) on every Anki */
};

static bool blank_text(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\n' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

/* The question; never an empty front: a question without visible text
 * shows how it was written, or where it is. */
static void question_field(const qnode *card, qbuf *out, qbuf *tmp)
{
	const qnode *q = card_part(card, QN_QUESTION);
	qbuf_reset(tmp);
	if (q)
		qx_inlines(tmp, q, &field_opts);
	size_t start = out->len;
	qapkg_put_field(out, tmp->ptr, tmp->len);
	qbuf_reset(tmp);
	qapkg_strip_html(out->ptr + start, out->len - start, tmp);
	if (!blank_text(tmp->ptr, tmp->len))
		return;
	qbuf_truncate(out, start);
	const char *full = card->u.card.full;
	qbuf_reset(tmp);
	if (full && !blank_text(full, strlen(full)))
		qx_text(tmp, full, strlen(full));
	else
		qbuf_printf(tmp, "Question at line %d", card->line);
	qapkg_put_field(out, tmp->ptr, tmp->len);
}

static void answer_html(const qnode *card, qbuf *out)
{
	const qnode *a = card_part(card, QN_ANSWER);
	if (a)
		qx_blocks(out, a, &field_opts);
}

static const char *section_name(const qapkg *k, const qnode *card)
{
	const qnode *s = qnode_section(card);
	if (s && s->u.section.name && *s->u.section.name)
		return s->u.section.name;
	return k->job->doc->title && *k->job->doc->title ? k->job->doc->title : k->top;
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
		answer_html(k->cards[note->card0], tmp);
		qapkg_put_field(out, tmp->ptr, tmp->len);
		return;
	}
	qbuf all = QBUF_INIT;
	span *seen = qxmalloc(sizeof *seen * (size_t)note->ncards);
	int *owner = qxmalloc(sizeof *owner * (size_t)note->ncards);
	int nseen = 0;
	for (int i = 0; i < note->ncards; i++) {
		qbuf_reset(tmp);
		answer_html(k->cards[note->card0 + i], tmp);
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

/* "Section › Subsection" of a card, and its booklet page if known. */
static void source_entry(const qapkg *k, const qnode *card, qbuf *out)
{
	qbuf path = QBUF_INIT;
	qnode_section_path(card, " \xE2\x80\xBA ", &path);
	qx_text(out, path.ptr, path.len);
	qbuf_free(&path);
	int idx = card->u.card.index;
	const qjob *job = k->job;
	if (job->card_pages && idx >= 0 && idx < job->doc->ncards
	    && job->card_pages[idx] > 0)
		/* the separating space is inside the span: the content hash
		 * drops the whole span */
		qbuf_printf(out, PAGE_OPEN "%sbooklet p.&#160;%d</span>",
			    out->len ? " " : "", job->card_pages[idx]);
}

static void source_field(const qapkg *k, const qapkg_note *note, qbuf *out,
			 qbuf *tmp)
{
	if (note->ncards == 1) {
		qbuf_reset(tmp);
		source_entry(k, k->cards[note->card0], tmp);
		qapkg_put_field(out, tmp->ptr, tmp->len);
		return;
	}
	qbuf all = QBUF_INIT;
	size_t *offs = qxmalloc(sizeof *offs * (size_t)(note->ncards + 1));
	int n = 0;
	offs[0] = 0;
	for (int i = 0; i < note->ncards; i++) {
		qbuf_reset(tmp);
		source_entry(k, k->cards[note->card0 + i], tmp);
		bool dup = tmp->len == 0;
		for (int j = 0; j < n && !dup; j++)
			dup = offs[j + 1] - offs[j] == tmp->len
			   && memcmp(all.ptr + offs[j], tmp->ptr, tmp->len) == 0;
		if (dup)
			continue;
		qbuf_put(&all, tmp->ptr, tmp->len);
		offs[++n] = all.len;
	}
	for (int j = 0; j < n; j++) {
		if (j)
			qbuf_puts(out, "<br/>");
		qapkg_put_field(out, all.ptr + offs[j], offs[j + 1] - offs[j]);
	}
	free(offs);
	qbuf_free(&all);
}

void qapkg_note_fields(const qapkg *k, const qapkg_note *note, qbuf *out)
{
	qbuf tmp = QBUF_INIT;
	question_field(note->first, out, &tmp);
	qbuf_putc(out, QAPKG_FIELD_SEP);
	answer_field(k, note, out, &tmp);
	qbuf_putc(out, QAPKG_FIELD_SEP);
	source_field(k, note, out, &tmp);
	qbuf_free(&tmp);
}
