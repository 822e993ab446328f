/* The uplink against a real HTTPS peer: tests/support/fake_casesvc (libmicrohttpd with TLS,
 * client certificates required), with a test CA and certificates made at test time
 * (tests/support/make_test_pki.sh). Faults are injected: 500, 503, resets, an answer lost after
 * the commit, slow and hanging responses, a 400 with problem details, the wrong server
 * certificate, a client certificate from another CA, a wrong token. Required: nothing lost,
 * nothing doubled. The bodies the kiosk sent are checked against the official OpenAPI
 * description with an independent validator (tests/support/check_schema.py). A crash test
 * kills a sending process (SIGKILL) at random moments, 200 times: every intake arrives once.
 *
 * usage: test_uplink SUPPORT_SRC_DIR FAKE_CASESVC CONTENT_DIR OPENAPI_YAML */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "content/flow.h"
#include "core/refnum.h"
#include "intake/intake.h"
#include "net/uplink.h"
#include "store/outbox.h"

static const char *SUPPORT, *FAKE, *CONTENT_DIR, *SPEC;
static content *C;
static char DIR_[64], PKI[128];

static void sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    assert_int_equal(system(cmd), 0);
}

/* ---- the fake case service ---- */

typedef struct {
    pid_t pid;
    int port;
    char out[160], faults[200];
} service;

/* Every fake started, so that none outlives the test (even when an assertion failed). */
static pid_t STARTED[64];
static int N_STARTED;

static void stop_all(void)
{
    for (int i = 0; i < N_STARTED; i++)
        if (STARTED[i] > 0 && kill(STARTED[i], SIGTERM) == 0)
            waitpid(STARTED[i], NULL, 0);
    N_STARTED = 0;
}

static void service_start(service *s, const char *name, const char *cert, const char *key,
                          const char *faults)
{
    snprintf(s->out, sizeof s->out, "%s/%s", DIR_, name);
    sh("rm -rf '%s' && mkdir -p '%s'", s->out, s->out);
    snprintf(s->faults, sizeof s->faults, "%s/faults", s->out);
    FILE *f = fopen(s->faults, "w");
    fputs(faults ? faults : "", f);
    fclose(f);
    char ready[240], certp[240], keyp[240], ca[240];
    snprintf(ready, sizeof ready, "%s/port", s->out);
    snprintf(certp, sizeof certp, "%s/%s", PKI, cert);
    snprintf(keyp, sizeof keyp, "%s/%s", PKI, key);
    snprintf(ca, sizeof ca, "%s/ca.pem", PKI);
    s->pid = fork();
    assert_true(s->pid >= 0);
    if (s->pid == 0) {
        /* its own log file: an orphan must never hold the test's output open */
        char log[260];
        snprintf(log, sizeof log, "%s/fake.log", s->out);
        if (!freopen(log, "w", stdout) || !freopen(log, "a", stderr))
            _exit(126);
        execl(FAKE, FAKE, "--port", "0", "--cert", certp, "--key", keyp, "--client-ca", ca,
              "--token", "test-token-123", "--out", s->out, "--ready", ready, "--faults", s->faults,
              (char *)NULL);
        _exit(127);
    }
    if (N_STARTED < 64)
        STARTED[N_STARTED++] = s->pid;
    s->port = 0;
    for (int i = 0; i < 500 && s->port <= 0; i++) {
        FILE *p = fopen(ready, "r");
        if (p) {
            if (fscanf(p, "%d", &s->port) != 1)
                s->port = 0;
            fclose(p);
        }
        if (s->port <= 0)
            usleep(10000);
    }
    assert_true(s->port > 0);
}

static void service_stop(service *s)
{
    kill(s->pid, SIGTERM);
    waitpid(s->pid, NULL, 0);
    for (int i = 0; i < N_STARTED; i++)
        if (STARTED[i] == s->pid)
            STARTED[i] = 0;
}

/* How often each reference number arrived (klantcontacten.jsonl). */
static int arrivals(const service *s, const char *reference)
{
    char path[200];
    snprintf(path, sizeof path, "%s/klantcontacten.jsonl", s->out);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[16384];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        json_t *j = json_loads(line, 0, NULL);
        json_t *kc = json_object_get(j, "klantcontact") ? json_object_get(j, "klantcontact") : j;
        const char *r = json_string_value(json_object_get(kc, "referentienummer"));
        if (r && !strcmp(r, reference))
            n++;
        json_decref(j);
    }
    fclose(f);
    return n;
}

static int lines_in(const service *s, const char *file)
{
    char path[200];
    snprintf(path, sizeof path, "%s/%s", s->out, file);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    int n = 0, c;
    while ((c = fgetc(f)) != EOF)
        n += c == '\n';
    fclose(f);
    return n;
}

/* ---- the kiosk side ---- */

static outbox *new_outbox(const char *name)
{
    char db[200], key[200], err[256];
    snprintf(db, sizeof db, "%s/%s.db", DIR_, name);
    snprintf(key, sizeof key, "%s/%s.key", DIR_, name);
    unlink(db);
    unlink(key);
    unsigned char k[OUTBOX_KEY_BYTES];
    assert_true(outbox_key_create(key, err, sizeof err));
    assert_true(outbox_key_load(key, k, err, sizeof err));
    outbox_limits lim = {.max_records = 100000, .max_bytes = 256 << 20};
    outbox *ob = outbox_open(db, k, &lim, err, sizeof err);
    assert_non_null(ob);
    return ob;
}

static uplink_config config_for(const service *s, const char *cert, const char *key,
                                const char *token_file)
{
    uplink_config c;
    uplink_config_defaults(&c);
    snprintf(c.base_url, sizeof c.base_url, "https://localhost:%d/klantinteracties/api/v1",
             s->port);
    snprintf(c.ca_file, sizeof c.ca_file, "%s/ca.pem", PKI);
    snprintf(c.cert_file, sizeof c.cert_file, "%s/%s", PKI, cert);
    snprintf(c.key_file, sizeof c.key_file, "%s/%s", PKI, key);
    snprintf(c.token_file, sizeof c.token_file, "%s", token_file);
    c.connect_timeout_ms = 2000;
    c.timeout_ms = 2500;
    c.backoff_min_s = 1;
    c.backoff_max_s = 4;
    return c;
}

static char TOKEN[200], BAD_TOKEN[200];

/* An intake of the shipped content: moving, every question "yes", reference kiosk 5 / seq. */
static void put_intake(outbox *ob, uint32_t seq, int contact, char *ref_out)
{
    journey j = {.event = content_find_event(C, "moving"),
                 .lang = (lang_id)(seq % LANG_COUNT),
                 .today = {2026, 11, 28}};
    for (int i = 0; i < CONTENT_MAX_QUESTIONS; i++)
        j.answers[i] = -1;
    const life_event *e = &C->events[j.event];
    for (int q = flow_next_question(e, j.answers, 0); q < e->n_questions;
         q = flow_next_question(e, j.answers, q + 1)) {
        j.answers[q] = 0;
        j.dates[q] = (civil_date){2026, 12, 15};
    }
    assert_true(refnum_make(5, seq, j.reference));
    intake_input in = {.c = C,
                       .j = &j,
                       .consent = ~0ull,
                       .contact = (contact_pref)contact,
                       .contact_detail = contact == CONTACT_CALLBACK ? "0612345678" : NULL,
                       .kiosk_id = "zuil-5",
                       .site_name = "Bibliotheek Utrecht",
                       .when = "2026-11-28T10:42:00+01:00",
                       .intake_id = "5f0c6c7e-8d7a-4c41-9b3e-2f1d6a0b9c11"};
    char err[200];
    char *env = intake_envelope(&in, err, sizeof err);
    assert_non_null(env);
    int64_t id;
    assert_int_equal(outbox_put(ob, "intake", env, strlen(env), &id, err, sizeof err), OUTBOX_OK);
    free(env);
    if (ref_out)
        memcpy(ref_out, j.reference, 11);
}

/* The sender's clock in these tests: it jumps past every back-off at each step. */
static int64_t clock_s(void)
{
    static int64_t t;
    if (!t)
        t = time(NULL);
    return t += 1000;
}

/* Runs the sender until nothing is left. */
static int drain(uplink *u, outbox *ob, int max_steps)
{
    int steps = 0;
    outbox_stats st;
    for (; steps < max_steps; steps++) {
        outbox_get_stats(ob, &st);
        if (st.queued == 0)
            break;
        uplink_step(u, clock_s());
    }
    return steps;
}

/* ---- tests ---- */

static void intakes_arrive_once_through_every_fault(void **state)
{
    (void)state;
    service s;
    service_start(&s, "faults", "server.pem", "server.key",
                  "500\n503\nreset\ncommit-then-reset\ncommit-then-500\nslow 300\nhang\nok\n");
    outbox *ob = new_outbox("faults");
    char refs[4][11];
    for (int i = 0; i < 4; i++)
        put_intake(ob, 100 + (uint32_t)i, i == 1 ? CONTACT_CALLBACK : CONTACT_NONE, refs[i]);
    char err[256];
    uplink_config cfg = config_for(&s, "client.pem", "client.key", TOKEN);
    uplink *u = uplink_new(&cfg, ob, err, sizeof err);
    assert_non_null(u);
    int steps = drain(u, ob, 60);
    uplink_status st;
    uplink_get_status(u, &st);
    fprintf(stderr, "4 intakes through 7 faults: %d attempts, %lu delivered, %lu retried\n", steps,
            st.delivered, st.retried);
    assert_int_equal(st.delivered, 4);
    assert_int_equal(st.dead, 0);
    assert_true(st.retried >= 5);
    /* every fault was met */
    char log[200];
    snprintf(log, sizeof log, "%s/faults.pos", s.out);
    FILE *pos = fopen(log, "r");
    int used = 0;
    assert_non_null(pos);
    assert_int_equal(fscanf(pos, "%d", &used), 1);
    fclose(pos);
    assert_int_equal(used, 8);
    for (int i = 0; i < 4; i++) {
        if (arrivals(&s, refs[i]) != 1) {
            fprintf(stderr, "reference %s arrived %d times\n", refs[i], arrivals(&s, refs[i]));
            fail();
        }
    }
    /* the call-back number, once, linked to the betrokkene */
    assert_int_equal(lines_in(&s, "digitaleadressen.jsonl"), 1);
    char path[200];
    snprintf(path, sizeof path, "%s/digitaleadressen.jsonl", s.out);
    json_t *da = json_load_file(path, JSON_DECODE_ANY, NULL);
    assert_non_null(json_object_get(json_object_get(da, "verstrektDoorBetrokkene"), "uuid"));
    json_decref(da);
    uplink_free(u);
    outbox_close(ob);
    service_stop(&s);
}

static void a_record_the_service_refuses_is_kept_as_a_dead_letter(void **state)
{
    (void)state;
    service s;
    service_start(&s, "refused", "server.pem", "server.key", "400\n");
    outbox *ob = new_outbox("refused");
    char a[11], b[11];
    put_intake(ob, 200, CONTACT_NONE, a);
    char err[256];
    uplink_config cfg = config_for(&s, "client.pem", "client.key", TOKEN);
    uplink *u = uplink_new(&cfg, ob, err, sizeof err);
    assert_true(uplink_step(u, clock_s()));
    uplink_status first;
    uplink_get_status(u, &first);
    assert_non_null(strstr(first.last_error, "HTTP 400"));
    assert_non_null(strstr(first.last_error, "nonFieldErrors invalid")); /* names, no values */
    put_intake(ob, 201, CONTACT_NONE, b);
    drain(u, ob, 10);
    outbox_stats os;
    outbox_get_stats(ob, &os);
    assert_int_equal(os.dead, 1);
    assert_int_equal(os.queued, 0);
    assert_int_equal(arrivals(&s, a), 0);
    assert_int_equal(arrivals(&s, b), 1);
    uplink_status st;
    uplink_get_status(u, &st);
    assert_int_equal(st.dead, 1);
    assert_int_equal(st.delivered, 1);
    uplink_free(u);
    outbox_close(ob);
    service_stop(&s);
}

/* Wrong server certificate, a client certificate from another CA, a wrong token: retried, never
 * dropped, and said plainly; once fixed, delivered once. */
static void trust_faults_are_retried_and_said(void **state)
{
    (void)state;
    char err[256];
    outbox *ob = new_outbox("trust");
    char ref[11];
    put_intake(ob, 300, CONTACT_NONE, ref);
    uplink_status st;

    service bad;
    service_start(&bad, "other-server", "other-server.pem", "other-server.key", "");
    uplink_config cfg = config_for(&bad, "client.pem", "client.key", TOKEN);
    uplink *u = uplink_new(&cfg, ob, err, sizeof err);
    assert_true(uplink_step(u, clock_s()));
    uplink_get_status(u, &st);
    assert_int_equal(st.retried, 1);
    assert_non_null(strstr(st.last_error, "not trusted"));
    uplink_free(u);
    service_stop(&bad);

    service s;
    service_start(&s, "trust", "server.pem", "server.key", "");
    cfg = config_for(&s, "other-server.pem", "other-server.key", TOKEN);
    u = uplink_new(&cfg, ob, err, sizeof err);
    assert_true(uplink_step(u, clock_s()));
    uplink_get_status(u, &st);
    assert_int_equal(st.retried, 1);
    assert_int_equal(st.delivered, 0);
    assert_non_null(strstr(st.last_error, "client certificate"));
    uplink_free(u);

    cfg = config_for(&s, "client.pem", "client.key", BAD_TOKEN);
    u = uplink_new(&cfg, ob, err, sizeof err);
    assert_true(uplink_step(u, clock_s()));
    uplink_get_status(u, &st);
    assert_int_equal(st.retried, 1);
    assert_non_null(strstr(st.last_error, "HTTP 401"));
    assert_non_null(strstr(st.last_error, "token"));
    uplink_free(u);

    outbox_stats os;
    outbox_get_stats(ob, &os);
    assert_int_equal(os.queued, 1);
    assert_int_equal(os.dead, 0);

    /* the server's key pinned: another key is refused, even from the right CA */
    cfg = config_for(&s, "client.pem", "client.key", TOKEN);
    snprintf(cfg.pin, sizeof cfg.pin, "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    u = uplink_new(&cfg, ob, err, sizeof err);
    assert_true(uplink_step(u, clock_s()));
    uplink_get_status(u, &st);
    assert_int_equal(st.retried, 1);
    assert_non_null(strstr(st.last_error, "pinned"));
    uplink_free(u);

    /* the right pin: delivered, once */
    char pin_file[200], pin[200] = "";
    snprintf(pin_file, sizeof pin_file, "%s/pin", DIR_);
    sh("openssl x509 -in '%s/server.pem' -pubkey -noout | openssl pkey -pubin -outform der | "
       "openssl dgst -sha256 -binary | openssl enc -base64 > '%s'",
       PKI, pin_file);
    FILE *pf = fopen(pin_file, "r");
    assert_non_null(pf);
    assert_non_null(fgets(pin, sizeof pin, pf));
    fclose(pf);
    pin[strcspn(pin, "\n")] = '\0';
    cfg = config_for(&s, "client.pem", "client.key", TOKEN);
    snprintf(cfg.pin, sizeof cfg.pin, "sha256//%s", pin);
    u = uplink_new(&cfg, ob, err, sizeof err);
    drain(u, ob, 5);
    assert_int_equal(arrivals(&s, ref), 1);
    uplink_free(u);
    outbox_close(ob);
    service_stop(&s);

    /* configuration mistakes are refused at the start, with the reason */
    uplink_config nocert = config_for(&s, "missing.pem", "client.key", TOKEN);
    assert_null(uplink_new(&nocert, NULL, err, sizeof err));
    assert_non_null(strstr(err, "uplink.cert"));
    uplink_config plain = config_for(&s, "client.pem", "client.key", TOKEN);
    snprintf(plain.base_url, sizeof plain.base_url, "http://localhost:%d/", s.port);
    assert_null(uplink_new(&plain, NULL, err, sizeof err));
    assert_non_null(strstr(err, "https"));
    char open_token[200];
    snprintf(open_token, sizeof open_token, "%s/open-token", DIR_);
    sh("echo test-token-123 > '%s' && chmod 644 '%s'", open_token, open_token);
    plain = config_for(&s, "client.pem", "client.key", open_token);
    assert_null(uplink_new(&plain, NULL, err, sizeof err));
    assert_non_null(strstr(err, "only its owner"));
}

/* The bodies the kiosk sent, checked against klantinteracties-openapi.yaml by an independent
 * JSON-schema validator. */
static void bodies_conform_to_the_official_schema(void **state)
{
    (void)state;
    service s;
    service_start(&s, "schema", "server.pem", "server.key", "");
    outbox *ob = new_outbox("schema");
    for (int i = 0; i < LANG_COUNT; i++)
        put_intake(ob, 400 + (uint32_t)i, i % 2 ? CONTACT_CALLBACK : CONTACT_DESK, NULL);
    char err[256];
    uplink_config cfg = config_for(&s, "client.pem", "client.key", TOKEN);
    uplink *u = uplink_new(&cfg, ob, err, sizeof err);
    drain(u, ob, 20);
    uplink_free(u);
    outbox_close(ob);
    service_stop(&s);
    /* requests.log: which body went to which operation */
    char path[200], line[512];
    snprintf(path, sizeof path, "%s/requests.log", s.out);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    int checked = 0;
    char mk[4096] = "", da[4096] = "";
    while (fgets(line, sizeof line, f)) {
        int n = 0;
        if (sscanf(line, "%d", &n) != 1)
            continue;
        char file[200];
        snprintf(file, sizeof file, " '%s/body-%04d.json'", s.out, n);
        if (strstr(line, "POST") && strstr(line, "/maak-klantcontact") &&
            strlen(mk) + strlen(file) < sizeof mk) {
            strcat(mk, file);
            checked++;
        } else if (strstr(line, "POST") && strstr(line, "/digitaleadressen") &&
                   strlen(da) + strlen(file) < sizeof da) {
            strcat(da, file);
            checked++;
        }
    }
    fclose(f);
    assert_int_equal(checked, LANG_COUNT + LANG_COUNT / 2);
    sh("/usr/bin/python3 '%s/check_schema.py' --strict '%s' 'POST /maak-klantcontact' %s", SUPPORT,
       SPEC, mk);
    sh("/usr/bin/python3 '%s/check_schema.py' --strict '%s' 'POST /digitaleadressen' %s", SUPPORT,
       SPEC, da);
}

/* Not a timed test: prints how fast the outbox drains to a local server (one connection, TLS
 * resumed by libcurl's connection reuse), for the README. */
static void drain_rate_to_a_local_server(void **state)
{
    (void)state;
    service s;
    service_start(&s, "rate", "server.pem", "server.key", "");
    outbox *ob = new_outbox("rate");
    int n = getenv("LOKET_DRAIN_INTAKES") ? atoi(getenv("LOKET_DRAIN_INTAKES")) : 100;
    for (int i = 0; i < n; i++)
        put_intake(ob, 500 + (uint32_t)i, CONTACT_NONE, NULL);
    char err[256];
    uplink_config cfg = config_for(&s, "client.pem", "client.key", TOKEN);
    uplink *u = uplink_new(&cfg, ob, err, sizeof err);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    drain(u, ob, n + 10);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1000.0 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    uplink_status st;
    uplink_get_status(u, &st);
    printf("drain_to_local_server: %d intakes in %.0f ms = %.0f per s\n", n, ms,
           n * 1000.0 / (ms > 0 ? ms : 1));
    assert_int_equal(st.delivered, (unsigned long)n);
    assert_int_equal(lines_in(&s, "klantcontacten.jsonl"), n);
    uplink_free(u);
    outbox_close(ob);
    service_stop(&s);
}

/* The crash test: a child puts intakes and sends them; it is killed at random moments. */
static void child_work(const char *db, const char *key_path, const service *s, int start)
{
    char err[256];
    unsigned char k[OUTBOX_KEY_BYTES];
    if (!outbox_key_load(key_path, k, err, sizeof err))
        _exit(3);
    outbox_limits lim = {.max_records = 100000, .max_bytes = 256 << 20};
    outbox *ob = outbox_open(db, k, &lim, err, sizeof err);
    if (!ob)
        _exit(4);
    uplink_config cfg = config_for(s, "client.pem", "client.key", TOKEN);
    uplink *u = uplink_new(&cfg, ob, err, sizeof err);
    if (!u)
        _exit(5);
    int64_t now = time(NULL);
    for (int i = start;; i++) {
        char ref[11];
        put_intake(ob, (uint32_t)i, CONTACT_NONE, ref);
        printf("%d\n", i);
        fflush(stdout);
        uplink_step(u, now);
        now += 10;
    }
}

static void killed_at_random_every_intake_arrives_once(void **state)
{
    (void)state;
    service s;
    service_start(&s, "crash", "server.pem", "server.key", "");
    outbox *ob = new_outbox("crash");
    outbox_close(ob);
    char db[200], key[200];
    snprintf(db, sizeof db, "%s/crash.db", DIR_);
    snprintf(key, sizeof key, "%s/crash.key", DIR_);
    int rounds = getenv("LOKET_CRASH_ROUNDS") ? atoi(getenv("LOKET_CRASH_ROUNDS")) : 200;
    int next = 1, acked = 0, max = 900000;
    char *was_acked = calloc((size_t)max + 1, 1);
    srand((unsigned)time(NULL));
    for (int r = 0; r < rounds && next < max - 1000; r++) {
        int p[2];
        assert_int_equal(pipe(p), 0);
        pid_t pid = fork();
        if (pid == 0) {
            close(p[0]);
            dup2(p[1], 1);
            child_work(db, key, &s, next);
        }
        close(p[1]);
        usleep((useconds_t)(5000 + rand() % 40000));
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        FILE *in = fdopen(p[0], "r");
        int v;
        while (fscanf(in, "%d", &v) == 1)
            if (v > 0 && v <= max) {
                was_acked[v] = 1;
                acked++;
                if (v >= next)
                    next = v + 1;
            }
        fclose(in);
        next += 1; /* perhaps stored, not acknowledged: never reused */
    }
    /* restart once more, without kills, and let it finish */
    unsigned char k[OUTBOX_KEY_BYTES];
    char err[256];
    assert_true(outbox_key_load(key, k, err, sizeof err));
    ob = outbox_open(db, k, NULL, err, sizeof err);
    assert_non_null(ob);
    uplink_config cfg = config_for(&s, "client.pem", "client.key", TOKEN);
    uplink *u = uplink_new(&cfg, ob, err, sizeof err);
    drain(u, ob, 100000);
    uplink_free(u);
    outbox_stats os;
    outbox_get_stats(ob, &os);
    outbox_close(ob);
    service_stop(&s);
    /* every acknowledged intake arrived exactly once; nothing arrived twice */
    char path[200];
    snprintf(path, sizeof path, "%s/klantcontacten.jsonl", s.out);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char *seen = calloc((size_t)max + 1, 1);
    char line[16384];
    int total = 0, doubles = 0;
    while (fgets(line, sizeof line, f)) {
        json_t *j = json_loads(line, 0, NULL);
        json_t *kc = json_object_get(j, "klantcontact") ? json_object_get(j, "klantcontact") : j;
        const char *ref = json_string_value(json_object_get(kc, "referentienummer"));
        assert_non_null(ref);
        int seq = atoi(ref + 3) / 10; /* kiosk 005, 6 digits sequence, check digit */
        assert_true(seq > 0 && seq <= max);
        if (seen[seq])
            doubles++;
        seen[seq] = 1;
        total++;
        json_decref(j);
    }
    fclose(f);
    int lost = 0;
    for (int i = 1; i <= max; i++)
        if (was_acked[i] && !seen[i])
            lost++;
    fprintf(stderr,
            "%d kills: %d intakes acknowledged, %d arrived, %d lost, %d doubled, "
            "%d queued, %d dead letters\n",
            rounds, acked, total, lost, doubles, os.queued, os.dead);
    assert_int_equal(lost, 0);
    assert_int_equal(doubles, 0);
    assert_int_equal(os.queued, 0);
    assert_int_equal(os.dead, 0);
    assert_true(acked > rounds / 2);
    free(seen);
    free(was_acked);
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: test_uplink SUPPORT_SRC_DIR FAKE_CASESVC CONTENT_DIR OPENAPI\n");
        return 2;
    }
    SUPPORT = argv[1];
    FAKE = argv[2];
    CONTENT_DIR = argv[3];
    SPEC = argv[4];
    signal(SIGPIPE, SIG_IGN);
    snprintf(DIR_, sizeof DIR_, "/tmp/loket-uplink-XXXXXX");
    if (!mkdtemp(DIR_))
        return 1;
    snprintf(PKI, sizeof PKI, "%s/pki", DIR_);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "bash '%s/make_test_pki.sh' '%s'", SUPPORT, PKI);
    if (system(cmd) != 0) {
        fprintf(stderr, "the test PKI could not be made\n");
        return 1;
    }
    snprintf(TOKEN, sizeof TOKEN, "%s/token", DIR_);
    snprintf(BAD_TOKEN, sizeof BAD_TOKEN, "%s/bad-token", DIR_);
    snprintf(cmd, sizeof cmd, "umask 077 && echo test-token-123 > '%s' && echo wrong-token > '%s'",
             TOKEN, BAD_TOKEN);
    if (system(cmd) != 0)
        return 1;
    content_diag d = {0};
    C = content_load_dir(CONTENT_DIR, &d);
    if (!C)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(intakes_arrive_once_through_every_fault),
        cmocka_unit_test(a_record_the_service_refuses_is_kept_as_a_dead_letter),
        cmocka_unit_test(trust_faults_are_retried_and_said),
        cmocka_unit_test(bodies_conform_to_the_official_schema),
        cmocka_unit_test(drain_rate_to_a_local_server),
        cmocka_unit_test(killed_at_random_every_intake_arrives_once),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    stop_all();
    content_free(C);
    content_diag_free(&d);
    if (rc == 0) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", DIR_);
        if (system(cmd) != 0)
            rc = 1;
    }
    return rc;
}
