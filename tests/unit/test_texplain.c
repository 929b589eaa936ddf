/* test_texplain.c - formulas as plain Unicode text (util/texplain.h),
 * for the outputs' text-only places: symbols, letter variants, scripts
 * as script characters or ^(...), fractions, roots, text, fences, and
 * the TeX source kept whenever there is no text form; then the model's
 * shown titles and questions (model.h), its keys and anchors unchanged. */
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "reader/reader.h"
#include "testing.h"
#include "util/texplain.h"

static qbuf got;

/* The plain text of a formula (a NUL-terminated buffer reused). */
static const char *plain(const char *tex)
{
	qbuf_reset(&got);
	qtex_plain(tex, strlen(tex), &got);
	qbuf_putc(&got, '\0');
	return got.ptr;
}

TEST(symbols_and_spacing)
{
	CHECK_STR(plain("\\S 3.1"), "§3.1");
	CHECK_STR(plain("\\alpha^2 + \\beta_i"), "α² + βᵢ");
	CHECK_STR(plain("x \\in \\mathbb{R}"), "x ∈ ℝ");
	CHECK_STR(plain("x \\le 2"), "x ≤ 2");
	CHECK_STR(plain("-x"), "−x");
	CHECK_STR(plain("a = -b"), "a = −b");
	CHECK_STR(plain("f(x, y)"), "f(x, y)");
	CHECK_STR(plain("I:=\\int_0^1 x\\,dx"), "I := ∫₀¹ x dx");
	CHECK_STR(plain("\\sin x"), "sin x");
	CHECK_STR(plain("2\\sin(x)"), "2 sin(x)");
	CHECK_STR(plain("a \\not\\in B"), "a ∉ B");
	CHECK_STR(plain("x \\quad y\\,\\, z"), "x y z");
	CHECK_STR(plain("  "), "");
}

TEST(letter_variants)
{
	CHECK_STR(plain("\\mathbb{N} \\subset \\mathbb{Z}"), "ℕ ⊂ ℤ");
	CHECK_STR(plain("\\mathcal{L}"), "ℒ");
	CHECK_STR(plain("\\mathfrak{g}"), "𝔤");
	CHECK_STR(plain("\\mathcal{A}"), "𝒜");
}

TEST(scripts)
{
	CHECK_STR(plain("x^{n+1}"), "xⁿ⁺¹");
	CHECK_STR(plain("a_0"), "a₀");
	CHECK_STR(plain("x_i^2"), "xᵢ²");
	CHECK_STR(plain("A^T"), "Aᵀ");
	CHECK_STR(plain("\\S6.2^*"), "§6.2*");
	CHECK_STR(plain("f'(x)"), "f′(x)");
	CHECK_STR(plain("x^q"), "x^q");
	CHECK_STR(plain("x_{i,j}"), "x_(i,j)");
	CHECK_STR(plain("e^{\\sin x}"), "e^(sin x)");
	CHECK_STR(plain("\\sum_{i=1}^n i"), "∑ᵢ₌₁ⁿ i");
	CHECK_STR(plain("2^{2^n}"), "2^(2ⁿ)");
}

TEST(fractions_roots_text_fences)
{
	CHECK_STR(plain("\\frac{a}{b}"), "a/b");
	CHECK_STR(plain("\\frac{12}{5}"), "12/5");
	CHECK_STR(plain("\\frac{x+1}{2}"), "(x+1)/2");
	CHECK_STR(plain("\\frac{1}{x^2}"), "1/x²");
	CHECK_STR(plain("\\sqrt{x}"), "√x");
	CHECK_STR(plain("\\sqrt{x+1}"), "√(x+1)");
	CHECK_STR(plain("\\sqrt[3]{8}"), "³√8");
	CHECK_STR(plain("\\text{if } x > 0"), "if x > 0");
	CHECK_STR(plain("\\left( a + b \\right)"), "(a + b)");
	CHECK_STR(plain("\\left\\{ x \\right."), "{x");
	CHECK_STR(plain("\\vec{v}"), "v⃗");
	CHECK_STR(plain("\\overline{AB}"), "A̅B̅");
	CHECK_STR(plain("E = mc^2 \\tag{1}"), "E = mc² (1)");
}

/* What has no text form, or does not parse, stays as written. */
TEST(source_kept)
{
	CHECK(!qtex_plain("\\foo", 4, &got));
	CHECK_STR(plain("\\foo + x"), "\\foo + x");
	CHECK_STR(plain("\\frac{a}{b"), "\\frac{a}{b");
	CHECK_STR(plain("\\binom{n}{k}"), "\\binom{n}{k}");
	CHECK_STR(plain("\\begin{pmatrix} a & b \\end{pmatrix}"),
		  "\\begin{pmatrix} a & b \\end{pmatrix}");
	CHECK_STR(plain("\\overbrace{a+b}^{n}"), "\\overbrace{a+b}^{n}");
	CHECK_STR(plain("\\hat{xy}"), "\\hat{xy}");
	CHECK_STR(plain("\\,"), "\\,");
	/* appended after what the buffer holds */
	qbuf_reset(&got);
	qbuf_puts(&got, "Is ");
	CHECK(qtex_plain("\\pi", 3, &got));
	qbuf_putc(&got, '\0');
	CHECK_STR(got.ptr, "Is π");
}

/* Nesting to the parser's limit is walked without recursion. */
TEST(deep_nesting)
{
	qbuf tex = QBUF_INIT;
	for (int i = 0; i < 18; i++)
		qbuf_puts(&tex, "\\sqrt{");
	qbuf_putc(&tex, 'x');
	for (int i = 0; i < 18; i++)
		qbuf_putc(&tex, '}');
	qbuf_reset(&got);
	CHECK(qtex_plain(tex.ptr, tex.len, &got));
	CHECK(got.len == 18 * 3 + 1);
	qbuf_free(&tex);
}

static qdoc *read_notes(const char *md)
{
	qread_opts ro = {.path = "t.md"};
	qdiags d;
	qdiags_init(&d, "t.md");
	qdoc *doc = qread(md, strlen(md), &ro, &d);
	qdiags_free(&d);
	return doc;
}

/* The model keeps the TeX in what keys and anchors are made of, and
 * shows formulas as text beside it. */
TEST(model_shows_formulas)
{
	qdoc *doc = read_notes("---\ntitle: T\n---\n\n# Chapter $\\S 3.1$ on $\\alpha^2 + \\beta_i$\n\n"
			       "## What is $x \\in \\mathbb{R}$?\n\nA real number.\n\n"
			       "## Plain\n\nNo formula here?\n");
	CHECK(doc && doc->nsections >= 1 && doc->ncards >= 1);
	const qnode *s = doc->sections[0], *c = doc->cards[0];
	CHECK_STR(s->u.section.plain, "Chapter \\S 3.1 on \\alpha^2 + \\beta_i");
	CHECK_STR(qsection_shown(s), "Chapter §3.1 on α² + βᵢ");
	CHECK_STR(qsection_shown_name(s), "Chapter §3.1 on α² + βᵢ");
	CHECK_STR(s->u.section.anchor, "s-chapter-s-3-1-on-alpha-2-beta-i");
	CHECK_STR(c->u.card.plain, "What is x \\in \\mathbb{R}?");
	CHECK_STR(qcard_shown(c), "What is x ∈ ℝ?");
	CHECK(strstr(c->u.card.key, "mathbb") != NULL);
	qbuf path = QBUF_INIT;
	qnode_section_path_shown(c, " / ", &path);
	qbuf_putc(&path, '\0');
	CHECK_STR(path.ptr, "Chapter §3.1 on α² + βᵢ");
	qbuf_free(&path);
	CHECK_STR(qdoc_title_shown(doc), "T");
	for (int i = 0; i < doc->ncards; i++)   /* no formula: the same string */
		if (!strchr(doc->cards[i]->u.card.plain, '\\'))
			CHECK(qcard_shown(doc->cards[i]) == doc->cards[i]->u.card.plain);
	qdoc_free(doc);
	/* a title taken from the one top heading */
	doc = read_notes("# Notes on $\\mathcal{L}^2$\n\n## What is $\\pi$?\n\nA number.\n");
	CHECK(doc);
	CHECK_STR(doc->title, "Notes on \\mathcal{L}^2");
	CHECK_STR(qdoc_title_shown(doc), "Notes on ℒ²");
	qdoc_free(doc);
}

int main(void)
{
	RUN(symbols_and_spacing);
	RUN(letter_variants);
	RUN(scripts);
	RUN(fractions_roots_text_fences);
	RUN(source_kept);
	RUN(deep_nesting);
	RUN(model_shows_formulas);
	qbuf_free(&got);
	return testing_done();
}
