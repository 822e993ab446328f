/* The outbox: intakes (and later hand-off requests) waiting to be delivered to the case
 * service. One SQLite file (WAL, synchronous=FULL: a put is on disk when it returns), every
 * record encrypted with AES-256-GCM (OpenSSL) under a key from a file only the service user can
 * read, so the database file never holds a name or an answer in clear. Delivered records are
 * deleted with secure_delete. Records that will never be accepted move to a dead-letter table,
 * still encrypted, for a technician to inspect and re-send; nothing is dropped silently.
 *
 * Bounded: a put fails with OUTBOX_FULL at the record or size limit (or when the disk is
 * full); records already queued are never touched by that.
 *
 * Thread-safe: one connection behind a mutex (the UI thread puts, the sender takes). */
#ifndef LOKET_OUTBOX_H
#define LOKET_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OUTBOX_KEY_BYTES 32

typedef struct outbox outbox;

typedef struct {
    int max_records;   /* queued + dead letters (default 5000) */
    int64_t max_bytes; /* the database file's size (default 64 MiB) */
} outbox_limits;

typedef enum { OUTBOX_OK, OUTBOX_FULL, OUTBOX_ERROR } outbox_result;

/* Reads a key file: 32 bytes, raw or as 64 hex digits. Refuses a file that is not a regular
 * file or that its group or others can read or write. */
bool outbox_key_load(const char *path, unsigned char key[OUTBOX_KEY_BYTES], char *err,
                     size_t errcap);
/* Creates a new random key file (mode 0600; fails if it exists). For first start and tests. */
bool outbox_key_create(const char *path, char *err, size_t errcap);

outbox *outbox_open(const char *path, const unsigned char key[OUTBOX_KEY_BYTES],
                    const outbox_limits *lim, char *err, size_t errcap);
void outbox_close(outbox *ob);

/* Stores one record durably; `kind` says what it is ("intake"). */
outbox_result outbox_put(outbox *ob, const char *kind, const void *data, size_t n, int64_t *id,
                         char *err, size_t errcap);

typedef struct {
    int64_t id;
    char kind[16];
    int attempts;
    int64_t created_s;
    unsigned char *data; /* decrypted; outbox_record_free wipes it */
    size_t n;
} outbox_record;

/* The oldest queued record due at `now_s` (its next attempt has come). A record that does not
 * decrypt (another key, a damaged file) is moved to the dead letters and skipped. */
bool outbox_next_due(outbox *ob, int64_t now_s, outbox_record *rec);
void outbox_record_free(outbox_record *rec);
/* Counted, durably, before each attempt to deliver: a record whose attempts are not 0 may
 * have arrived already (the answer was lost, or the kiosk stopped mid-way), so the sender
 * looks it up before sending it again. */
bool outbox_begin_attempt(outbox *ob, int64_t id);
/* The case service has it: the record is deleted (overwritten on disk). */
bool outbox_delivered(outbox *ob, int64_t id);
/* Taken back before it was delivered (a hand-off the citizen cancelled while it was still
 * waiting): the record is deleted (overwritten on disk). False when it is not queued any more
 * (delivered, or a dead letter). An attempt already under way finishes as it would. */
bool outbox_withdraw(outbox *ob, int64_t id);
/* Not now: try again at `next_s`; `reason` (no personal data) is kept for the technician. */
bool outbox_retry_later(outbox *ob, int64_t id, int64_t now_s, int64_t next_s, const char *reason);
/* Never accepted as it is: kept, encrypted, with the reason, until a technician acts. */
bool outbox_dead_letter(outbox *ob, int64_t id, int64_t now_s, const char *reason);
/* A technician re-sends a dead letter: it is queued again, due at once. */
bool outbox_resend(outbox *ob, int64_t dead_id);

/* The dead letters, oldest first, for the technician: id, times, attempts and the reason
 * (never the content). */
typedef void (*outbox_dead_fn)(void *ctx, int64_t id, int64_t created_s, int64_t died_s,
                               int attempts, const char *reason);
void outbox_list_dead(outbox *ob, outbox_dead_fn fn, void *ctx);
/* One dead letter, decrypted, for a technician to inspect (wipe with outbox_record_free). */
bool outbox_read_dead(outbox *ob, int64_t dead_id, outbox_record *rec);

typedef struct {
    int queued, dead;
    int64_t oldest_queued_s; /* 0 when none */
    int64_t failing_since_s; /* the first failed attempt of the oldest failing record, or 0 */
    int max_attempts;
    char last_error[200];
} outbox_stats;

bool outbox_get_stats(outbox *ob, outbox_stats *st);

#endif
