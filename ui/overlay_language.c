/* The language menu: every language offered, each in its own name, big. */
#include "core/i18n.h"
#include "layout.h"

void overlay_language(layout *L)
{
    const theme *th = L->th;
    const session *s = L->s;
    layout_overlay(L, 1);
    int n = 0;
    for (int l = 0; l < LANG_COUNT; l++)
        n += (s->cfg.languages & (1u << l)) != 0;
    int w = L->W - 4 * th->pad, x = 2 * th->pad, inner = w - 2 * th->pad;
    int cols = L->W > L->H ? 3 : 2, rows = (n + cols - 1) / cols;
    int bw = (inner - (cols - 1) * th->gap) / cols;
    int h = th->pad + rows * (th->btn_h + th->gap) + th->btn_h + th->pad;
    int y = (L->H - h) / 2;
    layout_panel(L, (SDL_Rect){x, y, w, h}, th->c.card, th->c.border, 4);
    int i = 0;
    for (int l = 0; l < LANG_COUNT; l++) {
        if (!(s->cfg.languages & (1u << l)))
            continue;
        const lang_info *li = lang_get((lang_id)l);
        SDL_Rect r = {x + th->pad + (i % cols) * (bw + th->gap),
                      y + th->pad + (i / cols) * (th->btn_h + th->gap), bw, th->btn_h};
        L->flags = WF_QUIET; /* each name is said in its own language on focus */
        layout_button(L, r, layout_printf(L, "lang:%s", li->code), li->native, NULL,
                      (int)L->lang == l ? BTN_CHOSEN : BTN_SECONDARY,
                      (action){.kind = ACT_SET_LANG, .arg = l});
        L->flags = 0;
        i++;
    }
    /* closing keeps the language as it was */
    layout_button(L, (SDL_Rect){x + th->pad, y + h - th->pad - th->btn_h, inner, th->btn_h},
                  "lang-close", tr(L->lang, "Terug"), "back", BTN_PRIMARY,
                  (action){.kind = ACT_LANG_MENU});
    /* help, read-aloud and adjust stay reachable */
    help_bar(L, true);
}
