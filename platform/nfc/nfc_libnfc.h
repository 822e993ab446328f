/* The kiosk's NFC reader through libnfc 1.8 (a PN532 on a serial line, an ACR122, any reader
 * libnfc drives): opened by its connection string from the configuration (`[nfc] device`, e.g.
 * "pn532_uart:/dev/ttyUSB0"; libnfc's own device scan is never used), it looks for ISO14443 A
 * and B cards, talks APDUs to the card found through the card_io interface, and notices when the
 * card has left.
 *
 * A card's UID (type A) or PUPI (type B) is handed to the caller to hash (nfc_roles.h); nothing
 * here logs or keeps it beyond the nfc_card_info the caller owns, and no APDU or answer is
 * logged. A reader is used by one thread at a time.
 *
 * libnfc's nfc_init() calls setenv() (LIBNFC_LOG_LEVEL): open the reader before the kiosk
 * starts other threads. libnfc's log level comes from /etc/nfc/libnfc.conf or LIBNFC_LOG_LEVEL
 * (0 = none, 1 = errors, the default, to stderr). */
#ifndef LOKET_NFC_LIBNFC_H
#define LOKET_NFC_LIBNFC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nfc/card_io.h"

typedef struct nfc_reader nfc_reader;

typedef enum { NFC_CARD_TYPE_A = 1, NFC_CARD_TYPE_B = 2 } nfc_card_type;

/* A card on the reader, as the reader reports it. */
typedef struct nfc_card_info {
    nfc_card_type type;
    bool iso14443_4;      /* speaks APDUs (ISO-DEP): passports, ID cards; a badge may not */
    uint8_t atqa[2];      /* A: ATQA (SENS_RES) as libnfc gives it, byte 0 first */
    uint8_t sak;          /* A: SAK (SEL_RES); bit 0x20 = ISO14443-4 */
    uint8_t ats[254];     /* A with ISO14443-4: the ATS after its length byte */
    size_t ats_len;       /* A */
    uint8_t app_data[4];  /* B: ATQB application data */
    uint8_t prot_info[3]; /* B: ATQB protocol info */
    uint8_t id[10];       /* the UID (A: 4, 7 or 10 bytes) or PUPI (B: 4 bytes): hash it, */
    size_t id_len;        /* never log or keep it */
} nfc_card_info;

/* Timeout of an exchange given with timeout_ms <= 0. */
#define NFC_READER_DEFAULT_TIMEOUT_MS 5000
/* Longest wait nfc_reader_poll accepts (a longer one is cut to this). */
#define NFC_READER_MAX_WAIT_MS 60000

/* Opens and sets up the reader at `connstring` (as libnfc writes it: "pn532_uart:/dev/ttyUSB0",
 * "pn532_uart:/dev/ttyUSB0:115200", "acr122_usb", "pn53x_usb:002:005"). NULL with a sentence
 * in err ("reader not found at pn532_uart:/dev/ttyUSB0: ...") when there is none, it cannot be
 * opened or does not answer as a reader, or connstring is empty. */
nfc_reader *nfc_reader_open(const char *connstring, char *err, size_t errcap);
/* Lets go of the card, switches the field off and puts the reader to sleep (libnfc does this),
 * and closes it. NULL is fine. */
void nfc_reader_close(nfc_reader *r);

/* Looks for one ISO14443 A or B card for about wait_ms (at least one look; every 100 ms; each
 * look is bounded by libnfc's 300 ms for an answer of the reader). 1: a card is there, *card
 * describes it and it is selected (card_io talks to it); 0: none came; -1: the reader failed
 * (nfc_reader_error says how). *card is wiped first in every case. */
int nfc_reader_poll(nfc_reader *r, int wait_ms, nfc_card_info *card);
/* Whether the card found by the last poll is still on the reader: 1 yes, 0 it left (or none
 * was found), -1 the reader failed. Talks to the card (libnfc's presence check: an R(NAK)
 * block for ISO14443-4 cards, a new selection for others). */
int nfc_reader_card_present(nfc_reader *r);
/* Lets go of the selected card (ISO14443-4 DESELECT); the next poll finds it again. */
void nfc_reader_release(nfc_reader *r);

/* APDUs to the selected card: at most CARD_IO_MAX_COMMAND bytes (a longer command is refused
 * as CARD_IO_BROKEN before libnfc sees it); an answer of fewer than 2 bytes (no status word) or
 * more than the caller's cap is CARD_IO_BROKEN; the card gone (no answer from the card, or no
 * card selected) is CARD_IO_GONE; the reader not answering within timeout_ms (<= 0: the
 * default) is CARD_IO_TIMEOUT (libnfc does not tell the reader to stop: its late answer is
 * dropped before the next command, but poll again rather than go on). Valid until
 * nfc_reader_close. */
card_io *nfc_reader_card_io(nfc_reader *r);

/* The last problem in plain words ("" when none): for the log, never with card data. */
const char *nfc_reader_error(const nfc_reader *r);
/* The reader's name as libnfc reports it (e.g. "pn532_uart:/dev/ttyUSB0"). */
const char *nfc_reader_name(nfc_reader *r);

/* Wipes a card description (it holds the card's identifier). */
void nfc_card_info_wipe(nfc_card_info *card);

#endif
