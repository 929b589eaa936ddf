/* lang.c - the language of notes that do not say it (see lang.h).
 *
 * Script first: letters of the prose (code left out) are counted by
 * script; a script other than Latin that holds a good part of them names
 * the language (Kana before Han: Japanese writes both). Latin-script
 * notes are told apart by their most common words.
 */
#include "lang.h"

#include <assert.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "../model/walk.h"
#include "../util/utf8.h"

enum { S_LATIN, S_HAN, S_KANA, S_HANGUL, S_CYRILLIC, S_ARABIC, S_HEBREW,
       S_GREEK, S_THAI, S_DEVANAGARI, S__COUNT };

/* Enough prose to tell; more only costs time. */
#define SAMPLE_BYTES ((size_t)64 << 10)

typedef struct tally {
	long script[S__COUNT];
	long ukrainian;      /* і ї є ґ: Cyrillic that is not Russian */
	long persian;        /* پ چ ژ گ: Arabic script that is Persian */
	long words[10];      /* common words of the Latin-script languages */
	size_t bytes;
} tally;

static int script_of(int32_t cp)
{
	if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0x24F))
		return S_LATIN;
	if (cp >= 0x3040 && cp <= 0x30FF)
		return S_KANA;
	if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF))
		return S_HAN;
	if ((cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0x1100 && cp <= 0x11FF))
		return S_HANGUL;
	if (cp >= 0x400 && cp <= 0x4FF)
		return S_CYRILLIC;
	if ((cp >= 0x600 && cp <= 0x6FF) || (cp >= 0x750 && cp <= 0x77F))
		return S_ARABIC;
	if (cp >= 0x590 && cp <= 0x5FF)
		return S_HEBREW;
	if (cp >= 0x370 && cp <= 0x3FF)
		return S_GREEK;
	if (cp >= 0xE00 && cp <= 0xE7F)
		return S_THAI;
	if (cp >= 0x900 && cp <= 0x97F)
		return S_DEVANAGARI;
	return -1;
}

/* Words that mark a Latin-script language, in the order of lang_of[]. */
static const char *const common[][12] = {
	{"the", "and", "is", "of", "to", "what", "with", "are", "this", "for", "how", NULL},
	{"el", "los", "las", "que", "es", "del", "una", "por", "para", "qué", "cómo", NULL},
	{"le", "les", "des", "est", "une", "du", "et", "qui", "pour", "dans", "que", NULL},
	{"der", "die", "das", "und", "ist", "nicht", "ein", "eine", "mit", "sich", "wie", NULL},
	{"o", "os", "que", "é", "não", "uma", "um", "do", "da", "para", "como", NULL},
	{"il", "che", "è", "della", "un", "una", "non", "per", "sono", "gli", "come", NULL},
	{"de", "het", "een", "en", "is", "van", "niet", "dat", "wat", "zijn", "hoe", NULL},
	{"bir", "ve", "bu", "için", "ile", "olarak", "daha", "çok", "gibi", "nedir", "veya", NULL},
	{"yang", "dan", "juga", "ini", "itu", "dengan", "untuk", "akan", "adalah", "tidak", "apa", NULL},
	{"là", "của", "và", "các", "có", "không", "một", "cho", "này", "với", "trong", NULL},
};
static const char *const lang_of[] = {"en", "es", "fr", "de", "pt", "it", "nl", "tr", "id", "vi"};
#define N_LATIN (int)(sizeof lang_of / sizeof *lang_of)

/* The longest word of common[] in bytes: longer words are not looked up. */
#define COMMON_MAX 6

/* common[] as an open-addressing table, made once: a word packed into an
 * integer (its length, then its bytes) and the languages it marks, a bit
 * each ("que" marks three). One probe or two per word of the notes. */
#define TABLE_SIZE 256
static uint64_t table_key[TABLE_SIZE];   /* 0: a free slot */
static uint16_t table_langs[TABLE_SIZE];

/* w[0..n) (n <= COMMON_MAX), ASCII letters lowercased, as a key. */
static uint64_t word_key(const char *w, size_t n)
{
	uint64_t k = n;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)w[i];
		k |= (uint64_t)(c >= 'A' && c <= 'Z' ? c + 32 : c) << (8 * (i + 1));
	}
	return k;
}

static size_t slot_of(uint64_t k)
{
	size_t i = (size_t)((k * 0x9E3779B97F4A7C15u) >> 56) & (TABLE_SIZE - 1);
	while (table_key[i] && table_key[i] != k)
		i = (i + 1) & (TABLE_SIZE - 1);
	return i;
}

static void index_common(void)
{
	for (int l = 0; l < N_LATIN; l++)
		for (int k = 0; common[l][k]; k++) {
			size_t n = strlen(common[l][k]);
			assert(n <= COMMON_MAX);
			uint64_t key = word_key(common[l][k], n);
			size_t i = slot_of(key);
			table_key[i] = key;
			table_langs[i] |= (uint16_t)(1u << l);
		}
}

static void count_word(tally *t, const char *w, size_t n)
{
	if (n > COMMON_MAX)
		return;
	size_t i = slot_of(word_key(w, n));
	for (unsigned m = table_langs[i]; m; m &= m - 1)
		t->words[__builtin_ctz(m)]++;
}

static bool ascii_letter(unsigned char c)
{
	return (unsigned)((c | 32) - 'a') < 26;
}

/* The script of the character at s (of its *l bytes), or -1; the
 * letters only Ukrainian or Persian write are counted on the way. */
static int script_at(tally *t, const char *s, size_t n, size_t *l)
{
	unsigned char c = (unsigned char)*s;
	if (c < 0x80)
		return ascii_letter(c) ? S_LATIN : -1;
	int32_t cp = qutf8_decode((const unsigned char *)s, n, l);
	if (cp == 0x456 || cp == 0x457 || cp == 0x454 || cp == 0x491)
		t->ukrainian++;
	if (cp == 0x67E || cp == 0x686 || cp == 0x698 || cp == 0x6AF)
		t->persian++;
	return cp >= 0 ? script_of(cp) : -1;
}

static void count_text(tally *t, const char *s, size_t n)
{
	size_t word = 0;
	bool in_word = false;
	for (size_t i = 0; i <= n;) {
		if (i < n && ascii_letter((unsigned char)s[i])) {   /* a run of them at once */
			size_t j = i + 1;
			while (j < n && ascii_letter((unsigned char)s[j]))
				j++;
			t->script[S_LATIN] += (long)(j - i);
			if (!in_word)
				word = i;
			in_word = true;
			i = j;
			continue;
		}
		size_t l = 1;
		int sc = i < n ? script_at(t, s + i, n - i, &l) : -1;
		if (sc >= 0)
			t->script[sc]++;
		bool letter = sc == S_LATIN;
		if (letter && !in_word)
			word = i;
		if (!letter && in_word)
			count_word(t, s + word, i - word);
		in_word = letter;
		i += l ? l : 1;
	}
	t->bytes += n;
}

static const char *script_language(const tally *t, int sc)
{
	switch (sc) {
	case S_HAN: return t->script[S_KANA] * 20 > t->script[S_HAN] ? "ja" : "zh";
	case S_KANA: return "ja";
	case S_HANGUL: return "ko";
	case S_CYRILLIC: return t->ukrainian * 100 > t->script[S_CYRILLIC] ? "uk" : "ru";
	case S_ARABIC: return t->persian * 100 > t->script[S_ARABIC] ? "fa" : "ar";
	case S_HEBREW: return "he";
	case S_GREEK: return "el";
	case S_THAI: return "th";
	case S_DEVANAGARI: return "hi";
	default: return NULL;
	}
}

const char *qlang_detect(const qdoc *doc)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, index_common);
	tally t = {0};
	qiter it;
	qnode *n;
	qiter_init(&it, doc->root);
	while (t.bytes < SAMPLE_BYTES && qiter_next_of(&it, &n, QN_NONE)) {
		if (n->type == QN_CODE || n->type == QN_HTML || n->type == QN_TABLE)
			continue;   /* code names things in English whatever the notes' language */
		if (n->type == QN_TEXT)
			count_text(&t, n->text, n->len);
	}
	long letters = 0, best = -1;
	int top = S_LATIN;
	for (int k = 0; k < S__COUNT; k++) {
		letters += t.script[k];
		if (k != S_LATIN && t.script[k] > best) {
			best = t.script[k];
			top = k;
		}
	}
	if (!letters)
		return NULL;
	/* ideographs carry a word each: a fifth of the letters is plenty */
	if (best > 0 && best * 5 >= letters)
		return script_language(&t, top);
	int lang = 0;
	for (int l = 1; l < N_LATIN; l++)
		if (t.words[l] > t.words[lang])
			lang = l;
	return t.words[lang] >= 3 ? lang_of[lang] : NULL;
}
