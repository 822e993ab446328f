#include "text.h"

#include <SDL_ttf.h>
#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SIZES 16
#define CACHE_SLOTS 1024

typedef struct {
    int px;
    bool bold;
    TTF_Font *font;
} sized_font;

typedef struct {
    uint64_t hash;
    char *s;
    int px;
    bool bold;
    SDL_Color c;
    SDL_Texture *tex;
    int w, h;
    unsigned long used;
} cache_entry;

#define WIDTH_SLOTS 4096

typedef struct {
    uint64_t hash;
    char word[32]; /* short words only; longer ones are measured each time */
    int px, width;
    bool bold;
} width_entry;

struct ui_text {
    char path[2][1024]; /* regular, bold */
    width_entry widths[WIDTH_SLOTS];
    sized_font fonts[MAX_SIZES];
    int n_fonts;
    cache_entry cache[CACHE_SLOTS];
    unsigned long clock;
    unsigned long renders;
    double cap_ratio;
    char scratch[4096];
};

static bool find_font(const char *family, bool bold, char *out, size_t cap)
{
    FcPattern *pat = FcPatternCreate();
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
    FcPatternAddInteger(pat, FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
    FcPatternAddInteger(pat, FC_SLANT, FC_SLANT_ROMAN);
    FcPatternAddString(pat, FC_FONTFORMAT, (const FcChar8 *)"TrueType");
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res;
    FcPattern *m = FcFontMatch(NULL, pat, &res);
    bool ok = false;
    FcChar8 *file = NULL, *fam = NULL;
    if (m && FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch &&
        FcPatternGetString(m, FC_FAMILY, 0, &fam) == FcResultMatch) {
        /* fontconfig always returns something; make sure it is the family we asked for */
        ok = strcasecmp((const char *)fam, family) == 0;
        snprintf(out, cap, "%s", (const char *)file);
    }
    if (m)
        FcPatternDestroy(m);
    FcPatternDestroy(pat);
    return ok;
}

ui_text *text_create(const char *family, char *err, size_t errcap)
{
    if (!FcInit()) {
        snprintf(err, errcap, "fontconfig could not start");
        return NULL;
    }
    if (!TTF_WasInit() && TTF_Init() != 0) {
        snprintf(err, errcap, "SDL_ttf: %s", TTF_GetError());
        return NULL;
    }
    ui_text *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    for (int b = 0; b < 2; b++) {
        if (!find_font(family, b == 1, t->path[b], sizeof t->path[b])) {
            snprintf(err, errcap,
                     "font '%s' not found (install fonts-noto-core, or set [kiosk] font)", family);
            free(t);
            return NULL;
        }
    }
    /* Cap height from the glyph 'H' at a large size. */
    TTF_Font *f = TTF_OpenFont(t->path[0], 200);
    int minx, maxx, miny, maxy, adv;
    if (!f || TTF_GlyphMetrics(f, 'H', &minx, &maxx, &miny, &maxy, &adv) != 0) {
        snprintf(err, errcap, "cannot open font %s: %s", t->path[0], TTF_GetError());
        if (f)
            TTF_CloseFont(f);
        free(t);
        return NULL;
    }
    t->cap_ratio = maxy / 200.0;
    TTF_CloseFont(f);
    return t;
}

double text_cap_ratio(ui_text *t)
{
    return t->cap_ratio;
}

static TTF_Font *font(ui_text *t, int px, bool bold)
{
    for (int i = 0; i < t->n_fonts; i++)
        if (t->fonts[i].px == px && t->fonts[i].bold == bold)
            return t->fonts[i].font;
    TTF_Font *f = TTF_OpenFont(t->path[bold], px);
    if (!f)
        return NULL;
    /* HarfBuzz shaping; direction and script follow the text (SDL_ttf >= 2.20) */
    if (t->n_fonts == MAX_SIZES) {
        TTF_CloseFont(t->fonts[0].font);
        memmove(&t->fonts[0], &t->fonts[1], sizeof t->fonts[0] * (MAX_SIZES - 1));
        t->n_fonts--;
    }
    t->fonts[t->n_fonts++] = (sized_font){px, bold, f};
    return f;
}

static uint64_t hash_str(const char *s, int px, bool bold, SDL_Color c);

/* Width of one word, cached: layout measures the same words on every state change. */
static int word_width(ui_text *t, int px, bool bold, const char *w)
{
    size_t n = strlen(w);
    if (n >= sizeof t->widths[0].word)
        return text_width(t, px, bold, w);
    uint64_t h = hash_str(w, px, bold, (SDL_Color){0, 0, 0, 0});
    width_entry *e = &t->widths[h % WIDTH_SLOTS];
    if (e->hash == h && e->px == px && e->bold == bold && strcmp(e->word, w) == 0)
        return e->width;
    e->hash = h;
    e->px = px;
    e->bold = bold;
    memcpy(e->word, w, n + 1);
    e->width = text_width(t, px, bold, w);
    return e->width;
}

int text_width(ui_text *t, int px, bool bold, const char *s)
{
    int w = 0, h = 0;
    TTF_Font *f = font(t, px, bold);
    if (f && *s)
        TTF_SizeUTF8(f, s, &w, &h);
    return w;
}

int text_line_height(ui_text *t, int px, bool bold)
{
    TTF_Font *f = font(t, px, bold);
    return f ? TTF_FontLineSkip(f) : px;
}

/* Greedy line breaking at spaces. Each word is shaped once and each finished line once, so
 * the cost is linear in the text (shaping every growing prefix was quadratic: 70 % of drawing
 * the overview). A line's width is the sum of its words and spaces; the line is measured
 * exactly once it is complete. */
int text_wrap(ui_text *t, int px, bool bold, const char *s, int maxw,
              void (*line)(void *ctx, const char *text, int width), void *ctx)
{
    char *buf = t->scratch;
    size_t cap = sizeof t->scratch;
    int space = word_width(t, px, bold, " ");
    int lines = 0;
    const char *p = s;
    do {
        /* one paragraph (up to '\n') at a time */
        const char *end = strchr(p, '\n');
        if (!end)
            end = p + strlen(p);
        size_t len = 0; /* bytes of the line in buf */
        int width = 0;
        const char *q = p;
        bool empty_paragraph = true;
        while (q < end) {
            while (q < end && *q == ' ')
                q++;
            const char *w0 = q;
            while (q < end && *q != ' ')
                q++;
            size_t wl = (size_t)(q - w0);
            if (wl == 0)
                break;
            empty_paragraph = false;
            if (wl >= cap / 2)
                wl = cap / 2 - 1;
            char word[512];
            size_t cl = wl < sizeof word ? wl : sizeof word - 1;
            memcpy(word, w0, cl);
            word[cl] = '\0';
            int ww = word_width(t, px, bold, word);
            if (len > 0 && width + space + ww > maxw) {
                buf[len] = '\0';
                line(ctx, buf, text_width(t, px, bold, buf));
                lines++;
                len = 0;
                width = 0;
            }
            if (len > 0 && len + 1 < cap) {
                buf[len++] = ' ';
                width += space;
            }
            if (len + wl >= cap)
                wl = cap - len - 1;
            memcpy(buf + len, w0, wl);
            len += wl;
            width += ww;
        }
        if (len > 0 || empty_paragraph) {
            buf[len] = '\0';
            line(ctx, buf, len ? text_width(t, px, bold, buf) : 0);
            lines++;
        }
        p = *end ? end + 1 : end;
    } while (*p);
    return lines;
}

static uint64_t hash_str(const char *s, int px, bool bold, SDL_Color c)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    h ^= (uint64_t)px << 40 ^ (uint64_t)bold << 39 ^
         ((uint64_t)c.r << 24 | (uint64_t)c.g << 16 | (uint64_t)c.b << 8 | c.a);
    return h;
}

SDL_Texture *text_texture(ui_text *t, SDL_Renderer *r, int px, bool bold, SDL_Color c,
                          const char *s, int *w, int *h)
{
    uint64_t hv = hash_str(s, px, bold, c);
    size_t slot = hv % CACHE_SLOTS, victim = slot;
    t->clock++;
    for (size_t probe = 0; probe < 8; probe++) {
        cache_entry *e = &t->cache[(slot + probe) % CACHE_SLOTS];
        if (e->tex && e->hash == hv && e->px == px && e->bold == bold && e->c.r == c.r &&
            e->c.g == c.g && e->c.b == c.b && e->c.a == c.a && strcmp(e->s, s) == 0) {
            e->used = t->clock;
            *w = e->w;
            *h = e->h;
            return e->tex;
        }
        cache_entry *v = &t->cache[victim];
        if (!e->tex || (v->tex && e->used < v->used))
            victim = (slot + probe) % CACHE_SLOTS;
    }
    TTF_Font *f = font(t, px, bold);
    if (!f)
        return NULL;
    SDL_Surface *surf = TTF_RenderUTF8_Blended(f, s, c);
    t->renders++;
    if (!surf)
        return NULL;
    SDL_Texture *tex = SDL_CreateTextureFromSurface(r, surf);
    cache_entry *e = &t->cache[victim];
    if (e->tex) {
        SDL_DestroyTexture(e->tex);
        free(e->s);
    }
    *e = (cache_entry){.hash = hv,
                       .s = strdup(s),
                       .px = px,
                       .bold = bold,
                       .c = c,
                       .tex = tex,
                       .w = surf->w,
                       .h = surf->h,
                       .used = t->clock};
    *w = surf->w;
    *h = surf->h;
    SDL_FreeSurface(surf);
    return tex;
}

unsigned long text_render_count(const ui_text *t)
{
    return t->renders;
}

void text_cache_clear(ui_text *t)
{
    explicit_bzero(t->widths, sizeof t->widths); /* words may be a citizen's */
    for (int i = 0; i < CACHE_SLOTS; i++) {
        cache_entry *e = &t->cache[i];
        if (e->tex)
            SDL_DestroyTexture(e->tex);
        if (e->s) {
            /* cached strings are screen texts: wipe them with the session */
            explicit_bzero(e->s, strlen(e->s));
            free(e->s);
        }
        memset(e, 0, sizeof *e);
    }
}

void text_destroy(ui_text *t)
{
    if (!t)
        return;
    text_cache_clear(t);
    for (int i = 0; i < t->n_fonts; i++)
        TTF_CloseFont(t->fonts[i].font);
    explicit_bzero(t->scratch, sizeof t->scratch);
    free(t);
    FcFini(); /* fontconfig's caches; only the UI uses it */
}
