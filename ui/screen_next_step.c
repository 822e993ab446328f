/* What now: send my story to the municipality, print the overview, get help from an employee,
 * or finish. The case's number stays in view. Portrait: one column. Landscape: the number and
 * what happened on the left, the choices on the right. */
#include "core/i18n.h"
#include "core/refnum.h"
#include "layout.h"

/* A panel with a text in it; returns the height used (with the gap). */
static int status_panel(layout *L, SDL_Rect col, int y, bool bad, const char *text)
{
    const theme *th = L->th;
    SDL_Color bg = bad ? th->c.warn : th->c.card, fg = bad ? th->c.on_warn : th->c.on_card;
    int h = layout_text_height(L, col.w - 2 * th->pad, th->px_body, false, text);
    layout_panel(L, (SDL_Rect){col.x, y, col.w, h + 2 * th->pad}, bg, th->c.border, 2);
    layout_text(L, col.x + th->pad, y + th->pad, col.w - 2 * th->pad, th->px_body, false, fg, bg,
                ALIGN_START, text);
    return h + 2 * th->pad + th->gap;
}

static int action_button(layout *L, SDL_Rect col, int y, const char *id, const char *label,
                         const char *icon, button_style st, action act)
{
    return layout_button_fit(L, col, y, L->th->btn_h * 5 / 4, id, label, icon, st, act);
}

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
    bool landscape = L->W > L->H;
    SDL_Rect info = a, choices = a;
    if (landscape) {
        info.w = (a.w - 2 * th->gap) * 9 / 20;
        choices.x = a.x + info.w + 2 * th->gap;
        choices.w = a.w - info.w - 2 * th->gap;
    }
    int yi = y, yc = y; /* the two columns' cursors (one column in portrait: kept equal) */

    /* The case's number, large: the way back to the case when there is no paper (printer
     * out of paper, no printer) — written down, photographed or read out on the phone. */
    bool bad = s->data.print == PRINT_FAILED || s->data.print == PRINT_UNAVAILABLE ||
               s->data.print == PRINT_UNCONFIRMED;
    if (s->data.j.reference[0]) {
        char grouped[24];
        refnum_group(s->data.j.reference, grouped, sizeof grouped);
        int big = th->px_title * 3 / 2;
        const char *label = tr(lang, "Uw nummer");
        int lh = layout_text_height(L, info.w - 2 * th->pad, th->px_body, true, label);
        int nh = layout_text_height(L, info.w - 2 * th->pad, big, true, grouped);
        SDL_Color bg = bad ? th->c.warn : th->c.card, fg = bad ? th->c.on_warn : th->c.on_card;
        layout_panel(L, (SDL_Rect){info.x, yi, info.w, lh + nh + 2 * th->pad}, bg, th->c.border, 2);
        layout_text(L, info.x + th->pad, yi + th->pad, info.w - 2 * th->pad, th->px_body, true, fg,
                    bg, ALIGN_START, label);
        layout_text(L, info.x + th->pad, yi + th->pad + lh, info.w - 2 * th->pad, big, true, fg, bg,
                    ALIGN_START, layout_str(L, grouped));
        yi += lh + nh + 2 * th->pad + th->gap;
    }
    if (!landscape)
        yc = yi;

    /* my story to the municipality (consent first), once; then what became of it */
    if (s->data.j.reference[0] && s->data.intake != INTAKE_SAVED &&
        s->data.intake != INTAKE_SAVING) {
        yc +=
            action_button(L, choices, yc, "share", tr(lang, "Stuur mijn verhaal naar de gemeente"),
                          "forward", BTN_SECONDARY, (action){.kind = ACT_SHARE});
        if (!landscape)
            yi = yc;
    }
    const char *sent = s->data.intake == INTAKE_SAVED
                           ? tr(lang, "Uw verhaal is naar de gemeente gestuurd. Noem uw nummer "
                                      "als u belt of langskomt.")
                       : s->data.intake == INTAKE_FAILED
                           ? tr(lang, "Het versturen is niet gelukt. Een medewerker kan u "
                                      "helpen. Tik op Hulp van een medewerker.")
                           : NULL;
    if (sent) {
        yi += status_panel(L, info, yi, s->data.intake == INTAKE_FAILED, sent);
        if (!landscape)
            yc = yi;
    }

    if (s->data.print != PRINT_UNAVAILABLE) {
        const char *label = s->data.print == PRINT_DONE || s->data.print == PRINT_UNCONFIRMED
                                ? tr(lang, "Nog een keer printen")
                                : tr(lang, "Print mijn overzicht");
        yc += action_button(L, choices, yc, "print", label, "print", BTN_SECONDARY,
                            (action){.kind = ACT_PRINT});
        if (!landscape)
            yi = yc;
    }
    /* EN 301 549 5.1.3.16: with read-aloud on, what the paper says can be heard too */
    if (s->access.speech) {
        yc += action_button(L, choices, yc, "speak-slip",
                            tr(lang, "Lees voor wat op het papier staat"), "speaker", BTN_SECONDARY,
                            (action){.kind = ACT_SPEECH_SLIP});
        if (!landscape)
            yi = yc;
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
        yi += status_panel(L, info, yi, bad, status);
        if (!landscape)
            yc = yi;
    }
    /* help from an employee as a choice of its own; where large text leaves no room for it,
     * the help button in the bar below does the same */
    const char *help = tr(lang, "Hulp van een medewerker"), *done = tr(lang, "Ik ben klaar");
    int tw = choices.w - 2 * th->pad - th->btn_h, min_h = th->btn_h * 5 / 4;
    int hh = layout_text_height(L, tw, th->px_body, true, help) + 2 * th->gap;
    int dh = layout_text_height(L, tw, th->px_body, true, done) + 2 * th->gap;
    hh = (hh > min_h ? hh : min_h) + th->gap;
    dh = dh > min_h ? dh : min_h;
    if (yc + hh + dh <= a.y + a.h)
        yc += action_button(L, choices, yc, "handoff-next", help, "help", BTN_SECONDARY,
                            (action){.kind = ACT_HANDOFF});
    action_button(L, choices, yc, "done", done, "done", BTN_PRIMARY, (action){.kind = ACT_DONE});
}
