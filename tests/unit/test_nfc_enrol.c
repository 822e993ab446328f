/* `loket --card-hash` (platform/nfc/nfc_enrol.c): with a fake card source, and through the real
 * libnfc stack to the PN532 emulator showing a MIFARE badge. The roles file is made (0600, a
 * random salt) when missing; the printed line is SHA-256(salt || UID) as this file computes it
 * with OpenSSL's one-shot SHA256(); the UID itself never appears in the output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/sha.h>

#include "nfc/nfc_enrol.h"
#include "nfc/nfc_roles.h"
#include "pn532_emu.h"

static const uint8_t BADGE_UID[7] = {0x04, 0xa2, 0x2b, 0x5c, 0x11, 0x62, 0x80};

typedef struct {
    int answer; /* what wait() returns */
    nfc_card_info card;
    int calls, last_wait;
} fake;

static int fake_wait(void *ctx, int wait_ms, nfc_card_info *card, char *err, size_t errcap)
{
    fake *f = ctx;
    f->calls++;
    f->last_wait = wait_ms;
    if (f->answer < 0)
        snprintf(err, errcap, "the reader stopped answering");
    if (f->answer == 1)
        *card = f->card;
    return f->answer;
}

static fake badge(const uint8_t *uid, size_t len)
{
    fake f = {.answer = 1};
    f.card.type = NFC_CARD_TYPE_A;
    f.card.sak = 0x08;
    memcpy(f.card.id, uid, len);
    f.card.id_len = len;
    return f;
}

static char dir[64], roles[128];
static char out_text[4096], err_text[4096];

static int setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/loket-enrol-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(roles, sizeof roles, "%s/cards", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(roles);
    rmdir(dir);
    return 0;
}

/* Runs the enrolment with the source into out_text / err_text. */
static int run(const nfc_enrol_source *src, const char *device)
{
    char *ob = NULL, *eb = NULL;
    size_t ol = 0, el = 0;
    FILE *out = open_memstream(&ob, &ol), *errs = open_memstream(&eb, &el);
    assert_non_null(out);
    assert_non_null(errs);
    int rc = src ? nfc_enrol_card(src, roles, 5000, out, errs)
                 : nfc_enrol_main(device, roles, out, errs);
    fclose(out);
    fclose(errs);
    snprintf(out_text, sizeof out_text, "%s", ob);
    snprintf(err_text, sizeof err_text, "%s", eb);
    free(ob);
    free(eb);
    return rc;
}

/* The salt in the roles file, and the line SHA-256(salt || uid) makes. */
static void expected_line(const uint8_t *uid, size_t len, char line[72])
{
    FILE *f = fopen(roles, "r");
    assert_non_null(f);
    char text[256], hex[80] = "";
    while (fgets(text, sizeof text, f))
        if (sscanf(text, "salt %79s", hex) == 1)
            break;
    fclose(f);
    assert_int_equal(strlen(hex), 64);
    uint8_t buf[32 + 10], h[32];
    for (int i = 0; i < 32; i++) {
        unsigned v;
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        buf[i] = (uint8_t)v;
    }
    memcpy(buf + 32, uid, len);
    SHA256(buf, 32 + len, h);
    int n = snprintf(line, 72, "staff ");
    for (int i = 0; i < 32; i++)
        n += snprintf(line + n, (size_t)(72 - n), "%02x", h[i]);
}

/* Neither output says the UID, in any case or spacing we would write it. */
static void assert_no_uid(const uint8_t *uid, size_t len)
{
    char lo[32] = "", up[32] = "", spaced[40] = "";
    for (size_t i = 0; i < len; i++) {
        snprintf(lo + 2 * i, 3, "%02x", uid[i]);
        snprintf(up + 2 * i, 3, "%02X", uid[i]);
        snprintf(spaced + 3 * i, 4, "%02x ", uid[i]);
    }
    spaced[3 * len - 1] = '\0';
    const char *texts[] = {out_text, err_text};
    for (int t = 0; t < 2; t++) {
        assert_null(strstr(texts[t], lo));
        assert_null(strstr(texts[t], up));
        assert_null(strstr(texts[t], spaced));
    }
}

static void makes_the_roles_file_and_prints_the_line(void **state)
{
    (void)state;
    unlink(roles);
    fake f = badge(BADGE_UID, sizeof BADGE_UID);
    nfc_enrol_source src = {fake_wait, &f, "fake reader"};
    assert_int_equal(run(&src, NULL), 0);
    assert_int_equal(f.calls, 1);
    assert_int_equal(f.last_wait, 5000);
    struct stat st;
    assert_int_equal(stat(roles, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_non_null(strstr(out_text, "Hold the card on the reader (fake reader)"));
    assert_non_null(strstr(out_text, "with a new secret salt"));
    char line[72];
    expected_line(BADGE_UID, sizeof BADGE_UID, line);
    char want[100];
    snprintf(want, sizeof want, "\n%s\n", line);
    assert_non_null(strstr(out_text, want));
    assert_non_null(strstr(out_text, "Add this line to"));
    assert_no_uid(BADGE_UID, sizeof BADGE_UID);

    /* the file as made is a valid roles file; with the line added, the card is staff */
    char err[256];
    card_roles *r = card_roles_load(roles, err, sizeof err);
    assert_non_null(r);
    assert_int_equal(card_roles_lookup(r, BADGE_UID, sizeof BADGE_UID), CARD_ROLE_NONE);
    card_roles_free(r);
    FILE *fp = fopen(roles, "a");
    fprintf(fp, "%s\n", line);
    fclose(fp);
    r = card_roles_load(roles, err, sizeof err);
    assert_non_null(r);
    assert_int_equal(card_roles_lookup(r, BADGE_UID, sizeof BADGE_UID), CARD_ROLE_STAFF);
    card_roles_free(r);

    /* again: the same salt (the same line), and it says the card is already there */
    f = badge(BADGE_UID, sizeof BADGE_UID);
    assert_int_equal(run(&src, NULL), 0);
    assert_non_null(strstr(out_text, want));
    assert_non_null(strstr(out_text, "already in"));
    assert_null(strstr(out_text, "new secret salt"));

    /* another card: another line */
    static const uint8_t other[4] = {0xde, 0xad, 0xbe, 0xef};
    f = badge(other, sizeof other);
    assert_int_equal(run(&src, NULL), 0);
    assert_null(strstr(out_text, want));
    expected_line(other, sizeof other, line);
    assert_non_null(strstr(out_text, line));
    assert_no_uid(other, sizeof other);
    unlink(roles);
}

static void a_new_salt_for_every_new_file(void **state)
{
    (void)state;
    char lines[2][72];
    for (int i = 0; i < 2; i++) {
        unlink(roles);
        fake f = badge(BADGE_UID, sizeof BADGE_UID);
        nfc_enrol_source src = {fake_wait, &f, "fake reader"};
        assert_int_equal(run(&src, NULL), 0);
        expected_line(BADGE_UID, sizeof BADGE_UID, lines[i]);
    }
    assert_string_not_equal(lines[0], lines[1]);
    unlink(roles);
}

static void no_card_failure_random_uid(void **state)
{
    (void)state;
    unlink(roles);
    fake none = {.answer = 0};
    nfc_enrol_source src = {fake_wait, &none, "fake reader"};
    assert_int_equal(run(&src, NULL), 1);
    assert_non_null(strstr(err_text, "no card came within 5 seconds"));
    assert_null(strstr(out_text, "staff "));

    fake broken = {.answer = -1};
    src.ctx = &broken;
    assert_int_equal(run(&src, NULL), 1);
    assert_non_null(strstr(err_text, "the reader failed: the reader stopped answering"));

    static const uint8_t rid[4] = {0x08, 0x3c, 0x5a, 0x71};
    fake id_card = badge(rid, sizeof rid);
    src.ctx = &id_card;
    assert_int_equal(run(&src, NULL), 1);
    assert_non_null(strstr(err_text, "new random number at every tap"));
    assert_null(strstr(out_text, "staff "));
    assert_no_uid(rid, sizeof rid);
    unlink(roles);
}

static void broken_roles_file_and_no_reader(void **state)
{
    (void)state;
    FILE *fp = fopen(roles, "w");
    fputs("salt 1234\n", fp);
    fclose(fp);
    fake f = badge(BADGE_UID, sizeof BADGE_UID);
    nfc_enrol_source src = {fake_wait, &f, "fake reader"};
    assert_int_equal(run(&src, NULL), 1);
    assert_non_null(strstr(err_text, ":1: the salt is not 64 hex digits"));
    assert_int_equal(f.calls, 0); /* not asked to tap a card for a list that cannot be used */
    unlink(roles);

    /* the simulated reader: its staff badge, said to be simulated */
    assert_int_equal(run(NULL, ""), 0);
    assert_non_null(strstr(out_text, "this is the simulated reader"));
    static const uint8_t sim_uid[] = NFC_SIM_STAFF_BADGE_UID;
    char line[72];
    expected_line(sim_uid, sizeof sim_uid, line);
    assert_non_null(strstr(out_text, line));
    assert_no_uid(sim_uid, sizeof sim_uid);
    unlink(roles);
    /* a reader that is not there */
    assert_int_equal(run(NULL, "pn532_uart:/dev/loket-no-such-reader"), 1);
    assert_non_null(strstr(err_text, "loket-no-such-reader"));
    /* a roles file that cannot be made */
    char keep[128];
    snprintf(keep, sizeof keep, "%s", roles);
    snprintf(roles, sizeof roles, "%s/no-such-dir/cards", dir);
    src.ctx = &f;
    assert_int_equal(run(&src, NULL), 1);
    assert_non_null(strstr(err_text, "cannot make"));
    snprintf(roles, sizeof roles, "%s", keep);
}

/* Through libnfc's pn532_uart driver to the emulator showing a MIFARE Classic badge. */
static void through_libnfc_and_the_pn532_emulator(void **state)
{
    (void)state;
    unlink(roles);
    pn532_emu_card card = {.type = 'A', .uid_len = 7, .atqa = {0x00, 0x44}, .sak = 0x08};
    memcpy(card.uid, BADGE_UID, sizeof BADGE_UID);
    pn532_emu *emu = pn532_emu_start(&card, NULL, NULL);
    assert_non_null(emu);
    char conn[128];
    snprintf(conn, sizeof conn, "pn532_uart:%s", pn532_emu_path(emu));
    int rc = run(NULL, conn);
    pn532_emu_stop(emu);
    if (rc != 0)
        fail_msg("enrol: %s", err_text);
    char line[72];
    expected_line(BADGE_UID, sizeof BADGE_UID, line);
    assert_non_null(strstr(out_text, line));
    assert_non_null(strstr(out_text, conn));
    assert_no_uid(BADGE_UID, sizeof BADGE_UID);
    unlink(roles);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(makes_the_roles_file_and_prints_the_line),
        cmocka_unit_test(a_new_salt_for_every_new_file),
        cmocka_unit_test(no_card_failure_random_uid),
        cmocka_unit_test(broken_roles_file_and_no_reader),
        cmocka_unit_test(through_libnfc_and_the_pn532_emulator),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
