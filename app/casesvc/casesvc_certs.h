/* casesvc_certs: certificates for a first run (demo, tests) made with OpenSSL's libcrypto.
 *
 * Contract: casesvc_certs_ensure(DIR, names) leaves in DIR a CA (ca.pem, ca.key), a server
 * certificate for localhost and 127.0.0.1 signed by it (server.pem, server.key) and one
 * client certificate per name (client-NAME.pem, client-NAME.key; CN=NAME, clientAuth).
 * Files already there are kept (and a missing client certificate is signed by the existing
 * CA). EC P-256, SHA-256, valid 825 days; keys mode 0600. For production, a site uses
 * certificates from its own PKI instead (--cert/--key/--client-ca). */
#ifndef LOKET_CASESVC_CERTS_H
#define LOKET_CASESVC_CERTS_H

#include <stdbool.h>
#include <stddef.h>

bool casesvc_certs_ensure(const char *dir, const char *const *clients, size_t n_clients, bool *made,
                          char *err, size_t errcap);

#endif
