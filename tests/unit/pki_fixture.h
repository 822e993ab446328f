/* A test PKI made with OpenSSL at test time, shared by the eMRTD tests (test_emrtd_lds.c,
 * test_emrtd_masterlist.c): a key and a certificate signed by an issuer (or self-signed), and
 * DER's tag-length-value.
 * Include after <cmocka.h>. Serial numbers count from PKI_FIRST_SERIAL (define it before the
 * include for another start; 1 by default). */
#ifndef LOKET_TEST_PKI_FIXTURE_H
#define LOKET_TEST_PKI_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#ifndef PKI_FIRST_SERIAL
#define PKI_FIRST_SERIAL 1
#endif

typedef struct {
    EVP_PKEY *key;
    X509 *cert;
} ident;

/* ca: a CSCA (keyCertSign); otherwise a signer (digitalSignature, or keyEncipherment when
 * !sign). Valid from `from_days` to `to_days` from now. */
static inline X509 *make_cert(const char *cn, EVP_PKEY *key, const ident *issuer, bool ca,
                              bool sign, long from_days, long to_days)
{
    X509 *x = X509_new();
    assert_non_null(x);
    X509_set_version(x, 2);
    static long serial = PKI_FIRST_SERIAL;
    ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
    X509_NAME *name = X509_NAME_new();
    X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC, (const unsigned char *)"UT", -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
    X509_set_subject_name(x, name);
    X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer->cert) : name);
    X509_NAME_free(name);
    X509_gmtime_adj(X509_getm_notBefore(x), from_days * 86400L);
    X509_gmtime_adj(X509_getm_notAfter(x), to_days * 86400L);
    X509_set_pubkey(x, key);
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer ? issuer->cert : x, x, NULL, NULL, 0);
    const char *bc = ca ? "critical,CA:TRUE,pathlen:0" : "critical,CA:FALSE";
    const char *ku = ca     ? "critical,keyCertSign,cRLSign"
                     : sign ? "critical,digitalSignature"
                            : "critical,keyEncipherment";
    X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &ctx, NID_basic_constraints, bc);
    X509_add_ext(x, e, -1);
    X509_EXTENSION_free(e);
    e = X509V3_EXT_conf_nid(NULL, &ctx, NID_key_usage, ku);
    X509_add_ext(x, e, -1);
    X509_EXTENSION_free(e);
    assert_true(X509_sign(x, issuer ? issuer->key : key, EVP_sha256()) > 0);
    return x;
}

/* A new key (RSA 2048 or EC P-256) and its certificate. */
static inline ident make_ident(const char *cn, bool rsa, const ident *issuer, bool ca, bool sign,
                               long from, long to)
{
    ident id;
    id.key = rsa ? EVP_RSA_gen(2048) : EVP_EC_gen("prime256v1");
    assert_non_null(id.key);
    id.cert = make_cert(cn, id.key, issuer, ca, sign, from, to);
    return id;
}

static inline void free_ident(ident *id)
{
    X509_free(id->cert);
    EVP_PKEY_free(id->key);
}

/* One DER element, tag, length (up to 65535) and `v` (which may overlap `out`), into `out`;
 * returns its length. */
static inline size_t der(uint8_t *out, uint8_t tag, const uint8_t *v, size_t n)
{
    size_t h = 0;
    out[h++] = tag;
    if (n < 0x80) {
        out[h++] = (uint8_t)n;
    } else if (n < 0x100) {
        out[h++] = 0x81;
        out[h++] = (uint8_t)n;
    } else {
        out[h++] = 0x82;
        out[h++] = (uint8_t)(n >> 8);
        out[h++] = (uint8_t)n;
    }
    memmove(out + h, v, n);
    return h + n;
}

#endif
