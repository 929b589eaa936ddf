/* url.h - quire's one policy for the links of every output.
 *
 * A link in the EPUB, on an Anki card or in the booklet may lead only to
 * the web (http, https), to an e-mail address (mailto) or to a place in
 * the document itself ("#name"). Anything else is refused: file: and
 * smb: (a click can read local files or leak Windows credentials),
 * javascript:, vbscript:, data:, any other scheme, and relative paths,
 * which a reader resolves against a folder quire does not control. A
 * refused link keeps its text; the back end shows the address as text.
 *
 * The policy judges a URL as its last reader sees it: the caller decodes
 * first (HTML entities, XML escapes), then asks. White space or control
 * characters in or before a scheme (" javascript:", "java\tscript:",
 * which browsers strip and then run) make a URL refused. Whether "#name"
 * names an anchor that exists is for the back end to check.
 *
 * Pure functions on borrowed bytes; nothing is allocated.
 */
#ifndef QUIRE_URL_H
#define QUIRE_URL_H

#include <stdbool.h>
#include <stddef.h>

typedef enum qurl_kind {
	QURL_REFUSED,   /* a scheme not allowed, or one hidden by spaces */
	QURL_WEB,       /* http: or https: (any case) */
	QURL_MAIL,      /* mailto: */
	QURL_ANCHOR,    /* "#name": a place in the same document */
	QURL_RELATIVE,  /* no scheme ("img/a.png", "//host/x"): refused as a
	                 * link; only the whole-document XHTML compared with
	                 * cmark keeps such links (xhtml.h, external_only) */
} qurl_kind;

/* What url[0..n) is. An empty URL is QURL_REFUSED. */
qurl_kind qurl_classify(const char *url, size_t n);

/* The allow-list: may url[0..n) become a live link in an output?
 * (QURL_WEB, QURL_MAIL or QURL_ANCHOR.) */
bool qurl_link_ok(const char *url, size_t n);

/* Does url[0..n) lead to another notes file beside these ones
 * (`linear%20mapping.md`, `../b.markdown#part`: relative, a Markdown
 * file)? No output can follow it and its text names the note, as a
 * `[[wikilink]]`'s label does, so the outputs show the text alone,
 * without the address (a link without text still shows it). */
bool qurl_names_note(const char *url, size_t n);

#endif
