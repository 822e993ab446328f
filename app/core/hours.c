#include "core/hours.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const day_names[2][7] = {{"ma", "di", "wo", "do", "vr", "za", "zo"},
                                            {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}};

static const char *skip_space(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* A day name at s: its index, and s moved past it; -1 when none. */
static int read_day(const char **s)
{
    const char *p = *s;
    size_t n = 0;
    while (isalpha((unsigned char)p[n]))
        n++;
    for (int lang = 0; lang < 2; lang++)
        for (int d = 0; d < 7; d++)
            if (n == strlen(day_names[lang][d]) && !strncasecmp(p, day_names[lang][d], n)) {
                *s = p + n;
                return d;
            }
    return -1;
}

/* HH:MM at s: minutes since midnight (24:00 allowed as the end of a day); -1 when none. */
static int read_time(const char **s)
{
    const char *p = *s;
    if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) || p[2] != ':' ||
        !isdigit((unsigned char)p[3]) || !isdigit((unsigned char)p[4]))
        return -1;
    int hh = (p[0] - '0') * 10 + (p[1] - '0'), mm = (p[3] - '0') * 10 + (p[4] - '0');
    if (mm > 59 || hh > 24 || (hh == 24 && mm != 0))
        return -1;
    *s = p + 5;
    return hh * 60 + mm;
}

bool hours_parse(const char *text, hours *h, char *err, size_t errcap)
{
    memset(h, 0, sizeof *h);
    const char *s = skip_space(text ? text : "");
    if (!*s) {
        h->always = true;
        return true;
    }
    while (*s) {
        const char *start = s;
        int d1 = read_day(&s);
        if (d1 < 0) {
            snprintf(err, errcap, "a day name (ma..zo or mon..sun) expected at \"%.12s\"", start);
            return false;
        }
        int d2 = d1;
        s = skip_space(s);
        if (*s == '-') {
            s = skip_space(s + 1);
            const char *at = s;
            d2 = read_day(&s);
            if (d2 < 0) {
                snprintf(err, errcap, "a day name expected after '-' at \"%.12s\"", at);
                return false;
            }
        }
        unsigned char days = 0;
        for (int d = d1;; d = (d + 1) % 7) { /* "za-ma" wraps over the weekend */
            days |= (unsigned char)(1u << d);
            if (d == d2)
                break;
        }
        for (;;) {
            s = skip_space(s);
            const char *at = s;
            int from = read_time(&s);
            s = skip_space(s);
            int to = -1;
            if (from >= 0 && *s == '-') {
                s = skip_space(s + 1);
                to = read_time(&s);
            }
            if (from < 0 || to < 0) {
                snprintf(err, errcap, "a period such as 09:00-17:00 expected at \"%.12s\"", at);
                return false;
            }
            if (to <= from) {
                snprintf(err, errcap, "the period at \"%.11s\" ends before it begins", at);
                return false;
            }
            if (h->n >= HOURS_MAX_PERIODS) {
                snprintf(err, errcap, "more than %d periods", HOURS_MAX_PERIODS);
                return false;
            }
            h->p[h->n].days = days;
            h->p[h->n].from = (short)from;
            h->p[h->n].to = (short)to;
            h->n++;
            s = skip_space(s);
            if (*s != ',')
                break;
            s++;
        }
        if (*s == ';')
            s = skip_space(s + 1);
        else if (*s) {
            snprintf(err, errcap, "';' or the end expected at \"%.12s\"", s);
            return false;
        }
    }
    return true;
}

bool hours_open(const hours *h, int weekday, int minute)
{
    if (h->always)
        return true;
    if (weekday < 0 || weekday > 6)
        return false;
    for (int i = 0; i < h->n; i++)
        if ((h->p[i].days >> weekday & 1) && minute >= h->p[i].from && minute < h->p[i].to)
            return true;
    return false;
}
