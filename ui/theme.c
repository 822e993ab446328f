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

theme_colors theme_palette_colors(theme_palette p)
{
    if (p == THEME_HIGH_CONTRAST)
        /* White and yellow on black, as on public-transport displays; every pair >= 15:1. */
        return (theme_colors){
            .bg = rgb(0x000000),
            .text = rgb(0xFFFFFF),
            .muted = rgb(0xFFFFFF),
            .primary = rgb(0xFFE000),
            .on_primary = rgb(0x000000),
            .secondary = rgb(0x000000),
            .on_secondary = rgb(0xFFFFFF),
            .border = rgb(0xFFFFFF),
            .handoff = rgb(0x7CFF9B),
            .on_handoff = rgb(0x000000),
            .card = rgb(0x000000),
            .on_card = rgb(0xFFFFFF),
            .chosen = rgb(0xFFE000),
            .on_chosen = rgb(0x000000),
            .warn = rgb(0x000000),
            .on_warn = rgb(0xFFE000),
            .dim = {0, 0, 0, 200},
            .bar = rgb(0x1A1A1A),
            .on_bar = rgb(0xFFFFFF),
        };
    /* A calm, neutral palette; every text/background pair is at least 7:1 (tested). */
    return (theme_colors){
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
}

int theme_text_pairs(const theme_colors *c, SDL_Color (*pairs)[2], const char **names, int cap)
{
    const struct {
        const char *name;
        SDL_Color fg, bg;
    } all[] = {
        {"text on bg", c->text, c->bg},
        {"muted on bg", c->muted, c->bg},
        {"on_primary on primary", c->on_primary, c->primary},
        {"on_secondary on secondary", c->on_secondary, c->secondary},
        {"on_handoff on handoff", c->on_handoff, c->handoff},
        {"on_card on card", c->on_card, c->card},
        {"muted on card", c->muted, c->card},
        {"on_chosen on chosen", c->on_chosen, c->chosen},
        {"on_warn on warn", c->on_warn, c->warn},
        {"on_bar on bar", c->on_bar, c->bar},
        {"text on card", c->text, c->card},
    };
    int n = 0;
    for (size_t i = 0; i < sizeof all / sizeof all[0] && n < cap; i++, n++) {
        pairs[n][0] = all[i].fg;
        pairs[n][1] = all[i].bg;
        if (names)
            names[n] = all[i].name;
    }
    return n;
}

void theme_init(theme *t, double px_per_mm, double view_distance_mm, double cap_ratio,
                double text_scale, theme_palette palette)
{
    t->c = theme_palette_colors(palette);
    t->high_contrast = palette == THEME_HIGH_CONTRAST;
    t->text_scale = text_scale < 1.0 ? 1.0 : text_scale;
    t->px_per_mm = px_per_mm;
    /* 0.7 degrees is the minimum; 5 % on top keeps rounding on the safe side. */
    double cap_px = theme_cap_mm(0.7, view_distance_mm) * 1.05 * px_per_mm * t->text_scale;
    double body = cap_px / cap_ratio;
    t->px_body = (int)ceil(body);
    t->px_title = (int)ceil(body * 1.35);
    t->px_big = (int)ceil(body * 2.2);
    t->target = (int)ceil(12.0 * px_per_mm);
    t->btn_h = (int)ceil(20.0 * px_per_mm);
    if (t->btn_h < t->px_body * 2)
        t->btn_h = t->px_body * 2;
    t->gap = (int)ceil(4.0 * px_per_mm);
    t->pad = (int)ceil(6.0 * px_per_mm);
    /* the bars grow with the text so that a label always fits its button */
    t->bar_h = (int)ceil(18.0 * px_per_mm);
    if (t->bar_h < t->px_body * 2 + t->gap)
        t->bar_h = t->px_body * 2 + t->gap;
    t->handoff_h = (int)ceil(24.0 * px_per_mm);
    /* room for its words on two lines in large text ("Hulp van een medewerker") */
    int words = (int)ceil(t->px_body * (t->text_scale > 1.0 ? 2.9 : 2.0)) + t->gap;
    if (t->handoff_h < words)
        t->handoff_h = words;
    t->help_h = t->handoff_h;
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
