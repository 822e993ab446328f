#include "casesvc_http.h"

#include <arpa/inet.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

struct casesvc_http {
    struct MHD_Daemon *d;
    casesvc_api *api;
    bool client_ca;
    uint16_t port;
    FILE *log;
};

typedef struct {
    double start_ms;
    char *body;
    size_t len, cap;
    bool too_big;
} request;

typedef struct {
    casesvc_param *p;
    size_t n, cap;
} params;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* NULL if the client certificate is acceptable, else why not (no personal data). */
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
        return "Het clientcertificaat is ongeldig of niet uitgegeven door de vertrouwde CA.";
    return NULL;
}

/* The client certificate is checked once per connection (a TLS session cannot change it):
 * the verdict is kept in the connection's socket context. */
typedef struct {
    int verdict; /* 0 not checked yet, 1 acceptable, 2 refused */
    const char *why;
} conn_state;

static void notify_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                              enum MHD_ConnectionNotificationCode toe)
{
    (void)cls;
    (void)c;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        *socket_context = calloc(1, sizeof(conn_state));
    } else {
        free(*socket_context);
        *socket_context = NULL;
    }
}

static const char *client_cert_verdict(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    conn_state *cs = ci ? ci->socket_context : NULL;
    if (!cs) /* no memory for the cache: check every time */
        return client_cert_problem(c);
    if (cs->verdict == 0) {
        cs->why = client_cert_problem(c);
        cs->verdict = cs->why ? 2 : 1;
    }
    return cs->verdict == 1 ? NULL : cs->why;
}

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    (void)kind;
    params *ps = cls;
    if (ps->n == ps->cap) {
        size_t cap = ps->cap ? ps->cap * 2 : 8;
        casesvc_param *np = realloc(ps->p, cap * sizeof *np);
        if (!np)
            return MHD_NO;
        ps->p = np;
        ps->cap = cap;
    }
    ps->p[ps->n++] = (casesvc_param){key, value};
    return MHD_YES;
}

/* Printable ASCII only, at most 200 characters: a hostile method or path cannot forge lines. */
static void clean(char *out, size_t cap, const char *in)
{
    size_t j = 0;
    for (; in && *in && j + 1 < cap && j < 200; in++)
        out[j++] = (*in > ' ' && *in < 0x7F) ? *in : '?';
    out[j] = '\0';
}

static void log_line(casesvc_http *h, const char *method, const char *url, unsigned status,
                     double ms)
{
    if (!h->log)
        return;
    char m[32], p[256];
    clean(m, sizeof m, method);
    clean(p, sizeof p, url);
    fprintf(h->log, "casesvc: %s %s %u %.1f ms\n", m, p, status, ms);
    fflush(h->log);
}

/* The answer holds personal data: libmicrohttpd gets its own copy, wiped when it is done with it
 * (MHD_RESPMEM_MUST_COPY would free its copy unwiped). */
static void free_wiped_answer(void *buf)
{
    if (buf) {
        explicit_bzero(buf, strlen(buf));
        free(buf);
    }
}

static enum MHD_Result queue(struct MHD_Connection *c, const casesvc_response *r)
{
    char *body = strdup(r->body ? r->body : "");
    if (!body)
        return MHD_NO;
    size_t len = strlen(body);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer_with_free_callback(len, body, free_wiped_answer);
    if (!resp) {
        free_wiped_answer(body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                            r->content_type ? r->content_type : "application/json");
    MHD_add_response_header(resp, "API-version", CASESVC_API_VERSION);
    if (r->allow)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow);
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls)
{
    (void)version;
    casesvc_http *h = cls;
    request *rq = *con_cls;
    if (!rq) {
        rq = calloc(1, sizeof *rq);
        if (!rq)
            return MHD_NO;
        rq->start_ms = now_ms();
        *con_cls = rq;
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (rq->too_big || rq->len + n > CASESVC_MAX_BODY) {
            rq->too_big = true; /* read on, keep nothing: the answer is a 413 */
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

    casesvc_response resp = {0};
    const char *why;
    if (h->client_ca && (why = client_cert_verdict(c)) != NULL) {
        char *detail = NULL;
        resp.status = 403;
        resp.content_type = "application/problem+json";
        /* a small fixed problem: nothing of the client in it */
        const char *fmt = "{\"type\":\"about:blank\",\"code\":\"permission_denied\","
                          "\"title\":\"U heeft geen toestemming om deze actie uit te voeren.\","
                          "\"status\":403,\"detail\":\"%s\",\"instance\":\"\"}";
        size_t n = strlen(fmt) + strlen(why) + 1;
        detail = malloc(n);
        if (detail)
            snprintf(detail, n, fmt, why);
        resp.body = detail;
    } else {
        params q = {0};
        MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect, &q);
        casesvc_request req = {
            .method = method,
            .path = url,
            .query = q.p,
            .n_query = q.n,
            .authorization = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization"),
            .content_type =
                MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE),
            .body = rq->body,
            .body_len = rq->len,
            .body_too_large = rq->too_big,
        };
        casesvc_api_handle(h->api, &req, &resp);
        free(q.p);
    }
    enum MHD_Result ret = queue(c, &resp);
    log_line(h, method, url, ret == MHD_YES ? (unsigned)resp.status : 0, now_ms() - rq->start_ms);
    if (resp.body) /* it may hold personal data */
        explicit_bzero(resp.body, strlen(resp.body));
    casesvc_response_free(&resp);
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
        if (rq->body)
            explicit_bzero(rq->body, rq->cap);
        free(rq->body);
        free(rq);
        *con_cls = NULL;
    }
}

__attribute__((format(printf, 2, 0))) static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    casesvc_http *h = cls;
    if (!h->log)
        return;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    /* TLS handshakes that fail are the client's business (wrong CA, port scans) */
    if (strstr(msg, "TLS") || strstr(msg, "handshake") || strstr(msg, "Error: received"))
        return;
    fprintf(h->log, "casesvc: http: %s", msg);
    fflush(h->log);
}

casesvc_http *casesvc_http_start(const casesvc_http_config *cfg, casesvc_api *api, char *err,
                                 size_t errcap)
{
    casesvc_http *h = calloc(1, sizeof *h);
    if (!h) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    h->api = api;
    h->log = cfg->log;
    h->client_ca = cfg->client_ca_pem != NULL;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons(cfg->port);
    if (inet_pton(AF_INET, cfg->bind ? cfg->bind : "127.0.0.1", &sa.sin_addr) != 1) {
        snprintf(err, errcap, "not an IPv4 address: %s", cfg->bind);
        free(h);
        return NULL;
    }
    struct MHD_OptionItem tls[] = {
        {MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)cfg->cert_pem},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)cfg->key_pem},
        {MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)"NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"},
        {cfg->client_ca_pem ? MHD_OPTION_HTTPS_MEM_TRUST : MHD_OPTION_END, 0,
         (void *)cfg->client_ca_pem},
        {MHD_OPTION_END, 0, NULL},
    };
    h->d = MHD_start_daemon(
        MHD_USE_TLS | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | MHD_USE_AUTO, 0, NULL,
        NULL, handle, h, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, h, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)(cfg->threads ? cfg->threads : 4), MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024), MHD_OPTION_ARRAY, tls,
        MHD_OPTION_NOTIFY_COMPLETED, completed, h, MHD_OPTION_NOTIFY_CONNECTION, notify_connection,
        h, MHD_OPTION_END);
    if (!h->d) {
        snprintf(err, errcap,
                 "cannot start the HTTPS server on %s:%u (port in use, or a bad certificate "
                 "or key)",
                 cfg->bind ? cfg->bind : "127.0.0.1", cfg->port);
        free(h);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    h->port = info ? info->port : cfg->port;
    return h;
}

uint16_t casesvc_http_port(const casesvc_http *h)
{
    return h->port;
}

void casesvc_http_stop(casesvc_http *h)
{
    if (!h)
        return;
    MHD_stop_daemon(h->d); /* first: until it returns, a request may still call log_line */
    h->log = NULL;
    free(h);
}
