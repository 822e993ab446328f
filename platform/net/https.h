/* https: what the kiosk's uplink and the desk's caseapi share as clients of the case service
 * over libcurl: the token file (owner-only, one line of printable characters) and one JSON
 * request over HTTPS only (TLS 1.2 or newer, the peer and its host name verified; the CA file,
 * a client certificate and key, a pinned key when given), its answer gathered up to a limit
 * and wiped when freed (it may hold personal data). */
#ifndef LOKET_HTTPS_H
#define LOKET_HTTPS_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>

/* Reads the token in `token_file` into `out` as "Authorization: Token <token>" (the token is
 * wiped from the stack). False with the reason in `err`: not owner-only (0600), empty, or a
 * character a token cannot have. */
bool https_auth_header(const char *token_file, char *out, size_t cap, char *err, size_t errcap);

/* curl_global_init and a new easy handle; NULL with "cannot start libcurl" in `err`. */
CURL *https_curl_new(char *err, size_t errcap);

typedef struct {
    const char *ca_file;              /* "" : the system's CA bundle */
    const char *cert_file, *key_file; /* client certificate and key (mTLS), or "" */
    const char *pin;                  /* "sha256//BASE64" or "" */
    int connect_timeout_ms, timeout_ms;
} https_tls;

/* An answer's bytes, NUL-terminated, at most `max` of them (else too_big and the transfer
 * stops). */
typedef struct {
    char *b;
    size_t n;
    size_t max;
    bool too_big;
} https_answer;

/* Wipes and frees the bytes; the answer is empty (its limit kept). */
void https_answer_free(https_answer *a);

/* One request on `h` (reset first): `method` ("GET", "POST", "PATCH", ...) on `url` with the
 * header `auth`, "Accept: application/json" and, with a `body`, that JSON. The answer's bytes
 * go to `ans` (set its `max` first; the caller frees them, also on a failure). Returns
 * curl's code; with CURLE_OK, *status is the HTTP status. */
CURLcode https_request(CURL *h, const https_tls *tls, const char *method, const char *url,
                       const char *auth, const char *body, https_answer *ans, long *status);

#endif
