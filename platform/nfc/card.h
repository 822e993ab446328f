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
#include "nfc/nfc_library.h"
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

/* A library pass ([nfc] library_pass = uid, nfc/nfc_library.h) is ACT_CARD_PRESENT's
 * CARD_LIBRARY_PASS (core/session.h). The simulated reader taps one with this kind too (seen
 * as CARD_OTHER when library passes are off, as a real reader would). */
/* Cards that are no ID document: the roles file ([nfc] roles; a card on it is a staff badge and
 * never a library pass; "" or NULL: none; read at every tap) and the library pass setting
 * (NULL: off). Any thread; cards tapped before it count as CARD_OTHER. */
void card_reader_set_cards(card_reader *r, const char *roles_path, const nfc_library_config *lib);
/* The last staff badge tapped (the roles file lists it as staff), also when it has been taken
 * off since (an employee lifts it to type the PIN), until another card is tapped: its hash as
 * in that file, 64 hex digits (the UID never leaves the adapter); false when there is none. */
bool card_reader_staff_badge(card_reader *r, char hex[65]);
/* The simulated reader's staff badge in the roles file at roles_path (the file is made when
 * missing, and the badge listed as staff when it is not): its hash, for `loket --staff-pin sim`
 * (the demo and the tests). */
bool card_sim_staff_badge_enrol(const char *roles_path, char hex[65], char *err, size_t errcap);
/* The library pass on the reader now: its number (made from the UID as [nfc] library_number
 * says; the UID itself never leaves the adapter) into out, at least NFC_LIBRARY_NUMBER_MAX
 * bytes; the caller wipes it and never logs it. False ("" in out) when no library pass is on
 * the reader. The adapter wipes its own copy when the card is taken off. */
bool card_reader_library_number(card_reader *r, char *out, size_t cap);

/* Reads the ID card on the reader with its CAN (blocks: call it on the worker thread). Returns
 * a card_read_result; *tries: the chip's tries left after a wrong CAN (-1 unknown); *out: the
 * identity when CARD_READ_OK (the caller wipes it). */
card_read_result card_reader_read(card_reader *r, const char *can, int *tries, card_identity *out);
/* The same, posting ACT_CARD_PROGRESS (arg: request, value: step) as the read goes on. */
card_read_result card_reader_read_request(card_reader *r, const char *can, uint32_t request,
                                          int *tries, card_identity *out);
/* What opens an ID document's chip: its CAN, or the MRZ details of a passport or an older card
 * (document number; date of birth and expiry date as YYMMDD). Personal: the caller wipes it. */
typedef struct {
    const char *can;                              /* 6 digits, or NULL */
    const char *document_number, *birth, *expiry; /* the MRZ details, or NULL */
} card_password;
/* The same with the CAN or the MRZ details; an older document (BAC only) read without the MRZ
 * details answers CARD_READ_NEEDS_MRZ. */
card_read_result card_reader_read_password(card_reader *r, const card_password *pw,
                                           uint32_t request, int *tries, card_identity *out);
/* Simulated: the ID document on the reader is the specimen as an older document that knows
 * only BAC (opened with the MRZ details only), or as a current card (false: the default). */
bool card_reader_sim_set_bac_only(card_reader *r, bool bac_only);

#endif
