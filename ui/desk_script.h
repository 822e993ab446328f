/* Scripted mode of the desk console: a script of clicks, keys and typed text against the real
 * program and a real case service, in real time (the desk polls a real server), writing
 * screenshots and checking what is on screen.
 *
 *   # comment
 *   tap <id or label>         click the control (ids: see ui/desk_ui.h)
 *   tap @<x>,<y>              click at pixel coordinates
 *   tap-row open|done <text>  the button of the row whose task says text (or has that number)
 *   key <SDL key name>        e.g. Return, Escape, Backspace, PageDown, Tab, Space; with
 *                             "shift+" before it held with Shift (key shift+Tab)
 *   type <text>               typed as by a keyboard or a USB scanner (no Enter)
 *   wait list [ms]            until the first list arrived from the case service
 *   wait task <text> [ms]     until a row of the list contains text (code, number or words;
 *                             default 5000 ms)
 *   wait gone <text> [ms]     until no row has text (a number, or words) any more
 *   wait case [ms]            until a case is open (fails at once with the error shown)
 *   wait message <text> [ms]  until the message line contains text
 *   wait stale [ms]           until the list is marked "niet bijgewerkt sinds"
 *   touch <file>              creates the file (in the working directory): a test driver
 *                             waiting for the script to get here goes on
 *   pause <ms>                let the program run
 *   expect-seen-within <ref> <ms>   the task with this number was in the list within ms of
 *                             its toegewezenOp (the service's clock) and is highlighted
 *   expect screen list|case
 *   expect text <s> / expect no-text <s>
 *   expect control <id> / expect no-control <id>
 *   expect-focus <id>|none    the keyboard focus is on this control (ids as for tap;
 *                             "input": the look-up field) and its ring is drawn; none: no ring
 *   expect-focus row open|done <text>   ... on that button of the row whose task says text
 *   expect chime              the chime sounded at least once (or was due: no sound device)
 *   screenshot <file.png>     into the screenshot directory
 */
#ifndef LOKET_DESK_SCRIPT_H
#define LOKET_DESK_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>

#include "desk/desk.h"
#include "desk_ui.h"

typedef struct {
    void *ctx;
    void (*dispatch)(void *ctx, const desk_action *a); /* apply and run the effects */
    void (*click)(void *ctx, const char *id);          /* a control was clicked */
    bool (*key)(void *ctx, SDL_Keycode k, Uint16 mod); /* a key; false: it does nothing */
    void (*pump)(void *ctx, int ms);                   /* run the event loop for ms */
    void (*logshot)(void *ctx, const char *name);
    const desk_state *(*state)(void *ctx);
    unsigned (*chimes)(void *ctx); /* chimes due so far */
} desk_script_host;

int desk_script_run(const char *path, desk_ui *u, const desk_script_host *h, const char *shot_dir,
                    char *err, size_t errcap);

#endif
