/* Drawing a layout, and the pictogram cache. */
#ifndef LOKET_UI_WIDGETS_H
#define LOKET_UI_WIDGETS_H

#include <SDL.h>

#include "layout.h"

typedef struct icon_cache icon_cache;
icon_cache *icons_create(const char *dir);
void icons_destroy(icon_cache *c);
void widgets_draw(SDL_Renderer *r, ui_text *tx, icon_cache *ic, const layout *L);

#endif
