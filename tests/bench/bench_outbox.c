/* Outbox benchmark (not a timed test: it prints figures; machines are noisy).
 *
 *   bench_outbox DIR [RECORDS]
 *
 * In DIR (use a folder on the kiosk's real disk: on tmpfs an fsync costs nothing), puts RECORDS
 * intake-sized records (4 KiB) one by one, each committed durably (WAL, synchronous=FULL), and
 * prints the commit latency (p50, p99, max); then takes them out again (decrypt, delete with
 * secure_delete) and prints that rate. Delivery over the network comes on top of the latter. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#include "store/outbox.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_outbox DIR [RECORDS]\n");
        return 2;
    }
    int n = argc > 2 ? atoi(argv[2]) : 500;
    if (n < 1)
        n = 1;
    char db[1100], key_path[1100], err[256];
    snprintf(db, sizeof db, "%s/bench-outbox.db", argv[1]);
    snprintf(key_path, sizeof key_path, "%s/bench-outbox.key", argv[1]);
    unlink(db);
    unlink(key_path);
    unsigned char key[OUTBOX_KEY_BYTES];
    if (!outbox_key_create(key_path, err, sizeof err) ||
        !outbox_key_load(key_path, key, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    outbox_limits lim = {.max_records = n + 10, .max_bytes = 512 << 20};
    outbox *ob = outbox_open(db, key, &lim, err, sizeof err);
    if (!ob) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    char rec[4096];
    memset(rec, 'a', sizeof rec);
    double *t = calloc((size_t)n, sizeof *t);
    for (int i = 0; i < n; i++) {
        int64_t id;
        double t0 = now_ms();
        if (outbox_put(ob, "intake", rec, sizeof rec, &id, err, sizeof err) != OUTBOX_OK) {
            fprintf(stderr, "%s\n", err);
            return 1;
        }
        t[i] = now_ms() - t0;
    }
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    printf("commit_ms p50=%.3f p99=%.3f max=%.3f (%d records of 4 KiB)\n", t[n / 2],
           t[(int)(n * 0.99)], t[n - 1], n);
    double t0 = now_ms();
    int taken = 0;
    outbox_record r;
    while (outbox_next_due(ob, 0, &r)) {
        outbox_delivered(ob, r.id);
        outbox_record_free(&r);
        taken++;
    }
    double ms = now_ms() - t0;
    printf("drain_per_s=%.0f (decrypt + secure delete, %d records, no network)\n",
           taken * 1000.0 / (ms > 0 ? ms : 1), taken);
    outbox_close(ob);
    unlink(db);
    unlink(key_path);
    free(t);
    return 0;
}
