/* The libnfc transport against the real libnfc 1.8 stack: libnfc's pn532_uart driver talks to a
 * PN532 emulator on a pseudo-terminal (tests/support/pn532_emu), whose simulated chips answer
 * the APDUs. Opening, polling A and B cards, APDUs through card_io (up to libnfc's 262 bytes,
 * answers of 256 bytes + SW in extended frames), the guards (too long, no status word), the
 * card leaving, a slow reader, and readers that are not there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <nfc/nfc.h>

#include "nfc/nfc_libnfc.h"
#include "pn532_emu.h"

/* ---- simulated chips ---- */

typedef enum { CHIP_ECHO, CHIP_NO_SW, CHIP_EMPTY } chip_mode;

typedef struct test_chip {
    chip_mode mode;
    int exchanges;  /* APDUs answered */
    int gone_after; /* > 0: the card leaves after this many APDUs */
    int delay_ms;   /* the chip thinks this long before answering */
} test_chip;

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* SELECT: 9000; READ BINARY: Le bytes (0 = 256) 00 01 02 ... and 9000; anything else: its data
 * field back and 9000. */
static size_t chip_answer(void *ctx, const uint8_t *apdu, size_t n, uint8_t *resp, size_t cap)
{
    test_chip *c = ctx;
    if (c->gone_after > 0 && c->exchanges >= c->gone_after)
        return PN532_EMU_GONE;
    c->exchanges++;
    if (c->delay_ms > 0)
        sleep_ms(c->delay_ms);
    if (c->mode == CHIP_NO_SW) {
        resp[0] = 0x90; /* one byte: half a status word */
        return 1;
    }
    if (c->mode == CHIP_EMPTY)
        return 0;
    size_t r = 0;
    if (n >= 4 && apdu[1] == 0xb0) {
        size_t le = n >= 5 ? (apdu[4] ? apdu[4] : 256) : 0;
        for (; r < le && r + 2 <= cap; r++)
            resp[r] = (uint8_t)r;
    } else if (n >= 4 && apdu[1] != 0xa4 && n > 5) {
        size_t lc = apdu[4];
        for (; r < lc && 5 + r < n && r + 2 <= cap; r++)
            resp[r] = apdu[5 + r];
    }
    resp[r++] = 0x90;
    resp[r++] = 0x00;
    return r;
}

static const pn532_emu_card PASSPORT = {
    .type = 'A',
    .uid = {0x08, 0x3c, 0x5a, 0x71},
    .uid_len = 4,
    .atqa = {0x00, 0x08},
    .sak = 0x20,
    .ats = {0x78, 0x77, 0x94, 0x02, 0x80},
    .ats_len = 5,
};

static const pn532_emu_card ID_CARD_B = {
    .type = 'B',
    .pupi = {0x4f, 0x12, 0xa0, 0x3e},
    .app_data = {0x00, 0x00, 0x00, 0x00},
    .prot_info = {0x00, 0x81, 0x81}, /* ISO14443-4, 256-byte frames */
};

static const uint8_t SELECT_MF[] = {0x00, 0xa4, 0x00, 0x0c, 0x02, 0x3f, 0x00};

typedef struct fixture {
    pn532_emu *emu;
    test_chip chip;
    nfc_reader *reader;
    char connstring[128];
} fixture;

static fixture *start(const pn532_emu_card *card, test_chip chip)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->chip = chip;
    f->emu = pn532_emu_start(card, chip_answer, &f->chip);
    assert_non_null(f->emu);
    snprintf(f->connstring, sizeof f->connstring, "pn532_uart:%s", pn532_emu_path(f->emu));
    char err[300] = "";
    f->reader = nfc_reader_open(f->connstring, err, sizeof err);
    if (!f->reader)
        fail_msg("open %s: %s", f->connstring, err);
    return f;
}

static void stop(fixture *f)
{
    nfc_reader_close(f->reader);
    pn532_emu_stop(f->emu);
    free(f);
}

static card_io_status xchg(fixture *f, const uint8_t *cmd, size_t n, uint8_t *resp, size_t cap,
                           size_t *rn, int timeout_ms)
{
    card_io *io = nfc_reader_card_io(f->reader);
    return io->transceive(io, cmd, n, resp, cap, rn, timeout_ms);
}

static void poll_card(fixture *f, nfc_card_info *card)
{
    int res = nfc_reader_poll(f->reader, 1000, card);
    if (res != 1)
        fail_msg("poll: %d %s", res, nfc_reader_error(f->reader));
}

/* ---- tests ---- */

static void opens_and_finds_a_type_a_card(void **state)
{
    (void)state;
    fixture *f = start(&PASSPORT, (test_chip){0});
    /* what libnfc sent while opening and setting up the reader */
    assert_true(pn532_emu_count(f->emu, 0x14) >= 1);    /* SAMConfiguration (wake-up) */
    assert_int_equal(pn532_emu_count(f->emu, 0x00), 1); /* Diagnose: communication test */
    assert_int_equal(pn532_emu_count(f->emu, 0x02), 1); /* GetFirmwareVersion */
    assert_true(pn532_emu_count(f->emu, 0x32) >= 2);    /* RFConfiguration: field off, on */
    assert_non_null(strstr(nfc_reader_name(f->reader), pn532_emu_path(f->emu)));

    nfc_card_info card;
    poll_card(f, &card);
    assert_int_equal(card.type, NFC_CARD_TYPE_A);
    assert_true(card.iso14443_4);
    assert_int_equal(card.sak, 0x20);
    assert_memory_equal(card.atqa, PASSPORT.atqa, 2);
    assert_int_equal(card.id_len, 4);
    assert_memory_equal(card.id, PASSPORT.uid, 4);
    assert_int_equal(card.ats_len, PASSPORT.ats_len);
    assert_memory_equal(card.ats, PASSPORT.ats, PASSPORT.ats_len);
    assert_int_equal(nfc_reader_card_present(f->reader), 1);
    nfc_card_info_wipe(&card);
    assert_int_equal(card.id_len, 0);

    stop(f);
}

static void finds_a_type_b_card(void **state)
{
    (void)state;
    fixture *f = start(&ID_CARD_B, (test_chip){0});
    nfc_card_info card;
    poll_card(f, &card);
    assert_int_equal(card.type, NFC_CARD_TYPE_B);
    assert_true(card.iso14443_4);
    assert_int_equal(card.id_len, 4);
    assert_memory_equal(card.id, ID_CARD_B.pupi, 4);
    assert_memory_equal(card.prot_info, ID_CARD_B.prot_info, 3);
    uint8_t resp[CARD_IO_MAX_RESPONSE];
    size_t rn = 0;
    assert_int_equal(xchg(f, SELECT_MF, sizeof SELECT_MF, resp, sizeof resp, &rn, 2000),
                     CARD_IO_OK);
    assert_int_equal(rn, 2);
    assert_int_equal(nfc_reader_card_present(f->reader), 1);
    pn532_emu_set_present(f->emu, false);
    assert_int_equal(nfc_reader_card_present(f->reader), 0);
    stop(f);
}

static void no_card_within_the_wait(void **state)
{
    (void)state;
    fixture *f = start(&PASSPORT, (test_chip){0});
    pn532_emu_set_present(f->emu, false);
    nfc_card_info card;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(nfc_reader_poll(f->reader, 300, &card), 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    assert_true(ms >= 250 && ms < 1500);
    assert_int_equal(nfc_reader_card_present(f->reader), 0);
    uint8_t resp[4];
    size_t rn = 0;
    assert_int_equal(xchg(f, SELECT_MF, sizeof SELECT_MF, resp, sizeof resp, &rn, 1000),
                     CARD_IO_GONE);
    /* the card is put on the reader */
    pn532_emu_set_present(f->emu, true);
    assert_int_equal(nfc_reader_poll(f->reader, 0, &card), 1);
    stop(f);
}

static void apdus_through_card_io(void **state)
{
    (void)state;
    fixture *f = start(&PASSPORT, (test_chip){0});
    nfc_card_info card;
    poll_card(f, &card);
    uint8_t resp[CARD_IO_MAX_RESPONSE];
    size_t rn = 0;

    assert_int_equal(xchg(f, SELECT_MF, sizeof SELECT_MF, resp, sizeof resp, &rn, 3000),
                     CARD_IO_OK);
    assert_int_equal(rn, 2);
    assert_int_equal(resp[0], 0x90);
    assert_int_equal(resp[1], 0x00);

    /* data echoed */
    const uint8_t put[] = {0x00, 0xda, 0x01, 0x02, 0x03, 0xca, 0xfe, 0x42};
    assert_int_equal(xchg(f, put, sizeof put, resp, sizeof resp, &rn, 3000), CARD_IO_OK);
    assert_int_equal(rn, 5);
    assert_memory_equal(resp, ((uint8_t[]){0xca, 0xfe, 0x42, 0x90, 0x00}), 5);

    /* 256 bytes and SW: the longest short answer, an extended frame from the reader */
    const uint8_t read256[] = {0x00, 0xb0, 0x00, 0x00, 0x00};
    assert_int_equal(xchg(f, read256, sizeof read256, resp, sizeof resp, &rn, 3000), CARD_IO_OK);
    assert_int_equal(rn, 258);
    for (size_t i = 0; i < 256; i++)
        assert_int_equal(resp[i], (uint8_t)i);
    assert_int_equal(resp[256], 0x90);

    /* 262 bytes: libnfc's longest command, an extended frame to the reader */
    uint8_t big[CARD_IO_MAX_COMMAND + 1];
    memset(big, 0x5a, sizeof big);
    big[0] = 0x00;
    big[1] = 0xd6;
    big[4] = 0xff;
    assert_int_equal(xchg(f, big, CARD_IO_MAX_COMMAND, resp, sizeof resp, &rn, 3000), CARD_IO_OK);
    assert_int_equal(pn532_emu_last_apdu_len(f->emu), CARD_IO_MAX_COMMAND);

    /* one byte more is refused before libnfc copies it into its fixed buffer */
    unsigned before = pn532_emu_count(f->emu, 0x40);
    assert_int_equal(xchg(f, big, CARD_IO_MAX_COMMAND + 1, resp, sizeof resp, &rn, 3000),
                     CARD_IO_BROKEN);
    assert_int_equal(rn, 0);
    assert_int_equal(pn532_emu_count(f->emu, 0x40), before);
    assert_non_null(strstr(nfc_reader_error(f->reader), "263 bytes"));
    assert_int_equal(xchg(f, big, 0, resp, sizeof resp, &rn, 3000), CARD_IO_BROKEN);
    assert_int_equal(pn532_emu_count(f->emu, 0x40), before);

    /* an answer longer than the caller's room */
    assert_int_equal(xchg(f, read256, sizeof read256, resp, 100, &rn, 3000), CARD_IO_BROKEN);
    assert_int_equal(rn, 0);

    /* still talking afterwards */
    assert_int_equal(xchg(f, SELECT_MF, sizeof SELECT_MF, resp, sizeof resp, &rn, 3000),
                     CARD_IO_OK);
    assert_int_equal(f->chip.exchanges, 6);
    stop(f);
}

static void answers_without_status_word_are_broken(void **state)
{
    (void)state;
    fixture *f = start(&PASSPORT, (test_chip){.mode = CHIP_NO_SW});
    nfc_card_info card;
    poll_card(f, &card);
    uint8_t resp[CARD_IO_MAX_RESPONSE];
    size_t rn = 99;
    assert_int_equal(xchg(f, SELECT_MF, sizeof SELECT_MF, resp, sizeof resp, &rn, 2000),
                     CARD_IO_BROKEN);
    assert_int_equal(rn, 0);
    assert_non_null(strstr(nfc_reader_error(f->reader), "no status word"));
    f->chip.mode = CHIP_EMPTY; /* nothing at all after the PN532's status byte */
    assert_int_equal(xchg(f, SELECT_MF, sizeof SELECT_MF, resp, sizeof resp, &rn, 2000),
                     CARD_IO_BROKEN);
    assert_int_equal(rn, 0);
    stop(f);
}

static void card_taken_away(void **state)
{
    (void)state;
    fixture *f = start(&PASSPORT, (test_chip){.gone_after = 2});
    nfc_card_info card;
    poll_card(f, &card);
    uint8_t resp[CARD_IO_MAX_RESPONSE];
    size_t rn = 0;
    for (int i = 0; i < 2; i++)
        assert_int_equal(xchg(f, SELECT_MF, sizeof SELECT_MF, resp, sizeof resp, &rn, 2000),
                         CARD_IO_OK);
    assert_int_equal(xchg(f, SELECT_MF, sizeof SELECT_MF, resp, sizeof resp, &rn, 2000),
                     CARD_IO_GONE);
    assert_int_equal(rn, 0);
    assert_int_equal(nfc_reader_card_present(f->reader), 0);
    assert_int_equal(xchg(f, SELECT_MF, sizeof SELECT_MF, resp, sizeof resp, &rn, 2000),
                     CARD_IO_GONE);
    assert_int_equal(nfc_reader_poll(f->reader, 0, &card), 0);

    /* put back: found again */
    f->chip.gone_after = 0;
    pn532_emu_set_present(f->emu, true);
    poll_card(f, &card);
    assert_int_equal(nfc_reader_card_present(f->reader), 1);
    /* taken away between two APDUs: the presence check notices */
    pn532_emu_set_present(f->emu, false);
    assert_int_equal(nfc_reader_card_present(f->reader), 0);
    stop(f);
}

/* Badges that speak no APDUs: a MIFARE Classic (libnfc checks it by selecting it again by its
 * UID) and an unknown type A card (libnfc cannot check it: selected again here). */
static void badges_without_apdus(void **state)
{
    (void)state;
    pn532_emu_card badges[] = {
        {.type = 'A',
         .uid = {0x04, 0xa2, 0x2b, 0x5c, 0x11, 0x62, 0x80},
         .uid_len = 7,
         .atqa = {0x00, 0x44},
         .sak = 0x08},
        {.type = 'A', .uid = {0xde, 0xad, 0xbe, 0xef}, .uid_len = 4, .atqa = {0x00, 0x04}},
    };
    for (size_t i = 0; i < sizeof badges / sizeof badges[0]; i++) {
        fixture *f = start(&badges[i], (test_chip){0});
        nfc_card_info card;
        poll_card(f, &card);
        assert_false(card.iso14443_4);
        assert_int_equal(card.sak, badges[i].sak);
        assert_int_equal(card.id_len, badges[i].uid_len);
        assert_memory_equal(card.id, badges[i].uid, badges[i].uid_len);
        assert_int_equal(card.ats_len, 0);
        unsigned lists = pn532_emu_count(f->emu, 0x4a);
        assert_int_equal(nfc_reader_card_present(f->reader), 1);
        assert_int_equal(pn532_emu_count(f->emu, 0x4a), lists + 1); /* selected again */
        pn532_emu_set_present(f->emu, false);
        assert_int_equal(nfc_reader_card_present(f->reader), 0);
        stop(f);
    }
}

static void exchanges_wait_seconds_not_libnfc_default(void **state)
{
    (void)state;
    fixture *f = start(&PASSPORT, (test_chip){.delay_ms = 600});
    nfc_card_info card;
    poll_card(f, &card);
    uint8_t resp[CARD_IO_MAX_RESPONSE];
    size_t rn = 0;
    /* a slow chip (600 ms, more than libnfc's 350 ms default) within a 2 s timeout */
    assert_int_equal(xchg(f, SELECT_MF, sizeof SELECT_MF, resp, sizeof resp, &rn, 2000),
                     CARD_IO_OK);
    /* and the default timeout of card_io (<= 0) is seconds too */
    assert_int_equal(xchg(f, SELECT_MF, sizeof SELECT_MF, resp, sizeof resp, &rn, 0), CARD_IO_OK);
    /* not within 200 ms */
    assert_int_equal(xchg(f, SELECT_MF, sizeof SELECT_MF, resp, sizeof resp, &rn, 200),
                     CARD_IO_TIMEOUT);
    assert_int_equal(rn, 0);
    /* the late answer is dropped; the next exchange is fine */
    assert_true(pn532_emu_wait_idle(f->emu, 2000));
    sleep_ms(50);
    f->chip.delay_ms = 0;
    assert_int_equal(xchg(f, SELECT_MF, sizeof SELECT_MF, resp, sizeof resp, &rn, 2000),
                     CARD_IO_OK);
    assert_int_equal(rn, 2);
    stop(f);
}

static void closing_puts_the_reader_to_sleep(void **state)
{
    (void)state;
    test_chip chip = {0};
    pn532_emu *emu = pn532_emu_start(&PASSPORT, chip_answer, &chip);
    assert_non_null(emu);
    char cs[128], err[300];
    snprintf(cs, sizeof cs, "pn532_uart:%s", pn532_emu_path(emu));
    nfc_reader *r = nfc_reader_open(cs, err, sizeof err);
    assert_non_null(r);
    nfc_card_info card;
    assert_int_equal(nfc_reader_poll(r, 500, &card), 1);
    nfc_reader_release(r);
    assert_int_equal(pn532_emu_count(emu, 0x44), 1); /* InDeselect */
    assert_int_equal(nfc_reader_card_present(r), 0);
    nfc_reader_close(r);
    assert_true(pn532_emu_count(emu, 0x52) >= 1);    /* InRelease */
    assert_int_equal(pn532_emu_count(emu, 0x16), 1); /* PowerDown */
    /* and it opens again */
    r = nfc_reader_open(cs, err, sizeof err);
    assert_non_null(r);
    assert_int_equal(nfc_reader_poll(r, 500, &card), 1);
    nfc_reader_close(r);
    pn532_emu_stop(emu);
}

static void readers_that_are_not_there(void **state)
{
    (void)state;
    char err[300];
    assert_null(nfc_reader_open("pn532_uart:/dev/loket-no-such-reader", err, sizeof err));
    assert_non_null(strstr(err, "reader not found at pn532_uart:/dev/loket-no-such-reader"));
    assert_null(nfc_reader_open("", err, sizeof err));
    assert_non_null(strstr(err, "no card reader configured"));
    assert_null(nfc_reader_open(NULL, err, sizeof err));
    assert_null(nfc_reader_open("nfc_magic:/dev/ttyS0", err, sizeof err));
    assert_non_null(strstr(err, "reader not found at nfc_magic:/dev/ttyS0"));
    assert_non_null(strstr(err, "no driver 'nfc_magic'"));
    /* a file that is no serial port */
    assert_null(nfc_reader_open("pn532_uart:/dev/null", err, sizeof err));
    assert_non_null(strstr(err, "reader not found at pn532_uart:/dev/null"));
    /* a serial port where nothing answers: bounded by libnfc's 1 s for the wake-up */
    pn532_emu *emu = pn532_emu_start(&PASSPORT, NULL, NULL);
    assert_non_null(emu);
    pn532_emu_set_mute(emu, true);
    char cs[128];
    snprintf(cs, sizeof cs, "pn532_uart:%s", pn532_emu_path(emu));
    assert_null(nfc_reader_open(cs, err, sizeof err));
    assert_non_null(strstr(err, "reader not found at pn532_uart:/dev/pts/"));
    assert_non_null(strstr(err, "nothing there answers"));
    pn532_emu_stop(emu);
}

/* The emulator's InAutoPoll, through libnfc's own nfc_initiator_poll_target (what nfc-poll
 * uses), with a context of this test's own. */
static void emulator_answers_inautopoll(void **state)
{
    (void)state;
    pn532_emu *emu = pn532_emu_start(&PASSPORT, NULL, NULL);
    assert_non_null(emu);
    nfc_connstring cs; /* nfc_open() takes a whole nfc_connstring */
    snprintf(cs, sizeof cs, "pn532_uart:%s", pn532_emu_path(emu));
    nfc_context *c = NULL;
    nfc_init(&c);
    assert_non_null(c);
    nfc_device *d = nfc_open(c, cs);
    assert_non_null(d);
    assert_true(nfc_initiator_init(d) >= 0);
    const nfc_modulation mods[] = {{.nmt = NMT_ISO14443A, .nbr = NBR_106},
                                   {.nmt = NMT_ISO14443B, .nbr = NBR_106}};
    nfc_target nt;
    memset(&nt, 0, sizeof nt);
    assert_int_equal(nfc_initiator_poll_target(d, mods, 2, 1, 1, &nt), 1);
    assert_int_equal(pn532_emu_count(emu, 0x60), 1);
    assert_int_equal(nt.nm.nmt, NMT_ISO14443A);
    assert_int_equal(nt.nti.nai.szUidLen, 4);
    assert_memory_equal(nt.nti.nai.abtUid, PASSPORT.uid, 4);
    assert_int_equal(nt.nti.nai.szAtsLen, PASSPORT.ats_len);
    assert_int_equal(nfc_initiator_target_is_present(d, NULL), 0);
    pn532_emu_set_present(emu, false);
    assert_int_equal(nfc_initiator_poll_target(d, mods, 2, 1, 1, &nt), 0);
    nfc_close(d);
    nfc_exit(c);
    pn532_emu_stop(emu);
}

int main(void)
{
    /* libnfc quiet, no scanning; its /etc/nfc/libnfc.conf is read but these come after it.
     * LIBNFC_LOG_LEVEL=3 in the environment shows libnfc's frames. */
    setenv("LIBNFC_LOG_LEVEL", "0", 0);
    setenv("LIBNFC_AUTO_SCAN", "false", 1);
    setenv("LIBNFC_INTRUSIVE_SCAN", "false", 1);
    unsetenv("LIBNFC_DEVICE");
    unsetenv("LIBNFC_DEFAULT_DEVICE");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(opens_and_finds_a_type_a_card),
        cmocka_unit_test(finds_a_type_b_card),
        cmocka_unit_test(no_card_within_the_wait),
        cmocka_unit_test(apdus_through_card_io),
        cmocka_unit_test(answers_without_status_word_are_broken),
        cmocka_unit_test(card_taken_away),
        cmocka_unit_test(badges_without_apdus),
        cmocka_unit_test(exchanges_wait_seconds_not_libnfc_default),
        cmocka_unit_test(closing_puts_the_reader_to_sleep),
        cmocka_unit_test(readers_that_are_not_there),
        cmocka_unit_test(emulator_answers_inautopoll),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
