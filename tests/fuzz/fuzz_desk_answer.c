/* Fuzz target: the case service's answers to the desk console are bytes from outside (a
 * broken or hostile server, a proxy's error page). The first byte chooses the parser; the
 * rest is the answer. Whatever arrives: no crash, texts stay within their fields and are
 * NUL-terminated, counts stay within their capacity, and a kept uuid is a uuid. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/caseapi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_task(const desk_task *t)
{
    if (memchr(t->uuid, 0, sizeof t->uuid) == NULL || memchr(t->what, 0, sizeof t->what) == NULL ||
        memchr(t->note, 0, sizeof t->note) == NULL || memchr(t->ref, 0, sizeof t->ref) == NULL ||
        memchr(t->code, 0, sizeof t->code) == NULL)
        abort();
    size_t u = strlen(t->uuid);
    if (u != 0 && u != 36)
        abort();
    for (const char *p = t->ref; *p; p++)
        if (*p < '0' || *p > '9')
            abort(); /* only digits call a case up */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *b = (const char *)data + 1;
    size_t n = size - 1;
    switch (data[0] % 3) {
    case 0: {
        static desk_task t[DESK_MAX_TASKS];
        int count = -1;
        char next[512];
        desk_error e = caseapi_parse_tasks(b, n, t, DESK_MAX_TASKS, &count, next, sizeof next);
        if (count < 0 || count > DESK_MAX_TASKS || (e != DESK_ERR_NONE && count != 0))
            abort();
        for (int i = 0; i < count; i++) {
            check_task(&t[i]);
            if (!t[i].uuid[0])
                abort(); /* a task without a uuid is never listed */
        }
        break;
    }
    case 1:
    case 2: {
        static desk_case c;
        desk_error e = caseapi_parse_case(b, n, &c);
        if (e == DESK_ERR_NONE && strlen(c.uuid) != 36)
            abort();
        if (c.n_tasks < 0 || c.n_tasks > DESK_MAX_CASE_TASKS || c.n_addresses < 0 ||
            c.n_addresses > DESK_MAX_ADDRESSES || c.n_address_refs < 0 ||
            c.n_address_refs > DESK_MAX_ADDRESSES)
            abort();
        for (int i = 0; i < c.n_tasks; i++)
            check_task(&c.tasks[i]);
        if (memchr(c.reactie, 0, sizeof c.reactie) == NULL ||
            memchr(c.contactnaam, 0, sizeof c.contactnaam) == NULL)
            abort();
        if (data[0] % 3 == 2)
            caseapi_parse_address(b, n, &c);
        if (c.n_addresses > DESK_MAX_ADDRESSES)
            abort();
        break;
    }
    }
    return 0;
}

#ifdef LOKET_FUZZ_STANDALONE
#include "standalone.h"
#endif
