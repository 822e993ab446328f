/* Kiosk configuration: embedded defaults, overridden by an INI file (loket.ini) and then by the
 * command line. Every key is documented in README.md, section "Configuration". */
#ifndef LOKET_CONFIG_H
#define LOKET_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/session.h"
#include "net/uplink.h"
#include "nfc/nfc_library.h"
#include "print/print.h"

#define CONFIG_PATH_MAX 1024

typedef struct {
    char kiosk_id[64];
    int kiosk_number; /* 1-999, unique in the fleet: the first digits of reference numbers */
    char logo[CONFIG_PATH_MAX]; /* the site's logo on the slip (PNG or SVG), "" for none */
    char site_name[128];
    char data_dir[CONFIG_PATH_MAX];
    char content_dir[CONFIG_PATH_MAX];
    char icons_dir[CONFIG_PATH_MAX];
    char locale_dir[CONFIG_PATH_MAX];
    char font_family[64];
    bool debug_log;

    session_config session;

    int width_px, height_px; /* windowed size; fullscreen takes the display's */
    bool landscape;
    double screen_width_mm; /* physical size of the picture in the chosen orientation */
    double screen_height_mm;
    double view_distance_mm; /* for text size: cap height >= 0.7 degrees at this distance */
    double screen_bottom_mm; /* the picture's lower edge above the floor (reach limits) */

    char nfc_device[CONFIG_PATH_MAX]; /* libnfc connection string; "" = the simulated reader */
    char csca_dir[CONFIG_PATH_MAX];   /* trusted CSCA certificates; default <data_dir>/csca */
    char nfc_roles[CONFIG_PATH_MAX];  /* staff badges (nfc/nfc_roles.h); default <data_dir>/cards */
    char nfc_staff_pins[CONFIG_PATH_MAX]; /* their PINs (nfc/nfc_staff.h); <data_dir>/staff-pins */
    nfc_library_config nfc_library; /* library passes: [nfc] library_pass, library_number, ... */

    char speech_backend[16];               /* espeak | sim | none */
    char speech_data_dir[CONFIG_PATH_MAX]; /* espeak-ng-data; "" = the library's */
    char speech_device[128];               /* SDL audio device; "" = the default */

    char municipality_name[128];
    char municipality_phone[64];
    char municipality_website[128];
    char municipality_visit[256];

    char printer_backend[16];              /* usb | tcp | file | png | none */
    char printer_path[CONFIG_PATH_MAX];    /* file, png: where the slip goes */
    char printer_device[CONFIG_PATH_MAX];  /* usb: /dev/usb/lp0; tcp: host:port */
    char printer_preview[CONFIG_PATH_MAX]; /* a PNG of every slip too ("" for none) */
    printer_options printer;
    char handoff_backend[16]; /* sim | casesvc (through the outbox and the uplink) */
    char handoff_team[40];    /* casesvc: the site's team actor (uuid) */
    char handoff_place[128];  /* where the citizen waits, for the employee ("zuil 2") */
    char handoff_hours[512];  /* when an employee can come (core/hours.h); "" = always */

    char outbox_path[CONFIG_PATH_MAX]; /* default <data_dir>/outbox.db */
    char outbox_key[CONFIG_PATH_MAX];  /* default <data_dir>/outbox.key (made on first start) */
    outbox_limits outbox;
    uplink_config uplink; /* base_url "" : no case service; intakes wait in the outbox */
} loket_config;

void config_defaults(loket_config *cfg);
/* Reads an INI file over the current values. On error returns false with "file:line: problem"
 * in err. */
bool config_load_file(loket_config *cfg, const char *path, char *err, size_t errcap);
/* Applies one "section.key=value" (command line --set). */
bool config_set(loket_config *cfg, const char *section, const char *key, const char *value,
                char *err, size_t errcap);
/* Turns the screen: swaps pixel and millimetre width and height when the orientation changes. */
void config_set_orientation(loket_config *cfg, bool landscape);
/* Fills paths that depend on others (printer file under data_dir) and checks ranges. */
bool config_finish(loket_config *cfg, char *err, size_t errcap);

#endif
