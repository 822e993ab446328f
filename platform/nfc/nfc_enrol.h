/* Enrolling a staff badge or technician card: `loket --card-hash [--config FILE] [--roles FILE]`
 * on the kiosk itself. It waits for a card on the configured reader and prints the line to add
 * to the roles file (nfc_roles.h):
 *
 *   staff 9a3b...   <- SHA-256(salt || UID), hex, with the roles file's salt
 *
 * When the roles file does not exist yet it is made (mode 0600) with a fresh random salt. The
 * UID itself is never printed, logged or kept: it is hashed and wiped. */
#ifndef LOKET_NFC_ENROL_H
#define LOKET_NFC_ENROL_H

#include <stdio.h>

#include "nfc/nfc_libnfc.h"

/* Where a card comes from: waits up to wait_ms for one. 1: a card, *card filled (the caller
 * wipes it); 0: none came; -1: the reader failed (err says how). */
typedef struct {
    int (*wait)(void *ctx, int wait_ms, nfc_card_info *card, char *err, size_t errcap);
    void *ctx;
    const char *name; /* for the message: "pn532_uart:/dev/ttyUSB0" */
} nfc_enrol_source;

#define NFC_ENROL_TIMEOUT_MS 60000

/* Makes roles_path (0600, a new random salt) when it does not exist. True when it exists or was
 * made; false with err otherwise. *made: whether it was made now (may be NULL). */
bool nfc_roles_file_ensure(const char *roles_path, bool *made, char *err, size_t errcap);

/* The enrolment with a card source: ensures the roles file, tells `out` to hold the card on the
 * reader, waits up to timeout_ms, and prints the line "staff <64 hex>" (with a word on what to
 * do with it). 0 when the line was printed; 1 with a sentence on `errs` otherwise: no card in
 * time, the reader failed, a card that gives a new random UID at every tap (an ID card, a
 * phone), a roles file that cannot be made or read. */
int nfc_enrol_card(const nfc_enrol_source *src, const char *roles_path, int timeout_ms, FILE *out,
                   FILE *errs);

/* The simulated reader's staff badge (a MIFARE Classic UID, no real card's): what
 * `loket --card-hash` enrols without a reader, and what the simulated card reader (card.c)
 * taps as its staff badge. */
#define NFC_SIM_STAFF_BADGE_UID                                                                    \
    {                                                                                              \
        0x5a, 0x1f, 0x00, 0x57                                                                     \
    }

/* `loket --card-hash`: the same with the reader at `device` ([nfc] device; "" or NULL: the
 * simulated reader, whose staff badge is tapped at once, after a word that it is simulated). */
int nfc_enrol_main(const char *device, const char *roles_path, FILE *out, FILE *errs);

#endif
