/* A small, valid content set used by the unit tests. */
#ifndef LOKET_TEST_FIXTURE_H
#define LOKET_TEST_FIXTURE_H

#include "content/content.h"

static const char FIXTURE_ORGS[] = "organisations:\n"
                                   "  - id: gemeente\n"
                                   "    name: {nl: Uw gemeente, en: Your municipality}\n"
                                   "    about: {nl: Voor uw adres., en: For your address.}\n"
                                   "    from_site: true\n"
                                   "  - id: toeslagen\n"
                                   "    name: {nl: Toeslagen, en: Benefits}\n"
                                   "    about: {nl: Voor toeslagen., en: For allowances.}\n"
                                   "    phone: \"0800 0543\"\n"
                                   "    website: www.toeslagen.nl\n"
                                   "  - id: uwv\n"
                                   "    name: {nl: UWV, en: UWV}\n"
                                   "    about: {nl: Werk., en: Work.}\n"
                                   "    website: www.uwv.nl\n";

/* moving: date -> renting (yes/no/unknown) -> income (asked only when renting=yes) */
static const char FIXTURE_MOVING[] =
    "id: moving\n"
    "order: 10\n"
    "icon: moving\n"
    "title: {nl: Ik ga verhuizen, en: I am moving}\n"
    "questions:\n"
    "  - id: move_date\n"
    "    type: date\n"
    "    text: {nl: Wanneer verhuist u?, en: When do you move?}\n"
    "    moment: {nl: de verhuizing, en: the move}\n"
    "  - id: renting\n"
    "    type: yesno\n"
    "    text: {nl: Gaat u huren?, en: Will you rent?}\n"
    "  - id: income\n"
    "    type: choice\n"
    "    text: {nl: Hoe hoog is uw inkomen?, en: What is your income?}\n"
    "    choices:\n"
    "      - id: low\n"
    "        text: {nl: Laag, en: Low}\n"
    "      - id: other\n"
    "        text: {nl: Anders, en: Other}\n"
    "    when: {renting: yes}\n"
    "tasks:\n"
    "  - id: report\n"
    "    org: gemeente\n"
    "    text: {nl: Geef uw adres door., en: Report your address.}\n"
    "    deadline: {after: move_date, days: 5}\n"
    "  - id: rent_benefit\n"
    "    org: toeslagen\n"
    "    text: {nl: Vraag huurtoeslag aan., en: Apply for rent benefit.}\n"
    "    deadline: {after: move_date, weeks: 4}\n"
    "    when: {renting: yes, income: [low, unknown]}\n"
    "  - id: remission\n"
    "    org: gemeente\n"
    "    text: {nl: Vraag kwijtschelding., en: Ask for remission.}\n"
    "    deadline: {asap: true}\n"
    "    when: {income: low}\n"
    "  - id: months\n"
    "    org: uwv\n"
    "    text: {nl: Kijk na een maand., en: Check after a month.}\n"
    "    deadline: {after: move_date, months: 1}\n"
    "    when: {renting: no}\n";

static const char FIXTURE_JOB[] = "id: job_loss\n"
                                  "order: 5\n"
                                  "icon: job_loss\n"
                                  "title: {nl: Ik verlies mijn baan}\n"
                                  "questions:\n"
                                  "  - id: worked\n"
                                  "    type: yesno\n"
                                  "    text: {nl: Werkte u lang genoeg?}\n"
                                  "tasks:\n"
                                  "  - id: register\n"
                                  "    org: uwv\n"
                                  "    text: {nl: Schrijf u in als werkzoekende.}\n";

/* Builds the fixture; aborts the test on failure. */
static inline content *fixture_content(void)
{
    content *c = content_new();
    content_diag d = {0};
    bool ok =
        content_parse_orgs(c, "organisations.yaml", FIXTURE_ORGS, sizeof FIXTURE_ORGS - 1, &d) &&
        content_parse_event(c, "events/moving.yaml", FIXTURE_MOVING, sizeof FIXTURE_MOVING - 1,
                            &d) &&
        content_parse_event(c, "events/job.yaml", FIXTURE_JOB, sizeof FIXTURE_JOB - 1, &d) &&
        content_validate(c, &d);
    if (!ok) {
        fprintf(stderr, "fixture does not load:\n%s", d.text ? d.text : "");
        abort();
    }
    content_diag_free(&d);
    return c;
}

#endif
