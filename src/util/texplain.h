/* texplain.h - a TeX formula as readable plain Unicode text, for the
 * places of the outputs that show text only (an EPUB's contents and
 * <title>s, the booklet's bookmarks, a deck's section field and tags):
 * "\S 3.1" as "§3.1", "\alpha^2 + \beta_i" as "α² + βᵢ", "x \in
 * \mathbb{R}" as "x ∈ ℝ".
 *
 * It reads the tree of texmath.h: symbols by their code point,
 * \mathbb, \mathcal and \mathfrak letters as Unicode's letters, scripts
 * as super- and subscript characters when each of their characters has
 * one (else ^(...) and _(...)), \frac{a}{b} as a/b, \sqrt{x} as √x,
 * \text{...} as its text, \left( \right) as the delimiters.
 *
 * A formula the parser refuses, or one holding what has no plain text
 * form (a matrix, a binomial, a brace over a part), is written as its
 * TeX source, as the outputs showed it before: nothing vanishes.
 *
 * Ownership: the text is appended to the caller's buffer; nothing is
 * kept between calls.
 */
#ifndef QUIRE_TEXPLAIN_H
#define QUIRE_TEXPLAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* Append n bytes of TeX (without delimiters) as plain text to out.
 * False when the TeX source itself was appended instead. */
bool qtex_plain(const char *tex, size_t n, qbuf *out);

#endif
