/* PACE with the Generic Mapping on elliptic curves, terminal and card side. See emrtd_pace.h.
 *
 * The standards: ICAO 9303-11 §4.4 (PACE), §9.7.1 (KDF), §9.2.1 / BSI TR-03110-3 A.1.1 (PACEInfo),
 * TR-03110-3 A.2.1.1 (standardized domain parameters), D.3 (public key data objects), B.1 / B.11
 * (MSE:SET AT, GENERAL AUTHENTICATE). */
#include "nfc/emrtd_pace.h"
#include "nfc/emrtd_sm.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------
 * Status texts */

const char *emrtd_pace_status_text(emrtd_pace_status s)
{
    switch (s) {
    case EMRTD_PACE_OK:
        return "ok";
    case EMRTD_PACE_ERR_ARGUMENT:
        return "bad argument";
    case EMRTD_PACE_ERR_CARD_ACCESS:
        return "EF.CardAccess is malformed";
    case EMRTD_PACE_ERR_UNSUPPORTED:
        return "the card offers no PACE variant this kiosk supports";
    case EMRTD_PACE_ERR_GONE:
        return "the card left the field";
    case EMRTD_PACE_ERR_TIMEOUT:
        return "the card did not answer in time";
    case EMRTD_PACE_ERR_TRANSPORT:
        return "the card's answer is no APDU response";
    case EMRTD_PACE_ERR_PROTOCOL:
        return "the card answered PACE unexpectedly";
    case EMRTD_PACE_ERR_PASSWORD:
        return "wrong password (CAN or MRZ)";
    case EMRTD_PACE_ERR_BLOCKED:
        return "the password is blocked";
    case EMRTD_PACE_ERR_CARD_TOKEN:
        return "the card's authentication token is wrong";
    case EMRTD_PACE_ERR_CRYPTO:
        return "cryptographic failure (invalid key from the card)";
    }
    return "unknown";
}

/* ---------------------------------------------------------------------------------------------
 * Domain parameters and protocol identifiers */

/* TR-03110-3 Table 4 (ICAO 9303-11 §9.5.1): standardized elliptic-curve domain parameters. */
static int curve_nid(int param_id)
{
    switch (param_id) {
    case 8:
        return NID_X9_62_prime192v1;
    case 9:
        return NID_brainpoolP192r1;
    case 10:
        return NID_secp224r1;
    case 11:
        return NID_brainpoolP224r1;
    case 12:
        return NID_X9_62_prime256v1;
    case 13:
        return NID_brainpoolP256r1;
    case 14:
        return NID_brainpoolP320r1;
    case 15:
        return NID_secp384r1;
    case 16:
        return NID_brainpoolP384r1;
    case 17:
        return NID_brainpoolP512r1;
    case 18:
        return NID_secp521r1;
    default:
        return NID_undef;
    }
}

/* id-PACE = 0.4.0.127.0.7.2.2.4; then the mapping (1 DH-GM, 2 ECDH-GM, 3 DH-IM, 4 ECDH-IM,
 * 6 ECDH-CAM) and the cipher (1 3DES, 2 AES-128, 3 AES-192, 4 AES-256). */
static const uint8_t ID_PACE[8] = {0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04};
#define PACE_MAP_ECDH_GM 2

static size_t aes_key_len(uint8_t cipher_arc)
{
    return cipher_arc == 2 ? 16 : cipher_arc == 3 ? 24 : cipher_arc == 4 ? 32 : 0;
}

bool emrtd_pace_params_make(int param_id, size_t key_len, emrtd_pace_params *out)
{
    if (!out || curve_nid(param_id) == NID_undef)
        return false;
    uint8_t arc = key_len == 16 ? 2 : key_len == 24 ? 3 : key_len == 32 ? 4 : 0;
    if (!arc)
        return false;
    memset(out, 0, sizeof *out);
    memcpy(out->oid, ID_PACE, sizeof ID_PACE);
    out->oid[8] = PACE_MAP_ECDH_GM;
    out->oid[9] = arc;
    out->oid_len = 10;
    out->param_id = param_id;
    out->key_len = key_len;
    out->cipher = EMRTD_PACE_CIPHER_AES;
    out->send_param_id = false;
    return true;
}

static bool params_valid(const emrtd_pace_params *p)
{
    emrtd_pace_params q;
    return p && p->cipher == EMRTD_PACE_CIPHER_AES &&
           emrtd_pace_params_make(p->param_id, p->key_len, &q) && p->oid_len == q.oid_len &&
           memcmp(p->oid, q.oid, q.oid_len) == 0;
}

/* ---------------------------------------------------------------------------------------------
 * BER-TLV, bounded: tags of one or two bytes, definite lengths of at most two bytes (65535).
 * Every length is checked against what is left; nothing is read beyond end. */

typedef struct {
    unsigned tag;
    const uint8_t *v;
    size_t len;
} tlv;

static bool tlv_next(const uint8_t **pp, const uint8_t *end, tlv *t)
{
    const uint8_t *p = *pp;
    if (p >= end)
        return false;
    unsigned tag = *p++;
    if ((tag & 0x1F) == 0x1F) {
        if (p >= end || (*p & 0x80))
            return false; /* tags of three bytes and more: none in PACE */
        tag = tag << 8 | *p++;
    }
    if (p >= end)
        return false;
    size_t len = *p++;
    if (len == 0x81) {
        if (end - p < 1)
            return false;
        len = *p++;
    } else if (len == 0x82) {
        if (end - p < 2)
            return false;
        len = (size_t)p[0] << 8 | p[1];
        p += 2;
    } else if (len >= 0x80) {
        return false; /* indefinite, or longer than 65535 */
    }
    if ((size_t)(end - p) < len)
        return false;
    t->tag = tag;
    t->v = p;
    t->len = len;
    *pp = p + len;
    return true;
}

/* Writes a DER length; returns the bytes written (at most 3). */
static size_t der_len(uint8_t *out, size_t len)
{
    if (len < 0x80) {
        out[0] = (uint8_t)len;
        return 1;
    }
    if (len < 0x100) {
        out[0] = 0x81;
        out[1] = (uint8_t)len;
        return 2;
    }
    out[0] = 0x82;
    out[1] = (uint8_t)(len >> 8);
    out[2] = (uint8_t)len;
    return 3;
}

/* A small non-negative DER INTEGER (1..4 bytes). */
static bool der_small_int(const tlv *t, long *out)
{
    if (t->tag != 0x02 || t->len < 1 || t->len > 4 || (t->v[0] & 0x80))
        return false;
    long v = 0;
    for (size_t i = 0; i < t->len; i++)
        v = v << 8 | t->v[i];
    *out = v;
    return true;
}

/* ---------------------------------------------------------------------------------------------
 * EF.CardAccess */

#define CARD_ACCESS_MAX_INFOS 32

/* One PACEInfo ::= SEQUENCE { protocol OID, version INTEGER, parameterId INTEGER OPTIONAL }.
 * Returns false if malformed; *ok says whether the kiosk supports it. */
static bool pace_info(const tlv *oid, const uint8_t *p, const uint8_t *end, emrtd_pace_params *out,
                      bool *ok)
{
    *ok = false;
    tlv version, param;
    long v = 0, id = -1;
    if (!tlv_next(&p, end, &version) || version.tag != 0x02 || version.len < 1)
        return false;
    bool have_param = false;
    if (p < end) {
        if (!tlv_next(&p, end, &param) || param.tag != 0x02 || param.len < 1)
            return false;
        have_param = true;
    }
    if (p != end)
        return false; /* nothing after parameterId */
    if (!der_small_int(&version, &v) || v != 2)
        return true; /* another version: not ours */
    if (!have_param || !der_small_int(&param, &id))
        return true; /* proprietary domain parameters (or absurd ids): not supported */
    if (oid->v[8] != PACE_MAP_ECDH_GM || !aes_key_len(oid->v[9]))
        return true;
    *ok = emrtd_pace_params_make((int)id, aes_key_len(oid->v[9]), out);
    return true;
}

emrtd_pace_status emrtd_pace_parse_card_access(const uint8_t *der, size_t len,
                                               emrtd_pace_params *out)
{
    if (!der || !out)
        return EMRTD_PACE_ERR_ARGUMENT;
    if (len > EMRTD_PACE_CARD_ACCESS_MAX)
        return EMRTD_PACE_ERR_CARD_ACCESS;
    const uint8_t *p = der, *end = der + len;
    tlv set;
    if (!tlv_next(&p, end, &set) || set.tag != 0x31)
        return EMRTD_PACE_ERR_CARD_ACCESS;
    for (; p < end; p++) /* a file read whole may be padded */
        if (*p != 0x00 && *p != 0xFF)
            return EMRTD_PACE_ERR_CARD_ACCESS;

    emrtd_pace_params best = {0};
    bool found = false;
    int n_infos = 0, n_pace = 0;
    const uint8_t *q = set.v, *qend = set.v + set.len;
    while (q < qend) {
        tlv info, oid;
        if (++n_infos > CARD_ACCESS_MAX_INFOS || !tlv_next(&q, qend, &info) || info.tag != 0x30)
            return EMRTD_PACE_ERR_CARD_ACCESS;
        const uint8_t *r = info.v, *rend = info.v + info.len;
        if (!tlv_next(&r, rend, &oid) || oid.tag != 0x06 || oid.len < 1 || r >= rend)
            return EMRTD_PACE_ERR_CARD_ACCESS; /* SecurityInfo: protocol and requiredData */
        if (oid.len != 10 || memcmp(oid.v, ID_PACE, sizeof ID_PACE) != 0)
            continue; /* not a PACEInfo: CA, TA, PACEDomainParameterInfo, ... */
        n_pace++;
        emrtd_pace_params cand;
        bool ok;
        if (!pace_info(&oid, r, rend, &cand, &ok))
            return EMRTD_PACE_ERR_CARD_ACCESS;
        if (ok && (!found || cand.key_len > best.key_len)) {
            best = cand;
            found = true;
        }
    }
    if (!found)
        return EMRTD_PACE_ERR_UNSUPPORTED;
    best.send_param_id = n_pace > 1;
    *out = best;
    return EMRTD_PACE_OK;
}

size_t emrtd_pace_card_access_encode(const emrtd_pace_params *p, uint8_t *out, size_t cap)
{
    if (!params_valid(p) || !out)
        return 0;
    /* SET { SEQUENCE { OID, INTEGER 2, INTEGER param_id } } */
    size_t seq = 2 + p->oid_len + 3 + 3;
    size_t total = 2 + 2 + seq;
    if (cap < total)
        return 0;
    uint8_t *w = out;
    *w++ = 0x31;
    *w++ = (uint8_t)(2 + seq);
    *w++ = 0x30;
    *w++ = (uint8_t)seq;
    *w++ = 0x06;
    *w++ = (uint8_t)p->oid_len;
    memcpy(w, p->oid, p->oid_len);
    w += p->oid_len;
    *w++ = 0x02;
    *w++ = 0x01;
    *w++ = 0x02;
    *w++ = 0x02;
    *w++ = 0x01;
    *w++ = (uint8_t)p->param_id;
    return total;
}

/* ---------------------------------------------------------------------------------------------
 * APDUs over card_io */

typedef struct {
    card_io *io;
    int timeout_ms;
} apdu_link;

/* Sends cmd; the response data (without SW) into data, the status word into *sw. */
static emrtd_pace_status exchange(const apdu_link *l, const uint8_t *cmd, size_t cmd_len,
                                  uint8_t *data, size_t cap, size_t *data_len, uint16_t *sw)
{
    uint8_t resp[CARD_IO_MAX_RESPONSE];
    size_t n = 0;
    card_io_status st =
        l->io->transceive(l->io, cmd, cmd_len, resp, sizeof resp, &n, l->timeout_ms);
    emrtd_pace_status ret = EMRTD_PACE_OK;
    if (st == CARD_IO_GONE)
        ret = EMRTD_PACE_ERR_GONE;
    else if (st == CARD_IO_TIMEOUT)
        ret = EMRTD_PACE_ERR_TIMEOUT;
    else if (st != CARD_IO_OK || n < 2 || n > sizeof resp || n - 2 > cap)
        ret = EMRTD_PACE_ERR_TRANSPORT;
    if (ret == EMRTD_PACE_OK) {
        *sw = (uint16_t)(resp[n - 2] << 8 | resp[n - 1]);
        if (n > 2)
            memcpy(data, resp, n - 2);
        *data_len = n - 2;
    }
    OPENSSL_cleanse(resp, sizeof resp);
    return ret;
}

emrtd_pace_status emrtd_pace_read_card_access(card_io *io, uint8_t *buf, size_t cap, size_t *len,
                                              int timeout_ms)
{
    if (!io || !io->transceive || !buf || !len)
        return EMRTD_PACE_ERR_ARGUMENT;
    apdu_link l = {io, timeout_ms > 0 ? timeout_ms : EMRTD_PACE_TIMEOUT_MS};
    size_t have = 0, want = 0; /* want: the whole TLV's length once known */
    for (int round = 0; round < 16; round++) {
        /* READ BINARY: first by short file identifier 1C (offset 0), then by offset */
        uint8_t cmd[5] = {0x00, 0xB0, (uint8_t)(have >> 8), (uint8_t)have, 0x00};
        if (round == 0)
            cmd[2] = 0x80 | 0x1C, cmd[3] = 0x00;
        size_t room = (want ? want : cap) - have;
        cmd[4] = room >= 256 ? 0x00 : (uint8_t)room;
        uint8_t data[CARD_IO_MAX_RESPONSE];
        size_t n = 0;
        uint16_t sw = 0;
        emrtd_pace_status st = exchange(&l, cmd, sizeof cmd, data, sizeof data, &n, &sw);
        if (st != EMRTD_PACE_OK)
            return st;
        if (round == 0 && (sw == 0x6A82 || sw == 0x6A86 || sw == 0x6981))
            return EMRTD_PACE_ERR_UNSUPPORTED; /* no EF.CardAccess: no PACE */
        if (sw != 0x9000 && sw != 0x6282)
            return EMRTD_PACE_ERR_PROTOCOL;
        if (n == 0 || n > cap - have)
            return n == 0 ? EMRTD_PACE_ERR_PROTOCOL : EMRTD_PACE_ERR_CARD_ACCESS;
        memcpy(buf + have, data, n);
        have += n;
        if (!want) { /* the outer SET's header tells the file's length */
            if (have < 2)
                return EMRTD_PACE_ERR_CARD_ACCESS;
            size_t hdr = 2, body = buf[1];
            if (buf[1] == 0x81 && have >= 3)
                hdr = 3, body = buf[2];
            else if (buf[1] == 0x82 && have >= 4)
                hdr = 4, body = (size_t)buf[2] << 8 | buf[3];
            else if (buf[1] >= 0x80)
                return EMRTD_PACE_ERR_CARD_ACCESS;
            want = hdr + body;
            if (want > cap || want > EMRTD_PACE_CARD_ACCESS_MAX)
                return EMRTD_PACE_ERR_CARD_ACCESS;
        }
        if (have >= want || sw == 0x6282) {
            *len = have < want ? have : want;
            return EMRTD_PACE_OK;
        }
    }
    return EMRTD_PACE_ERR_CARD_ACCESS;
}

/* ---------------------------------------------------------------------------------------------
 * Passwords */

/* The check digits (ICAO 9303-3 §4.9): emrtd_mrz_check_digit, one implementation for the
 * whole eMRTD code. */

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

bool emrtd_pace_password_can(emrtd_pace_password *pw, const char *can)
{
    if (!pw)
        return false;
    memset(pw, 0, sizeof *pw);
    if (!can || strlen(can) != 6 || !all_digits(can, 6))
        return false;
    pw->ref = EMRTD_PACE_PW_CAN;
    memcpy(pw->pi, can, 6);
    pw->pi_len = 6;
    return true;
}

static bool mrz_pi(emrtd_pace_password *pw, const char info[24])
{
    pw->ref = EMRTD_PACE_PW_MRZ;
    unsigned n = 0;
    bool ok = EVP_Digest(info, 24, pw->pi, &n, EVP_sha1(), NULL) == 1 && n == 20;
    pw->pi_len = ok ? 20 : 0;
    return ok;
}

bool emrtd_pace_password_mrz_info(emrtd_pace_password *pw, const char *mrz_info)
{
    if (!pw)
        return false;
    memset(pw, 0, sizeof *pw);
    if (!mrz_info || strlen(mrz_info) != 24)
        return false;
    const char *m = mrz_info;
    if (!all_digits(m + 10, 6) || !all_digits(m + 17, 6) || emrtd_mrz_check_digit(m, 9) != m[9] ||
        emrtd_mrz_check_digit(m + 10, 6) != m[16] || emrtd_mrz_check_digit(m + 17, 6) != m[23] ||
        !all_digits(m + 9, 1) || !all_digits(m + 16, 1) || !all_digits(m + 23, 1))
        return false;
    return mrz_pi(pw, m);
}

bool emrtd_pace_password_mrz(emrtd_pace_password *pw, const char *document_number,
                             const char *birth, const char *expiry)
{
    if (!pw)
        return false;
    memset(pw, 0, sizeof *pw);
    if (!document_number || !birth || !expiry)
        return false;
    size_t dn = strlen(document_number);
    if (dn < 1 || dn > 9 || strlen(birth) != 6 || strlen(expiry) != 6 || !all_digits(birth, 6) ||
        !all_digits(expiry, 6))
        return false;
    char info[25];
    memset(info, '<', 9);
    memcpy(info, document_number, dn);
    int c1 = emrtd_mrz_check_digit(info, 9);
    memcpy(info + 10, birth, 6);
    memcpy(info + 17, expiry, 6);
    int c2 = emrtd_mrz_check_digit(birth, 6), c3 = emrtd_mrz_check_digit(expiry, 6);
    bool ok = c1 >= 0;
    if (ok) {
        info[9] = (char)c1; /* the check digits as characters */
        info[16] = (char)c2;
        info[23] = (char)c3;
        info[24] = '\0';
        ok = mrz_pi(pw, info);
    }
    OPENSSL_cleanse(info, sizeof info);
    return ok;
}

void emrtd_pace_password_wipe(emrtd_pace_password *pw)
{
    if (pw)
        OPENSSL_cleanse(pw, sizeof *pw);
}

void emrtd_pace_keys_wipe(emrtd_pace_keys *k)
{
    if (k)
        OPENSSL_cleanse(k, sizeof *k);
}

/* ---------------------------------------------------------------------------------------------
 * Symmetric cryptography: KDF, AES-CBC with a zero IV, AES-CMAC */

bool emrtd_pace_kdf(const uint8_t *secret, size_t secret_len, uint32_t counter, size_t key_len,
                    uint8_t *out)
{
    if (!secret || !out || (key_len != 16 && key_len != 24 && key_len != 32))
        return false;
    const EVP_MD *md = key_len == 16 ? EVP_sha1() : EVP_sha256();
    uint8_t c[4] = {(uint8_t)(counter >> 24), (uint8_t)(counter >> 16), (uint8_t)(counter >> 8),
                    (uint8_t)counter};
    uint8_t digest[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    bool ok = ctx && EVP_DigestInit_ex(ctx, md, NULL) == 1 &&
              EVP_DigestUpdate(ctx, secret, secret_len) == 1 &&
              EVP_DigestUpdate(ctx, c, sizeof c) == 1 && EVP_DigestFinal_ex(ctx, digest, &n) == 1 &&
              n >= key_len;
    EVP_MD_CTX_free(ctx);
    if (ok)
        memcpy(out, digest, key_len);
    OPENSSL_cleanse(digest, sizeof digest);
    return ok;
}

static const EVP_CIPHER *aes_cbc(size_t key_len)
{
    return key_len == 16   ? EVP_aes_128_cbc()
           : key_len == 24 ? EVP_aes_192_cbc()
                           : EVP_aes_256_cbc();
}

/* AES-CBC, IV 0, no padding; len a multiple of 16. */
static bool aes_cbc_zero_iv(bool encrypt, const uint8_t *key, size_t key_len, const uint8_t *in,
                            size_t len, uint8_t *out)
{
    static const uint8_t iv[16] = {0};
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int n1 = 0, n2 = 0;
    bool ok = ctx && len % 16 == 0 && len <= INT32_MAX &&
              EVP_CipherInit_ex(ctx, aes_cbc(key_len), NULL, key, iv, encrypt ? 1 : 0) == 1 &&
              EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
              EVP_CipherUpdate(ctx, out, &n1, in, (int)len) == 1 &&
              EVP_CipherFinal_ex(ctx, out + n1, &n2) == 1 && (size_t)(n1 + n2) == len;
    EVP_CIPHER_CTX_free(ctx);
    return ok;
}

static bool aes_cmac(const uint8_t *key, size_t key_len, const uint8_t *msg, size_t len,
                     uint8_t out[16])
{
    const char *name = key_len == 16   ? "AES-128-CBC"
                       : key_len == 24 ? "AES-192-CBC"
                                       : "AES-256-CBC";
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "CMAC", NULL);
    EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
    OSSL_PARAM params[2] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, (char *)name, 0),
        OSSL_PARAM_construct_end(),
    };
    size_t n = 0;
    bool ok = ctx && EVP_MAC_init(ctx, key, key_len, params) == 1 &&
              EVP_MAC_update(ctx, msg, len) == 1 && EVP_MAC_final(ctx, out, &n, 16) == 1 && n == 16;
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
    return ok;
}

bool emrtd_pace_token(const emrtd_pace_params *p, const uint8_t *ks_mac, const uint8_t *point,
                      size_t point_len, uint8_t token[8])
{
    if (!params_valid(p) || !ks_mac || !point || point_len > EMRTD_PACE_MAX_POINT || !token)
        return false;
    /* 7F49 L { 06 L oid, 86 L point } (TR-03110-3 D.3.3; ICAO 9303-11 §4.4.3.4) */
    uint8_t obj[2 + 3 + 2 + EMRTD_PACE_MAX_OID + 3 + EMRTD_PACE_MAX_POINT];
    uint8_t inner[2 + EMRTD_PACE_MAX_OID + 3 + EMRTD_PACE_MAX_POINT];
    size_t n = 0;
    inner[n++] = 0x06;
    inner[n++] = (uint8_t)p->oid_len;
    memcpy(inner + n, p->oid, p->oid_len);
    n += p->oid_len;
    inner[n++] = 0x86;
    n += der_len(inner + n, point_len);
    memcpy(inner + n, point, point_len);
    n += point_len;
    size_t m = 0;
    obj[m++] = 0x7F;
    obj[m++] = 0x49;
    m += der_len(obj + m, n);
    memcpy(obj + m, inner, n);
    m += n;
    uint8_t mac[16];
    bool ok = aes_cmac(ks_mac, p->key_len, obj, m, mac);
    if (ok)
        memcpy(token, mac, 8);
    OPENSSL_cleanse(mac, sizeof mac);
    return ok;
}

/* ---------------------------------------------------------------------------------------------
 * Elliptic curves (OpenSSL's EC_POINT arithmetic; single-point multiplications run OpenSSL's
 * constant-time ladder) */

typedef struct {
    EC_GROUP *g;
    BN_CTX *bn;
    size_t field_len; /* bytes per coordinate */
    size_t point_len; /* 1 + 2 * field_len */
    size_t order_len;
    int order_bits;
} curve;

static void curve_close(curve *c)
{
    EC_GROUP_free(c->g);
    BN_CTX_free(c->bn);
    memset(c, 0, sizeof *c);
}

static bool curve_open(int param_id, curve *c)
{
    memset(c, 0, sizeof *c);
    int nid = curve_nid(param_id);
    if (nid == NID_undef)
        return false;
    c->g = EC_GROUP_new_by_curve_name(nid);
    c->bn = BN_CTX_secure_new();
    if (!c->g || !c->bn) {
        curve_close(c);
        return false;
    }
    c->field_len = ((size_t)EC_GROUP_get_degree(c->g) + 7) / 8;
    c->point_len = 1 + 2 * c->field_len;
    c->order_bits = BN_num_bits(EC_GROUP_get0_order(c->g));
    c->order_len = ((size_t)c->order_bits + 7) / 8;
    return c->field_len <= EMRTD_PACE_MAX_FIELD && c->order_len <= EMRTD_PACE_MAX_FIELD;
}

/* An uncompressed point on the curve, not at infinity (all the curves have cofactor 1). */
static EC_POINT *point_decode(const curve *c, const uint8_t *b, size_t len)
{
    if (!b || len != c->point_len || b[0] != 0x04)
        return NULL;
    EC_POINT *pt = EC_POINT_new(c->g);
    if (!pt || EC_POINT_oct2point(c->g, pt, b, len, c->bn) != 1 ||
        EC_POINT_is_on_curve(c->g, pt, c->bn) != 1 || EC_POINT_is_at_infinity(c->g, pt)) {
        EC_POINT_clear_free(pt);
        return NULL;
    }
    return pt;
}

static bool point_encode(const curve *c, const EC_POINT *pt, uint8_t *out)
{
    return !EC_POINT_is_at_infinity(c->g, pt) &&
           EC_POINT_point2oct(c->g, pt, POINT_CONVERSION_UNCOMPRESSED, out, c->point_len, c->bn) ==
               c->point_len;
}

/* A private key in [1, n-1]. */
static BIGNUM *scalar_decode(const curve *c, const uint8_t *b, size_t len)
{
    if (!b || len == 0 || len > EMRTD_PACE_MAX_FIELD)
        return NULL;
    BIGNUM *k = BN_secure_new();
    if (!k)
        return NULL;
    BN_set_flags(k, BN_FLG_CONSTTIME);
    if (!BN_bin2bn(b, (int)len, k) || BN_is_zero(k) || BN_cmp(k, EC_GROUP_get0_order(c->g)) >= 0) {
        BN_clear_free(k);
        return NULL;
    }
    return k;
}

static bool fill_random(const emrtd_pace_random *r, emrtd_pace_random_kind kind, uint8_t *out,
                        size_t len)
{
    if (r && r->fill)
        return r->fill(r->ctx, kind, out, len);
    return len <= INT32_MAX && RAND_priv_bytes(out, (int)len) == 1;
}

/* A private key of order_len bytes, uniform in [1, n-1] by rejection. */
static bool random_scalar(const curve *c, const emrtd_pace_random *r, emrtd_pace_random_kind kind,
                          uint8_t *out)
{
    int top = c->order_bits % 8;
    for (int attempt = 0; attempt < 64; attempt++) {
        if (!fill_random(r, kind, out, c->order_len))
            break;
        if (top)
            out[0] &= (uint8_t)((1u << top) - 1);
        BIGNUM *k = scalar_decode(c, out, c->order_len);
        if (k) {
            BN_clear_free(k);
            return true;
        }
    }
    OPENSSL_cleanse(out, c->order_len);
    return false;
}

/* pub = sk · gen (gen NULL: the curve's generator). */
static bool ec_public(const curve *c, const uint8_t *gen, size_t gen_len, const uint8_t *sk,
                      uint8_t *pub)
{
    EC_POINT *g = gen ? point_decode(c, gen, gen_len) : NULL;
    BIGNUM *k = scalar_decode(c, sk, c->order_len);
    EC_POINT *r = EC_POINT_new(c->g);
    bool ok = k && r && (g || !gen) &&
              (g ? EC_POINT_mul(c->g, r, NULL, g, k, c->bn)
                 : EC_POINT_mul(c->g, r, k, NULL, NULL, c->bn)) == 1 &&
              point_encode(c, r, pub);
    EC_POINT_clear_free(r);
    EC_POINT_clear_free(g);
    BN_clear_free(k);
    return ok;
}

/* The point sk · pk_other (not at infinity). */
static EC_POINT *ec_agree(const curve *c, const uint8_t *sk, const uint8_t *pk_other, size_t pk_len)
{
    EC_POINT *pk = point_decode(c, pk_other, pk_len);
    BIGNUM *k = scalar_decode(c, sk, c->order_len);
    EC_POINT *r = EC_POINT_new(c->g);
    bool ok = pk && k && r && EC_POINT_mul(c->g, r, NULL, pk, k, c->bn) == 1 &&
              !EC_POINT_is_at_infinity(c->g, r);
    EC_POINT_clear_free(pk);
    BN_clear_free(k);
    if (!ok) {
        EC_POINT_clear_free(r);
        return NULL;
    }
    return r;
}

static bool ec_shared(const curve *c, const uint8_t *sk, const uint8_t *pk_other, size_t pk_len,
                      uint8_t *x)
{
    EC_POINT *r = ec_agree(c, sk, pk_other, pk_len);
    BIGNUM *bx = BN_secure_new();
    bool ok = r && bx && EC_POINT_get_affine_coordinates(c->g, r, bx, NULL, c->bn) == 1 &&
              BN_bn2binpad(bx, x, (int)c->field_len) == (int)c->field_len;
    BN_clear_free(bx);
    EC_POINT_clear_free(r);
    return ok;
}

/* G^ = s·G + H with H = sk_map · pk_other (ICAO 9303-11 §4.4.3.3.1). */
static bool gm_map(const curve *c, const uint8_t *s, size_t s_len, const uint8_t *sk_map,
                   const uint8_t *pk_other, size_t pk_len, uint8_t *h_out, uint8_t *gen_out)
{
    EC_POINT *h = ec_agree(c, sk_map, pk_other, pk_len);
    BIGNUM *bs = BN_secure_new();
    EC_POINT *sg = EC_POINT_new(c->g);
    if (bs)
        BN_set_flags(bs, BN_FLG_CONSTTIME);
    bool ok = h && bs && sg && s_len > 0 && s_len <= 64 && BN_bin2bn(s, (int)s_len, bs) &&
              EC_POINT_mul(c->g, sg, bs, NULL, NULL, c->bn) == 1 &&
              EC_POINT_add(c->g, sg, sg, h, c->bn) == 1 && point_encode(c, sg, gen_out) &&
              (!h_out || point_encode(c, h, h_out));
    EC_POINT_clear_free(sg);
    EC_POINT_clear_free(h);
    BN_clear_free(bs);
    return ok;
}

bool emrtd_pace_gm_map(int param_id, const uint8_t *s, size_t s_len, const uint8_t *sk_map,
                       size_t sk_len, const uint8_t *pk_other, size_t pk_len, uint8_t *h,
                       uint8_t *generator, size_t *point_len)
{
    curve c;
    if (!s || !generator || !point_len || !curve_open(param_id, &c))
        return false;
    bool ok = sk_len == c.order_len && gm_map(&c, s, s_len, sk_map, pk_other, pk_len, h, generator);
    if (ok)
        *point_len = c.point_len;
    curve_close(&c);
    return ok;
}

bool emrtd_pace_ec_public(int param_id, const uint8_t *generator, size_t gen_len, const uint8_t *sk,
                          size_t sk_len, uint8_t *pub, size_t *point_len)
{
    curve c;
    if (!pub || !point_len || !curve_open(param_id, &c))
        return false;
    bool ok = sk_len == c.order_len && ec_public(&c, generator, gen_len, sk, pub);
    if (ok)
        *point_len = c.point_len;
    curve_close(&c);
    return ok;
}

bool emrtd_pace_ec_shared(int param_id, const uint8_t *sk, size_t sk_len, const uint8_t *pk_other,
                          size_t pk_len, uint8_t *x, size_t *x_len)
{
    curve c;
    if (!x || !x_len || !curve_open(param_id, &c))
        return false;
    bool ok = sk_len == c.order_len && ec_shared(&c, sk, pk_other, pk_len, x);
    if (ok)
        *x_len = c.field_len;
    curve_close(&c);
    return ok;
}

/* ---------------------------------------------------------------------------------------------
 * The protocol state both sides keep: every secret in one place, wiped in one place. */

typedef struct {
    curve c;
    uint8_t kpi[EMRTD_PACE_MAX_KEY];
    uint8_t s[16];
    uint8_t sk_map[EMRTD_PACE_MAX_FIELD], sk_eph[EMRTD_PACE_MAX_FIELD];
    uint8_t pk_map[EMRTD_PACE_MAX_POINT], pk_eph[EMRTD_PACE_MAX_POINT];
    uint8_t pk_eph_other[EMRTD_PACE_MAX_POINT];
    uint8_t generator[EMRTD_PACE_MAX_POINT];
    uint8_t shared[EMRTD_PACE_MAX_FIELD];
    uint8_t token_mine[8], token_theirs[8]; /* to send; to expect */
    emrtd_pace_keys keys;
} pace_state;

static void state_wipe(pace_state *st)
{
    curve_close(&st->c);
    OPENSSL_cleanse(st, sizeof *st);
}

/* Shared secret → session keys and both tokens. */
static bool derive_keys(const emrtd_pace_params *p, pace_state *st)
{
    emrtd_pace_keys *k = &st->keys;
    size_t fl = st->c.field_len, pl = st->c.point_len;
    memset(k, 0, sizeof *k);
    k->cipher = p->cipher;
    k->key_len = p->key_len;
    k->ssc_len = 16;
    k->card_eph_x_len = fl;
    return emrtd_pace_kdf(st->shared, fl, 1, p->key_len, k->ks_enc) &&
           emrtd_pace_kdf(st->shared, fl, 2, p->key_len, k->ks_mac) &&
           emrtd_pace_token(p, k->ks_mac, st->pk_eph_other, pl, st->token_mine) &&
           emrtd_pace_token(p, k->ks_mac, st->pk_eph, pl, st->token_theirs);
}

/* The dynamic authentication data 7C { tag value }: true with the value if tag is in it (once;
 * other tags are allowed beside it). */
static bool dyn_auth_get(const uint8_t *data, size_t len, unsigned tag, const uint8_t **v,
                         size_t *vlen)
{
    const uint8_t *p = data, *end = data + len;
    tlv outer, t;
    if (!tlv_next(&p, end, &outer) || outer.tag != 0x7C || p != end)
        return false;
    bool found = false;
    for (const uint8_t *q = outer.v, *qend = outer.v + outer.len; q < qend;) {
        if (!tlv_next(&q, qend, &t))
            return false;
        if (t.tag == tag) {
            if (found)
                return false;
            found = true;
            *v = t.v;
            *vlen = t.len;
        }
    }
    return found;
}

/* Writes 7C { tag value } (tag 0: empty 7C 00); returns the length. */
static size_t dyn_auth_put(uint8_t *out, unsigned tag, const uint8_t *v, size_t vlen)
{
    uint8_t inner[3 + 3 + EMRTD_PACE_MAX_POINT];
    size_t n = 0;
    if (vlen > EMRTD_PACE_MAX_POINT) /* never: points and tokens are smaller; says so to GCC */
        vlen = 0;
    if (tag) {
        inner[n++] = (uint8_t)tag;
        n += der_len(inner + n, vlen);
        memcpy(inner + n, v, vlen);
        n += vlen;
    }
    size_t m = 0;
    out[m++] = 0x7C;
    m += der_len(out + m, n);
    memcpy(out + m, inner, n);
    return m + n;
}

/* ---------------------------------------------------------------------------------------------
 * The terminal */

static emrtd_pace_status sw_status(uint16_t sw, int *tries_left)
{
    if ((sw & 0xFFF0) == 0x63C0) {
        *tries_left = sw & 0x0F;
        return (sw & 0x0F) ? EMRTD_PACE_ERR_PASSWORD : EMRTD_PACE_ERR_BLOCKED;
    }
    if (sw == 0x6300)
        return EMRTD_PACE_ERR_PASSWORD;
    if (sw == 0x6983) {
        *tries_left = 0;
        return EMRTD_PACE_ERR_BLOCKED;
    }
    return EMRTD_PACE_ERR_PROTOCOL;
}

/* One GENERAL AUTHENTICATE: sends 7C { tag value } (CLA 10 while chaining), expects 7C { want }
 * back with 9000, at most cap bytes. */
static emrtd_pace_status general_authenticate(const apdu_link *l, bool last, unsigned tag,
                                              const uint8_t *v, size_t vlen, unsigned want,
                                              uint8_t *out, size_t cap, size_t *out_len,
                                              int *tries_left)
{
    uint8_t cmd[CARD_IO_MAX_COMMAND];
    cmd[0] = last ? 0x00 : 0x10;
    cmd[1] = 0x86;
    cmd[2] = 0x00;
    cmd[3] = 0x00;
    size_t n = dyn_auth_put(cmd + 5, tag, v, vlen);
    if (n > 255)
        return EMRTD_PACE_ERR_ARGUMENT;
    cmd[4] = (uint8_t)n;
    cmd[5 + n] = 0x00; /* Le */
    uint8_t data[CARD_IO_MAX_RESPONSE];
    size_t dlen = 0;
    uint16_t sw = 0;
    emrtd_pace_status st = exchange(l, cmd, 6 + n, data, sizeof data, &dlen, &sw);
    const uint8_t *val = NULL;
    size_t vl = 0;
    if (st == EMRTD_PACE_OK && sw != 0x9000)
        st = sw_status(sw, tries_left);
    if (st == EMRTD_PACE_OK && (!dyn_auth_get(data, dlen, want, &val, &vl) || vl > cap))
        st = EMRTD_PACE_ERR_PROTOCOL;
    if (st == EMRTD_PACE_OK) {
        memcpy(out, val, vl);
        *out_len = vl;
    }
    OPENSSL_cleanse(cmd, sizeof cmd);
    OPENSSL_cleanse(data, sizeof data);
    return st;
}

static emrtd_pace_status mse_set_at(const apdu_link *l, const emrtd_pace_params *p,
                                    emrtd_pace_pw_ref ref, int *tries_left)
{
    uint8_t cmd[5 + 2 + EMRTD_PACE_MAX_OID + 3 + 3];
    size_t n = 5;
    cmd[0] = 0x00, cmd[1] = 0x22, cmd[2] = 0xC1, cmd[3] = 0xA4;
    cmd[n++] = 0x80;
    cmd[n++] = (uint8_t)p->oid_len;
    memcpy(cmd + n, p->oid, p->oid_len);
    n += p->oid_len;
    cmd[n++] = 0x83, cmd[n++] = 0x01, cmd[n++] = (uint8_t)ref;
    if (p->send_param_id)
        cmd[n++] = 0x84, cmd[n++] = 0x01, cmd[n++] = (uint8_t)p->param_id;
    cmd[4] = (uint8_t)(n - 5);
    uint8_t data[CARD_IO_MAX_RESPONSE];
    size_t dlen = 0;
    uint16_t sw = 0;
    emrtd_pace_status st = exchange(l, cmd, n, data, sizeof data, &dlen, &sw);
    if (st != EMRTD_PACE_OK || sw == 0x9000)
        return st;
    if ((sw & 0xFFF0) == 0x63C0 && (sw & 0x0F)) { /* a warning: x tries left, go on */
        *tries_left = sw & 0x0F;
        return EMRTD_PACE_OK;
    }
    if (sw == 0x6A88)
        return EMRTD_PACE_ERR_UNSUPPORTED; /* the card does not know this password (a CAN) */
    st = sw_status(sw, tries_left);
    return st == EMRTD_PACE_ERR_PASSWORD ? EMRTD_PACE_ERR_PROTOCOL : st;
}

static emrtd_pace_status terminal_run(const apdu_link *l, const emrtd_pace_params *p,
                                      const emrtd_pace_password *pw, const emrtd_pace_random *rnd,
                                      pace_state *st, int *tries_left)
{
    curve *c = &st->c;
    if (!curve_open(p->param_id, c) || !emrtd_pace_kdf(pw->pi, pw->pi_len, 3, p->key_len, st->kpi))
        return EMRTD_PACE_ERR_CRYPTO;
    emrtd_pace_status s = mse_set_at(l, p, pw->ref, tries_left);
    if (s != EMRTD_PACE_OK)
        return s;

    /* 1: the encrypted nonce z; s = D(Kπ, z) */
    uint8_t z[16];
    size_t zlen = 0;
    s = general_authenticate(l, false, 0, NULL, 0, 0x80, z, sizeof z, &zlen, tries_left);
    if (s != EMRTD_PACE_OK)
        return s;
    if (zlen != sizeof z)
        return EMRTD_PACE_ERR_PROTOCOL;
    if (!aes_cbc_zero_iv(false, st->kpi, p->key_len, z, zlen, st->s))
        return EMRTD_PACE_ERR_CRYPTO;

    /* 2: mapping keys; G^ = s·G + SK_map · PK_map,IC */
    uint8_t pk_map_card[EMRTD_PACE_MAX_POINT];
    size_t n = 0;
    if (!random_scalar(c, rnd, EMRTD_PACE_RANDOM_MAP_KEY, st->sk_map) ||
        !ec_public(c, NULL, 0, st->sk_map, st->pk_map))
        return EMRTD_PACE_ERR_CRYPTO;
    s = general_authenticate(l, false, 0x81, st->pk_map, c->point_len, 0x82, pk_map_card,
                             sizeof pk_map_card, &n, tries_left);
    if (s != EMRTD_PACE_OK)
        return s;
    if (n != c->point_len || memcmp(pk_map_card, st->pk_map, n) == 0 ||
        !gm_map(c, st->s, sizeof st->s, st->sk_map, pk_map_card, n, NULL, st->generator))
        return EMRTD_PACE_ERR_CRYPTO;
    OPENSSL_cleanse(st->sk_map, sizeof st->sk_map);

    /* 3: ephemeral keys on G^; K = x(SK_eph · PK_eph,IC) */
    if (!random_scalar(c, rnd, EMRTD_PACE_RANDOM_EPH_KEY, st->sk_eph) ||
        !ec_public(c, st->generator, c->point_len, st->sk_eph, st->pk_eph))
        return EMRTD_PACE_ERR_CRYPTO;
    s = general_authenticate(l, false, 0x83, st->pk_eph, c->point_len, 0x84, st->pk_eph_other,
                             sizeof st->pk_eph_other, &n, tries_left);
    if (s != EMRTD_PACE_OK)
        return s;
    if (n != c->point_len || memcmp(st->pk_eph_other, st->pk_eph, n) == 0 ||
        !ec_shared(c, st->sk_eph, st->pk_eph_other, n, st->shared))
        return EMRTD_PACE_ERR_CRYPTO;
    OPENSSL_cleanse(st->sk_eph, sizeof st->sk_eph);
    if (!derive_keys(p, st))
        return EMRTD_PACE_ERR_CRYPTO;

    /* 4: tokens. A wrong password shows here: the card refuses ours (63Cx, 6300). */
    uint8_t t_card[8];
    s = general_authenticate(l, true, 0x85, st->token_mine, 8, 0x86, t_card, sizeof t_card, &n,
                             tries_left);
    if (s != EMRTD_PACE_OK)
        return s;
    if (n != 8 || CRYPTO_memcmp(t_card, st->token_theirs, 8) != 0)
        return EMRTD_PACE_ERR_CARD_TOKEN;
    size_t fl = c->field_len;
    memcpy(st->keys.card_eph_x, st->pk_eph_other + 1, fl);
    return EMRTD_PACE_OK;
}

emrtd_pace_status emrtd_pace_terminal(card_io *io, const emrtd_pace_params *p,
                                      const emrtd_pace_password *pw, const emrtd_pace_options *opt,
                                      emrtd_pace_keys *keys, int *tries_left)
{
    int tries = -1;
    if (tries_left)
        *tries_left = -1;
    if (!io || !io->transceive || !keys || !pw || pw->pi_len == 0 || pw->pi_len > sizeof pw->pi ||
        (pw->ref != EMRTD_PACE_PW_CAN && pw->ref != EMRTD_PACE_PW_MRZ) || !params_valid(p))
        return EMRTD_PACE_ERR_ARGUMENT;
    apdu_link l = {io, opt && opt->timeout_ms > 0 ? opt->timeout_ms : EMRTD_PACE_TIMEOUT_MS};
    pace_state *st = OPENSSL_secure_zalloc(sizeof *st);
    if (!st)
        return EMRTD_PACE_ERR_CRYPTO;
    emrtd_pace_status s = terminal_run(&l, p, pw, opt ? opt->random : NULL, st, &tries);
    if (s == EMRTD_PACE_OK)
        *keys = st->keys;
    state_wipe(st);
    OPENSSL_secure_free(st);
    if (tries_left)
        *tries_left = tries;
    return s;
}

/* ---------------------------------------------------------------------------------------------
 * The card */

enum { CARD_IDLE, CARD_SET, CARD_NONCE, CARD_MAPPED, CARD_AGREED, CARD_DONE };

struct emrtd_pace_card {
    emrtd_pace_params p;
    emrtd_pace_password can, mrz; /* pi_len 0: not known */
    int tries, tries_max;
    emrtd_pace_random random;
    bool has_random;
    int phase;
    emrtd_pace_pw_ref ref;
    pace_state st;
    emrtd_pace_keys done; /* the last successful session's keys */
};

emrtd_pace_card *emrtd_pace_card_new(const emrtd_pace_params *p, const emrtd_pace_password *can,
                                     const emrtd_pace_password *mrz, int tries,
                                     const emrtd_pace_random *random)
{
    if (!params_valid(p) || (!can && !mrz) || (can && can->ref != EMRTD_PACE_PW_CAN) ||
        (mrz && mrz->ref != EMRTD_PACE_PW_MRZ) || tries > 15)
        return NULL;
    emrtd_pace_card *c = OPENSSL_secure_zalloc(sizeof *c);
    if (!c)
        return NULL;
    c->p = *p;
    if (can)
        c->can = *can;
    if (mrz)
        c->mrz = *mrz;
    c->tries = c->tries_max = tries < 0 ? -1 : tries;
    if (random) {
        c->random = *random;
        c->has_random = true;
    }
    return c;
}

void emrtd_pace_card_free(emrtd_pace_card *c)
{
    if (!c)
        return;
    state_wipe(&c->st);
    OPENSSL_cleanse(c, sizeof *c);
    OPENSSL_secure_free(c);
}

int emrtd_pace_card_tries(const emrtd_pace_card *c)
{
    return c ? c->tries : -1;
}

bool emrtd_pace_card_keys(const emrtd_pace_card *c, emrtd_pace_keys *out)
{
    if (!c || !out || c->phase != CARD_DONE)
        return false;
    *out = c->done;
    return true;
}

static void card_reset(emrtd_pace_card *c)
{
    state_wipe(&c->st);
    c->phase = CARD_IDLE;
}

static size_t put_sw(uint8_t *resp, size_t at, uint16_t sw)
{
    resp[at] = (uint8_t)(sw >> 8);
    resp[at + 1] = (uint8_t)sw;
    return at + 2;
}

static uint16_t card_mse(emrtd_pace_card *c, const uint8_t *data, size_t len)
{
    card_reset(c);
    const uint8_t *q = data, *end = data + len;
    const uint8_t *oid = NULL;
    size_t oid_len = 0;
    int ref = -1, pid = -1;
    while (q < end) {
        tlv t;
        if (!tlv_next(&q, end, &t))
            return 0x6A80;
        if (t.tag == 0x80)
            oid = t.v, oid_len = t.len;
        else if (t.tag == 0x83 && t.len == 1)
            ref = t.v[0];
        else if (t.tag == 0x84 && t.len == 1)
            pid = t.v[0];
        else if (t.tag == 0x83 || t.tag == 0x84)
            return 0x6A80;
    }
    if (!oid || oid_len != c->p.oid_len || memcmp(oid, c->p.oid, oid_len) != 0 ||
        (pid >= 0 && pid != c->p.param_id))
        return 0x6A80;
    const emrtd_pace_password *pw = ref == EMRTD_PACE_PW_CAN   ? &c->can
                                    : ref == EMRTD_PACE_PW_MRZ ? &c->mrz
                                                               : NULL;
    if (!pw || pw->pi_len == 0)
        return 0x6A88; /* referenced data not found */
    if (c->tries == 0)
        return 0x6983;
    if (!curve_open(c->p.param_id, &c->st.c) ||
        !emrtd_pace_kdf(pw->pi, pw->pi_len, 3, c->p.key_len, c->st.kpi)) {
        card_reset(c);
        return 0x6F00;
    }
    c->ref = (emrtd_pace_pw_ref)ref;
    c->phase = CARD_SET;
    if (c->tries > 0 && c->tries < c->tries_max)
        return (uint16_t)(0x63C0 | c->tries);
    return 0x9000;
}

/* One GENERAL AUTHENTICATE step; returns the SW, the response data in out. */
static uint16_t card_ga(emrtd_pace_card *c, bool chained, const uint8_t *data, size_t len,
                        uint8_t *out, size_t *out_len)
{
    pace_state *st = &c->st;
    curve *cv = &st->c;
    const emrtd_pace_random *rnd = c->has_random ? &c->random : NULL;
    const uint8_t *v = NULL;
    size_t vl = 0;
    *out_len = 0;
    bool last = c->phase == CARD_AGREED;
    if (chained == last)
        return 0x6883; /* steps 1-3 chained, step 4 the chain's last */
    switch (c->phase) {
    case CARD_SET: {
        if (len != 2 || data[0] != 0x7C || data[1] != 0x00)
            return 0x6A80;
        uint8_t z[16];
        if (!fill_random(rnd, EMRTD_PACE_RANDOM_NONCE, st->s, sizeof st->s) ||
            !aes_cbc_zero_iv(true, st->kpi, c->p.key_len, st->s, sizeof st->s, z))
            return 0x6F00;
        *out_len = dyn_auth_put(out, 0x80, z, sizeof z);
        c->phase = CARD_NONCE;
        return 0x9000;
    }
    case CARD_NONCE:
        if (!dyn_auth_get(data, len, 0x81, &v, &vl) || vl != cv->point_len)
            return 0x6A80;
        if (!random_scalar(cv, rnd, EMRTD_PACE_RANDOM_MAP_KEY, st->sk_map) ||
            !ec_public(cv, NULL, 0, st->sk_map, st->pk_map))
            return 0x6F00;
        if (memcmp(v, st->pk_map, vl) == 0 ||
            !gm_map(cv, st->s, sizeof st->s, st->sk_map, v, vl, NULL, st->generator))
            return 0x6A80;
        OPENSSL_cleanse(st->sk_map, sizeof st->sk_map);
        *out_len = dyn_auth_put(out, 0x82, st->pk_map, cv->point_len);
        c->phase = CARD_MAPPED;
        return 0x9000;
    case CARD_MAPPED:
        if (!dyn_auth_get(data, len, 0x83, &v, &vl) || vl != cv->point_len)
            return 0x6A80;
        memcpy(st->pk_eph_other, v, vl);
        if (!random_scalar(cv, rnd, EMRTD_PACE_RANDOM_EPH_KEY, st->sk_eph) ||
            !ec_public(cv, st->generator, cv->point_len, st->sk_eph, st->pk_eph))
            return 0x6F00;
        if (memcmp(v, st->pk_eph, vl) == 0 || !ec_shared(cv, st->sk_eph, v, vl, st->shared))
            return 0x6A80;
        OPENSSL_cleanse(st->sk_eph, sizeof st->sk_eph);
        if (!derive_keys(&c->p, st))
            return 0x6F00;
        memcpy(st->keys.card_eph_x, st->pk_eph + 1, cv->field_len);
        *out_len = dyn_auth_put(out, 0x84, st->pk_eph, cv->point_len);
        c->phase = CARD_AGREED;
        return 0x9000;
    case CARD_AGREED:
        if (!dyn_auth_get(data, len, 0x85, &v, &vl) || vl != 8)
            return 0x6A80;
        if (CRYPTO_memcmp(v, st->token_theirs, 8) != 0) {
            if (c->tries > 0)
                c->tries--;
            return c->tries >= 0 ? (uint16_t)(0x63C0 | c->tries) : 0x6300;
        }
        c->tries = c->tries_max;
        *out_len = dyn_auth_put(out, 0x86, st->token_mine, 8);
        c->done = st->keys;
        c->phase = CARD_DONE;
        return 0x9000;
    default:
        return 0x6985;
    }
}

bool emrtd_pace_card_transceive(emrtd_pace_card *c, const uint8_t *cmd, size_t cmd_len,
                                uint8_t *resp, size_t cap, size_t *resp_len)
{
    if (!c || !cmd || cmd_len < 4 || !resp || !resp_len || cap < CARD_IO_MAX_RESPONSE)
        return false;
    bool mse = cmd[1] == 0x22 && cmd[2] == 0xC1 && cmd[3] == 0xA4;
    bool ga = cmd[1] == 0x86 && cmd[2] == 0x00 && cmd[3] == 0x00 && c->phase >= CARD_SET &&
              c->phase < CARD_DONE;
    if ((cmd[0] & ~0x10) != 0x00 || (!mse && !ga))
        return false;
    /* short APDUs: CLA INS P1 P2 [Lc data] [Le] */
    const uint8_t *data = NULL;
    size_t len = 0;
    bool ok_len = cmd_len == 4 || cmd_len == 5;
    if (cmd_len > 5 && cmd[4] != 0) {
        len = cmd[4];
        data = cmd + 5;
        ok_len = cmd_len == 5 + len || cmd_len == 6 + len;
    }
    if (!ok_len) {
        if (ga)
            card_reset(c);
        *resp_len = put_sw(resp, 0, 0x6700);
        return true;
    }
    if (mse) {
        *resp_len = put_sw(resp, 0, (cmd[0] & 0x10) ? 0x6884 : card_mse(c, data, len));
        return true;
    }
    size_t n = 0;
    uint8_t empty = 0;
    uint16_t sw = card_ga(c, cmd[0] & 0x10, data ? data : &empty, len, resp, &n);
    if (sw != 0x9000) {
        card_reset(c);
        n = 0;
    } else if (c->phase == CARD_DONE) {
        state_wipe(&c->st);
    }
    *resp_len = put_sw(resp, n, sw);
    return true;
}
