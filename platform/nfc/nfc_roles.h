/* Staff badges and technician cards: a card's UID (the bytes the reader reports) is never kept
 * or logged; a site lists salted hashes of the UIDs it trusts, each with a role. The file
 * (README: "Card reader") is made with `loket --card-hash` on the kiosk itself:
 *
 *   # one secret salt for the site (32 bytes, hex), then one line per card
 *   salt 5f0c...e1
 *   staff 9a3b...      <- SHA-256(salt || UID), hex
 *   technician 44e0...
 *
 * A UID is no secret (any phone reads it): a role found here says which badge, not who holds
 * it. Staff screens ask a PIN as well. */
#ifndef LOKET_NFC_ROLES_H
#define LOKET_NFC_ROLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { CARD_ROLE_NONE, CARD_ROLE_STAFF, CARD_ROLE_TECHNICIAN } card_role;

typedef struct card_roles card_roles;

#define CARD_ROLES_SALT_BYTES 32
#define CARD_ROLES_MAX 1000

/* Reads the file; NULL with "path:line: problem" in err when it is malformed (a card file
 * that cannot be read is no list: nobody is let in by a broken file). */
card_roles *card_roles_load(const char *path, char *err, size_t errcap);
void card_roles_free(card_roles *r);
/* The role of a card, or CARD_ROLE_NONE. Compares every entry in constant time. */
card_role card_roles_lookup(const card_roles *r, const uint8_t *uid, size_t uid_len);
/* SHA-256(salt || uid) as 64 hex digits (for enrolling a card). */
void card_roles_hash(const card_roles *r, const uint8_t *uid, size_t uid_len, char hex[65]);
const char *card_role_name(card_role role);

#endif
