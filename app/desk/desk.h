/* The desk console's domain: what the desk employee sees and does, as a pure state machine
 * (no SDL, no network, no clock of its own). Everything that happens becomes a desk_action;
 * desk_apply() changes the state and returns effects (look a case up, close a task, play the
 * chime), which the program runs on its worker threads; their results come back as actions.
 *
 * - The live list: the site team's open internetaken, from a poll answer. A task the list has
 *   not had before (after the first answer) is new: highlighted for DESK_FRESH_MS and
 *   announced with the chime. A failed poll keeps the last known list and marks it stale
 *   ("niet bijgewerkt sinds hh:mm").
 * - Calling a case up: typed digits, or a scanner typing the slip's QR payload
 *   "LOKET:0010000012" and Enter, into one input line; desk_parse_reference() accepts both
 *   (the Damm check digit must be right).
 * - Done: closes the internetaak (an effect); the row goes once the service said yes.
 * - Personal data (answers, names, phone numbers, notes) lives in the state only; the case
 *   view is wiped (explicit_bzero) when it closes or another case replaces it, a task's row
 *   when it leaves the list.
 * - Keys only (WCAG 2.1.1): Tab / Shift+Tab move a focus ring over the screen's controls in
 *   reading order (the screen's layout gives the order, desk_focus_step() the step); Enter or
 *   Space activates the focused button, but typed or scanned characters always go to the
 *   look-up field and Enter with something in it looks that up, whatever has the focus. The
 *   focus is an id and survives a poll; when its row goes it moves to the next row's same
 *   button, else to the field. A case view opened from a row gets the focus on "close", and
 *   going back puts it on that row's "open:" again. */
#ifndef LOKET_DESK_H
#define LOKET_DESK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DESK_MAX_TASKS 64
#define DESK_MAX_CASE_TASKS 8
#define DESK_MAX_ADDRESSES 4
#define DESK_FRESH_MS 60000         /* a new task stays highlighted this long (or until opened) */
#define DESK_CLOSED_MEMORY_MS 15000 /* a closed task a late poll still lists is left out */
#define DESK_UUID_MAX 40
#define DESK_REF_MAX 16
#define DESK_LIBRARY_MAX 64 /* metadata.bibliotheekpas: a longer one is left out, never cut */
#define DESK_FOCUS_MAX 64   /* a control's id: "open:<uuid>" and the like */

typedef struct {
    char uuid[DESK_UUID_MAX];
    char ref[DESK_REF_MAX];           /* referentienummer (10 digits from the kiosk) or "" */
    char code[5];                     /* recognition number: its last 4 digits */
    char what[204];                   /* gevraagdeHandeling (200 characters in the API) */
    char note[1004];                  /* toelichting (1000) */
    char status[16];                  /* te_verwerken, verwerkt */
    char contact_uuid[DESK_UUID_MAX]; /* aanleidinggevendKlantcontact */
    int64_t assigned_ms;              /* toegewezenOp (epoch ms), 0 when unknown */
    int64_t seen_ms;                  /* when this desk first listed it (epoch ms) */
    bool fresh;                       /* highlighted: new since the desk started */
    bool closing;                     /* "done" sent, no answer yet */
} desk_task;

typedef struct {
    char soort[32]; /* telefoonnummer, email, overig */
    char adres[84];
    char omschrijving[84];
} desk_address;

typedef struct {
    char uuid[DESK_UUID_MAX];
    char ref[DESK_REF_MAX];
    char onderwerp[204];
    char inhoud[1004];
    char reactie[4004];
    char taal[8];
    char kanaal[64];
    char when[40]; /* plaatsgevondenOp as given */
    /* metadata the kiosk sets (app/intake/intake.c) */
    char zuil[256], locatie[256], levensgebeurtenis[256], toestemming[256], signalen[256];
    char contactvoorkeur[64], soort[64], herkenningsnummer[8], bon[DESK_REF_MAX], naambron[256];
    char contactnaam[420]; /* voornaam + voorvoegsel + achternaam of the first betrokkene */
    char bibliotheekpas[DESK_LIBRARY_MAX]; /* the library pass's number, whole, or "" */
    int n_addresses;
    desk_address addresses[DESK_MAX_ADDRESSES];
    /* betrokkenen's digitaleAdressen only as uuids (no expand): to look up one by one */
    int n_address_refs;
    char address_refs[DESK_MAX_ADDRESSES][DESK_UUID_MAX];
    int n_tasks;
    desk_task tasks[DESK_MAX_CASE_TASKS];
} desk_case;

/* Why a request did not succeed, as the employee is told it. */
typedef enum {
    DESK_ERR_NONE,
    DESK_ERR_NETWORK,   /* no connection, timeout, TLS */
    DESK_ERR_AUTH,      /* 401/403: the token */
    DESK_ERR_NOT_FOUND, /* 404, or no case with that number */
    DESK_ERR_SERVER,    /* another HTTP status */
    DESK_ERR_ANSWER,    /* an answer that cannot be read */
} desk_error;

typedef enum { DESK_LIST, DESK_CASE } desk_screen;
typedef enum { DESK_NL, DESK_EN } desk_lang;

typedef struct {
    uint32_t version; /* changes whenever something on screen changes */
    desk_screen screen;
    desk_lang lang;
    int64_t now_ms;
    /* the live list */
    int n_tasks;
    desk_task tasks[DESK_MAX_TASKS];
    bool polled; /* at least one poll answer arrived */
    bool stale;  /* the last poll failed */
    desk_error poll_error;
    int64_t last_ok_ms; /* the last good poll (epoch ms); 0: never */
    int n_closed;
    struct {
        char uuid[DESK_UUID_MAX];
        int64_t at_ms;
    } closed[DESK_MAX_TASKS];
    /* the input line (typed or scanned) */
    char input[64];
    /* the case view */
    bool case_loading;
    char case_key[DESK_UUID_MAX]; /* asked for: a number, or a klantcontact's uuid */
    bool case_open;
    desk_case cv;
    int scroll; /* case view: pixels scrolled down (the screen clamps it) */
    /* the keyboard focus: the id of the control with the focus ring ("input" is the look-up
     * field), "" while the keys have not been used (the mouse hides it) */
    char focus[DESK_FOCUS_MAX];
    char focus_back[DESK_FOCUS_MAX]; /* the row's "open:" a case view was opened from */
    /* one message line: what just happened, or what went wrong */
    char message[200];
    bool message_error;
} desk_state;

typedef enum {
    DESK_ACT_TICK,      /* now_ms */
    DESK_ACT_POLL_OK,   /* tasks, n */
    DESK_ACT_POLL_FAIL, /* error, status */
    DESK_ACT_CHAR,      /* text: typed characters (UTF-8) */
    DESK_ACT_BACKSPACE,
    DESK_ACT_ENTER,     /* look the input line up */
    DESK_ACT_ESCAPE,    /* clear the input, else close the case */
    DESK_ACT_OPEN,      /* ref, or uuid (its klantcontact) when the task has no number */
    DESK_ACT_CASE_OK,   /* kase; ref or uuid: what was asked for */
    DESK_ACT_CASE_FAIL, /* error, status; ref or uuid */
    DESK_ACT_DONE,      /* uuid: "done" on a task */
    DESK_ACT_DONE_OK,   /* uuid */
    DESK_ACT_DONE_FAIL, /* uuid, error, status */
    DESK_ACT_CLOSE_CASE,
    DESK_ACT_SCROLL, /* n pixels (negative: up) */
    DESK_ACT_LANG,   /* n: desk_lang */
    DESK_ACT_FOCUS,  /* text: the control's id that gets the focus ("" or NULL: none) */
} desk_action_kind;

typedef struct {
    desk_action_kind kind;
    int64_t now_ms; /* every action carries the wall clock (epoch ms) */
    const desk_task *tasks;
    int n;
    const desk_case *kase;
    desk_error error;
    long status;
    const char *text;
    const char *ref;
    const char *uuid;
} desk_action;

typedef enum {
    DESK_EFF_FETCH_CASE, /* ref; or uuid: the klantcontact of a task without a number */
    DESK_EFF_CLOSE_TASK, /* uuid */
    DESK_EFF_CHIME,      /* n new tasks */
    DESK_EFF_LOG,        /* text: no personal data */
} desk_effect_kind;

#define DESK_MAX_EFFECTS 4
typedef struct {
    desk_effect_kind kind;
    char ref[DESK_REF_MAX];
    char uuid[DESK_UUID_MAX];
    int count;
    char text[160];
} desk_effect;

typedef struct {
    int n;
    desk_effect e[DESK_MAX_EFFECTS];
} desk_effects;

void desk_init(desk_state *s, desk_lang lang, int64_t now_ms);
void desk_apply(desk_state *s, const desk_action *a, desk_effects *out);
/* Wipes everything (at exit). */
void desk_wipe(desk_state *s);

/* A reference number from typed or scanned input: "LOKET:0010000012" (the slip's QR code,
 * prefix in any case), or ten digits with spaces between groups ("001 000 0012"); the Damm
 * check digit must be right. `out` gets the ten digits. */
bool desk_parse_reference(const char *input, char out[DESK_REF_MAX]);
/* "hh:mm" local time of an epoch-ms instant. */
void desk_hhmm(int64_t ms, char out[8]);
/* How long a task has waited, in words ("3 min", "1 u 05 min", "40 s"). */
void desk_waited(int64_t from_ms, int64_t now_ms, desk_lang lang, char *out, size_t cap);
/* A text of the desk in its language (Dutch first, English). */
const char *desk_tr(desk_lang lang, const char *nl, const char *en);
/* What an error means, in words for the employee. */
const char *desk_error_words(desk_lang lang, desk_error e, long status);
/* The task in the list with this uuid / referentienummer, or NULL. */
const desk_task *desk_find_task(const desk_state *s, const char *uuid, const char *ref);
/* Keyboard focus: the controls on screen in reading order, `ids` (n of them; "input" is the
 * look-up field, "lang" the language switch in the bar). Which one Tab (dir > 0) or Shift+Tab
 * (dir < 0) goes to from `cur`: the next or previous, wrapping round (no trap, no dead end).
 * Without a focus (cur "" or not on screen) Tab starts at the first control after the bar
 * (the field), Shift+Tab at the last. -1 when there are no controls. */
int desk_focus_step(const char *const *ids, int n, const char *cur, int dir);
/* Whether the focus is on a control that Enter or Space activates (a button, not the field). */
bool desk_focus_on_button(const desk_state *s);
/* The control that Enter or Space activates now: the focused button while the look-up field
 * is empty; NULL when Enter looks the field up (and Space is typed). */
const char *desk_focus_activates(const desk_state *s);
/* The RFC 3339 date-time as epoch ms (offset or Z, optional fraction); 0 when unreadable. */
int64_t desk_parse_time(const char *s);

#endif
