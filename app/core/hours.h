/* Opening hours of the desk: when an employee can come to the kiosk. Outside them the kiosk
 * offers a call-back instead of a warm hand-off.
 *
 * The text a technician writes (Dutch or English day names, either way round):
 *   "ma-vr 09:00-17:00; za 10:00-13:00"
 *   "mon-fri 09:00-12:30, 13:30-17:00; sat 10:00-13:00"
 * Days: ma di wo do vr za zo (or mon tue wed thu fri sat sun), a single day or a range;
 * then one or more periods HH:MM-HH:MM separated by commas; day groups separated by ';'.
 * An empty text means: always someone there. */
#ifndef LOKET_HOURS_H
#define LOKET_HOURS_H

#include <stdbool.h>
#include <stddef.h>

#define HOURS_MAX_PERIODS 32

typedef struct {
    bool always;
    int n;
    struct {
        unsigned char days; /* bit 0 = Monday ... bit 6 = Sunday */
        short from, to;     /* minutes since midnight, from < to */
    } p[HOURS_MAX_PERIODS];
} hours;

/* Parses the text; false with the problem (and where) in err. */
bool hours_parse(const char *text, hours *h, char *err, size_t errcap);
/* Open at `weekday` (0 = Monday) and `minute` (0..1439)? */
bool hours_open(const hours *h, int weekday, int minute);

#endif
