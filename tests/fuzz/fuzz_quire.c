/* fuzz_quire.c - libFuzzer target: the reader and every back end, in
 * memory. Any input must give a document (or a clean refusal) and every
 * back end must render it without a crash, a leak or undefined behaviour.
 * The input is also read as a zip (how the Anki back end reads the
 * previous deck), from the seeds' small .apkg files.
 * Crashes found become files in tests/fuzz/regress/ (replayed by run.sh). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "backend/backend.h"
#include "backend/zip/zip.h"
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	qbuf member = QBUF_INIT;
	char err[128];
	qzip_read(data, size, "collection.anki2", (size_t)1 << 20, &member, err, sizeof err);
	qbuf_free(&member);
	qdiags d;
	qdiags_init(&d, "fuzz.md");
	qread_opts o = {.path = "fuzz.md"};
	qdoc *doc = qread((const char *)data, size, &o, &d);
	if (doc) {
		qlint(doc, &d);
		if (!getenv("QUIRE_FUZZ_READER_ONLY"))
			render_all(doc, &d);
	}
	qdoc_free(doc);
	qdiags_free(&d);
	return 0;
}
