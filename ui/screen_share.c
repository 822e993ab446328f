/* Sending my story to the municipality: who may get it (a tick per organisation), how they may
 * contact me, my phone number on a keypad, and what will be sent. Nothing is shared unless the
 * citizen ticks it; every tick starts off. */
#include <string.h>

#include "core/i18n.h"
#include "core/refnum.h"
#include "layout.h"

int column_text(layout *L, SDL_Rect a, int y, int px, bool bold, const char *s)
{
    const theme *th = L->th;
    return layout_text(L, a.x, y, a.w, px, bold, th->c.text, th->c.bg, ALIGN_START, s);
}

int column_button(layout *L, SDL_Rect a, int y, const char *id, const char *label, const char *icon,
                  button_style st, action act)
{
    return layout_button_fit(L, a, y, L->th->btn_h, id, label, icon, st, act);
}

/* Keys keep their places in every language (a keypad and a keyboard are not mirrored): the
 * rectangle is pre-mirrored, so that the layout's mirroring for right-to-left puts it back. */
SDL_Rect keep_ltr(const layout *L, SDL_Rect r)
{
    if (L->rtl)
        r.x = L->W - r.x - r.w;
    return r;
}

/* The field showing what is typed so far: large, left to right in every language, at least a
 * line high; returns the height used with the gap. */
int entry_field(layout *L, SDL_Rect a, int y, int px, const char *value)
{
    const theme *th = L->th;
    int fh =
        layout_text_height(L, a.w - 2 * th->pad, px, true, value[0] ? value : "0") + 2 * th->pad;
    layout_panel(L, (SDL_Rect){a.x, y, a.w, fh}, th->c.card, th->c.border, 3);
    char shown[SESSION_EMAIL_MAX * 2];
    /* personal: read aloud only through a headset; it changes with every key (live) */
    L->flags = WF_PERSONAL | WF_LIVE;
    if (value[0])
        layout_text(L, a.x + th->pad, y + th->pad, a.w - 2 * th->pad, px, true, th->c.on_card,
                    th->c.card, ALIGN_START,
                    layout_str(L, i18n_ltr(L->lang, value, shown, sizeof shown)));
    L->flags = 0;
    return fh + th->gap;
}

int digit_keypad(layout *L, SDL_Rect a, int y, bool plus)
{
    const theme *th = L->th;
    /* a keypad as on a phone: 1-9, then (+) 0 erase; keys in a fixed left-to-right order */
    int cols = 3, kw = (a.w - (cols - 1) * th->gap) / cols;
    int kh = th->btn_h;
    static const char *const digits[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9"};
    /* the keys are not read out one by one on arrival; each is named when the focus reaches it */
    L->flags = WF_QUIET;
    for (int i = 0; i < 12; i++) {
        int r = i / cols, col = i % cols;
        SDL_Rect k =
            keep_ltr(L, (SDL_Rect){a.x + col * (kw + th->gap), y + r * (kh + th->gap), kw, kh});
        if (i < 9)
            layout_button(L, k, layout_printf(L, "key:%s", digits[i]), digits[i], NULL,
                          BTN_SECONDARY, (action){.kind = ACT_KEY_DIGIT, .arg = i + 1});
        else if (i == 9 && plus)
            layout_button(L, k, "key:+", "+", NULL, BTN_SECONDARY,
                          (action){.kind = ACT_KEY_DIGIT, .arg = 10});
        else if (i == 10)
            layout_button(L, k, "key:0", "0", NULL, BTN_SECONDARY,
                          (action){.kind = ACT_KEY_DIGIT, .arg = 0});
        else if (i == 11)
            layout_button(L, k, "key:erase", tr(L->lang, "Wis"), "back", BTN_SECONDARY,
                          (action){.kind = ACT_KEY_ERASE});
    }
    L->flags = 0;
    return 4 * (kh + th->gap) + th->gap;
}

void screen_consent(layout *L)
{
    const theme *th = L->th;
    const session *s = L->s;
    lang_id lang = L->lang;
    SDL_Rect a = chrome_build(L, true);
    int y = a.y;
    y +=
        column_text(L, a, y, th->px_title, true, tr(lang, "Wie mag uw verhaal krijgen?")) + th->gap;
    y += column_text(L, a, y, th->px_body, false,
                     tr(lang,
                        "Tik op een organisatie om ja te zeggen. Die krijgt dan uw antwoorden en "
                        "dit overzicht. Dan hoeft u uw verhaal niet opnieuw te vertellen. Zegt u "
                        "nergens ja? Dan sturen we niets.")) +
         2 * th->gap;
    const content *c = s->content;
    uint64_t orgs = session_overview_orgs(s);
    for (int g = 0; c && g < s->data.ov.n_groups; g++) {
        int o = s->data.ov.groups[g].org;
        if (o < 0 || o >= 64 || !(orgs >> o & 1))
            continue;
        bool on = s->data.consent >> o & 1;
        const char *name = ltext_get(&c->orgs[o].name, lang);
        const char *label = layout_printf(
            L, "%s: %s", name, on ? tr(lang, "ja, mag mijn verhaal krijgen") : tr(lang, "nee"));
        y += column_button(L, a, y, layout_printf(L, "consent:%s", c->orgs[o].id), label,
                           on ? "yes" : "no", on ? BTN_CHOSEN : BTN_SECONDARY,
                           (action){.kind = ACT_CONSENT_TOGGLE, .arg = o});
    }
    y += th->gap;
    if (s->data.consent & orgs)
        column_button(L, a, y, "consent-done", tr(lang, "Verder"), "forward", BTN_PRIMARY,
                      (action){.kind = ACT_CONSENT_DONE});
    else
        column_button(L, a, y, "consent-none", tr(lang, "Niets sturen"), "back", BTN_SECONDARY,
                      (action){.kind = ACT_BACK});
}

void screen_contact(layout *L)
{
    const theme *th = L->th;
    lang_id lang = L->lang;
    SDL_Rect a = chrome_build(L, true);
    int y = a.y;
    y += column_text(L, a, y, th->px_title, true, tr(lang, "Hoe wilt u contact met de gemeente?")) +
         2 * th->gap;
    y += column_button(L, a, y, "contact:callback", tr(lang, "Bel mij terug"), "phone",
                       BTN_SECONDARY,
                       (action){.kind = ACT_CONTACT, .arg = SESSION_CONTACT_CALLBACK});
    y += column_button(L, a, y, "contact:email", tr(lang, "Mail mij"), "website", BTN_SECONDARY,
                       (action){.kind = ACT_CONTACT, .arg = SESSION_CONTACT_EMAIL});
    y += column_button(L, a, y, "contact:desk", tr(lang, "Ik kom naar de balie"), "visit",
                       BTN_SECONDARY, (action){.kind = ACT_CONTACT, .arg = SESSION_CONTACT_DESK});
    column_button(L, a, y, "contact:none", tr(lang, "Ik wil geen contact"), "no", BTN_SECONDARY,
                  (action){.kind = ACT_CONTACT, .arg = SESSION_CONTACT_NONE});
}

void screen_phone(layout *L)
{
    const theme *th = L->th;
    const session *s = L->s;
    lang_id lang = L->lang;
    SDL_Rect a = chrome_build(L, true);
    int y = a.y;
    y += column_text(L, a, y, th->px_title, true, tr(lang, "Op welk nummer kunnen we u bellen?")) +
         th->gap;
    /* the number so far, large, in a field; left to right in every language */
    y += entry_field(L, a, y, th->px_title * 3 / 2, s->data.phone);
    bool complete = session_phone_complete(s);
    y +=
        column_text(L, a, y, th->px_body, false,
                    complete ? tr(lang, "Klopt het nummer? Tik dan op Klaar.")
                             : tr(lang, "Tik de cijfers. Een nummer in Nederland heeft 10 cijfers, "
                                        "zoals 06 12345678.")) +
        th->gap;
    y += digit_keypad(L, a, y, true);
    if (complete)
        column_button(L, a, y, "phone-done", tr(lang, "Klaar"), "done", BTN_PRIMARY,
                      (action){.kind = ACT_PHONE_DONE});
}

/* An on-screen keyboard for an e-mail address: digits, letters (a-z: addresses are written in
 * small letters), the signs addresses have, erase; always left to right. */
void screen_email(layout *L)
{
    const theme *th = L->th;
    const session *s = L->s;
    lang_id lang = L->lang;
    SDL_Rect a = chrome_build(L, true);
    int y = a.y;
    y += column_text(L, a, y, th->px_title, true, tr(lang, "Wat is uw e-mailadres?")) + th->gap;
    y += entry_field(L, a, y, th->px_title, s->data.email);
    bool complete = session_email_complete(s);
    y += column_text(L, a, y, th->px_body, false,
                     complete ? tr(lang, "Klopt het adres? Tik dan op Klaar.")
                              : tr(lang, "Tik uw e-mailadres, zoals naam@voorbeeld.nl.")) +
         th->gap;
    static const char *const rows[] = {"1234567890", "qwertyuiop", "asdfghjkl-", "zxcvbnm_.@"};
    int cols = 10, gap = th->gap / 2;
    int kw = (a.w - (cols - 1) * gap) / cols, kh = th->btn_h;
    L->flags = WF_QUIET; /* the keys are named when the focus reaches them, not on arrival */
    for (int r = 0; r < 4; r++) {
        for (int c = 0; rows[r][c]; c++) {
            char key[2] = {rows[r][c], 0};
            SDL_Rect k = keep_ltr(L, (SDL_Rect){a.x + c * (kw + gap), y, kw, kh});
            layout_button(L, k, layout_printf(L, "key:%s", key), layout_str(L, key), NULL,
                          BTN_SECONDARY, (action){.kind = ACT_KEY_CHAR, .arg = rows[r][c]});
        }
        y += kh + gap;
    }
    /* the endings most addresses have, whole, and erase */
    int third = (a.w - 2 * gap) / 3;
    layout_button(L, keep_ltr(L, (SDL_Rect){a.x, y, third, kh}), "key:+", "+", NULL, BTN_SECONDARY,
                  (action){.kind = ACT_KEY_CHAR, .arg = '+'});
    layout_button(L, keep_ltr(L, (SDL_Rect){a.x + third + gap, y, third, kh}), "key:.nl", ".nl",
                  NULL, BTN_SECONDARY, (action){.kind = ACT_KEY_CHAR, .arg = 1});
    layout_button(L, keep_ltr(L, (SDL_Rect){a.x + 2 * (third + gap), y, third, kh}), "key:erase",
                  tr(lang, "Wis"), "back", BTN_SECONDARY, (action){.kind = ACT_KEY_ERASE});
    L->flags = 0;
    y += kh + th->gap;
    if (complete)
        column_button(L, a, y, "email-done", tr(lang, "Klaar"), "done", BTN_PRIMARY,
                      (action){.kind = ACT_EMAIL_DONE});
}

/* What goes and how to answer: the organisations ticked, the contact way. */
static int summary_sent(layout *L, SDL_Rect a, int y)
{
    const theme *th = L->th;
    const session *s = L->s;
    lang_id lang = L->lang;
    const content *c = s->content;
    int y0 = y;
    y += column_text(L, a, y, th->px_body, true, tr(lang, "Wie krijgt uw verhaal:")) + th->gap / 2;
    uint64_t consent = s->data.consent & session_overview_orgs(s);
    for (int g = 0; c && g < s->data.ov.n_groups; g++) {
        int o = s->data.ov.groups[g].org;
        if (o >= 0 && o < 64 && (consent >> o & 1))
            y += column_text(L, a, y, th->px_body, false,
                             layout_printf(L, "- %s", ltext_get(&c->orgs[o].name, lang)));
    }
    y += th->gap;
    const char *how = s->data.contact == SESSION_CONTACT_CALLBACK ? tr(lang, "Bel mij terug")
                      : s->data.contact == SESSION_CONTACT_EMAIL  ? tr(lang, "Mail mij")
                      : s->data.contact == SESSION_CONTACT_DESK   ? tr(lang, "Ik kom naar de balie")
                                                                  : tr(lang, "Ik wil geen contact");
    y += column_text(L, a, y, th->px_body, true, tr(lang, "Contact:")) + th->gap / 2;
    y += column_text(L, a, y, th->px_body, false, how);
    if (s->data.contact == SESSION_CONTACT_CALLBACK || s->data.contact == SESSION_CONTACT_EMAIL) {
        char shown[SESSION_EMAIL_MAX * 2];
        const char *d = s->data.contact == SESSION_CONTACT_CALLBACK ? s->data.phone : s->data.email;
        L->flags = WF_PERSONAL;
        y += column_text(L, a, y, th->px_body, false,
                         layout_str(L, i18n_ltr(lang, d, shown, sizeof shown)));
        L->flags = 0;
    }
    return y + th->gap - y0;
}

/* The name from the ID card: offered until used, then shown ("Iets veranderen" and back leave
 * it; it goes when the session ends). */
static int summary_name(layout *L, SDL_Rect a, int y)
{
    const theme *th = L->th;
    const session *s = L->s;
    lang_id lang = L->lang;
    int y0 = y;
    if (s->data.card_used) {
        char name[96], born[64];
        card_display_name(&s->data.card, name, sizeof name);
        i18n_format_date(lang, s->data.card.birth, born, sizeof born);
        L->flags = WF_PERSONAL; /* read only through a headset */
        y += column_text(L, a, y, th->px_body, false,
                         layout_printf(L, "%s %s", tr(lang, "Naam:"), name));
        if (born[0])
            y += column_text(L, a, y, th->px_body, false,
                             layout_printf(L, "%s %s", tr(lang, "Geboortedatum:"), born));
        y += column_text(L, a, y, th->px_body, false, tr(lang, "(gecontroleerd met uw ID-kaart)"));
        L->flags = 0;
        explicit_bzero(name, sizeof name);
        explicit_bzero(born, sizeof born);
    } else if (s->data.name_used) {
        /* typed by the citizen: shown as such, nobody checked it */
        L->flags = WF_PERSONAL; /* read only through a headset */
        y += column_text(L, a, y, th->px_body, false,
                         layout_printf(L, "%s %s %s %s", tr(lang, "Naam:"), s->data.name_given,
                                       s->data.name_surname, tr(lang, "(zelf ingetypt)"))) +
             th->gap / 2;
        L->flags = 0;
        y += column_button(L, a, y, "name-change", tr(lang, "Naam veranderen"), "back",
                           BTN_SECONDARY, (action){.kind = ACT_NAME_START, .arg = 1});
    } else {
        /* my name from my ID card, or typed myself: side by side where both fit on a line (a
         * wide screen), else one under the other */
        const char *by_card = tr(lang, "Vul mijn naam in met mijn ID-kaart");
        const char *by_hand = tr(lang, "Typ mijn naam zelf");
        action card = {.kind = ACT_CARD_START}, typed = {.kind = ACT_NAME_START};
        SDL_Rect left = a, right = a;
        left.w = (a.w - th->gap) / 2;
        right.x = a.x + left.w + th->gap;
        right.w = a.w - left.w - th->gap;
        int tw = left.w - 2 * th->pad - th->btn_h;
        int line = layout_text_height(L, tw, th->px_body, true, "A");
        if (layout_text_height(L, tw, th->px_body, true, by_card) <= line &&
            layout_text_height(L, tw, th->px_body, true, by_hand) <= line) {
            column_button(L, left, y, "card-start", by_card, "forward", BTN_SECONDARY, card);
            y += column_button(L, right, y, "name-start", by_hand, "forward", BTN_SECONDARY, typed);
        } else {
            y += column_button(L, a, y, "card-start", by_card, "forward", BTN_SECONDARY, card);
            y += column_button(L, a, y, "name-start", by_hand, "forward", BTN_SECONDARY, typed);
        }
    }
    return y - y0;
}

/* The library pass (a site that takes them): laid on the reader here, its number goes with the
 * story; shown with a button to take it off again, beside it where both fit on a line. */
static int summary_library(layout *L, SDL_Rect a, int y)
{
    const theme *th = L->th;
    const session *s = L->s;
    lang_id lang = L->lang;
    bool open = s->data.intake != INTAKE_SAVING && s->data.intake != INTAKE_SAVED;
    if (!s->cfg.library_pass || (!open && !s->data.library_number[0]))
        return 0;
    if (!s->data.library_number[0])
        return column_text(L, a, y, th->px_body, false,
                           tr(lang, "Heeft u een bibliotheekpas? Leg hem op de kaartlezer. Dan "
                                    "sturen we het nummer mee.")) +
               th->gap;
    char shown[SESSION_LIBRARY_MAX * 2];
    const char *text = layout_printf(L, "%s %s", tr(lang, "Bibliotheekpas:"),
                                     i18n_ltr(lang, s->data.library_number, shown, sizeof shown));
    explicit_bzero(shown, sizeof shown);
    const char *label = tr(lang, "Haal het nummer weg");
    action remove = {.kind = ACT_LIBRARY_REMOVE};
    SDL_Rect left = a, right = a;
    left.w = (a.w - th->gap) / 2;
    right.x = a.x + left.w + th->gap;
    right.w = a.w - left.w - th->gap;
    int line = layout_text_height(L, left.w, th->px_body, false, "A");
    bool beside =
        open && layout_text_height(L, left.w, th->px_body, false, text) <= line &&
        layout_text_height(L, right.w - 2 * th->pad - th->btn_h, th->px_body, true, label) <= line;
    int h = 0;
    L->flags = WF_PERSONAL; /* read only through a headset, like the phone number */
    if (beside) {
        /* the text centred on the button's height, at its side */
        int text_h = layout_text_height(L, left.w, th->px_body, false, text);
        column_text(L, left, y + (th->btn_h - text_h) / 2, th->px_body, false, text);
        L->flags = 0;
        h = column_button(L, right, y, "library-remove", label, "no", BTN_SECONDARY, remove);
    } else {
        h = column_text(L, a, y, th->px_body, false, text) + th->gap / 2;
        L->flags = 0;
        if (open)
            h += column_button(L, a, y + h, "library-remove", label, "no", BTN_SECONDARY, remove);
    }
    L->flags = 0;
    return h;
}

static int summary_reference(layout *L, SDL_Rect a, int y)
{
    const theme *th = L->th;
    const session *s = L->s;
    if (!s->data.j.reference[0])
        return 0;
    char grouped[24];
    refnum_group(s->data.j.reference, grouped, sizeof grouped);
    return column_text(L, a, y, th->px_body, false,
                       layout_printf(L, "%s: %s", tr(L->lang, "Uw nummer"), grouped)) +
           th->gap;
}

/* Send, or go back to change something; returns the bottom. */
static int summary_actions(layout *L, SDL_Rect a, int y)
{
    y += column_button(L, a, y, "send-intake", tr(L->lang, "Versturen"), "forward", BTN_PRIMARY,
                       (action){.kind = ACT_SEND_INTAKE});
    y += column_button(L, a, y, "summary-change", tr(L->lang, "Iets veranderen"), "back",
                       BTN_SECONDARY, (action){.kind = ACT_BACK});
    return y - L->th->gap;
}

/* The summary below its title from `top`, in one column or two (what is sent on the left, the
 * name and the buttons on the right), with or without the case's number; returns the bottom. */
static int summary_build(layout *L, SDL_Rect a, int top, bool columns, bool reference)
{
    const theme *th = L->th;
    int y = top;
    if (!columns) {
        y += summary_sent(L, a, y);
        y += summary_name(L, a, y);
        y += summary_library(L, a, y);
        if (reference)
            y += summary_reference(L, a, y);
        return summary_actions(L, a, y + th->gap);
    }
    SDL_Rect left = a, right = a;
    left.w = (a.w - 2 * th->gap) / 2;
    right.x = a.x + left.w + 2 * th->gap;
    right.w = a.w - left.w - 2 * th->gap;
    y += summary_sent(L, left, y);
    y += summary_library(L, left, y);
    if (reference)
        y += summary_reference(L, left, y);
    int yr = top + summary_name(L, right, top);
    int bottom = summary_actions(L, right, yr + th->gap);
    return y - th->gap > bottom ? y - th->gap : bottom;
}

void screen_summary(layout *L)
{
    const theme *th = L->th;
    SDL_Rect a = chrome_build(L, true);
    int y = a.y;
    y += column_text(L, a, y, th->px_title, true, tr(L->lang, "Dit sturen we naar de gemeente")) +
         2 * th->gap;
    /* Where it does not fit (large text, many organisations, a landscape screen) the summary
     * gives way: on a wide screen in two columns; then without the case's number (the *what
     * now* screen shows it large, and the slip) */
    static const struct {
        bool columns, reference;
    } ways[] = {{false, true}, {true, true}, {false, false}, {true, false}};
    int n0 = L->n, n = sizeof ways / sizeof ways[0];
    size_t used0 = L->used;
    bool wide = a.w > a.h;
    for (int i = 0; i < n; i++) {
        if (ways[i].columns && !wide)
            continue;
        if (L->n != n0) { /* the way tried before did not fit: its widgets go */
            explicit_bzero(L->strings + used0, L->used - used0);
            L->n = n0;
            L->used = used0;
        }
        if (summary_build(L, a, y, ways[i].columns, ways[i].reference) <= a.y + a.h)
            break;
    }
}
