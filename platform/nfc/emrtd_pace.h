/* PACE (ICAO 9303-11 §4.4, BSI TR-03110-2/-3) with the Generic Mapping on elliptic curves:
 * PACE-ECDH-GM-AES-CBC-CMAC-128/192/256 on the standardized domain parameters 8..18 (NIST and
 * Brainpool curves). Dutch passports and ID cards since 2022: ECDH-GM-AES-256 on brainpoolP320r1
 * (parameter 14), with the CAN or the MRZ information as the password.
 *
 * Three parts:
 *  - EF.CardAccess: read it and pick the PACE variant the kiosk supports (bounded DER parsing).
 *  - The terminal: MSE:SET AT and the four GENERAL AUTHENTICATE steps over card_io; the result is
 *    the session keys for secure messaging (KSenc, KSmac, the cipher, SSC = 0).
 *  - The card: the chip's side of the same exchange (a simulated chip for the tests uses it).
 *
 * Built on OpenSSL 3 (EC_POINT arithmetic, AES, CMAC, SHA): the ephemeral keys and the nonce come
 * from one random source the caller may replace (tests replay ICAO's worked example). Every
 * secret (π, Kπ, the nonce, private keys, shared secrets) is wiped after use; nothing is logged.
 * Not supported: DH groups (0..2), 3DES, Integrated Mapping, Chip Authentication Mapping,
 * proprietary domain parameters. */
#ifndef LOKET_EMRTD_PACE_H
#define LOKET_EMRTD_PACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nfc/card_io.h"

/* Per APDU: a chip computing on brainpoolP512r1 takes up to a second or two. */
#define EMRTD_PACE_TIMEOUT_MS 5000
#define EMRTD_PACE_MAX_OID 16
#define EMRTD_PACE_MAX_KEY 32
#define EMRTD_PACE_MAX_FIELD 66                             /* P-521: 66 bytes per coordinate */
#define EMRTD_PACE_MAX_POINT (1 + 2 * EMRTD_PACE_MAX_FIELD) /* uncompressed */
#define EMRTD_PACE_CARD_ACCESS_MAX 2048                     /* bigger EF.CardAccess: refused */

typedef enum {
    EMRTD_PACE_OK = 0,
    EMRTD_PACE_ERR_ARGUMENT,    /* the caller's mistake: no password, unsupported parameters */
    EMRTD_PACE_ERR_CARD_ACCESS, /* EF.CardAccess is no well-formed SecurityInfos */
    EMRTD_PACE_ERR_UNSUPPORTED, /* no PACE variant the kiosk supports (or no PACE: BAC only) */
    EMRTD_PACE_ERR_GONE,        /* the card left the field */
    EMRTD_PACE_ERR_TIMEOUT,     /* the card did not answer in time */
    EMRTD_PACE_ERR_TRANSPORT,   /* an answer that is no APDU response */
    EMRTD_PACE_ERR_PROTOCOL,    /* an unexpected status word or a malformed answer */
    EMRTD_PACE_ERR_PASSWORD,    /* wrong CAN or MRZ: the card refused our token (tries_left) */
    EMRTD_PACE_ERR_BLOCKED,     /* the password is blocked (6983, or 63C0) */
    EMRTD_PACE_ERR_CARD_TOKEN,  /* the card's token is wrong: not a genuine chip, or tampering */
    EMRTD_PACE_ERR_CRYPTO,      /* an invalid point from the card, or OpenSSL failed */
} emrtd_pace_status;

/* A short English phrase for the technician's log; never contains card data. */
const char *emrtd_pace_status_text(emrtd_pace_status s);

typedef enum {
    EMRTD_PACE_PW_MRZ = 1, /* the password reference of MSE:SET AT (tag 83) */
    EMRTD_PACE_PW_CAN = 2,
} emrtd_pace_pw_ref;

typedef enum {
    EMRTD_PACE_CIPHER_AES = 1, /* AES-CBC + AES-CMAC secure messaging, 16-byte SSC */
} emrtd_pace_cipher;

/* One PACE variant: the protocol of a PACEInfo with standardized domain parameters. */
typedef struct {
    uint8_t oid[EMRTD_PACE_MAX_OID]; /* the protocol OID's content bytes (without tag 06) */
    size_t oid_len;
    int param_id;   /* standardized domain parameters, 8..18 */
    size_t key_len; /* AES key length: 16, 24 or 32 */
    emrtd_pace_cipher cipher;
    bool send_param_id; /* MSE:SET AT names the parameters (tag 84): the card offers several */
} emrtd_pace_params;

/* Parameters for ECDH-GM-AES with key_len 16/24/32 on param_id (8..18); false if unsupported. */
bool emrtd_pace_params_make(int param_id, size_t key_len, emrtd_pace_params *out);

/* Parses EF.CardAccess (SecurityInfos, DER) and picks the best supported PACEInfo (the longest
 * AES key, then the first listed). Other SecurityInfos are skipped. ERR_CARD_ACCESS for
 * malformed DER (truncated, lengths beyond the data, indefinite lengths, too deep or too many
 * entries), ERR_UNSUPPORTED when no PACEInfo is one the kiosk can do. */
emrtd_pace_status emrtd_pace_parse_card_access(const uint8_t *der, size_t len,
                                               emrtd_pace_params *out);

/* EF.CardAccess with one PACEInfo for p (a simulated chip's file). Returns its length, 0 if cap
 * is too small. */
size_t emrtd_pace_card_access_encode(const emrtd_pace_params *p, uint8_t *out, size_t cap);

/* Reads EF.CardAccess (READ BINARY by short file identifier 1C, in the master file's context)
 * into buf. ERR_UNSUPPORTED when the card has none (6A82: a BAC-only document). timeout_ms <= 0:
 * EMRTD_PACE_TIMEOUT_MS. */
emrtd_pace_status emrtd_pace_read_card_access(card_io *io, uint8_t *buf, size_t cap, size_t *len,
                                              int timeout_ms);

/* The password: π as PACE uses it. */
typedef struct {
    emrtd_pace_pw_ref ref;
    uint8_t pi[20]; /* CAN: its digits (ASCII); MRZ: SHA-1 of the MRZ information */
    size_t pi_len;
} emrtd_pace_password;

/* The CAN: exactly 6 digits. */
bool emrtd_pace_password_can(emrtd_pace_password *pw, const char *can);
/* The MRZ information from its three fields: the document number (1..9 characters of 0-9, A-Z,
 * '<'; padded with '<'), date of birth and date of expiry (YYMMDD); check digits computed. */
bool emrtd_pace_password_mrz(emrtd_pace_password *pw, const char *document_number,
                             const char *birth, const char *expiry);
/* The MRZ information as one string: number(9) check birth(6) check expiry(6) check — the check
 * digits must be right (an OCR error is caught here, not as a wrong password at the card). */
bool emrtd_pace_password_mrz_info(emrtd_pace_password *pw, const char *mrz_info);
void emrtd_pace_password_wipe(emrtd_pace_password *pw);

/* The result: session keys for secure messaging (ICAO 9303-11 §9.8, SSC starts at 0). */
typedef struct {
    emrtd_pace_cipher cipher;
    size_t key_len; /* 16, 24 or 32 */
    uint8_t ks_enc[EMRTD_PACE_MAX_KEY];
    uint8_t ks_mac[EMRTD_PACE_MAX_KEY];
    uint8_t ssc[16]; /* all zero */
    size_t ssc_len;  /* the cipher's block length: 16 for AES */
    /* The x-coordinate of the card's ephemeral public key, ID_PICC for a later Terminal
     * Authentication (TR-03110-2 §3.4). Not secret. */
    uint8_t card_eph_x[EMRTD_PACE_MAX_FIELD];
    size_t card_eph_x_len;
} emrtd_pace_keys;

void emrtd_pace_keys_wipe(emrtd_pace_keys *k);

/* Where the nonce and the private keys come from. */
typedef enum {
    EMRTD_PACE_RANDOM_NONCE,   /* the card's nonce s (block length bytes) */
    EMRTD_PACE_RANDOM_MAP_KEY, /* a private key of the mapping (order length bytes) */
    EMRTD_PACE_RANDOM_EPH_KEY, /* a private key of the key agreement (order length bytes) */
} emrtd_pace_random_kind;

typedef struct {
    /* Fills out with len bytes. A private key's bytes are masked to the order's bit length and
     * drawn again while zero or not below the order, so a test's fixed key in [1, n-1] is used
     * as it is. */
    bool (*fill)(void *ctx, emrtd_pace_random_kind kind, uint8_t *out, size_t len);
    void *ctx;
} emrtd_pace_random;

typedef struct {
    int timeout_ms;                  /* per APDU; <= 0: EMRTD_PACE_TIMEOUT_MS */
    const emrtd_pace_random *random; /* NULL: OpenSSL's RAND_priv_bytes */
} emrtd_pace_options;

/* The terminal's PACE over io: MSE:SET AT, GENERAL AUTHENTICATE 1-4 (command chaining), the
 * card's token verified. keys is filled only on EMRTD_PACE_OK. *tries_left (may be NULL) is the
 * retry counter the card reported (63Cx), or -1 when it reported none. opt may be NULL. */
emrtd_pace_status emrtd_pace_terminal(card_io *io, const emrtd_pace_params *p,
                                      const emrtd_pace_password *pw, const emrtd_pace_options *opt,
                                      emrtd_pace_keys *keys, int *tries_left);

/* ---- the card's side ---- */

typedef struct emrtd_pace_card emrtd_pace_card;

/* A chip offering p, knowing the CAN and/or the MRZ password (NULL: none; both are copied).
 * tries: the password retry counter (each failed token takes one; at 0 the chip answers 6983),
 * or -1 for none. random NULL: OpenSSL's. NULL on a bad argument or no memory. */
emrtd_pace_card *emrtd_pace_card_new(const emrtd_pace_params *p, const emrtd_pace_password *can,
                                     const emrtd_pace_password *mrz, int tries,
                                     const emrtd_pace_random *random);
/* Answers one command APDU if it is PACE's (MSE:SET AT for PACE; GENERAL AUTHENTICATE while a
 * PACE is under way): the response data and SW1 SW2 in resp (cap >= CARD_IO_MAX_RESPONSE),
 * true. false: not a PACE command (the chip answers it otherwise), resp untouched. */
bool emrtd_pace_card_transceive(emrtd_pace_card *c, const uint8_t *cmd, size_t cmd_len,
                                uint8_t *resp, size_t cap, size_t *resp_len);
/* After a successful PACE: the chip's session keys. false before. */
bool emrtd_pace_card_keys(const emrtd_pace_card *c, emrtd_pace_keys *out);
int emrtd_pace_card_tries(const emrtd_pace_card *c);
/* Wipes every secret. */
void emrtd_pace_card_free(emrtd_pace_card *c);

/* ---- the building blocks both sides use (exposed for the known-answer tests) ---- */

/* KDF of ICAO 9303-11 §9.7.1: SHA-1 (key_len 16) or SHA-256 (24, 32) of secret || counter
 * (32-bit big endian), cut to key_len. counter 1: KSenc, 2: KSmac, 3: Kπ. */
bool emrtd_pace_kdf(const uint8_t *secret, size_t secret_len, uint32_t counter, size_t key_len,
                    uint8_t *out);
/* The Generic Mapping on param_id: H = sk_map · pk_other and G^ = s·G + H, as uncompressed
 * points of point_len bytes (h may be NULL). */
bool emrtd_pace_gm_map(int param_id, const uint8_t *s, size_t s_len, const uint8_t *sk_map,
                       size_t sk_len, const uint8_t *pk_other, size_t pk_len, uint8_t *h,
                       uint8_t *generator, size_t *point_len);
/* pub = sk · generator (uncompressed, point_len bytes). */
bool emrtd_pace_ec_public(int param_id, const uint8_t *generator, size_t gen_len, const uint8_t *sk,
                          size_t sk_len, uint8_t *pub, size_t *point_len);
/* The shared secret: the x-coordinate of sk · pk_other (field length bytes). */
bool emrtd_pace_ec_shared(int param_id, const uint8_t *sk, size_t sk_len, const uint8_t *pk_other,
                          size_t pk_len, uint8_t *x, size_t *x_len);
/* The authentication token: AES-CMAC over the public key data object 7F49 {06 OID, 86 point},
 * the first 8 bytes. */
bool emrtd_pace_token(const emrtd_pace_params *p, const uint8_t *ks_mac, const uint8_t *point,
                      size_t point_len, uint8_t token[8]);

#endif
