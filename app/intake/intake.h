/* The intake: what the kiosk sends to the municipality's case register (the VNG
 * Klantinteracties API) so that the citizen does not have to tell the story again.
 *
 * intake_envelope() turns a journey, the citizen's consent and contact preference into the
 * envelope the outbox stores and the uplink sends: the reference number, the body of
 * `POST /maak-klantcontact` (klantcontact + betrokkene), and, for a call-back or e-mail, the
 * body of `POST /digitaleadressen` (linked to the betrokkene when sent). Texts for the
 * employee are in Dutch; `taal` says the citizen's language. Every field is fitted to the
 * API's limits (onderwerp 200, inhoud 1000, reactie 4000, metadata values 255 characters) at
 * a line or item boundary, saying how much was left out.
 *
 * With a name from the ID card (checked as genuine; the citizen agreed to use it) the
 * betrokkene gets a `contactnaam` {voornaam, achternaam} (200 characters each), as on the
 * card, and `metadata.naambron` says where it came from. A name the citizen typed (a card
 * that could not be read, or none at hand) goes the same way, with a naambron that says it was
 * typed and not checked.
 *
 * A library pass laid on the reader on the summary (a site with `[nfc] library_pass` on; the
 * citizen saw its number there and sends the story: that is the consent) goes as
 * `metadata.bibliotheekpas`, the number as the card reader made it; without one, or with one
 * longer than a metadata value (255 characters: never cut, a cut number is another pass's),
 * there is no such key.
 *
 * Only organisations the citizen ticked are in the overview sent (`reactie`) and in the
 * consent (`metadata.toestemming`); with nothing ticked there is no intake at all. */
#ifndef LOKET_INTAKE_H
#define LOKET_INTAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "content/content.h"
#include "core/session.h"

typedef enum { CONTACT_NONE, CONTACT_CALLBACK, CONTACT_EMAIL, CONTACT_DESK } contact_pref;

typedef struct {
    const content *c;
    const journey *j; /* with its reference number */
    uint64_t consent; /* bit per organisation index (c->orgs) the citizen ticked */
    contact_pref contact;
    const char *contact_detail; /* phone number (call-back) or e-mail address, else NULL */
    /* the name read from the citizen's ID card (checked as genuine, used with consent), as on
     * the card; NULL or "" when none: betrokkene.contactnaam {voornaam, achternaam} */
    const char *given;
    const char *surname;
    bool name_typed; /* the name was typed by the citizen (not checked), not read from a card */
    /* the library pass's number (laid on the reader on the summary, sent with consent); NULL or
     * "" when none: metadata.bibliotheekpas */
    const char *library_number;
    const char *kiosk_id;
    const char *site_name;
    const char *when;      /* plaatsgevondenOp, RFC 3339 with offset */
    const char *intake_id; /* a UUID for this intake */
} intake_input;

/* The envelope as a JSON text (malloc'd; wipe and free it), or NULL with a reason. */
char *intake_envelope(const intake_input *in, char *err, size_t errcap);

/* The organisations of the journey's overview (bit per organisation index): what the consent
 * screen lists. */
uint64_t intake_overview_orgs(const content *c, const journey *j);

/* Counts characters (code points) of UTF-8 text, as the API's maxLength does. */
size_t intake_utf8_chars(const char *s);

/* A phone number the API accepts for a call-back: 0 and 9 digits (06..., 030...), +country
 * and 9-15 digits, or 00 and 7-13 digits; spaces and dashes are removed into `out`. */
bool intake_phone_valid(const char *in, char *out, size_t cap);
/* An e-mail address the kiosk sends: name@domain.tld, at most 80 characters. */
bool intake_email_valid(const char *e);

/* Makes jansson wipe what it frees (JSON texts hold personal data); called by
 * intake_envelope, and by whoever parses intakes (the uplink). */
void intake_json_wipe_on_free(void);

/* A request for help from an employee, for the case service: a klantcontact of its own (with
 * the hand-off's own reference number, so that a retry finds it and never makes a second)
 * and an internetaak for the site's team. What the employee gets:
 * - gevraagdeHandeling "Warm overdracht: inwoner wacht bij <place>" or "Terugbelverzoek via
 *   <place>";
 * - toelichting: the recognition number (the last 4 digits of `number`, which the kiosk
 *   shows the citizen), when it was asked, the life event, the question the citizen was at,
 *   the citizen's language, and the case's own number if it has one;
 * - the answers so far and the early signals only when the citizen has ticked an
 *   organisation (consent); otherwise the employee hears the rest on site.
 * A call-back adds the phone number as a digitaal adres linked to the betrokkene. */
typedef enum { HANDOFF_WARM, HANDOFF_CALLBACK } handoff_kind;

typedef struct {
    const content *c; /* may be NULL (out of order): then no life event */
    const journey *j; /* event may be -1; j->reference: the case's number or "" */
    handoff_kind kind;
    const char *number; /* the hand-off's own reference number (10 digits, check digit) */
    uint64_t consent;   /* organisations ticked: with one, the answers go along */
    const char *phone;  /* HANDOFF_CALLBACK: the number to call back */
    const char *place;  /* where the citizen waits: "zuil 2 bij de ingang" */
    const char *team;   /* the site's team actor (uuid) the task is assigned to */
    const char *kiosk_id;
    const char *site_name;
    const char *when;     /* RFC 3339 with offset */
    const char *asked_at; /* "10:42", local time, for the employee */
    const char *intake_id;
} handoff_input;

/* The hand-off envelope (malloc'd JSON; wipe and free it), or NULL with a reason:
 * {"version":1, "reference": number, "maak_klantcontact": {...}, "digitaal_adres"?: {...},
 *  "internetaak": {...}} */
char *intake_handoff_envelope(const handoff_input *in, char *err, size_t errcap);

/* A change of a hand-off's internetaak: closed (status verwerkt, afgehandeldOp `when`) with
 * `note` added to its toelichting ("Geannuleerd door de inwoner om 10:45."). The uplink finds
 * the task by its referentienummer `number`. */
char *intake_task_close_envelope(const char *number, const char *note, const char *when, char *err,
                                 size_t errcap);

/* The recognition number of a hand-off: the last 4 digits of its number ("0427"). */
void intake_handoff_code(const char *number, char out[5]);

#endif
