/* style.c - booklet.conf: built-in defaults and the key = value parser
 * (see style.h). */
#include "style.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MM (72.0f / 25.4f)

typedef enum { K_LEN, K_COLOR, K_BOOL, K_INT, K_SHEET, K_AUTO } ktype;

typedef struct kdef {
	const char *key;
	ktype type;
	size_t off;
} kdef;

#define F(k, t, field) {k, t, offsetof(qbk_style, field)}
#define FONT(k, field)                                                \
	F(k ".size", K_LEN, field.size), F(k ".leading", K_LEN, field.leading), \
	F(k ".color", K_COLOR, field.color)

static const kdef keys[] = {
	F("margin.top", K_LEN, margin_top),
	F("margin.bottom", K_LEN, margin_bottom),
	F("margin.inner", K_LEN, margin_inner),
	F("margin.outer", K_LEN, margin_outer),
	F("head.gap", K_LEN, head_gap),
	F("foot.gap", K_LEN, foot_gap),
	F("flush-bottom", K_BOOL, flush_bottom),
	FONT("body", body),
	F("paragraph.space", K_LEN, par_space),
	F("block.space", K_LEN, block_space),
	F("justify", K_BOOL, justify),
	F("hyphenate", K_BOOL, hyphenate),
	F("emoji.color", K_BOOL, color_emoji),
	F("link.color", K_COLOR, link_color),
	F("codespan.color", K_COLOR, codespan_color),
	FONT("heading1", h[0]),
	FONT("heading2", h[1]),
	FONT("heading3", h[2]),
	FONT("heading4", h[3]),
	F("heading1.space-above", K_LEN, h_space_above[0]),
	F("heading2.space-above", K_LEN, h_space_above[1]),
	F("heading3.space-above", K_LEN, h_space_above[2]),
	F("heading4.space-above", K_LEN, h_space_above[3]),
	F("heading1.space-below", K_LEN, h_space_below[0]),
	F("heading2.space-below", K_LEN, h_space_below[1]),
	F("heading3.space-below", K_LEN, h_space_below[2]),
	F("heading4.space-below", K_LEN, h_space_below[3]),
	F("heading1.new-page", K_AUTO, h1_newpage),
	F("heading1.rule", K_COLOR, h_rule),
	FONT("question", question),
	F("question.number", K_COLOR, question_number),
	F("question.space-above", K_LEN, question_space_above),
	F("question.space-below", K_LEN, question_space_below),
	F("label.color", K_COLOR, label_color),
	F("list.indent", K_LEN, list_indent),
	F("list.bullet", K_COLOR, bullet_color),
	F("quote.bar", K_COLOR, quote_bar),
	F("quote.color", K_COLOR, quote_color),
	F("callout.background", K_COLOR, callout_bg),
	F("callout.border", K_COLOR, callout_border),
	F("callout.title", K_COLOR, callout_title),
	FONT("footnote", footnote),
	F("footnote.rule", K_COLOR, footnote_rule),
	FONT("code", code),
	F("mark.background", K_COLOR, mark_bg),
	F("cloze.background", K_COLOR, cloze_bg),
	F("code.padding", K_LEN, code_pad),
	F("code.background", K_COLOR, code_bg),
	F("code.border", K_COLOR, code_border),
	F("code.mark", K_COLOR, code_mark),
	F("code.text", K_COLOR, tok[0]),
	F("code.keyword", K_COLOR, tok[1]),
	F("code.string", K_COLOR, tok[2]),
	F("code.comment", K_COLOR, tok[3]),
	F("code.number", K_COLOR, tok[4]),
	F("code.name", K_COLOR, tok[5]),
	F("code.decorator", K_COLOR, tok[6]),
	FONT("table", table),
	F("table.rule", K_COLOR, table_rule),
	F("table.header.background", K_COLOR, table_head_bg),
	F("table.padding-x", K_LEN, table_pad_x),
	F("table.padding-y", K_LEN, table_pad_y),
	F("table.min-size", K_LEN, table_min_size),
	FONT("head", head),
	F("head.rule", K_COLOR, head_rule),
	FONT("folio", folio),
	FONT("title", title),
	FONT("subtitle", subtitle),
	FONT("contents", toc),
	FONT("contents.top", toc_section),
	F("contents.depth", K_INT, toc_depth),
	F("impose.sheet", K_SHEET, sheet_w),
	F("impose.creep", K_LEN, creep),
	F("impose.crop-marks", K_BOOL, crop_marks),
};

static void font(qbk_font *f, float size, float leading, ts_rgb color)
{
	f->size = size;
	f->leading = leading;
	f->color = color;
}

static void paper_size(const char *paper, float *w, float *h)
{
	if (paper && strcmp(paper, "a4") == 0) {
		*w = 595.28f;
		*h = 841.89f;
	} else if (paper && strcmp(paper, "letter") == 0) {
		*w = 612.0f;
		*h = 792.0f;
	} else if (paper && strcmp(paper, "a3") == 0) {
		*w = 841.89f;
		*h = 1190.55f;
	} else if (paper && strcmp(paper, "tabloid") == 0) {
		*w = 792.0f;
		*h = 1224.0f;
	} else {
		*w = 419.53f;
		*h = 595.28f;
	}
}

static void defaults_text(qbk_style *s)
{
	const ts_rgb ink = 0x1F2328, accent = 0x1A3D6B;
	font(&s->body, 9.5f, 12.4f, ink);
	s->par_space = 3.0f;
	s->block_space = 6.0f;
	s->justify = s->hyphenate = s->color_emoji = true;
	s->link_color = 0x1A4D8F;
	s->codespan_color = 0x6E2B0E;
	s->codespan_scale = 0.9f;
	s->mark_bg = 0xFFEB8A;
	s->cloze_bg = 0xD4E6FA;
	font(&s->h[0], 18.0f, 22.0f, accent);
	font(&s->h[1], 13.5f, 16.5f, accent);
	font(&s->h[2], 11.5f, 14.0f, accent);
	font(&s->h[3], 10.0f, 12.5f, accent);
	float above[4] = {0, 16, 13, 10}, below[4] = {14, 6, 5, 4};
	memcpy(s->h_space_above, above, sizeof above);
	memcpy(s->h_space_below, below, sizeof below);
	s->h1_newpage = 2;
	s->h_rule = 0xD0D7DE;
	font(&s->question, 9.5f, 12.0f, ink);
	s->question_number = 0x1A4D8F;
	s->question_space_above = 9.0f;
	s->question_space_below = 2.5f;
	s->label_color = accent;
	s->list_indent = 14.0f;
	s->bullet_color = 0x57606A;
	s->quote_bar = 0xD0D7DE;
	s->quote_color = 0x424A53;
	s->callout_bg = 0xF6F8FA;
	s->callout_border = 0xD0D7DE;
	s->callout_title = accent;
	font(&s->footnote, 7.8f, 9.8f, 0x1F2328);
	s->footnote_rule = 0x8C959F;
}

static void defaults_blocks(qbk_style *s)
{
	const ts_rgb ink = 0x1F2328;
	font(&s->code, 7.5f, 9.4f, ink);
	s->code_pad = 4.5f;
	s->code_bg = 0xEEF1F4;
	s->code_border = 0xAFB8C1;
	s->code_mark = 0x8C959F;
	ts_rgb tok[7] = {0x1F2328, 0x1A4D8F, 0x25632B, 0x646B75, 0x9C4A1A,
			 0x6639B8, 0x8A5A00};
	memcpy(s->tok, tok, sizeof tok);
	font(&s->table, 8.5f, 10.6f, ink);
	s->table_rule = 0x424A53;
	s->table_head_bg = TS_NO_COLOR;
	s->table_pad_x = 4.0f;
	s->table_pad_y = 2.4f;
	s->table_min_size = 6.0f;
	font(&s->head, 7.5f, 9.0f, 0x57606A);
	s->head_rule = 0xD0D7DE;
	font(&s->folio, 8.0f, 9.6f, 0x424A53);
	font(&s->title, 24.0f, 29.0f, 0x1A3D6B);
	font(&s->subtitle, 11.0f, 14.0f, 0x424A53);
	font(&s->toc, 9.0f, 11.6f, ink);
	font(&s->toc_section, 9.5f, 12.0f, 0x1A3D6B);
	s->toc_depth = 2;
}

void qbk_style_defaults(qbk_style *s, const char *paper)
{
	memset(s, 0, sizeof *s);
	paper_size(paper, &s->page_w, &s->page_h);
	defaults_text(s);
	defaults_blocks(s);
	s->flush_bottom = true;
	bool big = paper && (strcmp(paper, "a4") == 0 || strcmp(paper, "letter") == 0);
	s->margin_top = (big ? 24 : 15) * MM;
	s->margin_bottom = (big ? 26 : 17) * MM;
	s->margin_inner = (big ? 30 : 16) * MM;
	s->margin_outer = (big ? 25 : 13) * MM;
	s->head_gap = (big ? 8 : 6) * MM;
	s->foot_gap = (big ? 10 : 8) * MM;
	if (big) {
		font(&s->body, 10.5f, 13.6f, s->body.color);
		font(&s->question, 10.5f, 13.2f, s->question.color);
		s->code.size = 8.3f;
		s->code.leading = 10.4f;
		s->table.size = 9.3f;
		s->table.leading = 11.6f;
	}
	/* the sheet holds two pages side by side at their own size */
	paper_size(!paper || strcmp(paper, "a5") == 0 ? "a4"
		   : strcmp(paper, "letter") == 0 ? "tabloid" : "a3",
		   &s->sheet_w, &s->sheet_h);
}

/* ---- parsing ------------------------------------------------------------- */

static bool parse_len(const char *v, float *out)
{
	char *end;
	float x = strtof(v, &end);
	if (end == v)
		return false;
	while (*end == ' ')
		end++;
	float mul = 1;
	if (!*end || strcmp(end, "pt") == 0)
		mul = 1;
	else if (strcmp(end, "mm") == 0)
		mul = MM;
	else if (strcmp(end, "cm") == 0)
		mul = 10 * MM;
	else if (strcmp(end, "in") == 0)
		mul = 72;
	else
		return false;
	if (x < 0 || x > 2000)
		return false;
	*out = x * mul;
	return true;
}

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : isxdigit(c) ? (tolower(c) - 'a' + 10) : -1;
}

static bool parse_color(const char *v, ts_rgb *out)
{
	if (strcmp(v, "none") == 0) {
		*out = TS_NO_COLOR;
		return true;
	}
	size_t n = strlen(v);
	if (v[0] != '#' || (n != 4 && n != 7))
		return false;
	unsigned c = 0;
	for (size_t i = 1; i < n; i++) {
		int h = hexval((unsigned char)v[i]);
		if (h < 0)
			return false;
		c = c << 4 | (unsigned)h;
		if (n == 4)
			c = c << 4 | (unsigned)h;
	}
	*out = c;
	return true;
}

static bool parse_value(qbk_style *s, const kdef *k, const char *v)
{
	void *p = (char *)s + k->off;
	switch (k->type) {
	case K_LEN:
		return parse_len(v, p);
	case K_COLOR:
		return parse_color(v, p);
	case K_BOOL:
		if (strcmp(v, "yes") && strcmp(v, "no") && strcmp(v, "true") &&
		    strcmp(v, "false"))
			return false;
		*(bool *)p = v[0] == 'y' || v[0] == 't';
		return true;
	case K_INT: {
		char *end;
		long x = strtol(v, &end, 10);
		if (*end || end == v || x < 0 || x > 32)
			return false;
		*(int *)p = (int)x;
		return true;
	}
	case K_AUTO:
		if (strcmp(v, "yes") == 0 || strcmp(v, "no") == 0 || strcmp(v, "auto") == 0) {
			*(int *)p = v[0] == 'y' ? 1 : v[0] == 'n' ? 0 : 2;
			return true;
		}
		return false;
	case K_SHEET:
		if (strcmp(v, "a4") && strcmp(v, "letter") && strcmp(v, "a3") &&
		    strcmp(v, "tabloid"))
			return false;
		paper_size(v, &s->sheet_w, &s->sheet_h);
		return true;
	}
	return false;
}

static const char *const prefixes[] = {"a5.", "a4.", "letter."};

/* Cut a trailing comment: a '#' after white space, except the '#' that
 * starts a colour value right after the '='. */
static void strip_comment(char *line)
{
	char *eq = strchr(line, '=');
	char *from = line;
	if (eq) {
		from = eq + 1;
		while (*from == ' ' || *from == '\t')
			from++;
		if (*from == '#')
			from++;
	}
	for (char *h = strchr(from, '#'); h; h = strchr(h + 1, '#'))
		if (h > line && (h[-1] == ' ' || h[-1] == '\t')) {
			*h = '\0';
			break;
		}
}

static void parse_line(qbk_style *s, const char *paper, char *line,
		       const char *name, int lineno, qdiags *d)
{
	char *eq = strchr(line, '=');
	if (!eq) {
		qdiag_at(d, name, QD_WARNING, lineno, "style", "expected 'key = value'");
		return;
	}
	*eq = '\0';
	char *k = line, *v = eq + 1;
	while (*k == ' ' || *k == '\t')
		k++;
	for (char *e = k + strlen(k); e > k && (e[-1] == ' ' || e[-1] == '\t'); e--)
		e[-1] = '\0';
	while (*v == ' ' || *v == '\t')
		v++;
	for (char *e = v + strlen(v); e > v && isspace((unsigned char)e[-1]); e--)
		e[-1] = '\0';
	bool applies = true;
	for (size_t i = 0; i < 3; i++) {
		size_t pl = strlen(prefixes[i]);
		if (strncmp(k, prefixes[i], pl) == 0) {
			applies = strncmp(prefixes[i], paper, strlen(paper)) == 0 &&
				  prefixes[i][strlen(paper)] == '.';
			k += pl;
			break;
		}
	}
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (strcmp(keys[i].key, k) != 0)
			continue;
		qbk_style tmp = *s;
		if (!parse_value(&tmp, &keys[i], v))
			qdiag_at(d, name, QD_WARNING, lineno, "style",
				 "bad value '%s' for %s; default kept", v, k);
		else if (applies)
			*s = tmp;
		return;
	}
	qdiag_at(d, name, QD_WARNING, lineno, "style", "unknown key '%s', ignored", k);
}

/* A code background lighter than 5% grey vanishes on a laser printer:
 * such a background without a frame gets one. */
static void keep_code_printable(qbk_style *s)
{
	ts_rgb c = s->code_bg;
	if (c == TS_NO_COLOR || s->code_border != TS_NO_COLOR)
		return;
	float lum = (0.2126f * (float)((c >> 16) & 0xFF) + 0.7152f * (float)((c >> 8) & 0xFF) +
		     0.0722f * (float)(c & 0xFF)) / 255.0f;
	if (lum > 0.95f)
		s->code_border = 0xAFB8C1;
}

void qbk_style_parse(qbk_style *s, const char *paper, const char *text,
		     size_t n, const char *name, qdiags *d)
{
	const char *p = text, *end = text + n;
	int lineno = 0;
	char line[512];
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		lineno++;
		size_t len = (size_t)(e - p);
		if (len >= sizeof line)
			len = sizeof line - 1;
		memcpy(line, p, len);
		line[len] = '\0';
		char *c = line;
		while (*c == ' ' || *c == '\t')
			c++;
		if (*c && *c != '#') {
			strip_comment(c);
			if (*c)
				parse_line(s, paper, c, name, lineno, d);
		}
		p = nl ? nl + 1 : end;
	}
	if (s->toc_depth < 1)
		s->toc_depth = 1;
	keep_code_printable(s);
}
