#include "handoff/handoff.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys/log.h"

typedef struct {
    handoff_backend base;
    pthread_mutex_t lock;
    bool failing;
    int delivered;
    handoff_request last;
} sim;

static bool sim_send(handoff_backend *b, const handoff_request *req, char *err, size_t errcap)
{
    sim *s = (sim *)b;
    pthread_mutex_lock(&s->lock);
    bool fail = s->failing;
    if (!fail) {
        s->delivered++;
        explicit_bzero(&s->last, sizeof s->last);
        s->last = *req;
    }
    pthread_mutex_unlock(&s->lock);
    if (fail) {
        snprintf(err, errcap, "simulated fault");
        log_msg(LOG_WARN, "handoff", "request %u from %s not delivered: simulated fault",
                req->request, req->kiosk_id);
        return false;
    }
    /* metadata only: which life event and how far, never what was answered */
    log_msg(LOG_INFO, "handoff",
            "request %u from kiosk %s: life event '%s', screen %s, language %s, %d answers, "
            "%d signals",
            req->request, req->kiosk_id, req->event_id[0] ? req->event_id : "-", req->screen,
            req->lang, req->n_answers, req->n_signals);
    return true;
}

static void sim_destroy(handoff_backend *b)
{
    sim *s = (sim *)b;
    explicit_bzero(&s->last, sizeof s->last);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

handoff_backend *handoff_sim_new(void)
{
    sim *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->base.send = sim_send;
    s->base.destroy = sim_destroy;
    pthread_mutex_init(&s->lock, NULL);
    return &s->base;
}

void handoff_sim_set_failing(handoff_backend *b, bool failing)
{
    sim *s = (sim *)b;
    pthread_mutex_lock(&s->lock);
    s->failing = failing;
    pthread_mutex_unlock(&s->lock);
}

int handoff_sim_delivered(handoff_backend *b, handoff_request *last)
{
    sim *s = (sim *)b;
    pthread_mutex_lock(&s->lock);
    int n = s->delivered;
    if (last)
        *last = s->last;
    pthread_mutex_unlock(&s->lock);
    return n;
}
