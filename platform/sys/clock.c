#include "sys/clock.h"

#include <time.h>

void clock_init_real(loket_clock *c)
{
    *c = (loket_clock){0};
}

void clock_init_fixed(loket_clock *c, civil_date today, int minute_of_day)
{
    *c = (loket_clock){.fixed = true,
                       .fixed_ms = 1000,
                       .fixed_today = today,
                       .fixed_minute_of_day = minute_of_day};
}

uint64_t clock_now_ms(const loket_clock *c)
{
    if (c->fixed)
        return c->fixed_ms;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

civil_date clock_today(const loket_clock *c)
{
    if (c->fixed) {
        long days = (long)((c->fixed_minute_of_day + (long)(c->fixed_ms / 60000)) / 1440);
        return date_add_days(c->fixed_today, days);
    }
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    return (civil_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

void clock_advance(loket_clock *c, uint64_t ms)
{
    if (c->fixed)
        c->fixed_ms += ms;
}
