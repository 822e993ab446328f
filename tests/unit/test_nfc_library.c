/* Library passes by UID (platform/nfc/nfc_library.c): the number each format makes, worked out
 * by hand here (a 4-byte UID read as 1C 78 F2 BF is 0xBFF2781C = 3220338716 little-endian, the
 * way most library keyboard-wedge readers give it, and 0x1C78F2BF = 477688511 big-endian), and
 * which cards count as a pass: off by default, never an ID document, a random UID or a card on
 * the roles list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/sha.h>

#include "nfc/nfc_library.h"

static const uint8_t UID4[4] = {0x1c, 0x78, 0xf2, 0xbf};
static const uint8_t UID7[7] = {0x04, 0xa2, 0x2b, 0x5c, 0x11, 0x62, 0x80};
static const uint8_t UID10[10] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static const char *number(nfc_library_format f, int digits, const uint8_t *uid, size_t len)
{
    static char out[NFC_LIBRARY_NUMBER_MAX];
    nfc_library_config c = {NFC_LIBRARY_UID, f, digits};
    assert_true(nfc_library_number(&c, uid, len, out, sizeof out));
    return out;
}

static void numbers_from_uids(void **state)
{
    (void)state;
    assert_string_equal(number(NFC_LIBRARY_DECIMAL_LE, 0, UID4, 4), "3220338716");
    assert_string_equal(number(NFC_LIBRARY_DECIMAL_BE, 0, UID4, 4), "477688511");
    assert_string_equal(number(NFC_LIBRARY_DECIMAL_BE, 10, UID4, 4), "0477688511");
    assert_string_equal(number(NFC_LIBRARY_HEX, 0, UID4, 4), "1C78F2BF");
    /* 7 bytes: 0x04A22B5C116280 = 1304207018779264; reversed, 0x8062115C2BA204 =
     * 36136623719293444 (both by Python's int.from_bytes) */
    assert_string_equal(number(NFC_LIBRARY_DECIMAL_BE, 0, UID7, 7), "1304207018779264");
    assert_string_equal(number(NFC_LIBRARY_DECIMAL_LE, 0, UID7, 7), "36136623719293444");
    assert_string_equal(number(NFC_LIBRARY_HEX, 0, UID7, 7), "04A22B5C116280");
    /* 10 bytes, past 64 bits: 2^80 - 1 */
    assert_string_equal(number(NFC_LIBRARY_DECIMAL_BE, 0, UID10, 10), "1208925819614629174706175");
    /* zero, and padding up to the most there is */
    static const uint8_t zero[4] = {0};
    assert_string_equal(number(NFC_LIBRARY_DECIMAL_LE, 0, zero, 4), "0");
    assert_string_equal(number(NFC_LIBRARY_DECIMAL_LE, 5, zero, 4), "00000");
    assert_int_equal(strlen(number(NFC_LIBRARY_DECIMAL_BE, 99, UID10, 10)), 32);

    char out[NFC_LIBRARY_NUMBER_MAX] = "x";
    nfc_library_config c;
    nfc_library_defaults(&c);
    assert_false(nfc_library_number(&c, UID4, 0, out, sizeof out));
    assert_string_equal(out, "");
    assert_false(nfc_library_number(&c, UID4, 11, out, sizeof out));
    assert_false(nfc_library_number(&c, UID4, 4, out, 10)); /* a buffer that might not do */
}

static void settings(void **state)
{
    (void)state;
    nfc_library_config c;
    nfc_library_defaults(&c);
    assert_int_equal(c.mode, NFC_LIBRARY_OFF);
    assert_int_equal(c.format, NFC_LIBRARY_DECIMAL_LE);
    nfc_library_mode m;
    nfc_library_format f;
    assert_true(nfc_library_parse_mode("uid", &m));
    assert_int_equal(m, NFC_LIBRARY_UID);
    assert_true(nfc_library_parse_mode("off", &m));
    assert_int_equal(m, NFC_LIBRARY_OFF);
    assert_false(nfc_library_parse_mode("on", &m));
    const char *names[] = {"uid-decimal-le", "uid-decimal-be", "uid-hex"};
    for (int i = 0; i < 3; i++) {
        assert_true(nfc_library_parse_format(names[i], &f));
        assert_string_equal(nfc_library_format_name(f), names[i]);
    }
    assert_false(nfc_library_parse_format("decimal", &f));
    assert_string_equal(nfc_library_mode_name(NFC_LIBRARY_UID), "uid");
}

static nfc_card_info card_a(const uint8_t *uid, size_t len, bool iso4)
{
    nfc_card_info c;
    memset(&c, 0, sizeof c);
    c.type = NFC_CARD_TYPE_A;
    c.iso14443_4 = iso4;
    c.sak = iso4 ? 0x20 : 0x08;
    memcpy(c.id, uid, len);
    c.id_len = len;
    return c;
}

static void which_cards_are_passes(void **state)
{
    (void)state;
    nfc_library_config on = {NFC_LIBRARY_UID, NFC_LIBRARY_DECIMAL_LE, 10};
    nfc_library_config off;
    nfc_library_defaults(&off);
    nfc_card_info mifare = card_a(UID4, 4, false), mifare7 = card_a(UID7, 7, false);
    assert_true(nfc_library_recognise(&on, &mifare, NULL));
    assert_true(nfc_library_recognise(&on, &mifare7, NULL));
    assert_false(nfc_library_recognise(&off, &mifare, NULL)); /* off by default */
    nfc_card_info id = card_a(UID7, 7, true);
    assert_false(nfc_library_recognise(&on, &id, NULL)); /* an ID document */
    static const uint8_t rid[4] = {0x08, 0x11, 0x22, 0x33};
    nfc_card_info random = card_a(rid, 4, false);
    assert_false(nfc_library_recognise(&on, &random, NULL));
    nfc_card_info b = mifare;
    b.type = NFC_CARD_TYPE_B;
    assert_false(nfc_library_recognise(&on, &b, NULL));
    nfc_card_info odd = card_a(UID7, 5, false);
    assert_false(nfc_library_recognise(&on, &odd, NULL));

    /* a staff badge on the roles list is never a library pass */
    uint8_t salt[32] = {1, 2, 3}, buf[32 + 4], h[32];
    memcpy(buf, salt, 32);
    memcpy(buf + 32, UID4, 4);
    SHA256(buf, sizeof buf, h);
    char path[] = "/tmp/loket-roles-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("salt ", f);
    for (int i = 0; i < 32; i++)
        fprintf(f, "%02x", salt[i]);
    fputs("\nstaff ", f);
    for (int i = 0; i < 32; i++)
        fprintf(f, "%02x", h[i]);
    fputs("\n", f);
    fclose(f);
    char err[256];
    card_roles *roles = card_roles_load(path, err, sizeof err);
    unlink(path);
    assert_non_null(roles);
    assert_false(nfc_library_recognise(&on, &mifare, roles));
    assert_true(nfc_library_recognise(&on, &mifare7, roles));
    card_roles_free(roles);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numbers_from_uids),
        cmocka_unit_test(settings),
        cmocka_unit_test(which_cards_are_passes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
