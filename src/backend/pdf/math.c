/* math.c - formulas in the booklet, typeset by typeset/tsmath.c with
 * TeX's rules for math: inline in their paragraph (a break only where a
 * formula does not fit on a line, after a relation or an operation) and
 * displayed, centred on the measure with their \tag at the right margin.
 * A formula wider than the measure is set smaller until it fits. One
 * outside the subset quire typesets is shown as its TeX in the
 * monospaced face (the reader has said which command it did not know). */
#include <string.h>

#include "../../typeset/tsmath.h"
#include "pdfint.h"

/* The size of formulas in text of a size: scaled so that their x-height
 * is the text's (Computer Modern's is smaller than DejaVu's), by at most
 * a fifth. */
static float math_size(qbk *b, float size)
{
	int16_t t[4], m[4];
	ts_font_bbox(b->fonts, ts_font_role_face(b->fonts, TS_BODY), 'x', t);
	ts_font_bbox(b->fonts, ts_font_role_face(b->fonts, TS_MATHITALIC), 'x', m);
	float r = m[3] > 0 && t[3] > 0 ? (float)t[3] / (float)m[3] : 1.0f;
	return size * (r < 1.0f ? 1.0f : r > 1.2f ? 1.2f : r);
}

/* Set m at size, and smaller when its widest piece (or, displayed, the
 * formula with its tag) is wider than w. */
static bool set_to_fit(qbk *b, ts_math *m, const qnode *n, float size, bool display,
		       ts_rgb color, float w)
{
	size = math_size(b, size);
	if (!ts_math_set(m, b->fonts, n->text, n->len, size, display, color))
		return false;
	for (int k = 0; k < 4; k++) {
		float need = ts_math_widest(m) + (display && m->ntag ? m->tagw * 2 + size : 0);
		if (need <= w || need <= 0)
			break;
		size *= w / need * 0.99f;
		ts_math_set(m, b->fonts, n->text, n->len, size, display, color);
	}
	return true;
}

void qbk_math_inline(qbk *b, ts_par *p, const qnode *n, const ts_attr *a)
{
	ts_math m;
	ts_math_init(&m);
	if (set_to_fit(b, &m, n, a->size, false, a->color, ts_par_width(p))) {
		ts_par_math(p, &m, a->link);
	} else {
		ts_attr t = *a;
		t.role = TS_MONO;
		t.size = a->size * b->st.codespan_scale;
		ts_par_add(p, &t, n->text, n->len, n->len <= 24 ? TS_NOBREAK : TS_CODESPAN);
	}
	ts_math_free(&m);
}

/* A formula outside the subset: its TeX, one line per line, centred
 * (after a pending list label on a line of its own). */
static void tex_lines(qbk *b, const qnode *n, ts_parfmt *f)
{
	if (b->label[0]) {
		ts_attr la = {.role = TS_BODY, .size = b->st.body.size, .color = b->st.bullet_color};
		ts_par_begin(b->par, f);
		ts_par_label(b->par, &la, b->label, strlen(b->label));
		ts_par_end(b->par);
		b->label[0] = '\0';
	}
	ts_attr m = {.role = TS_MONO, .size = b->st.body.size * b->st.codespan_scale,
		     .color = b->st.body.color};
	f->align = TS_CENTER;
	ts_par_begin(b->par, f);
	const char *s = n->text, *e = n->text + n->len;
	while (s < e) {
		const char *nl = memchr(s, '\n', (size_t)(e - s));
		const char *le = nl ? nl : e;
		if (le > s)
			ts_par_add(b->par, &m, s, (size_t)(le - s), TS_CODESPAN);
		if (nl && nl + 1 < e && le > s)
			ts_par_newline(b->par);
		s = nl ? nl + 1 : e;
	}
	ts_par_end(b->par);
}

/* A display right after a line of text (`Therefore:`) completes it:
 * no page break between them, as TeX's \predisplaypenalty wants, when
 * the display can share a page with that line at all (height h; one
 * taller breaks where it must). */
static void keep_with_text(qbk *b, bool after_text, float h)
{
	if (after_text && h + 2 * b->st.body.leading < b->text_h)
		ts_v_keep(b->body, 1);
}

void qbk_math_block(qbk *b, const qnode *n, float x, float w, bool after_text)
{
	ts_parfmt f = {0};
	f.x = x;
	f.width = w;
	f.leading = b->st.body.leading;
	f.keep_together = true;
	/* in the box it stands in: a callout's tint and frame go on around it */
	size_t cap = sizeof b->ctx / sizeof *b->ctx;
	f.group = b->ctx[(size_t)b->depth < cap ? (size_t)b->depth : cap - 1].group;
	f.label_gap = 4.0f;
	ts_math m;
	ts_math_init(&m);
	if (set_to_fit(b, &m, n, b->st.body.size, true, b->st.body.color, w)) {
		keep_with_text(b, after_text, m.h + m.d);
		/* a list item that opens with the formula: its bullet beside it */
		ts_attr la = {.role = TS_BODY, .size = b->st.body.size, .color = b->st.bullet_color};
		ts_math_display(b->par, &m, &f, &la, b->label);
		b->label[0] = '\0';
	} else {
		keep_with_text(b, after_text, 0);   /* its first line */
		tex_lines(b, n, &f);
	}
	ts_math_free(&m);
}
