/* Library passes by UID: see nfc_library.h for what the number is and is not. */
#include "nfc/nfc_library.h"

#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

void nfc_library_defaults(nfc_library_config *c)
{
    c->mode = NFC_LIBRARY_OFF;
    c->format = NFC_LIBRARY_DECIMAL_LE;
    c->digits = 0;
}

bool nfc_library_parse_mode(const char *s, nfc_library_mode *out)
{
    if (!strcmp(s, "off"))
        *out = NFC_LIBRARY_OFF;
    else if (!strcmp(s, "uid"))
        *out = NFC_LIBRARY_UID;
    else
        return false;
    return true;
}

bool nfc_library_parse_format(const char *s, nfc_library_format *out)
{
    if (!strcmp(s, "uid-decimal-le"))
        *out = NFC_LIBRARY_DECIMAL_LE;
    else if (!strcmp(s, "uid-decimal-be"))
        *out = NFC_LIBRARY_DECIMAL_BE;
    else if (!strcmp(s, "uid-hex"))
        *out = NFC_LIBRARY_HEX;
    else
        return false;
    return true;
}

const char *nfc_library_mode_name(nfc_library_mode m)
{
    return m == NFC_LIBRARY_UID ? "uid" : "off";
}

const char *nfc_library_format_name(nfc_library_format f)
{
    return f == NFC_LIBRARY_DECIMAL_BE ? "uid-decimal-be"
           : f == NFC_LIBRARY_HEX      ? "uid-hex"
                                       : "uid-decimal-le";
}

bool nfc_library_number(const nfc_library_config *c, const uint8_t *uid, size_t uid_len, char *out,
                        size_t cap)
{
    if (out && cap)
        out[0] = '\0';
    if (!c || !uid || uid_len == 0 || uid_len > 10 || !out || cap < NFC_LIBRARY_NUMBER_MAX)
        return false;
    uint8_t n[10]; /* the number, most significant byte first */
    for (size_t i = 0; i < uid_len; i++)
        n[i] = c->format == NFC_LIBRARY_DECIMAL_LE ? uid[uid_len - 1 - i] : uid[i];
    char digits[NFC_LIBRARY_NUMBER_MAX]; /* least significant first */
    size_t nd = 0;
    if (c->format == NFC_LIBRARY_HEX) {
        static const char hex[] = "0123456789ABCDEF";
        for (size_t i = uid_len; i-- > 0;) {
            digits[nd++] = hex[n[i] & 0x0F];
            digits[nd++] = hex[n[i] >> 4];
        }
    } else {
        /* long division by 10 of the byte string, until it is zero */
        bool zero;
        do {
            unsigned rem = 0;
            zero = true;
            for (size_t i = 0; i < uid_len; i++) {
                unsigned cur = rem << 8 | n[i];
                n[i] = (uint8_t)(cur / 10);
                rem = cur % 10;
                zero = zero && n[i] == 0;
            }
            digits[nd++] = (char)('0' + rem);
        } while (!zero);
    }
    int want = c->digits < 0 ? 0 : c->digits > 32 ? 32 : c->digits;
    while (nd < (size_t)want)
        digits[nd++] = '0';
    for (size_t i = 0; i < nd; i++)
        out[i] = digits[nd - 1 - i];
    out[nd] = '\0';
    OPENSSL_cleanse(n, sizeof n);
    OPENSSL_cleanse(digits, sizeof digits);
    return true;
}

bool nfc_library_recognise(const nfc_library_config *c, const nfc_card_info *card,
                           const card_roles *roles)
{
    if (!c || !card || c->mode != NFC_LIBRARY_UID)
        return false;
    if (card->type != NFC_CARD_TYPE_A || card->iso14443_4)
        return false;
    if (card->id_len != 4 && card->id_len != 7 && card->id_len != 10)
        return false;
    if (card->id_len == 4 && card->id[0] == 0x08) /* a random UID, new at every tap */
        return false;
    return card_roles_lookup(roles, card->id, card->id_len) == CARD_ROLE_NONE;
}
