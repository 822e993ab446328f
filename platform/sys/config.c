#include "sys/config.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hours.h"
#include "core/lang.h"

#ifndef LOKET_ASSETS_DIR
#define LOKET_ASSETS_DIR "/usr/share/loket"
#endif
#ifndef LOKET_LOCALE_DIR
#define LOKET_LOCALE_DIR "/usr/share/locale"
#endif

void config_defaults(loket_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->kiosk_id, sizeof cfg->kiosk_id, "zuil-1");
    snprintf(cfg->site_name, sizeof cfg->site_name, "Informatiepunt Digitale Overheid");
    snprintf(cfg->data_dir, sizeof cfg->data_dir, "loket-data");
    snprintf(cfg->content_dir, sizeof cfg->content_dir, "%s/content", LOKET_ASSETS_DIR);
    snprintf(cfg->icons_dir, sizeof cfg->icons_dir, "%s/icons", LOKET_ASSETS_DIR);
    snprintf(cfg->locale_dir, sizeof cfg->locale_dir, "%s", LOKET_LOCALE_DIR);
    snprintf(cfg->font_family, sizeof cfg->font_family, "Noto Sans");
    session_config_defaults(&cfg->session);
    /* the kiosk offers all six languages; a text without a translation shows in Dutch */
    cfg->session.languages = (1u << LANG_COUNT) - 1;
    cfg->width_px = 1080;
    cfg->height_px = 1920;
    /* a 21.5" 16:9 panel in portrait: 268 mm wide */
    cfg->screen_width_mm = 268;
    cfg->screen_height_mm = 476;
    cfg->view_distance_mm = 500;
    cfg->screen_bottom_mm = 900;
    snprintf(cfg->speech_backend, sizeof cfg->speech_backend, "espeak");
    /* Demo site: the municipality of Utrecht's public contact details. A site sets its own. */
    snprintf(cfg->municipality_name, sizeof cfg->municipality_name, "Gemeente Utrecht");
    snprintf(cfg->municipality_phone, sizeof cfg->municipality_phone, "14 030");
    snprintf(cfg->municipality_website, sizeof cfg->municipality_website, "www.utrecht.nl");
    snprintf(cfg->municipality_visit, sizeof cfg->municipality_visit,
             "Stadskantoor, Stadsplateau 1, Utrecht");
    cfg->kiosk_number = 1;
    snprintf(cfg->printer_backend, sizeof cfg->printer_backend, "file");
    printer_options_defaults(&cfg->printer);
    uplink_config_defaults(&cfg->uplink);
    nfc_library_defaults(&cfg->nfc_library);
    snprintf(cfg->handoff_backend, sizeof cfg->handoff_backend, "sim");
}

static bool set_str(char *dst, size_t cap, const char *v, char *err, size_t errcap)
{
    if (strlen(v) >= cap) {
        snprintf(err, errcap, "value is longer than %zu characters", cap - 1);
        return false;
    }
    snprintf(dst, cap, "%s", v);
    return true;
}

static bool set_long(long *out, const char *v, long lo, long hi, char *err, size_t errcap)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < lo || n > hi) {
        snprintf(err, errcap, "'%s' is not a whole number from %ld to %ld", v, lo, hi);
        return false;
    }
    *out = n;
    return true;
}

static bool set_bool(bool *out, const char *v, char *err, size_t errcap)
{
    if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "1"))
        *out = true;
    else if (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "0"))
        *out = false;
    else {
        snprintf(err, errcap, "'%s' is not true or false", v);
        return false;
    }
    return true;
}

static bool set_languages(loket_config *cfg, const char *v, char *err, size_t errcap)
{
    uint32_t mask = 0;
    char buf[128];
    snprintf(buf, sizeof buf, "%s", v);
    char *save = NULL;
    for (char *tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
        int l = lang_from_code(tok);
        if (l < 0) {
            snprintf(err, errcap, "unknown language '%s' (nl, en, tr, ar, pl, uk)", tok);
            return false;
        }
        mask |= 1u << l;
    }
    if (!(mask & (1u << LANG_NL))) {
        snprintf(err, errcap, "languages must include nl");
        return false;
    }
    cfg->session.languages = mask;
    return true;
}

bool config_set(loket_config *cfg, const char *section, const char *key, const char *v, char *err,
                size_t errcap)
{
    long n;
#define IS(s, k) (!strcmp(section, s) && !strcmp(key, k))
#define STR(field) set_str(cfg->field, sizeof cfg->field, v, err, errcap)
    if (IS("kiosk", "id"))
        return STR(kiosk_id);
    if (IS("kiosk", "number")) {
        if (!set_long(&n, v, 1, 999, err, errcap))
            return false;
        cfg->kiosk_number = (int)n;
        return true;
    }
    if (IS("kiosk", "logo"))
        return STR(logo);
    if (IS("kiosk", "site_name"))
        return STR(site_name);
    if (IS("kiosk", "data_dir"))
        return STR(data_dir);
    if (IS("kiosk", "content_dir"))
        return STR(content_dir);
    if (IS("kiosk", "icons_dir"))
        return STR(icons_dir);
    if (IS("kiosk", "locale_dir"))
        return STR(locale_dir);
    if (IS("kiosk", "font"))
        return STR(font_family);
    if (IS("kiosk", "debug_log"))
        return set_bool(&cfg->debug_log, v, err, errcap);
    if (IS("kiosk", "languages"))
        return set_languages(cfg, v, err, errcap);
    if (IS("kiosk", "default_language")) {
        int l = lang_from_code(v);
        if (l < 0) {
            snprintf(err, errcap, "unknown language '%s'", v);
            return false;
        }
        cfg->session.default_lang = (lang_id)l;
        return true;
    }
    if (IS("session", "idle_timeout_s")) {
        if (!set_long(&n, v, 15, 3600, err, errcap))
            return false;
        cfg->session.idle_ms = (uint32_t)n * 1000u;
        return true;
    }
    if (IS("session", "warning_s")) {
        if (!set_long(&n, v, 20, 600, err, errcap))
            return false;
        cfg->session.warning_ms = (uint32_t)n * 1000u;
        return true;
    }
    if (IS("session", "max_extensions")) {
        if (!set_long(&n, v, 0, 1000, err, errcap))
            return false;
        if (n != 0 && n < 10) {
            snprintf(err, errcap, "at least 10 (or 0 for no limit): WCAG 2.2.1");
            return false;
        }
        cfg->session.max_extensions = (int)n;
        return true;
    }
    if (IS("session", "goodbye_s")) {
        if (!set_long(&n, v, 3, 600, err, errcap))
            return false;
        cfg->session.goodbye_ms = (uint32_t)n * 1000u;
        return true;
    }
    if (IS("screen", "width_px") || IS("screen", "height_px")) {
        if (!set_long(&n, v, 320, 8192, err, errcap))
            return false;
        *(key[0] == 'w' ? &cfg->width_px : &cfg->height_px) = (int)n;
        return true;
    }
    if (IS("screen", "orientation")) {
        if (strcmp(v, "portrait") && strcmp(v, "landscape")) {
            snprintf(err, errcap, "'%s' is not portrait or landscape", v);
            return false;
        }
        config_set_orientation(cfg, v[0] == 'l');
        return true;
    }
    if (IS("screen", "width_mm") || IS("screen", "height_mm") || IS("screen", "view_distance_mm")) {
        if (!set_long(&n, v, 100, 3000, err, errcap))
            return false;
        *(key[0] == 'w'   ? &cfg->screen_width_mm
          : key[0] == 'h' ? &cfg->screen_height_mm
                          : &cfg->view_distance_mm) = (double)n;
        return true;
    }
    if (IS("screen", "bottom_mm")) {
        if (!set_long(&n, v, 0, 2500, err, errcap))
            return false;
        cfg->screen_bottom_mm = (double)n;
        return true;
    }
    if (IS("session", "speech_idle_timeout_s")) {
        if (!set_long(&n, v, 15, 3600, err, errcap))
            return false;
        cfg->session.speech_idle_ms = (uint32_t)n * 1000u;
        return true;
    }
    if (IS("session", "speech_warning_s")) {
        if (!set_long(&n, v, 20, 600, err, errcap))
            return false;
        cfg->session.speech_warning_ms = (uint32_t)n * 1000u;
        return true;
    }
    if (IS("speech", "backend")) {
        if (strcmp(v, "espeak") && strcmp(v, "sim") && strcmp(v, "none")) {
            snprintf(err, errcap, "'%s' is not a speech backend (espeak, sim, none)", v);
            return false;
        }
        return STR(speech_backend);
    }
    if (IS("nfc", "device"))
        return STR(nfc_device);
    if (IS("nfc", "csca_dir"))
        return STR(csca_dir);
    if (IS("nfc", "roles"))
        return STR(nfc_roles);
    if (IS("nfc", "staff_pins"))
        return STR(nfc_staff_pins);
    if (IS("nfc", "library_pass")) {
        if (!nfc_library_parse_mode(v, &cfg->nfc_library.mode)) {
            snprintf(err, errcap, "'%s' is not a library pass setting (off, uid)", v);
            return false;
        }
        return true;
    }
    if (IS("nfc", "library_number")) {
        if (!nfc_library_parse_format(v, &cfg->nfc_library.format)) {
            snprintf(err, errcap,
                     "'%s' is not a library pass number (uid-decimal-le, uid-decimal-be, uid-hex)",
                     v);
            return false;
        }
        return true;
    }
    if (IS("nfc", "library_digits")) {
        if (!set_long(&n, v, 0, 32, err, errcap))
            return false;
        cfg->nfc_library.digits = (int)n;
        return true;
    }
    if (IS("speech", "data_dir"))
        return STR(speech_data_dir);
    if (IS("speech", "device"))
        return STR(speech_device);
    if (IS("speech", "headset"))
        return set_bool(&cfg->session.headset, v, err, errcap);
    if (IS("municipality", "name"))
        return STR(municipality_name);
    if (IS("municipality", "phone"))
        return STR(municipality_phone);
    if (IS("municipality", "website"))
        return STR(municipality_website);
    if (IS("municipality", "visit"))
        return STR(municipality_visit);
    if (IS("printer", "backend")) {
        if (strcmp(v, "usb") && strcmp(v, "tcp") && strcmp(v, "file") && strcmp(v, "png") &&
            strcmp(v, "none")) {
            snprintf(err, errcap, "'%s' is not a printer backend (usb, tcp, file, png, none)", v);
            return false;
        }
        return STR(printer_backend);
    }
    if (IS("printer", "path"))
        return STR(printer_path);
    if (IS("printer", "device"))
        return STR(printer_device);
    if (IS("printer", "preview"))
        return STR(printer_preview);
    if (IS("printer", "width_dots")) {
        if (!set_long(&n, v, 256, 2048, err, errcap))
            return false;
        if (n % 8) {
            snprintf(err, errcap, "a multiple of 8 (576, 512 or 384)");
            return false;
        }
        cfg->printer.width_dots = (int)n;
        return true;
    }
    if (IS("printer", "dpi")) {
        if (!set_long(&n, v, 100, 600, err, errcap))
            return false;
        cfg->printer.dpi = (int)n;
        return true;
    }
    if (IS("printer", "raster")) {
        if (strcmp(v, "gs_v_0") && strcmp(v, "gs_l")) {
            snprintf(err, errcap, "'%s' is not gs_v_0 or gs_l", v);
            return false;
        }
        cfg->printer.gs_l = v[3] == 'l';
        return true;
    }
    if (IS("printer", "cut")) {
        if (strcmp(v, "full") && strcmp(v, "partial") && strcmp(v, "none")) {
            snprintf(err, errcap, "'%s' is not full, partial or none", v);
            return false;
        }
        cfg->printer.cut = v[0] == 'f'   ? PRINTER_CUT_FULL
                           : v[0] == 'p' ? PRINTER_CUT_PARTIAL
                                         : PRINTER_CUT_NONE;
        return true;
    }
    if (IS("printer", "feed_mm")) {
        if (!set_long(&n, v, 0, 50, err, errcap))
            return false;
        cfg->printer.feed_dots = (int)((double)n * cfg->printer.dpi / 25.4 + 0.5);
        return true;
    }
    if (IS("printer", "status"))
        return set_bool(&cfg->printer.status, v, err, errcap);
    if (IS("printer", "timeout_s")) {
        if (!set_long(&n, v, 2, 120, err, errcap))
            return false;
        cfg->printer.timeout_ms = (int)n * 1000;
        return true;
    }
    if (IS("outbox", "path"))
        return STR(outbox_path);
    if (IS("outbox", "key_file"))
        return STR(outbox_key);
    if (IS("outbox", "max_records")) {
        if (!set_long(&n, v, 10, 1000000, err, errcap))
            return false;
        cfg->outbox.max_records = (int)n;
        return true;
    }
    if (IS("outbox", "max_mb")) {
        if (!set_long(&n, v, 1, 100000, err, errcap))
            return false;
        cfg->outbox.max_bytes = (int64_t)n << 20;
        return true;
    }
    if (IS("uplink", "url")) {
        if (v[0] && strncmp(v, "https://", 8) != 0) {
            snprintf(err, errcap, "the case service is reached over HTTPS only (https://...)");
            return false;
        }
        return STR(uplink.base_url);
    }
    if (IS("uplink", "ca"))
        return STR(uplink.ca_file);
    if (IS("uplink", "cert"))
        return STR(uplink.cert_file);
    if (IS("uplink", "key"))
        return STR(uplink.key_file);
    if (IS("uplink", "token_file"))
        return STR(uplink.token_file);
    if (IS("uplink", "pin")) {
        if (v[0] && strncmp(v, "sha256//", 8) != 0) {
            snprintf(err, errcap, "a pin is sha256//<base64 of the public key's SHA-256>");
            return false;
        }
        return STR(uplink.pin);
    }
    if (IS("uplink", "connect_timeout_s") || IS("uplink", "timeout_s")) {
        if (!set_long(&n, v, 1, 300, err, errcap))
            return false;
        *(key[0] == 'c' ? &cfg->uplink.connect_timeout_ms : &cfg->uplink.timeout_ms) =
            (int)n * 1000;
        return true;
    }
    if (IS("uplink", "backoff_min_s") || IS("uplink", "backoff_max_s")) {
        if (!set_long(&n, v, 1, 86400, err, errcap))
            return false;
        *(strstr(key, "min") ? &cfg->uplink.backoff_min_s : &cfg->uplink.backoff_max_s) = (int)n;
        return true;
    }
    if (IS("handoff", "backend")) {
        if (strcmp(v, "sim") && strcmp(v, "casesvc")) {
            snprintf(err, errcap, "'%s' is not a hand-off backend (sim, casesvc)", v);
            return false;
        }
        return STR(handoff_backend);
    }
    if (IS("handoff", "team")) {
        bool uuid = strlen(v) == 36;
        for (size_t i = 0; uuid && i < 36; i++)
            uuid = (i == 8 || i == 13 || i == 18 || i == 23) ? v[i] == '-'
                                                             : isxdigit((unsigned char)v[i]) != 0;
        if (!uuid) {
            snprintf(err, errcap,
                     "handoff.team must be the team actor's uuid "
                     "(loket-casesvc init-site prints it)");
            return false;
        }
        return STR(handoff_team);
    }
    if (IS("handoff", "place"))
        return STR(handoff_place);
    if (IS("handoff", "hours")) {
        hours h;
        char why[160];
        if (!hours_parse(v, &h, why, sizeof why)) {
            snprintf(err, errcap, "handoff.hours: %s", why);
            return false;
        }
        return STR(handoff_hours);
    }
#undef IS
#undef STR
    snprintf(err, errcap, "unknown key '%s' in section [%s]", key, section);
    return false;
}

typedef struct {
    loket_config *cfg;
    char msg[256];
} ini_ctx;

static int on_ini(void *user, const char *section, const char *key, const char *value)
{
    ini_ctx *c = user;
    if (!key)
        return 1; /* a section header alone */
    return config_set(c->cfg, section, key, value, c->msg, sizeof c->msg) ? 1 : 0;
}

bool config_load_file(loket_config *cfg, const char *path, char *err, size_t errcap)
{
    ini_ctx c = {.cfg = cfg};
    int r = ini_parse(path, on_ini, &c);
    if (r == -1) {
        snprintf(err, errcap, "%s: cannot open: %s", path, strerror(errno));
        return false;
    }
    if (r != 0) {
        snprintf(err, errcap, "%s:%d: %s", path, r, c.msg[0] ? c.msg : "not a valid INI line");
        return false;
    }
    return true;
}

void config_set_orientation(loket_config *cfg, bool landscape)
{
    if (landscape != cfg->landscape) {
        int t = cfg->width_px;
        cfg->width_px = cfg->height_px;
        cfg->height_px = t;
        double m = cfg->screen_width_mm;
        cfg->screen_width_mm = cfg->screen_height_mm;
        cfg->screen_height_mm = m;
    }
    cfg->landscape = landscape;
}

bool config_finish(loket_config *cfg, char *err, size_t errcap)
{
    if ((!strcmp(cfg->printer_backend, "usb") || !strcmp(cfg->printer_backend, "tcp")) &&
        !cfg->printer_device[0]) {
        snprintf(err, errcap, "printer.backend = %s needs printer.device (%s)",
                 cfg->printer_backend,
                 cfg->printer_backend[0] == 'u' ? "/dev/usb/lp0" : "host:9100");
        return false;
    }
    bool png = !strcmp(cfg->printer_backend, "png");
    if (!cfg->printer_path[0]) {
        int n = snprintf(cfg->printer_path, sizeof cfg->printer_path, "%s/%s", cfg->data_dir,
                         png ? "slip.png" : "printer.out");
        if (n < 0 || (size_t)n >= sizeof cfg->printer_path) {
            snprintf(err, errcap, "data_dir is too long");
            return false;
        }
    }
    if (!cfg->csca_dir[0] && snprintf(cfg->csca_dir, sizeof cfg->csca_dir, "%s/csca",
                                      cfg->data_dir) >= (int)sizeof cfg->csca_dir) {
        snprintf(err, errcap, "data_dir is too long");
        return false;
    }
    if (!cfg->nfc_roles[0] && snprintf(cfg->nfc_roles, sizeof cfg->nfc_roles, "%s/cards",
                                       cfg->data_dir) >= (int)sizeof cfg->nfc_roles) {
        snprintf(err, errcap, "data_dir is too long");
        return false;
    }
    if (!cfg->nfc_staff_pins[0] &&
        snprintf(cfg->nfc_staff_pins, sizeof cfg->nfc_staff_pins, "%s/staff-pins", cfg->data_dir) >=
            (int)sizeof cfg->nfc_staff_pins) {
        snprintf(err, errcap, "data_dir is too long");
        return false;
    }
    if (!cfg->outbox_path[0] && snprintf(cfg->outbox_path, sizeof cfg->outbox_path, "%s/outbox.db",
                                         cfg->data_dir) >= (int)sizeof cfg->outbox_path) {
        snprintf(err, errcap, "data_dir is too long");
        return false;
    }
    if (!cfg->outbox_key[0] && snprintf(cfg->outbox_key, sizeof cfg->outbox_key, "%s/outbox.key",
                                        cfg->data_dir) >= (int)sizeof cfg->outbox_key) {
        snprintf(err, errcap, "data_dir is too long");
        return false;
    }
    if (cfg->uplink.base_url[0] && (!cfg->uplink.ca_file[0] || !cfg->uplink.cert_file[0] ||
                                    !cfg->uplink.key_file[0] || !cfg->uplink.token_file[0])) {
        snprintf(err, errcap,
                 "uplink.url needs uplink.ca, uplink.cert, uplink.key and "
                 "uplink.token_file");
        return false;
    }
    if (!strcmp(cfg->handoff_backend, "casesvc") &&
        (!cfg->uplink.base_url[0] || !cfg->handoff_team[0])) {
        snprintf(err, errcap,
                 "handoff.backend = casesvc needs uplink.url and handoff.team (the "
                 "site's team actor)");
        return false;
    }
    /* The simulated printer (a file) also shows the slip as a picture; a real printer's slips
     * are not kept on disk unless a technician asks (they are personal). */
    if (!strcmp(cfg->printer_preview, "none")) {
        cfg->printer_preview[0] = '\0';
    } else if (!cfg->printer_preview[0] && !strcmp(cfg->printer_backend, "file")) {
        int n = snprintf(cfg->printer_preview, sizeof cfg->printer_preview, "%s/slip-preview.png",
                         cfg->data_dir);
        if (n < 0 || (size_t)n >= sizeof cfg->printer_preview) {
            snprintf(err, errcap, "data_dir is too long");
            return false;
        }
    }
    return true;
}
