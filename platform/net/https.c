#include "net/https.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The token file: owner-only, one line of printable characters. */
static bool read_token(const char *path, char *out, size_t cap, char *err, size_t errcap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(err, errcap, "cannot read the token file %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return false;
    }
    if (!S_ISREG(st.st_mode) || (st.st_mode & 077)) {
        snprintf(err, errcap, "the token file %s must be a file only its owner can read (0600)",
                 path);
        close(fd);
        return false;
    }
    ssize_t n = read(fd, out, cap - 1);
    close(fd);
    if (n <= 0) {
        snprintf(err, errcap, "the token file %s is empty", path);
        return false;
    }
    out[n] = '\0';
    out[strcspn(out, "\r\n")] = '\0';
    for (char *p = out; *p; p++)
        if (*p <= ' ' || *p > '~') {
            snprintf(err, errcap, "the token in %s has characters a token cannot have", path);
            explicit_bzero(out, cap);
            return false;
        }
    if (!out[0]) {
        snprintf(err, errcap, "the token file %s is empty", path);
        return false;
    }
    return true;
}

bool https_auth_header(const char *token_file, char *out, size_t cap, char *err, size_t errcap)
{
    char token[512];
    if (!read_token(token_file, token, sizeof token, err, errcap))
        return false;
    snprintf(out, cap, "Authorization: Token %s", token);
    explicit_bzero(token, sizeof token);
    return true;
}

CURL *https_curl_new(char *err, size_t errcap)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL *h = curl_easy_init();
    if (!h)
        snprintf(err, errcap, "cannot start libcurl");
    return h;
}

static size_t on_data(char *p, size_t sz, size_t nm, void *ud)
{
    https_answer *a = ud;
    size_t n = sz * nm;
    if (a->n + n > a->max) {
        a->too_big = true;
        return 0;
    }
    /* a new buffer rather than realloc: the old bytes are wiped before they are freed */
    char *nb = malloc(a->n + n + 1);
    if (!nb)
        return 0;
    if (a->b) {
        memcpy(nb, a->b, a->n);
        explicit_bzero(a->b, a->n);
        free(a->b);
    }
    memcpy(nb + a->n, p, n);
    a->b = nb;
    a->n += n;
    a->b[a->n] = '\0';
    return n;
}

void https_answer_free(https_answer *a)
{
    if (a->b) {
        explicit_bzero(a->b, a->n);
        free(a->b);
    }
    a->b = NULL;
    a->n = 0;
    a->too_big = false;
}

CURLcode https_request(CURL *h, const https_tls *tls, const char *method, const char *url,
                       const char *auth, const char *body, https_answer *ans, long *status)
{
    *status = 0;
    curl_easy_reset(h);
    struct curl_slist *hd = NULL;
    hd = curl_slist_append(hd, auth);
    hd = curl_slist_append(hd, "Accept: application/json");
    if (body)
        hd = curl_slist_append(hd, "Content-Type: application/json");
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(h, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (tls->ca_file[0])
        curl_easy_setopt(h, CURLOPT_CAINFO, tls->ca_file);
    if (tls->cert_file[0]) {
        curl_easy_setopt(h, CURLOPT_SSLCERT, tls->cert_file);
        curl_easy_setopt(h, CURLOPT_SSLKEY, tls->key_file);
    }
    if (tls->pin[0])
        curl_easy_setopt(h, CURLOPT_PINNEDPUBLICKEY, tls->pin);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)tls->connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)tls->timeout_ms);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, ans);
    if (body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    }
    if (strcmp(method, "GET") && strcmp(method, "POST"))
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    CURLcode rc = curl_easy_perform(h);
    curl_slist_free_all(hd);
    if (rc == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
    return rc;
}
