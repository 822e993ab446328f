/* Colours and sizes. Sizes come from physical units: the screen's pixels per millimetre and
 * the viewing distance, so that text and touch targets are big enough on any panel. */
#ifndef LOKET_UI_THEME_H
#define LOKET_UI_THEME_H

#include <SDL.h>

typedef struct {
    SDL_Color bg, text, muted;
    SDL_Color primary, on_primary;
    SDL_Color secondary, on_secondary, border;
    SDL_Color handoff, on_handoff;
    SDL_Color card, on_card;
    SDL_Color chosen, on_chosen;
    SDL_Color warn, on_warn;
    SDL_Color dim;
    SDL_Color bar, on_bar;
} theme_colors;

typedef struct {
    theme_colors c;
    double px_per_mm;
    int px_body; /* cap height >= 0.7 degrees of view at the viewing distance */
    int px_title;
    int px_big; /* large numbers, e.g. the countdown */
    int target; /* minimum touch target: 12 mm */
    int btn_h;  /* a normal button: 20 mm */
    int gap, pad;
    int bar_h, help_h;
} theme;

/* cap_ratio: the font's cap height / pixel size. */
void theme_init(theme *t, double px_per_mm, double view_distance_mm, double cap_ratio);
/* WCAG 2 contrast ratio of two opaque colours (1..21). */
double theme_contrast(SDL_Color a, SDL_Color b);
/* Cap height in mm that subtends `degrees` at `distance_mm`. */
double theme_cap_mm(double degrees, double distance_mm);

#endif
