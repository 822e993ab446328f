/* Filling in my name with my ID card (from the summary of "send my story"): the 6 digits of
 * the card (CAN) on a keypad, "hold your card still" while it is read, and what the card says
 * with whether it is genuine. Only a card checked as genuine fills in the name, and only when
 * the citizen says so; "continue without" is always there. */
#include <string.h>

#include "core/i18n.h"
#include "layout.h"

static int skip_button(layout *L, SDL_Rect a, int y, button_style st)
{
    return column_button(L, a, y, "card-skip", tr(L->lang, "Verder zonder"), "forward", st,
                         (action){.kind = ACT_CARD_SKIP});
}

void screen_card_can(layout *L)
{
    const theme *th = L->th;
    const session *s = L->s;
    lang_id lang = L->lang;
    SDL_Rect a = chrome_build(L, true);
    int y = a.y;
    y += column_text(L, a, y, th->px_title, true, tr(lang, "De cijfers van uw ID-kaart")) + th->gap;
    /* the digits so far, large, in a field; left to right in every language */
    y += entry_field(L, a, y, th->px_title * 3 / 2, s->data.can);
    bool complete = strlen(s->data.can) == SESSION_CAN_DIGITS;
    const char *hint;
    if (s->data.card_error == CARD_ERROR_WRONG_CAN && s->data.card_tries < 0)
        hint = tr(lang, "De cijfers kloppen niet. Probeer het opnieuw.");
    else if (s->data.card_error == CARD_ERROR_WRONG_CAN)
        hint = layout_printf(L,
                             trn(lang, "De cijfers kloppen niet. U kunt het nog %d keer proberen.",
                                 "De cijfers kloppen niet. U kunt het nog %d keer proberen.",
                                 (unsigned long)s->data.card_tries),
                             s->data.card_tries);
    else if (complete)
        hint = tr(lang, "Kloppen de cijfers? Tik dan op Verder.");
    else
        hint = tr(lang, "Typ de 6 cijfers rechtsonder op de voorkant van uw ID-kaart.");
    /* a changed hint (an error after a read) is said again: live */
    L->flags = WF_LIVE;
    y += column_text(L, a, y, th->px_body, s->data.card_error == CARD_ERROR_WRONG_CAN, hint) +
         th->gap;
    L->flags = 0;
    y += digit_keypad(L, a, y, false);
    if (complete)
        column_button(L, a, y, "card-can-done", tr(lang, "Verder"), "forward", BTN_PRIMARY,
                      (action){.kind = ACT_CAN_DONE});
    else /* a passport, or an older card: the details printed by the photo instead */
        column_button(L, a, y, "card-mrz",
                      tr(lang, "Geen 6 cijfers op uw kaart? Vul de gegevens van uw paspoort in"),
                      "forward", BTN_SECONDARY, (action){.kind = ACT_CARD_MRZ});
}

/* "Type my name myself": the way on when a card does not give it. */
static int name_button(layout *L, SDL_Rect a, int y, button_style st)
{
    return column_button(L, a, y, "name-start", tr(L->lang, "Typ mijn naam zelf"), "forward", st,
                         (action){.kind = ACT_NAME_START});
}

void screen_card_reading(layout *L)
{
    const theme *th = L->th;
    const session *s = L->s;
    lang_id lang = L->lang;
    SDL_Rect a = chrome_build(L, true);
    int y = a.y;
    switch (s->data.card_error) {
    case CARD_ERROR_GONE:
        y += column_text(L, a, y, th->px_title, true, tr(lang, "Probeer het opnieuw")) + th->gap;
        y +=
            column_text(L, a, y, th->px_body, false,
                        tr(lang, "Uw kaart lag niet stil. Leg hem terug en probeer het opnieuw.")) +
            2 * th->gap;
        y += column_button(L, a, y, "card-retry", tr(lang, "Opnieuw proberen"), "forward",
                           BTN_PRIMARY, (action){.kind = ACT_CAN_DONE});
        skip_button(L, a, y, BTN_SECONDARY);
        break;
    case CARD_ERROR_UNREADABLE:
        y += column_text(L, a, y, th->px_title, true, tr(lang, "Dit lukt niet")) + th->gap;
        y += column_text(L, a, y, th->px_body, false,
                         tr(lang, "Deze kaart kunnen we niet lezen. U kunt uw naam zelf typen, of "
                                  "verder zonder naam. Een medewerker kan u ook helpen.")) +
             2 * th->gap;
        y += name_button(L, a, y, BTN_PRIMARY);
        skip_button(L, a, y, BTN_SECONDARY);
        break;
    default:
        y += column_text(L, a, y, th->px_title, true, tr(lang, "Houd uw kaart stil op de lezer")) +
             th->gap;
        y += column_text(L, a, y, th->px_body, false,
                         tr(lang, "Leg uw ID-kaart plat op de kaartlezer. Laat hem liggen tot dit "
                                  "scherm verandert. Dat duurt een paar seconden.")) +
             th->gap;
        /* how far the read is: a bar, and the same in words (the bar alone says nothing to
         * the voice); the words change as it goes, no new screen */
        L->flags = WF_LIVE;
        y += column_text(L, a, y, th->px_body, true,
                         layout_printf(L, tr(lang, "Bezig met lezen: stap %d van %d."),
                                       s->data.card_step, CARD_READ_STEPS)) +
             th->gap / 2;
        L->flags = 0;
        int bh = th->target / 2;
        layout_panel(L, (SDL_Rect){a.x, y, a.w, bh}, th->c.card, th->c.border, 2);
        if (s->data.card_step > 0)
            layout_panel(L, (SDL_Rect){a.x, y, a.w * s->data.card_step / CARD_READ_STEPS, bh},
                         th->c.primary, th->c.border, 2);
        y += bh + 2 * th->gap;
        skip_button(L, a, y, BTN_SECONDARY);
        break;
    }
}

void screen_card_confirm(layout *L)
{
    const theme *th = L->th;
    const session *s = L->s;
    lang_id lang = L->lang;
    const card_identity *c = &s->data.card;
    SDL_Rect a = chrome_build(L, true);
    int y = a.y;
    y += column_text(L, a, y, th->px_title, true, tr(lang, "Dit staat op uw ID-kaart")) + th->gap;
    char name[96], born[64];
    card_display_name(c, name, sizeof name);
    i18n_format_date(lang, c->birth, born, sizeof born);
    L->flags = WF_PERSONAL; /* read only through a headset */
    y += column_text(L, a, y, th->px_body, false,
                     layout_printf(L, "%s %s", tr(lang, "Naam:"), name));
    if (born[0])
        y += column_text(L, a, y, th->px_body, false,
                         layout_printf(L, "%s %s", tr(lang, "Geboortedatum:"), born));
    L->flags = 0;
    explicit_bzero(name, sizeof name);
    explicit_bzero(born, sizeof born);
    bool verified = c->pa == CARD_PA_VERIFIED;
    y += column_text(L, a, y, th->px_body, true,
                     verified                          ? tr(lang, "Echt: gecontroleerd")
                     : c->pa == CARD_PA_NOT_VERIFIABLE ? tr(lang, "Echt: niet te controleren")
                                                       : tr(lang, "Echt: niet in orde")) +
         th->gap;
    if (verified) {
        y += column_text(L, a, y, th->px_body, false,
                         tr(lang,
                            "Mogen we deze naam meesturen met uw verhaal? Na uw bezoek wissen we "
                            "alles van de zuil.")) +
             2 * th->gap;
        y += column_button(L, a, y, "card-use", tr(lang, "Ja, gebruik mijn naam"), "yes",
                           BTN_PRIMARY, (action){.kind = ACT_CARD_USE});
        column_button(L, a, y, "card-skip", tr(lang, "Nee, verder zonder"), "no", BTN_SECONDARY,
                      (action){.kind = ACT_CARD_SKIP});
    } else {
        /* a card that is not shown to be genuine never fills in anything */
        y += column_text(
                 L, a, y, th->px_body, false,
                 c->pa == CARD_PA_NOT_VERIFIABLE
                     ? tr(lang, "We kunnen niet controleren of deze kaart echt is. Daarom vullen "
                                "we uw naam niet in. U kunt verder zonder; een medewerker kan u "
                                "helpen.")
                     : tr(lang, "De controle van deze kaart ging niet goed. Daarom vullen we uw "
                                "naam niet in. U kunt verder zonder; een medewerker kan u "
                                "helpen.")) +
             2 * th->gap;
        y += name_button(L, a, y, BTN_PRIMARY);
        skip_button(L, a, y, BTN_SECONDARY);
    }
}
