/* The content could not be loaded: no advice rather than wrong advice. Help still works. */
#include "core/i18n.h"
#include "layout.h"

void screen_out_of_order(layout *L)
{
    const theme *th = L->th;
    lang_id lang = L->lang;
    SDL_Rect a = chrome_build(L, false);
    int y = a.y + a.h / 4;
    y += layout_text(L, a.x, y, a.w, th->px_title, true, th->c.text, th->c.bg, ALIGN_CENTER,
                     tr(lang, "Deze zuil werkt nu niet")) +
         th->gap;
    layout_text(L, a.x, y, a.w, th->px_body, false, th->c.text, th->c.bg, ALIGN_CENTER,
                tr(lang, "Sorry. Een medewerker helpt u graag. Tik op de groene knop, of loop "
                         "naar de balie."));
}
