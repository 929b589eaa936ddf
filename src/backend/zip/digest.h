/* digest.h - SHA-1 and SHA-256 for the two back ends that write
 * archives: the EPUB's identifier, the deck's field checksums (Anki's
 * SHA-1), note GUIDs, ids and media file names. Identities that must not
 * change between builds.
 *
 * They are libcrypto's: libzip brings it into these two modules anyway,
 * and it hashes a deck's pictures several times faster than the digests
 * quire once wrote itself. The program proper never loads it.
 *
 * Pure functions; digests are written to caller-provided arrays.
 */
#ifndef QUIRE_DIGEST_H
#define QUIRE_DIGEST_H

#include <stddef.h>
#include <stdint.h>

void qsha1(const void *data, size_t n, unsigned char out[20]);
void qsha256(const void *data, size_t n, unsigned char out[32]);
/* The first 8 bytes of the SHA-256 as a big-endian integer. */
uint64_t qsha256_u64(const void *data, size_t n);

#endif
