#include "ui.h"

#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "widgets.h"

struct ui {
    SDL_Window *win;
    SDL_Renderer *ren;
    ui_text *tx;
    icon_cache *icons;
    theme th;
    layout *L;
    uint32_t drawn_version;
    bool drawn_any;
    bool dirty;    /* drawn state changed outside the session (the focus) */
    bool focus_on; /* keys are in use: one control has the focus */
    char focus_id[64];
    int w, h;
};

ui *ui_create(const ui_options *o, char *err, size_t errcap)
{
    ui *u = calloc(1, sizeof *u);
    if (!u) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    u->L = calloc(1, sizeof *u->L);
    if (!u->L) {
        free(u);
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    if (o->scripted) {
        /* pure software from drawing to the window: no GL driver, the same pixels everywhere */
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
    }
    Uint32 flags = SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI;
    if (!o->windowed)
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
    u->win = SDL_CreateWindow("Loket", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, o->width,
                              o->height, flags);
    if (!u->win) {
        snprintf(err, errcap, "cannot open a window: %s", SDL_GetError());
        ui_destroy(u);
        return NULL;
    }
    Uint32 rflags = o->scripted ? SDL_RENDERER_SOFTWARE : SDL_RENDERER_ACCELERATED;
    u->ren = SDL_CreateRenderer(u->win, -1, rflags);
    if (!u->ren && !o->scripted)
        u->ren = SDL_CreateRenderer(u->win, -1, SDL_RENDERER_SOFTWARE);
    if (!u->ren) {
        snprintf(err, errcap, "cannot draw in the window: %s", SDL_GetError());
        ui_destroy(u);
        return NULL;
    }
    if (!o->windowed) {
        /* a kiosk: no pointer on the touch screen, and keys stay in the program */
        SDL_ShowCursor(SDL_DISABLE);
        SDL_SetWindowKeyboardGrab(u->win, SDL_TRUE);
    }
    SDL_GetRendererOutputSize(u->ren, &u->w, &u->h);
    u->tx = text_create(o->font_family, err, errcap);
    if (!u->tx) {
        ui_destroy(u);
        return NULL;
    }
    /* The physical width belongs to the panel; in fullscreen the pixel width is the display's. */
    double pxmm = u->w / o->screen_width_mm;
    theme_init(&u->th, pxmm, o->view_distance_mm, text_cap_ratio(u->tx));
    u->icons = icons_create(o->icons_dir);
    return u;
}

void ui_destroy(ui *u)
{
    if (!u)
        return;
    icons_destroy(u->icons);
    text_destroy(u->tx);
    if (u->ren)
        SDL_DestroyRenderer(u->ren);
    if (u->win)
        SDL_DestroyWindow(u->win);
    if (u->L) {
        explicit_bzero(u->L, sizeof *u->L);
        free(u->L);
    }
    free(u);
}

static void build(ui *u, const session *s)
{
    layout *L = u->L;
    layout_begin(L, s, &u->th, u->tx, u->w, u->h);
    switch (s->screen) {
    case SCREEN_WELCOME:
        screen_welcome(L);
        break;
    case SCREEN_EVENTS:
        screen_events(L);
        break;
    case SCREEN_QUESTION:
        screen_question(L);
        break;
    case SCREEN_OVERVIEW:
        screen_overview(L);
        break;
    case SCREEN_NEXT_STEP:
        screen_next_step(L);
        break;
    case SCREEN_GOODBYE:
        screen_goodbye(L);
        break;
    case SCREEN_CONSENT:
        screen_consent(L);
        break;
    case SCREEN_CONTACT:
        screen_contact(L);
        break;
    case SCREEN_PHONE:
        screen_phone(L);
        break;
    case SCREEN_SUMMARY:
        screen_summary(L);
        break;
    case SCREEN_EMAIL:
        screen_email(L);
        break;
    default:
        screen_out_of_order(L);
        break;
    }
    if (s->data.lang_menu && !s->data.handoff_shown)
        overlay_language(L);
    if (s->data.handoff_shown)
        overlay_handoff(L);
    if (s->warning)
        overlay_timeout(L);
    if (L->rtl)
        layout_mirror(L);
}

/* The control with the keyboard focus on the current layout, or NULL. */
static const widget *focused(ui *u)
{
    if (!u->focus_on)
        return NULL;
    const layout *L = u->L;
    int top = layout_top_layer(L);
    for (int i = 0; i < L->n; i++)
        if (L->w[i].kind == W_BUTTON && L->w[i].layer == top && !strcmp(L->w[i].id, u->focus_id))
            return &L->w[i];
    return NULL;
}

/* The next (dir > 0) or previous control of the top layer after `from` (NULL: the first or
 * last), wrapping round: there is no focus trap and no dead end. */
static const widget *step(ui *u, const widget *from, int dir)
{
    const layout *L = u->L;
    int top = layout_top_layer(L), n = L->n;
    int start = from ? (int)(from - L->w) : (dir > 0 ? -1 : n);
    for (int k = 1; k <= n; k++) {
        int i = ((start + dir * k) % n + n) % n;
        if (L->w[i].kind == W_BUTTON && L->w[i].layer == top)
            return &L->w[i];
    }
    return NULL;
}

void ui_focus_move(ui *u, int dir)
{
    const widget *next = step(u, focused(u), dir);
    u->focus_on = next != NULL;
    if (next)
        snprintf(u->focus_id, sizeof u->focus_id, "%s", next->id);
    u->dirty = true;
}

bool ui_focus_action(ui *u, action *out)
{
    const widget *f = focused(u);
    if (f)
        *out = f->act;
    return f != NULL;
}

void ui_focus_off(ui *u)
{
    if (u->focus_on)
        u->dirty = true;
    u->focus_on = false;
}

const char *ui_focus_id(ui *u)
{
    return u->focus_on ? u->focus_id : "";
}

bool ui_render(ui *u, const session *s, bool force)
{
    int w, h;
    SDL_GetRendererOutputSize(u->ren, &w, &h);
    if (w != u->w || h != u->h) {
        u->w = w;
        u->h = h;
        force = true;
    }
    if (!force && !u->dirty && u->drawn_any && s->version == u->drawn_version)
        return false;
    u->dirty = false;
    build(u, s);
    const widget *f = focused(u);
    if (u->focus_on && !f) {
        /* the screen changed under the keys: the focus starts at its first control */
        const widget *first = step(u, NULL, 1);
        if (first)
            snprintf(u->focus_id, sizeof u->focus_id, "%s", first->id);
        f = first;
    }
    SDL_Color bg = u->th.c.bg;
    SDL_SetRenderDrawColor(u->ren, bg.r, bg.g, bg.b, 255);
    SDL_RenderClear(u->ren);
    widgets_draw(u->ren, u->tx, u->icons, u->L);
    if (f) {
        /* the focus ring: outside the control, dark then light, seen on any background */
        SDL_Color ring = u->th.c.text;
        for (int i = 0; i < 6; i++) {
            int d = 2 + i;
            if (i == 4)
                ring = (SDL_Color){255, 255, 255, 255};
            SDL_SetRenderDrawColor(u->ren, ring.r, ring.g, ring.b, 255);
            SDL_RenderDrawRect(u->ren,
                               &(SDL_Rect){f->r.x - d, f->r.y - d, f->r.w + 2 * d, f->r.h + 2 * d});
        }
    }
    SDL_RenderPresent(u->ren);
    u->drawn_version = s->version;
    u->drawn_any = true;
    return true;
}

/* Separate functions, so that callgrind can count exactly one redraw (--toggle-collect). */
void ui_redraw(ui *u, const session *s)
{
    ui_render(u, s, true);
}

void ui_redraw_cold(ui *u, const session *s)
{
    text_cache_clear(u->tx);
    ui_render(u, s, true);
}

const widget *ui_hit(ui *u, int x, int y)
{
    /* window coordinates -> renderer pixels (high-DPI) */
    int ww, wh;
    SDL_GetWindowSize(u->win, &ww, &wh);
    if (ww > 0 && wh > 0) {
        x = x * u->w / ww;
        y = y * u->h / wh;
    }
    return layout_hit(u->L, x, y);
}

const widget *ui_find(ui *u, const char *key)
{
    return layout_find(u->L, key);
}

const layout *ui_layout(ui *u)
{
    return u->L;
}

bool ui_screenshot(ui *u, const char *path, char *err, size_t errcap)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, u->w, u->h, 32, SDL_PIXELFORMAT_RGBA32);
    if (!s) {
        snprintf(err, errcap, "%s", SDL_GetError());
        return false;
    }
    /* The software renderer keeps the presented frame, so this reads what is on screen. */
    bool ok = SDL_RenderReadPixels(u->ren, NULL, SDL_PIXELFORMAT_RGBA32, s->pixels, s->pitch) == 0;
    if (ok)
        ok = IMG_SavePNG(s, path) == 0;
    if (!ok)
        snprintf(err, errcap, "cannot write %s: %s", path, SDL_GetError());
    SDL_FreeSurface(s);
    return ok;
}

static void put_field(FILE *f, const char *s)
{
    /* tabs and newlines would break the line format */
    for (; s && *s; s++)
        fputc(*s == '\t' || *s == '\n' ? ' ' : *s, f);
}

void ui_write_render_log(ui *u, FILE *f, unsigned long frame)
{
    const layout *L = u->L;
    const session *s = L->s;
    fprintf(f,
            "frame\t%lu\tscreen=%s\tlang=%s\twidth=%d\theight=%d\tpxmm=%.4f\tcapratio=%.4f\t"
            "layer=%d\twarning=%d\thandoff=%d\tprint=%d\tpages=%d\tglyphs=%lu\tshaping=%d\t"
            "focus=%s\n",
            frame, screen_name(s->screen), lang_get(L->lang)->code, L->W, L->H, u->th.px_per_mm,
            text_cap_ratio(u->tx), layout_top_layer(L), s->warning, (int)s->data.handoff,
            (int)s->data.print, L->pages, text_render_count(u->tx), text_shaping(u->tx),
            u->focus_on ? u->focus_id : "-");
    for (int i = 0; i < L->n; i++) {
        const widget *w = &L->w[i];
        if (w->kind == W_BUTTON) {
            fprintf(f, "control\t%s\t%d\t%d\t%d\t%d\t%d\t%02x%02x%02x\t%d\t", w->id, w->r.x, w->r.y,
                    w->r.w, w->r.h, w->layer, w->bg.r, w->bg.g, w->bg.b, w->border);
            put_field(f, w->text);
            fputc('\n', f);
        } else if (w->kind == W_TEXT) {
            fprintf(f, "text\t%d\t%d\t%d\t%d\t%d\t%d\t%02x%02x%02x\t%02x%02x%02x\t%d\t", w->r.x,
                    w->r.y, w->r.w, w->r.h, w->px, w->bold, w->fg.r, w->fg.g, w->fg.b, w->bg.r,
                    w->bg.g, w->bg.b, w->layer);
            put_field(f, w->text);
            fputc('\n', f);
        } else if (w->kind == W_PARAGRAPH) {
            fprintf(f, "paragraph\t%d\t%d\t%d\t%d\t%d\t", w->r.x, w->r.y, w->r.w, w->r.h, w->layer);
            put_field(f, w->text);
            fputc('\n', f);
        } else if (w->kind == W_ICON) {
            fprintf(f, "icon\t%s\t%d\t%d\t%d\t%d\t%d\n", w->icon, w->r.x, w->r.y, w->r.w, w->r.h,
                    w->layer);
        }
    }
    fprintf(f, "end\t%lu\n", frame);
    fflush(f);
}

void ui_forget(ui *u)
{
    text_cache_clear(u->tx);
    explicit_bzero(u->L->strings, sizeof u->L->strings);
}

unsigned long ui_glyph_renders(ui *u)
{
    return text_render_count(u->tx);
}

SDL_Window *ui_window(ui *u)
{
    return u->win;
}

const theme *ui_theme(ui *u)
{
    return &u->th;
}
