/* The referral slip's content: what the citizen takes home. Composed on the UI thread (texts
 * come from gettext and the content), printed by a printer backend on the worker thread. */
#ifndef LOKET_SLIP_H
#define LOKET_SLIP_H

#include "content/content.h"
#include "core/session.h"

#define SLIP_MAX_LINES 200
#define SLIP_LINE_MAX 320

typedef enum { SLIP_TITLE, SLIP_HEADING, SLIP_TEXT, SLIP_SMALL, SLIP_RULE } slip_style;

typedef struct {
    int n;
    struct {
        slip_style style;
        char text[SLIP_LINE_MAX];
    } lines[SLIP_MAX_LINES];
} slip;

/* `when` is the printed date and time, e.g. "28 november 2026, 10:42". */
void slip_compose(const content *c, const journey *j, const char *site_name, const char *when,
                  slip *out);

#endif
