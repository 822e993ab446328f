/* Drawing a layout, and the pictogram cache. */
#ifndef LOKET_UI_WIDGETS_H
#define LOKET_UI_WIDGETS_H

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "layout.h"

typedef struct icon_cache icon_cache;
icon_cache *icons_create(const char *dir);
void icons_destroy(icon_cache *c);
void widgets_draw(SDL_Renderer *r, ui_text *tx, icon_cache *ic, const layout *L);

/* What the kiosk's and the desk's windows share: */
/* The widget under a point in window coordinates, the renderer being w x h pixels (high-DPI). */
const widget *widgets_hit_window(SDL_Window *win, const layout *L, int w, int h, int x, int y);
/* The presented frame (w x h pixels) as a PNG; false with the reason in err. */
bool widgets_screenshot(SDL_Renderer *r, int w, int h, const char *path, char *err, size_t errcap);
/* The render log's lines of the layout's controls, texts and paragraphs (and its icons with
 * `icons`), one a line, tab-separated. */
void widgets_write_log(FILE *f, const layout *L, bool icons);
/* The keyboard focus ring around `at`: outside it, dark then light, seen on any background. */
void widgets_focus_ring(SDL_Renderer *r, const theme *th, SDL_Rect at);

#endif
