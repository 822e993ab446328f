/* The question flow of one life event: which question comes next, given the answers so far.
 * answers[i] is an option index of question i, or -1 when not (yet) answered or skipped. */
#ifndef LOKET_FLOW_H
#define LOKET_FLOW_H

#include <stdbool.h>

#include "content/content.h"

bool condition_holds(const condition *c, const int answers[CONTENT_MAX_QUESTIONS]);
/* The first question at index >= from whose condition holds; e->n_questions when none. */
int flow_next_question(const life_event *e, const int answers[CONTENT_MAX_QUESTIONS], int from);

#endif
