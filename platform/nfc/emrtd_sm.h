/* ICAO 9303 part 11: the MRZ-derived access key, the key derivation function, Basic Access
 * Control (BAC) and secure messaging (SM) with 3DES or AES, for the terminal (the kiosk) and for
 * the card (the tests' simulated chip). OpenSSL 3 libcrypto only (EVP, no legacy provider).
 *
 * Terminal side, BAC then protected reads:
 *
 *   uint8_t seed[EMRTD_SEED_BYTES];
 *   emrtd_mrz_key_seed("L898902C<", "690806", "940623", seed);
 *   emrtd_sm sm;
 *   if (emrtd_bac_run(io, seed, &sm) == EMRTD_SM_OK) {
 *       emrtd_sm_wrap_command(&sm, apdu, apdu_len, cmd, sizeof cmd, &cmd_len);
 *       ... io->transceive(io, cmd, cmd_len, resp, sizeof resp, &resp_len, ...) ...
 *       emrtd_sm_unwrap_response(&sm, resp, resp_len, data, sizeof data, &data_len, &sw);
 *   }
 *   emrtd_sm_clear(&sm);
 *   OPENSSL_cleanse(seed, sizeof seed);
 *
 * Every response is parsed within its bounds: what a card sends is never trusted. A response
 * that fails a check (MAC, padding, structure) ends the session: the context is wiped and
 * refuses further use (the card ends it too), so the reader starts again with BAC or PACE.
 * Nothing here logs; keys, seeds, challenges and plaintext copies are wiped after use. */
#ifndef LOKET_EMRTD_SM_H
#define LOKET_EMRTD_SM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nfc/card_io.h"

typedef enum {
    EMRTD_SM_OK = 0,
    EMRTD_SM_ERR_ARG = -1,         /* the caller's mistake: bad length, unsupported APDU form */
    EMRTD_SM_ERR_TOO_LONG = -2,    /* would exceed 262 bytes (command), 258 (response) or cap */
    EMRTD_SM_ERR_CRYPTO = -3,      /* OpenSSL failed (no randomness, no cipher) */
    EMRTD_SM_ERR_FORMAT = -4,      /* malformed: truncated or unexpected DOs, bad lengths */
    EMRTD_SM_ERR_MAC = -5,         /* wrong or missing checksum (DO'8E', M.IC, M.IFD) */
    EMRTD_SM_ERR_PADDING = -6,     /* decrypted data without valid ISO 9797-1 method 2 padding */
    EMRTD_SM_ERR_UNPROTECTED = -7, /* a bare status word (e.g. 6982, 6988): the card ended SM */
    EMRTD_SM_ERR_CLOSED = -8,      /* the session ended after an error, or never began */
    EMRTD_SM_ERR_AUTH = -9,        /* BAC: the answer's challenges do not match */
    EMRTD_SM_ERR_REFUSED = -10,    /* BAC: the card said no (6300: the MRZ data do not match) */
    EMRTD_SM_ERR_GONE = -11,       /* card_io: the card left the field */
    EMRTD_SM_ERR_TIMEOUT = -12,    /* card_io: no answer in time */
    EMRTD_SM_ERR_BROKEN = -13,     /* card_io: an answer that is no APDU response */
} emrtd_sm_status;

/* A short English description for logs (no card data in it). */
const char *emrtd_sm_status_text(emrtd_sm_status s);

/* ---- keys ---- */

typedef enum {
    EMRTD_CIPHER_3DES = 1, /* 2-key 3DES (16 bytes), block 8, retail MAC, IV 0 */
    EMRTD_CIPHER_AES128,   /* block 16, AES-CMAC (8 bytes), IV E(KSenc, SSC) */
    EMRTD_CIPHER_AES192,
    EMRTD_CIPHER_AES256,
} emrtd_cipher;

#define EMRTD_MAX_KEY 32
#define EMRTD_MAX_BLOCK 16
#define EMRTD_MAC_BYTES 8
#define EMRTD_SEED_BYTES 16
#define EMRTD_MRZ_INFO_MAX 44 /* document number (up to 22), birth, expiry, 3 check digits */

/* 16 (3DES, AES-128), 24, 32; 0 for anything else. */
size_t emrtd_cipher_key_len(emrtd_cipher c);
/* 8 (3DES) or 16 (AES); 0 for anything else. */
size_t emrtd_cipher_block(emrtd_cipher c);

/* The ICAO 7-3-1 check digit of n characters (0-9, A-Z, '<'): '0'..'9', or -1 for any other
 * character. */
int emrtd_mrz_check_digit(const char *s, size_t n);
/* MRZ information: the document number and its check digit (shorter than 9 characters: filled
 * with '<'; longer, as on TD1 cards with a long number: all of it, up to 22), date of birth
 * YYMMDD and check digit, date of expiry YYMMDD and check digit, e.g. "L898902C<369080619406236".
 * Lower-case letters count as capitals. Written with its NUL into out; ARG when a field is
 * malformed, TOO_LONG when cap is too small. */
emrtd_sm_status emrtd_mrz_information(const char *doc_number, const char *birth, const char *expiry,
                                      char *out, size_t cap);
/* SHA-1 of the MRZ information: all 20 bytes are PACE's password hash; the first 16 are BAC's
 * K_seed (emrtd_mrz_key_seed). */
emrtd_sm_status emrtd_mrz_hash(const char *doc_number, const char *birth, const char *expiry,
                               uint8_t out[20]);
emrtd_sm_status emrtd_mrz_key_seed(const char *doc_number, const char *birth, const char *expiry,
                                   uint8_t seed[EMRTD_SEED_BYTES]);

#define EMRTD_KDF_ENC 1
#define EMRTD_KDF_MAC 2
#define EMRTD_KDF_PACE 3

/* KDF(secret, counter) of 9303-11 9.7.1: SHA-1 (3DES, AES-128) or SHA-256 (AES-192/256) of
 * secret || counter (32 bits, big-endian), cut to the key length; 3DES keys get odd parity.
 * Writes emrtd_cipher_key_len(c) bytes to out. */
emrtd_sm_status emrtd_derive_key(const uint8_t *secret, size_t len, uint32_t counter,
                                 emrtd_cipher c, uint8_t out[EMRTD_MAX_KEY]);

/* ---- primitives (also for PACE) ---- */

/* The 8-byte MAC: 3DES: ISO 9797-1 MAC algorithm 3 (retail MAC), len a multiple of 8 (pad
 * first with emrtd_pad); AES: CMAC over the bytes as given, truncated to 8 bytes. */
emrtd_sm_status emrtd_mac(emrtd_cipher c, const uint8_t *key, const uint8_t *data, size_t len,
                          uint8_t out[EMRTD_MAC_BYTES]);
/* CBC without padding over len bytes (a multiple of the block); iv NULL: zeros. In place is
 * fine (out == in). */
emrtd_sm_status emrtd_cbc(emrtd_cipher c, const uint8_t *key, const uint8_t *iv, bool encrypt,
                          const uint8_t *in, size_t len, uint8_t *out);
/* ISO 9797-1 padding method 2 (0x80 then zeros to the block) in place after buf[len]: the new
 * length, or 0 when cap is too small. */
size_t emrtd_pad(uint8_t *buf, size_t len, size_t cap, size_t block);

/* ---- secure messaging ---- */

typedef struct {
    emrtd_cipher cipher;
    bool open; /* false before init and after any failed check */
    uint8_t ks_enc[EMRTD_MAX_KEY];
    uint8_t ks_mac[EMRTD_MAX_KEY];
    uint8_t ssc[EMRTD_MAX_BLOCK]; /* 8 bytes (3DES) or 16 (AES), big-endian */
} emrtd_sm;

/* Keys of emrtd_cipher_key_len(c) bytes; ssc of emrtd_cipher_block(c) bytes, NULL for zero
 * (PACE). */
emrtd_sm_status emrtd_sm_init(emrtd_sm *sm, emrtd_cipher c, const uint8_t *ks_enc,
                              const uint8_t *ks_mac, const uint8_t *ssc);
void emrtd_sm_clear(emrtd_sm *sm);

/* The largest Le for a protected READ BINARY whose protected answer (DO'87', DO'99', DO'8E')
 * fits a short response: 0xDF for every cipher. */
#define EMRTD_SM_MAX_READ 0xDF
size_t emrtd_sm_max_read(const emrtd_sm *sm);

/* Terminal: a plain short APDU (cases 1-4, no extended length) as a protected APDU: CLA | 0x0C,
 * DO'87' (even INS; padding indicator 01) or DO'85' (odd INS) with the encrypted data, DO'97'
 * with Le, DO'8E' with the MAC, Le 00. SSC + 1. TOO_LONG (and nothing changed) when the
 * protected APDU would not fit 262 bytes, a short Lc or cap. */
emrtd_sm_status emrtd_sm_wrap_command(emrtd_sm *sm, const uint8_t *apdu, size_t apdu_len,
                                      uint8_t *out, size_t cap, size_t *out_len);
/* Terminal: a card's answer (data and SW1 SW2) to a protected command. SSC + 1; checks DO'8E'
 * over DO'87'/DO'85' and DO'99' (in that order, nothing else), decrypts, removes the padding;
 * the plain data go to data (at most cap), the status word of DO'99' to *sw. On
 * UNPROTECTED *sw is the bare status word (not authenticated). Any failure wipes *data and ends
 * the session. */
emrtd_sm_status emrtd_sm_unwrap_response(emrtd_sm *sm, const uint8_t *resp, size_t resp_len,
                                         uint8_t *data, size_t cap, size_t *data_len, uint16_t *sw);

/* Card: a protected command as the plain APDU (CLA without 0x0C; Le from DO'97'). SSC + 1. Any
 * failure ends the session (the card should answer 6988 or 6987 unprotected). */
emrtd_sm_status emrtd_sm_unwrap_command(emrtd_sm *sm, const uint8_t *cmd, size_t cmd_len,
                                        uint8_t *apdu, size_t cap, size_t *apdu_len);
/* Card: the answer to a command with instruction ins: DO'87' (DO'85' for odd ins) when there
 * are data, DO'99' with sw, DO'8E', then sw. SSC + 1. At most 258 bytes. */
emrtd_sm_status emrtd_sm_wrap_response(emrtd_sm *sm, uint8_t ins, const uint8_t *data, size_t len,
                                       uint16_t sw, uint8_t *out, size_t cap, size_t *out_len);

/* ---- Basic Access Control ---- */

#define EMRTD_BAC_CHALLENGE 8
#define EMRTD_BAC_KEY_PART 16
#define EMRTD_BAC_DATA 40              /* E (32) || M (8) */
#define EMRTD_TIMEOUT_MS 3000          /* GET CHALLENGE, protected commands */
#define EMRTD_BAC_AUTH_TIMEOUT_MS 5000 /* EXTERNAL AUTHENTICATE: the chip computes for a while */

/* The terminal's half of BAC: Kenc and Kmac from K_seed, the challenges and K.IFD. */
typedef struct {
    uint8_t k_enc[16], k_mac[16];
    uint8_t rnd_ic[EMRTD_BAC_CHALLENGE], rnd_ifd[EMRTD_BAC_CHALLENGE];
    uint8_t k_ifd[EMRTD_BAC_KEY_PART];
} emrtd_bac;

/* Starts BAC from K_seed and the card's RND.IC (GET CHALLENGE) and writes the EXTERNAL
 * AUTHENTICATE command data E.IFD || M.IFD. rnd_ifd and k_ifd NULL: fresh from RAND_bytes
 * (given only by tests). */
emrtd_sm_status emrtd_bac_start(emrtd_bac *bac, const uint8_t seed[EMRTD_SEED_BYTES],
                                const uint8_t rnd_ic[EMRTD_BAC_CHALLENGE], const uint8_t *rnd_ifd,
                                const uint8_t *k_ifd, uint8_t cmd_data[EMRTD_BAC_DATA]);
/* Checks the card's answer (E.IC || M.IC, without SW): MAC, RND.IC and RND.IFD; derives KSenc,
 * KSmac and the SSC into sm (3DES). Wipes bac either way. */
emrtd_sm_status emrtd_bac_finish(emrtd_bac *bac, const uint8_t *resp, size_t resp_len,
                                 emrtd_sm *sm);
void emrtd_bac_clear(emrtd_bac *bac);
/* The whole BAC over io: GET CHALLENGE, EXTERNAL AUTHENTICATE; sm is opened on OK and
 * cleared otherwise. */
emrtd_sm_status emrtd_bac_run(card_io *io, const uint8_t seed[EMRTD_SEED_BYTES], emrtd_sm *sm);

/* Card: answers EXTERNAL AUTHENTICATE data (E.IFD || M.IFD) for the RND.IC it gave and its
 * K.IC: on OK resp holds E.IC || M.IC and sm the session; MAC or AUTH (the card then answers
 * 6300). */
emrtd_sm_status emrtd_bac_card_answer(const uint8_t seed[EMRTD_SEED_BYTES],
                                      const uint8_t rnd_ic[EMRTD_BAC_CHALLENGE],
                                      const uint8_t k_ic[EMRTD_BAC_KEY_PART],
                                      const uint8_t *cmd_data, size_t cmd_len,
                                      uint8_t resp[EMRTD_BAC_DATA], emrtd_sm *sm);

#endif
