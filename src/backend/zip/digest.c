/* digest.c - SHA-1 and SHA-256 by libcrypto (see digest.h).
 *
 * OpenSSL 3's one-shot SHA1() and SHA256() go through its providers,
 * whose first use loads the configuration and sets them up (about 2 ms,
 * a tenth of the corpus EPUB); the digests' own functions, which it
 * keeps as deprecated, hash at the same speed without that. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include "digest.h"

#include <openssl/sha.h>

void qsha1(const void *data, size_t n, unsigned char out[20])
{
	SHA_CTX c;
	SHA1_Init(&c);
	SHA1_Update(&c, data, n);
	SHA1_Final(out, &c);
}

void qsha256(const void *data, size_t n, unsigned char out[32])
{
	SHA256_CTX c;
	SHA256_Init(&c);
	SHA256_Update(&c, data, n);
	SHA256_Final(out, &c);
}

uint64_t qsha256_u64(const void *data, size_t n)
{
	unsigned char d[32];
	qsha256(data, n, d);
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | d[i];
	return v;
}
