/* math.c - formulas in the notes: the delimiters the lifter reads, the
 * placeholders it writes, displayed formulas on lines of their own,
 * formula-service images, and the check of each formula's TeX against the
 * subset quire typesets (see math.h). */
#include "math.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/walk.h"
#include "../util/find.h"
#include "../util/texmath.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Is s[k] escaped by an odd number of backslashes before it? */
static bool escaped(const char *s, size_t k)
{
	size_t b = 0;
	while (k > b && s[k - 1 - b] == '\\')
		b++;
	return b & 1;
}

/* A closing `$` at k: after a non-space, not before a digit or letter,
 * not part of `$$`, not escaped. */
static bool closes_one(const char *s, size_t n, size_t k)
{
	if (s[k] != '$' || k == 0 || is_space(s[k - 1]) || s[k - 1] == '$')
		return false;
	if (k + 1 < n && (is_alnum(s[k + 1]) || s[k + 1] == '$'))
		return false;
	return !escaped(s, k);
}

static bool closes_two(const char *s, size_t n, size_t k)
{
	return k + 1 < n && s[k] == '$' && s[k + 1] == '$' && (k == 0 || s[k - 1] != '$')
	       && !escaped(s, k);
}

static bool closes_tick(const char *s, size_t n, size_t k)
{
	return k + 1 < n && s[k] == '`' && s[k + 1] == '$';
}

/* The first k >= from with pred(k), remembered in *at (searches only go
 * forward: the scan's positions grow). */
static size_t next_where(const char *s, size_t n, size_t from, size_t *at, size_t *searched,
			 bool (*pred)(const char *, size_t, size_t))
{
	if (*at >= from && *searched <= from)
		return *at;
	size_t k = from;
	for (; k < n; k++)
		if (pred(s, n, k))
			break;
	*at = k;
	*searched = from;
	return k;
}

/* Is the `$ ` at s[i] the start of a line that is one formula, `$ x =
 * \frac{1}{2}$` (renderers such as KaTeX's and MathJax's take a space
 * after the opening dollar): the line's only other `$` ends it, and a
 * sign of a formula (= < > ^ _ \) is between? */
static bool formula_line(const char *s, size_t n, size_t i)
{
	if (i > 0 && s[i - 1] != '\n')
		return false;
	size_t e = i + 1;
	while (e < n && s[e] != '\n')
		e++;
	while (e > i + 1 && is_space(s[e - 1]))
		e--;
	if (e < i + 4 || s[e - 1] != '$' || is_space(s[e - 2]) || escaped(s, e - 1))
		return false;
	bool sign = false;
	for (size_t k = i + 1; k < e - 1; k++) {
		if (s[k] == '$')
			return false;
		sign |= s[k] == '=' || s[k] == '<' || s[k] == '>' || s[k] == '^' || s[k] == '_'
			|| s[k] == '\\';
	}
	return sign;
}

bool qmath_dollar(const char *s, size_t n, size_t i, qmath_scan *sc, qmath_span *out)
{
	if (i >= n || s[i] != '$')
		return false;
	if (!sc->ready) {
		sc->one = sc->two = sc->tick = 0;
		sc->from_one = sc->from_two = sc->from_tick = (size_t)-1;
		sc->ready = true;
	}
	if (i > 0 && (is_alnum(s[i - 1]) || s[i - 1] == '$'))
		return false;
	if (i + 1 < n && s[i + 1] == '`') {   /* $`…`$ */
		size_t r = 0;
		while (i + 1 + r < n && s[i + 1 + r] == '`')
			r++;
		size_t from = i + 1 + r;
		for (;;) {
			size_t k = next_where(s, n, from, &sc->tick, &sc->from_tick, closes_tick);
			if (k >= n)
				return false;
			size_t run = 0;
			while (k - run > i + r && s[k - run] == '`')
				run++;
			if (run == r && k + 1 - r > i + 1 + r) {
				*out = (qmath_span){k + 2 - i, 1 + r, k + 1 - r - (i + 1 + r), false};
				return true;
			}
			from = k + 1;
		}
	}
	if (i + 1 < n && s[i + 1] == '$') {   /* $$…$$ */
		if (i + 2 >= n || s[i + 2] == '$')
			return false;
		size_t k = next_where(s, n, i + 2, &sc->two, &sc->from_two, closes_two);
		if (k >= n || k == i + 2)
			return false;
		size_t a = i + 2;
		while (a < k && is_space(s[a]))
			a++;
		if (a == k)
			return false;
		*out = (qmath_span){k + 2 - i, 2, k - i - 2, true};
		return true;
	}
	if (i + 1 >= n || (is_space(s[i + 1]) && !formula_line(s, n, i)))
		return false;
	size_t k = next_where(s, n, i + 1, &sc->one, &sc->from_one, closes_one);
	if (k >= n || k < i + 2)
		return false;
	for (const char *d = memchr(s + i + 1, '$', k - i - 1); d;
	     d = memchr(d + 1, '$', (size_t)(s + k - d - 1)))
		if (!escaped(s, (size_t)(d - s)))
			return false;   /* `$5 but $x$`: the first one is a price */
	*out = (qmath_span){k + 1 - i, 1, k - i - 1, false};
	return true;
}

/* ------------------------------------------------------- placeholders */

#define PH_OPEN "<!--quire:math:"
#define LINK_OPEN "quire:math:"

int qlift_add_math(qlift *l, const char *tex, size_t n, bool display)
{
	if (l->nmaths == l->capmaths) {
		l->capmaths = l->capmaths ? l->capmaths * 2 : 16;
		l->maths = qxrealloc(l->maths, sizeof *l->maths * (size_t)l->capmaths);
	}
	l->maths[l->nmaths] = (qlift_math){qarena_strndup(&l->arena, tex, n), n, display};
	return l->nmaths++;
}

void qmath_put_placeholder(qbuf *out, int index, bool block)
{
	char ph[48];
	int k = snprintf(ph, sizeof ph, block ? PH_OPEN "%d-->" : "![](" LINK_OPEN "%d)", index);
	qbuf_put(out, ph, (size_t)k);
}

int qmath_image(const qlift *l, const char *url)
{
	size_t o = sizeof LINK_OPEN - 1;
	if (!l || !url || strncmp(url, LINK_OPEN, o) != 0)
		return -1;
	long v = 0;
	size_t k = o;
	while (url[k] >= '0' && url[k] <= '9' && v < 1000000000L)
		v = v * 10 + (url[k++] - '0');
	return k > o && !url[k] && v < l->nmaths ? (int)v : -1;
}

int qmath_placeholder(const qlift *l, const char *lit)
{
	size_t o = sizeof PH_OPEN - 1;
	while (lit && (*lit == ' ' || *lit == '\t'))
		lit++;   /* an HTML block keeps the indentation of its line */
	if (!l || strncmp(lit, PH_OPEN, o) != 0)
		return -1;
	long v = 0;
	size_t k = o;
	while (lit[k] >= '0' && lit[k] <= '9' && v < 1000000000L)
		v = v * 10 + (lit[k++] - '0');
	if (k == o || strncmp(lit + k, "-->", 3) != 0 || v >= l->nmaths)
		return -1;
	for (k += 3; lit[k]; k++)
		if (!is_space(lit[k]))
			return -1;
	return (int)v;
}

/* The next placeholder in s[0..n): its start, length and index. */
static const char *next_placeholder(const char *s, size_t n, size_t *len, long *index)
{
	static const char *const opens[] = {PH_OPEN, "![](" LINK_OPEN};
	static const char *const closes[] = {"-->", ")"};
	const char *best = NULL;
	for (int f = 0; f < 2; f++) {
		size_t o = strlen(opens[f]);
		for (const char *p = qmemmem(s, n, opens[f], o); p;
		     p = qmemmem(p + 1, n - (size_t)(p + 1 - s), opens[f], o)) {
			const char *d = p + o;
			long v = 0;
			while (d < s + n && *d >= '0' && *d <= '9' && v < 1000000000L)
				v = v * 10 + (*d++ - '0');
			size_t cl = strlen(closes[f]);
			if (d > p + o && (size_t)(s + n - d) >= cl && memcmp(d, closes[f], cl) == 0) {
				if (!best || p < best) {
					best = p;
					*len = (size_t)(d + cl - p);
					*index = v;
				}
				break;
			}
		}
	}
	return best;
}

const char *qmath_next_display(const qlift *l, const char *s, size_t n, size_t *len, int *index)
{
	static const char open[] = "![](" LINK_OPEN;
	size_t o = sizeof open - 1;
	for (const char *p = qmemmem(s, n, open, o); p; p = qmemmem(p + 1, n - (size_t)(p + 1 - s), open, o)) {
		const char *d = p + o, *e = s + n;
		long v = 0;
		while (d < e && *d >= '0' && *d <= '9' && v < 1000000000L)
			v = v * 10 + (*d++ - '0');
		if (d > p + o && d < e && *d == ')' && v < l->nmaths && l->maths[v].display) {
			*len = (size_t)(d + 1 - p);
			*index = (int)v;
			return p;
		}
	}
	return NULL;
}

const char *qmath_as_written(const qlift *l, const char *s, qbuf *tmp)
{
	if (!strstr(s, LINK_OPEN))
		return s;
	qbuf_reset(tmp);
	qmath_unplace(l, s, strlen(s), tmp);
	return tmp->ptr ? tmp->ptr : "";
}

void qmath_unplace(const qlift *l, const char *s, size_t n, qbuf *out)
{
	size_t len;
	long i;
	const char *p;
	while ((p = next_placeholder(s, n, &len, &i))) {
		qbuf_put(out, s, (size_t)(p - s));
		if (i < l->nmaths) {
			const qlift_math *m = &l->maths[i];
			qbuf_puts(out, m->display ? "$$" : "$");
			qbuf_put(out, m->tex, m->len);
			qbuf_puts(out, m->display ? "$$" : "$");
		} else {
			qbuf_put(out, p, len);
		}
		n -= (size_t)(p + len - s);
		s = p + len;
	}
	qbuf_put(out, s, n);
}

/* ---------------------------------------------------- displayed lines */

static size_t trim_right(const char *s, size_t n)
{
	while (n && is_space(s[n - 1]))
		n--;
	return n;
}

static size_t skip_left(const char *s, size_t n)
{
	size_t a = 0;
	while (a < n && is_space(s[a]))
		a++;
	return a;
}

/* Does the line (trimmed) end with the closer? Its length before it. */
static bool ends_with(const char *s, size_t n, const char *close, size_t *before)
{
	n = trim_right(s, n);
	size_t c = strlen(close);
	if (n < c || memcmp(s + n - c, close, c) != 0)
		return false;
	if (close[0] == '$' && n > c && (s[n - c - 1] == '$' || escaped(s, n - c)))
		return false;
	if (close[0] == '\\' && escaped(s, n - c))
		return false;
	*before = n - c;
	return true;
}

/* The first closer in the line that is not escaped (for `$$`, not part
 * of a longer run of dollars): its offset, or n. */
static size_t closer_in(const char *s, size_t n, const char *close)
{
	for (const char *p = qmemmem(s, n, close, 2); p; p = qmemmem(p + 1, n - (size_t)(p + 1 - s), close, 2)) {
		size_t k = (size_t)(p - s);
		if (escaped(s, k))
			continue;
		if (close[0] == '$' && ((k > 0 && s[k - 1] == '$') || (k + 2 < n && s[k + 2] == '$')))
			continue;
		return k;
	}
	return n;
}

/* A line of text s[0..len) (trimmed) that ends with an opener, `... as
 * follows: $$` or `\\[`: where the opener starts; len when it does not
 * end so, or its `$$` closes a formula of the line (an odd number of
 * others before it). */
static size_t opener_at_end(const char *s, size_t len)
{
	if (len < 3 || escaped(s, len - 2))
		return len;
	if (s[len - 2] == '\\' && s[len - 1] == '[')
		return qmemmem(s, len, "\\]", 2) ? len : len - 2;
	if (s[len - 2] != '$' || s[len - 1] != '$' || s[len - 3] == '$')
		return len;
	int others = 0;
	for (size_t k = 0; k + 2 < len; k++)
		if (closes_two(s, len, k) && s[k + 2] != '$') {
			others++;
			k++;
		}
	return others % 2 ? len : len - 2;
}

int qmath_display_lines(const qline_ref *lines, int n, qbuf *tex, size_t *lead, size_t *rest)
{
	*lead = *rest = 0;
	if (n < 1)
		return 0;
	const char *s = lines[0].s;
	size_t len = trim_right(s, lines[0].len), a = skip_left(s, len);
	size_t o = n > 1 ? opener_at_end(s, len) : len;
	if (o < len && o > a)
		a = *lead = o;   /* the text before it is the paragraph's */
	const char *close;
	if (len - a >= 2 && s[a] == '$' && s[a + 1] == '$' && (len - a == 2 || s[a + 2] != '$'))
		close = "$$";
	else if (len - a >= 2 && s[a] == '\\' && s[a + 1] == '[')
		close = "\\]";
	else
		return 0;
	a += 2;
	size_t before;
	if (len > a && ends_with(s + a, len - a, close, &before)) {   /* one line */
		const char *in = s + a;
		if (qmemmem(in, before, close, 2) || skip_left(in, before) == before)
			return 0;
		qbuf_put(tex, in, before);
		return 1;
	}
	if (qmemmem(s + a, len - a, close, 2))
		return 0;   /* `$$a$$ + $$b$$`: formulas inside the text */
	for (int j = 1; j < n; j++) {
		if (!ends_with(lines[j].s, lines[j].len, close, &before)) {
			/* `$$.` or `$$ where ...`: the formula ends there, the
			 * text after it is the paragraph's (KaTeX reads it so) */
			before = closer_in(lines[j].s, lines[j].len, close);
			if (before == lines[j].len)
				continue;
			*rest = before + 2;
		}
		qbuf_put(tex, s + a, len - a);
		for (int k = 1; k < j; k++) {
			qbuf_putc(tex, '\n');
			qbuf_put(tex, lines[k].s, lines[k].len);
		}
		qbuf_putc(tex, '\n');
		qbuf_put(tex, lines[j].s, before);
		return j + 1;
	}
	return -1;
}

/* ----------------------------------------------------- formula images */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* URL-decode s[0..n) into out ('+' is a space in a query). */
static void url_decode(const char *s, size_t n, bool plus, qbuf *out)
{
	for (size_t i = 0; i < n; i++) {
		int h, l;
		if (s[i] == '%' && i + 2 < n && (h = hexval(s[i + 1])) >= 0
		    && (l = hexval(s[i + 2])) >= 0) {
			qbuf_putc(out, (char)(h * 16 + l));
			i += 2;
		} else {
			qbuf_putc(out, plus && s[i] == '+' ? ' ' : s[i]);
		}
	}
}

/* codecogs options before the formula: \dpi{300}, \bg_white, \bg{white},
 * \inline, \fn_cm, \large is TeX and stays. */
static size_t codecogs_options(const char *s, size_t n)
{
	static const char *const opts[] = {"\\dpi{", "\\bg{", "\\fn_", "\\bg_", "\\inline", NULL};
	size_t i = 0;
	for (bool again = true; again;) {
		again = false;
		while (i < n && is_space(s[i]))
			i++;
		for (int k = 0; opts[k]; k++) {
			size_t ol = strlen(opts[k]);
			if (n - i < ol || memcmp(s + i, opts[k], ol) != 0)
				continue;
			i += ol;
			if (opts[k][ol - 1] == '{') {
				while (i < n && s[i] != '}')
					i++;
				i += i < n;
			} else if (opts[k][ol - 1] == '_') {
				while (i < n && is_alnum(s[i]))
					i++;
			}
			again = true;
			break;
		}
	}
	return i;
}

bool qmath_from_url(const char *url, qbuf *tex)
{
	const char *q = strchr(url, '?');
	if (!q || !q[1])
		return false;
	size_t before = tex->len;
	if (strstr(url, "latex.codecogs.com/") && strstr(url, "://") && q > strstr(url, "latex.codecogs.com/")) {
		qbuf raw = QBUF_INIT;
		url_decode(q + 1, strlen(q + 1), false, &raw);
		const char *r = raw.ptr ? raw.ptr : "";
		size_t skip = codecogs_options(r, raw.len);
		size_t e = trim_right(r + skip, raw.len - skip);
		qbuf_put(tex, r + skip, e);
		qbuf_free(&raw);
		return tex->len > before;
	}
	const char *m = strstr(url, "/render/math?");
	if (!m || m > q)
		return false;
	for (const char *p = q + 1; *p;) {   /* the math= parameter */
		const char *amp = strchr(p, '&');
		size_t pl = amp ? (size_t)(amp - p) : strlen(p);
		if (pl > 5 && strncmp(p, "math=", 5) == 0) {
			url_decode(p + 5, pl - 5, true, tex);
			return tex->len > before;
		}
		p += pl + (amp != NULL);
	}
	return false;
}

/* ------------------------------------------------------------- refine */

/* Is the image alone in its paragraph? */
static bool alone(const qnode *img)
{
	return img->parent && img->parent->type == QN_PARAGRAPH && !img->prev && !img->next;
}

static qnode *formula_image(qdoc *doc, qnode *img, qbuf *tmp)
{
	qbuf_reset(tmp);
	if (!img->u.link.url || !qmath_from_url(img->u.link.url, tmp))
		return NULL;
	bool block = alone(img) && img->parent->parent;
	qnode *m = qnode_new_text(doc, block ? QN_MATH_BLOCK : QN_MATH, img->line, tmp->ptr, tmp->len);
	qnode *at = block ? img->parent : img;
	qnode_insert_before(at, m);
	qnode_unlink(at);
	return m;
}

/* ------------------------------------------------------------- macros */

/* A macro the notes define in a displayed formula, as Typora and KaTeX
 * keep them for every formula after: `\newcommand{\opn}[1]{\operatorname{#1}}`. */
typedef struct macro {
	const char *name, *body;   /* name without its backslash */
	size_t nlen, blen;
	int nargs, order;          /* order: later definitions win */
} macro;

typedef struct macros {
	macro *v;
	int n, cap;
} macros;

#define MACRO_PASSES 16          /* macros that use macros, this deep */
#define MACRO_GROWTH 32          /* a formula may grow this many times */
#define MACRO_FLOOR 4096         /* or to this many bytes */
#define MACRO_BUDGET (16 << 20)  /* bytes written by all expansions, at most */

static bool is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The end of the brace group that opens at s[i] (`{`), past its `}`;
 * 0 when it is not closed. */
static size_t group_end(const char *s, size_t n, size_t i)
{
	int depth = 0;
	for (; i < n; i++) {
		if (s[i] == '\\') {
			i++;
			continue;
		}
		depth += s[i] == '{';
		depth -= s[i] == '}';
		if (!depth)
			return i + 1;
	}
	return 0;
}

/* A definition at s[i] (`\newcommand` or `\renewcommand`, the name in
 * braces or not, `[n]` arguments, a braced body): its end, the macro in
 * *m; 0 when there is none there. */
static size_t definition(const char *s, size_t n, size_t i, macro *m)
{
	static const char *const heads[] = {"\\newcommand", "\\renewcommand", NULL};
	size_t j = 0;
	for (int k = 0; heads[k] && !j; k++) {
		size_t l = strlen(heads[k]);
		if (n - i >= l && !memcmp(s + i, heads[k], l) && (i + l == n || !is_letter(s[i + l])))
			j = i + l;
	}
	if (!j)
		return 0;
	bool braced = j < n && s[j] == '{';
	j += braced;
	if (j >= n || s[j] != '\\')
		return 0;
	size_t name = ++j;
	while (j < n && is_letter(s[j]))
		j++;
	if (j == name || (braced && (j >= n || s[j++] != '}')))
		return 0;
	m->name = s + name;
	m->nlen = (braced ? j - 1 : j) - name;
	m->nargs = 0;
	if (j < n && s[j] == '[') {
		if (j + 2 >= n || s[j + 1] < '0' || s[j + 1] > '9' || s[j + 2] != ']')
			return 0;
		m->nargs = s[j + 1] - '0';
		j += 3;
	}
	if (j >= n || s[j] != '{')
		return 0;   /* an optional argument's default: not read */
	size_t end = group_end(s, n, j);
	if (!end)
		return n;   /* its body never closes: nor does any after it */
	m->body = s + j + 1;
	m->blen = end - j - 2;
	return end;
}

static void add_macro(macros *ms, const macro *m)
{
	if (ms->n == ms->cap) {
		ms->cap = ms->cap ? 2 * ms->cap : 32;
		ms->v = qxrealloc(ms->v, sizeof *ms->v * (size_t)ms->cap);
	}
	ms->v[ms->n] = *m;
	ms->v[ms->n].order = ms->n;
	ms->n++;
}

/* Takes the definitions out of a displayed formula's TeX (with its `%`
 * comments, which only describe them) into ms; returns whether there
 * were any, the rest of the formula in out. */
static bool take_definitions(qdoc *doc, const char *s, size_t n, macros *ms, qbuf *out)
{
	bool any = false;
	for (size_t i = 0; i < n;) {
		macro m = {0};
		size_t end = s[i] == '\\' ? definition(s, n, i, &m) : 0;
		if (end == n && !m.body) {   /* unclosed: the rest stays as written */
			qbuf_put(out, s + i, n - i);
			break;
		}
		if (end) {
			m.name = qdoc_strdup(doc, m.name, m.nlen);
			m.body = qdoc_strdup(doc, m.body, m.blen);
			add_macro(ms, &m);
			any = true;
			i = end;
		} else if (s[i] == '%' && (!i || s[i - 1] != '\\')) {
			while (i < n && s[i] != '\n')
				i++;
		} else {
			if (s[i] == '\\' && i + 1 < n)
				qbuf_putc(out, s[i++]);   /* `\%` stays */
			qbuf_putc(out, s[i++]);
		}
	}
	return any;
}

static int by_name(const void *a, const void *b)
{
	const macro *x = a, *y = b;
	size_t l = x->nlen < y->nlen ? x->nlen : y->nlen;
	int c = memcmp(x->name, y->name, l);
	if (c || x->nlen != y->nlen)
		return c ? c : (x->nlen < y->nlen ? -1 : 1);
	return x->order - y->order;
}

/* Sorted by name, the last definition of each name kept. */
static void sort_macros(macros *ms)
{
	qsort(ms->v, (size_t)ms->n, sizeof *ms->v, by_name);
	int k = 0;
	for (int i = 0; i < ms->n; i++) {
		if (k && ms->v[k - 1].nlen == ms->v[i].nlen
		    && !memcmp(ms->v[k - 1].name, ms->v[i].name, ms->v[i].nlen))
			k--;
		ms->v[k++] = ms->v[i];
	}
	ms->n = k;
}

static const macro *find_macro(const macros *ms, const char *name, size_t n)
{
	int lo = 0, hi = ms->n - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		const macro *m = &ms->v[mid];
		size_t l = m->nlen < n ? m->nlen : n;
		int c = memcmp(m->name, name, l);
		if (!c)
			c = m->nlen < n ? -1 : m->nlen > n;
		if (!c)
			return m;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

/* One argument at s[*i]: a brace group (its inside) or one token (a
 * command or a character), after spaces. */
static bool argument(const char *s, size_t n, size_t *i, const char **a, size_t *an)
{
	while (*i < n && (s[*i] == ' ' || s[*i] == '\n'))
		(*i)++;
	if (*i >= n)
		return false;
	size_t j = *i;
	if (s[j] == '{') {
		size_t end = group_end(s, n, j);
		if (!end) {
			*i = n;   /* unclosed: no later group closes before the end either */
			return false;
		}
		*a = s + j + 1;
		*an = end - j - 2;
		*i = end;
		return true;
	}
	if (s[j] == '\\' && j + 1 < n) {
		j++;
		if (is_letter(s[j]))
			while (j + 1 < n && is_letter(s[j + 1]))
				j++;
	}
	while (j + 1 < n && ((unsigned char)s[j + 1] & 0xC0) == 0x80)
		j++;   /* a character of several bytes: all of them */
	*a = s + *i;
	*an = j + 1 - *i;
	*i = j + 1;
	return true;
}

/* One pass of expansion of s into out: each use of a macro replaced by
 * its body, `#1`...`#9` by its arguments. Returns how many uses, or -1
 * as soon as out grows past limit. */
static int expand_once(const macros *ms, const char *s, size_t n, qbuf *out, size_t limit)
{
	int used = 0;
	for (size_t i = 0; i < n;) {
		if (out->len > limit)
			return -1;
		if (s[i] != '\\' || i + 1 >= n || !is_letter(s[i + 1])) {
			if (s[i] == '\\' && i + 1 < n)
				qbuf_putc(out, s[i++]);
			qbuf_putc(out, s[i++]);
			continue;
		}
		size_t j = i + 1;
		while (j < n && is_letter(s[j]))
			j++;
		const macro *m = find_macro(ms, s + i + 1, j - i - 1);
		const char *arg[9];
		size_t alen[9];
		int got = 0;
		size_t k = j;
		while (m && got < m->nargs && argument(s, n, &k, &arg[got], &alen[got]))
			got++;
		if (m && got < m->nargs && k >= n) {   /* an argument never closes */
			qbuf_put(out, s + i, n - i);
			break;
		}
		if (!m || got < m->nargs) {
			qbuf_put(out, s + i, j - i);
			i = j;
			continue;
		}
		for (size_t b = 0; b < m->blen; b++) {
			int a = b + 1 < m->blen && m->body[b] == '#' ? m->body[b + 1] - '1' : -1;
			if (a >= 0 && a < m->nargs) {   /* without its braces, as TeX */
				qbuf_put(out, arg[a], alen[a]);
				b++;
			} else {
				qbuf_putc(out, m->body[b]);
			}
		}
		if (k < n && is_letter(s[k]) && m->blen && is_letter(m->body[m->blen - 1]))
			qbuf_putc(out, ' ');   /* `\x y` after `\x`=`\times`: not `\timesy` */
		used++;
		i = k;
	}
	return used;
}

/* A formula's TeX with the notes' macros expanded, pass by pass, into
 * out; false (out undefined) when it grows past its bound or the bytes
 * all expansions may write (*budget, spent as they are written) run out. */
static bool expand_macros(const macros *ms, const char *s, size_t n, qbuf *out, size_t *budget)
{
	size_t bound = n * MACRO_GROWTH > MACRO_FLOOR ? n * MACRO_GROWTH : MACRO_FLOOR;
	qbuf a = QBUF_INIT;
	qbuf_put(&a, s, n);
	bool ok = true;
	for (int pass = 0; pass < MACRO_PASSES; pass++) {
		qbuf_reset(out);
		size_t limit = bound < *budget ? bound : *budget;
		int used = expand_once(ms, a.ptr ? a.ptr : "", a.len, out, limit);
		*budget -= out->len < *budget ? out->len : *budget;
		if (used < 0 || out->len > limit) {
			ok = false;
			break;
		}
		qbuf_reset(&a);
		qbuf_put(&a, out->ptr ? out->ptr : "", out->len);
		if (!used)
			break;
	}
	qbuf_free(&a);
	return ok;
}

/* The notes' own macros: definitions in displayed formulas (Typora's
 * preamble of `\newcommand`s) are taken out of them, a formula left
 * with nothing goes, and every formula has the macros expanded. */
static void notes_macros(qdoc *doc)
{
	macros ms = {0};
	qbuf rest = QBUF_INIT;
	qnode **empty = NULL;
	size_t nempty = 0, cap = 0;
	qiter it;
	qnode *n;
	qiter_init_of(&it, doc, QN_MATH_BLOCK);
	while (qiter_next_of(&it, &n, QN_MATH_BLOCK)) {
		qbuf_reset(&rest);
		if (!take_definitions(doc, n->text, n->len, &ms, &rest))
			continue;
		const char *r = rest.ptr ? rest.ptr : "";
		size_t rn = rest.len;
		while (rn && (r[0] == ' ' || r[0] == '\n' || r[0] == '\t')) {
			r++;
			rn--;
		}
		while (rn && (r[rn - 1] == ' ' || r[rn - 1] == '\n' || r[rn - 1] == '\t'))
			rn--;
		n->text = qdoc_strdup(doc, r, rn);
		n->len = rn;
		if (!rn) {
			if (nempty == cap) {
				cap = cap ? 2 * cap : 4;
				empty = qxrealloc(empty, sizeof *empty * cap);
			}
			empty[nempty++] = n;
		}
	}
	for (size_t k = 0; k < nempty; k++)   /* changed after the walk */
		qnode_unlink(empty[k]);
	free(empty);
	if (ms.n) {
		sort_macros(&ms);
		size_t budget = MACRO_BUDGET;
		qiter_init(&it, doc->root);
		while (budget && qiter_next_of(&it, &n, QN_NONE)) {
			if ((n->type != QN_MATH && n->type != QN_MATH_BLOCK) || !n->len)
				continue;
			if (expand_macros(&ms, n->text, n->len, &rest, &budget)) {
				n->text = qdoc_strdup(doc, rest.ptr ? rest.ptr : "", rest.len);
				n->len = rest.len;
			}
		}
	}
	free(ms.v);
	qbuf_free(&rest);
}

static void check_formula(const qnode *n, qdiags *d)
{
	qtex_error e;
	qtex *t = qtex_parse(n->text, n->len, &e);
	if (t) {
		qtex_free(t);
		return;
	}
	qdiag_add(d, QD_WARNING, n->line, 0, "math",
		  "formula not typeset (%s); shown as its TeX", e.msg);
}

void qmath_refine(qdoc *doc, qdiags *d)
{
	qbuf tmp = QBUF_INIT;
	qnode **imgs = NULL;
	size_t nimg = 0, cap = 0;
	qiter it;
	qnode *n;
	notes_macros(doc);
	qiter_init(&it, doc->root);
	while (qiter_next_of(&it, &n, QN_NONE)) {
		if (n->type == QN_IMAGE && n->u.link.url && strchr(n->u.link.url, '?')) {
			if (nimg == cap) {
				cap = cap ? cap * 2 : 8;
				imgs = qxrealloc(imgs, sizeof *imgs * cap);
			}
			imgs[nimg++] = n;
		} else if (n->type == QN_MATH || n->type == QN_MATH_BLOCK) {
			check_formula(n, d);
		}
	}
	for (size_t k = 0; k < nimg; k++) {   /* changed after the walk */
		qnode *m = formula_image(doc, imgs[k], &tmp);
		if (m)
			check_formula(m, d);
	}
	free(imgs);
	qbuf_free(&tmp);
}
