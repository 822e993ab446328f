/* What now: print the overview, get help from an employee, or finish. */
#include "core/i18n.h"
#include "layout.h"

void screen_next_step(layout *L)
{
    const theme *th = L->th;
    const session *s = L->s;
    lang_id lang = L->lang;
    SDL_Rect a = chrome_build(L, true);
    int y = a.y;
    y += layout_text(L, a.x, y, a.w, th->px_title, true, th->c.text, th->c.bg, ALIGN_START,
                     tr(lang, "Wat wilt u nu doen?")) +
         2 * th->gap;
    int h = th->btn_h * 5 / 4;
    /* a printer that cannot print the citizen's language prints the slip in Dutch: say so
     * before, so nobody is surprised by a paper they cannot read */
    bool in_dutch = session_slip_in_dutch(s);
    if (s->data.print != PRINT_UNAVAILABLE) {
        const char *label = s->data.print == PRINT_DONE
                                ? (in_dutch ? tr(lang, "Nog een keer printen (in het Nederlands)")
                                            : tr(lang, "Nog een keer printen"))
                                : (in_dutch ? tr(lang, "Print mijn overzicht (in het Nederlands)")
                                            : tr(lang, "Print mijn overzicht"));
        int bh = layout_text_height(L, a.w - 2 * th->pad - th->btn_h, th->px_body, true, label) +
                 2 * th->gap;
        if (bh < h)
            bh = h;
        layout_button(L, (SDL_Rect){a.x, y, a.w, bh}, "print", label, "print", BTN_SECONDARY,
                      (action){.kind = ACT_PRINT});
        y += bh + th->gap;
    }
    const char *status = NULL;
    switch (s->data.print) {
    case PRINT_BUSY:
        status = tr(lang, "Uw overzicht wordt nu geprint. Een ogenblik.");
        break;
    case PRINT_DONE:
        status = s->data.print_dutch
                     ? tr(lang, "Uw overzicht is geprint, in het Nederlands: deze printer kan uw "
                                "taal nog niet printen. Neem het papier uit de printer. Een "
                                "medewerker kan het met u lezen.")
                     : tr(lang, "Uw overzicht is geprint. Neem het papier uit de printer.");
        break;
    case PRINT_FAILED:
        status = tr(lang, "Het printen is niet gelukt. Een medewerker kan het overzicht voor u "
                          "printen. Tik op Hulp van een medewerker.");
        break;
    case PRINT_UNAVAILABLE:
        status = tr(lang, "Deze zuil heeft geen printer. Een medewerker kan het overzicht voor u "
                          "printen. Tik op Hulp van een medewerker.");
        break;
    default:
        break;
    }
    if (status) {
        int th_ = layout_text_height(L, a.w - 2 * th->pad, th->px_body, false, status);
        bool bad = s->data.print == PRINT_FAILED || s->data.print == PRINT_UNAVAILABLE;
        SDL_Color bg = bad ? th->c.warn : th->c.card, fg = bad ? th->c.on_warn : th->c.on_card;
        layout_panel(L, (SDL_Rect){a.x, y, a.w, th_ + 2 * th->pad}, bg, th->c.border, 2);
        layout_text(L, a.x + th->pad, y + th->pad, a.w - 2 * th->pad, th->px_body, false, fg, bg,
                    ALIGN_START, status);
        y += th_ + 2 * th->pad + th->gap;
    }
    layout_button(L, (SDL_Rect){a.x, y, a.w, h}, "handoff-next",
                  tr(lang, "Hulp van een medewerker"), "help", BTN_SECONDARY,
                  (action){.kind = ACT_HANDOFF});
    y += h + th->gap;
    layout_button(L, (SDL_Rect){a.x, y, a.w, h}, "done", tr(lang, "Ik ben klaar"), "done",
                  BTN_PRIMARY, (action){.kind = ACT_DONE});
}
