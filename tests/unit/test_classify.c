/* test_classify.c - reader/classify.c: what a line says it is from its
 * text alone (question, label, title), question numbers, decorations. */
#include "reader/classify.h"
#include "testing.h"

static qclass classify(const char *s)
{
	return qc_classify(s, strlen(s));
}

static bool asks(const char *s)
{
	return qc_asks(s, strlen(s));
}

static size_t number(const char *s)
{
	return qc_number(s, strlen(s));
}

TEST(questions_by_mark_and_by_word)
{
	CHECK_INT(classify("What is a closure?"), QC_QUESTION);
	CHECK_INT(classify("16. What is sys.path and how does Python find modules?"), QC_QUESTION);
	CHECK_INT(classify("Explain WSGI, ASGI in Python ecosystem."), QC_QUESTION);
	CHECK_INT(classify("How Python manages memory"), QC_QUESTION);   /* asking word, no mark */
	CHECK_INT(classify("**Why use generators?**"), QC_QUESTION);      /* emphasis around it */
	CHECK_INT(classify("Что такое замыкание？"), QC_QUESTION);        /* full-width mark */
	CHECK_INT(classify("¿Qué es un cierre"), QC_QUESTION);
	CHECK_INT(classify("🔹 Q3: Is a tuple mutable? 👶"), QC_QUESTION);
}

TEST(questions_in_more_languages)
{
	CHECK_INT(classify("Wyjaśnij delegowanie zdarzeń"), QC_QUESTION);       /* Polish */
	CHECK_INT(classify("Поясніть замикання"), QC_QUESTION);                 /* Ukrainian */
	CHECK_INT(classify("Jelaskan perbedaan let dan var"), QC_QUESTION);     /* Indonesian */
	CHECK_INT(classify("Neden React kullanılır"), QC_QUESTION);             /* Turkish */
	CHECK_INT(classify("Virtual DOM nedir"), QC_QUESTION);                  /* Turkish, at the end */
	CHECK_INT(classify("Closure trong Javascript là gì"), QC_QUESTION);     /* Vietnamese, at the end */
	CHECK_INT(classify("ماهو ال event.target"), QC_QUESTION);               /* Arabic */
	CHECK_INT(classify("چرا از React استفاده می‌کنیم"), QC_QUESTION);      /* Persian */
	CHECK_INT(classify("क्या है closure"), QC_QUESTION);                     /* Hindi */
	CHECK_INT(classify("Dziedziczenie prototypowe"), QC_OTHER);             /* a Polish title */
	CHECK_INT(classify("Kiến thức cơ bản"), QC_OTHER);                      /* a Vietnamese title */
	/* words that begin English names and titles ask nothing */
	CHECK_INT(classify("APA style citations"), QC_OTHER);
	CHECK_INT(classify("Kim Possible"), QC_OTHER);
	CHECK_INT(classify("Co authors"), QC_OTHER);
}

TEST(a_question_mark_before_a_closing_remark)
{
	CHECK_INT(classify("Jak organizujesz swój kod? (wzorzec modułu, klasy?)"), QC_QUESTION);
	CHECK_INT(classify("Was ist ein Monoid? (Beispiel)"), QC_QUESTION);
	CHECK_INT(classify("Monoid (Beispiel)"), QC_OTHER);
	CHECK_INT(classify("Gruppen (was ist das?) und Ringe"), QC_OTHER);
}

TEST(a_numbering_word_is_passed_over)
{
	CHECK_INT(classify("Câu 9: Phân biệt var và let."), QC_QUESTION);
	CHECK_INT(classify("Câu 10: Tại sao Math.max() lại nhỏ hơn Math.min()."), QC_QUESTION);
	CHECK_INT(classify("Question 12. Explain the GIL"), QC_QUESTION);
	CHECK_INT(classify("Step 3: Install the package"), QC_OTHER);
	CHECK_INT(classify("Python 3: Einführung"), QC_OTHER);
}

TEST(labels_win_over_questions)
{
	CHECK_INT(classify("What it is:"), QC_LABEL);
	CHECK_INT(classify("✅ Pros:"), QC_LABEL);
	CHECK_INT(classify("例子："), QC_LABEL);
	CHECK_INT(classify("## Example: ##"), QC_LABEL);   /* closing marks dropped */
	CHECK_INT(classify("Make this work:"), QC_QUESTION);   /* a task, not a label */
	CHECK_INT(classify("Spraw aby działało:"), QC_QUESTION);
	CHECK_INT(classify("Сделайте так, чтобы этот код работал:"), QC_QUESTION);
	CHECK_INT(classify("Giải pháp:"), QC_LABEL);
}

TEST(titles_are_other)
{
	CHECK_INT(classify("Decorators"), QC_OTHER);
	CHECK_INT(classify("Python basics"), QC_OTHER);
	CHECK_INT(classify("Advanced"), QC_OTHER);
	CHECK_INT(classify("Advanced: Implement LRU caching"), QC_QUESTION);
	CHECK_INT(classify("🔥"), QC_OTHER);   /* nothing but decoration */
	CHECK_INT(classify(""), QC_OTHER);
}

TEST(asking_by_form_not_first_word)
{
	CHECK(asks("Explain the GIL"));
	CHECK(asks("Is Python compiled?"));
	CHECK(asks("Write a function that reverses a list"));
	CHECK(!asks("When sent by the server"));
	CHECK(!asks("What"));
	CHECK(!asks("   "));
}

TEST(question_numbers)
{
	CHECK_INT(number("12. What"), 4);
	CHECK_INT(number("Q12. What"), 5);
	CHECK_INT(number("Q12:  What"), 6);
	CHECK_INT(number("12) What"), 4);
	CHECK_INT(number("Q: What"), 3);
	CHECK_INT(number("3.14 is pi"), 0);
	CHECK_INT(number("Q)"), 0);
	CHECK_INT(number("Quick. What"), 0);
	CHECK_INT(number("1234567. seven digits"), 0);
	CHECK_INT(number("12."), 3);
}

TEST(decorations_and_trim)
{
	const char *s = "🔹 ✅ Topic";
	CHECK_INT(qc_decoration(s, strlen(s)), strlen(s) - 5);
	CHECK_INT(qc_decoration("Topic", 5), 0);
	CHECK_INT(qc_decoration("  Topic", 7), 2);   /* leading spaces go too */
	const char *t = " \t word  ";
	size_t n = qc_trim(&t, strlen(t));
	CHECK_INT(n, 4);
	CHECK(!strncmp(t, "word", 4));
}

TEST(word_at_start)
{
	CHECK(qc_word("what is", 7, "What", ""));
	CHECK(qc_word("What", 4, "what", ""));
	CHECK(qc_word("Advanced: x", 11, "Advanced", ":"));
	CHECK(!qc_word("Whatever", 8, "What", ""));
	CHECK(!qc_word("Wh", 2, "What", ""));
}

int main(void)
{
	RUN(questions_by_mark_and_by_word);
	RUN(questions_in_more_languages);
	RUN(a_question_mark_before_a_closing_remark);
	RUN(a_numbering_word_is_passed_over);
	RUN(labels_win_over_questions);
	RUN(titles_are_other);
	RUN(asking_by_form_not_first_word);
	RUN(question_numbers);
	RUN(decorations_and_trim);
	RUN(word_at_start);
	return testing_done();
}
