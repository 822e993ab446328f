/* The eMRTD Logical Data Structure (ICAO Doc 9303 part 10) and passive authentication
 * (part 11, PKI in part 12): a bounded BER-TLV reader, DG1 (the MRZ of a TD1 ID card or a TD3
 * passport) and EF.SOD (CMS SignedData over the LDSSecurityObject), verified with OpenSSL 3
 * against the CSCA certificates in a directory.
 *
 * Personal data: DG1's bytes, the parsed MRZ (names, dates, document number, the optional data
 * that holds the Dutch BSN) are the caller's to wipe, with lds_dg1_wipe() and lds_wipe(). This
 * module logs nothing and keeps nothing after a call returns; its reasons never quote the data.
 *
 * Passive authentication result (lds_passive_auth):
 *   LDS_PA_VERIFIED        the SOD's signature verifies with the Document Signer (DS)
 *                          certificate inside it, the DS certificate chains to a CSCA
 *                          certificate in the directory, and every data group given hashes to
 *                          the value in the LDSSecurityObject. DG1 must be among them.
 *   LDS_PA_NOT_VERIFIABLE  nothing is known to be wrong, but the kiosk cannot vouch for the
 *                          data: no CSCA certificate for the DS, no DS certificate in the SOD,
 *                          an algorithm OpenSSL or this module does not support (hash OIDs other
 *                          than SHA-1/224/256/384/512), an unhandled critical extension, DG1 not
 *                          given.
 *   LDS_PA_FAILED          something is wrong: the SOD cannot be read (truncated, malformed,
 *                          not SignedData, wrong eContentType, not exactly one signer), the
 *                          signature does not verify, the DS certificate is not signed by the
 *                          CSCA, a certificate is expired or not yet valid, the SOD was signed
 *                          outside the DS validity, a data group is missing from the SOD or its
 *                          hash does not match.
 *   When several problems are found, FAILED wins over NOT_VERIFIABLE; the reason is the first
 *   problem of the winning kind. Only VERIFIED may prefill; FAILED never does.
 *
 * Time: certificates are checked at `now`, the kiosk's clock at reading (0: time(NULL)), the
 * "shell model" of ICAO 9303-12: a DS certificate is valid for its private key usage period
 * (the months in which it signs) plus the validity period of the documents it signs, and a CSCA
 * certificate for its key usage period plus the validity of its DS certificates. So whenever a
 * document is still valid, its DS and CSCA certificates are valid now; a DS certificate that has
 * expired means the document has expired (or was issued wrongly), and one that is not yet valid
 * means a forged certificate or a wrong clock. Both are LDS_PA_FAILED, also when no CSCA is
 * known for the DS (the DS dates are checked on their own as well as in the chain). When the SOD
 * carries a signingTime attribute, it must lie within the DS validity too (else FAILED). The
 * consequence for the kiosk: an expired passport or ID card does not prefill; the citizen types.
 * There is no CRL check (the Dutch CSCA CRL is not configured); every certificate in the
 * directory is a trust anchor (X509_V_FLAG_PARTIAL_CHAIN), so CSCA link certificates work. */
#ifndef LOKET_EMRTD_LDS_H
#define LOKET_EMRTD_LDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* ---- BER-TLV (ISO/IEC 7816-4, X.690) ---- */

/* How deep lds_tlv_check() goes at most, whatever it is asked. */
#define LDS_TLV_MAX_DEPTH 16

typedef struct {
    uint32_t tag;         /* the tag's bytes, big-endian: 0x61, 0x5F1F, 0x7F6180 */
    bool constructed;     /* bit 6 of the first tag byte */
    const uint8_t *value; /* inside the buffer that was read */
    size_t len;           /* of the value */
    size_t size;          /* header and value: where the next TLV starts */
} lds_tlv;

/* The TLV at the start of buf[0..len). False when it is not one: a tag longer than 3 bytes,
 * an indefinite length (0x80), a length of more than 4 bytes, or a value past the buffer.
 * Bytes after the TLV are not looked at. */
bool lds_tlv_read(const uint8_t *buf, size_t len, lds_tlv *out);
/* The next TLV of a sequence: reads at *pos (with *left bytes left) and moves past it.
 * False at the end (*left == 0) or on a malformed TLV (*left != 0 then). */
bool lds_tlv_next(const uint8_t **pos, size_t *left, lds_tlv *out);
/* The first TLV with this tag among the TLVs that follow each other in buf[0..len) (one
 * level: the children of a constructed value). False when absent, or when a TLV before it is
 * malformed. */
bool lds_tlv_find(const uint8_t *buf, size_t len, uint32_t tag, lds_tlv *out);
/* Whether buf[0..len) is exactly a sequence of well-formed TLVs, the values of constructed ones
 * checked likewise, nested no deeper than max_depth (at most LDS_TLV_MAX_DEPTH) levels. */
bool lds_tlv_check(const uint8_t *buf, size_t len, unsigned max_depth);

/* ---- DG1: the MRZ (ICAO 9303 parts 4, 5 and 10) ---- */

typedef enum { LDS_MRZ_TD1 = 1, LDS_MRZ_TD3 = 3 } lds_mrz_format;

#define LDS_MRZ_TD1_LEN 90 /* 3 lines of 30 */
#define LDS_MRZ_TD3_LEN 88 /* 2 lines of 44 */

/* Every text NUL-terminated, fillers ('<') at the end dropped and inside turned to spaces.
 * The MRZ has only A-Z, 0-9 and '<', so the names are ASCII (and so UTF-8), transliterated as
 * the issuer wrote them ("MUELLER" stays "MUELLER"). */
typedef struct {
    lds_mrz_format format;
    char document_code[3];    /* "I", "ID", "P", "PP", ... */
    char issuing_state[4];    /* "NLD", "D", "UTO" */
    char document_number[24]; /* up to 9 characters, longer on TD1 cards (long-number rule) */
    char surname[40];         /* the primary identifier; "VAN DER BERG" */
    char given_names[40];     /* the secondary identifier; "" when there is none */
    char nationality[4];
    char date_of_birth[7];         /* YYMMDD as in the MRZ; '<' where a part is unknown */
    char sex;                      /* 'F', 'M' or 'X' (unspecified: '<' in the MRZ) */
    char date_of_expiry[7];        /* YYMMDD */
    char optional_data1[16];       /* TD1: line 1 after the number (the Dutch BSN); TD3: the
                                      personal number */
    char optional_data2[12];       /* TD1: line 2; TD3: "" */
    char mrz[LDS_MRZ_TD1_LEN + 1]; /* the MRZ as read, lines joined */
} lds_dg1;

/* DG1 (tag 61 with the MRZ in 5F1F): a TD1 or TD3 MRZ, characters A-Z 0-9 '<' only, every
 * check digit right (document number, date of birth, expiry, TD3 personal number, composite),
 * dates that are dates. On false, *why says what is wrong in plain English (never quoting the
 * data) and *out is wiped. */
bool lds_dg1_parse(const uint8_t *dg1, size_t len, lds_dg1 *out, const char **why);
/* The same for the MRZ characters alone (90 or 88, lines joined). */
bool lds_mrz_parse(const char *mrz, size_t len, lds_dg1 *out, const char **why);
/* The 7-3-1 check digit of s[0..n) ('0'..'9'); '?' when s has a character outside A-Z 0-9 '<'. */
char lds_mrz_check_digit(const char *s, size_t n);
void lds_dg1_wipe(lds_dg1 *d);
/* Wipes any buffer (DG1 bytes as read, copies of fields) so the compiler cannot skip it. */
void lds_wipe(void *p, size_t n);

/* ---- EF.SOD: the LDSSecurityObject (ICAO 9303 part 10, 4.6.2) ---- */

typedef enum {
    LDS_HASH_UNKNOWN,
    LDS_HASH_SHA1,
    LDS_HASH_SHA224,
    LDS_HASH_SHA256,
    LDS_HASH_SHA384,
    LDS_HASH_SHA512
} lds_hash_alg;

#define LDS_MAX_DATA_GROUPS 16
#define LDS_MAX_HASH_LEN 64

typedef struct {
    int version;       /* 0, or 1 with LDSVersionInfo */
    lds_hash_alg hash; /* LDS_HASH_UNKNOWN: an OID this module does not know */
    size_t count;
    struct {
        uint8_t number; /* 1..16 */
        uint8_t len;
        uint8_t value[LDS_MAX_HASH_LEN];
    } dg[LDS_MAX_DATA_GROUPS];
} lds_security_object;

/* The DER of an LDSSecurityObject. An unknown hash OID parses (hash LDS_HASH_UNKNOWN); a hash
 * value whose length does not fit a known algorithm, a data group number outside 1..16 or
 * twice, or anything malformed is refused with *why. */
bool lds_security_object_parse(const uint8_t *der, size_t len, lds_security_object *out,
                               const char **why);

/* ---- passive authentication ---- */

typedef enum { LDS_PA_VERIFIED, LDS_PA_NOT_VERIFIABLE, LDS_PA_FAILED } lds_pa_status;

typedef struct lds_csca lds_csca;

/* Every certificate in the directory's files (PEM, several per file, or DER; other files and
 * names starting with '.' are skipped): the trust anchors. A file named *.ml is a CSCA master
 * list (emrtd_masterlist.h): its certificates are added when the list verifies, and none of
 * them when it does not (the rest of the directory loads all the same). NULL with err when the
 * directory cannot be read; a directory without certificates gives a store that verifies
 * nothing (err then says so). A refused master list is named in err too ("dir/NL.ml: master
 * list refused: ..."), also when a store is returned. */
lds_csca *lds_csca_load_dir(const char *dir, char *err, size_t errcap);
/* The same, telling `note` (may be NULL) about each master list: problem true for a list that
 * is refused or has entries that are no certificates, false for one that was loaded ("dir/NL.ml:
 * master list of 312 CSCA certificates, signed by /C=NL/..."); and (a problem) about a
 * directory without certificates. Never with card data. */
typedef void (*lds_csca_note_fn)(void *ctx, bool problem, const char *text);
lds_csca *lds_csca_load_dir_notes(const char *dir, lds_csca_note_fn note, void *ctx, char *err,
                                  size_t errcap);
size_t lds_csca_count(const lds_csca *c);
void lds_csca_free(lds_csca *c);

/* A data group as read from the chip: the whole EF (tag, length and value). */
typedef struct {
    int number; /* 1..16 */
    const uint8_t *data;
    size_t len;
} lds_dg;

typedef struct {
    lds_pa_status status;
    char reason[160]; /* plain English: "hash of DG1 does not match" */
} lds_pa_result;

/* EF.SOD as read (tag 77 around the CMS ContentInfo), the data groups that were read (DG1
 * among them), the CSCA store (NULL: none known) and the time to check certificates at (0:
 * now). Fills *res and returns its status. Thread-safe; logs nothing. */
lds_pa_status lds_passive_auth(const uint8_t *sod, size_t sod_len, const lds_dg *dgs, size_t ndg,
                               const lds_csca *csca, time_t now, lds_pa_result *res);
const char *lds_pa_status_name(lds_pa_status s);

#endif
