/* The citizen's session: one state, changed only by session_apply().
 *
 * Contract: session_apply(s, action, out) is deterministic — the same state and action give the
 * same new state and effects; time comes in through ACT_TICK. It never blocks and does no I/O;
 * slow work (printing, hand-off) is asked for through effects, whose results come back as
 * actions. Everything personal lives in `s->data` and is wiped (explicit_bzero) when the
 * session ends: on "done", on the inactivity timeout, and on going back to the welcome screen. */
#ifndef LOKET_SESSION_H
#define LOKET_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "content/content.h"
#include "content/date.h"
#include "content/overview.h"
#include "core/lang.h"

typedef enum {
    SCREEN_WELCOME,
    SCREEN_EVENTS,
    SCREEN_QUESTION,
    SCREEN_OVERVIEW,
    SCREEN_NEXT_STEP,
    SCREEN_GOODBYE,
    SCREEN_OUT_OF_ORDER, /* content did not load: only the hand-off works */
    SCREEN_CONSENT,      /* who may get my story: a tick per organisation of the overview */
    SCREEN_CONTACT,      /* how the municipality may contact me */
    SCREEN_PHONE,        /* my phone number, on a keypad, for a call-back */
    SCREEN_EMAIL,        /* my e-mail address, on an on-screen keyboard */
    SCREEN_SUMMARY,      /* what will be sent; "send" */
    SCREEN_CARD_CAN,     /* the 6 digits (CAN) of the ID card, on a keypad */
    SCREEN_CARD_READING, /* "hold your card still"; or what went wrong, with a way on */
    SCREEN_CARD_CONFIRM, /* what the card says, whether it is genuine; consent to use it */
    /* the passport's details instead of the CAN (older documents), one field per screen */
    SCREEN_CARD_MRZ_NUMBER, /* the document number, on a letters-and-digits keyboard */
    SCREEN_CARD_MRZ_BIRTH,  /* the date of birth, day month year on a keypad */
    SCREEN_CARD_MRZ_EXPIRY, /* the expiry date ("geldig tot"), on a keypad */
    /* my name typed by myself (no card, or a card that cannot be read) */
    SCREEN_NAME_GIVEN,   /* given names, on a letter keyboard */
    SCREEN_NAME_SURNAME, /* surname, on a letter keyboard */
    /* an employee at the kiosk (issue 7): badge, then PIN */
    SCREEN_STAFF_PIN,  /* the badge's PIN, on a keypad */
    SCREEN_STAFF_VIEW, /* the citizen's answers, overview and consent at a glance */
    SCREEN_COUNT
} screen_id;

const char *screen_name(screen_id s);

/* Why a hand-off's task is closed from the kiosk. */
typedef enum { CLOSE_CANCELLED, CLOSE_PICKED_UP, CLOSE_UNDELIVERED } handoff_close;

/* SENDING: asked for (stored, on its way); SENT: the desk has it (someone is coming, or will
 * call back); FAILED: the desk could not be told (the request stays queued). */
typedef enum { HANDOFF_NONE, HANDOFF_SENDING, HANDOFF_SENT, HANDOFF_FAILED } handoff_status;
/* INTAKE_SAVED: committed to the outbox (on disk, encrypted); the uplink delivers it. */
typedef enum { INTAKE_NONE, INTAKE_SAVING, INTAKE_SAVED, INTAKE_FAILED } intake_status;
/* Matches contact_pref in intake/intake.h. */
enum {
    SESSION_CONTACT_NONE,
    SESSION_CONTACT_CALLBACK,
    SESSION_CONTACT_EMAIL,
    SESSION_CONTACT_DESK
};
#define SESSION_PHONE_MAX 16 /* digits, '+' first at most */
#define SESSION_EMAIL_MAX 80 /* the API's limit for a digitaal adres */
/* PRINT_UNCONFIRMED: the slip was sent, but the printer cannot say whether it came out (a
 * one-way printer that does not answer status queries). */
typedef enum {
    PRINT_NONE,
    PRINT_BUSY,
    PRINT_DONE,
    PRINT_FAILED,
    PRINT_UNAVAILABLE,
    PRINT_UNCONFIRMED
} print_status;

typedef enum {
    ACT_TICK,           /* now_ms, today: the clock moved */
    ACT_SET_LANG,       /* arg: lang_id (also closes the language menu) */
    ACT_LANG_MENU,      /* open or close the language menu */
    ACT_START,          /* welcome -> life events */
    ACT_CHOOSE_EVENT,   /* arg: event index */
    ACT_ANSWER,         /* arg: option index of the current question */
    ACT_PICK_DATE,      /* date: the day tapped in the calendar */
    ACT_PICKER_MONTH,   /* arg: -1 or +1 */
    ACT_BACK,           /* one step back */
    ACT_SCROLL,         /* arg: -1 or +1 (overview pages) */
    ACT_DETAILS,        /* overview: show or hide the explanations */
    ACT_TO_NEXT_STEP,   /* overview -> what now? */
    ACT_PRINT,          /* print my overview */
    ACT_DONE,           /* I'm done -> goodbye, session wiped */
    ACT_RESTART,        /* goodbye -> welcome now */
    ACT_HANDOFF,        /* help from an employee */
    ACT_HANDOFF_CLOSE,  /* close the hand-off message, continue */
    ACT_STILL_HERE,     /* extend the inactivity timeout */
    ACT_INPUT,          /* any other touch/key: the citizen is there */
    ACT_CARD_PRESENT,   /* arg: card_kind — a card was tapped on the reader */
    ACT_CARD_REMOVED,   /* the card was taken off */
    ACT_HANDOFF_RESULT, /* arg: request id, ok */
    ACT_PRINT_RESULT,   /* arg: request id, ok; value: 1 = sent but not confirmed */
    ACT_REFERENCE,      /* value: the case's reference number (0: none could be made) */
    ACT_SHARE,          /* what now -> who may get my story */
    ACT_CONSENT_TOGGLE, /* arg: organisation index */
    ACT_CONSENT_DONE,   /* consent -> contact */
    ACT_CONTACT,        /* arg: SESSION_CONTACT_*: call-back -> keypad, e-mail -> keyboard,
                           others -> summary */
    ACT_KEY_DIGIT,      /* arg: 0-9, or 10 for '+' */
    ACT_KEY_ERASE,      /* the last digit or letter off */
    ACT_KEY_CHAR,       /* arg: a character of an e-mail address (a-z 0-9 @ . - _ +); 1: ".nl" */
    ACT_EMAIL_DONE,     /* keyboard -> summary (when the address looks right) */
    ACT_PHONE_DONE,     /* keypad -> summary (when the number is valid) */
    ACT_SEND_INTAKE,    /* summary: send it */
    ACT_INTAKE_RESULT,  /* arg: request id, ok */
    ACT_ACCESS_MENU,    /* "adjust": arg 0 opens or closes; 1 text, contrast, reach; 2 speech */
    ACT_SPEECH,         /* read aloud: arg 1 on, 0 off, -1 switch */
    ACT_SPEECH_RATE,    /* arg: -1 slower, +1 faster */
    ACT_SPEECH_VOLUME,  /* arg: -1 softer, +1 louder */
    ACT_SPEECH_LANG,    /* arg: lang_id to read in, -1: the screen's language */
    ACT_SPEECH_REPEAT,  /* say the screen again */
    ACT_SPEECH_SLIP,    /* read out what the slip says */
    ACT_HEADSET,        /* the citizen uses a headset (personal data may be read): switch */
    ACT_LARGE_TEXT,     /* switch */
    ACT_HIGH_CONTRAST,  /* switch */
    ACT_LOW_REACH,      /* every control in the lower part of the screen: switch */
    ACT_CARD_START,     /* summary: fill in my name with my ID card -> the CAN keypad */
    ACT_CAN_DONE,       /* the 6 digits typed (or "try again" after the card moved): read */
    ACT_CARD_RESULT,
    ACT_CARD_PROGRESS,
    /* arg: request, value: step (1..CARD_READ_STEPS) of the read */ /* arg: request id; value:
     card_read_result; tries (WRONG_CAN); card (OK: copied by the session) */
    ACT_CARD_USE,   /* confirm screen: use these details (only when verified) */
    ACT_CARD_SKIP,  /* no thanks / continue without: the card's details are wiped */
    ACT_CARD_MRZ,   /* no CAN on my card: type the passport's details (document number, birth,
                       expiry) instead */
    ACT_MRZ_NEXT,   /* the MRZ field shown is complete: the next one; after the expiry: read */
    ACT_NAME_START, /* type my name myself (summary, or a card that cannot be read); arg 1 on
                       the summary: change the name typed */
    ACT_NAME_NEXT,  /* given names -> surname -> summary (the name typed is used) */
    ACT_NAME_SHIFT, /* the letter keyboard: capitals for the next letter, or not: switch */
    ACT_KEY_TYPED,  /* text: UTF-8 typed on a physical keyboard (SDL_TEXTINPUT) on a letter
                       screen (e-mail, document number, names); each character goes in as the
                       screen's own key for it would (e-mail: A-Z as a-z; document number: a-z
                       as A-Z); a character that screen's keyboard does not offer is ignored */
    /* the hand-off through the case service (issue 7) */
    ACT_HANDOFF_STORED,   /* arg: request id; value: the hand-off's number (0: none could be
                             made); the request is safe on disk and on its way */
    ACT_HANDOFF_CANCEL,   /* "not needed after all": the employee's task is closed */
    ACT_DUTY,             /* arg: 1 an employee can come now (opening hours), 0 not */
    ACT_CALLBACK_START,   /* out of hours: "call me back" -> the phone keypad */
    ACT_STAFF_PIN_DONE,   /* the employee typed the badge's PIN: check it */
    ACT_STAFF_PIN_RESULT, /* arg: request id; ok; tries: left after a wrong PIN, 0 locked */
    ACT_STAFF_PICKUP,     /* the employee takes the hand-off over: the desk's task is closed */
    ACT_LIBRARY_REMOVE,   /* summary: the library pass's number is not to be sent after all */
} action_kind;

/* What kind of card is on the reader; never which card. */
/* CARD_LIBRARY_PASS: a site's library pass (platform/nfc/nfc_library.h); CARD_STAFF: a badge
 * the roles file lists as staff. */
typedef enum { CARD_NONE, CARD_ID_DOCUMENT, CARD_OTHER, CARD_LIBRARY_PASS, CARD_STAFF } card_kind;

/* What an ID card said, as the session keeps it (personal: wiped with the session). */
#define CARD_READ_STEPS 5 /* connection, PACE, DG1, SOD, checks */
typedef enum { CARD_PA_VERIFIED, CARD_PA_NOT_VERIFIABLE, CARD_PA_FAILED } card_pa;
typedef struct {
    char given[40];   /* "WILLEKE LISELOTTE" as on the card (MRZ: A-Z and spaces) */
    char surname[40]; /* "DE BRUIJN" */
    civil_date birth; /* from DG1 */
    card_pa pa;
} card_identity;
/* results of a read (ACT_CARD_RESULT .arg = request id, .value = one of these) */
typedef enum {
    CARD_READ_OK,
    CARD_READ_GONE,
    CARD_READ_WRONG_CAN,
    CARD_READ_BLOCKED,
    CARD_READ_UNREADABLE,
    CARD_READ_NEEDS_MRZ /* an older document (BAC only): the MRZ details are needed */
} card_read_result;
#define SESSION_CAN_DIGITS 6
#define SESSION_PIN_MIN 4
#define SESSION_PIN_MAX 8
#define SESSION_DOCNR_MAX 9   /* a Dutch document number: 9 letters and digits */
#define SESSION_DATE_DIGITS 8 /* a date typed as day, month, year: DDMMYYYY */
#define SESSION_NAME_MAX 63   /* a typed name, UTF-8 bytes */
/* a library pass's number (digits, or upper-case hex) with its NUL: the card reader's
 * NFC_LIBRARY_NUMBER_MAX (platform/nfc/nfc_library.h; main.c checks that they agree) */
#define SESSION_LIBRARY_MAX 33

typedef struct {
    action_kind kind;
    int arg;
    bool ok;
    uint64_t now_ms;  /* ACT_TICK: monotonic milliseconds */
    civil_date today; /* ACT_TICK: the local date; ACT_PICK_DATE: the picked day */
    uint64_t value;   /* ACT_REFERENCE, ACT_PRINT_RESULT, ACT_CARD_RESULT */
    int tries;        /* ACT_CARD_RESULT with CARD_READ_WRONG_CAN: tries left; <0 unknown */
    const card_identity *card; /* ACT_CARD_RESULT with CARD_READ_OK: the session copies it */
    /* ACT_CARD_PRESENT with CARD_LIBRARY_PASS: the pass's number (NULL or "": none known); the
     * session copies it when it wants it (the summary, library passes on). ACT_KEY_TYPED: the
     * text typed (UTF-8; not kept: what the screen takes goes into its field) */
    const char *text;
} action;

/* What the citizen has told us; copied into effects that need it. */
typedef struct {
    int event; /* -1: none chosen */
    int answers[CONTENT_MAX_QUESTIONS];
    civil_date dates[CONTENT_MAX_QUESTIONS];
    lang_id lang;
    civil_date today;
    screen_id screen;      /* where the citizen was */
    int question;          /* SCREEN_QUESTION: the question shown (index), else -1 */
    char reference[11];    /* the case's reference number (10 digits), "" until it has one */
    bool handoff_asked;    /* the citizen asked for an employee */
    bool handoff_callback; /* ... to be called back (out of hours) */
} journey;

/* EFFECT_REFERENCE: the citizen reached the overview; the case needs a reference number
 * (answered with ACT_REFERENCE). */
typedef enum {
    EFFECT_HANDOFF,
    EFFECT_PRINT,
    EFFECT_SESSION_ENDED,
    EFFECT_REFERENCE,
    EFFECT_INTAKE,    /* build the intake and commit it to the outbox */
    EFFECT_SPEECH,    /* speech: say the screen again or read the slip (effect.speech) */
    EFFECT_CARD_READ, /* read the ID card with the CAN (effect.can); answered by ACT_CARD_RESULT */
    /* close the hand-off's task at the desk (effect.number): the citizen cancelled it, or
     * an employee at the kiosk took it over, or it did not arrive and the citizen went to the
     * desk (effect.close) */
    EFFECT_HANDOFF_CANCEL,
    /* check the staff badge's PIN (effect.pin); answered by ACT_STAFF_PIN_RESULT */
    EFFECT_STAFF_PIN
} effect_kind;

typedef enum { SPEECH_REPEAT, SPEECH_SLIP } speech_request;

typedef enum { END_DONE, END_TIMEOUT, END_ABANDONED } session_end_reason;

typedef struct {
    effect_kind kind;
    uint32_t request; /* matches the result action's arg */
    journey journey;  /* HANDOFF, PRINT, INTAKE: personal; wipe after use */
    session_end_reason end_reason;
    uint64_t consent;                  /* INTAKE: organisations ticked */
    int contact;                       /* INTAKE: SESSION_CONTACT_* */
    char phone[SESSION_PHONE_MAX + 1]; /* INTAKE: call-back number */
    char email[SESSION_EMAIL_MAX + 1]; /* INTAKE: e-mail address */
    speech_request speech;             /* SPEECH */
    char can[SESSION_CAN_DIGITS + 1];  /* CARD_READ: the card access number (never log it) */
    /* CARD_READ without a CAN: the MRZ details (document number; birth and expiry YYMMDD) */
    char mrz_number[SESSION_DOCNR_MAX + 1];
    char mrz_birth[7];
    char mrz_expiry[7];
    /* INTAKE: the name from the ID card (as on the card) or typed by the citizen; "" if none */
    char given[SESSION_NAME_MAX + 1];
    char surname[SESSION_NAME_MAX + 1];
    bool name_typed;     /* INTAKE: the name was typed by the citizen, not read from a card */
    bool callback;       /* HANDOFF: a call-back (effect.phone) instead of someone coming */
    char number[11];     /* HANDOFF_CANCEL: the hand-off's number */
    handoff_close close; /* HANDOFF_CANCEL: why the task is closed */
    char library_number[SESSION_LIBRARY_MAX]; /* INTAKE: the library pass's number, or "" */
    char pin[SESSION_PIN_MAX + 1];            /* STAFF_PIN: never log it */
} effect;

#define SESSION_MAX_EFFECTS 4
typedef struct {
    int n;
    effect items[SESSION_MAX_EFFECTS];
} effects;

/* Wipes the effects' personal data. */
void effects_wipe(effects *e);

typedef struct {
    uint32_t idle_ms;    /* no input this long: warn (default 60 s) */
    uint32_t warning_ms; /* the warning's countdown (default 30 s, at least 20 s) */
    int max_extensions;  /* "I'm still here" at most this often; 0 = unlimited */
    uint32_t goodbye_ms; /* goodbye screen, then welcome (default 15 s) */
    /* With read-aloud on, listening takes longer than reading (WCAG 2.2.1): */
    uint32_t speech_idle_ms;    /* default 180 s */
    uint32_t speech_warning_ms; /* default 60 s */
    bool headset; /* the site has a headset only (no loudspeaker): personal data may be read */
    uint32_t languages; /* bit per lang_id offered */
    lang_id default_lang;
    bool has_printer; /* false: the screen offers help instead of printing */
    bool has_speech;  /* false: no read-aloud (no sound device): its buttons are not shown */
    /* hand-off requests go through the outbox: one that did not arrive stays queued and is
     * sent when it can (a call-back is then kept; a warm hand-off is taken back) */
    bool handoff_queued;
    bool library_pass; /* the site takes library passes ([nfc] library_pass not off) */
} session_config;

void session_config_defaults(session_config *cfg);

/* How the citizen wants the kiosk: chosen by the citizen, back to the defaults when the
 * session ends (EN 301 549 5.1.3.13: volume and rate reset). */
#define ACCESS_VOLUME_LEVELS 5 /* -24, -18, -12, -6, 0 dB: the speech adapter's levels */
#define ACCESS_VOLUME_DEFAULT 3
#define ACCESS_RATE_MIN (-2)
#define ACCESS_RATE_MAX 2
typedef struct {
    bool speech;        /* read aloud */
    int rate;           /* ACCESS_RATE_MIN..MAX, 0 normal */
    int volume;         /* 0..ACCESS_VOLUME_LEVELS-1 */
    int speech_lang;    /* lang_id to read in; -1: the screen's language */
    bool headset;       /* the citizen says a headset is on */
    bool large_text;    /* text 1.5x */
    bool high_contrast; /* white and yellow on black */
    bool low_reach;     /* every control between 380 and 1220 mm above the floor */
    int menu;           /* the "adjust" menu: 0 closed, 1 seeing and reaching, 2 read-aloud */
} access_prefs;

typedef struct {
    journey j;
    int question;                       /* SCREEN_QUESTION: current question index */
    int history[CONTENT_MAX_QUESTIONS]; /* questions answered, in order, for "back" */
    int history_len;
    int picker_y, picker_m; /* month shown by the date picker */
    overview ov;
    int scroll;   /* overview: the page shown */
    bool details; /* overview: explanations shown (compact by default) */
    handoff_status handoff;
    bool handoff_shown; /* the hand-off message is open */
    bool lang_menu;     /* the language menu is open */
    uint32_t handoff_request;
    bool handoff_callback;     /* the request is a call-back */
    char handoff_number[11];   /* its number (the last 4 digits are shown), "" until known */
    bool callback_entry;       /* SCREEN_PHONE is typing the number for a call-back */
    screen_id callback_return; /* where the citizen was before the call-back keypad */
    bool handoff_picked;       /* an employee at the kiosk took the hand-off over */
    /* an employee at the kiosk: the PIN typed so far (wiped once sent to be checked) */
    char staff_pin[SESSION_PIN_MAX + 1];
    screen_id staff_return; /* the citizen's screen before the badge */
    int staff_error;        /* STAFF_ERROR_* */
    int staff_tries;        /* STAFF_ERROR_WRONG: tries left */
    bool staff_checking;    /* EFFECT_STAFF_PIN sent, its result pending */
    uint32_t staff_request;
    print_status print;
    uint32_t print_request;
    bool reference_asked; /* EFFECT_REFERENCE sent, answer pending or given */
    uint64_t consent;     /* organisations ticked (bit per organisation index) */
    int contact;          /* SESSION_CONTACT_* */
    char phone[SESSION_PHONE_MAX + 1];
    char email[SESSION_EMAIL_MAX + 1];
    intake_status intake;
    uint32_t intake_request;
    /* the ID card (SCREEN_CARD_*): the CAN is kept only while a read may be retried */
    char can[SESSION_CAN_DIGITS + 1];
    int card_error;    /* CARD_ERROR_*: what the card screens say went wrong */
    int card_tries;    /* CARD_ERROR_WRONG_CAN: tries left, -1 unknown */
    bool card_reading; /* EFFECT_CARD_READ sent, its result pending */
    int card_step;     /* the read's progress: 0..CARD_READ_STEPS */
    uint32_t card_request;
    bool card_read; /* `card` holds what a card said (shown on SCREEN_CARD_CONFIRM) */
    bool card_used; /* the citizen said: use it (verified only); it goes with the intake */
    card_identity card;
    /* the passport's details instead of the CAN: kept only while a read may be retried */
    bool card_mrz; /* the read uses these, not the CAN */
    char mrz_number[SESSION_DOCNR_MAX + 1];
    char mrz_birth[SESSION_DATE_DIGITS + 1];  /* DDMMYYYY as typed */
    char mrz_expiry[SESSION_DATE_DIGITS + 1]; /* DDMMYYYY as typed */
    /* the name typed by the citizen (UTF-8), not checked against anything */
    char name_given[SESSION_NAME_MAX + 1];
    char name_surname[SESSION_NAME_MAX + 1];
    bool name_used;  /* typed and confirmed: it goes with the intake */
    bool name_shift; /* the next letter is a capital */
    /* the library pass laid on the reader on the summary (library passes on): its number goes
     * with the intake; "" none */
    char library_number[SESSION_LIBRARY_MAX];
} session_data;

/* What went wrong with the staff badge's PIN (session_data.staff_error). */
enum { STAFF_ERROR_NONE, STAFF_ERROR_WRONG, STAFF_ERROR_LOCKED, STAFF_ERROR_NO_PIN };
/* ACT_STAFF_PIN_RESULT's tries for a badge that has no PIN yet (or none could be checked) */
#define STAFF_TRIES_NO_PIN 99

/* What went wrong reading the card (session_data.card_error). */
enum {
    CARD_ERROR_NONE,
    CARD_ERROR_GONE,       /* the card moved: try again (the CAN is kept) */
    CARD_ERROR_WRONG_CAN,  /* the digits were wrong: type them again */
    CARD_ERROR_UNREADABLE, /* blocked or unreadable: continue without */
    CARD_ERROR_NEEDS_MRZ,  /* an older document: the passport's details are needed */
    CARD_ERROR_WRONG_MRZ,  /* the passport's details do not open the chip: check them */
};

typedef struct {
    const content *content; /* NULL: out of order */
    session_config cfg;
    screen_id screen;
    uint64_t now_ms;
    civil_date today;
    uint64_t last_input_ms;
    bool warning;
    uint64_t warning_until_ms;
    int extensions;
    uint64_t goodbye_until_ms;
    uint32_t next_request;
    card_kind card; /* on the reader now (which kind only) */
    bool off_duty;  /* no employee can come now (opening hours): a call-back is offered */
    access_prefs access;
    uint32_t version;  /* changes whenever anything visible changes */
    session_data data; /* personal: wiped when the session ends */
} session;

void session_init(session *s, const content *c, const session_config *cfg, uint64_t now_ms,
                  civil_date today);
/* Applies one action; appends effects to `out` (which the caller empties). */
void session_apply(session *s, const action *a, effects *out);
/* Milliseconds from now until the session needs a TICK; UINT32_MAX when it never does. */
uint32_t session_next_timer_ms(const session *s);
/* Seconds left on the inactivity warning (rounded up), 0 when no warning. */
int session_warning_seconds_left(const session *s);
/* The language to read aloud in. */
lang_id session_speech_lang(const session *s);
/* Personal data may be read aloud (a headset is in use). */
bool session_speech_private(const session *s);
/* The inactivity limits in force (longer with read-aloud on). */
uint32_t session_idle_ms(const session *s);
uint32_t session_warning_ms(const session *s);
/* The current life event, or NULL. */
const life_event *session_event(const session *s);
/* True when session_data holds nothing of a citizen (all zero but the "none" markers). */
bool session_is_wiped(const session *s);
/* The organisations of the citizen's overview (bit per organisation index). */
uint64_t session_overview_orgs(const session *s);
/* The phone number typed so far is one the case service accepts for a call-back. */
bool session_phone_complete(const session *s);
/* The e-mail address typed so far looks like one: name@domain.tld, at most 80 characters. */
bool session_email_complete(const session *s);
/* The name from an ID card for display: "Willeke Liselotte de Bruijn" (each word capitalised,
 * Dutch prefixes of the surname such as "de", "van", "der" in small letters after the given
 * names). */
void card_display_name(const card_identity *c, char *buf, size_t cap);
/* The MRZ field on screen is complete and valid: a document number of 6 to 9 letters and
 * digits; a date of birth that exists and is not in the future; an expiry date that exists. */
bool session_mrz_complete(const session *s);
/* The name field on screen has a letter in it. */
bool session_name_complete(const session *s);

#endif
