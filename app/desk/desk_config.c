#include "desk/desk_config.h"

#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void desk_config_defaults(desk_config *c)
{
    memset(c, 0, sizeof *c);
    c->poll_ms = 1000;
    c->timeout_s = 8;
    c->lang = DESK_NL;
    c->sound = true;
    c->width_px = 1280;
    c->height_px = 800;
    c->width_mm = 340;
    snprintf(c->font, sizeof c->font, "Noto Sans");
}

typedef struct {
    desk_config *c;
    /* [uplink] values, used where [desk] gives none */
    desk_config up;
    bool set_url, set_ca, set_cert, set_key, set_token, set_pin, set_other;
    char err[512];
} loader;

static bool int_in(const char *v, int lo, int hi, int *out)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (!*v || *end || n < lo || n > hi)
        return false;
    *out = (int)n;
    return true;
}

static int on_key(void *ud, const char *section, const char *name, const char *value)
{
    loader *L = ud;
    if (!name)
        return 1; /* a section header alone */
    if (L->err[0])
        return 0;
    bool up = !strcmp(section, "uplink");
    if (!up && strcmp(section, "desk"))
        return 1; /* the kiosk's other sections */
    desk_config *c = up ? &L->up : L->c;
#define STR(key, field, flag)                                                                      \
    if (!strcmp(name, key)) {                                                                      \
        if (strlen(value) >= sizeof c->field) {                                                    \
            snprintf(L->err, sizeof L->err, "%s.%s is too long", section, name);                   \
            return 0;                                                                              \
        }                                                                                          \
        snprintf(c->field, sizeof c->field, "%s", value);                                          \
        if (!up)                                                                                   \
            L->flag = true;                                                                        \
        return 1;                                                                                  \
    }
    STR("url", url, set_url)
    STR("ca", ca, set_ca)
    STR("cert", cert, set_cert)
    STR("key", key, set_key)
    STR("token_file", token_file, set_token)
    STR("pin", pin, set_pin)
    if (up)
        return 1; /* the uplink's other keys (timeouts, back-off) are the kiosk's */
    STR("team_actor", team_actor, set_other)
    STR("font", font, set_other)
    STR("icons_dir", icons_dir, set_other)
    STR("content_dir", content_dir, set_other)
#undef STR
    if (!strcmp(name, "poll_ms")) {
        if (!int_in(value, 250, 10000, &c->poll_ms))
            goto bad;
    } else if (!strcmp(name, "timeout_s")) {
        if (!int_in(value, 2, 60, &c->timeout_s))
            goto bad;
    } else if (!strcmp(name, "width_px")) {
        if (!int_in(value, 640, 7680, &c->width_px))
            goto bad;
    } else if (!strcmp(name, "height_px")) {
        if (!int_in(value, 480, 4320, &c->height_px))
            goto bad;
    } else if (!strcmp(name, "width_mm")) {
        int mm;
        if (!int_in(value, 150, 2000, &mm))
            goto bad;
        c->width_mm = mm;
    } else if (!strcmp(name, "language")) {
        if (!strcmp(value, "nl"))
            c->lang = DESK_NL;
        else if (!strcmp(value, "en"))
            c->lang = DESK_EN;
        else
            goto bad;
    } else if (!strcmp(name, "sound")) {
        if (!strcmp(value, "true"))
            c->sound = true;
        else if (!strcmp(value, "false"))
            c->sound = false;
        else
            goto bad;
    } else {
        snprintf(L->err, sizeof L->err, "unknown key desk.%s", name);
        return 0;
    }
    return 1;
bad:
    snprintf(L->err, sizeof L->err, "desk.%s: '%s' is not allowed here", name, value);
    return 0;
}

bool desk_config_load(desk_config *c, const char *path, char *err, size_t errcap)
{
    loader L = {.c = c};
    desk_config_defaults(&L.up);
    int rc = ini_parse(path, on_key, &L);
    if (rc < 0) {
        snprintf(err, errcap, "%s: cannot read the file", path);
        return false;
    }
    if (rc > 0 && L.err[0]) {
        snprintf(err, errcap, "%s:%d: %s", path, rc, L.err);
        return false;
    }
    if (rc > 0) {
        snprintf(err, errcap, "%s:%d: not a line of an INI file", path, rc);
        return false;
    }
    if (!L.set_url && L.up.url[0])
        snprintf(c->url, sizeof c->url, "%s", L.up.url);
    if (!L.set_ca && L.up.ca[0])
        snprintf(c->ca, sizeof c->ca, "%s", L.up.ca);
    if (!L.set_cert && L.up.cert[0])
        snprintf(c->cert, sizeof c->cert, "%s", L.up.cert);
    if (!L.set_key && L.up.key[0])
        snprintf(c->key, sizeof c->key, "%s", L.up.key);
    if (!L.set_token && L.up.token_file[0])
        snprintf(c->token_file, sizeof c->token_file, "%s", L.up.token_file);
    if (!L.set_pin && L.up.pin[0])
        snprintf(c->pin, sizeof c->pin, "%s", L.up.pin);
    return true;
}

bool desk_config_check(const desk_config *c, char *err, size_t errcap)
{
    if (strncmp(c->url, "https://", 8) != 0) {
        snprintf(err, errcap,
                 "desk.url (or uplink.url): the case service's https:// address is "
                 "needed");
        return false;
    }
    if (!c->token_file[0]) {
        snprintf(err, errcap, "desk.token_file (or uplink.token_file) is needed");
        return false;
    }
    size_t n = strlen(c->team_actor);
    bool ok = n == 36;
    for (size_t i = 0; ok && i < n; i++)
        ok = strchr("0123456789abcdefABCDEF-", c->team_actor[i]) != NULL;
    if (!ok) {
        snprintf(err, errcap,
                 "desk.team_actor: the site team's actor uuid (36 characters) is "
                 "needed");
        return false;
    }
    return true;
}
