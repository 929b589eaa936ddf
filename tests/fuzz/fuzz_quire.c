/* fuzz_quire.c - libFuzzer target: the reader and every back end, in
 * memory. Any input must give a document (or a clean refusal) and every
 * back end must render it without a crash, a leak or undefined behaviour.
 * The input is also read as a previous deck: as an .apkg (zip) and as
 * its collection (SQLite), from seeds that run.sh makes (real decks,
 * views, triggers, computed columns, huge fields); a read must end within
 * its budget whatever the file holds (libFuzzer's -timeout catches one
 * that does not). With QUIRE_FUZZ_DECK_ONLY only that part runs. The
 * input is also an image file: typed (render/image.h) and, a GIF, WebP
 * or SVG, decoded by backend/raster as the back ends do (run.sh seeds it
 * with tests/fixtures/images).
 * Crashes found become files in tests/fuzz/regress/ (replayed by run.sh). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <string.h>

#include "backend/apkg/apkg.h"
#include "backend/backend.h"
#include "backend/raster/raster.h"
#include "backend/zip/zip.h"
#include "model/check.h"
#include "reader/reader.h"

extern const qbackend qbackend_pdf, qbackend_epub, qbackend_apkg, qbackend_tree;

/* Every back end, as a run writes them: the booklet's pages go on to the
 * EPUB and the deck. */
static void render_all(const qdoc *doc, qdiags *d)
{
	const qbackend *all[] = {&qbackend_pdf, &qbackend_epub, &qbackend_apkg,
				 &qbackend_tree};
	qjob job = {.doc = doc, .epoch = 1700000000, .share = ".", .diags = d};
	int *pages = NULL;
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		qoutputs outs;
		qoutputs_init(&outs);
		job.card_pages = pages;
		all[i]->write(&job, &outs);
		if (outs.card_pages) {
			free(pages);
			pages = outs.card_pages;
			outs.card_pages = NULL;
		}
		qoutputs_free(&outs);
	}
	free(pages);
}

/* The input as a previous deck: an .apkg, or its collection. */
static void read_as_previous_deck(const uint8_t *data, size_t size)
{
	char err[256];
	qapkg_prev p;
	qapkg_prev_init(&p);
	if (size >= 16 && memcmp(data, "SQLite format 3", 16) == 0)
		qapkg_prev_load_db(&p, data, size, NULL, qapkg_prev_steps(size), err, sizeof err);
	else
		qapkg_prev_load_zip(&p, data, size, NULL, err, sizeof err);
	qapkg_prev_free(&p);
}

/* The input as an image file of the notes. */
static void decode_as_image(const uint8_t *data, size_t size)
{
	qimage_info info;
	const char *reason;
	char why[256];
	if (qimage_sniff((const char *)data, size, &info, &reason))
		qraster_check((const char *)data, size, info.type, why, sizeof why);
}

/* Whatever the input, the tree holds to the grammar of model.h; a
 * violation is a crash for libFuzzer to keep, with its description. */
static void check_tree(const qdoc *doc)
{
	qbuf why = QBUF_INIT;
	if (!qdoc_check(doc, &why)) {
		fprintf(stderr, "the tree breaks its grammar: %s\n", why.ptr);
		abort();
	}
	qbuf_free(&why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	read_as_previous_deck(data, size);
	decode_as_image(data, size);
	if (getenv("QUIRE_FUZZ_DECK_ONLY"))
		return 0;
	qdiags d;
	qdiags_init(&d, "fuzz.md");
	qread_opts o = {.path = "fuzz.md"};
	qdoc *doc = qread((const char *)data, size, &o, &d);
	if (doc) {
		check_tree(doc);
		qlint(doc, &d);
		if (!getenv("QUIRE_FUZZ_READER_ONLY"))
			render_all(doc, &d);
	}
	qdoc_free(doc);
	qdiags_free(&d);
	return 0;
}
