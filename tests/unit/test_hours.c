/* The desk's opening hours (handoff.hours): parsed as a technician writes them; open and
 * closed at the edges of every period. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/hours.h"

enum { MON, TUE, WED, THU, FRI, SAT, SUN };

static void empty_means_always(void **state)
{
    (void)state;
    hours h;
    char err[160];
    assert_true(hours_parse("", &h, err, sizeof err));
    assert_true(hours_open(&h, SUN, 3 * 60));
    assert_true(hours_parse("   ", &h, err, sizeof err));
    assert_true(hours_open(&h, MON, 0));
}

static void dutch_days_ranges_and_periods(void **state)
{
    (void)state;
    hours h;
    char err[160];
    assert_true(hours_parse("ma-vr 09:00-12:30, 13:30-17:00; za 10:00-13:00", &h, err, sizeof err));
    assert_int_equal(h.n, 3);
    assert_false(hours_open(&h, MON, 8 * 60 + 59));
    assert_true(hours_open(&h, MON, 9 * 60));
    assert_true(hours_open(&h, FRI, 12 * 60 + 29));
    assert_false(hours_open(&h, FRI, 12 * 60 + 30)); /* lunch */
    assert_true(hours_open(&h, WED, 13 * 60 + 30));
    assert_false(hours_open(&h, THU, 17 * 60)); /* the end is not included */
    assert_true(hours_open(&h, SAT, 10 * 60));
    assert_false(hours_open(&h, SAT, 13 * 60));
    assert_false(hours_open(&h, SUN, 11 * 60));
    assert_false(hours_open(&h, 7, 11 * 60));
    assert_false(hours_open(&h, -1, 11 * 60));
}

static void english_days_wrap_and_midnight(void **state)
{
    (void)state;
    hours h;
    char err[160];
    assert_true(hours_parse("Sat-Mon 20:00-24:00;tue 00:00-01:00", &h, err, sizeof err));
    assert_true(hours_open(&h, SAT, 23 * 60 + 59));
    assert_true(hours_open(&h, SUN, 20 * 60));
    assert_true(hours_open(&h, MON, 22 * 60));
    assert_false(hours_open(&h, WED, 22 * 60));
    assert_true(hours_open(&h, TUE, 0));
    assert_false(hours_open(&h, TUE, 60));
}

static void mistakes_are_named(void **state)
{
    (void)state;
    hours h;
    char err[160];
    assert_false(hours_parse("maandag 09:00-17:00", &h, err, sizeof err));
    assert_non_null(strstr(err, "day name"));
    assert_false(hours_parse("ma-xx 09:00-17:00", &h, err, sizeof err));
    assert_non_null(strstr(err, "after '-'"));
    assert_false(hours_parse("ma 9:00-17:00", &h, err, sizeof err));
    assert_non_null(strstr(err, "09:00-17:00"));
    assert_false(hours_parse("ma 17:00-09:00", &h, err, sizeof err));
    assert_non_null(strstr(err, "ends before"));
    assert_false(hours_parse("ma 09:00-25:00", &h, err, sizeof err));
    assert_false(hours_parse("ma 09:60-10:00", &h, err, sizeof err));
    assert_false(hours_parse("ma 09:00-10:00 di 09:00-10:00", &h, err, sizeof err));
    assert_non_null(strstr(err, "';'"));
    assert_false(hours_parse("ma 09:00-", &h, err, sizeof err));
    char many[2048] = "ma ";
    for (int i = 0; i < HOURS_MAX_PERIODS + 1; i++) {
        char p[16];
        snprintf(p, sizeof p, "%s%02d:00-%02d:30", i ? "," : "", i % 24, i % 24);
        strcat(many, p);
    }
    assert_false(hours_parse(many, &h, err, sizeof err));
    assert_non_null(strstr(err, "more than"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_means_always),
        cmocka_unit_test(dutch_days_ranges_and_periods),
        cmocka_unit_test(english_days_wrap_and_midnight),
        cmocka_unit_test(mistakes_are_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
