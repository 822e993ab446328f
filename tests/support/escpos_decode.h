/* Independent ESC/POS decoder for tests: turns the byte stream the kiosk sends to the receipt
 * printer into a 1-bit page bitmap plus command counters. Deliberately shares no code with the
 * kiosk's own printer code, so it can be used to check it. */
#ifndef ESCPOS_DECODE_H
#define ESCPOS_DECODE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    int width;         /* dots: widest raster row seen (bytes*8) */
    int height;        /* rows stacked so far */
    unsigned char *px; /* width*height bytes, 1 = black, 0 = white, row-major */
    int images;        /* raster images seen (GS v 0 commands, GS ( L prints) */
    int inits, cuts, feeds_dots, status_queries, text_bytes;
    char error[160]; /* "" when the stream was well formed */
} escpos_page;

/* Decodes the stream; returns false (and sets error, e.g. "offset 1234: GS v 0 runs past the
 * end") on a malformed or unknown command. out is always initialised (also on failure, where it
 * holds the page decoded up to the error); release it with escpos_page_free either way. */
bool escpos_decode(const unsigned char *buf, size_t n, escpos_page *out);
void escpos_page_free(escpos_page *p);
bool escpos_write_pbm(const escpos_page *p, const char *path); /* binary P4 PBM */

#endif
