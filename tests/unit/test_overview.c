/* Dates and the overview builder: deadlines from an event date, across month and year ends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "content/date.h"
#include "content/overview.h"
#include "core/phrases.h"
#include "fixture.h"

static civil_date D(int y, int m, int d)
{
    return (civil_date){y, m, d};
}

static void assert_date(civil_date got, civil_date want)
{
    if (date_cmp(got, want) != 0) {
        fprintf(stderr, "got %04d-%02d-%02d, want %04d-%02d-%02d\n", got.y, got.m, got.d, want.y,
                want.m, want.d);
        fail();
    }
}

static void days_cross_month_and_year(void **state)
{
    (void)state;
    assert_date(date_add_days(D(2026, 1, 30), 5), D(2026, 2, 4));
    assert_date(date_add_days(D(2026, 12, 29), 5), D(2027, 1, 3));
    assert_date(date_add_days(D(2028, 2, 26), 5), D(2028, 3, 2)); /* leap year */
    assert_date(date_add_days(D(2027, 2, 26), 5), D(2027, 3, 3));
    assert_date(date_add_days(D(2026, 1, 10), -28), D(2025, 12, 13));
    assert_date(date_add_days(D(2100, 2, 28), 1), D(2100, 3, 1));  /* 2100 is no leap year */
    assert_date(date_add_days(D(2000, 2, 28), 1), D(2000, 2, 29)); /* 2000 is */
    assert_int_equal(date_to_days(D(1970, 1, 1)), 0);
    assert_date(date_from_days(date_to_days(D(2026, 11, 28))), D(2026, 11, 28));
}

static void months_clamp_to_month_end(void **state)
{
    (void)state;
    assert_date(date_add_months(D(2027, 1, 31), 1), D(2027, 2, 28));
    assert_date(date_add_months(D(2028, 1, 31), 1), D(2028, 2, 29));
    assert_date(date_add_months(D(2026, 11, 30), 3), D(2027, 2, 28));
    assert_date(date_add_months(D(2026, 12, 15), 1), D(2027, 1, 15));
    assert_date(date_add_months(D(2026, 1, 15), -1), D(2025, 12, 15));
    assert_date(date_add_months(D(2026, 3, 31), -1), D(2026, 2, 28));
}

static void weekdays_and_validity(void **state)
{
    (void)state;
    assert_int_equal(date_weekday(D(2026, 11, 28)), 5); /* Saturday */
    assert_int_equal(date_weekday(D(2026, 11, 30)), 0); /* Monday */
    assert_true(date_valid(D(2028, 2, 29)));
    assert_false(date_valid(D(2027, 2, 29)));
    assert_false(date_valid(D(2026, 13, 1)));
    assert_false(date_valid(D(0, 0, 0)));
}

/* moving: q0 move_date, q1 renting, q2 income */
static void overview_groups_and_orders_by_urgency(void **state)
{
    (void)state;
    content *c = fixture_content();
    const life_event *e = &c->events[content_find_event(c, "moving")];
    int answers[CONTENT_MAX_QUESTIONS];
    civil_date dates[CONTENT_MAX_QUESTIONS] = {0};
    for (int i = 0; i < CONTENT_MAX_QUESTIONS; i++)
        answers[i] = -1;
    answers[0] = DATE_KNOWN;
    dates[0] = D(2026, 12, 29);
    answers[1] = YESNO_YES;
    answers[2] = 0; /* low */
    overview ov;
    overview_build(e, answers, dates, D(2026, 11, 28), &ov);
    assert_int_equal(ov.n_items, 3);
    assert_int_equal(ov.n_groups, 2);
    /* gemeente first: its "report" is due 3 January, before toeslagen's 26 January */
    assert_int_equal(ov.groups[0].org, content_find_org(c, "gemeente"));
    assert_int_equal(ov.groups[0].n_items, 2);
    assert_string_equal(e->tasks[ov.groups[0].items[0].task].id, "report");
    assert_date(ov.groups[0].items[0].due, D(2027, 1, 3));
    assert_false(ov.groups[0].items[0].overdue);
    /* "as soon as possible" comes after a dated task */
    assert_string_equal(e->tasks[ov.groups[0].items[1].task].id, "remission");
    assert_int_equal(ov.groups[0].items[1].due.y, 0);
    assert_int_equal(ov.groups[1].org, content_find_org(c, "toeslagen"));
    assert_date(ov.groups[1].items[0].due, D(2027, 1, 26));
    content_free(c);
}

static void overview_follows_answers(void **state)
{
    (void)state;
    content *c = fixture_content();
    const life_event *e = &c->events[content_find_event(c, "moving")];
    int answers[CONTENT_MAX_QUESTIONS];
    civil_date dates[CONTENT_MAX_QUESTIONS] = {0};
    for (int i = 0; i < CONTENT_MAX_QUESTIONS; i++)
        answers[i] = -1;
    answers[0] = DATE_KNOWN;
    dates[0] = D(2026, 1, 31);
    answers[1] = YESNO_NO; /* income is skipped */
    overview ov;
    overview_build(e, answers, dates, D(2026, 3, 15), &ov);
    assert_int_equal(ov.n_items, 2); /* report, months */
    const overview_item *report = &ov.groups[0].items[0];
    assert_date(report->due, D(2026, 2, 5));
    assert_true(report->overdue); /* today is past it */
    assert_int_equal(ov.groups[1].org, content_find_org(c, "uwv"));
    assert_date(ov.groups[1].items[0].due, D(2026, 2, 28)); /* 31 Jan + 1 month */
    content_free(c);
}

static void deadline_phrases(void **state)
{
    (void)state;
    content *c = fixture_content();
    const life_event *e = &c->events[content_find_event(c, "moving")];
    char buf[256];
    overview_item it = {.task = 0, .due = D(2026, 12, 14)};
    phrase_deadline(LANG_NL, e, &it, buf, sizeof buf);
    assert_string_equal(buf, "Doe dit uiterlijk op 14 december 2026.");
    it.overdue = true;
    phrase_deadline(LANG_NL, e, &it, buf, sizeof buf);
    assert_string_equal(buf, "Dit moest vóór 14 december 2026. Doe het nu zo snel mogelijk.");
    overview_item unknown = {.task = 0};
    phrase_deadline(LANG_NL, e, &unknown, buf, sizeof buf);
    assert_string_equal(buf, "Binnen 5 dagen na de verhuizing.");
    overview_item weeks = {.task = 1};
    phrase_deadline(LANG_NL, e, &weeks, buf, sizeof buf);
    assert_string_equal(buf, "Binnen 4 weken na de verhuizing.");
    overview_item month = {.task = 3};
    phrase_deadline(LANG_NL, e, &month, buf, sizeof buf);
    assert_string_equal(buf, "Binnen 1 maand na de verhuizing.");
    overview_item asap = {.task = 2};
    phrase_deadline(LANG_NL, e, &asap, buf, sizeof buf);
    assert_string_equal(buf, "Doe dit zo snel mogelijk.");
    content_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(days_cross_month_and_year),
        cmocka_unit_test(months_clamp_to_month_end),
        cmocka_unit_test(weekdays_and_validity),
        cmocka_unit_test(overview_groups_and_orders_by_urgency),
        cmocka_unit_test(overview_follows_answers),
        cmocka_unit_test(deadline_phrases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
