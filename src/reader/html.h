/* html.h - HTML that notes contain, made safe and well-formed.
 *
 * Only a whitelist of elements and attributes survives; script, style
 * and other active content is removed (with its content); event handlers
 * and style attributes are dropped; href and src values that the one URL
 * policy (util/url.h: http, https, mailto, "#name") refuses once their
 * entities are decoded are dropped; entities are decoded to characters so
 * the result is valid XHTML (only &amp; &lt; &gt; &quot; are written);
 * every element is closed and nesting is balanced.
 *
 * Ownership: appends to a caller-owned qbuf.
 */
#ifndef QUIRE_HTML_H
#define QUIRE_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/buf.h"

typedef struct qhtml_report {
	int removed_elements;   /* script, style, iframe, ... */
	int removed_attrs;
	/* their names, lower case, each once, ", "-separated ("..." when
	 * more do not fit), for the warning */
	char element_names[96];
	char attr_names[96];
} qhtml_report;

void qhtml_sanitize(const char *s, size_t n, qbuf *out, qhtml_report *r);
/* Is name[0..n) (any case) the name of an HTML element? `<int>` and
 * `<filename>` in notes are not tags. */
bool qhtml_is_element(const char *name, size_t n);
/* The value of attribute `name` in the tag tag[0..n) (`<img src="a"
 * alt='b'>`), entities decoded, appended to out; false when absent. */
bool qhtml_attr(const char *t, size_t n, const char *name, qbuf *out);
/* Decode one entity at s ("&amp;", "&#233;", "&nbsp;"); returns its
 * length and sets *cp, or 0 when it is not a known entity. */
size_t qhtml_entity(const char *s, size_t n, unsigned *cp);

#endif
