/* reader.c - the reader's pipeline: repair, lift, cmark, build, then the
 * document's title and indexes (see reader.h). */
#include "reader.h"

#include <assert.h>
#include <cmark.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../model/walk.h"
#include "../util/fileio.h"
#include "../util/find.h"
#include "build.h"
#include "code.h"
#include "classify.h"
#include "divs.h"
#include "lang.h"
#include "lift.h"
#include "meta.h"
#include "math.h"
#include "refine.h"
#include "repair.h"
#include "vault.h"

static const char *file_stem(qdoc *doc, const char *path)
{
	size_t n;
	const char *stem = qfile_stem(path, &n);
	return qdoc_strdup(doc, stem, n);
}

/* "python-fastapi-notes" -> "Python Fastapi Notes" */
static const char *title_from_stem(qdoc *doc, const char *stem)
{
	qbuf b = QBUF_INIT;
	bool start = true;
	for (const char *p = stem; *p; p++) {
		char c = (*p == '-' || *p == '_') ? ' ' : *p;
		if (start && c >= 'a' && c <= 'z')
			c -= 32;
		start = c == ' ';
		qbuf_putc(&b, c);
	}
	const char *t = qdoc_strdup(doc, b.ptr, b.len);
	qbuf_free(&b);
	return t;
}

/* A lone level-1 section at the very start is the document's title: its
 * content moves up one level. */
static bool promote_title(qdoc *doc, const char *wanted)
{
	qnode *root = doc->root, *first = root->first, *only = NULL;
	if (!first || first->type != QN_SECTION || first->u.section.level != 1)
		return false;
	for (qnode *n = root->first; n; n = n->next)
		if (n->type == QN_SECTION && n->u.section.level == 1) {
			if (only)
				return false;
			only = n;
		}
	if (wanted && strcmp(wanted, only->u.section.plain) != 0)
		return false;
	doc->title = only->u.section.plain;
	doc->title_node = only->first;
	qnode *after = only->next;
	assert(only->first && only->first->type == QN_TITLE);
	qnode *child = only->first->next;   /* after QN_TITLE */
	qnode_unlink(only);
	while (child) {
		qnode *next = child->next;
		qnode_unlink(child);
		if (after)
			qnode_insert_before(after, child);
		else
			qnode_append(root, child);
		child = next;
	}
	qiter it;
	qnode *n;
	qiter_init(&it, root);
	while (qiter_next_outline(&it, &n))
		if (n->type == QN_SECTION && n->u.section.level > 1)
			n->u.section.level--;
	return true;
}

static const char *first_of(const char *a, const char *b)
{
	return a && *a ? a : b && *b ? b : NULL;
}

/* "Ann, Bob" from a list of names. */
static const char *join(qdoc *doc, const char **v, int n)
{
	qbuf b = QBUF_INIT;
	for (int i = 0; i < n; i++) {
		if (i)
			qbuf_puts(&b, ", ");
		qbuf_puts(&b, v[i]);
	}
	const char *s = qdoc_strdup(doc, b.ptr ? b.ptr : "", b.len);
	qbuf_free(&b);
	return s;
}

/* The document's metadata: the command line first, then the notes' front
 * matter (and --metadata), then what the notes show (a lone title
 * heading), then the file name. */
static void set_meta(qdoc *doc, const qread_opts *o, const qmeta *m)
{
	doc->source = qdoc_strdup(doc, o->path ? o->path : "-", strlen(o->path ? o->path : "-"));
	doc->stem = file_stem(doc, o->path);
	const char *title = first_of(o->title, m->title);
	bool promoted = promote_title(doc, title);
	if (title)
		doc->title = qdoc_strdup(doc, title, strlen(title));
	else if (!promoted)
		doc->title = title_from_stem(doc, doc->stem);
	if (o->author && *o->author) {
		doc->author = qdoc_strdup(doc, o->author, strlen(o->author));
		doc->authors = &doc->author;
		doc->nauthors = 1;
	} else if (m->nauthors) {
		doc->authors = m->authors;
		doc->nauthors = m->nauthors;
		doc->author = join(doc, m->authors, m->nauthors);
	}
	doc->subtitle = m->subtitle ? m->subtitle : "";
	doc->date = m->date ? m->date : "";
	doc->description = m->description ? m->description : "";
	doc->keywords = m->keywords;
	doc->nkeywords = m->nkeywords;
	doc->deck = m->deck;
	doc->paper = m->paper;
	doc->cloze = m->cloze;
	doc->reversed = m->reversed;
	doc->tag_sections = m->tag_sections;
	const char *lang = first_of(o->lang, m->lang);
	if (lang) {
		doc->lang = qdoc_strdup(doc, lang, strlen(lang));
	} else {
		const char *l = qlang_detect(doc);
		if (l)
			doc->lang = l;
	}
}

/* --card-separators "::,:::,?,??" (or the front matter's) into seps. */
static void parse_seps(qdoc *doc, const char *s, qcard_seps *seps)
{
	const char **slot[4] = {&seps->inline_sep, &seps->inline_rev, &seps->multi, &seps->multi_rev};
	for (int k = 0; k < 4 && s && *s; k++) {
		const char *e = strchr(s, ',');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		const char *t = s;
		n = qc_trim(&t, n);
		if (n)
			*slot[k] = qdoc_strdup(doc, t, n);
		s = e ? e + 1 : s + strlen(s);
	}
}

/* Is t (a tag, its `#` optional) the flashcard tag ft or below it, a deck
 * (`flashcards`, `#flashcards/Networking`)? */
static bool under_tag(const char *t, const char *ft)
{
	t += *t == '#';
	size_t n = strlen(ft);
	return !strncmp(t, ft, n) && (t[n] == '\0' || t[n] == '/');
}

/* Do the notes carry a flashcard tag of Obsidian Spaced Repetition
 * (`#flashcards`, or one the vault's settings name) in their front
 * matter or their text? */
static bool tagged_flashcards(const qmeta *m, const char *text, size_t n, const qvault_sr *v)
{
	const char *tags[QVAULT_TAGS + 1] = {"flashcards"};
	int nt = 1;
	for (int i = 0; i < v->ntags; i++)
		tags[nt++] = v->tags[i];
	for (int k = 0; k < nt; k++) {
		for (int i = 0; i < m->nkeywords; i++)
			if (under_tag(m->keywords[i], tags[k]))
				return true;
		size_t l = strlen(tags[k]);
		for (const char *p = text, *e = text + n; (p = qmemmem(p, (size_t)(e - p), tags[k], l)); p += l) {
			unsigned char after = p + l < e ? (unsigned char)p[l] : ' ';
			bool starts = p > text && p[-1] == '#'
				      && (p - 1 == text || p[-2] == ' ' || p[-2] == '\t' || p[-2] == '\n');
			if (starts && (after == '/' || after <= ' ' || after == ','))
				return true;
		}
	}
	return false;
}

/* The vault's settings of Obsidian Spaced Repetition, and a note naming
 * what of them quire used. */
static void read_vault(qdoc *doc, const qread_opts *o, qvault_sr *v, qdiags *d)
{
	if (!qvault_sr_read(o->path, &doc->arena, v, d))
		return;
	qbuf says = QBUF_INIT;
	static const char *const names[4] = {"card", "reversed card", "multi-line card",
					     "multi-line reversed card"};
	for (int k = 0; k < 4; k++)
		if (v->seps[k]) {
			qbuf_puts(&says, says.len ? ", " : "");
			qbuf_puts(&says, names[k]);
			qbuf_puts(&says, " separator '");
			qbuf_puts(&says, v->seps[k]);
			qbuf_puts(&says, "'");
		}
	for (int i = 0; i < v->ntags; i++) {
		qbuf_puts(&says, says.len ? (i ? ", #" : "; flashcard tags #") : "flashcard tags #");
		qbuf_puts(&says, v->tags[i]);
	}
	if (v->clozes_set) {
		qbuf_puts(&says, says.len ? "; cloze patterns" : "cloze patterns");
		for (int i = 0; i < v->nclozes; i++) {
			qbuf_puts(&says, i ? ", " : " ");
			qbuf_puts(&says, v->clozes[i].source);
		}
		qbuf_puts(&says, v->nclozes ? "" : " none (no clozes)");
	}
	qdiag_at(d, v->path, QD_NOTE, 0, "vault",
		 "Obsidian Spaced Repetition's settings used for these notes: %s "
		 "(--card-separators and the front matter win)",
		 says.len ? says.ptr : "none set (its defaults)");
	qbuf_free(&says);
}

/* ---------------------------------------------------------------- parts
 *
 * Big notes are read in parts, in parallel: each part is repaired,
 * lifted and parsed by cmark on a worker thread, and the builder takes
 * the parts in order as they are ready. A part starts at a heading of
 * level 2 or deeper after a blank line, outside fences, HTML comments and
 * <details>, where no idiom of the dialect reaches across; notes with
 * link reference definitions are read in one part (a reference may be
 * used far from its definition).
 */

/* The least bytes of a part of notes of n bytes: small parts for small
 * notes, so that every processor has a part early and they finish
 * together; from 1 MB on, larger ones, where more parts would only cost
 * each part's set-up. */
static size_t part_min(size_t n)
{
	return n < ((size_t)1 << 20) ? (size_t)8 << 10 : (size_t)16 << 10;
}

/* How many parts may be read ahead of the builder. A part read ahead
 * keeps only its fragment, which the document keeps anyway; the bound
 * matters while the main thread is still cutting the notes (the workers
 * read on) and keeps a worker from running far ahead of a slow builder. */
#define LOOKAHEAD 64

#define MAX_OPEN 16

typedef struct part {
	qtask t;             /* first: the pool's task is the part */
	const char *s;
	size_t n;
	int first_line;
	qbuf text;
	qlift lift;
	qdoc *frag;          /* the part built on its own (arena joined later) */
	qnode *open[MAX_OPEN];
	int open_level[MAX_OPEN];
	int nopen;           /* sections still open at the end of the part */
	qdiags d;
	qrepair_stats stats;
	bool lifted_wanted;
	qbuild_opts bo;
	qlift_opts lo;
	const qnote_syntax *syntax;   /* the note apps' inline syntax, or NULL
	                               * (--from commonmark) */
} part;

/* ---------------------------------------------------------- cmark's memory
 *
 * cmark allocates every node and buffer of a parse on its own and frees
 * them one by one; for a part, whose tree lives only until the builder
 * has read it, that is a fifth of the reading time. So a part is parsed
 * into an arena dropped whole afterwards: each block carries its size
 * before it (for realloc), free does nothing, and the newest block grows
 * in place. cmark's allocator takes no context, so the arena of the
 * thread's current parse is thread-local. Nodes the builder makes with
 * cmark_node_new_with_mem() use the same allocator (cmark frees a subtree
 * with its root's).
 */
static _Thread_local qarena *cur_pool;

#define POOL_HEAD sizeof(size_t)   /* keeps the arena's 8-byte alignment */

static void *pool_alloc(size_t n)
{
	if (n > SIZE_MAX / 2)
		qoom();
	unsigned char *p = qarena_alloc(cur_pool, POOL_HEAD + n);   /* zeroed */
	memcpy(p, &n, sizeof n);
	return p + POOL_HEAD;
}

static void *pool_calloc(size_t count, size_t size)
{
	if (size && count > SIZE_MAX / 2 / size)
		qoom();
	return pool_alloc(count * size);
}

static void *pool_realloc(void *p, size_t n)
{
	if (!p)
		return pool_alloc(n);
	unsigned char *h = (unsigned char *)p - POOL_HEAD;
	size_t old;
	memcpy(&old, h, sizeof old);
	if (n <= SIZE_MAX / 2 && qarena_extend(cur_pool, h, POOL_HEAD + old, POOL_HEAD + n)) {
		memcpy(h, &n, sizeof n);
		return p;
	}
	void *q = pool_alloc(n);
	memcpy(q, p, old < n ? old : n);
	return q;
}

static void pool_free(void *p)
{
	(void)p;
}

static cmark_mem pool_mem = {pool_calloc, pool_realloc, pool_free};

/* Repair, lift, parse and build one part into its own fragment. */
static void read_part(part *p)
{
	qrepair_part(p->s, p->n, p->first_line, &p->text, &p->d, &p->stats);
	qarena pool;
	qarena_init(&pool);
	cur_pool = &pool;
	if (p->bo.strict)
		qlift_verbatim(p->text.ptr, p->text.len, p->first_line, &p->lift);
	else
		qlift_run(p->text.ptr, p->text.len, p->first_line, &p->lift, &p->d, &pool_mem, &p->lo);
	qbuf_free(&p->text);   /* the lift holds all it needs */
	cmark_node *root = p->lift.unchanged ? p->lift.tree : NULL;
	p->lift.tree = NULL;   /* the pool's, dropped whole below */
	if (!root) {
		cmark_parser *parser = cmark_parser_new_with_mem(CMARK_OPT_DEFAULT, &pool_mem);
		cmark_parser_feed(parser, p->lift.text.ptr, p->lift.text.len);
		root = cmark_parser_finish(parser);
		cmark_parser_free(parser);
	}
	p->frag = qdoc_new();
	qbuilder *b = qbuild_new(p->frag, &p->d, &p->bo);
	if (root)
		qbuild_part(b, root, &p->lift, &pool_mem);
	p->nopen = qbuild_open_sections(b, p->open, p->open_level, MAX_OPEN);
	qbuild_finish(b);
	qarena_free(&pool);   /* the whole cmark tree at once */
	cur_pool = NULL;
	if (p->syntax)   /* each text node on its own: a part's work */
		qrefine_note_syntax(p->frag, p->syntax);
	if (!p->lifted_wanted)
		qlift_free(&p->lift);
}

static void free_part(part *p)
{
	qdoc_free(p->frag);   /* NULL once joined */
	p->frag = NULL;
	qlift_free(&p->lift);
	qbuf_free(&p->text);
	qdiags_free(&p->d);
}

/* The sections open in the whole document so far, outermost first. */
typedef struct open_stack {
	qnode *sec[MAX_OPEN];
	int level[MAX_OPEN];
	int n;
} open_stack;

static void push_open(open_stack *g, qnode *s, int level)
{
	while (g->n && g->level[g->n - 1] >= level)
		g->n--;
	if (g->n < MAX_OPEN) {
		g->sec[g->n] = s;
		g->level[g->n++] = level;
	}
}

static void append_questions(qdoc *doc, const qdoc *frag, int *cap)
{
	if (!frag->nquestions)
		return;
	if (doc->nquestions + frag->nquestions > *cap) {
		while (doc->nquestions + frag->nquestions > *cap)
			*cap = *cap ? *cap * 2 : 64;
		qquestion *v = qarena_alloc(&doc->arena, sizeof(qquestion) * (size_t)*cap);
		if (doc->nquestions)
			memcpy(v, doc->questions, sizeof(qquestion) * (size_t)doc->nquestions);
		doc->questions = v;
	}
	memcpy(doc->questions + doc->nquestions, frag->questions,
	       sizeof(qquestion) * (size_t)frag->nquestions);
	doc->nquestions += frag->nquestions;
}

/* Join a part built on its own to the document: its top-level sections
 * go where the open sections say (a part starts at a section heading),
 * anything before them where the last part left off. */
static void join_part(qdoc *doc, open_stack *g, part *p, int *qcap)
{
	qnode *root = p->frag->root;
	while (root->first) {
		qnode *n = root->first;
		qnode_unlink(n);
		if (n->type == QN_SECTION)
			while (g->n && g->level[g->n - 1] >= n->u.section.level)
				g->n--;
		qnode_append(g->n ? g->sec[g->n - 1] : doc->root, n);
		if (n->type == QN_SECTION)
			push_open(g, n, n->u.section.level);
	}
	for (int i = 0; i < p->nopen; i++)
		push_open(g, p->open[i], p->open_level[i]);
	append_questions(doc, p->frag, qcap);
	qdoc *frag = p->frag;
	p->frag = NULL;
	qdoc_adopt(doc, frag);
}

/* The level of an ATX heading at s (up to 3 spaces before), or 0. */
static int heading_level(const char *s, const char *end)
{
	int sp = 0;
	while (s < end && *s == ' ' && sp < 4) {
		s++;
		sp++;
	}
	int k = 0;
	while (s + k < end && s[k] == '#')
		k++;
	if (sp >= 4 || k < 1 || k > 6 || (s + k != end && s[k] != ' ' && s[k] != '\t'))
		return 0;
	return k;
}

/* Is the line at s a section heading of level 2-6 (up to 3 spaces
 * before)? Not a question (a bare title before it needs to see it) and
 * not a file caption (it belongs to the code after it). */
static bool deep_heading(const char *s, const char *end)
{
	int k = heading_level(s, end);
	if (k < 2)
		return false;
	while (s < end && *s == ' ')
		s++;
	size_t n = (size_t)(end - s);
	while (n && (s[n - 1] == '\r' || s[n - 1] == ' '))
		n--;
	const char *name;
	return qc_classify(s + k, n - (size_t)k) == QC_OTHER && !qcode_caption(s, n, &name);
}

static bool blank_line(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t' || *s == '\r'))
		s++;
	return s == end;
}

/* Track what a line opens or closes: fences, comments, <details>. */
typedef struct scan_state {
	char fence;        /* ` or ~ while inside a fence */
	size_t fence_len;
	bool comment;
	int details;
	int divs;          /* Pandoc divs open (divs.h): a part never cuts one */
} scan_state;

static void scan_line(scan_state *st, const char *s, const char *end)
{
	const char *p = s;
	while (p < end && *p == ' ')
		p++;
	size_t k = 0;
	while (p + k < end && (p[k] == '`' || p[k] == '~') && p[k] == p[0])
		k++;
	if (k >= 3 && p - s < 4) {
		if (!st->fence) {
			st->fence = p[0];
			st->fence_len = k;
		} else if (p[0] == st->fence && k >= st->fence_len && blank_line(p + k, end)) {
			st->fence = 0;
		}
		return;
	}
	if (st->fence)
		return;
	bool opens;
	if (qdiv_fence(s, (size_t)(end - s), &opens)) {
		st->divs += opens ? 1 : st->divs ? -1 : 0;
		return;
	}
	if (st->comment && qmemmem(s, (size_t)(end - s), "-->", 3))
		st->comment = false;
	if (!memchr(s, '<', (size_t)(end - s)))
		return;
	const char *open = qmemmem(s, (size_t)(end - s), "<!--", 4);
	if (open && !qmemmem(open + 4, (size_t)(end - open - 4), "-->", 3))
		st->comment = true;
	if (qmemmem(s, (size_t)(end - s), "<details", 8))
		st->details++;
	if (qmemmem(s, (size_t)(end - s), "</details", 9) && st->details)
		st->details--;
}

/* A line of the notes: where it starts, its text after its indentation,
 * its end (before the newline); is it a fence's ``` or ~~~ line. */
typedef struct text_line {
	const char *start, *text, *end;
	bool fence_mark;
} text_line;

/* The line at *p (before end) into *l, *p moved past it; *fence turns
 * at a fence line (true: inside a fence). False at the end. */
static bool next_text_line(const char **p, const char *end, bool *fence, text_line *l)
{
	if (*p >= end)
		return false;
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	l->start = l->text = *p;
	l->end = nl ? nl : end;
	while (l->text < l->end && (*l->text == ' ' || *l->text == '\t'))
		l->text++;
	l->fence_mark = l->end - l->text >= 3 && (!memcmp(l->text, "```", 3) || !memcmp(l->text, "~~~", 3));
	if (l->fence_mark)
		*fence = !*fence;
	*p = nl ? nl + 1 : end;
	return true;
}

/* Are the notes an outline (Logseq, Workflowy, a bulleted outline):
 * most lines bullets, almost no headings outside them? */
static bool outline_shaped(const char *s, size_t n)
{
	long lines = 0, bullets = 0, headings = 0;
	bool fence = false;
	text_line l;
	for (const char *p = s, *end = s + n; next_text_line(&p, end, &fence, &l);) {
		const char *t = l.text, *e = l.end;
		if (t < e && !fence) {
			lines++;
			if (e - t >= 2 && (*t == '-' || *t == '*' || *t == '+') && (t[1] == ' ' || t[1] == '\t'))
				bullets++;
			else if (t == l.start && *t == '#')
				headings++;
		}
	}
	return lines >= 8 && bullets * 10 >= lines * 6 && headings <= 3;
}

static bool has_link_definitions(const char *s, size_t n)
{
	/* a definition is a line "[label]: ..." indented at most 3 spaces */
	for (const char *p = s, *end = s + n; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		const char *t = p;
		while (t < e && t - p < 3 && *t == ' ')
			t++;
		if (t < e && *t == '[' && qmemmem(t, (size_t)(e - t), "]:", 2))
			return true;
		p = nl ? nl + 1 : end;
	}
	return false;
}

/* After a heading: the level of the question that is open (a deeper
 * heading would be part of its answer), 0 when none is. */
static int heading_card_level(const char *s, const char *e, int level, int card_level)
{
	size_t n = (size_t)(e - s);
	while (n && (s[n - 1] == '\r' || s[n - 1] == ' '))
		n--;
	const char *t = s;
	while (t < s + n && (*t == ' ' || *t == '#'))
		t++;
	qclass k = qc_classify(t, (size_t)(s + n - t));
	if (k == QC_QUESTION)
		return level;
	if (k == QC_OTHER && (!card_level || level <= card_level))
		return 0;   /* a section heading closes the card */
	return card_level;
}

/* The parts, read on the pool (util/pool.h) while the main thread builds
 * them in order. Each part is queued as soon as its end is known, at
 * most LOOKAHEAD ahead of the one being built; the main thread reads a
 * part itself when it needs one no thread has taken yet. */
typedef struct reading {
	part *parts;   /* room for every part there can be (see max_parts) */
	int n;         /* parts cut so far */
	int queued;    /* parts handed to the pool so far */
	qpool *pool;
	const qdiags *proto;   /* file and options of the parts' diagnostics */
	bool lifted_wanted;
	qbuild_opts bo;
	qlift_opts lo;
	const qnote_syntax *syntax;
} reading;

/* Every part but the last has at least part_min(n) bytes. */
static int max_parts(size_t n)
{
	return (int)(n / part_min(n)) + 2;
}

static bool one_part(const char *s, size_t n)
{
	return n < 2 * part_min(n) || has_link_definitions(s, n) || getenv("QUIRE_ONE_PART");
}

static void read_part_task(qtask *t, int worker)
{
	(void)worker;
	read_part((part *)t);
}

/* Hand the parts cut so far to the pool, up to (not including) part k. */
static void queue_parts(reading *r, int k)
{
	while (r->queued < r->n && r->queued < k)
		qpool_push(r->pool, &r->parts[r->queued++].t);
}

/* A part ends at s + n: ready it, and queue it within the look-ahead. */
static void add_part(reading *r, const char *s, size_t n, int first_line)
{
	part *p = &r->parts[r->n++];
	memset(p, 0, sizeof *p);
	p->t.run = read_part_task;
	p->s = s;
	p->n = n;
	p->first_line = first_line;
	qdiags_init(&p->d, r->proto->file);
	p->d.keep_guesses = r->proto->keep_guesses;
	p->lifted_wanted = r->lifted_wanted;
	p->bo = r->bo;
	p->lo = r->lo;
	p->syntax = r->syntax;
	queue_parts(r, LOOKAHEAD);
}

/* Cut text into parts of at least part_min(n) bytes at safe headings. */
static void split_parts(reading *r, const char *s, size_t n)
{
	size_t least = part_min(n);
	scan_state st = {0};
	bool prev_blank = false;
	const char *from = s;
	int from_line = 1;
	int line = 1, card_level = 0;   /* level of the open question heading */
	for (const char *p = s, *end = s + n; p < end; line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		int level = *p == '#' || *p == ' ' ? heading_level(p, e) : 0;
		bool safe = prev_blank && !st.fence && !st.comment && !st.details && !st.divs
			 && (size_t)(p - from) >= least && (size_t)(end - p) >= least / 2
			 && level >= 2 && (!card_level || level <= card_level);
		if (level && !st.fence)
			card_level = heading_card_level(p, e, level, card_level);
		if (safe && deep_heading(p, e)) {
			add_part(r, from, (size_t)(p - from), from_line);
			from = p;
			from_line = line;
		}
		scan_line(&st, p, e);
		prev_blank = blank_line(p, e);
		p = nl ? nl + 1 : end;
	}
	add_part(r, from, (size_t)(s + n - from), from_line);
}

/* How the cards are to be read: the --cards mode and the flashcard
 * separators, from the command line or the front matter; and the note
 * apps' inline syntax, which each part reads in its own text nodes. */
typedef struct read_plan {
	const char *cards;
	qcard_seps seps;
	bool flashcards;
	bool outline;   /* the notes are an outline of bullets (outline_shaped) */
	qnote_syntax syntax;
} read_plan;

/* Cut the notes into parts and build every part in order while the
 * pool reads the next ones. Returns the parts (*count of them). */
static part *build_parts(qdoc *doc, const char *text, size_t len, const qread_opts *o,
			 const read_plan *plan, qdiags *d, qrepair_stats *st, int *count)
{
	bool one = one_part(text, len);
	reading r = {.parts = qxmalloc(sizeof(part) * (size_t)(one ? 1 : max_parts(len))),
		     .pool = one ? NULL : o->pool, .proto = d, .lifted_wanted = o->lifted != NULL,
		     .bo = {.strict = o->strict, .omit_html = o->omit_html}};
	r.lo.seps = plan->seps;
	r.syntax = o->strict ? NULL : &plan->syntax;
	r.lo.flashcards = plan->flashcards || qlift_flashcards(text, len, &plan->seps);
	r.bo.outline = !o->strict && (!strcmp(plan->cards, "outline")
				      || (!strcmp(plan->cards, "auto") && plan->outline));
	r.bo.tagged = qmemmem(text, len, " #card", 6) || qmemmem(text, len, " #flashcard", 11);
	if (one)
		add_part(&r, text, len, 1);   /* read here and now: no pool */
	else
		split_parts(&r, text, len);
	open_stack open = {0};
	int qcap = 0;
	for (int i = 0; i < r.n; i++) {
		queue_parts(&r, i + LOOKAHEAD);
		qpool_wait_task(r.pool, &r.parts[i].t);
		qdiags_merge(d, &r.parts[i].d);
		join_part(doc, &open, &r.parts[i], &qcap);
		qrepair_stats_add(st, &r.parts[i].stats);
		if (!r.parts[i].lifted_wanted)
			free_part(&r.parts[i]);
	}
	*count = r.n;
	return r.parts;
}

static bool made_later(const qnode *card)
{
	const char *r = card->u.card.rule;
	return card->u.card.topic
	       || (r && (!strcmp(r, "peer-topic") || !strcmp(r, "follow-up") || !strcmp(r, "glossary")
		     || !strcmp(r, "term-table") || !strcmp(r, "definition") || !strcmp(r, "callout")
		     || !strcmp(r, "qa-table") || !strcmp(r, "pair") || !strcmp(r, "question-box")));
}

/* Topic cards, made after the parts were built, join the questions in
 * the order of their lines: both lists are in that order, so one merge. */
static void add_topic_questions(qdoc *doc)
{
	int extra = 0;
	qiter it;
	qnode *n;
	qiter_init(&it, doc->root);
	while (qiter_next_outline(&it, &n))
		if (n->type == QN_CARD && made_later(n))
			extra++;
	qquestion *later = qarena_alloc(&doc->arena, sizeof *later * (size_t)(extra ? extra : 1));
	int k = 0;
	qiter_init(&it, doc->root);
	while (qiter_next_outline(&it, &n))
		if (n->type == QN_CARD && made_later(n))
			later[k++] = (qquestion){n->line, n->u.card.full, true, n->u.card.rule, NULL};
	qquestion *v = qarena_alloc(&doc->arena, sizeof *v * (size_t)(doc->nquestions + extra));
	int a = 0, b = 0, w = 0;
	while (a < doc->nquestions || b < extra) {
		bool take_a = b >= extra || (a < doc->nquestions && doc->questions[a].line <= later[b].line);
		v[w++] = take_a ? doc->questions[a++] : later[b++];
	}
	doc->questions = v;
	doc->nquestions = w;
}

/* The notes' metadata: the front matter block, then Logseq's page
 * properties under it. Their lines stay, blank (in *blanked, which *text
 * then points into): line numbers hold. Returns whether the page had
 * Logseq's properties. */
static bool read_front_matter(qdoc *doc, qmeta *meta, const char **text, size_t *len,
			      qbuf *blanked, qdiags *d)
{
	const char *t = *text;
	size_t n = *len;
	size_t fm = qmeta_read(t, n, &doc->arena, meta, d);
	int line = 1;
	for (size_t i = 0; i < fm; i++)
		line += t[i] == '\n';
	size_t props = qmeta_read_properties(t + fm, n - fm, line, &doc->arena, meta, d);
	if (!fm && !props)
		return false;
	for (size_t i = 0; i < fm + props; i++)
		if (t[i] == '\n')
			qbuf_putc(blanked, '\n');
	qbuf_put(blanked, t + fm + props, n - fm - props);
	*text = blanked->ptr;
	*len = blanked->len;
	return props > 0;
}

/* Are the notes Logseq's: page properties, a `key:: value` property
 * line of a block, a `#card` tag, or an outline of bullets? Its
 * `^^highlight^^` is read only in such notes. */
static bool logseq_shaped(const char *s, size_t n, bool page_props, bool outline)
{
	if (page_props || qmemmem(s, n, " #card", 6) || outline)
		return true;
	bool fence = false;
	text_line l;
	for (const char *p = s, *end = s + n; next_text_line(&p, end, &fence, &l);) {
		size_t len = (size_t)(l.end - l.text);
		if (!l.fence_mark && !fence && qmemmem(l.text, len, ":: ", 3) && qmeta_property(l.text, len))
			return true;
	}
	return false;
}

qdoc *qread(const char *data, size_t n, const qread_opts *o, qdiags *d)
{
	qbuf decoded = QBUF_INIT;
	const char *text;
	size_t len;
	if (qrepair_prepare(data, n, &decoded, &text, &len, d) != 0) {
		qbuf_free(&decoded);
		return NULL;
	}
	int count;
	qdoc *doc = qdoc_new();
	qmeta meta = {0};
	qbuf blanked = QBUF_INIT;
	bool page_props = !o->strict && read_front_matter(doc, &meta, &text, &len, &blanked, d);
	for (int i = 0; i < o->nmetadata; i++)
		qmeta_set(&meta, &doc->arena, o->metadata[i], d);
	const char *cards = first_of(o->cards, meta.cards);
	if (cards && !qmeta_cards_valid(cards)) {
		qdiag_add(d, QD_ERROR, 0, 0, "cards",
			  "--cards must be auto, questions, headings[=LEVEL], outline or none, not '%s'", cards);
		cards = NULL;
	}
	qvault_sr vault = {0};
	if (!o->strict)
		read_vault(doc, o, &vault, d);
	read_plan plan = {.cards = cards ? cards : "auto",
			  .flashcards = tagged_flashcards(&meta, text, len, &vault),
			  .seps = {vault.seps[0], vault.seps[1], vault.seps[2], vault.seps[3]}};
	doc->flashcards = plan.flashcards;
	parse_seps(doc, first_of(o->card_seps, meta.card_seps), &plan.seps);
	qvault_sr_default_clozes(&vault, &doc->arena);
	plan.outline = !o->strict && outline_shaped(text, len);
	plan.syntax = (qnote_syntax){.clozes = vault.clozes,
				     .nclozes = plan.flashcards ? vault.nclozes : 0,
				     .logseq = !o->strict && logseq_shaped(text, len, page_props,
									   plan.outline)};
	qrepair_stats stats = {0};
	part *parts = build_parts(doc, text, len, o, &plan, d, &stats, &count);
	qrepair_summary(&stats, d);
	for (int i = 0; i < count; i++) {
		if (o->lifted)
			qlift_print(&parts[i].lift, o->lifted);
		free_part(&parts[i]);
	}
	free(parts);
	qbuf_free(&decoded);
	qbuf_free(&blanked);
	set_meta(doc, o, &meta);
	if (!o->strict) {
		qmath_refine(doc, d);
		int made = qrefine_callouts(doc);
		made += qrefine_qa_tables(doc);
		qrefine_footnotes(doc, d);
		qrefine_images(doc, d, o->path, o->resource_paths, o->nresource_paths);
		qrefine_cover(doc, d, o->path, o->resource_paths, o->nresource_paths, meta.cover,
			      meta.cover_line);
		qrefine_autolinks(doc);
		qrefine_roles(doc);
		qrefine_navigation(doc, d);
		qrefine_breaks(doc);
		qrefine_empty_answers(doc, d);
		bool questions_only = !strcmp(plan.cards, "questions");
		made += questions_only ? 0 : qrefine_peers(doc);
		made += qrefine_follow_ups(doc);
		if (!strncmp(plan.cards, "headings", 8))
			made += qrefine_topics(doc, d, plan.cards[8] == '=' ? plan.cards[9] - '0' : -1);
		else if (!questions_only && strcmp(plan.cards, "none"))
			made += qrefine_topics(doc, d, 0);
		made += qrefine_tasks(doc);
		if (made)
			add_topic_questions(doc);
		if (!strcmp(plan.cards, "none"))
			qrefine_no_cards(doc);
	}
	qdoc_index(doc);
	if (!doc->root->first)
		qdiag_add(d, QD_WARNING, 0, 0, "empty",
			  "the notes are empty: the outputs have a title and nothing else");
	return doc;
}

/* ------------------------------------------------------------------ books */

/* A part's footnotes are numbered from 1; in the book they follow the
 * parts before, so that every number (and the EPUB's fn-N) is the
 * book's own. *last is the highest number so far. */
static void renumber_footnotes(qdoc *pd, int *last)
{
	int base = *last;
	qiter it;
	qnode *n;
	qiter_init(&it, pd->root);
	while (qiter_next_of(&it, &n, QN_NONE)) {
		if ((n->type != QN_FOOTNOTE && n->type != QN_FOOTREF) || n->u.footnote.number <= 0)
			continue;
		n->u.footnote.number += base;
		if (n->u.footnote.number > *last)
			*last = n->u.footnote.number;
		if (n->type == QN_FOOTREF) {
			char num[16];
			int k = snprintf(num, sizeof num, "%d", n->u.footnote.number);
			n->text = qdoc_strdup(pd, num, (size_t)k);
			n->len = (size_t)k;
		}
	}
}

/* Move the tree of a part under a new level-one section of the book,
 * its sections one level deeper. */
static qnode *adopt_part(qdoc *book, qdoc *pd, const char *path)
{
	qnode *sec = qnode_new(book, QN_SECTION, 1);
	qnode *title = qnode_new(book, QN_TITLE, 1);
	qnode_append(sec, title);
	qnode_append(title, qnode_new_text(book, QN_TEXT, 1, pd->title, strlen(pd->title)));
	sec->u.section.level = 1;
	sec->u.section.heading = 1;
	sec->u.section.plain = pd->title;
	size_t dec = qc_decoration(pd->title, strlen(pd->title));
	sec->u.section.name = pd->title + dec;
	sec->u.section.file = qdoc_strdup(book, path, strlen(path));
	qnode_append_children(sec, pd->root);
	qiter it;
	qnode *n;
	qiter_init(&it, sec);
	while (qiter_next_outline(&it, &n))
		if (n != sec && n->type == QN_SECTION)
			n->u.section.level++;
	qnode_append(book->root, sec);
	return sec;
}

static void add_book_questions(qdoc *book, const qdoc *pd, const char *file, int *cap)
{
	if (book->nquestions + pd->nquestions > *cap) {
		while (book->nquestions + pd->nquestions > *cap)
			*cap = *cap ? 2 * *cap : 64;
		qquestion *v = qarena_alloc(&book->arena, sizeof *v * (size_t)*cap);
		if (book->nquestions)
			memcpy(v, book->questions, sizeof *v * (size_t)book->nquestions);
		book->questions = v;
	}
	for (int i = 0; i < pd->nquestions; i++) {
		qquestion q = pd->questions[i];
		q.file = file;
		book->questions[book->nquestions++] = q;
	}
}

/* The keys set in over (--metadata) replace those of m (quire.yaml). */
static void merge_meta(qmeta *m, const qmeta *over)
{
	const char **s[] = {&m->title, &m->subtitle, &m->date, &m->lang, &m->description, &m->deck,
			    &m->paper};
	const char *const *o[] = {&over->title, &over->subtitle, &over->date, &over->lang,
				  &over->description, &over->deck, &over->paper};
	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		if (*o[i])
			*s[i] = *o[i];
	if (over->nauthors) {
		m->authors = over->authors;
		m->nauthors = over->nauthors;
	}
	if (over->nkeywords) {
		m->keywords = over->keywords;
		m->nkeywords = over->nkeywords;
	}
}

qdoc *qread_book(const qbook_file *files, int n, const qread_opts *o, qdiags *d)
{
	qdoc *book = qdoc_new();
	int cap = 0, footnotes = 0;
	bool failed = false;
	/* --metadata for the parts: all but the book's own title and cover */
	const char **part_meta = qarena_alloc(&book->arena, sizeof *part_meta * (size_t)(o->nmetadata + 1));
	int npart_meta = 0;
	for (int i = 0; i < o->nmetadata; i++)
		if (strncasecmp(o->metadata[i], "title=", 6) && strncasecmp(o->metadata[i], "cover=", 6))
			part_meta[npart_meta++] = o->metadata[i];
	for (int k = 0; k < n; k++) {
		qdiags fd;
		qdiags_init(&fd, files[k].path);
		fd.keep_guesses = d->keep_guesses;
		qread_opts po = *o;
		po.path = files[k].path;
		po.title = NULL;   /* a part keeps its own title */
		po.metadata = part_meta;
		po.nmetadata = npart_meta;
		qdoc *pd = qread(files[k].data, files[k].len, &po, &fd);
		qdiags_merge(d, &fd);
		qdiags_free(&fd);
		if (!pd) {
			failed = true;
			continue;
		}
		if (!book->nauthors && pd->nauthors) {   /* the first file's metadata */
			book->authors = pd->authors;
			book->nauthors = pd->nauthors;
			book->author = pd->author;
		}
		if (k == 0) {
			book->subtitle = pd->subtitle;
			book->date = pd->date;
			book->description = pd->description;
			book->keywords = pd->keywords;
			book->nkeywords = pd->nkeywords;
			book->deck = pd->deck;
			book->paper = pd->paper;
			book->lang = pd->lang;
			book->cover = pd->cover;
		}
		/* highlights are clozes in a book only when every part is tagged
		 * (the deck decides for the whole book) */
		book->flashcards = (k == 0 || book->flashcards) && pd->flashcards;
		const char *path = qdoc_strdup(book, files[k].path, strlen(files[k].path));
		renumber_footnotes(pd, &footnotes);
		adopt_part(book, pd, path);
		add_book_questions(book, pd, path, &cap);
		qdoc_adopt(book, pd);   /* the part's nodes live on in the book */
	}
	if (failed) {
		qdoc_free(book);
		return NULL;
	}
	book->source = o->path ? qdoc_strdup(book, o->path, strlen(o->path)) : "book";
	book->stem = file_stem(book, o->path);
	qmeta ym = {0};   /* the folder's quire.yaml comes before the first file */
	if (o->book_yaml) {
		qdiags yd;
		qdiags_init(&yd, o->book_yaml_path ? o->book_yaml_path : "quire.yaml");
		if (!qmeta_read_file(o->book_yaml, strlen(o->book_yaml), &book->arena, &ym, &yd))
			qdiag_add(&yd, QD_WARNING, 0, 0, "metadata", "quire.yaml holds no YAML mapping; ignored");
		if (ym.cover && !o->strict)   /* beside quire.yaml */
			qrefine_cover(book, &yd, o->book_yaml_path, o->resource_paths, o->nresource_paths,
				      ym.cover, ym.cover_line);
		qdiags_merge(d, &yd);
		qdiags_free(&yd);
	}
	qmeta cm = {0};   /* --metadata: the book's too, and it wins (the parts
	                   * told of a bad value already) */
	qdiags md;
	qdiags_init(&md, o->path ? o->path : "book");
	for (int i = 0; i < o->nmetadata; i++)
		qmeta_set(&cm, &book->arena, o->metadata[i], &md);
	qdiags_free(&md);
	if (cm.cover && !o->strict)
		qrefine_cover(book, d, o->path, o->resource_paths, o->nresource_paths, cm.cover, 0);
	merge_meta(&ym, &cm);
	const char *title = first_of(o->title, ym.title);
	book->title = title ? qdoc_strdup(book, title, strlen(title)) : title_from_stem(book, book->stem);
	if (ym.nauthors) {
		book->authors = ym.authors;
		book->nauthors = ym.nauthors;
		book->author = join(book, ym.authors, ym.nauthors);
	}
	book->subtitle = ym.subtitle ? ym.subtitle : book->subtitle;
	book->date = ym.date ? ym.date : book->date;
	book->description = ym.description ? ym.description : book->description;
	if (ym.nkeywords) {
		book->keywords = ym.keywords;
		book->nkeywords = ym.nkeywords;
	}
	book->deck = ym.deck ? ym.deck : book->deck;
	book->paper = ym.paper ? ym.paper : book->paper;
	if (ym.lang)
		book->lang = ym.lang;
	if (o->author && *o->author) {
		book->author = qdoc_strdup(book, o->author, strlen(o->author));
		book->authors = &book->author;
		book->nauthors = 1;
	}
	if (o->lang && *o->lang)
		book->lang = qdoc_strdup(book, o->lang, strlen(o->lang));
	qdoc_index(book);
	return book;
}
