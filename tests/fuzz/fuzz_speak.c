/* Fuzz target: the text the voice is given comes from content files and translations (bytes
 * from editors, outside the program). The first byte chooses the language and the size of
 * the output buffer; the rest is the screen text. Whatever arrives: no crash, the output
 * NUL-terminated within its buffer, valid UTF-8, never longer than the buffer, and a cut
 * result is the start of what a larger buffer holds. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/speak.h"

static bool valid_utf8(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        size_t len = c < 0x80             ? 1
                     : (c & 0xE0) == 0xC0 ? 2
                     : (c & 0xF0) == 0xE0 ? 3
                     : (c & 0xF8) == 0xF0 ? 4
                                          : 0;
        if (!len || i + len > n)
            return false;
        for (size_t k = 1; k < len; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
        i += len;
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    lang_id lang = (lang_id)(data[0] % LANG_COUNT);
    size_t cap = 1 + (size_t)(data[0] / LANG_COUNT) * 4; /* 1 .. 169 bytes */
    char *in = malloc(size);
    if (!in)
        return 0;
    memcpy(in, data + 1, size - 1);
    in[size - 1] = '\0';
    static char big[1 << 17], small[256];
    size_t nb = speak_prepare(lang, in, big, sizeof big);
    memset(small, 0x5A, sizeof small);
    size_t ns = speak_prepare(lang, in, small, cap);
    if (nb != strlen(big) || ns != strlen(small) || ns >= cap)
        abort();
    for (size_t i = cap; i < sizeof small; i++)
        if (small[i] != 0x5A)
            abort(); /* nothing written past the buffer */
    if (!valid_utf8((const unsigned char *)big, nb) ||
        !valid_utf8((const unsigned char *)small, ns))
        abort();
    if (nb < sizeof big - 1 && strncmp(big, small, ns) != 0)
        abort(); /* a cut result is the start of the whole */
    char digits[64];
    speak_digits(in, digits, sizeof digits);
    if (strlen(digits) >= sizeof digits)
        abort();
    free(in);
    return 0;
}

#ifdef LOKET_FUZZ_STANDALONE
#include "standalone.h"
#endif
