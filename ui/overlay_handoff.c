/* Help from an employee: what happens next. The citizen's answers stay where they were. */
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
    switch (s->data.handoff) {
    case HANDOFF_SENT:
        title = tr(lang, "Er komt een medewerker naar u toe");
        body = tr(lang, "Blijf hier wachten. Uw antwoorden blijven bewaard. U kunt ook verder "
                        "gaan tot de medewerker er is.");
        break;
    case HANDOFF_FAILED:
        title = tr(lang, "Dat is niet gelukt");
        body = tr(lang, "We konden geen medewerker waarschuwen. Loop naar de balie, of vraag "
                        "iemand die hier werkt.");
        break;
    default:
        title = tr(lang, "Een medewerker wordt gewaarschuwd");
        body = tr(lang, "Een ogenblik.");
        break;
    }
    int inner = w - 2 * th->pad;
    int h = th->pad + layout_text_height(L, inner, th->px_title, true, title) + th->gap +
            layout_text_height(L, inner, th->px_body, false, body) + th->pad + th->btn_h + th->pad;
    if (s->data.handoff == HANDOFF_FAILED)
        h += th->btn_h + th->gap;
    int y = (L->H - h) / 2;
    layout_panel(L, (SDL_Rect){x, y, w, h}, th->c.card, th->c.handoff, 4);
    y += th->pad;
    y += layout_text(L, x + th->pad, y, inner, th->px_title, true, th->c.on_card, th->c.card,
                     ALIGN_START, title) +
         th->gap;
    y += layout_text(L, x + th->pad, y, inner, th->px_body, false, th->c.on_card, th->c.card,
                     ALIGN_START, body) +
         th->pad;
    if (s->data.handoff == HANDOFF_FAILED) {
        layout_button(L, (SDL_Rect){x + th->pad, y, inner, th->btn_h}, "handoff-retry",
                      tr(lang, "Nog een keer proberen"), "help", BTN_HANDOFF,
                      (action){.kind = ACT_HANDOFF});
        y += th->btn_h + th->gap;
    }
    if (s->data.handoff != HANDOFF_SENDING)
        layout_button(L, (SDL_Rect){x + th->pad, y, inner, th->btn_h}, "handoff-close",
                      tr(lang, "Verder gaan"), NULL, BTN_PRIMARY,
                      (action){.kind = ACT_HANDOFF_CLOSE});
    /* read-aloud and adjust stay reachable (help is this message itself) */
    help_bar(L, false);
}
