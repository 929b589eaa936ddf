/* test_epub.c - the EPUB back end on study models built by hand: the
 * container layout, identity, navigation, both answer modes, chapter
 * splitting, link and id clean-up, odd models (empty, deep, root cards),
 * determinism (also on one processor), the container writer (chunked
 * and streamed entries); the odd books are also judged by epubcheck. */
#include <errno.h>
#include <sched.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/backend.h"
#include "backend/epub/epub.h"
#include "model/model.h"
#include "fixture.h"
#include "testing.h"
#include "unzip.h"

#define EPUBCHECK "/usr/share/java/epubcheck.jar"
/* mimetype, container, opf, nav, ncx, 2 css, cover page and image, title */
#define FIXED_FILES 10

extern const qbackend qbackend_epub;

/* ---- building models --------------------------------------------- */






static qnode *link_para(qdoc *d, const char *url, const char *label)
{
	qnode *p = qnode_new(d, QN_PARAGRAPH, 1);
	qnode *l = qnode_new(d, QN_LINK, 1);
	l->u.link.url = url;
	l->u.link.title = "";
	qnode_append(l, text_node(d, QN_TEXT, label));
	qnode_append(p, l);
	return p;
}

/* A small book: front matter, a root card, two chapters, a subsection,
 * code, a table, a link to a question, raw HTML with an id and a script. */
static qdoc *sample_doc(void)
{
	qdoc *d = qdoc_new();
	d->title = "Python & FastAPI <Notes>";
	d->author = "Ada";
	d->stem = "notes";
	qnode *r = d->root;
	qnode_append(r, para(d, "Front matter words: alpha."));
	card(d, r, "Q0.", "What is at the root?", para(d, "A root answer: beta."));
	qnode *s1 = section(d, r, 1, "🔹 Python Core");
	card(d, s1, "1.", "What is the GIL?",
	     para(d, "The global interpreter lock 🧵 → one thread at a time."));
	qnode *sub = section(d, s1, 2, "Deeper");
	card(d, sub, "Q2:", "Explain *args?",
	     code(d, "python", "def f(*args):\n    return len(args)  # count\n"));
	qnode *s2 = section(d, r, 1, "SQL & Tables");
	qnode *t = qnode_new(d, QN_TABLE, 1);
	static const qalign al[2] = {QALIGN_LEFT, QALIGN_LEFT};
	t->u.table.ncols = 2;
	t->u.table.header = true;
	t->u.table.align = al;
	for (int i = 0; i < 2; i++) {
		qnode *row = qnode_new(d, QN_ROW, 1);
		for (int j = 0; j < 2; j++) {
			qnode *cell = qnode_new(d, QN_CELL, 1);
			qnode_append(cell, text_node(d, QN_TEXT, i ? "gamma" : "Head"));
			qnode_append(row, cell);
		}
		qnode_append(t, row);
	}
	card(d, s2, NULL, "Which join keeps every row?", t);
	qnode *c3 = card(d, s2, "3.", "Where is the GIL explained?",
			 link_para(d, "javascript:alert(1)", "bad link"));
	qnode_append(c3->last, link_para(d, "https://example.com/a b?x=1&y=é",
					 "web link"));
	qnode_append(c3->last, link_para(d, "other.html", "relative link"));
	qnode_append(c3->last, link_para(d, "other%20note.md", "note link"));
	qnode_append(c3->last, link_para(d, "file:///etc/passwd", "file link"));
	qnode_append(c3->last, link_para(d, "smb://host/share", "smb link"));
	qnode_append(c3->last, text_node(d, QN_HTML,
		"<p><a href=\"&#x66;ile:///etc/passwd\">hidden file</a> "
		"<a href=\"&#x73;mb://host/s\">hidden smb</a> "
		"<a href=\"ftp://x.org/f\">ftp</a></p>"));
	qnode_append(c3->last, text_node(d, QN_HTML,
		"<div id=\"q-dup\" onclick=\"x()\"><img src=\"a.png\" alt=\"diagram\"/>"
		"<script>evil()</script>kept delta <a href=\"other.html\">html link</a>"
		" <a href=\"JavaScript:x()\">html js</a></div>"));
	qdoc_index(d);
	/* an HTML block linking to the GIL question, in another chapter */
	qbuf u = QBUF_INIT;
	qbuf_printf(&u, "<p><a href=\"#%s\">see the GIL question</a></p>",
		    d->cards[1]->u.card.anchor);
	qnode_append(c3->last, text_node(d, QN_HTML, u.ptr));
	qbuf_free(&u);
	return d;
}

/* The model's newer nodes: callouts, footnotes, sub/sup/strike/mark,
 * math and a cloze, as the reader will make them. */
static qnode *inl_wrap(qdoc *d, qtype t, const char *s)
{
	qnode *n = qnode_new(d, t, 1);
	qnode_append(n, text_node(d, QN_TEXT, s));
	return n;
}

static qnode *footref(qdoc *d, int number, const char *label)
{
	qnode *n = text_node(d, QN_FOOTREF, label);
	n->u.footnote.number = number;
	n->u.footnote.label = label;
	return n;
}

static qnode *footnote(qdoc *d, int number, const char *label, qnode *block)
{
	qnode *n = qnode_new(d, QN_FOOTNOTE, 1);
	n->u.footnote.number = number;
	n->u.footnote.label = label;
	qnode_append(n, block);
	return n;
}

static qnode *callout(qdoc *d, const char *kind, const char *title, qnode *block)
{
	qnode *n = qnode_new(d, QN_CALLOUT, 1);
	n->u.callout.kind = kind;
	if (title) {
		qnode *c = qnode_new(d, QN_CAPTION, 1);
		qnode_append(c, text_node(d, QN_TEXT, title));
		qnode_append(n, c);
	}
	qnode_append(n, block);
	return n;
}

static qdoc *features_doc(void)
{
	qdoc *d = qdoc_new();
	d->title = "Features";
	d->stem = "features";
	qnode *s1 = section(d, d->root, 1, "Framed notes");
	qnode *c = card(d, s1, NULL, "What does a callout look like?",
			callout(d, "warning", "Mind the GIL",
				para(d, "One thread runs Python code at a time.")));
	qnode_append(c->last, callout(d, "tip", NULL, para(d, "Use processes for CPU work.")));
	qnode *deep = qnode_new(d, QN_HEADING, 1);
	deep->u.level = 5;
	qnode_append(deep, text_node(d, QN_TEXT, "Details"));
	qnode_append(c->last, deep);
	qnode *p = qnode_new(d, QN_PARAGRAPH, 1);
	qnode_append(p, text_node(d, QN_TEXT, "Water is H"));
	qnode_append(p, inl_wrap(d, QN_SUB, "2"));
	qnode_append(p, text_node(d, QN_TEXT, "O, area is r"));
	qnode_append(p, inl_wrap(d, QN_SUP, "2"));
	qnode_append(p, text_node(d, QN_TEXT, ", "));
	qnode_append(p, inl_wrap(d, QN_STRIKE, "wrong"));
	qnode_append(p, text_node(d, QN_TEXT, " "));
	qnode_append(p, inl_wrap(d, QN_MARK, "marked"));
	qnode_append(p, text_node(d, QN_TEXT, " and "));
	qnode_append(p, text_node(d, QN_MATH, "e^{i\\pi} + 1 = 0"));
	qnode *cl = inl_wrap(d, QN_CLOZE, "hidden");
	cl->u.cloze.number = 1;
	qnode_append(p, text_node(d, QN_TEXT, ", a cloze: "));
	qnode_append(p, cl);
	qnode_append(c->last, p);
	qnode_append(c->last, text_node(d, QN_MATH_BLOCK, "\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}"));
	qnode *q = card(d, s1, NULL, "Where do footnotes go?", para(d, "To the end "));
	qnode *a = q->last->first;
	qnode_append(a, footref(d, 1, "1"));
	qnode_append(a, text_node(d, QN_TEXT, " of the chapter, each once "));
	qnode_append(a, footref(d, 2, "note"));
	qnode_append(a, text_node(d, QN_TEXT, " and again "));
	qnode_append(a, footref(d, 1, "1"));
	qnode_append(a, text_node(d, QN_TEXT, "."));
	qnode *s2 = section(d, d->root, 1, "Elsewhere");
	qnode *r = card(d, s2, NULL, "Is a note shown in another chapter?", para(d, "Yes"));
	qnode_append(r->last->first, footref(d, 1, "1"));
	qnode *n1p = para(d, "The first note, which points at ");
	qnode_append(n1p, footref(d, 2, "note"));
	qnode_append(d->root, footnote(d, 1, "1", n1p));
	qnode_append(d->root, footnote(d, 2, "note", para(d, "The named note.")));
	qnode_append(d->root, footnote(d, 3, "lonely", para(d, "Nothing refers to me.")));
	qdoc_index(d);
	return d;
}

/* A 4x3 JPEG (made by Chromium's canvas), for the image tests. */
static const char jpeg_4x3[] =
	"\xff\xd8\xff\xe0\x00\x10\x4a\x46\x49\x46\x00\x01\x01\x00\x00\x01\x00\x01"
	"\x00\x00\xff\xe2\x01\xd8\x49\x43\x43\x5f\x50\x52\x4f\x46\x49\x4c\x45\x00"
	"\x01\x01\x00\x00\x01\xc8\x00\x00\x00\x00\x04\x30\x00\x00\x6d\x6e\x74\x72"
	"\x52\x47\x42\x20\x58\x59\x5a\x20\x07\xe0\x00\x01\x00\x01\x00\x00\x00\x00"
	"\x00\x00\x61\x63\x73\x70\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00"
	"\xf6\xd6\x00\x01\x00\x00\x00\x00\xd3\x2d\x00\x00\x00\x00\x00\x00\x00\x00"
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	"\x00\x00\x00\x00\x00\x00\x00\x09\x64\x65\x73\x63\x00\x00\x00\xf0\x00\x00"
	"\x00\x24\x72\x58\x59\x5a\x00\x00\x01\x14\x00\x00\x00\x14\x67\x58\x59\x5a"
	"\x00\x00\x01\x28\x00\x00\x00\x14\x62\x58\x59\x5a\x00\x00\x01\x3c\x00\x00"
	"\x00\x14\x77\x74\x70\x74\x00\x00\x01\x50\x00\x00\x00\x14\x72\x54\x52\x43"
	"\x00\x00\x01\x64\x00\x00\x00\x28\x67\x54\x52\x43\x00\x00\x01\x64\x00\x00"
	"\x00\x28\x62\x54\x52\x43\x00\x00\x01\x64\x00\x00\x00\x28\x63\x70\x72\x74"
	"\x00\x00\x01\x8c\x00\x00\x00\x3c\x6d\x6c\x75\x63\x00\x00\x00\x00\x00\x00"
	"\x00\x01\x00\x00\x00\x0c\x65\x6e\x55\x53\x00\x00\x00\x08\x00\x00\x00\x1c"
	"\x00\x73\x00\x52\x00\x47\x00\x42\x58\x59\x5a\x20\x00\x00\x00\x00\x00\x00"
	"\x6f\xa2\x00\x00\x38\xf5\x00\x00\x03\x90\x58\x59\x5a\x20\x00\x00\x00\x00"
	"\x00\x00\x62\x99\x00\x00\xb7\x85\x00\x00\x18\xda\x58\x59\x5a\x20\x00\x00"
	"\x00\x00\x00\x00\x24\xa0\x00\x00\x0f\x84\x00\x00\xb6\xcf\x58\x59\x5a\x20"
	"\x00\x00\x00\x00\x00\x00\xf6\xd6\x00\x01\x00\x00\x00\x00\xd3\x2d\x70\x61"
	"\x72\x61\x00\x00\x00\x00\x00\x04\x00\x00\x00\x02\x66\x66\x00\x00\xf2\xa7"
	"\x00\x00\x0d\x59\x00\x00\x13\xd0\x00\x00\x0a\x5b\x00\x00\x00\x00\x00\x00"
	"\x00\x00\x6d\x6c\x75\x63\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x0c"
	"\x65\x6e\x55\x53\x00\x00\x00\x20\x00\x00\x00\x1c\x00\x47\x00\x6f\x00\x6f"
	"\x00\x67\x00\x6c\x00\x65\x00\x20\x00\x49\x00\x6e\x00\x63\x00\x2e\x00\x20"
	"\x00\x32\x00\x30\x00\x31\x00\x36\xff\xdb\x00\x43\x00\x10\x0b\x0c\x0e\x0c"
	"\x0a\x10\x0e\x0d\x0e\x12\x11\x10\x13\x18\x28\x1a\x18\x16\x16\x18\x31\x23"
	"\x25\x1d\x28\x3a\x33\x3d\x3c\x39\x33\x38\x37\x40\x48\x5c\x4e\x40\x44\x57"
	"\x45\x37\x38\x50\x6d\x51\x57\x5f\x62\x67\x68\x67\x3e\x4d\x71\x79\x70\x64"
	"\x78\x5c\x65\x67\x63\xff\xdb\x00\x43\x01\x11\x12\x12\x18\x15\x18\x2f\x1a"
	"\x1a\x2f\x63\x42\x38\x42\x63\x63\x63\x63\x63\x63\x63\x63\x63\x63\x63\x63"
	"\x63\x63\x63\x63\x63\x63\x63\x63\x63\x63\x63\x63\x63\x63\x63\x63\x63\x63"
	"\x63\x63\x63\x63\x63\x63\x63\x63\x63\x63\x63\x63\x63\x63\x63\x63\x63\x63"
	"\x63\x63\xff\xc0\x00\x11\x08\x00\x03\x00\x04\x03\x01\x22\x00\x02\x11\x01"
	"\x03\x11\x01\xff\xc4\x00\x15\x00\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00"
	"\x00\x00\x00\x00\x00\x00\x00\x04\xff\xc4\x00\x14\x10\x01\x00\x00\x00\x00"
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xc4\x00\x14\x01\x01"
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x05\xff\xc4"
	"\x00\x14\x11\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	"\x00\x00\xff\xda\x00\x0c\x03\x01\x00\x02\x11\x03\x11\x00\x3f\x00\x80\x03"
	"\x83\xdf\xff\xd9";

/* A 4x3 PNG and a 1x1 GIF. */
static const char png_4x3[] =
	"\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00"
	"\x00\x04\x00\x00\x00\x03\x08\x06\x00\x00\x00\xb4\xf4\xae\xc6\x00\x00\x00"
	"\x22\x49\x44\x41\x54\x78\x01\x64\xc8\x31\x0d\x00\x00\x0c\x02\xc1\x06\x4b"
	"\xf5\x54\xb5\xf5\x04\x2b\x81\x4f\x7e\x39\xec\x3d\x7d\x4c\x54\x20\x00\x00"
	"\x00\xff\xff\xf5\x01\x05\x6f\x00\x00\x00\x06\x49\x44\x41\x54\x03\x00\x91"
	"\xe2\x09\x97\xa6\x51\x54\xcf\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60"
	"\x82";
static const char gif_1x1[] =
	"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00\x21\xf9\x04"
	"\x01\x00\x00\x00\x00\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44"
	"\x01\x00\x3b";

static char g_imgdir[64];

/* path of a file of the image folder, written with n bytes of data. */
static const char *image_file(qdoc *d, const char *name, const char *data, size_t n)
{
	if (!g_imgdir[0]) {
		strcpy(g_imgdir, "/tmp/quire-test-img-XXXXXX");
		if (!mkdtemp(g_imgdir))
			return NULL;
	}
	char path[128];
	snprintf(path, sizeof path, "%s/%s", g_imgdir, name);
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(data, 1, n, f);
		fclose(f);
	}
	return qdoc_strdup(d, path, strlen(path));
}

static void remove_images(void)
{
	static const char *const names[] = {
		"a.png", "b.jpg", "c.gif", "d.svg", "e.webp", "f.svg", "cover.png",
	};
	char path[128];
	for (size_t i = 0; g_imgdir[0] && i < sizeof names / sizeof names[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", g_imgdir, names[i]);
		unlink(path);
	}
	if (g_imgdir[0])
		rmdir(g_imgdir);
	g_imgdir[0] = '\0';
}

/* A paragraph with one image: its file (or NULL), URL and alt text. */
static qnode *image_para(qdoc *d, const char *file, const char *url, const char *alt)
{
	qnode *p = qnode_new(d, QN_PARAGRAPH, 3);
	qnode *im = qnode_new(d, QN_IMAGE, 3);
	im->u.link.url = url;
	im->u.link.title = "";
	im->u.link.file = file;
	qnode_append(im, text_node(d, QN_TEXT, alt));
	qnode_append(p, im);
	return p;
}

static const char svg_ok[] =
	"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
	"width=\"10\" height=\"10\"><circle cx=\"5\" cy=\"5\" r=\"4\"/></svg>\n";
static const char svg_bad[] =
	"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><rect/></svg>\n";

/* Local images of every kind, one twice, a remote one, a refused WebP
 * and SVG, a missing file; a cover image when cover is set. */
static qdoc *images_doc(bool cover)
{
	qdoc *d = qdoc_new();
	d->title = "Pictures";
	d->stem = "pictures";
	qnode *s = section(d, d->root, 1, "Images");
	const char *png = image_file(d, "a.png", png_4x3, sizeof png_4x3 - 1);
	qnode *c = card(d, s, NULL, "What do the images show?",
			image_para(d, png, "img/a.png", "a red box"));
	qnode *a = c->last;
	qnode_append(a, image_para(d, image_file(d, "b.jpg", jpeg_4x3, sizeof jpeg_4x3 - 1),
				   "b.jpg", "a blue box"));
	qnode_append(a, image_para(d, image_file(d, "c.gif", gif_1x1, sizeof gif_1x1 - 1),
				   "c.gif", "a dot"));
	qnode_append(a, image_para(d, image_file(d, "d.svg", svg_ok, sizeof svg_ok - 1),
				   "d.svg", "a circle"));
	qnode_append(a, image_para(d, png, "img/a.png", "the red box again"));
	qnode_append(a, image_para(d, NULL, "https://example.org/remote.png", "a remote chart"));
	qnode_append(a, image_para(d, image_file(d, "e.webp", "RIFF\x10\0\0\0WEBPVP8 ", 16),
				   "e.webp", "a webp"));
	qnode_append(a, image_para(d, image_file(d, "f.svg", svg_bad, sizeof svg_bad - 1),
				   "f.svg", "a scripted svg"));
	char missing[128];
	snprintf(missing, sizeof missing, "%s/missing.png", g_imgdir);
	qnode_append(a, image_para(d, qdoc_strdup(d, missing, strlen(missing)),
				   "missing.png", "a lost picture"));
	if (cover)
		d->cover = image_file(d, "cover.png", png_4x3, sizeof png_4x3 - 1);
	qdoc_index(d);
	return d;
}

/* ---- running the back end and reading the book ------------------- */

static qepub_opts g_opts;
static int g_pages[64];

static qbstatus build(const qdoc *d, bool popup, qbuf *out)
{
	g_opts.popup_answers = popup;
	g_opts.style_path = NULL;
	qdiags diags;
	qdiags_init(&diags, "test.md");
	qjob job = {.doc = d, .epoch = 1700000000, .share = ".", .diags = &diags,
		    .card_pages = d->ncards <= 64 ? g_pages : NULL, .opts = &g_opts};
	qoutputs outs;
	qoutputs_init(&outs);
	qbstatus st = qbackend_epub.write(&job, &outs);
	if (st == QB_OK && outs.n == 1)
		qbuf_put(out, outs.v[0].data.ptr, outs.v[0].data.len);
	else
		qdiags_print(&diags, stdout, true);
	qoutputs_free(&outs);
	qdiags_free(&diags);
	return st;
}

/* The bytes of one entry (NUL-terminated, caller frees), or NULL. */
static char *entry(const qbuf *epub, const char *name, size_t *len)
{
	return tzip_member(epub->ptr, epub->len, name, len);
}

static int entry_count(const qbuf *epub)
{
	static tzip_entry e[1024];
	return tzip_list(epub->ptr, epub->len, e, 1024);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0, k = strlen(needle);
	for (const char *p = hay; (p = strstr(p, needle)); p += k)
		n++;
	return n;
}

/* ---- epubcheck ----------------------------------------------------
 * Books worth judging are kept in a temporary folder and checked at the
 * end in one JVM (epubcheck's start-up costs seconds), with a small Java
 * program run from source; without a JDK, one JVM per book. */

static char g_dir[64];
static char g_books[16][160];
static char g_tags[16][48];
static int g_nbooks;

static const char batch_java[] =
	"import com.adobe.epubcheck.tool.EpubChecker;\n"
	"public class Batch {\n"
	"  public static void main(String[] args) {\n"
	"    for (String f : args) {\n"
	"      System.out.println(\"=== book \" + f);\n"
	"      new EpubChecker().run(new String[] {f});\n"
	"    }\n"
	"  }\n"
	"}\n";

static bool write_file(const char *path, const char *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return false;
	bool ok = fwrite(data, 1, n, f) == n;
	return fclose(f) == 0 && ok;
}

/* Keep a book for epubcheck; false when it cannot be written. */
static bool keep_book(const qbuf *epub, const char *tag)
{
	if (!g_dir[0]) {
		strcpy(g_dir, "/tmp/quire-test-epub-XXXXXX");
		if (!mkdtemp(g_dir))
			return false;
	}
	if (g_nbooks == 16)
		return false;
	snprintf(g_books[g_nbooks], sizeof g_books[0], "%s/book%d.epub", g_dir,
		 g_nbooks);
	snprintf(g_tags[g_nbooks], sizeof g_tags[0], "%s", tag);
	if (!write_file(g_books[g_nbooks], epub->ptr, epub->len))
		return false;
	g_nbooks++;
	return true;
}

/* The "Messages:" line epubcheck printed for book i in the log. */
static bool verdict(const char *log, int i, char *out, size_t n)
{
	qbuf mark = QBUF_INIT;
	qbuf_printf(&mark, "=== book %s\n", g_books[i]);
	const char *p = strstr(log, mark.ptr);
	qbuf_free(&mark);
	const char *end = p ? strstr(p + 1, "=== book ") : NULL;
	const char *m = p ? strstr(p, "Messages:") : NULL;
	if (!m || (end && m > end))
		return false;
	snprintf(out, n, "%.*s", (int)strcspn(m, "\n"), m);
	return true;
}

static void run_epubcheck(const char *logpath)
{
	char path[128];
	snprintf(path, sizeof path, "%s/Batch.java", g_dir);
	qbuf cmd = QBUF_INIT;
	qbuf_printf(&cmd, "java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "
		    EPUBCHECK " %s", path);
	for (int i = 0; i < g_nbooks; i++)
		qbuf_printf(&cmd, " %s", g_books[i]);
	qbuf_printf(&cmd, " > %s 2>&1", logpath);
	if (!write_file(path, batch_java, sizeof batch_java - 1)
	    || system(cmd.ptr) != 0) {
		qbuf_reset(&cmd);
		qbuf_printf(&cmd, ": > %s", logpath);
		for (int i = 0; i < g_nbooks; i++)
			qbuf_printf(&cmd, "; echo '=== book %s' >> %s; java -jar "
				    EPUBCHECK " %s >> %s 2>&1", g_books[i],
				    logpath, g_books[i], logpath);
		if (system(cmd.ptr) != 0)
			printf("# epubcheck did not run\n");
	}
	unlink(path);
	qbuf_free(&cmd);
}

/* One "ok" line per kept book: epubcheck reports nothing at all. */
static void epubcheck_kept_books(void)
{
	char logpath[96];
	snprintf(logpath, sizeof logpath, "%s/epubcheck.log", g_dir);
	bool have = access(EPUBCHECK, R_OK) == 0;
	if (have)
		run_epubcheck(logpath);
	qbuf log = QBUF_INIT;
	FILE *f = have ? fopen(logpath, "r") : NULL;
	char chunk[4096];
	size_t got;
	while (f && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
		qbuf_put(&log, chunk, got);
	if (f)
		fclose(f);
	for (int i = 0; i < g_nbooks; i++) {
		char v[160] = "";
		bool found = verdict(log.ptr, i, v, sizeof v);
		if (found && strstr(v, "0 fatals / 0 errors / 0 warnings")) {
			printf("ok - epubcheck %s\n", g_tags[i]);
		} else {
			printf("not ok - epubcheck %s: %s\n", g_tags[i],
			       !have ? "epubcheck is not installed (make deps-test)"
			       : found ? v : "no verdict");
			testing_failed_++;
		}
		unlink(g_books[i]);
	}
	if (g_dir[0] && !getenv("QUIRE_KEEP_EPUBCHECK_LOG")) {
		unlink(logpath);
		rmdir(g_dir);
	}
	qbuf_free(&log);
}

/* ---- tests ------------------------------------------------------- */

TEST(identifier_is_stable_uuid)
{
	char a[64], b[64], c[64];
	qepub_identifier("Notes", "python", a);
	qepub_identifier("Notes", "python", b);
	qepub_identifier("Notes", "rust", c);
	CHECK_STR(a, b);
	CHECK(strcmp(a, c) != 0);
	CHECK_INT(strlen(a), 9 + 36);
	CHECK(strncmp(a, "urn:uuid:", 9) == 0);
	CHECK(a[9 + 8] == '-' && a[9 + 13] == '-' && a[9 + 18] == '-'
	      && a[9 + 23] == '-');
	CHECK(a[9 + 14] == '5');   /* version 5 */
	CHECK(strchr("89ab", a[9 + 19]) != NULL);
}

TEST(dates_and_languages)
{
	char t[32];
	qepub_w3cdtf(0, t);
	CHECK_STR(t, "1970-01-01T00:00:00Z");
	qepub_w3cdtf(1700000000, t);
	CHECK_STR(t, "2023-11-14T22:13:20Z");
	CHECK(qepub_lang_ok("en"));
	CHECK(qepub_lang_ok("en-US"));
	CHECK(qepub_lang_ok("zh-Hant-TW"));
	CHECK(!qepub_lang_ok(""));
	CHECK(!qepub_lang_ok("e"));
	CHECK(!qepub_lang_ok("en_US"));
	CHECK(!qepub_lang_ok("en-"));
	CHECK(!qepub_lang_ok("english language"));
}

TEST(container_layout)
{
	qdoc *d = sample_doc();
	qbuf e = QBUF_INIT;
	CHECK_INT(build(d, false, &e), QB_OK);
	const unsigned char *p = (const unsigned char *)e.ptr;
	CHECK(e.len > 100);
	CHECK(memcmp(p, "PK\3\4", 4) == 0);
	CHECK_INT(p[8] | p[9] << 8, 0);           /* stored */
	CHECK_INT(p[26] | p[27] << 8, 8);         /* name length */
	CHECK_INT(p[28] | p[29] << 8, 0);         /* no extra field */
	CHECK(memcmp(p + 30, "mimetypeapplication/epub+zip", 28) == 0);
	/* the fixed files and 3 chapters */
	CHECK_INT(entry_count(&e), FIXED_FILES + 3);
	char *opf = entry(&e, "EPUB/package.opf", NULL);
	CHECK(opf);
	CHECK(strstr(opf, "<dc:title>Python &amp; FastAPI &lt;Notes&gt;</dc:title>"));
	CHECK(strstr(opf, "<dc:creator>Ada</dc:creator>"));
	CHECK(strstr(opf, "<dc:language>en</dc:language>"));
	CHECK(strstr(opf, "\"dcterms:modified\">2023-11-14T22:13:20Z<"));
	CHECK(strstr(opf, "schema:accessibilitySummary"));
	CHECK(strstr(opf, "properties=\"nav\""));
	CHECK(strstr(opf, "<spine toc=\"ncx\">"));
	char *ncx = entry(&e, "EPUB/toc.ncx", NULL);
	char ident[64];
	qepub_identifier(d->title, d->stem, ident);
	char want[128];
	snprintf(want, sizeof want, "name=\"dtb:uid\" content=\"%s\"", ident);
	CHECK(ncx && strstr(ncx, want));
	CHECK(strstr(opf, ident));
	free(opf);
	free(ncx);
	qbuf_free(&e);
	qdoc_free(d);
}

TEST(chapters_questions_and_nav)
{
	qdoc *d = sample_doc();
	memset(g_pages, 0, sizeof g_pages);
	g_pages[1] = 7;
	qbuf e = QBUF_INIT;
	CHECK_INT(build(d, false, &e), QB_OK);
	char *front = entry(&e, "EPUB/ch0001.xhtml", NULL);
	char *c2 = entry(&e, "EPUB/ch0002.xhtml", NULL);
	char *c3 = entry(&e, "EPUB/ch0003.xhtml", NULL);
	char *nav = entry(&e, "EPUB/nav.xhtml", NULL);
	CHECK(front && c2 && c3 && nav);
	CHECK(strstr(front, "alpha") && strstr(front, "beta"));
	CHECK(strstr(c2, "🔹 Python Core") && strstr(c2, "🧵 →"));
	/* each question a heading with its anchor; sections nest by level */
	char want[256];
	snprintf(want, sizeof want, "<h2 class=\"question\" id=\"%s\">"
		 "<span class=\"qnum\">1.</span> What is the GIL? <span",
		 d->cards[1]->u.card.anchor);
	CHECK(strstr(c2, want));
	snprintf(want, sizeof want, "<h2 class=\"section\" id=\"%s\">Deeper</h2>",
		 d->sections[1]->u.section.anchor);
	CHECK(strstr(c2, want));
	/* beside the question, small, its booklet page; a page-list of the
	 * booklet's pages 1 to 7 (the others are before the question) */
	snprintf(want, sizeof want, "What is the GIL? <span class=\"booklet-page\" "
		 "title=\"page 7 of the printed booklet\">p.\xc2\xa0" "7</span></h2>");
	CHECK(strstr(c2, want));
	CHECK(count(c2, "class=\"booklet-page\"") == 1);
	CHECK(strstr(c2, "<span class=\"pagebreak\" epub:type=\"pagebreak\" "
		     "role=\"doc-pagebreak\" id=\"page-7\" aria-label=\"7\"></span>\n"
		     "<div class=\"card\">"));
	CHECK(strstr(nav, "<nav epub:type=\"page-list\""));
	CHECK(strstr(nav, "<li><a href=\"ch0001.xhtml#page-1\">1</a></li>"));
	CHECK(strstr(nav, "<li><a href=\"ch0002.xhtml#page-7\">7</a></li>"));
	CHECK_INT(count(nav, "#page-"), 7);
	CHECK(strstr(c2, "<pre class=\"code\""));
	/* nav: sections, and cards one level down, in their chapters */
	snprintf(want, sizeof want, "<a href=\"ch0002.xhtml#%s\">",
		 d->cards[2]->u.card.anchor);
	CHECK(strstr(nav, want));
	CHECK(strstr(nav, "epub:type=\"landmarks\""));
	CHECK(count(nav, "<ol>") == count(nav, "</ol>"));
	CHECK(count(nav, "<li>") == count(nav, "</li>"));
	CHECK_INT(count(nav, "<li>"), 1 + d->nsections + d->ncards + 4 + 7);
	free(front);
	free(c2);
	free(c3);
	free(nav);
	qbuf_free(&e);
	qdoc_free(d);
	memset(g_pages, 0, sizeof g_pages);
}

/* Every card's booklet page: the last page mark before each question is
 * its page; every page from 1 to the last is in the page-list once, in
 * order, and points at its mark; pages on which no question starts are
 * marked in between. Both answer modes; epubcheck judges the books. */
TEST(page_list_matches_the_booklet)
{
	qdoc *d = qdoc_new();
	d->title = "Pages";
	d->stem = "pages";
	char filler[900], q[64];
	memset(filler, 'w', sizeof filler - 1);
	for (int i = 0; i < (int)sizeof filler - 1; i += 9)
		filler[i] = ' ';
	filler[sizeof filler - 1] = '\0';
	for (int k = 0; k < 3; k++) {
		qnode *s = section(d, d->root, 1, "Part");
		for (int i = 0; i < 20; i++) {
			snprintf(q, sizeof q, "What is %d.%d?", k, i);
			card(d, s, NULL, qdoc_strdup(d, q, strlen(q)), para(d, filler));
		}
		for (int i = 0; i < 30; i++)   /* prose: pages without questions */
			qnode_append(s, para(d, filler));
	}
	qdoc_index(d);
	memset(g_pages, 0, sizeof g_pages);
	for (int i = 0; i < d->ncards; i++)
		g_pages[i] = 2 + i / 3 + (i / 20) * 8;   /* 3 per page, gaps */
	int last = g_pages[d->ncards - 1];
	for (int popup = 0; popup < 2; popup++) {
		qbuf e = QBUF_INIT;
		CHECK_INT(build(d, popup, &e), QB_OK);
		char *nav = entry(&e, "EPUB/nav.xhtml", NULL);
		char *opf = entry(&e, "EPUB/package.opf", NULL);
		CHECK(nav && opf);
		CHECK(strstr(opf, "<dc:source id=\"booklet\">pages.pdf,"));
		CHECK(strstr(opf, "<meta refines=\"#booklet\" property=\"source-of\">"
			     "pagination</meta>"));
		CHECK(strstr(opf, ">pageBreakMarkers<"));
		CHECK_INT(count(nav, "#page-"), last);
		qbuf all = QBUF_INIT;
		for (int i = 1; i < 40; i++) {
			char name[40];
			snprintf(name, sizeof name, "EPUB/ch%04d.xhtml", i);
			char *ch = entry(&e, name, NULL);
			if (!ch)
				break;
			qbuf_puts(&all, ch);
			free(ch);
		}
		/* the page-list in order, each entry to its own mark */
		const char *p = nav;
		for (int pg = 1; pg <= last; pg++) {
			char want[64];
			snprintf(want, sizeof want, "#page-%d\">%d</a>", pg, pg);
			p = strstr(p, want);
			CHECK(p);
			snprintf(want, sizeof want, "id=\"page-%d\"", pg);
			CHECK_INT(count(all.ptr, want), 1);
		}
		/* the last mark before each question is its page */
		int mark = 0, cardno = 0;
		for (const char *c = all.ptr; (c = strpbrk(c, "<")); c++) {
			static const char pb[] = "<span class=\"pagebreak\"";
			static const char qh[] = "<h2 class=\"question\"";
			if (strncmp(c, pb, sizeof pb - 1) == 0)
				mark = atoi(strstr(c, "id=\"page-") + 9);
			else if (strncmp(c, qh, sizeof qh - 1) == 0)
				CHECK_INT(mark, g_pages[cardno++]);
		}
		CHECK_INT(cardno, d->ncards);
		free(nav);
		free(opf);
		qbuf_free(&all);
		CHECK(keep_book(&e, popup ? "page-list popup" : "page-list inline"));
		qbuf_free(&e);
	}
	memset(g_pages, 0, sizeof g_pages);
	qdoc_free(d);
}

TEST(links_ids_and_html_are_cleaned)
{
	qdoc *d = sample_doc();
	qbuf e = QBUF_INIT;
	CHECK_INT(build(d, false, &e), QB_OK);
	char *c3 = entry(&e, "EPUB/ch0003.xhtml", NULL);
	CHECK(c3);
	char want[160];
	snprintf(want, sizeof want, "<a href=\"ch0002.xhtml#%s\">see the GIL",
		 d->cards[1]->u.card.anchor);
	CHECK(strstr(c3, want));
	CHECK(!strstr(c3, "href=\"javascript"));
	CHECK(!strstr(c3, "href=\"JavaScript"));
	CHECK(!strstr(c3, "href=\"other"));
	CHECK(strstr(c3, "bad link (javascript:alert(1))"));
	CHECK(strstr(c3, "relative link (other.html)"));
	CHECK(strstr(c3, "note link") && !strstr(c3, "other%20note"));   /* its text names it */
	CHECK(strstr(c3, "file link (file:///etc/passwd)"));
	CHECK(strstr(c3, "smb link (smb://host/share)"));
	CHECK(strstr(c3, "<a>hidden file</a> <a>hidden smb</a> <a>ftp</a>"));
	/* the one URL policy: every link is https or the book's own */
	for (const char *h = c3; (h = strstr(h, "href=\"")); h += 6)
		CHECK(strncmp(h + 6, "https://", 8) == 0
		      || strncmp(h + 6, "ch0002.xhtml#", 13) == 0
		      || strncmp(h + 6, "highlight.css", 13) == 0
		      || strncmp(h + 6, "book.css", 8) == 0);
	CHECK(strstr(c3, "<a>html link</a>"));
	CHECK(strstr(c3, "href=\"https://example.com/a%20b?x=1&amp;y=%C3%A9\""));
	CHECK(!strstr(c3, "q-dup"));
	CHECK(!strstr(c3, "onclick"));
	CHECK(!strstr(c3, "<script"));
	CHECK(!strstr(c3, "evil"));
	CHECK(!strstr(c3, "<img"));
	CHECK(strstr(c3, "<span class=\"img-alt\">diagram</span>"));
	CHECK(strstr(c3, "kept delta"));
	free(c3);
	CHECK(keep_book(&e, "sample inline"));
	qbuf_free(&e);
	qdoc_free(d);
}

TEST(popup_answers_are_footnotes)
{
	qdoc *d = sample_doc();
	qbuf e = QBUF_INIT;
	CHECK_INT(build(d, true, &e), QB_OK);
	char *c2 = entry(&e, "EPUB/ch0002.xhtml", NULL);
	CHECK(c2);
	const char *id = d->cards[1]->u.card.anchor + 2;
	char want[200];
	snprintf(want, sizeof want, "epub:type=\"noteref\" role=\"doc-noteref\" "
		 "id=\"r-%s\" href=\"#a-%s\"", id, id);
	CHECK(strstr(c2, want));
	snprintf(want, sizeof want, "<aside class=\"answer\" epub:type=\"footnote\" "
		 "role=\"doc-footnote\" id=\"a-%s\">", id);
	const char *aside = strstr(c2, want);
	CHECK(aside);
	/* the answer comes after every question of the chapter */
	CHECK(strstr(c2, "one thread") > aside);
	CHECK(strstr(c2, "Explain *args?") < aside);
	CHECK_INT(count(c2, "epub:type=\"noteref\""), 2);
	CHECK_INT(count(c2, "epub:type=\"footnote\""), 2);
	free(c2);
	CHECK(keep_book(&e, "sample popup"));
	qbuf_free(&e);
	qdoc_free(d);
}

TEST(builds_are_byte_identical)
{
	qdoc *d = sample_doc();
	qbuf a = QBUF_INIT, b = QBUF_INIT;
	CHECK_INT(build(d, false, &a), QB_OK);
	CHECK_INT(build(d, false, &b), QB_OK);
	CHECK(a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0);
	qbuf_free(&a);
	qbuf_free(&b);
	qdoc_free(d);
}

TEST(empty_document)
{
	qdoc *d = qdoc_new();
	qdoc_index(d);
	qbuf e = QBUF_INIT;
	CHECK_INT(build(d, false, &e), QB_OK);
	CHECK_INT(entry_count(&e), FIXED_FILES);
	CHECK(keep_book(&e, "empty document"));
	qbuf_free(&e);
	qdoc_free(d);
}

/* A topic card's question is its section's title: the chapter shows the
 * title once, and the card keeps its anchor (as the booklet does). */
TEST(topic_card_shows_its_title_once)
{
	qdoc *d = qdoc_new();
	d->title = "Topics";
	d->root = qnode_new(d, QN_DOCUMENT, 1);
	qnode *s = section(d, d->root, 1, "Volumes");
	qnode *c = card(d, s, NULL, "Volumes", para(d, "Data that outlives a container."));
	c->u.card.topic = true;
	qdoc_index(d);
	qbuf e = QBUF_INIT;
	CHECK_INT(build(d, false, &e), QB_OK);
	char *ch = entry(&e, "EPUB/ch0001.xhtml", NULL);
	CHECK(ch != NULL);
	if (ch) {
		CHECK_INT((int)count(ch, ">Volumes</h"), 1);
		CHECK(strstr(ch, "<div class=\"card\" id=\"q-") != NULL);
		CHECK(strstr(ch, "class=\"question\"") == NULL);
	}
	free(ch);
	CHECK(keep_book(&e, "topic card"));
	qbuf_free(&e);
	qdoc_free(d);
}

/* Sections nested far deeper than h6, a card at every level, an empty
 * title and an empty question, a bad language tag. */
TEST(deep_nesting_and_empty_names)
{
	qdoc *d = qdoc_new();
	d->title = "Deep";
	d->lang = "not a tag";
	qnode *p = d->root;
	for (int i = 0; i < 40; i++) {
		p = section(d, p, i + 1, i == 3 ? "" : "Level");
		card(d, p, NULL, i == 5 ? "" : "Why so deep?", para(d, "Because."));
	}
	qdoc_index(d);
	qbuf e = QBUF_INIT;
	CHECK_INT(build(d, false, &e), QB_OK);
	char *nav = entry(&e, "EPUB/nav.xhtml", NULL);
	CHECK(nav);
	CHECK_INT(count(nav, "<ol>"), count(nav, "</ol>"));
	CHECK(strstr(nav, ">Section 4</a>"));
	CHECK(strstr(nav, ">Question 6</a>"));
	char *ch = entry(&e, "EPUB/ch0001.xhtml", NULL);
	CHECK(ch && strstr(ch, "lang=\"en\""));
	CHECK(!strstr(ch, "<h7"));
	free(ch);
	free(nav);
	CHECK(keep_book(&e, "deep nesting"));
	qbuf_free(&e);
	qdoc_free(d);
}

/* One top-level section of about 1.5 MB: split into chapters of about
 * 100 KB (the limit plus at most one card), each question linked from
 * the nav to the file that holds it. */
TEST(big_section_is_split)
{
	qdoc *d = qdoc_new();
	d->title = "Big";
	qnode *s = section(d, d->root, 1, "Everything");
	char filler[1100];
	memset(filler, 'w', sizeof filler - 1);
	for (int i = 0; i < (int)sizeof filler - 1; i += 10)
		filler[i] = ' ';
	filler[sizeof filler - 1] = '\0';
	char q[64];
	for (int i = 0; i < 1400; i++) {
		snprintf(q, sizeof q, "What is item %d?", i);
		card(d, i % 100 == 50 ? section(d, s, 2, "Part") : s, NULL,
		     qdoc_strdup(d, q, strlen(q)), para(d, filler));
	}
	qdoc_index(d);
	qbuf e = QBUF_INIT;
	CHECK_INT(build(d, false, &e), QB_OK);
	int n = entry_count(&e) - FIXED_FILES;
	CHECK(n >= 15);
	char *nav = entry(&e, "EPUB/nav.xhtml", NULL);
	CHECK(nav);
	for (int i = 1; i <= n; i++) {
		char name[40];
		snprintf(name, sizeof name, "EPUB/ch%04d.xhtml", i);
		size_t len = 0;
		char *ch = entry(&e, name, &len);
		CHECK(ch);
		CHECK(len <= QEPUB_CHAPTER_MAX + 2048);
		CHECK(i == n || len >= QEPUB_CHAPTER_MAX);
		CHECK(i == 1 || strstr(ch, "Everything (continued)"));
		free(ch);
	}
	for (int i = 0; i < d->ncards; i += 97) {
		const char *a = d->cards[i]->u.card.anchor;
		const char *hit = strstr(nav, a);
		CHECK(hit);
		const char *file = hit - 13;   /* "chNNNN.xhtml#" */
		char name[40];
		snprintf(name, sizeof name, "EPUB/%.12s", file);
		char *ch = entry(&e, name, NULL);
		if (!ch)
			printf("# %s: %s not found\n", a, name);
		char id[80];
		snprintf(id, sizeof id, "id=\"%s\"", a);
		CHECK(ch && strstr(ch, id));
		free(ch);
	}
	free(nav);
	qbuf_free(&e);
	qdoc_free(d);
}

/* Over 2000 entries: the NCX keeps the sections, the nav every card. */
TEST(big_ncx_lists_sections)
{
	qdoc *d = qdoc_new();
	d->title = "Many";
	char q[64];
	for (int k = 0; k < 3; k++) {
		qnode *s = section(d, d->root, 1, "Part");
		for (int i = 0; i < 700; i++) {
			snprintf(q, sizeof q, "Why %d.%d?", k, i);
			card(d, s, NULL, qdoc_strdup(d, q, strlen(q)), para(d, "So."));
		}
	}
	qdoc_index(d);
	qbuf e = QBUF_INIT;
	CHECK_INT(build(d, false, &e), QB_OK);
	char *ncx = entry(&e, "EPUB/toc.ncx", NULL);
	char *nav = entry(&e, "EPUB/nav.xhtml", NULL);
	CHECK(ncx && nav);
	CHECK_INT(count(ncx, "<navPoint "), 1 + 3);
	CHECK_INT(count(ncx, "#q-"), 0);
	CHECK_INT(count(nav, "#q-"), 2100);
	free(ncx);
	free(nav);
	qbuf_free(&e);
	qdoc_free(d);
}

/* A 1 MB code block (one card cannot be split), a separator before the
 * first section (no chapter of its own), an HTML comment. */
TEST(huge_code_and_leading_rule)
{
	qdoc *d = qdoc_new();
	d->title = "Huge";
	qnode_append(d->root, text_node(d, QN_RULE, ""));
	qnode *s = section(d, d->root, 1, "Code");
	size_t n = (size_t)1 << 20;
	char *big = malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		big[i] = i % 64 == 63 ? '\n' : (char)('a' + i % 26);
	big[n] = '\0';
	card(d, s, NULL, "What is in the big file?", code(d, "python", big));
	free(big);
	card(d, s, NULL, "And after it?", text_node(d, QN_HTML,
		"<p>kept<!-- a <b>comment</b> --> text</p>"));
	qdoc_index(d);
	qbuf e = QBUF_INIT;
	CHECK_INT(build(d, false, &e), QB_OK);
	CHECK_INT(entry_count(&e), FIXED_FILES + 2);   /* the code card, then the next */
	size_t len = 0;
	char *ch = entry(&e, "EPUB/ch0001.xhtml", &len);
	CHECK(ch && len > n);
	CHECK(strstr(ch, "class=\"section\""));
	free(ch);
	ch = entry(&e, "EPUB/ch0002.xhtml", NULL);
	CHECK(ch && strstr(ch, "Code (continued)"));
	CHECK(strstr(ch, "<p>kept<!-- a <b>comment</b> --> text</p>"));
	free(ch);
	qbuf_free(&e);
	qdoc_free(d);
}

/* The navigation document and the NCX name questions and sections in
 * plain text: no backticks, no bare "Q:", no decorations; a number that
 * counts stays. */
TEST(nav_labels_are_plain_text)
{
	qdoc *d = qdoc_new();
	d->title = "Plain";
	qnode *s = section(d, d->root, 1, "🔹 The `asyncio` module");
	s->u.section.plain = "🔹 The asyncio module";
	s->u.section.name = "The asyncio module";
	qnode *c = card(d, s, "Q:", "What does `gather` do?", para(d, "Runs them."));
	qnode *q = c->first;
	q->first = q->last = NULL;
	qnode_append(q, text_node(d, QN_TEXT, "What does "));
	qnode_append(q, text_node(d, QN_CODE_SPAN, "gather"));
	qnode_append(q, text_node(d, QN_TEXT, " do?"));
	qbuf plain = QBUF_INIT;
	qnode_plain(q, &plain);
	c->u.card.plain = qdoc_strdup(d, plain.ptr, plain.len);
	qbuf_free(&plain);
	card(d, s, "12.", "Why `await`?", para(d, "To wait."))->u.card.plain = "Why await?";
	qdoc_index(d);
	qbuf e = QBUF_INIT;
	CHECK_INT(build(d, false, &e), QB_OK);
	char *nav = entry(&e, "EPUB/nav.xhtml", NULL);
	char *ncx = entry(&e, "EPUB/toc.ncx", NULL);
	char *ch = entry(&e, "EPUB/ch0001.xhtml", NULL);
	CHECK(nav && ncx && ch);
	CHECK(strstr(nav, ">What does gather do?</a>"));
	CHECK(strstr(nav, ">12. Why await?</a>"));
	CHECK(strstr(nav, ">The asyncio module</a>"));
	CHECK(strstr(ncx, "<text>What does gather do?</text>"));
	CHECK(strstr(ncx, "<text>12. Why await?</text>"));
	CHECK(strstr(ncx, "<text>The asyncio module</text>"));
	CHECK(!strchr(nav, '`') && !strchr(ncx, '`') && !strstr(nav, "Q:"));
	/* the chapter shows the question as written */
	CHECK(strstr(ch, "What does <code>gather</code> do?"));
	free(nav);
	free(ncx);
	free(ch);
	qbuf_free(&e);
	qdoc_free(d);
}

/* The book's language sets its direction; text that starts the other
 * way is marked where it does, in the chapters and the navigation. */
TEST(right_to_left)
{
	static const char *const ar = "\xd9\x85\xd8\xa7 \xd9\x87\xd9\x88\xd8\x9f";
	for (int k = 0; k < 2; k++) {
		qdoc *d = qdoc_new();
		d->title = "Bidi";
		d->lang = k ? "ar" : "en";
		qnode *s = section(d, d->root, 1, ar);
		card(d, s, NULL, ar, para(d, "\xd8\xa8 \xd8\xa8"));
		card(d, s, NULL, "What is it?", para(d, "English."));
		qdoc_index(d);
		qbuf e = QBUF_INIT;
		CHECK_INT(build(d, false, &e), QB_OK);
		char *ch = entry(&e, "EPUB/ch0001.xhtml", NULL);
		char *nav = entry(&e, "EPUB/nav.xhtml", NULL);
		char *opf = entry(&e, "EPUB/package.opf", NULL);
		CHECK(ch && nav && opf);
		if (k) {
			CHECK(strstr(ch, "lang=\"ar\" xml:lang=\"ar\" dir=\"rtl\">"));
			CHECK(strstr(opf, "<spine toc=\"ncx\" page-progression-direction=\"rtl\">"));
			CHECK(strstr(ch, "class=\"question\" id=\"q-"));
			CHECK(strstr(ch, "\" dir=\"ltr\">What is it?</h2>"));
			CHECK(strstr(ch, "<p dir=\"ltr\">English.</p>"));
			CHECK(strstr(nav, "dir=\"ltr\">What is it?</a>"));
			CHECK(!strstr(ch, "dir=\"rtl\"><") && count(ch, "dir=\"rtl\"") == 1);
		} else {
			CHECK(!strstr(ch, "<html dir") && !strstr(opf, "page-progression"));
			CHECK_INT(count(ch, "dir=\"rtl\""), 3);   /* section, question, answer */
			CHECK(!strstr(ch, "dir=\"ltr\""));
			CHECK_INT(count(nav, "dir=\"rtl\""), 2);
		}
		free(ch);
		free(nav);
		free(opf);
		CHECK(keep_book(&e, k ? "right to left (ar)" : "right to left (en)"));
		qbuf_free(&e);
		qdoc_free(d);
	}
}

/* Callouts are framed notes with their title; footnotes are EPUB 3
 * footnotes at the end of every chapter that refers to them, with a
 * link back from the first reference; a footnote nothing refers to is
 * still shown; the inline nodes have their elements. */
TEST(callouts_footnotes_and_inlines)
{
	qdoc *d = features_doc();
	for (int popup = 0; popup < 2; popup++) {
		qbuf e = QBUF_INIT;
		CHECK_INT(build(d, popup, &e), QB_OK);
		char *c1 = entry(&e, "EPUB/ch0001.xhtml", NULL);
		char *c2 = entry(&e, "EPUB/ch0002.xhtml", NULL);
		CHECK(c1 && c2);
		CHECK(strstr(c1, "<div class=\"callout callout-warning\" role=\"note\">\n"
			     "<p class=\"callout-title\">Mind the GIL</p>\n"
			     "<p>One thread runs Python code at a time.</p>\n</div>"));
		CHECK(strstr(c1, "<div class=\"callout callout-tip\" role=\"note\">\n"
			     "<p class=\"callout-title\">Tip</p>\n"));
		/* a level-5 heading in the answer: one below the question
		 * (inline), or below "Answers" (pop-up) */
		CHECK(strstr(c1, "<h3 class=\"sub\">Details</h3>"));
		CHECK(strstr(c1, "H<sub>2</sub>O") && strstr(c1, "r<sup>2</sup>")
		      && strstr(c1, "<del>wrong</del>") && strstr(c1, "<mark>marked</mark>")
		      && strstr(c1, "alttext=\"e^{i\\pi} + 1 = 0\"><mrow><msup><mi>e</mi>")
		      && strstr(c1, "<span class=\"cloze\">hidden</span>")
		      && strstr(c1, "display=\"block\" alttext=\"\\sum_{k=1}"));
		/* references: the first of each note has an id */
		CHECK(strstr(c1, "<sup class=\"footref\"><a id=\"fnref-1\" class=\"footref\" "
			     "epub:type=\"noteref\" role=\"doc-noteref\" href=\"#fn-1\">1</a></sup>"));
		CHECK_INT(count(c1, "href=\"#fn-1\""), 2);
		CHECK_INT(count(c1, "id=\"fnref-1\""), 1);
		CHECK_INT(count(c1, "id=\"fnref-2\""), 1);
		/* the notes at the end, once each, with a link back */
		CHECK(strstr(c1, "<section class=\"footnotes\" epub:type=\"footnotes\">"));
		CHECK_INT(count(c1, "<aside class=\"footnote\" epub:type=\"footnote\" "
				"role=\"doc-footnote\" id=\"fn-1\">"), 1);
		CHECK_INT(count(c1, "id=\"fn-2\""), 1);
		CHECK(strstr(c1, "<a href=\"#fnref-2\" role=\"doc-backlink\">2</a>"));
		CHECK(strstr(c1, "The first note") && strstr(c1, "The named note."));
		CHECK(!strstr(c1, "Nothing refers to me."));
		/* another chapter lists note 1 again, and the note it refers
		 * to; the lonely note is shown where it stands (labelled with
		 * its number, as every note is) */
		CHECK_INT(count(c2, "id=\"fn-1\""), 1);
		CHECK_INT(count(c2, "id=\"fn-2\""), 1);
		CHECK_INT(count(c2, "id=\"fnref-2\""), 1);   /* in note 1 */
		CHECK(strstr(c2, "<div class=\"footnote\">\n<p class=\"footnote-label\">3</p>"));
		CHECK(strstr(c2, "Nothing refers to me."));
		free(c1);
		free(c2);
		CHECK(keep_book(&e, popup ? "features popup" : "features inline"));
		qbuf_free(&e);
	}
	qdoc_free(d);
}

/* Local images are in the book, once each, in the manifest with their
 * media type and alt text; images that cannot be kept show their alt
 * text and address, with a warning naming the line. */
TEST(local_images_are_kept)
{
	qdoc *d = images_doc(false);
	qdiags diags;
	qdiags_init(&diags, "test.md");
	qepub_opts o = {0};
	qjob job = {.doc = d, .epoch = 1700000000, .share = ".", .diags = &diags,
		    .opts = &o};
	qoutputs outs;
	qoutputs_init(&outs);
	CHECK_INT(qbackend_epub.write(&job, &outs), QB_OK);
	qbuf e = QBUF_INIT;
	qbuf_put(&e, outs.v[0].data.ptr, outs.v[0].data.len);
	qoutputs_free(&outs);
	char *ch = entry(&e, "EPUB/ch0001.xhtml", NULL);
	char *opf = entry(&e, "EPUB/package.opf", NULL);
	size_t len = 0;
	char *png = entry(&e, "EPUB/images/i0001.png", &len);
	CHECK(ch && opf && png);
	CHECK(len == sizeof png_4x3 - 1 && memcmp(png, png_4x3, len) == 0);
	free(png);
	CHECK(strstr(ch, "<img src=\"images/i0001.png\" alt=\"a red box\"/>"));
	CHECK(strstr(ch, "<img src=\"images/i0002.jpg\" alt=\"a blue box\"/>"));
	CHECK(strstr(ch, "<img src=\"images/i0003.gif\" alt=\"a dot\"/>"));
	CHECK(strstr(ch, "<img src=\"images/i0004.svg\" alt=\"a circle\"/>"));
	CHECK(strstr(ch, "<img src=\"images/i0001.png\" alt=\"the red box again\"/>"));
	CHECK(strstr(ch, "<span class=\"img-alt\">a remote chart</span> "
		     "(https://example.org/remote.png)"));
	CHECK(strstr(ch, "<span class=\"img-alt\">a webp</span> (e.webp)"));
	CHECK(strstr(ch, "<span class=\"img-alt\">a scripted svg</span> (f.svg)"));
	CHECK(strstr(ch, "<span class=\"img-alt\">a lost picture</span> (missing.png)"));
	CHECK(strstr(opf, "href=\"images/i0001.png\" media-type=\"image/png\""));
	CHECK(strstr(opf, "href=\"images/i0002.jpg\" media-type=\"image/jpeg\""));
	CHECK(strstr(opf, "href=\"images/i0003.gif\" media-type=\"image/gif\""));
	CHECK(strstr(opf, "href=\"images/i0004.svg\" media-type=\"image/svg+xml\""));
	CHECK(!strstr(opf, "i0005"));
	CHECK_INT(qdiags_count(&diags, "image"), 3);
	CHECK(diags.n >= 3 && diags.v[0].line == 3 && strstr(diags.v[0].msg, "e.webp"));
	qdiags_free(&diags);
	free(ch);
	free(opf);
	CHECK(keep_book(&e, "images"));
	qbuf_free(&e);
	qdoc_free(d);
}

/* The cover: the notes' cover image, or one typeset from the title,
 * subtitle and authors; first in the spine, its image the cover-image. */
TEST(cover_page)
{
	for (int k = 0; k < 2; k++) {
		qdoc *d = images_doc(k == 0);
		d->title = "A rather long title for the notes of a whole term of Python";
		d->subtitle = "Questions & answers";
		d->author = "Ada Lovelace, Grace Hopper";
		static const char *authors[] = {"Ada Lovelace", "Grace Hopper"};
		static const char *keywords[] = {"python", "asyncio"};
		d->authors = authors;
		d->nauthors = 2;
		d->keywords = keywords;
		d->nkeywords = 2;
		d->description = "Notes & answers";
		d->date = k ? "2024-05" : "May 2024";
		qbuf e = QBUF_INIT;
		CHECK_INT(build(d, false, &e), QB_OK);
		char *cover = entry(&e, "EPUB/cover.xhtml", NULL);
		char *opf = entry(&e, "EPUB/package.opf", NULL);
		CHECK(cover && opf);
		CHECK(strstr(opf, "<itemref idref=\"cover\"/>\n    <itemref idref=\"title\"/>"));
		/* the metadata: title and subtitle, each author, description,
		 * subjects, a date only when it is one */
		CHECK(strstr(opf, "<dc:title id=\"maintitle\">A rather long title"));
		CHECK(strstr(opf, "<dc:title id=\"subtitle\">Questions &amp; answers</dc:title>"));
		CHECK(strstr(opf, "<meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>"));
		CHECK(strstr(opf, "<dc:creator>Ada Lovelace</dc:creator>\n"
			     "    <dc:creator>Grace Hopper</dc:creator>"));
		CHECK(strstr(opf, "<dc:description>Notes &amp; answers</dc:description>"));
		CHECK(strstr(opf, "<dc:subject>python</dc:subject>\n    <dc:subject>asyncio</dc:subject>"));
		CHECK(k ? strstr(opf, "<dc:date>2024-05</dc:date>") != NULL : !strstr(opf, "dc:date"));
		char *title = entry(&e, "EPUB/title.xhtml", NULL);
		CHECK(title && strstr(title, "<p class=\"subtitle\">Questions &amp; answers</p>"));
		free(title);
		CHECK(strstr(cover, "alt=\"Cover: A rather long title for the notes of a whole "
			     "term of Python. Questions &amp; answers, by Ada Lovelace, Grace Hopper\""));
		if (k == 0) {
			CHECK(strstr(cover, "src=\"images/i0005.png\""));
			CHECK(strstr(opf, "href=\"images/i0005.png\" media-type=\"image/png\" "
				     "properties=\"cover-image\""));
		} else {
			char *svg = entry(&e, "EPUB/images/cover.svg", NULL);
			CHECK(svg && strstr(cover, "src=\"images/cover.svg\""));
			CHECK(strstr(opf, "href=\"images/cover.svg\" media-type=\"image/svg+xml\" "
				     "properties=\"cover-image\""));
			/* the title wraps; every word of it, the subtitle and the
			 * authors are on the cover */
			CHECK(count(svg, "font-weight=\"bold\"") >= 2);
			CHECK(strstr(svg, ">Questions &amp; answers</text>"));
			CHECK(strstr(svg, ">Ada Lovelace, Grace Hopper</text>"));
			CHECK(strstr(svg, "whole") && strstr(svg, "Python</text>"));
			free(svg);
		}
		free(cover);
		free(opf);
		CHECK(keep_book(&e, k ? "typeset cover" : "cover image"));
		qbuf_free(&e);
		qdoc_free(d);
	}
}

TEST(missing_style_is_an_error)
{
	qdoc *d = sample_doc();
	qepub_opts o = {.style_path = "/nonexistent/style.css"};
	qdiags diags;
	qdiags_init(&diags, "test.md");
	qjob job = {.doc = d, .share = ".", .diags = &diags, .opts = &o};
	qoutputs outs;
	qoutputs_init(&outs);
	CHECK_INT(qbackend_epub.write(&job, &outs), QB_FAILED);
	CHECK(diags.errors == 1);
	CHECK_STR(diags.v[0].file, "/nonexistent/style.css");   /* not the notes */
	qoutputs_free(&outs);
	qdiags_free(&diags);
	qdoc_free(d);
}

/* ---- the container writer ------------------------------------------ */

/* n bytes of text that deflate compresses, but not to nothing. */
static char *some_text(size_t n, unsigned seed)
{
	static const char *const words[] = {
		"alpha ", "beta ", "gamma ", "<p>", "</p>\n", "delta ", "x", "y",
	};
	char *s = malloc(n + 1);
	size_t i = 0;
	while (s && i < n) {
		seed = seed * 1103515245u + 12345u;
		for (const char *w = words[(seed >> 16) % 8]; *w && i < n; w++)
			s[i++] = *w;
		if ((seed >> 8) % 5 == 0 && i < n)
			s[i++] = (char)('a' + (seed >> 20) % 26);
	}
	if (s)
		s[n] = '\0';
	return s;
}

/* Files around the chunk size (empty, one byte, one chunk +- 1, several
 * chunks) come back whole through libzip, which checks their CRCs. */
TEST(zip_chunked_entries_read_back)
{
	const size_t c = QEPUB_ZIP_CHUNK;
	const size_t sizes[] = {0, 1, c - 1, c, c + 1, 2 * c, 3 * c + 12345};
	enum { N = sizeof sizes / sizeof sizes[0] };
	qepub_file f[N + 1];
	char names[N][24], *text[N];
	f[0] = (qepub_file){"mimetype", "application/epub+zip", 20, false};
	for (int i = 0; i < N; i++) {
		snprintf(names[i], sizeof names[i], "f%d.txt", i);
		text[i] = some_text(sizes[i], (unsigned)i + 1);
		f[i + 1] = (qepub_file){names[i], text[i], sizes[i], true};
	}
	qbuf z = QBUF_INIT;
	char err[256] = "";
	qpool *pool = qpool_new(7);
	int rc = qepub_zip_files(pool, f, N + 1, 1700000000, &z, err, sizeof err);
	qpool_free(pool);
	int bad = rc ? -2 : entry_count(&z) == N + 1 ? -1 : -3;
	for (int i = 0; i < N && bad == -1; i++) {
		size_t len = 0;
		char *got = entry(&z, names[i], &len);
		if (!got || len != sizes[i] || memcmp(got, text[i], len) != 0)
			bad = i;
		free(got);
	}
	for (int i = 0; i < N; i++)
		free(text[i]);
	qbuf_free(&z);
	if (bad != -1)
		printf("# %s, first bad file %d\n", err, bad);
	CHECK_INT(bad, -1);
}

/* A file handed over while it grows (in a buffer that moves), added in
 * another order, next to a dropped one: the same archive as when it is
 * added whole. */
TEST(zip_streamed_equals_added)
{
	const size_t n = 3 * QEPUB_ZIP_CHUNK + 777;
	char *text = some_text(n, 7);
	CHECK(text);
	qbuf a = QBUF_INIT, b = QBUF_INIT, grown = QBUF_INIT;
	char err[256];
	qepub_zip *z = qepub_zip_new(NULL, 1700000000);   /* no threads */
	qepub_zip_add(z, 0, "mimetype", "application/epub+zip", 20, false);
	qepub_zip_add(z, 1, "EPUB/a.xhtml", text, n, true);
	int rc_a = qepub_zip_finish(z, &a, err, sizeof err);
	qepub_zip_free(z);

	qpool *pool = qpool_new(7);
	z = qepub_zip_new(pool, 1700000000);
	int id = qepub_zip_begin(z, 1, "EPUB/a.xhtml");
	int gone = qepub_zip_begin(z, 2, "EPUB/gone.xhtml");
	for (size_t at = 0; at < n; at += 1000) {
		qbuf_put(&grown, text + at, n - at < 1000 ? n - at : 1000);
		qepub_zip_part(z, id, grown.ptr, grown.len);
		qepub_zip_part(z, gone, grown.ptr, grown.len);
	}
	qepub_zip_drop(z, gone);
	qepub_zip_add(z, 0, "mimetype", "application/epub+zip", 20, false);
	qepub_zip_end(z, id, grown.ptr, grown.len);
	int rc_b = qepub_zip_finish(z, &b, err, sizeof err);
	qepub_zip_free(z);
	qpool_free(pool);
	bool same = a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0;
	int count_b = entry_count(&b);
	qbuf_free(&a);
	qbuf_free(&b);
	qbuf_free(&grown);
	free(text);
	CHECK_INT(rc_a, 0);
	CHECK_INT(rc_b, 0);
	CHECK_INT(count_b, 2);
	CHECK(same);
}

/* About 400 KB of chapters (several chunks each), one of them with a
 * link to a question of the next chapter near its end, so that chunks
 * already handed over are dropped and the chapter added again. */
static qdoc *chunky_doc(void)
{
	qdoc *d = qdoc_new();
	d->title = "Chunky";
	char filler[1100], q[64];
	memset(filler, 'w', sizeof filler - 1);
	for (int i = 0; i < (int)sizeof filler - 1; i += 7)
		filler[i] = ' ';
	filler[sizeof filler - 1] = '\0';
	qnode *s[2];
	for (int k = 0; k < 2; k++) {
		s[k] = section(d, d->root, 1, k ? "Second" : "First");
		for (int i = 0; i < 160; i++) {
			snprintf(q, sizeof q, "What is %d.%d?", k, i);
			card(d, s[k], NULL, qdoc_strdup(d, q, strlen(q)), para(d, filler));
		}
	}
	qnode *last = card(d, s[0], NULL, "Where is the rest?", para(d, "Below."));
	qdoc_index(d);
	qbuf u = QBUF_INIT;
	qbuf_printf(&u, "<p><a href=\"#%s\">the next part</a></p>",
		    d->cards[200]->u.card.anchor);
	qnode_append(last->last, text_node(d, QN_HTML, qdoc_strdup(d, u.ptr, u.len)));
	qbuf_free(&u);
	return d;
}

/* The worker threads change nothing: the same bytes when the process may
 * use only one processor (no workers), in both answer modes. */
TEST(same_bytes_on_one_processor)
{
	qdoc *d = chunky_doc();
	cpu_set_t all, one;
	CHECK(sched_getaffinity(0, sizeof all, &all) == 0);
	CPU_ZERO(&one);
	for (int c = 0; c < CPU_SETSIZE; c++) {
		if (CPU_ISSET(c, &all)) {
			CPU_SET(c, &one);
			break;
		}
	}
	bool same[2] = {false, false};
	qbuf keep = QBUF_INIT;
	for (int popup = 0; popup < 2; popup++) {
		qbuf a = QBUF_INIT, b = QBUF_INIT;
		qbstatus sa = build(d, popup, &a);
		sched_setaffinity(0, sizeof one, &one);
		qbstatus sb = build(d, popup, &b);
		sched_setaffinity(0, sizeof all, &all);
		same[popup] = sa == QB_OK && sb == QB_OK && a.len == b.len
			      && memcmp(a.ptr, b.ptr, a.len) == 0;
		if (!popup)
			qbuf_put(&keep, a.ptr, a.len);
		qbuf_free(&a);
		qbuf_free(&b);
	}
	qdoc_free(d);
	CHECK(same[0]);
	CHECK(same[1]);
	/* the link to a question of the next section points at its file */
	bool linked = false;
	for (int i = 1; i < 8 && !linked; i++) {
		char name[40], want[40];
		snprintf(name, sizeof name, "EPUB/ch%04d.xhtml", i);
		char *ch = entry(&keep, name, NULL);
		const char *a = ch ? strstr(ch, "the next part") : NULL;
		snprintf(want, sizeof want, "href=\"ch%04d.xhtml#q-", i + 1);
		linked = a && strstr(ch, want) && strstr(ch, want) < a;
		free(ch);
	}
	CHECK(linked);
	CHECK(keep_book(&keep, "chunky chapters"));
	qbuf_free(&keep);
}

/* `test_epub --sample DIR`: write the books of hand-built models that
 * notes cannot make yet into DIR, for tests/e2e/ace.sh. */
static int write_samples(const char *dir)
{
	static const char *const names[] = {"sample", "features", "images"};
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return 1;
	int rc = 0;
	for (int k = 0; k < 3; k++) {
		qdoc *d = k == 0 ? sample_doc() : k == 1 ? features_doc() : images_doc(k == 2);
		for (int popup = 0; popup < 2; popup++) {
			qbuf e = QBUF_INIT;
			char path[512];
			snprintf(path, sizeof path, "%s/%s-%s.epub", dir, names[k],
				 popup ? "popup" : "inline");
			if (build(d, popup, &e) != QB_OK || !write_file(path, e.ptr, e.len))
				rc = 1;
			qbuf_free(&e);
		}
		qdoc_free(d);
	}
	remove_images();
	return rc;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--sample") == 0)
		return write_samples(argv[2]);
	RUN(identifier_is_stable_uuid);
	RUN(dates_and_languages);
	RUN(container_layout);
	RUN(chapters_questions_and_nav);
	RUN(page_list_matches_the_booklet);
	RUN(links_ids_and_html_are_cleaned);
	RUN(popup_answers_are_footnotes);
	RUN(builds_are_byte_identical);
	RUN(empty_document);
	RUN(topic_card_shows_its_title_once);
	RUN(deep_nesting_and_empty_names);
	RUN(big_section_is_split);
	RUN(huge_code_and_leading_rule);
	RUN(big_ncx_lists_sections);
	RUN(nav_labels_are_plain_text);
	RUN(right_to_left);
	RUN(callouts_footnotes_and_inlines);
	RUN(local_images_are_kept);
	RUN(cover_page);
	RUN(missing_style_is_an_error);
	RUN(zip_chunked_entries_read_back);
	RUN(zip_streamed_equals_added);
	RUN(same_bytes_on_one_processor);
	epubcheck_kept_books();
	remove_images();
	return testing_done();
}
