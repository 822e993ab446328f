/* Speech text (core/speak.h): the rules per language on chosen cases, then every text of the
 * shipped content and translations: valid UTF-8, nothing left that espeak would read wrong,
 * and every abbreviation decided.  usage: test_speak CONTENT_DIR PO_DIR */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <sys/stat.h>
#include <yaml.h>

#include "core/lang.h"
#include "core/speak.h"

static const char *CONTENT_DIR, *PO_DIR;

/* ---- helpers ---- */

/* Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. */
static bool valid_utf8(const char *p, size_t n)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t len;
        uint32_t v, min;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            len = 2, v = c & 0x1F, min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3, v = c & 0x0F, min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4, v = c & 0x07, min = 0x10000;
        } else {
            return false;
        }
        if (i + len > n)
            return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            v = (v << 6) | (s[i + k] & 0x3Fu);
        }
        if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

static uint32_t decode(const char *p, size_t *len)
{
    const unsigned char *s = (const unsigned char *)p;
    if (s[0] < 0x80) {
        *len = 1;
        return s[0];
    }
    size_t l = s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : 4;
    uint32_t v = s[0] & (l == 2 ? 0x1F : l == 3 ? 0x0F : 0x07);
    for (size_t k = 1; k < l; k++)
        v = (v << 6) | (s[k] & 0x3Fu);
    *len = l;
    return v;
}

/* The token classes of speak.h: Latin letters (with ASCII digits), Cyrillic letters (with
 * ASCII digits); everything else separates tokens. */
enum { T_NONE, T_LATIN, T_CYRILLIC };

static int token_class(uint32_t cp)
{
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z'))
        return T_LATIN;
    if ((cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x1E00 && cp <= 0x1EFF))
        return T_LATIN;
    if (cp >= 0x400 && cp <= 0x52F)
        return T_CYRILLIC;
    return T_NONE;
}

/* Upper case letters of the scripts we write in (Latin, Latin-1, Latin Extended-A, Cyrillic). */
static bool is_upper(uint32_t cp)
{
    if (cp >= 'A' && cp <= 'Z')
        return true;
    if (cp >= 0xC0 && cp <= 0xDE)
        return cp != 0xD7;
    if (cp >= 0x100 && cp <= 0x17F) {
        /* pairs upper, lower; from U+0139 to U+0148 and U+0179 to U+017E the other way round */
        if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
            return cp % 2 == 1;
        if (cp == 0x138 || cp == 0x149 || cp == 0x17F)
            return false;
        return cp % 2 == 0;
    }
    if (cp >= 0x400 && cp <= 0x42F)
        return true;
    if (cp >= 0x460 && cp <= 0x4FF)
        return cp % 2 == 0 && !(cp >= 0x482 && cp <= 0x489);
    return false;
}

static bool is_letter_cp(uint32_t cp)
{
    return token_class(cp) != T_NONE && !(cp >= '0' && cp <= '9');
}

typedef void (*token_fn)(const char *tok, size_t len, void *arg);

static void for_each_token(const char *s, token_fn fn, void *arg)
{
    size_t i = 0, n = strlen(s);
    while (i < n) {
        size_t l;
        uint32_t cp = decode(s + i, &l);
        int cls = token_class(cp);
        if (cls == T_NONE) {
            i += l;
            continue;
        }
        size_t j = i;
        while (j < n) {
            size_t tl;
            uint32_t t = decode(s + j, &tl);
            if (token_class(t) != cls && !(t >= '0' && t <= '9') && !(t >= 0x300 && t <= 0x36F))
                break;
            j += tl;
        }
        fn(s + i, j - i, arg);
        i = j;
    }
}

/* 2 or more letters, all upper case. */
static bool all_caps(const char *t, size_t n)
{
    size_t letters = 0;
    for (size_t i = 0; i < n;) {
        size_t l;
        uint32_t cp = decode(t + i, &l);
        if (is_letter_cp(cp)) {
            if (!is_upper(cp))
                return false;
            letters++;
        }
        i += l;
    }
    return letters >= 2;
}

static char OUT[1 << 16];

static const char *say(lang_id lang, const char *in)
{
    size_t n = speak_prepare(lang, in, OUT, sizeof OUT);
    assert_int_equal(n, strlen(OUT));
    return OUT;
}

/* ---- the rules, per language ---- */

typedef struct {
    lang_id lang;
    const char *in, *want;
} speak_case;

#define LRI "\xE2\x81\xA6"
#define PDI "\xE2\x81\xA9"

static const speak_case CASES[] = {
    /* abbreviations: spelled, said as a word, whole tokens only, case-sensitive */
    {LANG_NL, "Bel UWV.", "Bel U W V."},
    {LANG_NL, "De SVB betaalt de AOW.", "De S V B betaalt de A O W."},
    {LANG_NL, "In Mijn DUO, met DigiD.", "In Mijn Duo, met Digi D."},
    {LANG_NL, "Een WW-uitkering of WIA", "Een W W-uitkering of Wia"},
    {LANG_NL, "UWVs, WWW, Uwv en DigiDs", "UWVs, WWW, Uwv en DigiDs"},
    {LANG_NL, "de kleineondernemersregeling (KOR)", "de kleineondernemersregeling (Kor)"},
    {LANG_NL, "Dit is de BelastingTelefoon.", "Dit is de Belasting Telefoon."},
    {LANG_NL, "via de Wmo of het CAK", "via de W M O of het C A K"},
    {LANG_EN, "UWV pays AOW and AIO.", "U W V pays eh O W and eh I O."},
    {LANG_EN, "File your VAT (btw) return.", "File your V eh T (btw) return."},
    {LANG_EN, "a UWV's office", "a U W V's office"},
    {LANG_TR, "UWV'ye başvurun.", "U W V ye başvurun."},
    {LANG_TR, "DUO'dan alıyor musunuz?", "Duo'dan alıyor musunuz?"},
    {LANG_TR, "KDV (btw), AB ülkesi, İK departmanı", "K D V (btw), A B ülkesi, İ K departmanı"},
    {LANG_AR, "يدفع UWV إعانة البطالة (WW).", "يدفع U W V إعانة البطالة (W W)."},
    {LANG_AR, "وWIA و AOW", "وWia و eh O W"},
    {LANG_PL, "ZEZ w UWV i WW", "zet E zet w U wu V i wu wu"},
    {LANG_PL, "deklarację VAT (btw), kraj UE", "deklarację vat (btw), kraj U E"},
    {LANG_UK, "ПДВ і ЄС", "П Д В і Є С"},
    {LANG_UK, "UWV виплачує AOW", "U W V виплачує eh O W"},
    /* phone and reference numbers: digit by digit, in groups */
    {LANG_NL, "Bel 0800 0543 (gratis).", "Bel 0 8 0 0, 0 5 4 3 (gratis)."},
    {LANG_NL, "088 - 898 92 95", "0 8 8, 8 9 8, 9 2, 9 5"},
    {LANG_NL, "Bel 14 020.", "Bel 1 4, 0 2 0."},
    {LANG_NL, "+31 20 123 4567", "plus 3 1, 2 0, 1 2 3, 4 5 6 7"},
    {LANG_NL, "Uw nummer 001 000 0012", "Uw nummer 0 0 1, 0 0 0, 0 0 1 2"},
    {LANG_NL, "06-12345678", "0 6, 1 2 3 4 5 6 7 8"},
    {LANG_NL,
     "0800\xC2\xA0"
     "0543",
     "0 8 0 0, 0 5 4 3"},
    {LANG_EN, "Call 0800 0543 (free).", "Call 0 8 0 0, 0 5 4 3 (free)."},
    {LANG_TR, "+31 20", "artı 3 1, 2 0"},
    {LANG_AR, "اتصل بـ " LRI "0800 0543" PDI ".", "اتصل بـ 0 8 0 0, 0 5 4 3."},
    {LANG_AR, "رقمك 001 000 0012", "رقمك 0 0 1, 0 0 0, 0 0 1 2"},
    {LANG_AR, "+31 20", "زائد 3 1, 2 0"},
    {LANG_UK, "+31 20", "плюс 3 1, 2 0"},
    /* numbers that stay */
    {LANG_NL, "Op 31 december 2027, binnen 8 weken.", "Op 31 december 2027, binnen 8 weken."},
    {LANG_NL, "1500 euro of 10 000 euro", "1500 euro of 10 000 euro"},
    {LANG_NL, "Van 9.00 tot 17.00 uur", "Van 9.00 tot 17.00 uur"},
    {LANG_NL, "Geboren op 14-12-2026, in 2026 en 2027", "Geboren op 14-12-2026, in 2026 en 2027"},
    {LANG_NL, "Stap 18e, pagina A4, 1/2", "Stap 18e, pagina A4, 1/2"},
    {LANG_EN, "the 6th of May, 18 or older", "the 6th of May, 18 or older"},
    /* ranges */
    {LANG_NL, "2–4 weken, 2026-2027", "2 tot 4 weken, 2026 tot 2027"},
    {LANG_EN, "2–4 weeks", "2 to 4 weeks"},
    {LANG_TR, "2–4 hafta", "2 ila 4 hafta"},
    {LANG_AR, "2–4 أسابيع", "2 إلى 4 أسابيع"},
    {LANG_PL, "2–4 tygodnie", "2 do 4 tygodnie"},
    {LANG_UK, "2–4 тижні", "2 до 4 тижні"},
    /* web and e-mail addresses */
    {LANG_NL, "Kijk op www.uwv.nl.", "Kijk op w w w punt U W V punt n l."},
    {LANG_NL, "op toeslagen.nl, met DigiD", "op toeslagen punt n l, met Digi D"},
    {LANG_NL, "https://www.belastingdienst.nl/wps/wcm/",
     "w w w punt belastingdienst punt n l schuine streep wps schuine streep wcm"},
    {LANG_NL, "zoals naam@voorbeeld.nl.", "zoals naam apenstaartje voorbeeld punt n l."},
    {LANG_NL, "(mijn-overheid.nl)", "(mijn streepje overheid punt n l)"},
    {LANG_NL, "http://digid.nl/aanvragen", "Digi D punt n l schuine streep aanvragen"},
    /* any top-level domain after "www." or a scheme, only known ones without */
    {LANG_NL, "www.gemeente.amsterdam of https://loket.example.xyz/",
     "w w w punt gemeente punt amsterdam of loket punt example punt xyz"},
    {LANG_NL, "bijv.Daarna en e.g. n.v.t.", "bijv.Daarna en e.g. n.v.t."},
    {LANG_EN, "See www.duo.nl or mail name@example.nl",
     "See w w w dot Duo dot n l or mail name at example dot n l"},
    {LANG_TR, "toeslagen.nl'de, isim@ornek.nl", "toeslagen nokta n l de, isim et ornek nokta n l"},
    {LANG_AR, "موقع werk.nl أو name@example.nl", "موقع werk نقطة n l أو name آت example نقطة n l"},
    {LANG_PL, "www.uwv.nl, imie@przyklad.nl",
     "wu wu wu kropka U wu V kropka n l, imie małpa przyklad kropka n l"},
    {LANG_UK, "www.svb.nl, imja@pryklad.nl",
     "w w w крапка S V B крапка n l, imja равлик pryklad крапка n l"},
    /* symbols */
    {LANG_NL, "• Bel UWV → klaar ·", "Bel U W V, klaar"},
    {LANG_NL, "Eén. • Twee", "Eén. Twee"},
    {LANG_AR, "• بلديتك → UWV", "بلديتك, U W V"},
    {LANG_NL, "€ 1.500 per maand, € 5,- of €12,50", "1.500 euro per maand, 5 euro of 12,50 euro"},
    {LANG_NL, "kosten in €", "kosten in euro"},
    {LANG_EN, "€ 1 or €5", "1 euro or 5 euros"},
    {LANG_TR, "€ 5", "5 avro"},
    {LANG_AR, "€ 5", "5 يورو"},
    {LANG_PL, "5 €", "5 euro"},
    {LANG_UK, "€ 5", "5 євро"},
    {LANG_NL, "70% van uw loon, 2 % minder", "70 procent van uw loon, 2 procent minder"},
    {LANG_EN, "70% of your wage", "70 percent of your wage"},
    {LANG_TR, "maaşınızın %70'ini, 2% daha az", "maaşınızın yüzde 70'ini, yüzde 2 daha az"},
    {LANG_AR, "مع 70% من راتبك", "مع 70 بالمِئَة من راتبك"},
    {LANG_PL, "70% pensji", "70 procent pensji"},
    {LANG_UK, "70% зарплати", "70 відсотків зарплати"},
    {LANG_NL, "Belastingdienst/Toeslagen, ja / nee", "Belastingdienst Toeslagen, ja nee"},
    {LANG_PL, "miałeś/miałaś pracę?", "miałeś miałaś pracę?"},
    {LANG_NL, "<b>vet</b> & zo", "<b>vet</b> & zo"},
    /* white space, invisible characters, broken bytes */
    {LANG_NL, "  twee   spaties\n", "twee spaties"},
    {LANG_NL,
     "zacht\xC2\xAD"
     "afbreken",
     "zachtafbreken"},
    {LANG_NL,
     "a\xFF\xC3"
     "b",
     "ab"},
    {LANG_NL, "", ""},
};

static void rules_per_language(void **state)
{
    (void)state;
    int failed = 0;
    for (size_t k = 0; k < sizeof CASES / sizeof *CASES; k++) {
        const char *got = say(CASES[k].lang, CASES[k].in);
        if (strcmp(got, CASES[k].want) != 0) {
            fprintf(stderr, "case %zu (%s) \"%s\"\n  want \"%s\"\n  got  \"%s\"\n", k,
                    lang_get(CASES[k].lang)->code, CASES[k].in, CASES[k].want, got);
            failed++;
        }
    }
    assert_int_equal(failed, 0);
}

static void every_language_has_cases(void **state)
{
    (void)state;
    size_t per[LANG_COUNT] = {0};
    for (size_t k = 0; k < sizeof CASES / sizeof *CASES; k++)
        per[CASES[k].lang]++;
    for (int l = 0; l < LANG_COUNT; l++)
        assert_true(per[l] >= 5);
}

static void null_and_bad_language(void **state)
{
    (void)state;
    char buf[16] = "xxxxxxxxxxxxxxx";
    assert_int_equal(speak_prepare(LANG_NL, NULL, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
    assert_int_equal(speak_prepare(LANG_NL, "UWV", buf, 0), 0);
    assert_string_equal(buf, "");
    /* an unknown language reads as Dutch */
    assert_string_equal(say((lang_id)99, "www.uwv.nl"), "w w w punt U W V punt n l");
}

typedef struct {
    const char *in, *want;
} digits_case;

static void digits_in_groups(void **state)
{
    (void)state;
    static const digits_case cases[] = {
        {"06 1234 5678", "0 6, 1 2 3 4, 5 6 7 8"},
        {"0612", "0 6 1 2"},
        {"  06  ", "0 6"},
        {"+31 6-1234", "+ 3 1, 6, 1 2 3 4"},
        {"+316", "+ 3 1 6"},
        {"06 abc 12", "0 6, 1 2"},
        {"", ""},
    };
    char buf[128];
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        size_t n = speak_digits(cases[k].in, buf, sizeof buf);
        assert_string_equal(buf, cases[k].want);
        assert_int_equal(n, strlen(buf));
    }
    assert_int_equal(speak_digits(NULL, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
}

/* ---- cut at every cap: whole characters, NUL-terminated, the start of the whole ---- */

static void check_cuts(const char *full, size_t (*fn)(const char *, char *, size_t, lang_id),
                       const char *in, lang_id lang, bool *held_back)
{
    for (size_t cap = 0; cap <= 64; cap++) {
        char buf[80];
        memset(buf, 0xAA, sizeof buf);
        size_t n = fn(in, buf, cap, lang);
        if (cap == 0) {
            assert_int_equal(n, 0);
            assert_int_equal((unsigned char)buf[0], 0xAA);
            continue;
        }
        assert_true(n < cap);
        assert_int_equal(buf[n], '\0');
        assert_int_equal(strlen(buf), n);
        assert_true(valid_utf8(buf, n));
        assert_memory_equal(buf, full, n);
        for (size_t k = cap; k < sizeof buf; k++)
            assert_int_equal((unsigned char)buf[k], 0xAA);
        if (n + 1 < cap && n < strlen(full) && full[n] != ' ')
            *held_back = true; /* a character did not fit whole */
    }
}

static size_t prepare_fn(const char *in, char *out, size_t cap, lang_id lang)
{
    return speak_prepare(lang, in, out, cap);
}

static size_t digits_fn(const char *in, char *out, size_t cap, lang_id lang)
{
    (void)lang;
    return speak_digits(in, out, cap);
}

static void cut_at_every_cap(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "اتصل بـ UWV على " LRI "0800 0543" PDI " → € 5 — ПДВ і ЄС, 70%, www.uwv.nl",
        "Зателефонуйте до UWV: 088 898 92 94 • naam@voorbeeld.nl • Ґ Є Ї 2–4 тижні",
        "Öğrenciyim → DUO'dan %70'ini alırsınız; ağır hastayım İK KDV",
    };
    bool held_back = false;
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
        for (int l = 0; l < LANG_COUNT; l++) {
            char full[1024];
            size_t n = speak_prepare((lang_id)l, texts[t], full, sizeof full);
            assert_true(n > 64 && n + 1 < sizeof full);
            check_cuts(full, prepare_fn, texts[t], (lang_id)l, &held_back);
        }
    }
    assert_true(held_back); /* the caps fell inside multibyte characters */
    char full[256];
    const char *typed = "+31 06 1234 5678 9012 3456 7890 1234 5678";
    speak_digits(typed, full, sizeof full);
    bool unused = false;
    check_cuts(full, digits_fn, typed, LANG_NL, &unused);
}

/* ---- every text of the shipped content and translations ---- */

/* All-caps tokens that are deliberately not in the table: espeak says them right as they
 * are. A new abbreviation in the content fails the test until it is put in the table
 * (core/speak.c) or here. */
static const char *const LEFT_ALONE[] = {
    "OK", /* espeak reads "okay" in every voice */
};

typedef struct {
    const char *where;
    char unknown[4096]; /* "TOKEN (where)\n" for each undecided abbreviation */
    int texts, problems;
} sweep;

static bool left_alone(const char *t, size_t n)
{
    for (size_t k = 0; k < sizeof LEFT_ALONE / sizeof *LEFT_ALONE; k++)
        if (strlen(LEFT_ALONE[k]) == n && memcmp(LEFT_ALONE[k], t, n) == 0)
            return true;
    return false;
}

static void caps_token(const char *t, size_t n, void *arg)
{
    sweep *sw = arg;
    if (!all_caps(t, n))
        return;
    char tok[64];
    if (n >= sizeof tok)
        return;
    memcpy(tok, t, n);
    tok[n] = '\0';
    if (speak_is_abbreviation(tok) || left_alone(t, n))
        return;
    char line[160];
    snprintf(line, sizeof line, "%s (%s)\n", tok, sw->where);
    if (!strstr(sw->unknown, line) && strlen(sw->unknown) + strlen(line) < sizeof sw->unknown)
        strcat(sw->unknown, line);
}

static void table_token_left(const char *t, size_t n, void *arg)
{
    bool *left = arg;
    char tok[64];
    if (n >= sizeof tok)
        return;
    memcpy(tok, t, n);
    tok[n] = '\0';
    if (speak_is_abbreviation(tok))
        *left = true;
}

static bool contains_ci(const char *s, const char *needle)
{
    size_t nl = strlen(needle);
    for (; *s; s++) {
        size_t k = 0;
        while (k < nl && s[k] && (s[k] | 0x20) == (needle[k] | 0x20))
            k++;
        if (k == nl)
            return true;
    }
    return false;
}

/* A digit group that should have been read digit by digit: 5 or more digits in a row, or a
 * group of 2 or more starting with 0, not part of a number with '.', ',' or ':' in it and not
 * stuck to a letter. */
static bool phone_like_left(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        if (!(s[i] >= '0' && s[i] <= '9')) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && s[j] >= '0' && s[j] <= '9')
            j++;
        bool joined = (i >= 2 && strchr(".,:", s[i - 1]) && s[i - 2] >= '0' && s[i - 2] <= '9') ||
                      (j + 1 < n && strchr(".,:", s[j]) && s[j + 1] >= '0' && s[j + 1] <= '9');
        bool stuck = (i > 0 && ((s[i - 1] | 0x20) >= 'a' && (s[i - 1] | 0x20) <= 'z')) ||
                     (j < n && ((s[j] | 0x20) >= 'a' && (s[j] | 0x20) <= 'z'));
        /* "20 000 euro": thousands after a number and one space */
        bool thousands =
            j - i == 3 && i >= 2 && s[i - 1] == ' ' && s[i - 2] >= '0' && s[i - 2] <= '9';
        if (!joined && !stuck && !thousands && (j - i >= 5 || (j - i >= 2 && s[i] == '0')))
            return true;
        i = j;
    }
    return false;
}

/* Digits one by one in groups: "0 8 0 0, 0 5 4 3", optionally after a plus word. */
static bool digits_grouped(const char *s)
{
    const char *p = strchr(s, ' ');
    if (p && !(s[0] >= '0' && s[0] <= '9'))
        s = p + 1; /* "plus " */
    for (;;) {
        if (!(*s >= '0' && *s <= '9'))
            return false;
        s++;
        if (*s == '\0')
            return true;
        if (s[0] == ',' && s[1] == ' ')
            s += 2;
        else if (s[0] == ' ')
            s++;
        else
            return false;
    }
}

static void check_text(sweep *sw, lang_id lang, const char *in, const char *key)
{
    size_t len = strlen(in), cap = 40 * len + 64;
    char *out = malloc(cap);
    assert_non_null(out);
    size_t n = speak_prepare(lang, in, out, cap);
    sw->texts++;
    const char *problem = NULL;
    bool table_left = false;
    for_each_token(out, table_token_left, &table_left);
    if (n != strlen(out))
        problem = "length returned is not the length written";
    else if (n + 1 >= cap)
        problem = "cut";
    else if (!valid_utf8(out, n))
        problem = "invalid UTF-8";
    else if (strstr(out, "€"))
        problem = "a euro sign left";
    else if (strstr(out, "•") || strstr(out, "→") || strstr(out, "·"))
        problem = "a bullet or arrow left";
    else if (contains_ci(out, "www."))
        problem = "\"www.\" left";
    else if (strstr(out, LRI) || strstr(out, PDI) || strstr(out, "\xE2\x80\x8E"))
        problem = "a direction mark left";
    else if (table_left)
        problem = "an abbreviation of the table left as it is written";
    else if (phone_like_left(out))
        problem = "a phone-like number left in one piece";
    else if (key && strcmp(key, "phone") == 0 && !digits_grouped(out))
        problem = "a phone number not read digit by digit";
    else if (key && strcmp(key, "website") == 0 && strchr(out, '.'))
        problem = "a web address with a '.' left";
    if (problem) {
        fprintf(stderr, "%s (%s): %s\n  in:  %s\n  out: %s\n", sw->where, lang_get(lang)->code,
                problem, in, out);
        sw->problems++;
    }
    for_each_token(in, caps_token, sw);
    free(out);
}

/* ---- YAML: every scalar; under a language key in that language, else in all ---- */

static void walk(sweep *sw, yaml_document_t *doc, yaml_node_t *node, int lang, const char *key)
{
    if (!node)
        return;
    if (node->type == YAML_SCALAR_NODE) {
        const char *v = (const char *)node->data.scalar.value;
        if (lang >= 0) {
            check_text(sw, (lang_id)lang, v, key);
        } else {
            for (int l = 0; l < LANG_COUNT; l++)
                check_text(sw, (lang_id)l, v, key);
        }
    } else if (node->type == YAML_SEQUENCE_NODE) {
        for (yaml_node_item_t *it = node->data.sequence.items.start;
             it < node->data.sequence.items.top; it++)
            walk(sw, doc, yaml_document_get_node(doc, *it), lang, key);
    } else if (node->type == YAML_MAPPING_NODE) {
        for (yaml_node_pair_t *p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top;
             p++) {
            yaml_node_t *k = yaml_document_get_node(doc, p->key);
            const char *ks =
                k && k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : NULL;
            int l = ks ? lang_from_code(ks) : -1;
            walk(sw, doc, yaml_document_get_node(doc, p->value), l >= 0 ? l : lang,
                 l >= 0 ? key : ks);
        }
    }
}

static void sweep_yaml(sweep *sw, const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    yaml_parser_t parser;
    assert_true(yaml_parser_initialize(&parser));
    yaml_parser_set_input_file(&parser, f);
    yaml_document_t doc;
    assert_true(yaml_parser_load(&parser, &doc));
    sw->where = path;
    walk(sw, &doc, yaml_document_get_root_node(&doc), -1, NULL);
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    fclose(f);
}

static int sweep_dir(sweep *sw, const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int files = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        assert_int_equal(stat(path, &st), 0);
        size_t nl = strlen(e->d_name);
        if (S_ISDIR(st.st_mode))
            files += sweep_dir(sw, path);
        else if (nl > 5 && strcmp(e->d_name + nl - 5, ".yaml") == 0) {
            sweep_yaml(sw, path);
            files++;
        }
    }
    closedir(d);
    return files;
}

/* ---- .po: every msgstr (msgstr[n] too), the header left out ---- */

/* Appends the C string literal at p ("...", escapes) to buf. */
static void append_literal(char *buf, size_t cap, const char *p)
{
    p = strchr(p, '"');
    if (!p)
        return;
    size_t n = strlen(buf);
    for (p++; *p && *p != '"' && n + 1 < cap; p++) {
        char ch = *p;
        if (ch == '\\' && p[1]) {
            p++;
            ch = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
        }
        buf[n++] = ch;
    }
    buf[n] = '\0';
}

static void sweep_po(sweep *sw, const char *path, lang_id lang)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    sw->where = path;
    static char line[8192], msgid[8192], msgstr[8192];
    char *cur = NULL;
    msgid[0] = msgstr[0] = '\0';
    bool have_str = false;
    for (;;) {
        bool eof = !fgets(line, sizeof line, f);
        bool starts_entry =
            eof || strncmp(line, "msgid ", 6) == 0 || strncmp(line, "msgstr", 6) == 0;
        if (starts_entry && have_str) {
            if (msgid[0] != '\0') /* not the header */
                check_text(sw, lang, msgstr, NULL);
            have_str = false;
        }
        if (eof)
            break;
        if (strncmp(line, "msgid ", 6) == 0) {
            msgid[0] = '\0';
            append_literal(msgid, sizeof msgid, line + 5);
            cur = msgid;
        } else if (strncmp(line, "msgid_plural ", 13) == 0 || strncmp(line, "msgctxt ", 8) == 0) {
            cur = NULL;
        } else if (strncmp(line, "msgstr", 6) == 0) {
            msgstr[0] = '\0';
            append_literal(msgstr, sizeof msgstr, strchr(line, ' '));
            cur = msgstr;
            have_str = true;
        } else if (line[0] == '"' && cur) {
            append_literal(cur, cur == msgid ? sizeof msgid : sizeof msgstr, line);
        } else if (line[0] == '#' || line[0] == '\n') {
            cur = cur == msgstr ? NULL : cur;
        }
    }
    fclose(f);
}

static void all_shipped_texts(void **state)
{
    (void)state;
    static sweep sw;
    memset(&sw, 0, sizeof sw);
    int files = sweep_dir(&sw, CONTENT_DIR);
    assert_true(files >= 3);
    int pos = 0;
    for (int l = 0; l < LANG_COUNT; l++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s.po", PO_DIR, lang_get((lang_id)l)->code);
        struct stat st;
        if (stat(path, &st) != 0)
            continue; /* nl is the source language: no .po */
        sweep_po(&sw, path, (lang_id)l);
        pos++;
    }
    assert_int_equal(pos, LANG_COUNT - 1);
    fprintf(stderr, "%d texts checked\n", sw.texts);
    assert_true(sw.texts > 1000);
    if (sw.unknown[0])
        fprintf(stderr,
                "abbreviations without a decision (add them to the table in core/speak.c, or to "
                "LEFT_ALONE here):\n%s",
                sw.unknown);
    assert_string_equal(sw.unknown, "");
    assert_int_equal(sw.problems, 0);
}

/* Every entry of the table is read otherwise than it is written, in every language. */
static void table_entries_change(void **state)
{
    (void)state;
    static const char *const sample[] = {"UWV", "SVB", "AOW", "WW",  "DUO", "DigiD", "BSN",
                                         "IND", "CAK", "KVK", "WIA", "VAT", "ПДВ",   "İK"};
    for (size_t k = 0; k < sizeof sample / sizeof *sample; k++) {
        assert_true(speak_is_abbreviation(sample[k]));
        for (int l = 0; l < LANG_COUNT; l++)
            assert_string_not_equal(say((lang_id)l, sample[k]), sample[k]);
    }
    assert_false(speak_is_abbreviation("Uwv"));
    assert_false(speak_is_abbreviation(""));
    assert_false(speak_is_abbreviation(NULL));
}

/* The checks of the sweep find what they are meant to find. */
static void sweep_checks_bite(void **state)
{
    (void)state;
    assert_true(phone_like_left("bel 0800 0543"));
    assert_true(phone_like_left("bel 14020"));
    assert_false(phone_like_left("9.00 tot 17.00, 31 december 2027, A4, 20 000 euro"));
    assert_true(phone_like_left("nummer 001 000 0012"));
    assert_true(digits_grouped("0 8 0 0, 0 5 4 3"));
    assert_true(digits_grouped("plus 3 1, 2 0"));
    assert_false(digits_grouped("0800 0543"));
    assert_true(all_caps("UWV", 3));
    assert_true(all_caps("ĄĘ", 4));
    assert_true(all_caps("ЄС", 4));
    assert_false(all_caps("DigiD", 5));
    assert_false(all_caps("A4", 2));
    assert_false(valid_utf8("\xC3", 1));
    assert_false(valid_utf8("\xC0\x80", 2));
    assert_false(valid_utf8("\xED\xA0\x80", 3));
    sweep sw;
    memset(&sw, 0, sizeof sw);
    sw.where = "test";
    for_each_token("De XYZ en وABC", caps_token, &sw);
    assert_non_null(strstr(sw.unknown, "XYZ (test)"));
    assert_non_null(strstr(sw.unknown, "ABC (test)"));
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_speak CONTENT_DIR PO_DIR\n");
        return 2;
    }
    CONTENT_DIR = argv[1];
    PO_DIR = argv[2];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rules_per_language),    cmocka_unit_test(every_language_has_cases),
        cmocka_unit_test(null_and_bad_language), cmocka_unit_test(digits_in_groups),
        cmocka_unit_test(cut_at_every_cap),      cmocka_unit_test(table_entries_change),
        cmocka_unit_test(sweep_checks_bite),     cmocka_unit_test(all_shipped_texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
