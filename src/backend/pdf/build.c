/* build.c - the study model to a layout: sections, questions, answers
 * and every kind of block, walked with the one iterator (no recursion on
 * the depth the notes control).
 *
 * Sections are headings kept with two lines of what follows (level 1
 * starts a page); questions are bold with their number hanging in the
 * left margin of the text, kept with two lines of their answer; prose is
 * justified and hyphenated; code is highlighted with the shared
 * highlighter; lists and quotes indent (never below 40% of the measure).
 * A local image the booklet can draw is a figure after its block
 * (figure.c); a paragraph of images only is its figures.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../model/walk.h"
#include "../../render/highlight.h"
#include "../../util/utf8.h"
#include "../../util/url.h"
#include "pdfint.h"

#define CTX_CAP ((int)(sizeof ((qbk *)0)->ctx / sizeof ((qbk *)0)->ctx[0]))

static qbk_ctx *cur(qbk *b)
{
	return &b->ctx[b->depth < CTX_CAP ? b->depth : CTX_CAP - 1];
}

static qbk_ctx *push(qbk *b, int kind)
{
	qbk_ctx *parent = cur(b);
	b->depth++;
	qbk_ctx *c = cur(b);
	if (c != parent)
		*c = *parent;
	c->kind = kind;
	return c;
}

static void pop(qbk *b)
{
	if (b->depth > 0)
		b->depth--;
}

static void indent(qbk *b, qbk_ctx *c, float by)
{
	if (c->w - by >= 0.4f * b->text_w) {
		c->x += by;
		c->w -= by;
	}
}

/* Narrow a block by `by` on both sides (a framed box's inner margin),
 * unless it is already too narrow for that. */
static void inset(qbk *b, qbk_ctx *c, float by)
{
	if (c->w - 2 * by >= 0.4f * b->text_w) {
		c->x += by;
		c->w -= 2 * by;
	}
}

/* ---- attributes ------------------------------------------------------------ */

static ts_role bold_of(ts_role r)
{
	switch (r) {
	case TS_BODY: return TS_BOLD;
	case TS_ITALIC: return TS_BOLDITALIC;
	case TS_MONO: case TS_MONOITALIC: return TS_MONOBOLD;
	case TS_SANS: return TS_SANSBOLD;
	default: return r;
	}
}

static ts_role italic_of(ts_role r)
{
	switch (r) {
	case TS_BODY: return TS_ITALIC;
	case TS_BOLD: return TS_BOLDITALIC;
	case TS_MONO: return TS_MONOITALIC;
	default: return r;
	}
}

static ts_role mono_of(ts_role r)
{
	switch (r) {
	case TS_BOLD: case TS_BOLDITALIC: case TS_SANSBOLD: return TS_MONOBOLD;
	case TS_ITALIC: return TS_MONOITALIC;
	default: return TS_MONO;
	}
}

static ts_attr attr(ts_role role, const qbk_font *f)
{
	ts_attr a = {role, f->size, f->color, 0, false, 0, false, 0};
	return a;
}

/* ---- inlines ----------------------------------------------------------------- */

static bool same_text(const char *a, size_t an, const char *url)
{
	size_t un = strlen(url);
	if (an == un && memcmp(a, url, an) == 0)
		return true;
	static const char *const pre[] = {"mailto:", "http://", "https://"};
	for (int i = 0; i < 3; i++) {
		size_t pl = strlen(pre[i]);
		if (un > pl && strncmp(url, pre[i], pl) == 0 && an == un - pl &&
		    memcmp(a, url + pl, an) == 0)
			return true;
	}
	return false;
}

static int link_for(qbk *b, const qnode *n)
{
	const char *url = n->u.link.url ? n->u.link.url : "";
	if (!qurl_link_ok(url, strlen(url)))
		return 0;
	return ts_layout_link_uri(b->body, url, strlen(url));
}

/* After a link's or image's text: its address when the text does not
 * show it (a printed page cannot be clicked). */
static void link_tail(qbk *b, ts_par *p, const qnode *n, const ts_attr *a)
{
	const char *url = n->u.link.url ? n->u.link.url : "";
	if (!*url || url[0] == '#')
		return;
	qbuf_reset(&b->tmp);
	qnode_plain(n, &b->tmp);
	if (n->type == QN_LINK && (same_text(b->tmp.ptr, b->tmp.len, url)
				   || (b->tmp.len && qurl_names_note(url, strlen(url)))))
		return;   /* the text shows the address, or names the note */
	ts_attr u = *a;
	u.role = TS_MONO;
	u.size = a->size * 0.85f;
	ts_par_add(p, a, " (", 2, TS_PROSE);
	ts_par_add(p, &u, url, strlen(url), TS_URL);
	ts_par_add(p, a, ")", 1, TS_NOBREAK);
}

/* ---- typographic quotes ---------------------------------------------------------- */

typedef struct quotes {
	const char *lang;       /* language prefix */
	const char *open2, *close2, *open1, *close1;
	bool space_inside;      /* French: a narrow no-break space inside */
} quotes;

static const quotes quote_table[] = {
	{"de", "\xE2\x80\x9E", "\xE2\x80\x9C", "\xE2\x80\x9A", "\xE2\x80\x98", false},
	{"fr", "\xC2\xAB", "\xC2\xBB", "\xE2\x80\xB9", "\xE2\x80\xBA", true},
	{"ru", "\xC2\xAB", "\xC2\xBB", "\xE2\x80\x9E", "\xE2\x80\x9C", false},
	{"es", "\xC2\xAB", "\xC2\xBB", "\xE2\x80\x9C", "\xE2\x80\x9D", false},
	{"it", "\xC2\xAB", "\xC2\xBB", "\xE2\x80\x9C", "\xE2\x80\x9D", false},
	{"ja", "\xE3\x80\x8C", "\xE3\x80\x8D", "\xE3\x80\x8E", "\xE3\x80\x8F", false},
	/* English and the rest (pt, zh, ko, ...) */
	{"", "\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x98", "\xE2\x80\x99", false},
};

static const quotes *quotes_for(const char *lang)
{
	size_t n = sizeof quote_table / sizeof quote_table[0];
	for (size_t i = 0; lang && i + 1 < n; i++)
		if (strncmp(lang, quote_table[i].lang, 2) == 0 &&
		    (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_'))
			return &quote_table[i];
	return &quote_table[n - 1];
}

/* Does a quote after prev open (start of the block, a space, an opening
 * bracket or dash, another opening quote)? */
static bool opens_after(uint32_t prev)
{
	return prev == 0 || prev == ' ' || prev == '\t' || prev == '\n' || prev == 0xA0 ||
	       prev == '(' || prev == '[' || prev == '{' || prev == 0x2014 ||
	       prev == 0x2013 || prev == '-' || prev == '/' || prev == 0x201C ||
	       prev == 0x2018 || prev == 0x201E || prev == 0xAB || prev == 0x300C;
}

/* Prose with the straight quotes of the notes made the language's
 * typographic ones (code spans and blocks never come here). An
 * apostrophe after a letter is U+2019 in every language. */
static void prose(qbk *b, ts_par *p, const ts_attr *a, const char *s, size_t n)
{
	if (!memchr(s, '"', n) && !memchr(s, '\'', n)) {
		ts_par_add(p, a, s, n, TS_PROSE);
		if (n) {
			size_t i = n - 1, l;
			while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
				i--;
			int32_t c = qutf8_decode((const unsigned char *)s + i, n - i, &l);
			b->prev_char = c < 0 ? 0xFFFD : (uint32_t)c;
		}
		return;
	}
	const quotes *q = quotes_for(b->doc->lang);
	qbuf *o = &b->prose;
	qbuf_reset(o);
	for (size_t i = 0; i < n;) {
		size_t l;
		int32_t c = qutf8_decode((const unsigned char *)s + i, n - i, &l);
		uint32_t cp = c < 0 ? 0xFFFD : (uint32_t)c;
		bool open = opens_after(b->prev_char);
		if (cp == '"' && open) {
			qbuf_puts(o, q->open2);
			if (q->space_inside)
				qbuf_puts(o, "\xE2\x80\xAF");
			cp = 0x201C;
		} else if (cp == '"') {
			if (q->space_inside)
				qbuf_puts(o, "\xE2\x80\xAF");
			qbuf_puts(o, q->close2);
			cp = 0x201D;
		} else if (cp == '\'' && open) {
			qbuf_puts(o, q->open1);
			cp = 0x2018;
		} else if (cp == '\'') {
			bool letter = qutf8_is_wordchar((int32_t)b->prev_char);
			qbuf_puts(o, letter ? "\xE2\x80\x99" : q->close1);
			cp = 0x2019;
		} else {
			qbuf_put(o, s + i, l);
		}
		b->prev_char = cp;
		i += l;
	}
	ts_par_add(p, a, o->ptr, o->len, TS_PROSE);
}

typedef struct istack {
	ts_attr *v;
	int cap;
} istack;

static ts_attr *slot(istack *s, int depth)
{
	if (depth >= s->cap) {
		int nc = s->cap ? s->cap * 2 : 16;
		while (nc <= depth)
			nc *= 2;
		s->v = qxrealloc(s->v, sizeof *s->v * (size_t)nc);
		s->cap = nc;
	}
	return &s->v[depth];
}

/* Note k for the foot of the page of the line holding a run of anchor
 * (0: the last line), set after the current block (place_footnotes). */
static void queue_note(qbk *b, int k, int anchor)
{
	b->note_queued[k] = true;
	if (b->nfootq == b->capfootq) {
		b->capfootq = b->capfootq ? 2 * b->capfootq : 8;
		b->footq = qxrealloc(b->footq, sizeof *b->footq * (size_t)b->capfootq);
	}
	b->footq[b->nfootq++] = (struct qbk_footq){b->notes[k], anchor};
}

/* A footnote reference: its number raised, and the note queued for the
 * foot of the page (the first time it is referred to). */
static void footref(qbk *b, ts_par *p, const qnode *n, const ts_attr *base)
{
	ts_attr a = *base;
	a.size = base->size * 0.7f;
	a.rise = base->rise + 0.36f * base->size;
	int k = n->u.footnote.number;
	if (k >= 1 && k <= b->maxnote && b->notes[k] && !b->note_queued[k]) {
		if (!a.link)
			a.link = ts_layout_link_anchor(b->body);
		queue_note(b, k, a.link);
	}
	ts_par_add(p, &a, n->text, n->len, TS_NOBREAK);
	b->prev_char = 'x';
}

static void inline_enter(qbk *b, ts_par *p, const qnode *n, istack *s, int depth)
{
	ts_attr a = *slot(s, depth - 1);
	switch (n->type) {
	case QN_EMPH: a.role = italic_of(a.role); break;
	case QN_STRONG: a.role = bold_of(a.role); break;
	case QN_LINK:
		a.link = link_for(b, n);
		if (a.link)
			a.color = b->st.link_color;
		break;
	case QN_IMAGE:
		if (qbk_picture(b, n) >= 0) {   /* a figure after the block; its */
			qbk_queue_figure(b, n);   /* alt text stays in the sentence */
			break;
		}
		a.role = italic_of(a.role);
		{
			const char *open = qw_word(b->words, QW_IMAGE_OPEN);
			ts_par_add(p, &a, open, strlen(open), TS_PROSE);
		}
		break;
	case QN_TEXT: prose(b, p, &a, n->text, n->len); break;
	case QN_CODE_SPAN: {
		ts_attr c = a;
		c.role = mono_of(a.role);
		c.size = a.size * b->st.codespan_scale;
		if (!a.link)
			c.color = b->st.codespan_color;
		ts_par_add(p, &c, n->text, n->len, TS_CODESPAN);
		b->prev_char = 'x';   /* a quote after code closes */
		break;
	}
	case QN_SUB:
	case QN_SUP: {
		const ts_attr *up = slot(s, depth - 1);
		a.size = up->size * 0.7f;
		a.rise = up->rise + (n->type == QN_SUP ? 0.36f : -0.14f) * up->size;
		break;
	}
	case QN_STRIKE: a.strike = true; break;
	case QN_MARK: a.bg = b->st.mark_bg; break;
	case QN_CLOZE: a.bg = b->st.cloze_bg; break;
	case QN_MATH: qbk_math_inline(b, p, n, &a); break;
	case QN_FOOTREF: footref(b, p, n, &a); break;
	case QN_SOFTBREAK:
		ts_par_add(p, &a, " ", 1, TS_PROSE);
		b->prev_char = ' ';
		break;
	case QN_LINEBREAK: ts_par_newline(p); break;
	default:
		if (qtype_is_leaf(n->type) && n->len)   /* keep any other text */
			ts_par_add(p, &a, n->text, n->len, TS_PROSE);
		break;
	}
	*slot(s, depth) = a;
}

static void inline_exit(qbk *b, ts_par *p, const qnode *n, istack *s, int depth)
{
	const ts_attr *a = slot(s, depth);
	if (n->type == QN_LINK) {
		link_tail(b, p, n, slot(s, depth - 1));
	} else if (n->type == QN_IMAGE && qbk_picture(b, n) < 0) {
		link_tail(b, p, n, a);
		ts_par_add(p, a, "]", 1, TS_NOBREAK);
	}
}

void qbk_inlines(qbk *b, ts_par *p, const qnode *n, const ts_attr *base)
{
	b->prev_char = 0;
	istack s = {NULL, 0};
	*slot(&s, 0) = *base;
	if (qtype_is_leaf(n->type)) {
		inline_enter(b, p, n, &s, 1);
		free(s.v);
		return;
	}
	qiter it;
	qnode *x;
	qev ev;
	qiter_init(&it, (qnode *)n);
	while ((ev = qiter_next(&it, &x)) != QEV_DONE) {
		if (it.depth == 0)
			continue;
		if (ev == QEV_ENTER)
			inline_enter(b, p, x, &s, it.depth);
		else
			inline_exit(b, p, x, &s, it.depth);
	}
	free(s.v);
}

/* ---- blocks ------------------------------------------------------------------------- */

static ts_parfmt par_fmt(qbk *b, ts_align al, float leading)
{
	qbk_ctx *c = cur(b);
	ts_parfmt f = {0};
	f.x = c->x;
	f.width = c->w;
	f.leading = leading;
	f.align = al;
	f.hyphenate = b->st.hyphenate;
	f.group = c->group;
	f.label_gap = 4.0f;
	return f;
}

static void space(qbk *b, float nat)
{
	ts_v_space(b->body, nat, nat * 0.3f + 0.5f, nat * 0.2f);
}

static void take_label(qbk *b, ts_par *p)
{
	if (!b->label[0])
		return;
	ts_attr a = attr(TS_BODY, &b->st.body);
	a.color = b->st.bullet_color;
	ts_par_label(p, &a, b->label, strlen(b->label));
	b->label[0] = '\0';
}

/* A list label with nothing to hang on: a line of its own. */
static void flush_label(qbk *b)
{
	if (!b->label[0])
		return;
	ts_parfmt f = par_fmt(b, TS_RAGGED, b->st.body.leading);
	ts_par_begin(b->par, &f);
	take_label(b, b->par);
	ts_par_end(b->par);
}

/* Does the text under n hold CJK characters? Latin words in such a block
 * are set in the sans face, which sits better with CJK glyphs than the
 * serif. */
static bool has_cjk(const qnode *n)
{
	qiter it;
	qnode *x;
	qiter_init(&it, (qnode *)n);
	while (qiter_next_of(&it, &x, QN_NONE)) {
		if (!x->text)
			continue;
		for (size_t i = 0; i < x->len;) {
			size_t l;
			int32_t c = qutf8_decode((const unsigned char *)x->text + i, x->len - i, &l);
			if (qutf8_is_cjk(c))
				return true;
			i += l;
		}
	}
	return false;
}

/* The role for text in a block: the serif body, or sans beside CJK. */
static ts_role text_role(const qnode *n, ts_role serif)
{
	if (!has_cjk(n))
		return serif;
	return serif == TS_BOLD ? TS_SANSBOLD : serif == TS_BODY ? TS_SANS : serif;
}

static bool blank(const qnode *n)
{
	for (size_t i = 0; i < n->len; i++)
		if (n->text[i] != ' ' && n->text[i] != '\t')
			return false;
	return true;
}

/* A paragraph of images only (and the spaces between them), each one a
 * picture the booklet draws: its figures, without a line of text. */
static bool only_figures(qbk *b, const qnode *n)
{
	bool any = false;
	for (const qnode *c = n->first; c; c = c->next) {
		if (c->type == QN_IMAGE && qbk_picture(b, c) >= 0)
			any = true;
		else if (c->type != QN_SOFTBREAK && c->type != QN_LINEBREAK &&
			 !(c->type == QN_TEXT && blank(c)))
			return false;
	}
	return any;
}

static void paragraph(qbk *b, const qnode *n)
{
	qbk_ctx *c = cur(b);
	if (only_figures(b, n)) {
		flush_label(b);
		for (const qnode *x = n->first; x; x = x->next)
			if (x->type == QN_IMAGE)
				qbk_queue_figure(b, x);
		return;
	}
	bool tight = c->kind == QN_ITEM && c->tight;
	space(b, tight ? 1.0f : b->st.par_space);
	ts_parfmt f = par_fmt(b, b->st.justify ? TS_JUSTIFY : TS_RAGGED,
			      b->st.body.leading);
	ts_par_begin(b->par, &f);
	take_label(b, b->par);
	ts_attr a = attr(text_role(n, TS_BODY), &b->st.body);
	if (c->group >= 0)
		a.color = b->st.quote_color;
	if (b->foot_num[0]) {   /* a footnote's number, raised, before its text */
		ts_attr r = a;
		r.size = a.size * 0.7f;
		r.rise = 0.36f * a.size;
		ts_par_add(b->par, &r, b->foot_num, strlen(b->foot_num), TS_NOBREAK);
		ts_par_add(b->par, &a, "\u2002", 3, TS_NOBREAK);   /* an en space */
		b->foot_num[0] = '\0';
	}
	qbk_inlines(b, b->par, n, &a);
	ts_par_end(b->par);
	b->started = true;
}

static void label_block(qbk *b, const qnode *n, const qbk_font *font,
			ts_rgb color, float above)
{
	space(b, above);
	ts_parfmt f = par_fmt(b, TS_RAGGED, font->leading);
	f.keep_together = true;
	f.keep_after = 2;
	ts_par_begin(b->par, &f);
	take_label(b, b->par);
	ts_attr a = attr(TS_BOLD, font);
	a.color = color;
	qbk_inlines(b, b->par, n, &a);
	ts_par_end(b->par);
	space(b, 1.5f);
	b->started = true;
}

/* A title that starts with a number ("2.1", "3)", "IV.") or a symbol
 * (an emoji) and a space: its wrapped lines hang after that, so the
 * number stands out (a negative first-line indent: the text itself is
 * untouched). */
static void hang_after_number(qbk *b, const qnode *title, const ts_attr *a,
			      ts_parfmt *f)
{
	qbuf_reset(&b->tmp);
	qnode_plain(title, &b->tmp);
	const char *s = b->tmp.ptr, *sp = memchr(s, ' ', b->tmp.len);
	if (!sp || sp == s || sp - s > 12)
		return;
	size_t l;
	int32_t c0 = qutf8_decode((const unsigned char *)s, b->tmp.len, &l);
	bool number = true, digit = false;
	for (const char *q = s; q < sp; q++) {
		digit |= *q >= '0' && *q <= '9';
		number &= (*q >= '0' && *q <= '9') || *q == '.' || *q == ')' ||
			  strchr("IVXLC", *q) != NULL;
	}
	number &= digit || sp[-1] == '.';   /* "IV." yes, "I am" no */
	bool symbol = c0 > 0x2000 && !qutf8_is_wordchar(c0) && !qutf8_is_cjk(c0);
	if (!number && !symbol)
		return;
	size_t n = (size_t)(sp - s + 1);   /* the token and its space */
	qbuf_truncate(&b->tmp, n);
	qbuf_putc(&b->tmp, 'x');       /* so that the space is not trailing */
	float w = ts_text_width(b->fonts, a, b->tmp.ptr, n + 1) -
		  ts_text_width(b->fonts, a, "x", 1);
	if (w <= 0 || w > f->width * 0.3f)
		return;
	f->x += w;
	f->width -= w;
	f->indent = -w;
}

static void section_title(qbk *b, const qnode *title)
{
	const qnode *s = title->parent;
	if (!s || s->type != QN_SECTION)
		return;
	int lv = s->u.section.level < 1 ? 0 : s->u.section.level > 4 ? 3
								   : s->u.section.level - 1;
	const qbk_font *font = &b->st.h[lv];
	if (lv == 0 && b->chapter_pages && b->started)
		ts_v_newpage(b->body);
	float above = lv == 0 && !b->chapter_pages ? 24.0f : b->st.h_space_above[lv];
	ts_v_space(b->body, above, 4, 0);
	int m = ts_layout_mark(b->body, lv == 0 ? MARK_CHAPTER : MARK_SECTION,
			       s->u.section.index);
	b->section_mark[s->u.section.index] = m;
	if (s->u.section.anchor)
		qstrmap_put(&b->anchors, s->u.section.anchor,
			    strlen(s->u.section.anchor), (void *)(intptr_t)(m + 1));
	ts_parfmt f = par_fmt(b, TS_RAGGED, font->leading);
	f.keep_together = true;
	f.keep_after = 2;
	f.hyphenate = false;
	f.whole_parens = true;
	ts_attr a = attr(TS_BOLD, font);
	hang_after_number(b, title, &a, &f);
	ts_par_begin(b->par, &f);
	qbk_inlines(b, b->par, title, &a);
	ts_par_end(b->par);
	if (lv == 0 && b->st.h_rule != TS_NO_COLOR) {
		ts_v_space(b->body, 4, 0, 0);
		ts_v_rule(b->body, cur(b)->x, cur(b)->w, 0.6f, b->st.h_rule);
	}
	ts_v_space(b->body, b->st.h_space_below[lv], 2, 0);
	b->started = true;
}

static void question(qbk *b, const qnode *q)
{
	const qnode *card = q->parent;
	if (!card || card->type != QN_CARD)
		return;
	const qbk_style *st = &b->st;
	if (!card->u.card.topic)
		ts_v_space(b->body, st->question_space_above, 3, 1);
	int m = ts_layout_mark(b->body, MARK_CARD, card->u.card.index);
	b->card_mark[card->u.card.index] = m;
	if (card->u.card.anchor)
		qstrmap_put(&b->anchors, card->u.card.anchor,
			    strlen(card->u.card.anchor), (void *)(intptr_t)(m + 1));
	if (card->u.card.topic)
		return;   /* its question is its section's title, just above (as in the EPUB) */
	ts_attr num = attr(TS_BOLD, &st->question);
	num.color = st->question_number;
	const char *label = card->u.card.number;
	float gap = 4.0f, hang = 0;
	if (label && *label) {
		float lw = ts_text_width(b->fonts, &num, label, strlen(label));
		hang = fmaxf(lw + gap, 2.1f * st->question.size);
		if (hang > cur(b)->w * 0.3f)
			hang = lw + gap;
	}
	ts_parfmt f = par_fmt(b, TS_RAGGED, st->question.leading);
	f.x += hang;
	f.width -= hang;
	f.keep_together = true;
	f.keep_after = 2;
	f.label_gap = gap;
	f.label_hang = hang;   /* on the right of a right-to-left question */
	f.whole_parens = true;
	ts_par_begin(b->par, &f);
	if (label && *label)
		ts_par_label(b->par, &num, label, strlen(label));
	ts_attr a = attr(text_role(q, TS_BOLD), &st->question);
	qbk_inlines(b, b->par, q, &a);
	ts_par_end(b->par);
	ts_v_space(b->body, st->question_space_below, 1, 0);
	b->started = true;
}

static void code_caption(qbk *b, const char *cap)
{
	ts_parfmt f = par_fmt(b, TS_RAGGED, b->st.code.leading);
	f.keep_together = true;
	f.keep_after = 2;
	ts_par_begin(b->par, &f);
	take_label(b, b->par);   /* a list item's label beside the caption */
	ts_attr a = attr(TS_MONOBOLD, &b->st.code);
	ts_par_add(b->par, &a, cap, strlen(cap), TS_NOBREAK);
	ts_par_end(b->par);
	ts_v_space(b->body, b->st.code_pad + 2, 0, 0);
}

static void code_block(qbk *b, const qnode *n)
{
	const qbk_style *st = &b->st;
	space(b, st->block_space + st->code_pad);
	if (n->u.code.caption && *n->u.code.caption)
		code_caption(b, n->u.code.caption);
	qtoken *toks = NULL;
	size_t nt = qhighlight(qhl_lang(n->u.code.lang ? n->u.code.lang : ""),
			       n->text, n->len, &toks);
	ts_codespan *spans = qxmalloc(sizeof *spans * (nt ? nt : 1));
	for (size_t i = 0; i < nt; i++)
		spans[i] = (ts_codespan){toks[i].off, toks[i].len, (int)toks[i].kind};
	free(toks);
	ts_attr styles[QTOK__COUNT];
	for (int k = 0; k < QTOK__COUNT; k++) {
		styles[k] = attr(TS_MONO, &st->code);
		styles[k].color = st->tok[k < 7 ? k : 0];
	}
	styles[QTOK_KEYWORD].role = TS_MONOBOLD;
	styles[QTOK_COMMENT].role = TS_MONOITALIC;
	qbk_ctx *c = cur(b);
	/* a list item that opens with the code: its label beside the first
	 * line, as beside a paragraph */
	ts_attr la = attr(TS_BODY, &st->body);
	la.color = st->bullet_color;
	ts_codefmt f = {c->x, c->w, st->code_pad, st->code.size, st->code.leading,
			st->code_bg, st->code_border, st->code_mark, 4,
			b->label, la, par_fmt(b, TS_RAGGED, st->body.leading).label_gap};
	ts_code_block(b->body, &f, n->text, n->len, spans, nt, styles, QTOK__COUNT);
	b->label[0] = '\0';
	free(spans);
	space(b, st->block_space + st->code_pad);
	b->started = true;
}

static ts_align cell_align(const qnode *table, int col)
{
	if (!table->u.table.align || col >= table->u.table.ncols)
		return TS_RAGGED;
	switch (table->u.table.align[col]) {
	case QALIGN_CENTER: return TS_CENTER;
	case QALIGN_RIGHT: return TS_RIGHT;
	default: return TS_RAGGED;
	}
}

static void table_caption(qbk *b, const qnode *cap)
{
	ts_parfmt f = par_fmt(b, TS_CENTER, b->st.table.leading);
	f.keep_together = true;
	f.keep_after = 3;
	ts_par_begin(b->par, &f);
	ts_attr a = attr(TS_ITALIC, &b->st.table);
	qbk_inlines(b, b->par, cap, &a);
	ts_par_end(b->par);
	ts_v_space(b->body, 3, 0, 0);
}

/* A table too wide for the page is still whole: say how it was set. */
static void note_fit(qbk *b, const qnode *t, const ts_tablefit *fit)
{
	if (fit->parts > 1)
		qdiag_add(b->job->diags, QD_NOTE, t->line, 0, "wide-table",
			  "a table of %d columns is too wide for the page: the booklet sets it "
			  "at %.1f pt in %d parts of columns, each with the first column",
			  t->u.table.ncols, (double)(b->st.table.size * fit->scale), fit->parts);
	else if (fit->scale < 1)
		qdiag_guess(b->job->diags, t->line, "wide-table",
			    "a table of %d columns is set smaller in the booklet: %.1f pt",
			    t->u.table.ncols, (double)(b->st.table.size * fit->scale));
}

static void table(qbk *b, const qnode *t)
{
	const qbk_style *st = &b->st;
	flush_label(b);
	space(b, st->block_space);
	const qnode *row = t->first;
	if (row && row->type == QN_CAPTION) {
		table_caption(b, row);
		row = row->next;
	}
	qbk_ctx *c = cur(b);
	ts_tablefmt f = {
		.x = c->x, .width = c->w,
		.pad_x = st->table_pad_x, .pad_y = st->table_pad_y,
		.leading = st->table.leading,
		.header_rows = t->u.table.header ? 1 : 0,
		.rule_outer = 0.8f, .rule_inner = 0.4f,
		.rule_color = st->table_rule, .head_bg = st->table_head_bg,
		.center = true,
		/* too wide: smaller type, then parts of columns beside the first */
		.min_scale = st->table.size > 0 ? st->table_min_size / st->table.size : 1,
		.part_label = qw_word(b->words, QW_COLUMNS),
		.part_attr = attr(TS_ITALIC, &st->table),
	};
	f.part_attr.size *= 0.85f;
	int ncols = t->u.table.ncols > 0 ? t->u.table.ncols : 1;
	ts_table *tt = ts_table_begin(b->body, ncols, &f);
	ts_attr body = attr(TS_BODY, &st->table), head = attr(TS_BOLD, &st->table);
	int r = 0;
	for (; row; row = row->next) {
		if (row->type != QN_ROW)
			continue;
		int col = 0;
		for (const qnode *cell = row->first; cell; cell = cell->next, col++) {
			ts_par *p = ts_table_cell(tt, r, col, cell_align(t, col));
			qbk_inlines(b, p, cell, r == 0 && t->u.table.header ? &head : &body);
		}
		r++;
	}
	ts_tablefit fit;
	ts_table_end(tt, &fit);
	note_fit(b, t, &fit);
	space(b, st->block_space);
	b->started = true;
}

static void rule(qbk *b)
{
	qbk_ctx *c = cur(b);
	if (!b->started)
		return;   /* nothing above to separate */
	space(b, b->st.block_space);
	float w = c->w * 0.3f;
	ts_v_rule(b->body, c->x + (c->w - w) / 2, w, 0.5f, b->st.h_rule);
	space(b, b->st.block_space);
}

/* ---- XHTML blocks: block tags start paragraphs, inline tags style ---- */

typedef struct htmlctx {
	qbk *b;
	bool open;         /* a paragraph is being filled */
	int bold, italic, mono, pre;
	bool item;         /* the next paragraph is a list item */
	qbuf text;
} htmlctx;

static bool tag_is(const char *name, size_t n, const char *const *set)
{
	for (int i = 0; set[i]; i++)
		if (strlen(set[i]) == n && memcmp(set[i], name, n) == 0)
			return true;
	return false;
}

static ts_attr html_attr(const htmlctx *h)
{
	ts_attr a = attr(TS_BODY, &h->b->st.body);
	if (h->bold)
		a.role = bold_of(a.role);
	if (h->italic)
		a.role = italic_of(a.role);
	if (h->mono || h->pre) {
		a.role = mono_of(a.role);
		a.size *= h->b->st.codespan_scale;
		a.color = h->b->st.codespan_color;
	}
	return a;
}

static void html_flush_text(htmlctx *h)
{
	if (!h->text.len)
		return;
	qbk *b = h->b;
	if (!h->open) {
		space(b, b->st.par_space);
		ts_parfmt f = par_fmt(b, b->st.justify && !h->pre ? TS_JUSTIFY : TS_RAGGED,
				      b->st.body.leading);
		ts_par_begin(b->par, &f);
		take_label(b, b->par);
		if (h->item) {
			ts_attr a = attr(TS_BODY, &b->st.body);
			a.color = b->st.bullet_color;
			ts_par_label(b->par, &a, "\xE2\x80\xA2", 3);
			h->item = false;
		}
		h->open = true;
	}
	ts_attr a = html_attr(h);
	if (h->pre) {   /* keep the lines of preformatted text */
		const char *p = h->text.ptr, *end = p + h->text.len;
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			const char *e = nl ? nl : end;
			ts_par_add(b->par, &a, p, (size_t)(e - p), TS_NOBREAK);
			if (nl)
				ts_par_newline(b->par);
			p = nl ? nl + 1 : end;
		}
	} else {
		ts_par_add(b->par, &a, h->text.ptr, h->text.len, TS_PROSE);
	}
	qbuf_reset(&h->text);
}

static void html_end_par(htmlctx *h)
{
	html_flush_text(h);
	if (h->open)
		ts_par_end(h->b->par);
	h->open = false;
}

static void html_tag(htmlctx *h, const char *s, size_t n)
{
	static const char *const blocks[] = {"p", "div", "details", "summary", "li",
		"ul", "ol", "tr", "table", "pre", "blockquote", "h1", "h2", "h3", "h4",
		"h5", "h6", "section", "article", "dl", "dt", "dd", "hr", NULL};
	static const char *const bolds[] = {"b", "strong", "summary", "th", "h1", "h2",
		"h3", "h4", "h5", "h6", "dt", NULL};
	static const char *const italics[] = {"i", "em", "cite", "dfn", "var", NULL};
	static const char *const monos[] = {"code", "kbd", "samp", "tt", NULL};
	bool close = n > 1 && s[1] == '/';
	const char *name = s + 1 + close;
	size_t nl = 0;
	while (name + nl < s + n && ((name[nl] >= 'a' && name[nl] <= 'z') ||
				      (name[nl] >= '0' && name[nl] <= '9')))
		nl++;
	if (nl == 2 && memcmp(name, "br", 2) == 0) {
		html_flush_text(h);
		if (h->open)
			ts_par_newline(h->b->par);
		return;
	}
	int d = close ? -1 : (s[n - 2] == '/' ? 0 : 1);
	if (tag_is(name, nl, blocks))
		html_end_par(h);
	else
		html_flush_text(h);
	if (tag_is(name, nl, bolds))
		h->bold += d;
	if (tag_is(name, nl, italics))
		h->italic += d;
	if (tag_is(name, nl, monos))
		h->mono += d;
	if (nl == 3 && memcmp(name, "pre", 3) == 0)
		h->pre += d;
	if (nl == 2 && memcmp(name, "li", 2) == 0 && d > 0)
		h->item = true;
	if (h->bold < 0) h->bold = 0;
	if (h->italic < 0) h->italic = 0;
	if (h->mono < 0) h->mono = 0;
	if (h->pre < 0) h->pre = 0;
}

static size_t html_entity(const char *s, size_t n, qbuf *out)
{
	static const struct { const char *e; const char *r; } ents[] = {
		{"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}, {"&quot;", "\""},
		{"&#39;", "'"}, {"&apos;", "'"}, {"&nbsp;", "\xC2\xA0"}};
	for (size_t k = 0; k < sizeof ents / sizeof ents[0]; k++) {
		size_t el = strlen(ents[k].e);
		if (el <= n && memcmp(s, ents[k].e, el) == 0) {
			qbuf_puts(out, ents[k].r);
			return el;
		}
	}
	if (n > 3 && s[1] == '#') {   /* &#NNN; and &#xHH; */
		char *end;
		bool hex = s[2] == 'x' || s[2] == 'X';
		unsigned long v = strtoul(s + 2 + hex, &end, hex ? 16 : 10);
		if (end < s + n && *end == ';' && v > 0 && v <= 0x10FFFF &&
		    !(v >= 0xD800 && v < 0xE000)) {
			qbuf_put_utf8(out, (unsigned)v);
			return (size_t)(end - s) + 1;
		}
	}
	qbuf_putc(out, '&');
	return 1;
}

static void html_block(qbk *b, const qnode *n)
{
	htmlctx h = {b, false, 0, 0, 0, 0, false, QBUF_INIT};
	const char *s = n->text;
	size_t len = n->len;
	for (size_t i = 0; i < len;) {
		if (s[i] == '<') {
			const char *e = memchr(s + i, '>', len - i);
			if (!e)
				break;
			size_t tl = (size_t)(e - (s + i)) + 1;
			html_tag(&h, s + i, tl);
			i += tl;
		} else if (s[i] == '&') {
			i += html_entity(s + i, len - i, &h.text);
		} else {
			qbuf_putc(&h.text, s[i++]);
		}
	}
	html_end_par(&h);
	qbuf_free(&h.text);
	b->started = true;
}

/* ---- containers ------------------------------------------------------------------- */

static void list_enter(qbk *b, const qnode *n)
{
	flush_label(b);
	int level = cur(b)->kind == QN_ITEM ? cur(b)->level + 1 : 0;
	qbk_ctx *c = push(b, QN_LIST);
	c->ordered = n->u.list.ordered;
	c->tight = n->u.list.tight;
	c->number = n->u.list.start;
	c->level = level;
	space(b, b->st.par_space);
}

static void item_enter(qbk *b)
{
	qbk_ctx *list = cur(b);
	static const char *const bullets[] = {"\xE2\x80\xA2", "\xE2\x97\xA6",
					      "\xE2\x96\xAA", "\xE2\x80\x93"};
	if (list->kind == QN_LIST && list->ordered)
		snprintf(b->label, sizeof b->label, "%d.", list->number++);
	else
		snprintf(b->label, sizeof b->label, "%s", bullets[list->level % 4]);
	qbk_ctx *c = push(b, QN_ITEM);
	c->tight = list->tight;
	indent(b, c, b->st.list_indent);
}

static void quote_enter(qbk *b)
{
	flush_label(b);
	qbk_ctx *c = push(b, QN_QUOTE);
	indent(b, c, 12.0f);
	c->group = ts_layout_group(b->body, TS_GROUP_BAR, c->x - 8.0f, c->x - 6.5f,
				   1.0f, b->st.quote_bar);
}

#define CALLOUT_PAD 4.0f   /* the frame beyond the callout's lines */

/* An untitled callout's title: its kind, a word of the booklet's
 * language (words.h), set as its caption would be. */
static void callout_kind_title(qbk *b, const qnode *n)
{
	qbuf title = QBUF_INIT;
	qw_callout_title(&title, b->words, n->u.callout.kind);
	ts_parfmt f = par_fmt(b, TS_RAGGED, b->st.body.leading);
	f.keep_together = true;
	f.keep_after = 2;
	ts_par_begin(b->par, &f);
	ts_attr a = attr(TS_BOLD, &b->st.body);
	a.color = b->st.callout_title;
	ts_par_add(b->par, &a, title.ptr, title.len, TS_PROSE);
	ts_par_end(b->par);
	space(b, 1.5f);
	b->started = true;
	qbuf_free(&title);
}

/* A callout: its blocks inside a tinted, framed box, its title (the
 * QN_CAPTION it may open with, else its kind) bold in the title colour. */
static void callout_enter(qbk *b, const qnode *n)
{
	flush_label(b);
	space(b, b->st.par_space + 2 * CALLOUT_PAD);   /* room for the frame */
	qbk_ctx *c = push(b, QN_CALLOUT);
	c->group = ts_layout_group(b->body, TS_GROUP_BG, c->x, c->x + c->w, CALLOUT_PAD,
				   b->st.callout_bg);
	b->body->groups[c->group].border = b->st.callout_border;
	inset(b, c, 6.0f);
	if (!n->first || n->first->type != QN_CAPTION)
		callout_kind_title(b, n);
}

/* Is n a paragraph of only the punctuation that ends a sentence after
 * a display (`$$ E = mc^2 $$.`)? It stays on the display's page. */
static bool closing_punctuation(const qnode *n)
{
	if (!n || n->type != QN_PARAGRAPH || !n->first || n->first != n->last
	    || n->first->type != QN_TEXT || n->first->len == 0 || n->first->len > 3)
		return false;
	for (size_t i = 0; i < n->first->len; i++)
		if (!strchr(".,;:!?)", n->first->text[i]))
			return false;
	return true;
}

/* Returns true when the node's subtree was handled (skip it). */
static bool block_enter(qbk *b, const qnode *n)
{
	switch (n->type) {
	case QN_TITLE: section_title(b, n); return true;
	case QN_QUESTION: question(b, n); return true;
	case QN_PARAGRAPH: paragraph(b, n); return true;
	case QN_LABEL:
		label_block(b, n, &b->st.body, b->st.label_color, b->st.block_space);
		return true;
	case QN_HEADING:
		label_block(b, n, &b->st.h[3], b->st.h[3].color, b->st.h_space_above[3]);
		return true;
	case QN_CAPTION:
		if (n->parent && n->parent->type == QN_CALLOUT)
			label_block(b, n, &b->st.body, b->st.callout_title, 0.0f);
		else
			paragraph(b, n);
		return true;
	case QN_CALLOUT: callout_enter(b, n); return false;
	case QN_CODE: code_block(b, n); return true;
	case QN_TABLE: table(b, n); return true;
	case QN_RULE: rule(b); return true;
	case QN_HTML: html_block(b, n); return true;
	case QN_MATH_BLOCK:   /* a pending list label goes beside it */
		space(b, b->st.block_space);
		qbk_math_block(b, n, cur(b)->x, cur(b)->w,
			       n->prev && n->prev->type == QN_PARAGRAPH && !b->label[0]);
		if (closing_punctuation(n->next))
			ts_v_keep(b->body, 1);
		space(b, b->st.block_space);
		b->started = true;
		return true;
	case QN_LIST: list_enter(b, n); return false;
	case QN_ITEM: item_enter(b); return false;
	case QN_QUOTE: quote_enter(b); return false;
	case QN_ANSWER: push(b, QN_ANSWER); return false;
	case QN_FOOTNOTE:   /* at the foot of the page of its reference */
		return n->u.footnote.referenced && n->u.footnote.number >= 1
		       && n->u.footnote.number <= b->maxnote && b->notes[n->u.footnote.number] == n;
	default:
		if (qtype_is_inline(n->type)) {   /* stray inline: a paragraph */
			paragraph(b, n);
			return true;
		}
		return false;
	}
}

static void block_exit(qbk *b, const qnode *n)
{
	switch (n->type) {
	case QN_ITEM:
		flush_label(b);
		pop(b);
		break;
	case QN_LIST:
	case QN_QUOTE:
		pop(b);
		space(b, b->st.par_space);
		break;
	case QN_CALLOUT:
		pop(b);
		space(b, b->st.par_space + 2 * CALLOUT_PAD);
		break;
	case QN_ANSWER:
		pop(b);
		ts_v_keep_end(b->body);   /* a short answer: kept whole, no more */
		break;
	default:
		break;
	}
}

/* Do top-level sections open a page? With `auto`, when they hold on
 * average at least 8 questions (or 6 KB of text): chapters, not notes. */
static bool chapter_pages(const qbk *b)
{
	if (b->st.h1_newpage != 2)
		return b->st.h1_newpage == 1;
	int top = 0;
	for (int i = 0; i < b->doc->nsections; i++)
		top += b->doc->sections[i]->u.section.level == 1;
	if (top < 2)
		return false;
	size_t text = 0;
	qiter it;
	qnode *n;
	qiter_init(&it, b->doc->root);
	while (qiter_next(&it, &n) != QEV_DONE && text < (size_t)top * 6000)
		text += n->len;
	return b->doc->ncards >= 8 * top || text >= (size_t)top * 6000;
}

/* ---- footnotes ------------------------------------------------------------------- */

/* The footnotes by number. A note is set where its first reference falls
 * (queued by footref()); one nothing refers to stays where it is written
 * (the reader warned). */
static void index_notes(qbk *b)
{
	qiter it;
	qnode *n;
	qiter_init_of(&it, b->doc, QN_FOOTNOTE);
	while (qiter_next_of(&it, &n, QN_FOOTNOTE))
		if (n->u.footnote.number > b->maxnote)
			b->maxnote = n->u.footnote.number;
	if (!b->maxnote)
		return;
	b->notes = qxmalloc(((size_t)b->maxnote + 1) * sizeof *b->notes);
	b->note_queued = qxmalloc(((size_t)b->maxnote + 1) * sizeof *b->note_queued);
	memset(b->notes, 0, ((size_t)b->maxnote + 1) * sizeof *b->notes);
	memset(b->note_queued, 0, ((size_t)b->maxnote + 1) * sizeof *b->note_queued);
	qiter_init_of(&it, b->doc, QN_FOOTNOTE);
	while (qiter_next_of(&it, &n, QN_FOOTNOTE))
		if (n->u.footnote.number >= 1 && !b->notes[n->u.footnote.number])
			b->notes[n->u.footnote.number] = n;
}

static void place_figures(qbk *b)
{
	if (b->nfigs) {   /* the images of the block, below it */
		qbk_place_figures(b, cur(b)->x, cur(b)->w);
		b->started = true;
	}
}

/* One note's blocks into an insert, in the footnote type: the body's
 * size and leading scaled down, the full measure, its number raised
 * before its first paragraph. */
static void set_footnote(qbk *b, const struct qbk_footq *q)
{
	const qnode *note = q->note;
	qbk_font body = b->st.body;
	float par_space = b->st.par_space, block_space = b->st.block_space;
	float scale = body.size > 0 ? b->st.footnote.size / body.size : 1;
	b->st.body = b->st.footnote;
	b->st.par_space = 2.0f;
	b->st.block_space *= scale;
	int depth = b->depth;
	bool started = b->started;
	char label[sizeof b->label];
	memcpy(label, b->label, sizeof label);
	b->label[0] = '\0';
	ts_insert_begin(b->body, q->anchor);
	push(b, QN_FOOTNOTE);
	*cur(b) = (qbk_ctx){0, b->text_w, QN_FOOTNOTE, false, true, 1, 0, -1};
	snprintf(b->foot_num, sizeof b->foot_num, "%d", note->u.footnote.number);
	if (!note->first || note->first->type != QN_PARAGRAPH) {   /* the number alone */
		ts_parfmt f = par_fmt(b, TS_RAGGED, b->st.body.leading);
		ts_attr a = attr(TS_BODY, &b->st.body);
		a.size *= 0.7f;
		a.rise = 0.36f * b->st.body.size;
		ts_par_begin(b->par, &f);
		ts_par_add(b->par, &a, b->foot_num, strlen(b->foot_num), TS_NOBREAK);
		ts_par_end(b->par);
		b->foot_num[0] = '\0';
	}
	qiter it;
	qnode *n;
	qev ev;
	qiter_init(&it, (qnode *)note);
	while ((ev = qiter_next(&it, &n)) != QEV_DONE) {
		if (n == note)
			continue;
		if (ev == QEV_ENTER) {
			if (block_enter(b, n) && !qtype_is_leaf(n->type))
				qiter_skip(&it);
			place_figures(b);
		} else {
			block_exit(b, n);
		}
	}
	b->foot_num[0] = '\0';
	ts_insert_end(b->body);
	b->depth = depth;
	b->started = started;
	memcpy(b->label, label, sizeof label);
	b->st.body = body;
	b->st.par_space = par_space;
	b->st.block_space = block_space;
}

/* The notes referred to in the block just laid out, each in its insert;
 * a note's own references queue more, set after it. */
static void place_footnotes(qbk *b)
{
	for (int i = 0; i < b->nfootq; i++) {
		struct qbk_footq q = b->footq[i];   /* the queue may move */
		set_footnote(b, &q);
	}
	b->nfootq = 0;
}

void qbk_build_body(qbk *b)
{
	b->chapter_pages = chapter_pages(b);
	b->depth = 0;
	b->ctx[0] = (qbk_ctx){0, b->text_w, QN_DOCUMENT, false, false, 1, 0, -1};
	index_notes(b);
	b->body->foot = (ts_footfmt){b->st.body.leading * 1.2f, b->text_w / 3,
				     0.5f, b->st.footnote_rule};
	qiter it;
	qnode *n;
	qev ev;
	qiter_init(&it, b->doc->root);
	while ((ev = qiter_next(&it, &n)) != QEV_DONE) {
		if (ev == QEV_ENTER) {
			if (block_enter(b, n) && !qtype_is_leaf(n->type))
				qiter_skip(&it);
			place_figures(b);
			if (b->nfootq)
				place_footnotes(b);
		} else {
			block_exit(b, n);
		}
	}
	/* a note whose references the booklet never set (none should be
	 * left): at the foot of the last page rather than lost */
	for (int k = 1; k <= b->maxnote; k++)
		if (b->notes[k] && b->notes[k]->u.footnote.referenced && !b->note_queued[k])
			queue_note(b, k, 0);
	place_footnotes(b);
}
