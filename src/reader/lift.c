/* lift.c - the lifter's passes over the lines of the notes. cmark reads
 * the notes first (blocks.c): what it reads as code, HTML, link
 * definitions and thematic breaks stays as written, and the rules see a
 * line's content after its container prefix; a Logseq heading's
 * children, which it reads as indented code, are read again one tab
 * shallower. Then: <details> cards and spoilers, setext underlines that
 * are separators, bare questions and answer markers, program output,
 * unfenced code, tables, bare section titles; and the emission of
 * CommonMark with a line map and marks (see lift.h). Each rule is narrow
 * enough not to fire on clean CommonMark (tests/spec).
 */
#include "lift.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../util/find.h"
#include "../util/utf8.h"
#include "blocks.h"
#include "classify.h"
#include "code.h"
#include "divs.h"
#include "math.h"
#include "meta.h"

typedef enum {
	R_PROSE = 0,
	R_BLANK,
	R_VERBATIM,    /* code, HTML, link definitions: emitted as they are */
	R_HEADING,     /* ATX heading */
	R_SEPARATOR,   /* a thematic break, or --- that is no setext underline */
	R_SETEXT,      /* the underline of a setext heading: emitted as is */
	R_QUESTION,    /* bare question line -> heading */
	R_TITLE,       /* bare section title -> heading */
	R_CODE,        /* member of a guessed code run (group) */
	R_CAPTION,     /* `#### file.py` before a run (not emitted) */
	R_TABLE,       /* member of a table (group) */
	R_TCAPTION,    /* caption line of a table (not emitted) */
	R_DROP,        /* answer marker or details tag line (not emitted) */
	R_END,         /* </details>: end of a card */
	R_SPOILER,     /* <details><summary>Answer</summary>: the card's answer
	                * goes on to R_SPOILER_END, whatever headings it has */
	R_SPOILER_END,
	R_LEAD,        /* <summary>TERM</summary> text: TERM as a bold lead-in */
	R_ANSWER,      /* an answer marker line: QM_ANSWER, its text (strip) kept */
	R_CARDLINE,    /* front::back on one line: a card of its own */
	R_FRONT,       /* the first line of a multi-line front (OSR `?`) */
	R_BACK_END,    /* the last line of a multi-line back: the card ends */
	R_MATH,        /* a line of a displayed formula (group: its index in
	                * the lift's formulas; the first line emits it) */
	R_ADMON,       /* `!!! note "Title"` (MkDocs): a callout's first line */
	R_ADMON_BODY,  /* its indented body */
	R_FOOTDEF,     /* `[^1]: text`: a footnote, kept aside (group) */
	R_DEFTERM,     /* a definition list's term: a reversible card */
	R_DEFDESC,     /* `: its definition` */
} role;

typedef struct lline {
	const char *s;     /* the whole line */
	size_t len;
	int no;
	size_t pfx;        /* bytes of container prefix (blocks.h) */
	int ctx;           /* innermost container; -1 for a lazy line */
	qblock_kind blk;   /* what cmark made of it */
	int leaf;
	bool icode;        /* indented code to cmark: may join a code run */
	bool in_card;      /* inside a <details> card: its answer */
	signed char asked; /* heading: 1 a question, -1 not, 0 not known yet */
	role then;         /* a one-line <details>: R_END or R_SPOILER_END after it */
	bool lone_item;    /* the marker line of an item of a top-level list,
	                    * its only line (`2. Advanced Python (15)`) */
	bool marker;       /* the prefix holds a list item's marker */
	int depth;         /* containers around the line */
	bool joins_item;   /* `- A: ...` right under a `- Q: ...` item: emitted
	                    * as a line of that item (its marker as spaces) */
	bool dedent;       /* emitted without its indentation (a line of an
	                    * HTML block, where indentation meant nothing) */
	int indent;        /* display columns of white space after pfx */
	size_t off;        /* bytes of prefix and white space */
	role role;
	int group;         /* code run or table index */
	size_t strip;      /* bytes after off to drop (answer marker) */
	bool has_traits;   /* traits computed (a cache) */
	unsigned traits;   /* QT_* bits of the body */
	const char *qtext; /* question or lead-in text from a <summary> */
	size_t qlen;
	const char *rest;  /* R_LEAD: the text after </summary>; R_MATH: the
	                    * text after the formula's closer on its last line */
	size_t restlen;
	size_t mlead;      /* R_MATH: bytes of the body before the opener (its
	                    * first line: `... as follows: $$`) */
	const char *rule;  /* R_QUESTION: the rule that found it */
	size_t sep, seplen;   /* R_CARDLINE: the separator in the body */
	bool reversible;   /* R_CARDLINE, R_FRONT */
	int front_end;     /* R_FRONT: the last line of the front */
	size_t tail;       /* bytes at the end of the body to drop (` ENDI`) */
} lline;

typedef struct run {
	int start, end;    /* lines, inclusive */
	const char *lang;
	const char *caption;
} run;

typedef struct lifter {
	qlift *out;
	qdiags *d;
	qlift_opts o;
	lline *L;
	int n;
	run *runs;
	int nruns, capruns;
	qbuf tmp;
	qarena work;   /* the arrays of one run over the lines (L and per pass) */
	cmark_mem *mem;
	int ids;       /* the largest leaf and container id given so far */
} lifter;

/* ---------------------------------------------------------------- lines */

/* The lines of text, counted first: the array is made once, not grown
 * (and copied) line by line. */
static size_t count_lines(const char *text, size_t n)
{
	size_t lines = 1;
	for (const char *p = text, *end = text + n; (p = memchr(p, '\n', (size_t)(end - p)));
	     p++)
		lines++;
	return lines;
}

static void split_lines(lifter *f, const char *text, size_t n, int first_line)
{
	f->L = qarena_alloc(&f->work, sizeof(lline) * count_lines(text, n));
	size_t i = 0;
	int no = first_line;
	while (i < n) {
		const char *nl = memchr(text + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (text + i)) : n - i;
		lline *l = &f->L[f->n++];
		memset(l, 0, sizeof *l);
		l->s = text + i;
		l->len = len;
		l->no = no++;
		i += len + 1;
		if (!nl)
			break;
	}
}

/* The content's indentation after the container prefix. */
static void measure_indent(lline *l)
{
	l->off = l->pfx;
	l->indent = 0;
	while (l->off < l->len && (l->s[l->off] == ' ' || l->s[l->off] == '\t')) {
		l->indent = l->s[l->off] == '\t' ? (l->indent / 4 + 1) * 4 : l->indent + 1;
		l->off++;
	}
}

static role role_of_block(qblock_kind k)
{
	switch (k) {
	case QB_BLANK: return R_BLANK;
	case QB_PARA: case QB_SETEXT: case QB_INDENTED: return R_PROSE;
	case QB_ATX: return R_HEADING;
	case QB_SETEXT_LINE: return R_SETEXT;
	case QB_HR: return R_SEPARATOR;
	default: return R_VERBATIM;   /* fenced code, HTML, link definitions */
	}
}

/* Is line l, after its prefix, a closing fence for the opening line o? */
static bool closes_fence(const lline *o, const lline *l)
{
	const char *a = o->s + o->off, *b = l->s + l->off;
	size_t an = o->len - o->off, bn = l->len - l->off, k = 0, j = 0;
	while (k < an && a[k] == a[0])
		k++;
	while (j < bn && b[j] == a[0])
		j++;
	if (j < k || l->indent > 3)
		return false;
	while (j < bn && (b[j] == ' ' || b[j] == '\t'))
		j++;
	return j == bn;
}

/* A fenced block whose fence is never closed runs to the end of its
 * container, often the end of the notes: say so. */
static void check_fences(lifter *f)
{
	for (int i = 0; i < f->n;) {
		if (f->L[i].blk != QB_FENCED) {
			i++;
			continue;
		}
		int j = i;
		while (j + 1 < f->n && f->L[j + 1].leaf == f->L[i].leaf)
			j++;
		if (j == i || !closes_fence(&f->L[i], &f->L[j]))
			qdiag_add(f->d, QD_WARNING, f->L[i].no, 1, "unclosed-fence",
				  "code fence is never closed; lines %d-%d are code", f->L[i].no, f->L[j].no);
		i = j + 1;
	}
}

/* cmark's tree of text: the notes, or a Logseq block's children read
 * one tab shallower (pass_margin). */
static cmark_node *parse(lifter *f, const char *text, size_t n)
{
	cmark_parser *parser = cmark_parser_new_with_mem(CMARK_OPT_DEFAULT, f->mem);
	cmark_parser_feed(parser, text, n);
	cmark_node *root = cmark_parser_finish(parser);
	cmark_parser_free(parser);
	return root;
}

/* Lines from..from+count-1 get their blocks and prefixes from root, the
 * tree of their text; leaf and container ids follow those given before,
 * so that no two blocks share one. */
static void take_blocks(lifter *f, int from, int count, cmark_node *root)
{
	qline_ref *refs = qarena_alloc(&f->work, sizeof *refs * (size_t)(count ? count : 1));
	qline_block *info = qarena_alloc(&f->work, sizeof *info * (size_t)(count ? count : 1));
	for (int i = 0; i < count; i++)
		refs[i] = (qline_ref){f->L[from + i].s, f->L[from + i].len, f->L[from + i].no};
	qblocks_map(root, refs, count, info);
	int base = f->ids;
	for (int i = 0; i < count; i++) {
		lline *l = &f->L[from + i];
		const qline_block *x = &info[i];
		l->blk = x->kind;
		l->leaf = x->leaf ? base + x->leaf : 0;
		l->pfx = x->pfx;
		l->ctx = x->lazy ? -1 : x->ctx ? base + x->ctx : 0;
		l->icode = l->blk == QB_INDENTED;
		l->lone_item = x->marker && x->depth == 1 && x->first;
		l->marker = x->marker;
		l->depth = x->depth;
		measure_indent(l);
		l->role = l->off == l->len ? R_BLANK : role_of_block(l->blk);
		if (l->role == R_BLANK && l->off < l->len)
			l->role = R_VERBATIM;
		if (l->leaf > f->ids)
			f->ids = l->leaf;
		if (l->ctx > f->ids)
			f->ids = l->ctx;
	}
}

/* cmark reads the text first; each line gets its block and prefix. */
static cmark_node *map_blocks(lifter *f, const char *text, size_t n)
{
	cmark_node *root = parse(f, text, n);
	take_blocks(f, 0, f->n, root);
	return root;
}

static const char *body(const lline *l) { return l->s + l->off + l->strip; }
static size_t body_len(const lline *l) { return l->len - l->off - l->strip - l->tail; }

/* Is l a blank line of its container: nothing after its prefix, or a
 * block quote's markers alone (`>` between the paragraphs of a quote:
 * in no leaf block, it has no prefix in the block map, and it stays
 * R_VERBATIM, emitted as it is and never inside a guessed code run)? */
static bool blank_in_container(const lline *l)
{
	if (l->role == R_BLANK)
		return true;
	if (l->role != R_VERBATIM || l->blk != QB_OTHER || l->leaf)
		return false;
	for (size_t k = 0; k < l->len; k++)
		if (l->s[k] != '>' && l->s[k] != ' ' && l->s[k] != '\t')
			return false;
	return true;
}

static bool is_blank(const lifter *f, int i)
{
	return i < 0 || i >= f->n || blank_in_container(&f->L[i]);
}

static int next_nonblank(const lifter *f, int i)
{
	while (i < f->n && blank_in_container(&f->L[i]))
		i++;
	return i;
}

/* ------------------------------------------------------------ details */

/* Text of s[0..n) without HTML tags, trimmed: the words of a summary. */
static const char *strip_tags(lifter *f, const char *s, size_t n, size_t *len)
{
	qbuf_reset(&f->tmp);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '<') {
			const char *gt = memchr(s + i, '>', n - i);
			if (gt) {
				i = (size_t)(gt - s);
				continue;
			}
		}
		qbuf_putc(&f->tmp, s[i] == '\t' ? ' ' : s[i]);
	}
	const char *t = f->tmp.ptr ? f->tmp.ptr : "";
	size_t l = qc_trim(&t, f->tmp.len);
	const char *r = qarena_strndup(&f->out->arena, t, l);
	*len = l;
	return r;
}

static const char *find_ci(const char *s, size_t n, const char *w)
{
	size_t l = strlen(w);
	for (size_t i = 0; i + l <= n; i++)
		if (strncasecmp(s + i, w, l) == 0)
			return s + i;
	return NULL;
}

/* The lines after <details> that end it: `</details>`, alone or after
 * closing tags of the answer (`</p></details>`). */
static bool closes_details(const lline *l)
{
	const char *s = l->s + l->off;
	size_t n = l->len - l->off;
	const char *c = find_ci(s, n, "</details");
	if (!c)
		return false;
	for (const char *p = s; p < c; p++)
		if (*p != ' ' && *p != '\t' && *p != '<' && *p != '/' && *p != '>'
		    && *p != 'p' && *p != 'P' && *p != 'd' && *p != 'i' && *p != 'v')
			return false;
	return true;
}

/* A line holding only tags that shape the answer of a <details> and would
 * leave empty elements behind: <p>, </p>, <br>, <div>, </div>. */
static bool only_wrapper_tags(const lline *l)
{
	const char *s = l->s + l->off;
	size_t n = l->len - l->off, i = 0;
	bool any = false;
	while (i < n) {
		if (s[i] == ' ' || s[i] == '\t') {
			i++;
			continue;
		}
		if (s[i] != '<')
			return false;
		const char *gt = memchr(s + i, '>', n - i);
		if (!gt)
			return false;
		size_t k = i + 1 + (s[i + 1] == '/');
		size_t e = k;
		while (e < n && ((s[e] | 0x20) >= 'a' && (s[e] | 0x20) <= 'z'))
			e++;
		bool ok = (e - k == 1 && (s[k] | 0x20) == 'p') || (e - k == 2 && !strncasecmp(s + k, "br", 2))
			  || (e - k == 3 && !strncasecmp(s + k, "div", 3));
		if (!ok)
			return false;
		any = true;
		i = (size_t)(gt - s) + 1;
	}
	return any;
}

/* Words of a summary that only open the answer ("Answer", "Show", "展开"):
 * the details block is a spoiler of the current question. */
static bool ui_summary(const char *s, size_t n)
{
	static const char *const words[] = {
		"show answer", "show the answer", "show", "show solution", "hint",
		"click to expand", "click to show", "click here", "expand", "details", "reveal",
		"see answer", "view answer", "explanation", "查看答案", "展开", "点击展开", "해설",
		NULL};
	size_t dec = qc_decoration(s, n);
	s += dec;
	n -= dec;
	while (n && (s[n - 1] == ':' || s[n - 1] == '.' || s[n - 1] == ' '))
		n--;
	if (n >= 3 && memcmp(s + n - 3, "\xEF\xBC\x9A", 3) == 0)   /* ： */
		n -= 3;
	return find_ci(s, n, "click to") || qc_one_of(words, s, n) || qc_one_of(qc_answer_words, s, n);
}

/* A summary that folds navigation away: "Table of contents",
 * "Hide/Show table of contents", "Contents", "目录". */
static bool nav_summary(const char *s, size_t n)
{
	return find_ci(s, n, "table of contents") || find_ci(s, n, "contents")
	    || qc_word(s, n, "show/hide", NULL) || qc_word(s, n, "hide/show", NULL)
	    || qc_word(s, n, "toc", NULL) || find_ci(s, n, "\xE7\x9B\xAE\xE5\xBD\x95");   /* 目录 */
}

/* A summary of several words that asks by its form (`Your first 5
 * commands on a server after login.`, `SIGHUP vs SIGTERM. Explain.`): a
 * prompt, not a term. A term is a word or two (`FIFO`, `Dirty page`). */
static bool prompt_like(const char *s, size_t n)
{
	int words = 0;
	bool in = false;
	for (size_t i = 0; i < n; i++) {
		bool sp = s[i] == ' ' || s[i] == '\t';
		if (!sp && !in)
			words++;
		in = !sp;
	}
	return words >= 4 && !ui_summary(s, n) && !nav_summary(s, n);
}

/* The summary of a details block whose <summary> is on line i: its text
 * without tags, the line of </summary> and what follows it there. */
typedef struct summary {
	const char *text;
	size_t len;
	int end;              /* line of </summary> */
	const char *rest;     /* after </summary> on that line */
	size_t restlen;
} summary;

static bool find_summary(lifter *f, int i, summary *sm)
{
	const lline *l = &f->L[i];
	const char *a = find_ci(l->s, l->len, "<summary");
	if (!a)
		return false;
	const char *gt = memchr(a, '>', l->len - (size_t)(a - l->s));
	if (!gt)
		return false;
	qbuf raw = QBUF_INIT;
	for (int j = i; j < f->n && j < i + 4; j++) {
		const lline *m = &f->L[j];
		const char *from = j == i ? gt + 1 : m->s + m->off;
		size_t left = m->len - (size_t)(from - m->s);
		const char *b = find_ci(from, left, "</summary>");
		qbuf_put(&raw, from, b ? (size_t)(b - from) : left);
		if (b) {
			sm->text = strip_tags(f, raw.ptr ? raw.ptr : "", raw.len, &sm->len);
			sm->end = j;
			sm->rest = b + 10;
			sm->restlen = m->len - (size_t)(sm->rest - m->s);
			qbuf_free(&raw);
			return true;
		}
		qbuf_putc(&raw, ' ');
	}
	qbuf_free(&raw);
	return false;
}

/* A line of an HTML block, where its renderer showed the text without
 * its indentation (`<details><summary>Antwort</summary>` then a tab
 * and the answer): the white space (also no-break spaces) goes, so the
 * line is not read as indented code once it is notes. */
static void dedent(lline *l)
{
	size_t o = l->off;
	for (;;) {
		if (o < l->len && (l->s[o] == ' ' || l->s[o] == '\t'))
			o++;
		else if (o + 1 < l->len && (unsigned char)l->s[o] == 0xC2 && (unsigned char)l->s[o + 1] == 0xA0)
			o += 2;
		else
			break;
	}
	if (o == l->off && !l->indent)
		return;
	l->off = o;
	l->indent = 0;
	l->dedent = true;
}

/* The lines from..close-1 of a details block, made notes again: what
 * cmark read as the HTML block of <details> is Markdown once the tags go;
 * without a <pre>, its indentation goes too. */
static void details_body(lifter *f, int from, int close, int open_leaf)
{
	bool pre = false;
	for (int j = from; j < close && !pre; j++)
		pre = find_ci(f->L[j].s, f->L[j].len, "<pre") != NULL;
	for (int j = from; j < close; j++) {
		lline *m = &f->L[j];
		if (m->role == R_VERBATIM && m->blk == QB_HTML && m->leaf == open_leaf) {
			m->role = R_PROSE;
			if (!pre)
				dedent(m);
		}
		if (only_wrapper_tags(m))
			m->role = R_DROP;
	}
}

/* <details><summary>Question?</summary> ... </details>: a card.
 * <details><summary>Answer</summary> ... </details>: the answer of the
 * question before it. <details><summary>TERM</summary> text: the term,
 * kept as a bold lead-in. */
static int mark_details(lifter *f, int i, int close)
{
	lline *l = &f->L[i];
	const char *s = l->s + l->off;
	if (l->len - l->off < 8 || strncasecmp(s, "<details", 8) != 0)
		return -1;
	summary sm;
	int q = i;
	if (!find_summary(f, i, &sm)) {
		if (i + 1 >= f->n || !find_summary(f, i + 1, &sm))
			return -1;
		q = i + 1;
	}
	if (close < 0 && find_ci(sm.rest, sm.restlen, "</details")) {
		close = sm.end;   /* all on one line: the answer between the tags */
		sm.restlen = (size_t)(find_ci(sm.rest, sm.restlen, "</details") - sm.rest);
	}
	if (close < sm.end)
		return -1;
	details_body(f, sm.end + 1, close, l->leaf);
	for (int j = i; j <= sm.end; j++)
		f->L[j].role = R_DROP;
	const char *rest = sm.rest;
	size_t restlen = sm.restlen;
	while (restlen && (*rest == ' ' || *rest == '\t')) {
		rest++;
		restlen--;
	}
	if (restlen && only_wrapper_tags(&(lline){.s = rest, .len = restlen}))
		restlen = 0;
	lline *ql = &f->L[q];
	role end;
	if (qc_classify(sm.text, sm.len) == QC_QUESTION || prompt_like(sm.text, sm.len)) {
		ql->role = R_QUESTION;
		ql->rule = "details";
		end = R_END;
		for (int j = sm.end + 1; j < close; j++)
			f->L[j].in_card = true;
	} else if (nav_summary(sm.text, sm.len)) {
		ql->role = R_DROP;   /* a folded table of contents: its tags go */
		end = R_DROP;
	} else if (ui_summary(sm.text, sm.len)) {
		ql->role = R_SPOILER;
		end = R_SPOILER_END;
	} else {
		ql->role = sm.len ? R_LEAD : R_DROP;
		end = R_DROP;
	}
	if (close == q)
		ql->then = end;   /* one line: the end comes after its text */
	else
		f->L[close].role = end;
	ql->qtext = sm.text;
	ql->qlen = sm.len;
	ql->rest = rest;
	ql->restlen = restlen;
	return close;
}

/* Each <details> line's </details>, matched by one scan with a stack
 * (close_of[i] = -1 when it is never closed). */
static int *match_details(lifter *f)
{
	int *close_of = qarena_alloc(&f->work, sizeof(int) * (size_t)(f->n ? f->n : 1));
	int *stack = qarena_alloc(&f->work, sizeof(int) * (size_t)(f->n ? f->n : 1));
	int depth = 0;
	for (int i = 0; i < f->n; i++) {
		const lline *m = &f->L[i];
		close_of[i] = -1;
		if (m->role == R_BLANK || !memchr(m->s, '<', m->len))
			continue;
		if (closes_details(m) && depth)
			close_of[stack[--depth]] = i;
		else if (find_ci(m->s, m->len, "<details"))
			stack[depth++] = i;
	}
	return close_of;
}

static void pass_details(lifter *f)
{
	int *close_of = NULL;
	for (int i = 0; i < f->n; i++) {
		role r = f->L[i].role;
		if (r != R_PROSE && !(r == R_VERBATIM && f->L[i].blk == QB_HTML))
			continue;
		const lline *l = &f->L[i];
		if (l->len - l->off < 8 || strncasecmp(l->s + l->off, "<details", 8) != 0)
			continue;
		if (!close_of)
			close_of = match_details(f);
		mark_details(f, i, close_of[i]);   /* inner lines stay notes */
	}
}

/* A template tag alone on its line (`{% filter solution %}`, Jinja and
 * Liquid): its words in *w, *wn (the `{%-`, `-%}` trims and spaces
 * around them removed); false when the line is not one tag. */
static bool template_tag(const lline *l, const char **w, size_t *wn)
{
	const char *s = l->s + l->off;
	size_t n = qc_trim(&s, l->len - l->off);
	if (l->role != R_PROSE || l->indent > 3 || n < 5 || memcmp(s, "{%", 2) != 0
	    || memcmp(s + n - 2, "%}", 2) != 0 || qmemmem(s + 2, n - 4, "%}", 2))
		return false;
	s += 2;
	n -= 4;
	if (n && *s == '-')
		s++, n--;
	if (n && s[n - 1] == '-')
		n--;
	*wn = qc_trim(&s, n);
	*w = s;
	return *wn > 0;
}

/* The first word of a tag, its name: `filter` of `{% filter solution %}`. */
static size_t tag_name(const char *w, size_t n)
{
	size_t k = 0;
	while (k < n && w[k] != ' ' && w[k] != '\t')
		k++;
	return k;
}

/* A course template's folded solution: a tag whose last word is the word
 * for answer (`{% filter solution %}`, `{% solution %}`), up to its end
 * tag (`{% endfilter %}`), is the answer of the text before it, as
 * <details><summary>Solution</summary> is; both tag lines go. One pass
 * with a bounded stack of open tags (a tag without an end, `{% include
 * x %}`, stays on it until an end tag closes one below it). */
static void pass_template_answers(lifter *f)
{
	enum { DEPTH = 32 };
	int open[DEPTH], top = 0;
	for (int i = 0; i < f->n; i++) {
		const char *w;
		size_t wn;
		if (!template_tag(&f->L[i], &w, &wn))
			continue;
		size_t name = tag_name(w, wn);
		if (name < 4 || strncmp(w, "end", 3) != 0) {
			if (top < DEPTH)
				open[top++] = i;
			continue;
		}
		for (int k = top - 1; k >= 0; k--) {
			const char *o;
			size_t on;
			template_tag(&f->L[open[k]], &o, &on);
			size_t m = tag_name(o, on), last = on;
			if (m != name - 3 || memcmp(o, w + 3, m) != 0)
				continue;
			while (last && o[last - 1] != ' ')
				last--;
			if (qc_one_of(qc_answer_words, o + last, on - last)) {
				f->L[open[k]].role = R_SPOILER;
				f->L[i].role = R_SPOILER_END;
			}
			top = k;
			break;
		}
	}
}

/* `<div dir="rtl">`, text, `</div>` with no blank line between: cmark
 * reads one HTML block and shows the text as it is, Markdown unread; the
 * author of right-to-left notes only set the text's direction (the
 * reader finds it from the letters). The text is notes and the wrapper
 * lines go, as inside <details>. A wrapper without `dir` stays HTML, as
 * CommonMark says. */
static void pass_wrappers(lifter *f)
{
	for (int i = 0; i + 2 < f->n; i++) {
		const lline *o = &f->L[i];
		if (o->role != R_VERBATIM || o->blk != QB_HTML || o->ctx != 0 || !only_wrapper_tags(o)
		    || !find_ci(o->s + o->off, o->len - o->off, " dir=")
		    || (i > 0 && f->L[i - 1].role == R_VERBATIM && f->L[i - 1].leaf == o->leaf))
			continue;
		int e = i + 1;
		while (e < f->n && f->L[e].role == R_VERBATIM && f->L[e].leaf == o->leaf
		       && !only_wrapper_tags(&f->L[e]) && f->L[e].s[f->L[e].off] != '<')
			e++;
		if (e == i + 1 || e >= f->n || f->L[e].role != R_VERBATIM || f->L[e].leaf != o->leaf
		    || !only_wrapper_tags(&f->L[e]) || (e + 1 < f->n && f->L[e + 1].role == R_VERBATIM
							 && f->L[e + 1].leaf == o->leaf))
			continue;
		f->L[i].role = R_DROP;
		f->L[e].role = R_DROP;
		for (int j = i + 1; j < e; j++)
			f->L[j].role = R_PROSE;
		i = e;
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

/* The heading text without # marks, trimmed; a second run of marks
 * written by mistake (`## # 1. Basics`) goes too. */
static const char *heading_text(const lline *l, size_t *len)
{
	const char *s = l->s + l->off;
	size_t n = l->len - l->off;
	for (int pass = 0; pass < 2; pass++) {
		size_t k = 0;
		while (k < n && s[k] == '#')
			k++;
		if (k == 0 || (k < n && s[k] != ' ' && s[k] != '\t'))
			break;
		s += k;
		n -= k;
		n = qc_trim(&s, n);
	}
	/* closing sequence: spaces then #s at the end */
	size_t e = n;
	while (e && s[e - 1] == '#')
		e--;
	if (e < n && (e == 0 || s[e - 1] == ' ' || s[e - 1] == '\t'))
		n = qc_trim(&s, e);
	*len = n;
	return s;
}

/* Does a line end as a sentence or an answer does, not as a title? */
static bool ends_sentence(const char *s, size_t n)
{
	n = qc_trim(&s, n);
	return n && strchr(".,;!)", s[n - 1]);
}

/* `**Q:** `, `**Q12.** `, `**Q**: `, `__A:__ `, `*Q.* `: the one-letter
 * label c (and a number) set in bold or italics, with its colon (or full
 * stop) and the space after it. Its bytes, or 0. */
static size_t emphasized_label(const char *s, size_t n, char c)
{
	size_t e = 0;
	while (e < 2 && e < n && (s[e] == '*' || s[e] == '_') && s[e] == s[0])
		e++;
	if (!e || e + 3 > n || (s[e] | 0x20) != (c | 0x20))
		return 0;
	size_t i = e + 1;
	while (i < n && i - e <= 4 && s[i] >= '0' && s[i] <= '9')
		i++;   /* `**Q12:**` */
	bool mark = i < n && (s[i] == ':' || s[i] == '.');
	i += mark;
	for (size_t k = 0; k < e; k++, i++)
		if (i >= n || s[i] != s[0])
			return 0;
	if (!mark && i < n && s[i] == ':') {   /* `**Q**:` */
		mark = true;
		i++;
	}
	if (!mark || i >= n || s[i] != ' ')
		return 0;
	while (i < n && s[i] == ' ')
		i++;
	return i;
}

/* Does s open with the short answer label: `A:`, `A :` (French
 * typography), `A：` (CJK), or one in bold (`**A:**`)? */
static bool opens_with_a(const char *s, size_t n)
{
	return qcode_starts(s, n, "A:") || qcode_starts(s, n, "A :") || qcode_starts(s, n, "A：")
	       || emphasized_label(s, n, 'A');
}

/* `---` under a line of notes is a separator between sets of questions,
 * not a setext underline, when the line above ends like a sentence or
 * an answer (`A: Use Prometheus.`); a title does not. */
static void pass_setext(lifter *f)
{
	for (int i = 1; i < f->n; i++) {
		lline *u = &f->L[i];
		if (u->role != R_SETEXT || u->s[u->off] != '-')
			continue;
		const lline *above = &f->L[i - 1];
		if (ends_sentence(above->s + above->off, above->len - above->off)
		    || opens_with_a(above->s + above->off, above->len - above->off))
			u->role = R_SEPARATOR;
	}
}

/* -------------------------------------------- questions and markers */

static bool is_answer_marker_start(const char *s, size_t n, size_t *skip)
{
	size_t e = emphasized_label(s, n, 'A');
	if (e) {
		*skip = e;
		return true;
	}
	static const char *const m[] = {"A:", "A :", "Answer:", "Ans:", "A.", "A：", "👉", NULL};
	for (int k = 0; m[k]; k++) {
		size_t l = strlen(m[k]);
		bool wide = (unsigned char)m[k][l - 1] >= 0x80;   /* `A：答` needs no space */
		if (n >= l && strncasecmp(s, m[k], l) == 0
		    && (wide || n == l || s[l] == ' ' || s[l] == '\t' || (unsigned char)s[l] == 0xEF)) {
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

static size_t answer_marker(const char *s, size_t n);

/* An answer label with its colon opening s: `A:`, `Answer:`, `Solution:`,
 * `Antwort:`, `答：` ... (not mdanki's lone `%`, not `**Answer**`). */
static bool answer_label(const char *s, size_t n)
{
	if (opens_with_a(s, n))
		return true;
	size_t k = answer_marker(s, n);
	return k && qc_holds_colon(s, k);
}

/* Does the line directly after i start with an answer label? In the
 * same container, or as the lazy continuation of a list item's first
 * line (`1. What is X?` then `Answer: ...` at the left margin). */
static bool followed_by_answer(const lifter *f, int i)
{
	if (i + 1 >= f->n || f->L[i + 1].role != R_PROSE)
		return false;
	if (f->L[i + 1].ctx != f->L[i].ctx
	    && !(f->L[i + 1].ctx == -1 && f->L[i + 1].leaf == f->L[i].leaf))
		return false;
	const lline *a = &f->L[i + 1];
	const char *s = a->s + a->off;
	size_t n = a->len - a->off;
	return answer_label(s, n);
}

/* `**3)** The number of ...`, `**3) Mean**. Compute ...`: an exercise
 * numbered in bold. Bytes of the opening `**` and its number. */
static size_t bold_number(const char *s, size_t n)
{
	size_t i = 2, d;
	if (n < 6 || s[0] != '*' || s[1] != '*')
		return 0;
	for (d = i; i < n && i - d < 3 && s[i] >= '0' && s[i] <= '9'; i++)
		;
	if (i == d || i >= n || (s[i] != ')' && s[i] != '.'))
		return 0;
	const char *close = qmemmem(s + i, n - i, "**", 2);
	return close && close + 2 < s + n ? i + 1 : 0;
}

/* Does s start with the number of a numbered item: up to four digits,
 * then `.` or `)` (`1. `, `17.What`)? */
static bool starts_item_number(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && i < 4 && s[i] >= '0' && s[i] <= '9')
		i++;
	return i && i < n && (s[i] == '.' || s[i] == ')');
}

/* Is line i a numbered item of the notes' top level, on a line of its
 * own: the item of an ordered list, or a paragraph starting `17.What`
 * (no space after the number, so no list)? */
static bool numbered_item(const lifter *f, int i)
{
	const lline *l = &f->L[i];
	if (l->role != R_PROSE || l->in_card || l->icode || l->indent > 3)
		return false;
	const char *s = l->lone_item ? l->s : l->s + l->off;
	size_t n = l->lone_item ? l->len : l->len - l->off;
	n = qc_trim(&s, n);
	if (!(l->lone_item || l->ctx == 0) || !starts_item_number(s, n))
		return false;
	return i + 1 >= f->n || f->L[i + 1].role != R_PROSE || f->L[i + 1].leaf != l->leaf;
}

/* Does line i follow another numbered item (`2. b` after `1. a`: options
 * of a question, not a question of their own)? */
static bool after_item(const lifter *f, int i)
{
	int p = i - 1;
	while (p >= 0 && f->L[p].role == R_BLANK)
		p--;
	return p >= 0 && numbered_item(f, p);
}

/* `1. What is the output?` + code + options + <details><summary>Answer
 * </summary>: a numbered item whose answer is folded under it, before
 * the next item, heading or rule. The fold says it is a question, what
 * ever its words (`14. All objects have prototypes.`). */
static bool answered_by_spoiler(const lifter *f, int i)
{
	for (int j = i + 1; j < f->n; j++) {
		const lline *m = &f->L[j];
		switch (m->role) {
		case R_SPOILER: return true;
		case R_HEADING: case R_SEPARATOR: case R_QUESTION: case R_END: case R_SPOILER_END:
		case R_TITLE:
			return false;
		default:
			if (m->role == R_PROSE && numbered_item(f, j))
				return false;
		}
	}
	return false;
}

static bool is_question_line(const lifter *f, int i);

/* Is line i the first of the answer under a heading that asks (by its
 * question mark or a task, not only an asking word)? A bold
 * question there (`### 自动装箱与拆箱了解吗？原理是什么？` then
 * `**什么是自动拆装箱？**`) restates the heading's question or a part of
 * it: the answer's lead, not a card that would leave the heading none. */
static bool opens_answer(const lifter *f, int i)
{
	int p = i - 1;
	while (p >= 0 && f->L[p].role == R_BLANK)
		p--;
	if (p < 0 || f->L[p].role != R_HEADING || !is_question_line(f, p))
		return false;
	size_t n;
	const char *t = heading_text(&f->L[p], &n);
	return qc_asks(t, n);   /* not a topic that only opens with `When` */
}

/* Is line i a paragraph of its own whose next paragraph, in the same
 * container, is only an answer label (`> 既然 …？`, `>`, `> 答：`, `>`,
 * `> 1. …`)? The label alone says the line above asks. */
static bool answered_below(const lifter *f, int i)
{
	const lline *l = &f->L[i];
	int a = next_nonblank(f, i + 1);
	if (a == i + 1 || a >= f->n || f->L[a].role != R_PROSE || f->L[a].ctx != l->ctx
	    || (a + 1 < f->n && f->L[a + 1].role == R_PROSE && f->L[a + 1].leaf == f->L[a].leaf))
		return false;   /* the label is a paragraph of its own, after a blank line */
	const char *s = f->L[a].s + f->L[a].off;
	size_t n = f->L[a].len - f->L[a].off, k = answer_marker(s, n);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return k >= n && k && qc_holds_colon(s, k);
}

static const char *bare_question(const lifter *f, int i)
{
	const lline *l = &f->L[i];
	const char *s = l->s + l->off;
	size_t n = l->len - l->off;
	if (l->role != R_PROSE || l->indent > 3 || l->icode || l->in_card)
		return NULL;
	int p = i - 1;
	size_t num = qc_number(s, n);
	if (p >= 0 && f->L[p].role == R_PROSE && f->L[p].leaf == l->leaf) {
		/* not at a paragraph start: only a numbered line with its
		 * answer line under it starts a question there (`45. Why ...`
		 * right after the last line of the previous answer, which
		 * CommonMark reads as the same paragraph) */
		if (!num || s[0] == 'Q' || s[0] == 'q' || !followed_by_answer(f, i))
			return NULL;
		return "qa-lines";
	}
	if (numbered_item(f, i) && !after_item(f, i) && answered_by_spoiler(f, i))
		return "numbered-item";
	if ((num && (s[0] == 'Q' || s[0] == 'q')) || emphasized_label(s, n, 'Q'))
		return "q-line";    /* Q12. ..., Q: ..., **Q:** ... */
	if (bold_number(s, n))
		return "numbered";  /* **3)** Compute the mean ... */
	if (followed_by_answer(f, i) && !opens_with_a(s, n) && !qcode_starts(s, n, "- "))
		return "qa-lines";
	if (answered_below(f, i) && qc_asks(s, n))
		return "qa-lines";
	/* **What is X?** alone in its paragraph: the next line is blank,
	 * or starts another block (a list right under it, which ends the
	 * paragraph in CommonMark: `**List three classes:**` then `- A`) */
	if (n > 4 && qcode_starts(s, n, "**") && s[n - 1] == '*' && s[n - 2] == '*'
	    && !qmemmem(s + 2, n - 4, "**", 2)
	    && (i + 1 >= f->n || f->L[i + 1].role != R_PROSE || f->L[i + 1].leaf != l->leaf)
	    && qc_asks(s, n) && !opens_answer(f, i))
		return "bold";
	return NULL;
}

static bool is_question_line(const lifter *f, int i)
{
	lline *l = (lline *)&f->L[i];   /* the answer is kept: a cache */
	if (l->role == R_QUESTION)
		return true;
	if (l->role != R_HEADING)
		return false;
	if (!l->asked) {
		size_t n;
		const char *t = heading_text(l, &n);
		l->asked = qc_classify(t, n) == QC_QUESTION ? 1 : -1;
	}
	return l->asked > 0;
}

/* A heading under question heading q that only names the answer
 * (`#### Answer`, `### 答案：`); not a section of answers after a list of
 * questions. */
static bool answer_heading(const lline *q, const lline *l)
{
	if (q->role != R_HEADING || atx_level(l) <= atx_level(q))
		return false;
	size_t n;
	const char *t = heading_text(l, &n);
	return qc_names_answer(t, n);
}

/* Is line a the first of lettered options (`- A. Least privilege.`,
 * then `- B. ...`): the choices of a multiple-choice question, where
 * `A.` or `A:` names option A, not the answer? */
static bool opens_options(const lifter *f, int a)
{
	const char *s = body(&f->L[a]);
	size_t n = body_len(&f->L[a]);
	if (n < 3 || (s[0] != 'A' && s[0] != 'a') || (s[1] != '.' && s[1] != ':' && s[1] != ')'))
		return false;
	int b = next_nonblank(f, a + 1);
	if (b >= f->n || f->L[b].role != R_PROSE)
		return false;
	const char *t = body(&f->L[b]);
	size_t m = body_len(&f->L[b]);
	return m >= 3 && t[0] == s[0] + 1 && t[1] == s[1] && t[2] == ' ';
}

/* After a question: drop marker-only lines (and a heading that only
 * names the answer), strip a leading marker. */
static void strip_markers(lifter *f, int q)
{
	for (int k = 0; k < 2; k++) {
		int a = next_nonblank(f, q + 1);
		if (a < f->n && f->L[a].role == R_HEADING && answer_heading(&f->L[q], &f->L[a])) {
			f->L[a].role = R_DROP;
			q = a;
			continue;
		}
		if (a >= f->n || f->L[a].role != R_PROSE)
			return;
		lline *l = &f->L[a];
		size_t skip;
		if (!is_answer_marker_start(body(l), body_len(l), &skip) || opens_options(f, a))
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

/* A bold question asked three times or more in the same words (`¿Por
 * qué es importante?` under every topic) is a rubric of the answers, not
 * a question of its own. */
static void drop_rubrics(lifter *f)
{
	for (int i = 0; i < f->n; i++) {
		lline *l = &f->L[i];
		if (l->role != R_QUESTION || !l->rule || strcmp(l->rule, "bold"))
			continue;
		int same = 0;
		for (int j = 0; j < f->n && same < 3; j++) {
			const lline *m = &f->L[j];
			same += (m->role == R_QUESTION || m->role == R_PROSE) && m->rule && !strcmp(m->rule, "bold")
				&& body_len(m) == body_len(l) && !memcmp(body(m), body(l), body_len(l));
		}
		if (same >= 3)
			for (int j = i; j < f->n; j++) {
				lline *m = &f->L[j];
				if (m->role == R_QUESTION && body_len(m) == body_len(l) && !memcmp(body(m), body(l), body_len(l)))
					m->role = R_PROSE;
			}
	}
}

/* `- Q: ...` then `- A: ...`: a bullet question whose answer is the
 * next bullet of the same list, marked `A:`; that bullet joins the
 * question's item (else the question would stand alone, unanswered). */
static void join_answer_items(lifter *f)
{
	for (int i = 0; i + 1 < f->n; i++) {
		const lline *q = &f->L[i];
		lline *a = &f->L[i + 1];
		size_t skip;
		if (q->role != R_QUESTION || !q->marker || a->role != R_PROSE || !a->marker
		    || a->depth != q->depth || a->pfx != q->pfx
		    || !is_answer_marker_start(body(a), body_len(a), &skip))
			continue;
		a->joins_item = true;
	}
}

/* `Q:`, `Q :`, `Q：`, `Q1:`: the letter Q as a label with its colon. */
static bool q_label(const char *s, size_t n)
{
	size_t k = (n && (s[0] == 'Q' || s[0] == 'q')) ? qc_number(s, n) : 0;
	return k && qc_holds_colon(s, k);
}

/* Does a fenced block open at i with a bare fence (no language) and hold
 * only `Q :` and `A :` lines, a question first and an answer after it?
 * The index of its closing fence, or -1. */
static int qa_fence(const lifter *f, int i)
{
	const lline *o = &f->L[i];
	const char *s = o->s + o->off;
	size_t n = o->len - o->off, k = 0;
	while (k < n && s[k] == s[0])
		k++;
	while (k < n && (s[k] == ' ' || s[k] == '\t'))
		k++;
	if (k < n)
		return -1;   /* ```swift: code */
	int j = i + 1;
	bool answered = false;
	for (; j < f->n && f->L[j].leaf == o->leaf && !closes_fence(o, &f->L[j]); j++) {
		const lline *l = &f->L[j];
		const char *b = l->s + l->off;
		size_t bn = l->len - l->off;
		if (q_label(b, bn) && (j == i + 1 || answered))
			answered = false;
		else if (opens_with_a(b, bn) && j > i + 1)
			answered = true;
		else
			return -1;
	}
	return j < f->n && f->L[j].leaf == o->leaf && j > i + 2 && answered ? j : -1;
}

/* ```` ``` ```` then `Q : Can it go back?` / `A : No.` then ```` ``` ````:
 * a follow-up question the notes set apart in monospace, its answer
 * under it. Its lines are read as notes, each question a paragraph of
 * its own; the fences go. Code never opens with a Q label. */
static void pass_qa_fences(lifter *f)
{
	for (int i = 0; i < f->n; i++) {
		if (f->L[i].blk != QB_FENCED || (i && f->L[i - 1].leaf == f->L[i].leaf))
			continue;
		int close = qa_fence(f, i);
		if (close < 0)
			continue;
		f->L[i].role = f->L[close].role = R_DROP;
		int leaf = f->L[i].leaf;
		for (int j = i + 1; j < close; j++) {
			lline *l = &f->L[j];
			if (q_label(l->s + l->off, l->len - l->off))
				leaf = f->n + 1 + j;   /* a leaf no block of cmark's has */
			l->role = R_PROSE;
			l->blk = QB_PARA;
			l->leaf = leaf;
		}
		i = close;
	}
}

/* The number of a numbered item line (`12. Calcula ...`: 12). */
static long item_number(const lline *l)
{
	const char *s = l->lone_item ? l->s : l->s + l->off;
	size_t n = l->lone_item ? l->len : l->len - l->off;
	n = qc_trim(&s, n);
	long v = 0;
	for (size_t i = 0; i < n && i < 4 && s[i] >= '0' && s[i] <= '9'; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* Is line i a numbered item alone at the margin whose answer follows it
 * at the margin too (`1. Calcula $\phi(495)$`, then the worked solution
 * as paragraphs and formulas, not inside the item)? */
static bool exercise_candidate(const lifter *f, int i)
{
	if (!numbered_item(f, i) || after_item(f, i))
		return false;
	int j = next_nonblank(f, i + 1);
	return j < f->n && f->L[j].depth == 0 && f->L[j].role != R_HEADING;
}

/* Does the text end in a question mark (`?`, `？`, `؟`): a question by
 * its form, whatever its words? */
/* Does s end with a question mark, before white space and closing
 * emphasis (`**Why?**`)? */
static bool ends_asking(const char *s, size_t n)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '*' || s[n - 1] == '_'))
		n--;
	return qc_ends_question_mark(s, n);
}

/* Is line i the first line of a top-level numbered item that asks
 * (`2. Was ist ...?`) and whose answer goes on in the same paragraph,
 * indented under it? It belongs to a run of exercises as much as one
 * answered at the margin; it stays in its item. */
static bool continued(const lifter *f, int i)
{
	const lline *l = &f->L[i];
	if (!l->lone_item || l->role != R_PROSE || l->in_card || l->indent > 3 || i + 1 >= f->n
	    || f->L[i + 1].role != R_PROSE || f->L[i + 1].leaf != l->leaf)
		return false;
	const char *s = l->s + l->off;
	size_t n = l->len - l->off;
	return starts_item_number(l->s, l->len) && ends_asking(s, n);
}

/* Makes the items of set[0..k) questions when most of them ask
 * or set a task (the others are exercises of the same set: `8. Para
 * encriptar ... se ha usado ...`). */
static void mark_exercises(lifter *f, const int *set, int k)
{
	int asking = 0;
	for (int r = 0; r < k; r++) {
		const lline *l = &f->L[set[r]];
		asking += qc_sets_task(l->s + l->off, l->len - l->off);
	}
	if (k < 2 || 2 * asking <= k)
		return;
	for (int r = 0; r < k; r++) {
		lline *l = &f->L[set[r]];
		l->role = R_QUESTION;
		l->rule = "numbered-exercise";
		if (l->lone_item && !continued(f, set[r])) {
			l->pfx = 0;   /* `3. Calcula ...`: the number is the question's */
			l->ctx = 0;
			measure_indent(l);
		}
	}
}

/* Exercises numbered at the margin, each answered by the blocks under it:
 * `1. ...?`, its solution, `2. Calcula ...`, its solution. Each item is a
 * list of its own to CommonMark, but the numbers go on (1, 2, 3 ...)
 * across the answers between them, and most items ask: a set of
 * exercises with their worked answers. A heading ends the set. */
static void pass_exercises(lifter *f)
{
	int *set = qarena_alloc(&f->work, sizeof *set * (size_t)(f->n ? f->n : 1));
	int k = 0;
	long last = 0;
	for (int i = 0; i < f->n; i++) {
		if (f->L[i].role == R_HEADING) {
			mark_exercises(f, set, k);
			k = 0;
			continue;
		}
		if (!exercise_candidate(f, i) && !continued(f, i))
			continue;
		long v = item_number(&f->L[i]);
		if (k && v != last + 1) {
			mark_exercises(f, set, k);
			k = 0;
		}
		set[k++] = i;
		last = v;
	}
	mark_exercises(f, set, k);
}

/* Does the item whose marker is on line i hold more than its first
 * line: blocks indented under it (`1. Which ...?`, then its options
 * `    - A. ...` and its folded answer, all inside the item)? Such a
 * question stays in its item, so that they stay its answer. */
static bool holds_blocks(const lifter *f, int i)
{
	int j = next_nonblank(f, i + 1);
	if (j >= f->n)
		return false;
	const lline *m = &f->L[j];
	return m->ctx != -1 && (m->depth > 1 || (m->depth == 1 && !m->marker));
}

static void pass_questions(lifter *f)
{
	pass_qa_fences(f);
	for (int i = 0; i < f->n; i++) {
		const char *rule = bare_question(f, i);
		if (rule) {
			lline *l = &f->L[i];
			l->role = R_QUESTION;
			l->rule = rule;
			if (l->lone_item && !strcmp(rule, "numbered-item") && !holds_blocks(f, i)) {
				l->pfx = 0;   /* `1. Q?`: the number is the question's */
				l->ctx = 0;
				measure_indent(l);
			}
		}
	}
	pass_exercises(f);
	drop_rubrics(f);
	join_answer_items(f);
	for (int i = 0; i < f->n; i++)
		if (is_question_line(f, i))
			strip_markers(f, i);
}

/* --------------------------------------------------- answer markers */

/* Past spaces, a colon (`:` or `：`) at s[*j]: moves *j past it. */
static bool skip_label_colon(const char *s, size_t n, size_t *j)
{
	size_t k = *j;
	while (k < n && s[k] == ' ')
		k++;
	size_t c = k < n && s[k] == ':' ? 1
		   : n - k >= 3 && memcmp(s + k, "\xEF\xBC\x9A", 3) == 0 ? 3 : 0;   /* ： */
	if (!c)
		return false;
	*j = k + c;
	return true;
}

/* The number after an answer word that opens the first of several
 * answers (`Solution 1:`, `答案一：`): past a space, one or two digits or
 * a Chinese numeral; moves *j past it. 0: no number; 1: the first;
 * 2: a later one (`Solution 2:` goes on an answer already open). */
static int answer_number(const char *s, size_t n, size_t *j)
{
	static const char *const numerals[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十", NULL};
	size_t k = *j;
	if (k < n && s[k] == ' ')
		k++;
	size_t d = k;
	while (k < n && k - d < 2 && s[k] >= '0' && s[k] <= '9')
		k++;
	if (k > d) {
		*j = k;
		return k - d == 1 && s[d] == '1' ? 1 : 2;
	}
	for (int m = 0; numerals[m]; m++)
		if (n - k >= 3 && memcmp(s + k, numerals[m], 3) == 0) {
			*j = k + 3;
			return m == 0 ? 1 : 2;
		}
	return 0;
}

/* Words that open the answer when they stand alone on their line (or
 * start it, the answer following): `%` (mdanki), `__ANSWER__`,
 * `**Answer:**`, `**Answer**:`, `Answer:`, `Answer 2:` and their
 * translations. */
static size_t answer_marker_numbered(const char *s, size_t n, bool *numbered)
{
	const char *const *words = qc_answer_words;
	*numbered = false;
	size_t i = 0;
	if (n == 1 && s[0] == '%')
		return 1;
	while (i < n && (s[i] == '*' || s[i] == '_'))
		i++;
	size_t open = i;
	unsigned char first = i < n ? (unsigned char)s[i] : 0;
	if (first >= 'A' && first <= 'Z')
		first = (unsigned char)(first + 32);   /* the words start lower case */
	for (int k = 0; words[k]; k++) {
		if ((unsigned char)words[k][0] != first)
			continue;
		size_t l = strlen(words[k]), j = i + l;
		if (n - i < l || strncasecmp(s + i, words[k], l) != 0)
			continue;
		int number = answer_number(s, n, &j);
		if (number == 2)
			continue;
		bool colon = skip_label_colon(s, n, &j);
		if (!colon)
			while (j < n && s[j] == ' ')
				j++;
		size_t close = j;
		while (close < n && (s[close] == '*' || s[close] == '_'))
			close++;
		if (close - j != open)
			continue;   /* the emphasis must close around the word */
		if (!colon && open)
			colon = skip_label_colon(s, n, &close);   /* `**答案**：` */
		if (!colon && (number || !(open >= 2 && close == n)))
			continue;   /* "Answer" alone needs a colon or __ANSWER__ */
		while (close < n && (s[close] == ' ' || s[close] == '\t'))
			close++;
		if (!colon && close < n)
			continue;
		*numbered = number != 0;
		return close;
	}
	return 0;
}

static size_t answer_marker(const char *s, size_t n)
{
	bool numbered;
	return answer_marker_numbered(s, n, &numbered);
}

static void pass_answers(lifter *f)
{
	for (int i = 0; i < f->n; i++) {
		lline *l = &f->L[i];
		if (l->role != R_PROSE || l->indent > 3)
			continue;
		bool numbered;
		size_t k = answer_marker_numbered(body(l), body_len(l), &numbered);
		if (!k)
			continue;
		l->role = R_ANSWER;
		if (!numbered)   /* `Solution 1:` stays: the later ones name it */
			l->strip += k;   /* the answer's own text stays */
		l->has_traits = false;
	}
}

/* ------------------------------------------------------- flashcards */

static const char *sep_or(const char *s, const char *def)
{
	return s && *s ? s : def;
}

/* RemNote's `front >> back`: ` >> ` between words, outside code spans
 * (not `>>>`, and not a quote's `>>` at the start of the line). */
static const char *remnote_sep(const char *s, size_t n, size_t *at, bool *rev)
{
	bool code = false;
	for (size_t i = 1; i + 3 < n; i++) {
		if (s[i] == '`')
			code = !code;
		if (!code && s[i] == ' ' && s[i + 1] == '>' && s[i + 2] == '>' && s[i + 3] == ' '
		    && s[i - 1] != ' ' && s[i - 1] != '>') {
			*at = i + 1;
			*rev = false;
			return ">>";
		}
	}
	return NULL;
}

/* `Active >> Inactive >> Running`: `>>` twice on a line is an arrow
 * between steps, and notes that write it so use `>>` as an arrow, not
 * as RemNote's separator (which a card has once). */
static bool arrow_chain(const char *s, size_t n)
{
	size_t at;
	bool rev;
	if (!remnote_sep(s, n, &at, &rev))
		return false;
	return remnote_sep(s + at + 1, n - at - 1, &at, &rev) != NULL;
}

/* A byte of a word: an ASCII letter or digit, or part of a UTF-8 character. */
static bool word_byte(char c)
{
	return (c & 0x80) || isalnum((unsigned char)c);
}

/* Where the quoted string opening at s[i] (`"` or a `'` after no
 * letter) closes, or 0 when it does not close on the line; *none is set
 * then, as no later quote of that kind can close either. */
static size_t quote_end(const char *s, size_t n, size_t i, bool *none)
{
	char q = s[i];
	if (q == '\'' && i && word_byte(s[i - 1]))
		return 0;   /* an apostrophe: what's, l'été */
	for (size_t j = i + 1; j < n; j++)
		if (s[j] == q && (q == '"' || j + 1 == n || !word_byte(s[j + 1])))
			return j;
	*none = true;
	return 0;
}

/* The inline separator in s[0..n) (the longest given that is there,
 * outside code spans and quoted strings, `"a::b"`, which name the
 * syntax or hold code; else RemNote's, unless the notes draw arrows with
 * `>>`), or NULL. */
static const char *find_sep(const qcard_seps *sp, const char *s, size_t n, size_t *at,
			    bool *rev, bool remnote)
{
	const char *in = sep_or(sp->inline_sep, "::"), *rv = sep_or(sp->inline_rev, ":::");
	size_t lr = strlen(rv), li = strlen(in);
	if (!qmemmem(s, n, in, li) && !qmemmem(s, n, rv, lr))   /* most lines: no separator */
		return remnote && qmemmem(s, n, ">> ", 3) ? remnote_sep(s, n, at, rev) : NULL;
	bool code = false, nodq = false, nosq = false;
	int cloze = 0;   /* inside {{c1::text}}: Anki's cloze, no separator */
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '`')
			code = !code;
		if (!code && !cloze && ((s[i] == '"' && !nodq) || (s[i] == '\'' && !nosq))) {
			size_t e = quote_end(s, n, i, s[i] == '"' ? &nodq : &nosq);
			if (e) {
				i = e;   /* skip the quoted string */
				continue;
			}
		}
		if (!code && i + 1 < n && s[i] == '{' && s[i + 1] == '{')
			cloze++;
		else if (!code && cloze && i + 1 < n && s[i] == '}' && s[i + 1] == '}')
			cloze--;
		if (code || cloze || (s[i] != rv[0] && s[i] != in[0]))
			continue;
		if (n - i >= lr && memcmp(s + i, rv, lr) == 0 && lr > li) {
			*at = i;
			*rev = true;
			return rv;
		}
		if (n - i >= li && memcmp(s + i, in, li) == 0) {
			if (n - i >= lr && memcmp(s + i, rv, lr) == 0) {
				*at = i;
				*rev = true;
				return rv;
			}
			*at = i;
			*rev = false;
			return in;
		}
	}
	return remnote ? remnote_sep(s, n, at, rev) : NULL;
}

/* A Logseq property line (`tags:: a, b`, `card-last-interval:: 4`). */
static bool property_line(const char *s, size_t n)
{
	return qmeta_property(s, n) > 0;
}

/* A card line `front::back`: a front of words and a back. */
static bool card_line(const qcard_seps *sp, const char *s, size_t n, size_t *at, size_t *len,
		      bool *rev, bool remnote)
{
	const char *sep = find_sep(sp, s, n, at, rev, remnote);
	if (!sep || property_line(s, n))
		return false;
	*len = strlen(sep);
	const char *front = s;
	size_t fn = qc_trim(&front, *at), bn = n - *at - *len;
	const char *back = s + *at + *len;
	bn = qc_trim(&back, bn);
	return fn > 0 && bn > 0;
}

/* Does a line of text outside code fences chain `>>` as arrows? */
static bool text_draws_arrows(const char *text, size_t n)
{
	bool fence = false;
	for (size_t i = 0; i < n;) {
		const char *nl = memchr(text + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - text - i) : n - i;
		const char *s = text + i;
		if (len >= 3 && (memcmp(s, "```", 3) == 0 || memcmp(s, "~~~", 3) == 0))
			fence = !fence;
		else if (!fence && arrow_chain(s, len))
			return true;
		i += len + 1;
	}
	return false;
}

bool qlift_flashcards(const char *text, size_t n, const qcard_seps *sp)
{
	qcard_seps none = {0};
	if (!sp)
		sp = &none;
	int clear = 0;
	bool fence = false, arrows = qmemmem(text, n, ">> ", 3) && text_draws_arrows(text, n);
	for (size_t i = 0; i < n && clear < 2;) {
		const char *nl = memchr(text + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - text - i) : n - i;
		const char *s = text + i;
		if (len >= 3 && (memcmp(s, "```", 3) == 0 || memcmp(s, "~~~", 3) == 0))
			fence = !fence;
		size_t at, sl;
		bool rev;
		if (!fence && card_line(sp, s, len, &at, &sl, &rev, !arrows)) {
			const char *fr = s;
			size_t fn = qc_trim(&fr, at);
			bool remnote = sl == 2 && !memcmp(s + at, ">>", 2);   /* `ATP >> energy` */
			bool words = remnote ? !memchr(s, ';', len) : memchr(fr, ' ', fn) != NULL;
			if (words && !memchr(fr, '(', fn) && !memchr(fr, '=', fn))
				clear++;   /* a front of words, not `use std::io` or `cin >> x;` code */
		}
		i += len + 1;
	}
	return clear >= 2;
}

/* Is line l's body exactly the separator s? */
static bool body_is(const lline *l, const char *s)
{
	const char *b = body(l);
	size_t n = qc_trim(&b, body_len(l));
	return n == strlen(s) && memcmp(b, s, n) == 0;
}

/* Obsidian Spaced Repetition's cards: `front::back` lines, and a front
 * and a back around a line holding only `?` (`??`: reversed), the card
 * ending at a blank line. Logseq's property lines go. */
static void pass_flashcards(lifter *f)
{
	const char *multi = sep_or(f->o.seps.multi, "?"), *mrev = sep_or(f->o.seps.multi_rev, "??");
	bool remnote = true;
	for (int i = 0; i < f->n && remnote && f->o.flashcards; i++)
		if (f->L[i].role == R_PROSE && arrow_chain(body(&f->L[i]), body_len(&f->L[i])))
			remnote = false;
	for (int i = 0; i < f->n; i++) {
		lline *l = &f->L[i];
		if (l->role != R_PROSE)
			continue;
		if (property_line(body(l), body_len(l))) {
			l->role = R_DROP;
			continue;
		}
		if (!f->o.flashcards)
			continue;
		if (card_line(&f->o.seps, body(l), body_len(l), &l->sep, &l->seplen, &l->reversible,
			      remnote)) {
			l->role = R_CARDLINE;
			continue;
		}
		bool rev = body_is(l, mrev);
		if (!rev && !body_is(l, multi))
			continue;
		int a = i, b = i + 1;   /* the front: the paragraph's lines before */
		while (a > 0 && f->L[a - 1].role == R_PROSE && f->L[a - 1].ctx == l->ctx)
			a--;
		while (b < f->n && f->L[b].role != R_BLANK && f->L[b].ctx >= 0)
			b++;
		if (a == i || b == i + 1)
			continue;
		f->L[a].role = R_FRONT;
		f->L[a].front_end = i - 1;
		f->L[a].reversible = rev;
		for (int k = a + 1; k <= i; k++)
			f->L[k].role = R_DROP;
		if (f->L[b - 1].role == R_PROSE)
			f->L[b - 1].role = R_BACK_END;
		i = b - 1;
	}
}

/* ----------------------------------------------- Obsidian_to_Anki */

/* A line of the plug-in's directions to Anki (`Tags:`, `TARGET DECK`,
 * `FILE TAGS`) is left out of the outputs, with a note naming it: the
 * deck's tags and name come from the front matter (`tags:`, `deck:`). */
static void drop_directive(lifter *f, int i)
{
	lline *l = &f->L[i];
	l->role = R_DROP;
	qdiag_add(f->d, QD_NOTE, l->no, 1, "anki-directive",
		  "Obsidian_to_Anki's \"%.*s\" is left out (quire takes a deck's name and tags "
		  "from the front matter: deck:, tags:)", (int)(body_len(l) > 60 ? 60 : body_len(l)),
		  body(l));
}

/* Bytes of the field label `Front:` (`Back:`, `Text:`) at the start of
 * s, with the white space after it; 0 when s does not start with it. */
static size_t field_label(const char *s, size_t n, const char *label)
{
	size_t k = strlen(label);
	if (n < k || memcmp(s, label, k) != 0)
		return 0;
	while (k < n && (s[k] == ' ' || s[k] == '\t'))
		k++;
	return k;
}

/* The line holding only `END` that closes the block opened at line
 * `start`; -1 when a heading or another `START` comes first. */
static int block_end(const lifter *f, int start)
{
	for (int k = start + 1; k < f->n; k++) {
		const lline *l = &f->L[k];
		if (l->role == R_HEADING || (l->role == R_PROSE && body_is(l, "START")))
			return -1;
		if (l->role == R_PROSE && body_is(l, "END"))
			return k;
	}
	return -1;
}

/* A cloze block note (`START` / `Cloze` / `Text: ... {{c1::...}}` /
 * `END`): its text stays a paragraph, which quire's cloze rule makes a
 * cloze note of; the plugin's lines and the `Text:` label go. */
static bool anki_cloze(lifter *f, int start, int type, int text, int end)
{
	lline *tl = &f->L[text];
	size_t k = field_label(body(tl), body_len(tl), "Text:");
	if (!qmemmem(body(tl), body_len(tl), "{{c", 3) && !k)
		return false;
	tl->strip += k;
	f->L[start].role = R_DROP;
	f->L[type].role = R_DROP;
	for (int i = text + 1; i < end; i++)
		if (f->L[i].role == R_PROSE && field_label(body(&f->L[i]), body_len(&f->L[i]), "Tags:"))
			drop_directive(f, i);
	f->L[end].role = R_DROP;
	return true;
}

/* A block note `START` / note type / fields / `END`: a card when it has
 * a front and a `Back:` field with text; the front is the first field
 * (its `Front:` label optional), the back runs to `Tags:` or `END` (the
 * plug-in's ID comment stays: an HTML comment). Without a `Back:` field
 * it may be a cloze note. Returns whether the block was read as a note;
 * a block that is not one stays text as written. */
static bool anki_block(lifter *f, int start, int end)
{
	int type = next_nonblank(f, start + 1), back = -1, stop = end;
	if (type < 0 || type >= end || f->L[type].role != R_PROSE)
		return false;
	int front = next_nonblank(f, type + 1);
	if (front < 0 || front >= end || f->L[front].role != R_PROSE)
		return false;
	for (int k = front; k < end && back < 0; k++)
		if (f->L[k].role == R_PROSE && field_label(body(&f->L[k]), body_len(&f->L[k]), "Back:"))
			back = k;
	if (back < 0)
		return anki_cloze(f, start, type, front, end);
	if (back == front)
		return false;   /* the back where the front should be */
	for (int k = back + 1; k < end; k++)
		if (f->L[k].role == R_PROSE && field_label(body(&f->L[k]), body_len(&f->L[k]), "Tags:")) {
			stop = k;
			break;
		}
	lline *fl = &f->L[front], *bl = &f->L[back];
	size_t fk = field_label(body(fl), body_len(fl), "Front:");
	size_t bk = field_label(body(bl), body_len(bl), "Back:");
	const char *fs = body(fl) + fk;
	size_t fn = qc_trim(&fs, body_len(fl) - fk);
	bool back_text = body_len(bl) > bk;
	for (int k = back + 1; k < stop && !back_text; k++)
		back_text = f->L[k].role != R_BLANK;
	if ((fn == 0 && front + 1 == back) || !back_text)
		return false;
	fl->strip += fk;   /* the bodies start after the labels */
	bl->strip += bk;
	fl->role = R_FRONT;
	fl->front_end = back - 1;
	fl->rule = "obsidian-to-anki";
	fl->reversible = find_ci(body(&f->L[type]), body_len(&f->L[type]), "reversed") != NULL;
	while (fl->front_end > front && f->L[fl->front_end].role == R_BLANK)
		fl->front_end--;
	f->L[start].role = R_DROP;
	f->L[type].role = R_DROP;
	for (int k = stop; k < end; k++)
		if (f->L[k].role == R_PROSE)
			drop_directive(f, k);   /* Tags: */
	f->L[end].role = R_END;
	return true;
}

/* An inline note `STARTI [Basic] front Back: back ENDI` on a line of its
 * own: a card line. */
static bool anki_inline(lline *l)
{
	const char *s = body(l);
	size_t n = body_len(l);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n < 12 || memcmp(s, "STARTI [", 8) != 0 || memcmp(s + n - 4, "ENDI", 4) != 0)
		return false;
	const char *close = memchr(s, ']', n);
	if (!close)
		return false;
	size_t at = (size_t)(close + 1 - s);
	const char *back = find_ci(s + at, n - 4 - at, " Back:");
	if (!back || memcmp(back, " Back:", 6) != 0)
		return false;
	size_t fk = at, sep = (size_t)(back - s) + 1;
	while (fk < sep && s[fk] == ' ')
		fk++;
	if (fk >= sep - 1 || sep + 5 >= n - 4)
		return false;   /* an empty front or back */
	l->reversible = find_ci(s, at, "reversed") != NULL;
	l->tail = body_len(l) - (n - 4);
	l->strip += fk;
	l->sep = sep - fk;
	l->seplen = 5;
	l->rule = "obsidian-to-anki";
	l->role = R_CARDLINE;
	return true;
}

/* The Obsidian_to_Anki plugin's notes: block notes between `START` and
 * `END` lines, inline notes `STARTI [Type] ... ENDI`; its `TARGET DECK`
 * and `FILE TAGS` lines (the value on the same or the next line) are
 * directions to the plugin, not text. */
static void pass_anki(lifter *f)
{
	for (int i = 0; i < f->n; i++) {
		lline *l = &f->L[i];
		char c = body_len(l) ? body(l)[0] : 0;
		if (l->role != R_PROSE || (c != 'S' && c != 'T' && c != 'F'))
			continue;   /* START, STARTI, TARGET DECK, FILE TAGS */
		if (body_is(l, "START")) {
			int end = block_end(f, i);
			if (end > i && anki_block(f, i, end)) {
				f->out->tool_cards = true;
				i = end;
			}
			continue;
		}
		if (anki_inline(l)) {
			f->out->tool_cards = true;
			continue;
		}
		const char *b = body(l);
		size_t n = body_len(l);
		bool alone = body_is(l, "TARGET DECK") || body_is(l, "FILE TAGS");
		if (!alone && !field_label(b, n, "TARGET DECK:") && !field_label(b, n, "FILE TAGS:"))
			continue;
		drop_directive(f, i);
		if (alone && i + 1 < f->n && f->L[i + 1].role == R_PROSE)
			drop_directive(f, i + 1);   /* the value on the next line */
	}
}

/* -------------------------------------------------------- footnotes */

/* `[^label]: ` at the start of s: its length, the label. */
static size_t footnote_def(const char *s, size_t n, size_t *label, size_t *llen)
{
	if (n < 5 || s[0] != '[' || s[1] != '^')
		return 0;
	size_t i = 2;
	while (i < n && s[i] != ']' && s[i] != ' ' && s[i] != '[' && i < 64)
		i++;
	if (i == 2 || i + 1 >= n || s[i] != ']' || s[i + 1] != ':')
		return 0;
	*label = 2;
	*llen = i - 2;
	i += 2;
	while (i < n && s[i] == ' ')
		i++;
	return i;
}

/* Footnote definitions (GitHub, pandoc): the text after the label and
 * the lines indented under it, kept aside; a placeholder stands where
 * the definition was. cmark would take `[^1]: url` for a link
 * definition and hide it. */
static void pass_footnotes(lifter *f)
{
	qlift *o = f->out;
	for (int i = 0; i < f->n; i++) {
		lline *l = &f->L[i];
		size_t lab, ll, k;
		if ((l->role != R_PROSE && !(l->role == R_VERBATIM && l->blk == QB_OTHER)) || l->indent > 3
		    || !(k = footnote_def(body(l), body_len(l), &lab, &ll)))
			continue;
		qbuf t = QBUF_INIT;   /* protected as the notes' lines are: formulas, identifiers */
		qinline_protect_in(o, body(l) + k, body_len(l) - k, &t);
		int j = i + 1;
		for (; j < f->n; j++) {   /* lines that go on: indented, or lazy */
			lline *m = &f->L[j];
			if (m->role == R_BLANK) {
				if (j + 1 < f->n && f->L[j + 1].indent >= 4 && f->L[j + 1].role != R_BLANK) {
					qbuf_puts(&t, "\n");
					continue;
				}
				break;
			}
			size_t a, b2;
			if ((m->indent < 4 && (m->role != R_PROSE || m->leaf != l->leaf))
			    || footnote_def(body(m), body_len(m), &a, &b2))
				break;
			qbuf_putc(&t, '\n');
			qinline_protect_in(o, body(m), body_len(m), &t);
			m->role = R_DROP;
		}
		if (o->nfootnotes == o->capfootnotes) {
			o->capfootnotes = o->capfootnotes ? 2 * o->capfootnotes : 8;
			o->footnotes = qxrealloc(o->footnotes, sizeof *o->footnotes * (size_t)o->capfootnotes);
		}
		o->footnotes[o->nfootnotes].label = qarena_strndup(&o->arena, body(l) + lab, ll);
		o->footnotes[o->nfootnotes].text = qarena_strndup(&o->arena, t.ptr ? t.ptr : "", t.len);
		qbuf_free(&t);
		l->role = R_FOOTDEF;
		l->group = o->nfootnotes++;
		i = j - 1;
	}
}

/* ------------------------------------------------- definition lists */

static bool is_definition(const lline *l)
{
	return l->role == R_PROSE && l->indent <= 3 && body_len(l) > 2 && body(l)[0] == ':'
	    && (body(l)[1] == ' ' || body(l)[1] == '\t');
}

/* A definition list (pandoc, PHP Markdown Extra): a term on its own
 * line, then lines `: definition`. Each term and its definitions is a
 * card that may be asked backwards. */
static void pass_definitions(lifter *f)
{
	for (int i = 0; i + 1 < f->n; i++) {
		lline *t = &f->L[i];
		if (t->role != R_PROSE || t->indent > 3 || !body_len(t) || is_definition(t)
		    || (i > 0 && f->L[i - 1].role == R_PROSE && f->L[i - 1].leaf == t->leaf))
			continue;
		int j = i + 1;
		if (f->L[j].role == R_BLANK && j + 1 < f->n)
			j++;
		if (!is_definition(&f->L[j]) || f->L[j].ctx != t->ctx)
			continue;
		t->role = R_DEFTERM;
		int last = j;
		for (int k = j; k < f->n && (is_definition(&f->L[k]) || (f->L[k].role == R_PROSE && f->L[k].indent >= 2
									     && f->L[k].leaf == f->L[last].leaf)); k++) {
			if (is_definition(&f->L[k])) {
				f->L[k].role = R_DEFDESC;
				f->L[k].strip += 2;
				f->L[k].has_traits = false;
			}
			last = k;
		}
		f->L[last].then = R_END;
		for (int k = i + 1; k < j; k++)
			f->L[k].role = R_DROP;   /* the blank between */
		i = last;
	}
}

/* ------------------------------------------------------- admonitions */

/* `!!! note "Title"` or `??? tip` (MkDocs, Python-Markdown): the kind
 * and title; 0 when the line is none. */
static size_t admonition(const char *s, size_t n, size_t *kind, size_t *klen, size_t *title,
			 size_t *tlen)
{
	if (n < 5 || (memcmp(s, "!!!", 3) != 0 && memcmp(s, "???", 3) != 0))
		return 0;
	size_t i = 3;
	if (i < n && s[i] == '+')
		i++;
	while (i < n && s[i] == ' ')
		i++;
	*kind = i;
	while (i < n && ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z'))
		i++;
	*klen = i - *kind;
	while (i < n && s[i] == ' ')
		i++;
	*title = i;
	*tlen = 0;
	if (i < n && s[i] == '"') {
		const char *q = memchr(s + i + 1, '"', n - i - 1);
		if (!q)
			return 0;
		*title = i + 1;
		*tlen = (size_t)(q - s) - i - 1;
		i = (size_t)(q - s) + 1;
	}
	while (i < n && s[i] == ' ')
		i++;
	return *klen && i == n ? n : 0;
}

/* An admonition is a block quote of the callout syntax: its body is the
 * lines indented four columns after it. */
static void pass_admonitions(lifter *f)
{
	for (int i = 0; i < f->n; i++) {
		lline *l = &f->L[i];
		size_t k, kl, t, tl;
		if (l->role != R_PROSE || l->ctx != 0 || l->indent > 3
		    || !admonition(body(l), body_len(l), &k, &kl, &t, &tl))
			continue;
		l->role = R_ADMON;
		int j = i + 1, last = i;
		for (; j < f->n; j++) {
			lline *m = &f->L[j];
			if (m->role == R_BLANK)
				continue;
			if (m->indent < 4 || m->ctx != 0)
				break;
			last = j;
		}
		for (int x = i + 1; x <= last; x++)
			f->L[x].role = R_ADMON_BODY;
		i = last;
	}
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

/* Can line k continue a run in container ctx (without brackets open)? */
static bool continues(const lifter *f, int k, int ctx)
{
	const lline *l = &f->L[k];
	if (l->ctx != ctx)
		return false;
	if (l->role == R_HEADING) {
		if (!is_comment_heading(l))
			return false;
		int next = next_nonblank(f, k + 1);
		return next < f->n && next - k <= 2 && f->L[next].role != R_HEADING
		    && continues(f, next, ctx);
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
	int triple = 0, depth = 0, last = i, ctx = f->L[i].ctx;
	depth += qcode_depth(body(&f->L[i]), body_len(&f->L[i]), &triple);
	for (int j = i + 1; j < f->n; j++) {
		lline *l = &f->L[j];
		bool open = depth > 0 || triple;
		if (l->role == R_BLANK) {
			int k = next_nonblank(f, j);
			if (k >= f->n || (!open && (k - j > 2 || !continues(f, k, ctx))))
				break;
			j = k - 1;
			continue;
		}
		if (!(open && l->ctx == ctx && (l->role == R_PROSE || is_comment_heading(l)))
		    && !continues(f, j, ctx))
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
	while (start > 0 && is_comment_heading(&f->L[start - 1]) && f->L[start - 1].ctx == f->L[i].ctx)
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

/* Is line i the last line of a paragraph whose line before it is
 * prose ending in a hard break (two spaces): the meaning under a phrase
 * (`Vorbereitungen treffen␣␣` then `make preparations`), text however
 * much it looks like a command? */
static bool meaning_line(const lifter *f, int i)
{
	if (i == 0 || f->L[i - 1].role != R_PROSE || f->L[i - 1].leaf != f->L[i].leaf
	    || (i + 1 < f->n && f->L[i + 1].role == R_PROSE && f->L[i + 1].leaf == f->L[i].leaf))
		return false;
	const lline *p = &f->L[i - 1];
	return p->len >= 2 && p->s[p->len - 1] == ' ' && p->s[p->len - 2] == ' '
	       && evidence(p) <= QCE_NONE;
}

static void pass_code(lifter *f)
{
	for (int i = 0; i < f->n; i++) {
		lline *l = &f->L[i];
		if (l->role != R_PROSE || l->indent > 3 || l->ctx < 0 || meaning_line(f, i))
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
		int a = next_nonblank(f, i + 1), ctx = f->L[i].ctx;
		if (a >= f->n || a - i > 2 || f->L[a].role != R_PROSE || f->L[a].ctx != ctx)
			continue;
		int b = a;
		while (b + 1 < f->n && f->L[b + 1].role == R_PROSE && f->L[b + 1].ctx == ctx)
			b++;
		add_run(f, (run){a, b, "text", NULL});
		i = b;
	}
}

/* Indented code that joined no run stays as CommonMark reads it. */
static void pass_icode(lifter *f)
{
	for (int i = 0; i < f->n; i++)
		if (f->L[i].icode && f->L[i].role == R_PROSE)
			f->L[i].role = R_VERBATIM;
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
	if (c < 0 || f->L[c].role != R_PROSE || f->L[c].ctx != f->L[first].ctx
	    || qtable_row_like(body(&f->L[c]), body_len(&f->L[c])))
		return;
	const char *s = body(&f->L[c]);
	size_t n = body_len(&f->L[c]);
	if (n > 100 || s[n - 1] == '.' || (c > 0 && f->L[c - 1].role == R_PROSE))
		return;
	qbuf b = QBUF_INIT;
	qinline_protect_in(f->out, s, n, &b);
	t->caption = qarena_strndup(&f->out->arena, b.ptr, b.len);
	t->caption_src = f->L[c].no;
	qbuf_free(&b);
	f->L[c].role = R_TCAPTION;
}

/* The run of prose lines of one container from line i: their bodies into
 * refs (emptied first). */
static void prose_run(const lifter *f, int i, qbuf *refs)
{
	qbuf_reset(refs);
	for (int j = i; j < f->n && f->L[j].role == R_PROSE && f->L[j].ctx == f->L[i].ctx; j++) {
		const lline *l = &f->L[j];
		qline_ref r = {l->s + l->pfx, l->len - l->pfx, l->no};
		qbuf_put(refs, &r, sizeof r);
	}
}

/* A table starting at line i, whose run of prose lines is refs[0, n). */
static int try_table(lifter *f, int i, const qline_ref *refs, int n)
{
	const lline *first = &f->L[i];
	const char *fs = first->s + first->pfx;
	size_t fn = first->len - first->pfx;
	if (n < 2 || (!memchr(fs, '|', fn) && !qtable_row_like(fs, fn)))
		return 0;
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

/* Each run of prose lines is gathered once (a table has no limit of
 * rows, and trying every line of a long run must stay linear); a table
 * parser reads only as far as its table goes. */
static void pass_tables(lifter *f)
{
	qbuf refs = QBUF_INIT;
	int run0 = 0, run1 = 0;   /* lines of the run in refs */
	for (int i = 0; i < f->n; i++) {
		if (f->L[i].role != R_PROSE || f->L[i].indent > 3 || f->L[i].ctx < 0)
			continue;
		if (i >= run1) {
			prose_run(f, i, &refs);
			run0 = i;
			run1 = i + (int)(refs.len / sizeof(qline_ref));
		}
		const qline_ref *r = (const qline_ref *)(const void *)refs.ptr;
		int got = try_table(f, i, r + (i - run0), run1 - i);
		if (got)
			i += got - 1;
	}
	qbuf_free(&refs);
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
	if ((num && s[0] != 'Q') || qmemmem(s, n, "Questions", 9) || qmemmem(s, n, "Q&A", 3)
	    || qmemmem(s, n, "Interview", 9) || (n > 3 && s[n - 1] == ')' && s[n - 2] >= '0' && s[n - 2] <= '9'))
		score += 2;
	if (qmemmem(s, n, " & ", 3) || qmemmem(s, n, " + ", 3))
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

/* Is s one formula (as the reader takes `$` formulas: qmath_dollar, or
 * `\\[x\\]`, `\\(x\\)`) or one code span, and nothing else? A display,
 * not a title; `$a$ and $b$` or `` `map` vs `filter` `` may still be one. */
static bool only_formula_or_code(const char *s, size_t n)
{
	if (n >= 4 && s[0] == '\\' && s[n - 2] == '\\')
		return (s[1] == '[' && s[n - 1] == ']') || (s[1] == '(' && s[n - 1] == ')');
	if (s[0] == '$') {
		qmath_scan sc = {0};
		qmath_span sp;
		return qmath_dollar(s, n, 0, &sc, &sp) && sp.len == n;
	}
	size_t k = 0;   /* a code span: a run of backticks, no other inside */
	while (k < n / 2 && s[k] == '`' && s[n - 1 - k] == '`')
		k++;
	return k && k < n / 2 && !memchr(s + k, '`', n - 2 * k);
}

static bool is_bare_title(const lifter *f, int i)
{
	const lline *l = &f->L[i];
	const char *s = l->lone_item ? l->s : body(l);
	size_t n = l->lone_item ? l->len : body_len(l);
	n = qc_trim(&s, n);
	if (l->role != R_PROSE || l->indent > 3 || (l->ctx != 0 && !l->lone_item) || !n
	    || qutf8_longer_than(s, n, 70))
		return false;
	char last = s[n - 1];
	if (last == '.' || last == '?' || last == ':' || last == ',' || last == ';')
		return false;
	static const char *const cjk_stops[] = {"。", "？", "：", "，", "；", "！", NULL};
	for (int k = 0; cjk_stops[k]; k++) {
		size_t kl = strlen(cjk_stops[k]);
		if (n >= kl && !memcmp(s + n - kl, cjk_stops[k], kl))
			return false;   /* a CJK sentence, not a title */
	}
	if (qmemmem(s, n, "](", 2))
		return false;   /* a link ("⬆ Back to Top"): navigation, no title */
	if (only_formula_or_code(s, n))
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
			lline *l = &f->L[i];
			if (l->lone_item) {   /* `2. Title`: the number is the title's */
				l->pfx = 0;
				l->ctx = 0;
				measure_indent(l);
			}
			l->role = R_TITLE;
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

static const char *dup(lifter *f, const char *s, size_t n)
{
	return qarena_strndup(&f->out->arena, s, n);
}

/* The prefix a line the lifter adds needs to stay in the container of
 * line l: its own prefix with list markers turned into spaces. */
static void put_cont_prefix(qbuf *b, const lline *l)
{
	for (size_t i = 0; i < l->pfx; i++) {
		char c = l->s[i];
		qbuf_putc(b, c == '>' || c == '\t' ? c : ' ');
	}
}

/* A placeholder or fence line of the lifter's, in l's container. */
static void emit_own(lifter *f, const lline *l, const char *s, size_t n, int src, int mark)
{
	qbuf_reset(&f->tmp);
	put_cont_prefix(&f->tmp, l);
	qbuf_put(&f->tmp, s, n);
	emit(f, f->tmp.ptr, f->tmp.len, src, mark);
}

static void emit_heading_line(lifter *f, const lline *l, int level, const char *s,
			      size_t n, int mark)
{
	qbuf_reset(&f->tmp);
	qbuf_put(&f->tmp, l->s, l->pfx);
	for (int k = 0; k < level; k++)
		qbuf_putc(&f->tmp, '#');
	qbuf_putc(&f->tmp, ' ');
	qinline_protect_in(f->out, s, n, &f->tmp);
	emit(f, f->tmp.ptr, f->tmp.len, l->no, mark);
}

static void emit_heading(lifter *f, const lline *l)
{
	size_t n;
	const char *t = heading_text(l, &n);
	int level = atx_level(l);
	int m = add_mark(f->out, (qmark){.kind = QM_HEADING, .src = l->no,
		.level = level, .full = dup(f, t, n)});
	emit_heading_line(f, l, level, t, n, m);
}

/* `Question: What is X?` (`Frage:`, `Pregunta:`, `问题：` ...): the
 * label that opens a bare question, with its colon, or 0. */
static size_t question_label(const char *s, size_t n)
{
	const char *const *words = qc_question_words;
	for (int k = 0; words[k]; k++) {
		size_t w = strlen(words[k]), j = w;
		if (n <= w || strncasecmp(s, words[k], w) != 0)
			continue;
		if (!skip_label_colon(s, n, &j))
			continue;
		while (j < n && (s[j] == ' ' || s[j] == '\t'))
			j++;
		return j < n ? j : 0;
	}
	return 0;
}

static void emit_bare(lifter *f, const lline *l, qmark_kind kind)
{
	const char *s = l->qtext ? l->qtext : body(l);
	size_t n = l->qtext ? l->qlen : body_len(l);
	n = qc_trim(&s, n);
	qbuf unbold = QBUF_INIT;
	size_t e = emphasized_label(s, n, 'Q');
	if (e) {   /* **Q12.** What ... -> Q12. What ... */
		for (size_t k = 0; k < e; k++)
			if (s[k] != '*' && s[k] != '_')
				qbuf_putc(&unbold, s[k]);
		qbuf_put(&unbold, s + e, n - e);
		s = unbold.ptr;
		n = unbold.len;
	}
	size_t label = question_label(s, n);
	s += label;
	n -= label;
	qbuf plain = QBUF_INIT;
	if (bold_number(s, n)) {   /* **3) Mean**. -> 3) Mean. */
		const char *close = qmemmem(s + 2, n - 2, "**", 2);
		qbuf_put(&plain, s + 2, (size_t)(close - s - 2));
		qbuf_put(&plain, close + 2, (size_t)(s + n - close - 2));
		s = plain.ptr;
		n = qc_trim(&s, plain.len);
	} else if (n > 4 && s[0] == '*' && s[1] == '*' && s[n - 1] == '*' && s[n - 2] == '*') {
		s += 2;   /* **What is X?** */
		n -= 4;
	}
	int m = add_mark(f->out, (qmark){.kind = kind, .src = l->no, .level = 6,
		.full = dup(f, s, n), .rule = l->rule});
	emit_heading_line(f, l, 6, s, n, m);
	qbuf_free(&plain);
	qbuf_free(&unbold);
	if (l->qtext && l->restlen) {   /* <summary>Q?</summary> answer */
		qbuf_reset(&f->tmp);
		put_cont_prefix(&f->tmp, l);
		qinline_protect_in(f->out, l->rest, l->restlen, &f->tmp);
		emit(f, f->tmp.ptr, f->tmp.len, l->no, 0);
	}
}

/* <summary>TERM</summary> text: "**TERM** text". */
static void emit_lead(lifter *f, const lline *l)
{
	qbuf_reset(&f->tmp);
	put_cont_prefix(&f->tmp, l);
	qbuf_puts(&f->tmp, "**");
	qinline_protect_in(f->out, l->qtext, l->qlen, &f->tmp);
	qbuf_puts(&f->tmp, "**");
	if (l->restlen) {
		qbuf_putc(&f->tmp, ' ');
		qinline_protect_in(f->out, l->rest, l->restlen, &f->tmp);
	}
	emit(f, f->tmp.ptr, f->tmp.len, l->no, 0);
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

static void put_fence(qbuf *b, size_t len, const char *lang)
{
	for (size_t k = 0; k < len; k++)
		qbuf_putc(b, '`');
	qbuf_puts(b, lang);
}

static int emit_run(lifter *f, int i)
{
	run *r = &f->runs[f->L[i].group];
	const lline *first = &f->L[r->start];
	size_t fl = fence_for(f, r);
	int m = add_mark(f->out, (qmark){.kind = QM_CODE, .src = first->no,
		.lang = r->lang, .caption = r->caption, .guessed = true});
	qbuf fence = QBUF_INIT;
	put_fence(&fence, fl, r->lang);
	if (first->marker && !first->joins_item) {
		/* the run opens a list item (`- [:code "x"]`): the fence keeps
		 * the item's marker, or the code would be the lazy text of
		 * the item above, its fence an inline code span */
		qbuf_reset(&f->tmp);
		qbuf_put(&f->tmp, first->s, first->pfx);
		qbuf_put(&f->tmp, fence.ptr, fence.len);
		emit(f, f->tmp.ptr, f->tmp.len, first->no, m);
	} else {
		emit_own(f, first, fence.ptr, fence.len, first->no, m);
	}
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
		size_t cut = l->pfx;   /* drop the run's common indentation */
		for (int col = 0; cut < l->off && col < min_indent; cut++)
			col = l->s[cut] == '\t' ? (col / 4 + 1) * 4 : col + 1;
		if (l->strip)
			cut = l->off + l->strip;
		qbuf_reset(&f->tmp);
		put_cont_prefix(&f->tmp, first);
		qbuf_put(&f->tmp, l->s + cut, l->len - cut);
		emit(f, f->tmp.ptr, f->tmp.len, l->no, 0);
	}
	qbuf_reset(&fence);
	put_fence(&fence, fl, "");
	emit_own(f, first, fence.ptr, fence.len, f->L[r->end].no, 0);
	qbuf_free(&fence);
	return r->end;
}

static int emit_table(lifter *f, int i)
{
	int t = f->L[i].group;
	int m = add_mark(f->out, (qmark){.kind = QM_TABLE, .src = f->L[i].no, .table = t});
	char ph[48];
	int n = snprintf(ph, sizeof ph, "<!--quire:table:%d-->", t);
	emit_own(f, &f->L[i], ph, (size_t)n, f->L[i].no, m);
	while (i + 1 < f->n && f->L[i + 1].role == R_TABLE && f->L[i + 1].group == t)
		i++;
	return i;
}

/* Does a text open with a decoration (an emoji, a check mark, an arrow,
 * a bullet sign) that marks it as a line of its own? */
static bool opens_with_mark(const char *s, size_t n)
{
	return qc_decoration(s, n) > 0 || qcode_starts(s, n, "\xE2\x80\xA2");   /* • */
}

/* Is a line break meant after prose line i, where CommonMark would join
 * the lines? When the next line of the same paragraph opens with a
 * decoration (`⚠️ Not recommended`, `✅ Pros`), or this line is a short
 * label (`Order:`). Plain lines, however short, are joined. */
static bool wants_break(const lifter *f, int i)
{
	const lline *l = &f->L[i];
	const lline *next = i + 1 < f->n ? &f->L[i + 1] : NULL;
	const char *s = body(l);
	size_t n = body_len(l);
	if (!next || next->role != R_PROSE || next->leaf != l->leaf || l->blk != QB_PARA || !n)
		return false;
	if (s[n - 1] == '\\' || (n >= 2 && s[n - 1] == ' ' && s[n - 2] == ' '))
		return false;   /* already a hard break */
	if (opens_with_mark(body(next), body_len(next)))
		return true;
	size_t t = n;
	const char *p = s;
	t = qc_trim(&p, t);
	return t >= 2 && p[t - 1] == ':' && !qutf8_longer_than(p, t, 40) && !memchr(p, '`', t);
}

/* Append text s[0..n) that starts a line of its own after a displayed
 * formula, with a backslash where its start would open a block instead
 * (a list marker `- `, `1. `, a heading's `# `, a quote's `>`, a fence,
 * a thematic break `***`), so that it stays the text it was. */
static void put_unblocked(qbuf *out, const char *s, size_t n)
{
	size_t d = 0;
	while (d < n && s[d] >= '0' && s[d] <= '9')
		d++;
	size_t h = 0;
	while (h < n && s[h] == '#')
		h++;
	bool spaced = n > 1 && (s[1] == ' ' || s[1] == '\t');
	bool esc = false, rule = n >= 3 && strchr("-*_", s[0]);
	for (size_t i = 0; rule && i < n; i++)
		rule = s[i] == s[0] || s[i] == ' ' || s[i] == '\t';
	if (d && d < 10 && d < n && (s[d] == '.' || s[d] == ')')
	    && (d + 1 == n || s[d + 1] == ' ' || s[d + 1] == '\t')) {
		qbuf_put(out, s, d);   /* `1.` would be a list item */
		s += d;
		n -= d;
		esc = true;
	} else if (s[0] == '>' || rule || ((s[0] == '-' || s[0] == '+' || s[0] == '*') && (n == 1 || spaced))
		   || (h && h <= 6 && (h == n || s[h] == ' ' || s[h] == '\t'))
		   || (n >= 3 && (s[0] == '`' || s[0] == '~') && s[1] == s[0] && s[2] == s[0])) {
		esc = true;
	}
	if (esc)
		qbuf_putc(out, '\\');
	qbuf_put(out, s, n);
}

/* The `<br>` tags (`<br/>`, `<BR />`) and spaces s opens with: line
 * breaks after a displayed formula, which stands on a line of its own
 * anyway. Their bytes. */
static size_t leading_breaks(const char *s, size_t n)
{
	size_t i = 0, end = 0;
	while (i < n) {
		if (s[i] == ' ' || s[i] == '\t') {
			i++;
			continue;
		}
		if (n - i < 4 || s[i] != '<' || strncasecmp(s + i + 1, "br", 2))
			break;
		size_t k = i + 3;
		while (k < n && (s[k] == ' ' || s[k] == '/'))
			k++;
		if (k >= n || s[k] != '>')
			break;
		i = end = k + 1;
	}
	return end;
}

/* Text s[0..n) of line l that starts a line of its own after a displayed
 * formula, in l's container: a new paragraph (put_unblocked). For an
 * R_MATH line, s is notes text, protected here (qinline_protect); else
 * lifted text. brk: a hard break after it. */
static void emit_after_display(lifter *f, const lline *l, const char *s, size_t n,
			       bool brk)
{
	size_t b = leading_breaks(s, n);   /* a lone <br> line would open an HTML block */
	s += b;
	n = qc_trim(&s, n - b);
	if (!n)
		return;
	qbuf text = QBUF_INIT;
	if (l->role == R_MATH)
		qinline_protect_in(f->out, s, n, &text);
	else
		qbuf_put(&text, s, n);
	qbuf_reset(&f->tmp);
	put_cont_prefix(&f->tmp, l);
	put_unblocked(&f->tmp, text.ptr, text.len);
	if (brk)
		qbuf_putc(&f->tmp, '\\');
	emit(f, f->tmp.ptr, f->tmp.len, l->no, 0);
	qbuf_free(&text);
}

/* What of a line's lifted text is open at a point: emphasis (an odd
 * count of `*`), a code span (of backticks), a link's text (a `[` not
 * closed). Counted once along the line (markup_to). */
typedef struct markup {
	size_t at;
	int stars, ticks, open;
} markup;

/* Count s[m->at..k); is a formula at s[k] inside markup? Then it stays
 * in its line. */
static bool markup_to(markup *m, const char *s, size_t k)
{
	for (; m->at < k; m->at++) {
		char c = s[m->at];
		if (c == '\\' && m->at + 1 < k) {
			m->at++;
			continue;
		}
		m->stars += c == '*';
		m->ticks += c == '`';
		m->open += c == '[' ? 1 : c == ']' && m->open > 0 ? -1 : 0;
	}
	return (m->stars & 1) || (m->ticks & 1) || m->open > 0;
}

/* A displayed formula written in a line of prose (`... is $$ E = mc^2
 * $$.`, `\[x\]`): KaTeX, Obsidian and GitHub show it on a line of its
 * own, so the paragraph is split around it, as for a formula on lines of
 * its own: the text before it (its line as written), the formula as a
 * block placeholder, the text after it a new paragraph; not in a line
 * that asks (ends_asking: a formula in a question belongs to it, its
 * card asks the whole of it). line: the lifted line (pre bytes of prefix,
 * then the text); brk: a hard break at its end. False, emitting nothing,
 * when it holds no such formula. */
static bool split_at_displays(lifter *f, const lline *l, const char *line, size_t len,
			      size_t pre, bool brk)
{
	const char *text = line + pre, *s = text, *e = line + len, *p;
	const char *from = text;   /* the text not emitted yet */
	size_t plen;
	int idx;
	bool first = true;
	markup mk = {0};
	if (ends_asking(text, (size_t)(e - text)))
		return false;
	while ((p = qmath_next_display(f->out, s, (size_t)(e - s), &plen, &idx))) {
		s = p + plen;
		if (markup_to(&mk, text, (size_t)(p - text)))
			continue;   /* stays inline */
		const char *t = from;
		if (first && qc_trim(&t, (size_t)(p - from))) {   /* the text before, as written */
			qbuf_reset(&f->tmp);
			qbuf_put(&f->tmp, line, pre);
			qbuf_put(&f->tmp, from, (size_t)(p - from));
			emit(f, f->tmp.ptr, f->tmp.len, l->no, 0);
			first = false;
		} else if (!first) {
			emit_after_display(f, l, from, (size_t)(p - from), false);
		}
		qbuf_reset(&f->tmp);
		if (first)
			qbuf_put(&f->tmp, l->s, l->pfx);   /* a list marker stays */
		else
			put_cont_prefix(&f->tmp, l);
		qmath_put_placeholder(&f->tmp, idx, true);
		emit(f, f->tmp.ptr, f->tmp.len, l->no, 0);
		first = false;
		from = s;
	}
	if (first)
		return false;
	emit_after_display(f, l, from, (size_t)(e - from), brk);
	return true;
}

static void emit_prose(lifter *f, int i)
{
	const lline *l = &f->L[i];
	qbuf_reset(&f->tmp);
	if (l->joins_item) {   /* the bullet's marker as spaces: a line of the item above */
		put_cont_prefix(&f->tmp, l);
		qbuf_put(&f->tmp, l->s + l->pfx, l->off - l->pfx);
	} else if (l->dedent) {
		put_cont_prefix(&f->tmp, l);
	} else {
		qbuf_put(&f->tmp, l->s, l->off);
	}
	size_t pre = f->tmp.len;
	qinline_protect_in(f->out, body(l), body_len(l), &f->tmp);
	bool brk = wants_break(f, i);
	size_t plen;
	int idx;
	if (!l->joins_item && !l->dedent && l->blk == QB_PARA
	    && qmath_next_display(f->out, f->tmp.ptr + pre, f->tmp.len - pre, &plen, &idx)) {
		qbuf line = QBUF_INIT;   /* f->tmp is the emitter's */
		qbuf_put(&line, f->tmp.ptr, f->tmp.len);
		bool split = split_at_displays(f, l, line.ptr, line.len, pre, brk);
		qbuf_free(&line);
		if (split)
			return;
	}
	if (brk)
		qbuf_putc(&f->tmp, '\\');
	emit(f, f->tmp.ptr, f->tmp.len, l->no, 0);
}

static void emit_mark_line(lifter *f, const lline *l, qmark_kind kind, const char *ph)
{
	int m = add_mark(f->out, (qmark){.kind = kind, .src = l->no});
	emit_own(f, l, ph, strlen(ph), l->no, m);
}

/* A separator: a thematic break as written, or `***` for a `---` that
 * cmark would take for a setext underline. */
static void emit_separator(lifter *f, const lline *l)
{
	if (l->blk == QB_HR)
		emit(f, l->s, l->len, l->no, 0);
	else
		emit_own(f, l, "***", 3, l->no, 0);
}

static void emit_answer(lifter *f, const lline *l)
{
	emit_mark_line(f, l, QM_ANSWER, "<!--quire:answer-->");
	if (body_len(l))
		emit_prose(f, (int)(l - f->L));
}

static void emit_card_question(lifter *f, const lline *l, const char *s, size_t n,
			       const char *rule, bool rev)
{
	n = qc_trim(&s, n);
	int m = add_mark(f->out, (qmark){.kind = QM_QUESTION, .src = l->no, .level = 6,
		.full = dup(f, s, n), .rule = rule, .reversible = rev});
	emit_heading_line(f, l, 6, s, n, m);
}

/* front::back: a question, its answer and the card's end. */
static void emit_card_line(lifter *f, const lline *l)
{
	const char *b = body(l);
	bool remnote = l->seplen == 2 && !memcmp(b + l->sep, ">>", 2);
	const char *rule = l->rule ? l->rule : remnote ? "remnote-inline" : "obsidian-inline";
	emit_card_question(f, l, b, l->sep, rule, l->reversible);
	const char *back = b + l->sep + l->seplen;
	size_t bn = qc_trim(&back, body_len(l) - l->sep - l->seplen);
	qbuf_reset(&f->tmp);
	put_cont_prefix(&f->tmp, l);
	qinline_protect_in(f->out, back, bn, &f->tmp);
	emit(f, f->tmp.ptr, f->tmp.len, l->no, 0);
	emit_mark_line(f, l, QM_END, "<!--quire:end-->");
}

/* The lines of a multi-line front, joined into one question. */
static int emit_front(lifter *f, int i)
{
	const lline *l = &f->L[i];
	qbuf q = QBUF_INIT;
	for (int k = i; k <= l->front_end; k++) {
		const char *s = body(&f->L[k]);
		size_t n = qc_trim(&s, body_len(&f->L[k]));
		if (q.len)
			qbuf_putc(&q, ' ');
		qbuf_put(&q, s, n);
	}
	emit_card_question(f, l, q.ptr ? q.ptr : "", q.len, l->rule ? l->rule : "obsidian-multiline",
			   l->reversible);
	qbuf_free(&q);
	return l->front_end;
}

static void emit_admonition(lifter *f, const lline *l)
{
	size_t k, kl, t, tl;
	admonition(body(l), body_len(l), &k, &kl, &t, &tl);
	qbuf_reset(&f->tmp);
	qbuf_puts(&f->tmp, "> [!");
	qbuf_put(&f->tmp, body(l) + k, kl);
	qbuf_puts(&f->tmp, "] ");
	qinline_protect(body(l) + t, tl, &f->tmp);
	emit(f, f->tmp.ptr, f->tmp.len, l->no, 0);
}

/* A line of an admonition's body: in the quote, four columns less. */
static void emit_admonition_body(lifter *f, const lline *l)
{
	size_t cut = 0;
	for (int col = 0; cut < l->len && col < 4 && (l->s[cut] == ' ' || l->s[cut] == '\t'); cut++)
		col = l->s[cut] == '\t' ? (col / 4 + 1) * 4 : col + 1;
	qbuf_reset(&f->tmp);
	qbuf_puts(&f->tmp, "> ");
	qbuf_put(&f->tmp, l->s + cut, l->len - cut);
	emit(f, f->tmp.ptr, f->tmp.len, l->no, 0);
}

static void emit_all(lifter *f)
{
	for (int i = 0; i < f->n; i++) {
		const lline *l = &f->L[i];
		switch (l->role) {
		case R_PROSE: emit_prose(f, i); break;
		case R_BLANK: case R_VERBATIM: case R_SETEXT:
			if (l->role == R_BLANK && i > 0 && i + 1 < f->n && f->L[i + 1].role == R_ADMON_BODY
			    && (f->L[i - 1].role == R_ADMON || f->L[i - 1].role == R_ADMON_BODY || f->L[i - 1].role == R_BLANK))
				emit(f, ">", 1, l->no, 0);   /* inside an admonition's quote */
			else
				emit(f, l->s, l->len, l->no, 0);
			break;
		case R_HEADING: emit_heading(f, l); break;
		case R_SEPARATOR: emit_separator(f, l); break;
		case R_QUESTION: emit_bare(f, l, QM_QUESTION); break;
		case R_TITLE: emit_bare(f, l, QM_TITLE); break;
		case R_CODE: i = emit_run(f, i); break;
		case R_TABLE: i = emit_table(f, i); break;
		case R_END: emit_mark_line(f, l, QM_END, "<!--quire:end-->"); break;
		case R_SPOILER:
			emit_mark_line(f, l, QM_SPOILER, "<!--quire:spoiler-->");
			if (l->restlen) {   /* the answer on the summary's line */
				qbuf_reset(&f->tmp);
				put_cont_prefix(&f->tmp, l);
				qinline_protect_in(f->out, l->rest, l->restlen, &f->tmp);
				emit(f, f->tmp.ptr, f->tmp.len, l->no, 0);
			}
			break;
		case R_SPOILER_END: emit_mark_line(f, l, QM_SPOILER_END, "<!--quire:spoiler-end-->"); break;
		case R_LEAD: emit_lead(f, l); break;
		case R_ADMON: emit_admonition(f, l); break;
		case R_DEFTERM:
			emit_card_question(f, l, body(l), body_len(l), "definition-list", true);
			break;
		case R_DEFDESC: emit_prose(f, i); break;
		case R_FOOTDEF: {
			char ph[48];
			int k = snprintf(ph, sizeof ph, "<!--quire:footnote:%d-->", l->group);
			int m = add_mark(f->out, (qmark){.kind = QM_FOOTNOTE, .src = l->no, .table = l->group});
			emit_own(f, l, ph, (size_t)k, l->no, m);
			break;
		}
		case R_ADMON_BODY: emit_admonition_body(f, l); break;
		case R_ANSWER: emit_answer(f, l); break;
		case R_CARDLINE: emit_card_line(f, l); break;
		case R_FRONT: i = emit_front(f, i); break;
		case R_BACK_END:
			emit_prose(f, i);
			emit_mark_line(f, l, QM_END, "<!--quire:end-->");
			break;
		case R_MATH:
			if (i == 0 || f->L[i - 1].role != R_MATH || f->L[i - 1].group != l->group) {
				/* the container's prefix as written (a list marker
				 * stays), not the white space after it: a tab there
				 * would make the placeholder a lazy line of text */
				qbuf_reset(&f->tmp);
				if (l->mlead) {   /* the text before the opener, as written */
					qbuf_put(&f->tmp, l->s, l->off);
					qinline_protect_in(f->out, body(l), l->mlead, &f->tmp);
					emit(f, f->tmp.ptr, f->tmp.len, l->no, 0);
					qbuf_reset(&f->tmp);
					put_cont_prefix(&f->tmp, l);
				} else {
					qbuf_put(&f->tmp, l->s, l->pfx);
				}
				qmath_put_placeholder(&f->tmp, l->group, true);
				emit(f, f->tmp.ptr, f->tmp.len, l->no, 0);
			}
			if (l->restlen)
				emit_after_display(f, l, l->rest, l->restlen, false);
			break;
		case R_CAPTION: case R_TCAPTION: case R_DROP: break;
		}
		if (l->then == R_END)
			emit_mark_line(f, l, QM_END, "<!--quire:end-->");
		else if (l->then == R_SPOILER_END)
			emit_mark_line(f, l, QM_SPOILER_END, "<!--quire:spoiler-end-->");
	}
}

/* -------------------------------------------------------------- math */

/* Does the line's text end with `$$` or `\[` (a display it opens after
 * text, `... as follows: $$`; qmath_display_lines tells)? */
static bool ends_opening(const lline *l)
{
	const char *s = body(l);
	size_t n = body_len(l);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n >= 3 && ((s[n - 2] == '$' && s[n - 1] == '$') || (s[n - 2] == '\\' && s[n - 1] == '['));
}

/* Is line l, at the margin, `$$` alone? */
static bool dollars_alone(const lline *l)
{
	const char *s = body(l);
	size_t n = qc_trim(&s, body_len(l));
	return !l->pfx && n == 2 && s[0] == '$' && s[1] == '$';
}

/* Typora's display formula: `$$` alone on a line at the margin, its
 * TeX on the lines after it, blank lines among them allowed (a page of
 * `\newcommand`s in groups), up to `$$` alone; only prose and blank
 * lines between, 2,000 lines at most. Puts its TeX in tex; returns how
 * many lines it takes, or 0. */
static int typora_display(lifter *f, int open, qbuf *tex)
{
	if (!dollars_alone(&f->L[open]))
		return 0;
	for (int j = open + 1; j < f->n && j - open < 2000; j++) {
		const lline *l = &f->L[j];
		if (l->role != R_BLANK && (l->role != R_PROSE || l->blk != QB_PARA || l->pfx))
			return 0;
		if (l->role == R_PROSE && dollars_alone(l)) {
			qbuf_reset(tex);
			for (int k = open + 1; k < j; k++) {
				if (f->L[k].role == R_PROSE)
					qbuf_put(tex, body(&f->L[k]), body_len(&f->L[k]));
				qbuf_putc(tex, '\n');
			}
			return j - open + 1;
		}
	}
	return 0;
}

/* Displayed formulas on lines of their own (`$$` ... `$$`, `\[` ...
 * `\]`) inside one paragraph: one placeholder (math.h). */
static void pass_math(lifter *f)
{
	qline_ref *refs = NULL;
	int cap = 0, m = 0, base = 0, leaf = -1;
	qbuf tex = QBUF_INIT;
	for (int i = 0; i < f->n; i++) {
		const lline *l = &f->L[i];
		if (l->role != R_PROSE || l->blk != QB_PARA || body_len(l) < 2
		    || (body(l)[0] != '$' && body(l)[0] != '\\' && !ends_opening(l)))
			continue;
		if (l->leaf != leaf) {   /* the lines of this paragraph, once */
			leaf = l->leaf;
			base = i;
			m = 0;
			while (i + m < f->n && f->L[i + m].role == R_PROSE && f->L[i + m].leaf == leaf) {
				if (m == cap) {
					cap = cap ? cap * 2 : 16;
					refs = qxrealloc(refs, sizeof *refs * (size_t)cap);
				}
				const lline *x = &f->L[i + m];
				refs[m++] = (qline_ref){body(x), body_len(x), x->no};
			}
		}
		qbuf_reset(&tex);
		size_t lead, rest;
		int k = qmath_display_lines(refs + (i - base), m - (i - base), &tex, &lead, &rest);
		int t = k < 0 ? typora_display(f, i, &tex) : 0;
		if (t > 0) {   /* closed by `$$` alone past blank lines */
			int idx = qlift_add_math(f->out, tex.ptr ? tex.ptr : "", tex.len, true);
			for (int j = i; j < i + t; j++) {
				f->L[j].role = R_MATH;
				f->L[j].group = idx;
			}
			i += t - 1;
			leaf = -1;
			continue;
		}
		if (k < 0) {   /* opened, never closed: no later line closes either */
			i = base + m - 1;
			continue;
		}
		if (k == 0)
			continue;
		int idx = qlift_add_math(f->out, tex.ptr ? tex.ptr : "", tex.len, true);
		for (int j = i; j < i + k; j++) {
			f->L[j].role = R_MATH;
			f->L[j].group = idx;
		}
		f->L[i].mlead = lead;
		if (rest) {   /* `$$.`: the text after it starts a paragraph */
			lline *last = &f->L[i + k - 1];
			last->rest = body(last) + rest;
			last->restlen = body_len(last) - rest;
		}
		i += k - 1;
	}
	free(refs);
	qbuf_free(&tex);
}

/* ------------------------------------------------------------- entry */

/* ------------------------------------------ Logseq's margin headings */

/* A line of a Logseq block below the margin: tabs, then a bullet
 * (`\t- text`) or the block's continuation (`\t  key:: value`). */
static bool tab_block_line(const char *s, size_t n)
{
	size_t t = 0;
	while (t < n && s[t] == '\t')
		t++;
	if (!t || t + 2 > n)
		return false;
	return ((s[t] == '-' || s[t] == '*') && s[t + 1] == ' ') || (s[t] == ' ' && s[t + 1] == ' ');
}

/* Lines a..b, a Logseq block's children, read one tab shallower: the
 * list they are. Only their own text is read again (cmark's tree of it,
 * dropped once mapped); the rest of the notes keeps its reading. */
static void read_shallower(lifter *f, int a, int b)
{
	qbuf t = QBUF_INIT;
	for (int k = a; k <= b; k++) {
		f->L[k].s++;   /* the first tab goes */
		f->L[k].len--;
		qbuf_put(&t, f->L[k].s, f->L[k].len);
		qbuf_putc(&t, '\n');
	}
	cmark_node *root = parse(f, t.ptr, t.len);
	take_blocks(f, a, b - a + 1, root);
	cmark_node_free(root);
	qbuf_free(&t);
}

/* `\t- ` or `\t* `: the first child of a block at the margin. */
static bool first_child(const lline *l)
{
	return l->len >= 3 && l->s[0] == '\t' && (l->s[1] == '-' || l->s[1] == '*') && l->s[2] == ' ';
}

/* Logseq writes a page's first block without a bullet when it is a
 * heading (`### Syntax`, its `id:: ...` property below it) and indents
 * the block's children one tab. CommonMark reads those bullets as an
 * indented code block (under a property, as lines of its paragraph,
 * which pass_flashcards drops): the tab-indented block lines that
 * follow are read one tab shallower, the list they are. */
static void pass_margin(lifter *f)
{
	for (int i = 0; i + 1 < f->n; i++) {
		if (f->L[i].role != R_HEADING || f->L[i].off)
			continue;   /* a heading at the margin */
		int j = i + 1;
		while (j < f->n && f->L[j].role == R_PROSE && !f->L[j].off
		       && property_line(body(&f->L[j]), body_len(&f->L[j])))
			j++;   /* the heading block's own properties: they stay */
		if (j >= f->n || !first_child(&f->L[j])
		    || (f->L[j].blk != QB_INDENTED && (j == i + 1 || f->L[j].leaf != f->L[j - 1].leaf)))
			continue;
		int e = j;
		while (e + 1 < f->n && f->L[e + 1].leaf == f->L[j].leaf
		       && tab_block_line(f->L[e + 1].s, f->L[e + 1].len))
			e++;
		read_shallower(f, j, e);
		i = e;
	}
}

void qlift_run(const char *text, size_t n, int first_line, qlift *out, qdiags *d,
	       cmark_mem *mem, const qlift_opts *o)
{
	memset(out, 0, sizeof *out);
	qarena_init(&out->arena);
	qbuf_init(&out->text);
	lifter f = {.out = out, .d = d};
	if (o)
		f.o = *o;
	qbuf_init(&f.tmp);
	qarena_init(&f.work);
	qbuf divs = QBUF_INIT;
	if (qdivs_rewrite(text, n, &divs)) {   /* Pandoc's divs as callouts, line for line */
		char *t = qarena_alloc(&out->arena, divs.len + 1);
		memcpy(t, divs.ptr, divs.len + 1);
		text = t;
		n = divs.len;
	}
	qbuf_free(&divs);
	split_lines(&f, text, n, first_line);
	f.mem = mem ? mem : cmark_get_default_mem_allocator();
	out->tree = map_blocks(&f, text, n);
	pass_margin(&f);
	check_fences(&f);
	pass_math(&f);
	pass_admonitions(&f);
	pass_footnotes(&f);
	pass_details(&f);
	pass_template_answers(&f);
	pass_wrappers(&f);
	pass_definitions(&f);
	pass_setext(&f);
	pass_anki(&f);
	pass_flashcards(&f);
	pass_questions(&f);
	pass_answers(&f);
	pass_output(&f);
	pass_code(&f);
	pass_icode(&f);
	pass_tables(&f);
	pass_titles(&f);
	qbuf_grow(&out->text, n + n / 4 + 64);
	emit_all(&f);
	if (!out->src)
		emit(&f, "", 0, first_line, 0);
	out->unchanged = out->text.len == n + (n && text[n - 1] != '\n')
			 && memcmp(out->text.ptr, text, n) == 0;
	qarena_free(&f.work);
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
	if (l->tree)
		cmark_node_free(l->tree);
	qarena_free(&l->arena);
	qbuf_free(&l->text);
	free(l->src);
	free(l->mark);
	free(l->marks);
	free(l->tables);
	free(l->maths);
	free(l->footnotes);
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
		else if (l->nmaths)
			qmath_unplace(l, s, (size_t)(next - s), out);
		else
			qbuf_put(out, s, (size_t)(next - s));
		s = next;
	}
}
