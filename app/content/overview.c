#include "content/overview.h"

#include <string.h>

#include "content/flow.h"

civil_date overview_due(const task *t, const int answers[CONTENT_MAX_QUESTIONS],
                        const civil_date dates[CONTENT_MAX_QUESTIONS])
{
    civil_date none = {0, 0, 0};
    const deadline_rule *d = &t->deadline;
    if (d->kind != DEADLINE_RELATIVE || answers[d->question] != DATE_KNOWN ||
        !date_valid(dates[d->question]))
        return none;
    civil_date base = dates[d->question];
    int n = d->before ? -d->amount : d->amount;
    switch (d->unit) {
    case UNIT_DAY:
        return date_add_days(base, n);
    case UNIT_WEEK:
        return date_add_days(base, 7L * n);
    case UNIT_MONTH:
        return date_add_months(base, n);
    }
    return none;
}

/* Urgency rank: a known date first (earliest first), then "as soon as possible", then a
 * deadline relative to an unknown date, then no deadline. */
static long urgency(const task *t, const overview_item *it)
{
    if (it->due.y)
        return date_to_days(it->due);
    switch (t->deadline.kind) {
    case DEADLINE_ASAP:
        return 10000000L;
    case DEADLINE_RELATIVE:
        return 20000000L;
    default:
        return 30000000L;
    }
}

void overview_build(const life_event *e, const int answers[CONTENT_MAX_QUESTIONS],
                    const civil_date dates[CONTENT_MAX_QUESTIONS], civil_date today, overview *out)
{
    memset(out, 0, sizeof *out);
    long group_rank[OVERVIEW_MAX_GROUPS];
    for (int t = 0; t < e->n_tasks; t++) {
        const task *tk = &e->tasks[t];
        if (!condition_holds(&tk->when, answers))
            continue;
        overview_item it = {.task = t};
        it.due = overview_due(tk, answers, dates);
        it.overdue = it.due.y && date_valid(today) && date_cmp(it.due, today) < 0;
        int g = 0;
        while (g < out->n_groups && out->groups[g].org != tk->org)
            g++;
        if (g == out->n_groups) {
            if (g == OVERVIEW_MAX_GROUPS)
                continue; /* the validator bounds tasks; more groups than this cannot occur */
            out->groups[g].org = tk->org;
            group_rank[g] = 40000000L;
            out->n_groups++;
        }
        overview_group *grp = &out->groups[g];
        /* insertion sort by urgency, stable for equal ranks (content order) */
        long r = urgency(tk, &it);
        int pos = grp->n_items;
        while (pos > 0 && urgency(&e->tasks[grp->items[pos - 1].task], &grp->items[pos - 1]) > r) {
            grp->items[pos] = grp->items[pos - 1];
            pos--;
        }
        grp->items[pos] = it;
        grp->n_items++;
        if (r < group_rank[g])
            group_rank[g] = r;
        out->n_items++;
    }
    /* order groups by their most urgent task (stable) */
    for (int i = 1; i < out->n_groups; i++) {
        overview_group tmp = out->groups[i];
        long r = group_rank[i];
        int j = i;
        while (j > 0 && group_rank[j - 1] > r) {
            out->groups[j] = out->groups[j - 1];
            group_rank[j] = group_rank[j - 1];
            j--;
        }
        out->groups[j] = tmp;
        group_rank[j] = r;
    }
}

void overview_signals(const content *c, const life_event *e,
                      const int answers[CONTENT_MAX_QUESTIONS], overview *ov)
{
    ov->n_signals = 0;
    for (int k = 0; k < e->n_signals; k++)
        if (condition_holds(&e->signals[k].when, answers))
            ov->signals[ov->n_signals++] = (overview_signal){false, k};
    for (int k = 0; c && k < c->n_signals; k++)
        if (c->signals[k].min_organisations > 0 && ov->n_groups >= c->signals[k].min_organisations)
            ov->signals[ov->n_signals++] = (overview_signal){true, k};
}

const ltext *overview_signal_text(const content *c, const life_event *e, const overview_signal *sg)
{
    return sg->global ? &c->signals[sg->index].text : &e->signals[sg->index].text;
}

const char *overview_signal_id(const content *c, const life_event *e, const overview_signal *sg)
{
    return sg->global ? c->signals[sg->index].id : e->signals[sg->index].id;
}
