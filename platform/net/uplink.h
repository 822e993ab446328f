/* The uplink: delivers the outbox's intakes to the case service (VNG Klantinteracties API)
 * over HTTPS with libcurl, on a thread of its own; the UI never waits on it.
 *
 * - HTTPS only, TLS 1.2 or newer, the CA bundle and this kiosk's client certificate and key
 *   (mTLS), `Authorization: Token ...` from a file only the service user can read, and
 *   optionally the server's public key pinned.
 * - Exactly once: before every attempt the outbox counts it durably; a record with an earlier
 *   attempt (lost answer, kiosk stopped mid-way) is first looked up by its referentienummer
 *   (and its digitaal adres by its referentie), and only what is missing is sent.
 * - A 400/409/413/415/422 will never succeed as it is: the record becomes a dead letter with
 *   the reason (field names and codes, never values). 401/403/404 are a configuration fault:
 *   retried, and said so. Everything else (5xx, timeouts, resets, TLS) is retried with
 *   exponential back-off and jitter.
 * - Honest status for the technician: queued, delivered, failing since when and why. */
#ifndef LOKET_UPLINK_H
#define LOKET_UPLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/outbox.h"

typedef struct {
    char base_url[512];                   /* https://host/klantinteracties/api/v1 */
    char ca_file[1024];                   /* the CA bundle that signed the server's certificate */
    char cert_file[1024], key_file[1024]; /* this kiosk's client certificate and key */
    char token_file[1024];                /* "Token" for the Authorization header */
    char pin[256];                        /* "sha256//BASE64" of the server's public key, or "" */
    int connect_timeout_ms, timeout_ms;
    int backoff_min_s, backoff_max_s;
} uplink_config;

void uplink_config_defaults(uplink_config *c);

typedef enum { DELIVER_OK, DELIVER_RETRY, DELIVER_DEAD } deliver_result;

typedef struct {
    unsigned long delivered, retried, dead;
    int64_t last_delivered_s, failing_since_s; /* 0: never / not failing */
    char last_error[200];                      /* no personal data */
} uplink_status;

typedef struct uplink uplink;

/* Reads the token, checks the files; does not contact the server yet. */
uplink *uplink_new(const uplink_config *cfg, outbox *ob, char *err, size_t errcap);
/* Starts the sender thread. */
bool uplink_start(uplink *u);
/* A new record is in the outbox: send now. */
void uplink_wake(uplink *u);
/* Stops the thread (an attempt under way finishes or times out) and frees. */
void uplink_free(uplink *u);
void uplink_get_status(uplink *u, uplink_status *st);

/* One delivery attempt of one envelope (the sender thread's step; for tests). Envelopes:
 * an intake (maak_klantcontact [+ digitaal_adres]); a hand-off (the same + internetaak,
 * linked to its klantcontact; found again by its referentienummer); a task to close
 * (taak_afsluiten: PATCH of the open internetaak with that referentienummer). `lookup`: the
 * record may have arrived already. `why` gets the reason of a retry or dead letter. */
deliver_result uplink_deliver(uplink *u, const char *envelope, size_t n, bool lookup, char *why,
                              size_t whycap);
/* Reads the case service's answer (any bytes; exposed for the fuzz target): for a POST,
 * whether it was stored and the betrokkene's uuid; for a lookup, whether the record is there
 * (and its betrokkene's uuid). A lookup answer that cannot be read means "try again". */
typedef enum {
    ANSWER_POST,
    ANSWER_LOOKUP_CONTACT,
    ANSWER_LOOKUP_ADDRESS,
    ANSWER_LOOKUP_TASK
} answer_kind;
deliver_result uplink_read_answer(answer_kind kind, long status, const char *bytes, size_t n,
                                  bool *found, char *betrokkene, size_t bcap, char *why,
                                  size_t whycap);
/* Told, on the sender thread, how each attempt ended (record id, kind, result), so that the
 * kiosk can say "someone is coming" once a hand-off has arrived — or that it has not. */
typedef void (*uplink_listener)(void *ctx, int64_t record, const char *kind, deliver_result r);
void uplink_set_listener(uplink *u, uplink_listener fn, void *ctx);

/* The sender thread's loop body, once: takes the next due record, if any, and tries it.
 * Returns false when nothing was due. */
bool uplink_step(uplink *u, int64_t now_s);

#endif
