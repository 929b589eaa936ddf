/* hash.h - hashes for identities that must not change between builds:
 * SHA-1 (Anki's field checksum), SHA-256 (note GUIDs, book identifiers)
 * and 64-bit FNV-1a (hash tables, ids).
 *
 * Pure functions; digests are written to caller-provided arrays.
 */
#ifndef QUIRE_HASH_H
#define QUIRE_HASH_H

#include <stddef.h>
#include <stdint.h>

void qsha1(const void *data, size_t n, unsigned char out[20]);
void qsha256(const void *data, size_t n, unsigned char out[32]);
uint64_t qfnv1a64(const void *data, size_t n);
/* A fast hash for hash tables (8 bytes a step); not for identities. */
uint64_t qhash64(const void *data, size_t n);
/* First 8 bytes of SHA-256 as a big-endian integer. */
uint64_t qsha256_u64(const void *data, size_t n);
/* Lower-case hex of n bytes into out (2n+1 chars). */
void qhex(const unsigned char *bytes, size_t n, char *out);

#endif
