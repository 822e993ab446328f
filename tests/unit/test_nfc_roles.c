/* Staff and technician cards by salted UID hashes: found, not found, and every malformed
 * file refused with its line. The hashes here are computed with OpenSSL's one-shot SHA256(),
 * not the code under test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/sha.h>

#include "nfc/nfc_roles.h"

static const uint8_t SALT[32] = {0x5f, 0x0c, 1,  2,  3,  4,  5,  6,  7,  8,   9,
                                 10,   11,   12, 13, 14, 15, 16, 17, 18, 19,  20,
                                 21,   22,   23, 24, 25, 26, 27, 28, 29, 0xe1};
static const uint8_t STAFF_UID[7] = {0x04, 0xa2, 0x2b, 0x5c, 0x11, 0x62, 0x80};
static const uint8_t TECH_UID[4] = {0xde, 0xad, 0xbe, 0xef};

static void hex(const uint8_t *b, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", b[i]);
}

static void expected_hash(const uint8_t *uid, size_t n, char out[65])
{
    uint8_t buf[64], h[32];
    memcpy(buf, SALT, 32);
    memcpy(buf + 32, uid, n);
    SHA256(buf, 32 + n, h);
    hex(h, 32, out);
}

static const char *write_file(const char *text)
{
    static char path[] = "/tmp/loket-cards-XXXXXX";
    strcpy(path, "/tmp/loket-cards-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static void badges_found_by_their_hash(void **state)
{
    (void)state;
    char salt[65], staff[65], tech[65], text[512];
    hex(SALT, 32, salt);
    expected_hash(STAFF_UID, sizeof STAFF_UID, staff);
    expected_hash(TECH_UID, sizeof TECH_UID, tech);
    snprintf(text, sizeof text, "# site cards\nsalt %s\n\nstaff %s\n  technician %s\n", salt, staff,
             tech);
    const char *path = write_file(text);
    char err[256];
    card_roles *r = card_roles_load(path, err, sizeof err);
    assert_non_null(r);
    assert_int_equal(card_roles_lookup(r, STAFF_UID, sizeof STAFF_UID), CARD_ROLE_STAFF);
    assert_int_equal(card_roles_lookup(r, TECH_UID, sizeof TECH_UID), CARD_ROLE_TECHNICIAN);
    /* one byte off, a byte short, nothing: no role */
    uint8_t other[7];
    memcpy(other, STAFF_UID, 7);
    other[6] ^= 1;
    assert_int_equal(card_roles_lookup(r, other, 7), CARD_ROLE_NONE);
    assert_int_equal(card_roles_lookup(r, STAFF_UID, 6), CARD_ROLE_NONE);
    assert_int_equal(card_roles_lookup(r, NULL, 0), CARD_ROLE_NONE);
    char got[65];
    card_roles_hash(r, STAFF_UID, sizeof STAFF_UID, got);
    assert_string_equal(got, staff);
    assert_string_equal(card_role_name(CARD_ROLE_STAFF), "staff");
    card_roles_free(r);
    remove(path);
}

static void malformed_files_refused_with_their_line(void **state)
{
    (void)state;
    char salt[65], staff[65];
    hex(SALT, 32, salt);
    expected_hash(STAFF_UID, sizeof STAFF_UID, staff);
    const struct {
        const char *fmt, *want;
    } cases[] = {
        {"staff %2$s\n", "no 'salt' line"},
        {"salt %1$s\nsalt %1$s\n", ":2: the salt is given twice"},
        {"salt abc\n", ":1: the salt is not 64 hex digits"},
        {"salt %1$s\nboss %2$s\n", ":2: unknown role 'boss'"},
        {"salt %1$s\nstaff 12zz\n", ":2: a card's hash is 64 hex digits"},
        {"salt %1$s\nstaff %2$s extra\n", ":2: expected"},
        {"salt %1$s\nstaff "
         "0000000000000000000000000000000000000000000000000000000000000000\n",
         ":2: a card's hash is 64 hex digits"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[512], err[256];
        snprintf(text, sizeof text, cases[i].fmt, salt, staff);
        const char *path = write_file(text);
        card_roles *r = card_roles_load(path, err, sizeof err);
        if (r || !strstr(err, cases[i].want))
            fail_msg("case %zu: expected '%s', got '%s'", i, cases[i].want, r ? "loaded" : err);
        remove(path);
    }
    char err[256];
    assert_null(card_roles_load("/nonexistent/cards.txt", err, sizeof err));
    assert_non_null(strstr(err, "cannot read the card list"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(badges_found_by_their_hash),
        cmocka_unit_test(malformed_files_refused_with_their_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
