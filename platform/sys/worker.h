/* One background thread for slow effects (printing, hand-off, later the uplink), so that the UI
 * thread never waits. Jobs run in order; each returns a result action, handed to `post` on the
 * worker thread (the UI turns it into an event for its own thread). Payloads are copied in and
 * wiped after the job, because they carry personal data. */
#ifndef LOKET_WORKER_H
#define LOKET_WORKER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/session.h"

typedef struct worker worker;
typedef action (*worker_job_fn)(void *ctx, void *payload);
typedef void (*worker_post_fn)(void *ctx, const action *result);

worker *worker_start(worker_post_fn post, void *post_ctx);
bool worker_submit(worker *w, worker_job_fn fn, void *fn_ctx, const void *payload, size_t len);
/* Blocks until every submitted job has run and posted its result (scripted mode, shutdown). */
void worker_wait_idle(worker *w);
void worker_stop(worker *w);

#endif
