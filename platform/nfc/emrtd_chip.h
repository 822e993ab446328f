/* A simulated ID-card chip: the card side of PACE (and BAC), secure messaging and an LDS1
 * application with DG1 and EF.SOD. The kiosk's simulated card reader reads it through the same
 * eMRTD code as a real card; the tests talk to it directly (card_io) or through a PN532
 * emulator behind libnfc. Its files are whatever the caller gives: a test makes a tampered DG1,
 * a SOD by the wrong signer, an expired certificate. */
#ifndef LOKET_EMRTD_CHIP_H
#define LOKET_EMRTD_CHIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nfc/card_io.h"

typedef struct {
    const uint8_t *dg1; /* EF.DG1 (tag 61) */
    size_t dg1_len;
    const uint8_t *sod; /* EF.SOD (tag 77) */
    size_t sod_len;
    const char *can;                              /* PACE with the CAN (6 digits); NULL: no CAN */
    const char *document_number, *birth, *expiry; /* the MRZ password (PACE and BAC) */
    bool bac_only;  /* an older document: no EF.CardAccess, BAC with the MRZ */
    int param_id;   /* PACE domain parameters (14: brainpoolP320r1, the Dutch cards) */
    size_t key_len; /* PACE AES key length: 16, 24 or 32 */
    int tries;      /* the password retry counter (3 on Dutch cards) */
} emrtd_chip_spec;

typedef struct emrtd_chip emrtd_chip;

/* Copies the files. NULL on a bad spec or no memory. */
emrtd_chip *emrtd_chip_new(const emrtd_chip_spec *spec);
void emrtd_chip_free(emrtd_chip *c);
/* Answers one command APDU (data + SW1 SW2 into resp); the shape of pn532_emu's chip callback
 * (ctx is the chip). Returns the response length. */
size_t emrtd_chip_apdu(void *chip, const uint8_t *apdu, size_t n, uint8_t *resp, size_t cap);
/* The chip as a card_io, with the card in the field until emrtd_chip_set_present(false) or
 * after `exchanges` more APDUs (-1: never leaves). */
card_io *emrtd_chip_card_io(emrtd_chip *c);
void emrtd_chip_set_present(emrtd_chip *c, bool present);
void emrtd_chip_leave_after(emrtd_chip *c, int exchanges);
/* The password retry counter now. */
int emrtd_chip_tries(const emrtd_chip *c);

#endif
