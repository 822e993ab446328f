#include "nfc/emrtd_specimen.h"

#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nfc/emrtd_lds.h"

struct emrtd_specimen {
    uint8_t dg1[128];
    size_t dg1_len;
    uint8_t *sod;
    size_t sod_len;
    X509 *csca; /* the certificate a kiosk would trust */
};

typedef struct {
    EVP_PKEY *key;
    X509 *cert;
} ident;

static X509 *make_cert(const char *cn, EVP_PKEY *key, const ident *issuer, bool ca, long from_days,
                       long to_days)
{
    X509 *x = X509_new();
    X509_NAME *name = X509_NAME_new();
    if (!x || !name)
        goto fail;
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), ca ? 1 : 2);
    X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC, (const unsigned char *)"NL", -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
    X509_set_subject_name(x, name);
    X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer->cert) : name);
    X509_gmtime_adj(X509_getm_notBefore(x), from_days * 86400L);
    X509_gmtime_adj(X509_getm_notAfter(x), to_days * 86400L);
    X509_set_pubkey(x, key);
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer ? issuer->cert : x, x, NULL, NULL, 0);
    X509_EXTENSION *e = X509V3_EXT_conf_nid(
        NULL, &ctx, NID_basic_constraints, ca ? "critical,CA:TRUE,pathlen:0" : "critical,CA:FALSE");
    if (e)
        X509_add_ext(x, e, -1);
    X509_EXTENSION_free(e);
    e = X509V3_EXT_conf_nid(NULL, &ctx, NID_key_usage,
                            ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature");
    if (e)
        X509_add_ext(x, e, -1);
    X509_EXTENSION_free(e);
    X509_NAME_free(name);
    if (X509_sign(x, issuer ? issuer->key : key, EVP_sha256()) > 0)
        return x;
fail:
    X509_NAME_free(name);
    X509_free(x);
    return NULL;
}

static bool make_ident(ident *id, const char *cn, const ident *issuer, long from, long to)
{
    id->key = EVP_EC_gen("prime256v1");
    id->cert = id->key ? make_cert(cn, id->key, issuer, issuer == NULL, from, to) : NULL;
    return id->cert != NULL;
}

static void free_ident(ident *id)
{
    X509_free(id->cert);
    EVP_PKEY_free(id->key);
}

/* DER: tag, definite length (up to 2 bytes), value, into out of cap bytes; 0 when it does not
 * fit (never, with the buffers below: the check keeps the compiler sure of it). */
static size_t der(uint8_t *out, size_t cap, uint8_t tag, const uint8_t *v, size_t n)
{
    if (n > 0xFFFF || n + 4 > cap)
        return 0;
    size_t h = 0;
    out[h++] = tag;
    if (n >= 0x100) {
        out[h++] = 0x82;
        out[h++] = (uint8_t)(n >> 8);
    } else if (n >= 0x80) {
        out[h++] = 0x81;
    }
    out[h++] = (uint8_t)n;
    memmove(out + h, v, n);
    return h + n;
}

/* The specimen TD1 MRZ, with its check digits. */
static void specimen_mrz(char mrz[91])
{
    char l1[31], l2[31], l3[31];
    snprintf(l1, sizeof l1, "I<NLD%s0<<<<<<<<<<<<<<<", EMRTD_SPECIMEN_DOCUMENT);
    l1[14] = lds_mrz_check_digit(l1 + 5, 9);
    snprintf(l2, sizeof l2, "%s0F%s0NLD<<<<<<<<<<<0", EMRTD_SPECIMEN_BIRTH, EMRTD_SPECIMEN_EXPIRY);
    l2[6] = lds_mrz_check_digit(l2, 6);
    l2[14] = lds_mrz_check_digit(l2 + 8, 6);
    char composite[61];
    snprintf(composite, sizeof composite, "%.25s%.7s%.7s%.11s", l1 + 5, l2, l2 + 8, l2 + 18);
    l2[29] = lds_mrz_check_digit(composite, strlen(composite));
    snprintf(l3, sizeof l3, "%-30s", "DE<BRUIJN<<WILLEKE<LISELOTTE");
    for (int i = 0; i < 30; i++)
        if (l3[i] == ' ')
            l3[i] = '<';
    snprintf(mrz, 91, "%.30s%.30s%.30s", l1, l2, l3);
}

/* LDSSecurityObject v0 with SHA-256 of DG1. */
static size_t make_lso(const uint8_t *dg1, size_t dg1_len, uint8_t *out, size_t cap)
{
    static const uint8_t sha256_oid[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01};
    uint8_t h[64], t[256], alg[256], group[256], u[1024];
    unsigned hl = 0;
    EVP_Digest(dg1, dg1_len, h, &hl, EVP_sha256(), NULL);
    size_t n = der(t, sizeof t, 0x06, sha256_oid, sizeof sha256_oid);
    t[n++] = 0x05;
    t[n++] = 0x00;
    size_t al = der(alg, sizeof alg, 0x30, t, n);
    static const uint8_t one = 1, zero = 0;
    n = der(t, sizeof t, 0x02, &one, 1);
    n += der(t + n, sizeof t - n, 0x04, h, hl);
    size_t g = der(group, sizeof group, 0x30, t, n);
    n = der(u, sizeof u, 0x02, &zero, 1);
    memcpy(u + n, alg, al);
    n += al;
    n += der(u + n, sizeof u - n, 0x30, group, g);
    return der(out, cap, 0x30, u, n);
}

/* EF.SOD: 77 { ContentInfo SignedData, eContentType 2.23.136.1.1.1, the DS certificate } */
static uint8_t *make_sod(const ident *ds, const uint8_t *lso, size_t lso_len, size_t *len)
{
    BIO *in = BIO_new_mem_buf(lso, (int)lso_len);
    CMS_ContentInfo *cms =
        in ? CMS_sign(ds->cert, ds->key, NULL, NULL, CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP)
           : NULL;
    ASN1_OBJECT *type = OBJ_txt2obj("2.23.136.1.1.1", 1);
    uint8_t *out = NULL;
    unsigned char *inner = NULL;
    int il = 0;
    if (cms && type && CMS_set1_eContentType(cms, type) == 1 &&
        CMS_final(cms, in, NULL, CMS_BINARY) == 1)
        il = i2d_CMS_ContentInfo(cms, &inner);
    if (il > 0 && il < 60000 && (out = malloc((size_t)il + 4)))
        *len = der(out, (size_t)il + 4, 0x77, inner, (size_t)il);
    OPENSSL_free(inner);
    ASN1_OBJECT_free(type);
    CMS_ContentInfo_free(cms);
    BIO_free(in);
    return out;
}

emrtd_specimen *emrtd_specimen_new(emrtd_specimen_kind kind, char *err, size_t errcap)
{
    emrtd_specimen *s = calloc(1, sizeof *s);
    ident csca = {0}, other = {0}, ds = {0};
    bool ok = s != NULL;
    ok = ok && make_ident(&csca, "Loket specimen CSCA", NULL, -30, 3650);
    if (ok && kind == SPECIMEN_OTHER_SIGNER)
        ok = make_ident(&other, "Loket other CSCA", NULL, -30, 3650) &&
             make_ident(&ds, "Loket specimen DS", &other, -1, 3600);
    else if (ok)
        ok = kind == SPECIMEN_EXPIRED_DS ? make_ident(&ds, "Loket specimen DS", &csca, -400, -2)
                                         : make_ident(&ds, "Loket specimen DS", &csca, -1, 3600);
    if (ok) {
        char mrz[91];
        specimen_mrz(mrz);
        uint8_t t[256];
        size_t n = der(t, sizeof t - 1, 0x5F, (const uint8_t *)mrz, 90); /* tag 5F1F: two bytes */
        memmove(t + 2, t + 1, n - 1);
        t[1] = 0x1F;
        s->dg1_len = der(s->dg1, sizeof s->dg1, 0x61, t, n + 1);
        uint8_t lso[1100];
        size_t ll = make_lso(s->dg1, s->dg1_len, lso, sizeof lso);
        s->sod = make_sod(&ds, lso, ll, &s->sod_len);
        ok = s->sod != NULL;
        if (kind == SPECIMEN_TAMPERED_DG1) /* a letter of the name changed after signing */
            s->dg1[s->dg1_len - 5] = (uint8_t)(s->dg1[s->dg1_len - 5] == 'E' ? 'A' : 'E');
    }
    if (ok) {
        s->csca = csca.cert;
        csca.cert = NULL;
    } else {
        snprintf(err, errcap, "cannot make the specimen card (OpenSSL)");
    }
    free_ident(&csca);
    free_ident(&other);
    free_ident(&ds);
    if (!ok) {
        emrtd_specimen_free(s);
        return NULL;
    }
    return s;
}

void emrtd_specimen_free(emrtd_specimen *s)
{
    if (!s)
        return;
    X509_free(s->csca);
    free(s->sod);
    free(s);
}

const uint8_t *emrtd_specimen_dg1(const emrtd_specimen *s, size_t *len)
{
    *len = s->dg1_len;
    return s->dg1;
}

const uint8_t *emrtd_specimen_sod(const emrtd_specimen *s, size_t *len)
{
    *len = s->sod_len;
    return s->sod;
}

bool emrtd_specimen_write_csca(const emrtd_specimen *s, const char *dir, char *err, size_t errcap)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/specimen-csca.pem", dir);
    FILE *f = fopen(path, "w");
    bool ok = f && PEM_write_X509(f, s->csca) == 1;
    if (f && fclose(f) != 0)
        ok = false;
    if (!ok)
        snprintf(err, errcap, "cannot write %s", path);
    return ok;
}

emrtd_chip_spec emrtd_specimen_chip_spec(const emrtd_specimen *s)
{
    emrtd_chip_spec spec = {.dg1 = s->dg1,
                            .dg1_len = s->dg1_len,
                            .sod = s->sod,
                            .sod_len = s->sod_len,
                            .can = EMRTD_SPECIMEN_CAN,
                            .document_number = EMRTD_SPECIMEN_DOCUMENT,
                            .birth = EMRTD_SPECIMEN_BIRTH,
                            .expiry = EMRTD_SPECIMEN_EXPIRY,
                            .param_id = 14,
                            .key_len = 32,
                            .tries = 3};
    return spec;
}
