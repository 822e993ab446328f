/* The NFC reader through libnfc 1.8 (see nfc_libnfc.h).
 *
 * What libnfc 1.8 needs around it:
 * - nfc_initiator_transceive_bytes() copies the command into a fixed 264-byte frame (command
 *   code, target number, up to 262 bytes) without checking its length: longer commands are
 *   refused here.
 * - An answer without a status word leaves libnfc computing the length as (bytes - 1): fewer
 *   than 2 bytes is no APDU response here, never a length.
 * - A timeout of -1 means libnfc's default for commands (350 ms), too short for a card's
 *   cryptography: every exchange gets its own timeout in milliseconds.
 * - nfc_initiator_init() lets the PN53x retry a selection forever; a poll would then wait for a
 *   card with libnfc's 300 ms for the reader's answer: infinite select is switched off.
 * - nfc_exit() frees the drivers list every context shares: one context for the process.
 * - nfc_open(NULL) scans for devices (intrusively with some settings): a connection string is
 *   required. */
#include "nfc/nfc_libnfc.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <nfc/nfc.h>

/* libnfc's frame: command code + target number + 262 bytes */
#define LIBNFC_FRAME_MAX 264

struct nfc_reader {
    nfc_device *dev;
    card_io io;
    bool has_b;                  /* the reader polls ISO14443 B */
    bool selected;               /* a card was found and has not left */
    nfc_modulation selected_mod; /* its modulation */
    uint8_t selected_id[10];     /* its UID, for the presence check by a new selection */
    size_t selected_id_len;
    char connstring[NFC_BUFSIZE_CONNSTRING];
    char err[512];
};

/* One libnfc context for the process (nfc_exit frees what every context shares). */
static pthread_mutex_t ctx_mu = PTHREAD_MUTEX_INITIALIZER;
static nfc_context *ctx;
static unsigned ctx_users;

static nfc_context *context_ref(void)
{
    pthread_mutex_lock(&ctx_mu);
    if (!ctx)
        nfc_init(&ctx);
    if (ctx)
        ctx_users++;
    nfc_context *c = ctx;
    pthread_mutex_unlock(&ctx_mu);
    return c;
}

static void context_unref(void)
{
    pthread_mutex_lock(&ctx_mu);
    if (ctx_users > 0 && --ctx_users == 0) {
        nfc_exit(ctx);
        ctx = NULL;
    }
    pthread_mutex_unlock(&ctx_mu);
}

static void wipe(void *p, size_t n)
{
    explicit_bzero(p, n);
}

void nfc_card_info_wipe(nfc_card_info *card)
{
    if (card)
        wipe(card, sizeof *card);
}

static void forget_card(nfc_reader *r)
{
    r->selected = false;
    wipe(r->selected_id, sizeof r->selected_id);
    r->selected_id_len = 0;
}

/* libnfc 1.8's drivers (the names a connection string starts with; "usb" means any USB one). */
static bool known_driver(const char *cs)
{
    static const char *const names[] = {"pn532_uart", "pn532_spi",   "pn532_i2c", "pn53x_usb",
                                        "acr122_usb", "acr122_pcsc", "acr122s",   "arygon",
                                        "pcsc",       "pn71xx",      "usb"};
    size_t n = strcspn(cs, ":");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i]) == n && strncmp(cs, names[i], n) == 0)
            return true;
    return false;
}

/* Checks the device file of a connection string with one ("pn532_uart:/dev/ttyUSB0:115200"),
 * for a plainer message than libnfc's NULL. */
static bool device_file_ok(const char *cs, char *err, size_t errcap)
{
    const char *p = strchr(cs, ':');
    if (!p || p[1] != '/')
        return true;
    char path[NFC_BUFSIZE_CONNSTRING];
    size_t n = strcspn(p + 1, ":");
    if (n >= sizeof path)
        return true;
    memcpy(path, p + 1, n);
    path[n] = '\0';
    if (access(path, F_OK) != 0) {
        snprintf(err, errcap, "reader not found at %s: %s does not exist", cs, path);
        return false;
    }
    if (access(path, R_OK | W_OK) != 0) {
        int e = errno;
        snprintf(err, errcap,
                 "reader at %s cannot be opened: %s: %s (the kiosk's user needs read and write "
                 "access, e.g. the dialout group)",
                 cs, path, strerror(e));
        return false;
    }
    return true;
}

static card_io_status transceive(card_io *io, const uint8_t *cmd, size_t cmd_len, uint8_t *resp,
                                 size_t cap, size_t *resp_len, int timeout_ms);

nfc_reader *nfc_reader_open(const char *connstring, char *err, size_t errcap)
{
    if (!connstring || !*connstring) {
        snprintf(err, errcap, "no card reader configured ([nfc] device is empty)");
        return NULL;
    }
    if (strlen(connstring) >= NFC_BUFSIZE_CONNSTRING) {
        snprintf(err, errcap, "the card reader's connection string is too long (%zu characters)",
                 strlen(connstring));
        return NULL;
    }
    if (!known_driver(connstring)) {
        snprintf(err, errcap,
                 "reader not found at %s: libnfc has no driver '%.*s' (e.g. pn532_uart, "
                 "acr122_usb, pn53x_usb)",
                 connstring, (int)strcspn(connstring, ":"), connstring);
        return NULL;
    }
    if (!device_file_ok(connstring, err, errcap))
        return NULL;

    nfc_reader *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    snprintf(r->connstring, sizeof r->connstring, "%s", connstring);
    r->io.transceive = transceive;
    r->io.ctx = r;

    nfc_context *c = context_ref();
    if (!c) {
        snprintf(err, errcap, "cannot start libnfc (out of memory)");
        free(r);
        return NULL;
    }
    r->dev = nfc_open(c, r->connstring);
    if (!r->dev) {
        snprintf(err, errcap,
                 "reader not found at %s: nothing there answers as a reader (wrong port or "
                 "speed, no power, or another program has it open)",
                 connstring);
        context_unref();
        free(r);
        return NULL;
    }
    int res = nfc_initiator_init(r->dev);
    /* one selection at a time, then the reader answers (see the top of this file) */
    if (res >= 0)
        res = nfc_device_set_property_bool(r->dev, NP_INFINITE_SELECT, false);
    if (res >= 0)
        res = nfc_device_set_property_bool(r->dev, NP_AUTO_ISO14443_4, true);
    if (res < 0) {
        snprintf(err, errcap, "reader at %s does not work as a card reader: %s", connstring,
                 nfc_strerror(r->dev));
        nfc_close(r->dev);
        context_unref();
        free(r);
        return NULL;
    }
    const nfc_modulation_type *mt = NULL;
    if (nfc_device_get_supported_modulation(r->dev, N_INITIATOR, &mt) == NFC_SUCCESS && mt)
        for (size_t i = 0; mt[i]; i++)
            if (mt[i] == NMT_ISO14443B)
                r->has_b = true;
    return r;
}

void nfc_reader_close(nfc_reader *r)
{
    if (!r)
        return;
    forget_card(r);
    nfc_close(r->dev); /* InRelease, field off, PowerDown, then the port */
    context_unref();
    wipe(r, sizeof *r);
    free(r);
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long long ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static void describe(const nfc_target *nt, nfc_card_info *card)
{
    if (nt->nm.nmt == NMT_ISO14443A) {
        const nfc_iso14443a_info *a = &nt->nti.nai;
        card->type = NFC_CARD_TYPE_A;
        memcpy(card->atqa, a->abtAtqa, 2);
        card->sak = a->btSak;
        card->iso14443_4 = (a->btSak & 0x20) != 0;
        card->ats_len = a->szAtsLen <= sizeof card->ats ? a->szAtsLen : sizeof card->ats;
        memcpy(card->ats, a->abtAts, card->ats_len);
        card->id_len = a->szUidLen <= sizeof card->id ? a->szUidLen : sizeof card->id;
        memcpy(card->id, a->abtUid, card->id_len);
    } else {
        const nfc_iso14443b_info *b = &nt->nti.nbi;
        card->type = NFC_CARD_TYPE_B;
        memcpy(card->app_data, b->abtApplicationData, 4);
        memcpy(card->prot_info, b->abtProtocolInfo, 3);
        card->iso14443_4 = (b->abtProtocolInfo[1] & 0x01) != 0; /* Protocol_Type */
        memcpy(card->id, b->abtPupi, 4);
        card->id_len = 4;
    }
}

int nfc_reader_poll(nfc_reader *r, int wait_ms, nfc_card_info *card)
{
    nfc_card_info_wipe(card);
    forget_card(r);
    r->err[0] = '\0';
    if (wait_ms < 0)
        wait_ms = 0;
    if (wait_ms > NFC_READER_MAX_WAIT_MS)
        wait_ms = NFC_READER_MAX_WAIT_MS;
    const nfc_modulation mods[] = {{.nmt = NMT_ISO14443A, .nbr = NBR_106},
                                   {.nmt = NMT_ISO14443B, .nbr = NBR_106}};
    const size_t nmods = r->has_b ? 2 : 1;
    const long long deadline = now_ms() + wait_ms;
    for (;;) {
        for (size_t i = 0; i < nmods; i++) {
            nfc_target nt;
            memset(&nt, 0, sizeof nt);
            int res = nfc_initiator_select_passive_target(r->dev, mods[i], NULL, 0, &nt);
            if (res < 0) {
                snprintf(r->err, sizeof r->err,
                         "reader at %.200s failed while looking for a card: %.200s", r->connstring,
                         nfc_strerror(r->dev));
                wipe(&nt, sizeof nt);
                return -1;
            }
            if (res > 0) {
                describe(&nt, card);
                r->selected = true;
                r->selected_mod = mods[i];
                r->selected_id_len = card->id_len;
                memcpy(r->selected_id, card->id, card->id_len);
                wipe(&nt, sizeof nt);
                return 1;
            }
        }
        long long left = deadline - now_ms();
        if (left <= 0)
            return 0;
        sleep_ms(left < 100 ? left : 100);
    }
}

int nfc_reader_card_present(nfc_reader *r)
{
    r->err[0] = '\0';
    if (!r->selected)
        return 0;
    int res = nfc_initiator_target_is_present(r->dev, NULL);
    if (res == NFC_EDEVNOTSUPP && r->selected_mod.nmt == NMT_ISO14443A) {
        /* a type A card libnfc cannot ping: select it again by its UID */
        nfc_target nt;
        memset(&nt, 0, sizeof nt);
        res = nfc_initiator_select_passive_target(r->dev, r->selected_mod, r->selected_id,
                                                  r->selected_id_len, &nt);
        wipe(&nt, sizeof nt);
        if (res > 0)
            return 1;
        if (res == 0)
            res = NFC_ETGRELEASED;
    }
    if (res == NFC_SUCCESS)
        return 1;
    if (res == NFC_ETGRELEASED || res == NFC_ERFTRANS || res == NFC_EINVARG) {
        /* it left (RF errors: while it was being taken away; EINVARG: libnfc has let go) */
        forget_card(r);
        return 0;
    }
    snprintf(r->err, sizeof r->err, "reader at %.200s failed while checking the card: %.200s",
             r->connstring, nfc_strerror(r->dev));
    return -1;
}

void nfc_reader_release(nfc_reader *r)
{
    if (r->selected)
        nfc_initiator_deselect_target(r->dev);
    forget_card(r);
}

card_io *nfc_reader_card_io(nfc_reader *r)
{
    return &r->io;
}

const char *nfc_reader_error(const nfc_reader *r)
{
    return r->err;
}

const char *nfc_reader_name(nfc_reader *r)
{
    return nfc_device_get_name(r->dev);
}

static card_io_status transceive(card_io *io, const uint8_t *cmd, size_t cmd_len, uint8_t *resp,
                                 size_t cap, size_t *resp_len, int timeout_ms)
{
    nfc_reader *r = io->ctx;
    r->err[0] = '\0';
    if (resp_len)
        *resp_len = 0;
    if (!cmd || cmd_len == 0 || cmd_len > CARD_IO_MAX_COMMAND) {
        snprintf(r->err, sizeof r->err,
                 "a command of %zu bytes cannot be sent (1 to %d bytes through libnfc)", cmd_len,
                 CARD_IO_MAX_COMMAND);
        return CARD_IO_BROKEN;
    }
    if (!resp || !resp_len || cap < 2) {
        snprintf(r->err, sizeof r->err, "no room for an answer (%zu bytes)", cap);
        return CARD_IO_BROKEN;
    }
    if (!r->selected) {
        snprintf(r->err, sizeof r->err, "no card on the reader");
        return CARD_IO_GONE;
    }
    uint8_t buf[LIBNFC_FRAME_MAX];
    const int t = timeout_ms > 0 ? timeout_ms : NFC_READER_DEFAULT_TIMEOUT_MS;
    int res = nfc_initiator_transceive_bytes(r->dev, cmd, cmd_len, buf, sizeof buf, t);
    card_io_status st = CARD_IO_OK;
    if (res < 0) {
        switch (res) {
        case NFC_ETIMEOUT:
            snprintf(r->err, sizeof r->err, "the reader did not answer within %d ms", t);
            st = CARD_IO_TIMEOUT;
            break;
        case NFC_ETGRELEASED:
            forget_card(r);
            snprintf(r->err, sizeof r->err, "the card has left");
            st = CARD_IO_GONE;
            break;
        case NFC_ERFTRANS: /* the card did not answer, or not intelligibly: it is leaving */
            snprintf(r->err, sizeof r->err, "the card did not answer");
            st = CARD_IO_GONE;
            break;
        case NFC_EOVFLOW:
            snprintf(r->err, sizeof r->err, "the card's answer is too long");
            st = CARD_IO_BROKEN;
            break;
        default:
            snprintf(r->err, sizeof r->err, "reader at %.200s failed: %.200s", r->connstring,
                     nfc_strerror(r->dev));
            st = CARD_IO_BROKEN;
            break;
        }
    } else if (res < 2) {
        snprintf(r->err, sizeof r->err, "the card's answer of %d bytes has no status word", res);
        st = CARD_IO_BROKEN;
    } else if ((size_t)res > cap || (size_t)res > sizeof buf) {
        snprintf(r->err, sizeof r->err, "the card's answer of %d bytes is longer than %zu", res,
                 cap);
        st = CARD_IO_BROKEN;
    } else {
        memcpy(resp, buf, (size_t)res);
        *resp_len = (size_t)res;
    }
    wipe(buf, sizeof buf);
    return st;
}
