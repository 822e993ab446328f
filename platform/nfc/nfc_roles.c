#include "nfc/nfc_roles.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    card_role role;
    uint8_t hash[32];
} entry;

struct card_roles {
    uint8_t salt[CARD_ROLES_SALT_BYTES];
    int n;
    entry e[CARD_ROLES_MAX];
};

const char *card_role_name(card_role role)
{
    return role == CARD_ROLE_STAFF ? "staff" : role == CARD_ROLE_TECHNICIAN ? "technician" : "none";
}

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Exactly n bytes of hex, nothing more. */
static bool parse_hex(const char *s, uint8_t *out, size_t n)
{
    if (strlen(s) != 2 * n)
        return false;
    for (size_t i = 0; i < n; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

static void sha256(const uint8_t *salt, const uint8_t *uid, size_t uid_len, uint8_t out[32])
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    unsigned len = 0;
    if (!c || !EVP_DigestInit_ex(c, EVP_sha256(), NULL) ||
        !EVP_DigestUpdate(c, salt, CARD_ROLES_SALT_BYTES) || !EVP_DigestUpdate(c, uid, uid_len) ||
        !EVP_DigestFinal_ex(c, out, &len))
        memset(out, 0, 32); /* matches no entry: a zero hash is refused when loading */
    EVP_MD_CTX_free(c);
}

card_roles *card_roles_load(const char *path, char *err, size_t errcap)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errcap, "%s: cannot read the card list", path);
        return NULL;
    }
    card_roles *r = calloc(1, sizeof *r);
    if (!r) {
        fclose(f);
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    char line[512];
    int no = 0;
    bool salt = false, ok = true;
    static const uint8_t zero[32];
    while (ok && fgets(line, sizeof line, f)) {
        no++;
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#' || *p == '\n' || *p == '\r' || !*p)
            continue;
        char word[16], hex[128];
        char extra;
        int got = sscanf(p, "%15s %127s %c", word, hex, &extra);
        if (got != 2) {
            snprintf(err, errcap, "%s:%d: expected 'salt <hex>' or '<role> <hex>'", path, no);
            ok = false;
        } else if (!strcmp(word, "salt")) {
            if (salt || !parse_hex(hex, r->salt, sizeof r->salt)) {
                snprintf(err, errcap, "%s:%d: the salt is %s", path, no,
                         salt ? "given twice" : "not 64 hex digits");
                ok = false;
            }
            salt = true;
        } else {
            card_role role = !strcmp(word, "staff")        ? CARD_ROLE_STAFF
                             : !strcmp(word, "technician") ? CARD_ROLE_TECHNICIAN
                                                           : CARD_ROLE_NONE;
            if (role == CARD_ROLE_NONE) {
                snprintf(err, errcap, "%s:%d: unknown role '%s' (staff, technician)", path, no,
                         word);
                ok = false;
            } else if (r->n >= CARD_ROLES_MAX) {
                snprintf(err, errcap, "%s:%d: more than %d cards", path, no, CARD_ROLES_MAX);
                ok = false;
            } else if (!parse_hex(hex, r->e[r->n].hash, 32) || !memcmp(r->e[r->n].hash, zero, 32)) {
                snprintf(err, errcap, "%s:%d: a card's hash is 64 hex digits", path, no);
                ok = false;
            } else {
                r->e[r->n++].role = role;
            }
        }
        OPENSSL_cleanse(line, sizeof line);
    }
    fclose(f);
    if (ok && !salt) {
        snprintf(err, errcap, "%s: no 'salt' line", path);
        ok = false;
    }
    if (!ok) {
        card_roles_free(r);
        return NULL;
    }
    return r;
}

void card_roles_free(card_roles *r)
{
    if (r) {
        OPENSSL_cleanse(r, sizeof *r);
        free(r);
    }
}

card_role card_roles_lookup(const card_roles *r, const uint8_t *uid, size_t uid_len)
{
    if (!r || !uid || !uid_len)
        return CARD_ROLE_NONE;
    uint8_t h[32];
    sha256(r->salt, uid, uid_len, h);
    card_role found = CARD_ROLE_NONE;
    for (int i = 0; i < r->n; i++) /* every entry, so the time says nothing about the list */
        if (CRYPTO_memcmp(h, r->e[i].hash, 32) == 0 && found == CARD_ROLE_NONE)
            found = r->e[i].role;
    OPENSSL_cleanse(h, sizeof h);
    return found;
}

void card_roles_hash(const card_roles *r, const uint8_t *uid, size_t uid_len, char hex[65])
{
    uint8_t h[32];
    sha256(r->salt, uid, uid_len, h);
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", h[i]);
    OPENSSL_cleanse(h, sizeof h);
}
