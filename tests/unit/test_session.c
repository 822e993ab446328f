/* The session state machine: every transition, hand-off from every screen, the inactivity
 * timeout and the wipe. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/handoff.h"
#include "core/session.h"
#include "fixture.h"

static content *C;
static const civil_date TODAY = {2026, 11, 28};
enum { EV_JOB = 0, EV_MOVING = 1 };

static int setup(void **state)
{
    (void)state;
    C = fixture_content();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    content_free(C);
    return 0;
}

static effects FX;

static void act(session *s, action a)
{
    FX.n = 0;
    session_apply(s, &a, &FX);
}

static void act_k(session *s, action_kind k, int arg)
{
    act(s, (action){.kind = k, .arg = arg});
}

static void tick_to(session *s, uint64_t ms)
{
    act(s, (action){.kind = ACT_TICK, .now_ms = ms, .today = TODAY});
}

static void new_session(session *s)
{
    session_config cfg;
    session_config_defaults(&cfg);
    session_init(s, C, &cfg, 1000, TODAY);
}

/* welcome -> events -> moving -> date question */
static void to_first_question(session *s)
{
    new_session(s);
    act_k(s, ACT_START, 0);
    act_k(s, ACT_CHOOSE_EVENT, EV_MOVING);
}

static bool has_effect(effect_kind k)
{
    for (int i = 0; i < FX.n; i++)
        if (FX.items[i].kind == k)
            return true;
    return false;
}

static void starts_on_welcome_wiped(void **state)
{
    (void)state;
    session s;
    new_session(&s);
    assert_int_equal(s.screen, SCREEN_WELCOME);
    assert_true(session_is_wiped(&s));
    assert_int_equal(session_next_timer_ms(&s), UINT32_MAX); /* idle kiosk: no timers */
}

static void full_journey(void **state)
{
    (void)state;
    session s;
    to_first_question(&s);
    assert_int_equal(s.screen, SCREEN_QUESTION);
    assert_int_equal(s.data.question, 0);
    assert_int_equal(s.data.picker_y, 2026);
    assert_int_equal(s.data.picker_m, 11);
    /* a known date cannot be answered without a date */
    act_k(&s, ACT_ANSWER, DATE_KNOWN);
    assert_int_equal(s.data.question, 0);
    act(&s, (action){.kind = ACT_PICK_DATE, .today = {2026, 12, 29}});
    assert_int_equal(s.data.question, 1);
    act_k(&s, ACT_ANSWER, YESNO_YES);
    assert_int_equal(s.data.question, 2); /* income: asked because renting = yes */
    act_k(&s, ACT_ANSWER, 0);             /* low */
    assert_int_equal(s.screen, SCREEN_OVERVIEW);
    assert_int_equal(s.data.ov.n_items, 3);
    act_k(&s, ACT_TO_NEXT_STEP, 0);
    assert_int_equal(s.screen, SCREEN_NEXT_STEP);
    act_k(&s, ACT_PRINT, 0);
    assert_true(has_effect(EFFECT_PRINT));
    assert_int_equal(FX.items[0].journey.answers[1], YESNO_YES);
    assert_int_equal(FX.items[0].journey.dates[0].d, 29);
    uint32_t req = FX.items[0].request;
    assert_int_equal(s.data.print, PRINT_BUSY);
    act_k(&s, ACT_PRINT, 0); /* no second job while one is busy */
    assert_int_equal(FX.n, 0);
    act(&s, (action){.kind = ACT_PRINT_RESULT, .arg = (int)req + 7, .ok = true}); /* stale */
    assert_int_equal(s.data.print, PRINT_BUSY);
    act(&s, (action){.kind = ACT_PRINT_RESULT, .arg = (int)req, .ok = true});
    assert_int_equal(s.data.print, PRINT_DONE);
    act_k(&s, ACT_DONE, 0);
    assert_int_equal(s.screen, SCREEN_GOODBYE);
    assert_true(has_effect(EFFECT_SESSION_ENDED));
    assert_true(session_is_wiped(&s)); /* wiped on arrival at goodbye */
    tick_to(&s, s.now_ms + 14000);
    assert_int_equal(s.screen, SCREEN_GOODBYE);
    tick_to(&s, s.now_ms + 2000);
    assert_int_equal(s.screen, SCREEN_WELCOME);
}

static void goodbye_in_the_citizens_language(void **state)
{
    (void)state;
    session s;
    to_first_question(&s);
    act_k(&s, ACT_SET_LANG, LANG_EN);
    act_k(&s, ACT_ANSWER, DATE_UNKNOWN);
    act_k(&s, ACT_DONE, 0);
    assert_int_equal(s.screen, SCREEN_GOODBYE);
    assert_int_equal(s.data.j.lang, LANG_EN);
    assert_int_equal(s.data.j.answers[0], -1); /* the rest is gone */
    assert_int_equal(s.data.j.event, -1);
    act_k(&s, ACT_RESTART, 0);
    assert_int_equal(s.screen, SCREEN_WELCOME);
    assert_true(session_is_wiped(&s)); /* Dutch again for the next citizen */
}

static void skipped_question_and_failed_print(void **state)
{
    (void)state;
    session s;
    to_first_question(&s);
    act_k(&s, ACT_ANSWER, DATE_UNKNOWN);
    act_k(&s, ACT_ANSWER, YESNO_NO); /* income is skipped */
    assert_int_equal(s.screen, SCREEN_OVERVIEW);
    assert_int_equal(s.data.j.answers[2], -1);
    act_k(&s, ACT_TO_NEXT_STEP, 0);
    act_k(&s, ACT_PRINT, 0);
    act(&s, (action){.kind = ACT_PRINT_RESULT, .arg = (int)FX.items[0].request, .ok = false});
    assert_int_equal(s.data.print, PRINT_FAILED);
    act_k(&s, ACT_PRINT, 0); /* a retry is possible */
    assert_true(has_effect(EFFECT_PRINT));
}

static void no_printer_means_no_print(void **state)
{
    (void)state;
    session s;
    session_config cfg;
    session_config_defaults(&cfg);
    cfg.has_printer = false;
    session_init(&s, C, &cfg, 0, TODAY);
    act_k(&s, ACT_START, 0);
    act_k(&s, ACT_CHOOSE_EVENT, EV_JOB);
    act_k(&s, ACT_ANSWER, YESNO_YES);
    act_k(&s, ACT_TO_NEXT_STEP, 0);
    assert_int_equal(s.data.print, PRINT_UNAVAILABLE);
    act_k(&s, ACT_PRINT, 0);
    assert_int_equal(FX.n, 0);
}

/* A printer that cannot print the citizen's language gets the slip in Dutch, and the state
 * says so (the screen tells the citizen before and after). */
static void back_from_every_screen(void **state)
{
    (void)state;
    session s;
    to_first_question(&s);
    act(&s, (action){.kind = ACT_PICK_DATE, .today = {2026, 12, 1}});
    act_k(&s, ACT_ANSWER, YESNO_YES);
    act_k(&s, ACT_ANSWER, 1);
    act_k(&s, ACT_TO_NEXT_STEP, 0);
    act_k(&s, ACT_BACK, 0); /* next step -> overview */
    assert_int_equal(s.screen, SCREEN_OVERVIEW);
    act_k(&s, ACT_BACK, 0); /* overview -> last question, answer kept */
    assert_int_equal(s.screen, SCREEN_QUESTION);
    assert_int_equal(s.data.question, 2);
    assert_int_equal(s.data.j.answers[2], 1);
    act_k(&s, ACT_BACK, 0);
    assert_int_equal(s.data.question, 1);
    act_k(&s, ACT_BACK, 0);
    assert_int_equal(s.data.question, 0);
    /* the date picker opens on the month of the date given */
    assert_int_equal(s.data.picker_m, 12);
    act_k(&s, ACT_BACK, 0); /* first question -> life events */
    assert_int_equal(s.screen, SCREEN_EVENTS);
    assert_int_equal(s.data.j.event, -1);
    act_k(&s, ACT_BACK, 0); /* life events -> welcome, wiped */
    assert_int_equal(s.screen, SCREEN_WELCOME);
    assert_true(session_is_wiped(&s));
    /* goodbye: back means "start again" */
    to_first_question(&s);
    act_k(&s, ACT_DONE, 0);
    act_k(&s, ACT_BACK, 0);
    assert_int_equal(s.screen, SCREEN_WELCOME);
}

static void changed_answer_forgets_later_ones(void **state)
{
    (void)state;
    session s;
    to_first_question(&s);
    act_k(&s, ACT_ANSWER, DATE_UNKNOWN);
    act_k(&s, ACT_ANSWER, YESNO_YES);
    act_k(&s, ACT_ANSWER, 0);
    act_k(&s, ACT_BACK, 0);
    act_k(&s, ACT_BACK, 0); /* renting */
    act_k(&s, ACT_ANSWER, YESNO_NO);
    assert_int_equal(s.screen, SCREEN_OVERVIEW);
    assert_int_equal(s.data.j.answers[2], -1); /* income no longer counts */
    for (int i = 0; i < s.data.ov.n_groups; i++)
        for (int k = 0; k < s.data.ov.groups[i].n_items; k++)
            assert_string_not_equal(
                C->events[EV_MOVING].tasks[s.data.ov.groups[i].items[k].task].id, "remission");
}

static void go_to(session *s, screen_id target);

static void overview_details_toggle(void **state)
{
    (void)state;
    session s;
    go_to(&s, SCREEN_OVERVIEW);
    assert_false(s.data.details); /* compact first */
    act_k(&s, ACT_SCROLL, 1);
    act_k(&s, ACT_DETAILS, 0);
    assert_true(s.data.details);
    assert_int_equal(s.data.scroll, 0); /* a new layout starts at its first page */
    act_k(&s, ACT_DETAILS, 0);
    assert_false(s.data.details);
    act_k(&s, ACT_TO_NEXT_STEP, 0);
    act_k(&s, ACT_DETAILS, 0); /* only on the overview */
    assert_false(s.data.details);
}

static void date_picker_months_are_bounded(void **state)
{
    (void)state;
    session s;
    to_first_question(&s);
    act_k(&s, ACT_PICKER_MONTH, 1);
    assert_int_equal(s.data.picker_m, 12);
    act_k(&s, ACT_PICKER_MONTH, 1);
    assert_int_equal(s.data.picker_y, 2027);
    assert_int_equal(s.data.picker_m, 1);
    for (int i = 0; i < 40; i++)
        act_k(&s, ACT_PICKER_MONTH, -1);
    assert_int_equal(s.data.picker_y, 2024); /* at most two years back */
    assert_int_equal(s.data.picker_m, 11);
    act(&s, (action){.kind = ACT_PICK_DATE, .today = {2026, 2, 30}}); /* invalid date */
    assert_int_equal(s.data.question, 0);
}

static void language_switch_keeps_answers(void **state)
{
    (void)state;
    session s;
    to_first_question(&s);
    act_k(&s, ACT_ANSWER, DATE_UNKNOWN);
    act_k(&s, ACT_SET_LANG, LANG_EN);
    assert_int_equal(s.data.j.lang, LANG_EN);
    assert_int_equal(s.data.j.answers[0], DATE_UNKNOWN);
    assert_int_equal(s.data.question, 1);
    act_k(&s, ACT_SET_LANG, LANG_AR); /* not offered by this configuration */
    assert_int_equal(s.data.j.lang, LANG_EN);
}

/* Drives a fresh session to each screen in turn. */
static void go_to(session *s, screen_id target)
{
    new_session(s);
    if (target == SCREEN_WELCOME)
        return;
    act_k(s, ACT_START, 0);
    if (target == SCREEN_EVENTS)
        return;
    act_k(s, ACT_CHOOSE_EVENT, EV_MOVING);
    act(s, (action){.kind = ACT_PICK_DATE, .today = {2026, 12, 10}});
    if (target == SCREEN_QUESTION)
        return;
    act_k(s, ACT_ANSWER, YESNO_NO);
    if (target == SCREEN_OVERVIEW)
        return;
    act_k(s, ACT_TO_NEXT_STEP, 0);
    if (target == SCREEN_NEXT_STEP)
        return;
    act_k(s, ACT_DONE, 0);
}

static void handoff_from_every_screen(void **state)
{
    (void)state;
    const screen_id screens[] = {SCREEN_WELCOME,  SCREEN_EVENTS,    SCREEN_QUESTION,
                                 SCREEN_OVERVIEW, SCREEN_NEXT_STEP, SCREEN_GOODBYE};
    for (size_t i = 0; i < sizeof screens / sizeof screens[0]; i++) {
        session s;
        go_to(&s, screens[i]);
        assert_int_equal(s.screen, screens[i]);
        session_data before = s.data;
        act_k(&s, ACT_HANDOFF, 0);
        assert_true(has_effect(EFFECT_HANDOFF));
        const effect *e = &FX.items[0];
        assert_int_equal(e->journey.screen, screens[i]);
        assert_true(s.data.handoff_shown);
        assert_int_equal(s.data.handoff, HANDOFF_SENDING);
        /* the answers are still there, and travel with the request */
        assert_memory_equal(before.j.answers, s.data.j.answers, sizeof before.j.answers);
        assert_memory_equal(e->journey.answers, s.data.j.answers, sizeof before.j.answers);
        handoff_request req;
        handoff_request_build(C, &e->journey, "zuil-1", e->request, &req);
        if (screens[i] >= SCREEN_QUESTION && screens[i] != SCREEN_GOODBYE) {
            assert_string_equal(req.event_id, "moving");
            assert_string_equal(req.answers[0].question, "move_date");
            assert_string_equal(req.answers[0].answer, "2026-12-10");
        } else {
            assert_string_equal(req.event_id, "");
        }
        assert_string_equal(req.kiosk_id, "zuil-1");
        uint32_t r = e->request;
        act(&s, (action){.kind = ACT_HANDOFF_RESULT, .arg = (int)r, .ok = true});
        assert_int_equal(s.data.handoff, HANDOFF_SENT);
        act_k(&s, ACT_HANDOFF_CLOSE, 0);
        assert_false(s.data.handoff_shown);
        if (screens[i] != SCREEN_GOODBYE)
            assert_int_equal(s.screen, screens[i]); /* where the citizen was */
    }
}

static void handoff_failure_can_be_retried(void **state)
{
    (void)state;
    session s;
    go_to(&s, SCREEN_OVERVIEW);
    act_k(&s, ACT_HANDOFF, 0);
    uint32_t r = FX.items[0].request;
    act_k(&s, ACT_HANDOFF, 0); /* pressed twice while sending: one request */
    assert_int_equal(FX.n, 0);
    act(&s, (action){.kind = ACT_HANDOFF_RESULT, .arg = (int)r, .ok = false});
    assert_int_equal(s.data.handoff, HANDOFF_FAILED);
    act_k(&s, ACT_HANDOFF, 0);
    assert_true(has_effect(EFFECT_HANDOFF));
    assert_int_not_equal(FX.items[0].request, r);
}

/* The hand-off just asked for (the last effect's request) is stored with this number, then
 * reaches the desk or not; returns its request id. */
static uint32_t answer_handoff(session *s, uint64_t number, bool arrived)
{
    uint32_t r = FX.items[0].request;
    act(s, (action){.kind = ACT_HANDOFF_STORED, .arg = (int)r, .value = number});
    act(s, (action){.kind = ACT_HANDOFF_RESULT, .arg = (int)r, .ok = arrived});
    return r;
}

/* Issue 7: the hand-off gets a number of its own; "someone is coming" only once the desk has
 * it; it can be cancelled (the desk's task is closed); a delivery that comes late still
 * counts. */
static void handoff_number_and_cancel(void **state)
{
    (void)state;
    session s;
    go_to(&s, SCREEN_QUESTION);
    act_k(&s, ACT_HANDOFF, 0);
    assert_true(has_effect(EFFECT_HANDOFF));
    assert_false(FX.items[0].callback);
    assert_int_equal(FX.items[0].journey.question, s.data.question);
    uint32_t r = FX.items[0].request;
    act(&s, (action){.kind = ACT_HANDOFF_STORED, .arg = (int)r, .value = 10000427});
    assert_string_equal(s.data.handoff_number, "0010000427");
    assert_int_equal(s.data.handoff, HANDOFF_SENDING); /* stored is not arrived */
    act_k(&s, ACT_HANDOFF, 0); /* asked again while on its way: no second request */
    assert_int_equal(FX.n, 0);
    act(&s, (action){.kind = ACT_HANDOFF_RESULT, .arg = (int)r, .ok = false});
    assert_int_equal(s.data.handoff, HANDOFF_FAILED);
    act(&s, (action){.kind = ACT_HANDOFF_RESULT, .arg = (int)r + 7, .ok = true});
    assert_int_equal(s.data.handoff, HANDOFF_FAILED); /* another request's answer */
    act(&s, (action){.kind = ACT_HANDOFF_RESULT, .arg = (int)r, .ok = true});
    assert_int_equal(s.data.handoff, HANDOFF_SENT); /* arrived after all */
    act_k(&s, ACT_HANDOFF, 0); /* asked again once it arrived: shown, not sent again */
    assert_int_equal(FX.n, 0);
    assert_true(s.data.handoff_shown);
    act_k(&s, ACT_HANDOFF_CANCEL, 0);
    assert_true(has_effect(EFFECT_HANDOFF_CANCEL));
    assert_string_equal(FX.items[0].number, "0010000427");
    assert_int_equal(s.data.handoff, HANDOFF_NONE);
    assert_false(s.data.handoff_shown);
    assert_string_equal(s.data.handoff_number, "");
    assert_int_equal(s.screen, SCREEN_QUESTION);
    act_k(&s, ACT_HANDOFF_CANCEL, 0); /* nothing left to cancel */
    assert_int_equal(FX.n, 0);
    /* a new request after a cancellation is a new one */
    act_k(&s, ACT_HANDOFF, 0);
    assert_true(has_effect(EFFECT_HANDOFF));
    assert_int_not_equal(FX.items[0].request, r);
}

/* The number survives choosing another life event (the employee is still coming), and goes
 * with the session's end. */
static void handoff_number_kept_in_the_session_only(void **state)
{
    (void)state;
    session s;
    go_to(&s, SCREEN_EVENTS);
    act_k(&s, ACT_HANDOFF, 0);
    answer_handoff(&s, 10000427, true);
    act_k(&s, ACT_HANDOFF_CLOSE, 0);
    act_k(&s, ACT_CHOOSE_EVENT, EV_MOVING);
    assert_int_equal(s.data.handoff, HANDOFF_SENT);
    assert_string_equal(s.data.handoff_number, "0010000427");
    act_k(&s, ACT_DONE, 0);
    act_k(&s, ACT_RESTART, 0);
    assert_true(session_is_wiped(&s));
    assert_string_equal(s.data.handoff_number, "");
}

/* Out of hours nobody can come: no request, the message offers a call-back; the number typed
 * on the keypad goes with the request; back on the keypad returns to the message. */
static void out_of_hours_call_back(void **state)
{
    (void)state;
    session s;
    go_to(&s, SCREEN_OVERVIEW);
    act_k(&s, ACT_DUTY, 0);
    assert_true(s.off_duty);
    act_k(&s, ACT_HANDOFF, 0);
    assert_int_equal(FX.n, 0);
    assert_true(s.data.handoff_shown);
    assert_int_equal(s.data.handoff, HANDOFF_NONE);
    act_k(&s, ACT_CALLBACK_START, 0);
    assert_int_equal(s.screen, SCREEN_PHONE);
    assert_false(s.data.handoff_shown);
    act_k(&s, ACT_BACK, 0); /* not now: back to the message, where the citizen was */
    assert_int_equal(s.screen, SCREEN_OVERVIEW);
    assert_true(s.data.handoff_shown);
    act_k(&s, ACT_CALLBACK_START, 0);
    const char *digits = "0612345678";
    for (const char *d = digits; *d; d++)
        act_k(&s, ACT_KEY_DIGIT, *d - '0');
    act_k(&s, ACT_PHONE_DONE, 0);
    assert_true(has_effect(EFFECT_HANDOFF));
    assert_true(FX.items[0].callback);
    assert_string_equal(FX.items[0].phone, "0612345678");
    assert_int_equal(s.screen, SCREEN_OVERVIEW);
    assert_true(s.data.handoff_shown);
    assert_true(s.data.handoff_callback);
    uint32_t r = FX.items[0].request;
    act(&s, (action){.kind = ACT_HANDOFF_RESULT, .arg = (int)r, .ok = true});
    assert_int_equal(s.data.handoff, HANDOFF_SENT);
    act_k(&s, ACT_HANDOFF_CANCEL, 0); /* a call-back is not cancelled from the kiosk */
    assert_int_equal(FX.n, 0);
    assert_int_equal(s.data.handoff, HANDOFF_SENT);
    /* in hours again: the call-back keypad is not offered */
    act_k(&s, ACT_DUTY, 1);
    act_k(&s, ACT_HANDOFF_CLOSE, 0);
    act_k(&s, ACT_CALLBACK_START, 0);
    assert_int_equal(s.screen, SCREEN_OVERVIEW);
}

/* Issue 7: an employee's badge during a session asks its PIN (sent once to be checked and
 * not kept), then shows the citizen's answers; taking over closes the hand-off's task. */
static void staff_badge_pin_and_pickup(void **state)
{
    (void)state;
    session s;
    new_session(&s);
    act_k(&s, ACT_CARD_PRESENT, CARD_STAFF); /* no citizen: nothing to show */
    assert_int_equal(s.screen, SCREEN_WELCOME);
    go_to(&s, SCREEN_QUESTION);
    act_k(&s, ACT_HANDOFF, 0);
    answer_handoff(&s, 10000427, true);
    act_k(&s, ACT_CARD_PRESENT, CARD_STAFF);
    assert_int_equal(s.screen, SCREEN_STAFF_PIN);
    assert_false(s.data.handoff_shown);
    for (int d = 1; d <= 3; d++)
        act_k(&s, ACT_KEY_DIGIT, d);
    act_k(&s, ACT_STAFF_PIN_DONE, 0); /* too short */
    assert_int_equal(FX.n, 0);
    act_k(&s, ACT_KEY_DIGIT, 4);
    act_k(&s, ACT_STAFF_PIN_DONE, 0);
    assert_true(has_effect(EFFECT_STAFF_PIN));
    assert_string_equal(FX.items[0].pin, "1234");
    assert_string_equal(s.data.staff_pin, ""); /* not kept */
    uint32_t pr = FX.items[0].request;
    act_k(&s, ACT_STAFF_PIN_DONE, 0); /* while checking: not again */
    assert_int_equal(FX.n, 0);
    act(&s, (action){.kind = ACT_STAFF_PIN_RESULT, .arg = (int)pr, .ok = false, .tries = 3});
    assert_int_equal(s.screen, SCREEN_STAFF_PIN);
    assert_int_equal(s.data.staff_error, STAFF_ERROR_WRONG);
    assert_int_equal(s.data.staff_tries, 3);
    for (int d = 5; d <= 8; d++)
        act_k(&s, ACT_KEY_DIGIT, d);
    act_k(&s, ACT_STAFF_PIN_DONE, 0);
    pr = FX.items[0].request;
    act(&s, (action){.kind = ACT_STAFF_PIN_RESULT, .arg = (int)pr + 1, .ok = true});
    assert_int_equal(s.screen, SCREEN_STAFF_PIN); /* another check's answer */
    act(&s, (action){.kind = ACT_STAFF_PIN_RESULT, .arg = (int)pr, .ok = true});
    assert_int_equal(s.screen, SCREEN_STAFF_VIEW);
    act_k(&s, ACT_STAFF_PICKUP, 0);
    assert_true(has_effect(EFFECT_HANDOFF_CANCEL));
    assert_int_equal(FX.items[0].close, CLOSE_PICKED_UP);
    assert_string_equal(FX.items[0].number, "0010000427");
    assert_true(s.data.handoff_picked);
    assert_int_equal(s.data.handoff, HANDOFF_NONE);
    act_k(&s, ACT_STAFF_PICKUP, 0); /* once */
    assert_int_equal(FX.n, 0);
    act_k(&s, ACT_BACK, 0);
    assert_int_equal(s.screen, SCREEN_QUESTION);
    /* locked: the keypad's answer says so and no more checks are asked */
    act_k(&s, ACT_CARD_PRESENT, CARD_STAFF);
    for (int d = 0; d < 4; d++)
        act_k(&s, ACT_KEY_DIGIT, 0);
    act_k(&s, ACT_STAFF_PIN_DONE, 0);
    pr = FX.items[0].request;
    act(&s, (action){.kind = ACT_STAFF_PIN_RESULT, .arg = (int)pr, .ok = false, .tries = 0});
    assert_int_equal(s.data.staff_error, STAFF_ERROR_LOCKED);
    for (int d = 0; d < 4; d++)
        act_k(&s, ACT_KEY_DIGIT, 1);
    act_k(&s, ACT_STAFF_PIN_DONE, 0);
    assert_int_equal(FX.n, 0);
    /* a badge without a PIN says so (not "locked"), and asks nothing more */
    act_k(&s, ACT_BACK, 0);
    act_k(&s, ACT_CARD_PRESENT, CARD_STAFF);
    for (int d = 0; d < 4; d++)
        act_k(&s, ACT_KEY_DIGIT, 2);
    act_k(&s, ACT_STAFF_PIN_DONE, 0);
    pr = FX.items[0].request;
    act(&s, (action){.kind = ACT_STAFF_PIN_RESULT,
                     .arg = (int)pr,
                     .ok = false,
                     .tries = STAFF_TRIES_NO_PIN});
    assert_int_equal(s.data.staff_error, STAFF_ERROR_NO_PIN);
    act_k(&s, ACT_STAFF_PIN_DONE, 0);
    assert_int_equal(FX.n, 0);
}

/* A warm hand-off that did not arrive: the citizen is sent to the desk, and closing the message
 * takes the request back (it would reach the desk too late). A call-back that did not arrive
 * is kept: it is sent when it can, and its slip can be printed. */
static void undelivered_handoff_taken_back_call_back_kept(void **state)
{
    (void)state;
    session s;
    go_to(&s, SCREEN_QUESTION);
    s.cfg.handoff_queued = true; /* through the outbox */
    act_k(&s, ACT_HANDOFF, 0);
    uint32_t r = answer_handoff(&s, 10000427, false);
    act_k(&s, ACT_HANDOFF_CLOSE, 0);
    assert_true(has_effect(EFFECT_HANDOFF_CANCEL));
    assert_int_equal(FX.items[0].close, CLOSE_UNDELIVERED);
    assert_string_equal(FX.items[0].number, "0010000427");
    assert_int_equal(s.data.handoff, HANDOFF_NONE);
    assert_string_equal(s.data.handoff_number, "");

    go_to(&s, SCREEN_OVERVIEW);
    s.cfg.handoff_queued = true;
    act_k(&s, ACT_DUTY, 0);
    act_k(&s, ACT_HANDOFF, 0);
    act_k(&s, ACT_CALLBACK_START, 0);
    for (const char *d = "0612345678"; *d; d++)
        act_k(&s, ACT_KEY_DIGIT, *d - '0');
    act_k(&s, ACT_PHONE_DONE, 0);
    r = answer_handoff(&s, 10000435, false);
    assert_int_equal(s.data.handoff, HANDOFF_FAILED);
    act_k(&s, ACT_PRINT, 0); /* its slip, with its number */
    assert_true(has_effect(EFFECT_PRINT));
    assert_string_equal(FX.items[0].journey.reference, "0010000435");
    assert_true(FX.items[0].journey.handoff_callback);
    act_k(&s, ACT_HANDOFF_CLOSE, 0);
    assert_false(has_effect(EFFECT_HANDOFF_CANCEL));
    assert_int_equal(s.data.handoff, HANDOFF_FAILED); /* kept, still on its way */
    act(&s, (action){.kind = ACT_HANDOFF_RESULT, .arg = (int)r, .ok = true});
    assert_int_equal(s.data.handoff, HANDOFF_SENT);

    /* without an outbox (the simulated desk) nothing is kept or taken back */
    go_to(&s, SCREEN_QUESTION);
    act_k(&s, ACT_HANDOFF, 0);
    answer_handoff(&s, 10000443, false);
    act_k(&s, ACT_HANDOFF_CLOSE, 0);
    assert_int_equal(FX.n, 0);
    assert_int_equal(s.data.handoff, HANDOFF_NONE);
}

static void timeout_warns_then_wipes(void **state)
{
    (void)state;
    session s;
    to_first_question(&s);
    act(&s, (action){.kind = ACT_PICK_DATE, .today = {2026, 12, 10}});
    uint64_t t = s.now_ms;
    assert_int_equal(session_next_timer_ms(&s), 60000);
    tick_to(&s, t + 59999);
    assert_false(s.warning);
    tick_to(&s, t + 60000);
    assert_true(s.warning);
    assert_int_equal(session_warning_seconds_left(&s), 30);
    assert_true(session_next_timer_ms(&s) <= 1000); /* the countdown is redrawn each second */
    /* a stray touch behind the warning does not count as "still here" */
    act_k(&s, ACT_INPUT, 0);
    act_k(&s, ACT_ANSWER, YESNO_YES);
    assert_true(s.warning);
    assert_int_equal(s.data.question, 1);
    tick_to(&s, t + 60000 + 29999);
    assert_int_equal(session_warning_seconds_left(&s), 1);
    assert_int_equal(s.screen, SCREEN_QUESTION);
    tick_to(&s, t + 90000);
    assert_int_equal(s.screen, SCREEN_WELCOME);
    assert_false(s.warning);
    assert_true(has_effect(EFFECT_SESSION_ENDED));
    assert_int_equal(FX.items[0].end_reason, END_TIMEOUT);
    /* memory holds no answer afterwards */
    assert_true(session_is_wiped(&s));
    for (int i = 0; i < CONTENT_MAX_QUESTIONS; i++) {
        assert_int_equal(s.data.j.answers[i], -1);
        assert_int_equal(s.data.j.dates[i].y, 0);
    }
    assert_int_equal(s.data.j.event, -1);
    assert_int_equal(s.data.ov.n_items, 0);
}

static void still_here_extends_at_least_ten_times(void **state)
{
    (void)state;
    session s;
    session_config cfg;
    session_config_defaults(&cfg);
    cfg.max_extensions = 10;
    session_init(&s, C, &cfg, 0, TODAY);
    act_k(&s, ACT_START, 0);
    uint64_t t = 0;
    for (int i = 0; i < 10; i++) {
        t += 60000;
        tick_to(&s, t);
        assert_true(s.warning);
        t += 25000; /* 25 s into the warning */
        tick_to(&s, t);
        act_k(&s, ACT_STILL_HERE, 0);
        assert_false(s.warning);
        assert_int_equal(s.screen, SCREEN_EVENTS);
    }
    t += 60000;
    tick_to(&s, t);
    act_k(&s, ACT_STILL_HERE, 0); /* the eleventh time: the limit is reached */
    assert_true(s.warning);
    tick_to(&s, t + 30000);
    assert_int_equal(s.screen, SCREEN_WELCOME);
    /* configurations below WCAG's minimum are raised */
    cfg.max_extensions = 3;
    cfg.warning_ms = 5000;
    session_init(&s, C, &cfg, 0, TODAY);
    assert_int_equal(s.cfg.max_extensions, 10);
    assert_int_equal(s.cfg.warning_ms, 20000);
}

static void card_tap_means_someone_is_there(void **state)
{
    (void)state;
    session s;
    to_first_question(&s);
    uint64_t t = s.now_ms;
    tick_to(&s, t + 50000);
    act_k(&s, ACT_CARD_PRESENT, CARD_ID_DOCUMENT);
    assert_int_equal(s.card, CARD_ID_DOCUMENT);
    tick_to(&s, t + 100000); /* 50 s after the tap: no warning yet */
    assert_false(s.warning);
    tick_to(&s, t + 110000);
    assert_true(s.warning);
    act_k(&s, ACT_CARD_REMOVED, 0); /* taking it away is not "still here" */
    assert_int_equal(s.card, CARD_NONE);
    assert_true(s.warning);
    act_k(&s, ACT_CARD_PRESENT, CARD_OTHER); /* tapping it again is */
    assert_false(s.warning);
    assert_int_equal(s.screen, SCREEN_QUESTION);
    assert_int_equal(s.data.question, 0);
}

static void handoff_message_on_welcome_times_out(void **state)
{
    (void)state;
    session s;
    new_session(&s);
    act_k(&s, ACT_HANDOFF, 0);
    assert_int_not_equal(session_next_timer_ms(&s), UINT32_MAX);
    tick_to(&s, s.now_ms + 60000);
    tick_to(&s, s.now_ms + 30000);
    assert_false(s.data.handoff_shown);
}

/* WCAG 2.2.1 with read-aloud: listening takes longer, so the limits are longer; the warning
 * still gives at least 20 s and can be extended ten times and more. */
static void speech_mode_gets_more_time(void **state)
{
    (void)state;
    session s;
    to_first_question(&s);
    act_k(&s, ACT_SPEECH, 1);
    assert_true(s.access.speech);
    uint64_t t = s.now_ms;
    tick_to(&s, t + 60000); /* the normal limit: no warning with speech on */
    assert_false(s.warning);
    tick_to(&s, t + 180000);
    assert_true(s.warning);
    assert_int_equal(session_warning_seconds_left(&s), 60);
    for (int i = 0; i < 12; i++) { /* "still here" works again and again */
        act_k(&s, ACT_STILL_HERE, 0);
        assert_false(s.warning);
        t = s.now_ms;
        tick_to(&s, t + 180000);
        assert_true(s.warning);
    }
    tick_to(&s, s.now_ms + 59000);
    assert_int_equal(s.screen, SCREEN_QUESTION);
    tick_to(&s, s.now_ms + 1000);
    assert_int_equal(s.screen, SCREEN_WELCOME);
    /* a site may not give listeners less time than readers */
    session_config cfg;
    session_config_defaults(&cfg);
    cfg.idle_ms = 120000;
    cfg.speech_idle_ms = 30000;
    session_init(&s, C, &cfg, 0, TODAY);
    assert_int_equal(s.cfg.speech_idle_ms, 120000);
    assert_true(s.cfg.speech_warning_ms >= 20000);
}

/* The citizen's settings: each switch works, repeat and the slip are asked for as effects,
 * and everything goes back to the defaults when the session ends (EN 301 549 5.1.3.13). */
static void access_settings_reset_when_the_session_ends(void **state)
{
    (void)state;
    session s;
    new_session(&s);
    assert_int_equal(s.access.volume, ACCESS_VOLUME_DEFAULT);
    assert_int_equal(session_next_timer_ms(&s), UINT32_MAX);
    act_k(&s, ACT_SPEECH, -1);
    assert_true(s.access.speech);
    /* a setting changed on the welcome screen does not greet the next citizen */
    assert_int_not_equal(session_next_timer_ms(&s), UINT32_MAX);
    for (int i = 0; i < 10; i++) {
        act_k(&s, ACT_SPEECH_VOLUME, 1);
        act_k(&s, ACT_SPEECH_RATE, -1);
    }
    assert_int_equal(s.access.volume, ACCESS_VOLUME_LEVELS - 1);
    assert_int_equal(s.access.rate, ACCESS_RATE_MIN);
    act_k(&s, ACT_SPEECH_VOLUME, -1);
    assert_int_equal(s.access.volume, ACCESS_VOLUME_LEVELS - 2);
    act_k(&s, ACT_SPEECH_LANG, LANG_TR);
    assert_int_equal(session_speech_lang(&s), LANG_TR);
    act_k(&s, ACT_SPEECH_LANG, -1);
    assert_int_equal(session_speech_lang(&s), s.data.j.lang);
    act_k(&s, ACT_SPEECH_LANG, LANG_COUNT); /* nonsense: the screen's language */
    assert_int_equal(session_speech_lang(&s), s.data.j.lang);
    act_k(&s, ACT_HEADSET, 0);
    assert_true(session_speech_private(&s));
    act_k(&s, ACT_LARGE_TEXT, 0);
    act_k(&s, ACT_HIGH_CONTRAST, 0);
    act_k(&s, ACT_LOW_REACH, 0);
    act_k(&s, ACT_ACCESS_MENU, 0);
    assert_true(s.access.large_text && s.access.high_contrast && s.access.low_reach);
    assert_true(s.access.menu);
    act_k(&s, ACT_SPEECH_REPEAT, 0);
    assert_int_equal(FX.n, 1);
    assert_int_equal(FX.items[0].kind, EFFECT_SPEECH);
    assert_int_equal(FX.items[0].speech, SPEECH_REPEAT);
    act_k(&s, ACT_START, 0);
    act_k(&s, ACT_CHOOSE_EVENT, EV_MOVING); /* a new life event keeps the settings */
    assert_true(s.access.speech && s.access.large_text);
    act_k(&s, ACT_SPEECH_SLIP, 0);
    assert_int_equal(FX.items[0].speech, SPEECH_SLIP);
    assert_int_equal(FX.items[0].journey.event, EV_MOVING);
    act_k(&s, ACT_DONE, 0);
    tick_to(&s, s.now_ms + 20000); /* goodbye, then welcome: the session has ended */
    assert_int_equal(s.screen, SCREEN_WELCOME);
    assert_false(s.access.speech);
    assert_false(s.access.headset);
    assert_false(s.access.large_text || s.access.high_contrast || s.access.low_reach);
    assert_false(s.access.menu);
    assert_int_equal(s.access.volume, ACCESS_VOLUME_DEFAULT);
    assert_int_equal(s.access.rate, 0);
    assert_int_equal(s.access.speech_lang, -1);
    /* speech off: repeat asks for nothing */
    act_k(&s, ACT_SPEECH_REPEAT, 0);
    assert_int_equal(FX.n, 0);
    /* a site with a headset only reads personal data from the start */
    session_config cfg;
    session_config_defaults(&cfg);
    cfg.headset = true;
    session_init(&s, C, &cfg, 0, TODAY);
    assert_true(session_speech_private(&s));
    assert_int_equal(session_next_timer_ms(&s), UINT32_MAX);
}

static void version_changes_only_when_visible(void **state)
{
    (void)state;
    session s;
    to_first_question(&s);
    uint32_t v = s.version;
    tick_to(&s, s.now_ms + 10); /* nothing visible changes */
    assert_int_equal(s.version, v);
    act_k(&s, ACT_INPUT, 0);
    assert_int_equal(s.version, v);
    act_k(&s, ACT_PICKER_MONTH, 1);
    assert_int_not_equal(s.version, v);
}

/* Sharing my story: consent per organisation of the overview (all off at first), a contact
 * preference, the keypad, "send": one intake effect with exactly what was chosen. */
static void share_with_consent_contact_and_keypad(void **state)
{
    (void)state;
    session s;
    go_to(&s, SCREEN_NEXT_STEP);
    act(&s, (action){.kind = ACT_SHARE});
    assert_int_equal(s.screen, SCREEN_NEXT_STEP); /* no reference number yet: nothing to share */
    /* the overview asked for a number once */
    act(&s, (action){.kind = ACT_REFERENCE, .ok = true, .value = 10000127ull});
    assert_string_equal(s.data.j.reference, "0010000127");
    act_k(&s, ACT_SHARE, 0);
    assert_int_equal(s.screen, SCREEN_CONSENT);
    uint64_t orgs = session_overview_orgs(&s);
    assert_true(orgs != 0);
    assert_int_equal(s.data.consent, 0); /* off until ticked */
    act_k(&s, ACT_CONSENT_DONE, 0);
    assert_int_equal(s.screen, SCREEN_CONSENT); /* nothing ticked: no way on */
    int org = 0;
    while (!(orgs >> org & 1))
        org++;
    int other = -1;
    for (int o = 0; o < C->n_orgs; o++)
        if (!(orgs >> o & 1))
            other = o;
    if (other >= 0) {
        act_k(&s, ACT_CONSENT_TOGGLE, other); /* not in the overview: ignored */
        assert_int_equal(s.data.consent, 0);
    }
    act_k(&s, ACT_CONSENT_TOGGLE, org);
    act_k(&s, ACT_CONSENT_TOGGLE, org);
    assert_int_equal(s.data.consent, 0); /* a second tap takes the tick off */
    act_k(&s, ACT_CONSENT_TOGGLE, org);
    act_k(&s, ACT_CONSENT_DONE, 0);
    assert_int_equal(s.screen, SCREEN_CONTACT);
    /* e-mail: an address on the keyboard; then changed to a call-back, it is forgotten */
    act_k(&s, ACT_CONTACT, SESSION_CONTACT_EMAIL);
    assert_int_equal(s.screen, SCREEN_EMAIL);
    static const char typed[] = "gerard@voorbeeld";
    for (const char *p = typed; *p; p++)
        act_k(&s, ACT_KEY_CHAR, *p);
    act_k(&s, ACT_KEY_CHAR, '!'); /* not in an address */
    assert_false(session_email_complete(&s));
    act_k(&s, ACT_EMAIL_DONE, 0);
    assert_int_equal(s.screen, SCREEN_EMAIL);
    act_k(&s, ACT_KEY_CHAR, 1); /* ".nl" */
    assert_string_equal(s.data.email, "gerard@voorbeeld.nl");
    assert_true(session_email_complete(&s));
    act_k(&s, ACT_BACK, 0);
    assert_int_equal(s.screen, SCREEN_CONTACT);
    act_k(&s, ACT_CONTACT, SESSION_CONTACT_CALLBACK);
    assert_string_equal(s.data.email, "");
    assert_int_equal(s.screen, SCREEN_PHONE);
    act_k(&s, ACT_KEY_DIGIT, 0);
    act_k(&s, ACT_KEY_DIGIT, 10); /* '+' only first */
    assert_string_equal(s.data.phone, "0");
    static const int digits[] = {6, 1, 2, 3, 4, 5, 6, 7};
    for (int i = 0; i < 8; i++)
        act_k(&s, ACT_KEY_DIGIT, digits[i]);
    assert_false(session_phone_complete(&s));
    act_k(&s, ACT_PHONE_DONE, 0);
    assert_int_equal(s.screen, SCREEN_PHONE); /* 9 digits: not yet */
    act_k(&s, ACT_KEY_DIGIT, 9);
    act_k(&s, ACT_KEY_DIGIT, 9);
    act_k(&s, ACT_KEY_ERASE, 0);
    assert_string_equal(s.data.phone, "0612345679");
    assert_true(session_phone_complete(&s));
    for (int i = 0; i < 20; i++)
        act_k(&s, ACT_KEY_DIGIT, 1);
    assert_int_equal(strlen(s.data.phone), SESSION_PHONE_MAX); /* bounded */
    while (s.data.phone[10])
        act_k(&s, ACT_KEY_ERASE, 0);
    act_k(&s, ACT_PHONE_DONE, 0);
    assert_int_equal(s.screen, SCREEN_SUMMARY);
    act_k(&s, ACT_BACK, 0);
    assert_int_equal(s.screen, SCREEN_PHONE); /* back goes where the citizen came from */
    act_k(&s, ACT_PHONE_DONE, 0);
    act_k(&s, ACT_SEND_INTAKE, 0);
    assert_true(has_effect(EFFECT_INTAKE));
    const effect *fx = &FX.items[0];
    assert_int_equal(fx->consent, 1ull << org);
    assert_int_equal(fx->contact, SESSION_CONTACT_CALLBACK);
    assert_string_equal(fx->phone, "0612345679");
    assert_string_equal(fx->journey.reference, "0010000127");
    uint32_t req = fx->request;
    assert_int_equal(s.screen, SCREEN_NEXT_STEP);
    assert_int_equal(s.data.intake, INTAKE_SAVING);
    act(&s, (action){.kind = ACT_INTAKE_RESULT, .arg = (int)req, .ok = true});
    assert_int_equal(s.data.intake, INTAKE_SAVED);
    act_k(&s, ACT_SHARE, 0);
    assert_int_equal(s.screen, SCREEN_NEXT_STEP); /* once */
    act_k(&s, ACT_DONE, 0);
    assert_true(session_is_wiped(&s)); /* consent and phone number gone too */
}

/* Help asked after ticking consent: the intake so far goes along (with "no contact" while the
 * number is half typed); help asked without a tick: no intake. */
static void handoff_takes_the_intake_only_with_consent(void **state)
{
    (void)state;
    session s;
    go_to(&s, SCREEN_NEXT_STEP);
    act(&s, (action){.kind = ACT_REFERENCE, .ok = true, .value = 10000127ull});
    act_k(&s, ACT_HANDOFF, 0);
    assert_true(has_effect(EFFECT_HANDOFF));
    assert_false(has_effect(EFFECT_INTAKE));
    assert_int_equal(s.data.intake, INTAKE_NONE);
    act(&s, (action){.kind = ACT_HANDOFF_RESULT, .arg = (int)s.data.handoff_request, .ok = true});
    act_k(&s, ACT_HANDOFF_CLOSE, 0);

    go_to(&s, SCREEN_NEXT_STEP);
    act(&s, (action){.kind = ACT_REFERENCE, .ok = true, .value = 10000127ull});
    act_k(&s, ACT_SHARE, 0);
    uint64_t orgs = session_overview_orgs(&s);
    int org = 0;
    while (!(orgs >> org & 1))
        org++;
    act_k(&s, ACT_CONSENT_TOGGLE, org);
    act_k(&s, ACT_CONSENT_DONE, 0);
    act_k(&s, ACT_CONTACT, SESSION_CONTACT_CALLBACK);
    act_k(&s, ACT_KEY_DIGIT, 0);
    act_k(&s, ACT_KEY_DIGIT, 6); /* half a number */
    act_k(&s, ACT_HANDOFF, 0);
    assert_true(has_effect(EFFECT_HANDOFF));
    assert_true(has_effect(EFFECT_INTAKE));
    const effect *fx = &FX.items[1];
    assert_int_equal(fx->kind, EFFECT_INTAKE);
    assert_int_equal(fx->consent, 1ull << org);
    assert_int_equal(fx->contact, SESSION_CONTACT_NONE);
    assert_string_equal(fx->phone, "");
    assert_int_equal(s.data.intake, INTAKE_SAVING);
    act(&s, (action){.kind = ACT_INTAKE_RESULT, .arg = (int)fx->request, .ok = true});
    /* going on with the flow afterwards: no second intake, and no dead end */
    act_k(&s, ACT_HANDOFF_CLOSE, 0);
    for (int d = 0; d < 8; d++)
        act_k(&s, ACT_KEY_DIGIT, d + 1);
    act_k(&s, ACT_PHONE_DONE, 0);
    assert_int_equal(s.screen, SCREEN_SUMMARY);
    act_k(&s, ACT_SEND_INTAKE, 0);
    assert_false(has_effect(EFFECT_INTAKE));
    assert_int_equal(s.screen, SCREEN_NEXT_STEP);
    assert_int_equal(s.data.intake, INTAKE_SAVED);
}

/* next step -> consent (one tick) -> no contact -> summary */
static void to_summary(session *s)
{
    go_to(s, SCREEN_NEXT_STEP);
    act(s, (action){.kind = ACT_REFERENCE, .ok = true, .value = 10000127ull});
    act_k(s, ACT_SHARE, 0);
    uint64_t orgs = session_overview_orgs(s);
    int org = 0;
    while (!(orgs >> org & 1))
        org++;
    act_k(s, ACT_CONSENT_TOGGLE, org);
    act_k(s, ACT_CONSENT_DONE, 0);
    act_k(s, ACT_CONTACT, SESSION_CONTACT_DESK);
    assert_int_equal(s->screen, SCREEN_SUMMARY);
}

static void type_can(session *s, const char *digits)
{
    for (const char *p = digits; *p; p++)
        act_k(s, ACT_KEY_DIGIT, *p - '0');
}

static const card_identity WILLEKE = {.given = "WILLEKE LISELOTTE",
                                      .surname = "DE BRUIJN",
                                      .birth = {1965, 3, 10},
                                      .pa = CARD_PA_VERIFIED};

/* The CAN typed (the rest of it), sent once; returns the read's request id. */
static uint32_t read_card(session *s, const char *can)
{
    type_can(s, can);
    char typed[SESSION_CAN_DIGITS + 1];
    memcpy(typed, s->data.can, sizeof typed);
    assert_int_equal(strlen(typed), SESSION_CAN_DIGITS);
    act_k(s, ACT_CAN_DONE, 0);
    assert_int_equal(FX.n, 1);
    assert_int_equal(FX.items[0].kind, EFFECT_CARD_READ);
    assert_string_equal(FX.items[0].can, typed);
    assert_int_equal(s->screen, SCREEN_CARD_READING);
    return FX.items[0].request;
}

static void card_result(session *s, uint32_t req, card_read_result r, int tries,
                        const card_identity *c)
{
    act(s,
        (action){.kind = ACT_CARD_RESULT, .arg = (int)req, .value = r, .tries = tries, .card = c});
}

static void id_card_fills_in_the_name(void **state)
{
    (void)state;
    session s;
    to_summary(&s);
    act_k(&s, ACT_CARD_START, 0);
    assert_int_equal(s.screen, SCREEN_CARD_CAN);
    assert_string_equal(screen_name(SCREEN_CARD_CAN), "card_can");
    assert_string_equal(screen_name(SCREEN_CARD_READING), "card_reading");
    assert_string_equal(screen_name(SCREEN_CARD_CONFIRM), "card_confirm");
    /* digits only, at most 6; "done" only with 6 */
    act_k(&s, ACT_KEY_DIGIT, 10); /* no '+' here */
    type_can(&s, "12345");
    act_k(&s, ACT_CAN_DONE, 0);
    assert_int_equal(FX.n, 0);
    assert_int_equal(s.screen, SCREEN_CARD_CAN);
    type_can(&s, "678");
    assert_string_equal(s.data.can, "123456");
    act_k(&s, ACT_KEY_ERASE, 0);
    assert_string_equal(s.data.can, "12345");
    uint32_t req = read_card(&s, "9");
    act_k(&s, ACT_CAN_DONE, 0); /* while reading: no second read */
    assert_int_equal(FX.n, 0);
    /* an old or unknown request is ignored */
    card_result(&s, req + 7, CARD_READ_OK, 0, &WILLEKE);
    assert_int_equal(s.screen, SCREEN_CARD_READING);
    card_identity c = WILLEKE;
    card_result(&s, req, CARD_READ_OK, 0, &c);
    explicit_bzero(&c, sizeof c); /* the session keeps its own copy */
    assert_int_equal(s.screen, SCREEN_CARD_CONFIRM);
    assert_string_equal(s.data.can, ""); /* the CAN is gone after a read */
    assert_string_equal(s.data.card.given, "WILLEKE LISELOTTE");
    assert_string_equal(s.data.card.surname, "DE BRUIJN");
    assert_int_equal(s.data.card.birth.y, 1965);
    assert_false(s.data.card_used);
    act_k(&s, ACT_CARD_USE, 0);
    assert_int_equal(s.screen, SCREEN_SUMMARY);
    assert_true(s.data.card_used);
    act_k(&s, ACT_CARD_START, 0); /* used already: the summary shows it instead */
    assert_int_equal(s.screen, SCREEN_SUMMARY);
    act_k(&s, ACT_SEND_INTAKE, 0);
    assert_true(has_effect(EFFECT_INTAKE));
    assert_string_equal(FX.items[0].given, "WILLEKE LISELOTTE");
    assert_string_equal(FX.items[0].surname, "DE BRUIJN");
    assert_string_equal(FX.items[0].can, "");
    act_k(&s, ACT_DONE, 0);
    assert_true(session_is_wiped(&s));
}

static void id_card_taken_off_the_summary(void **state)
{
    (void)state;
    session s;
    to_summary(&s);
    act_k(&s, ACT_CARD_START, 0);
    card_result(&s, read_card(&s, "123456"), CARD_READ_OK, 0, &WILLEKE);
    act_k(&s, ACT_CARD_USE, 0);
    assert_true(s.data.card_used);
    act_k(&s, ACT_CARD_SKIP, 0); /* "do not send my name" */
    assert_int_equal(s.screen, SCREEN_SUMMARY);
    assert_false(s.data.card_used);
    assert_string_equal(s.data.card.surname, "");
    act_k(&s, ACT_SEND_INTAKE, 0);
    assert_true(has_effect(EFFECT_INTAKE));
    assert_string_equal(FX.items[0].given, "");
    assert_string_equal(FX.items[0].surname, "");
}

static void id_card_not_genuine_is_never_used(void **state)
{
    (void)state;
    const card_pa pas[] = {CARD_PA_NOT_VERIFIABLE, CARD_PA_FAILED};
    for (int i = 0; i < 2; i++) {
        session s;
        to_summary(&s);
        act_k(&s, ACT_CARD_START, 0);
        card_identity c = WILLEKE;
        c.pa = pas[i];
        card_result(&s, read_card(&s, "123456"), CARD_READ_OK, 0, &c);
        assert_int_equal(s.screen, SCREEN_CARD_CONFIRM);
        assert_int_equal(s.data.card.pa, pas[i]);
        act_k(&s, ACT_CARD_USE, 0);
        assert_int_equal(s.screen, SCREEN_CARD_CONFIRM); /* refused */
        assert_false(s.data.card_used);
        act_k(&s, ACT_CARD_SKIP, 0);
        assert_int_equal(s.screen, SCREEN_SUMMARY);
        assert_string_equal(s.data.card.given, ""); /* wiped */
        assert_false(s.data.card_read);
        act_k(&s, ACT_SEND_INTAKE, 0);
        assert_string_equal(FX.items[0].surname, "");
    }
}

static void id_card_wrong_can_gone_and_blocked(void **state)
{
    (void)state;
    session s;
    to_summary(&s);
    act_k(&s, ACT_CARD_START, 0);
    /* wrong digits: typed again, with the tries left */
    card_result(&s, read_card(&s, "111111"), CARD_READ_WRONG_CAN, 2, NULL);
    assert_int_equal(s.screen, SCREEN_CARD_CAN);
    assert_string_equal(s.data.can, "");
    assert_int_equal(s.data.card_error, CARD_ERROR_WRONG_CAN);
    assert_int_equal(s.data.card_tries, 2);
    act_k(&s, ACT_CAN_DONE, 0);
    assert_int_equal(FX.n, 0); /* no digits: no read */
    /* the card moved: "try again" reads with the same digits */
    uint32_t req = read_card(&s, "222222");
    assert_int_equal(s.data.card_error, CARD_ERROR_NONE);
    card_result(&s, req, CARD_READ_GONE, 0, NULL);
    assert_int_equal(s.screen, SCREEN_CARD_READING);
    assert_int_equal(s.data.card_error, CARD_ERROR_GONE);
    assert_string_equal(s.data.can, "222222"); /* kept for the retry only */
    act_k(&s, ACT_CAN_DONE, 0);
    assert_true(has_effect(EFFECT_CARD_READ));
    assert_string_equal(FX.items[0].can, "222222");
    assert_int_equal(s.data.card_error, CARD_ERROR_NONE);
    req = FX.items[0].request;
    /* wrong again with no tries left: blocked, continue without */
    card_result(&s, req, CARD_READ_WRONG_CAN, 0, NULL);
    assert_int_equal(s.screen, SCREEN_CARD_READING);
    assert_int_equal(s.data.card_error, CARD_ERROR_UNREADABLE);
    assert_string_equal(s.data.can, "");
    act_k(&s, ACT_CAN_DONE, 0);
    assert_int_equal(FX.n, 0); /* no retry from here */
    act_k(&s, ACT_CARD_SKIP, 0);
    assert_int_equal(s.screen, SCREEN_SUMMARY);
    assert_int_equal(s.data.card_error, CARD_ERROR_NONE);

    /* blocked and unreadable: a message and "continue without" */
    const card_read_result bad[] = {CARD_READ_BLOCKED, CARD_READ_UNREADABLE, 99};
    for (int i = 0; i < 3; i++) {
        act_k(&s, ACT_CARD_START, 0);
        card_result(&s, read_card(&s, "333333"), bad[i], 0, NULL);
        assert_int_equal(s.screen, SCREEN_CARD_READING);
        assert_int_equal(s.data.card_error, CARD_ERROR_UNREADABLE);
        assert_string_equal(s.data.can, "");
        act_k(&s, ACT_CARD_SKIP, 0);
        assert_int_equal(s.screen, SCREEN_SUMMARY);
    }
    /* an OK without an identity, or without a name on it, is unreadable too */
    act_k(&s, ACT_CARD_START, 0);
    card_result(&s, read_card(&s, "444444"), CARD_READ_OK, 0, NULL);
    assert_int_equal(s.data.card_error, CARD_ERROR_UNREADABLE);
    act_k(&s, ACT_BACK, 0);
    act_k(&s, ACT_CARD_START, 0);
    card_identity blank = {.pa = CARD_PA_VERIFIED, .given = "<<<"};
    card_result(&s, read_card(&s, "444444"), CARD_READ_OK, 0, &blank);
    assert_int_equal(s.data.card_error, CARD_ERROR_UNREADABLE);
    assert_false(s.data.card_read);
    /* tries unknown (<0): wrong digits, type again */
    act_k(&s, ACT_BACK, 0);
    act_k(&s, ACT_CARD_START, 0);
    card_result(&s, read_card(&s, "555555"), CARD_READ_WRONG_CAN, -1, NULL);
    assert_int_equal(s.screen, SCREEN_CARD_CAN);
    assert_int_equal(s.data.card_tries, -1);
}

static void id_card_back_from_every_screen(void **state)
{
    (void)state;
    session s;
    to_summary(&s);
    act_k(&s, ACT_CARD_START, 0);
    type_can(&s, "123");
    act_k(&s, ACT_BACK, 0);
    assert_int_equal(s.screen, SCREEN_SUMMARY);
    assert_string_equal(s.data.can, ""); /* wiped */
    act_k(&s, ACT_CARD_START, 0);
    assert_string_equal(s.data.can, "");
    uint32_t req = read_card(&s, "123456");
    act_k(&s, ACT_BACK, 0); /* while reading */
    assert_int_equal(s.screen, SCREEN_SUMMARY);
    assert_string_equal(s.data.can, "");
    assert_false(s.data.card_reading);
    card_result(&s, req, CARD_READ_OK, 0, &WILLEKE); /* too late: ignored */
    assert_int_equal(s.screen, SCREEN_SUMMARY);
    assert_false(s.data.card_read);
    act_k(&s, ACT_CARD_START, 0);
    req = read_card(&s, "123456");
    card_result(&s, req, CARD_READ_GONE, 0, NULL);
    act_k(&s, ACT_BACK, 0); /* from the "try again" state */
    assert_int_equal(s.screen, SCREEN_SUMMARY);
    assert_string_equal(s.data.can, "");
    act_k(&s, ACT_CARD_START, 0);
    card_result(&s, read_card(&s, "123456"), CARD_READ_OK, 0, &WILLEKE);
    assert_int_equal(s.screen, SCREEN_CARD_CONFIRM);
    act_k(&s, ACT_BACK, 0);
    assert_int_equal(s.screen, SCREEN_SUMMARY);
    assert_false(s.data.card_used);
    assert_string_equal(s.data.card.given, "");
    /* the card screens are not reachable from elsewhere */
    act_k(&s, ACT_BACK, 0);
    assert_int_equal(s.screen, SCREEN_CONTACT);
    act_k(&s, ACT_CARD_START, 0);
    act_k(&s, ACT_CAN_DONE, 0);
    assert_int_equal(s.screen, SCREEN_CONTACT);
    assert_int_equal(FX.n, 0);
}

/* Everything of the card goes when the session ends: done, timeout, mid-read. */
static void id_card_wiped_with_the_session(void **state)
{
    (void)state;
    session s;
    to_summary(&s);
    act_k(&s, ACT_CARD_START, 0);
    card_result(&s, read_card(&s, "123456"), CARD_READ_OK, 0, &WILLEKE);
    act_k(&s, ACT_CARD_USE, 0);
    act_k(&s, ACT_DONE, 0);
    assert_true(session_is_wiped(&s));

    to_summary(&s);
    act_k(&s, ACT_CARD_START, 0);
    uint32_t req = read_card(&s, "123456");
    card_result(&s, req, CARD_READ_GONE, 0, NULL);
    assert_string_equal(s.data.can, "123456");
    /* the citizen walks away: warning, then the wipe */
    tick_to(&s, s.now_ms + 60000);
    assert_true(s.warning);
    tick_to(&s, s.now_ms + 30000);
    assert_int_equal(s.screen, SCREEN_WELCOME);
    assert_true(session_is_wiped(&s));
    card_result(&s, req, CARD_READ_OK, 0, &WILLEKE); /* a late answer changes nothing */
    assert_true(session_is_wiped(&s));
    assert_int_equal(s.screen, SCREEN_WELCOME);
}

/* ---- the passport's details instead of the CAN (issue 5) ---- */

static void type_chars(session *s, const char *t)
{
    for (const char *p = t; *p; p++)
        act_k(s, ACT_KEY_CHAR, (unsigned char)*p);
}

/* Number, birth, expiry typed on their screens (DDMMYYYY); returns the read's request id. */
static uint32_t read_with_mrz(session *s, const char *number, const char *birth, const char *expiry)
{
    assert_int_equal(s->screen, SCREEN_CARD_MRZ_NUMBER);
    type_chars(s, number);
    act_k(s, ACT_MRZ_NEXT, 0);
    assert_int_equal(s->screen, SCREEN_CARD_MRZ_BIRTH);
    type_can(s, birth);
    act_k(s, ACT_MRZ_NEXT, 0);
    assert_int_equal(s->screen, SCREEN_CARD_MRZ_EXPIRY);
    type_can(s, expiry);
    act_k(s, ACT_MRZ_NEXT, 0);
    assert_int_equal(s->screen, SCREEN_CARD_READING);
    assert_int_equal(FX.n, 1);
    assert_int_equal(FX.items[0].kind, EFFECT_CARD_READ);
    return FX.items[0].request;
}

static void mrz_details_instead_of_the_can(void **state)
{
    (void)state;
    session s;
    to_summary(&s);
    act_k(&s, ACT_CARD_START, 0);
    type_can(&s, "12");
    act_k(&s, ACT_CARD_MRZ, 0);
    assert_int_equal(s.screen, SCREEN_CARD_MRZ_NUMBER);
    assert_string_equal(screen_name(SCREEN_CARD_MRZ_NUMBER), "card_mrz_number");
    assert_string_equal(s.data.can, ""); /* the digits typed are gone */
    /* letters (as capitals) and digits only, at most 9; "next" only with 6 or more */
    type_chars(&s, "spe@c-");
    assert_string_equal(s.data.mrz_number, "SPEC");
    act_k(&s, ACT_MRZ_NEXT, 0);
    assert_int_equal(s.screen, SCREEN_CARD_MRZ_NUMBER);
    type_chars(&s, "I20219999");
    assert_string_equal(s.data.mrz_number, "SPECI2021");
    act_k(&s, ACT_KEY_ERASE, 0);
    type_chars(&s, "1");
    act_k(&s, ACT_KEY_DIGIT, 5); /* no digits from the keypad on this screen */
    assert_string_equal(s.data.mrz_number, "SPECI2021");
    act_k(&s, ACT_MRZ_NEXT, 0);
    /* birth: a day that exists and is not after today */
    assert_int_equal(s.screen, SCREEN_CARD_MRZ_BIRTH);
    type_can(&s, "31021965"); /* 31 February */
    act_k(&s, ACT_MRZ_NEXT, 0);
    assert_int_equal(s.screen, SCREEN_CARD_MRZ_BIRTH);
    for (int i = 0; i < 8; i++)
        act_k(&s, ACT_KEY_ERASE, 0);
    type_can(&s, "01012027"); /* after today (2026-11-28) */
    assert_false(session_mrz_complete(&s));
    for (int i = 0; i < 8; i++)
        act_k(&s, ACT_KEY_ERASE, 0);
    type_can(&s, "100319651"); /* one digit too many: ignored */
    assert_string_equal(s.data.mrz_birth, "10031965");
    assert_true(session_mrz_complete(&s));
    act_k(&s, ACT_MRZ_NEXT, 0);
    assert_int_equal(s.screen, SCREEN_CARD_MRZ_EXPIRY);
    /* back keeps what was typed, one step at a time */
    act_k(&s, ACT_BACK, 0);
    assert_int_equal(s.screen, SCREEN_CARD_MRZ_BIRTH);
    assert_string_equal(s.data.mrz_birth, "10031965");
    act_k(&s, ACT_MRZ_NEXT, 0);
    type_can(&s, "0208203");
    act_k(&s, ACT_MRZ_NEXT, 0);
    assert_int_equal(FX.n, 0); /* 7 digits: no read */
    type_can(&s, "1");
    act_k(&s, ACT_MRZ_NEXT, 0);
    /* the read gets the MRZ key: document number, birth and expiry as YYMMDD; no CAN */
    assert_int_equal(s.screen, SCREEN_CARD_READING);
    assert_int_equal(FX.n, 1);
    assert_int_equal(FX.items[0].kind, EFFECT_CARD_READ);
    assert_string_equal(FX.items[0].mrz_number, "SPECI2021");
    assert_string_equal(FX.items[0].mrz_birth, "650310");
    assert_string_equal(FX.items[0].mrz_expiry, "310802");
    assert_string_equal(FX.items[0].can, "");
    uint32_t req = FX.items[0].request;
    /* the card moved: "try again" reads with the same details */
    card_result(&s, req, CARD_READ_GONE, 0, NULL);
    assert_int_equal(s.data.card_error, CARD_ERROR_GONE);
    act_k(&s, ACT_CAN_DONE, 0);
    assert_int_equal(FX.n, 1);
    assert_string_equal(FX.items[0].mrz_birth, "650310");
    assert_string_equal(FX.items[0].can, "");
    req = FX.items[0].request;
    /* read: the details are wiped at once, the name is shown */
    card_result(&s, req, CARD_READ_OK, 0, &WILLEKE);
    assert_int_equal(s.screen, SCREEN_CARD_CONFIRM);
    assert_string_equal(s.data.mrz_number, "");
    assert_string_equal(s.data.mrz_birth, "");
    assert_string_equal(s.data.mrz_expiry, "");
    assert_false(s.data.card_mrz);
    act_k(&s, ACT_CARD_USE, 0);
    act_k(&s, ACT_SEND_INTAKE, 0);
    assert_string_equal(FX.items[0].surname, "DE BRUIJN");
    assert_false(FX.items[0].name_typed);
    assert_string_equal(FX.items[0].mrz_number, "");
    act_k(&s, ACT_DONE, 0);
    assert_true(session_is_wiped(&s));
}

/* An older document answers the CAN with "needs the MRZ": the details screen, saying why. */
static void mrz_needed_by_an_older_document(void **state)
{
    (void)state;
    session s;
    to_summary(&s);
    act_k(&s, ACT_CARD_START, 0);
    uint32_t req = read_card(&s, "123456");
    card_result(&s, req, CARD_READ_NEEDS_MRZ, -1, NULL);
    assert_int_equal(s.screen, SCREEN_CARD_MRZ_NUMBER);
    assert_int_equal(s.data.card_error, CARD_ERROR_NEEDS_MRZ);
    assert_string_equal(s.data.can, "");
    /* wrong details: back to the number, the details kept to check them */
    req = read_with_mrz(&s, "SPECI2021", "11031965", "02082031");
    card_result(&s, req, CARD_READ_WRONG_CAN, -1, NULL);
    assert_int_equal(s.screen, SCREEN_CARD_MRZ_NUMBER);
    assert_int_equal(s.data.card_error, CARD_ERROR_WRONG_MRZ);
    assert_string_equal(s.data.mrz_birth, "11031965");
    act_k(&s, ACT_MRZ_NEXT, 0);
    for (int i = 0; i < 8; i++)
        act_k(&s, ACT_KEY_ERASE, 0);
    type_can(&s, "10031965");
    act_k(&s, ACT_MRZ_NEXT, 0);
    act_k(&s, ACT_MRZ_NEXT, 0);
    assert_int_equal(FX.n, 1);
    assert_string_equal(FX.items[0].mrz_birth, "650310");
    req = FX.items[0].request;
    /* the chip refuses once more with no tries left: unreadable, nothing kept */
    card_result(&s, req, CARD_READ_WRONG_CAN, 0, NULL);
    assert_int_equal(s.screen, SCREEN_CARD_READING);
    assert_int_equal(s.data.card_error, CARD_ERROR_UNREADABLE);
    assert_string_equal(s.data.mrz_number, "");
    assert_string_equal(s.data.mrz_expiry, "");
    act_k(&s, ACT_CAN_DONE, 0);
    assert_int_equal(FX.n, 0); /* no retry */
    /* the details asked for again after they were given: unreadable, not a loop */
    act_k(&s, ACT_BACK, 0);
    act_k(&s, ACT_CARD_START, 0);
    act_k(&s, ACT_CARD_MRZ, 0);
    req = read_with_mrz(&s, "SPECI2021", "10031965", "02082031");
    card_result(&s, req, CARD_READ_NEEDS_MRZ, -1, NULL);
    assert_int_equal(s.screen, SCREEN_CARD_READING);
    assert_int_equal(s.data.card_error, CARD_ERROR_UNREADABLE);
    assert_string_equal(s.data.mrz_number, "");
    assert_string_equal(s.data.mrz_birth, "");
    assert_false(s.data.card_mrz);
}

/* The details are wiped on skip, on back to the CAN, and with the session (the timeout). */
static void mrz_details_wiped(void **state)
{
    (void)state;
    session s;
    to_summary(&s);
    act_k(&s, ACT_CARD_START, 0);
    act_k(&s, ACT_CARD_MRZ, 0);
    type_chars(&s, "SPECI2021");
    act_k(&s, ACT_MRZ_NEXT, 0);
    type_can(&s, "1003");
    act_k(&s, ACT_BACK, 0);
    act_k(&s, ACT_BACK, 0); /* number -> the CAN keypad: the details are forgotten */
    assert_int_equal(s.screen, SCREEN_CARD_CAN);
    assert_string_equal(s.data.mrz_number, "");
    assert_string_equal(s.data.mrz_birth, "");
    act_k(&s, ACT_CARD_MRZ, 0);
    type_chars(&s, "SPECI2021");
    act_k(&s, ACT_CARD_SKIP, 0);
    assert_int_equal(s.screen, SCREEN_SUMMARY);
    assert_string_equal(s.data.mrz_number, "");
    /* a read pending, the card moved, the citizen walks away */
    act_k(&s, ACT_CARD_START, 0);
    act_k(&s, ACT_CARD_MRZ, 0);
    uint32_t req = read_with_mrz(&s, "SPECI2021", "10031965", "02082031");
    card_result(&s, req, CARD_READ_GONE, 0, NULL);
    assert_string_equal(s.data.mrz_number, "SPECI2021"); /* for "try again" */
    tick_to(&s, s.now_ms + 60000);
    tick_to(&s, s.now_ms + 30000);
    assert_int_equal(s.screen, SCREEN_WELCOME);
    assert_true(session_is_wiped(&s));
}

/* ---- my name typed by myself ---- */

static void type_name(session *s, const char *utf8)
{
    const unsigned char *p = (const unsigned char *)utf8;
    while (*p) {
        int cp = *p < 0x80 ? *p : ((p[0] & 0x1F) << 6) | (p[1] & 0x3F);
        p += *p < 0x80 ? 1 : 2;
        act_k(s, ACT_KEY_CHAR, cp);
    }
}

static void name_typed_reaches_the_intake(void **state)
{
    (void)state;
    session s;
    to_summary(&s);
    act_k(&s, ACT_NAME_START, 0);
    assert_int_equal(s.screen, SCREEN_NAME_GIVEN);
    assert_string_equal(screen_name(SCREEN_NAME_GIVEN), "name_given");
    assert_string_equal(screen_name(SCREEN_NAME_SURNAME), "name_surname");
    /* nothing but separators is no name; a space or hyphen never first */
    type_name(&s, " -");
    assert_string_equal(s.data.name_given, "");
    act_k(&s, ACT_NAME_NEXT, 0);
    assert_int_equal(s.screen, SCREEN_NAME_GIVEN);
    /* a capital at the start and after a space or hyphen; accented letters; no digits */
    type_name(&s, "gérard1  jan-piet");
    assert_string_equal(s.data.name_given, "Gérard Jan-Piet");
    act_k(&s, ACT_KEY_ERASE, 0);
    act_k(&s, ACT_KEY_ERASE, 0);
    act_k(&s, ACT_KEY_ERASE, 0);
    act_k(&s, ACT_KEY_ERASE, 0);
    act_k(&s, ACT_KEY_ERASE, 0); /* "-Piet" off */
    assert_string_equal(s.data.name_given, "Gérard Jan");
    for (int i = 0; i < 5; i++)
        act_k(&s, ACT_KEY_ERASE, 0); /* " Jan" and the d */
    act_k(&s, ACT_KEY_ERASE, 0);     /* r */
    act_k(&s, ACT_KEY_ERASE, 0);     /* a */
    act_k(&s, ACT_KEY_ERASE, 0);     /* r */
    assert_string_equal(s.data.name_given, "Gé");
    act_k(&s, ACT_KEY_ERASE, 0); /* é: two bytes, one letter */
    assert_string_equal(s.data.name_given, "G");
    type_name(&s, "érard jan");
    act_k(&s, ACT_NAME_NEXT, 0);
    assert_int_equal(s.screen, SCREEN_NAME_SURNAME);
    /* the surname starts with a capital; the citizen can switch it off */
    act_k(&s, ACT_NAME_SHIFT, 0);
    type_name(&s, "van 't ");
    act_k(&s, ACT_NAME_SHIFT, 0);
    type_name(&s, "hek");
    assert_string_equal(s.data.name_surname, "van 't Hek");
    act_k(&s, ACT_BACK, 0); /* to the given names and on again: both kept */
    assert_int_equal(s.screen, SCREEN_NAME_GIVEN);
    assert_string_equal(s.data.name_given, "Gérard Jan");
    act_k(&s, ACT_NAME_NEXT, 0);
    act_k(&s, ACT_NAME_NEXT, 0);
    assert_int_equal(s.screen, SCREEN_SUMMARY);
    assert_true(s.data.name_used);
    act_k(&s, ACT_CARD_START, 0); /* a name is there: no card now */
    assert_int_equal(s.screen, SCREEN_SUMMARY);
    /* change it: the same screens with what was typed; back keeps it as it is */
    act_k(&s, ACT_NAME_START, 1);
    assert_int_equal(s.screen, SCREEN_NAME_GIVEN);
    assert_string_equal(s.data.name_given, "Gérard Jan");
    assert_false(s.data.name_shift); /* mid-name: small letters */
    type_name(&s, "-piet");
    act_k(&s, ACT_BACK, 0);
    assert_int_equal(s.screen, SCREEN_SUMMARY);
    assert_true(s.data.name_used);
    assert_string_equal(s.data.name_given, "Gérard Jan-Piet");
    /* emptied and back: no name */
    act_k(&s, ACT_NAME_START, 1);
    act_k(&s, ACT_NAME_NEXT, 0);
    for (int i = 0; i < 20; i++)
        act_k(&s, ACT_KEY_ERASE, 0);
    act_k(&s, ACT_BACK, 0);
    act_k(&s, ACT_BACK, 0);
    assert_int_equal(s.screen, SCREEN_SUMMARY);
    assert_false(s.data.name_used);
    assert_string_equal(s.data.name_given, "");
    act_k(&s, ACT_NAME_START, 1); /* nothing to change now */
    assert_int_equal(s.screen, SCREEN_NAME_GIVEN);
    type_name(&s, "gérard jan");
    act_k(&s, ACT_NAME_NEXT, 0);
    type_name(&s, "'t hek");
    assert_string_equal(s.data.name_surname, "'t hek"); /* 't small after the apostrophe */
    for (int i = 0; i < 6; i++)
        act_k(&s, ACT_KEY_ERASE, 0);
    act_k(&s, ACT_NAME_SHIFT, 0);
    type_name(&s, "van 't ");
    act_k(&s, ACT_NAME_SHIFT, 0);
    type_name(&s, "hek");
    act_k(&s, ACT_NAME_NEXT, 0);
    assert_int_equal(s.screen, SCREEN_SUMMARY);
    act_k(&s, ACT_SEND_INTAKE, 0);
    assert_true(has_effect(EFFECT_INTAKE));
    assert_string_equal(FX.items[0].given, "Gérard Jan");
    assert_string_equal(FX.items[0].surname, "van 't Hek");
    assert_true(FX.items[0].name_typed);
    act_k(&s, ACT_DONE, 0);
    assert_true(session_is_wiped(&s));
}

/* ---- text from a physical keyboard (ACT_KEY_TYPED) ---- */

static void type_text(session *s, const char *utf8)
{
    act(s, (action){.kind = ACT_KEY_TYPED, .text = utf8});
}

/* On each letter screen a keyboard's text goes in as that screen's own keys would type it, and
 * only what its keyboard offers; elsewhere it does nothing. */
static void keyboard_text_typed_as_the_screen_s_keys(void **state)
{
    (void)state;
    session s;
    /* the e-mail address: a-z 0-9 @ . - _ + (a capital is its small letter's key) */
    go_to(&s, SCREEN_NEXT_STEP);
    act(&s, (action){.kind = ACT_REFERENCE, .ok = true, .value = 10000127ull});
    act_k(&s, ACT_SHARE, 0);
    int org = 0;
    while (!(session_overview_orgs(&s) >> org & 1))
        org++;
    act_k(&s, ACT_CONSENT_TOGGLE, org);
    act_k(&s, ACT_CONSENT_DONE, 0);
    act_k(&s, ACT_CONTACT, SESSION_CONTACT_EMAIL);
    assert_int_equal(s.screen, SCREEN_EMAIL);
    uint32_t v = s.version;
    type_text(&s, "!#é ~*/\xE2\x80\x99"); /* none of these is a key of the e-mail keyboard */
    assert_string_equal(s.data.email, "");
    assert_int_equal(s.version, v);
    type_text(&s, "Jan.de-Vries_2+x@Example.NL");
    assert_string_equal(s.data.email, "jan.de-vries_2+x@example.nl");
    act_k(&s, ACT_KEY_ERASE, 0);
    assert_string_equal(s.data.email, "jan.de-vries_2+x@example.n");
    type_text(&s, NULL); /* no text: nothing */
    type_text(&s, "l");
    act_k(&s, ACT_EMAIL_DONE, 0);
    assert_int_equal(s.screen, SCREEN_SUMMARY);
    assert_string_equal(s.data.email, "jan.de-vries_2+x@example.nl");
    /* the summary and the other screens take no text */
    type_text(&s, "abc");
    assert_string_equal(s.data.email, "jan.de-vries_2+x@example.nl");
    assert_string_equal(s.data.name_given, "");

    /* the document number: capitals and digits (a small letter is its capital), at most 9 */
    to_summary(&s);
    act_k(&s, ACT_CARD_START, 0);
    assert_int_equal(s.screen, SCREEN_CARD_CAN);
    type_text(&s, "12"); /* the CAN keypad: digits come as keys (ACT_KEY_DIGIT), not as text */
    assert_string_equal(s.data.can, "");
    act_k(&s, ACT_CARD_MRZ, 0);
    assert_int_equal(s.screen, SCREEN_CARD_MRZ_NUMBER);
    type_text(&s, "sp-é Eci20");
    assert_string_equal(s.data.mrz_number, "SPECI20");
    type_text(&s, "21XYZ");
    assert_string_equal(s.data.mrz_number, "SPECI2021");
    act_k(&s, ACT_MRZ_NEXT, 0);
    assert_int_equal(s.screen, SCREEN_CARD_MRZ_BIRTH);
    type_text(&s, "10031965"); /* the date keypad: not text either */
    assert_string_equal(s.data.mrz_birth, "");

    /* the names: the keyboard's letters (its accented ones, and capitals), hyphen, apostrophe
     * (also the typographic one), space; a capital by itself where the keys give one */
    to_summary(&s);
    act_k(&s, ACT_NAME_START, 0);
    assert_int_equal(s.screen, SCREEN_NAME_GIVEN);
    type_text(&s, "gérard jan-piet");
    assert_string_equal(s.data.name_given, "Gérard Jan-Piet");
    act_k(&s, ACT_KEY_ERASE, 0);
    act_k(&s, ACT_KEY_ERASE, 0);
    act_k(&s, ACT_KEY_ERASE, 0);
    act_k(&s, ACT_KEY_ERASE, 0);
    act_k(&s, ACT_KEY_ERASE, 0);
    assert_string_equal(s.data.name_given, "Gérard Jan");
    /* not on the keyboard: digits, other signs, letters it lacks (ø, ş, ł, ê: the session
     * knows some of them, the keyboard does not), broken or over-long UTF-8 */
    v = s.version;
    type_text(&s, "1.@_ø\xC5\x9F\xC5\x82\xC3\xAA\xC3\xE0\x80\xA7\xF0\x9F\x98\x80");
    assert_string_equal(s.data.name_given, "Gérard Jan");
    assert_int_equal(s.version, v);
    act_k(&s, ACT_NAME_NEXT, 0);
    assert_int_equal(s.screen, SCREEN_NAME_SURNAME);
    type_text(&s, "\xE2\x80\x99t hÉk ÇÑÖ");
    assert_string_equal(s.data.name_surname, "'t hÉk ÇÑÖ");
    act_k(&s, ACT_KEY_ERASE, 0); /* Ö is two bytes: it goes whole */
    assert_string_equal(s.data.name_surname, "'t hÉk ÇÑ");
    act_k(&s, ACT_NAME_NEXT, 0);
    assert_int_equal(s.screen, SCREEN_SUMMARY);
    assert_true(s.data.name_used);
    assert_string_equal(s.data.name_given, "Gérard Jan");

    /* under the inactivity warning nothing is typed, and the text is no sign of being here */
    act_k(&s, ACT_NAME_START, 1);
    assert_int_equal(s.screen, SCREEN_NAME_GIVEN);
    tick_to(&s, s.now_ms + 60000);
    assert_true(s.warning);
    type_text(&s, "x");
    assert_string_equal(s.data.name_given, "Gérard Jan");
    assert_true(s.warning);
}

static void name_typed_limits_and_wipe(void **state)
{
    (void)state;
    session s;
    to_summary(&s);
    act_k(&s, ACT_NAME_START, 0);
    /* é is two bytes: 31 whole letters fit, never half of one */
    for (int i = 0; i < 100; i++)
        act_k(&s, ACT_KEY_CHAR, 0xE9);
    assert_int_equal(strlen(s.data.name_given), SESSION_NAME_MAX - 1);
    /* not typed after all */
    act_k(&s, ACT_BACK, 0);
    assert_int_equal(s.screen, SCREEN_SUMMARY);
    assert_string_equal(s.data.name_given, "");
    /* the way on from an unreadable card and from a card not shown genuine */
    act_k(&s, ACT_CARD_START, 0);
    card_result(&s, read_card(&s, "123456"), CARD_READ_UNREADABLE, 0, NULL);
    act_k(&s, ACT_NAME_START, 0);
    assert_int_equal(s.screen, SCREEN_NAME_GIVEN);
    act_k(&s, ACT_BACK, 0);
    act_k(&s, ACT_CARD_START, 0);
    card_identity c = WILLEKE;
    c.pa = CARD_PA_FAILED;
    card_result(&s, read_card(&s, "123456"), CARD_READ_OK, 0, &c);
    act_k(&s, ACT_NAME_START, 0);
    assert_int_equal(s.screen, SCREEN_NAME_GIVEN);
    assert_string_equal(s.data.card.given, ""); /* what the card said is gone */
    type_name(&s, "maria");
    act_k(&s, ACT_NAME_NEXT, 0);
    type_name(&s, "yilmaz");
    act_k(&s, ACT_NAME_NEXT, 0);
    assert_true(s.data.name_used);
    /* a verified card's name is not replaced by typing from its confirm screen */
    act_k(&s, ACT_CARD_SKIP, 0); /* "do not send my name": typed name gone too */
    assert_false(s.data.name_used);
    assert_string_equal(s.data.name_surname, "");
    act_k(&s, ACT_CARD_START, 0);
    card_result(&s, read_card(&s, "123456"), CARD_READ_OK, 0, &WILLEKE);
    act_k(&s, ACT_NAME_START, 0);
    assert_int_equal(s.screen, SCREEN_CARD_CONFIRM);
    act_k(&s, ACT_CARD_USE, 0);
    act_k(&s, ACT_NAME_START, 0); /* the card's name is used: no typing over it */
    assert_int_equal(s.screen, SCREEN_SUMMARY);
    act_k(&s, ACT_CARD_SKIP, 0);
    /* typed, then the session times out: wiped */
    act_k(&s, ACT_NAME_START, 0);
    type_name(&s, "maria");
    tick_to(&s, s.now_ms + 60000);
    tick_to(&s, s.now_ms + 30000);
    assert_int_equal(s.screen, SCREEN_WELCOME);
    assert_true(session_is_wiped(&s));
}

/* A read's answer arrives under the inactivity warning: it still counts. */
static void id_card_result_under_the_warning(void **state)
{
    (void)state;
    session s;
    to_summary(&s);
    act_k(&s, ACT_CARD_START, 0);
    uint32_t req = read_card(&s, "123456");
    tick_to(&s, s.now_ms + 60000);
    assert_true(s.warning);
    card_result(&s, req, CARD_READ_OK, 0, &WILLEKE);
    assert_int_equal(s.screen, SCREEN_CARD_CONFIRM);
    assert_true(s.warning); /* not a sign of being here */
}

/* The read's progress shows on the reading screen: only for the read under way, within the
 * steps, and it does not count as the citizen being there. */
static void id_card_progress(void **state)
{
    (void)state;
    session s;
    to_summary(&s);
    act_k(&s, ACT_CARD_START, 0);
    uint32_t req = read_card(&s, "123456");
    assert_int_equal(s.screen, SCREEN_CARD_READING);
    assert_int_equal(s.data.card_step, 0);
    uint64_t input = s.last_input_ms;
    tick_to(&s, s.now_ms + 1000);
    act(&s, (action){.kind = ACT_CARD_PROGRESS, .arg = (int)req, .value = 2});
    assert_int_equal(s.data.card_step, 2);
    assert_int_equal(s.last_input_ms, input);
    act(&s, (action){.kind = ACT_CARD_PROGRESS, .arg = (int)req + 7, .value = 4}); /* not ours */
    act(&s, (action){.kind = ACT_CARD_PROGRESS, .arg = (int)req, .value = CARD_READ_STEPS + 1});
    assert_int_equal(s.data.card_step, 2);
    card_result(&s, req, CARD_READ_OK, 0, &WILLEKE);
    assert_int_equal(s.screen, SCREEN_CARD_CONFIRM);
    act(&s, (action){.kind = ACT_CARD_PROGRESS, .arg = (int)req, .value = 3}); /* too late */
    assert_int_equal(s.data.card_step, 2);
}

static void id_card_name_for_display(void **state)
{
    (void)state;
    char buf[96];
    card_display_name(&WILLEKE, buf, sizeof buf);
    assert_string_equal(buf, "Willeke Liselotte de Bruijn");
    card_identity c = {.given = "JAN", .surname = "VAN DER BERG"};
    card_display_name(&c, buf, sizeof buf);
    assert_string_equal(buf, "Jan van der Berg");
    c = (card_identity){.surname = "DE BRUIJN"}; /* no given names: the surname starts */
    card_display_name(&c, buf, sizeof buf);
    assert_string_equal(buf, "De Bruijn");
    c = (card_identity){.given = "AYSE", .surname = "VAN"}; /* a surname that is one word */
    card_display_name(&c, buf, sizeof buf);
    assert_string_equal(buf, "Ayse Van");
    char small[8];
    card_display_name(&WILLEKE, small, sizeof small);
    assert_string_equal(small, "Willeke");
}

/* ---- library passes (issue 5): the number is taken only on the summary, where the site takes
 * passes; it goes with the intake, can be taken off, and is wiped with the session ---- */

static void library_pass(session *s, const char *number)
{
    act(s, (action){.kind = ACT_CARD_PRESENT, .arg = CARD_LIBRARY_PASS, .text = number});
}

static bool library_number_wiped(const session *s)
{
    static const char zero[SESSION_LIBRARY_MAX];
    return memcmp(s->data.library_number, zero, sizeof zero) == 0;
}

static void library_pass_number_on_the_summary(void **state)
{
    (void)state;
    session s;
    /* on another screen a pass only says someone is there */
    go_to(&s, SCREEN_QUESTION);
    s.cfg.library_pass = true;
    tick_to(&s, s.now_ms + 5000);
    library_pass(&s, "3220338716");
    assert_int_equal(s.last_input_ms, s.now_ms);
    assert_int_equal(s.card, CARD_OTHER);
    assert_true(library_number_wiped(&s));
    assert_int_equal(s.screen, SCREEN_QUESTION);

    to_summary(&s);
    s.cfg.library_pass = true;
    /* only a number as the card reader makes one: digits or upper-case hex, not too long */
    static const char *const bad[] = {
        NULL, "", "12 34", "12ab", "3220338716\n", "123456789012345678901234567890123"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        library_pass(&s, bad[i]);
        assert_true(library_number_wiped(&s));
    }
    uint32_t v = s.version;
    char given[] = "3220338716";
    library_pass(&s, given);
    explicit_bzero(given, sizeof given); /* the session keeps its own copy */
    assert_string_equal(s.data.library_number, "3220338716");
    assert_int_not_equal(s.version, v); /* the summary shows it */
    library_pass(&s, "1C78F2BF"); /* another pass (uid-hex): it takes the place of the first */
    assert_string_equal(s.data.library_number, "1C78F2BF");
    act_k(&s, ACT_CARD_REMOVED, 0); /* taking the pass off keeps the number */
    assert_string_equal(s.data.library_number, "1C78F2BF");
    /* "change something" and back: kept; a pass on the contact screen changes nothing */
    act_k(&s, ACT_BACK, 0);
    assert_int_equal(s.screen, SCREEN_CONTACT);
    library_pass(&s, "1111");
    assert_string_equal(s.data.library_number, "1C78F2BF");
    act_k(&s, ACT_CONTACT, SESSION_CONTACT_DESK);
    assert_int_equal(s.screen, SCREEN_SUMMARY);
    assert_string_equal(s.data.library_number, "1C78F2BF");
    /* taken off on the summary: nothing of it left, nothing sent */
    act_k(&s, ACT_LIBRARY_REMOVE, 0);
    assert_true(library_number_wiped(&s));
    assert_int_equal(s.screen, SCREEN_SUMMARY);
    library_pass(&s, "3220338716");
    act_k(&s, ACT_SEND_INTAKE, 0);
    assert_true(has_effect(EFFECT_INTAKE));
    assert_string_equal(FX.items[0].library_number, "3220338716");
    assert_int_equal(s.screen, SCREEN_NEXT_STEP);
    /* sent: a pass now changes nothing */
    library_pass(&s, "1111");
    assert_string_equal(s.data.library_number, "3220338716");
    act(&s, (action){.kind = ACT_INTAKE_RESULT, .arg = (int)s.data.intake_request, .ok = true});
    act_k(&s, ACT_DONE, 0);
    assert_true(library_number_wiped(&s));
    assert_true(session_is_wiped(&s));
}

/* A site without library passes ([nfc] library_pass = off, the default): never taken, never
 * sent, whatever the reader says. */
static void library_pass_only_where_the_site_takes_them(void **state)
{
    (void)state;
    session s;
    to_summary(&s);
    assert_false(s.cfg.library_pass);
    library_pass(&s, "3220338716");
    assert_true(library_number_wiped(&s));
    act_k(&s, ACT_SEND_INTAKE, 0);
    assert_true(has_effect(EFFECT_INTAKE));
    assert_string_equal(FX.items[0].library_number, "");
    /* a number the session holds is sent only while the site takes passes */
    to_summary(&s);
    s.cfg.library_pass = true;
    library_pass(&s, "3220338716");
    s.cfg.library_pass = false;
    act_k(&s, ACT_SEND_INTAKE, 0);
    assert_string_equal(FX.items[0].library_number, "");
}

/* Under the inactivity warning a pass answers it, and is not taken; the timeout wipes the
 * number; asking for help after ticking takes it along with the intake. */
static void library_pass_warning_timeout_and_handoff(void **state)
{
    (void)state;
    session s;
    to_summary(&s);
    s.cfg.library_pass = true;
    uint64_t t = s.now_ms;
    tick_to(&s, t + 60000);
    assert_true(s.warning);
    library_pass(&s, "3220338716");
    assert_false(s.warning);
    assert_true(library_number_wiped(&s));
    library_pass(&s, "3220338716");
    assert_string_equal(s.data.library_number, "3220338716");
    tick_to(&s, s.now_ms + 60000); /* the warning, then its end */
    assert_true(s.warning);
    tick_to(&s, s.now_ms + 30000);
    assert_int_equal(s.screen, SCREEN_WELCOME);
    assert_true(has_effect(EFFECT_SESSION_ENDED));
    assert_true(library_number_wiped(&s));
    assert_true(session_is_wiped(&s));

    to_summary(&s);
    s.cfg.library_pass = true;
    library_pass(&s, "3220338716");
    act_k(&s, ACT_HANDOFF, 0);
    assert_true(has_effect(EFFECT_HANDOFF));
    assert_true(has_effect(EFFECT_INTAKE));
    assert_int_equal(FX.items[1].kind, EFFECT_INTAKE);
    assert_string_equal(FX.items[1].library_number, "3220338716");
    assert_string_equal(FX.items[0].library_number, ""); /* the hand-off itself: not */
}

static void out_of_order_without_content(void **state)
{
    (void)state;
    session s;
    session_config cfg;
    session_config_defaults(&cfg);
    session_init(&s, NULL, &cfg, 0, TODAY);
    assert_int_equal(s.screen, SCREEN_OUT_OF_ORDER);
    act_k(&s, ACT_START, 0);
    assert_int_equal(s.screen, SCREEN_OUT_OF_ORDER);
    act_k(&s, ACT_HANDOFF, 0);
    assert_true(has_effect(EFFECT_HANDOFF));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(starts_on_welcome_wiped),
        cmocka_unit_test(full_journey),
        cmocka_unit_test(goodbye_in_the_citizens_language),
        cmocka_unit_test(skipped_question_and_failed_print),
        cmocka_unit_test(no_printer_means_no_print),
        cmocka_unit_test(back_from_every_screen),
        cmocka_unit_test(changed_answer_forgets_later_ones),
        cmocka_unit_test(date_picker_months_are_bounded),
        cmocka_unit_test(overview_details_toggle),
        cmocka_unit_test(language_switch_keeps_answers),
        cmocka_unit_test(handoff_from_every_screen),
        cmocka_unit_test(handoff_failure_can_be_retried),
        cmocka_unit_test(timeout_warns_then_wipes),
        cmocka_unit_test(still_here_extends_at_least_ten_times),
        cmocka_unit_test(card_tap_means_someone_is_there),
        cmocka_unit_test(handoff_message_on_welcome_times_out),
        cmocka_unit_test(version_changes_only_when_visible),
        cmocka_unit_test(speech_mode_gets_more_time),
        cmocka_unit_test(access_settings_reset_when_the_session_ends),
        cmocka_unit_test(out_of_order_without_content),
        cmocka_unit_test(share_with_consent_contact_and_keypad),
        cmocka_unit_test(handoff_takes_the_intake_only_with_consent),
        cmocka_unit_test(id_card_fills_in_the_name),
        cmocka_unit_test(id_card_taken_off_the_summary),
        cmocka_unit_test(id_card_not_genuine_is_never_used),
        cmocka_unit_test(id_card_wrong_can_gone_and_blocked),
        cmocka_unit_test(id_card_back_from_every_screen),
        cmocka_unit_test(id_card_wiped_with_the_session),
        cmocka_unit_test(mrz_details_instead_of_the_can),
        cmocka_unit_test(mrz_needed_by_an_older_document),
        cmocka_unit_test(mrz_details_wiped),
        cmocka_unit_test(name_typed_reaches_the_intake),
        cmocka_unit_test(name_typed_limits_and_wipe),
        cmocka_unit_test(keyboard_text_typed_as_the_screen_s_keys),
        cmocka_unit_test(id_card_result_under_the_warning),
        cmocka_unit_test(id_card_name_for_display),
        cmocka_unit_test(id_card_progress),
        cmocka_unit_test(handoff_number_and_cancel),
        cmocka_unit_test(handoff_number_kept_in_the_session_only),
        cmocka_unit_test(out_of_hours_call_back),
        cmocka_unit_test(staff_badge_pin_and_pickup),
        cmocka_unit_test(undelivered_handoff_taken_back_call_back_kept),
        cmocka_unit_test(library_pass_number_on_the_summary),
        cmocka_unit_test(library_pass_only_where_the_site_takes_them),
        cmocka_unit_test(library_pass_warning_timeout_and_handoff),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
