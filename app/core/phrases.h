/* Sentences built from content and answers, shared by the screen, the slip and speech. */
#ifndef LOKET_PHRASES_H
#define LOKET_PHRASES_H

#include <stddef.h>

#include "content/content.h"
#include "content/overview.h"
#include "core/lang.h"

/* "Doe dit vóór 14 december 2026", "Binnen 5 dagen na de verhuizing", "Doe dit zo snel
 * mogelijk", or "" when the task has no deadline. */
void phrase_deadline(lang_id lang, const life_event *e, const overview_item *it, char *buf,
                     size_t cap);
/* The answer to question q as the citizen chose it ("Ja", "14 december 2026", a choice). */
void phrase_answer(lang_id lang, const question *q, int option, civil_date date, char *buf,
                   size_t cap);

#endif
