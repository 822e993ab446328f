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
/* Without libFuzzer (gcc builds): run the target over the corpus files named on the command
 * line, so the corpus is a regression test under the sanitizers. */
int main(int argc, char **argv)
{
    int n = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            return 1;
        }
        static uint8_t buf[1 << 20];
        size_t len = fread(buf, 1, sizeof buf, f);
        fclose(f);
        LLVMFuzzerTestOneInput(buf, len);
        n++;
    }
    printf("%d inputs ran without a finding\n", n);
    return 0;
}
#endif
