/* Cross-file checks and the exhaustive walk over every combination of answers. */
#include "content/content.h"
#include "content/flow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bounds the walk: 12 questions of 7 options would be 13 billion paths. Content that branches
 * this much is too complicated for a citizen anyway, so the check says so. */
#define WALK_MAX_PATHS 200000

typedef struct {
    const life_event *e;
    int answers[CONTENT_MAX_QUESTIONS];
    bool q_reached[CONTENT_MAX_QUESTIONS];
    bool t_reached[CONTENT_MAX_TASKS];
    bool s_reached[CONTENT_MAX_SIGNALS];
    long paths;
    int dead_ends;
    char first_dead_end[512];
} walk;

static void describe_path(const walk *w, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (int i = 0; i < w->e->n_questions && n < cap; i++) {
        const question *q = &w->e->questions[i];
        int a = w->answers[i];
        if (a < 0)
            continue;
        const char *v = "?";
        if (q->kind == QUESTION_YESNO)
            v = a == YESNO_YES ? "yes" : a == YESNO_NO ? "no" : "unknown";
        else if (q->kind == QUESTION_DATE)
            v = a == DATE_KNOWN ? "known" : "unknown";
        else
            v = a < q->n_choices ? q->choices[a].id : "unknown";
        int r = snprintf(out + n, cap - n, "%s%s=%s", n ? ", " : "", q->id, v);
        if (r < 0)
            break;
        n += (size_t)r;
    }
}

static void walk_from(walk *w, int qi)
{
    if (w->paths > WALK_MAX_PATHS)
        return;
    const life_event *e = w->e;
    if (qi == e->n_questions) {
        w->paths++;
        int n = 0;
        for (int t = 0; t < e->n_tasks; t++)
            if (condition_holds(&e->tasks[t].when, w->answers)) {
                w->t_reached[t] = true;
                n++;
            }
        for (int k = 0; k < e->n_signals; k++)
            if (condition_holds(&e->signals[k].when, w->answers))
                w->s_reached[k] = true;
        if (n == 0 && w->dead_ends++ == 0)
            describe_path(w, w->first_dead_end, sizeof w->first_dead_end);
        return;
    }
    const question *q = &e->questions[qi];
    if (!condition_holds(&q->when, w->answers)) {
        w->answers[qi] = -1;
        walk_from(w, qi + 1);
        return;
    }
    w->q_reached[qi] = true;
    int n = question_n_options(q);
    for (int o = 0; o < n; o++) {
        w->answers[qi] = o;
        walk_from(w, qi + 1);
    }
    w->answers[qi] = -1;
}

static void validate_event(const content *c, life_event *e, content_diag *diag)
{
    (void)c;
    walk *w = calloc(1, sizeof *w);
    if (!w) {
        content_diag_add(diag, e->file, 0, "out of memory");
        return;
    }
    w->e = e;
    for (int i = 0; i < CONTENT_MAX_QUESTIONS; i++)
        w->answers[i] = -1;
    walk_from(w, 0);
    if (w->paths > WALK_MAX_PATHS) {
        content_diag_add(diag, e->file, 1,
                         "life event '%s' has more than %d combinations of answers; split it or "
                         "use fewer questions",
                         e->id, WALK_MAX_PATHS);
        free(w);
        return;
    }
    for (int i = 0; i < e->n_questions; i++)
        if (!w->q_reached[i])
            content_diag_add(diag, e->file, e->questions[i].line,
                             "question '%s' can never be asked: no answers make its 'when' true",
                             e->questions[i].id);
    for (int t = 0; t < e->n_tasks; t++)
        if (!w->t_reached[t])
            content_diag_add(diag, e->file, e->tasks[t].line,
                             "task '%s' can never be shown: no answers make its 'when' true",
                             e->tasks[t].id);
    for (int k = 0; k < e->n_signals; k++)
        if (!w->s_reached[k])
            content_diag_add(diag, e->file, e->signals[k].line,
                             "signal '%s' can never fire: no answers make its 'when' true",
                             e->signals[k].id);
    if (w->dead_ends)
        content_diag_add(diag, e->file, 1,
                         "life event '%s': %d combination(s) of answers end without any task, "
                         "e.g. %s (add a task without 'when')",
                         e->id, w->dead_ends, w->first_dead_end[0] ? w->first_dead_end : "-");
    free(w);
}

static int cmp_events(const void *a, const void *b)
{
    const life_event *x = a, *y = b;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return strcmp(x->id, y->id);
}

bool content_validate(content *c, content_diag *diag)
{
    int before = diag->count;
    if (c->n_orgs == 0)
        content_diag_add(diag, "organisations.yaml", 0, "no organisations");
    for (int i = 0; i < c->n_events; i++) {
        life_event *e = &c->events[i];
        for (int t = 0; t < e->n_tasks; t++) {
            task *tk = &e->tasks[t];
            tk->org = tk->org_id ? content_find_org(c, tk->org_id) : -1;
            if (tk->org < 0)
                content_diag_add(diag, e->file, tk->line,
                                 "task '%s': organisation '%s' is not in organisations.yaml",
                                 tk->id, tk->org_id ? tk->org_id : "?");
        }
    }
    if (diag->count != before)
        return false;
    for (int i = 0; i < c->n_events; i++)
        validate_event(c, &c->events[i], diag);
    if (diag->count != before)
        return false;
    qsort(c->events, (size_t)c->n_events, sizeof c->events[0], cmp_events);
    return true;
}

bool content_check_org_icons(const content *c, const char *file, content_diag *diag)
{
    int before = diag->count;
    for (int i = 0; i < c->n_orgs; i++) {
        const organisation *o = &c->orgs[i];
        if (!o->icon)
            content_diag_add(diag, file, o->line,
                             "organisation '%s': 'icon' is missing (a pictogram name: "
                             "assets/icons/<icon>.svg)",
                             o->id ? o->id : "?");
    }
    return diag->count == before;
}

/* ---- translation coverage ---- */

typedef struct {
    lang_id lang;
    int present, total;
    content_diag *missing;
} coverage;

static void cover(coverage *cv, const ltext *t, const char *file, int line, const char *what)
{
    if (!ltext_present(t))
        return;
    cv->total++;
    if (t->s[cv->lang])
        cv->present++;
    else if (cv->missing)
        content_diag_add(cv->missing, file, line, "%s", what);
}

void content_coverage(const content *c, lang_id lang, int *present, int *total,
                      content_diag *missing)
{
    coverage cv = {.lang = lang, .missing = missing};
    char what[160];
    for (int i = 0; i < c->n_orgs; i++) {
        const organisation *o = &c->orgs[i];
        const ltext *texts[] = {&o->name, &o->about, &o->phone_hours, &o->visit};
        const char *names[] = {"name", "about", "phone_hours", "visit"};
        for (int k = 0; k < 4; k++) {
            snprintf(what, sizeof what, "organisation '%s' %s", o->id, names[k]);
            cover(&cv, texts[k], "organisations.yaml", o->line, what);
        }
    }
    for (int i = 0; i < c->n_events; i++) {
        const life_event *e = &c->events[i];
        snprintf(what, sizeof what, "life event '%s' title", e->id);
        cover(&cv, &e->title, e->file, 1, what);
        snprintf(what, sizeof what, "life event '%s' intro", e->id);
        cover(&cv, &e->intro, e->file, 1, what);
        for (int q = 0; q < e->n_questions; q++) {
            const question *qu = &e->questions[q];
            const ltext *texts[] = {&qu->text, &qu->help, &qu->moment};
            const char *names[] = {"text", "help", "moment"};
            for (int k = 0; k < 3; k++) {
                snprintf(what, sizeof what, "question '%s' %s", qu->id, names[k]);
                cover(&cv, texts[k], e->file, qu->line, what);
            }
            for (int ch = 0; ch < qu->n_choices; ch++) {
                snprintf(what, sizeof what, "question '%s' choice '%s'", qu->id,
                         qu->choices[ch].id);
                cover(&cv, &qu->choices[ch].text, e->file, qu->line, what);
            }
        }
        for (int k = 0; k < e->n_signals; k++) {
            snprintf(what, sizeof what, "signal '%s' text", e->signals[k].id);
            cover(&cv, &e->signals[k].text, e->file, e->signals[k].line, what);
        }
        for (int t = 0; t < e->n_tasks; t++) {
            const task *tk = &e->tasks[t];
            snprintf(what, sizeof what, "task '%s' text", tk->id);
            cover(&cv, &tk->text, e->file, tk->line, what);
            snprintf(what, sizeof what, "task '%s' how", tk->id);
            cover(&cv, &tk->how, e->file, tk->line, what);
        }
    }
    for (int k = 0; k < c->n_signals; k++) {
        snprintf(what, sizeof what, "signal '%s' text", c->signals[k].id);
        cover(&cv, &c->signals[k].text, "signals.yaml", c->signals[k].line, what);
    }
    *present = cv.present;
    *total = cv.total;
}

/* Characters, not bytes: UTF-8 continuation bytes do not count. */
static size_t chars(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

void content_lint(const content *c, content_diag *advice)
{
    for (int i = 0; i < c->n_events; i++) {
        const life_event *e = &c->events[i];
        /* the title is the words on a tile among a dozen: two short lines */
        for (int l = 0; l < LANG_COUNT; l++) {
            size_t n = chars(e->title.s[l]);
            if (n > 34)
                content_diag_add(advice, e->file, 0,
                                 "title (%s) is %zu characters; a tile fits about 34 (two short "
                                 "lines)",
                                 lang_get((lang_id)l)->code, n);
        }
        for (int q = 0; q < e->n_questions; q++) {
            size_t n = chars(e->questions[q].text.s[LANG_NL]);
            if (n > 90)
                content_diag_add(advice, e->file, e->questions[q].line,
                                 "question '%s' is %zu characters; keep a question under 90",
                                 e->questions[q].id, n);
        }
        for (int t = 0; t < e->n_tasks; t++) {
            const task *tk = &e->tasks[t];
            size_t n = chars(tk->text.s[LANG_NL]);
            if (n > 120)
                content_diag_add(advice, e->file, tk->line,
                                 "task '%s' text is %zu characters; one short action reads best "
                                 "(under 120)",
                                 tk->id, n);
            n = chars(tk->how.s[LANG_NL]);
            if (n > 400)
                content_diag_add(advice, e->file, tk->line,
                                 "task '%s' how is %zu characters; two or three short sentences "
                                 "(under 400) are easier to read",
                                 tk->id, n);
        }
    }
}
