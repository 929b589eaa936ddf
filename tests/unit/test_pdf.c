/* test_pdf.c - the PDF back end: hand-built models (odd ones too), the
 * layout of every real notes file (no line past the measure, no question
 * or heading stranded at a page end, no table wider than the page, no
 * page overfull), card pages, determinism, imposition, the lint of
 * characters no font has, and clean failures. Run from the repository
 * root (it reads styles/, fonts/, input/ and tests/corpus). */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "backend/backend.h"
#include "backend/pdf/pdf.h"
#include "backend/pdf/pdfint.h"
#include "model/model.h"
#include "reader/reader.h"
#include "fixture.h"
#include "lines.h"
#include "testing.h"
#include "util/fileio.h"

extern const qbackend qbackend_pdf;

/* ---- models ------------------------------------------------------------ */






static qnode *table(qdoc *d, int rows, int cols)
{
	static const qalign al[8] = {QALIGN_LEFT, QALIGN_CENTER, QALIGN_RIGHT};
	qnode *t = qnode_new(d, QN_TABLE, 1);
	t->u.table.ncols = cols;
	t->u.table.header = true;
	t->u.table.align = al;
	qnode *cap = qnode_new(d, QN_CAPTION, 1);
	qnode_append(cap, text_node(d, QN_TEXT, "A caption"));
	qnode_append(t, cap);
	for (int r = 0; r < rows; r++) {
		qnode *row = qnode_new(d, QN_ROW, 1);
		for (int c = 0; c < cols; c++) {
			qnode *cell = qnode_new(d, QN_CELL, 1);
			qnode_append(cell, text_node(d, QN_TEXT, r ? "cell content that wraps a little" : "Head"));
			qnode_append(row, cell);
		}
		qnode_append(t, row);
	}
	return t;
}

static qdoc *sample_doc(void)
{
	qdoc *d = qdoc_new();
	d->title = "Sample notes";
	d->root = qnode_new(d, QN_DOCUMENT, 1);
	card(d, d->root, "Q0.", "A card at the root, outside sections?", para(d, "Yes."));
	qnode *s1 = section(d, d->root, 1, "First part");
	for (int i = 0; i < 30; i++)
		card(d, s1, "1.", "What is the difference between processes and threads?",
		     para(d, "Processes have separate memory; threads share it. "
			     "Caf\xC3\xA9 \xE2\x86\x92 na\xC3\xAFve \xE2\x9C\x85 \xE2\x9D\x8C "
			     "\xF0\x9F\x91\x89 \xCE\xB1\xCE\xB2\xCE\xB3 \xD0\x96 \xE4\xB8\xAD\xE6\x96\x87."));
	qnode *s2 = section(d, s1, 2, "Code and tables");
	card(d, s2, "Q2.", "Show code?", code(d, "python",
		"def f(x):\n    return x * 2  # a comment long enough to need a wrap somewhere on A5 paper\n"));
	card(d, s2, "Q3.", "Show a table?", table(d, 12, 3));
	section(d, d->root, 1, "An empty section");
	qdoc_index(d);
	return d;
}

static qbstatus run(const qdoc *doc, const qpdf_opts *o, qoutputs *outs,
		    int *pages, qdiags *d)
{
	qjob job = {.doc = doc, .epoch = 1700000000, .share = ".", .diags = d, .opts = o};
	qoutputs_init(outs);
	qbstatus st = qbackend_pdf.write(&job, outs);
	if (st == QB_OK && pages)   /* the booklet page of each card, returned */
		memcpy(pages, outs->card_pages, sizeof(int) * (size_t)doc->ncards);
	return st;
}

static bool is_pdf(const qbuf *b)
{
	return b->len > 1000 && memcmp(b->ptr, "%PDF-1.7", 8) == 0 &&
	       memcmp(b->ptr + b->len - 6, "%%EOF", 5) == 0;
}

/* Pages of a PDF: its page objects (libharu writes "/Type /Page\n"). */
static int count_pages(const qbuf *b)
{
	int n = 0;
	for (const char *p = b->ptr; (p = memmem(p, b->len - (size_t)(p - b->ptr),
						   "/Type /Page\n", 12)); p++)
		n++;
	return n;
}

TEST(sample_booklet)
{
	qdoc *doc = sample_doc();
	int pages[64] = {0};
	qdiags d;
	qdiags_init(&d, "sample.md");
	qpdf_opts o = {"a5", true, NULL, NULL};
	qoutputs outs;
	CHECK_INT(run(doc, &o, &outs, pages, &d), QB_OK);
	CHECK_INT(outs.n, 2);
	CHECK(is_pdf(&outs.v[0].data));
	CHECK(is_pdf(&outs.v[1].data));
	CHECK_STR(outs.v[1].suffix, "-print");
	for (int i = 0; i < doc->ncards; i++)
		CHECK(pages[i] >= 1);
	CHECK_INT(pages[0], 1);
	CHECK(pages[doc->ncards - 1] > pages[1]);
	/* same bytes twice */
	qoutputs again;
	qdiags d2;
	qdiags_init(&d2, "sample.md");
	CHECK_INT(run(doc, &o, &again, pages, &d2), QB_OK);
	CHECK(outs.v[0].data.len == again.v[0].data.len &&
	      memcmp(outs.v[0].data.ptr, again.v[0].data.ptr, outs.v[0].data.len) == 0);
	CHECK(memcmp(outs.v[1].data.ptr, again.v[1].data.ptr, outs.v[1].data.len) == 0);
	qoutputs_free(&again);
	qoutputs_free(&outs);
	qdiags_free(&d2);
	qdiags_free(&d);
	qdoc_free(doc);
}

TEST(odd_models)
{
	qdiags d;
	qdiags_init(&d, "odd.md");
	qpdf_opts o = {"letter", true, NULL, NULL};
	/* empty document */
	qdoc *e = qdoc_new();
	e->title = "";
	e->root = qnode_new(e, QN_DOCUMENT, 1);
	qdoc_index(e);
	qoutputs outs;
	CHECK_INT(run(e, &o, &outs, NULL, &d), QB_OK);
	CHECK(is_pdf(&outs.v[0].data));
	qoutputs_free(&outs);
	qdoc_free(e);
	/* deep nesting, a huge code block, a giant word, empty cells */
	qdoc *x = qdoc_new();
	x->title = "Odd";
	x->root = qnode_new(x, QN_DOCUMENT, 1);
	qnode *parent = x->root;
	for (int i = 0; i < QMODEL_MAX_DEPTH; i++) {
		qnode *q = qnode_new(x, i % 2 ? QN_QUOTE : QN_LIST, 1);
		qnode *item = i % 2 ? q : qnode_new(x, QN_ITEM, 1);
		if (!(i % 2))
			qnode_append(q, item);
		qnode_append(item, para(x, "nested text"));
		qnode_append(parent, q);
		parent = item;
	}
	qbuf big = QBUF_INIT;
	for (int i = 0; i < 20000; i++)
		qbuf_printf(&big, "line %d = some_function(argument, another_argument, %d)\n", i, i);
	qnode_append(x->root, code(x, "python", big.ptr));
	char word[3000];
	memset(word, 'w', sizeof word - 1);
	word[sizeof word - 1] = '\0';
	qnode_append(x->root, para(x, word));
	qnode_append(x->root, table(x, 3, 8));
	qdoc_index(x);
	CHECK_INT(run(x, &o, &outs, NULL, &d), QB_OK);
	CHECK(is_pdf(&outs.v[0].data));
	qoutputs_free(&outs);
	qbuf_free(&big);
	qdoc_free(x);
	qdiags_free(&d);
}

/* ---- layout checks on real notes ------------------------------------------ */

/* A question or heading at item i: its own lines and the first two lines
 * of what belongs to it (for a question, its answer: the lines up to the
 * next question, heading or separator rule) are on i's page. */
static bool kept_with_two_lines(const ts_layout *L, int m)
{
	uint32_t i = L->marks[m].item;
	uint32_t next = m + 1 < L->nmarks ? L->marks[m + 1].item : (uint32_t)L->nitems;
	int pg = ts_item_page(L, i);
	uint32_t end = L->pages[pg].i1;
	uint32_t k = i + 1;
	while (k < L->nitems && !(L->items[k].type == TS_V_GLUE &&
				  (L->items[k].flags & TS_VF_SPACE))) {
		if (L->items[k].type == TS_V_LINE && k >= end)
			return false;   /* the title itself is split */
		k++;
	}
	bool card = L->marks[m].kind == MARK_CARD;
	int after = 0;
	for (; k < L->nitems && after < 2; k++) {
		bool box = L->items[k].type == TS_V_LINE || L->items[k].type == TS_V_RULE;
		if (card && (k >= next || L->items[k].type == TS_V_RULE))
			break;   /* a short answer: all of it */
		if (box) {
			if (k >= end)
				return false;
			after++;
		}
	}
	return true;
}

static float content_height(const ts_layout *L, int pg)
{
	const ts_page *P = &L->pages[pg];
	float y = P->repeat_table >= 0 ? L->tables[P->repeat_table].head_h : 0;
	bool first = P->repeat_table < 0;
	for (uint32_t i = P->i0; i < P->i1; i++) {
		const ts_vitem *it = &L->items[i];
		if (it->type == TS_V_LINE) {
			y += (first && it->h < L->topskip ? L->topskip : it->h) + it->d;
			first = false;
		} else if (it->type == TS_V_RULE) {
			y += it->h;
			first = false;
		} else if (it->type == TS_V_GLUE) {
			y += it->h + (P->ratio > 0 ? P->ratio * it->stretch : P->ratio * it->shrink);
		}
	}
	return y;
}

static int check_layout(const char *path, const char *paper)
{
	qbuf data = QBUF_INIT;
	char err[256];
	if (qfile_read(path, &data, 0, err, sizeof err) != QF_OK)
		return -1;
	qdiags d;
	qdiags_init(&d, path);
	qread_opts ro = {.path = path};
	qdoc *doc = qread(data.ptr, data.len, &ro, &d);
	qpdf_opts o = {paper, false, NULL, NULL};
	qjob job = {.doc = doc, .share = ".", .diags = &d, .opts = &o};
	qbk b;
	int bad = 0;
	if (!qbk_prepare(&b, &job)) {
		bad = 1000;
		goto out;
	}
	const ts_layout *L = b.body;
	for (size_t i = 0; i < L->nitems; i++) {
		const ts_vitem *it = &L->items[i];
		if (it->type == TS_V_LINE && (line_right(L, it) > b.text_w + 0.01f ||
					      line_left(L, it) < -0.01f)) {
			printf("# %s: line %zu spans %.2f..%.2f of %.2f\n", path, i,
			       line_left(L, it), line_right(L, it), b.text_w);
			bad++;
		}
		if (it->type == TS_V_RULE && it->x + it->w > b.text_w + 0.01f)
			bad++;   /* a table wider than the page */
	}
	for (int m = 0; m < L->nmarks; m++)
		if (!kept_with_two_lines(L, m)) {
			printf("# %s (%s): %s %d stranded at the foot of page %d\n", path,
			       paper, L->marks[m].kind == MARK_CARD ? "question" : "heading",
			       L->marks[m].id, L->marks[m].page + 1);
		}
	for (int pg = 0; pg < L->npages; pg++)
		if (content_height(L, pg) > b.text_h + 0.05f) {
			printf("# %s: page %d overfull: %.2f > %.2f\n", path, pg + 1,
			       content_height(L, pg), b.text_h);
			bad++;
		}
	for (int i = 0; i < doc->ncards; i++)
		if (b.card_mark[i] < 0 || L->marks[b.card_mark[i]].page < 0 ||
		    L->marks[b.card_mark[i]].page >= L->npages)
			bad++;
out:
	qbk_release(&b);
	qdoc_free(doc);
	qdiags_free(&d);
	qbuf_free(&data);
	return bad;
}

TEST(layout_of_real_notes)
{
	const char *files[8];
	char names[8][300];
	int n = 0;
	DIR *dir = opendir("input");
	struct dirent *e;
	while (dir && (e = readdir(dir)) && n < 7) {
		size_t l = strlen(e->d_name);
		if (l > 3 && strcmp(e->d_name + l - 3, ".md") == 0) {
			snprintf(names[n], sizeof names[n], "input/%s", e->d_name);
			files[n] = names[n];
			n++;
		}
	}
	if (dir)
		closedir(dir);
	if (access("tests/corpus/python-fastapi-notes.md", R_OK) == 0)
		files[n++] = "tests/corpus/python-fastapi-notes.md";
	CHECK(n >= 1);
	const char *papers[] = {"a5", "a4", "letter"};
	for (int i = 0; i < n; i++)
		for (int p = 0; p < 3; p++)
			CHECK_INT(check_layout(files[i], papers[p]), 0);
}

/* ---- characters, fonts, failures -------------------------------------------- */

TEST(lint_names_characters_no_font_has)
{
	qdoc *doc = qdoc_new();
	doc->title = "t";
	doc->root = qnode_new(doc, QN_DOCUMENT, 1);
	qnode *p = para(doc, "Sinhala \xE0\xB6\x9E and a hieroglyph \xF0\x93\x80\x80 here; "
			     "\xE2\x9C\x85 \xF0\x9F\x91\x89 are fine.");
	p->line = 7;
	p->first->line = 7;
	qnode_append(doc->root, p);
	qdoc_index(doc);
	qdiags d;
	qdiags_init(&d, "notes.md");
	qpdf_lint_chars(doc, ".", NULL, &d);
	CHECK_INT(qdiags_count(&d, "no-glyph"), 2);
	bool sinhala = false, hiero = false;
	for (size_t i = 0; i < d.n; i++) {
		sinhala |= strstr(d.v[i].msg, "U+0D9E") && d.v[i].line == 7;
		hiero |= strstr(d.v[i].msg, "U+13000") && d.v[i].line == 7;
	}
	CHECK(sinhala && hiero);
	/* a build reports them too, and still writes the booklet */
	qdiags d2;
	qdiags_init(&d2, "notes.md");
	qoutputs outs;
	qpdf_opts o = {"a5", false, NULL, NULL};
	CHECK_INT(run(doc, &o, &outs, NULL, &d2), QB_OK);
	CHECK_INT(qdiags_count(&d2, "no-glyph"), 2);
	qoutputs_free(&outs);
	qdiags_free(&d2);
	qdiags_free(&d);
	qdoc_free(doc);
}

static void write_file(const char *path, const char *text)
{
	char err[128];
	qfile_write_atomic(path, text, strlen(text), err, sizeof err);
}

TEST(missing_font_warns_and_falls_back)
{
	char dir[] = "/tmp/quire-pdf-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char conf[300];
	snprintf(conf, sizeof conf, "%s/roles.conf", dir);
	write_file(conf, "body = /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf\n"
			 "bold = missing-bold.ttf ; /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf\n"
			 "italic = /nowhere/Italic.ttf\n");
	qdoc *doc = sample_doc();
	qdiags d;
	qdiags_init(&d, "notes.md");
	qpdf_opts o = {"a5", false, NULL, conf};
	qoutputs outs;
	CHECK_INT(run(doc, &o, &outs, NULL, &d), QB_OK);
	CHECK(is_pdf(&outs.v[0].data));
	bool bold = false, italic = false;
	for (size_t i = 0; i < d.n; i++) {
		bold |= strstr(d.v[i].msg, "'bold'") && strstr(d.v[i].msg, "missing-bold.ttf") &&
			strstr(d.v[i].msg, "DejaVuSans-Bold.ttf");
		italic |= strstr(d.v[i].msg, "'italic'") && strstr(d.v[i].msg, "Italic.ttf");
	}
	CHECK(bold && italic);
	qoutputs_free(&outs);
	/* no usable font at all: a clean failure */
	write_file(conf, "body = /nowhere/a.ttf\n");
	qdiags d2;
	qdiags_init(&d2, "notes.md");
	CHECK_INT(run(doc, &o, &outs, NULL, &d2), QB_FAILED);
	CHECK(d2.errors >= 1);
	qoutputs_free(&outs);
	unlink(conf);
	rmdir(dir);
	qdiags_free(&d2);
	qdiags_free(&d);
	qdoc_free(doc);
}

TEST(style_file_problems_are_reported)
{
	char dir[] = "/tmp/quire-style-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char path[300];
	snprintf(path, sizeof path, "%s/booklet.conf", dir);
	write_file(path, "# a style\nbody.size = 11pt  # bigger\nbody.colour = #123456\n"
			 "code.background = #zzz\nmargin.inner = 20mm\nlink.color = #abc\n");
	qbk_style s;
	qbk_style_defaults(&s, "a5");
	qdiags d;
	qdiags_init(&d, "notes.md");
	qbuf text = QBUF_INIT;
	char err[128];
	qfile_read(path, &text, 0, err, sizeof err);
	qbk_style_parse(&s, "a5", text.ptr, text.len, path, &d);
	CHECK(fabsf(s.body.size - 11) < 0.001f);
	CHECK(fabsf(s.margin_inner - 20 * 72 / 25.4f) < 0.01f);
	CHECK_INT(s.link_color, 0xAABBCC);
	CHECK_INT(d.n, 2);
	/* the messages name the style file and its line, not the notes */
	CHECK_STR(d.v[0].file, path);
	CHECK_INT(d.v[0].line, 3);
	CHECK(strstr(d.v[0].msg, "unknown key 'body.colour'") != NULL);
	CHECK_STR(d.v[1].file, path);
	CHECK_INT(d.v[1].line, 4);
	CHECK(strstr(d.v[1].msg, "bad value") != NULL);
	/* an explicit style file that does not exist fails the build */
	qdoc *doc = sample_doc();
	qpdf_opts o = {"a5", false, "/nowhere/booklet.conf", NULL};
	qoutputs outs;
	qdiags d2;
	qdiags_init(&d2, "notes.md");
	CHECK_INT(run(doc, &o, &outs, NULL, &d2), QB_FAILED);
	qoutputs_free(&outs);
	qdiags_free(&d2);
	qdoc_free(doc);
	qbuf_free(&text);
	unlink(path);
	rmdir(dir);
	qdiags_free(&d);
}

/* An inline container holding one text. */
static qnode *wrap(qdoc *d, qtype t, const char *s)
{
	qnode *n = qnode_new(d, t, 5);
	qnode_append(n, text_node(d, QN_TEXT, s));
	return n;
}

/* Issue 9: sub- and superscripts set smaller and shifted, struck text,
 * highlights, clozes and math as TeX in the mono face; the contents of
 * notes whose headings all start at ### list them; notes without
 * headings get no contents page; bookmarks are plain text. */
TEST(inline_styles_contents_and_bookmarks)
{
	qdoc *doc = qdoc_new();
	doc->title = "Inline";
	doc->root = qnode_new(doc, QN_DOCUMENT, 1);
	qnode *s = section(doc, doc->root, 3, "Deep section");
	qnode *p = qnode_new(doc, QN_PARAGRAPH, 5);
	qnode_append(p, text_node(doc, QN_TEXT, "H"));
	qnode_append(p, wrap(doc, QN_SUB, "2"));
	qnode_append(p, text_node(doc, QN_TEXT, "O x"));
	qnode_append(p, wrap(doc, QN_SUP, "2"));
	qnode_append(p, text_node(doc, QN_TEXT, " "));
	qnode_append(p, wrap(doc, QN_STRIKE, "gone"));
	qnode_append(p, text_node(doc, QN_TEXT, " "));
	qnode_append(p, wrap(doc, QN_MARK, "marked"));
	qnode_append(p, text_node(doc, QN_TEXT, " "));
	qnode_append(p, wrap(doc, QN_CLOZE, "hidden"));
	qnode_append(p, text_node(doc, QN_TEXT, " "));
	qnode_append(p, text_node(doc, QN_MATH, "E=mc^2"));
	qnode *c = card(doc, s, "Q1:", "What is `water`?", p);
	(void)c;
	qnode_append(s, text_node(doc, QN_MATH_BLOCK, "\\int_0^1 x^2\\,dx"));
	qdoc_index(doc);
	qdiags d;
	qdiags_init(&d, "inline.md");
	qpdf_opts o = {"a5", false, NULL, NULL};
	qjob job = {.doc = doc, .share = ".", .diags = &d, .opts = &o};
	qbk b;
	CHECK(qbk_prepare(&b, &job));
	CHECK(b.has_contents);
	const ts_layout *L = b.body;
	int mono = ts_font_role_face(b.fonts, TS_MONO);
	bool sub = false, sup = false, strike = false, mark = false, cloze = false;
	int math = 0;
	for (size_t i = 0; i < L->nruns; i++) {
		const ts_run *r = &L->runs[i];
		const char *t = L->pool.ptr + r->off;
		sub |= r->len == 1 && *t == '2' && r->rise < 0 && r->size < b.st.body.size;
		sup |= r->len == 1 && *t == '2' && r->rise > 0 && r->size < b.st.body.size;
		strike |= r->strike && r->len == 4 && memcmp(t, "gone", 4) == 0;
		mark |= r->bg == b.st.mark_bg && r->len == 6 && memcmp(t, "marked", 6) == 0;
		cloze |= r->bg == b.st.cloze_bg && r->len == 6 && memcmp(t, "hidden", 6) == 0;
		/* a formula is typeset and copies as its TeX (a span's text) */
		math += (r->kind == TS_RUN_SPAN_BEGIN || r->face == mono)
			&& (memmem(t, r->len, "E=mc^2", 6) || memchr(t, '\\', r->len));
	}
	CHECK(sub && sup && strike && mark && cloze);
	CHECK(math >= 2);
	/* the contents list the level-3 section */
	bool listed = false;
	for (size_t i = 0; i < b.front->nruns; i++)
		listed |= b.front->runs[i].len == 4 &&
			  memcmp(b.front->pool.ptr + b.front->runs[i].off, "Deep", 4) == 0;
	CHECK(listed);
	qbk_release(&b);
	/* bookmarks: the question's plain text, no number prefix */
	qoutputs outs;
	CHECK_INT(run(doc, &o, &outs, NULL, &d), QB_OK);
	/* outline titles are UTF-16BE in hex: "What is" is there, the
	 * number "Q1:" is not (the fixture's plain text keeps backticks; the
	 * reader's has none) */
	const char *data = outs.v[0].data.ptr;
	size_t len = outs.v[0].data.len;
	CHECK(memmem(data, len, "<FEFF00570068006100740020006900730020", 37) != NULL);
	CHECK(memmem(data, len, "00510031003A", 12) == NULL);
	qoutputs_free(&outs);
	qdoc_free(doc);
	/* no headings: title page and body only, no contents page */
	qdoc *flat = qdoc_new();
	flat->title = "Flat";
	flat->root = qnode_new(flat, QN_DOCUMENT, 1);
	card(flat, flat->root, NULL, "What?", para(flat, "Nothing."));
	qdoc_index(flat);
	job.doc = flat;
	CHECK(qbk_prepare(&b, &job));
	CHECK(!b.has_contents);
	bool contents = false;
	for (size_t i = 0; i < b.front->nruns; i++)
		contents |= b.front->runs[i].len == 8 &&
			    memcmp(b.front->pool.ptr + b.front->runs[i].off, "Contents", 8) == 0;
	CHECK(!contents);
	CHECK_INT(b.nfront, 2);
	qbk_release(&b);
	qdoc_free(flat);
	qdiags_free(&d);
}

/* Issue 12: a callout is a framed note in the booklet: its lines in one
 * tinted group with a border, its title bold in the title colour. */
TEST(callout_is_framed)
{
	qdoc *doc = qdoc_new();
	doc->title = "Callouts";
	doc->root = qnode_new(doc, QN_DOCUMENT, 1);
	qnode *s = section(doc, doc->root, 1, "Notes");
	qnode *co = qnode_new(doc, QN_CALLOUT, 5);
	qnode *cap = qnode_new(doc, QN_CAPTION, 5);
	qnode_append(cap, text_node(doc, QN_TEXT, "Mind"));
	qnode_append(co, cap);
	qnode_append(co, para(doc, "Inside"));
	card(doc, s, NULL, "What is framed?", co);
	qnode *after = para(doc, "Outside");
	qnode_append(s->last, after);
	qdoc_index(doc);
	qdiags d;
	qdiags_init(&d, "callout.md");
	qpdf_opts o = {"a5", false, NULL, NULL};
	qjob job = {.doc = doc, .share = ".", .diags = &d, .opts = &o};
	qbk b;
	CHECK(qbk_prepare(&b, &job));
	const ts_layout *L = b.body;
	int frame = -1;
	for (int g = 0; g < (int)L->ngroups; g++)
		if (L->groups[g].kind == TS_GROUP_BG && L->groups[g].border == b.st.callout_border
		    && L->groups[g].color == b.st.callout_bg)
			frame = g;
	CHECK(frame >= 0);
	int in_frame = 0, outside = 0;
	bool bold_title = false;
	int bold = ts_font_role_face(b.fonts, TS_BOLD);
	for (size_t i = 0; i < L->nitems; i++) {
		const ts_vitem *it = &L->items[i];
		if (it->type != TS_V_LINE)
			continue;
		for (uint32_t r = it->run0; r < it->run0 + it->nruns; r++) {
			const ts_run *run = &L->runs[r];
			const char *t = L->pool.ptr + run->off;
			if (run->len == 6 && !memcmp(t, "Inside", 6))
				in_frame += it->group == frame;
			if (run->len == 7 && !memcmp(t, "Outside", 7))
				outside += it->group != frame;
			if (run->len == 4 && !memcmp(t, "Mind", 4))
				bold_title = it->group == frame && run->face == bold
					     && run->color == b.st.callout_title;
		}
	}
	CHECK_INT(in_frame, 1);
	CHECK_INT(outside, 1);
	CHECK(bold_title);
	qbk_release(&b);
	qdoc_free(doc);
	qdiags_free(&d);
}

/* Issue 15: straight quotes in prose become the language's typographic
 * quotes; code keeps its own. */
TEST(typographic_quotes_in_prose_only)
{
	const char *langs[] = {"en", "de", "fr"};
	const char *want[] = {"\xE2\x80\x9Chi\xE2\x80\x9D", "\xE2\x80\x9Ehi\xE2\x80\x9C",
			      "\xC2\xABhi\xC2\xBB"};   /* French: no-break spaces inside, as glue */
	for (int k = 0; k < 3; k++) {
		qdoc *doc = qdoc_new();
		doc->title = "Quotes";
		doc->lang = langs[k];
		doc->root = qnode_new(doc, QN_DOCUMENT, 1);
		qnode *p = qnode_new(doc, QN_PARAGRAPH, 5);
		qnode_append(p, text_node(doc, QN_TEXT, "He said \"hi\" and it's "));
		qnode_append(p, text_node(doc, QN_CODE_SPAN, "x = \"y\""));
		card(doc, doc->root, NULL, "What?", p);
		qdoc_index(doc);
		qdiags d;
		qdiags_init(&d, "q.md");
		qpdf_opts o = {"a5", false, NULL, NULL};
		qjob job = {.doc = doc, .share = ".", .diags = &d, .opts = &o};
		qbk b;
		CHECK(qbk_prepare(&b, &job));
		const qbuf *pool = &b.body->pool;
		if (!memmem(pool->ptr, pool->len, want[k], strlen(want[k])))
			printf("# %s: %.*s\n", langs[k], (int)(pool->len > 200 ? 200 : pool->len), pool->ptr);
		CHECK(memmem(pool->ptr, pool->len, want[k], strlen(want[k])) != NULL);
		CHECK(memmem(pool->ptr, pool->len, "it\xE2\x80\x99s", 5) != NULL);
		CHECK(memmem(pool->ptr, pool->len, "\"y\"", 3) != NULL);
		qbk_release(&b);
		qdiags_free(&d);
		qdoc_free(doc);
	}
}

/* A topic card's question is its section's title: the booklet prints
 * the title once (as the EPUB does), and the card still has its place
 * (its booklet page for the deck, its anchor). */
TEST(topic_card_prints_its_title_once)
{
	for (int topic = 0; topic < 2; topic++) {
		qdoc *doc = qdoc_new();
		doc->title = "Topics";
		doc->root = qnode_new(doc, QN_DOCUMENT, 1);
		qnode *s = section(doc, doc->root, 2, "Volumes");
		qnode *c = card(doc, s, NULL, "Volumes", para(doc, "Data that outlives a container."));
		c->u.card.topic = topic;
		qdoc_index(doc);
		qdiags d;
		qdiags_init(&d, "t.md");
		qpdf_opts o = {"a5", false, NULL, NULL};
		qjob job = {.doc = doc, .share = ".", .diags = &d, .opts = &o};
		qbk b;
		CHECK(qbk_prepare(&b, &job));
		const qbuf *pool = &b.body->pool;
		size_t seen = 0;
		for (const char *p = pool->ptr; (p = memmem(p, pool->len - (size_t)(p - pool->ptr),
							    "Volumes", 7)); p++)
			seen++;
		CHECK_INT((int)seen, topic ? 1 : 2);
		CHECK(b.card_mark[c->u.card.index] >= 0);
		qbk_release(&b);
		qdiags_free(&d);
		qdoc_free(doc);
	}
}

/* The run of the body that starts with text and its line, or NULL. */
static const ts_run *run_with(const ts_layout *L, const char *text, long *line)
{
	size_t n = strlen(text);
	*line = -1;
	for (size_t i = 0; i < L->nitems; i++) {
		const ts_vitem *it = &L->items[i];
		if (it->type != TS_V_LINE)
			continue;
		for (uint32_t r = it->run0; r < it->run0 + it->nruns; r++)
			if (L->runs[r].len >= n && !memcmp(L->pool.ptr + L->runs[r].off, text, n)) {
				*line = (long)i;
				return &L->runs[r];
			}
	}
	return NULL;
}

/* A list item that opens with a code block (a fenced block inside
 * "1. ```py", or code the reader lifted into an item) has its number
 * beside the block's first line, where a paragraph's would be, not on a
 * line of its own above the box; with a caption, beside the caption. */
TEST(list_label_beside_code_block)
{
	qdoc *doc = qdoc_new();
	doc->title = "Labels";
	doc->root = qnode_new(doc, QN_DOCUMENT, 1);
	qnode *list = qnode_new(doc, QN_LIST, 2);
	list->u.list.ordered = true;
	list->u.list.start = 7;
	qnode *items[3];
	for (int k = 0; k < 3; k++) {
		items[k] = qnode_new(doc, QN_ITEM, 2 + k);
		qnode_append(list, items[k]);
	}
	qnode_append(items[0], code(doc, "python", "def f(x):\n    return x\n"));
	qnode *cap = code(doc, "python", "def g(y):\n    return y\n");
	cap->u.code.caption = "g.py";
	qnode_append(items[1], cap);
	qnode_append(items[2], para(doc, "Then run it."));
	card(doc, doc->root, NULL, "How?", list);
	qdoc_index(doc);
	qdiags d;
	qdiags_init(&d, "l.md");
	qpdf_opts o = {"a5", false, NULL, NULL};
	qjob job = {.doc = doc, .share = ".", .diags = &d, .opts = &o};
	qbk b;
	CHECK(qbk_prepare(&b, &job));
	const ts_layout *L = b.body;
	long seven, eight, nine, code, caption, text;
	const ts_run *l7 = run_with(L, "7.", &seven), *l8 = run_with(L, "8.", &eight);
	const ts_run *l9 = run_with(L, "9.", &nine);
	run_with(L, "def", &code);   /* the first block's */
	run_with(L, "g.py", &caption);
	run_with(L, "Then", &text);
	CHECK(l7 && l8 && l9);
	CHECK(seven >= 0 && seven == code);
	CHECK(eight >= 0 && eight == caption);
	CHECK(nine >= 0 && nine == text);
	if (l7 && l9) {   /* they end the same gap left of the block and the text */
		const ts_vitem *a = &L->items[seven], *p = &L->items[nine];
		CHECK(fabsf((a->x + l7->x + l7->w) - (p->x + l9->x + l9->w)) < 0.01f);
		CHECK(l7->x + l7->w < 0);
	}
	qbk_release(&b);
	qdiags_free(&d);
	qdoc_free(doc);
}

/* A displayed formula completes the sentence before it (`Therefore:`):
 * no page ends with that line while the formula opens the next one (TeX's
 * \predisplaypenalty), nor does a page open with the full stop after
 * it. Forty lead-ins at every height of the page. */
TEST(display_kept_with_its_lead_in)
{
	qdoc *doc = qdoc_new();
	doc->title = "Lead-ins";
	doc->root = qnode_new(doc, QN_DOCUMENT, 1);
	qnode *s = section(doc, doc->root, 1, "Sums");
	static const char sum[] = "\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}";
	for (int k = 0; k < 40; k++) {
		static const char *const fill[] = {
			"This paragraph fills the page with ordinary prose about series and "
			"sums, so that the lead-in line falls near the foot of the page.",
			"A shorter paragraph of one line or two.",
			"This paragraph fills the page with ordinary prose about series and "
			"sums, so that the lead-in line falls near the foot of the page "
			"where the booklet would break, sooner or later, at every height."};
		qnode_append(s, para(doc, fill[k % 3]));
		qnode_append(s, para(doc, "Therefore:"));
		qnode_append(s, qnode_new_text(doc, QN_MATH_BLOCK, 1, sum, strlen(sum)));
		if (k % 2)   /* `$$ ... $$.`: the sentence's full stop stays with it */
			qnode_append(s, para(doc, "."));
	}
	qdoc_index(doc);
	qdiags d;
	qdiags_init(&d, "lead.md");
	qpdf_opts o = {"a5", false, NULL, NULL};
	qjob job = {.doc = doc, .share = ".", .diags = &d, .opts = &o};
	qbk b;
	CHECK(qbk_prepare(&b, &job));
	const ts_layout *L = b.body;
	int leads = 0, stops = 0, apart = 0;
	for (size_t i = 0; i < L->nitems; i++) {
		const ts_vitem *it = &L->items[i];
		if (it->type != TS_V_LINE || it->nruns != 1 || L->runs[it->run0].len != 10
		    || memcmp(L->pool.ptr + L->runs[it->run0].off, "Therefore:", 10))
			continue;
		size_t j = i + 1;
		while (j < L->nitems && L->items[j].type != TS_V_LINE)
			j++;
		leads++;
		apart += j < L->nitems && ts_item_page(L, (uint32_t)i) != ts_item_page(L, (uint32_t)j);
		size_t stop = j + 1;   /* the line after the display */
		while (stop < L->nitems && L->items[stop].type != TS_V_LINE)
			stop++;
		if (stop < L->nitems && L->items[stop].nruns == 1 && L->runs[L->items[stop].run0].len == 1
		    && L->pool.ptr[L->runs[L->items[stop].run0].off] == '.') {
			stops++;
			apart += ts_item_page(L, (uint32_t)j) != ts_item_page(L, (uint32_t)stop);
		}
	}
	CHECK_INT(leads, 40);
	CHECK_INT(stops, 20);
	CHECK_INT(apart, 0);
	CHECK(L->npages > 3);
	qbk_release(&b);
	qdiags_free(&d);
	qdoc_free(doc);
}

/* Issue 11: a booklet past libharu's page limit crashed. libharu 2.3.0
 * refuses page 32,768 (one /Kids array); this checks that limit is what
 * the back end assumes (it fails if Debian's libharu changes it), and
 * that a booklet longer than a volume (lowered with
 * QUIRE_PDF_VOLUME_PAGES) is written as volumes -1, -2, ... with a
 * warning, each a whole PDF, the pages adding up. */
TEST(long_booklet_is_split_into_volumes)
{
	HPDF_Doc h = HPDF_New(NULL, NULL);
	CHECK(h != NULL);
	int added = 0;
	while (added < 40000 && HPDF_AddPage(h))
		added++;
	HPDF_Free(h);
	CHECK_INT(added, HPDF_LIMIT_MAX_ARRAY);
	qdoc *doc = sample_doc();
	qpdf_opts o = {"a5", true, NULL, NULL};
	qoutputs one, vols;
	qdiags d;
	qdiags_init(&d, "sample.md");
	CHECK_INT(run(doc, &o, &one, NULL, &d), QB_OK);
	CHECK_INT(one.n, 2);
	for (size_t i = 0; i < d.n; i++)
		printf("# %s\n", d.v[i].msg);
	CHECK_INT(d.n, 0);
	int total = count_pages(&one.v[0].data);
	CHECK(total > 6);
	setenv("QUIRE_PDF_VOLUME_PAGES", "4", 1);
	qbstatus st = run(doc, &o, &vols, NULL, &d);
	unsetenv("QUIRE_PDF_VOLUME_PAGES");
	CHECK_INT(st, QB_OK);
	int nvol = (total + 3) / 4;
	CHECK_INT(vols.n, 2 * nvol);
	CHECK_INT(d.n, 1);
	CHECK(strstr(d.v[0].msg, "volumes") != NULL);
	int sum = 0;
	for (int i = 0; i < nvol; i++) {
		char want[32];
		snprintf(want, sizeof want, "-%d", i + 1);
		CHECK_STR(vols.v[2 * i].suffix, want);
		snprintf(want, sizeof want, "-%d-print", i + 1);
		CHECK_STR(vols.v[2 * i + 1].suffix, want);
		CHECK(is_pdf(&vols.v[2 * i].data) && is_pdf(&vols.v[2 * i + 1].data));
		sum += count_pages(&vols.v[2 * i].data);
	}
	CHECK_INT(sum, total);
	qoutputs_free(&one);
	qoutputs_free(&vols);
	qdiags_free(&d);
	qdoc_free(doc);
}

/* ---- images (issue 12) ---------------------------------------------------- */

static void put_chunk(FILE *f, const char *kind, const unsigned char *data, uLong n)
{
	unsigned char be[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16),
			       (unsigned char)(n >> 8), (unsigned char)n};
	fwrite(be, 1, 4, f);
	fwrite(kind, 1, 4, f);
	fwrite(data, 1, n, f);
	uLong crc = crc32(crc32(0, (const Bytef *)kind, 4), data, (uInt)n);
	unsigned char c[4] = {(unsigned char)(crc >> 24), (unsigned char)(crc >> 16),
			      (unsigned char)(crc >> 8), (unsigned char)crc};
	fwrite(c, 1, 4, f);
}

/* An 8-bit RGB PNG of w x h pixels, a gradient. */
static void write_png(const char *path, int w, int h)
{
	uLong raw_n = (uLong)h * (uLong)(1 + 3 * w), z_n = compressBound(raw_n);
	unsigned char *raw = malloc(raw_n), *z = malloc(z_n);
	for (int y = 0, k = 0; y < h; y++) {
		raw[k++] = 0;
		for (int x = 0; x < w; x++) {
			raw[k++] = (unsigned char)(x * 255 / w);
			raw[k++] = (unsigned char)(y * 255 / h);
			raw[k++] = 160;
		}
	}
	compress(z, &z_n, raw, raw_n);
	unsigned char ihdr[13] = {0, 0, (unsigned char)(w >> 8), (unsigned char)w, 0, 0,
				  (unsigned char)(h >> 8), (unsigned char)h, 8, 2, 0, 0, 0};
	FILE *f = fopen(path, "wb");
	fwrite("\x89PNG\r\n\x1a\n", 1, 8, f);
	put_chunk(f, "IHDR", ihdr, 13);
	put_chunk(f, "IDAT", z, z_n);
	put_chunk(f, "IEND", (const unsigned char *)"", 0);
	fclose(f);
	free(raw);
	free(z);
}

static qnode *image(qdoc *d, const char *file, const char *alt)
{
	qnode *im = qnode_new(d, QN_IMAGE, 9);
	im->u.link.url = file;
	im->u.link.title = "";
	im->u.link.file = file;
	if (*alt)
		qnode_append(im, text_node(d, QN_TEXT, alt));
	return im;
}

static qnode *image_par(qdoc *d, qnode *im, const char *before)
{
	qnode *p = qnode_new(d, QN_PARAGRAPH, 9);
	if (before)
		qnode_append(p, text_node(d, QN_TEXT, before));
	qnode_append(p, im);
	return p;
}

/* The layout's picture boxes, in order. */
static int pictures(const ts_layout *L, const ts_vitem **v, int cap)
{
	int n = 0;
	for (size_t i = 0; i < L->nitems && n < cap; i++)
		if (L->items[i].type == TS_V_IMAGE)
			v[n++] = &L->items[i];
	return n;
}

static void lowest(void *ctx, uint32_t item, float top, float base)
{
	(void)item;
	(void)top;
	float *y = ctx;
	if (base > *y)
		*y = base;
}

static size_t count_in(const qbuf *b, const char *s)
{
	size_t n = 0, k = strlen(s);
	for (const char *p = b->ptr; (p = memmem(p, b->len - (size_t)(p - b->ptr), s, k)); p++)
		n++;
	return n;
}

TEST(images_are_figures)
{
	char dir[] = "/tmp/quire-pdfimg-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char small[300], big[300], bad[300];
	snprintf(small, sizeof small, "%s/small.png", dir);
	snprintf(big, sizeof big, "%s/big.png", dir);
	snprintf(bad, sizeof bad, "%s/bad.png", dir);
	write_png(small, 120, 90);
	write_png(big, 900, 3000);   /* taller than the page at any sane scale */
	write_file(bad, "not a picture at all");
	qdoc *doc = qdoc_new();
	doc->title = "Pictures";
	doc->root = qnode_new(doc, QN_DOCUMENT, 1);
	card(doc, doc->root, "1.", "What is shown?", image_par(doc, image(doc, small, "A gradient"), NULL));
	card(doc, doc->root, "2.", "Again in a sentence?",
	     image_par(doc, image(doc, small, "the same"), "Here is "));
	card(doc, doc->root, "3.", "A big one?", image_par(doc, image(doc, big, ""), NULL));
	card(doc, doc->root, "4.", "A broken one?", image_par(doc, image(doc, bad, "broken"), NULL));
	qdoc_index(doc);
	qdiags d;
	qdiags_init(&d, "pictures.md");
	qpdf_opts o = {"a5", false, NULL, NULL};
	qjob job = {.doc = doc, .share = ".", .diags = &d, .opts = &o};
	qbk b;
	CHECK(qbk_prepare(&b, &job));
	const ts_layout *L = b.body;
	CHECK_INT(L->nimages, 2);   /* small.png once, big.png; bad.png refused */
	const ts_vitem *v[8];
	CHECK_INT(pictures(L, v, 8), 3);
	/* natural size at 150 pixels per inch, centred in the measure */
	CHECK(fabsf(v[0]->w - 120 * 72 / 150.0f) < 0.01f);
	CHECK(fabsf(v[0]->h - 90 * 72 / 150.0f) < 0.01f);
	CHECK(fabsf(v[0]->x + v[0]->w / 2 - b.text_w / 2) < 0.01f);
	CHECK_INT(v[0]->image, v[1]->image);
	/* the big one: within the margins, its proportions kept, on the page
	 * of its question */
	CHECK(v[2]->x >= 0 && v[2]->x + v[2]->w <= b.text_w + 0.01f);
	CHECK(v[2]->h <= b.text_h && v[2]->h > b.text_h * 0.5f);
	CHECK(fabsf(v[2]->w / v[2]->h - 900 / 3000.0f) < 0.001f);
	uint32_t bigi = (uint32_t)(v[2] - L->items);
	int q3 = b.card_mark[2];
	CHECK_INT(ts_item_page(L, bigi), L->marks[q3].page);
	for (int p = 0; p < L->npages; p++) {   /* nothing past the bottom margin */
		float bottom = 0;
		ts_page_place(L, p, lowest, &bottom);
		CHECK(bottom <= b.text_h + 0.01f);
	}
	/* the caption is text under the picture; the sentence keeps its alt */
	bool cap = false, sentence = false, shown_bad = false;
	for (size_t i = 0; i < L->nruns; i++) {
		const char *t = L->pool.ptr + L->runs[i].off;
		cap |= L->runs[i].len == 8 && memcmp(t, "gradient", 8) == 0;
		sentence |= L->runs[i].len >= 4 && memcmp(t, "same", 4) == 0;
		shown_bad |= L->runs[i].len >= 6 && memcmp(t, "broken", 6) == 0;
	}
	CHECK(cap && sentence && shown_bad);
	bool warned = false;
	for (size_t i = 0; i < d.n; i++)
		warned |= d.v[i].sev == QD_WARNING && d.v[i].line == 9 &&
			  strcmp(d.v[i].kind, "image") == 0 && strstr(d.v[i].msg, "bad.png") &&
			  strstr(d.v[i].msg, "alt text");
	CHECK(warned);
	qbk_release(&b);
	/* the PDF and its imposed sheets: two image XObjects each */
	o.impose = true;
	qoutputs outs;
	CHECK_INT(run(doc, &o, &outs, NULL, &d), QB_OK);
	CHECK_INT(outs.n, 2);
	CHECK_INT((int)count_in(&outs.v[0].data, "/Subtype /Image"), 2);
	CHECK_INT((int)count_in(&outs.v[1].data, "/Subtype /Image"), 2);
	qoutputs_free(&outs);
	unlink(small);
	unlink(big);
	unlink(bad);
	rmdir(dir);
	qdiags_free(&d);
	qdoc_free(doc);
}

int main(void)
{
	RUN(sample_booklet);
	RUN(odd_models);
	RUN(layout_of_real_notes);
	RUN(lint_names_characters_no_font_has);
	RUN(missing_font_warns_and_falls_back);
	RUN(style_file_problems_are_reported);
	RUN(long_booklet_is_split_into_volumes);
	RUN(inline_styles_contents_and_bookmarks);
	RUN(typographic_quotes_in_prose_only);
	RUN(topic_card_prints_its_title_once);
	RUN(list_label_beside_code_block);
	RUN(display_kept_with_its_lead_in);
	RUN(images_are_figures);
	RUN(callout_is_framed);
	return testing_done();
}
