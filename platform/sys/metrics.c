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

/* One metric family's header, then its samples. */
static void family(FILE *f, const char *name, const char *type, const char *help)
{
    fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void sample(FILE *f, const char *name, long long value)
{
    fprintf(f, "%s{kiosk=\"%s\"} %lld\n", name, m.kiosk, value);
}

static void write_file(void)
{
    if (!m.path[0])
        return;
    char tmp[1110];
    snprintf(tmp, sizeof tmp, "%s.tmp", m.path);
    FILE *f = fopen(tmp, "we");
    if (!f)
        return; /* monitoring must never stop the kiosk; the log has the events too */
    family(f, "loket_slips_printed_total", "counter", "Slips the printer confirmed.");
    sample(f, "loket_slips_printed_total", (long long)m.printed);
    family(f, "loket_slips_unconfirmed_total", "counter",
           "Slips sent to a printer that cannot report its status.");
    sample(f, "loket_slips_unconfirmed_total", (long long)m.unconfirmed);
    family(f, "loket_print_failures_total", "counter", "Slips not printed, by cause.");
    for (size_t i = 0; i <= N_FAULTS; i++)
        fprintf(f, "loket_print_failures_total{kiosk=\"%s\",fault=\"%s\"} %lu\n", m.kiosk,
                i < N_FAULTS ? faults[i] : "other", i < N_FAULTS ? m.failed[i] : m.failed_other);
    family(f, "loket_printer_fault", "gauge",
           "The printer's current fault (1), since the last slip.");
    for (size_t i = 0; i < N_FAULTS; i++)
        fprintf(f, "loket_printer_fault{kiosk=\"%s\",fault=\"%s\"} %d\n", m.kiosk, faults[i],
                strcmp(m.fault, faults[i]) == 0);
    family(f, "loket_printer_paper_near_end", "gauge", "The paper roll is nearly empty.");
    sample(f, "loket_printer_paper_near_end", m.near_end);
    family(f, "loket_reference_failures_total", "counter",
           "Reference numbers that could not be made.");
    sample(f, "loket_reference_failures_total", (long long)m.reference_failed);
    family(f, "loket_outbox_queued", "gauge", "Intakes waiting to be delivered.");
    sample(f, "loket_outbox_queued", m.queued);
    family(f, "loket_outbox_dead_letters", "gauge",
           "Intakes the case service refused, kept for a technician.");
    sample(f, "loket_outbox_dead_letters", m.dead);
    family(f, "loket_uplink_delivered_total", "counter", "Intakes delivered since the start.");
    sample(f, "loket_uplink_delivered_total", (long long)m.delivered);
    family(f, "loket_uplink_failing_since_seconds", "gauge",
           "When delivery started failing (Unix time), 0 when it is not.");
    sample(f, "loket_uplink_failing_since_seconds", m.failing_since);
    /* replaced whole (rename), not fsync'd: figures for monitoring, not records */
    if (fclose(f) == 0)
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
