/* BAC and secure messaging (ICAO 9303-11): the Appendix D worked example byte for byte, from
 * both the terminal's and the card's side; AES and 3DES round trips; hostile answers (every bit
 * flipped, every truncation, malformed data objects) refused; BAC over a card_io with a small
 * simulated chip that uses the card-side functions. Independent references (CMAC test vectors,
 * an AES secure messaging command computed here with plain OpenSSL calls) guard against both
 * sides sharing one mistake. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "nfc/emrtd_sm.h"

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
    size_t n = strlen(s) / 2;
    assert_true(strlen(s) % 2 == 0 && n <= cap);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        assert_int_equal(sscanf(s + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
    return n;
}

static void assert_hex(const uint8_t *b, size_t n, const char *want)
{
    uint8_t w[512];
    size_t wn = unhex(want, w, sizeof w);
    if (n != wn || memcmp(b, w, n) != 0) {
        char got[1025];
        for (size_t i = 0; i < n && i < 512; i++)
            sprintf(got + 2 * i, "%02X", b[i]);
        fail_msg("got %s\nwant %s", n ? got : "(empty)", want);
    }
}

/* ---- ICAO 9303-11 Appendix D ---- */

#define D_SEED "239AB9CB282DAF66231DC5A4DF6BFBAE"
#define D_KENC "AB94FDECF2674FDFB9B391F85D7F76F2"
#define D_KMAC "7962D9ECE03D1ACD4C76089DCE131543"
#define D_RND_IC "4608F91988702212"
#define D_RND_IFD "781723860C06C226"
#define D_K_IFD "0B795240CB7049B01C19B33E32804F0B"
#define D_K_IC "0B4F80323EB3191CB04970CB4052790B"
#define D_EA_CMD "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A7"
#define D_EA_RESP "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449"
#define D_KSENC "979EC13B1CBFE9DCD01AB0FED307EAE5"
#define D_KSMAC "F1CB1F1FB5ADF208806B89DC579DC1F8"
#define D_SSC "887022120C06C226"

/* The protected exchanges of D.4: plain command, protected command, protected answer, data. */
static const struct {
    const char *plain, *cmd, *resp, *data;
} D_EXCHANGES[] = {
    {"00A4020C02011E", "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800",
     "990290008E08FA855A5D4C50A8ED9000", ""},
    {"00B0000004", "0CB000000D9701048E08ED6705417E96BA5500",
     "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000", "60145F01"},
    {"00B0000412", "0CB000040D9701128E082EA28A70F3C7B53500",
     "871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000",
     "04303130365F36063034303030305C026175"},
};

static void appendix_d_sm(emrtd_sm *sm)
{
    uint8_t enc[16], mac[16], ssc[8];
    unhex(D_KSENC, enc, sizeof enc);
    unhex(D_KSMAC, mac, sizeof mac);
    unhex(D_SSC, ssc, sizeof ssc);
    assert_int_equal(emrtd_sm_init(sm, EMRTD_CIPHER_3DES, enc, mac, ssc), EMRTD_SM_OK);
}

static void appendix_d_mrz_information(void **state)
{
    (void)state;
    char info[EMRTD_MRZ_INFO_MAX + 1];
    assert_int_equal(emrtd_mrz_information("L898902C<", "690806", "940623", info, sizeof info),
                     EMRTD_SM_OK);
    assert_string_equal(info, "L898902C<369080619406236");
    /* a short number is filled with '<'; lower case counts as capitals */
    assert_int_equal(emrtd_mrz_information("l898902c", "690806", "940623", info, sizeof info),
                     EMRTD_SM_OK);
    assert_string_equal(info, "L898902C<369080619406236");
    /* a Dutch-style number without filler and a long one (check digit over all of it) */
    assert_int_equal(emrtd_mrz_information("SPECI2014", "650310", "240309", info, sizeof info),
                     EMRTD_SM_OK);
    assert_string_equal(info, "SPECI2014265031012403096");
    assert_int_equal(emrtd_mrz_information("D23145890734", "340712", "950712", info, sizeof info),
                     EMRTD_SM_OK);
    assert_string_equal(info, "D23145890734934071279507122");
    assert_int_equal(emrtd_mrz_check_digit("L898902C<", 9), '3');
    assert_int_equal(emrtd_mrz_check_digit("690806", 6), '1');
    assert_int_equal(emrtd_mrz_check_digit("940623", 6), '6');
    assert_int_equal(emrtd_mrz_check_digit("AB-", 3), -1);

    /* malformed fields and small buffers */
    assert_int_equal(emrtd_mrz_information("", "690806", "940623", info, sizeof info),
                     EMRTD_SM_ERR_ARG);
    assert_int_equal(emrtd_mrz_information("L8989-2C", "690806", "940623", info, sizeof info),
                     EMRTD_SM_ERR_ARG);
    assert_int_equal(emrtd_mrz_information("L898902C", "69086", "940623", info, sizeof info),
                     EMRTD_SM_ERR_ARG);
    assert_int_equal(emrtd_mrz_information("L898902C", "690806", "9406230", info, sizeof info),
                     EMRTD_SM_ERR_ARG);
    assert_int_equal(emrtd_mrz_information("L898902C", "6908O6", "940623", info, sizeof info),
                     EMRTD_SM_ERR_ARG);
    assert_int_equal(
        emrtd_mrz_information("ABCDEFGHIJKLMNOPQRSTUVW", "690806", "940623", info, sizeof info),
        EMRTD_SM_ERR_ARG);
    assert_int_equal(emrtd_mrz_information("L898902C<", "690806", "940623", info, 24),
                     EMRTD_SM_ERR_TOO_LONG);
    assert_int_equal(emrtd_mrz_information("L898902C<", "690806", "940623", info, 25), EMRTD_SM_OK);
}

static void appendix_d_keys_from_mrz(void **state)
{
    (void)state;
    uint8_t seed[EMRTD_SEED_BYTES], k[EMRTD_MAX_KEY], h[20], ref[20];
    assert_int_equal(emrtd_mrz_key_seed("L898902C<", "690806", "940623", seed), EMRTD_SM_OK);
    assert_hex(seed, sizeof seed, D_SEED);
    assert_int_equal(emrtd_mrz_hash("L898902C<", "690806", "940623", h), EMRTD_SM_OK);
    SHA1((const unsigned char *)"L898902C<369080619406236", 24, ref);
    assert_memory_equal(h, ref, 20);
    assert_int_equal(emrtd_derive_key(seed, sizeof seed, EMRTD_KDF_ENC, EMRTD_CIPHER_3DES, k),
                     EMRTD_SM_OK);
    assert_hex(k, 16, D_KENC);
    assert_int_equal(emrtd_derive_key(seed, sizeof seed, EMRTD_KDF_MAC, EMRTD_CIPHER_3DES, k),
                     EMRTD_SM_OK);
    assert_hex(k, 16, D_KMAC);
    assert_int_equal(emrtd_mrz_key_seed("L898902C<", "690806", "94062", seed), EMRTD_SM_ERR_ARG);
}

/* AES keys are the hash cut short (SHA-1 for 128, SHA-256 for 192 and 256), 3DES keys have odd
 * parity; the reference hashes come from OpenSSL's one-shot functions. */
static void kdf_for_every_cipher(void **state)
{
    (void)state;
    uint8_t secret[24], in[28], h1[20], h256[32], k[EMRTD_MAX_KEY];
    for (size_t i = 0; i < sizeof secret; i++)
        secret[i] = (uint8_t)(i * 7 + 1);
    memcpy(in, secret, sizeof secret);
    memcpy(in + 24, (uint8_t[]){0, 0, 0, 3}, 4);
    SHA1(in, sizeof in, h1);
    SHA256(in, sizeof in, h256);
    assert_int_equal(
        emrtd_derive_key(secret, sizeof secret, EMRTD_KDF_PACE, EMRTD_CIPHER_AES128, k),
        EMRTD_SM_OK);
    assert_memory_equal(k, h1, 16);
    assert_int_equal(
        emrtd_derive_key(secret, sizeof secret, EMRTD_KDF_PACE, EMRTD_CIPHER_AES192, k),
        EMRTD_SM_OK);
    assert_memory_equal(k, h256, 24);
    assert_int_equal(
        emrtd_derive_key(secret, sizeof secret, EMRTD_KDF_PACE, EMRTD_CIPHER_AES256, k),
        EMRTD_SM_OK);
    assert_memory_equal(k, h256, 32);
    assert_int_equal(emrtd_derive_key(secret, sizeof secret, EMRTD_KDF_PACE, EMRTD_CIPHER_3DES, k),
                     EMRTD_SM_OK);
    for (int i = 0; i < 16; i++) {
        assert_int_equal(k[i] & 0xFE, h1[i] & 0xFE);
        assert_int_equal(__builtin_popcount(k[i]) % 2, 1);
    }
    assert_int_equal(emrtd_derive_key(secret, sizeof secret, 1, (emrtd_cipher)0, k),
                     EMRTD_SM_ERR_ARG);
}

/* RFC 4493 / SP 800-38B CMAC vectors, truncated to 8 bytes. */
static void cmac_known_answers(void **state)
{
    (void)state;
    uint8_t key[32], msg[16], mac[8];
    unhex("6BC1BEE22E409F96E93D7E117393172A", msg, sizeof msg);
    unhex("2B7E151628AED2A6ABF7158809CF4F3C", key, sizeof key);
    assert_int_equal(emrtd_mac(EMRTD_CIPHER_AES128, key, msg, 0, mac), EMRTD_SM_OK);
    assert_hex(mac, 8, "BB1D6929E9593728");
    assert_int_equal(emrtd_mac(EMRTD_CIPHER_AES128, key, msg, 16, mac), EMRTD_SM_OK);
    assert_hex(mac, 8, "070A16B46B4D4144");
    unhex("8E73B0F7DA0E6452C810F32B809079E562F8EAD2522C6B7B", key, sizeof key);
    assert_int_equal(emrtd_mac(EMRTD_CIPHER_AES192, key, msg, 16, mac), EMRTD_SM_OK);
    assert_hex(mac, 8, "9E99A7BF31E71090");
    unhex("603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4", key, sizeof key);
    assert_int_equal(emrtd_mac(EMRTD_CIPHER_AES256, key, msg, 16, mac), EMRTD_SM_OK);
    assert_hex(mac, 8, "28A7023F452E8F82");
    /* the retail MAC wants whole blocks */
    assert_int_equal(emrtd_mac(EMRTD_CIPHER_3DES, key, msg, 12, mac), EMRTD_SM_ERR_ARG);
    assert_int_equal(emrtd_mac(EMRTD_CIPHER_3DES, key, msg, 0, mac), EMRTD_SM_ERR_ARG);
}

static void appendix_d_bac(void **state)
{
    (void)state;
    uint8_t seed[16], rnd_ic[8], rnd_ifd[8], k_ifd[16], k_ic[16], cmd[40], resp[40], ea[40];
    unhex(D_SEED, seed, sizeof seed);
    unhex(D_RND_IC, rnd_ic, sizeof rnd_ic);
    unhex(D_RND_IFD, rnd_ifd, sizeof rnd_ifd);
    unhex(D_K_IFD, k_ifd, sizeof k_ifd);
    unhex(D_K_IC, k_ic, sizeof k_ic);
    unhex(D_EA_RESP, ea, sizeof ea);

    emrtd_bac bac;
    assert_int_equal(emrtd_bac_start(&bac, seed, rnd_ic, rnd_ifd, k_ifd, cmd), EMRTD_SM_OK);
    assert_hex(bac.k_enc, 16, D_KENC);
    assert_hex(bac.k_mac, 16, D_KMAC);
    assert_hex(cmd, sizeof cmd, D_EA_CMD);

    /* the card's side gives the card's answer of the example */
    emrtd_sm card, terminal;
    assert_int_equal(emrtd_bac_card_answer(seed, rnd_ic, k_ic, cmd, sizeof cmd, resp, &card),
                     EMRTD_SM_OK);
    assert_hex(resp, sizeof resp, D_EA_RESP);

    assert_int_equal(emrtd_bac_finish(&bac, ea, sizeof ea, &terminal), EMRTD_SM_OK);
    assert_true(terminal.open);
    assert_int_equal(terminal.cipher, EMRTD_CIPHER_3DES);
    assert_hex(terminal.ks_enc, 16, D_KSENC);
    assert_hex(terminal.ks_mac, 16, D_KSMAC);
    assert_hex(terminal.ssc, 8, D_SSC);
    assert_memory_equal(&terminal, &card, sizeof card);
    /* finish wiped the BAC state */
    static const emrtd_bac zero;
    assert_memory_equal(&bac, &zero, sizeof zero);
}

static void appendix_d_secure_messaging(void **state)
{
    (void)state;
    emrtd_sm terminal, card;
    appendix_d_sm(&terminal);
    appendix_d_sm(&card);
    for (size_t i = 0; i < sizeof D_EXCHANGES / sizeof D_EXCHANGES[0]; i++) {
        uint8_t plain[64], cmd[262], apdu[262], resp[258], wire[258], data[256], want[64];
        size_t plain_len = unhex(D_EXCHANGES[i].plain, plain, sizeof plain), n = 0, m = 0;
        size_t want_len = unhex(D_EXCHANGES[i].data, want, sizeof want);
        uint16_t sw = 0;
        /* terminal: the protected command */
        assert_int_equal(emrtd_sm_wrap_command(&terminal, plain, plain_len, cmd, sizeof cmd, &n),
                         EMRTD_SM_OK);
        assert_hex(cmd, n, D_EXCHANGES[i].cmd);
        /* card: the plain command back, then the protected answer of the example */
        assert_int_equal(emrtd_sm_unwrap_command(&card, cmd, n, apdu, sizeof apdu, &m),
                         EMRTD_SM_OK);
        assert_hex(apdu, m, D_EXCHANGES[i].plain);
        assert_int_equal(
            emrtd_sm_wrap_response(&card, apdu[1], want, want_len, 0x9000, resp, sizeof resp, &m),
            EMRTD_SM_OK);
        assert_hex(resp, m, D_EXCHANGES[i].resp);
        /* terminal: the example's answer opened */
        size_t wire_len = unhex(D_EXCHANGES[i].resp, wire, sizeof wire);
        assert_int_equal(
            emrtd_sm_unwrap_response(&terminal, wire, wire_len, data, sizeof data, &n, &sw),
            EMRTD_SM_OK);
        assert_int_equal(sw, 0x9000);
        assert_hex(data, n, D_EXCHANGES[i].data);
    }
    assert_memory_equal(&terminal, &card, sizeof card);
    assert_hex(terminal.ssc, 8, "887022120C06C22C");
}

/* The AES protected SELECT computed here step by step with plain OpenSSL: IV = E(KSenc, SSC)
 * after the increment, header and data padded to 16 bytes, CMAC over SSC || header || DO'87'. */
static void aes_command_matches_independent_computation(void **state)
{
    (void)state;
    uint8_t enc[16], mac[16], ssc[16] = {0}, iv[16], block[16], crypt[16], macin[64], full[16];
    for (int i = 0; i < 16; i++) {
        enc[i] = (uint8_t)(0x10 + i);
        mac[i] = (uint8_t)(0xA0 + i);
    }
    ssc[15] = 0x41;
    emrtd_sm sm;
    assert_int_equal(emrtd_sm_init(&sm, EMRTD_CIPHER_AES128, enc, mac, ssc), EMRTD_SM_OK);
    static const uint8_t select[] = {0x00, 0xA4, 0x02, 0x0C, 0x02, 0x01, 0x1E};
    uint8_t out[262];
    size_t n = 0;
    assert_int_equal(emrtd_sm_wrap_command(&sm, select, sizeof select, out, sizeof out, &n),
                     EMRTD_SM_OK);

    ssc[15] = 0x42;
    int l = 0, l2 = 0;
    EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
    assert_true(EVP_EncryptInit_ex(x, EVP_aes_128_ecb(), NULL, enc, NULL));
    EVP_CIPHER_CTX_set_padding(x, 0);
    assert_true(EVP_EncryptUpdate(x, iv, &l, ssc, 16));
    memset(block, 0, sizeof block);
    block[0] = 0x01, block[1] = 0x1E, block[2] = 0x80;
    assert_true(EVP_EncryptInit_ex(x, EVP_aes_128_cbc(), NULL, enc, iv));
    EVP_CIPHER_CTX_set_padding(x, 0);
    assert_true(EVP_EncryptUpdate(x, crypt, &l, block, 16));
    assert_true(EVP_EncryptFinal_ex(x, crypt + l, &l2));
    EVP_CIPHER_CTX_free(x);
    memset(macin, 0, sizeof macin);
    memcpy(macin, ssc, 16);
    memcpy(macin + 16, (uint8_t[]){0x0C, 0xA4, 0x02, 0x0C, 0x80}, 5);
    memcpy(macin + 32, (uint8_t[]){0x87, 0x11, 0x01}, 3);
    memcpy(macin + 35, crypt, 16);
    macin[51] = 0x80; /* padded to 64 */
    size_t fl = 0;
    EVP_MAC *m = EVP_MAC_fetch(NULL, "CMAC", NULL);
    EVP_MAC_CTX *mc = EVP_MAC_CTX_new(m);
    OSSL_PARAM p[] = {OSSL_PARAM_construct_utf8_string("cipher", "AES-128-CBC", 0),
                      OSSL_PARAM_construct_end()};
    assert_true(EVP_MAC_init(mc, mac, 16, p));
    assert_true(EVP_MAC_update(mc, macin, 64));
    assert_true(EVP_MAC_final(mc, full, &fl, sizeof full));
    EVP_MAC_CTX_free(mc);
    EVP_MAC_free(m);

    uint8_t want[64];
    size_t w = 0;
    memcpy(want, (uint8_t[]){0x0C, 0xA4, 0x02, 0x0C, 0x1D, 0x87, 0x11, 0x01}, 8);
    w = 8;
    memcpy(want + w, crypt, 16);
    w += 16;
    want[w++] = 0x8E;
    want[w++] = 0x08;
    memcpy(want + w, full, 8);
    w += 8;
    want[w++] = 0x00;
    assert_int_equal(n, w);
    assert_memory_equal(out, want, w);
}

/* ---- round trips ---- */

static const emrtd_cipher CIPHERS[] = {EMRTD_CIPHER_3DES, EMRTD_CIPHER_AES128, EMRTD_CIPHER_AES192,
                                       EMRTD_CIPHER_AES256};

static void random_pair(emrtd_cipher c, const uint8_t *ssc, emrtd_sm *a, emrtd_sm *b)
{
    uint8_t enc[32], mac[32];
    assert_int_equal(RAND_bytes(enc, sizeof enc), 1);
    assert_int_equal(RAND_bytes(mac, sizeof mac), 1);
    assert_int_equal(emrtd_sm_init(a, c, enc, mac, ssc), EMRTD_SM_OK);
    assert_int_equal(emrtd_sm_init(b, c, enc, mac, ssc), EMRTD_SM_OK);
}

/* One exchange through both sides; checks the card saw apdu and the terminal got data, sw. */
static void exchange(emrtd_sm *terminal, emrtd_sm *card, const uint8_t *apdu, size_t apdu_len,
                     const uint8_t *data, size_t data_len, uint16_t sw)
{
    uint8_t cmd[262], plain[262], resp[258], got[256];
    size_t n = 0, m = 0;
    uint16_t got_sw = 0;
    assert_int_equal(emrtd_sm_wrap_command(terminal, apdu, apdu_len, cmd, sizeof cmd, &n),
                     EMRTD_SM_OK);
    assert_true(n <= CARD_IO_MAX_COMMAND);
    assert_int_equal(cmd[0], apdu[0] | 0x0C);
    assert_int_equal(cmd[n - 1], 0x00);
    assert_int_equal(emrtd_sm_unwrap_command(card, cmd, n, plain, sizeof plain, &m), EMRTD_SM_OK);
    assert_int_equal(m, apdu_len);
    assert_memory_equal(plain, apdu, apdu_len);
    assert_int_equal(
        emrtd_sm_wrap_response(card, apdu[1], data, data_len, sw, resp, sizeof resp, &n),
        EMRTD_SM_OK);
    assert_true(n <= CARD_IO_MAX_RESPONSE);
    assert_int_equal(emrtd_sm_unwrap_response(terminal, resp, n, got, sizeof got, &m, &got_sw),
                     EMRTD_SM_OK);
    assert_int_equal(got_sw, sw);
    assert_int_equal(m, data_len);
    if (data_len)
        assert_memory_equal(got, data, data_len);
    assert_memory_equal(terminal, card, sizeof *card);
}

static void round_trips_every_cipher(void **state)
{
    (void)state;
    uint8_t data[256], apdu[262];
    assert_int_equal(RAND_bytes(data, sizeof data), 1);
    for (size_t ci = 0; ci < 4; ci++) {
        emrtd_cipher c = CIPHERS[ci];
        size_t bs = emrtd_cipher_block(c);
        /* an SSC about to carry over into every byte */
        uint8_t ssc[16];
        memset(ssc, 0xFF, sizeof ssc);
        ssc[0] = 0x00;
        emrtd_sm t, k;
        random_pair(c, ssc, &t, &k);
        assert_int_equal(emrtd_sm_max_read(&t), EMRTD_SM_MAX_READ);

        /* case 1, case 2 (Le 00 too), case 3, case 4, odd INS with DO'85' */
        exchange(&t, &k, (uint8_t[]){0x00, 0x44, 0x00, 0x00}, 4, NULL, 0, 0x9000);
        /* 00FF..FF + 2: the carry ran through every byte */
        for (size_t i = 0; i < bs; i++)
            assert_int_equal(t.ssc[i], i == 0 || i == bs - 1 ? 0x01 : 0x00);
        exchange(&t, &k, (uint8_t[]){0x00, 0x84, 0x00, 0x00, 0x08}, 5, data, 8, 0x9000);
        exchange(&t, &k, (uint8_t[]){0x00, 0xB0, 0x00, 0x00, 0x00}, 5, data, 3, 0x6282);
        exchange(&t, &k, (uint8_t[]){0x00, 0xA4, 0x02, 0x0C, 0x02, 0x01, 0x1E}, 7, NULL, 0, 0x9000);
        exchange(&t, &k, (uint8_t[]){0x00, 0xA4, 0x04, 0x00, 0x02, 0x01, 0x1E, 0x00}, 8, data, 30,
                 0x9000);
        exchange(&t, &k, (uint8_t[]){0x00, 0xB1, 0x00, 0x00, 0x04, 0x54, 0x02, 0x01, 0x00, 0x20},
                 10, data, 0x20, 0x9000);
        exchange(&t, &k, (uint8_t[]){0x00, 0xB0, 0x00, 0x00, 0x10}, 5, NULL, 0, 0x6A82);
        assert_int_equal(t.ssc[bs - 1], 0x0D); /* 14 increments from 00FF..FF */

        /* every command data length that fits, every read length up to the safe maximum */
        for (size_t lc = 1; lc <= 255; lc++) {
            apdu[0] = 0x00, apdu[1] = 0xD6, apdu[2] = 0x00, apdu[3] = 0x00;
            apdu[4] = (uint8_t)lc;
            memcpy(apdu + 5, data, lc);
            uint8_t cmd[262];
            size_t n = 0;
            emrtd_sm copy = t;
            emrtd_sm_status st = emrtd_sm_wrap_command(&copy, apdu, 5 + lc, cmd, sizeof cmd, &n);
            size_t padded = (lc / bs + 1) * bs;
            size_t dos = 1 + (padded + 1 < 0x80 ? 1 : 2) + 1 + padded + 10;
            if (dos > 255) {
                assert_int_equal(st, EMRTD_SM_ERR_TOO_LONG);
                assert_memory_equal(&copy, &t, sizeof t); /* nothing changed */
                continue;
            }
            assert_int_equal(st, EMRTD_SM_OK);
            exchange(&t, &k, apdu, 5 + lc, NULL, 0, 0x9000);
        }
        for (size_t le = 1; le <= emrtd_sm_max_read(&t); le++)
            exchange(&t, &k, (uint8_t[]){0x00, 0xB0, 0x00, 0x00, (uint8_t)le}, 5, data, le, 0x9000);
    }
}

static void limits_and_malformed_commands(void **state)
{
    (void)state;
    emrtd_sm t, k;
    random_pair(EMRTD_CIPHER_AES256, NULL, &t, &k);
    uint8_t cmd[262], apdu[300] = {0x00, 0xD6, 0x00, 0x00};
    size_t n = 0;
    /* extended length, inconsistent Lc, too short: refused without touching the session */
    uint8_t ext[] = {0x00, 0xB0, 0x00, 0x00, 0x00, 0x01, 0x00};
    assert_int_equal(emrtd_sm_wrap_command(&t, ext, sizeof ext, cmd, sizeof cmd, &n),
                     EMRTD_SM_ERR_ARG);
    apdu[4] = 3;
    assert_int_equal(emrtd_sm_wrap_command(&t, apdu, 7, cmd, sizeof cmd, &n), EMRTD_SM_ERR_ARG);
    assert_int_equal(emrtd_sm_wrap_command(&t, apdu, 10, cmd, sizeof cmd, &n), EMRTD_SM_ERR_ARG);
    assert_int_equal(emrtd_sm_wrap_command(&t, apdu, 3, cmd, sizeof cmd, &n), EMRTD_SM_ERR_ARG);
    /* a buffer too small */
    assert_int_equal(emrtd_sm_wrap_command(&t, apdu, 8, cmd, 20, &n), EMRTD_SM_ERR_TOO_LONG);
    /* the largest AES command data with Le: 223 bytes (DO'87' 228 + DO'97' 3 + DO'8E' 10 within
     * a short Lc), without Le: 239 (DO'87' 244 + DO'8E' 10) */
    apdu[4] = 223;
    assert_int_equal(emrtd_sm_wrap_command(&t, apdu, 5 + 223 + 1, cmd, sizeof cmd, &n),
                     EMRTD_SM_OK);
    assert_true(n <= CARD_IO_MAX_COMMAND);
    assert_int_equal(cmd[4], n - 6);
    apdu[4] = 224;
    assert_int_equal(emrtd_sm_wrap_command(&t, apdu, 5 + 224 + 1, cmd, sizeof cmd, &n),
                     EMRTD_SM_ERR_TOO_LONG);
    apdu[4] = 239;
    assert_int_equal(emrtd_sm_wrap_command(&t, apdu, 5 + 239, cmd, sizeof cmd, &n), EMRTD_SM_OK);
    assert_int_equal(n, 5 + 254 + 1);
    apdu[4] = 240;
    assert_int_equal(emrtd_sm_wrap_command(&t, apdu, 5 + 240, cmd, sizeof cmd, &n),
                     EMRTD_SM_ERR_TOO_LONG);
    assert_true(t.open);
    assert_int_equal(t.ssc[15], 2);

    /* the card refuses answers that would not fit a short response */
    uint8_t big[256] = {0}, resp[300];
    assert_int_equal(emrtd_sm_wrap_response(&k, 0xB0, big, 240, 0x9000, resp, sizeof resp, &n),
                     EMRTD_SM_ERR_TOO_LONG);
    assert_int_equal(emrtd_sm_wrap_response(&k, 0xB0, big, 0xDF, 0x9000, resp, 100, &n),
                     EMRTD_SM_ERR_TOO_LONG);
    assert_int_equal(k.ssc[15], 0);

    /* a closed session refuses everything */
    emrtd_sm closed;
    emrtd_sm_clear(&closed);
    uint16_t sw;
    assert_int_equal(emrtd_sm_wrap_command(&closed, apdu, 4, cmd, sizeof cmd, &n),
                     EMRTD_SM_ERR_CLOSED);
    assert_int_equal(emrtd_sm_unwrap_response(&closed, resp, 16, big, sizeof big, &n, &sw),
                     EMRTD_SM_ERR_CLOSED);
    assert_int_equal(emrtd_sm_unwrap_command(&closed, cmd, 16, big, sizeof big, &n),
                     EMRTD_SM_ERR_CLOSED);
    assert_int_equal(emrtd_sm_wrap_response(&closed, 0xB0, NULL, 0, 0x9000, resp, sizeof resp, &n),
                     EMRTD_SM_ERR_CLOSED);
}

/* ---- hostile answers ---- */

/* The unwrap functions on a heap copy of exactly len bytes: AddressSanitizer sees any read past
 * what the card sent. */
static emrtd_sm_status unwrap_exact(emrtd_sm *sm, const uint8_t *resp, size_t len, uint8_t *data,
                                    size_t cap, size_t *n, uint16_t *sw)
{
    uint8_t *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    if (len)
        memcpy(copy, resp, len);
    emrtd_sm_status st = emrtd_sm_unwrap_response(sm, copy, len, data, cap, n, sw);
    free(copy);
    return st;
}

static emrtd_sm_status unwrap_command_exact(emrtd_sm *sm, const uint8_t *cmd, size_t len,
                                            uint8_t *apdu, size_t cap, size_t *n)
{
    uint8_t *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    if (len)
        memcpy(copy, cmd, len);
    emrtd_sm_status st = emrtd_sm_unwrap_command(sm, copy, len, apdu, cap, n);
    free(copy);
    return st;
}

/* A protected answer with data, for cipher c; sm left just before unwrapping it. */
static size_t sample_response(emrtd_cipher c, emrtd_sm *terminal, uint8_t *resp)
{
    emrtd_sm card;
    random_pair(c, NULL, terminal, &card);
    uint8_t data[40];
    for (int i = 0; i < 40; i++)
        data[i] = (uint8_t)i;
    size_t n = 0;
    assert_int_equal(emrtd_sm_wrap_response(&card, 0xB0, data, sizeof data, 0x9000, resp, 258, &n),
                     EMRTD_SM_OK);
    return n;
}

static void every_bit_flip_rejected(void **state)
{
    (void)state;
    for (size_t ci = 0; ci <= 4; ci++) {
        uint8_t resp[258], data[256];
        size_t len = 0;
        emrtd_sm fresh;
        if (ci == 4) { /* the Appendix D answer with data */
            appendix_d_sm(&fresh);
            fresh.ssc[7] = 0x29; /* just before the answer to READ BINARY */
            len = unhex(D_EXCHANGES[1].resp, resp, sizeof resp);
        } else {
            len = sample_response(CIPHERS[ci], &fresh, resp);
        }
        size_t n = 0;
        uint16_t sw = 0;
        emrtd_sm sm = fresh;
        assert_int_equal(emrtd_sm_unwrap_response(&sm, resp, len, data, sizeof data, &n, &sw),
                         EMRTD_SM_OK);
        for (size_t bit = 0; bit < len * 8; bit++) {
            resp[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            sm = fresh;
            memset(data, 0xAA, sizeof data);
            emrtd_sm_status st = unwrap_exact(&sm, resp, len, data, sizeof data, &n, &sw);
            if (st == EMRTD_SM_OK)
                fail_msg("cipher %zu: bit %zu flipped was accepted", ci, bit);
            assert_false(sm.open);
            assert_int_equal(n, 0);
            for (size_t i = 0; i < sizeof data; i++)
                assert_int_equal(data[i], 0); /* nothing of it left for the caller */
            resp[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
    }
}

static void every_truncation_rejected(void **state)
{
    (void)state;
    for (size_t ci = 0; ci <= 4; ci++) {
        uint8_t resp[260], data[256];
        size_t len = 0;
        emrtd_sm fresh;
        if (ci == 4) {
            appendix_d_sm(&fresh);
            fresh.ssc[7] = 0x2B; /* before the answer to the second READ BINARY */
            len = unhex(D_EXCHANGES[2].resp, resp, sizeof resp);
        } else {
            len = sample_response(CIPHERS[ci], &fresh, resp);
        }
        size_t n = 0;
        uint16_t sw = 0;
        for (size_t cut = 0; cut < len; cut++) {
            emrtd_sm sm = fresh;
            emrtd_sm_status st = unwrap_exact(&sm, resp, cut, data, sizeof data, &n, &sw);
            if (st == EMRTD_SM_OK)
                fail_msg("cipher %zu: cut to %zu bytes was accepted", ci, cut);
            assert_false(sm.open);
            /* the same bytes with the SW put back at the end */
            if (cut >= 2 && cut < len) {
                uint8_t re[260];
                memcpy(re, resp, cut - 2);
                re[cut - 2] = 0x90, re[cut - 1] = 0x00;
                sm = fresh;
                assert_int_not_equal(unwrap_exact(&sm, re, cut, data, sizeof data, &n, &sw),
                                     EMRTD_SM_OK);
            }
        }
        /* one byte too many */
        emrtd_sm sm = fresh;
        resp[len] = 0x00;
        assert_int_not_equal(unwrap_exact(&sm, resp, len + 1, data, sizeof data, &n, &sw),
                             EMRTD_SM_OK);
        sm = fresh;
        assert_int_equal(emrtd_sm_unwrap_response(&sm, resp, len, data, sizeof data, &n, &sw),
                         EMRTD_SM_OK);
    }
}

/* Builds a response from the data objects dos (before DO'8E') with a valid MAC for the SSC
 * after the increment, then sw: what a card with the keys could send. */
static size_t forge(const emrtd_sm *sm, const uint8_t *dos, size_t dos_len, uint16_t sw,
                    uint8_t *out)
{
    size_t bs = emrtd_cipher_block(sm->cipher);
    uint8_t in[300], ssc[16];
    memcpy(ssc, sm->ssc, 16);
    for (size_t i = bs; i-- > 0;)
        if (++ssc[i] != 0)
            break;
    memcpy(in, ssc, bs);
    memcpy(in + bs, dos, dos_len);
    size_t n = emrtd_pad(in, bs + dos_len, sizeof in, bs);
    assert_true(n > 0);
    memcpy(out, dos, dos_len);
    out[dos_len] = 0x8E;
    out[dos_len + 1] = 0x08;
    assert_int_equal(emrtd_mac(sm->cipher, sm->ks_mac, in, n, out + dos_len + 2), EMRTD_SM_OK);
    out[dos_len + 10] = (uint8_t)(sw >> 8);
    out[dos_len + 11] = (uint8_t)sw;
    return dos_len + 12;
}

/* A DO'87' around plain (already padded or not: exactly as given) encrypted for sm's next SSC. */
static size_t crypto_do(const emrtd_sm *sm, const uint8_t *plain, size_t len, uint8_t *out)
{
    uint8_t iv[16] = {0}, ssc[16];
    memcpy(ssc, sm->ssc, 16);
    for (size_t i = emrtd_cipher_block(sm->cipher); i-- > 0;)
        if (++ssc[i] != 0)
            break;
    if (sm->cipher != EMRTD_CIPHER_3DES)
        assert_int_equal(emrtd_cbc(sm->cipher, sm->ks_enc, NULL, true, ssc, 16, iv), EMRTD_SM_OK);
    out[0] = 0x87;
    out[1] = (uint8_t)(len + 1);
    out[2] = 0x01;
    assert_int_equal(emrtd_cbc(sm->cipher, sm->ks_enc, iv, true, plain, len, out + 3), EMRTD_SM_OK);
    return 3 + len;
}

static emrtd_sm_status unwrap_forged(const emrtd_sm *fresh, const uint8_t *dos, size_t dos_len,
                                     uint16_t sw, size_t cap)
{
    uint8_t resp[300], data[256];
    size_t n = 0;
    uint16_t got = 0;
    size_t len = forge(fresh, dos, dos_len, sw, resp);
    emrtd_sm sm = *fresh;
    emrtd_sm_status st = unwrap_exact(&sm, resp, len, data, cap, &n, &got);
    if (st != EMRTD_SM_OK)
        assert_false(sm.open);
    return st;
}

static void hostile_answers_refused(void **state)
{
    (void)state;
    for (size_t ci = 0; ci < 4; ci++) {
        emrtd_sm fresh, card;
        random_pair(CIPHERS[ci], NULL, &fresh, &card);
        size_t bs = emrtd_cipher_block(CIPHERS[ci]);
        uint8_t dos[300], plain[64];
        size_t n = 0;

        /* sanity: a forged answer with good padding is accepted */
        memcpy(plain, "ABC", 3);
        n = emrtd_pad(plain, 3, sizeof plain, bs);
        n = crypto_do(&fresh, plain, n, dos);
        memcpy(dos + n, (uint8_t[]){0x99, 0x02, 0x90, 0x00}, 4);
        assert_int_equal(unwrap_forged(&fresh, dos, n + 4, 0x9000, 256), EMRTD_SM_OK);
        /* ... but not into a buffer too small */
        assert_int_equal(unwrap_forged(&fresh, dos, n + 4, 0x9000, 2), EMRTD_SM_ERR_TOO_LONG);
        /* outer SW differs from DO'99' */
        assert_int_equal(unwrap_forged(&fresh, dos, n + 4, 0x6282, 256), EMRTD_SM_ERR_FORMAT);

        /* bad padding under a valid MAC: no 0x80, 0x80 not in the last block, junk after it */
        memset(plain, 0, sizeof plain);
        n = crypto_do(&fresh, plain, bs, dos);
        memcpy(dos + n, (uint8_t[]){0x99, 0x02, 0x90, 0x00}, 4);
        assert_int_equal(unwrap_forged(&fresh, dos, n + 4, 0x9000, 256), EMRTD_SM_ERR_PADDING);
        memset(plain, 0, sizeof plain);
        plain[bs - 1] = 0x80; /* a whole block of zeros after it */
        n = crypto_do(&fresh, plain, 2 * bs, dos);
        memcpy(dos + n, (uint8_t[]){0x99, 0x02, 0x90, 0x00}, 4);
        assert_int_equal(unwrap_forged(&fresh, dos, n + 4, 0x9000, 256), EMRTD_SM_ERR_PADDING);
        memset(plain, 0, sizeof plain);
        plain[2] = 0x80;
        plain[bs - 1] = 0x01;
        n = crypto_do(&fresh, plain, bs, dos);
        memcpy(dos + n, (uint8_t[]){0x99, 0x02, 0x90, 0x00}, 4);
        assert_int_equal(unwrap_forged(&fresh, dos, n + 4, 0x9000, 256), EMRTD_SM_ERR_PADDING);
        /* padding indicator other than 01 */
        memset(plain, 0, sizeof plain);
        plain[0] = 0x80;
        n = crypto_do(&fresh, plain, bs, dos);
        dos[2] = 0x02;
        memcpy(dos + n, (uint8_t[]){0x99, 0x02, 0x90, 0x00}, 4);
        assert_int_equal(unwrap_forged(&fresh, dos, n + 4, 0x9000, 256), EMRTD_SM_ERR_FORMAT);
        /* cryptogram not a whole number of blocks, or empty */
        memcpy(dos, (uint8_t[]){0x87, 0x04, 0x01, 1, 2, 3, 0x99, 0x02, 0x90, 0x00}, 10);
        assert_int_equal(unwrap_forged(&fresh, dos, 10, 0x9000, 256), EMRTD_SM_ERR_FORMAT);
        memcpy(dos, (uint8_t[]){0x87, 0x01, 0x01, 0x99, 0x02, 0x90, 0x00}, 7);
        assert_int_equal(unwrap_forged(&fresh, dos, 7, 0x9000, 256), EMRTD_SM_ERR_FORMAT);
        memcpy(dos, (uint8_t[]){0x87, 0x00, 0x99, 0x02, 0x90, 0x00}, 6);
        assert_int_equal(unwrap_forged(&fresh, dos, 6, 0x9000, 256), EMRTD_SM_ERR_FORMAT);
        /* no DO'99', a DO'99' of the wrong length, two DO'99', DOs in the wrong order */
        assert_int_equal(unwrap_forged(&fresh, dos, 0, 0x9000, 256), EMRTD_SM_ERR_FORMAT);
        memcpy(dos, (uint8_t[]){0x99, 0x01, 0x90}, 3);
        assert_int_equal(unwrap_forged(&fresh, dos, 3, 0x9000, 256), EMRTD_SM_ERR_FORMAT);
        memcpy(dos, (uint8_t[]){0x99, 0x02, 0x90, 0x00, 0x99, 0x02, 0x90, 0x00}, 8);
        assert_int_equal(unwrap_forged(&fresh, dos, 8, 0x9000, 256), EMRTD_SM_ERR_MAC);
        n = crypto_do(&fresh, (uint8_t[32]){0x80}, bs, dos + 4);
        memcpy(dos, (uint8_t[]){0x99, 0x02, 0x90, 0x00}, 4);
        assert_int_equal(unwrap_forged(&fresh, dos, n + 4, 0x9000, 256), EMRTD_SM_ERR_MAC);
        /* lengths that run past the end or are not BER */
        memcpy(dos, (uint8_t[]){0x87, 0x82, 0xFF, 0xFF, 0x01}, 5);
        assert_int_equal(unwrap_forged(&fresh, dos, 5, 0x9000, 256), EMRTD_SM_ERR_FORMAT);
        memcpy(dos, (uint8_t[]){0x87, 0x84, 0x00, 0x00, 0x00, 0x10}, 6);
        assert_int_equal(unwrap_forged(&fresh, dos, 6, 0x9000, 256), EMRTD_SM_ERR_FORMAT);
        memcpy(dos, (uint8_t[]){0x87, 0x80, 0x99, 0x02, 0x90, 0x00}, 6);
        assert_int_equal(unwrap_forged(&fresh, dos, 6, 0x9000, 256), EMRTD_SM_ERR_FORMAT);
        memcpy(dos, (uint8_t[]){0x87, 0x81}, 2);
        assert_int_equal(unwrap_forged(&fresh, dos, 2, 0x9000, 256), EMRTD_SM_ERR_FORMAT);
        memcpy(dos, (uint8_t[]){0x99, 0x82, 0x00}, 3);
        assert_int_equal(unwrap_forged(&fresh, dos, 3, 0x9000, 256), EMRTD_SM_ERR_FORMAT);

        /* unprotected status words: the card ended the session */
        uint8_t data[256];
        uint16_t sw = 0;
        emrtd_sm sm = fresh;
        assert_int_equal(
            emrtd_sm_unwrap_response(&sm, (uint8_t[]){0x69, 0x82}, 2, data, sizeof data, &n, &sw),
            EMRTD_SM_ERR_UNPROTECTED);
        assert_int_equal(sw, 0x6982);
        assert_false(sm.open);
        sm = fresh;
        assert_int_equal(
            emrtd_sm_unwrap_response(&sm, (uint8_t[]){0x69}, 1, data, sizeof data, &n, &sw),
            EMRTD_SM_ERR_FORMAT);
        /* a MAC that is right but from the wrong SSC (a replayed answer) */
        sm = fresh;
        sm.ssc[bs - 1] ^= 1;
        uint8_t resp[300];
        size_t len = forge(&sm, (uint8_t[]){0x99, 0x02, 0x90, 0x00}, 4, 0x9000, resp);
        sm = fresh;
        assert_int_equal(emrtd_sm_unwrap_response(&sm, resp, len, data, sizeof data, &n, &sw),
                         EMRTD_SM_ERR_MAC);
        /* bytes after DO'8E' (outside the MAC): a valid answer with one more DO before the SW */
        len = forge(&fresh, (uint8_t[]){0x99, 0x02, 0x90, 0x00}, 4, 0x9000, resp);
        memmove(resp + len, resp + len - 2, 2);
        memcpy(resp + len - 2, (uint8_t[]){0x99, 0x00}, 2);
        sm = fresh;
        assert_int_equal(unwrap_exact(&sm, resp, len + 2, data, sizeof data, &n, &sw),
                         EMRTD_SM_ERR_FORMAT);
        sm = fresh;
        assert_int_equal(unwrap_exact(&sm, resp, len - 2, (uint8_t[]){0}, 0, &n, &sw),
                         EMRTD_SM_ERR_FORMAT); /* no SW at all: the MAC's last bytes taken */
        /* anything longer than a short response */
        uint8_t huge[400] = {0x99, 0x02, 0x90, 0x00};
        sm = fresh;
        assert_int_equal(
            emrtd_sm_unwrap_response(&sm, huge, sizeof huge, data, sizeof data, &n, &sw),
            EMRTD_SM_ERR_FORMAT);
    }
}

/* The card side refuses tampered and malformed protected commands. */
static void hostile_commands_refused(void **state)
{
    (void)state;
    for (size_t ci = 0; ci < 4; ci++) {
        emrtd_sm t, fresh;
        random_pair(CIPHERS[ci], NULL, &t, &fresh);
        static const uint8_t update[] = {0x00, 0xD6, 0x00, 0x10, 0x05, 1, 2, 3, 4, 5, 0x00};
        uint8_t cmd[262], apdu[262];
        size_t len = 0, n = 0;
        assert_int_equal(emrtd_sm_wrap_command(&t, update, sizeof update, cmd, sizeof cmd, &len),
                         EMRTD_SM_OK);
        emrtd_sm k = fresh;
        assert_int_equal(emrtd_sm_unwrap_command(&k, cmd, len, apdu, sizeof apdu, &n), EMRTD_SM_OK);
        for (size_t bit = 0; bit < len * 8; bit++) {
            cmd[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            k = fresh;
            emrtd_sm_status st = unwrap_command_exact(&k, cmd, len, apdu, sizeof apdu, &n);
            /* the last byte (Le 00) is outside the MAC: any Le is taken */
            if (bit / 8 == len - 1)
                assert_int_equal(st, EMRTD_SM_OK);
            else if (st == EMRTD_SM_OK)
                fail_msg("cipher %zu: command bit %zu flipped was accepted", ci, bit);
            cmd[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
        for (size_t cut = 0; cut < len - 1; cut++) {
            k = fresh;
            assert_int_not_equal(unwrap_command_exact(&k, cmd, cut, apdu, sizeof apdu, &n),
                                 EMRTD_SM_OK);
            assert_false(k.open);
        }
        k = fresh;
        assert_int_equal(emrtd_sm_unwrap_command(&k, update, sizeof update, apdu, sizeof apdu, &n),
                         EMRTD_SM_ERR_UNPROTECTED);
        k = fresh;
        assert_int_equal(emrtd_sm_unwrap_command(&k, cmd, len, apdu, 6, &n), EMRTD_SM_ERR_TOO_LONG);
    }
}

/* ---- BAC ---- */

static void bac_answers_refused(void **state)
{
    (void)state;
    uint8_t seed[16], rnd_ic[8], rnd_ifd[8], k_ifd[16], cmd[40], ea[40];
    unhex(D_SEED, seed, sizeof seed);
    unhex(D_RND_IC, rnd_ic, sizeof rnd_ic);
    unhex(D_RND_IFD, rnd_ifd, sizeof rnd_ifd);
    unhex(D_K_IFD, k_ifd, sizeof k_ifd);
    unhex(D_EA_RESP, ea, sizeof ea);
    emrtd_bac bac;
    emrtd_sm sm;
    for (size_t bit = 0; bit < 40 * 8; bit++) {
        ea[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        assert_int_equal(emrtd_bac_start(&bac, seed, rnd_ic, rnd_ifd, k_ifd, cmd), EMRTD_SM_OK);
        assert_int_equal(emrtd_bac_finish(&bac, ea, sizeof ea, &sm), EMRTD_SM_ERR_MAC);
        assert_false(sm.open);
        ea[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
    for (size_t cut = 0; cut < 40; cut++) {
        assert_int_equal(emrtd_bac_start(&bac, seed, rnd_ic, rnd_ifd, k_ifd, cmd), EMRTD_SM_OK);
        assert_int_equal(emrtd_bac_finish(&bac, ea, cut, &sm), EMRTD_SM_ERR_FORMAT);
    }
    /* a right answer for another terminal's challenge */
    uint8_t other[8];
    memcpy(other, rnd_ifd, 8);
    other[7] ^= 1;
    assert_int_equal(emrtd_bac_start(&bac, seed, rnd_ic, other, k_ifd, cmd), EMRTD_SM_OK);
    assert_int_equal(emrtd_bac_finish(&bac, ea, sizeof ea, &sm), EMRTD_SM_ERR_AUTH);
    /* the card refuses a terminal that answers another challenge, or with the wrong keys */
    uint8_t k_ic[16], resp[40];
    unhex(D_K_IC, k_ic, sizeof k_ic);
    assert_int_equal(emrtd_bac_start(&bac, seed, rnd_ic, rnd_ifd, k_ifd, cmd), EMRTD_SM_OK);
    rnd_ic[0] ^= 1;
    assert_int_equal(emrtd_bac_card_answer(seed, rnd_ic, k_ic, cmd, sizeof cmd, resp, &sm),
                     EMRTD_SM_ERR_AUTH);
    rnd_ic[0] ^= 1;
    seed[0] ^= 1;
    assert_int_equal(emrtd_bac_card_answer(seed, rnd_ic, k_ic, cmd, sizeof cmd, resp, &sm),
                     EMRTD_SM_ERR_MAC);
    assert_false(sm.open);
    emrtd_bac_clear(&bac);
    /* fresh randomness: two starts differ */
    uint8_t cmd2[40];
    seed[0] ^= 1;
    assert_int_equal(emrtd_bac_start(&bac, seed, rnd_ic, NULL, NULL, cmd), EMRTD_SM_OK);
    assert_int_equal(emrtd_bac_start(&bac, seed, rnd_ic, NULL, NULL, cmd2), EMRTD_SM_OK);
    assert_memory_not_equal(cmd, cmd2, 40);
    emrtd_bac_clear(&bac);
}

/* A small chip behind a card_io: GET CHALLENGE, EXTERNAL AUTHENTICATE and, protected, SELECT
 * and READ BINARY of one file, all through the card-side functions. */
typedef enum {
    CHIP_GOOD,
    CHIP_WRONG_KEY,      /* a document with other MRZ data: 6300 */
    CHIP_GONE_AFTER_ONE, /* taken away after GET CHALLENGE */
    CHIP_SLOW,           /* never answers EXTERNAL AUTHENTICATE */
    CHIP_SHORT_ANSWER,   /* 30 bytes and 9000 to EXTERNAL AUTHENTICATE */
    CHIP_NO_SW,          /* one byte to GET CHALLENGE */
    CHIP_WRONG_MAC,      /* corrupts its answer to EXTERNAL AUTHENTICATE */
} chip_kind;

typedef struct {
    card_io io;
    chip_kind kind;
    uint8_t seed[16];
    uint8_t rnd_ic[8];
    bool challenged;
    emrtd_sm sm;
    int calls;
    int auth_timeout_ms;
    bool selected;
    uint8_t file[600];
} chip;

static void put_sw(uint8_t *resp, size_t *len, uint16_t sw)
{
    resp[*len] = (uint8_t)(sw >> 8);
    resp[*len + 1] = (uint8_t)sw;
    *len += 2;
}

static card_io_status chip_transceive(card_io *io, const uint8_t *cmd, size_t cmd_len,
                                      uint8_t *resp, size_t cap, size_t *resp_len, int timeout_ms)
{
    chip *c = io->ctx;
    assert_true(cmd_len <= CARD_IO_MAX_COMMAND);
    assert_true(cap >= CARD_IO_MAX_RESPONSE);
    assert_true(timeout_ms >= 1000); /* seconds, not 350 ms */
    *resp_len = 0;
    c->calls++;
    if (c->kind == CHIP_GONE_AFTER_ONE && c->calls > 1)
        return CARD_IO_GONE;
    if (cmd_len == 5 && cmd[0] == 0x00 && cmd[1] == 0x84 && cmd[4] == 8) {
        if (c->kind == CHIP_NO_SW) {
            resp[0] = 0x90;
            *resp_len = 1;
            return CARD_IO_OK;
        }
        assert_int_equal(RAND_bytes(c->rnd_ic, 8), 1);
        c->challenged = true;
        memcpy(resp, c->rnd_ic, 8);
        *resp_len = 8;
        put_sw(resp, resp_len, 0x9000);
        return CARD_IO_OK;
    }
    if (cmd_len == 46 && cmd[0] == 0x00 && cmd[1] == 0x82 && cmd[4] == 40 && cmd[45] == 40) {
        c->auth_timeout_ms = timeout_ms;
        if (c->kind == CHIP_SLOW)
            return CARD_IO_TIMEOUT;
        if (c->kind == CHIP_SHORT_ANSWER) {
            memset(resp, 0x11, 30);
            *resp_len = 30;
            put_sw(resp, resp_len, 0x9000);
            return CARD_IO_OK;
        }
        uint8_t k_ic[16];
        assert_int_equal(RAND_bytes(k_ic, sizeof k_ic), 1);
        emrtd_sm_status st = c->challenged ? emrtd_bac_card_answer(c->seed, c->rnd_ic, k_ic,
                                                                   cmd + 5, 40, resp, &c->sm)
                                           : EMRTD_SM_ERR_AUTH;
        c->challenged = false;
        if (st != EMRTD_SM_OK) {
            put_sw(resp, resp_len, 0x6300);
            return CARD_IO_OK;
        }
        if (c->kind == CHIP_WRONG_MAC)
            resp[39] ^= 0x40;
        *resp_len = 40;
        put_sw(resp, resp_len, 0x9000);
        return CARD_IO_OK;
    }
    if (c->sm.open && (cmd[0] & 0x0C) == 0x0C) {
        uint8_t apdu[262], data[256];
        size_t n = 0, dlen = 0;
        uint16_t sw = 0x9000;
        if (emrtd_sm_unwrap_command(&c->sm, cmd, cmd_len, apdu, sizeof apdu, &n) != EMRTD_SM_OK) {
            put_sw(resp, resp_len, 0x6988);
            return CARD_IO_OK;
        }
        if (apdu[1] == 0xA4 && n == 7 && apdu[5] == 0x01 && apdu[6] == 0x1E) {
            c->selected = true;
        } else if (apdu[1] == 0xB0 && n == 5 && c->selected) {
            size_t off = (size_t)apdu[2] << 8 | apdu[3], want = apdu[4] ? apdu[4] : 256;
            if (off >= sizeof c->file) {
                sw = 0x6B00;
            } else {
                dlen = sizeof c->file - off < want ? sizeof c->file - off : want;
                memcpy(data, c->file + off, dlen);
                if (dlen < want)
                    sw = 0x6282;
            }
        } else {
            sw = 0x6A82;
        }
        assert_int_equal(
            emrtd_sm_wrap_response(&c->sm, apdu[1], data, dlen, sw, resp, cap, resp_len),
            EMRTD_SM_OK);
        return CARD_IO_OK;
    }
    put_sw(resp, resp_len, 0x6D00);
    return CARD_IO_OK;
}

static void chip_init(chip *c, chip_kind kind)
{
    memset(c, 0, sizeof *c);
    c->io.transceive = chip_transceive;
    c->io.ctx = c;
    c->kind = kind;
    assert_int_equal(emrtd_mrz_key_seed(kind == CHIP_WRONG_KEY ? "L898902C<" : "SPECI2014",
                                        "650310", "240309", c->seed),
                     EMRTD_SM_OK);
    for (size_t i = 0; i < sizeof c->file; i++)
        c->file[i] = (uint8_t)(i * 13 + 5);
}

/* One protected exchange from the terminal through io. */
static emrtd_sm_status transmit(card_io *io, emrtd_sm *sm, const uint8_t *apdu, size_t len,
                                uint8_t *data, size_t cap, size_t *data_len, uint16_t *sw)
{
    uint8_t cmd[CARD_IO_MAX_COMMAND], resp[CARD_IO_MAX_RESPONSE];
    size_t n = 0, m = 0;
    emrtd_sm_status st = emrtd_sm_wrap_command(sm, apdu, len, cmd, sizeof cmd, &n);
    if (st != EMRTD_SM_OK)
        return st;
    assert_int_equal(io->transceive(io, cmd, n, resp, sizeof resp, &m, EMRTD_TIMEOUT_MS),
                     CARD_IO_OK);
    return emrtd_sm_unwrap_response(sm, resp, m, data, cap, data_len, sw);
}

static void bac_over_card_io_then_read_a_file(void **state)
{
    (void)state;
    chip c;
    chip_init(&c, CHIP_GOOD);
    uint8_t seed[16];
    assert_int_equal(emrtd_mrz_key_seed("SPECI2014", "650310", "240309", seed), EMRTD_SM_OK);
    emrtd_sm sm;
    assert_int_equal(emrtd_bac_run(&c.io, seed, &sm), EMRTD_SM_OK);
    assert_true(sm.open);
    assert_int_equal(c.calls, 2);
    assert_true(c.auth_timeout_ms >= 1000);
    assert_memory_equal(&sm, &c.sm, sizeof sm);

    uint8_t data[256], file[sizeof c.file];
    size_t n = 0, got = 0;
    uint16_t sw = 0;
    assert_int_equal(transmit(&c.io, &sm, (uint8_t[]){0x00, 0xA4, 0x02, 0x0C, 0x02, 0x01, 0x1E}, 7,
                              data, sizeof data, &n, &sw),
                     EMRTD_SM_OK);
    assert_int_equal(sw, 0x9000);
    size_t chunk = emrtd_sm_max_read(&sm);
    assert_int_equal(chunk, 0xDF);
    for (;;) {
        uint8_t rb[5] = {0x00, 0xB0, (uint8_t)(got >> 8), (uint8_t)got, (uint8_t)chunk};
        assert_int_equal(transmit(&c.io, &sm, rb, 5, data, sizeof data, &n, &sw), EMRTD_SM_OK);
        memcpy(file + got, data, n);
        got += n;
        if (sw == 0x6282)
            break;
        assert_int_equal(sw, 0x9000);
    }
    assert_int_equal(got, sizeof c.file);
    assert_memory_equal(file, c.file, sizeof file);
    /* a file that is not there: an authenticated 6A82, the session goes on */
    assert_int_equal(transmit(&c.io, &sm, (uint8_t[]){0x00, 0xA4, 0x02, 0x0C, 0x02, 0x01, 0x02}, 7,
                              data, sizeof data, &n, &sw),
                     EMRTD_SM_OK);
    assert_int_equal(sw, 0x6A82);
    /* a command the chip cannot verify: it answers 6988 without SM, the session is over */
    uint8_t cmd[CARD_IO_MAX_COMMAND], resp[CARD_IO_MAX_RESPONSE];
    size_t m = 0;
    assert_int_equal(emrtd_sm_wrap_command(&sm, (uint8_t[]){0x00, 0xB0, 0x00, 0x00, 0x04}, 5, cmd,
                                           sizeof cmd, &n),
                     EMRTD_SM_OK);
    cmd[n - 3] ^= 1;
    assert_int_equal(c.io.transceive(&c.io, cmd, n, resp, sizeof resp, &m, EMRTD_TIMEOUT_MS),
                     CARD_IO_OK);
    assert_int_equal(emrtd_sm_unwrap_response(&sm, resp, m, data, sizeof data, &n, &sw),
                     EMRTD_SM_ERR_UNPROTECTED);
    assert_int_equal(sw, 0x6988);
    assert_int_equal(transmit(&c.io, &sm, (uint8_t[]){0x00, 0xB0, 0x00, 0x00, 0x04}, 5, data,
                              sizeof data, &n, &sw),
                     EMRTD_SM_ERR_CLOSED);
    emrtd_sm_clear(&sm);
}

static void bac_over_card_io_failures(void **state)
{
    (void)state;
    static const struct {
        chip_kind kind;
        emrtd_sm_status want;
        int calls;
    } cases[] = {
        {CHIP_WRONG_KEY, EMRTD_SM_ERR_REFUSED, 2}, {CHIP_GONE_AFTER_ONE, EMRTD_SM_ERR_GONE, 2},
        {CHIP_SLOW, EMRTD_SM_ERR_TIMEOUT, 2},      {CHIP_SHORT_ANSWER, EMRTD_SM_ERR_FORMAT, 2},
        {CHIP_NO_SW, EMRTD_SM_ERR_BROKEN, 1},      {CHIP_WRONG_MAC, EMRTD_SM_ERR_MAC, 2},
    };
    uint8_t seed[16];
    assert_int_equal(emrtd_mrz_key_seed("SPECI2014", "650310", "240309", seed), EMRTD_SM_OK);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        chip c;
        chip_init(&c, cases[i].kind);
        emrtd_sm sm;
        memset(&sm, 0x5A, sizeof sm);
        emrtd_sm_status st = emrtd_bac_run(&c.io, seed, &sm);
        if (st != cases[i].want)
            fail_msg("chip %d: %s, want %s", (int)cases[i].kind, emrtd_sm_status_text(st),
                     emrtd_sm_status_text(cases[i].want));
        assert_int_equal(c.calls, cases[i].calls);
        static const emrtd_sm zero;
        assert_memory_equal(&sm, &zero, sizeof sm); /* nothing half-made left */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(appendix_d_mrz_information),
        cmocka_unit_test(appendix_d_keys_from_mrz),
        cmocka_unit_test(kdf_for_every_cipher),
        cmocka_unit_test(cmac_known_answers),
        cmocka_unit_test(appendix_d_bac),
        cmocka_unit_test(appendix_d_secure_messaging),
        cmocka_unit_test(aes_command_matches_independent_computation),
        cmocka_unit_test(round_trips_every_cipher),
        cmocka_unit_test(limits_and_malformed_commands),
        cmocka_unit_test(every_bit_flip_rejected),
        cmocka_unit_test(every_truncation_rejected),
        cmocka_unit_test(hostile_answers_refused),
        cmocka_unit_test(hostile_commands_refused),
        cmocka_unit_test(bac_answers_refused),
        cmocka_unit_test(bac_over_card_io_then_read_a_file),
        cmocka_unit_test(bac_over_card_io_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
