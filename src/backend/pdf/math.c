/* math.c - formulas in the booklet, for now: their TeX source as
 * written, in the monospaced face (inline like code, a block as centred
 * lines). A math typesetter will replace these two functions; nothing
 * else in the back end knows how formulas look. */
#include <string.h>

#include "pdfint.h"

void qbk_math_inline(qbk *b, ts_par *p, const qnode *n, const ts_attr *a)
{
	ts_attr m = *a;
	m.role = TS_MONO;
	m.size = a->size * b->st.codespan_scale;
	/* a short formula is one piece; a long one breaks like code */
	ts_par_add(p, &m, n->text, n->len, n->len <= 24 ? TS_NOBREAK : TS_CODESPAN);
}

void qbk_math_block(qbk *b, const qnode *n, float x, float w)
{
	ts_parfmt f = {0};
	f.x = x;
	f.width = w;
	f.leading = b->st.code.leading;
	f.align = TS_CENTER;
	f.keep_together = true;
	f.group = -1;
	ts_attr m = {TS_MONO, b->st.code.size, b->st.body.color, 0, false, 0, false, 0};
	ts_par_begin(b->par, &f);
	const char *s = n->text, *e = n->text + n->len;
	while (s < e) {   /* one line of the block per line of TeX */
		const char *nl = memchr(s, '\n', (size_t)(e - s));
		const char *le = nl ? nl : e;
		if (le > s)
			ts_par_add(b->par, &m, s, (size_t)(le - s), TS_CODESPAN);
		if (nl && nl + 1 < e)
			ts_par_newline(b->par);
		s = nl ? nl + 1 : e;
	}
	ts_par_end(b->par);
}
