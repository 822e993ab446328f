/* The personal overview: the tasks that apply to the citizen's answers, grouped by organisation,
 * most urgent first, with deadlines computed from the dates the citizen gave. */
#ifndef LOKET_OVERVIEW_H
#define LOKET_OVERVIEW_H

#include "content/content.h"
#include "content/date.h"

#define OVERVIEW_MAX_GROUPS 16

typedef struct {
    int task;       /* index into the life event's tasks */
    civil_date due; /* RELATIVE with a known date: the last day; else {0} */
    bool overdue;   /* due is before today */
} overview_item;

typedef struct {
    int org; /* index into content.orgs */
    int n_items;
    overview_item items[CONTENT_MAX_TASKS];
} overview_group;

/* A signal that fired: an event signal (index into the event's signals) or a content-wide one
 * (index into content.signals). */
typedef struct {
    bool global;
    int index;
} overview_signal;

typedef struct {
    int n_groups;
    overview_group groups[OVERVIEW_MAX_GROUPS];
    int n_items;
    int n_signals;
    overview_signal signals[2 * CONTENT_MAX_SIGNALS];
} overview;

/* answers[i]: option index or -1; dates[i]: the date of date question i (if answered known). */
void overview_build(const life_event *e, const int answers[CONTENT_MAX_QUESTIONS],
                    const civil_date dates[CONTENT_MAX_QUESTIONS], civil_date today, overview *out);

/* Adds the signals that fire for these answers and this overview (call after
 * overview_build). */
void overview_signals(const content *c, const life_event *e,
                      const int answers[CONTENT_MAX_QUESTIONS], overview *ov);
/* The reason of a fired signal, in plain words. */
const ltext *overview_signal_text(const content *c, const life_event *e, const overview_signal *sg);
/* The id of a fired signal. */
const char *overview_signal_id(const content *c, const life_event *e, const overview_signal *sg);

/* The deadline of one task for the given dates; {0} if none or the date is unknown. */
civil_date overview_due(const task *t, const int answers[CONTENT_MAX_QUESTIONS],
                        const civil_date dates[CONTENT_MAX_QUESTIONS]);

#endif
