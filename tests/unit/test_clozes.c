/* test_clozes.c - reader/clozes.c: Obsidian Spaced Repetition's cloze
 * patterns read and matched as the plug-in reads them (its default, the
 * bold and curly ones, a pattern of one's own, hints after the closing
 * marks) and the patterns it cannot read refused. */
#include "reader/clozes.h"
#include "testing.h"

static qarena arena_;

/* The pattern src matched at the start of text: "answer|hint|number|len",
 * or "" when it does not match (or "bad" when it cannot be read). */
static const char *match(const char *src, const char *text)
{
	static char out[256];
	qcloze_pattern p;
	qcloze_match m;
	if (!qcloze_pattern_read(src, strlen(src), &arena_, &p))
		return "bad";
	if (!qcloze_match_at(&p, text, strlen(text), &m))
		return "";
	snprintf(out, sizeof out, "%.*s|%.*s|%d|%zu", (int)(m.a1 - m.a0), text + m.a0, (int)(m.h1 - m.h0),
		 text + m.h0, m.number, m.len);
	return out;
}

TEST(the_default_pattern)
{
	const char *p = "==[123;;]answer[;;hint]==";
	CHECK_STR(match(p, "==Paris== is"), "Paris||0|9");
	CHECK_STR(match(p, "==2;;Paris==."), "Paris||2|12");
	CHECK_STR(match(p, "==Paris;;a city=="), "Paris|a city|0|17");
	CHECK_STR(match(p, "==3;;Paris;;a city=="), "Paris|a city|3|20");
	CHECK_STR(match(p, "== b == c"), "");   /* a comparison: blanks inside */
	CHECK_STR(match(p, "==Paris"), "");     /* never closed */
	CHECK_STR(match(p, "==Par\nis=="), "");  /* one line */
}

TEST(other_patterns)
{
	CHECK_STR(match("{{[123::]answer[::hint]}}", "{{1::Rome::a city}}"), "Rome|a city|1|19");
	CHECK_STR(match("{@{answer}@}", "{@{Berlin}@} is"), "Berlin||0|12");
	CHECK_STR(match("==answer==[^\\[hint\\]][\\[^123\\]]", "==Oslo==^[capital][^3]"), "Oslo|capital|3|22");
	CHECK_STR(match("==answer==[^\\[hint\\]][\\[^123\\]]", "==Oslo== here"), "Oslo||0|8");
	/* the plug-in's overlapping clozes: asked on the card of the first a */
	CHECK_STR(match("==[123;;]answer[;;hint]==", "==hha;;Item==") , "Item||3|13");
}

TEST(bold_inside_its_node)
{
	qcloze_pattern p;
	qcloze_match m;
	CHECK(qcloze_pattern_read("**[123;;]answer[;;hint]**", 25, &arena_, &p));
	CHECK(qcloze_match_inner(&p, "2;;Lyon;;city", 13, &m));
	CHECK_INT(m.number, 2);
	CHECK_INT((int)(m.a1 - m.a0), 4);
	CHECK_INT((int)(m.h1 - m.h0), 4);
	CHECK(qcloze_match_inner(&p, "France", 6, &m));
	CHECK_INT(m.number, 0);
	CHECK_INT((int)m.a1, 6);
}

TEST(patterns_it_cannot_read)
{
	CHECK_STR(match("no keyword", "x"), "bad");
	CHECK_STR(match("answer==", "x"), "bad");             /* nothing before it */
	CHECK_STR(match("==answer", "x"), "bad");             /* nothing after it */
	CHECK_STR(match("==answer[;;hint]", "x"), "bad");     /* nor after the hint */
	CHECK_STR(match("==[x]answer==", "x"), "bad");        /* a group of neither kind */
	CHECK_STR(match("==[123;;answer==", "x"), "bad");     /* never closed */
	CHECK_STR(match("==answer==answer==", "x"), "bad");   /* two answers */
}

int main(void)
{
	RUN(the_default_pattern);
	RUN(other_patterns);
	RUN(bold_inside_its_node);
	RUN(patterns_it_cannot_read);
	qarena_free(&arena_);
	return testing_done();
}
