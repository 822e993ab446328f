#include "nfc/card.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "nfc/emrtd_chip.h"
#include "nfc/emrtd_read.h"
#include "nfc/emrtd_specimen.h"
#include "nfc/nfc_enrol.h"
#include "nfc/nfc_libnfc.h"
#include "nfc/nfc_roles.h"
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
    /* cards that are no ID document (card_reader_set_cards) */
    char roles_path[1024];
    nfc_library_config library;
    char library_number[NFC_LIBRARY_NUMBER_MAX]; /* the pass on the reader; wiped when it goes */
    char staff_badge[65]; /* the last staff badge tapped (until the next card): its hash */
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

/* The kind of a card that speaks no APDUs (under r->lock): a library pass, whose number is
 * kept until it is taken off, or another card (a staff badge, a card nobody configured). */
static card_kind other_card(card_reader *r, const nfc_card_info *info)
{
    OPENSSL_cleanse(r->library_number, sizeof r->library_number);
    OPENSSL_cleanse(r->staff_badge, sizeof r->staff_badge);
    card_roles *roles = NULL;
    if (r->roles_path[0] && access(r->roles_path, F_OK) == 0) {
        char err[512];
        roles = card_roles_load(r->roles_path, err, sizeof err);
        if (!roles) { /* a badge must never be taken for a library pass */
            log_msg(LOG_WARN, "card", "%s; no card counts as a library pass until it is fixed",
                    err);
            return CARD_OTHER;
        }
    }
    /* a staff badge: its hash (never its UID) is kept for the PIN check */
    if (roles && card_roles_lookup(roles, info->id, info->id_len) == CARD_ROLE_STAFF) {
        card_roles_hash(roles, info->id, info->id_len, r->staff_badge);
        card_roles_free(roles);
        return CARD_STAFF;
    }
    if (r->library.mode == NFC_LIBRARY_OFF) {
        card_roles_free(roles);
        return CARD_OTHER;
    }
    bool pass = nfc_library_recognise(&r->library, info, roles) &&
                nfc_library_number(&r->library, info->id, info->id_len, r->library_number,
                                   sizeof r->library_number);
    card_roles_free(roles);
    return pass ? CARD_LIBRARY_PASS : CARD_OTHER;
}

/* A simulated MIFARE Classic 1K card with this UID, as the reader would see it. */
static card_kind sim_mifare(card_reader *r, const uint8_t *uid, size_t n)
{
    nfc_card_info info;
    memset(&info, 0, sizeof info);
    info.type = NFC_CARD_TYPE_A;
    info.atqa[1] = 0x04;
    info.sak = 0x08;
    memcpy(info.id, uid, n);
    info.id_len = n;
    card_kind kind = other_card(r, &info);
    nfc_card_info_wipe(&info);
    return kind;
}

/* The simulated library pass: a fixed UID (no real card's). */
static card_kind sim_library_pass(card_reader *r)
{
    static const uint8_t uid[4] = {0x1c, 0x78, 0xf2, 0xbf};
    return sim_mifare(r, uid, sizeof uid);
}

/* The simulated staff badge: a MIFARE card with a fixed UID (no real card's); a staff badge
 * only when the roles file lists it (card_sim_staff_badge_enrol). */
static const uint8_t SIM_BADGE_UID[] = NFC_SIM_STAFF_BADGE_UID;

bool card_sim_staff_badge_enrol(const char *roles_path, char hex[65], char *err, size_t errcap)
{
    if (!nfc_roles_file_ensure(roles_path, NULL, err, errcap))
        return false;
    card_roles *roles = card_roles_load(roles_path, err, errcap);
    if (!roles)
        return false;
    card_roles_hash(roles, SIM_BADGE_UID, sizeof SIM_BADGE_UID, hex);
    bool listed = card_roles_lookup(roles, SIM_BADGE_UID, sizeof SIM_BADGE_UID) == CARD_ROLE_STAFF;
    card_roles_free(roles);
    if (listed)
        return true;
    FILE *f = fopen(roles_path, "a");
    bool ok = f && fprintf(f, "# the simulated reader's staff badge (demo and tests)\nstaff %s\n",
                           hex) > 0;
    ok = f && fclose(f) == 0 && ok;
    if (!ok)
        snprintf(err, errcap, "cannot add the simulated badge to %s", roles_path);
    return ok;
}

static card_kind sim_staff_badge(card_reader *r)
{
    return sim_mifare(r, SIM_BADGE_UID, sizeof SIM_BADGE_UID);
}

bool card_reader_staff_badge(card_reader *r, char hex[65])
{
    pthread_mutex_lock(&r->lock);
    bool have = r->staff_badge[0] != '\0';
    memcpy(hex, have ? r->staff_badge : "", have ? 65 : 1);
    pthread_mutex_unlock(&r->lock);
    return have;
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
                OPENSSL_cleanse(r->staff_badge, sizeof r->staff_badge); /* a new card */
                r->present = true;
                /* a chip that speaks APDUs is treated as an ID document; badges do not */
                r->kind = info.iso14443_4 ? CARD_ID_DOCUMENT : other_card(r, &info);
                a = (action){.kind = ACT_CARD_PRESENT, .arg = (int)r->kind};
            } else if (got < 0) {
                log_msg(LOG_WARN, "card", "reader: %s", nfc_reader_error(r->nfc));
            }
            nfc_card_info_wipe(&info);
        } else if (nfc_reader_card_present(r->nfc) == 0) {
            r->present = false;
            OPENSSL_cleanse(r->library_number, sizeof r->library_number);
            /* the staff badge's hash stays: the employee lifts the badge to type the PIN */
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
    OPENSSL_cleanse(r->library_number, sizeof r->library_number);
    pthread_mutex_destroy(&r->lock);
    free(r);
}

bool card_reader_sim_present(card_reader *r, card_kind kind)
{
    if (!r->chip)
        return false;
    pthread_mutex_lock(&r->lock);
    OPENSSL_cleanse(r->library_number, sizeof r->library_number);
    OPENSSL_cleanse(r->staff_badge, sizeof r->staff_badge);
    if (kind == CARD_LIBRARY_PASS)
        kind = sim_library_pass(r);
    else if (kind == CARD_STAFF)
        kind = sim_staff_badge(r);
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
    OPENSSL_cleanse(r->library_number, sizeof r->library_number);
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

/* What the CSCA directory's master lists gave, or why one was refused (the file is named). */
static void csca_note(void *ctx, bool problem, const char *text)
{
    (void)ctx;
    log_msg(problem ? LOG_WARN : LOG_INFO, "card", "CSCA directory: %s", text);
}

card_read_result card_reader_read(card_reader *r, const char *can, int *tries, card_identity *out)
{
    return card_reader_read_request(r, can, 0, tries, out);
}

card_read_result card_reader_read_request(card_reader *r, const char *can, uint32_t request,
                                          int *tries, card_identity *out)
{
    return card_reader_read_password(r, &(card_password){.can = can}, request, tries, out);
}

bool card_reader_sim_set_bac_only(card_reader *r, bool bac_only)
{
    if (!r->chip)
        return false;
    emrtd_chip_spec spec = emrtd_specimen_chip_spec(r->specimen);
    spec.bac_only = bac_only;
    emrtd_chip *chip = emrtd_chip_new(&spec);
    if (!chip)
        return false;
    pthread_mutex_lock(&r->lock);
    emrtd_chip_free(r->chip);
    r->chip = chip;
    emrtd_chip_set_present(r->chip, r->present && r->kind == CARD_ID_DOCUMENT);
    pthread_mutex_unlock(&r->lock);
    return true;
}

card_read_result card_reader_read_password(card_reader *r, const card_password *pw,
                                           uint32_t request, int *tries, card_identity *out)
{
    progress_ctx pc = {r, request};
    memset(out, 0, sizeof *out);
    *tries = -1;
    char err[256];
    lds_csca *csca = r->csca_dir[0]
                         ? lds_csca_load_dir_notes(r->csca_dir, csca_note, NULL, err, sizeof err)
                         : NULL;
    if (r->csca_dir[0] && !csca)
        log_msg(LOG_WARN, "card", "no CSCA certificates: %s", err);
    pthread_mutex_lock(&r->lock);
    card_io *io = !r->present ? NULL
                  : r->chip   ? emrtd_chip_card_io(r->chip)
                              : nfc_reader_card_io(r->nfc);
    emrtd_identity id;
    char why[200] = "";
    bool mrz = pw->document_number && pw->birth && pw->expiry;
    emrtd_read_params p = {.can = mrz ? NULL : pw->can,
                           .document_number = mrz ? pw->document_number : NULL,
                           .birth = mrz ? pw->birth : NULL,
                           .expiry = mrz ? pw->expiry : NULL,
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
    case EMRTD_READ_NEEDS_MRZ:
        res = CARD_READ_NEEDS_MRZ;
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

void card_reader_set_cards(card_reader *r, const char *roles_path, const nfc_library_config *lib)
{
    pthread_mutex_lock(&r->lock);
    snprintf(r->roles_path, sizeof r->roles_path, "%s", roles_path ? roles_path : "");
    if (lib)
        r->library = *lib;
    else
        nfc_library_defaults(&r->library);
    pthread_mutex_unlock(&r->lock);
    log_msg(LOG_INFO, "card", "library passes: %s%s%s", nfc_library_mode_name(r->library.mode),
            r->library.mode == NFC_LIBRARY_UID ? ", numbers as " : "",
            r->library.mode == NFC_LIBRARY_UID ? nfc_library_format_name(r->library.format) : "");
}

bool card_reader_library_number(card_reader *r, char *out, size_t cap)
{
    if (!out || cap == 0)
        return false;
    out[0] = '\0';
    pthread_mutex_lock(&r->lock);
    bool ok = r->present && r->kind == CARD_LIBRARY_PASS && r->library_number[0] &&
              strlen(r->library_number) < cap;
    if (ok)
        snprintf(out, cap, "%s", r->library_number);
    pthread_mutex_unlock(&r->lock);
    return ok;
}
