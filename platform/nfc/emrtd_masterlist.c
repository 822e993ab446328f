/* CSCA master lists: see emrtd_masterlist.h for what is checked and what trust that gives.
 * Written from ICAO Doc 9303 part 12 (section 9, the CSCA Master List) and RFC 5652 (CMS). */
#include "nfc/emrtd_masterlist.h"

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <openssl/asn1t.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

/* CscaMasterList ::= SEQUENCE { version INTEGER, certList SET OF Certificate }. The entries of
 * certList are decoded as ANY first and then one by one as certificates, so that one entry
 * OpenSSL cannot read (an odd encoding some issuer once used) does not throw away the list. */
typedef struct {
    ASN1_INTEGER *version;
    STACK_OF(ASN1_TYPE) * certs;
} CSCA_MASTER_LIST;

ASN1_SEQUENCE(CSCA_MASTER_LIST) =
    {
        ASN1_SIMPLE(CSCA_MASTER_LIST, version, ASN1_INTEGER),
        ASN1_SET_OF(CSCA_MASTER_LIST, certs, ASN1_ANY),
} static_ASN1_SEQUENCE_END(CSCA_MASTER_LIST)

    /* id-icao-cscaMasterList, 2.23.136.1.1.2 */
    static const uint8_t ML_OID[] = {0x67, 0x81, 0x08, 0x01, 0x01, 0x02};

static void say(char *why, size_t cap, const char *fmt, ...)
{
    if (!why || !cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, cap, fmt, ap);
    va_end(ap);
}

/* The certificates of certList, in order; entries that are not certificates are counted. */
static STACK_OF(X509) *
    decode_list(const ASN1_OCTET_STRING *content, size_t *skipped, char *why, size_t whycap)
{
    const unsigned char *p = ASN1_STRING_get0_data(content);
    long n = ASN1_STRING_length(content);
    const unsigned char *start = p;
    CSCA_MASTER_LIST *ml =
        (CSCA_MASTER_LIST *)ASN1_item_d2i(NULL, &p, n, ASN1_ITEM_rptr(CSCA_MASTER_LIST));
    STACK_OF(X509) *out = NULL;
    if (!ml || p != start + n) {
        say(why, whycap, "its content is not a CSCA master list");
        goto done;
    }
    int64_t version = -1;
    if (!ASN1_INTEGER_get_int64(&version, ml->version) || version != 0) {
        say(why, whycap, "it is a master list of a version this kiosk does not know");
        goto done;
    }
    out = sk_X509_new_null();
    if (!out) {
        say(why, whycap, "out of memory");
        goto done;
    }
    for (int i = 0; i < sk_ASN1_TYPE_num(ml->certs); i++) {
        const ASN1_TYPE *t = sk_ASN1_TYPE_value(ml->certs, i);
        X509 *x = NULL;
        if (t->type == V_ASN1_SEQUENCE) { /* the whole encoding, tag and length included */
            const unsigned char *q = ASN1_STRING_get0_data(t->value.sequence);
            long ql = ASN1_STRING_length(t->value.sequence);
            const unsigned char *qs = q;
            x = d2i_X509(NULL, &q, ql);
            if (x && q != qs + ql) {
                X509_free(x);
                x = NULL;
            }
        }
        if (!x || !sk_X509_push(out, x)) {
            X509_free(x);
            (*skipped)++;
        }
    }
done:
    ASN1_item_free((ASN1_VALUE *)ml, ASN1_ITEM_rptr(CSCA_MASTER_LIST));
    ERR_clear_error();
    return out;
}

/* The signer's certificate chains, at `now`, to a self-signed certificate of the list. */
static bool chain_ok(X509 *signer, STACK_OF(X509) * list, STACK_OF(X509) * cms_certs, time_t now,
                     char *why, size_t whycap)
{
    X509_STORE *store = X509_STORE_new();
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    bool ok = false;
    size_t anchors = 0;
    if (!store || !untrusted || !ctx) {
        say(why, whycap, "out of memory");
        goto done;
    }
    for (int i = 0; i < sk_X509_num(list); i++) {
        X509 *x = sk_X509_value(list, i);
        if (X509_self_signed(x, 1) == 1) {
            if (X509_STORE_add_cert(store, x) == 1)
                anchors++;
        } else if (!sk_X509_push(untrusted, x)) { /* a link certificate, say */
            say(why, whycap, "out of memory");
            goto done;
        }
    }
    for (int i = 0; i < sk_X509_num(cms_certs); i++) {
        if (!sk_X509_push(untrusted, sk_X509_value(cms_certs, i))) {
            say(why, whycap, "out of memory");
            goto done;
        }
    }
    if (anchors == 0) {
        say(why, whycap, "it holds no self-signed CSCA certificate to check its signer with");
        goto done;
    }
    if (!X509_STORE_CTX_init(ctx, store, signer, untrusted)) {
        say(why, whycap, "its signer's certificate could not be checked");
        goto done;
    }
    /* no X509_V_FLAG_PARTIAL_CHAIN: the chain must end at a self-signed CSCA of the list */
    X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), now);
    if (X509_verify_cert(ctx) == 1) {
        ok = true;
        goto done;
    }
    int err = X509_STORE_CTX_get_error(ctx);
    int depth = X509_STORE_CTX_get_error_depth(ctx);
    switch (err) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        say(why, whycap, "its signer is not certified by a CSCA in the list");
        break;
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
        say(why, whycap, "its signer's certificate is not signed by the CSCA it names");
        break;
    case X509_V_ERR_CERT_HAS_EXPIRED:
        say(why, whycap,
            depth == 0 ? "its signer's certificate has expired (an old list: get the current one)"
                       : "the CSCA that certified its signer has expired");
        break;
    case X509_V_ERR_CERT_NOT_YET_VALID:
        say(why, whycap,
            depth == 0 ? "its signer's certificate is not valid yet"
                       : "the CSCA that certified its signer is not valid yet");
        break;
    default:
        say(why, whycap, "its signer's certificate is not valid: %s",
            X509_verify_cert_error_string(err));
        break;
    }
done:
    X509_STORE_CTX_free(ctx);
    sk_X509_free(untrusted); /* the certificates stay the lists' */
    X509_STORE_free(store);
    ERR_clear_error();
    return ok;
}

STACK_OF(X509) * emrtd_masterlist_read(const uint8_t *der, size_t len, time_t now,
                                       emrtd_masterlist_info *info, char *why, size_t whycap)
{
    if (info)
        memset(info, 0, sizeof *info);
    say(why, whycap, "%s", "");
    if (now == 0)
        now = time(NULL);
    CMS_ContentInfo *cms = NULL;
    STACK_OF(X509) *cms_certs = NULL, *list = NULL;
    size_t skipped = 0;
    bool ok = false;

    const unsigned char *p = der;
    if (!der || len == 0 || len > EMRTD_MASTERLIST_MAX ||
        !(cms = d2i_CMS_ContentInfo(NULL, &p, (long)len)) || p != der + len) {
        say(why, whycap, "it is not a CMS structure (DER)");
        goto done;
    }
    const ASN1_OBJECT *etype = CMS_get0_eContentType(cms);
    if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed || !etype ||
        OBJ_length(etype) != sizeof ML_OID || memcmp(OBJ_get0_data(etype), ML_OID, sizeof ML_OID)) {
        say(why, whycap, "it is not a signed CSCA master list (id-icao-cscaMasterList)");
        goto done;
    }
    ASN1_OCTET_STRING **content = CMS_get0_content(cms);
    if (!content || !*content) {
        say(why, whycap, "it has no content");
        goto done;
    }
    STACK_OF(CMS_SignerInfo) *sinfos = CMS_get0_SignerInfos(cms);
    if (sk_CMS_SignerInfo_num(sinfos) != 1) {
        say(why, whycap, "it does not have exactly one signer");
        goto done;
    }
    CMS_SignerInfo *si = sk_CMS_SignerInfo_value(sinfos, 0);
    cms_certs = CMS_get1_certs(cms);
    X509 *signer = NULL;
    for (int i = 0; i < sk_X509_num(cms_certs); i++) {
        if (CMS_SignerInfo_cert_cmp(si, sk_X509_value(cms_certs, i)) == 0) {
            signer = sk_X509_value(cms_certs, i);
            break;
        }
    }
    if (!signer) {
        say(why, whycap, "it does not carry its signer's certificate");
        goto done;
    }
    if (info)
        X509_NAME_oneline(X509_get_subject_name(signer), info->signer, sizeof info->signer);
    /* the signature over the content with the signer's key; its chain is checked below */
    if (CMS_verify(cms, NULL, NULL, NULL, NULL, CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY) != 1) {
        say(why, whycap, "the signature does not verify (the list was changed or damaged)");
        goto done;
    }
    if (X509_self_signed(signer, 0) == 1) {
        say(why, whycap, "it is signed by a CSCA itself, not by a master list signer");
        goto done;
    }
    if (!(X509_get_key_usage(signer) & KU_DIGITAL_SIGNATURE)) {
        say(why, whycap, "its signer's certificate is not for signing");
        goto done;
    }
    list = decode_list(*content, &skipped, why, whycap);
    if (!list)
        goto done;
    if (sk_X509_num(list) == 0) {
        say(why, whycap, "it holds no certificates");
        goto done;
    }
    if (!chain_ok(signer, list, cms_certs, now, why, whycap))
        goto done;
    ok = true;
    if (info) {
        info->certs = (size_t)sk_X509_num(list);
        info->skipped = skipped;
    }
done:
    if (!ok) {
        sk_X509_pop_free(list, X509_free);
        list = NULL;
    }
    sk_X509_pop_free(cms_certs, X509_free);
    CMS_ContentInfo_free(cms);
    ERR_clear_error();
    return list;
}
