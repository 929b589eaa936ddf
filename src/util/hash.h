/* hash.h - 64-bit FNV-1a (ids that must not change between builds), a
 * fast hash for hash tables, and hex. (SHA-1 and SHA-256 are the two
 * archive-writing back ends' own: backend/zip/digest.h.)
 *
 * Pure functions; digests are written to caller-provided arrays.
 */
#ifndef QUIRE_HASH_H
#define QUIRE_HASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t qfnv1a64(const void *data, size_t n);
/* A fast hash for hash tables (8 bytes a step); not for identities. */
uint64_t qhash64(const void *data, size_t n);
/* Lower-case hex of n bytes into out (2n+1 chars). */
void qhex(const unsigned char *bytes, size_t n, char *out);

#endif
