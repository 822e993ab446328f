#include "print/print.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sys/log.h"

/* UTF-8 -> PC858 (the printer's Western European code page with the euro sign); characters it
 * lacks become '?'. */
static size_t to_pc858(const char *in, char *out, size_t cap)
{
    iconv_t cd = iconv_open("CP858//TRANSLIT", "UTF-8");
    if (cd == (iconv_t)-1)
        return 0;
    char *ip = (char *)in, *op = out;
    size_t il = strlen(in), ol = cap - 1;
    while (il > 0 && ol > 0) {
        if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
            if (errno == E2BIG)
                break;
            /* skip one invalid or unconvertible UTF-8 sequence */
            unsigned char c = (unsigned char)*ip;
            size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
            if (n > il)
                n = il;
            ip += n;
            il -= n;
            *op++ = '?';
            ol--;
        }
    }
    iconv_close(cd);
    *op = '\0';
    return (size_t)(op - out);
}

typedef struct {
    unsigned char *p;
    size_t n, cap;
    bool overflow;
} sink;

static void put(sink *s, const void *b, size_t n)
{
    if (s->n + n > s->cap) {
        s->overflow = true;
        return;
    }
    memcpy(s->p + s->n, b, n);
    s->n += n;
}

/* Word-wraps an 8-bit line to `cols` columns. */
static void put_wrapped(sink *s, const char *text, int cols)
{
    size_t len = strlen(text), start = 0;
    while (start < len) {
        size_t end = start + (size_t)cols;
        if (end >= len) {
            end = len;
        } else {
            size_t sp = end;
            while (sp > start && text[sp] != ' ')
                sp--;
            if (sp > start)
                end = sp;
        }
        put(s, text + start, end - start);
        put(s, "\n", 1);
        start = end;
        while (start < len && text[start] == ' ')
            start++;
    }
}

size_t escpos_text_render(const slip *sl, int columns, unsigned char *out, size_t cap)
{
    static const unsigned char init[] = {0x1B, 0x40, 0x1B, 0x74, 19}; /* ESC @, ESC t 19 */
    static const unsigned char bold_on[] = {0x1B, 0x45, 1}, bold_off[] = {0x1B, 0x45, 0};
    static const unsigned char big_on[] = {0x1D, 0x21, 0x11}, big_off[] = {0x1D, 0x21, 0};
    static const unsigned char cut[] = {0x1B, 0x64, 4, 0x1D, 0x56, 66, 0}; /* feed 4, cut */
    sink s = {out, 0, cap, false};
    char line[SLIP_LINE_MAX * 2];
    put(&s, init, sizeof init);
    for (int i = 0; i < sl->n; i++) {
        to_pc858(sl->lines[i].text, line, sizeof line);
        switch (sl->lines[i].style) {
        case SLIP_TITLE:
            put(&s, big_on, sizeof big_on);
            put_wrapped(&s, line, columns / 2);
            put(&s, big_off, sizeof big_off);
            break;
        case SLIP_HEADING:
            put(&s, bold_on, sizeof bold_on);
            put_wrapped(&s, line, columns);
            put(&s, bold_off, sizeof bold_off);
            break;
        case SLIP_RULE:
            for (int c = 0; c < columns; c++)
                put(&s, "-", 1);
            put(&s, "\n", 1);
            break;
        default:
            put_wrapped(&s, line, columns);
            break;
        }
    }
    put(&s, cut, sizeof cut);
    explicit_bzero(line, sizeof line);
    return s.overflow ? 0 : s.n;
}

typedef struct {
    printer base;
    char path[1024];
} file_printer;

static bool file_print(printer *p, const slip *sl, char *err, size_t errcap)
{
    file_printer *f = (file_printer *)p;
    size_t cap = 256 * 1024;
    unsigned char *buf = malloc(cap);
    if (!buf) {
        snprintf(err, errcap, "out of memory");
        return false;
    }
    size_t n = escpos_text_render(sl, 48, buf, cap);
    bool ok = false;
    if (n == 0) {
        snprintf(err, errcap, "slip too long");
    } else {
        int fd = open(f->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0) {
            snprintf(err, errcap, "cannot open printer file: %s", strerror(errno));
        } else {
            size_t done = 0;
            while (done < n) {
                ssize_t w = write(fd, buf + done, n - done);
                if (w < 0 && errno == EINTR)
                    continue;
                if (w <= 0)
                    break;
                done += (size_t)w;
            }
            ok = done == n;
            if (!ok)
                snprintf(err, errcap, "write to printer file failed: %s", strerror(errno));
            if (close(fd) != 0 && ok) {
                ok = false;
                snprintf(err, errcap, "write to printer file failed: %s", strerror(errno));
            }
        }
    }
    explicit_bzero(buf, cap);
    free(buf);
    return ok;
}

static void file_destroy(printer *p)
{
    free(p);
}

printer *printer_file_new(const char *path)
{
    file_printer *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    snprintf(f->path, sizeof f->path, "%s", path);
    f->base.print = file_print;
    f->base.destroy = file_destroy;
    /* text mode, code page PC858: Dutch and English only (Turkish and Polish letters, Arabic
     * and Cyrillic are not in it); the raster slip of the slip issue prints every language */
    f->base.languages = 1u << LANG_NL | 1u << LANG_EN;
    return &f->base;
}
