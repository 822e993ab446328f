/* escpos_decode IN.bin OUT.pbm: decodes an ESC/POS stream into a PBM page and prints a summary. */
#include "escpos_decode.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 65536, n = 0;
    unsigned char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) {
            if (ferror(f)) {
                free(buf);
                buf = NULL;
            }
            break;
        }
        unsigned char *bigger = realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    fclose(f);
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s IN.bin OUT.pbm\n", argv[0]);
        return 2;
    }
    size_t n = 0;
    errno = 0;
    unsigned char *buf = read_all(argv[1], &n);
    if (!buf) {
        fprintf(stderr, "%s: %s\n", argv[1], errno ? strerror(errno) : "read error");
        return 1;
    }
    escpos_page page;
    bool ok = escpos_decode(buf, n, &page);
    free(buf);
    if (!ok) {
        fprintf(stderr, "%s: %s\n", argv[1], page.error);
        escpos_page_free(&page);
        return 1;
    }
    if (!escpos_write_pbm(&page, argv[2])) {
        fprintf(stderr, "%s: cannot write\n", argv[2]);
        escpos_page_free(&page);
        return 1;
    }
    printf("width=%d height=%d images=%d inits=%d cuts=%d status_queries=%d text_bytes=%d\n",
           page.width, page.height, page.images, page.inits, page.cuts, page.status_queries,
           page.text_bytes);
    escpos_page_free(&page);
    return 0;
}
