/* Inactivity warning: a countdown and one big "I'm still here". */
#include "core/i18n.h"
#include "layout.h"

void overlay_timeout(layout *L)
{
    const theme *th = L->th;
    const session *s = L->s;
    lang_id lang = L->lang;
    layout_overlay(L, 2);
    int w = L->W - 4 * th->pad, x = 2 * th->pad, inner = w - 2 * th->pad;
    int left = session_warning_seconds_left(s);
    const char *title = tr(lang, "Bent u er nog?");
    const char *body = layout_printf(
        L,
        trn(lang,
            "Als u niets doet, beginnen we over %d seconde opnieuw. Uw antwoorden worden "
            "dan gewist.",
            "Als u niets doet, beginnen we over %d seconden opnieuw. Uw antwoorden worden dan "
            "gewist.",
            (unsigned long)left),
        left);
    bool can_extend = s->cfg.max_extensions == 0 || s->extensions < s->cfg.max_extensions;
    int big_h = th->btn_h * 3 / 2;
    int h = th->pad + layout_text_height(L, inner, th->px_title, true, title) + th->gap +
            text_line_height(L->tx, th->px_big, true) + th->gap +
            layout_text_height(L, inner, th->px_body, false, body) + th->pad +
            (can_extend ? big_h + th->pad : 0);
    int y = (L->H - h) / 2;
    layout_panel(L, (SDL_Rect){x, y, w, h}, th->c.warn, th->c.on_warn, 4);
    y += th->pad;
    y += layout_text(L, x + th->pad, y, inner, th->px_title, true, th->c.on_warn, th->c.warn,
                     ALIGN_CENTER, title) +
         th->gap;
    /* the countdown changes every second: it is no new screen to read aloud; the big number
     * is what the sentence below already says */
    L->flags = WF_LIVE | WF_QUIET;
    y += layout_text(L, x + th->pad, y, inner, th->px_big, true, th->c.on_warn, th->c.warn,
                     ALIGN_CENTER, layout_printf(L, "%d", left)) +
         th->gap;
    L->flags = WF_LIVE;
    y += layout_text(L, x + th->pad, y, inner, th->px_body, false, th->c.on_warn, th->c.warn,
                     ALIGN_CENTER, body) +
         th->pad;
    L->flags = 0;
    if (can_extend)
        layout_button(L, (SDL_Rect){x + th->pad, y, inner, big_h}, "still-here",
                      tr(lang, "Ik ben er nog"), NULL, BTN_PRIMARY,
                      (action){.kind = ACT_STILL_HERE});
    /* help, read-aloud and adjust stay reachable */
    help_bar(L, true);
}
