/* The eMRTD LDS: BER-TLV, DG1, EF.SOD and passive authentication. See emrtd_lds.h for the
 * result rules and the time model. Written from ICAO Doc 9303 parts 3-5 (MRZ, check digits),
 * 10 (LDS, DG1, EF.SOD, LDSSecurityObject) and 11/12 (passive authentication, PKI). */
#include "nfc/emrtd_lds.h"
#include "nfc/emrtd_masterlist.h"
#include "nfc/emrtd_sm.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <openssl/cms.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

/* ---------------------------------------------------------------- BER-TLV */

bool lds_tlv_read(const uint8_t *buf, size_t len, lds_tlv *out)
{
    if (!buf || !out || len < 2)
        return false;
    size_t i = 0;
    uint32_t tag = buf[i++];
    if ((tag & 0x1F) == 0x1F) { /* high tag number: more bytes, bit 8 set on all but the last */
        for (int n = 0;; n++) {
            if (n == 2 || i >= len)
                return false; /* a fourth tag byte, or none */
            uint8_t b = buf[i++];
            if (n == 0 && b == 0x80)
                return false; /* tag number with a leading zero group */
            tag = (tag << 8) | b;
            if (!(b & 0x80))
                break;
        }
    }
    if (i >= len)
        return false;
    uint8_t l0 = buf[i++];
    size_t vlen;
    if (l0 < 0x80) {
        vlen = l0;
    } else if (l0 == 0x80 || l0 > 0x84) {
        return false; /* indefinite, or more than 4 length bytes */
    } else {
        size_t nl = l0 & 0x7F;
        if (len - i < nl)
            return false;
        uint32_t v = 0;
        for (size_t k = 0; k < nl; k++)
            v = (v << 8) | buf[i++];
        vlen = v;
    }
    if (vlen > len - i)
        return false;
    out->tag = tag;
    out->constructed = (buf[0] & 0x20) != 0;
    out->value = buf + i;
    out->len = vlen;
    out->size = i + vlen;
    return true;
}

bool lds_tlv_next(const uint8_t **pos, size_t *left, lds_tlv *out)
{
    if (!pos || !left || *left == 0)
        return false;
    if (!lds_tlv_read(*pos, *left, out))
        return false;
    *pos += out->size;
    *left -= out->size;
    return true;
}

bool lds_tlv_find(const uint8_t *buf, size_t len, uint32_t tag, lds_tlv *out)
{
    const uint8_t *p = buf;
    size_t left = len;
    lds_tlv t;
    while (lds_tlv_next(&p, &left, &t)) {
        if (t.tag == tag) {
            *out = t;
            return true;
        }
    }
    return false;
}

static bool tlv_check(const uint8_t *buf, size_t len, unsigned depth)
{
    if (depth == 0)
        return false;
    const uint8_t *p = buf;
    size_t left = len;
    lds_tlv t;
    while (left > 0) {
        if (!lds_tlv_next(&p, &left, &t))
            return false;
        if (t.constructed && t.len > 0 && !tlv_check(t.value, t.len, depth - 1))
            return false;
    }
    return true;
}

bool lds_tlv_check(const uint8_t *buf, size_t len, unsigned max_depth)
{
    if (!buf && len)
        return false;
    if (max_depth > LDS_TLV_MAX_DEPTH)
        max_depth = LDS_TLV_MAX_DEPTH;
    return tlv_check(buf, len, max_depth);
}

/* ---------------------------------------------------------------- DG1, the MRZ */

void lds_wipe(void *p, size_t n)
{
    if (p && n)
        OPENSSL_cleanse(p, n);
}

void lds_dg1_wipe(lds_dg1 *d)
{
    lds_wipe(d, sizeof *d);
}

char lds_mrz_check_digit(const char *s, size_t n)
{
    int d = emrtd_mrz_check_digit(s, n); /* one implementation for the eMRTD code */
    return d < 0 ? '?' : (char)d;
}

static bool check_digit_ok(const char *s, size_t n, char cd)
{
    return cd >= '0' && cd <= '9' && lds_mrz_check_digit(s, n) == cd;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha_or_filler(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(s[i] == '<' || (s[i] >= 'A' && s[i] <= 'Z')))
            return false;
    return true;
}

/* A field to text: fillers at both ends dropped, runs of fillers inside to one space. */
static void field_text(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    bool gap = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '<') {
            gap = o > 0;
            continue;
        }
        if (gap && o + 1 < cap)
            out[o++] = ' ';
        gap = false;
        if (o + 1 < cap)
            out[o++] = s[i];
    }
    out[o] = '\0';
}

/* Two digits, or "<<" when allowed (an unknown part of a date of birth). */
static int date_part(const char *s, bool unknown_ok, bool *ok)
{
    if (s[0] == '<' && s[1] == '<') {
        *ok = *ok && unknown_ok;
        return -1;
    }
    if (!is_digit(s[0]) || !is_digit(s[1])) {
        *ok = false;
        return -1;
    }
    return (s[0] - '0') * 10 + (s[1] - '0');
}

static bool date_ok(const char *s, bool unknown_ok)
{
    bool ok = true;
    (void)date_part(s, unknown_ok, &ok);
    int mm = date_part(s + 2, unknown_ok, &ok);
    int dd = date_part(s + 4, unknown_ok, &ok);
    if (mm != -1 && (mm < 1 || mm > 12))
        ok = false;
    if (dd != -1 && (dd < 1 || dd > 31))
        ok = false;
    return ok;
}

static bool name_field(const char *s, size_t n, lds_dg1 *out, const char **why)
{
    if (!is_alpha_or_filler(s, n)) {
        *why = "the name has a character other than A-Z";
        return false;
    }
    size_t end = n;
    while (end > 0 && s[end - 1] == '<')
        end--;
    if (end == 0) {
        *why = "the name is empty";
        return false;
    }
    size_t split = end;
    for (size_t i = 0; i + 1 < end; i++) {
        if (s[i] == '<' && s[i + 1] == '<') {
            split = i;
            break;
        }
    }
    field_text(s, split, out->surname, sizeof out->surname);
    if (split < end)
        field_text(s + split + 2, end - split - 2, out->given_names, sizeof out->given_names);
    return true;
}

static bool sex_field(char c, lds_dg1 *out)
{
    if (c == 'M' || c == 'F' || c == 'X') {
        out->sex = c;
        return true;
    }
    if (c == '<') {
        out->sex = 'X';
        return true;
    }
    return false;
}

/* Document number: A-Z 0-9, fillers only at the end. */
static bool number_ok(const char *s, size_t n)
{
    size_t end = n;
    while (end > 0 && s[end - 1] == '<')
        end--;
    if (end == 0)
        return false;
    for (size_t i = 0; i < end; i++)
        if (s[i] == '<')
            return false;
    return true;
}

static bool dates_sex(const char *dob, const char *sex, const char *exp, lds_dg1 *out,
                      const char **why)
{
    if (!date_ok(dob, true)) {
        *why = "the date of birth is not a date";
        return false;
    }
    if (!check_digit_ok(dob, 6, dob[6])) {
        *why = "the check digit of the date of birth is wrong";
        return false;
    }
    if (!sex_field(*sex, out)) {
        *why = "the sex is not F, M or unspecified";
        return false;
    }
    if (!date_ok(exp, false)) {
        *why = "the date of expiry is not a date";
        return false;
    }
    if (!check_digit_ok(exp, 6, exp[6])) {
        *why = "the check digit of the date of expiry is wrong";
        return false;
    }
    memcpy(out->date_of_birth, dob, 6);
    out->date_of_birth[6] = '\0';
    memcpy(out->date_of_expiry, exp, 6);
    out->date_of_expiry[6] = '\0';
    return true;
}

static bool parse_td1(const char *m, lds_dg1 *out, const char **why)
{
    const char *l1 = m, *l2 = m + 30, *l3 = m + 60;
    if (l1[0] != 'I' && l1[0] != 'A' && l1[0] != 'C') {
        *why = "the document code is not one of an ID card (I, A, C)";
        return false;
    }
    if (!is_alpha_or_filler(l1, 5) || !is_alpha_or_filler(l2 + 15, 3)) {
        *why = "the issuing state or nationality is not a country code";
        return false;
    }
    field_text(l1, 2, out->document_code, sizeof out->document_code);
    field_text(l1 + 2, 3, out->issuing_state, sizeof out->issuing_state);

    /* Document number, 9 characters and a check digit; a longer number (ICAO 9303-5) has its
     * first 9 characters here, a filler for the check digit, and the rest at the start of the
     * optional data, followed by the check digit (over the whole number) and a filler. */
    const char *opt1 = l1 + 15;
    size_t opt1_len = 15;
    if (l1[14] == '<') {
        size_t k = 0;
        while (k < 15 && opt1[k] != '<')
            k++;
        if (k < 2 || k > 14) {
            *why = "the long document number has no check digit";
            return false;
        }
        char num[9 + 13];
        memcpy(num, l1 + 5, 9);
        memcpy(num + 9, opt1, k - 1);
        bool ok = number_ok(l1 + 5, 9) && !memchr(l1 + 5, '<', 9) && number_ok(num, 9 + k - 1);
        if (ok && !check_digit_ok(num, 9 + k - 1, opt1[k - 1])) {
            lds_wipe(num, sizeof num);
            *why = "the check digit of the document number is wrong";
            return false;
        }
        if (!ok) {
            lds_wipe(num, sizeof num);
            *why = "the document number has a character other than A-Z and 0-9";
            return false;
        }
        memcpy(out->document_number, num, 9 + k - 1);
        out->document_number[9 + k - 1] = '\0';
        lds_wipe(num, sizeof num);
        opt1 += k + 1;
        opt1_len -= k + 1;
    } else {
        if (!number_ok(l1 + 5, 9)) {
            *why = "the document number has a character other than A-Z and 0-9";
            return false;
        }
        if (!check_digit_ok(l1 + 5, 9, l1[14])) {
            *why = "the check digit of the document number is wrong";
            return false;
        }
        field_text(l1 + 5, 9, out->document_number, sizeof out->document_number);
    }
    field_text(opt1, opt1_len, out->optional_data1, sizeof out->optional_data1);

    if (!dates_sex(l2, l2 + 7, l2 + 8, out, why))
        return false;
    field_text(l2 + 15, 3, out->nationality, sizeof out->nationality);
    field_text(l2 + 18, 11, out->optional_data2, sizeof out->optional_data2);

    char comp[25 + 7 + 7 + 11];
    memcpy(comp, l1 + 5, 25);
    memcpy(comp + 25, l2, 7);
    memcpy(comp + 32, l2 + 8, 7);
    memcpy(comp + 39, l2 + 18, 11);
    bool comp_ok = check_digit_ok(comp, sizeof comp, l2[29]);
    lds_wipe(comp, sizeof comp);
    if (!comp_ok) {
        *why = "the composite check digit is wrong";
        return false;
    }
    return name_field(l3, 30, out, why);
}

static bool parse_td3(const char *m, lds_dg1 *out, const char **why)
{
    const char *l1 = m, *l2 = m + 44;
    if (l1[0] != 'P') {
        *why = "the document code is not one of a passport (P)";
        return false;
    }
    if (!is_alpha_or_filler(l1, 5) || !is_alpha_or_filler(l2 + 10, 3)) {
        *why = "the issuing state or nationality is not a country code";
        return false;
    }
    field_text(l1, 2, out->document_code, sizeof out->document_code);
    field_text(l1 + 2, 3, out->issuing_state, sizeof out->issuing_state);
    if (!number_ok(l2, 9)) {
        *why = "the document number has a character other than A-Z and 0-9";
        return false;
    }
    if (!check_digit_ok(l2, 9, l2[9])) {
        *why = "the check digit of the document number is wrong";
        return false;
    }
    field_text(l2, 9, out->document_number, sizeof out->document_number);
    field_text(l2 + 10, 3, out->nationality, sizeof out->nationality);
    if (!dates_sex(l2 + 13, l2 + 20, l2 + 21, out, why))
        return false;
    /* Personal number: when it is all fillers, its check digit may be '<' or '0'. */
    bool empty = true;
    for (int i = 28; i < 42; i++)
        empty = empty && l2[i] == '<';
    bool pn_ok = empty ? (l2[42] == '<' || l2[42] == '0') : check_digit_ok(l2 + 28, 14, l2[42]);
    if (!pn_ok) {
        *why = "the check digit of the personal number is wrong";
        return false;
    }
    field_text(l2 + 28, 14, out->optional_data1, sizeof out->optional_data1);
    out->optional_data2[0] = '\0';

    char comp[10 + 7 + 22];
    memcpy(comp, l2, 10);
    memcpy(comp + 10, l2 + 13, 7);
    memcpy(comp + 17, l2 + 21, 22);
    bool comp_ok = check_digit_ok(comp, sizeof comp, l2[43]);
    lds_wipe(comp, sizeof comp);
    if (!comp_ok) {
        *why = "the composite check digit is wrong";
        return false;
    }
    return name_field(l1 + 5, 39, out, why);
}

bool lds_mrz_parse(const char *mrz, size_t len, lds_dg1 *out, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    if (!out) {
        *why = "no place for the result";
        return false;
    }
    lds_dg1_wipe(out);
    if (!mrz || (len != LDS_MRZ_TD1_LEN && len != LDS_MRZ_TD3_LEN)) {
        *why = "the MRZ is neither an ID card's (3 lines of 30) nor a passport's (2 lines of 44)";
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        if (emrtd_mrz_check_digit(mrz + i, 1) < 0) { /* A-Z, 0-9 and < only */
            *why = "the MRZ has a character other than A-Z, 0-9 and <";
            return false;
        }
    }
    bool ok;
    if (len == LDS_MRZ_TD1_LEN) {
        out->format = LDS_MRZ_TD1;
        ok = parse_td1(mrz, out, why);
    } else {
        out->format = LDS_MRZ_TD3;
        ok = parse_td3(mrz, out, why);
    }
    if (!ok) {
        lds_dg1_wipe(out);
        return false;
    }
    memcpy(out->mrz, mrz, len);
    out->mrz[len] = '\0';
    *why = "";
    return true;
}

bool lds_dg1_parse(const uint8_t *dg1, size_t len, lds_dg1 *out, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    if (out)
        lds_dg1_wipe(out);
    lds_tlv outer, mrz;
    if (!lds_tlv_read(dg1, len, &outer) || outer.tag != 0x61) {
        *why = "DG1 is not a data group 1 (tag 61)";
        return false;
    }
    if (!lds_tlv_find(outer.value, outer.len, 0x5F1F, &mrz)) {
        *why = "DG1 has no MRZ (tag 5F1F)";
        return false;
    }
    return lds_mrz_parse((const char *)mrz.value, mrz.len, out, why);
}

/* ---------------------------------------------------------------- the LDSSecurityObject */

static const struct {
    lds_hash_alg alg;
    uint8_t oid[9];
    uint8_t oid_len;
    uint8_t digest_len;
    int nid;
} HASHES[] = {
    {LDS_HASH_SHA1, {0x2B, 0x0E, 0x03, 0x02, 0x1A}, 5, 20, NID_sha1},
    {LDS_HASH_SHA224, {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04}, 9, 28, NID_sha224},
    {LDS_HASH_SHA256, {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01}, 9, 32, NID_sha256},
    {LDS_HASH_SHA384, {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02}, 9, 48, NID_sha384},
    {LDS_HASH_SHA512, {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03}, 9, 64, NID_sha512},
};
#define HASH_COUNT (sizeof HASHES / sizeof HASHES[0])

static bool small_int(const lds_tlv *t, int lo, int hi, int *v)
{
    if (t->tag != 0x02 || t->len != 1 || t->value[0] & 0x80)
        return false;
    *v = t->value[0];
    return *v >= lo && *v <= hi;
}

static bool printable_string(const uint8_t **p, size_t *left)
{
    lds_tlv t;
    return lds_tlv_next(p, left, &t) && t.tag == 0x13;
}

bool lds_security_object_parse(const uint8_t *der, size_t len, lds_security_object *out,
                               const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    if (!out) {
        *why = "no place for the result";
        return false;
    }
    memset(out, 0, sizeof *out);
    *why = "the security object is malformed";
    lds_tlv seq, t;
    if (!lds_tlv_read(der, len, &seq) || seq.tag != 0x30 || seq.size != len)
        return false;
    const uint8_t *p = seq.value;
    size_t left = seq.len;
    if (!lds_tlv_next(&p, &left, &t) || !small_int(&t, 0, 1, &out->version)) {
        *why = "the security object has an unknown version";
        return false;
    }
    /* hashAlgorithm: AlgorithmIdentifier, parameters absent or NULL */
    if (!lds_tlv_next(&p, &left, &t) || t.tag != 0x30)
        return false;
    const uint8_t *ap = t.value;
    size_t aleft = t.len;
    lds_tlv oid;
    if (!lds_tlv_next(&ap, &aleft, &oid) || oid.tag != 0x06 || oid.len == 0)
        return false;
    if (aleft > 0) {
        lds_tlv par;
        if (!lds_tlv_next(&ap, &aleft, &par) || par.tag != 0x05 || par.len != 0 || aleft != 0)
            return false;
    }
    size_t hi = HASH_COUNT;
    for (size_t i = 0; i < HASH_COUNT; i++)
        if (oid.len == HASHES[i].oid_len && memcmp(oid.value, HASHES[i].oid, oid.len) == 0)
            hi = i;
    out->hash = hi < HASH_COUNT ? HASHES[hi].alg : LDS_HASH_UNKNOWN;

    /* dataGroupHashValues: SEQUENCE OF SEQUENCE { INTEGER 1..16, OCTET STRING } */
    if (!lds_tlv_next(&p, &left, &t) || t.tag != 0x30)
        return false;
    const uint8_t *gp = t.value;
    size_t gleft = t.len;
    uint32_t seen = 0;
    while (gleft > 0) {
        lds_tlv g, num, val;
        if (!lds_tlv_next(&gp, &gleft, &g) || g.tag != 0x30)
            return false;
        const uint8_t *ep = g.value;
        size_t eleft = g.len;
        int n;
        if (!lds_tlv_next(&ep, &eleft, &num) || !small_int(&num, 1, LDS_MAX_DATA_GROUPS, &n)) {
            *why = "the security object names a data group outside 1 to 16";
            return false;
        }
        if (!lds_tlv_next(&ep, &eleft, &val) || val.tag != 0x04 || eleft != 0)
            return false;
        if (val.len == 0 || val.len > LDS_MAX_HASH_LEN ||
            (hi < HASH_COUNT && val.len != HASHES[hi].digest_len)) {
            *why = "a hash in the security object has the wrong length";
            return false;
        }
        if (seen & (1u << n)) {
            *why = "the security object lists a data group twice";
            return false;
        }
        if (out->count == LDS_MAX_DATA_GROUPS)
            return false;
        seen |= 1u << n;
        out->dg[out->count].number = (uint8_t)n;
        out->dg[out->count].len = (uint8_t)val.len;
        memcpy(out->dg[out->count].value, val.value, val.len);
        out->count++;
    }
    if (out->count == 0) {
        *why = "the security object lists no data group";
        return false;
    }
    /* ldsVersionInfo: only in version 1, two PrintableStrings */
    if (out->version == 1) {
        if (!lds_tlv_next(&p, &left, &t) || t.tag != 0x30)
            return false;
        const uint8_t *vp = t.value;
        size_t vleft = t.len;
        if (!printable_string(&vp, &vleft) || !printable_string(&vp, &vleft) || vleft != 0)
            return false;
    }
    if (left != 0)
        return false;
    *why = "";
    return true;
}

/* ---------------------------------------------------------------- the CSCA store */

struct lds_csca {
    X509_STORE *store;
    size_t count;
};

#define CERT_FILE_MAX (1u << 20)

static size_t load_cert_file(X509_STORE *store, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    unsigned char *buf = OPENSSL_malloc(CERT_FILE_MAX);
    size_t n = buf ? fread(buf, 1, CERT_FILE_MAX, f) : 0;
    fclose(f);
    size_t added = 0;
    if (n > 0 && n < CERT_FILE_MAX) {
        BIO *bio = BIO_new_mem_buf(buf, (int)n);
        X509 *x;
        while (bio && (x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
            if (X509_STORE_add_cert(store, x) == 1)
                added++;
            X509_free(x);
        }
        BIO_free(bio);
        if (added == 0) {
            const unsigned char *q = buf;
            x = d2i_X509(NULL, &q, (long)n);
            if (x && q == buf + n && X509_STORE_add_cert(store, x) == 1)
                added++;
            X509_free(x);
        }
    }
    OPENSSL_free(buf);
    ERR_clear_error();
    return added;
}

/* The whole file when it is a regular file of at most max bytes (the caller frees it). */
static unsigned char *read_whole(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct stat st;
    unsigned char *buf = NULL;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (unsigned long long)st.st_size <= max &&
        (buf = OPENSSL_malloc((size_t)st.st_size + 1)) != NULL) {
        *len = fread(buf, 1, (size_t)st.st_size + 1, f);
        if (*len != (size_t)st.st_size) { /* changed while read */
            OPENSSL_free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    return buf;
}

typedef struct {
    lds_csca_note_fn note;
    void *ctx;
    char *err;
    size_t errcap;
} notes;

static void tell(notes *n, bool problem, const char *text)
{
    if (n->note)
        n->note(n->ctx, problem, text);
    if (problem && n->err && n->errcap) { /* the problems, one after the other */
        size_t used = strlen(n->err);
        if (used + 3 < n->errcap)
            snprintf(n->err + used, n->errcap - used, "%s%s", used ? "; " : "", text);
    }
}

/* A CSCA master list: all its certificates when it verifies, none when it does not. */
static size_t load_master_list(X509_STORE *store, const char *path, notes *n)
{
    char text[4096 + 600], why[160] = "";
    size_t len = 0, added = 0;
    unsigned char *buf = read_whole(path, EMRTD_MASTERLIST_MAX, &len);
    emrtd_masterlist_info info;
    STACK_OF(X509) *certs = NULL;
    if (!buf)
        snprintf(why, sizeof why, "it cannot be read, is empty or is larger than %u MB",
                 EMRTD_MASTERLIST_MAX >> 20);
    else
        certs = emrtd_masterlist_read(buf, len, 0, &info, why, sizeof why);
    OPENSSL_free(buf);
    if (!certs) {
        snprintf(text, sizeof text, "%s: master list refused: %s; none of its certificates is used",
                 path, why);
        tell(n, true, text);
        return 0;
    }
    for (int i = 0; i < sk_X509_num(certs); i++)
        if (X509_STORE_add_cert(store, sk_X509_value(certs, i)) == 1)
            added++;
    sk_X509_pop_free(certs, X509_free);
    ERR_clear_error();
    snprintf(text, sizeof text, "%s: master list of %zu CSCA certificates, signed by %s", path,
             added, info.signer);
    tell(n, false, text);
    if (info.skipped) {
        snprintf(text, sizeof text,
                 "%s: %zu entries of the master list are no certificate OpenSSL can read "
                 "(skipped)",
                 path, info.skipped);
        tell(n, true, text);
    }
    return added;
}

static bool is_master_list(const char *name)
{
    size_t l = strlen(name);
    return l > 3 && strcasecmp(name + l - 3, ".ml") == 0;
}

lds_csca *lds_csca_load_dir_notes(const char *dir, lds_csca_note_fn note, void *ctx, char *err,
                                  size_t errcap)
{
    if (err && errcap)
        err[0] = '\0';
    DIR *d = dir ? opendir(dir) : NULL;
    if (!d) {
        if (err && errcap)
            snprintf(err, errcap, "%s: cannot read the CSCA directory: %s", dir ? dir : "(none)",
                     strerror(errno));
        return NULL;
    }
    lds_csca *c = OPENSSL_zalloc(sizeof *c);
    if (c)
        c->store = X509_STORE_new();
    if (!c || !c->store) {
        if (c)
            OPENSSL_free(c);
        closedir(d);
        if (err && errcap)
            snprintf(err, errcap, "out of memory");
        return NULL;
    }
    notes n = {note, ctx, err, errcap};
    struct dirent *e;
    char path[4096];
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        int w = snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (w < 0 || (size_t)w >= sizeof path || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        c->count += is_master_list(e->d_name) ? load_master_list(c->store, path, &n)
                                              : load_cert_file(c->store, path);
    }
    closedir(d);
    if (c->count == 0) {
        snprintf(path, sizeof path, "%s: no CSCA certificates in the directory", dir);
        tell(&n, true, path);
    }
    return c;
}

lds_csca *lds_csca_load_dir(const char *dir, char *err, size_t errcap)
{
    return lds_csca_load_dir_notes(dir, NULL, NULL, err, errcap);
}

size_t lds_csca_count(const lds_csca *c)
{
    return c ? c->count : 0;
}

void lds_csca_free(lds_csca *c)
{
    if (!c)
        return;
    X509_STORE_free(c->store);
    OPENSSL_free(c);
}

/* ---------------------------------------------------------------- passive authentication */

const char *lds_pa_status_name(lds_pa_status s)
{
    switch (s) {
    case LDS_PA_VERIFIED:
        return "verified";
    case LDS_PA_NOT_VERIFIABLE:
        return "not verifiable";
    case LDS_PA_FAILED:
        return "failed";
    }
    return "?";
}

/* The more severe status wins; within one status, the first reason. */
static void verdict(lds_pa_result *r, lds_pa_status s, const char *reason)
{
    if (s > r->status) {
        r->status = s;
        snprintf(r->reason, sizeof r->reason, "%s", reason);
    }
}

/* id-icao-mrtd-security-ldsSecurityObject, 2.23.136.1.1.1 */
static const uint8_t LDS_SO_OID[] = {0x67, 0x81, 0x08, 0x01, 0x01, 0x01};

static bool obj_is(const ASN1_OBJECT *o, const uint8_t *der, size_t len)
{
    return o && OBJ_length(o) == len && memcmp(OBJ_get0_data(o), der, len) == 0;
}

/* What OpenSSL's error queue says about a failed CMS_verify: a signature or digest that does
 * not match (FAILED) or an algorithm it cannot do (NOT_VERIFIABLE). Clears the queue. */
static lds_pa_status cms_error_kind(void)
{
    lds_pa_status s = LDS_PA_FAILED;
    bool mismatch = false, unsupported = false;
    unsigned long e;
    while ((e = ERR_get_error()) != 0) {
        int lib = ERR_GET_LIB(e), reason = ERR_GET_REASON(e);
        if (lib == ERR_LIB_CMS &&
            (reason == CMS_R_VERIFICATION_FAILURE || reason == CMS_R_CONTENT_VERIFY_ERROR))
            mismatch = true;
        else if (ERR_GET_REASON(e) == ERR_R_UNSUPPORTED ||
                 (lib == ERR_LIB_EVP && reason == EVP_R_UNSUPPORTED_ALGORITHM) ||
                 (lib == ERR_LIB_CMS && (reason == CMS_R_UNKNOWN_DIGEST_ALGORITHM ||
                                         reason == CMS_R_UNSUPPORTED_SIGNATURE_ALGORITHM)))
            unsupported = true;
    }
    if (unsupported && !mismatch)
        s = LDS_PA_NOT_VERIFIABLE;
    return s;
}

static void check_ds_dates(X509 *ds, time_t now, lds_pa_result *r)
{
    int nb = X509_cmp_time(X509_get0_notBefore(ds), &now);
    int na = X509_cmp_time(X509_get0_notAfter(ds), &now);
    if (nb == 0 || na == 0)
        verdict(r, LDS_PA_FAILED, "the document signer certificate has unreadable dates");
    else if (nb > 0)
        verdict(r, LDS_PA_FAILED, "the document signer certificate is not valid yet");
    else if (na < 0)
        verdict(r, LDS_PA_FAILED,
                "the document signer certificate has expired (so has the document)");
}

static void check_signing_time(CMS_SignerInfo *si, X509 *ds, lds_pa_result *r)
{
    int idx = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
    if (idx < 0)
        return;
    X509_ATTRIBUTE *a = CMS_signed_get_attr(si, idx);
    ASN1_TYPE *t = a ? X509_ATTRIBUTE_get0_type(a, 0) : NULL;
    if (!t || (t->type != V_ASN1_UTCTIME && t->type != V_ASN1_GENERALIZEDTIME)) {
        verdict(r, LDS_PA_FAILED, "the signing time of the security object is malformed");
        return;
    }
    const ASN1_TIME *st = t->value.utctime;
    int before = ASN1_TIME_compare(st, X509_get0_notBefore(ds));
    int after = ASN1_TIME_compare(st, X509_get0_notAfter(ds));
    if (before == -2 || after == -2)
        verdict(r, LDS_PA_FAILED, "the signing time of the security object is malformed");
    else if (before < 0 || after > 0)
        verdict(r, LDS_PA_FAILED,
                "the security object was signed outside the validity of its document signer");
}

static void check_chain(const lds_csca *csca, X509 *ds, time_t now, lds_pa_result *r)
{
    if (!csca || csca->count == 0) {
        verdict(r, LDS_PA_NOT_VERIFIABLE, "no CSCA certificate for this document signer");
        return;
    }
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    if (!ctx || !X509_STORE_CTX_init(ctx, csca->store, ds, NULL)) {
        X509_STORE_CTX_free(ctx);
        verdict(r, LDS_PA_NOT_VERIFIABLE, "the certificate chain could not be checked");
        return;
    }
    X509_VERIFY_PARAM *vp = X509_STORE_CTX_get0_param(ctx);
    X509_VERIFY_PARAM_set_time(vp, now);
    X509_VERIFY_PARAM_set_flags(vp, X509_V_FLAG_PARTIAL_CHAIN);
    int ok = X509_verify_cert(ctx);
    int err = X509_STORE_CTX_get_error(ctx);
    int depth = X509_STORE_CTX_get_error_depth(ctx);
    X509_STORE_CTX_free(ctx);
    ERR_clear_error();
    if (ok == 1)
        return;
    switch (err) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        verdict(r, LDS_PA_NOT_VERIFIABLE, "no CSCA certificate for this document signer");
        break;
    case X509_V_ERR_CERT_HAS_EXPIRED:
        verdict(r, LDS_PA_FAILED,
                depth == 0 ? "the document signer certificate has expired (so has the document)"
                           : "the CSCA certificate has expired");
        break;
    case X509_V_ERR_CERT_NOT_YET_VALID:
        verdict(r, LDS_PA_FAILED,
                depth == 0 ? "the document signer certificate is not valid yet"
                           : "the CSCA certificate is not valid yet");
        break;
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
        verdict(r, LDS_PA_FAILED, "the document signer certificate is not signed by its CSCA");
        break;
    case X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
    case X509_V_ERR_UNSUPPORTED_SIGNATURE_ALGORITHM:
    case X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION:
    case X509_V_ERR_EC_KEY_EXPLICIT_PARAMS:
        verdict(r, LDS_PA_NOT_VERIFIABLE,
                "the certificate chain uses an algorithm or extension this kiosk cannot check");
        break;
    default: {
        char msg[160];
        snprintf(msg, sizeof msg, "the document signer certificate is not valid: %s",
                 X509_verify_cert_error_string(err));
        verdict(r, LDS_PA_FAILED, msg);
        break;
    }
    }
}

static void check_hashes(const lds_security_object *so, const lds_dg *dgs, size_t ndg,
                         lds_pa_result *r)
{
    const EVP_MD *md = NULL;
    for (size_t i = 0; i < HASH_COUNT; i++)
        if (HASHES[i].alg == so->hash)
            md = EVP_get_digestbynid(HASHES[i].nid);
    if (!md) {
        verdict(r, LDS_PA_NOT_VERIFIABLE,
                "the security object uses a hash algorithm this kiosk does not support");
        return;
    }
    bool have_dg1 = false;
    uint32_t given = 0;
    char msg[96];
    for (size_t i = 0; i < ndg; i++) {
        int n = dgs[i].number;
        if (n < 1 || n > LDS_MAX_DATA_GROUPS || (!dgs[i].data && dgs[i].len) ||
            (given & (1u << n))) {
            verdict(r, LDS_PA_FAILED, "a data group was given twice or with a wrong number");
            continue;
        }
        given |= 1u << n;
        have_dg1 = have_dg1 || n == 1;
        const uint8_t *want = NULL;
        size_t want_len = 0;
        for (size_t k = 0; k < so->count; k++) {
            if (so->dg[k].number == n) {
                want = so->dg[k].value;
                want_len = so->dg[k].len;
            }
        }
        if (!want) {
            snprintf(msg, sizeof msg, "DG%d is not listed in the security object", n);
            verdict(r, LDS_PA_FAILED, msg);
            continue;
        }
        uint8_t h[EVP_MAX_MD_SIZE];
        unsigned hl = 0;
        static const uint8_t empty = 0;
        if (!EVP_Digest(dgs[i].len ? dgs[i].data : &empty, dgs[i].len, h, &hl, md, NULL)) {
            verdict(r, LDS_PA_NOT_VERIFIABLE, "the hash of a data group could not be computed");
            continue;
        }
        if (hl != want_len || CRYPTO_memcmp(h, want, hl) != 0) {
            snprintf(msg, sizeof msg, "hash of DG%d does not match", n);
            verdict(r, LDS_PA_FAILED, msg);
        }
        lds_wipe(h, sizeof h);
    }
    if (!have_dg1)
        verdict(r, LDS_PA_NOT_VERIFIABLE, "DG1 was not read, so there is nothing to vouch for");
}

lds_pa_status lds_passive_auth(const uint8_t *sod, size_t sod_len, const lds_dg *dgs, size_t ndg,
                               const lds_csca *csca, time_t now, lds_pa_result *res)
{
    lds_pa_result local;
    lds_pa_result *r = res ? res : &local;
    r->status = LDS_PA_VERIFIED;
    snprintf(r->reason, sizeof r->reason, "%s",
             "the signature, the certificate chain and the data group hashes are all valid");
    if (now == 0)
        now = time(NULL);
    if (!dgs)
        ndg = 0;

    CMS_ContentInfo *cms = NULL;
    STACK_OF(X509) *certs = NULL;
    lds_security_object so;
    memset(&so, 0, sizeof so);

    lds_tlv wrap;
    if (!sod || !lds_tlv_read(sod, sod_len, &wrap) || wrap.tag != 0x77) {
        verdict(r, LDS_PA_FAILED, "EF.SOD cannot be read (no tag 77)");
        goto done;
    }
    const unsigned char *p = wrap.value;
    if (wrap.len == 0 || wrap.len > 0x7FFFFFFF ||
        !(cms = d2i_CMS_ContentInfo(NULL, &p, (long)wrap.len)) || p != wrap.value + wrap.len) {
        verdict(r, LDS_PA_FAILED, "EF.SOD cannot be read (not a CMS structure)");
        goto done;
    }
    if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed) {
        verdict(r, LDS_PA_FAILED, "EF.SOD is not CMS SignedData");
        goto done;
    }
    if (!obj_is(CMS_get0_eContentType(cms), LDS_SO_OID, sizeof LDS_SO_OID)) {
        verdict(r, LDS_PA_FAILED, "EF.SOD does not hold an LDS security object");
        goto done;
    }
    ASN1_OCTET_STRING **content = CMS_get0_content(cms);
    if (!content || !*content) {
        verdict(r, LDS_PA_FAILED, "EF.SOD has no security object inside");
        goto done;
    }
    const char *why = NULL;
    if (!lds_security_object_parse(ASN1_STRING_get0_data(*content),
                                   (size_t)ASN1_STRING_length(*content), &so, &why)) {
        verdict(r, LDS_PA_FAILED, why);
        goto done;
    }
    STACK_OF(CMS_SignerInfo) *sinfos = CMS_get0_SignerInfos(cms);
    if (sk_CMS_SignerInfo_num(sinfos) != 1) {
        verdict(r, LDS_PA_FAILED, "EF.SOD does not have exactly one signer");
        goto done;
    }
    CMS_SignerInfo *si = sk_CMS_SignerInfo_value(sinfos, 0);

    /* The data group hashes first: a mismatch is a failure whoever signed. */
    check_hashes(&so, dgs, ndg, r);

    certs = CMS_get1_certs(cms);
    X509 *ds = NULL;
    for (int i = 0; certs && i < sk_X509_num(certs); i++) {
        if (CMS_SignerInfo_cert_cmp(si, sk_X509_value(certs, i)) == 0) {
            ds = sk_X509_value(certs, i);
            break;
        }
    }
    if (!ds) {
        verdict(r, LDS_PA_NOT_VERIFIABLE,
                "the document signer certificate is not in EF.SOD, so it cannot be checked");
        goto done;
    }
    X509_ALGOR *dig = NULL, *sig = NULL;
    CMS_SignerInfo_get0_algs(si, NULL, NULL, &dig, &sig);
    const ASN1_OBJECT *dig_oid = NULL;
    if (dig)
        X509_ALGOR_get0(&dig_oid, NULL, NULL, dig);
    if (!dig_oid || !EVP_get_digestbyobj(dig_oid) || !X509_get0_pubkey(ds)) {
        ERR_clear_error();
        verdict(r, LDS_PA_NOT_VERIFIABLE,
                "EF.SOD is signed with an algorithm this kiosk does not support");
    } else if (CMS_verify(cms, NULL, NULL, NULL, NULL, CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY) !=
               1) {
        lds_pa_status kind = cms_error_kind();
        verdict(r, kind,
                kind == LDS_PA_FAILED
                    ? "the signature of EF.SOD is not valid"
                    : "EF.SOD is signed with an algorithm this kiosk does not support");
    }
    check_ds_dates(ds, now, r);
    check_signing_time(si, ds, r);
    check_chain(csca, ds, now, r);

done:
    lds_wipe(&so, sizeof so);
    sk_X509_pop_free(certs, X509_free);
    CMS_ContentInfo_free(cms);
    ERR_clear_error();
    return r->status;
}
