/* PINs of staff badges (issue 7): a badge alone is no proof (any phone reads a UID), so an
 * employee who taps a badge at the kiosk types its PIN before seeing a citizen's answers.
 *
 * One file, `[nfc] staff_pins` (default <data_dir>/staff-pins), mode 0600, a line per badge:
 *   <badge> <salt> <hash> <wrong>
 * badge: the badge's hash as in the roles file (nfc_roles.h: SHA-256(site salt || UID), hex);
 * salt: 16 random bytes, hex; hash: PBKDF2-HMAC-SHA256(PIN, salt, 100 000 rounds), hex;
 * wrong: wrong PINs in a row. At 5 the badge is locked until a technician sets a new PIN
 * (`loket --staff-pin`). Counts are written (atomically, fsync'd) before the answer is given,
 * so switching the kiosk off does not give more tries. Never holds a PIN or a UID. */
#ifndef LOKET_NFC_STAFF_H
#define LOKET_NFC_STAFF_H

#include <stdbool.h>
#include <stddef.h>

#define STAFF_PIN_TRIES 5

typedef struct staff_pins staff_pins;

/* Reads the file (a missing file is an empty list); NULL with "path:line: problem". */
staff_pins *staff_pins_open(const char *path, char *err, size_t errcap);
void staff_pins_free(staff_pins *p);

typedef enum { STAFF_PIN_OK, STAFF_PIN_WRONG, STAFF_PIN_LOCKED, STAFF_PIN_NO_PIN } staff_pin_result;
/* Checks a PIN for a badge (64 hex digits). *tries_left: after a wrong PIN, how many are left
 * (0: locked now). A badge without a PIN is never let in. */
staff_pin_result staff_pins_check(staff_pins *p, const char *badge, const char *pin,
                                  int *tries_left);
/* Sets (or resets, which unlocks) a badge's PIN: 4 to 8 digits. */
bool staff_pins_set(staff_pins *p, const char *badge, const char *pin, char *err, size_t errcap);

#endif
