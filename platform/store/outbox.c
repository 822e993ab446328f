#include "store/outbox.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NONCE_BYTES 12
#define TAG_BYTES 16
#define UID_BYTES 16
static const char AAD_PREFIX[] = "loket-outbox-1";
static const char KEY_CHECK[] = "loket outbox key check";

struct outbox {
    sqlite3 *db;
    pthread_mutex_t lock;
    unsigned char key[OUTBOX_KEY_BYTES];
    outbox_limits lim;
};

/* ---- the key ---- */

static int hexval(int c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

bool outbox_key_load(const char *path, unsigned char key[OUTBOX_KEY_BYTES], char *err,
                     size_t errcap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        snprintf(err, errcap, "cannot open the outbox key %s: %s", path, strerror(errno));
        return false;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errcap, "the outbox key %s is not a regular file", path);
        close(fd);
        return false;
    }
    if (st.st_mode & 077) {
        snprintf(err, errcap,
                 "the outbox key %s can be read by others (mode %03o); it must be 0600 or 0400",
                 path, (unsigned)(st.st_mode & 0777));
        close(fd);
        return false;
    }
    unsigned char buf[OUTBOX_KEY_BYTES * 2 + 2];
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    bool ok = false;
    if (n == OUTBOX_KEY_BYTES) {
        memcpy(key, buf, OUTBOX_KEY_BYTES);
        ok = true;
    } else if (n == OUTBOX_KEY_BYTES * 2 || (n == OUTBOX_KEY_BYTES * 2 + 1 && buf[64] == '\n')) {
        ok = true;
        for (int i = 0; i < OUTBOX_KEY_BYTES && ok; i++) {
            int hi = hexval(buf[2 * i]), lo = hexval(buf[2 * i + 1]);
            ok = hi >= 0 && lo >= 0;
            key[i] = (unsigned char)(hi << 4 | (lo & 0xF));
        }
    }
    explicit_bzero(buf, sizeof buf);
    if (!ok) {
        explicit_bzero(key, OUTBOX_KEY_BYTES);
        snprintf(err, errcap, "the outbox key %s is not 32 bytes (or 64 hex digits)", path);
    }
    return ok;
}

bool outbox_key_create(const char *path, char *err, size_t errcap)
{
    unsigned char key[OUTBOX_KEY_BYTES];
    if (RAND_bytes(key, sizeof key) != 1) {
        snprintf(err, errcap, "no random numbers for a key");
        return false;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, errcap, "cannot create the outbox key %s: %s", path, strerror(errno));
        explicit_bzero(key, sizeof key);
        return false;
    }
    bool ok = write(fd, key, sizeof key) == (ssize_t)sizeof key && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    explicit_bzero(key, sizeof key);
    if (!ok) {
        snprintf(err, errcap, "cannot write the outbox key %s: %s", path, strerror(errno));
        unlink(path);
    }
    return ok;
}

/* ---- AES-256-GCM ---- */

static void make_aad(const unsigned char *uid, const char *kind, unsigned char *aad, size_t *n)
{
    size_t k = strlen(kind);
    memcpy(aad, AAD_PREFIX, sizeof AAD_PREFIX - 1);
    memcpy(aad + sizeof AAD_PREFIX - 1, uid, UID_BYTES);
    memcpy(aad + sizeof AAD_PREFIX - 1 + UID_BYTES, kind, k);
    *n = sizeof AAD_PREFIX - 1 + UID_BYTES + k;
}

/* out gets ciphertext + tag (n + TAG_BYTES bytes). */
static bool seal(const unsigned char *key, const unsigned char *nonce, const unsigned char *aad,
                 size_t aadn, const unsigned char *in, size_t n, unsigned char *out)
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int len = 0, fin = 0;
    bool ok = c && EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL) == 1 &&
              EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, NONCE_BYTES, NULL) == 1 &&
              EVP_EncryptInit_ex(c, NULL, NULL, key, nonce) == 1 &&
              EVP_EncryptUpdate(c, NULL, &len, aad, (int)aadn) == 1 &&
              EVP_EncryptUpdate(c, out, &len, in, (int)n) == 1 &&
              EVP_EncryptFinal_ex(c, out + len, &fin) == 1 &&
              EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, TAG_BYTES, out + n) == 1;
    EVP_CIPHER_CTX_free(c);
    return ok;
}

static bool open_sealed(const unsigned char *key, const unsigned char *nonce,
                        const unsigned char *aad, size_t aadn, const unsigned char *in, size_t n,
                        unsigned char *out)
{
    if (n < TAG_BYTES)
        return false;
    size_t m = n - TAG_BYTES;
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int len = 0, fin = 0;
    bool ok = c && EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL) == 1 &&
              EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, NONCE_BYTES, NULL) == 1 &&
              EVP_DecryptInit_ex(c, NULL, NULL, key, nonce) == 1 &&
              EVP_DecryptUpdate(c, NULL, &len, aad, (int)aadn) == 1 &&
              EVP_DecryptUpdate(c, out, &len, in, (int)m) == 1 &&
              EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, TAG_BYTES, (void *)(in + m)) == 1 &&
              EVP_DecryptFinal_ex(c, out + len, &fin) == 1;
    EVP_CIPHER_CTX_free(c);
    if (!ok)
        explicit_bzero(out, m);
    return ok;
}

/* ---- the database ---- */

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS meta(k TEXT PRIMARY KEY, v BLOB NOT NULL);"
    "CREATE TABLE IF NOT EXISTS queue("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT, uid BLOB NOT NULL, kind TEXT NOT NULL,"
    "  created INTEGER NOT NULL, next_attempt INTEGER NOT NULL,"
    "  attempts INTEGER NOT NULL DEFAULT 0, first_failure INTEGER, last_error TEXT,"
    "  nonce BLOB NOT NULL, ct BLOB NOT NULL);"
    "CREATE INDEX IF NOT EXISTS queue_due ON queue(next_attempt, id);"
    "CREATE TABLE IF NOT EXISTS dead_letters("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT, uid BLOB NOT NULL, kind TEXT NOT NULL,"
    "  created INTEGER NOT NULL, attempts INTEGER NOT NULL, died INTEGER NOT NULL,"
    "  reason TEXT NOT NULL, nonce BLOB NOT NULL, ct BLOB NOT NULL);";

static bool exec(outbox *ob, const char *sql, char *err, size_t errcap)
{
    char *msg = NULL;
    if (sqlite3_exec(ob->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errcap, "outbox: %s", msg ? msg : sqlite3_errmsg(ob->db));
        sqlite3_free(msg);
        return false;
    }
    return true;
}

/* The key check: a sealed constant in `meta`, so that the wrong key is found at start, not by
 * failing (and dead-lettering) every record. */
static bool check_key(outbox *ob, char *err, size_t errcap)
{
    static const unsigned char uid[UID_BYTES] = {0};
    unsigned char aad[64], ct[sizeof KEY_CHECK - 1 + TAG_BYTES], nonce[NONCE_BYTES] = {0};
    size_t aadn;
    make_aad(uid, "key", aad, &aadn);
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(ob->db, "SELECT v FROM meta WHERE k = 'key_check'", -1, &st, NULL);
    bool ok;
    if (st && sqlite3_step(st) == SQLITE_ROW) {
        const void *v = sqlite3_column_blob(st, 0);
        int n = sqlite3_column_bytes(st, 0);
        unsigned char plain[sizeof KEY_CHECK];
        ok = v && n == NONCE_BYTES + (int)sizeof ct &&
             open_sealed(ob->key, v, aad, aadn, (const unsigned char *)v + NONCE_BYTES, sizeof ct,
                         plain) &&
             memcmp(plain, KEY_CHECK, sizeof KEY_CHECK - 1) == 0;
        if (!ok)
            snprintf(err, errcap,
                     "the outbox key does not open this outbox (another kiosk's key?); "
                     "the queued records are kept");
    } else {
        unsigned char v[NONCE_BYTES + sizeof ct];
        ok = RAND_bytes(nonce, sizeof nonce) == 1 &&
             seal(ob->key, nonce, aad, aadn, (const unsigned char *)KEY_CHECK, sizeof KEY_CHECK - 1,
                  ct);
        memcpy(v, nonce, NONCE_BYTES);
        memcpy(v + NONCE_BYTES, ct, sizeof ct);
        sqlite3_stmt *ins = NULL;
        sqlite3_prepare_v2(ob->db, "INSERT INTO meta(k, v) VALUES('key_check', ?)", -1, &ins, NULL);
        ok = ok && ins && sqlite3_bind_blob(ins, 1, v, sizeof v, SQLITE_STATIC) == SQLITE_OK &&
             sqlite3_step(ins) == SQLITE_DONE;
        sqlite3_finalize(ins);
        if (!ok)
            snprintf(err, errcap, "outbox: cannot write the key check: %s", sqlite3_errmsg(ob->db));
    }
    sqlite3_finalize(st);
    return ok;
}

outbox *outbox_open(const char *path, const unsigned char key[OUTBOX_KEY_BYTES],
                    const outbox_limits *lim, char *err, size_t errcap)
{
    outbox *ob = calloc(1, sizeof *ob);
    if (!ob) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&ob->lock, NULL);
    memcpy(ob->key, key, OUTBOX_KEY_BYTES);
    ob->lim = lim ? *lim : (outbox_limits){0};
    if (ob->lim.max_records <= 0)
        ob->lim.max_records = 5000;
    if (ob->lim.max_bytes <= 0)
        ob->lim.max_bytes = 64 << 20;
    int rc = sqlite3_open_v2(
        path, &ob->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errcap, "cannot open the outbox %s: %s", path,
                 ob->db ? sqlite3_errmsg(ob->db) : sqlite3_errstr(rc));
        outbox_close(ob);
        return NULL;
    }
    chmod(path, 0600); /* encrypted, but nobody else's business */
    sqlite3_busy_timeout(ob->db, 5000);
    char pragmas[256];
    snprintf(pragmas, sizeof pragmas,
             "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON;"
             "PRAGMA foreign_keys=ON; PRAGMA max_page_count=%lld;",
             (long long)(ob->lim.max_bytes / 4096 > 16 ? ob->lim.max_bytes / 4096 : 16));
    if (!exec(ob, "PRAGMA page_size=4096;", err, errcap) || !exec(ob, pragmas, err, errcap) ||
        !exec(ob, SCHEMA, err, errcap) || !check_key(ob, err, errcap)) {
        outbox_close(ob);
        return NULL;
    }
    return ob;
}

void outbox_close(outbox *ob)
{
    if (!ob)
        return;
    if (ob->db)
        sqlite3_close_v2(ob->db);
    explicit_bzero(ob->key, sizeof ob->key);
    pthread_mutex_destroy(&ob->lock);
    free(ob);
}

static int64_t count(outbox *ob, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t n = -1;
    if (sqlite3_prepare_v2(ob->db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

outbox_result outbox_put(outbox *ob, const char *kind, const void *data, size_t n, int64_t *id,
                         char *err, size_t errcap)
{
    if (strlen(kind) >= sizeof((outbox_record *)0)->kind || n > 16u << 20) {
        snprintf(err, errcap, "outbox: record kind or size out of range");
        return OUTBOX_ERROR;
    }
    unsigned char uid[UID_BYTES], nonce[NONCE_BYTES], aad[64];
    size_t aadn;
    unsigned char *ct = malloc(n + TAG_BYTES);
    if (!ct || RAND_bytes(uid, sizeof uid) != 1 || RAND_bytes(nonce, sizeof nonce) != 1) {
        free(ct);
        snprintf(err, errcap, "outbox: out of memory or random numbers");
        return OUTBOX_ERROR;
    }
    make_aad(uid, kind, aad, &aadn);
    if (!seal(ob->key, nonce, aad, aadn, data, n, ct)) {
        free(ct);
        snprintf(err, errcap, "outbox: encryption failed");
        return OUTBOX_ERROR;
    }
    pthread_mutex_lock(&ob->lock);
    outbox_result res = OUTBOX_ERROR;
    int64_t have = count(ob, "SELECT (SELECT count(*) FROM queue) + "
                             "(SELECT count(*) FROM dead_letters)");
    if (have >= ob->lim.max_records) {
        snprintf(err, errcap, "the outbox is full (%lld records)", (long long)have);
        res = OUTBOX_FULL;
    } else {
        sqlite3_stmt *st = NULL;
        int rc = sqlite3_prepare_v2(ob->db,
                                    "INSERT INTO queue(uid, kind, created, next_attempt, nonce, "
                                    "ct) VALUES(?, ?, strftime('%s','now'), 0, ?, ?)",
                                    -1, &st, NULL);
        if (rc == SQLITE_OK) {
            sqlite3_bind_blob(st, 1, uid, sizeof uid, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
            sqlite3_bind_blob(st, 3, nonce, sizeof nonce, SQLITE_STATIC);
            sqlite3_bind_blob64(st, 4, ct, n + TAG_BYTES, SQLITE_STATIC);
            rc = sqlite3_step(st);
        }
        sqlite3_finalize(st);
        if (rc == SQLITE_DONE) {
            /* committed (autocommit, synchronous=FULL): on disk now */
            if (id)
                *id = sqlite3_last_insert_rowid(ob->db);
            res = OUTBOX_OK;
        } else if (rc == SQLITE_FULL) {
            snprintf(err, errcap, "the outbox is full (its size limit or the disk)");
            res = OUTBOX_FULL;
        } else {
            snprintf(err, errcap, "outbox: %s", sqlite3_errmsg(ob->db));
        }
    }
    pthread_mutex_unlock(&ob->lock);
    free(ct); /* ciphertext only */
    return res;
}

void outbox_record_free(outbox_record *rec)
{
    if (rec->data) {
        explicit_bzero(rec->data, rec->n);
        free(rec->data);
    }
    memset(rec, 0, sizeof *rec);
}

static bool move_to_dead(outbox *ob, int64_t id, int64_t now_s, const char *reason)
{
    sqlite3_stmt *st = NULL;
    bool ok = sqlite3_exec(ob->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
    if (ok) {
        ok = sqlite3_prepare_v2(ob->db,
                                "INSERT INTO dead_letters(uid, kind, created, attempts, died, "
                                "reason, nonce, ct) SELECT uid, kind, created, attempts, ?, ?, "
                                "nonce, ct FROM queue WHERE id = ?",
                                -1, &st, NULL) == SQLITE_OK;
        if (ok) {
            sqlite3_bind_int64(st, 1, now_s);
            sqlite3_bind_text(st, 2, reason, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(st, 3, id);
            ok = sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(ob->db) == 1;
        }
        sqlite3_finalize(st);
        st = NULL;
        if (ok) {
            sqlite3_prepare_v2(ob->db, "DELETE FROM queue WHERE id = ?", -1, &st, NULL);
            sqlite3_bind_int64(st, 1, id);
            ok = st && sqlite3_step(st) == SQLITE_DONE;
            sqlite3_finalize(st);
        }
        ok = sqlite3_exec(ob->db, ok ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL) == SQLITE_OK && ok;
    }
    return ok;
}

bool outbox_next_due(outbox *ob, int64_t now_s, outbox_record *rec)
{
    memset(rec, 0, sizeof *rec);
    pthread_mutex_lock(&ob->lock);
    bool found = false;
    for (int tries = 0; tries < 16 && !found; tries++) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(ob->db,
                               "SELECT id, uid, kind, created, attempts, nonce, ct FROM queue "
                               "WHERE next_attempt <= ? ORDER BY next_attempt, id LIMIT 1",
                               -1, &st, NULL) != SQLITE_OK)
            break;
        sqlite3_bind_int64(st, 1, now_s);
        if (sqlite3_step(st) != SQLITE_ROW) {
            sqlite3_finalize(st);
            break;
        }
        int64_t id = sqlite3_column_int64(st, 0);
        const unsigned char *uid = sqlite3_column_blob(st, 1);
        int uidn = sqlite3_column_bytes(st, 1);
        const char *kind = (const char *)sqlite3_column_text(st, 2);
        const unsigned char *nonce = sqlite3_column_blob(st, 5);
        int noncen = sqlite3_column_bytes(st, 5);
        const unsigned char *ct = sqlite3_column_blob(st, 6);
        size_t ctn = (size_t)sqlite3_column_bytes(st, 6);
        bool ok = uid && uidn == UID_BYTES && kind && strlen(kind) < sizeof rec->kind && nonce &&
                  noncen == NONCE_BYTES && ct && ctn >= TAG_BYTES;
        unsigned char *plain = ok ? malloc(ctn - TAG_BYTES + 1) : NULL;
        if (ok && plain) {
            unsigned char aad[64];
            size_t aadn;
            make_aad(uid, kind, aad, &aadn);
            ok = open_sealed(ob->key, nonce, aad, aadn, ct, ctn, plain);
        } else {
            ok = false;
        }
        if (ok) {
            rec->id = id;
            snprintf(rec->kind, sizeof rec->kind, "%s", kind);
            rec->created_s = sqlite3_column_int64(st, 3);
            rec->attempts = sqlite3_column_int(st, 4);
            rec->data = plain;
            rec->n = ctn - TAG_BYTES;
            found = true;
        } else {
            free(plain);
        }
        sqlite3_finalize(st);
        if (!ok) /* damaged: kept for a technician, out of the way of the others */
            move_to_dead(ob, id, now_s, "the record does not decrypt (damaged)");
    }
    pthread_mutex_unlock(&ob->lock);
    return found;
}

static bool run1(outbox *ob, const char *sql, int64_t a, int64_t b, int64_t c, const char *text)
{
    sqlite3_stmt *st = NULL;
    pthread_mutex_lock(&ob->lock);
    bool ok = sqlite3_prepare_v2(ob->db, sql, -1, &st, NULL) == SQLITE_OK;
    if (ok) {
        int params = sqlite3_bind_parameter_count(st);
        sqlite3_bind_int64(st, 1, a);
        if (params >= 2)
            sqlite3_bind_int64(st, 2, b);
        if (params >= 3)
            sqlite3_bind_int64(st, 3, c);
        if (params >= 4)
            sqlite3_bind_text(st, 4, text, -1, SQLITE_TRANSIENT);
        ok = sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(ob->db) == 1;
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&ob->lock);
    return ok;
}

bool outbox_delivered(outbox *ob, int64_t id)
{
    return run1(ob, "DELETE FROM queue WHERE id = ?", id, 0, 0, NULL);
}

bool outbox_withdraw(outbox *ob, int64_t id)
{
    return outbox_delivered(ob, id);
}

bool outbox_retry_later(outbox *ob, int64_t id, int64_t now_s, int64_t next_s, const char *reason)
{
    return run1(ob,
                "UPDATE queue SET next_attempt = ?2, first_failure = coalesce(first_failure, ?3), "
                "last_error = ?4 WHERE id = ?1",
                id, next_s, now_s, reason ? reason : "");
}

bool outbox_begin_attempt(outbox *ob, int64_t id)
{
    return run1(ob, "UPDATE queue SET attempts = attempts + 1 WHERE id = ?", id, 0, 0, NULL);
}

bool outbox_dead_letter(outbox *ob, int64_t id, int64_t now_s, const char *reason)
{
    pthread_mutex_lock(&ob->lock);
    bool ok = move_to_dead(ob, id, now_s, reason ? reason : "");
    pthread_mutex_unlock(&ob->lock);
    return ok;
}

bool outbox_resend(outbox *ob, int64_t dead_id)
{
    pthread_mutex_lock(&ob->lock);
    bool ok = sqlite3_exec(ob->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
    if (ok) {
        sqlite3_stmt *st = NULL;
        ok = sqlite3_prepare_v2(ob->db,
                                "INSERT INTO queue(uid, kind, created, next_attempt, attempts, "
                                "nonce, ct) SELECT uid, kind, created, 0, 0, nonce, ct FROM "
                                "dead_letters WHERE id = ?",
                                -1, &st, NULL) == SQLITE_OK;
        if (ok) {
            sqlite3_bind_int64(st, 1, dead_id);
            ok = sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(ob->db) == 1;
        }
        sqlite3_finalize(st);
        st = NULL;
        if (ok) {
            sqlite3_prepare_v2(ob->db, "DELETE FROM dead_letters WHERE id = ?", -1, &st, NULL);
            sqlite3_bind_int64(st, 1, dead_id);
            ok = st && sqlite3_step(st) == SQLITE_DONE;
            sqlite3_finalize(st);
        }
        ok = sqlite3_exec(ob->db, ok ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL) == SQLITE_OK && ok;
    }
    pthread_mutex_unlock(&ob->lock);
    return ok;
}

void outbox_list_dead(outbox *ob, outbox_dead_fn fn, void *ctx)
{
    pthread_mutex_lock(&ob->lock);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(ob->db,
                           "SELECT id, created, died, attempts, reason FROM dead_letters "
                           "ORDER BY id",
                           -1, &st, NULL) == SQLITE_OK)
        while (sqlite3_step(st) == SQLITE_ROW)
            fn(ctx, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
               sqlite3_column_int64(st, 2), sqlite3_column_int(st, 3),
               (const char *)sqlite3_column_text(st, 4));
    sqlite3_finalize(st);
    pthread_mutex_unlock(&ob->lock);
}

bool outbox_read_dead(outbox *ob, int64_t dead_id, outbox_record *rec)
{
    memset(rec, 0, sizeof *rec);
    pthread_mutex_lock(&ob->lock);
    sqlite3_stmt *st = NULL;
    bool ok = false;
    if (sqlite3_prepare_v2(ob->db,
                           "SELECT uid, kind, created, attempts, nonce, ct FROM dead_letters "
                           "WHERE id = ?",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, dead_id);
        if (sqlite3_step(st) == SQLITE_ROW) {
            const unsigned char *uid = sqlite3_column_blob(st, 0);
            const char *kind = (const char *)sqlite3_column_text(st, 1);
            const unsigned char *nonce = sqlite3_column_blob(st, 4);
            const unsigned char *ct = sqlite3_column_blob(st, 5);
            size_t ctn = (size_t)sqlite3_column_bytes(st, 5);
            if (uid && sqlite3_column_bytes(st, 0) == UID_BYTES && kind &&
                strlen(kind) < sizeof rec->kind && nonce &&
                sqlite3_column_bytes(st, 4) == NONCE_BYTES && ct && ctn >= TAG_BYTES) {
                unsigned char aad[64];
                size_t aadn;
                make_aad(uid, kind, aad, &aadn);
                unsigned char *plain = malloc(ctn - TAG_BYTES + 1);
                if (plain && open_sealed(ob->key, nonce, aad, aadn, ct, ctn, plain)) {
                    rec->id = dead_id;
                    snprintf(rec->kind, sizeof rec->kind, "%s", kind);
                    rec->created_s = sqlite3_column_int64(st, 2);
                    rec->attempts = sqlite3_column_int(st, 3);
                    rec->data = plain;
                    rec->n = ctn - TAG_BYTES;
                    ok = true;
                } else {
                    free(plain);
                }
            }
        }
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&ob->lock);
    return ok;
}

bool outbox_get_stats(outbox *ob, outbox_stats *s)
{
    memset(s, 0, sizeof *s);
    pthread_mutex_lock(&ob->lock);
    s->queued = (int)count(ob, "SELECT count(*) FROM queue");
    s->dead = (int)count(ob, "SELECT count(*) FROM dead_letters");
    s->oldest_queued_s = count(ob, "SELECT coalesce(min(created), 0) FROM queue");
    s->failing_since_s = count(ob, "SELECT coalesce(min(first_failure), 0) FROM queue");
    s->max_attempts = (int)count(ob, "SELECT coalesce(max(attempts), 0) FROM queue");
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(ob->db,
                           "SELECT last_error FROM queue WHERE last_error IS NOT NULL "
                           "ORDER BY first_failure LIMIT 1",
                           -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(s->last_error, sizeof s->last_error, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    pthread_mutex_unlock(&ob->lock);
    return s->queued >= 0 && s->dead >= 0;
}
