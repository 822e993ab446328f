/* The kiosk's window: turns session state into pixels and input into actions. It reads the
 * session and never changes it; it redraws only when the session's version or the window
 * changed. */
#ifndef LOKET_UI_H
#define LOKET_UI_H

#include <SDL.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/session.h"
#include "layout.h"

typedef struct {
    bool windowed;
    bool scripted;     /* software renderer, no vsync: deterministic pixels */
    int width, height; /* windowed size */
    double screen_width_mm, view_distance_mm;
    double screen_height_mm, screen_bottom_mm; /* reach: the picture's height and lower edge */
    const char *font_family;
    const char *icons_dir;
} ui_options;

typedef struct ui ui;

ui *ui_create(const ui_options *opt, char *err, size_t errcap);
void ui_destroy(ui *u);
/* Rebuilds the layout and draws when the session changed (or `force`); returns true if a
 * frame was presented. */
bool ui_render(ui *u, const session *s, bool force);
/* Draws the current state again although nothing changed (scripted mode and benchmarks).
 * ui_redraw_cold forgets the text cache first, so every glyph is rendered anew. */
void ui_redraw(ui *u, const session *s);
void ui_redraw_cold(ui *u, const session *s);
/* The control under a tap, or NULL. */
const widget *ui_hit(ui *u, int x, int y);
/* The control with this id or label on the top layer, or NULL. */
const widget *ui_find(ui *u, const char *id_or_label);
const layout *ui_layout(ui *u);
/* Writes the last frame as PNG. */
bool ui_screenshot(ui *u, const char *path, char *err, size_t errcap);
/* Appends the last layout to a render log (one line per text and control). */
void ui_write_render_log(ui *u, FILE *f, unsigned long frame);
/* Keys instead of touch: the focus moves over the screen's controls in reading order (dir +1
 * or -1, wrapping round), is drawn as a ring, and Enter does what a tap on it does. */
void ui_focus_move(ui *u, int dir);
bool ui_focus_action(ui *u, action *out);
const char *ui_focus_id(ui *u); /* "" when no control has the focus */
void ui_focus_off(ui *u);       /* a touch: no ring */
/* Speech. What a screen says on arrival, in `lang` (the screen is laid out again in that
 * language when it differs): its texts and its controls in reading order, without the frame
 * (help, languages, read-aloud). Personal texts are read only when `personal` (a headset);
 * otherwise a sentence says so. Returns the length; *key gets a fingerprint of the screen
 * without its live parts (a countdown), which changes when there is a new screen to read. */
size_t ui_utterance(ui *u, const session *s, lang_id lang, bool personal, char *out, size_t cap,
                    uint64_t *key);
/* What the focused control says: its label and, for a switch, its state. "" without focus. */
size_t ui_focus_utterance(ui *u, char *out, size_t cap);
/* The rows of the screen (from the top) within reach: controls lie between these. */
void ui_reach_band(ui *u, int *top, int *bottom);
/* Forgets cached texts (they may hold a citizen's answers). */
void ui_forget(ui *u);
unsigned long ui_glyph_renders(ui *u);
SDL_Window *ui_window(ui *u);
const theme *ui_theme(ui *u);

#endif
