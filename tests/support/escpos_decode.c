/* Independent ESC/POS decoder for tests (see escpos_decode.h). Strict on purpose: anything it
 * does not know is an error, so an unexpected byte in the kiosk's output makes a test fail. */
#include "escpos_decode.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 100000
#define MAX_WIDTH 4096
#define LINE_DOTS 24 /* one text line (ESC d, LF) in dots */

enum { DLE = 0x10, ESC = 0x1B, GS = 0x1D, LF = 0x0A, EOT = 0x04 };

typedef struct {
    escpos_page *p;
    size_t cap_rows; /* rows allocated in p->px */
    size_t off;      /* offset of the command being decoded */
    /* Graphics stored with GS ( L fn=112, printed with fn=50. */
    bool stored;
    unsigned char *st;
    size_t st_rowbytes;
    int st_w, st_h, st_sx, st_sy;
} decoder;

__attribute__((format(printf, 2, 3))) static bool fail(decoder *d, const char *fmt, ...)
{
    char msg[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(d->p->error, sizeof d->p->error, "offset %zu: %s", d->off, msg);
    return false;
}

/* Makes the page at least w dots wide, moving the rows so far (left-aligned). */
static bool widen(decoder *d, int w)
{
    escpos_page *p = d->p;
    if (w <= p->width)
        return true;
    unsigned char *px = NULL;
    if (d->cap_rows > 0) {
        px = calloc(d->cap_rows, (size_t)w);
        if (!px)
            return fail(d, "out of memory");
        for (int r = 0; r < p->height; r++)
            if (p->width > 0)
                memcpy(px + (size_t)r * (size_t)w, p->px + (size_t)r * (size_t)p->width,
                       (size_t)p->width);
    }
    free(p->px);
    p->px = px;
    p->width = w;
    return true;
}

/* Makes room for `rows` more rows; the new rows are white. */
static bool reserve(decoder *d, int rows)
{
    escpos_page *p = d->p;
    size_t need = (size_t)p->height + (size_t)rows;
    if (need <= d->cap_rows)
        return true;
    size_t cap = d->cap_rows ? d->cap_rows * 2 : 256;
    if (cap < need)
        cap = need;
    if (cap > MAX_ROWS)
        cap = MAX_ROWS;
    if (p->width > 0) {
        unsigned char *px = realloc(p->px, cap * (size_t)p->width);
        if (!px)
            return fail(d, "out of memory");
        memset(px + d->cap_rows * (size_t)p->width, 0, (cap - d->cap_rows) * (size_t)p->width);
        p->px = px;
    }
    d->cap_rows = cap;
    return true;
}

/* Appends a bit image (MSB = leftmost dot, 1 = black) of w dots x h rows, each dot scaled to
 * sx x sy; data == NULL appends h white rows instead. */
static bool add_rows(decoder *d, const unsigned char *data, size_t rowbytes, int w, int h, int sx,
                     int sy)
{
    escpos_page *p = d->p;
    long out_w = (long)w * sx, out_h = (long)h * sy;
    if (out_w > MAX_WIDTH)
        return fail(d, "image %ld dots wide, more than %d", out_w, MAX_WIDTH);
    if (p->height + out_h > MAX_ROWS)
        return fail(d, "page longer than %d rows", MAX_ROWS);
    if (!widen(d, (int)out_w) || !reserve(d, (int)out_h))
        return false;
    if (data && p->width > 0) {
        for (int y = 0; y < h; y++) {
            const unsigned char *src = data + (size_t)y * rowbytes;
            for (int ry = 0; ry < sy; ry++) {
                unsigned char *dst =
                    p->px +
                    ((size_t)p->height + (size_t)y * (size_t)sy + (size_t)ry) * (size_t)p->width;
                for (int x = 0; x < w; x++) {
                    unsigned char bit = (src[x / 8] >> (7 - x % 8)) & 1;
                    for (int rx = 0; rx < sx; rx++)
                        dst[x * sx + rx] = bit;
                }
            }
        }
    }
    p->height += (int)out_h;
    return true;
}

static bool feed(decoder *d, int dots)
{
    d->p->feeds_dots += dots;
    return add_rows(d, NULL, 0, 0, dots, 1, 1);
}

/* GS ( L pL pH m fn ...: buf points at GS, p = pL + pH*256 bytes follow pH (checked present). */
static bool graphics(decoder *d, const unsigned char *buf, size_t p)
{
    const unsigned char *q = buf + 5; /* m fn params... */
    if (p < 2)
        return fail(d, "GS ( L with pL+pH*256 = %zu < 2", p);
    unsigned m = q[0], fn = q[1];
    if (fn == 112) {
        if (m != 48 || p < 10)
            return fail(d, "GS ( L fn=112 with m=%u, length %zu", m, p);
        unsigned a = q[2], bx = q[3], by = q[4], c = q[5];
        unsigned x = q[6] | (unsigned)q[7] << 8, y = q[8] | (unsigned)q[9] << 8;
        if (a != 48 || bx < 1 || bx > 2 || by < 1 || by > 2 || c < 49 || c > 52)
            return fail(d, "GS ( L fn=112 with a=%u bx=%u by=%u c=%u", a, bx, by, c);
        size_t rowbytes = (x + 7) / 8;
        if (p - 10 != rowbytes * y)
            return fail(d, "GS ( L fn=112 %ux%u dots needs %zu data bytes, has %zu", x, y,
                        rowbytes * y, p - 10);
        free(d->st);
        d->st = NULL;
        if (p > 10) {
            d->st = malloc(p - 10);
            if (!d->st)
                return fail(d, "out of memory");
            memcpy(d->st, q + 10, p - 10);
        }
        d->stored = true;
        d->st_rowbytes = rowbytes;
        d->st_w = (int)x;
        d->st_h = (int)y;
        d->st_sx = (int)bx;
        d->st_sy = (int)by;
        return true;
    }
    if (fn == 50 || fn == 2) {
        if (m != 48 || p != 2)
            return fail(d, "GS ( L fn=%u with m=%u, length %zu", fn, m, p);
        if (!d->stored)
            return fail(d, "GS ( L prints, but no graphics were stored");
        d->p->images++;
        if (!d->st)
            return true; /* an empty image was stored */
        return add_rows(d, d->st, d->st_rowbytes, d->st_w, d->st_h, d->st_sx, d->st_sy);
    }
    return true; /* other functions: skipped */
}

bool escpos_decode(const unsigned char *buf, size_t n, escpos_page *out)
{
    memset(out, 0, sizeof *out);
    decoder d = {.p = out};
    bool ok = true;
    size_t i = 0;
#define NEED(k, name)                                                                              \
    if (n - i < (size_t)(k)) {                                                                     \
        ok = fail(&d, "%s runs past the end", name);                                               \
        break;                                                                                     \
    }
    while (ok && i < n) {
        d.off = i;
        unsigned char c = buf[i];
        if (c == ESC) {
            NEED(2, "ESC");
            unsigned char c1 = buf[i + 1];
            switch (c1) {
            case '@':
                out->inits++;
                i += 2;
                break;
            case 't':
            case 'E':
            case 'a':
                NEED(3, c1 == 't' ? "ESC t" : c1 == 'E' ? "ESC E" : "ESC a");
                i += 3;
                break;
            case 'd':
                NEED(3, "ESC d");
                ok = feed(&d, buf[i + 2] * LINE_DOTS);
                i += 3;
                break;
            case 'J':
                NEED(3, "ESC J");
                ok = feed(&d, buf[i + 2]);
                i += 3;
                break;
            default:
                ok = fail(&d, "unknown command ESC 0x%02X", c1);
            }
        } else if (c == GS) {
            NEED(2, "GS");
            unsigned char c1 = buf[i + 1];
            if (c1 == '!') {
                NEED(3, "GS !");
                i += 3;
            } else if (c1 == 'V') {
                NEED(3, "GS V");
                unsigned m = buf[i + 2];
                if (m == 0 || m == 1 || m == 48 || m == 49) {
                    i += 3;
                } else if (m == 65 || m == 66) {
                    NEED(4, "GS V m n");
                    i += 4;
                } else {
                    ok = fail(&d, "GS V with unknown m=%u", m);
                    break;
                }
                out->cuts++;
            } else if (c1 == 'v') {
                NEED(3, "GS v");
                if (buf[i + 2] != '0') {
                    ok = fail(&d, "unknown command GS v 0x%02X", buf[i + 2]);
                    break;
                }
                NEED(8, "GS v 0");
                unsigned m = buf[i + 3];
                if (m > 51 || (m > 3 && m < 48)) {
                    ok = fail(&d, "GS v 0 with unknown m=%u", m);
                    break;
                }
                size_t xb = buf[i + 4] | (size_t)buf[i + 5] << 8;
                size_t y = buf[i + 6] | (size_t)buf[i + 7] << 8;
                if (xb * y > n - i - 8) {
                    ok = fail(&d, "GS v 0 runs past the end");
                    break;
                }
                out->images++;
                ok = add_rows(&d, buf + i + 8, xb, (int)(xb * 8), (int)y, (m & 1) ? 2 : 1,
                              (m & 2) ? 2 : 1);
                i += 8 + xb * y;
            } else if (c1 == '(') {
                NEED(3, "GS (");
                if (buf[i + 2] != 'L') {
                    ok = fail(&d, "unknown command GS ( 0x%02X", buf[i + 2]);
                    break;
                }
                NEED(5, "GS ( L");
                size_t p = buf[i + 3] | (size_t)buf[i + 4] << 8;
                if (p > n - i - 5) {
                    ok = fail(&d, "GS ( L runs past the end");
                    break;
                }
                ok = graphics(&d, buf + i, p);
                i += 5 + p;
            } else {
                ok = fail(&d, "unknown command GS 0x%02X", c1);
            }
        } else if (c == DLE) {
            NEED(2, "DLE");
            if (buf[i + 1] != EOT) {
                ok = fail(&d, "unknown command DLE 0x%02X", buf[i + 1]);
                break;
            }
            NEED(3, "DLE EOT");
            if (buf[i + 2] < 1 || buf[i + 2] > 4) {
                ok = fail(&d, "DLE EOT with unknown n=%u", buf[i + 2]);
                break;
            }
            out->status_queries++;
            i += 3;
        } else if (c == LF) {
            ok = feed(&d, LINE_DOTS);
            i++;
        } else if (c >= 0x20) {
            out->text_bytes++;
            i++;
        } else {
            ok = fail(&d, "unexpected control byte 0x%02X", c);
        }
    }
#undef NEED
    free(d.st);
    if (ok)
        out->error[0] = '\0';
    return ok;
}

void escpos_page_free(escpos_page *p)
{
    if (!p)
        return;
    free(p->px);
    p->px = NULL;
    p->width = p->height = 0;
}

bool escpos_write_pbm(const escpos_page *p, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fprintf(f, "P4\n%d %d\n", p->width, p->height) > 0;
    size_t rowbytes = ((size_t)p->width + 7) / 8;
    unsigned char *row = calloc(rowbytes ? rowbytes : 1, 1);
    ok = ok && row;
    for (int y = 0; ok && y < p->height; y++) {
        memset(row, 0, rowbytes);
        const unsigned char *src = p->px + (size_t)y * (size_t)p->width;
        for (int x = 0; x < p->width; x++)
            if (src[x])
                row[x / 8] |= (unsigned char)(0x80 >> (x % 8));
        ok = fwrite(row, 1, rowbytes, f) == rowbytes;
    }
    free(row);
    if (fclose(f) != 0)
        ok = false;
    return ok;
}
