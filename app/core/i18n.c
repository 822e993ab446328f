#include "core/i18n.h"

#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DOMAIN "loket"

static int current = -1;

void i18n_init(const char *localedir)
{
    /* gettext ignores LANGUAGE in the "C" locale; C.UTF-8 is always there on glibc >= 2.35 and
     * makes messages UTF-8. Nothing else of the locale is used: numbers and dates are formatted
     * by this module, per language. */
    if (!setlocale(LC_MESSAGES, "C.UTF-8"))
        setlocale(LC_MESSAGES, "C.utf8");
    setlocale(LC_CTYPE, "C.UTF-8");
    bindtextdomain(DOMAIN, localedir);
    bind_textdomain_codeset(DOMAIN, "UTF-8");
    current = -1;
}

static void use(lang_id lang)
{
    if ((int)lang == current)
        return;
    setenv("LANGUAGE", lang_get(lang)->code, 1);
    /* Tell gettext its cache is stale: the documented way to change the language of a running
     * program (GNU gettext manual, "Being a gettext grok"). */
    {
        extern int _nl_msg_cat_cntr;
        ++_nl_msg_cat_cntr;
    }
    current = (int)lang;
}

const char *tr(lang_id lang, const char *msgid)
{
    if (lang == LANG_NL)
        return msgid;
    use(lang);
    return dgettext(DOMAIN, msgid);
}

const char *trc(lang_id lang, const char *ctx, const char *msgid)
{
    if (lang == LANG_NL)
        return msgid;
    use(lang);
    /* gettext stores a context as "context\004msgid" (what pgettext() does in gettext.h) */
    char key[256];
    snprintf(key, sizeof key, "%s\004%s", ctx, msgid);
    const char *t = dgettext(DOMAIN, key);
    return t == key || strcmp(t, key) == 0 ? msgid : t;
}

const char *trn(lang_id lang, const char *singular, const char *plural, unsigned long n)
{
    if (lang == LANG_NL)
        return n == 1 ? singular : plural;
    use(lang);
    return dngettext(DOMAIN, singular, plural, n);
}

static const char *const months[12] = {
    N_("januari"), N_("februari"), N_("maart"),     N_("april"),   N_("mei"),      N_("juni"),
    N_("juli"),    N_("augustus"), N_("september"), N_("oktober"), N_("november"), N_("december"),
};

void i18n_format_date(lang_id lang, civil_date d, char *buf, size_t cap)
{
    if (!date_valid(d)) {
        if (cap)
            buf[0] = '\0';
        return;
    }
    /* TRANSLATORS: a date: %1$d day, %2$s month name, %3$d year */
    snprintf(buf, cap, tr(lang, "%1$d %2$s %3$d"), d.d, tr(lang, months[d.m - 1]), d.y);
}

/* Month names alone, above the calendar: some languages use another form than in a date. */
static const char *const calendar_months[12] = {
    NC_("calendar", "januari"), NC_("calendar", "februari"), NC_("calendar", "maart"),
    NC_("calendar", "april"),   NC_("calendar", "mei"),      NC_("calendar", "juni"),
    NC_("calendar", "juli"),    NC_("calendar", "augustus"), NC_("calendar", "september"),
    NC_("calendar", "oktober"), NC_("calendar", "november"), NC_("calendar", "december"),
};

void i18n_format_month(lang_id lang, int y, int m, char *buf, size_t cap)
{
    if (m < 1 || m > 12) {
        if (cap)
            buf[0] = '\0';
        return;
    }
    /* TRANSLATORS: a month in a calendar: %1$s month name, %2$d year */
    snprintf(buf, cap, tr(lang, "%1$s %2$d"), trc(lang, "calendar", calendar_months[m - 1]), y);
}

const char *i18n_weekday_short(lang_id lang, int wd)
{
    static const char *const days[7] = {N_("ma"), N_("di"), N_("wo"), N_("do"),
                                        N_("vr"), N_("za"), N_("zo")};
    return tr(lang, days[(unsigned)wd % 7]);
}

const char *i18n_ltr(lang_id lang, const char *s, char *buf, size_t cap)
{
    if (!lang_get(lang)->rtl)
        return s;
    /* U+2066 LEFT-TO-RIGHT ISOLATE ... U+2069 POP DIRECTIONAL ISOLATE */
    snprintf(buf, cap, "\xE2\x81\xA6%s\xE2\x81\xA9", s);
    return buf;
}
