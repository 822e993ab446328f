#include "nfc/emrtd_read.h"

#include <stdio.h>
#include <string.h>

#include "nfc/emrtd_pace.h"
#include "nfc/emrtd_sm.h"

#define STEPS 5
#define FILE_MAX 32768 /* EF.SOD with its certificate: a few KiB; more is no ID document */

static const uint8_t LDS1_AID[] = {0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01};
static const uint8_t FID_DG1[] = {0x01, 0x01};
static const uint8_t FID_SOD[] = {0x01, 0x1D};

typedef struct {
    card_io *io;
    emrtd_sm sm;
    char *why;
    size_t whycap;
} reader;

static void progress(const emrtd_read_params *p, int step)
{
    if (p->progress)
        p->progress(p->ctx, step, STEPS);
}

static emrtd_read_status from_sm(emrtd_sm_status st)
{
    switch (st) {
    case EMRTD_SM_ERR_GONE:
    case EMRTD_SM_ERR_TIMEOUT:
        return EMRTD_READ_GONE;
    case EMRTD_SM_ERR_MAC:
    case EMRTD_SM_ERR_PADDING:
    case EMRTD_SM_ERR_AUTH:
        return EMRTD_READ_NOT_GENUINE;
    case EMRTD_SM_ERR_REFUSED:
        return EMRTD_READ_WRONG_PASSWORD;
    default:
        return EMRTD_READ_UNREADABLE;
    }
}

/* One protected command: wrap, send, unwrap. data gets the answer's plain data. */
static emrtd_read_status command(reader *r, const uint8_t *apdu, size_t len, uint8_t *data,
                                 size_t cap, size_t *data_len, uint16_t *sw)
{
    uint8_t wrapped[CARD_IO_MAX_COMMAND], resp[CARD_IO_MAX_RESPONSE];
    size_t wl = 0, rl = 0;
    emrtd_sm_status st = emrtd_sm_wrap_command(&r->sm, apdu, len, wrapped, sizeof wrapped, &wl);
    if (st != EMRTD_SM_OK) {
        snprintf(r->why, r->whycap, "protecting a command: %s", emrtd_sm_status_text(st));
        return from_sm(st);
    }
    card_io_status io =
        r->io->transceive(r->io, wrapped, wl, resp, sizeof resp, &rl, EMRTD_TIMEOUT_MS);
    if (io != CARD_IO_OK) {
        snprintf(r->why, r->whycap, "the card %s",
                 io == CARD_IO_TIMEOUT ? "did not answer in time"
                 : io == CARD_IO_GONE  ? "left the reader"
                                       : "answered with no APDU response");
        return io == CARD_IO_BROKEN ? EMRTD_READ_UNREADABLE : EMRTD_READ_GONE;
    }
    st = emrtd_sm_unwrap_response(&r->sm, resp, rl, data, cap, data_len, sw);
    explicit_bzero(resp, sizeof resp);
    if (st != EMRTD_SM_OK) {
        snprintf(r->why, r->whycap, "a protected answer: %s", emrtd_sm_status_text(st));
        return from_sm(st);
    }
    return EMRTD_READ_OK;
}

static emrtd_read_status select_file(reader *r, uint8_t p1, const uint8_t *id, size_t id_len)
{
    uint8_t apdu[5 + 16] = {0x00, 0xA4, p1, 0x0C, (uint8_t)id_len};
    memcpy(apdu + 5, id, id_len);
    uint8_t data[8];
    size_t n = 0;
    uint16_t sw = 0;
    emrtd_read_status st = command(r, apdu, 5 + id_len, data, sizeof data, &n, &sw);
    if (st == EMRTD_READ_OK && sw != 0x9000) {
        snprintf(r->why, r->whycap, "SELECT %02X%02X answered %04X", id[0], id[id_len - 1], sw);
        return EMRTD_READ_UNREADABLE;
    }
    return st;
}

/* The header of a BER-TLV: the length of the whole object, or 0 when it is none. */
static size_t tlv_total(const uint8_t *b, size_t n)
{
    size_t i = 1;
    if (n < 2)
        return 0;
    if ((b[0] & 0x1F) == 0x1F) /* two-byte tag (5F.., 7F..): not a file's outer tag */
        return 0;
    size_t len;
    if (b[i] < 0x80) {
        len = b[i++];
    } else {
        int k = b[i++] & 0x7F;
        if (k < 1 || k > 3 || i + (size_t)k > n)
            return 0;
        len = 0;
        while (k--)
            len = len << 8 | b[i++];
    }
    return i + len;
}

/* Reads the selected EF whole, in pieces that fit a protected short answer. */
static emrtd_read_status read_file(reader *r, uint8_t *buf, size_t cap, size_t *len)
{
    size_t have = 0, want = 0, chunk = emrtd_sm_max_read(&r->sm);
    while (!want || have < want) {
        size_t ask = want ? want - have : 4; /* first the header, to learn the length */
        if (ask > chunk)
            ask = chunk;
        uint8_t apdu[5] = {0x00, 0xB0, (uint8_t)(have >> 8), (uint8_t)have, (uint8_t)ask};
        uint8_t data[CARD_IO_MAX_RESPONSE];
        size_t n = 0;
        uint16_t sw = 0;
        emrtd_read_status st = command(r, apdu, sizeof apdu, data, sizeof data, &n, &sw);
        if (st != EMRTD_READ_OK)
            return st;
        if ((sw != 0x9000 && sw != 0x6282) || n == 0 || n > cap - have) {
            explicit_bzero(data, sizeof data);
            snprintf(r->why, r->whycap, "READ BINARY answered %04X with %zu bytes", sw, n);
            return EMRTD_READ_UNREADABLE;
        }
        memcpy(buf + have, data, n);
        explicit_bzero(data, n);
        have += n;
        if (!want) {
            want = tlv_total(buf, have);
            if (!want || want > cap) {
                snprintf(r->why, r->whycap, "a file that is no TLV of a sensible size");
                return EMRTD_READ_UNREADABLE;
            }
        }
        if (sw == 0x6282 && have < want) {
            snprintf(r->why, r->whycap, "the file ends before its length");
            return EMRTD_READ_UNREADABLE;
        }
    }
    *len = want;
    return EMRTD_READ_OK;
}

static emrtd_cipher cipher_for(size_t key_len)
{
    return key_len == 16   ? EMRTD_CIPHER_AES128
           : key_len == 24 ? EMRTD_CIPHER_AES192
                           : EMRTD_CIPHER_AES256;
}

/* PACE (or BAC) to a secure channel. */
static emrtd_read_status authenticate(reader *r, const emrtd_read_params *p, int *tries_left)
{
    uint8_t ca[EMRTD_PACE_CARD_ACCESS_MAX];
    size_t ca_len = 0;
    emrtd_pace_status ps = emrtd_pace_read_card_access(r->io, ca, sizeof ca, &ca_len, 0);
    bool mrz = p->document_number && p->birth && p->expiry;
    if (ps == EMRTD_PACE_ERR_UNSUPPORTED) {
        /* no EF.CardAccess: an older document that knows only BAC, with the MRZ details */
        if (!mrz) {
            snprintf(r->why, r->whycap, "a BAC-only document: the MRZ details are needed");
            return EMRTD_READ_NEEDS_MRZ;
        }
        uint8_t seed[EMRTD_SEED_BYTES];
        emrtd_sm_status st = emrtd_mrz_key_seed(p->document_number, p->birth, p->expiry, seed);
        if (st == EMRTD_SM_OK)
            st = emrtd_bac_run(r->io, seed, &r->sm);
        explicit_bzero(seed, sizeof seed);
        if (st != EMRTD_SM_OK)
            snprintf(r->why, r->whycap, "BAC: %s", emrtd_sm_status_text(st));
        return st == EMRTD_SM_OK ? EMRTD_READ_OK : from_sm(st);
    }
    if (ps != EMRTD_PACE_OK) {
        snprintf(r->why, r->whycap, "EF.CardAccess: %s", emrtd_pace_status_text(ps));
        return ps == EMRTD_PACE_ERR_GONE || ps == EMRTD_PACE_ERR_TIMEOUT ? EMRTD_READ_GONE
                                                                         : EMRTD_READ_UNREADABLE;
    }
    emrtd_pace_params params;
    ps = emrtd_pace_parse_card_access(ca, ca_len, &params);
    if (ps != EMRTD_PACE_OK) {
        snprintf(r->why, r->whycap, "EF.CardAccess: %s", emrtd_pace_status_text(ps));
        return EMRTD_READ_UNREADABLE;
    }
    emrtd_pace_password pw;
    bool ok = p->can ? emrtd_pace_password_can(&pw, p->can)
              : mrz  ? emrtd_pace_password_mrz(&pw, p->document_number, p->birth, p->expiry)
                     : false;
    if (!ok) {
        snprintf(r->why, r->whycap, "no CAN or MRZ details to open the chip with");
        emrtd_pace_password_wipe(&pw);
        return EMRTD_READ_WRONG_PASSWORD;
    }
    emrtd_pace_keys keys;
    memset(&keys, 0, sizeof keys);
    ps = emrtd_pace_terminal(r->io, &params, &pw, NULL, &keys, tries_left);
    emrtd_pace_password_wipe(&pw);
    emrtd_read_status st = EMRTD_READ_OK;
    switch (ps) {
    case EMRTD_PACE_OK:
        if (emrtd_sm_init(&r->sm, cipher_for(keys.key_len), keys.ks_enc, keys.ks_mac, keys.ssc) !=
            EMRTD_SM_OK)
            st = EMRTD_READ_UNREADABLE;
        break;
    case EMRTD_PACE_ERR_PASSWORD:
        st = EMRTD_READ_WRONG_PASSWORD;
        break;
    case EMRTD_PACE_ERR_BLOCKED:
        st = EMRTD_READ_BLOCKED;
        break;
    case EMRTD_PACE_ERR_GONE:
    case EMRTD_PACE_ERR_TIMEOUT:
        st = EMRTD_READ_GONE;
        break;
    case EMRTD_PACE_ERR_CARD_TOKEN:
        st = EMRTD_READ_NOT_GENUINE;
        break;
    default:
        st = EMRTD_READ_UNREADABLE;
        break;
    }
    if (ps != EMRTD_PACE_OK)
        snprintf(r->why, r->whycap, "PACE: %s", emrtd_pace_status_text(ps));
    emrtd_pace_keys_wipe(&keys);
    return st;
}

emrtd_read_status emrtd_read(card_io *io, const emrtd_read_params *p, emrtd_identity *out,
                             int *tries_left, char *why, size_t whycap)
{
    static char scratch[2];
    reader r = {.io = io,
                .why = why && whycap ? why : scratch,
                .whycap = why && whycap ? whycap : sizeof scratch};
    r.why[0] = '\0';
    if (tries_left)
        *tries_left = -1;
    memset(out, 0, sizeof *out);
    if (!io || !io->transceive || !p)
        return EMRTD_READ_UNREADABLE;
    static uint8_t dg1[FILE_MAX], sod[FILE_MAX]; /* one read at a time: the reader thread's */
    size_t dg1_len = 0, sod_len = 0;
    progress(p, 1);
    emrtd_read_status st = authenticate(&r, p, tries_left);
    if (st == EMRTD_READ_OK) {
        progress(p, 2);
        st = select_file(&r, 0x04, LDS1_AID, sizeof LDS1_AID);
    }
    if (st == EMRTD_READ_OK)
        st = select_file(&r, 0x02, FID_DG1, sizeof FID_DG1);
    if (st == EMRTD_READ_OK)
        st = read_file(&r, dg1, sizeof dg1, &dg1_len);
    if (st == EMRTD_READ_OK) {
        progress(p, 3);
        st = select_file(&r, 0x02, FID_SOD, sizeof FID_SOD);
    }
    if (st == EMRTD_READ_OK)
        st = read_file(&r, sod, sizeof sod, &sod_len);
    if (st == EMRTD_READ_OK) {
        progress(p, 4);
        const char *bad = NULL;
        if (!lds_dg1_parse(dg1, dg1_len, &out->dg1, &bad)) {
            snprintf(r.why, r.whycap, "DG1: %s", bad ? bad : "not an MRZ");
            st = EMRTD_READ_UNREADABLE;
        }
    }
    if (st == EMRTD_READ_OK) {
        lds_dg dgs[1] = {{1, dg1, dg1_len}};
        lds_passive_auth(sod, sod_len, dgs, 1, p->csca, p->now, &out->pa);
        progress(p, 5);
    }
    emrtd_sm_clear(&r.sm);
    explicit_bzero(dg1, sizeof dg1); /* also what a broken-off read left */
    explicit_bzero(sod, sizeof sod);
    if (st != EMRTD_READ_OK)
        emrtd_identity_wipe(out);
    return st;
}

const char *emrtd_read_status_name(emrtd_read_status s)
{
    static const char *const names[] = {"read",      "gone",       "wrong password", "blocked",
                                        "needs MRZ", "unreadable", "not genuine"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

void emrtd_identity_wipe(emrtd_identity *id)
{
    if (id) {
        lds_dg1_wipe(&id->dg1);
        explicit_bzero(id, sizeof *id);
    }
}
