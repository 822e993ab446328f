/* One question per screen: yes / no / I don't know, a few choices, or a date on a calendar. */
#include <stdio.h>

#include "content/flow.h"
#include "core/i18n.h"
#include "layout.h"

/* The month buttons: as high as their words (which wrap in large text). */
static int nav_height(layout *L, SDL_Rect a)
{
    const theme *th = L->th;
    int tw = (a.w - th->gap) / 2 - 2 * th->pad - th->btn_h;
    int h = layout_text_height(L, tw, th->px_body, true, tr(L->lang, "Volgende maand"));
    int h2 = layout_text_height(L, tw, th->px_body, true, tr(L->lang, "Vorige maand"));
    h = (h > h2 ? h : h2) + 2 * th->gap;
    return h > th->btn_h ? h : th->btn_h;
}

/* The least height the calendar needs: month, buttons, weekdays, six weeks of 12 mm days,
 * "don't know". */
static int date_picker_need(layout *L, SDL_Rect a, int compact)
{
    const theme *th = L->th;
    int line = text_line_height(L->tx, th->px_body, false) + 4;
    int ch = th->target > line ? th->target : line;
    int head = compact ? th->btn_h + th->gap
                       : text_line_height(L->tx, th->px_body, true) + th->gap / 2 +
                             nav_height(L, a) + th->gap;
    int weekdays = compact >= 2 ? 0 : line + th->gap / 2;
    return head + weekdays + 6 * (ch + th->gap / 2) + th->gap / 2 + th->btn_h;
}

static void date_picker(layout *L, const question *q, int y, SDL_Rect a, int compact)
{
    const theme *th = L->th;
    const session *s = L->s;
    lang_id lang = L->lang;
    int py = s->data.picker_y, pm = s->data.picker_m;
    char month[64];
    i18n_format_month(lang, py, pm, month, sizeof month);
    action prev = {.kind = ACT_PICKER_MONTH, .arg = -1},
           next = {.kind = ACT_PICKER_MONTH, .arg = 1};
    if (compact) {
        /* one row: arrow, the month, arrow (the words are read aloud all the same) */
        int bw = th->btn_h, lh = text_line_height(L->tx, th->px_body, true);
        layout_icon_button(L, (SDL_Rect){a.x, y, bw, th->btn_h}, "month-prev",
                           tr(lang, "Vorige maand"), "back", BTN_SECONDARY, prev);
        layout_text(L, a.x + bw + th->gap, y + (th->btn_h - lh) / 2, a.w - 2 * (bw + th->gap),
                    th->px_body, true, th->c.text, th->c.bg, ALIGN_CENTER, month);
        layout_icon_button(L, (SDL_Rect){a.x + a.w - bw, y, bw, th->btn_h}, "month-next",
                           tr(lang, "Volgende maand"), "forward", BTN_SECONDARY, next);
        y += th->btn_h + th->gap;
    } else {
        /* the month, then big buttons to go a month back or forward */
        y += layout_text(L, a.x, y, a.w, th->px_body, true, th->c.text, th->c.bg, ALIGN_CENTER,
                         month) +
             th->gap / 2;
        int nav_w = (a.w - th->gap) / 2, nav_h = nav_height(L, a);
        layout_button(L, (SDL_Rect){a.x, y, nav_w, nav_h}, "month-prev", tr(lang, "Vorige maand"),
                      "back", BTN_SECONDARY, prev);
        layout_button(L, (SDL_Rect){a.x + nav_w + th->gap, y, nav_w, nav_h}, "month-next",
                      tr(lang, "Volgende maand"), "forward", BTN_SECONDARY, next);
        y += nav_h + th->gap;
    }
    int cw = (a.w - 6 * (th->gap / 2)) / 7;
    if (compact < 2) {
        for (int d = 0; d < 7; d++)
            layout_text(L, a.x + d * (cw + th->gap / 2), y, cw, th->px_body, false, th->c.text,
                        th->c.bg, ALIGN_CENTER, i18n_weekday_short(lang, d));
        y += text_line_height(L->tx, th->px_body, false) + th->gap / 2;
    }
    /* room for six weeks and the "don't know" button below */
    int below = th->btn_h + th->gap;
    int ch = (a.y + a.h - y - below - 5 * (th->gap / 2)) / 6;
    if (ch > (int)(20 * th->px_per_mm))
        ch = (int)(20 * th->px_per_mm);
    int line = text_line_height(L->tx, th->px_body, false) + 4;
    if (ch < th->target)
        ch = th->target;
    if (ch < line) /* the day's number stays inside its button */
        ch = line;
    civil_date first = {py, pm, 1};
    int lead = date_weekday(first);
    int dim = date_days_in_month(py, pm);
    int qi = s->data.question;
    bool answered = s->data.j.answers[qi] == DATE_KNOWN;
    civil_date chosen = s->data.j.dates[qi];
    for (int d = 1; d <= dim; d++) {
        int cell = lead + d - 1;
        SDL_Rect r = {a.x + (cell % 7) * (cw + th->gap / 2), y + (cell / 7) * (ch + th->gap / 2),
                      cw, ch};
        civil_date day = {py, pm, d};
        button_style st = BTN_DAY;
        if (answered && date_cmp(day, chosen) == 0)
            st = BTN_CHOSEN;
        else if (date_cmp(day, s->today) == 0)
            st = BTN_DAY_TODAY;
        char label[16];
        snprintf(label, sizeof label, "%d", d);
        char id[32];
        snprintf(id, sizeof id, "day:%04d-%02d-%02d", py, pm, d);
        layout_button(L, r, id, label, NULL, st, (action){.kind = ACT_PICK_DATE, .today = day});
    }
    int rows = (lead + dim + 6) / 7;
    y += rows * (ch + th->gap / 2) + th->gap / 2;
    layout_button(L, (SDL_Rect){a.x, y, a.w, th->btn_h}, "answer:unknown",
                  tr(lang, "Ik weet het nog niet"), "unknown",
                  s->data.j.answers[qi] == DATE_UNKNOWN ? BTN_CHOSEN : BTN_SECONDARY,
                  (action){.kind = ACT_ANSWER, .arg = DATE_UNKNOWN});
    (void)q;
}

void screen_question(layout *L)
{
    const theme *th = L->th;
    const session *s = L->s;
    lang_id lang = L->lang;
    const life_event *e = session_event(s);
    SDL_Rect a = chrome_build(L, true);
    if (!e || s->data.question < 0 || s->data.question >= e->n_questions)
        return;
    const question *q = &e->questions[s->data.question];
    /* landscape: the question on the left, the answers (or the calendar) on the right, so the
     * calendar keeps buttons a finger can hit and its numbers fit */
    SDL_Rect answers = a;
    if (L->W > L->H) {
        int lw = (a.w - th->gap) * 2 / 5;
        answers = (SDL_Rect){a.x + lw + 2 * th->gap, a.y, a.w - lw - 2 * th->gap, a.h};
        a.w = lw;
    }
    int y = a.y;
    const char *where = layout_printf(L, tr(lang, "%s — vraag %d"), ltext_get(&e->title, lang),
                                      s->data.history_len + 1);
    bool intro = s->data.history_len == 0 && ltext_present(&e->intro);
    /* large text on a small screen: the calendar must fit below the question. Step by step,
     * what helps least gives way: the "where am I" line and the general intro (and the month
     * buttons shrink to arrows beside the month), then the weekday names, then the question's
     * explanation. The question itself always stays. */
    int compact = 0;
    if (q->kind == QUESTION_DATE && answers.x == a.x) {
        int top =
            layout_text_height(L, a.w, th->px_body, false, where) + th->gap +
            (intro ? layout_text_height(L, a.w, th->px_body, false, ltext_get(&e->intro, lang)) +
                         th->gap
                   : 0);
        int title =
            layout_text_height(L, a.w, th->px_title, true, ltext_get(&q->text, lang)) + 2 * th->gap;
        int help = ltext_present(&q->help)
                       ? layout_text_height(L, a.w, th->px_body, false, ltext_get(&q->help, lang)) +
                             th->gap
                       : 0;
        if (top + title + help + date_picker_need(L, a, 0) > a.h)
            compact = 1;
        if (compact && title + help + date_picker_need(L, a, 1) > a.h)
            compact = 2;
        if (compact == 2 && title + help + date_picker_need(L, a, 2) > a.h)
            compact = 3;
    }
    /* where am I: the life event and the question number */
    if (!compact)
        y += layout_text(L, a.x, y, a.w, th->px_body, false, th->c.muted, th->c.bg, ALIGN_START,
                         where) +
             th->gap;
    if (intro && !compact)
        y += layout_text(L, a.x, y, a.w, th->px_body, false, th->c.text, th->c.bg, ALIGN_START,
                         ltext_get(&e->intro, lang)) +
             th->gap;
    y += layout_text(L, a.x, y, a.w, th->px_title, true, th->c.text, th->c.bg, ALIGN_START,
                     ltext_get(&q->text, lang)) +
         th->gap;
    if (ltext_present(&q->help) && compact < 3)
        y += layout_text(L, a.x, y, a.w, th->px_body, false, th->c.text, th->c.bg, ALIGN_START,
                         ltext_get(&q->help, lang)) +
             th->gap;
    y += th->gap;
    if (answers.x != a.x) {
        y = answers.y;
        a = answers;
    }
    if (q->kind == QUESTION_DATE) {
        date_picker(L, q, y, a, compact);
        return;
    }
    int n = question_n_options(q);
    int current = s->data.j.answers[s->data.question];
    for (int o = 0; o < n; o++) {
        const char *label, *icon = NULL, *id;
        if (q->kind == QUESTION_YESNO) {
            static const char *const ids[] = {"answer:yes", "answer:no", "answer:unknown"};
            static const char *const icons[] = {"yes", "no", "unknown"};
            label = o == YESNO_YES  ? tr(lang, "Ja")
                    : o == YESNO_NO ? tr(lang, "Nee")
                                    : tr(lang, "Ik weet het niet");
            icon = icons[o];
            id = ids[o];
        } else if (o < q->n_choices) {
            label = ltext_get(&q->choices[o].text, lang);
            id = layout_printf(L, "answer:%s", q->choices[o].id);
        } else {
            label = tr(lang, "Ik weet het niet");
            icon = "unknown";
            id = "answer:unknown";
        }
        int h = layout_text_height(L, a.w - 2 * th->pad - (icon ? th->btn_h : 0), th->px_body, true,
                                   label) +
                2 * th->gap;
        if (h < th->btn_h)
            h = th->btn_h;
        layout_button(L, (SDL_Rect){a.x, y, a.w, h}, id, label, icon,
                      o == current ? BTN_CHOSEN : BTN_SECONDARY,
                      (action){.kind = ACT_ANSWER, .arg = o});
        y += h + th->gap;
    }
}
