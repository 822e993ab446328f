/* The languages Loket speaks. Dutch is the source language and the fallback for everything. */
#ifndef LOKET_LANG_H
#define LOKET_LANG_H

#include <stdbool.h>

typedef enum { LANG_NL, LANG_EN, LANG_TR, LANG_AR, LANG_PL, LANG_UK, LANG_COUNT } lang_id;

typedef struct {
    const char *code;   /* ISO 639-1, also the key in content files and the .po name */
    const char *iso3;   /* ISO 639-2/B, as the case service wants it */
    const char *native; /* the language's own name, shown on the language button */
    bool rtl;
} lang_info;

const lang_info *lang_get(lang_id id);
/* -1 when `code` is not one of ours. */
int lang_from_code(const char *code);

#endif
