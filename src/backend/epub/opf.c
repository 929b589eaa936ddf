/* opf.c - the container document, the package document (metadata,
 * manifest, spine) and the identity of the book: a name-based UUID that
 * stays the same when the notes are edited, and the modification date
 * from the build time. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../../render/xhtml.h"
#include "../../util/hash.h"
#include "../zip/digest.h"
#include "epub.h"

void qepub_container(qbuf *b)
{
	qbuf_puts(b,
		  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		  "<container version=\"1.0\" "
		  "xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
		  "  <rootfiles>\n"
		  "    <rootfile full-path=\"EPUB/package.opf\" "
		  "media-type=\"application/oebps-package+xml\"/>\n"
		  "  </rootfiles>\n"
		  "</container>\n");
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_alnum(char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9');
}

/* BCP 47 syntax: a 2-8 letter primary subtag, then subtags of 1-8
 * letters or digits separated by '-'. */
bool qepub_lang_ok(const char *lang)
{
	if (!lang)
		return false;
	size_t i = 0;
	while (is_alpha(lang[i]))
		i++;
	if (i < 2 || i > 8)
		return false;
	while (lang[i] == '-') {
		size_t start = ++i;
		while (is_alnum(lang[i]))
			i++;
		if (i == start || i - start > 8)
			return false;
	}
	return lang[i] == '\0';
}

bool qepub_lang_rtl(const char *lang)
{
	static const char *const rtl[] = {
		"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ps",
		"sd", "syr", "ug", "ur", "yi", NULL,
	};
	size_t n = strcspn(lang, "-");
	for (int i = 0; rtl[i]; i++)
		if (strlen(rtl[i]) == n && strncasecmp(lang, rtl[i], n) == 0)
			return true;
	/* a script subtag says it: "az-Arab", "pa-Arab", "jrb-Hebr" */
	for (const char *p = strchr(lang, '-'); p; p = strchr(p + 1, '-'))
		if (strncasecmp(p + 1, "Arab", 4) == 0 || strncasecmp(p + 1, "Hebr", 4) == 0
		    || strncasecmp(p + 1, "Syrc", 4) == 0 || strncasecmp(p + 1, "Thaa", 4) == 0)
			return p[5] == '\0' || p[5] == '-';
	return false;
}

/* RFC 4122 name-based UUID, version 5 (SHA-1), in the URL namespace,
 * of "quire-epub:" + stem + ":" + title. */
void qepub_identifier(const char *title, const char *stem, char out[64])
{
	static const unsigned char ns_url[16] = {
		0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
		0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
	};
	qbuf name = QBUF_INIT;
	qbuf_put(&name, ns_url, sizeof ns_url);
	qbuf_puts(&name, "quire-epub:");
	qbuf_puts(&name, stem ? stem : "");
	qbuf_putc(&name, ':');
	qbuf_puts(&name, title ? title : "");
	unsigned char d[20];
	qsha1(name.ptr, name.len, d);
	qbuf_free(&name);
	d[6] = (unsigned char)((d[6] & 0x0F) | 0x50);
	d[8] = (unsigned char)((d[8] & 0x3F) | 0x80);
	char hex[33];
	qhex(d, 16, hex);
	snprintf(out, 64, "urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8,
		 hex + 12, hex + 16, hex + 20);
}

/* v >= 0 as exactly n decimal digits at p. */
static void put_digits(char *p, int v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
}

void qepub_w3cdtf(time_t t, char out[32])
{
	struct tm tm;
	if (t < 0 || !gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999)
		t = 0, gmtime_r(&t, &tm);
	/* not strftime: it would load the local time zone for nothing */
	memcpy(out, "0000-00-00T00:00:00Z", 21);
	put_digits(out, tm.tm_year + 1900, 4);
	put_digits(out + 5, tm.tm_mon + 1, 2);
	put_digits(out + 8, tm.tm_mday, 2);
	put_digits(out + 11, tm.tm_hour, 2);
	put_digits(out + 14, tm.tm_min, 2);
	put_digits(out + 17, tm.tm_sec, 2);
}

static void put_meta(qbuf *b, const char *prop, const char *value)
{
	qbuf_printf(b, "    <meta property=\"%s\">%s</meta>\n", prop, value);
}

static void put_dc(qbuf *b, const char *el, const char *id, const char *value)
{
	qbuf_printf(b, "    <dc:%s%s%s%s>", el, id ? " id=\"" : "", id ? id : "",
		    id ? "\"" : "");
	qx_text(b, value, strlen(value));
	qbuf_printf(b, "</dc:%s>\n", el);
}

/* A date as EPUB wants it (W3CDTF): YYYY, YYYY-MM or YYYY-MM-DD. */
static bool w3c_date(const char *s)
{
	static const char *const forms[] = {"dddd", "dddd-dd", "dddd-dd-dd"};
	for (int k = 0; k < 3; k++) {
		const char *f = forms[k];
		size_t i = 0;
		while (f[i] && s[i] && (f[i] == 'd' ? s[i] >= '0' && s[i] <= '9' : s[i] == f[i]))
			i++;
		if (!f[i] && !s[i])
			return true;
	}
	return false;
}

/* Title (and subtitle), authors, description, subjects, date. */
static void opf_names(qbuf *b, const qdoc *doc)
{
	bool sub = doc->subtitle && doc->subtitle[0];
	put_dc(b, "title", sub ? "maintitle" : NULL, qepub_title(doc));
	if (sub) {
		put_dc(b, "title", "subtitle", doc->subtitle);
		qbuf_puts(b, "    <meta refines=\"#maintitle\" property=\"title-type\">main</meta>\n"
			  "    <meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>\n");
	}
	for (int i = 0; i < doc->nauthors; i++)
		if (doc->authors[i] && doc->authors[i][0])
			put_dc(b, "creator", NULL, doc->authors[i]);
	if (!doc->nauthors && doc->author && doc->author[0])
		put_dc(b, "creator", NULL, doc->author);
	if (doc->description && doc->description[0])
		put_dc(b, "description", NULL, doc->description);
	for (int i = 0; i < doc->nkeywords; i++)
		if (doc->keywords[i] && doc->keywords[i][0])
			put_dc(b, "subject", NULL, doc->keywords[i]);
	if (doc->date && w3c_date(doc->date))
		put_dc(b, "date", NULL, doc->date);
}

static void opf_metadata(qbuf *b, const qepub_book *book)
{
	const qdoc *doc = book->doc;
	qbuf_puts(b, "  <metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n");
	qbuf_printf(b, "    <dc:identifier id=\"bookid\">%s</dc:identifier>\n",
		    book->ident);
	opf_names(b, doc);
	qbuf_printf(b, "    <dc:language>%s</dc:language>\n", book->lang);
	if (book->npages) {   /* the page-list's pages are the booklet's */
		qbuf_puts(b, "    <dc:source id=\"booklet\">");
		qx_text(b, doc->stem, strlen(doc->stem));
		qbuf_puts(b, ".pdf, the printed booklet of the same notes</dc:source>\n"
			  "    <meta refines=\"#booklet\" property=\"source-of\">"
			  "pagination</meta>\n");
	}
	put_meta(b, "dcterms:modified", book->modified);
	for (int i = 0, k = 0; i < book->nimages; i++) {   /* for EPUB 2 readers */
		k += book->images[i].media != NULL;
		if (i == book->cover)
			qbuf_printf(b, "    <meta name=\"cover\" content=\"img%04d%s\"/>\n", k,
				    book->images[i].twin[0] ? "-png" : "");
	}
	put_meta(b, "schema:accessMode", "textual");
	put_meta(b, "schema:accessModeSufficient", "textual");
	put_meta(b, "schema:accessibilityFeature", "structuralNavigation");
	put_meta(b, "schema:accessibilityFeature", "tableOfContents");
	put_meta(b, "schema:accessibilityFeature", "readingOrder");
	if (book->npages) {
		put_meta(b, "schema:accessibilityFeature", "pageBreakMarkers");
		put_meta(b, "schema:accessibilityFeature", "pageNavigation");
	}
	put_meta(b, "schema:accessibilityHazard", "none");
	put_meta(b, "schema:accessibilitySummary",
		 "Study notes as text: every section and question is a heading"
		 " reachable from the table of contents; code is text, tables"
		 " have header cells, no content depends on colour alone.");
	qbuf_puts(b, "  </metadata>\n");
}

static void opf_manifest(qbuf *b, const qepub_book *book)
{
	qbuf_puts(b,
		  "  <manifest>\n"
		  "    <item id=\"nav\" href=\"nav.xhtml\" "
		  "media-type=\"application/xhtml+xml\" properties=\"nav\"/>\n"
		  "    <item id=\"ncx\" href=\"toc.ncx\" "
		  "media-type=\"application/x-dtbncx+xml\"/>\n"
		  "    <item id=\"css-hl\" href=\"highlight.css\" "
		  "media-type=\"text/css\"/>\n"
		  "    <item id=\"css\" href=\"book.css\" media-type=\"text/css\"/>\n"
		  "    <item id=\"cover\" href=\"cover.xhtml\" "
		  "media-type=\"application/xhtml+xml\"/>\n"
		  "    <item id=\"title\" href=\"title.xhtml\" "
		  "media-type=\"application/xhtml+xml\"/>\n");
	for (int i = 0; i < book->nchaps; i++)
		qbuf_printf(b,
			    "    <item id=\"c%04d\" href=\"%s\" "
			    "media-type=\"application/xhtml+xml\"%s/>\n",
			    i + 1, book->chaps[i].file,
			    book->chaps[i].has_math ? " properties=\"mathml\"" : "");
	/* a WebP: its PNG twin is its fallback, and the cover if it is */
	for (int i = 0, k = 0; i < book->nimages; i++) {
		const qepub_image *im = &book->images[i];
		if (!im->media)
			continue;
		bool twin = im->twin[0], cover = i == book->cover;
		qbuf_printf(b, "    <item id=\"img%04d\" href=\"%s\" media-type=\"%s\"", ++k,
			    im->name, im->media);
		if (twin)
			qbuf_printf(b, " fallback=\"img%04d-png\"", k);
		qbuf_puts(b, cover && !twin ? " properties=\"cover-image\"/>\n" : "/>\n");
		if (twin)
			qbuf_printf(b, "    <item id=\"img%04d-png\" href=\"%s\" "
				    "media-type=\"image/png\"%s/>\n", k, im->twin,
				    cover ? " properties=\"cover-image\"" : "");
	}
	qbuf_puts(b, "  </manifest>\n");
}

static void opf_spine(qbuf *b, const qepub_book *book)
{
	qbuf_printf(b, "  <spine toc=\"ncx\"%s>\n    <itemref idref=\"cover\"/>\n"
		    "    <itemref idref=\"title\"/>\n",
		    book->rtl ? " page-progression-direction=\"rtl\"" : "");
	for (int i = 0; i < book->nchaps; i++)
		qbuf_printf(b, "    <itemref idref=\"c%04d\"/>\n", i + 1);
	qbuf_puts(b, "  </spine>\n");
}

void qepub_opf(qbuf *b, const qepub_book *book)
{
	qbuf_printf(b,
		    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<package xmlns=\"http://www.idpf.org/2007/opf\" "
		    "version=\"3.0\" unique-identifier=\"bookid\" "
		    "xml:lang=\"%s\">\n",
		    book->lang);
	opf_metadata(b, book);
	opf_manifest(b, book);
	opf_spine(b, book);
	qbuf_puts(b, "</package>\n");
}
