/* meta.c - the notes' metadata: a YAML front matter block, read with
 * libyaml, and --metadata KEY=VALUE (see meta.h).
 *
 * The block is `---` on the first line, YAML, and `---` or `...` on a
 * line of its own; it is metadata only when it is a YAML mapping (a `---`
 * rule with text under it is not). Its lines are blanked in the text, so
 * the notes keep their line numbers.
 */
#include "meta.h"
#include "yamlev.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "../util/utf8.h"

/* The keys quire reads, and those note apps write that it has no use for
 * (read and left alone, without a warning). */
static const char *const used_keys[] = {
	"title", "subtitle", "author", "authors", "date", "lang", "language",
	"description", "abstract", "keywords", "tags", "deck", "cards", "paper",
	"cover", "cover-image", "card-separators", "cloze", "reversed",
	"tag-sections", NULL,
};
static const char *const app_keys[] = {
	"aliases", "alias", "created", "updated", "modified", "id", "uid",
	"course", "categories", "category", "draft", "layout", "permalink",
	"toc", "publish", "share", "slug", "type", "status", "source", "url",
	"icon", "cssclass", "cssclasses", "sidebar_position", "sidebar_label",
	"weight", "order", "series", "summary", "excerpt", "lastmod",
	"last_modified", "comments", "math", "mathjax", "katex", "template",
	"version", "license", "name", "module", "week", "lecture", "semester",
	"subject", "topic", "reviewed", "sr-due", "sr-interval", "sr-ease",
	"head", "meta", "hide", "nav_order", "parent", "grand_parent",
	"has_children", "redirect_from", "desc",   /* Dendron's description, most often empty */
	/* Logseq's own page and block properties */
	"collapsed", "filters", "public", "exclude-from-graph-view",
	"template-including-parent", "heading", "background-color", "ls-type",
	"created-at", "updated-at", NULL,
};
/* Prefixes of Logseq's generated properties (card-last-interval::,
 * hl-page::, query-table::, logseq.order-list-type::). */
static const char *const app_prefixes[] = {"card-", "hl-", "query-", "logseq.", NULL};

static bool in_list(const char *const *list, const char *k)
{
	for (int i = 0; list[i]; i++)
		if (strcmp(list[i], k) == 0)
			return true;
	return false;
}

/* A key a note app writes for itself: read and left alone. */
static bool app_key(const char *k)
{
	for (int i = 0; app_prefixes[i]; i++)
		if (!strncmp(k, app_prefixes[i], strlen(app_prefixes[i])))
			return true;
	return in_list(app_keys, k);
}

/* Where the block ends: the byte after its closing line, and its lines;
 * 0 when the text does not open with one. */
static size_t block_end(const char *s, size_t n, int *lines, size_t *yaml_len)
{
	if (n < 4 || memcmp(s, "---", 3) != 0 || (s[3] != '\n' && s[3] != ' ' && s[3] != '\r'))
		return 0;
	const char *p = memchr(s, '\n', n);
	int no = 1;
	while (p && p < s + n) {
		const char *line = p + 1;
		const char *nl = memchr(line, '\n', (size_t)(s + n - line));
		size_t len = nl ? (size_t)(nl - line) : (size_t)(s + n - line);
		no++;
		while (len && (line[len - 1] == ' ' || line[len - 1] == '\r'))
			len--;
		if (len == 3 && (memcmp(line, "---", 3) == 0 || memcmp(line, "...", 3) == 0)) {
			*lines = no;
			*yaml_len = (size_t)(line - s);
			return nl ? (size_t)(nl - s) + 1 : n;
		}
		if (no > 400)
			return 0;   /* no front matter runs this long */
		p = nl;
	}
	return 0;
}

static const char *dup(qarena *a, const char *s, size_t n)
{
	return qarena_strndup(a, s, n);
}

/* A scalar's text, or a sequence of scalars as one list. */
typedef struct value {
	const char *text;      /* a scalar */
	const char **items;    /* a sequence */
	int nitems;
	int line;
} value;

static void add_item(qarena *a, value *v, const char *s, size_t n)
{
	const char **items = qarena_alloc(a, sizeof *items * (size_t)(v->nitems + 1));
	if (v->nitems)
		memcpy(items, v->items, sizeof *items * (size_t)v->nitems);
	items[v->nitems++] = dup(a, s, n);
	v->items = items;
}

/* Split "a, b, c" (tags written as one scalar) into items. */
static void split_commas(qarena *a, value *v, const char *s)
{
	while (*s) {
		while (*s == ' ' || *s == ',' || *s == '#')
			s++;
		const char *e = s;
		while (*e && *e != ',')
			e++;
		size_t n = (size_t)(e - s);
		while (n && s[n - 1] == ' ')
			n--;
		if (n > 4 && !memcmp(s, "[[", 2) && !memcmp(s + n - 2, "]]", 2)) {
			s += 2;   /* a page link ([[Biology]]): its name */
			n -= 4;
		}
		if (n)
			add_item(a, v, s, n);
		s = e;
	}
}

/* A YAML boolean (true/false, yes/no, on/off, any case) into *b; false
 * when t is none. */
static bool boolean(const char *t, bool *b)
{
	static const char *const yes[] = {"true", "yes", "on", NULL};
	static const char *const no[] = {"false", "no", "off", NULL};
	for (int i = 0; yes[i]; i++) {
		if (!strcasecmp(t, yes[i]) || !strcasecmp(t, no[i])) {
			*b = !strcasecmp(t, yes[i]);
			return true;
		}
	}
	return false;
}

/* Set key to v; a bad value is an error naming the key and where it
 * was written (what: "front matter key", "page property", ...). */
static bool set_value(qmeta *m, qarena *a, const char *key, value *v, const char *what, qdiags *d)
{
	const char *t = v->text;
	if (!strcmp(key, "author") || !strcmp(key, "authors")) {
		if (t)
			split_commas(a, v, t);
		m->authors = v->items;
		m->nauthors = v->nitems;
	} else if (!strcmp(key, "keywords") || !strcmp(key, "tags")) {
		if (t)
			split_commas(a, v, t);
		m->keywords = v->items;
		m->nkeywords = v->nitems;
	} else if (v->items && v->nitems) {
		qdiag_add(d, QD_ERROR, v->line, 0, "metadata", "%s '%s' takes one value, not a list", what, key);
		return false;
	} else if (!t) {
		return true;
	} else if (!strcmp(key, "title")) {
		m->title = t;
	} else if (!strcmp(key, "subtitle")) {
		m->subtitle = t;
	} else if (!strcmp(key, "date")) {
		m->date = t;
	} else if (!strcmp(key, "lang") || !strcmp(key, "language")) {
		m->lang = t;
	} else if (!strcmp(key, "description") || !strcmp(key, "abstract")) {
		m->description = t;
	} else if (!strcmp(key, "deck")) {
		m->deck = t;
	} else if (!strcmp(key, "cards")) {
		if (!qmeta_cards_valid(t)) {
			qdiag_add(d, QD_ERROR, v->line, 0, "metadata",
				  "%s 'cards' must be auto, questions, headings[=LEVEL], outline or none, not '%s'", what, t);
			return false;
		}
		m->cards = t;
	} else if (!strcmp(key, "paper")) {
		if (strcmp(t, "a5") && strcmp(t, "a4") && strcmp(t, "letter")) {
			qdiag_add(d, QD_ERROR, v->line, 0, "metadata",
				  "%s 'paper' must be a5, a4 or letter, not '%s'", what, t);
			return false;
		}
		m->paper = t;
	} else if (!strcmp(key, "cover") || !strcmp(key, "cover-image")) {
		m->cover = t;
		m->cover_line = v->line;
	} else if (!strcmp(key, "card-separators")) {
		m->card_seps = t;
	} else if (!strcmp(key, "cloze")) {
		if (strcmp(t, "auto") && strcmp(t, "marked") && strcmp(t, "highlight")) {
			qdiag_add(d, QD_ERROR, v->line, 0, "metadata",
				  "%s 'cloze' must be auto, marked or highlight, not '%s'", what, t);
			return false;
		}
		m->cloze = t;
	} else if (!strcmp(key, "reversed") || !strcmp(key, "tag-sections")) {
		bool *b = !strcmp(key, "reversed") ? &m->reversed : &m->tag_sections;
		if (!boolean(t, b)) {
			qdiag_add(d, QD_ERROR, v->line, 0, "metadata",
				  "%s '%s' must be true or false, not '%s'", what, key, t);
			return false;
		}
	}
	return true;
}

bool qmeta_cards_valid(const char *s)
{
	if (!strcmp(s, "auto") || !strcmp(s, "questions") || !strcmp(s, "outline")
	    || !strcmp(s, "none") || !strcmp(s, "headings"))
		return true;
	return !strncmp(s, "headings=", 9) && s[9] >= '1' && s[9] <= '6' && !s[10];
}

bool qyaml_next_event(yaml_parser_t *p, yaml_event_t *ev)
{
	if (!yaml_parser_parse(p, ev))
		return false;
	if (ev->type == YAML_NO_EVENT) {
		yaml_event_delete(ev);
		return false;
	}
	return true;
}

/* Read the value of the key just read: a scalar or a sequence of them. */
static bool read_value(yaml_parser_t *p, qarena *a, value *v, int first_line)
{
	yaml_event_t ev;
	memset(v, 0, sizeof *v);
	if (!qyaml_next_event(p, &ev))
		return false;
	v->line = first_line + (int)ev.start_mark.line;
	bool ok = true;
	if (ev.type == YAML_SCALAR_EVENT) {
		v->text = dup(a, (const char *)ev.data.scalar.value, ev.data.scalar.length);
	} else if (ev.type == YAML_SEQUENCE_START_EVENT) {
		yaml_event_delete(&ev);
		for (;;) {
			if (!qyaml_next_event(p, &ev))
				return false;
			if (ev.type == YAML_SEQUENCE_END_EVENT)
				break;
			if (ev.type == YAML_SCALAR_EVENT)
				add_item(a, v, (const char *)ev.data.scalar.value, ev.data.scalar.length);
			else
				ok = false;   /* nested structures: not ours */
			yaml_event_delete(&ev);
		}
	} else if (ev.type == YAML_MAPPING_START_EVENT) {
		int depth = 1;   /* a nested mapping: skipped whole */
		while (depth) {
			yaml_event_delete(&ev);
			if (!qyaml_next_event(p, &ev))
				return false;
			depth += ev.type == YAML_MAPPING_START_EVENT || ev.type == YAML_SEQUENCE_START_EVENT;
			depth -= ev.type == YAML_MAPPING_END_EVENT || ev.type == YAML_SEQUENCE_END_EVENT;
		}
	}
	yaml_event_delete(&ev);
	return ok;
}

/* The line of s[0..n) at *at, without its newline and trailing white
 * space (its length in *len); *at moves past it. */
static const char *next_line(const char *s, size_t n, size_t *at, size_t *len)
{
	const char *l = s + *at;
	const char *nl = memchr(l, '\n', n - *at);
	size_t ln = nl ? (size_t)(nl - l) : n - *at;
	*at += ln + (nl != NULL);
	while (ln && (l[ln - 1] == ' ' || l[ln - 1] == '\r' || l[ln - 1] == '\t'))
		ln--;
	*len = ln;
	return l;
}

/* One key of a block that is not valid YAML, from its line's text
 * (`key: value`, the value as written, quotes around it dropped) or the
 * `- item` lines under it; unknown keys are warned of as in YAML. */
static void plain_key(const char *key, const char *val, size_t vn, const char *y, size_t n,
		      size_t *at, int line, qarena *a, qmeta *m, qdiags *d)
{
	value v = {.line = line};
	if (vn >= 2 && (val[0] == '"' || val[0] == '\'') && val[vn - 1] == val[0]) {
		val++;
		vn -= 2;
	}
	if (vn) {
		v.text = dup(a, val, vn);
	} else {
		size_t len, next = *at;
		const char *l;
		while (next < n && (l = next_line(y, n, &next, &len)) && len) {
			size_t i = 0;
			while (i < len && l[i] == ' ')
				i++;
			if (i + 1 >= len || l[i] != '-' || l[i + 1] != ' ')
				break;
			add_item(a, &v, l + i + 2, len - i - 2);
			*at = next;
		}
	}
	if (in_list(used_keys, key))
		set_value(m, a, key, &v, "front matter key", d);
	else if (!app_key(key))
		qdiag_add(d, QD_WARNING, line, 0, "metadata", "unknown front matter key '%s' (ignored)", key);
}

/* Read the lines of y from line `from` (0-based) on as plain `key:
 * value` lines at the margin, as a person reads them: what the block
 * holds after a YAML syntax error (`title: Chapter 3: Sets`, a colon
 * that YAML reads as a second mapping). */
static void read_plain_lines(const char *y, size_t n, int from, int first_line, qarena *a,
			     qmeta *m, qdiags *d)
{
	size_t at = 0, len;
	for (int line = 0; at < n; line++) {
		const char *l = next_line(y, n, &at, &len);
		if (line < from)
			continue;
		size_t k = 0;
		while (k < len && k < 63 && ((l[k] >= 'a' && l[k] <= 'z') || (l[k] >= 'A' && l[k] <= 'Z')
					     || (k && ((l[k] >= '0' && l[k] <= '9') || l[k] == '-' || l[k] == '_'))))
			k++;
		if (!k || k >= len || l[k] != ':' || (k + 1 < len && l[k + 1] != ' '))
			continue;   /* not a key at the margin: part of a value */
		char key[64];
		for (size_t i = 0; i < k; i++)
			key[i] = (char)(l[i] >= 'A' && l[i] <= 'Z' ? l[i] + 32 : l[i]);
		key[k] = '\0';
		size_t v = k + 1;
		while (v < len && l[v] == ' ')
			v++;
		size_t before = at;
		plain_key(key, l + v, len - v, y, n, &at, first_line + line, a, m, d);
		for (const char *p = y + before; p < y + at; p++)
			line += *p == '\n';
	}
}

/* Parse the YAML of the block: a mapping of keys to values. Returns
 * false when it is not a mapping (then it is no front matter). A syntax
 * error after the first key is the block's (its author meant metadata):
 * in notes (lenient) a warning, the lines from the last key read on read
 * as plain `key: value` lines, as note apps show such blocks; in a file
 * written for quire alone (quire.yaml) an error. Before the first key,
 * the block is not YAML. */
static bool parse_block(const char *y, size_t n, int first_line, bool lenient, qarena *a, qmeta *m,
			qdiags *d)
{
	yaml_parser_t p;
	yaml_event_t ev;
	if (!yaml_parser_initialize(&p))
		return false;
	yaml_parser_set_input_string(&p, (const unsigned char *)y, n);
	bool mapping = false, done = false, ok = true;
	int keys = 0, key_line = 0;   /* key_line: of the last key, 0-based */
	while (!done && qyaml_next_event(&p, &ev)) {
		switch (ev.type) {
		case YAML_MAPPING_START_EVENT:
			if (mapping)
				ok = false;
			mapping = true;
			break;
		case YAML_SCALAR_EVENT:
			if (!mapping) {
				done = true;
				break;
			}
			{
				char key[64];
				size_t kl = ev.data.scalar.length < sizeof key - 1 ? ev.data.scalar.length : sizeof key - 1;
				memcpy(key, ev.data.scalar.value, kl);
				key[kl] = '\0';
				for (size_t i = 0; i < kl; i++)
					key[i] = (char)(key[i] >= 'A' && key[i] <= 'Z' ? key[i] + 32 : key[i]);
				int line = first_line + (int)ev.start_mark.line;
				key_line = (int)ev.start_mark.line;
				keys++;
				value v;
				yaml_event_delete(&ev);
				if (!read_value(&p, a, &v, first_line)) {
					if (p.error == YAML_NO_ERROR && !app_key(key))
						qdiag_add(d, QD_WARNING, line, 0, "metadata",
							  "front matter key '%s' has a value quire cannot read; ignored", key);
					continue;
				}
				if (in_list(used_keys, key))
					ok &= set_value(m, a, key, &v, "front matter key", d);
				else if (!app_key(key))
					qdiag_add(d, QD_WARNING, line, 0, "metadata",
						  "unknown front matter key '%s' (ignored)", key);
				continue;
			}
		case YAML_MAPPING_END_EVENT:
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_SEQUENCE_START_EVENT:
			if (!mapping)
				done = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	if (!done && p.error != YAML_NO_ERROR) {
		/* at what the error is in (an unclosed list, say), else where it was seen */
		const yaml_mark_t *at = p.context ? &p.context_mark : &p.problem_mark;
		if (mapping && keys > 0 && !lenient) {
			qdiag_add(d, QD_ERROR, first_line + (int)at->line, (int)at->column + 1, "metadata",
				  "not valid YAML: %s%s%s", p.context ? p.context : "",
				  p.context ? ", " : "", p.problem ? p.problem : "a syntax error");
		} else if (mapping && keys > 0) {
			qdiag_add(d, QD_WARNING, first_line + (int)at->line, (int)at->column + 1, "metadata",
				  "not valid YAML: %s%s%s; the lines from line %d on are read as 'key: value' lines",
				  p.context ? p.context : "", p.context ? ", " : "",
				  p.problem ? p.problem : "a syntax error", first_line + key_line);
			read_plain_lines(y, n, key_line, first_line, a, m, d);
		} else
			mapping = false;   /* not YAML: the text stays notes */
	}
	yaml_parser_delete(&p);
	(void)ok;
	return mapping;
}

size_t qmeta_read(const char *text, size_t n, qarena *a, qmeta *m, qdiags *d)
{
	int lines = 0;
	size_t ylen = 0, end = block_end(text, n, &lines, &ylen);
	if (!end)
		return 0;
	qmeta probe = *m;
	qdiags scratch;
	qdiags_init(&scratch, d->file);
	bool is = parse_block(text + 4, ylen > 4 ? ylen - 4 : 0, 2, true, a, &probe, &scratch);
	if (is) {
		*m = probe;
		m->lines = lines;
		qdiags_merge(d, &scratch);
	}
	qdiags_free(&scratch);
	return is ? end : 0;
}

bool qmeta_read_file(const char *yaml, size_t n, qarena *a, qmeta *m, qdiags *d)
{
	return parse_block(yaml, n, 1, false, a, m, d);
}

bool qmeta_set(qmeta *m, qarena *a, const char *kv, qdiags *d)
{
	const char *eq = strchr(kv, '=');
	if (!eq || eq == kv) {
		qdiag_add(d, QD_ERROR, 0, 0, "metadata", "--metadata takes KEY=VALUE, not '%s'", kv);
		return false;
	}
	char key[64];
	size_t kl = (size_t)(eq - kv) < sizeof key - 1 ? (size_t)(eq - kv) : sizeof key - 1;
	for (size_t i = 0; i < kl; i++)
		key[i] = (char)(kv[i] >= 'A' && kv[i] <= 'Z' ? kv[i] + 32 : kv[i]);
	key[kl] = '\0';
	if (!in_list(used_keys, key)) {
		qdiag_add(d, QD_ERROR, 0, 0, "metadata", "--metadata: unknown key '%s'", key);
		return false;
	}
	value v = {.text = dup(a, eq + 1, strlen(eq + 1))};
	return set_value(m, a, key, &v, "--metadata key", d);
}

/* ------------------------------------------------------ page properties */

size_t qmeta_property(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || (i && ((s[i] >= '0' && s[i] <= '9')
								|| s[i] == '-' || s[i] == '_' || s[i] == '.'))))
		i++;
	if (i && i + 1 < n && s[i] == ':' && s[i + 1] == ':' && (i + 2 == n || s[i + 2] == ' '))
		return i;
	return 0;
}


/* A line of the first block without its indent, nor its bullet on the
 * block's first line; NULL for a bullet further down (the next block). */
static const char *block_body(const char *l, size_t ln, bool first, size_t *bn)
{
	bool bullet = ln >= 2 && (l[0] == '-' || l[0] == '*') && l[1] == ' ';
	if (bullet && !first)
		return NULL;
	size_t i = bullet ? 2 : 0;
	while (i < ln && (l[i] == ' ' || l[i] == '\t'))
		i++;
	*bn = ln - i;
	return l + i;
}

/* Set the property on line l (a property line of the first block). */
static void read_property(const char *b, size_t bn, int line, qarena *a, qmeta *m, qdiags *d)
{
	char key[64];
	size_t kl = qmeta_property(b, bn);
	memcpy(key, b, kl < sizeof key ? kl : sizeof key - 1);
	key[kl < sizeof key ? kl : sizeof key - 1] = '\0';
	const char *val = b + kl + 2;
	size_t vn = bn - kl - 2;
	while (vn && *val == ' ')
		val++, vn--;
	value v = {.text = vn ? dup(a, val, vn) : NULL, .line = line};
	if (in_list(used_keys, key))
		set_value(m, a, key, &v, "page property", d);
	else if (!app_key(key))
		qdiag_add(d, QD_WARNING, line, 0, "metadata", "unknown page property '%s' (ignored)", key);
}

size_t qmeta_read_properties(const char *text, size_t n, int first_line, qarena *a, qmeta *m,
			     qdiags *d)
{
	size_t at = 0, end = 0, len;
	int line = first_line;
	while (at < n) {   /* the blank lines before the first block */
		size_t was = at;
		next_line(text, n, &at, &len);
		if (len) {
			at = was;
			break;
		}
		line++;
	}
	for (bool first = true; at < n; first = false, line++) {
		size_t bn;
		const char *l = next_line(text, n, &at, &len);
		const char *b = len ? block_body(l, len, first, &bn) : NULL;
		if (!b || !qmeta_property(b, bn))
			break;
		read_property(b, bn, line, a, m, d);
		end = at;
	}
	return end;
}
