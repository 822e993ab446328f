/* Goodbye: the session is already wiped; back to the welcome screen after a short while. */
#include "core/i18n.h"
#include "layout.h"

void screen_goodbye(layout *L)
{
    const theme *th = L->th;
    lang_id lang = L->lang;
    SDL_Rect a = chrome_build(L, false);
    int y = a.y + a.h / 4;
    y += layout_text(L, a.x, y, a.w, th->px_title, true, th->c.text, th->c.bg, ALIGN_CENTER,
                     tr(lang, "Bedankt en tot ziens")) +
         th->gap;
    y += layout_text(L, a.x, y, a.w, th->px_body, false, th->c.text, th->c.bg, ALIGN_CENTER,
                     tr(lang, "Uw antwoorden zijn gewist. Niemand kan ze hier nog zien.")) +
         2 * th->pad;
    layout_button(L, (SDL_Rect){a.x, y, a.w, th->btn_h}, "restart", tr(lang, "Opnieuw beginnen"),
                  NULL, BTN_PRIMARY, (action){.kind = ACT_RESTART});
}
