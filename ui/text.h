/* Text: fonts found through fontconfig, rendered by SDL2_ttf (HarfBuzz shaping), cached as
 * textures so that drawing an unchanged text again costs no glyph rendering. */
#ifndef LOKET_UI_TEXT_H
#define LOKET_UI_TEXT_H

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct ui_text ui_text;

ui_text *text_create(const char *family, char *err, size_t errcap);
void text_destroy(ui_text *t);
/* The regular font's cap height as a fraction of its pixel size (for physical text sizes). */
double text_cap_ratio(ui_text *t);
int text_width(ui_text *t, int px, bool bold, const char *s);
int text_line_height(ui_text *t, int px, bool bold);
/* Splits `s` into lines of at most `maxw` pixels at spaces (and at '\n'); calls `line` for
 * each with a pointer into a scratch buffer. Returns the number of lines. */
int text_wrap(ui_text *t, int px, bool bold, const char *s, int maxw,
              void (*line)(void *ctx, const char *text, int width), void *ctx);
/* A texture of the text; owned by the cache (valid until the next text_frame_end()). */
SDL_Texture *text_texture(ui_text *t, SDL_Renderer *r, int px, bool bold, SDL_Color c,
                          const char *s, int *w, int *h);
/* A new ARGB8888 surface of the text (the caller frees it), for drawing without a renderer
 * (the printed slip); NULL for "" or when no font is found. Not cached. */
SDL_Surface *text_surface(ui_text *t, int px, bool bold, SDL_Color c, const char *s);
/* The runs of a line in visual order (left to right), joined by '|', without fonts (for
 * tests of the bidirectional text path); "" when the line needs no bidi. */
void text_bidi_visual(const char *s, char *out, size_t cap);
/* Whether Arabic text is shaped by HarfBuzz (joined letters, ligatures): 1 yes, 0 no (SDL_ttf
 * built without HarfBuzz: letters would stand apart), -1 no Arabic drawn yet. */
int text_shaping(const ui_text *t);
/* Glyph renderings so far (TTF_Render calls): to check that unchanged frames cost none. */
unsigned long text_render_count(const ui_text *t);
void text_cache_clear(ui_text *t);

#endif
