#include "core/phrases.h"

#include <stdio.h>

#include "core/i18n.h"

void phrase_deadline(lang_id lang, const life_event *e, const overview_item *it, char *buf,
                     size_t cap)
{
    const task *t = &e->tasks[it->task];
    const deadline_rule *d = &t->deadline;
    buf[0] = '\0';
    if (d->kind == DEADLINE_NONE)
        return;
    if (d->kind == DEADLINE_ASAP) {
        snprintf(buf, cap, "%s", tr(lang, "Doe dit zo snel mogelijk."));
        return;
    }
    if (it->due.y) {
        char date[64];
        i18n_format_date(lang, it->due, date, sizeof date);
        if (it->overdue)
            /* TRANSLATORS: %s is a date that has already passed */
            snprintf(buf, cap, tr(lang, "Dit moest vóór %s. Doe het nu zo snel mogelijk."), date);
        else
            /* TRANSLATORS: %s is a date: the last day to do this */
            snprintf(buf, cap, tr(lang, "Doe dit uiterlijk op %s."), date);
        return;
    }
    const char *moment = ltext_get(&e->questions[d->question].moment, lang);
    unsigned long n = (unsigned long)d->amount;
    const char *fmt;
    switch (d->unit) {
    case UNIT_DAY:
        fmt = d->before ? trn(lang, "Uiterlijk %lu dag voor %s.", "Uiterlijk %lu dagen voor %s.", n)
                        : trn(lang, "Binnen %lu dag na %s.", "Binnen %lu dagen na %s.", n);
        break;
    case UNIT_WEEK:
        fmt = d->before
                  ? trn(lang, "Uiterlijk %lu week voor %s.", "Uiterlijk %lu weken voor %s.", n)
                  : trn(lang, "Binnen %lu week na %s.", "Binnen %lu weken na %s.", n);
        break;
    default:
        fmt = d->before
                  ? trn(lang, "Uiterlijk %lu maand voor %s.", "Uiterlijk %lu maanden voor %s.", n)
                  : trn(lang, "Binnen %lu maand na %s.", "Binnen %lu maanden na %s.", n);
        break;
    }
    snprintf(buf, cap, fmt, n, moment);
}

void phrase_answer(lang_id lang, const question *q, int option, civil_date date, char *buf,
                   size_t cap)
{
    buf[0] = '\0';
    if (option < 0)
        return;
    switch (q->kind) {
    case QUESTION_YESNO:
        snprintf(buf, cap, "%s",
                 option == YESNO_YES  ? tr(lang, "Ja")
                 : option == YESNO_NO ? tr(lang, "Nee")
                                      : tr(lang, "Ik weet het niet"));
        break;
    case QUESTION_DATE:
        if (option == DATE_KNOWN)
            i18n_format_date(lang, date, buf, cap);
        else
            snprintf(buf, cap, "%s", tr(lang, "Ik weet het niet"));
        break;
    case QUESTION_CHOICE:
        if (option < q->n_choices)
            snprintf(buf, cap, "%s", ltext_get(&q->choices[option].text, lang));
        else
            snprintf(buf, cap, "%s", tr(lang, "Ik weet het niet"));
        break;
    }
}
