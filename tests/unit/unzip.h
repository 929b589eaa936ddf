/* unzip.h - one member of a zip held in memory, read by libzip: the
 * tests' independent reader of the archives quire writes (and libzip's
 * consistency check of local and central headers on the way). */
#ifndef QUIRE_TEST_UNZIP_H
#define QUIRE_TEST_UNZIP_H

#include <stdlib.h>
#include <zip.h>

/* The bytes of member `name`, NUL-terminated (the caller frees), their
 * count in *len when len is not NULL; NULL when the archive or the member
 * cannot be read. */
static inline char *libzip_member(const void *zip, size_t n, const char *name, size_t *len)
{
	zip_source_t *src = zip_source_buffer_create(zip, n, 0, NULL);
	zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, NULL) : NULL;
	char *data = NULL;
	zip_stat_t st;
	zip_file_t *f = NULL;
	if (!za) {
		if (src)
			zip_source_free(src);
		return NULL;
	}
	if (zip_stat(za, name, 0, &st) == 0 && (f = zip_fopen(za, name, 0))) {
		data = malloc(st.size + 1);
		zip_int64_t got = data ? zip_fread(f, data, st.size) : -1;
		if (got < 0 || (zip_uint64_t)got != st.size) {
			free(data);
			data = NULL;
		} else {
			data[got] = '\0';
			if (len)
				*len = (size_t)got;
		}
		zip_fclose(f);
	}
	zip_close(za);
	return data;
}

#endif
