/* Hand-off adapter: delivers a request for help from an employee. Backends: "sim" (records it
 * and logs its metadata — never the answers); the case-service backend comes with the uplink. */
#ifndef LOKET_HANDOFF_ADAPTER_H
#define LOKET_HANDOFF_ADAPTER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/handoff.h"

typedef struct handoff_backend handoff_backend;
struct handoff_backend {
    /* Called on the worker thread. Returns false with a short, non-personal reason on failure. */
    bool (*send)(handoff_backend *b, const handoff_request *req, char *err, size_t errcap);
    void (*destroy)(handoff_backend *b);
};

handoff_backend *handoff_sim_new(void);
/* Simulated faults for tests and scripted runs: the next sends fail while set. */
void handoff_sim_set_failing(handoff_backend *b, bool failing);
/* Requests delivered so far, and a copy of the last one (tests). */
int handoff_sim_delivered(handoff_backend *b, handoff_request *last);

#endif
