/* main.c - the quire command line: options, one run per notes file,
 * diagnostics printed as `file:line:col: severity: message`.
 *
 * Exit status: 0 success, 1 bad input, 2 bad usage, 3 an output could not
 * be written, 4 out of memory.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backend/backend.h"
#include "reader/reader.h"
#include "util/arena.h"
#include "util/cpu.h"
#include "util/fileio.h"

#define QUIRE_VERSION "0.1.0"
#define QUIRE_MAX_INPUT ((size_t)512 << 20)

enum { EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_OUTPUT = 3 };

typedef struct cli {
	const char *outdir;
	bool want[8];          /* indexed like qbackends[] */
	bool questions, lint, verbose, quiet, lifted, strict;
	const char *title, *author, *lang;
	qepub_opts epub;
	qapkg_opts apkg;
	qpdf_opts pdf;
	const char *share;
	char share_buf[PATH_MAX];
} cli;

static void usage(FILE *f)
{
	fputs("usage: quire [options] NOTES.md...\n"
	      "\n"
	      "Compile study notes into a PDF booklet, an EPUB and an Anki deck.\n"
	      "\n"
	      "  -o, --output DIR       write outputs into DIR (default: out)\n"
	      "  -t, --to LIST          outputs to write, comma-separated, from:\n", f);
	for (int i = 0; qbackends[i].name; i++)
		fprintf(f, "                           %-6s %s\n", qbackends[i].name,
			qbackends[i].summary);
	fputs("                         (default: all but tree)\n"
	      "      --title TEXT       document title (default: the notes' own)\n"
	      "      --author TEXT      author\n"
	      "      --lang CODE        language, BCP 47 (default: en)\n"
	      "      --questions        print each question as LINE<TAB>TEXT\n"
	      "      --lint             report repairs, guesses and problems\n"
	      "  -v, --verbose          with --lint: every guess too; otherwise the\n"
	      "                         time each step took\n"
	      "  -q, --quiet            print errors only\n"
	      "      --lifted           print the repaired, lifted CommonMark\n"
	      "      --from FORMAT      notes (default: the notes dialect, see\n"
	      "                         quire-notes(5)) or commonmark (strict:\n"
	      "                         nothing lifted, only headings make cards)\n"
	      "PDF booklet:\n"
	      "      --paper SIZE       a5 (default), a4 or letter\n"
	      "      --impose           also write NAME-print.pdf: the pages two-up in\n"
	      "                         booklet order (A5 on A4, A4 on A3, Letter on\n"
	      "                         Tabloid; creep and crop marks: booklet.conf)\n"
	      "      --booklet-style F  page and font settings (default: styles/booklet.conf)\n"
	      "      --fonts FILE       font roles (default: fonts/roles.conf)\n"
	      "EPUB:\n"
	      "      --epub-answers M   inline (default) or popup (self-test)\n"
	      "      --style FILE       stylesheet for the book (default: styles/epub.css)\n"
	      "Anki deck:\n"
	      "      --deck NAME        top deck name (default: the title)\n"
	      "      --card-style FILE  card CSS (default: styles/cards.css)\n"
	      "\n"
	      "  -h, --help             this help\n"
	      "  -V, --version          the version\n"
	      "\n"
	      "SOURCE_DATE_EPOCH, when set, is the build time written into outputs.\n"
	      "Exit status: 0 ok, 1 bad input, 2 bad usage, 3 output not written.\n"
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
		int i;
		for (i = 0; qbackends[i].name; i++)
			if (strcmp(qbackends[i].name, tok) == 0)
				break;
		if (!qbackends[i].name) {
			rc = usage_error("unknown output '%s'", tok);
			break;
		}
		c->want[i] = true;
	}
	free(copy);
	return rc;
}

static void default_outputs(cli *c)
{
	for (int i = 0; qbackends[i].name; i++)
		c->want[i] = strcmp(qbackends[i].name, "tree") != 0;
}

/* Where styles/ and fonts/ live: $QUIRE_SHARE, the binary's folder, the
 * current folder, or the installed share folder. */
static void find_share(cli *c)
{
	const char *env = getenv("QUIRE_SHARE");
	if (env && *env) {
		c->share = env;
		return;
	}
	ssize_t n = readlink("/proc/self/exe", c->share_buf, sizeof c->share_buf - 16);
	if (n > 0) {
		c->share_buf[n] = '\0';
		char *slash = strrchr(c->share_buf, '/');
		if (slash) {
			*slash = '\0';
			/* build/quire or ./quire: look beside it and one up */
			char probe[PATH_MAX + 32];
			snprintf(probe, sizeof probe, "%s/styles", c->share_buf);
			struct stat st;
			if (stat(probe, &st) == 0) {
				c->share = c->share_buf;
				return;
			}
			snprintf(probe, sizeof probe, "%s/../styles", c->share_buf);
			if (stat(probe, &st) == 0) {
				strcat(c->share_buf, "/..");
				c->share = c->share_buf;
				return;
			}
		}
	}
	struct stat st;
	c->share = stat("styles", &st) == 0 ? "." : QUIRE_SHARE_DIR;
}

enum {
	OPT_TITLE = 256, OPT_AUTHOR, OPT_LANG, OPT_QUESTIONS, OPT_LINT,
	OPT_PAPER, OPT_IMPOSE, OPT_EPUB_ANSWERS, OPT_STYLE, OPT_DECK,
	OPT_CARD_STYLE, OPT_BOOKLET_STYLE, OPT_FONTS, OPT_LIFTED, OPT_FROM,
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
	{"help", no_argument, 0, 'h'},
	{"version", no_argument, 0, 'V'},
	{0, 0, 0, 0},
};

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
		c->strict = strcmp(arg, "commonmark") == 0;
		break;
	case OPT_PAPER:
		if (strcmp(arg, "a5") && strcmp(arg, "a4") && strcmp(arg, "letter"))
			return usage_error("--paper must be a5, a4 or letter, not '%s'", arg);
		c->pdf.paper = arg;
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
	case 'h': usage(stdout); return 0;
	case 'V': printf("quire %s\n", QUIRE_VERSION); return 0;
	default: fputs("Try 'quire --help'.\n", stderr); return EXIT_USAGE;
	}
	return -1;
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
	time_t t = strcmp(notes, "-") ? qfile_mtime(notes) : 0;
	return t > 0 ? t : 0;
}

/* Seconds since an arbitrary start, for -v progress lines. */
static double now(void)
{
	return (double)qclock_ns() / 1e9;
}

static void progress(const cli *c, const char *what, double since)
{
	if (c->verbose && !c->quiet)
		fprintf(stderr, "quire: %s in %.1f ms\n", what, (now() - since) * 1000);
}

static void print_questions(const qdoc *doc)
{
	for (int i = 0; i < doc->nquestions; i++)
		printf("%d\t%s\n", doc->questions[i].line, doc->questions[i].full);
}

static int write_outputs(const qoutputs *outs, const cli *c, const char *stem,
			 const char *ext)
{
	for (int i = 0; i < outs->n; i++) {
		char path[PATH_MAX];
		snprintf(path, sizeof path, "%s/%s%s.%s", c->outdir, stem,
			 outs->v[i].suffix, ext);
		char err[256];
		if (qfile_write_atomic(path, outs->v[i].data.ptr,
				       outs->v[i].data.len, err, sizeof err)) {
			fprintf(stderr, "%s: error: cannot write: %s\n", path, err);
			return EXIT_OUTPUT;
		}
		if (!c->quiet)
			fprintf(stderr, "quire: wrote %s (%zu KB)\n", path,
				(outs->v[i].data.len + 1023) / 1024);
	}
	return 0;
}

static int run_backend(const cli *c, int bi, qjob *job, const char *stem)
{
	char err[PATH_MAX + 256];
	const qbackend *be = qbackend_load(&qbackends[bi], err, sizeof err);
	if (!be) {
		fprintf(stderr, "quire: error: %s\n", err);
		return EXIT_OUTPUT;
	}
	char prev[PATH_MAX];
	qapkg_opts apkg = c->apkg;
	snprintf(prev, sizeof prev, "%s/%s.%s", c->outdir, stem, be->ext);
	if (access(prev, R_OK) == 0)
		apkg.previous = prev;
	job->apkg = &apkg;
	qoutputs outs;
	qoutputs_init(&outs);
	double t0 = now();
	qbstatus st = be->write(job, &outs);
	char what[64];
	snprintf(what, sizeof what, "%s made", be->name);
	progress(c, what, t0);
	int rc = 0;
	if (st == QB_OK)
		rc = write_outputs(&outs, c, stem, be->ext);
	else
		rc = st == QB_BAD_INPUT ? EXIT_INPUT : EXIT_OUTPUT;
	qoutputs_free(&outs);
	job->apkg = &c->apkg;
	return rc;
}

static int compile_doc(const cli *c, qdoc *doc, const char *notes, qdiags *d)
{
	char err[256];
	if (qfile_ensure_dir(c->outdir, err, sizeof err)) {
		fprintf(stderr, "%s: error: cannot use output folder: %s\n",
			c->outdir, err);
		return EXIT_OUTPUT;
	}
	int *pages = qxmalloc(sizeof(int) * (size_t)(doc->ncards + 1));
	memset(pages, 0, sizeof(int) * (size_t)(doc->ncards + 1));
	qjob job = {
		.doc = doc, .epoch = build_epoch(notes, d), .share = c->share,
		.diags = d, .card_pages = pages, .epub = &c->epub,
		.apkg = &c->apkg, .pdf = &c->pdf,
	};
	int rc = 0;
	for (int i = 0; qbackends[i].name && !rc; i++)
		if (c->want[i])
			rc = run_backend(c, i, &job, doc->stem);
	free(pages);
	return rc;
}

/* Findings only a back end can make (the booklet's font coverage). */
static void lint_backends(const cli *c, const qdoc *doc, qdiags *d)
{
	qjob job = {.doc = doc, .share = c->share, .diags = d, .epub = &c->epub,
		    .apkg = &c->apkg, .pdf = &c->pdf};
	for (int i = 0; qbackends[i].name; i++) {
		char err[PATH_MAX + 256];
		const qbackend *be = qbackend_load(&qbackends[i], err, sizeof err);
		if (!be)
			qdiag_add(d, QD_WARNING, 0, 0, "module", "%s", err);
		else if (be->lint)
			be->lint(&job);
	}
}

static int read_notes(const char *path, qbuf *data)
{
	char err[256];
	qfile_status st = qfile_read(path, data, QUIRE_MAX_INPUT, err, sizeof err);
	if (st == QF_OK)
		return 0;
	fprintf(stderr, "%s: error: cannot read notes: %s\n", path, err);
	return EXIT_INPUT;
}

static int process(const cli *c, const char *path)
{
	qbuf data = QBUF_INIT;
	int rc = read_notes(path, &data);
	if (rc) {
		qbuf_free(&data);
		return rc;
	}
	qdiags d;
	qdiags_init(&d, path);
	d.keep_guesses = c->lint && c->verbose;
	qbuf lifted = QBUF_INIT;
	qread_opts ro = {path, c->title, c->author, c->lang,
			 c->lifted ? &lifted : NULL, c->strict, false};
	double t0 = now();
	qdoc *doc = qread(data.ptr, data.len, &ro, &d);
	qbuf_free(&data);
	if (doc && !c->lint && !c->questions && !c->lifted) {
		char what[96];
		snprintf(what, sizeof what, "notes read (%d questions, %d sections)",
			 doc->nquestions, doc->nsections);
		progress(c, what, t0);
	}
	if (!doc) {
		rc = EXIT_INPUT;
	} else if (c->lifted) {
		fwrite(lifted.ptr, 1, lifted.len, stdout);
	} else if (c->questions) {
		print_questions(doc);
	} else if (c->lint) {
		qlint(doc, &d);
		lint_backends(c, doc, &d);
	} else {
		rc = compile_doc(c, doc, path, &d);
	}
	bool show = c->lint || !c->quiet || d.errors;
	if (show && !c->questions)
		qdiags_print(&d, stderr, c->lint && c->verbose);
	else if (d.errors)
		qdiags_print(&d, stderr, false);
	qbuf_free(&lifted);
	qdiags_free(&d);
	qdoc_free(doc);
	return rc;
}

int main(int argc, char **argv)
{
	cli c = {.outdir = "out"};
	c.pdf.paper = "a5";
	default_outputs(&c);
	int opt;
	while ((opt = getopt_long(argc, argv, "o:t:vqhV", long_opts, NULL)) != -1) {
		int rc = parse_option(&c, opt, optarg);
		if (rc >= 0)
			return rc;
	}
	if (optind >= argc)
		return usage_error("%s", "no notes given: quire [options] NOTES.md...");
	find_share(&c);
	if (!c.questions && !c.lifted)
		qbackend_preload(c.want);   /* overlaps reading the notes */
	int worst = 0;
	for (int i = optind; i < argc; i++) {
		int rc = process(&c, argv[i]);
		if (rc > worst)
			worst = rc;
	}
	return worst;
}
