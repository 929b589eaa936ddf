/* divs.c - Pandoc's fenced divs rewritten as callout quotes, line for
 * line (see divs.h).
 *
 * Two passes over the lines. The first pairs the fences as Pandoc does
 * (an opener names a class or attributes, a line of colons alone closes
 * the innermost open div; fences inside fenced code are code); an opener
 * left without a closer, or a closer without an opener, is no fence and
 * stays text. The second writes every line again: an opener of a framing
 * kind becomes `> [!kind] Title`, the lines inside get one `> ` more per
 * framing div around them, fence lines become blank lines of the quote
 * they leave. A div with no title that opens with a heading (Quarto and
 * The Carpentries title a box so) has that heading as its title, on the
 * heading's line. MyST (Jupyter Book) writes the same fences with a
 * directive in braces, `:::{prf:theorem} Title`, its options on the lines
 * after it (`:label: thm-x`): the options and MyST's targets
 * (`(sec:intro)=`) are no text either. MyST also writes a directive as
 * a code fence (```` ```{note} ````, closed by a fence of as many
 * backticks or more): a box is read as in colon fences, `{figure} path`
 * becomes its picture; any other directive or language is code.
 */
#include "divs.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/arena.h"
#include "../util/find.h"

typedef enum {
	D_TEXT,
	D_OPEN,
	D_CLOSE,
	D_OPTION,   /* a MyST directive's option (`:label: x`): no text */
	D_TARGET,   /* a MyST target (`(sec:intro)=`): no text */
} dtype;

typedef struct dline {
	const char *s;
	size_t len;
	dtype t;
	int title_line;     /* D_OPEN: the heading line that titles it, or -1 */
	bool box;           /* D_OPEN: a framed note (else only layout) */
	bool heads;         /* D_TEXT: a heading that titles its div */
	int div;            /* heads: the opener it titles */
	char kind[24];      /* D_OPEN: the callout's kind */
	const char *title;  /* D_OPEN: the title as written (attribute or rest) */
	size_t tlen;
	bool escaped;       /* the title is a quoted attribute (\" and \\) */
	bool myst;          /* D_OPEN: a MyST directive (`:::{prf:theorem} Title`) */
	char fch;           /* D_OPEN: the backtick or tilde of a MyST directive
	                     * written as a code fence (```` ```{note} ````), else 0 */
	size_t flen;        /* and its length */
	bool image;         /* D_OPEN: `{figure} path`: the picture, its title the path */
	char label[24];     /* D_OPEN: the title of an untitled statement */
} dline;

/* ------------------------------------------------------------ fences */

static size_t skip_spaces(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* The colons of a fence: where they end, 0 when the line has fewer than
 * three after up to three spaces. */
static size_t colons(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && i < 3 && s[i] == ' ')
		i++;
	size_t c = i;
	while (c < n && s[c] == ':')
		c++;
	return c - i >= 3 ? c : 0;
}

/* Trailing colons and spaces of an opener (`::: note :::`). */
static size_t trim_tail(const char *s, size_t n, size_t from)
{
	while (n > from && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == ':' || s[n - 1] == '\r'))
		n--;
	return n;
}

bool qdiv_fence(const char *s, size_t n, bool *opens)
{
	size_t c = colons(s, n);
	if (!c)
		return false;
	size_t i = skip_spaces(s, n, c);
	size_t e = trim_tail(s, n, i);
	if (i >= e) {
		*opens = false;
		return true;
	}
	if (s[i] == '{') {
		*opens = memchr(s + i, '}', e - i) != NULL;
		return *opens;
	}
	*opens = isalpha((unsigned char)s[i]) != 0;
	return *opens;
}

/* A code fence (``` or ~~~, three or more) at the start of a line after
 * its indentation: its character and length, 0 when none. */
static size_t code_fence(const char *s, size_t n, char *ch)
{
	size_t i = skip_spaces(s, n, 0), k = i;
	if (i >= n || (s[i] != '`' && s[i] != '~'))
		return 0;
	while (k < n && s[k] == s[i])
		k++;
	if (k - i < 3)
		return 0;
	*ch = s[i];
	return k - i;
}

static bool myst_name(const char *s, size_t n);
static bool framing_kind(const char *k);
static void set_kind(dline *l, const char *s, size_t n);

/* A directive's kind from its name: `prf:theorem` is a theorem. */
static void directive_kind(dline *l, const char *name, size_t n)
{
	const char *colon = memrchr(name, ':', n), *k = colon ? colon + 1 : name;
	set_kind(l, k, (size_t)(name + n - k));
}

/* The directives MyST writes as a code fence that are no code: boxes
 * (```` ```{note} ````, `{admonition} Title`, `{prf:theorem}`) and
 * pictures (`{figure} path`, `{image} path`); a code fence of k `ch`
 * opens the line. */
static bool fenced_directive(const char *s, size_t n, size_t k)
{
	size_t i = skip_spaces(s, n, skip_spaces(s, n, 0) + k), nlen, alen;
	const char *name, *arg;
	if (!qdiv_myst_directive(s + i, n - i, &name, &nlen, &arg, &alen))
		return false;
	dline d = {0};   /* the kind as the opener's reading names it */
	directive_kind(&d, name, nlen);
	return framing_kind(d.kind) || !strcmp(d.kind, "admonition") || !strcmp(d.kind, "figure")
	       || !strcmp(d.kind, "image");
}

/* Is line l a bare code fence of at least len `ch` (a closer)? */
static bool closes_fence(const dline *l, size_t k, char ch, char want, size_t len)
{
	return k >= len && ch == want
	       && skip_spaces(l->s, l->len, skip_spaces(l->s, l->len, 0) + k) == l->len;
}

/* Classify every line and pair the fences; unpaired ones are text. */
static void pair_fences(dline *L, int n, int *stack)
{
	int top = 0;
	char fch = 0;
	size_t flen = 0;
	for (int i = 0; i < n; i++) {
		char ch = 0;
		size_t k = code_fence(L[i].s, L[i].len, &ch);
		if (fch) {   /* inside fenced code: only its closer counts */
			if (closes_fence(&L[i], k, ch, fch, flen))
				fch = 0;
			continue;
		}
		const dline *o = top ? &L[stack[top - 1]] : NULL;
		if (k && o && o->fch && closes_fence(&L[i], k, ch, o->fch, o->flen)) {
			L[i].t = D_CLOSE;   /* the fence of a directive */
			top--;
			continue;
		}
		if (k && fenced_directive(L[i].s, L[i].len, k)) {
			L[i].t = D_OPEN;
			L[i].fch = ch;
			L[i].flen = k;
			stack[top++] = i;
			continue;
		}
		if (k) {
			fch = ch;
			flen = k;
			continue;
		}
		bool opens;
		if (!qdiv_fence(L[i].s, L[i].len, &opens))
			continue;
		if (opens) {
			L[i].t = D_OPEN;
			stack[top++] = i;
		} else if (o && !o->fch) {
			L[i].t = D_CLOSE;
			top--;
		}
	}
	while (top)   /* never closed: no div */
		L[stack[--top]].t = D_TEXT;
}

/* ------------------------------------------------------------ kinds */

/* Kinds that frame what they hold: statements, questions and answers,
 * asides, and the boxes of lessons (The Carpentries). A div of another
 * class frames only when it is titled; untitled, it only lays out. */
static const char *const framing[] = {
	"theorem", "lemma", "proposition", "corollary", "claim", "conjecture", "definition",
	"axiom", "law", "property", "fact", "remark", "example", "examples", "exercise",
	"exercises", "problem", "question", "questions", "challenge", "solution", "answer",
	"hint", "proof", "note", "notes", "tip", "warning", "caution", "important", "info",
	"danger", "attention", "summary", "abstract", "objectives", "keypoints", "instructor",
	"discussion", "checklist", "prereq", "prereqs", "testimonial", "task", "idea",
	"algorithm", "notation", "observation", "assumption", "criterion", "block", NULL,
};

/* Short spellings and Quarto's cross-reference prefixes (`#thm-x`). */
static const char *const aliases[][2] = {
	{"thm", "theorem"}, {"lem", "lemma"}, {"prop", "proposition"}, {"prp", "proposition"},
	{"cor", "corollary"}, {"def", "definition"}, {"defn", "definition"},
	{"exm", "example"}, {"exr", "exercise"}, {"cnj", "conjecture"}, {"rem", "remark"},
	{"alg", "algorithm"}, {"sol", "solution"}, {"callout", "note"}, {"sidebar", "note"},
	{NULL, NULL},
};

static bool framing_kind(const char *k)
{
	for (int i = 0; framing[i]; i++)
		if (!strcmp(k, framing[i]))
			return true;
	return false;
}

/* The kind of a class (or of an id's prefix): its letters up to the
 * first other character, in lower case (`callout-tip` is a tip, Quarto's
 * callouts; `solution_explained` a solution), its alias resolved. */
static void set_kind(dline *l, const char *s, size_t n)
{
	if (n > 8 && !strncasecmp(s, "callout-", 8)) {
		s += 8;
		n -= 8;
	}
	size_t k = 0;
	while (k < n && k + 1 < sizeof l->kind && isalpha((unsigned char)s[k])) {
		l->kind[k] = (char)tolower((unsigned char)s[k]);
		k++;
	}
	l->kind[k] = '\0';
	for (int i = 0; aliases[i][0]; i++)
		if (!strcmp(l->kind, aliases[i][0]))
			strcpy(l->kind, aliases[i][1]);
}

/* `{.theorem #thm-x title="Name"}`: the first class names the kind (else
 * the id's prefix, `#thm-`), `title` or `name` the title. */
static void read_attributes(dline *l, const char *s, size_t n)
{
	bool have_class = false;
	for (size_t i = 0; i < n;) {
		i = skip_spaces(s, n, i);
		size_t w = i;
		while (w < n && s[w] != ' ' && s[w] != '=' && s[w] != '\t')
			w++;
		if (w < n && s[w] == '=') {   /* key=value or key="value" */
			size_t key = i, klen = w - i, v = w + 1, vlen = 0;
			bool quoted = v < n && s[v] == '"';
			if (quoted) {
				size_t e = ++v;
				while (e < n && s[e] != '"')
					e += s[e] == '\\' && e + 1 < n ? 2 : 1;
				vlen = (e < n ? e : n) - v;
				i = e + 1;
			} else {
				size_t e = v;
				while (e < n && s[e] != ' ')
					e++;
				vlen = e - v;
				i = e;
			}
			if ((klen == 5 && !strncmp(s + key, "title", 5))
			    || (klen == 4 && !strncmp(s + key, "name", 4))) {
				l->title = s + v;
				l->tlen = vlen;
				l->escaped = quoted;
			}
			continue;
		}
		if (i < n && s[i] == '.' && !have_class) {
			set_kind(l, s + i + 1, w - i - 1);
			have_class = true;
		} else if (i < n && s[i] == '#' && !have_class) {
			const char *dash = memchr(s + i, '-', w - i);
			if (dash)
				set_kind(l, s + i + 1, (size_t)(dash - s) - i - 1);
		}
		i = w > i ? w : i + 1;
	}
}

/* `{prf:theorem}`, `{note}`, `{admonition}`: a MyST directive's name in
 * braces (a word, maybe with a domain before a colon), not Pandoc's
 * attributes (`.class`, `#id`, `key=value`). */
static bool myst_name(const char *s, size_t n)
{
	if (!n || !isalpha((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != ':' && s[i] != '-' && s[i] != '_')
			return false;
	return true;
}

bool qdiv_myst_directive(const char *s, size_t n, const char **name, size_t *nlen,
			 const char **arg, size_t *alen)
{
	const char *close = n && s[0] == '{' ? memchr(s, '}', n) : NULL;
	if (!close || !myst_name(s + 1, (size_t)(close - s) - 1))
		return false;
	*name = s + 1;
	*nlen = (size_t)(close - s) - 1;
	size_t a = skip_spaces(s, n, (size_t)(close - s) + 1), e = a;
	while (e < n && s[e] != ' ' && s[e] != '\t')
		e++;
	*arg = s + a;
	*alen = e - a;
	return true;
}

/* MyST's generic admonition is titled by what it holds (`Solution`,
 * `Proof of ...`): its title's first word, when it names a framing kind,
 * is its kind; else it is a note. */
static void name_admonition(dline *l)
{
	size_t w = 0;
	while (w < l->tlen && isalpha((unsigned char)l->title[w]))
		w++;
	set_kind(l, l->title, w);
	if (!w || !framing_kind(l->kind))
		strcpy(l->kind, "note");
}

/* An opener's kind and title: braced attributes, or a word and, after
 * it, the title (`::: theorem Taylor's theorem`; `::: Theorem 1 (...)`,
 * whose title keeps the word before a number; Docusaurus' and VuePress'
 * containers, `:::tip[Title]`, `::: warning Title`, read alike). */
static void read_opener(dline *l)
{
	const char *s = l->s;
	size_t n = l->len, f = colons(s, n);
	if (l->fch)   /* ```{note}: after its backticks */
		f = skip_spaces(s, n, 0) + l->flen;
	size_t i = skip_spaces(s, n, f), e = trim_tail(s, n, i);
	if (s[i] == '{') {
		const char *name, *arg;
		size_t nlen, alen;
		if (!qdiv_myst_directive(s + i, e - i, &name, &nlen, &arg, &alen)) {
			const char *close = memchr(s + i, '}', e - i);
			read_attributes(l, s + i + 1, (size_t)(close - s) - i - 1);
			return;
		}
		directive_kind(l, name, nlen);
		size_t t = (size_t)(arg - s);   /* the title: what follows the name */
		l->myst = true;
		l->title = s + t;
		l->tlen = e > t ? e - t : 0;
		l->image = !strcmp(l->kind, "figure") || !strcmp(l->kind, "image");
		if (!strcmp(l->kind, "admonition"))
			name_admonition(l);
		return;
	}
	size_t w = i;
	while (w < e && (isalnum((unsigned char)s[w]) || s[w] == '-' || s[w] == '_'))
		w++;
	set_kind(l, s + i, w - i);
	size_t t = skip_spaces(s, e, w);
	if (t + 1 < e && s[t] == '[' && s[e - 1] == ']') {   /* Docusaurus: `:::tip[Title]` */
		l->title = s + t + 1;
		l->tlen = e - t - 2;
	} else if (t < e) {
		l->title = isdigit((unsigned char)s[t]) ? s + i : s + t;
		l->tlen = (size_t)(s + e - l->title);
	}
}

/* An ATX heading's text (`## Title` -> `Title`), 0 when the line is none. */
static size_t heading_text(const char *s, size_t n, const char **text)
{
	size_t i = 0;
	while (i < n && i < 3 && s[i] == ' ')
		i++;
	size_t h = i;
	while (h < n && s[h] == '#')
		h++;
	if (h == i || h - i > 6 || (h < n && s[h] != ' ' && s[h] != '\t'))
		return 0;
	size_t t = skip_spaces(s, n, h), e = n;
	while (e > t && (s[e - 1] == ' ' || s[e - 1] == '\r'))
		e--;
	size_t c = e;   /* a closing sequence of #s after a space */
	while (c > t && s[c - 1] == '#')
		c--;
	if (c < e && (c == t || s[c - 1] == ' '))
		e = c;
	while (e > t && s[e - 1] == ' ')
		e--;
	*text = s + t;
	return e - t;
}

/* A MyST directive's option line: `:name:` then its value, if any. */
static bool option_line(const char *s, size_t n)
{
	if (n < 3 || s[0] != ':' || !isalpha((unsigned char)s[1]))
		return false;
	size_t i = 1;
	while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '_'))
		i++;
	return i < n && s[i] == ':' && (i + 1 == n || s[i + 1] == ' ');
}

/* Does a line open or close a block of MyST options (`---`, then
 * spaces only when it opens)? */
static bool options_rule(const char *s, size_t n, bool opens)
{
	return n >= 3 && !memcmp(s, "---", 3) && (!opens || skip_spaces(s, n, 3) == n);
}

size_t qdiv_myst_options(const char *s, size_t n)
{
	size_t i = 0;
	bool block = false;
	while (i < n) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - s) - i : n - i, next = nl ? i + len + 1 : n;
		if (!i && options_rule(s, len, true)) {
			block = true;
		} else if (block) {
			if (options_rule(s + i, len, false))
				return next;   /* a closed block */
		} else if (!option_line(s + i, len)) {
			break;
		}
		i = next;
	}
	return block ? 0 : i;
}

/* The options right after a MyST directive's opener (`:label: x`, or a
 * block of them between `---` lines) are settings, not text. Returns
 * the line after them. */
static int mark_options(dline *L, int n, int i)
{
	int j = i + 1;
	if (j < n && L[j].t == D_TEXT && options_rule(L[j].s, L[j].len, true)) {
		int k = j + 1;
		while (k < n && L[k].t == D_TEXT && !options_rule(L[k].s, L[k].len, false))
			k++;
		if (k < n && L[k].t == D_TEXT) {   /* a closed block */
			for (int x = j; x <= k; x++)
				L[x].t = D_OPTION;
			return k + 1;
		}
	}
	while (j < n && L[j].t == D_TEXT && option_line(L[j].s, L[j].len))
		L[j++].t = D_OPTION;
	return j;
}

/* Kinds that state (a statement's box): untitled, such a box is titled
 * by its kind, the name the notes gave it (`{prf:Definition}`). */
static const char *const stating[] = {
	"theorem", "lemma", "proposition", "corollary", "claim", "conjecture", "definition",
	"axiom", "law", "property", "fact", NULL,
};

static void label_by_kind(dline *l)
{
	for (int i = 0; stating[i]; i++)
		if (!strcmp(l->kind, stating[i])) {
			strcpy(l->label, l->kind);
			l->label[0] = (char)toupper((unsigned char)l->label[0]);
		}
}

/* `(sec:intro)=` alone on a line: a MyST target (a label for references
 * elsewhere), no text. */
static bool target_line(const char *s, size_t n)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\r'))
		n--;
	if (n < 4 || s[0] != '(' || s[n - 2] != ')' || s[n - 1] != '=')
		return false;
	for (size_t i = 1; i + 2 < n; i++)
		if (s[i] == ' ' || s[i] == '(' || s[i] == ')')
			return false;
	return true;
}

/* Decide what each opener is: a framing div (titled, or of a framing
 * kind) or layout; an untitled framing div whose first line is a
 * heading takes it as its title. */
static void read_openers(dline *L, int n)
{
	for (int i = 0; i < n; i++) {
		dline *l = &L[i];
		if (l->t == D_TEXT && target_line(l->s, l->len))
			l->t = D_TARGET;
		if (l->t != D_OPEN)
			continue;
		l->title_line = -1;
		read_opener(l);
		int j = l->myst ? mark_options(L, n, i) : i + 1;
		l->box = l->kind[0] && !l->image && (l->tlen || framing_kind(l->kind));
		if (!l->box || l->tlen)
			continue;
		while (j < n && L[j].t == D_TEXT && skip_spaces(L[j].s, L[j].len, 0) == L[j].len)
			j++;
		const char *t;
		if (j < n && L[j].t == D_TEXT && heading_text(L[j].s, L[j].len, &t)) {
			l->title_line = j;
			L[j].heads = true;
			L[j].div = i;
		} else {
			label_by_kind(l);
		}
	}
}

/* ------------------------------------------------------------ writing */

static void put_prefix(qbuf *out, int depth, bool blank)
{
	for (int k = 0; k < depth; k++)
		qbuf_puts(out, k + 1 < depth || !blank ? "> " : ">");
}

/* A title as the callout's first line: a quoted attribute unescaped, on
 * one line. */
static void put_title(qbuf *out, const char *t, size_t n, bool escaped)
{
	for (size_t i = 0; i < n; i++) {
		if (escaped && t[i] == '\\' && i + 1 < n && (t[i + 1] == '"' || t[i + 1] == '\\'))
			i++;
		qbuf_putc(out, t[i] == '\n' || t[i] == '\r' ? ' ' : t[i]);
	}
}

static void put_head(qbuf *out, int depth, const dline *o, const char *t, size_t tn, bool esc)
{
	put_prefix(out, depth, false);
	qbuf_puts(out, "> [!");
	qbuf_puts(out, o->kind);
	qbuf_putc(out, ']');
	if (tn) {
		qbuf_putc(out, ' ');
		put_title(out, t, tn, esc);
	}
}

/* Framed divs nest up to this deep; deeper ones only lay out (each line
 * of a quote writes its depth again: no quadratic output). */
#define DIV_DEPTH_MAX 16

static void write_lines(dline *L, int n, bool *open_box, qbuf *out)
{
	int depth = 0, top = 0;
	for (int i = 0; i < n; i++) {
		dline *l = &L[i];
		if (l->t == D_OPEN) {
			bool box = l->box && depth < DIV_DEPTH_MAX;
			if (!box && l->title_line >= 0)
				L[l->title_line].heads = false;   /* its heading stays one */
			open_box[top++] = box;
			if (l->image && l->tlen) {   /* {figure} path: the picture, its caption below */
				put_prefix(out, depth, false);
				qbuf_puts(out, "![](");
				qbuf_put(out, l->title, l->tlen);
				qbuf_putc(out, ')');
			} else if (box && l->title_line < 0) {
				if (l->tlen)
					put_head(out, depth, l, l->title, l->tlen, l->escaped);
				else
					put_head(out, depth, l, l->label, strlen(l->label), false);
				depth++;
			} else {
				put_prefix(out, depth, true);   /* layout, or titled below */
			}
		} else if (l->t == D_CLOSE) {
			depth -= open_box[--top] ? 1 : 0;
			put_prefix(out, depth, true);
		} else if (l->t == D_OPTION || l->t == D_TARGET) {
			put_prefix(out, depth, true);
		} else if (l->heads) {
			const char *t;
			size_t tn = heading_text(l->s, l->len, &t);
			put_head(out, depth, &L[l->div], t, tn, false);
			depth++;
		} else {
			bool blank = skip_spaces(l->s, l->len, 0) == l->len;
			put_prefix(out, depth, blank);
			if (!blank)
				qbuf_put(out, l->s, l->len);
		}
		if (i + 1 < n)
			qbuf_putc(out, '\n');
	}
}

int qdivs_rewrite(const char *text, size_t n, qbuf *out)
{
	if (!qmemmem(text, n, ":::", 3) && !qmemmem(text, n, ")=", 2) && !qmemmem(text, n, "```{", 4)
	    && !qmemmem(text, n, "~~~{", 4))
		return 0;
	int lines = 1;
	for (const char *p = text; (p = memchr(p, '\n', (size_t)(text + n - p))); p++)
		lines++;
	dline *L = qxmalloc(sizeof *L * (size_t)lines);
	int *stack = qxmalloc(sizeof(int) * (size_t)lines);
	bool *open_box = qxmalloc((size_t)lines);
	memset(L, 0, sizeof *L * (size_t)lines);
	int k = 0;
	for (size_t i = 0; i <= n && k < lines;) {
		const char *nl = memchr(text + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (text + i)) : n - i;
		L[k].s = text + i;
		L[k++].len = len;
		i += len + 1;
	}
	pair_fences(L, k, stack);
	read_openers(L, k);
	int divs = 0;
	for (int i = 0; i < k; i++)
		divs += L[i].t == D_OPEN || L[i].t == D_TARGET;
	if (divs) {
		qbuf_reset(out);
		qbuf_grow(out, n + n / 8 + 16);
		write_lines(L, k, open_box, out);
	}
	free(L);
	free(stack);
	free(open_box);
	return divs;
}
