/* Choose a life event: big tiles, pictogram and words. */
#include "core/i18n.h"
#include "layout.h"

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
    int cols = L->W > L->H ? 4 : 2;
    if (c->n_events < cols)
        cols = c->n_events > 0 ? c->n_events : 1;
    int rows = (c->n_events + cols - 1) / cols;
    int tw = (a.w - (cols - 1) * th->gap) / cols;
    int avail = a.y + a.h - y;
    int tile_h = rows ? (avail - (rows - 1) * th->gap) / rows : avail;
    int max_h = (int)(85 * th->px_per_mm);
    if (tile_h > max_h)
        tile_h = max_h;
    for (int i = 0; i < c->n_events; i++) {
        const life_event *e = &c->events[i];
        SDL_Rect r = {a.x + (i % cols) * (tw + th->gap), y + (i / cols) * (tile_h + th->gap), tw,
                      tile_h};
        layout_button(L, r, layout_printf(L, "event:%s", e->id), ltext_get(&e->title, lang),
                      e->icon, BTN_TILE, (action){.kind = ACT_CHOOSE_EVENT, .arg = i});
    }
}
