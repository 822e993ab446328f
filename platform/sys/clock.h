/* Time for the session: a real clock, or a fixed one that only moves when told (scripted mode,
 * so that runs are deterministic). */
#ifndef LOKET_CLOCK_H
#define LOKET_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "content/date.h"

typedef struct {
    bool fixed;
    uint64_t fixed_ms;      /* fixed: monotonic milliseconds */
    civil_date fixed_today; /* fixed: the local date */
    int fixed_minute_of_day;
} loket_clock;

void clock_init_real(loket_clock *c);
void clock_init_fixed(loket_clock *c, civil_date today, int minute_of_day);
uint64_t clock_now_ms(const loket_clock *c);
civil_date clock_today(const loket_clock *c);
void clock_advance(loket_clock *c, uint64_t ms);

#endif
