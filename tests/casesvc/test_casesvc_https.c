/* The real loket-casesvc binary over HTTPS, talked to with libcurl: init-site, first-run
 * certificates, client certificates required (none, or one from another CA: 403), the token
 * (missing or wrong: 401), API-version on every answer, kill -9 right after a 201 and a restart
 * on the same database (nothing lost), SIGTERM (exit 0), the served OpenAPI description, and a
 * request log without personal data. Answers go to OUT_DIR/manifest.tsv for
 * casesvc.https_answers_schema.
 *
 * usage: test_casesvc_https LOKET_CASESVC OUT_DIR */
#include <curl/curl.h>
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

#include "casesvc_certs.h"
#include "casesvc_run.h"

static const char *BIN, *OUT;
static char DIR_[128], DATA[200], LOG[256], READY[256], ACTOR[37];
static char TOKEN_KIOSK[128], TOKEN_DESK[128];
static pid_t PID;
static int PORT;
static FILE *MANIFEST;
static int N_ANSWERS;

static void service_start(void)
{
    PORT = casesvc_run_start(BIN, DATA, READY, LOG, &PID);
    assert_true(PID >= 0);
    assert_true(PORT > 0);
}

static int service_signal(int sig)
{
    kill(PID, sig);
    int status = 0;
    assert_int_equal(waitpid(PID, &status, 0), PID);
    PID = 0;
    return status;
}

typedef struct {
    long status;
    json_t *j;
    char *raw;
    char api_version[64];
    CURLcode rc;
} answer;

static size_t on_header(char *p, size_t sz, size_t nm, void *ud)
{
    answer *a = ud;
    size_t n = sz * nm;
    if (n > 13 && strncasecmp(p, "API-version:", 12) == 0) {
        const char *v = p + 12;
        while (*v == ' ')
            v++;
        snprintf(a->api_version, sizeof a->api_version, "%.*s", (int)(p + n - v), v);
        a->api_version[strcspn(a->api_version, "\r\n")] = '\0';
    }
    return n;
}

/* cert: "zuil-1" (ours), "other" (another CA), NULL (none) */
static answer req(const char *method, const char *path, const char *body, const char *token,
                  const char *cert)
{
    answer a = {0};
    CURL *c = curl_easy_init();
    assert_non_null(c);
    char url[512], auth[256], ca[256], cp[256], kp[256];
    snprintf(url, sizeof url, "https://localhost:%d/klantinteracties/api/v1%s", PORT, path);
    snprintf(ca, sizeof ca, "%s/certs/ca.pem", DATA);
    struct curl_slist *h = NULL;
    if (token) {
        snprintf(auth, sizeof auth, "Authorization: Token %s", token);
        h = curl_slist_append(h, auth);
    }
    if (body)
        h = curl_slist_append(h, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CAINFO, ca);
    if (cert && strcmp(cert, "other") == 0) {
        snprintf(cp, sizeof cp, "%s/other/client-zuil-9.pem", DIR_);
        snprintf(kp, sizeof kp, "%s/other/client-zuil-9.key", DIR_);
    } else if (cert) {
        snprintf(cp, sizeof cp, "%s/certs/client-%s.pem", DATA, cert);
        snprintf(kp, sizeof kp, "%s/certs/client-%s.key", DATA, cert);
    }
    if (cert) {
        curl_easy_setopt(c, CURLOPT_SSLCERT, cp);
        curl_easy_setopt(c, CURLOPT_SSLKEY, kp);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (body)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    casesvc_run_buf b = {0};
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, casesvc_run_on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &a);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
    a.rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a.status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    a.raw = b.b;
    if (a.rc == CURLE_OK && b.b && strncmp(path, "/schema/", 8) != 0) {
        a.j = json_loads(b.b, 0, NULL);
        assert_non_null(a.j);
        char file[512];
        snprintf(file, sizeof file, "%s/answer-%04d.json", OUT, ++N_ANSWERS);
        FILE *f = fopen(file, "w");
        assert_non_null(f);
        fputs(b.b, f);
        fclose(f);
        char op[256];
        snprintf(op, sizeof op, "%s", path);
        op[strcspn(op, "?")] = '\0';
        char *last = strrchr(op, '/');
        if (last && strlen(last) == 37)
            snprintf(last, sizeof op - (size_t)(last - op), "/{uuid}");
        char status[16];
        snprintf(status, sizeof status, "%ld", a.status);
        fprintf(MANIFEST, "%s /klantinteracties/api/v1%s\t%s\t%s\n", method, op,
                a.status >= 400 ? "problem" : status, file);
        fflush(MANIFEST);
    }
    return a;
}

static void done(answer *a)
{
    json_decref(a->j);
    free(a->raw);
    memset(a, 0, sizeof *a);
}

static const char *str(const json_t *j, const char *k)
{
    return json_string_value(json_object_get(j, k));
}

static void post_intake(const char *ref, char kc_out[37])
{
    char body[1024];
    snprintf(body, sizeof body,
             "{\"klantcontact\":{\"kanaal\":\"zelfbedieningszuil\",\"onderwerp\":\"Verhuizen\","
             "\"inhoud\":\"Gaat u verhuizen? Ja\",\"taal\":\"nld\",\"vertrouwelijk\":true,"
             "\"plaatsgevondenOp\":\"2026-11-28T10:42:00+01:00\",\"referentienummer\":\"%s\"},"
             "\"betrokkene\":{\"rol\":\"klant\",\"initiator\":true,\"contactnaam\":{\"voornaam\":"
             "\"Gerard\",\"achternaam\":\"Jansen\"}}}",
             ref);
    answer a = req("POST", "/maak-klantcontact", body, TOKEN_KIOSK, "zuil-1");
    assert_int_equal(a.status, 201);
    snprintf(kc_out, 37, "%s", str(json_object_get(a.j, "klantcontact"), "uuid"));
    done(&a);
}

/* ---- tests ---- */

static void client_certificate_and_token_are_required(void **state)
{
    (void)state;
    answer a = req("GET", "/actoren", NULL, TOKEN_KIOSK, NULL);
    assert_int_equal(a.rc, CURLE_OK);
    assert_int_equal(a.status, 403);
    assert_string_equal(str(a.j, "code"), "permission_denied");
    assert_string_equal(a.api_version, "0.9.0");
    done(&a);
    a = req("GET", "/actoren", NULL, TOKEN_KIOSK, "other");
    /* a certificate from another CA: refused in the handshake or with a 403, never served */
    assert_true(a.rc != CURLE_OK || a.status == 403);
    done(&a);
    a = req("GET", "/actoren", NULL, NULL, "zuil-1");
    assert_int_equal(a.status, 401);
    assert_string_equal(str(a.j, "code"), "not_authenticated");
    assert_string_equal(a.api_version, "0.9.0");
    done(&a);
    a = req("GET", "/actoren", NULL, "0123456789abcdef", "zuil-1");
    assert_int_equal(a.status, 401);
    done(&a);
    /* the kiosk's token may not list the actors (nor anything else but its own records) */
    a = req("GET", "/actoren", NULL, TOKEN_KIOSK, "zuil-1");
    assert_int_equal(a.status, 403);
    assert_string_equal(str(a.j, "code"), "permission_denied");
    assert_string_equal(a.api_version, "0.9.0");
    done(&a);
    /* the desk's token, with the desk's certificate */
    a = req("GET", "/actoren", NULL, TOKEN_DESK, "balie-1");
    assert_int_equal(a.status, 200);
    assert_string_equal(a.api_version, "0.9.0");
    assert_string_equal(str(json_array_get(json_object_get(a.j, "results"), 0), "uuid"), ACTOR);
    done(&a);
    /* a body over 1 MiB: 413 */
    size_t n = 1100 * 1024;
    char *big = malloc(n + 1);
    memset(big, ' ', n);
    big[0] = '{';
    big[n - 1] = '}';
    big[n] = '\0';
    a = req("POST", "/maak-klantcontact", big, TOKEN_KIOSK, "zuil-1");
    free(big);
    assert_int_equal(a.status, 413);
    done(&a);
}

static void a_restart_after_kill_9_loses_nothing(void **state)
{
    (void)state;
    char kc[5][37], ref[16];
    for (int i = 0; i < 5; i++) {
        snprintf(ref, sizeof ref, "70000000%02d", i);
        post_intake(ref, kc[i]);
        char body[512];
        snprintf(body, sizeof body,
                 "{\"gevraagdeHandeling\":\"Warme overdracht\",\"status\":\"te_verwerken\","
                 "\"aanleidinggevendKlantcontact\":{\"uuid\":\"%s\"},\"toegewezenAanActoren\":"
                 "[{\"uuid\":\"%s\"}]}",
                 kc[i], ACTOR);
        answer a = req("POST", "/internetaken", body, TOKEN_KIOSK, "zuil-1");
        assert_int_equal(a.status, 201);
        done(&a);
        /* kill -9 right after the 201, then start again on the same database */
        int st = service_signal(SIGKILL);
        assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
        service_start();
        for (int k = 0; k <= i; k++) {
            char q[200];
            snprintf(q, sizeof q,
                     "/klantcontacten?referentienummer=70000000%02d&expand=hadBetrokkenen,"
                     "leiddeTotInterneTaken",
                     k);
            a = req("GET", q, NULL, TOKEN_DESK, "balie-1");
            assert_int_equal(a.status, 200);
            assert_int_equal(json_integer_value(json_object_get(a.j, "count")), 1);
            json_t *r = json_array_get(json_object_get(a.j, "results"), 0);
            assert_string_equal(str(r, "uuid"), kc[k]);
            json_t *x = json_object_get(r, "_expand");
            assert_int_equal(json_array_size(json_object_get(x, "hadBetrokkenen")), 1);
            assert_int_equal(json_array_size(json_object_get(x, "leiddeTotInterneTaken")), 1);
            done(&a);
        }
    }
    char q[200];
    snprintf(q, sizeof q, "/internetaken?status=te_verwerken&toegewezenAanActor__uuid=%s", ACTOR);
    answer a = req("GET", q, NULL, TOKEN_DESK, "balie-1");
    assert_int_equal(json_integer_value(json_object_get(a.j, "count")), 5);
    /* the desk finishes one */
    char path[200];
    snprintf(path, sizeof path, "/internetaken/%s",
             str(json_array_get(json_object_get(a.j, "results"), 0), "uuid"));
    done(&a);
    a = req("PATCH", path, "{\"status\":\"verwerkt\"}", TOKEN_DESK, "balie-1");
    assert_int_equal(a.status, 200);
    done(&a);
    service_signal(SIGKILL);
    service_start();
    a = req("GET", q, NULL, TOKEN_DESK, "balie-1");
    assert_int_equal(json_integer_value(json_object_get(a.j, "count")), 4);
    done(&a);
    a = req("GET", path, NULL, TOKEN_DESK, "balie-1");
    assert_string_equal(str(a.j, "status"), "verwerkt");
    done(&a);
}

static void the_schema_is_served(void **state)
{
    (void)state;
    answer a = req("GET", "/schema/openapi.yaml", NULL, NULL, "zuil-1");
    assert_int_equal(a.status, 200);
    assert_non_null(a.raw);
    assert_int_equal(strncmp(a.raw, "openapi: 3", 10), 0);
    assert_non_null(strstr(a.raw, "/internetaken/{uuid}:"));
    done(&a);
}

static void sigterm_stops_cleanly_and_the_log_holds_no_personal_data(void **state)
{
    (void)state;
    int st = service_signal(SIGTERM);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
    FILE *f = fopen(LOG, "r");
    assert_non_null(f);
    char line[1024];
    int requests = 0;
    while (fgets(line, sizeof line, f)) {
        /* nothing of what citizens sent, nor a query, nor a token */
        assert_null(strstr(line, "Gerard"));
        assert_null(strstr(line, "Jansen"));
        assert_null(strstr(line, "verhuizen"));
        assert_null(strstr(line, "70000000"));
        assert_null(strstr(line, "?"));
        assert_null(strstr(line, TOKEN_KIOSK));
        if (strncmp(line, "casesvc: ", 9) == 0) {
            char method[16], path[256];
            unsigned status;
            double ms;
            assert_int_equal(
                sscanf(line, "casesvc: %15s %255s %u %lf ms", method, path, &status, &ms), 4);
            requests++;
        } else {
            assert_int_equal(strncmp(line, "loket-casesvc: ", 15), 0);
        }
    }
    fclose(f);
    assert_true(requests >= 20);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_casesvc_https LOKET_CASESVC OUT_DIR\n");
        return 2;
    }
    BIN = argv[1];
    OUT = argv[2];
    snprintf(DIR_, sizeof DIR_, "/tmp/casesvc-https-XXXXXX");
    if (!mkdtemp(DIR_))
        return 1;
    snprintf(DATA, sizeof DATA, "%s/data", DIR_);
    snprintf(LOG, sizeof LOG, "%s/service.log", DIR_);
    snprintf(READY, sizeof READY, "%s/ready", DIR_);
    mkdir(OUT, 0755);
    char path[512], cmd[1024];
    snprintf(path, sizeof path, "%s/manifest.tsv", OUT);
    MANIFEST = fopen(path, "w");
    /* the site: its team actor and a token for a kiosk and a desk */
    snprintf(cmd, sizeof cmd,
             "'%s' init-site --data-dir '%s' --site 'Bibliotheek Centrum' --kiosk zuil-1 "
             "--desk balie-1 > '%s/init.out'",
             BIN, DATA, DIR_);
    if (!MANIFEST || system(cmd) != 0)
        return 1;
    snprintf(path, sizeof path, "%s/init.out", DIR_);
    FILE *f = fopen(path, "r");
    if (!f || fscanf(f, "actor %36s", ACTOR) != 1)
        return 1;
    fclose(f);
    snprintf(path, sizeof path, "%s/token-zuil-1", DATA);
    f = fopen(path, "r");
    if (!f || !fgets(TOKEN_KIOSK, sizeof TOKEN_KIOSK, f))
        return 1;
    fclose(f);
    TOKEN_KIOSK[strcspn(TOKEN_KIOSK, "\n")] = '\0';
    snprintf(path, sizeof path, "%s/token-balie-1", DATA);
    f = fopen(path, "r");
    if (!f || !fgets(TOKEN_DESK, sizeof TOKEN_DESK, f))
        return 1;
    fclose(f);
    TOKEN_DESK[strcspn(TOKEN_DESK, "\n")] = '\0';
    /* init-site wrote each client's role: zuil-1 a kiosk, balie-1 a desk */
    snprintf(path, sizeof path, "%s/tokens", DATA);
    f = fopen(path, "r");
    if (!f)
        return 1;
    char line[512];
    int kiosk_lines = 0, desk_lines = 0;
    while (fgets(line, sizeof line, f)) {
        kiosk_lines += strstr(line, " zuil-1 kiosk\n") != NULL;
        desk_lines += strstr(line, " balie-1 desk\n") != NULL;
    }
    fclose(f);
    if (kiosk_lines != 1 || desk_lines != 1) {
        fprintf(stderr, "test_casesvc_https: init-site did not write the roles\n");
        return 1;
    }
    /* a client certificate from a CA the service does not trust */
    snprintf(path, sizeof path, "%s/other", DIR_);
    const char *other[] = {"zuil-9"};
    bool made;
    char err[256];
    if (!casesvc_certs_ensure(path, other, 1, &made, err, sizeof err))
        return 1;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int rc;
    {
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(client_certificate_and_token_are_required),
            cmocka_unit_test(a_restart_after_kill_9_loses_nothing),
            cmocka_unit_test(the_schema_is_served),
            cmocka_unit_test(sigterm_stops_cleanly_and_the_log_holds_no_personal_data),
        };
        /* started here, outside a test, so each test sees a running service */
        int st = 0;
        service_start();
        rc = cmocka_run_group_tests(tests, NULL, NULL);
        if (PID > 0) {
            kill(PID, SIGKILL);
            waitpid(PID, &st, 0);
        }
    }
    fclose(MANIFEST);
    curl_global_cleanup();
    if (rc == 0) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", DIR_);
        if (system(cmd) != 0)
            rc = 1;
    } else {
        fprintf(stderr, "kept for inspection: %s\n", DIR_);
    }
    return rc;
}
