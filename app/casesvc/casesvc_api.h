/* casesvc_api: the reference case service's HTTP semantics without HTTP: routing, the token,
 * validation, the Klantinteracties representations, pagination, expand and problem+json.
 *
 * Contract: casesvc_api_handle() takes one request (method, path without query, decoded query
 * parameters, the Authorization and Content-Type headers, the body) and always fills a
 * response (status, body, content type; an Allow value for 405). Shapes, field limits and
 * filter names are those of the VNG Klantinteracties API 0.9 (base path
 * /klantinteracties/api/v1). Errors are application/problem+json {type, code, title, status,
 * detail, instance}; a 400 for invalid input lists every invalid field in invalidParams
 * [{name, code, reason}]. Unknown query parameters are ignored (as Django's filters do);
 * a filter with an invalid value is a 400. GET .../schema/openapi.yaml serves this service's
 * own description without a token. Thread-safe; logs nothing. */
#ifndef LOKET_CASESVC_API_H
#define LOKET_CASESVC_API_H

#include <stdbool.h>
#include <stddef.h>

#include "casesvc_store.h"
#include "casesvc_tokens.h"

#define CASESVC_API_BASE "/klantinteracties/api/v1"
#define CASESVC_API_VERSION "0.9.0"
#define CASESVC_MAX_BODY (1024 * 1024)

typedef struct {
    const char *name, *value;
} casesvc_param;

typedef struct {
    const char *method, *path; /* path without the query */
    const casesvc_param *query;
    size_t n_query;
    const char *authorization; /* header value or NULL */
    const char *content_type;  /* header value or NULL */
    const char *body;
    size_t body_len;
    bool body_too_large; /* the transport stopped reading after CASESVC_MAX_BODY */
} casesvc_request;

typedef struct {
    int status;
    char *body; /* malloc'd */
    const char *content_type;
    const char *allow; /* for a 405, else NULL */
} casesvc_response;

typedef struct {
    casesvc_store *store;
    const casesvc_tokens *tokens;
    const char *base_url;     /* e.g. https://localhost:8443 (origin; the base path is added) */
    const char *openapi_text; /* this service's OpenAPI description, or NULL */
} casesvc_api_config;

typedef struct casesvc_api casesvc_api;

casesvc_api *casesvc_api_new(const casesvc_api_config *cfg);
void casesvc_api_free(casesvc_api *a);
/* The origin in urls (the port is known only once the server listens). */
void casesvc_api_set_origin(casesvc_api *a, const char *origin);
void casesvc_api_handle(casesvc_api *a, const casesvc_request *rq, casesvc_response *out);
void casesvc_response_free(casesvc_response *r);

/* Decodes "a=b&c=d%20e" (+ is a space) into parameters (for the tests and the fuzz target);
 * free with casesvc_params_free. */
bool casesvc_query_parse(const char *raw, casesvc_param **out, size_t *n);
void casesvc_params_free(casesvc_param *p, size_t n);

/* Checks a request body (any bytes) for an operation ("maak-klantcontact", "digitaleadressen",
 * "internetaken", "internetaken-patch") without storing it: the number of invalid params, or
 * -1 when the body is not a JSON object. For the fuzz target. */
int casesvc_api_validate_only(const char *op, const char *body, size_t len);

#endif
