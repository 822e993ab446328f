/* Printing: reference numbers, the reference sequence on disk, the ESC/POS job (checked with an
 * independent decoder, tests/support/escpos_decode), the printer's status answers, and the
 * backends against a fake network printer (tests/support/fake_printer) and a pseudo-terminal
 * standing in for a USB printer.
 *
 * usage: test_print FAKE_PRINTER_BINARY CONTENT_DIR */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "content/content.h"
#include "content/flow.h"
#include "core/i18n.h"
#include "core/refnum.h"
#include "core/slip.h"
#include "escpos_decode.h"
#include "print/print.h"
#include "sys/refseq.h"

static const char *FAKE_PRINTER, *CONTENT_DIR;

/* ---- reference numbers ---- */

static void damm_check_digit_known_values(void **state)
{
    (void)state;
    /* the worked example of Damm's algorithm: 572 -> 4, and 5724 checks to 0 */
    assert_int_equal(refnum_check_digit("572"), 4);
    assert_int_equal(refnum_check_digit("5724"), 0);
    char r[REFNUM_DIGITS + 1];
    assert_true(refnum_make(12, 427, r));
    assert_int_equal(strlen(r), 10);
    assert_memory_equal(r, "012000427", 9);
    assert_true(refnum_valid(r, NULL));
    char g[24];
    refnum_group(r, g, sizeof g);
    assert_int_equal(strlen(g), 12);
    assert_int_equal(g[3], ' ');
    assert_int_equal(g[7], ' ');
    char back[REFNUM_DIGITS + 1];
    assert_true(refnum_valid(g, back)); /* read back as grouped on the slip */
    assert_string_equal(back, r);
    /* out of range */
    assert_false(refnum_make(0, 1, r));
    assert_false(refnum_make(1000, 1, r));
    assert_false(refnum_make(1, 0, r));
    assert_false(refnum_make(1, REFNUM_SEQ_MAX + 1, r));
    /* not ten digits, or other characters */
    assert_false(refnum_valid("12345", NULL));
    assert_false(refnum_valid("01200042711", NULL));
    assert_false(refnum_valid("012-000-427x", NULL));
}

/* Every single wrong digit and every swap of neighbours is caught, for many numbers. */
static void check_digit_catches_typing_errors(void **state)
{
    (void)state;
    int numbers = 0;
    for (uint32_t seq = 1; seq <= REFNUM_SEQ_MAX; seq += 7919) {
        char r[REFNUM_DIGITS + 1], t[REFNUM_DIGITS + 1];
        assert_true(refnum_make(1 + (int)(seq % 999), seq, r));
        assert_true(refnum_valid(r, NULL));
        for (int i = 0; i < REFNUM_DIGITS; i++) {
            for (char d = '0'; d <= '9'; d++) {
                if (d == r[i])
                    continue;
                memcpy(t, r, sizeof t);
                t[i] = d;
                assert_false(refnum_valid(t, NULL));
            }
            if (i + 1 < REFNUM_DIGITS && r[i] != r[i + 1]) {
                memcpy(t, r, sizeof t);
                t[i] = r[i + 1];
                t[i + 1] = r[i];
                assert_false(refnum_valid(t, NULL));
            }
        }
        numbers++;
    }
    assert_true(numbers > 100);
}

static void temp_dir(char *out, size_t cap)
{
    snprintf(out, cap, "/tmp/loket-print-XXXXXX");
    assert_non_null(mkdtemp(out));
}

static void rm_rf(const char *dir)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void sequence_never_repeats_and_survives_restarts(void **state)
{
    (void)state;
    char dir[64], err[256];
    temp_dir(dir, sizeof dir);
    uint32_t a = 0, b = 0, c = 0;
    assert_true(refseq_next(dir, &a, err, sizeof err));
    assert_true(refseq_next(dir, &b, err, sizeof err));
    assert_int_equal(a, 1);
    assert_int_equal(b, 2);
    /* "a restart": only the file carries the state */
    assert_true(refseq_next(dir, &c, err, sizeof err));
    assert_int_equal(c, 3);
    /* it wraps after the last number, to 1 (a million slips later) */
    char path[128];
    snprintf(path, sizeof path, "%s/reference-sequence", dir);
    FILE *f = fopen(path, "w");
    fprintf(f, "%u\n", (unsigned)REFNUM_SEQ_MAX);
    fclose(f);
    assert_true(refseq_next(dir, &c, err, sizeof err));
    assert_int_equal(c, 1);
    /* a damaged file is not guessed at */
    f = fopen(path, "w");
    fprintf(f, "garbage\n");
    fclose(f);
    assert_false(refseq_next(dir, &c, err, sizeof err));
    assert_non_null(strstr(err, "damaged"));
    f = fopen(path, "w");
    fprintf(f, "99999999\n");
    fclose(f);
    assert_false(refseq_next(dir, &c, err, sizeof err));
    rm_rf(dir);
    /* a folder that cannot be written: an error, not a number */
    assert_false(refseq_next("/nonexistent/folder", &c, err, sizeof err));
    assert_non_null(strstr(err, "/nonexistent/folder"));
}

/* ---- the slip's content ---- */

static bool valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80             ? 0
                : (*p & 0xE0) == 0xC0 ? 1
                : (*p & 0xF0) == 0xE0 ? 2
                : (*p & 0xF8) == 0xF0 ? 3
                                      : -1;
        if (n < 0)
            return false;
        p++;
        for (int i = 0; i < n; i++, p++)
            if ((*p & 0xC0) != 0x80)
                return false;
    }
    return true;
}

typedef struct {
    const content *c;
    int paths, lines_max;
    slip *s;
} walk;

static void compose_all_langs(walk *w, const journey *base)
{
    slip_site site = {"Informatiepunt Digitale Overheid", "28 november 2026, 10:42",
                      "Gemeente Utrecht", "14 030"};
    for (int l = 0; l < LANG_COUNT; l++) {
        journey j = *base;
        j.lang = (lang_id)l;
        slip_compose(w->c, &j, &site, w->s);
        if (w->s->lost) {
            fprintf(stderr, "event %s, %s: %d text(s) did not fit\n", w->c->events[j.event].id,
                    lang_get((lang_id)l)->code, w->s->lost);
            fail();
        }
        for (int i = 0; i < w->s->n; i++)
            assert_true(valid_utf8(w->s->lines[i].text));
        if (w->s->n > w->lines_max)
            w->lines_max = w->s->n;
        assert_true(refnum_valid(w->s->reference, NULL));
        assert_string_equal(w->s->qr + strlen(SLIP_QR_PREFIX), j.reference);
    }
    w->paths++;
}

/* Every path through the questions (the flow), every option, up to a bound per event. */
static void walk_answers(walk *w, journey *j, int from)
{
    const life_event *e = &w->c->events[j->event];
    int q = flow_next_question(e, j->answers, from);
    if (q >= e->n_questions || w->paths > 4000) {
        compose_all_langs(w, j);
        return;
    }
    int n = question_n_options(&e->questions[q]);
    for (int o = 0; o < n; o++) {
        j->answers[q] = o;
        if (e->questions[q].kind == QUESTION_DATE)
            j->dates[q] = o == DATE_KNOWN ? (civil_date){2026, 12, 15} : (civil_date){0, 0, 0};
        walk_answers(w, j, q + 1);
        j->answers[q] = -1;
    }
}

/* Every slip the shipped content can produce, in every language, fits: nothing cut off. */
static void every_slip_of_the_content_fits(void **state)
{
    (void)state;
    content_diag d = {0};
    content *c = content_load_dir(CONTENT_DIR, &d);
    assert_non_null(c);
    walk w = {.c = c, .s = malloc(sizeof(slip))};
    int total = 0;
    for (int ev = 0; ev < c->n_events; ev++) {
        journey j = {.event = ev, .today = {2026, 11, 28}};
        for (int i = 0; i < CONTENT_MAX_QUESTIONS; i++)
            j.answers[i] = -1;
        assert_true(refnum_make(7, 1000 + (uint32_t)ev, j.reference));
        w.paths = 0;
        walk_answers(&w, &j, 0);
        total += w.paths;
    }
    fprintf(stderr, "%d answer paths x %d languages composed; longest slip %d lines\n", total,
            LANG_COUNT, w.lines_max);
    assert_true(total > 100);
    assert_true(w.lines_max < SLIP_MAX_LINES);

    /* a text longer than a line can hold is cut at a character, and counted */
    size_t big = SLIP_LINE_MAX * 2;
    char *arabic = malloc(big + 1);
    for (size_t i = 0; i + 1 < big; i += 2)
        memcpy(arabic + i, "\xd8\xa8", 2); /* ب */
    arabic[big] = '\0';
    life_event *e = &c->events[0];
    const char *saved = e->title.s[LANG_AR];
    e->title.s[LANG_AR] = arabic;
    journey j = {.event = 0, .lang = LANG_AR, .today = {2026, 11, 28}};
    for (int i = 0; i < CONTENT_MAX_QUESTIONS; i++)
        j.answers[i] = -1;
    slip_site site = {"x", "y", NULL, NULL};
    slip_compose(c, &j, &site, w.s);
    assert_true(w.s->lost >= 1);
    for (int i = 0; i < w.s->n; i++) {
        assert_true(valid_utf8(w.s->lines[i].text));
        assert_true(strlen(w.s->lines[i].text) < SLIP_LINE_MAX);
    }
    assert_string_equal(w.s->reference, ""); /* no number: no QR code either */
    assert_string_equal(w.s->qr, "");
    e->title.s[LANG_AR] = saved;
    free(arabic);
    free(w.s);
    content_free(c);
    content_diag_free(&d);
}

/* ---- ESC/POS ---- */

/* A test picture: a frame 1 dot wide, a diagonal, and a filled block. */
static void test_raster(raster *r, int w, int h)
{
    assert_true(raster_init(r, w, h));
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            bool on = x == 0 || y == 0 || x == w - 1 || y == h - 1 || x == y ||
                      (x > 100 && x < 140 && y > 300 && y < 380);
            if (on)
                r->bits[(size_t)y * (size_t)r->stride + (size_t)(x >> 3)] |=
                    (unsigned char)(0x80 >> (x & 7));
        }
}

static void assert_same_picture(const raster *r, const escpos_page *pg)
{
    assert_int_equal(pg->width, r->width);
    assert_true(pg->height >= r->height);
    for (int y = 0; y < r->height; y++)
        for (int x = 0; x < r->width; x++) {
            int want =
                (r->bits[(size_t)y * (size_t)r->stride + (size_t)(x >> 3)] >> (7 - (x & 7))) & 1;
            if (pg->px[(size_t)y * (size_t)pg->width + (size_t)x] != want) {
                fprintf(stderr, "dot %d,%d differs\n", x, y);
                fail();
            }
        }
    /* below the picture only the feed: white */
    for (int y = r->height; y < pg->height; y++)
        for (int x = 0; x < pg->width; x++)
            assert_int_equal(pg->px[(size_t)y * (size_t)pg->width + (size_t)x], 0);
}

static void escpos_job_decodes_to_the_same_picture(void **state)
{
    (void)state;
    static const int widths[] = {576, 512, 384};
    for (int k = 0; k < 3; k++) {
        for (int gs_l = 0; gs_l <= 1; gs_l++) {
            raster r;
            test_raster(&r, widths[k], 700); /* more than two bands */
            printer_options o;
            printer_options_defaults(&o);
            o.gs_l = gs_l;
            size_t n = escpos_job(&r, &o, NULL, 0);
            assert_true(n > (size_t)r.stride * 700);
            unsigned char *buf = malloc(n);
            assert_int_equal(escpos_job(&r, &o, buf, n), n);
            assert_int_equal(escpos_job(&r, &o, buf, n - 1), 0); /* too small: nothing half */
            escpos_page pg;
            bool ok = escpos_decode(buf, n, &pg);
            if (!ok)
                fprintf(stderr, "decode: %s\n", pg.error);
            assert_true(ok);
            assert_int_equal(pg.inits, 1);
            assert_int_equal(pg.cuts, 1);
            assert_int_equal(pg.text_bytes, 0);
            assert_int_equal(pg.images, 3);
            assert_int_equal(pg.feeds_dots, o.feed_dots);
            assert_same_picture(&r, &pg);
            escpos_page_free(&pg);
            free(buf);
            raster_free(&r);
        }
    }
    /* no cut configured: none sent */
    raster r;
    test_raster(&r, 384, 10);
    printer_options o;
    printer_options_defaults(&o);
    o.cut = PRINTER_CUT_NONE;
    unsigned char buf[4096];
    size_t n = escpos_job(&r, &o, buf, sizeof buf);
    escpos_page pg;
    assert_true(escpos_decode(buf, n, &pg));
    assert_int_equal(pg.cuts, 0);
    escpos_page_free(&pg);
    raster_free(&r);
}

static void status_bytes_are_read_bit_by_bit(void **state)
{
    (void)state;
    printer_status st = {0};
    assert_true(escpos_status_parse(1, 0x16, &st));
    assert_true(escpos_status_parse(2, 0x12, &st));
    assert_true(escpos_status_parse(3, 0x12, &st));
    assert_true(escpos_status_parse(4, 0x12, &st));
    assert_true(st.known);
    print_outcome o = {0};
    assert_false(printer_status_blocks(&st, &o));
    /* fixed bits wrong: not a status byte (e.g. our own query echoed back) */
    assert_false(escpos_status_parse(1, 0x10, &st));
    assert_false(escpos_status_parse(1, 0x92, &st));
    assert_false(escpos_status_parse(5, 0x12, &st));
    struct {
        int n;
        unsigned char b;
        const char *fault; /* NULL: allows printing */
        bool near_end;
    } cases[] = {
        {1, 0x1E, "offline", false},       {2, 0x16, "cover_open", false},
        {2, 0x32, "paper_end", false},     {2, 0x52, "printer_error", false},
        {3, 0x1A, "cutter", false},        {3, 0x32, "printer_error", false},
        {3, 0x52, "printer_error", false}, {4, 0x1E, NULL, true},
        {4, 0x72, "paper_end", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        printer_status s = {0};
        print_outcome out = {0};
        assert_true(escpos_status_parse(cases[i].n, cases[i].b, &s));
        bool blocks = printer_status_blocks(&s, &out);
        if (cases[i].fault) {
            assert_true(blocks);
            assert_string_equal(out.fault, cases[i].fault);
            assert_int_equal(out.kind, PRINT_OUT_FAILED);
        } else {
            assert_false(blocks);
        }
        assert_int_equal(s.paper_near_end, cases[i].near_end);
    }
    /* unknown is never "fine" and never a fault */
    printer_status unknown = {0};
    print_outcome out = {0};
    assert_false(printer_status_blocks(&unknown, &out));
}

/* ---- backends ---- */

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        *n = 0;
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)len + 1);
    *n = fread(b, 1, (size_t)len, f);
    fclose(f);
    return b;
}

static void file_backend_appends_and_reports_errors(void **state)
{
    (void)state;
    char dir[64], path[128];
    temp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/printer.out", dir);
    printer_options o;
    printer_options_defaults(&o);
    raster r;
    test_raster(&r, 576, 40);
    printer *p = printer_file_new(path, &o);
    print_outcome out;
    p->print(p, &r, &out);
    assert_int_equal(out.kind, PRINT_OUT_PRINTED);
    p->print(p, &r, &out);
    size_t n;
    unsigned char *b = slurp(path, &n);
    escpos_page pg;
    assert_true(escpos_decode(b, n, &pg));
    assert_int_equal(pg.inits, 2); /* appended, two slips */
    assert_int_equal(pg.cuts, 2);
    escpos_page_free(&pg);
    free(b);
    p->destroy(p);
    p = printer_file_new("/nonexistent/folder/printer.out", &o);
    p->print(p, &r, &out);
    assert_int_equal(out.kind, PRINT_OUT_FAILED);
    assert_string_equal(out.fault, "file");
    assert_non_null(strstr(out.reason, "cannot open printer file"));
    p->destroy(p);
    /* the PNG backend draws the picture */
    snprintf(path, sizeof path, "%s/slip.png", dir);
    p = printer_png_new(path, &o);
    p->print(p, &r, &out);
    assert_int_equal(out.kind, PRINT_OUT_PRINTED);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_true(sb.st_size > 100);
    p->destroy(p);
    raster_free(&r);
    rm_rf(dir);
}

typedef struct {
    pid_t pid;
    int port;
    char dir[64], out[128];
} fake;

static void fake_start(fake *f, const char *mode)
{
    temp_dir(f->dir, sizeof f->dir);
    snprintf(f->out, sizeof f->out, "%s/received.bin", f->dir);
    char ready[128];
    snprintf(ready, sizeof ready, "%s/port", f->dir);
    f->pid = fork();
    assert_true(f->pid >= 0);
    if (f->pid == 0) {
        /* an orphan must never hold the test's output open */
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            _exit(126);
        execl(FAKE_PRINTER, FAKE_PRINTER, "0", mode, f->out, ready, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 500; i++) {
        FILE *p = fopen(ready, "r");
        if (p) {
            int ok = fscanf(p, "%d", &f->port);
            fclose(p);
            if (ok == 1 && f->port > 0)
                return;
        }
        usleep(10000);
    }
    fail_msg("fake printer did not start");
}

static void fake_stop(fake *f)
{
    kill(f->pid, SIGTERM);
    int st;
    waitpid(f->pid, &st, 0);
    rm_rf(f->dir);
}

static double ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) * 1000.0 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Prints through the tcp backend to a fake printer in `mode`; returns what it received. */
static print_outcome print_to_fake(const char *mode, escpos_page *received, double *ms)
{
    fake f;
    fake_start(&f, mode);
    char addr[64];
    snprintf(addr, sizeof addr, "127.0.0.1:%d", f.port);
    printer_options o;
    printer_options_defaults(&o);
    o.timeout_ms = 4000;
    printer *p = printer_tcp_new(addr, &o);
    raster r;
    test_raster(&r, 576, 300);
    print_outcome out;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    p->print(p, &r, &out);
    *ms = ms_since(&t0);
    p->destroy(p);
    /* the fake writes what it got as it gets it: wait until the file stops growing */
    long last = -1;
    for (int quiet = 0, i = 0; quiet < 4 && i < 100; i++) {
        struct stat sb;
        long size = stat(f.out, &sb) == 0 ? (long)sb.st_size : 0;
        quiet = size == last ? quiet + 1 : 0;
        last = size;
        usleep(50000);
    }
    size_t n;
    unsigned char *b = slurp(f.out, &n);
    bool ok = escpos_decode(b ? b : (unsigned char *)"", n, received);
    if (!ok)
        fprintf(stderr, "decode: %s\n", received->error);
    assert_true(ok);
    if (out.kind != PRINT_OUT_FAILED)
        assert_same_picture(&r, received);
    free(b);
    raster_free(&r);
    fake_stop(&f);
    return out;
}

static void network_printer_statuses(void **state)
{
    (void)state;
    escpos_page pg;
    double ms;

    print_outcome o = print_to_fake("ok", &pg, &ms);
    assert_int_equal(o.kind, PRINT_OUT_PRINTED);
    assert_true(o.before.known && o.after.known);
    assert_false(o.after.paper_near_end);
    assert_int_equal(pg.status_queries, 8); /* 4 before, 4 after */
    assert_int_equal(pg.images, 2);
    escpos_page_free(&pg);

    o = print_to_fake("near_end", &pg, &ms);
    assert_int_equal(o.kind, PRINT_OUT_PRINTED); /* printed; the technician is told */
    assert_true(o.after.paper_near_end);
    escpos_page_free(&pg);

    /* paper out, cover open, offline with an error: nothing is sent but the questions; the
     * cause is named rather than the symptom ("offline") */
    static const char *const blocked[][2] = {
        {"paper_end", "paper_end"}, {"cover_open", "cover_open"}, {"offline", "printer_error"}};
    for (int i = 0; i < 3; i++) {
        o = print_to_fake(blocked[i][0], &pg, &ms);
        assert_int_equal(o.kind, PRINT_OUT_FAILED);
        assert_string_equal(o.fault, blocked[i][1]);
        assert_int_equal(pg.images, 0);
        assert_int_equal(pg.inits, 0);
        assert_int_equal(pg.status_queries, 4);
        escpos_page_free(&pg);
    }

    /* silence: unknown, not fine — sent, not confirmed, within a second */
    o = print_to_fake("silent", &pg, &ms);
    assert_int_equal(o.kind, PRINT_OUT_UNCONFIRMED);
    assert_false(o.before.known);
    assert_int_equal(pg.images, 2);
    assert_true(ms < 2000);
    escpos_page_free(&pg);

    /* the printer hangs up at once */
    fake f;
    fake_start(&f, "close");
    char addr[64];
    snprintf(addr, sizeof addr, "127.0.0.1:%d", f.port);
    printer_options opt;
    printer_options_defaults(&opt);
    opt.timeout_ms = 3000;
    printer *p = printer_tcp_new(addr, &opt);
    raster r;
    test_raster(&r, 576, 2000);
    p->print(p, &r, &o);
    assert_int_equal(o.kind, PRINT_OUT_FAILED);
    p->destroy(p);
    fake_stop(&f);

    /* addresses a technician may write: a name, an IPv6 address in brackets, a broken one */
    fake_start(&f, "ok");
    snprintf(addr, sizeof addr, "localhost:%d", f.port);
    p = printer_tcp_new(addr, &opt);
    raster small;
    test_raster(&small, 576, 20);
    p->print(p, &small, &o);
    assert_int_equal(o.kind, PRINT_OUT_PRINTED);
    p->destroy(p);
    fake_stop(&f);
    p = printer_tcp_new("[::1", &opt);
    p->print(p, &small, &o);
    assert_int_equal(o.kind, PRINT_OUT_FAILED);
    assert_non_null(strstr(o.reason, "is not [address]:port"));
    p->destroy(p);
    raster_free(&small);

    /* the technician's check: the status without printing */
    static const struct {
        const char *mode;
        bool known, blocks, near_end;
    } checks[] = {{"ok", true, false, false},
                  {"near_end", true, false, true},
                  {"paper_end", true, true, true}, /* both roll sensors say so */
                  {"cover_open", true, true, false},
                  {"silent", false, false, false}};
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        fake_start(&f, checks[i].mode);
        snprintf(addr, sizeof addr, "127.0.0.1:%d", f.port);
        p = printer_tcp_new(addr, &opt);
        printer_status ps;
        char why[200];
        print_outcome po = {0};
        assert_true(printer_check(p, &ps, why, sizeof why));
        assert_int_equal(ps.known, checks[i].known);
        assert_int_equal(printer_status_blocks(&ps, &po), checks[i].blocks);
        assert_int_equal(ps.paper_near_end, checks[i].near_end);
        if (!checks[i].known)
            assert_non_null(strstr(why, "does not answer"));
        p->destroy(p);
        fake_stop(&f);
    }

    /* nobody listening: a clear reason, quickly */
    int port = f.port; /* just closed */
    snprintf(addr, sizeof addr, "127.0.0.1:%d", port);
    p = printer_tcp_new(addr, &opt);
    p->print(p, &r, &o);
    assert_int_equal(o.kind, PRINT_OUT_FAILED);
    assert_string_equal(o.fault, "connect");
    printer_status none;
    char why[200];
    assert_false(printer_check(p, &none, why, sizeof why));
    assert_non_null(strstr(why, "cannot connect"));
    assert_non_null(strstr(o.reason, "cannot connect to 127.0.0.1"));
    p->destroy(p);
    raster_free(&r);
}

/* A USB printer class device is a character device; a pseudo-terminal in raw mode stands in. */
static void usb_printer_one_way_and_two_way(void **state)
{
    (void)state;
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    assert_true(master >= 0);
    assert_int_equal(grantpt(master), 0);
    assert_int_equal(unlockpt(master), 0);
    char dev[128];
    snprintf(dev, sizeof dev, "%s", ptsname(master));
    int slave = open(dev, O_RDWR | O_NOCTTY);
    struct termios t;
    tcgetattr(slave, &t);
    cfmakeraw(&t);
    tcsetattr(slave, TCSANOW, &t);

    printer_options o;
    printer_options_defaults(&o);
    o.timeout_ms = 3000;
    raster r;
    test_raster(&r, 384, 64);
    printer *p = printer_usb_new(dev, &o);

    /* one-way: nobody answers the status question */
    pid_t reader = fork();
    if (reader == 0) {
        unsigned char b[4096];
        for (;;)
            if (read(master, b, sizeof b) <= 0)
                _exit(0);
    }
    print_outcome out;
    p->print(p, &r, &out);
    assert_int_equal(out.kind, PRINT_OUT_UNCONFIRMED);
    assert_non_null(strstr(out.reason, "does not report"));
    kill(reader, SIGKILL);
    waitpid(reader, NULL, 0);

    /* two-way, paper out: the answer comes back through the device */
    pid_t answer = fork();
    if (answer == 0) {
        unsigned char b[4096];
        for (;;) {
            ssize_t n = read(master, b, sizeof b);
            if (n <= 0)
                _exit(0);
            for (ssize_t i = 0; i + 2 < n; i++)
                if (b[i] == 0x10 && b[i + 1] == 0x04) {
                    unsigned char reply = b[i + 2] == 4 ? 0x72 : b[i + 2] == 2 ? 0x32 : 0x12;
                    if (write(master, &reply, 1) != 1)
                        _exit(1);
                }
        }
    }
    p->print(p, &r, &out);
    assert_int_equal(out.kind, PRINT_OUT_FAILED);
    assert_string_equal(out.fault, "paper_end");
    kill(answer, SIGKILL);
    waitpid(answer, NULL, 0);
    p->destroy(p);
    close(slave);
    close(master);

    /* unplugged */
    p = printer_usb_new("/dev/usb/lp-unplugged", &o);
    p->print(p, &r, &out);
    assert_int_equal(out.kind, PRINT_OUT_FAILED);
    assert_string_equal(out.fault, "connect");
    assert_non_null(strstr(out.reason, "/dev/usb/lp-unplugged"));
    p->destroy(p);
    raster_free(&r);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_print FAKE_PRINTER CONTENT_DIR\n");
        return 2;
    }
    FAKE_PRINTER = argv[1];
    CONTENT_DIR = argv[2];
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(damm_check_digit_known_values),
        cmocka_unit_test(check_digit_catches_typing_errors),
        cmocka_unit_test(sequence_never_repeats_and_survives_restarts),
        cmocka_unit_test(every_slip_of_the_content_fits),
        cmocka_unit_test(escpos_job_decodes_to_the_same_picture),
        cmocka_unit_test(status_bytes_are_read_bit_by_bit),
        cmocka_unit_test(file_backend_appends_and_reports_errors),
        cmocka_unit_test(network_printer_statuses),
        cmocka_unit_test(usb_printer_one_way_and_two_way),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
