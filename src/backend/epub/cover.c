/* cover.c - the book's cover: the image a reader shows in its library and
 * a first page that shows it.
 *
 * The notes' own `cover:` image (doc->cover) when it can be kept
 * (images.c); otherwise a cover typeset like the booklet's title page, as
 * an SVG image: the title in bold a fifth of the way down, the subtitle,
 * the authors in italics, the date, a short rule, the number of questions and
 * sections, and at the foot where it comes from. Long titles wrap at
 * spaces (between any two ideographs), set smaller when they need more
 * than four lines; widths are estimated, as the reader's fonts are not
 * known. Right-to-left titles are set so.
 */
#include <string.h>

#include "../../render/xhtml.h"
#include "../../util/utf8.h"
#include "epub.h"

#define COVER_W 600
#define COVER_H 800
#define COVER_MEASURE 500.0   /* widest line, in SVG units */
#define MAX_LINES 7

/* Estimated advance of a character, in ems. */
static double char_em(int32_t cp, bool bold)
{
	if (qutf8_is_cjk(cp) || (cp >= 0xFF01 && cp <= 0xFF60) || cp >= 0x1F300)
		return 1.0;
	if (cp == ' ')
		return 0.27;
	if (cp == 'i' || cp == 'l' || cp == 'j' || cp == 't' || cp == 'f' || cp == '.'
	    || cp == ',' || cp == '\'' || cp == ':' || cp == ';' || cp == '!')
		return 0.3;
	if (cp == 'm' || cp == 'w' || cp == 'M' || cp == 'W')
		return 0.85;
	return bold ? 0.6 : 0.52;
}

typedef struct line {
	size_t from, len;
} line;

/* Break s into lines no wider than the measure at size px: at spaces,
 * or before an ideograph, or inside a word too long for a line. Returns
 * the number of lines (at most max). */
static int wrap(const char *s, size_t n, double px, bool bold, line *out, int max)
{
	const unsigned char *p = (const unsigned char *)s;
	int k = 0;
	size_t start = 0, brk = 0;   /* brk: the last break point seen */
	double w = 0;
	size_t i = 0;
	while (i < n && k < max) {
		size_t l;
		int32_t cp = qutf8_decode(p + i, n - i, &l);
		if (cp == ' ' || qutf8_is_cjk(cp))
			brk = i;
		w += char_em(cp, bold) * px;
		if (w > COVER_MEASURE && i > start) {
			size_t end = brk > start ? brk : i;
			out[k++] = (line){start, end - start};
			start = end;
			while (start < n && s[start] == ' ')
				start++;
			i = start;
			w = 0;
			brk = start;
			continue;
		}
		i += l;
	}
	if (k < max && start < n)
		out[k++] = (line){start, n - start};
	return k;
}

static void put_text_line(qbuf *b, const char *s, size_t n, double y,
			  const char *style)
{
	bool rtl = qx_text_direction(s, n) < 0;
	qbuf_printf(b, "<text x=\"%d\" y=\"%.0f\" %s%s>", COVER_W / 2, y, style,
		    rtl ? " direction=\"rtl\"" : "");
	qx_text(b, s, n);
	qbuf_puts(b, "</text>\n");
}

/* A block of wrapped text centred at y (its first baseline); returns the
 * baseline after it. Shrinks from px down to min until it fits in max
 * lines; what still does not fit ends with an ellipsis. */
static double put_block(qbuf *b, const char *s, double y, double px, double min,
			int max, bool bold, const char *style)
{
	line ln[MAX_LINES + 1];
	size_t n = strlen(s);
	int k;
	for (;;) {
		k = wrap(s, n, px, bold, ln, max + 1);
		if (k <= max || px <= min)
			break;
		px = px * 0.85 < min ? min : px * 0.85;
	}
	qbuf st = QBUF_INIT;
	qbuf_printf(&st, "font-size=\"%.0f\" %s", px, style);
	for (int i = 0; i < k && i < max; i++) {
		if (i == max - 1 && k > max) {
			qbuf t = QBUF_INIT;
			qbuf_put(&t, s + ln[i].from, ln[i].len);
			qbuf_puts(&t, "\xE2\x80\xA6");
			put_text_line(b, t.ptr, t.len, y, st.ptr);
			qbuf_free(&t);
		} else {
			put_text_line(b, s + ln[i].from, ln[i].len, y, st.ptr);
		}
		y += px * 1.25;
	}
	qbuf_free(&st);
	return y;
}

static void cover_svg(qbuf *b, const qepub_book *book)
{
	const qdoc *doc = book->doc;
	const char *title = qepub_title(doc);
	qbuf_printf(b,
		    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
		    "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" xml:lang=\"%s\">\n"
		    "<title>", COVER_W, COVER_H, COVER_W, COVER_H, book->lang);
	qx_text(b, title, strlen(title));
	qbuf_printf(b, "</title>\n<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n"
		    "<g font-family=\"serif\" fill=\"#1f2328\" text-anchor=\"middle\">\n",
		    COVER_W, COVER_H);
	double y = put_block(b, title, COVER_H * 0.22, 46, 26, MAX_LINES, true,
			     "font-weight=\"bold\"");
	if (doc->subtitle && doc->subtitle[0])
		y = put_block(b, doc->subtitle, y + 14, 26, 20, 3, false, "");
	if (doc->author && doc->author[0])
		y = put_block(b, doc->author, y + 24, 24, 18, 3, false,
			      "font-style=\"italic\"");
	if (doc->date && doc->date[0])
		y = put_block(b, doc->date, y + 6, 20, 16, 1, false, "");
	y += 20;
	qbuf_printf(b, "<rect x=\"%d\" y=\"%.0f\" width=\"%d\" height=\"1.5\"/>\n",
		    COVER_W * 35 / 100, y, COVER_W * 30 / 100);
	qbuf stats = QBUF_INIT;
	qcounts n = qdoc_counts(doc);
	qw_counts(&stats, book->words, n.questions, n.sections);
	put_block(b, stats.ptr, y + 44, 20, 20, 1, false, "font-style=\"italic\"");
	qbuf_reset(&stats);
	qw_put(&stats, book->words, QW_TYPESET, doc->stem ? doc->stem : "notes", NULL);
	put_block(b, stats.ptr, COVER_H - 40, 14, 12, 2, false, "font-style=\"italic\"");
	qbuf_free(&stats);
	qbuf_puts(b, "</g>\n</svg>\n");
}

/* What the cover says, for the alt text of its page. */
static void cover_alt(qbuf *b, const qepub_book *book)
{
	const qdoc *doc = book->doc;
	const char *title = qepub_title(doc);
	qbuf what = QBUF_INIT;
	qbuf_puts(&what, title);
	if (doc->subtitle && doc->subtitle[0]) {
		qbuf_puts(&what, ". ");
		qbuf_puts(&what, doc->subtitle);
	}
	qw_put(b, book->words, QW_COVER_OF, what.ptr, NULL);
	qbuf_free(&what);
	if (doc->author && doc->author[0])
		qw_put(b, book->words, QW_BY, doc->author, NULL);
}

void qepub_cover(qbuf *page, qepub_book *book)
{
	const qepub_image *im = book->doc->cover
				? qepub_image_file(book, book->doc->cover, 0) : NULL;
	if (!im) {
		qepub_image *t = qepub_image_new(book, NULL);
		cover_svg(&t->data, book);
		t->media = "image/svg+xml";
		book->nkept++;
		strcpy(t->name, "images/cover.svg");
		im = t;
	}
	book->cover = (int)(im - book->images);
	const char *cover = qw_word(book->words, QW_COVER);
	qepub_xhtml_head(page, book, cover, strlen(cover), NULL);
	qbuf alt = QBUF_INIT;
	cover_alt(&alt, book);
	qbuf_printf(page, "<div class=\"cover\"><img epub:type=\"cover\" "
		    "role=\"doc-cover\" src=\"%s\" alt=\"", im->twin[0] ? im->twin : im->name);
	qx_attr(page, alt.ptr, alt.len);
	qbuf_puts(page, "\"/></div>\n");
	qbuf_free(&alt);
	qepub_xhtml_tail(page);
}
