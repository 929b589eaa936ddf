/* raster.c - what every decoder's picture shares (see raster.h). */
#include <stdlib.h>

#include "raster.h"

bool qraster_opaque(const qraster *r)
{
	size_t n = (size_t)r->width * (size_t)r->height;
	for (size_t i = 0; i < n; i++)
		if (r->rgba[4 * i + 3] != 255)
			return false;
	return true;
}

void qraster_free(qraster *r)
{
	free(r->rgba);
	*r = (qraster){0};
}

bool qraster_check(const char *data, size_t n, qimage_type type, char *why, size_t whylen)
{
	qraster r = {0};
	bool ok = type == QIMAGE_GIF    ? qraster_gif(data, n, &r, why, whylen)
		  : type == QIMAGE_WEBP ? qraster_webp(data, n, &r, why, whylen)
		  : type == QIMAGE_SVG  ? qraster_svg_parses(data, n, why, whylen)
					: true;
	qraster_free(&r);
	return ok;
}
