#include "core/session.h"

#include <stdio.h>
#include <string.h>

#include "content/flow.h"
#include "intake/intake.h"

static const char *const screen_names[SCREEN_COUNT] = {
    [SCREEN_WELCOME] = "welcome",
    [SCREEN_EVENTS] = "events",
    [SCREEN_QUESTION] = "question",
    [SCREEN_OVERVIEW] = "overview",
    [SCREEN_NEXT_STEP] = "next_step",
    [SCREEN_GOODBYE] = "goodbye",
    [SCREEN_OUT_OF_ORDER] = "out_of_order",
    [SCREEN_CONSENT] = "consent",
    [SCREEN_CONTACT] = "contact",
    [SCREEN_PHONE] = "phone",
    [SCREEN_SUMMARY] = "summary",
    [SCREEN_EMAIL] = "email",
    [SCREEN_CARD_CAN] = "card_can",
    [SCREEN_CARD_READING] = "card_reading",
    [SCREEN_CARD_CONFIRM] = "card_confirm",
    [SCREEN_CARD_MRZ_NUMBER] = "card_mrz_number",
    [SCREEN_CARD_MRZ_BIRTH] = "card_mrz_birth",
    [SCREEN_CARD_MRZ_EXPIRY] = "card_mrz_expiry",
    [SCREEN_NAME_GIVEN] = "name_given",
    [SCREEN_NAME_SURNAME] = "name_surname",
    [SCREEN_STAFF_PIN] = "staff_pin",
    [SCREEN_STAFF_VIEW] = "staff_view",
};

const char *screen_name(screen_id s)
{
    return (unsigned)s < SCREEN_COUNT ? screen_names[s] : "?";
}

void session_config_defaults(session_config *cfg)
{
    cfg->idle_ms = 60000;
    cfg->warning_ms = 30000;
    cfg->max_extensions = 0;
    cfg->goodbye_ms = 15000;
    cfg->speech_idle_ms = 180000;
    cfg->speech_warning_ms = 60000;
    cfg->headset = false;
    cfg->languages = (1u << LANG_NL) | (1u << LANG_EN);
    cfg->default_lang = LANG_NL;
    cfg->has_printer = true;
    cfg->has_speech = true;
}

void effects_wipe(effects *e)
{
    explicit_bzero(e, sizeof *e);
}

/* What session_data holds when no citizen is using the kiosk. */
static void clean_data(const session_config *cfg, session_data *d)
{
    /* explicit_bzero: a plain memset of data about to be overwritten may be optimised away. */
    explicit_bzero(d, sizeof *d);
    d->j.event = -1;
    for (int i = 0; i < CONTENT_MAX_QUESTIONS; i++)
        d->j.answers[i] = -1;
    d->j.lang = cfg->default_lang;
    d->question = -1;
    d->print = cfg->has_printer ? PRINT_NONE : PRINT_UNAVAILABLE;
}

static void data_reset(session *s)
{
    clean_data(&s->cfg, &s->data);
}

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static access_prefs default_access(const session_config *cfg)
{
    return (access_prefs){
        .volume = ACCESS_VOLUME_DEFAULT, .speech_lang = -1, .headset = cfg->headset};
}

static bool access_changed(const session *s)
{
    access_prefs d = default_access(&s->cfg);
    return memcmp(&d, &s->access, sizeof d) != 0;
}

bool session_is_wiped(const session *s)
{
    session_data clean;
    clean_data(&s->cfg, &clean);
    return memcmp(&clean, &s->data, sizeof clean) == 0;
}

void session_init(session *s, const content *c, const session_config *cfg, uint64_t now_ms,
                  civil_date today)
{
    memset(s, 0, sizeof *s);
    s->content = c;
    s->cfg = *cfg;
    if (s->cfg.warning_ms < 20000)
        s->cfg.warning_ms = 20000; /* WCAG 2.2.1: at least 20 seconds to react */
    if (s->cfg.max_extensions != 0 && s->cfg.max_extensions < 10)
        s->cfg.max_extensions = 10; /* WCAG 2.2.1: extendable at least ten times */
    if (s->cfg.speech_idle_ms < s->cfg.idle_ms)
        s->cfg.speech_idle_ms = s->cfg.idle_ms; /* listening is never given less time */
    if (s->cfg.speech_warning_ms < s->cfg.warning_ms)
        s->cfg.speech_warning_ms = s->cfg.warning_ms;
    if (!(s->cfg.languages & (1u << s->cfg.default_lang)))
        s->cfg.languages |= 1u << s->cfg.default_lang;
    s->now_ms = now_ms;
    s->today = today;
    s->last_input_ms = now_ms;
    s->next_request = 1;
    data_reset(s);
    s->access = default_access(&s->cfg);
    s->screen = c ? SCREEN_WELCOME : SCREEN_OUT_OF_ORDER;
}

const life_event *session_event(const session *s)
{
    if (!s->content || s->data.j.event < 0 || s->data.j.event >= s->content->n_events)
        return NULL;
    return &s->content->events[s->data.j.event];
}

static void push(effects *out, effect e)
{
    if (out->n < SESSION_MAX_EFFECTS)
        out->items[out->n++] = e;
}

/* Somebody is using the kiosk: the inactivity timer runs. An open hand-off message or a
 * changed setting (read-aloud, large text) on the welcome screen counts too, so that they do
 * not greet the next citizen. */
static bool has_citizen(const session *s)
{
    return (s->screen != SCREEN_WELCOME && s->screen != SCREEN_OUT_OF_ORDER) ||
           s->data.handoff_shown || access_changed(s);
}

lang_id session_speech_lang(const session *s)
{
    if (s->access.speech_lang >= 0 && s->access.speech_lang < LANG_COUNT)
        return (lang_id)s->access.speech_lang;
    return s->data.j.lang;
}

bool session_speech_private(const session *s)
{
    return s->access.headset;
}

uint32_t session_idle_ms(const session *s)
{
    return s->access.speech ? s->cfg.speech_idle_ms : s->cfg.idle_ms;
}

uint32_t session_warning_ms(const session *s)
{
    return s->access.speech ? s->cfg.speech_warning_ms : s->cfg.warning_ms;
}

/* Ends the session: everything personal is wiped, back to welcome (or out of order). */
static void end_session(session *s, session_end_reason why, screen_id next, effects *out)
{
    /* on goodbye the session has already ended (and was wiped) */
    bool had = s->screen != SCREEN_GOODBYE && (has_citizen(s) || s->data.j.event >= 0);
    data_reset(s);
    s->access = default_access(&s->cfg);
    s->screen = next;
    s->warning = false;
    s->extensions = 0;
    s->goodbye_until_ms = 0;
    if (had)
        push(out, (effect){.kind = EFFECT_SESSION_ENDED, .end_reason = why});
}

static journey snapshot(const session *s)
{
    journey j = s->data.j;
    j.today = s->today;
    j.handoff_asked = s->data.handoff == HANDOFF_SENDING || s->data.handoff == HANDOFF_SENT;
    /* a call-back that could not be sent yet is kept and goes when it can: still asked */
    j.handoff_callback =
        s->data.handoff_callback &&
        (j.handoff_asked || (s->data.handoff == HANDOFF_FAILED && s->cfg.handoff_queued));
    j.handoff_asked = j.handoff_asked || j.handoff_callback;
    j.screen = s->screen;
    j.question = s->screen == SCREEN_QUESTION ? s->data.question : -1;
    return j;
}

static void build_overview(session *s)
{
    const life_event *e = session_event(s);
    if (e) {
        overview_build(e, s->data.j.answers, s->data.j.dates, s->today, &s->data.ov);
        overview_signals(s->content, e, s->data.j.answers, &s->data.ov);
    }
    s->data.scroll = 0;
}

static void enter_question(session *s, int qi)
{
    const life_event *e = session_event(s);
    s->data.question = qi;
    s->screen = SCREEN_QUESTION;
    civil_date shown = s->today;
    if (e && qi < e->n_questions && s->data.j.answers[qi] == DATE_KNOWN &&
        e->questions[qi].kind == QUESTION_DATE)
        shown = s->data.j.dates[qi];
    s->data.picker_y = shown.y;
    s->data.picker_m = shown.m;
}

/* After answering question `qi`: the next question, or the overview. */
static void advance(session *s, int qi)
{
    const life_event *e = session_event(s);
    if (s->data.history_len < CONTENT_MAX_QUESTIONS)
        s->data.history[s->data.history_len++] = qi;
    /* A changed answer can change which later questions apply: forget later answers. */
    for (int i = qi + 1; i < CONTENT_MAX_QUESTIONS; i++) {
        s->data.j.answers[i] = -1;
        s->data.j.dates[i] = (civil_date){0, 0, 0};
    }
    int next = flow_next_question(e, s->data.j.answers, qi + 1);
    if (next < e->n_questions) {
        enter_question(s, next);
    } else {
        s->data.question = -1;
        build_overview(s);
        s->screen = SCREEN_OVERVIEW;
    }
}

/* The intake, as far as the citizen has chosen: ticked organisations, and a contact way only
 * when its detail is complete (else "no contact": the employee can ask). */
static void push_intake(session *s, effects *out)
{
    s->data.intake = INTAKE_SAVING;
    s->data.intake_request = s->next_request++;
    int contact = s->data.contact;
    if ((contact == SESSION_CONTACT_CALLBACK && !session_phone_complete(s)) ||
        (contact == SESSION_CONTACT_EMAIL && !session_email_complete(s)))
        contact = SESSION_CONTACT_NONE;
    effect fx = {.kind = EFFECT_INTAKE,
                 .request = s->data.intake_request,
                 .journey = snapshot(s),
                 .consent = s->data.consent & session_overview_orgs(s),
                 .contact = contact};
    if (contact == SESSION_CONTACT_CALLBACK)
        memcpy(fx.phone, s->data.phone, sizeof fx.phone);
    if (contact == SESSION_CONTACT_EMAIL)
        memcpy(fx.email, s->data.email, sizeof fx.email);
    if (s->data.card_used && s->data.card.pa == CARD_PA_VERIFIED) {
        snprintf(fx.given, sizeof fx.given, "%s", s->data.card.given);
        snprintf(fx.surname, sizeof fx.surname, "%s", s->data.card.surname);
    } else if (s->data.name_used) {
        /* typed by the citizen: the intake says so (naambron), nobody checked it */
        snprintf(fx.given, sizeof fx.given, "%s", s->data.name_given);
        snprintf(fx.surname, sizeof fx.surname, "%s", s->data.name_surname);
        fx.name_typed = true;
    }
    if (s->cfg.library_pass) /* laid on the reader on the summary: sending is the consent */
        memcpy(fx.library_number, s->data.library_number, sizeof fx.library_number);
    push(out, fx);
    explicit_bzero(&fx, sizeof fx);
}

/* Everything the card screens hold: the CAN, what the card said, a pending read, an error. */
static void card_wipe(session *s)
{
    explicit_bzero(s->data.can, sizeof s->data.can);
    explicit_bzero(&s->data.card, sizeof s->data.card);
    s->data.card_error = CARD_ERROR_NONE;
    s->data.card_tries = 0;
    s->data.card_reading = false;
    s->data.card_request = 0;
    s->data.card_read = false;
    s->data.card_used = false;
    s->data.card_mrz = false;
    explicit_bzero(s->data.mrz_number, sizeof s->data.mrz_number);
    explicit_bzero(s->data.mrz_birth, sizeof s->data.mrz_birth);
    explicit_bzero(s->data.mrz_expiry, sizeof s->data.mrz_expiry);
}

/* A library pass's number as the card reader makes it: 1 to SESSION_LIBRARY_MAX - 1 digits or
 * upper-case hex digits, nothing else. */
static bool library_number_ok(const char *t)
{
    size_t n = t ? strnlen(t, SESSION_LIBRARY_MAX) : 0;
    if (n == 0 || n >= SESSION_LIBRARY_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'A' && t[i] <= 'F')))
            return false;
    return true;
}

/* The library pass on the summary: wanted while the story can still be sent, when the site
 * takes library passes. */
static bool library_wanted(const session *s)
{
    return s->cfg.library_pass && s->screen == SCREEN_SUMMARY && s->data.intake != INTAKE_SAVING &&
           s->data.intake != INTAKE_SAVED;
}

/* The name the citizen typed. */
static void name_wipe(session *s)
{
    explicit_bzero(s->data.name_given, sizeof s->data.name_given);
    explicit_bzero(s->data.name_surname, sizeof s->data.name_surname);
    s->data.name_used = false;
    s->data.name_shift = false;
}

/* DDMMYYYY typed -> a date ({0,0,0} when not 8 digits or not a day that exists). */
static civil_date typed_date(const char *t)
{
    civil_date d = {0, 0, 0};
    if (strlen(t) != SESSION_DATE_DIGITS)
        return d;
    for (int i = 0; i < SESSION_DATE_DIGITS; i++)
        if (t[i] < '0' || t[i] > '9')
            return d;
    civil_date r = {(t[4] - '0') * 1000 + (t[5] - '0') * 100 + (t[6] - '0') * 10 + (t[7] - '0'),
                    (t[2] - '0') * 10 + (t[3] - '0'), (t[0] - '0') * 10 + (t[1] - '0')};
    return date_valid(r) ? r : d;
}

static bool docnr_valid(const char *n)
{
    size_t len = strlen(n);
    if (len < 6 || len > SESSION_DOCNR_MAX)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((n[i] >= 'A' && n[i] <= 'Z') || (n[i] >= '0' && n[i] <= '9')))
            return false;
    return true;
}

bool session_mrz_complete(const session *s)
{
    switch (s->screen) {
    case SCREEN_CARD_MRZ_NUMBER:
        return docnr_valid(s->data.mrz_number);
    case SCREEN_CARD_MRZ_BIRTH: {
        civil_date d = typed_date(s->data.mrz_birth);
        return d.y >= 1900 && date_cmp(d, s->today) <= 0;
    }
    case SCREEN_CARD_MRZ_EXPIRY: {
        civil_date d = typed_date(s->data.mrz_expiry);
        return d.y >= 2000 && d.y <= 2099; /* the MRZ has two digits; an expired one is fine */
    }
    default:
        return false;
    }
}

/* The name field on screen (NULL elsewhere). */
static char *name_field(session *s)
{
    return s->screen == SCREEN_NAME_GIVEN     ? s->data.name_given
           : s->screen == SCREEN_NAME_SURNAME ? s->data.name_surname
                                              : NULL;
}

bool session_name_complete(const session *s)
{
    const char *t = name_field((session *)s);
    if (!t)
        return false;
    for (; *t; t++)
        if (*t != ' ' && *t != '-' && *t != '\'')
            return true;
    return false;
}

/* The letters the name keyboard has besides a-z (lower case; each has a capital). */
static bool name_letter(int cp)
{
    static const int extra[] = {0xE9, 0xEB, 0xE8, 0xE1, 0xE4, 0xEF,  0xF6,  0xFC,  0xE7,  0xF1,
                                0xEA, 0xF3, 0xFA, 0xED, 0xE0, 0x15F, 0x11F, 0x142, 0x17C, 0x107};
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
        return true;
    for (size_t i = 0; i < sizeof extra / sizeof *extra; i++)
        if (cp == extra[i] || cp == extra[i] - (extra[i] < 0x100 ? 0x20 : 1))
            return true;
    return false;
}

/* A capital of a keyboard letter (a-z, Latin-1 and the few Latin Extended-A letters). */
static int name_upper(int cp)
{
    if (cp >= 'a' && cp <= 'z')
        return cp - 'a' + 'A';
    if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7)
        return cp - 0x20;
    if (cp >= 0x100 && cp < 0x180 && (cp & 1))
        return cp - 1;
    return cp;
}

/* Appends one character (a code point) to a typed name as UTF-8, when it fits. */
static void name_append(session *s, char *t, int cp)
{
    size_t n = strlen(t);
    bool sep = cp == ' ' || cp == '-' || cp == '\'';
    if (sep) {
        /* not the same twice in a row; only an apostrophe first ('t Hart) */
        if ((n == 0 && cp != '\'') || (n > 0 && t[n - 1] == cp))
            return;
    } else if (!name_letter(cp)) {
        return;
    }
    if (!sep && s->data.name_shift)
        cp = name_upper(cp);
    char u[3];
    size_t len = 0;
    if (cp < 0x80) {
        u[len++] = (char)cp;
    } else {
        u[len++] = (char)(0xC0 | (cp >> 6));
        u[len++] = (char)(0x80 | (cp & 0x3F));
    }
    if (n + len > SESSION_NAME_MAX)
        return;
    memcpy(t + n, u, len);
    t[n + len] = '\0';
    /* a capital after a space or hyphen in the given names, else small letters */
    s->data.name_shift = s->screen == SCREEN_NAME_GIVEN && (cp == ' ' || cp == '-');
}

/* A key of a letter screen's keyboard (ACT_KEY_CHAR): its character into the field. */
static void key_char(session *s, int arg)
{
    if (s->screen == SCREEN_EMAIL && arg == 1) { /* the key ".nl" */
        size_t n = strlen(s->data.email);
        if (n + 3 <= SESSION_EMAIL_MAX)
            memcpy(s->data.email + n, ".nl", 4);
    } else if (s->screen == SCREEN_EMAIL && arg > 1 && arg < 128 &&
               strchr("abcdefghijklmnopqrstuvwxyz0123456789@.-_+", arg)) {
        size_t n = strlen(s->data.email);
        if (n < SESSION_EMAIL_MAX)
            s->data.email[n] = (char)arg;
    } else if (s->screen == SCREEN_CARD_MRZ_NUMBER && arg > 0 && arg < 128) {
        /* letters and digits as in the MRZ (capitals; the letter O is a zero there too) */
        int ch = arg >= 'a' && arg <= 'z' ? arg - 'a' + 'A' : arg;
        size_t n = strlen(s->data.mrz_number);
        if (n < SESSION_DOCNR_MAX && ((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')))
            s->data.mrz_number[n] = (char)ch;
    } else if (name_field(s)) {
        name_append(s, name_field(s), arg);
    }
}

/* A character typed on a physical keyboard -> the ACT_KEY_CHAR argument of the key of the
 * screen's own keyboard that types it, or -1 when that keyboard has no such key. The keys are
 * those of ui/screen_share.c (e-mail), ui/screen_card_mrz.c (document number) and
 * ui/screen_card_name.c (names); keep them in step. */
static int typed_key(const session *s, int cp)
{
    switch (s->screen) {
    case SCREEN_EMAIL: /* small letters only: a capital is its small letter's key */
        if (cp >= 'A' && cp <= 'Z')
            cp += 'a' - 'A';
        return cp > 1 && cp < 128 && strchr("abcdefghijklmnopqrstuvwxyz0123456789@.-_+", cp) ? cp
                                                                                             : -1;
    case SCREEN_CARD_MRZ_NUMBER: /* capitals and digits: a small letter is its capital's key */
        if (cp >= 'a' && cp <= 'z')
            cp -= 'a' - 'A';
        return (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ? cp : -1;
    case SCREEN_NAME_GIVEN:
    case SCREEN_NAME_SURNAME: {
        /* a-z, the accented letters of the keyboard's last row, and their capitals (a capital
         * typed stays one: the keyboard's Hoofdletter for that letter) */
        static const int accented[] = {0xE9, 0xEB, 0xE8, 0xE1, 0xE4, 0xEF, 0xF6, 0xFC, 0xE7, 0xF1};
        if (cp == 0x2019) /* a typographic apostrophe ('t Hart) */
            cp = '\'';
        if (cp == ' ' || cp == '-' || cp == '\'' || (cp >= 'a' && cp <= 'z') ||
            (cp >= 'A' && cp <= 'Z'))
            return cp;
        for (size_t i = 0; i < sizeof accented / sizeof *accented; i++)
            if (cp == accented[i] || cp == accented[i] - 0x20)
                return cp;
        return -1;
    }
    default:
        return -1;
    }
}

/* Text typed on a physical keyboard (ACT_KEY_TYPED): character by character, as the screen's
 * own keys would type it; what its keyboard does not offer (and broken UTF-8) is left out. */
static void key_typed(session *s, const char *text)
{
    const unsigned char *p = (const unsigned char *)(text ? text : "");
    while (*p) {
        int cp, len;
        if (p[0] < 0x80) {
            cp = p[0];
            len = 1;
        } else if ((p[0] & 0xE0) == 0xC0 && p[0] >= 0xC2 && (p[1] & 0xC0) == 0x80) {
            cp = ((p[0] & 0x1F) << 6) | (p[1] & 0x3F);
            len = 2;
        } else if ((p[0] & 0xF0) == 0xE0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
            cp = ((p[0] & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
            len = 3;
            if (cp < 0x800)
                cp = -1; /* written too long: not a character */
        } else {         /* a longer or broken sequence: skip to the next character */
            p++;
            while ((*p & 0xC0) == 0x80)
                p++;
            continue;
        }
        p += len;
        int key = typed_key(s, cp);
        if (key >= 0)
            key_char(s, key);
    }
}

/* Starts the read with the CAN, or with the passport's details. */
static void card_start_read(session *s, effects *out)
{
    s->data.card_request = s->next_request++;
    s->data.card_reading = true;
    s->data.card_error = CARD_ERROR_NONE;
    s->data.card_tries = 0;
    s->data.card_step = 0;
    effect fx = {.kind = EFFECT_CARD_READ, .request = s->data.card_request};
    if (s->data.card_mrz) {
        /* DDMMYYYY as typed -> YYMMDD as in the MRZ */
        static const int order[6] = {6, 7, 2, 3, 0, 1};
        memcpy(fx.mrz_number, s->data.mrz_number, sizeof fx.mrz_number);
        for (int i = 0; i < 6; i++) {
            fx.mrz_birth[i] = s->data.mrz_birth[order[i]];
            fx.mrz_expiry[i] = s->data.mrz_expiry[order[i]];
        }
    } else {
        memcpy(fx.can, s->data.can, sizeof fx.can);
    }
    push(out, fx);
    explicit_bzero(&fx, sizeof fx);
    s->screen = SCREEN_CARD_READING;
}

/* Only A-Z and spaces (the MRZ's letters), single spaces, none at the ends. */
static void card_clean(char *dst, size_t cap, const char *src, size_t src_cap)
{
    size_t n = 0;
    for (size_t i = 0; i < src_cap && src[i] && n + 1 < cap; i++) {
        char ch = src[i];
        if (ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 'a' + 'A');
        if (ch >= 'A' && ch <= 'Z')
            dst[n++] = ch;
        else if (n > 0 && dst[n - 1] != ' ')
            dst[n++] = ' ';
    }
    while (n > 0 && dst[n - 1] == ' ')
        n--;
    dst[n] = '\0';
}

static void card_result(session *s, const action *a)
{
    if (!s->data.card_reading || (uint32_t)a->arg != s->data.card_request ||
        s->screen != SCREEN_CARD_READING)
        return; /* not the read asked for, or the citizen went elsewhere */
    s->data.card_reading = false;
    card_read_result r =
        a->value <= CARD_READ_NEEDS_MRZ ? (card_read_result)a->value : CARD_READ_UNREADABLE;
    if (r == CARD_READ_NEEDS_MRZ) {
        /* an older document: the passport's details instead of the CAN, with why */
        explicit_bzero(s->data.can, sizeof s->data.can);
        if (s->data.card_mrz) {
            /* asked for what it already had: unreadable, and the details go */
            s->data.card_mrz = false;
            explicit_bzero(s->data.mrz_number, sizeof s->data.mrz_number);
            explicit_bzero(s->data.mrz_birth, sizeof s->data.mrz_birth);
            explicit_bzero(s->data.mrz_expiry, sizeof s->data.mrz_expiry);
            s->data.card_error = CARD_ERROR_UNREADABLE;
            return;
        }
        s->data.card_error = CARD_ERROR_NEEDS_MRZ;
        s->screen = SCREEN_CARD_MRZ_NUMBER;
        return;
    }
    if (r == CARD_READ_WRONG_CAN && a->tries == 0)
        r = CARD_READ_BLOCKED; /* no tries left (a negative count: the chip did not say) */
    if (r == CARD_READ_GONE) {
        /* the card moved: the CAN stays for "try again" */
        s->data.card_error = CARD_ERROR_GONE;
        return;
    }
    explicit_bzero(s->data.can, sizeof s->data.can); /* no retry with these digits */
    if (r == CARD_READ_WRONG_CAN && s->data.card_mrz && a->tries != 0) {
        /* the passport's details do not open it: the citizen checks them (kept for that) */
        s->data.card_error = CARD_ERROR_WRONG_MRZ;
        s->data.card_tries = a->tries < 0 ? -1 : a->tries;
        s->screen = SCREEN_CARD_MRZ_NUMBER;
        return;
    }
    /* no retry with the passport's details either */
    s->data.card_mrz = false;
    explicit_bzero(s->data.mrz_number, sizeof s->data.mrz_number);
    explicit_bzero(s->data.mrz_birth, sizeof s->data.mrz_birth);
    explicit_bzero(s->data.mrz_expiry, sizeof s->data.mrz_expiry);
    if (r == CARD_READ_OK && a->card) {
        card_identity c = {.birth = a->card->birth};
        card_clean(c.given, sizeof c.given, a->card->given, sizeof a->card->given);
        card_clean(c.surname, sizeof c.surname, a->card->surname, sizeof a->card->surname);
        c.pa = a->card->pa == CARD_PA_VERIFIED         ? CARD_PA_VERIFIED
               : a->card->pa == CARD_PA_NOT_VERIFIABLE ? CARD_PA_NOT_VERIFIABLE
                                                       : CARD_PA_FAILED;
        if (c.given[0] || c.surname[0]) {
            s->data.card = c;
            s->data.card_read = true;
            s->data.card_error = CARD_ERROR_NONE;
            s->screen = SCREEN_CARD_CONFIRM;
            explicit_bzero(&c, sizeof c);
            return;
        }
        explicit_bzero(&c, sizeof c);
        r = CARD_READ_UNREADABLE; /* no name on it */
    }
    if (r == CARD_READ_WRONG_CAN) {
        s->data.card_error = CARD_ERROR_WRONG_CAN;
        s->data.card_tries = a->tries < 0 ? -1 : a->tries;
        s->screen = SCREEN_CARD_CAN;
        return;
    }
    s->data.card_error = CARD_ERROR_UNREADABLE; /* blocked, unreadable, or no name */
}

static const char *const name_prefixes[] = {"DE",  "DEN", "DER", "HET", "TE",  "TEN", "TER",
                                            "VAN", "VON", "IN",  "OP",  "UIT", "AAN", "BIJ"};

static bool is_prefix_word(const char *w, size_t n)
{
    for (size_t i = 0; i < sizeof name_prefixes / sizeof *name_prefixes; i++)
        if (strlen(name_prefixes[i]) == n && memcmp(name_prefixes[i], w, n) == 0)
            return true;
    return false;
}

/* Appends `src` word by word: first letter capital, the rest small; in the surname, the
 * leading prefix words ("DE", "VAN DER") in small letters when a word follows them. */
static size_t append_words(char *buf, size_t cap, size_t n, const char *src, bool surname)
{
    bool leading = surname;
    for (const char *p = src; *p;) {
        while (*p == ' ')
            p++;
        size_t w = 0;
        while (p[w] && p[w] != ' ')
            w++;
        if (!w)
            break;
        bool last = p[w] == '\0' || p[w + strspn(p + w, " ")] == '\0';
        bool small = leading && !last && is_prefix_word(p, w);
        if (!small)
            leading = false;
        if (n > 0 && n + 1 < cap)
            buf[n++] = ' ';
        for (size_t i = 0; i < w && n + 1 < cap; i++) {
            char ch = p[i];
            bool up = i == 0 && !small;
            if (up && ch >= 'a' && ch <= 'z')
                ch = (char)(ch - 'a' + 'A');
            if (!up && ch >= 'A' && ch <= 'Z')
                ch = (char)(ch - 'A' + 'a');
            buf[n++] = ch;
        }
        p += w;
    }
    buf[n < cap ? n : cap - 1] = '\0';
    return n;
}

void card_display_name(const card_identity *c, char *buf, size_t cap)
{
    if (!cap)
        return;
    buf[0] = '\0';
    size_t n = append_words(buf, cap, 0, c->given, false);
    /* without given names, the surname starts the name: "De Bruijn" */
    append_words(buf, cap, n, c->surname, n > 0);
}

static void go_back(session *s, effects *out)
{
    switch (s->screen) {
    case SCREEN_STAFF_PIN:
    case SCREEN_STAFF_VIEW:
        /* the employee is done looking: back to the citizen's screen */
        explicit_bzero(s->data.staff_pin, sizeof s->data.staff_pin);
        s->data.staff_checking = false;
        s->data.staff_error = STAFF_ERROR_NONE;
        s->screen = s->data.staff_return;
        break;
    case SCREEN_EVENTS:
        end_session(s, END_ABANDONED, SCREEN_WELCOME, out);
        break;
    case SCREEN_QUESTION:
    case SCREEN_OVERVIEW:
        if (s->data.history_len > 0) {
            int prev = s->data.history[--s->data.history_len];
            enter_question(s, prev);
        } else {
            s->data.j.event = -1;
            s->data.question = -1;
            s->screen = SCREEN_EVENTS;
        }
        break;
    case SCREEN_NEXT_STEP:
        s->screen = SCREEN_OVERVIEW;
        break;
    case SCREEN_CONSENT:
        s->screen = SCREEN_NEXT_STEP;
        break;
    case SCREEN_CONTACT:
        s->screen = SCREEN_CONSENT;
        break;
    case SCREEN_PHONE:
        if (s->data.callback_entry) { /* no call-back after all: back to the message */
            s->data.callback_entry = false;
            s->screen = s->data.callback_return;
            s->data.handoff_shown = true;
            break;
        }
        s->screen = SCREEN_CONTACT;
        break;
    case SCREEN_EMAIL:
        s->screen = SCREEN_CONTACT;
        break;
    case SCREEN_SUMMARY:
        s->screen = s->data.contact == SESSION_CONTACT_CALLBACK ? SCREEN_PHONE
                    : s->data.contact == SESSION_CONTACT_EMAIL  ? SCREEN_EMAIL
                                                                : SCREEN_CONTACT;
        break;
    case SCREEN_CARD_MRZ_EXPIRY:
        s->screen = SCREEN_CARD_MRZ_BIRTH;
        break;
    case SCREEN_CARD_MRZ_BIRTH:
        s->screen = SCREEN_CARD_MRZ_NUMBER;
        break;
    case SCREEN_CARD_MRZ_NUMBER:
        /* back to the 6 digits: the passport's details are forgotten */
        card_wipe(s);
        s->screen = SCREEN_CARD_CAN;
        break;
    case SCREEN_CARD_CAN:
    case SCREEN_CARD_READING:
    case SCREEN_CARD_CONFIRM:
        /* back to the summary: the CAN and what the card said are forgotten */
        card_wipe(s);
        s->screen = SCREEN_SUMMARY;
        break;
    case SCREEN_NAME_SURNAME:
        s->screen = SCREEN_NAME_GIVEN;
        s->data.name_shift = s->data.name_given[0] == '\0';
        break;
    case SCREEN_NAME_GIVEN:
        /* changing a name typed before: it stays as it is now (if there is one); else it was
         * not typed after all */
        if (!s->data.name_used || !s->data.name_given[0] || !s->data.name_surname[0])
            name_wipe(s);
        s->data.name_shift = false;
        s->screen = SCREEN_SUMMARY;
        break;
    case SCREEN_GOODBYE:
        end_session(s, END_DONE, SCREEN_WELCOME, out);
        break;
    default:
        break;
    }
}

static bool is_user_action(action_kind k)
{
    return k != ACT_TICK && k != ACT_HANDOFF_RESULT && k != ACT_HANDOFF_STORED && k != ACT_DUTY &&
           k != ACT_STAFF_PIN_RESULT && k != ACT_PRINT_RESULT && k != ACT_REFERENCE &&
           k != ACT_INTAKE_RESULT && k != ACT_CARD_RESULT && k != ACT_CARD_PROGRESS;
}

static void tick(session *s, const action *a, effects *out)
{
    if (a->now_ms > s->now_ms)
        s->now_ms = a->now_ms;
    if (date_valid(a->today) && date_cmp(a->today, s->today) != 0) {
        s->today = a->today;
        s->version++;
    }
    if (s->screen == SCREEN_GOODBYE) {
        if (s->now_ms >= s->goodbye_until_ms)
            end_session(s, END_DONE, SCREEN_WELCOME, out);
        return;
    }
    if (!has_citizen(s))
        return;
    if (!s->warning && s->now_ms - s->last_input_ms >= session_idle_ms(s)) {
        s->warning = true;
        s->warning_until_ms = s->now_ms + session_warning_ms(s);
    } else if (s->warning && s->now_ms >= s->warning_until_ms) {
        end_session(s, END_TIMEOUT, SCREEN_WELCOME, out);
    }
}

void session_apply(session *s, const action *a, effects *out)
{
    uint32_t before = s->version;
    session_data old_visible = s->data; /* compared below to bump the version */
    access_prefs old_access = s->access;
    screen_id old_screen = s->screen;
    bool old_warning = s->warning;
    int old_left = session_warning_seconds_left(s);

    if (a->kind == ACT_CARD_REMOVED) {
        /* taking a card away (as one leaves) is not a sign of being here */
        s->card = CARD_NONE;
        goto done;
    }
    if (is_user_action(a->kind)) {
        /* While the warning shows, only "still here" and hand-off count: a stray touch on the
         * dimmed screen behind it must not silently extend the session. */
        if (s->warning && a->kind != ACT_STILL_HERE && a->kind != ACT_HANDOFF &&
            a->kind != ACT_CARD_PRESENT)
            goto done;
        s->last_input_ms = s->now_ms;
    }
    const life_event *e = session_event(s);

    switch (a->kind) {
    case ACT_TICK:
        tick(s, a, out);
        break;
    case ACT_INPUT:
        break;
    case ACT_SET_LANG:
        if ((unsigned)a->arg < LANG_COUNT && (s->cfg.languages & (1u << a->arg)))
            s->data.j.lang = (lang_id)a->arg;
        s->data.lang_menu = false;
        break;
    case ACT_LANG_MENU:
        s->data.lang_menu = !s->data.lang_menu;
        break;
    case ACT_START:
        if (s->screen == SCREEN_WELCOME)
            s->screen = SCREEN_EVENTS;
        break;
    case ACT_CHOOSE_EVENT:
        if (s->screen == SCREEN_EVENTS && s->content && a->arg >= 0 &&
            a->arg < s->content->n_events) {
            lang_id lang = s->data.j.lang;
            handoff_status h = s->data.handoff;
            uint32_t hr = s->data.handoff_request;
            bool hc = s->data.handoff_callback;
            char hn[sizeof s->data.handoff_number];
            memcpy(hn, s->data.handoff_number, sizeof hn);
            data_reset(s);
            s->data.j.lang = lang;
            s->data.handoff = h;
            s->data.handoff_request = hr;
            s->data.handoff_callback = hc;
            memcpy(s->data.handoff_number, hn, sizeof hn);
            s->data.j.event = a->arg;
            e = session_event(s);
            enter_question(s, flow_next_question(e, s->data.j.answers, 0));
        }
        break;
    case ACT_ANSWER:
        if (s->screen == SCREEN_QUESTION && e && s->data.question >= 0 &&
            s->data.question < e->n_questions) {
            const question *q = &e->questions[s->data.question];
            if (a->arg < 0 || a->arg >= question_n_options(q))
                break;
            if (q->kind == QUESTION_DATE && a->arg == DATE_KNOWN)
                break; /* a known date comes with ACT_PICK_DATE */
            s->data.j.answers[s->data.question] = a->arg;
            s->data.j.dates[s->data.question] = (civil_date){0, 0, 0};
            advance(s, s->data.question);
        }
        break;
    case ACT_PICK_DATE:
        if (s->screen == SCREEN_QUESTION && e && s->data.question >= 0 &&
            e->questions[s->data.question].kind == QUESTION_DATE && date_valid(a->today)) {
            s->data.j.answers[s->data.question] = DATE_KNOWN;
            s->data.j.dates[s->data.question] = a->today;
            advance(s, s->data.question);
        }
        break;
    case ACT_PICKER_MONTH:
        if (s->screen == SCREEN_QUESTION && (a->arg == 1 || a->arg == -1)) {
            civil_date m =
                date_add_months((civil_date){s->data.picker_y, s->data.picker_m, 1}, a->arg);
            /* two years either way is plenty for life events and keeps the picker finite */
            long months = (long)(m.y - s->today.y) * 12 + (m.m - s->today.m);
            if (months >= -24 && months <= 24) {
                s->data.picker_y = m.y;
                s->data.picker_m = m.m;
            }
        }
        break;
    case ACT_BACK:
        go_back(s, out);
        break;
    case ACT_SCROLL:
        if (s->screen == SCREEN_OVERVIEW || s->screen == SCREEN_EVENTS) {
            /* overview: a page per group at most; life events (large text on a small band):
             * a page per event at most; the screen shows the last page it has */
            int v = s->data.scroll + (a->arg > 0 ? 1 : -1);
            int n = s->screen == SCREEN_OVERVIEW ? s->data.ov.n_groups
                    : s->content                 ? s->content->n_events
                                                 : 0;
            if (v >= 0 && v < n)
                s->data.scroll = v;
        }
        break;
    case ACT_DETAILS:
        if (s->screen == SCREEN_OVERVIEW) {
            s->data.details = !s->data.details;
            s->data.scroll = 0;
        }
        break;
    case ACT_TO_NEXT_STEP:
        if (s->screen == SCREEN_OVERVIEW)
            s->screen = SCREEN_NEXT_STEP;
        break;
    case ACT_PRINT: {
        /* the overview's slip; or, once a call-back is asked for, a slip with its number */
        bool callback_slip = s->data.handoff_shown &&
                             (s->data.handoff == HANDOFF_SENT ||
                              (s->data.handoff == HANDOFF_FAILED && s->cfg.handoff_queued)) &&
                             s->data.handoff_callback && s->data.handoff_number[0];
        if (((s->screen == SCREEN_NEXT_STEP || s->screen == SCREEN_OVERVIEW) && e) ||
            callback_slip) {
            if (s->data.print == PRINT_BUSY || s->data.print == PRINT_UNAVAILABLE)
                break;
            s->data.print = PRINT_BUSY;
            s->data.print_request = s->next_request++;
            effect fx = {
                .kind = EFFECT_PRINT, .request = s->data.print_request, .journey = snapshot(s)};
            if (callback_slip && !fx.journey.reference[0])
                memcpy(fx.journey.reference, s->data.handoff_number, sizeof fx.journey.reference);
            push(out, fx);
        }
        break;
    }
    case ACT_DONE:
        if (has_citizen(s) && s->screen != SCREEN_GOODBYE) {
            /* everything is wiped, but goodbye is said in the citizen's language; the welcome
             * screen after it starts in the default language again */
            lang_id lang = s->data.j.lang;
            access_prefs access = s->access; /* goodbye is read aloud too, then reset */
            end_session(s, END_DONE, SCREEN_GOODBYE, out);
            s->data.j.lang = lang;
            s->access = access;
            s->access.menu = 0;
            s->goodbye_until_ms = s->now_ms + s->cfg.goodbye_ms;
        }
        break;
    case ACT_RESTART:
        if (s->screen == SCREEN_GOODBYE)
            end_session(s, END_DONE, SCREEN_WELCOME, out);
        break;
    case ACT_HANDOFF:
        /* Out of hours nobody can come: the message offers a call-back instead. A request
         * already on its way or answered is shown again, not made twice. */
        if (s->data.handoff != HANDOFF_SENDING && s->data.handoff != HANDOFF_SENT && !s->off_duty) {
            s->data.handoff = HANDOFF_SENDING;
            s->data.handoff_request = s->next_request++;
            s->data.handoff_callback = false;
            explicit_bzero(s->data.handoff_number, sizeof s->data.handoff_number);
            push(out, (effect){.kind = EFFECT_HANDOFF,
                               .request = s->data.handoff_request,
                               .journey = snapshot(s),
                               .consent = s->data.consent & session_overview_orgs(s)});
            /* A citizen who has ticked who may get the story and then asks for help does not
             * lose it: the intake so far goes to the outbox too. Without a tick nothing goes
             * to the case register; the employee on site hears it from the hand-off. */
            if (e && s->data.j.reference[0] && (s->data.consent & session_overview_orgs(s)) &&
                s->data.intake != INTAKE_SAVED && s->data.intake != INTAKE_SAVING)
                push_intake(s, out);
        }
        s->data.handoff_shown = true;
        s->data.lang_menu = false;
        if (s->screen == SCREEN_GOODBYE) {
            /* the citizen still wants help: keep the session until someone comes */
            s->screen = SCREEN_WELCOME;
        }
        break;
    case ACT_HANDOFF_CLOSE:
        s->data.handoff_shown = false;
        if (s->data.handoff == HANDOFF_FAILED) {
            /* the citizen was sent to the desk: a warm hand-off still waiting in the outbox is
             * taken back (it would reach the desk too late); a call-back is kept, it is not
             * in a hurry */
            if (!s->data.handoff_callback && s->data.handoff_number[0] && s->cfg.handoff_queued) {
                effect fx = {.kind = EFFECT_HANDOFF_CANCEL,
                             .request = s->data.handoff_request,
                             .close = CLOSE_UNDELIVERED};
                memcpy(fx.number, s->data.handoff_number, sizeof fx.number);
                push(out, fx);
                explicit_bzero(s->data.handoff_number, sizeof s->data.handoff_number);
            }
            if (!s->data.handoff_callback || !s->cfg.handoff_queued)
                s->data.handoff = HANDOFF_NONE; /* the button asks again next time */
        }
        break;
    case ACT_HANDOFF_STORED:
        if (s->data.handoff == HANDOFF_SENDING && (uint32_t)a->arg == s->data.handoff_request &&
            a->value > 0 && a->value < 10000000000ull)
            snprintf(s->data.handoff_number, sizeof s->data.handoff_number, "%010llu",
                     (unsigned long long)a->value);
        break;
    case ACT_HANDOFF_CANCEL:
        if ((s->data.handoff == HANDOFF_SENDING || s->data.handoff == HANDOFF_SENT) &&
            !s->data.handoff_callback) {
            if (s->data.handoff_number[0]) {
                effect fx = {.kind = EFFECT_HANDOFF_CANCEL, .request = s->data.handoff_request};
                memcpy(fx.number, s->data.handoff_number, sizeof fx.number);
                push(out, fx);
            }
            s->data.handoff = HANDOFF_NONE;
            explicit_bzero(s->data.handoff_number, sizeof s->data.handoff_number);
            s->data.handoff_shown = false;
        }
        break;
    case ACT_DUTY:
        s->off_duty = a->arg == 0;
        break;
    case ACT_CALLBACK_START:
        if (s->off_duty && s->data.handoff_shown && s->data.handoff != HANDOFF_SENDING &&
            s->data.handoff != HANDOFF_SENT && s->screen != SCREEN_PHONE &&
            s->screen != SCREEN_GOODBYE) {
            s->data.callback_entry = true;
            s->data.callback_return = s->screen;
            s->data.handoff_shown = false;
            s->screen = SCREEN_PHONE;
        }
        break;
    case ACT_STILL_HERE:
        if (s->warning && (s->cfg.max_extensions == 0 || s->extensions < s->cfg.max_extensions)) {
            s->extensions++;
            s->warning = false;
        }
        break;
    case ACT_CARD_PRESENT:
        /* Somebody tapped a card: they are here (also "still here" under the warning). A
         * staff badge during a citizen's session asks for its PIN, then shows the employee
         * what the citizen told the kiosk. A library pass laid on the summary (not to answer
         * the warning) gives its number to send with the story (library passes on). */
        if (a->arg == CARD_LIBRARY_PASS && !s->warning && library_wanted(s) &&
            library_number_ok(a->text))
            snprintf(s->data.library_number, sizeof s->data.library_number, "%s", a->text);
        s->card =
            a->arg == CARD_ID_DOCUMENT || a->arg == CARD_STAFF ? (card_kind)a->arg : CARD_OTHER;
        if (s->warning)
            s->warning = false;
        if (s->card == CARD_STAFF && has_citizen(s) && s->screen != SCREEN_GOODBYE &&
            s->screen != SCREEN_OUT_OF_ORDER && s->screen != SCREEN_STAFF_PIN &&
            s->screen != SCREEN_STAFF_VIEW) {
            s->data.staff_return = s->screen;
            s->screen = SCREEN_STAFF_PIN;
            s->data.staff_error = STAFF_ERROR_NONE;
            explicit_bzero(s->data.staff_pin, sizeof s->data.staff_pin);
            s->data.handoff_shown = false;
            s->data.lang_menu = false;
            s->access.menu = 0;
        }
        break;
    case ACT_STAFF_PIN_DONE:
        if (s->screen == SCREEN_STAFF_PIN && !s->data.staff_checking &&
            strlen(s->data.staff_pin) >= SESSION_PIN_MIN &&
            s->data.staff_error != STAFF_ERROR_LOCKED &&
            s->data.staff_error != STAFF_ERROR_NO_PIN) {
            effect fx = {.kind = EFFECT_STAFF_PIN, .request = s->next_request++};
            memcpy(fx.pin, s->data.staff_pin, sizeof fx.pin);
            s->data.staff_request = fx.request;
            s->data.staff_checking = true;
            explicit_bzero(s->data.staff_pin, sizeof s->data.staff_pin);
            push(out, fx);
            explicit_bzero(&fx, sizeof fx);
        }
        break;
    case ACT_STAFF_PIN_RESULT:
        if (s->screen == SCREEN_STAFF_PIN && s->data.staff_checking &&
            (uint32_t)a->arg == s->data.staff_request) {
            s->data.staff_checking = false;
            if (a->ok) {
                s->data.staff_error = STAFF_ERROR_NONE;
                s->screen = SCREEN_STAFF_VIEW;
            } else {
                s->data.staff_error = a->tries == STAFF_TRIES_NO_PIN ? STAFF_ERROR_NO_PIN
                                      : a->tries > 0                 ? STAFF_ERROR_WRONG
                                                                     : STAFF_ERROR_LOCKED;
                s->data.staff_tries = a->tries;
            }
        }
        break;
    case ACT_STAFF_PICKUP:
        if (s->screen == SCREEN_STAFF_VIEW &&
            (s->data.handoff == HANDOFF_SENDING || s->data.handoff == HANDOFF_SENT ||
             s->data.handoff == HANDOFF_FAILED) &&
            !s->data.handoff_callback) {
            if (s->data.handoff_number[0]) {
                effect fx = {.kind = EFFECT_HANDOFF_CANCEL,
                             .request = s->data.handoff_request,
                             .close = CLOSE_PICKED_UP};
                memcpy(fx.number, s->data.handoff_number, sizeof fx.number);
                push(out, fx);
            }
            s->data.handoff = HANDOFF_NONE;
            s->data.handoff_picked = true;
            explicit_bzero(s->data.handoff_number, sizeof s->data.handoff_number);
        }
        break;
    case ACT_LIBRARY_REMOVE:
        if (s->screen == SCREEN_SUMMARY)
            explicit_bzero(s->data.library_number, sizeof s->data.library_number);
        break;
    case ACT_CARD_REMOVED:
        break; /* handled above */
    case ACT_HANDOFF_RESULT:
        /* a request that did not arrive at first stays queued: when it arrives after all,
         * the screen says so */
        if ((uint32_t)a->arg == s->data.handoff_request &&
            (s->data.handoff == HANDOFF_SENDING || (s->data.handoff == HANDOFF_FAILED && a->ok)))
            s->data.handoff = a->ok ? HANDOFF_SENT : HANDOFF_FAILED;
        break;
    case ACT_PRINT_RESULT:
        if (s->data.print == PRINT_BUSY && (uint32_t)a->arg == s->data.print_request)
            s->data.print = !a->ok ? PRINT_FAILED : a->value == 1 ? PRINT_UNCONFIRMED : PRINT_DONE;
        break;
    case ACT_SHARE:
        if (s->screen == SCREEN_NEXT_STEP && e && s->data.j.reference[0] &&
            s->data.intake != INTAKE_SAVED && s->data.intake != INTAKE_SAVING)
            s->screen = SCREEN_CONSENT;
        break;
    case ACT_CONSENT_TOGGLE:
        if (s->screen == SCREEN_CONSENT && a->arg >= 0 && a->arg < 64 &&
            (session_overview_orgs(s) >> a->arg & 1))
            s->data.consent ^= 1ull << a->arg;
        break;
    case ACT_CONSENT_DONE:
        if (s->screen == SCREEN_CONSENT && (s->data.consent & session_overview_orgs(s)))
            s->screen = SCREEN_CONTACT;
        break;
    case ACT_CONTACT:
        if (s->screen == SCREEN_CONTACT && a->arg >= SESSION_CONTACT_NONE &&
            a->arg <= SESSION_CONTACT_DESK) {
            s->data.contact = a->arg;
            /* only the detail of the chosen way is kept */
            if (a->arg != SESSION_CONTACT_CALLBACK)
                explicit_bzero(s->data.phone, sizeof s->data.phone);
            if (a->arg != SESSION_CONTACT_EMAIL)
                explicit_bzero(s->data.email, sizeof s->data.email);
            s->screen = a->arg == SESSION_CONTACT_CALLBACK ? SCREEN_PHONE
                        : a->arg == SESSION_CONTACT_EMAIL  ? SCREEN_EMAIL
                                                           : SCREEN_SUMMARY;
        }
        break;
    case ACT_KEY_DIGIT:
        if (s->screen == SCREEN_PHONE && a->arg >= 0 && a->arg <= 10) {
            size_t n = strlen(s->data.phone);
            if (n < SESSION_PHONE_MAX && (a->arg < 10 || n == 0))
                s->data.phone[n] = a->arg == 10 ? '+' : (char)('0' + a->arg);
        } else if (s->screen == SCREEN_STAFF_PIN && a->arg >= 0 && a->arg <= 9 &&
                   !s->data.staff_checking) {
            size_t n = strlen(s->data.staff_pin);
            if (n < SESSION_PIN_MAX)
                s->data.staff_pin[n] = (char)('0' + a->arg);
        } else if (s->screen == SCREEN_CARD_CAN && a->arg >= 0 && a->arg <= 9) {
            size_t n = strlen(s->data.can);
            if (n < SESSION_CAN_DIGITS)
                s->data.can[n] = (char)('0' + a->arg);
        } else if ((s->screen == SCREEN_CARD_MRZ_BIRTH || s->screen == SCREEN_CARD_MRZ_EXPIRY) &&
                   a->arg >= 0 && a->arg <= 9) {
            char *t = s->screen == SCREEN_CARD_MRZ_BIRTH ? s->data.mrz_birth : s->data.mrz_expiry;
            size_t n = strlen(t);
            if (n < SESSION_DATE_DIGITS)
                t[n] = (char)('0' + a->arg);
        }
        break;
    case ACT_KEY_ERASE: {
        char *t = s->screen == SCREEN_PHONE             ? s->data.phone
                  : s->screen == SCREEN_EMAIL           ? s->data.email
                  : s->screen == SCREEN_CARD_CAN        ? s->data.can
                  : s->screen == SCREEN_CARD_MRZ_NUMBER ? s->data.mrz_number
                  : s->screen == SCREEN_CARD_MRZ_BIRTH  ? s->data.mrz_birth
                  : s->screen == SCREEN_CARD_MRZ_EXPIRY ? s->data.mrz_expiry
                  : s->screen == SCREEN_STAFF_PIN       ? s->data.staff_pin
                                                        : name_field(s);
        size_t n = t ? strlen(t) : 0;
        while (n > 0 && ((unsigned char)t[n - 1] & 0xC0) == 0x80)
            t[--n] = '\0'; /* a letter of two bytes goes whole */
        if (n > 0)
            t[n - 1] = '\0';
        if (name_field(s)) {
            n = strlen(t);
            s->data.name_shift =
                n == 0 || (s->screen == SCREEN_NAME_GIVEN && (t[n - 1] == ' ' || t[n - 1] == '-'));
        }
        break;
    }
    case ACT_KEY_CHAR:
        key_char(s, a->arg);
        break;
    case ACT_KEY_TYPED:
        key_typed(s, a->text);
        break;
    case ACT_EMAIL_DONE:
        if (s->screen == SCREEN_EMAIL && session_email_complete(s))
            s->screen = SCREEN_SUMMARY;
        break;
    case ACT_PHONE_DONE:
        if (s->screen == SCREEN_PHONE && session_phone_complete(s) && s->data.callback_entry) {
            /* the call-back request: back where the citizen was, with the message */
            s->data.callback_entry = false;
            s->screen = s->data.callback_return;
            s->data.handoff = HANDOFF_SENDING;
            s->data.handoff_request = s->next_request++;
            s->data.handoff_callback = true;
            s->data.handoff_shown = true;
            explicit_bzero(s->data.handoff_number, sizeof s->data.handoff_number);
            effect fx = {.kind = EFFECT_HANDOFF,
                         .request = s->data.handoff_request,
                         .journey = snapshot(s),
                         .consent = s->data.consent & session_overview_orgs(s),
                         .callback = true};
            memcpy(fx.phone, s->data.phone, sizeof fx.phone);
            push(out, fx);
        } else if (s->screen == SCREEN_PHONE && session_phone_complete(s)) {
            s->screen = SCREEN_SUMMARY;
        }
        break;
    case ACT_SEND_INTAKE:
        if (s->screen == SCREEN_SUMMARY) {
            /* sent already (it went along with a call for help): the screen says so */
            if (s->data.intake != INTAKE_SAVING && s->data.intake != INTAKE_SAVED)
                push_intake(s, out);
            s->screen = SCREEN_NEXT_STEP;
        }
        break;
    case ACT_CARD_START:
        if (s->screen == SCREEN_SUMMARY && !s->data.card_used && !s->data.name_used) {
            card_wipe(s);
            s->screen = SCREEN_CARD_CAN;
        }
        break;
    case ACT_CAN_DONE:
        /* from the keypad with 6 digits, or "try again" after the card moved (with the CAN or
         * the passport's details, whichever the read had) */
        if (s->screen == SCREEN_CARD_READING && s->data.card_error == CARD_ERROR_GONE &&
            s->data.card_mrz)
            card_start_read(s, out);
        else if (((s->screen == SCREEN_CARD_CAN) ||
                  (s->screen == SCREEN_CARD_READING && s->data.card_error == CARD_ERROR_GONE)) &&
                 strlen(s->data.can) == SESSION_CAN_DIGITS)
            card_start_read(s, out);
        break;
    case ACT_CARD_MRZ:
        /* no 6 digits on the card (or it asked for them): the passport's details instead */
        if (s->screen == SCREEN_CARD_CAN) {
            explicit_bzero(s->data.can, sizeof s->data.can);
            s->data.card_error = CARD_ERROR_NONE;
            s->data.card_tries = 0;
            s->screen = SCREEN_CARD_MRZ_NUMBER;
        }
        break;
    case ACT_MRZ_NEXT:
        if (!session_mrz_complete(s))
            break;
        if (s->screen == SCREEN_CARD_MRZ_NUMBER) {
            s->screen = SCREEN_CARD_MRZ_BIRTH;
        } else if (s->screen == SCREEN_CARD_MRZ_BIRTH) {
            s->screen = SCREEN_CARD_MRZ_EXPIRY;
        } else if (s->screen == SCREEN_CARD_MRZ_EXPIRY && docnr_valid(s->data.mrz_number) &&
                   typed_date(s->data.mrz_birth).y) {
            s->data.card_mrz = true;
            explicit_bzero(s->data.can, sizeof s->data.can);
            card_start_read(s, out);
        }
        break;
    case ACT_NAME_START:
        if (s->screen == SCREEN_SUMMARY && s->data.name_used && a->arg == 1) {
            /* change the name typed: the same screens, with what was typed */
            s->data.name_shift = false;
            s->screen = SCREEN_NAME_GIVEN;
            break;
        }
        /* type my name: from the summary, a card that cannot be read, one not shown genuine */
        if ((s->screen == SCREEN_SUMMARY && !s->data.card_used) ||
            (s->screen == SCREEN_CARD_READING && s->data.card_error == CARD_ERROR_UNREADABLE) ||
            (s->screen == SCREEN_CARD_CONFIRM && s->data.card.pa != CARD_PA_VERIFIED) ||
            s->screen == SCREEN_CARD_CAN || s->screen == SCREEN_CARD_MRZ_NUMBER) {
            card_wipe(s);
            name_wipe(s);
            s->data.name_shift = true;
            s->screen = SCREEN_NAME_GIVEN;
        }
        break;
    case ACT_NAME_NEXT:
        if (s->screen == SCREEN_NAME_GIVEN && session_name_complete(s)) {
            s->screen = SCREEN_NAME_SURNAME;
            s->data.name_shift = s->data.name_surname[0] == '\0';
        } else if (s->screen == SCREEN_NAME_SURNAME && session_name_complete(s)) {
            s->data.name_used = true;
            s->data.name_shift = false;
            s->screen = SCREEN_SUMMARY;
        }
        break;
    case ACT_NAME_SHIFT:
        if (name_field(s))
            s->data.name_shift = !s->data.name_shift;
        break;
    case ACT_CARD_RESULT:
        card_result(s, a);
        break;
    case ACT_CARD_PROGRESS:
        if (s->screen == SCREEN_CARD_READING && s->data.card_reading &&
            (uint32_t)a->arg == s->data.card_request && a->value <= CARD_READ_STEPS)
            s->data.card_step = (int)a->value;
        break;
    case ACT_CARD_USE:
        /* only a card checked as genuine fills in the name */
        if (s->screen == SCREEN_CARD_CONFIRM && s->data.card_read &&
            s->data.card.pa == CARD_PA_VERIFIED) {
            s->data.card_used = true;
            s->screen = SCREEN_SUMMARY;
        }
        break;
    case ACT_CARD_SKIP:
        /* no thanks, continue without; on the summary: take the name off again */
        if (s->screen == SCREEN_CARD_CAN || s->screen == SCREEN_CARD_READING ||
            s->screen == SCREEN_CARD_CONFIRM || s->screen == SCREEN_SUMMARY ||
            s->screen == SCREEN_CARD_MRZ_NUMBER || s->screen == SCREEN_CARD_MRZ_BIRTH ||
            s->screen == SCREEN_CARD_MRZ_EXPIRY || s->screen == SCREEN_NAME_GIVEN ||
            s->screen == SCREEN_NAME_SURNAME) {
            card_wipe(s);
            name_wipe(s);
            s->screen = SCREEN_SUMMARY;
        }
        break;
    case ACT_INTAKE_RESULT:
        if (s->data.intake == INTAKE_SAVING && (uint32_t)a->arg == s->data.intake_request)
            s->data.intake = a->ok ? INTAKE_SAVED : INTAKE_FAILED;
        break;
    case ACT_ACCESS_MENU:
        s->access.menu = a->arg == 1 || a->arg == 2 ? a->arg : s->access.menu ? 0 : 1;
        s->data.lang_menu = false;
        break;
    case ACT_SPEECH:
        s->access.speech = s->cfg.has_speech && (a->arg < 0 ? !s->access.speech : a->arg != 0);
        break;
    case ACT_SPEECH_RATE:
        s->access.rate =
            clampi(s->access.rate + (a->arg < 0 ? -1 : 1), ACCESS_RATE_MIN, ACCESS_RATE_MAX);
        break;
    case ACT_SPEECH_VOLUME:
        s->access.volume =
            clampi(s->access.volume + (a->arg < 0 ? -1 : 1), 0, ACCESS_VOLUME_LEVELS - 1);
        break;
    case ACT_SPEECH_LANG:
        s->access.speech_lang = a->arg >= 0 && a->arg < LANG_COUNT ? a->arg : -1;
        break;
    case ACT_SPEECH_REPEAT:
    case ACT_SPEECH_SLIP:
        if (s->access.speech)
            push(out, (effect){.kind = EFFECT_SPEECH,
                               .speech = a->kind == ACT_SPEECH_SLIP ? SPEECH_SLIP : SPEECH_REPEAT,
                               .journey = snapshot(s)});
        break;
    case ACT_HEADSET:
        s->access.headset = !s->access.headset;
        break;
    case ACT_LARGE_TEXT:
        s->access.large_text = !s->access.large_text;
        break;
    case ACT_HIGH_CONTRAST:
        s->access.high_contrast = !s->access.high_contrast;
        break;
    case ACT_LOW_REACH:
        s->access.low_reach = !s->access.low_reach;
        break;
    case ACT_REFERENCE:
        if (s->data.reference_asked && !s->data.j.reference[0] && a->ok &&
            a->value < 10000000000ull) {
            char digits[16];
            snprintf(digits, sizeof digits, "%010llu", (unsigned long long)a->value);
            memcpy(s->data.j.reference, digits, sizeof s->data.j.reference);
        }
        break;
    }
    /* the citizen has an overview now: the case gets its reference number (once a session) */
    if (s->screen == SCREEN_OVERVIEW && !s->data.reference_asked) {
        s->data.reference_asked = true;
        push(out, (effect){.kind = EFFECT_REFERENCE});
    }

done:
    if (s->screen != old_screen || s->warning != old_warning ||
        session_warning_seconds_left(s) != old_left ||
        memcmp(&old_visible, &s->data, sizeof old_visible) != 0 ||
        memcmp(&old_access, &s->access, sizeof old_access) != 0)
        s->version = before + 1;
    explicit_bzero(&old_visible, sizeof old_visible);
}

uint64_t session_overview_orgs(const session *s)
{
    uint64_t mask = 0;
    for (int g = 0; g < s->data.ov.n_groups; g++)
        if (s->data.ov.groups[g].org >= 0 && s->data.ov.groups[g].org < 64)
            mask |= 1ull << s->data.ov.groups[g].org;
    return mask;
}

/* The rules are the intake's: what the case service will accept. */
bool session_phone_complete(const session *s)
{
    char digits[SESSION_PHONE_MAX + 1];
    return intake_phone_valid(s->data.phone, digits, sizeof digits);
}

bool session_email_complete(const session *s)
{
    return intake_email_valid(s->data.email);
}

int session_warning_seconds_left(const session *s)
{
    if (!s->warning || s->warning_until_ms <= s->now_ms)
        return 0;
    return (int)((s->warning_until_ms - s->now_ms + 999) / 1000);
}

uint32_t session_next_timer_ms(const session *s)
{
    uint64_t due;
    if (s->screen == SCREEN_GOODBYE)
        due = s->goodbye_until_ms;
    else if (!has_citizen(s))
        return UINT32_MAX;
    else if (s->warning) {
        /* the countdown changes every second */
        uint64_t left = s->warning_until_ms > s->now_ms ? s->warning_until_ms - s->now_ms : 0;
        uint64_t step = left % 1000 ? left % 1000 : 1000;
        due = s->now_ms + (left < step ? left : step);
    } else
        due = s->last_input_ms + session_idle_ms(s);
    return due <= s->now_ms ? 0 : (uint32_t)(due - s->now_ms);
}
