/* vault.c - Obsidian Spaced Repetition's card settings from the vault
 * the notes are in (see vault.h): found by walking up from the notes'
 * folder to the first folder with an `.obsidian` folder, read with
 * libyaml's events (no tree of the file is built), and only the keys of
 * separators, flashcard tags and clozes taken from the settings object. */
#include "vault.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "../util/buf.h"
#include "../util/fileio.h"
#include "yamlev.h"

#define SETTINGS_FILE "/.obsidian/plugins/obsidian-spaced-repetition/data.json"
#define SEP_MAX 16    /* a separator is a few characters */
#define TAG_MAX 200
#define DEPTH_MAX 32  /* the plug-in's file nests three levels */

/* The plug-in's keys of the separators, in qcard_seps' order. */
static const char *const sep_keys[4] = {
	"singleLineCardSeparator", "singleLineReversedCardSeparator",
	"multilineCardSeparator", "multilineReversedCardSeparator",
};

/* The older switches of clozes, and the pattern each turns on (the
 * plug-in reads them so when its settings have no patterns). */
static const char *const cloze_switches[3] = {
	"convertHighlightsToClozes", "convertBoldTextToClozes", "convertCurlyBracketsToClozes",
};
static const char *const switch_patterns[3] = {
	"==[123;;]answer[;;hint]==", "**[123;;]answer[;;hint]**", "{{[123;;]answer[;;hint]}}",
};

/* What the settings say of clozes while they are read: the patterns
 * (patterns_read: `clozePatterns` was there) and each switch (-1: not
 * there). */
typedef struct cloze_keys {
	bool patterns_read;
	int on[3];
} cloze_keys;

/* A separator the reader can use: one line, no blank, not too long. */
static bool usable_sep(const char *s, size_t n)
{
	if (!n || n > SEP_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == ',')
			return false;   /* `,` parts the --card-separators list */
	return true;
}

/* A tag as the plug-in writes it (`#flashcards/deck`), without its `#`. */
static bool take_tag(qarena *a, qvault_sr *out, const char *s, size_t n)
{
	if (n && s[0] == '#') {
		s++;
		n--;
	}
	if (!n || n > TAG_MAX || memchr(s, '#', n) || out->ntags == QVAULT_TAGS)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == ',')
			return false;
	out->tags[out->ntags++] = qarena_strndup(a, s, n);
	return true;
}

/* A JSON string: a scalar in double quotes (a plain one is a number,
 * true, false or null). */
static bool json_string(const yaml_event_t *ev)
{
	return ev->type == YAML_SCALAR_EVENT && ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
}

static bool opens(const yaml_event_t *ev)
{
	return ev->type == YAML_MAPPING_START_EVENT || ev->type == YAML_SEQUENCE_START_EVENT;
}

static bool closes(const yaml_event_t *ev)
{
	return ev->type == YAML_MAPPING_END_EVENT || ev->type == YAML_SEQUENCE_END_EVENT;
}

/* Skip the rest of a value whose start event ev opened it (a count of
 * depth, not recursion: any nesting is read in one loop). */
static bool skip_value(yaml_parser_t *p, yaml_event_t *ev)
{
	size_t depth = opens(ev);
	yaml_event_delete(ev);
	while (depth) {
		if (!qyaml_next_event(p, ev))
			return false;
		depth += opens(ev);
		depth -= closes(ev);
		yaml_event_delete(ev);
	}
	return true;
}


/* A cloze pattern as the plug-in writes it, read into out's list. */
static bool take_pattern(qarena *a, qvault_sr *out, const char *s, size_t n)
{
	if (out->nclozes == QVAULT_CLOZES)
		return false;
	if (!qcloze_pattern_read(s, n, a, &out->clozes[out->nclozes]))
		return false;
	out->nclozes++;
	return true;
}

/* A list of strings, each given to take (the flashcard tags, the cloze
 * patterns); the blank ones skipped (the plug-in's settings page keeps a
 * pattern a line); anything nested is skipped, and *bad set. */
static bool read_strings(yaml_parser_t *p, qarena *a, qvault_sr *out, bool *bad,
			 bool (*take)(qarena *, qvault_sr *, const char *, size_t))
{
	yaml_event_t ev;
	for (;;) {
		if (!qyaml_next_event(p, &ev))
			return false;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return true;
		}
		if (json_string(&ev)) {
			const char *s = (const char *)ev.data.scalar.value;
			size_t n = ev.data.scalar.length;
			bool blank = true;
			for (size_t i = 0; i < n && blank; i++)
				blank = (unsigned char)s[i] <= ' ';
			if (!blank && !take(a, out, s, n))
				*bad = true;
			yaml_event_delete(&ev);
		} else {
			*bad = true;
			if (!skip_value(p, &ev))
				return false;
		}
	}
}

/* The value of a cloze key: the patterns or a switch (true or false). */
static bool read_cloze_key(yaml_parser_t *p, yaml_event_t *ev, const char *key, qarena *a, qvault_sr *out,
			   cloze_keys *ck, bool *bad, bool *taken)
{
	*taken = true;
	if (!strcmp(key, "clozePatterns")) {
		if (ev->type != YAML_SEQUENCE_START_EVENT) {
			*bad = true;
			return skip_value(p, ev);
		}
		yaml_event_delete(ev);
		ck->patterns_read = true;
		out->nclozes = 0;
		return read_strings(p, a, out, bad, take_pattern);
	}
	for (int k = 0; k < 3; k++) {
		if (strcmp(key, cloze_switches[k]))
			continue;
		bool plain = ev->type == YAML_SCALAR_EVENT && ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		const char *v = plain ? (const char *)ev->data.scalar.value : "";
		if (!strcmp(v, "true") || !strcmp(v, "false"))
			ck->on[k] = v[0] == 't';
		else
			*bad = true;
		return skip_value(p, ev);
	}
	*taken = false;
	return true;
}

/* Read the value of key (the event after it); *bad when it is a key of
 * ours with a value quire cannot use. *into is set when the value is the
 * root's `settings` object, whose keys are read next. */
static bool read_value(yaml_parser_t *p, const char *key, bool root, qarena *a, qvault_sr *out,
		       cloze_keys *ck, bool *bad, bool *into)
{
	yaml_event_t ev;
	if (!qyaml_next_event(p, &ev))
		return false;
	bool taken, ok = read_cloze_key(p, &ev, key, a, out, ck, bad, &taken);
	if (taken || !ok)
		return ok;
	if (root && !strcmp(key, "settings") && ev.type == YAML_MAPPING_START_EVENT) {
		*into = true;
		yaml_event_delete(&ev);
		return true;
	}
	if (!strcmp(key, "flashcardTags")) {
		if (ev.type == YAML_SEQUENCE_START_EVENT) {
			yaml_event_delete(&ev);
			out->ntags = 0;   /* the settings' list replaces any before */
			return read_strings(p, a, out, bad, take_tag);
		}
		*bad = true;
		return skip_value(p, &ev);
	}
	for (int k = 0; k < 4; k++) {
		if (strcmp(key, sep_keys[k]))
			continue;
		if (!json_string(&ev))
			*bad = true;
		else if (usable_sep((const char *)ev.data.scalar.value, ev.data.scalar.length))
			out->seps[k] = qarena_strndup(a, (const char *)ev.data.scalar.value, ev.data.scalar.length);
		else if (ev.data.scalar.length)
			*bad = true;   /* an empty one: the plug-in's default */
		return skip_value(p, &ev);
	}
	return skip_value(p, &ev);
}

/* Is the JSON nested deeper than DEPTH_MAX (brackets outside strings)?
 * libyaml's time grows with the square of the depth: such a file is
 * refused before it is parsed. */
static bool too_deep(const char *s, size_t n)
{
	int depth = 0;
	bool str = false;
	for (size_t i = 0; i < n; i++) {
		if (str) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				str = false;
		} else if (s[i] == '"') {
			str = true;
		} else if (s[i] == '[' || s[i] == '{') {
			if (++depth > DEPTH_MAX)
				return true;
		} else if (s[i] == ']' || s[i] == '}') {
			depth--;
		}
	}
	return false;
}

/* The patterns the switches turn on when the settings have none, as
 * the plug-in reads older settings; neither said: the defaults stay. */
static void settle_clozes(qvault_sr *v, const cloze_keys *ck, qarena *a)
{
	bool switched = ck->on[0] >= 0 || ck->on[1] >= 0 || ck->on[2] >= 0;
	v->clozes_set = ck->patterns_read || switched;
	if (ck->patterns_read || !switched)
		return;
	v->nclozes = 0;
	for (int k = 0; k < 3; k++)
		if (ck->on[k] > 0)
			take_pattern(a, v, switch_patterns[k], strlen(switch_patterns[k]));
}

bool qvault_sr_parse(const char *json, size_t n, const char *path, qarena *a, qvault_sr *out,
		     qdiags *d)
{
	yaml_parser_t p;
	yaml_event_t ev;
	qvault_sr got = {.path = path};
	cloze_keys ck = {.on = {-1, -1, -1}};
	if (too_deep(json, n)) {
		qdiag_at(d, path, QD_WARNING, 0, "vault",
			 "nested deeper than %d levels: the Spaced Repetition settings in it are not used",
			 DEPTH_MAX);
		return false;
	}
	if (!yaml_parser_initialize(&p))
		return false;
	yaml_parser_set_input_string(&p, (const unsigned char *)json, n);
	int level = 0;   /* 1: in the root object, 2: in its `settings` */
	bool ok = true, done = false, bad = false, object = false;
	char key[64];
	while (ok && !done) {
		if (!qyaml_next_event(&p, &ev)) {
			ok = false;
			break;
		}
		if (ev.type == YAML_STREAM_END_EVENT || ev.type == YAML_DOCUMENT_END_EVENT) {
			done = true;
		} else if (level == 0 && ev.type == YAML_MAPPING_START_EVENT) {
			level = 1;
			object = true;
		} else if (level == 0 && (ev.type == YAML_SCALAR_EVENT || opens(&ev))) {
			done = true;   /* not an object: no settings */
		} else if (level > 0 && ev.type == YAML_MAPPING_END_EVENT) {
			level--;
			done = level == 0;
		} else if (level > 0 && ev.type == YAML_SCALAR_EVENT) {
			size_t kl = ev.data.scalar.length < sizeof key - 1 ? ev.data.scalar.length : sizeof key - 1;
			memcpy(key, ev.data.scalar.value, kl);
			key[kl] = '\0';
			yaml_event_delete(&ev);
			bool into = false;
			ok = read_value(&p, key, level == 1, a, &got, &ck, &bad, &into);
			level += into;
			continue;
		} else if (level > 0 && opens(&ev)) {
			ok = skip_value(&p, &ev);   /* a key that is no string */
			continue;
		}
		yaml_event_delete(&ev);
	}
	if (!ok) {
		const yaml_mark_t *at = p.problem ? &p.problem_mark : &p.context_mark;
		qdiag_at(d, path, QD_WARNING, (int)at->line + 1, "vault",
			 "not valid JSON (%s): the Spaced Repetition settings in it are not used",
			 p.problem ? p.problem : "a syntax error");
	} else if (!object) {
		qdiag_at(d, path, QD_WARNING, 0, "vault",
			 "not a JSON object: the Spaced Repetition settings in it are not used");
	} else if (bad) {
		qdiag_at(d, path, QD_WARNING, 0, "vault",
			 "a separator, flashcard tag or cloze setting quire cannot use (a blank or a comma "
			 "in a separator or tag, too long, not a string, more than 32 tags, or a cloze "
			 "pattern with no `answer`, no text before it or after it, or more than 16 "
			 "patterns): left out, the others are used");
	}
	yaml_parser_delete(&p);
	if (!ok || !object)
		return false;
	settle_clozes(&got, &ck, a);
	*out = got;
	return true;
}

void qvault_sr_default_clozes(qvault_sr *v, qarena *a)
{
	if (v->clozes_set)
		return;
	v->nclozes = 0;
	take_pattern(a, v, switch_patterns[0], strlen(switch_patterns[0]));
}

/* The settings file of the vault the folder dir (an absolute path, in
 * buf) is in: the first folder at or above it that holds `.obsidian`.
 * Returns the file's path in buf, or false when no vault holds dir or
 * the vault has no settings of the plug-in. */
static bool find_settings(qbuf *buf)
{
	struct stat st;
	for (;;) {
		size_t keep = buf->len;
		qbuf_puts(buf, "/.obsidian");
		bool vault = stat(buf->ptr, &st) == 0 && S_ISDIR(st.st_mode);
		buf->len = keep;
		buf->ptr[keep] = '\0';
		if (vault) {
			qbuf_puts(buf, SETTINGS_FILE);
			return stat(buf->ptr, &st) == 0;   /* the vault's root: no further */
		}
		char *slash = keep ? memrchr(buf->ptr, '/', keep) : NULL;
		if (!slash || keep <= 1)
			return false;   /* the root folder was looked at */
		buf->len = slash == buf->ptr ? 0 : (size_t)(slash - buf->ptr);
		buf->ptr[buf->len] = '\0';
	}
}

bool qvault_sr_read(const char *notes_path, qarena *a, qvault_sr *out, qdiags *d)
{
	memset(out, 0, sizeof *out);
	if (!notes_path || !strcmp(notes_path, "-"))
		return false;
	char *real = realpath(notes_path, NULL);
	if (!real)
		return false;
	char *slash = strrchr(real, '/');
	qbuf path = QBUF_INIT;
	qbuf_put(&path, real, slash ? (size_t)(slash - real) : 0);
	free(real);
	bool found = find_settings(&path), used = false;
	if (found) {
		qbuf json = QBUF_INIT;
		char err[160];
		qfile_status s = qfile_read_regular(path.ptr, &json, QVAULT_MAX, err, sizeof err);
		const char *name = qarena_strndup(a, path.ptr, path.len);
		if (s != QF_OK)
			qdiag_at(d, name, QD_WARNING, 0, "vault", "%s: the Spaced Repetition settings in it are not used",
				 s == QF_TOO_BIG ? "over 1 MB" : err);
		else
			used = qvault_sr_parse(json.ptr ? json.ptr : "", json.len, name, a, out, d);
		qbuf_free(&json);
	}
	qbuf_free(&path);
	return used;
}
