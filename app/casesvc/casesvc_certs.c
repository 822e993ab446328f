#include "casesvc_certs.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DAYS 825

static EVP_PKEY *new_key(void)
{
    return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
}

static bool add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
    X509_EXTENSION *ex = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    bool ok = ex && X509_add_ext(cert, ex, -1) == 1;
    X509_EXTENSION_free(ex);
    return ok;
}

/* A certificate for `key` named cn, signed by issuer/ikey (self-signed when issuer is NULL). */
static X509 *make_cert(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *ikey, int kind)
{
    X509 *c = X509_new();
    unsigned char serial[16];
    BIGNUM *bn = NULL;
    bool ok = c && RAND_bytes(serial, sizeof serial) == 1;
    if (ok) {
        serial[0] &= 0x7F;
        bn = BN_bin2bn(serial, sizeof serial, NULL);
        ok = bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(c)) != NULL;
    }
    BN_free(bn);
    X509_NAME *name = X509_NAME_new();
    ok = ok && name && X509_set_version(c, 2) == 1 &&
         X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                                    (const unsigned char *)"Loket reference case service", -1, -1,
                                    0) == 1 &&
         X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1,
                                    0) == 1 &&
         X509_set_subject_name(c, name) == 1 &&
         X509_set_issuer_name(c, issuer ? X509_get_subject_name(issuer) : name) == 1 &&
         X509_gmtime_adj(X509_getm_notBefore(c), -3600) &&
         X509_gmtime_adj(X509_getm_notAfter(c), (long)DAYS * 86400) && X509_set_pubkey(c, key) == 1;
    X509_NAME_free(name);
    X509 *iss = issuer ? issuer : c;
    if (ok && kind == 0) /* CA */
        ok = add_ext(c, iss, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") &&
             add_ext(c, iss, NID_key_usage, "critical,keyCertSign,cRLSign") &&
             add_ext(c, iss, NID_subject_key_identifier, "hash");
    if (ok && kind == 1) /* server */
        ok = add_ext(c, iss, NID_basic_constraints, "critical,CA:FALSE") &&
             add_ext(c, iss, NID_key_usage, "critical,digitalSignature") &&
             add_ext(c, iss, NID_ext_key_usage, "serverAuth") &&
             add_ext(c, iss, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1");
    if (ok && kind == 2) /* client */
        ok = add_ext(c, iss, NID_basic_constraints, "critical,CA:FALSE") &&
             add_ext(c, iss, NID_key_usage, "critical,digitalSignature") &&
             add_ext(c, iss, NID_ext_key_usage, "clientAuth");
    ok = ok && X509_sign(c, ikey ? ikey : key, EVP_sha256()) > 0;
    if (!ok) {
        X509_free(c);
        return NULL;
    }
    return c;
}

static FILE *open_mode(const char *path, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0)
        return NULL;
    fchmod(fd, mode);
    FILE *f = fdopen(fd, "w");
    if (!f)
        close(fd);
    return f;
}

static bool write_pair(const char *dir, const char *base, X509 *c, EVP_PKEY *k)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.key", dir, base);
    FILE *f = open_mode(path, 0600);
    bool ok = f && PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL) == 1;
    if (f)
        ok = fclose(f) == 0 && ok;
    snprintf(path, sizeof path, "%s/%s.pem", dir, base);
    f = ok ? open_mode(path, 0644) : NULL;
    ok = f && PEM_write_X509(f, c) == 1;
    if (f)
        ok = fclose(f) == 0 && ok;
    return ok;
}

static bool exists(const char *dir, const char *base)
{
    char a[4096], b[4096];
    snprintf(a, sizeof a, "%s/%s.pem", dir, base);
    snprintf(b, sizeof b, "%s/%s.key", dir, base);
    return access(a, R_OK) == 0 && access(b, R_OK) == 0;
}

static bool load_pair(const char *dir, const char *base, X509 **c, EVP_PKEY **k)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.pem", dir, base);
    FILE *f = fopen(path, "r");
    *c = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
    if (f)
        fclose(f);
    snprintf(path, sizeof path, "%s/%s.key", dir, base);
    f = fopen(path, "r");
    *k = f ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;
    if (f)
        fclose(f);
    return *c && *k;
}

static bool make_signed(const char *dir, const char *base, const char *cn, int kind, X509 *ca,
                        EVP_PKEY *cakey)
{
    EVP_PKEY *k = new_key();
    X509 *c = k ? make_cert(k, cn, ca, cakey, kind) : NULL;
    bool ok = c && write_pair(dir, base, c, k);
    X509_free(c);
    EVP_PKEY_free(k);
    return ok;
}

bool casesvc_certs_ensure(const char *dir, const char *const *clients, size_t n_clients, bool *made,
                          char *err, size_t errcap)
{
    *made = false;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errcap, "cannot create %s: %s", dir, strerror(errno));
        return false;
    }
    X509 *ca = NULL;
    EVP_PKEY *cakey = NULL;
    bool ok = true;
    if (!exists(dir, "ca")) {
        cakey = new_key();
        ca = cakey ? make_cert(cakey, "Loket test CA (generated on first run)", NULL, NULL, 0)
                   : NULL;
        ok = ca && write_pair(dir, "ca", ca, cakey);
        *made = ok;
    } else {
        ok = load_pair(dir, "ca", &ca, &cakey);
    }
    if (ok && !exists(dir, "server")) {
        ok = make_signed(dir, "server", "localhost", 1, ca, cakey);
        *made = true;
    }
    for (size_t i = 0; ok && i < n_clients; i++) {
        char base[200];
        snprintf(base, sizeof base, "client-%s", clients[i]);
        if (!exists(dir, base)) {
            ok = make_signed(dir, base, clients[i], 2, ca, cakey);
            *made = true;
        }
    }
    X509_free(ca);
    EVP_PKEY_free(cakey);
    if (!ok)
        snprintf(err, errcap, "cannot make the certificates in %s", dir);
    return ok;
}
