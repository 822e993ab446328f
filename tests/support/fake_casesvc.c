/* fake_casesvc: a small fake of the municipal case service (the VNG Klantinteracties API as
 * Open Klant implements it, base path /klantinteracties/api/v1) for integration tests. It is
 * the kiosk's HTTPS peer and can inject faults. Test tool only; it is not part of the product
 * and includes no project headers.
 *
 * fake_casesvc --port N|0 --cert server.pem --key server.key [--client-ca ca.pem]
 *              --token TOKEN --out DIR [--ready FILE] [--faults FILE]
 *
 * HTTPS only, on 127.0.0.1. With --client-ca a client certificate issued by that CA is
 * required (403 otherwise). Every request needs "Authorization: Token TOKEN" (401 otherwise).
 * With --port 0 a free port is picked; --ready FILE receives the port (via FILE.tmp + rename)
 * once the server is listening.
 *
 * Endpoints (everything else: 404):
 *   POST /klantinteracties/api/v1/maak-klantcontact      201, stored, OUT/klantcontacten.jsonl
 *   GET  /klantinteracties/api/v1/klantcontacten[?referentienummer=X][&expand=hadBetrokkenen]
 *   POST /klantinteracties/api/v1/digitaleadressen       201, echo, OUT/digitaleadressen.jsonl
 *   GET  /klantinteracties/api/v1/digitaleadressen[?referentie=X]  (this run's addresses)
 *   POST /klantinteracties/api/v1/internetaken           201, echo, OUT/internetaken.jsonl
 *
 * Output in OUT (created if missing):
 *   requests.log   one line per request: "NNNN METHOD PATH[?QUERY] STATUS[ fault=ACTION]",
 *                  NNNN the request counter (from 1), STATUS 0 when no response was sent,
 *                  ACTION the fault line consumed by that request (spaces replaced by ':').
 *   body-NNNN.json the raw body of every POST, whatever the outcome.
 *   *.jsonl        one line per stored object (the stored JSON), fsync'd.
 * On start the fake reloads OUT/klantcontacten.jsonl into its store and continues the request
 * counter after the highest one found in OUT, so a restarted fake (same OUT) still finds
 * earlier contacts and never overwrites a body file. Use a fresh OUT for a fresh service.
 *
 * Faults (--faults FILE): FILE is re-read on every maak-klantcontact POST that passed the
 * client-certificate and token checks; each such POST consumes the next action line (blank
 * lines and lines starting with '#' are skipped and not counted). When the lines are used up,
 * requests succeed. The number of consumed action lines is kept in FILE.pos, so a restarted
 * fake continues where it stopped; delete FILE.pos to start over. A missing FILE means no
 * faults. Actions: ok | 500 | 503 | 400 | slow MS | hang | reset | commit-then-reset |
 * commit-then-500. An unknown action is reported on stderr and answered with 500.
 * commit-then-* only store a valid klantcontact; an invalid one gets its normal 400 answer.
 *
 * Stops on SIGTERM/SIGINT with exit status 0. Prints only errors, on stderr. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define API_BASE "/klantinteracties/api/v1"
#define API_VERSION "0.9.0"
#define MAX_BODY (1024 * 1024)
#define HANG_MS 60000

static const char *opt_token;
static const char *opt_out;
static const char *opt_faults;
static bool opt_client_ca;
static unsigned g_port;

static atomic_bool g_stop;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned g_seq;        /* request counter, under g_lock */
static json_t *g_contacts;    /* stored klantcontacten, under g_lock */
static json_t *g_betrokkenen; /* betrokkene (or null) per stored klantcontact, under g_lock */
static json_t *g_adressen;    /* stored digitaleadressen, under g_lock */

typedef struct {
    unsigned seq;
    char *body;
    size_t len, cap;
    bool too_big;
} request;

/* ---- small helpers ---- */

static void msleep_interruptible(long ms)
{
    while (ms > 0 && !atomic_load(&g_stop)) {
        long step = ms < 50 ? ms : 50;
        struct timespec ts = {0, step * 1000000L};
        nanosleep(&ts, NULL);
        ms -= step;
    }
}

static char *read_file(const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (len + 1 >= cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0)
            break;
    }
    if (buf && ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[len] = '\0';
        if (len_out)
            *len_out = len;
    }
    return buf;
}

static bool write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* Writes (append: appends) n bytes to DIR/NAME; sync: fsync before closing. */
static void out_write(const char *name, const char *data, size_t n, bool append, bool sync)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", opt_out, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0644);
    if (fd < 0 || !write_all(fd, data, n) || (sync && fsync(fd) != 0))
        fprintf(stderr, "fake_casesvc: cannot write %s: %s\n", path, strerror(errno));
    if (fd >= 0)
        close(fd);
}

/* Writes text to PATH via PATH.tmp and rename. */
static bool write_atomic(const char *path, const char *text)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    bool ok = fd >= 0 && write_all(fd, text, strlen(text)) && fsync(fd) == 0;
    if (fd >= 0)
        ok = close(fd) == 0 && ok;
    ok = ok && rename(tmp, path) == 0;
    if (!ok)
        fprintf(stderr, "fake_casesvc: cannot write %s: %s\n", path, strerror(errno));
    return ok;
}

static void append_jsonl(const char *name, const json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT);
    if (!s)
        return;
    size_t n = strlen(s);
    char *line = malloc(n + 2);
    if (line) {
        memcpy(line, s, n);
        line[n] = '\n';
        out_write(name, line, n + 1, true, true);
        free(line);
    }
    free(s);
}

static void new_uuid(char out[37])
{
    unsigned char b[16];
    size_t got = 0;
    while (got < sizeof b) {
        ssize_t r = getrandom(b + got, sizeof b - got, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            /* getrandom on Linux does not fail for 16 bytes; keep going regardless */
            for (; got < sizeof b; got++)
                b[got] = (unsigned char)rand();
            break;
        }
        got += (size_t)r;
    }
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
             b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
             b[14], b[15]);
}

/* Gives obj a fresh "uuid" and "url" (API_BASE/COLLECTION/UUID); returns the url. */
static const char *add_identity(json_t *obj, const char *collection)
{
    char uuid[37], url[256];
    new_uuid(uuid);
    snprintf(url, sizeof url, "https://localhost:%u" API_BASE "/%s/%s", g_port, collection, uuid);
    json_object_set_new(obj, "uuid", json_string(uuid));
    json_object_set_new(obj, "url", json_string(url));
    return json_string_value(json_object_get(obj, "url"));
}

static json_t *foreign_key(const json_t *obj)
{
    return json_pack("{s:O,s:O}", "uuid", json_object_get(obj, "uuid"), "url",
                     json_object_get(obj, "url"));
}

/* ---- responses ---- */

typedef struct {
    unsigned status; /* 0: no response (connection closed) */
} outcome;

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, char *text,
                                 const char *ctype, const char *retry_after, outcome *oc)
{
    if (!text)
        return MHD_NO;
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    MHD_add_response_header(r, "API-version", API_VERSION);
    if (retry_after)
        MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, retry_after);
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    if (ret == MHD_YES)
        oc->status = status;
    return ret;
}

/* Sends j (reference stolen) as application/json. */
static enum MHD_Result send_json(struct MHD_Connection *c, unsigned status, json_t *j, outcome *oc)
{
    char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    return send_text(c, status, s, "application/json", NULL, oc);
}

/* Builds a problem object in the ZGW / Open Klant style. */
static json_t *problem(unsigned status, const char *kind, const char *code, const char *title,
                       const char *detail)
{
    char uuid[37], type[256], instance[64];
    new_uuid(uuid);
    snprintf(type, sizeof type, "https://localhost:%u/ref/fouten/%s/", g_port, kind);
    snprintf(instance, sizeof instance, "urn:uuid:%s", uuid);
    return json_pack("{s:s,s:s,s:s,s:i,s:s,s:s}", "type", type, "code", code, "title", title,
                     "status", (int)status, "detail", detail, "instance", instance);
}

/* Sends a problem (reference stolen) as application/problem+json. */
static enum MHD_Result send_problem(struct MHD_Connection *c, json_t *p, const char *retry_after,
                                    outcome *oc)
{
    unsigned status = (unsigned)json_integer_value(json_object_get(p, "status"));
    char *s = p ? json_dumps(p, JSON_COMPACT) : NULL;
    json_decref(p);
    return send_text(c, status, s, "application/problem+json", retry_after, oc);
}

static enum MHD_Result send_validation(struct MHD_Connection *c, json_t *invalid, outcome *oc)
{
    json_t *p = problem(MHD_HTTP_BAD_REQUEST, "ValidationError", "invalid", "Invalid input.", "");
    json_object_set_new(p, "invalidParams", invalid);
    return send_problem(c, p, NULL, oc);
}

static void add_invalid(json_t *list, const char *name, const char *code, const char *reason)
{
    json_array_append_new(list,
                          json_pack("{s:s,s:s,s:s}", "name", name, "code", code, "reason", reason));
}

/* ---- validation of a klantcontact ---- */

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

static bool digits(const char **p, int n)
{
    for (int i = 0; i < n; i++, (*p)++)
        if (**p < '0' || **p > '9')
            return false;
    return true;
}

/* Accepts YYYY-MM-DD[T ]hh:mm[:ss[.f+]][Z|+hh:mm|-hh:mm|+hhmm|-hhmm], like Django's parser. */
static bool is_datetime(const char *s)
{
    const char *p = s;
    if (!digits(&p, 4) || *p++ != '-' || !digits(&p, 2) || *p++ != '-' || !digits(&p, 2))
        return false;
    if (*p != 'T' && *p != ' ')
        return false;
    p++;
    if (!digits(&p, 2) || *p++ != ':' || !digits(&p, 2))
        return false;
    if (*p == ':') {
        p++;
        if (!digits(&p, 2))
            return false;
        if (*p == '.' || *p == ',') {
            p++;
            if (*p < '0' || *p > '9')
                return false;
            while (*p >= '0' && *p <= '9')
                p++;
        }
    }
    if (*p == 'Z')
        p++;
    else if (*p == '+' || *p == '-') {
        p++;
        if (!digits(&p, 2))
            return false;
        if (*p == ':')
            p++;
        if (!digits(&p, 2))
            return false;
    }
    return *p == '\0';
}

static void check_string(const json_t *obj, const char *field, bool required, size_t max,
                         bool nullable, json_t *errs)
{
    char name[128], reason[128];
    snprintf(name, sizeof name, "klantcontact.%s", field);
    const json_t *v = json_object_get(obj, field);
    if (!v) {
        if (required)
            add_invalid(errs, name, "required", "Dit veld is vereist.");
    } else if (json_is_null(v)) {
        if (!nullable)
            add_invalid(errs, name, "null", "Dit veld mag niet leeg zijn.");
    } else if (!json_is_string(v)) {
        add_invalid(errs, name, "invalid", "Geen geldige string.");
    } else if (required && json_string_length(v) == 0) {
        add_invalid(errs, name, "blank", "Dit veld mag niet leeg zijn.");
    } else if (max && utf8_chars(json_string_value(v)) > max) {
        snprintf(reason, sizeof reason,
                 "Zorg ervoor dat dit veld niet meer dan %zu karakters bevat.", max);
        add_invalid(errs, name, "max_length", reason);
    }
}

static void check_bool(const json_t *obj, const char *field, bool required, bool nullable,
                       json_t *errs)
{
    char name[128];
    snprintf(name, sizeof name, "klantcontact.%s", field);
    const json_t *v = json_object_get(obj, field);
    if (!v) {
        if (required)
            add_invalid(errs, name, "required", "Dit veld is vereist.");
    } else if (json_is_null(v)) {
        if (!nullable)
            add_invalid(errs, name, "null", "Dit veld mag niet leeg zijn.");
    } else if (!json_is_boolean(v)) {
        add_invalid(errs, name, "invalid", "Moet een geldige boolean zijn.");
    }
}

/* Returns a (possibly empty) array of invalidParams for a MaakKlantcontact body. */
static json_t *validate_maak(const json_t *body)
{
    json_t *errs = json_array();
    const json_t *kc = json_object_get(body, "klantcontact");
    if (!kc || json_is_null(kc)) {
        add_invalid(errs, "klantcontact", kc ? "null" : "required",
                    kc ? "Dit veld mag niet leeg zijn." : "Dit veld is vereist.");
    } else if (!json_is_object(kc)) {
        add_invalid(errs, "klantcontact", "invalid",
                    "Ongeldige data. Verwachtte een dictionary, kreeg een ander type.");
    } else {
        check_string(kc, "nummer", false, 10, true, errs);
        check_string(kc, "referentienummer", false, 10, true, errs);
        check_string(kc, "kanaal", true, 50, false, errs);
        check_string(kc, "onderwerp", true, 200, false, errs);
        check_string(kc, "inhoud", false, 1000, false, errs);
        check_string(kc, "reactie", false, 4000, false, errs);
        check_bool(kc, "indicatieContactGelukt", false, true, errs);
        check_string(kc, "hoofdOnderwerpType", false, 200, false, errs);
        check_bool(kc, "verdereActieOndernomen", false, false, errs);
        check_string(kc, "taal", true, 3, false, errs);
        check_bool(kc, "vertrouwelijk", true, false, errs);
        check_string(kc, "plaatsgevondenOp", true, 0, false, errs);
        const json_t *when = json_object_get(kc, "plaatsgevondenOp");
        if (json_is_string(when) && json_string_length(when) > 0 &&
            !is_datetime(json_string_value(when)))
            add_invalid(errs, "klantcontact.plaatsgevondenOp", "invalid",
                        "Datetime heeft een ongeldig formaat, gebruik 1 van de volgende formaten: "
                        "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].");
        const json_t *md = json_object_get(kc, "metadata");
        if (md && !json_is_object(md)) {
            add_invalid(errs, "klantcontact.metadata", "invalid",
                        "Ongeldige data. Verwachtte een dictionary, kreeg een ander type.");
        } else if (md) {
            const char *key;
            const json_t *val;
            json_object_foreach((json_t *)md, key, val)
            {
                char name[300];
                snprintf(name, sizeof name, "klantcontact.metadata.%s", key);
                if (!json_is_string(val))
                    add_invalid(errs, name, "invalid", "Geen geldige string.");
                else if (utf8_chars(json_string_value(val)) > 255)
                    add_invalid(errs, name, "max_length",
                                "Zorg ervoor dat dit veld niet meer dan 255 karakters bevat.");
            }
        }
    }
    static const char *const nested[] = {"betrokkene", "onderwerpobject"};
    for (size_t i = 0; i < sizeof nested / sizeof nested[0]; i++) {
        const json_t *v = json_object_get(body, nested[i]);
        if (v && !json_is_null(v) && !json_is_object(v))
            add_invalid(errs, nested[i], "invalid",
                        "Ongeldige data. Verwachtte een dictionary, kreeg een ander type.");
    }
    return errs;
}

/* ---- faults ---- */

/* Consumes the next action line of the faults file into buf (empty: no fault). */
static void next_fault(char *buf, size_t size)
{
    buf[0] = '\0';
    if (!opt_faults)
        return;
    char *text = read_file(opt_faults, NULL);
    if (!text)
        return;
    char pos_path[4096];
    snprintf(pos_path, sizeof pos_path, "%s.pos", opt_faults);
    long pos = 0;
    char *pos_text = read_file(pos_path, NULL);
    if (pos_text) {
        pos = strtol(pos_text, NULL, 10);
        free(pos_text);
    }
    long index = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        while (*line == ' ' || *line == '\t' || *line == '\r')
            line++;
        size_t n = strlen(line);
        while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0 || line[0] == '#')
            continue;
        if (index++ == pos) {
            snprintf(buf, size, "%s", line);
            char num[32];
            snprintf(num, sizeof num, "%ld\n", pos + 1);
            write_atomic(pos_path, num);
            break;
        }
    }
    free(text);
}

/* ---- request log ---- */

typedef struct {
    char *buf;
    size_t len, cap;
} strbuf;

static void sb_add(strbuf *sb, const char *s, size_t n)
{
    if (sb->len + n + 1 > sb->cap) {
        size_t cap = (sb->len + n + 1) * 2;
        char *nb = realloc(sb->buf, cap);
        if (!nb)
            return;
        sb->buf = nb;
        sb->cap = cap;
    }
    memcpy(sb->buf + sb->len, s, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

static void sb_escaped(strbuf *sb, const char *s)
{
    for (; s && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch <= ' ' || ch >= 0x7F || ch == '%' || ch == '&' || ch == '=') {
            char hex[4];
            snprintf(hex, sizeof hex, "%%%02X", ch);
            sb_add(sb, hex, 3);
        } else {
            sb_add(sb, s, 1);
        }
    }
}

static enum MHD_Result query_it(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
    (void)kind;
    strbuf *sb = cls;
    sb_add(sb, sb->len ? "&" : "?", 1);
    sb_escaped(sb, key);
    if (value) {
        sb_add(sb, "=", 1);
        sb_escaped(sb, value);
    }
    return MHD_YES;
}

static void log_request(struct MHD_Connection *c, unsigned seq, const char *method, const char *url,
                        unsigned status, const char *fault)
{
    strbuf q = {0};
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, query_it, &q);
    strbuf line = {0};
    char head[64];
    snprintf(head, sizeof head, "%04u ", seq);
    sb_add(&line, head, strlen(head));
    sb_escaped(&line, method);
    sb_add(&line, " ", 1);
    sb_escaped(&line, url);
    if (q.buf)
        sb_add(&line, q.buf, q.len);
    snprintf(head, sizeof head, " %u", status);
    sb_add(&line, head, strlen(head));
    if (fault && *fault) {
        sb_add(&line, " fault=", 7);
        for (const char *p = fault; *p; p++)
            sb_add(&line, *p == ' ' || *p == '\t' ? ":" : p, 1);
    }
    sb_add(&line, "\n", 1);
    if (line.buf) {
        pthread_mutex_lock(&g_lock);
        out_write("requests.log", line.buf, line.len, true, true);
        pthread_mutex_unlock(&g_lock);
    }
    free(line.buf);
    free(q.buf);
}

/* ---- checks ---- */

/* Returns NULL if the client certificate is acceptable, else why not. */
static const char *client_cert_problem(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    if (!ci || !ci->tls_session)
        return "Geen TLS-sessie.";
    gnutls_session_t s = (gnutls_session_t)ci->tls_session;
    unsigned int n = 0;
    if (!gnutls_certificate_get_peers(s, &n) || n == 0)
        return "Geen clientcertificaat aangeboden.";
    gnutls_typed_vdata_st purpose = {
        .type = GNUTLS_DT_KEY_PURPOSE_OID,
        .data = (unsigned char *)GNUTLS_KP_TLS_WWW_CLIENT,
        .size = 0,
    };
    unsigned int status = 0;
    if (gnutls_certificate_verify_peers(s, &purpose, 1, &status) < 0 || status != 0)
        return "Clientcertificaat is ongeldig of niet uitgegeven door de vertrouwde CA.";
    return NULL;
}

static bool token_ok(struct MHD_Connection *c)
{
    const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    if (!auth || strncmp(auth, "Token ", 6) != 0)
        return false;
    const char *t = auth + 6;
    while (*t == ' ')
        t++;
    return strcmp(t, opt_token) == 0;
}

/* ---- endpoints ---- */

/* Parses a POST body into a JSON object; on failure sends the 400 and returns NULL. */
static json_t *parse_body(struct MHD_Connection *c, const request *rq, enum MHD_Result *ret,
                          outcome *oc)
{
    json_error_t err;
    json_t *j = json_loadb(rq->body ? rq->body : "", rq->len, JSON_REJECT_DUPLICATES, &err);
    if (!j) {
        char title[300];
        snprintf(title, sizeof title, "JSON parse error - %s", err.text);
        *ret = send_problem(
            c, problem(MHD_HTTP_BAD_REQUEST, "ParseError", "parse_error", title, err.text), NULL,
            oc);
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        json_t *errs = json_array();
        add_invalid(errs, "nonFieldErrors", "invalid",
                    "Ongeldige data. Verwachtte een dictionary, kreeg een ander type.");
        *ret = send_validation(c, errs, oc);
        return NULL;
    }
    return j;
}

typedef enum {
    F_NONE,
    F_500,
    F_503,
    F_400,
    F_SLOW,
    F_HANG,
    F_RESET,
    F_COMMIT_RESET,
    F_COMMIT_500,
    F_UNKNOWN
} fault_kind;

static fault_kind parse_fault(const char *s, long *ms)
{
    if (!*s || strcmp(s, "ok") == 0)
        return F_NONE;
    if (strcmp(s, "500") == 0)
        return F_500;
    if (strcmp(s, "503") == 0)
        return F_503;
    if (strcmp(s, "400") == 0)
        return F_400;
    if (strcmp(s, "hang") == 0)
        return F_HANG;
    if (strcmp(s, "reset") == 0)
        return F_RESET;
    if (strcmp(s, "commit-then-reset") == 0)
        return F_COMMIT_RESET;
    if (strcmp(s, "commit-then-500") == 0)
        return F_COMMIT_500;
    if (strncmp(s, "slow", 4) == 0 && (s[4] == ' ' || s[4] == '\t')) {
        char *end;
        *ms = strtol(s + 5, &end, 10);
        while (*end == ' ' || *end == '\t')
            end++;
        if (*ms >= 0 && *end == '\0' && end != s + 5)
            return F_SLOW;
    }
    return F_UNKNOWN;
}

static json_t *server_error(void)
{
    return problem(MHD_HTTP_INTERNAL_SERVER_ERROR, "APIException", "error",
                   "Er is een serverfout opgetreden.", "Gesimuleerde fout (fake_casesvc).");
}

static enum MHD_Result maak_klantcontact(struct MHD_Connection *c, const request *rq,
                                         const char *fault, outcome *oc)
{
    long ms = 0;
    fault_kind f = parse_fault(fault, &ms);
    switch (f) {
    case F_UNKNOWN:
        fprintf(stderr, "fake_casesvc: unknown fault action '%s', answering 500\n", fault);
        return send_problem(c, server_error(), NULL, oc);
    case F_500:
        return send_problem(c, server_error(), NULL, oc);
    case F_503:
        return send_problem(
            c,
            problem(MHD_HTTP_SERVICE_UNAVAILABLE, "ServiceUnavailable", "service_unavailable",
                    "Service tijdelijk niet beschikbaar, probeer het later opnieuw.",
                    "Gesimuleerde fout (fake_casesvc)."),
            "1", oc);
    case F_400: {
        json_t *errs = json_array();
        add_invalid(errs, "nonFieldErrors", "invalid",
                    "Dit klantcontact kan niet worden verwerkt (gesimuleerde fout).");
        return send_validation(c, errs, oc);
    }
    case F_HANG:
        msleep_interruptible(HANG_MS);
        return MHD_NO;
    case F_RESET:
        return MHD_NO;
    case F_SLOW:
        msleep_interruptible(ms);
        break;
    case F_NONE:
    case F_COMMIT_RESET:
    case F_COMMIT_500:
        break;
    }

    enum MHD_Result ret = MHD_NO;
    json_t *body = parse_body(c, rq, &ret, oc);
    if (!body)
        return ret;
    json_t *errs = validate_maak(body);
    if (json_array_size(errs) > 0) {
        json_decref(body);
        return send_validation(c, errs, oc);
    }
    json_decref(errs);

    json_t *kc = json_object_get(body, "klantcontact");
    json_t *bet = json_object_get(body, "betrokkene");
    json_t *obj = json_object_get(body, "onderwerpobject");
    if (json_is_null(bet))
        bet = NULL;
    if (json_is_null(obj))
        obj = NULL;
    add_identity(kc, "klantcontacten");
    json_t *kc_fk = foreign_key(kc);
    json_t *bet_list = json_array(), *obj_list = json_array();
    if (bet) {
        add_identity(bet, "betrokkenen");
        json_object_set(bet, "hadKlantcontact", kc_fk);
        if (!json_object_get(bet, "digitaleAdressen"))
            json_object_set_new(bet, "digitaleAdressen", json_array());
        json_array_append_new(bet_list, foreign_key(bet));
    }
    if (obj) {
        add_identity(obj, "onderwerpobjecten");
        json_object_set(obj, "klantcontact", kc_fk);
        json_array_append_new(obj_list, foreign_key(obj));
    }
    json_decref(kc_fk);
    json_object_set_new(kc, "gingOverOnderwerpobjecten", obj_list);
    json_object_set_new(kc, "hadBetrokkenen", bet_list);
    static const char *const empty[] = {"hadBetrokkenActoren", "omvatteBijlagen",
                                        "leiddeTotInterneTaken"};
    for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++)
        if (!json_object_get(kc, empty[i]))
            json_object_set_new(kc, empty[i], json_array());

    pthread_mutex_lock(&g_lock);
    json_array_append_new(g_contacts, json_deep_copy(kc));
    json_array_append_new(g_betrokkenen, bet ? json_deep_copy(bet) : json_null());
    append_jsonl("klantcontacten.jsonl", kc);
    pthread_mutex_unlock(&g_lock);

    if (f == F_COMMIT_RESET) {
        json_decref(body);
        return MHD_NO;
    }
    if (f == F_COMMIT_500) {
        json_decref(body);
        return send_problem(c, server_error(), NULL, oc);
    }
    json_t *resp = json_pack("{s:O}", "klantcontact", kc);
    if (bet)
        json_object_set(resp, "betrokkene", bet);
    if (obj)
        json_object_set(resp, "onderwerpobject", obj);
    json_decref(body);
    return send_json(c, MHD_HTTP_CREATED, resp, oc);
}

static enum MHD_Result list_klantcontacten(struct MHD_Connection *c, outcome *oc)
{
    const char *ref = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "referentienummer");
    const char *expand = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "expand");
    bool with_bet = expand && strstr(expand, "hadBetrokkenen");
    json_t *results = json_array();
    pthread_mutex_lock(&g_lock);
    for (size_t i = 0; i < json_array_size(g_contacts); i++) {
        json_t *kc = json_array_get(g_contacts, i);
        const char *r = json_string_value(json_object_get(kc, "referentienummer"));
        if (ref && (!r || strcmp(r, ref) != 0))
            continue;
        json_t *copy = json_deep_copy(kc);
        if (with_bet) {
            json_t *bet = json_array_get(g_betrokkenen, i);
            json_t *list = json_array();
            if (bet && !json_is_null(bet))
                json_array_append_new(list, json_deep_copy(bet));
            json_object_set_new(copy, "_expand", json_pack("{s:o}", "hadBetrokkenen", list));
        }
        json_array_append_new(results, copy);
    }
    pthread_mutex_unlock(&g_lock);
    json_t *resp = json_pack("{s:I,s:n,s:n,s:o}", "count", (json_int_t)json_array_size(results),
                             "next", "previous", "results", results);
    return send_json(c, MHD_HTTP_OK, resp, oc);
}

static enum MHD_Result create_echo(struct MHD_Connection *c, const request *rq,
                                   const char *collection, outcome *oc)
{
    enum MHD_Result ret = MHD_NO;
    json_t *body = parse_body(c, rq, &ret, oc);
    if (!body)
        return ret;
    add_identity(body, collection);
    char file[128];
    snprintf(file, sizeof file, "%s.jsonl", collection);
    pthread_mutex_lock(&g_lock);
    append_jsonl(file, body);
    if (strcmp(collection, "digitaleadressen") == 0)
        json_array_append(g_adressen, body);
    pthread_mutex_unlock(&g_lock);
    return send_json(c, MHD_HTTP_CREATED, body, oc);
}

/* GET /digitaleadressen[?referentie=X]: the stored addresses (of this run). */
static enum MHD_Result list_adressen(struct MHD_Connection *c, outcome *oc)
{
    const char *ref = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "referentie");
    json_t *results = json_array();
    pthread_mutex_lock(&g_lock);
    for (size_t i = 0; i < json_array_size(g_adressen); i++) {
        json_t *a = json_array_get(g_adressen, i);
        const char *r = json_string_value(json_object_get(a, "referentie"));
        if (ref && (!r || strcmp(r, ref) != 0))
            continue;
        json_array_append_new(results, json_deep_copy(a));
    }
    pthread_mutex_unlock(&g_lock);
    json_t *resp = json_pack("{s:I,s:n,s:n,s:o}", "count", (json_int_t)json_array_size(results),
                             "next", "previous", "results", results);
    return send_json(c, MHD_HTTP_OK, resp, oc);
}

/* ---- libmicrohttpd glue ---- */

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls)
{
    (void)cls;
    (void)version;
    request *rq = *con_cls;
    if (!rq) {
        rq = calloc(1, sizeof *rq);
        if (!rq)
            return MHD_NO;
        pthread_mutex_lock(&g_lock);
        rq->seq = ++g_seq;
        pthread_mutex_unlock(&g_lock);
        *con_cls = rq;
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (rq->too_big || rq->len + n > MAX_BODY) {
            rq->too_big = true;
            return MHD_YES;
        }
        if (rq->len + n + 1 > rq->cap) {
            size_t cap = (rq->len + n + 1) * 2;
            char *nb = realloc(rq->body, cap);
            if (!nb)
                return MHD_NO;
            rq->body = nb;
            rq->cap = cap;
        }
        memcpy(rq->body + rq->len, upload_data, n);
        rq->len += n;
        return MHD_YES;
    }

    bool post = strcmp(method, MHD_HTTP_METHOD_POST) == 0;
    bool get = strcmp(method, MHD_HTTP_METHOD_GET) == 0;
    if (post) {
        char name[64];
        snprintf(name, sizeof name, "body-%04u.json", rq->seq);
        pthread_mutex_lock(&g_lock);
        out_write(name, rq->body ? rq->body : "", rq->len, false, false);
        pthread_mutex_unlock(&g_lock);
    }

    outcome oc = {0};
    char fault[256] = "";
    enum MHD_Result ret;
    const char *why;
    if (opt_client_ca && (why = client_cert_problem(c)) != NULL) {
        ret = send_problem(c,
                           problem(MHD_HTTP_FORBIDDEN, "PermissionDenied", "permission_denied",
                                   "U heeft geen toestemming om deze actie uit te voeren.", why),
                           NULL, &oc);
    } else if (!token_ok(c)) {
        ret = send_problem(c,
                           problem(MHD_HTTP_UNAUTHORIZED, "NotAuthenticated", "not_authenticated",
                                   "Authenticatiegegevens zijn niet opgegeven.",
                                   "Geen geldige 'Authorization: Token ...' header."),
                           NULL, &oc);
    } else if (rq->too_big) {
        ret = send_problem(c,
                           problem(MHD_HTTP_CONTENT_TOO_LARGE, "APIException", "too_large",
                                   "Request body is too large.", "Maximum is 1 MiB."),
                           NULL, &oc);
    } else if (post && strcmp(url, API_BASE "/maak-klantcontact") == 0) {
        pthread_mutex_lock(&g_lock);
        next_fault(fault, sizeof fault);
        pthread_mutex_unlock(&g_lock);
        long ms;
        fault_kind f = parse_fault(fault, &ms);
        if (f == F_HANG || f == F_RESET) /* log first: tests look while we still hang */
            log_request(c, rq->seq, method, url, 0, fault);
        ret = maak_klantcontact(c, rq, fault, &oc);
        if (f == F_HANG || f == F_RESET)
            return ret;
    } else if (get && strcmp(url, API_BASE "/klantcontacten") == 0) {
        ret = list_klantcontacten(c, &oc);
    } else if (post && strcmp(url, API_BASE "/digitaleadressen") == 0) {
        ret = create_echo(c, rq, "digitaleadressen", &oc);
    } else if (get && strcmp(url, API_BASE "/digitaleadressen") == 0) {
        ret = list_adressen(c, &oc);
    } else if (post && strcmp(url, API_BASE "/internetaken") == 0) {
        ret = create_echo(c, rq, "internetaken", &oc);
    } else {
        ret = send_problem(
            c, problem(MHD_HTTP_NOT_FOUND, "NotFound", "not_found", "Niet gevonden.", url), NULL,
            &oc);
    }
    log_request(c, rq->seq, method, url, ret == MHD_YES ? oc.status : 0, fault);
    return ret;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    request *rq = *con_cls;
    if (rq) {
        free(rq->body);
        free(rq);
        *con_cls = NULL;
    }
}

__attribute__((format(printf, 2, 0))) static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    if (atomic_load(&g_stop))
        return;
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    /* Our handler returns MHD_NO only to drop a connection on purpose (faults). */
    if (strstr(msg, "Application reported internal error"))
        return;
    fprintf(stderr, "fake_casesvc: mhd: %s", msg);
}

/* Continues the request counter and reloads the stored klantcontacten of an earlier run. */
static void restore_state(void)
{
    char path[4096];
    DIR *dir = opendir(opt_out);
    struct dirent *e;
    while (dir && (e = readdir(dir)) != NULL) {
        unsigned n;
        if (sscanf(e->d_name, "body-%u.json", &n) == 1 && n > g_seq)
            g_seq = n;
    }
    if (dir)
        closedir(dir);
    snprintf(path, sizeof path, "%s/requests.log", opt_out);
    char *text = read_file(path, NULL), *save = NULL;
    for (char *l = text ? strtok_r(text, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save)) {
        unsigned n;
        if (sscanf(l, "%u", &n) == 1 && n > g_seq)
            g_seq = n;
    }
    free(text);
    snprintf(path, sizeof path, "%s/klantcontacten.jsonl", opt_out);
    text = read_file(path, NULL);
    save = NULL;
    for (char *l = text ? strtok_r(text, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save)) {
        json_t *kc = json_loads(l, 0, NULL);
        if (json_is_object(kc)) {
            json_array_append_new(g_contacts, kc);
            json_array_append_new(g_betrokkenen, json_null());
        } else {
            json_decref(kc);
        }
    }
    free(text);
}

static void usage(void)
{
    fprintf(stderr, "usage: fake_casesvc --port N|0 --cert server.pem --key server.key "
                    "[--client-ca ca.pem] --token TOKEN --out DIR [--ready FILE] "
                    "[--faults FILE]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"port", required_argument, NULL, 'p'},  {"cert", required_argument, NULL, 'c'},
        {"key", required_argument, NULL, 'k'},   {"client-ca", required_argument, NULL, 'a'},
        {"token", required_argument, NULL, 't'}, {"out", required_argument, NULL, 'o'},
        {"ready", required_argument, NULL, 'r'}, {"faults", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
    };
    const char *port_s = NULL, *cert_path = NULL, *key_path = NULL, *ca_path = NULL;
    const char *ready = NULL;
    int o;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'p':
            port_s = optarg;
            break;
        case 'c':
            cert_path = optarg;
            break;
        case 'k':
            key_path = optarg;
            break;
        case 'a':
            ca_path = optarg;
            break;
        case 't':
            opt_token = optarg;
            break;
        case 'o':
            opt_out = optarg;
            break;
        case 'r':
            ready = optarg;
            break;
        case 'f':
            opt_faults = optarg;
            break;
        default:
            usage();
        }
    }
    if (optind != argc || !port_s || !cert_path || !key_path || !opt_token || !opt_out)
        usage();
    char *end;
    long port = strtol(port_s, &end, 10);
    if (*port_s == '\0' || *end != '\0' || port < 0 || port > 65535)
        usage();

    if (mkdir(opt_out, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "fake_casesvc: cannot create %s: %s\n", opt_out, strerror(errno));
        return 1;
    }
    char *cert = read_file(cert_path, NULL);
    char *key = read_file(key_path, NULL);
    char *ca = ca_path ? read_file(ca_path, NULL) : NULL;
    if (!cert || !key || (ca_path && !ca)) {
        fprintf(stderr, "fake_casesvc: cannot read %s\n",
                !cert  ? cert_path
                : !key ? key_path
                       : ca_path);
        return 1;
    }
    opt_client_ca = ca != NULL;
    g_contacts = json_array();
    g_betrokkenen = json_array();
    g_adressen = json_array();
    restore_state();

    /* Block the stop signals in every thread; the main thread waits for them with sigwait. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    struct MHD_OptionItem tls[] = {
        {MHD_OPTION_HTTPS_MEM_CERT, 0, cert},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, key},
        {ca ? MHD_OPTION_HTTPS_MEM_TRUST : MHD_OPTION_END, 0, ca},
        {MHD_OPTION_END, 0, NULL},
    };
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_TLS | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
            MHD_USE_ERROR_LOG,
        (uint16_t)port, NULL, NULL, handle, NULL, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_ARRAY, tls,
        MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "fake_casesvc: cannot start the HTTPS server on 127.0.0.1:%ld\n", port);
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    g_port = info ? info->port : (unsigned)port;
    if (ready) {
        char num[32];
        snprintf(num, sizeof num, "%u\n", g_port);
        if (!write_atomic(ready, num)) {
            MHD_stop_daemon(d);
            return 1;
        }
    }

    int sig = 0;
    while (sigwait(&sigs, &sig) != 0)
        ;
    atomic_store(&g_stop, true);
    MHD_stop_daemon(d);

    json_decref(g_contacts);
    json_decref(g_betrokkenen);
    json_decref(g_adressen);
    free(cert);
    free(key);
    free(ca);
    return 0;
}
