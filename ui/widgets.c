/* Drawing of the widget kinds. */
#include <SDL_image.h>
#include <stdio.h>
#include <string.h>

#include "widgets.h"

#define MAX_ICONS 48

struct icon_cache {
    char dir[1024];
    struct {
        char name[48];
        int size;
        SDL_Texture *tex; /* NULL: tried and missing */
    } e[MAX_ICONS];
    int n;
};

icon_cache *icons_create(const char *dir)
{
    icon_cache *c = SDL_calloc(1, sizeof *c);
    if (c)
        snprintf(c->dir, sizeof c->dir, "%s", dir);
    return c;
}

void icons_destroy(icon_cache *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->n; i++)
        if (c->e[i].tex)
            SDL_DestroyTexture(c->e[i].tex);
    SDL_free(c);
}

static SDL_Texture *icon(icon_cache *c, SDL_Renderer *r, const char *name, int size)
{
    for (int i = 0; i < c->n; i++)
        if (c->e[i].size == size && strcmp(c->e[i].name, name) == 0)
            return c->e[i].tex;
    /* SVG pictograms are rasterised at the size they are shown, so they stay sharp. */
    char path[1200];
    snprintf(path, sizeof path, "%s/%s.svg", c->dir, name);
    SDL_Texture *tex = NULL;
    SDL_RWops *rw = SDL_RWFromFile(path, "rb");
    if (rw) {
        SDL_Surface *s = IMG_LoadSizedSVG_RW(rw, size, size);
        SDL_RWclose(rw);
        if (s) {
            tex = SDL_CreateTextureFromSurface(r, s);
            SDL_FreeSurface(s);
        }
    }
    if (c->n == MAX_ICONS) {
        if (c->e[0].tex)
            SDL_DestroyTexture(c->e[0].tex);
        memmove(&c->e[0], &c->e[1], sizeof c->e[0] * (MAX_ICONS - 1));
        c->n--;
    }
    snprintf(c->e[c->n].name, sizeof c->e[0].name, "%s", name);
    c->e[c->n].size = size;
    c->e[c->n].tex = tex;
    c->n++;
    return tex;
}

static void fill(SDL_Renderer *r, SDL_Rect rc, SDL_Color c)
{
    SDL_SetRenderDrawBlendMode(r, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
    SDL_RenderFillRect(r, &rc);
}

static void frame(SDL_Renderer *r, SDL_Rect rc, SDL_Color c, int wdt)
{
    for (int i = 0; i < wdt; i++) {
        SDL_Rect e = {rc.x + i, rc.y + i, rc.w - 2 * i, rc.h - 2 * i};
        SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_NONE);
        SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
        SDL_RenderDrawRect(r, &e);
    }
}

void widgets_draw(SDL_Renderer *r, ui_text *tx, icon_cache *ic, const layout *L)
{
    for (int i = 0; i < L->n; i++) {
        const widget *w = &L->w[i];
        switch (w->kind) {
        case W_PANEL:
            fill(r, w->r, w->bg);
            if (w->border)
                frame(r, w->r, w->fg, w->border);
            break;
        case W_BUTTON:
            fill(r, w->r, w->bg);
            frame(r, w->r, w->fg, w->border);
            break;
        case W_TEXT: {
            int tw, th;
            SDL_Texture *t = text_texture(tx, r, w->px, w->bold, w->fg, w->text, &tw, &th);
            if (t) {
                SDL_Rect dst = {w->r.x, w->r.y, tw, th};
                SDL_RenderCopy(r, t, NULL, &dst);
            }
            break;
        }
        case W_PARAGRAPH:
            break; /* drawn as its lines */
        case W_ICON: {
            SDL_Texture *t = icon(ic, r, w->icon, w->r.w);
            if (t && L->th->high_contrast) {
                /* dark pictograms on a black screen: each gets a white plate */
                int m = w->r.w / 10;
                fill(r, (SDL_Rect){w->r.x - m, w->r.y - m, w->r.w + 2 * m, w->r.h + 2 * m},
                     (SDL_Color){255, 255, 255, 255});
            }
            if (t)
                SDL_RenderCopy(r, t, NULL, &w->r);
            break;
        }
        }
    }
}

const widget *widgets_hit_window(SDL_Window *win, const layout *L, int w, int h, int x, int y)
{
    /* window coordinates -> renderer pixels (high-DPI) */
    int ww, wh;
    SDL_GetWindowSize(win, &ww, &wh);
    if (ww > 0 && wh > 0) {
        x = x * w / ww;
        y = y * h / wh;
    }
    return layout_hit(L, x, y);
}

bool widgets_screenshot(SDL_Renderer *r, int w, int h, const char *path, char *err, size_t errcap)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGBA32);
    if (!s) {
        snprintf(err, errcap, "%s", SDL_GetError());
        return false;
    }
    /* The software renderer keeps the presented frame, so this reads what is on screen. */
    bool ok = SDL_RenderReadPixels(r, NULL, SDL_PIXELFORMAT_RGBA32, s->pixels, s->pitch) == 0;
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

void widgets_write_log(FILE *f, const layout *L, bool icons)
{
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
        } else if (icons && w->kind == W_ICON) {
            fprintf(f, "icon\t%s\t%d\t%d\t%d\t%d\t%d\n", w->icon, w->r.x, w->r.y, w->r.w, w->r.h,
                    w->layer);
        }
    }
}

void widgets_focus_ring(SDL_Renderer *r, const theme *th, SDL_Rect at)
{
    /* outside the control, dark then light, seen on any background (kiosk and desk) */
    SDL_Color ring = th->c.text;
    for (int i = 0; i < 6; i++) {
        int d = 2 + i;
        if (i == 4)
            ring = (SDL_Color){255, 255, 255, 255};
        SDL_SetRenderDrawColor(r, ring.r, ring.g, ring.b, 255);
        SDL_RenderDrawRect(r, &(SDL_Rect){at.x - d, at.y - d, at.w + 2 * d, at.h + 2 * d});
    }
}
