/* spec_test.c - the CommonMark spec's examples through quire's reader and
 * XHTML writer, compared with cmark's HTML for the same input.
 *
 *   spec_test [-v] [-n NUM] SPEC.txt [DIALECT.txt]
 *   spec_test [-v] [-n NUM] --notes NOTES-DIALECT.txt
 *
 * Each example is read twice: with --from commonmark (strict: every
 * example must give cmark's HTML) and in the notes dialect (at least 95%
 * must; every example that differs must be listed in DIALECT.txt with the
 * dialect rule that makes it differ, and no listed example may be
 * identical). Both sides are compared after the normalisation described
 * in tests/spec/README.md. Prints "ok - ..."/"not ok - ..." lines for
 * tests/run.sh and "commonmark: N of M examples identical" per mode;
 * -v prints every difference, -n one example. With --notes, the examples
 * are the notes dialect's executable spec: notes in, the study model (as
 * `quire -t tree` dumps it, without its first line) out.
 */
#include <cmark.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "model/check.h"
#include "reader/reader.h"
#include "render/xhtml.h"

extern const qbackend qbackend_tree;

typedef struct example {
	int number;
	int line;
	const char *section;
	char *md;
	char *html;
} example;

typedef struct spec {
	example *v;
	int n, cap;
	char **sections;
	int nsections;
} spec;

/* ---------------------------------------------------------- spec.txt */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	qbuf b = QBUF_INIT;
	char chunk[65536];
	size_t k;
	while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
		qbuf_put(&b, chunk, k);
	fclose(f);
	*len = b.len;
	return qbuf_detach(&b, NULL);
}

/* The spec writes a tab as U+2192 (→) inside examples. */
static char *untab(const char *s, size_t n)
{
	qbuf b = QBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i + 2 < n && memcmp(s + i, "\xE2\x86\x92", 3) == 0) {
			qbuf_putc(&b, '\t');
			i += 2;
		} else {
			qbuf_putc(&b, s[i]);
		}
	}
	return qbuf_detach(&b, NULL);
}

static void add_example(spec *sp, example e)
{
	if (sp->n == sp->cap) {
		sp->cap = sp->cap ? 2 * sp->cap : 256;
		sp->v = realloc(sp->v, sizeof *sp->v * (size_t)sp->cap);
	}
	sp->v[sp->n++] = e;
}

static const char *keep_section(spec *sp, const char *s, size_t n)
{
	sp->sections = realloc(sp->sections, sizeof(char *) * (size_t)(sp->nsections + 1));
	char *t = malloc(n + 1);
	memcpy(t, s, n);
	t[n] = '\0';
	sp->sections[sp->nsections++] = t;
	return t;
}

static const char FENCE[] = "````````````````````````````````";

static void parse_spec(spec *sp, const char *s, size_t n)
{
	const char *section = "";
	int state = 0, line = 0, start_line = 0;   /* 0 text, 1 markdown, 2 html */
	const char *md = NULL, *html = NULL, *mdend = NULL;
	for (const char *p = s, *end = s + n; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		size_t len = (size_t)(e - p);
		line++;
		if (state == 0 && len > 33 && strncmp(p, FENCE, 32) == 0
		    && strncmp(p + 32, " example", 8) == 0) {
			state = 1;
			md = e + 1;
			start_line = line;
		} else if (state == 1 && len == 1 && *p == '.') {
			mdend = p;
			html = e + 1;
			state = 2;
		} else if (state == 2 && len == 32 && strncmp(p, FENCE, 32) == 0) {
			example ex = {sp->n + 1, start_line, section,
				      untab(md, (size_t)(mdend - md)),
				      untab(html, (size_t)(p - html))};
			add_example(sp, ex);
			state = 0;
		} else if (state == 0 && len > 3 && p[0] == '#' && (p[1] == '#' || p[1] == ' ')) {
			const char *t = p;
			while (t < e && *t == '#')
				t++;
			while (t < e && *t == ' ')
				t++;
			section = keep_section(sp, t, (size_t)(e - t));
		}
		p = nl ? nl + 1 : end;
	}
}

/* ------------------------------------------------------ normalisation */

static bool is_block_tag(const char *name, size_t n)
{
	static const char *const blocks[] = {
		"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
		"blockquote", "pre", "hr", "table", "thead", "tbody", "tr",
		"th", "td", "div", "section", NULL};
	for (int i = 0; blocks[i]; i++)
		if (strlen(blocks[i]) == n && strncmp(blocks[i], name, n) == 0)
			return true;
	return false;
}

/* The name of the tag at s (after '<' and an optional '/'). */
static size_t tag_name(const char *s, size_t n, const char **name)
{
	size_t i = 1;
	if (i < n && s[i] == '/')
		i++;
	*name = s + i;
	size_t k = i;
	while (k < n && ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= '0' && s[k] <= '9')))
		k++;
	return k - i;
}

/* Character references quire and cmark write differently for the same
 * character: cmark writes ' in a URL as &#x27; and " in text as &quot;;
 * quire writes a newline or tab in an attribute as &#10; and &#9;. */
static size_t put_char_ref(qbuf *out, const char *s, size_t n)
{
	static const char *const refs[][2] = {
		{"&quot;", "\""}, {"&#x27;", "'"}, {"&#10;", "\n"},
		{"&#9;", "\t"}, {"&#13;", "\r"}};
	for (size_t k = 0; k < sizeof refs / sizeof refs[0]; k++) {
		size_t l = strlen(refs[k][0]);
		if (n >= l && memcmp(s, refs[k][0], l) == 0) {
			qbuf_puts(out, refs[k][1]);
			return l;
		}
	}
	qbuf_putc(out, *s);
	return 1;
}

/* Copy a tag without class, id, scope and data-* attributes, " />" as
 * "/>". */
static void put_tag(qbuf *out, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		if (s[i] == ' ') {
			size_t a = i + 1, k = a;
			while (k < n && s[k] != '=' && s[k] != ' ' && s[k] != '>' && s[k] != '/')
				k++;
			size_t an = k - a;
			bool drop = (an == 5 && strncmp(s + a, "class", 5) == 0)
				 || (an == 2 && strncmp(s + a, "id", 2) == 0)
				 || (an == 5 && strncmp(s + a, "scope", 5) == 0)
				 || (an > 5 && strncmp(s + a, "data-", 5) == 0);
			if (k < n && s[k] == '=' && k + 1 < n && s[k + 1] == '"') {
				const char *q = memchr(s + k + 2, '"', n - k - 2);
				k = q ? (size_t)(q - s) + 1 : n;
			}
			if (!drop)
				for (size_t x = i; x < k;)
					x += put_char_ref(out, s + x, k - x);
			i = k;
			continue;
		}
		if (s[i] == '/' && i + 1 < n && s[i + 1] == '>' && out->len && out->ptr[out->len - 1] == ' ')
			out->len--;
		qbuf_putc(out, s[i++]);
	}
}

typedef struct normaliser {
	qbuf out;
	char divs[256];   /* per open <div>: 1 when its tags are dropped */
	int ndivs;
	bool last_block;  /* the last tag written was a block tag */
	size_t pending;   /* start in out of white space not yet known to be
	                   * between blocks */
	bool has_pending;
} normaliser;

static void put_text(normaliser *z, const char *s, size_t n)
{
	bool white = true;
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\n')
			white = false;
	if (white && z->last_block)
		return;   /* white space after a block tag */
	z->has_pending = white;
	z->pending = z->out.len;
	for (size_t i = 0; i < n;)
		i += put_char_ref(&z->out, s + i, n - i);
	z->last_block = false;
}

static bool drop_tag(normaliser *z, const char *s, size_t n, const char *name, size_t nl)
{
	bool closing = s[1] == '/';
	if ((nl == 7 && strncmp(name, "section", 7) == 0) || (nl == 4 && strncmp(name, "span", 4) == 0))
		return true;
	if (nl != 3 || strncmp(name, "div", 3) != 0)
		return false;
	if (closing)
		return z->ndivs > 0 && z->divs[--z->ndivs];
	bool ours = memmem(s, n, "class=\"card\"", 12) || memmem(s, n, "class=\"answer\"", 14);
	if (z->ndivs < (int)sizeof z->divs)
		z->divs[z->ndivs++] = ours;
	return ours;
}

static char *normalise(const char *s)
{
	normaliser z = {.out = QBUF_INIT};
	size_t n = strlen(s);
	bool in_pre = false;
	for (size_t i = 0; i < n;) {
		if (s[i] != '<' || (i + 4 <= n && memcmp(s + i, "<!--", 4) == 0 && !memmem(s + i, n - i, "-->", 3))) {
			size_t j = i + 1;
			while (j < n && s[j] != '<')
				j++;
			if (in_pre) {
				for (size_t x = i; x < j;)
					x += put_char_ref(&z.out, s + x, j - x);
				z.last_block = false;
			} else {
				put_text(&z, s + i, j - i);
			}
			i = j;
			continue;
		}
		const char *gt = memchr(s + i, '>', n - i);
		size_t j = gt ? (size_t)(gt - s) + 1 : n;
		const char *name;
		size_t nl = tag_name(s + i, j - i, &name);
		if (nl == 3 && strncmp(name, "pre", 3) == 0)
			in_pre = s[i + 1] != '/';
		if (!drop_tag(&z, s + i, j - i, name, nl)) {
			bool block = is_block_tag(name, nl);
			if (block && z.has_pending && !in_pre)
				qbuf_truncate(&z.out, z.pending);   /* white space before a block */
			put_tag(&z.out, s + i, j - i);
			z.last_block = block;
			z.has_pending = false;
		}
		i = j;
	}
	if (z.has_pending)
		qbuf_truncate(&z.out, z.pending);
	return qbuf_detach(&z.out, NULL);
}

/* quire's one URL policy for every output (src/render/xhtml.c): http,
 * https, mailto and URLs without a scheme become links; an empty URL or
 * any other scheme does not. */
static bool link_allowed(const char *url, size_t n)
{
	size_t k = 0;
	if (!n)
		return false;
	for (; k < n; k++) {
		char c = url[k];
		bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
		if (c == ':')
			break;
		if (!(letter || (k && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))))
			return true;   /* no scheme: a relative URL */
	}
	if (k == n || k == 0)
		return true;
	return (k == 4 && strncasecmp(url, "http", 4) == 0) || (k == 5 && strncasecmp(url, "https", 5) == 0)
	    || (k == 6 && strncasecmp(url, "mailto", 6) == 0);
}

/* cmark's links as quire writes a link it refuses: the link text, then
 * " (URL)" unless the text is the URL. Nested links do not occur in
 * cmark's output. */
static char *apply_link_policy(const char *s)
{
	qbuf b = QBUF_INIT;
	const char *p = s;
	for (;;) {
		const char *a = strstr(p, "<a href=\"");
		if (!a) {
			qbuf_puts(&b, p);
			break;
		}
		const char *u = a + 9, *ue = strchr(u, '"'), *gt = ue ? strchr(ue, '>') : NULL;
		const char *close = gt ? strstr(gt, "</a>") : NULL;
		if (!close) {
			qbuf_puts(&b, p);
			break;
		}
		qbuf_put(&b, p, (size_t)(a - p));
		if (link_allowed(u, (size_t)(ue - u))) {
			qbuf_put(&b, a, (size_t)(close + 4 - a));
		} else {
			size_t tl = (size_t)(close - gt - 1);
			qbuf_put(&b, gt + 1, tl);
			if (ue > u && !(tl == (size_t)(ue - u) && memcmp(gt + 1, u, tl) == 0)) {
				qbuf_puts(&b, " (");
				qbuf_put(&b, u, (size_t)(ue - u));
				qbuf_putc(&b, ')');
			}
		}
		p = close + 4;
	}
	return qbuf_detach(&b, NULL);
}

/* --------------------------------------------------------------- runs */

/* Every example's tree must hold to the grammar of model.h: a broken
 * one is written into the output, so the example fails and says why. */
static void check_grammar(const qdoc *doc, qbuf *out)
{
	qbuf why = QBUF_INIT;
	if (!qdoc_check(doc, &why))
		qbuf_printf(out, "(the tree breaks its grammar: %s)\n", why.ptr);
	qbuf_free(&why);
}

static char *quire_html(const char *md, bool strict)
{
	qdiags d;
	qdiags_init(&d, "example.md");
	qread_opts o = {.path = "example.md", .strict = strict, .omit_html = true};
	qdoc *doc = qread(md, strlen(md), &o, &d);
	qbuf b = QBUF_INIT;
	if (doc) {
		check_grammar(doc, &b);
		qx_opts xo = {.images = true};
		qx_document(&b, doc, &xo);
	} else {
		qbuf_puts(&b, "(not read)");
	}
	qdoc_free(doc);
	qdiags_free(&d);
	return qbuf_detach(&b, NULL);
}

/* The study model of md in the notes dialect, as the tree back end dumps
 * it, without its first line (the document's title and counts). */
static char *notes_tree(const char *md)
{
	qdiags d;
	qdiags_init(&d, "example.md");
	qread_opts o = {.path = "example.md"};
	qdoc *doc = qread(md, strlen(md), &o, &d);
	qbuf b = QBUF_INIT;
	if (doc) {
		check_grammar(doc, &b);
		qjob job = {.doc = doc, .diags = &d};
		qoutputs outs;
		qoutputs_init(&outs);
		qbackend_tree.write(&job, &outs);
		const char *t = outs.n ? outs.v[0].data.ptr : "";
		const char *nl = strchr(t, '\n');
		qbuf_puts(&b, nl ? nl + 1 : "");
		qoutputs_free(&outs);
	}
	qdoc_free(doc);
	qdiags_free(&d);
	return qbuf_detach(&b, NULL);
}

/* The executable spec of the notes dialect: every example's notes give
 * the study model written under them. */
static int run_notes_spec(const char *path, int only, bool verbose)
{
	size_t n;
	char *text = slurp(path, &n);
	if (!text) {
		printf("not ok - notes dialect: cannot read %s\n", path);
		return 1;
	}
	spec sp = {0};
	parse_spec(&sp, text, n);
	int failed = 0;
	for (int i = 0; i < sp.n; i++) {
		const example *e = &sp.v[i];
		if (only && e->number != only)
			continue;
		char *got = notes_tree(e->md);
		bool same = strcmp(got, e->html) == 0;
		printf("%s - notes dialect %d (%s, line %d)\n", same ? "ok" : "not ok", e->number,
		       e->section, e->line);
		if (!same && (verbose || only))
			printf("# notes:\n%s# want:\n%s# got:\n%s", e->md, e->html, got);
		failed += !same;
		free(got);
		free(sp.v[i].md);
		free(sp.v[i].html);
	}
	for (int i = 0; i < sp.nsections; i++)
		free(sp.sections[i]);
	free(sp.sections);
	free(sp.v);
	free(text);
	return failed;
}

/* The examples listed in DIALECT.txt: "NUMBER rule: reason" lines. */
static void read_dialect(const char *path, char *listed, int max)
{
	size_t n;
	char *s = path ? slurp(path, &n) : NULL;
	if (!s)
		return;
	for (char *p = s; p && *p;) {
		char *nl = strchr(p, '\n');
		if (*p >= '0' && *p <= '9') {
			int k = atoi(p);
			if (k > 0 && k < max)
				listed[k] = 1;
		}
		p = nl ? nl + 1 : NULL;
	}
	free(s);
}

static void show(const example *e, const char *want, const char *got)
{
	printf("# example %d (line %d, %s)\n# markdown:\n%s# cmark:\n%s\n# quire:\n%s\n",
	       e->number, e->line, e->section, e->md, want, got);
}

typedef struct result {
	int same, total;
	char *differs;   /* per example number: 1 when it differs */
} result;

static result run_mode(const spec *sp, bool strict, int only, bool verbose)
{
	result r = {0, 0, calloc((size_t)sp->n + 2, 1)};
	for (int i = 0; i < sp->n; i++) {
		const example *e = &sp->v[i];
		if (only && e->number != only)
			continue;
		char *raw = cmark_markdown_to_html(e->md, strlen(e->md), CMARK_OPT_DEFAULT);
		char *c = apply_link_policy(raw);
		free(raw);
		char *q = quire_html(e->md, strict);
		char *want = normalise(c), *got = normalise(q);
		r.total++;
		if (strcmp(want, got) == 0) {
			r.same++;
		} else {
			r.differs[e->number] = 1;
			if (verbose || only)
				show(e, want, got);
		}
		free(c);
		free(q);
		free(want);
		free(got);
	}
	return r;
}

int main(int argc, char **argv)
{
	bool verbose = false;
	int only = 0, a = 1;
	const char *notes = NULL;
	for (; a < argc && argv[a][0] == '-'; a++) {
		if (strcmp(argv[a], "-v") == 0)
			verbose = true;
		else if (strcmp(argv[a], "-n") == 0 && a + 1 < argc)
			only = atoi(argv[++a]);
		else if (strcmp(argv[a], "--notes") == 0 && a + 1 < argc)
			notes = argv[++a];
	}
	if (notes)
		return run_notes_spec(notes, only, verbose) ? 1 : 0;
	if (a >= argc) {
		fputs("usage: spec_test [-v] [-n NUM] SPEC.txt [DIALECT.txt]\n"
		      "       spec_test [-v] [-n NUM] --notes NOTES-DIALECT.txt\n", stderr);
		return 2;
	}
	size_t n;
	char *text = slurp(argv[a], &n);
	if (!text) {
		printf("not ok - commonmark spec: cannot read %s\n", argv[a]);
		return 1;
	}
	spec sp = {0};
	parse_spec(&sp, text, n);
	int failed = 0;

	result s = run_mode(&sp, true, only, verbose);
	printf("commonmark: %d of %d examples identical with --from commonmark\n", s.same, s.total);
	printf("%s - commonmark strict: every example identical (%d of %d)\n",
	       s.same == s.total ? "ok" : "not ok", s.same, s.total);
	failed += s.same != s.total;

	result dl = run_mode(&sp, false, only, verbose);
	char *listed = calloc((size_t)sp.n + 2, 1);
	read_dialect(a + 1 < argc ? argv[a + 1] : NULL, listed, sp.n + 1);
	printf("commonmark: %d of %d examples identical in the notes dialect\n", dl.same, dl.total);
	bool enough = dl.total && dl.same * 100 >= dl.total * 95;
	printf("%s - commonmark dialect: at least 95%% identical (%d of %d)\n",
	       enough ? "ok" : "not ok", dl.same, dl.total);
	failed += !enough;
	if (!only) {
		qbuf unlisted = QBUF_INIT, stale = QBUF_INIT;
		for (int k = 1; k <= sp.n; k++) {
			if (dl.differs[k] && !listed[k])
				qbuf_printf(&unlisted, " %d", k);
			if (!dl.differs[k] && listed[k])
				qbuf_printf(&stale, " %d", k);
		}
		printf("%s - commonmark dialect: every difference is a listed dialect rule%s%.*s\n",
		       unlisted.len ? "not ok" : "ok", unlisted.len ? "; not listed:" : "",
		       (int)unlisted.len, unlisted.ptr ? unlisted.ptr : "");
		printf("%s - commonmark dialect: no listed example is identical%s%.*s\n",
		       stale.len ? "not ok" : "ok", stale.len ? "; identical now:" : "",
		       (int)stale.len, stale.ptr ? stale.ptr : "");
		failed += unlisted.len != 0;
		failed += stale.len != 0;
		qbuf_free(&unlisted);
		qbuf_free(&stale);
	}
	free(listed);
	free(s.differs);
	free(dl.differs);
	for (int i = 0; i < sp.n; i++) {
		free(sp.v[i].md);
		free(sp.v[i].html);
	}
	for (int i = 0; i < sp.nsections; i++)
		free(sp.sections[i]);
	free(sp.sections);
	free(sp.v);
	free(text);
	return failed ? 1 : 0;
}
