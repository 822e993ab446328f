/* The personal overview: per organisation what to do, by when, and how to reach them. Long
 * overviews are split into pages with big "more" buttons, never scrolled out of sight. */
#include <string.h>

#include "core/i18n.h"
#include "core/phrases.h"
#include "layout.h"

/* A card is a list of wrapped lines ("rows"); pages are filled row by row, so a card longer
 * than a page continues on the next one (with the organisation's name again) and no text is
 * ever cut off. */
typedef struct {
    const char *text; /* one wrapped line */
    int src;          /* which sentence it belongs to */
    int px, h, gap;   /* gap: space above the sentence's first line */
    bool bold;
} row;

typedef struct {
    int group, first, last; /* rows [first, last) */
    int column;
} piece;

#define MAX_ROWS 400
#define MAX_PIECES 96

typedef struct {
    layout *L;
    row *rows;
    int n, src, gap;
    int px;
    bool bold;
} row_job;

static void add_line(void *ctx, const char *text, int width)
{
    (void)width;
    row_job *j = ctx;
    if (j->n >= MAX_ROWS)
        return;
    row *r = &j->rows[j->n++];
    r->text = layout_str(j->L, text);
    r->src = j->src;
    r->px = j->px;
    r->bold = j->bold;
    r->h = text_line_height(j->L->tx, j->px, j->bold);
    r->gap = j->gap;
    j->gap = 0;
}

static void add_text(row_job *j, int w, bool bold, int gap, const char *text)
{
    j->src++;
    j->px = j->L->th->px_body;
    j->bold = bold;
    j->gap = gap;
    text_wrap(j->L->tx, j->px, bold, text, w, add_line, j);
}

/* The organisation's pictogram stands at the end of its name's first line (at the left in
 * right-to-left languages, through layout_mirror), about 1.6 times the text's size. It sits
 * beside the name, not before it: every line of a card starts at the same edge. The name wraps
 * short of it; the rows below keep the full width, so the pictogram may not reach below the
 * first line: it is aligned with that line's bottom and rises into the card's padding. */
static const char *org_icon(const layout *L, int g)
{
    const session *s = L->s;
    return s->content->orgs[s->data.ov.groups[g].org].icon;
}

static int org_icon_size(const layout *L, int line_h)
{
    int isz = L->th->px_body * 8 / 5, rise = L->th->pad / 2;
    return isz > line_h + rise ? line_h + rise : isz;
}

/* The pictogram beside the name line at (x, y) of height line_h, in a text column of width w. */
static void org_icon_draw(layout *L, const char *icon, int x, int y, int w, int line_h)
{
    int isz = org_icon_size(L, line_h);
    layout_icon(L, (SDL_Rect){x + w - isz, y + line_h - isz, isz, isz}, icon);
}

/* The rows of organisation group g at inner width w. */
static int card_rows(layout *L, int g, int w, row *rows)
{
    const theme *th = L->th;
    const session *s = L->s;
    lang_id lang = L->lang;
    const life_event *e = session_event(s);
    const overview_group *grp = &s->data.ov.groups[g];
    const organisation *o = &s->content->orgs[grp->org];
    row_job j = {L, rows, 0, 0, 0, 0, false};
    char buf[512];
    bool details = s->data.details;
    int name_w = w;
    if (org_icon(L, g))
        name_w -= org_icon_size(L, text_line_height(L->tx, th->px_body, true)) + th->gap;
    add_text(&j, name_w, true, 0, ltext_get(&o->name, lang));
    if (details)
        add_text(&j, w, false, 0, ltext_get(&o->about, lang));
    for (int i = 0; i < grp->n_items; i++) {
        const overview_item *it = &grp->items[i];
        const task *t = &e->tasks[it->task];
        add_text(&j, w, true, th->gap, layout_printf(L, "• %s", ltext_get(&t->text, lang)));
        phrase_deadline(lang, e, it, buf, sizeof buf);
        if (buf[0])
            add_text(&j, w, true, 0, buf);
        if (details && ltext_present(&t->how))
            add_text(&j, w, false, 0, ltext_get(&t->how, lang));
    }
    int gap = th->gap;
    char iso[160];
    if (o->phone) {
        add_text(
            &j, w, false, gap,
            layout_printf(L, "%s %s", tr(lang, "Bel:"), i18n_ltr(lang, o->phone, iso, sizeof iso)));
        gap = 0;
    }
    if (ltext_present(&o->phone_hours)) {
        add_text(&j, w, false, gap, ltext_get(&o->phone_hours, lang));
        gap = 0;
    }
    if (o->website) {
        add_text(&j, w, false, gap,
                 layout_printf(L, "%s %s", tr(lang, "Website:"),
                               i18n_ltr(lang, o->website, iso, sizeof iso)));
        gap = 0;
    }
    if (ltext_present(&o->visit))
        add_text(&j, w, false, gap,
                 layout_printf(L, "%s %s", tr(lang, "Langsgaan:"), ltext_get(&o->visit, lang)));
    return j.n;
}

static int rows_h(const row *rows, int first, int last)
{
    int h = 0;
    for (int i = first; i < last; i++)
        h += rows[i].h + (i > first ? rows[i].gap : 0);
    return h;
}

/* Draws one piece of a card; returns its height. */
static int draw_piece(layout *L, const row *rows, const piece *p, int x, int y, int w)
{
    const theme *th = L->th;
    SDL_Color fg = th->c.on_card, bg = th->c.card;
    int pad = th->pad;
    size_t panel = (size_t)L->n;
    layout_panel(L, (SDL_Rect){x, y, w, 0}, bg, th->c.border, 2);
    int cy = y + pad;
    const char *icon = org_icon(L, p->group);
    if (icon) /* beside the name: the card's first line, or the name again on a continued card */
        org_icon_draw(L, icon, x + pad, cy, w - 2 * pad, rows[0].h);
    if (p->first > 0) /* a continued card: the organisation's name first */
        cy += layout_text(L, x + pad, cy,
                          w - 2 * pad - (icon ? org_icon_size(L, rows[0].h) + th->gap : 0),
                          th->px_body, true, fg, bg, ALIGN_START, rows[0].text);
    char para[2048];
    size_t plen = 0;
    for (int i = p->first; i < p->last; i++) {
        const row *r = &rows[i];
        if (i > p->first)
            cy += r->gap;
        widget *t = layout_add(L, W_TEXT, (SDL_Rect){x + pad, cy, w - 2 * pad, r->h});
        t->text = r->text;
        t->px = r->px;
        t->bold = r->bold;
        t->fg = fg;
        t->bg = bg;
        /* as wide as the text, at the start edge; mirroring puts it at the right in RTL */
        t->r.w = text_width(L->tx, r->px, r->bold, r->text);
        /* the whole sentence as shown, for tests and speech */
        int n = snprintf(para + plen, sizeof para - plen, "%s%s", plen ? " " : "", r->text);
        if (n > 0 && plen + (size_t)n < sizeof para)
            plen += (size_t)n;
        if (i + 1 == p->last || rows[i + 1].src != r->src) {
            widget *pw = layout_add(L, W_PARAGRAPH, (SDL_Rect){x + pad, cy, w - 2 * pad, r->h});
            pw->text = layout_str(L, para);
            pw->px = r->px;
            pw->bold = r->bold;
            pw->fg = fg;
            pw->bg = bg;
            plen = 0;
        }
        cy += r->h;
    }
    int h = cy + pad - y;
    if (panel < (size_t)L->n)
        L->w[panel].r.h = h;
    explicit_bzero(para, sizeof para);
    return h;
}

/* The helping hand: when early signals fire, the overview first says why, and offers help
 * from an employee before the list. Returns the height (drawn only when `draw`). */
static int helping_hand(layout *L, int x, int y, int w, bool draw, bool reasons)
{
    const theme *th = L->th;
    const session *s = L->s;
    lang_id lang = L->lang;
    const life_event *e = session_event(s);
    const overview *ov = &s->data.ov;
    if (ov->n_signals == 0)
        return 0;
    SDL_Color fg = th->c.on_card, bg = th->c.card;
    int inner = w - 2 * th->pad, cy = y + th->pad;
    size_t panel = (size_t)L->n;
    if (draw)
        layout_panel(L, (SDL_Rect){x, y, w, 0}, bg, th->c.handoff, 4);
    const char *title = tr(lang, "Een medewerker kan u helpen met alles");
    cy += (draw ? layout_text(L, x + th->pad, cy, inner, th->px_body, true, fg, bg, ALIGN_START,
                              title)
                : layout_text_height(L, inner, th->px_body, true, title)) +
          th->gap / 2;
    for (int k = 0; reasons && k < ov->n_signals; k++) {
        const char *why = ltext_get(overview_signal_text(s->content, e, &ov->signals[k]), lang);
        cy += draw ? layout_text(L, x + th->pad, cy, inner, th->px_body, false, fg, bg, ALIGN_START,
                                 why)
                   : layout_text_height(L, inner, th->px_body, false, why);
    }
    cy += th->gap;
    /* the button as high as its words need (they wrap in large text) */
    const char *ask =
        s->data.handoff == HANDOFF_SENT ? help_label(L) : tr(lang, "Vraag een medewerker om hulp");
    int bh = layout_text_height(L, inner - 2 * th->pad - th->btn_h, th->px_body, true, ask) +
             2 * th->gap;
    if (bh < th->btn_h)
        bh = th->btn_h;
    if (draw)
        layout_button(L, (SDL_Rect){x + th->pad, cy, inner, bh}, "handoff-signal", ask, "help",
                      BTN_HANDOFF, (action){.kind = ACT_HANDOFF});
    cy += bh + th->pad;
    if (draw && panel < (size_t)L->n)
        L->w[panel].r.h = cy - y;
    return cy - y;
}

void screen_overview(layout *L)
{
    const theme *th = L->th;
    const session *s = L->s;
    lang_id lang = L->lang;
    const life_event *e = session_event(s);
    SDL_Rect a = chrome_build(L, true);
    if (!e)
        return;
    int y = a.y;
    /* the title, and beside it the switch between the short list and the explanations */
    const char *more = s->data.details ? tr(lang, "Minder uitleg") : tr(lang, "Meer uitleg");
    int dw =
        text_width(L->tx, th->px_body, true, more) + 2 * th->pad + th->btn_h * 6 / 10 + th->gap;
    if (dw > a.w / 2)
        dw = a.w / 2;
    layout_button(L, (SDL_Rect){a.x + a.w - dw, y, dw, th->btn_h}, "details", more,
                  s->data.details ? "no" : "unknown", BTN_SECONDARY, (action){.kind = ACT_DETAILS});
    int ty = layout_text(L, a.x, y, a.w - dw - th->gap, th->px_title, true, th->c.text, th->c.bg,
                         ALIGN_START, tr(lang, "Dit moet u regelen")) +
             th->gap / 2;
    ty += layout_text(L, a.x, y + ty, a.w - dw - th->gap, th->px_body, false, th->c.text, th->c.bg,
                      ALIGN_START, ltext_get(&e->title, lang));
    y += (ty > th->btn_h ? ty : th->btn_h) + th->gap;
    /* the bottom row: page buttons and "continue", each a third of the width; where a label
     * does not fit a third on one line (e.g. Turkish "Daha fazla (1 / 2)"), the page buttons
     * get a row of their own above "continue" */
    int bw = (a.w - 2 * th->gap) / 3;
    const char *more_fmt = tr(lang, "Meer (%d van %d)");
    bool two_rows =
        text_width(L->tx, th->px_body, true, tr(lang, "Vorige")) + 2 * th->pad > bw ||
        text_width(L->tx, th->px_body, true, layout_printf(L, more_fmt, 8, 9)) + 2 * th->pad > bw ||
        text_width(L->tx, th->px_body, true, tr(lang, "Verder")) + 2 * th->pad > bw;
    int bottom = a.y + a.h - th->btn_h - (two_rows ? th->btn_h + th->gap : 0);
    int page_h = bottom - th->gap - y;
    /* landscape: two columns of cards; pages are filled column after column */
    int cols = L->W > L->H ? 2 : 1;
    int cw = (a.w - (cols - 1) * th->gap) / cols, inner = cw - 2 * th->pad;
    static row rows[OVERVIEW_MAX_GROUPS][MAX_ROWS];
    int nrows[OVERVIEW_MAX_GROUPS];
    piece pieces[MAX_PIECES];
    /* the first page starts below the helping hand, if any */
    /* large text on a small screen: when the reasons would take more than half the page, the
     * helping hand keeps its title and its button (the reasons are for the employee too) */
    bool reasons = helping_hand(L, 0, 0, a.w, false, true) <= (bottom - th->gap - y) / 2;
    int hand_h = helping_hand(L, 0, 0, a.w, false, reasons);
    int first = hand_h ? hand_h + th->gap : 0;
#define COLUMN_START(col) ((col) / cols == 0 ? first : 0)
    int n = 0, column = 0, used = first;
    int frame_h = 2 * th->pad + th->gap; /* a card's padding and the space below it */
    for (int g = 0; g < s->data.ov.n_groups; g++) {
        nrows[g] = card_rows(L, g, inner, rows[g]);
        int total = rows_h(rows[g], 0, nrows[g]) + frame_h;
        /* a card that fits a fresh column is not split */
        if (used > COLUMN_START(column) && used + total > page_h && total <= page_h) {
            column++;
            used = COLUMN_START(column);
        }
        for (int i = 0; i < nrows[g] && n < MAX_PIECES;) {
            int head = i > 0 ? rows[g][0].h : 0;
            int j = i;
            while (j < nrows[g] && used + head + rows_h(rows[g], i, j + 1) + frame_h <= page_h)
                j++;
            if (j == i && used > 0) { /* not even one line fits here: next column */
                column++;
                used = COLUMN_START(column);
                continue;
            }
            if (j == i)
                j = i + 1; /* a single line taller than a page: show it anyway */
            pieces[n++] = (piece){g, i, j, column};
            used += head + rows_h(rows[g], i, j) + frame_h;
            i = j;
            if (i < nrows[g]) {
                column++;
                used = COLUMN_START(column);
            }
        }
    }
#undef COLUMN_START
    int pages = n ? pieces[n - 1].column / cols + 1 : 1;
    L->pages = pages;
    int page = s->data.scroll < pages ? s->data.scroll : pages - 1;
    if (page == 0 && hand_h)
        helping_hand(L, a.x, y, a.w, true, reasons);
    int col_y[2] = {y + (page == 0 ? first : 0), y + (page == 0 ? first : 0)};
    for (int i = 0; i < n; i++) {
        if (pieces[i].column / cols != page)
            continue;
        int c = pieces[i].column % cols;
        col_y[c] += draw_piece(L, rows[pieces[i].group], &pieces[i], a.x + c * (cw + th->gap),
                               col_y[c], cw) +
                    th->gap;
    }
    if (two_rows)
        bw = (a.w - th->gap) / 2;
    if (page > 0)
        layout_button(L, (SDL_Rect){a.x, bottom, bw, th->btn_h}, "page-prev", tr(lang, "Vorige"),
                      NULL, BTN_SECONDARY, (action){.kind = ACT_SCROLL, .arg = -1});
    if (page + 1 < pages)
        layout_button(L, (SDL_Rect){a.x + bw + th->gap, bottom, bw, th->btn_h}, "page-next",
                      layout_printf(L, more_fmt, page + 1, pages), NULL, BTN_SECONDARY,
                      (action){.kind = ACT_SCROLL, .arg = 1});
    /* one page: "continue" is the only way on, so it spans the width */
    int nx = pages > 1 && !two_rows ? a.x + 2 * (bw + th->gap) : a.x;
    int ny = two_rows ? bottom + th->btn_h + th->gap : bottom;
    layout_button(L, (SDL_Rect){nx, ny, a.x + a.w - nx, th->btn_h}, "next-step", tr(lang, "Verder"),
                  NULL, BTN_PRIMARY, (action){.kind = ACT_TO_NEXT_STEP});
}
