/* The desk console's window: draws a desk_state (app/desk) with the kiosk's text, theme and
 * layout code, and finds the control under a click. It reads the state and never changes it;
 * it redraws only when the state's version changed. Controls have stable ids for scripts:
 * "lookup", "open:<ref>", "done:<ref>" (a row of the list), "close", "up", "down",
 * "case-done:<ref>" (a task in the case view), "open-bon" (a hand-off's view: the case of the
 * slip the citizen has), "lang"; "input" is the look-up field (for the keyboard focus). */
#ifndef LOKET_DESK_UI_H
#define LOKET_DESK_UI_H

#include <SDL.h>
#include <stdbool.h>
#include <stdio.h>

#include "desk/desk.h"
#include "layout.h"

typedef struct {
    bool scripted; /* software renderer: the same pixels everywhere */
    int width, height;
    double width_mm; /* the picture's width on the desk's monitor */
    const char *font_family;
    const char *icons_dir;
} desk_ui_options;

typedef struct desk_ui desk_ui;

desk_ui *desk_ui_create(const desk_ui_options *o, char *err, size_t errcap);
void desk_ui_destroy(desk_ui *u);
/* Lays out and draws when the state changed (or `force`); true if a frame was presented. */
bool desk_ui_render(desk_ui *u, const desk_state *s, bool force);
const widget *desk_ui_hit(desk_ui *u, int x, int y);
const widget *desk_ui_find(desk_ui *u, const char *id_or_label);
const layout *desk_ui_layout(desk_ui *u);
/* The controls on screen in reading order, for the keys' focus (desk_focus_step): the ids of
 * the last layout, with "input" (the look-up field) before "lookup"; returns how many. */
int desk_ui_focus_order(desk_ui *u, const char **ids, int max);
/* Where the control `id` is on the last layout (the focus ring goes round it). */
bool desk_ui_focus_rect(desk_ui *u, const char *id, SDL_Rect *out);
/* The id the last frame drew the focus ring around; "" when none. */
const char *desk_ui_ring(desk_ui *u);
/* How far the case view can scroll (pixels), as last laid out. */
int desk_ui_max_scroll(desk_ui *u);
/* One page of the case view (pixels). */
int desk_ui_page(desk_ui *u);
bool desk_ui_screenshot(desk_ui *u, const char *path, char *err, size_t errcap);
void desk_ui_write_render_log(desk_ui *u, const desk_state *s, FILE *f, unsigned long frame);
/* Forgets cached texts and the layout's strings (a case view closed: they were personal). */
void desk_ui_forget(desk_ui *u);

#endif
