#include "theme.h"

#include <math.h>

static SDL_Color rgb(unsigned v)
{
    return (SDL_Color){(Uint8)(v >> 16), (Uint8)(v >> 8), (Uint8)v, 255};
}

double theme_cap_mm(double degrees, double distance_mm)
{
    return 2.0 * distance_mm * tan(degrees * M_PI / 360.0);
}

void theme_init(theme *t, double px_per_mm, double view_distance_mm, double cap_ratio)
{
    /* A calm, neutral palette; every text/background pair is at least 7:1 (tested). */
    t->c = (theme_colors){
        .bg = rgb(0xF6F5F1),
        .text = rgb(0x1B1B1B),
        .muted = rgb(0x3A3A3A),
        .primary = rgb(0x154273),
        .on_primary = rgb(0xFFFFFF),
        .secondary = rgb(0xFFFFFF),
        .on_secondary = rgb(0x1B1B1B),
        .border = rgb(0x154273),
        .handoff = rgb(0x0B5A2A),
        .on_handoff = rgb(0xFFFFFF),
        .card = rgb(0xFFFFFF),
        .on_card = rgb(0x1B1B1B),
        .chosen = rgb(0xD6E4F0),
        .on_chosen = rgb(0x0B2545),
        .warn = rgb(0xFFF1D6),
        .on_warn = rgb(0x3D2500),
        .dim = {0, 0, 0, 170},
        .bar = rgb(0xE4E2DA),
        .on_bar = rgb(0x1B1B1B),
    };
    t->px_per_mm = px_per_mm;
    /* 0.7 degrees is the minimum; 5 % on top keeps rounding on the safe side. */
    double cap_px = theme_cap_mm(0.7, view_distance_mm) * 1.05 * px_per_mm;
    t->px_body = (int)ceil(cap_px / cap_ratio);
    t->px_title = (int)ceil(t->px_body * 1.35);
    t->px_big = (int)ceil(t->px_body * 2.2);
    t->target = (int)ceil(12.0 * px_per_mm);
    t->btn_h = (int)ceil(20.0 * px_per_mm);
    if (t->btn_h < t->px_body * 2)
        t->btn_h = t->px_body * 2;
    t->gap = (int)ceil(4.0 * px_per_mm);
    t->pad = (int)ceil(6.0 * px_per_mm);
    t->bar_h = (int)ceil(18.0 * px_per_mm);
    t->help_h = (int)ceil(24.0 * px_per_mm);
}

static double lin(Uint8 v)
{
    double c = v / 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

double theme_contrast(SDL_Color a, SDL_Color b)
{
    double la = 0.2126 * lin(a.r) + 0.7152 * lin(a.g) + 0.0722 * lin(a.b);
    double lb = 0.2126 * lin(b.r) + 0.7152 * lin(b.g) + 0.0722 * lin(b.b);
    double hi = la > lb ? la : lb, lo = la > lb ? lb : la;
    return (hi + 0.05) / (lo + 0.05);
}
