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
    /* the plain Unicode algorithm would show "14 030" as "030 14": a space between digits
     * joins the groups into one number, also in content texts written without marks */
    expect("اتصل 14 030", "14 030| |اتصل");
    expect("اتصل بـ BelastingTelefoon على الرقم 0800 0543 (الاتصال مجاني).",
           ".(|مجاني| |الاتصال|) |0800 0543| |الرقم| |على| |BelastingTelefoon| |بـ| |اتصل");
    /* a date keeps its order: day, month, year read from the right */
    expect("قبل 20 ديسمبر 2026", "2026| |ديسمبر| |20| |قبل");
    /* i18n_ltr wraps it in a left-to-right isolate; the controls are not drawn */
    char buf[64], line[128];
    snprintf(line, sizeof line, "اتصل %s", i18n_ltr(LANG_AR, "14 030", buf, sizeof buf));
    expect(line, "14 030| |اتصل");
    /* in a left-to-right language nothing is added */
    assert_string_equal(i18n_ltr(LANG_NL, "14 030", buf, sizeof buf), "14 030");
}

/* HarfBuzz joins Arabic letters: a shaped word is narrower than the same letters kept apart by
 * zero-width non-joiners (U+200C), which force their isolated forms. Without shaping, both
 * would measure the same. */
static void arabic_letters_are_joined(void **state)
{
    (void)state;
    char err[256];
    ui_text *t = text_create("Noto Sans", err, sizeof err);
    if (!t) {
        fprintf(stderr, "%s\n", err);
        fail();
    }
    /* "bayt" (house): initial, medial and final forms are much narrower than isolated ones */
    const char *joined = "\u0628\u064a\u062a", *apart = "\u0628\u200c\u064a\u200c\u062a";
    int wj = text_width(t, 48, false, joined), wa = text_width(t, 48, false, apart);
    fprintf(stderr, "joined %d px, letters apart %d px\n", wj, wa);
    assert_true(wj > 0);
    assert_true(wj * 10 < wa * 8); /* at least 20 % narrower (measured: 83 vs 132 px) */
    /* lam + alef become one ligature */
    assert_true(text_width(t, 48, false, "\u0644\u0627") * 10 <
                text_width(t, 48, false, "\u0644\u200c\u0627") * 8);
    assert_int_equal(text_shaping(t), 1);
    text_destroy(t);
}

static void wrap_line(void *ctx, const char *text, int width)
{
    (void)width;
    char *out = ctx;
    strcat(out, "[");
    strcat(out, text);
    strcat(out, "]");
}

/* A phone number is never broken over two lines. */
static void phone_numbers_stay_on_one_line(void **state)
{
    (void)state;
    char err[256];
    ui_text *t = text_create("Noto Sans", err, sizeof err);
    assert_non_null(t);
    char out[512] = "";
    int w = text_width(t, 40, false, "Bel UWV op 088");
    text_wrap(t, 40, false, "Bel UWV op 088 898 92 94 op werkdagen.", w, wrap_line, out);
    assert_string_equal(out, "[Bel UWV op][088 898 92 94][op werkdagen.]");
    text_destroy(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(latin_text_takes_the_plain_path),
        cmocka_unit_test(arabic_runs_in_visual_order),
        cmocka_unit_test(phone_numbers_stay_left_to_right),
        cmocka_unit_test(arabic_letters_are_joined),
        cmocka_unit_test(phone_numbers_stay_on_one_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
