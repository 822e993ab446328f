#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
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
    double pxmm, view_mm, height_mm, bottom_mm;
    layout *speech_L; /* the screen laid out in the language read aloud */
    int reach_top;    /* low reach: the layout starts here */
};

ui *ui_create(const ui_options *o, char *err, size_t errcap)
{
    ui *u = calloc(1, sizeof *u);
    if (!u) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    u->L = calloc(1, sizeof *u->L);
    u->speech_L = calloc(1, sizeof *u->speech_L);
    if (!u->L || !u->speech_L) {
        free(u->L);
        free(u->speech_L);
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
    u->pxmm = u->w / o->screen_width_mm;
    u->view_mm = o->view_distance_mm;
    u->height_mm = o->screen_height_mm > 0 ? o->screen_height_mm : u->h / u->pxmm;
    u->bottom_mm = o->screen_bottom_mm;
    theme_init(&u->th, u->pxmm, u->view_mm, text_cap_ratio(u->tx), 1.0, THEME_CALM);
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
    if (u->speech_L) {
        explicit_bzero(u->speech_L, sizeof *u->speech_L);
        free(u->speech_L);
    }
    free(u);
}

/* Large text and high contrast are the citizen's choice: the theme follows the session. */
/* Large text needs room: with buttons lower on a short band (a small panel mounted high)
 * screens such as the consent list would not fit, so there large text waits until the
 * buttons go back up, and the switch says so. 420 mm: every screen fits at 1.5 x (tested on
 * the full 476 mm of a 21.5" panel). */
static bool large_text_blocked(ui *u, const session *s)
{
    if (!s->access.large_text || !s->access.low_reach)
        return false;
    int top, bottom;
    ui_reach_band(u, &top, &bottom);
    return (bottom - top) * u->height_mm / u->h < 420.0;
}

static void follow_theme(ui *u, const session *s)
{
    double scale = s->access.large_text && !large_text_blocked(u, s) ? 1.5 : 1.0;
    bool hc = s->access.high_contrast;
    if (scale != u->th.text_scale || hc != u->th.high_contrast)
        theme_init(&u->th, u->pxmm, u->view_mm, text_cap_ratio(u->tx), scale,
                   hc ? THEME_HIGH_CONTRAST : THEME_CALM);
}

void ui_reach_band(ui *u, int *top, int *bottom)
{
    /* EN 301 549 8.3.2: forward reach between 380 and 1220 mm above the floor */
    double pxmm_v = u->h / u->height_mm;
    double over = u->bottom_mm + u->height_mm - 1220.0, under = 380.0 - u->bottom_mm;
    *top = over > 0 ? (int)(over * pxmm_v + 0.999) : 0;
    *bottom = u->h - (under > 0 ? (int)(under * pxmm_v + 0.999) : 0);
    if (*bottom - *top < u->h / 3) { /* a screen mounted out of reach: use what there is */
        *top = 0;
        *bottom = u->h;
    }
}

static void lay_out(layout *L, const session *s)
{
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
    case SCREEN_CARD_CAN:
        screen_card_can(L);
        break;
    case SCREEN_CARD_READING:
        screen_card_reading(L);
        break;
    case SCREEN_CARD_CONFIRM:
        screen_card_confirm(L);
        break;
    case SCREEN_CARD_MRZ_NUMBER:
        screen_card_mrz_number(L);
        break;
    case SCREEN_CARD_MRZ_BIRTH:
        screen_card_mrz_birth(L);
        break;
    case SCREEN_CARD_MRZ_EXPIRY:
        screen_card_mrz_expiry(L);
        break;
    case SCREEN_NAME_GIVEN:
        screen_name_given(L);
        break;
    case SCREEN_NAME_SURNAME:
        screen_name_surname(L);
        break;
    case SCREEN_STAFF_PIN:
        screen_staff_pin(L);
        break;
    case SCREEN_STAFF_VIEW:
        screen_staff_view(L);
        break;
    default:
        screen_out_of_order(L);
        break;
    }
    if (s->data.lang_menu && !s->data.handoff_shown)
        overlay_language(L);
    if (s->data.handoff_shown)
        overlay_handoff(L);
    if (s->access.menu && !s->data.handoff_shown)
        overlay_access(L);
    if (s->warning)
        overlay_timeout(L);
    if (L->rtl)
        layout_mirror(L);
}

static void build_in(ui *u, layout *L, const session *s, lang_id lang)
{
    follow_theme(u, s);
    int top = 0, bottom = u->h;
    if (s->access.low_reach)
        ui_reach_band(u, &top, &bottom);
    layout_begin(L, s, &u->th, u->tx, u->w, bottom - top);
    L->large_blocked = large_text_blocked(u, s);
    L->lang = lang;
    L->rtl = lang_get(lang)->rtl;
    lay_out(L, s);
    /* low reach: the whole screen moves down into the band; above it stays empty */
    for (int i = 0; i < L->n; i++)
        L->w[i].r.y += top;
    L->H = u->h;
    if (L == u->L)
        u->reach_top = top;
}

static void build(ui *u, const session *s)
{
    build_in(u, u->L, s, s->data.j.lang);
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

/* Where the keys start on a screen: its first control that is not the frame (back,
 * languages, help), so that a keypad user hears the choices first; else the first control. */
static const widget *first_control(ui *u)
{
    const layout *L = u->L;
    int top = layout_top_layer(L);
    for (int i = 0; i < L->n; i++)
        if (L->w[i].kind == W_BUTTON && L->w[i].layer == top && !(L->w[i].flags & WF_CHROME))
            return &L->w[i];
    return step(u, NULL, 1);
}

void ui_focus_move(ui *u, int dir)
{
    const widget *cur = focused(u);
    const widget *next = cur ? step(u, cur, dir) : first_control(u);
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
    /* read-aloud on: someone may be listening, not looking; the keys always have a place to
     * start from, and the ring shows where the voice is */
    if (s->access.speech)
        u->focus_on = true;
    const widget *f = focused(u);
    if (u->focus_on && !f) {
        /* the screen changed under the keys: the focus starts at its first control */
        const widget *first = first_control(u);
        if (first)
            snprintf(u->focus_id, sizeof u->focus_id, "%s", first->id);
        f = first;
    }
    SDL_Color bg = u->th.c.bg;
    SDL_SetRenderDrawColor(u->ren, bg.r, bg.g, bg.b, 255);
    SDL_RenderClear(u->ren);
    widgets_draw(u->ren, u->tx, u->icons, u->L);
    if (f)
        widgets_focus_ring(u->ren, &u->th, f->r);
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
    return widgets_hit_window(u->win, u->L, u->w, u->h, x, y);
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
    return widgets_screenshot(u->ren, u->w, u->h, path, err, errcap);
}

/* Appends a sentence; a full stop between texts that do not end in one, so that the voice
 * pauses between a title, a question and each choice. */
static void say_append(char *out, size_t cap, size_t *n, const char *t)
{
    if (!t || !t[0] || *n + 1 >= cap)
        return;
    if (*n > 0) {
        char last = out[*n - 1];
        const char *sep = strchr(".!?:;", last) ? " " : ". ";
        size_t k = strlen(sep);
        if (*n + k >= cap)
            return;
        memcpy(out + *n, sep, k);
        *n += k;
    }
    size_t len = strlen(t);
    if (*n + len >= cap) {
        len = cap - 1 - *n;
        while (len > 0 && ((unsigned char)t[len] & 0xC0) == 0x80)
            len--; /* never half a character */
    }
    memcpy(out + *n, t, len);
    *n += len;
    out[*n] = '\0';
}

static uint64_t fnv(uint64_t h, const char *t)
{
    for (; t && *t; t++)
        h = (h ^ (unsigned char)*t) * 1099511628211ull;
    return (h ^ 0xFF) * 1099511628211ull;
}

size_t ui_utterance(ui *u, const session *s, lang_id lang, bool personal, char *out, size_t cap,
                    uint64_t *key)
{
    layout *L = u->L;
    if (L->s != s || L->lang != lang) {
        build_in(u, u->speech_L, s, lang);
        L = u->speech_L;
    }
    size_t n = 0;
    if (cap)
        out[0] = '\0';
    uint64_t h = 1469598103934665603ull ^ (uint64_t)s->screen;
    int top = layout_top_layer(L);
    h = fnv(h, screen_name(s->screen)) + (uint64_t)top;
    /* the words of the screen are its paragraphs (a button's label is one too) */
    for (int i = 0; i < L->n; i++) {
        const widget *w = &L->w[i];
        if (w->kind != W_PARAGRAPH || w->layer != top || (w->flags & (WF_CHROME | WF_QUIET)))
            continue;
        if (!(w->flags & WF_LIVE))
            h = fnv(h, w->text);
        if ((w->flags & WF_PERSONAL) && !personal)
            say_append(out, cap, &n,
                       tr(L->lang, "Dit lezen we alleen voor als u een koptelefoon gebruikt."));
        else
            say_append(out, cap, &n, w->text);
    }
    if (key)
        *key = h;
    return n;
}

size_t ui_focus_utterance(ui *u, char *out, size_t cap)
{
    size_t n = 0;
    if (cap)
        out[0] = '\0';
    const widget *f = focused(u);
    if (!f)
        return 0;
    say_append(out, cap, &n, f->text);
    if (f->style == BTN_CHOSEN || f->style == BTN_DAY_TODAY)
        say_append(out, cap, &n, tr(u->L->lang, "Gekozen."));
    return n;
}

void ui_write_render_log(ui *u, FILE *f, unsigned long frame)
{
    const layout *L = u->L;
    const session *s = L->s;
    fprintf(f,
            "frame\t%lu\tscreen=%s\tlang=%s\twidth=%d\theight=%d\tpxmm=%.4f\tcapratio=%.4f\t"
            "layer=%d\twarning=%d\thandoff=%d\tprint=%d\tpages=%d\tglyphs=%lu\tshaping=%d\t"
            "focus=%s\tscale=%.2f\tcontrast=%s\treach=%d\n",
            frame, screen_name(s->screen), lang_get(L->lang)->code, L->W, L->H, u->th.px_per_mm,
            text_cap_ratio(u->tx), layout_top_layer(L), s->warning, (int)s->data.handoff,
            (int)s->data.print, L->pages, text_render_count(u->tx), text_shaping(u->tx),
            u->focus_on ? u->focus_id : "-", u->th.text_scale,
            u->th.high_contrast ? "high" : "calm", u->reach_top);
    widgets_write_log(f, L, true);
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
