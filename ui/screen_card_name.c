/* My name, typed by myself: for a card that cannot be read, a card not shown to be genuine, or
 * a citizen who prefers it. Given names, then surname, on a letter keyboard with the accented
 * letters most names need, a hyphen, an apostrophe and a space. What is typed is personal: read
 * aloud only through a headset. The summary says it was typed, not checked. */
#include <string.h>

#include "core/i18n.h"
#include "layout.h"

/* One UTF-8 letter -> its code point (the keyboard's letters are at most two bytes). */
static int code_point(const char *u, size_t *len)
{
    const unsigned char *p = (const unsigned char *)u;
    if (p[0] < 0x80) {
        *len = 1;
        return p[0];
    }
    *len = 2;
    return ((p[0] & 0x1F) << 6) | (p[1] & 0x3F);
}

/* The capital of a key's letter, for its label while capitals are on. */
static void key_label(const char *u, size_t len, bool caps, char out[4])
{
    memcpy(out, u, len);
    out[len] = '\0';
    if (!caps)
        return;
    size_t l;
    int cp = code_point(u, &l);
    if (cp >= 'a' && cp <= 'z')
        cp -= 'a' - 'A';
    else if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7)
        cp -= 0x20;
    else if (cp >= 0x100 && cp < 0x180 && (cp & 1))
        cp -= 1;
    if (cp < 0x80) {
        out[0] = (char)cp;
        out[1] = '\0';
    } else {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        out[2] = '\0';
    }
}

static void name_screen(layout *L, const char *title, const char *hint, const char *typed,
                        const char *done_label)
{
    const theme *th = L->th;
    const session *s = L->s;
    lang_id lang = L->lang;
    SDL_Rect a = chrome_build(L, true);
    int y = a.y;
    y += column_text(L, a, y, th->px_title, true, title) + th->gap / 2;
    y += entry_field(L, a, y, th->px_title, typed);
    bool complete = session_name_complete(s);
    y += column_text(L, a, y, th->px_body, false,
                     complete ? tr(lang, "Klopt het? Tik dan op Verder.") : hint) +
         th->gap;
    /* a-z, the accented letters names often have; keys keep their places in every language */
    static const char *const rows[] = {"qwertyuiop", "asdfghjkl-", "zxcvbnm'", "éëèáäïöüçñ"};
    bool caps = s->data.name_shift;
    int cols = 10, gap = th->gap / 2;
    int kw = (a.w - (cols - 1) * gap) / cols, kh = th->btn_h;
    L->flags = WF_QUIET; /* the keys are named when the focus reaches them, not on arrival */
    for (int r = 0; r < 4; r++) {
        int c = 0;
        for (const char *p = rows[r]; *p; c++) {
            size_t len;
            int cp = code_point(p, &len);
            char id[8], label[4];
            memcpy(id, "key:", 4);
            memcpy(id + 4, p, len);
            id[4 + len] = '\0';
            key_label(p, len, caps, label);
            SDL_Rect k = keep_ltr(L, (SDL_Rect){a.x + c * (kw + gap), y, kw, kh});
            layout_button(L, k, layout_str(L, id), layout_str(L, label), NULL, BTN_SECONDARY,
                          (action){.kind = ACT_KEY_CHAR, .arg = cp});
            p += len;
        }
        if (r == 2) /* erase, wide, after the apostrophe */
            layout_button(
                L, keep_ltr(L, (SDL_Rect){a.x + c * (kw + gap), y, a.w - c * (kw + gap), kh}),
                "key:erase", tr(lang, "Wis"), "back", BTN_SECONDARY,
                (action){.kind = ACT_KEY_ERASE});
        y += kh + gap;
    }
    /* capitals (on by itself at the start) and space, half the row each */
    int half = (a.w - gap) / 2, x = a.x + half + gap;
    layout_button(L, keep_ltr(L, (SDL_Rect){a.x, y, half, kh}), "key:shift",
                  tr(lang, "Hoofdletter"), NULL, caps ? BTN_CHOSEN : BTN_SECONDARY,
                  (action){.kind = ACT_NAME_SHIFT});
    layout_button(L, keep_ltr(L, (SDL_Rect){x, y, a.x + a.w - x, kh}), "key:space",
                  tr(lang, "Spatie"), NULL, BTN_SECONDARY,
                  (action){.kind = ACT_KEY_CHAR, .arg = ' '});
    L->flags = 0;
    y += kh + th->gap;
    if (complete)
        column_button(L, a, y, "name-next", done_label, "forward", BTN_PRIMARY,
                      (action){.kind = ACT_NAME_NEXT});
}

void screen_name_given(layout *L)
{
    name_screen(L, tr(L->lang, "Uw voornamen"),
                tr(L->lang, "Typ al uw voornamen, zoals in uw paspoort."), L->s->data.name_given,
                tr(L->lang, "Verder"));
}

void screen_name_surname(layout *L)
{
    name_screen(L, tr(L->lang, "Uw achternaam"),
                tr(L->lang, "Typ uw achternaam, zoals in uw paspoort. Met van, de of der als "
                            "die erbij horen."),
                L->s->data.name_surname, tr(L->lang, "Klaar"));
}
