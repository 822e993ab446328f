/* Bidirectional text: Arabic sentences with numbers, web addresses and brackets in them are
 * drawn in the right visual order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/i18n.h"
#include "text.h"

static void expect(const char *logical, const char *visual)
{
    char out[1024];
    text_bidi_visual(logical, out, sizeof out);
    if (strcmp(out, visual)) {
        fprintf(stderr, "'%s'\n  expected '%s'\n  got      '%s'\n", logical, visual, out);
        fail();
    }
}

static void latin_text_takes_the_plain_path(void **state)
{
    (void)state;
    expect("Bel 14 030 (UWV).", "");
    expect("Українська мова", ""); /* Cyrillic is left to right */
}

static void arabic_runs_in_visual_order(void **state)
{
    (void)state;
    /* right to left: the Arabic word on the right; brackets mirrored around the Latin island */
    expect("للمساعدة (UWV).", ".(|UWV|) |للمساعدة");
    /* a web address stays left to right, at the end (left) of the sentence */
    expect("زر www.uwv.nl", "www.uwv.nl| |زر");
}

static void phone_numbers_stay_left_to_right(void **state)
{
    (void)state;
    /* without an isolate, the Unicode algorithm turns "14 030" into "030 14" */
    expect("اتصل 14 030", "030| |14| |اتصل");
    /* i18n_ltr wraps it in a left-to-right isolate; the controls are not drawn */
    char buf[64], line[128];
    snprintf(line, sizeof line, "اتصل %s", i18n_ltr(LANG_AR, "14 030", buf, sizeof buf));
    expect(line, "14 030| |اتصل");
    /* in a left-to-right language nothing is added */
    assert_string_equal(i18n_ltr(LANG_NL, "14 030", buf, sizeof buf), "14 030");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(latin_text_takes_the_plain_path),
        cmocka_unit_test(arabic_runs_in_visual_order),
        cmocka_unit_test(phone_numbers_stay_left_to_right),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
