/* media.c - the notes' images on the cards: the deck's media files.
 *
 * Before the fields are made, every image of a note's cards (or of a
 * cloze note's block) that the reader found on the disk (QN_IMAGE
 * link.file) is read and typed (render/image.h), and a GIF, WebP or SVG
 * checked whole by its library (backend/raster), once per file, in note
 * order. A kept image is named after its content,
 * "quire-HEX16.EXT": the same picture in two decks or two builds is one
 * file in Anki's media folder, and a changed picture a new one, never
 * overwriting another deck's file of the same name. The fields then ask
 * qapkg_media_src() (from any thread: the table is only read) for the
 * name to write as <img src>. An image that cannot be kept is shown as
 * its alt text and address, with a warning.
 *
 * The package holds the files as members "0", "1", ... and the `media`
 * map {"0": "quire-....png", ...} naming them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../model/walk.h"
#include "../../render/image.h"
#include "../../util/hash.h"
#include "../zip/digest.h"
#include "../raster/raster.h"
#include "apkg.h"

/* Read an image file into the deck's media, once per file. */
static void keep_image(qapkg *k, const qnode *image)
{
	const char *path = image->u.link.file;
	size_t len = strlen(path);
	if (qstrmap_get(&k->media_by_path, path, len))
		return;
	qbuf data = QBUF_INIT;
	qimage_info info;
	char why[256];
	if (!qimage_load(path, &data, &info, why, sizeof why)
	    || !qraster_check(data.ptr, data.len, info.type, why, sizeof why)) {
		qdiag_add(k->job->diags, QD_WARNING, image->line, 0, "image",
			  "image %s is not in the Anki deck (%s); its alt text is shown",
			  path, why);
		qbuf_free(&data);
		qstrmap_put(&k->media_by_path, qarena_strndup(&k->arena, path, len), len,
			    (void *)(uintptr_t)-1);
		return;
	}
	if (k->nmedia == k->cap_media) {
		k->cap_media = k->cap_media ? 2 * k->cap_media : 8;
		k->media = qxrealloc(k->media, (size_t)k->cap_media * sizeof *k->media);
	}
	qapkg_media *m = &k->media[k->nmedia++];
	unsigned char digest[32];
	char hex[17];
	qsha256(data.ptr, data.len, digest);
	qhex(digest, 8, hex);
	snprintf(m->name, sizeof m->name, "quire-%s.%s", hex, info.ext);
	m->data = data;
	m->svg = info.type == QIMAGE_SVG;
	qstrmap_put(&k->media_by_path, qarena_strndup(&k->arena, path, len), len,
		    (void *)(uintptr_t)k->nmedia);
}

static void keep_images_of(qapkg *k, const qnode *root)
{
	qiter it;
	qnode *n;
	qiter_init(&it, (qnode *)root);   /* only read */
	while (qiter_next_of(&it, &n, QN_IMAGE))
		if (n->u.link.file)
			keep_image(k, n);
}

void qapkg_media_collect(qapkg *k)
{
	if (!qdoc_may_hold(k->job->doc, QN_IMAGE))
		return;
	for (int j = 0; j < k->nnotes; j++) {
		const qapkg_note *note = &k->notes[j];
		if (note->kind == QAPKG_CLOZE)
			keep_images_of(k, note->first);
		else
			for (int c = 0; c < note->ncards; c++)
				keep_images_of(k, k->cards[note->card0 + c]);
	}
}

const char *qapkg_media_src(void *ctx, const qnode *image)
{
	const qapkg *k = ctx;
	const char *path = image->u.link.file;
	uintptr_t v = (uintptr_t)qstrmap_get(&k->media_by_path, path, strlen(path));
	return v && v != (uintptr_t)-1 ? k->media[v - 1].name : NULL;
}

void qapkg_media_map(const qapkg *k, qbuf *json)
{
	qbuf_putc(json, '{');
	for (int i = 0; i < k->nmedia; i++)
		qbuf_printf(json, "%s\"%d\":\"%s\"", i ? "," : "", i, k->media[i].name);
	qbuf_putc(json, '}');
}

void qapkg_media_free(qapkg *k)
{
	for (int i = 0; i < k->nmedia; i++)
		qbuf_free(&k->media[i].data);
	free(k->media);
	qstrmap_free(&k->media_by_path);
}
