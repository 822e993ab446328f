/* What a hostile card sends in secure messaging. The first byte chooses the cipher (bits 0-1),
 * what the rest is (bits 2-3) and the caller's buffer (bits 4-7):
 *   0  a protected response as received (most fail the MAC: the parser before it is fuzzed);
 *   1  the data objects of a response, given a valid DO'8E' and SW here: what a card with the
 *      keys could send (decryption, padding, DO'99' after the MAC check are fuzzed);
 *   2  a protected command for the card side, as received, or MACed like 1 when its first
 *      byte is odd;
 *   3  round trips: a plain APDU through wrap_command/unwrap_command, data and SW through
 *      wrap_response/unwrap_response, which must give back what went in.
 * Every input also goes to BAC's answer checks, both sides (Appendix D keys and challenges).
 * Findings abort. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nfc/emrtd_sm.h"

static const uint8_t KS_ENC[32] = {0x97, 0x9E, 0xC1, 0x3B, 0x1C, 0xBF, 0xE9, 0xDC, 0xD0, 0x1A, 0xB0,
                                   0xFE, 0xD3, 0x07, 0xEA, 0xE5, 1,    2,    3,    4,    5,    6,
                                   7,    8,    9,    10,   11,   12,   13,   14,   15,   16};
static const uint8_t KS_MAC[32] = {0xF1, 0xCB, 0x1F, 0x1F, 0xB5, 0xAD, 0xF2, 0x08, 0x80, 0x6B, 0x89,
                                   0xDC, 0x57, 0x9D, 0xC1, 0xF8, 16,   15,   14,   13,   12,   11,
                                   10,   9,    8,    7,    6,    5,    4,    3,    2,    1};
static const uint8_t SSC[16] = {0x88, 0x70, 0x22, 0x12, 0x0C, 0x06, 0xC2, 0x26,
                                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};

static void fresh(emrtd_sm *sm, emrtd_cipher c)
{
    if (emrtd_sm_init(sm, c, KS_ENC, KS_MAC, SSC) != EMRTD_SM_OK)
        abort();
}

/* MAC for the next SSC over [head padded] || dos, padded, into mac. */
static void seal(const emrtd_sm *sm, const uint8_t *head, const uint8_t *dos, size_t n,
                 uint8_t mac[8])
{
    size_t bs = emrtd_cipher_block(sm->cipher);
    uint8_t in[600];
    size_t p = bs;
    memcpy(in, sm->ssc, bs);
    in[bs - 1]++; /* SSC ends in 0x10: no carry */
    if (head) {
        memcpy(in + p, head, 4);
        p = emrtd_pad(in, p + 4, sizeof in, bs);
    }
    memcpy(in + p, dos, n);
    p = emrtd_pad(in, p + n, sizeof in, bs);
    if (!p || emrtd_mac(sm->cipher, sm->ks_mac, in, p, mac) != EMRTD_SM_OK)
        abort();
}

static void check(emrtd_sm_status st, const emrtd_sm *sm, size_t len, size_t cap)
{
    if (st == EMRTD_SM_OK) {
        if (!sm->open || len > cap)
            abort();
    } else if (sm->open || len != 0 || st == EMRTD_SM_ERR_ARG || st == EMRTD_SM_ERR_CLOSED) {
        abort(); /* a failed check ends the session and gives nothing back */
    }
}

static void response(emrtd_cipher c, bool sealed, const uint8_t *in, size_t n, size_t cap)
{
    emrtd_sm sm;
    fresh(&sm, c);
    uint8_t resp[600], data[256];
    size_t len = n;
    if (n > 500)
        return;
    memcpy(resp, in, n);
    if (sealed) {
        resp[n] = 0x8E;
        resp[n + 1] = 0x08;
        seal(&sm, NULL, in, n, resp + n + 2);
        resp[n + 10] = 0x90;
        resp[n + 11] = 0x00;
        len = n + 12;
    }
    size_t got = 0;
    uint16_t sw = 0;
    emrtd_sm_status st = emrtd_sm_unwrap_response(&sm, resp, len, data, cap, &got, &sw);
    check(st, &sm, got, cap);
    if (st == EMRTD_SM_ERR_UNPROTECTED && len != 2)
        abort();
}

static void command(emrtd_cipher c, const uint8_t *in, size_t n, size_t cap)
{
    emrtd_sm sm;
    fresh(&sm, c);
    uint8_t cmd[600], apdu[300];
    size_t len = n;
    if (n > 500)
        return;
    memcpy(cmd, in, n);
    if (n >= 1 && (in[0] & 1)) { /* header 0C B0 00 00, Lc, the DOs, DO'8E', Le */
        static const uint8_t head[4] = {0x0C, 0xB0, 0x00, 0x00};
        size_t dos = n - 1;
        if (dos + 10 > 255)
            return;
        memcpy(cmd, head, 4);
        cmd[4] = (uint8_t)(dos + 10);
        memcpy(cmd + 5, in + 1, dos);
        cmd[5 + dos] = 0x8E;
        cmd[6 + dos] = 0x08;
        seal(&sm, head, in + 1, dos, cmd + 7 + dos);
        cmd[15 + dos] = 0x00;
        len = 16 + dos;
    }
    size_t got = 0;
    emrtd_sm_status st = emrtd_sm_unwrap_command(&sm, cmd, len, apdu, cap, &got);
    check(st, &sm, got, cap);
}

static void round_trip(emrtd_cipher c, const uint8_t *in, size_t n)
{
    emrtd_sm t, k;
    fresh(&t, c);
    fresh(&k, c);
    uint8_t cmd[CARD_IO_MAX_COMMAND], apdu[300], resp[CARD_IO_MAX_RESPONSE], data[256];
    size_t len = 0, got = 0;
    uint16_t sw = 0;
    /* a command APDU: the input as it is (wrap refuses what is no short APDU) */
    emrtd_sm_status st = emrtd_sm_wrap_command(&t, in, n, cmd, sizeof cmd, &len);
    if (st == EMRTD_SM_OK) {
        if (len > CARD_IO_MAX_COMMAND ||
            emrtd_sm_unwrap_command(&k, cmd, len, apdu, sizeof apdu, &got) != EMRTD_SM_OK ||
            got != n || memcmp(apdu + 1, in + 1, n - 1) != 0 || apdu[0] != (in[0] & ~0x0C))
            abort();
    } else if (st != EMRTD_SM_ERR_ARG && st != EMRTD_SM_ERR_TOO_LONG) {
        abort();
    } else {
        fresh(&t, c);
        fresh(&k, c);
    }
    /* an answer: SW from the first two bytes, data the rest */
    if (n < 3)
        return;
    uint16_t want_sw = (uint16_t)(in[0] << 8 | in[1]);
    size_t dlen = n - 3;
    st = emrtd_sm_wrap_response(&k, in[2], in + 3, dlen, want_sw, resp, sizeof resp, &len);
    if (st == EMRTD_SM_ERR_TOO_LONG) {
        if (dlen <= EMRTD_SM_MAX_READ)
            abort(); /* every safe read length fits */
        return;
    }
    if (st != EMRTD_SM_OK || len > CARD_IO_MAX_RESPONSE ||
        emrtd_sm_unwrap_response(&t, resp, len, data, sizeof data, &got, &sw) != EMRTD_SM_OK ||
        got != dlen || sw != want_sw || (dlen && memcmp(data, in + 3, dlen) != 0))
        abort();
}

static void bac(const uint8_t *in, size_t n)
{
    static const uint8_t seed[16] = {0x23, 0x9A, 0xB9, 0xCB, 0x28, 0x2D, 0xAF, 0x66,
                                     0x23, 0x1D, 0xC5, 0xA4, 0xDF, 0x6B, 0xFB, 0xAE};
    static const uint8_t rnd_ic[8] = {0x46, 0x08, 0xF9, 0x19, 0x88, 0x70, 0x22, 0x12};
    static const uint8_t rnd_ifd[8] = {0x78, 0x17, 0x23, 0x86, 0x0C, 0x06, 0xC2, 0x26};
    static const uint8_t k_ifd[16] = {0x0B, 0x79, 0x52, 0x40, 0xCB, 0x70, 0x49, 0xB0,
                                      0x1C, 0x19, 0xB3, 0x3E, 0x32, 0x80, 0x4F, 0x0B};
    static const uint8_t k_ic[16] = {0x0B, 0x4F, 0x80, 0x32, 0x3E, 0xB3, 0x19, 0x1C,
                                     0xB0, 0x49, 0x70, 0xCB, 0x40, 0x52, 0x79, 0x0B};
    emrtd_bac b;
    emrtd_sm sm;
    uint8_t cmd[EMRTD_BAC_DATA], answer[EMRTD_BAC_DATA], resp[EMRTD_BAC_DATA];
    /* the Appendix D exchange: the only answers that may pass are the right ones */
    if (emrtd_bac_start(&b, seed, rnd_ic, rnd_ifd, k_ifd, cmd) != EMRTD_SM_OK ||
        emrtd_bac_card_answer(seed, rnd_ic, k_ic, cmd, sizeof cmd, answer, &sm) != EMRTD_SM_OK)
        abort();
    bool right = n == EMRTD_BAC_DATA && memcmp(in, answer, n) == 0;
    if ((emrtd_bac_finish(&b, in, n, &sm) == EMRTD_SM_OK) != right || sm.open != right)
        abort();
    right = n == EMRTD_BAC_DATA && memcmp(in, cmd, n) == 0;
    if ((emrtd_bac_card_answer(seed, rnd_ic, k_ic, in, n, resp, &sm) == EMRTD_SM_OK) != right ||
        sm.open != right)
        abort();
    emrtd_sm_clear(&sm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t mode = data[0];
    const uint8_t *in = data + 1;
    size_t n = size - 1;
    emrtd_cipher c = (emrtd_cipher)(EMRTD_CIPHER_3DES + (mode & 3));
    static const size_t caps[16] = {256, 0, 1, 2, 3, 4, 7, 8, 15, 16, 17, 31, 64, 200, 223, 255};
    size_t cap = caps[mode >> 4];
    switch ((mode >> 2) & 3) {
    case 0:
        response(c, false, in, n, cap);
        break;
    case 1:
        response(c, true, in, n, cap);
        break;
    case 2:
        command(c, in, n, cap < 6 ? 261 : cap);
        break;
    default:
        round_trip(c, in, n);
        break;
    }
    bac(in, n);
    return 0;
}

#ifdef LOKET_FUZZ_STANDALONE
#include "standalone.h"
#endif
