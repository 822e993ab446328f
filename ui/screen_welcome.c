/* Welcome: what the kiosk does in one sentence, choose a language, start. */
#include "core/i18n.h"
#include "layout.h"

void screen_welcome(layout *L)
{
    const theme *th = L->th;
    lang_id lang = L->lang;
    SDL_Rect a = chrome_build(L, false);
    const char *title = tr(lang, "Welkom");
    const char *intro =
        tr(lang, "Is er iets veranderd in uw leven? Hier ziet u wat u moet regelen, "
                 "en bij wie.");
    const char *choose = tr(lang, "Kies uw taal");
    int n = 0;
    for (int l = 0; l < LANG_COUNT; l++)
        n += (L->s->cfg.languages & (1u << l)) != 0;
    int sh = th->btn_h * 3 / 2;
    int head = layout_text_height(L, a.w, th->px_title, true, title) + th->gap +
               layout_text_height(L, a.w, th->px_body, false, intro) + 2 * th->pad;
    int pick = layout_text_height(L, a.w, th->px_body, true, choose) + th->gap;
    /* big language buttons, each in its own language: two columns, three when large text
     * leaves too little room, none when even that does not fit (the top bar has them too) */
    int cols = 0;
    for (int c = 2; c <= 3 && !cols; c++) {
        int rows = (n + c - 1) / c;
        if (head + pick + rows * (th->btn_h + th->gap) + th->pad + sh <= a.h)
            cols = c;
    }
    int need = head + sh +
               (cols ? pick + ((n + cols - 1) / cols) * (th->btn_h + th->gap) + th->pad : th->pad);
    int slack = a.h - need;
    int y = a.y + (slack <= 0 ? 0 : slack < a.h / 4 ? slack / 2 : a.h / 8);
    y +=
        layout_text(L, a.x, y, a.w, th->px_title, true, th->c.text, th->c.bg, ALIGN_CENTER, title) +
        th->gap;
    y +=
        layout_text(L, a.x, y, a.w, th->px_body, false, th->c.text, th->c.bg, ALIGN_CENTER, intro) +
        2 * th->pad;
    if (cols) {
        y += layout_text(L, a.x, y, a.w, th->px_body, true, th->c.text, th->c.bg, ALIGN_CENTER,
                         choose) +
             th->gap;
        int bw = (a.w - (cols - 1) * th->gap) / cols;
        int i = 0;
        for (int l = 0; l < LANG_COUNT; l++) {
            if (!(L->s->cfg.languages & (1u << l)))
                continue;
            const lang_info *li = lang_get((lang_id)l);
            SDL_Rect r = {a.x + (i % cols) * (bw + th->gap), y + (i / cols) * (th->btn_h + th->gap),
                          bw, th->btn_h};
            /* narrow columns: the name alone, without the pictogram. Not read on arrival by
             * the screen's voice (which cannot say "العربية"): each name is said in its own
             * language when the focus reaches it */
            L->flags = WF_QUIET;
            layout_button(L, r, layout_printf(L, "welcome-lang:%s", li->code), li->native,
                          cols == 2 ? "language" : NULL,
                          (int)lang == l ? BTN_CHOSEN : BTN_SECONDARY,
                          (action){.kind = ACT_SET_LANG, .arg = l});
            L->flags = 0;
            i++;
        }
        y += ((i + cols - 1) / cols) * (th->btn_h + th->gap) + th->pad;
    } else {
        y += th->pad;
    }
    if (y + sh > a.y + a.h)
        y = a.y + a.h - sh;
    layout_button(L, (SDL_Rect){a.x, y, a.w, sh}, "start", tr(lang, "Begin"), NULL, BTN_PRIMARY,
                  (action){.kind = ACT_START});
}
