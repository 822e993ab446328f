#include "net/caseapi.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "intake/intake.h"
#include "net/https.h"

#define MAX_ANSWER (2 << 20)
#define MAX_PAGES 10

struct caseapi {
    caseapi_config cfg;
    char auth[600];
    CURL *curl;
};

void caseapi_config_defaults(caseapi_config *c)
{
    memset(c, 0, sizeof *c);
    c->connect_timeout_ms = 3000;
    c->timeout_ms = 8000;
}

caseapi *caseapi_new(const caseapi_config *cfg, char *err, size_t errcap)
{
    if (strncmp(cfg->base_url, "https://", 8) != 0) {
        snprintf(err, errcap, "desk.url must start with https://");
        return NULL;
    }
    const char *files[] = {cfg->ca_file, cfg->cert_file, cfg->key_file};
    const char *what[] = {"ca", "cert", "key"};
    for (int i = 0; i < 3; i++)
        if (files[i][0] && access(files[i], R_OK) != 0) {
            snprintf(err, errcap, "%s: cannot read '%s'", what[i], files[i]);
            return NULL;
        }
    if (!cfg->cert_file[0] != !cfg->key_file[0]) {
        snprintf(err, errcap, "cert and key go together: give both or neither");
        return NULL;
    }
    caseapi *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    c->cfg = *cfg;
    if (!https_auth_header(cfg->token_file, c->auth, sizeof c->auth, err, errcap)) {
        free(c);
        return NULL;
    }
    c->curl = https_curl_new(err, errcap);
    if (!c->curl) {
        caseapi_free(c);
        return NULL;
    }
    intake_json_wipe_on_free();
    return c;
}

void caseapi_free(caseapi *c)
{
    if (!c)
        return;
    if (c->curl)
        curl_easy_cleanup(c->curl);
    explicit_bzero(c, sizeof *c);
    free(c);
}

void caseapi_answer_free(char *answer, size_t n)
{
    if (answer) {
        explicit_bzero(answer, n);
        free(answer);
    }
}

desk_error caseapi_status_error(long status)
{
    if (status >= 200 && status < 300)
        return DESK_ERR_NONE;
    if (status == 401 || status == 403)
        return DESK_ERR_AUTH;
    if (status == 404)
        return DESK_ERR_NOT_FOUND;
    return DESK_ERR_SERVER;
}

desk_error caseapi_request(caseapi *c, const char *method, const char *path, const char *body,
                           long *status, char **answer, size_t *n, char *why, size_t whycap)
{
    *status = 0;
    *answer = NULL;
    *n = 0;
    why[0] = '\0';
    char url[2048];
    if (!strncmp(path, "https://", 8))
        snprintf(url, sizeof url, "%s", path); /* a next page, checked by the caller */
    else
        snprintf(url, sizeof url, "%s%s", c->cfg.base_url, path);
    const https_tls tls = {c->cfg.ca_file, c->cfg.cert_file,          c->cfg.key_file,
                           c->cfg.pin,     c->cfg.connect_timeout_ms, c->cfg.timeout_ms};
    https_answer b = {.max = MAX_ANSWER};
    CURLcode rc = https_request(c->curl, &tls, method, url, c->auth, body, &b, status);
    /* the path without its query (which may hold a reference number) */
    int plen = (int)strcspn(path, "?");
    if (rc != CURLE_OK) {
        snprintf(why, whycap, "%s %.*s: %s%s", method, plen > 200 ? 200 : plen, path,
                 b.too_big ? "answer too large" : curl_easy_strerror(rc),
                 rc == CURLE_PEER_FAILED_VERIFICATION ? " (the server's certificate is not trusted)"
                 : rc == CURLE_SSL_CERTPROBLEM        ? " (check the client certificate and key)"
                                                      : "");
        bool too_big = b.too_big;
        https_answer_free(&b);
        return too_big ? DESK_ERR_ANSWER : DESK_ERR_NETWORK;
    }
    desk_error e = caseapi_status_error(*status);
    if (e != DESK_ERR_NONE) {
        snprintf(why, whycap, "%s %.*s: HTTP %ld", method, plen > 200 ? 200 : plen, path, *status);
        caseapi_answer_free(b.b, b.n);
        return e;
    }
    if (!b.b) { /* an empty answer (204) */
        b.b = calloc(1, 1);
        if (!b.b)
            return DESK_ERR_ANSWER;
    }
    *answer = b.b;
    *n = b.n;
    return DESK_ERR_NONE;
}

/* ---- parsing: outside bytes ---- */

static json_t *load(const char *bytes, size_t n)
{
    if (!bytes || n == 0)
        return NULL;
    return json_loadb(bytes, n, JSON_REJECT_DUPLICATES, NULL);
}

/* A string field into a fixed buffer, cut at a character boundary; "" when missing or not a
 * string. */
static void take(json_t *o, const char *key, char *out, size_t cap)
{
    const char *v = json_string_value(json_object_get(o, key));
    size_t n = v ? strlen(v) : 0;
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)v[n] & 0xC0) == 0x80)
            n--;
    }
    if (n)
        memcpy(out, v, n);
    out[n] = '\0';
}

static void take_uuid(json_t *o, const char *key, char out[DESK_UUID_MAX])
{
    const char *u = json_string_value(json_object_get(o, key));
    size_t n = u ? strlen(u) : 0;
    bool ok = n == 36;
    for (size_t i = 0; ok && i < n; i++)
        ok = (u[i] >= '0' && u[i] <= '9') || (u[i] >= 'a' && u[i] <= 'f') ||
             (u[i] >= 'A' && u[i] <= 'F') || u[i] == '-';
    snprintf(out, DESK_UUID_MAX, "%s", ok ? u : "");
}

static void parse_task(json_t *o, desk_task *t)
{
    memset(t, 0, sizeof *t);
    if (!json_is_object(o))
        return;
    take_uuid(o, "uuid", t->uuid);
    take(o, "referentienummer", t->ref, sizeof t->ref);
    if (!t->ref[0])
        take(o, "nummer", t->ref, sizeof t->ref); /* the field's older name */
    for (char *p = t->ref; *p; p++)
        if (*p < '0' || *p > '9') {
            t->ref[0] = '\0'; /* only digits call a case up */
            break;
        }
    size_t rl = strlen(t->ref);
    const char *tail = rl >= 4 ? t->ref + rl - 4 : t->ref;
    memcpy(t->code, tail, strlen(tail) + 1); /* at most 4 digits and the NUL */
    take(o, "gevraagdeHandeling", t->what, sizeof t->what);
    take(o, "toelichting", t->note, sizeof t->note);
    take(o, "status", t->status, sizeof t->status);
    take_uuid(json_object_get(o, "aanleidinggevendKlantcontact"), "uuid", t->contact_uuid);
    char when[64];
    take(o, "toegewezenOp", when, sizeof when);
    t->assigned_ms = desk_parse_time(when);
}

desk_error caseapi_parse_tasks(const char *bytes, size_t n, desk_task *out, int cap, int *count,
                               char *next, size_t nextcap)
{
    *count = 0;
    if (next && nextcap)
        next[0] = '\0';
    json_t *root = load(bytes, n);
    json_t *list = json_is_array(root) ? root : json_object_get(root, "results");
    if (!json_is_array(list)) {
        json_decref(root);
        return DESK_ERR_ANSWER;
    }
    if (next && nextcap)
        take(root, "next", next, nextcap);
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o)
    {
        if (*count >= cap)
            break;
        parse_task(o, &out[*count]);
        if (out[*count].uuid[0])
            (*count)++;
        else
            explicit_bzero(&out[*count], sizeof out[*count]);
    }
    json_decref(root);
    return DESK_ERR_NONE;
}

static void meta(json_t *md, const char *key, char *out, size_t cap)
{
    take(md, key, out, cap);
}

/* A value that is either whole or nothing: a number cut short is another one (a library pass's
 * number); only printable characters. */
static void meta_whole(json_t *md, const char *key, char *out, size_t cap)
{
    const char *v = json_string_value(json_object_get(md, key));
    size_t n = v ? strlen(v) : 0;
    bool ok = n > 0 && n < cap;
    for (size_t i = 0; ok && i < n; i++)
        ok = (unsigned char)v[i] >= 0x20 && (unsigned char)v[i] != 0x7f;
    if (ok)
        memcpy(out, v, n + 1);
    else
        out[0] = '\0';
}

static void add_address(desk_case *c, json_t *a)
{
    if (!json_is_object(a) || c->n_addresses >= DESK_MAX_ADDRESSES)
        return;
    desk_address *d = &c->addresses[c->n_addresses];
    take(a, "soortDigitaalAdres", d->soort, sizeof d->soort);
    take(a, "adres", d->adres, sizeof d->adres);
    take(a, "omschrijving", d->omschrijving, sizeof d->omschrijving);
    if (d->adres[0])
        c->n_addresses++;
    else
        explicit_bzero(d, sizeof *d);
}

desk_error caseapi_parse_address(const char *bytes, size_t n, desk_case *out)
{
    json_t *root = load(bytes, n);
    if (!json_is_object(root)) {
        json_decref(root);
        return DESK_ERR_ANSWER;
    }
    add_address(out, root);
    json_decref(root);
    return DESK_ERR_NONE;
}

desk_error caseapi_parse_case(const char *bytes, size_t n, desk_case *c)
{
    memset(c, 0, sizeof *c);
    json_t *root = load(bytes, n);
    /* one klantcontact (GET /klantcontacten/{uuid}), or a page of them */
    bool single = json_is_object(root) && !json_object_get(root, "results") &&
                  json_is_string(json_object_get(root, "uuid"));
    json_t *list = json_is_array(root) ? root : json_object_get(root, "results");
    if (!single && !json_is_array(list)) {
        json_decref(root);
        return DESK_ERR_ANSWER;
    }
    json_t *kc = single ? root : json_array_get(list, 0);
    if (!json_is_object(kc)) {
        desk_error e = json_array_size(list) ? DESK_ERR_ANSWER : DESK_ERR_NOT_FOUND;
        json_decref(root);
        return e;
    }
    take_uuid(kc, "uuid", c->uuid);
    take(kc, "referentienummer", c->ref, sizeof c->ref);
    take(kc, "onderwerp", c->onderwerp, sizeof c->onderwerp);
    take(kc, "inhoud", c->inhoud, sizeof c->inhoud);
    take(kc, "reactie", c->reactie, sizeof c->reactie);
    take(kc, "taal", c->taal, sizeof c->taal);
    take(kc, "kanaal", c->kanaal, sizeof c->kanaal);
    take(kc, "plaatsgevondenOp", c->when, sizeof c->when);
    json_t *md = json_object_get(kc, "metadata");
    meta(md, "zuil", c->zuil, sizeof c->zuil);
    meta(md, "locatie", c->locatie, sizeof c->locatie);
    meta(md, "levensgebeurtenis", c->levensgebeurtenis, sizeof c->levensgebeurtenis);
    meta(md, "toestemming", c->toestemming, sizeof c->toestemming);
    meta(md, "signalen", c->signalen, sizeof c->signalen);
    meta(md, "contactvoorkeur", c->contactvoorkeur, sizeof c->contactvoorkeur);
    meta(md, "soort", c->soort, sizeof c->soort);
    meta(md, "herkenningsnummer", c->herkenningsnummer, sizeof c->herkenningsnummer);
    meta(md, "bon", c->bon, sizeof c->bon);
    meta(md, "naambron", c->naambron, sizeof c->naambron);
    meta_whole(md, "bibliotheekpas", c->bibliotheekpas, sizeof c->bibliotheekpas);
    json_t *exp = json_object_get(kc, "_expand");
    /* betrokkenen: the first with a contactnaam names the citizen; every one's addresses */
    json_t *bets = json_object_get(exp, "hadBetrokkenen");
    size_t i;
    json_t *b;
    json_array_foreach(bets, i, b)
    {
        if (!json_is_object(b))
            continue;
        json_t *cn = json_object_get(b, "contactnaam");
        if (json_is_object(cn) && !c->contactnaam[0]) {
            char v[140], vv[16], a[140];
            take(cn, "voornaam", v, sizeof v);
            take(cn, "voorvoegselAchternaam", vv, sizeof vv);
            take(cn, "achternaam", a, sizeof a);
            snprintf(c->contactnaam, sizeof c->contactnaam, "%s%s%s%s%s", v, v[0] ? " " : "", vv,
                     vv[0] ? " " : "", a);
            explicit_bzero(v, sizeof v);
            explicit_bzero(a, sizeof a);
            size_t l = strlen(c->contactnaam);
            while (l && c->contactnaam[l - 1] == ' ')
                c->contactnaam[--l] = '\0';
        }
        json_t *bexp = json_object_get(b, "_expand");
        json_t *das = json_object_get(bexp, "digitaleAdressen");
        size_t k;
        json_t *d;
        if (json_array_size(das)) {
            json_array_foreach(das, k, d) add_address(c, d);
        } else {
            json_array_foreach(json_object_get(b, "digitaleAdressen"), k, d)
            {
                if (c->n_address_refs >= DESK_MAX_ADDRESSES)
                    break;
                take_uuid(d, "uuid", c->address_refs[c->n_address_refs]);
                if (c->address_refs[c->n_address_refs][0])
                    c->n_address_refs++;
            }
        }
    }
    json_t *taken = json_object_get(exp, "leiddeTotInterneTaken");
    json_t *t;
    json_array_foreach(taken, i, t)
    {
        if (c->n_tasks >= DESK_MAX_CASE_TASKS)
            break;
        parse_task(t, &c->tasks[c->n_tasks]);
        if (c->tasks[c->n_tasks].uuid[0])
            c->n_tasks++;
        else
            explicit_bzero(&c->tasks[c->n_tasks], sizeof c->tasks[0]);
    }
    json_decref(root);
    if (!c->uuid[0]) {
        explicit_bzero(c, sizeof *c);
        return DESK_ERR_ANSWER;
    }
    return DESK_ERR_NONE;
}

/* ---- the calls ---- */

desk_error caseapi_list_tasks(caseapi *c, const char *team, desk_task *out, int cap, int *n,
                              long *status, char *why, size_t whycap)
{
    *n = 0;
    char path[2048];
    snprintf(path, sizeof path, "/internetaken?status=te_verwerken&toegewezenAanActor__uuid=%s",
             team);
    for (int page = 0; page < MAX_PAGES && *n < cap; page++) {
        char *ans;
        size_t len;
        desk_error e = caseapi_request(c, "GET", path, NULL, status, &ans, &len, why, whycap);
        if (e != DESK_ERR_NONE)
            return e;
        int got = 0;
        char next[2048];
        e = caseapi_parse_tasks(ans, len, out + *n, cap - *n, &got, next, sizeof next);
        caseapi_answer_free(ans, len);
        if (e != DESK_ERR_NONE) {
            snprintf(why, whycap, "GET /internetaken: the answer is not a list of tasks");
            return e;
        }
        *n += got;
        /* a next page only under our own base URL (never follow a server elsewhere) */
        size_t bl = strlen(c->cfg.base_url);
        if (!next[0] || strncmp(next, c->cfg.base_url, bl) != 0 || next[bl] != '/')
            break;
        snprintf(path, sizeof path, "%s", next);
    }
    return DESK_ERR_NONE;
}

static desk_error get_case(caseapi *c, const char *path, desk_case *out, long *status, char *why,
                           size_t whycap);

desk_error caseapi_get_case(caseapi *c, const char *ref, desk_case *out, long *status, char *why,
                            size_t whycap)
{
    for (const char *p = ref; *p; p++)
        if (*p < '0' || *p > '9')
            return DESK_ERR_NOT_FOUND;
    char path[256];
    snprintf(path, sizeof path,
             "/klantcontacten?referentienummer=%s&expand=hadBetrokkenen,"
             "hadBetrokkenen.digitaleAdressen,leiddeTotInterneTaken",
             ref);
    return get_case(c, path, out, status, why, whycap);
}

desk_error caseapi_get_case_by_uuid(caseapi *c, const char *uuid, desk_case *out, long *status,
                                    char *why, size_t whycap)
{
    size_t n = strlen(uuid);
    bool ok = n == 36;
    for (size_t i = 0; ok && i < n; i++)
        ok = strchr("0123456789abcdefABCDEF-", uuid[i]) != NULL;
    if (!ok)
        return DESK_ERR_NOT_FOUND;
    char path[256];
    snprintf(path, sizeof path,
             "/klantcontacten/%s?expand=hadBetrokkenen,hadBetrokkenen.digitaleAdressen,"
             "leiddeTotInterneTaken",
             uuid);
    return get_case(c, path, out, status, why, whycap);
}

/* GET a klantcontact (a page or one), then the addresses the expansion did not carry. */
static desk_error get_case(caseapi *c, const char *path, desk_case *out, long *status, char *why,
                           size_t whycap)
{
    char *ans;
    size_t len;
    desk_error e = caseapi_request(c, "GET", path, NULL, status, &ans, &len, why, whycap);
    if (e != DESK_ERR_NONE)
        return e;
    e = caseapi_parse_case(ans, len, out);
    caseapi_answer_free(ans, len);
    if (e == DESK_ERR_ANSWER)
        snprintf(why, whycap, "GET /klantcontacten: the answer is not a list of klantcontacten");
    if (e != DESK_ERR_NONE)
        return e;
    /* the addresses the expansion did not carry: one by one (a failure leaves them out) */
    for (int i = 0; i < out->n_address_refs; i++) {
        char p2[128], w2[200];
        long st2;
        snprintf(p2, sizeof p2, "/digitaleadressen/%s", out->address_refs[i]);
        if (caseapi_request(c, "GET", p2, NULL, &st2, &ans, &len, w2, sizeof w2) == DESK_ERR_NONE) {
            caseapi_parse_address(ans, len, out);
            caseapi_answer_free(ans, len);
        }
    }
    return DESK_ERR_NONE;
}

char *caseapi_close_body(const char *when)
{
    json_t *body = json_pack("{s:s, s:s}", "status", "verwerkt", "afgehandeldOp", when);
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    return text;
}

desk_error caseapi_close_task(caseapi *c, const char *uuid, const char *when, long *status,
                              char *why, size_t whycap)
{
    char path[128];
    snprintf(path, sizeof path, "/internetaken/%s", uuid);
    char *text = caseapi_close_body(when);
    if (!text) {
        snprintf(why, whycap, "out of memory");
        return DESK_ERR_ANSWER;
    }
    char *ans;
    size_t len;
    desk_error e = caseapi_request(c, "PATCH", path, text, status, &ans, &len, why, whycap);
    free(text);
    if (e != DESK_ERR_NONE)
        return e;
    /* the answer is the task as it now is: it must say verwerkt when it says anything */
    json_t *root = load(ans, len);
    const char *st = json_string_value(json_object_get(root, "status"));
    if (root && st && strcmp(st, "verwerkt")) {
        snprintf(why, whycap, "PATCH /internetaken: the task is still '%.20s'", st);
        e = DESK_ERR_ANSWER;
    }
    json_decref(root);
    caseapi_answer_free(ans, len);
    return e;
}
