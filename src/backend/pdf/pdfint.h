/* pdfint.h - shared state of the PDF back end's files (not a public API):
 * build.c turns the study model into a layout, front.c makes the title
 * page, contents, running heads and outline, pdf.c drives it all.
 *
 * Ownership: a qbk is a stack object of qbackend_pdf's write function;
 * everything it points to is freed by pdf.c's cleanup.
 */
#ifndef QUIRE_PDFINT_H
#define QUIRE_PDFINT_H

#include "../../model/model.h"
#include "../../render/words.h"
#include "../../typeset/tsdraw.h"
#include "../../typeset/tslayout.h"
#include "../../util/strmap.h"
#include "../backend.h"
#include "style.h"

enum { MARK_SECTION = 1, MARK_CARD, MARK_CHAPTER };

typedef struct qbk_ctx {
	float x, w;       /* left edge and width of blocks here */
	int kind;         /* QN_LIST, QN_ITEM, QN_QUOTE, QN_ANSWER... */
	bool ordered, tight;
	int number;       /* next item number */
	int level;        /* list nesting level */
	int group;        /* quote bar */
} qbk_ctx;

typedef struct qbk {
	const qjob *job;
	const qdoc *doc;
	const qwords *words;  /* the booklet's own words, in its language */
	qbk_style st;
	ts_fontset *fonts;
	ts_hyph *hyph;
	ts_layout *body;      /* the numbered pages */
	ts_layout *front;     /* title page and contents */
	ts_par *par;
	float text_w, text_h;
	qbk_ctx ctx[QMODEL_MAX_DEPTH * 2 + 8];
	int depth;
	char label[64];       /* pending list label for the next block */
	int *section_mark;    /* per section: mark index in body */
	int *card_mark;       /* per card: mark index in body */
	qstrmap anchors;      /* anchor -> mark index + 1 */
	qbuf tmp;
	bool started;         /* something is on the first page */
	bool chapter_pages;   /* top-level sections open a page */
	int nfront;           /* pages of front matter (even) */
	bool has_contents;    /* the front matter lists the sections */
	uint32_t prev_char;   /* last character set in the current block */
	qbuf prose;           /* text with typographic quotes */
	qstrmap pictures;     /* image file -> picture index + 2, or 1 when
	                       * refused (qbk_picture) */
	const qnode **figs;   /* images waiting to be placed after the block */
	int nfigs, capfigs;
	float fig_x, fig_w;   /* the measure of the figures being placed */
	/* footnotes: each set at the foot of the page of its first
	 * reference (a typesetter insert), queued until the block with the
	 * reference is laid out */
	const qnode **notes;  /* by number (1..maxnote), or NULL */
	bool *note_queued;    /* by number: its insert is made or waiting */
	int maxnote;
	struct qbk_footq { const qnode *note; int anchor; } *footq;
	int nfootq, capfootq;
	char foot_num[16];    /* the note's number, for its first paragraph */
	int long_uri;         /* the last link too long for a PDF string */
	struct qbk_head *heads; /* per body page: what its running head names
	                       * (front.c, made on the first head drawn) */
	qpool *pool;          /* the program's (job->pool, or NULL): deflates
	                       * the finished pages while the next is drawn */
} qbk;

/* pdf.c: read the style and fonts and lay out the body and the front
 * matter (no drawing); false with an error in job->diags. Release with
 * qbk_release() in any case. Tests use these to check the layout. */
bool qbk_prepare(qbk *b, const qjob *job);
void qbk_release(qbk *b);

/* build.c: the body layout from the model. */
void qbk_build_body(qbk *b);
/* Inline content of a node into a paragraph with a base attribute. */
void qbk_inlines(qbk *b, ts_par *p, const qnode *n, const ts_attr *base);

/* figure.c: the picture of an image node's file in the body layout,
 * read the first time (a warning when it cannot be: once per file), or
 * -1. */
int qbk_picture(qbk *b, const qnode *img);
/* An image to show as a figure after the current block. */
void qbk_queue_figure(qbk *b, const qnode *img);
/* Place the queued figures in the measure x, w. */
void qbk_place_figures(qbk *b, float x, float w);

/* math.c: a formula in a paragraph, and a displayed one at x, w wide. */
void qbk_math_inline(qbk *b, ts_par *p, const qnode *n, const ts_attr *a);
void qbk_math_block(qbk *b, const qnode *n, float x, float w);

/* front.c */
void qbk_build_front(qbk *b);
/* Draw the running head / folio of physical page k. */
void qbk_draw_head(qbk *b, ts_drawer *dr, HPDF_Page hp, int k);
/* Outline (bookmarks) of sections and questions. */
void qbk_outline(qbk *b, HPDF_Doc pdf, HPDF_Page *pages);

/* Text for a PDF string (a bookmark, the document's info) in out: without
 * the leading spaces and the characters libharu cannot encode (beyond
 * the BMP, variation selectors), at most `most` characters and then an
 * ellipsis, since libharu refuses a string over 64 KB; "?" when nothing
 * is left. The whole text stays on the pages. Returns out's bytes. */
#define QBK_MARK_CHARS 2000   /* a bookmark (a whole paragraph made a question) */
#define QBK_INFO_CHARS 8000   /* the info's title, author, subject, keywords */
const char *qbk_pdf_text(const char *s, size_t most, qbuf *out);
/* Destination of a body mark: its HPDF page and y. */
HPDF_Destination qbk_mark_dest(qbk *b, HPDF_Page *pages, int mark);

/* The body page of physical page k, or -1 for front matter. */
static inline int qbk_body_page(const qbk *b, int k)
{
	return k >= b->nfront ? k - b->nfront : -1;
}

#endif
