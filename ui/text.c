#include "text.h"

#include <SDL_ttf.h>
#include <fontconfig/fontconfig.h>
#include <fribidi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SIZES 16
#define CACHE_SLOTS 1024

/* Font families by script: Latin (also Cyrillic, Greek, digits) and Arabic. */
enum { SCRIPT_LATIN, SCRIPT_ARABIC, SCRIPT_COUNT };

typedef struct {
    int px;
    bool bold;
    int script;
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
    char path[SCRIPT_COUNT][2][1024]; /* per script: regular, bold; "" = not installed */
    width_entry widths[WIDTH_SLOTS];
    sized_font fonts[MAX_SIZES];
    int n_fonts;
    cache_entry cache[CACHE_SLOTS];
    unsigned long clock;
    unsigned long renders;
    double cap_ratio;
    int shaping; /* -1 unknown, 0 no (SDL_ttf without HarfBuzz), 1 yes */
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
        if (!find_font(family, b == 1, t->path[SCRIPT_LATIN][b], sizeof t->path[0][b])) {
            snprintf(err, errcap,
                     "font '%s' not found (install fonts-noto-core, or set [kiosk] font)", family);
            free(t);
            return NULL;
        }
        /* Arabic script: the family's Arabic face; without it Arabic would show as boxes */
        char arabic[96];
        snprintf(arabic, sizeof arabic, "%s Arabic", family);
        if (!find_font(arabic, b == 1, t->path[SCRIPT_ARABIC][b], sizeof t->path[0][b]))
            t->path[SCRIPT_ARABIC][b][0] = '\0';
    }
    /* Cap height from the glyph 'H' at a large size. */
    TTF_Font *f = TTF_OpenFont(t->path[SCRIPT_LATIN][0], 200);
    int minx, maxx, miny, maxy, adv;
    if (!f || TTF_GlyphMetrics(f, 'H', &minx, &maxx, &miny, &maxy, &adv) != 0) {
        snprintf(err, errcap, "cannot open font %s: %s", t->path[SCRIPT_LATIN][0], TTF_GetError());
        if (f)
            TTF_CloseFont(f);
        free(t);
        return NULL;
    }
    t->cap_ratio = maxy / 200.0;
    t->shaping = -1;
    TTF_CloseFont(f);
    return t;
}

double text_cap_ratio(ui_text *t)
{
    return t->cap_ratio;
}

static TTF_Font *script_font(ui_text *t, int px, bool bold, int script)
{
    for (int i = 0; i < t->n_fonts; i++)
        if (t->fonts[i].px == px && t->fonts[i].bold == bold && t->fonts[i].script == script)
            return t->fonts[i].font;
    if (!t->path[script][bold][0])
        script = SCRIPT_LATIN;
    TTF_Font *f = TTF_OpenFont(t->path[script][bold], px);
    if (!f)
        return NULL;
    /* HarfBuzz shapes each run; Arabic runs right to left (SDL_ttf >= 2.20) */
    if (script == SCRIPT_ARABIC)
        t->shaping = TTF_SetFontDirection(f, TTF_DIRECTION_RTL) == 0 &&
                     TTF_SetFontScriptName(f, "Arab") == 0;
    if (t->n_fonts == MAX_SIZES) {
        TTF_CloseFont(t->fonts[0].font);
        memmove(&t->fonts[0], &t->fonts[1], sizeof t->fonts[0] * (MAX_SIZES - 1));
        t->n_fonts--;
    }
    t->fonts[t->n_fonts++] = (sized_font){px, bold, script, f};
    return f;
}

static TTF_Font *font(ui_text *t, int px, bool bold)
{
    return script_font(t, px, bold, SCRIPT_LATIN);
}

/* ---- bidirectional text: Arabic sentences with numbers and Latin names in them ---- */

#define BIDI_MAX 1024 /* code points per line */
#define BIDI_RUNS 64

typedef struct {
    int start, end; /* code points [start, end), logical order */
    int level;      /* bidi embedding level: odd = right to left */
    int script;
} bidi_run;

static bool is_arabic(FriBidiChar c)
{
    return (c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) ||
           (c >= 0x08A0 && c <= 0x08FF) || (c >= 0xFB50 && c <= 0xFDFF) ||
           (c >= 0xFE70 && c <= 0xFEFF);
}

static bool is_bidi_control(FriBidiChar c)
{
    return (c >= 0x2066 && c <= 0x2069) || (c >= 0x202A && c <= 0x202E) || c == 0x200E ||
           c == 0x200F;
}

/* Any right-to-left character (Hebrew, Arabic and their presentation forms)? Only such strings
 * take the bidi path. */
static bool needs_bidi(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (len == 2 && p[1])
            c = (c & 0x1F) << 6 | (p[1] & 0x3F);
        else if (len == 3 && p[1] && p[2])
            c = (c & 0x0F) << 12 | (unsigned)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
        if ((c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFDFF) ||
            (c >= 0xFE70 && c <= 0xFEFF))
            return true;
        for (int i = 0; i < len && *p; i++)
            p++;
    }
    return false;
}

/* Splits a line into runs of one direction and one font, in visual order (left to right).
 * Returns the number of runs; cps receives the code points. `arabic` (may be NULL) is the
 * Arabic face, asked whether it has a glyph for neutral characters. */
static int bidi_runs(const char *s, FriBidiChar *cps, int *ncps, bidi_run *runs, TTF_Font *arabic)
{
    int n = fribidi_charset_to_unicode(FRIBIDI_CHAR_SET_UTF8, s, (FriBidiStrIndex)strlen(s), cps);
    if (n > BIDI_MAX)
        n = BIDI_MAX;
    *ncps = n;
    if (n <= 0)
        return 0;
    FriBidiCharType types[BIDI_MAX];
    FriBidiBracketType brackets[BIDI_MAX];
    FriBidiLevel levels[BIDI_MAX];
    fribidi_get_bidi_types(cps, n, types);
    /* A phone number is digit groups with single spaces ("0800 0543", "088 898 92 94"): the
     * algorithm would put the groups in right-to-left order ("0543 0800"). A space between two
     * digits is made a common separator, which rule W4 joins into the number: one number, read
     * left to right, wherever it is written (content texts too, without direction marks). */
    for (int i = 1; i + 1 < n; i++)
        if (cps[i] == ' ' && types[i - 1] == FRIBIDI_TYPE_EN && types[i + 1] == FRIBIDI_TYPE_EN)
            types[i] = FRIBIDI_TYPE_CS;
    fribidi_get_bracket_types(cps, n, types, brackets);
    FriBidiParType base = FRIBIDI_PAR_ON; /* from the first strong character */
    if (!fribidi_get_par_embedding_levels_ex(types, brackets, n, &base, levels))
        return 0;
    /* logical runs: same level, same font. Arabic letters use the Arabic face; neutrals
     * (spaces, punctuation) stay in the Arabic face after Arabic text when it has the glyph;
     * everything else (Latin, digits, brackets it lacks) uses the Latin face. */
    int nr = 0, script = SCRIPT_LATIN;
    for (int i = 0; i < n; i++) {
        if (is_bidi_control(cps[i]))
            continue; /* invisible: part of no run (run_utf8 drops them inside a run) */
        if (is_arabic(cps[i]))
            script = SCRIPT_ARABIC;
        else if (FRIBIDI_IS_STRONG(types[i]) || FRIBIDI_IS_NUMBER(types[i]))
            script = SCRIPT_LATIN;
        else if (script == SCRIPT_ARABIC && (!arabic || !TTF_GlyphIsProvided32(arabic, cps[i])))
            script = SCRIPT_LATIN;
        if (nr > 0 && runs[nr - 1].level == levels[i] && runs[nr - 1].script == script) {
            runs[nr - 1].end = i + 1;
        } else if (nr < BIDI_RUNS) {
            runs[nr++] = (bidi_run){i, i + 1, levels[i], script};
        } else {
            runs[nr - 1].end = i + 1; /* too many runs: the rest joins the last one */
        }
    }
    /* rule L2: from the highest level down to the lowest odd one, reverse every sequence of
     * runs at that level or higher */
    int max = 0, min_odd = 255;
    for (int i = 0; i < nr; i++) {
        if (runs[i].level > max)
            max = runs[i].level;
        if ((runs[i].level & 1) && runs[i].level < min_odd)
            min_odd = runs[i].level;
    }
    for (int lev = max; lev >= min_odd && lev > 0; lev--) {
        for (int i = 0; i < nr;) {
            if (runs[i].level < lev) {
                i++;
                continue;
            }
            int j = i;
            while (j < nr && runs[j].level >= lev)
                j++;
            for (int a = i, b = j - 1; a < b; a++, b--) {
                bidi_run tmp = runs[a];
                runs[a] = runs[b];
                runs[b] = tmp;
            }
            i = j;
        }
    }
    return nr;
}

/* The characters of a run as UTF-8, without the invisible bidi controls. A run at a
 * right-to-left level drawn by the Latin face (only neutrals such as brackets and punctuation
 * end up there) is reversed and mirrored, as the face draws left to right. */
static void run_utf8(const FriBidiChar *cps, const bidi_run *r, char *out, size_t cap)
{
    FriBidiChar tmp[BIDI_MAX];
    int n = 0;
    bool flip = (r->level & 1) && r->script == SCRIPT_LATIN;
    for (int i = r->start; i < r->end; i++) {
        FriBidiChar c = cps[flip ? r->end - 1 - (i - r->start) : i];
        if (is_bidi_control(c))
            continue;
        if (flip)
            fribidi_get_mirror_char(c, &c);
        tmp[n++] = c;
    }
    if ((size_t)n * 4 + 1 > cap)
        n = (int)((cap - 1) / 4);
    fribidi_unicode_to_charset(FRIBIDI_CHAR_SET_UTF8, tmp, n, out);
}

void text_bidi_visual(const char *s, char *out, size_t cap)
{
    static FriBidiChar cps[BIDI_MAX];
    bidi_run runs[BIDI_RUNS];
    char buf[BIDI_MAX * 4 + 1];
    size_t n = 0;
    out[0] = '\0';
    if (!needs_bidi(s))
        return;
    int ncps, nr = bidi_runs(s, cps, &ncps, runs, NULL);
    for (int i = 0; i < nr; i++) {
        run_utf8(cps, &runs[i], buf, sizeof buf);
        int w = snprintf(out + n, cap - n, "%s%s", i ? "|" : "", buf);
        if (w < 0 || (size_t)w >= cap - n)
            break;
        n += (size_t)w;
    }
}

/* Width of a line with right-to-left text: the sum of its runs. */
static int bidi_width(ui_text *t, int px, bool bold, const char *s)
{
    static FriBidiChar cps[BIDI_MAX];
    bidi_run runs[BIDI_RUNS];
    int ncps, w = 0;
    int nr = bidi_runs(s, cps, &ncps, runs, script_font(t, px, bold, SCRIPT_ARABIC));
    char buf[BIDI_MAX * 4 + 1];
    for (int i = 0; i < nr; i++) {
        run_utf8(cps, &runs[i], buf, sizeof buf);
        int rw = 0, rh = 0;
        TTF_Font *f = script_font(t, px, bold, runs[i].script);
        if (f && buf[0])
            TTF_SizeUTF8(f, buf, &rw, &rh);
        w += rw;
    }
    return w;
}

/* Renders a line with right-to-left text: each run shaped on its own, placed in visual order
 * on the Latin face's baseline, in a line as high as the Latin face's (as layout assumes). */
static SDL_Surface *bidi_render(ui_text *t, int px, bool bold, SDL_Color c, const char *s)
{
    static FriBidiChar cps[BIDI_MAX];
    bidi_run runs[BIDI_RUNS];
    SDL_Surface *parts[BIDI_RUNS] = {0};
    int ascent[BIDI_RUNS] = {0};
    TTF_Font *latin = font(t, px, bold);
    int ncps, w = 0;
    int nr = bidi_runs(s, cps, &ncps, runs, script_font(t, px, bold, SCRIPT_ARABIC));
    char buf[BIDI_MAX * 4 + 1];
    for (int i = 0; i < nr; i++) {
        run_utf8(cps, &runs[i], buf, sizeof buf);
        TTF_Font *f = script_font(t, px, bold, runs[i].script);
        parts[i] = f && buf[0] ? TTF_RenderUTF8_Blended(f, buf, c) : NULL;
        if (parts[i]) {
            w += parts[i]->w;
            ascent[i] = TTF_FontAscent(f);
        }
    }
    int h = TTF_FontLineSkip(latin), base = TTF_FontAscent(latin);
    SDL_Surface *out =
        w > 0 ? SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888) : NULL;
    int x = 0;
    for (int i = 0; i < nr; i++) {
        if (!parts[i])
            continue;
        if (out) {
            SDL_SetSurfaceBlendMode(parts[i], SDL_BLENDMODE_NONE);
            SDL_Rect dst = {x, base - ascent[i], parts[i]->w, parts[i]->h};
            SDL_BlitSurface(parts[i], NULL, out, &dst); /* clipped to the line */
        }
        x += parts[i]->w;
        SDL_FreeSurface(parts[i]);
    }
    return out;
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
    if (needs_bidi(s))
        return bidi_width(t, px, bold, s);
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
static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

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
            /* a word; digit groups joined by single spaces ("088 898 92 94") stay together */
            while (q < end &&
                   (*q != ' ' || (q > w0 && q + 1 < end && is_digit(q[-1]) && is_digit(q[1]))))
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
    SDL_Surface *surf =
        needs_bidi(s) ? bidi_render(t, px, bold, c, s) : TTF_RenderUTF8_Blended(f, s, c);
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

SDL_Surface *text_surface(ui_text *t, int px, bool bold, SDL_Color c, const char *s)
{
    TTF_Font *f = font(t, px, bold);
    if (!f || !*s)
        return NULL;
    SDL_Surface *surf =
        needs_bidi(s) ? bidi_render(t, px, bold, c, s) : TTF_RenderUTF8_Blended(f, s, c);
    t->renders++;
    if (surf && surf->format->format != SDL_PIXELFORMAT_ARGB8888) {
        SDL_Surface *conv = SDL_ConvertSurfaceFormat(surf, SDL_PIXELFORMAT_ARGB8888, 0);
        SDL_FreeSurface(surf);
        surf = conv;
    }
    return surf;
}

int text_shaping(const ui_text *t)
{
    return t->shaping;
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
