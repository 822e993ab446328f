#include "layout.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"

void layout_begin(layout *L, const session *s, const theme *th, ui_text *tx, int W, int H)
{
    /* the previous frame's strings may be personal: wipe, not just reuse */
    explicit_bzero(L->strings, L->used);
    L->n = 0;
    L->used = 0;
    L->layer = 0;
    L->W = W;
    L->H = H;
    L->s = s;
    L->th = th;
    L->tx = tx;
    L->lang = s->data.j.lang;
    L->rtl = lang_get(L->lang)->rtl;
    L->pages = 0;
    L->flags = 0;
}

const char *layout_str(layout *L, const char *s)
{
    size_t n = strlen(s) + 1;
    if (L->used + n > sizeof L->strings)
        return "";
    char *p = L->strings + L->used;
    memcpy(p, s, n);
    L->used += n;
    return p;
}

const char *layout_printf(layout *L, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    const char *r = layout_str(L, buf);
    explicit_bzero(buf, sizeof buf);
    return r;
}

widget *layout_add(layout *L, widget_kind kind, SDL_Rect r)
{
    static widget overflow;
    if (L->n >= LAYOUT_MAX_WIDGETS) {
        memset(&overflow, 0, sizeof overflow);
        return &overflow;
    }
    widget *w = &L->w[L->n++];
    memset(w, 0, sizeof *w);
    w->kind = kind;
    w->r = r;
    w->layer = L->layer;
    w->flags = L->flags;
    return w;
}

void layout_panel(layout *L, SDL_Rect r, SDL_Color fill, SDL_Color border, int border_w)
{
    widget *w = layout_add(L, W_PANEL, r);
    w->bg = fill;
    w->fg = border;
    w->border = border_w;
}

typedef struct {
    layout *L;
    int x, y, w, px, lh;
    bool bold, measure_only;
    SDL_Color fg, bg;
    text_align align;
    int lines;
} text_job;

static void emit_line(void *ctx, const char *text, int width)
{
    text_job *j = ctx;
    if (!j->measure_only && text[0]) {
        int x = j->align == ALIGN_CENTER ? j->x + (j->w - width) / 2 : j->x;
        widget *w = layout_add(j->L, W_TEXT, (SDL_Rect){x, j->y + j->lines * j->lh, width, j->lh});
        w->text = layout_str(j->L, text);
        w->px = j->px;
        w->bold = j->bold;
        w->fg = j->fg;
        w->bg = j->bg;
    }
    j->lines++;
}

int layout_text(layout *L, int x, int y, int w, int px, bool bold, SDL_Color fg, SDL_Color bg,
                text_align align, const char *s)
{
    text_job j = {L, x, y, w, px, text_line_height(L->tx, px, bold), bold, false, fg, bg, align, 0};
    text_wrap(L->tx, px, bold, s, w, emit_line, &j);
    widget *p = layout_add(L, W_PARAGRAPH, (SDL_Rect){x, y, w, j.lines * j.lh});
    p->text = layout_str(L, s);
    p->px = px;
    p->bold = bold;
    p->fg = fg;
    p->bg = bg;
    return j.lines * j.lh;
}

int layout_text_height(layout *L, int w, int px, bool bold, const char *s)
{
    text_job j = {L,    0,    0,   w,   px,          text_line_height(L->tx, px, bold),
                  bold, true, {0}, {0}, ALIGN_START, 0};
    text_wrap(L->tx, px, bold, s, w, emit_line, &j);
    return j.lines * j.lh;
}

void button_colors(const theme *th, button_style st, SDL_Color *fill, SDL_Color *fg,
                   SDL_Color *border)
{
    const theme_colors *c = &th->c;
    switch (st) {
    case BTN_PRIMARY:
        *fill = c->primary, *fg = c->on_primary, *border = c->primary;
        break;
    case BTN_HANDOFF:
        *fill = c->handoff, *fg = c->on_handoff, *border = c->handoff;
        break;
    case BTN_CHOSEN:
    case BTN_DAY_TODAY:
        *fill = c->chosen, *fg = c->on_chosen, *border = c->border;
        break;
    default:
        *fill = c->secondary, *fg = c->on_secondary, *border = c->border;
        break;
    }
}

void layout_icon(layout *L, SDL_Rect r, const char *icon)
{
    /* arrows point the way the text reads */
    if (L->rtl && icon && !strcmp(icon, "back"))
        icon = "forward";
    else if (L->rtl && icon && !strcmp(icon, "forward"))
        icon = "back";
    widget *w = layout_add(L, W_ICON, r);
    w->icon = icon;
}

/* The button itself (what is hit-tested and logged); its fill and text colour come back. */
static void add_button(layout *L, SDL_Rect r, const char *id, const char *label, button_style style,
                       action act, SDL_Color *fill, SDL_Color *fg)
{
    SDL_Color border;
    button_colors(L->th, style, fill, fg, &border);
    widget *b = layout_add(L, W_BUTTON, r);
    b->id = layout_str(L, id);
    b->text = layout_str(L, label);
    b->style = style;
    b->act = act;
    b->bg = *fill;
    b->fg = border;
    b->border = (int)(0.8 * L->th->px_per_mm) + 1;
}

void layout_button(layout *L, SDL_Rect r, const char *id, const char *label, const char *icon,
                   button_style style, action act)
{
    const theme *th = L->th;
    SDL_Color fill, fg;
    add_button(L, r, id, label, style, act, &fill, &fg);
    int px = th->px_body;
    bool bold = style != BTN_DAY && style != BTN_DAY_TODAY;
    int x = r.x + th->pad, w = r.w - 2 * th->pad;
    text_align align = ALIGN_CENTER;
    if (icon) {
        int isz = r.h * 6 / 10;
        if (isz > (int)(16 * th->px_per_mm))
            isz = (int)(16 * th->px_per_mm);
        SDL_Rect ir = {r.x + th->pad, r.y + (r.h - isz) / 2, isz, isz};
        if (style == BTN_PRIMARY || style == BTN_HANDOFF) {
            /* pictograms are dark on light: give them a light badge on a dark button */
            int m = isz / 8;
            layout_panel(L, (SDL_Rect){ir.x - m, ir.y - m, isz + 2 * m, isz + 2 * m},
                         th->c.secondary, th->c.secondary, 0);
        }
        layout_icon(L, ir, icon);
        x += isz + th->gap;
        w -= isz + th->gap;
        align = ALIGN_START;
    }
    if (style == BTN_DAY || style == BTN_DAY_TODAY) {
        x = r.x + 2;
        w = r.w - 4;
    }
    int h = layout_text_height(L, w, px, bold, label);
    layout_text(L, x, r.y + (r.h - h) / 2, w, px, bold, fg, fill, align, label);
}

void layout_icon_button(layout *L, SDL_Rect r, const char *id, const char *label, const char *icon,
                        button_style style, action act)
{
    SDL_Color fill, fg;
    add_button(L, r, id, label, style, act, &fill, &fg);
    int isz = (r.w < r.h ? r.w : r.h) * 6 / 10;
    layout_icon(L, (SDL_Rect){r.x + (r.w - isz) / 2, r.y + (r.h - isz) / 2, isz, isz}, icon);
}

void layout_tile(layout *L, SDL_Rect r, const char *id, const char *label, const char *icon,
                 int isz, bool beside, action act)
{
    const theme *th = L->th;
    SDL_Color fill, fg;
    add_button(L, r, id, label, BTN_TILE, act, &fill, &fg);
    int px = th->px_body;
    if (!icon)
        isz = 0;
    if (beside && isz > 0) {
        /* the pictogram at the start, the words beside it */
        layout_icon(L, (SDL_Rect){r.x + th->gap, r.y + (r.h - isz) / 2, isz, isz}, icon);
        int tx = r.x + 2 * th->gap + isz, tw = r.x + r.w - th->gap - tx;
        int h = layout_text_height(L, tw, px, true, label);
        layout_text(L, tx, r.y + (r.h - h) / 2, tw, px, true, fg, fill, ALIGN_START, label);
        return;
    }
    /* the pictogram above the words */
    int h = layout_text_height(L, r.w - 2 * th->gap, px, true, label);
    int used = h + (isz > 0 ? isz + th->gap / 2 : 0);
    int y = r.y + (r.h - used) / 2;
    if (isz > 0) {
        layout_icon(L, (SDL_Rect){r.x + (r.w - isz) / 2, y, isz, isz}, icon);
        y += isz + th->gap / 2;
    }
    layout_text(L, r.x + th->gap, y, r.w - 2 * th->gap, px, true, fg, fill, ALIGN_CENTER, label);
}

void layout_overlay(layout *L, int layer)
{
    L->layer = layer;
    layout_panel(L, (SDL_Rect){0, 0, L->W, L->H}, L->th->c.dim, L->th->c.dim, 0);
}

int layout_button_fit(layout *L, SDL_Rect col, int y, int min_h, const char *id, const char *label,
                      const char *icon, button_style style, action act)
{
    const theme *th = L->th;
    int h = layout_text_height(L, col.w - 2 * th->pad - (icon ? th->btn_h : 0), th->px_body, true,
                               label) +
            2 * th->gap;
    if (h < min_h)
        h = min_h;
    layout_button(L, (SDL_Rect){col.x, y, col.w, h}, id, label, icon, style, act);
    return h + th->gap;
}

void layout_mirror(layout *L)
{
    for (int i = 0; i < L->n; i++)
        L->w[i].r.x = L->W - L->w[i].r.x - L->w[i].r.w;
}

const widget *layout_find(const layout *L, const char *key)
{
    int top = layout_top_layer(L);
    for (int i = 0; i < L->n; i++) {
        const widget *w = &L->w[i];
        if (w->kind == W_BUTTON && w->layer == top &&
            (strcmp(w->id, key) == 0 || strcmp(w->text, key) == 0))
            return w;
    }
    return NULL;
}

const widget *layout_hit(const layout *L, int x, int y)
{
    int top = layout_top_layer(L);
    for (int i = L->n - 1; i >= 0; i--) {
        const widget *w = &L->w[i];
        if (w->kind == W_BUTTON && w->layer == top && x >= w->r.x && x < w->r.x + w->r.w &&
            y >= w->r.y && y < w->r.y + w->r.h)
            return w;
    }
    return NULL;
}

int layout_top_layer(const layout *L)
{
    int top = 0;
    for (int i = 0; i < L->n; i++)
        if (L->w[i].layer > top)
            top = L->w[i].layer;
    return top;
}

const char *help_label(const layout *L)
{
    return L->s->data.handoff == HANDOFF_SENT && !L->s->data.handoff_callback
               ? tr(L->lang, "Er komt een medewerker")
               : tr(L->lang, "Hulp van een medewerker");
}

SDL_Rect chrome_build(layout *L, bool back)
{
    const theme *th = L->th;
    const session *s = L->s;
    lang_id lang = L->lang;
    int W = L->W, H = L->H;
    L->flags = WF_CHROME;
    layout_panel(L, (SDL_Rect){0, 0, W, th->bar_h}, th->c.bar, th->c.bar, 0);
    int bh = th->bar_h - 2 * (th->gap / 2);
    int y = th->gap / 2;
    if (back) {
        int bw = text_width(L->tx, th->px_body, true, tr(lang, "Terug")) + 2 * th->pad +
                 bh * 6 / 10 + th->gap;
        layout_button(L, (SDL_Rect){th->gap, y, bw, bh}, "back", tr(lang, "Terug"), "back",
                      BTN_SECONDARY, (action){.kind = ACT_BACK});
    }
    /* languages, right-aligned, each in its own name; when they do not all fit in the bar,
     * one button (in the current language's name) opens the language menu */
    int left =
        back ? th->gap + text_width(L->tx, th->px_body, true, tr(lang, "Terug")) + 3 * th->pad + bh
             : th->gap;
    int widths[LANG_COUNT], total = 0;
    for (int l = 0; l < LANG_COUNT; l++) {
        widths[l] = 0;
        if (!(s->cfg.languages & (1u << l)))
            continue;
        widths[l] =
            text_width(L->tx, th->px_body, true, lang_get((lang_id)l)->native) + 2 * th->pad;
        if (widths[l] < th->target)
            widths[l] = th->target;
        total += widths[l] + th->gap;
    }
    int x = W - th->gap;
    if (left + total <= x) {
        for (int l = LANG_COUNT - 1; l >= 0; l--) {
            if (!widths[l])
                continue;
            const lang_info *li = lang_get((lang_id)l);
            x -= widths[l];
            layout_button(L, (SDL_Rect){x, y, widths[l], bh}, layout_printf(L, "lang:%s", li->code),
                          li->native, NULL, (int)lang == l ? BTN_CHOSEN : BTN_SECONDARY,
                          (action){.kind = ACT_SET_LANG, .arg = l});
            x -= th->gap;
        }
    } else {
        const char *name = lang_get(lang)->native;
        int bw = text_width(L->tx, th->px_body, true, name) + 3 * th->pad + bh;
        layout_button(L, (SDL_Rect){x - bw, y, bw, bh}, "lang-menu", name, "language",
                      BTN_SECONDARY, (action){.kind = ACT_LANG_MENU});
    }
    int hy = H - th->help_h;
    L->flags = 0;
    help_bar(L, true);
    return (SDL_Rect){th->pad, th->bar_h + th->pad, W - 2 * th->pad, hy - th->bar_h - 2 * th->pad};
}

void help_bar(layout *L, bool handoff)
{
    const theme *th = L->th;
    const session *s = L->s;
    unsigned flags = L->flags;
    L->flags = WF_CHROME;
    int W = L->W, hy = L->H - th->help_h, bh = th->help_h - th->gap, y = hy + th->gap / 2;
    layout_panel(L, (SDL_Rect){0, hy, W, th->help_h}, th->c.bar, th->c.bar, 0);
    /* read aloud and adjust at the end: square buttons with their pictogram (a speaker,
     * sliders); their names are read aloud and highlighted when on */
    int x = W - th->gap - bh;
    layout_icon_button(L, (SDL_Rect){x, y, bh, bh}, "access", tr(L->lang, "Aanpassen"), "adjust",
                       s->access.menu ? BTN_CHOSEN : BTN_SECONDARY,
                       (action){.kind = ACT_ACCESS_MENU});
    if (s->cfg.has_speech) {
        x -= th->gap + bh;
        layout_icon_button(
            L, (SDL_Rect){x, y, bh, bh}, "speech",
            s->access.speech ? tr(L->lang, "Voorlezen: aan") : tr(L->lang, "Voorlezen"), "speaker",
            s->access.speech ? BTN_CHOSEN : BTN_SECONDARY, (action){.kind = ACT_SPEECH, .arg = -1});
    }
    /* help from an employee: on every screen, always in the same place */
    if (handoff)
        layout_button(L, (SDL_Rect){th->gap, y, x - 2 * th->gap, bh}, "handoff", help_label(L),
                      "help", BTN_HANDOFF, (action){.kind = ACT_HANDOFF});
    L->flags = flags;
}
