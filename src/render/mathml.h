/* mathml.h - TeX math as MathML (quire's own translation, from the tree
 * of util/texmath.h), for the EPUB.
 *
 * The element is `<math xmlns="http://www.w3.org/1998/Math/MathML">` with
 * `alttext` holding the TeX as written and display="block" for a
 * displayed formula; a \tag is written after it as <span class="tag">.
 * Letters are <mi>, numbers <mn>, operators <mo>; \mathbb, \mathcal and
 * \mathfrak letters are their Unicode characters (𝔸-like, ℝ); limits of
 * \sum and \lim are <munderover>, other scripts <msubsup>; fractions
 * <mfrac>, radicals <msqrt>/<mroot>, environments <mtable> inside their
 * fences.
 *
 * Ownership: appends to a caller-owned qbuf.
 */
#ifndef QUIRE_MATHML_H
#define QUIRE_MATHML_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/buf.h"

/* Append the MathML of n bytes of TeX. False (nothing appended) when the
 * TeX is outside the subset quire understands. */
bool qmathml(qbuf *b, const char *tex, size_t n, bool display);

#endif
