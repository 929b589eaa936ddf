/* front.c - front matter and page furniture: the title page, the linked
 * contents, running heads and folios, the PDF outline.
 *
 * The body is laid out and paginated first; its page numbers are known
 * when the contents are set, and the front matter is numbered in roman
 * numerals of its own (padded to an even count so the body starts on a
 * right-hand page). Running heads follow the LaTeX book style: on the
 * left page the folio and the chapter (level-1 section), on the right
 * the current section and the folio; a page that opens a chapter has only
 * a centred folio at the foot.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../../typeset/tsharu.h"
#include "../../util/utf8.h"
#include "pdfint.h"

/* ---- title page -------------------------------------------------------------- */

/* The title page: the title, the subtitle, the authors and the date of
 * the notes' metadata, a rule, what the booklet holds, and at the foot
 * where it comes from. */
static void centered(qbk *b, ts_par *p, const ts_attr *a, const char *s,
		     size_t n, float leading)
{
	ts_parfmt f = {0};
	f.width = b->text_w;
	f.leading = leading;
	f.align = TS_CENTER;
	f.keep_together = true;
	f.group = -1;
	ts_par_begin(p, &f);
	ts_par_add(p, a, s, n, TS_PROSE);
	ts_par_end(p);
}

/* The title page's foot: the notes' file (or standard input) it was set
 * from, and the day of the build when it is known. */
static void made_from(const qbk *b, qbuf *out)
{
	const qdoc *doc = b->doc;
	const char *src = doc->source ? doc->source : doc->stem ? doc->stem : "notes";
	const char *base = strrchr(src, '/');
	char file[120];
	snprintf(file, sizeof file, "%s", base ? base + 1 : src);   /* cut if long */
	qbuf what = QBUF_INIT;
	if (strcmp(src, "-") == 0)
		qw_put(&what, b->words, QW_TYPESET_STDIN, NULL, NULL);
	else
		qw_put(&what, b->words, QW_TYPESET, file, NULL);
	char when[32] = "";
	time_t e = b->job->epoch;
	struct tm tm;
	if (e > 0 && gmtime_r(&e, &tm))
		strftime(when, sizeof when, "%Y-%m-%d", &tm);
	if (when[0])
		qw_put(out, b->words, QW_DATED, what.ptr, when);
	else
		qbuf_put(out, what.ptr, what.len);
	qbuf_free(&what);
}

static void title_page(qbk *b, ts_par *p)
{
	ts_layout *F = b->front;
	const qbk_style *st = &b->st;
	const qdoc *doc = b->doc;
	ts_v_strut(F);
	ts_v_space(F, b->text_h * 0.22f, b->text_h * 0.1f, 0);
	ts_attr t = {TS_BOLD, st->title.size, st->title.color, 0, false, 0, false, 0};
	const char *title = qdoc_title_shown(doc);   /* formulas as text */
	centered(b, p, &t, title, strlen(title), st->title.leading);
	ts_v_space(F, 10, 0, 0);
	if (doc->subtitle && *doc->subtitle) {   /* between title and author in size */
		float k = (st->title.size + st->subtitle.size) / (2 * st->subtitle.size);
		ts_attr sb = {TS_BODY, st->subtitle.size * k, st->title.color, 0, false, 0, false, 0};
		centered(b, p, &sb, doc->subtitle, strlen(doc->subtitle), st->subtitle.leading * k);
		ts_v_space(F, 12, 0, 0);
	}
	ts_attr sub = {TS_ITALIC, st->subtitle.size, st->subtitle.color, 0, false, 0, false, 0};
	if (doc->author && *doc->author) {
		centered(b, p, &sub, doc->author, strlen(doc->author), st->subtitle.leading);
		ts_v_space(F, 6, 0, 0);
	}
	if (doc->date && *doc->date) {   /* the notes' date, as written */
		ts_attr dt = sub;
		dt.role = TS_BODY;
		centered(b, p, &dt, doc->date, strlen(doc->date), st->subtitle.leading);
		ts_v_space(F, 6, 0, 0);
	}
	qbuf counts = QBUF_INIT;
	qcounts n = qdoc_counts(doc);
	qw_counts(&counts, b->words, n.questions, n.sections);
	ts_v_space(F, 14, 0, 0);
	ts_v_rule(F, b->text_w * 0.35f, b->text_w * 0.3f, 0.6f, st->h_rule);
	ts_v_space(F, 14, 0, 0);
	centered(b, p, &sub, counts.ptr, counts.len, st->subtitle.leading);
	qbuf_free(&counts);
	ts_v_space(F, 20, 1e5f, 0);
	qbuf line = QBUF_INIT;
	made_from(b, &line);
	ts_attr small = {TS_ITALIC, st->folio.size, st->folio.color, 0, false, 0, false, 0};
	centered(b, p, &small, line.ptr, line.len, st->folio.leading);
	qbuf_free(&line);
	ts_v_newpage(F);
}

/* A section as the contents, the running heads and the bookmarks name
 * it: its title without decorations, else as written; formulas as text
 * (the shown strings, model.h). */
static const char *section_label(const qnode *s)
{
	const char *name = qsection_shown_name(s);
	return name && *name ? name : qsection_shown(s);
}

/* ---- contents ------------------------------------------------------------------ */

static void contents_entry(qbk *b, ts_par *p, const qnode *s, int mark, int toplevel)
{
	const qbk_style *st = &b->st;
	int level = s->u.section.level - toplevel + 1 < 1 ? 1 : s->u.section.level - toplevel + 1;
	bool top = level == 1;
	const qbk_font *font = top ? &st->toc_section : &st->toc;
	float ind = (float)(level - 1) * 1.6f * st->toc.size;
	if (ind > b->text_w * 0.4f)
		ind = b->text_w * 0.4f;
	float pnum = 2.6f * font->size;
	ts_v_space(b->front, top ? 5.0f : 1.0f, 1, 0);
	ts_parfmt f = {0};
	f.x = ind;
	f.width = b->text_w - ind - pnum;
	f.leading = font->leading;
	f.align = TS_RAGGED;
	f.group = -1;
	ts_par_begin(p, &f);
	ts_attr a = {top ? TS_BOLD : TS_BODY, font->size, font->color, 0, false, 0, false, 0};
	a.link = ts_layout_link_mark(b->front, mark);
	const char *name = section_label(s);
	ts_par_add(p, &a, name ? name : "", name ? strlen(name) : 0, TS_PROSE);
	ts_attr dots = a;
	dots.color = st->head.color;
	ts_par_leaders(p, &dots);
	char num[16];
	const ts_mark *m = &b->body->marks[mark];
	snprintf(num, sizeof num, "%d", m->page + 1);
	ts_par_hang_right(p, &a, num, strlen(num), pnum);
	ts_par_end(p);
}

/* The level of the shallowest section: the contents list that level and
 * contents.depth - 1 below it (notes whose headings all start at ###
 * still get their contents). */
static int top_level(const qbk *b)
{
	int top = 0;
	for (int i = 0; i < b->doc->nsections; i++) {
		int lv = b->doc->sections[i]->u.section.level;
		if (b->section_mark[i] >= 0 && (top == 0 || lv < top))
			top = lv;
	}
	return top;
}

static void contents(qbk *b, ts_par *p)
{
	const qbk_style *st = &b->st;
	ts_layout *F = b->front;
	ts_parfmt f = {0};
	f.width = b->text_w;
	f.leading = st->h[0].leading;
	f.align = TS_RAGGED;
	f.keep_together = true;
	f.keep_after = 2;
	f.group = -1;
	ts_par_begin(p, &f);
	ts_attr h = {TS_BOLD, st->h[0].size, st->h[0].color, 0, false, 0, false, 0};
	const char *title = qw_word(b->words, QW_CONTENTS);
	ts_par_add(p, &h, title, strlen(title), TS_PROSE);
	ts_layout_mark(F, MARK_CHAPTER, -1);
	ts_par_end(p);
	if (st->h_rule != TS_NO_COLOR) {
		ts_v_space(F, 4, 0, 0);
		ts_v_rule(F, 0, b->text_w, 0.6f, st->h_rule);
	}
	ts_v_space(F, st->h_space_below[0], 0, 0);
	int top = top_level(b);
	for (int i = 0; i < b->doc->nsections; i++) {
		const qnode *s = b->doc->sections[i];
		if (s->u.section.level - top + 1 > st->toc_depth || b->section_mark[i] < 0)
			continue;
		contents_entry(b, p, s, b->section_mark[i], top);
	}
}

void qbk_build_front(qbk *b)
{
	ts_par *p = ts_par_new(b->front);
	title_page(b, p);
	b->has_contents = top_level(b) > 0;   /* no sections: no contents page */
	if (b->has_contents)
		contents(b, p);
	ts_par_free(p);
	ts_paginate(b->front, b->text_h, false);
	if (b->front->npages % 2) {   /* the body starts on a right-hand page */
		ts_v_newpage(b->front);
		ts_v_strut(b->front);
		ts_paginate(b->front, b->text_h, false);
	}
	ts_layout_place_marks(b->front);
	b->nfront = b->front->npages;
}

/* ---- running heads -------------------------------------------------------------- */

/* What the running head of a body page names: the section mark (index
 * into body->marks) of the last chapter on or before the page, and of the
 * last section (the first one on the page wins), or -1. */
struct qbk_head {
	int chapter, section;
	bool chapter_here;   /* a chapter starts on the page */
};

/* The heads of every body page in one pass over the marks (they come in
 * page order): a scan per page made long booklets quadratic. */
static void index_heads(qbk *b)
{
	const ts_layout *L = b->body;
	b->heads = qxmalloc(sizeof *b->heads * (size_t)(L->npages ? L->npages : 1));
	int chapter = -1, section = -1, m = 0;
	for (int j = 0; j < L->npages; j++) {
		struct qbk_head *h = &b->heads[j];
		h->chapter_here = false;
		int first_here = -1;
		for (; m < L->nmarks && L->marks[m].page <= j; m++) {
			int k = L->marks[m].kind;
			bool here = L->marks[m].page == j;
			if (k == MARK_CHAPTER) {
				chapter = m;
				h->chapter_here |= here;
			}
			if (k == MARK_SECTION || k == MARK_CHAPTER) {
				section = m;
				if (here && first_here < 0)
					first_here = m;
			}
		}
		h->chapter = chapter;
		h->section = first_here >= 0 ? first_here : section;
	}
}

static int mark_id(const qbk *b, int m)
{
	return m < 0 ? -1 : b->body->marks[m].id;
}

static void roman(int n, char *out, size_t cap)
{
	static const struct { int v; const char *s; } t[] = {
		{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"},
		{90, "xc"}, {50, "l"}, {40, "xl"}, {10, "x"}, {9, "ix"}, {5, "v"},
		{4, "iv"}, {1, "i"}};
	out[0] = '\0';
	for (size_t i = 0; i < sizeof t / sizeof t[0] && n > 0; i++)
		while (n >= t[i].v && strlen(out) + 3 < cap) {
			strcat(out, t[i].s);
			n -= t[i].v;
		}
}

/* A section's name as the running heads and bookmarks show it:
 * formulas as text (they are plain text). */
static const char *section_name(const qbk *b, int idx)
{
	if (idx < 0 || idx >= b->doc->nsections)
		return qdoc_title_shown(b->doc);
	const char *name = section_label(b->doc->sections[idx]);
	return name ? name : "";
}

/* The length of s's first max characters (all of s when shorter). */
static size_t prefix_chars(const char *s, size_t n, size_t max)
{
	size_t i = 0;
	for (size_t k = 0; i < n && k < max; k++)
		do
			i++;
		while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80);
	return i;
}

/* Is s[0..n) with an ellipsis after it at most w wide? */
static bool cut_fits(qbk *b, const ts_attr *a, const char *s, size_t n, float w, qbuf *out)
{
	qbuf_reset(out);
	qbuf_put(out, s, n);
	qbuf_puts(out, "\xE2\x80\xA6");
	return ts_text_width(b->fonts, a, out->ptr, out->len) <= w;
}

/* Head text shortened with an ellipsis to fit w: the longest prefix that
 * fits, found by halving (a wider prefix is never narrower). No head can
 * show more characters than w holds at a tenth of an em each, so a long
 * title (a whole paragraph made a heading) is measured only that far. */
static void fit_text(qbk *b, const ts_attr *a, const char *s, float w, qbuf *out)
{
	size_t n = strlen(s);
	size_t most = a->size > 0 ? (size_t)(w / (a->size * 0.1f)) + 1 : n;
	size_t cap = prefix_chars(s, n, most);
	qbuf_reset(out);
	qbuf_put(out, s, cap);
	if (cap == n && ts_text_width(b->fonts, a, out->ptr, out->len) <= w)
		return;
	if (cap < n && cut_fits(b, a, s, cap, w, out))
		return;
	size_t lo = 0, hi = cap;   /* hi's prefix does not fit; lo's does (0: checked last) */
	for (;;) {
		size_t mid = lo + (hi - lo) / 2;
		while (mid < hi && ((unsigned char)s[mid] & 0xC0) == 0x80)
			mid++;   /* on to a character's first byte */
		if (mid == lo)
			mid = prefix_chars(s + lo, hi - lo, 1) + lo;
		if (mid >= hi)
			break;
		if (cut_fits(b, a, s, mid, w, out))
			lo = mid;
		else
			hi = mid;
	}
	if (!cut_fits(b, a, s, lo, w, out))
		qbuf_reset(out);   /* not even the ellipsis fits */
}

typedef struct geom {
	float left, top, bottom;
	bool recto;
} geom;

static geom page_geom(const qbk *b, int k)
{
	geom g;
	g.recto = k % 2 == 0;
	g.left = g.recto ? b->st.margin_inner : b->st.margin_outer;
	g.top = b->st.page_h - b->st.margin_top;
	g.bottom = b->st.margin_bottom;
	return g;
}

static void folio_only(qbk *b, ts_drawer *dr, HPDF_Page hp, const geom *g,
		       const char *num)
{
	ts_attr f = {TS_BODY, b->st.folio.size, b->st.folio.color, 0, false, 0, false, 0};
	ts_draw_text(dr, hp, &f, g->left + b->text_w / 2, g->bottom - b->st.foot_gap,
		     num, strlen(num), TS_CENTER);
}

static void head_line(qbk *b, ts_drawer *dr, HPDF_Page hp, const geom *g,
		      const char *num, const char *title)
{
	const qbk_style *st = &b->st;
	ts_attr f = {TS_BODY, st->folio.size, st->folio.color, 0, false, 0, false, 0};
	ts_attr h = {TS_ITALIC, st->head.size, st->head.color, 0, false, 0, false, 0};
	float y = g->top + st->head_gap;
	float nw = ts_text_width(b->fonts, &f, num, strlen(num));
	fit_text(b, &h, title, b->text_w - nw - 24, &b->tmp);
	if (g->recto) {
		ts_draw_text(dr, hp, &h, g->left, y, b->tmp.ptr, b->tmp.len, TS_RAGGED);
		ts_draw_text(dr, hp, &f, g->left + b->text_w, y, num, strlen(num), TS_RIGHT);
	} else {
		ts_draw_text(dr, hp, &f, g->left, y, num, strlen(num), TS_RAGGED);
		ts_draw_text(dr, hp, &h, g->left + b->text_w, y, b->tmp.ptr, b->tmp.len,
			     TS_RIGHT);
	}
	if (st->head_rule != TS_NO_COLOR)
		ts_draw_rect(hp, g->left, y - st->head.size * 0.45f, b->text_w, 0.4f,
			     st->head_rule);
}

/* Does page p of L show anything? (The page that evens out the front
 * matter is empty and gets no head either.) */
static bool page_has_text(const ts_layout *L, int p)
{
	for (uint32_t i = L->pages[p].i0; i < L->pages[p].i1; i++)
		if (L->items[i].type != TS_V_GLUE && L->items[i].type != TS_V_PENALTY &&
		    (L->items[i].nruns || L->items[i].type == TS_V_RULE))
			return true;
	return false;
}

void qbk_draw_head(qbk *b, ts_drawer *dr, HPDF_Page hp, int k)
{
	geom g = page_geom(b, k);
	char num[32];
	int j = qbk_body_page(b, k);
	if (j < 0) {
		if (k == 0 || k >= b->front->npages || !page_has_text(b->front, k))
			return;
		roman(k + 1, num, sizeof num);
		bool opens = false;
		for (int m = 0; m < b->front->nmarks; m++)
			opens |= b->front->marks[m].page == k;
		if (opens)
			folio_only(b, dr, hp, &g, num);
		else
			head_line(b, dr, hp, &g, num, qw_word(b->words, QW_CONTENTS));
		return;
	}
	if (j >= b->body->npages)
		return;
	snprintf(num, sizeof num, "%d", j + 1);
	if (!b->heads)
		index_heads(b);
	const struct qbk_head *h = &b->heads[j];
	int chap = mark_id(b, h->chapter), sec = mark_id(b, h->section);
	if (h->chapter_here && b->chapter_pages) {
		folio_only(b, dr, hp, &g, num);
		return;
	}
	head_line(b, dr, hp, &g, num,
		  g.recto ? section_name(b, sec) : section_name(b, chap));
}

/* ---- outline ------------------------------------------------------------------------- */

HPDF_Destination qbk_mark_dest(qbk *b, HPDF_Page *pages, int mark)
{
	if (mark < 0 || mark >= b->body->nmarks)
		return NULL;
	const ts_mark *m = &b->body->marks[mark];
	int k = b->nfront + m->page;
	if (!pages[k])   /* in another volume */
		return NULL;
	HPDF_Destination d = HPDF_Page_CreateDestination(pages[k]);
	if (d)
		HPDF_Destination_SetFitH(d, b->st.page_h - b->st.margin_top - m->y + 4);
	return d;
}

const char *qbk_pdf_text(const char *s, size_t most, qbuf *out)
{
	qbuf_reset(out);
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p), kept = 0, l;
	for (size_t i = 0; i < n; i += l) {
		int32_t cp = qutf8_decode(p + i, n - i, &l);
		if (cp > 0xFFFF || cp == 0xFE0F || (cp == ' ' && !out->len))
			continue;   /* not encodable; a selector; a leading space */
		if (kept++ == most) {
			qbuf_puts(out, "\xE2\x80\xA6");
			break;
		}
		qbuf_put(out, p + i, l);
	}
	return out->len ? out->ptr : "?";
}

static HPDF_Outline add_outline(qbk *b, HPDF_Doc pdf, HPDF_Outline parent,
				const char *title, HPDF_Destination d)
{
	HPDF_Outline o = HPDF_CreateOutline(pdf, parent, qbk_pdf_text(title, QBK_MARK_CHARS, &b->tmp),
					    HPDF_GetEncoder(pdf, "UTF-8"));
	if (o && d) {
		HPDF_Outline_SetDestination(o, d);
		tsh_array_fit(d);   /* finished */
	}
	if (o)
		HPDF_Outline_SetOpened(o, HPDF_FALSE);
	return o;
}

/* The bookmarks not sealed yet (tsharu.h): the last one added and its
 * ancestors, each above its parent, with what its sealed children show. */
typedef struct openmarks {
	HPDF_Outline o[QMODEL_MAX_DEPTH + 4];
	unsigned shown[QMODEL_MAX_DEPTH + 4];
	int n;
	unsigned top_shown;   /* the sealed top-level bookmarks' */
} openmarks;

/* Bookmark o was added under parent (NULL: the top level): every open
 * bookmark above parent is finished (its children and the one after
 * it are added), so its bytes are written now and its objects freed. */
static void seal_finished(qbk *b, openmarks *om, HPDF_Outline parent, HPDF_Outline o)
{
	while (om->n && om->o[om->n - 1] != parent) {
		om->n--;
		unsigned s = tsh_outline_seal(om->o[om->n], om->shown[om->n], &b->tmp);
		if (om->n)
			om->shown[om->n - 1] += s;
		else
			om->top_shown += s;
	}
	if (o && om->n < (int)(sizeof om->o / sizeof om->o[0])) {
		om->o[om->n] = o;
		om->shown[om->n++] = 0;
	}
}

void qbk_outline(qbk *b, HPDF_Doc pdf, HPDF_Page *pages)
{
	const ts_layout *L = b->body;
	HPDF_Outline stack[QMODEL_MAX_DEPTH + 2];
	int levels[QMODEL_MAX_DEPTH + 2], sp = 0;
	openmarks om = {.n = 0, .top_shown = 0};
	if (b->has_contents && b->front->npages > 1 && pages[1]) {
		HPDF_Destination d = HPDF_Page_CreateDestination(pages[1]);
		seal_finished(b, &om, NULL, add_outline(b, pdf, NULL, qw_word(b->words, QW_CONTENTS), d));
	}
	for (int m = 0; m < L->nmarks; m++) {
		const ts_mark *mk = &L->marks[m];
		tsh_doc_grow(pdf);
		HPDF_Destination d = qbk_mark_dest(b, pages, m);
		if (!d)   /* in another volume */
			continue;
		if (mk->kind == MARK_CARD) {
			const qnode *c = b->doc->cards[mk->id];
			HPDF_Outline parent = sp ? stack[sp - 1] : NULL;
			seal_finished(b, &om, parent,
				      add_outline(b, pdf, parent,
						  qcard_shown(c) ? qcard_shown(c) : "?", d));
			continue;
		}
		if (mk->id < 0 || mk->id >= b->doc->nsections)
			continue;
		int level = b->doc->sections[mk->id]->u.section.level;
		while (sp && levels[sp - 1] >= level)
			sp--;
		HPDF_Outline parent = sp ? stack[sp - 1] : NULL;
		HPDF_Outline o = add_outline(b, pdf, parent, section_name(b, mk->id), d);
		seal_finished(b, &om, parent, o);
		if (sp < QMODEL_MAX_DEPTH + 2) {
			stack[sp] = o;
			levels[sp++] = level;
		}
	}
	seal_finished(b, &om, NULL, NULL);
	tsh_outline_seal_root(pdf, om.top_shown, &b->tmp);
}
