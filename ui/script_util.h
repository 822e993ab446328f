/* What the kiosk's (script.c) and the desk's (desk_script.c) scripted modes share: reading a
 * script line and looking for a text on screen. */
#ifndef LOKET_UI_SCRIPT_UTIL_H
#define LOKET_UI_SCRIPT_UTIL_H

#include <stdbool.h>

#include "layout.h"

/* Without white space around it and, for a quoted argument, without its quotes. */
char *script_trim(char *s);
/* Splits `s` after its first word: `s` keeps that word; returns the rest, trimmed. */
char *script_split(char *s);
/* Some text or paragraph of the layout contains `needle`. */
bool script_any_text(const layout *L, const char *needle);

#endif
