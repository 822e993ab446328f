/* Request and answer texts hold personal data: the case service wipes them before it frees them
 * (README). Linked with -Wl,--wrap=free: every free() of the service's own code (and this file)
 * is checked for a marker text while `watching` is on.
 *
 * usage: test_casesvc_wipe */
#include <jansson.h>
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "casesvc_api.h"
#include "casesvc_store.h"
#include "casesvc_tokens.h"

#define MARK "Wipemark7361"

void __real_free(void *p);
void __wrap_free(void *p);

static int watching, unwiped;

void __wrap_free(void *p)
{
    if (p && watching) {
        size_t n = malloc_usable_size(p);
        if (memmem(p, n, MARK, strlen(MARK)))
            unwiped++;
    }
    __real_free(p);
}

static char DIR_[128];
static casesvc_store *ST;
static casesvc_api *API;
static char AUTH[200];

static int handle(const char *method, const char *path, const char *query, const char *body,
                  char **keep)
{
    casesvc_param *q = NULL;
    size_t nq = 0;
    assert_true(casesvc_query_parse(query, &q, &nq));
    casesvc_request rq = {.method = method,
                          .path = path,
                          .query = q,
                          .n_query = nq,
                          .authorization = AUTH,
                          .content_type = body ? "application/json" : NULL,
                          .body = body,
                          .body_len = body ? strlen(body) : 0};
    casesvc_response r;
    casesvc_api_handle(API, &rq, &r);
    casesvc_params_free(q, nq);
    int status = r.status;
    if (keep)
        *keep = strdup(r.body);
    casesvc_response_free(&r);
    return status;
}

static void answers_and_rows_are_wiped(void **state)
{
    (void)state;
    watching = 1;
    unwiped = 0;
    char *ans = NULL;
    assert_int_equal(handle("POST", CASESVC_API_BASE "/maak-klantcontact", NULL,
                            "{\"klantcontact\":{\"kanaal\":\"balie\",\"onderwerp\":\"" MARK
                            "\",\"taal\":\"nld\",\"vertrouwelijk\":true,\"referentienummer\":"
                            "\"8000000001\"},\"betrokkene\":{\"rol\":\"klant\",\"initiator\":"
                            "true,\"contactnaam\":{\"voornaam\":\"" MARK "\"}}}",
                            &ans),
                     201);
    json_t *j = json_loads(ans, 0, NULL);
    explicit_bzero(ans, strlen(ans));
    free(ans);
    char kc[37];
    snprintf(kc, sizeof kc, "%s",
             json_string_value(json_object_get(json_object_get(j, "klantcontact"), "uuid")));
    json_decref(j);
    assert_int_equal(handle("GET", CASESVC_API_BASE "/klantcontacten",
                            "referentienummer=8000000001&expand=hadBetrokkenen", NULL, NULL),
                     200);
    char taak[512];
    snprintf(taak, sizeof taak,
             "{\"gevraagdeHandeling\":\"" MARK "\",\"toelichting\":\"" MARK
             "\",\"status\":\"te_verwerken\",\"aanleidinggevendKlantcontact\":{\"uuid\":\"%s\"},"
             "\"toegewezenAanActoren\":[]}",
             kc);
    assert_int_equal(handle("POST", CASESVC_API_BASE "/internetaken", NULL, taak, &ans), 201);
    j = json_loads(ans, 0, NULL);
    explicit_bzero(ans, strlen(ans));
    free(ans);
    char path[256];
    snprintf(path, sizeof path, CASESVC_API_BASE "/internetaken/%s",
             json_string_value(json_object_get(j, "uuid")));
    json_decref(j);
    assert_int_equal(handle("PATCH", path, NULL, "{\"toelichting\":\"" MARK " 2\"}", NULL), 200);
    assert_int_equal(handle("POST", CASESVC_API_BASE "/digitaleadressen", NULL,
                            "{\"adres\":\"" MARK "@example.org\",\"soortDigitaalAdres\":"
                            "\"email\",\"omschrijving\":\"" MARK "\"}",
                            NULL),
                     201);
    casesvc_filter f = {.kind = "klantcontact"};
    casesvc_rows rows;
    assert_int_equal(casesvc_store_list(ST, &f, &rows), 0);
    casesvc_rows_free(&rows);
    watching = 0;
    assert_int_equal(unwiped, 0);
}

int main(void)
{
    snprintf(DIR_, sizeof DIR_, "/tmp/casesvc-wipe-XXXXXX");
    if (!mkdtemp(DIR_))
        return 1;
    char db[256], tokens[256], plain[256], err[256];
    snprintf(db, sizeof db, "%s/casesvc.db", DIR_);
    snprintf(tokens, sizeof tokens, "%s/tokens", DIR_);
    snprintf(plain, sizeof plain, "%s/token-balie-1", DIR_);
    bool created;
    if (!casesvc_tokens_issue(tokens, "balie-1", CASESVC_ROLE_DESK, plain, &created, err,
                              sizeof err))
        return 1;
    FILE *f = fopen(plain, "r");
    char tok[128] = "";
    if (!f || !fgets(tok, sizeof tok, f))
        return 1;
    fclose(f);
    tok[strcspn(tok, "\n")] = '\0';
    snprintf(AUTH, sizeof AUTH, "Token %s", tok);
    ST = casesvc_store_open(db, err, sizeof err);
    casesvc_tokens *tk = casesvc_tokens_load(tokens, err, sizeof err);
    casesvc_api_config cfg = {.store = ST,
                              .tokens = tk,
                              .base_url = "https://localhost:8443",
                              .openapi_text = "openapi: 3.0.3\n"};
    API = ST && tk ? casesvc_api_new(&cfg) : NULL;
    if (!API)
        return 1;
    const struct CMUnitTest tests[] = {cmocka_unit_test(answers_and_rows_are_wiped)};
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    casesvc_api_free(API);
    casesvc_tokens_free(tk);
    casesvc_store_close(ST);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", DIR_);
    if (system(cmd) != 0)
        rc = 1;
    return rc;
}
