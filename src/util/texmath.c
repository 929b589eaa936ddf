/* texmath.c - TeX math to a tree of atoms (see texmath.h): a recursive
 * descent over the source, its depth capped, with the tables of the
 * commands of the subset. */
#include "texmath.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "utf8.h"

/* ---------------------------------------------------------------- tables */

typedef struct sym {
	const char *name;
	uint32_t cp;
	uint8_t cls;
} sym;

static const sym symbols[] = {
	/* Greek */
	{"alpha", 0x3B1, QC_ORD}, {"beta", 0x3B2, QC_ORD}, {"gamma", 0x3B3, QC_ORD},
	{"delta", 0x3B4, QC_ORD}, {"epsilon", 0x3F5, QC_ORD}, {"varepsilon", 0x3B5, QC_ORD},
	{"zeta", 0x3B6, QC_ORD}, {"eta", 0x3B7, QC_ORD}, {"theta", 0x3B8, QC_ORD},
	{"vartheta", 0x3D1, QC_ORD}, {"iota", 0x3B9, QC_ORD}, {"kappa", 0x3BA, QC_ORD},
	{"varkappa", 0x3F0, QC_ORD}, {"lambda", 0x3BB, QC_ORD}, {"mu", 0x3BC, QC_ORD},
	{"nu", 0x3BD, QC_ORD}, {"xi", 0x3BE, QC_ORD}, {"omicron", 0x3BF, QC_ORD},
	{"pi", 0x3C0, QC_ORD}, {"varpi", 0x3D6, QC_ORD}, {"rho", 0x3C1, QC_ORD},
	{"varrho", 0x3F1, QC_ORD}, {"sigma", 0x3C3, QC_ORD}, {"varsigma", 0x3C2, QC_ORD},
	{"tau", 0x3C4, QC_ORD}, {"upsilon", 0x3C5, QC_ORD}, {"phi", 0x3D5, QC_ORD},
	{"varphi", 0x3C6, QC_ORD}, {"chi", 0x3C7, QC_ORD}, {"psi", 0x3C8, QC_ORD},
	{"omega", 0x3C9, QC_ORD}, {"digamma", 0x3DD, QC_ORD},
	{"Gamma", 0x393, QC_ORD}, {"Delta", 0x394, QC_ORD}, {"Theta", 0x398, QC_ORD},
	{"Lambda", 0x39B, QC_ORD}, {"Xi", 0x39E, QC_ORD}, {"Pi", 0x3A0, QC_ORD},
	{"Sigma", 0x3A3, QC_ORD}, {"Upsilon", 0x3A5, QC_ORD}, {"Phi", 0x3A6, QC_ORD},
	{"Psi", 0x3A8, QC_ORD}, {"Omega", 0x3A9, QC_ORD},
	/* binary operations */
	{"pm", 0xB1, QC_BIN}, {"mp", 0x2213, QC_BIN}, {"times", 0xD7, QC_BIN},
	{"div", 0xF7, QC_BIN}, {"cdot", 0x22C5, QC_BIN}, {"ast", 0x2217, QC_BIN},
	{"star", 0x22C6, QC_BIN}, {"circ", 0x2218, QC_BIN}, {"bullet", 0x2219, QC_BIN},
	{"cap", 0x2229, QC_BIN}, {"cup", 0x222A, QC_BIN}, {"sqcap", 0x2293, QC_BIN},
	{"sqcup", 0x2294, QC_BIN}, {"vee", 0x2228, QC_BIN}, {"lor", 0x2228, QC_BIN},
	{"wedge", 0x2227, QC_BIN}, {"land", 0x2227, QC_BIN}, {"setminus", 0x2216, QC_BIN},
	{"oplus", 0x2295, QC_BIN}, {"ominus", 0x2296, QC_BIN}, {"otimes", 0x2297, QC_BIN},
	{"oslash", 0x2298, QC_BIN}, {"odot", 0x2299, QC_BIN}, {"uplus", 0x228E, QC_BIN},
	{"diamond", 0x22C4, QC_BIN}, {"bigtriangleup", 0x25B3, QC_BIN},
	{"bigtriangledown", 0x25BD, QC_BIN}, {"triangleleft", 0x25C3, QC_BIN},
	{"triangleright", 0x25B9, QC_BIN}, {"wr", 0x2240, QC_BIN}, {"amalg", 0x2A3F, QC_BIN},
	{"dagger", 0x2020, QC_BIN}, {"ddagger", 0x2021, QC_BIN}, {"cdotp", 0x22C5, QC_PUNCT},
	/* relations */
	{"leq", 0x2264, QC_REL}, {"le", 0x2264, QC_REL}, {"geq", 0x2265, QC_REL},
	{"ge", 0x2265, QC_REL}, {"neq", 0x2260, QC_REL}, {"ne", 0x2260, QC_REL},
	{"equiv", 0x2261, QC_REL}, {"approx", 0x2248, QC_REL}, {"sim", 0x223C, QC_REL},
	{"simeq", 0x2243, QC_REL}, {"cong", 0x2245, QC_REL}, {"propto", 0x221D, QC_REL},
	{"ll", 0x226A, QC_REL}, {"gg", 0x226B, QC_REL}, {"subset", 0x2282, QC_REL},
	{"supset", 0x2283, QC_REL}, {"subseteq", 0x2286, QC_REL}, {"supseteq", 0x2287, QC_REL},
	{"subsetneq", 0x228A, QC_REL}, {"supsetneq", 0x228B, QC_REL}, {"in", 0x2208, QC_REL},
	{"notin", 0x2209, QC_REL}, {"ni", 0x220B, QC_REL}, {"owns", 0x220B, QC_REL},
	{"mid", 0x2223, QC_REL}, {"nmid", 0x2224, QC_REL}, {"parallel", 0x2225, QC_REL},
	{"nparallel", 0x2226, QC_REL}, {"perp", 0x22A5, QC_REL}, {"models", 0x22A8, QC_REL},
	{"vdash", 0x22A2, QC_REL}, {"dashv", 0x22A3, QC_REL}, {"vDash", 0x22A8, QC_REL},
	{"prec", 0x227A, QC_REL}, {"succ", 0x227B, QC_REL}, {"preceq", 0x2AAF, QC_REL},
	{"succeq", 0x2AB0, QC_REL}, {"asymp", 0x224D, QC_REL}, {"doteq", 0x2250, QC_REL},
	{"bowtie", 0x22C8, QC_REL}, {"leqslant", 0x2A7D, QC_REL}, {"geqslant", 0x2A7E, QC_REL},
	{"lesssim", 0x2272, QC_REL}, {"gtrsim", 0x2273, QC_REL}, {"approxeq", 0x224A, QC_REL},
	{"coloneqq", 0x2254, QC_REL}, {"triangleq", 0x225C, QC_REL},
	{"sqsubseteq", 0x2291, QC_REL}, {"sqsupseteq", 0x2292, QC_REL}, {"smile", 0x2323, QC_REL},
	{"frown", 0x2322, QC_REL}, {"lt", '<', QC_REL}, {"gt", '>', QC_REL},
	{"nleq", 0x2270, QC_REL}, {"ngeq", 0x2271, QC_REL}, {"nsim", 0x2241, QC_REL},
	{"ncong", 0x2247, QC_REL}, {"nsubseteq", 0x2288, QC_REL}, {"nsupseteq", 0x2289, QC_REL},
	{"therefore", 0x2234, QC_REL}, {"because", 0x2235, QC_REL},
	{"lhd", 0x22B2, QC_BIN}, {"rhd", 0x22B3, QC_BIN}, {"unlhd", 0x22B4, QC_BIN},
	{"unrhd", 0x22B5, QC_BIN}, {"trianglelefteq", 0x22B4, QC_REL},
	{"trianglerighteq", 0x22B5, QC_REL}, {"ntriangleleft", 0x22EA, QC_REL},
	{"ntrianglelefteq", 0x22EC, QC_REL}, {"subsetneqq", 0x2ACB, QC_REL},
	/* arrows */
	{"to", 0x2192, QC_REL}, {"rightarrow", 0x2192, QC_REL}, {"leftarrow", 0x2190, QC_REL},
	{"gets", 0x2190, QC_REL}, {"leftrightarrow", 0x2194, QC_REL}, {"Rightarrow", 0x21D2, QC_REL},
	{"Leftarrow", 0x21D0, QC_REL}, {"Leftrightarrow", 0x21D4, QC_REL},
	{"longrightarrow", 0x27F6, QC_REL},
	{"longleftarrow", 0x27F5, QC_REL}, {"longleftrightarrow", 0x27F7, QC_REL},
	{"Longrightarrow", 0x27F9, QC_REL}, {"Longleftarrow", 0x27F8, QC_REL},
	{"Longleftrightarrow", 0x27FA, QC_REL}, {"mapsto", 0x21A6, QC_REL},
	{"longmapsto", 0x27FC, QC_REL}, {"uparrow", 0x2191, QC_REL}, {"downarrow", 0x2193, QC_REL},
	{"updownarrow", 0x2195, QC_REL}, {"Uparrow", 0x21D1, QC_REL}, {"Downarrow", 0x21D3, QC_REL},
	{"Updownarrow", 0x21D5, QC_REL}, {"nearrow", 0x2197, QC_REL}, {"searrow", 0x2198, QC_REL},
	{"swarrow", 0x2199, QC_REL}, {"nwarrow", 0x2196, QC_REL}, {"hookrightarrow", 0x21AA, QC_REL},
	{"hookleftarrow", 0x21A9, QC_REL}, {"rightharpoonup", 0x21C0, QC_REL},
	{"leftharpoonup", 0x21BC, QC_REL}, {"rightleftharpoons", 0x21CC, QC_REL},
	{"leadsto", 0x21DD, QC_REL}, {"twoheadrightarrow", 0x21A0, QC_REL},
	{"rightrightarrows", 0x21C9, QC_REL}, {"leftleftarrows", 0x21C7, QC_REL},
	/* ordinary symbols */
	{"infty", 0x221E, QC_ORD}, {"partial", 0x2202, QC_ORD}, {"nabla", 0x2207, QC_ORD},
	{"forall", 0x2200, QC_ORD}, {"exists", 0x2203, QC_ORD}, {"nexists", 0x2204, QC_ORD},
	{"emptyset", 0x2205, QC_ORD}, {"varnothing", 0x2205, QC_ORD}, {"neg", 0xAC, QC_ORD},
	{"lnot", 0xAC, QC_ORD}, {"top", 0x22A4, QC_ORD}, {"bot", 0x22A5, QC_ORD},
	{"angle", 0x2220, QC_ORD}, {"measuredangle", 0x2221, QC_ORD}, {"triangle", 0x25B3, QC_ORD},
	{"ell", 0x2113, QC_ORD}, {"hbar", 0x210F, QC_ORD}, {"hslash", 0x210F, QC_ORD},
	{"Re", 0x211C, QC_ORD}, {"Im", 0x2111, QC_ORD}, {"aleph", 0x2135, QC_ORD},
	{"beth", 0x2136, QC_ORD}, {"wp", 0x2118, QC_ORD}, {"prime", 0x2032, QC_ORD},
	{"backslash", '\\', QC_ORD}, {"ldots", 0x2026, QC_INNER}, {"cdots", 0x22EF, QC_INNER},
	{"vdots", 0x22EE, QC_ORD}, {"ddots", 0x22F1, QC_INNER}, {"dots", 0x2026, QC_INNER},
	{"dotsc", 0x2026, QC_INNER}, {"dotsb", 0x22EF, QC_INNER},
	{"surd", 0x221A, QC_ORD}, {"flat", 0x266D, QC_ORD}, {"sharp", 0x266F, QC_ORD},
	{"natural", 0x266E, QC_ORD}, {"clubsuit", 0x2663, QC_ORD}, {"diamondsuit", 0x2662, QC_ORD},
	{"heartsuit", 0x2661, QC_ORD}, {"spadesuit", 0x2660, QC_ORD}, {"checkmark", 0x2713, QC_ORD},
	{"degree", 0xB0, QC_ORD}, {"square", 0x25A1, QC_ORD}, {"Box", 0x25A1, QC_ORD},
	{"blacksquare", 0x25A0, QC_ORD}, {"lozenge", 0x25CA, QC_ORD}, {"S", 0xA7, QC_ORD},
	{"P", 0xB6, QC_ORD}, {"dag", 0x2020, QC_ORD}, {"ddag", 0x2021, QC_ORD},
	{"imath", 0x131, QC_ORD}, {"jmath", 0x237, QC_ORD}, {"complement", 0x2201, QC_ORD},
	{"mho", 0x2127, QC_ORD}, {"eth", 0xF0, QC_ORD}, {"colon", ':', QC_PUNCT},
	{"vert", '|', QC_ORD}, {"Vert", 0x2016, QC_ORD}, {"|", 0x2016, QC_ORD},
	{"%", '%', QC_ORD}, {"$", '$', QC_ORD}, {"&", '&', QC_ORD}, {"#", '#', QC_ORD},
	{"_", '_', QC_ORD}, {"{", '{', QC_OPEN}, {"}", '}', QC_CLOSE},
	{"lbrace", '{', QC_OPEN}, {"rbrace", '}', QC_CLOSE}, {"langle", 0x27E8, QC_OPEN},
	{"rangle", 0x27E9, QC_CLOSE}, {"lfloor", 0x230A, QC_OPEN}, {"rfloor", 0x230B, QC_CLOSE},
	{"lceil", 0x2308, QC_OPEN}, {"rceil", 0x2309, QC_CLOSE}, {"lvert", '|', QC_OPEN},
	{"rvert", '|', QC_CLOSE}, {"lVert", 0x2016, QC_OPEN}, {"rVert", 0x2016, QC_CLOSE},
	{"lbrack", '[', QC_OPEN}, {"rbrack", ']', QC_CLOSE},
	/* KaTeX's own names for the same signs (notes written for Obsidian,
	 * Typora or a KaTeX site use them) */
	{"R", 0x211D, QC_ORD}, {"Reals", 0x211D, QC_ORD}, {"reals", 0x211D, QC_ORD},
	{"N", 0x2115, QC_ORD}, {"natnums", 0x2115, QC_ORD}, {"Z", 0x2124, QC_ORD},
	{"C", 0x2102, QC_ORD}, {"cnums", 0x2102, QC_ORD}, {"Complex", 0x2102, QC_ORD},
	{"part", 0x2202, QC_ORD}, {"exist", 0x2203, QC_ORD}, {"empty", 0x2205, QC_ORD},
	{"isin", 0x2208, QC_REL}, {"lang", 0x27E8, QC_OPEN}, {"rang", 0x27E9, QC_CLOSE},
	{"intercal", 0x22BA, QC_BIN}, {"larr", 0x2190, QC_REL}, {"rarr", 0x2192, QC_REL},
	{"lrarr", 0x2194, QC_REL}, {"harr", 0x2194, QC_REL}, {"Larr", 0x21D0, QC_REL},
	{"Rarr", 0x21D2, QC_REL}, {"Lrarr", 0x21D4, QC_REL}, {"Harr", 0x21D4, QC_REL},
	{NULL, 0, 0}};

typedef struct bigop {
	const char *name;
	uint32_t cp;
	bool limits;
} bigop;

static const bigop bigops[] = {
	{"sum", 0x2211, true}, {"prod", 0x220F, true}, {"coprod", 0x2210, true},
	{"int", 0x222B, false}, {"iint", 0x222C, false}, {"iiint", 0x222D, false},
	{"oint", 0x222E, false}, {"bigcup", 0x22C3, true}, {"bigcap", 0x22C2, true},
	{"bigvee", 0x22C1, true}, {"bigwedge", 0x22C0, true}, {"bigoplus", 0x2A01, true},
	{"bigotimes", 0x2A02, true}, {"bigodot", 0x2A00, true}, {"biguplus", 0x2A04, true},
	{"bigsqcup", 0x2A06, true}, {NULL, 0, false}};

/* Named operators; those after the bar take limits in display style. */
static const char *const ops[] = {
	"arccos", "arcsin", "arctan", "arg", "cos", "cosh", "cot", "coth", "csc", "deg",
	"dim", "exp", "hom", "ker", "lg", "ln", "log", "sec", "sin", "sinh", "tan", "tanh",
	"|", "det", "gcd", "inf", "lim", "liminf", "limsup", "max", "min", "Pr", "sup",
	NULL};

typedef struct accent {
	const char *name;
	uint32_t cp;
	bool wide;
} accent;

static const accent accents[] = {
	{"hat", 0x5E, false}, {"bar", 0xAF, false}, {"vec", 0x2192, false},
	{"tilde", 0x7E, false}, {"dot", 0x2D9, false}, {"ddot", 0xA8, false},
	{"check", 0x2C7, false}, {"breve", 0x2D8, false}, {"acute", 0xB4, false},
	{"grave", 0x60, false}, {"mathring", 0x2DA, false}, {"widehat", 0x5E, true},
	{"widetilde", 0x7E, true}, {"overrightarrow", 0x2192, true},
	{"overleftarrow", 0x2190, true}, {NULL, 0, false}};

typedef struct space {
	const char *name;
	float mu;
} space;

static const space spaces[] = {
	{",", 3}, {"thinspace", 3}, {":", 4}, {">", 4}, {"medspace", 4}, {";", 5},
	{"thickspace", 5}, {"!", -3}, {"negthinspace", -3}, {"negmedspace", -4},
	{"negthickspace", -5}, {"quad", 18}, {"qquad", 36}, {" ", 6}, {"enspace", 9},
	{NULL, 0}};

typedef struct font {
	const char *name;
	uint8_t font;
} font;

static const font fonts[] = {
	{"mathbb", QF_BB}, {"mathcal", QF_CAL}, {"mathscr", QF_CAL}, {"mathbf", QF_BF},
	{"mathrm", QF_RM}, {"mathit", QF_IT}, {"mathsf", QF_SF}, {"mathtt", QF_TT},
	{"mathfrak", QF_FRAK}, {"boldsymbol", QF_BFIT}, {"bm", QF_BFIT}, {"mathnormal", QF_MATH},
	{NULL, 0}};

static const struct { const char *name; uint8_t env; } envs[] = {
	{"matrix", QE_MATRIX}, {"pmatrix", QE_PMATRIX}, {"bmatrix", QE_BMATRIX},
	{"Bmatrix", QE_BBMATRIX}, {"vmatrix", QE_VMATRIX}, {"Vmatrix", QE_VVMATRIX},
	{"smallmatrix", QE_MATRIX}, {"cases", QE_CASES}, {"aligned", QE_ALIGNED},
	{"align", QE_ALIGNED}, {"align*", QE_ALIGNED}, {"split", QE_ALIGNED},
	{"gathered", QE_GATHERED}, {"gather", QE_GATHERED}, {"gather*", QE_GATHERED},
	{"array", QE_ARRAY}, {NULL, 0}};

/* ---------------------------------------------------------------- parser */

typedef struct parser {
	const char *s;
	size_t n, i;
	qtex *t;
	qtex_error *e;
	bool failed;
	int depth;
	uint8_t font;
	int env_depth;     /* inside an environment: & and \\ end cells */
	int left_depth;    /* inside \left: \right ends the row */
} parser;

enum { STOP_EOF = 1, STOP_BRACE = 2, STOP_CELL = 4, STOP_RIGHT = 8, STOP_BRACKET = 16 };

static void fail(parser *p, const char *fmt, const char *arg, size_t argn)
{
	if (p->failed)
		return;
	p->failed = true;
	p->e->pos = p->i;
	if (arg)
		snprintf(p->e->msg, sizeof p->e->msg, fmt, (int)(argn > 40 ? 40 : argn), arg);
	else
		snprintf(p->e->msg, sizeof p->e->msg, "%s", fmt);
}

static int new_node(parser *p, qtex_kind k)
{
	qtex *t = p->t;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->v = qxrealloc(t->v, sizeof *t->v * (size_t)t->cap);
	}
	qtex_node *x = &t->v[t->n];
	memset(x, 0, sizeof *x);
	x->kind = (uint8_t)k;
	x->a = x->b = x->c = x->first = x->next = -1;
	return t->n++;
}

static qtex_node *N(parser *p, int i)
{
	return &p->t->v[i];
}

static void skip_space(parser *p)
{
	while (p->i < p->n) {
		char c = p->s[p->i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			p->i++;
		} else if (c == '%') {   /* a comment, to the end of the line */
			while (p->i < p->n && p->s[p->i] != '\n')
				p->i++;
		} else {
			break;
		}
	}
}

static bool is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The name of the command at p->i (after the backslash): letters, or one
 * other character. */
static size_t command_name(parser *p, const char **name)
{
	size_t k = p->i + 1;
	*name = p->s + k;
	if (k >= p->n)
		return 0;
	if (!is_letter(p->s[k]))
		return 1;
	while (k < p->n && is_letter(p->s[k]))
		k++;
	if (k < p->n && p->s[k] == '*' && (size_t)(k - p->i - 1) == 12
	    && !strncmp(*name, "operatorname", 12))
		k++;
	return k - p->i - 1;
}

static bool name_is(const char *name, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(name, lit, n) == 0;
}

static int parse_row(parser *p, int stop);
static int parse_atom(parser *p);

static bool enter(parser *p)
{
	if (++p->depth > QTEX_MAX_DEPTH) {
		fail(p, "nested more than 40 levels deep", NULL, 0);
		return false;
	}
	return true;
}

/* {…} as a row, or one token as an atom. */
static int parse_arg(parser *p)
{
	skip_space(p);
	if (p->i >= p->n) {
		fail(p, "an argument is missing at the end", NULL, 0);
		return -1;
	}
	if (p->s[p->i] == '{') {
		p->i++;
		int r = parse_row(p, STOP_BRACE);
		if (p->i < p->n && p->s[p->i] == '}')
			p->i++;
		else
			fail(p, "unbalanced {", NULL, 0);
		return r;
	}
	if (p->s[p->i] == '}' || p->s[p->i] == '&' || p->s[p->i] == '^' || p->s[p->i] == '_') {
		fail(p, "an argument is missing before %.*s", p->s + p->i, 1);
		return -1;
	}
	return parse_atom(p);
}

/* A brace group's raw text (\text, \operatorname): balanced braces. */
static bool raw_group(parser *p, size_t *from, size_t *len)
{
	skip_space(p);
	if (p->i >= p->n || p->s[p->i] != '{') {
		fail(p, "{ expected after a text command", NULL, 0);
		return false;
	}
	int depth = 0;
	size_t k = p->i;
	for (; k < p->n; k++) {
		if (p->s[k] == '\\' && k + 1 < p->n) {
			k++;
			continue;
		}
		if (p->s[k] == '{')
			depth++;
		else if (p->s[k] == '}' && --depth == 0)
			break;
	}
	if (k >= p->n) {
		fail(p, "unbalanced {", NULL, 0);
		return false;
	}
	*from = p->i + 1;
	*len = k - p->i - 1;
	p->i = k + 1;
	return true;
}

/* Text of \text{...} with \{ \} \_ \% \$ \& \# unescaped and \, spaces. */
static void put_text(parser *p, const char *s, size_t n)
{
	qbuf *b = &p->t->text;
	for (size_t k = 0; k < n; k++) {
		if (s[k] == '\\' && k + 1 < n && strchr("{}_%$&# ", s[k + 1])) {
			qbuf_putc(b, s[++k]);
		} else if (s[k] == '\\' && k + 1 < n && s[k + 1] == ',') {
			qbuf_puts(b, "\xE2\x80\x89");   /* thin space */
			k++;
		} else if (s[k] == '{' || s[k] == '}') {
			continue;
		} else if (s[k] == '~') {
			qbuf_puts(b, "\xC2\xA0");
		} else if (s[k] == '\\') {
			fail(p, "%.*s is not known inside \\text", s + k, 2);
			return;
		} else {
			qbuf_putc(b, s[k]);
		}
	}
}

static int text_node(parser *p, qtex_kind k, const char *s, size_t n, uint8_t f)
{
	int x = new_node(p, k);
	N(p, x)->off = (uint32_t)p->t->text.len;
	put_text(p, s, n);
	N(p, x)->len = (uint32_t)(p->t->text.len - N(p, x)->off);
	N(p, x)->font = f;
	N(p, x)->cls = k == QT_OP ? QC_OP : QC_ORD;
	return x;
}

static int sym_node(parser *p, uint32_t cp, uint8_t cls)
{
	int x = new_node(p, QT_SYM);
	N(p, x)->cp = cp;
	N(p, x)->cls = cls;
	N(p, x)->font = p->font;
	return x;
}

/* The class of a character typed as itself. */
static uint8_t char_class(uint32_t cp)
{
	switch (cp) {
	case '+': case '-': case '*': case 0x2212: case 0xD7: case 0xB1: case 0xF7: case 0x22C5:
		return QC_BIN;
	case '=': case '<': case '>': case ':': case 0x2264: case 0x2265: case 0x2260:
	case 0x2248: case 0x2261: case 0x2192: case 0x2190: case 0x21D2: case 0x21D4: case 0x2208:
		return QC_REL;
	case ',': case ';':
		return QC_PUNCT;
	case '(': case '[':
		return QC_OPEN;
	case ')': case ']': case '!': case '?':
		return QC_CLOSE;
	default:
		for (const sym *s = symbols; s->name; s++)
			if (s->cp == cp && cp > 0x7F)
				return s->cls;
		return QC_ORD;
	}
}

/* A delimiter after \left, \right, \big: a character or a command. */
static bool parse_delim(parser *p, uint32_t *cp)
{
	skip_space(p);
	if (p->i >= p->n) {
		fail(p, "a delimiter is missing at the end", NULL, 0);
		return false;
	}
	char c = p->s[p->i];
	if (c == '\\') {
		const char *name;
		size_t nl = command_name(p, &name);
		for (const sym *s = symbols; s->name; s++)
			if (name_is(name, nl, s->name) && (s->cls == QC_OPEN || s->cls == QC_CLOSE
							    || s->cp == '|' || s->cp == 0x2016
							    || s->cp == '\\' || s->cp == 0x2191
							    || s->cp == 0x2193 || s->cp == 0x21D1
							    || s->cp == 0x21D3)) {
				*cp = s->cp;
				p->i += 1 + nl;
				return true;
			}
		fail(p, "\\%.*s is no delimiter", name, nl);
		return false;
	}
	if (strchr("()[]|./<>", c)) {
		*cp = c == '.' ? 0 : c == '<' ? 0x27E8 : c == '>' ? 0x27E9 : (uint32_t)c;
		p->i++;
		return true;
	}
	fail(p, "%.*s is no delimiter", p->s + p->i, 1);
	return false;
}

static int parse_env(parser *p, const char *name, size_t nl);

/* \frac and friends: two arguments. */
static int frac_node(parser *p, int style, bool rule)
{
	int x = new_node(p, QT_FRAC);
	int a = parse_arg(p);
	int b = parse_arg(p);
	qtex_node *f = N(p, x);
	f->a = a;
	f->b = b;
	f->style = (uint8_t)style;
	f->rule = rule;
	f->cls = rule ? QC_ORD : QC_INNER;
	if (!rule) {
		f->open = '(';
		f->close = ')';
	}
	return x;
}

/* The one atom of an argument: x itself, or a group's only atom (not a
 * space or a style change, which are nothing without the group); -1
 * when there is no such atom. */
static int sole_atom(parser *p, int x)
{
	const qtex_node *a = N(p, x);
	if (a->kind == QT_ROW && a->first >= 0 && N(p, a->first)->next < 0)
		x = a->first;
	a = N(p, x);
	return a->kind == QT_ROW || a->kind == QT_SPACE || a->kind == QT_STYLE ? -1 : x;
}

/* \overset{A}{B}, \underset{A}{B}, \stackrel{A}{B}: B with A above or
 * below it, as TeX's \mathop{B}\limits^{A}: scripts that are always
 * limits. The whole keeps the class of B's one atom, as amsmath's
 * \overset does (`\overset{def}{=}` spaces as a relation; a longer B
 * is an ordinary); LaTeX's \stackrel is a relation whatever B is. The
 * group of one atom is dropped, so that a stacked \lim or = is that
 * operator to the writers too. */
static int stack_node(parser *p, bool under, bool rel)
{
	int x = new_node(p, QT_SCRIPTS);
	int note = parse_arg(p);
	int base = parse_arg(p);
	if (p->failed)
		return -1;
	int one = sole_atom(p, base);
	qtex_node *s = N(p, x);
	s->a = one >= 0 ? one : base;
	if (under)
		s->b = note;
	else
		s->c = note;
	s->limits = true;
	s->cls = rel ? QC_REL : one >= 0 ? N(p, one)->cls : QC_ORD;
	return x;
}

static int parse_command(parser *p)
{
	const char *name;
	size_t nl = command_name(p, &name);
	if (nl == 0) {
		fail(p, "a lone \\ at the end", NULL, 0);
		return -1;
	}
	p->i += 1 + nl;
	for (const sym *s = symbols; s->name; s++)
		if (name[0] == s->name[0] && name_is(name, nl, s->name))
			return sym_node(p, s->cp, s->cls);
	for (const bigop *b = bigops; b->name; b++)
		if (name_is(name, nl, b->name)) {
			int x = new_node(p, QT_BIGOP);
			N(p, x)->cp = b->cp;
			N(p, x)->limits = b->limits;
			N(p, x)->cls = QC_OP;
			return x;
		}
	bool limits = false;
	for (int k = 0; ops[k]; k++) {
		if (ops[k][0] == '|') {
			limits = true;
			continue;
		}
		if (name_is(name, nl, ops[k])) {
			int x = text_node(p, QT_OP, ops[k], strlen(ops[k]), QF_RM);
			N(p, x)->limits = limits;
			return x;
		}
	}
	for (const space *s = spaces; s->name; s++)
		if (name_is(name, nl, s->name)) {
			int x = new_node(p, QT_SPACE);
			N(p, x)->mu = s->mu;
			return x;
		}
	for (const accent *a = accents; a->name; a++)
		if (name_is(name, nl, a->name)) {
			int x = new_node(p, QT_ACCENT);
			int body = parse_arg(p);
			N(p, x)->a = body;
			N(p, x)->cp = a->cp;
			N(p, x)->wide = a->wide;
			return x;
		}
	for (const font *f = fonts; f->name; f++)
		if (name_is(name, nl, f->name)) {
			uint8_t saved = p->font;
			p->font = f->font;
			int x = parse_arg(p);
			p->font = saved;
			return x;
		}
	if (name_is(name, nl, "frac") || name_is(name, nl, "cfrac"))
		return frac_node(p, 0, true);
	if (name_is(name, nl, "dfrac"))
		return frac_node(p, 1, true);
	if (name_is(name, nl, "tfrac"))
		return frac_node(p, 2, true);
	if (name_is(name, nl, "binom"))
		return frac_node(p, 0, false);
	if (name_is(name, nl, "dbinom"))
		return frac_node(p, 1, false);
	if (name_is(name, nl, "tbinom"))
		return frac_node(p, 2, false);
	if (name_is(name, nl, "sqrt")) {
		int x = new_node(p, QT_SQRT), idx = -1;
		skip_space(p);
		if (p->i < p->n && p->s[p->i] == '[') {
			p->i++;
			idx = parse_row(p, STOP_BRACKET);
			if (p->i < p->n && p->s[p->i] == ']')
				p->i++;
			else
				fail(p, "unbalanced [ after \\sqrt", NULL, 0);
		}
		int body = parse_arg(p);
		N(p, x)->a = body;
		N(p, x)->b = idx;
		return x;
	}
	if (name_is(name, nl, "overline") || name_is(name, nl, "underline")
	    || name_is(name, nl, "overbrace") || name_is(name, nl, "underbrace")) {
		bool over = name[0] == 'o';
		int x = new_node(p, over ? QT_OVER : QT_UNDER);
		int body = parse_arg(p);
		N(p, x)->a = body;
		N(p, x)->cp = name[nl - 5] == 'b' ? (over ? 0x23DE : 0x23DF) : 0;
		if (N(p, x)->cp)
			N(p, x)->cls = QC_OP;   /* its label goes above or below */
		N(p, x)->limits = N(p, x)->cp != 0;
		return x;
	}
	if (name_is(name, nl, "overset") || name_is(name, nl, "underset")
	    || name_is(name, nl, "stackrel"))
		return stack_node(p, name[0] == 'u', name[0] == 's');
	if (name_is(name, nl, "text") || name_is(name, nl, "textrm") || name_is(name, nl, "mbox")
	    || name_is(name, nl, "textbf") || name_is(name, nl, "textit")
	    || name_is(name, nl, "texttt") || name_is(name, nl, "textsf")
	    || name_is(name, nl, "textnormal")) {
		size_t from, len;
		if (!raw_group(p, &from, &len))
			return -1;
		uint8_t f = name_is(name, nl, "textbf") ? QF_BF : name_is(name, nl, "textit") ? QF_IT
			  : name_is(name, nl, "texttt") ? QF_TT : name_is(name, nl, "textsf") ? QF_SF : QF_RM;
		return text_node(p, QT_TEXT, p->s + from, len, f);
	}
	if (name_is(name, nl, "operatorname") || name_is(name, nl, "operatorname*")) {
		size_t from, len;
		if (!raw_group(p, &from, &len))
			return -1;
		int x = text_node(p, QT_OP, p->s + from, len, QF_RM);
		N(p, x)->limits = name[nl - 1] == '*';
		return x;
	}
	if (name_is(name, nl, "implies") || name_is(name, nl, "impliedby") || name_is(name, nl, "iff")) {
		/* amsmath: \;\Longrightarrow\; - a chain the row splices in */
		int a = new_node(p, QT_SPACE), r = sym_node(p, name[1] == 'f' ? 0x27FA
					      : name[nl - 1] == 's' ? 0x27F9 : 0x27F8, QC_REL),
		    b = new_node(p, QT_SPACE);
		N(p, a)->mu = N(p, b)->mu = 5;
		N(p, a)->next = r;
		N(p, r)->next = b;
		return a;
	}
	if (name_is(name, nl, "bmod") || name_is(name, nl, "mod")) {
		int x = text_node(p, QT_OP, "mod", 3, QF_RM);
		N(p, x)->cls = QC_BIN;
		return x;
	}
	if (name_is(name, nl, "pmod")) {   /* (mod n) */
		int row = new_node(p, QT_ROW);
		int sp = new_node(p, QT_SPACE);
		N(p, sp)->mu = 18;
		int o = sym_node(p, '(', QC_OPEN);
		int m = text_node(p, QT_OP, "mod", 3, QF_RM);
		N(p, m)->cls = QC_ORD;
		int sp2 = new_node(p, QT_SPACE);
		N(p, sp2)->mu = 6;
		int arg = parse_arg(p);
		int c = sym_node(p, ')', QC_CLOSE);
		N(p, row)->first = sp;
		N(p, sp)->next = o;
		N(p, o)->next = m;
		N(p, m)->next = sp2;
		N(p, sp2)->next = arg >= 0 ? arg : c;
		if (arg >= 0)
			N(p, arg)->next = c;
		return row;
	}
	if (name_is(name, nl, "left")) {
		uint32_t open, close;
		if (!parse_delim(p, &open))
			return -1;
		int x = new_node(p, QT_FENCED);
		p->left_depth++;
		int body = parse_row(p, STOP_RIGHT);
		p->left_depth--;
		if (p->i + 6 <= p->n && !strncmp(p->s + p->i, "\\right", 6)) {
			p->i += 6;
			if (!parse_delim(p, &close))
				return -1;
		} else {
			fail(p, "\\left without \\right", NULL, 0);
			return -1;
		}
		N(p, x)->a = body;
		N(p, x)->open = open;
		N(p, x)->close = close;
		N(p, x)->cls = QC_INNER;
		return x;
	}
	if (name_is(name, nl, "right")) {
		fail(p, "\\right without \\left", NULL, 0);
		return -1;
	}
	if (name_is(name, nl, "middle")) {
		uint32_t cp;
		if (!parse_delim(p, &cp))
			return -1;
		return sym_node(p, cp ? cp : ' ', QC_REL);
	}
	static const char *const bigs[] = {"big", "Big", "bigg", "Bigg"};
	for (int k = 0; k < 4; k++) {
		size_t bl = strlen(bigs[k]);
		if (nl < bl || nl > bl + 1 || memcmp(name, bigs[k], bl) != 0)
			continue;
		char suffix = nl > bl ? name[bl] : 0;
		if (suffix && suffix != 'l' && suffix != 'r' && suffix != 'm')
			continue;
		uint32_t cp;
		if (!parse_delim(p, &cp))
			return -1;
		int x = new_node(p, QT_DELIM);
		N(p, x)->cp = cp;
		N(p, x)->size = (int16_t)(k + 1);
		N(p, x)->cls = suffix == 'l' ? QC_OPEN : suffix == 'r' ? QC_CLOSE
			     : suffix == 'm' ? QC_REL : char_class(cp);
		return x;
	}
	if (name_is(name, nl, "not")) {
		skip_space(p);
		int x = parse_atom(p);
		if (x >= 0 && N(p, x)->kind == QT_SYM) {
			qtex_node *s = N(p, x);
			static const uint32_t neg[][2] = {
				{'=', 0x2260}, {0x2208, 0x2209}, {0x2282, 0x2284}, {0x2283, 0x2285},
				{0x2286, 0x2288}, {0x2287, 0x2289}, {0x2264, 0x2270}, {0x2265, 0x2271},
				{'<', 0x226E}, {'>', 0x226F}, {0x2261, 0x2262}, {0x223C, 0x2241},
				{0x2248, 0x2249}, {0x2245, 0x2247}, {0x2223, 0x2224}, {0x2225, 0x2226}};
			for (size_t k = 0; k < sizeof neg / sizeof neg[0]; k++)
				if (neg[k][0] == s->cp) {
					s->cp = neg[k][1];
					return x;
				}
			s->negated = true;
			return x;
		}
		fail(p, "\\not before something that is no symbol", NULL, 0);
		return -1;
	}
	if (name_is(name, nl, "displaystyle") || name_is(name, nl, "textstyle")
	    || name_is(name, nl, "scriptstyle") || name_is(name, nl, "scriptscriptstyle")) {
		int x = new_node(p, QT_STYLE);
		N(p, x)->style = name[0] == 'd' ? 1 : name[0] == 't' ? 2 : name[6] == 's' ? 4 : 3;
		return x;
	}
	if (name_is(name, nl, "begin")) {
		size_t from, len;
		if (!raw_group(p, &from, &len))
			return -1;
		return parse_env(p, p->s + from, len);
	}
	if (name_is(name, nl, "end")) {
		fail(p, "\\end without \\begin", NULL, 0);
		return -1;
	}
	fail(p, "\\%.*s is not known", name, nl);
	return -1;
}

/* \tag{...} at the top: kept apart. */
static bool parse_tag(parser *p)
{
	const char *name;
	size_t nl = command_name(p, &name);
	if (name_is(name, nl, "notag") || name_is(name, nl, "nonumber")) {
		p->i += 1 + nl;
		return true;
	}
	if (!name_is(name, nl, "tag") && !(nl == 3 && p->i + 5 < p->n && !strncmp(name, "tag*", 4)))
		return false;
	p->i += 1 + nl + (name[nl] == '*');
	size_t from, len;
	if (raw_group(p, &from, &len) && p->t->tag < 0)
		p->t->tag = text_node(p, QT_TEXT, p->s + from, len, QF_RM);
	return true;
}

static int parse_atom(parser *p)
{
	if (!enter(p))
		return -1;
	int x = -1;
	char c = p->s[p->i];
	if (c == '{') {
		p->i++;
		x = parse_row(p, STOP_BRACE);
		if (p->i < p->n && p->s[p->i] == '}')
			p->i++;
		else
			fail(p, "unbalanced {", NULL, 0);
	} else if (c == '\\') {
		x = parse_command(p);
	} else if (c == '~') {
		p->i++;
		x = new_node(p, QT_SPACE);
		N(p, x)->mu = 6;
	} else if (c == '#' || c == '&' || c == '$') {
		fail(p, "%.*s is not allowed here", p->s + p->i, 1);
	} else {
		size_t l;
		int32_t d = qutf8_decode((const unsigned char *)p->s + p->i, p->n - p->i, &l);
		uint32_t cp = d < 0 ? 0xFFFD : (uint32_t)d;
		p->i += l;
		if (cp == '-')
			cp = 0x2212;
		else if (cp == '*')
			cp = 0x2217;
		x = sym_node(p, cp, char_class(cp));
	}
	p->depth--;
	return x;
}

/* Attach ^, _ and primes after the atom x (or to an empty nucleus). */
static int parse_scripts(parser *p, int x)
{
	int sup = -1, sub = -1, primes = 0;
	for (;;) {
		skip_space(p);
		if (p->i >= p->n)
			break;
		char c = p->s[p->i];
		if (c == '\'') {
			if (sup >= 0) {
				fail(p, "a prime after a superscript", NULL, 0);
				return -1;
			}
			primes++;
			p->i++;
		} else if (c == '^' || c == '_') {
			p->i++;
			if ((c == '^' ? sup : sub) >= 0) {
				fail(p, c == '^' ? "double superscript" : "double subscript", NULL, 0);
				return -1;
			}
			if (!enter(p))
				return -1;
			int arg = parse_arg(p);
			p->depth--;
			if (c == '^')
				sup = arg;
			else
				sub = arg;
		} else {
			break;
		}
	}
	if (primes) {   /* x'' is x^{\prime\prime}, joined with a superscript */
		int row = new_node(p, QT_ROW), prev = -1;
		for (int k = 0; k < primes; k++) {
			int s = sym_node(p, 0x2032, QC_ORD);
			if (prev < 0)
				N(p, row)->first = s;
			else
				N(p, prev)->next = s;
			prev = s;
		}
		if (sup >= 0)
			N(p, prev)->next = sup;
		sup = row;
	}
	if (sup < 0 && sub < 0)
		return x;
	int s = new_node(p, QT_SCRIPTS);
	N(p, s)->a = x;
	N(p, s)->b = sub;
	N(p, s)->c = sup;
	N(p, s)->cls = x >= 0 ? N(p, x)->cls : QC_ORD;
	if (x >= 0 && (N(p, x)->kind == QT_OP || N(p, x)->kind == QT_BIGOP))
		N(p, s)->cls = QC_OP;
	return s;
}

static int parse_row(parser *p, int stop)
{
	if (!enter(p))
		return -1;
	int row = new_node(p, QT_ROW), last = -1;
	while (!p->failed) {
		skip_space(p);
		if (p->i >= p->n) {
			if (!(stop & STOP_EOF))
				fail(p, stop & STOP_RIGHT ? "\\left without \\right"
				     : stop & STOP_BRACKET ? "unbalanced ["
				     : stop & STOP_CELL ? "\\begin without \\end" : "unbalanced {", NULL, 0);
			break;
		}
		char c = p->s[p->i];
		if (c == '}') {
			if (!(stop & STOP_BRACE))
				fail(p, "unbalanced }", NULL, 0);
			break;
		}
		if (c == ']' && (stop & STOP_BRACKET))
			break;
		if (c == '&') {
			if (stop & STOP_CELL)
				break;
			fail(p, "& outside an environment", NULL, 0);
			break;
		}
		if (c == '\\' && p->i + 1 < p->n && p->s[p->i + 1] == '\\') {
			if (stop & STOP_CELL)
				break;
			fail(p, "\\\\ outside an environment", NULL, 0);
			break;
		}
		if (c == '\\' && (stop & STOP_RIGHT) && p->i + 6 <= p->n
		    && !strncmp(p->s + p->i, "\\right", 6) && !is_letter(p->i + 6 < p->n ? p->s[p->i + 6] : ' '))
			break;
		if (c == '\\' && (stop & STOP_CELL) && p->i + 4 <= p->n && !strncmp(p->s + p->i, "\\end", 4)
		    && !is_letter(p->i + 4 < p->n ? p->s[p->i + 4] : ' '))
			break;
		if (c == '\\' && parse_tag(p))
			continue;
		int x;
		if (c == '^' || c == '_' || c == '\'') {
			x = parse_scripts(p, -1);
		} else {
			x = parse_atom(p);
			if (x < 0)
				break;
			skip_space(p);
			if (p->i + 7 <= p->n && p->s[p->i] == '\\'
			    && (!strncmp(p->s + p->i, "\\limits", 7) || !strncmp(p->s + p->i, "\\nolimits", 9))) {
				bool on = p->s[p->i + 1] == 'l';
				if (N(p, x)->kind != QT_OP && N(p, x)->kind != QT_BIGOP) {
					fail(p, "\\limits after something that is no operator", NULL, 0);
					break;
				}
				N(p, x)->limits = on;
				p->i += on ? 7 : 9;
			}
			x = parse_scripts(p, x);
		}
		if (x < 0)
			break;
		if (last < 0)
			N(p, row)->first = x;
		else
			N(p, last)->next = x;
		last = x;
		while (N(p, last)->next >= 0)   /* \implies is spliced in whole */
			last = N(p, last)->next;
	}
	p->depth--;
	return row;
}

/* Rows of cells up to \end{name}; short rows get empty cells. */
static int parse_env(parser *p, const char *name, size_t nl)
{
	int env = -1;
	for (int k = 0; envs[k].name; k++)
		if (name_is(name, nl, envs[k].name))
			env = envs[k].env;
	if (env < 0) {
		fail(p, "the environment %.*s is not known", name, nl);
		return -1;
	}
	size_t from, len;
	if (env == QE_ARRAY && !raw_group(p, &from, &len))   /* column spec: not used */
		return -1;
	int x = new_node(p, QT_ARRAY);
	N(p, x)->env = (int16_t)env;
	int *cell = NULL, *rowof = NULL, ncell = 0, cap = 0, rows = 0, cols = 0, col = 0;
	p->env_depth++;
	while (!p->failed) {
		int c = parse_row(p, STOP_CELL);
		if (p->failed)
			break;
		if (ncell == cap) {
			cap = cap ? cap * 2 : 16;
			cell = qxrealloc(cell, sizeof *cell * (size_t)cap);
			rowof = qxrealloc(rowof, sizeof *rowof * (size_t)cap);
		}
		cell[ncell] = c;
		rowof[ncell++] = rows;
		col++;
		if (p->s[p->i] == '&') {
			p->i++;
			continue;
		}
		if (col > cols)
			cols = col;
		col = 0;
		rows++;
		bool end = p->i + 1 >= p->n || p->s[p->i + 1] != '\\';
		p->i += end ? 4 : 2;
		if (end)
			break;
		skip_space(p);
		if (p->i < p->n && p->s[p->i] == '[') {   /* \\[2pt]: spacing, not used */
			while (p->i < p->n && p->s[p->i] != ']')
				p->i++;
			p->i += p->i < p->n;
			skip_space(p);
		}
		if (p->i + 4 <= p->n && !strncmp(p->s + p->i, "\\end", 4)) {
			p->i += 4;   /* a \\ before \end adds no row */
			break;
		}
	}
	p->env_depth--;
	if (!p->failed && raw_group(p, &from, &len) && (len != nl || memcmp(p->s + from, name, nl)))
		fail(p, "\\end{%.*s} does not match its \\begin", p->s + from, len);
	/* short rows are padded: a ragged array could ask for rows x cols
	 * cells from a few bytes */
	if (!p->failed && (long long)rows * cols > 4LL * ncell + 4096)
		fail(p, "an environment of very uneven rows", NULL, 0);
	if (p->failed) {
		free(cell);
		free(rowof);
		return -1;
	}
	int last = -1;
	for (int r = 0, k = 0; r < rows; r++) {
		int c = 0;
		for (; c < cols; c++) {
			int e = k < ncell && rowof[k] == r ? cell[k++] : new_node(p, QT_ROW);
			if (last < 0)
				N(p, x)->first = e;
			else
				N(p, last)->next = e;
			last = e;
		}
	}
	free(cell);
	free(rowof);
	N(p, x)->rows = rows;
	N(p, x)->cols = cols;
	static const uint32_t fence[][2] = {
		[QE_PMATRIX] = {'(', ')'}, [QE_BMATRIX] = {'[', ']'}, [QE_BBMATRIX] = {'{', '}'},
		[QE_VMATRIX] = {'|', '|'}, [QE_VVMATRIX] = {0x2016, 0x2016}, [QE_CASES] = {'{', 0},
	};
	if (env < (int)(sizeof fence / sizeof fence[0])) {
		N(p, x)->open = fence[env][0];
		N(p, x)->close = fence[env][1];
	}
	N(p, x)->cls = N(p, x)->open ? QC_INNER : QC_ORD;
	return x;
}

/* The top: a row, or lines joined by \\ (a display of several lines). */
static int parse_top(parser *p)
{
	int first = parse_row(p, STOP_EOF | STOP_CELL);
	if (p->failed)
		return -1;
	if (p->i >= p->n)
		return first;
	int x = new_node(p, QT_ARRAY);
	N(p, x)->env = QE_GATHERED;
	N(p, x)->first = first;
	int last = first, rows = 1;
	while (p->i < p->n && !p->failed) {
		if (p->s[p->i] == '&' || p->i + 1 >= p->n || p->s[p->i + 1] != '\\') {
			fail(p, p->s[p->i] == '&' ? "& outside an environment" : "\\end without \\begin",
			     NULL, 0);
			return -1;
		}
		p->i += 2;   /* \\ */
		skip_space(p);
		if (p->i >= p->n)
			break;
		int r = parse_row(p, STOP_EOF | STOP_CELL);
		N(p, last)->next = r;
		last = r;
		rows++;
	}
	if (p->failed)
		return -1;
	N(p, x)->rows = rows;
	N(p, x)->cols = 1;
	int row = new_node(p, QT_ROW);
	N(p, row)->first = x;
	return row;
}

qtex *qtex_parse(const char *s, size_t n, qtex_error *e)
{
	qtex_error spare;
	if (!e)
		e = &spare;
	e->msg[0] = '\0';
	e->pos = 0;
	qtex *t = qxmalloc(sizeof *t);
	memset(t, 0, sizeof *t);
	qbuf_init(&t->text);
	t->tag = -1;
	parser p = {.s = s, .n = n, .t = t, .e = e};
	t->root = parse_top(&p);
	if (p.failed || t->root < 0) {
		if (!p.failed)
			snprintf(e->msg, sizeof e->msg, "not understood");
		qtex_free(t);
		return NULL;
	}
	if (!t->text.ptr)
		qbuf_puts(&t->text, "");
	return t;
}

void qtex_free(qtex *t)
{
	if (!t)
		return;
	free(t->v);
	qbuf_free(&t->text);
	free(t);
}

/* ------------------------------------------------------------- variants */

uint32_t qtex_variant_cp(uint32_t cp, qtex_font f)
{
	bool up = cp >= 'A' && cp <= 'Z', low = cp >= 'a' && cp <= 'z';
	bool digit = cp >= '0' && cp <= '9';
	/* bold, sans-serif, monospace, bold italic: no holes */
	static const struct { uint8_t f; uint32_t up, low, digit; } plain[] = {
		{QF_BF, 0x1D400, 0x1D41A, 0x1D7CE}, {QF_SF, 0x1D5A0, 0x1D5BA, 0x1D7E2},
		{QF_TT, 0x1D670, 0x1D68A, 0x1D7F6}, {QF_BFIT, 0x1D468, 0x1D482, 0x1D7CE},
	};
	for (size_t k = 0; k < sizeof plain / sizeof plain[0]; k++)
		if (plain[k].f == f)
			return up ? plain[k].up + (cp - 'A') : low ? plain[k].low + (cp - 'a')
			     : digit ? plain[k].digit + (cp - '0') : cp;
	if (f == QF_BB) {
		static const struct { char c; uint32_t cp; } holes[] = {
			{'C', 0x2102}, {'H', 0x210D}, {'N', 0x2115}, {'P', 0x2119},
			{'Q', 0x211A}, {'R', 0x211D}, {'Z', 0x2124}};
		for (size_t k = 0; k < sizeof holes / sizeof holes[0]; k++)
			if ((uint32_t)holes[k].c == cp)
				return holes[k].cp;
		if (up)
			return 0x1D538 + (cp - 'A');
		if (low)
			return 0x1D552 + (cp - 'a');
		if (cp >= '0' && cp <= '9')
			return 0x1D7D8 + (cp - '0');
	} else if (f == QF_CAL) {
		static const struct { char c; uint32_t cp; } holes[] = {
			{'B', 0x212C}, {'E', 0x2130}, {'F', 0x2131}, {'H', 0x210B}, {'I', 0x2110},
			{'L', 0x2112}, {'M', 0x2133}, {'R', 0x211B}, {'e', 0x212F}, {'g', 0x210A},
			{'o', 0x2134}};
		for (size_t k = 0; k < sizeof holes / sizeof holes[0]; k++)
			if ((uint32_t)holes[k].c == cp)
				return holes[k].cp;
		if (up)
			return 0x1D49C + (cp - 'A');
		if (low)
			return 0x1D4B6 + (cp - 'a');
	} else if (f == QF_FRAK) {
		static const struct { char c; uint32_t cp; } holes[] = {
			{'C', 0x212D}, {'H', 0x210C}, {'I', 0x2111}, {'R', 0x211C}, {'Z', 0x2128}};
		for (size_t k = 0; k < sizeof holes / sizeof holes[0]; k++)
			if ((uint32_t)holes[k].c == cp)
				return holes[k].cp;
		if (up)
			return 0x1D504 + (cp - 'A');
		if (low)
			return 0x1D51E + (cp - 'a');
	}
	return cp;
}
