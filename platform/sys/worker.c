#include "sys/worker.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct job {
    struct job *next;
    worker_job_fn fn;
    void *ctx;
    size_t len;
    unsigned char payload[];
} job;

struct worker {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake, idle;
    job *head, *tail;
    int busy;
    bool stopping;
    worker_post_fn post;
    void *post_ctx;
};

static void *run(void *arg)
{
    worker *w = arg;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->head && !w->stopping)
            pthread_cond_wait(&w->wake, &w->lock);
        if (!w->head && w->stopping)
            break;
        job *j = w->head;
        w->head = j->next;
        if (!w->head)
            w->tail = NULL;
        w->busy++;
        pthread_mutex_unlock(&w->lock);

        action result = j->fn(j->ctx, j->payload);
        explicit_bzero(j->payload, j->len);
        free(j);
        w->post(w->post_ctx, &result);

        pthread_mutex_lock(&w->lock);
        w->busy--;
        if (!w->head && !w->busy)
            pthread_cond_broadcast(&w->idle);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

worker *worker_start(worker_post_fn post, void *post_ctx)
{
    worker *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
    pthread_cond_init(&w->idle, NULL);
    w->post = post;
    w->post_ctx = post_ctx;
    if (pthread_create(&w->thread, NULL, run, w) != 0) {
        free(w);
        return NULL;
    }
    return w;
}

bool worker_submit(worker *w, worker_job_fn fn, void *fn_ctx, const void *payload, size_t len)
{
    job *j = malloc(sizeof *j + len);
    if (!j)
        return false;
    j->next = NULL;
    j->fn = fn;
    j->ctx = fn_ctx;
    j->len = len;
    memcpy(j->payload, payload, len);
    pthread_mutex_lock(&w->lock);
    if (w->tail)
        w->tail->next = j;
    else
        w->head = j;
    w->tail = j;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    return true;
}

void worker_wait_idle(worker *w)
{
    pthread_mutex_lock(&w->lock);
    while (w->head || w->busy)
        pthread_cond_wait(&w->idle, &w->lock);
    pthread_mutex_unlock(&w->lock);
}

void worker_stop(worker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stopping = true;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->wake);
    pthread_cond_destroy(&w->idle);
    free(w);
}
