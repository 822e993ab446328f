#include "desk_ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/refnum.h"
#include "core/slip.h"
#include "print/print.h"
#include "slip_render.h"
#include "text.h"
#include "widgets.h"

#define SLIP_DOTS 576 /* 80 mm paper at 203 dpi, as the kiosk prints it by default */
#define SLIP_DPI 203
#define SLIP_MAX_TEXTS 200

/* The slip drawn for the open case: a picture, and where its texts are (for scripts and the
 * render log, as the printed slip's log says). */
typedef struct {
    char case_uuid[DESK_UUID_MAX];
    SDL_Texture *tex;
    int w, h; /* dots */
    int n;
    struct {
        SDL_Rect r; /* dots */
        char text[SLIP_LINE_MAX];
    } * texts;
} slip_picture;

struct desk_ui {
    SDL_Window *win;
    SDL_Renderer *ren;
    ui_text *tx;
    icon_cache *icons;
    theme th;
    layout *L;
    session *dummy; /* the layout code wants a session: an empty one (Dutch, no data) */
    uint32_t drawn_version;
    bool drawn_any;
    int w, h;
    double pxmm;
    int max_scroll, page;
    slip_renderer *sr; /* NULL: the slip is laid out as text */
    slip_picture slip;
    bool slip_shown;
    SDL_Rect slip_dst, slip_clip;
    SDL_Rect field;            /* the look-up field (focus id "input") */
    char ring[DESK_FOCUS_MAX]; /* the control the last frame drew the focus ring around */
};

desk_ui *desk_ui_create(const desk_ui_options *o, char *err, size_t errcap)
{
    desk_ui *u = calloc(1, sizeof *u);
    if (u) {
        u->L = calloc(1, sizeof *u->L);
        u->dummy = calloc(1, sizeof *u->dummy);
    }
    if (!u || !u->L || !u->dummy) {
        if (u) {
            free(u->L);
            free(u->dummy);
        }
        free(u);
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    if (o->scripted) {
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
    }
    u->win = SDL_CreateWindow("Loket - balie", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                              o->width, o->height, SDL_WINDOW_SHOWN | SDL_WINDOW_RESIZABLE);
    if (!u->win) {
        snprintf(err, errcap, "cannot open a window: %s", SDL_GetError());
        desk_ui_destroy(u);
        return NULL;
    }
    u->ren = SDL_CreateRenderer(u->win, -1,
                                o->scripted ? SDL_RENDERER_SOFTWARE : SDL_RENDERER_ACCELERATED);
    if (!u->ren && !o->scripted)
        u->ren = SDL_CreateRenderer(u->win, -1, SDL_RENDERER_SOFTWARE);
    if (!u->ren) {
        snprintf(err, errcap, "cannot draw in the window: %s", SDL_GetError());
        desk_ui_destroy(u);
        return NULL;
    }
    SDL_GetRendererOutputSize(u->ren, &u->w, &u->h);
    u->tx = text_create(o->font_family, err, errcap);
    if (!u->tx) {
        desk_ui_destroy(u);
        return NULL;
    }
    u->pxmm = o->width / (o->width_mm > 0 ? o->width_mm : 340.0);
    /* a desk monitor at arm's length: text for 380 mm */
    theme_init(&u->th, u->pxmm, 380.0, text_cap_ratio(u->tx), 1.0, THEME_CALM);
    u->icons = icons_create(o->icons_dir ? o->icons_dir : "");
    char why[300];
    u->sr =
        slip_renderer_new(o->font_family, o->icons_dir ? o->icons_dir : "", "", why, sizeof why);
    return u;
}

static void slip_forget(desk_ui *u)
{
    if (u->slip.tex)
        SDL_DestroyTexture(u->slip.tex);
    if (u->slip.texts) {
        explicit_bzero(u->slip.texts, sizeof *u->slip.texts * SLIP_MAX_TEXTS);
        free(u->slip.texts);
    }
    /* byte by byte through a volatile pointer: GCC 12 at -O2 takes explicit_bzero of the whole
     * struct for a write to its first member (a false stringop-overflow) */
    volatile unsigned char *p = (volatile unsigned char *)&u->slip;
    for (size_t i = 0; i < sizeof u->slip; i++)
        p[i] = 0;
}

/* The slip from what the intake carries (see the desk's notes: not enough to compose it again
 * from the content): the place, the day, the number with its QR code, the life event and the
 * overview as sent (reactie). */
static void compose(const desk_case *c, slip *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->site, sizeof out->site, "%.127s", c->locatie);
    if (strlen(c->when) >= 16)
        snprintf(out->when, sizeof out->when, "%.10s %.5s", c->when, c->when + 11);
    out->lang = LANG_NL;
    const char *num = refnum_valid(c->bon, NULL) ? c->bon : c->ref;
    if (refnum_valid(num, NULL)) {
        snprintf(out->reference, sizeof out->reference, "%.10s", num);
        snprintf(out->qr, sizeof out->qr, "%s%.10s", SLIP_QR_PREFIX, num);
    }
    snprintf(out->reference_label, sizeof out->reference_label, "Uw nummer");
    char title[204];
    snprintf(title, sizeof title, "%s", c->onderwerp);
    char *z = strstr(title, " (zelfbedieningszuil)");
    if (z)
        *z = '\0';
    /* a hand-off's klantcontact says what it is first; the slip had the life event only */
    const char *kinds[] = {"Warm overdracht: ", "Terugbelverzoek: "};
    for (int k = 0; k < 2; k++)
        if (!strncmp(title, kinds[k], strlen(kinds[k])))
            memmove(title, title + strlen(kinds[k]), strlen(title) - strlen(kinds[k]) + 1);
    if (title[0]) {
        out->lines[out->n].style = SLIP_TITLE;
        snprintf(out->lines[out->n++].text, SLIP_LINE_MAX, "%s", title);
    }
    explicit_bzero(title, sizeof title);
    const char *p = c->reactie;
    while (*p && out->n < SLIP_MAX_LINES) {
        size_t n = strcspn(p, "\n");
        bool item = n >= 2 && p[0] == '-' && p[1] == ' ';
        const char *t = item ? p + 2 : p;
        size_t tn = item ? n - 2 : n;
        if (tn) {
            out->lines[out->n].style = item ? SLIP_ITEM : SLIP_HEADING;
            snprintf(out->lines[out->n++].text, SLIP_LINE_MAX, "%.*s",
                     (int)(tn < SLIP_LINE_MAX - 1 ? tn : SLIP_LINE_MAX - 1), t);
        }
        p += n;
        if (*p == '\n')
            p++;
    }
}

/* Draws the open case's slip once (on this thread: SDL_ttf), as the kiosk's printer would. */
static bool slip_ready(desk_ui *u, const desk_case *c)
{
    if (!u->sr || !c->uuid[0])
        return false;
    if (u->slip.tex && !strcmp(u->slip.case_uuid, c->uuid))
        return true;
    slip_forget(u);
    slip *sl = calloc(1, sizeof *sl);
    u->slip.texts = calloc(SLIP_MAX_TEXTS, sizeof *u->slip.texts);
    if (!sl || !u->slip.texts) {
        free(sl);
        slip_forget(u);
        return false;
    }
    compose(c, sl);
    raster r;
    char err[200], *log = NULL;
    size_t logn = 0;
    FILE *lf = open_memstream(&log, &logn);
    bool ok = slip_render(u->sr, sl, SLIP_DOTS, SLIP_DPI, &r, lf, err, sizeof err);
    if (lf)
        fclose(lf);
    explicit_bzero(sl, sizeof *sl);
    free(sl);
    SDL_Surface *surf =
        ok ? SDL_CreateRGBSurfaceWithFormat(0, r.width, r.height, 32, SDL_PIXELFORMAT_ARGB8888)
           : NULL;
    if (surf) {
        for (int y = 0; y < r.height; y++) {
            Uint32 *row = (Uint32 *)((Uint8 *)surf->pixels + (size_t)y * (size_t)surf->pitch);
            for (int x = 0; x < r.width; x++)
                row[x] = r.bits[(size_t)y * (size_t)r.stride + (size_t)(x >> 3)] & (0x80 >> (x & 7))
                             ? 0xFF000000u
                             : 0xFFFFFFFFu;
        }
        u->slip.tex = SDL_CreateTextureFromSurface(u->ren, surf);
        explicit_bzero(surf->pixels, (size_t)surf->pitch * (size_t)surf->h);
        SDL_FreeSurface(surf);
    }
    if (ok) {
        u->slip.w = r.width;
        u->slip.h = r.height;
        raster_free(&r);
    }
    /* the texts and where they are, from the slip's own log */
    for (char *line = log; line && *line && u->slip.n < SLIP_MAX_TEXTS;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        char kind[32];
        int x, y, w, h, off = 0;
        if (sscanf(line, "slip\t%31[^\t]\t%d\t%d\t%d\t%d\t%n", kind, &x, &y, &w, &h, &off) == 5 &&
            off > 0 && strcmp(kind, "page") && strcmp(kind, "picture")) {
            u->slip.texts[u->slip.n].r = (SDL_Rect){x, y, w, h};
            snprintf(u->slip.texts[u->slip.n].text, SLIP_LINE_MAX, "%s", line + off);
            u->slip.n++;
        }
        if (!nl)
            break;
        line = nl + 1;
    }
    if (log) {
        explicit_bzero(log, logn);
        free(log);
    }
    if (!u->slip.tex) {
        slip_forget(u);
        return false;
    }
    if (u->slip.w <= 0 || u->slip.h <= 0) {
        slip_forget(u);
        return false;
    }
    snprintf(u->slip.case_uuid, sizeof u->slip.case_uuid, "%s", c->uuid);
    return true;
}

void desk_ui_destroy(desk_ui *u)
{
    if (!u)
        return;
    slip_forget(u);
    slip_renderer_free(u->sr);
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
    free(u->dummy);
    free(u);
}

/* ---- layout helpers ---- */

/* `s` cut to one line of at most w pixels, with an ellipsis. */
static const char *one_line(layout *L, const char *s, int px, bool bold, int w)
{
    char buf[1100];
    snprintf(buf, sizeof buf, "%s", s);
    for (char *p = buf; *p; p++)
        if (*p == '\n' || *p == '\t')
            *p = ' ';
    if (text_width(L->tx, px, bold, buf) <= w)
        return layout_str(L, buf);
    size_t n = strlen(buf);
    while (n > 0) {
        n--;
        while (n > 0 && ((unsigned char)buf[n] & 0xC0) == 0x80)
            n--;
        char save[4];
        memcpy(save, buf + n, 4);
        snprintf(buf + n, sizeof buf - n, "...");
        if (text_width(L->tx, px, bold, buf) <= w)
            break;
        memcpy(buf + n, save, 4);
    }
    const char *r = layout_str(L, buf);
    explicit_bzero(buf, sizeof buf);
    return r;
}

static void text_at(layout *L, int x, int y, int px, bool bold, SDL_Color fg, SDL_Color bg,
                    const char *s)
{
    widget *w = layout_add(
        L, W_TEXT,
        (SDL_Rect){x, y, text_width(L->tx, px, bold, s), text_line_height(L->tx, px, bold)});
    w->text = layout_str(L, s);
    w->px = px;
    w->bold = bold;
    w->fg = fg;
    w->bg = bg;
}

static action no_action(void)
{
    return (action){.kind = ACT_INPUT};
}

static int button_w(layout *L, const char *label)
{
    return text_width(L->tx, L->th->px_body, true, label) + 2 * L->th->pad + 2 * L->th->gap;
}

/* Keeps only what lies within rows [top, bottom) of the widgets from index `from`: the case
 * view scrolls under its fixed head. A panel is cut to the window, anything else that does
 * not fit wholly is left out. */
static void clip(layout *L, int from, int top, int bottom)
{
    int k = from;
    for (int i = from; i < L->n; i++) {
        widget w = L->w[i];
        if (w.kind == W_PANEL) {
            int y0 = w.r.y < top ? top : w.r.y;
            int y1 = w.r.y + w.r.h > bottom ? bottom : w.r.y + w.r.h;
            if (y1 - y0 < (y0 > w.r.y ? 2 * L->th->pad : 1))
                continue; /* the last sliver of a panel scrolled away */
            w.r.y = y0;
            w.r.h = y1 - y0;
        } else if (w.r.y < top || w.r.y + w.r.h > bottom) {
            continue;
        }
        L->w[k++] = w;
    }
    L->n = k;
}

/* A heading and its text in a column; returns the new y. */
static int section(layout *L, int x, int y, int w, const char *heading, const char *body)
{
    const theme *th = L->th;
    if (!body || !body[0])
        return y;
    y += layout_text(L, x, y, w, th->px_body, true, th->c.primary, th->c.bg, ALIGN_START, heading);
    y += layout_text(L, x, y, w, th->px_body, false, th->c.text, th->c.bg, ALIGN_START, body);
    return y + th->gap;
}

static const char *status_words(desk_lang lg, const char *st)
{
    if (!strcmp(st, "te_verwerken"))
        return desk_tr(lg, "te verwerken", "to do");
    if (!strcmp(st, "verwerkt"))
        return desk_tr(lg, "verwerkt", "done");
    return st;
}

/* ISO 639-2/B as the kiosk sends it */
static const char *language_words(desk_lang lg, const char *code)
{
    static const char *const t[][3] = {
        {"nld", "Nederlands", "Dutch"}, {"eng", "Engels", "English"},
        {"tur", "Turks", "Turkish"},    {"ara", "Arabisch", "Arabic"},
        {"pol", "Pools", "Polish"},     {"ukr", "Oekraïens", "Ukrainian"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(code, t[i][0]))
            return t[i][lg == DESK_EN ? 2 : 1];
    return code;
}

static const char *contact_words(desk_lang lg, const char *v)
{
    if (!strcmp(v, "terugbellen"))
        return desk_tr(lg, "terugbellen", "call back");
    if (!strcmp(v, "e-mail"))
        return desk_tr(lg, "e-mail", "e-mail");
    if (!strcmp(v, "balie"))
        return desk_tr(lg, "komt naar de balie", "comes to the desk");
    if (!strcmp(v, "geen"))
        return desk_tr(lg, "geen contact gewenst", "no contact wanted");
    return v;
}

/* ---- the head: title, status, input line, message ---- */

static int head(desk_ui *u, layout *L, const desk_state *s)
{
    const theme *th = L->th;
    desk_lang lg = s->lang;
    int W = L->W, px = th->px_body;
    layout_panel(L, (SDL_Rect){0, 0, W, th->bar_h}, th->c.bar, th->c.bar, 0);
    int lh = text_line_height(L->tx, px, true);
    int ty = (th->bar_h - lh) / 2;
    text_at(L, th->pad, ty, px, true, th->c.on_bar, th->c.bar,
            desk_tr(lg, "Loket - balie", "Loket - desk"));
    /* language switch at the end, the list's state before it */
    const char *other = lg == DESK_EN ? "Nederlands" : "English";
    int bw = button_w(L, other), bh = th->bar_h - th->gap;
    layout_button(L, (SDL_Rect){W - th->pad - bw, th->gap / 2, bw, bh}, "lang", other, NULL,
                  BTN_SECONDARY, no_action());
    char hm[8], line[200];
    SDL_Color fg = th->c.on_bar, bg = th->c.bar;
    if (s->stale) {
        if (s->last_ok_ms) {
            desk_hhmm(s->last_ok_ms, hm);
            snprintf(line, sizeof line, "%s %s: %s",
                     desk_tr(lg, "Niet bijgewerkt sinds", "Not updated since"), hm,
                     desk_error_words(lg, s->poll_error, 0));
        } else {
            snprintf(line, sizeof line, "%s: %s", desk_tr(lg, "Geen lijst", "No list"),
                     desk_error_words(lg, s->poll_error, 0));
        }
        fg = th->c.on_warn;
        bg = th->c.warn;
    } else if (!s->polled) {
        snprintf(line, sizeof line, "%s", desk_tr(lg, "Verbinden ...", "Connecting ..."));
    } else {
        desk_hhmm(s->last_ok_ms, hm);
        snprintf(line, sizeof line, "%s %s", desk_tr(lg, "Bijgewerkt", "Updated"), hm);
    }
    int tw = text_width(L->tx, px, false, line);
    int tx = W - th->pad - bw - th->gap - tw;
    if (bg.r != th->c.bar.r || bg.g != th->c.bar.g)
        layout_panel(L, (SDL_Rect){tx - th->pad, th->gap / 2, tw + 2 * th->pad, bh}, bg, bg, 0);
    text_at(L, tx, ty, px, false, fg, bg, line);

    /* the input line: typed digits or a scanned QR code */
    int y = th->bar_h + th->gap;
    const char *label = desk_tr(lg, "Nummer of QR-code:", "Number or QR code:");
    int lw = text_width(L->tx, px, true, label);
    int fh = th->btn_h * 3 / 4;
    text_at(L, th->pad, y + (fh - lh) / 2, px, true, th->c.text, th->c.bg, label);
    const char *look = desk_tr(lg, "Opzoeken", "Look up");
    int lbw = button_w(L, look);
    int fx = th->pad + lw + th->gap, fw = W - th->pad - lbw - th->gap - fx;
    layout_panel(L, (SDL_Rect){fx, y, fw, fh}, th->c.card, th->c.border, (int)(0.5 * u->pxmm) + 1);
    u->field = (SDL_Rect){fx, y, fw, fh};
    if (s->input[0]) {
        char shown[80];
        snprintf(shown, sizeof shown, "%s|", s->input);
        text_at(L, fx + th->pad, y + (fh - lh) / 2, px, false, th->c.on_card, th->c.card, shown);
    } else {
        text_at(L, fx + th->pad, y + (fh - lh) / 2, px, false, th->c.muted, th->c.card,
                one_line(L,
                         desk_tr(lg, "typ het nummer van de bon, of scan de QR-code",
                                 "type the slip's number, or scan its QR code"),
                         px, false, fw - 2 * th->pad));
    }
    layout_button(L, (SDL_Rect){W - th->pad - lbw, y, lbw, fh}, "lookup", look, NULL, BTN_PRIMARY,
                  no_action());
    y += fh + th->gap / 2;
    if (s->message[0]) {
        SDL_Color mf = s->message_error ? th->c.on_warn : th->c.muted;
        SDL_Color mb = s->message_error ? th->c.warn : th->c.bg;
        int mh = layout_text_height(L, W - 4 * th->pad, px, s->message_error, s->message);
        if (s->message_error)
            layout_panel(L, (SDL_Rect){th->pad, y, W - 2 * th->pad, mh + th->gap}, mb, mb, 0);
        layout_text(L, 2 * th->pad, y + th->gap / 2, W - 4 * th->pad, px, s->message_error, mf, mb,
                    ALIGN_START, s->message);
        y += mh + th->gap;
    }
    return y + th->gap / 2;
}

/* ---- the live list ---- */

static void list_view(layout *L, const desk_state *s, int y)
{
    const theme *th = L->th;
    desk_lang lg = s->lang;
    int W = L->W, H = L->H, px = th->px_body;
    char buf[300];
    if (s->n_tasks)
        snprintf(buf, sizeof buf, "%s: %d", desk_tr(lg, "Wachtende inwoners", "Citizens waiting"),
                 s->n_tasks);
    else
        snprintf(buf, sizeof buf, "%s",
                 s->polled ? desk_tr(lg, "Niemand wacht op dit moment", "Nobody is waiting")
                           : desk_tr(lg, "De lijst wordt opgehaald ...", "Fetching the list ..."));
    y += layout_text(L, th->pad, y, W - 2 * th->pad, th->px_title, true, th->c.text, th->c.bg,
                     ALIGN_START, buf);
    y += th->gap / 2;
    int lh = text_line_height(L->tx, px, false);
    int row_h = 2 * lh + 2 * th->gap;
    if (row_h < th->btn_h)
        row_h = th->btn_h;
    int code_w = text_width(L->tx, th->px_title, true, "0000") + 2 * th->pad;
    const char *open_l = desk_tr(lg, "Openen", "Open");
    const char *done_l = desk_tr(lg, "Klaar", "Done");
    int bw_open = button_w(L, open_l), bw_done = button_w(L, desk_tr(lg, "Bezig ...", "Busy ..."));
    int wait_w = text_width(L->tx, px, false, "59 min") + th->pad;
    for (int i = 0; i < s->n_tasks; i++) {
        const desk_task *t = &s->tasks[i];
        if (y + row_h > H - th->gap) {
            snprintf(buf, sizeof buf, "+ %d %s", s->n_tasks - i, desk_tr(lg, "meer", "more"));
            layout_text(L, th->pad, y, W - 2 * th->pad, px, true, th->c.text, th->c.bg, ALIGN_START,
                        buf);
            break;
        }
        SDL_Color bg = t->fresh ? th->c.warn : th->c.card;
        SDL_Color fg = t->fresh ? th->c.on_warn : th->c.on_card;
        layout_panel(L, (SDL_Rect){th->pad, y, W - 2 * th->pad, row_h}, bg,
                     t->fresh ? th->c.on_warn : th->c.border,
                     (int)((t->fresh ? 1.2 : 0.4) * th->px_per_mm) + 1);
        int x = 2 * th->pad;
        int ch = text_line_height(L->tx, th->px_title, true);
        int small = px * 8 / 10, sh = text_line_height(L->tx, small, true);
        /* the recognition number large; "new" under it while the row is highlighted */
        int cy = y + (row_h - ch - (t->fresh ? sh : 0)) / 2;
        text_at(L, x, cy, th->px_title, true, fg, bg, t->code[0] ? t->code : "----");
        if (t->fresh)
            text_at(L, x, cy + ch, small, true, fg, bg, desk_tr(lg, "NIEUW", "NEW"));
        x += code_w;
        int right = W - 2 * th->pad - bw_done - th->gap - bw_open - th->gap - wait_w;
        int mw = right - x - th->gap;
        snprintf(buf, sizeof buf, "%s",
                 t->what[0] ? t->what : desk_tr(lg, "(zonder omschrijving)", "(no description)"));
        text_at(L, x, y + th->gap, px, true, fg, bg, one_line(L, buf, px, true, mw));
        if (t->note[0])
            text_at(L, x, y + th->gap + lh, px, false, fg, bg, one_line(L, t->note, px, false, mw));
        char waited[40];
        desk_waited(t->assigned_ms ? t->assigned_ms : t->seen_ms, s->now_ms, lg, waited,
                    sizeof waited);
        text_at(L, right, y + (row_h - lh) / 2, px, false, fg, bg, waited);
        int bx = W - 2 * th->pad - bw_done - th->gap - bw_open;
        int bh = row_h - 2 * (th->gap / 2);
        const char *key = t->ref[0] ? t->ref : t->uuid;
        layout_button(L, (SDL_Rect){bx, y + th->gap / 2, bw_open, bh},
                      layout_printf(L, "open:%s", key), open_l, NULL, BTN_SECONDARY, no_action());
        layout_button(L, (SDL_Rect){bx + bw_open + th->gap, y + th->gap / 2, bw_done, bh},
                      layout_printf(L, "done:%s", key),
                      t->closing ? desk_tr(lg, "Bezig ...", "Busy ...") : done_l, NULL, BTN_PRIMARY,
                      no_action());
        y += row_h + th->gap / 2;
    }
}

/* ---- the case view ---- */

/* The slip as the citizen got it, from what the intake carries: the place, the day, the
 * number, the life event and the overview (reactie), laid out like the printed slip. */
static int slip_view(desk_ui *u, layout *L, const desk_state *s, int x, int y, int w)
{
    const theme *th = L->th;
    const desk_case *c = &s->cv;
    desk_lang lg = s->lang;
    SDL_Color ink = {0, 0, 0, 255}, paper = {255, 255, 255, 255};
    int px = th->px_body * 85 / 100, pad = th->pad;
    y += layout_text(
        L, x, y, w, th->px_body, true, th->c.primary, th->c.bg, ALIGN_START,
        desk_tr(lg, "De bon zoals de inwoner hem kreeg", "The slip as the citizen got it"));
    if (!c->reactie[0]) {
        /* a hand-off's own klantcontact has no overview: the slip belongs to the case whose
         * number the kiosk put in metadata.bon */
        char g[24], line[200];
        bool bon = refnum_valid(c->bon, NULL) && strcmp(c->bon, c->ref) != 0;
        if (bon)
            snprintf(line, sizeof line, "%s %s.",
                     desk_tr(lg, "De inwoner heeft een bon met nummer",
                             "The citizen has a slip with the number"),
                     refnum_group(c->bon, g, sizeof g));
        else
            snprintf(
                line, sizeof line, "%s",
                desk_tr(lg, "Bij deze zaak hoort geen bon.", "There is no slip with this case."));
        y += layout_text(L, x, y, w, th->px_body, false, th->c.text, th->c.bg, ALIGN_START, line);
        if (bon) {
            y += th->gap / 2;
            y += layout_button_fit(L, (SDL_Rect){x, 0, w, 0}, y, th->btn_h * 3 / 4, "open-bon",
                                   desk_tr(lg, "Zaak van de bon openen", "Open the slip's case"),
                                   NULL, BTN_SECONDARY, no_action());
        }
        return y;
    }
    if (slip_ready(u, c)) {
        /* the printed slip's picture, scaled to the column; its texts as paragraphs (not
         * drawn: the picture has them) where they are, for scripts and the render log */
        int h = (int)((long long)u->slip.h * w / u->slip.w);
        layout_panel(L, (SDL_Rect){x - 1, y - 1, w + 2, h + 2}, paper, th->c.border, 1);
        u->slip_dst = (SDL_Rect){x, y, w, h};
        u->slip_shown = true;
        for (int i = 0; i < u->slip.n; i++) {
            SDL_Rect r = u->slip.texts[i].r;
            widget *p = layout_add(L, W_PARAGRAPH,
                                   (SDL_Rect){x + r.x * w / u->slip.w, y + r.y * w / u->slip.w,
                                              r.w * w / u->slip.w, r.h * w / u->slip.w});
            p->text = layout_str(L, u->slip.texts[i].text);
            p->fg = ink;
            p->bg = paper;
        }
        return y + h + pad;
    }
    int top = y, panel_i = L->n;
    layout_panel(L, (SDL_Rect){x, y, w, 1}, paper, th->c.border, 1);
    y += pad;
    int iw = w - 2 * pad, ix = x + pad;
    if (c->locatie[0])
        y += layout_text(L, ix, y, iw, px, true, ink, paper, ALIGN_START, c->locatie);
    if (c->when[0]) {
        char d[40];
        snprintf(d, sizeof d, "%.10s %.5s", c->when, strlen(c->when) > 11 ? c->when + 11 : "");
        y += layout_text(L, ix, y, iw, px, false, ink, paper, ALIGN_START, d);
    }
    y += pad / 2;
    const char *num = c->bon[0] ? c->bon : c->ref;
    if (num[0]) {
        char g[24];
        y += layout_text(L, ix, y, iw, px, false, ink, paper, ALIGN_START,
                         desk_tr(lg, "Uw nummer", "Your number"));
        y += layout_text(L, ix, y, iw, th->px_title, true, ink, paper, ALIGN_START,
                         refnum_valid(num, NULL) ? refnum_group(num, g, sizeof g) : num);
        char qr[32];
        snprintf(qr, sizeof qr, "QR: LOKET:%s", num);
        y += layout_text(L, ix, y, iw, px * 8 / 10, false, ink, paper, ALIGN_START, qr);
    }
    y += pad / 2;
    if (c->onderwerp[0]) {
        char t[204];
        snprintf(t, sizeof t, "%s", c->onderwerp);
        char *z = strstr(t, " (zelfbedieningszuil)");
        if (z)
            *z = '\0';
        y += layout_text(L, ix, y, iw, px, true, ink, paper, ALIGN_START, t);
        explicit_bzero(t, sizeof t);
    }
    /* the overview: an organisation on a line of its own, its tasks as "- ..." */
    const char *p = c->reactie;
    while (*p) {
        size_t n = strcspn(p, "\n");
        char ln[1100];
        snprintf(ln, sizeof ln, "%.*s", (int)(n < sizeof ln - 1 ? n : sizeof ln - 1), p);
        if (ln[0] == '-' && ln[1] == ' ') {
            char item[1104];
            snprintf(item, sizeof item, "* %s", ln + 2);
            y += layout_text(L, ix + pad, y, iw - pad, px, false, ink, paper, ALIGN_START, item);
            explicit_bzero(item, sizeof item);
        } else if (ln[0]) {
            y += pad / 3;
            y += layout_text(L, ix, y, iw, px, true, ink, paper, ALIGN_START, ln);
        }
        explicit_bzero(ln, sizeof ln);
        p += n;
        if (*p == '\n')
            p++;
    }
    if (!c->reactie[0])
        y += layout_text(L, ix, y, iw, px, false, ink, paper, ALIGN_START,
                         desk_tr(lg, "(geen overzicht meegestuurd)", "(no overview sent)"));
    y += pad;
    L->w[panel_i].r.h = y - top;
    return y;
}

static void case_view(desk_ui *u, layout *L, const desk_state *s, int y)
{
    const theme *th = L->th;
    const desk_case *c = &s->cv;
    desk_lang lg = s->lang;
    int W = L->W, H = L->H;
    /* fixed: back, page up, page down */
    const char *back = desk_tr(lg, "Terug naar de lijst", "Back to the list");
    const char *up = desk_tr(lg, "Omhoog", "Up"), *down = desk_tr(lg, "Omlaag", "Down");
    int bh = th->btn_h * 3 / 4;
    layout_button(L, (SDL_Rect){th->pad, y, button_w(L, back), bh}, "close", back, NULL,
                  BTN_SECONDARY, no_action());
    int dw = button_w(L, down), uw = button_w(L, up);
    /* in reading order (the keys' focus goes this way): up, then down */
    layout_button(L, (SDL_Rect){W - th->pad - dw - th->gap - uw, y, uw, bh}, "up", up, NULL,
                  BTN_SECONDARY, no_action());
    layout_button(L, (SDL_Rect){W - th->pad - dw, y, dw, bh}, "down", down, NULL, BTN_SECONDARY,
                  no_action());
    y += bh + th->gap;
    int top = y, bottom = H - th->gap;
    int from = L->n;
    int lw = (W - 3 * th->pad) * 58 / 100, rw = W - 3 * th->pad - lw;
    int lx = th->pad, rx = 2 * th->pad + lw;
    int scroll = s->scroll;
    int yl = top - scroll;
    char buf[1200], g[24];

    snprintf(buf, sizeof buf, "%s %s", desk_tr(lg, "Zaak", "Case"),
             refnum_valid(c->ref, NULL) ? refnum_group(c->ref, g, sizeof g) : c->ref);
    yl += layout_text(L, lx, yl, lw, th->px_title, true, th->c.text, th->c.bg, ALIGN_START, buf);
    yl += th->gap / 2;
    yl = section(L, lx, yl, lw, desk_tr(lg, "Onderwerp", "Subject"), c->onderwerp);
    /* the tasks first: "done" is what the employee comes for */
    if (c->n_tasks) {
        yl += layout_text(L, lx, yl, lw, th->px_body, true, th->c.primary, th->c.bg, ALIGN_START,
                          desk_tr(lg, "Taken", "Tasks"));
        for (int i = 0; i < c->n_tasks; i++) {
            const desk_task *t = &c->tasks[i];
            bool open = !strcmp(t->status, "te_verwerken");
            const char *dl =
                t->closing ? desk_tr(lg, "Bezig ...", "Busy ...") : desk_tr(lg, "Klaar", "Done");
            int dbw = open ? button_w(L, desk_tr(lg, "Bezig ...", "Busy ...")) : 0;
            snprintf(buf, sizeof buf, "%s (%s)", t->what, status_words(lg, t->status));
            int th_ = layout_text_height(L, lw - dbw - th->gap, th->px_body, false, buf);
            int rh = th_ > bh ? th_ : bh;
            layout_text(L, lx, yl + (rh - th_) / 2, lw - dbw - th->gap, th->px_body, false,
                        th->c.text, th->c.bg, ALIGN_START, buf);
            if (open)
                layout_button(L, (SDL_Rect){lx + lw - dbw, yl, dbw, bh},
                              layout_printf(L, "case-done:%s", t->ref[0] ? t->ref : t->uuid), dl,
                              NULL, BTN_PRIMARY, no_action());
            yl += rh + th->gap / 2;
        }
        yl += th->gap / 2;
    }
    if (c->herkenningsnummer[0] || c->zuil[0]) {
        snprintf(buf, sizeof buf, "%s%s%s%s%s",
                 c->herkenningsnummer[0] ? desk_tr(lg, "Herkenningsnummer ", "Recognition number ")
                                         : "",
                 c->herkenningsnummer, c->herkenningsnummer[0] && c->zuil[0] ? ". " : "",
                 c->zuil[0] ? desk_tr(lg, "Zuil: ", "Kiosk: ") : "", c->zuil);
        yl = section(L, lx, yl, lw, desk_tr(lg, "Waar", "Where"), buf);
    }
    if (c->taal[0])
        yl = section(L, lx, yl, lw, desk_tr(lg, "Taal van de inwoner", "Citizen's language"),
                     language_words(lg, c->taal));
    yl = section(L, lx, yl, lw, desk_tr(lg, "Naam", "Name"), c->contactnaam);
    if (c->bibliotheekpas[0]) {
        /* the library pass the citizen laid on the reader and sent with the story */
        snprintf(buf, sizeof buf, "%s: %s", desk_tr(lg, "Bibliotheekpas", "Library pass"),
                 c->bibliotheekpas);
        yl +=
            layout_text(L, lx, yl, lw, th->px_body, false, th->c.text, th->c.bg, ALIGN_START, buf);
        yl += th->gap;
        explicit_bzero(buf, sizeof buf);
    }
    buf[0] = '\0';
    if (c->contactvoorkeur[0])
        snprintf(buf, sizeof buf, "%s", contact_words(lg, c->contactvoorkeur));
    for (int i = 0; i < c->n_addresses; i++) {
        size_t n = strlen(buf);
        const desk_address *a = &c->addresses[i];
        snprintf(buf + n, sizeof buf - n, "%s%s: %s", n ? "\n" : "",
                 !strcmp(a->soort, "telefoonnummer") ? desk_tr(lg, "Telefoon", "Phone")
                 : !strcmp(a->soort, "email")        ? "E-mail"
                                                     : a->soort,
                 a->adres);
    }
    yl = section(L, lx, yl, lw, desk_tr(lg, "Contact", "Contact"), buf);
    explicit_bzero(buf, sizeof buf);
    /* an intake always says who may have it and which signals there were; a hand-off's
     * klantcontact (metadata.soort) does not: there only what it says is shown */
    bool intake = !c->soort[0];
    if (intake || c->toestemming[0])
        yl = section(L, lx, yl, lw,
                     desk_tr(lg, "Toestemming om te delen met", "Consent to share with"),
                     c->toestemming[0] ? c->toestemming : desk_tr(lg, "niemand", "nobody"));
    if (intake || c->signalen[0])
        yl = section(L, lx, yl, lw, desk_tr(lg, "Signalen", "Signals"),
                     c->signalen[0] ? c->signalen : desk_tr(lg, "geen", "none"));
    yl = section(L, lx, yl, lw, desk_tr(lg, "Antwoorden", "Answers"), c->inhoud);
    int yr = slip_view(u, L, s, rx, top - scroll, rw);
    u->slip_clip = (SDL_Rect){0, top, W, bottom - top};
    int total = (yl > yr ? yl : yr) + scroll - top;
    u->max_scroll = total > bottom - top ? total - (bottom - top) : 0;
    u->page = (bottom - top) * 3 / 4;
    clip(L, from, top, bottom);
}

static void build(desk_ui *u, const desk_state *s)
{
    layout *L = u->L;
    layout_begin(L, u->dummy, &u->th, u->tx, u->w, u->h);
    u->field = (SDL_Rect){0, 0, 0, 0};
    int y = head(u, L, s);
    u->max_scroll = 0;
    u->slip_shown = false;
    if (s->screen == DESK_CASE && s->case_open)
        case_view(u, L, s, y);
    else
        list_view(L, s, y);
}

bool desk_ui_render(desk_ui *u, const desk_state *s, bool force)
{
    int w, h;
    SDL_GetRendererOutputSize(u->ren, &w, &h);
    if (w != u->w || h != u->h) {
        u->w = w;
        u->h = h;
        force = true;
    }
    if (!force && u->drawn_any && s->version == u->drawn_version)
        return false;
    build(u, s);
    SDL_Color bg = u->th.c.bg;
    SDL_SetRenderDrawColor(u->ren, bg.r, bg.g, bg.b, 255);
    SDL_RenderClear(u->ren);
    widgets_draw(u->ren, u->tx, u->icons, u->L);
    if (u->slip_shown && u->slip.tex) {
        SDL_RenderSetClipRect(u->ren, &u->slip_clip);
        SDL_RenderCopy(u->ren, u->slip.tex, NULL, &u->slip_dst);
        SDL_RenderSetClipRect(u->ren, NULL);
    }
    SDL_Rect ring;
    if (desk_ui_focus_rect(u, s->focus, &ring)) {
        widgets_focus_ring(u->ren, &u->th, ring);
        snprintf(u->ring, sizeof u->ring, "%s", s->focus);
    } else {
        u->ring[0] = '\0';
    }
    SDL_RenderPresent(u->ren);
    u->drawn_version = s->version;
    u->drawn_any = true;
    return true;
}

int desk_ui_focus_order(desk_ui *u, const char **ids, int max)
{
    const layout *L = u->L;
    int n = 0;
    for (int i = 0; i < L->n && n < max; i++) {
        const widget *w = &L->w[i];
        if (w->kind != W_BUTTON || !w->id)
            continue;
        /* the look-up field is read before its button */
        if (!strcmp(w->id, "lookup") && u->field.w > 0 && n + 1 < max)
            ids[n++] = "input";
        ids[n++] = w->id;
    }
    return n;
}

bool desk_ui_focus_rect(desk_ui *u, const char *id, SDL_Rect *out)
{
    if (!id || !id[0])
        return false;
    if (!strcmp(id, "input")) {
        *out = u->field;
        return u->field.w > 0;
    }
    const layout *L = u->L;
    for (int i = 0; i < L->n; i++)
        if (L->w[i].kind == W_BUTTON && L->w[i].id && !strcmp(L->w[i].id, id)) {
            *out = L->w[i].r;
            return true;
        }
    return false;
}

const char *desk_ui_ring(desk_ui *u)
{
    return u->ring;
}

const widget *desk_ui_hit(desk_ui *u, int x, int y)
{
    return widgets_hit_window(u->win, u->L, u->w, u->h, x, y);
}

const widget *desk_ui_find(desk_ui *u, const char *key)
{
    return layout_find(u->L, key);
}

const layout *desk_ui_layout(desk_ui *u)
{
    return u->L;
}

int desk_ui_max_scroll(desk_ui *u)
{
    return u->max_scroll;
}

int desk_ui_page(desk_ui *u)
{
    return u->page > 0 ? u->page : u->h / 2;
}

bool desk_ui_screenshot(desk_ui *u, const char *path, char *err, size_t errcap)
{
    return widgets_screenshot(u->ren, u->w, u->h, path, err, errcap);
}

void desk_ui_write_render_log(desk_ui *u, const desk_state *s, FILE *f, unsigned long frame)
{
    const layout *L = u->L;
    fprintf(f,
            "frame\t%lu\tscreen=%s\twidth=%d\theight=%d\tpxmm=%.4f\ttasks=%d\tstale=%d\tfocus=%s\n",
            frame, s->screen == DESK_CASE ? "case" : "list", L->W, L->H, u->th.px_per_mm,
            s->n_tasks, (int)s->stale, u->ring[0] ? u->ring : "-");
    widgets_write_log(f, L, false);
    fprintf(f, "end\t%lu\n", frame);
    fflush(f);
}

void desk_ui_forget(desk_ui *u)
{
    slip_forget(u);
    text_cache_clear(u->tx);
    explicit_bzero(u->L->strings, sizeof u->L->strings);
}
