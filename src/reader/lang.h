/* lang.h - the language of the notes when they do not give one: the
 * script of the prose first (Han, Kana, Hangul, Cyrillic, Arabic,
 * Hebrew, Greek, Thai, Devanagari), then the common words of Latin-script
 * languages (English, Spanish, French, German, Portuguese, Italian,
 * Dutch). Used for the EPUB's lang, the booklet's hyphenation and the
 * PDF's /Lang.
 *
 * Ownership: returns a string literal (a BCP 47 tag), or NULL when the
 * notes give too little to tell.
 */
#ifndef QUIRE_LANG_H
#define QUIRE_LANG_H

#include "../model/model.h"

const char *qlang_detect(const qdoc *doc);

#endif
