/* The personal overview: per organisation what to do, by when, and how to reach them. Long
 * overviews are split into pages with big "more" buttons, never scrolled out of sight. */
#include <string.h>

#include "core/i18n.h"
#include "core/phrases.h"
#include "layout.h"

typedef struct {
    int group, first, last; /* items [first, last) */
    bool contact;           /* the contact block ends this piece */
    int page;
} piece;

#define MAX_PIECES (OVERVIEW_MAX_GROUPS + CONTENT_MAX_TASKS)

/* Draws (or, with draw = false, measures) one piece as a card. Returns its height. */
static int card(layout *L, const piece *p, int x, int y, int w, bool draw)
{
    const theme *th = L->th;
    const session *s = L->s;
    lang_id lang = L->lang;
    const content *c = s->content;
    const life_event *e = session_event(s);
    const overview_group *g = &s->data.ov.groups[p->group];
    const organisation *o = &c->orgs[g->org];
    SDL_Color fg = th->c.on_card, bg = th->c.card;
    int pad = th->pad, iw = w - 2 * pad, cy = y + pad;
    size_t panel_at = (size_t)L->n;
    if (draw)
        layout_panel(L, (SDL_Rect){x, y, w, 0}, bg, th->c.border, 2);
#define TEXT(px, bold, str)                                                                        \
    cy += draw ? layout_text(L, x + pad, cy, iw, px, bold, fg, bg, ALIGN_START, str)               \
               : layout_text_height(L, iw, px, bold, str)
    TEXT(th->px_body, true, ltext_get(&o->name, lang));
    if (p->first == 0)
        TEXT(th->px_body, false, ltext_get(&o->about, lang));
    char buf[512];
    for (int i = p->first; i < p->last; i++) {
        const overview_item *it = &g->items[i];
        const task *t = &e->tasks[it->task];
        cy += th->gap;
        TEXT(th->px_body, true, layout_printf(L, "• %s", ltext_get(&t->text, lang)));
        phrase_deadline(lang, e, it, buf, sizeof buf);
        if (buf[0])
            TEXT(th->px_body, true, buf);
        if (ltext_present(&t->how))
            TEXT(th->px_body, false, ltext_get(&t->how, lang));
    }
    if (p->contact) {
        cy += th->gap;
        if (o->phone)
            TEXT(th->px_body, false, layout_printf(L, "%s %s", tr(lang, "Bel:"), o->phone));
        if (ltext_present(&o->phone_hours))
            TEXT(th->px_body, false, ltext_get(&o->phone_hours, lang));
        if (o->website)
            TEXT(th->px_body, false, layout_printf(L, "%s %s", tr(lang, "Website:"), o->website));
        if (ltext_present(&o->visit))
            TEXT(th->px_body, false,
                 layout_printf(L, "%s %s", tr(lang, "Langsgaan:"), ltext_get(&o->visit, lang)));
    }
#undef TEXT
    int h = cy + pad - y;
    if (draw && panel_at < (size_t)L->n)
        L->w[panel_at].r.h = h;
    return h;
}

static int piece_h(layout *L, int g, int first, int last, bool contact, int w)
{
    piece p = {g, first, last, contact, 0};
    return card(L, &p, 0, 0, w, false) + L->th->gap;
}

/* Whole cards on a page where they fit; a card taller than a page is split between items. */
static int paginate(layout *L, int w, int page_h, piece *out)
{
    const overview *ov = &L->s->data.ov;
    int n = 0, page = 0, used = 0;
    for (int g = 0; g < ov->n_groups; g++) {
        int items = ov->groups[g].n_items;
        int h = piece_h(L, g, 0, items, true, w);
        if (used > 0 && used + h > page_h) {
            page++;
            used = 0;
        }
        if (h <= page_h) {
            out[n++] = (piece){g, 0, items, true, page};
            used += h;
            continue;
        }
        for (int first = 0; first < items && n < MAX_PIECES;) {
            int last = first + 1;
            while (last < items &&
                   used + piece_h(L, g, first, last + 1, last + 1 == items, w) <= page_h)
                last++;
            out[n++] = (piece){g, first, last, last == items, page};
            used += piece_h(L, g, first, last, last == items, w);
            first = last;
            if (first < items) {
                page++;
                used = 0;
            }
        }
    }
    return n;
}

void screen_overview(layout *L)
{
    const theme *th = L->th;
    const session *s = L->s;
    lang_id lang = L->lang;
    const life_event *e = session_event(s);
    SDL_Rect a = chrome_build(L, true);
    if (!e)
        return;
    int y = a.y;
    y += layout_text(L, a.x, y, a.w, th->px_title, true, th->c.text, th->c.bg, ALIGN_START,
                     tr(lang, "Dit moet u regelen")) +
         th->gap / 2;
    y += layout_text(L, a.x, y, a.w, th->px_body, false, th->c.text, th->c.bg, ALIGN_START,
                     ltext_get(&e->title, lang)) +
         th->gap;
    /* the bottom row: page buttons and "continue" */
    int bottom = a.y + a.h - th->btn_h;
    int page_h = bottom - th->gap - y;
    /* landscape: two columns of cards; pagination fills column after column */
    int cols = L->W > L->H ? 2 : 1;
    int cw = (a.w - (cols - 1) * th->gap) / cols;
    piece pieces[MAX_PIECES];
    int n = paginate(L, cw, page_h, pieces);
    int columns = n ? pieces[n - 1].page + 1 : 1;
    int pages = (columns + cols - 1) / cols;
    L->pages = pages;
    int page = s->data.scroll < pages ? s->data.scroll : pages - 1;
    int col_y[2] = {y, y};
    for (int i = 0; i < n; i++) {
        if (pieces[i].page / cols != page)
            continue;
        int c = pieces[i].page % cols;
        col_y[c] += card(L, &pieces[i], a.x + c * (cw + th->gap), col_y[c], cw, true) + th->gap;
    }
    int bw = (a.w - 2 * th->gap) / 3;
    if (page > 0)
        layout_button(L, (SDL_Rect){a.x, bottom, bw, th->btn_h}, "page-prev",
                      tr(lang, "Vorige bladzijde"), NULL, BTN_SECONDARY,
                      (action){.kind = ACT_SCROLL, .arg = -1});
    if (page + 1 < pages)
        layout_button(L, (SDL_Rect){a.x + bw + th->gap, bottom, bw, th->btn_h}, "page-next",
                      layout_printf(L, tr(lang, "Meer (%d van %d)"), page + 1, pages), NULL,
                      BTN_SECONDARY, (action){.kind = ACT_SCROLL, .arg = 1});
    /* one page: "continue" is the only way on, so it spans the width */
    int nx = pages > 1 ? a.x + 2 * (bw + th->gap) : a.x;
    layout_button(L, (SDL_Rect){nx, bottom, a.x + a.w - nx, th->btn_h}, "next-step",
                  tr(lang, "Verder"), NULL, BTN_PRIMARY, (action){.kind = ACT_TO_NEXT_STEP});
}
