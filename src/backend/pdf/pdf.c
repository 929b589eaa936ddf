/* pdf.c - the `-t pdf` back end: the study model typeset as a booklet.
 *
 * Steps: read the style (styles/booklet.conf) and the font roles
 * (fonts/roles.conf); lay the body out and cut it into pages; record each
 * card's page for the EPUB and the deck; set the front matter (title page,
 * contents) whose page numbers are now known; draw every page with
 * libharu, with running heads, links, outline, page labels; save into
 * memory. With --impose a second document puts the same pages two-up on
 * sheets in saddle-stitch order. Nothing is written unless everything
 * worked: the CLI writes the buffers atomically.
 */
#include "pdf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../model/walk.h"
#include "../../util/fileio.h"
#include "../../util/utf8.h"
#include "../../typeset/tsharu.h"
#include "pdfint.h"

/* The roles used when fonts/roles.conf cannot be read. */
static const char default_roles[] =
	"body = /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf\n"
	"bold = /usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf\n"
	"italic = /usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf\n"
	"bolditalic = /usr/share/fonts/truetype/dejavu/DejaVuSerif-BoldItalic.ttf\n"
	"mono = /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf\n"
	"monobold = /usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf\n"
	"monoitalic = /usr/share/fonts/truetype/dejavu/DejaVuSansMono-Oblique.ttf\n"
	"sans = /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf\n"
	"sansbold = /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf\n"
	"symbols = /usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf\n"
	"cjk = /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf\n"
	"hangul = /usr/share/fonts/truetype/nanum/NanumGothic.ttf\n"
	"emoji = /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf\n";

typedef struct herr {
	HPDF_STATUS code, detail;
} herr;

static void on_hpdf_error(HPDF_STATUS code, HPDF_STATUS detail, void *user)
{
	herr *e = user;
	if (!e->code) {
		e->code = code;
		e->detail = detail;
	}
}

/* ---- configuration -------------------------------------------------------------- */

/* Read an optional file: the given path (must exist) or share/rel (may
 * be missing). Returns false on a missing explicit file. */
static bool read_conf(const char *given, const char *share, const char *rel,
		      qbuf *out, char *path, size_t cap, qdiags *d, const char *what)
{
	if (given)
		snprintf(path, cap, "%s", given);
	else
		snprintf(path, cap, "%s/%s", share ? share : ".", rel);
	char err[256];
	if (qfile_read_style(path, out, err, sizeof err) == QF_OK)
		return true;
	if (given) {
		qdiag_at(d, path, QD_ERROR, 0, "pdf", "cannot read the %s: %s", what, err);
		return false;
	}
	qdiag_at(d, path, QD_WARNING, 0, "pdf", "cannot read the %s: %s; using built-in defaults",
		 what, err);
	path[0] = '\0';
	return true;
}

static ts_fontset *load_fonts(const char *share, const char *fonts_path, qdiags *d)
{
	qbuf conf = QBUF_INIT;
	char path[4096];
	ts_fontset *fs = NULL;
	if (read_conf(fonts_path, share, "fonts/roles.conf", &conf, path, sizeof path, d,
		      "font roles")) {
		fs = ts_fontset_new();
		char dir[4096];
		snprintf(dir, sizeof dir, "%s", path);
		char *slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
		else
			snprintf(dir, sizeof dir, ".");
		bool ok = path[0] ? ts_fontset_load_conf(fs, conf.ptr, conf.len, dir, path, d)
				  : ts_fontset_load_conf(fs, default_roles, sizeof default_roles - 1,
							 "/", "(built-in roles)", d);
		if (!ok) {
			ts_fontset_free(fs);
			fs = NULL;
		}
	}
	qbuf_free(&conf);
	return fs;
}

static bool load_style(qbk *b, qdiags *d)
{
	const qpdf_opts *o = qpdf_opts_of(b->job);
	const char *paper = o->paper ? o->paper : "a5";
	qbk_style_defaults(&b->st, paper);
	qbuf conf = QBUF_INIT;
	char path[4096];
	bool ok = read_conf(o->style_path, b->job->share,
			    "styles/booklet.conf", &conf, path, sizeof path, d,
			    "booklet style");
	if (ok && path[0])
		qbk_style_parse(&b->st, paper, conf.ptr, conf.len, path, d);
	qbuf_free(&conf);
	return ok;
}

/* ---- characters no font has ------------------------------------------------------ */

typedef struct seen {
	uint32_t cp;
	int line, count;
} seen;

static void scan_text(ts_fontset *fs, const char *s, size_t n, int line,
		      seen **v, size_t *nv, size_t *cap)
{
	for (size_t i = 0; i < n;) {
		size_t l;
		int32_t c = qutf8_decode((const unsigned char *)s + i, n - i, &l);
		i += l;
		uint32_t cp = c < 0 ? 0xFFFD : (uint32_t)c;
		if (cp < 0x80 || ts_is_invisible(cp) || cp == 0xA0 || ts_font_covers(fs, cp))
			continue;
		size_t k = 0;
		while (k < *nv && (*v)[k].cp != cp)
			k++;
		if (k == *nv) {
			if (*nv == *cap) {
				*cap = *cap ? *cap * 2 : 16;
				*v = qxrealloc(*v, *cap * sizeof **v);
			}
			(*v)[(*nv)++] = (seen){cp, line, 0};
		}
		(*v)[k].count++;
	}
}

static void scan_str(ts_fontset *fs, const char *s, int line, seen **v,
		     size_t *nv, size_t *cap)
{
	if (s)
		scan_text(fs, s, strlen(s), line, v, nv, cap);
}

static void report_missing(const qdoc *doc, ts_fontset *fs, qdiags *d)
{
	seen *v = NULL;
	size_t nv = 0, cap = 0;
	scan_str(fs, qdoc_title_shown(doc), 1, &v, &nv, &cap);
	qiter it;
	qnode *n;
	qiter_init(&it, doc->root);
	while (qiter_next_of(&it, &n, QN_NONE)) {
		if (n->text && n->len)
			scan_text(fs, n->text, n->len, n->line, &v, &nv, &cap);
		if (n->type == QN_CARD)
			scan_str(fs, n->u.card.number, n->line, &v, &nv, &cap);
		/* formulas as text in the contents, heads and bookmarks */
		if (n->type == QN_CARD && qcard_shown(n) != n->u.card.plain)
			scan_str(fs, qcard_shown(n), n->line, &v, &nv, &cap);
		if (n->type == QN_SECTION && qsection_shown(n) != n->u.section.plain)
			scan_str(fs, qsection_shown(n), n->line, &v, &nv, &cap);
		if (n->type == QN_CODE)
			scan_str(fs, n->u.code.caption, n->line, &v, &nv, &cap);
		if (n->type == QN_LINK || n->type == QN_IMAGE)
			scan_str(fs, n->u.link.url, n->line, &v, &nv, &cap);
	}
	for (size_t i = 0; i < nv; i++) {
		char u[8] = {0};
		qbuf b = QBUF_INIT;
		qbuf_put_utf8(&b, v[i].cp);
		snprintf(u, sizeof u, "%s", b.ptr);
		qbuf_free(&b);
		qdiag_add(d, QD_WARNING, v[i].line, 0, "no-glyph",
			  "U+%04X '%s' is in no font of fonts/roles.conf; the booklet "
			  "shows a box (%d time%s)",
			  v[i].cp, u, v[i].count, v[i].count == 1 ? "" : "s");
	}
	free(v);
}

void qpdf_lint_chars(const qdoc *doc, const char *share, const char *fonts_path,
		     qdiags *d)
{
	if (!doc)
		return;
	ts_fontset *fs = load_fonts(share, fonts_path, d);
	if (fs)
		report_missing(doc, fs, d);
	ts_fontset_free(fs);
}

/* ---- layout ------------------------------------------------------------------------- */

static void layout_body(qbk *b)
{
	b->body = ts_layout_new(b->fonts, b->hyph);
	b->body->topskip = b->st.body.size * 1.05f;
	b->front = ts_layout_new(b->fonts, b->hyph);
	b->front->topskip = b->body->topskip;
	b->par = ts_par_new(b->body);
	qbk_build_body(b);
	ts_paginate(b->body, b->text_h, b->st.flush_bottom);
	if (b->body->npages == 0) {   /* an empty document still has a page */
		ts_v_strut(b->body);
		ts_paginate(b->body, b->text_h, false);
	}
	ts_layout_place_marks(b->body);
	qbk_build_front(b);
}

/* ---- drawing ------------------------------------------------------------------------ */

static HPDF_Doc new_doc(herr *e)
{
	return tsh_doc_new(on_hpdf_error, e);
}

static int total_pages(const qbk *b)
{
	return b->nfront + b->body->npages;
}

/* libharu 2.3.0 keeps every page in one /Kids array of at most
 * HPDF_LIMIT_MAX_ARRAY entries: HPDF_AddPage fails past it. A longer
 * booklet is written as volumes of at most this many pages (even, so
 * that each volume starts on a right-hand page). The environment
 * variable QUIRE_PDF_VOLUME_PAGES lowers it (tests: volumes of a few
 * pages instead of 32,766). */
#define VOLUME_PAGES (HPDF_LIMIT_MAX_ARRAY - 1)

static int volume_pages(void)
{
	const char *s = getenv("QUIRE_PDF_VOLUME_PAGES");
	long v = s && *s ? strtol(s, NULL, 10) : VOLUME_PAGES;
	if (v < 2 || v > VOLUME_PAGES)
		v = VOLUME_PAGES;
	return (int)(v & ~1L);
}

/* A part of the booklet: physical pages [k0, k1). */
typedef struct volume {
	int k0, k1;
} volume;

/* Draw physical page k (front matter, then the body) with its head. */
static void draw_phys(qbk *b, ts_drawer *dr, HPDF_Page hp, int k)
{
	bool recto = k % 2 == 0;
	float left = recto ? b->st.margin_inner : b->st.margin_outer;
	float top = b->st.page_h - b->st.margin_top;
	if (k < b->nfront)
		ts_draw_page(dr, hp, b->front, k, left, top, 1);
	else
		ts_draw_page(dr, hp, b->body, k - b->nfront, left, top, 0);
	qbk_draw_head(b, dr, hp, k);
}

/* Percent-encode what a URI may not hold (non-ASCII, spaces, quotes). */
static void uri_text(const char *s, size_t n, qbuf *out)
{
	static const char hex[] = "0123456789ABCDEF";
	qbuf_reset(out);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c >= 0x7F || c == '"' || c == '<' || c == '>' ||
		    c == '\\' || c == '{' || c == '}' || c == '|' || c == '^' || c == '`') {
			qbuf_putc(out, '%');
			qbuf_putc(out, hex[c >> 4]);
			qbuf_putc(out, hex[c & 15]);
		} else {
			qbuf_putc(out, c);
		}
	}
}

static void make_link(qbk *b, HPDF_Page *pages, const ts_linkrect *r)
{
	const ts_layout *L = r->tag == 1 ? b->front : b->body;
	if (r->link < 1 || r->link > L->nlinks)
		return;
	const ts_link *k = &L->links[r->link - 1];
	HPDF_Rect rect = {r->x0, r->y0, r->x1, r->y1};
	HPDF_Destination dst = NULL;
	if (k->kind == TS_LINK_MARK) {
		dst = qbk_mark_dest(b, pages, k->mark);
	} else if (L->pool.ptr[k->off] == '#') {
		void *v = qstrmap_get(&b->anchors, L->pool.ptr + k->off + 1, k->len - 1);
		if (v)
			dst = qbk_mark_dest(b, pages, (int)(intptr_t)v - 1);
	} else {
		/* libharu refuses a longer string; encoding never shortens it,
		 * and a long address is not encoded again for each line */
		bool too_long = k->len > HPDF_LIMIT_MAX_STRING_LEN;
		if (!too_long) {
			uri_text(L->pool.ptr + k->off, k->len, &b->tmp);
			too_long = b->tmp.len > HPDF_LIMIT_MAX_STRING_LEN;
		}
		if (too_long) {
			if (b->long_uri == r->link)   /* a rectangle per line: say it once */
				return;
			b->long_uri = r->link;
			qdiag_add(b->job->diags, QD_WARNING, 0, 0, "pdf",
				  "a link address of %zu bytes is longer than a PDF string "
				  "may be (%d): the booklet shows its text, not as a link",
				  (size_t)k->len, HPDF_LIMIT_MAX_STRING_LEN);
			return;
		}
		HPDF_Annotation a = HPDF_Page_CreateURILinkAnnot(r->page, rect, b->tmp.ptr);
		if (a && HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0) == HPDF_OK)
			tsh_dict_seal(a, &b->tmp);   /* finished: kept as its bytes */
		return;
	}
	if (dst) {
		tsh_array_fit(dst);
		HPDF_Annotation a = HPDF_Page_CreateLinkAnnot(r->page, rect, dst);
		if (a && HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0) == HPDF_OK)
			tsh_dict_seal(a, &b->tmp);
	}
}

/* One entry of the document's info; a text too long for a PDF string
 * (a whole paragraph made the title) is cut with an ellipsis. */
static void set_info(HPDF_Doc pdf, HPDF_InfoType what, const char *s)
{
	qbuf cut = QBUF_INIT;
	HPDF_SetInfoAttr(pdf, what,
			 strlen(s) > QBK_INFO_CHARS ? qbk_pdf_text(s, QBK_INFO_CHARS, &cut) : s);
	qbuf_free(&cut);
}

static void doc_info(qbk *b, HPDF_Doc pdf)
{
	tsh_doc_set_lang(pdf, b->doc->lang && *b->doc->lang ? b->doc->lang : "en");
	HPDF_SetCurrentEncoder(pdf, "UTF-8");
	set_info(pdf, HPDF_INFO_TITLE, qdoc_title_shown(b->doc));
	if (b->doc->author && *b->doc->author)
		set_info(pdf, HPDF_INFO_AUTHOR, b->doc->author);
	const char *about = b->doc->description && *b->doc->description ? b->doc->description
										: b->doc->subtitle;
	if (about && *about)
		set_info(pdf, HPDF_INFO_SUBJECT, about);
	if (b->doc->nkeywords) {
		qbuf_reset(&b->tmp);
		for (int i = 0; i < b->doc->nkeywords; i++)
			qbuf_printf(&b->tmp, "%s%s", i ? ", " : "", b->doc->keywords[i]);
		set_info(pdf, HPDF_INFO_KEYWORDS, b->tmp.ptr);
	}
	HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "quire");
	time_t e = b->job->epoch;
	struct tm tm;
	if (gmtime_r(&e, &tm)) {
		HPDF_Date dt = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
				tm.tm_min, tm.tm_sec, 'Z', 0, 0};
		HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, dt);
		HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, dt);
	}
}

static bool save_doc(HPDF_Doc pdf, qbuf *out)
{
	return tsh_save(pdf, out);
}

/* Page labels of a volume: roman for the front matter, then the body's
 * own numbers (a later volume goes on counting). */
static void page_labels(qbk *b, HPDF_Doc pdf, volume v)
{
	if (v.k0 < b->nfront) {
		HPDF_AddPageLabel(pdf, 0, HPDF_PAGE_NUM_STYLE_LOWER_ROMAN, 1, "");
		if (v.k1 > b->nfront)
			HPDF_AddPageLabel(pdf, (HPDF_UINT)(b->nfront - v.k0),
					  HPDF_PAGE_NUM_STYLE_DECIMAL, 1, "");
	} else {
		HPDF_AddPageLabel(pdf, 0, HPDF_PAGE_NUM_STYLE_DECIMAL,
				  (HPDF_UINT)(v.k0 - b->nfront + 1), "");
	}
}

/* The pages of volume v, in pages[v.k0 .. v.k1) (NULL elsewhere: links
 * and bookmarks to other volumes are left out). False when libharu
 * refuses a page. */
static bool add_pages(qbk *b, HPDF_Doc pdf, HPDF_Page *pages, volume v)
{
	for (int k = v.k0; k < v.k1; k++) {
		pages[k] = HPDF_AddPage(pdf);
		tsh_doc_grow(pdf);
		if (!pages[k] || HPDF_Page_SetWidth(pages[k], b->st.page_w) != HPDF_OK ||
		    HPDF_Page_SetHeight(pages[k], b->st.page_h) != HPDF_OK)
			return false;
		tsh_page_fit(pages[k]);
	}
	return true;
}

/* last_use: the layouts are not drawn again (one volume, no imposition):
 * they are freed once the pages are drawn. */
static bool draw_booklet(qbk *b, qbuf *out, herr *e, volume v, bool last_use)
{
	HPDF_Doc pdf = new_doc(e);
	if (!pdf)
		return false;
	ts_drawer *dr = ts_drawer_new(pdf, b->fonts, b->job->diags);
	ts_drawer_use_pool(dr, b->pool);
	int n = total_pages(b);
	HPDF_Page *pages = qxmalloc(sizeof *pages * (size_t)n);
	memset(pages, 0, sizeof *pages * (size_t)n);
	bool ok = add_pages(b, pdf, pages, v);
	for (int k = v.k0; ok && k < v.k1 && !e->code; k++) {
		ts_drawer_page_begin(dr, pages[k]);
		draw_phys(b, dr, pages[k], k);
		ts_drawer_page_done(dr, pages[k]);
		tsh_doc_grow(pdf);
		if (last_use && k >= b->nfront)   /* what only drawn pages use goes */
			ts_layout_forget(b->body, k - b->nfront + 1);
	}
	size_t nl;
	const ts_linkrect *links = ts_drawer_links(dr, &nl);
	for (size_t i = 0; ok && i < nl && !e->code; i++) {
		make_link(b, pages, &links[i]);
		tsh_doc_grow(pdf);
	}
	if (last_use) {   /* the pages are drawn: free their layout before saving */
		ts_layout_drop_content(b->body);
		ts_layout_drop_content(b->front);
	}
	if (ok && !e->code) {
		qbk_outline(b, pdf, pages);
		page_labels(b, pdf, v);
		HPDF_SetPageMode(pdf, HPDF_PAGE_MODE_USE_OUTLINE);
		doc_info(b, pdf);
	}
	ok = ok && !e->code && ts_drawer_finish(dr) && !e->code && save_doc(pdf, out) &&
	     !e->code;
	free(pages);
	ts_drawer_free(dr);
	HPDF_Free(pdf);
	return ok;
}

/* Where the pages of one side of a sheet go: scale and the spread's
 * rectangle (the two pages, spine edges meeting at the fold). With crop
 * marks a band around the spread is kept free for them. */
typedef struct slotgeom {
	float sw, sh;        /* the sheet, landscape */
	float s;             /* page scale */
	float x0, y0;        /* lower left of the spread */
	float pw, ph;        /* a page, scaled */
} slotgeom;

#define CROP_BAND (9 * 72 / 25.4f)
#define CROP_GAP (2.5f * 72 / 25.4f)
#define CROP_LEN (5 * 72 / 25.4f)

static slotgeom sheet_geom(const qbk *b)
{
	slotgeom g;
	g.sw = b->st.sheet_h;   /* landscape */
	g.sh = b->st.sheet_w;
	float band = b->st.crop_marks ? CROP_BAND : 0;
	g.s = fminf((g.sw / 2 - band) / b->st.page_w, (g.sh - 2 * band) / b->st.page_h);
	if (g.s > 1)
		g.s = 1;
	g.pw = b->st.page_w * g.s;
	g.ph = b->st.page_h * g.s;
	g.x0 = g.sw / 2 - g.pw;
	g.y0 = (g.sh - g.ph) / 2;
	return g;
}

/* One logical page into its half of a sheet. creep: how far its content
 * moves toward the fold (inner sheets of a thick booklet). */
static void impose_slot(qbk *b, ts_drawer *dr, HPDF_Page hp, int k, bool left,
			const slotgeom *g, float creep)
{
	if (k < 0)
		return;
	float fold = g->sw / 2;
	float ox = (left ? fold - g->pw + creep : fold - creep);
	float cx0 = left ? fold - g->pw : fold, cx1 = cx0 + g->pw;   /* the page */
	HPDF_Page_GSave(hp);
	HPDF_Page_Rectangle(hp, cx0, g->y0, cx1 - cx0, g->ph);
	HPDF_Page_Clip(hp);
	HPDF_Page_EndPath(hp);
	HPDF_Page_Concat(hp, g->s, 0, 0, g->s, ox, g->y0);
	draw_phys(b, dr, hp, k);
	HPDF_Page_GRestore(hp);
}

/* Crop marks at the corners of the spread and at the ends of the fold. */
static void crop_marks(HPDF_Page hp, const slotgeom *g)
{
	float xl = g->x0, xr = g->x0 + 2 * g->pw, yb = g->y0, yt = g->y0 + g->ph;
	float xs[3] = {xl, g->sw / 2, xr};
	HPDF_Page_SetRGBStroke(hp, 0, 0, 0);
	HPDF_Page_SetLineWidth(hp, 0.25f);
	for (int i = 0; i < 3; i++) {   /* vertical marks above and below */
		HPDF_Page_MoveTo(hp, xs[i], yt + CROP_GAP);
		HPDF_Page_LineTo(hp, xs[i], yt + CROP_GAP + CROP_LEN);
		HPDF_Page_MoveTo(hp, xs[i], yb - CROP_GAP);
		HPDF_Page_LineTo(hp, xs[i], yb - CROP_GAP - CROP_LEN);
	}
	float ys[2] = {yb, yt};
	for (int i = 0; i < 2; i++) {   /* horizontal marks left and right */
		HPDF_Page_MoveTo(hp, xl - CROP_GAP, ys[i]);
		HPDF_Page_LineTo(hp, xl - CROP_GAP - CROP_LEN, ys[i]);
		HPDF_Page_MoveTo(hp, xr + CROP_GAP, ys[i]);
		HPDF_Page_LineTo(hp, xr + CROP_GAP + CROP_LEN, ys[i]);
	}
	HPDF_Page_Stroke(hp);
}

static bool draw_imposed(qbk *b, qbuf *out, herr *e, volume v)
{
	HPDF_Doc pdf = new_doc(e);
	if (!pdf)
		return false;
	ts_drawer *dr = ts_drawer_new(pdf, b->fonts, b->job->diags);
	ts_drawer_use_pool(dr, b->pool);
	int n = v.k1 - v.k0, sides = ts_impose_sides(n);
	slotgeom g = sheet_geom(b);
	bool ok = true;
	for (int s = 0; ok && s < sides && !e->code; s++) {
		HPDF_Page hp = HPDF_AddPage(pdf);
		ok = hp && HPDF_Page_SetWidth(hp, g.sw) == HPDF_OK &&
		     HPDF_Page_SetHeight(hp, g.sh) == HPDF_OK;
		int l, r;
		ts_impose_side(n, s, &l, &r);
		/* sheet s / 2 from the outside: each sheet outside it pushes
		 * its pages out by the paper's thickness */
		float creep = b->st.creep * (float)(s / 2) / g.s;
		if (ok) {
			ts_drawer_page_begin(dr, hp);
			impose_slot(b, dr, hp, l < 0 ? -1 : v.k0 + l, true, &g, creep * g.s);
			impose_slot(b, dr, hp, r < 0 ? -1 : v.k0 + r, false, &g, creep * g.s);
			if (b->st.crop_marks)
				crop_marks(hp, &g);
			ts_drawer_page_done(dr, hp);
		}
	}
	if (ok && !e->code)
		doc_info(b, pdf);
	ok = ok && !e->code && ts_drawer_finish(dr) && !e->code && save_doc(pdf, out) &&
	     !e->code;
	ts_drawer_free(dr);
	HPDF_Free(pdf);
	return ok;
}

/* ---- the back end ------------------------------------------------------------------------ */

/* Is lang (its first two letters) one of codes, "zh ja ..."? */
static bool lang_among(const char *lang, const char *codes)
{
	if (!lang || !lang[0] || !lang[1] || (lang[2] && lang[2] != '-' && lang[2] != '_'))
		return false;
	for (const char *c = codes; c[0] && c[1]; c += c[2] ? 3 : 2)
		if ((lang[0] | 0x20) == c[0] && (lang[1] | 0x20) == c[1])
			return true;
	return false;
}

/* Is lang one with no words to hyphenate: Chinese and Japanese (no word
 * spaces), Korean (words broken between syllables), Vietnamese (one
 * syllable a word)? */
static bool lang_needs_no_hyphens(const char *lang)
{
	return lang_among(lang, "zh ja ko vi");
}

/* The languages Debian has a hyphen-LANG package of (others only get a
 * ragged-right booklet, without a package to name). */
static bool debian_has_hyphen(const char *lang)
{
	return lang_among(lang, "af as be bg bn ca cs da de el en es fr gl gu hi hr hu id is it "
				"kn lt lv ml mn mr nl no or pa pl pt ro ru sk sl sr sv ta te th uk zu");
}

/* The hyphenation dictionary of the notes' language. Without one the
 * booklet is set ragged-right (justified lines could only stretch), with
 * a warning naming the Debian package to install. */
static void open_hyphenation(qbk *b, qdiags *d)
{
	const char *lang = b->doc->lang && *b->doc->lang ? b->doc->lang : "en";
	if (!b->st.hyphenate || lang_needs_no_hyphens(lang))
		return;
	b->hyph = ts_hyph_open(lang, NULL, NULL);
	if (!b->hyph) {
		char pkg[16];
		size_t n = 0;
		for (; lang[n] && lang[n] != '-' && lang[n] != '_' && n < sizeof pkg - 1; n++)
			pkg[n] = (char)(lang[n] | 0x20);
		pkg[n] = '\0';
		if (debian_has_hyphen(lang))
			qdiag_add(d, QD_WARNING, 0, 0, "pdf",
				  "no hyphenation dictionary for the language '%s' (Debian package "
				  "hyphen-%s): the booklet is set ragged-right", lang, pkg);
		else
			qdiag_add(d, QD_WARNING, 0, 0, "pdf",
				  "no hyphenation dictionary for the language '%s' (Debian has "
				  "none): the booklet is set ragged-right", lang);
		b->st.justify = false;
		return;
	}
	ts_hyph_preload(b->hyph, b->pool);
}

static bool setup(qbk *b, const qjob *job)
{
	memset(b, 0, sizeof *b);
	b->job = job;
	b->doc = job->doc;
	b->words = qw_for(b->doc->lang);
	qbuf_init(&b->tmp);
	qbuf_init(&b->prose);
	qstrmap_init(&b->anchors);
	qstrmap_init(&b->pictures);
	b->pool = job->pool;
	if (!load_style(b, job->diags))
		return false;
	b->fonts = load_fonts(job->share, qpdf_opts_of(job)->fonts_path, job->diags);
	if (!b->fonts)
		return false;
	ts_fontset_text_emoji(b->fonts, !b->st.color_emoji);
	open_hyphenation(b, job->diags);
	b->text_w = b->st.page_w - b->st.margin_inner - b->st.margin_outer;
	b->text_h = b->st.page_h - b->st.margin_top - b->st.margin_bottom;
	if (b->text_w < 72 || b->text_h < 72) {
		qdiag_add(job->diags, QD_ERROR, 0, 0, "pdf",
			  "the margins leave no room for text (%.0f x %.0f pt)", b->text_w,
			  b->text_h);
		return false;
	}
	int ns = b->doc->nsections, nc = b->doc->ncards;
	b->section_mark = qxmalloc(sizeof(int) * (size_t)(ns + 1));
	b->card_mark = qxmalloc(sizeof(int) * (size_t)(nc + 1));
	for (int i = 0; i < ns; i++)
		b->section_mark[i] = -1;
	for (int i = 0; i < nc; i++)
		b->card_mark[i] = -1;
	return true;
}

void qbk_release(qbk *b)
{
	ts_par_free(b->par);
	ts_layout_free(b->body);
	ts_layout_free(b->front);
	ts_hyph_free(b->hyph);
	ts_fontset_free(b->fonts);
	free(b->section_mark);
	free(b->card_mark);
	qstrmap_free(&b->anchors);
	qstrmap_free(&b->pictures);
	free(b->figs);
	free(b->notes);
	free(b->note_queued);
	free(b->footq);
	free(b->heads);
	qbuf_free(&b->tmp);
	qbuf_free(&b->prose);
}

bool qbk_prepare(qbk *b, const qjob *job)
{
	if (!setup(b, job))
		return false;
	report_missing(job->doc, b->fonts, job->diags);
	layout_body(b);
	return true;
}

/* The booklet page of each card (a result for the EPUB and the deck). */
static int *card_pages(const qbk *b)
{
	int *pages = qxmalloc(sizeof(int) * (size_t)(b->doc->ncards + 1));
	for (int i = 0; i < b->doc->ncards; i++) {
		int m = b->card_mark[i];
		pages[i] = m >= 0 ? b->body->marks[m].page + 1 : 0;
	}
	return pages;
}

/* Draw volume v (and its imposed sheets) into outs. */
static bool write_volume(qbk *b, qoutputs *outs, herr *e, volume v, int nvol, int i)
{
	char suffix[32] = "", print[40];
	if (nvol > 1)
		snprintf(suffix, sizeof suffix, "-%d", i + 1);
	snprintf(print, sizeof print, "%s-print", suffix);
	bool impose = qpdf_opts_of(b->job)->impose;
	if (!draw_booklet(b, qoutputs_add(outs, suffix), e, v, nvol == 1 && !impose))
		return false;
	return !impose || draw_imposed(b, qoutputs_add(outs, print), e, v);
}

static qbstatus write_pdf(const qjob *job, qoutputs *outs)
{
	qbk b;
	qbstatus st = QB_FAILED;
	herr e = {0, 0};
	if (!qbk_prepare(&b, job))
		goto done;
	int n = total_pages(&b), per = volume_pages();
	int nvol = (n + per - 1) / per;
	const char *stem = job->doc->stem ? job->doc->stem : "notes";
	if (nvol > 1)
		qdiag_add(job->diags, QD_WARNING, 0, 0, "pdf",
			  "the booklet has %d pages, more than one PDF file holds "
			  "(%d, libharu's limit): written as %d volumes, %s-1.pdf to %s-%d.pdf",
			  n, per, nvol, stem, stem, nvol);
	for (int i = 0; i < nvol; i++) {
		volume v = {i * per, (i + 1) * per < n ? (i + 1) * per : n};
		if (!write_volume(&b, outs, &e, v, nvol, i))
			goto fail;
	}
	outs->card_pages = card_pages(&b);   /* the marks outlive the drawing */
	st = QB_OK;
	goto done;
fail:
	qdiag_add(job->diags, QD_ERROR, 0, 0, "pdf",
		  "libharu failed (error 0x%04X, detail %u); no PDF written",
		  (unsigned)e.code, (unsigned)e.detail);
done:
	qbk_release(&b);
	return st;
}

static void lint_pdf(const qjob *job)
{
	qpdf_lint_chars(job->doc, job->share, qpdf_opts_of(job)->fonts_path, job->diags);
}

const qbackend qbackend_pdf = {
	.write = write_pdf,
	.lint = lint_pdf,
};
