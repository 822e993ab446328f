/* Fuzz target: the LDS parsers get the chip's bytes, which come from whoever holds the card.
 * The first byte chooses the parser: 0 BER-TLV, 1 DG1, 2 EF.SOD (passive authentication),
 * 3 the LDSSecurityObject; the rest is the input. Whatever arrives: no crash, no read past the
 * input, strings NUL-terminated within their fields, and without a CSCA never "verified". */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nfc/emrtd_lds.h"

static void check_str(const char *s, size_t cap)
{
    if (!memchr(s, '\0', cap))
        abort();
}

static void fuzz_tlv(const uint8_t *d, size_t n)
{
    (void)lds_tlv_check(d, n, LDS_TLV_MAX_DEPTH);
    const uint8_t *p = d;
    size_t left = n;
    lds_tlv t;
    while (lds_tlv_next(&p, &left, &t)) {
        if (t.value < d || t.value + t.len > d + n || t.size > n)
            abort();
        lds_tlv c;
        (void)lds_tlv_find(t.value, t.len, 0x5F1F, &c);
    }
}

static void fuzz_dg1(const uint8_t *d, size_t n)
{
    lds_dg1 g;
    const char *why = NULL;
    if (lds_dg1_parse(d, n, &g, &why)) {
        check_str(g.document_code, sizeof g.document_code);
        check_str(g.issuing_state, sizeof g.issuing_state);
        check_str(g.document_number, sizeof g.document_number);
        check_str(g.surname, sizeof g.surname);
        check_str(g.given_names, sizeof g.given_names);
        check_str(g.nationality, sizeof g.nationality);
        check_str(g.date_of_birth, sizeof g.date_of_birth);
        check_str(g.date_of_expiry, sizeof g.date_of_expiry);
        check_str(g.optional_data1, sizeof g.optional_data1);
        check_str(g.optional_data2, sizeof g.optional_data2);
        check_str(g.mrz, sizeof g.mrz);
    } else if (!why || !*why) {
        abort(); /* a refusal says why */
    }
    lds_dg1_wipe(&g);
}

static void fuzz_sod(const uint8_t *d, size_t n)
{
    static const uint8_t dg1[] = {0x61, 0x03, 0x5F, 0x1F, 0x00};
    lds_dg dg = {1, dg1, sizeof dg1};
    lds_pa_result r;
    lds_pa_status s = lds_passive_auth(d, n, &dg, 1, NULL, 1700000000, &r);
    if (s == LDS_PA_VERIFIED || s != r.status || !memchr(r.reason, '\0', sizeof r.reason))
        abort();
}

static void fuzz_lso(const uint8_t *d, size_t n)
{
    lds_security_object so;
    const char *why = NULL;
    if (lds_security_object_parse(d, n, &so, &why)) {
        if (so.count == 0 || so.count > LDS_MAX_DATA_GROUPS)
            abort();
        for (size_t i = 0; i < so.count; i++)
            if (so.dg[i].number < 1 || so.dg[i].number > 16 || so.dg[i].len > LDS_MAX_HASH_LEN)
                abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    /* a copy of exactly the input, so that ASan sees any read past it */
    size_t n = size - 1;
    uint8_t *in = malloc(n ? n : 1);
    if (!in)
        return 0;
    memcpy(in, data + 1, n);
    switch (data[0] % 4) {
    case 0:
        fuzz_tlv(in, n);
        break;
    case 1:
        fuzz_dg1(in, n);
        break;
    case 2:
        fuzz_sod(in, n);
        break;
    default:
        fuzz_lso(in, n);
        break;
    }
    free(in);
    return 0;
}

#ifdef LOKET_FUZZ_STANDALONE
#include "standalone.h"
#endif
