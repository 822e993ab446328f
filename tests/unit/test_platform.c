/* Platform adapters: configuration, the ESC/POS slip, the simulated hand-off, the worker. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/handoff.h"
#include "core/slip.h"
#include "handoff/handoff.h"
#include "print/print.h"
#include "sys/config.h"
#include "sys/worker.h"

static char *write_tmp(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/loket-ini-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void config_reads_ini(void **state)
{
    (void)state;
    loket_config c;
    config_defaults(&c);
    char err[256];
    char *p = write_tmp("; a site\n[kiosk]\nid = zuil-7\nlanguages = nl, en\n"
                        "[session]\nidle_timeout_s = 90\n[screen]\norientation = landscape\n"
                        "[municipality]\nphone = 14 020\n");
    assert_true(config_load_file(&c, p, err, sizeof err));
    assert_string_equal(c.kiosk_id, "zuil-7");
    assert_int_equal(c.session.idle_ms, 90000);
    assert_true(c.landscape);
    assert_int_equal(c.width_px, 1920);
    assert_int_equal(c.height_px, 1080);
    assert_true(c.screen_width_mm > c.screen_height_mm); /* the millimetres turn too */
    assert_string_equal(c.municipality_phone, "14 020");
    unlink(p);
}

static void config_errors_name_the_line(void **state)
{
    (void)state;
    const struct {
        const char *ini, *expect;
    } cases[] = {
        {"[kiosk]\nid = a\ncolour = red\n", ":3: unknown key 'colour' in section [kiosk]"},
        {"[session]\nwarning_s = 5\n", ":2: '5' is not a whole number from 20 to 600"},
        {"[session]\nmax_extensions = 3\n", ":2: at least 10 (or 0 for no limit)"},
        {"[kiosk]\nlanguages = en\n", ":2: languages must include nl"},
        {"[kiosk]\nlanguages = nl,fr\n", ":2: unknown language 'fr'"},
        {"[printer]\nbackend = laser\n",
         ":2: 'laser' is not a printer backend (usb, tcp, file, png, none)"},
        {"[kiosk\nid = x\n", ":1: "},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        loket_config c;
        config_defaults(&c);
        char err[256] = "";
        char *p = write_tmp(cases[i].ini);
        assert_false(config_load_file(&c, p, err, sizeof err));
        if (!strstr(err, cases[i].expect) || strncmp(err, p, strlen(p)) != 0) {
            fprintf(stderr, "expected '%s' in '%s'\n", cases[i].expect, err);
            fail();
        }
        unlink(p);
    }
    loket_config c;
    config_defaults(&c);
    char err[256];
    assert_false(config_load_file(&c, "/nonexistent/loket.ini", err, sizeof err));
    assert_non_null(strstr(err, "cannot open"));
}

static void sim_handoff_delivers_and_fails_on_request(void **state)
{
    (void)state;
    handoff_backend *b = handoff_sim_new();
    handoff_request r = {.request = 3, .n_answers = 1};
    snprintf(r.kiosk_id, sizeof r.kiosk_id, "zuil-1");
    snprintf(r.answers[0].answer, sizeof r.answers[0].answer, "2026-12-10");
    char err[64];
    assert_true(b->send(b, &r, err, sizeof err));
    handoff_request last;
    assert_int_equal(handoff_sim_delivered(b, &last), 1);
    assert_string_equal(last.answers[0].answer, "2026-12-10");
    handoff_sim_set_failing(b, true);
    assert_false(b->send(b, &r, err, sizeof err));
    assert_int_equal(handoff_sim_delivered(b, NULL), 1);
    b->destroy(b);
}

static int posted;
static action last_posted;
static void post(void *ctx, const action *a)
{
    (void)ctx;
    posted++;
    last_posted = *a;
}
static action job(void *ctx, void *payload)
{
    (void)ctx;
    return (action){.kind = ACT_PRINT_RESULT, .arg = *(int *)payload, .ok = true};
}

static void worker_runs_jobs_in_order(void **state)
{
    (void)state;
    worker *w = worker_start(post, NULL);
    assert_non_null(w);
    for (int i = 1; i <= 50; i++)
        assert_true(worker_submit(w, job, NULL, &i, sizeof i));
    worker_wait_idle(w);
    assert_int_equal(posted, 50);
    assert_int_equal(last_posted.arg, 50);
    worker_stop(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(config_reads_ini),
        cmocka_unit_test(config_errors_name_the_line),
        cmocka_unit_test(sim_handoff_delivers_and_fails_on_request),
        cmocka_unit_test(worker_runs_jobs_in_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
