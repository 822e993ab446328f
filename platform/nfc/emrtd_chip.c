#include "nfc/emrtd_chip.h"

#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

#include "nfc/emrtd_pace.h"
#include "nfc/emrtd_sm.h"

enum { EF_NONE, EF_CARD_ACCESS, EF_DG1, EF_SOD };

struct emrtd_chip {
    card_io io;
    uint8_t *dg1, *sod;
    size_t dg1_len, sod_len;
    uint8_t card_access[512];
    size_t card_access_len; /* 0: BAC only */
    emrtd_pace_card *pace;
    uint8_t seed[EMRTD_SEED_BYTES]; /* BAC */
    bool has_mrz;
    uint8_t rnd_ic[EMRTD_BAC_CHALLENGE];
    bool challenged;
    emrtd_sm sm;
    bool sm_on;
    bool app; /* the LDS1 application is selected */
    int ef;
    bool present;
    int leave_after;
};

static size_t sw(uint8_t *resp, size_t at, uint16_t w)
{
    resp[at] = (uint8_t)(w >> 8);
    resp[at + 1] = (uint8_t)w;
    return at + 2;
}

static uint8_t *copy(const uint8_t *p, size_t n)
{
    uint8_t *c = n ? malloc(n) : NULL;
    if (c)
        memcpy(c, p, n);
    return c;
}

emrtd_chip *emrtd_chip_new(const emrtd_chip_spec *s)
{
    if (!s || !s->dg1 || !s->sod || !s->dg1_len || !s->sod_len)
        return NULL;
    emrtd_chip *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->dg1 = copy(s->dg1, s->dg1_len);
    c->sod = copy(s->sod, s->sod_len);
    c->dg1_len = s->dg1_len;
    c->sod_len = s->sod_len;
    c->present = true;
    c->leave_after = -1;
    c->has_mrz = s->document_number && s->birth && s->expiry;
    if (c->has_mrz &&
        emrtd_mrz_key_seed(s->document_number, s->birth, s->expiry, c->seed) != EMRTD_SM_OK)
        c->has_mrz = false;
    bool ok = c->dg1 && c->sod;
    if (ok && !s->bac_only) {
        emrtd_pace_params p;
        emrtd_pace_password can, mrz;
        bool have_can = s->can && emrtd_pace_password_can(&can, s->can);
        bool have_mrz =
            c->has_mrz && emrtd_pace_password_mrz(&mrz, s->document_number, s->birth, s->expiry);
        ok = emrtd_pace_params_make(s->param_id ? s->param_id : 14, s->key_len ? s->key_len : 32,
                                    &p) &&
             (have_can || have_mrz);
        if (ok) {
            c->card_access_len =
                emrtd_pace_card_access_encode(&p, c->card_access, sizeof c->card_access);
            c->pace = emrtd_pace_card_new(&p, have_can ? &can : NULL, have_mrz ? &mrz : NULL,
                                          s->tries, NULL);
            ok = c->card_access_len > 0 && c->pace;
        }
        if (have_can)
            emrtd_pace_password_wipe(&can);
        if (have_mrz)
            emrtd_pace_password_wipe(&mrz);
    } else if (ok) {
        ok = c->has_mrz; /* BAC needs the MRZ */
    }
    if (!ok) {
        emrtd_chip_free(c);
        return NULL;
    }
    return c;
}

void emrtd_chip_free(emrtd_chip *c)
{
    if (!c)
        return;
    emrtd_pace_card_free(c->pace);
    if (c->dg1)
        explicit_bzero(c->dg1, c->dg1_len);
    if (c->sod)
        explicit_bzero(c->sod, c->sod_len);
    free(c->dg1);
    free(c->sod);
    emrtd_sm_clear(&c->sm);
    explicit_bzero(c, sizeof *c);
    free(c);
}

int emrtd_chip_tries(const emrtd_chip *c)
{
    return c->pace ? emrtd_pace_card_tries(c->pace) : -1;
}

static const uint8_t *file(const emrtd_chip *c, size_t *len)
{
    switch (c->ef) {
    case EF_CARD_ACCESS:
        *len = c->card_access_len;
        return c->card_access;
    case EF_DG1:
        *len = c->dg1_len;
        return c->dg1;
    case EF_SOD:
        *len = c->sod_len;
        return c->sod;
    default:
        *len = 0;
        return NULL;
    }
}

/* READ BINARY of the current EF: data into out, the status word back. */
static uint16_t read_binary(const emrtd_chip *c, size_t offset, size_t le, uint8_t *out, size_t *n)
{
    size_t len;
    const uint8_t *f = file(c, &len);
    *n = 0;
    if (!f || !len)
        return 0x6986; /* no current EF */
    if (offset >= len)
        return 0x6B00;
    size_t take = le == 0 ? 256 : le;
    if (take > len - offset)
        take = len - offset;
    memcpy(out, f + offset, take);
    *n = take;
    return take < (le == 0 ? 256 : le) ? 0x6282 : 0x9000;
}

static uint16_t select_ef(emrtd_chip *c, uint8_t p1, const uint8_t *id, size_t len, bool protected)
{
    static const uint8_t aid[] = {0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01};
    if (p1 == 0x04) {
        if (len == sizeof aid && !memcmp(id, aid, len)) {
            c->app = true;
            c->ef = EF_NONE;
            return 0x9000;
        }
        return 0x6A82;
    }
    if (p1 == 0x00 && len == 2 && id[0] == 0x3F && id[1] == 0x00) { /* the master file */
        c->app = false;
        c->ef = EF_NONE;
        return 0x9000;
    }
    if (len != 2 || (p1 != 0x02 && p1 != 0x00))
        return 0x6A86;
    unsigned fid = (unsigned)id[0] << 8 | id[1];
    if (fid == 0x011C && !c->app && c->card_access_len) {
        c->ef = EF_CARD_ACCESS;
        return 0x9000;
    }
    if (!c->app)
        return 0x6A82;
    if (!protected)
        return 0x6982; /* the LDS only through secure messaging */
    if (fid == 0x0101)
        c->ef = EF_DG1;
    else if (fid == 0x011D)
        c->ef = EF_SOD;
    else
        return 0x6A82;
    return 0x9000;
}

/* A command after PACE or BAC: unwrap, answer, wrap. */
static size_t protected_apdu(emrtd_chip *c, const uint8_t *cmd, size_t n, uint8_t *resp, size_t cap)
{
    uint8_t apdu[CARD_IO_MAX_COMMAND], data[256];
    size_t al = 0, dl = 0, rl = 0;
    if (!c->sm_on ||
        emrtd_sm_unwrap_command(&c->sm, cmd, n, apdu, sizeof apdu, &al) != EMRTD_SM_OK) {
        c->sm_on = false; /* a wrong MAC ends the session */
        emrtd_sm_clear(&c->sm);
        return sw(resp, 0, 0x6988);
    }
    uint16_t w = 0x6D00;
    uint8_t ins = apdu[1];
    size_t lc = al > 5 ? apdu[4] : 0;
    if (ins == 0xA4 && al >= 5 && al >= 5 + lc) {
        w = select_ef(c, apdu[2], apdu + 5, lc, true);
    } else if (ins == 0xB0 && al >= 4) {
        if (apdu[2] & 0x80) { /* short file identifier */
            uint8_t sfi = apdu[2] & 0x1F;
            c->ef = sfi == 0x01 ? EF_DG1 : sfi == 0x1D ? EF_SOD : EF_NONE;
            w = c->ef == EF_NONE ? 0x6A82
                                 : read_binary(c, apdu[3], al > 4 ? apdu[al - 1] : 0, data, &dl);
        } else {
            size_t off = (size_t)apdu[2] << 8 | apdu[3];
            w = read_binary(c, off, al > 4 ? apdu[al - 1] : 0, data, &dl);
        }
    }
    if (emrtd_sm_wrap_response(&c->sm, ins, data, dl, w, resp, cap, &rl) != EMRTD_SM_OK)
        rl = sw(resp, 0, 0x6F00);
    explicit_bzero(data, sizeof data);
    explicit_bzero(apdu, sizeof apdu);
    return rl;
}

size_t emrtd_chip_apdu(void *chip, const uint8_t *cmd, size_t n, uint8_t *resp, size_t cap)
{
    emrtd_chip *c = chip;
    if (n < 4 || cap < CARD_IO_MAX_RESPONSE)
        return sw(resp, 0, 0x6700);
    if ((cmd[0] & 0x0C) == 0x0C)
        return protected_apdu(c, cmd, n, resp, cap);
    /* PACE: MSE:SET AT and GENERAL AUTHENTICATE */
    size_t rl = 0;
    if (c->pace && emrtd_pace_card_transceive(c->pace, cmd, n, resp, cap, &rl)) {
        emrtd_pace_keys k;
        if (emrtd_pace_card_keys(c->pace, &k)) {
            emrtd_cipher ci = k.key_len == 16   ? EMRTD_CIPHER_AES128
                              : k.key_len == 24 ? EMRTD_CIPHER_AES192
                                                : EMRTD_CIPHER_AES256;
            c->sm_on = emrtd_sm_init(&c->sm, ci, k.ks_enc, k.ks_mac, k.ssc) == EMRTD_SM_OK;
            emrtd_pace_keys_wipe(&k);
        }
        return rl;
    }
    uint8_t ins = cmd[1];
    size_t lc = n > 5 ? cmd[4] : 0;
    if (ins == 0xA4 && n >= 5 + lc)
        return sw(resp, 0, select_ef(c, cmd[2], cmd + 5, lc, false));
    if (ins == 0xB0) {
        size_t dl = 0;
        uint16_t w;
        if (cmd[2] & 0x80) {
            if ((cmd[2] & 0x1F) != 0x1C || !c->card_access_len)
                return sw(resp, 0, 0x6A82);
            c->ef = EF_CARD_ACCESS;
            w = read_binary(c, cmd[3], n > 4 ? cmd[4] : 0, resp, &dl);
        } else if (c->ef == EF_CARD_ACCESS) {
            w = read_binary(c, (size_t)cmd[2] << 8 | cmd[3], n > 4 ? cmd[4] : 0, resp, &dl);
        } else {
            return sw(resp, 0, 0x6982);
        }
        return sw(resp, dl, w);
    }
    if (ins == 0x84 && c->has_mrz) { /* GET CHALLENGE (BAC) */
        if (RAND_bytes(c->rnd_ic, sizeof c->rnd_ic) != 1)
            return sw(resp, 0, 0x6F00);
        c->challenged = true;
        memcpy(resp, c->rnd_ic, sizeof c->rnd_ic);
        return sw(resp, sizeof c->rnd_ic, 0x9000);
    }
    if (ins == 0x82 && c->challenged && n >= 5 + EMRTD_BAC_DATA) { /* EXTERNAL AUTHENTICATE */
        uint8_t k_ic[EMRTD_BAC_KEY_PART];
        c->challenged = false;
        if (RAND_bytes(k_ic, sizeof k_ic) != 1)
            return sw(resp, 0, 0x6F00);
        emrtd_sm_status st =
            emrtd_bac_card_answer(c->seed, c->rnd_ic, k_ic, cmd + 5, cmd[4], resp, &c->sm);
        explicit_bzero(k_ic, sizeof k_ic);
        if (st != EMRTD_SM_OK)
            return sw(resp, 0, 0x6300);
        c->sm_on = true;
        return sw(resp, EMRTD_BAC_DATA, 0x9000);
    }
    return sw(resp, 0, c->app ? 0x6982 : 0x6D00);
}

static card_io_status chip_transceive(card_io *io, const uint8_t *cmd, size_t cmd_len,
                                      uint8_t *resp, size_t cap, size_t *resp_len, int timeout_ms)
{
    (void)timeout_ms;
    emrtd_chip *c = io->ctx;
    *resp_len = 0;
    if (c->leave_after == 0)
        c->present = false;
    if (c->leave_after > 0)
        c->leave_after--;
    if (!c->present)
        return CARD_IO_GONE;
    if (cmd_len > CARD_IO_MAX_COMMAND)
        return CARD_IO_BROKEN;
    uint8_t out[CARD_IO_MAX_RESPONSE + 16];
    size_t n = emrtd_chip_apdu(c, cmd, cmd_len, out, sizeof out);
    if (n < 2 || n > cap) {
        explicit_bzero(out, sizeof out);
        return CARD_IO_BROKEN;
    }
    memcpy(resp, out, n);
    explicit_bzero(out, sizeof out);
    *resp_len = n;
    return CARD_IO_OK;
}

card_io *emrtd_chip_card_io(emrtd_chip *c)
{
    c->io.transceive = chip_transceive;
    c->io.ctx = c;
    return &c->io;
}

void emrtd_chip_set_present(emrtd_chip *c, bool present)
{
    c->present = present;
    if (present) { /* a card put back starts afresh, as a real one is powered anew */
        c->sm_on = false;
        c->app = false;
        c->ef = EF_NONE;
        emrtd_sm_clear(&c->sm);
    }
}

void emrtd_chip_leave_after(emrtd_chip *c, int exchanges)
{
    c->leave_after = exchanges;
}
