#include "casesvc_api.h"

#include <jansson.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAGE_SIZE_DEFAULT 100
#define PAGE_SIZE_MAX 500

struct casesvc_api {
    casesvc_store *store;
    const casesvc_tokens *tokens;
    const char *openapi;
    pthread_mutex_t lock; /* the origin */
    char origin[256];
};

casesvc_api *casesvc_api_new(const casesvc_api_config *cfg)
{
    casesvc_api *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->store = cfg->store;
    a->tokens = cfg->tokens;
    a->openapi = cfg->openapi_text;
    pthread_mutex_init(&a->lock, NULL);
    casesvc_api_set_origin(a, cfg->base_url ? cfg->base_url : "https://localhost");
    return a;
}

void casesvc_api_free(casesvc_api *a)
{
    if (a) {
        pthread_mutex_destroy(&a->lock);
        free(a);
    }
}

void casesvc_api_set_origin(casesvc_api *a, const char *origin)
{
    pthread_mutex_lock(&a->lock);
    snprintf(a->origin, sizeof a->origin, "%s", origin);
    size_t n = strlen(a->origin);
    while (n > 0 && a->origin[n - 1] == '/')
        a->origin[--n] = '\0';
    pthread_mutex_unlock(&a->lock);
}

static void origin_of(casesvc_api *a, char *out, size_t cap)
{
    if (!a) {
        snprintf(out, cap, "https://localhost");
        return;
    }
    pthread_mutex_lock(&a->lock);
    snprintf(out, cap, "%s", a->origin);
    pthread_mutex_unlock(&a->lock);
}

/* ---- small helpers ---- */

static void new_uuid(char out[37])
{
    unsigned char b[16];
    if (RAND_bytes(b, sizeof b) != 1)
        abort(); /* no randomness: no identities */
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
             b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
             b[14], b[15]);
}

static bool is_uuid(const char *s)
{
    if (!s || strlen(s) != 36)
        return false;
    for (int i = 0; i < 36; i++) {
        char c = s[i];
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? c != '-'
                 : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}

static void lower_uuid(const char *in, char out[37])
{
    for (int i = 0; i < 36; i++)
        out[i] = (char)(in[i] >= 'A' && in[i] <= 'F' ? in[i] - 'A' + 'a' : in[i]);
    out[36] = '\0';
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

static void now_rfc3339(char out[64])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    snprintf(out, 64, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000);
}

static bool digits(const char **p, int n, int *val)
{
    int v = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (**p < '0' || **p > '9')
            return false;
        v = v * 10 + (**p - '0');
    }
    *val = v;
    return true;
}

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static bool date_ok(int y, int m, int d)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1] + (m == 2 && leap(y));
}

/* YYYY-MM-DD */
static bool parse_date(const char *s)
{
    int y, m, d;
    const char *p = s;
    return digits(&p, 4, &y) && *p++ == '-' && digits(&p, 2, &m) && *p++ == '-' &&
           digits(&p, 2, &d) && *p == '\0' && date_ok(y, m, d);
}

/* Accepts YYYY-MM-DD[T ]hh:mm[:ss[.f+]][Z|+hh:mm|-hh:mm|+hhmm|-hhmm], as Django does, and
 * writes it as RFC 3339 (seconds and offset always; no offset given: UTC). */
static bool parse_datetime(const char *s, char out[64])
{
    const char *p = s;
    int y, mo, d, h, mi, sec = 0, oh = 0, om = 0;
    char frac[16] = "", off[16] = "Z";
    if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
        !digits(&p, 2, &d) || (*p != 'T' && *p != ' '))
        return false;
    p++;
    if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
        return false;
    if (*p == ':') {
        p++;
        if (!digits(&p, 2, &sec))
            return false;
        if (*p == '.' || *p == ',') {
            p++;
            size_t n = 0;
            frac[n++] = '.';
            if (*p < '0' || *p > '9')
                return false;
            for (; *p >= '0' && *p <= '9'; p++)
                if (n < 7)
                    frac[n++] = *p;
            frac[n] = '\0';
        }
    }
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        char sign = *p++;
        if (!digits(&p, 2, &oh))
            return false;
        if (*p == ':')
            p++;
        if (!digits(&p, 2, &om) || oh > 23 || om > 59)
            return false;
        snprintf(off, sizeof off, "%c%02u:%02u", sign, (unsigned)oh % 100u, (unsigned)om % 100u);
    }
    if (*p != '\0' || !date_ok(y, mo, d) || h > 23 || mi > 59 || sec > 59)
        return false;
    snprintf(out, 64, "%04d-%02d-%02dT%02d:%02d:%02d%s%s", y, mo, d, h, mi, sec, frac, off);
    return true;
}

static bool phone_ok(const char *s)
{
    /* ^(0[1-9][0-9]{8}|\+[0-9]{9,15}|00[0-9]{7,13})$ */
    size_t n = strlen(s), dig = 0;
    for (size_t i = s[0] == '+' ? 1 : 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        dig++;
    }
    if (s[0] == '+')
        return dig >= 9 && dig <= 15;
    if (n >= 2 && s[0] == '0' && s[1] == '0')
        return n - 2 >= 7 && n - 2 <= 13;
    return n == 10 && s[0] == '0' && s[1] >= '1' && s[1] <= '9';
}

static bool email_ok(const char *e)
{
    const char *at = strchr(e, '@');
    if (!at || at == e || strchr(at + 1, '@') || strlen(e) > 254)
        return false;
    for (const char *p = e; *p; p++)
        if ((unsigned char)*p <= ' ')
            return false;
    const char *dot = strrchr(at, '.');
    size_t n = strlen(e);
    return dot && dot > at + 1 && dot[1] && !strstr(at, "..") && e[n - 1] != '.';
}

static bool referentie_ok(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_'))
            return false;
    return true;
}

static bool uri_ok(const char *s)
{
    const char *colon = strchr(s, ':');
    if (!colon || colon == s || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return false;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7F || *p == '"' || *p == '<' ||
            *p == '>' || *p == '\\' || *p == '^' || *p == '`' || *p == '{' || *p == '|' ||
            *p == '}')
            return false;
    return true;
}

/* Request and answer texts hold personal data: wiped before they are freed (README). */
static void free_wiped(char *s)
{
    if (s) {
        explicit_bzero(s, strlen(s));
        free(s);
    }
}

/* ---- invalidParams ---- */

/* Make s valid UTF-8 in place: a sequence cut short (a value echoed through "%.60s") or any
 * other invalid byte becomes '?', so jansson accepts it. */
static void utf8_clean(char *s)
{
    unsigned char *p = (unsigned char *)s;
    while (*p) {
        size_t len = 0;
        unsigned long cp = 0, min = 0;
        if (p[0] < 0x80) {
            p++;
            continue;
        } else if ((p[0] & 0xE0) == 0xC0) {
            len = 2, cp = p[0] & 0x1F, min = 0x80;
        } else if ((p[0] & 0xF0) == 0xE0) {
            len = 3, cp = p[0] & 0x0F, min = 0x800;
        } else if ((p[0] & 0xF8) == 0xF0) {
            len = 4, cp = p[0] & 0x07, min = 0x10000;
        }
        bool ok = len != 0;
        for (size_t i = 1; ok && i < len; i++) {
            if ((p[i] & 0xC0) != 0x80)
                ok = false;
            else
                cp = (cp << 6) | (p[i] & 0x3F);
        }
        if (ok && (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)))
            ok = false;
        if (ok) {
            p += len;
        } else {
            *p = '?';
            p++;
        }
    }
}

/* Never drops an entry: an entry that is there is what makes the request invalid. */
static void add_invalid(json_t *errs, const char *name, const char *code, const char *reason)
{
    char n[512], r[512];
    snprintf(n, sizeof n, "%s", name);
    snprintf(r, sizeof r, "%s", reason);
    utf8_clean(n);
    utf8_clean(r);
    json_t *e = json_pack("{s:s,s:s,s:s}", "name", n, "code", code, "reason", r);
    if (!e)
        e = json_pack("{s:s,s:s,s:s}", "name", n, "code", code, "reason", "Ongeldige waarde.");
    if (!e)
        e = json_pack("{s:s,s:s,s:s}", "name", "nonFieldErrors", "code", "invalid", "reason",
                      "Ongeldige waarde.");
    if (json_array_append_new(errs, e) != 0)
        abort(); /* out of memory: never let an invalid request through */
}

static void join(char *out, size_t cap, const char *prefix, const char *field)
{
    if (prefix && *prefix)
        snprintf(out, cap, "%s.%s", prefix, field);
    else
        snprintf(out, cap, "%s", field);
}

/* ---- field tables: check a JSON object and copy what is valid into a normalised one ---- */

typedef enum { T_STR, T_BOOL, T_DATETIME, T_DATE, T_INT, T_STRMAP, T_OBJ } ftype;

enum {
    REQ = 1,       /* must be there (not for a partial update) */
    NUL = 2,       /* null allowed */
    NOBLANK = 4,   /* "" not allowed */
    PHONE = 8,     /* telefoonnummer pattern */
    REFPAT = 16,   /* ^[-a-zA-Z0-9_]+$ */
    URI = 32,      /* an absolute URI */
    NODEFAULT = 64 /* left out of the representation when not given */
};

typedef struct field field;
struct field {
    const char *name;
    ftype type;
    int flags;
    size_t max;                /* characters; for T_INT the maximum value */
    const char *const *choice; /* NULL-terminated enum */
    const char *dflt;          /* JSON text of the default, "NOW" for now; NULL: none */
    const field *sub;          /* T_OBJ: its fields */
    size_t nsub;
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const ROL[] = {"vertegenwoordiger", "klant", NULL};
static const char *const SOORT_DA[] = {"email", "telefoonnummer", "overig", NULL};
static const char *const STATUS[] = {"te_verwerken", "verwerkt", NULL};

static const field F_CONTACTNAAM[] = {
    {"voorletters", T_STR, 0, 10, NULL, "\"\"", NULL, 0},
    {"voornaam", T_STR, 0, 200, NULL, "\"\"", NULL, 0},
    {"voorvoegselAchternaam", T_STR, 0, 10, NULL, "\"\"", NULL, 0},
    {"achternaam", T_STR, 0, 200, NULL, "\"\"", NULL, 0},
};
static const field F_ADRES[] = {
    {"nummeraanduidingId", T_STR, 0, 16, NULL, NULL, NULL, 0},
    {"straatnaam", T_STR, 0, 255, NULL, NULL, NULL, 0},
    {"huisnummer", T_INT, NUL, 99999, NULL, NULL, NULL, 0},
    {"huisnummertoevoeging", T_STR, 0, 20, NULL, NULL, NULL, 0},
    {"postcode", T_STR, 0, 7, NULL, NULL, NULL, 0},
    {"stad", T_STR, 0, 255, NULL, NULL, NULL, 0},
    {"adresregel1", T_STR, 0, 80, NULL, NULL, NULL, 0},
    {"adresregel2", T_STR, 0, 80, NULL, NULL, NULL, 0},
    {"adresregel3", T_STR, 0, 80, NULL, NULL, NULL, 0},
    {"land", T_STR, 0, 2, NULL, NULL, NULL, 0},
};
static const field F_OWID[] = {
    {"objectId", T_STR, 0, 200, NULL, "\"\"", NULL, 0},
    {"codeObjecttype", T_STR, 0, 200, NULL, "\"\"", NULL, 0},
    {"codeRegister", T_STR, 0, 200, NULL, "\"\"", NULL, 0},
    {"codeSoortObjectId", T_STR, 0, 200, NULL, "\"\"", NULL, 0},
};

static const field F_KLANTCONTACT[] = {
    {"nummer", T_STR, NUL, 10, NULL, "null", NULL, 0},
    {"referentienummer", T_STR, NUL, 10, NULL, "null", NULL, 0},
    {"kanaal", T_STR, REQ | NOBLANK, 50, NULL, NULL, NULL, 0},
    {"onderwerp", T_STR, REQ | NOBLANK, 200, NULL, NULL, NULL, 0},
    {"inhoud", T_STR, 0, 1000, NULL, "\"\"", NULL, 0},
    {"reactie", T_STR, 0, 4000, NULL, "\"\"", NULL, 0},
    {"indicatieContactGelukt", T_BOOL, NUL, 0, NULL, "null", NULL, 0},
    {"hoofdOnderwerpType", T_STR, URI | NODEFAULT, 200, NULL, NULL, NULL, 0},
    {"verdereActieOndernomen", T_BOOL, 0, 0, NULL, "false", NULL, 0},
    {"taal", T_STR, REQ | NOBLANK, 3, NULL, NULL, NULL, 0},
    {"vertrouwelijk", T_BOOL, REQ, 0, NULL, NULL, NULL, 0},
    {"plaatsgevondenOp", T_DATETIME, 0, 0, NULL, "NOW", NULL, 0},
    {"metadata", T_STRMAP, 0, 255, NULL, "{}", NULL, 0},
};

static const field F_BETROKKENE[] = {
    {"bezoekadres", T_OBJ, NUL, 0, NULL, "null", F_ADRES, N(F_ADRES)},
    {"correspondentieadres", T_OBJ, NUL, 0, NULL, "null", F_ADRES, N(F_ADRES)},
    {"contactnaam", T_OBJ, NUL, 0, NULL, "null", F_CONTACTNAAM, N(F_CONTACTNAAM)},
    {"rol", T_STR, REQ, 0, ROL, NULL, NULL, 0},
    {"organisatienaam", T_STR, 0, 200, NULL, "\"\"", NULL, 0},
    {"initiator", T_BOOL, REQ, 0, NULL, NULL, NULL, 0},
};

static const field F_ONDERWERPOBJECT[] = {
    {"onderwerpobjectidentificator", T_OBJ, NUL, 0, NULL, "null", F_OWID, N(F_OWID)},
};

static const field F_DIGITAALADRES[] = {
    {"adres", T_STR, REQ | NOBLANK, 80, NULL, NULL, NULL, 0},
    {"soortDigitaalAdres", T_STR, REQ, 0, SOORT_DA, NULL, NULL, 0},
    {"isStandaardAdres", T_BOOL, 0, 0, NULL, "false", NULL, 0},
    {"omschrijving", T_STR, 0, 40, NULL, "\"\"", NULL, 0},
    {"referentie", T_STR, REFPAT | NODEFAULT, 50, NULL, NULL, NULL, 0},
    {"verificatieDatum", T_DATE, NUL, 0, NULL, "null", NULL, 0},
};

static const field F_INTERNETAAK[] = {
    {"nummer", T_STR, NUL, 10, NULL, "null", NULL, 0},
    {"referentienummer", T_STR, NUL, 10, NULL, "null", NULL, 0},
    {"gevraagdeHandeling", T_STR, REQ | NOBLANK, 200, NULL, NULL, NULL, 0},
    {"toelichting", T_STR, 0, 1000, NULL, "\"\"", NULL, 0},
    {"status", T_STR, REQ, 0, STATUS, NULL, NULL, 0},
    {"afgehandeldOp", T_DATETIME, NUL, 0, NULL, "null", NULL, 0},
};

/* What a PATCH of an internetaak may change. */
static const field F_INTERNETAAK_PATCH[] = {
    {"gevraagdeHandeling", T_STR, NOBLANK, 200, NULL, NULL, NULL, 0},
    {"toelichting", T_STR, 0, 1000, NULL, NULL, NULL, 0},
    {"status", T_STR, 0, 0, STATUS, NULL, NULL, 0},
    {"afgehandeldOp", T_DATETIME, NUL, 0, NULL, NULL, NULL, 0},
};

static const char R_REQUIRED[] = "Dit veld is vereist.";
static const char R_NULL[] = "Dit veld mag niet leeg zijn.";
static const char R_BLANK[] = "Dit veld mag niet leeg zijn.";
static const char R_STRING[] = "Geen geldige string.";
static const char R_BOOL[] = "Moet een geldige boolean zijn.";
static const char R_DICT[] = "Ongeldige data. Verwachtte een dictionary, kreeg een ander type.";
static const char R_LIST[] = "Verwachtte een lijst met items, kreeg een ander type.";
static const char R_DATETIME[] = "Datetime heeft een ongeldig formaat, gebruik 1 van de volgende "
                                 "formaten: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].";
static const char R_DATE[] = "Datum heeft het verkeerde formaat, gebruik 1 van deze formaten: "
                             "YYYY-MM-DD.";
static const char R_UUID[] = "Voer een geldige UUID in.";
static const char R_EXISTS[] = "Ongeldige hyperlink - Object bestaat niet.";

static void check_fields(json_t *errs, const char *prefix, const json_t *in, const field *f,
                         size_t n, bool partial, json_t *out);

static void check_one(json_t *errs, const char *prefix, const json_t *in, const field *f,
                      bool partial, json_t *out)
{
    char name[256], reason[160];
    join(name, sizeof name, prefix, f->name);
    const json_t *v = json_object_get(in, f->name);
    if (!v) {
        if ((f->flags & REQ) && !partial)
            add_invalid(errs, name, "required", R_REQUIRED);
        else if (!partial && f->dflt && strcmp(f->dflt, "NOW") == 0) {
            char now[64];
            now_rfc3339(now);
            json_object_set_new(out, f->name, json_string(now));
        } else if (!partial && f->dflt)
            json_object_set_new(out, f->name, json_loads(f->dflt, JSON_DECODE_ANY, NULL));
        return;
    }
    if (json_is_null(v)) {
        if (f->flags & NUL)
            json_object_set_new(out, f->name, json_null());
        else
            add_invalid(errs, name, "null", R_NULL);
        return;
    }
    switch (f->type) {
    case T_STR: {
        if (!json_is_string(v)) {
            add_invalid(errs, name, "invalid", R_STRING);
            return;
        }
        const char *s = json_string_value(v);
        if (strlen(s) != json_string_length(v)) {
            add_invalid(errs, name, "null_characters_not_allowed",
                        "Null-tekens zijn niet toegestaan.");
            return;
        }
        if (!*s && (f->flags & NOBLANK)) {
            add_invalid(errs, name, "blank", R_BLANK);
            return;
        }
        if (f->max && utf8_chars(s) > f->max) {
            snprintf(reason, sizeof reason,
                     "Zorg ervoor dat dit veld niet meer dan %zu karakters bevat.", f->max);
            add_invalid(errs, name, "max_length", reason);
            return;
        }
        if (f->choice) {
            bool found = false;
            for (const char *const *c = f->choice; *c && !found; c++)
                found = strcmp(*c, s) == 0;
            if (!found) {
                snprintf(reason, sizeof reason, "\"%.60s\" is een ongeldige keuze.", s);
                add_invalid(errs, name, "invalid_choice", reason);
                return;
            }
        }
        if ((f->flags & REFPAT) && !referentie_ok(s)) {
            add_invalid(errs, name, "invalid",
                        "Alleen letters, cijfers, '-' en '_' zijn toegestaan.");
            return;
        }
        if ((f->flags & URI) && *s && !uri_ok(s)) {
            add_invalid(errs, name, "invalid", "Voer een geldige URL in.");
            return;
        }
        if ((f->flags & URI) && !*s)
            return; /* "" is no type: left out */
        json_object_set(out, f->name, (json_t *)v);
        return;
    }
    case T_BOOL:
        if (!json_is_boolean(v))
            add_invalid(errs, name, "invalid", R_BOOL);
        else
            json_object_set(out, f->name, (json_t *)v);
        return;
    case T_INT:
        if (!json_is_integer(v))
            add_invalid(errs, name, "invalid", "Een geldig getal is vereist.");
        else if (json_integer_value(v) < 1 || json_integer_value(v) > (json_int_t)f->max)
            add_invalid(errs, name, "max_value", "Waarde buiten het toegestane bereik.");
        else
            json_object_set(out, f->name, (json_t *)v);
        return;
    case T_DATETIME: {
        char norm[64];
        if (!json_is_string(v) || !parse_datetime(json_string_value(v), norm))
            add_invalid(errs, name, "invalid", R_DATETIME);
        else
            json_object_set_new(out, f->name, json_string(norm));
        return;
    }
    case T_DATE:
        if (!json_is_string(v) || !parse_date(json_string_value(v)))
            add_invalid(errs, name, "invalid", R_DATE);
        else
            json_object_set(out, f->name, (json_t *)v);
        return;
    case T_STRMAP: {
        if (!json_is_object(v)) {
            add_invalid(errs, name, "invalid", R_DICT);
            return;
        }
        const char *key;
        json_t *val;
        bool ok = true;
        json_object_foreach((json_t *)v, key, val)
        {
            char sub[512];
            snprintf(sub, sizeof sub, "%s.%.200s", name, key);
            if (!json_is_string(val)) {
                add_invalid(errs, sub, "invalid", R_STRING);
                ok = false;
            } else if (utf8_chars(json_string_value(val)) > f->max) {
                snprintf(reason, sizeof reason,
                         "Zorg ervoor dat dit veld niet meer dan %zu karakters bevat.", f->max);
                add_invalid(errs, sub, "max_length", reason);
                ok = false;
            }
        }
        if (ok)
            json_object_set(out, f->name, (json_t *)v);
        return;
    }
    case T_OBJ: {
        if (!json_is_object(v)) {
            add_invalid(errs, name, "invalid", R_DICT);
            return;
        }
        json_t *o = json_object();
        check_fields(errs, name, v, f->sub, f->nsub, false, o);
        json_object_set_new(out, f->name, o);
        return;
    }
    }
}

static void check_fields(json_t *errs, const char *prefix, const json_t *in, const field *f,
                         size_t n, bool partial, json_t *out)
{
    for (size_t i = 0; i < n; i++)
        check_one(errs, prefix, in, &f[i], partial, out);
}

/* ---- lookups ---- */

static const char *collection_of(const char *kind)
{
    static const char *const map[][2] = {
        {"klantcontact", "klantcontacten"},       {"betrokkene", "betrokkenen"},
        {"onderwerpobject", "onderwerpobjecten"}, {"digitaaladres", "digitaleadressen"},
        {"internetaak", "internetaken"},          {"actor", "actoren"},
    };
    for (size_t i = 0; i < N(map); i++)
        if (strcmp(map[i][0], kind) == 0)
            return map[i][1];
    return "onbekend";
}

/* Set when a store read during validation failed: the answer is then a 500, not a 400 that says
 * "does not exist" (a kiosk would dead-letter its envelope on a 400). Per request, per thread. */
static _Thread_local bool validation_store_failed;

static bool exists(casesvc_api *a, const char *kind, const char *uuid)
{
    if (!a)
        return true; /* validation only */
    casesvc_filter f = {.kind = kind, .uuid = uuid, .limit = 1};
    casesvc_rows r;
    if (casesvc_store_list(a->store, &f, &r) != 0) {
        validation_store_failed = true;
        return false;
    }
    bool found = r.n == 1;
    casesvc_rows_free(&r);
    return found;
}

static bool ref_taken(casesvc_api *a, const char *kind, const char *ref)
{
    if (!a || !ref)
        return false;
    casesvc_filter f = {.kind = kind, .ref = ref, .limit = 1};
    casesvc_rows r;
    if (casesvc_store_list(a->store, &f, &r) != 0)
        return false;
    bool found = r.total > 0;
    casesvc_rows_free(&r);
    return found;
}

/* A foreign key {uuid} (url ignored, it is read-only): writes the lowercase uuid into out,
 * or adds why not. kind: what it must point at (existence checked). */
static bool check_fk(casesvc_api *a, json_t *errs, const char *name, const json_t *v,
                     const char *kind, char out[37])
{
    char sub[300];
    snprintf(sub, sizeof sub, "%s.uuid", name);
    if (!json_is_object(v)) {
        add_invalid(errs, name, "invalid", R_DICT);
        return false;
    }
    const json_t *u = json_object_get(v, "uuid");
    if (!u) {
        add_invalid(errs, sub, "required", R_REQUIRED);
        return false;
    }
    if (!json_is_string(u) || !is_uuid(json_string_value(u))) {
        add_invalid(errs, sub, "invalid", R_UUID);
        return false;
    }
    lower_uuid(json_string_value(u), out);
    if (!kind || !exists(a, kind, out)) {
        add_invalid(errs, sub, "does_not_exist", R_EXISTS);
        return false;
    }
    return true;
}

/* ---- representations ---- */

static json_t *fk(const char *origin, const char *kind, const char *uuid)
{
    char url[512];
    snprintf(url, sizeof url, "%s" CASESVC_API_BASE "/%s/%s", origin, collection_of(kind), uuid);
    return json_pack("{s:s,s:s}", "uuid", uuid, "url", url);
}

enum {
    X_BETROKKENEN = 1,
    X_BETROKKENEN_DA = 2,
    X_TAKEN = 4,
    X_ONDERWERPOBJECTEN = 8,
    X_BIJLAGEN = 16,
    X_WASPARTIJ = 32,
    X_DA_BETROKKENE = 64,
    X_BETROKKENE_DA = 128,
};

static json_t *render(casesvc_api *a, const char *origin, const casesvc_row *r, unsigned expand);

/* The rows of `kind` whose parent is `parent`, rendered (full) or as foreign keys. */
static json_t *children(casesvc_api *a, const char *origin, const char *kind, const char *parent,
                        bool full, unsigned expand)
{
    json_t *list = json_array();
    casesvc_filter f = {.kind = kind, .parent = parent};
    casesvc_rows rows;
    if (casesvc_store_list(a->store, &f, &rows) != 0)
        return list;
    for (size_t i = 0; i < rows.n; i++)
        json_array_append_new(list, full ? render(a, origin, &rows.rows[i], expand)
                                         : fk(origin, kind, rows.rows[i].uuid));
    casesvc_rows_free(&rows);
    return list;
}

static json_t *get_one(casesvc_api *a, const char *origin, const char *kind, const char *uuid,
                       unsigned expand)
{
    casesvc_filter f = {.kind = kind, .uuid = uuid, .limit = 1};
    casesvc_rows rows;
    if (casesvc_store_list(a->store, &f, &rows) != 0)
        return NULL;
    json_t *j = rows.n ? render(a, origin, &rows.rows[0], expand) : NULL;
    casesvc_rows_free(&rows);
    return j;
}

static json_t *render(casesvc_api *a, const char *origin, const casesvc_row *r, unsigned expand)
{
    json_t *o = json_loads(r->body, 0, NULL);
    if (!json_is_object(o)) {
        json_decref(o);
        o = json_object();
    }
    json_t *self = fk(origin, r->kind, r->uuid);
    json_object_update(o, self);
    json_decref(self);
    if (strcmp(r->kind, "klantcontact") == 0) {
        json_object_set_new(o, "gingOverOnderwerpobjecten",
                            children(a, origin, "onderwerpobject", r->uuid, false, 0));
        json_object_set_new(o, "hadBetrokkenActoren", json_array());
        json_object_set_new(o, "omvatteBijlagen", json_array());
        json_object_set_new(o, "hadBetrokkenen",
                            children(a, origin, "betrokkene", r->uuid, false, 0));
        json_object_set_new(o, "leiddeTotInterneTaken",
                            children(a, origin, "internetaak", r->uuid, false, 0));
        if (expand) {
            json_t *x = json_object();
            if (expand & (X_BETROKKENEN | X_BETROKKENEN_DA | X_WASPARTIJ))
                json_object_set_new(x, "hadBetrokkenen",
                                    children(a, origin, "betrokkene", r->uuid, true,
                                             expand & X_BETROKKENEN_DA ? X_BETROKKENE_DA : 0));
            if (expand & X_TAKEN)
                json_object_set_new(x, "leiddeTotInterneTaken",
                                    children(a, origin, "internetaak", r->uuid, true, 0));
            if (expand & X_ONDERWERPOBJECTEN)
                json_object_set_new(x, "gingOverOnderwerpobjecten",
                                    children(a, origin, "onderwerpobject", r->uuid, true, 0));
            if (expand & X_BIJLAGEN)
                json_object_set_new(x, "omvatteBijlagen", json_array());
            json_object_set_new(o, "_expand", x);
        }
    } else if (strcmp(r->kind, "betrokkene") == 0) {
        json_object_set_new(o, "wasPartij", json_null());
        json_object_set_new(o, "hadKlantcontact", fk(origin, "klantcontact", r->parent));
        json_object_set_new(o, "digitaleAdressen",
                            children(a, origin, "digitaaladres", r->uuid, false, 0));
        /* volledigeNaam: the contactnaam's parts in reading order */
        char full[2048] = ""; /* 200 + 10 + 200 characters of up to 4 bytes each */
        json_t *cn = json_object_get(o, "contactnaam");
        static const char *const parts[] = {"voornaam", "voorvoegselAchternaam", "achternaam"};
        for (size_t i = 0; i < N(parts); i++) {
            const char *p = json_string_value(json_object_get(cn, parts[i]));
            if (p && *p) {
                size_t used = strlen(full);
                snprintf(full + used, sizeof full - used, "%s%s", used ? " " : "", p);
            }
        }
        utf8_clean(full); /* never drop the field, even if it had to be cut */
        json_object_set_new(o, "volledigeNaam", json_string(full));
        if (expand & X_BETROKKENE_DA)
            json_object_set_new(o, "_expand",
                                json_pack("{s:o}", "digitaleAdressen",
                                          children(a, origin, "digitaaladres", r->uuid, true, 0)));
    } else if (strcmp(r->kind, "onderwerpobject") == 0) {
        json_object_set_new(o, "klantcontact", fk(origin, "klantcontact", r->parent));
        const char *was = json_string_value(json_object_get(o, "wasKlantcontact"));
        json_object_set_new(o, "wasKlantcontact",
                            was ? fk(origin, "klantcontact", was) : json_null());
    } else if (strcmp(r->kind, "digitaaladres") == 0) {
        json_object_set_new(o, "verstrektDoorBetrokkene",
                            r->parent ? fk(origin, "betrokkene", r->parent) : json_null());
        json_object_set_new(o, "verstrektDoorPartij", json_null());
    } else if (strcmp(r->kind, "internetaak") == 0) {
        json_object_set_new(o, "aanleidinggevendKlantcontact",
                            fk(origin, "klantcontact", r->parent));
        char **actors = casesvc_store_actors_of(a->store, r->uuid);
        json_t *list = json_array();
        for (size_t i = 0; actors && actors[i]; i++)
            json_array_append_new(list, fk(origin, "actor", actors[i]));
        if (json_array_size(list))
            json_object_set(o, "toegewezenAanActor", json_array_get(list, 0));
        json_object_set_new(o, "toegewezenAanActoren", list);
        casesvc_strv_free(actors);
    }
    return o;
}

/* ---- responses ---- */

static void respond_json(casesvc_response *out, int status, json_t *j)
{
    out->status = status;
    out->content_type = "application/json";
    out->body = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    if (!out->body) {
        out->status = 500;
        out->content_type = "application/problem+json";
        out->body = strdup("{\"code\":\"error\",\"title\":\"Er is een serverfout opgetreden.\","
                           "\"status\":500,\"detail\":\"\",\"instance\":\"\",\"type\":\"\"}");
    }
}

static json_t *problem(const char *origin, int status, const char *kind, const char *code,
                       const char *title, const char *detail)
{
    char uuid[37], type[512], instance[64];
    new_uuid(uuid);
    snprintf(type, sizeof type, "%s/ref/fouten/%s/", origin, kind);
    snprintf(instance, sizeof instance, "urn:uuid:%s", uuid);
    return json_pack("{s:s,s:s,s:s,s:i,s:s,s:s}", "type", type, "code", code, "title", title,
                     "status", status, "detail", detail, "instance", instance);
}

static void respond_problem(casesvc_response *out, const char *origin, int status, const char *kind,
                            const char *code, const char *title, const char *detail)
{
    respond_json(out, status, problem(origin, status, kind, code, title, detail));
    out->content_type = "application/problem+json";
}

static void respond_store_error(casesvc_response *out, const char *origin);

static void respond_invalid(casesvc_response *out, const char *origin, json_t *errs)
{
    if (validation_store_failed) {
        json_decref(errs);
        respond_store_error(out, origin);
        return;
    }
    json_t *p = problem(origin, 400, "ValidationError", "invalid", "Invalid input.", "");
    json_object_set_new(p, "invalidParams", errs);
    respond_json(out, 400, p);
    out->content_type = "application/problem+json";
}

static void respond_store_error(casesvc_response *out, const char *origin)
{
    respond_problem(out, origin, 500, "APIException", "error", "Er is een serverfout opgetreden.",
                    "De opslag gaf een fout.");
}

/* ---- query parameters ---- */

static const char *param(const casesvc_request *rq, const char *name)
{
    const char *v = NULL; /* the last one counts, as in Django's QueryDict.get */
    for (size_t i = 0; i < rq->n_query; i++)
        if (rq->query[i].name && strcmp(rq->query[i].name, name) == 0)
            v = rq->query[i].value ? rq->query[i].value : "";
    return v;
}

static int hexval(int c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

static char *url_decode(const char *s, size_t n)
{
    char *o = malloc(n + 1);
    if (!o)
        return NULL;
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+')
            o[j++] = ' ';
        else if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            o[j++] = (char)(hexval(s[i + 1]) << 4 | hexval(s[i + 2]));
            i += 2;
        } else
            o[j++] = s[i];
    }
    o[j] = '\0';
    return o;
}

bool casesvc_query_parse(const char *raw, casesvc_param **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!raw)
        return true;
    const char *p = raw;
    while (*p) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        if (len) {
            const char *eq = memchr(p, '=', len);
            size_t klen = eq ? (size_t)(eq - p) : len;
            casesvc_param *np = realloc(*out, (*n + 1) * sizeof *np);
            if (!np)
                return false;
            *out = np;
            np[*n].name = url_decode(p, klen);
            np[*n].value = eq ? url_decode(eq + 1, len - klen - 1) : strdup("");
            (*n)++;
        }
        p += len;
        if (*p == '&')
            p++;
    }
    return true;
}

void casesvc_params_free(casesvc_param *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free((char *)p[i].name);
        free_wiped((char *)p[i].value);
    }
    free(p);
}

/* A filter value that must be a uuid: 400 otherwise. */
static bool uuid_param(const casesvc_request *rq, const char *name, json_t *errs, char out[37],
                       const char **val)
{
    const char *v = param(rq, name);
    *val = NULL;
    if (!v || !*v) /* an empty filter is no filter (django-filter) */
        return true;
    if (!is_uuid(v)) {
        add_invalid(errs, name, "invalid", R_UUID);
        return false;
    }
    lower_uuid(v, out);
    *val = out;
    return true;
}

static const char *str_param(const casesvc_request *rq, const char *name)
{
    const char *v = param(rq, name);
    return v && *v ? v : NULL;
}

/* ---- pagination ---- */

static void append_enc(char *out, size_t cap, const char *s)
{
    size_t n = strlen(out);
    for (; *s && n + 4 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~' || c == ',')
            out[n++] = (char)c;
        else
            n += (size_t)snprintf(out + n, cap - n, "%%%02X", c);
    }
    out[n] = '\0';
}

static json_t *page_link(const char *origin, const casesvc_request *rq, long long page)
{
    char url[4096];
    snprintf(url, sizeof url, "%s%s?", origin, rq->path);
    bool first = true;
    for (size_t i = 0; i < rq->n_query; i++) {
        if (!rq->query[i].name || strcmp(rq->query[i].name, "page") == 0)
            continue;
        if (!first)
            strncat(url, "&", sizeof url - strlen(url) - 1);
        append_enc(url, sizeof url, rq->query[i].name);
        strncat(url, "=", sizeof url - strlen(url) - 1);
        append_enc(url, sizeof url, rq->query[i].value ? rq->query[i].value : "");
        first = false;
    }
    char pg[40];
    snprintf(pg, sizeof pg, "%spage=%lld", first ? "" : "&", page);
    strncat(url, pg, sizeof url - strlen(url) - 1);
    return json_string(url);
}

/* page and pageSize as Django REST framework's PageNumberPagination reads them: a page that
 * is not a number or beyond the last is a 404; a bad pageSize is the default. */
static bool paging(const casesvc_request *rq, long long *page, long long *size)
{
    *page = 1;
    *size = PAGE_SIZE_DEFAULT;
    const char *ps = param(rq, "pageSize");
    if (ps && *ps) {
        char *end;
        long long v = strtoll(ps, &end, 10);
        if (*end == '\0' && v > 0)
            *size = v > PAGE_SIZE_MAX ? PAGE_SIZE_MAX : v;
    }
    const char *p = param(rq, "page");
    if (p && *p) {
        if (strcmp(p, "last") == 0) {
            *page = -1;
            return true;
        }
        char *end;
        long long v = strtoll(p, &end, 10);
        if (*end != '\0' || v < 1 || v > 1000000000LL)
            return false;
        *page = v;
    }
    return true;
}

static void respond_list(casesvc_api *a, const char *origin, const casesvc_request *rq,
                         casesvc_filter *f, unsigned expand, casesvc_response *out)
{
    long long page, size;
    if (!paging(rq, &page, &size)) {
        respond_problem(out, origin, 404, "NotFound", "not_found", "Niet gevonden.",
                        "Ongeldige pagina.");
        return;
    }
    casesvc_rows rows;
    if (page == -1) { /* "last" */
        casesvc_filter count = *f;
        count.limit = 1;
        if (casesvc_store_list(a->store, &count, &rows) != 0) {
            respond_store_error(out, origin);
            return;
        }
        page = rows.total ? (rows.total + size - 1) / size : 1;
        casesvc_rows_free(&rows);
    }
    f->offset = (page - 1) * size;
    f->limit = size;
    if (casesvc_store_list(a->store, f, &rows) != 0) {
        respond_store_error(out, origin);
        return;
    }
    long long pages = rows.total ? (rows.total + size - 1) / size : 1;
    if (page > pages) {
        casesvc_rows_free(&rows);
        respond_problem(out, origin, 404, "NotFound", "not_found", "Niet gevonden.",
                        "Ongeldige pagina.");
        return;
    }
    json_t *results = json_array();
    for (size_t i = 0; i < rows.n; i++)
        json_array_append_new(results, render(a, origin, &rows.rows[i], expand));
    json_t *resp =
        json_pack("{s:I,s:o,s:o,s:o}", "count", (json_int_t)rows.total, "next",
                  page < pages ? page_link(origin, rq, page + 1) : json_null(), "previous",
                  page > 1 ? page_link(origin, rq, page - 1) : json_null(), "results", results);
    casesvc_rows_free(&rows);
    respond_json(out, 200, resp);
}

/* expand=a,b (also repeated): the bits, or false with the invalid value listed */
static bool parse_expand(const casesvc_request *rq, const char *const *names, const unsigned *bits,
                         size_t n, unsigned *out, json_t *errs)
{
    *out = 0;
    bool ok = true;
    for (size_t i = 0; i < rq->n_query; i++) {
        if (!rq->query[i].name || strcmp(rq->query[i].name, "expand") != 0 || !rq->query[i].value)
            continue;
        char *copy = strdup(rq->query[i].value), *save = NULL;
        for (char *t = copy ? strtok_r(copy, ",", &save) : NULL; t;
             t = strtok_r(NULL, ",", &save)) {
            size_t k = 0;
            while (k < n && strcmp(names[k], t) != 0)
                k++;
            if (k == n) {
                if (ok)
                    add_invalid(errs, "expand", "invalid_choice",
                                "Een of meer van de opgegeven waarden is geen geldige keuze.");
                ok = false;
            } else {
                *out |= bits[k];
            }
        }
        free(copy);
    }
    return ok;
}

/* ---- bodies ---- */

/* Content-Type application/json (parameters allowed) */
static bool is_json_type(const char *ct)
{
    if (!ct)
        return false;
    while (*ct == ' ')
        ct++;
    size_t n = strlen("application/json");
    return strncasecmp(ct, "application/json", n) == 0 &&
           (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* The body as a JSON object, or NULL with the answer given. */
static json_t *body_object(const char *origin, const casesvc_request *rq, casesvc_response *out)
{
    json_error_t e;
    json_t *j = json_loadb(rq->body ? rq->body : "", rq->body_len,
                           JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &e);
    if (!j) {
        char title[300];
        snprintf(title, sizeof title, "JSON parse error - %s", e.text);
        respond_problem(out, origin, 400, "ParseError", "parse_error", title,
                        "De inhoud van het verzoek is geen geldige JSON.");
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        json_t *errs = json_array();
        add_invalid(errs, "nonFieldErrors", "invalid", R_DICT);
        respond_invalid(out, origin, errs);
        return NULL;
    }
    return j;
}

static char *dump(const json_t *j)
{
    return json_dumps(j, JSON_COMPACT);
}

/* ---- maak-klantcontact ---- */

typedef struct {
    json_t *kc, *bt, *ow; /* normalised bodies; bt, ow NULL when not given */
    char was_kc[37];      /* onderwerpobject.wasKlantcontact, or "" */
} maak_input;

static json_t *validate_maak(casesvc_api *a, const json_t *body, maak_input *in)
{
    memset(in, 0, sizeof *in);
    json_t *errs = json_array();
    const json_t *kc = json_object_get(body, "klantcontact");
    in->kc = json_object();
    if (!kc)
        add_invalid(errs, "klantcontact", "required", R_REQUIRED);
    else if (json_is_null(kc))
        add_invalid(errs, "klantcontact", "null", R_NULL);
    else if (!json_is_object(kc))
        add_invalid(errs, "klantcontact", "invalid", R_DICT);
    else {
        check_fields(errs, "klantcontact", kc, F_KLANTCONTACT, N(F_KLANTCONTACT), false, in->kc);
        const char *ref = json_string_value(json_object_get(in->kc, "referentienummer"));
        if (ref && ref_taken(a, "klantcontact", ref))
            add_invalid(errs, "klantcontact.referentienummer", "unique",
                        "Er bestaat al een klantcontact met dit referentienummer.");
    }
    const json_t *bt = json_object_get(body, "betrokkene");
    if (bt && !json_is_null(bt)) {
        if (!json_is_object(bt)) {
            add_invalid(errs, "betrokkene", "invalid", R_DICT);
        } else {
            in->bt = json_object();
            check_fields(errs, "betrokkene", bt, F_BETROKKENE, N(F_BETROKKENE), false, in->bt);
            const json_t *wp = json_object_get(bt, "wasPartij");
            char u[37];
            if (wp && !json_is_null(wp)) /* this service keeps no partijen */
                check_fk(a, errs, "betrokkene.wasPartij", wp, NULL, u);
        }
    }
    const json_t *ow = json_object_get(body, "onderwerpobject");
    if (ow && !json_is_null(ow)) {
        if (!json_is_object(ow)) {
            add_invalid(errs, "onderwerpobject", "invalid", R_DICT);
        } else {
            in->ow = json_object();
            check_fields(errs, "onderwerpobject", ow, F_ONDERWERPOBJECT, N(F_ONDERWERPOBJECT),
                         false, in->ow);
            const json_t *was = json_object_get(ow, "wasKlantcontact");
            if (was && !json_is_null(was) &&
                check_fk(a, errs, "onderwerpobject.wasKlantcontact", was, "klantcontact",
                         in->was_kc))
                json_object_set_new(in->ow, "wasKlantcontact", json_string(in->was_kc));
        }
    }
    return errs;
}

static void maak_free(maak_input *in)
{
    json_decref(in->kc);
    json_decref(in->bt);
    json_decref(in->ow);
}

static void duplicate_ref(casesvc_response *out, const char *origin, const char *name,
                          const char *what)
{
    json_t *errs = json_array();
    char reason[128];
    snprintf(reason, sizeof reason, "Er bestaat al een %s met dit referentienummer.", what);
    add_invalid(errs, name, "unique", reason);
    respond_invalid(out, origin, errs);
}

static void post_maak(casesvc_api *a, const char *origin, const json_t *body, casesvc_response *out)
{
    maak_input in;
    json_t *errs = validate_maak(a, body, &in);
    if (json_array_size(errs)) {
        maak_free(&in);
        respond_invalid(out, origin, errs);
        return;
    }
    json_decref(errs);
    char kc_uuid[37], bt_uuid[37], ow_uuid[37];
    new_uuid(kc_uuid);
    new_uuid(bt_uuid);
    new_uuid(ow_uuid);
    char *kc_s = dump(in.kc), *bt_s = in.bt ? dump(in.bt) : NULL,
         *ow_s = in.ow ? dump(in.ow) : NULL;
    casesvc_obj objs[3];
    size_t n = 0;
    objs[n++] = (casesvc_obj){
        "klantcontact", kc_uuid, json_string_value(json_object_get(in.kc, "referentienummer")),
        NULL,           NULL,    kc_s};
    if (bt_s)
        objs[n++] = (casesvc_obj){"betrokkene", bt_uuid, NULL, kc_uuid, NULL, bt_s};
    if (ow_s)
        objs[n++] = (casesvc_obj){"onderwerpobject", ow_uuid, NULL, kc_uuid, NULL, ow_s};
    casesvc_store_result res = kc_s && (!in.bt || bt_s) && (!in.ow || ow_s)
                                   ? casesvc_store_insert(a->store, objs, n, NULL, 0)
                                   : CASESVC_STORE_ERROR;
    free_wiped(kc_s);
    free_wiped(bt_s);
    free_wiped(ow_s);
    bool has_bt = in.bt != NULL, has_ow = in.ow != NULL;
    maak_free(&in);
    if (res == CASESVC_STORE_DUPLICATE) {
        duplicate_ref(out, origin, "klantcontact.referentienummer", "klantcontact");
        return;
    }
    if (res != CASESVC_STORE_OK) {
        respond_store_error(out, origin);
        return;
    }
    json_t *resp = json_object();
    json_object_set_new(resp, "klantcontact", get_one(a, origin, "klantcontact", kc_uuid, 0));
    if (has_bt)
        json_object_set_new(resp, "betrokkene", get_one(a, origin, "betrokkene", bt_uuid, 0));
    if (has_ow)
        json_object_set_new(resp, "onderwerpobject",
                            get_one(a, origin, "onderwerpobject", ow_uuid, 0));
    respond_json(out, 201, resp);
}

/* ---- digitaleadressen ---- */

static json_t *validate_adres(casesvc_api *a, const json_t *body, json_t **norm, char bt[37])
{
    json_t *errs = json_array();
    *norm = json_object();
    bt[0] = '\0';
    check_fields(errs, "", body, F_DIGITAALADRES, N(F_DIGITAALADRES), false, *norm);
    const char *soort = json_string_value(json_object_get(*norm, "soortDigitaalAdres"));
    const char *adres = json_string_value(json_object_get(*norm, "adres"));
    if (soort && adres && strcmp(soort, "telefoonnummer") == 0 && !phone_ok(adres))
        add_invalid(errs, "adres", "invalid",
                    "Voer een geldig telefoonnummer in: 0612345678, +31612345678 of "
                    "0031612345678.");
    if (soort && adres && strcmp(soort, "email") == 0 && !email_ok(adres))
        add_invalid(errs, "adres", "invalid", "Voer een geldig e-mailadres in.");
    const json_t *vb = json_object_get(body, "verstrektDoorBetrokkene");
    if (vb && !json_is_null(vb))
        check_fk(a, errs, "verstrektDoorBetrokkene", vb, "betrokkene", bt);
    const json_t *vp = json_object_get(body, "verstrektDoorPartij");
    char u[37];
    if (vp && !json_is_null(vp))
        check_fk(a, errs, "verstrektDoorPartij", vp, NULL, u);
    return errs;
}

static void post_adres(casesvc_api *a, const char *origin, const json_t *body,
                       casesvc_response *out)
{
    json_t *norm;
    char bt[37];
    json_t *errs = validate_adres(a, body, &norm, bt);
    if (json_array_size(errs)) {
        json_decref(norm);
        respond_invalid(out, origin, errs);
        return;
    }
    json_decref(errs);
    char uuid[37];
    new_uuid(uuid);
    char *s = dump(norm);
    casesvc_obj o = {
        "digitaaladres",   uuid, json_string_value(json_object_get(norm, "referentie")),
        bt[0] ? bt : NULL, NULL, s};
    casesvc_store_result res =
        s ? casesvc_store_insert(a->store, &o, 1, NULL, 0) : CASESVC_STORE_ERROR;
    free_wiped(s);
    json_decref(norm);
    if (res != CASESVC_STORE_OK) {
        respond_store_error(out, origin);
        return;
    }
    respond_json(out, 201, get_one(a, origin, "digitaaladres", uuid, 0));
}

/* ---- internetaken ---- */

typedef struct {
    json_t *norm;
    char kc[37];
    char (*actors)[37];
    size_t n_actors;
} taak_input;

static json_t *validate_taak(casesvc_api *a, const json_t *body, taak_input *in)
{
    memset(in, 0, sizeof *in);
    json_t *errs = json_array();
    in->norm = json_object();
    check_fields(errs, "", body, F_INTERNETAAK, N(F_INTERNETAAK), false, in->norm);
    const char *ref = json_string_value(json_object_get(in->norm, "referentienummer"));
    if (ref && ref_taken(a, "internetaak", ref))
        add_invalid(errs, "referentienummer", "unique",
                    "Er bestaat al een interne taak met dit referentienummer.");
    const json_t *kc = json_object_get(body, "aanleidinggevendKlantcontact");
    if (!kc)
        add_invalid(errs, "aanleidinggevendKlantcontact", "required", R_REQUIRED);
    else if (json_is_null(kc))
        add_invalid(errs, "aanleidinggevendKlantcontact", "null", R_NULL);
    else
        check_fk(a, errs, "aanleidinggevendKlantcontact", kc, "klantcontact", in->kc);
    const json_t *list = json_object_get(body, "toegewezenAanActoren");
    const json_t *one = json_object_get(body, "toegewezenAanActor");
    if (list && !json_is_null(list)) {
        if (!json_is_array(list)) {
            add_invalid(errs, "toegewezenAanActoren", "not_a_list", R_LIST);
        } else {
            in->actors = calloc(json_array_size(list) + 1, sizeof *in->actors);
            for (size_t i = 0; in->actors && i < json_array_size(list); i++) {
                char name[64];
                snprintf(name, sizeof name, "toegewezenAanActoren.%zu", i);
                if (check_fk(a, errs, name, json_array_get(list, i), "actor",
                             in->actors[in->n_actors]))
                    in->n_actors++;
            }
        }
    } else if (list) {
        add_invalid(errs, "toegewezenAanActoren", "null", R_NULL);
    } else if (one && !json_is_null(one)) { /* the deprecated single actor */
        in->actors = calloc(1, sizeof *in->actors);
        if (in->actors && check_fk(a, errs, "toegewezenAanActor", one, "actor", in->actors[0]))
            in->n_actors = 1;
    }
    /* done without a moment: now */
    const char *st = json_string_value(json_object_get(in->norm, "status"));
    if (st && strcmp(st, "verwerkt") == 0 &&
        json_is_null(json_object_get(in->norm, "afgehandeldOp"))) {
        char now[64];
        now_rfc3339(now);
        json_object_set_new(in->norm, "afgehandeldOp", json_string(now));
    }
    char now[64];
    now_rfc3339(now);
    json_object_set_new(in->norm, "toegewezenOp", json_string(now));
    return errs;
}

static void post_taak(casesvc_api *a, const char *origin, const json_t *body, casesvc_response *out)
{
    taak_input in;
    json_t *errs = validate_taak(a, body, &in);
    if (json_array_size(errs)) {
        json_decref(in.norm);
        free(in.actors);
        respond_invalid(out, origin, errs);
        return;
    }
    json_decref(errs);
    char uuid[37];
    new_uuid(uuid);
    char *s = dump(in.norm);
    casesvc_obj o = {"internetaak",
                     uuid,
                     json_string_value(json_object_get(in.norm, "referentienummer")),
                     in.kc,
                     json_string_value(json_object_get(in.norm, "status")),
                     s};
    const char *(*links)[2] = in.n_actors ? calloc(in.n_actors, sizeof *links) : NULL;
    for (size_t i = 0; links && i < in.n_actors; i++) {
        links[i][0] = uuid;
        links[i][1] = in.actors[i];
    }
    casesvc_store_result res =
        s && (links || !in.n_actors)
            ? casesvc_store_insert(a->store, &o, 1, (const char *const(*)[2])links, in.n_actors)
            : CASESVC_STORE_ERROR;
    free_wiped(s);
    free(links);
    free(in.actors);
    json_decref(in.norm);
    if (res == CASESVC_STORE_DUPLICATE) {
        duplicate_ref(out, origin, "referentienummer", "interne taak");
        return;
    }
    if (res != CASESVC_STORE_OK) {
        respond_store_error(out, origin);
        return;
    }
    respond_json(out, 201, get_one(a, origin, "internetaak", uuid, 0));
}

/* Read, merge and write as a compare-and-swap on the stored body, retried: two PATCHes of one
 * task at the same time both land. */
static void patch_taak(casesvc_api *a, const char *origin, const char *uuid, const json_t *body,
                       casesvc_response *out)
{
    for (int attempt = 0; attempt < 1000; attempt++) {
        casesvc_filter f = {.kind = "internetaak", .uuid = uuid, .limit = 1};
        casesvc_rows rows;
        if (casesvc_store_list(a->store, &f, &rows) != 0) {
            respond_store_error(out, origin);
            return;
        }
        if (rows.n == 0) {
            casesvc_rows_free(&rows);
            respond_problem(out, origin, 404, "NotFound", "not_found", "Niet gevonden.",
                            "Niet gevonden.");
            return;
        }
        char *old = rows.rows[0].body;
        rows.rows[0].body = NULL; /* kept for the compare-and-swap */
        casesvc_rows_free(&rows);
        json_t *cur = old ? json_loads(old, 0, NULL) : NULL;
        if (!json_is_object(cur)) {
            json_decref(cur);
            free_wiped(old);
            respond_store_error(out, origin);
            return;
        }
        json_t *errs = json_array(), *changes = json_object();
        check_fields(errs, "", body, F_INTERNETAAK_PATCH, N(F_INTERNETAAK_PATCH), true, changes);
        if (json_array_size(errs)) {
            json_decref(cur);
            json_decref(changes);
            free_wiped(old);
            respond_invalid(out, origin, errs);
            return;
        }
        json_decref(errs);
        json_object_update(cur, changes);
        const char *st = json_string_value(json_object_get(cur, "status"));
        if (st && strcmp(st, "verwerkt") == 0 && !json_object_get(changes, "afgehandeldOp") &&
            json_is_null(json_object_get(cur, "afgehandeldOp"))) {
            char now[64];
            now_rfc3339(now);
            json_object_set_new(cur, "afgehandeldOp", json_string(now));
        }
        json_decref(changes);
        char *s = dump(cur);
        int res = s ? casesvc_store_update_if(a->store, "internetaak", uuid, old,
                                              json_string_value(json_object_get(cur, "status")), s)
                    : -1;
        free_wiped(s);
        free_wiped(old);
        json_decref(cur);
        if (res < 0) {
            respond_store_error(out, origin);
            return;
        }
        if (res == 1) {
            respond_json(out, 200, get_one(a, origin, "internetaak", uuid, 0));
            return;
        }
    }
    respond_store_error(out, origin); /* kept changing under us */
}

/* ---- lists ---- */

static void list_klantcontacten(casesvc_api *a, const char *origin, const casesvc_request *rq,
                                casesvc_response *out)
{
    static const char *const names[] = {
        "hadBetrokkenen",        "hadBetrokkenen.digitaleAdressen", "hadBetrokkenen.wasPartij",
        "leiddeTotInterneTaken", "gingOverOnderwerpobjecten",       "omvatteBijlagen"};
    static const unsigned bits[] = {X_BETROKKENEN,
                                    X_BETROKKENEN | X_BETROKKENEN_DA,
                                    X_BETROKKENEN | X_WASPARTIJ,
                                    X_TAKEN,
                                    X_ONDERWERPOBJECTEN,
                                    X_BIJLAGEN};
    json_t *errs = json_array();
    unsigned expand;
    parse_expand(rq, names, bits, N(names), &expand, errs);
    if (json_array_size(errs)) {
        respond_invalid(out, origin, errs);
        return;
    }
    json_decref(errs);
    casesvc_filter f = {.kind = "klantcontact", .ref = str_param(rq, "referentienummer")};
    respond_list(a, origin, rq, &f, expand, out);
}

static void list_adressen(casesvc_api *a, const char *origin, const casesvc_request *rq,
                          casesvc_response *out)
{
    json_t *errs = json_array();
    char bt[37];
    const char *btv;
    uuid_param(rq, "verstrektDoorBetrokkene__uuid", errs, bt, &btv);
    if (json_array_size(errs)) {
        respond_invalid(out, origin, errs);
        return;
    }
    json_decref(errs);
    casesvc_filter f = {.kind = "digitaaladres", .ref = str_param(rq, "referentie"), .parent = btv};
    respond_list(a, origin, rq, &f, 0, out);
}

static void list_taken(casesvc_api *a, const char *origin, const casesvc_request *rq,
                       casesvc_response *out)
{
    json_t *errs = json_array();
    char actor[37], kc[37];
    const char *actorv, *kcv;
    uuid_param(rq, "toegewezenAanActor__uuid", errs, actor, &actorv);
    uuid_param(rq, "aanleidinggevendKlantcontact__uuid", errs, kc, &kcv);
    const char *st = str_param(rq, "status");
    if (st && strcmp(st, "te_verwerken") != 0 && strcmp(st, "verwerkt") != 0) {
        char reason[160];
        snprintf(reason, sizeof reason,
                 "Selecteer een geldige keuze. %.60s is geen beschikbare keuze.", st);
        add_invalid(errs, "status", "invalid_choice", reason);
    }
    if (json_array_size(errs)) {
        respond_invalid(out, origin, errs);
        return;
    }
    json_decref(errs);
    casesvc_filter f = {.kind = "internetaak",
                        .status = st,
                        .actor = actorv,
                        .parent = kcv,
                        .ref = str_param(rq, "referentienummer"),
                        .parent_ref = str_param(rq, "klantcontact__referentienummer")};
    respond_list(a, origin, rq, &f, 0, out);
}

static void list_actoren(casesvc_api *a, const char *origin, const casesvc_request *rq,
                         casesvc_response *out)
{
    casesvc_filter f = {.kind = "actor"};
    respond_list(a, origin, rq, &f, 0, out);
}

/* ---- routing ---- */

typedef enum { R_NONE, R_MAAK, R_KC, R_DA, R_TAAK, R_ACTOR, R_BT, R_SCHEMA } route_kind;

static void not_found(casesvc_response *out, const char *origin)
{
    respond_problem(out, origin, 404, "NotFound", "not_found", "Niet gevonden.", "Niet gevonden.");
}

/* Tokens: "Authorization: Token <key>"; the token's role into *role. */
static bool authorised(casesvc_api *a, const char *h, casesvc_role *role)
{
    if (!h || strncmp(h, "Token ", 6) != 0)
        return false;
    h += 6;
    while (*h == ' ')
        h++;
    return casesvc_tokens_check(a->tokens, h, role) != NULL;
}

/* What a kiosk's token may do (a kiosk stands in a public space): what its uplink does — make a
 * contact, an address and a task, close a task, and look up its own records by their reference
 * (never a list of everyone's). */
static bool kiosk_may(route_kind route, const char *id, bool is_get, bool is_post, bool is_patch,
                      const casesvc_request *rq)
{
    switch (route) {
    case R_MAAK:
        return is_post;
    case R_KC:
        return is_get && !id && str_param(rq, "referentienummer");
    case R_DA:
        return !id && (is_post || (is_get && str_param(rq, "referentie")));
    case R_TAAK:
        return id ? is_patch : is_post || (is_get && str_param(rq, "referentienummer"));
    default:
        return false;
    }
}

void casesvc_api_handle(casesvc_api *a, const casesvc_request *rq, casesvc_response *out)
{
    memset(out, 0, sizeof *out);
    validation_store_failed = false;
    char origin[256];
    origin_of(a, origin, sizeof origin);
    const char *path = rq->path ? rq->path : "";
    const char *method = rq->method ? rq->method : "";
    size_t blen = strlen(CASESVC_API_BASE);
    if (strncmp(path, CASESVC_API_BASE, blen) != 0 || path[blen] != '/') {
        not_found(out, origin);
        return;
    }
    char rest[512];
    snprintf(rest, sizeof rest, "%s", path + blen + 1);
    size_t rl = strlen(rest);
    if (rl && rest[rl - 1] == '/')
        rest[--rl] = '\0';
    char *slash = strchr(rest, '/');
    char *id = NULL;
    if (slash) {
        *slash = '\0';
        id = slash + 1;
    }
    route_kind route = R_NONE;
    const char *allow = NULL;
    if (strcmp(rest, "schema") == 0 && id && strcmp(id, "openapi.yaml") == 0) {
        route = R_SCHEMA;
        allow = "GET";
    } else if (id && (strchr(id, '/') || !is_uuid(id))) {
        route = R_NONE;
    } else if (strcmp(rest, "maak-klantcontact") == 0 && !id) {
        route = R_MAAK;
        allow = "POST";
    } else if (strcmp(rest, "klantcontacten") == 0) {
        route = R_KC;
        allow = "GET";
    } else if (strcmp(rest, "digitaleadressen") == 0) {
        route = R_DA;
        allow = id ? "GET" : "GET, POST";
    } else if (strcmp(rest, "internetaken") == 0) {
        route = R_TAAK;
        allow = id ? "GET, PATCH" : "GET, POST";
    } else if (strcmp(rest, "actoren") == 0) {
        route = R_ACTOR;
        allow = "GET";
    } else if (strcmp(rest, "betrokkenen") == 0 && id) {
        route = R_BT;
        allow = "GET";
    }
    if (route == R_NONE) {
        not_found(out, origin);
        return;
    }
    if (route == R_SCHEMA) {
        if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
            respond_problem(out, origin, 405, "MethodNotAllowed", "method_not_allowed",
                            "Methode niet toegestaan.", method);
            out->allow = allow;
        } else if (!a->openapi) {
            not_found(out, origin);
        } else {
            out->status = 200;
            out->content_type = "application/yaml";
            out->body = strdup(a->openapi);
        }
        return;
    }
    casesvc_role role = CASESVC_ROLE_KIOSK;
    if (!authorised(a, rq->authorization, &role)) {
        respond_problem(out, origin, 401, "NotAuthenticated", "not_authenticated",
                        "Authenticatiegegevens zijn niet opgegeven of ongeldig.",
                        "Geef een geldige 'Authorization: Token <sleutel>' header mee.");
        return;
    }
    bool is_get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    bool is_post = strcmp(method, "POST") == 0, is_patch = strcmp(method, "PATCH") == 0;
    bool allowed = (is_get && strstr(allow, "GET")) || (is_post && strstr(allow, "POST")) ||
                   (is_patch && strstr(allow, "PATCH"));
    if (!allowed) {
        char detail[128];
        snprintf(detail, sizeof detail, "Methode \"%.20s\" niet toegestaan.", method);
        respond_problem(out, origin, 405, "MethodNotAllowed", "method_not_allowed",
                        "Methode niet toegestaan.", detail);
        out->allow = allow;
        return;
    }
    if (role != CASESVC_ROLE_DESK && !kiosk_may(route, id, is_get, is_post, is_patch, rq)) {
        respond_problem(out, origin, 403, "PermissionDenied", "permission_denied",
                        "U heeft geen toestemming om deze actie uit te voeren.",
                        "Een kiosktoken mag alleen: POST maak-klantcontact, POST digitaleadressen, "
                        "POST internetaken, PATCH internetaken/{uuid}, GET klantcontacten met "
                        "referentienummer, GET digitaleadressen met referentie, GET internetaken "
                        "met referentienummer en het schema.");
        return;
    }
    char uuid[37] = "";
    if (id)
        lower_uuid(id, uuid);
    if (is_get) {
        if (id) {
            static const char *const kinds[] = {[R_KC] = "klantcontact",
                                                [R_DA] = "digitaaladres",
                                                [R_TAAK] = "internetaak",
                                                [R_ACTOR] = "actor",
                                                [R_BT] = "betrokkene"};
            unsigned expand = 0;
            if (route == R_KC) {
                static const char *const names[] = {
                    "hadBetrokkenen",        "hadBetrokkenen.digitaleAdressen",
                    "leiddeTotInterneTaken", "gingOverOnderwerpobjecten",
                    "omvatteBijlagen",       "hadBetrokkenen.wasPartij"};
                static const unsigned bits[] = {X_BETROKKENEN, X_BETROKKENEN | X_BETROKKENEN_DA,
                                                X_TAKEN,       X_ONDERWERPOBJECTEN,
                                                X_BIJLAGEN,    X_BETROKKENEN | X_WASPARTIJ};
                json_t *errs = json_array();
                if (!parse_expand(rq, names, bits, N(names), &expand, errs)) {
                    respond_invalid(out, origin, errs);
                    return;
                }
                json_decref(errs);
            }
            json_t *j = get_one(a, origin, kinds[route], uuid, expand);
            if (!j)
                not_found(out, origin);
            else
                respond_json(out, 200, j);
            return;
        }
        if (route == R_KC)
            list_klantcontacten(a, origin, rq, out);
        else if (route == R_DA)
            list_adressen(a, origin, rq, out);
        else if (route == R_TAAK)
            list_taken(a, origin, rq, out);
        else
            list_actoren(a, origin, rq, out);
        return;
    }
    /* POST and PATCH carry a JSON body */
    if (rq->body_too_large) {
        char detail[128];
        snprintf(detail, sizeof detail, "De inhoud is groter dan %d bytes.", CASESVC_MAX_BODY);
        respond_problem(out, origin, 413, "RequestEntityTooLarge", "too_large",
                        "De inhoud van het verzoek is te groot.", detail);
        return;
    }
    if (!is_json_type(rq->content_type)) {
        char detail[160];
        snprintf(detail, sizeof detail, "Ongeldige media type \"%.60s\" in aanvraag.",
                 rq->content_type ? rq->content_type : "");
        utf8_clean(detail);
        respond_problem(out, origin, 415, "UnsupportedMediaType", "unsupported_media_type",
                        "Ongeldig mediatype.", detail);
        return;
    }
    json_t *body = body_object(origin, rq, out);
    if (!body)
        return;
    if (route == R_MAAK)
        post_maak(a, origin, body, out);
    else if (route == R_DA)
        post_adres(a, origin, body, out);
    else if (route == R_TAAK && is_post)
        post_taak(a, origin, body, out);
    else
        patch_taak(a, origin, uuid, body, out);
    json_decref(body);
}

void casesvc_response_free(casesvc_response *r)
{
    free_wiped(r->body);
    r->body = NULL;
}

int casesvc_api_validate_only(const char *op, const char *body, size_t len)
{
    json_t *j = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_object(j)) {
        json_decref(j);
        return -1;
    }
    json_t *errs = NULL;
    if (strcmp(op, "maak-klantcontact") == 0) {
        maak_input in;
        errs = validate_maak(NULL, j, &in);
        maak_free(&in);
    } else if (strcmp(op, "digitaleadressen") == 0) {
        json_t *norm;
        char bt[37];
        errs = validate_adres(NULL, j, &norm, bt);
        json_decref(norm);
    } else if (strcmp(op, "internetaken") == 0) {
        taak_input in;
        errs = validate_taak(NULL, j, &in);
        json_decref(in.norm);
        free(in.actors);
    } else {
        json_t *changes = json_object();
        errs = json_array();
        check_fields(errs, "", j, F_INTERNETAAK_PATCH, N(F_INTERNETAAK_PATCH), true, changes);
        json_decref(changes);
    }
    int n = (int)json_array_size(errs);
    /* every entry has a name, a code and a reason */
    for (size_t i = 0; i < json_array_size(errs); i++) {
        json_t *e = json_array_get(errs, i);
        if (!json_is_string(json_object_get(e, "name")) ||
            !json_is_string(json_object_get(e, "code")) ||
            !json_is_string(json_object_get(e, "reason")))
            abort();
    }
    json_decref(errs);
    json_decref(j);
    return n;
}
