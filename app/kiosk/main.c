/* loket: the kiosk program. Wiring only: configuration, adapters, the event loop. */
#include <SDL.h>
#include <SDL_image.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "content/content.h"
#include "core/handoff.h"
#include "core/i18n.h"
#include "core/refnum.h"
#include "core/session.h"
#include "core/slip.h"
#include "core/speak.h"
#include "handoff/handoff.h"
#include "nfc/card.h"
#include "nfc/nfc_enrol.h"
#include "print/print.h"
#include "script.h"
#include "speech/speech.h"
#include "slip_render.h"
#include "sys/clock.h"
#include "sys/config.h"
#include "sys/log.h"
#include "sys/metrics.h"
#include "sys/refseq.h"
#include "sys/worker.h"
#include "core/hours.h"
#include "nfc/nfc_staff.h"
#include "intake/intake.h"
#include "net/uplink.h"
#include "store/outbox.h"
#include <sys/random.h>
#include "ui.h"

#ifndef LOKET_VERSION
#define LOKET_VERSION "0.1.0"
#endif

typedef struct {
    loket_config cfg;
    content *content;
    session s;
    ui *u;
    worker *w;
    printer *printer;
    slip_renderer *slips;
    outbox *outbox;
    uplink *uplink;
    handoff_backend *handoff;
    card_reader *cards;
    loket_clock clock;
    Uint32 result_event;
    FILE *render_log;
    unsigned long frames;
    bool scripted;
    char shot_dir[1024];
    /* read aloud */
    speech *sp;
    FILE *speech_log;     /* scripted mode only */
    bool speech_on;       /* what the speech adapter was last told */
    uint64_t spoken_key;  /* the screen last read */
    int rate, volume;     /* applied to the adapter */
    bool say_focus;       /* the focus moved: read the focused control */
    char touched[64];     /* a tap on this control left the screen as it was: read it */
    char last_said[8192]; /* for scripts (expect-speech); personal with a headset: wiped */
    unsigned long said;   /* utterances so far */
    char typed[128];      /* "7 digits typed": said before the screen, or alone */
    bool keypad_key;      /* the last key pressed was the numeric keypad's: it steers, and the text
                             it makes (NumLock) is not typed */
    /* an ID card's read: the worker leaves the identity here for the UI thread */
    SDL_mutex *card_lock;
    card_identity card_box;
    uint32_t card_box_request;
    /* the hand-off through the case service: its outbox record, which the uplink's thread
     * reports on, and the session's request it answers */
    SDL_mutex *handoff_lock;
    int64_t handoff_record;
    uint32_t handoff_req;
    hours hours;      /* when an employee can come */
    staff_pins *pins; /* staff badges' PINs (worker thread only) */
} kiosk;

static void say(kiosk *k, lang_id lang, const char *raw);
static void speech_interrupt(kiosk *k);
static void speak_typed(kiosk *k);
static void frame(kiosk *k, bool force);

/* ---- effects: slow ones go to the worker; results come back as SDL user events ---- */

static void post_result(void *ctx, const action *a)
{
    kiosk *k = ctx;
    SDL_Event ev = {0};
    ev.type = k->result_event;
    ev.user.code = (Sint32)a->kind;
    ev.user.data1 = (void *)(intptr_t)a->arg;
    ev.user.data2 = (void *)(intptr_t)((a->ok ? 1 : 0) | (intptr_t)(a->value & 0xff) << 1);
    SDL_PushEvent(&ev); /* thread-safe */
}

static action job_handoff(void *ctx, void *payload)
{
    kiosk *k = ctx;
    handoff_request *req = payload;
    char err[128] = "";
    bool ok = k->handoff->send(k->handoff, req, err, sizeof err);
    return (action){.kind = ACT_HANDOFF_RESULT, .arg = (int)req->request, .ok = ok};
}

typedef struct {
    uint32_t request;
    char pin[SESSION_PIN_MAX + 1];
} pin_job;

/* An employee's PIN for the staff badge on the reader (PBKDF2: ~0.1 s, so on the worker).
 * The result's value carries the tries left (0: locked). */
static action job_staff_pin(void *ctx, void *payload)
{
    kiosk *k = ctx;
    pin_job *j = payload;
    char badge[65];
    int left = 0;
    staff_pin_result r = STAFF_PIN_NO_PIN;
    if (k->cards && k->pins && card_reader_staff_badge(k->cards, badge))
        r = staff_pins_check(k->pins, badge, j->pin, &left);
    explicit_bzero(j->pin, sizeof j->pin);
    explicit_bzero(badge, sizeof badge);
    static const char *const what[] = {"accepted", "wrong", "locked", "no PIN set for this badge"};
    log_msg(r == STAFF_PIN_OK ? LOG_INFO : LOG_WARN, "staff", "badge PIN %s", what[r]);
    return (action){.kind = ACT_STAFF_PIN_RESULT,
                    .arg = (int)j->request,
                    .ok = r == STAFF_PIN_OK,
                    .value = r == STAFF_PIN_WRONG    ? (uint64_t)left
                             : r == STAFF_PIN_NO_PIN ? STAFF_TRIES_NO_PIN
                                                     : 0};
}

typedef struct {
    uint32_t request;
    char can[7];
    /* or the passport's details: document number, birth and expiry (YYMMDD) */
    char mrz_number[SESSION_DOCNR_MAX + 1], mrz_birth[7], mrz_expiry[7];
} card_job;

/* Reads the ID card on the reader (PACE with the CAN, DG1, passive authentication). The
 * identity waits in card_box for the UI thread; the result's value carries the outcome and the
 * chip's tries left (+1; 0: unknown) in the 8 bits a result event has. */
static action job_card_read(void *ctx, void *payload)
{
    kiosk *k = ctx;
    card_job *j = payload;
    card_identity id;
    int tries = -1;
    bool mrz = j->mrz_number[0] && j->mrz_birth[0] && j->mrz_expiry[0];
    card_password pw = {.can = mrz ? NULL : j->can,
                        .document_number = mrz ? j->mrz_number : NULL,
                        .birth = mrz ? j->mrz_birth : NULL,
                        .expiry = mrz ? j->mrz_expiry : NULL};
    card_read_result res = card_reader_read_password(k->cards, &pw, j->request, &tries, &id);
    explicit_bzero(&pw, sizeof pw);
    explicit_bzero(j->can, sizeof j->can);
    explicit_bzero(j->mrz_number, sizeof j->mrz_number);
    explicit_bzero(j->mrz_birth, sizeof j->mrz_birth);
    explicit_bzero(j->mrz_expiry, sizeof j->mrz_expiry);
    SDL_LockMutex(k->card_lock);
    k->card_box = id;
    k->card_box_request = j->request;
    SDL_UnlockMutex(k->card_lock);
    explicit_bzero(&id, sizeof id);
    uint64_t t = tries < 0 ? 0 : tries > 14 ? 15 : (uint64_t)tries + 1;
    return (action){
        .kind = ACT_CARD_RESULT, .arg = (int)j->request, .value = (uint64_t)res | t << 4};
}

typedef struct {
    uint32_t request;
    raster r; /* owned by the job: freed (wiped) when it ends */
} print_job;

static action job_print(void *ctx, void *payload)
{
    kiosk *k = ctx;
    print_job *pj = payload;
    char err[256] = "";
    if (k->cfg.printer_preview[0] &&
        !raster_write_png(&pj->r, k->cfg.printer_preview, err, sizeof err))
        log_msg(LOG_WARN, "print", "no slip preview: %s", err);
    print_outcome o;
    k->printer->print(k->printer, &pj->r, &o);
    metrics_print_outcome(&o);
    char cond[96];
    metrics_printer_condition(cond, sizeof cond);
    if (o.kind == PRINT_OUT_PRINTED)
        log_msg(LOG_INFO, "print", "slip %u printed (%d x %d dots); printer: %s", pj->request,
                pj->r.width, pj->r.height, cond);
    else if (o.kind == PRINT_OUT_UNCONFIRMED)
        log_msg(LOG_WARN, "print", "slip %u sent, not confirmed: %s", pj->request, o.reason);
    else
        log_msg(LOG_ERROR, "print", "slip %u not printed: %s; printer: %s", pj->request, o.reason,
                cond);
    raster_free(&pj->r);
    return (action){.kind = ACT_PRINT_RESULT,
                    .arg = (int)pj->request,
                    .ok = o.kind != PRINT_OUT_FAILED,
                    .value = o.kind == PRINT_OUT_UNCONFIRMED ? 1 : 0};
}

static void apply(kiosk *k, const action *a);

/* The intake, committed to the outbox (durable and encrypted) before the screen says it was
 * sent; the uplink delivers it. A local commit takes well under a millisecond to a few (see
 * bench_outbox), so it is done here rather than round a worker. */
/* Now as RFC 3339 with the offset ("2026-11-28T10:42:00+01:00"). */
static void rfc3339_now(char when[40])
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(when, 40, "%Y-%m-%dT%H:%M:%S%z", &tm);
    /* RFC 3339 wants the offset as +01:00 */
    size_t wl = strlen(when);
    if (wl == 24) {
        memmove(when + 23, when + 22, 3);
        when[22] = ':';
    }
}

static void uuid4(char id[40])
{
    unsigned char rnd[16];
    if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
        memset(rnd, 0, sizeof rnd);
    rnd[6] = (unsigned char)((rnd[6] & 0x0F) | 0x40); /* UUID version 4 */
    rnd[8] = (unsigned char)((rnd[8] & 0x3F) | 0x80);
    snprintf(id, 40, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", rnd[0],
             rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7], rnd[8], rnd[9], rnd[10],
             rnd[11], rnd[12], rnd[13], rnd[14], rnd[15]);
}

static void save_intake(kiosk *k, const effect *e)
{
    char err[256] = "", when[40], id[40];
    rfc3339_now(when);
    uuid4(id);
    intake_input in = {.c = k->content,
                       .j = &e->journey,
                       .consent = e->consent,
                       .contact = (contact_pref)e->contact,
                       .contact_detail = e->contact == SESSION_CONTACT_EMAIL ? e->email
                                         : e->phone[0]                       ? e->phone
                                                                             : NULL,
                       .kiosk_id = k->cfg.kiosk_id,
                       .site_name = k->cfg.site_name,
                       .when = when,
                       .intake_id = id,
                       .given = e->given, /* from a verified ID card, with consent; else "" */
                       .surname = e->surname,
                       .name_typed = e->name_typed, /* or typed by the citizen */
                       .library_number = e->library_number /* laid on the summary; or "" */};
    char *env = k->outbox ? intake_envelope(&in, err, sizeof err) : NULL;
    bool ok = false;
    if (!k->outbox) {
        snprintf(err, sizeof err, "no outbox (see the log at start)");
    } else if (env) {
        int64_t rec;
        outbox_result r = outbox_put(k->outbox, "intake", env, strlen(env), &rec, err, sizeof err);
        ok = r == OUTBOX_OK;
        if (ok) {
            log_msg(LOG_INFO, "intake", "intake %u stored as outbox record %lld", e->request,
                    (long long)rec);
            outbox_stats st;
            if (outbox_get_stats(k->outbox, &st))
                metrics_outbox(st.queued, st.dead);
        }
        explicit_bzero(env, strlen(env));
        free(env);
    }
    if (!ok)
        log_msg(LOG_ERROR, "intake", "intake %u not stored: %s", e->request, err);
    else if (k->uplink)
        uplink_wake(k->uplink);
    apply(k, &(action){.kind = ACT_INTAKE_RESULT, .arg = (int)e->request, .ok = ok});
}

/* The kiosk's clock as minutes since midnight (the scripted clock is fixed). */
static int minute_of_day(const kiosk *k)
{
    if (k->clock.fixed)
        return (int)((k->clock.fixed_minute_of_day + (long)(k->clock.fixed_ms / 60000)) % 1440);
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    return tm.tm_hour * 60 + tm.tm_min;
}

/* Whether an employee can come now (handoff.hours), told to the session before it decides. */
static void refresh_duty(kiosk *k)
{
    civil_date today = clock_today(&k->clock);
    bool open = hours_open(&k->hours, date_weekday(today), minute_of_day(k));
    if (open == k->s.off_duty) {
        effects fx = {0};
        session_apply(&k->s, &(action){.kind = ACT_DUTY, .arg = open ? 1 : 0}, &fx);
    }
}

/* The uplink's thread says how a record's attempt ended: for the hand-off the citizen waits
 * on, the screen hears it ("someone is coming", or "go to the desk"). */
static void on_uplink_result(void *ctx, int64_t record, const char *kind, deliver_result r)
{
    kiosk *k = ctx;
    (void)kind;
    SDL_LockMutex(k->handoff_lock);
    bool mine = record == k->handoff_record && record != 0;
    uint32_t req = k->handoff_req;
    SDL_UnlockMutex(k->handoff_lock);
    if (mine)
        post_result(k,
                    &(action){.kind = ACT_HANDOFF_RESULT, .arg = (int)req, .ok = r == DELIVER_OK});
}

static bool next_number(kiosk *k, char digits[REFNUM_DIGITS + 1], const char *what)
{
    uint32_t seq = 0;
    char err[256] = "";
    if (refseq_next(k->cfg.data_dir, &seq, err, sizeof err) &&
        refnum_make(k->cfg.kiosk_number, seq, digits))
        return true;
    log_msg(LOG_ERROR, "reference", "no number for the %s: %s", what,
            err[0] ? err : "out of range");
    metrics_reference_failed();
    return false;
}

/* Help from an employee (or a call-back): a number of its own, then either the simulated
 * desk, or the outbox (on disk before the screen says anything) for the uplink to deliver as a
 * klantcontact with an internetaak for the site's team. */
static void start_handoff(kiosk *k, const effect *e)
{
    char number[REFNUM_DIGITS + 1] = "";
    bool numbered = next_number(k, number, "hand-off");
    if (strcmp(k->cfg.handoff_backend, "casesvc") != 0) {
        if (numbered)
            apply(k, &(action){.kind = ACT_HANDOFF_STORED,
                               .arg = (int)e->request,
                               .value = strtoull(number, NULL, 10)});
        handoff_request req;
        handoff_request_build(k->content, &e->journey, k->cfg.kiosk_id, e->request, &req);
        if (!worker_submit(k->w, job_handoff, k, &req, sizeof req))
            post_result(k, &(action){.kind = ACT_HANDOFF_RESULT, .arg = (int)e->request});
        explicit_bzero(&req, sizeof req);
        return;
    }
    char err[256] = "", when[40], id[40], asked[24];
    rfc3339_now(when);
    uuid4(id);
    int m = minute_of_day(k);
    snprintf(asked, sizeof asked, "%02d:%02d", m / 60, m % 60);
    handoff_input in = {.c = k->content,
                        .j = &e->journey,
                        .kind = e->callback ? HANDOFF_CALLBACK : HANDOFF_WARM,
                        .number = number,
                        .consent = e->consent,
                        .phone = e->phone,
                        .place = k->cfg.handoff_place,
                        .team = k->cfg.handoff_team,
                        .kiosk_id = k->cfg.kiosk_id,
                        .site_name = k->cfg.site_name,
                        .when = when,
                        .asked_at = asked,
                        .intake_id = id};
    char *env = numbered && k->outbox ? intake_handoff_envelope(&in, err, sizeof err) : NULL;
    int64_t rec = 0;
    bool ok = false;
    if (env) {
        outbox_result r = outbox_put(k->outbox, "handoff", env, strlen(env), &rec, err, sizeof err);
        ok = r == OUTBOX_OK;
        explicit_bzero(env, strlen(env));
        free(env);
    } else if (!err[0]) {
        snprintf(err, sizeof err, "%s",
                 !numbered ? "no number" : "no outbox (see the log at start)");
    }
    if (!ok) {
        log_msg(LOG_ERROR, "handoff", "hand-off %u not stored: %s", e->request, err);
        apply(k, &(action){.kind = ACT_HANDOFF_RESULT, .arg = (int)e->request});
        return;
    }
    log_msg(LOG_INFO, "handoff", "%s %u stored as outbox record %lld",
            e->callback ? "call-back" : "hand-off", e->request, (long long)rec);
    SDL_LockMutex(k->handoff_lock);
    k->handoff_record = rec;
    k->handoff_req = e->request;
    SDL_UnlockMutex(k->handoff_lock);
    apply(k, &(action){.kind = ACT_HANDOFF_STORED,
                       .arg = (int)e->request,
                       .value = strtoull(number, NULL, 10)});
    if (k->uplink)
        uplink_wake(k->uplink);
    else
        apply(k, &(action){.kind = ACT_HANDOFF_RESULT, .arg = (int)e->request});
}

/* The citizen does not need the employee after all: the task is closed at the desk. */
static void cancel_handoff(kiosk *k, const effect *e)
{
    SDL_LockMutex(k->handoff_lock);
    int64_t queued = k->handoff_record;
    k->handoff_record = 0;
    SDL_UnlockMutex(k->handoff_lock);
    /* still waiting in the outbox (the service was not reached): taken back, so that it does
     * not reach the desk later; the task is closed too, in case it arrived in the meantime */
    if (queued && k->outbox && outbox_withdraw(k->outbox, queued))
        log_msg(LOG_INFO, "handoff", "hand-off %u taken back from the outbox", e->request);
    if (strcmp(k->cfg.handoff_backend, "casesvc") != 0 || !k->outbox) {
        log_msg(LOG_INFO, "handoff", "hand-off %u cancelled", e->request);
        return;
    }
    char err[256] = "", when[40], note[120];
    rfc3339_now(when);
    int m = minute_of_day(k);
    static const char *const why[] = {
        [CLOSE_CANCELLED] = "Niet meer nodig: geannuleerd door de inwoner om",
        [CLOSE_PICKED_UP] = "Opgepakt door een medewerker aan de zuil om",
        [CLOSE_UNDELIVERED] = "Niet op tijd doorgekomen; de inwoner is om deze tijd naar de "
                              "balie verwezen:"};
    snprintf(note, sizeof note, "%s %02d:%02d.", why[e->close], m / 60, m % 60);
    char *env = intake_task_close_envelope(e->number, note, when, err, sizeof err);
    int64_t rec = 0;
    if (env &&
        outbox_put(k->outbox, "task-close", env, strlen(env), &rec, err, sizeof err) == OUTBOX_OK) {
        log_msg(LOG_INFO, "handoff", "hand-off %u %s (outbox record %lld)", e->request,
                e->close == CLOSE_PICKED_UP     ? "picked up at the kiosk"
                : e->close == CLOSE_UNDELIVERED ? "withdrawn (the citizen went to the desk)"
                                                : "cancelled",
                (long long)rec);
        if (k->uplink)
            uplink_wake(k->uplink);
    } else {
        log_msg(LOG_ERROR, "handoff", "hand-off %u: the cancellation was not stored: %s",
                e->request, err);
    }
    free(env);
}

/* `loket --staff-pin BADGE|sim`: sets (or resets, which unlocks) a staff badge's PIN. BADGE
 * is the badge's hash from the roles file (`loket --card-hash` printed it); "sim" is the
 * simulated reader's badge, listed in the roles file when it is not yet (demo, tests). The
 * PIN is read from standard input, twice when it is a terminal. */
static int staff_pin_tool(const loket_config *cfg, const char *which)
{
    char badge[65] = "", err[512] = "", pin[32] = "", again[32] = "";
    if (!strcmp(which, "sim")) {
        if (!card_sim_staff_badge_enrol(cfg->nfc_roles, badge, err, sizeof err)) {
            fprintf(stderr, "loket: %s\n", err);
            return 1;
        }
    } else {
        snprintf(badge, sizeof badge, "%s", which);
    }
    bool tty = isatty(STDIN_FILENO);
    if (tty)
        fprintf(stderr, "PIN (4-8 digits): ");
    bool ok = fgets(pin, sizeof pin, stdin) != NULL;
    pin[strcspn(pin, "\r\n")] = '\0';
    if (ok && tty) {
        fprintf(stderr, "Again: ");
        ok = fgets(again, sizeof again, stdin) != NULL;
        again[strcspn(again, "\r\n")] = '\0';
        if (ok && strcmp(pin, again)) {
            fprintf(stderr, "loket: the two PINs differ; nothing changed\n");
            ok = false;
            err[0] = '\0';
        }
    }
    staff_pins *p = ok ? staff_pins_open(cfg->nfc_staff_pins, err, sizeof err) : NULL;
    ok = p && staff_pins_set(p, badge, pin, err, sizeof err);
    explicit_bzero(pin, sizeof pin);
    explicit_bzero(again, sizeof again);
    staff_pins_free(p);
    if (!ok) {
        if (err[0])
            fprintf(stderr, "loket: %s\n", err);
        return 1;
    }
    printf("PIN set for the badge %.8s... in %s (its wrong tries are cleared)\n", badge,
           cfg->nfc_staff_pins);
    return 0;
}

/* The case's reference number: this kiosk's number and the next of its sequence. */
static void make_reference(kiosk *k)
{
    uint32_t seq = 0;
    char err[256] = "", digits[REFNUM_DIGITS + 1];
    bool ok = refseq_next(k->cfg.data_dir, &seq, err, sizeof err) &&
              refnum_make(k->cfg.kiosk_number, seq, digits);
    if (!ok) {
        /* the citizen is still helped (overview, slip without number, hand-off) */
        log_msg(LOG_ERROR, "reference", "no reference number: %s", err[0] ? err : "out of range");
        metrics_reference_failed();
        apply(k, &(action){.kind = ACT_REFERENCE, .ok = false});
        return;
    }
    apply(k, &(action){.kind = ACT_REFERENCE, .ok = true, .value = strtoull(digits, NULL, 10)});
}

static void now_text(kiosk *k, lang_id lang, char *buf, size_t cap)
{
    char date[64];
    int hh, mm;
    if (k->clock.fixed) {
        long minute = k->clock.fixed_minute_of_day + (long)(k->clock.fixed_ms / 60000);
        hh = (int)(minute / 60 % 24);
        mm = (int)(minute % 60);
    } else {
        time_t t = time(NULL);
        struct tm tm;
        localtime_r(&t, &tm);
        hh = tm.tm_hour;
        mm = tm.tm_min;
    }
    i18n_format_date(lang, clock_today(&k->clock), date, sizeof date);
    snprintf(buf, cap, "%s, %02d:%02d", date, hh, mm);
}

/* EN 301 549 5.1.3.16: what the printed slip says, read aloud (in the language read aloud;
 * the slip's Dutch lines for staff are left out). */
static void speak_slip(kiosk *k, const journey *jn)
{
    if (!k->sp || !k->content)
        return;
    slip *sl = calloc(1, sizeof *sl);
    char *text = calloc(1, sizeof k->last_said);
    if (sl && text) {
        journey j = *jn;
        j.lang = session_speech_lang(&k->s);
        char when[96];
        now_text(k, j.lang, when, sizeof when);
        slip_site site = {k->cfg.site_name, when, k->cfg.municipality_name,
                          k->cfg.municipality_phone};
        slip_compose(k->content, &j, &site, sl);
        size_t n = 0, cap = sizeof k->last_said;
        if (sl->reference[0]) {
            char grouped[24];
            refnum_group(sl->reference, grouped, sizeof grouped);
            n += (size_t)snprintf(text + n, cap - n, "%s: %s. ", sl->reference_label, grouped);
        }
        for (int i = 0; i < sl->n && n + 2 < cap; i++) {
            if (sl->lines[i].dutch && j.lang != LANG_NL)
                continue;
            if (sl->lines[i].style == SLIP_RULE || !sl->lines[i].text[0])
                continue;
            const char *t = sl->lines[i].text;
            size_t tl = strlen(t);
            bool stop = tl > 0 && strchr(".!?:;", t[tl - 1]); /* a pause is there already */
            int w = snprintf(text + n, cap - n, stop ? "%s " : "%s. ", t);
            n = w < 0 || (size_t)w >= cap - n ? cap - 1 : n + (size_t)w;
        }
        say(k, j.lang, text);
        explicit_bzero(sl, sizeof *sl);
        explicit_bzero(text, sizeof k->last_said);
        explicit_bzero(&j, sizeof j);
    }
    free(sl);
    free(text);
}

static void run_effects(kiosk *k, effects *fx)
{
    for (int i = 0; i < fx->n; i++) {
        effect *e = &fx->items[i];
        switch (e->kind) {
        case EFFECT_HANDOFF:
            start_handoff(k, e);
            break;
        case EFFECT_HANDOFF_CANCEL:
            cancel_handoff(k, e);
            break;
        case EFFECT_STAFF_PIN: {
            pin_job j = {.request = e->request};
            memcpy(j.pin, e->pin, sizeof j.pin);
            if (!worker_submit(k->w, job_staff_pin, k, &j, sizeof j))
                post_result(k, &(action){.kind = ACT_STAFF_PIN_RESULT, .arg = (int)e->request});
            explicit_bzero(&j, sizeof j);
            break;
        }
        case EFFECT_PRINT: {
            /* composed and drawn here (texts and fonts live on this thread), printed by the
             * worker */
            slip *sl = malloc(sizeof *sl);
            print_job pj = {.request = e->request};
            bool ok = sl && k->printer && k->slips;
            if (ok) {
                char when[96], err[160];
                now_text(k, e->journey.lang, when, sizeof when);
                slip_site site = {k->cfg.site_name, when, k->cfg.municipality_name,
                                  k->cfg.municipality_phone};
                slip_compose(k->content, &e->journey, &site, sl);
                if (sl->lost)
                    log_msg(LOG_WARN, "print", "slip %u: %d text(s) did not fit and were cut",
                            e->request, sl->lost);
                ok = slip_render(k->slips, sl, k->cfg.printer.width_dots, k->cfg.printer.dpi, &pj.r,
                                 k->render_log, err, sizeof err);
                if (!ok)
                    log_msg(LOG_ERROR, "print", "slip %u not drawn: %s", e->request, err);
                explicit_bzero(sl, sizeof *sl);
            }
            free(sl);
            if (ok && !worker_submit(k->w, job_print, k, &pj, sizeof pj)) {
                raster_free(&pj.r);
                ok = false;
            }
            if (!ok)
                post_result(k, &(action){.kind = ACT_PRINT_RESULT, .arg = (int)e->request});
            break;
        }
        case EFFECT_REFERENCE:
            make_reference(k);
            break;
        case EFFECT_INTAKE:
            save_intake(k, e);
            break;
        case EFFECT_CARD_READ: {
            card_job j = {.request = e->request};
            memcpy(j.can, e->can, sizeof j.can);
            memcpy(j.mrz_number, e->mrz_number, sizeof j.mrz_number);
            memcpy(j.mrz_birth, e->mrz_birth, sizeof j.mrz_birth);
            memcpy(j.mrz_expiry, e->mrz_expiry, sizeof j.mrz_expiry);
            if (!k->cards || !worker_submit(k->w, job_card_read, k, &j, sizeof j))
                post_result(k, &(action){.kind = ACT_CARD_RESULT,
                                         .arg = (int)e->request,
                                         .value = CARD_READ_UNREADABLE});
            explicit_bzero(&j, sizeof j);
            break;
        }
        case EFFECT_SPEECH:
            if (e->speech == SPEECH_REPEAT)
                k->spoken_key = 0; /* read at the next frame, from the start */
            else
                speak_slip(k, &e->journey);
            break;
        case EFFECT_SESSION_ENDED:
            if (k->sp)
                speech_stop(k->sp);
            explicit_bzero(k->last_said, sizeof k->last_said);
            k->spoken_key = 0;
            ui_forget(k->u);
            log_msg(LOG_INFO, "session", "session ended (%s); data wiped",
                    e->end_reason == END_TIMEOUT ? "inactivity"
                    : e->end_reason == END_DONE  ? "done"
                                                 : "abandoned");
            break;
        }
    }
    effects_wipe(fx);
}

/* The screens with a letter keyboard: there a physical keyboard types text too. */
static bool letter_screen(screen_id s)
{
    return s == SCREEN_EMAIL || s == SCREEN_CARD_MRZ_NUMBER || s == SCREEN_NAME_GIVEN ||
           s == SCREEN_NAME_SURNAME;
}

/* SDL's text input (SDL_TEXTINPUT: the keyboard's layout, dead keys, AltGr) only while a letter
 * screen is shown; SDL starts it by itself, and where a platform has an on-screen keyboard
 * starting it would show one. */
static void text_input_sync(kiosk *k)
{
    bool want = letter_screen(k->s.screen);
    if (want != (SDL_IsTextInputActive() == SDL_TRUE)) {
        if (want)
            SDL_StartTextInput();
        else
            SDL_StopTextInput();
    }
}

static void apply(kiosk *k, const action *a)
{
    effects fx = {0};
    if (a->kind == ACT_HANDOFF || a->kind == ACT_CALLBACK_START)
        refresh_duty(k);
    session_apply(&k->s, a, &fx);
    run_effects(k, &fx);
    text_input_sync(k);
}

static void tick(kiosk *k)
{
    apply(k, &(action){.kind = ACT_TICK,
                       .now_ms = clock_now_ms(&k->clock),
                       .today = clock_today(&k->clock)});
}

_Static_assert(SESSION_LIBRARY_MAX == NFC_LIBRARY_NUMBER_MAX,
               "the session keeps a library pass's number as the card reader makes it");

static void handle_result_event(kiosk *k, const SDL_Event *ev)
{
    intptr_t d2 = (intptr_t)ev->user.data2;
    action a = {.kind = (action_kind)ev->user.code,
                .arg = (int)(intptr_t)ev->user.data1,
                .ok = (d2 & 1) != 0,
                .value = (uint64_t)(d2 >> 1)};
    if (a.kind == ACT_STAFF_PIN_RESULT)
        a.tries = (int)a.value;
    if (a.kind == ACT_CARD_RESULT) {
        card_identity id;
        SDL_LockMutex(k->card_lock);
        id = k->card_box;
        bool mine = k->card_box_request == (uint32_t)a.arg;
        explicit_bzero(&k->card_box, sizeof k->card_box);
        SDL_UnlockMutex(k->card_lock);
        a.tries = (int)(a.value >> 4) - 1;
        a.value &= 0x0F;
        a.card = mine ? &id : NULL;
        apply(k, &a);
        explicit_bzero(&id, sizeof id);
        return;
    }
    if (a.kind == ACT_CARD_PRESENT && a.arg == CARD_LIBRARY_PASS && k->cards) {
        /* the pass's number, fetched here on the UI thread (the reader's thread posts only the
         * kind); the session keeps it only where it wants it. Never logged. */
        char number[SESSION_LIBRARY_MAX];
        if (card_reader_library_number(k->cards, number, sizeof number))
            a.text = number;
        apply(k, &a);
        explicit_bzero(number, sizeof number);
        return;
    }
    apply(k, &a);
}

/* A control was used (a tap, or Enter on the focus): typed digits are read as typed; a
 * control that leaves the screen as it was is read again with its new state. */
static void act_on_control(kiosk *k, const action *a)
{
    const widget *w = NULL;
    const layout *L = ui_layout(k->u);
    for (int i = 0; i < L->n && !w; i++)
        if (L->w[i].kind == W_BUTTON && L->w[i].act.kind == a->kind && L->w[i].act.arg == a->arg &&
            L->w[i].act.value == a->value && !date_cmp(L->w[i].act.today, a->today))
            w = &L->w[i];
    char id[64];
    snprintf(id, sizeof id, "%s", w ? w->id : "");
    bool focus = ui_focus_id(k->u)[0] != '\0';
    unsigned long said = k->said;
    apply(k, a);
    if (k->said != said)
        return; /* the action was to say something (the slip) */
    if (((k->s.screen == SCREEN_PHONE || k->s.screen == SCREEN_CARD_CAN ||
          k->s.screen == SCREEN_CARD_MRZ_BIRTH || k->s.screen == SCREEN_CARD_MRZ_EXPIRY) &&
         (a->kind == ACT_KEY_DIGIT || a->kind == ACT_KEY_ERASE)) ||
        ((k->s.screen == SCREEN_EMAIL || k->s.screen == SCREEN_CARD_MRZ_NUMBER ||
          k->s.screen == SCREEN_NAME_GIVEN || k->s.screen == SCREEN_NAME_SURNAME) &&
         (a->kind == ACT_KEY_CHAR || a->kind == ACT_KEY_ERASE))) {
        speak_typed(k);
        return;
    }
    if (focus)
        k->say_focus = true;
    else
        snprintf(k->touched, sizeof k->touched, "%s", id);
}

/* A key of the numeric keypad (it steers like an ATM's, README: "Key map"). */
static bool keypad_key(SDL_Keycode key)
{
    return (key >= SDLK_KP_DIVIDE && key <= SDLK_KP_PERIOD) || key == SDLK_KP_EQUALS ||
           key == SDLK_KP_COMMA || key == SDLK_KP_EQUALSAS400 ||
           (key >= SDLK_KP_00 && key <= SDLK_KP_HEXADECIMAL);
}

/* The letter screen's keyboard can be used (no menu, message or warning over it), on the
 * screen as it is now (keys of the same batch may have changed it). */
static bool letter_keys_usable(kiosk *k)
{
    if (!letter_screen(k->s.screen))
        return false;
    frame(k, false);
    return ui_find(k->u, "key:erase") != NULL;
}

/* Text from a physical keyboard (SDL_TEXTINPUT) on a letter screen: typed as the screen's own
 * keys type it, read aloud as they are (only how many characters, without a headset). The
 * keypad's keys steer instead (their text is dropped). */
static void handle_text(kiosk *k, char *text)
{
    if (!k->keypad_key && letter_keys_usable(k)) {
        speech_interrupt(k);
        apply(k, &(action){.kind = ACT_KEY_TYPED, .text = text});
        speak_typed(k);
    }
    explicit_bzero(text, strlen(text)); /* personal: not left in the event */
}

/* Keys: Tab / arrows move the focus over the controls, Enter or Space does what a tap does,
 * Escape (or Backspace) goes one step back. Every key also says "someone is here". On a letter
 * screen the keys that make text type it (handle_text), Backspace erases and Enter without a
 * focus does what the screen's Verder / Klaar does. */
static void handle_key(kiosk *k, SDL_Keycode key)
{
    bool shift = (SDL_GetModState() & KMOD_SHIFT) != 0;
    action a;
    k->keypad_key = keypad_key(key);
    speech_interrupt(k);
    /* read-aloud keys, everywhere (README: "Keys"); * starts and stops read-aloud */
    switch (key) {
    case SDLK_KP_MULTIPLY:
    case SDLK_F1:
        apply(k, &(action){.kind = ACT_SPEECH, .arg = -1});
        return;
    case SDLK_KP_DIVIDE:
    case SDLK_F2:
        apply(k, &(action){.kind = ACT_SPEECH_REPEAT});
        return;
    case SDLK_KP_MINUS:
    case SDLK_F3:
        apply(k, &(action){.kind = ACT_SPEECH_VOLUME, .arg = -1});
        k->spoken_key = 0;
        return;
    case SDLK_F4:
        apply(k, &(action){.kind = ACT_SPEECH_VOLUME, .arg = 1});
        k->spoken_key = 0;
        return;
    case SDLK_F5:
        apply(k, &(action){.kind = ACT_SPEECH_RATE, .arg = -1});
        k->spoken_key = 0;
        return;
    case SDLK_F6:
        apply(k, &(action){.kind = ACT_SPEECH_RATE, .arg = 1});
        k->spoken_key = 0;
        return;
    case SDLK_F9:  /* the simulated reader (README: "Trying it out"): the specimen ID card, */
    case SDLK_F10: /* the simulated staff badge, */
    case SDLK_F11: /* a library pass: laid on the reader, or taken off when one is there */
        if (k->cards && !k->cfg.nfc_device[0]) {
            card_kind want = key == SDLK_F9    ? CARD_ID_DOCUMENT
                             : key == SDLK_F10 ? CARD_STAFF
                                               : CARD_LIBRARY_PASS;
            if (k->s.card != CARD_NONE)
                card_reader_sim_remove(k->cards);
            else
                card_reader_sim_present(k->cards, want);
        }
        return;
    default:
        break;
    }
    if (key == SDLK_KP_PLUS && k->s.screen != SCREEN_PHONE) {
        apply(k, &(action){.kind = ACT_SPEECH_VOLUME, .arg = 1});
        k->spoken_key = 0;
        return;
    }
    /* On the phone-number and CAN screens the digit keys type digits (also the keypad's), "+"
     * a plus, Backspace erases; elsewhere the numeric keypad steers like an ATM's (README). */
    if (k->s.screen == SCREEN_PHONE || k->s.screen == SCREEN_CARD_CAN ||
        k->s.screen == SCREEN_CARD_MRZ_BIRTH || k->s.screen == SCREEN_CARD_MRZ_EXPIRY) {
        int digit = key >= SDLK_0 && key <= SDLK_9            ? (int)(key - SDLK_0)
                    : key >= SDLK_KP_1 && key <= SDLK_KP_9    ? (int)(key - SDLK_KP_1) + 1
                    : key == SDLK_KP_0                        ? 0
                    : key == SDLK_PLUS || key == SDLK_KP_PLUS ? 10
                                                              : -1;
        if (digit >= 0) {
            apply(k, &(action){.kind = ACT_KEY_DIGIT, .arg = digit});
            speak_typed(k);
            return;
        }
        if (key == SDLK_BACKSPACE) {
            apply(k, &(action){.kind = ACT_KEY_ERASE});
            speak_typed(k);
            return;
        }
    }
    /* On a letter screen the main keyboard's keys that make text (letters, digits, signs, the
     * space bar) type it: SDL_TEXTINPUT follows (handle_text). They neither steer nor use the
     * focused control; the numeric keypad still steers. (A menu or message over the keyboard
     * takes Space as everywhere.) */
    if (!(key & SDLK_SCANCODE_MASK) && key >= SDLK_SPACE && key != SDLK_DELETE &&
        letter_keys_usable(k)) {
        apply(k, &(action){.kind = ACT_INPUT});
        return;
    }
    if (key == SDLK_BACKSPACE && letter_keys_usable(k)) {
        apply(k, &(action){.kind = ACT_KEY_ERASE});
        speak_typed(k);
        return;
    }
    if ((key == SDLK_RETURN || key == SDLK_KP_ENTER) && !ui_focus_id(k->u)[0] &&
        letter_keys_usable(k)) {
        /* nothing has the focus: Enter is the screen's Verder / Klaar, when it is shown */
        static const char *const forward[] = {"email-done", "mrz-next", "name-next"};
        for (size_t i = 0; i < sizeof forward / sizeof *forward; i++) {
            const widget *w = ui_find(k->u, forward[i]);
            if (w) {
                a = w->act;
                act_on_control(k, &a);
                return;
            }
        }
    }
    switch (key) {
    case SDLK_KP_8:
    case SDLK_KP_4:
        ui_focus_move(k->u, -1);
        k->say_focus = true;
        break;
    case SDLK_KP_2:
    case SDLK_KP_6:
        ui_focus_move(k->u, 1);
        k->say_focus = true;
        break;
    case SDLK_KP_5:
        if (ui_focus_action(k->u, &a)) {
            act_on_control(k, &a);
            return;
        }
        break;
    case SDLK_KP_PERIOD: /* the keypad's "cancel" */
    case SDLK_ESCAPE:
    case SDLK_AC_BACK:
    case SDLK_BACKSPACE:
        apply(k, &(action){.kind = ACT_BACK});
        return;
    case SDLK_TAB:
    case SDLK_DOWN:
    case SDLK_RIGHT:
    case SDLK_UP:
    case SDLK_LEFT: {
        int dir = key == SDLK_UP || key == SDLK_LEFT || (key == SDLK_TAB && shift) ? -1 : 1;
        ui_focus_move(k->u, dir);
        k->say_focus = true;
        break;
    }
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
    case SDLK_SPACE:
        if (ui_focus_action(k->u, &a)) {
            act_on_control(k, &a);
            return;
        }
        break;
    default:
        break;
    }
    apply(k, &(action){.kind = ACT_INPUT});
}

/* A key pressed, or the text it made: the same for the kiosk's loop and a script's `type`. */
static void handle_input_event(kiosk *k, SDL_Event *ev)
{
    if (ev->type == SDL_KEYDOWN)
        handle_key(k, ev->key.keysym.sym);
    else if (ev->type == SDL_TEXTINPUT)
        handle_text(k, ev->text.text);
}

/* ---- read aloud: what is on screen goes to the synthesiser after every frame ---- */

static void say(kiosk *k, lang_id lang, const char *raw)
{
    static char prepared[sizeof k->last_said];
    speak_prepare(lang, raw, prepared, sizeof prepared);
    speech_say(k->sp, lang_get(lang)->code, prepared);
    memcpy(k->last_said, prepared, sizeof prepared);
    k->said++;
    explicit_bzero(prepared, sizeof prepared);
}

/* Any key or touch stops the voice (EN 301 549 5.1.3.5); what the action changed is read next. */
static void speech_interrupt(kiosk *k)
{
    if (k->sp && k->speech_on)
        speech_stop(k->sp);
}

static void speak_after_frame(kiosk *k, bool drawn)
{
    const session *s = &k->s;
    if (!k->sp)
        return;
    if (s->access.rate != k->rate) {
        k->rate = s->access.rate;
        speech_set_rate(k->sp, k->rate);
    }
    if (s->access.volume != k->volume) {
        k->volume = s->access.volume;
        speech_set_volume(k->sp, k->volume);
    }
    if (!s->access.speech) {
        if (k->speech_on)
            speech_stop(k->sp);
        k->speech_on = false;
        k->say_focus = false;
        k->touched[0] = '\0';
        explicit_bzero(k->typed, sizeof k->typed);
        return;
    }
    /* nothing new on screen and nothing asked: no need to gather the words again (reading in
     * another language lays the screen out again) */
    if (!drawn && k->speech_on && k->spoken_key && !k->say_focus && !k->touched[0] && !k->typed[0])
        return;
    static char raw[sizeof k->last_said];
    Uint64 t0 = SDL_GetPerformanceCounter();
    lang_id lang = session_speech_lang(s);
    uint64_t key = 0;
    size_t n = 0;
    if (k->typed[0]) {
        n = (size_t)snprintf(raw, sizeof raw, "%s ", k->typed);
        if (n >= sizeof raw)
            n = 0;
    } else if (!k->speech_on) {
        /* switched on: how it works, once, then the screen */
        n = (size_t)snprintf(raw, sizeof raw, "%s ",
                             tr(lang, "Voorlezen staat aan. Met Tab of de pijltjes gaat u naar "
                                      "een knop. Met Enter drukt u erop. Met Escape gaat u "
                                      "terug."));
        if (n >= sizeof raw)
            n = 0;
    }
    ui_utterance(k->u, s, lang, session_speech_private(s), raw + n, sizeof raw - n, &key);
    if (key != k->spoken_key || !k->speech_on) {
        say(k, lang, raw);
        k->spoken_key = key;
        /* how long from the new frame to the voice: the words gathered (ui_utterance), made
         * readable (speak_prepare), handed to the synthesiser; its first sound follows within
         * a millisecond (bench_speech). Lengths and times only: the words may be personal. */
        log_msg(LOG_DEBUG, "speech", "screen %s read: %zu bytes, to the synthesiser in %.2f ms",
                screen_name(s->screen), strlen(raw),
                (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 /
                    (double)SDL_GetPerformanceFrequency());
    } else if (k->typed[0]) {
        say(k, lang, k->typed);
    } else if (k->say_focus || k->touched[0]) {
        char one[512];
        /* the keys of the number and address keyboards: which key would tell a listener what
         * is typed, so through the loudspeaker only that it is a key (5.1.3.9) */
        bool keyboard =
            (s->screen == SCREEN_PHONE || s->screen == SCREEN_EMAIL ||
             s->screen == SCREEN_CARD_CAN || s->screen == SCREEN_CARD_MRZ_NUMBER ||
             s->screen == SCREEN_CARD_MRZ_BIRTH || s->screen == SCREEN_CARD_MRZ_EXPIRY ||
             s->screen == SCREEN_NAME_GIVEN || s->screen == SCREEN_NAME_SURNAME) &&
            !session_speech_private(s);
        if (keyboard && (k->say_focus ? !strncmp(ui_focus_id(k->u), "key:", 4)
                                      : !strncmp(k->touched, "key:", 4))) {
            snprintf(one, sizeof one, "%s",
                     tr(lang, "Een toets. Met een koptelefoon hoort u welke."));
        } else if (k->say_focus) {
            ui_focus_utterance(k->u, one, sizeof one);
        } else {
            const widget *w = ui_find(k->u, k->touched);
            snprintf(one, sizeof one, "%s", w ? w->text : "");
            if (w && w->style == BTN_CHOSEN)
                snprintf(one + strlen(one), sizeof one - strlen(one), ". %s", tr(lang, "Gekozen."));
        }
        /* a language's name in its own voice: someone who reads no Dutch hears "Türkçe" said
         * the Turkish way, and finds it */
        const char *id = k->say_focus ? ui_focus_id(k->u) : k->touched;
        const char *code = !strncmp(id, "lang:", 5)            ? id + 5
                           : !strncmp(id, "welcome-lang:", 13) ? id + 13
                                                               : NULL;
        int own = code ? lang_from_code(code) : -1;
        if (one[0])
            say(k, own >= 0 ? (lang_id)own : lang, one);
    }
    k->speech_on = true;
    k->say_focus = false;
    k->touched[0] = '\0';
    explicit_bzero(k->typed, sizeof k->typed);
    explicit_bzero(raw, sizeof raw);
}

/* A key typed on the phone-number or e-mail screen: through a headset what is typed so far,
 * through the loudspeaker only how much (EN 301 549 5.1.3.9: personal data is not read out
 * loud). Said after the frame: alone, or before the screen when typing changed it ("Klopt het
 * nummer?"). */
static void speak_typed(kiosk *k)
{
    const session *s = &k->s;
    if (!k->sp || !s->access.speech)
        return;
    lang_id lang = session_speech_lang(s);
    bool phone = s->screen == SCREEN_PHONE || s->screen == SCREEN_CARD_CAN ||
                 s->screen == SCREEN_CARD_MRZ_BIRTH || s->screen == SCREEN_CARD_MRZ_EXPIRY;
    const char *typed = s->screen == SCREEN_PHONE             ? s->data.phone
                        : s->screen == SCREEN_CARD_CAN        ? s->data.can
                        : s->screen == SCREEN_CARD_MRZ_BIRTH  ? s->data.mrz_birth
                        : s->screen == SCREEN_CARD_MRZ_EXPIRY ? s->data.mrz_expiry
                        : s->screen == SCREEN_CARD_MRZ_NUMBER ? s->data.mrz_number
                        : s->screen == SCREEN_NAME_GIVEN      ? s->data.name_given
                        : s->screen == SCREEN_NAME_SURNAME    ? s->data.name_surname
                                                              : s->data.email;
    if (session_speech_private(s)) {
        if (phone)
            speak_digits(typed, k->typed, sizeof k->typed);
        else
            snprintf(k->typed, sizeof k->typed, "%s", typed[0] ? typed : "-");
    } else if (phone) {
        size_t d = 0;
        for (const char *p = typed; *p; p++)
            d += *p >= '0' && *p <= '9';
        snprintf(k->typed, sizeof k->typed,
                 trn(lang, "%zu cijfer getypt.", "%zu cijfers getypt.", d), d);
    } else {
        size_t d = 0; /* letters, not bytes (a name's é is two) */
        for (const char *p = typed; *p; p++)
            d += ((unsigned char)*p & 0xC0) != 0x80;
        snprintf(k->typed, sizeof k->typed, trn(lang, "%zu teken getypt.", "%zu tekens getypt.", d),
                 d);
    }
    k->touched[0] = '\0';
    k->say_focus = false;
}

static void frame(kiosk *k, bool force)
{
    bool drawn = ui_render(k->u, &k->s, force);
    if (drawn) {
        k->frames++;
        if (k->render_log)
            ui_write_render_log(k->u, k->render_log, k->frames);
    }
    speak_after_frame(k, drawn);
}

/* The control under a touch or a mouse button, in window coordinates. */
static const widget *control_at(kiosk *k, const SDL_Event *ev)
{
    if (ev->type == SDL_FINGERDOWN || ev->type == SDL_FINGERUP) {
        int ww, wh;
        SDL_GetWindowSize(ui_window(k->u), &ww, &wh);
        return ui_hit(k->u, (int)(ev->tfinger.x * ww), (int)(ev->tfinger.y * wh));
    }
    return ui_hit(k->u, ev->button.x, ev->button.y);
}

/* ---- scripted mode host ---- */

static void drain_results(kiosk *k)
{
    worker_wait_idle(k->w);
    SDL_PumpEvents();
    SDL_Event ev;
    while (SDL_PeepEvents(&ev, 1, SDL_GETEVENT, k->result_event, k->result_event) > 0)
        handle_result_event(k, &ev);
}

static void host_dispatch(void *ctx, const action *a)
{
    kiosk *k = ctx;
    if (a->kind == ACT_INPUT) { /* a finger on the glass */
        speech_interrupt(k);
        apply(k, a);
    } else {
        act_on_control(k, a);
    }
    drain_results(k);
}

static void host_key(void *ctx, SDL_Keycode key)
{
    kiosk *k = ctx;
    handle_key(k, key);
    drain_results(k);
}

/* Keys and text the script pushed as SDL events (`type`): through the loop's own handling. */
static void host_events(void *ctx)
{
    kiosk *k = ctx;
    SDL_Event ev;
    while (SDL_PeepEvents(&ev, 1, SDL_GETEVENT, SDL_KEYDOWN, SDL_TEXTINPUT) > 0) {
        handle_input_event(k, &ev);
        drain_results(k);
    }
}

static void host_advance(void *ctx, uint64_t ms)
{
    kiosk *k = ctx;
    /* in steps, so that every timer on the way fires at its time */
    while (ms > 0) {
        uint64_t step = ms < 250 ? ms : 250;
        clock_advance(&k->clock, step);
        ms -= step;
        tick(k);
        drain_results(k);
    }
}

static bool host_card(void *ctx, card_kind kind)
{
    kiosk *k = ctx;
    if (!k->cards)
        return false;
    bool sim = kind == CARD_NONE ? card_reader_sim_remove(k->cards)
                                 : card_reader_sim_present(k->cards, kind);
    drain_results(k);
    return sim;
}

static bool host_card_bac_only(void *ctx, bool bac_only)
{
    kiosk *k = ctx;
    return k->cards && card_reader_sim_set_bac_only(k->cards, bac_only);
}

static bool host_fault(void *ctx, const char *what, bool on)
{
    kiosk *k = ctx;
    if (!strcmp(what, "handoff") && !strcmp(k->cfg.handoff_backend, "sim")) {
        handoff_sim_set_failing(k->handoff, on);
        return true;
    }
    return false;
}

static void host_frame(void *ctx)
{
    frame(ctx, false);
}

static void host_logframe(void *ctx)
{
    kiosk *k = ctx;
    k->frames++;
    if (k->render_log)
        ui_write_render_log(k->u, k->render_log, k->frames);
}

static void host_logshot(void *ctx, const char *name)
{
    kiosk *k = ctx;
    if (k->render_log) {
        fprintf(k->render_log, "screenshot\t%s\n", name);
        fflush(k->render_log);
    }
}

/* A real reader reports cards from its own thread: wait until one is there. */
static bool host_wait_card(void *ctx)
{
    kiosk *k = ctx;
    for (int i = 0; i < 100 && k->s.card != CARD_ID_DOCUMENT; i++) {
        SDL_Delay(50);
        drain_results(k);
    }
    return k->s.card == CARD_ID_DOCUMENT;
}

/* Until the staff PIN's check has answered. */
static bool host_wait_pin(void *ctx)
{
    kiosk *k = ctx;
    for (int i = 0; i < 200 && k->s.data.staff_checking; i++) {
        SDL_Delay(50);
        drain_results(k);
    }
    return !k->s.data.staff_checking;
}

/* Until the hand-off's answer is in: it reached the desk (true), or it did not. */
static bool host_wait_handoff(void *ctx)
{
    kiosk *k = ctx;
    for (int i = 0; i < 400 && k->s.data.handoff == HANDOFF_SENDING; i++) {
        if (k->uplink)
            uplink_wake(k->uplink);
        SDL_Delay(50);
        drain_results(k);
    }
    return k->s.data.handoff == HANDOFF_SENT;
}

static bool host_wait_delivered(void *ctx)
{
    kiosk *k = ctx;
    if (!k->outbox || !k->uplink)
        return false;
    for (int i = 0; i < 400; i++) {
        outbox_stats st;
        outbox_get_stats(k->outbox, &st);
        if (st.queued == 0)
            return true;
        uplink_wake(k->uplink);
        SDL_Delay(50);
    }
    return false;
}

static const char *host_last_speech(void *ctx)
{
    kiosk *k = ctx;
    return k->sp ? k->last_said : NULL;
}

/* Still speaking 100 ms after a stop? (The synthesis thread leaves espeak-ng at its next
 * 50 ms buffer; no sound of the old utterance is queued after speech_stop returns.) */
static bool host_speaking(void *ctx)
{
    kiosk *k = ctx;
    for (int i = 0; i < 10 && k->sp && speech_speaking(k->sp); i++)
        SDL_Delay(10);
    return k->sp && speech_speaking(k->sp);
}

static const session *host_state(void *ctx)
{
    return &((kiosk *)ctx)->s;
}

/* ---- the technician's outbox tool ---- */

static void print_dead(void *ctx, int64_t id, int64_t created_s, int64_t died_s, int attempts,
                       const char *reason)
{
    (void)ctx;
    char c[32], d[32];
    struct tm tm;
    time_t t = (time_t)created_s;
    localtime_r(&t, &tm);
    strftime(c, sizeof c, "%Y-%m-%d %H:%M", &tm);
    t = (time_t)died_s;
    localtime_r(&t, &tm);
    strftime(d, sizeof d, "%Y-%m-%d %H:%M", &tm);
    printf("  dead letter %lld: made %s, refused %s after %d attempt(s): %s\n", (long long)id, c, d,
           attempts, reason ? reason : "");
}

/* loket --outbox: the status; --outbox-show ID: a dead letter's content (personal data: on the
 * technician's terminal only); --outbox-resend ID: queue a dead letter again. */
static int outbox_tool(const loket_config *cfg, char cmd, long long id)
{
    char err[512];
    unsigned char key[OUTBOX_KEY_BYTES];
    if (!outbox_key_load(cfg->outbox_key, key, err, sizeof err)) {
        fprintf(stderr, "loket: %s\n", err);
        return 1;
    }
    outbox *ob = outbox_open(cfg->outbox_path, key, &cfg->outbox, err, sizeof err);
    explicit_bzero(key, sizeof key);
    if (!ob) {
        fprintf(stderr, "loket: %s\n", err);
        return 1;
    }
    int rc = 0;
    if (cmd == 'l') {
        outbox_stats st;
        outbox_get_stats(ob, &st);
        printf("outbox %s: %d queued, %d dead letter(s)\n", cfg->outbox_path, st.queued, st.dead);
        if (st.failing_since_s) {
            char since[32];
            struct tm tm;
            time_t t = (time_t)st.failing_since_s;
            localtime_r(&t, &tm);
            strftime(since, sizeof since, "%Y-%m-%d %H:%M", &tm);
            printf("  failing since %s, %d attempt(s): %s\n", since, st.max_attempts,
                   st.last_error);
        }
        printf("  case service: %s\n",
               cfg->uplink.base_url[0] ? cfg->uplink.base_url : "not configured (uplink.url)");
        outbox_list_dead(ob, print_dead, NULL);
    } else if (cmd == 's') {
        outbox_record r;
        if (outbox_read_dead(ob, id, &r)) {
            fwrite(r.data, 1, r.n, stdout);
            putchar('\n');
            outbox_record_free(&r);
        } else {
            fprintf(stderr, "loket: no dead letter %lld (see loket --outbox)\n", id);
            rc = 1;
        }
    } else if (outbox_resend(ob, id)) {
        printf("dead letter %lld is queued again; the kiosk sends it at once\n", id);
    } else {
        fprintf(stderr, "loket: no dead letter %lld (see loket --outbox)\n", id);
        rc = 1;
    }
    outbox_close(ob);
    return rc;
}

/* The configured printer backend; NULL for "none". */
static printer *printer_from_config(const loket_config *cfg)
{
    const char *b = cfg->printer_backend;
    if (!strcmp(b, "usb"))
        return printer_usb_new(cfg->printer_device, &cfg->printer);
    if (!strcmp(b, "tcp"))
        return printer_tcp_new(cfg->printer_device, &cfg->printer);
    if (!strcmp(b, "file"))
        return printer_file_new(cfg->printer_path, &cfg->printer);
    if (!strcmp(b, "png"))
        return printer_png_new(cfg->printer_path, &cfg->printer);
    return NULL;
}

/* loket --printer-status: asks the configured printer how it is, without printing. Exit 0 when
 * it can print (or cannot tell), 1 when it cannot. */
static int printer_tool(const loket_config *cfg)
{
    const char *b = cfg->printer_backend;
    printer *p = printer_from_config(cfg);
    if (!p) {
        printf("printer: none configured (printer.backend = %s)\n", b);
        return 1;
    }
    printer_status st;
    char why[256];
    print_outcome o = {0};
    bool reached = printer_check(p, &st, why, sizeof why);
    p->destroy(p);
    if (!reached) {
        printf("printer %s: cannot be reached: %s\n", b, why);
        return 1;
    }
    if (!st.known) {
        printf("printer %s: status unknown: %s\n", b, why);
        return 0;
    }
    if (printer_status_blocks(&st, &o)) {
        printf("printer %s: cannot print: %s\n", b, o.reason);
        return 1;
    }
    printf("printer %s: ready%s\n", b, st.paper_near_end ? ", but the paper is nearly out" : "");
    return 0;
}

/* ---- start-up ---- */

/* The outbox and the uplink. Without them the citizen is still helped (overview, slip,
 * hand-off); the log says what is wrong, for the technician. */
static void open_outbox(kiosk *k)
{
    char err[512], def[CONFIG_PATH_MAX + 16];
    unsigned char key[OUTBOX_KEY_BYTES];
    snprintf(def, sizeof def, "%s/outbox.key", k->cfg.data_dir);
    /* first start with the embedded defaults: this kiosk makes its own key */
    if (!strcmp(k->cfg.outbox_key, def) && access(def, F_OK) != 0 &&
        !outbox_key_create(def, err, sizeof err)) {
        log_msg(LOG_ERROR, "outbox", "%s", err);
        return;
    }
    if (!outbox_key_load(k->cfg.outbox_key, key, err, sizeof err)) {
        log_msg(LOG_ERROR, "outbox", "%s; intakes cannot be kept", err);
        return;
    }
    k->outbox = outbox_open(k->cfg.outbox_path, key, &k->cfg.outbox, err, sizeof err);
    explicit_bzero(key, sizeof key);
    if (!k->outbox) {
        log_msg(LOG_ERROR, "outbox", "%s; intakes cannot be kept", err);
        return;
    }
    outbox_stats st;
    outbox_get_stats(k->outbox, &st);
    metrics_outbox(st.queued, st.dead);
    if (!k->cfg.uplink.base_url[0]) {
        log_msg(LOG_INFO, "outbox",
                "%d queued, %d dead letter(s); no case service configured "
                "(uplink.url): intakes wait in the outbox",
                st.queued, st.dead);
        return;
    }
    k->uplink = uplink_new(&k->cfg.uplink, k->outbox, err, sizeof err);
    if (k->uplink)
        uplink_set_listener(k->uplink, on_uplink_result, k);
    if (!k->uplink || !uplink_start(k->uplink)) {
        log_msg(LOG_ERROR, "uplink", "%s; intakes wait in the outbox",
                k->uplink ? "cannot start the sender thread" : err);
        uplink_free(k->uplink);
        k->uplink = NULL;
        return;
    }
    log_msg(LOG_INFO, "outbox", "%d queued, %d dead letter(s); sending to %s", st.queued, st.dead,
            k->cfg.uplink.base_url);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: loket [options]\n"
               "  --windowed              a window instead of fullscreen\n"
               "  --landscape             1920x1080 instead of 1080x1920\n"
               "  --size WxH              window size in pixels\n"
               "  --config FILE           read settings from an INI file (see README)\n"
               "  --set SECTION.KEY=VALUE override one setting\n"
               "  --data-dir DIR          where local files go (default ./loket-data)\n"
               "  --check-content DIR     check life-event content and exit\n"
               "  --missing LANG          with --check-content: list every untranslated text\n"
               "  --script FILE           replay a script (scripted mode, fixed clock)\n"
               "  --screenshot-dir DIR    where the script's screenshots go\n"
               "  --render-log FILE       write what is on screen, frame by frame\n"
               "  --speech-log FILE       scripted mode: write what is read aloud (tests only)\n"
               "  --date YYYY-MM-DD       the fixed date in scripted mode (default 2026-11-28)\n"
               "  --exit-after-first-frame  start, draw, report the time and exit (benchmark)\n"
               "  --outbox                the outbox: queued, failing since, dead letters\n"
               "  --outbox-show ID        a dead letter's content (personal data!)\n"
               "  --outbox-resend ID      queue a dead letter again\n"
               "  --printer-status        ask the configured printer how it is (no printing)\n"
               "  --card-hash             tap a staff badge: the line for the roles file\n"
               "  --roles FILE            the roles file ([nfc] roles, default DATA_DIR/cards)\n"
               "  --staff-pin BADGE|sim   set a staff badge's PIN (read from standard input)\n"
               "  --version, --help\n");
}

/* The missing texts of a language not offered, counted per file ("file:line: what" lines). */
static void print_missing_per_file(const char *text, const char *code)
{
    const char *p = text;
    while (*p) {
        const char *colon = strchr(p, ':');
        if (!colon)
            break;
        size_t flen = (size_t)(colon - p);
        int n = 0;
        const char *q = p;
        while (*q && !strncmp(q, p, flen) && q[flen] == ':') {
            n++;
            const char *nl = strchr(q, '\n');
            q = nl ? nl + 1 : q + strlen(q);
        }
        printf("    %.*s: %d text(s) missing\n", (int)flen, p, n);
        p = q;
    }
    printf("    (--missing %s lists them one by one)\n", code);
}

/* Offered languages (and missing_lang, if >= 0) get every untranslated text listed; the
 * others a count per file. */
static int check_content(const char *dir, uint32_t languages, int missing_lang)
{
    content_diag diag = {0};
    content *c = content_load_dir(dir, &diag);
    if (!c) {
        fputs(diag.text ? diag.text : "content could not be loaded\n", stderr);
        fprintf(stderr, "%d problem(s) found.\n", diag.count);
        content_diag_free(&diag);
        return 1;
    }
    int nq = 0, nt = 0;
    for (int i = 0; i < c->n_events; i++) {
        nq += c->events[i].n_questions;
        nt += c->events[i].n_tasks;
    }
    printf("%s: OK — %d life events, %d questions, %d tasks, %d organisations\n", dir, c->n_events,
           nq, nt, c->n_orgs);
    content_diag advice = {0};
    content_lint(c, &advice);
    if (advice.count) {
        printf("advice for editors (%d; not errors):\n", advice.count);
        fputs(advice.text, stdout);
    }
    content_diag_free(&advice);
    printf("translation coverage:\n");
    for (int l = 0; l < LANG_COUNT; l++) {
        content_diag missing = {0};
        int present, total;
        content_coverage(c, (lang_id)l, &present, &total, &missing);
        printf("  %s %5.1f%% (%d of %d texts)%s\n", lang_get((lang_id)l)->code,
               total ? 100.0 * present / total : 100.0, present, total,
               (languages & (1u << l)) ? "" : "  [not offered]");
        if (missing.count && ((languages & (1u << l)) || l == missing_lang))
            printf("%s", missing.text); /* offered, or asked for: every text */
        else if (missing.count)
            print_missing_per_file(missing.text, lang_get((lang_id)l)->code);
        content_diag_free(&missing);
    }
    content_free(c);
    return 0;
}

static bool parse_date(const char *s, civil_date *d)
{
    return sscanf(s, "%d-%d-%d", &d->y, &d->m, &d->d) == 3 && date_valid(*d);
}

static bool make_dir(const char *path)
{
    char buf[CONFIG_PATH_MAX];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf) {
        errno = ENAMETOOLONG;
        return false;
    }
    memcpy(buf, path, n + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0700) != 0 && errno != EEXIST)
            return false;
        *p = '/';
    }
    return mkdir(buf, 0700) == 0 || errno == EEXIST;
}

int main(int argc, char **argv)
{
    static kiosk K;
    kiosk *k = &K;
    Uint64 t0 = SDL_GetPerformanceCounter();
    config_defaults(&k->cfg);
    bool windowed = false, first_frame_exit = false;
    char outbox_cmd = 0;
    bool printer_status_cmd = false, card_hash_cmd = false;
    const char *staff_pin_cmd = NULL;
    long long outbox_id = 0;
    const char *script = NULL, *render_log = NULL, *check = NULL, *date = NULL;
    const char *speech_log = NULL;
    int missing_lang = -1;
    char err[1024];
    enum {
        O_WINDOWED = 1000,
        O_LANDSCAPE,
        O_SIZE,
        O_CONFIG,
        O_SET,
        O_DATA,
        O_CHECK,
        O_SCRIPT,
        O_SHOTS,
        O_LOG,
        O_DATE,
        O_FIRST,
        O_VERSION,
        O_HELP,
        O_MISSING,
        O_OUTBOX,
        O_OUTBOX_SHOW,
        O_OUTBOX_RESEND,
        O_PRINTER_STATUS,
        O_SPEECH_LOG,
        O_CARD_HASH,
        O_ROLES,
        O_STAFF_PIN
    };
    static const struct option opts[] = {
        {"windowed", no_argument, 0, O_WINDOWED},
        {"landscape", no_argument, 0, O_LANDSCAPE},
        {"size", required_argument, 0, O_SIZE},
        {"config", required_argument, 0, O_CONFIG},
        {"set", required_argument, 0, O_SET},
        {"data-dir", required_argument, 0, O_DATA},
        {"check-content", required_argument, 0, O_CHECK},
        {"missing", required_argument, 0, O_MISSING},
        {"script", required_argument, 0, O_SCRIPT},
        {"screenshot-dir", required_argument, 0, O_SHOTS},
        {"render-log", required_argument, 0, O_LOG},
        {"date", required_argument, 0, O_DATE},
        {"exit-after-first-frame", no_argument, 0, O_FIRST},
        {"version", no_argument, 0, O_VERSION},
        {"help", no_argument, 0, O_HELP},
        {"outbox", no_argument, 0, O_OUTBOX},
        {"outbox-show", required_argument, 0, O_OUTBOX_SHOW},
        {"outbox-resend", required_argument, 0, O_OUTBOX_RESEND},
        {"printer-status", no_argument, 0, O_PRINTER_STATUS},
        {"speech-log", required_argument, 0, O_SPEECH_LOG},
        {"card-hash", no_argument, 0, O_CARD_HASH},
        {"roles", required_argument, 0, O_ROLES},
        {"staff-pin", required_argument, 0, O_STAFF_PIN},
        {0, 0, 0, 0},
    };
    int o;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case O_WINDOWED:
            windowed = true;
            break;
        case O_LANDSCAPE:
            if (!config_set(&k->cfg, "screen", "orientation", "landscape", err, sizeof err))
                goto bad_option;
            break;
        case O_SIZE:
            if (sscanf(optarg, "%dx%d", &k->cfg.width_px, &k->cfg.height_px) != 2 ||
                k->cfg.width_px < 320 || k->cfg.height_px < 320) {
                snprintf(err, sizeof err, "--size wants WIDTHxHEIGHT, e.g. 1080x1920");
                goto bad_option;
            }
            if ((k->cfg.width_px > k->cfg.height_px) != k->cfg.landscape) {
                /* a landscape size turns the panel: keep the pixels asked for */
                int w = k->cfg.width_px, h = k->cfg.height_px;
                config_set_orientation(&k->cfg, w > h);
                k->cfg.width_px = w;
                k->cfg.height_px = h;
            }
            break;
        case O_CONFIG:
            if (!config_load_file(&k->cfg, optarg, err, sizeof err))
                goto bad_option;
            break;
        case O_SET: {
            char sec[64], key[64];
            const char *eq = strchr(optarg, '='), *dot = strchr(optarg, '.');
            if (!eq || !dot || dot > eq || dot - optarg >= 64 || eq - dot - 1 >= 64) {
                snprintf(err, sizeof err, "--set wants SECTION.KEY=VALUE");
                goto bad_option;
            }
            snprintf(sec, sizeof sec, "%.*s", (int)(dot - optarg), optarg);
            snprintf(key, sizeof key, "%.*s", (int)(eq - dot - 1), dot + 1);
            if (!config_set(&k->cfg, sec, key, eq + 1, err, sizeof err))
                goto bad_option;
            break;
        }
        case O_DATA:
            snprintf(k->cfg.data_dir, sizeof k->cfg.data_dir, "%s", optarg);
            break;
        case O_CHECK:
            check = optarg;
            break;
        case O_MISSING:
            missing_lang = lang_from_code(optarg);
            if (missing_lang < 0) {
                snprintf(err, sizeof err, "--missing wants a language: nl, en, tr, ar, pl, uk");
                goto bad_option;
            }
            break;
        case O_SCRIPT:
            script = optarg;
            break;
        case O_SHOTS:
            snprintf(k->shot_dir, sizeof k->shot_dir, "%s", optarg);
            break;
        case O_LOG:
            render_log = optarg;
            break;
        case O_DATE:
            date = optarg;
            break;
        case O_FIRST:
            first_frame_exit = true;
            break;
        case O_OUTBOX:
            outbox_cmd = 'l';
            break;
        case O_CARD_HASH:
            card_hash_cmd = true;
            break;
        case O_STAFF_PIN:
            staff_pin_cmd = optarg;
            break;
        case O_ROLES:
            if (!config_set(&k->cfg, "nfc", "roles", optarg, err, sizeof err))
                goto bad_option;
            break;
        case O_SPEECH_LOG:
            speech_log = optarg;
            break;
        case O_PRINTER_STATUS:
            printer_status_cmd = true;
            break;
        case O_OUTBOX_SHOW:
        case O_OUTBOX_RESEND:
            outbox_cmd = o == O_OUTBOX_SHOW ? 's' : 'r';
            outbox_id = strtoll(optarg, NULL, 10);
            break;
        case O_VERSION:
            printf("loket %s\n", LOKET_VERSION);
            return 0;
        case O_HELP:
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        snprintf(err, sizeof err, "unexpected argument '%s'", argv[optind]);
        goto bad_option;
    }
    if (check)
        return check_content(check, k->cfg.session.languages, missing_lang);
    if (!config_finish(&k->cfg, err, sizeof err))
        goto bad_option;
    log_set_level(k->cfg.debug_log ? LOG_DEBUG : LOG_INFO);
    k->scripted = script != NULL;
    if (outbox_cmd)
        return outbox_tool(&k->cfg, outbox_cmd, outbox_id);
    if (card_hash_cmd) /* a staff badge's line for the roles file (made when missing) */
        return make_dir(k->cfg.data_dir)
                   ? nfc_enrol_main(k->cfg.nfc_device, k->cfg.nfc_roles, stdout, stderr)
                   : 1;
    if (printer_status_cmd)
        return printer_tool(&k->cfg);
    if (staff_pin_cmd)
        return make_dir(k->cfg.data_dir) ? staff_pin_tool(&k->cfg, staff_pin_cmd) : 1;

    if (!make_dir(k->cfg.data_dir)) {
        fprintf(stderr, "loket: cannot create the data folder %s: %s\n", k->cfg.data_dir,
                strerror(errno));
        return 1;
    }
    i18n_init(k->cfg.locale_dir);

    /* Content: a kiosk with broken content shows "out of order" rather than wrong advice. */
    content_diag diag = {0};
    k->content = content_load_dir(k->cfg.content_dir, &diag);
    if (!k->content) {
        log_msg(LOG_ERROR, "content",
                "content in %s did not load; showing 'out of order':", k->cfg.content_dir);
        fputs(diag.text ? diag.text : "", stderr);
    } else {
        content_apply_site(k->content, k->cfg.municipality_name, k->cfg.municipality_phone,
                           k->cfg.municipality_website, k->cfg.municipality_visit);
    }
    content_diag_free(&diag);

    metrics_init(k->cfg.data_dir, k->cfg.kiosk_id);
    intake_json_wipe_on_free(); /* before the uplink's thread starts */
    k->printer = printer_from_config(&k->cfg);
    k->cfg.session.has_printer = k->printer != NULL;
    k->handoff = handoff_sim_new();
    k->handoff_lock = SDL_CreateMutex(); /* before the uplink's thread reports */
    if (!hours_parse(k->cfg.handoff_hours, &k->hours, err, sizeof err)) {
        fprintf(stderr, "loket: handoff.hours: %s\n", err); /* checked when read: not reached */
        return 2;
    }
    open_outbox(k);

    civil_date fixed_date = {2026, 11, 28};
    if (date && !parse_date(date, &fixed_date)) {
        snprintf(err, sizeof err, "--date wants YYYY-MM-DD");
        goto bad_option;
    }
    if (k->scripted)
        clock_init_fixed(&k->clock, fixed_date, 10 * 60);
    else
        clock_init_real(&k->clock);

    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0"); /* touches are handled as touches */
    SDL_SetHint(SDL_HINT_QUIT_ON_LAST_WINDOW_CLOSE, "0");
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    SDL_SetHint(SDL_HINT_GRAB_KEYBOARD, "1");
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    /* the letter screens take text from a physical keyboard; the kiosk has keyboards of its
     * own on screen: no system on-screen keyboard or input-method window (SDL 2.28 and later
     * know the first hint; 2.26 shows none on X11 and Wayland) */
#ifdef SDL_HINT_ENABLE_SCREEN_KEYBOARD
    SDL_SetHint(SDL_HINT_ENABLE_SCREEN_KEYBOARD, "0");
#else
    SDL_SetHint("SDL_ENABLE_SCREEN_KEYBOARD", "0");
#endif
    SDL_SetHint(SDL_HINT_IME_SHOW_UI, "0");
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        fprintf(stderr, "loket: cannot start the display: %s\n", SDL_GetError());
        return 1;
    }
    IMG_Init(IMG_INIT_PNG);
    k->result_event = SDL_RegisterEvents(1);

    ui_options uo = {
        .windowed = windowed || k->scripted,
        .scripted = k->scripted,
        .width = k->cfg.width_px,
        .height = k->cfg.height_px,
        .screen_width_mm = k->cfg.screen_width_mm,
        .view_distance_mm = k->cfg.view_distance_mm,
        .screen_height_mm = k->cfg.screen_height_mm,
        .screen_bottom_mm = k->cfg.screen_bottom_mm,
        .font_family = k->cfg.font_family,
        .icons_dir = k->cfg.icons_dir,
    };
    k->u = ui_create(&uo, err, sizeof err);
    if (!k->u) {
        fprintf(stderr, "loket: %s\n", err);
        SDL_Quit();
        return 1;
    }
    SDL_StopTextInput(); /* SDL starts it; only the letter screens want it (text_input_sync) */
    if (k->printer) {
        k->slips =
            slip_renderer_new(k->cfg.font_family, k->cfg.icons_dir, k->cfg.logo, err, sizeof err);
        if (!k->slips) {
            /* no fonts for the slip: say so, and the screen offers help instead of printing */
            log_msg(LOG_ERROR, "print", "cannot draw slips: %s", err);
            k->cfg.session.has_printer = false;
        }
    }
    /* the card reader first: libnfc sets environment variables while it starts */
    k->card_lock = SDL_CreateMutex();
    if (k->cfg.nfc_device[0]) {
        k->cards = card_reader_libnfc_new(k->cfg.nfc_device, post_result, k, k->cfg.csca_dir, err,
                                          sizeof err);
        if (!k->cards)
            log_msg(LOG_ERROR, "card", "no card reader: %s", err);
    } else {
        k->cards = card_reader_sim_new(post_result, k, k->cfg.csca_dir, err, sizeof err);
        if (!k->cards)
            log_msg(LOG_ERROR, "card", "no simulated card reader: %s", err);
    }
    if (k->cards) /* staff badges and library passes */
        card_reader_set_cards(k->cards, k->cfg.nfc_roles, &k->cfg.nfc_library);
    /* the summary asks for a library pass only where the site takes them */
    k->cfg.session.library_pass = k->cards && k->cfg.nfc_library.mode != NFC_LIBRARY_OFF;
    k->cfg.session.handoff_queued = !strcmp(k->cfg.handoff_backend, "casesvc");
    k->pins = staff_pins_open(k->cfg.nfc_staff_pins, err, sizeof err);
    if (!k->pins) /* no badge gets in until it is fixed */
        log_msg(LOG_ERROR, "staff", "staff badge PINs: %s", err);
    if (speech_log && k->scripted) {
        /* what is read aloud can be personal (through a headset): a test's file only */
        k->speech_log = fopen(speech_log, "w");
        if (!k->speech_log) {
            fprintf(stderr, "loket: cannot write %s: %s\n", speech_log, strerror(errno));
            return 1;
        }
    }
    if (strcmp(k->cfg.speech_backend, "none")) {
        speech_options so = {.backend = k->cfg.speech_backend,
                             .data_dir = k->cfg.speech_data_dir,
                             .audio_device = k->cfg.speech_device,
                             .log = k->speech_log};
        k->sp = speech_create(&so, err, sizeof err);
        if (!k->sp)
            log_msg(LOG_ERROR, "speech", "read-aloud does not work: %s", err);
    }
    /* no voice: no read-aloud button that would stay silent */
    k->cfg.session.has_speech = k->sp != NULL;
    k->volume = ACCESS_VOLUME_DEFAULT;
    if (k->sp)
        speech_set_volume(k->sp, k->volume);
    k->w = worker_start(post_result, k);
    if (!k->w) {
        fprintf(stderr, "loket: cannot start the worker thread\n");
        return 1;
    }
    session_init(&k->s, k->content, &k->cfg.session, clock_now_ms(&k->clock),
                 clock_today(&k->clock));
    if (render_log) {
        k->render_log = fopen(render_log, "w");
        if (!k->render_log) {
            fprintf(stderr, "loket: cannot write %s: %s\n", render_log, strerror(errno));
            return 1;
        }
    }
    log_msg(LOG_INFO, "kiosk", "started: kiosk %s, %d life events, printer %s, %s", k->cfg.kiosk_id,
            k->content ? k->content->n_events : 0, k->cfg.printer_backend,
            k->scripted ? "scripted"
            : windowed  ? "windowed"
                        : "fullscreen");

    int rc = 0;
    if (k->scripted) {
        script_host h = {.ctx = k,
                         .dispatch = host_dispatch,
                         .key = host_key,
                         .events = host_events,
                         .advance = host_advance,
                         .card = host_card,
                         .card_bac_only = host_card_bac_only,
                         .fault = host_fault,
                         .frame = host_frame,
                         .logframe = host_logframe,
                         .logshot = host_logshot,
                         .state = host_state,
                         .wait_delivered = host_wait_delivered,
                         .wait_card = host_wait_card,
                         .wait_handoff = host_wait_handoff,
                         .wait_pin = host_wait_pin,
                         .last_speech = host_last_speech,
                         .speaking = host_speaking};
        rc = script_run(script, k->u, &h, k->shot_dir[0] ? k->shot_dir : ".", err, sizeof err);
        if (rc)
            fprintf(stderr, "loket: %s\n", err);
        drain_results(k);
    } else {
        frame(k, true);
        if (first_frame_exit) {
            double ms = (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 /
                        (double)SDL_GetPerformanceFrequency();
            printf("first_frame_ms=%.1f\n", ms);
            fflush(stdout);
        }
        bool running = !first_frame_exit;
        char pressed_id[64] = "";
        while (running) {
            uint32_t wait = session_next_timer_ms(&k->s);
            SDL_Event ev;
            int got = wait == UINT32_MAX
                          ? SDL_WaitEvent(&ev)
                          : SDL_WaitEventTimeout(&ev, wait > 0x7fffffff ? 0x7fffffff : (int)wait);
            while (got) {
                if (ev.type == SDL_QUIT) {
                    running = false; /* SIGTERM/SIGINT: the service manager stops us */
                } else if (ev.type == k->result_event) {
                    handle_result_event(k, &ev);
                } else if (ev.type == SDL_MOUSEBUTTONDOWN || ev.type == SDL_FINGERDOWN) {
                    ui_focus_off(k->u);
                    speech_interrupt(k);
                    const widget *pressed = control_at(k, &ev);
                    snprintf(pressed_id, sizeof pressed_id, "%s", pressed ? pressed->id : "");
                    apply(k, &(action){.kind = ACT_INPUT});
                } else if (ev.type == SDL_MOUSEBUTTONUP || ev.type == SDL_FINGERUP) {
                    /* a tap: released on the control it started on */
                    const widget *w = control_at(k, &ev);
                    if (w && pressed_id[0] && !strcmp(w->id, pressed_id)) {
                        action a = w->act;
                        act_on_control(k, &a);
                    }
                    pressed_id[0] = '\0';
                } else if (ev.type == SDL_KEYDOWN || ev.type == SDL_TEXTINPUT) {
                    handle_input_event(k, &ev);
                } else if (ev.type == SDL_WINDOWEVENT &&
                           (ev.window.event == SDL_WINDOWEVENT_EXPOSED ||
                            ev.window.event == SDL_WINDOWEVENT_SIZE_CHANGED)) {
                    frame(k, true);
                } else if (ev.type == SDL_WINDOWEVENT && ev.window.event == SDL_WINDOWEVENT_CLOSE &&
                           windowed) {
                    running = false; /* a development window may be closed; the kiosk not */
                }
                got = SDL_PollEvent(&ev);
            }
            tick(k);
            frame(k, false);
        }
    }

    worker_stop(k->w);
    speech_destroy(k->sp);
    if (k->speech_log)
        fclose(k->speech_log);
    /* wipe whatever a citizen left: the session here, the screen texts in ui_destroy */
    explicit_bzero(&k->s.data, sizeof k->s.data);
    explicit_bzero(k->last_said, sizeof k->last_said);
    if (k->render_log)
        fclose(k->render_log);
    ui_destroy(k->u);
    if (k->printer)
        k->printer->destroy(k->printer);
    slip_renderer_free(k->slips);
    uplink_free(k->uplink);
    outbox_close(k->outbox);
    metrics_shutdown();
    k->handoff->destroy(k->handoff);
    card_reader_destroy(k->cards);
    staff_pins_free(k->pins);
    explicit_bzero(&k->card_box, sizeof k->card_box);
    SDL_DestroyMutex(k->card_lock);
    SDL_DestroyMutex(k->handoff_lock);
    content_free(k->content);
    IMG_Quit();
    SDL_Quit();
    return rc;

bad_option:
    fprintf(stderr, "loket: %s\n", err);
    return 2;
}
