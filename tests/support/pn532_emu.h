/* A PN532 on a pseudo-terminal, for tests: libnfc opens it as "pn532_uart:<path>" and talks to
 * it exactly as to a reader on a serial port (frames 00 00 FF LEN LCS D4 cmd ... DCS 00, the
 * ACK 00 00 FF 00 FF 00, answers D5 cmd+1 ..., extended frames for long data). It answers what
 * libnfc sends when it opens, sets up and closes the reader, shows one card (ISO14443 A or B)
 * to InListPassiveTarget and InAutoPoll, and hands every InDataExchange payload (an APDU) to a
 * chip function of the test. The emulator runs on a thread of its own; the chip function is
 * called on that thread.
 *
 * Set PN532_EMU_TRACE=1 in the environment to see every frame on stderr. */
#ifndef LOKET_PN532_EMU_H
#define LOKET_PN532_EMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A chip function's answer when the card does not answer (it left the field): the emulator
 * answers InDataExchange with status 0x01 (timeout) and the card is gone until
 * pn532_emu_set_present(e, true). */
#define PN532_EMU_GONE ((size_t)-1)
/* The largest answer a chip function may give (the PN532's 262 data bytes). */
#define PN532_EMU_MAX_ANSWER 262

/* Answers the command APDU `apdu` (n bytes) with up to `cap` bytes in `resp`: the length, or
 * PN532_EMU_GONE. An answer without SW1 SW2 is allowed (that is what some tests want). */
typedef size_t (*pn532_emu_chip_fn)(void *ctx, const uint8_t *apdu, size_t n, uint8_t *resp,
                                    size_t cap);

typedef struct pn532_emu_card {
    char type;            /* 'A' or 'B' */
    uint8_t uid[10];      /* A: the UID (4, 7 or 10 bytes) */
    size_t uid_len;       /* A */
    uint8_t atqa[2];      /* A: in the order the PN532 sends it */
    uint8_t sak;          /* A: 0x20 = ISO14443-4 (then the ATS is sent) */
    uint8_t ats[32];      /* A: the ATS after its length byte TL */
    size_t ats_len;       /* A */
    uint8_t pupi[4];      /* B */
    uint8_t app_data[4];  /* B */
    uint8_t prot_info[3]; /* B */
} pn532_emu_card;

typedef struct pn532_emu pn532_emu;

/* Starts the emulator with this card on the reader (present) or NULL, and the chip function
 * (NULL: every APDU answered 6D00). NULL with a message on stderr when the pty or the thread
 * cannot be made. */
pn532_emu *pn532_emu_start(const pn532_emu_card *card, pn532_emu_chip_fn chip, void *ctx);
/* The pty's slave path, e.g. "/dev/pts/7"; the connection string is "pn532_uart:" + path. */
const char *pn532_emu_path(const pn532_emu *e);
/* Stops the thread and closes the pty (libnfc must have closed it before). */
void pn532_emu_stop(pn532_emu *e);

/* The card is put on the reader or taken off (then InListPassiveTarget finds nothing, and
 * InDataExchange and InCommunicateThru answer status 0x01, timeout). */
void pn532_emu_set_present(pn532_emu *e, bool present);
bool pn532_emu_present(pn532_emu *e);
/* A mute reader reads frames and answers nothing (not even the ACK). */
void pn532_emu_set_mute(pn532_emu *e, bool mute);
/* How often a command (the byte after D4, e.g. 0x40 InDataExchange) was received. */
unsigned pn532_emu_count(pn532_emu *e, uint8_t cmd);
/* The length of the last InDataExchange payload (the APDU) received, 0 before the first. */
size_t pn532_emu_last_apdu_len(pn532_emu *e);
/* Waits until every frame received so far has been answered (for tests that let libnfc give up
 * on a slow answer), at most timeout_ms. True when idle. */
bool pn532_emu_wait_idle(pn532_emu *e, int timeout_ms);

#endif
