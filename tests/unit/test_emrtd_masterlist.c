/* CSCA master lists (platform/nfc/emrtd_masterlist.c) and the CSCA directory that reads them:
 * lists made here at test time with OpenSSL (a CSCA, a master list signer under it, CMS
 * SignedData with eContentType id-icao-cscaMasterList around a CscaMasterList whose DER this
 * file writes itself). The specimen card verifies with only a master list in the directory; a
 * list that is tampered with, signed by the wrong signer, empty or no list at all is refused
 * whole, and the rest of the directory still loads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
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
#include "nfc/emrtd_masterlist.h"
#include "nfc/emrtd_specimen.h"

#define PKI_FIRST_SERIAL 100
#include "pki_fixture.h"

#define ML_OID "2.23.136.1.1.2"
#define DATA_OID "1.2.840.113549.1.7.1"

typedef struct {
    const char *oid; /* eContentType (NULL: id-icao-cscaMasterList) */
    uint8_t version; /* of the CscaMasterList */
    bool add_issuer; /* the signer's CSCA in the SignedData's certificates too */
    const ident *issuer;
} ml_opts;

static uint8_t g_ml[16384];
static size_t g_ml_len;

/* A master list of certs[0..n) signed by `signer`, into g_ml. */
static void make_ml(X509 *const *certs, int n, const ident *signer, const ml_opts *o)
{
    static uint8_t set[12000], body[12100], inner[12200];
    size_t sl = 0;
    for (int i = 0; i < n; i++) {
        unsigned char *d = NULL;
        int l = i2d_X509(certs[i], &d);
        assert_true(l > 0 && sl + (size_t)l <= sizeof set);
        memcpy(set + sl, d, (size_t)l);
        sl += (size_t)l;
        OPENSSL_free(d);
    }
    uint8_t version = o ? o->version : 0;
    size_t bl = der(body, 0x02, &version, 1);
    bl += der(body + bl, 0x31, set, sl);
    size_t il = der(inner, 0x30, body, bl);

    BIO *in = BIO_new_mem_buf(inner, (int)il);
    CMS_ContentInfo *cms =
        CMS_sign(signer->cert, signer->key, NULL, NULL, CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP);
    assert_non_null(cms);
    ASN1_OBJECT *type = OBJ_txt2obj(o && o->oid ? o->oid : ML_OID, 1);
    assert_int_equal(CMS_set1_eContentType(cms, type), 1);
    ASN1_OBJECT_free(type);
    if (o && o->add_issuer)
        assert_int_equal(CMS_add1_cert(cms, o->issuer->cert), 1);
    assert_int_equal(CMS_final(cms, in, NULL, CMS_BINARY), 1);
    BIO_free(in);
    unsigned char *out = NULL;
    int ol = i2d_CMS_ContentInfo(cms, &out);
    CMS_ContentInfo_free(cms);
    assert_true(ol > 0 && (size_t)ol <= sizeof g_ml);
    memcpy(g_ml, out, (size_t)ol);
    g_ml_len = (size_t)ol;
    OPENSSL_free(out);
}

/* ------------------------------------------------------------------ fixture */

static emrtd_specimen *specimen;
static X509 *specimen_csca;
static ident csca, signer, other_csca, rogue, signer_expired, signer_forged, signer_not_sign;
static char dir[64];

static int setup(void **state)
{
    (void)state;
    char err[256];
    specimen = emrtd_specimen_new(SPECIMEN_GOOD, err, sizeof err);
    if (!specimen)
        return -1;
    strcpy(dir, "/tmp/loket-ml-XXXXXX");
    if (!mkdtemp(dir) || !emrtd_specimen_write_csca(specimen, dir, err, sizeof err))
        return -1;
    char path[128];
    snprintf(path, sizeof path, "%s/specimen-csca.pem", dir);
    FILE *f = fopen(path, "r");
    specimen_csca = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
    if (f)
        fclose(f);
    unlink(path);

    csca = make_ident("CSCA Utopia", false, NULL, true, false, -30, 3650);
    signer = make_ident("Master List Signer Utopia", false, &csca, false, true, -1, 365);
    other_csca = make_ident("CSCA Elsewhere", false, NULL, true, false, -30, 3650);
    rogue = make_ident("Master List Signer Elsewhere", false, &other_csca, false, true, -1, 365);
    signer_expired =
        make_ident("Master List Signer Utopia 2020", false, &csca, false, true, -400, -1);
    const ident forger = {other_csca.key, csca.cert}; /* CSCA Utopia's name, another key */
    signer_forged =
        make_ident("Master List Signer Utopia forged", false, &forger, false, true, -1, 365);
    signer_not_sign = make_ident("Utopia encryption", false, &csca, false, false, -1, 365);
    return specimen_csca ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ident *all[] = {&csca,           &signer,        &other_csca,     &rogue,
                    &signer_expired, &signer_forged, &signer_not_sign};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        free_ident(all[i]);
    X509_free(specimen_csca);
    emrtd_specimen_free(specimen);
    rmdir(dir);
    return 0;
}

/* ------------------------------------------------------------------ the directory */

static char g_notes[2048];
static int g_problems;

static void note(void *ctx, bool problem, const char *text)
{
    (void)ctx;
    size_t used = strlen(g_notes);
    snprintf(g_notes + used, sizeof g_notes - used, "%s%s\n", problem ? "! " : "", text);
    g_problems += problem;
}

static void put_file(const char *name, const void *data, size_t len)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static void put_pem(const char *name, X509 *x)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    PEM_write_X509(f, x);
    fclose(f);
}

static void empty_dir(void)
{
    const char *names[] = {"NL.ml", "tampered.ml", "garbage.ml", "empty.ml", "csca.pem"};
    char path[128];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
}

/* Loads the directory (notes into g_notes) and passive-authenticates the specimen card. */
static lds_pa_status load_and_read(size_t *count, char *err, size_t errcap)
{
    g_notes[0] = '\0';
    g_problems = 0;
    lds_csca *store = lds_csca_load_dir_notes(dir, note, NULL, err, errcap);
    assert_non_null(store);
    *count = lds_csca_count(store);
    size_t dg1_len, sod_len;
    const uint8_t *dg1 = emrtd_specimen_dg1(specimen, &dg1_len);
    const uint8_t *sod = emrtd_specimen_sod(specimen, &sod_len);
    lds_dg dg = {1, dg1, dg1_len};
    lds_pa_result res;
    lds_pa_status s = lds_passive_auth(sod, sod_len, &dg, 1, store, 0, &res);
    lds_csca_free(store);
    return s;
}

/* ------------------------------------------------------------------ tests */

static void specimen_verifies_with_only_the_master_list(void **state)
{
    (void)state;
    char err[512];
    size_t count;
    empty_dir();
    /* without it: not verifiable (so the list is what makes the difference) */
    assert_int_equal(load_and_read(&count, err, sizeof err), LDS_PA_NOT_VERIFIABLE);
    assert_int_equal(count, 0);

    X509 *certs[] = {specimen_csca, csca.cert};
    make_ml(certs, 2, &signer, NULL);
    emrtd_masterlist_info info;
    char why[160];
    STACK_OF(X509) *got = emrtd_masterlist_read(g_ml, g_ml_len, 0, &info, why, sizeof why);
    assert_non_null(got);
    assert_int_equal(sk_X509_num(got), 2);
    assert_int_equal(X509_cmp(sk_X509_value(got, 0), specimen_csca), 0);
    assert_int_equal(info.certs, 2);
    assert_int_equal(info.skipped, 0);
    assert_non_null(strstr(info.signer, "Master List Signer Utopia"));
    sk_X509_pop_free(got, X509_free);

    put_file("NL.ml", g_ml, g_ml_len);
    assert_int_equal(load_and_read(&count, err, sizeof err), LDS_PA_VERIFIED);
    assert_int_equal(count, 2);
    assert_int_equal(g_problems, 0);
    assert_string_equal(err, "");
    assert_non_null(strstr(g_notes, "/NL.ml: master list of 2 CSCA certificates, signed by"));

    /* the signer's CSCA also among the SignedData's certificates: the same */
    ml_opts o = {.add_issuer = true, .issuer = &csca};
    make_ml(certs, 2, &signer, &o);
    put_file("NL.ml", g_ml, g_ml_len);
    assert_int_equal(load_and_read(&count, err, sizeof err), LDS_PA_VERIFIED);
    assert_int_equal(count, 2);
    empty_dir();
}

/* A refused list: nothing from it in the store, the file named in the note and in err. */
static void assert_refused(const char *name, const char *why_part)
{
    char err[512];
    size_t count;
    assert_int_equal(load_and_read(&count, err, sizeof err), LDS_PA_NOT_VERIFIABLE);
    assert_int_equal(count, 0);
    char want[256];
    snprintf(want, sizeof want, "%s/%s: master list refused: ", dir, name);
    assert_non_null(strstr(g_notes, want));
    assert_non_null(strstr(g_notes, why_part));
    assert_non_null(strstr(g_notes, "none of its certificates is used"));
    assert_non_null(strstr(err, want));
}

static void tampered_list_refused(void **state)
{
    (void)state;
    empty_dir();
    X509 *certs[] = {specimen_csca, csca.cert};
    make_ml(certs, 2, &signer, NULL);
    /* the last byte of CSCA Utopia's signature (the list's last certificate): still DER, the
     * specimen CSCA untouched */
    unsigned char *d = NULL;
    int l = i2d_X509(csca.cert, &d);
    uint8_t *at = memmem(g_ml, g_ml_len, d, (size_t)l);
    OPENSSL_free(d);
    assert_non_null(at);
    at[l - 1] ^= 0x01;
    char why[160];
    assert_null(emrtd_masterlist_read(g_ml, g_ml_len, 0, NULL, why, sizeof why));
    assert_non_null(strstr(why, "the signature does not verify"));
    put_file("tampered.ml", g_ml, g_ml_len);
    assert_refused("tampered.ml", "the signature does not verify");

    /* the signature itself changed */
    make_ml(certs, 2, &signer, NULL);
    g_ml[g_ml_len - 3] ^= 0x01; /* inside the signer's signature value, at the end */
    assert_null(emrtd_masterlist_read(g_ml, g_ml_len, 0, NULL, why, sizeof why));
    assert_non_null(strstr(why, "the signature does not verify"));
    empty_dir();
}

static void wrong_signer_refused(void **state)
{
    (void)state;
    empty_dir();
    X509 *certs[] = {specimen_csca, csca.cert};
    struct {
        const ident *by;
        const char *why;
    } cases[] = {
        {&rogue, "its signer is not certified by a CSCA in the list"},
        {&signer_forged, "its signer's certificate is not signed by the CSCA it names"},
        {&signer_expired, "its signer's certificate has expired"},
        {&csca, "it is signed by a CSCA itself"},
        {&signer_not_sign, "its signer's certificate is not for signing"},
    };
    char why[160];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        make_ml(certs, 2, cases[i].by, NULL);
        assert_null(emrtd_masterlist_read(g_ml, g_ml_len, 0, NULL, why, sizeof why));
        if (!strstr(why, cases[i].why))
            fail_msg("case %zu: %s", i, why);
        put_file("NL.ml", g_ml, g_ml_len);
        assert_refused("NL.ml", cases[i].why);
    }
    /* the rogue signer's CSCA in the SignedData (not in the list): still not trusted */
    ml_opts o = {.add_issuer = true, .issuer = &other_csca};
    make_ml(certs, 2, &rogue, &o);
    assert_null(emrtd_masterlist_read(g_ml, g_ml_len, 0, NULL, why, sizeof why));
    assert_non_null(strstr(why, "not certified by a CSCA in the list"));
    empty_dir();
}

static void empty_list_refused(void **state)
{
    (void)state;
    empty_dir();
    make_ml(NULL, 0, &signer, NULL);
    char why[160];
    assert_null(emrtd_masterlist_read(g_ml, g_ml_len, 0, NULL, why, sizeof why));
    assert_non_null(strstr(why, "it holds no certificates"));
    put_file("empty.ml", g_ml, g_ml_len);
    assert_refused("empty.ml", "it holds no certificates");
    /* its signer's CSCA only, the specimen's not in it: loads, and the card is not verifiable */
    X509 *only[] = {csca.cert};
    make_ml(only, 1, &signer, NULL);
    put_file("empty.ml", g_ml, g_ml_len);
    char err[512];
    size_t count;
    assert_int_equal(load_and_read(&count, err, sizeof err), LDS_PA_NOT_VERIFIABLE);
    assert_int_equal(count, 1);
    empty_dir();
}

static void garbage_refused_rest_loads(void **state)
{
    (void)state;
    empty_dir();
    static const char text[] = "This is not a master list.\n";
    put_file("garbage.ml", text, sizeof text - 1);
    assert_refused("garbage.ml", "it is not a CMS structure");
    put_file("garbage.ml", "", 0);
    assert_refused("garbage.ml", "is empty");

    char why[160];
    X509 *certs[] = {specimen_csca, csca.cert};
    /* another content type, another version, cut short, a byte too many */
    ml_opts data = {.oid = DATA_OID};
    make_ml(certs, 2, &signer, &data);
    assert_null(emrtd_masterlist_read(g_ml, g_ml_len, 0, NULL, why, sizeof why));
    assert_non_null(strstr(why, "not a signed CSCA master list"));
    ml_opts v1 = {.version = 1};
    make_ml(certs, 2, &signer, &v1);
    assert_null(emrtd_masterlist_read(g_ml, g_ml_len, 0, NULL, why, sizeof why));
    assert_non_null(strstr(why, "version"));
    make_ml(certs, 2, &signer, NULL);
    STACK_OF(X509) *good = emrtd_masterlist_read(g_ml, g_ml_len, 0, NULL, why, sizeof why);
    assert_non_null(good);
    sk_X509_pop_free(good, X509_free);
    for (size_t cut = 1; cut < g_ml_len; cut += 97) {
        assert_null(emrtd_masterlist_read(g_ml, g_ml_len - cut, 0, NULL, why, sizeof why));
        assert_true(why[0] != '\0');
    }
    g_ml[g_ml_len] = 0x00;
    assert_null(emrtd_masterlist_read(g_ml, g_ml_len + 1, 0, NULL, why, sizeof why));
    assert_null(emrtd_masterlist_read(NULL, 0, 0, NULL, why, sizeof why));

    /* the rest of the directory: garbage, a good list and a PEM CSCA side by side */
    put_file("garbage.ml", text, sizeof text - 1);
    put_file("NL.ml", g_ml, g_ml_len);
    put_pem("csca.pem", other_csca.cert);
    char err[512];
    size_t count;
    assert_int_equal(load_and_read(&count, err, sizeof err), LDS_PA_VERIFIED);
    assert_int_equal(count, 3);
    assert_int_equal(g_problems, 1);
    assert_non_null(strstr(g_notes, "/garbage.ml: master list refused: it is not a CMS"));
    assert_non_null(strstr(err, "/garbage.ml: master list refused"));
    empty_dir();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(specimen_verifies_with_only_the_master_list),
        cmocka_unit_test(tampered_list_refused),
        cmocka_unit_test(wrong_signer_refused),
        cmocka_unit_test(empty_list_refused),
        cmocka_unit_test(garbage_refused_rest_loads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
