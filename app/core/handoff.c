#include "core/handoff.h"

#include <stdio.h>
#include <string.h>

#include "content/overview.h"

void handoff_request_build(const content *c, const journey *j, const char *kiosk_id,
                           uint32_t request, handoff_request *out)
{
    memset(out, 0, sizeof *out);
    out->request = request;
    snprintf(out->kiosk_id, sizeof out->kiosk_id, "%s", kiosk_id);
    snprintf(out->screen, sizeof out->screen, "%s", screen_name(j->screen));
    snprintf(out->lang, sizeof out->lang, "%s", lang_get(j->lang)->code);
    if (!c || j->event < 0 || j->event >= c->n_events)
        return;
    const life_event *e = &c->events[j->event];
    snprintf(out->event_id, sizeof out->event_id, "%s", e->id);
    for (int i = 0; i < e->n_questions; i++) {
        int a = j->answers[i];
        if (a < 0)
            continue;
        const question *q = &e->questions[i];
        char *dst = out->answers[out->n_answers].answer;
        size_t cap = sizeof out->answers[0].answer;
        snprintf(out->answers[out->n_answers].question, sizeof out->answers[0].question, "%s",
                 q->id);
        if (q->kind == QUESTION_DATE && a == DATE_KNOWN)
            snprintf(dst, cap, "%04d-%02d-%02d", j->dates[i].y, j->dates[i].m, j->dates[i].d);
        else if (q->kind == QUESTION_DATE)
            snprintf(dst, cap, "unknown");
        else if (q->kind == QUESTION_YESNO)
            snprintf(dst, cap, "%s", a == YESNO_YES ? "yes" : a == YESNO_NO ? "no" : "unknown");
        else
            snprintf(dst, cap, "%s", a < q->n_choices ? q->choices[a].id : "unknown");
        out->n_answers++;
    }
    overview ov;
    overview_build(e, j->answers, j->dates, j->today, &ov);
    overview_signals(c, e, j->answers, &ov);
    for (int k = 0; k < ov.n_signals; k++)
        snprintf(out->signals[out->n_signals++], sizeof out->signals[0], "%s",
                 overview_signal_id(c, e, &ov.signals[k]));
    explicit_bzero(&ov, sizeof ov);
}
