/* clozes.c - Obsidian Spaced Repetition's cloze patterns (see clozes.h):
 * a pattern read into its parts once, then matched against text the
 * way the plug-in reads it: the answer and the hint as short as they can
 * be, each group tried before it is left out. A deletion is at most
 * SPAN bytes of one line, so a text full of openers is read in linear
 * time. */
#include "clozes.h"

#include <string.h>

#include "../util/find.h"

#define SPAN 1000       /* the longest deletion read, in bytes */
#define NUMBER_MAX 999  /* the highest card number read */

/* ------------------------------------------------------------ reading */

/* The bytes of s[0..n) from *i up to an unescaped stop (`[` or `]`, or
 * the word `answer` when word), unescaped into out; returns their count. */
static size_t literal(const char *s, size_t n, size_t *i, char *out, bool word)
{
	size_t k = 0;
	while (*i < n) {
		char c = s[*i];
		if (c == '\\' && *i + 1 < n && (s[*i + 1] == '[' || s[*i + 1] == ']')) {
			out[k++] = s[*i + 1];
			*i += 2;
			continue;
		}
		if (c == '[' || c == ']' || (word && n - *i >= 6 && !memcmp(s + *i, "answer", 6)))
			break;
		out[k++] = c;
		(*i)++;
	}
	return k;
}

/* A group's text g[0..n), unescaped: a hint (holding the word `hint`) or
 * a number (holding digits), split around that slot. */
static bool read_group(char *g, size_t n, qcloze_part *part)
{
	char *hint = qmemmem(g, n, "hint", 4);
	if (hint) {
		part->kind = QCP_HINT;
		part->pre = g;
		part->npre = (size_t)(hint - g);
		part->post = hint + 4;
		part->npost = n - part->npre - 4;
		return true;
	}
	size_t d = 0;
	while (d < n && (g[d] < '0' || g[d] > '9'))
		d++;
	if (d == n)
		return false;   /* neither slot: a bracket the plug-in cannot read */
	size_t e = d;
	while (e < n && g[e] >= '0' && g[e] <= '9')
		e++;
	part->kind = QCP_NUMBER;
	part->pre = g;
	part->npre = d;
	part->post = g + e;
	part->npost = n - e;
	return true;
}

static bool add_part(qcloze_pattern *p, qcloze_part part)
{
	if (part.kind == QCP_TEXT && !part.npre)
		return true;
	if (p->nparts == QCLOZE_PARTS)
		return false;
	p->part[p->nparts++] = part;
	return true;
}

/* Can the pattern be read without guessing where a deletion ends: text
 * before it, one answer, at most one group of each kind, text after the
 * answer with only groups between, and each hint closed by text? */
static bool usable(const qcloze_pattern *p)
{
	int answers = 0, numbers = 0, hints = 0;
	if (!p->nparts || p->part[0].kind != QCP_TEXT)
		return false;
	for (int k = 0; k < p->nparts; k++) {
		const qcloze_part *q = &p->part[k];
		answers += q->kind == QCP_ANSWER;
		numbers += q->kind == QCP_NUMBER;
		hints += q->kind == QCP_HINT;
		if (q->kind == QCP_HINT && !q->npost && (k + 1 == p->nparts || p->part[k + 1].kind != QCP_TEXT))
			return false;
		if (q->kind != QCP_ANSWER)
			continue;
		int j = k + 1;
		while (j < p->nparts && p->part[j].kind != QCP_TEXT)
			j++;
		if (j == p->nparts)
			return false;
	}
	return answers == 1 && numbers <= 1 && hints <= 1;
}

bool qcloze_pattern_read(const char *s, size_t n, qarena *a, qcloze_pattern *out)
{
	memset(out, 0, sizeof *out);
	char *buf = qarena_alloc(a, n + 1);   /* the unescaped parts, one after another */
	size_t used = 0, i = 0;
	while (i < n) {
		size_t k = literal(s, n, &i, buf + used, true);
		if (!add_part(out, (qcloze_part){QCP_TEXT, buf + used, NULL, k, 0}))
			return false;
		used += k;
		if (i == n)
			break;
		if (s[i] == ']')
			return false;   /* a bracket closing nothing */
		if (s[i] == 'a') {
			i += 6;
			if (!add_part(out, (qcloze_part){QCP_ANSWER, NULL, NULL, 0, 0}))
				return false;
			continue;
		}
		i++;   /* `[`: a group to its `]` */
		k = literal(s, n, &i, buf + used, false);
		if (i == n || s[i] != ']')
			return false;
		i++;
		qcloze_part g;
		if (!read_group(buf + used, k, &g) || !add_part(out, g))
			return false;
		used += k;
	}
	out->source = qarena_strndup(a, s, n);
	return usable(out);
}

/* ----------------------------------------------------------- matching */

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool starts(const char *s, size_t n, size_t at, const char *t, size_t tn)
{
	return at <= n && n - at >= tn && !memcmp(s + at, t, tn);
}

/* The first byte of the text that may follow part k (a group's text
 * before its slot, or the next literal), or -1 when any may. */
static int may_follow(const qcloze_pattern *p, int k, char c)
{
	for (int j = k; j < p->nparts; j++) {
		const qcloze_part *q = &p->part[j];
		if (q->npre && q->pre[0] == c)
			return 1;
		if (q->kind == QCP_TEXT)
			return 0;
		if (!q->npre)
			return -1;   /* a group with no text before its slot */
	}
	return 0;
}

/* The card number of an overlapping cloze's letters (`ash`: asked on
 * the card of its first `a`), or -1 when they are not such letters. */
static int letters_number(const char *s, size_t n)
{
	int first = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != 'a' && s[i] != 's' && s[i] != 'h')
			return -1;
		if (s[i] == 'a' && !first)
			first = (int)i + 1;
	}
	return first;
}

static bool match_from(const qcloze_pattern *p, int k, const char *s, size_t n, bool whole, size_t pos,
		       qcloze_match *m);

/* Part k is a number group: read it at pos, then the rest; or leave it out. */
static bool match_number(const qcloze_pattern *p, int k, const char *s, size_t n, bool whole, size_t pos,
			 qcloze_match *m)
{
	const qcloze_part *q = &p->part[k];
	if (starts(s, n, pos, q->pre, q->npre)) {
		size_t d = pos + q->npre, e = d;
		int v = 0;
		for (; e < n && s[e] >= '0' && s[e] <= '9'; e++)
			if ((v = v * 10 + (s[e] - '0')) > NUMBER_MAX)
				v = NUMBER_MAX;
		if (e == d) {
			while (e < n && (s[e] == 'a' || s[e] == 's' || s[e] == 'h'))
				e++;
			v = e > d ? letters_number(s + d, e - d) : -1;
		}
		if (e > d && v > 0 && starts(s, n, e, q->post, q->npost)) {
			m->number = v;
			if (match_from(p, k + 1, s, n, whole, e + q->npost, m))
				return true;
			m->number = 0;
		}
	}
	return match_from(p, k + 1, s, n, whole, pos, m);
}

/* Part k is a hint group: its text up to its closing text (the end,
 * when whole and nothing follows), then the rest; or leave it out. */
static bool match_hint(const qcloze_pattern *p, int k, const char *s, size_t n, bool whole, size_t pos,
		       qcloze_match *m)
{
	const qcloze_part *q = &p->part[k];
	const qcloze_part *next = k + 1 < p->nparts ? &p->part[k + 1] : NULL;
	const char *close = q->npost ? q->post : next ? next->pre : NULL;
	size_t nclose = q->npost ? q->npost : next ? next->npre : 0;
	if ((close || whole) && starts(s, n, pos, q->pre, q->npre)) {
		size_t h0 = pos + q->npre;
		for (size_t e = h0 + 1; e + nclose <= n; e++) {
			if (close ? memcmp(s + e, close, nclose) != 0 : e != n)
				continue;
			m->h0 = h0;
			m->h1 = e;
			if (match_from(p, k + 1, s, n, whole, e + q->npost, m))
				return true;
			break;   /* the hint ends at its first closing text */
		}
		m->h0 = m->h1 = 0;
	}
	return match_from(p, k + 1, s, n, whole, pos, m);
}

/* Match parts k.. of p at s[pos..n); whole: they must end at n. */
static bool match_from(const qcloze_pattern *p, int k, const char *s, size_t n, bool whole, size_t pos,
		       qcloze_match *m)
{
	if (k == p->nparts) {
		m->len = pos;
		return !whole || pos == n;
	}
	const qcloze_part *q = &p->part[k];
	switch (q->kind) {
	case QCP_TEXT:
		return starts(s, n, pos, q->pre, q->npre) && match_from(p, k + 1, s, n, whole, pos + q->npre, m);
	case QCP_NUMBER:
		return match_number(p, k, s, n, whole, pos, m);
	case QCP_HINT:
		return match_hint(p, k, s, n, whole, pos, m);
	case QCP_ANSWER:
		break;
	}
	if (pos >= n || blank(s[pos]))
		return false;
	for (size_t e = pos + 1; e <= n; e++) {
		int f = e < n ? may_follow(p, k + 1, s[e]) : whole || k + 1 == p->nparts ? -1 : 0;
		if (!f || blank(s[e - 1]))
			continue;
		m->a0 = pos;
		m->a1 = e;
		if (match_from(p, k + 1, s, n, whole, e, m))
			return true;
	}
	return false;
}

/* The bytes a deletion at s may span: to the line's end, at most SPAN. */
static size_t span(const char *s, size_t n)
{
	if (n > SPAN)
		n = SPAN;
	const char *nl = memchr(s, '\n', n);
	return nl ? (size_t)(nl - s) : n;
}

bool qcloze_match_at(const qcloze_pattern *p, const char *s, size_t n, qcloze_match *m)
{
	memset(m, 0, sizeof *m);
	if (!p->nparts || !starts(s, n, 0, p->part[0].pre, p->part[0].npre))
		return false;
	return match_from(p, 0, s, span(s, n), false, 0, m);
}

bool qcloze_match_inner(const qcloze_pattern *p, const char *s, size_t n, qcloze_match *m)
{
	memset(m, 0, sizeof *m);
	if (p->nparts < 3 || p->part[p->nparts - 1].kind != QCP_TEXT || n > SPAN || memchr(s, '\n', n))
		return false;
	qcloze_pattern inner = *p;   /* without its first and last text */
	inner.nparts -= 2;
	memmove(inner.part, inner.part + 1, sizeof inner.part[0] * (size_t)inner.nparts);
	return match_from(&inner, 0, s, n, true, 0, m);
}

const char *qcloze_opener(const qcloze_pattern *p, size_t *len)
{
	*len = p->nparts ? p->part[0].npre : 0;
	return p->nparts ? p->part[0].pre : "";
}

const char *qcloze_closer(const qcloze_pattern *p, size_t *len)
{
	const qcloze_part *last = p->nparts ? &p->part[p->nparts - 1] : NULL;
	bool text = last && last->kind == QCP_TEXT;
	*len = text ? last->npre : 0;
	return text ? last->pre : "";
}
