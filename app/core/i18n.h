/* Screen texts of the program itself, through gettext (.po files in assets/po).
 * msgids are the Dutch texts; a missing translation shows the Dutch text.
 * Not thread-safe: call from the UI thread only (gettext's language is process-wide). */
#ifndef LOKET_I18N_H
#define LOKET_I18N_H

#include <stddef.h>

#include "content/date.h"
#include "core/lang.h"

/* Marks a string for extraction without translating it. */
#define N_(s) s
/* The same, with a context (extracted with -kNC_:1c,2). */
#define NC_(ctx, s) s

void i18n_init(const char *localedir);
/* The translation of `msgid` in `lang`. */
const char *tr(lang_id lang, const char *msgid);
/* The translation of `msgid` in context `ctx` (a .po entry with msgctxt), for words that
 * take another form elsewhere, e.g. a month alone ("grudzień") or in a date ("grudnia"). */
const char *trc(lang_id lang, const char *ctx, const char *msgid);
/* Singular/plural form for n. */
const char *trn(lang_id lang, const char *singular, const char *plural, unsigned long n);

/* "14 december 2026" / "14 December 2026"; "" for no date. */
void i18n_format_date(lang_id lang, civil_date d, char *buf, size_t cap);
/* "december 2026" */
void i18n_format_month(lang_id lang, int y, int m, char *buf, size_t cap);
/* `s` as a left-to-right island in a right-to-left language (phone numbers, web addresses:
 * "14 030" must not become "030 14"); unchanged in other languages. */
const char *i18n_ltr(lang_id lang, const char *s, char *buf, size_t cap);
/* Short weekday name, 0 = Monday. */
const char *i18n_weekday_short(lang_id lang, int wd);

#endif
