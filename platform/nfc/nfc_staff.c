#include "nfc/nfc_staff.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define ROUNDS 100000
#define SALT_BYTES 16
#define HASH_BYTES 32
#define MAX_BADGES 1000

typedef struct {
    char badge[65];
    unsigned char salt[SALT_BYTES], hash[HASH_BYTES];
    int wrong;
} entry;

struct staff_pins {
    char path[1024];
    int n;
    entry e[MAX_BADGES];
};

static bool is_hex(const char *s, size_t n)
{
    if (strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

static void from_hex(const char *s, unsigned char *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned v = 0;
        sscanf(s + 2 * i, "%2x", &v);
        out[i] = (unsigned char)v;
    }
}

static void to_hex(const unsigned char *b, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
}

/* (Re)reads the file into p (a missing file is an empty list). */
static bool load(staff_pins *p, char *err, size_t errcap)
{
    OPENSSL_cleanse(p->e, sizeof p->e);
    p->n = 0;
    const char *path = p->path;
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT)
            return true; /* no PINs yet: no badge gets in */
        snprintf(err, errcap, "%s: %s", path, strerror(errno));
        return false;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077)) {
        snprintf(err, errcap, "%s: must be readable by its owner only (chmod 600)", path);
        fclose(f);
        return false;
    }
    char line[512];
    int ln = 0;
    bool ok = true;
    while (ok && fgets(line, sizeof line, f)) {
        ln++;
        char badge[80], salt[80], hash[80];
        int wrong;
        char extra;
        if (line[0] == '#' || line[strspn(line, " \t\r\n")] == '\0')
            continue;
        if (sscanf(line, "%79s %79s %79s %d %c", badge, salt, hash, &wrong, &extra) != 4 ||
            !is_hex(badge, 64) || !is_hex(salt, 2 * SALT_BYTES) || !is_hex(hash, 2 * HASH_BYTES) ||
            wrong < 0 || wrong > STAFF_PIN_TRIES) {
            snprintf(err, errcap, "%s:%d: not \"<badge> <salt> <hash> <wrong tries>\"", path, ln);
            ok = false;
        } else if (p->n >= MAX_BADGES) {
            snprintf(err, errcap, "%s:%d: more than %d badges", path, ln, MAX_BADGES);
            ok = false;
        } else {
            entry *e = &p->e[p->n++];
            memcpy(e->badge, badge, 65);
            from_hex(salt, e->salt, SALT_BYTES);
            from_hex(hash, e->hash, HASH_BYTES);
            e->wrong = wrong;
        }
    }
    OPENSSL_cleanse(line, sizeof line);
    fclose(f);
    return ok;
}

/* The file may be changed by another process (a technician's `loket --staff-pin` while the
 * kiosk runs): every check and change holds an exclusive lock on "<file>.lock" and reads the
 * file again first, so nobody works on an old copy or writes one back. -1: no lock. */
static int lock_file(const staff_pins *p, char *err, size_t errcap)
{
    char path[1100];
    snprintf(path, sizeof path, "%s.lock", p->path);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0 || flock(fd, LOCK_EX) != 0) {
        snprintf(err, errcap, "%s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

static void unlock_file(int fd)
{
    if (fd >= 0) {
        flock(fd, LOCK_UN);
        close(fd);
    }
}

staff_pins *staff_pins_open(const char *path, char *err, size_t errcap)
{
    staff_pins *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    snprintf(p->path, sizeof p->path, "%s", path);
    if (!load(p, err, errcap)) {
        staff_pins_free(p);
        return NULL;
    }
    return p;
}

void staff_pins_free(staff_pins *p)
{
    if (!p)
        return;
    OPENSSL_cleanse(p, sizeof *p);
    free(p);
}

/* Writes the whole file anew: temporary file, fsync, rename, fsync of the folder. */
static bool save(staff_pins *p, char *err, size_t errcap)
{
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.tmp", p->path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        snprintf(err, errcap, "%s: %s", tmp, strerror(errno));
        if (fd >= 0)
            close(fd);
        return false;
    }
    fprintf(f, "# staff badge PINs (loket --staff-pin); badge salt PBKDF2-SHA256 wrong-tries\n");
    for (int i = 0; i < p->n; i++) {
        char salt[2 * SALT_BYTES + 1], hash[2 * HASH_BYTES + 1];
        to_hex(p->e[i].salt, SALT_BYTES, salt);
        to_hex(p->e[i].hash, HASH_BYTES, hash);
        fprintf(f, "%s %s %s %d\n", p->e[i].badge, salt, hash, p->e[i].wrong);
    }
    bool ok = fflush(f) == 0 && fsync(fileno(f)) == 0;
    ok = fclose(f) == 0 && ok;
    if (ok && rename(tmp, p->path) != 0)
        ok = false;
    if (!ok) {
        snprintf(err, errcap, "%s: %s", p->path, strerror(errno));
        unlink(tmp);
        return false;
    }
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", p->path);
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = '\0';
        int dfd = open(dir[0] ? dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
    }
    return true;
}

static bool derive(const char *pin, const unsigned char salt[SALT_BYTES],
                   unsigned char out[HASH_BYTES])
{
    return PKCS5_PBKDF2_HMAC(pin, (int)strlen(pin), salt, SALT_BYTES, ROUNDS, EVP_sha256(),
                             HASH_BYTES, out) == 1;
}

static entry *find(staff_pins *p, const char *badge)
{
    for (int i = 0; i < p->n; i++)
        if (CRYPTO_memcmp(p->e[i].badge, badge, 64) == 0)
            return &p->e[i];
    return NULL;
}

staff_pin_result staff_pins_check(staff_pins *p, const char *badge, const char *pin,
                                  int *tries_left)
{
    *tries_left = 0;
    char err[256];
    int lk = lock_file(p, err, sizeof err);
    /* no lock, or a file that cannot be read: nobody is let in (and nothing is counted) */
    if (lk < 0 || !load(p, err, sizeof err)) {
        unlock_file(lk);
        return STAFF_PIN_LOCKED;
    }
    entry *e = badge && is_hex(badge, 64) ? find(p, badge) : NULL;
    staff_pin_result res;
    if (!e) {
        res = STAFF_PIN_NO_PIN;
    } else if (e->wrong >= STAFF_PIN_TRIES) {
        res = STAFF_PIN_LOCKED;
    } else {
        unsigned char h[HASH_BYTES];
        bool ok = derive(pin, e->salt, h) && CRYPTO_memcmp(h, e->hash, HASH_BYTES) == 0;
        OPENSSL_cleanse(h, sizeof h);
        if (ok) {
            if (e->wrong) {
                e->wrong = 0;
                save(p, err, sizeof err);
            }
            res = STAFF_PIN_OK;
        } else {
            e->wrong++;
            /* counted on disk before answering: a restart gives no extra tries. A file that
             * cannot be written locks the badge rather than allowing unlimited guesses. */
            if (!save(p, err, sizeof err))
                e->wrong = STAFF_PIN_TRIES;
            *tries_left = STAFF_PIN_TRIES - e->wrong;
            res = e->wrong >= STAFF_PIN_TRIES ? STAFF_PIN_LOCKED : STAFF_PIN_WRONG;
        }
    }
    unlock_file(lk);
    return res;
}

static bool set_locked(staff_pins *p, const char *badge, const char *pin, char *err, size_t errcap);

bool staff_pins_set(staff_pins *p, const char *badge, const char *pin, char *err, size_t errcap)
{
    size_t n = pin ? strlen(pin) : 0;
    if (n < 4 || n > 8 || strspn(pin, "0123456789") != n) {
        snprintf(err, errcap, "a PIN is 4 to 8 digits");
        return false;
    }
    if (!badge || !is_hex(badge, 64)) {
        snprintf(err, errcap, "not a badge hash (64 hex digits)");
        return false;
    }
    int lk = lock_file(p, err, errcap);
    if (lk < 0)
        return false;
    bool ok = load(p, err, errcap) && set_locked(p, badge, pin, err, errcap);
    unlock_file(lk);
    return ok;
}

/* staff_pins_set's change, with the lock held and the file just read. */
static bool set_locked(staff_pins *p, const char *badge, const char *pin, char *err, size_t errcap)
{
    entry *e = find(p, badge);
    if (!e) {
        if (p->n >= MAX_BADGES) {
            snprintf(err, errcap, "more than %d badges", MAX_BADGES);
            return false;
        }
        e = &p->e[p->n++];
        memcpy(e->badge, badge, 65);
    }
    if (RAND_bytes(e->salt, SALT_BYTES) != 1 || !derive(pin, e->salt, e->hash)) {
        snprintf(err, errcap, "no random numbers or no PBKDF2 (OpenSSL)");
        return false;
    }
    e->wrong = 0;
    return save(p, err, errcap);
}
