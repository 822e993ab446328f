/* The slip as a PNG picture: the "png" backend and the preview. SDL2_image writes it. */
#include <SDL.h>
#include <SDL_image.h>
#include <stdio.h>

#include "print/print.h"

bool raster_write_png(const raster *r, const char *path, char *err, size_t errcap)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, r->width, r->height > 0 ? r->height : 1, 32,
                                                    SDL_PIXELFORMAT_RGBA32);
    if (!s) {
        snprintf(err, errcap, "cannot make the picture: %s", SDL_GetError());
        return false;
    }
    SDL_FillRect(s, NULL, 0xFFFFFFFFu);
    for (int y = 0; y < r->height; y++) {
        Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch);
        const unsigned char *src = r->bits + (size_t)y * (size_t)r->stride;
        for (int x = 0; x < r->width; x++)
            if (src[x >> 3] & (0x80 >> (x & 7)))
                row[x] = SDL_MapRGBA(s->format, 0, 0, 0, 255);
    }
    bool ok = IMG_SavePNG(s, path) == 0;
    if (!ok)
        snprintf(err, errcap, "cannot write %s: %s", path, SDL_GetError());
    SDL_memset(s->pixels, 0, (size_t)s->pitch * (size_t)s->h);
    SDL_FreeSurface(s);
    return ok;
}
