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

static void lines_add(lines *l, const char *line)
{
    size_t lc = intake_utf8_chars(line) + (l->len ? 1 : 0);
    /* room for the closing "(… N more)" line */
    if (l->dropped || l->chars + lc + 40 > l->max_chars) {
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
        char more[64];
        snprintf(more, sizeof more, "(... en nog %d regel(s): zie de zuil-bon)", l->dropped);
        l->dropped = 0;
        l->max_chars += 64; /* the closing line always fits: room was kept for it */
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
    for (int i = 0; i < e->n_questions; i++) {
        if (j->answers[i] < 0)
            continue;
        char ans[256];
        phrase_answer(LANG_NL, &e->questions[i], j->answers[i], j->dates[i], ans, sizeof ans);
        snprintf(buf, sizeof buf, "%s %s", ltext_get(&e->questions[i].text, LANG_NL), ans);
        lines_add(&inhoud, buf);
    }
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
    char signals[METADATA_MAX * 4] = "";
    for (int k = 0; k < ov.n_signals; k++) {
        size_t used = strlen(signals);
        snprintf(signals + used, sizeof signals - used, "%s%s", used ? "," : "",
                 overview_signal_id(c, e, &ov.signals[k]));
    }
    lines_finish(&reactie);
    explicit_bzero(&ov, sizeof ov);

    static const char *const iso639_2b[LANG_COUNT] = {
        [LANG_NL] = "nld", [LANG_EN] = "eng", [LANG_TR] = "tur",
        [LANG_AR] = "ara", [LANG_PL] = "pol", [LANG_UK] = "ukr"};
    static const char *const contact_names[] = {"geen", "terugbellen", "e-mail", "balie"};

    json_t *meta = json_object(), *kc = json_object(), *bt = json_object(), *mk = json_object(),
           *env = json_object();
    snprintf(buf, sizeof buf, "%s (zelfbedieningszuil)", ltext_get(&e->title, LANG_NL));
    bool ok =
        meta && kc && bt && mk && env &&
        set_new(meta, "zuil", fitted(in->kiosk_id, METADATA_MAX)) &&
        set_new(meta, "locatie", fitted(in->site_name, METADATA_MAX)) &&
        set_new(meta, "intake", fitted(in->intake_id, METADATA_MAX)) &&
        set_new(meta, "levensgebeurtenis", fitted(e->id, METADATA_MAX)) &&
        set_new(meta, "toestemming", fitted(consent_ids, METADATA_MAX)) &&
        set_new(meta, "signalen", fitted(signals, METADATA_MAX)) &&
        set_new(meta, "contactvoorkeur", json_string(contact_names[in->contact])) &&
        set_new(kc, "kanaal", json_string("zelfbedieningszuil")) &&
        set_new(kc, "onderwerp", fitted(buf, ONDERWERP_MAX)) &&
        set_new(kc, "inhoud", json_string(inhoud.s ? inhoud.s : "")) &&
        set_new(kc, "reactie", json_string(reactie.s ? reactie.s : "")) &&
        set_new(kc, "indicatieContactGelukt", json_true()) &&
        set_new(kc, "taal", json_string(iso639_2b[j->lang])) &&
        set_new(kc, "vertrouwelijk", json_true()) &&
        set_new(kc, "plaatsgevondenOp", json_string(in->when)) &&
        set_new(kc, "referentienummer", json_string(j->reference)) &&
        set_new(kc, "metadata", json_incref(meta)) && set_new(bt, "rol", json_string("klant")) &&
        set_new(bt, "initiator", json_true()) && set_new(mk, "klantcontact", json_incref(kc)) &&
        set_new(mk, "betrokkene", json_incref(bt)) && set_new(env, "version", json_integer(1)) &&
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
             set_new(meta, "naambron", json_string("ID-kaart via zuil, echtheid gecontroleerd"));
        json_decref(cn);
    }
    if (ok && (in->contact == CONTACT_CALLBACK || in->contact == CONTACT_EMAIL)) {
        json_t *da = json_object();
        char ref[64];
        snprintf(ref, sizeof ref, "loket-%s", j->reference);
        ok = da && set_new(da, "adres", json_string(phone[0] ? phone : in->contact_detail)) &&
             set_new(da, "soortDigitaalAdres",
                     json_string(in->contact == CONTACT_CALLBACK ? "telefoonnummer" : "email")) &&
             set_new(da, "omschrijving",
                     json_string(in->contact == CONTACT_CALLBACK ? "Terugbelverzoek via zuil"
                                                                 : "E-mail via zuil")) &&
             set_new(da, "referentie", json_string(ref)) && set_new(env, "digitaal_adres", da);
    }
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
