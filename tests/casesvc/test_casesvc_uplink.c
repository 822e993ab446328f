/* The kiosk's real uplink (platform/net/uplink.c) against the real reference case service
 * (loket-casesvc, HTTPS, client certificates, tokens from init-site): real kiosk envelopes
 * (intake_envelope of the shipped content) delivered with uplink_deliver and through the
 * outbox with uplink_step arrive once, the call-back number linked to the betrokkene; a
 * lookup finds what is there; a blind second POST is refused, never doubled.
 *
 * usage: test_casesvc_uplink LOKET_CASESVC CONTENT_DIR */
#include <curl/curl.h>
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

#include "casesvc_run.h"
#include "content/flow.h"
#include "core/refnum.h"
#include "intake/intake.h"
#include "net/uplink.h"
#include "store/outbox.h"

static const char *BIN, *CONTENT_DIR;
static content *C;
static char DIR_[128], DATA[200], READY[256], LOG[256], TOKEN[128];
static pid_t PID;
static int PORT;

static bool service_start(void)
{
    PORT = casesvc_run_start(BIN, DATA, READY, LOG, &PID);
    return PORT > 0;
}

/* GET on the service as the kiosk (its certificate and token): the JSON answer. */
static json_t *get(const char *path)
{
    CURL *c = curl_easy_init();
    char url[512], auth[256], ca[256], cert[256], key[256];
    snprintf(url, sizeof url, "https://localhost:%d/klantinteracties/api/v1%s", PORT, path);
    snprintf(auth, sizeof auth, "Authorization: Token %s", TOKEN);
    snprintf(ca, sizeof ca, "%s/certs/ca.pem", DATA);
    snprintf(cert, sizeof cert, "%s/certs/client-zuil-5.pem", DATA);
    snprintf(key, sizeof key, "%s/certs/client-zuil-5.key", DATA);
    struct curl_slist *h = curl_slist_append(NULL, auth);
    casesvc_run_buf b = {0};
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CAINFO, ca);
    curl_easy_setopt(c, CURLOPT_SSLCERT, cert);
    curl_easy_setopt(c, CURLOPT_SSLKEY, key);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, casesvc_run_on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    assert_int_equal(status, 200);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    json_t *j = json_loads(b.b, 0, NULL);
    free(b.b);
    assert_non_null(j);
    return j;
}

static outbox *new_outbox(const char *name)
{
    char db[300], key[300], err[256];
    snprintf(db, sizeof db, "%s/%s.db", DIR_, name);
    snprintf(key, sizeof key, "%s/%s.key", DIR_, name);
    unsigned char k[OUTBOX_KEY_BYTES];
    assert_true(outbox_key_create(key, err, sizeof err));
    assert_true(outbox_key_load(key, k, err, sizeof err));
    outbox_limits lim = {.max_records = 1000, .max_bytes = 64 << 20};
    outbox *ob = outbox_open(db, k, &lim, err, sizeof err);
    assert_non_null(ob);
    return ob;
}

static uplink *new_uplink(outbox *ob)
{
    uplink_config c;
    uplink_config_defaults(&c);
    snprintf(c.base_url, sizeof c.base_url, "https://localhost:%d/klantinteracties/api/v1", PORT);
    snprintf(c.ca_file, sizeof c.ca_file, "%s/certs/ca.pem", DATA);
    snprintf(c.cert_file, sizeof c.cert_file, "%s/certs/client-zuil-5.pem", DATA);
    snprintf(c.key_file, sizeof c.key_file, "%s/certs/client-zuil-5.key", DATA);
    snprintf(c.token_file, sizeof c.token_file, "%s/token-zuil-5", DATA);
    c.connect_timeout_ms = 3000;
    c.timeout_ms = 10000;
    char err[256];
    uplink *u = uplink_new(&c, ob, err, sizeof err);
    if (!u)
        fprintf(stderr, "uplink_new: %s\n", err);
    assert_non_null(u);
    return u;
}

/* A real kiosk envelope: "moving", every question answered, a call-back number. */
static char *envelope(uint32_t seq, char ref[16])
{
    journey j = {
        .event = content_find_event(C, "moving"), .lang = LANG_NL, .today = {2026, 11, 28}};
    for (int i = 0; i < CONTENT_MAX_QUESTIONS; i++)
        j.answers[i] = -1;
    const life_event *e = &C->events[j.event];
    for (int q = flow_next_question(e, j.answers, 0); q < e->n_questions;
         q = flow_next_question(e, j.answers, q + 1)) {
        j.answers[q] = 0;
        j.dates[q] = (civil_date){2026, 12, 15};
    }
    assert_true(refnum_make(5, seq, j.reference));
    memcpy(ref, j.reference, 11);
    intake_input in = {.c = C,
                       .j = &j,
                       .consent = ~0ull,
                       .contact = CONTACT_CALLBACK,
                       .contact_detail = "06 1234 5678",
                       .given = "Gerard",
                       .surname = "Jansen",
                       .kiosk_id = "zuil-5",
                       .site_name = "Bibliotheek Centrum",
                       .when = "2026-11-28T10:42:00+01:00",
                       .intake_id = "5f0c6c7e-8d7a-4c41-9b3e-2f1d6a0b9c11"};
    char err[200];
    char *env = intake_envelope(&in, err, sizeof err);
    if (!env)
        fprintf(stderr, "intake_envelope: %s\n", err);
    assert_non_null(env);
    return env;
}

/* The contact with this reference arrived exactly once, with its betrokkene, and the call-back
 * number exactly once, linked to that betrokkene. */
static void arrived_once(const char *ref)
{
    char q[200];
    snprintf(q, sizeof q, "/klantcontacten?referentienummer=%s&expand=hadBetrokkenen", ref);
    json_t *kc = get(q);
    assert_int_equal(json_integer_value(json_object_get(kc, "count")), 1);
    json_t *r = json_array_get(json_object_get(kc, "results"), 0);
    assert_string_equal(json_string_value(json_object_get(r, "kanaal")), "zelfbedieningszuil");
    assert_string_equal(json_string_value(json_object_get(r, "referentienummer")), ref);
    json_t *bt =
        json_array_get(json_object_get(json_object_get(r, "_expand"), "hadBetrokkenen"), 0);
    assert_string_equal(json_string_value(json_object_get(bt, "volledigeNaam")), "Gerard Jansen");
    const char *bt_uuid = json_string_value(json_object_get(bt, "uuid"));
    assert_non_null(bt_uuid);
    snprintf(q, sizeof q, "/digitaleadressen?referentie=loket-%s", ref);
    json_t *da = get(q);
    assert_int_equal(json_integer_value(json_object_get(da, "count")), 1);
    json_t *a = json_array_get(json_object_get(da, "results"), 0);
    assert_string_equal(json_string_value(json_object_get(a, "adres")), "0612345678");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(a, "verstrektDoorBetrokkene"), "uuid")),
        bt_uuid);
    json_decref(kc);
    json_decref(da);
}

static void a_kiosk_envelope_is_delivered_once(void **state)
{
    (void)state;
    outbox *ob = new_outbox("deliver");
    uplink *u = new_uplink(ob);
    char ref[16], why[256];
    char *env = envelope(1, ref);
    deliver_result r = uplink_deliver(u, env, strlen(env), false, why, sizeof why);
    if (r != DELIVER_OK)
        fprintf(stderr, "uplink_deliver: %s\n", why);
    assert_int_equal(r, DELIVER_OK);
    arrived_once(ref);
    /* a retry after a lost answer looks up first: found, nothing sent again */
    assert_int_equal(uplink_deliver(u, env, strlen(env), true, why, sizeof why), DELIVER_OK);
    arrived_once(ref);
    /* a blind second POST is refused by the service (unique referentienummer), not doubled */
    assert_int_equal(uplink_deliver(u, env, strlen(env), false, why, sizeof why), DELIVER_DEAD);
    assert_non_null(strstr(why, "referentienummer"));
    arrived_once(ref);
    explicit_bzero(env, strlen(env));
    free(env);
    uplink_free(u);
    outbox_close(ob);
}

static int64_t clock_s(void)
{
    static int64_t t;
    if (!t)
        t = time(NULL);
    return t += 1000;
}

static void the_outbox_drains_into_the_service(void **state)
{
    (void)state;
    outbox *ob = new_outbox("drain");
    uplink *u = new_uplink(ob);
    char refs[3][16], err[200];
    for (uint32_t i = 0; i < 3; i++) {
        char *env = envelope(10 + i, refs[i]);
        int64_t id;
        assert_int_equal(outbox_put(ob, "intake", env, strlen(env), &id, err, sizeof err),
                         OUTBOX_OK);
        free(env);
    }
    outbox_stats st;
    for (int steps = 0; steps < 20; steps++) {
        assert_true(outbox_get_stats(ob, &st));
        if (st.queued == 0)
            break;
        uplink_step(u, clock_s());
    }
    assert_true(outbox_get_stats(ob, &st));
    assert_int_equal(st.queued, 0);
    assert_int_equal(st.dead, 0);
    for (int i = 0; i < 3; i++)
        arrived_once(refs[i]);
    uplink_free(u);
    outbox_close(ob);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_casesvc_uplink LOKET_CASESVC CONTENT_DIR\n");
        return 2;
    }
    BIN = argv[1];
    CONTENT_DIR = argv[2];
    snprintf(DIR_, sizeof DIR_, "/tmp/casesvc-uplink-XXXXXX");
    if (!mkdtemp(DIR_))
        return 1;
    snprintf(DATA, sizeof DATA, "%s/data", DIR_);
    snprintf(READY, sizeof READY, "%s/ready", DIR_);
    snprintf(LOG, sizeof LOG, "%s/service.log", DIR_);
    char cmd[1024], path[300];
    snprintf(cmd, sizeof cmd,
             "'%s' init-site --data-dir '%s' --site 'Bibliotheek Centrum' --kiosk zuil-5 "
             ">/dev/null",
             BIN, DATA);
    if (system(cmd) != 0)
        return 1;
    snprintf(path, sizeof path, "%s/token-zuil-5", DATA);
    if (!casesvc_run_read_line(path, TOKEN, sizeof TOKEN))
        return 1;
    content_diag d = {0};
    C = content_load_dir(CONTENT_DIR, &d);
    if (!C || !service_start()) {
        fprintf(stderr, "test_casesvc_uplink: no content or no service\n");
        return 1;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_kiosk_envelope_is_delivered_once),
        cmocka_unit_test(the_outbox_drains_into_the_service),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    kill(PID, SIGTERM);
    int st = 0;
    waitpid(PID, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        rc = 1;
    curl_global_cleanup();
    content_free(C);
    content_diag_free(&d);
    if (rc == 0) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", DIR_);
        if (system(cmd) != 0)
            rc = 1;
    } else {
        fprintf(stderr, "kept for inspection: %s\n", DIR_);
    }
    return rc;
}
