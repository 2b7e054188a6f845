/* test_sha256.c - util/sha256.h against the FIPS 180-4 test vectors and
 * sha256sum, whole and fed in pieces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "util/sha256.h"

#include <string.h>

static void fips_vectors(void **state)
{
    (void)state;
    char hex[65];
    ag_sha256_buf("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    ag_sha256_buf("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"; /* 56 bytes */
    ag_sha256_buf(two, strlen(two), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* A million 'a', fed in pieces that straddle the 64-byte blocks. */
static void pieces(void **state)
{
    (void)state;
    static char a[1001];
    memset(a, 'a', sizeof(a));
    ag_sha256 s;
    ag_sha256_init(&s);
    for (int i = 0; i < 1000; i++)
        ag_sha256_update(&s, a, i % 2 ? 999 : 1001);
    char hex[65];
    ag_sha256_hex(&s, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Lengths around the padding boundary (55, 56, 63, 64 bytes), as sha256sum prints them. */
static void padding_edges(void **state)
{
    (void)state;
    static const struct {
        size_t n;
        const char *hex;
    } cases[] = {
        { 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
        { 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
        { 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
        { 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
    };
    char buf[64], hex[65];
    memset(buf, 'a', sizeof(buf));
    for (size_t i = 0; i < AG_NELEM(cases); i++) {
        ag_sha256_buf(buf, cases[i].n, hex);
        assert_string_equal(hex, cases[i].hex);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fips_vectors),
        cmocka_unit_test(pieces),
        cmocka_unit_test(padding_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
