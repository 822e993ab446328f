/* Card reader adapter: cards tapped on and taken off the kiosk's NFC reader become actions
 * (ACT_CARD_PRESENT with the card's kind, ACT_CARD_REMOVED). Backends: "sim", whose cards are
 * tapped by the scripted mode (and tests); the libnfc backend (ID documents, staff badges)
 * comes with the card-reading issue. No card's identifier ever leaves the adapter. */
#ifndef LOKET_CARD_H
#define LOKET_CARD_H

#include "core/session.h"
#include "sys/worker.h"

typedef struct card_reader card_reader;

/* `post` delivers the card actions (from any thread). */
card_reader *card_reader_sim_new(worker_post_fn post, void *ctx);
void card_reader_destroy(card_reader *r);
/* Simulated: a card of this kind is tapped on the reader / taken off. */
void card_reader_sim_present(card_reader *r, card_kind kind);
void card_reader_sim_remove(card_reader *r);

#endif
