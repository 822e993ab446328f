/* A request for help from an employee: what the employee needs to pick up where the citizen
 * is, without asking again. Built from the journey on the UI thread; carries personal data
 * (answers), so whoever holds one wipes it after use. */
#ifndef LOKET_HANDOFF_H
#define LOKET_HANDOFF_H

#include <stdint.h>

#include "content/content.h"
#include "core/session.h"

typedef struct {
    uint32_t request;
    char kiosk_id[64];
    char event_id[48]; /* "" when no life event was chosen yet */
    char screen[16];   /* where the citizen asked */
    char lang[4];      /* ISO 639-1 */
    int n_answers;
    struct {
        char question[48]; /* question id */
        char answer[48];   /* option id ("yes", a choice id, "unknown") or YYYY-MM-DD */
    } answers[CONTENT_MAX_QUESTIONS];
    int n_signals; /* early signals that fired: why this citizen may need active help */
    char signals[2 * CONTENT_MAX_SIGNALS][48];
} handoff_request;

void handoff_request_build(const content *c, const journey *j, const char *kiosk_id,
                           uint32_t request, handoff_request *out);

#endif
