/* Help from an employee: what happens next. The citizen's answers stay where they were.
 * - on its way: "an employee is being told";
 * - arrived at the desk: "someone is coming", with a number to recognise each other by, and
 *   "not needed after all"; for a call-back: "we will call you", with the number;
 * - out of hours: nobody can come now; a call-back instead;
 * - not arrived: go to the desk, or try again. */
#include <stdio.h>

#include "core/i18n.h"
#include "layout.h"

void overlay_handoff(layout *L)
{
    const theme *th = L->th;
    const session *s = L->s;
    lang_id lang = L->lang;
    layout_overlay(L, 1);
    int w = L->W - 4 * th->pad, x = 2 * th->pad;
    const char *title, *body;
    handoff_status st = s->data.handoff;
    bool callback = s->data.handoff_callback;
    /* out of hours, nothing asked yet (or the last try failed): offer a call-back */
    bool closed = s->off_duty && (st == HANDOFF_NONE || (st == HANDOFF_FAILED && !callback));
    const char *code = NULL;
    /* a call-back that could not be sent yet is kept in the outbox: it goes when it can */
    bool kept = st == HANDOFF_FAILED && callback && s->cfg.handoff_queued;
    if ((st == HANDOFF_SENT || kept) && s->data.handoff_number[0])
        code = s->data.handoff_number + 6; /* the last 4 digits */
    if (closed) {
        title = tr(lang, "Er is nu geen medewerker");
        body = tr(lang, "De balie is nu dicht. Wij kunnen u terugbellen. Dan hoeft u niet te "
                        "wachten.");
    } else if (kept) {
        title = tr(lang, "Uw vraag is bewaard");
        body = tr(lang, "Het systeem is nu niet bereikbaar. We sturen uw vraag door zodra het "
                        "weer werkt. Een medewerker belt u dan. Noem dan dit nummer.");
    } else if (st == HANDOFF_SENT && callback) {
        title = tr(lang, "Wij bellen u terug");
        body = tr(lang, "Een medewerker belt u op het nummer dat u gaf. Noem dan dit nummer.");
    } else if (st == HANDOFF_SENT) {
        title = tr(lang, "Er komt een medewerker naar u toe");
        body = tr(lang, "De medewerker noemt dit nummer. Blijf hier wachten. Uw antwoorden "
                        "blijven bewaard. U kunt ook verder gaan tot de medewerker er is.");
    } else if (st == HANDOFF_FAILED) {
        title = tr(lang, "Dat is niet gelukt");
        body = tr(lang, "We konden geen medewerker waarschuwen. Loop naar de balie, of vraag "
                        "iemand die hier werkt.");
    } else {
        title = callback ? tr(lang, "Uw vraag wordt verstuurd")
                         : tr(lang, "Een medewerker wordt gewaarschuwd");
        body = tr(lang, "Een ogenblik.");
    }
    const char *code_line = code ? layout_printf(L, "%s: %s", tr(lang, "Uw nummer"), code) : NULL;
    int inner = w - 2 * th->pad;
    /* after a call-back: a slip with the number, when there is a printer */
    bool slip = callback && code && s->data.print != PRINT_UNAVAILABLE;
    const char *slip_note = NULL;
    if (slip && s->data.print == PRINT_BUSY)
        slip_note = tr(lang, "De bon wordt geprint.");
    else if (slip && (s->data.print == PRINT_DONE || s->data.print == PRINT_UNCONFIRMED))
        slip_note = tr(lang, "Neem de bon mee.");
    else if (slip && s->data.print == PRINT_FAILED)
        slip_note = tr(lang, "Printen lukt niet. Schrijf het nummer op.");
    bool slip_button = slip && (s->data.print == PRINT_NONE || s->data.print == PRINT_FAILED);
    int buttons = closed                              ? 2
                  : st == HANDOFF_FAILED && !callback ? 2
                  : st == HANDOFF_SENT && !callback   ? 2
                  : st == HANDOFF_SENDING             ? 0
                                                      : 1;
    buttons += slip_button ? 1 : 0;
    if (slip_note)
        body = layout_printf(L, "%s %s", body, slip_note);
    int h = th->pad + layout_text_height(L, inner, th->px_title, true, title) + th->gap +
            layout_text_height(L, inner, th->px_body, false, body) + th->pad +
            buttons * (th->btn_h + th->gap) + th->pad;
    if (code_line)
        h += layout_text_height(L, inner, th->px_big, true, code_line) + th->gap;
    int y = (L->H - h) / 2;
    if (y < th->pad)
        y = th->pad;
    layout_panel(L, (SDL_Rect){x, y, w, h}, th->c.card, th->c.handoff, 4);
    y += th->pad;
    y += layout_text(L, x + th->pad, y, inner, th->px_title, true, th->c.on_card, th->c.card,
                     ALIGN_START, title) +
         th->gap;
    if (code_line)
        y += layout_text(L, x + th->pad, y, inner, th->px_big, true, th->c.on_card, th->c.card,
                         ALIGN_START, code_line) +
             th->gap;
    y += layout_text(L, x + th->pad, y, inner, th->px_body, false, th->c.on_card, th->c.card,
                     ALIGN_START, body) +
         th->pad;
    if (closed) {
        layout_button(L, (SDL_Rect){x + th->pad, y, inner, th->btn_h}, "callback-start",
                      tr(lang, "Bel mij terug"), "phone", BTN_PRIMARY,
                      (action){.kind = ACT_CALLBACK_START});
        y += th->btn_h + th->gap;
        layout_button(L, (SDL_Rect){x + th->pad, y, inner, th->btn_h}, "handoff-close",
                      tr(lang, "Verder gaan"), NULL, BTN_SECONDARY,
                      (action){.kind = ACT_HANDOFF_CLOSE});
    } else {
        if (st == HANDOFF_FAILED && !callback) {
            layout_button(L, (SDL_Rect){x + th->pad, y, inner, th->btn_h}, "handoff-retry",
                          tr(lang, "Nog een keer proberen"), "help", BTN_HANDOFF,
                          (action){.kind = ACT_HANDOFF});
            y += th->btn_h + th->gap;
        }
        if (st != HANDOFF_SENDING) {
            layout_button(L, (SDL_Rect){x + th->pad, y, inner, th->btn_h}, "handoff-close",
                          tr(lang, "Verder gaan"), NULL, BTN_PRIMARY,
                          (action){.kind = ACT_HANDOFF_CLOSE});
            y += th->btn_h + th->gap;
        }
        if (slip_button) {
            layout_button(L, (SDL_Rect){x + th->pad, y, inner, th->btn_h}, "handoff-print",
                          tr(lang, "Print een bon met dit nummer"), "print", BTN_SECONDARY,
                          (action){.kind = ACT_PRINT});
            y += th->btn_h + th->gap;
        }
        if (st == HANDOFF_SENT && !callback)
            layout_button(L, (SDL_Rect){x + th->pad, y, inner, th->btn_h}, "handoff-cancel",
                          tr(lang, "Ik heb geen hulp meer nodig"), NULL, BTN_SECONDARY,
                          (action){.kind = ACT_HANDOFF_CANCEL});
    }
    /* read-aloud and adjust stay reachable (help is this message itself) */
    help_bar(L, false);
}
