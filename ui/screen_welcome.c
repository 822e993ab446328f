/* Welcome: what the kiosk does in one sentence, choose a language, start. */
#include "core/i18n.h"
#include "layout.h"

void screen_welcome(layout *L)
{
    const theme *th = L->th;
    lang_id lang = L->lang;
    SDL_Rect a = chrome_build(L, false);
    int y = a.y + a.h / 8;
    y += layout_text(L, a.x, y, a.w, th->px_title, true, th->c.text, th->c.bg, ALIGN_CENTER,
                     tr(lang, "Welkom")) +
         th->gap;
    y += layout_text(L, a.x, y, a.w, th->px_body, false, th->c.text, th->c.bg, ALIGN_CENTER,
                     tr(lang, "Is er iets veranderd in uw leven? Hier ziet u wat u moet regelen, "
                              "en bij wie.")) +
         2 * th->pad;
    y += layout_text(L, a.x, y, a.w, th->px_body, true, th->c.text, th->c.bg, ALIGN_CENTER,
                     tr(lang, "Kies uw taal")) +
         th->gap;
    /* big language buttons, each in its own language */
    int cols = 2, bw = (a.w - (cols - 1) * th->gap) / cols;
    int i = 0;
    for (int l = 0; l < LANG_COUNT; l++) {
        if (!(L->s->cfg.languages & (1u << l)))
            continue;
        const lang_info *li = lang_get((lang_id)l);
        SDL_Rect r = {a.x + (i % cols) * (bw + th->gap), y + (i / cols) * (th->btn_h + th->gap), bw,
                      th->btn_h};
        layout_button(L, r, layout_printf(L, "welcome-lang:%s", li->code), li->native, "language",
                      (int)lang == l ? BTN_CHOSEN : BTN_SECONDARY,
                      (action){.kind = ACT_SET_LANG, .arg = l});
        i++;
    }
    y += ((i + cols - 1) / cols) * (th->btn_h + th->gap) + th->pad;
    int sh = th->btn_h * 3 / 2;
    if (y + sh > a.y + a.h)
        y = a.y + a.h - sh;
    layout_button(L, (SDL_Rect){a.x, y, a.w, sh}, "start", tr(lang, "Begin"), NULL, BTN_PRIMARY,
                  (action){.kind = ACT_START});
}
