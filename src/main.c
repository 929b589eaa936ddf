/* main.c - the quire command line: options, one run per notes file,
 * diagnostics printed as `file:line:col: severity: message`. It holds:
 * options and --help; the share folder and the checks made before
 * anything is written (named style files, output names, -o -); the
 * progress line; running the back ends and writing their files; --lint;
 * --watch; main(). Only this file prints.
 *
 * Exit status: 0 success, 1 bad input (or --lint --strict found a
 * problem), 2 bad usage, 3 an output could not be written, 4 out of
 * memory (util/arena.h: qoom).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backend/apkg/options.h"
#include "backend/backend.h"
#include "backend/epub/options.h"
#include "backend/pdf/options.h"
#include "reader/meta.h"
#include "reader/reader.h"
#include "util/arena.h"
#include "util/cpu.h"
#include "util/fileio.h"
#include "util/pages.h"
#include "util/watch.h"
#include "model/check.h"
#include "model/walk.h"

#define QUIRE_VERSION "0.1.0"
#define QUIRE_MAX_INPUT ((size_t)512 << 20)
/* Diagnostics of one kind shown before "N more like the ... above" (-v
 * shows all). */
#define QUIRE_SHOW_PER_KIND 20
/* Threads of the pool beside the main thread (fewer with fewer
 * processors): more do not make any output faster. */
#define QUIRE_THREADS 7

enum { EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_OUTPUT = 3 };

typedef struct cli {
	qpool *pool;           /* the program's one pool of threads */
	const char *outdir;
	bool want[QB_COUNT];   /* the outputs to write, by qbackend_id */
	bool questions, lint, verbose, quiet, lifted;
	bool commonmark;       /* --from commonmark */
	const char *cards;     /* --cards */
	const char *card_seps; /* --card-separators */
	const char *metadata[64]; /* --metadata KEY=VALUE */
	int nmetadata;
	bool paper_given;      /* --paper: wins over the notes' paper: */
	const char *resource[16]; /* --resource-path DIR */
	int nresource;
	const char *book;      /* --book NAME, or a folder's name: one book */
	char *book_yaml;       /* the book folder's quire.yaml, or NULL */
	char *book_yaml_path;  /* its path, for messages (owned) */
	bool cloze_given;      /* --cloze: wins over the notes' cloze: */
	bool strict;           /* --strict: --lint fails on a warning */
	const char *title, *author, *lang;
	qepub_opts epub;
	qapkg_opts apkg;
	qpdf_opts pdf;
	bool print_share;
	bool watch;            /* --watch */
	bool rebuilding;       /* a --watch rebuild: one report line, errors only */
	char share[PATH_MAX];  /* the folder holding styles/ and fonts/ */
} cli;

static void usage(FILE *f)
{
	fputs("usage: quire [options] NOTES.md... | FOLDER\n"
	      "\n"
	      "Compile study notes into a PDF booklet, an EPUB and an Anki deck.\n"
	      "NOTES.md may be - (standard input; the outputs are named notes.*).\n"
	      "A FOLDER is one book of its notes files, each a part (see --book).\n"
	      "\n"
	      "  -o, --output DIR       write outputs into DIR, made with its parents\n"
	      "                         (default: out); - writes the one output of a\n"
	      "                         run to standard output\n"
	      "  -t, --to LIST          outputs to write, comma-separated, from:\n", f);
	for (int i = 0; i < QB_COUNT; i++)
		fprintf(f, "                           %-6s %s\n", qbackends[i].name,
			qbackends[i].summary);
	fputs("                         (default: all but tree)\n"
	      "      --title TEXT       document title (default: the notes' own)\n"
	      "      --author TEXT      author\n"
	      "      --lang CODE        language, BCP 47 (default: en)\n"
	      "      --questions        print each question as LINE<TAB>TEXT\n"
	      "      --lint             report repairs, guesses and problems, then\n"
	      "                         a summary; 20 of each kind are shown\n"
	      "      --strict           with --lint: exit 1 on a warning or an error\n"
	      "  -v, --verbose          every message (no limit per kind); with --lint\n"
	      "                         every guess too; otherwise also the time each\n"
	      "                         step took\n"
	      "  -q, --quiet            print errors only\n"
	      "      --lifted           print the repaired, lifted CommonMark\n"
	      "      --from FORMAT      notes (default: the notes dialect, see\n"
	      "                         quire-notes(5)) or commonmark (strict:\n"
	      "                         nothing lifted, only headings make cards)\n"
	      "      --cards MODE       which cards: auto (default: every style\n"
	      "                         quire knows), questions, headings[=LEVEL]\n"
	      "                         (a card per heading with text), outline\n"
	      "                         (a card per bullet with nested text), none\n"
	      "      --card-separators S  Obsidian Spaced Repetition's separators,\n"
	      "                         INLINE,REVERSED,MULTILINE,MULTI_REVERSED\n"
	      "                         (default ::,:::,?,?\?)\n"
	      "      --book NAME        all the notes given (or the notes of a folder\n"
	      "                         given, in natural order) as one book NAME:\n"
	      "                         each file a part, one booklet, book and deck\n"
	      "      --resource-path DIR  images may also be read from DIR\n"
	      "      --metadata KEY=VALUE  set a front matter key (title, author,\n"
	      "                         lang, deck, cards, ...); wins over the notes'\n"
	      "PDF booklet:\n"
	      "      --paper SIZE       a5 (default), a4 or letter\n"
	      "      --impose           also write NAME-print.pdf: the pages two-up in\n"
	      "                         booklet order (A5 on A4, A4 on A3, Letter on\n"
	      "                         Tabloid; creep and crop marks: booklet.conf)\n"
	      "      --booklet-style F  page and font settings (default:\n"
	      "                         SHARE/styles/booklet.conf)\n"
	      "      --fonts FILE       font roles (default: SHARE/fonts/roles.conf)\n"
	      "EPUB:\n"
	      "      --epub-answers M   inline (default) or popup (self-test)\n"
	      "      --style FILE       stylesheet for the book (default:\n"
	      "                         SHARE/styles/epub.css)\n"
	      "Anki deck:\n"
	      "      --deck NAME        top deck name (default: the title)\n"
	      "      --card-style FILE  card CSS (default: SHARE/styles/cards.css)\n"
	      "      --reversed         term cards also asked backwards (a Reverse card)\n"
	      "      --tag-sections     tag each note with its section path (A::B)\n"
	      "      --cloze MODE       which marks make cloze notes: marked ({{c1::..}}),\n"
	      "                         highlight (==..== too), auto (default: highlight\n"
	      "                         when the notes are tagged flashcards)\n"
	      "\n"
	      "      --watch            after building, rebuild whenever the notes,\n"
	      "                         their images or the style files change\n"
	      "      --print-share      print the folder holding styles/ and fonts/\n"
	      "  -h, --help             this help\n"
	      "  -V, --version          the version\n"
	      "\n"
	      "Environment: SOURCE_DATE_EPOCH, when set, is the build time written\n"
	      "into outputs (else the notes' modification time); QUIRE_SHARE\n"
	      "replaces the folder of styles/ and fonts/ (see --print-share).\n"
	      "Exit status: 0 ok, 1 bad input (or --lint --strict found problems),\n"
	      "2 bad usage, 3 an output could not be written, 4 out of memory.\n"
	      "See quire(1) and quire-notes(5).\n", f);
}

static int usage_error(const char *fmt, const char *arg)
{
	fputs("quire: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'quire --help'.\n", stderr);
	return EXIT_USAGE;
}

static int parse_to(cli *c, const char *list)
{
	memset(c->want, 0, sizeof c->want);
	char *copy = strdup(list);
	if (!copy)
		qoom();
	int rc = 0;
	for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		qbackend_id id = qbackend_find(tok);
		if (id == QB_COUNT) {
			rc = usage_error("unknown output '%s'", tok);
			break;
		}
		c->want[id] = true;
	}
	free(copy);
	return rc;
}

static void default_outputs(cli *c)
{
	for (int i = 0; i < QB_COUNT; i++)
		c->want[i] = i != QB_TREE;
}

/* True when dir holds styles/ and fonts/. */
static bool is_share(const char *dir)
{
	char p[PATH_MAX + 16];
	struct stat st;
	snprintf(p, sizeof p, "%s/styles", dir);
	if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))
		return false;
	snprintf(p, sizeof p, "%s/fonts", dir);
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The checkout a program was built in: dir, or the first of its parents
 * (build/quire, build/asan/quire) that holds the Makefile, styles/ and
 * fonts/. */
static bool find_checkout(const char *exe, char *out, size_t n)
{
	for (int up = 0; up <= 3; up++) {
		char dir[PATH_MAX + 16], mk[PATH_MAX + 32];
		snprintf(dir, sizeof dir, "%.*s", PATH_MAX - 16, exe);
		for (int i = 0; i < up; i++)
			strcat(dir, "/..");
		snprintf(mk, sizeof mk, "%s/Makefile", dir);
		if (is_share(dir) && access(mk, R_OK) == 0 && realpath(dir, out) && strlen(out) < n)
			return true;
	}
	return false;
}

/* Where styles/ and fonts/ live: $QUIRE_SHARE when set; else the
 * program's own: PREFIX/share/quire for an installed PREFIX/bin/quire,
 * or the checkout it was built in (./quire, build/quire). Never the
 * current folder as such: an installed quire run in someone's notes
 * folder does not read their styles/. Returns false when none is there
 * (c->share then names where an installed quire looks). */
static bool find_share(cli *c)
{
	const char *env = getenv("QUIRE_SHARE");
	if (env && *env) {
		snprintf(c->share, sizeof c->share, "%s", env);
		return is_share(c->share);
	}
	char exe[PATH_MAX], real[PATH_MAX];
	if (qfile_exe_dir(exe, sizeof exe) != 0) {
		snprintf(c->share, sizeof c->share, "(the program's folder is unknown)");
		return false;
	}
	snprintf(c->share, sizeof c->share, "%.*s/../share/quire", PATH_MAX - 32, exe);
	if (is_share(c->share) && realpath(c->share, real)) {
		snprintf(c->share, sizeof c->share, "%s", real);
		return true;
	}
	if (find_checkout(exe, real, sizeof real)) {
		snprintf(c->share, sizeof c->share, "%s", real);
		return true;
	}
	return false;
}

/* The style files named on the command line, each a file quire may read
 * (util/fileio.h: a regular file of sane size, no link out of its
 * folder); a usage error names the first that is not. */
static int check_named_files(const cli *c)
{
	const struct {
		const char *option, *path;
	} named[] = {
		{"--booklet-style", c->pdf.style_path}, {"--fonts", c->pdf.fonts_path},
		{"--style", c->epub.style_path}, {"--card-style", c->apkg.style_path},
	};
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
		if (!named[i].path)
			continue;
		qbuf b = QBUF_INIT;
		char err[256];
		qfile_status st = qfile_read_style(named[i].path, &b, err, sizeof err);
		qbuf_free(&b);
		if (st != QF_OK) {
			fprintf(stderr, "quire: %s %s: %s\nTry 'quire --help'.\n", named[i].option,
				named[i].path, err);
			return EXIT_USAGE;
		}
	}
	return 0;
}

enum {
	OPT_TITLE = 256, OPT_AUTHOR, OPT_LANG, OPT_QUESTIONS, OPT_LINT,
	OPT_PAPER, OPT_IMPOSE, OPT_EPUB_ANSWERS, OPT_STYLE, OPT_DECK,
	OPT_CARD_STYLE, OPT_BOOKLET_STYLE, OPT_FONTS, OPT_LIFTED, OPT_FROM,
	OPT_PRINT_SHARE, OPT_STRICT, OPT_WATCH, OPT_CARDS, OPT_CARD_SEPS, OPT_METADATA,
	OPT_BOOK, OPT_RESOURCE,
	OPT_REVERSED, OPT_TAG_SECTIONS, OPT_CLOZE,
};

static const struct option long_opts[] = {
	{"output", required_argument, 0, 'o'},
	{"to", required_argument, 0, 't'},
	{"title", required_argument, 0, OPT_TITLE},
	{"author", required_argument, 0, OPT_AUTHOR},
	{"lang", required_argument, 0, OPT_LANG},
	{"questions", no_argument, 0, OPT_QUESTIONS},
	{"lint", no_argument, 0, OPT_LINT},
	{"verbose", no_argument, 0, 'v'},
	{"quiet", no_argument, 0, 'q'},
	{"lifted", no_argument, 0, OPT_LIFTED},
	{"from", required_argument, 0, OPT_FROM},
	{"paper", required_argument, 0, OPT_PAPER},
	{"impose", no_argument, 0, OPT_IMPOSE},
	{"booklet-style", required_argument, 0, OPT_BOOKLET_STYLE},
	{"fonts", required_argument, 0, OPT_FONTS},
	{"epub-answers", required_argument, 0, OPT_EPUB_ANSWERS},
	{"style", required_argument, 0, OPT_STYLE},
	{"deck", required_argument, 0, OPT_DECK},
	{"card-style", required_argument, 0, OPT_CARD_STYLE},
	{"print-share", no_argument, 0, OPT_PRINT_SHARE},
	{"strict", no_argument, 0, OPT_STRICT},
	{"watch", no_argument, 0, OPT_WATCH},
	{"cards", required_argument, 0, OPT_CARDS},
	{"card-separators", required_argument, 0, OPT_CARD_SEPS},
	{"metadata", required_argument, 0, OPT_METADATA},
	{"book", required_argument, 0, OPT_BOOK},
	{"resource-path", required_argument, 0, OPT_RESOURCE},
	{"reversed", no_argument, 0, OPT_REVERSED},
	{"tag-sections", no_argument, 0, OPT_TAG_SECTIONS},
	{"cloze", required_argument, 0, OPT_CLOZE},
	{"help", no_argument, 0, 'h'},
	{"version", no_argument, 0, 'V'},
	{0, 0, 0, 0},
};

/* --cloze MODE, or the notes' cloze: (which meta.c checked), into o;
 * false when s is no mode. */
static bool cloze_mode(const char *s, qapkg_opts *o)
{
	static const char *const modes[] = {
		[QAPKG_CLOZE_AUTO] = "auto", [QAPKG_CLOZE_MARKED] = "marked",
		[QAPKG_CLOZE_HIGHLIGHT] = "highlight",
	};
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
		if (strcmp(s, modes[i]) == 0) {
			o->cloze = i;
			return true;
		}
	return false;
}

/* Returns -1 to go on, else an exit status. */
static int parse_option(cli *c, int opt, const char *arg)
{
	switch (opt) {
	case 'o': c->outdir = arg; break;
	case 't': return parse_to(c, arg) ? EXIT_USAGE : -1;
	case OPT_TITLE: c->title = arg; break;
	case OPT_AUTHOR: c->author = arg; break;
	case OPT_LANG: c->lang = arg; break;
	case OPT_QUESTIONS: c->questions = true; break;
	case OPT_LINT: c->lint = true; break;
	case 'v': c->verbose = true; break;
	case 'q': c->quiet = true; break;
	case OPT_LIFTED: c->lifted = true; break;
	case OPT_FROM:
		if (strcmp(arg, "notes") && strcmp(arg, "commonmark"))
			return usage_error("--from must be notes or commonmark, not '%s'", arg);
		c->commonmark = strcmp(arg, "commonmark") == 0;
		break;
	case OPT_PAPER:
		if (strcmp(arg, "a5") && strcmp(arg, "a4") && strcmp(arg, "letter"))
			return usage_error("--paper must be a5, a4 or letter, not '%s'", arg);
		c->pdf.paper = arg;
		c->paper_given = true;
		break;
	case OPT_IMPOSE: c->pdf.impose = true; break;
	case OPT_BOOKLET_STYLE: c->pdf.style_path = arg; break;
	case OPT_FONTS: c->pdf.fonts_path = arg; break;
	case OPT_EPUB_ANSWERS:
		if (strcmp(arg, "popup") && strcmp(arg, "inline"))
			return usage_error("--epub-answers must be inline or popup, not '%s'", arg);
		c->epub.popup_answers = strcmp(arg, "popup") == 0;
		break;
	case OPT_STYLE: c->epub.style_path = arg; break;
	case OPT_DECK: c->apkg.deck = arg; break;
	case OPT_CARD_STYLE: c->apkg.style_path = arg; break;
	case OPT_PRINT_SHARE: c->print_share = true; break;
	case OPT_STRICT: c->strict = true; break;
	case OPT_WATCH: c->watch = true; break;
	case OPT_CARDS:
		if (!qmeta_cards_valid(arg))
			return usage_error("--cards must be auto, questions, headings[=LEVEL], "
					   "outline or none, not '%s'", arg);
		c->cards = arg;
		break;
	case OPT_CARD_SEPS: c->card_seps = arg; break;
	case OPT_BOOK:
		if (!*arg || strchr(arg, '/'))
			return usage_error("--book takes a name for the outputs, not '%s'", arg);
		c->book = arg;
		break;
	case OPT_RESOURCE:
		if (c->nresource == (int)(sizeof c->resource / sizeof c->resource[0]))
			return usage_error("%s", "at most 16 --resource-path folders");
		c->resource[c->nresource++] = arg;
		break;
	case OPT_METADATA:
		if (!strchr(arg, '=') || *arg == '=')
			return usage_error("--metadata takes KEY=VALUE, not '%s'", arg);
		if (c->nmetadata == (int)(sizeof c->metadata / sizeof c->metadata[0]))
			return usage_error("%s", "at most 64 --metadata options");
		c->metadata[c->nmetadata++] = arg;
		break;
	case OPT_REVERSED: c->apkg.reversed = true; break;
	case OPT_TAG_SECTIONS: c->apkg.tag_sections = true; break;
	case OPT_CLOZE:
		if (!cloze_mode(arg, &c->apkg))
			return usage_error("--cloze must be auto, marked or highlight, not '%s'", arg);
		c->cloze_given = true;
		break;
	case 'h': usage(stdout); return 0;
	case 'V': printf("quire %s\n", QUIRE_VERSION); return 0;
	default: fputs("Try 'quire --help'.\n", stderr); return EXIT_USAGE;
	}
	return -1;
}

/* ---- the progress line ----------------------------------------------- */

/* On a terminal, a notes file that takes more than a second gets one
 * line on stderr that says which file and step and how long so far,
 * redrawn in place by a thread and erased before any other message
 * (say(), print_diags()). Never when stderr is not a terminal, never
 * with -q, never in an output. */
#define TICK_AFTER_NS 1000000000LL
#define TICK_EVERY_NS 200000000LL

static struct ticker {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	bool on, stop;
	const char *file, *step;   /* step NULL: nothing to show */
	long long since;           /* when the file began (qclock_ns) */
	int width;                 /* columns drawn now, 0 = none */
} tick = {.mu = PTHREAD_MUTEX_INITIALIZER};

/* Erase the line (tick.mu held). */
static void tick_erase(void)
{
	if (tick.width)
		fprintf(stderr, "\r%*s\r", tick.width, "");
	tick.width = 0;
}

static void tick_draw(void)
{
	long long ns = qclock_ns() - tick.since;
	if (!tick.step || ns < TICK_AFTER_NS)
		return;
	char line[160];
	int n = snprintf(line, sizeof line, "quire: %.60s: %s (%.1f s)", tick.file, tick.step,
			 (double)ns / 1e9);
	if (n >= (int)sizeof line)
		n = (int)sizeof line - 1;
	fprintf(stderr, "\r%s%*s", line, tick.width > n ? tick.width - n : 0, "");
	fflush(stderr);
	if (n > tick.width)
		tick.width = n;
}

static void *tick_loop(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&tick.mu);
	while (!tick.stop) {
		long long at = qclock_ns() + TICK_EVERY_NS;
		struct timespec ts = {(time_t)(at / 1000000000LL), (long)(at % 1000000000LL)};
		pthread_cond_timedwait(&tick.cv, &tick.mu, &ts);
		if (!tick.stop)
			tick_draw();
	}
	tick_erase();
	pthread_mutex_unlock(&tick.mu);
	return NULL;
}

static void tick_start(const cli *c)
{
	if (c->quiet || !isatty(2))
		return;
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);   /* the clock of qclock_ns */
	pthread_cond_init(&tick.cv, &ca);
	pthread_condattr_destroy(&ca);
	tick.on = pthread_create(&tick.thread, NULL, tick_loop, NULL) == 0;
}

static void tick_stop(void)
{
	if (!tick.on)
		return;
	pthread_mutex_lock(&tick.mu);
	tick.stop = true;
	pthread_cond_signal(&tick.cv);
	pthread_mutex_unlock(&tick.mu);
	pthread_join(tick.thread, NULL);
	tick.on = false;
}

/* What the run is doing now; a new file restarts the clock. */
static void tick_step(const char *file, const char *step)
{
	pthread_mutex_lock(&tick.mu);
	if (file != tick.file)
		tick.since = qclock_ns();
	tick.file = file;
	tick.step = step;
	pthread_mutex_unlock(&tick.mu);
}

/* A message on stderr, the progress line out of its way. */
__attribute__((format(printf, 1, 2))) static void say(const char *fmt, ...)
{
	pthread_mutex_lock(&tick.mu);
	tick_erase();
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&tick.mu);
}

static void print_diags(qdiags *d, bool show_verbose)
{
	pthread_mutex_lock(&tick.mu);
	tick_erase();
	qdiags_print(d, stderr, show_verbose);
	pthread_mutex_unlock(&tick.mu);
}

static time_t build_epoch(const char *notes, qdiags *d)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	if (s && *s) {
		char *end;
		errno = 0;
		long long v = strtoll(s, &end, 10);
		if (!errno && !*end && v >= 0 && v < 253402300800LL)
			return (time_t)v;
		qdiag_add(d, QD_WARNING, 0, 0, "epoch",
			  "SOURCE_DATE_EPOCH='%s' is not a number of seconds; ignored", s);
	}
	if (strcmp(notes, "-") == 0) {
		/* standard input: the file's time when it is one (< notes.md),
		 * else now (a pipe has no date of its own) */
		struct stat st;
		if (fstat(0, &st) == 0 && S_ISREG(st.st_mode) && st.st_mtime > 0)
			return st.st_mtime;
		return time(NULL);
	}
	time_t t = qfile_mtime(notes);
	return t > 0 ? t : time(NULL);
}

/* Seconds since an arbitrary start, for -v progress lines. */
static double now(void)
{
	return (double)qclock_ns() / 1e9;
}

static void progress(const cli *c, const char *what, double since)
{
	if (c->verbose && !c->quiet)
		say("quire: %s in %.1f ms\n", what, (now() - since) * 1000);
}

/* LINE<TAB>QUESTION lines, and with -v <TAB>RULE: the rule that made the
 * card, or no-answer when the question got none. A question's control
 * characters (a terminal escape, a tab) are shown, not obeyed. */
static void print_questions(const qdoc *doc, bool verbose)
{
	qbuf q = QBUF_INIT;
	for (int i = 0; i < doc->nquestions; i++) {
		const qquestion *x = &doc->questions[i];
		qbuf_reset(&q);
		qbuf_put_visible(&q, x->full, strlen(x->full));
		if (x->file)   /* a book: the file too */
			printf("%s:", x->file);
		printf("%d\t%s", x->line, q.ptr);
		if (verbose)
			printf("\t%s", !x->answered ? "no-answer" : x->rule ? x->rule : "-");
		putchar('\n');
	}
	qbuf_free(&q);
}

/* -o -: the one output file goes to standard output. */
static bool to_stdout(const cli *c)
{
	return strcmp(c->outdir, "-") == 0;
}

static int write_stdout(const qbuf *data, const cli *c)
{
	if (fwrite(data->ptr, 1, data->len, stdout) != data->len || fflush(stdout) != 0) {
		say("quire: error: cannot write to standard output: %s\n", strerror(errno));
		return EXIT_OUTPUT;
	}
	if (!c->quiet)
		say("quire: wrote standard output (%zu KB)\n", (data->len + 1023) / 1024);
	return 0;
}

/* An output file on its way to the disk: written, flushed (fsync) and
 * renamed into place by a thread of its own while the next back end works,
 * so that waiting for the disk overlaps the work; qfile_write_atomic keeps
 * it safe either way. The run's last file is written by the main thread:
 * no work is left to overlap, and a thread costs its start. */
typedef struct pending {
	pthread_t thread;
	bool started;
	char path[PATH_MAX];
	qbuf data;          /* owned */
	char err[256];
	int rc;
} pending;

typedef struct writes {
	pending **v;
	int n;
	bool last;   /* the back end running is the run's last */
} writes;

static void *write_one(void *arg)
{
	pending *p = arg;
	p->rc = qfile_write_atomic(p->path, p->data.ptr, p->data.len, p->err, sizeof p->err);
	return NULL;
}

/* Start writing data (taken over) to path; with here, write it now on
 * this thread. */
static void start_write(writes *w, const char *path, qbuf *data, bool here)
{
	pending *p = qxmalloc(sizeof *p);
	memset(p, 0, sizeof *p);
	snprintf(p->path, sizeof p->path, "%s", path);
	p->data = *data;
	qbuf_init(data);
	w->v = qxrealloc(w->v, sizeof *w->v * (size_t)(w->n + 1));
	w->v[w->n++] = p;
	p->started = !here && pthread_create(&p->thread, NULL, write_one, p) == 0;
	if (!p->started)
		write_one(p);
}

/* Wait for every file, in order, and say how each went. */
static int finish_writes(const cli *c, writes *w)
{
	int rc = 0;
	for (int i = 0; i < w->n; i++) {
		pending *p = w->v[i];
		if (p->started)
			pthread_join(p->thread, NULL);
		if (p->rc) {
			say("%s: error: cannot write: %s\n", p->path, p->err);
			rc = EXIT_OUTPUT;
		} else if (!c->quiet && !c->rebuilding) {
			say("quire: wrote %s (%zu KB)\n", p->path, (p->data.len + 1023) / 1024);
		}
		qbuf_free(&p->data);
		free(p);
	}
	free(w->v);
	w->v = NULL;
	w->n = 0;
	return rc;
}

/* A back end's files: to standard output (-o -), or started on their way
 * into the output folder (finish_writes waits for them). */
static int write_outputs(qoutputs *outs, const cli *c, const char *stem, const char *ext,
			 writes *w)
{
	if (to_stdout(c))   /* checked beforehand: one file in all */
		return outs->n == 1 ? write_stdout(&outs->v[0].data, c) : EXIT_OUTPUT;
	for (int i = 0; i < outs->n; i++) {
		char path[PATH_MAX];
		snprintf(path, sizeof path, "%s/%s%s.%s", c->outdir, stem, outs->v[i].suffix, ext);
		start_write(w, path, &outs->v[i].data, w->last && i == outs->n - 1);
	}
	return 0;
}

/* The options of back end id, for a document whose outputs are stem.*
 * in the output folder (the deck reads the one already there). */
/* A back end's options: the command line's, then what the notes' front
 * matter asks for (deck:, paper:, cloze:, reversed:, tag-sections:). */
typedef struct doc_opts {
	qapkg_opts apkg;
	qpdf_opts pdf;
} doc_opts;

static const void *options_of(const cli *c, qbackend_id id, doc_opts *o,
			      const qdoc *doc)
{
	const char *stem = doc->stem;
	qapkg_opts *apkg = &o->apkg;
	switch (id) {
	case QB_PDF:
		o->pdf = c->pdf;
		if (!c->paper_given && doc->paper)
			o->pdf.paper = doc->paper;
		return &o->pdf;
	case QB_EPUB: return &c->epub;
	case QB_APKG:
		*apkg = c->apkg;
		if (!apkg->deck && doc->deck)
			apkg->deck = doc->deck;
		if (!c->cloze_given && doc->cloze)
			cloze_mode(doc->cloze, apkg);
		apkg->reversed = apkg->reversed || doc->reversed;
		apkg->tag_sections = apkg->tag_sections || doc->tag_sections;
		static char prev[PATH_MAX];
		snprintf(prev, sizeof prev, "%s/%s.%s", c->outdir, stem, qbackends[id].ext);
		if (!to_stdout(c) && access(prev, R_OK) == 0)
			apkg->previous = prev;
		return apkg;
	default: return NULL;
	}
}

/* Run back end id and write its files; *pages takes the booklet pages it
 * returns (the PDF's). */
static int run_backend(const cli *c, qbackend_id id, const qjob *job, const char *stem,
		       int **pages, writes *w)
{
	char err[PATH_MAX + 256];
	const qbackend *be = qbackend_get(id, err, sizeof err);
	if (!be) {
		say("quire: error: %s\n", err);
		return EXIT_OUTPUT;
	}
	static const char *const doing[QB_COUNT] = {
		[QB_PDF] = "typesetting the booklet", [QB_EPUB] = "writing the EPUB",
		[QB_APKG] = "making the Anki deck", [QB_TREE] = "dumping the model",
	};
	tick_step(job->doc->source, doing[id]);
	qoutputs outs;
	qoutputs_init(&outs);
	double t0 = now();
	qbstatus st = be->write(job, &outs);
	tick_step(job->doc->source, "writing the files");
	char what[64];
	snprintf(what, sizeof what, "%s made", qbackends[id].name);
	progress(c, what, t0);
	int rc = 0;
	if (st == QB_OK)
		rc = write_outputs(&outs, c, stem, qbackends[id].ext, w);
	else
		rc = st == QB_BAD_INPUT ? EXIT_INPUT : EXIT_OUTPUT;
	if (outs.card_pages) {
		free(*pages);
		*pages = outs.card_pages;
		outs.card_pages = NULL;
	}
	qoutputs_free(&outs);
	return rc;
}

/* Every chosen output, in qbackends order: the booklet pages the PDF
 * returns are given to the EPUB and the deck that follow. */
static int compile_doc(const cli *c, qdoc *doc, const char *notes, qdiags *d)
{
	char err[256];
	if (!to_stdout(c) && qfile_ensure_dir(c->outdir, err, sizeof err)) {
		say("%s: error: cannot use output folder: %s\n", c->outdir, err);
		return EXIT_OUTPUT;
	}
	qjob job = {.pool = c->pool, .doc = doc, .epoch = build_epoch(notes, d), .share = c->share,
		    .diags = d};
	int *pages = NULL;
	doc_opts dopts;
	writes w = {NULL, 0, false};
	int last = QB_COUNT - 1;
	while (last > 0 && !c->want[last])
		last--;
	int rc = 0;
	for (int id = 0; id < QB_COUNT && !rc; id++) {
		if (!c->want[id])
			continue;
		w.last = id == last;
		job.card_pages = pages;
		job.opts = options_of(c, (qbackend_id)id, &dopts, doc);
		rc = run_backend(c, (qbackend_id)id, &job, doc->stem, &pages, &w);
	}
	tick_step(doc->source, "writing the files");
	int wrc = finish_writes(c, &w);
	free(pages);
	return rc ? rc : wrc;
}

/* Findings only a back end can make (the booklet's font coverage). */
static void lint_backends(const cli *c, const qdoc *doc, qdiags *d)
{
	qjob job = {.pool = c->pool, .doc = doc, .share = c->share, .diags = d};
	doc_opts dopts;
	for (int id = 0; id < QB_COUNT; id++) {
		char err[PATH_MAX + 256];
		const qbackend *be = qbackend_get((qbackend_id)id, err, sizeof err);
		job.opts = options_of(c, (qbackend_id)id, &dopts, doc);
		if (!be)
			qdiag_add(d, QD_WARNING, 0, 0, "module", "%s", err);
		else if (be->lint)
			be->lint(&job);
	}
}

/* The last line of a lint: what it found. With --strict a warning or an
 * error fails it (exit status 1). */
static int lint_summary(const cli *c, const char *path, const qdiags *d)
{
	size_t notes = d->notes - qdiags_count(d, "summary");
	bool problems = d->errors || d->warnings;
	say("%s: lint: %zu error%s, %zu warning%s, %zu note%s%s\n", path, d->errors,
		d->errors == 1 ? "" : "s", d->warnings, d->warnings == 1 ? "" : "s", notes,
		notes == 1 ? "" : "s",
		c->strict && problems ? "; --strict: fails" : "");
	return c->strict && problems ? EXIT_INPUT : 0;
}

static int read_notes(const char *path, qbuf *data)
{
	char err[256];
	qfile_status st = qfile_read(path, data, QUIRE_MAX_INPUT, err, sizeof err);
	if (st == QF_OK)
		return 0;
	say("%s: error: cannot read notes: %s\n", path, err);
	return EXIT_INPUT;
}

/* The local files the document draws on (images, the cover), as
 * NUL-terminated paths appended to deps: --watch watches them too. */
static void note_deps(const qdoc *doc, qbuf *deps)
{
	if (doc->cover)
		qbuf_put(deps, doc->cover, strlen(doc->cover) + 1);
	qiter it;
	qnode *n;
	qiter_init_of(&it, doc, QN_IMAGE);
	while (qiter_next_of(&it, &n, QN_IMAGE))
		if (n->u.link.file)
			qbuf_put(deps, n->u.link.file, strlen(n->u.link.file) + 1);
}

static int act(const cli *c, qdoc *doc, const char *path, qdiags *dp, qbuf *lifted_buf,
	       qbuf *deps, size_t *warnings, double t0);

/* Built with -DQUIRE_CHECK_TREE (make asan): the tree of every read is
 * checked against the grammar of model.h; a violation is a reader bug,
 * and the run aborts with its description. */
static void check_tree(const qdoc *doc, const char *path)
{
#ifdef QUIRE_CHECK_TREE
	qbuf why = QBUF_INIT;
	if (doc && !qdoc_check(doc, &why)) {
		fprintf(stderr, "%s: internal error: the tree breaks its grammar: %s\n", path, why.ptr);
		abort();
	}
	qbuf_free(&why);
#else
	(void)doc;
	(void)path;
#endif
}

/* Read one notes file and do what the options ask. deps (or NULL) gets
 * the files it draws on, *warnings (or NULL) how many warnings it had. */
static int process(const cli *c, const char *path, qbuf *deps, size_t *warnings)
{
	tick_step(path, "reading the notes");
	qbuf data = QBUF_INIT;
	int rc = read_notes(path, &data);
	if (rc) {
		qbuf_free(&data);
		return rc;
	}
	qdiags d;
	qdiags_init(&d, path);
	d.keep_guesses = c->lint && c->verbose;
	d.max_per_kind = c->verbose ? 0 : QUIRE_SHOW_PER_KIND;
	qbuf lifted = QBUF_INIT;
	qread_opts ro = {.pool = c->pool, .path = path, .title = c->title, .author = c->author,
			 .lang = c->lang,
			 .lifted = c->lifted ? &lifted : NULL, .strict = c->commonmark,
			 .cards = c->cards, .card_seps = c->card_seps,
			 .metadata = c->metadata, .nmetadata = c->nmetadata,
			 .resource_paths = c->resource, .nresource_paths = c->nresource};
	double t0 = now();
	qdoc *doc = qread(data.ptr, data.len, &ro, &d);
	qbuf_free(&data);
	check_tree(doc, path);
	return act(c, doc, path, &d, &lifted, deps, warnings, t0);
}

/* What the options ask of a read document (print its questions, lint
 * it, or compile it), its diagnostics printed; frees them and it. */
static int act(const cli *c, qdoc *doc, const char *path, qdiags *dp, qbuf *lifted_buf,
	       qbuf *deps, size_t *warnings, double t0)
{
	qdiags d = *dp;
	qbuf lifted = *lifted_buf;
	int rc = 0;
	if (doc && !c->lint && !c->questions && !c->lifted) {
		char what[96];
		snprintf(what, sizeof what, "notes read (%d questions, %d sections)",
			 doc->nquestions, doc->nsections);
		progress(c, what, t0);
	}
	if (doc && deps)
		note_deps(doc, deps);
	if (!doc) {
		rc = EXIT_INPUT;
	} else if (c->lifted) {
		fwrite(lifted.ptr, 1, lifted.len, stdout);
	} else if (c->questions) {
		print_questions(doc, c->verbose);
	} else if (c->lint) {
		tick_step(path, "linting");
		qlint(doc, &d);
		lint_backends(c, doc, &d);
	} else if (d.errors) {
		rc = EXIT_INPUT;   /* a bad metadata value: nothing is written */
	} else {
		rc = compile_doc(c, doc, path, &d);
	}
	bool show = c->lint || (!c->quiet && !c->rebuilding) || d.errors;
	if (show && !c->questions)
		print_diags(&d, c->lint && c->verbose);
	else if (d.errors)
		print_diags(&d, false);
	if (doc && c->lint)
		rc = lint_summary(c, path, &d);
	tick_step(path, NULL);
	if (warnings)
		*warnings = d.warnings;
	qbuf_free(&lifted);
	qdiags_free(&d);
	qdoc_free(doc);
	return rc;
}

/* The notes files of a book, read and made one document (reader.h,
 * qread_book), then done with as one notes file is. */
static int process_book(const cli *c, char **paths, int n, qbuf *deps, size_t *warnings)
{
	tick_step(c->book, "reading the notes");
	qbuf *data = qxmalloc(sizeof *data * (size_t)n);
	qbook_file *files = qxmalloc(sizeof *files * (size_t)n);
	int rc = 0;
	for (int i = 0; i < n; i++) {
		qbuf_init(&data[i]);
		if (!rc)
			rc = read_notes(paths[i], &data[i]);
		files[i] = (qbook_file){paths[i], data[i].ptr ? data[i].ptr : "", data[i].len};
	}
	qdoc *doc = NULL;
	qdiags d;
	qdiags_init(&d, c->book);
	d.keep_guesses = c->lint && c->verbose;
	d.max_per_kind = c->verbose ? 0 : QUIRE_SHOW_PER_KIND;
	qbuf lifted = QBUF_INIT;
	double t0 = now();
	if (!rc) {
		qread_opts ro = {.pool = c->pool, .path = c->book, .title = c->title,
				 .author = c->author,
				 .lang = c->lang, .strict = c->commonmark, .cards = c->cards,
				 .card_seps = c->card_seps, .metadata = c->metadata,
				 .nmetadata = c->nmetadata, .resource_paths = c->resource,
				 .nresource_paths = c->nresource, .book_yaml = c->book_yaml,
				 .book_yaml_path = c->book_yaml_path};
		doc = qread_book(files, n, &ro, &d);
		check_tree(doc, c->book);
	}
	for (int i = 0; i < n; i++)
		qbuf_free(&data[i]);
	free(data);
	free(files);
	if (rc) {
		qdiags_free(&d);
		return rc;
	}
	return act(c, doc, c->book, &d, &lifted, deps, warnings, t0);
}

/* How many files back end id writes for one notes file. */
static int files_of(const cli *c, int id)
{
	return id == QB_PDF && c->pdf.impose ? 2 : 1;
}

/* The name of file k of back end id for notes path: "stem<suffix>.ext". */
static void output_name(const cli *c, const char *path, int id, int k, char *out, size_t n)
{
	size_t len;
	const char *stem = qfile_stem(path, &len);
	snprintf(out, n, "%.*s%s.%s", (int)len, stem, k ? "-print" : "", qbackends[id].ext);
}

/* Before anything is written: two notes files must not write one output
 * file (a/n.md and b/n.md both make out/n.pdf), and -o - takes exactly
 * one file that a terminal can show. A usage error names the clash. */
static int check_outputs(const cli *c, char **paths, int n)
{
	if (c->questions || c->lint || c->lifted)
		return 0;
	if (c->book) {   /* one document: one name */
		paths = (char **)&c->book;
		n = 1;
	}
	int files = 0;
	for (int id = 0; id < QB_COUNT; id++)
		files += c->want[id] ? files_of(c, id) * n : 0;
	if (to_stdout(c)) {
		if (files != 1) {
			fprintf(stderr, "quire: -o - writes one file to standard output, and this "
				"run would write %d (give one notes file and one -t output%s)\n",
				files, c->pdf.impose ? ", without --impose" : "");
			return EXIT_USAGE;
		}
		if (isatty(1) && !c->want[QB_TREE]) {
			fputs("quire: -o -: standard output is a terminal; send it to a file or a "
			      "program\n", stderr);
			return EXIT_USAGE;
		}
		return 0;
	}
	typedef struct {
		char name[NAME_MAX + 32];
		int notes;   /* index in paths */
	} out_file;
	out_file *all = qxmalloc(sizeof *all * (size_t)(files ? files : 1));
	int m = 0;
	for (int i = 0; i < n; i++)
		for (int id = 0; id < QB_COUNT; id++)
			for (int k = 0; c->want[id] && k < files_of(c, id); k++) {
				output_name(c, paths[i], id, k, all[m].name, sizeof all[m].name);
				all[m++].notes = i;
			}
	int rc = 0;
	for (int x = 0; x < m && !rc; x++)
		for (int y = 0; y < x && !rc; y++)
			if (all[x].notes != all[y].notes && strcmp(all[x].name, all[y].name) == 0) {
				fprintf(stderr, "quire: %s and %s would both write %s/%s; nothing "
					"written (rename one, or compile them with different -o)\n",
					paths[all[y].notes], paths[all[x].notes], c->outdir,
					all[x].name);
				rc = EXIT_USAGE;
			}
	free(all);
	return rc;
}

/* ---- the notes given: files, or folders of them -------------------- */

typedef struct inputs {
	char **v;
	int n, cap;
	char **owned;   /* paths made here (a folder's files) */
	int nowned;
} inputs;

static void add_input(inputs *in, char *path, bool owned)
{
	if (in->n == in->cap) {
		in->cap = in->cap ? 2 * in->cap : 16;
		in->v = qxrealloc(in->v, sizeof *in->v * (size_t)in->cap);
		in->owned = qxrealloc(in->owned, sizeof *in->owned * (size_t)in->cap);
	}
	in->v[in->n++] = path;
	if (owned)
		in->owned[in->nowned++] = path;
}

static void free_inputs(inputs *in, cli *c)
{
	for (int i = 0; i < in->nowned; i++)
		free(in->owned[i]);
	free(in->owned);
	free(in->v);
	free(c->book_yaml);
	free(c->book_yaml_path);
	c->book_yaml = c->book_yaml_path = NULL;
}

/* Natural order: `lecture2` before `lecture10`. */
static int natural_cmp(const void *pa, const void *pb)
{
	const char *a = *(char *const *)pa, *b = *(char *const *)pb;
	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			while (*a == '0')
				a++;
			while (*b == '0')
				b++;
			size_t la = 0, lb = 0;
			while (isdigit((unsigned char)a[la]))
				la++;
			while (isdigit((unsigned char)b[lb]))
				lb++;
			if (la != lb)
				return la < lb ? -1 : 1;
			int c = strncmp(a, b, la);
			if (c)
				return c;
			a += la;
			b += lb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

static bool notes_name(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && ((n > 3 && !strcmp(name + n - 3, ".md"))
				  || (n > 9 && !strcmp(name + n - 9, ".markdown")));
}

/* A path the program cannot hold: an error, never a shortened path. */
static int too_long(const char *path, const char *what)
{
	fprintf(stderr, "%s: error: %s is too long\n", path, what);
	return EXIT_USAGE;
}

/* A folder given: its notes files (not its subfolders'), in natural
 * order; its quire.yaml is the book's metadata. */
static int add_folder(cli *c, const char *dir, inputs *in)
{
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "%s: error: cannot read the folder: %s\n", dir, strerror(errno));
		return EXIT_USAGE;
	}
	int first = in->n;
	int dl = (int)strlen(dir);   /* "notes/" names its files notes/a.md */
	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (!notes_name(e->d_name))
			continue;
		size_t len = (size_t)dl + strlen(e->d_name) + 2;
		char *p = qxmalloc(len);
		snprintf(p, len, "%.*s/%s", dl, dir, e->d_name);
		struct stat st;
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
			add_input(in, p, true);
		else
			free(p);
	}
	closedir(d);
	if (in->n == first) {
		fprintf(stderr, "%s: error: the folder holds no notes (*.md)\n", dir);
		return EXIT_USAGE;
	}
	qsort(in->v + first, (size_t)(in->n - first), sizeof *in->v, natural_cmp);
	char yaml[PATH_MAX];
	int w = snprintf(yaml, sizeof yaml, "%.*s/quire.yaml", dl, dir);
	if (w < 0 || (size_t)w >= sizeof yaml)
		return too_long(dir, "the path of the folder's quire.yaml");
	qbuf y = QBUF_INIT;
	char err[256];
	qfile_status st = c->book_yaml ? QF_NOT_FOUND : qfile_read(yaml, &y, 1 << 20, err, sizeof err);
	if (st == QF_OK) {
		c->book_yaml = qbuf_detach(&y, NULL);
		c->book_yaml_path = strdup(yaml);
	}
	qbuf_free(&y);
	if (st != QF_OK && st != QF_NOT_FOUND) {
		fprintf(stderr, "%s: error: %s\n", yaml, err);
		return EXIT_INPUT;
	}
	return 0;
}

/* The notes to read: the files given, a folder's files in natural order.
 * A folder makes a book (named after it unless --book names one). */
static int expand_inputs(cli *c, char **args, int n, inputs *in)
{
	static char name[NAME_MAX + 1];
	for (int i = 0; i < n; i++) {
		struct stat st;
		if (strcmp(args[i], "-") != 0 && stat(args[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			if (add_folder(c, args[i], in))
				return EXIT_USAGE;
			if (!c->book) {
				char tmp[PATH_MAX];
				int w = snprintf(tmp, sizeof tmp, "%s", args[i]);
				if (w < 0 || (size_t)w >= sizeof tmp)
					return too_long(args[i], "the folder's path");
				size_t l = strlen(tmp);
				while (l > 1 && tmp[l - 1] == '/')
					tmp[--l] = '\0';
				const char *base = strrchr(tmp, '/');
				w = snprintf(name, sizeof name, "%s", base ? base + 1 : tmp);
				if (w < 0 || (size_t)w >= sizeof name)
					return too_long(args[i], "the folder's name");
				c->book = name;
			}
		} else {
			add_input(in, args[i], false);
		}
	}
	return 0;
}

/* ---- --watch ------------------------------------------------------- */

static volatile sig_atomic_t stop_watching;

static void on_stop(int sig)
{
	(void)sig;
	stop_watching = 1;
}

/* The files a build of the notes reads: the notes, what they draw on
 * (deps) and the style files of the chosen outputs. */
static void watch_files(qwatch *w, const cli *c, char **paths, int n, const qbuf *deps)
{
	qwatch_clear(w);
	for (int i = 0; i < n; i++)
		qwatch_add(w, paths[i]);
	for (size_t at = 0; at < deps->len; at += strlen(deps->ptr + at) + 1)
		qwatch_add(w, deps->ptr + at);
	const char *named[] = {c->pdf.style_path, c->pdf.fonts_path, c->epub.style_path,
			       c->apkg.style_path};
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
		if (named[i])
			qwatch_add(w, named[i]);
	static const char *const shared[] = {"styles/booklet.conf", "fonts/roles.conf",
					     "styles/epub.css", "styles/highlight.css",
					     "styles/cards.css"};
	for (size_t i = 0; i < sizeof shared / sizeof shared[0]; i++) {
		char p[PATH_MAX + 32];
		snprintf(p, sizeof p, "%s/%s", c->share, shared[i]);
		qwatch_add(w, p);
	}
}

/* Did a notes file change after `since` (before its watch began)? */
static bool changed_since(char **paths, int n, const struct timespec *since)
{
	for (int i = 0; i < n; i++) {
		struct stat st;
		if (stat(paths[i], &st) == 0 &&
		    (st.st_mtim.tv_sec > since->tv_sec ||
		     (st.st_mtim.tv_sec == since->tv_sec && st.st_mtim.tv_nsec >= since->tv_nsec)))
			return true;
	}
	return false;
}

/* Build every notes file; deps gets what they draw on. */
static int build_all(const cli *c, char **paths, int n, qbuf *deps, struct timespec *began)
{
	clock_gettime(CLOCK_REALTIME, began);
	qbuf_reset(deps);
	int worst = 0;
	for (int i = 0; i < (c->book ? 1 : n); i++) {
		double t0 = now();
		size_t warnings = 0;
		int rc = c->book ? process_book(c, paths, n, deps, &warnings)
				 : process(c, paths[i], deps, &warnings);
		worst = rc > worst ? rc : worst;
		if (!c->rebuilding)
			continue;
		time_t t = time(NULL);
		char hms[16];
		strftime(hms, sizeof hms, "%H:%M:%S", localtime(&t));
		const char *what = c->book ? c->book : paths[i];
		if (rc)
			say("quire: %s %s: not rebuilt (see above); the previous outputs stay\n", hms,
			    what);
		else
			say("quire: %s %s: rebuilt in %.0f ms%s%zu warning%s%s\n", hms, what,
			    (now() - t0) * 1000, warnings ? " (" : "", warnings,
			    warnings == 1 ? "" : "s", warnings ? "; --lint shows them)" : "");
	}
	return worst;
}

/* --watch: build, then rebuild whenever the notes, their images or the
 * style files change, until Ctrl-C. The outputs are replaced atomically
 * each time, so a reader of them never sees half a file. */
static int watch_loop(cli *c, char **paths, int n)
{
	qwatch *w = qwatch_new();
	if (!w) {
		say("quire: --watch: cannot watch files: %s\n", strerror(errno));
		return EXIT_OUTPUT;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;   /* no SA_RESTART: the wait returns */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	qbuf deps = QBUF_INIT;
	struct timespec began;
	int rc = build_all(c, paths, n, &deps, &began);
	c->rebuilding = true;
	for (bool first = true; !stop_watching; first = false) {
		watch_files(w, c, paths, n, &deps);
		if (first && !c->quiet)
			say("quire: watching %d notes file%s and what they use; Ctrl-C stops\n", n,
			    n == 1 ? "" : "s");
		if (!changed_since(paths, n, &began)) {
			int r = qwatch_wait(w, 10);
			if (r < 0)
				say("quire: --watch: %s\n", strerror(errno));
			if (r <= 0)
				break;
		}
		rc = build_all(c, paths, n, &deps, &began);
	}
	qbuf_free(&deps);
	qwatch_free(w);
	return rc;
}

/* The bytes of the notes files given (standard input not counted). */
static size_t notes_bytes(const inputs *in)
{
	size_t sum = 0;
	struct stat st;
	for (int i = 0; i < in->n; i++)
		if (strcmp(in->v[i], "-") != 0 && stat(in->v[i], &st) == 0 && S_ISREG(st.st_mode))
			sum += (size_t)st.st_size;
	return sum;
}

/* The command line as given (getopt reorders argv), to start again with. */
static char **given_argv;

int main(int argc, char **argv)
{
	given_argv = qxmalloc(((size_t)argc + 1) * sizeof *given_argv);
	memcpy(given_argv, argv, ((size_t)argc + 1) * sizeof *given_argv);
	cli c = {.outdir = "out"};
	c.pdf.paper = "a5";
	default_outputs(&c);
	int opt;
	while ((opt = getopt_long(argc, argv, "o:t:vqhV", long_opts, NULL)) != -1) {
		int rc = parse_option(&c, opt, optarg);
		if (rc >= 0)
			return rc;
	}
	bool have_share = find_share(&c);
	if (c.print_share) {
		printf("%s\n", c.share);
		if (!have_share)
			fprintf(stderr, "quire: %s holds no styles/ and fonts/\n", c.share);
		return have_share ? 0 : EXIT_OUTPUT;
	}
	if (optind >= argc)
		return usage_error("%s", "no notes given: quire [options] NOTES.md...");
	if (c.strict && !c.lint)
		return usage_error("%s", "--strict goes with --lint");
	if (c.watch && (c.questions || c.lint || c.lifted || to_stdout(&c)))
		return usage_error("%s", "--watch rebuilds output files: not with --questions, "
				   "--lint, --lifted or -o -");
	inputs in = {0};
	if (expand_inputs(&c, argv + optind, argc - optind, &in)) {
		free_inputs(&in, &c);
		return EXIT_USAGE;
	}
	if (check_named_files(&c) || check_outputs(&c, in.v, in.n)) {
		free_inputs(&in, &c);
		return EXIT_USAGE;
	}
	size_t bytes = notes_bytes(&in);
	qpages_restart_huge_heap(given_argv, bytes);   /* returns on small notes */
	qpages_arrays_in_blocks(bytes < QPAGES_HUGE_HEAP);
	free(given_argv);
	given_argv = NULL;
	c.pool = qpool_new(QUIRE_THREADS);
	if (!c.questions && !c.lifted)
		qbackend_preload(c.want);   /* overlaps reading the notes */
	tick_start(&c);
	int worst = 0;
	if (c.watch) {
		worst = watch_loop(&c, in.v, in.n);
	} else if (c.book) {
		worst = process_book(&c, in.v, in.n, NULL, NULL);
	} else {
		for (int i = 0; i < in.n; i++) {
			int rc = process(&c, in.v[i], NULL, NULL);
			if (rc > worst)
				worst = rc;
		}
	}
	tick_stop();
	qpool_free(c.pool);
	free_inputs(&in, &c);
	return worst;
}
