/* Reading an ID card end to end: the reader code (emrtd_read: EF.CardAccess, PACE with the
 * CAN, secure messaging, DG1, EF.SOD, passive authentication) against the simulated chip
 * (emrtd_chip: card side of PACE, BAC and secure messaging) holding the specimen card made at
 * test time (a DS and CSCA of its own). Directly through card_io, and through the real libnfc
 * stack: libnfc's pn532_uart driver talking to a PN532 emulator on a pseudo-terminal.
 *
 * usage: test_emrtd_read */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "nfc/emrtd_chip.h"
#include "nfc/emrtd_read.h"
#include "nfc/emrtd_specimen.h"
#include "nfc/nfc_libnfc.h"
#include "pn532_emu.h"

static char csca_dir[64];
static lds_csca *csca;

static int setup(void **state)
{
    (void)state;
    setenv("LIBNFC_LOG_LEVEL", "0", 0);
    setenv("LIBNFC_AUTO_SCAN", "false", 1);
    setenv("LIBNFC_INTRUSIVE_SCAN", "false", 1);
    unsetenv("LIBNFC_DEVICE");
    unsetenv("LIBNFC_DEFAULT_DEVICE");
    strcpy(csca_dir, "/tmp/loket-csca-XXXXXX");
    if (!mkdtemp(csca_dir))
        return -1;
    /* the trusted directory holds the CSCA of a GOOD specimen; every specimen made below has a
     * CSCA of its own, so each test writes its own and loads the directory again */
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    lds_csca_free(csca);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", csca_dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A specimen of `kind` on a chip, its CSCA (or, for OTHER_SIGNER, the specimen CSCA it does not
 * chain to) trusted. */
static emrtd_chip *chip_for(emrtd_specimen_kind kind, bool bac_only, int param_id, size_t key_len,
                            emrtd_specimen **spec_out)
{
    char err[256];
    emrtd_specimen *s = emrtd_specimen_new(kind, err, sizeof err);
    assert_non_null(s);
    assert_true(emrtd_specimen_write_csca(s, csca_dir, err, sizeof err));
    lds_csca_free(csca);
    csca = lds_csca_load_dir(csca_dir, err, sizeof err);
    assert_non_null(csca);
    emrtd_chip_spec spec = emrtd_specimen_chip_spec(s);
    spec.bac_only = bac_only;
    spec.param_id = param_id;
    spec.key_len = key_len;
    emrtd_chip *c = emrtd_chip_new(&spec);
    assert_non_null(c);
    *spec_out = s;
    return c;
}

static emrtd_read_status read_with(card_io *io, const char *can, emrtd_identity *id, int *tries)
{
    emrtd_read_params p = {.can = can, .csca = csca, .now = time(NULL)};
    char why[200];
    emrtd_read_status st = emrtd_read(io, &p, id, tries, why, sizeof why);
    if (st != EMRTD_READ_OK)
        fprintf(stderr, "  read: %s (%s)\n", emrtd_read_status_name(st), why);
    return st;
}

static void dutch_card_with_can_verified(void **state)
{
    (void)state;
    emrtd_specimen *s;
    /* the Dutch case: PACE-ECDH-GM-AES-CBC-CMAC-256 on brainpoolP320r1 (parameter 14) */
    emrtd_chip *c = chip_for(SPECIMEN_GOOD, false, 14, 32, &s);
    emrtd_identity id;
    int tries = 0;
    assert_int_equal(read_with(emrtd_chip_card_io(c), EMRTD_SPECIMEN_CAN, &id, &tries),
                     EMRTD_READ_OK);
    assert_int_equal(id.pa.status, LDS_PA_VERIFIED);
    assert_string_equal(id.dg1.surname, "DE BRUIJN");
    assert_string_equal(id.dg1.given_names, "WILLEKE LISELOTTE");
    assert_string_equal(id.dg1.date_of_birth, EMRTD_SPECIMEN_BIRTH);
    assert_string_equal(id.dg1.document_number, EMRTD_SPECIMEN_DOCUMENT);
    emrtd_identity_wipe(&id);
    assert_int_equal(id.dg1.surname[0], 0);
    emrtd_chip_free(c);
    emrtd_specimen_free(s);
    /* brainpoolP256r1 with AES-128 too */
    c = chip_for(SPECIMEN_GOOD, false, 13, 16, &s);
    assert_int_equal(read_with(emrtd_chip_card_io(c), EMRTD_SPECIMEN_CAN, &id, &tries),
                     EMRTD_READ_OK);
    assert_int_equal(id.pa.status, LDS_PA_VERIFIED);
    emrtd_identity_wipe(&id);
    emrtd_chip_free(c);
    emrtd_specimen_free(s);
}

static void tampered_signer_expired_each_their_result(void **state)
{
    (void)state;
    const struct {
        emrtd_specimen_kind kind;
        lds_pa_status want;
        const char *reason;
    } cases[] = {
        {SPECIMEN_TAMPERED_DG1, LDS_PA_FAILED, "DG1"},
        {SPECIMEN_OTHER_SIGNER, LDS_PA_NOT_VERIFIABLE, NULL},
        {SPECIMEN_EXPIRED_DS, LDS_PA_FAILED, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        emrtd_specimen *s;
        emrtd_chip *c = chip_for(cases[i].kind, false, 14, 32, &s);
        emrtd_identity id;
        assert_int_equal(read_with(emrtd_chip_card_io(c), EMRTD_SPECIMEN_CAN, &id, NULL),
                         EMRTD_READ_OK);
        if (id.pa.status != cases[i].want)
            fail_msg("case %zu: %s (%s), not %s", i, lds_pa_status_name(id.pa.status), id.pa.reason,
                     lds_pa_status_name(cases[i].want));
        if (cases[i].reason)
            assert_non_null(strstr(id.pa.reason, cases[i].reason));
        emrtd_identity_wipe(&id);
        emrtd_chip_free(c);
        emrtd_specimen_free(s);
    }
}

static void wrong_can_counts_down_then_blocks(void **state)
{
    (void)state;
    emrtd_specimen *s;
    emrtd_chip *c = chip_for(SPECIMEN_GOOD, false, 14, 32, &s);
    emrtd_identity id;
    int tries = -1;
    assert_int_equal(read_with(emrtd_chip_card_io(c), "654321", &id, &tries),
                     EMRTD_READ_WRONG_PASSWORD);
    assert_int_equal(tries, 2);
    assert_int_equal(emrtd_chip_tries(c), 2);
    assert_int_equal(id.dg1.surname[0], 0); /* nothing read, nothing kept */
    /* the right CAN still works (and a real card would reset its counter) */
    assert_int_equal(read_with(emrtd_chip_card_io(c), EMRTD_SPECIMEN_CAN, &id, &tries),
                     EMRTD_READ_OK);
    emrtd_identity_wipe(&id);
    emrtd_chip_free(c);
    emrtd_specimen_free(s);
    c = chip_for(SPECIMEN_GOOD, false, 14, 32, &s);
    for (int i = 0; i < 3; i++)
        read_with(emrtd_chip_card_io(c), "111111", &id, &tries);
    assert_int_equal(read_with(emrtd_chip_card_io(c), EMRTD_SPECIMEN_CAN, &id, &tries),
                     EMRTD_READ_BLOCKED);
    emrtd_chip_free(c);
    emrtd_specimen_free(s);
}

static void card_taken_away_mid_read(void **state)
{
    (void)state;
    for (int after = 0; after < 14; after++) {
        emrtd_specimen *s;
        emrtd_chip *c = chip_for(SPECIMEN_GOOD, false, 14, 32, &s);
        emrtd_chip_leave_after(c, after);
        emrtd_identity id;
        emrtd_read_status st = read_with(emrtd_chip_card_io(c), EMRTD_SPECIMEN_CAN, &id, NULL);
        if (st != EMRTD_READ_GONE)
            fail_msg("card gone after %d exchanges: %s", after, emrtd_read_status_name(st));
        assert_int_equal(id.dg1.surname[0], 0);
        emrtd_chip_free(c);
        emrtd_specimen_free(s);
    }
}

static void older_document_bac_with_mrz(void **state)
{
    (void)state;
    emrtd_specimen *s;
    emrtd_chip *c = chip_for(SPECIMEN_GOOD, true, 0, 0, &s);
    emrtd_identity id;
    assert_int_equal(read_with(emrtd_chip_card_io(c), EMRTD_SPECIMEN_CAN, &id, NULL),
                     EMRTD_READ_NEEDS_MRZ);
    emrtd_read_params p = {.document_number = EMRTD_SPECIMEN_DOCUMENT,
                           .birth = EMRTD_SPECIMEN_BIRTH,
                           .expiry = EMRTD_SPECIMEN_EXPIRY,
                           .csca = csca,
                           .now = time(NULL)};
    char why[200];
    assert_int_equal(emrtd_read(emrtd_chip_card_io(c), &p, &id, NULL, why, sizeof why),
                     EMRTD_READ_OK);
    assert_int_equal(id.pa.status, LDS_PA_VERIFIED);
    emrtd_identity_wipe(&id);
    p.birth = "650311"; /* a wrong birth date: the chip refuses */
    assert_int_equal(emrtd_read(emrtd_chip_card_io(c), &p, &id, NULL, why, sizeof why),
                     EMRTD_READ_WRONG_PASSWORD);
    emrtd_chip_free(c);
    emrtd_specimen_free(s);
}

/* The whole PACE read through libnfc 1.8 and its pn532_uart driver, the chip behind a PN532
 * emulator on a pseudo-terminal: the path a real reader takes. */
static void through_libnfc_and_a_pn532(void **state)
{
    (void)state;
    emrtd_specimen *s;
    emrtd_chip *c = chip_for(SPECIMEN_GOOD, false, 14, 32, &s);
    pn532_emu_card card = {.type = 'A',
                           .uid = {0x08, 0x12, 0x34, 0x56},
                           .uid_len = 4,
                           .atqa = {0x00, 0x04},
                           .sak = 0x20,
                           .ats = {0x78, 0x77, 0x91, 0x02, 0x80},
                           .ats_len = 5};
    pn532_emu *emu = pn532_emu_start(&card, emrtd_chip_apdu, c);
    assert_non_null(emu);
    char conn[128], err[256];
    snprintf(conn, sizeof conn, "pn532_uart:%s", pn532_emu_path(emu));
    nfc_reader *r = nfc_reader_open(conn, err, sizeof err);
    if (!r)
        fail_msg("%s", err);
    nfc_card_info info;
    assert_int_equal(nfc_reader_poll(r, 2000, &info), 1);
    assert_true(info.iso14443_4);
    nfc_card_info_wipe(&info);
    emrtd_identity id;
    assert_int_equal(read_with(nfc_reader_card_io(r), EMRTD_SPECIMEN_CAN, &id, NULL),
                     EMRTD_READ_OK);
    assert_int_equal(id.pa.status, LDS_PA_VERIFIED);
    assert_string_equal(id.dg1.surname, "DE BRUIJN");
    emrtd_identity_wipe(&id);
    /* secure messaging kept every APDU within libnfc's 262 bytes */
    assert_true(pn532_emu_count(emu, 0x40) > 10); /* InDataExchange */
    nfc_reader_close(r);
    pn532_emu_stop(emu);
    emrtd_chip_free(c);
    emrtd_specimen_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dutch_card_with_can_verified),
        cmocka_unit_test(tampered_signer_expired_each_their_result),
        cmocka_unit_test(wrong_can_counts_down_then_blocks),
        cmocka_unit_test(card_taken_away_mid_read),
        cmocka_unit_test(older_document_bac_with_mrz),
        cmocka_unit_test(through_libnfc_and_a_pn532),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
