/* lift.c - the lifter's passes over the lines of the notes: fences and
 * HTML, headings and separators, bare questions and answer markers,
 * program output, unfenced code, tables, bare section titles; then the
 * emission of CommonMark with a line map and marks (see lift.h).
 */
#include "lift.h"

#include <stdlib.h>
#include <string.h>

#include "../util/utf8.h"
#include "classify.h"
#include "code.h"

typedef enum {
	R_PROSE = 0,
	R_BLANK,
	R_VERBATIM,    /* fenced code, HTML block: emitted as is */
	R_HEADING,     /* ATX heading */
	R_SEPARATOR,   /* ---- */
	R_QUESTION,    /* bare question line -> heading */
	R_TITLE,       /* bare section title -> heading */
	R_CODE,        /* member of a guessed code run (group) */
	R_CAPTION,     /* `#### file.py` before a run (not emitted) */
	R_TABLE,       /* member of a table (group) */
	R_TCAPTION,    /* caption line of a table (not emitted) */
	R_DROP,        /* answer marker or details tag line (not emitted) */
	R_END,         /* </details>: end of a card */
} role;

typedef struct lline {
	const char *s;     /* the line, without indentation handling */
	size_t len;
	int no;
	int indent;        /* display columns of leading white space */
	size_t off;        /* bytes of leading white space */
	role role;
	int group;         /* code run or table index */
	size_t strip;      /* bytes after off to drop (answer marker) */
	bool has_traits;   /* traits computed (a cache) */
	unsigned traits;   /* QT_* bits of the body */
	const char *qtext; /* R_QUESTION from <summary>: the question text */
	size_t qlen;
} lline;

typedef struct run {
	int start, end;    /* lines, inclusive */
	const char *lang;
	const char *caption;
} run;

typedef struct lifter {
	qlift *out;
	qdiags *d;
	lline *L;
	int n;
	run *runs;
	int nruns, capruns;
	qbuf tmp;
} lifter;

/* ---------------------------------------------------------------- lines */

static void split_lines(lifter *f, const char *text, size_t n, int first_line)
{
	int cap = 64;
	f->L = qxmalloc(sizeof(lline) * (size_t)cap);
	size_t i = 0;
	int no = first_line;
	while (i < n) {
		const char *nl = memchr(text + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (text + i)) : n - i;
		if (f->n == cap) {
			cap *= 2;
			f->L = qxrealloc(f->L, sizeof(lline) * (size_t)cap);
		}
		lline *l = &f->L[f->n++];
		memset(l, 0, sizeof *l);
		l->s = text + i;
		l->len = len;
		l->no = no++;
		while (l->off < len && (l->s[l->off] == ' ' || l->s[l->off] == '\t')) {
			l->indent = l->s[l->off] == '\t' ? (l->indent / 4 + 1) * 4 : l->indent + 1;
			l->off++;
		}
		l->role = l->off == len ? R_BLANK : R_PROSE;
		i += len + 1;
		if (!nl)
			break;
	}
}

static const char *body(const lline *l) { return l->s + l->off + l->strip; }
static size_t body_len(const lline *l) { return l->len - l->off - l->strip; }

static bool is_blank(const lifter *f, int i)
{
	return i < 0 || i >= f->n || f->L[i].role == R_BLANK;
}

static int next_nonblank(const lifter *f, int i)
{
	while (i < f->n && f->L[i].role == R_BLANK)
		i++;
	return i;
}

/* ------------------------------------------------- fences and HTML */

/* Length of a fence opener (``` or ~~~, 3+), 0 if none. */
static size_t fence_len(const lline *l, char *ch)
{
	const char *s = l->s + l->off;
	size_t n = l->len - l->off, k = 0;
	if (l->indent > 3 || !n || (s[0] != '`' && s[0] != '~'))
		return 0;
	while (k < n && s[k] == s[0])
		k++;
	if (k < 3 || (s[0] == '`' && memchr(s + k, '`', n - k)))
		return 0;
	*ch = s[0];
	return k;
}

static bool closes_fence(const lline *l, char ch, size_t k)
{
	const char *s = l->s + l->off;
	size_t n = l->len - l->off, j = 0;
	if (l->indent > 3)
		return false;
	while (j < n && s[j] == ch)
		j++;
	if (j < k)
		return false;
	while (j < n && (s[j] == ' ' || s[j] == '\t'))
		j++;
	return j == n;
}

static int mark_fence(lifter *f, int i)
{
	char ch;
	size_t k = fence_len(&f->L[i], &ch);
	if (!k)
		return i;
	int j = i + 1;
	while (j < f->n && !closes_fence(&f->L[j], ch, k))
		j++;
	if (j >= f->n) {
		qdiag_add(f->d, QD_WARNING, f->L[i].no, 1, "unclosed-fence",
			  "code fence is never closed; the rest of the notes is code");
		j = f->n - 1;
	}
	for (int x = i; x <= j; x++)
		f->L[x].role = R_VERBATIM;
	return j;
}

static const char *const block_tags[] = {
	"div", "table", "p", "pre", "section", "ul", "ol", "dl", "blockquote",
	"figure", "iframe", "script", "style", "center", "h1", "h2", "h3",
	"h4", "h5", "h6", "hr", "article", "aside", "nav", "header", "footer",
	"form", "img", "video", "audio", "svg", "textarea", "!--", NULL,
};

static bool html_block_start(const lline *l)
{
	const char *s = l->s + l->off;
	size_t n = l->len - l->off;
	if (l->indent > 3 || n < 2 || s[0] != '<')
		return false;
	size_t i = s[1] == '/' ? 2 : 1;
	for (int k = 0; block_tags[k]; k++) {
		size_t tl = strlen(block_tags[k]);
		if (n >= i + tl && strncasecmp(s + i, block_tags[k], tl) == 0
		    && (n == i + tl || strchr(" >/\t-", s[i + tl])))
			return true;
	}
	return false;
}

/* An HTML block runs to a blank line (comments and script/pre/style to
 * their end tag, as in CommonMark). */
static int mark_html(lifter *f, int i)
{
	const lline *l = &f->L[i];
	const char *s = l->s + l->off;
	size_t n = l->len - l->off;
	const char *end = NULL;
	if (qcode_starts(s, n, "<!--"))
		end = "-->";
	else if (!strncasecmp(s, "<script", 7) || !strncasecmp(s, "<pre", 4) || !strncasecmp(s, "<style", 6))
		end = "</";
	int j = i;
	if (end) {
		while (j < f->n && !memmem(f->L[j].s, f->L[j].len, end, strlen(end)))
			j++;
		if (j >= f->n)
			j = f->n - 1;
	} else {
		while (j + 1 < f->n && f->L[j + 1].role != R_BLANK)
			j++;
	}
	for (int x = i; x <= j; x++)
		f->L[x].role = R_VERBATIM;
	return j;
}

/* ------------------------------------------------------------ details */

/* Text between <summary> and </summary> on line l, or NULL. */
static const char *summary_text(const lline *l, size_t *len)
{
	const char *a = memmem(l->s, l->len, "<summary>", 9);
	if (!a)
		return NULL;
	a += 9;
	const char *b = memmem(a, l->len - (size_t)(a - l->s), "</summary>", 10);
	if (!b)
		return NULL;
	*len = (size_t)(b - a);
	return a;
}

static bool tag_line(const lline *l, const char *tag)
{
	const char *s = l->s + l->off;
	size_t n = l->len - l->off;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n >= strlen(tag) && strncasecmp(s, tag, strlen(tag)) == 0
	    && (s[n - 1] == '>');
}

/* <details><summary>Question?</summary> ... </details>: a card. */
static int mark_details(lifter *f, int i)
{
	lline *l = &f->L[i];
	if (!tag_line(l, "<details"))
		return -1;
	int q = i;
	size_t qlen = 0;
	const char *qs = summary_text(l, &qlen);
	if (!qs && i + 1 < f->n) {
		q = i + 1;
		qs = summary_text(&f->L[q], &qlen);
	}
	if (!qs)
		return -1;
	int close = q + 1;
	while (close < f->n && !tag_line(&f->L[close], "</details"))
		close++;
	if (close >= f->n)
		return -1;
	l->role = R_DROP;
	if (qc_classify(qs, qlen) == QC_QUESTION) {
		f->L[q].role = R_QUESTION;
		f->L[q].qtext = qs;
		f->L[q].qlen = qlen;
		f->L[close].role = R_END;
	} else {
		/* "Show answer": a spoiler of the current card */
		f->L[q].role = R_DROP;
		f->L[close].role = R_DROP;
	}
	return close;
}

/* Does the line start a list item ("- ", "* ", "+ ", "1. ", "1) ")? */
static bool list_marker(const lline *l)
{
	const char *s = l->s + l->off;
	size_t n = l->len - l->off, i = 0;
	if (n >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+') && (s[1] == ' ' || s[1] == '\t'))
		return true;
	while (i < n && i < 9 && s[i] >= '0' && s[i] <= '9')
		i++;
	return i && i + 1 < n && (s[i] == '.' || s[i] == ')') && s[i + 1] == ' ';
}

/* An indented code block of clean Markdown (4+ spaces after a blank line,
 * outside a list): kept exactly as cmark will read it, never protected
 * or given line breaks. Returns the last line of the block. */
static int mark_indented(lifter *f, int i)
{
	int last = i;
	for (int j = i; j < f->n; j++) {
		if (f->L[j].role == R_BLANK)
			continue;
		if (f->L[j].role != R_PROSE || f->L[j].indent < 4)
			break;
		last = j;
	}
	for (int j = i; j <= last; j++)
		f->L[j].role = R_VERBATIM;
	return last;
}

/* After the code passes: what is still indented prose after a blank
 * line, outside a list, is an indented code block. */
static void pass_indented(lifter *f)
{
	bool in_list = false;
	for (int i = 0; i < f->n; i++) {
		lline *l = &f->L[i];
		if (l->role == R_BLANK)
			continue;
		if (l->role == R_PROSE && l->indent >= 4 && !in_list && i > 0 && is_blank(f, i - 1)) {
			i = mark_indented(f, i);
			continue;
		}
		if (l->indent < 4 && !(in_list && l->indent >= 2))
			in_list = l->role == R_PROSE && list_marker(l);
	}
}

static void pass_verbatim(lifter *f)
{
	for (int i = 0; i < f->n; i++) {
		if (f->L[i].role != R_PROSE)
			continue;
		int end = mark_details(f, i);
		if (end >= 0)
			continue;   /* inner lines stay notes */
		char ch;
		if (fence_len(&f->L[i], &ch))
			i = mark_fence(f, i);
		else if (html_block_start(&f->L[i]))
			i = mark_html(f, i);
	}
}

/* --------------------------------------------- headings, separators */

static int atx_level(const lline *l)
{
	const char *s = l->s + l->off;
	size_t n = l->len - l->off;
	int k = 0;
	if (l->indent > 3)
		return 0;
	while ((size_t)k < n && s[k] == '#' && k < 7)
		k++;
	if (k == 0 || k > 6 || ((size_t)k < n && s[k] != ' ' && s[k] != '\t'))
		return 0;
	return k;
}

static bool is_separator(const lline *l)
{
	const char *s = l->s + l->off;
	size_t n = l->len - l->off;
	int dashes = 0;
	if (l->indent > 3)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '-')
			dashes++;
		else if (s[i] != ' ' && s[i] != '\t')
			return false;
	}
	return dashes >= 3;
}

static void pass_headings(lifter *f)
{
	for (int i = 0; i < f->n; i++) {
		lline *l = &f->L[i];
		if (l->role != R_PROSE)
			continue;
		if (atx_level(l))
			l->role = R_HEADING;
		else if (is_separator(l))
			l->role = R_SEPARATOR;
	}
}

/* The heading text without # marks, trimmed. */
static const char *heading_text(const lline *l, size_t *len)
{
	const char *s = l->s + l->off;
	size_t n = l->len - l->off;
	while (n && *s == '#') {
		s++;
		n--;
	}
	n = qc_trim(&s, n);
	/* closing sequence: spaces then #s at the end */
	size_t e = n;
	while (e && s[e - 1] == '#')
		e--;
	if (e < n && (e == 0 || s[e - 1] == ' ' || s[e - 1] == '\t'))
		n = qc_trim(&s, e);
	*len = n;
	return s;
}

/* -------------------------------------------- questions and markers */

static bool is_answer_marker_start(const char *s, size_t n, size_t *skip)
{
	static const char *const m[] = {"A:", "Answer:", "Ans:", "A.", "\xF0\x9F\x91\x89", NULL};
	for (int k = 0; m[k]; k++) {
		size_t l = strlen(m[k]);
		if (n >= l && strncasecmp(s, m[k], l) == 0
		    && (n == l || s[l] == ' ' || s[l] == '\t' || (unsigned char)s[l] == 0xEF)) {
			size_t j = l;
			if (j + 2 < n && (unsigned char)s[j] == 0xEF && (unsigned char)s[j + 1] == 0xB8
			    && (unsigned char)s[j + 2] == 0x8F)
				j += 3;   /* U+FE0F */
			while (j < n && (s[j] == ' ' || s[j] == '\t'))
				j++;
			*skip = j;
			return true;
		}
	}
	return false;
}

/* Does the line directly after i start with `A:` or `Answer:`? */
static bool followed_by_answer(const lifter *f, int i)
{
	if (i + 1 >= f->n || f->L[i + 1].role != R_PROSE)
		return false;
	const lline *a = &f->L[i + 1];
	const char *s = a->s + a->off;
	size_t n = a->len - a->off;
	return qcode_starts(s, n, "A:") || (n >= 7 && !strncasecmp(s, "Answer:", 7));
}

static bool is_bare_question(const lifter *f, int i)
{
	const lline *l = &f->L[i];
	const char *s = l->s + l->off;
	size_t n = l->len - l->off;
	if (l->role != R_PROSE || l->indent > 3)
		return false;
	int p = i - 1;
	if (p >= 0 && f->L[p].role == R_PROSE)
		return false;   /* not at a paragraph start */
	size_t num = qc_number(s, n);
	if (num && (s[0] == 'Q' || s[0] == 'q'))
		return true;    /* Q12. ..., Q: ... */
	if (followed_by_answer(f, i) && !qcode_starts(s, n, "A:") && !qcode_starts(s, n, "- "))
		return true;
	/* **What is X?** alone on its line */
	if (n > 4 && qcode_starts(s, n, "**") && s[n - 1] == '*' && s[n - 2] == '*'
	    && !memmem(s + 2, n - 4, "**", 2) && (i + 1 >= f->n || f->L[i + 1].role != R_PROSE))
		return qc_classify(s, n) == QC_QUESTION;
	return false;
}

static bool is_question_line(const lifter *f, int i)
{
	const lline *l = &f->L[i];
	if (l->role == R_QUESTION)
		return true;
	if (l->role != R_HEADING)
		return false;
	size_t n;
	const char *t = heading_text(l, &n);
	return qc_classify(t, n) == QC_QUESTION;
}

/* After a question: drop marker-only lines, strip a leading marker. */
static void strip_markers(lifter *f, int q)
{
	for (int k = 0; k < 2; k++) {
		int a = next_nonblank(f, q + 1);
		if (a >= f->n || f->L[a].role != R_PROSE)
			return;
		lline *l = &f->L[a];
		size_t skip;
		if (!is_answer_marker_start(body(l), body_len(l), &skip))
			return;
		if (skip >= body_len(l)) {
			l->role = R_DROP;
			q = a;
			continue;
		}
		l->strip += skip;
		l->has_traits = false;
		return;
	}
}

static void pass_questions(lifter *f)
{
	for (int i = 0; i < f->n; i++)
		if (is_bare_question(f, i))
			f->L[i].role = R_QUESTION;
	for (int i = 0; i < f->n; i++)
		if (is_question_line(f, i))
			strip_markers(f, i);
}

/* ------------------------------------------------------------ code */

static void add_run(lifter *f, run r)
{
	if (f->nruns == f->capruns) {
		f->capruns = f->capruns ? f->capruns * 2 : 16;
		f->runs = qxrealloc(f->runs, sizeof(run) * (size_t)f->capruns);
	}
	f->runs[f->nruns++] = r;
	for (int i = r.start; i <= r.end; i++) {
		f->L[i].role = f->L[i].role == R_BLANK ? R_BLANK : R_CODE;
		f->L[i].group = f->nruns - 1;
	}
}

static bool is_comment_heading(const lline *l)
{
	return l->role == R_HEADING && atx_level(l) == 1;
}

static unsigned traits(const lline *l)
{
	lline *m = (lline *)l;   /* a cache, not a change of meaning */
	if (!m->has_traits) {
		m->traits = qcode_traits(body(l), body_len(l));
		m->has_traits = true;
	}
	return m->traits;
}

static qcode_ev evidence(const lline *l)
{
	return qcode_evidence_of(traits(l));
}

/* Can line k continue a run (without brackets open)? */
static bool continues(const lifter *f, int k)
{
	const lline *l = &f->L[k];
	if (l->role == R_HEADING) {
		if (!is_comment_heading(l))
			return false;
		int next = next_nonblank(f, k + 1);
		return next < f->n && next - k <= 2 && f->L[next].role != R_HEADING
		    && continues(f, next);
	}
	if (l->role != R_PROSE)
		return false;
	if (l->indent >= 1 && evidence(l) != QCE_PROSE)
		return true;
	if (l->indent >= 2)
		return true;
	qcode_ev ev = evidence(l);
	if (ev >= QCE_WEAK)
		return true;
	int triple = 0;   /* a line that opens brackets or a string goes on */
	return ev == QCE_NONE && (qcode_depth(body(l), body_len(l), &triple) > 0 || triple);
}

static int extend_run(lifter *f, int i)
{
	int triple = 0, depth = 0, last = i;
	depth += qcode_depth(body(&f->L[i]), body_len(&f->L[i]), &triple);
	for (int j = i + 1; j < f->n; j++) {
		lline *l = &f->L[j];
		bool open = depth > 0 || triple;
		if (l->role == R_BLANK) {
			int k = next_nonblank(f, j);
			if (k >= f->n || (!open && (k - j > 2 || !continues(f, k))))
				break;
			j = k - 1;
			continue;
		}
		if (!(open && (l->role == R_PROSE || is_comment_heading(l))) && !continues(f, j))
			break;
		depth += qcode_depth(body(l), body_len(l), &triple);
		if (depth < 0)
			depth = 0;
		last = j;
	}
	return last;
}

static const char *run_language(const lifter *f, int a, int b)
{
	qlang_votes v = {0};
	for (int i = a; i <= b; i++)
		if (f->L[i].role != R_BLANK)
			qcode_vote_traits(&v, traits(&f->L[i]) & ~(unsigned)QT_PROSE);
	return qcode_language(&v);
}

static void find_run(lifter *f, int i)
{
	int start = i, end = extend_run(f, i);
	while (start > 0 && is_comment_heading(&f->L[start - 1]))
		start--;
	run r = {start, end, run_language(f, start, end), NULL};
	if (start > 0 && f->L[start - 1].role == R_HEADING) {
		const char *name;
		size_t len = qcode_caption(f->L[start - 1].s + f->L[start - 1].off,
					   f->L[start - 1].len - f->L[start - 1].off, &name);
		if (len) {
			r.caption = qarena_strndup(&f->out->arena, name, len);
			f->L[start - 1].role = R_CAPTION;
		}
	}
	add_run(f, r);
	qdiag_guess(f->d, f->L[start].no, "guess-code",
		    "lines %d-%d are unfenced %s code", f->L[start].no, f->L[end].no, r.lang);
}

static void pass_code(lifter *f)
{
	for (int i = 0; i < f->n; i++) {
		lline *l = &f->L[i];
		if (l->role != R_PROSE || l->indent > 3)
			continue;
		if (evidence(l) == QCE_STRONG)
			find_run(f, i);
		if (f->nruns && f->runs[f->nruns - 1].start <= i && f->runs[f->nruns - 1].end >= i)
			i = f->runs[f->nruns - 1].end;
	}
}

/* `Output (...):` then program output: a text block. */
static bool is_output_caption(const lline *l)
{
	const char *s = body(l);
	size_t n = body_len(l);
	size_t dec = qc_decoration(s, n);
	s += dec;
	n -= dec;
	return qcode_starts(s, n, "Output") && n < 80 && s[n - 1] != '.';
}

static void pass_output(lifter *f)
{
	for (int i = 0; i + 1 < f->n; i++) {
		if (f->L[i].role != R_PROSE || !is_output_caption(&f->L[i]))
			continue;
		int a = next_nonblank(f, i + 1);
		if (a >= f->n || a - i > 2 || f->L[a].role != R_PROSE)
			continue;
		int b = a;
		while (b + 1 < f->n && f->L[b + 1].role == R_PROSE)
			b++;
		add_run(f, (run){a, b, "text", NULL});
		i = b;
	}
}

/* ------------------------------------------------------------ tables */

static void add_table(lifter *f, const qlift_table *t, int first, int count)
{
	qlift *o = f->out;
	if (o->ntables == o->captables) {
		o->captables = o->captables ? o->captables * 2 : 8;
		o->tables = qxrealloc(o->tables, sizeof(qlift_table) * (size_t)o->captables);
	}
	o->tables[o->ntables] = *t;
	for (int i = first; i < first + count; i++) {
		f->L[i].role = R_TABLE;
		f->L[i].group = o->ntables;
	}
	o->ntables++;
}

/* A short line right above a table is its caption. */
static void take_caption(lifter *f, int first, qlift_table *t)
{
	int c = first - 1;
	if (c < 0 || f->L[c].role != R_PROSE || qtable_row_like(body(&f->L[c]), body_len(&f->L[c])))
		return;
	const char *s = body(&f->L[c]);
	size_t n = body_len(&f->L[c]);
	if (n > 100 || s[n - 1] == '.' || (c > 0 && f->L[c - 1].role == R_PROSE))
		return;
	qbuf b = QBUF_INIT;
	qinline_protect(s, n, &b);
	t->caption = qarena_strndup(&f->out->arena, b.ptr, b.len);
	t->caption_src = f->L[c].no;
	qbuf_free(&b);
	f->L[c].role = R_TCAPTION;
}

static int try_table(lifter *f, int i)
{
	qline_ref refs[512];
	int n = 0;
	const lline *first = &f->L[i];
	if (!memchr(first->s, '|', first->len) && !qtable_row_like(first->s, first->len))
		return 0;
	if (i + 1 >= f->n || f->L[i + 1].role != R_PROSE)
		return 0;
	while (i + n < f->n && n < 512 && f->L[i + n].role == R_PROSE) {
		refs[n] = (qline_ref){f->L[i + n].s, f->L[i + n].len, f->L[i + n].no};
		n++;
	}
	qlift_table t;
	int got = qtable_pipe(f->out, refs, n, &t);
	if (!got)
		got = qtable_aligned(f->out, refs, n, &t);
	if (!got)
		return 0;
	take_caption(f, i, &t);
	add_table(f, &t, i, got);
	qdiag_guess(f->d, f->L[i].no, "guess-table", "%s table: %d columns, %d rows",
		    t.guessed ? "aligned-text" : "pipe", t.ncols, t.nrows - 1);
	return got;
}

static void pass_tables(lifter *f)
{
	for (int i = 0; i < f->n; i++) {
		if (f->L[i].role != R_PROSE || f->L[i].indent > 3)
			continue;
		int got = try_table(f, i);
		if (got)
			i += got - 1;
	}
}

/* ---------------------------------------------------- section titles */

/* Score of a bare line as a section title (notes-dialect.md section 3). */
static int title_score(const char *s, size_t n)
{
	int score = 0;
	size_t dec = qc_decoration(s, n);
	if (dec)
		score++;
	s += dec;
	n -= dec;
	size_t num = qc_number(s, n);
	if ((num && s[0] != 'Q') || memmem(s, n, "Questions", 9) || memmem(s, n, "Q&A", 3)
	    || memmem(s, n, "Interview", 9) || (n > 3 && s[n - 1] == ')' && s[n - 2] >= '0' && s[n - 2] <= '9'))
		score += 2;
	if (memmem(s, n, " & ", 3) || memmem(s, n, " + ", 3))
		score++;
	int words = 0, lower = 0;
	for (size_t i = num; i < n;) {
		while (i < n && s[i] == ' ')
			i++;
		size_t w = i;
		while (i < n && s[i] != ' ')
			i++;
		if (i == w)
			break;
		words++;
		if (i - w >= 4 && s[w] >= 'a' && s[w] <= 'z')
			lower++;
	}
	if (!lower)
		score++;
	if (words >= 2)
		score++;
	return score;
}

static bool is_bare_title(const lifter *f, int i)
{
	const lline *l = &f->L[i];
	const char *s = body(l);
	size_t n = body_len(l);
	if (l->role != R_PROSE || l->indent > 3 || qutf8_longer_than(s, n, 70))
		return false;
	char last = s[n - 1];
	if (last == '.' || last == '?' || last == ':' || last == ',' || last == ';')
		return false;
	bool before = i == 0 || f->L[i - 1].role == R_BLANK || f->L[i - 1].role == R_SEPARATOR;
	if (!before || !is_blank(f, i + 1))
		return false;
	int q = next_nonblank(f, i + 1);
	if (q >= f->n || !is_question_line(f, q))
		return false;
	int score = title_score(s, n);
	if (i > 0 && f->L[i - 1].role == R_SEPARATOR)
		score += 2;
	return score >= 2;
}

static void pass_titles(lifter *f)
{
	for (int i = 0; i < f->n; i++)
		if (is_bare_title(f, i)) {
			f->L[i].role = R_TITLE;
			qdiag_guess(f->d, f->L[i].no, "guess-title",
				    "bare line taken as a section title");
		}
}

/* ---------------------------------------------------------- emission */

static int add_mark(qlift *o, qmark m)
{
	if (o->nmarks == o->capmarks) {
		o->capmarks = o->capmarks ? o->capmarks * 2 : 64;
		o->marks = qxrealloc(o->marks, sizeof(qmark) * (size_t)o->capmarks);
	}
	o->marks[o->nmarks++] = m;
	return o->nmarks;
}

/* Append one lifted line (without its newline) mapped to notes line src. */
static void emit(lifter *f, const char *s, size_t n, int src, int mark)
{
	qlift *o = f->out;
	if (o->nlines + 2 >= o->caplines) {
		o->caplines = o->caplines ? o->caplines * 2 : 256;
		o->src = qxrealloc(o->src, sizeof(int) * (size_t)o->caplines);
		o->mark = qxrealloc(o->mark, sizeof(int) * (size_t)o->caplines);
	}
	o->nlines++;
	o->src[o->nlines] = src;
	o->mark[o->nlines] = mark;
	qbuf_put(&o->text, s, n);
	qbuf_putc(&o->text, '\n');
}

static void emit_blank(lifter *f, int src)
{
	qbuf *t = &f->out->text;
	if (t->len == 0 || (t->len >= 2 && t->ptr[t->len - 1] == '\n' && t->ptr[t->len - 2] == '\n'))
		return;
	emit(f, "", 0, src, 0);
}

static const char *dup(lifter *f, const char *s, size_t n)
{
	return qarena_strndup(&f->out->arena, s, n);
}

static void emit_heading_line(lifter *f, int level, const char *s, size_t n,
			      int src, int mark)
{
	qbuf_reset(&f->tmp);
	for (int k = 0; k < level; k++)
		qbuf_putc(&f->tmp, '#');
	qbuf_putc(&f->tmp, ' ');
	qinline_protect(s, n, &f->tmp);
	emit_blank(f, src);
	emit(f, f->tmp.ptr, f->tmp.len, src, mark);
	emit_blank(f, src);
}

static void emit_heading(lifter *f, const lline *l)
{
	size_t n;
	const char *t = heading_text(l, &n);
	int level = atx_level(l);
	int m = add_mark(f->out, (qmark){.kind = QM_HEADING, .src = l->no,
		.level = level, .full = dup(f, t, n)});
	emit_heading_line(f, level, t, n, l->no, m);
}

static void emit_bare(lifter *f, const lline *l, qmark_kind kind)
{
	const char *s = l->qtext ? l->qtext : body(l);
	size_t n = l->qtext ? l->qlen : body_len(l);
	n = qc_trim(&s, n);
	if (n > 4 && s[0] == '*' && s[1] == '*' && s[n - 1] == '*' && s[n - 2] == '*') {
		s += 2;   /* **What is X?** */
		n -= 4;
	}
	int m = add_mark(f->out, (qmark){.kind = kind, .src = l->no, .level = 6,
		.full = dup(f, s, n)});
	emit_heading_line(f, 6, s, n, l->no, m);
}

/* A fence long enough for the code inside (more backticks than any run). */
static size_t fence_for(const lifter *f, const run *r)
{
	size_t longest = 0;
	for (int i = r->start; i <= r->end; i++) {
		const lline *l = &f->L[i];
		size_t cur = 0;
		for (size_t k = 0; k < l->len; k++) {
			cur = l->s[k] == '`' ? cur + 1 : 0;
			if (cur > longest)
				longest = cur;
		}
	}
	return longest >= 3 ? longest + 1 : 3;
}

static int emit_run(lifter *f, int i)
{
	run *r = &f->runs[f->L[i].group];
	size_t fl = fence_for(f, r);
	int m = add_mark(f->out, (qmark){.kind = QM_CODE, .src = f->L[r->start].no,
		.lang = r->lang, .caption = r->caption, .guessed = true});
	emit_blank(f, f->L[r->start].no);
	qbuf_reset(&f->tmp);
	for (size_t k = 0; k < fl; k++)
		qbuf_putc(&f->tmp, '`');
	qbuf_puts(&f->tmp, r->lang);
	emit(f, f->tmp.ptr, f->tmp.len, f->L[r->start].no, m);
	int min_indent = 1000;
	for (int j = r->start; j <= r->end; j++)
		if (f->L[j].role != R_BLANK && f->L[j].indent < min_indent)
			min_indent = f->L[j].indent;
	for (int j = r->start; j <= r->end; j++) {
		const lline *l = &f->L[j];
		if (l->role == R_BLANK) {
			emit(f, "", 0, l->no, 0);
			continue;
		}
		size_t cut = 0;   /* drop the run's common indentation */
		for (int col = 0; cut < l->off && col < min_indent; cut++)
			col = l->s[cut] == '\t' ? (col / 4 + 1) * 4 : col + 1;
		if (l->strip)
			cut = l->off + l->strip;
		emit(f, l->s + cut, l->len - cut, l->no, 0);
	}
	qbuf_reset(&f->tmp);
	for (size_t k = 0; k < fl; k++)
		qbuf_putc(&f->tmp, '`');
	emit(f, f->tmp.ptr, f->tmp.len, f->L[r->end].no, 0);
	emit_blank(f, f->L[r->end].no);
	return r->end;
}

static int emit_table(lifter *f, int i)
{
	int t = f->L[i].group;
	int m = add_mark(f->out, (qmark){.kind = QM_TABLE, .src = f->L[i].no, .table = t});
	char ph[48];
	int n = snprintf(ph, sizeof ph, "<!--quire:table:%d-->", t);
	emit_blank(f, f->L[i].no);
	emit(f, ph, (size_t)n, f->L[i].no, m);
	emit_blank(f, f->L[i].no);
	while (i + 1 < f->n && f->L[i + 1].role == R_TABLE && f->L[i + 1].group == t)
		i++;
	return i;
}

/* Does a line start a new block (list item, quote, heading, setext
 * underline, fence), so that the line before it ends its paragraph? */
static bool starts_block(const char *t, size_t n)
{
	if (!n)
		return true;
	if (strchr("-*+>#=|`~<", t[0]))
		return true;
	size_t i = 0;
	while (i < n && i < 9 && t[i] >= '0' && t[i] <= '9')
		i++;
	return i && i < n && (t[i] == '.' || t[i] == ')') && (i + 1 == n || t[i + 1] == ' ');
}

/* Does a prose line end in a way that a line break is meant after it? */
static bool wants_break(const lline *l, const lline *next)
{
	const char *s = body(l);
	size_t n = body_len(l);
	if (!next || next->role != R_PROSE || n == 0)
		return false;
	if (s[n - 1] == '\\' || (n >= 2 && s[n - 1] == ' ' && s[n - 2] == ' '))
		return false;   /* already a hard break */
	if (starts_block(body(next), body_len(next)))
		return false;
	const char *t = body(next);
	char last = s[n - 1];
	bool sentence_end = strchr(".!?:;)", last) != NULL;
	return !qutf8_longer_than(s, n, 49) || sentence_end || (unsigned char)t[0] >= 0x80;
}

static void emit_prose(lifter *f, int i)
{
	const lline *l = &f->L[i];
	const lline *next = i + 1 < f->n ? &f->L[i + 1] : NULL;
	qbuf_reset(&f->tmp);
	qbuf_put(&f->tmp, l->s, l->off);
	qinline_protect(body(l), body_len(l), &f->tmp);
	if (wants_break(l, next))
		qbuf_putc(&f->tmp, '\\');
	emit(f, f->tmp.ptr, f->tmp.len, l->no, 0);
}

static void emit_end(lifter *f, const lline *l)
{
	int m = add_mark(f->out, (qmark){.kind = QM_END, .src = l->no});
	emit_blank(f, l->no);
	emit(f, "<!--quire:end-->", 16, l->no, m);
	emit_blank(f, l->no);
}

static void emit_all(lifter *f)
{
	for (int i = 0; i < f->n; i++) {
		const lline *l = &f->L[i];
		switch (l->role) {
		case R_PROSE: emit_prose(f, i); break;
		case R_BLANK: emit_blank(f, l->no); break;
		case R_VERBATIM: emit(f, l->s, l->len, l->no, 0); break;
		case R_HEADING: emit_heading(f, l); break;
		case R_SEPARATOR:
			emit_blank(f, l->no);
			emit(f, "---", 3, l->no, 0);
			emit_blank(f, l->no);
			break;
		case R_QUESTION: emit_bare(f, l, QM_QUESTION); break;
		case R_TITLE: emit_bare(f, l, QM_TITLE); break;
		case R_CODE: i = emit_run(f, i); break;
		case R_TABLE: i = emit_table(f, i); break;
		case R_END: emit_end(f, l); break;
		case R_CAPTION: case R_TCAPTION: case R_DROP: break;
		}
	}
}

/* ------------------------------------------------------------- entry */

void qlift_run(const char *text, size_t n, int first_line, qlift *out, qdiags *d)
{
	memset(out, 0, sizeof *out);
	qarena_init(&out->arena);
	qbuf_init(&out->text);
	lifter f = {.out = out, .d = d};
	qbuf_init(&f.tmp);
	split_lines(&f, text, n, first_line);
	pass_verbatim(&f);
	pass_headings(&f);
	pass_questions(&f);
	pass_output(&f);
	pass_code(&f);
	pass_indented(&f);
	pass_tables(&f);
	pass_titles(&f);
	qbuf_grow(&out->text, n + n / 4 + 64);
	emit_all(&f);
	if (!out->src)
		emit(&f, "", 0, first_line, 0);
	free(f.L);
	free(f.runs);
	qbuf_free(&f.tmp);
}

void qlift_verbatim(const char *text, size_t n, int first_line, qlift *out)
{
	memset(out, 0, sizeof *out);
	qarena_init(&out->arena);
	qbuf_init(&out->text);
	lifter f = {.out = out};
	qbuf_grow(&out->text, n + 2);
	for (size_t i = 0; i < n;) {
		const char *nl = memchr(text + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (text + i)) : n - i;
		emit(&f, text + i, len, first_line++, 0);
		i += len + 1;
	}
	if (!out->src)
		emit(&f, "", 0, first_line, 0);
}

void qlift_free(qlift *l)
{
	qarena_free(&l->arena);
	qbuf_free(&l->text);
	free(l->src);
	free(l->mark);
	free(l->marks);
	free(l->tables);
	memset(l, 0, sizeof *l);
}

const qmark *qlift_mark(const qlift *l, int line)
{
	if (line < 1 || line > l->nlines || !l->mark[line])
		return NULL;
	return &l->marks[l->mark[line] - 1];
}

int qlift_src(const qlift *l, int line)
{
	if (line < 1)
		line = 1;
	if (line > l->nlines)
		line = l->nlines;
	return line >= 1 ? l->src[line] : 1;
}

/* One table cell in a pipe table: its bars escaped, on one line. */
static void put_pipe_cell(qbuf *out, const char *s)
{
	qbuf_puts(out, " ");
	for (; *s; s++) {
		if (*s == '|')
			qbuf_putc(out, '\\');
		qbuf_putc(out, *s == '\n' ? ' ' : *s);
	}
	qbuf_puts(out, " |");
}

/* A table of the notes as its caption paragraph and a GFM pipe table. */
static void put_pipe_table(qbuf *out, const qlift_table *t)
{
	static const char *const rule[] = {" --- |", " :-- |", " :-: |", " --: |"};
	if (t->caption) {
		qbuf_puts(out, t->caption);
		qbuf_puts(out, "\n\n");
	}
	for (int r = 0; r < t->nrows; r++) {
		qbuf_putc(out, '|');
		for (int c = 0; c < t->ncols; c++)
			put_pipe_cell(out, t->cells[r * t->ncols + c]);
		qbuf_putc(out, '\n');
		if (r == 0) {
			qbuf_putc(out, '|');
			for (int c = 0; c < t->ncols; c++)
				qbuf_puts(out, rule[t->align[c]]);
			qbuf_putc(out, '\n');
		}
	}
}

void qlift_print(const qlift *l, qbuf *out)
{
	const char *s = l->text.ptr, *end = s + l->text.len;
	for (int line = 1; s < end; line++) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *next = nl ? nl + 1 : end;
		const qmark *m = qlift_mark(l, line);
		if (m && m->kind == QM_TABLE)
			put_pipe_table(out, &l->tables[m->table]);
		else
			qbuf_put(out, s, (size_t)(next - s));
		s = next;
	}
}
