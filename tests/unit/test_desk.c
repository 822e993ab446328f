/* The desk console without a screen or a network: the state machine (new tasks highlighted
 * and announced, done closes, a failed poll keeps the list and marks it stale, the case view
 * wiped), reference numbers typed or scanned (and garbage), the case service's answers
 * parsed defensively, the configuration. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/refnum.h"
#include "desk/desk.h"
#include "desk/desk_config.h"
#include "net/caseapi.h"

#define T0 1800000000000LL /* 2027-01-15, in ms */
#define UUID_A "11111111-1111-4111-8111-111111111111"
#define UUID_B "22222222-2222-4222-8222-222222222222"

static desk_task task(const char *uuid, const char *ref, const char *what)
{
    desk_task t;
    memset(&t, 0, sizeof t);
    snprintf(t.uuid, sizeof t.uuid, "%s", uuid);
    snprintf(t.ref, sizeof t.ref, "%s", ref);
    snprintf(t.code, sizeof t.code, "%s", ref + strlen(ref) - 4);
    snprintf(t.what, sizeof t.what, "%s", what);
    snprintf(t.status, sizeof t.status, "te_verwerken");
    t.assigned_ms = T0;
    return t;
}

static int count(const desk_effects *fx, desk_effect_kind k)
{
    int n = 0;
    for (int i = 0; i < fx->n; i++)
        n += fx->e[i].kind == k;
    return n;
}

static const desk_effect *find(const desk_effects *fx, desk_effect_kind k)
{
    for (int i = 0; i < fx->n; i++)
        if (fx->e[i].kind == k)
            return &fx->e[i];
    return NULL;
}

static desk_state *fresh_state(void)
{
    desk_state *s = calloc(1, sizeof *s);
    assert_non_null(s);
    desk_init(s, DESK_NL, T0);
    return s;
}

static void poll(desk_state *s, const desk_task *tasks, int n, int64_t now, desk_effects *fx)
{
    desk_action a = {.kind = DESK_ACT_POLL_OK, .now_ms = now, .tasks = tasks, .n = n};
    desk_apply(s, &a, fx);
}

static void test_new_task_highlight_and_chime(void **st)
{
    (void)st;
    desk_state *s = fresh_state();
    desk_effects fx;
    desk_task a = task(UUID_A, "0010000012", "Warm overdracht: inwoner wacht bij zuil 2");
    /* what is there when the desk starts is listed, not announced */
    poll(s, &a, 1, T0 + 1000, &fx);
    assert_int_equal(s->n_tasks, 1);
    assert_false(s->tasks[0].fresh);
    assert_int_equal(count(&fx, DESK_EFF_CHIME), 0);
    /* a task that appears later: highlighted, one chime, seen at this poll's time */
    desk_task two[2] = {a, task(UUID_B, "0010000020", "Terugbelverzoek via zuil 2")};
    uint32_t v = s->version;
    poll(s, two, 2, T0 + 2000, &fx);
    assert_int_equal(s->n_tasks, 2);
    assert_true(s->version != v);
    assert_false(s->tasks[0].fresh);
    assert_true(s->tasks[1].fresh);
    assert_int_equal(s->tasks[1].seen_ms, T0 + 2000);
    assert_int_equal(count(&fx, DESK_EFF_CHIME), 1);
    assert_int_equal(find(&fx, DESK_EFF_CHIME)->count, 1);
    /* the next poll with the same tasks: no second chime, still highlighted */
    poll(s, two, 2, T0 + 3000, &fx);
    assert_int_equal(count(&fx, DESK_EFF_CHIME), 0);
    assert_true(s->tasks[1].fresh);
    assert_int_equal(s->tasks[1].seen_ms, T0 + 2000);
    /* an unchanged list changes nothing on screen: nothing is drawn again */
    v = s->version;
    poll(s, two, 2, T0 + 3500, &fx);
    assert_int_equal(s->version, v);
    /* nor does a tick within the same second; the next second does (a task under a minute
     * old shows its waiting time in seconds) */
    desk_action t1 = {.kind = DESK_ACT_TICK, .now_ms = T0 + 3600};
    desk_apply(s, &t1, &fx);
    assert_int_equal(s->version, v);
    desk_action t2 = {.kind = DESK_ACT_TICK, .now_ms = T0 + 4100};
    desk_apply(s, &t2, &fx);
    assert_true(s->version != v);
    /* the highlight goes after DESK_FRESH_MS */
    desk_action tick = {.kind = DESK_ACT_TICK, .now_ms = T0 + 2000 + DESK_FRESH_MS};
    desk_apply(s, &tick, &fx);
    assert_false(s->tasks[1].fresh);
    /* a task the server lists as done (a server ignoring the filter) is left out */
    desk_task done = task(UUID_A, "0010000012", "x");
    snprintf(done.status, sizeof done.status, "verwerkt");
    poll(s, &done, 1, T0 + 4000, &fx);
    assert_int_equal(s->n_tasks, 0);
    desk_wipe(s);
    free(s);
}

static void test_open_clears_highlight(void **st)
{
    (void)st;
    desk_state *s = fresh_state();
    desk_effects fx;
    poll(s, NULL, 0, T0, &fx);
    desk_task a = task(UUID_A, "0010000012", "Warm overdracht");
    poll(s, &a, 1, T0 + 1000, &fx);
    assert_true(s->tasks[0].fresh);
    desk_action open = {.kind = DESK_ACT_OPEN, .now_ms = T0 + 1500, .ref = "0010000012"};
    desk_apply(s, &open, &fx);
    assert_false(s->tasks[0].fresh);
    assert_true(s->case_loading);
    assert_int_equal(count(&fx, DESK_EFF_FETCH_CASE), 1);
    assert_string_equal(find(&fx, DESK_EFF_FETCH_CASE)->ref, "0010000012");
    desk_wipe(s);
    free(s);
}

static void test_open_without_number(void **st)
{
    (void)st;
    /* a task another channel made, without a referentienummer: its klantcontact is looked up */
    desk_state *s = fresh_state();
    desk_effects fx;
    desk_task a = task(UUID_A, "0010000012", "Terugbellen");
    a.ref[0] = '\0';
    a.code[0] = '\0';
    snprintf(a.contact_uuid, sizeof a.contact_uuid, UUID_B);
    poll(s, &a, 1, T0, &fx);
    desk_action open = {.kind = DESK_ACT_OPEN, .now_ms = T0, .ref = "", .uuid = UUID_B};
    desk_apply(s, &open, &fx);
    const desk_effect *e = find(&fx, DESK_EFF_FETCH_CASE);
    assert_non_null(e);
    assert_string_equal(e->ref, "");
    assert_string_equal(e->uuid, UUID_B);
    desk_case *c = calloc(1, sizeof *c);
    snprintf(c->uuid, sizeof c->uuid, UUID_B);
    desk_action ok = {.kind = DESK_ACT_CASE_OK, .now_ms = T0, .kase = c, .ref = "", .uuid = UUID_B};
    desk_apply(s, &ok, &fx);
    assert_true(s->case_open);
    /* neither a number nor a klantcontact: said, nothing asked */
    desk_action none = {.kind = DESK_ACT_OPEN, .now_ms = T0, .ref = "", .uuid = "x"};
    desk_apply(s, &none, &fx);
    assert_int_equal(count(&fx, DESK_EFF_FETCH_CASE), 0);
    assert_true(s->message_error);
    free(c);
    desk_wipe(s);
    free(s);
}

static void test_done_patch_and_row_goes(void **st)
{
    (void)st;
    desk_state *s = fresh_state();
    desk_effects fx;
    desk_task two[2] = {task(UUID_A, "0010000012", "A"), task(UUID_B, "0010000020", "B")};
    poll(s, two, 2, T0, &fx);
    desk_action done = {.kind = DESK_ACT_DONE, .now_ms = T0 + 100, .uuid = UUID_A};
    desk_apply(s, &done, &fx);
    assert_int_equal(count(&fx, DESK_EFF_CLOSE_TASK), 1);
    assert_string_equal(find(&fx, DESK_EFF_CLOSE_TASK)->uuid, UUID_A);
    assert_true(s->tasks[0].closing);
    assert_int_equal(s->n_tasks, 2); /* not gone until the service says so */
    /* a failure: the row stays, the message says why (a 401: the token) */
    desk_action fail = {.kind = DESK_ACT_DONE_FAIL,
                        .now_ms = T0 + 200,
                        .uuid = UUID_A,
                        .error = DESK_ERR_AUTH,
                        .status = 401};
    desk_apply(s, &fail, &fx);
    assert_int_equal(s->n_tasks, 2);
    assert_false(s->tasks[0].closing);
    assert_true(s->message_error);
    assert_non_null(strstr(s->message, "401"));
    /* again, and this time it works: the row goes */
    desk_apply(s, &done, &fx);
    desk_action ok = {.kind = DESK_ACT_DONE_OK, .now_ms = T0 + 300, .uuid = UUID_A};
    desk_apply(s, &ok, &fx);
    assert_int_equal(s->n_tasks, 1);
    assert_string_equal(s->tasks[0].uuid, UUID_B);
    assert_false(s->message_error);
    /* a poll that started before the PATCH and still lists it does not bring it back */
    poll(s, two, 2, T0 + 400, &fx);
    assert_int_equal(s->n_tasks, 1);
    assert_int_equal(count(&fx, DESK_EFF_CHIME), 0);
    /* long after, a task with that uuid listed again is shown again (the server knows) */
    poll(s, two, 2, T0 + 400 + DESK_CLOSED_MEMORY_MS, &fx);
    assert_int_equal(s->n_tasks, 2);
    desk_wipe(s);
    free(s);
}

static void test_poll_failure_stale(void **st)
{
    (void)st;
    desk_state *s = fresh_state();
    desk_effects fx;
    desk_task a = task(UUID_A, "0010000012", "A");
    poll(s, &a, 1, T0, &fx);
    assert_false(s->stale);
    assert_int_equal(s->last_ok_ms, T0);
    desk_action fail = {.kind = DESK_ACT_POLL_FAIL, .now_ms = T0 + 5000, .error = DESK_ERR_NETWORK};
    desk_apply(s, &fail, &fx);
    assert_true(s->stale);
    assert_int_equal(s->poll_error, DESK_ERR_NETWORK);
    assert_int_equal(s->n_tasks, 1); /* the last known list stays */
    assert_string_equal(s->tasks[0].uuid, UUID_A);
    assert_int_equal(s->last_ok_ms, T0); /* "niet bijgewerkt sinds" the last good one */
    assert_int_equal(count(&fx, DESK_EFF_LOG), 1);
    /* the same failure again is not logged again */
    desk_apply(s, &fail, &fx);
    assert_int_equal(count(&fx, DESK_EFF_LOG), 0);
    /* a 401 is said as a token problem */
    assert_non_null(strstr(desk_error_words(DESK_NL, DESK_ERR_AUTH, 401), "401"));
    assert_non_null(strstr(desk_error_words(DESK_EN, DESK_ERR_AUTH, 401), "token"));
    /* back: not stale */
    poll(s, &a, 1, T0 + 6000, &fx);
    assert_false(s->stale);
    assert_int_equal(s->last_ok_ms, T0 + 6000);
    desk_wipe(s);
    free(s);
}

static void test_reference_parsing(void **st)
{
    (void)st;
    char out[DESK_REF_MAX], ok[REFNUM_DIGITS + 1];
    assert_true(refnum_make(1, 1, ok));
    char qr[32], lower[32], grouped[24], spaced[32];
    snprintf(qr, sizeof qr, "LOKET:%s", ok);
    snprintf(lower, sizeof lower, "loket:%s", ok);
    refnum_group(ok, grouped, sizeof grouped);
    snprintf(spaced, sizeof spaced, "  %s", grouped);
    assert_true(desk_parse_reference(qr, out));
    assert_string_equal(out, ok);
    assert_true(desk_parse_reference(lower, out));
    assert_true(desk_parse_reference(ok, out));
    assert_true(desk_parse_reference(grouped, out));
    assert_true(desk_parse_reference(spaced, out));
    assert_string_equal(out, ok);
    /* a wrong check digit: every single-digit change is refused */
    for (int i = 0; i < REFNUM_DIGITS; i++)
        for (char d = '0'; d <= '9'; d++) {
            if (d == ok[i])
                continue;
            char bad[REFNUM_DIGITS + 1];
            memcpy(bad, ok, sizeof bad);
            bad[i] = d;
            assert_false(desk_parse_reference(bad, out));
        }
    /* garbage */
    const char *garbage[] = {"",
                             "LOKET:",
                             "LOKET",
                             "LOKET:001000001",
                             "LOKET:00100000122",
                             "LOKET:0010000O12",
                             "KLOKET:0010000012",
                             "LOKET;0010000012",
                             "0010000012\n",
                             "00100000123456789012345678901234567890",
                             "LOKET:LOKET:0010000012",
                             "-010000012",
                             "\xff\xfe",
                             NULL};
    for (int i = 0; garbage[i]; i++)
        assert_false(desk_parse_reference(garbage[i], out));
    assert_false(desk_parse_reference(NULL, out));
}

static void type_and_enter(desk_state *s, const char *text, desk_effects *fx)
{
    desk_action c = {.kind = DESK_ACT_CHAR, .now_ms = T0, .text = text};
    desk_apply(s, &c, fx);
    desk_action e = {.kind = DESK_ACT_ENTER, .now_ms = T0};
    desk_apply(s, &e, fx);
}

static void test_scan_and_case_view_wiped(void **st)
{
    (void)st;
    desk_state *s = fresh_state();
    desk_effects fx;
    char ok[REFNUM_DIGITS + 1], qr[32];
    refnum_make(1, 1, ok);
    snprintf(qr, sizeof qr, "LOKET:%s", ok);
    /* garbage scanned: said plainly, no request */
    type_and_enter(s, "LOKET:12x", &fx);
    assert_int_equal(fx.n, 0);
    assert_true(s->message_error);
    assert_string_equal(s->input, "");
    /* the slip's QR code: looked up */
    type_and_enter(s, qr, &fx);
    assert_int_equal(count(&fx, DESK_EFF_FETCH_CASE), 1);
    assert_string_equal(find(&fx, DESK_EFF_FETCH_CASE)->ref, ok);
    assert_string_equal(s->input, "");
    /* an answer for another number is not shown */
    desk_case *c = calloc(1, sizeof *c);
    snprintf(c->uuid, sizeof c->uuid, UUID_B);
    snprintf(c->ref, sizeof c->ref, "%s", ok);
    snprintf(c->inhoud, sizeof c->inhoud, "Wanneer verhuist u? 3 januari 2027");
    snprintf(c->contactnaam, sizeof c->contactnaam, "Gerard Jansen");
    desk_action other = {.kind = DESK_ACT_CASE_OK, .now_ms = T0, .kase = c, .ref = "0010000020"};
    desk_apply(s, &other, &fx);
    assert_false(s->case_open);
    desk_action good = {.kind = DESK_ACT_CASE_OK, .now_ms = T0, .kase = c, .ref = ok};
    desk_apply(s, &good, &fx);
    assert_true(s->case_open);
    assert_int_equal(s->screen, DESK_CASE);
    assert_string_equal(s->cv.contactnaam, "Gerard Jansen");
    /* closing the view wipes every byte of it */
    desk_action close = {.kind = DESK_ACT_CLOSE_CASE, .now_ms = T0};
    desk_apply(s, &close, &fx);
    assert_false(s->case_open);
    assert_int_equal(s->screen, DESK_LIST);
    const unsigned char *p = (const unsigned char *)&s->cv;
    for (size_t i = 0; i < sizeof s->cv; i++)
        assert_int_equal(p[i], 0);
    /* not found, and a network failure: said plainly */
    type_and_enter(s, ok, &fx);
    desk_action nf = {.kind = DESK_ACT_CASE_FAIL,
                      .now_ms = T0,
                      .ref = ok,
                      .error = DESK_ERR_NOT_FOUND,
                      .status = 200};
    desk_apply(s, &nf, &fx);
    assert_false(s->case_loading);
    assert_true(s->message_error);
    assert_non_null(strstr(s->message, "Geen zaak"));
    type_and_enter(s, ok, &fx);
    desk_action net = {
        .kind = DESK_ACT_CASE_FAIL, .now_ms = T0, .ref = ok, .error = DESK_ERR_NETWORK};
    desk_apply(s, &net, &fx);
    assert_non_null(strstr(s->message, "verbinding"));
    /* Escape clears a half-typed number first, then closes */
    desk_action ch = {.kind = DESK_ACT_CHAR, .now_ms = T0, .text = "001"};
    desk_apply(s, &ch, &fx);
    desk_action esc = {.kind = DESK_ACT_ESCAPE, .now_ms = T0};
    desk_apply(s, &esc, &fx);
    assert_string_equal(s->input, "");
    /* the input line takes ASCII only and never overflows */
    for (int i = 0; i < 200; i++)
        desk_apply(s, &ch, &fx);
    assert_true(strlen(s->input) < sizeof s->input);
    free(c);
    desk_wipe(s);
    free(s);
}

static void focus(desk_state *s, const char *id)
{
    desk_action a = {.kind = DESK_ACT_FOCUS, .now_ms = T0, .text = id};
    desk_apply(s, &a, NULL);
}

/* Tab and Shift+Tab over the controls in reading order: the first Tab goes to the first
 * control after the bar, round and round in both directions (no trap). */
static void test_focus_order(void **st)
{
    (void)st;
    const char *ids[] = {"lang", "input", "lookup", "open:0010000012", "done:0010000012"};
    int n = 5;
    assert_int_equal(desk_focus_step(ids, n, "", 1), 1);    /* not the language switch */
    assert_int_equal(desk_focus_step(ids, n, NULL, -1), 4); /* Shift+Tab: the last */
    assert_int_equal(desk_focus_step(ids, n, "input", 1), 2);
    assert_int_equal(desk_focus_step(ids, n, "lookup", 1), 3);
    assert_int_equal(desk_focus_step(ids, n, "done:0010000012", 1), 0); /* round */
    assert_int_equal(desk_focus_step(ids, n, "lang", -1), 4);
    assert_int_equal(desk_focus_step(ids, n, "input", -1), 0);
    /* a focus no longer on screen: starts again */
    assert_int_equal(desk_focus_step(ids, n, "open:9999999999", 1), 1);
    assert_int_equal(desk_focus_step(ids, 0, "", 1), -1);
    const char *only[] = {"lang"};
    assert_int_equal(desk_focus_step(only, 1, "", 1), 0);
    assert_int_equal(desk_focus_step(only, 1, "lang", 1), 0);
    /* Enter and Space: the focused button while the field is empty; the field's text else */
    desk_state *s = fresh_state();
    assert_null(desk_focus_activates(s));
    focus(s, "input");
    assert_null(desk_focus_activates(s));
    assert_false(desk_focus_on_button(s));
    focus(s, "done:0010000012");
    assert_string_equal(desk_focus_activates(s), "done:0010000012");
    desk_action ch = {.kind = DESK_ACT_CHAR, .now_ms = T0, .text = "LOKET:001"};
    desk_apply(s, &ch, NULL);
    assert_null(desk_focus_activates(s)); /* a scanner typing: its Enter is the look-up */
    desk_action esc = {.kind = DESK_ACT_ESCAPE, .now_ms = T0};
    desk_apply(s, &esc, NULL);
    /* Space on a button is no text: a leading space is dropped, one inside a number kept */
    desk_action sp = {.kind = DESK_ACT_CHAR, .now_ms = T0, .text = " "};
    desk_apply(s, &sp, NULL);
    assert_string_equal(s->input, "");
    assert_string_equal(desk_focus_activates(s), "done:0010000012");
    desk_action grp = {.kind = DESK_ACT_CHAR, .now_ms = T0, .text = "001 000"};
    desk_apply(s, &grp, NULL);
    assert_string_equal(s->input, "001 000");
    /* the mouse: no ring */
    uint32_t v = s->version;
    focus(s, "");
    assert_string_equal(s->focus, "");
    assert_true(s->version != v); /* drawn again */
    desk_wipe(s);
    free(s);
}

/* The focus is an id: it survives polls that keep its row (in any order); when its row goes it
 * moves to the next row's same button, else to the field. */
static void test_focus_follows_rows(void **st)
{
    (void)st;
    desk_state *s = fresh_state();
    desk_effects fx;
    desk_task a = task(UUID_A, "0010000012", "Warm overdracht");
    desk_task b = task(UUID_B, "0010000020", "Terugbelverzoek");
    desk_task c = task("33333333-3333-4333-8333-333333333333", "0000", "Zonder nummer");
    c.ref[0] = c.code[0] = '\0'; /* another channel's task: no number */
    desk_task abc[] = {a, b, c}, cba[] = {c, b, a}, ac[] = {a, c}, bc[] = {b, c}, a1[] = {a};
    poll(s, abc, 3, T0 + 1000, &fx);
    focus(s, "done:0010000020");
    poll(s, abc, 3, T0 + 2000, &fx);
    assert_string_equal(s->focus, "done:0010000020");
    poll(s, cba, 3, T0 + 3000, &fx); /* another order: the same row */
    assert_string_equal(s->focus, "done:0010000020");
    /* b goes: in the last order (c, b, a) the next row is a */
    poll(s, ac, 2, T0 + 4000, &fx);
    assert_string_equal(s->focus, "done:0010000012");
    /* a goes (order a, c): the next is c, a row without a number (its uuid) */
    focus(s, "open:0010000012");
    poll(s, bc, 2, T0 + 5000, &fx);
    assert_string_equal(s->focus, "open:33333333-3333-4333-8333-333333333333");
    /* the last row goes: the field */
    poll(s, bc, 1, T0 + 6000, &fx);
    assert_string_equal(s->focus, "input");
    /* a failed poll changes nothing; a focus elsewhere is left alone */
    focus(s, "lookup");
    poll(s, a1, 1, T0 + 7000, &fx);
    assert_string_equal(s->focus, "lookup");
    /* done: the row goes at once (no poll): the focus to the next, else the field */
    poll(s, abc, 3, T0 + 8000, &fx);
    focus(s, "done:0010000012");
    desk_action ok = {.kind = DESK_ACT_DONE_OK, .now_ms = T0 + 8100, .uuid = UUID_A};
    desk_apply(s, &ok, &fx);
    assert_string_equal(s->focus, "done:0010000020");
    focus(s, "done:33333333-3333-4333-8333-333333333333");
    desk_action ok3 = {.kind = DESK_ACT_DONE_OK,
                       .now_ms = T0 + 8200,
                       .uuid = "33333333-3333-4333-8333-333333333333"};
    desk_apply(s, &ok3, &fx);
    assert_string_equal(s->focus, "input");
    /* without keys in use, nothing gets a focus */
    focus(s, "");
    poll(s, a1, 1, T0 + 9000, &fx);
    assert_string_equal(s->focus, "");
    desk_wipe(s);
    free(s);
}

/* A case view opened from a row's Openen: the focus on its "close"; back (Escape or close): on
 * that row again, or the field when the row went meanwhile. */
static void test_focus_case_view(void **st)
{
    (void)st;
    desk_state *s = fresh_state();
    desk_effects fx;
    desk_task a = task(UUID_A, "0010000012", "Warm overdracht");
    desk_task b = task(UUID_B, "0010000020", "Terugbelverzoek");
    desk_task ab[] = {a, b}, b1[] = {b};
    poll(s, ab, 2, T0 + 1000, &fx);
    desk_case *c = calloc(1, sizeof *c);
    assert_non_null(c);
    snprintf(c->uuid, sizeof c->uuid, UUID_B);
    snprintf(c->ref, sizeof c->ref, "0010000012");
    focus(s, "open:0010000012");
    desk_action open = {.kind = DESK_ACT_OPEN, .now_ms = T0, .ref = "0010000012"};
    desk_apply(s, &open, &fx);
    assert_string_equal(s->focus, "open:0010000012"); /* still looking it up */
    desk_action got = {.kind = DESK_ACT_CASE_OK, .now_ms = T0, .kase = c, .ref = "0010000012"};
    desk_apply(s, &got, &fx);
    assert_string_equal(s->focus, "close");
    focus(s, "case-done:0010000012");
    desk_action esc = {.kind = DESK_ACT_ESCAPE, .now_ms = T0};
    desk_apply(s, &esc, &fx);
    assert_int_equal(s->screen, DESK_LIST);
    assert_string_equal(s->focus, "open:0010000012");
    /* again, and the row goes while the case is open: back to the field */
    desk_apply(s, &open, &fx);
    desk_apply(s, &got, &fx);
    assert_string_equal(s->focus, "close");
    poll(s, b1, 1, T0 + 2000, &fx);
    assert_string_equal(s->focus, "close");
    desk_action close = {.kind = DESK_ACT_CLOSE_CASE, .now_ms = T0};
    desk_apply(s, &close, &fx);
    assert_string_equal(s->focus, "input");
    /* a number typed in the field opens a case: the field keeps the focus */
    focus(s, "input");
    snprintf(c->ref, sizeof c->ref, "0010000020");
    type_and_enter(s, "0010000020", &fx);
    desk_action got2 = {.kind = DESK_ACT_CASE_OK, .now_ms = T0, .kase = c, .ref = "0010000020"};
    desk_apply(s, &got2, &fx);
    assert_int_equal(s->screen, DESK_CASE);
    assert_string_equal(s->focus, "input");
    /* a task done in the case view: its button goes, the focus to "close" */
    c->n_tasks = 1;
    c->tasks[0] = b;
    desk_apply(s, &close, &fx);
    type_and_enter(s, "0010000020", &fx);
    desk_apply(s, &got2, &fx);
    focus(s, "case-done:0010000020");
    desk_action ok = {.kind = DESK_ACT_DONE_OK, .now_ms = T0, .uuid = UUID_B};
    desk_apply(s, &ok, &fx);
    assert_string_equal(s->focus, "close");
    explicit_bzero(c, sizeof *c);
    free(c);
    desk_wipe(s);
    free(s);
}

static void test_times(void **st)
{
    (void)st;
    assert_int_equal(desk_parse_time("1970-01-01T00:00:00Z"), 0);
    assert_int_equal(desk_parse_time("2026-11-29T05:02:39.989677Z"), 1795928559989LL);
    assert_int_equal(desk_parse_time("2026-11-29T06:02:39+01:00"), 1795928559000LL);
    assert_int_equal(desk_parse_time("2024-02-29T12:00:00.5Z"), 1709208000500LL);
    assert_int_equal(desk_parse_time("2026-11-29"), 0);
    assert_int_equal(desk_parse_time("2026-13-29T05:02:39Z"), 0);
    assert_int_equal(desk_parse_time("2026-11-29T05:02:39"), 0);
    assert_int_equal(desk_parse_time("2026-11-29T05:02:39Zjunk"), 0);
    assert_int_equal(desk_parse_time(NULL), 0);
    char w[40];
    desk_waited(T0, T0 + 40000, DESK_NL, w, sizeof w);
    assert_string_equal(w, "40 s");
    desk_waited(T0, T0 + 3 * 60000 + 5000, DESK_NL, w, sizeof w);
    assert_string_equal(w, "3 min");
    desk_waited(T0, T0 + 65 * 60000, DESK_NL, w, sizeof w);
    assert_string_equal(w, "1 u 05 min");
    desk_waited(T0, T0 - 5000, DESK_EN, w, sizeof w);
    assert_string_equal(w, "0 s"); /* clocks that differ a little */
}

/* ---- the answers ---- */

static const char *TASKS_PAGE =
    "{\"count\":3,\"next\":null,\"previous\":null,\"results\":["
    "{\"uuid\":\"" UUID_A "\",\"url\":\"https://x/internetaken/1\",\"nummer\":null,"
    "\"referentienummer\":\"0010000012\",\"gevraagdeHandeling\":\"Warm overdracht: inwoner "
    "wacht bij zuil 2\",\"aanleidinggevendKlantcontact\":{\"uuid\":\"" UUID_B "\"},"
    "\"toelichting\":\"Herkenningsnummer 0012.\",\"status\":\"te_verwerken\","
    "\"toegewezenOp\":\"2026-11-29T05:02:39.989677Z\",\"afgehandeldOp\":null,\"extra\":[1,2]},"
    "{\"uuid\":\"not-a-uuid\",\"gevraagdeHandeling\":\"x\"},"
    "{\"uuid\":\"" UUID_B "\",\"referentienummer\":\"12<script>\",\"gevraagdeHandeling\":42,"
    "\"toegewezenOp\":\"gisteren\"}]}";

static void test_parse_tasks(void **st)
{
    (void)st;
    desk_task t[4];
    int n;
    char next[256];
    assert_int_equal(
        caseapi_parse_tasks(TASKS_PAGE, strlen(TASKS_PAGE), t, 4, &n, next, sizeof next),
        DESK_ERR_NONE);
    assert_int_equal(n, 2); /* the one without a uuid is left out */
    assert_string_equal(t[0].uuid, UUID_A);
    assert_string_equal(t[0].ref, "0010000012");
    assert_string_equal(t[0].code, "0012");
    assert_string_equal(t[0].what, "Warm overdracht: inwoner wacht bij zuil 2");
    assert_string_equal(t[0].note, "Herkenningsnummer 0012.");
    assert_string_equal(t[0].contact_uuid, UUID_B);
    assert_int_equal(t[0].assigned_ms, 1795928559989LL);
    assert_string_equal(next, "");
    /* wrong types: empty fields, never a crash; a number that is not digits is not kept */
    assert_string_equal(t[1].ref, "");
    assert_string_equal(t[1].code, "");
    assert_string_equal(t[1].what, "");
    assert_int_equal(t[1].assigned_ms, 0);
    /* the capacity is respected */
    assert_int_equal(caseapi_parse_tasks(TASKS_PAGE, strlen(TASKS_PAGE), t, 1, &n, NULL, 0),
                     DESK_ERR_NONE);
    assert_int_equal(n, 1);
    /* a bare array (some servers without pagination) */
    const char *bare = "[{\"uuid\":\"" UUID_A "\",\"nummer\":\"0010000012\"}]";
    assert_int_equal(caseapi_parse_tasks(bare, strlen(bare), t, 4, &n, NULL, 0), DESK_ERR_NONE);
    assert_int_equal(n, 1);
    assert_string_equal(t[0].ref, "0010000012"); /* from the older field */
    /* not an answer */
    const char *bad[] = {"",
                         "null",
                         "{}",
                         "{\"results\":{}}",
                         "<html>502</html>",
                         "[1,2",
                         "{\"results\":[],\"results\":[]}",
                         NULL};
    for (int i = 0; bad[i]; i++)
        assert_int_equal(caseapi_parse_tasks(bad[i], strlen(bad[i]), t, 4, &n, NULL, 0),
                         DESK_ERR_ANSWER);
    /* an empty list is a list */
    const char *empty = "{\"count\":0,\"results\":[]}";
    assert_int_equal(caseapi_parse_tasks(empty, strlen(empty), t, 4, &n, NULL, 0), DESK_ERR_NONE);
    assert_int_equal(n, 0);
    /* a long text is cut at a character boundary within the field */
    char big[4000];
    int k = snprintf(big, sizeof big, "[{\"uuid\":\"" UUID_A "\",\"toelichting\":\"");
    for (int i = 0; i < 700; i++)
        k += snprintf(big + k, sizeof big - (size_t)k, "\xc3\xa9"); /* é: 2 bytes */
    snprintf(big + k, sizeof big - (size_t)k, "\"}]");
    assert_int_equal(caseapi_parse_tasks(big, strlen(big), t, 4, &n, NULL, 0), DESK_ERR_NONE);
    size_t len = strlen(t[0].note);
    assert_true(len < sizeof t[0].note);
    assert_int_equal(len % 2, 0);
}

static const char *CASE_PAGE =
    "{\"count\":1,\"next\":null,\"previous\":null,\"results\":[{"
    "\"uuid\":\"" UUID_B "\",\"referentienummer\":\"0010000012\",\"kanaal\":\"zelfbedieningszuil\","
    "\"onderwerp\":\"Ik ga verhuizen (zelfbedieningszuil)\",\"inhoud\":\"Wanneer verhuist u? 3 "
    "januari 2027\",\"reactie\":\"Gemeente Utrecht\\n- Geef uw verhuizing door\",\"taal\":\"nld\","
    "\"plaatsgevondenOp\":\"2026-11-29T05:00:00Z\",\"metadata\":{\"zuil\":\"zuil-2\",\"locatie\":"
    "\"Bibliotheek\",\"toestemming\":\"gemeente\",\"signalen\":\"geldzorgen\","
    "\"contactvoorkeur\":\"terugbellen\",\"herkenningsnummer\":\"0012\",\"levensgebeurtenis\":"
    "\"verhuizen\",\"bibliotheekpas\":\"2100000123456\"},\"_expand\":{\"hadBetrokkenen\":[{"
    "\"uuid\":\"" UUID_A "\",\"contactnaam\":"
    "{\"voorletters\":\"G\",\"voornaam\":\"Gerard\",\"voorvoegselAchternaam\":\"de\","
    "\"achternaam\":\"Jong\"},\"digitaleAdressen\":[{\"uuid\":\"" UUID_A "\"}]}],"
    "\"leiddeTotInterneTaken\":[{\"uuid\":\"" UUID_A "\",\"referentienummer\":\"0010000012\","
    "\"gevraagdeHandeling\":\"Terugbelverzoek\",\"status\":\"te_verwerken\"}]}}]}";

static void test_parse_case(void **st)
{
    (void)st;
    desk_case *c = calloc(1, sizeof *c);
    assert_int_equal(caseapi_parse_case(CASE_PAGE, strlen(CASE_PAGE), c), DESK_ERR_NONE);
    assert_string_equal(c->uuid, UUID_B);
    assert_string_equal(c->ref, "0010000012");
    assert_string_equal(c->onderwerp, "Ik ga verhuizen (zelfbedieningszuil)");
    assert_string_equal(c->reactie, "Gemeente Utrecht\n- Geef uw verhuizing door");
    assert_string_equal(c->toestemming, "gemeente");
    assert_string_equal(c->signalen, "geldzorgen");
    assert_string_equal(c->contactvoorkeur, "terugbellen");
    assert_string_equal(c->contactnaam, "Gerard de Jong");
    assert_string_equal(c->bibliotheekpas, "2100000123456");
    assert_int_equal(c->n_address_refs, 1); /* to be looked up: the expansion has no address */
    assert_int_equal(c->n_addresses, 0);
    assert_int_equal(c->n_tasks, 1);
    assert_string_equal(c->tasks[0].status, "te_verwerken");
    const char *addr = "{\"uuid\":\"" UUID_A "\",\"adres\":\"0612345678\","
                       "\"soortDigitaalAdres\":\"telefoonnummer\"}";
    assert_int_equal(caseapi_parse_address(addr, strlen(addr), c), DESK_ERR_NONE);
    assert_int_equal(c->n_addresses, 1);
    assert_string_equal(c->addresses[0].adres, "0612345678");
    assert_int_equal(caseapi_parse_address("[]", 2, c), DESK_ERR_ANSWER);
    /* none with that number */
    const char *none = "{\"count\":0,\"results\":[]}";
    assert_int_equal(caseapi_parse_case(none, strlen(none), c), DESK_ERR_NOT_FOUND);
    /* broken answers */
    const char *bad[] = {
        "", "{}", "{\"results\":[42]}", "{\"results\":[{\"uuid\":7}]}", "<!doctype html>", NULL};
    for (int i = 0; bad[i]; i++)
        assert_int_equal(caseapi_parse_case(bad[i], strlen(bad[i]), c), DESK_ERR_ANSWER);
    /* one klantcontact, as GET /klantcontacten/{uuid} answers */
    const char *one = "{\"uuid\":\"" UUID_B "\",\"referentienummer\":\"0010000012\","
                      "\"onderwerp\":\"Terugbellen\"}";
    assert_int_equal(caseapi_parse_case(one, strlen(one), c), DESK_ERR_NONE);
    assert_string_equal(c->uuid, UUID_B);
    assert_string_equal(c->onderwerp, "Terugbellen");
    const char *notone = "{\"uuid\":5}";
    assert_int_equal(caseapi_parse_case(notone, strlen(notone), c), DESK_ERR_ANSWER);
    /* an expansion with addresses inside (Open Klant's nested expand) */
    const char *nested =
        "{\"results\":[{\"uuid\":\"" UUID_B "\",\"_expand\":{\"hadBetrokkenen\":[{\"_expand\":"
        "{\"digitaleAdressen\":[{\"adres\":\"+31612345678\",\"soortDigitaalAdres\":"
        "\"telefoonnummer\"},{\"adres\":5}]},\"digitaleAdressen\":[{\"uuid\":\"" UUID_A
        "\"}]}]}}]}";
    assert_int_equal(caseapi_parse_case(nested, strlen(nested), c), DESK_ERR_NONE);
    assert_int_equal(c->n_addresses, 1);
    assert_int_equal(c->n_address_refs, 0);
    assert_string_equal(c->addresses[0].adres, "+31612345678");
    assert_string_equal(c->bibliotheekpas, ""); /* none sent */
    /* a library pass's number whole or not at all (a cut number is another pass's), not a
     * number, or with control characters: left out */
    char bib[400];
    const char *passes[][2] = {
        {"\"2100000123456\"", "2100000123456"},
        {"\"21 0000 0123 456\"", "21 0000 0123 456"},
        {"21000", ""},
        {"null", ""},
        {"{\"nummer\":\"1\"}", ""},
        {"\"\"", ""},
        {"\"21000\\n00123\"", ""},
        {"\"210000012345678901234567890123456789012345678901234567890123456\"",
         "210000012345678901234567890123456789012345678901234567890123456"},          /* 63: fits */
        {"\"2100000123456789012345678901234567890123456789012345678901234567\"", ""}, /* 64 */
    };
    for (size_t i = 0; i < sizeof passes / sizeof passes[0]; i++) {
        snprintf(bib, sizeof bib, "{\"uuid\":\"" UUID_B "\",\"metadata\":{\"bibliotheekpas\":%s}}",
                 passes[i][0]);
        assert_int_equal(caseapi_parse_case(bib, strlen(bib), c), DESK_ERR_NONE);
        assert_string_equal(c->bibliotheekpas, passes[i][1]);
    }
    /* metadata that is not an object */
    const char *nometa = "{\"uuid\":\"" UUID_B "\",\"metadata\":[\"bibliotheekpas\"]}";
    assert_int_equal(caseapi_parse_case(nometa, strlen(nometa), c), DESK_ERR_NONE);
    assert_string_equal(c->bibliotheekpas, "");
    explicit_bzero(c, sizeof *c);
    free(c);
}

static void test_status_errors(void **st)
{
    (void)st;
    assert_int_equal(caseapi_status_error(200), DESK_ERR_NONE);
    assert_int_equal(caseapi_status_error(204), DESK_ERR_NONE);
    assert_int_equal(caseapi_status_error(401), DESK_ERR_AUTH);
    assert_int_equal(caseapi_status_error(403), DESK_ERR_AUTH);
    assert_int_equal(caseapi_status_error(404), DESK_ERR_NOT_FOUND);
    assert_int_equal(caseapi_status_error(500), DESK_ERR_SERVER);
    assert_int_equal(caseapi_status_error(302), DESK_ERR_SERVER);
}

static void test_client_unreachable(void **st)
{
    (void)st;
    /* a real request to a port nobody listens on: a network error, said without the query */
    char dir[] = "/tmp/test_desk_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char tok[128];
    snprintf(tok, sizeof tok, "%s/token", dir);
    FILE *f = fopen(tok, "w");
    assert_non_null(f);
    fputs("abc123\n", f);
    fclose(f);
    chmod(tok, 0644);
    caseapi_config cc;
    caseapi_config_defaults(&cc);
    snprintf(cc.base_url, sizeof cc.base_url, "https://127.0.0.1:9/klantinteracties/api/v1");
    snprintf(cc.token_file, sizeof cc.token_file, "%s", tok);
    char err[300];
    assert_null(caseapi_new(&cc, err, sizeof err)); /* a token others can read is refused */
    assert_non_null(strstr(err, "0600"));
    chmod(tok, 0600);
    caseapi *c = caseapi_new(&cc, err, sizeof err);
    assert_non_null(c);
    desk_task t[2];
    int n = -1;
    long status = -1;
    char why[300];
    assert_int_equal(caseapi_list_tasks(c, UUID_A, t, 2, &n, &status, why, sizeof why),
                     DESK_ERR_NETWORK);
    assert_int_equal(n, 0);
    assert_int_equal(status, 0);
    assert_null(strstr(why, UUID_A)); /* the query is not in the reason */
    desk_case *kc = calloc(1, sizeof *kc);
    assert_int_equal(caseapi_get_case(c, "0010000012", kc, &status, why, sizeof why),
                     DESK_ERR_NETWORK);
    assert_null(strstr(why, "0010000012"));
    assert_int_equal(caseapi_get_case(c, "00100&x=1", kc, &status, why, sizeof why),
                     DESK_ERR_NOT_FOUND); /* never sent */
    free(kc);
    caseapi_free(c);
    snprintf(cc.base_url, sizeof cc.base_url, "http://127.0.0.1:9/");
    assert_null(caseapi_new(&cc, err, sizeof err));
    unlink(tok);
    rmdir(dir);
}

static void test_config(void **st)
{
    (void)st;
    char dir[] = "/tmp/test_desk_cfg_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/desk.ini", dir);
    FILE *f = fopen(path, "w");
    fputs("[kiosk]\nid = zuil-1\n[uplink]\nurl = https://a/klantinteracties/api/v1\n"
          "token_file = /etc/loket/token\nca = /etc/loket/ca.pem\nbackoff_min_s = 5\n"
          "[desk]\nteam_actor = " UUID_A "\nca = /etc/loket/desk-ca.pem\npoll_ms = 500\n"
          "language = en\nsound = false\n",
          f);
    fclose(f);
    desk_config c;
    desk_config_defaults(&c);
    char err[300];
    assert_true(desk_config_load(&c, path, err, sizeof err));
    assert_string_equal(c.url, "https://a/klantinteracties/api/v1"); /* from [uplink] */
    assert_string_equal(c.token_file, "/etc/loket/token");
    assert_string_equal(c.ca, "/etc/loket/desk-ca.pem"); /* [desk] wins */
    assert_int_equal(c.poll_ms, 500);
    assert_int_equal(c.lang, DESK_EN);
    assert_false(c.sound);
    assert_true(desk_config_check(&c, err, sizeof err));
    /* an unknown key and a bad value name their line */
    f = fopen(path, "w");
    fputs("[desk]\nurl = https://a\n\npol_ms = 500\n", f);
    fclose(f);
    assert_false(desk_config_load(&c, path, err, sizeof err));
    assert_non_null(strstr(err, ":4:"));
    assert_non_null(strstr(err, "pol_ms"));
    f = fopen(path, "w");
    fputs("[desk]\npoll_ms = 50\n", f);
    fclose(f);
    desk_config_defaults(&c);
    assert_false(desk_config_load(&c, path, err, sizeof err));
    assert_non_null(strstr(err, ":2:"));
    /* no team: the check says what is missing */
    desk_config_defaults(&c);
    snprintf(c.url, sizeof c.url, "https://a");
    snprintf(c.token_file, sizeof c.token_file, "/t");
    assert_false(desk_config_check(&c, err, sizeof err));
    assert_non_null(strstr(err, "team_actor"));
    unlink(path);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    /* `--patch-body FILE`: writes the body that closes a task, for the schema check
     * (unit.test_desk_patch_schema: tests/support/check_schema.py against the OpenAPI spec) */
    if (argc == 3 && !strcmp(argv[1], "--patch-body")) {
        char *b = caseapi_close_body("2026-11-29T10:45:00Z");
        FILE *f = fopen(argv[2], "w");
        if (!b || !f || fputs(b, f) < 0 || fclose(f) != 0)
            return 1;
        free(b);
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_task_highlight_and_chime),
        cmocka_unit_test(test_open_clears_highlight),
        cmocka_unit_test(test_open_without_number),
        cmocka_unit_test(test_done_patch_and_row_goes),
        cmocka_unit_test(test_poll_failure_stale),
        cmocka_unit_test(test_reference_parsing),
        cmocka_unit_test(test_scan_and_case_view_wiped),
        cmocka_unit_test(test_focus_order),
        cmocka_unit_test(test_focus_follows_rows),
        cmocka_unit_test(test_focus_case_view),
        cmocka_unit_test(test_times),
        cmocka_unit_test(test_parse_tasks),
        cmocka_unit_test(test_parse_case),
        cmocka_unit_test(test_status_errors),
        cmocka_unit_test(test_client_unreachable),
        cmocka_unit_test(test_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
