#include "casesvc_tokens.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HASH_BYTES 32

typedef struct {
    unsigned char hash[HASH_BYTES];
    char name[64];
    casesvc_role role;
} entry;

struct casesvc_tokens {
    entry *e;
    size_t n;
};

static int hexval(int c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

static bool sha256(const char *s, size_t n, unsigned char out[HASH_BYTES])
{
    unsigned int len = 0;
    return EVP_Digest(s, n, out, &len, EVP_sha256(), NULL) == 1 && len == HASH_BYTES;
}

static bool name_ok(const char *n)
{
    size_t len = strlen(n);
    if (len == 0 || len >= 64)
        return false;
    for (; *n; n++)
        if (!((*n >= 'a' && *n <= 'z') || (*n >= 'A' && *n <= 'Z') || (*n >= '0' && *n <= '9') ||
              *n == '-' || *n == '_' || *n == '.'))
            return false;
    return true;
}

casesvc_tokens *casesvc_tokens_load(const char *path, char *err, size_t errcap)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errcap, "cannot read the tokens file %s: %s", path, strerror(errno));
        return NULL;
    }
    casesvc_tokens *t = calloc(1, sizeof *t);
    char line[512];
    int lineno = 0;
    bool ok = t != NULL;
    while (ok && fgets(line, sizeof line, f)) {
        lineno++;
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#' || *p == '\n' || *p == '\r' || *p == '\0')
            continue;
        char hex[128] = "", name[128] = "", role[16] = "", extra[2] = "";
        entry e = {.role = CASESVC_ROLE_DESK}; /* a line from before roles: a desk's */
        int nf = sscanf(p, "%127s %127s %15s %1s", hex, name, role, extra);
        bool good = (nf == 2 || nf == 3) && strlen(hex) == 2 * HASH_BYTES && name_ok(name);
        if (good && nf == 3) {
            good = strcmp(role, "kiosk") == 0 || strcmp(role, "desk") == 0;
            e.role = strcmp(role, "kiosk") == 0 ? CASESVC_ROLE_KIOSK : CASESVC_ROLE_DESK;
        }
        for (int i = 0; good && i < HASH_BYTES; i++) {
            int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
            good = hi >= 0 && lo >= 0;
            e.hash[i] = (unsigned char)(hi << 4 | lo);
        }
        if (!good) {
            snprintf(err, errcap, "%s:%d: expected \"<sha256 hex> <name> <kiosk|desk>\"", path,
                     lineno);
            ok = false;
            break;
        }
        memcpy(e.name, name, strlen(name) + 1); /* name_ok: shorter than 64 */
        entry *ne = realloc(t->e, (t->n + 1) * sizeof *ne);
        if (!ne) {
            snprintf(err, errcap, "out of memory");
            ok = false;
            break;
        }
        t->e = ne;
        t->e[t->n++] = e;
    }
    fclose(f);
    if (!ok) {
        casesvc_tokens_free(t);
        return NULL;
    }
    return t;
}

void casesvc_tokens_free(casesvc_tokens *t)
{
    if (t) {
        free(t->e);
        free(t);
    }
}

size_t casesvc_tokens_count(const casesvc_tokens *t)
{
    return t ? t->n : 0;
}

const char *casesvc_tokens_check(const casesvc_tokens *t, const char *token, casesvc_role *role)
{
    unsigned char h[HASH_BYTES];
    if (!t || !token || !sha256(token, strlen(token), h))
        return NULL;
    const char *who = NULL;
    casesvc_role r = CASESVC_ROLE_KIOSK;
    /* every entry is compared, whatever matched before */
    for (size_t i = 0; i < t->n; i++)
        if (CRYPTO_memcmp(h, t->e[i].hash, HASH_BYTES) == 0) {
            who = t->e[i].name;
            r = t->e[i].role;
        }
    OPENSSL_cleanse(h, sizeof h);
    if (role)
        *role = r;
    return who;
}

static bool has_name(const char *tokens_path, const char *name)
{
    FILE *f = fopen(tokens_path, "r");
    if (!f)
        return false;
    char line[512], hex[128], n[128];
    bool found = false;
    while (!found && fgets(line, sizeof line, f))
        found = line[0] != '#' && sscanf(line, "%127s %127s", hex, n) == 2 && strcmp(n, name) == 0;
    fclose(f);
    return found;
}

bool casesvc_tokens_issue(const char *tokens_path, const char *name, casesvc_role role,
                          const char *plain_path, bool *created, char *err, size_t errcap)
{
    *created = false;
    if (!name_ok(name)) {
        snprintf(err, errcap, "a name has letters, digits, '-', '_' or '.' only: %s", name);
        return false;
    }
    if (has_name(tokens_path, name) && access(plain_path, F_OK) == 0)
        return true;
    unsigned char raw[32], h[HASH_BYTES];
    char token[2 * sizeof raw + 1], hex[2 * HASH_BYTES + 1];
    if (RAND_bytes(raw, sizeof raw) != 1) {
        snprintf(err, errcap, "no random numbers");
        return false;
    }
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(token + 2 * i, 3, "%02x", raw[i]);
    sha256(token, strlen(token), h);
    for (size_t i = 0; i < HASH_BYTES; i++)
        snprintf(hex + 2 * i, 3, "%02x", h[i]);

    /* the plaintext first (0600, atomically), then the hash: a token never works unseen */
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", plain_path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    bool ok = fd >= 0 && fchmod(fd, 0600) == 0 &&
              write(fd, token, strlen(token)) == (ssize_t)strlen(token) &&
              write(fd, "\n", 1) == 1 && fsync(fd) == 0;
    if (fd >= 0)
        ok = close(fd) == 0 && ok;
    ok = ok && rename(tmp, plain_path) == 0;
    OPENSSL_cleanse(token, sizeof token);
    OPENSSL_cleanse(raw, sizeof raw);
    if (!ok) {
        snprintf(err, errcap, "cannot write %s: %s", plain_path, strerror(errno));
        unlink(tmp);
        return false;
    }
    /* The tokens file rewritten (atomically) with this name's line replaced, not appended to:
     * a rotated token's old hash must stop working. */
    char ttmp[4096];
    snprintf(ttmp, sizeof ttmp, "%s.tmp", tokens_path);
    fd = open(ttmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    ok = fd >= 0 && fchmod(fd, 0600) == 0;
    FILE *in = fopen(tokens_path, "r");
    char line[512];
    while (ok && in && fgets(line, sizeof line, in)) {
        char h2[128], n2[128];
        const char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p != '#' && sscanf(p, "%127s %127s", h2, n2) == 2 && strcmp(n2, name) == 0)
            continue; /* this name's old token */
        size_t len = strlen(line);
        ok = write(fd, line, len) == (ssize_t)len;
        if (ok && len && line[len - 1] != '\n')
            ok = write(fd, "\n", 1) == 1;
    }
    if (in)
        fclose(in);
    int n = snprintf(line, sizeof line, "%s %s %s\n", hex, name,
                     role == CASESVC_ROLE_KIOSK ? "kiosk" : "desk");
    ok = ok && write(fd, line, (size_t)n) == n && fsync(fd) == 0;
    if (fd >= 0)
        ok = close(fd) == 0 && ok;
    ok = ok && rename(ttmp, tokens_path) == 0;
    if (!ok) {
        snprintf(err, errcap, "cannot write %s: %s", tokens_path, strerror(errno));
        unlink(ttmp);
        return false;
    }
    *created = true;
    return true;
}
