/* ESC/POS: the byte stream of a raster slip, and the printer's status answers (Epson's
 * ESC/POS command reference: ESC @, GS v 0, GS ( L, ESC J, GS V, DLE EOT). */
#include <string.h>

#include "print/print.h"

#define BAND_ROWS 256 /* rows per raster command: within every printer's receive buffer */

typedef struct {
    unsigned char *p;
    size_t n, cap;
    bool overflow;
} sink;

static void put(sink *s, const void *b, size_t n)
{
    if (s->p && s->n + n <= s->cap)
        memcpy(s->p + s->n, b, n);
    else if (s->p)
        s->overflow = true;
    s->n += n;
}

static void put_band(sink *s, const raster *r, int y0, int rows, bool gs_l)
{
    size_t bytes = (size_t)r->stride * (size_t)rows;
    if (gs_l) {
        /* GS ( L fn 112: store the graphics (monochrome, scale 1x1), then fn 50: print them */
        size_t p = bytes + 10;
        unsigned char h[] = {0x1D,
                             0x28,
                             0x4C,
                             (unsigned char)(p & 0xFF),
                             (unsigned char)(p >> 8),
                             48,
                             112,
                             48,
                             1,
                             1,
                             49,
                             (unsigned char)(r->width & 0xFF),
                             (unsigned char)(r->width >> 8),
                             (unsigned char)(rows & 0xFF),
                             (unsigned char)(rows >> 8)};
        put(s, h, sizeof h);
        put(s, r->bits + (size_t)y0 * (size_t)r->stride, bytes);
        static const unsigned char print[] = {0x1D, 0x28, 0x4C, 2, 0, 48, 50};
        put(s, print, sizeof print);
    } else {
        /* GS v 0, normal density: width in bytes, height in dots */
        unsigned char h[] = {0x1D,
                             0x76,
                             0x30,
                             0,
                             (unsigned char)(r->stride & 0xFF),
                             (unsigned char)(r->stride >> 8),
                             (unsigned char)(rows & 0xFF),
                             (unsigned char)(rows >> 8)};
        put(s, h, sizeof h);
        put(s, r->bits + (size_t)y0 * (size_t)r->stride, bytes);
    }
}

size_t escpos_job(const raster *r, const printer_options *o, unsigned char *out, size_t cap)
{
    sink s = {out, 0, cap, false};
    static const unsigned char init[] = {0x1B, 0x40}; /* ESC @ */
    put(&s, init, sizeof init);
    for (int y = 0; y < r->height; y += BAND_ROWS) {
        int rows = r->height - y < BAND_ROWS ? r->height - y : BAND_ROWS;
        put_band(&s, r, y, rows, o->gs_l);
    }
    for (int left = o->feed_dots; left > 0; left -= 255) {
        unsigned char feed[] = {0x1B, 0x4A, (unsigned char)(left > 255 ? 255 : left)}; /* ESC J */
        put(&s, feed, sizeof feed);
    }
    if (o->cut != PRINTER_CUT_NONE) {
        unsigned char cut[] = {0x1D, 0x56, o->cut == PRINTER_CUT_FULL ? 65 : 66, 0}; /* GS V */
        put(&s, cut, sizeof cut);
    }
    return s.overflow ? 0 : s.n;
}

bool escpos_status_parse(int n, unsigned char b, printer_status *st)
{
    if ((b & 0x93) != 0x12 || n < 1 || n > 4)
        return false;
    st->known = true;
    switch (n) {
    case 1: /* printer status */
        st->offline |= (b & 0x08) != 0;
        break;
    case 2: /* offline cause */
        st->cover_open |= (b & 0x04) != 0;
        st->paper_end |= (b & 0x20) != 0;
        st->error |= (b & 0x40) != 0;
        break;
    case 3: /* error cause */
        st->cutter_error |= (b & 0x08) != 0;
        st->error |= (b & 0x60) != 0;
        break;
    case 4: /* roll paper sensors */
        st->paper_near_end |= (b & 0x0C) != 0;
        st->paper_end |= (b & 0x60) != 0;
        break;
    }
    return true;
}

bool printer_status_blocks(const printer_status *st, print_outcome *out)
{
    if (!st->known)
        return false;
    const char *fault = NULL, *why = NULL;
    if (st->paper_end) {
        fault = "paper_end";
        why = "the paper is out";
    } else if (st->cover_open) {
        fault = "cover_open";
        why = "the cover is open";
    } else if (st->cutter_error) {
        fault = "cutter";
        why = "the cutter is stuck";
    } else if (st->error) {
        fault = "printer_error";
        why = "the printer reports an error";
    } else if (st->offline) {
        fault = "offline";
        why = "the printer is offline";
    }
    if (!fault)
        return false;
    out->kind = PRINT_OUT_FAILED;
    strncpy(out->fault, fault, sizeof out->fault - 1);
    strncpy(out->reason, why, sizeof out->reason - 1);
    return true;
}
