/* What now: print the overview, get help from an employee, or finish. */
#include "core/i18n.h"
#include "core/refnum.h"
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
    /* The case's number, large: the way back to the case when there is no paper (printer
     * out of paper, no printer) — written down, photographed or read out on the phone. */
    bool bad = s->data.print == PRINT_FAILED || s->data.print == PRINT_UNAVAILABLE ||
               s->data.print == PRINT_UNCONFIRMED;
    if (s->data.j.reference[0]) {
        char grouped[24];
        refnum_group(s->data.j.reference, grouped, sizeof grouped);
        int big = th->px_title * 3 / 2;
        const char *label = tr(lang, "Uw nummer");
        int lh = layout_text_height(L, a.w - 2 * th->pad, th->px_body, true, label);
        int nh = layout_text_height(L, a.w - 2 * th->pad, big, true, grouped);
        SDL_Color bg = bad ? th->c.warn : th->c.card, fg = bad ? th->c.on_warn : th->c.on_card;
        layout_panel(L, (SDL_Rect){a.x, y, a.w, lh + nh + 2 * th->pad}, bg, th->c.border, 2);
        layout_text(L, a.x + th->pad, y + th->pad, a.w - 2 * th->pad, th->px_body, true, fg, bg,
                    ALIGN_START, label);
        layout_text(L, a.x + th->pad, y + th->pad + lh, a.w - 2 * th->pad, big, true, fg, bg,
                    ALIGN_START, layout_str(L, grouped));
        y += lh + nh + 2 * th->pad + th->gap;
    }
    int h = th->btn_h * 5 / 4;
    if (s->data.print != PRINT_UNAVAILABLE) {
        const char *label = s->data.print == PRINT_DONE || s->data.print == PRINT_UNCONFIRMED
                                ? tr(lang, "Nog een keer printen")
                                : tr(lang, "Print mijn overzicht");
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
        status = tr(lang, "Uw overzicht is geprint. Neem het papier uit de printer.");
        break;
    case PRINT_UNCONFIRMED:
        status = s->data.j.reference[0]
                     ? tr(lang, "Kijk of er een papier uit de printer komt. Geen papier? Schrijf "
                                "dan uw nummer op. Een medewerker kan het overzicht voor u "
                                "printen.")
                     : tr(lang, "Kijk of er een papier uit de printer komt. Geen papier? Een "
                                "medewerker kan het overzicht voor u printen.");
        break;
    case PRINT_FAILED:
        status = s->data.j.reference[0]
                     ? tr(lang, "Het printen is niet gelukt. Schrijf uw nummer op of maak er een "
                                "foto van. Een medewerker kan het overzicht voor u printen. Tik "
                                "op Hulp van een medewerker.")
                     : tr(lang, "Het printen is niet gelukt. Een medewerker kan het overzicht "
                                "voor u printen. Tik op Hulp van een medewerker.");
        break;
    case PRINT_UNAVAILABLE:
        status = s->data.j.reference[0]
                     ? tr(lang, "Deze zuil heeft geen printer. Schrijf uw nummer op of maak er "
                                "een foto van. Een medewerker kan het overzicht voor u printen. "
                                "Tik op Hulp van een medewerker.")
                     : tr(lang, "Deze zuil heeft geen printer. Een medewerker kan het overzicht "
                                "voor u printen. Tik op Hulp van een medewerker.");
        break;
    default:
        break;
    }
    if (status) {
        int th_ = layout_text_height(L, a.w - 2 * th->pad, th->px_body, false, status);
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
