/* The slip as a 1-bit raster: the kiosk draws it itself (fontconfig fonts, HarfBuzz shaping,
 * fribidi order, the same text code as the screen), so a slip prints in every language and
 * script on any ESC/POS printer. Text is thresholded (crisp edges), pictograms and the logo
 * are dithered (Floyd-Steinberg). The paper's width is the printer's; the slip grows in
 * length, never beyond the margins sideways.
 *
 * Runs on the UI thread (SDL_ttf fonts are not shared between threads); a long slip takes a
 * few tens of milliseconds (tests/bench/bench_slip). */
#ifndef LOKET_UI_SLIP_RENDER_H
#define LOKET_UI_SLIP_RENDER_H

#include <stdio.h>

#include "core/slip.h"
#include "print/print.h"

typedef struct slip_renderer slip_renderer;

/* `logo` is a PNG or SVG file printed at the top ("" for none). */
slip_renderer *slip_renderer_new(const char *font_family, const char *icons_dir, const char *logo,
                                 char *err, size_t errcap);
void slip_renderer_free(slip_renderer *sr);

/* The side margin in dots at this resolution (2 mm): nothing is drawn closer to the edge. */
int slip_margin_dots(int dpi);

/* Renders the slip `width_dots` wide at `dpi`. When `log` is given, writes one line per drawn
 * element (tab-separated: "slip", kind, x, y, w, h, text) and a final "slip page" line. */
bool slip_render(slip_renderer *sr, const slip *s, int width_dots, int dpi, raster *out, FILE *log,
                 char *err, size_t errcap);

#endif
