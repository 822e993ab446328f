#include "intake/intake.h"

#include <jansson.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/overview.h"
#include "core/i18n.h"
#include "core/phrases.h"
#include "core/refnum.h"

#define ONDERWERP_MAX 200
#define INHOUD_MAX 1000
#define REACTIE_MAX 4000
#define METADATA_MAX 255
#define CONTACTNAAM_MAX 200 /* voornaam, achternaam */

size_t intake_utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

/* The byte length of the first `chars` characters of s. */
static size_t utf8_prefix(const char *s, size_t chars)
{
    size_t i = 0, c = 0;
    while (s[i]) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (c == chars)
                break;
            c++;
        }
        i++;
    }
    return i;
}

/* A growing text of lines that stops, at a line boundary, before `max` characters, and then
 * says how many lines were left out. */
typedef struct {
    char *s;
    size_t len, cap, max_chars, chars;
    int dropped;
} lines;

#define CLOSING_LINE "(... en nog %d regel(s): zie de zuil-bon)"
/* the closing line with the longest count, and the newline before it */
#define CLOSING_ROOM (sizeof CLOSING_LINE - 2 + 10 + 1)

static void lines_add(lines *l, const char *line)
{
    size_t lc = intake_utf8_chars(line) + (l->len ? 1 : 0);
    /* room for the closing "(… N more)" line, whatever N */
    if (l->dropped || l->chars + lc + CLOSING_ROOM > l->max_chars) {
        l->dropped++;
        return;
    }
    size_t lb = strlen(line);
    if (l->len + lb + 2 > l->cap) {
        size_t cap = (l->len + lb + 2) * 2;
        char *n = realloc(l->s, cap);
        if (!n) {
            l->dropped++;
            return;
        }
        l->s = n;
        l->cap = cap;
    }
    if (l->len)
        l->s[l->len++] = '\n';
    memcpy(l->s + l->len, line, lb + 1);
    l->len += lb;
    l->chars += lc;
}

static void lines_finish(lines *l)
{
    if (l->dropped) {
        char more[CLOSING_ROOM + 1];
        snprintf(more, sizeof more, CLOSING_LINE, l->dropped);
        l->dropped = 0;
        l->max_chars += CLOSING_ROOM; /* the closing line fits in the room kept for it */
        lines_add(l, more);
    }
}

static void lines_free(lines *l)
{
    if (l->s) {
        explicit_bzero(l->s, l->cap);
        free(l->s);
    }
}

/* A text cut to `max` characters (with an ellipsis when cut). */
static json_t *fitted(const char *s, size_t max)
{
    if (intake_utf8_chars(s) <= max)
        return json_string(s);
    size_t b = utf8_prefix(s, max - 3);
    char *t = malloc(b + 4);
    if (!t)
        return NULL;
    memcpy(t, s, b);
    memcpy(t + b, "...", 4);
    json_t *j = json_string(t);
    explicit_bzero(t, b);
    free(t);
    return j;
}

uint64_t intake_overview_orgs(const content *c, const journey *j)
{
    if (!c || j->event < 0 || j->event >= c->n_events)
        return 0;
    overview ov;
    overview_build(&c->events[j->event], j->answers, j->dates, j->today, &ov);
    uint64_t mask = 0;
    for (int g = 0; g < ov.n_groups; g++)
        if (ov.groups[g].org >= 0 && ov.groups[g].org < 64)
            mask |= 1ull << ov.groups[g].org;
    explicit_bzero(&ov, sizeof ov);
    return mask;
}

bool intake_email_valid(const char *e)
{
    const char *at = strchr(e, '@');
    size_t n = strlen(e);
    if (!at || at == e || strchr(at + 1, '@') || intake_utf8_chars(e) > 80)
        return false;
    const char *dot = strrchr(at, '.');
    /* a domain with a dot, not at its start or end, and no empty labels */
    return dot && dot > at + 1 && dot[1] && !strstr(at, "..") && e[n - 1] != '.' && e[0] != '.';
}

bool intake_phone_valid(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    for (const char *p = in; *p; p++) {
        if (*p == ' ' || *p == '-')
            continue;
        if (!((*p >= '0' && *p <= '9') || (*p == '+' && n == 0)) || n + 1 >= cap)
            return false;
        out[n++] = *p;
    }
    out[n] = '\0';
    size_t digits = out[0] == '+' ? n - 1 : n;
    if (out[0] == '+')
        return digits >= 9 && digits <= 15;
    if (n >= 2 && out[0] == '0' && out[1] == '0')
        return digits >= 9 && digits <= 15;
    return n == 10 && out[0] == '0' && out[1] != '0';
}

/* jansson frees its strings without wiping them; these are a citizen's answers. */
static void *wiping_malloc(size_t n)
{
    return malloc(n);
}

static void wiping_free(void *p)
{
    if (p) {
        explicit_bzero(p, malloc_usable_size(p));
        free(p);
    }
}

static void set_wiping_allocator(void)
{
    json_set_alloc_funcs(wiping_malloc, wiping_free);
}

void intake_json_wipe_on_free(void)
{
    /* once, before any thread uses jansson with it: the setting is process-wide */
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, set_wiping_allocator);
}

static bool set_new(json_t *o, const char *k, json_t *v)
{
    return v && json_object_set_new(o, k, v) == 0;
}

static const char *const ISO639_2B[LANG_COUNT] = {
    [LANG_NL] = "nld", [LANG_EN] = "eng", [LANG_TR] = "tur",
    [LANG_AR] = "ara", [LANG_PL] = "pol", [LANG_UK] = "ukr"};

/* The questions answered and their answers, in Dutch, a line each. */
static void add_answers(lines *l, const life_event *e, const journey *j)
{
    char ans[256], line[1024];
    for (int i = 0; i < e->n_questions; i++) {
        if (j->answers[i] < 0)
            continue;
        phrase_answer(LANG_NL, &e->questions[i], j->answers[i], j->dates[i], ans, sizeof ans);
        snprintf(line, sizeof line, "%s %s", ltext_get(&e->questions[i].text, LANG_NL), ans);
        lines_add(l, line);
    }
    explicit_bzero(ans, sizeof ans);
    explicit_bzero(line, sizeof line);
}

/* The ids of the early signals that fired, separated by commas. */
static void signal_ids(const content *c, const life_event *e, const overview *ov, char *out,
                       size_t cap)
{
    out[0] = '\0';
    for (int k = 0; k < ov->n_signals; k++) {
        size_t used = strlen(out);
        snprintf(out + used, cap - used, "%s%s", used ? "," : "",
                 overview_signal_id(c, e, &ov->signals[k]));
    }
}

/* The fields every klantcontact from the kiosk has. */
static bool klantcontact_fields(json_t *kc, const char *onderwerp, const lines *inhoud,
                                lang_id lang, const char *when, const char *reference, json_t *meta)
{
    return set_new(kc, "kanaal", json_string("zelfbedieningszuil")) &&
           set_new(kc, "onderwerp", fitted(onderwerp, ONDERWERP_MAX)) &&
           set_new(kc, "inhoud", json_string(inhoud->s ? inhoud->s : "")) &&
           set_new(kc, "indicatieContactGelukt", json_true()) &&
           set_new(kc, "taal", json_string(ISO639_2B[lang])) &&
           set_new(kc, "vertrouwelijk", json_true()) &&
           set_new(kc, "plaatsgevondenOp", json_string(when)) &&
           set_new(kc, "referentienummer", json_string(reference)) &&
           set_new(kc, "metadata", json_incref(meta));
}

/* A phone number or e-mail address for the case register, found again by its referentie. */
static json_t *digitaal_adres(const char *adres, bool phone, const char *number)
{
    char ref[64];
    snprintf(ref, sizeof ref, "loket-%s", number);
    return json_pack("{s:s, s:s, s:s, s:s}", "adres", adres, "soortDigitaalAdres",
                     phone ? "telefoonnummer" : "email", "omschrijving",
                     phone ? "Terugbelverzoek via zuil" : "E-mail via zuil", "referentie", ref);
}

char *intake_envelope(const intake_input *in, char *err, size_t errcap)
{
    intake_json_wipe_on_free();
    const content *c = in->c;
    const journey *j = in->j;
    if (!c || j->event < 0 || j->event >= c->n_events) {
        snprintf(err, errcap, "no life event chosen");
        return NULL;
    }
    if (!refnum_valid(j->reference, NULL)) {
        snprintf(err, errcap, "the intake has no valid reference number");
        return NULL;
    }
    uint64_t consent = in->consent & intake_overview_orgs(c, j);
    if (!consent) {
        snprintf(err, errcap, "no organisation ticked: nothing may be shared");
        return NULL;
    }
    char phone[32] = "";
    if (in->contact == CONTACT_CALLBACK &&
        !(in->contact_detail && intake_phone_valid(in->contact_detail, phone, sizeof phone))) {
        snprintf(err, errcap, "a call-back needs a valid phone number");
        return NULL;
    }
    if (in->contact == CONTACT_EMAIL &&
        !(in->contact_detail && intake_email_valid(in->contact_detail))) {
        snprintf(err, errcap, "an e-mail contact needs a valid address of at most 80 characters");
        return NULL;
    }
    const life_event *e = &c->events[j->event];
    char buf[1024];

    /* inhoud: the questions and answers, in Dutch */
    lines inhoud = {.max_chars = INHOUD_MAX};
    add_answers(&inhoud, e, j);
    lines_finish(&inhoud);

    /* reactie: the overview given, for the organisations the citizen ticked */
    overview ov;
    overview_build(e, j->answers, j->dates, j->today, &ov);
    overview_signals(c, e, j->answers, &ov);
    lines reactie = {.max_chars = REACTIE_MAX};
    char consent_ids[METADATA_MAX * 4] = "";
    for (int g = 0; g < ov.n_groups; g++) {
        int org = ov.groups[g].org;
        if (org < 0 || org >= 64 || !(consent >> org & 1))
            continue;
        const organisation *o = &c->orgs[org];
        lines_add(&reactie, ltext_get(&o->name, LANG_NL));
        size_t used = strlen(consent_ids);
        snprintf(consent_ids + used, sizeof consent_ids - used, "%s%s", used ? "," : "", o->id);
        for (int i = 0; i < ov.groups[g].n_items; i++) {
            const overview_item *it = &ov.groups[g].items[i];
            char when[256];
            phrase_deadline(LANG_NL, e, it, when, sizeof when);
            snprintf(buf, sizeof buf, "- %s%s%s", ltext_get(&e->tasks[it->task].text, LANG_NL),
                     when[0] ? " " : "", when);
            lines_add(&reactie, buf);
        }
    }
    char signals[METADATA_MAX * 4];
    signal_ids(c, e, &ov, signals, sizeof signals);
    lines_finish(&reactie);
    explicit_bzero(&ov, sizeof ov);

    static const char *const contact_names[] = {"geen", "terugbellen", "e-mail", "balie"};

    json_t *meta = json_object(), *kc = json_object(), *bt = json_object(), *mk = json_object(),
           *env = json_object();
    snprintf(buf, sizeof buf, "%s (zelfbedieningszuil)", ltext_get(&e->title, LANG_NL));
    bool ok = meta && kc && bt && mk && env &&
              set_new(meta, "zuil", fitted(in->kiosk_id, METADATA_MAX)) &&
              set_new(meta, "locatie", fitted(in->site_name, METADATA_MAX)) &&
              set_new(meta, "intake", fitted(in->intake_id, METADATA_MAX)) &&
              set_new(meta, "levensgebeurtenis", fitted(e->id, METADATA_MAX)) &&
              set_new(meta, "toestemming", fitted(consent_ids, METADATA_MAX)) &&
              set_new(meta, "signalen", fitted(signals, METADATA_MAX)) &&
              set_new(meta, "contactvoorkeur", json_string(contact_names[in->contact])) &&
              klantcontact_fields(kc, buf, &inhoud, j->lang, in->when, j->reference, meta) &&
              set_new(kc, "reactie", json_string(reactie.s ? reactie.s : "")) &&
              set_new(bt, "rol", json_string("klant")) && set_new(bt, "initiator", json_true()) &&
              set_new(mk, "klantcontact", json_incref(kc)) &&
              set_new(mk, "betrokkene", json_incref(bt)) &&
              set_new(env, "version", json_integer(1)) &&
              set_new(env, "reference", json_string(j->reference)) &&
              set_new(env, "maak_klantcontact", json_incref(mk));
    bool named = (in->given && in->given[0]) || (in->surname && in->surname[0]);
    if (ok && named) {
        json_t *cn = json_object();
        ok = cn &&
             (!in->given || !in->given[0] ||
              set_new(cn, "voornaam", fitted(in->given, CONTACTNAAM_MAX))) &&
             (!in->surname || !in->surname[0] ||
              set_new(cn, "achternaam", fitted(in->surname, CONTACTNAAM_MAX))) &&
             set_new(bt, "contactnaam", json_incref(cn)) &&
             set_new(meta, "naambron",
                     json_string(in->name_typed ? "Ingetypt door de burger op de zuil, niet "
                                                  "gecontroleerd"
                                                : "ID-kaart via zuil, echtheid gecontroleerd"));
        json_decref(cn);
    }
    /* a cut number would be another pass's: one longer than a metadata value is left out */
    if (ok && in->library_number && in->library_number[0] &&
        intake_utf8_chars(in->library_number) <= METADATA_MAX)
        ok = set_new(meta, "bibliotheekpas", json_string(in->library_number));
    if (ok && (in->contact == CONTACT_CALLBACK || in->contact == CONTACT_EMAIL))
        ok = set_new(env, "digitaal_adres",
                     digitaal_adres(phone[0] ? phone : in->contact_detail,
                                    in->contact == CONTACT_CALLBACK, j->reference));
    char *out = ok ? json_dumps(env, JSON_COMPACT) : NULL;
    if (!out)
        snprintf(err, errcap, "the intake could not be put together (out of memory)");
    json_decref(meta);
    json_decref(kc);
    json_decref(bt);
    json_decref(mk);
    json_decref(env);
    lines_free(&inhoud);
    lines_free(&reactie);
    explicit_bzero(phone, sizeof phone);
    explicit_bzero(buf, sizeof buf);
    return out;
}

void intake_handoff_code(const char *number, char out[5])
{
    size_t n = number ? strlen(number) : 0;
    snprintf(out, 5, "%s", n >= 4 ? number + n - 4 : "");
}

/* Where the citizen was, in words for the employee. */
static void where_asked(const content *c, const journey *j, char *buf, size_t cap)
{
    const life_event *e =
        c && j->event >= 0 && j->event < c->n_events ? &c->events[j->event] : NULL;
    switch (j->screen) {
    case SCREEN_WELCOME:
        snprintf(buf, cap, "het beginscherm");
        break;
    case SCREEN_EVENTS:
        snprintf(buf, cap, "kiezen wat er is gebeurd");
        break;
    case SCREEN_QUESTION:
        if (e && j->question >= 0 && j->question < e->n_questions)
            snprintf(buf, cap, "de vraag \"%s\"",
                     ltext_get(&e->questions[j->question].text, LANG_NL));
        else
            snprintf(buf, cap, "een vraag");
        break;
    case SCREEN_OVERVIEW:
        snprintf(buf, cap, "het overzicht");
        break;
    case SCREEN_NEXT_STEP:
        snprintf(buf, cap, "\"wat nu?\" (na het overzicht)");
        break;
    case SCREEN_CONSENT:
    case SCREEN_CONTACT:
    case SCREEN_PHONE:
    case SCREEN_EMAIL:
    case SCREEN_SUMMARY:
        snprintf(buf, cap, "het doorsturen van het verhaal naar de gemeente");
        break;
    case SCREEN_CARD_CAN:
    case SCREEN_CARD_READING:
    case SCREEN_CARD_CONFIRM:
    case SCREEN_CARD_MRZ_NUMBER:
    case SCREEN_CARD_MRZ_BIRTH:
    case SCREEN_CARD_MRZ_EXPIRY:
        snprintf(buf, cap, "het lezen van de ID-kaart");
        break;
    case SCREEN_NAME_GIVEN:
    case SCREEN_NAME_SURNAME:
        snprintf(buf, cap, "het intypen van de naam");
        break;
    case SCREEN_OUT_OF_ORDER:
        snprintf(buf, cap, "een zuil die buiten gebruik is");
        break;
    case SCREEN_GOODBYE:
        snprintf(buf, cap, "het afscheidsscherm");
        break;
    default:
        snprintf(buf, cap, "scherm \"%s\"", screen_name(j->screen));
        break;
    }
}

char *intake_handoff_envelope(const handoff_input *in, char *err, size_t errcap)
{
    intake_json_wipe_on_free();
    const content *c = in->c;
    const journey *j = in->j;
    if (!in->number || !refnum_valid(in->number, NULL)) {
        snprintf(err, errcap, "the hand-off has no valid reference number");
        return NULL;
    }
    if (!in->team || strlen(in->team) != 36) {
        snprintf(err, errcap, "no team to hand over to (handoff.team: the team actor's uuid)");
        return NULL;
    }
    char phone[32] = "";
    if (in->kind == HANDOFF_CALLBACK &&
        !(in->phone && intake_phone_valid(in->phone, phone, sizeof phone))) {
        snprintf(err, errcap, "a call-back needs a valid phone number");
        return NULL;
    }
    const life_event *e =
        c && j->event >= 0 && j->event < c->n_events ? &c->events[j->event] : NULL;
    uint64_t consent = e ? in->consent & intake_overview_orgs(c, j) : 0;
    static const char *const lang_nl[LANG_COUNT] = {
        [LANG_NL] = "Nederlands", [LANG_EN] = "Engels", [LANG_TR] = "Turks",
        [LANG_AR] = "Arabisch",   [LANG_PL] = "Pools",  [LANG_UK] = "Oekraïens"};
    const char *place = in->place && in->place[0] ? in->place : in->kiosk_id;
    char code[5], buf[1024], where[512], what[160], grouped[24];
    intake_handoff_code(in->number, code);
    where_asked(c, j, where, sizeof where);
    const char *event_nl = e ? ltext_get(&e->title, LANG_NL) : "nog niet gekozen";

    /* the taak: short, for the desk's list */
    if (in->kind == HANDOFF_CALLBACK)
        snprintf(what, sizeof what, "Terugbelverzoek via %s", place);
    else
        snprintf(what, sizeof what, "Warm overdracht: inwoner wacht bij %s", place);
    lines toel = {.max_chars = 1000};
    snprintf(buf, sizeof buf, "Herkenningsnummer %s. Gevraagd om %s.", code,
             in->asked_at ? in->asked_at : "?");
    lines_add(&toel, buf);
    snprintf(buf, sizeof buf, "Levensgebeurtenis: %s.", event_nl);
    lines_add(&toel, buf);
    snprintf(buf, sizeof buf, "Gevraagd bij: %s.", where);
    lines_add(&toel, buf);
    snprintf(buf, sizeof buf, "Taal van de inwoner: %s.", lang_nl[j->lang]);
    lines_add(&toel, buf);
    if (refnum_valid(j->reference, NULL)) {
        snprintf(buf, sizeof buf, "Nummer van de bon: %s.",
                 refnum_group(j->reference, grouped, sizeof grouped));
        lines_add(&toel, buf);
    }
    lines_finish(&toel);

    /* the klantcontact: what happened at the kiosk; the answers only with consent */
    lines inhoud = {.max_chars = INHOUD_MAX};
    snprintf(buf, sizeof buf, "%s bij %s (%s). Gevraagd bij: %s.",
             in->kind == HANDOFF_CALLBACK ? "De inwoner vraagt om teruggebeld te worden"
                                          : "De inwoner vraagt een medewerker om hulp",
             place, in->site_name ? in->site_name : "", where);
    lines_add(&inhoud, buf);
    char signals[METADATA_MAX * 4] = "";
    if (consent) {
        add_answers(&inhoud, e, j);
        overview ov;
        overview_build(e, j->answers, j->dates, j->today, &ov);
        overview_signals(c, e, j->answers, &ov);
        signal_ids(c, e, &ov, signals, sizeof signals);
        explicit_bzero(&ov, sizeof ov);
    } else if (e) {
        lines_add(&inhoud, "De antwoorden zijn niet meegestuurd: de inwoner heeft (nog) geen "
                           "toestemming gegeven. Vraag het ter plekke.");
    }
    lines_finish(&inhoud);

    json_t *meta = json_object(), *kc = json_object(), *bt = json_object(), *mk = json_object(),
           *env = json_object(), *taak = json_object();
    snprintf(buf, sizeof buf, "%s: %s (zelfbedieningszuil)",
             in->kind == HANDOFF_CALLBACK ? "Terugbelverzoek" : "Warm overdracht", event_nl);
    bool ok =
        meta && kc && bt && mk && env && taak &&
        set_new(meta, "zuil", fitted(in->kiosk_id, METADATA_MAX)) &&
        set_new(meta, "locatie", fitted(in->site_name ? in->site_name : "", METADATA_MAX)) &&
        set_new(meta, "intake", fitted(in->intake_id, METADATA_MAX)) &&
        set_new(
            meta, "soort",
            json_string(in->kind == HANDOFF_CALLBACK ? "terugbelverzoek" : "warme overdracht")) &&
        set_new(meta, "herkenningsnummer", json_string(code)) &&
        set_new(meta, "levensgebeurtenis", fitted(e ? e->id : "", METADATA_MAX)) &&
        set_new(meta, "bon", json_string(refnum_valid(j->reference, NULL) ? j->reference : "")) &&
        (!consent || set_new(meta, "signalen", fitted(signals, METADATA_MAX))) &&
        klantcontact_fields(kc, buf, &inhoud, j->lang, in->when, in->number, meta) &&
        set_new(bt, "rol", json_string("klant")) && set_new(bt, "initiator", json_true()) &&
        set_new(mk, "klantcontact", json_incref(kc)) &&
        set_new(mk, "betrokkene", json_incref(bt)) &&
        set_new(taak, "gevraagdeHandeling", fitted(what, 200)) &&
        set_new(taak, "toelichting", json_string(toel.s ? toel.s : "")) &&
        set_new(taak, "status", json_string("te_verwerken")) &&
        set_new(taak, "referentienummer", json_string(in->number)) &&
        set_new(taak, "toegewezenAanActoren", json_pack("[{s:s}]", "uuid", in->team)) &&
        set_new(env, "version", json_integer(1)) &&
        set_new(env, "reference", json_string(in->number)) &&
        set_new(env, "maak_klantcontact", json_incref(mk)) &&
        set_new(env, "internetaak", json_incref(taak));
    if (ok && in->kind == HANDOFF_CALLBACK)
        ok = set_new(env, "digitaal_adres", digitaal_adres(phone, true, in->number));
    char *out = ok ? json_dumps(env, JSON_COMPACT) : NULL;
    if (!out)
        snprintf(err, errcap, "the hand-off could not be put together (out of memory)");
    json_decref(meta);
    json_decref(kc);
    json_decref(bt);
    json_decref(mk);
    json_decref(taak);
    json_decref(env);
    lines_free(&inhoud);
    lines_free(&toel);
    explicit_bzero(phone, sizeof phone);
    explicit_bzero(buf, sizeof buf);
    explicit_bzero(where, sizeof where);
    return out;
}

char *intake_task_close_envelope(const char *number, const char *note, const char *when, char *err,
                                 size_t errcap)
{
    if (!number || !refnum_valid(number, NULL)) {
        snprintf(err, errcap, "no valid reference number of the task to close");
        return NULL;
    }
    json_t *env = json_pack("{s:i, s:s, s:{s:s, s:s, s:s}}", "version", 1, "reference", number,
                            "taak_afsluiten", "status", "verwerkt", "afgehandeldOp", when,
                            "notitie", note ? note : "");
    char *out = env ? json_dumps(env, JSON_COMPACT) : NULL;
    json_decref(env);
    if (!out)
        snprintf(err, errcap, "out of memory");
    return out;
}
