/* The reference case service's API layer without HTTP: every endpoint, filter, error and limit,
 * pagination and expand, against a real SQLite store in a temporary directory.
 *
 * Every answer is also written to OUT_DIR with a line in OUT_DIR/manifest.tsv
 * ("OPERATION<TAB>STATUS<TAB>FILE"): the CTest case casesvc.api_answers_schema checks them all
 * against the official description (tests/casesvc/check_response.py).
 *
 * usage: test_casesvc_api OUT_DIR */
#include <jansson.h>
#include <pthread.h>
#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "casesvc_api.h"
#include "casesvc_store.h"
#include "casesvc_tokens.h"

static const char *OUT;
static char DIR_[128];
static casesvc_store *ST;
static casesvc_tokens *TK;
static casesvc_api *API;
static char TOKEN[128], ACTOR[37], OTHER_ACTOR[37];
static FILE *MANIFEST;
static int N_ANSWERS;

#define BASE CASESVC_API_BASE

typedef struct {
    int status;
    json_t *j;
    const char *ctype;
    const char *allow;
} answer;

/* The operation template for the manifest: uuids in the path become {uuid}. */
static void template_of(const char *method, const char *path, char *out, size_t cap)
{
    snprintf(out, cap, "%s ", method);
    const char *p = path;
    while (*p) {
        const char *slash = strchr(p + 1, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (n == 37 && p[0] == '/' && p[9] == '-')
            strncat(out, "/{uuid}", cap - strlen(out) - 1);
        else
            strncat(out, p, n < cap - strlen(out) - 1 ? n : cap - strlen(out) - 1);
        p += n;
    }
}

static answer call_full(const char *method, const char *path, const char *query, const char *auth,
                        const char *ctype, const char *body, bool too_large)
{
    casesvc_param *q;
    size_t nq;
    assert_true(casesvc_query_parse(query, &q, &nq));
    casesvc_request rq = {.method = method,
                          .path = path,
                          .query = q,
                          .n_query = nq,
                          .authorization = auth,
                          .content_type = ctype,
                          .body = body,
                          .body_len = body ? strlen(body) : 0,
                          .body_too_large = too_large};
    casesvc_response r;
    casesvc_api_handle(API, &rq, &r);
    casesvc_params_free(q, nq);
    answer a = {.status = r.status, .ctype = r.content_type, .allow = r.allow};
    assert_non_null(r.body);
    if (strcmp(r.content_type, "application/yaml") != 0) {
        a.j = json_loads(r.body, 0, NULL);
        assert_non_null(a.j);
        char file[512], op[512];
        snprintf(file, sizeof file, "%s/answer-%04d.json", OUT, ++N_ANSWERS);
        FILE *f = fopen(file, "w");
        assert_non_null(f);
        fputs(r.body, f);
        fclose(f);
        template_of(method, path, op, sizeof op);
        bool problem = strcmp(r.content_type, "application/problem+json") == 0;
        if (problem)
            assert_int_equal(json_integer_value(json_object_get(a.j, "status")), r.status);
        char status[16];
        snprintf(status, sizeof status, "%d", r.status);
        fprintf(MANIFEST, "%s\t%s\t%s\n", op, problem ? "problem" : status, file);
        fflush(MANIFEST);
    }
    casesvc_response_free(&r);
    return a;
}

static char AUTH[200], KIOSK_AUTH[200];

static answer call(const char *method, const char *path, const char *query, const char *body)
{
    return call_full(method, path, query, AUTH, body ? "application/json" : NULL, body, false);
}

static answer callf(const char *method, const char *path, const char *query, const char *fmt, ...)
{
    char *body = NULL;
    va_list ap;
    va_start(ap, fmt);
    assert_true(vasprintf(&body, fmt, ap) >= 0);
    va_end(ap);
    answer a = call(method, path, query, body);
    free(body);
    return a;
}

static void done(answer *a)
{
    json_decref(a->j);
    a->j = NULL;
}

static const char *str(const json_t *j, const char *key)
{
    return json_string_value(json_object_get(j, key));
}

/* The names of a 400's invalidParams, sorted and joined with spaces. */
static char *invalid_names(const answer *a)
{
    static char buf[4096];
    buf[0] = '\0';
    json_t *list = json_object_get(a->j, "invalidParams");
    size_t n = json_array_size(list);
    const char *names[128];
    for (size_t i = 0; i < n && i < 128; i++) {
        json_t *e = json_array_get(list, i);
        names[i] = str(e, "name");
        assert_non_null(str(e, "code"));
        assert_non_null(str(e, "reason"));
    }
    for (size_t i = 0; i < n; i++) /* insertion sort */
        for (size_t k = i; k > 0 && strcmp(names[k - 1], names[k]) > 0; k--) {
            const char *t = names[k];
            names[k] = names[k - 1];
            names[k - 1] = t;
        }
    for (size_t i = 0; i < n; i++) {
        strcat(buf, i ? " " : "");
        strcat(buf, names[i]);
    }
    return buf;
}

static const char *code_of(const answer *a, const char *name)
{
    json_t *list = json_object_get(a->j, "invalidParams");
    for (size_t i = 0; i < json_array_size(list); i++)
        if (strcmp(str(json_array_get(list, i), "name"), name) == 0)
            return str(json_array_get(list, i), "code");
    return NULL;
}

static char *repeat(const char *unit, size_t n)
{
    size_t u = strlen(unit);
    char *s = malloc(u * n + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * u, unit, u);
    s[u * n] = '\0';
    return s;
}

/* A klantcontact as the kiosk sends it; returns the klantcontact's uuid (and betrokkene's). */
static void make_contact(const char *ref, char kc[37], char bt[37])
{
    answer a = callf("POST", BASE "/maak-klantcontact", NULL,
                     "{\"klantcontact\":{\"kanaal\":\"zelfbedieningszuil\",\"onderwerp\":"
                     "\"Verhuizen (zelfbedieningszuil)\",\"inhoud\":\"Gaat u verhuizen? Ja\","
                     "\"reactie\":\"Gemeente\\n- Verhuizing doorgeven\",\"indicatieContactGelukt\""
                     ":true,\"taal\":\"nld\",\"vertrouwelijk\":true,\"plaatsgevondenOp\":"
                     "\"2026-11-28T10:42:00+01:00\",\"referentienummer\":\"%s\",\"metadata\":{"
                     "\"zuil\":\"zuil-1\",\"toestemming\":\"gemeente\"}},\"betrokkene\":{\"rol\":"
                     "\"klant\",\"initiator\":true,\"contactnaam\":{\"voornaam\":\"Gerard\","
                     "\"achternaam\":\"Jansen\"}}}",
                     ref);
    assert_int_equal(a.status, 201);
    json_t *k = json_object_get(a.j, "klantcontact");
    if (kc)
        snprintf(kc, 37, "%s", str(k, "uuid"));
    if (bt)
        snprintf(bt, 37, "%s", str(json_object_get(a.j, "betrokkene"), "uuid"));
    done(&a);
}

static void make_task(const char *kc, const char *actor, const char *ref, char out[37])
{
    char refjson[40] = "null";
    if (ref)
        snprintf(refjson, sizeof refjson, "\"%s\"", ref);
    answer a = callf("POST", BASE "/internetaken", NULL,
                     "{\"gevraagdeHandeling\":\"Warme overdracht: inwoner wacht bij zuil 2\","
                     "\"toelichting\":\"Verhuizen\",\"status\":\"te_verwerken\","
                     "\"referentienummer\":%s,\"aanleidinggevendKlantcontact\":{\"uuid\":\"%s\"},"
                     "\"toegewezenAanActoren\":[{\"uuid\":\"%s\"}]}",
                     refjson, kc, actor);
    assert_int_equal(a.status, 201);
    if (out)
        snprintf(out, 37, "%s", str(a.j, "uuid"));
    done(&a);
}

/* ---- tests ---- */

static void the_token_is_required(void **state)
{
    (void)state;
    answer a = call_full("GET", BASE "/actoren", NULL, NULL, NULL, NULL, false);
    assert_int_equal(a.status, 401);
    assert_string_equal(a.ctype, "application/problem+json");
    assert_string_equal(str(a.j, "code"), "not_authenticated");
    done(&a);
    a = call_full("GET", BASE "/actoren", NULL, "Token wrong", NULL, NULL, false);
    assert_int_equal(a.status, 401);
    done(&a);
    char bearer[200];
    snprintf(bearer, sizeof bearer, "Bearer %s", TOKEN);
    a = call_full("GET", BASE "/actoren", NULL, bearer, NULL, NULL, false);
    assert_int_equal(a.status, 401);
    done(&a);
    char prefix[200]; /* a prefix of the right token is not the token */
    snprintf(prefix, sizeof prefix, "Token %.20s", TOKEN);
    a = call_full("GET", BASE "/actoren", NULL, prefix, NULL, NULL, false);
    assert_int_equal(a.status, 401);
    done(&a);
    /* 401 before anything else: a wrong method or a body without a token is still a 401 */
    a = call_full("DELETE", BASE "/internetaken", NULL, NULL, NULL, NULL, false);
    assert_int_equal(a.status, 401);
    done(&a);
    a = call("GET", BASE "/actoren", NULL, NULL);
    assert_int_equal(a.status, 200);
    done(&a);
}

static void the_schema_is_served_without_a_token(void **state)
{
    (void)state;
    answer a = call_full("GET", BASE "/schema/openapi.yaml", NULL, NULL, NULL, NULL, false);
    assert_int_equal(a.status, 200);
    assert_string_equal(a.ctype, "application/yaml");
    a = call_full("POST", BASE "/schema/openapi.yaml", NULL, NULL, NULL, NULL, false);
    assert_int_equal(a.status, 405);
    done(&a);
}

static void maak_klantcontact_stores_all_three(void **state)
{
    (void)state;
    answer a =
        call("POST", BASE "/maak-klantcontact", NULL,
             "{\"klantcontact\":{\"kanaal\":\"zelfbedieningszuil\",\"onderwerp\":\"Geboorte\","
             "\"taal\":\"eng\",\"vertrouwelijk\":false,\"referentienummer\":\"1000000017\","
             "\"plaatsgevondenOp\":\"2026-11-28 10:42\",\"uuid\":\"ignored\"},"
             "\"betrokkene\":{\"rol\":\"klant\",\"initiator\":true},"
             "\"onderwerpobject\":{\"onderwerpobjectidentificator\":{\"objectId\":\"42\","
             "\"codeObjecttype\":\"zaak\",\"codeRegister\":\"open-zaak\","
             "\"codeSoortObjectId\":\"uuid\"}},\"unknown\":1}");
    assert_int_equal(a.status, 201);
    json_t *kc = json_object_get(a.j, "klantcontact"), *bt = json_object_get(a.j, "betrokkene"),
           *ow = json_object_get(a.j, "onderwerpobject");
    assert_string_not_equal(str(kc, "uuid"), "ignored");
    assert_string_equal(str(kc, "taal"), "eng");
    /* a time without seconds and offset is written out in full */
    assert_string_equal(str(kc, "plaatsgevondenOp"), "2026-11-28T10:42:00Z");
    assert_string_equal(str(json_array_get(json_object_get(kc, "hadBetrokkenen"), 0), "uuid"),
                        str(bt, "uuid"));
    assert_string_equal(
        str(json_array_get(json_object_get(kc, "gingOverOnderwerpobjecten"), 0), "uuid"),
        str(ow, "uuid"));
    assert_string_equal(str(json_object_get(bt, "hadKlantcontact"), "uuid"), str(kc, "uuid"));
    assert_string_equal(str(json_object_get(ow, "klantcontact"), "uuid"), str(kc, "uuid"));
    char path[256];
    snprintf(path, sizeof path, BASE "/klantcontacten/%s", str(kc, "uuid"));
    answer g = call("GET", path, NULL, NULL);
    assert_int_equal(g.status, 200);
    assert_string_equal(str(g.j, "onderwerp"), "Geboorte");
    done(&g);
    snprintf(path, sizeof path, BASE "/betrokkenen/%s", str(bt, "uuid"));
    g = call("GET", path, NULL, NULL);
    assert_int_equal(g.status, 200);
    assert_string_equal(str(g.j, "rol"), "klant");
    assert_string_equal(str(g.j, "volledigeNaam"), "");
    done(&g);
    done(&a);

    /* just a klantcontact: no betrokkene, no onderwerpobject */
    a = call("POST", BASE "/maak-klantcontact", NULL,
             "{\"klantcontact\":{\"kanaal\":\"balie\",\"onderwerp\":\"Vraag\",\"taal\":\"nld\","
             "\"vertrouwelijk\":true},\"betrokkene\":null}");
    assert_int_equal(a.status, 201);
    assert_null(json_object_get(a.j, "betrokkene"));
    assert_true(
        json_is_null(json_object_get(json_object_get(a.j, "klantcontact"), "referentienummer")));
    done(&a);
}

static void every_invalid_field_is_listed(void **state)
{
    (void)state;
    char *long_onderwerp = repeat("x", 201);
    answer a = callf(
        "POST", BASE "/maak-klantcontact", NULL,
        "{\"klantcontact\":{\"kanaal\":\"\",\"onderwerp\":\"%s\",\"inhoud\":7,\"taal\":\"nlddd\","
        "\"vertrouwelijk\":\"ja\",\"plaatsgevondenOp\":\"28-11-2026\",\"referentienummer\":"
        "\"12345678901\",\"indicatieContactGelukt\":\"yes\",\"hoofdOnderwerpType\":\"geen uri\","
        "\"metadata\":{\"zuil\":5}},"
        "\"betrokkene\":{\"rol\":\"burger\",\"contactnaam\":{\"voorletters\":\"ABCDEFGHIJK\"},"
        "\"wasPartij\":{\"uuid\":\"00000000-0000-4000-8000-000000000000\"}},"
        "\"onderwerpobject\":{\"wasKlantcontact\":{\"uuid\":\"nope\"}}}",
        long_onderwerp);
    free(long_onderwerp);
    assert_int_equal(a.status, 400);
    assert_string_equal(a.ctype, "application/problem+json");
    assert_string_equal(str(a.j, "code"), "invalid");
    assert_string_equal(invalid_names(&a),
                        "betrokkene.contactnaam.voorletters betrokkene.initiator betrokkene.rol "
                        "betrokkene.wasPartij.uuid klantcontact.hoofdOnderwerpType "
                        "klantcontact.indicatieContactGelukt klantcontact.inhoud "
                        "klantcontact.kanaal klantcontact.metadata.zuil klantcontact.onderwerp "
                        "klantcontact.plaatsgevondenOp klantcontact.referentienummer "
                        "klantcontact.taal klantcontact.vertrouwelijk "
                        "onderwerpobject.wasKlantcontact.uuid");
    assert_string_equal(code_of(&a, "klantcontact.kanaal"), "blank");
    assert_string_equal(code_of(&a, "klantcontact.onderwerp"), "max_length");
    assert_string_equal(code_of(&a, "betrokkene.initiator"), "required");
    assert_string_equal(code_of(&a, "betrokkene.rol"), "invalid_choice");
    assert_string_equal(code_of(&a, "betrokkene.wasPartij.uuid"), "does_not_exist");
    done(&a);
    /* nothing was stored */
    a = call("GET", BASE "/klantcontacten", "referentienummer=12345678901", NULL);
    assert_int_equal(json_integer_value(json_object_get(a.j, "count")), 0);
    done(&a);
    a = call("POST", BASE "/maak-klantcontact", NULL, "{}");
    assert_int_equal(a.status, 400);
    assert_string_equal(invalid_names(&a), "klantcontact");
    assert_string_equal(code_of(&a, "klantcontact"), "required");
    done(&a);
    a = call("POST", BASE "/maak-klantcontact", NULL, "{\"klantcontact\":{}}");
    assert_string_equal(invalid_names(&a), "klantcontact.kanaal klantcontact.onderwerp "
                                           "klantcontact.taal klantcontact.vertrouwelijk");
    done(&a);
}

/* The longest allowed value passes, one character more is refused; characters, not bytes. */
static void field_limits_are_the_specs(void **state)
{
    (void)state;
    struct {
        const char *field;
        size_t max;
    } lim[] = {{"onderwerp", 200}, {"inhoud", 1000}, {"reactie", 4000}, {"kanaal", 50}};
    for (size_t i = 0; i < sizeof lim / sizeof lim[0]; i++) {
        for (int extra = 0; extra <= 1; extra++) {
            char *v = repeat("\xc3\xa9", lim[i].max + (size_t)extra); /* é: 2 bytes each */
            char *body = NULL;
            bool k = strcmp(lim[i].field, "kanaal") == 0,
                 o = strcmp(lim[i].field, "onderwerp") == 0;
            assert_true(asprintf(&body,
                                 "{\"klantcontact\":{\"kanaal\":\"%s\",\"onderwerp\":\"%s\","
                                 "\"taal\":\"nld\",\"vertrouwelijk\":true%s%s%s%s%s}}",
                                 k ? v : "k", o ? v : "o", k || o ? "" : ",\"",
                                 k || o ? "" : lim[i].field, k || o ? "" : "\":\"", k || o ? "" : v,
                                 k || o ? "" : "\"") > 0);
            answer a = call("POST", BASE "/maak-klantcontact", NULL, body);
            assert_int_equal(a.status, extra ? 400 : 201);
            if (extra) {
                char name[64];
                snprintf(name, sizeof name, "klantcontact.%s", lim[i].field);
                assert_string_equal(invalid_names(&a), name);
                assert_string_equal(code_of(&a, name), "max_length");
            }
            done(&a);
            free(body);
            free(v);
        }
    }
    for (int extra = 0; extra <= 1; extra++) {
        char *v = repeat("m", 255 + (size_t)extra);
        answer a = callf("POST", BASE "/maak-klantcontact", NULL,
                         "{\"klantcontact\":{\"kanaal\":\"k\",\"onderwerp\":\"o\",\"taal\":\"nld\","
                         "\"vertrouwelijk\":true,\"metadata\":{\"signalen\":\"%s\"}}}",
                         v);
        assert_int_equal(a.status, extra ? 400 : 201);
        done(&a);
        free(v);
    }
}

static void a_referentienummer_is_unique(void **state)
{
    (void)state;
    make_contact("2000000011", NULL, NULL);
    answer a = callf("POST", BASE "/maak-klantcontact", NULL,
                     "{\"klantcontact\":{\"kanaal\":\"k\",\"onderwerp\":\"o\",\"taal\":\"nld\","
                     "\"vertrouwelijk\":true,\"referentienummer\":\"2000000011\"}}");
    assert_int_equal(a.status, 400);
    assert_string_equal(invalid_names(&a), "klantcontact.referentienummer");
    assert_string_equal(code_of(&a, "klantcontact.referentienummer"), "unique");
    done(&a);
    a = call("GET", BASE "/klantcontacten", "referentienummer=2000000011", NULL);
    assert_int_equal(json_integer_value(json_object_get(a.j, "count")), 1);
    done(&a);
}

/* The database itself keeps a referentienummer unique (two kiosks racing past the API's own
 * check), for klantcontacten and internetaken, and a refused write leaves nothing behind. */
/* minimal valid bodies, as the API layer stores them */
#define KC_BODY                                                                                    \
    "{\"kanaal\":\"k\",\"onderwerp\":\"o\",\"taal\":\"nld\",\"vertrouwelijk\":true,"               \
    "\"referentienummer\":\"8000000001\"}"
#define BT_BODY "{\"rol\":\"klant\",\"initiator\":true}"
#define TAAK_BODY                                                                                  \
    "{\"gevraagdeHandeling\":\"h\",\"status\":\"te_verwerken\",\"toegewezenOp\":\"2026-11-28T10:"  \
    "00:00Z\"}"
#define DA_BODY "{\"adres\":\"a@b.nl\",\"soortDigitaalAdres\":\"email\",\"referentie\":\"loket-1\"}"

static void the_store_refuses_a_second_referentienummer(void **state)
{
    (void)state;
    casesvc_obj a[2] = {
        {"klantcontact", "11111111-1111-4111-8111-111111111111", "8000000001", NULL, NULL, KC_BODY},
        {"betrokkene", "22222222-2222-4222-8222-222222222222", NULL,
         "11111111-1111-4111-8111-111111111111", NULL, BT_BODY},
    };
    assert_int_equal(casesvc_store_insert(ST, a, 1, NULL, 0), CASESVC_STORE_OK);
    a[0].uuid = "33333333-3333-4333-8333-333333333333";
    assert_int_equal(casesvc_store_insert(ST, a, 2, NULL, 0), CASESVC_STORE_DUPLICATE);
    casesvc_filter f = {.kind = "betrokkene", .uuid = "22222222-2222-4222-8222-222222222222"};
    casesvc_rows rows;
    assert_int_equal(casesvc_store_list(ST, &f, &rows), 0);
    assert_int_equal(rows.total, 0); /* all or nothing */
    casesvc_rows_free(&rows);
    casesvc_obj t = {"internetaak",  "44444444-4444-4444-8444-444444444444",
                     "8000000001",   "11111111-1111-4111-8111-111111111111",
                     "te_verwerken", TAAK_BODY};
    assert_int_equal(casesvc_store_insert(ST, &t, 1, NULL, 0), CASESVC_STORE_OK);
    t.uuid = "55555555-5555-4555-8555-555555555555";
    assert_int_equal(casesvc_store_insert(ST, &t, 1, NULL, 0), CASESVC_STORE_DUPLICATE);
    /* a digitaal adres's referentie is not unique */
    casesvc_obj d = {"digitaaladres", "66666666-6666-4666-8666-666666666666", "loket-1", NULL, NULL,
                     DA_BODY};
    assert_int_equal(casesvc_store_insert(ST, &d, 1, NULL, 0), CASESVC_STORE_OK);
    d.uuid = "77777777-7777-4777-8777-777777777777";
    assert_int_equal(casesvc_store_insert(ST, &d, 1, NULL, 0), CASESVC_STORE_OK);
}

/* Eight kiosks racing with the same referentienummer: one contact, seven refusals. */
typedef struct {
    int status;
    char code[32];
} race_result;

static void *race(void *arg)
{
    race_result *r = arg;
    casesvc_request rq = {.method = "POST",
                          .path = BASE "/maak-klantcontact",
                          .authorization = AUTH,
                          .content_type = "application/json",
                          .body = "{\"klantcontact\":{\"kanaal\":\"k\",\"onderwerp\":\"o\","
                                  "\"taal\":\"nld\",\"vertrouwelijk\":true,"
                                  "\"referentienummer\":\"9000000009\"},\"betrokkene\":{"
                                  "\"rol\":\"klant\",\"initiator\":true}}"};
    rq.body_len = strlen(rq.body);
    casesvc_response out;
    casesvc_api_handle(API, &rq, &out);
    r->status = out.status;
    json_t *j = json_loads(out.body, 0, NULL);
    const char *code = json_string_value(
        json_object_get(json_array_get(json_object_get(j, "invalidParams"), 0), "code"));
    snprintf(r->code, sizeof r->code, "%s", code ? code : "");
    json_decref(j);
    casesvc_response_free(&out);
    return NULL;
}

static void racing_kiosks_make_one_contact(void **state)
{
    (void)state;
    pthread_t t[8];
    race_result r[8];
    for (int i = 0; i < 8; i++)
        assert_int_equal(pthread_create(&t[i], NULL, race, &r[i]), 0);
    int created = 0;
    for (int i = 0; i < 8; i++) {
        pthread_join(t[i], NULL);
        if (r[i].status == 201) {
            created++;
        } else {
            assert_int_equal(r[i].status, 400);
            assert_string_equal(r[i].code, "unique");
        }
    }
    assert_int_equal(created, 1);
    answer a = call("GET", BASE "/klantcontacten", "referentienummer=9000000009", NULL);
    assert_int_equal(json_integer_value(json_object_get(a.j, "count")), 1);
    done(&a);
}

static void klantcontacten_filter_page_and_expand(void **state)
{
    (void)state;
    char kc[5][37], bt[5][37], ref[16];
    for (int i = 0; i < 5; i++) {
        snprintf(ref, sizeof ref, "30000000%02d", i);
        make_contact(ref, kc[i], bt[i]);
    }
    char task[37];
    make_task(kc[2], ACTOR, NULL, task);
    answer a = call("GET", BASE "/klantcontacten", "referentienummer=3000000002", NULL);
    assert_int_equal(a.status, 200);
    assert_int_equal(json_integer_value(json_object_get(a.j, "count")), 1);
    json_t *r0 = json_array_get(json_object_get(a.j, "results"), 0);
    assert_string_equal(str(r0, "uuid"), kc[2]);
    assert_null(json_object_get(r0, "_expand"));
    assert_string_equal(
        str(json_array_get(json_object_get(r0, "leiddeTotInterneTaken"), 0), "uuid"), task);
    done(&a);
    a = call("GET", BASE "/klantcontacten", "referentienummer=9999999999", NULL);
    assert_int_equal(json_integer_value(json_object_get(a.j, "count")), 0);
    assert_int_equal(json_array_size(json_object_get(a.j, "results")), 0);
    done(&a);

    a = call("GET", BASE "/klantcontacten",
             "referentienummer=3000000002&expand=hadBetrokkenen,leiddeTotInterneTaken", NULL);
    assert_int_equal(a.status, 200);
    json_t *x = json_object_get(json_array_get(json_object_get(a.j, "results"), 0), "_expand");
    assert_non_null(x);
    json_t *b0 = json_array_get(json_object_get(x, "hadBetrokkenen"), 0);
    assert_string_equal(str(b0, "uuid"), bt[2]);
    assert_string_equal(str(b0, "volledigeNaam"), "Gerard Jansen");
    json_t *t0 = json_array_get(json_object_get(x, "leiddeTotInterneTaken"), 0);
    assert_string_equal(str(t0, "uuid"), task);
    assert_string_equal(str(t0, "status"), "te_verwerken");
    done(&a);
    /* only what was asked is expanded */
    a = call("GET", BASE "/klantcontacten", "referentienummer=3000000002&expand=hadBetrokkenen",
             NULL);
    x = json_object_get(json_array_get(json_object_get(a.j, "results"), 0), "_expand");
    assert_non_null(json_object_get(x, "hadBetrokkenen"));
    assert_null(json_object_get(x, "leiddeTotInterneTaken"));
    done(&a);
    a = call("GET", BASE "/klantcontacten", "expand=hadBetrokkenen,geheim", NULL);
    assert_int_equal(a.status, 400);
    assert_string_equal(invalid_names(&a), "expand");
    done(&a);
    char path[200];
    snprintf(path, sizeof path, BASE "/klantcontacten/%s", kc[2]);
    a = call("GET", path, "expand=leiddeTotInterneTaken", NULL);
    assert_int_equal(a.status, 200);
    assert_int_equal(
        json_array_size(json_object_get(json_object_get(a.j, "_expand"), "leiddeTotInterneTaken")),
        1);
    done(&a);

    /* pagination: count, next, previous as Django REST framework gives them */
    answer all = call("GET", BASE "/klantcontacten", NULL, NULL);
    long long total = json_integer_value(json_object_get(all.j, "count"));
    assert_true(total >= 5);
    done(&all);
    long long pages = (total + 1) / 2;
    a = call("GET", BASE "/klantcontacten", "pageSize=2", NULL);
    assert_int_equal(json_integer_value(json_object_get(a.j, "count")), total);
    assert_int_equal(json_array_size(json_object_get(a.j, "results")), 2);
    assert_true(json_is_null(json_object_get(a.j, "previous")));
    assert_non_null(strstr(str(a.j, "next"), "/klantcontacten?pageSize=2&page=2"));
    assert_non_null(strstr(str(a.j, "next"), "https://"));
    done(&a);
    char q[64];
    snprintf(q, sizeof q, "pageSize=2&page=%lld", pages);
    a = call("GET", BASE "/klantcontacten", q, NULL);
    assert_int_equal(a.status, 200);
    assert_true(json_is_null(json_object_get(a.j, "next")));
    assert_non_null(strstr(str(a.j, "previous"), "page="));
    assert_int_equal(json_array_size(json_object_get(a.j, "results")), total % 2 ? 1 : 2);
    done(&a);
    /* the pages together are every contact once, in order */
    json_t *seen = json_object();
    for (long long p = 1; p <= pages; p++) {
        snprintf(q, sizeof q, "pageSize=2&page=%lld", p);
        a = call("GET", BASE "/klantcontacten", q, NULL);
        json_t *res = json_object_get(a.j, "results");
        for (size_t i = 0; i < json_array_size(res); i++) {
            const char *u = str(json_array_get(res, i), "uuid");
            assert_null(json_object_get(seen, u));
            json_object_set_new(seen, u, json_true());
        }
        done(&a);
    }
    assert_int_equal(json_object_size(seen), total);
    json_decref(seen);
    snprintf(q, sizeof q, "pageSize=2&page=%lld", pages + 1);
    a = call("GET", BASE "/klantcontacten", q, NULL);
    assert_int_equal(a.status, 404);
    done(&a);
    a = call("GET", BASE "/klantcontacten", "page=abc", NULL);
    assert_int_equal(a.status, 404);
    done(&a);
    a = call("GET", BASE "/klantcontacten", "page=0", NULL);
    assert_int_equal(a.status, 404);
    done(&a);
    /* pageSize above 500 is 500; a bad one is the default 100 */
    a = call("GET", BASE "/klantcontacten", "pageSize=100000", NULL);
    assert_int_equal(a.status, 200);
    assert_int_equal(json_array_size(json_object_get(a.j, "results")), total < 500 ? total : 500);
    done(&a);
    a = call("GET", BASE "/klantcontacten", "pageSize=-3&onbekend=1", NULL);
    assert_int_equal(a.status, 200); /* an unknown parameter is ignored */
    assert_int_equal(json_array_size(json_object_get(a.j, "results")), total < 100 ? total : 100);
    done(&a);
}

static void digitaleadressen(void **state)
{
    (void)state;
    char kc[37], bt[37];
    make_contact("4000000001", kc, bt);
    answer a = callf("POST", BASE "/digitaleadressen", NULL,
                     "{\"adres\":\"0612345678\",\"soortDigitaalAdres\":\"telefoonnummer\","
                     "\"omschrijving\":\"Terugbelverzoek via zuil\",\"referentie\":"
                     "\"loket-4000000001\",\"verstrektDoorBetrokkene\":{\"uuid\":\"%s\"}}",
                     bt);
    assert_int_equal(a.status, 201);
    char da[37];
    snprintf(da, sizeof da, "%s", str(a.j, "uuid"));
    assert_string_equal(str(json_object_get(a.j, "verstrektDoorBetrokkene"), "uuid"), bt);
    done(&a);
    /* the betrokkene now lists it */
    char path[200];
    snprintf(path, sizeof path, BASE "/betrokkenen/%s", bt);
    a = call("GET", path, NULL, NULL);
    assert_string_equal(str(json_array_get(json_object_get(a.j, "digitaleAdressen"), 0), "uuid"),
                        da);
    done(&a);
    a = call("GET", BASE "/digitaleadressen", "referentie=loket-4000000001", NULL);
    assert_int_equal(json_integer_value(json_object_get(a.j, "count")), 1);
    assert_string_equal(str(json_array_get(json_object_get(a.j, "results"), 0), "adres"),
                        "0612345678");
    done(&a);
    /* the desk's call: the case with its betrokkene and that betrokkene's addresses in full */
    a = call("GET", BASE "/klantcontacten",
             "referentienummer=4000000001&expand=hadBetrokkenen,hadBetrokkenen.digitaleAdressen,"
             "leiddeTotInterneTaken",
             NULL);
    assert_int_equal(a.status, 200);
    json_t *xb = json_array_get(
        json_object_get(
            json_object_get(json_array_get(json_object_get(a.j, "results"), 0), "_expand"),
            "hadBetrokkenen"),
        0);
    json_t *xda =
        json_array_get(json_object_get(json_object_get(xb, "_expand"), "digitaleAdressen"), 0);
    assert_string_equal(str(xda, "adres"), "0612345678");
    assert_string_equal(str(xda, "uuid"), da);
    done(&a);
    a = call("GET", BASE "/digitaleadressen", "referentie=loket-0", NULL);
    assert_int_equal(json_integer_value(json_object_get(a.j, "count")), 0);
    done(&a);
    char q[128];
    snprintf(q, sizeof q, "verstrektDoorBetrokkene__uuid=%s", bt);
    a = call("GET", BASE "/digitaleadressen", q, NULL);
    assert_int_equal(json_integer_value(json_object_get(a.j, "count")), 1);
    done(&a);
    a = call("GET", BASE "/digitaleadressen", "verstrektDoorBetrokkene__uuid=12", NULL);
    assert_int_equal(a.status, 400);
    assert_string_equal(invalid_names(&a), "verstrektDoorBetrokkene__uuid");
    done(&a);
    snprintf(path, sizeof path, BASE "/digitaleadressen/%s", da);
    a = call("GET", path, NULL, NULL);
    assert_int_equal(a.status, 200);
    assert_string_equal(str(a.j, "soortDigitaalAdres"), "telefoonnummer");
    done(&a);
    /* an e-mail address */
    a = call("POST", BASE "/digitaleadressen", NULL,
             "{\"adres\":\"gerard@example.nl\",\"soortDigitaalAdres\":\"email\"}");
    assert_int_equal(a.status, 201);
    assert_true(json_is_null(json_object_get(a.j, "verstrektDoorBetrokkene")));
    done(&a);
    /* everything wrong at once */
    a = call("POST", BASE "/digitaleadressen", NULL,
             "{\"adres\":\"0800123\",\"soortDigitaalAdres\":\"telefoonnummer\","
             "\"omschrijving\":\"an omschrijving that is longer than forty characters\","
             "\"referentie\":\"loket 1\",\"verificatieDatum\":\"2026-02-30\","
             "\"verstrektDoorBetrokkene\":{\"uuid\":\"00000000-0000-4000-8000-000000000000\"}}");
    assert_int_equal(a.status, 400);
    assert_string_equal(invalid_names(&a), "adres omschrijving referentie verificatieDatum "
                                           "verstrektDoorBetrokkene.uuid");
    done(&a);
    a = call("POST", BASE "/digitaleadressen", NULL,
             "{\"adres\":\"gerard@\",\"soortDigitaalAdres\":\"email\"}");
    assert_int_equal(a.status, 400);
    assert_string_equal(invalid_names(&a), "adres");
    done(&a);
    a = call("POST", BASE "/digitaleadressen", NULL, "{\"soortDigitaalAdres\":\"duif\"}");
    assert_int_equal(a.status, 400);
    assert_string_equal(invalid_names(&a), "adres soortDigitaalAdres");
    done(&a);
}

static void internetaken_create_filter_and_finish(void **state)
{
    (void)state;
    char kc[37], kc2[37], t1[37], t2[37], t3[37];
    make_contact("5000000001", kc, NULL);
    make_contact("5000000002", kc2, NULL);
    make_task(kc, ACTOR, "T500001", t1);
    make_task(kc2, ACTOR, NULL, t2);
    make_task(kc2, OTHER_ACTOR, NULL, t3);
    char path[200];
    snprintf(path, sizeof path, BASE "/internetaken/%s", t1);
    answer a = call("GET", path, NULL, NULL);
    assert_int_equal(a.status, 200);
    assert_non_null(str(a.j, "toegewezenOp"));
    assert_string_equal(str(json_object_get(a.j, "aanleidinggevendKlantcontact"), "uuid"), kc);
    assert_string_equal(
        str(json_array_get(json_object_get(a.j, "toegewezenAanActoren"), 0), "uuid"), ACTOR);
    assert_string_equal(str(json_object_get(a.j, "toegewezenAanActor"), "uuid"), ACTOR);
    done(&a);

    char q[256];
    /* the desk's polling query: waiting, for this site's team */
    snprintf(q, sizeof q, "status=te_verwerken&toegewezenAanActor__uuid=%s", ACTOR);
    a = call("GET", BASE "/internetaken", q, NULL);
    long long waiting = json_integer_value(json_object_get(a.j, "count"));
    json_t *res = json_object_get(a.j, "results");
    bool has1 = false, has2 = false, has3 = false;
    for (size_t i = 0; i < json_array_size(res); i++) {
        const char *u = str(json_array_get(res, i), "uuid");
        has1 |= strcmp(u, t1) == 0;
        has2 |= strcmp(u, t2) == 0;
        has3 |= strcmp(u, t3) == 0;
        assert_string_equal(str(json_array_get(res, i), "status"), "te_verwerken");
    }
    assert_true(has1 && has2 && !has3);
    done(&a);
    snprintf(q, sizeof q, "toegewezenAanActor__uuid=%s", OTHER_ACTOR);
    a = call("GET", BASE "/internetaken", q, NULL);
    assert_int_equal(json_integer_value(json_object_get(a.j, "count")), 1);
    done(&a);
    a = call("GET", BASE "/internetaken", "referentienummer=T500001", NULL);
    assert_int_equal(json_integer_value(json_object_get(a.j, "count")), 1);
    done(&a);
    a = call("GET", BASE "/internetaken", "klantcontact__referentienummer=5000000002", NULL);
    assert_int_equal(json_integer_value(json_object_get(a.j, "count")), 2);
    done(&a);
    snprintf(q, sizeof q, "aanleidinggevendKlantcontact__uuid=%s", kc);
    a = call("GET", BASE "/internetaken", q, NULL);
    assert_int_equal(json_integer_value(json_object_get(a.j, "count")), 1);
    done(&a);
    a = call("GET", BASE "/internetaken", "status=klaar&toegewezenAanActor__uuid=x", NULL);
    assert_int_equal(a.status, 400);
    assert_string_equal(invalid_names(&a), "status toegewezenAanActor__uuid");
    done(&a);

    /* done: status verwerkt, afgehandeldOp set by the server when not given */
    snprintf(path, sizeof path, BASE "/internetaken/%s", t1);
    a = call("PATCH", path, NULL, "{\"status\":\"verwerkt\"}");
    assert_int_equal(a.status, 200);
    assert_string_equal(str(a.j, "status"), "verwerkt");
    assert_non_null(str(a.j, "afgehandeldOp"));
    assert_string_equal(str(a.j, "gevraagdeHandeling"),
                        "Warme overdracht: inwoner wacht bij zuil 2");
    done(&a);
    snprintf(q, sizeof q, "status=te_verwerken&toegewezenAanActor__uuid=%s", ACTOR);
    a = call("GET", BASE "/internetaken", q, NULL);
    assert_int_equal(json_integer_value(json_object_get(a.j, "count")), waiting - 1);
    done(&a);
    a = call("GET", BASE "/internetaken", "status=verwerkt", NULL);
    assert_true(json_integer_value(json_object_get(a.j, "count")) >= 1);
    done(&a);
    a = call("PATCH", path, NULL,
             "{\"toelichting\":\"Geholpen aan de balie\",\"afgehandeldOp\":"
             "\"2026-11-28T11:00:00+01:00\"}");
    assert_int_equal(a.status, 200);
    assert_string_equal(str(a.j, "toelichting"), "Geholpen aan de balie");
    assert_string_equal(str(a.j, "afgehandeldOp"), "2026-11-28T11:00:00+01:00");
    done(&a);
    char *long_text = repeat("t", 1001);
    a = callf("PATCH", path, NULL,
              "{\"status\":\"klaar\",\"toelichting\":\"%s\",\"afgehandeldOp\":\"gisteren\","
              "\"gevraagdeHandeling\":\"\"}",
              long_text);
    free(long_text);
    assert_int_equal(a.status, 400);
    assert_string_equal(invalid_names(&a), "afgehandeldOp gevraagdeHandeling status toelichting");
    done(&a);
    a = call("GET", path, NULL, NULL); /* a refused PATCH changed nothing */
    assert_string_equal(str(a.j, "toelichting"), "Geholpen aan de balie");
    done(&a);
    a = call("PATCH", BASE "/internetaken/00000000-0000-4000-8000-000000000000", NULL,
             "{\"status\":\"verwerkt\"}");
    assert_int_equal(a.status, 404);
    done(&a);
}

static void internetaak_errors_are_all_listed(void **state)
{
    (void)state;
    char kc[37];
    make_contact("6000000001", kc, NULL);
    char *h = repeat("h", 201), *t = repeat("t", 1001);
    answer a = callf("POST", BASE "/internetaken", NULL,
                     "{\"gevraagdeHandeling\":\"%s\",\"toelichting\":\"%s\",\"status\":\"open\","
                     "\"referentienummer\":\"12345678901\",\"aanleidinggevendKlantcontact\":"
                     "{\"uuid\":\"00000000-0000-4000-8000-000000000000\"},"
                     "\"toegewezenAanActoren\":[{\"uuid\":\"%s\"},{\"uuid\":"
                     "\"00000000-0000-4000-8000-000000000001\"}]}",
                     h, t, ACTOR);
    free(h);
    free(t);
    assert_int_equal(a.status, 400);
    assert_string_equal(invalid_names(&a),
                        "aanleidinggevendKlantcontact.uuid gevraagdeHandeling referentienummer "
                        "status toegewezenAanActoren.1.uuid toelichting");
    assert_string_equal(code_of(&a, "aanleidinggevendKlantcontact.uuid"), "does_not_exist");
    done(&a);
    a = call("POST", BASE "/internetaken", NULL, "{\"toegewezenAanActoren\":{}}");
    assert_int_equal(a.status, 400);
    assert_string_equal(invalid_names(&a), "aanleidinggevendKlantcontact gevraagdeHandeling "
                                           "status toegewezenAanActoren");
    done(&a);
    /* the limits themselves pass */
    h = repeat("h", 200);
    t = repeat("t", 1000);
    a = callf("POST", BASE "/internetaken", NULL,
              "{\"gevraagdeHandeling\":\"%s\",\"toelichting\":\"%s\",\"status\":\"verwerkt\","
              "\"referentienummer\":\"1234567890\",\"aanleidinggevendKlantcontact\":{\"uuid\":"
              "\"%s\"},\"toegewezenAanActor\":{\"uuid\":\"%s\"}}",
              h, t, kc, ACTOR);
    free(h);
    free(t);
    assert_int_equal(a.status, 201);
    assert_non_null(str(a.j, "afgehandeldOp"));
    done(&a);
    a = callf("POST", BASE "/internetaken", NULL,
              "{\"gevraagdeHandeling\":\"h\",\"status\":\"te_verwerken\",\"referentienummer\":"
              "\"1234567890\",\"aanleidinggevendKlantcontact\":{\"uuid\":\"%s\"}}",
              kc);
    assert_int_equal(a.status, 400);
    assert_string_equal(code_of(&a, "referentienummer"), "unique");
    done(&a);
}

static void actoren(void **state)
{
    (void)state;
    answer a = call("GET", BASE "/actoren", NULL, NULL);
    assert_int_equal(a.status, 200);
    assert_int_equal(json_integer_value(json_object_get(a.j, "count")), 2);
    json_t *r0 = json_array_get(json_object_get(a.j, "results"), 0);
    assert_string_equal(str(r0, "soortActor"), "organisatorische_eenheid");
    assert_string_equal(str(r0, "naam"), "Bibliotheek Centrum");
    done(&a);
    char path[200];
    snprintf(path, sizeof path, BASE "/actoren/%s", ACTOR);
    a = call("GET", path, NULL, NULL);
    assert_int_equal(a.status, 200);
    assert_string_equal(str(a.j, "uuid"), ACTOR);
    done(&a);
    /* upper-case uuids are the same uuid */
    char upper[37];
    for (int i = 0; i < 37; i++)
        upper[i] = (char)(ACTOR[i] >= 'a' && ACTOR[i] <= 'f' ? ACTOR[i] - 32 : ACTOR[i]);
    snprintf(path, sizeof path, BASE "/actoren/%s", upper);
    a = call("GET", path, NULL, NULL);
    assert_int_equal(a.status, 200);
    done(&a);
    a = call("GET", BASE "/actoren/00000000-0000-4000-8000-000000000000", NULL, NULL);
    assert_int_equal(a.status, 404);
    assert_string_equal(a.ctype, "application/problem+json");
    done(&a);
}

/* An echoed value cut mid-character must not make the entry (and so the error) disappear. */
static void a_value_cut_mid_character_is_still_invalid(void **state)
{
    (void)state;
    char kc[37], bt[37];
    make_contact("7000000001", kc, bt);
    char *bad = repeat("a", 59); /* 59 x "a" + "é": "%.60s" cuts the é in half */
    answer a = callf("POST", BASE "/digitaleadressen", NULL,
                     "{\"adres\":\"0612345678\",\"soortDigitaalAdres\":\"%s\\u00e9\","
                     "\"omschrijving\":\"x\",\"verstrektDoorBetrokkene\":{\"uuid\":\"%s\"}}",
                     bad, bt);
    assert_int_equal(a.status, 400);
    assert_string_equal(invalid_names(&a), "soortDigitaalAdres");
    done(&a);
    a = callf("POST", BASE "/internetaken", NULL,
              "{\"gevraagdeHandeling\":\"x\",\"status\":\"%s\\u00e9\","
              "\"aanleidinggevendKlantcontact\":{\"uuid\":\"%s\"},"
              "\"toegewezenAanActoren\":[{\"uuid\":\"%s\"}]}",
              bad, kc, ACTOR);
    assert_int_equal(a.status, 400);
    assert_string_equal(invalid_names(&a), "status");
    done(&a);
    a = callf("POST", BASE "/maak-klantcontact", NULL,
              "{\"klantcontact\":{\"kanaal\":\"balie\",\"onderwerp\":\"x\",\"taal\":\"nld\","
              "\"vertrouwelijk\":true},\"betrokkene\":{\"rol\":\"%s\\u00e9\","
              "\"initiator\":true}}",
              bad);
    assert_int_equal(a.status, 400);
    assert_string_equal(invalid_names(&a), "betrokkene.rol");
    done(&a);
    char q[256];
    snprintf(q, sizeof q, "status=%s%%C3%%A9", bad);
    a = call("GET", BASE "/internetaken", q, NULL);
    assert_int_equal(a.status, 400);
    assert_string_equal(invalid_names(&a), "status");
    done(&a);
    char ctype[80];
    snprintf(ctype, sizeof ctype, "%s\xc3\xa9", bad);
    a = call_full("POST", BASE "/internetaken", NULL, AUTH, ctype, "{}", false);
    assert_int_equal(a.status, 415);
    done(&a);
    snprintf(ctype, sizeof ctype, "text/\xe9\xff"); /* not UTF-8 at all */
    a = call_full("POST", BASE "/internetaken", NULL, AUTH, ctype, "{}", false);
    assert_int_equal(a.status, 415);
    done(&a);
    free(bad);
}

/* Two desks PATCHing different fields of one task at the same time: no change is lost. */
typedef struct {
    const char *path, *field;
    int failures;
} patcher;

#define PATCHES 400

static void *patch_many(void *arg)
{
    patcher *p = arg;
    for (int i = 0; i < PATCHES; i++) {
        char body[128];
        snprintf(body, sizeof body, "{\"%s\":\"%s-%d\"}", p->field, p->field, i);
        casesvc_request rq = {.method = "PATCH",
                              .path = p->path,
                              .authorization = AUTH,
                              .content_type = "application/json",
                              .body = body,
                              .body_len = strlen(body)};
        casesvc_response out;
        casesvc_api_handle(API, &rq, &out);
        /* only this thread writes this field: the answer must show this thread's value */
        json_t *j = out.status == 200 ? json_loads(out.body, 0, NULL) : NULL;
        char want[64];
        snprintf(want, sizeof want, "%s-%d", p->field, i);
        const char *got = json_string_value(json_object_get(j, p->field));
        if (!got || strcmp(got, want) != 0)
            p->failures++;
        json_decref(j);
        casesvc_response_free(&out);
    }
    return NULL;
}

static void concurrent_patches_lose_nothing(void **state)
{
    (void)state;
    char kc[37], taak[37], path[256];
    make_contact("7000000003", kc, NULL);
    make_task(kc, ACTOR, NULL, taak);
    snprintf(path, sizeof path, BASE "/internetaken/%s", taak);
    patcher p[2] = {{path, "toelichting", 0}, {path, "gevraagdeHandeling", 0}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, patch_many, &p[i]), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(p[0].failures, 0);
    assert_int_equal(p[1].failures, 0);
    answer a = call("GET", path, NULL, NULL);
    assert_int_equal(a.status, 200);
    char want[64];
    snprintf(want, sizeof want, "toelichting-%d", PATCHES - 1);
    assert_string_equal(str(a.j, "toelichting"), want);
    snprintf(want, sizeof want, "gevraagdeHandeling-%d", PATCHES - 1);
    assert_string_equal(str(a.j, "gevraagdeHandeling"), want);
    done(&a);
}

static void read_token(const char *path, char out[128])
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    assert_non_null(fgets(out, 128, f));
    fclose(f);
    out[strcspn(out, "\n")] = '\0';
}

/* Rotating a token (delete token-<name>, run init-site again): the old token stops working. */
static void a_rotated_token_replaces_the_old_one(void **state)
{
    (void)state;
    char tokens[256], plain[256], err[256], old[128], now[128];
    snprintf(tokens, sizeof tokens, "%s/rotate-tokens", DIR_);
    snprintf(plain, sizeof plain, "%s/token-rot", DIR_);
    bool created;
    assert_true(
        casesvc_tokens_issue(tokens, "other", CASESVC_ROLE_DESK, plain, &created, err, sizeof err));
    assert_true(
        casesvc_tokens_issue(tokens, "rot", CASESVC_ROLE_KIOSK, plain, &created, err, sizeof err));
    read_token(plain, old);
    assert_int_equal(unlink(plain), 0);
    assert_true(
        casesvc_tokens_issue(tokens, "rot", CASESVC_ROLE_KIOSK, plain, &created, err, sizeof err));
    assert_true(created);
    read_token(plain, now);
    assert_string_not_equal(old, now);
    casesvc_tokens *t = casesvc_tokens_load(tokens, err, sizeof err);
    assert_non_null(t);
    assert_int_equal(casesvc_tokens_count(t), 2); /* "other" and the new "rot" */
    assert_null(casesvc_tokens_check(t, old, NULL));
    casesvc_role role = CASESVC_ROLE_DESK;
    assert_string_equal(casesvc_tokens_check(t, now, &role), "rot");
    assert_int_equal(role, CASESVC_ROLE_KIOSK);
    casesvc_tokens_free(t);
    /* the file holds roles */
    FILE *f = fopen(tokens, "r");
    assert_non_null(f);
    char line[512];
    int kiosks = 0, desks = 0;
    while (fgets(line, sizeof line, f)) {
        kiosks += strstr(line, " rot kiosk\n") != NULL;
        desks += strstr(line, " other desk\n") != NULL;
    }
    fclose(f);
    assert_int_equal(kiosks, 1);
    assert_int_equal(desks, 1);
}

static answer kiosk(const char *method, const char *path, const char *query, const char *body)
{
    return call_full(method, path, query, KIOSK_AUTH, body ? "application/json" : NULL, body,
                     false);
}

static void assert_forbidden(answer a)
{
    assert_int_equal(a.status, 403);
    assert_string_equal(a.ctype, "application/problem+json");
    assert_string_equal(str(a.j, "code"), "permission_denied");
    /* it says what the token may do, and holds no personal data */
    assert_non_null(strstr(str(a.j, "detail"), "maak-klantcontact"));
    char *all = json_dumps(a.j, 0);
    assert_non_null(all);
    assert_null(strstr(all, "Jansen"));
    assert_null(strstr(all, "8800000001"));
    free(all);
    done(&a);
}

/* A kiosk stands in a public space: its token may make and look up its own records by their
 * reference, never list everyone's; a desk's token may do everything. */
static void a_kiosk_token_may_only_what_a_kiosk_does(void **state)
{
    (void)state;
    char kc[37], bt[37], taak[37], da[37];
    answer a = kiosk("POST", BASE "/maak-klantcontact", NULL,
                     "{\"klantcontact\":{\"kanaal\":\"zelfbedieningszuil\",\"onderwerp\":"
                     "\"Verhuizen\",\"inhoud\":\"Gaat u verhuizen? Ja\",\"taal\":\"nld\","
                     "\"vertrouwelijk\":true,\"plaatsgevondenOp\":\"2026-11-28T10:42:00+01:00\","
                     "\"referentienummer\":\"8800000001\"},\"betrokkene\":{\"rol\":\"klant\","
                     "\"initiator\":true,\"contactnaam\":{\"voornaam\":\"Gerard\","
                     "\"achternaam\":\"Jansen\"}}}");
    assert_int_equal(a.status, 201);
    snprintf(kc, sizeof kc, "%s", str(json_object_get(a.j, "klantcontact"), "uuid"));
    snprintf(bt, sizeof bt, "%s", str(json_object_get(a.j, "betrokkene"), "uuid"));
    done(&a);
    char body[512];
    snprintf(body, sizeof body,
             "{\"verstrektDoorBetrokkene\":{\"uuid\":\"%s\"},\"soortDigitaalAdres\":"
             "\"telefoonnummer\",\"adres\":\"0612345678\",\"omschrijving\":\"Terugbellen\","
             "\"referentie\":\"loket-8800000001\"}",
             bt);
    a = kiosk("POST", BASE "/digitaleadressen", NULL, body);
    assert_int_equal(a.status, 201);
    snprintf(da, sizeof da, "%s", str(a.j, "uuid"));
    done(&a);
    snprintf(body, sizeof body,
             "{\"gevraagdeHandeling\":\"Warme overdracht\",\"status\":\"te_verwerken\","
             "\"referentienummer\":\"8800000001\",\"aanleidinggevendKlantcontact\":{\"uuid\":"
             "\"%s\"},\"toegewezenAanActoren\":[{\"uuid\":\"%s\"}]}",
             kc, ACTOR);
    a = kiosk("POST", BASE "/internetaken", NULL, body);
    assert_int_equal(a.status, 201);
    snprintf(taak, sizeof taak, "%s", str(a.j, "uuid"));
    done(&a);

    /* looking up its own records by their reference: 200 */
    a = kiosk("GET", BASE "/klantcontacten", "referentienummer=8800000001&expand=hadBetrokkenen",
              NULL);
    assert_int_equal(a.status, 200);
    assert_int_equal(json_integer_value(json_object_get(a.j, "count")), 1);
    done(&a);
    a = kiosk("GET", BASE "/digitaleadressen", "referentie=loket-8800000001", NULL);
    assert_int_equal(a.status, 200);
    assert_int_equal(json_integer_value(json_object_get(a.j, "count")), 1);
    done(&a);
    a = kiosk("GET", BASE "/internetaken", "referentienummer=8800000001&status=te_verwerken", NULL);
    assert_int_equal(a.status, 200);
    assert_int_equal(json_integer_value(json_object_get(a.j, "count")), 1);
    done(&a);
    char path[200];
    snprintf(path, sizeof path, BASE "/internetaken/%s", taak);
    a = kiosk("PATCH", path, NULL, "{\"status\":\"verwerkt\"}");
    assert_int_equal(a.status, 200);
    done(&a);
    a = call_full("GET", BASE "/schema/openapi.yaml", NULL, KIOSK_AUTH, NULL, NULL, false);
    assert_int_equal(a.status, 200);

    /* everything else: 403 */
    assert_forbidden(kiosk("GET", BASE "/digitaleadressen", "pageSize=500", NULL));
    assert_forbidden(kiosk("GET", BASE "/digitaleadressen", "referentie=", NULL));
    assert_forbidden(kiosk("GET", BASE "/klantcontacten", NULL, NULL));
    assert_forbidden(kiosk("GET", BASE "/klantcontacten", "referentienummer=", NULL));
    snprintf(path, sizeof path, BASE "/klantcontacten/%s", kc);
    assert_forbidden(kiosk("GET", path, NULL, NULL));
    snprintf(path, sizeof path, BASE "/digitaleadressen/%s", da);
    assert_forbidden(kiosk("GET", path, NULL, NULL));
    snprintf(path, sizeof path, BASE "/internetaken/%s", taak);
    assert_forbidden(kiosk("GET", path, NULL, NULL));
    snprintf(path, sizeof path, BASE "/betrokkenen/%s", bt);
    assert_forbidden(kiosk("GET", path, NULL, NULL));
    assert_forbidden(kiosk("GET", BASE "/actoren", NULL, NULL));
    assert_forbidden(kiosk("GET", BASE "/internetaken", "status=te_verwerken", NULL));

    /* a desk's token: all of it */
    a = call("GET", BASE "/digitaleadressen", "pageSize=500", NULL);
    assert_int_equal(a.status, 200);
    done(&a);
    a = call("GET", BASE "/klantcontacten", NULL, NULL);
    assert_int_equal(a.status, 200);
    done(&a);
    snprintf(path, sizeof path, BASE "/klantcontacten/%s", kc);
    a = call("GET", path, NULL, NULL);
    assert_int_equal(a.status, 200);
    done(&a);
    snprintf(path, sizeof path, BASE "/internetaken/%s", taak);
    a = call("GET", path, NULL, NULL);
    assert_int_equal(a.status, 200);
    done(&a);
    a = call("GET", BASE "/actoren", NULL, NULL);
    assert_int_equal(a.status, 200);
    done(&a);
    a = call("GET", BASE "/internetaken", "status=te_verwerken", NULL);
    assert_int_equal(a.status, 200);
    done(&a);
}

/* A tokens line from before roles ("<hash> <name>") is a desk's; an unknown role is refused. */
static void an_old_tokens_line_is_a_desk(void **state)
{
    (void)state;
    char tokens[256], err[256];
    snprintf(tokens, sizeof tokens, "%s/old-tokens", DIR_);
    /* sha256("old-token") and sha256("new-token") */
    FILE *f = fopen(tokens, "w");
    assert_non_null(f);
    fprintf(f,
            "# from before roles\n"
            "%s balie-oud\n"
            "%s zuil-nieuw kiosk\n",
            "9bdf10a691a1cfda89d9ff66629d1609ab176cec9b6a3146a8929f28937a9fce",
            "348e9df2a42bd6e3c6356ca9c95c5f1fe9a6b3e5cd25f4ae58df0f09049c3209");
    fclose(f);
    casesvc_tokens *t = casesvc_tokens_load(tokens, err, sizeof err);
    assert_non_null(t);
    casesvc_role role = CASESVC_ROLE_KIOSK;
    assert_string_equal(casesvc_tokens_check(t, "old-token", &role), "balie-oud");
    assert_int_equal(role, CASESVC_ROLE_DESK);
    assert_string_equal(casesvc_tokens_check(t, "new-token", &role), "zuil-nieuw");
    assert_int_equal(role, CASESVC_ROLE_KIOSK);
    casesvc_tokens_free(t);
    f = fopen(tokens, "w");
    assert_non_null(f);
    fprintf(f, "%s zuil-x admin\n",
            "348e9df2a42bd6e3c6356ca9c95c5f1fe9a6b3e5cd25f4ae58df0f09049c3209");
    fclose(f);
    assert_null(casesvc_tokens_load(tokens, err, sizeof err));
    f = fopen(tokens, "w");
    assert_non_null(f);
    fprintf(f, "%s zuil-x kiosk extra\n",
            "348e9df2a42bd6e3c6356ca9c95c5f1fe9a6b3e5cd25f4ae58df0f09049c3209");
    fclose(f);
    assert_null(casesvc_tokens_load(tokens, err, sizeof err));
}

static void db_exec(const char *sql)
{
    char db[256];
    snprintf(db, sizeof db, "%s/casesvc.db", DIR_);
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    sqlite3_busy_timeout(h, 5000);
    assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
}

/* A store error while checking that a foreign key exists is a 500 (retry), not a 400 "does not
 * exist" (which a kiosk dead-letters). */
static void a_store_error_is_not_does_not_exist(void **state)
{
    (void)state;
    char bt[37];
    make_contact("7000000002", NULL, bt);
    db_exec("ALTER TABLE object RENAME TO object_away");
    answer a = callf("POST", BASE "/digitaleadressen", NULL,
                     "{\"adres\":\"0612345678\",\"soortDigitaalAdres\":\"telefoonnummer\","
                     "\"omschrijving\":\"x\",\"verstrektDoorBetrokkene\":{\"uuid\":\"%s\"}}",
                     bt);
    db_exec("ALTER TABLE object_away RENAME TO object");
    assert_int_equal(a.status, 500);
    done(&a);
}

/* volledigeNaam of 200 + 200 three-byte characters is there in full. */
static void a_long_multibyte_name_is_kept(void **state)
{
    (void)state;
    char *euro = repeat("\xe2\x82\xac", 200);
    answer a = callf("POST", BASE "/maak-klantcontact", NULL,
                     "{\"klantcontact\":{\"kanaal\":\"balie\",\"onderwerp\":\"x\","
                     "\"taal\":\"nld\",\"vertrouwelijk\":true},\"betrokkene\":{\"rol\":"
                     "\"klant\",\"initiator\":true,\"contactnaam\":{\"voornaam\":\"%s\","
                     "\"achternaam\":\"%s\"}}}",
                     euro, euro);
    assert_int_equal(a.status, 201);
    char path[256];
    snprintf(path, sizeof path, BASE "/betrokkenen/%s",
             str(json_object_get(a.j, "betrokkene"), "uuid"));
    done(&a);
    a = call("GET", path, NULL, NULL);
    assert_int_equal(a.status, 200);
    char *want = NULL;
    assert_true(asprintf(&want, "%s %s", euro, euro) > 0);
    assert_non_null(str(a.j, "volledigeNaam"));
    assert_string_equal(str(a.j, "volledigeNaam"), want);
    free(want);
    free(euro);
    done(&a);
}

static void errors_have_the_right_status(void **state)
{
    (void)state;
    answer a = call("GET", BASE "/zaken", NULL, NULL);
    assert_int_equal(a.status, 404);
    done(&a);
    a = call("GET", "/api/v1/klantcontacten", NULL, NULL);
    assert_int_equal(a.status, 404);
    done(&a);
    a = call("GET", BASE "/klantcontacten/123", NULL, NULL);
    assert_int_equal(a.status, 404);
    done(&a);
    a = call("GET", BASE "/betrokkenen", NULL, NULL);
    assert_int_equal(a.status, 404);
    done(&a);
    a = call("DELETE", BASE "/internetaken/00000000-0000-4000-8000-000000000000", NULL, NULL);
    assert_int_equal(a.status, 405);
    assert_string_equal(a.allow, "GET, PATCH");
    done(&a);
    a = call("PUT", BASE "/internetaken", NULL, "{}");
    assert_int_equal(a.status, 405);
    assert_string_equal(a.allow, "GET, POST");
    done(&a);
    a = call("GET", BASE "/maak-klantcontact", NULL, NULL);
    assert_int_equal(a.status, 405);
    assert_string_equal(a.allow, "POST");
    done(&a);
    a = call_full("POST", BASE "/maak-klantcontact", NULL, AUTH, "application/json", "{", true);
    assert_int_equal(a.status, 413);
    done(&a);
    a = call_full("POST", BASE "/maak-klantcontact", NULL, AUTH, "text/plain", "{}", false);
    assert_int_equal(a.status, 415);
    assert_string_equal(str(a.j, "code"), "unsupported_media_type");
    done(&a);
    a = call_full("POST", BASE "/maak-klantcontact", NULL, AUTH, NULL, "{}", false);
    assert_int_equal(a.status, 415);
    done(&a);
    a = call_full("POST", BASE "/digitaleadressen", NULL, AUTH, "application/json; charset=utf-8",
                  "{\"adres\":\"a@b.nl\",\"soortDigitaalAdres\":\"email\"}", false);
    assert_int_equal(a.status, 201);
    done(&a);
    a = call("POST", BASE "/maak-klantcontact", NULL, "{\"klantcontact\": ");
    assert_int_equal(a.status, 400);
    assert_string_equal(str(a.j, "code"), "parse_error");
    done(&a);
    a = call("POST", BASE "/maak-klantcontact", NULL, "{\"a\":1,\"a\":2}");
    assert_int_equal(a.status, 400);
    done(&a);
    a = call("POST", BASE "/internetaken", NULL, "[1,2]");
    assert_int_equal(a.status, 400);
    assert_string_equal(invalid_names(&a), "nonFieldErrors");
    done(&a);
}

static int setup(void)
{
    snprintf(DIR_, sizeof DIR_, "/tmp/casesvc-api-XXXXXX");
    if (!mkdtemp(DIR_))
        return -1;
    char db[256], tokens[256], plain[256], err[256];
    snprintf(db, sizeof db, "%s/casesvc.db", DIR_);
    snprintf(tokens, sizeof tokens, "%s/tokens", DIR_);
    snprintf(plain, sizeof plain, "%s/token-balie-1", DIR_);
    bool created;
    /* the desk's token for most tests; the kiosk's for what a kiosk may do */
    if (!casesvc_tokens_issue(tokens, "balie-1", CASESVC_ROLE_DESK, plain, &created, err,
                              sizeof err) ||
        !created)
        return -1;
    FILE *f = fopen(plain, "r");
    if (!f || !fgets(TOKEN, sizeof TOKEN, f))
        return -1;
    fclose(f);
    TOKEN[strcspn(TOKEN, "\n")] = '\0';
    snprintf(AUTH, sizeof AUTH, "Token %s", TOKEN);
    snprintf(plain, sizeof plain, "%s/token-zuil-1", DIR_);
    if (!casesvc_tokens_issue(tokens, "zuil-1", CASESVC_ROLE_KIOSK, plain, &created, err,
                              sizeof err) ||
        !created)
        return -1;
    f = fopen(plain, "r");
    char kiosk[128] = "";
    if (!f || !fgets(kiosk, sizeof kiosk, f))
        return -1;
    fclose(f);
    kiosk[strcspn(kiosk, "\n")] = '\0';
    snprintf(KIOSK_AUTH, sizeof KIOSK_AUTH, "Token %s", kiosk);
    ST = casesvc_store_open(db, err, sizeof err);
    TK = casesvc_tokens_load(tokens, err, sizeof err);
    if (!ST || !TK)
        return -1;
    /* two team actors, as init-site makes them */
    snprintf(ACTOR, sizeof ACTOR, "6a0f4f0e-1d2c-4b3a-8e9f-0a1b2c3d4e5f");
    snprintf(OTHER_ACTOR, sizeof OTHER_ACTOR, "7b1f4f0e-1d2c-4b3a-8e9f-0a1b2c3d4e5f");
    casesvc_obj actors[2] = {
        {"actor", ACTOR, "Bibliotheek Centrum", NULL, NULL,
         "{\"naam\":\"Bibliotheek Centrum\",\"soortActor\":\"organisatorische_eenheid\","
         "\"indicatieActief\":true,\"actoridentificator\":null,\"actorIdentificatie\":"
         "{\"omschrijving\":\"Team Bibliotheek Centrum\"}}"},
        {"actor", OTHER_ACTOR, "Stadskantoor", NULL, NULL,
         "{\"naam\":\"Stadskantoor\",\"soortActor\":\"organisatorische_eenheid\","
         "\"indicatieActief\":true,\"actoridentificator\":null,\"actorIdentificatie\":"
         "{\"omschrijving\":\"Team Stadskantoor\"}}"},
    };
    if (casesvc_store_insert(ST, actors, 2, NULL, 0) != CASESVC_STORE_OK)
        return -1;
    casesvc_api_config cfg = {.store = ST,
                              .tokens = TK,
                              .base_url = "https://localhost:8443",
                              .openapi_text = "openapi: 3.0.3\n"};
    API = casesvc_api_new(&cfg);
    mkdir(OUT, 0755);
    char manifest[512];
    snprintf(manifest, sizeof manifest, "%s/manifest.tsv", OUT);
    MANIFEST = fopen(manifest, "w");
    return API && MANIFEST ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_casesvc_api OUT_DIR\n");
        return 2;
    }
    OUT = argv[1];
    if (setup() != 0) {
        fprintf(stderr, "test_casesvc_api: setup failed\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_token_is_required),
        cmocka_unit_test(the_schema_is_served_without_a_token),
        cmocka_unit_test(maak_klantcontact_stores_all_three),
        cmocka_unit_test(every_invalid_field_is_listed),
        cmocka_unit_test(field_limits_are_the_specs),
        cmocka_unit_test(a_referentienummer_is_unique),
        cmocka_unit_test(the_store_refuses_a_second_referentienummer),
        cmocka_unit_test(racing_kiosks_make_one_contact),
        cmocka_unit_test(klantcontacten_filter_page_and_expand),
        cmocka_unit_test(digitaleadressen),
        cmocka_unit_test(internetaken_create_filter_and_finish),
        cmocka_unit_test(internetaak_errors_are_all_listed),
        cmocka_unit_test(actoren),
        cmocka_unit_test(errors_have_the_right_status),
        cmocka_unit_test(a_value_cut_mid_character_is_still_invalid),
        cmocka_unit_test(a_long_multibyte_name_is_kept),
        cmocka_unit_test(a_store_error_is_not_does_not_exist),
        cmocka_unit_test(concurrent_patches_lose_nothing),
        cmocka_unit_test(a_rotated_token_replaces_the_old_one),
        cmocka_unit_test(a_kiosk_token_may_only_what_a_kiosk_does),
        cmocka_unit_test(an_old_tokens_line_is_a_desk),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    fclose(MANIFEST);
    casesvc_api_free(API);
    casesvc_tokens_free(TK);
    casesvc_store_close(ST);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", DIR_);
    if (system(cmd) != 0)
        rc = 1;
    return rc;
}
