/* blocks.h - what cmark makes of each line of the notes: the kind of
 * leaf block holding it and the bytes of its container prefix (block
 * quote markers, a list item's marker or indentation). The lifter reads
 * the notes with this map, so that what CommonMark reads right is left
 * as it is and the dialect's rules see a line's content, not its prefix.
 *
 * Ownership: the caller owns the lines and the info array (nlines
 * entries); the cmark tree is borrowed.
 */
#ifndef QUIRE_BLOCKS_H
#define QUIRE_BLOCKS_H

#include <cmark.h>
#include <stdbool.h>
#include <stddef.h>

#include "lift.h"

typedef enum {
	QB_BLANK = 0,     /* white space only */
	QB_OTHER,         /* in no leaf block: link reference definitions,
	                   * the marker line of an item whose content starts
	                   * below it */
	QB_PARA,
	QB_ATX,           /* an ATX heading */
	QB_SETEXT,        /* a text line of a setext heading */
	QB_SETEXT_LINE,   /* the underline of a setext heading */
	QB_FENCED,        /* fenced code, fences included */
	QB_INDENTED,      /* indented code */
	QB_HTML,          /* an HTML block */
	QB_HR,            /* a thematic break */
} qblock_kind;

typedef struct qline_block {
	qblock_kind kind;
	int leaf;         /* 1-based number of the leaf block (0: none) */
	bool first;       /* the first line of its leaf */
	int ctx;          /* id of the innermost container (0: the document) */
	size_t pfx;       /* bytes of container prefix */
	bool lazy;        /* a lazy continuation: the prefix did not match */
	bool marker;      /* the prefix holds a list item's marker */
	int depth;        /* containers around the line */
} qline_block;

/* Map lines[0..nlines) (line i is cmark's line i + 1) from cmark's tree
 * of the same text. */
void qblocks_map(cmark_node *root, const qline_ref *lines, int nlines, qline_block *info);

#endif
