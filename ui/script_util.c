#include "script_util.h"

#include <ctype.h>
#include <string.h>

char *script_trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    /* an argument may be quoted */
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
        s[n - 1] = '\0';
        s++;
    }
    return s;
}

char *script_split(char *s)
{
    char *rest = s;
    while (*rest && !isspace((unsigned char)*rest))
        rest++;
    if (*rest)
        *rest++ = '\0';
    return script_trim(rest);
}

bool script_any_text(const layout *L, const char *needle)
{
    for (int i = 0; i < L->n; i++)
        if ((L->w[i].kind == W_TEXT || L->w[i].kind == W_PARAGRAPH) && strstr(L->w[i].text, needle))
            return true;
    return false;
}
