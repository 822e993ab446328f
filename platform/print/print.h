/* Printer adapter: prints a composed slip. Backends: "file" appends the ESC/POS bytes a
 * receipt printer would get (text mode, code page PC858, 48 columns on 80 mm paper) to a file —
 * the development default; "none" has no printer, so the screen offers the alternatives.
 * Raster slips for every script, device and network backends and status come with the slip
 * issue. */
#ifndef LOKET_PRINT_H
#define LOKET_PRINT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/slip.h"

typedef struct printer printer;
struct printer {
    /* Called on the worker thread; false with a short reason when nothing (whole) was printed. */
    bool (*print)(printer *p, const slip *s, char *err, size_t errcap);
    void (*destroy)(printer *p);
    /* Languages (bit per lang_id) whose slips this printer prints correctly; a slip in any
     * other language is printed in Dutch, and the screen says so. */
    unsigned languages;
};

printer *printer_file_new(const char *path);
/* ESC/POS bytes for a slip (exposed for tests); returns the length, 0 if it does not fit. */
size_t escpos_text_render(const slip *s, int columns, unsigned char *out, size_t cap);

#endif
