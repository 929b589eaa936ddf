/* test_xhtml.c - the XHTML writer on models built by hand: escaping,
 * unsafe links, tables, lists, deep nesting, code, and well-formedness of
 * large and random models checked with xmllint (libxml2-utils). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "render/xhtml.h"
#include "testing.h"

static qdoc *doc;
static qbuf out;

/* ---- building models ------------------------------------------------- */

static qnode *node(qtype t) { return qnode_new(doc, t, 1); }

static qnode *text(const char *s)
{
	return qnode_new_text(doc, QN_TEXT, 1, s, strlen(s));
}

static qnode *leaf(qtype t, const char *s)
{
	return qnode_new_text(doc, t, 1, s, strlen(s));
}

static qnode *add(qnode *parent, qnode *child)
{
	qnode_append(parent, child);
	return child;
}

/* A container of type t holding one text node. */
static qnode *wrap(qtype t, const char *s)
{
	qnode *n = node(t);
	add(n, text(s));
	return n;
}

static qnode *link(qtype t, const char *url, const char *label)
{
	qnode *n = node(t);
	n->u.link.url = url;
	n->u.link.title = "";
	if (label)
		add(n, text(label));
	return n;
}

static qnode *code(const char *lang, const char *caption, const char *s)
{
	qnode *n = leaf(QN_CODE, s);
	n->u.code.lang = lang;
	n->u.code.caption = caption;
	return n;
}

static void fresh(void)
{
	qdoc_free(doc);
	doc = qdoc_new();
	qbuf_free(&out);
}

static const char *block(const qnode *n, const qx_opts *o)
{
	qbuf_reset(&out);
	qx_block(&out, n, o);
	return out.ptr;
}

static const char *inlines(const qnode *n, const qx_opts *o)
{
	qbuf_reset(&out);
	qx_inlines(&out, n, o);
	return out.ptr;
}

static int count(const char *hay, const char *needle)
{
	int c = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		c++;
	return c;
}

/* ---- escaping -------------------------------------------------------- */

TEST(escapes_text_and_attributes)
{
	const char *s = "a & b < c > d \"q\" 'x' ]]>";
	fresh();
	qx_text(&out, s, strlen(s));
	CHECK_STR(out.ptr, "a &amp; b &lt; c &gt; d \"q\" 'x' ]]&gt;");
	qbuf_reset(&out);
	qx_attr(&out, s, strlen(s));
	CHECK_STR(out.ptr, "a &amp; b &lt; c &gt; d &quot;q&quot; 'x' ]]&gt;");
	qbuf_reset(&out);
	qx_attr(&out, "a\tb\nc", 5);
	CHECK_STR(out.ptr, "a&#9;b&#10;c");
}

TEST(xml_illegal_characters_become_fffd)
{
	static const char s[] = "a\x01" "b\0c\x1f" "d\xef\xbf\xbe" "e\xef\xbf\xbf"
				"f\xc3(g\xff" "h\tI\nj\xf0\x9f\x91\x89\xe2\x86\x92";
	fresh();
	qx_text(&out, s, sizeof s - 1);
	CHECK_STR(out.ptr, "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd"
		  "d\xef\xbf\xbd" "e\xef\xbf\xbd" "f\xef\xbf\xbd(g\xef\xbf\xbd"
		  "h\tI\nj\xf0\x9f\x91\x89\xe2\x86\x92");
}

TEST(script_stays_text)
{
	fresh();
	qnode *p = wrap(QN_PARAGRAPH, "<script>alert('x')</script> <b onclick=\"f()\">");
	CHECK_STR(block(p, NULL),
		  "<p>&lt;script&gt;alert('x')&lt;/script&gt; "
		  "&lt;b onclick=\"f()\"&gt;</p>\n");
}

/* ---- links and images ------------------------------------------------ */

TEST(unsafe_links_are_text)
{
	static const char *const bad[] = {
		"javascript:alert(1)", "JavaScript:alert(1)", " javascript:x",
		"java\tscript:x", "\x01javascript:x", "data:text/html,<b>x</b>",
		"vbscript:msgbox", "file:///etc/passwd", "JAVASCRIPT&colon;x:y",
		"https\n:x", " https://x.org", "httpsx://x.org", "mailto2:x",
		"smb://host/share", "ftp://x.org/a",
	};
	/* as every output writes them, and (but for the relative URL) in
	 * the whole-document XHTML too */
	qx_opts ext = {.external_only = true, .anchors = true};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		for (int o = 0; o < 2; o++) {
			if (!o && strstr(bad[k], "&colon;"))
				continue;
			fresh();
			qnode *p = node(QN_PARAGRAPH);
			add(p, link(QN_LINK, bad[k], "click"));
			const char *h = block(p, o ? &ext : NULL);
			CHECK(strstr(h, "<a") == NULL);
			CHECK(strstr(h, "href") == NULL);
			CHECK(strncmp(h, "<p>click (", 10) == 0);
		}
	}
	fresh();
	qnode *p = node(QN_PARAGRAPH);
	add(p, link(QN_LINK, "javascript:x", "javascript:x"));
	CHECK_STR(block(p, NULL), "<p>javascript:x</p>\n");
}

TEST(safe_links)
{
	qx_opts ext = {.external_only = true};
	fresh();
	qnode *p = node(QN_PARAGRAPH);
	add(p, link(QN_LINK, "https://x.org/a?b=1&c=2", "x"));
	add(p, link(QN_LINK, "MAILTO:me@x.org", "me"));
	qnode *rel = add(p, link(QN_LINK, "docs/a b\"c%zz%41.html#top", "doc"));
	rel->u.link.title = "T \"1\"";
	CHECK_STR(block(p, NULL),
		  "<p><a href=\"https://x.org/a?b=1&amp;c=2\">x</a>"
		  "<a href=\"MAILTO:me@x.org\">me</a>"
		  "<a href=\"docs/a%20b%22c%25zz%41.html#top\" "
		  "title=\"T &quot;1&quot;\">doc</a></p>\n");
	CHECK_STR(block(p, &ext),
		  "<p><a href=\"https://x.org/a?b=1&amp;c=2\">x</a>"
		  "<a href=\"MAILTO:me@x.org\">me</a>"
		  "doc (docs/a b\"c%zz%41.html#top)</p>\n");
	/* a ':' after the path, query or fragment starts is no scheme */
	fresh();
	p = node(QN_PARAGRAPH);
	add(p, link(QN_LINK, "img/a:b.png", "1"));
	add(p, link(QN_LINK, "?q=javascript:x", "2"));
	add(p, link(QN_LINK, "#sec:1", "3"));
	CHECK_STR(block(p, NULL),
		  "<p><a href=\"img/a:b.png\">1</a><a href=\"?q=javascript:x\">2</a>"
		  "<a href=\"#sec:1\">3</a></p>\n");
	/* a "#name" link is kept where the back end resolves it (EPUB),
	 * else only its text shows */
	CHECK_STR(block(p, &ext),
		  "<p>1 (img/a:b.png)2 (?q=javascript:x)3</p>\n");
	ext.anchors = true;
	CHECK_STR(block(p, &ext),
		  "<p>1 (img/a:b.png)2 (?q=javascript:x)<a href=\"#sec:1\">3</a></p>\n");
	/* a link inside a link is not nested: its text and URL show */
	fresh();
	p = node(QN_PARAGRAPH);
	qnode *outer = add(p, link(QN_LINK, "https://a.org", "a "));
	add(outer, link(QN_LINK, "https://b.org", "b"));
	CHECK_STR(block(p, NULL),
		  "<p><a href=\"https://a.org\">a b (https://b.org)</a></p>\n");
}

/* The back end's image store of the test: pic.png is kept. */
static const char *image_src_of(void *ctx, const qnode *image)
{
	(void)ctx;
	return strstr(image->u.link.file, "pic.png") ? "images/i0001.png" : NULL;
}

TEST(images)
{
	qx_opts with = {.images = true}, without = {0};
	fresh();
	qnode *p = node(QN_PARAGRAPH);
	qnode *img = add(p, link(QN_IMAGE, "img/a.png", "a <b>"));
	add(img, wrap(QN_EMPH, " & c"));
	CHECK_STR(block(p, &with),
		  "<p><img src=\"img/a.png\" alt=\"a &lt;b&gt; &amp; c\"/></p>\n");
	CHECK_STR(block(p, &without),
		  "<p><span class=\"img-alt\">a &lt;b&gt;<em> &amp; c</em></span>"
		  " (img/a.png)</p>\n");
	fresh();
	p = node(QN_PARAGRAPH);
	add(p, link(QN_IMAGE, "javascript:alert(1)", "x"));
	add(p, link(QN_IMAGE, "https://x.org/i.png", NULL));
	CHECK_STR(block(p, &with),
		  "<p><span class=\"img-alt\">x</span> (javascript:alert(1))"
		  "<img src=\"https://x.org/i.png\" alt=\"\"/></p>\n");
	CHECK_STR(block(p, &without),
		  "<p><span class=\"img-alt\">x</span> (javascript:alert(1))"
		  "<span class=\"img-alt\">https://x.org/i.png</span></p>\n");
	/* a local file the back end keeps, or cannot keep */
	fresh();
	p = node(QN_PARAGRAPH);
	qnode *kept = add(p, link(QN_IMAGE, "pic.png", "kept"));
	kept->u.link.file = "/notes/pic.png";
	qnode *lost = add(p, link(QN_IMAGE, "gone.png", "lost"));
	lost->u.link.file = "/notes/gone.png";
	qx_opts local = {.external_only = true, .image_src = image_src_of};
	CHECK_STR(block(p, &local),
		  "<p><img src=\"images/i0001.png\" alt=\"kept\"/>"
		  "<span class=\"img-alt\">lost</span> (gone.png)</p>\n");
}

/* ---- inlines --------------------------------------------------------- */

TEST(inline_markup)
{
	fresh();
	qnode *p = node(QN_PARAGRAPH);
	add(p, text("a "));
	add(p, leaf(QN_CODE_SPAN, "x < y && z"));
	add(p, leaf(QN_SOFTBREAK, ""));
	qnode *s = add(p, node(QN_STRONG));
	add(s, wrap(QN_EMPH, "deep"));
	add(p, leaf(QN_LINEBREAK, ""));
	add(p, text("end"));
	CHECK_STR(inlines(p, NULL),
		  "a <code>x &lt; y &amp;&amp; z</code>\n"
		  "<strong><em>deep</em></strong><br/>\nend");
}

/* ---- blocks ---------------------------------------------------------- */

TEST(headings_labels_rules_html)
{
	qx_opts base2 = {.heading_base = 2}, base9 = {.heading_base = 9},
		neg = {.heading_base = -9};
	fresh();
	qnode *h = wrap(QN_HEADING, "Deep & low");
	h->u.level = 2;
	CHECK_STR(block(h, &base2), "<h4 class=\"sub\">Deep &amp; low</h4>\n");
	CHECK_STR(block(h, &base9), "<h6 class=\"sub\">Deep &amp; low</h6>\n");
	CHECK_STR(block(h, &neg), "<h1 class=\"sub\">Deep &amp; low</h1>\n");
	CHECK_STR(block(wrap(QN_LABEL, "What it is:"), NULL),
		  "<p class=\"label\">What it is:</p>\n");
	CHECK_STR(block(leaf(QN_RULE, ""), NULL), "<hr/>\n");
	CHECK_STR(block(leaf(QN_HTML, "<details><summary>s</summary></details>"),
			NULL),
		  "<details><summary>s</summary></details>\n");
}

static qnode *list(bool ordered, bool tight, int start, int items)
{
	qnode *l = node(QN_LIST);
	l->u.list.ordered = ordered;
	l->u.list.tight = tight;
	l->u.list.start = start;
	for (int k = 0; k < items; k++) {
		qnode *it = add(l, node(QN_ITEM));
		add(it, wrap(QN_PARAGRAPH, k ? "two" : "one"));
	}
	return l;
}

TEST(tight_and_loose_lists)
{
	fresh();
	CHECK_STR(block(list(false, true, 1, 2), NULL),
		  "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n");
	CHECK_STR(block(list(true, false, 3, 1), NULL),
		  "<ol start=\"3\">\n<li><p>one</p>\n</li>\n</ol>\n");
	CHECK_STR(block(list(true, true, 1, 1), NULL),
		  "<ol>\n<li>one</li>\n</ol>\n");
	/* a nested list in a tight item; a stray paragraph in a list */
	qnode *l = list(false, true, 1, 1);
	add(l->first, list(true, true, 0, 1));
	add(l, wrap(QN_PARAGRAPH, "stray"));
	CHECK_STR(block(l, NULL),
		  "<ul>\n<li>one\n<ol start=\"0\">\n<li>one</li>\n</ol>\n</li>\n"
		  "<li><p>stray</p>\n</li>\n</ul>\n");
}

static qnode *row(int cells, const char *const *s)
{
	qnode *r = node(QN_ROW);
	for (int k = 0; k < cells; k++)
		add(r, wrap(QN_CELL, s[k]));
	return r;
}

TEST(table_header_caption_alignment)
{
	static const qalign al[3] = {QALIGN_LEFT, QALIGN_CENTER, QALIGN_RIGHT};
	static const char *const head[] = {"Name", "A & B", "<n>"};
	static const char *const body[] = {"x", "y"};
	fresh();
	qnode *t = node(QN_TABLE);
	t->u.table.ncols = 3;
	t->u.table.header = true;
	t->u.table.align = al;
	add(t, wrap(QN_CAPTION, "Caption \"1\""));
	add(t, row(3, head));
	add(t, row(2, body));
	CHECK_STR(block(t, NULL),
		  "<table class=\"grid\">\n<caption>Caption \"1\"</caption>\n"
		  "<thead>\n<tr><th scope=\"col\" class=\"al-left\">Name</th>"
		  "<th scope=\"col\" class=\"al-center\">A &amp; B</th>"
		  "<th scope=\"col\" class=\"al-right\">&lt;n&gt;</th></tr>\n"
		  "</thead>\n<tbody>\n"
		  "<tr><td class=\"al-left\">x</td><td class=\"al-center\">y</td>"
		  "<td class=\"al-right\"></td></tr>\n</tbody>\n</table>\n");
	CHECK(strstr(out.ptr, "style") == NULL);
	/* no header, no alignment array, an empty table */
	fresh();
	t = node(QN_TABLE);
	t->u.table.ncols = 2;
	add(t, row(2, body));
	CHECK_STR(block(t, NULL),
		  "<table class=\"grid\">\n<tbody>\n<tr><td>x</td><td>y</td></tr>\n"
		  "</tbody>\n</table>\n");
	CHECK_STR(block(node(QN_TABLE), NULL), "<table class=\"grid\">\n</table>\n");
}

TEST(code_block_with_spans)
{
	fresh();
	qnode *c = code("py", "main.py", "def f():\n    return 1  # x < y\n");
	CHECK_STR(block(c, NULL),
		  "<p class=\"code-caption\">main.py</p>\n"
		  "<pre class=\"code\" data-lang=\"python\"><code>"
		  "<span class=\"ln\"><span class=\"kw\">def</span> <span class=\"name\">f</span>():\n"
		  "</span><span class=\"ln i1\">    <span class=\"kw\">return</span> "
		  "<span class=\"num\">1</span>  <span class=\"com\"># x &lt; y</span>\n"
		  "</span></code></pre>\n");
	c = code("weird\"lang", NULL, "a & b\n");
	CHECK_STR(block(c, NULL),
		  "<pre class=\"code\" data-lang=\"weird&quot;lang\"><code>"
		  "<span class=\"ln\">a &amp; b\n</span></code></pre>\n");
	/* a string across lines is split at the line end; tabs indent by 4;
	 * the last line may lack its newline */
	c = code("py", NULL, "s = '''a\nb'''\n\t\tx");
	CHECK_STR(block(c, NULL),
		  "<pre class=\"code\" data-lang=\"python\"><code>"
		  "<span class=\"ln\">s = <span class=\"str\">'''a</span>\n</span>"
		  "<span class=\"ln\"><span class=\"str\">b'''</span>\n</span>"
		  "<span class=\"ln i2\">\t\tx</span></code></pre>\n");
	c = code(NULL, NULL, "");
	CHECK_STR(block(c, NULL), "<pre class=\"code\"><code></code></pre>\n");
}

TEST(cards_and_sections_are_skipped)
{
	fresh();
	qnode *s = node(QN_SECTION);
	add(s, wrap(QN_TITLE, "Title"));
	add(s, wrap(QN_PARAGRAPH, "intro"));
	qnode *card = add(s, node(QN_CARD));
	add(card, wrap(QN_QUESTION, "Q?"));
	add(add(card, node(QN_ANSWER)), wrap(QN_PARAGRAPH, "A."));
	add(add(s, node(QN_SECTION)), wrap(QN_TITLE, "Sub"));
	add(s, wrap(QN_QUOTE, "quoted"));
	qbuf_reset(&out);
	qx_blocks(&out, s, NULL);
	CHECK_STR(out.ptr, "<p>intro</p>\n<blockquote>\nquoted</blockquote>\n");
	qbuf_reset(&out);
	qx_blocks(&out, card->last, NULL);
	CHECK_STR(out.ptr, "<p>A.</p>\n");
}

/* Quotes nested `depth` deep around one paragraph. */
static qnode *nested_quotes(int depth)
{
	qnode *top = node(QN_QUOTE), *q = top;
	for (int k = 1; k < depth; k++)
		q = add(q, node(QN_QUOTE));
	add(q, wrap(QN_PARAGRAPH, "deep"));
	return top;
}

TEST(deep_quotes_balance)
{
	fresh();
	block(nested_quotes(QMODEL_MAX_DEPTH), NULL);
	CHECK_INT(count(out.ptr, "<blockquote>"), QMODEL_MAX_DEPTH);
	CHECK_INT(count(out.ptr, "</blockquote>"), QMODEL_MAX_DEPTH);
	CHECK(strstr(out.ptr, "<p>deep</p>") != NULL);
	/* far deeper than the reader allows: still no recursion */
	block(nested_quotes(100000), NULL);
	CHECK_INT(count(out.ptr, "<blockquote>"), 100000);
	CHECK_INT(count(out.ptr, "</blockquote>"), 100000);
	/* inlines nested 100000 deep: emphasis, and links in links */
	qnode *p = node(QN_PARAGRAPH), *e = p, *l = p;
	for (int k = 0; k < 100000; k++)
		e = add(e, node(k % 2 ? QN_EMPH : QN_STRONG));
	add(e, text("x"));
	for (int k = 0; k < 100000; k++)
		l = add(l, link(QN_LINK, "https://a.org", NULL));
	add(l, text("y"));
	block(p, NULL);
	CHECK_INT(count(out.ptr, "<em>"), 50000);
	CHECK_INT(count(out.ptr, "</strong>"), 50000);
	CHECK_INT(count(out.ptr, "<a "), 1);
	CHECK_INT(count(out.ptr, "</a>"), 1);
	CHECK_INT(count(out.ptr, " (https://a.org)"), 99999);
}

/* ---- well-formedness with xmllint ------------------------------------ */

static bool have_xmllint(void)
{
	return system("command -v xmllint >/dev/null 2>&1") == 0;
}

/* Run xmllint --noout on body wrapped in an XHTML document. Unless quiet,
 * its messages are shown as "#" comments when it fails. */
static bool well_formed(const char *body, size_t n, bool quiet)
{
	char path[] = "/tmp/quire-xhtml-XXXXXX", cmd[160];
	int fd = mkstemp(path);
	if (fd < 0)
		return false;
	FILE *f = fdopen(fd, "w");
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>t</title>"
	      "</head><body>\n", f);
	fwrite(body, 1, n, f);
	fputs("</body></html>\n", f);
	fclose(f);
	snprintf(cmd, sizeof cmd, "xmllint --noout --nonet %s 2>/dev/null", path);
	int rc = system(cmd);
	if (rc != 0 && !quiet) {
		snprintf(cmd, sizeof cmd,
			 "xmllint --noout --nonet %s 2>&1 | head -n 20 | sed 's/^/# /'",
			 path);
		fflush(stdout);
		if (system(cmd) != 0)
			printf("# could not show xmllint's messages\n");
	}
	remove(path);
	return rc == 0;
}

/* Every kind of block and inline, odd characters and deep nesting. */
static qnode *big_model(void)
{
	static const qalign al[2] = {QALIGN_RIGHT, QALIGN_NONE};
	static const char *const cells[] = {"a\x01", "<b>&amp;"};
	qnode *ans = node(QN_ANSWER);
	qnode *p = add(ans, wrap(QN_PARAGRAPH, "Caf\xc3\xa9 \xf0\x9f\x91\x89 \xff\xfe "
					       "\xef\xbf\xbf <x> & \"y\" ]]> \x0b"));
	add(p, link(QN_LINK, "javascript:alert(1)", "bad"));
	add(p, link(QN_LINK, "https://x.org/?a=1&b=\"2\" <3>", "good"));
	add(p, link(QN_IMAGE, "x.png\" onerror=\"alert(1)", "img"));
	add(ans, wrap(QN_LABEL, "Label:"));
	qnode *h = add(ans, wrap(QN_HEADING, "head"));
	h->u.level = 3;
	add(ans, list(false, true, 1, 3));
	add(ans, list(true, false, 7, 2));
	qnode *t = add(ans, node(QN_TABLE));
	t->u.table.ncols = 2;
	t->u.table.header = true;
	t->u.table.align = al;
	add(t, wrap(QN_CAPTION, "cap"));
	add(t, row(2, cells));
	add(t, row(1, cells));
	add(t, wrap(QN_PARAGRAPH, "stray in table"));
	add(ans, code("python", "a.py", "@app.get(\"/x\")\ndef f(): '''open\x01\xff"));
	add(ans, code("shell", NULL, "cat <<EOF\n<b>&\nEOF\n"));
	add(ans, code("sql", NULL, "SELECT '<' -- \x02\n"));
	add(ans, leaf(QN_HTML, "<div class=\"x\"><br/></div>"));
	add(ans, leaf(QN_RULE, ""));
	add(ans, nested_quotes(40));
	qnode *l = add(ans, list(false, false, 1, 1));
	for (int k = 0; k < 40; k++)
		l = add(add(l, node(QN_ITEM)), list(k % 2, k % 3, k, 1));
	add(ans, text("stray text in a block container"));
	return ans;
}

TEST(large_model_is_well_formed)
{
	fresh();
	qx_opts o = {.heading_base = 1, .images = true};
	block(big_model(), &o);
	CHECK(count(out.ptr, "<blockquote>") == 40);
	CHECK(strstr(out.ptr, "href=\"javascript") == NULL);
	CHECK(strstr(out.ptr, "onerror=\"") == NULL);
	if (!have_xmllint()) {
		printf("# xmllint missing (apt-get install libxml2-utils)\n");
		return;
	}
	CHECK(well_formed(out.ptr, out.len, false));
	/* the check can fail */
	CHECK(!well_formed("<p>a & b</p>", 12, true));
}

/* ---- random models --------------------------------------------------- */

static uint32_t rnd_state = 88172645u;
static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* A random tree: any node type anywhere (except cards and sections),
 * texts "m<number>" with odd bytes so each one can be found again. */
static qnode *random_tree(int nodes, int *ntexts)
{
	static const qtype kinds[] = {
		QN_PARAGRAPH, QN_HEADING, QN_LABEL, QN_LIST, QN_ITEM, QN_CODE,
		QN_TABLE, QN_CAPTION, QN_ROW, QN_CELL, QN_QUOTE, QN_RULE,
		QN_TEXT, QN_CODE_SPAN, QN_EMPH, QN_STRONG, QN_LINK, QN_IMAGE,
		QN_SOFTBREAK, QN_LINEBREAK, QN_TEXT, QN_TEXT, QN_ANSWER,
		QN_QUESTION, QN_TITLE};
	static const char *const urls[] = {"https://a.b/c", "javascript:x",
					   "rel/x.png", "", "data:x"};
	qnode *root = node(QN_ANSWER), *cur = root;
	char s[64];
	for (int k = 0; k < nodes; k++) {
		qtype t = kinds[rnd() % (sizeof kinds / sizeof kinds[0])];
		snprintf(s, sizeof s, "m%d<&\x01\xff>", *ntexts);
		qnode *n = qtype_is_leaf(t) ? leaf(t, s) : node(t);
		*ntexts += t == QN_TEXT;
		n->u.link.url = urls[rnd() % 5];   /* harmless for other kinds */
		if (t == QN_TABLE || t == QN_LIST || t == QN_CODE)   /* no room for a card's info */
			memset(&n->u, 0, sizeof n->u.link);
		if (t == QN_TABLE)
			n->u.table.ncols = (int)(rnd() % 4);
		if (t == QN_LIST)
			n->u.list.tight = rnd() % 2;
		add(cur, n);
		if (!qtype_is_leaf(t) && rnd() % 3)
			cur = n;
		else if (cur != root && rnd() % 4 == 0)
			cur = cur->parent;
	}
	return root;
}

TEST(random_models_are_well_formed_and_complete)
{
	qbuf all = QBUF_INIT;
	fresh();
	for (int round = 0; round < 300; round++) {
		int ntexts = 0;
		qx_opts o = {.heading_base = round % 4, .images = round % 2,
			     .external_only = round % 3 == 0, .anchors = round % 5 == 0,
			     .bidi = round % 7 < 3, .rtl = round % 2 == 1,
			     .math = (qx_math)(round % 3)};
		qnode *root = random_tree(1 + (int)(rnd() % 60), &ntexts);
		block(root, &o);
		for (int k = 0; k < ntexts; k++) {
			char m[32];
			snprintf(m, sizeof m, "m%d&lt;&amp;", k);
			if (!strstr(out.ptr, m)) {
				printf("# round %d: text %d vanished\n", round, k);
				qbuf_free(&all);
				CHECK(0);
			}
		}
		qbuf_printf(&all, "<div>%s</div>\n", out.ptr);
	}
	bool ok = !have_xmllint() || well_formed(all.ptr, all.len, false);
	qbuf_free(&all);
	CHECK(ok);
}

/* ---- direction ------------------------------------------------------ */

TEST(direction_of_text)
{
	CHECK_INT(qx_text_direction("  12, (x)", 9), 1);
	CHECK_INT(qx_text_direction("12 \xd7\xa9\xd7\x9c", 7), -1);     /* Hebrew */
	CHECK_INT(qx_text_direction("\xd9\xa1\xd9\xa2 \xd8\xa8", 7), -1); /* Arabic digits, letter */
	CHECK_INT(qx_text_direction("\xd9\xa1\xd9\xa2 3 ?!", 8), 0);
	CHECK_INT(qx_text_direction("\xc3\xa9t\xc3\xa9", 5), 1);
	CHECK_INT(qx_text_direction("\xe6\xbc\xa2", 3), 1);                  /* CJK */
	fresh();
	/* code counts only when nothing else has a letter */
	qnode *p = node(QN_PARAGRAPH);
	add(p, leaf(QN_CODE_SPAN, "x = 1"));
	add(p, text(" \xd9\x87\xd9\x88"));
	CHECK_INT(qx_direction(p), -1);
	qnode *q = node(QN_PARAGRAPH);
	add(q, leaf(QN_CODE_SPAN, "x = 1"));
	CHECK_INT(qx_direction(q), 1);
	CHECK_STR(qx_dir_attr(-1, 1), " dir=\"rtl\"");
	CHECK_STR(qx_dir_attr(1, -1), " dir=\"ltr\"");
	CHECK_STR(qx_dir_attr(1, 1), "");
	CHECK_STR(qx_dir_attr(0, -1), "");
}

/* An Arabic quote with an English item in a left-to-right text, and the
 * same in a right-to-left one: dir where the direction changes, code
 * always left to right, nothing without opts.bidi. */
TEST(direction_marked_where_it_changes)
{
	fresh();
	qnode *quote = node(QN_QUOTE);
	add(quote, wrap(QN_PARAGRAPH, "\xd8\xa7\xd9\x84\xd9\x82\xd8\xa7\xd8\xa6\xd9\x85\xd8\xa9"));
	qnode *list = add(quote, node(QN_LIST));
	list->u.list.tight = true;
	add(add(list, node(QN_ITEM)), wrap(QN_PARAGRAPH, "\xd8\xa8 one"));
	add(add(list, node(QN_ITEM)), wrap(QN_PARAGRAPH, "two \xd8\xa8"));
	add(quote, code("python", NULL, "x = 1\n"));
	qnode *para = add(quote, node(QN_PARAGRAPH));
	add(para, text("\xd8\xa8 "));
	add(para, leaf(QN_CODE_SPAN, "f(x)"));
	qx_opts ltr = {.bidi = true}, rtl = {.bidi = true, .rtl = true};
	const char *h = block(quote, &ltr);
	CHECK(strncmp(h, "<blockquote dir=\"rtl\">\n<p>", 26) == 0);
	CHECK(strstr(h, "<ul>\n<li>\xd8\xa8 one</li>\n<li dir=\"ltr\">two"));
	CHECK(strstr(h, "<pre class=\"code\" dir=\"ltr\" data-lang=\"python\">"));
	CHECK(strstr(h, "<p>\xd8\xa8 <code dir=\"ltr\">f(x)</code></p>"));
	h = block(quote, &rtl);
	CHECK(strncmp(h, "<blockquote>\n<p>", 16) == 0);
	CHECK(strstr(h, "<li dir=\"ltr\">two"));
	CHECK(strstr(h, "<pre class=\"code\" dir=\"ltr\""));
	h = block(quote, NULL);
	CHECK(!strstr(h, "dir="));
	/* a table's cells against the table's own direction */
	fresh();
	qnode *t = node(QN_TABLE);
	t->u.table.ncols = 2;
	qnode *row = add(t, node(QN_ROW));
	add(row, wrap(QN_CELL, "\xd8\xa8"));
	add(row, wrap(QN_CELL, "b"));
	row = add(t, node(QN_ROW));
	add(row, wrap(QN_CELL, "\xd8\xa8"));
	add(row, wrap(QN_CELL, "12"));
	h = block(t, &ltr);
	CHECK(strstr(h, "<table class=\"grid\" dir=\"rtl\">"));
	CHECK(strstr(h, "<td>\xd8\xa8</td><td dir=\"ltr\">b</td>"));
	CHECK(strstr(h, "<td>12</td>"));
}

/* The address shown after a link that is not written as <a>, in
 * right-to-left text: set apart as left to right, or its slashes and
 * dots are reordered; in left-to-right text as it is. */
TEST(link_address_left_to_right_in_rtl_text)
{
	fresh();
	qnode *p = node(QN_PARAGRAPH);
	add(p, text("\xd8\xa7\xd9\x84\xd9\x84\xd8\xba\xd8\xa9 "));
	add(p, link(QN_LINK, "../ar-EG/README.html", "\xd8\xa8"));
	qx_opts rtl = {.bidi = true, .rtl = true, .external_only = true};
	const char *h = block(p, &rtl);
	CHECK(strstr(h, "\xd8\xa8 (<span dir=\"ltr\">../ar-EG/README.html</span>)"));
	fresh();
	p = node(QN_PARAGRAPH);
	add(p, link(QN_LINK, "../en/README.html", "English"));
	h = block(p, &rtl);
	CHECK(strstr(h, "English (../en/README.html)"));
}

/* ---- callouts and footnotes ------------------------------------------ */

TEST(callouts_and_footnotes)
{
	fresh();
	qnode *c = node(QN_CALLOUT);
	c->u.callout.kind = "Warn ing";
	add(c, wrap(QN_PARAGRAPH, "Careful."));
	CHECK_STR(block(c, NULL), "<div class=\"callout callout-warn-ing\" role=\"note\">\n"
		  "<p class=\"callout-title\">Warn ing</p>\n<p>Careful.</p>\n</div>\n");
	qnode *t = node(QN_CALLOUT);
	t->u.callout.kind = "tip";
	add(t, wrap(QN_CAPTION, "Use <b>"));
	add(t, wrap(QN_PARAGRAPH, "x"));
	CHECK_STR(block(t, NULL), "<div class=\"callout callout-tip\" role=\"note\">\n"
		  "<p class=\"callout-title\">Use &lt;b&gt;</p>\n<p>x</p>\n</div>\n");
	/* a reference and the note: raised label and a framed block, or
	 * (EPUB) a note reference, the note left to the back end */
	qnode *ans = node(QN_ANSWER);
	qnode *p = add(ans, wrap(QN_PARAGRAPH, "See"));
	qnode *r = add(p, leaf(QN_FOOTREF, "1"));
	r->u.footnote.number = 1;
	qnode *fn = add(ans, node(QN_FOOTNOTE));
	fn->u.footnote.number = 1;
	fn->u.footnote.label = "1";
	add(fn, wrap(QN_PARAGRAPH, "The note."));
	qbuf_reset(&out);
	qx_blocks(&out, ans, NULL);
	CHECK_STR(out.ptr, "<p>See<sup class=\"footref\">1</sup></p>\n"
		  "<div class=\"footnote\">\n<p class=\"footnote-label\">1</p>\n"
		  "<p>The note.</p>\n</div>\n");
	qx_opts epub = {.external_only = true, .footnotes = true};
	qbuf_reset(&out);
	qx_blocks(&out, ans, &epub);
	CHECK_STR(out.ptr, "<p>See<sup class=\"footref\"><a class=\"footref\" "
		  "epub:type=\"noteref\" role=\"doc-noteref\" href=\"#fn-1\">1</a></sup></p>\n");
}

/* Headings inside text never skip a level after the last one written;
 * an empty header cell is a plain cell (both for screen readers). */
TEST(heading_chain_and_empty_header)
{
	fresh();
	qnode *ans = node(QN_ANSWER);
	static const int levels[] = {4, 6, 2, 5};
	for (int i = 0; i < 4; i++) {
		qnode *h = add(ans, wrap(QN_HEADING, "H"));
		h->u.level = levels[i];
	}
	int chain = 2;
	qx_opts o = {.heading_base = 0, .heading_chain = &chain};
	qbuf_reset(&out);
	qx_blocks(&out, ans, &o);
	CHECK_STR(out.ptr, "<h3 class=\"sub\">H</h3>\n<h4 class=\"sub\">H</h4>\n"
		  "<h2 class=\"sub\">H</h2>\n<h3 class=\"sub\">H</h3>\n");
	CHECK_INT(chain, 3);
	fresh();
	qnode *t = node(QN_TABLE);
	t->u.table.ncols = 2;
	t->u.table.header = true;
	qnode *row = add(t, node(QN_ROW));
	add(row, node(QN_CELL));
	add(row, wrap(QN_CELL, "b"));
	CHECK(strstr(block(t, NULL), "<thead>\n<tr><td></td><th scope=\"col\">b</th></tr>"));
}

int main(void)
{
	RUN(escapes_text_and_attributes);
	RUN(xml_illegal_characters_become_fffd);
	RUN(script_stays_text);
	RUN(unsafe_links_are_text);
	RUN(safe_links);
	RUN(images);
	RUN(inline_markup);
	RUN(headings_labels_rules_html);
	RUN(tight_and_loose_lists);
	RUN(table_header_caption_alignment);
	RUN(code_block_with_spans);
	RUN(cards_and_sections_are_skipped);
	RUN(deep_quotes_balance);
	RUN(large_model_is_well_formed);
	RUN(random_models_are_well_formed_and_complete);
	RUN(direction_of_text);
	RUN(direction_marked_where_it_changes);
	RUN(link_address_left_to_right_in_rtl_text);
	RUN(callouts_and_footnotes);
	RUN(heading_chain_and_empty_header);
	qdoc_free(doc);
	qbuf_free(&out);
	return testing_done();
}
