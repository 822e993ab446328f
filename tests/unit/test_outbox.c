/* The outbox: durable, encrypted, bounded, nothing lost. Includes a crash test: a child process
 * putting records is killed (SIGKILL) at random moments 200 times; every record it was told was
 * stored must be there, exactly once. */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store/outbox.h"

typedef struct {
    char dir[64], db[128], key_path[128];
    unsigned char key[OUTBOX_KEY_BYTES];
} fixture;

static void setup_dir(fixture *f)
{
    snprintf(f->dir, sizeof f->dir, "/tmp/loket-outbox-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->db, sizeof f->db, "%s/outbox.db", f->dir);
    snprintf(f->key_path, sizeof f->key_path, "%s/outbox.key", f->dir);
    char err[256];
    assert_true(outbox_key_create(f->key_path, err, sizeof err));
    assert_true(outbox_key_load(f->key_path, f->key, err, sizeof err));
}

static void remove_dir(fixture *f)
{
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
}

static outbox *open_ob(fixture *f, const outbox_limits *lim)
{
    char err[256];
    outbox *ob = outbox_open(f->db, f->key, lim, err, sizeof err);
    if (!ob)
        fprintf(stderr, "%s\n", err);
    assert_non_null(ob);
    return ob;
}

static void put(outbox *ob, const char *s, int64_t *id)
{
    char err[256];
    assert_int_equal(outbox_put(ob, "intake", s, strlen(s), id, err, sizeof err), OUTBOX_OK);
}

static void records_come_back_in_order_and_go_when_delivered(void **state)
{
    (void)state;
    fixture f;
    setup_dir(&f);
    outbox *ob = open_ob(&f, NULL);
    int64_t a, b;
    put(ob, "first", &a);
    put(ob, "second", &b);
    outbox_record r;
    assert_true(outbox_next_due(ob, 1000, &r));
    assert_int_equal(r.id, a);
    assert_string_equal(r.kind, "intake");
    assert_int_equal(r.n, 5);
    assert_memory_equal(r.data, "first", 5);
    outbox_record_free(&r);
    /* not delivered yet: the same one again; failing: the next one first */
    assert_true(outbox_begin_attempt(ob, a));
    assert_true(outbox_retry_later(ob, a, 1000, 1060, "HTTP 503"));
    assert_true(outbox_next_due(ob, 1000, &r));
    assert_int_equal(r.id, b);
    outbox_record_free(&r);
    assert_true(outbox_delivered(ob, b));
    assert_false(outbox_next_due(ob, 1000, &r)); /* a waits until 1060 */
    outbox_stats st;
    assert_true(outbox_get_stats(ob, &st));
    assert_int_equal(st.queued, 1);
    assert_int_equal(st.failing_since_s, 1000);
    assert_int_equal(st.max_attempts, 1);
    assert_string_equal(st.last_error, "HTTP 503");
    assert_true(outbox_next_due(ob, 1060, &r));
    assert_int_equal(r.id, a);
    assert_int_equal(r.attempts, 1);
    outbox_record_free(&r);
    /* survives closing and opening */
    outbox_close(ob);
    ob = open_ob(&f, NULL);
    assert_true(outbox_next_due(ob, 2000, &r));
    assert_int_equal(r.id, a);
    outbox_record_free(&r);
    assert_false(outbox_delivered(ob, 999)); /* no such record */
    /* taken back while it waits (a cancelled hand-off): gone, and only once */
    assert_true(outbox_withdraw(ob, a));
    assert_false(outbox_next_due(ob, 5000, &r));
    assert_false(outbox_withdraw(ob, a));
    outbox_close(ob);
    remove_dir(&f);
}

static bool file_has(const char *path, const char *needle)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return false;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    size_t got = fread(b, 1, (size_t)n, fp);
    fclose(fp);
    bool found = false;
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= got && !found; i++)
        found = memcmp(b + i, needle, k) == 0;
    free(b);
    return found;
}

/* The raw files on disk never hold a citizen's name or answer. */
static void nothing_readable_on_disk(void **state)
{
    (void)state;
    fixture f;
    setup_dir(&f);
    outbox *ob = open_ob(&f, NULL);
    static const char *const personal[] = {"Gerard Jansen", "123456782", "schulden bij de huur",
                                           "0612345678"};
    char rec[512];
    snprintf(rec, sizeof rec, "{\"naam\":\"%s\",\"bsn\":\"%s\",\"antwoord\":\"%s\",\"tel\":\"%s\"}",
             personal[0], personal[1], personal[2], personal[3]);
    int64_t id, id2;
    put(ob, rec, &id);
    put(ob, rec, &id2);
    assert_true(outbox_delivered(ob, id)); /* one delivered (overwritten), one queued */
    char wal[160];
    snprintf(wal, sizeof wal, "%s-wal", f.db);
    for (int i = 0; i < 4; i++) {
        assert_false(file_has(f.db, personal[i]));
        assert_false(file_has(wal, personal[i]));
    }
    /* the check itself works: the plain text would be found */
    assert_true(file_has(f.db, "intake") || file_has(wal, "intake"));
    outbox_close(ob);
    for (int i = 0; i < 4; i++) {
        assert_false(file_has(f.db, personal[i]));
        assert_false(file_has(wal, personal[i]));
    }
    struct stat st;
    assert_int_equal(stat(f.db, &st), 0);
    assert_int_equal(st.st_mode & 077, 0);
    remove_dir(&f);
}

static void keys_are_checked(void **state)
{
    (void)state;
    fixture f;
    setup_dir(&f);
    outbox *ob = open_ob(&f, NULL);
    int64_t id;
    put(ob, "kept", &id);
    outbox_close(ob);
    char err[256];
    /* another key: refused at the door, the records kept */
    unsigned char other[OUTBOX_KEY_BYTES];
    memcpy(other, f.key, sizeof other);
    other[0] ^= 1;
    assert_null(outbox_open(f.db, other, NULL, err, sizeof err));
    assert_non_null(strstr(err, "does not open this outbox"));
    ob = open_ob(&f, NULL);
    outbox_record r;
    assert_true(outbox_next_due(ob, 0, &r));
    assert_memory_equal(r.data, "kept", 4);
    outbox_record_free(&r);
    outbox_close(ob);
    /* key files: readable by others, wrong size, hex */
    unsigned char k[OUTBOX_KEY_BYTES];
    chmod(f.key_path, 0644);
    assert_false(outbox_key_load(f.key_path, k, err, sizeof err));
    assert_non_null(strstr(err, "can be read by others"));
    chmod(f.key_path, 0400);
    assert_true(outbox_key_load(f.key_path, k, err, sizeof err));
    assert_false(outbox_key_create(f.key_path, err, sizeof err)); /* never overwritten */
    char path[160];
    snprintf(path, sizeof path, "%s/hex.key", f.dir);
    FILE *fp = fopen(path, "w");
    for (int i = 0; i < OUTBOX_KEY_BYTES; i++)
        fprintf(fp, "%02x", f.key[i]);
    fprintf(fp, "\n");
    fclose(fp);
    chmod(path, 0600);
    assert_true(outbox_key_load(path, k, err, sizeof err));
    assert_memory_equal(k, f.key, sizeof k);
    fp = fopen(path, "w");
    fprintf(fp, "short");
    fclose(fp);
    assert_false(outbox_key_load(path, k, err, sizeof err));
    assert_non_null(strstr(err, "not 32 bytes"));
    assert_false(outbox_key_load("/nonexistent/outbox.key", k, err, sizeof err));
    remove_dir(&f);
}

static void bounded_and_nothing_queued_is_lost(void **state)
{
    (void)state;
    fixture f;
    setup_dir(&f);
    outbox_limits lim = {.max_records = 3};
    outbox *ob = open_ob(&f, &lim);
    char err[256];
    int64_t id;
    put(ob, "one", &id);
    put(ob, "two", &id);
    put(ob, "three", &id);
    assert_int_equal(outbox_put(ob, "intake", "four", 4, &id, err, sizeof err), OUTBOX_FULL);
    assert_non_null(strstr(err, "full"));
    outbox_stats st;
    outbox_get_stats(ob, &st);
    assert_int_equal(st.queued, 3);
    outbox_close(ob);
    remove_dir(&f);

    /* the size limit (and a full disk, which SQLite reports the same way) */
    setup_dir(&f);
    lim = (outbox_limits){.max_bytes = 256 * 1024};
    ob = open_ob(&f, &lim);
    size_t big = 40 * 1024;
    char *blob = malloc(big);
    memset(blob, 'x', big);
    int stored = 0;
    outbox_result res;
    while ((res = outbox_put(ob, "intake", blob, big, &id, err, sizeof err)) == OUTBOX_OK)
        stored++;
    assert_int_equal(res, OUTBOX_FULL);
    assert_true(stored >= 2);
    outbox_get_stats(ob, &st);
    assert_int_equal(st.queued, stored);
    outbox_record r;
    int drained = 0;
    while (outbox_next_due(ob, 0, &r)) {
        assert_int_equal(r.n, big);
        assert_true(outbox_delivered(ob, r.id));
        outbox_record_free(&r);
        drained++;
    }
    assert_int_equal(drained, stored);
    /* room again */
    assert_int_equal(outbox_put(ob, "intake", blob, big, &id, err, sizeof err), OUTBOX_OK);
    free(blob);
    outbox_close(ob);
    remove_dir(&f);
}

static void count_dead(void *ctx, int64_t id, int64_t created_s, int64_t died_s, int attempts,
                       const char *reason)
{
    (void)id;
    (void)created_s;
    (void)died_s;
    (void)attempts;
    assert_non_null(reason);
    (*(int *)ctx)++;
}

static void damaged_records_and_dead_letters(void **state)
{
    (void)state;
    fixture f;
    setup_dir(&f);
    outbox *ob = open_ob(&f, NULL);
    int64_t a, b;
    put(ob, "will be damaged", &a);
    put(ob, "fine", &b);
    outbox_close(ob);
    /* flip a byte of the first record's ciphertext behind the outbox's back */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f.db, &db), SQLITE_OK);
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE queue SET ct = randomblob(length(ct)) WHERE id = %lld",
             (long long)a);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    ob = open_ob(&f, NULL);
    outbox_record r;
    assert_true(outbox_next_due(ob, 0, &r)); /* the damaged one is put aside */
    assert_int_equal(r.id, b);
    assert_memory_equal(r.data, "fine", 4);
    outbox_record_free(&r);
    outbox_stats st;
    outbox_get_stats(ob, &st);
    assert_int_equal(st.dead, 1);
    assert_int_equal(st.queued, 1);
    /* a record the service will never accept: a dead letter, and a technician re-sends it */
    assert_true(outbox_dead_letter(ob, b, 500, "HTTP 400: referentienummer: too long"));
    outbox_get_stats(ob, &st);
    assert_int_equal(st.dead, 2);
    assert_int_equal(st.queued, 0);
    assert_false(outbox_next_due(ob, 1000, &r));
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_open(f.db, &db), SQLITE_OK);
    sqlite3_prepare_v2(db, "SELECT id, reason FROM dead_letters ORDER BY id", -1, &q, NULL);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_non_null(strstr((const char *)sqlite3_column_text(q, 1), "does not decrypt"));
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    int64_t dead_b = sqlite3_column_int64(q, 0);
    assert_string_equal((const char *)sqlite3_column_text(q, 1),
                        "HTTP 400: referentienummer: too long");
    sqlite3_finalize(q);
    sqlite3_close(db);
    /* the technician sees the reasons, and can read the letter */
    int listed = 0;
    outbox_list_dead(ob, count_dead, &listed);
    assert_int_equal(listed, 2);
    assert_true(outbox_read_dead(ob, dead_b, &r));
    assert_memory_equal(r.data, "fine", 4);
    outbox_record_free(&r);
    assert_false(outbox_read_dead(ob, 12345, &r));
    assert_true(outbox_resend(ob, dead_b));
    assert_true(outbox_next_due(ob, 0, &r));
    assert_memory_equal(r.data, "fine", 4);
    assert_int_equal(r.attempts, 0);
    outbox_record_free(&r);
    assert_false(outbox_resend(ob, dead_b)); /* once */
    outbox_close(ob);
    remove_dir(&f);
}

/* ---- crash test ---- */

static void child_put_forever(fixture *f, int fd, int start)
{
    char err[256];
    outbox_limits lim = {.max_records = 1 << 20, .max_bytes = 512 << 20};
    outbox *ob = outbox_open(f->db, f->key, &lim, err, sizeof err);
    if (!ob) {
        fprintf(stderr, "child: %s\n", err);
        _exit(3);
    }
    for (int i = start;; i++) {
        char rec[64];
        int n = snprintf(rec, sizeof rec, "intake %d", i);
        int64_t id;
        if (outbox_put(ob, "intake", rec, (size_t)n, &id, err, sizeof err) != OUTBOX_OK) {
            fprintf(stderr, "child: %s\n", err);
            _exit(4);
        }
        /* told "stored" only now, as the screen would be */
        char line[32];
        int m = snprintf(line, sizeof line, "%d\n", i);
        if (write(fd, line, (size_t)m) != m)
            _exit(5);
    }
}

static void killed_at_random_nothing_lost_nothing_doubled(void **state)
{
    (void)state;
    fixture f;
    setup_dir(&f);
    int rounds = getenv("LOKET_CRASH_ROUNDS") ? atoi(getenv("LOKET_CRASH_ROUNDS")) : 200;
    int next = 0, acked_total = 0;
    int max = 1 << 20;
    char *acked = calloc((size_t)max, 1);
    srand((unsigned)time(NULL));
    for (int round = 0; round < rounds; round++) {
        int p[2];
        assert_int_equal(pipe(p), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(p[0]);
            child_put_forever(&f, p[1], next);
        }
        close(p[1]);
        usleep((useconds_t)(rand() % 20000)); /* during open, a put or a commit */
        kill(pid, SIGKILL);
        int st;
        waitpid(pid, &st, 0);
        if (!WIFSIGNALED(st))
            fprintf(stderr, "round %d: the child exited %d before it was killed\n", round,
                    WIFEXITED(st) ? WEXITSTATUS(st) : -1);
        assert_true(WIFSIGNALED(st));
        FILE *in = fdopen(p[0], "r");
        int v;
        while (fscanf(in, "%d", &v) == 1) {
            assert_true(v >= 0 && v < max);
            acked[v] = 1;
            acked_total++;
            if (v >= next)
                next = v + 1;
        }
        fclose(in);
        next += 1; /* a number perhaps stored but not acknowledged is never reused */
        if (next >= max - 1000)
            break;
    }
    /* every acknowledged record is there, exactly once */
    outbox *ob = open_ob(&f, NULL);
    char *seen = calloc((size_t)max, 1);
    outbox_record r;
    int n = 0;
    while (outbox_next_due(ob, INT64_MAX / 2, &r)) {
        int v = -1;
        char buf[64];
        snprintf(buf, sizeof buf, "%.*s", (int)r.n, (const char *)r.data);
        assert_int_equal(sscanf(buf, "intake %d", &v), 1);
        assert_true(v >= 0 && v < max);
        assert_int_equal(seen[v], 0); /* never twice */
        seen[v] = 1;
        assert_true(outbox_delivered(ob, r.id));
        outbox_record_free(&r);
        n++;
    }
    int lost = 0;
    for (int i = 0; i < max; i++)
        if (acked[i] && !seen[i])
            lost++;
    fprintf(stderr, "%d kills, %d acknowledged records, %d in the outbox, %d lost\n", rounds,
            acked_total, n, lost);
    assert_int_equal(lost, 0);
    assert_true(acked_total > 0);
    outbox_stats st;
    outbox_get_stats(ob, &st);
    assert_int_equal(st.dead, 0); /* no torn record */
    outbox_close(ob);
    free(acked);
    free(seen);
    remove_dir(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(records_come_back_in_order_and_go_when_delivered),
        cmocka_unit_test(nothing_readable_on_disk),
        cmocka_unit_test(keys_are_checked),
        cmocka_unit_test(bounded_and_nothing_queued_is_lost),
        cmocka_unit_test(damaged_records_and_dead_letters),
        cmocka_unit_test(killed_at_random_nothing_lost_nothing_doubled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
