/* Scripted mode: replays a script of taps, keys and clock ticks against the real program,
 * deterministically, writing screenshots and checking what is on screen. Used by UI tests.
 *
 *   # comment
 *   tap <id or label>      tap the control (top layer) with this id or exact label
 *   tap @<x>,<y>           tap at pixel coordinates
 *   key <SDL key name>     e.g. Escape, Return; a keypad key (Keypad 8) also makes its text
 *                          (NumLock on: "8") while SDL's text input is on, as SDL would
 *   type <text>            typed on a physical keyboard: per character (UTF-8) an SDL_KEYDOWN
 *                          and, while SDL's text input is on (the letter screens), an
 *                          SDL_TEXTINPUT, pushed on SDL's queue and handled by the program's own
 *                          event handling; a frame after each. Quote it for spaces at the ends
 *   tick <ms>              let the clock run
 *   screenshot <file.png>  written into the screenshot directory
 *   expect screen <name>   welcome, events, question, overview, next_step, goodbye
 *   expect text <s>        some text on screen contains s
 *   expect no-text <s>     no text on screen contains s
 *   expect control <id>    a control with this id (or label) can be tapped
 *   expect no-control <id>
 *   card present id-document|other   a card is tapped on the (simulated) reader
 *   card remove            the card is taken off
 *   fault handoff on|off   the simulated hand-off backend fails / works
 *   wait delivered         until the uplink has delivered everything in the outbox (20 s)
 *   wait card              until the (real) reader reports an ID card on it (5 s)
 *   tab-to <id>            press Tab until the control <id> has the keyboard focus
 *   listen-to <id>         keypad 2 until <id> has the focus; the voice names each control
 *   expect-focus <id>      the control <id> has the keyboard focus
 *   expect-text-input on|off   SDL's text input (SDL_TEXTINPUT events) is on / off
 *   redraw [cold]          draw the unchanged screen again (cold: with an empty text cache)
 *   expect-speech <s>      the last text sent to the speech synthesiser contains s
 *   expect-no-speech <s>   it does not
 *   expect-silent          the voice has stopped (within 100 ms)
 */
#ifndef LOKET_UI_SCRIPT_H
#define LOKET_UI_SCRIPT_H

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ui.h"

typedef struct {
    void *ctx;
    void (*dispatch)(void *ctx, const action *a); /* apply, run effects, wait for results */
    void (*key)(void *ctx, SDL_Keycode key);
    void (*events)(void *ctx); /* handle the key and text events on SDL's queue (`type`) */
    void (*advance)(void *ctx, uint64_t ms);
    bool (*card)(void *ctx, card_kind kind); /* CARD_NONE: removed; false: no simulated reader */
    /* the simulated ID document is an older one that knows only BAC (true), or a current card */
    bool (*card_bac_only)(void *ctx, bool bac_only);
    bool (*fault)(void *ctx, const char *what, bool on);
    void (*frame)(void *ctx);                     /* render if changed, log */
    void (*logframe)(void *ctx);                  /* log the frame just drawn */
    void (*logshot)(void *ctx, const char *name); /* a screenshot of the last frame was taken */
    const session *(*state)(void *ctx);
    bool (*wait_delivered)(void *ctx);     /* false: not within the time, or no uplink */
    bool (*wait_card)(void *ctx);          /* false: no ID card reported within 5 s */
    bool (*wait_handoff)(void *ctx);       /* false: the hand-off did not reach the desk in 20 s */
    bool (*wait_pin)(void *ctx);           /* false: the staff PIN was not checked within 10 s */
    const char *(*last_speech)(void *ctx); /* NULL: no speech */
    bool (*speaking)(void *ctx);
} script_host;

/* Returns 0 on success; on failure fills err with "file:line: problem". */
int script_run(const char *path, ui *u, const script_host *h, const char *shot_dir, char *err,
               size_t errcap);

#endif
