/* Printer adapter: prints a slip that ui/slip_render has turned into a 1-bit raster, so it
 * prints in every language and script, whatever fonts the printer has.
 *
 * Backends (configuration `printer.backend`):
 *   usb   a USB printer class device (/dev/usb/lp0)
 *   tcp   a network printer's raw port (host:9100)
 *   file  appends the raw ESC/POS bytes to a file: the development default
 *   png   writes a PNG picture of the slip instead of printing
 *   none  no printer: the screen offers the alternatives
 * usb and tcp ask the printer's status with DLE EOT before and after printing. A printer
 * that does not answer (a one-way USB printer) has an *unknown* status, never "fine": the
 * outcome is then "sent, not confirmed" and the screen says so.
 *
 * print() runs on the worker thread and returns within the configured timeout. */
#ifndef LOKET_PRINT_H
#define LOKET_PRINT_H

#include <stdbool.h>
#include <stddef.h>

/* A 1-bit picture: rows of `stride` bytes, the most significant bit leftmost, 1 = black. */
typedef struct {
    int width, height, stride;
    unsigned char *bits;
} raster;

bool raster_init(raster *r, int width, int height);
void raster_free(raster *r); /* wipes: a slip is personal */
/* Writes the raster as a black-on-white PNG (a preview, or the "png" backend). */
bool raster_write_png(const raster *r, const char *path, char *err, size_t errcap);

typedef enum { PRINTER_CUT_FULL, PRINTER_CUT_PARTIAL, PRINTER_CUT_NONE } printer_cut;

typedef struct {
    int width_dots;  /* 576 (80 mm, 203 dpi), 512 (80 mm, 180 dpi), 384 (58 mm, 203 dpi) */
    int dpi;         /* 203 or 180 */
    bool gs_l;       /* raster with GS ( L (store and print graphics) instead of GS v 0 */
    printer_cut cut; /* after the slip */
    int feed_dots;   /* paper fed after the slip, so the cut misses it */
    bool status;     /* ask DLE EOT (usb, tcp) */
    int timeout_ms;  /* for the whole slip */
} printer_options;

void printer_options_defaults(printer_options *o);

/* What the printer said about itself (DLE EOT n = 1..4). */
typedef struct {
    bool known; /* it answered */
    bool offline, cover_open, paper_near_end, paper_end, cutter_error, error;
} printer_status;

typedef enum {
    PRINT_OUT_PRINTED,     /* sent, and the printer reported no fault afterwards */
    PRINT_OUT_UNCONFIRMED, /* sent, but the printer cannot tell whether it came out */
    PRINT_OUT_FAILED       /* not printed, or not wholly */
} print_outcome_kind;

typedef struct {
    print_outcome_kind kind;
    printer_status before, after;
    /* a short code for counting and the technician ("paper_end", "cover_open", "offline",
     * "cutter", "printer_error", "connect", "write", "timeout", "file"), "" when none */
    char fault[24];
    char reason[200]; /* a sentence for the log, no personal data */
} print_outcome;

typedef struct printer printer;
struct printer {
    void (*print)(printer *p, const raster *r, print_outcome *out);
    void (*destroy)(printer *p);
};

/* For the technician: asks the printer's status now (usb, tcp). False when it cannot be
 * reached (why says so); a file backend has no status (true, unknown). */
bool printer_check(printer *p, printer_status *st, char *why, size_t whycap);

printer *printer_file_new(const char *path, const printer_options *o);
printer *printer_png_new(const char *path, const printer_options *o);
printer *printer_usb_new(const char *device, const printer_options *o);
/* `address` is host:port or host (port 9100). */
printer *printer_tcp_new(const char *address, const printer_options *o);

/* ---- ESC/POS (exposed for tests and the benchmark) ---- */

/* The whole job: initialise, the raster in bands, feed and cut. Returns the length, or 0
 * when it does not fit in `cap`. `out` may be NULL to measure. */
size_t escpos_job(const raster *r, const printer_options *o, unsigned char *out, size_t cap);
/* Reads one DLE EOT answer (n = 1..4) into `st`; false when the byte is not a status byte
 * (bits 0 and 7 clear, bits 1 and 4 set). */
bool escpos_status_parse(int n, unsigned char b, printer_status *st);
/* Fills out->kind/fault/reason for a status that forbids printing; false when it allows it. */
bool printer_status_blocks(const printer_status *st, print_outcome *out);

#endif
