/* ICAO 9303-11: MRZ key seed, KDF, BAC and secure messaging (see emrtd_sm.h). Written from the
 * specification (sections 4.3 BAC, 9.7 key derivation, 9.8 secure messaging). */
#include "nfc/emrtd_sm.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <string.h>

/* Work buffers: a MAC input is SSC, the padded header, at most a whole command and a block of
 * padding; a cryptogram is at most a whole short response. */
#define MAC_INPUT_MAX (2 * EMRTD_MAX_BLOCK + CARD_IO_MAX_COMMAND + EMRTD_MAX_BLOCK)
#define CRYPT_MAX (256 + EMRTD_MAX_BLOCK)

const char *emrtd_sm_status_text(emrtd_sm_status s)
{
    switch (s) {
    case EMRTD_SM_OK:
        return "ok";
    case EMRTD_SM_ERR_ARG:
        return "invalid argument";
    case EMRTD_SM_ERR_TOO_LONG:
        return "too long";
    case EMRTD_SM_ERR_CRYPTO:
        return "cryptography failed";
    case EMRTD_SM_ERR_FORMAT:
        return "malformed secure messaging data";
    case EMRTD_SM_ERR_MAC:
        return "wrong checksum";
    case EMRTD_SM_ERR_PADDING:
        return "bad padding";
    case EMRTD_SM_ERR_UNPROTECTED:
        return "answer without secure messaging";
    case EMRTD_SM_ERR_CLOSED:
        return "secure messaging session closed";
    case EMRTD_SM_ERR_AUTH:
        return "authentication answer does not match";
    case EMRTD_SM_ERR_REFUSED:
        return "card refused authentication";
    case EMRTD_SM_ERR_GONE:
        return "card left the field";
    case EMRTD_SM_ERR_TIMEOUT:
        return "card did not answer in time";
    case EMRTD_SM_ERR_BROKEN:
        return "card sent no valid response";
    }
    return "unknown";
}

/* ---- keys ---- */

size_t emrtd_cipher_key_len(emrtd_cipher c)
{
    switch (c) {
    case EMRTD_CIPHER_3DES:
    case EMRTD_CIPHER_AES128:
        return 16;
    case EMRTD_CIPHER_AES192:
        return 24;
    case EMRTD_CIPHER_AES256:
        return 32;
    }
    return 0;
}

size_t emrtd_cipher_block(emrtd_cipher c)
{
    switch (c) {
    case EMRTD_CIPHER_3DES:
        return 8;
    case EMRTD_CIPHER_AES128:
    case EMRTD_CIPHER_AES192:
    case EMRTD_CIPHER_AES256:
        return 16;
    }
    return 0;
}

static int mrz_value(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'A' && ch <= 'Z')
        return ch - 'A' + 10;
    if (ch == '<')
        return 0;
    return -1;
}

int emrtd_mrz_check_digit(const char *s, size_t n)
{
    static const int weight[3] = {7, 3, 1};
    int sum = 0;
    for (size_t i = 0; i < n; i++) {
        int v = mrz_value(s[i]);
        if (v < 0)
            return -1;
        sum = (sum + v * weight[i % 3]) % 10;
    }
    return '0' + sum;
}

static bool six_digits(const char *s)
{
    for (int i = 0; i < 6; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return s[6] == '\0';
}

emrtd_sm_status emrtd_mrz_information(const char *doc_number, const char *birth, const char *expiry,
                                      char *out, size_t cap)
{
    if (!doc_number || !birth || !expiry || !out)
        return EMRTD_SM_ERR_ARG;
    size_t n = strlen(doc_number);
    if (n == 0 || n > 22 || !six_digits(birth) || !six_digits(expiry))
        return EMRTD_SM_ERR_ARG;
    size_t doc_len = n < 9 ? 9 : n;
    if (cap < doc_len + 1 + 7 + 7 + 1)
        return EMRTD_SM_ERR_TOO_LONG;
    for (size_t i = 0; i < doc_len; i++) {
        char ch = i < n ? doc_number[i] : '<';
        if (ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 'a' + 'A');
        if (mrz_value(ch) < 0) {
            explicit_bzero(out, i);
            return EMRTD_SM_ERR_ARG;
        }
        out[i] = ch;
    }
    size_t p = doc_len;
    out[p++] = (char)emrtd_mrz_check_digit(out, doc_len);
    memcpy(out + p, birth, 6);
    out[p + 6] = (char)emrtd_mrz_check_digit(birth, 6);
    p += 7;
    memcpy(out + p, expiry, 6);
    out[p + 6] = (char)emrtd_mrz_check_digit(expiry, 6);
    p += 7;
    out[p] = '\0';
    return EMRTD_SM_OK;
}

emrtd_sm_status emrtd_mrz_hash(const char *doc_number, const char *birth, const char *expiry,
                               uint8_t out[20])
{
    char info[EMRTD_MRZ_INFO_MAX + 1];
    emrtd_sm_status st = emrtd_mrz_information(doc_number, birth, expiry, info, sizeof info);
    if (st == EMRTD_SM_OK) {
        unsigned len = 0;
        if (!EVP_Digest(info, strlen(info), out, &len, EVP_sha1(), NULL) || len != 20)
            st = EMRTD_SM_ERR_CRYPTO;
    }
    OPENSSL_cleanse(info, sizeof info);
    return st;
}

emrtd_sm_status emrtd_mrz_key_seed(const char *doc_number, const char *birth, const char *expiry,
                                   uint8_t seed[EMRTD_SEED_BYTES])
{
    uint8_t h[20];
    emrtd_sm_status st = emrtd_mrz_hash(doc_number, birth, expiry, h);
    if (st == EMRTD_SM_OK)
        memcpy(seed, h, EMRTD_SEED_BYTES);
    OPENSSL_cleanse(h, sizeof h);
    return st;
}

/* DES keys: every byte gets odd parity (the lowest bit is the parity bit). */
static void des_parity(uint8_t *k, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned ones = 0;
        for (int b = 1; b < 8; b++)
            ones += (k[i] >> b) & 1u;
        k[i] = (uint8_t)((k[i] & 0xFE) | ((ones & 1u) ? 0 : 1));
    }
}

emrtd_sm_status emrtd_derive_key(const uint8_t *secret, size_t len, uint32_t counter,
                                 emrtd_cipher c, uint8_t out[EMRTD_MAX_KEY])
{
    size_t klen = emrtd_cipher_key_len(c);
    if (!klen || (!secret && len) || !out)
        return EMRTD_SM_ERR_ARG;
    const EVP_MD *md =
        (c == EMRTD_CIPHER_3DES || c == EMRTD_CIPHER_AES128) ? EVP_sha1() : EVP_sha256();
    uint8_t ctr[4] = {(uint8_t)(counter >> 24), (uint8_t)(counter >> 16), (uint8_t)(counter >> 8),
                      (uint8_t)counter};
    uint8_t h[EVP_MAX_MD_SIZE];
    unsigned hlen = 0;
    EVP_MD_CTX *x = EVP_MD_CTX_new();
    emrtd_sm_status st = EMRTD_SM_OK;
    if (!x || !EVP_DigestInit_ex(x, md, NULL) || !EVP_DigestUpdate(x, secret, len) ||
        !EVP_DigestUpdate(x, ctr, sizeof ctr) || !EVP_DigestFinal_ex(x, h, &hlen) || hlen < klen)
        st = EMRTD_SM_ERR_CRYPTO;
    EVP_MD_CTX_free(x);
    if (st == EMRTD_SM_OK) {
        memcpy(out, h, klen);
        if (c == EMRTD_CIPHER_3DES)
            des_parity(out, klen);
    }
    OPENSSL_cleanse(h, sizeof h);
    return st;
}

/* ---- primitives ---- */

static const EVP_CIPHER *cbc_cipher(emrtd_cipher c)
{
    switch (c) {
    case EMRTD_CIPHER_3DES:
        return EVP_des_ede_cbc();
    case EMRTD_CIPHER_AES128:
        return EVP_aes_128_cbc();
    case EMRTD_CIPHER_AES192:
        return EVP_aes_192_cbc();
    case EMRTD_CIPHER_AES256:
        return EVP_aes_256_cbc();
    }
    return NULL;
}

/* One CBC pass without padding with an EVP cipher (2-key 3DES takes K1 || K2 = 16 bytes). */
static emrtd_sm_status evp_cbc(const EVP_CIPHER *cipher, const uint8_t *key, const uint8_t *iv,
                               bool encrypt, const uint8_t *in, size_t len, uint8_t *out)
{
    if (!cipher || len > INT32_MAX)
        return EMRTD_SM_ERR_ARG;
    EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
    int n = 0, m = 0;
    emrtd_sm_status st = EMRTD_SM_OK;
    if (!x || !EVP_CipherInit_ex(x, cipher, NULL, key, iv, encrypt ? 1 : 0) ||
        !EVP_CIPHER_CTX_set_padding(x, 0) || !EVP_CipherUpdate(x, out, &n, in, (int)len) ||
        !EVP_CipherFinal_ex(x, out + n, &m) || (size_t)(n + m) != len)
        st = EMRTD_SM_ERR_CRYPTO;
    EVP_CIPHER_CTX_free(x); /* also cleanses the key schedule */
    return st;
}

emrtd_sm_status emrtd_cbc(emrtd_cipher c, const uint8_t *key, const uint8_t *iv, bool encrypt,
                          const uint8_t *in, size_t len, uint8_t *out)
{
    static const uint8_t zero[EMRTD_MAX_BLOCK];
    size_t bs = emrtd_cipher_block(c);
    if (!bs || !key || (len && (!in || !out)) || len % bs)
        return EMRTD_SM_ERR_ARG;
    if (!len)
        return EMRTD_SM_OK;
    return evp_cbc(cbc_cipher(c), key, iv ? iv : zero, encrypt, in, len, out);
}

size_t emrtd_pad(uint8_t *buf, size_t len, size_t cap, size_t block)
{
    if (!block || len >= cap)
        return 0;
    size_t n = (len / block + 1) * block;
    if (n > cap)
        return 0;
    buf[len] = 0x80;
    memset(buf + len + 1, 0, n - len - 1);
    return n;
}

/* ISO 9797-1 MAC algorithm 3 with DES: CBC with K1 over all blocks, then D(K2) and E(K1) on the
 * last. Single DES is 2-key 3DES with K1 || K1 (E_K1 D_K1 E_K1 = E_K1), so no legacy provider;
 * the last block is then one 3DES (K1 || K2) encryption of H xor D_q. */
static emrtd_sm_status retail_mac(const uint8_t key[16], const uint8_t *data, size_t len,
                                  uint8_t out[8])
{
    if (!len || len % 8)
        return EMRTD_SM_ERR_ARG;
    uint8_t k11[16], h[8] = {0};
    memcpy(k11, key, 8);
    memcpy(k11 + 8, key, 8);
    emrtd_sm_status st = EMRTD_SM_OK;
    EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
    int n = 0;
    if (!x || !EVP_EncryptInit_ex(x, EVP_des_ede(), NULL, k11, NULL) ||
        !EVP_CIPHER_CTX_set_padding(x, 0))
        st = EMRTD_SM_ERR_CRYPTO;
    for (size_t i = 0; st == EMRTD_SM_OK && i + 8 < len; i += 8) {
        for (int j = 0; j < 8; j++)
            h[j] ^= data[i + j];
        if (!EVP_EncryptUpdate(x, h, &n, h, 8) || n != 8)
            st = EMRTD_SM_ERR_CRYPTO;
    }
    if (st == EMRTD_SM_OK) {
        for (int j = 0; j < 8; j++)
            h[j] ^= data[len - 8 + j];
        if (!EVP_EncryptInit_ex(x, EVP_des_ede(), NULL, key, NULL) ||
            !EVP_CIPHER_CTX_set_padding(x, 0) || !EVP_EncryptUpdate(x, h, &n, h, 8) || n != 8)
            st = EMRTD_SM_ERR_CRYPTO;
    }
    EVP_CIPHER_CTX_free(x);
    if (st == EMRTD_SM_OK)
        memcpy(out, h, 8);
    OPENSSL_cleanse(k11, sizeof k11);
    OPENSSL_cleanse(h, sizeof h);
    return st;
}

static emrtd_sm_status aes_cmac(emrtd_cipher c, const uint8_t *key, const uint8_t *data, size_t len,
                                uint8_t out[8])
{
    const char *name = c == EMRTD_CIPHER_AES128   ? "AES-128-CBC"
                       : c == EMRTD_CIPHER_AES192 ? "AES-192-CBC"
                                                  : "AES-256-CBC";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, (char *)name, 0),
        OSSL_PARAM_construct_end(),
    };
    uint8_t full[16];
    size_t flen = 0;
    emrtd_sm_status st = EMRTD_SM_OK;
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "CMAC", NULL);
    EVP_MAC_CTX *x = mac ? EVP_MAC_CTX_new(mac) : NULL;
    if (!x || !EVP_MAC_init(x, key, emrtd_cipher_key_len(c), params) ||
        !EVP_MAC_update(x, data, len) || !EVP_MAC_final(x, full, &flen, sizeof full) ||
        flen != sizeof full)
        st = EMRTD_SM_ERR_CRYPTO;
    EVP_MAC_CTX_free(x);
    EVP_MAC_free(mac);
    if (st == EMRTD_SM_OK)
        memcpy(out, full, EMRTD_MAC_BYTES);
    OPENSSL_cleanse(full, sizeof full);
    return st;
}

emrtd_sm_status emrtd_mac(emrtd_cipher c, const uint8_t *key, const uint8_t *data, size_t len,
                          uint8_t out[EMRTD_MAC_BYTES])
{
    if (!emrtd_cipher_block(c) || !key || (!data && len) || !out)
        return EMRTD_SM_ERR_ARG;
    if (c == EMRTD_CIPHER_3DES)
        return retail_mac(key, data, len, out);
    return aes_cmac(c, key, data, len, out);
}

/* ---- secure messaging ---- */

emrtd_sm_status emrtd_sm_init(emrtd_sm *sm, emrtd_cipher c, const uint8_t *ks_enc,
                              const uint8_t *ks_mac, const uint8_t *ssc)
{
    if (!sm)
        return EMRTD_SM_ERR_ARG;
    emrtd_sm_clear(sm);
    size_t klen = emrtd_cipher_key_len(c);
    if (!klen || !ks_enc || !ks_mac)
        return EMRTD_SM_ERR_ARG;
    sm->cipher = c;
    memcpy(sm->ks_enc, ks_enc, klen);
    memcpy(sm->ks_mac, ks_mac, klen);
    if (ssc)
        memcpy(sm->ssc, ssc, emrtd_cipher_block(c));
    sm->open = true;
    return EMRTD_SM_OK;
}

void emrtd_sm_clear(emrtd_sm *sm)
{
    if (sm)
        OPENSSL_cleanse(sm, sizeof *sm);
}

/* Bytes of a DO'87' (with indicator) or DO'85' around a cryptogram of n bytes. */
static size_t crypto_do_len(size_t n, bool indicator)
{
    size_t v = n + (indicator ? 1 : 0);
    return 1 + (v < 0x80 ? 1 : v < 0x100 ? 2 : 3) + v;
}

static size_t padded_len(size_t n, size_t bs)
{
    return (n / bs + 1) * bs;
}

size_t emrtd_sm_max_read(const emrtd_sm *sm)
{
    size_t bs = sm ? emrtd_cipher_block(sm->cipher) : 0;
    if (!bs)
        bs = EMRTD_MAX_BLOCK;
    /* the answer's data: DO'87', DO'99' (4), DO'8E' (10) within 256 bytes */
    for (size_t n = EMRTD_SM_MAX_READ; n > 0; n--)
        if (crypto_do_len(padded_len(n, bs), true) + 4 + 10 <= 256)
            return n;
    return 0;
}

static size_t put_tl(uint8_t *p, uint8_t tag, size_t len)
{
    size_t i = 0;
    p[i++] = tag;
    if (len >= 0x80)
        p[i++] = 0x81;
    p[i++] = (uint8_t)len;
    return i;
}

static void ssc_increment(emrtd_sm *sm)
{
    for (size_t i = emrtd_cipher_block(sm->cipher); i-- > 0;)
        if (++sm->ssc[i] != 0)
            break;
}

/* 3DES: zeros; AES: E(KSenc, SSC). */
static emrtd_sm_status sm_iv(const emrtd_sm *sm, uint8_t iv[EMRTD_MAX_BLOCK])
{
    memset(iv, 0, EMRTD_MAX_BLOCK);
    if (sm->cipher == EMRTD_CIPHER_3DES)
        return EMRTD_SM_OK;
    return emrtd_cbc(sm->cipher, sm->ks_enc, NULL, true, sm->ssc, 16, iv);
}

/* MAC over SSC || head (padded to the block, when given) || dos, padded. */
static emrtd_sm_status sm_mac(const emrtd_sm *sm, const uint8_t *head, const uint8_t *dos,
                              size_t dos_len, uint8_t out[EMRTD_MAC_BYTES])
{
    size_t bs = emrtd_cipher_block(sm->cipher);
    uint8_t buf[MAC_INPUT_MAX];
    size_t n = 0;
    if (dos_len > CARD_IO_MAX_COMMAND)
        return EMRTD_SM_ERR_TOO_LONG;
    memcpy(buf, sm->ssc, bs);
    n = bs;
    if (head) {
        memcpy(buf + n, head, 4);
        n = emrtd_pad(buf, n + 4, sizeof buf, bs);
    }
    memcpy(buf + n, dos, dos_len);
    n = emrtd_pad(buf, n + dos_len, sizeof buf, bs);
    emrtd_sm_status st = n ? emrtd_mac(sm->cipher, sm->ks_mac, buf, n, out) : EMRTD_SM_ERR_TOO_LONG;
    OPENSSL_cleanse(buf, sizeof buf);
    return st;
}

/* Writes the DO'87' (indicator 01) or DO'85' with data encrypted under the current SSC. */
static emrtd_sm_status put_crypto_do(const emrtd_sm *sm, bool odd, const uint8_t *data, size_t len,
                                     uint8_t *out, size_t *out_len)
{
    size_t bs = emrtd_cipher_block(sm->cipher);
    uint8_t buf[CRYPT_MAX], iv[EMRTD_MAX_BLOCK];
    memcpy(buf, data, len);
    size_t plen = emrtd_pad(buf, len, sizeof buf, bs);
    emrtd_sm_status st = plen ? sm_iv(sm, iv) : EMRTD_SM_ERR_TOO_LONG;
    if (st == EMRTD_SM_OK) {
        size_t i = put_tl(out, odd ? 0x85 : 0x87, plen + (odd ? 0 : 1));
        if (!odd)
            out[i++] = 0x01;
        st = emrtd_cbc(sm->cipher, sm->ks_enc, iv, true, buf, plen, out + i);
        *out_len = i + plen;
    }
    OPENSSL_cleanse(buf, sizeof buf);
    OPENSSL_cleanse(iv, sizeof iv);
    return st;
}

emrtd_sm_status emrtd_sm_wrap_command(emrtd_sm *sm, const uint8_t *apdu, size_t apdu_len,
                                      uint8_t *out, size_t cap, size_t *out_len)
{
    if (!sm || !apdu || !out || !out_len)
        return EMRTD_SM_ERR_ARG;
    *out_len = 0;
    if (!sm->open)
        return EMRTD_SM_ERR_CLOSED;
    size_t bs = emrtd_cipher_block(sm->cipher);
    /* ISO 7816-4 short cases: 1 (header), 2 (Le), 3 (Lc data), 4 (Lc data Le) */
    size_t lc = 0;
    bool has_le = false;
    uint8_t le = 0;
    if (apdu_len < 4)
        return EMRTD_SM_ERR_ARG;
    if (apdu_len == 5) {
        has_le = true;
        le = apdu[4];
    } else if (apdu_len > 5) {
        lc = apdu[4];
        if (lc == 0) /* extended length */
            return EMRTD_SM_ERR_ARG;
        if (apdu_len == 6 + lc) {
            has_le = true;
            le = apdu[5 + lc];
        } else if (apdu_len != 5 + lc) {
            return EMRTD_SM_ERR_ARG;
        }
    }
    bool odd = apdu[1] & 1;
    size_t dos = (lc ? crypto_do_len(padded_len(lc, bs), !odd) : 0) + (has_le ? 3 : 0) + 10;
    size_t total = 5 + dos + 1;
    if (dos > 255 || total > CARD_IO_MAX_COMMAND)
        return EMRTD_SM_ERR_TOO_LONG;
    if (total > cap)
        return EMRTD_SM_ERR_TOO_LONG;

    ssc_increment(sm);
    uint8_t head[4] = {(uint8_t)(apdu[0] | 0x0C), apdu[1], apdu[2], apdu[3]};
    memcpy(out, head, 4);
    out[4] = (uint8_t)dos;
    size_t p = 5, n = 0;
    emrtd_sm_status st = EMRTD_SM_OK;
    if (lc) {
        st = put_crypto_do(sm, odd, apdu + 5, lc, out + p, &n);
        p += n;
    }
    if (st == EMRTD_SM_OK && has_le) {
        out[p++] = 0x97;
        out[p++] = 0x01;
        out[p++] = le;
    }
    uint8_t mac[EMRTD_MAC_BYTES];
    if (st == EMRTD_SM_OK)
        st = sm_mac(sm, head, out + 5, p - 5, mac);
    if (st == EMRTD_SM_OK) {
        out[p++] = 0x8E;
        out[p++] = EMRTD_MAC_BYTES;
        memcpy(out + p, mac, EMRTD_MAC_BYTES);
        p += EMRTD_MAC_BYTES;
        out[p++] = 0x00;
        *out_len = p;
    } else {
        OPENSSL_cleanse(out, total);
        emrtd_sm_clear(sm);
    }
    return st;
}

/* One BER-TLV data object with a one-byte tag, within [*pos, end). */
typedef struct {
    uint8_t tag;
    size_t start; /* of the tag */
    size_t value; /* of the value */
    size_t len;
} tlv;

static bool next_tlv(const uint8_t *b, size_t end, size_t *pos, tlv *t)
{
    size_t p = *pos;
    if (p >= end || end - p < 2)
        return false;
    t->start = p;
    t->tag = b[p++];
    size_t len = b[p++];
    if (len == 0x81 || len == 0x82) {
        size_t k = len - 0x80;
        if (end - p < k)
            return false;
        len = 0;
        for (size_t i = 0; i < k; i++)
            len = len << 8 | b[p++];
    } else if (len > 0x80) {
        return false;
    } else if (len == 0x80) {
        return false; /* indefinite length: not in SM */
    }
    if (len > end - p)
        return false;
    t->value = p;
    t->len = len;
    *pos = p + len;
    return true;
}

static bool peek_tag(const uint8_t *b, size_t end, size_t pos, uint8_t tag)
{
    return pos < end && b[pos] == tag;
}

/* Checks a DO'87' (indicator 01) or DO'85' and decrypts it under the current SSC, without the
 * padding, into out (cap bytes). */
static emrtd_sm_status open_crypto_do(const emrtd_sm *sm, const uint8_t *b, const tlv *t,
                                      uint8_t *out, size_t cap, size_t *out_len)
{
    size_t bs = emrtd_cipher_block(sm->cipher);
    const uint8_t *c = b + t->value;
    size_t clen = t->len;
    if (t->tag == 0x87) {
        if (clen < 1 || c[0] != 0x01)
            return EMRTD_SM_ERR_FORMAT;
        c++;
        clen--;
    }
    if (clen == 0 || clen % bs || clen > CRYPT_MAX)
        return EMRTD_SM_ERR_FORMAT;
    uint8_t buf[CRYPT_MAX], iv[EMRTD_MAX_BLOCK];
    emrtd_sm_status st = sm_iv(sm, iv);
    if (st == EMRTD_SM_OK)
        st = emrtd_cbc(sm->cipher, sm->ks_enc, iv, false, c, clen, buf);
    size_t j = clen;
    if (st == EMRTD_SM_OK) {
        while (j > clen - bs + 1 && buf[j - 1] == 0)
            j--;
        if (buf[j - 1] != 0x80)
            st = EMRTD_SM_ERR_PADDING;
        else if (j - 1 > cap)
            st = EMRTD_SM_ERR_TOO_LONG;
    }
    if (st == EMRTD_SM_OK) {
        if (j > 1)
            memcpy(out, buf, j - 1);
        *out_len = j - 1;
    }
    OPENSSL_cleanse(buf, sizeof buf);
    OPENSSL_cleanse(iv, sizeof iv);
    return st;
}

emrtd_sm_status emrtd_sm_unwrap_response(emrtd_sm *sm, const uint8_t *resp, size_t resp_len,
                                         uint8_t *data, size_t cap, size_t *data_len, uint16_t *sw)
{
    if (!sm || !resp || (!data && cap) || !data_len || !sw)
        return EMRTD_SM_ERR_ARG;
    *data_len = 0;
    *sw = 0;
    if (!sm->open)
        return EMRTD_SM_ERR_CLOSED;
    emrtd_sm_status st = EMRTD_SM_OK;
    tlv crypt = {0}, status = {0}, mac = {0};
    bool has_crypt = false;
    size_t end = resp_len >= 2 ? resp_len - 2 : 0, pos = 0;
    if (resp_len < 2 || resp_len > CARD_IO_MAX_RESPONSE) {
        st = EMRTD_SM_ERR_FORMAT;
    } else if (end == 0) {
        *sw = (uint16_t)(resp[0] << 8 | resp[1]);
        st = EMRTD_SM_ERR_UNPROTECTED;
    } else {
        /* DO'87' or DO'85' (optional), DO'99' (2 bytes), DO'8E' (8 bytes), nothing else */
        if (peek_tag(resp, end, pos, 0x87) || peek_tag(resp, end, pos, 0x85)) {
            has_crypt = next_tlv(resp, end, &pos, &crypt);
            if (!has_crypt)
                st = EMRTD_SM_ERR_FORMAT;
        }
        if (st == EMRTD_SM_OK && (!peek_tag(resp, end, pos, 0x99) ||
                                  !next_tlv(resp, end, &pos, &status) || status.len != 2))
            st = EMRTD_SM_ERR_FORMAT;
        if (st == EMRTD_SM_OK && !peek_tag(resp, end, pos, 0x8E))
            st = EMRTD_SM_ERR_MAC;
        if (st == EMRTD_SM_OK &&
            (!next_tlv(resp, end, &pos, &mac) || mac.len != EMRTD_MAC_BYTES || pos != end))
            st = EMRTD_SM_ERR_FORMAT;
    }
    if (st == EMRTD_SM_OK) {
        ssc_increment(sm);
        uint8_t want[EMRTD_MAC_BYTES];
        st = sm_mac(sm, NULL, resp, mac.start, want);
        if (st == EMRTD_SM_OK && CRYPTO_memcmp(want, resp + mac.value, EMRTD_MAC_BYTES) != 0)
            st = EMRTD_SM_ERR_MAC;
        OPENSSL_cleanse(want, sizeof want);
    }
    uint16_t sw99 = 0;
    if (st == EMRTD_SM_OK) {
        sw99 = (uint16_t)(resp[status.value] << 8 | resp[status.value + 1]);
        if (sw99 != (uint16_t)(resp[end] << 8 | resp[end + 1]))
            st = EMRTD_SM_ERR_FORMAT; /* the plain status word differs from the protected one */
    }
    if (st == EMRTD_SM_OK && has_crypt)
        st = open_crypto_do(sm, resp, &crypt, data, cap, data_len);
    if (st == EMRTD_SM_OK) {
        *sw = sw99;
    } else {
        if (data)
            OPENSSL_cleanse(data, cap);
        *data_len = 0;
        emrtd_sm_clear(sm);
    }
    return st;
}

emrtd_sm_status emrtd_sm_unwrap_command(emrtd_sm *sm, const uint8_t *cmd, size_t cmd_len,
                                        uint8_t *apdu, size_t cap, size_t *apdu_len)
{
    if (!sm || !cmd || !apdu || !apdu_len)
        return EMRTD_SM_ERR_ARG;
    *apdu_len = 0;
    if (!sm->open)
        return EMRTD_SM_ERR_CLOSED;
    emrtd_sm_status st = EMRTD_SM_OK;
    tlv crypt = {0}, le = {0}, mac = {0};
    bool has_crypt = false, has_le = false;
    size_t end = 0, pos = 5;
    if (cmd_len < 4 || cmd_len > CARD_IO_MAX_COMMAND) {
        st = EMRTD_SM_ERR_FORMAT;
    } else if ((cmd[0] & 0x0C) != 0x0C) {
        st = EMRTD_SM_ERR_UNPROTECTED;
    } else if (cmd_len < 6 || cmd[4] == 0) {
        st = EMRTD_SM_ERR_MAC; /* no data objects (or extended length): no DO'8E' */
    } else {
        end = 5 + (size_t)cmd[4];
        if (cmd_len != end && cmd_len != end + 1)
            st = EMRTD_SM_ERR_FORMAT;
    }
    if (st == EMRTD_SM_OK && (peek_tag(cmd, end, pos, 0x87) || peek_tag(cmd, end, pos, 0x85))) {
        has_crypt = next_tlv(cmd, end, &pos, &crypt);
        if (!has_crypt || (crypt.tag == 0x85) != (cmd[1] & 1))
            st = EMRTD_SM_ERR_FORMAT;
    }
    if (st == EMRTD_SM_OK && peek_tag(cmd, end, pos, 0x97)) {
        has_le = next_tlv(cmd, end, &pos, &le);
        if (!has_le || le.len != 1)
            st = EMRTD_SM_ERR_FORMAT;
    }
    if (st == EMRTD_SM_OK && !peek_tag(cmd, end, pos, 0x8E))
        st = EMRTD_SM_ERR_MAC;
    if (st == EMRTD_SM_OK &&
        (!next_tlv(cmd, end, &pos, &mac) || mac.len != EMRTD_MAC_BYTES || pos != end))
        st = EMRTD_SM_ERR_FORMAT;
    if (st == EMRTD_SM_OK) {
        ssc_increment(sm);
        uint8_t want[EMRTD_MAC_BYTES];
        st = sm_mac(sm, cmd, cmd + 5, mac.start - 5, want);
        if (st == EMRTD_SM_OK && CRYPTO_memcmp(want, cmd + mac.value, EMRTD_MAC_BYTES) != 0)
            st = EMRTD_SM_ERR_MAC;
        OPENSSL_cleanse(want, sizeof want);
    }
    uint8_t plain[CRYPT_MAX];
    size_t plen = 0;
    if (st == EMRTD_SM_OK && has_crypt)
        st = open_crypto_do(sm, cmd, &crypt, plain, 255, &plen);
    if (st == EMRTD_SM_OK) {
        size_t n = 4 + (plen ? 1 + plen : 0) + (has_le ? 1 : 0);
        if (n > cap) {
            st = EMRTD_SM_ERR_TOO_LONG;
        } else {
            apdu[0] = (uint8_t)(cmd[0] & ~0x0C);
            memcpy(apdu + 1, cmd + 1, 3);
            size_t p = 4;
            if (plen) {
                apdu[p++] = (uint8_t)plen;
                memcpy(apdu + p, plain, plen);
                p += plen;
            }
            if (has_le)
                apdu[p++] = cmd[le.value];
            *apdu_len = p;
        }
    }
    OPENSSL_cleanse(plain, sizeof plain);
    if (st != EMRTD_SM_OK) {
        OPENSSL_cleanse(apdu, cap);
        *apdu_len = 0;
        emrtd_sm_clear(sm);
    }
    return st;
}

emrtd_sm_status emrtd_sm_wrap_response(emrtd_sm *sm, uint8_t ins, const uint8_t *data, size_t len,
                                       uint16_t sw, uint8_t *out, size_t cap, size_t *out_len)
{
    if (!sm || (!data && len) || !out || !out_len)
        return EMRTD_SM_ERR_ARG;
    *out_len = 0;
    if (!sm->open)
        return EMRTD_SM_ERR_CLOSED;
    size_t bs = emrtd_cipher_block(sm->cipher);
    bool odd = ins & 1;
    if (len > 256)
        return EMRTD_SM_ERR_TOO_LONG;
    size_t total = (len ? crypto_do_len(padded_len(len, bs), !odd) : 0) + 4 + 10 + 2;
    if (total > CARD_IO_MAX_RESPONSE || total > cap)
        return EMRTD_SM_ERR_TOO_LONG;
    ssc_increment(sm);
    size_t p = 0, n = 0;
    emrtd_sm_status st = EMRTD_SM_OK;
    if (len) {
        st = put_crypto_do(sm, odd, data, len, out, &n);
        p += n;
    }
    uint8_t mac[EMRTD_MAC_BYTES];
    if (st == EMRTD_SM_OK) {
        out[p++] = 0x99;
        out[p++] = 0x02;
        out[p++] = (uint8_t)(sw >> 8);
        out[p++] = (uint8_t)sw;
        st = sm_mac(sm, NULL, out, p, mac);
    }
    if (st == EMRTD_SM_OK) {
        out[p++] = 0x8E;
        out[p++] = EMRTD_MAC_BYTES;
        memcpy(out + p, mac, EMRTD_MAC_BYTES);
        p += EMRTD_MAC_BYTES;
        out[p++] = (uint8_t)(sw >> 8);
        out[p++] = (uint8_t)sw;
        *out_len = p;
    } else {
        OPENSSL_cleanse(out, total);
        emrtd_sm_clear(sm);
    }
    return st;
}

/* ---- Basic Access Control ---- */

void emrtd_bac_clear(emrtd_bac *bac)
{
    if (bac)
        OPENSSL_cleanse(bac, sizeof *bac);
}

static emrtd_sm_status bac_keys(const uint8_t seed[EMRTD_SEED_BYTES], uint8_t k_enc[16],
                                uint8_t k_mac[16])
{
    uint8_t k[EMRTD_MAX_KEY];
    emrtd_sm_status st =
        emrtd_derive_key(seed, EMRTD_SEED_BYTES, EMRTD_KDF_ENC, EMRTD_CIPHER_3DES, k);
    if (st == EMRTD_SM_OK)
        memcpy(k_enc, k, 16);
    if (st == EMRTD_SM_OK)
        st = emrtd_derive_key(seed, EMRTD_SEED_BYTES, EMRTD_KDF_MAC, EMRTD_CIPHER_3DES, k);
    if (st == EMRTD_SM_OK)
        memcpy(k_mac, k, 16);
    OPENSSL_cleanse(k, sizeof k);
    return st;
}

/* E = 3DES-CBC(Kenc, IV 0, 32 bytes) || M = retail MAC(Kmac, pad(E)). */
static emrtd_sm_status bac_seal(const uint8_t k_enc[16], const uint8_t k_mac[16],
                                const uint8_t plain[32], uint8_t out[EMRTD_BAC_DATA])
{
    uint8_t padded[40];
    emrtd_sm_status st = emrtd_cbc(EMRTD_CIPHER_3DES, k_enc, NULL, true, plain, 32, out);
    if (st == EMRTD_SM_OK) {
        memcpy(padded, out, 32);
        st = emrtd_pad(padded, 32, sizeof padded, 8) == 40
                 ? emrtd_mac(EMRTD_CIPHER_3DES, k_mac, padded, 40, out + 32)
                 : EMRTD_SM_ERR_CRYPTO;
    }
    if (st != EMRTD_SM_OK)
        OPENSSL_cleanse(out, EMRTD_BAC_DATA);
    return st;
}

/* Checks M and decrypts E of E || M into plain (32 bytes). */
static emrtd_sm_status bac_open(const uint8_t k_enc[16], const uint8_t k_mac[16], const uint8_t *in,
                                size_t len, uint8_t plain[32])
{
    if (len != EMRTD_BAC_DATA)
        return EMRTD_SM_ERR_FORMAT;
    uint8_t padded[40], mac[EMRTD_MAC_BYTES];
    memcpy(padded, in, 32);
    emrtd_sm_status st = emrtd_pad(padded, 32, sizeof padded, 8) == 40
                             ? emrtd_mac(EMRTD_CIPHER_3DES, k_mac, padded, 40, mac)
                             : EMRTD_SM_ERR_CRYPTO;
    if (st == EMRTD_SM_OK && CRYPTO_memcmp(mac, in + 32, EMRTD_MAC_BYTES) != 0)
        st = EMRTD_SM_ERR_MAC;
    if (st == EMRTD_SM_OK)
        st = emrtd_cbc(EMRTD_CIPHER_3DES, k_enc, NULL, false, in, 32, plain);
    return st;
}

/* Session keys from K.IFD xor K.IC, SSC from the challenges' last four bytes each. */
static emrtd_sm_status bac_session(const uint8_t k_ifd[16], const uint8_t k_ic[16],
                                   const uint8_t rnd_ic[8], const uint8_t rnd_ifd[8], emrtd_sm *sm)
{
    uint8_t seed[16], ks_enc[EMRTD_MAX_KEY], ks_mac[EMRTD_MAX_KEY], ssc[8];
    for (int i = 0; i < 16; i++)
        seed[i] = k_ifd[i] ^ k_ic[i];
    memcpy(ssc, rnd_ic + 4, 4);
    memcpy(ssc + 4, rnd_ifd + 4, 4);
    emrtd_sm_status st =
        emrtd_derive_key(seed, sizeof seed, EMRTD_KDF_ENC, EMRTD_CIPHER_3DES, ks_enc);
    if (st == EMRTD_SM_OK)
        st = emrtd_derive_key(seed, sizeof seed, EMRTD_KDF_MAC, EMRTD_CIPHER_3DES, ks_mac);
    if (st == EMRTD_SM_OK)
        st = emrtd_sm_init(sm, EMRTD_CIPHER_3DES, ks_enc, ks_mac, ssc);
    OPENSSL_cleanse(seed, sizeof seed);
    OPENSSL_cleanse(ks_enc, sizeof ks_enc);
    OPENSSL_cleanse(ks_mac, sizeof ks_mac);
    OPENSSL_cleanse(ssc, sizeof ssc);
    return st;
}

emrtd_sm_status emrtd_bac_start(emrtd_bac *bac, const uint8_t seed[EMRTD_SEED_BYTES],
                                const uint8_t rnd_ic[EMRTD_BAC_CHALLENGE], const uint8_t *rnd_ifd,
                                const uint8_t *k_ifd, uint8_t cmd_data[EMRTD_BAC_DATA])
{
    if (!bac || !seed || !rnd_ic || !cmd_data)
        return EMRTD_SM_ERR_ARG;
    emrtd_bac_clear(bac);
    emrtd_sm_status st = bac_keys(seed, bac->k_enc, bac->k_mac);
    memcpy(bac->rnd_ic, rnd_ic, EMRTD_BAC_CHALLENGE);
    if (st == EMRTD_SM_OK) {
        if (rnd_ifd)
            memcpy(bac->rnd_ifd, rnd_ifd, EMRTD_BAC_CHALLENGE);
        else if (RAND_bytes(bac->rnd_ifd, EMRTD_BAC_CHALLENGE) != 1)
            st = EMRTD_SM_ERR_CRYPTO;
    }
    if (st == EMRTD_SM_OK) {
        if (k_ifd)
            memcpy(bac->k_ifd, k_ifd, EMRTD_BAC_KEY_PART);
        else if (RAND_priv_bytes(bac->k_ifd, EMRTD_BAC_KEY_PART) != 1)
            st = EMRTD_SM_ERR_CRYPTO;
    }
    uint8_t s[32];
    memcpy(s, bac->rnd_ifd, 8);
    memcpy(s + 8, bac->rnd_ic, 8);
    memcpy(s + 16, bac->k_ifd, 16);
    if (st == EMRTD_SM_OK)
        st = bac_seal(bac->k_enc, bac->k_mac, s, cmd_data);
    OPENSSL_cleanse(s, sizeof s);
    if (st != EMRTD_SM_OK)
        emrtd_bac_clear(bac);
    return st;
}

emrtd_sm_status emrtd_bac_finish(emrtd_bac *bac, const uint8_t *resp, size_t resp_len, emrtd_sm *sm)
{
    if (!bac || !resp || !sm)
        return EMRTD_SM_ERR_ARG;
    emrtd_sm_clear(sm);
    uint8_t r[32];
    emrtd_sm_status st = bac_open(bac->k_enc, bac->k_mac, resp, resp_len, r);
    /* R = RND.IC || RND.IFD || K.IC */
    if (st == EMRTD_SM_OK &&
        (CRYPTO_memcmp(r, bac->rnd_ic, 8) != 0 || CRYPTO_memcmp(r + 8, bac->rnd_ifd, 8) != 0))
        st = EMRTD_SM_ERR_AUTH;
    if (st == EMRTD_SM_OK)
        st = bac_session(bac->k_ifd, r + 16, bac->rnd_ic, bac->rnd_ifd, sm);
    OPENSSL_cleanse(r, sizeof r);
    emrtd_bac_clear(bac);
    return st;
}

emrtd_sm_status emrtd_bac_card_answer(const uint8_t seed[EMRTD_SEED_BYTES],
                                      const uint8_t rnd_ic[EMRTD_BAC_CHALLENGE],
                                      const uint8_t k_ic[EMRTD_BAC_KEY_PART],
                                      const uint8_t *cmd_data, size_t cmd_len,
                                      uint8_t resp[EMRTD_BAC_DATA], emrtd_sm *sm)
{
    if (!seed || !rnd_ic || !k_ic || !cmd_data || !resp || !sm)
        return EMRTD_SM_ERR_ARG;
    emrtd_sm_clear(sm);
    uint8_t k_enc[16], k_mac[16], s[32], r[32];
    emrtd_sm_status st = bac_keys(seed, k_enc, k_mac);
    if (st == EMRTD_SM_OK)
        st = bac_open(k_enc, k_mac, cmd_data, cmd_len, s);
    /* S = RND.IFD || RND.IC || K.IFD */
    if (st == EMRTD_SM_OK && CRYPTO_memcmp(s + 8, rnd_ic, 8) != 0)
        st = EMRTD_SM_ERR_AUTH;
    if (st == EMRTD_SM_OK) {
        memcpy(r, rnd_ic, 8);
        memcpy(r + 8, s, 8);
        memcpy(r + 16, k_ic, 16);
        st = bac_seal(k_enc, k_mac, r, resp);
    }
    if (st == EMRTD_SM_OK)
        st = bac_session(s + 16, k_ic, rnd_ic, s, sm);
    if (st != EMRTD_SM_OK) {
        OPENSSL_cleanse(resp, EMRTD_BAC_DATA);
        emrtd_sm_clear(sm);
    }
    OPENSSL_cleanse(k_enc, sizeof k_enc);
    OPENSSL_cleanse(k_mac, sizeof k_mac);
    OPENSSL_cleanse(s, sizeof s);
    OPENSSL_cleanse(r, sizeof r);
    return st;
}

static emrtd_sm_status io_status(card_io_status s)
{
    switch (s) {
    case CARD_IO_OK:
        return EMRTD_SM_OK;
    case CARD_IO_GONE:
        return EMRTD_SM_ERR_GONE;
    case CARD_IO_TIMEOUT:
        return EMRTD_SM_ERR_TIMEOUT;
    case CARD_IO_BROKEN:
        return EMRTD_SM_ERR_BROKEN;
    }
    return EMRTD_SM_ERR_BROKEN;
}

/* One plain exchange that must answer exactly want data bytes and 9000. */
static emrtd_sm_status plain_exchange(card_io *io, const uint8_t *cmd, size_t cmd_len,
                                      uint8_t *resp, size_t cap, size_t want, int timeout_ms)
{
    size_t n = 0;
    emrtd_sm_status st = io_status(io->transceive(io, cmd, cmd_len, resp, cap, &n, timeout_ms));
    if (st != EMRTD_SM_OK)
        return st;
    if (n < 2 || n > cap)
        return EMRTD_SM_ERR_BROKEN;
    if (resp[n - 2] != 0x90 || resp[n - 1] != 0x00)
        return EMRTD_SM_ERR_REFUSED;
    if (n - 2 != want)
        return EMRTD_SM_ERR_FORMAT;
    return EMRTD_SM_OK;
}

emrtd_sm_status emrtd_bac_run(card_io *io, const uint8_t seed[EMRTD_SEED_BYTES], emrtd_sm *sm)
{
    if (!io || !io->transceive || !seed || !sm)
        return EMRTD_SM_ERR_ARG;
    emrtd_sm_clear(sm);
    static const uint8_t get_challenge[5] = {0x00, 0x84, 0x00, 0x00, EMRTD_BAC_CHALLENGE};
    uint8_t resp[CARD_IO_MAX_RESPONSE], cmd[5 + EMRTD_BAC_DATA + 1];
    emrtd_bac bac;
    emrtd_sm_status st = plain_exchange(io, get_challenge, sizeof get_challenge, resp, sizeof resp,
                                        EMRTD_BAC_CHALLENGE, EMRTD_TIMEOUT_MS);
    if (st == EMRTD_SM_OK) {
        cmd[0] = 0x00;
        cmd[1] = 0x82; /* EXTERNAL AUTHENTICATE */
        cmd[2] = 0x00;
        cmd[3] = 0x00;
        cmd[4] = EMRTD_BAC_DATA;
        cmd[5 + EMRTD_BAC_DATA] = EMRTD_BAC_DATA;
        st = emrtd_bac_start(&bac, seed, resp, NULL, NULL, cmd + 5);
    }
    if (st == EMRTD_SM_OK)
        st = plain_exchange(io, cmd, sizeof cmd, resp, sizeof resp, EMRTD_BAC_DATA,
                            EMRTD_BAC_AUTH_TIMEOUT_MS);
    if (st == EMRTD_SM_OK)
        st = emrtd_bac_finish(&bac, resp, EMRTD_BAC_DATA, sm);
    emrtd_bac_clear(&bac);
    OPENSSL_cleanse(resp, sizeof resp);
    OPENSSL_cleanse(cmd, sizeof cmd);
    if (st != EMRTD_SM_OK)
        emrtd_sm_clear(sm);
    return st;
}
