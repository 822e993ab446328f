#include "slip_render.h"

#include <SDL.h>
#include <SDL_image.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

#include "core/lang.h"
#include "text.h"

#define MAX_DITHER 8 /* pictogram areas per slip */
#define QR_MODULE_MM 0.75
#define QR_QUIET 4 /* modules of white around the code, as the QR standard asks */

struct slip_renderer {
    ui_text *tx;
    char icons[1024];
    char logo[1024];
};

/* The page being drawn: ink 0 (white) .. 255 (black), one byte per dot. */
typedef struct {
    unsigned char *ink;
    int w, h, cap_h;
    int margin, y;
    double scale; /* dots per "203 dpi dot" */
    bool rtl;
    SDL_Rect dither[MAX_DITHER];
    int n_dither;
    FILE *log;
    bool oom;
    slip_renderer *sr;
} page;

slip_renderer *slip_renderer_new(const char *font_family, const char *icons_dir, const char *logo,
                                 char *err, size_t errcap)
{
    slip_renderer *sr = calloc(1, sizeof *sr);
    if (!sr) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    sr->tx = text_create(font_family, err, errcap);
    if (!sr->tx) {
        free(sr);
        return NULL;
    }
    snprintf(sr->icons, sizeof sr->icons, "%s", icons_dir ? icons_dir : "");
    snprintf(sr->logo, sizeof sr->logo, "%s", logo ? logo : "");
    return sr;
}

void slip_renderer_free(slip_renderer *sr)
{
    if (!sr)
        return;
    text_destroy(sr->tx);
    free(sr);
}

int slip_margin_dots(int dpi)
{
    return (int)(2.0 * dpi / 25.4 + 0.5);
}

static int D(const page *p, int dots203)
{
    return (int)(dots203 * p->scale + 0.5);
}

static bool grow(page *p, int rows)
{
    if (rows <= p->cap_h)
        return !p->oom;
    int cap = p->cap_h * 2 > rows ? p->cap_h * 2 : rows + 1024;
    unsigned char *n = realloc(p->ink, (size_t)p->w * (size_t)cap);
    if (!n) {
        p->oom = true;
        return false;
    }
    memset(n + (size_t)p->w * (size_t)p->cap_h, 0, (size_t)p->w * (size_t)(cap - p->cap_h));
    p->ink = n;
    p->cap_h = cap;
    return true;
}

static void log_el(page *p, const char *kind, int x, int y, int w, int h, const char *text)
{
    if (!p->log)
        return;
    fprintf(p->log, "slip\t%s\t%d\t%d\t%d\t%d\t", kind, x, y, w, h);
    for (const char *c = text; c && *c; c++)
        fputc(*c == '\t' || *c == '\n' ? ' ' : *c, p->log);
    fputc('\n', p->log);
}

/* Composites a surface's darkness (ARGB8888) onto the page at x, y (clipped to the margins). */
static void blit(page *p, SDL_Surface *s, int x, int y, bool use_alpha_only)
{
    if (!grow(p, y + s->h))
        return;
    SDL_LockSurface(s);
    for (int r = 0; r < s->h; r++) {
        const Uint32 *src = (const Uint32 *)((const Uint8 *)s->pixels + (size_t)r * s->pitch);
        unsigned char *dst = p->ink + (size_t)(y + r) * (size_t)p->w;
        for (int c = 0; c < s->w; c++) {
            int X = x + c;
            if (X < p->margin || X >= p->w - p->margin)
                continue;
            Uint8 R, G, B, A;
            SDL_GetRGBA(src[c], s->format, &R, &G, &B, &A);
            int ink;
            if (use_alpha_only) {
                ink = A;
            } else {
                int lum = (R * 299 + G * 587 + B * 114) / 1000;
                ink = (255 - lum) * A / 255;
            }
            if (ink > dst[X])
                dst[X] = (unsigned char)ink;
        }
    }
    SDL_UnlockSurface(s);
}

static void fill(page *p, int x, int y, int w, int h)
{
    if (!grow(p, y + h))
        return;
    for (int r = y; r < y + h; r++)
        for (int c = x; c < x + w; c++)
            if (c >= p->margin && c < p->w - p->margin)
                p->ink[(size_t)r * (size_t)p->w + (size_t)c] = 255;
}

/* One line of text at the start side (right in right-to-left text, unless `ltr`). */
static int draw_line(page *p, int px, bool bold, const char *s, int x0, int maxw, bool ltr,
                     const char *kind)
{
    int lh = text_line_height(p->sr->tx, px, bold);
    SDL_Surface *surf = text_surface(p->sr->tx, px, bold, (SDL_Color){0, 0, 0, 255}, s);
    if (surf) {
        int w = surf->w < maxw ? surf->w : maxw;
        int x = (p->rtl && !ltr) ? x0 + maxw - w : x0;
        blit(p, surf, x, p->y, true);
        log_el(p, kind, x, p->y, w, lh, s);
        SDL_FreeSurface(surf);
    }
    p->y += lh;
    return lh;
}

typedef struct {
    page *p;
    int px;
    bool bold, ltr;
    int x0, maxw;
    const char *kind;
} wrap_ctx;

static void on_line(void *ctx, const char *text, int width)
{
    (void)width;
    wrap_ctx *c = ctx;
    draw_line(c->p, c->px, c->bold, text, c->x0, c->maxw, c->ltr, c->kind);
}

static void draw_para(page *p, int px, bool bold, const char *s, int x0, int maxw, bool ltr,
                      const char *kind)
{
    wrap_ctx c = {p, px, bold, ltr, x0, maxw, kind};
    text_wrap(p->sr->tx, px, bold, s, maxw, on_line, &c);
}

static void draw_rule(page *p)
{
    p->y += D(p, 14);
    fill(p, p->margin, p->y, p->w - 2 * p->margin, D(p, 3));
    p->y += D(p, 3) + D(p, 14);
}

/* Loads a pictogram or logo scaled to fit w x h, as ARGB8888. */
static SDL_Surface *load_picture(const char *path, int w, int h)
{
    SDL_Surface *s = NULL;
    size_t n = strlen(path);
    if (n > 4 && strcmp(path + n - 4, ".svg") == 0) {
        SDL_RWops *rw = SDL_RWFromFile(path, "rb");
        if (rw) {
            s = IMG_LoadSizedSVG_RW(rw, w, h);
            SDL_RWclose(rw);
        }
    } else {
        s = IMG_Load(path);
    }
    if (!s)
        return NULL;
    SDL_Surface *a = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(s);
    if (!a || (a->w <= w && a->h <= h))
        return a;
    double k = (double)w / a->w < (double)h / a->h ? (double)w / a->w : (double)h / a->h;
    SDL_Surface *sc = SDL_CreateRGBSurfaceWithFormat(0, (int)(a->w * k) > 0 ? (int)(a->w * k) : 1,
                                                     (int)(a->h * k) > 0 ? (int)(a->h * k) : 1, 32,
                                                     SDL_PIXELFORMAT_ARGB8888);
    if (sc) {
        SDL_SetSurfaceBlendMode(a, SDL_BLENDMODE_NONE);
        SDL_BlitScaled(a, NULL, sc, NULL);
    }
    SDL_FreeSurface(a);
    return sc;
}

static void draw_picture(page *p, SDL_Surface *s, int x, int y, const char *name)
{
    blit(p, s, x, y, false);
    if (p->n_dither < MAX_DITHER)
        p->dither[p->n_dither++] = (SDL_Rect){x, y, s->w, s->h};
    log_el(p, "picture", x, y, s->w, s->h, name);
}

/* The size of a QR module in dots (0.75 mm, at least 3 dots). */
static int qr_module(const page *p)
{
    int mod = (int)(QR_MODULE_MM * (p->scale * 203.0) / 25.4 + 0.5);
    return mod < 3 ? 3 : mod;
}

/* The side of the code with its quiet zone, in dots. */
static int qr_size(const page *p, const QRcode *q)
{
    return (q->width + 2 * QR_QUIET) * qr_module(p);
}

static void draw_qr(page *p, const QRcode *q, const char *payload, int x, int y)
{
    int mod = qr_module(p), full = qr_size(p, q);
    if (grow(p, y + full)) {
        for (int r = 0; r < q->width; r++)
            for (int c = 0; c < q->width; c++)
                if (q->data[r * q->width + c] & 1)
                    fill(p, x + (c + QR_QUIET) * mod, y + (r + QR_QUIET) * mod, mod, mod);
    }
    log_el(p, "qr", x, y, full, full, payload);
}

static int text_px(const page *p, slip_style st)
{
    switch (st) {
    case SLIP_TITLE:
        return D(p, 38);
    case SLIP_HEADING:
        return D(p, 30);
    case SLIP_SMALL:
        return D(p, 22);
    default:
        return D(p, 25);
    }
}

/* The reference number, large, with the QR code beside it (on the other side in RTL). */
static void draw_reference(page *p, const slip *s)
{
    char grouped[24];
    refnum_group(s->reference, grouped, sizeof grouped);
    int top = p->y, inner = p->w - 2 * p->margin;
    /* the code first: the text gets the rest of the width */
    QRcode *q = QRcode_encodeString(s->qr, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    int full = q ? qr_size(p, q) : 0;
    /* beside the number when the text keeps room for about 24 characters a line */
    bool beside = full > 0 && inner - full - D(p, 8) >= D(p, 330);
    int textw = beside ? inner - full - D(p, 8) : inner;
    int tx = p->margin + (beside && p->rtl ? full + D(p, 8) : 0);
    draw_line(p, D(p, 26), true, s->reference_label, tx, textw, false, "reference-label");
    int big = D(p, 64);
    while (big > D(p, 30) && text_width(p->sr->tx, big, true, grouped) > textw)
        big -= D(p, 4);
    draw_line(p, big, true, grouped, tx, textw, false, "reference");
    p->y += D(p, 6);
    draw_para(p, D(p, 23), false, s->reference_hint, tx, textw, false, "text");
    int text_bottom = p->y;
    if (full > 0) {
        int qx = beside ? (p->rtl ? p->margin : p->w - p->margin - full) : p->margin;
        int qy = beside ? top : p->y + D(p, 8);
        draw_qr(p, q, s->qr, qx, qy);
        p->y = qy + full > text_bottom ? qy + full : text_bottom;
    }
    if (q)
        QRcode_free(q);
}

/* Ink to bits: text thresholded, pictogram areas dithered (Floyd-Steinberg). */
static void to_raster(page *p, raster *out)
{
    for (int i = 0; i < p->n_dither; i++) {
        SDL_Rect r = p->dither[i];
        int *err = calloc((size_t)(r.w + 2) * 2, sizeof *err);
        if (!err)
            continue;
        int *cur = err + 1, *next = err + r.w + 3;
        for (int y = r.y; y < r.y + r.h && y < p->h; y++) {
            for (int x = r.x; x < r.x + r.w; x++) {
                if (x < p->margin || x >= p->w - p->margin)
                    continue;
                unsigned char *v = &p->ink[(size_t)y * (size_t)p->w + (size_t)x];
                int want = *v + cur[x - r.x];
                int got = want >= 128 ? 255 : 0;
                int e = want - got;
                *v = (unsigned char)got;
                cur[x - r.x + 1] += e * 7 / 16;
                next[x - r.x - 1] += e * 3 / 16;
                next[x - r.x] += e * 5 / 16;
                next[x - r.x + 1] += e / 16;
            }
            int *t = cur;
            cur = next;
            next = t;
            memset(next - 1, 0, (size_t)(r.w + 2) * sizeof *next);
        }
        free(err);
    }
    for (int y = 0; y < p->h; y++)
        for (int x = 0; x < p->w; x++)
            if (p->ink[(size_t)y * (size_t)p->w + (size_t)x] >= 128)
                out->bits[(size_t)y * (size_t)out->stride + (size_t)(x >> 3)] |=
                    (unsigned char)(0x80 >> (x & 7));
}

bool slip_render(slip_renderer *sr, const slip *s, int width_dots, int dpi, raster *out, FILE *log,
                 char *err, size_t errcap)
{
    *out = (raster){0};
    if (width_dots < 256 || width_dots > 2048 || dpi < 100 || dpi > 600) {
        snprintf(err, errcap, "paper width %d dots at %d dpi is not supported", width_dots, dpi);
        return false;
    }
    page p = {.w = width_dots,
              .scale = dpi / 203.0,
              .margin = slip_margin_dots(dpi),
              .rtl = lang_get(s->lang)->rtl,
              .log = log,
              .sr = sr};
    if (!grow(&p, 2048)) {
        snprintf(err, errcap, "out of memory");
        return false;
    }
    int inner = p.w - 2 * p.margin;
    p.y = D(&p, 8);
    if (sr->logo[0]) {
        SDL_Surface *logo = load_picture(sr->logo, inner / 2, D(&p, 96));
        if (logo) {
            draw_picture(&p, logo, (p.w - logo->w) / 2, p.y, "logo");
            p.y += logo->h + D(&p, 12);
            SDL_FreeSurface(logo);
        }
    }
    draw_para(&p, D(&p, 26), true, s->site, p.margin, inner, false, "site");
    draw_para(&p, D(&p, 23), false, s->when, p.margin, inner, false, "when");
    if (s->reference[0]) {
        draw_rule(&p);
        draw_reference(&p, s);
    }
    bool title_done = false;
    for (int i = 0; i < s->n; i++) {
        const char *t = s->lines[i].text;
        slip_style st = s->lines[i].style;
        bool dutch = s->lines[i].dutch;
        int px = text_px(&p, st);
        bool bold = st == SLIP_TITLE || st == SLIP_HEADING;
        switch (st) {
        case SLIP_RULE:
            draw_rule(&p);
            break;
        case SLIP_TITLE: {
            if (!title_done) {
                title_done = true;
                draw_rule(&p);
            }
            /* the pictogram beside the (first) title line */
            SDL_Surface *icon = NULL;
            int isz = D(&p, 88);
            if (s->icon[0] && !dutch && sr->icons[0]) {
                char path[1200];
                snprintf(path, sizeof path, "%s/%s.svg", sr->icons, s->icon);
                icon = load_picture(path, isz, isz);
            }
            int tw = icon ? inner - icon->w - D(&p, 12) : inner;
            int tx = icon && !p.rtl ? p.margin + icon->w + D(&p, 12) : p.margin;
            int top = p.y;
            if (icon) {
                draw_picture(&p, icon, p.rtl ? p.w - p.margin - icon->w : p.margin, top, s->icon);
                int lh = text_line_height(sr->tx, px, true);
                if (lh < icon->h)
                    p.y += (icon->h - lh) / 2;
            }
            draw_para(&p, dutch ? D(&p, 23) : px, !dutch, t, tx, tw, dutch,
                      dutch ? "dutch" : "title");
            if (icon && p.y < top + icon->h)
                p.y = top + icon->h;
            if (icon)
                SDL_FreeSurface(icon);
            p.y += D(&p, 6);
            break;
        }
        case SLIP_ITEM: {
            /* a bullet, and the text indented beside it */
            int ind = D(&p, 26);
            /* an item is its Dutch line (on a slip in another language) and its own line */
            bool second =
                !dutch && i > 0 && s->lines[i - 1].dutch && s->lines[i - 1].style == SLIP_ITEM;
            if (!second)
                p.y += D(&p, 8); /* a little air between tasks */
            int top = p.y;
            int lh = text_line_height(sr->tx, dutch ? D(&p, 23) : px, false);
            if (!second) {
                int b = D(&p, 9);
                bool right = p.rtl && !dutch;
                int bx = right ? p.w - p.margin - D(&p, 6) - b : p.margin + D(&p, 6);
                fill(&p, bx, top + lh / 2 - b / 2, b, b);
            }
            if (dutch)
                px = D(&p, 23);
            draw_para(&p, px, false, t, p.rtl && !dutch ? p.margin : p.margin + ind, inner - ind,
                      dutch, dutch ? "dutch" : "item");
            break;
        }
        default: {
            if (dutch)
                px = D(&p, 23);
            int ind = s->lines[i].indent ? D(&p, 26) : 0;
            if (st == SLIP_HEADING && !dutch)
                p.y += D(&p, 4);
            draw_para(&p, px, bold && !dutch, t, p.rtl && !dutch ? p.margin : p.margin + ind,
                      inner - ind, dutch,
                      dutch                ? "dutch"
                      : st == SLIP_HEADING ? "heading"
                                           : "text");
            break;
        }
        }
    }
    p.y += D(&p, 16);
    p.h = p.y;
    bool ok = !p.oom && grow(&p, p.h) && raster_init(out, p.w, p.h);
    if (ok) {
        to_raster(&p, out);
        if (log)
            fprintf(log, "slip\tpage\t%d\t%d\t%d\t%s\n", p.w, p.h, p.margin,
                    lang_get(s->lang)->code);
    } else {
        snprintf(err, errcap, "out of memory");
    }
    if (p.ink) {
        explicit_bzero(p.ink, (size_t)p.w * (size_t)p.cap_h);
        free(p.ink);
    }
    text_cache_clear(sr->tx);
    return ok;
}
