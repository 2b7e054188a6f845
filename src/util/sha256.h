/* sha256.h - SHA-256 (FIPS 180-4), for the checksums of migration files in
 * the run log (README, "Running in production"). Neither libgit2 (SHA-1
 * object ids) nor SQLite's library (SHA-3 lives in the shell only) exposes
 * it, and OpenSSL is not linked, so it is here: about a hundred lines,
 * checked against the FIPS test vectors (tests/unit/test_sha256.c). */
#ifndef AUTOGEN_UTIL_SHA256_H
#define AUTOGEN_UTIL_SHA256_H

#include "common.h"

typedef struct ag_sha256 {
    uint32_t h[8];
    uint64_t len; /* bytes hashed so far */
    unsigned char block[64];
    size_t fill; /* bytes in block */
} ag_sha256;

void ag_sha256_init(ag_sha256 *s);
void ag_sha256_update(ag_sha256 *s, const void *data, size_t len);
/* The digest as 64 lower-case hex digits and a NUL. */
void ag_sha256_hex(ag_sha256 *s, char out[65]);
/* ag_sha256_hex of one buffer. */
void ag_sha256_buf(const void *data, size_t len, char out[65]);

#endif
