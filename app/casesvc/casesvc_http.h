/* casesvc_http: the reference case service on HTTPS (libmicrohttpd with GnuTLS).
 *
 * Contract: TLS only, with the given server certificate and key (PEM in memory). With a
 * client CA, every request must come with a client certificate issued by that CA (403
 * problem+json otherwise, before anything else is looked at). Bodies are read up to
 * CASESVC_MAX_BODY (then 413). Every answer carries API-version. Each request is handed to
 * casesvc_api_handle(). One log line per request on the log stream: method, path (never the
 * query), status, duration in ms; never a body, a header or a query value. */
#ifndef LOKET_CASESVC_HTTP_H
#define LOKET_CASESVC_HTTP_H

#include <stdint.h>
#include <stdio.h>

#include "casesvc_api.h"

typedef struct {
    const char *cert_pem, *key_pem; /* server certificate (chain) and key */
    const char *client_ca_pem;      /* NULL: no client certificate asked */
    const char *bind;               /* IPv4 address, e.g. "127.0.0.1" or "0.0.0.0" */
    uint16_t port;                  /* 0: a free port */
    unsigned threads;               /* 0: 4 */
    FILE *log;                      /* NULL: no request log */
} casesvc_http_config;

typedef struct casesvc_http casesvc_http;

casesvc_http *casesvc_http_start(const casesvc_http_config *cfg, casesvc_api *api, char *err,
                                 size_t errcap);
uint16_t casesvc_http_port(const casesvc_http *h);
void casesvc_http_stop(casesvc_http *h);

#endif
