/* The card reader adapter (platform/nfc/card.c) with library passes: the simulated reader taps
 * its library pass (a MIFARE Classic with UID 1C 78 F2 BF); with `[nfc] library_pass = uid` it
 * is reported as CARD_LIBRARY_PASS and its number (3220338716 little-endian decimal, worked
 * out by hand) is handed out until the card is taken off; off, or on the roles list, it is
 * just another card. Also the CSCA directory's master list notes reach the log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/sha.h>

#include "nfc/card.h"

static action posted[16];
static int nposted;

static void post(void *ctx, const action *a)
{
    (void)ctx;
    if (nposted < 16)
        posted[nposted++] = *a;
}

static card_reader *sim(void)
{
    char err[256];
    card_reader *r = card_reader_sim_new(post, NULL, "", err, sizeof err);
    if (!r)
        fail_msg("sim reader: %s", err);
    nposted = 0;
    return r;
}

static void library_pass_reported_with_its_number(void **state)
{
    (void)state;
    card_reader *r = sim();
    nfc_library_config lib = {NFC_LIBRARY_UID, NFC_LIBRARY_DECIMAL_LE, 10};
    card_reader_set_cards(r, "", &lib);
    char num[NFC_LIBRARY_NUMBER_MAX];
    assert_false(card_reader_library_number(r, num, sizeof num)); /* nothing on the reader */
    assert_true(card_reader_sim_present(r, CARD_LIBRARY_PASS));
    assert_int_equal(nposted, 1);
    assert_int_equal(posted[0].kind, ACT_CARD_PRESENT);
    assert_int_equal(posted[0].arg, (int)CARD_LIBRARY_PASS);
    assert_true(card_reader_library_number(r, num, sizeof num));
    assert_string_equal(num, "3220338716");
    char small[5];
    assert_false(card_reader_library_number(r, small, sizeof small));
    assert_true(card_reader_sim_remove(r));
    assert_false(card_reader_library_number(r, num, sizeof num));
    assert_string_equal(num, "");

    /* another format */
    lib.format = NFC_LIBRARY_HEX;
    card_reader_set_cards(r, "", &lib);
    assert_true(card_reader_sim_present(r, CARD_LIBRARY_PASS));
    assert_true(card_reader_library_number(r, num, sizeof num));
    assert_string_equal(num, "001C78F2BF"); /* 10 digits: zeros in front */
    /* an ID card tapped after it: no library number any more */
    assert_true(card_reader_sim_present(r, CARD_ID_DOCUMENT));
    assert_false(card_reader_library_number(r, num, sizeof num));
    card_reader_destroy(r);
}

static void off_or_a_staff_badge_is_another_card(void **state)
{
    (void)state;
    card_reader *r = sim();
    char num[NFC_LIBRARY_NUMBER_MAX];
    /* off (the default) */
    assert_true(card_reader_sim_present(r, CARD_LIBRARY_PASS));
    assert_int_equal(posted[0].arg, (int)CARD_OTHER);
    assert_false(card_reader_library_number(r, num, sizeof num));
    card_reader_sim_remove(r);

    /* on, but the card is a badge the roles list has as staff: never a library pass */
    uint8_t buf[32 + 4] = {9, 8, 7}, h[32];
    static const uint8_t uid[4] = {0x1c, 0x78, 0xf2, 0xbf};
    memcpy(buf + 32, uid, 4);
    SHA256(buf, sizeof buf, h);
    char path[] = "/tmp/loket-cards-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("salt ", f);
    for (int i = 0; i < 32; i++)
        fprintf(f, "%02x", buf[i]);
    fputs("\nstaff ", f);
    for (int i = 0; i < 32; i++)
        fprintf(f, "%02x", h[i]);
    fputs("\n", f);
    fclose(f);
    nfc_library_config lib = {NFC_LIBRARY_UID, NFC_LIBRARY_DECIMAL_LE, 0};
    card_reader_set_cards(r, path, &lib);
    nposted = 0;
    assert_true(card_reader_sim_present(r, CARD_LIBRARY_PASS));
    assert_int_equal(posted[0].arg, (int)CARD_STAFF);
    assert_false(card_reader_library_number(r, num, sizeof num));
    /* the badge's hash (for its PIN) stays when the badge is lifted, until the next card */
    char badge[65], hex[65];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", h[i]);
    assert_true(card_reader_staff_badge(r, badge));
    assert_string_equal(badge, hex);
    card_reader_sim_remove(r);
    assert_true(card_reader_staff_badge(r, badge));
    assert_string_equal(badge, hex);
    assert_true(card_reader_sim_present(r, CARD_OTHER));
    assert_false(card_reader_staff_badge(r, badge));
    card_reader_sim_remove(r);

    /* a broken roles file: no library passes (a badge must not be taken for one) */
    f = fopen(path, "w");
    fputs("salt nonsense\n", f);
    fclose(f);
    nposted = 0;
    assert_true(card_reader_sim_present(r, CARD_LIBRARY_PASS));
    assert_int_equal(posted[0].arg, (int)CARD_OTHER);
    card_reader_sim_remove(r);

    /* no roles file at all: a pass */
    unlink(path);
    nposted = 0;
    assert_true(card_reader_sim_present(r, CARD_LIBRARY_PASS));
    assert_int_equal(posted[0].arg, (int)CARD_LIBRARY_PASS);
    assert_true(card_reader_library_number(r, num, sizeof num));
    assert_string_equal(num, "3220338716");
    card_reader_destroy(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(library_pass_reported_with_its_number),
        cmocka_unit_test(off_or_a_staff_badge_is_another_card),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
