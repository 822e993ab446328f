/* The eMRTD LDS: BER-TLV, DG1 (TD1 and TD3 MRZ), the LDSSecurityObject and passive
 * authentication. The PKI is made here with OpenSSL's C API at test time: a CSCA (self-signed)
 * with a Document Signer under it, an unrelated second CSCA with its own DS, an expired and a
 * not-yet-valid DS; the LDSSecurityObject is encoded by a small DER writer of this file and the
 * SOD signed with CMS_sign (eContentType 2.23.136.1.1.1). The check digits and hashes here are
 * computed by this file, not by the code under test. MRZ data: the ICAO 9303 specimens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "nfc/emrtd_lds.h"
#include "pki_fixture.h"

/* ------------------------------------------------------------------ MRZ helpers */

static char cd(const char *s, size_t n)
{
    static const int w[3] = {7, 3, 1};
    int sum = 0;
    for (size_t i = 0; i < n; i++) {
        int v = s[i] == '<' ? 0 : s[i] <= '9' ? s[i] - '0' : s[i] - 'A' + 10;
        sum += v * w[i % 3];
    }
    return (char)('0' + sum % 10);
}

/* The ICAO 9303 part 5 specimen ID card and part 4 specimen passport. */
static const char TD1[] = "I<UTOD231458907<<<<<<<<<<<<<<<"
                          "7408122F1204159UTO<<<<<<<<<<<6"
                          "ERIKSSON<<ANNA<MARIA<<<<<<<<<<";
static const char TD3[] = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
                          "L898902C36UTO7408122F1204159ZE184226B<<<<<10";

/* Fixes a TD1's check digits after an edit (the composite last). */
static void td1_fix(char *m)
{
    char *l1 = m, *l2 = m + 30;
    if (l1[14] != '<')
        l1[14] = cd(l1 + 5, 9);
    l2[6] = cd(l2, 6);
    l2[14] = cd(l2 + 8, 6);
    char comp[50];
    memcpy(comp, l1 + 5, 25);
    memcpy(comp + 25, l2, 7);
    memcpy(comp + 32, l2 + 8, 7);
    memcpy(comp + 39, l2 + 18, 11);
    l2[29] = cd(comp, 50);
}

static void td3_fix(char *m)
{
    char *l2 = m + 44;
    l2[9] = cd(l2, 9);
    l2[19] = cd(l2 + 13, 6);
    l2[27] = cd(l2 + 21, 6);
    l2[42] = cd(l2 + 28, 14);
    char comp[39];
    memcpy(comp, l2, 10);
    memcpy(comp + 10, l2 + 13, 7);
    memcpy(comp + 17, l2 + 21, 22);
    l2[43] = cd(comp, 39);
}

/* DG1 as on the chip: 61 L { 5F1F L mrz } */
static size_t make_dg1(const char *mrz, uint8_t *out)
{
    size_t n = strlen(mrz);
    out[0] = 0x61;
    out[1] = (uint8_t)(n + 3);
    out[2] = 0x5F;
    out[3] = 0x1F;
    out[4] = (uint8_t)n;
    memcpy(out + 5, mrz, n);
    return n + 5;
}

/* ------------------------------------------------------------------ BER-TLV */

static void tlv_nested_and_long_lengths(void **state)
{
    (void)state;
    /* 61 { 5F1F "ABC", 7F61 { 02 01 05 } } */
    static const uint8_t nested[] = {0x61, 0x0C, 0x5F, 0x1F, 0x03, 'A',  'B',
                                     'C',  0x7F, 0x61, 0x03, 0x02, 0x01, 0x05};
    lds_tlv t, c;
    assert_true(lds_tlv_read(nested, sizeof nested, &t));
    assert_int_equal(t.tag, 0x61);
    assert_true(t.constructed);
    assert_int_equal(t.len, 12);
    assert_int_equal(t.size, sizeof nested);
    assert_true(lds_tlv_find(t.value, t.len, 0x5F1F, &c));
    assert_int_equal(c.len, 3);
    assert_memory_equal(c.value, "ABC", 3);
    assert_false(c.constructed);
    assert_true(lds_tlv_find(t.value, t.len, 0x7F61, &c));
    assert_true(c.constructed);
    assert_false(lds_tlv_find(t.value, t.len, 0x5F20, &c));
    assert_true(lds_tlv_check(nested, sizeof nested, 3));
    assert_false(lds_tlv_check(nested, sizeof nested, 2)); /* three levels deep */

    /* a sequence walked with lds_tlv_next */
    static const uint8_t seq[] = {0x01, 0x01, 0xAA, 0x02, 0x00, 0x5F, 0x81, 0x01, 0x01, 0xBB};
    const uint8_t *p = seq;
    size_t left = sizeof seq;
    uint32_t tags[4];
    int n = 0;
    while (n < 4 && lds_tlv_next(&p, &left, &t))
        tags[n++] = t.tag;
    assert_int_equal(n, 3);
    assert_int_equal(left, 0);
    assert_int_equal(tags[0], 0x01);
    assert_int_equal(tags[1], 0x02);
    assert_int_equal(tags[2], 0x5F8101); /* a three-byte tag */

    /* long-form lengths of 1 to 4 bytes, also non-minimal ones (BER allows them) */
    static uint8_t buf[300];
    const uint8_t hdrs[][6] = {{0x04, 0x81, 0x80},
                               {0x04, 0x82, 0x01, 0x00},
                               {0x04, 0x83, 0x00, 0x01, 0x00},
                               {0x04, 0x84, 0x00, 0x00, 0x01, 0x00},
                               {0x04, 0x81, 0x05}};
    const size_t hlen[] = {3, 4, 5, 6, 3}, vlen[] = {128, 256, 256, 256, 5};
    for (size_t i = 0; i < 5; i++) {
        memset(buf, 0xEE, sizeof buf);
        memcpy(buf, hdrs[i], hlen[i]);
        assert_true(lds_tlv_read(buf, hlen[i] + vlen[i], &t));
        assert_int_equal(t.len, vlen[i]);
        assert_ptr_equal(t.value, buf + hlen[i]);
        assert_int_equal(t.size, hlen[i] + vlen[i]);
        /* one byte short: refused */
        assert_false(lds_tlv_read(buf, hlen[i] + vlen[i] - 1, &t));
        assert_true(lds_tlv_check(buf, hlen[i] + vlen[i], 1));
        assert_false(lds_tlv_check(buf, hlen[i] + vlen[i] + 1, 1)); /* a stray byte after */
    }
}

static void tlv_refused(void **state)
{
    (void)state;
    lds_tlv t;
    static const uint8_t indefinite[] = {0x30, 0x80, 0x02, 0x01, 0x00, 0x00, 0x00};
    static const uint8_t five_len[] = {0x04, 0x85, 0x00, 0x00, 0x00, 0x00, 0x01, 0xAA};
    static const uint8_t huge[] = {0x04, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x00};
    static const uint8_t past[] = {0x04, 0x03, 0xAA, 0xBB};
    static const uint8_t four_tag[] = {0x5F, 0x81, 0x81, 0x01, 0x00};
    static const uint8_t zero_group[] = {0x5F, 0x80, 0x01, 0x00};
    static const uint8_t tag_cut[] = {0x5F, 0x81};
    static const uint8_t len_cut[] = {0x04, 0x82, 0x01};
    static const uint8_t one[] = {0x04};
    assert_false(lds_tlv_read(indefinite, sizeof indefinite, &t));
    assert_false(lds_tlv_read(five_len, sizeof five_len, &t));
    assert_false(lds_tlv_read(huge, sizeof huge, &t));
    assert_false(lds_tlv_read(past, sizeof past, &t));
    assert_false(lds_tlv_read(four_tag, sizeof four_tag, &t));
    assert_false(lds_tlv_read(zero_group, sizeof zero_group, &t));
    assert_false(lds_tlv_read(tag_cut, sizeof tag_cut, &t));
    assert_false(lds_tlv_read(len_cut, sizeof len_cut, &t));
    assert_false(lds_tlv_read(one, sizeof one, &t));
    assert_false(lds_tlv_read(one, 0, &t));
    assert_false(lds_tlv_read(NULL, 10, &t));
    /* a nested value that overruns its parent */
    static const uint8_t overrun[] = {0x30, 0x03, 0x04, 0x05, 0xAA, 0xBB, 0xCC};
    assert_false(lds_tlv_check(overrun, sizeof overrun, 4));
    assert_false(lds_tlv_check(indefinite, sizeof indefinite, 4));
    /* a search stops at a malformed TLV before the one sought */
    static const uint8_t bad_first[] = {0x04, 0x80, 0x5F, 0x1F, 0x00};
    assert_false(lds_tlv_find(bad_first, sizeof bad_first, 0x5F1F, &t));

    /* nesting: 40 levels of 30 refused at the depth limit, whatever limit is asked */
    uint8_t deep[80];
    for (int i = 0; i < 40; i++) {
        deep[2 * i] = 0x30;
        deep[2 * i + 1] = (uint8_t)(78 - 2 * i);
    }
    assert_true(lds_tlv_read(deep, sizeof deep, &t));
    assert_false(lds_tlv_check(deep, sizeof deep, 1000));
    assert_true(lds_tlv_check(deep + 2 * (40 - LDS_TLV_MAX_DEPTH), 2 * LDS_TLV_MAX_DEPTH, 1000));
    assert_false(
        lds_tlv_check(deep + 2 * (40 - LDS_TLV_MAX_DEPTH) - 2, 2 * LDS_TLV_MAX_DEPTH + 2, 1000));
}

/* ------------------------------------------------------------------ DG1 */

static void dg1_td1_specimen(void **state)
{
    (void)state;
    uint8_t dg1[128];
    size_t n = make_dg1(TD1, dg1);
    lds_dg1 d;
    const char *why = NULL;
    assert_true(lds_dg1_parse(dg1, n, &d, &why));
    assert_int_equal(d.format, LDS_MRZ_TD1);
    assert_string_equal(d.document_code, "I");
    assert_string_equal(d.issuing_state, "UTO");
    assert_string_equal(d.document_number, "D23145890");
    assert_string_equal(d.surname, "ERIKSSON");
    assert_string_equal(d.given_names, "ANNA MARIA");
    assert_string_equal(d.nationality, "UTO");
    assert_string_equal(d.date_of_birth, "740812");
    assert_int_equal(d.sex, 'F');
    assert_string_equal(d.date_of_expiry, "120415");
    assert_string_equal(d.optional_data1, "");
    assert_string_equal(d.optional_data2, "");
    assert_string_equal(d.mrz, TD1);
    lds_dg1_wipe(&d);
    static const lds_dg1 zero;
    assert_memory_equal(&d, &zero, sizeof d);
}

static void dg1_td3_specimen(void **state)
{
    (void)state;
    uint8_t dg1[128];
    size_t n = make_dg1(TD3, dg1);
    lds_dg1 d;
    const char *why = NULL;
    assert_true(lds_dg1_parse(dg1, n, &d, &why));
    assert_int_equal(d.format, LDS_MRZ_TD3);
    assert_string_equal(d.document_code, "P");
    assert_string_equal(d.issuing_state, "UTO");
    assert_string_equal(d.document_number, "L898902C3");
    assert_string_equal(d.surname, "ERIKSSON");
    assert_string_equal(d.given_names, "ANNA MARIA");
    assert_string_equal(d.nationality, "UTO");
    assert_string_equal(d.date_of_birth, "740812");
    assert_int_equal(d.sex, 'F');
    assert_string_equal(d.date_of_expiry, "120415");
    assert_string_equal(d.optional_data1, "ZE184226B");
    assert_string_equal(d.mrz, TD3);
    lds_dg1_wipe(&d);
    /* the raw MRZ entry point as well */
    assert_true(lds_mrz_parse(TD3, strlen(TD3), &d, &why));
    assert_string_equal(d.document_number, "L898902C3");
    lds_dg1_wipe(&d);
    assert_int_equal(lds_mrz_check_digit("L898902C3", 9), '6');
    assert_int_equal(lds_mrz_check_digit("ab", 2), '?');
}

static void dg1_td1_long_number_and_fillers(void **state)
{
    (void)state;
    /* ICAO 9303-5: a 12-character number D23145890734, 9 here, a filler, 734 + check digit
     * (over the whole number) + filler in the optional data; then a Dutch-style BSN after it. */
    char m[91];
    memcpy(m,
           "I<UTOD23145890<7349<999999990<"
           "7408122F1204159UTO<<<<<<<<<<<0"
           "VAN<DER<BERG<<ANNA<<MARIA<<<<<",
           91);
    td1_fix(m);
    lds_dg1 d;
    const char *why = NULL;
    assert_true(lds_mrz_parse(m, 90, &d, &why));
    assert_string_equal(d.document_number, "D23145890734");
    assert_string_equal(d.optional_data1, "999999990");
    assert_string_equal(d.surname, "VAN DER BERG");
    assert_string_equal(d.given_names, "ANNA MARIA"); /* a stray double filler is one space */
    /* the long number's check digit is checked */
    m[18] = m[18] == '9' ? '0' : '9';
    td1_fix(m);
    assert_false(lds_mrz_parse(m, 90, &d, &why));
    assert_non_null(strstr(why, "check digit of the document number"));
    /* a filler for a check digit with no number after it */
    memcpy(m, "I<UTOD23145890<<<<<<<<<<<<<<<<", 30);
    td1_fix(m);
    assert_false(lds_mrz_parse(m, 90, &d, &why));

    /* one name only, unspecified sex, an unknown day of birth, a one-letter state */
    memcpy(m,
           "I<D<<D231458907<<<<<<<<<<<<<<<"
           "7408<<0<1204159D<<<<<<<<<<<<<0"
           "ERIKSSON<<<<<<<<<<<<<<<<<<<<<<",
           91);
    td1_fix(m);
    assert_true(lds_mrz_parse(m, 90, &d, &why));
    assert_string_equal(d.issuing_state, "D");
    assert_string_equal(d.nationality, "D");
    assert_string_equal(d.surname, "ERIKSSON");
    assert_string_equal(d.given_names, "");
    assert_int_equal(d.sex, 'X');
    assert_string_equal(d.date_of_birth, "7408<<");
    lds_dg1_wipe(&d);

    /* TD3: personal number all fillers, its check digit '0' or '<' (both worth 0) */
    char p[89];
    memcpy(p, TD3, 89);
    memcpy(p + 44 + 28, "<<<<<<<<<<<<<<<", 15);
    td3_fix(p);
    assert_int_equal(p[44 + 42], '0');
    assert_true(lds_mrz_parse(p, 88, &d, &why));
    assert_string_equal(d.optional_data1, "");
    p[44 + 42] = '<';
    assert_true(lds_mrz_parse(p, 88, &d, &why));
    lds_dg1_wipe(&d);
}

/* Every check digit, changed to each other digit, is caught; so is every character they cover
 * changed by one. */
static void dg1_every_check_digit_error_caught(void **state)
{
    (void)state;
    static const int td1_cd[] = {14, 30 + 6, 30 + 14, 30 + 29};
    static const int td3_cd[] = {44 + 9, 44 + 19, 44 + 27, 44 + 42, 44 + 43};
    lds_dg1 d;
    const char *why;
    char m[91];
    for (int f = 0; f < 2; f++) {
        const char *base = f ? TD3 : TD1;
        size_t len = strlen(base);
        const int *pos = f ? td3_cd : td1_cd;
        size_t npos = f ? 5 : 4;
        for (size_t k = 0; k < npos; k++) {
            for (char c = '0'; c <= '9'; c++) {
                memcpy(m, base, len + 1);
                if (m[pos[k]] == c)
                    continue;
                m[pos[k]] = c;
                why = NULL;
                assert_false(lds_mrz_parse(m, len, &d, &why));
                assert_non_null(strstr(why, "check digit"));
            }
        }
        /* the covered characters: document number, dates, personal number / optional data */
        for (size_t i = 0; i < len; i++) {
            bool covered;
            if (f == 0)
                covered = (i >= 5 && i < 14) || (i >= 30 && i < 36) || (i >= 38 && i < 44) ||
                          (i >= 15 && i < 30) || (i >= 48 && i < 59);
            else
                covered = (i >= 44 && i < 53) || (i >= 57 && i < 63) || (i >= 65 && i < 71) ||
                          (i >= 72 && i < 86);
            if (!covered)
                continue;
            memcpy(m, base, len + 1);
            char c = m[i];
            m[i] = c == '<' ? '1' : c == '9' ? '0' : c == 'Z' ? 'A' : (char)(c + 1);
            why = NULL;
            assert_false(lds_mrz_parse(m, len, &d, &why));
            assert_non_null(why);
        }
    }
    /* and the all-zero result after a refusal */
    static const lds_dg1 zero;
    assert_memory_equal(&d, &zero, sizeof d);
}

static void dg1_garbage_refused(void **state)
{
    (void)state;
    lds_dg1 d;
    const char *why;
    uint8_t dg1[128];
    char m[91];
    size_t n = make_dg1(TD3, dg1);

    dg1[0] = 0x62; /* not DG1 */
    assert_false(lds_dg1_parse(dg1, n, &d, &why));
    dg1[0] = 0x61;
    dg1[3] = 0x20; /* no 5F1F */
    assert_false(lds_dg1_parse(dg1, n, &d, &why));
    dg1[3] = 0x1F;
    for (size_t cut = 0; cut < n; cut++)
        assert_false(lds_dg1_parse(dg1, cut, &d, &why));
    assert_false(lds_dg1_parse(NULL, 10, &d, &why));
    assert_false(lds_mrz_parse(TD3, 87, &d, &why));
    assert_false(lds_mrz_parse(TD1, 89, &d, &why));
    assert_false(lds_mrz_parse("", 0, &d, &why));

    struct {
        const char *base;
        int pos;
        char c;
    } edits[] = {
        {TD3, 7, 'r'},       /* lowercase */
        {TD3, 7, ' '},       /* space */
        {TD3, 0, 'X'},       /* not a passport */
        {TD1, 0, 'P'},       /* not an ID card */
        {TD3, 8, '1'},       /* digit in the name */
        {TD3, 3, '1'},       /* digit in the issuing state */
        {TD3, 44 + 20, 'Q'}, /* sex */
        {TD3, 44 + 3, '<'},  /* filler inside the document number */
    };
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        size_t len = strlen(edits[i].base);
        memcpy(m, edits[i].base, len + 1);
        m[edits[i].pos] = edits[i].c;
        if (len == 88)
            td3_fix(m);
        else
            td1_fix(m);
        why = NULL;
        assert_false(lds_mrz_parse(m, len, &d, &why));
        assert_non_null(why);
    }
    /* month 13, day 32, unknown parts in an expiry date, an empty name: right check digits */
    const char *dates[] = {"741312", "740832", "12<<15"};
    for (int i = 0; i < 3; i++) {
        memcpy(m, TD3, 89);
        memcpy(m + 44 + (i == 2 ? 21 : 13), dates[i], 6);
        td3_fix(m);
        assert_false(lds_mrz_parse(m, 88, &d, &why));
        assert_non_null(strstr(why, "not a date"));
    }
    memcpy(m, TD1, 91);
    memset(m + 60, '<', 30);
    td1_fix(m);
    assert_false(lds_mrz_parse(m, 90, &d, &why));
    assert_non_null(strstr(why, "name is empty"));
}

/* ------------------------------------------------------------------ the PKI */

static ident csca1, csca2, csca3, ds1, ds2, ds_expired, ds_future, ds_forged;
static char csca_dir[64];
static lds_csca *store;

static char files[4][96];

static int setup(void **state)
{
    (void)state;
    csca1 = make_ident("CSCA Utopia", true, NULL, true, true, -30, 3650);
    ds1 = make_ident("DS Utopia 1", true, &csca1, false, true, -1, 3600);
    csca2 = make_ident("CSCA Elsewhere", false, NULL, true, true, -30, 3650);
    ds2 = make_ident("DS Elsewhere", false, &csca2, false, true, -1, 3600);
    csca3 = make_ident("CSCA Third", false, NULL, true, true, -30, 3650);
    ds_expired = make_ident("DS Utopia old", false, &csca1, false, true, -400, -1);
    ds_future = make_ident("DS Utopia next", false, &csca1, false, true, 2, 400);
    /* CSCA 1's name as issuer, signed with another RSA key (of DS 1) */
    const ident forger = {ds1.key, csca1.cert};
    ds_forged = make_ident("DS Utopia forged", false, &forger, false, true, -1, 3600);

    /* the directory: CSCA 1 as PEM, CSCA 3 as DER, a file that is no certificate */
    strcpy(csca_dir, "/tmp/loket-csca-XXXXXX");
    if (!mkdtemp(csca_dir))
        return -1;
    snprintf(files[0], sizeof files[0], "%s/csca1.pem", csca_dir);
    snprintf(files[1], sizeof files[1], "%s/csca3.der", csca_dir);
    snprintf(files[2], sizeof files[2], "%s/README.txt", csca_dir);
    FILE *f = fopen(files[0], "w");
    PEM_write_X509(f, csca1.cert);
    fclose(f);
    f = fopen(files[1], "wb");
    i2d_X509_fp(f, csca3.cert);
    fclose(f);
    f = fopen(files[2], "w");
    fputs("The Dutch CSCA master list goes here.\n", f);
    fclose(f);
    char err[256];
    store = lds_csca_load_dir(csca_dir, err, sizeof err);
    return store ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    lds_csca_free(store);
    for (int i = 0; i < 3; i++)
        unlink(files[i]);
    rmdir(csca_dir);
    ident *all[] = {&csca1, &csca2, &csca3, &ds1, &ds2, &ds_expired, &ds_future, &ds_forged};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        free_ident(all[i]);
    return 0;
}

/* ------------------------------------------------------------------ DER and the SOD */

typedef struct {
    const char *oid_text; /* the hash algorithm's OID as written in the security object */
    const EVP_MD *md;     /* how this test hashes (NULL: SHA-256) */
    int hash_len_delta;   /* make DG1's hash this much longer */
    bool flip_last;       /* change the last bit of DG1's hash */
} lso_spec;

/* LDSSecurityObject v0 { version, AlgorithmIdentifier, { {1, H(DG1)}, {2, H(DG2)} } } */
static size_t make_lso(const lso_spec *s, const uint8_t *dg1, size_t dg1_len, uint8_t *out)
{
    static const uint8_t dg2[] = {0x75, 0x03, 0x7F, 0x61, 0x00};
    const EVP_MD *md = s->md ? s->md : EVP_sha256();
    uint8_t h1[80] = {0}, h2[64], t[512], u[512], alg[64], groups[256];
    unsigned l1, l2;
    EVP_Digest(dg1, dg1_len, h1, &l1, md, NULL);
    EVP_Digest(dg2, sizeof dg2, h2, &l2, md, NULL);
    if (s->flip_last)
        h1[l1 - 1] ^= 0x01;
    l1 = (unsigned)((int)l1 + s->hash_len_delta);

    ASN1_OBJECT *o = OBJ_txt2obj(s->oid_text, 1);
    assert_non_null(o);
    size_t n = der(t, 0x06, OBJ_get0_data(o), (size_t)OBJ_length(o));
    ASN1_OBJECT_free(o);
    t[n++] = 0x05;
    t[n++] = 0x00;
    size_t alg_len = der(alg, 0x30, t, n);

    size_t gl = 0;
    static const uint8_t one = 1, two = 2;
    n = der(t, 0x02, &one, 1);
    n += der(t + n, 0x04, h1, l1);
    gl += der(groups + gl, 0x30, t, n);
    n = der(t, 0x02, &two, 1);
    n += der(t + n, 0x04, h2, l2);
    gl += der(groups + gl, 0x30, t, n);

    static const uint8_t zero = 0;
    n = der(u, 0x02, &zero, 1);
    memcpy(u + n, alg, alg_len);
    n += alg_len;
    n += der(u + n, 0x30, groups, gl);
    return der(out, 0x30, u, n);
}

enum { SOD_PLAIN = 0, SOD_BAD_SIGNATURE = 1, SOD_NO_CERTS = 2, SOD_DATA_TYPE = 4 };

/* EF.SOD: 77 { ContentInfo SignedData, eContentType 2.23.136.1.1.1, the DS certificate } */
static size_t make_sod(const ident *ds, const uint8_t *lso, size_t lso_len, int how, uint8_t *out,
                       size_t cap)
{
    BIO *in = BIO_new_mem_buf(lso, (int)lso_len);
    unsigned flags = CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
    if (how & SOD_NO_CERTS)
        flags |= CMS_NOCERTS;
    CMS_ContentInfo *cms = CMS_sign(ds->cert, ds->key, NULL, NULL, flags);
    assert_non_null(cms);
    ASN1_OBJECT *type =
        OBJ_txt2obj((how & SOD_DATA_TYPE) ? "1.2.840.113549.1.7.1" : "2.23.136.1.1.1", 1);
    assert_int_equal(CMS_set1_eContentType(cms, type), 1);
    ASN1_OBJECT_free(type);
    assert_int_equal(CMS_final(cms, in, NULL, CMS_BINARY), 1);
    BIO_free(in);
    if (how & SOD_BAD_SIGNATURE) {
        CMS_SignerInfo *si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
        ASN1_OCTET_STRING *sig = CMS_SignerInfo_get0_signature(si);
        int sl = ASN1_STRING_length(sig);
        unsigned char b[1024];
        assert_true(sl > 0 && sl <= (int)sizeof b);
        memcpy(b, ASN1_STRING_get0_data(sig), (size_t)sl);
        b[sl / 2] ^= 0x01;
        assert_int_equal(ASN1_STRING_set(sig, b, sl), 1);
    }
    unsigned char *inner = NULL;
    int il = i2d_CMS_ContentInfo(cms, &inner);
    CMS_ContentInfo_free(cms);
    assert_true(il > 0 && (size_t)il + 4 <= cap);
    size_t n = der(out, 0x77, inner, (size_t)il);
    OPENSSL_free(inner);
    return n;
}

static uint8_t g_dg1[128], g_lso[512], g_sod[8192];
static size_t g_dg1_len, g_lso_len, g_sod_len;
static lds_pa_result g_res;

/* DG1 (TD3 specimen) and a SOD by `ds` over it, then passive authentication of `dg1_as_read`
 * (NULL: the same DG1). */
static lds_pa_status pa(const ident *ds, const lso_spec *spec, int how, const uint8_t *dg1_as_read,
                        const lds_csca *csca)
{
    static const lso_spec sha256 = {"2.16.840.1.101.3.4.2.1", NULL, 0, false};
    g_dg1_len = make_dg1(TD3, g_dg1);
    g_lso_len = make_lso(spec ? spec : &sha256, g_dg1, g_dg1_len, g_lso);
    g_sod_len = make_sod(ds, g_lso, g_lso_len, how, g_sod, sizeof g_sod);
    lds_dg dg = {1, dg1_as_read ? dg1_as_read : g_dg1, g_dg1_len};
    return lds_passive_auth(g_sod, g_sod_len, &dg, 1, csca, 0, &g_res);
}

static void csca_directory_loaded(void **state)
{
    (void)state;
    assert_int_equal(lds_csca_count(store), 2); /* the PEM and the DER, not the README */
    char err[256];
    assert_null(lds_csca_load_dir("/nonexistent/loket-csca", err, sizeof err));
    assert_non_null(strstr(err, "cannot read the CSCA directory"));
}

static void pa_verified(void **state)
{
    (void)state;
    assert_int_equal(pa(&ds1, NULL, SOD_PLAIN, NULL, store), LDS_PA_VERIFIED);
    assert_int_equal(g_res.status, LDS_PA_VERIFIED);
    /* every hash algorithm ICAO allows, an EC document signer too */
    static const lso_spec algs[] = {{"1.3.14.3.2.26", NULL, 0, false},
                                    {"2.16.840.1.101.3.4.2.4", NULL, 0, false},
                                    {"2.16.840.1.101.3.4.2.2", NULL, 0, false},
                                    {"2.16.840.1.101.3.4.2.3", NULL, 0, false}};
    const EVP_MD *mds[] = {EVP_sha1(), EVP_sha224(), EVP_sha384(), EVP_sha512()};
    for (int i = 0; i < 4; i++) {
        lso_spec s = algs[i];
        s.md = mds[i];
        assert_int_equal(pa(&ds1, &s, SOD_PLAIN, NULL, store), LDS_PA_VERIFIED);
    }
    /* a TD1 card with DG1 and DG2 read */
    uint8_t dg1[128], lso[512], sod[8192], dg2[] = {0x75, 0x03, 0x7F, 0x61, 0x00};
    static const lso_spec sha256 = {"2.16.840.1.101.3.4.2.1", NULL, 0, false};
    size_t n1 = make_dg1(TD1, dg1);
    size_t nl = make_lso(&sha256, dg1, n1, lso);
    size_t ns = make_sod(&ds1, lso, nl, SOD_PLAIN, sod, sizeof sod);
    lds_dg dgs[2] = {{1, dg1, n1}, {2, dg2, sizeof dg2}};
    lds_pa_result r;
    assert_int_equal(lds_passive_auth(sod, ns, dgs, 2, store, 0, &r), LDS_PA_VERIFIED);
    /* DG2 changed */
    dg2[4] = 1;
    assert_int_equal(lds_passive_auth(sod, ns, dgs, 2, store, 0, &r), LDS_PA_FAILED);
    assert_string_equal(r.reason, "hash of DG2 does not match");
}

static void pa_tampered_dg1_fails(void **state)
{
    (void)state;
    uint8_t changed[128];
    make_dg1(TD3, changed);
    changed[5 + 6] = 'X'; /* ERIKSSON -> ERIXSSON: no check digit covers names */
    assert_int_equal(pa(&ds1, NULL, SOD_PLAIN, changed, store), LDS_PA_FAILED);
    assert_string_equal(g_res.reason, "hash of DG1 does not match");
    /* a security object whose DG1 hash differs in its last bit only */
    lso_spec last = {"2.16.840.1.101.3.4.2.1", NULL, 0, true};
    assert_int_equal(pa(&ds1, &last, SOD_PLAIN, NULL, store), LDS_PA_FAILED);
    assert_string_equal(g_res.reason, "hash of DG1 does not match");
    /* failed also when the signer is unknown: the data do not match whoever signed */
    assert_int_equal(pa(&ds2, NULL, SOD_PLAIN, changed, store), LDS_PA_FAILED);
    assert_string_equal(g_res.reason, "hash of DG1 does not match");
}

static void pa_other_csca_not_verifiable(void **state)
{
    (void)state;
    assert_int_equal(pa(&ds2, NULL, SOD_PLAIN, NULL, store), LDS_PA_NOT_VERIFIABLE);
    assert_string_equal(g_res.reason, "no CSCA certificate for this document signer");
    /* no store at all */
    assert_int_equal(pa(&ds1, NULL, SOD_PLAIN, NULL, NULL), LDS_PA_NOT_VERIFIABLE);
    /* no DS certificate in the SOD */
    assert_int_equal(pa(&ds1, NULL, SOD_NO_CERTS, NULL, store), LDS_PA_NOT_VERIFIABLE);
    assert_non_null(strstr(g_res.reason, "document signer certificate is not in EF.SOD"));
}

static void pa_bad_signature_fails(void **state)
{
    (void)state;
    assert_int_equal(pa(&ds1, NULL, SOD_BAD_SIGNATURE, NULL, store), LDS_PA_FAILED);
    assert_string_equal(g_res.reason, "the signature of EF.SOD is not valid");
    assert_int_equal(pa(&ds2, NULL, SOD_BAD_SIGNATURE, NULL, store), LDS_PA_FAILED); /* EC */
    assert_string_equal(g_res.reason, "the signature of EF.SOD is not valid");
    /* a DS certificate that names CSCA 1 as its issuer but was signed by another key */
    assert_int_equal(pa(&ds_forged, NULL, SOD_PLAIN, NULL, store), LDS_PA_FAILED);
    assert_string_equal(g_res.reason, "the document signer certificate is not signed by its CSCA");
    /* a byte of the signed security object changed after signing */
    pa(&ds1, NULL, SOD_PLAIN, NULL, store);
    uint8_t *hit = NULL;
    for (size_t i = 0; i + g_lso_len <= g_sod_len; i++)
        if (memcmp(g_sod + i, g_lso, g_lso_len) == 0)
            hit = g_sod + i;
    assert_non_null(hit);
    hit[g_lso_len - 1] ^= 0x40; /* the last byte of DG2's hash */
    lds_dg dg = {1, g_dg1, g_dg1_len};
    assert_int_equal(lds_passive_auth(g_sod, g_sod_len, &dg, 1, store, 0, &g_res), LDS_PA_FAILED);
    assert_string_equal(g_res.reason, "the signature of EF.SOD is not valid");
}

/* The documented rule: certificates are checked now (ICAO's shell model); a DS expired or not
 * yet valid is a failure, with or without a CSCA for it. */
static void pa_expired_ds_fails(void **state)
{
    (void)state;
    assert_int_equal(pa(&ds_expired, NULL, SOD_PLAIN, NULL, store), LDS_PA_FAILED);
    assert_non_null(strstr(g_res.reason, "document signer certificate has expired"));
    assert_int_equal(pa(&ds_future, NULL, SOD_PLAIN, NULL, store), LDS_PA_FAILED);
    assert_non_null(strstr(g_res.reason, "not valid yet"));
    assert_int_equal(pa(&ds_expired, NULL, SOD_PLAIN, NULL, NULL), LDS_PA_FAILED);
    /* the same SOD checked at a time within the DS validity verifies */
    pa(&ds_expired, NULL, SOD_PLAIN, NULL, store);
    lds_dg dg = {1, g_dg1, g_dg1_len};
    time_t then = time(NULL) - 100 * 86400L;
    assert_int_equal(lds_passive_auth(g_sod, g_sod_len, &dg, 1, store, then, &g_res),
                     LDS_PA_FAILED); /* ... except that it was signed today, after it expired */
    assert_string_equal(g_res.reason,
                        "the security object was signed outside the validity of its document "
                        "signer");
}

static void pa_unknown_hash_not_verifiable(void **state)
{
    (void)state;
    lso_spec md5 = {"1.2.840.113549.2.5", EVP_md5(), 0, false};
    assert_int_equal(pa(&ds1, &md5, SOD_PLAIN, NULL, store), LDS_PA_NOT_VERIFIABLE);
    assert_non_null(strstr(g_res.reason, "hash algorithm"));
    lso_spec odd = {"1.2.3.4.5", NULL, 0, false};
    assert_int_equal(pa(&ds1, &odd, SOD_PLAIN, NULL, store), LDS_PA_NOT_VERIFIABLE);
    /* an unknown hash and a bad signature: failed wins over not verifiable */
    assert_int_equal(pa(&ds1, &md5, SOD_BAD_SIGNATURE, NULL, store), LDS_PA_FAILED);
    assert_string_equal(g_res.reason, "the signature of EF.SOD is not valid");
    /* a known algorithm with a hash of the wrong length */
    lso_spec longer = {"2.16.840.1.101.3.4.2.1", NULL, 1, false};
    assert_int_equal(pa(&ds1, &longer, SOD_PLAIN, NULL, store), LDS_PA_FAILED);
    assert_non_null(strstr(g_res.reason, "wrong length"));
}

static void pa_other_failures(void **state)
{
    (void)state;
    /* eContentType id-data */
    assert_int_equal(pa(&ds1, NULL, SOD_DATA_TYPE, NULL, store), LDS_PA_FAILED);
    assert_non_null(strstr(g_res.reason, "does not hold an LDS security object"));
    /* a data group the SOD does not list; DG1 not read */
    pa(&ds1, NULL, SOD_PLAIN, NULL, store);
    lds_dg dgs[2] = {{1, g_dg1, g_dg1_len}, {3, g_dg1, g_dg1_len}};
    assert_int_equal(lds_passive_auth(g_sod, g_sod_len, dgs, 2, store, 0, &g_res), LDS_PA_FAILED);
    assert_string_equal(g_res.reason, "DG3 is not listed in the security object");
    static const uint8_t dg2[] = {0x75, 0x03, 0x7F, 0x61, 0x00};
    lds_dg only2 = {2, dg2, sizeof dg2};
    assert_int_equal(lds_passive_auth(g_sod, g_sod_len, &only2, 1, store, 0, &g_res),
                     LDS_PA_NOT_VERIFIABLE);
    assert_int_equal(lds_passive_auth(g_sod, g_sod_len, NULL, 0, store, 0, &g_res),
                     LDS_PA_NOT_VERIFIABLE);
    assert_string_equal(lds_pa_status_name(LDS_PA_FAILED), "failed");
}

/* Every prefix of the SOD is refused as a failure, and so is every prefix of the CMS inside a
 * 77 whose length fits it; no crash, no leak (the sanitizers watch). */
static void pa_truncated_refused(void **state)
{
    (void)state;
    assert_int_equal(pa(&ds1, NULL, SOD_PLAIN, NULL, store), LDS_PA_VERIFIED);
    lds_dg dg = {1, g_dg1, g_dg1_len};
    uint8_t *copy = malloc(g_sod_len);
    lds_tlv t;
    assert_true(lds_tlv_read(g_sod, g_sod_len, &t));
    size_t hdr = t.size - t.len;
    for (size_t cut = 0; cut < g_sod_len; cut++) {
        memcpy(copy, g_sod, cut);
        assert_int_equal(lds_passive_auth(copy, cut, &dg, 1, store, 0, &g_res), LDS_PA_FAILED);
        if (cut > hdr + 1) {
            uint8_t re[8192];
            size_t n = der(re, 0x77, g_sod + hdr, cut - hdr);
            assert_int_equal(lds_passive_auth(re, n, &dg, 1, store, 0, &g_res), LDS_PA_FAILED);
        }
    }
    free(copy);
    /* and the security object on its own */
    lds_security_object so;
    const char *why;
    assert_true(lds_security_object_parse(g_lso, g_lso_len, &so, &why));
    assert_int_equal(so.version, 0);
    assert_int_equal(so.hash, LDS_HASH_SHA256);
    assert_int_equal(so.count, 2);
    assert_int_equal(so.dg[0].number, 1);
    assert_int_equal(so.dg[1].number, 2);
    for (size_t cut = 0; cut < g_lso_len; cut++)
        assert_false(lds_security_object_parse(g_lso, cut, &so, &why));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tlv_nested_and_long_lengths),
        cmocka_unit_test(tlv_refused),
        cmocka_unit_test(dg1_td1_specimen),
        cmocka_unit_test(dg1_td3_specimen),
        cmocka_unit_test(dg1_td1_long_number_and_fillers),
        cmocka_unit_test(dg1_every_check_digit_error_caught),
        cmocka_unit_test(dg1_garbage_refused),
        cmocka_unit_test(csca_directory_loaded),
        cmocka_unit_test(pa_verified),
        cmocka_unit_test(pa_tampered_dg1_fails),
        cmocka_unit_test(pa_other_csca_not_verifiable),
        cmocka_unit_test(pa_bad_signature_fails),
        cmocka_unit_test(pa_expired_ds_fails),
        cmocka_unit_test(pa_unknown_hash_not_verifiable),
        cmocka_unit_test(pa_other_failures),
        cmocka_unit_test(pa_truncated_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
