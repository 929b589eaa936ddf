/* test_repair.c - text repair: mojibake undone, right text untouched,
 * legacy bytes decoded with a warning naming the line. */
#include "reader/repair.h"
#include "testing.h"

static char out_[4096];

/* Repair s with diagnostics; returns the text. */
static const char *repair(const char *s, size_t n, qdiags *d)
{
	qbuf b = QBUF_INIT;
	qrepair(s, n, &b, d);
	snprintf(out_, sizeof out_, "%s", b.ptr);
	qbuf_free(&b);
	return out_;
}

static const char *fix(const char *s)
{
	qbuf b = QBUF_INIT;
	qrepair_text(s, strlen(s), &b);
	snprintf(out_, sizeof out_, "%s", b.ptr);
	qbuf_free(&b);
	return out_;
}

/* Corpus line 11: `os ‚Üí file system operations` (Mac Roman). */
TEST(mac_roman_arrow) { CHECK_STR(fix("os \xE2\x80\x9A\xC3\x9C\xC3\xAD file"), "os \xE2\x86\x92 file"); }

/* Corpus line 9: a lone U+F8FF+"üëâ" is 👉. */
TEST(mac_roman_emoji_astral)
{
	CHECK_STR(fix("\xEF\xA3\xBF\xC3\xBC\xC3\xAB\xC3\xA2"), "\xF0\x9F\x91\x89");
}

/* `What‚Äôs` -> What’s */
TEST(mac_roman_apostrophe)
{
	CHECK_STR(fix("What\xE2\x80\x9A\xC3\x84\xC3\xB4s"), "What\xE2\x80\x99s");
}

/* `‚ö†Ô∏è` -> ⚠️ (with U+FE0F kept) */
TEST(mac_roman_warning_sign)
{
	CHECK_STR(fix("\xE2\x80\x9A\xC3\xB6\xE2\x80\xA0\xC3\x94\xE2\x88\x8F\xC3\xA8 Best"),
		  "\xE2\x9A\xA0\xEF\xB8\x8F Best");
}

/* Windows-1252: `donâ€™t` -> don’t */
TEST(cp1252_apostrophe)
{
	CHECK_STR(fix("don\xC3\xA2\xE2\x82\xAC\xE2\x84\xA2t"), "don\xE2\x80\x99t");
}

/* Latin-1 style: `cafÃ©` -> café */
TEST(latin1_e_acute) { CHECK_STR(fix("caf\xC3\x83\xC2\xA9"), "caf\xC3\xA9"); }

TEST(right_text_untouched)
{
	const char *keep[] = {
		"caf\xC3\xA9",                                  /* café */
		"\xE2\x86\x92 real arrow",                      /* → */
		"\xE4\xB8\xAD\xE6\x96\x87\xE7\xAC\x94\xE8\xAE\xB0", /* 中文笔记 */
		"\xD0\x9A\xD0\xB8\xD1\x80\xD0\xB8\xD0\xBB\xD0\xBB\xD0\xB8\xD1\x86\xD0\xB0", /* Кириллица */
		"na\xC3\xAFve \xC3\xBC\xC3\xB6 \xC3\x9F",        /* naïve üö ß */
		"\xCE\xB1\xCE\xB2\xCE\xB3 Greek",               /* αβγ */
		"\xF0\x9F\x91\x89 already right",               /* 👉 */
		"\xC2\xA0nbsp kept",
	};
	for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
		CHECK_STR(fix(keep[i]), keep[i]);
}

TEST(invalid_bytes_are_windows_1252_with_line)
{
	qdiags d;
	qdiags_init(&d, "t.md");
	const char *r = repair("ok\nna\xEFve\ncaf\xE9\n", 14, &d);
	CHECK_STR(r, "ok\nna\xC3\xAFve\ncaf\xC3\xA9\n");
	CHECK_INT(qdiags_count(&d, "invalid-utf8"), 3);   /* two lines + summary */
	CHECK_INT(d.v[0].line, 2);
	CHECK_INT(d.v[1].line, 3);
	qdiags_free(&d);
}

TEST(undefined_cp1252_byte_is_replacement_not_dropped)
{
	qdiags d;
	qdiags_init(&d, "t.md");
	CHECK_STR(repair("a\x81z", 3, &d), "a\xEF\xBF\xBDz");
	qdiags_free(&d);
}

TEST(bom_crlf_and_cr)
{
	qdiags d;
	qdiags_init(&d, "t.md");
	CHECK_STR(repair("\xEF\xBB\xBFone\r\ntwo\rthree\n", 18, &d), "one\ntwo\nthree\n");
	qdiags_free(&d);
}

TEST(tabs_kept)
{
	qdiags d;
	qdiags_init(&d, "t.md");
	CHECK_STR(repair("\tx = 1\n", 7, &d), "\tx = 1\n");
	qdiags_free(&d);
}

TEST(binary_rejected)
{
	qdiags d;
	qdiags_init(&d, "t.md");
	char bin[256];
	for (int i = 0; i < 256; i++)
		bin[i] = (char)i;
	qbuf b = QBUF_INIT;
	CHECK_INT(qrepair(bin, sizeof bin, &b, &d), -1);
	CHECK_INT(d.errors, 1);
	qbuf_free(&b);
	qdiags_free(&d);
}

TEST(utf16_without_bom_gets_a_hint)
{
	static const char le[] = "#\0 \0T\0i\0t\0l\0e\0\n\0\n\0W\0h\0a\0t\0?\0\n\0";
	static const char be[] = "\0#\0 \0T\0i\0t\0l\0e\0\n\0\n\0W\0h\0a\0t\0?\0\n";
	const char *text[2] = {le, be}, *name[2] = {"UTF-16LE", "UTF-16BE"};
	for (int i = 0; i < 2; i++) {
		qdiags d;
		qdiags_init(&d, "t.md");
		qbuf b = QBUF_INIT;
		int rc = qrepair(text[i], sizeof le - 1, &b, &d);
		bool hint = d.n == 1 && strstr(d.v[0].msg, name[i]) && strstr(d.v[0].msg, "iconv") &&
			    !strstr(d.v[0].msg, "not a text file");
		size_t errors = d.errors;
		qbuf_free(&b);
		qdiags_free(&d);
		CHECK_INT(rc, -1);
		CHECK_INT(errors, 1);
		CHECK(hint);
	}
}

TEST(utf16_with_bom)
{
	qdiags d;
	qdiags_init(&d, "t.md");
	CHECK_STR(repair("\xFF\xFEH\0i\0\n\0", 8, &d), "Hi\n");
	qdiags_free(&d);
}

TEST(mojibake_counted_once_per_kind)
{
	qdiags d;
	qdiags_init(&d, "t.md");
	repair("a \xE2\x80\x9A\xC3\x9C\xC3\xAD b\nc \xE2\x80\x9A\xC3\x9C\xC3\xAD d\n", 22, &d);
	/* two per-line guesses (-v) and one summary warning */
	CHECK_INT(qdiags_count(&d, "mojibake"), 3);
	qdiags_free(&d);
}

int main(void)
{
	RUN(mac_roman_arrow);
	RUN(mac_roman_emoji_astral);
	RUN(mac_roman_apostrophe);
	RUN(mac_roman_warning_sign);
	RUN(cp1252_apostrophe);
	RUN(latin1_e_acute);
	RUN(right_text_untouched);
	RUN(invalid_bytes_are_windows_1252_with_line);
	RUN(undefined_cp1252_byte_is_replacement_not_dropped);
	RUN(bom_crlf_and_cr);
	RUN(tabs_kept);
	RUN(binary_rejected);
	RUN(utf16_without_bom_gets_a_hint);
	RUN(utf16_with_bom);
	RUN(mojibake_counted_once_per_kind);
	return testing_done();
}
