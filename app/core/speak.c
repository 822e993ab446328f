/* Screen text -> text for the speech synthesiser. The rules are in speak.h. */
#include "core/speak.h"

#include <stdint.h>
#include <string.h>

/* ---- the tables ---- */

typedef struct {
    const char *token; /* as written in the text, case-sensitive */
    const char *word;  /* NULL: spelled letter by letter; else said as this word */
} abbr;

static const abbr ABBR[] = {
    /* spelled letter by letter */
    {"AB", NULL},   /* tr: Avrupa Birliği */
    {"AIO", NULL},  /* aanvullende inkomensvoorziening ouderen */
    {"AOV", NULL},  /* arbeidsongeschiktheidsverzekering */
    {"AOW", NULL},  /* Algemene Ouderdomswet */
    {"BKR", NULL},  /* Bureau Krediet Registratie */
    {"BSN", NULL},  /* burgerservicenummer */
    {"BTW", NULL},  /* belasting over de toegevoegde waarde */
    {"CAK", NULL},  /* Centraal Administratie Kantoor */
    {"CIZ", NULL},  /* Centrum indicatiestelling zorg */
    {"CJIB", NULL}, /* Centraal Justitieel Incassobureau */
    {"EU", NULL},   /* European Union */
    {"GGD", NULL},  /* Gemeentelijke Gezondheidsdienst */
    {"GP", NULL},   /* en: general practitioner */
    {"HR", NULL},   /* human resources */
    {"ID", NULL},   /* ID-kaart */
    {"IND", NULL},  /* Immigratie- en Naturalisatiedienst */
    {"KDV", NULL},  /* tr: katma değer vergisi (btw) */
    {"KVK", NULL},  /* Kamer van Koophandel */
    {"RNI", NULL},  /* Registratie Niet-ingezetenen */
    {"SVB", NULL},  /* Sociale Verzekeringsbank */
    {"UE", NULL},   /* pl: Unia Europejska */
    {"UWV", NULL},  /* Uitvoeringsinstituut Werknemersverzekeringen */
    {"VAT", NULL},  /* en: value added tax (pl: see ABBR_LANG) */
    {"WMO", NULL},  /* Wet maatschappelijke ondersteuning */
    {"Wmo", NULL},
    {"WSNP", NULL}, /* Wet schuldsanering natuurlijke personen */
    {"WW", NULL},   /* Werkloosheidswet */
    {"ZEZ", NULL},  /* Zelfstandige en Zwanger */
    {"İK", NULL},   /* tr: insan kaynakları (HR) */
    {"ЄС", NULL},   /* uk: Європейський Союз */
    {"ПДВ", NULL},  /* uk: податок на додану вартість */
    /* said as a word */
    {"BelastingTelefoon", "Belasting Telefoon"},
    {"DigiD", "Digi D"},
    {"DUO", "Duo"},
    {"KOR", "Kor"}, /* kleineondernemersregeling */
    {"WIA", "Wia"}, /* Wet werk en inkomen naar arbeidsvermogen */
    {"WOZ", "Woz"}, /* Wet waardering onroerende zaken */
};

/* Said otherwise in one language. */
static const struct {
    lang_id lang;
    const char *token, *word;
} ABBR_LANG[] = {
    {LANG_PL, "VAT", "vat"},
};

/* Letters that espeak reads as a word when they stand alone, with their names. */
static const struct {
    lang_id lang;
    char letter; /* upper case */
    const char *name;
} LETTER_NAME[] = {
    {LANG_EN, 'A', "eh"}, {LANG_AR, 'A', "eh"},  {LANG_UK, 'A', "eh"},
    {LANG_PL, 'W', "wu"}, {LANG_PL, 'Z', "zet"},
};

typedef struct {
    const char *dot, *at, *slash, *dash, *underscore, *plus;
    const char *euro, *euro_one, *percent, *to;
    bool percent_first; /* the word for % comes before the number */
} words;

static const words WORDS[LANG_COUNT] = {
    [LANG_NL] = {"punt", "apenstaartje", "schuine streep", "streepje", "laag streepje", "plus",
                 "euro", "euro", "procent", "tot", false},
    [LANG_EN] = {"dot", "at", "slash", "dash", "underscore", "plus", "euros", "euro", "percent",
                 "to", false},
    [LANG_TR] = {"nokta", "et", "eğik çizgi", "tire", "alt çizgi", "artı", "avro", "avro", "yüzde",
                 "ila", true},
    [LANG_AR] = {"نقطة", "آت", "شرطة مائِلَة", "شرطة", "شرطة سفلية", "زائد", "يورو", "يورو", "بالمِئَة",
                 "إلى", false},
    [LANG_PL] = {"kropka", "małpa", "ukośnik", "myślnik", "podkreślnik", "plus", "euro", "euro",
                 "procent", "do", false},
    [LANG_UK] = {"крапка", "равлик", "скісна риска", "дефіс", "нижнє підкреслення", "плюс", "євро",
                 "євро", "відсотків", "до", false},
};

/* Top-level domains recognised without "www.", "http(s)://" or "@" before them. */
static const char *const TLDS[] = {"nl",   "com", "org", "net", "eu",  "be", "de",
                                   "info", "nu",  "io",  "gov", "int", "frl"};

/* ---- UTF-8 ---- */

#define BAD_CP 0xFFFFFFFFu

/* The code point at s[0..n): its length, or 0 when the bytes are not valid UTF-8. */
static size_t u8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (n == 0)
        return 0;
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2, v = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t k = 1; k < len; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[k] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

/* The length of the (valid) UTF-8 character that starts with byte c. */
static size_t u8_len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* ---- character classes ---- */

enum { SC_NONE, SC_LATIN, SC_CYRILLIC, SC_OTHER_LETTER, SC_MARK };

static int script_of(uint32_t cp)
{
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z'))
        return SC_LATIN;
    if (cp < 0xC0)
        return SC_NONE;
    if (cp <= 0x24F)
        return cp == 0xD7 || cp == 0xF7 ? SC_NONE : SC_LATIN;
    if (cp >= 0x1E00 && cp <= 0x1EFF)
        return SC_LATIN;
    if (cp >= 0x300 && cp <= 0x36F)
        return SC_MARK;
    if (cp >= 0x400 && cp <= 0x52F)
        return (cp >= 0x483 && cp <= 0x489) ? SC_MARK : SC_CYRILLIC;
    if (cp >= 0x370 && cp <= 0x3FF)
        return SC_OTHER_LETTER;
    if ((cp >= 0x620 && cp <= 0x65F) || (cp >= 0x66E && cp <= 0x6D3) ||
        (cp >= 0x6D5 && cp <= 0x6FF && !(cp >= 0x6F0 && cp <= 0x6F9)) ||
        (cp >= 0x750 && cp <= 0x77F) || (cp >= 0xFB50 && cp <= 0xFDFF) ||
        (cp >= 0xFE70 && cp <= 0xFEFC))
        return SC_OTHER_LETTER;
    return SC_NONE;
}

static bool is_letter(uint32_t cp)
{
    int sc = script_of(cp);
    return sc == SC_LATIN || sc == SC_CYRILLIC || sc == SC_OTHER_LETTER;
}

static bool is_digit(uint32_t cp)
{
    return cp >= '0' && cp <= '9';
}

/* Spaces within a line: between the groups of a number. */
static bool is_hspace(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == 0xA0 || cp == 0x202F || cp == 0x2007 || cp == 0x2009 ||
           cp == 0x200A;
}

static bool is_space(uint32_t cp)
{
    return is_hspace(cp) || (cp >= '\n' && cp <= '\r') || (cp >= 0x2000 && cp <= 0x2006) ||
           cp == 0x2008 || cp == 0x2028 || cp == 0x2029 || cp == 0x205F || cp == 0x3000 ||
           cp == 0x1680 || cp == 0x85;
}

/* Not spoken and no pause: direction marks and isolates, soft hyphen, zero-width space. */
static bool is_ignored(uint32_t cp)
{
    return cp == 0xAD || cp == 0x200B || cp == 0x200E || cp == 0x200F ||
           (cp >= 0x202A && cp <= 0x202E) || cp == 0x2060 || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0x061C || cp == 0xFEFF;
}

static bool is_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp < 0xA0);
}

/* Bullets and arrows: a pause. */
static bool is_pause_symbol(uint32_t cp)
{
    switch (cp) {
    case 0x00B7: /* · */
    case 0x2022: /* • */
    case 0x2023: /* ‣ */
    case 0x2043: /* ⁃ */
    case 0x2219: /* ∙ */
    case 0x2192: /* → */
    case 0x21D2: /* ⇒ */
    case 0x25AA: /* ▪ */
    case 0x25AB: /* ▫ */
    case 0x25B8: /* ▸ */
    case 0x25BA: /* ► */
    case 0x25CF: /* ● */
    case 0x25E6: /* ◦ */
    case 0x2794: /* ➔ */
    case 0x27A4: /* ➤ */
        return true;
    default:
        return false;
    }
}

/* ---- the output ---- */

typedef struct {
    const unsigned char *s; /* the input */
    size_t n;
    lang_id lang;
    const words *w;
    char *out;
    size_t cap, len;
    bool full;    /* something did not fit: nothing more is written */
    bool pausing; /* a pause is due before the next text */
} ctx;

static void raw_put(ctx *c, const char *s, size_t n)
{
    if (c->full)
        return;
    size_t room = c->cap - 1 - c->len;
    size_t k = n;
    if (n > room) {
        /* whole characters only */
        k = 0;
        while (k < n && k + u8_len((unsigned char)s[k]) <= room)
            k += u8_len((unsigned char)s[k]);
        c->full = true;
    }
    memcpy(c->out + c->len, s, k);
    c->len += k;
    c->out[c->len] = '\0';
}

static void trim_spaces(ctx *c)
{
    while (c->len > 0 && c->out[c->len - 1] == ' ')
        c->len--;
    if (c->cap > 0)
        c->out[c->len] = '\0';
}

/* The last character written, or 0. */
static uint32_t last_out(const ctx *c)
{
    if (c->len == 0)
        return 0;
    size_t i = c->len - 1;
    while (i > 0 && ((unsigned char)c->out[i] & 0xC0) == 0x80)
        i--;
    uint32_t cp;
    return u8_decode((const unsigned char *)c->out + i, c->len - i, &cp) ? cp : 0;
}

static bool ends_clause(uint32_t cp)
{
    return cp == ',' || cp == '.' || cp == ';' || cp == ':' || cp == '!' || cp == '?' ||
           cp == '(' || cp == 0x060C || cp == 0x061B || cp == 0x061F || cp == 0x2014 ||
           cp == 0x2013;
}

static void put(ctx *c, const char *s, size_t n)
{
    if (n == 0 || c->full)
        return;
    if (c->pausing) {
        if (n == 1 && s[0] == ' ')
            return; /* the pause brings its own space */
        c->pausing = false;
        trim_spaces(c);
        if (c->len > 0) {
            uint32_t last = last_out(c);
            if (!ends_clause(last))
                raw_put(c, ",", 1);
            if (last != '(')
                raw_put(c, " ", 1);
        }
    }
    raw_put(c, s, n);
}

static void put_str(ctx *c, const char *s)
{
    put(c, s, strlen(s));
}

/* One space, unless there is one already or nothing yet. */
static void space(ctx *c)
{
    if (c->len > 0 && c->out[c->len - 1] != ' ')
        put(c, " ", 1);
}

/* A word of its own: a space before it unless it follows a space or an opening bracket. */
static void word(ctx *c, const char *s)
{
    uint32_t last = last_out(c);
    if (last != '(' && last != '[' && last != '"' && last != 0x201E && last != 0xAB)
        space(c);
    put_str(c, s);
}

/* ---- reading the input ---- */

static uint32_t cp_at(const ctx *c, size_t i, size_t *len)
{
    uint32_t cp = BAD_CP;
    size_t l = i < c->n ? u8_decode(c->s + i, c->n - i, &cp) : 0;
    if (len)
        *len = l ? l : 1;
    return l ? cp : (i < c->n ? BAD_CP : 0);
}

/* The code point before position i, or 0 at the start. */
static uint32_t cp_before(const ctx *c, size_t i)
{
    if (i == 0)
        return 0;
    size_t k = i - 1, steps = 0;
    while (k > 0 && (c->s[k] & 0xC0) == 0x80 && steps < 3)
        k--, steps++;
    uint32_t cp;
    size_t l = u8_decode(c->s + k, c->n - k, &cp);
    return l && k + l == i ? cp : BAD_CP;
}

/* The code point before position i, skipping spaces within the line. */
static uint32_t cp_before_skip(const ctx *c, size_t i)
{
    for (;;) {
        uint32_t cp = cp_before(c, i);
        if (!is_hspace(cp))
            return cp;
        while (i > 0 && (c->s[i - 1] & 0xC0) == 0x80)
            i--;
        i--;
    }
}

static size_t skip_hspace(const ctx *c, size_t i)
{
    size_t l;
    while (i < c->n && is_hspace(cp_at(c, i, &l)))
        i += l;
    return i;
}

static bool digit_at(const ctx *c, size_t i)
{
    return i < c->n && c->s[i] >= '0' && c->s[i] <= '9';
}

static bool ascii_alnum(unsigned char b)
{
    return (b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z');
}

static char ascii_upper(char b)
{
    return b >= 'a' && b <= 'z' ? (char)(b - 'a' + 'A') : b;
}

/* s starts with the lower-case ASCII `prefix`, in any case. */
static bool starts_with_ci(const char *s, size_t n, const char *prefix)
{
    size_t pl = strlen(prefix);
    if (n < pl)
        return false;
    for (size_t i = 0; i < pl; i++)
        if (ascii_upper(s[i]) != ascii_upper(prefix[i]))
            return false;
    return true;
}

/* s[i..j) as it is: spaces become one space, ignored characters and invalid bytes go. */
static void copy_span(ctx *c, size_t i, size_t j)
{
    while (i < j) {
        size_t l;
        uint32_t cp = cp_at(c, i, &l);
        if (cp == BAD_CP || is_ignored(cp))
            ;
        else if (is_space(cp) || is_control(cp))
            space(c);
        else
            put(c, (const char *)c->s + i, l);
        i += l;
    }
}

/* ---- abbreviations ---- */

/* Letters one by one, separated by spaces; letters read as a word alone get their name.
 * `upper`: ASCII letters in upper case ("Wmo" -> "W M O"). */
static void spell(ctx *c, const char *s, size_t n, bool upper)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t l = u8_decode((const unsigned char *)s + i, n - i, &cp);
        if (!l)
            l = 1;
        if (i > 0)
            put(c, " ", 1);
        const char *name = NULL;
        if (l == 1) {
            for (size_t k = 0; k < sizeof LETTER_NAME / sizeof *LETTER_NAME; k++)
                if (LETTER_NAME[k].lang == c->lang && LETTER_NAME[k].letter == ascii_upper(s[i]))
                    name = LETTER_NAME[k].name;
        }
        char up = ascii_upper(s[i]);
        if (name)
            put_str(c, name);
        else if (l == 1 && upper)
            put(c, &up, 1);
        else
            put(c, s + i, l);
        i += l;
    }
}

static void say_abbr(ctx *c, const abbr *a)
{
    for (size_t k = 0; k < sizeof ABBR_LANG / sizeof *ABBR_LANG; k++)
        if (ABBR_LANG[k].lang == c->lang && strcmp(ABBR_LANG[k].token, a->token) == 0) {
            put_str(c, ABBR_LANG[k].word);
            return;
        }
    if (a->word)
        put_str(c, a->word);
    else
        spell(c, a->token, strlen(a->token), true);
}

static const abbr *find_abbr(const char *s, size_t n, bool ignore_case)
{
    for (size_t k = 0; k < sizeof ABBR / sizeof *ABBR; k++) {
        const char *t = ABBR[k].token;
        if (strlen(t) != n)
            continue;
        bool same = true;
        for (size_t i = 0; i < n && same; i++)
            same = ignore_case ? ascii_upper(t[i]) == ascii_upper(s[i]) : t[i] == s[i];
        if (same)
            return &ABBR[k];
    }
    return NULL;
}

bool speak_is_abbreviation(const char *token)
{
    if (!token)
        return false;
    if (find_abbr(token, strlen(token), false))
        return true;
    for (size_t k = 0; k < sizeof ABBR_LANG / sizeof *ABBR_LANG; k++)
        if (strcmp(ABBR_LANG[k].token, token) == 0)
            return true;
    return false;
}

/* tr: "UWV'ye" -> "U W V ye": an apostrophe between something spelled and a suffix. */
static size_t suffix_apostrophe(ctx *c, size_t j)
{
    if (c->lang != LANG_TR)
        return j;
    size_t l;
    uint32_t cp = cp_at(c, j, &l);
    if ((cp == '\'' || cp == 0x2019) && is_letter(cp_at(c, j + l, NULL))) {
        put(c, " ", 1);
        return j + l;
    }
    return j;
}

/* ---- web and e-mail addresses ---- */

static bool url_char(unsigned char b)
{
    return ascii_alnum(b) || (b && strchr("-._~/?#@%+=&:", b));
}

static bool is_tld(const char *s, size_t n, bool any)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (any && s[i] >= 'A' && s[i] <= 'Z')))
            return false;
    if (n < 2)
        return false;
    if (any)
        return true;
    for (size_t k = 0; k < sizeof TLDS / sizeof *TLDS; k++)
        if (strlen(TLDS[k]) == n && memcmp(TLDS[k], s, n) == 0)
            return true;
    return false;
}

/* Whether s[0..n) is a host name: labels of letters, digits and inner hyphens, 2 or more,
 * the last a top-level domain (a known one unless `explicit`). */
static bool is_host(const char *s, size_t n, bool explicit_)
{
    size_t labels = 0, start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != '.') {
            if (!ascii_alnum((unsigned char)s[i]) && s[i] != '-')
                return false;
            continue;
        }
        size_t len = i - start;
        if (len == 0 || s[start] == '-' || s[i - 1] == '-')
            return false;
        labels++;
        if (i == n)
            return labels >= 2 && is_tld(s + start, len, explicit_);
        start = i + 1;
    }
    return false;
}

/* A piece of an address: a space before it unless it is the first. */
static void piece(ctx *c, bool *first)
{
    if (!*first)
        put(c, " ", 1);
    *first = false;
}

/* A label or path part with '.', '-', '_', '+' as words and other marks as a space. */
static void say_part(ctx *c, const char *s, size_t n, bool *first)
{
    size_t i = 0;
    while (i < n) {
        if (ascii_alnum((unsigned char)s[i])) {
            size_t j = i;
            while (j < n && ascii_alnum((unsigned char)s[j]))
                j++;
            piece(c, first);
            put(c, s + i, j - i);
            i = j;
            continue;
        }
        const char *w = s[i] == '.'   ? c->w->dot
                        : s[i] == '-' ? c->w->dash
                        : s[i] == '_' ? c->w->underscore
                        : s[i] == '+' ? c->w->plus
                        : s[i] == '/' ? c->w->slash
                                      : NULL;
        if (w) {
            piece(c, first);
            put_str(c, w);
        }
        i++;
    }
}

static void say_host(ctx *c, const char *s, size_t n, bool *first)
{
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != '.')
            continue;
        const char *label = s + start;
        size_t len = i - start;
        if (start > 0) {
            piece(c, first);
            put_str(c, c->w->dot);
        }
        const abbr *a;
        piece(c, first);
        if (len == 3 && starts_with_ci(label, len, "www"))
            spell(c, label, len, false);
        else if (i == n && len <= 2)
            spell(c, label, len, false);
        else if ((a = find_abbr(label, len, true)) != NULL)
            say_abbr(c, a);
        else {
            /* the piece's space is already there */
            bool inner_first = true;
            say_part(c, label, len, &inner_first);
        }
        start = i + 1;
    }
}

/* An address starting at i (a token start): its end, or 0 when there is none. */
static size_t address_at(ctx *c, size_t i)
{
    const char *s = (const char *)c->s;
    size_t end = i;
    while (end < c->n && url_char(c->s[end]))
        end++;
    while (end > i && strchr(".:?!-/#&=", s[end - 1]))
        end--;
    if (end == i)
        return 0;
    size_t p = i;
    bool scheme = false;
    if (end - i > 8 && starts_with_ci(s + i, end - i, "https://"))
        p = i + 8, scheme = true;
    else if (end - i > 7 && starts_with_ci(s + i, end - i, "http://"))
        p = i + 7, scheme = true;

    const char *at = memchr(s + p, '@', end - p);
    if (at && !scheme) {
        /* e-mail: local@host */
        size_t local = (size_t)(at - (s + i));
        const char *host = at + 1;
        size_t hn = (size_t)(s + end - host);
        if (local == 0 || s[i] == '.' || at[-1] == '.' || !is_host(host, hn, true))
            return 0;
        for (size_t k = i; k < i + local; k++)
            if (!ascii_alnum(c->s[k]) && !strchr("._%+-", s[k]))
                return 0;
        bool first = true;
        say_part(c, s + i, local, &first);
        piece(c, &first);
        put_str(c, c->w->at);
        say_host(c, host, hn, &first);
        return suffix_apostrophe(c, end);
    }

    size_t hend = p;
    while (hend < end && !strchr("/?#:@", s[hend]))
        hend++;
    bool www = hend - p > 4 && starts_with_ci(s + p, hend - p, "www.");
    if (!is_host(s + p, hend - p, scheme || www))
        return 0;
    bool first = true;
    say_host(c, s + p, hend - p, &first);
    if (hend < end)
        say_part(c, s + hend, end - hend, &first);
    while (end < c->n && s[end] == '/') /* a final "/" is not said */
        end++;
    return suffix_apostrophe(c, end);
}

/* ---- numbers ---- */

/* Digits with inner '.', ',' or ':' between digits ("1.500,50", "9.00"). */
static size_t number_end(const ctx *c, size_t i, bool *punct)
{
    *punct = false;
    while (digit_at(c, i))
        i++;
    while (i + 1 < c->n && c->s[i] && strchr(".,:", c->s[i]) && digit_at(c, i + 1)) {
        *punct = true;
        i++;
        while (digit_at(c, i))
            i++;
    }
    return i;
}

/* Directly followed by a letter ("18e", "6th")? */
static bool letter_after(const ctx *c, size_t j)
{
    uint32_t cp = cp_at(c, j, NULL);
    return cp != BAD_CP && (is_letter(cp) || script_of(cp) == SC_MARK);
}

enum { MARK_NONE, MARK_PERCENT, MARK_EURO_SIGN, MARK_EURO_WORD };

/* What follows a number at j: "%", "€", or the word euro. *mend: after a sign. */
static int marker_after(const ctx *c, size_t j, size_t *mend)
{
    size_t k = skip_hspace(c, j), l;
    uint32_t cp = cp_at(c, k, &l);
    *mend = k + l;
    if (cp == '%' || cp == 0x066A)
        return MARK_PERCENT;
    if (cp == 0x20AC)
        return MARK_EURO_SIGN;
    const char *const euro_words[] = {"euro", "Euro", "EUR", "avro", "يورو", "євро", "евро"};
    for (size_t e = 0; e < sizeof euro_words / sizeof *euro_words; e++) {
        size_t el = strlen(euro_words[e]);
        if (k + el <= c->n && memcmp(c->s + k, euro_words[e], el) == 0 &&
            (c->s[k + el] == 's' || !letter_after(c, k + el)))
            return MARK_EURO_WORD;
    }
    return MARK_NONE;
}

static void say_euro(ctx *c, size_t a, size_t b)
{
    bool one = b - a == 1 && c->s[a] == '1';
    copy_span(c, a, b);
    word(c, one ? c->w->euro_one : c->w->euro);
}

static void say_percent(ctx *c, size_t a, size_t b)
{
    if (c->w->percent_first) {
        word(c, c->w->percent);
        put(c, " ", 1);
        copy_span(c, a, b);
    } else {
        copy_span(c, a, b);
        word(c, c->w->percent);
    }
}

/* "€ 1.500", "€ 10 000", "€ 5,-": the amount after a euro sign at i; its end. */
static size_t euro_amount(ctx *c, size_t i)
{
    size_t a = skip_hspace(c, i), b;
    bool punct;
    b = number_end(c, a, &punct);
    for (;;) { /* thousands: " 000" */
        size_t k = skip_hspace(c, b);
        if (k == b || !digit_at(c, k) || !digit_at(c, k + 1) || !digit_at(c, k + 2))
            break;
        size_t e = number_end(c, k, &punct);
        if (e - k != 3 && !(e - k > 3 && strchr(".,", c->s[k + 3])))
            break;
        b = e;
    }
    size_t end = b;
    if (end + 1 < c->n && c->s[end] == ',' && c->s[end + 1] == '-') {
        end += 2;
        if (end < c->n && c->s[end] == '-')
            end++;
    } else if (end + 3 < c->n && c->s[end] == ',' && memcmp(c->s + end + 1, "\xE2\x80\x93", 3) == 0)
        end += 4;
    say_euro(c, a, b);
    return end;
}

enum { SEP_NONE, SEP_SPACE, SEP_HYPHEN, SEP_ENDASH };

typedef struct {
    size_t start, end;
    int sep; /* before this group */
} group;

#define MAX_GROUPS 16

static void say_digits_of(ctx *c, size_t a, size_t b)
{
    for (size_t k = a; k < b; k++) {
        if (k > a)
            put(c, " ", 1);
        put(c, (const char *)c->s + k, 1);
    }
}

static bool is_date(const group *g, size_t n)
{
    if (n < 3 || g[1].sep != SEP_HYPHEN || g[2].sep != SEP_HYPHEN)
        return false;
    size_t l0 = g[0].end - g[0].start, l1 = g[1].end - g[1].start, l2 = g[2].end - g[2].start;
    return (l0 <= 2 && l1 <= 2 && l2 == 4) || (l0 == 4 && l1 <= 2 && l2 <= 2);
}

/* A number at i (a digit, or '+' before one when plus): its end. */
static size_t number_at(ctx *c, size_t i, bool plus)
{
    size_t d0 = plus ? i + 1 : i, mend;
    bool punct;
    size_t e0 = number_end(c, d0, &punct);
    if (letter_after(c, e0)) { /* "18e", "6th" */
        copy_span(c, i, e0);
        return e0;
    }
    int mark = marker_after(c, e0, &mend);
    if (mark == MARK_PERCENT) {
        if (plus)
            put(c, "+", 1);
        say_percent(c, d0, e0);
        return mend;
    }
    if (mark == MARK_EURO_SIGN) {
        if (plus)
            put(c, "+", 1);
        say_euro(c, d0, e0);
        return mend;
    }
    if (punct || mark == MARK_EURO_WORD) {
        copy_span(c, i, e0);
        return e0;
    }

    group g[MAX_GROUPS] = {{d0, e0, SEP_NONE}};
    size_t n = 1;
    while (n < MAX_GROUPS) {
        size_t k = skip_hspace(c, g[n - 1].end), l;
        int sep = k > g[n - 1].end ? SEP_SPACE : SEP_NONE;
        uint32_t cp = cp_at(c, k, &l);
        if (cp == '-' || cp == 0x2013) {
            sep = cp == '-' ? SEP_HYPHEN : SEP_ENDASH;
            k = skip_hspace(c, k + l);
        }
        if (sep == SEP_NONE || !digit_at(c, k))
            break;
        size_t e = number_end(c, k, &punct);
        if (punct || letter_after(c, e))
            break;
        g[n++] = (group){k, e, sep};
    }

    /* an amount in groups: "10 000 euro" */
    if (n > 1) {
        bool spaces = true;
        for (size_t k = 1; k < n; k++)
            spaces = spaces && g[k].sep == SEP_SPACE;
        mark = marker_after(c, g[n - 1].end, &mend);
        if (spaces && mark != MARK_NONE && !plus && c->s[d0] != '0') {
            if (mark == MARK_PERCENT)
                say_percent(c, d0, g[n - 1].end);
            else if (mark == MARK_EURO_SIGN)
                say_euro(c, d0, g[n - 1].end);
            else
                copy_span(c, d0, g[n - 1].end);
            return mark == MARK_EURO_WORD ? g[n - 1].end : mend;
        }
    }
    if (!plus && is_date(g, n)) {
        copy_span(c, d0, g[2].end);
        return g[2].end;
    }
    if (!plus && c->s[d0] != '0' && n >= 2 && (g[1].sep == SEP_HYPHEN || g[1].sep == SEP_ENDASH) &&
        (n == 2 || g[2].sep == SEP_ENDASH) && g[0].end - g[0].start <= 4 &&
        g[1].end - g[1].start <= 4) {
        /* a range: "2–4" */
        copy_span(c, g[0].start, g[0].end);
        word(c, c->w->to);
        put(c, " ", 1);
        copy_span(c, g[1].start, g[1].end);
        return g[1].end;
    }
    /* phone-like: the groups up to an en dash */
    size_t run = 1, digits = g[0].end - g[0].start;
    while (run < n && g[run].sep != SEP_ENDASH)
        digits += g[run].end - g[run].start, run++;
    if (plus || c->s[d0] == '0' || digits >= 5) {
        if (plus) {
            word(c, c->w->plus);
            put(c, " ", 1);
        }
        for (size_t k = 0; k < run; k++) {
            if (k > 0)
                put(c, ", ", 2);
            say_digits_of(c, g[k].start, g[k].end);
        }
        return g[run - 1].end;
    }
    copy_span(c, i, e0);
    return e0;
}

/* ---- the text ---- */

/* An address starts where no word or address character is before it. */
static bool address_may_start(uint32_t prev)
{
    if (prev == 0 || prev >= 0x80)
        return true;
    return !ascii_alnum((unsigned char)prev) && !strchr(".-_@/+%&=~#:", (int)prev);
}

static void run(ctx *c)
{
    size_t i = 0;
    while (i < c->n && !c->full) {
        size_t l;
        uint32_t cp = cp_at(c, i, &l);
        if (cp == BAD_CP || is_ignored(cp)) {
            i += l;
            continue;
        }
        if (is_space(cp) || is_control(cp)) {
            space(c);
            i += l;
            continue;
        }
        if (is_pause_symbol(cp)) {
            c->pausing = true;
            i += l;
            continue;
        }
        uint32_t prev = cp_before(c, i);
        int sc = script_of(cp);
        bool token_start = !(script_of(prev) == sc || script_of(prev) == SC_MARK || is_digit(prev));
        if (cp < 0x80 && ascii_alnum((unsigned char)cp) && address_may_start(prev)) {
            size_t end = address_at(c, i);
            if (end) {
                i = end;
                continue;
            }
        }
        if (is_digit(cp)) {
            i = number_at(c, i, false);
            continue;
        }
        if (cp == '+' && digit_at(c, i + 1) && !is_letter(prev) && !is_digit(prev)) {
            i = number_at(c, i, true);
            continue;
        }
        if ((cp == '%' || cp == 0x066A) && digit_at(c, i + l)) {
            bool punct;
            size_t e = number_end(c, i + l, &punct);
            if (e >= c->n || c->s[e] != '$') { /* not a printf position: "%1$d" */
                say_percent(c, i + l, e);
                i = e;
                continue;
            }
        }
        if ((cp == '%' || cp == 0x066A) && is_digit(cp_before_skip(c, i))) {
            word(c, c->w->percent);
            i += l;
            continue;
        }
        if (cp == 0x20AC) { /* € */
            size_t k = skip_hspace(c, i + l);
            if (digit_at(c, k)) {
                i = euro_amount(c, k);
            } else {
                word(c, c->w->euro);
                i += l;
            }
            continue;
        }
        if (cp == '/') {
            size_t k = skip_hspace(c, i + 1);
            if (is_letter(cp_before_skip(c, i)) && is_letter(cp_at(c, k, NULL))) {
                space(c);
                i = k;
                continue;
            }
        }
        if ((sc == SC_LATIN || sc == SC_CYRILLIC) && token_start) {
            size_t j = i, tl;
            for (;;) {
                uint32_t t = cp_at(c, j, &tl);
                int ts = script_of(t);
                if (!(ts == sc || ts == SC_MARK || is_digit(t)) || t == BAD_CP)
                    break;
                j += tl;
            }
            const abbr *a = find_abbr((const char *)c->s + i, j - i, false);
            if (a) {
                say_abbr(c, a);
                i = a->word ? j : suffix_apostrophe(c, j);
            } else {
                copy_span(c, i, j);
                i = j;
            }
            continue;
        }
        put(c, (const char *)c->s + i, l);
        i += l;
    }
    trim_spaces(c);
}

size_t speak_prepare(lang_id lang, const char *in, char *out, size_t cap)
{
    if (cap == 0)
        return 0;
    if ((unsigned)lang >= LANG_COUNT)
        lang = LANG_NL;
    out[0] = '\0';
    ctx c = {.s = (const unsigned char *)(in ? in : ""),
             .n = in ? strlen(in) : 0,
             .lang = lang,
             .w = &WORDS[lang],
             .out = out,
             .cap = cap};
    run(&c);
    return c.len;
}

size_t speak_digits(const char *in, char *out, size_t cap)
{
    if (cap == 0)
        return 0;
    out[0] = '\0';
    ctx c = {.out = out, .cap = cap, .w = &WORDS[LANG_NL]};
    bool in_group = false, any = false;
    for (const char *p = in ? in : ""; *p && !c.full; p++) {
        if ((*p >= '0' && *p <= '9') || *p == '+') {
            if (in_group)
                raw_put(&c, " ", 1);
            else if (any)
                raw_put(&c, ", ", 2);
            raw_put(&c, p, 1);
            in_group = any = true;
        } else {
            in_group = false;
        }
    }
    return c.len;
}
