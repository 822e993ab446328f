/* caseapi: a small JSON client of the case service (VNG Klantinteracties API) for the desk
 * console, with libcurl: GET, PATCH and POST of JSON under the base URL, over HTTPS (TLS 1.2
 * or newer; the CA file, an optional client certificate and key, an optional pinned key) with
 * `Authorization: Token <key>` from a file only its owner can read. One caseapi handle per
 * thread (a curl handle is not shared).
 *
 * The answers are bytes from outside: the parsers check every type and length, take what
 * they understand, cut texts at the API's limits and never fail on an unknown field. Answers
 * are wiped when freed (they hold personal data). */
#ifndef LOKET_CASEAPI_H
#define LOKET_CASEAPI_H

#include <stdbool.h>
#include <stddef.h>

#include "desk/desk.h"

typedef struct {
    char base_url[512];                   /* https://host/klantinteracties/api/v1 */
    char ca_file[1024];                   /* "" : the system's CA bundle */
    char cert_file[1024], key_file[1024]; /* client certificate and key (mTLS), or "" */
    char token_file[1024];
    char pin[256]; /* "sha256//BASE64" or "" */
    int connect_timeout_ms, timeout_ms;
} caseapi_config;

void caseapi_config_defaults(caseapi_config *c);

typedef struct caseapi caseapi;

/* Reads the token and checks the files; does not contact the server. */
caseapi *caseapi_new(const caseapi_config *cfg, char *err, size_t errcap);
void caseapi_free(caseapi *c);

/* One request: `path` below the base URL ("/internetaken?..."), `body` JSON or NULL.
 * Returns DESK_ERR_NONE for a 2xx answer (*answer, *n: the bytes, NUL-terminated; free with
 * caseapi_answer_free), else the kind of failure with the status (0 for no answer) and a
 * reason without personal data in `why`. */
desk_error caseapi_request(caseapi *c, const char *method, const char *path, const char *body,
                           long *status, char **answer, size_t *n, char *why, size_t whycap);
void caseapi_answer_free(char *answer, size_t n);
/* The error kind of an HTTP status (2xx: none). */
desk_error caseapi_status_error(long status);

/* The team's open tasks: GET /internetaken?status=te_verwerken&toegewezenAanActor__uuid=team,
 * following `next` pages under the same base URL (at most 10). */
desk_error caseapi_list_tasks(caseapi *c, const char *team, desk_task *out, int cap, int *n,
                              long *status, char *why, size_t whycap);
/* A case by its referentienummer, with its betrokkenen, their digitale adressen and the
 * internetaken (expand=hadBetrokkenen,hadBetrokkenen.digitaleAdressen,leiddeTotInterneTaken);
 * addresses a server did not expand are looked up one by one. */
desk_error caseapi_get_case(caseapi *c, const char *ref, desk_case *out, long *status, char *why,
                            size_t whycap);
/* The same by the klantcontact's uuid (a task without a number: its aanleidinggevend
 * klantcontact): GET /klantcontacten/{uuid}?expand=... */
desk_error caseapi_get_case_by_uuid(caseapi *c, const char *uuid, desk_case *out, long *status,
                                    char *why, size_t whycap);
/* PATCH /internetaken/{uuid}: status verwerkt, afgehandeldOp `when` (RFC 3339). */
desk_error caseapi_close_task(caseapi *c, const char *uuid, const char *when, long *status,
                              char *why, size_t whycap);

/* The PATCH body that closes a task (malloc'd JSON): {"status":"verwerkt","afgehandeldOp":when}. */
char *caseapi_close_body(const char *when);

/* The parsers (any bytes; for the tests and the fuzz target). */
/* A page of internetaken ({"count", "next", "results": [...]}, or a bare array): the tasks
 * with a uuid; *next gets the next page's URL or "". */
desk_error caseapi_parse_tasks(const char *bytes, size_t n, desk_task *out, int cap, int *count,
                               char *next, size_t nextcap);
/* A page of klantcontacten: the first result (ANSWER if unreadable, NOT_FOUND if none); or
 * one klantcontact (an object with a uuid and no results). */
desk_error caseapi_parse_case(const char *bytes, size_t n, desk_case *out);
/* One digitaal adres into the case's list. */
desk_error caseapi_parse_address(const char *bytes, size_t n, desk_case *out);

#endif
