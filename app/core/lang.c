#include "core/lang.h"

#include <string.h>

static const lang_info langs[LANG_COUNT] = {
    [LANG_NL] = {"nl", "nld", "Nederlands", false}, [LANG_EN] = {"en", "eng", "English", false},
    [LANG_TR] = {"tr", "tur", "Türkçe", false},     [LANG_AR] = {"ar", "ara", "العربية", true},
    [LANG_PL] = {"pl", "pol", "Polski", false},     [LANG_UK] = {"uk", "ukr", "Українська", false},
};

const lang_info *lang_get(lang_id id)
{
    return (unsigned)id < LANG_COUNT ? &langs[id] : &langs[LANG_NL];
}

int lang_from_code(const char *code)
{
    for (int i = 0; i < LANG_COUNT; i++)
        if (code && strcmp(code, langs[i].code) == 0)
            return i;
    return -1;
}
