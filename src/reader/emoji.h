/* emoji.h - GitHub's emoji shortcodes (`:rocket:`, `:white_check_mark:`):
 * the names GitHub renders as emoji, from goldmark-emoji's table of them
 * (Debian's golang-github-yuin-goldmark-emoji-dev), made into C when
 * quire is built (emoji.awk).
 *
 * Pure: a table in read-only memory, nothing allocated.
 */
#ifndef QUIRE_EMOJI_H
#define QUIRE_EMOJI_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/buf.h"

/* Append the emoji named name[0..n) (without its colons) to out as
 * UTF-8 (out NULL: only look); false, and nothing appended, when GitHub
 * has no such name. */
bool qemoji_put(const char *name, size_t n, qbuf *out);

#endif
