/* Fuzz target: the CSCA master list reader (platform/nfc/emrtd_masterlist.c) gets a file from
 * the CSCA directory, made by whoever made it. Whatever arrives: no crash, no read past the
 * input, a refusal always says why, and a list that is accepted has certificates, all of them
 * real X509 objects, and a signer's name within its field.
 *
 * The seeds (tests/fuzz/corpus-masterlist) are master lists made like the unit test's
 * (test_emrtd_masterlist.c), EC P-256 keys, valid 2020-2060: a good one, one with an entry that
 * is no certificate, an empty one, one with the wrong content type, and garbage. They are
 * checked at a fixed time (2027), so the good seed stays good. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nfc/emrtd_masterlist.h"

#define FUZZ_NOW ((time_t)1800000000) /* 2027-01-15 */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* a copy of exactly the input, so that ASan sees any read past it */
    uint8_t *in = malloc(size ? size : 1);
    if (!in)
        return 0;
    memcpy(in, data, size);
    emrtd_masterlist_info info;
    char why[160];
    memset(why, 'x', sizeof why);
    STACK_OF(X509) *certs = emrtd_masterlist_read(in, size, FUZZ_NOW, &info, why, sizeof why);
    if (!memchr(why, '\0', sizeof why) || !memchr(info.signer, '\0', sizeof info.signer))
        abort();
    if (certs) {
        if (why[0] || sk_X509_num(certs) <= 0 || info.certs != (size_t)sk_X509_num(certs))
            abort();
        for (int i = 0; i < sk_X509_num(certs); i++)
            if (!sk_X509_value(certs, i) || !X509_get_subject_name(sk_X509_value(certs, i)))
                abort();
        sk_X509_pop_free(certs, X509_free);
    } else if (!why[0] || info.certs != 0) {
        abort(); /* a refusal says why, and hands out nothing */
    }
    free(in);
    return 0;
}

#ifdef LOKET_FUZZ_STANDALONE
#include "standalone.h"
#endif
