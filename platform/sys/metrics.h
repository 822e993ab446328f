/* Fleet monitoring: counters and the printer's condition, written after every change to
 * `<data_dir>/metrics.prom` in the Prometheus text format (node_exporter's textfile collector
 * reads it; a technician can cat it). No personal data: only counts and fault codes.
 * Thread-safe (the printer reports from the worker thread). */
#ifndef LOKET_METRICS_H
#define LOKET_METRICS_H

#include <stdbool.h>

#include "print/print.h"

void metrics_init(const char *data_dir, const char *kiosk_id);
/* Counts a slip's outcome and records the printer's condition (faults, paper near end). */
void metrics_print_outcome(const print_outcome *o);
/* A reference number could not be made (the sequence file cannot be written). */
void metrics_reference_failed(void);
/* The outbox: intakes queued and dead letters. */
void metrics_outbox(int queued, int dead);
/* The uplink: delivered since the start, failing since (Unix time; 0: not failing). */
void metrics_uplink(unsigned long delivered, long long failing_since_s);
/* The printer's condition as one line for the log and the technician ("ok", "paper near end",
 * "paper_end since 2026-11-28 10:42", "unknown"). */
void metrics_printer_condition(char *out, size_t cap);
void metrics_shutdown(void);

#endif
