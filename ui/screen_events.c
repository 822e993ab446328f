/* Choose a life event: big tiles, pictogram and words. */
#include "core/i18n.h"
#include "layout.h"

typedef struct {
    int cols, rows, tw, th;
    int isz;   /* the pictogram size for every tile; 0 = none */
    bool side; /* pictogram beside the words (else above) */
    bool fits; /* every title fits its tile */
} tile_plan;

/* A grid of `cols` columns in the area: every tile gets the same pictogram size, so the screen
 * reads as one set: the biggest that lets every title fit, above the words or, when that gives
 * a bigger pictogram, beside them. */
static tile_plan plan(layout *L, SDL_Rect a, int cols)
{
    const theme *th = L->th;
    const content *c = L->s->content;
    int g = th->gap, px = th->px_body;
    tile_plan p = {.cols = cols};
    p.rows = (c->n_events + cols - 1) / cols;
    p.tw = (a.w - (cols - 1) * g) / cols;
    p.th = p.rows ? (a.h - (p.rows - 1) * g) / p.rows : a.h;
    int max_h = (int)(85 * th->px_per_mm);
    if (p.th > max_h)
        p.th = max_h;
    int max_icon = (int)(25 * th->px_per_mm), min_icon = th->target;
    int above = p.th / 2 < max_icon ? p.th / 2 : max_icon;
    int beside = p.th - 2 * g < max_icon ? p.th - 2 * g : max_icon;
    p.fits = true;
    for (int i = 0; i < c->n_events; i++) {
        const char *t = ltext_get(&c->events[i].title, L->lang);
        int ha = layout_text_height(L, p.tw - 2 * g, px, true, t);
        if (ha > p.th - 2 * g)
            p.fits = false;
        if (above > p.th - ha - 2 * g - g / 2)
            above = p.th - ha - 2 * g - g / 2;
        while (beside >= min_icon &&
               layout_text_height(L, p.tw - 3 * g - beside, px, true, t) > p.th - 2 * g)
            beside -= g;
    }
    p.side = beside > above;
    p.isz = p.side ? beside : above;
    if (p.isz < min_icon)
        p.isz = 0;
    return p;
}

/* Large text on a small screen (or the lower band): not every tile fits with its words.
 * Tiles as high as their words need, the pictogram small beside them, in pages with
 * "previous" and "more" below. */
static void events_paged(layout *L, SDL_Rect grid, int cols)
{
    const theme *th = L->th;
    const content *c = L->s->content;
    int g = th->gap, px = th->px_body, isz = th->target;
    int tw = (grid.w - (cols - 1) * g) / cols, tile_h = th->btn_h;
    for (int i = 0; i < c->n_events; i++) {
        int h = layout_text_height(L, tw - 3 * g - isz, px, true,
                                   ltext_get(&c->events[i].title, L->lang)) +
                2 * g;
        if (h > tile_h)
            tile_h = h;
    }
    int rows = (grid.h - th->btn_h) / (tile_h + g);
    if (rows < 1)
        rows = 1;
    int per_page = rows * cols, pages = (c->n_events + per_page - 1) / per_page;
    int page = L->s->data.scroll < pages ? L->s->data.scroll : pages - 1;
    for (int k = 0; k < per_page && page * per_page + k < c->n_events; k++) {
        int i = page * per_page + k;
        const life_event *e = &c->events[i];
        SDL_Rect r = {grid.x + (k % cols) * (tw + g), grid.y + (k / cols) * (tile_h + g), tw,
                      tile_h};
        layout_tile(L, r, layout_printf(L, "event:%s", e->id), ltext_get(&e->title, L->lang),
                    e->icon, isz, true, (action){.kind = ACT_CHOOSE_EVENT, .arg = i});
    }
    int bw = (grid.w - g) / 2, by = grid.y + grid.h - th->btn_h;
    if (page > 0)
        layout_button(L, (SDL_Rect){grid.x, by, bw, th->btn_h}, "page-prev", tr(L->lang, "Vorige"),
                      NULL, BTN_SECONDARY, (action){.kind = ACT_SCROLL, .arg = -1});
    if (page + 1 < pages)
        layout_button(L, (SDL_Rect){grid.x + bw + g, by, bw, th->btn_h}, "page-next",
                      layout_printf(L, tr(L->lang, "Meer (%d van %d)"), page + 1, pages), NULL,
                      BTN_SECONDARY, (action){.kind = ACT_SCROLL, .arg = 1});
}

void screen_events(layout *L)
{
    const theme *th = L->th;
    lang_id lang = L->lang;
    const content *c = L->s->content;
    SDL_Rect a = chrome_build(L, true);
    int y = a.y;
    y += layout_text(L, a.x, y, a.w, th->px_title, true, th->c.text, th->c.bg, ALIGN_START,
                     tr(lang, "Wat is er gebeurd?")) +
         th->gap;
    y += layout_text(L, a.x, y, a.w, th->px_body, false, th->c.text, th->c.bg, ALIGN_START,
                     tr(lang, "Tik op wat bij u past.")) +
         th->gap;
    SDL_Rect grid = {a.x, y, a.w, a.y + a.h - y};
    /* two or three columns upright, four or five lying down: the grid where every title fits
     * with the biggest pictograms; fewer columns when equal (bigger tiles) */
    int lo = L->W > L->H ? 4 : 2;
    tile_plan best = {0};
    for (int cols = lo; cols <= lo + 1; cols++) {
        if (cols > c->n_events && cols > lo)
            break;
        tile_plan p = plan(L, grid, cols);
        if (cols == lo || (p.fits && (!best.fits || p.isz > best.isz)))
            best = p;
    }
    if (best.cols == 0)
        return;
    if (!best.fits) {
        events_paged(L, grid, lo);
        return;
    }
    for (int i = 0; i < c->n_events; i++) {
        const life_event *e = &c->events[i];
        SDL_Rect r = {grid.x + (i % best.cols) * (best.tw + th->gap),
                      y + (i / best.cols) * (best.th + th->gap), best.tw, best.th};
        layout_tile(L, r, layout_printf(L, "event:%s", e->id), ltext_get(&e->title, lang), e->icon,
                    best.isz, best.side, (action){.kind = ACT_CHOOSE_EVENT, .arg = i});
    }
}
