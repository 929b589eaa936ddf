/* test_url.c - the one URL policy of every output (util/url.h), and the
 * two places that apply it to HTML: the reader's sanitizer decodes
 * entities before it judges (so "&#x66;ile:" is file:), and the XHTML
 * writer of the EPUB chapters and the card fields. The booklet's link
 * annotations are checked end to end in tests/e2e/links.sh. */
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "reader/html.h"
#include "render/xhtml.h"
#include "util/url.h"
#include "testing.h"

static qurl_kind kind(const char *u)
{
	return qurl_classify(u, strlen(u));
}

TEST(allowed_schemes)
{
	CHECK_INT(kind("http://x.org"), QURL_WEB);
	CHECK_INT(kind("HTTPS://x.org/a?b#c"), QURL_WEB);
	CHECK_INT(kind("https:"), QURL_WEB);
	CHECK_INT(kind("mailto:me@x.org"), QURL_MAIL);
	CHECK_INT(kind("MailTo:me@x.org"), QURL_MAIL);
	CHECK_INT(kind("#q-what-is-x"), QURL_ANCHOR);
	CHECK_INT(kind("#sec:1"), QURL_ANCHOR);
	CHECK(qurl_link_ok("#a", 2));
	CHECK(qurl_link_ok("https://x", 9));
	CHECK(qurl_link_ok("mailto:a@b", 10));
}

TEST(refused_schemes)
{
	static const char *const bad[] = {
		"file:///etc/passwd", "FILE:///etc/passwd", "smb://host/share",
		"javascript:alert(1)", "JavaScript:x", "vbscript:msgbox",
		"data:text/html,<b>x</b>", "ftp://x.org", "httpsx://x.org",
		"mailto2:x", "about:blank", "chrome://settings", "x-callback:y",
		" javascript:x", "java\tscript:x", "java\nscript:x",
		"\x01javascript:x", "https\n:x", " https://x.org", "\x7fhttp://x",
		"", "#",
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		if (kind(bad[k]) != QURL_REFUSED)
			printf("# %s\n", bad[k]);
		CHECK_INT(kind(bad[k]), QURL_REFUSED);
		CHECK(!qurl_link_ok(bad[k], strlen(bad[k])));
	}
}

/* No scheme: not a link in any output (a reader resolves it against its
 * own folder; "//host/share" can be a Windows share). */
TEST(relative_urls_are_refused)
{
	static const char *const rel[] = {
		"other.md", "img/a:b.png", "?q=javascript:x", "//host/share",
		"\\\\host\\share", "%6Aavascript:alert(1)", "&#x66;ile:///etc/passwd",
		"JAVASCRIPT&colon;x:y", "/etc/passwd", "../../secret",
	};
	for (size_t k = 0; k < sizeof rel / sizeof rel[0]; k++) {
		CHECK_INT(kind(rel[k]), QURL_RELATIVE);
		CHECK(!qurl_link_ok(rel[k], strlen(rel[k])));
	}
}

static char *sanitize(const char *html, qhtml_report *r)
{
	qbuf b = QBUF_INIT;
	qhtml_sanitize(html, strlen(html), &b, r);
	return qbuf_detach(&b, NULL);
}

/* Entities are decoded before the scheme is judged. */
/* A link to another notes file shows its text alone: no output can
 * follow it, and its text names the note. */
TEST(links_to_other_notes)
{
	static const char *const notes[] = {"other.md", "linear%20mapping.md", "../a/b.MD#part",
		"c.markdown", "x%20(y).md#q", NULL};
	static const char *const others[] = {"https://x.org/a.md", "file:///a.md", "//host/a.md",
		"#a.md", "a.mdx", "img.png", "md", ".md#", "notes/", "", NULL};
	for (int i = 0; notes[i]; i++)
		CHECK(qurl_names_note(notes[i], strlen(notes[i])));
	for (int i = 0; others[i]; i++)
		CHECK(!qurl_names_note(others[i], strlen(others[i])));
}

TEST(sanitizer_decodes_then_checks)
{
	static const char *const hidden[] = {
		"<a href=\"&#x66;ile:///etc/passwd\">x</a>",
		"<a href=\"&#102;ile:///etc/passwd\">x</a>",
		"<a href=\"&#x73;mb://host/share\">x</a>",
		"<a href=\"&#X73;&#X6D;&#X62;://host/share\">x</a>",
		"<a href=\"&#106;avascript:alert(1)\">x</a>",
		"<a href=\"java&#9;script:alert(1)\">x</a>",
		"<a href=\"&#32;javascript:alert(1)\">x</a>",
		"<a href='&#x64;ata:text/html,x'>x</a>",
		"<a href=\"vbscript&#58;msgbox\">x</a>",
		"<a href=\"other.html\">x</a>",
		"<img src=\"&#x66;ile:///etc/passwd\" alt=\"x\">",
		"<img src=\"java&#9;script:alert(1)\" alt=\"x\">",
	};
	for (size_t k = 0; k < sizeof hidden / sizeof hidden[0]; k++) {
		qhtml_report r;
		char *s = sanitize(hidden[k], &r);
		bool clean = !strstr(s, "href") && !strstr(s, "src")
			     && r.removed_attrs == 1 && strstr(s, ">x<") != NULL;
		if (strstr(hidden[k], "<img"))
			clean = !strstr(s, "src") && r.removed_attrs == 1
				&& strstr(s, "alt=\"x\"");
		if (!clean)
			printf("# %s -> %s\n", hidden[k], s);
		free(s);
		CHECK(clean);
	}
	/* an image's relative path stays: the reader's image finder reads it
	 * from the notes' folder or refuses it (tests/e2e/images.sh) */
	qhtml_report r;
	char *s = sanitize("<img src=\"img/pic.png\" alt=\"x\">", &r);
	CHECK(strstr(s, "src=\"img/pic.png\"") && r.removed_attrs == 0);
	free(s);
}

TEST(sanitizer_keeps_allowed_links)
{
	qhtml_report r;
	char *s = sanitize("<a href=\"&#x68;ttps://x.org/?a=1&amp;b=2\" "
			   "title=\"A &amp; B\">web</a> <a href=\"#q-x\">here</a> "
			   "<a href=\"mailto:me@x.org\">me</a>", &r);
	CHECK_INT(r.removed_attrs, 0);
	CHECK(strstr(s, "<a href=\"https://x.org/?a=1&amp;b=2\" title=\"A &amp; B\">web</a>"));
	CHECK(strstr(s, "<a href=\"#q-x\">here</a>"));
	CHECK(strstr(s, "<a href=\"mailto:me@x.org\">me</a>"));
	free(s);
}

/* The writer of the EPUB and the cards: a refused link is its text and
 * its address (a link to another notes file, its text alone); "#name"
 * is kept only where the back end resolves it. */
TEST(xhtml_writer_applies_the_policy)
{
	qdoc *d = qdoc_new();
	static const char *const urls[] = {
		"file:///etc/passwd", "smb://host/share", "javascript:x",
		"data:,x", "vbscript:x", "other.png", "other.md", "https://x.org", "#q-a",
	};
	qnode *p = qnode_new(d, QN_PARAGRAPH, 1);
	for (size_t k = 0; k < sizeof urls / sizeof urls[0]; k++) {
		qnode *l = qnode_new(d, QN_LINK, 1);
		l->u.link.url = urls[k];
		l->u.link.title = "";
		qnode_append(l, qnode_new_text(d, QN_TEXT, 1, "t", 1));
		qnode_append(p, l);
		qnode_append(p, qnode_new_text(d, QN_TEXT, 1, " ", 1));
	}
	qx_opts card = {.external_only = true};
	qx_opts book = {.external_only = true, .anchors = true};
	qbuf b = QBUF_INIT;
	qx_inlines(&b, p, &card);
	CHECK_STR(b.ptr, "t (file:///etc/passwd) t (smb://host/share) "
		  "t (javascript:x) t (data:,x) t (vbscript:x) t (other.png) t "
		  "<a href=\"https://x.org\">t</a> t ");
	qbuf_reset(&b);
	qx_inlines(&b, p, &book);
	CHECK(strstr(b.ptr, "t (other.png) t <a href=\"https://x.org\">t</a> "
		     "<a href=\"#q-a\">t</a> "));
	CHECK_INT(strstr(b.ptr, "href") - b.ptr, strstr(b.ptr, "href=\"https") - b.ptr);
	qbuf_free(&b);
	qdoc_free(d);
}

int main(void)
{
	RUN(allowed_schemes);
	RUN(refused_schemes);
	RUN(relative_urls_are_refused);
	RUN(links_to_other_notes);
	RUN(sanitizer_decodes_then_checks);
	RUN(sanitizer_keeps_allowed_links);
	RUN(xhtml_writer_applies_the_policy);
	return testing_done();
}
