/* "Adjust": read aloud (on/off, again, slower/faster, softer/louder, language, headset), large
 * text, high contrast and low reach. Every switch says its state in words, not only in colour. */
#include "core/i18n.h"
#include "layout.h"

#include <string.h>

static const char *on_off(const layout *L, const char *what, bool on)
{
    return layout_printf((layout *)L, "%s: %s", what, on ? tr(L->lang, "aan") : tr(L->lang, "uit"));
}

void overlay_access(layout *L)
{
    const theme *th = L->th;
    const session *s = L->s;
    const access_prefs *a = &s->access;
    lang_id lang = L->lang;
    layout_overlay(L, 1);
    int w = L->W - 4 * th->pad, x = 2 * th->pad, inner = w - 2 * th->pad;
    int col_w = (inner - th->gap) / 2;
    const char *title = a->menu == 2 ? tr(lang, "Voorlezen instellen") : tr(lang, "Aanpassen");
    const char *levels = layout_printf(
        L, tr(lang, "Snelheid: %d van %d. Volume: %d van %d."), a->rate - ACCESS_RATE_MIN + 1,
        ACCESS_RATE_MAX - ACCESS_RATE_MIN + 1, a->volume + 1, ACCESS_VOLUME_LEVELS);
    lang_id sl = session_speech_lang(s);
    const char *speech_lang =
        layout_printf(L, "%s: %s", tr(lang, "Voorlezen in"), lang_get(sl)->native);
    /* next offered language to read in; after the last, the screen's own again */
    int next = -1;
    for (int l = (a->speech_lang < 0 ? (int)lang : a->speech_lang) + 1; l < LANG_COUNT; l++)
        if (s->cfg.languages & (1u << l) && l != (int)lang) {
            next = l;
            break;
        }
    if (next < 0 && a->speech_lang < 0)
        for (int l = 0; l < (int)lang; l++)
            if (s->cfg.languages & (1u << l)) {
                next = l;
                break;
            }
    struct item {
        const char *id, *label, *icon;
        bool on;
        action act;
    };
    /* two pages, so that each fits the lower part of the screen in large text: first what
     * is seen and reached (and read-aloud on or off), then how it is read */
    const struct item seeing[] = {
        {"large-text",
         L->large_blocked ? tr(lang, "Grote letters: niet samen met Knoppen lager op dit scherm")
                          : on_off(L, tr(lang, "Grote letters"), a->large_text),
         NULL,
         a->large_text && !L->large_blocked,
         {.kind = ACT_LARGE_TEXT}},
        {"high-contrast",
         on_off(L, tr(lang, "Sterk contrast"), a->high_contrast),
         NULL,
         a->high_contrast,
         {.kind = ACT_HIGH_CONTRAST}},
        {"low-reach",
         on_off(L, tr(lang, "Knoppen lager"), a->low_reach),
         NULL,
         a->low_reach,
         {.kind = ACT_LOW_REACH}},
        {"speech-switch",
         on_off(L, tr(lang, "Voorlezen"), a->speech),
         "speaker",
         a->speech,
         {.kind = ACT_SPEECH, .arg = -1}},
        {"speech-settings",
         tr(lang, "Voorlezen instellen"),
         "forward",
         false,
         {.kind = ACT_ACCESS_MENU, .arg = 2}},
        {"access-close", tr(lang, "Klaar"), NULL, false, {.kind = ACT_ACCESS_MENU}},
    };
    const struct item reading[] = {
        {"speech-repeat",
         tr(lang, "Nog een keer voorlezen"),
         NULL,
         false,
         {.kind = ACT_SPEECH_REPEAT}},
        {"speech-lang", speech_lang, NULL, false, {.kind = ACT_SPEECH_LANG, .arg = next}},
        {"speech-slower", tr(lang, "Langzamer"), NULL, false, {.kind = ACT_SPEECH_RATE, .arg = -1}},
        {"speech-faster", tr(lang, "Sneller"), NULL, false, {.kind = ACT_SPEECH_RATE, .arg = 1}},
        {"speech-softer", tr(lang, "Zachter"), NULL, false, {.kind = ACT_SPEECH_VOLUME, .arg = -1}},
        {"speech-louder", tr(lang, "Harder"), NULL, false, {.kind = ACT_SPEECH_VOLUME, .arg = 1}},
        {"headset",
         on_off(L, tr(lang, "Koptelefoon"), a->headset),
         NULL,
         a->headset,
         {.kind = ACT_HEADSET}},
        {"speech-switch",
         on_off(L, tr(lang, "Voorlezen"), a->speech),
         "speaker",
         a->speech,
         {.kind = ACT_SPEECH, .arg = -1}},
        {"access-back", tr(lang, "Terug"), "back", false, {.kind = ACT_ACCESS_MENU, .arg = 1}},
        {"access-close", tr(lang, "Klaar"), NULL, false, {.kind = ACT_ACCESS_MENU}},
    };
    /* without a sound device: no read-aloud items (seeing and reaching, and "done") */
    const struct item quiet[] = {seeing[0], seeing[1], seeing[2], seeing[5]};
    bool speech = s->cfg.has_speech, page2 = a->menu == 2 && speech;
    const struct item *items = page2 ? reading : speech ? seeing : quiet;
    const int N = page2    ? (int)(sizeof reading / sizeof reading[0])
                  : speech ? (int)(sizeof seeing / sizeof seeing[0])
                           : (int)(sizeof quiet / sizeof quiet[0]);
    if (!page2)
        levels = NULL; /* rate and volume belong to the second page */
    /* two per row; a row is as high as its longer label needs */
    int row_h[8];
    int h = th->pad + layout_text_height(L, inner, th->px_title, true, title) + th->gap +
            (levels ? layout_text_height(L, inner, th->px_body, false, levels) + th->gap : 0) +
            th->pad;
    for (int r = 0; r < (N + 1) / 2; r++) {
        row_h[r] = th->btn_h;
        for (int k = 2 * r; k < N && k < 2 * r + 2; k++) {
            int tw = col_w - 2 * th->pad - (items[k].icon ? th->btn_h : 0);
            int need = layout_text_height(L, tw, th->px_body, true, items[k].label) + 2 * th->gap;
            if (need > row_h[r])
                row_h[r] = need;
        }
        h += row_h[r] + th->gap;
    }
    int avail = L->H - th->help_h - 2 * th->gap;
    int y = (avail - h) / 2;
    if (y < th->gap)
        y = th->gap;
    layout_panel(L, (SDL_Rect){x, y, w, h}, th->c.card, th->c.border, 4);
    int cx = x + th->pad;
    y += th->pad;
    y += layout_text(L, cx, y, inner, th->px_title, true, th->c.on_card, th->c.card, ALIGN_START,
                     title) +
         th->gap;
    if (levels)
        y += layout_text(L, cx, y, inner, th->px_body, false, th->c.on_card, th->c.card,
                         ALIGN_START, levels) +
             th->gap;
    for (int k = 0; k < N; k++) {
        const struct item *it = &items[k];
        SDL_Rect r = {cx + (k % 2) * (col_w + th->gap), y, col_w, row_h[k / 2]};
        button_style st = !strcmp(it->id, "access-close") ? BTN_PRIMARY
                          : it->on                        ? BTN_CHOSEN
                                                          : BTN_SECONDARY;
        layout_button(L, r, it->id, it->label, it->icon, st, it->act);
        if (k % 2)
            y += row_h[k / 2] + th->gap;
    }
    help_bar(L, true);
}
