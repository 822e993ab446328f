#include "content/flow.h"

bool condition_holds(const condition *c, const int answers[CONTENT_MAX_QUESTIONS])
{
    for (int i = 0; i < c->n_terms; i++) {
        int a = answers[c->terms[i].question];
        if (a < 0 || !(c->terms[i].accepted & (1u << a)))
            return false;
    }
    return true;
}

int flow_next_question(const life_event *e, const int answers[CONTENT_MAX_QUESTIONS], int from)
{
    for (int i = from < 0 ? 0 : from; i < e->n_questions; i++)
        if (condition_holds(&e->questions[i].when, answers))
            return i;
    return e->n_questions;
}
