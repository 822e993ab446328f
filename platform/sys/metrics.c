#include "sys/metrics.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const faults[] = {"paper_end", "cover_open",    "offline",
                                     "cutter",    "printer_error", "connect",
                                     "write",     "timeout",       "file"};
#define N_FAULTS (sizeof faults / sizeof faults[0])

static struct {
    pthread_mutex_t lock;
    char path[1100];
    char kiosk[64];
    unsigned long printed, unconfirmed, failed[N_FAULTS], failed_other, reference_failed;
    bool near_end, status_known;
    int queued, dead;
    unsigned long delivered;
    long long failing_since;
    char fault[24]; /* the current fault, "" when the last slip printed */
    time_t fault_since;
} m = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void write_file(void)
{
    if (!m.path[0])
        return;
    char tmp[1110];
    snprintf(tmp, sizeof tmp, "%s.tmp", m.path);
    FILE *f = fopen(tmp, "we");
    if (!f)
        return; /* monitoring must never stop the kiosk; the log has the events too */
    fprintf(f, "# HELP loket_slips_printed_total Slips the printer confirmed.\n");
    fprintf(f, "# TYPE loket_slips_printed_total counter\n");
    fprintf(f, "loket_slips_printed_total{kiosk=\"%s\"} %lu\n", m.kiosk, m.printed);
    fprintf(f, "# HELP loket_slips_unconfirmed_total Slips sent to a printer that cannot report "
               "its status.\n");
    fprintf(f, "# TYPE loket_slips_unconfirmed_total counter\n");
    fprintf(f, "loket_slips_unconfirmed_total{kiosk=\"%s\"} %lu\n", m.kiosk, m.unconfirmed);
    fprintf(f, "# HELP loket_print_failures_total Slips not printed, by cause.\n");
    fprintf(f, "# TYPE loket_print_failures_total counter\n");
    for (size_t i = 0; i < N_FAULTS; i++)
        fprintf(f, "loket_print_failures_total{kiosk=\"%s\",fault=\"%s\"} %lu\n", m.kiosk,
                faults[i], m.failed[i]);
    fprintf(f, "loket_print_failures_total{kiosk=\"%s\",fault=\"other\"} %lu\n", m.kiosk,
            m.failed_other);
    fprintf(f,
            "# HELP loket_printer_fault The printer's current fault (1), since the last slip.\n");
    fprintf(f, "# TYPE loket_printer_fault gauge\n");
    for (size_t i = 0; i < N_FAULTS; i++)
        fprintf(f, "loket_printer_fault{kiosk=\"%s\",fault=\"%s\"} %d\n", m.kiosk, faults[i],
                strcmp(m.fault, faults[i]) == 0);
    fprintf(f, "# HELP loket_printer_paper_near_end The paper roll is nearly empty.\n");
    fprintf(f, "# TYPE loket_printer_paper_near_end gauge\n");
    fprintf(f, "loket_printer_paper_near_end{kiosk=\"%s\"} %d\n", m.kiosk, m.near_end);
    fprintf(f, "# HELP loket_reference_failures_total Reference numbers that could not be made.\n");
    fprintf(f, "# TYPE loket_reference_failures_total counter\n");
    fprintf(f, "loket_reference_failures_total{kiosk=\"%s\"} %lu\n", m.kiosk, m.reference_failed);
    fprintf(f, "# HELP loket_outbox_queued Intakes waiting to be delivered.\n");
    fprintf(f, "# TYPE loket_outbox_queued gauge\n");
    fprintf(f, "loket_outbox_queued{kiosk=\"%s\"} %d\n", m.kiosk, m.queued);
    fprintf(f, "# HELP loket_outbox_dead_letters Intakes the case service refused, kept for a "
               "technician.\n");
    fprintf(f, "# TYPE loket_outbox_dead_letters gauge\n");
    fprintf(f, "loket_outbox_dead_letters{kiosk=\"%s\"} %d\n", m.kiosk, m.dead);
    fprintf(f, "# HELP loket_uplink_delivered_total Intakes delivered since the start.\n");
    fprintf(f, "# TYPE loket_uplink_delivered_total counter\n");
    fprintf(f, "loket_uplink_delivered_total{kiosk=\"%s\"} %lu\n", m.kiosk, m.delivered);
    fprintf(f, "# HELP loket_uplink_failing_since_seconds When delivery started failing (Unix "
               "time), 0 when it is not.\n");
    fprintf(f, "# TYPE loket_uplink_failing_since_seconds gauge\n");
    fprintf(f, "loket_uplink_failing_since_seconds{kiosk=\"%s\"} %lld\n", m.kiosk, m.failing_since);
    bool ok = fflush(f) == 0 && fsync(fileno(f)) == 0;
    ok = fclose(f) == 0 && ok;
    if (ok)
        rename(tmp, m.path);
    else
        unlink(tmp);
}

void metrics_init(const char *data_dir, const char *kiosk_id)
{
    pthread_mutex_lock(&m.lock);
    snprintf(m.path, sizeof m.path, "%s/metrics.prom", data_dir);
    /* a kiosk id is the technician's word; keep it a valid label value */
    size_t k = 0;
    for (const char *p = kiosk_id; *p && k + 1 < sizeof m.kiosk; p++)
        m.kiosk[k++] = (*p == '"' || *p == '\\' || *p == '\n') ? '_' : *p;
    m.kiosk[k] = '\0';
    write_file();
    pthread_mutex_unlock(&m.lock);
}

void metrics_print_outcome(const print_outcome *o)
{
    pthread_mutex_lock(&m.lock);
    if (o->kind == PRINT_OUT_FAILED) {
        size_t i = 0;
        while (i < N_FAULTS && strcmp(o->fault, faults[i]) != 0)
            i++;
        if (i < N_FAULTS)
            m.failed[i]++;
        else
            m.failed_other++;
        if (strcmp(m.fault, o->fault) != 0) {
            snprintf(m.fault, sizeof m.fault, "%s", o->fault[0] ? o->fault : "other");
            m.fault_since = time(NULL);
        }
    } else {
        if (o->kind == PRINT_OUT_PRINTED)
            m.printed++;
        else
            m.unconfirmed++;
        m.fault[0] = '\0';
    }
    const printer_status *st = o->after.known ? &o->after : &o->before;
    m.status_known = st->known;
    m.near_end = st->known && st->paper_near_end;
    write_file();
    pthread_mutex_unlock(&m.lock);
}

void metrics_outbox(int queued, int dead)
{
    pthread_mutex_lock(&m.lock);
    bool changed = m.queued != queued || m.dead != dead;
    m.queued = queued;
    m.dead = dead;
    if (changed)
        write_file();
    pthread_mutex_unlock(&m.lock);
}

void metrics_uplink(unsigned long delivered, long long failing_since_s)
{
    pthread_mutex_lock(&m.lock);
    bool changed = m.delivered != delivered || m.failing_since != failing_since_s;
    m.delivered = delivered;
    m.failing_since = failing_since_s;
    if (changed)
        write_file();
    pthread_mutex_unlock(&m.lock);
}

void metrics_reference_failed(void)
{
    pthread_mutex_lock(&m.lock);
    m.reference_failed++;
    write_file();
    pthread_mutex_unlock(&m.lock);
}

void metrics_printer_condition(char *out, size_t cap)
{
    pthread_mutex_lock(&m.lock);
    if (m.fault[0]) {
        struct tm tm;
        char when[32];
        localtime_r(&m.fault_since, &tm);
        strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
        snprintf(out, cap, "%s since %s", m.fault, when);
    } else if (m.near_end) {
        snprintf(out, cap, "paper near end");
    } else {
        snprintf(out, cap, "%s", m.status_known ? "ok" : "unknown");
    }
    pthread_mutex_unlock(&m.lock);
}

void metrics_shutdown(void)
{
    pthread_mutex_lock(&m.lock);
    m.path[0] = '\0';
    pthread_mutex_unlock(&m.lock);
}
