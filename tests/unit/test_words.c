/* test_words.c - the outputs' own words (render/words.h): the table a
 * language tag picks, the plural rules, the count line, and that every
 * language keeps the slots of every word. */
#include <stdlib.h>

#include "render/words.h"
#include "testing.h"

static const char *const langs[] = {
	"en", "es", "fr", "de", "pt", "it", "nl", "ru", "uk", "pl", "tr", "id",
	"vi", "zh", "zh-Hant", "ja", "ko", "ar",
};
#define NLANGS (int)(sizeof langs / sizeof langs[0])

/* The count line of a language, in a static buffer. */
static const char *counts(const char *lang, int q, int s)
{
	static qbuf b = QBUF_INIT;
	qbuf_reset(&b);
	qw_counts(&b, qw_for(lang), q, s);
	return b.ptr;
}

static const char *count(const char *lang, qnoun what, long n)
{
	static qbuf b = QBUF_INIT;
	qbuf_reset(&b);
	qw_count(&b, qw_for(lang), what, n);
	return b.ptr;
}

TEST(tag_picks_table)
{
	CHECK_STR(qw_lang(qw_for("es")), "es");
	CHECK_STR(qw_lang(qw_for("ES-mx")), "es");
	CHECK_STR(qw_lang(qw_for("pt_BR")), "pt");
	CHECK_STR(qw_lang(qw_for("ru-RU")), "ru");
	CHECK_STR(qw_lang(qw_for("zh")), "zh");
	CHECK_STR(qw_lang(qw_for("zh-Hans-CN")), "zh");
	CHECK_STR(qw_lang(qw_for("zh-Hans-HK")), "zh");   /* the script wins */
	CHECK_STR(qw_lang(qw_for("zh-TW")), "zh-Hant");
	CHECK_STR(qw_lang(qw_for("zh-Hant")), "zh-Hant");
	CHECK_STR(qw_lang(qw_for("zh_hk")), "zh-Hant");
	/* unknown, empty, absent, or only a prefix of a known tag: English */
	CHECK_STR(qw_lang(qw_for("xx")), "en");
	CHECK_STR(qw_lang(qw_for("")), "en");
	CHECK_STR(qw_lang(qw_for(NULL)), "en");
	CHECK_STR(qw_lang(qw_for("e")), "en");
	CHECK_STR(qw_lang(qw_for("esperanto")), "en");
	CHECK_STR(qw_lang(qw_for("Hant")), "en");
	for (int i = 0; i < NLANGS; i++)
		CHECK_STR(qw_lang(qw_for(langs[i])), langs[i]);
}

TEST(words_by_language)
{
	CHECK_STR(qw_word(qw_for("en"), QW_CONTENTS), "Contents");
	CHECK_STR(qw_word(qw_for("es"), QW_CONTENTS), "Índice");
	CHECK_STR(qw_word(qw_for("de"), QW_CONTENTS), "Inhalt");
	CHECK_STR(qw_word(qw_for("ru"), QW_CONTENTS), "Содержание");
	CHECK_STR(qw_word(qw_for("zh"), QW_CONTENTS), "目录");
	CHECK_STR(qw_word(qw_for("zh-TW"), QW_CONTENTS), "目錄");
	CHECK_STR(qw_word(qw_for("ar"), QW_CONTENTS), "المحتويات");
	CHECK_STR(qw_word(qw_for("xx"), QW_ANSWER), "Answer");
	CHECK_STR(qw_word(qw_for("en"), QW__COUNT), "");   /* out of range */
	qbuf b = QBUF_INIT;
	qw_put_n(&b, qw_for("de"), QW_PAGE_N, 12);
	CHECK_STR(b.ptr, "S.\xC2\xA0" "12");
	qbuf_reset(&b);
	qw_put_n(&b, qw_for("zh"), QW_QUESTION_N, 3);
	CHECK_STR(b.ptr, "第3题");
	qbuf_free(&b);
}

/* Every language has every word, and keeps English's slots: a word
 * whose slot was lost in translation would drop a number or a name. */
TEST(every_language_keeps_the_slots)
{
	const qwords *en = qw_for("en");
	for (int i = 0; i < NLANGS; i++) {
		const qwords *w = qw_for(langs[i]);
		for (int k = 0; k < QW__COUNT; k++) {
			const char *s = qw_word(w, (qword)k), *e = qw_word(en, (qword)k);
			CHECK(s && *s);
			for (const char *slot = "{1}"; slot; slot = slot[1] == '1' ? "{2}" : NULL)
				if ((strstr(e, slot) != NULL) != (strstr(s, slot) != NULL)) {
					printf("# %s word %d: \"%s\" and \"%s\" differ in %s\n",
					       langs[i], k, s, e, slot);
					CHECK(0);
				}
		}
		for (long n = 3; n < 130; n++) {   /* the number in every form */
			char num[24];                /* (Arabic says 1 and 2 in words) */
			snprintf(num, sizeof num, "%ld", n);
			CHECK(strstr(count(langs[i], QWN_QUESTIONS, n), num));
			CHECK(strstr(count(langs[i], QWN_SECTIONS_IN, n), num));
		}
	}
}

TEST(plural_rules)
{
	const qwords *ru = qw_for("ru"), *pl = qw_for("pl"), *ar = qw_for("ar");
	const qwords *fr = qw_for("fr"), *en = qw_for("en"), *ja = qw_for("ja");
	CHECK_INT(qw_plural(en, 0), QP_OTHER);
	CHECK_INT(qw_plural(en, 1), QP_ONE);
	CHECK_INT(qw_plural(en, 2), QP_OTHER);
	CHECK_INT(qw_plural(fr, 0), QP_ONE);
	CHECK_INT(qw_plural(fr, 1), QP_ONE);
	CHECK_INT(qw_plural(fr, 2), QP_OTHER);
	CHECK_INT(qw_plural(ja, 1), QP_OTHER);
	static const struct { long n; qplural ru, pl; } slavic[] = {
		{0, QP_MANY, QP_MANY}, {1, QP_ONE, QP_ONE}, {2, QP_FEW, QP_FEW},
		{4, QP_FEW, QP_FEW}, {5, QP_MANY, QP_MANY}, {11, QP_MANY, QP_MANY},
		{12, QP_MANY, QP_MANY}, {14, QP_MANY, QP_MANY}, {21, QP_ONE, QP_MANY},
		{22, QP_FEW, QP_FEW}, {25, QP_MANY, QP_MANY}, {101, QP_ONE, QP_MANY},
		{111, QP_MANY, QP_MANY}, {112, QP_MANY, QP_MANY}, {122, QP_FEW, QP_FEW},
	};
	for (size_t i = 0; i < sizeof slavic / sizeof slavic[0]; i++) {
		CHECK_INT(qw_plural(ru, slavic[i].n), slavic[i].ru);
		CHECK_INT(qw_plural(qw_for("uk"), slavic[i].n), slavic[i].ru);
		CHECK_INT(qw_plural(pl, slavic[i].n), slavic[i].pl);
	}
	static const struct { long n; qplural c; } arabic[] = {
		{0, QP_ZERO}, {1, QP_ONE}, {2, QP_TWO}, {3, QP_FEW}, {10, QP_FEW},
		{11, QP_MANY}, {99, QP_MANY}, {100, QP_OTHER}, {102, QP_OTHER},
		{103, QP_FEW}, {111, QP_MANY},
	};
	for (size_t i = 0; i < sizeof arabic / sizeof arabic[0]; i++)
		CHECK_INT(qw_plural(ar, arabic[i].n), arabic[i].c);
}

TEST(counted_nouns)
{
	CHECK_STR(count("en", QWN_QUESTIONS, 1), "1 question");
	CHECK_STR(count("en", QWN_QUESTIONS, 0), "0 questions");
	CHECK_STR(count("fr", QWN_QUESTIONS, 0), "0 question");
	CHECK_STR(count("ru", QWN_QUESTIONS, 1), "1 вопрос");
	CHECK_STR(count("ru", QWN_QUESTIONS, 3), "3 вопроса");
	CHECK_STR(count("ru", QWN_QUESTIONS, 11), "11 вопросов");
	CHECK_STR(count("ru", QWN_QUESTIONS, 21), "21 вопрос");
	CHECK_STR(count("uk", QWN_QUESTIONS, 5), "5 питань");
	CHECK_STR(count("pl", QWN_QUESTIONS, 1), "1 pytanie");
	CHECK_STR(count("pl", QWN_QUESTIONS, 22), "22 pytania");
	CHECK_STR(count("pl", QWN_QUESTIONS, 21), "21 pytań");
	CHECK_STR(count("tr", QWN_QUESTIONS, 5), "5 soru");
	CHECK_STR(count("ar", QWN_QUESTIONS, 1), "سؤال واحد");
	CHECK_STR(count("ar", QWN_QUESTIONS, 2), "سؤالان");
	CHECK_STR(count("ar", QWN_QUESTIONS, 7), "7 أسئلة");
	CHECK_STR(count("ar", QWN_QUESTIONS, 63), "63 سؤالًا");
	CHECK_STR(count("ar", QWN_QUESTIONS, 100), "100 سؤال");
	CHECK_STR(count("ja", QWN_QUESTIONS, 1), "1問");
}

TEST(count_lines)
{
	CHECK_STR(counts("en", 63, 5), "63 questions in 5 sections");
	CHECK_STR(counts("en", 1, 1), "1 question in 1 section");
	CHECK_STR(counts("en", 2, 0), "2 questions");
	CHECK_STR(counts("es", 63, 5), "63 preguntas en 5 secciones");
	CHECK_STR(counts("es", 1, 1), "1 pregunta en 1 sección");
	CHECK_STR(counts("de", 1, 1), "1 Frage in 1 Abschnitt");
	CHECK_STR(counts("de", 63, 5), "63 Fragen in 5 Abschnitten");
	CHECK_STR(counts("fr", 63, 5), "63 questions en 5 sections");
	CHECK_STR(counts("ru", 21, 1), "21 вопрос в 1 разделе");
	CHECK_STR(counts("ru", 63, 5), "63 вопроса в 5 разделах");
	CHECK_STR(counts("uk", 12, 2), "12 питань у 2 розділах");
	CHECK_STR(counts("pl", 63, 5), "63 pytania w 5 działach");
	CHECK_STR(counts("pl", 5, 1), "5 pytań w 1 dziale");
	CHECK_STR(counts("tr", 63, 5), "5 bölümde 63 soru");
	CHECK_STR(counts("zh", 63, 5), "共63道题，分为5节");
	CHECK_STR(counts("zh", 63, 0), "共63道题");
	CHECK_STR(counts("zh-TW", 63, 5), "共63道題，分為5節");
	CHECK_STR(counts("ja", 63, 5), "全63問（5セクション）");
	CHECK_STR(counts("ko", 63, 5), "5개 섹션, 총 63문항");
	CHECK_STR(counts("ar", 1, 2), "سؤال واحد في قسمين");
}

/* A callout's title when the notes give none: the kind in the
 * language, Obsidian's aliases as their kind; English and unknown kinds
 * keep the kind as written (NULL). */
TEST(callout_titles)
{
	CHECK_STR(qw_callout(qw_for("es"), "warning"), "Advertencia");
	CHECK_STR(qw_callout(qw_for("es"), "WARNING"), "Advertencia");   /* GitHub's */
	CHECK_STR(qw_callout(qw_for("de"), "tldr"), "Zusammenfassung");
	CHECK_STR(qw_callout(qw_for("ja"), "faq"), "質問");
	CHECK(qw_callout(qw_for("en"), "warning") == NULL);
	CHECK(qw_callout(qw_for("es"), "custom") == NULL);
	CHECK(qw_callout(qw_for("es"), "warn") == NULL);
	CHECK(qw_callout(qw_for("es"), NULL) == NULL);
	static const char *const kinds[] = {"note", "summary", "info", "todo", "tip", "hint",
		"important", "success", "question", "warning", "caution", "failure", "danger",
		"error", "bug", "example", "quote"};
	for (int i = 1; i < NLANGS; i++)   /* every language but English has each */
		for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
			const char *t = qw_callout(qw_for(langs[i]), kinds[k]);
			if (!t || !*t)
				printf("# %s has no title for %s\n", langs[i], kinds[k]);
			CHECK(t && *t);
		}
}

TEST(format_fills_slots)
{
	qbuf b = QBUF_INIT;
	qw_format(&b, "{1} on {2}", "notes.md", "2026-12-06");
	CHECK_STR(b.ptr, "notes.md on 2026-12-06");
	qbuf_reset(&b);
	qw_format(&b, "{3} {1}{", NULL, "x");   /* unknown slot, lone brace */
	CHECK_STR(b.ptr, "{3} {");
	qbuf_reset(&b);
	qw_put(&b, qw_for("fr"), QW_COVER_OF, "Réseaux", NULL);
	CHECK_STR(b.ptr, "Couverture\xC2\xA0: Réseaux");
	qbuf_free(&b);
}

int main(void)
{
	RUN(tag_picks_table);
	RUN(words_by_language);
	RUN(every_language_keeps_the_slots);
	RUN(plural_rules);
	RUN(counted_nouns);
	RUN(count_lines);
	RUN(callout_titles);
	RUN(format_fills_slots);
	return testing_done();
}
