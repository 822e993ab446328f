/* Slip benchmark (not a timed test: it prints figures; machines are noisy).
 *
 *   bench_slip CONTENT_DIR ICONS_DIR LOCALE_DIR [ROUNDS]
 *
 * Maria's slip (ill while studying, six answers, three signals' worth of organisations; in
 * English, so every item also has its Dutch line) and Gerard's (moving, Dutch), and the same
 * in Arabic. For each, at 576 dots (80 mm, 203 dpi):
 *   render_ms     median time to compose the slip and draw it as a raster (UI thread)
 *   rows, mm      its length in dots and in millimetres of paper
 *   escpos_bytes  the ESC/POS job's size (GS v 0), what travels to the printer
 * Needs no display: the slip is drawn on a surface, not a window. */
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

#include "content/content.h"
#include "content/flow.h"
#include "core/i18n.h"
#include "core/refnum.h"
#include "core/slip.h"
#include "print/print.h"
#include "slip_render.h"

/* Answers the event's questions in flow order with `values` (option ids, "known" for dates). */
static bool make_journey(const content *c, const char *event, const char *const *values,
                         lang_id lang, journey *j)
{
    memset(j, 0, sizeof *j);
    j->event = content_find_event(c, event);
    if (j->event < 0)
        return false;
    const life_event *e = &c->events[j->event];
    for (int i = 0; i < CONTENT_MAX_QUESTIONS; i++)
        j->answers[i] = -1;
    j->lang = lang;
    j->today = (civil_date){2026, 11, 28};
    int v = 0;
    for (int q = flow_next_question(e, j->answers, 0); q < e->n_questions;
         q = flow_next_question(e, j->answers, q + 1)) {
        const char *val = values[v] ? values[v++] : "unknown";
        int opt = question_option_index(&e->questions[q], val);
        j->answers[q] = opt >= 0 ? opt : 0;
        if (e->questions[q].kind == QUESTION_DATE)
            j->dates[q] = (civil_date){2026, 11, 2};
    }
    refnum_make(1, 427, j->reference);
    j->handoff_asked = true;
    return true;
}

static void bench(slip_renderer *sr, const content *c, const char *name, const journey *j,
                  int rounds)
{
    double *t = calloc((size_t)rounds, sizeof *t);
    raster r = {0};
    slip *s = malloc(sizeof *s);
    slip_site site = {"Informatiepunt Digitale Overheid, Bibliotheek Utrecht",
                      "28 november 2026, 10:42", "Gemeente Utrecht", "14 030"};
    for (int i = 0; i < rounds; i++) {
        raster_free(&r);
        char err[160];
        double t0 = now_ms();
        slip_compose(c, j, &site, s);
        if (!slip_render(sr, s, 576, 203, &r, NULL, err, sizeof err)) {
            fprintf(stderr, "%s: %s\n", name, err);
            exit(1);
        }
        t[i] = now_ms() - t0;
    }
    qsort(t, (size_t)rounds, sizeof *t, cmp_double);
    printer_options o;
    printer_options_defaults(&o);
    size_t bytes = escpos_job(&r, &o, NULL, 0);
    printf("%-8s lines=%d render_ms=%.1f rows=%d mm=%.0f escpos_bytes=%zu\n", name, s->n,
           t[rounds / 2], r.height, r.height * 25.4 / 203.0, bytes);
    raster_free(&r);
    free(s);
    free(t);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_slip CONTENT_DIR ICONS_DIR LOCALE_DIR [ROUNDS]\n");
        return 2;
    }
    int rounds = argc > 4 ? atoi(argv[4]) : 21;
    if (rounds < 1)
        rounds = 1;
    i18n_init(argv[3]);
    content_diag diag = {0};
    content *c = content_load_dir(argv[1], &diag);
    if (!c) {
        fprintf(stderr, "content: %s\n", diag.text ? diag.text : "?");
        return 1;
    }
    content_apply_site(c, "Gemeente Utrecht", "14 030", "www.utrecht.nl",
                       "Stadskantoor, Stadsplateau 1, Utrecht");
    if (SDL_Init(0) != 0)
        return 1;
    char err[256];
    slip_renderer *sr = slip_renderer_new("Noto Sans", argv[2], "", err, sizeof err);
    if (!sr) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    static const char *const maria[] = {"known", "yes", "pause", "yes", "yes", "no", NULL};
    static const char *const gerard[] = {"known", "yes", "yes", "yes", NULL};
    journey j;
    if (make_journey(c, "ill_student", maria, LANG_EN, &j))
        bench(sr, c, "maria_en", &j, rounds);
    if (make_journey(c, "ill_student", maria, LANG_AR, &j))
        bench(sr, c, "maria_ar", &j, rounds);
    if (make_journey(c, "moving", gerard, LANG_NL, &j))
        bench(sr, c, "gerard", &j, rounds);
    slip_renderer_free(sr);
    content_free(c);
    content_diag_free(&diag);
    SDL_Quit();
    return 0;
}
