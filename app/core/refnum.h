/* Reference numbers: the number on the slip that a citizen reads out on the phone and that
 * calls the case up at the desk (the Klantinteracties `referentienummer`).
 *
 * Ten digits: the kiosk number (3 digits, 001-999, unique in the municipality's fleet), a
 * sequence number of the kiosk (6 digits, kept on disk, never reused until it wraps after a
 * million slips), and a Damm check digit, which catches every single wrong digit and every
 * swap of two neighbouring digits. Shown in groups of 3, 3 and 4: "012 000 0427". */
#ifndef LOKET_REFNUM_H
#define LOKET_REFNUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REFNUM_DIGITS 10
#define REFNUM_KIOSK_MAX 999
#define REFNUM_SEQ_MAX 999999

/* The Damm check digit of a string of digits (non-digits are ignored). */
int refnum_check_digit(const char *digits);
/* Builds the number; false when kiosk or seq is out of range. `out` gets 10 digits + NUL. */
bool refnum_make(int kiosk, uint32_t seq, char out[REFNUM_DIGITS + 1]);
/* True for exactly ten digits (spaces allowed between groups) whose check digit is right;
 * `out` (may be NULL) gets the bare digits. */
bool refnum_valid(const char *s, char out[REFNUM_DIGITS + 1]);
/* "0120000427" -> "012 000 0427"; returns `out`. */
char *refnum_group(const char *digits, char *out, size_t cap);

#endif
