/* The referral slip's content: what the citizen takes home. Composed on the UI thread (texts
 * come from gettext and the content), rendered to a raster by ui/slip_render and printed by a
 * printer backend on the worker thread.
 *
 * When the citizen's language is not Dutch, every item gets its Dutch text first (a line with
 * `dutch` set), so that a desk employee can read the slip too. */
#ifndef LOKET_SLIP_H
#define LOKET_SLIP_H

#include <stdbool.h>

#include "content/content.h"
#include "core/refnum.h"
#include "core/session.h"

#define SLIP_MAX_LINES 240
#define SLIP_LINE_MAX 2048 /* bytes: a 400-character explanation in Arabic or Ukrainian fits */
/* The QR code's payload: "LOKET:" and the reference number's ten digits, e.g.
 * "LOKET:0120000427" (QR alphanumeric mode; a USB scanner types it like a keyboard). */
#define SLIP_QR_PREFIX "LOKET:"

typedef enum {
    SLIP_TITLE,   /* the life event */
    SLIP_HEADING, /* an organisation, a section */
    SLIP_TEXT,
    SLIP_ITEM,  /* a task: drawn with a bullet */
    SLIP_SMALL, /* how, visit, details */
    SLIP_RULE
} slip_style;

typedef struct {
    char site[128];
    char when[96];
    lang_id lang;
    char reference[REFNUM_DIGITS + 1]; /* "" when none could be made */
    char reference_label[96];          /* "Uw nummer" in the citizen's language */
    char reference_hint[SLIP_LINE_MAX];
    char qr[32];   /* QR payload, "" without a reference */
    char icon[32]; /* the life event's pictogram, "" for none */
    int lost; /* lines or parts of lines that did not fit (0 for all shipped content) */
    int n;
    struct {
        slip_style style;
        bool dutch;  /* the Dutch line of an item on a slip in another language */
        bool indent; /* belongs to the task above it (deadline, how) */
        char text[SLIP_LINE_MAX];
    } lines[SLIP_MAX_LINES];
} slip;

typedef struct {
    const char *site_name;    /* the place: "Informatiepunt Digitale Overheid ..." */
    const char *when;         /* printed date and time, e.g. "28 november 2026, 10:42" */
    const char *municipality; /* "Gemeente Utrecht" */
    const char *phone;        /* the municipality's number */
} slip_site;

void slip_compose(const content *c, const journey *j, const slip_site *site, slip *out);

#endif
