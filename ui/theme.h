/* Colours and sizes. Sizes come from physical units: the screen's pixels per millimetre and
 * the viewing distance, so that text and touch targets are big enough on any panel. */
#ifndef LOKET_UI_THEME_H
#define LOKET_UI_THEME_H

#include <SDL.h>
#include <stdbool.h>

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
    int bar_h;
    int help_h;         /* the bar at the bottom: help, read aloud, adjust */
    int handoff_h;      /* the same height (kept apart for the layouts that use either) */
    double text_scale;  /* 1, or 1.5 in large-text mode */
    bool high_contrast; /* pictograms get a light plate of their own */
} theme;

typedef enum { THEME_CALM, THEME_HIGH_CONTRAST, THEME_COUNT } theme_palette;

/* cap_ratio: the font's cap height / pixel size; text_scale: 1 or 1.5 (large text). */
void theme_init(theme *t, double px_per_mm, double view_distance_mm, double cap_ratio,
                double text_scale, theme_palette palette);
/* A palette's colours. */
theme_colors theme_palette_colors(theme_palette p);
/* Every pair of a palette that is drawn as text on a background (fg, bg), for the contrast
 * test; returns the number of pairs written (at most cap). */
int theme_text_pairs(const theme_colors *c, SDL_Color (*pairs)[2], const char **names, int cap);
/* WCAG 2 contrast ratio of two opaque colours (1..21). */
double theme_contrast(SDL_Color a, SDL_Color b);
/* Cap height in mm that subtends `degrees` at `distance_mm`. */
double theme_cap_mm(double degrees, double distance_mm);

#endif
