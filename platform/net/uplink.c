#include "net/uplink.h"

#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "intake/intake.h"
#include "net/https.h"
#include "sys/log.h"
#include "sys/metrics.h"

#define MAX_RESPONSE (1 << 20)
#define TOELICHTING_MAX 1000 /* characters (the API's maxLength) */

struct uplink {
    uplink_config cfg;
    outbox *ob;
    char auth[600];
    CURL *curl; /* used by one thread at a time: the sender (or a test calling in) */
    pthread_t thread;
    bool started, stop, wake;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    unsigned seed;
    uplink_status st;
    uplink_listener listener;
    void *listener_ctx;
};

void uplink_config_defaults(uplink_config *c)
{
    memset(c, 0, sizeof *c);
    c->connect_timeout_ms = 5000;
    c->timeout_ms = 20000;
    c->backoff_min_s = 5;
    c->backoff_max_s = 900;
}

uplink *uplink_new(const uplink_config *cfg, outbox *ob, char *err, size_t errcap)
{
    if (strncmp(cfg->base_url, "https://", 8) != 0) {
        snprintf(err, errcap, "uplink.url must start with https://");
        return NULL;
    }
    uplink *u = calloc(1, sizeof *u);
    if (!u) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    u->cfg = *cfg;
    u->ob = ob;
    pthread_mutex_init(&u->lock, NULL);
    pthread_cond_init(&u->cond, NULL);
    u->seed = (unsigned)time(NULL) ^ (unsigned)getpid();
    if (!https_auth_header(cfg->token_file, u->auth, sizeof u->auth, err, errcap)) {
        uplink_free(u);
        return NULL;
    }
    const char *files[] = {cfg->ca_file, cfg->cert_file, cfg->key_file};
    const char *what[] = {"uplink.ca", "uplink.cert", "uplink.key"};
    for (int i = 0; i < 3; i++)
        if (!files[i][0] || access(files[i], R_OK) != 0) {
            snprintf(err, errcap, "%s: cannot read '%s'", what[i], files[i]);
            uplink_free(u);
            return NULL;
        }
    u->curl = https_curl_new(err, errcap);
    if (!u->curl) {
        uplink_free(u);
        return NULL;
    }
    intake_json_wipe_on_free();
    return u;
}

typedef https_answer body;

static void body_free(body *b)
{
    https_answer_free(b);
}

/* One request. Returns false on a transport failure (why says what); else *status and the
 * answer's bytes in *resp (body_free it). */
static bool http(uplink *u, const char *method, const char *path, const char *req, long *status,
                 body *resp, char *why, size_t whycap)
{
    *status = 0;
    *resp = (body){0};
    char url[1200];
    snprintf(url, sizeof url, "%s%s", u->cfg.base_url, path);
    const https_tls tls = {u->cfg.ca_file, u->cfg.cert_file,          u->cfg.key_file,
                           u->cfg.pin,     u->cfg.connect_timeout_ms, u->cfg.timeout_ms};
    body b = {.max = MAX_RESPONSE};
    CURLcode rc = https_request(u->curl, &tls, method, url, u->auth, req, &b, status);
    if (rc != CURLE_OK) {
        const char *hint = rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE
                               ? " (the server's certificate is not trusted)"
                           : rc == CURLE_SSL_PINNEDPUBKEYNOTMATCH
                               ? " (the server's key is not the pinned one)"
                           : rc == CURLE_SSL_CERTPROBLEM || rc == CURLE_SSL_CONNECT_ERROR
                               ? " (TLS: check the client certificate and key)"
                               : "";
        /* the path without its query (which holds the reference number) */
        snprintf(why, whycap, "%s %.*s: %s%s", method, (int)strcspn(path, "?"), path,
                 curl_easy_strerror(rc), hint);
        body_free(&b);
        return false;
    }
    *resp = b;
    return true;
}

/* A problem+json answer, summarised without values: "HTTP 400: klantcontact.kanaal required". */
static void describe(long status, json_t *resp, char *why, size_t cap)
{
    int n = snprintf(why, cap, "HTTP %ld", status);
    json_t *inv = json_object_get(resp, "invalidParams");
    size_t i;
    json_t *p;
    json_array_foreach(inv, i, p)
    {
        const char *name = json_string_value(json_object_get(p, "name"));
        const char *code = json_string_value(json_object_get(p, "code"));
        if (n > 0 && (size_t)n < cap)
            n += snprintf(why + n, cap - (size_t)n, "%s %s %s", i ? ";" : ":", name ? name : "?",
                          code ? code : "");
    }
    if (!json_array_size(inv)) {
        const char *title = json_string_value(json_object_get(resp, "title"));
        if (title && n > 0 && (size_t)n < cap)
            snprintf(why + n, cap - (size_t)n, ": %.100s", title);
    }
    /* the server's words go to the log: no line breaks or other control characters */
    for (char *c = why; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = ' ';
}

static deliver_result classify(long status, json_t *resp, char *why, size_t cap)
{
    describe(status, resp, why, cap);
    switch (status) {
    case 400:
    case 409:
    case 413:
    case 415:
    case 422:
        return DELIVER_DEAD;
    case 401:
    case 403: {
        size_t n = strlen(why);
        snprintf(why + n, cap - n, " (not allowed: check the token and the client certificate)");
        return DELIVER_RETRY;
    }
    case 404: {
        size_t n = strlen(why);
        snprintf(why + n, cap - n, " (check uplink.url)");
        return DELIVER_RETRY;
    }
    default:
        return DELIVER_RETRY;
    }
}

static const char *betrokkene_uuid_of(json_t *klantcontact)
{
    json_t *list = json_object_get(klantcontact, "hadBetrokkenen");
    if (!json_array_size(list)) {
        json_t *exp = json_object_get(klantcontact, "_expand");
        list = json_object_get(exp, "hadBetrokkenen");
    }
    return json_string_value(json_object_get(json_array_get(list, 0), "uuid"));
}

static void copy_uuid(const char *u, char *out, size_t cap)
{
    /* a UUID is 36 characters of hex and dashes; anything else is not kept */
    size_t n = u ? strlen(u) : 0;
    bool ok = n == 36;
    for (size_t i = 0; ok && i < n; i++)
        ok = (u[i] >= '0' && u[i] <= '9') || (u[i] >= 'a' && u[i] <= 'f') ||
             (u[i] >= 'A' && u[i] <= 'F') || u[i] == '-';
    snprintf(out, cap, "%s", ok ? u : "");
}

/* What an answer says: found, and the uuids the next steps need. `contact`: the
 * klantcontact's uuid (POST maak-klantcontact, lookup of a contact) or the task's (lookup of a
 * task, whose toelichting goes to `text`). */
typedef struct {
    char betrokkene[40], contact[40];
    char text[4 * TOELICHTING_MAX + 1]; /* 1000 characters of UTF-8 at the most */
} answer_ids;

/* The byte length of at most `chars` whole UTF-8 characters of s. */
static size_t utf8_cut(const char *s, size_t chars)
{
    size_t i = 0, c = 0;
    for (; s[i]; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && c++ == chars)
            break;
    return i;
}

static deliver_result read_answer(answer_kind kind, long status, const char *bytes, size_t n,
                                  bool *found, answer_ids *ids, char *why, size_t whycap);

deliver_result uplink_read_answer(answer_kind kind, long status, const char *bytes, size_t n,
                                  bool *found, char *betrokkene, size_t bcap, char *why,
                                  size_t whycap)
{
    answer_ids ids;
    deliver_result r = read_answer(kind, status, bytes, n, found, &ids, why, whycap);
    if (bcap)
        snprintf(betrokkene, bcap, "%s", ids.betrokkene);
    explicit_bzero(&ids, sizeof ids);
    return r;
}

static deliver_result read_answer(answer_kind kind, long status, const char *bytes, size_t n,
                                  bool *found, answer_ids *ids, char *why, size_t whycap)
{
    *found = false;
    memset(ids, 0, sizeof *ids);
    why[0] = '\0';
    json_t *resp = n ? json_loadb(bytes, n, 0, NULL) : NULL;
    deliver_result res = DELIVER_OK;
    bool ok_status = kind == ANSWER_POST ? (status == 201 || status == 200) : status == 200;
    if (!ok_status) {
        res = classify(status, resp, why, whycap);
        if (kind != ANSWER_POST && res == DELIVER_DEAD) /* a lookup is never the record's fault */
            res = DELIVER_RETRY;
    } else if (kind == ANSWER_POST) {
        *found = true;
        copy_uuid(json_string_value(json_object_get(json_object_get(resp, "betrokkene"), "uuid")),
                  ids->betrokkene, sizeof ids->betrokkene);
        /* maak-klantcontact answers with the klantcontact; an internetaak with itself */
        json_t *kc = json_object_get(resp, "klantcontact");
        copy_uuid(json_string_value(json_object_get(kc ? kc : resp, "uuid")), ids->contact,
                  sizeof ids->contact);
    } else if (!json_is_object(resp) || !json_is_array(json_object_get(resp, "results"))) {
        /* an answer we cannot read proves nothing: try again, never send blindly */
        snprintf(why, whycap, "HTTP %ld: the lookup's answer is not a list of results", status);
        res = DELIVER_RETRY;
    } else {
        json_t *first = json_array_get(json_object_get(resp, "results"), 0);
        *found = first != NULL;
        if (first && kind == ANSWER_LOOKUP_CONTACT)
            copy_uuid(betrokkene_uuid_of(first), ids->betrokkene, sizeof ids->betrokkene);
        if (first && (kind == ANSWER_LOOKUP_CONTACT || kind == ANSWER_LOOKUP_TASK))
            copy_uuid(json_string_value(json_object_get(first, "uuid")), ids->contact,
                      sizeof ids->contact);
        if (first && kind == ANSWER_LOOKUP_TASK) {
            const char *t = json_string_value(json_object_get(first, "toelichting"));
            /* whole characters only: a cut one would make the PATCH's JSON invalid */
            size_t len = t ? utf8_cut(t, TOELICHTING_MAX) : 0;
            if (len >= sizeof ids->text)
                len = utf8_cut(t, (sizeof ids->text - 1) / 4);
            memcpy(ids->text, t ? t : "", len);
            ids->text[len] = '\0';
            if (!ids->contact[0]) {
                /* a task we cannot address cannot be changed: try again later */
                snprintf(why, whycap, "HTTP %ld: the task found has no uuid", status);
                res = DELIVER_RETRY;
            }
        }
    }
    json_decref(resp);
    return res;
}

/* One request and the reading of its answer. */
static deliver_result call(uplink *u, answer_kind kind, const char *method, const char *path,
                           const char *req, bool *found, answer_ids *ids, char *why, size_t whycap)
{
    long status;
    body b;
    *found = false;
    memset(ids, 0, sizeof *ids);
    if (!http(u, method, path, req, &status, &b, why, whycap))
        return DELIVER_RETRY;
    deliver_result r = read_answer(kind, status, b.b, b.n, found, ids, why, whycap);
    body_free(&b);
    return r;
}

/* POSTs (or PATCHes) a JSON body (wiped after sending: it holds a citizen's answers). */
static deliver_result send_json(uplink *u, const char *method, const char *path, const json_t *obj,
                                answer_ids *ids, char *why, size_t whycap)
{
    char *req = json_dumps(obj, JSON_COMPACT);
    if (!req) {
        snprintf(why, whycap, "out of memory");
        return DELIVER_RETRY;
    }
    bool stored = false;
    deliver_result r = call(u, ANSWER_POST, method, path, req, &stored, ids, why, whycap);
    explicit_bzero(req, strlen(req));
    free(req);
    return r;
}

/* Closes a hand-off's task: found by its referentienummer among the open ones (none open:
 * closed already, or never delivered — nothing to do), then PATCHed to "verwerkt" with the
 * note added to its toelichting. */
static deliver_result close_task(uplink *u, const char *ref, json_t *change, char *why,
                                 size_t whycap)
{
    char path[256];
    bool have = false;
    answer_ids ids;
    snprintf(path, sizeof path, "/internetaken?referentienummer=%s&status=te_verwerken", ref);
    deliver_result res = call(u, ANSWER_LOOKUP_TASK, "GET", path, NULL, &have, &ids, why, whycap);
    if (res != DELIVER_OK || !have)
        goto out;
    const char *note = json_string_value(json_object_get(change, "notitie"));
    const char *when = json_string_value(json_object_get(change, "afgehandeldOp"));
    /* the task's text with the note below it; when both do not fit, the old text is shortened
     * (it starts with the recognition number and the life event), never the note */
    char text[sizeof ids.text + 400];
    const char *nt = note ? note : "";
    size_t note_chars = intake_utf8_chars(nt);
    if (note_chars > 300) /* our own notes are one line */
        nt = "";
    size_t room = TOELICHTING_MAX - (note_chars > 300 ? 0 : note_chars) - 1;
    size_t keep = utf8_cut(ids.text, room);
    snprintf(text, sizeof text, "%.*s%s%s", (int)keep, ids.text, keep && nt[0] ? "\n" : "", nt);
    json_t *patch = json_pack("{s:s, s:s, s:s}", "status", "verwerkt", "afgehandeldOp",
                              when ? when : "", "toelichting", text);
    snprintf(path, sizeof path, "/internetaken/%s", ids.contact);
    answer_ids ignored;
    res = patch ? send_json(u, "PATCH", path, patch, &ignored, why, whycap) : DELIVER_RETRY;
    json_decref(patch);
    explicit_bzero(text, sizeof text);
out:
    explicit_bzero(&ids, sizeof ids);
    return res;
}

deliver_result uplink_deliver(uplink *u, const char *envelope, size_t n, bool lookup, char *why,
                              size_t whycap)
{
    why[0] = '\0';
    json_t *env = json_loadb(envelope, n, 0, NULL);
    const char *ref = json_string_value(json_object_get(env, "reference"));
    json_t *mk = json_object_get(env, "maak_klantcontact");
    json_t *da = json_object_get(env, "digitaal_adres");
    json_t *taak = json_object_get(env, "internetaak");
    json_t *close = json_object_get(env, "taak_afsluiten");
    deliver_result res;
    char path[256];
    answer_ids ids = {0}, got;
    bool have = false;
    if (!ref || strlen(ref) > 10 || strspn(ref, "0123456789") != strlen(ref) ||
        (!json_is_object(mk) && !json_is_object(close))) {
        snprintf(why, whycap, "the outbox record is not an envelope the uplink knows");
        json_decref(env);
        return DELIVER_DEAD;
    }
    if (json_is_object(close)) {
        res = close_task(u, ref, close, why, whycap);
        goto out;
    }
    if (json_is_object(taak) && lookup) {
        /* a hand-off that may have arrived: its taak, still open, says so */
        snprintf(path, sizeof path, "/internetaken?referentienummer=%s", ref);
        res = call(u, ANSWER_LOOKUP_TASK, "GET", path, NULL, &have, &got, why, whycap);
        explicit_bzero(&got, sizeof got);
        if (res != DELIVER_OK || have)
            goto out;
    }
    /* only after an earlier attempt can a contact be there already (a hand-off's contact
     * without its task is then finished below); attempts are counted before anything is sent */
    if (lookup) {
        snprintf(path, sizeof path, "/klantcontacten?referentienummer=%s&expand=hadBetrokkenen",
                 ref);
        res = call(u, ANSWER_LOOKUP_CONTACT, "GET", path, NULL, &have, &ids, why, whycap);
        if (res != DELIVER_OK)
            goto out;
    }
    if (!have) {
        res = send_json(u, "POST", "/maak-klantcontact", mk, &ids, why, whycap);
        if (res != DELIVER_OK)
            goto out;
    }
    if (json_is_object(da)) {
        bool da_have = false;
        if (lookup) {
            const char *r = json_string_value(json_object_get(da, "referentie"));
            snprintf(path, sizeof path, "/digitaleadressen?referentie=%s", r ? r : "");
            res = call(u, ANSWER_LOOKUP_ADDRESS, "GET", path, NULL, &da_have, &got, why, whycap);
            if (res != DELIVER_OK)
                goto out;
        }
        if (!da_have) {
            json_t *adres = json_deep_copy(da);
            if (ids.betrokkene[0])
                json_object_set_new(adres, "verstrektDoorBetrokkene",
                                    json_pack("{s:s}", "uuid", ids.betrokkene));
            res = send_json(u, "POST", "/digitaleadressen", adres, &got, why, whycap);
            json_decref(adres);
            if (res != DELIVER_OK)
                goto out;
        }
    }
    if (json_is_object(taak)) {
        if (!ids.contact[0]) {
            snprintf(why, whycap, "the case service did not say which klantcontact it stored");
            res = DELIVER_RETRY;
            goto out;
        }
        json_t *t = json_deep_copy(taak);
        json_object_set_new(t, "aanleidinggevendKlantcontact",
                            json_pack("{s:s}", "uuid", ids.contact));
        res = send_json(u, "POST", "/internetaken", t, &got, why, whycap);
        json_decref(t);
        if (res != DELIVER_OK)
            goto out;
    }
    res = DELIVER_OK;
out:
    explicit_bzero(&ids, sizeof ids);
    explicit_bzero(&got, sizeof got);
    json_decref(env);
    return res;
}

void uplink_set_listener(uplink *u, uplink_listener fn, void *ctx)
{
    pthread_mutex_lock(&u->lock);
    u->listener = fn;
    u->listener_ctx = ctx;
    pthread_mutex_unlock(&u->lock);
}

bool uplink_step(uplink *u, int64_t now_s)
{
    outbox_record r;
    if (!outbox_next_due(u->ob, now_s, &r))
        return false;
    bool lookup = r.attempts > 0;
    if (!outbox_begin_attempt(u->ob, r.id)) {
        outbox_record_free(&r);
        return false; /* the outbox cannot count: do not risk a double */
    }
    char why[200];
    bool known =
        !strcmp(r.kind, "intake") || !strcmp(r.kind, "handoff") || !strcmp(r.kind, "task-close");
    deliver_result res = known
                             ? uplink_deliver(u, (const char *)r.data, r.n, lookup, why, sizeof why)
                             : (snprintf(why, sizeof why, "unknown record kind"), DELIVER_DEAD);
    pthread_mutex_lock(&u->lock);
    if (res == DELIVER_OK) {
        outbox_delivered(u->ob, r.id);
        u->st.delivered++;
        u->st.last_delivered_s = now_s;
        u->st.failing_since_s = 0;
        u->st.last_error[0] = '\0';
    } else if (res == DELIVER_DEAD) {
        outbox_dead_letter(u->ob, r.id, now_s, why);
        u->st.dead++;
        snprintf(u->st.last_error, sizeof u->st.last_error, "%s", why);
    } else {
        int shift = r.attempts < 20 ? r.attempts : 20;
        int64_t wait = (int64_t)u->cfg.backoff_min_s << shift;
        if (wait > u->cfg.backoff_max_s)
            wait = u->cfg.backoff_max_s;
        /* jitter: between half and all of it, so a fleet does not retry in step */
        if (wait > 1)
            wait = wait / 2 + rand_r(&u->seed) % (wait / 2 + 1);
        outbox_retry_later(u->ob, r.id, now_s, now_s + wait, why);
        u->st.retried++;
        if (!u->st.failing_since_s)
            u->st.failing_since_s = now_s;
        snprintf(u->st.last_error, sizeof u->st.last_error, "%s", why);
    }
    uplink_listener fn = u->listener;
    void *fn_ctx = u->listener_ctx;
    pthread_mutex_unlock(&u->lock);
    if (fn)
        fn(fn_ctx, r.id, r.kind, res);
    if (res != DELIVER_OK)
        log_msg(res == DELIVER_DEAD ? LOG_ERROR : LOG_WARN, "uplink", "record %lld %s: %s",
                (long long)r.id,
                res == DELIVER_DEAD ? "kept as a dead letter" : "not delivered, retried later",
                why);
    else
        log_msg(LOG_INFO, "uplink", "record %lld (%s) delivered", (long long)r.id, r.kind);
    outbox_record_free(&r);
    outbox_stats os;
    if (outbox_get_stats(u->ob, &os)) {
        uplink_status st;
        uplink_get_status(u, &st);
        metrics_outbox(os.queued, os.dead);
        metrics_uplink(st.delivered, (long long)st.failing_since_s);
    }
    return true;
}

static void *sender(void *arg)
{
    uplink *u = arg;
    pthread_mutex_lock(&u->lock);
    while (!u->stop) {
        pthread_mutex_unlock(&u->lock);
        bool did = uplink_step(u, (int64_t)time(NULL));
        pthread_mutex_lock(&u->lock);
        if (!did && !u->stop && !u->wake) {
            /* nothing due: sleep until woken, or look again in a while */
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_sec += 5;
            pthread_cond_timedwait(&u->cond, &u->lock, &until);
        }
        u->wake = false;
    }
    pthread_mutex_unlock(&u->lock);
    return NULL;
}

bool uplink_start(uplink *u)
{
    u->started = pthread_create(&u->thread, NULL, sender, u) == 0;
    return u->started;
}

void uplink_wake(uplink *u)
{
    pthread_mutex_lock(&u->lock);
    u->wake = true;
    pthread_cond_signal(&u->cond);
    pthread_mutex_unlock(&u->lock);
}

void uplink_get_status(uplink *u, uplink_status *st)
{
    pthread_mutex_lock(&u->lock);
    *st = u->st;
    pthread_mutex_unlock(&u->lock);
}

void uplink_free(uplink *u)
{
    if (!u)
        return;
    if (u->started) {
        pthread_mutex_lock(&u->lock);
        u->stop = true;
        pthread_cond_signal(&u->cond);
        pthread_mutex_unlock(&u->lock);
        pthread_join(u->thread, NULL);
    }
    if (u->curl)
        curl_easy_cleanup(u->curl);
    explicit_bzero(u->auth, sizeof u->auth);
    pthread_cond_destroy(&u->cond);
    pthread_mutex_destroy(&u->lock);
    free(u);
}
