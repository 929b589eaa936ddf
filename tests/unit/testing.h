/* testing.h - the tiny unit-test harness of quire.
 *
 * Each test program prints one line per check, "ok - name" or
 * "not ok - name: detail"; tests/run.sh counts them. Use:
 *
 *     TEST(name) { CHECK(expr); CHECK_STR(got, want); }
 *     int main(void) { RUN(name); return testing_done(); }
 */
#ifndef QUIRE_TESTING_H
#define QUIRE_TESTING_H

#include <stdio.h>
#include <string.h>

static int testing_failed_;
static int testing_case_failed_;
static const char *testing_name_;

#define TEST(name) static void name(void)

#define CHECK(expr)                                                        \
	do {                                                               \
		if (!(expr)) {                                             \
			printf("not ok - %s: %s:%d: CHECK(%s)\n",          \
			       testing_name_, __FILE__, __LINE__, #expr);  \
			testing_case_failed_ = 1;                          \
			return;                                            \
		}                                                          \
	} while (0)

#define CHECK_STR(got, want)                                               \
	do {                                                               \
		const char *g_ = (got), *w_ = (want);                      \
		if (!g_ || strcmp(g_, w_) != 0) {                          \
			printf("not ok - %s: %s:%d: got \"%s\", want \"%s\"\n", \
			       testing_name_, __FILE__, __LINE__,          \
			       g_ ? g_ : "(null)", w_);                    \
			testing_case_failed_ = 1;                          \
			return;                                            \
		}                                                          \
	} while (0)

#define CHECK_INT(got, want)                                               \
	do {                                                               \
		long long g_ = (long long)(got), w_ = (long long)(want);   \
		if (g_ != w_) {                                            \
			printf("not ok - %s: %s:%d: %s = %lld, want %lld\n", \
			       testing_name_, __FILE__, __LINE__, #got, g_, w_); \
			testing_case_failed_ = 1;                          \
			return;                                            \
		}                                                          \
	} while (0)

#define RUN(name)                                                          \
	do {                                                               \
		testing_name_ = #name;                                     \
		testing_case_failed_ = 0;                                  \
		name();                                                    \
		if (testing_case_failed_)                                  \
			testing_failed_++;                                 \
		else                                                       \
			printf("ok - %s\n", #name);                        \
	} while (0)

static inline int testing_done(void) { return testing_failed_ ? 1 : 0; }

#endif
