/* One contactless card, seen as APDUs: what the eMRTD code (BAC, PACE, secure messaging, reading
 * files) talks to. The libnfc backend implements it over a real reader (PN53x, ACR122); the
 * tests implement it with a simulated chip, directly or through a PN532 emulator behind libnfc.
 * No card data is logged by any implementation. */
#ifndef LOKET_CARD_IO_H
#define LOKET_CARD_IO_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    CARD_IO_OK = 0,
    CARD_IO_GONE = -1,    /* the card left the field (or never answered): "keep it still" */
    CARD_IO_TIMEOUT = -2, /* no answer within the time */
    CARD_IO_BROKEN = -3,  /* an answer that is no APDU response (too short, too long) */
} card_io_status;

typedef struct card_io {
    /* Sends one command APDU (at most 262 bytes: libnfc 1.8's limit) and receives the response
     * data followed by SW1 SW2 (at least 2 bytes, at most cap) within timeout_ms. */
    card_io_status (*transceive)(struct card_io *io, const uint8_t *cmd, size_t cmd_len,
                                 uint8_t *resp, size_t cap, size_t *resp_len, int timeout_ms);
    void *ctx;
} card_io;

#define CARD_IO_MAX_COMMAND 262
#define CARD_IO_MAX_RESPONSE 258 /* 256 data bytes + SW1 SW2 (short Le) */

#endif
