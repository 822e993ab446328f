#include "nfc/card.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "nfc/emrtd_chip.h"
#include "nfc/emrtd_read.h"
#include "nfc/emrtd_specimen.h"
#include "nfc/nfc_libnfc.h"
#include "sys/log.h"

struct card_reader {
    worker_post_fn post;
    void *ctx;
    pthread_mutex_t lock; /* the reader: the poll thread and a read take turns */
    bool present;
    card_kind kind;
    char csca_dir[1024];
    /* sim */
    emrtd_specimen *specimen;
    emrtd_chip *chip;
    /* libnfc */
    nfc_reader *nfc;
    pthread_t thread;
    bool thread_started, quit;
};

static card_reader *reader_new(worker_post_fn post, void *ctx, const char *csca_dir)
{
    card_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->post = post;
    r->ctx = ctx;
    pthread_mutex_init(&r->lock, NULL);
    snprintf(r->csca_dir, sizeof r->csca_dir, "%s", csca_dir ? csca_dir : "");
    return r;
}

card_reader *card_reader_sim_new(worker_post_fn post, void *ctx, const char *csca_dir, char *err,
                                 size_t errcap)
{
    card_reader *r = reader_new(post, ctx, csca_dir);
    if (!r) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    /* the simulated ID card: the specimen, whose CSCA the kiosk then trusts (a kiosk with only
     * the Dutch CSCA master list in its directory finds it "not verifiable") */
    r->specimen = emrtd_specimen_new(SPECIMEN_GOOD, err, errcap);
    bool ok = r->specimen != NULL;
    if (ok && r->csca_dir[0]) {
        mkdir(r->csca_dir, 0755);
        ok = emrtd_specimen_write_csca(r->specimen, r->csca_dir, err, errcap);
    }
    if (ok) {
        emrtd_chip_spec spec = emrtd_specimen_chip_spec(r->specimen);
        r->chip = emrtd_chip_new(&spec);
        ok = r->chip != NULL;
        if (!ok)
            snprintf(err, errcap, "cannot make the simulated chip");
    }
    if (!ok) {
        card_reader_destroy(r);
        return NULL;
    }
    return r;
}

/* The real reader's thread: looks for a card every quarter second, and while one is there
 * checks twice a second that it still is. */
static void *poll_thread(void *arg)
{
    card_reader *r = arg;
    for (;;) {
        pthread_mutex_lock(&r->lock);
        if (r->quit) {
            pthread_mutex_unlock(&r->lock);
            break;
        }
        action a = {.kind = ACT_TICK};
        if (!r->present) {
            nfc_card_info info;
            int got = nfc_reader_poll(r->nfc, 250, &info);
            if (got == 1) {
                r->present = true;
                /* a chip that speaks APDUs is treated as an ID document; badges do not */
                r->kind = info.iso14443_4 ? CARD_ID_DOCUMENT : CARD_OTHER;
                a = (action){.kind = ACT_CARD_PRESENT, .arg = (int)r->kind};
            } else if (got < 0) {
                log_msg(LOG_WARN, "card", "reader: %s", nfc_reader_error(r->nfc));
            }
            nfc_card_info_wipe(&info);
        } else if (nfc_reader_card_present(r->nfc) == 0) {
            r->present = false;
            nfc_reader_release(r->nfc);
            a = (action){.kind = ACT_CARD_REMOVED};
        }
        pthread_mutex_unlock(&r->lock);
        if (a.kind != ACT_TICK)
            r->post(r->ctx, &a);
        struct timespec ts = {0, 250 * 1000000L};
        nanosleep(&ts, NULL);
    }
    return NULL;
}

card_reader *card_reader_libnfc_new(const char *connstring, worker_post_fn post, void *ctx,
                                    const char *csca_dir, char *err, size_t errcap)
{
    card_reader *r = reader_new(post, ctx, csca_dir);
    if (!r) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    r->nfc = nfc_reader_open(connstring, err, errcap);
    if (!r->nfc || pthread_create(&r->thread, NULL, poll_thread, r) != 0) {
        if (r->nfc)
            snprintf(err, errcap, "cannot start the card reader's thread");
        card_reader_destroy(r);
        return NULL;
    }
    r->thread_started = true;
    return r;
}

void card_reader_destroy(card_reader *r)
{
    if (!r)
        return;
    if (r->thread_started) {
        pthread_mutex_lock(&r->lock);
        r->quit = true;
        pthread_mutex_unlock(&r->lock);
        pthread_join(r->thread, NULL);
    }
    if (r->nfc)
        nfc_reader_close(r->nfc);
    emrtd_chip_free(r->chip);
    emrtd_specimen_free(r->specimen);
    pthread_mutex_destroy(&r->lock);
    free(r);
}

bool card_reader_sim_present(card_reader *r, card_kind kind)
{
    if (!r->chip)
        return false;
    pthread_mutex_lock(&r->lock);
    r->present = true;
    r->kind = kind;
    emrtd_chip_set_present(r->chip, kind == CARD_ID_DOCUMENT);
    pthread_mutex_unlock(&r->lock);
    log_msg(LOG_DEBUG, "card", "simulated card tapped (kind %d)", (int)kind);
    r->post(r->ctx, &(action){.kind = ACT_CARD_PRESENT, .arg = (int)kind});
    return true;
}

bool card_reader_sim_remove(card_reader *r)
{
    if (!r->chip)
        return false;
    pthread_mutex_lock(&r->lock);
    bool was = r->present;
    r->present = false;
    emrtd_chip_set_present(r->chip, false);
    pthread_mutex_unlock(&r->lock);
    if (was) /* a reader reports removal only of a card it saw */
        r->post(r->ctx, &(action){.kind = ACT_CARD_REMOVED});
    return true;
}

/* YYMMDD (a birth date: a year after this year's two digits is last century). */
static civil_date birth_date(const char *yymmdd)
{
    civil_date d = {0, 0, 0};
    if (strlen(yymmdd) != 6)
        return d;
    for (int i = 0; i < 6; i++)
        if (yymmdd[i] < '0' || yymmdd[i] > '9')
            return d;
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    int yy = (yymmdd[0] - '0') * 10 + (yymmdd[1] - '0');
    int century = yy > (tm.tm_year + 1900) % 100 ? 1900 : 2000;
    d.y = century + yy;
    d.m = (yymmdd[2] - '0') * 10 + (yymmdd[3] - '0');
    d.d = (yymmdd[4] - '0') * 10 + (yymmdd[5] - '0');
    return d;
}

typedef struct {
    card_reader *r;
    uint32_t request;
} progress_ctx;

static void post_progress(void *ctx, int step, int steps)
{
    progress_ctx *p = ctx;
    (void)steps;
    p->r->post(
        p->r->ctx,
        &(action){.kind = ACT_CARD_PROGRESS, .arg = (int)p->request, .value = (uint64_t)step});
}

card_read_result card_reader_read(card_reader *r, const char *can, int *tries, card_identity *out)
{
    return card_reader_read_request(r, can, 0, tries, out);
}

card_read_result card_reader_read_request(card_reader *r, const char *can, uint32_t request,
                                          int *tries, card_identity *out)
{
    progress_ctx pc = {r, request};
    memset(out, 0, sizeof *out);
    *tries = -1;
    char err[256];
    lds_csca *csca = r->csca_dir[0] ? lds_csca_load_dir(r->csca_dir, err, sizeof err) : NULL;
    if (r->csca_dir[0] && !csca)
        log_msg(LOG_WARN, "card", "no CSCA certificates: %s", err);
    pthread_mutex_lock(&r->lock);
    card_io *io = !r->present ? NULL
                  : r->chip   ? emrtd_chip_card_io(r->chip)
                              : nfc_reader_card_io(r->nfc);
    emrtd_identity id;
    char why[200] = "";
    emrtd_read_params p = {.can = can,
                           .csca = csca,
                           .now = time(NULL),
                           .progress = request ? post_progress : NULL,
                           .ctx = &pc};
    emrtd_read_status st = io ? emrtd_read(io, &p, &id, tries, why, sizeof why) : EMRTD_READ_GONE;
    pthread_mutex_unlock(&r->lock);
    lds_csca_free(csca);
    card_read_result res;
    switch (st) {
    case EMRTD_READ_OK:
        res = CARD_READ_OK;
        break;
    case EMRTD_READ_GONE:
        res = CARD_READ_GONE;
        break;
    case EMRTD_READ_WRONG_PASSWORD:
        res = CARD_READ_WRONG_CAN;
        break;
    case EMRTD_READ_BLOCKED:
        res = CARD_READ_BLOCKED;
        break;
    default:
        res = CARD_READ_UNREADABLE;
        break;
    }
    /* the technician's log: what happened, never what was read */
    log_msg(res == CARD_READ_OK ? LOG_INFO : LOG_WARN, "card", "ID card read: %s%s%s%s%s",
            emrtd_read_status_name(st), why[0] ? " (" : "", why, why[0] ? ")" : "",
            st == EMRTD_READ_OK ? (id.pa.status == LDS_PA_VERIFIED         ? "; verified"
                                   : id.pa.status == LDS_PA_NOT_VERIFIABLE ? "; not verifiable"
                                                                           : "; check failed")
                                : "");
    if (st == EMRTD_READ_OK) {
        snprintf(out->given, sizeof out->given, "%s", id.dg1.given_names);
        snprintf(out->surname, sizeof out->surname, "%s", id.dg1.surname);
        out->birth = birth_date(id.dg1.date_of_birth);
        out->pa = id.pa.status == LDS_PA_VERIFIED         ? CARD_PA_VERIFIED
                  : id.pa.status == LDS_PA_NOT_VERIFIABLE ? CARD_PA_NOT_VERIFIABLE
                                                          : CARD_PA_FAILED;
        if (id.pa.status != LDS_PA_VERIFIED)
            log_msg(LOG_WARN, "card", "passive authentication: %s", id.pa.reason);
        emrtd_identity_wipe(&id);
    }
    return res;
}
