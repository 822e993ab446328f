/* The desk console's configuration: an INI file (inih). The `[desk]` section; the keys of the
 * kiosk's `[uplink]` section (url, ca, cert, key, token_file, pin) are taken where `[desk]`
 * does not give them, so a desk PC can share the kiosk's file on a one-machine demo. Other
 * sections are ignored; an unknown key in `[desk]` or a bad value is an error naming the file
 * and line. */
#ifndef LOKET_DESK_CONFIG_H
#define LOKET_DESK_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "desk/desk.h"

typedef struct {
    char url[512]; /* https://host/klantinteracties/api/v1 */
    char ca[1024]; /* CA bundle; "" : the system's */
    char cert[1024], key[1024];
    char token_file[1024];
    char pin[256];
    char team_actor[DESK_UUID_MAX]; /* the site team's actor uuid */
    int poll_ms;                    /* 250-10000, default 1000 */
    int timeout_s;                  /* per request, 2-60, default 8 */
    desk_lang lang;                 /* nl (default) or en */
    bool sound;                     /* the chime for a new task (default true) */
    int width_px, height_px;        /* window, default 1280 x 800 */
    double width_mm;                /* the monitor's picture width, default 340 */
    char font[128];                 /* default "Noto Sans" */
    char icons_dir[1024];
    char content_dir[1024];
} desk_config;

void desk_config_defaults(desk_config *c);
/* Reads the file over the defaults; false with "file:line: problem" in err. */
bool desk_config_load(desk_config *c, const char *path, char *err, size_t errcap);
/* Checks what the program needs to run (a url, a token file, a team). */
bool desk_config_check(const desk_config *c, char *err, size_t errcap);

#endif
