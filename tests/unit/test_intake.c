/* The intake envelope: the Klantinteracties request bodies built from a journey, the consent
 * and the contact preference; fitted to the API's limits for every answer path of the shipped
 * content.
 *
 * usage: test_intake CONTENT_DIR [BODIES_OUT_DIR]
 * With BODIES_OUT_DIR, writes sample request bodies there for the schema conformance test. */
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "content/flow.h"
#include "core/refnum.h"
#include "intake/intake.h"

static const char *CONTENT_DIR, *BODIES;
static content *C;

static journey gerard(void)
{
    journey j = {
        .event = content_find_event(C, "moving"), .lang = LANG_NL, .today = {2026, 11, 28}};
    for (int i = 0; i < CONTENT_MAX_QUESTIONS; i++)
        j.answers[i] = -1;
    const life_event *e = &C->events[j.event];
    /* moving on 15 December, renting, low income, with children */
    for (int q = flow_next_question(e, j.answers, 0); q < e->n_questions;
         q = flow_next_question(e, j.answers, q + 1)) {
        j.answers[q] = e->questions[q].kind == QUESTION_CHOICE ? 0 : 0; /* yes / known / first */
        if (e->questions[q].kind == QUESTION_DATE)
            j.dates[q] = (civil_date){2026, 12, 15};
    }
    refnum_make(1, 12, j.reference);
    return j;
}

static intake_input input(const journey *j, uint64_t consent)
{
    return (intake_input){.c = C,
                          .j = j,
                          .consent = consent,
                          .contact = CONTACT_NONE,
                          .kiosk_id = "zuil-1",
                          .site_name = "Informatiepunt Digitale Overheid",
                          .when = "2026-11-28T10:42:00+01:00",
                          .intake_id = "5f0c6c7e-8d7a-4c41-9b3e-2f1d6a0b9c11"};
}

static void write_body(const char *name, json_t *body)
{
    if (!BODIES)
        return;
    char path[1200];
    snprintf(path, sizeof path, "%s/%s.json", BODIES, name);
    assert_int_equal(json_dump_file(body, path, JSON_INDENT(1)), 0);
}

static void gerard_with_consent_for_the_municipality_only(void **state)
{
    (void)state;
    journey j = gerard();
    int gemeente = content_find_org(C, "gemeente"), toeslagen = content_find_org(C, "toeslagen");
    uint64_t orgs = intake_overview_orgs(C, &j);
    assert_true(orgs >> gemeente & 1);
    assert_true(orgs >> toeslagen & 1);
    intake_input in = input(&j, 1ull << gemeente);
    char err[200];
    char *env = intake_envelope(&in, err, sizeof err);
    assert_non_null(env);
    json_t *e = json_loads(env, 0, NULL);
    assert_non_null(e);
    assert_string_equal(json_string_value(json_object_get(e, "reference")), j.reference);
    json_t *mk = json_object_get(e, "maak_klantcontact");
    json_t *kc = json_object_get(mk, "klantcontact");
    assert_string_equal(json_string_value(json_object_get(kc, "kanaal")), "zelfbedieningszuil");
    assert_string_equal(json_string_value(json_object_get(kc, "taal")), "nld");
    assert_string_equal(json_string_value(json_object_get(kc, "referentienummer")), j.reference);
    assert_true(json_is_true(json_object_get(kc, "vertrouwelijk")));
    const char *onderwerp = json_string_value(json_object_get(kc, "onderwerp"));
    assert_non_null(strstr(onderwerp, "Ik ga verhuizen"));
    /* the answers, in Dutch, for the employee */
    const char *inhoud = json_string_value(json_object_get(kc, "inhoud"));
    assert_non_null(strstr(inhoud, "15 december 2026"));
    /* only what the citizen agreed to share */
    const char *reactie = json_string_value(json_object_get(kc, "reactie"));
    assert_non_null(strstr(reactie, "Geef uw nieuwe adres door"));
    assert_null(strstr(reactie, "huurtoeslag"));
    json_t *meta = json_object_get(kc, "metadata");
    assert_string_equal(json_string_value(json_object_get(meta, "toestemming")), "gemeente");
    assert_string_equal(json_string_value(json_object_get(meta, "zuil")), "zuil-1");
    assert_string_equal(json_string_value(json_object_get(meta, "contactvoorkeur")), "geen");
    json_t *bt = json_object_get(mk, "betrokkene");
    assert_string_equal(json_string_value(json_object_get(bt, "rol")), "klant");
    assert_true(json_is_true(json_object_get(bt, "initiator")));
    assert_null(json_object_get(e, "digitaal_adres"));
    write_body("maak-klantcontact-gerard", mk);
    json_decref(e);
    free(env);

    /* nothing ticked: nothing is shared, there is no intake */
    in.consent = 0;
    assert_null(intake_envelope(&in, err, sizeof err));
    assert_non_null(strstr(err, "nothing may be shared"));
    /* an organisation that is not in the overview does not count */
    in.consent = 1ull << content_find_org(C, "duo");
    assert_null(intake_envelope(&in, err, sizeof err));
    /* no reference number: refused */
    journey nr = j;
    nr.reference[0] = '\0';
    in = input(&nr, orgs);
    assert_null(intake_envelope(&in, err, sizeof err));
}

static void call_back_and_email(void **state)
{
    (void)state;
    journey j = gerard();
    j.lang = LANG_AR;
    intake_input in = input(&j, intake_overview_orgs(C, &j));
    in.contact = CONTACT_CALLBACK;
    in.contact_detail = "06 1234 5678";
    char err[200];
    char *env = intake_envelope(&in, err, sizeof err);
    assert_non_null(env);
    json_t *e = json_loads(env, 0, NULL);
    json_t *da = json_object_get(e, "digitaal_adres");
    assert_string_equal(json_string_value(json_object_get(da, "adres")), "0612345678");
    assert_string_equal(json_string_value(json_object_get(da, "soortDigitaalAdres")),
                        "telefoonnummer");
    char ref[32];
    snprintf(ref, sizeof ref, "loket-%s", j.reference);
    assert_string_equal(json_string_value(json_object_get(da, "referentie")), ref);
    json_t *kc = json_object_get(json_object_get(e, "maak_klantcontact"), "klantcontact");
    assert_string_equal(json_string_value(json_object_get(kc, "taal")), "ara");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(kc, "metadata"), "contactvoorkeur")),
        "terugbellen");
    write_body("digitaaladres-telefoon", da);
    write_body("maak-klantcontact-arabic", json_object_get(e, "maak_klantcontact"));
    json_decref(e);
    free(env);

    static const char *const bad[] = {"12345", "06 1234 567", "0612345678x", "+31", "", "0012"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        in.contact_detail = bad[i];
        assert_null(intake_envelope(&in, err, sizeof err));
    }
    static const char *const good[] = {"030 123 45 67", "+31 6 12345678", "0032 2 123 45 67"};
    char norm[32];
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_true(intake_phone_valid(good[i], norm, sizeof norm));

    in.contact = CONTACT_EMAIL;
    in.contact_detail = "maria@example.org";
    env = intake_envelope(&in, err, sizeof err);
    assert_non_null(env);
    e = json_loads(env, 0, NULL);
    da = json_object_get(e, "digitaal_adres");
    assert_string_equal(json_string_value(json_object_get(da, "soortDigitaalAdres")), "email");
    write_body("digitaaladres-email", da);
    json_decref(e);
    free(env);
    in.contact_detail = "not an address";
    assert_null(intake_envelope(&in, err, sizeof err));
}

/* The name from the ID card (checked, used with consent): betrokkene.contactnaam. */
static void name_from_the_id_card(void **state)
{
    (void)state;
    journey j = gerard();
    intake_input in = input(&j, intake_overview_orgs(C, &j));
    in.given = "WILLEKE LISELOTTE";
    in.surname = "DE BRUIJN";
    char err[200];
    char *env = intake_envelope(&in, err, sizeof err);
    assert_non_null(env);
    json_t *e = json_loads(env, 0, NULL);
    json_t *mk = json_object_get(e, "maak_klantcontact");
    json_t *bt = json_object_get(mk, "betrokkene");
    json_t *cn = json_object_get(bt, "contactnaam");
    assert_true(json_is_object(cn));
    assert_string_equal(json_string_value(json_object_get(cn, "voornaam")), "WILLEKE LISELOTTE");
    assert_string_equal(json_string_value(json_object_get(cn, "achternaam")), "DE BRUIJN");
    assert_int_equal(json_object_size(cn), 2);
    json_t *meta = json_object_get(json_object_get(mk, "klantcontact"), "metadata");
    assert_non_null(strstr(json_string_value(json_object_get(meta, "naambron")), "ID-kaart"));
    assert_string_equal(json_string_value(json_object_get(bt, "rol")), "klant");
    write_body("maak-klantcontact-idkaart", mk);
    json_decref(e);
    free(env);

    /* only a surname (one name on the card): only achternaam */
    in.given = "";
    env = intake_envelope(&in, err, sizeof err);
    assert_non_null(env);
    e = json_loads(env, 0, NULL);
    cn = json_object_get(json_object_get(json_object_get(e, "maak_klantcontact"), "betrokkene"),
                         "contactnaam");
    assert_null(json_object_get(cn, "voornaam"));
    assert_string_equal(json_string_value(json_object_get(cn, "achternaam")), "DE BRUIJN");
    json_decref(e);
    free(env);

    /* no name (NULL or ""): no contactnaam, no naambron */
    const char *none[] = {NULL, ""};
    for (int i = 0; i < 2; i++) {
        in.given = none[i];
        in.surname = none[i];
        env = intake_envelope(&in, err, sizeof err);
        assert_non_null(env);
        e = json_loads(env, 0, NULL);
        mk = json_object_get(e, "maak_klantcontact");
        assert_null(json_object_get(json_object_get(mk, "betrokkene"), "contactnaam"));
        assert_null(json_object_get(
            json_object_get(json_object_get(mk, "klantcontact"), "metadata"), "naambron"));
        json_decref(e);
        free(env);
    }
}

/* A name the citizen typed (no card, or one that could not be read): the same contactnaam,
 * UTF-8 as typed, and a naambron that says it was typed and not checked. */
static void name_typed_by_the_citizen(void **state)
{
    (void)state;
    journey j = gerard();
    intake_input in = input(&j, intake_overview_orgs(C, &j));
    in.given = "Gérard Jan";
    in.surname = "van 't Hek";
    in.name_typed = true;
    char err[200];
    char *env = intake_envelope(&in, err, sizeof err);
    assert_non_null(env);
    json_t *e = json_loads(env, 0, NULL);
    json_t *mk = json_object_get(e, "maak_klantcontact");
    json_t *cn = json_object_get(json_object_get(mk, "betrokkene"), "contactnaam");
    assert_string_equal(json_string_value(json_object_get(cn, "voornaam")), "Gérard Jan");
    assert_string_equal(json_string_value(json_object_get(cn, "achternaam")), "van 't Hek");
    json_t *meta = json_object_get(json_object_get(mk, "klantcontact"), "metadata");
    const char *bron = json_string_value(json_object_get(meta, "naambron"));
    assert_non_null(bron);
    assert_non_null(strstr(bron, "Ingetypt"));
    assert_non_null(strstr(bron, "niet gecontroleerd"));
    assert_null(strstr(bron, "ID-kaart"));
    write_body("maak-klantcontact-ingetypt", mk);
    json_decref(e);
    free(env);
    /* the same name from a card says so */
    in.name_typed = false;
    env = intake_envelope(&in, err, sizeof err);
    e = json_loads(env, 0, NULL);
    meta = json_object_get(json_object_get(json_object_get(e, "maak_klantcontact"), "klantcontact"),
                           "metadata");
    assert_null(strstr(json_string_value(json_object_get(meta, "naambron")), "Ingetypt"));
    json_decref(e);
    free(env);
}

/* A library pass laid on the summary: metadata.bibliotheekpas, the number as made; none, no
 * key; one longer than a metadata value is left out, never cut. */
static void library_pass_number(void **state)
{
    (void)state;
    journey j = gerard();
    intake_input in = input(&j, intake_overview_orgs(C, &j));
    in.library_number = "3220338716";
    char err[200];
    char *env = intake_envelope(&in, err, sizeof err);
    assert_non_null(env);
    json_t *e = json_loads(env, 0, NULL);
    json_t *mk = json_object_get(e, "maak_klantcontact");
    json_t *meta = json_object_get(json_object_get(mk, "klantcontact"), "metadata");
    assert_string_equal(json_string_value(json_object_get(meta, "bibliotheekpas")), "3220338716");
    /* nothing of it elsewhere: not in the betrokkene, not a digitaal adres */
    assert_null(json_object_get(e, "digitaal_adres"));
    char *bt = json_dumps(json_object_get(mk, "betrokkene"), JSON_COMPACT);
    assert_null(strstr(bt, "3220338716"));
    free(bt);
    write_body("maak-klantcontact-bibliotheekpas", mk);
    json_decref(e);
    free(env);

    char longest[256], too_long[257];
    memset(longest, '7', 255);
    longest[255] = '\0';
    memset(too_long, '7', 256);
    too_long[256] = '\0';
    const char *none[] = {NULL, "", too_long};
    for (int i = 0; i < 4; i++) {
        in.library_number = i < 3 ? none[i] : longest;
        env = intake_envelope(&in, err, sizeof err);
        assert_non_null(env);
        e = json_loads(env, 0, NULL);
        meta = json_object_get(
            json_object_get(json_object_get(e, "maak_klantcontact"), "klantcontact"), "metadata");
        if (i < 3)
            assert_null(json_object_get(meta, "bibliotheekpas"));
        else
            assert_string_equal(json_string_value(json_object_get(meta, "bibliotheekpas")),
                                longest);
        json_decref(e);
        free(env);
    }
}

/* ---- every answer path, every language: within the API's limits ---- */

static char NUMBER[11], CODE[5]; /* a hand-off's number (kiosk 1, sequence 42), last 4 */

static handoff_input handoff_in(const journey *j, uint64_t consent)
{
    refnum_make(1, 42, NUMBER);
    memcpy(CODE, NUMBER + 6, 5);
    return (handoff_input){.c = C,
                           .j = j,
                           .kind = HANDOFF_WARM,
                           .number = NUMBER,
                           .consent = consent,
                           .place = "zuil 2 bij de ingang",
                           .team = "7d6f2a1e-3b4c-4d5e-8f90-a1b2c3d4e5f6",
                           .kiosk_id = "zuil-2",
                           .site_name = "Informatiepunt Digitale Overheid",
                           .when = "2026-11-28T10:42:00+01:00",
                           .asked_at = "10:42",
                           .intake_id = "5f0c6c7e-8d7a-4c41-9b3e-2f1d6a0b9c11"};
}

/* Issue 7: a hand-off is a klantcontact of its own (its own number) with an internetaak for
 * the site's team; the answers go along only with consent. */
static void warm_handoff_envelope(void **state)
{
    (void)state;
    journey j = gerard();
    j.screen = SCREEN_QUESTION;
    j.question = 0;
    j.lang = LANG_EN;
    handoff_input in = handoff_in(&j, 0);
    char err[200];
    char *env = intake_handoff_envelope(&in, err, sizeof err);
    assert_non_null(env);
    json_t *e = json_loads(env, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(e, "reference")), NUMBER);
    json_t *mk = json_object_get(e, "maak_klantcontact");
    json_t *kc = json_object_get(mk, "klantcontact");
    assert_string_equal(json_string_value(json_object_get(kc, "referentienummer")), NUMBER);
    assert_string_equal(json_string_value(json_object_get(kc, "taal")), "eng");
    const char *inhoud = json_string_value(json_object_get(kc, "inhoud"));
    /* no consent: what the citizen asked about, not the answers */
    assert_null(strstr(inhoud, "15 december 2026"));
    assert_non_null(strstr(inhoud, "geen toestemming"));
    json_t *meta = json_object_get(kc, "metadata");
    assert_null(json_object_get(meta, "signalen"));
    assert_string_equal(json_string_value(json_object_get(meta, "herkenningsnummer")), CODE);
    assert_string_equal(json_string_value(json_object_get(meta, "bon")), j.reference);
    json_t *t = json_object_get(e, "internetaak");
    assert_string_equal(json_string_value(json_object_get(t, "gevraagdeHandeling")),
                        "Warm overdracht: inwoner wacht bij zuil 2 bij de ingang");
    assert_string_equal(json_string_value(json_object_get(t, "status")), "te_verwerken");
    assert_string_equal(json_string_value(json_object_get(t, "referentienummer")), NUMBER);
    const char *toel = json_string_value(json_object_get(t, "toelichting"));
    char herk[40];
    snprintf(herk, sizeof herk, "Herkenningsnummer %s", CODE);
    assert_non_null(strstr(toel, herk));
    assert_non_null(strstr(toel, "Gevraagd om 10:42"));
    assert_non_null(strstr(toel, "Ik ga verhuizen"));
    assert_non_null(strstr(toel, "Engels"));
    assert_non_null(strstr(toel, "de vraag \""));
    assert_true(intake_utf8_chars(toel) <= 1000);
    json_t *actors = json_object_get(t, "toegewezenAanActoren");
    assert_string_equal(json_string_value(json_object_get(json_array_get(actors, 0), "uuid")),
                        in.team);
    assert_null(json_object_get(e, "digitaal_adres"));
    write_body("maak-klantcontact-handoff", mk);
    /* as the uplink sends it: linked to the klantcontact the service stored */
    json_t *sent = json_deep_copy(t);
    json_object_set_new(sent, "aanleidinggevendKlantcontact",
                        json_pack("{s:s}", "uuid", "0d3f4a8e-2c1b-4e5f-9a7b-6c5d4e3f2a1b"));
    write_body("internetaak-handoff", sent);
    json_decref(sent);
    json_decref(e);
    free(env);

    /* with consent the answers go along */
    in.consent = intake_overview_orgs(C, &j);
    env = intake_handoff_envelope(&in, err, sizeof err);
    e = json_loads(env, 0, NULL);
    kc = json_object_get(json_object_get(e, "maak_klantcontact"), "klantcontact");
    assert_non_null(strstr(json_string_value(json_object_get(kc, "inhoud")), "15 december 2026"));
    json_decref(e);
    free(env);

    /* before any life event (the welcome screen) it still works */
    journey none = gerard();
    none.event = -1;
    none.screen = SCREEN_WELCOME;
    none.reference[0] = '\0';
    in = handoff_in(&none, 0);
    env = intake_handoff_envelope(&in, err, sizeof err);
    assert_non_null(env);
    assert_non_null(strstr(env, "nog niet gekozen"));
    assert_null(strstr(env, "\"bon\":\"0"));
    free(env);
    /* without a valid number or a team: refused, said why */
    char wrong[11];
    memcpy(wrong, NUMBER, sizeof wrong);
    wrong[9] = wrong[9] == '9' ? '0' : (char)(wrong[9] + 1); /* the check digit is wrong */
    in.number = wrong;
    assert_null(intake_handoff_envelope(&in, err, sizeof err));
    assert_non_null(strstr(err, "number"));
    in.number = NUMBER;
    in.team = "";
    assert_null(intake_handoff_envelope(&in, err, sizeof err));
    assert_non_null(strstr(err, "handoff.team"));
}

static void call_back_handoff_and_closing(void **state)
{
    (void)state;
    journey j = gerard();
    handoff_input in = handoff_in(&j, 0);
    in.kind = HANDOFF_CALLBACK;
    in.phone = "06-1234 5678";
    char err[200];
    char *env = intake_handoff_envelope(&in, err, sizeof err);
    assert_non_null(env);
    json_t *e = json_loads(env, 0, NULL);
    json_t *da = json_object_get(e, "digitaal_adres");
    assert_string_equal(json_string_value(json_object_get(da, "adres")), "0612345678");
    assert_string_equal(json_string_value(json_object_get(da, "soortDigitaalAdres")),
                        "telefoonnummer");
    char daref[40];
    snprintf(daref, sizeof daref, "loket-%s", NUMBER);
    assert_string_equal(json_string_value(json_object_get(da, "referentie")), daref);
    json_t *t = json_object_get(e, "internetaak");
    assert_non_null(
        strstr(json_string_value(json_object_get(t, "gevraagdeHandeling")), "Terugbelverzoek"));
    /* the phone number only in the digitaal adres */
    assert_null(strstr(json_string_value(json_object_get(t, "toelichting")), "5678"));
    write_body("digitaal-adres-callback", da);
    json_decref(e);
    free(env);
    in.phone = "12345";
    assert_null(intake_handoff_envelope(&in, err, sizeof err));

    /* the PATCH the uplink makes of it */
    json_t *patch = json_pack("{s:s, s:s, s:s}", "status", "verwerkt", "afgehandeldOp",
                              "2026-11-28T10:45:00+01:00", "toelichting", "Niet meer nodig.");
    write_body("internetaak-close", patch);
    json_decref(patch);
    env = intake_task_close_envelope(NUMBER, "Niet meer nodig.", "2026-11-28T10:45:00+01:00", err,
                                     sizeof err);
    assert_non_null(env);
    e = json_loads(env, 0, NULL);
    json_t *c = json_object_get(e, "taak_afsluiten");
    assert_string_equal(json_string_value(json_object_get(c, "status")), "verwerkt");
    assert_string_equal(json_string_value(json_object_get(c, "notitie")), "Niet meer nodig.");
    json_decref(e);
    free(env);
    assert_null(intake_task_close_envelope("12", "x", "y", err, sizeof err));
    char code[5];
    intake_handoff_code(NUMBER, code);
    assert_string_equal(code, CODE);
    intake_handoff_code("12", code);
    assert_string_equal(code, "");
}

typedef struct {
    int paths, cut;
} walk;

static size_t chars(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? intake_utf8_chars(s) : 0;
}

static void check_one(walk *w, const journey *base)
{
    for (int l = 0; l < LANG_COUNT; l++) {
        journey j = *base;
        j.lang = (lang_id)l;
        intake_input in = input(&j, ~0ull);
        char err[200];
        char *env = intake_envelope(&in, err, sizeof err);
        if (!env)
            fprintf(stderr, "%s: %s\n", C->events[j.event].id, err);
        assert_non_null(env);
        json_t *e = json_loads(env, 0, NULL);
        assert_non_null(e);
        json_t *kc = json_object_get(json_object_get(e, "maak_klantcontact"), "klantcontact");
        assert_true(chars(kc, "onderwerp") <= 200);
        assert_true(chars(kc, "inhoud") <= 1000);
        assert_true(chars(kc, "reactie") <= 4000);
        const char *r = json_string_value(json_object_get(kc, "reactie"));
        if (strstr(r, "zie de zuil-bon"))
            w->cut++;
        json_t *meta = json_object_get(kc, "metadata");
        const char *k;
        json_t *v;
        json_object_foreach(meta, k, v) assert_true(intake_utf8_chars(json_string_value(v)) <= 255);
        json_decref(e);
        free(env);
    }
    w->paths++;
}

static void walk_answers(walk *w, journey *j, int from)
{
    const life_event *e = &C->events[j->event];
    int q = flow_next_question(e, j->answers, from);
    if (q >= e->n_questions || w->paths > 3000) {
        if (intake_overview_orgs(C, j))
            check_one(w, j);
        return;
    }
    for (int o = 0; o < question_n_options(&e->questions[q]); o++) {
        j->answers[q] = o;
        j->dates[q] = (civil_date){2026, 12, 15};
        walk_answers(w, j, q + 1);
        j->answers[q] = -1;
    }
}

static void every_intake_fits_the_api(void **state)
{
    (void)state;
    walk w = {0};
    for (int ev = 0; ev < C->n_events; ev++) {
        journey j = {.event = ev, .today = {2026, 11, 28}};
        for (int i = 0; i < CONTENT_MAX_QUESTIONS; i++)
            j.answers[i] = -1;
        refnum_make(2, 100 + (uint32_t)ev, j.reference);
        int before = w.paths;
        walk_answers(&w, &j, 0);
        (void)before;
    }
    fprintf(stderr, "%d answer paths x %d languages within the limits; %d overviews shortened\n",
            w.paths, LANG_COUNT, w.cut);
    assert_true(w.paths > 100);

    /* texts far longer than the API takes: shortened at a line, saying how much is left out */
    journey j = gerard();
    life_event *e = &C->events[j.event];
    char *long_text = malloc(1501);
    memset(long_text, 'a', 1500);
    long_text[1500] = '\0';
    const char *saved[CONTENT_MAX_TASKS];
    for (int t = 0; t < e->n_tasks; t++) {
        saved[t] = e->tasks[t].text.s[LANG_NL];
        e->tasks[t].text.s[LANG_NL] = long_text;
    }
    const char *saved_title = e->title.s[LANG_NL];
    e->title.s[LANG_NL] = long_text;
    intake_input in = input(&j, ~0ull);
    char err[200];
    char *env = intake_envelope(&in, err, sizeof err);
    assert_non_null(env);
    json_t *en = json_loads(env, 0, NULL);
    json_t *kc = json_object_get(json_object_get(en, "maak_klantcontact"), "klantcontact");
    assert_true(chars(kc, "reactie") <= 4000);
    assert_true(chars(kc, "onderwerp") <= 200);
    assert_non_null(strstr(json_string_value(json_object_get(kc, "reactie")), "en nog "));
    assert_non_null(strstr(json_string_value(json_object_get(kc, "onderwerp")), "..."));
    json_decref(en);
    free(env);
    for (int t = 0; t < e->n_tasks; t++)
        e->tasks[t].text.s[LANG_NL] = saved[t];
    e->title.s[LANG_NL] = saved_title;
    free(long_text);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_intake CONTENT_DIR [BODIES_OUT_DIR]\n");
        return 2;
    }
    CONTENT_DIR = argv[1];
    BODIES = argc > 2 ? argv[2] : NULL;
    if (BODIES)
        mkdir(BODIES, 0755);
    content_diag d = {0};
    C = content_load_dir(CONTENT_DIR, &d);
    if (!C) {
        fprintf(stderr, "%s\n", d.text ? d.text : "content did not load");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gerard_with_consent_for_the_municipality_only),
        cmocka_unit_test(call_back_and_email),
        cmocka_unit_test(name_from_the_id_card),
        cmocka_unit_test(name_typed_by_the_citizen),
        cmocka_unit_test(library_pass_number),
        cmocka_unit_test(every_intake_fits_the_api),
        cmocka_unit_test(warm_handoff_envelope),
        cmocka_unit_test(call_back_handoff_and_closing),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    content_free(C);
    content_diag_free(&d);
    return rc;
}
