/* A screen as data: the list of widgets a state produces. The same list is drawn, hit-tested
 * for taps and script commands, and written to the render log, so tests see what a person
 * sees. Screens build it; they never change the session. */
#ifndef LOKET_UI_LAYOUT_H
#define LOKET_UI_LAYOUT_H

#include <SDL.h>
#include <stdbool.h>

#include "core/session.h"
#include "text.h"
#include "theme.h"

#define LAYOUT_MAX_WIDGETS 512
#define LAYOUT_STRINGS (64 * 1024)

/* W_PARAGRAPH: a whole text as written (not drawn; its lines are W_TEXT), so that tests and
 * speech can find a sentence that wraps over lines. */
typedef enum { W_PANEL, W_BUTTON, W_TEXT, W_ICON, W_PARAGRAPH } widget_kind;
typedef enum {
    BTN_PRIMARY,
    BTN_SECONDARY,
    BTN_HANDOFF,
    BTN_CHOSEN,
    BTN_TILE,
    BTN_DAY,
    BTN_DAY_TODAY,
} button_style;

/* What speech makes of a widget (set with layout.flags while adding it). */
enum {
    WF_CHROME = 1,   /* the frame (back, languages, help, read-aloud): not read on arrival */
    WF_PERSONAL = 2, /* the citizen's own data: read only through a headset */
    WF_LIVE = 4,     /* changes while the screen stays (a countdown): not a new screen */
    WF_QUIET = 8,    /* not read (decoration, a text that a button already says) */
};

typedef struct {
    widget_kind kind;
    unsigned flags; /* WF_* */
    SDL_Rect r;
    int layer;        /* 0 screen, 1 overlay: taps reach only the top layer */
    const char *id;   /* buttons: stable id for scripts and tests */
    const char *text; /* W_TEXT: one line; W_BUTTON: its spoken/visible label */
    const char *icon; /* W_ICON: pictogram name */
    int px;           /* W_TEXT: pixel size */
    bool bold;
    SDL_Color fg, bg; /* W_TEXT: colours; W_PANEL/W_BUTTON: fill (bg) and border (fg) */
    int border;       /* border width in px */
    button_style style;
    action act; /* W_BUTTON: what a tap does */
} widget;

typedef struct {
    int n;
    widget w[LAYOUT_MAX_WIDGETS];
    size_t used;
    char strings[LAYOUT_STRINGS];
    int layer;
    int W, H;
    bool rtl;
    const session *s;
    const theme *th;
    ui_text *tx;
    lang_id lang;
    int pages;          /* overview: number of pages at this size */
    unsigned flags;     /* WF_* given to every widget added */
    bool large_blocked; /* large text asked for, but the lower band is too small for it */
} layout;

typedef enum { ALIGN_START, ALIGN_CENTER } text_align;

void layout_begin(layout *L, const session *s, const theme *th, ui_text *tx, int W, int H);
/* Copies a string into the layout (valid until the next layout_begin). */
const char *layout_str(layout *L, const char *s);
const char *layout_printf(layout *L, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
widget *layout_add(layout *L, widget_kind kind, SDL_Rect r);
void layout_panel(layout *L, SDL_Rect r, SDL_Color fill, SDL_Color border, int border_w);
/* Wrapped text in a column; returns the height used. */
int layout_text(layout *L, int x, int y, int w, int px, bool bold, SDL_Color fg, SDL_Color bg,
                text_align align, const char *s);
/* Height that layout_text would use. */
int layout_text_height(layout *L, int w, int px, bool bold, const char *s);
/* A button with a label (wrapped, centred or start-aligned with an icon). */
void layout_button(layout *L, SDL_Rect r, const char *id, const char *label, const char *icon,
                   button_style style, action act);
/* A full-width button in column `col` at `y`, as high as its label needs (at least `min_h`);
 * returns the height used, with the gap below it. */
int layout_button_fit(layout *L, SDL_Rect col, int y, int min_h, const char *id, const char *label,
                      const char *icon, button_style style, action act);
void layout_icon(layout *L, SDL_Rect r, const char *icon);
/* A button that shows only its pictogram where words do not fit (large text); the label is
 * what it is called when read aloud, found by scripts and logged. */
void layout_icon_button(layout *L, SDL_Rect r, const char *id, const char *label, const char *icon,
                        button_style style, action act);
/* A life-event tile: pictogram (isz px; 0 = none) above the words, or beside them. */
void layout_tile(layout *L, SDL_Rect r, const char *id, const char *label, const char *icon,
                 int isz, bool beside, action act);
/* Starts a modal layer above the screen: the screen is dimmed and only this layer takes taps. */
void layout_overlay(layout *L, int layer);
/* Mirrors every widget horizontally (right-to-left languages). */
void layout_mirror(layout *L);
const widget *layout_find(const layout *L, const char *id_or_label);
const widget *layout_hit(const layout *L, int x, int y);
int layout_top_layer(const layout *L);

/* The frame around every screen: top bar (back, languages), help bar. Returns the content
 * area. */
SDL_Rect chrome_build(layout *L, bool back);
/* The bar at the bottom of every screen and overlay, within everyone's reach: help from an
 * employee (unless `handoff` is false), read aloud, and "adjust" (text size, contrast, reach,
 * speech). */
void help_bar(layout *L, bool handoff);
/* The help button's label: it says so once an employee is on the way. */
const char *help_label(const layout *L);
/* Colours of a button style: fill, text. */
void button_colors(const theme *th, button_style st, SDL_Color *fill, SDL_Color *fg,
                   SDL_Color *border);

/* Shared by the keypad screens (screen_share.c): a rectangle kept left to right in every
 * language; the field showing what is typed (personal, live), returns the height used with
 * the gap; a phone keypad 1-9, (+) 0, erase, returns the height used with the gap. */
/* A text, or a button as high as its label needs, across column a at y; the height used. */
int column_text(layout *L, SDL_Rect a, int y, int px, bool bold, const char *s);
int column_button(layout *L, SDL_Rect a, int y, const char *id, const char *label, const char *icon,
                  button_style st, action act);
SDL_Rect keep_ltr(const layout *L, SDL_Rect r);
int entry_field(layout *L, SDL_Rect a, int y, int px, const char *value);
int digit_keypad(layout *L, SDL_Rect a, int y, bool plus);

/* Screens and overlays (one file each). */
void screen_welcome(layout *L);
void screen_events(layout *L);
void screen_question(layout *L);
void screen_overview(layout *L);
void screen_next_step(layout *L);
void screen_goodbye(layout *L);
void screen_out_of_order(layout *L);
void screen_consent(layout *L);
void screen_contact(layout *L);
void screen_phone(layout *L);
void screen_summary(layout *L);
void screen_email(layout *L);
void screen_card_can(layout *L);
void screen_card_reading(layout *L);
void screen_card_confirm(layout *L);
void screen_card_mrz_number(layout *L);
void screen_card_mrz_birth(layout *L);
void screen_card_mrz_expiry(layout *L);
void screen_name_given(layout *L);
void screen_name_surname(layout *L);
void screen_staff_pin(layout *L);
void screen_staff_view(layout *L);
void overlay_handoff(layout *L);
void overlay_language(layout *L);
void overlay_timeout(layout *L);
void overlay_access(layout *L);

#endif
