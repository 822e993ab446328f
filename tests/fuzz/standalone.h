/* Without libFuzzer (gcc builds, CTest): a fuzz target run over the corpus files named on the
 * command line, so each corpus is a regression test under the sanitizers. Included at the end
 * of a target's file when LOKET_FUZZ_STANDALONE is defined. */
#ifndef LOKET_FUZZ_STANDALONE_H
#define LOKET_FUZZ_STANDALONE_H

#include <stdint.h>
#include <stdio.h>

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
