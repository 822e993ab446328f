/* Fuzz target: the case service's answers are bytes from outside (a broken or hostile server,
 * a proxy's error page). The first byte chooses the request kind and the HTTP status; the rest
 * is the answer. Whatever arrives: no crash, and a lookup answer that cannot be read never
 * counts as "not there" (which would send a record twice). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/uplink.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const long statuses[] = {200, 201, 400, 401, 403, 404, 409, 413, 422, 500, 503, 302};
    if (size < 1)
        return 0;
    answer_kind kind = (answer_kind)(data[0] % 4); /* post, contact, address, task lookups */
    long status = statuses[(data[0] / 4) % (sizeof statuses / sizeof statuses[0])];
    bool found = false;
    char betrokkene[64], why[200];
    deliver_result r = uplink_read_answer(kind, status, (const char *)data + 1, size - 1, &found,
                                          betrokkene, sizeof betrokkene, why, sizeof why);
    if (strlen(betrokkene) != 0 && strlen(betrokkene) != 36)
        abort(); /* only a well-formed uuid is kept */
    if (kind != ANSWER_POST && r == DELIVER_DEAD)
        abort(); /* a lookup never condemns a record */
    if (r == DELIVER_OK && kind != ANSWER_POST && status != 200)
        abort();
    return 0;
}

#ifdef LOKET_FUZZ_STANDALONE
#include "standalone.h"
#endif
