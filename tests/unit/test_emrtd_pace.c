/* PACE (platform/nfc/emrtd_pace): ICAO 9303-11 Appendix G's worked example byte for byte, the
 * terminal against the card side over a card_io test chip on every supported curve and key length,
 * wrong passwords and the retry counter, a card leaving mid-way, hostile EF.CardAccess files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "nfc/emrtd_pace.h"

static size_t hex(const char *s, uint8_t *out, size_t cap)
{
    size_t n = 0;
    for (; s[0] && s[1]; s += 2) {
        unsigned v = 0;
        assert_int_equal(sscanf(s, "%2x", &v), 1);
        assert_true(n < cap);
        out[n++] = (uint8_t)v;
    }
    assert_int_equal(*s, '\0');
    return n;
}

static void assert_hex(const uint8_t *got, size_t len, const char *want)
{
    uint8_t w[512];
    size_t n = hex(want, w, sizeof w);
    assert_int_equal(len, n);
    assert_memory_equal(got, w, n);
}

/* ---- ICAO 9303-11 Appendix G.1: PACE-ECDH-GM-AES-CBC-CMAC-128 on brainpoolP256r1, MRZ ---- */

#define G_MRZ "T22000129364081251010318"
#define G_PI "7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD"
#define G_KPI "89DED1B26624EC1E634C1989302849DD"
#define G_Z "95A3A016522EE98D01E76CB6B98B42C3"
#define G_S "3F00C4D39D153F2B2A214A078D899B22"
#define G_SK_MAP_PCD "7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99"
#define G_PK_MAP_PCD                                                                               \
    "047ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E"                           \
    "544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D"
#define G_SK_MAP_IC "498FF49756F2DC1587840041839A85982BE7761D14715FB091EFA7BCE9058560"
#define G_PK_MAP_IC                                                                                \
    "04824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F57"                           \
    "30D8C879AAA9C9F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C54"
#define G_H                                                                                        \
    "0460332EF2450B5D247EF6D3868397D398852ED6E8CAF6FFEEF6BF85CA57057FD5"                           \
    "0840CA7415BAF3E43BD414D35AA4608B93A2CAF3A4E3EA4E82C9C13D03EB7181"
#define G_GENERATOR                                                                                \
    "048CED63C91426D4F0EB1435E7CB1D74A46723A0AF21C89634F65A9AE87A9265E2"                           \
    "8C879506743F8611AC33645C5B985C80B5F09A0B83407C1B6A4D857AE76FE522"
#define G_SK_EPH_PCD "A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595"
#define G_PK_EPH_PCD                                                                               \
    "042DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C"                           \
    "3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB36462"
#define G_SK_EPH_IC "107CF58696EF6155053340FD633392BA81909DF7B9706F226F32086C7AFF974A"
#define G_PK_EPH_IC                                                                                \
    "049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB"                           \
    "7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094"
#define G_SHARED "28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925"
#define G_KS_ENC "F5F0E35C0D7161EE6724EE513A0D9A7F"
#define G_KS_MAC "FE251C7858B356B24514B3BD5F4297D1"
#define G_T_PCD "C2B0BD78D94BA866"
#define G_T_IC "3ABB9674BCE93C08"
#define G_CARD_ACCESS "31143012060A04007F0007020204020202010202010D"

/* The appendix's APDUs (command, response). */
static const char *const G_TRANSCRIPT[] = {
    "0022C1A40F800A04007F00070202040202830101",
    "9000",
    "10860000027C0000",
    "7C1280"
    "10" G_Z "9000",
    "1086000045"
    "7C438141" G_PK_MAP_PCD "00",
    "7C438241" G_PK_MAP_IC "9000",
    "1086000045"
    "7C438341" G_PK_EPH_PCD "00",
    "7C438441" G_PK_EPH_IC "9000",
    "008600000C"
    "7C0A8508" G_T_PCD "00",
    "7C0A8608" G_T_IC "9000",
    NULL,
};

/* Injected randomness: fixed values per kind (the appendix's), or a counter-based stream. */
typedef struct {
    const char *nonce, *map_key, *eph_key; /* hex; NULL: pseudo-random */
    uint32_t state;
} fixed_random;

static bool fixed_fill(void *ctx, emrtd_pace_random_kind kind, uint8_t *out, size_t len)
{
    fixed_random *r = ctx;
    const char *v = kind == EMRTD_PACE_RANDOM_NONCE     ? r->nonce
                    : kind == EMRTD_PACE_RANDOM_MAP_KEY ? r->map_key
                                                        : r->eph_key;
    if (v) {
        uint8_t b[128];
        size_t n = hex(v, b, sizeof b);
        assert_int_equal(n, len);
        memcpy(out, b, n);
        return true;
    }
    for (size_t i = 0; i < len; i++) { /* xorshift: deterministic, not for production */
        r->state ^= r->state << 13;
        r->state ^= r->state >> 17;
        r->state ^= r->state << 5;
        out[i] = (uint8_t)r->state;
    }
    return true;
}

static void test_appendix_g_password(void **state)
{
    (void)state;
    emrtd_pace_password a, b;
    assert_true(emrtd_pace_password_mrz_info(&a, G_MRZ));
    assert_int_equal(a.ref, EMRTD_PACE_PW_MRZ);
    assert_hex(a.pi, a.pi_len, G_PI);
    assert_true(emrtd_pace_password_mrz(&b, "T22000129", "640812", "101031"));
    assert_hex(b.pi, b.pi_len, G_PI);
    uint8_t kpi[16];
    assert_true(emrtd_pace_kdf(a.pi, a.pi_len, 3, 16, kpi));
    assert_hex(kpi, sizeof kpi, G_KPI);

    /* The nonce: s = AES-128-CBC-decrypt(Kπ, z), IV 0 (checked here with OpenSSL directly; the
     * card side's encryption is checked by the transcript below). */
    uint8_t z[16], s[32];
    int n1 = 0, n2 = 0;
    hex(G_Z, z, sizeof z);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    static const uint8_t iv[16];
    assert_int_equal(EVP_DecryptInit_ex(ctx, EVP_aes_128_cbc(), NULL, kpi, iv), 1);
    EVP_CIPHER_CTX_set_padding(ctx, 0);
    assert_int_equal(EVP_DecryptUpdate(ctx, s, &n1, z, 16), 1);
    assert_int_equal(EVP_DecryptFinal_ex(ctx, s + n1, &n2), 1);
    EVP_CIPHER_CTX_free(ctx);
    assert_hex(s, (size_t)(n1 + n2), G_S);

    /* A wrong check digit in the MRZ information (an OCR error) is refused. */
    assert_false(emrtd_pace_password_mrz_info(&a, "T22000129464081251010318"));
    assert_false(emrtd_pace_password_mrz_info(&a, "T22000129364081261010318"));
    assert_false(emrtd_pace_password_mrz_info(&a, "T22000129364081251010319"));
    assert_false(emrtd_pace_password_mrz_info(&a, "T2200012936408125101031"));
    assert_false(emrtd_pace_password_mrz(&a, "T22000129X", "640812", "101031"));
    assert_false(emrtd_pace_password_mrz(&a, "t22000129", "640812", "101031"));
    assert_false(emrtd_pace_password_mrz(&a, "T22000129", "64081", "101031"));
    emrtd_pace_password_wipe(&a);
    emrtd_pace_password_wipe(&b);
}

static void test_appendix_g_primitives(void **state)
{
    (void)state;
    uint8_t s[16], sk_map_pcd[32], sk_map_ic[32], sk_eph_pcd[32], sk_eph_ic[32];
    hex(G_S, s, sizeof s);
    hex(G_SK_MAP_PCD, sk_map_pcd, 32);
    hex(G_SK_MAP_IC, sk_map_ic, 32);
    hex(G_SK_EPH_PCD, sk_eph_pcd, 32);
    hex(G_SK_EPH_IC, sk_eph_ic, 32);
    uint8_t pk_map_pcd[EMRTD_PACE_MAX_POINT], pk_map_ic[EMRTD_PACE_MAX_POINT];
    uint8_t h1[EMRTD_PACE_MAX_POINT], h2[EMRTD_PACE_MAX_POINT];
    uint8_t g1[EMRTD_PACE_MAX_POINT], g2[EMRTD_PACE_MAX_POINT];
    uint8_t pk_eph_pcd[EMRTD_PACE_MAX_POINT], pk_eph_ic[EMRTD_PACE_MAX_POINT];
    size_t n = 0;

    /* the mapping keys of both sides */
    assert_true(emrtd_pace_ec_public(13, NULL, 0, sk_map_pcd, 32, pk_map_pcd, &n));
    assert_hex(pk_map_pcd, n, G_PK_MAP_PCD);
    assert_true(emrtd_pace_ec_public(13, NULL, 0, sk_map_ic, 32, pk_map_ic, &n));
    assert_hex(pk_map_ic, n, G_PK_MAP_IC);
    /* H and the mapped generator, computed by either side */
    assert_true(emrtd_pace_gm_map(13, s, 16, sk_map_pcd, 32, pk_map_ic, n, h1, g1, &n));
    assert_hex(h1, n, G_H);
    assert_hex(g1, n, G_GENERATOR);
    assert_true(emrtd_pace_gm_map(13, s, 16, sk_map_ic, 32, pk_map_pcd, n, h2, g2, &n));
    assert_hex(h2, n, G_H);
    assert_hex(g2, n, G_GENERATOR);
    /* the ephemeral keys on the mapped generator */
    assert_true(emrtd_pace_ec_public(13, g1, n, sk_eph_pcd, 32, pk_eph_pcd, &n));
    assert_hex(pk_eph_pcd, n, G_PK_EPH_PCD);
    assert_true(emrtd_pace_ec_public(13, g1, n, sk_eph_ic, 32, pk_eph_ic, &n));
    assert_hex(pk_eph_ic, n, G_PK_EPH_IC);
    /* the shared secret, either way */
    uint8_t k1[EMRTD_PACE_MAX_FIELD], k2[EMRTD_PACE_MAX_FIELD];
    size_t kl = 0;
    assert_true(emrtd_pace_ec_shared(13, sk_eph_pcd, 32, pk_eph_ic, n, k1, &kl));
    assert_hex(k1, kl, G_SHARED);
    assert_true(emrtd_pace_ec_shared(13, sk_eph_ic, 32, pk_eph_pcd, n, k2, &kl));
    assert_hex(k2, kl, G_SHARED);
    /* session keys and tokens */
    uint8_t enc[16], mac[16], t[8];
    assert_true(emrtd_pace_kdf(k1, kl, 1, 16, enc));
    assert_true(emrtd_pace_kdf(k1, kl, 2, 16, mac));
    assert_hex(enc, 16, G_KS_ENC);
    assert_hex(mac, 16, G_KS_MAC);
    emrtd_pace_params p;
    uint8_t ca[64];
    assert_int_equal(emrtd_pace_parse_card_access(ca, hex(G_CARD_ACCESS, ca, sizeof ca), &p),
                     EMRTD_PACE_OK);
    assert_true(emrtd_pace_token(&p, mac, pk_eph_ic, n, t));
    assert_hex(t, 8, G_T_PCD);
    assert_true(emrtd_pace_token(&p, mac, pk_eph_pcd, n, t));
    assert_hex(t, 8, G_T_IC);

    /* a key outside [1, n-1] and a point off the curve are refused */
    uint8_t zero[32] = {0}, bad[EMRTD_PACE_MAX_POINT];
    assert_false(emrtd_pace_ec_public(13, NULL, 0, zero, 32, bad, &n));
    memcpy(bad, pk_map_ic, 65);
    bad[64] ^= 1;
    assert_false(emrtd_pace_gm_map(13, s, 16, sk_map_pcd, 32, bad, 65, NULL, g1, &n));
    assert_false(emrtd_pace_ec_shared(13, sk_eph_pcd, 32, bad, 65, k1, &kl));
    bad[0] = 0x02; /* compressed: not what PACE sends */
    memcpy(bad + 1, pk_map_ic + 1, 32);
    assert_false(emrtd_pace_ec_shared(13, sk_eph_pcd, 32, bad, 33, k1, &kl));
}

/* ---- the card_io test chip: a chip with EF.CardAccess and the card side of PACE ---- */

typedef struct {
    card_io io;
    emrtd_pace_card *card;
    uint8_t card_access[1024];
    size_t card_access_len;
    const char *const *script; /* (command, response) hex pairs: a transcript to replay */
    int n_apdus;
    int fail_at; /* the n-th APDU (1-based) fails with fail_status; 0: never */
    card_io_status fail_status;
    int tamper_at; /* flip a bit of the n-th response's data; 0: never */
    size_t tamper_byte;
    int min_timeout;
    uint8_t cla[16]; /* CLA of each GENERAL AUTHENTICATE */
    int n_ga;
} tchip;

static size_t read_binary(tchip *s, const uint8_t *cmd, size_t len, uint8_t *resp)
{
    size_t off = (cmd[2] & 0x80) ? cmd[3] : ((size_t)cmd[2] << 8 | cmd[3]);
    size_t le = len >= 5 ? (cmd[4] ? cmd[4] : 256) : 256;
    if ((cmd[2] & 0x80) && (cmd[2] & 0x1F) != 0x1C) {
        resp[0] = 0x6A, resp[1] = 0x82;
        return 2;
    }
    if (s->card_access_len == 0) {
        resp[0] = 0x6A, resp[1] = 0x82;
        return 2;
    }
    if (off > s->card_access_len) {
        resp[0] = 0x6B, resp[1] = 0x00;
        return 2;
    }
    size_t n = s->card_access_len - off < le ? s->card_access_len - off : le;
    memcpy(resp, s->card_access + off, n);
    resp[n] = n < le ? 0x62 : 0x90;
    resp[n + 1] = n < le ? 0x82 : 0x00;
    return n + 2;
}

static card_io_status tchip_transceive(card_io *io, const uint8_t *cmd, size_t cmd_len,
                                       uint8_t *resp, size_t cap, size_t *resp_len, int timeout_ms)
{
    tchip *s = io->ctx;
    int nth = ++s->n_apdus;
    assert_true(cmd_len <= CARD_IO_MAX_COMMAND);
    assert_true(cap >= CARD_IO_MAX_RESPONSE);
    if (s->min_timeout == 0 || timeout_ms < s->min_timeout)
        s->min_timeout = timeout_ms;
    if (cmd_len >= 2 && cmd[1] == 0x86 && s->n_ga < 16)
        s->cla[s->n_ga++] = cmd[0];
    if (s->fail_at == nth)
        return s->fail_status;
    if (s->script) {
        const char *want = s->script[2 * (nth - 1)];
        assert_non_null(want);
        assert_hex(cmd, cmd_len, want);
        *resp_len = hex(s->script[2 * (nth - 1) + 1], resp, cap);
    } else if (cmd_len >= 4 && cmd[1] == 0xB0) {
        *resp_len = read_binary(s, cmd, cmd_len, resp);
    } else if (!s->card ||
               !emrtd_pace_card_transceive(s->card, cmd, cmd_len, resp, cap, resp_len)) {
        resp[0] = 0x6D, resp[1] = 0x00;
        *resp_len = 2;
    }
    if (s->tamper_at == nth && *resp_len > 2 + s->tamper_byte)
        resp[s->tamper_byte] ^= 0x01;
    return CARD_IO_OK;
}

static void tchip_init(tchip *s)
{
    memset(s, 0, sizeof *s);
    s->io.transceive = tchip_transceive;
    s->io.ctx = s;
}

static void test_appendix_g_terminal(void **state)
{
    (void)state;
    tchip s;
    tchip_init(&s);
    s.script = G_TRANSCRIPT;
    emrtd_pace_params p;
    uint8_t ca[64];
    assert_int_equal(emrtd_pace_parse_card_access(ca, hex(G_CARD_ACCESS, ca, sizeof ca), &p),
                     EMRTD_PACE_OK);
    assert_int_equal(p.param_id, 13);
    assert_int_equal(p.key_len, 16);
    assert_false(p.send_param_id);
    emrtd_pace_password pw;
    assert_true(emrtd_pace_password_mrz_info(&pw, G_MRZ));
    fixed_random fr = {.map_key = G_SK_MAP_PCD, .eph_key = G_SK_EPH_PCD};
    emrtd_pace_random rnd = {fixed_fill, &fr};
    emrtd_pace_options opt = {.random = &rnd};
    emrtd_pace_keys k;
    int tries = 99;
    assert_int_equal(emrtd_pace_terminal(&s.io, &p, &pw, &opt, &k, &tries), EMRTD_PACE_OK);
    assert_int_equal(s.n_apdus, 5);
    assert_int_equal(tries, -1);
    assert_int_equal(k.cipher, EMRTD_PACE_CIPHER_AES);
    assert_hex(k.ks_enc, k.key_len, G_KS_ENC);
    assert_hex(k.ks_mac, k.key_len, G_KS_MAC);
    assert_int_equal(k.ssc_len, 16);
    static const uint8_t zero[16];
    assert_memory_equal(k.ssc, zero, 16);
    assert_hex(k.card_eph_x, k.card_eph_x_len,
               "9E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB");
    emrtd_pace_keys_wipe(&k);
    emrtd_pace_password_wipe(&pw);
}

/* The card side, given the appendix's nonce and keys, answers the appendix's commands with the
 * appendix's responses. */
static void test_appendix_g_card(void **state)
{
    (void)state;
    emrtd_pace_params p;
    assert_true(emrtd_pace_params_make(13, 16, &p));
    emrtd_pace_password mrz;
    assert_true(emrtd_pace_password_mrz(&mrz, "T22000129", "640812", "101031"));
    fixed_random fr = {.nonce = G_S, .map_key = G_SK_MAP_IC, .eph_key = G_SK_EPH_IC};
    emrtd_pace_random rnd = {fixed_fill, &fr};
    emrtd_pace_card *card = emrtd_pace_card_new(&p, NULL, &mrz, -1, &rnd);
    assert_non_null(card);
    emrtd_pace_keys k;
    assert_false(emrtd_pace_card_keys(card, &k));
    for (int i = 0; G_TRANSCRIPT[i]; i += 2) {
        uint8_t cmd[CARD_IO_MAX_COMMAND], resp[CARD_IO_MAX_RESPONSE];
        size_t n = hex(G_TRANSCRIPT[i], cmd, sizeof cmd), rl = 0;
        assert_true(emrtd_pace_card_transceive(card, cmd, n, resp, sizeof resp, &rl));
        assert_hex(resp, rl, G_TRANSCRIPT[i + 1]);
    }
    assert_true(emrtd_pace_card_keys(card, &k));
    assert_hex(k.ks_enc, k.key_len, G_KS_ENC);
    assert_hex(k.ks_mac, k.key_len, G_KS_MAC);
    /* not PACE's: left to the chip */
    uint8_t sel[] = {0x00, 0xA4, 0x04, 0x0C, 0x02, 0x3F, 0x00}, resp[CARD_IO_MAX_RESPONSE];
    size_t rl = 0;
    assert_false(emrtd_pace_card_transceive(card, sel, sizeof sel, resp, sizeof resp, &rl));
    emrtd_pace_card_free(card);
    emrtd_pace_password_wipe(&mrz);
}

/* ---- terminal against the card side ---- */

typedef struct {
    tchip s;
    emrtd_pace_params p;
    emrtd_pace_password can, mrz;
    fixed_random card_fr, term_fr;
    emrtd_pace_random card_rnd, term_rnd;
    emrtd_pace_options opt;
} rig;

static void rig_init(rig *r, int param_id, size_t key_len, int tries)
{
    memset(r, 0, sizeof *r);
    tchip_init(&r->s);
    assert_true(emrtd_pace_params_make(param_id, key_len, &r->p));
    assert_true(emrtd_pace_password_can(&r->can, "123456"));
    assert_true(emrtd_pace_password_mrz(&r->mrz, "NX1234567", "900101", "320101"));
    r->card_fr.state = 0x12345678u + (uint32_t)param_id;
    r->term_fr.state = 0x9abcdef0u + (uint32_t)key_len;
    r->card_rnd = (emrtd_pace_random){fixed_fill, &r->card_fr};
    r->term_rnd = (emrtd_pace_random){fixed_fill, &r->term_fr};
    r->opt.random = &r->term_rnd;
    r->s.card = emrtd_pace_card_new(&r->p, &r->can, &r->mrz, tries, &r->card_rnd);
    assert_non_null(r->s.card);
    r->s.card_access_len =
        emrtd_pace_card_access_encode(&r->p, r->s.card_access, sizeof r->s.card_access);
    assert_true(r->s.card_access_len > 0);
}

static void rig_free(rig *r)
{
    emrtd_pace_card_free(r->s.card);
    emrtd_pace_password_wipe(&r->can);
    emrtd_pace_password_wipe(&r->mrz);
}

/* Reads and parses EF.CardAccess from the tchip, runs PACE; on success checks both sides' keys. */
static emrtd_pace_status run(rig *r, const emrtd_pace_password *pw, int *tries)
{
    uint8_t ca[EMRTD_PACE_CARD_ACCESS_MAX];
    size_t n = 0;
    emrtd_pace_status st = emrtd_pace_read_card_access(&r->s.io, ca, sizeof ca, &n, 0);
    if (st != EMRTD_PACE_OK)
        return st;
    emrtd_pace_params p;
    assert_int_equal(emrtd_pace_parse_card_access(ca, n, &p), EMRTD_PACE_OK);
    assert_int_equal(p.param_id, r->p.param_id);
    assert_int_equal(p.key_len, r->p.key_len);
    emrtd_pace_keys kt, kc;
    memset(&kt, 0xAA, sizeof kt);
    st = emrtd_pace_terminal(&r->s.io, &p, pw, &r->opt, &kt, tries);
    if (st == EMRTD_PACE_OK) {
        assert_true(emrtd_pace_card_keys(r->s.card, &kc));
        assert_int_equal(kt.key_len, r->p.key_len);
        assert_int_equal(kt.cipher, EMRTD_PACE_CIPHER_AES);
        assert_memory_equal(kt.ks_enc, kc.ks_enc, kt.key_len);
        assert_memory_equal(kt.ks_mac, kc.ks_mac, kt.key_len);
        assert_memory_not_equal(kt.ks_enc, kt.ks_mac, kt.key_len);
        assert_int_equal(kt.card_eph_x_len, kc.card_eph_x_len);
        assert_memory_equal(kt.card_eph_x, kc.card_eph_x, kt.card_eph_x_len);
        static const uint8_t zero[16];
        assert_int_equal(kt.ssc_len, 16);
        assert_memory_equal(kt.ssc, zero, 16);
        emrtd_pace_keys_wipe(&kc);
    } else if (st != EMRTD_PACE_ERR_CARD_TOKEN) {
        /* (unless the card's token was altered on its way: then the card finished) */
        assert_false(emrtd_pace_card_keys(r->s.card, &kc));
    }
    emrtd_pace_keys_wipe(&kt);
    return st;
}

static void test_dutch_can_bp320_aes256(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, 14, 32, -1);
    int tries = 0;
    assert_int_equal(run(&r, &r.can, &tries), EMRTD_PACE_OK);
    assert_int_equal(tries, -1);
    /* READ BINARY, MSE:SET AT, four GENERAL AUTHENTICATE: chained, chained, chained, last */
    assert_int_equal(r.s.n_apdus, 6);
    assert_int_equal(r.s.n_ga, 4);
    assert_memory_equal(r.s.cla, ((uint8_t[]){0x10, 0x10, 0x10, 0x00}), 4);
    /* timeouts of seconds, not libnfc's 350 ms */
    assert_int_equal(r.s.min_timeout, EMRTD_PACE_TIMEOUT_MS);
    /* and with the MRZ as the password */
    r.s.n_apdus = 0;
    assert_int_equal(run(&r, &r.mrz, &tries), EMRTD_PACE_OK);
    rig_free(&r);
}

static void test_can_bp256_aes128(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, 13, 16, -1);
    r.opt.timeout_ms = 2500;
    assert_int_equal(run(&r, &r.can, NULL), EMRTD_PACE_OK);
    assert_int_equal(r.s.min_timeout, 2500);
    rig_free(&r);
}

/* Every curve the kiosk supports, every AES key length, with OpenSSL's randomness. */
static void test_all_parameters(void **state)
{
    (void)state;
    for (int id = 8; id <= 18; id++) {
        for (size_t kl = 16; kl <= 32; kl += 8) {
            rig r;
            rig_init(&r, id, kl, -1);
            r.opt.random = NULL;
            emrtd_pace_card_free(r.s.card);
            r.s.card = emrtd_pace_card_new(&r.p, &r.can, NULL, -1, NULL);
            assert_non_null(r.s.card);
            assert_int_equal(run(&r, &r.can, NULL), EMRTD_PACE_OK);
            rig_free(&r);
        }
    }
    emrtd_pace_params p;
    assert_false(emrtd_pace_params_make(0, 16, &p)); /* DH: not supported */
    assert_false(emrtd_pace_params_make(7, 16, &p)); /* reserved */
    assert_false(emrtd_pace_params_make(19, 16, &p));
    assert_false(emrtd_pace_params_make(13, 8, &p)); /* no 3DES */
}

static void test_wrong_can_and_retry_counter(void **state)
{
    (void)state;
    rig r;
    rig_init(&r, 14, 32, 3);
    emrtd_pace_password wrong;
    assert_true(emrtd_pace_password_can(&wrong, "123457"));
    int tries = 0;
    /* the card refuses the terminal's token: 63C2 */
    assert_int_equal(run(&r, &wrong, &tries), EMRTD_PACE_ERR_PASSWORD);
    assert_int_equal(tries, 2);
    assert_int_equal(emrtd_pace_card_tries(r.s.card), 2);
    /* the right CAN: MSE:SET AT warns (63C2), PACE works, the counter is back at 3 */
    assert_int_equal(run(&r, &r.can, &tries), EMRTD_PACE_OK);
    assert_int_equal(tries, 2);
    assert_int_equal(emrtd_pace_card_tries(r.s.card), 3);
    /* three wrong in a row: 2, 1, then blocked */
    assert_int_equal(run(&r, &wrong, &tries), EMRTD_PACE_ERR_PASSWORD);
    assert_int_equal(tries, 2);
    assert_int_equal(run(&r, &wrong, &tries), EMRTD_PACE_ERR_PASSWORD);
    assert_int_equal(tries, 1);
    assert_int_equal(run(&r, &wrong, &tries), EMRTD_PACE_ERR_BLOCKED);
    assert_int_equal(tries, 0);
    /* blocked: even the right CAN meets 6983 */
    assert_int_equal(run(&r, &r.can, &tries), EMRTD_PACE_ERR_BLOCKED);
    assert_int_equal(tries, 0);
    rig_free(&r);

    /* a card without a retry counter says 6300: wrong, tries unknown */
    rig_init(&r, 13, 16, -1);
    assert_int_equal(run(&r, &wrong, &tries), EMRTD_PACE_ERR_PASSWORD);
    assert_int_equal(tries, -1);
    assert_string_equal(emrtd_pace_status_text(EMRTD_PACE_ERR_PASSWORD),
                        "wrong password (CAN or MRZ)");
    rig_free(&r);

    /* a passport knows no CAN: 6A88 */
    rig_init(&r, 13, 16, -1);
    emrtd_pace_card_free(r.s.card);
    r.s.card = emrtd_pace_card_new(&r.p, NULL, &r.mrz, -1, &r.card_rnd);
    assert_int_equal(run(&r, &r.can, &tries), EMRTD_PACE_ERR_UNSUPPORTED);
    assert_int_equal(run(&r, &r.mrz, &tries), EMRTD_PACE_OK);
    rig_free(&r);
    emrtd_pace_password_wipe(&wrong);
}

static void test_card_gone_midway(void **state)
{
    (void)state;
    static const struct {
        card_io_status io;
        emrtd_pace_status want;
    } faults[] = {
        {CARD_IO_GONE, EMRTD_PACE_ERR_GONE},
        {CARD_IO_TIMEOUT, EMRTD_PACE_ERR_TIMEOUT},
        {CARD_IO_BROKEN, EMRTD_PACE_ERR_TRANSPORT},
    };
    for (size_t f = 0; f < sizeof faults / sizeof faults[0]; f++) {
        for (int at = 1; at <= 6; at++) { /* READ BINARY, MSE, GA 1..4 */
            rig r;
            rig_init(&r, 14, 32, 3);
            r.s.fail_at = at;
            r.s.fail_status = faults[f].io;
            assert_int_equal(run(&r, &r.can, NULL), faults[f].want);
            assert_int_equal(emrtd_pace_card_tries(r.s.card), 3); /* no attempt counted */
            /* the next try, with the card back, works */
            r.s.fail_at = 0;
            assert_int_equal(run(&r, &r.can, NULL), EMRTD_PACE_OK);
            rig_free(&r);
        }
    }
}

/* A card (or a man in the middle) that answers wrongly. */
static void test_tampered_answers(void **state)
{
    (void)state;
    rig r;
    /* the card's token (response 6: 7C 0A 86 08 T..) altered: not a genuine chip */
    rig_init(&r, 13, 16, -1);
    r.s.tamper_at = 6;
    r.s.tamper_byte = 6;
    assert_int_equal(run(&r, &r.can, NULL), EMRTD_PACE_ERR_CARD_TOKEN);
    rig_free(&r);
    /* the card's mapping key off the curve */
    rig_init(&r, 13, 16, -1);
    r.s.tamper_at = 4;
    r.s.tamper_byte = 40;
    assert_int_equal(run(&r, &r.can, NULL), EMRTD_PACE_ERR_CRYPTO);
    rig_free(&r);
    /* the card's ephemeral key off the curve */
    rig_init(&r, 14, 32, -1);
    r.s.tamper_at = 5;
    r.s.tamper_byte = 70;
    assert_int_equal(run(&r, &r.can, NULL), EMRTD_PACE_ERR_CRYPTO);
    rig_free(&r);
    /* the template's tag altered */
    rig_init(&r, 14, 32, -1);
    r.s.tamper_at = 3;
    r.s.tamper_byte = 0;
    assert_int_equal(run(&r, &r.can, NULL), EMRTD_PACE_ERR_PROTOCOL);
    rig_free(&r);

    /* a card echoing the terminal's own keys (a reflection) */
    static const char *const echo[] = {
        "0022C1A40F800A04007F00070202040202830101",
        "9000",
        "10860000027C0000",
        "7C1280"
        "10" G_Z "9000",
        "1086000045"
        "7C438141" G_PK_MAP_PCD "00",
        "7C438241" G_PK_MAP_PCD "9000",
        NULL,
    };
    tchip s;
    tchip_init(&s);
    s.script = echo;
    emrtd_pace_params p;
    assert_true(emrtd_pace_params_make(13, 16, &p));
    emrtd_pace_password pw;
    assert_true(emrtd_pace_password_mrz_info(&pw, G_MRZ));
    fixed_random fr = {.map_key = G_SK_MAP_PCD, .eph_key = G_SK_EPH_PCD};
    emrtd_pace_random rnd = {fixed_fill, &fr};
    emrtd_pace_options opt = {.random = &rnd};
    emrtd_pace_keys k;
    assert_int_equal(emrtd_pace_terminal(&s.io, &p, &pw, &opt, &k, NULL), EMRTD_PACE_ERR_CRYPTO);
    emrtd_pace_password_wipe(&pw);
}

/* ---- EF.CardAccess ---- */

static emrtd_pace_status parse_hex(const char *h, emrtd_pace_params *p)
{
    uint8_t b[EMRTD_PACE_CARD_ACCESS_MAX + 16];
    return emrtd_pace_parse_card_access(b, hex(h, b, sizeof b), p);
}

static void test_card_access_choice(void **state)
{
    (void)state;
    emrtd_pace_params p;
    /* A Dutch-like file: PACE-ECDH-GM-AES-256 on brainpoolP320r1, PACE-ECDH-CAM-AES-256, a
     * ChipAuthenticationInfo and a PACEDomainParameterInfo skipped. */
    assert_int_equal(parse_hex("3181A7"
                               "3012060A04007F0007020204060402010202010E" /* CAM: skipped */
                               "3012060A04007F0007020204020402010202010E" /* GM-AES-256, 14 */
                               "3012060A04007F0007020204020202010202010D" /* GM-AES-128, 13 */
                               "3012060A04007F0007020203020402010202010E" /* CA info */
                               "3012060A04007F0007020204040402010202010D" /* IM: skipped */
                               "3012060A04007F0007020204010402010202010E" /* DH-GM */
                               "3019060904007F0007020204023009" /* PACEDomainParameterInfo */
                               "06072A8648CE3D020102010E"
                               "3012060A04007F0007020204020402010102010E", /* version 1 */
                               &p),
                     EMRTD_PACE_OK);
    assert_int_equal(p.param_id, 14);
    assert_int_equal(p.key_len, 32);
    assert_true(p.send_param_id);
    assert_hex(p.oid, p.oid_len, "04007F00070202040204");
    /* the appendix's file, padded as a whole-file read may give it */
    assert_int_equal(parse_hex(G_CARD_ACCESS "0000FFFF", &p), EMRTD_PACE_OK);
    assert_false(p.send_param_id);

    /* one encoded by the card side round-trips */
    emrtd_pace_params q;
    uint8_t b[64];
    assert_true(emrtd_pace_params_make(17, 24, &q));
    size_t n = emrtd_pace_card_access_encode(&q, b, sizeof b);
    assert_true(n > 0);
    assert_int_equal(emrtd_pace_parse_card_access(b, n, &p), EMRTD_PACE_OK);
    assert_int_equal(p.param_id, 17);
    assert_int_equal(p.key_len, 24);
    assert_int_equal(emrtd_pace_card_access_encode(&q, b, 10), 0);
}

static void test_card_access_hostile(void **state)
{
    (void)state;
    emrtd_pace_params p;
    uint8_t good[64];
    size_t n = hex(G_CARD_ACCESS, good, sizeof good);
    /* every truncation */
    for (size_t i = 0; i < n; i++)
        assert_int_equal(emrtd_pace_parse_card_access(good, i, &p), EMRTD_PACE_ERR_CARD_ACCESS);

    static const struct {
        const char *hex;
        emrtd_pace_status want;
    } cases[] = {
        /* huge lengths */
        {"3184FFFFFFFF3012060A04007F0007020204020202010202010D", EMRTD_PACE_ERR_CARD_ACCESS},
        {"3182FFFF3012060A04007F0007020204020202010202010D", EMRTD_PACE_ERR_CARD_ACCESS},
        {"31143082FFFF060A04007F0007020204020202010202010D", EMRTD_PACE_ERR_CARD_ACCESS},
        {"31143012068AFFFFFFFF0007020204020202010202010D", EMRTD_PACE_ERR_CARD_ACCESS},
        {"31143012060A04007F00070202040202028201020D", EMRTD_PACE_ERR_CARD_ACCESS},
        /* indefinite length */
        {"31803012060A04007F0007020204020202010202010D0000", EMRTD_PACE_ERR_CARD_ACCESS},
        /* not a SET, not SEQUENCEs, no OID first, no requiredData */
        {"30143012060A04007F0007020204020202010202010D", EMRTD_PACE_ERR_CARD_ACCESS},
        {"31143112060A04007F0007020204020202010202010D", EMRTD_PACE_ERR_CARD_ACCESS},
        {"31143012040A04007F0007020204020202010202010D", EMRTD_PACE_ERR_CARD_ACCESS},
        {"310E300C060A04007F00070202040202", EMRTD_PACE_ERR_CARD_ACCESS},
        {"31023000", EMRTD_PACE_ERR_CARD_ACCESS},
        /* a PACEInfo with junk after parameterId, or a version that is no INTEGER */
        {"31173015060A04007F0007020204020202010202010D020100", EMRTD_PACE_ERR_CARD_ACCESS},
        {"31143012060A04007F0007020204020204010202010D", EMRTD_PACE_ERR_CARD_ACCESS},
        /* trailing bytes that are no padding */
        {"31143012060A04007F0007020204020202010202010D01", EMRTD_PACE_ERR_CARD_ACCESS},
        /* well-formed, but nothing the kiosk supports */
        {"3100", EMRTD_PACE_ERR_UNSUPPORTED},
        {"31143012060A04007F0007020204020102010202010D", EMRTD_PACE_ERR_UNSUPPORTED}, /* 3DES */
        {"31143012060A04007F0007020204010202010202010D", EMRTD_PACE_ERR_UNSUPPORTED}, /* DH */
        {"31143012060A04007F00070202040202020102020100", EMRTD_PACE_ERR_UNSUPPORTED}, /* id 0 */
        {"31143012060A04007F00070202040202020102020107", EMRTD_PACE_ERR_UNSUPPORTED}, /* id 7 */
        {"31143012060A04007F00070202040202020102020113", EMRTD_PACE_ERR_UNSUPPORTED}, /* id 19 */
        {"31143012060A04007F000702020402020201020201FF", EMRTD_PACE_ERR_UNSUPPORTED}, /* -1 */
        {"31173015060A04007F00070202040202020102020400000D0D", EMRTD_PACE_ERR_UNSUPPORTED},
        {"31113010060A04007F000702020402020201020D", EMRTD_PACE_ERR_CARD_ACCESS},
        {"3111300F060A04007F00070202040202020102", EMRTD_PACE_ERR_UNSUPPORTED}, /* no paramId */
        {"31143012060A04007F0007020204020202010102010D", EMRTD_PACE_ERR_UNSUPPORTED}, /* v1 */
        {"31143012060A05007F0007020204020202010202010D", EMRTD_PACE_ERR_UNSUPPORTED}, /* OID */
        {"3110300E060904007F000702020402020102", EMRTD_PACE_ERR_UNSUPPORTED}, /* PACEDP only */
        {"", EMRTD_PACE_ERR_CARD_ACCESS},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t b[128];
        size_t len = hex(cases[i].hex, b, sizeof b);
        emrtd_pace_status got = emrtd_pace_parse_card_access(b, len, &p);
        if (got != cases[i].want)
            fail_msg("case %zu (%s): got %d, want %d", i, cases[i].hex, got, cases[i].want);
    }

    /* too many SecurityInfos, too big a file */
    static uint8_t big[EMRTD_PACE_CARD_ACCESS_MAX + 8];
    size_t m = 0;
    big[m++] = 0x31, big[m++] = 0x82, big[m++] = 0, big[m++] = 0;
    for (int i = 0; i < 40; i++) {
        static const uint8_t ca[] = {0x30, 0x0C, 0x06, 0x07, 0x04, 0x00, 0x7F,
                                     0x00, 0x07, 0x02, 0x02, 0x02, 0x01, 0x02};
        memcpy(big + m, ca, sizeof ca);
        m += sizeof ca;
    }
    big[2] = (uint8_t)((m - 4) >> 8), big[3] = (uint8_t)(m - 4);
    assert_int_equal(emrtd_pace_parse_card_access(big, m, &p), EMRTD_PACE_ERR_CARD_ACCESS);
    memset(big, 0, sizeof big);
    big[0] = 0x31, big[1] = 0x82, big[2] = 0x08, big[3] = 0x04;
    assert_int_equal(emrtd_pace_parse_card_access(big, sizeof big, &p), EMRTD_PACE_ERR_CARD_ACCESS);

    /* mutations of a good file: never a crash or a read beyond (ASan), a known answer only */
    uint32_t x = 2463534242u;
    for (int round = 0; round < 20000; round++) {
        uint8_t b[64];
        memcpy(b, good, n);
        size_t len = n;
        for (int k = 0; k < 1 + round % 4; k++) {
            x ^= x << 13, x ^= x >> 17, x ^= x << 5;
            b[(x >> 8) % n] = (uint8_t)x;
        }
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        if (x % 3 == 0)
            len = (x >> 4) % (n + 1);
        uint8_t *heap = malloc(len ? len : 1); /* exact size: ASan sees any over-read */
        memcpy(heap, b, len);
        emrtd_pace_status st = emrtd_pace_parse_card_access(heap, len, &p);
        assert_true(st == EMRTD_PACE_OK || st == EMRTD_PACE_ERR_CARD_ACCESS ||
                    st == EMRTD_PACE_ERR_UNSUPPORTED);
        if (st == EMRTD_PACE_OK)
            assert_true(p.param_id >= 8 && p.param_id <= 18);
        free(heap);
    }
}

static void test_read_card_access(void **state)
{
    (void)state;
    tchip s;
    tchip_init(&s);
    uint8_t buf[EMRTD_PACE_CARD_ACCESS_MAX];
    size_t n = 0;
    /* no EF.CardAccess: a BAC-only document */
    assert_int_equal(emrtd_pace_read_card_access(&s.io, buf, sizeof buf, &n, 0),
                     EMRTD_PACE_ERR_UNSUPPORTED);
    /* a file of 300 bytes: read in two parts */
    s.card_access[0] = 0x31, s.card_access[1] = 0x82, s.card_access[2] = 0x01,
    s.card_access[3] = 0x28;
    for (size_t i = 4; i < 300; i++)
        s.card_access[i] = (uint8_t)i;
    s.card_access_len = 300;
    s.n_apdus = 0;
    assert_int_equal(emrtd_pace_read_card_access(&s.io, buf, sizeof buf, &n, 0), EMRTD_PACE_OK);
    assert_int_equal(n, 300);
    assert_memory_equal(buf, s.card_access, 300);
    assert_int_equal(s.n_apdus, 2);
    /* a header claiming more than fits */
    s.card_access[2] = 0xFF;
    assert_int_equal(emrtd_pace_read_card_access(&s.io, buf, sizeof buf, &n, 0),
                     EMRTD_PACE_ERR_CARD_ACCESS);
    /* the card gone */
    s.fail_at = s.n_apdus + 1;
    s.fail_status = CARD_IO_GONE;
    assert_int_equal(emrtd_pace_read_card_access(&s.io, buf, sizeof buf, &n, 0),
                     EMRTD_PACE_ERR_GONE);
}

static void test_arguments(void **state)
{
    (void)state;
    emrtd_pace_password pw;
    assert_false(emrtd_pace_password_can(&pw, "12345"));
    assert_false(emrtd_pace_password_can(&pw, "1234567"));
    assert_false(emrtd_pace_password_can(&pw, "12a456"));
    assert_false(emrtd_pace_password_can(&pw, NULL));
    assert_int_equal(pw.pi_len, 0);
    assert_true(emrtd_pace_password_can(&pw, "000000"));
    tchip s;
    tchip_init(&s);
    emrtd_pace_params p;
    emrtd_pace_keys k;
    assert_true(emrtd_pace_params_make(14, 32, &p));
    emrtd_pace_params bad = p;
    bad.key_len = 16; /* not what the OID says */
    assert_int_equal(emrtd_pace_terminal(&s.io, &bad, &pw, NULL, &k, NULL),
                     EMRTD_PACE_ERR_ARGUMENT);
    emrtd_pace_password empty = {0};
    assert_int_equal(emrtd_pace_terminal(&s.io, &p, &empty, NULL, &k, NULL),
                     EMRTD_PACE_ERR_ARGUMENT);
    assert_int_equal(s.n_apdus, 0);
    assert_null(emrtd_pace_card_new(&p, NULL, NULL, -1, NULL));
    assert_null(emrtd_pace_card_new(&bad, &pw, NULL, -1, NULL));

    /* the MSE:SET AT names the parameters when the card offers several */
    p.send_param_id = true;
    p.param_id = 20; /* not a real one: refused before any APDU */
    assert_int_equal(emrtd_pace_terminal(&s.io, &p, &pw, NULL, &k, NULL), EMRTD_PACE_ERR_ARGUMENT);
    assert_true(emrtd_pace_params_make(14, 32, &p));
    p.send_param_id = true;
    static const char *const mse84b[] = {
        "0022C1A412800A04007F0007020204020483010284010E",
        "6A80",
        NULL,
    };
    s.script = mse84b;
    assert_int_equal(emrtd_pace_terminal(&s.io, &p, &pw, NULL, &k, NULL), EMRTD_PACE_ERR_PROTOCOL);
    assert_int_equal(s.n_apdus, 1);
    emrtd_pace_password_wipe(&pw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_appendix_g_password),
        cmocka_unit_test(test_appendix_g_primitives),
        cmocka_unit_test(test_appendix_g_terminal),
        cmocka_unit_test(test_appendix_g_card),
        cmocka_unit_test(test_dutch_can_bp320_aes256),
        cmocka_unit_test(test_can_bp256_aes128),
        cmocka_unit_test(test_all_parameters),
        cmocka_unit_test(test_wrong_can_and_retry_counter),
        cmocka_unit_test(test_card_gone_midway),
        cmocka_unit_test(test_tampered_answers),
        cmocka_unit_test(test_card_access_choice),
        cmocka_unit_test(test_card_access_hostile),
        cmocka_unit_test(test_read_card_access),
        cmocka_unit_test(test_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
