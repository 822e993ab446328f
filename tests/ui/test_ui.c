/* UI tests: the real loket program, in a real window (run under Xvfb), driven by scripts in
 * tests/ui/. Each test reads the render log the program writes (every text and control with
 * its rectangle and colours, frame by frame) and the PNG screenshots, and checks what a person
 * would see: the right screens and texts, touch targets of at least 12 mm, text big enough and
 * with enough contrast, nothing off screen, the help button everywhere, screenshots that match
 * the render log, and nothing personal left behind.
 *
 * The printed slip is checked independently of the kiosk's printer code: the ESC/POS bytes are
 * decoded back to a bitmap (tests/support/escpos_decode), its QR code is read with zbarimg, and
 * a fake network printer (tests/support/fake_printer) answers status questions.
 *
 * usage: test_ui LOKET SCRIPTS_DIR OUT_DIR FAKE_PRINTER SUPPORT_SRC_DIR FAKE_CASESVC */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <SDL.h>
#include <SDL_image.h>
#include <cmocka.h>
#include <signal.h>

#include "core/speak.h"
#include "nfc/emrtd_chip.h"
#include "nfc/emrtd_specimen.h"
#include "pn532_emu.h"
#include "escpos_decode.h"

static const char *LOKET, *SCRIPTS, *OUT, *FAKE_PRINTER, *SUPPORT, *FAKE_CASESVC;

/* ---- render log ---- */

typedef struct {
    char id[64];
    int x, y, w, h, layer, border;
    unsigned bg;
    char label[256];
} rl_control;

typedef struct {
    int x, y, w, h, px, bold, layer;
    unsigned fg, bg;
    char text[512];
} rl_text;

typedef struct {
    int layer;
    char text[2048];
} rl_para;

typedef struct {
    char screen[24], lang[4], focus[64], contrast[8];
    int W, H, layer, warning, handoff, print, pages, shaping, reach;
    double scale;
    double pxmm, capratio;
    unsigned long glyphs;
    int nc, nt, np;
    rl_control *c;
    rl_text *t;
    rl_para *p;
} rl_frame;

typedef struct {
    int n;
    rl_frame *f;
    int nshots;
    struct {
        char name[128];
        int frame; /* index of the frame on screen when it was taken */
    } shots[64];
} rlog;

static char *field(char **save)
{
    return strtok_r(NULL, "\t\n", save);
}

static int kv_int(const char *line, const char *key)
{
    const char *p = strstr(line, key);
    return p ? atoi(p + strlen(key)) : -1;
}

static void rlog_load(rlog *L, const char *path)
{
    memset(L, 0, sizeof *L);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[4096];
    rl_frame *cur = NULL;
    while (fgets(line, sizeof line, f)) {
        char copy[4096];
        snprintf(copy, sizeof copy, "%s", line);
        char *save = NULL;
        char *kind = strtok_r(copy, "\t\n", &save);
        if (!kind)
            continue;
        if (!strcmp(kind, "screenshot") && L->n > 0 && L->nshots < 64) {
            char *name = field(&save);
            snprintf(L->shots[L->nshots].name, sizeof L->shots[0].name, "%s", name ? name : "");
            L->shots[L->nshots++].frame = L->n - 1;
        } else if (!strcmp(kind, "frame")) {
            L->f = realloc(L->f, sizeof *L->f * (size_t)(L->n + 1));
            cur = &L->f[L->n++];
            memset(cur, 0, sizeof *cur);
            sscanf(strstr(line, "screen=") + 7, "%23[^\t]", cur->screen);
            sscanf(strstr(line, "lang=") + 5, "%3[^\t]", cur->lang);
            cur->W = kv_int(line, "width=");
            cur->H = kv_int(line, "height=");
            cur->pxmm = atof(strstr(line, "pxmm=") + 5);
            cur->capratio = atof(strstr(line, "capratio=") + 9);
            cur->layer = kv_int(line, "layer=");
            cur->warning = kv_int(line, "warning=");
            cur->handoff = kv_int(line, "handoff=");
            cur->print = kv_int(line, "print=");
            cur->pages = kv_int(line, "pages=");
            cur->shaping = kv_int(line, "shaping=");
            cur->glyphs = strtoul(strstr(line, "glyphs=") + 7, NULL, 10);
            cur->scale = atof(strstr(line, "scale=") + 6);
            sscanf(strstr(line, "contrast=") + 9, "%7[^\t\n]", cur->contrast);
            cur->reach = kv_int(line, "reach=");
            const char *fo = strstr(line, "focus=");
            if (fo)
                sscanf(fo + 6, "%63[^\t\n]", cur->focus);
        } else if (!strcmp(kind, "control") && cur) {
            cur->c = realloc(cur->c, sizeof *cur->c * (size_t)(cur->nc + 1));
            rl_control *c = &cur->c[cur->nc++];
            memset(c, 0, sizeof *c);
            snprintf(c->id, sizeof c->id, "%s", field(&save));
            c->x = atoi(field(&save));
            c->y = atoi(field(&save));
            c->w = atoi(field(&save));
            c->h = atoi(field(&save));
            c->layer = atoi(field(&save));
            c->bg = (unsigned)strtoul(field(&save), NULL, 16);
            c->border = atoi(field(&save));
            char *lab = field(&save);
            snprintf(c->label, sizeof c->label, "%s", lab ? lab : "");
        } else if (!strcmp(kind, "paragraph") && cur) {
            cur->p = realloc(cur->p, sizeof *cur->p * (size_t)(cur->np + 1));
            rl_para *p = &cur->p[cur->np++];
            for (int k = 0; k < 4; k++)
                field(&save); /* the rectangle */
            p->layer = atoi(field(&save));
            char *txt = field(&save);
            snprintf(p->text, sizeof p->text, "%s", txt ? txt : "");
        } else if (!strcmp(kind, "text") && cur) {
            cur->t = realloc(cur->t, sizeof *cur->t * (size_t)(cur->nt + 1));
            rl_text *t = &cur->t[cur->nt++];
            memset(t, 0, sizeof *t);
            t->x = atoi(field(&save));
            t->y = atoi(field(&save));
            t->w = atoi(field(&save));
            t->h = atoi(field(&save));
            t->px = atoi(field(&save));
            t->bold = atoi(field(&save));
            t->fg = (unsigned)strtoul(field(&save), NULL, 16);
            t->bg = (unsigned)strtoul(field(&save), NULL, 16);
            t->layer = atoi(field(&save));
            char *txt = field(&save);
            snprintf(t->text, sizeof t->text, "%s", txt ? txt : "");
        }
    }
    fclose(f);
    assert_true(L->n > 0);
}

static void rlog_free(rlog *L)
{
    for (int i = 0; i < L->n; i++) {
        free(L->f[i].c);
        free(L->f[i].t);
        free(L->f[i].p);
    }
    free(L->f);
}

/* A text on screen: a line, or a whole paragraph that wraps over lines. */
static bool frame_text(const rl_frame *f, const char *needle)
{
    for (int i = 0; i < f->nt; i++)
        if (strstr(f->t[i].text, needle))
            return true;
    for (int i = 0; i < f->np; i++)
        if (strstr(f->p[i].text, needle))
            return true;
    return false;
}

/* A control that can be tapped: on the top layer. */
static const rl_control *frame_control(const rl_frame *f, const char *id)
{
    for (int i = 0; i < f->nc; i++)
        if (!strcmp(f->c[i].id, id) && f->c[i].layer == f->layer)
            return &f->c[i];
    return NULL;
}

/* The first frame on `screen` that shows `needle` (NULL: any text). */
static const rl_frame *find_frame(const rlog *L, const char *screen, const char *needle)
{
    for (int i = 0; i < L->n; i++)
        if (!strcmp(L->f[i].screen, screen) && (!needle || frame_text(&L->f[i], needle)))
            return &L->f[i];
    return NULL;
}

static bool any_text(const rlog *L, const char *needle)
{
    for (int i = 0; i < L->n; i++)
        if (frame_text(&L->f[i], needle))
            return true;
    return false;
}

/* ---- properties every frame must have ---- */

static double lin(unsigned c)
{
    double v = c / 255.0;
    return v <= 0.04045 ? v / 12.92 : SDL_pow((v + 0.055) / 1.055, 2.4);
}

static double contrast(unsigned a, unsigned b)
{
    double la = 0.2126 * lin(a >> 16 & 255) + 0.7152 * lin(a >> 8 & 255) + 0.0722 * lin(a & 255);
    double lb = 0.2126 * lin(b >> 16 & 255) + 0.7152 * lin(b >> 8 & 255) + 0.0722 * lin(b & 255);
    return (SDL_max(la, lb) + 0.05) / (SDL_min(la, lb) + 0.05);
}

static int failures;
static void problem(const rl_frame *f, int frame_no, const char *fmt, ...)
{
    if (failures++ > 20)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "frame %d (%s): ", frame_no, f->screen);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void check_every_frame(const rlog *L)
{
    failures = 0;
    /* 0.7 degrees of view at 500 mm */
    const double min_cap_mm = 2 * 500 * SDL_tan(0.35 * M_PI / 180);
    for (int i = 0; i < L->n; i++) {
        const rl_frame *f = &L->f[i];
        double target = 12.0 * f->pxmm;
        for (int k = 0; k < f->nc; k++) {
            const rl_control *c = &f->c[k];
            if (c->layer != f->layer)
                continue; /* covered by an overlay */
            if (c->w + 0.5 < target || c->h + 0.5 < target)
                problem(f, i, "control %s is %dx%d px, less than 12 mm (%.0f px)", c->id, c->w,
                        c->h, target);
            if (c->x < 0 || c->y < 0 || c->x + c->w > f->W || c->y + c->h > f->H)
                problem(f, i, "control %s is off screen", c->id);
            /* no control lies on another: a finger would hit both */
            for (int m = k + 1; m < f->nc; m++) {
                const rl_control *d = &f->c[m];
                if (d->layer == c->layer && c->x < d->x + d->w && d->x < c->x + c->w &&
                    c->y < d->y + d->h && d->y < c->y + c->h)
                    problem(f, i, "controls %s and %s overlap", c->id, d->id);
            }
        }
        for (int k = 0; k < f->nt; k++) {
            const rl_text *t = &f->t[k];
            if (t->x < 0 || t->y < 0 || t->x + t->w > f->W || t->y + t->h > f->H)
                problem(f, i, "text '%s' is off screen (%d,%d %dx%d)", t->text, t->x, t->y, t->w,
                        t->h);
            double cap_mm = t->px * f->capratio / f->pxmm;
            if (cap_mm < min_cap_mm)
                problem(f, i, "text '%s' has a cap height of %.2f mm, below %.2f mm", t->text,
                        cap_mm, min_cap_mm);
            /* a label stays inside its button: text that overlaps a control lies within it */
            for (int m = 0; m < f->nc; m++) {
                const rl_control *c = &f->c[m];
                if (c->layer != t->layer || t->x >= c->x + c->w || c->x >= t->x + t->w ||
                    t->y >= c->y + c->h || c->y >= t->y + t->h)
                    continue;
                if (t->x < c->x || t->y < c->y || t->x + t->w > c->x + c->w ||
                    t->y + t->h > c->y + c->h)
                    problem(f, i, "text '%s' runs over the edge of control %s", t->text, c->id);
            }
            if (t->layer == f->layer && contrast(t->fg, t->bg) < 7.0)
                problem(f, i, "text '%s' has contrast %.2f:1, below 7:1", t->text,
                        contrast(t->fg, t->bg));
        }
        /* help from an employee is one tap away on every screen (in the hand-off message it
         * is the message itself) */
        bool handoff_open = f->layer == 1;
        if (!handoff_open && !frame_control(f, "handoff"))
            problem(f, i, "no help button");
    }
    assert_int_equal(failures, 0);
}

/* The PNG shows what the render log says: size, and each control's fill just inside its
 * border. */
static void check_screenshot(const char *png, const rl_frame *f)
{
    SDL_Surface *raw = IMG_Load(png);
    if (!raw)
        fprintf(stderr, "%s: %s\n", png, IMG_GetError());
    assert_non_null(raw);
    SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_RGBA32, 0);
    SDL_FreeSurface(raw);
    assert_int_equal(s->w, f->W);
    assert_int_equal(s->h, f->H);
    int checked = 0;
    for (int k = 0; k < f->nc; k++) {
        const rl_control *c = &f->c[k];
        if (c->layer != f->layer)
            continue;
        int x = c->x + c->border + 2, y = c->y + c->border + 2;
        const Uint8 *p = (const Uint8 *)s->pixels + y * s->pitch + x * 4;
        unsigned got = (unsigned)p[0] << 16 | (unsigned)p[1] << 8 | p[2];
        if (got != c->bg) {
            fprintf(stderr, "%s: control %s should be %06x at (%d,%d), is %06x\n", png, c->id,
                    c->bg, x, y, got);
            fail();
        }
        checked++;
    }
    assert_true(checked > 0);
    SDL_FreeSurface(s);
}

/* ---- running the program ---- */

typedef struct {
    char dir[1024], log[1100], err[1100], data[1100], speech[1100], audio[1100];
    int status;
    rlog rl;
} run;

static void run_script(run *r, const char *name, const char *script, ...)
{
    memset(r, 0, sizeof *r);
    snprintf(r->dir, sizeof r->dir, "%s/%s", OUT, name);
    char cmd[2200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", r->dir, r->dir);
    assert_int_equal(system(cmd), 0);
    snprintf(r->log, sizeof r->log, "%s/render.log", r->dir);
    snprintf(r->err, sizeof r->err, "%s/stderr.txt", r->dir);
    snprintf(r->data, sizeof r->data, "%s/data", r->dir);
    char scriptpath[1100];
    snprintf(scriptpath, sizeof scriptpath, "%s/%s", SCRIPTS, script);
    snprintf(r->speech, sizeof r->speech, "%s/speech.log", r->dir);
    snprintf(r->audio, sizeof r->audio, "%s/audio.raw", r->dir);
    const char *argv[40] = {LOKET,   "--script",     scriptpath, "--screenshot-dir",
                            r->dir,  "--render-log", r->log,     "--data-dir",
                            r->data, "--speech-log", r->speech};
    int argc = 11;
    va_list ap;
    va_start(ap, script);
    const char *a;
    while ((a = va_arg(ap, const char *)) && argc < 38)
        argv[argc++] = a;
    va_end(ap);
    argv[argc] = NULL;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (!freopen(r->err, "w", stderr))
            _exit(126);
        /* the sound goes to a file (SDL's disk audio driver, set for the UI tests) */
        setenv("SDL_DISKAUDIOFILE", r->audio, 1);
        execv(LOKET, (char *const *)argv);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    if (r->status != 0) {
        char buf[4096];
        FILE *f = fopen(r->err, "r");
        size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
        buf[n] = '\0';
        if (f)
            fclose(f);
        fprintf(stderr, "loket %s exited %d:\n%s\n", script, r->status, buf);
    }
    assert_int_equal(r->status, 0);
    rlog_load(&r->rl, r->log);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char buf[1 << 20];
    *len = fread(buf, 1, sizeof buf - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static bool file_contains(const char *path, const char *needle)
{
    size_t len;
    char *b = slurp(path, &len);
    if (!b)
        return false;
    for (size_t i = 0; i + strlen(needle) <= len; i++)
        if (!memcmp(b + i, needle, strlen(needle)))
            return true;
    return false;
}

/* The screenshot `png` shows `screen` (and `text`, if given), pixel for pixel as the render
 * log recorded the frame on screen when it was taken. */
static void check_shot(const run *r, const char *png, const char *screen, const char *text)
{
    char p[1200];
    snprintf(p, sizeof p, "%s/%s", r->dir, png);
    const rl_frame *f = NULL;
    for (int i = 0; i < r->rl.nshots; i++)
        if (!strcmp(r->rl.shots[i].name, png))
            f = &r->rl.f[r->rl.shots[i].frame];
    if (!f)
        fprintf(stderr, "the render log has no screenshot %s\n", png);
    assert_non_null(f);
    assert_string_equal(f->screen, screen);
    if (text && !frame_text(f, text)) {
        fprintf(stderr, "%s does not show '%s'\n", png, text);
        fail();
    }
    check_screenshot(p, f);
}

static void visited_in_order(const rlog *L, const char *const *screens, int n)
{
    int at = 0;
    for (int i = 0; i < L->n && at < n; i++)
        if (!strcmp(L->f[i].screen, screens[at]))
            at++;
    if (at < n)
        fprintf(stderr, "screen '%s' was not reached in order\n", screens[at]);
    assert_int_equal(at, n);
}

/* ---- the printed slip ---- */

typedef struct {
    int x, y, w, h;
    char text[512];
} slip_el;

/* The n-th slip element of `kind` (in the render log) whose text contains `needle`. */
static bool slip_find(const run *r, const char *kind, const char *needle, int n, slip_el *out)
{
    FILE *f = fopen(r->log, "r");
    assert_non_null(f);
    char line[4096];
    bool found = false;
    while (!found && fgets(line, sizeof line, f)) {
        char k[32];
        slip_el e = {0};
        if (sscanf(line, "slip\t%31[^\t]\t%d\t%d\t%d\t%d\t%511[^\n]", k, &e.x, &e.y, &e.w, &e.h,
                   e.text) < 5 ||
            strcmp(k, kind) != 0 || (needle && !strstr(e.text, needle)))
            continue;
        if (n-- == 0) {
            *out = e;
            found = true;
        }
    }
    fclose(f);
    return found;
}

typedef struct {
    int width, height, margin;
    char reference[16]; /* the bare digits printed */
} slip_seen;

/* The slip the kiosk printed to its printer file: well-formed ESC/POS, the configured width,
 * nothing in the margins, the QR code readable (zbarimg) with the reference number in it, and
 * a PNG preview of the same size. */
static void check_slip(const run *r, const char *printer_file, int width, slip_seen *seen)
{
    memset(seen, 0, sizeof *seen);
    size_t n;
    char *b = slurp(printer_file, &n);
    assert_non_null(b);
    escpos_page pg;
    bool ok = escpos_decode((const unsigned char *)b, n, &pg);
    if (!ok)
        fprintf(stderr, "%s: %s\n", printer_file, pg.error);
    assert_true(ok);
    assert_int_equal(pg.width, width);
    assert_int_equal(pg.text_bytes, 0); /* a raster: no printer fonts involved */
    assert_true(pg.inits >= 1);
    assert_int_equal(pg.cuts, pg.inits);
    /* the render log's page line: width, height, margin */
    FILE *f = fopen(r->log, "r");
    char line[4096];
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "slip\tpage\t", 10))
            sscanf(line + 10, "%d\t%d\t%d", &seen->width, &seen->height, &seen->margin);
    fclose(f);
    assert_int_equal(seen->width, width);
    assert_true(seen->margin >= 8);
    /* nothing beyond the margins, and ink on the page */
    long ink = 0;
    for (int y = 0; y < pg.height; y++)
        for (int x = 0; x < pg.width; x++) {
            int v = pg.px[(size_t)y * (size_t)pg.width + (size_t)x];
            ink += v;
            if (v && (x < seen->margin || x >= width - seen->margin)) {
                fprintf(stderr, "ink at %d,%d: in the margin\n", x, y);
                fail();
            }
        }
    assert_true(ink > 10000);
    /* the QR code, read by an independent reader */
    char pbm[1200], cmd[2600], out[256] = "";
    snprintf(pbm, sizeof pbm, "%s/slip.pbm", r->dir);
    assert_true(escpos_write_pbm(&pg, pbm));
    escpos_page_free(&pg);
    snprintf(cmd, sizeof cmd, "zbarimg --raw -q '%s'", pbm);
    FILE *z = popen(cmd, "r");
    assert_non_null(z);
    if (!fgets(out, sizeof out, z))
        out[0] = '\0';
    pclose(z);
    out[strcspn(out, "\r\n")] = '\0';
    if (strncmp(out, "LOKET:", 6) != 0 || strlen(out) != 16) {
        fprintf(stderr, "QR code on the slip reads '%s'\n", out);
        fail();
    }
    snprintf(seen->reference, sizeof seen->reference, "%s", out + 6);
    /* the number printed large is the one in the QR code */
    slip_el ref;
    assert_true(slip_find(r, "reference", NULL, 0, &ref));
    char digits[16] = "";
    size_t k = 0;
    for (const char *c = ref.text; *c && k < 15; c++)
        if (*c >= '0' && *c <= '9')
            digits[k++] = *c;
    assert_string_equal(digits, seen->reference);
    /* the preview */
    char png[1200];
    snprintf(png, sizeof png, "%s/slip-preview.png", r->data);
    SDL_Surface *s = IMG_Load(png);
    assert_non_null(s);
    assert_int_equal(s->w, width);
    assert_int_equal(s->h, seen->height);
    SDL_FreeSurface(s);
}

/* A fake network printer answering status questions as `mode` says. */
typedef struct {
    pid_t pid;
    int port;
    char received[1200];
} fake_printer;

static void fake_printer_start(fake_printer *f, const char *mode, const char *dir)
{
    char ready[1200];
    snprintf(ready, sizeof ready, "%s/fake-port", dir);
    snprintf(f->received, sizeof f->received, "%s/fake-received.bin", dir);
    unlink(ready);
    unlink(f->received); /* it appends: start empty */
    f->pid = fork();
    assert_true(f->pid >= 0);
    if (f->pid == 0) {
        /* an orphan must never hold the test's output open */
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            _exit(126);
        execl(FAKE_PRINTER, FAKE_PRINTER, "0", mode, f->received, ready, (char *)NULL);
        _exit(127);
    }
    f->port = 0;
    for (int i = 0; i < 500 && f->port <= 0; i++) {
        FILE *p = fopen(ready, "r");
        if (p) {
            if (fscanf(p, "%d", &f->port) != 1)
                f->port = 0;
            fclose(p);
        }
        if (f->port <= 0)
            usleep(10000);
    }
    assert_true(f->port > 0);
}

static void fake_printer_stop(fake_printer *f)
{
    /* let it write down what is still in its socket: until the file stops growing */
    long last = -1;
    for (int quiet = 0, i = 0; quiet < 4 && i < 100; i++) {
        struct stat sb;
        long size = stat(f->received, &sb) == 0 ? (long)sb.st_size : 0;
        quiet = size == last ? quiet + 1 : 0;
        last = size;
        usleep(50000);
    }
    kill(f->pid, SIGTERM);
    waitpid(f->pid, NULL, 0);
}

#include "journeys.inc"

#include "a11y.inc"

int main(int argc, char **argv)
{
    if (argc != 7 && argc != 8) {
        fprintf(stderr, "usage: test_ui LOKET SCRIPTS_DIR OUT_DIR FAKE_PRINTER SUPPORT "
                        "FAKE_CASESVC [a11y:PATTERN]\n");
        return 2;
    }
    SUPPORT = argv[5];
    FAKE_CASESVC = argv[6];
    LOKET = argv[1];
    SCRIPTS = argv[2];
    OUT = argv[3];
    FAKE_PRINTER = argv[4];
    mkdir(OUT, 0755);
    IMG_Init(IMG_INIT_PNG);
    int rc;
    if (argc == 8 && !strncmp(argv[7], "a11y:", 5)) {
        /* one accessibility clause (README: "Accessibility, clause by clause") */
        cmocka_set_test_filter(argv[7] + 5);
        rc = run_a11y();
    } else {
        /* by hand: one journey, e.g. "journey:out_of_hours*" */
        if (argc == 8 && !strncmp(argv[7], "journey:", 8))
            cmocka_set_test_filter(argv[7] + 8);
        rc = run_journeys();
    }
    IMG_Quit();
    return rc;
}
