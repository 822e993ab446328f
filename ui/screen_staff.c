/* An employee at the kiosk (issue 7): the badge's PIN on a keypad, then what the citizen told
 * the kiosk at a glance — life event, answers, the overview's organisations, consent, contact
 * preference, the hand-off — and "I'll take it from here", which closes the desk's task.
 * Staff screens are in Dutch (the employee's language), whatever the citizen chose. */
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "core/phrases.h"
#include "layout.h"

void screen_staff_pin(layout *L)
{
    const theme *th = L->th;
    const session *s = L->s;
    SDL_Rect a = chrome_build(L, true);
    int y = a.y;
    y += column_text(L, a, y, th->px_title, true, "Medewerker: uw pincode") + th->gap;
    char dots[SESSION_PIN_MAX * 4 + 1] = "";
    for (size_t i = 0; i < strlen(s->data.staff_pin); i++)
        strcat(dots, "\xE2\x97\x8F"); /* a dot per digit, never the digit */
    y += entry_field(L, a, y, th->px_title, dots);
    const char *msg;
    if (s->data.staff_error == STAFF_ERROR_LOCKED)
        msg = "Deze pas is geblokkeerd na 5 foute pincodes. Vraag de beheerder om hem vrij te "
              "geven.";
    else if (s->data.staff_error == STAFF_ERROR_NO_PIN)
        msg = "Deze pas heeft nog geen pincode op deze zuil. Vraag de beheerder er een in te "
              "stellen (loket --staff-pin).";
    else if (s->data.staff_error == STAFF_ERROR_WRONG)
        msg = layout_printf(L, "De pincode klopt niet. U kunt het nog %d keer proberen.",
                            s->data.staff_tries);
    else if (s->data.staff_checking)
        msg = "Een ogenblik.";
    else
        msg = "Tik de pincode van uw pas. Daarna ziet u wat de inwoner heeft ingevuld.";
    y += column_text(L, a, y, th->px_body, s->data.staff_error != STAFF_ERROR_NONE, msg) + th->gap;
    if (s->data.staff_error == STAFF_ERROR_LOCKED || s->data.staff_error == STAFF_ERROR_NO_PIN)
        return;
    y += digit_keypad(L, a, y, false);
    if (strlen(s->data.staff_pin) >= SESSION_PIN_MIN && !s->data.staff_checking)
        column_button(L, a, y, "staff-pin-done", "Klaar", "done", BTN_PRIMARY,
                      (action){.kind = ACT_STAFF_PIN_DONE});
}

void screen_staff_view(layout *L)
{
    const theme *th = L->th;
    const session *s = L->s;
    const content *c = s->content;
    SDL_Rect a = chrome_build(L, true);
    int y = a.y;
    int px = th->px_body;
    static const char *const lang_nl[LANG_COUNT] = {
        [LANG_NL] = "Nederlands", [LANG_EN] = "Engels", [LANG_TR] = "Turks",
        [LANG_AR] = "Arabisch",   [LANG_PL] = "Pools",  [LANG_UK] = "Oekraïens"};
    y += column_text(L, a, y, th->px_title, true, "Wat de inwoner heeft ingevuld") + th->gap;
    const life_event *e = session_event(s);
    /* the hand-off */
    const char *ho = "Geen hulp gevraagd.";
    if (s->data.handoff_picked)
        ho = "Hulp gevraagd: u heeft het overgenomen. De taak aan de balie is afgesloten.";
    else if (s->data.handoff_callback && s->data.handoff != HANDOFF_NONE)
        ho = "Terugbelverzoek verstuurd.";
    else if (s->data.handoff != HANDOFF_NONE && s->data.handoff_number[0])
        ho = layout_printf(L, "Hulp gevraagd: nummer %s.", s->data.handoff_number + 6);
    else if (s->data.handoff != HANDOFF_NONE)
        ho = "Hulp gevraagd.";
    y += column_text(L, a, y, px, true, ho) + th->gap / 2;
    y += column_text(L, a, y, px, false,
                     layout_printf(L, "Levensgebeurtenis: %s. Taal: %s.",
                                   e ? ltext_get(&e->title, LANG_NL) : "nog niet gekozen",
                                   lang_nl[s->data.j.lang])) +
         th->gap / 2;
    /* the answers, in Dutch */
    if (e) {
        char ans[256];
        int shown = 0;
        for (int i = 0; i < e->n_questions; i++) {
            if (s->data.j.answers[i] < 0)
                continue;
            phrase_answer(LANG_NL, &e->questions[i], s->data.j.answers[i], s->data.j.dates[i], ans,
                          sizeof ans);
            y += column_text(
                L, a, y, px, false,
                layout_printf(L, "- %s %s", ltext_get(&e->questions[i].text, LANG_NL), ans));
            shown++;
        }
        if (!shown)
            y += column_text(L, a, y, px, false, "Nog geen vragen beantwoord.");
        y += th->gap / 2;
    }
    /* the overview: organisations, and whether the citizen agreed to share */
    uint64_t orgs = session_overview_orgs(s), ticked = s->data.consent & orgs;
    if (c && orgs) {
        char list[1024] = "", agreed[1024] = "";
        for (int o = 0; o < c->n_orgs && o < 64; o++) {
            if (!(orgs >> o & 1))
                continue;
            const char *name = ltext_get(&c->orgs[o].name, LANG_NL);
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", list[0] ? ", " : "",
                     name);
            if (ticked >> o & 1)
                snprintf(agreed + strlen(agreed), sizeof agreed - strlen(agreed), "%s%s",
                         agreed[0] ? ", " : "", name);
        }
        y += column_text(L, a, y, px, false, layout_printf(L, "Overzicht: %s.", list));
        y += column_text(L, a, y, px, false,
                         ticked ? layout_printf(L, "Toestemming om te delen: %s.", agreed)
                                : "Nog geen toestemming om iets te delen.");
        static const char *const contact[] = {"geen", "terugbellen", "e-mail", "aan de balie"};
        int ct = s->data.contact >= 0 && s->data.contact < 4 ? s->data.contact : 0;
        y += column_text(
            L, a, y, px, false,
            layout_printf(L, "Contact: %s%s", contact[ct],
                          s->data.intake == INTAKE_SAVED ? "; verhaal verstuurd." : "."));
        if (s->data.library_number[0]) { /* laid on the summary: it goes with the story */
            L->flags = WF_PERSONAL;
            y += column_text(L, a, y, px, false,
                             layout_printf(L, "Bibliotheekpas: %s.", s->data.library_number));
            L->flags = 0;
        }
        y += th->gap;
    } else {
        y += column_text(L, a, y, px, false,
                         "Nog geen overzicht. Nog geen toestemming om iets te delen.") +
             th->gap;
    }
    bool can_pick = (s->data.handoff == HANDOFF_SENDING || s->data.handoff == HANDOFF_SENT ||
                     s->data.handoff == HANDOFF_FAILED) &&
                    !s->data.handoff_callback;
    if (can_pick)
        y += column_button(L, a, y, "staff-pickup", "Ik help deze inwoner nu", "done", BTN_PRIMARY,
                           (action){.kind = ACT_STAFF_PICKUP});
    column_button(L, a, y, "staff-back", "Terug naar het scherm van de inwoner", NULL,
                  BTN_SECONDARY, (action){.kind = ACT_BACK});
}
