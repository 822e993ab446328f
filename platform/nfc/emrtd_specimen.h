/* A specimen Dutch ID card for the simulated card reader and the tests: a DG1 with the
 * government's specimen person (no real person), an EF.SOD signed by a Document Signer made at
 * run time under a CSCA made at run time, and the CAN printed on the card. Nothing here is a
 * real document or key; a kiosk that trusts only the Dutch CSCA master list finds the specimen
 * "not verifiable", as it should. */
#ifndef LOKET_EMRTD_SPECIMEN_H
#define LOKET_EMRTD_SPECIMEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nfc/emrtd_chip.h"

typedef enum {
    SPECIMEN_GOOD,         /* signed by a DS under the specimen CSCA */
    SPECIMEN_TAMPERED_DG1, /* the chip's DG1 differs from what the SOD signed */
    SPECIMEN_OTHER_SIGNER, /* signed by a DS under another CSCA (not in the directory) */
    SPECIMEN_EXPIRED_DS,   /* the DS certificate ran out before today */
} emrtd_specimen_kind;

#define EMRTD_SPECIMEN_CAN "123456"
#define EMRTD_SPECIMEN_DOCUMENT "SPECI2021"
#define EMRTD_SPECIMEN_BIRTH "650310"
#define EMRTD_SPECIMEN_EXPIRY "310802"

typedef struct emrtd_specimen emrtd_specimen;

emrtd_specimen *emrtd_specimen_new(emrtd_specimen_kind kind, char *err, size_t errcap);
void emrtd_specimen_free(emrtd_specimen *s);
const uint8_t *emrtd_specimen_dg1(const emrtd_specimen *s, size_t *len); /* as on the chip */
const uint8_t *emrtd_specimen_sod(const emrtd_specimen *s, size_t *len);
/* A chip spec for the specimen card as a current Dutch ID card has it: its files, the CAN, the
 * MRZ password, PACE on brainpoolP320r1 with AES-256, 3 tries. The files stay s's. */
emrtd_chip_spec emrtd_specimen_chip_spec(const emrtd_specimen *s);
/* Writes the specimen CSCA certificate (PEM) into dir as specimen-csca.pem, so that a kiosk
 * configured with that directory verifies the specimen card. */
bool emrtd_specimen_write_csca(const emrtd_specimen *s, const char *dir, char *err, size_t errcap);

#endif
