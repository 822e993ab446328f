#include "content/date.h"

/* Day counting after Howard Hinnant's "chrono-compatible low-level date algorithms"
 * (public domain description of the civil calendar arithmetic). */

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && leap(y) ? 29 : dim[m - 1];
}

bool date_valid(civil_date d)
{
    return d.y >= 1900 && d.y <= 2200 && d.m >= 1 && d.m <= 12 && d.d >= 1 &&
           d.d <= date_days_in_month(d.y, d.m);
}

long date_to_days(civil_date d)
{
    long y = d.m <= 2 ? d.y - 1 : d.y;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long mp = (d.m + 9) % 12;
    long doy = (153 * mp + 2) / 5 + d.d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

civil_date date_from_days(long z)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    civil_date r;
    r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
    r.m = (int)(mp < 10 ? mp + 3 : mp - 9);
    r.y = (int)(yoe + era * 400 + (r.m <= 2));
    return r;
}

civil_date date_add_days(civil_date d, long n)
{
    return date_from_days(date_to_days(d) + n);
}

civil_date date_add_months(civil_date d, int n)
{
    long total = (long)d.y * 12 + (d.m - 1) + n;
    civil_date r = {(int)(total / 12), (int)(total % 12) + 1, d.d};
    int dim = date_days_in_month(r.y, r.m);
    if (r.d > dim)
        r.d = dim;
    return r;
}

int date_weekday(civil_date d)
{
    long z = date_to_days(d); /* 1970-01-01 was a Thursday (3) */
    return (int)(((z % 7) + 7 + 3) % 7);
}

int date_cmp(civil_date a, civil_date b)
{
    long x = date_to_days(a), y = date_to_days(b);
    return x < y ? -1 : x > y;
}
