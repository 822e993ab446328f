/* Fuzz target: what a client sends the reference case service (loket-casesvc) is bytes from
 * outside. The first byte chooses the operation (maak-klantcontact, digitaleadressen,
 * internetaken, a PATCH of an internetaak); the rest is the body, checked as the service checks
 * it (without storing). The same bytes are also read as a query string. Whatever arrives: no
 * crash, no leak, and every invalid param has a name, a code and a reason (the target aborts
 * otherwise). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "casesvc_api.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const ops[] = {"maak-klantcontact", "digitaleadressen", "internetaken",
                                      "internetaken-patch"};
    if (size < 1)
        return 0;
    const char *op = ops[data[0] % 4];
    int n = casesvc_api_validate_only(op, (const char *)data + 1, size - 1);
    if (n < -1)
        abort();
    char *q = malloc(size);
    if (!q)
        return 0;
    memcpy(q, data + 1, size - 1);
    q[size - 1] = '\0';
    casesvc_param *p;
    size_t np;
    if (casesvc_query_parse(q, &p, &np)) {
        for (size_t i = 0; i < np; i++)
            if (!p[i].name || !p[i].value)
                abort();
        casesvc_params_free(p, np);
    }
    free(q);
    return 0;
}

#ifdef LOKET_FUZZ_STANDALONE
#include "standalone.h"
#endif
