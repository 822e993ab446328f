/* Calendar dates (proleptic Gregorian), without time zones: a deadline is a day. */
#ifndef LOKET_DATE_H
#define LOKET_DATE_H

#include <stdbool.h>

typedef struct {
    int y, m, d; /* m 1..12, d 1..31; {0,0,0} = no date */
} civil_date;

bool date_valid(civil_date d);
int date_days_in_month(int y, int m);
/* Days since 1970-01-01 and back. */
long date_to_days(civil_date d);
civil_date date_from_days(long days);
civil_date date_add_days(civil_date d, long n);
/* Calendar months; the day is clamped to the target month's last day. */
civil_date date_add_months(civil_date d, int n);
/* 0 = Monday ... 6 = Sunday. */
int date_weekday(civil_date d);
int date_cmp(civil_date a, civil_date b);

#endif
