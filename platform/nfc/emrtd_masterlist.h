/* CSCA master lists (ICAO Doc 9303 part 12, section 9): a country's bundle of the CSCA
 * certificates it trusts, as a CMS SignedData (eContentType id-icao-cscaMasterList,
 * 2.23.136.1.1.2) over
 *
 *   CscaMasterList ::= SEQUENCE { version INTEGER {v0(0)}, certList SET OF Certificate }
 *
 * signed by a Master List Signer whose certificate is in the SignedData and is issued by a CSCA
 * in the list. The Dutch government publishes the Dutch one; a site puts the `.ml` file into
 * the kiosk's CSCA directory (README: "Reading ID cards").
 *
 * What the check gives, and what it does not: the signature and the chain prove that the list
 * arrived as its signer made it (not cut, not changed in transit or on disk) and that its signer
 * was certified by one of the CSCAs in the list itself. That is a check of integrity, not of
 * trust: anyone can make a list that passes, with a CSCA of their own. A master list is a
 * convenience bundle; the kiosk trusts what the site put in the CSCA directory, a `.ml` file as
 * much as a PEM file, so only a trusted person may write there (root, 0755). What the check
 * adds is that a damaged or altered list is refused whole, rather than some of its
 * certificates silently being trusted.
 *
 * Everything is decoded with OpenSSL 3 (the CMS API, and an ASN.1 template for the list). A
 * certificate in the list that OpenSSL cannot decode is skipped (and counted); the rest of the
 * list is still covered by the signature. Logs nothing; thread-safe. */
#ifndef LOKET_EMRTD_MASTERLIST_H
#define LOKET_EMRTD_MASTERLIST_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/x509.h>

/* The largest master list read (the German one, with every country's CSCAs, is about 1 MB). */
#define EMRTD_MASTERLIST_MAX (16u << 20)

typedef struct {
    size_t certs;     /* certificates returned */
    size_t skipped;   /* entries of certList OpenSSL could not decode as a certificate */
    char signer[128]; /* the signer's subject, one line ("C=NL, CN=...") */
} emrtd_masterlist_info;

/* Verifies the master list in der[0..len) (DER, the whole input one ContentInfo) at `now`
 * (0: time(NULL)): SignedData with eContentType id-icao-cscaMasterList, exactly one signer,
 * version 0, the signature valid with the signer's certificate from the SignedData, that
 * certificate valid at `now`, allowed to sign (keyUsage digitalSignature, when it has a
 * keyUsage), not self-signed, and chaining to a self-signed certificate of certList (through
 * other certificates of certList or the SignedData when needed). Returns certList's
 * certificates (the caller frees them with sk_X509_pop_free(..., X509_free)) and fills *info
 * (may be NULL); NULL with a plain reason in why ("the signature does not verify") when the
 * list is refused: then none of its certificates may be used. An empty certList is refused. */
STACK_OF(X509) * emrtd_masterlist_read(const uint8_t *der, size_t len, time_t now,
                                       emrtd_masterlist_info *info, char *why, size_t whycap);

#endif
