/* Fuzz target: the content loader and validator take bytes an editor wrote — or a corrupted
 * file. The first byte chooses which parser gets the rest: an organisations file or an event
 * file (validated against a fixed set of organisations, which walks every answer path). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/content.h"

static const char ORGS[] = "organisations:\n"
                           "  - id: gemeente\n    name: {nl: G}\n    about: {nl: A}\n"
                           "    from_site: true\n"
                           "  - id: uwv\n    name: {nl: U}\n    about: {nl: A}\n"
                           "    website: www.uwv.nl\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    content *c = content_new();
    content_diag d = {0};
    const char *buf = (const char *)data + 1;
    size_t len = size - 1;
    if (data[0] & 1) {
        content_parse_orgs(c, "organisations.yaml", buf, len, &d);
    } else if (content_parse_orgs(c, "organisations.yaml", ORGS, sizeof ORGS - 1, &d) &&
               content_parse_event(c, "events/fuzz.yaml", buf, len, &d) &&
               content_validate(c, &d)) {
        int present, total;
        content_coverage(c, LANG_EN, &present, &total, &d);
    }
    content_diag_free(&d);
    content_free(c);
    return 0;
}

#ifdef LOKET_FUZZ_STANDALONE
#include "standalone.h"
#endif
