#include "core/refnum.h"

#include <stdio.h>
#include <string.h>

/* Damm's totally anti-symmetric quasigroup of order 10 (H. M. Damm, 2004). */
static const unsigned char damm[10][10] = {
    {0, 3, 1, 7, 5, 9, 8, 6, 4, 2}, {7, 0, 9, 2, 1, 5, 4, 8, 6, 3}, {4, 2, 0, 6, 8, 7, 1, 3, 5, 9},
    {1, 7, 5, 0, 9, 8, 3, 4, 2, 6}, {6, 1, 2, 3, 0, 4, 5, 9, 7, 8}, {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
    {5, 8, 6, 9, 7, 2, 0, 1, 3, 4}, {8, 9, 4, 5, 3, 6, 2, 0, 1, 7}, {9, 4, 3, 8, 6, 1, 7, 2, 0, 5},
    {2, 5, 8, 1, 4, 3, 6, 7, 9, 0},
};

int refnum_check_digit(const char *digits)
{
    int interim = 0;
    for (const char *p = digits; *p; p++)
        if (*p >= '0' && *p <= '9')
            interim = damm[interim][*p - '0'];
    return interim;
}

bool refnum_make(int kiosk, uint32_t seq, char out[REFNUM_DIGITS + 1])
{
    if (kiosk < 1 || kiosk > REFNUM_KIOSK_MAX || seq < 1 || seq > REFNUM_SEQ_MAX)
        return false;
    snprintf(out, REFNUM_DIGITS + 1, "%03d%06u", kiosk, (unsigned)seq);
    out[9] = (char)('0' + refnum_check_digit(out));
    out[10] = '\0';
    return true;
}

bool refnum_valid(const char *s, char out[REFNUM_DIGITS + 1])
{
    char d[REFNUM_DIGITS + 1];
    int n = 0;
    for (const char *p = s; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (n == REFNUM_DIGITS)
                return false;
            d[n++] = *p;
        } else if (*p != ' ') {
            return false;
        }
    }
    d[n] = '\0';
    /* a number is valid when the check over all its digits, check digit included, is 0 */
    if (n != REFNUM_DIGITS || refnum_check_digit(d) != 0)
        return false;
    if (out)
        memcpy(out, d, sizeof d);
    return true;
}

char *refnum_group(const char *digits, char *out, size_t cap)
{
    size_t n = strlen(digits);
    if (n == REFNUM_DIGITS)
        snprintf(out, cap, "%.3s %.3s %.4s", digits, digits + 3, digits + 6);
    else
        snprintf(out, cap, "%s", digits);
    return out;
}
