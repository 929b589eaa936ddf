/* highlight.h - the one syntax highlighter, shared by the PDF, the EPUB
 * and the cards so that code is coloured the same everywhere.
 *
 * It returns tokens, not markup: each back end turns token kinds into
 * its own colours (CSS classes in the EPUB and the cards, RGB from
 * styles/booklet.conf in the PDF). Tokens cover every byte of the code in
 * order; a token may span lines (block comments, triple-quoted strings).
 *
 * Ownership: qhighlight() allocates the token array with malloc; the
 * caller frees it with free(). The code text is borrowed.
 */
#ifndef QUIRE_HIGHLIGHT_H
#define QUIRE_HIGHLIGHT_H

#include <stddef.h>

typedef enum qtok {
	QTOK_TEXT = 0,   /* everything else: spaces, punctuation, plain names */
	QTOK_KEYWORD,    /* def, class, SELECT, if, return, ... */
	QTOK_STRING,     /* string literals, including f-strings and heredocs */
	QTOK_COMMENT,    /* # ..., -- ..., // ..., / * ... * / */
	QTOK_NUMBER,     /* 42, 3.14, 0x1F, 1e9 */
	QTOK_NAME,       /* a defined or called name: def NAME, class NAME,
	                  * builtins (print, len), shell commands */
	QTOK_DECORATOR,  /* @app.get, @property */
	QTOK__COUNT
} qtok;

typedef struct qtoken {
	qtok kind;
	size_t off;      /* byte offset in the code */
	size_t len;      /* bytes */
} qtoken;

/* The highlighter's language for a code block's language (case-insensitive,
 * aliases accepted: py python3 -> python, sh bash zsh console shell-session
 * -> shell, js node -> javascript, h -> c, postgres mysql sqlite -> sql).
 * Returns "python", "sql", "shell", "json", "javascript", "c" or "" when
 * it does not highlight that language. Never NULL. */
const char *qhl_lang(const char *lang);

/* Tokenize n bytes of code. Returns the number of tokens and sets *toks
 * (NULL when n == 0). With lang "" the whole text is one QTOK_TEXT token.
 * Never fails (out of memory exits, see arena.h). Linear in n. */
size_t qhighlight(const char *lang, const char *code, size_t n, qtoken **toks);

/* The CSS class of a kind, shared by every stylesheet in styles/:
 * "" (text), "kw", "str", "com", "num", "name", "dec". */
const char *qtok_class(qtok kind);

#endif
