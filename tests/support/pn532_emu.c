/* A PN532 on a pseudo-terminal (see pn532_emu.h). Written from NXP's PN532 User Manual (UM0701)
 * frame format and command set, answering what libnfc 1.8's pn532_uart driver sends. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* ptsname_r, pipe2 */
#endif
#include "pn532_emu.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* PN532 command codes (UM0701 §7) */
enum {
    CMD_DIAGNOSE = 0x00,
    CMD_GET_FIRMWARE_VERSION = 0x02,
    CMD_GET_GENERAL_STATUS = 0x04,
    CMD_READ_REGISTER = 0x06,
    CMD_WRITE_REGISTER = 0x08,
    CMD_SET_PARAMETERS = 0x12,
    CMD_SAM_CONFIGURATION = 0x14,
    CMD_POWER_DOWN = 0x16,
    CMD_RF_CONFIGURATION = 0x32,
    CMD_IN_DATA_EXCHANGE = 0x40,
    CMD_IN_COMMUNICATE_THRU = 0x42,
    CMD_IN_DESELECT = 0x44,
    CMD_IN_LIST_PASSIVE_TARGET = 0x4a,
    CMD_IN_RELEASE = 0x52,
    CMD_IN_SELECT = 0x54,
    CMD_IN_AUTO_POLL = 0x60,
};

/* status bytes */
enum { ST_OK = 0x00, ST_TIMEOUT = 0x01, ST_WRONG_CONTEXT = 0x27 };

#define MAX_FRAME_DATA 265 /* TFI + 264 */
#define INBUF 4096

struct pn532_emu {
    int master, slave;
    int stop_pipe[2];
    char path[64];
    pthread_t thread;
    bool thread_started;
    pthread_mutex_t mu;
    pthread_cond_t idle_cv;
    /* under mu */
    pn532_emu_card card;
    bool have_card, present, selected, mute, busy, field;
    unsigned counts[256];
    size_t last_apdu_len;
    /* the emulator thread's own */
    pn532_emu_chip_fn chip;
    void *chip_ctx;
    bool trace;
    uint8_t regs[0x10000];
    uint8_t in[INBUF];
    size_t in_len;
};

static void trace_bytes(const pn532_emu *e, const char *dir, const uint8_t *b, size_t n)
{
    if (!e->trace)
        return;
    fprintf(stderr, "pn532_emu %s", dir);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, " %02X", b[i]);
    fputc('\n', stderr);
}

static void write_all(pn532_emu *e, const uint8_t *b, size_t n)
{
    trace_bytes(e, "->", b, n);
    while (n > 0) {
        ssize_t w = write(e->master, b, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        b += w;
        n -= (size_t)w;
    }
}

static void send_ack(pn532_emu *e)
{
    static const uint8_t ack[] = {0x00, 0x00, 0xff, 0x00, 0xff, 0x00};
    write_all(e, ack, sizeof ack);
}

static void send_error_frame(pn532_emu *e)
{
    static const uint8_t err[] = {0x00, 0x00, 0xff, 0x01, 0xff, 0x7f, 0x81, 0x00};
    write_all(e, err, sizeof err);
}

/* D5 (cmd+1) data..., as a normal frame or, for more than 255 bytes of TFI+data, an extended
 * one. */
static void send_answer(pn532_emu *e, uint8_t cmd, const uint8_t *data, size_t n)
{
    uint8_t f[MAX_FRAME_DATA + 16];
    size_t len = n + 2; /* TFI + command code + data */
    size_t i = 0;
    f[i++] = 0x00;
    f[i++] = 0x00;
    f[i++] = 0xff;
    if (len <= 255) {
        f[i++] = (uint8_t)len;
        f[i++] = (uint8_t)(0x100 - len);
    } else {
        f[i++] = 0xff;
        f[i++] = 0xff;
        uint8_t hi = (uint8_t)(len >> 8), lo = (uint8_t)(len & 0xff);
        f[i++] = hi;
        f[i++] = lo;
        f[i++] = (uint8_t)(0x100 - ((hi + lo) & 0xff));
    }
    uint8_t sum = 0xd5 + (uint8_t)(cmd + 1);
    f[i++] = 0xd5;
    f[i++] = (uint8_t)(cmd + 1);
    for (size_t k = 0; k < n; k++) {
        f[i++] = data[k];
        sum += data[k];
    }
    f[i++] = (uint8_t)(0x100 - sum);
    f[i++] = 0x00;
    write_all(e, f, i);
}

/* ISO14443-3 cascade form of a UID, as libnfc passes it as initiator data to select one card:
 * 4 bytes as they are, 7 as CT + 3 + 4, 10 as CT + 3 + CT + 3 + 4. */
static size_t cascade(const uint8_t *uid, size_t n, uint8_t out[12])
{
    if (n == 7) {
        out[0] = 0x88;
        memcpy(out + 1, uid, 7);
        return 8;
    }
    if (n == 10) {
        out[0] = 0x88;
        memcpy(out + 1, uid, 3);
        out[4] = 0x88;
        memcpy(out + 5, uid + 3, 7);
        return 12;
    }
    memcpy(out, uid, n);
    return n;
}

/* Target data of an A card: Tg ATQA(2) SAK NFCIDLength NFCID1 [ATS with TL]. */
static size_t target_data_a(const pn532_emu_card *c, uint8_t *out)
{
    size_t i = 0;
    out[i++] = 0x01;
    out[i++] = c->atqa[0];
    out[i++] = c->atqa[1];
    out[i++] = c->sak;
    out[i++] = (uint8_t)c->uid_len;
    memcpy(out + i, c->uid, c->uid_len);
    i += c->uid_len;
    if (c->sak & 0x20) {
        out[i++] = (uint8_t)(c->ats_len + 1);
        memcpy(out + i, c->ats, c->ats_len);
        i += c->ats_len;
    }
    return i;
}

/* Target data of a B card: Tg ATQB(12: 50 PUPI AppData ProtInfo) ATTRIB_RES length, ATTRIB_RES */
static size_t target_data_b(const pn532_emu_card *c, uint8_t *out)
{
    size_t i = 0;
    out[i++] = 0x01;
    out[i++] = 0x50;
    memcpy(out + i, c->pupi, 4);
    i += 4;
    memcpy(out + i, c->app_data, 4);
    i += 4;
    memcpy(out + i, c->prot_info, 3);
    i += 3;
    out[i++] = 1;    /* ATTRIB_RES length */
    out[i++] = 0x00; /* MBLI 0, CID 0 */
    return i;
}

static void handle(pn532_emu *e, const uint8_t *d, size_t n)
{
    uint8_t cmd = d[0];
    const uint8_t *p = d + 1;
    size_t pn = n - 1;
    uint8_t out[MAX_FRAME_DATA];
    size_t on = 0;

    pthread_mutex_lock(&e->mu);
    e->counts[cmd]++;
    bool mute = e->mute;
    pn532_emu_card card = e->card;
    bool on_reader = e->have_card && e->present;
    pthread_mutex_unlock(&e->mu);
    if (mute)
        return;
    send_ack(e);

    switch (cmd) {
    case CMD_DIAGNOSE:
        if (pn >= 1 && p[0] == 0x06) { /* card presence */
            out[on++] = on_reader ? ST_OK : ST_TIMEOUT;
        } else { /* communication line test and the others: the data back */
            memcpy(out, p, pn);
            on = pn;
        }
        break;
    case CMD_GET_FIRMWARE_VERSION:
        /* IC PN532, version 1.6, supports ISO14443 A and B and ISO18092 */
        out[on++] = 0x32;
        out[on++] = 0x01;
        out[on++] = 0x06;
        out[on++] = 0x07;
        break;
    case CMD_GET_GENERAL_STATUS:
        pthread_mutex_lock(&e->mu);
        out[on++] = 0x00; /* last error */
        out[on++] = e->field ? 1 : 0;
        out[on++] = e->selected ? 1 : 0;
        if (e->selected) {
            out[on++] = 0x01; /* Tg */
            out[on++] = 0x00; /* BrRx 106 kbps */
            out[on++] = 0x00; /* BrTx */
            out[on++] = card.type == 'B' ? 0x03 : 0x00;
        }
        out[on++] = 0x00; /* SAM status */
        pthread_mutex_unlock(&e->mu);
        break;
    case CMD_READ_REGISTER:
        for (size_t i = 0; i + 1 < pn; i += 2)
            out[on++] = e->regs[(p[i] << 8) | p[i + 1]];
        break;
    case CMD_WRITE_REGISTER:
        for (size_t i = 0; i + 2 < pn; i += 3)
            e->regs[(p[i] << 8) | p[i + 1]] = p[i + 2];
        break;
    case CMD_SET_PARAMETERS:
    case CMD_SAM_CONFIGURATION:
        break;
    case CMD_POWER_DOWN:
        out[on++] = ST_OK;
        break;
    case CMD_RF_CONFIGURATION:
        if (pn >= 2 && p[0] == 0x01) {
            pthread_mutex_lock(&e->mu);
            e->field = p[1] & 1;
            pthread_mutex_unlock(&e->mu);
        }
        break;
    case CMD_IN_LIST_PASSIVE_TARGET: {
        /* MaxTg BrTy [InitiatorData] */
        uint8_t brty = pn >= 2 ? p[1] : 0xff;
        bool found = false;
        if (on_reader && brty == 0x00 && card.type == 'A') {
            found = true;
            if (pn > 2) { /* a given UID: only that card answers */
                uint8_t c[12];
                size_t cn = cascade(card.uid, card.uid_len, c);
                found = (pn - 2 == cn && memcmp(p + 2, c, cn) == 0) ||
                        (pn - 2 == card.uid_len && memcmp(p + 2, card.uid, card.uid_len) == 0);
            }
        } else if (on_reader && brty == 0x03 && card.type == 'B') {
            found = true; /* AFI 0x00: every card */
        }
        out[on++] = found ? 1 : 0;
        if (found)
            on +=
                card.type == 'A' ? target_data_a(&card, out + on) : target_data_b(&card, out + on);
        pthread_mutex_lock(&e->mu);
        e->selected = found;
        pthread_mutex_unlock(&e->mu);
        break;
    }
    case CMD_IN_AUTO_POLL: {
        /* PollNr Period Type1 [Type2 ...]: the first wanted type that fits the card */
        uint8_t type = 0xff;
        for (size_t i = 2; on_reader && i < pn && type == 0xff; i++) {
            uint8_t t = p[i];
            if (card.type == 'A' && (t == 0x10 || (t == 0x20 && (card.sak & 0x20))))
                type = t;
            if (card.type == 'B' && (t == 0x03 || t == 0x23))
                type = t;
        }
        if (type == 0xff) {
            struct timespec ts = {0, 20 * 1000 * 1000}; /* a short poll, nothing found */
            nanosleep(&ts, NULL);
            out[on++] = 0;
        } else {
            out[on++] = 1;
            out[on++] = type;
            uint8_t td[64];
            size_t tn = card.type == 'A' ? target_data_a(&card, td) : target_data_b(&card, td);
            out[on++] = (uint8_t)tn;
            memcpy(out + on, td, tn);
            on += tn;
        }
        pthread_mutex_lock(&e->mu);
        e->selected = type != 0xff;
        pthread_mutex_unlock(&e->mu);
        break;
    }
    case CMD_IN_DATA_EXCHANGE: {
        /* Tg data... */
        pthread_mutex_lock(&e->mu);
        e->last_apdu_len = pn >= 1 ? pn - 1 : 0;
        bool selected = e->selected;
        pthread_mutex_unlock(&e->mu);
        if (!on_reader) {
            out[on++] = ST_TIMEOUT;
            break;
        }
        if (!selected || pn < 1) {
            out[on++] = ST_WRONG_CONTEXT;
            break;
        }
        uint8_t resp[PN532_EMU_MAX_ANSWER];
        size_t rn;
        if (e->chip) {
            rn = e->chip(e->chip_ctx, p + 1, pn - 1, resp, sizeof resp);
        } else {
            resp[0] = 0x6d;
            resp[1] = 0x00;
            rn = 2;
        }
        if (rn == PN532_EMU_GONE) {
            pthread_mutex_lock(&e->mu);
            e->present = false;
            e->selected = false;
            pthread_mutex_unlock(&e->mu);
            out[on++] = ST_TIMEOUT;
            break;
        }
        if (rn > sizeof resp)
            rn = sizeof resp;
        out[on++] = ST_OK;
        memcpy(out + on, resp, rn);
        on += rn;
        break;
    }
    case CMD_IN_COMMUNICATE_THRU:
        /* Raw frames: libnfc sends an R(NAK) block here to see whether an ISO14443-4 card is
         * still there; the card answers R(ACK) (with the CID byte when there is one). */
        if (!on_reader) {
            out[on++] = ST_TIMEOUT;
        } else if (pn >= 1 && (p[0] & 0xe0) == 0xa0) {
            out[on++] = ST_OK;
            out[on++] = p[0] & (uint8_t)~0x10;
            if ((p[0] & 0x08) && pn >= 2)
                out[on++] = p[1];
        } else {
            out[on++] = ST_TIMEOUT;
        }
        break;
    case CMD_IN_DESELECT:
    case CMD_IN_RELEASE:
    case CMD_IN_SELECT:
        pthread_mutex_lock(&e->mu);
        e->selected = cmd == CMD_IN_SELECT && on_reader;
        pthread_mutex_unlock(&e->mu);
        out[on++] = (cmd == CMD_IN_SELECT && !on_reader) ? ST_TIMEOUT : ST_OK;
        break;
    default:
        fprintf(stderr, "pn532_emu: command 0x%02X not emulated\n", cmd);
        send_error_frame(e);
        return;
    }
    send_answer(e, cmd, out, on);
}

/* Takes one frame from the input if a whole one is there. Returns the bytes consumed (0: wait
 * for more); *data and *n are the frame's TFI-less payload, n == 0 for an ACK or a broken frame. */
static size_t take_frame(const uint8_t *b, size_t len, const uint8_t **data, size_t *n)
{
    *n = 0;
    size_t s = 0;
    while (s + 1 < len && !(b[s] == 0x00 && b[s + 1] == 0xff))
        s++;
    if (s + 1 >= len) /* no start code: keep a last 00, drop the rest (wake-up bytes, junk) */
        return (len > 0 && b[len - 1] == 0x00) ? len - 1 : len;
    size_t i = s + 2;
    if (len < i + 2)
        return s;
    size_t flen, start;
    if (b[i] == 0x00 && b[i + 1] == 0xff) /* ACK from the host: abort (we are never busy) */
        return i + 2;
    if (b[i] == 0xff && b[i + 1] == 0xff) {
        if (len < i + 5)
            return s;
        if (((b[i + 2] + b[i + 3] + b[i + 4]) & 0xff) != 0)
            return i; /* broken: skip the start code */
        flen = ((size_t)b[i + 2] << 8) | b[i + 3];
        start = i + 5;
    } else {
        if (((b[i] + b[i + 1]) & 0xff) != 0)
            return i;
        flen = b[i];
        start = i + 2;
    }
    if (flen < 2 || flen > MAX_FRAME_DATA)
        return start;
    if (len < start + flen + 2)
        return s;
    uint8_t sum = 0;
    for (size_t k = 0; k <= flen; k++)
        sum += b[start + k];
    if (sum != 0 || b[start] != 0xd4)
        return start + flen + 2;
    *data = b + start + 1;
    *n = flen - 1;
    return start + flen + 2;
}

static void *run(void *arg)
{
    pn532_emu *e = arg;
    for (;;) {
        struct pollfd fds[2] = {{e->master, POLLIN, 0}, {e->stop_pipe[0], POLLIN, 0}};
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (fds[1].revents)
            break;
        if (!(fds[0].revents & POLLIN))
            continue;
        ssize_t r = read(e->master, e->in + e->in_len, sizeof e->in - e->in_len);
        if (r <= 0) {
            if (r < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
            break;
        }
        trace_bytes(e, "<-", e->in + e->in_len, (size_t)r);
        e->in_len += (size_t)r;
        for (;;) {
            const uint8_t *d = NULL;
            size_t n = 0;
            size_t used = take_frame(e->in, e->in_len, &d, &n);
            if (used == 0)
                break;
            if (n > 0) {
                pthread_mutex_lock(&e->mu);
                e->busy = true;
                pthread_mutex_unlock(&e->mu);
                uint8_t frame[MAX_FRAME_DATA];
                memcpy(frame, d, n);
                memmove(e->in, e->in + used, e->in_len - used);
                e->in_len -= used;
                handle(e, frame, n);
                pthread_mutex_lock(&e->mu);
                e->busy = false;
                pthread_cond_broadcast(&e->idle_cv);
                pthread_mutex_unlock(&e->mu);
            } else {
                memmove(e->in, e->in + used, e->in_len - used);
                e->in_len -= used;
            }
        }
        if (e->in_len == sizeof e->in) /* garbage only: start over */
            e->in_len = 0;
    }
    return NULL;
}

pn532_emu *pn532_emu_start(const pn532_emu_card *card, pn532_emu_chip_fn chip, void *ctx)
{
    pn532_emu *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->master = e->slave = e->stop_pipe[0] = e->stop_pipe[1] = -1;
    pthread_mutex_init(&e->mu, NULL);
    pthread_cond_init(&e->idle_cv, NULL);
    if (card) {
        e->card = *card;
        e->have_card = e->present = true;
    }
    e->chip = chip;
    e->chip_ctx = ctx;
    const char *t = getenv("PN532_EMU_TRACE");
    e->trace = t && *t && strcmp(t, "0") != 0;

    e->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (e->master < 0 || grantpt(e->master) != 0 || unlockpt(e->master) != 0 ||
        ptsname_r(e->master, e->path, sizeof e->path) != 0) {
        perror("pn532_emu: pty");
        goto fail;
    }
    /* Keep the slave open ourselves: the line stays up between libnfc's opens (no EIO on the
     * master) and raw from the start (no echo of the first bytes). libnfc saves and restores
     * these settings around its own use. */
    e->slave = open(e->path, O_RDWR | O_NOCTTY | O_CLOEXEC);
    struct termios tio;
    if (e->slave < 0 || tcgetattr(e->slave, &tio) != 0) {
        perror("pn532_emu: slave");
        goto fail;
    }
    cfmakeraw(&tio);
    cfsetispeed(&tio, B115200);
    cfsetospeed(&tio, B115200);
    if (tcsetattr(e->slave, TCSANOW, &tio) != 0 || pipe2(e->stop_pipe, O_CLOEXEC) != 0) {
        perror("pn532_emu: setup");
        goto fail;
    }
    if (pthread_create(&e->thread, NULL, run, e) != 0) {
        fprintf(stderr, "pn532_emu: cannot start the thread\n");
        goto fail;
    }
    e->thread_started = true;
    return e;
fail:
    pn532_emu_stop(e);
    return NULL;
}

const char *pn532_emu_path(const pn532_emu *e)
{
    return e->path;
}

void pn532_emu_stop(pn532_emu *e)
{
    if (!e)
        return;
    if (e->thread_started) {
        ssize_t w;
        do
            w = write(e->stop_pipe[1], "x", 1);
        while (w < 0 && errno == EINTR);
        pthread_join(e->thread, NULL);
    }
    int fds[] = {e->master, e->slave, e->stop_pipe[0], e->stop_pipe[1]};
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    pthread_cond_destroy(&e->idle_cv);
    pthread_mutex_destroy(&e->mu);
    free(e);
}

void pn532_emu_set_present(pn532_emu *e, bool present)
{
    pthread_mutex_lock(&e->mu);
    e->present = present && e->have_card;
    if (!e->present)
        e->selected = false;
    pthread_mutex_unlock(&e->mu);
}

bool pn532_emu_present(pn532_emu *e)
{
    pthread_mutex_lock(&e->mu);
    bool p = e->present;
    pthread_mutex_unlock(&e->mu);
    return p;
}

void pn532_emu_set_mute(pn532_emu *e, bool mute)
{
    pthread_mutex_lock(&e->mu);
    e->mute = mute;
    pthread_mutex_unlock(&e->mu);
}

unsigned pn532_emu_count(pn532_emu *e, uint8_t cmd)
{
    pthread_mutex_lock(&e->mu);
    unsigned c = e->counts[cmd];
    pthread_mutex_unlock(&e->mu);
    return c;
}

size_t pn532_emu_last_apdu_len(pn532_emu *e)
{
    pthread_mutex_lock(&e->mu);
    size_t n = e->last_apdu_len;
    pthread_mutex_unlock(&e->mu);
    return n;
}

bool pn532_emu_wait_idle(pn532_emu *e, int timeout_ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&e->mu);
    int rc = 0;
    while (e->busy && rc == 0)
        rc = pthread_cond_timedwait(&e->idle_cv, &e->mu, &until);
    bool idle = !e->busy;
    pthread_mutex_unlock(&e->mu);
    return idle;
}
