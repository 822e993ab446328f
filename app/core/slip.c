#include "core/slip.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "content/overview.h"
#include "core/i18n.h"
#include "core/phrases.h"

static void add(slip *s, slip_style style, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void add(slip *s, slip_style style, const char *fmt, ...)
{
    if (s->n >= SLIP_MAX_LINES)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->lines[s->n].text, SLIP_LINE_MAX, fmt, ap);
    va_end(ap);
    s->lines[s->n].style = style;
    s->n++;
}

void slip_compose(const content *c, const journey *j, const char *site_name, const char *when,
                  slip *out)
{
    memset(out, 0, sizeof *out);
    lang_id L = j->lang;
    add(out, SLIP_SMALL, "%s", site_name);
    add(out, SLIP_SMALL, "%s", when);
    add(out, SLIP_RULE, "-");
    if (!c || j->event < 0 || j->event >= c->n_events)
        return;
    const life_event *e = &c->events[j->event];
    add(out, SLIP_TITLE, "%s", ltext_get(&e->title, L));
    add(out, SLIP_TEXT, "%s", tr(L, "Dit moet u regelen:"));
    overview ov;
    overview_build(e, j->answers, j->dates, j->today, &ov);
    overview_signals(c, e, j->answers, &ov);
    if (ov.n_signals > 0) {
        add(out, SLIP_RULE, "-");
        add(out, SLIP_HEADING, "%s", tr(L, "Een medewerker kan u helpen met alles"));
        for (int k = 0; k < ov.n_signals; k++)
            add(out, SLIP_TEXT, "%s", ltext_get(overview_signal_text(c, e, &ov.signals[k]), L));
    }
    char buf[512];
    for (int g = 0; g < ov.n_groups; g++) {
        const organisation *o = &c->orgs[ov.groups[g].org];
        add(out, SLIP_RULE, "-");
        add(out, SLIP_HEADING, "%s", ltext_get(&o->name, L));
        for (int i = 0; i < ov.groups[g].n_items; i++) {
            const overview_item *it = &ov.groups[g].items[i];
            const task *t = &e->tasks[it->task];
            add(out, SLIP_TEXT, "* %s", ltext_get(&t->text, L));
            phrase_deadline(L, e, it, buf, sizeof buf);
            if (buf[0])
                add(out, SLIP_TEXT, "  %s", buf);
            if (ltext_present(&t->how))
                add(out, SLIP_SMALL, "  %s", ltext_get(&t->how, L));
        }
        char iso[160];
        if (o->phone)
            add(out, SLIP_TEXT, "%s %s", tr(L, "Bel:"), i18n_ltr(L, o->phone, iso, sizeof iso));
        if (o->website)
            add(out, SLIP_TEXT, "%s %s", tr(L, "Website:"),
                i18n_ltr(L, o->website, iso, sizeof iso));
        if (ltext_present(&o->visit))
            add(out, SLIP_SMALL, "%s %s", tr(L, "Langsgaan:"), ltext_get(&o->visit, L));
    }
    add(out, SLIP_RULE, "-");
    add(out, SLIP_TEXT, "%s", tr(L, "Vragen? Vraag het een medewerker hier."));
    explicit_bzero(&ov, sizeof ov);
}
