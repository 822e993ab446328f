/* Accessibility properties computed from definitions (no window): the themes' contrast
 * (WCAG 1.4.6), large text (EN 301 549 5.1.4) and touch target sizes (WCAG 2.5.8). The same
 * properties are checked again on every frame of the UI journeys, from the render log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "theme.h"

/* WCAG 1.4.6 (enhanced contrast): every text colour on every background it is drawn on, in
 * every theme, at least 7:1. */
static void contrast_of_every_theme(void **state)
{
    (void)state;
    for (int p = 0; p < THEME_COUNT; p++) {
        theme_colors c = theme_palette_colors((theme_palette)p);
        SDL_Color pairs[32][2];
        const char *names[32];
        int n = theme_text_pairs(&c, pairs, names, 32);
        assert_true(n >= 10);
        for (int i = 0; i < n; i++) {
            double r = theme_contrast(pairs[i][0], pairs[i][1]);
            if (r < 7.0)
                fail_msg("theme %d: %s is %.2f:1, below 7:1", p, names[i], r);
        }
    }
    /* the high-contrast theme is more than the minimum: at least 15:1 everywhere */
    theme_colors hc = theme_palette_colors(THEME_HIGH_CONTRAST);
    SDL_Color pairs[32][2];
    int n = theme_text_pairs(&hc, pairs, NULL, 32);
    for (int i = 0; i < n; i++)
        assert_true(theme_contrast(pairs[i][0], pairs[i][1]) >= 15.0);
}

/* The contrast formula itself, against WCAG's known values. */
static void contrast_formula(void **state)
{
    (void)state;
    SDL_Color black = {0, 0, 0, 255}, white = {255, 255, 255, 255}, grey = {0x76, 0x76, 0x76, 255};
    assert_float_equal(theme_contrast(black, white), 21.0, 0.01);
    assert_float_equal(theme_contrast(white, white), 1.0, 0.001);
    assert_float_equal(theme_contrast(grey, white), 4.54, 0.01); /* #767676: the 4.5:1 grey */
}

/* EN 301 549 5.1.4 (closed functionality, text enlargement): large text is at least 1.5 times
 * the normal size, and buttons and bars grow with it. */
static void large_text_is_one_and_a_half(void **state)
{
    (void)state;
    const double pxmm[] = {2.5, 4.0, 7.1};
    for (size_t i = 0; i < sizeof pxmm / sizeof pxmm[0]; i++) {
        theme n, l;
        theme_init(&n, pxmm[i], 500, 0.7, 1.0, THEME_CALM);
        theme_init(&l, pxmm[i], 500, 0.7, 1.5, THEME_HIGH_CONTRAST);
        /* sizes are whole pixels, each rounded up: 1.5 x n within one pixel's rounding */
        assert_true(l.px_body >= 1.5 * n.px_body - 1.5);
        assert_true(l.px_title >= 1.5 * n.px_title - 1.5);
        assert_true(l.px_big >= 1.5 * n.px_big - 1.5);
        assert_true(l.btn_h >= 2 * l.px_body);
        assert_true(l.bar_h >= 2 * l.px_body);
        assert_true(l.help_h >= 2 * l.px_body);
        assert_true(l.high_contrast && !n.high_contrast);
    }
}

/* WCAG 2.5.8 (and EN 301 549 8.1 / the 12 mm): a touch target is at least 12 mm on
 * every panel density, and a gap of at least 3 mm separates targets. */
static void touch_targets_at_least_12_mm(void **state)
{
    (void)state;
    for (double pxmm = 2.0; pxmm <= 8.0; pxmm += 0.37) {
        theme t;
        theme_init(&t, pxmm, 500, 0.7, 1.0, THEME_CALM);
        assert_true(t.target >= 12.0 * pxmm);
        assert_true(t.btn_h >= 12.0 * pxmm);
        assert_true(t.gap >= 3.0 * pxmm);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(contrast_of_every_theme),
        cmocka_unit_test(contrast_formula),
        cmocka_unit_test(large_text_is_one_and_a_half),
        cmocka_unit_test(touch_targets_at_least_12_mm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
