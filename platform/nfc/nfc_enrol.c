/* `loket --card-hash`: see nfc_enrol.h. Prints to the technician's terminal only; the UID is
 * hashed and wiped, never printed. */
#include "nfc/nfc_enrol.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "nfc/nfc_roles.h"

bool nfc_roles_file_ensure(const char *roles_path, bool *made, char *err, size_t errcap)
{
    if (made)
        *made = false;
    if (!roles_path || !*roles_path) {
        snprintf(err, errcap, "no roles file is configured ([nfc] roles)");
        return false;
    }
    int fd = open(roles_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno == EEXIST)
        return true;
    if (fd < 0) {
        snprintf(err, errcap, "cannot make %s: %s", roles_path, strerror(errno));
        return false;
    }
    uint8_t salt[CARD_ROLES_SALT_BYTES];
    char text[512];
    int n = -1;
    if (RAND_bytes(salt, sizeof salt) == 1) {
        char hex[2 * CARD_ROLES_SALT_BYTES + 1];
        for (size_t i = 0; i < sizeof salt; i++)
            snprintf(hex + 2 * i, 3, "%02x", salt[i]);
        n = snprintf(text, sizeof text,
                     "# Loket: staff badges and technician cards (README: \"Card reader\").\n"
                     "# The site's secret salt, then one line per card: staff or technician and\n"
                     "# SHA-256(salt || UID) in hex. A card's line: loket --card-hash\n"
                     "salt %s\n",
                     hex);
        OPENSSL_cleanse(hex, sizeof hex);
    }
    OPENSSL_cleanse(salt, sizeof salt);
    bool ok = n > 0 && (size_t)n < sizeof text && fchmod(fd, 0600) == 0 &&
              write(fd, text, (size_t)n) == n && fsync(fd) == 0;
    int saved = errno;
    OPENSSL_cleanse(text, sizeof text);
    if (close(fd) != 0 && ok) {
        ok = false;
        saved = errno;
    }
    if (!ok) {
        unlink(roles_path);
        snprintf(err, errcap, "cannot write %s: %s", roles_path,
                 n > 0 ? strerror(saved) : "no random salt");
        return false;
    }
    if (made)
        *made = true;
    return true;
}

/* ISO/IEC 14443-3: a single-size UID starting with 08 is a random ID, new at every tap (ID
 * cards, passports, phones): it cannot identify a badge. */
static bool random_uid(const nfc_card_info *c)
{
    return c->type == NFC_CARD_TYPE_A && c->id_len == 4 && c->id[0] == 0x08;
}

int nfc_enrol_card(const nfc_enrol_source *src, const char *roles_path, int timeout_ms, FILE *out,
                   FILE *errs)
{
    char err[512];
    bool made = false;
    if (!nfc_roles_file_ensure(roles_path, &made, err, sizeof err)) {
        fprintf(errs, "loket: %s\n", err);
        return 1;
    }
    if (made)
        fprintf(out, "Made %s with a new secret salt (only this kiosk's user may read it).\n",
                roles_path);
    card_roles *roles = card_roles_load(roles_path, err, sizeof err);
    if (!roles) {
        fprintf(errs, "loket: %s\n", err);
        return 1;
    }
    if (timeout_ms <= 0)
        timeout_ms = NFC_ENROL_TIMEOUT_MS;
    fprintf(out, "Hold the card on the reader (%s); waiting up to %d seconds...\n",
            src->name ? src->name : "the reader", (timeout_ms + 999) / 1000);
    fflush(out);
    nfc_card_info card;
    memset(&card, 0, sizeof card);
    err[0] = '\0';
    int got = src->wait(src->ctx, timeout_ms, &card, err, sizeof err);
    int rc = 1;
    if (got < 0) {
        fprintf(errs, "loket: the reader failed: %s\n", err[0] ? err : "no answer");
    } else if (got == 0 || card.id_len == 0 || card.id_len > sizeof card.id) {
        fprintf(errs, "loket: no card came within %d seconds; nothing was added\n",
                (timeout_ms + 999) / 1000);
    } else if (random_uid(&card)) {
        fprintf(errs, "loket: this card gives a new random number at every tap (an ID card or a "
                      "phone, most likely): it cannot be a staff badge\n");
    } else {
        char hex[65];
        card_roles_hash(roles, card.id, card.id_len, hex);
        card_role already = card_roles_lookup(roles, card.id, card.id_len);
        if (already != CARD_ROLE_NONE)
            fprintf(out, "This card is already in %s as %s.\n", roles_path,
                    card_role_name(already));
        else
            fprintf(out,
                    "Add this line to %s (write \"technician\" instead of \"staff\" for a "
                    "technician's card):\n",
                    roles_path);
        fprintf(out, "staff %s\n", hex);
        fflush(out);
        OPENSSL_cleanse(hex, sizeof hex);
        rc = 0;
    }
    nfc_card_info_wipe(&card);
    card_roles_free(roles);
    return rc;
}

static int libnfc_wait(void *ctx, int wait_ms, nfc_card_info *card, char *err, size_t errcap)
{
    nfc_reader *r = ctx;
    int got = nfc_reader_poll(r, wait_ms, card);
    if (got < 0)
        snprintf(err, errcap, "%s", nfc_reader_error(r));
    return got;
}

/* The simulated reader: its staff badge is on it at once. */
static int sim_wait(void *ctx, int wait_ms, nfc_card_info *card, char *err, size_t errcap)
{
    (void)ctx;
    (void)wait_ms;
    (void)err;
    (void)errcap;
    static const uint8_t uid[] = NFC_SIM_STAFF_BADGE_UID;
    memset(card, 0, sizeof *card);
    card->type = NFC_CARD_TYPE_A;
    card->atqa[1] = 0x04;
    card->sak = 0x08;
    memcpy(card->id, uid, sizeof uid);
    card->id_len = sizeof uid;
    return 1;
}

int nfc_enrol_main(const char *device, const char *roles_path, FILE *out, FILE *errs)
{
    if (!device || !*device) {
        fprintf(out, "No card reader is configured ([nfc] device): this is the simulated reader, "
                     "and its simulated staff badge is tapped. For a real badge, set [nfc] device "
                     "to the reader, e.g. pn532_uart:/dev/ttyUSB0.\n");
        nfc_enrol_source sim = {sim_wait, NULL, "the simulated reader"};
        return nfc_enrol_card(&sim, roles_path, NFC_ENROL_TIMEOUT_MS, out, errs);
    }
    char err[512];
    nfc_reader *r = nfc_reader_open(device, err, sizeof err);
    if (!r) {
        fprintf(errs, "loket: %s\n", err);
        return 1;
    }
    nfc_enrol_source src = {libnfc_wait, r, device};
    int rc = nfc_enrol_card(&src, roles_path, NFC_ENROL_TIMEOUT_MS, out, errs);
    nfc_reader_close(r);
    return rc;
}
