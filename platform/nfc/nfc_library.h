/* Library passes: a site may let the kiosk recognise the public library's pass, so that the
 * pass number can be filled in where a service asks for it.
 *
 * What is honest about it: a Dutch library pass (the national "Bibliotheekpas") carries its
 * member number printed and as a barcode; when the pass has a chip at all, it is a plain
 * ISO14443A card (MIFARE Classic or Ultralight) whose chip holds no number the kiosk could
 * read without the library's keys. What the library's own self-service systems (RFID lending
 * desks, door readers) use is the chip's UID, turned into a number the way their reader does
 * it: the UID's bytes as one decimal number, often in reverse byte order ("little-endian",
 * what most keyboard-wedge readers send), sometimes in hex, zero-padded to 10 digits. So the
 * kiosk cannot know the printed member number; it can give the same UID-derived number the
 * library's reader gives, which is useful only where the library's system knows passes by it.
 * With `[nfc] library_pass = uid` (off by default) a card that is neither an ID document
 * (no ISO14443-4) nor on the roles list (nfc_roles.h), with a fixed UID, counts as a library
 * pass, and its number is made as `[nfc] library_number` and `library_digits` say.
 *
 * The number is as personal as the UID: the caller wipes it and never logs it. */
#ifndef LOKET_NFC_LIBRARY_H
#define LOKET_NFC_LIBRARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nfc/nfc_libnfc.h"
#include "nfc/nfc_roles.h"

typedef enum { NFC_LIBRARY_OFF, NFC_LIBRARY_UID } nfc_library_mode;

typedef enum {
    NFC_LIBRARY_DECIMAL_LE, /* "uid-decimal-le": the UID's bytes last first, as one number */
    NFC_LIBRARY_DECIMAL_BE, /* "uid-decimal-be": the UID's bytes as read, as one number */
    NFC_LIBRARY_HEX,        /* "uid-hex": the UID's bytes as read, upper-case hex */
} nfc_library_format;

typedef struct {
    nfc_library_mode mode;
    nfc_library_format format;
    int digits; /* at least this many digits, zeros in front (0: none); at most 32 */
} nfc_library_config;

#define NFC_LIBRARY_NUMBER_MAX 33 /* 10 UID bytes in decimal: 25 digits; padding: 32; NUL */

/* Off, uid-decimal-le, no padding. */
void nfc_library_defaults(nfc_library_config *c);
/* "off" | "uid"; "uid-decimal-le" | "uid-decimal-be" | "uid-hex". False for anything else. */
bool nfc_library_parse_mode(const char *s, nfc_library_mode *out);
bool nfc_library_parse_format(const char *s, nfc_library_format *out);
const char *nfc_library_mode_name(nfc_library_mode m);
const char *nfc_library_format_name(nfc_library_format f);

/* The pass number of a UID of 1..10 bytes, as c says, into out (NUL-terminated). False (out
 * "") when the UID is empty or longer than 10 bytes, or cap is too small. */
bool nfc_library_number(const nfc_library_config *c, const uint8_t *uid, size_t uid_len, char *out,
                        size_t cap);

/* Whether the card on the reader is taken for a library pass: mode uid; type A; no ISO14443-4
 * (that is an ID document, or a bank card); a UID of 4, 7 or 10 bytes that is not a random one
 * (4 bytes starting with 08); and not on the roles list (roles NULL: none). */
bool nfc_library_recognise(const nfc_library_config *c, const nfc_card_info *card,
                           const card_roles *roles);

#endif
