/* test_math.c - formulas (issue 14): the TeX parser, the MathML of every
 * formula of tests/math/formulas.txt against formulas.mathml, the
 * dollars that stay text, and the booklet: every formula typeset with no
 * glyph on another, inside the measure, on the baseline of its line.
 * Run from the repository root. QUIRE_UPDATE_GOLDEN=1 rewrites the
 * golden MathML (then read the diff). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "backend/pdf/pdf.h"
#include "backend/pdf/pdfint.h"
#include "lines.h"
#include "model/walk.h"
#include "reader/math.h"
#include "reader/reader.h"
#include "render/mathml.h"
#include "testing.h"
#include "typeset/tsint.h"
#include "typeset/tsmath.h"
#include "util/fileio.h"
#include "util/texmath.h"
#include "util/utf8.h"

typedef struct formula {
	bool display;
	char *tex;
} formula;

static formula *all;
static int nall;

static void load(void)
{
	if (all)
		return;
	qbuf f = QBUF_INIT;
	char err[128];
	if (qfile_read("tests/math/formulas.txt", &f, 0, err, sizeof err) != QF_OK)
		return;
	all = calloc(400, sizeof *all);
	for (char *s = f.ptr, *e; s && *s && nall < 400; s = e ? e + 1 : NULL) {
		e = strchr(s, '\n');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (n < 3 || s[0] == '#' || (s[0] != 'i' && s[0] != 'd') || s[1] != ' ')
			continue;
		all[nall].display = s[0] == 'd';
		all[nall].tex = strndup(s + 2, n - 2);
		nall++;
	}
	qbuf_free(&f);
}

static ts_fontset *fonts(void)
{
	static ts_fontset *fs;
	if (!fs) {
		qbuf conf = QBUF_INIT;
		char err[128];
		qfile_read("fonts/roles.conf", &conf, 0, err, sizeof err);
		qdiags d;
		qdiags_init(&d, "test");
		fs = ts_fontset_new();
		ts_fontset_load_conf(fs, conf.ptr, conf.len, "fonts", "roles.conf", &d);
		qdiags_free(&d);
		qbuf_free(&conf);
	}
	return fs;
}

/* ---- the parser ---------------------------------------------------------- */

TEST(every_formula_of_the_subset_parses)
{
	load();
	CHECK(nall >= 150);
	for (int i = 0; i < nall; i++) {
		qtex_error e;
		qtex *t = qtex_parse(all[i].tex, strlen(all[i].tex), &e);
		if (!t)
			printf("# %s: %s\n", all[i].tex, e.msg);
		CHECK(t != NULL);
		qtex_free(t);
	}
}

TEST(outside_the_subset_names_the_command)
{
	static const struct { const char *tex, *msg; } bad[] = {
		{"\\foo{x}", "\\foo is not known"},
		{"x^{2", "unbalanced {"},
		{"a}", "unbalanced }"},
		{"a & b", "& outside an environment"},
		{"x^2^3", "double superscript"},
		{"\\left( x", "\\left without \\right"},
		{"\\begin{tabular}{c} x \\end{tabular}", "the environment tabular is not known"},
		{"\\begin{matrix} a \\end{pmatrix}", "\\end{pmatrix} does not match its \\begin"},
		{"\\frac{a}", "an argument is missing at the end"},
		{"\\text{\\foo}", "\\f is not known inside \\text"},
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		qtex_error e;
		qtex *t = qtex_parse(bad[k].tex, strlen(bad[k].tex), &e);
		CHECK(t == NULL);
		CHECK_STR(e.msg, bad[k].msg);
	}
	/* nesting is capped, not a stack overflow */
	qbuf deep = QBUF_INIT;
	for (int k = 0; k < 100000; k++)
		qbuf_putc(&deep, '{');
	qtex_error e;
	CHECK(qtex_parse(deep.ptr, deep.len, &e) == NULL);
	CHECK_STR(e.msg, "nested more than 40 levels deep");
	qbuf_free(&deep);
}

/* \overset, \underset, \stackrel: scripts that are always limits, of
 * the class of their base's one atom (\stackrel: a relation). */
TEST(stacked_formulas_parse_as_limits_of_their_base)
{
	static const struct {
		const char *tex;
		uint8_t cls, base;   /* class of the whole, kind of its base */
		bool under;
	} cases[] = {
		{"\\overset{def}{=}", QC_REL, QT_SYM, false},
		{"\\overset{\\text{def}}{=}", QC_REL, QT_SYM, false},
		{"\\underset{x\\to 0}{\\lim}", QC_OP, QT_OP, true},
		{"\\stackrel{?}{=}", QC_REL, QT_SYM, false},
		{"\\stackrel{n}{x}", QC_REL, QT_SYM, false},   /* LaTeX's \mathrel */
		{"\\overset a +", QC_BIN, QT_SYM, false},
		{"\\overset{a}{xy}", QC_ORD, QT_ROW, false},
		{"\\underset{k}{\\sum}", QC_OP, QT_BIGOP, true},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		qtex_error e;
		qtex *t = qtex_parse(cases[k].tex, strlen(cases[k].tex), &e);
		CHECK(t != NULL);
		const qtex_node *r = &t->v[t->root];
		CHECK(r->kind == QT_ROW && r->first >= 0);
		const qtex_node *x = &t->v[r->first];
		if (x->kind != QT_SCRIPTS || !x->limits || x->cls != cases[k].cls
		    || x->a < 0 || t->v[x->a].kind != cases[k].base
		    || (x->b >= 0) != cases[k].under || (x->c >= 0) == cases[k].under)
			printf("# %s: kind %d limits %d class %d\n", cases[k].tex, x->kind, x->limits,
			       x->cls);
		CHECK(x->kind == QT_SCRIPTS && x->limits && x->cls == cases[k].cls);
		CHECK(x->a >= 0 && t->v[x->a].kind == cases[k].base);
		CHECK((x->b >= 0) == cases[k].under && (x->c >= 0) != cases[k].under);
		qtex_free(t);
	}
	qtex_error e;
	CHECK(qtex_parse("\\overset{a}", 11, &e) == NULL);
	CHECK_STR(e.msg, "an argument is missing at the end");
	/* nested stacks count against the depth cap like any group */
	qbuf deep = QBUF_INIT;
	for (int k = 0; k < 1000; k++)
		qbuf_puts(&deep, "\\overset{a}{");
	qbuf_putc(&deep, 'x');
	for (int k = 0; k < 1000; k++)
		qbuf_putc(&deep, '}');
	CHECK(qtex_parse(deep.ptr, deep.len, &e) == NULL);
	CHECK_STR(e.msg, "nested more than 40 levels deep");
	qbuf_free(&deep);
}

/* ---- MathML -------------------------------------------------------------- */

TEST(mathml_matches_the_golden_file)
{
	load();
	qbuf got = QBUF_INIT;
	for (int i = 0; i < nall; i++) {
		CHECK(qmathml(&got, all[i].tex, strlen(all[i].tex), all[i].display));
		qbuf_putc(&got, '\n');
	}
	const char *path = "tests/math/formulas.mathml";
	if (getenv("QUIRE_UPDATE_GOLDEN")) {
		FILE *f = fopen(path, "w");
		CHECK(f != NULL);
		fwrite(got.ptr, 1, got.len, f);
		fclose(f);
	}
	qbuf want = QBUF_INIT;
	char err[128];
	CHECK(qfile_read(path, &want, 0, err, sizeof err) == QF_OK);
	const char *g = got.ptr, *w = want.ptr;
	for (int i = 0; i < nall; i++) {
		const char *ge = strchr(g, '\n'), *we = strchr(w, '\n');
		CHECK(ge && we);
		if ((size_t)(ge - g) != (size_t)(we - w) || memcmp(g, w, (size_t)(ge - g)) != 0) {
			printf("# %s\n#  got %.*s\n# want %.*s\n", all[i].tex, (int)(ge - g), g,
			       (int)(we - w), w);
			CHECK(!"MathML differs from tests/math/formulas.mathml");
		}
		g = ge + 1;
		w = we + 1;
	}
	qbuf_free(&got);
	qbuf_free(&want);
}

TEST(mathml_keeps_the_tex_in_alttext)
{
	qbuf b = QBUF_INIT;
	CHECK(qmathml(&b, "a<b \\, \"c\"", 10, false));
	CHECK(strstr(b.ptr, "alttext=\"a&lt;b \\, &quot;c&quot;\"") != NULL);
	CHECK(strstr(b.ptr, "<mo>&lt;</mo>") != NULL);
	qbuf_reset(&b);
	CHECK(!qmathml(&b, "\\unknown", 8, false));
	CHECK_INT(b.len, 0);
	CHECK(qmathml(&b, "E=mc^2 \\tag{1}", 14, true));
	CHECK(strstr(b.ptr, "display=\"block\"") != NULL);
	CHECK(strstr(b.ptr, "</math><span class=\"tag\">(1)</span>") != NULL);
	qbuf_free(&b);
}

TEST(mathml_stacks_over_and_under_the_base)
{
	static const struct { const char *tex, *want; } cases[] = {
		{"A \\overset{def}{=} B",
		 "<mi>A</mi><mover><mo>=</mo><mrow><mi>d</mi><mi>e</mi><mi>f</mi></mrow></mover><mi>B</mi>"},
		{"a \\stackrel{?}{=} b", "<mover><mo>=</mo><mo stretchy=\"false\">?</mo></mover>"},
		/* a stacked \lim is still the operator: a thin space after it */
		{"\\underset{x}{\\lim} f",
		 "<munder><mi>lim</mi><mi>x</mi></munder><mspace width=\"0.1667em\"/><mi>f</mi>"},
		/* limits above even inline, where \sum's own would move */
		{"\\overset{n}{\\sum} k",
		 "<mover><mo largeop=\"true\" movablelimits=\"false\">\xE2\x88\x91</mo><mi>n</mi></mover>"},
		{"\\overset{a}{x}^2", "<msup><mover><mi>x</mi><mi>a</mi></mover><mn>2</mn></msup>"},
	};
	qbuf b = QBUF_INIT;
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		qbuf_reset(&b);
		CHECK(qmathml(&b, cases[k].tex, strlen(cases[k].tex), false));
		if (!strstr(b.ptr, cases[k].want))
			printf("# %s\n#  got %s\n# want %s\n", cases[k].tex, b.ptr, cases[k].want);
		CHECK(strstr(b.ptr, cases[k].want) != NULL);
	}
	qbuf_free(&b);
}

/* ---- dollars ----------------------------------------------------------------- */

/* The formulas the reader finds in one line of notes, as "[tex]" each. */
static void formulas_in(const char *line, qbuf *out)
{
	qread_opts ro = {.path = "t.md"};
	qdiags d;
	qdiags_init(&d, "t.md");
	qdoc *doc = qread(line, strlen(line), &ro, &d);
	qiter it;
	qnode *n;
	qev ev;
	qbuf_reset(out);
	qiter_init(&it, doc->root);
	while ((ev = qiter_next(&it, &n)) != QEV_DONE)
		if (ev == QEV_ENTER && (n->type == QN_MATH || n->type == QN_MATH_BLOCK)) {
			qbuf_putc(out, '[');
			qbuf_put(out, n->text, n->len);
			qbuf_putc(out, ']');
		}
	qdoc_free(doc);
	qdiags_free(&d);
}

TEST(prices_and_shell_variables_stay_text)
{
	static const char *text[] = {
		"It costs $5 and $10.", "From $5 to $10, or $20-$30.", "Use $HOME and $PATH.",
		"echo $HOME/$USER", "cd $HOME; ls $PWD", "US$5 or US$6", "a price of $1,000 and $2,000",
		"\\$x$ is escaped", "$ x$ opens with a space", "costs $5.99 today, $6.50 tomorrow",
		"`$x$` is code", "a$b$c glued to letters", "$$ $$ is empty",
		"$ 5 and then 10$", "$ x = 1$ and more",
	};
	qbuf got = QBUF_INIT;
	for (size_t k = 0; k < sizeof text / sizeof text[0]; k++) {
		formulas_in(text[k], &got);
		if (got.len)
			printf("# %s -> %s\n", text[k], got.ptr);
		CHECK_INT(got.len, 0);
	}
	static const struct { const char *text, *want; } math[] = {
		{"Euler: $e^{i\\pi}+1=0$.", "[e^{i\\pi}+1=0]"},
		{"$x$ and $y$", "[x][y]"},
		{"a $$\\sum x$$ b", "[\\sum x]"},
		{"thin \\(a\\,b\\) space", "[a\\,b]"},
		{"\\[x^2\\]", "[x^2]"},
		{"GitHub writes $`\\sqrt{2}`$ too", "[\\sqrt{2}]"},
		{"price $5 but $x$ is math", "[x]"},
		{"$\\$5$ is a formula holding a dollar", "[\\$5]"},
		{"$ x = \\frac{1}{2}$", "[ x = \\frac{1}{2}]"},   /* a formula line, as KaTeX reads it */
	};
	for (size_t k = 0; k < sizeof math / sizeof math[0]; k++) {
		formulas_in(math[k].text, &got);
		CHECK_STR(got.ptr, math[k].want);
	}
	qbuf_free(&got);
}

/* A display on lines of a paragraph: opened at a line's start or at its
 * end after text, closed at a later line's end or before text. */
TEST(display_lines_with_text_around)
{
	static const struct {
		const char *lines[3];
		int n, want;
		const char *tex;
		size_t lead, rest;
	} cases[] = {
		{{"$$", "x = 1", "$$"}, 3, 3, "\nx = 1\n", 0, 0},
		{{"$$", "x = 1", "$$."}, 3, 3, "\nx = 1\n", 0, 2},
		{{"so: $$", "x", "$$ where x is"}, 3, 3, "\nx\n", 4, 2},
		{{"\\[", "y", "\\], done"}, 3, 3, "\ny\n", 0, 2},
		{{"a $$x$$ b $$", "y", "$$"}, 3, 3, "\ny\n", 10, 0},
		{{"a $$x$$", "y", "$$"}, 3, 0, "", 0, 0},        /* it closes a formula */
		{{"costs US$$", NULL, NULL}, 1, 0, "", 0, 0},    /* no later line */
		{{"so: $$", "x", "y"}, 3, -1, "", 4, 0},         /* never closed */
	};
	qbuf tex = QBUF_INIT;
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		qline_ref refs[3];
		for (int i = 0; i < cases[k].n; i++)
			refs[i] = (qline_ref){cases[k].lines[i], strlen(cases[k].lines[i]), i + 1};
		size_t lead, rest;
		qbuf_reset(&tex);
		int got = qmath_display_lines(refs, cases[k].n, &tex, &lead, &rest);
		CHECK_INT(got, cases[k].want);
		if (got > 0) {
			CHECK_STR(tex.ptr, cases[k].tex);
			CHECK_INT(lead, cases[k].lead);
			CHECK_INT(rest, cases[k].rest);
		}
	}
	qbuf_free(&tex);
}

/* ---- the booklet --------------------------------------------------------------- */

typedef struct inkbox {
	float x0, y0, x1, y1;
	uint32_t run;
} inkbox;

/* The ink of each glyph and rule of a typeset formula. */
static int inks(ts_fontset *fs, const ts_math *m, inkbox *v, int max)
{
	int n = 0;
	for (size_t p = 0; p < m->npieces; p++) {
		float px = 0;
		for (size_t q = 0; q < p; q++)
			px += m->pieces[q].w + m->pieces[q].space;
		const ts_mpiece *pc = &m->pieces[p];
		for (uint32_t i = pc->r0; i < pc->r0 + pc->nr && n < max; i++) {
			const ts_run *r = &m->runs[i];
			if (r->kind == TS_RUN_RULE || r->kind == TS_RUN_BRACE) {
				v[n++] = (inkbox){px + r->x, r->rise, px + r->x + r->w, r->rise + r->size, i};
				continue;
			}
			float x = px + r->x;
			for (uint32_t o = 0; o < r->len && n < max;) {
				size_t l;
				int32_t d = qutf8_decode((const unsigned char *)m->text.ptr + r->off + o,
							 r->len - o, &l);
				uint32_t cp = d < 0 ? 0xFFFD : (uint32_t)d;
				int16_t b[4];
				ts_glyphkind kind;
				(void)kind;
				ts_font_bbox(fs, r->face, cp, b);
				float s = r->size / 1000.0f;
				if (b[2] > b[0] && b[3] > b[1] && cp != ' ')
					v[n++] = (inkbox){x + b[0] * s, r->rise + b[1] * s, x + b[2] * s,
							  r->rise + b[3] * s, i};
				x += (float)ts_font_advance(fs, r->face, cp) * s;
				o += (uint32_t)(l ? l : 1);
			}
		}
	}
	return n;
}

/* Do two ink boxes overlap by more than a touch (0.4pt both ways, at
 * 10pt)? The glyphs of one run (a word, an operator name) may touch, and
 * so may neighbours on one baseline, whose italic overhangs TeX lets
 * reach over each other's box (not their ink) by up to 1.5pt: what
 * collides is a script, a limit, a numerator or an accent with what is
 * above or below it. */
static bool overlap(const ts_math *m, const inkbox *a, const inkbox *b)
{
	float ox = fminf(a->x1, b->x1) - fmaxf(a->x0, b->x0);
	float oy = fminf(a->y1, b->y1) - fmaxf(a->y0, b->y0);
	bool level = m->runs[a->run].rise == m->runs[b->run].rise;
	return a->run != b->run && ox > (level ? 1.5f : 0.4f) && oy > 0.4f;
}

/* Overlaps that are the drawing itself: the slash of \not on its
 * symbol, a radical sign and its rule and index, the pieces of a tall
 * delimiter, the limits of an integral (whose slant leaves the corners
 * of its box empty, where TeX hangs them). */
static bool drawn_together(const ts_math *m, const inkbox *a, const inkbox *b)
{
	const ts_run *ra = &m->runs[a->run], *rb = &m->runs[b->run];
	size_t l;
	uint32_t ca = ra->len ? ts__cp(m->text.ptr + ra->off, ra->len, &l) : 0;
	uint32_t cb = rb->len ? ts__cp(m->text.ptr + rb->off, rb->len, &l) : 0;
	if (ca == 0x221A || cb == 0x221A)
		return true;   /* the radical's box is empty where its index sits */
	if (ca >= 0x239B && ca <= 0x23AD && cb >= 0x239B && cb <= 0x23AD)
		return true;
	if (((ca >= 0x222B && ca <= 0x2233) || (cb >= 0x222B && cb <= 0x2233)) && ra->rise != rb->rise)
		return true;   /* a slanted integral: its limits hang in its box */
	return ca == '/' || cb == '/';
}

TEST(booklet_formulas_have_no_glyph_on_another)
{
	load();
	ts_fontset *fs = fonts();
	ts_math m;
	ts_math_init(&m);
	inkbox *v = malloc(sizeof *v * 4000);
	int bad = 0;
	for (int i = 0; i < nall; i++) {
		if (strstr(all[i].tex, "\\!") || strstr(all[i].tex, "\\not"))
			continue;   /* negative space, a slash: overlap by intent */
		CHECK(ts_math_set(&m, fs, all[i].tex, strlen(all[i].tex), 10, all[i].display, 0));
		int n = inks(fs, &m, v, 4000);
		for (int a = 0; a < n; a++)
			for (int b = a + 1; b < n; b++)
				if (overlap(&m, &v[a], &v[b]) && !drawn_together(&m, &v[a], &v[b])) {
					printf("# %s: ink of runs %u and %u overlaps\n", all[i].tex,
					       v[a].run, v[b].run);
					bad++;
					a = n;
					break;
				}
	}
	free(v);
	ts_math_free(&m);
	CHECK_INT(bad, 0);
}

/* The notes of every formula: inline ones inside a sentence, displayed
 * ones on lines of their own. */
static void formula_notes(qbuf *md)
{
	load();
	qbuf_puts(md, "# Formulas\n\n");
	for (int i = 0; i < nall; i++) {
		if (all[i].display)
			qbuf_printf(md, "Displayed:\n\n$$\n%s\n$$\n\n", all[i].tex);
		else
			qbuf_printf(md, "Formula %d is $%s$ in a sentence.\n\n", i + 1, all[i].tex);
	}
}

TEST(booklet_formulas_inside_the_measure_on_the_baseline)
{
	qbuf md = QBUF_INIT;
	formula_notes(&md);
	qdiags d;
	qdiags_init(&d, "formulas.md");
	qread_opts ro = {.path = "formulas.md"};
	qdoc *doc = qread(md.ptr, md.len, &ro, &d);
	int nmath = 0;
	qiter it;
	qnode *n;
	qev ev;
	qiter_init(&it, doc->root);
	while ((ev = qiter_next(&it, &n)) != QEV_DONE)
		if (ev == QEV_ENTER && (n->type == QN_MATH || n->type == QN_MATH_BLOCK)) {
			const char *t = n->text;   /* TeX as written, the lines around it */
			size_t len = n->len;
			if (n->type == QN_MATH_BLOCK && len >= 2 && t[0] == '\n' && t[len - 1] == '\n') {
				t++;
				len -= 2;
			}
			CHECK(nmath < nall && strlen(all[nmath].tex) == len
			      && memcmp(all[nmath].tex, t, len) == 0);
			nmath++;
		}
	CHECK_INT(nmath, nall);
	CHECK_INT(qdiags_count(&d, "math"), 0);
	qpdf_opts o = {"a5", false, NULL, NULL};
	qjob job = {.doc = doc, .share = ".", .diags = &d, .opts = &o};
	qbk b;
	CHECK(qbk_prepare(&b, &job));
	const ts_layout *L = b.body;
	int lines = 0, mixed = 0;
	for (size_t i = 0; i < L->nitems; i++) {
		const ts_vitem *v = &L->items[i];
		if (v->type != TS_V_LINE)
			continue;
		lines++;
		if (line_right(L, v) > b.text_w + 0.01f || line_left(L, v) < -0.01f)
			printf("# line %zu spans %.2f..%.2f of %.2f\n", i, line_left(L, v),
			       line_right(L, v), b.text_w);
		CHECK(line_right(L, v) <= b.text_w + 0.01f && line_left(L, v) >= -0.01f);
		/* a line of prose and formula: the formula's ordinary atoms sit on
		 * the text's baseline, and the line is tall enough for it */
		bool text = false, onbase = false;
		float top = 0, bot = 0;
		for (uint32_t k = 0; k < v->nruns; k++) {
			const ts_run *r = &L->runs[v->run0 + k];
			if (r->face == (uint16_t)ts_font_role_face(b.fonts, TS_BODY) && r->rise == 0)
				text = true;
			if (r->face == (uint16_t)ts_font_role_face(b.fonts, TS_MATHITALIC) && r->rise == 0)
				onbase = true;
			top = fmaxf(top, r->rise + (r->kind == TS_RUN_RULE ? r->size : 0));
			bot = fminf(bot, r->rise);
		}
		if (text && onbase)
			mixed++;
		CHECK(v->h >= top - 0.01f && v->d >= -bot - 0.01f);
	}
	CHECK(lines > 100);
	CHECK(mixed > 50);
	qbk_release(&b);
	qdoc_free(doc);
	qdiags_free(&d);
	qbuf_free(&md);
}

/* The run of a typeset formula that holds text (the nth such), its x
 * from the formula's left: false when there is none. */
static bool run_of(const ts_math *m, const char *text, int nth, ts_run *out)
{
	float px = 0;
	for (size_t p = 0; p < m->npieces; p++) {
		const ts_mpiece *pc = &m->pieces[p];
		for (uint32_t i = pc->r0; i < pc->r0 + pc->nr; i++) {
			const ts_run *r = &m->runs[i];
			if (r->kind != TS_RUN_TEXT || r->len != strlen(text)
			    || memcmp(m->text.ptr + r->off, text, r->len) != 0 || nth-- > 0)
				continue;
			*out = *r;
			out->x += px;
			return true;
		}
		px += pc->w + pc->space;
	}
	return false;
}

/* \overset{x}{=}: the = where a plain = stands (a narrower annotation
 * changes nothing), spaced as a relation; its annotation in script size
 * centred above it, in the text's style too. \underset{..}{\lim}: the
 * annotation centred below, and an operator's thin space after. */
TEST(booklet_stacks_annotations_centred_in_script_size)
{
	ts_fontset *fs = fonts();
	ts_math plain, m;
	ts_math_init(&plain);
	ts_math_init(&m);
	ts_run A0, eq0, B0, A, eq, B, x, d, f;
	for (int display = 0; display < 2; display++) {
		CHECK(ts_math_set(&plain, fs, "A = B", 5, 10, display, 0));
		const char *tex = "A \\overset{x}{=} B";
		CHECK(ts_math_set(&m, fs, tex, strlen(tex), 10, display, 0));
		CHECK(run_of(&plain, "A", 0, &A0) && run_of(&plain, "=", 0, &eq0)
		      && run_of(&plain, "B", 0, &B0));
		CHECK(run_of(&m, "A", 0, &A) && run_of(&m, "=", 0, &eq) && run_of(&m, "B", 0, &B)
		      && run_of(&m, "x", 0, &x));
		CHECK(fabsf(eq.x - eq0.x) < 0.01f && fabsf(B.x - B0.x) < 0.01f);
		CHECK(fabsf(eq.rise - eq0.rise) < 0.01f);
		CHECK(fabsf(x.size - 7) < 0.01f);                           /* script size */
		CHECK(fabsf((x.x + x.w / 2) - (eq.x + eq.w / 2)) < 0.01f);   /* centred */
		CHECK(x.rise > 3);                                            /* above */
	}
	/* a wider annotation: the = centred under it, the thick spaces of a
	 * relation outside it */
	const char *wide = "A \\overset{ddd}{=} B";
	CHECK(ts_math_set(&m, fs, wide, strlen(wide), 10, false, 0));
	CHECK(run_of(&m, "A", 0, &A) && run_of(&m, "=", 0, &eq) && run_of(&m, "B", 0, &B)
	      && run_of(&m, "d", 0, &d));
	ts_run d3;
	CHECK(run_of(&m, "d", 2, &d3));
	CHECK(d3.x + d3.w > eq.x + eq.w + 0.5f && d.x < eq.x - 0.5f);   /* wider than = */
	CHECK(fabsf((d.x + d3.x + d3.w) / 2 - (eq.x + eq.w / 2)) < 0.01f);
	float thick = 5.0f / 18 * 10;
	CHECK(fabsf(d.x - (A.x + A.w) - thick) < 0.01f);
	CHECK(fabsf(B.x - (d3.x + d3.w) - thick) < 0.01f);
	/* under a named operator, inline: below it all the same */
	const char *lim = "\\underset{x}{\\lim} f";
	CHECK(ts_math_set(&m, fs, lim, strlen(lim), 10, false, 0));
	ts_run l;
	CHECK(run_of(&m, "lim", 0, &l) && run_of(&m, "x", 0, &x) && run_of(&m, "f", 0, &f));
	CHECK(fabsf(x.size - 7) < 0.01f && x.rise < -3);
	CHECK(fabsf((x.x + x.w / 2) - (l.x + l.w / 2)) < 0.01f);
	CHECK(fabsf(f.x - (l.x + l.w) - 3.0f / 18 * 10) < 0.01f);   /* op, then ord */
	ts_math_free(&plain);
	ts_math_free(&m);
}

TEST(a_long_formula_breaks_after_a_relation_only_when_it_must)
{
	ts_fontset *fs = fonts();
	ts_math m;
	ts_math_init(&m);
	const char *tex = "a + b = c + d = e + f";
	CHECK(ts_math_set(&m, fs, tex, strlen(tex), 10, false, 0));
	CHECK_INT(m.npieces, 6);   /* after + = + = + */
	CHECK(m.pieces[1].penalty > 5000 && m.pieces[1].penalty < TS_INF_PENALTY);
	CHECK(m.pieces[0].penalty > m.pieces[1].penalty);   /* a relation first */
	CHECK(m.pieces[5].penalty == TS_INF_PENALTY);
	ts_math_free(&m);
}

/* In a right-to-left paragraph a formula still reads left to right, its
 * pieces (cut after + and =) in their order, however the words around
 * it are reordered. */
TEST(a_formula_in_right_to_left_text_reads_left_to_right)
{
	ts_fontset *fs = fonts();
	ts_layout *L = ts_layout_new(fs, NULL);
	ts_par *p = ts_par_new(L);
	ts_parfmt f = {.x = 0, .width = 400, .leading = 12, .align = TS_RAGGED, .group = -1};
	ts_attr a = {.role = TS_BODY, .size = 10};
	const char *he1 = "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D ", *he2 = " \xD7\xA2\xD7\x95\xD7\x9C\xD7\x9D";
	ts_par_begin(p, &f);
	ts_par_add(p, &a, he1, strlen(he1), TS_PROSE);
	ts_math m;
	ts_math_init(&m);
	const char *tex = "a + b = c + d";
	CHECK(ts_math_set(&m, fs, tex, strlen(tex), 10, false, 0));
	CHECK(m.npieces > 1);
	ts_par_math(p, &m, 0);
	ts_par_add(p, &a, he2, strlen(he2), TS_PROSE);
	CHECK_INT(ts_par_end(p), 1);
	float x[4] = {-1, -1, -1, -1};
	for (size_t i = 0; i < L->nruns; i++) {
		const ts_run *r = &L->runs[i];
		if (r->kind == TS_RUN_TEXT && r->len == 1 && L->pool.ptr[r->off] >= 'a'
		    && L->pool.ptr[r->off] <= 'd')
			x[L->pool.ptr[r->off] - 'a'] = r->x;
	}
	CHECK(x[0] >= 0 && x[0] < x[1] && x[1] < x[2] && x[2] < x[3]);
	ts_math_free(&m);
	ts_par_free(p);
	ts_layout_free(L);
}

int main(void)
{
	RUN(every_formula_of_the_subset_parses);
	RUN(outside_the_subset_names_the_command);
	RUN(stacked_formulas_parse_as_limits_of_their_base);
	RUN(mathml_matches_the_golden_file);
	RUN(mathml_keeps_the_tex_in_alttext);
	RUN(mathml_stacks_over_and_under_the_base);
	RUN(prices_and_shell_variables_stay_text);
	RUN(display_lines_with_text_around);
	RUN(booklet_formulas_have_no_glyph_on_another);
	RUN(booklet_formulas_inside_the_measure_on_the_baseline);
	RUN(booklet_stacks_annotations_centred_in_script_size);
	RUN(a_long_formula_breaks_after_a_relation_only_when_it_must);
	RUN(a_formula_in_right_to_left_text_reads_left_to_right);
	for (int i = 0; i < nall; i++)
		free(all[i].tex);
	free(all);
	ts_fontset_free(fonts());
	return testing_done();
}
