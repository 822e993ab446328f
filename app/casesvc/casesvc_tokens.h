/* casesvc_tokens: who may call the reference case service.
 *
 * Contract: the tokens file holds one line per client, "<sha256 hex of the token> <name> <role>"
 * with role "kiosk" or "desk" ('#' comments and blank lines allowed); a line without a role (as
 * written before roles existed) is a desk's. Plaintext tokens are never stored in it. A presented
 * token is hashed and compared with every entry in constant time (CRYPTO_memcmp, no early
 * exit). casesvc_tokens_issue() makes a new random token (32 bytes, hex), appends its hash to
 * the file and writes the plaintext to a 0600 file of its own (for a kiosk's token_file). */
#ifndef LOKET_CASESVC_TOKENS_H
#define LOKET_CASESVC_TOKENS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct casesvc_tokens casesvc_tokens;

/* What a token may do: a kiosk (in a public space) only what the kiosk's uplink does; a desk
 * everything. */
typedef enum { CASESVC_ROLE_KIOSK, CASESVC_ROLE_DESK } casesvc_role;

casesvc_tokens *casesvc_tokens_load(const char *path, char *err, size_t errcap);
void casesvc_tokens_free(casesvc_tokens *t);
size_t casesvc_tokens_count(const casesvc_tokens *t);
/* The name of the client whose token this is, or NULL; its role into *role (when not NULL). */
const char *casesvc_tokens_check(const casesvc_tokens *t, const char *token, casesvc_role *role);
/* A new token for `name` (letters, digits, '-', '_', '.') with `role`: hash appended to
 * tokens_path, plaintext written to plain_path (mode 0600, replaced atomically). If `name` already
 * has a token and plain_path exists, nothing is changed and *created is false. */
bool casesvc_tokens_issue(const char *tokens_path, const char *name, casesvc_role role,
                          const char *plain_path, bool *created, char *err, size_t errcap);

#endif
