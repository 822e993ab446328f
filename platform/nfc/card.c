#include "nfc/card.h"

#include <stdlib.h>

#include "sys/log.h"

struct card_reader {
    worker_post_fn post;
    void *ctx;
    bool present;
};

card_reader *card_reader_sim_new(worker_post_fn post, void *ctx)
{
    card_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->post = post;
    r->ctx = ctx;
    return r;
}

void card_reader_destroy(card_reader *r)
{
    free(r);
}

void card_reader_sim_present(card_reader *r, card_kind kind)
{
    r->present = true;
    log_msg(LOG_DEBUG, "card", "simulated card tapped (kind %d)", (int)kind);
    r->post(r->ctx, &(action){.kind = ACT_CARD_PRESENT, .arg = (int)kind});
}

void card_reader_sim_remove(card_reader *r)
{
    if (!r->present)
        return; /* a reader reports removal only of a card it saw */
    r->present = false;
    r->post(r->ctx, &(action){.kind = ACT_CARD_REMOVED});
}
