#include "core/slip.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "content/overview.h"
#include "core/i18n.h"
#include "core/phrases.h"

static void add(slip *s, slip_style style, bool dutch, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static void add(slip *s, slip_style style, bool dutch, const char *fmt, ...)
{
    if (s->n >= SLIP_MAX_LINES) {
        s->lost++;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(s->lines[s->n].text, SLIP_LINE_MAX, fmt, ap);
    va_end(ap);
    if (len >= SLIP_LINE_MAX) {
        /* never half a character: drop the last (perhaps partial) UTF-8 sequence */
        char *t = s->lines[s->n].text;
        size_t n = SLIP_LINE_MAX - 2;
        while (n > 0 && ((unsigned char)t[n] & 0xC0) == 0x80)
            n--;
        t[n] = '\0';
        s->lost++;
    }
    s->lines[s->n].style = style;
    s->lines[s->n].dutch = dutch;
    s->n++;
}

/* A content text: the title and each task get their Dutch version first when the slip is in
 * another language (one line a desk employee can read; the details stay in the citizen's
 * language, or the slip would be twice as long). */
static void add_text(slip *s, slip_style style, const ltext *t, lang_id L, const char *prefix)
{
    const char *own = ltext_get(t, L), *nl = ltext_get(t, LANG_NL);
    if (L != LANG_NL && (style == SLIP_TITLE || style == SLIP_ITEM) && strcmp(own, nl) != 0)
        add(s, style, true, "%s%s", prefix, nl);
    add(s, style, false, "%s%s", prefix, own);
}

/* A screen text (gettext) in the citizen's language. */
static void add_tr(slip *s, slip_style style, lang_id L, const char *msgid)
{
    add(s, style, false, "%s", tr(L, msgid));
}

/* "What happens now?": the hand-off or call-back asked for, and where to ask. */
static void what_now(const journey *j, const slip_site *site, slip *out)
{
    lang_id L = j->lang;
    add(out, SLIP_RULE, false, "-");
    add_tr(out, SLIP_HEADING, L, N_("Wat gebeurt er nu?"));
    if (j->handoff_callback)
        add_tr(out, SLIP_TEXT, L,
               N_("U heeft gevraagd om teruggebeld te worden. Een medewerker belt u. Noem dan "
                  "uw nummer."));
    else if (j->handoff_asked)
        add_tr(out, SLIP_TEXT, L, N_("U heeft om hulp gevraagd. Een medewerker komt naar u toe."));
    if (!j->handoff_callback) /* out of hours nobody is here to ask */
        add_tr(out, SLIP_TEXT, L, N_("Vragen? Vraag het een medewerker hier."));
    if (site->phone && site->phone[0] && site->municipality) {
        char iso[160];
        /* TRANSLATORS: the municipality's name, then its phone number */
        add(out, SLIP_TEXT, false, tr(L, "Of bel %s: %s"), site->municipality,
            i18n_ltr(L, site->phone, iso, sizeof iso));
    }
}

void slip_compose(const content *c, const journey *j, const slip_site *site, slip *out)
{
    memset(out, 0, sizeof *out);
    lang_id L = j->lang;
    out->lang = L;
    snprintf(out->site, sizeof out->site, "%s", site->site_name ? site->site_name : "");
    snprintf(out->when, sizeof out->when, "%s", site->when ? site->when : "");
    snprintf(out->reference_label, sizeof out->reference_label, "%s", tr(L, "Uw nummer"));
    snprintf(out->reference_hint, sizeof out->reference_hint, "%s",
             tr(L, "Noem dit nummer als u belt of langskomt. Dan hoeft u uw verhaal niet opnieuw "
                   "te vertellen."));
    if (refnum_valid(j->reference, NULL)) {
        memcpy(out->reference, j->reference, sizeof out->reference);
        snprintf(out->qr, sizeof out->qr, "%s%s", SLIP_QR_PREFIX, j->reference);
    }
    if (!c || j->event < 0 || j->event >= c->n_events) {
        /* no overview (yet): what happens now, e.g. after asking for a call-back */
        what_now(j, site, out);
        return;
    }
    const life_event *e = &c->events[j->event];
    snprintf(out->icon, sizeof out->icon, "%s", e->id);
    add_text(out, SLIP_TITLE, &e->title, L, "");
    add_tr(out, SLIP_TEXT, L, N_("Dit moet u regelen:"));
    overview ov;
    overview_build(e, j->answers, j->dates, j->today, &ov);
    overview_signals(c, e, j->answers, &ov);
    if (ov.n_signals > 0) {
        add(out, SLIP_RULE, false, "-");
        add_tr(out, SLIP_HEADING, L, N_("Een medewerker kan u helpen met alles"));
        for (int k = 0; k < ov.n_signals; k++)
            add_text(out, SLIP_TEXT, overview_signal_text(c, e, &ov.signals[k]), L, "");
    }
    char buf[512], nl[512];
    for (int g = 0; g < ov.n_groups; g++) {
        const organisation *o = &c->orgs[ov.groups[g].org];
        add(out, SLIP_RULE, false, "-");
        add_text(out, SLIP_HEADING, &o->name, L, "");
        for (int i = 0; i < ov.groups[g].n_items; i++) {
            const overview_item *it = &ov.groups[g].items[i];
            const task *t = &e->tasks[it->task];
            add_text(out, SLIP_ITEM, &t->text, L, "");
            int first = out->n;
            phrase_deadline(L, e, it, buf, sizeof buf);
            if (buf[0])
                add(out, SLIP_TEXT, false, "%s", buf);
            if (ltext_present(&t->how))
                add_text(out, SLIP_SMALL, &t->how, L, "");
            for (int k = first; k < out->n; k++)
                out->lines[k].indent = true;
        }
        char iso[160];
        if (o->phone)
            add(out, SLIP_TEXT, false, "%s %s", tr(L, "Bel:"),
                i18n_ltr(L, o->phone, iso, sizeof iso));
        if (o->website)
            add(out, SLIP_TEXT, false, "%s %s", tr(L, "Website:"),
                i18n_ltr(L, o->website, iso, sizeof iso));
        if (ltext_present(&o->visit)) {
            snprintf(nl, sizeof nl, "%s ", tr(L, "Langsgaan:"));
            add_text(out, SLIP_SMALL, &o->visit, L, nl);
        }
    }
    what_now(j, site, out);
    explicit_bzero(&ov, sizeof ov);
    explicit_bzero(buf, sizeof buf);
    explicit_bzero(nl, sizeof nl);
}
