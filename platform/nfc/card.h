/* Card reader adapter: cards tapped on and taken off the kiosk's NFC reader become actions
 * (ACT_CARD_PRESENT with the card's kind, ACT_CARD_REMOVED), and an ID card on the reader can
 * be read with its CAN (card_reader_read, on the worker thread).
 *
 * Backends: "sim", whose cards are tapped by the scripted mode and the tests (its ID card is the
 * specimen card, platform/nfc/emrtd_specimen.h, read through the same eMRTD code as a real one);
 * "libnfc", a real reader (PN53x, ACR122) polled on a thread of its own. No card's identifier
 * and nothing read from a card ever leaves the adapter except the identity handed to the
 * session. */
#ifndef LOKET_CARD_H
#define LOKET_CARD_H

#include "core/session.h"
#include "sys/worker.h"

typedef struct card_reader card_reader;

/* `post` delivers the card actions (from any thread). csca_dir: the trusted CSCA certificates
 * for passive authentication; the simulated reader writes its specimen CSCA there. */
card_reader *card_reader_sim_new(worker_post_fn post, void *ctx, const char *csca_dir, char *err,
                                 size_t errcap);
/* A real reader by its libnfc connection string; NULL with a plain error when it cannot be
 * opened. Open it before other threads start (libnfc sets environment variables). */
card_reader *card_reader_libnfc_new(const char *connstring, worker_post_fn post, void *ctx,
                                    const char *csca_dir, char *err, size_t errcap);
void card_reader_destroy(card_reader *r);
/* Simulated: a card of this kind is tapped on the reader / taken off (false: not simulated). */
bool card_reader_sim_present(card_reader *r, card_kind kind);
bool card_reader_sim_remove(card_reader *r);

/* Reads the ID card on the reader with its CAN (blocks: call it on the worker thread). Returns
 * a card_read_result; *tries: the chip's tries left after a wrong CAN (-1 unknown); *out: the
 * identity when CARD_READ_OK (the caller wipes it). */
card_read_result card_reader_read(card_reader *r, const char *can, int *tries, card_identity *out);
/* The same, posting ACT_CARD_PROGRESS (arg: request, value: step) as the read goes on. */
card_read_result card_reader_read_request(card_reader *r, const char *can, uint32_t request,
                                          int *tries, card_identity *out);

#endif
