/* Reading an ID card or passport (eMRTD) from start to end: EF.CardAccess, PACE with the CAN
 * (or the MRZ details; BAC for documents without PACE), secure messaging, the LDS1 application,
 * DG1 and EF.SOD, then passive authentication against the configured CSCA certificates.
 *
 * Everything read is personal: it stays in the caller's emrtd_identity, which the caller wipes
 * (emrtd_identity_wipe) when the session no longer needs it; the keys, the password and every
 * buffer of the read are wiped here. Nothing is logged. */
#ifndef LOKET_EMRTD_READ_H
#define LOKET_EMRTD_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "nfc/card_io.h"
#include "nfc/emrtd_lds.h"

typedef enum {
    EMRTD_READ_OK,             /* read; see identity.pa for whether it is genuine */
    EMRTD_READ_GONE,           /* the card left the field or stopped answering: keep it still */
    EMRTD_READ_WRONG_PASSWORD, /* the CAN (or MRZ details) do not match: *tries_left */
    EMRTD_READ_BLOCKED,        /* the chip's counter is at zero: the CAN no longer works */
    EMRTD_READ_NEEDS_MRZ,      /* an older document (BAC only): needs the MRZ details */
    EMRTD_READ_UNREADABLE,     /* not an ID document, or one that does not follow ICAO 9303 */
    EMRTD_READ_NOT_GENUINE,    /* the chip failed a cryptographic check (token, MAC) */
} emrtd_read_status;

typedef struct {
    const char *can;                              /* 6 digits, or NULL to use the MRZ details */
    const char *document_number, *birth, *expiry; /* MRZ details (YYMMDD), or NULL */
    const lds_csca *csca;                         /* trusted CSCA certificates (may be NULL) */
    time_t now;                                   /* for the certificate checks */
    /* Progress for the screen: step of steps (connection, PACE, DG1, SOD, checks). */
    void (*progress)(void *ctx, int step, int steps);
    void *ctx;
} emrtd_read_params;

typedef struct {
    lds_dg1 dg1;      /* the MRZ data: names, birth date, document number */
    lds_pa_result pa; /* verified, not verifiable or failed, and why */
} emrtd_identity;

/* Reads the document on io. *tries_left (may be NULL): the chip's remaining password tries after
 * a wrong CAN, -1 when unknown. why: a plain-English reason for the technician's log (never
 * personal data). */
emrtd_read_status emrtd_read(card_io *io, const emrtd_read_params *p, emrtd_identity *out,
                             int *tries_left, char *why, size_t whycap);
const char *emrtd_read_status_name(emrtd_read_status s);
void emrtd_identity_wipe(emrtd_identity *id);

#endif
