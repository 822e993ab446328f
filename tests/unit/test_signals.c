/* Early signals in the shipped content: every rule has a case that fires it and one that does
 * not, and a rule without cases here fails the test.  usage: test_signals CONTENT_DIR */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "content/content.h"
#include "content/overview.h"

static const char *DIR_;
static content *C;

typedef struct {
    const char *event, *signal;
    const char *fires; /* "question=answer,..." */
    const char *quiet; /* answers with which it does not fire */
} signal_case;

/* Content-wide signals are tested through an event whose answers give enough organisations. */
static const signal_case cases[] = {
    {"moving", "low_income_family_move", "low_income=yes,children=yes",
     "low_income=no,children=yes"},
    {"moving", "low_income_family_move", "low_income=unknown,children=yes",
     "low_income=yes,children=no"},
    {"ill_student", "illness_study_income", "study_plan=pause,had_job=yes,job_ended=yes",
     "study_plan=continue,had_job=yes,job_ended=yes"},
    {"ill_student", "illness_study_income", "study_plan=stop,had_job=unknown,job_ended=unknown",
     "study_plan=stop,had_job=no"},
    {"job_loss", "not_enough_money", "enough_money=no", "enough_money=yes"},
    {"job_loss", "not_enough_money", "enough_money=unknown", "enough_money=yes"},
    {"ill_worker", "ill_contract_income", "work_type=employee,contract_ends=yes,income_lower=yes",
     "work_type=employee,contract_ends=yes,income_lower=no"},
    {"ill_worker", "ill_contract_income",
     "work_type=agency,contract_ends=yes,long_ill=no,income_lower=unknown",
     "work_type=employee,contract_ends=no,income_lower=yes"},
    {"ill_worker", "ill_contract_income", NULL, "work_type=ww,income_lower=yes"},
    {"ill_worker", "ill_self_employed_income",
     "work_type=self_employed,long_ill=yes,income_lower=yes",
     "work_type=self_employed,long_ill=no,income_lower=yes"},
    {"ill_worker", "ill_self_employed_income",
     "work_type=self_employed,long_ill=unknown,income_lower=unknown",
     "work_type=employee,contract_ends=no,long_ill=yes,income_lower=yes"},
    {"baby", "baby_alone_low_income", "relationship=single,low_income=yes",
     "relationship=single,low_income=no"},
    {"baby", "baby_alone_low_income", "relationship=single,born=no,low_income=unknown",
     "relationship=not_married,low_income=yes"},
    {"baby", "baby_alone_low_income", NULL, "relationship=married,low_income=yes"},
    {"death", "partner_children", "relation=partner,children=yes", "relation=partner,children=no"},
    {"death", "partner_children", NULL, "relation=partner,children=unknown"},
    {"death", "partner_children", NULL, "relation=parent"},
    {"newcomer", "newcomer_children_no_home",
     "origin=refugee,has_address=no,working=no,children=yes",
     "origin=refugee,has_address=yes,working=no,children=yes"},
    {"newcomer", "newcomer_children_no_home",
     "origin=ukraine,has_address=unknown,working=yes,children=yes",
     "origin=ukraine,has_address=no,working=yes,children=no"},
    {"newcomer", "newcomer_children_no_home",
     "origin=eu,long_stay=yes,has_address=no,working=yes,children=yes",
     "origin=eu,long_stay=yes,has_address=no,working=yes,children=unknown"},
    {"money_worries", "arrears_lower_income", "arrears=rent,income_dropped=yes",
     "arrears=rent,income_dropped=no"},
    {"money_worries", "arrears_lower_income", "arrears=energy,income_dropped=yes",
     "arrears=energy,income_dropped=unknown"},
    {"money_worries", "arrears_lower_income", "arrears=both,income_dropped=yes",
     "arrears=none,arrears_insurance=yes,income_dropped=yes"},
    {"money_worries", "arrears_lower_income", NULL, "arrears=unknown,income_dropped=yes"},
    {"money_worries", "eviction_or_disconnection", "letter=eviction", "letter=bailiff"},
    {"money_worries", "eviction_or_disconnection",
     "arrears=none,letter=disconnection,income_dropped=no", "letter=none"},
    {"money_worries", "eviction_or_disconnection", NULL, "letter=unknown"},
    {"turning18", "young_alone_no_income", "study=none,work=no,with_parents=no",
     "study=none,work=no,with_parents=yes"},
    {"turning18", "young_alone_no_income", "study=none,work=unknown,with_parents=no",
     "study=mbo,work=no,with_parents=no"},
    {"turning18", "young_alone_no_income", NULL, "study=none,work=yes,with_parents=no"},
    {"turning18", "young_alone_no_income", NULL, "study=none,work=no,with_parents=unknown"},
    {"divorce", "separation_children_money", "children=yes,enough_income=no",
     "children=yes,enough_income=yes"},
    {"divorce", "separation_children_money", "children=yes,enough_income=unknown",
     "children=no,enough_income=no"},
    {"retire", "partial_aow_no_pension", "always_nl=no,work_pension=no",
     "always_nl=yes,work_pension=no"},
    {"retire", "partial_aow_no_pension", "always_nl=unknown,work_pension=unknown",
     "always_nl=no,work_pension=yes"},
    {"carer", "carer_overload", "many_hours=yes,day_and_night=yes,municipality_help=no",
     "many_hours=no,day_and_night=yes,municipality_help=no"},
    {"carer", "carer_overload", "many_hours=yes,day_and_night=unknown,municipality_help=unknown",
     "many_hours=yes,day_and_night=yes,municipality_help=yes"},
    {"carer", "carer_overload", NULL, "many_hours=yes,day_and_night=no,municipality_help=no"},
    {"business", "benefit_and_business", "benefit=uwv", "benefit=none"},
    {"business", "benefit_and_business", "benefit=bijstand",
     "form=eenmanszaak,benefit=none,location=home,staff=no"},
    /* many organisations: ill student with a job that ended and no care allowance involves the
     * school, UWV, Toeslagen, the insurer and the municipality; renting with rent allowance and
     * a higher income involves two */
    {"ill_student", "many_organisations",
     "student_finance=yes,study_plan=continue,had_job=yes,job_ended=yes,care_allowance=no", NULL},
    {"moving", "many_organisations", NULL,
     "renting=yes,rent_allowance=yes,low_income=no,children=no"},
};

static void answers_from(const life_event *e, const char *spec, int answers[])
{
    for (int i = 0; i < CONTENT_MAX_QUESTIONS; i++)
        answers[i] = -1;
    char buf[512];
    snprintf(buf, sizeof buf, "%s", spec);
    char *save = NULL;
    for (char *kv = strtok_r(buf, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(kv, '=');
        assert_non_null(eq);
        *eq = '\0';
        int q = -1;
        for (int i = 0; i < e->n_questions; i++)
            if (!strcmp(e->questions[i].id, kv))
                q = i;
        if (q < 0)
            fprintf(stderr, "%s: no question '%s'\n", e->id, kv);
        assert_true(q >= 0);
        answers[q] = question_option_index(&e->questions[q], eq + 1);
        assert_true(answers[q] >= 0);
    }
}

static bool fires(const char *event, const char *signal, const char *spec)
{
    const life_event *e = &C->events[content_find_event(C, event)];
    int answers[CONTENT_MAX_QUESTIONS];
    civil_date dates[CONTENT_MAX_QUESTIONS] = {0};
    answers_from(e, spec, answers);
    overview ov;
    overview_build(e, answers, dates, (civil_date){2026, 11, 28}, &ov);
    overview_signals(C, e, answers, &ov);
    for (int k = 0; k < ov.n_signals; k++)
        if (!strcmp(overview_signal_id(C, e, &ov.signals[k]), signal))
            return true;
    return false;
}

static void every_case_behaves(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const signal_case *sc = &cases[i];
        assert_true(content_find_event(C, sc->event) >= 0);
        if (sc->fires && !fires(sc->event, sc->signal, sc->fires)) {
            fprintf(stderr, "%s/%s should fire with %s\n", sc->event, sc->signal, sc->fires);
            fail();
        }
        if (sc->quiet && fires(sc->event, sc->signal, sc->quiet)) {
            fprintf(stderr, "%s/%s should not fire with %s\n", sc->event, sc->signal, sc->quiet);
            fail();
        }
    }
}

static bool covered(const char *signal, bool need_fire, bool need_quiet)
{
    bool f = false, q = false;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (!strcmp(cases[i].signal, signal)) {
            f |= cases[i].fires != NULL;
            q |= cases[i].quiet != NULL;
        }
    return (!need_fire || f) && (!need_quiet || q);
}

static void every_rule_has_cases(void **state)
{
    (void)state;
    int missing = 0;
    for (int i = 0; i < C->n_events; i++)
        for (int k = 0; k < C->events[i].n_signals; k++)
            if (!covered(C->events[i].signals[k].id, true, true)) {
                fprintf(stderr, "signal %s/%s has no test case here\n", C->events[i].id,
                        C->events[i].signals[k].id);
                missing++;
            }
    for (int k = 0; k < C->n_signals; k++)
        if (!covered(C->signals[k].id, true, true)) {
            fprintf(stderr, "signal %s has no test case here\n", C->signals[k].id);
            missing++;
        }
    assert_int_equal(missing, 0);
}

static int setup(void **state)
{
    (void)state;
    content_diag d = {0};
    C = content_load_dir(DIR_, &d);
    if (!C)
        fprintf(stderr, "%s", d.text ? d.text : "content did not load\n");
    content_diag_free(&d);
    return C ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    content_free(C);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_signals CONTENT_DIR\n");
        return 2;
    }
    DIR_ = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_case_behaves),
        cmocka_unit_test(every_rule_has_cases),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
