/* The passport's details instead of the CAN (an older passport or ID card has no 6 digits, and
 * one that knows only BAC needs these): the document number on a keyboard of capitals and
 * digits, then the date of birth and the expiry date on a keypad, one field per screen. What is
 * typed is personal: read aloud only through a headset, kept only while a read may be retried. */
#include <string.h>

#include "core/i18n.h"
#include "layout.h"

/* "Stap 1 van 3": where the citizen is in the three fields; on a wide screen (landscape, or
 * buttons lower) it gives way to the keys and "Verder". */
static int step_text(layout *L, SDL_Rect a, int y, int step)
{
    if (a.h <= a.w)
        return 0;
    return column_text(L, a, y, L->th->px_body, false,
                       layout_printf(L, tr(L->lang, "Stap %d van %d"), step, 3)) +
           L->th->gap / 2;
}

static void next_button(layout *L, SDL_Rect a, int y)
{
    if (session_mrz_complete(L->s))
        column_button(L, a, y, "mrz-next", tr(L->lang, "Verder"), "forward", BTN_PRIMARY,
                      (action){.kind = ACT_MRZ_NEXT});
}

void screen_card_mrz_number(layout *L)
{
    const theme *th = L->th;
    const session *s = L->s;
    lang_id lang = L->lang;
    SDL_Rect a = chrome_build(L, true);
    int y = a.y;
    y += column_text(L, a, y, th->px_title, true, tr(lang, "Het nummer van uw document")) +
         th->gap / 2;
    y += step_text(L, a, y, 1);
    /* why this screen: an older document, or details that did not open it (said again: live) */
    L->flags = WF_LIVE;
    if (s->data.card_error == CARD_ERROR_NEEDS_MRZ)
        y += column_text(L, a, y, th->px_body, true,
                         tr(lang, "Dit is een ouder paspoort of een oudere ID-kaart. Daarvoor "
                                  "hebben we 3 gegevens van uw document nodig.")) +
             th->gap / 2;
    else if (s->data.card_error == CARD_ERROR_WRONG_MRZ)
        y += column_text(L, a, y, th->px_body, true,
                         tr(lang, "Deze gegevens passen niet bij uw document. Kijk ze nog eens "
                                  "na.")) +
             th->gap / 2;
    L->flags = 0;
    y += entry_field(L, a, y, th->px_title, s->data.mrz_number);
    y += column_text(L, a, y, th->px_body, false,
                     session_mrz_complete(s)
                         ? tr(lang, "Klopt het nummer? Tik dan op Verder.")
                         : tr(lang, "Het documentnummer staat bij uw foto. Het zijn 9 letters en "
                                    "cijfers.")) +
         th->gap;
    /* capitals and digits as printed; the keys keep their places in every language */
    static const char *const rows[] = {"1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM"};
    int cols = 10, gap = th->gap / 2;
    int kw = (a.w - (cols - 1) * gap) / cols, kh = th->btn_h;
    L->flags = WF_QUIET; /* the keys are named when the focus reaches them, not on arrival */
    for (int r = 0; r < 4; r++) {
        int c = 0;
        for (; rows[r][c]; c++) {
            char key[2] = {rows[r][c], 0};
            SDL_Rect k = keep_ltr(L, (SDL_Rect){a.x + c * (kw + gap), y, kw, kh});
            layout_button(L, k, layout_printf(L, "key:%s", key), layout_str(L, key), NULL,
                          BTN_SECONDARY, (action){.kind = ACT_KEY_CHAR, .arg = rows[r][c]});
        }
        if (r == 3) /* erase, wide, after M */
            layout_button(
                L, keep_ltr(L, (SDL_Rect){a.x + c * (kw + gap), y, a.w - c * (kw + gap), kh}),
                "key:erase", tr(lang, "Wis"), "back", BTN_SECONDARY,
                (action){.kind = ACT_KEY_ERASE});
        y += kh + gap;
    }
    L->flags = 0;
    y += th->gap;
    if (session_mrz_complete(s)) {
        next_button(L, a, y);
    } else if (s->data.card_error == CARD_ERROR_WRONG_MRZ) {
        /* it keeps not working: typing the name is the way on */
        column_button(L, a, y, "name-start", tr(lang, "Typ mijn naam zelf"), "forward",
                      BTN_SECONDARY, (action){.kind = ACT_NAME_START});
    }
}

/* The date typed so far, shown as day-month-year with places still to fill. */
static const char *date_shown(layout *L, const char *typed)
{
    char d[16];
    size_t n = strlen(typed), o = 0;
    for (size_t i = 0; i < SESSION_DATE_DIGITS; i++) {
        if (i == 2 || i == 4)
            d[o++] = '-';
        d[o++] = i < n ? typed[i] : '_';
    }
    d[o] = '\0';
    const char *r = layout_str(L, d);
    explicit_bzero(d, sizeof d);
    return r;
}

static void date_screen(layout *L, const char *title, int step, const char *typed, const char *hint)
{
    const theme *th = L->th;
    const session *s = L->s;
    lang_id lang = L->lang;
    SDL_Rect a = chrome_build(L, true);
    int y = a.y;
    y += column_text(L, a, y, th->px_title, true, title) + th->gap / 2;
    y += step_text(L, a, y, step);
    /* nothing typed: an empty field (the placeholder would be read as if typed) */
    y += entry_field(L, a, y, th->px_title, typed[0] ? date_shown(L, typed) : "");
    bool complete = session_mrz_complete(s);
    bool wrong = strlen(typed) == SESSION_DATE_DIGITS && !complete;
    L->flags = WF_LIVE;
    y += column_text(L, a, y, th->px_body, wrong,
                     wrong      ? tr(lang, "Deze datum klopt niet. Kijk hem nog eens na.")
                     : complete ? tr(lang, "Klopt de datum? Tik dan op Verder.")
                                : hint) +
         th->gap;
    L->flags = 0;
    y += digit_keypad(L, a, y, false);
    next_button(L, a, y);
}

void screen_card_mrz_birth(layout *L)
{
    date_screen(L, tr(L->lang, "Uw geboortedatum"), 2, L->s->data.mrz_birth,
                tr(L->lang, "Typ dag, maand en jaar, zoals 31 12 1970."));
}

void screen_card_mrz_expiry(layout *L)
{
    date_screen(L, tr(L->lang, "Geldig tot"), 3, L->s->data.mrz_expiry,
                tr(L->lang, "Tot wanneer is uw document geldig? Dat staat bij uw foto. Typ dag, "
                            "maand en jaar."));
}
