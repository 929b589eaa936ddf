/* pdf.h - what the PDF back end offers besides qbackend_pdf: its options
 * (options.h) and the lint of characters no font has.
 *
 * qpdf_lint_chars() reports every character of the notes that no font of
 * fonts/roles.conf can draw (it would print as a box), with the line of
 * its first use; `quire --lint` calls it, and a normal PDF build reports
 * the same warnings.
 *
 * Ownership: borrows everything; diagnostics are copied into d.
 */
#ifndef QUIRE_PDF_H
#define QUIRE_PDF_H

#include "../../model/model.h"
#include "../../util/diag.h"
#include "options.h"

/* share: the folder holding fonts/ (job->share); fonts_path: roles.conf to
 * use instead of share/fonts/roles.conf, or NULL. */
void qpdf_lint_chars(const qdoc *doc, const char *share, const char *fonts_path,
		     qdiags *d);

#endif
