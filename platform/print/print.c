#include "print/print.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define STATUS_WAIT_MS 500 /* a printer answers DLE EOT at once; silence longer is "unknown" */

void printer_options_defaults(printer_options *o)
{
    *o = (printer_options){.width_dots = 576,
                           .dpi = 203,
                           .gs_l = false,
                           .cut = PRINTER_CUT_PARTIAL,
                           .feed_dots = 120,
                           .status = true,
                           .timeout_ms = 15000};
}

bool raster_init(raster *r, int width, int height)
{
    r->width = width;
    r->height = height;
    r->stride = (width + 7) / 8;
    r->bits = calloc((size_t)r->stride * (size_t)(height > 0 ? height : 1), 1);
    return r->bits != NULL;
}

void raster_free(raster *r)
{
    if (r->bits) {
        explicit_bzero(r->bits, (size_t)r->stride * (size_t)(r->height > 0 ? r->height : 1));
        free(r->bits);
    }
    *r = (raster){0};
}

typedef enum { KIND_FILE, KIND_PNG, KIND_USB, KIND_TCP } printer_kind;

typedef struct {
    printer base;
    printer_kind kind;
    printer_options o;
    char target[1024];
} dev_printer;

static void fail(print_outcome *out, const char *fault, const char *fmt, const char *a,
                 const char *b)
{
    out->kind = PRINT_OUT_FAILED;
    snprintf(out->fault, sizeof out->fault, "%s", fault);
    snprintf(out->reason, sizeof out->reason, fmt, a, b);
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int left_ms(uint64_t deadline)
{
    uint64_t n = now_ms();
    return n >= deadline ? 0 : (int)(deadline - n);
}

/* Writes everything before the deadline; false with errno (ETIMEDOUT when out of time). */
static bool write_all(int fd, bool sock, const unsigned char *b, size_t n, uint64_t deadline)
{
    while (n > 0) {
        ssize_t w = sock ? send(fd, b, n, MSG_NOSIGNAL) : write(fd, b, n);
        if (w > 0) {
            b += w;
            n -= (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
            return false;
        int ms = left_ms(deadline);
        struct pollfd p = {.fd = fd, .events = POLLOUT};
        if (ms == 0 || poll(&p, 1, ms) == 0) {
            errno = ETIMEDOUT;
            return false;
        }
        if (p.revents & (POLLERR | POLLHUP | POLLNVAL)) {
            errno = EPIPE;
            return false;
        }
    }
    return true;
}

/* One byte within `ms`; -1 when none came. */
static int read_byte(int fd, int ms)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    uint64_t until = now_ms() + (uint64_t)ms;
    for (;;) {
        int wait = left_ms(until);
        int r = poll(&p, 1, wait);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0 || !(p.revents & POLLIN))
            return -1;
        unsigned char c;
        ssize_t n = read(fd, &c, 1);
        if (n == 1)
            return c;
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        return -1;
    }
}

static void drain(int fd)
{
    while (read_byte(fd, 0) >= 0) {
    }
}

/* DLE EOT 1..4. Silence, or an answer that is not a status byte, leaves the status unknown. */
static void query_status(int fd, bool sock, uint64_t deadline, printer_status *st)
{
    *st = (printer_status){0};
    drain(fd);
    for (int n = 1; n <= 4; n++) {
        unsigned char q[] = {0x10, 0x04, (unsigned char)n};
        if (!write_all(fd, sock, q, sizeof q, deadline))
            break;
        int wait = left_ms(deadline);
        int b = read_byte(fd, wait < STATUS_WAIT_MS ? wait : STATUS_WAIT_MS);
        if (b < 0 || !escpos_status_parse(n, (unsigned char)b, st)) {
            *st = (printer_status){0};
            return;
        }
    }
}

static int open_usb(const char *dev, bool *two_way)
{
    int fd = open(dev, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    *two_way = fd >= 0;
    if (fd < 0 && (errno == EACCES || errno == EINVAL || errno == EROFS))
        fd = open(dev, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    return fd;
}

static int connect_tcp(const char *address, uint64_t deadline, char *err, size_t errcap)
{
    /* host, host:port, [v6 address]:port, or a bare IPv6 address */
    char host[256], port[16] = "9100";
    size_t alen = strlen(address);
    if (alen == 0 || alen >= sizeof host) {
        snprintf(err, errcap, "printer address '%.60s' is not host:port", address);
        return -1;
    }
    memcpy(host, address, alen + 1);
    char *colon = strrchr(host, ':');
    if (host[0] == '[') {
        char *end = strchr(host, ']');
        if (!end) {
            snprintf(err, errcap, "printer address '%.60s' is not [address]:port", address);
            return -1;
        }
        *end = '\0';
        if (end[1] == ':')
            snprintf(port, sizeof port, "%.15s", end + 2);
        memmove(host, host + 1, strlen(host + 1) + 1);
    } else if (colon && strchr(host, ':') == colon) {
        *colon = '\0';
        snprintf(port, sizeof port, "%.15s", colon + 1);
    }
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res = NULL;
    int rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0) {
        snprintf(err, errcap, "cannot find %.100s: %s", address, gai_strerror(rc));
        return -1;
    }
    int fd = -1;
    for (struct addrinfo *a = res; a; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0)
            continue;
        if (connect(fd, a->ai_addr, a->ai_addrlen) == 0)
            break;
        if (errno == EINPROGRESS) {
            struct pollfd p = {.fd = fd, .events = POLLOUT};
            int soerr = ETIMEDOUT;
            socklen_t len = sizeof soerr;
            if (poll(&p, 1, left_ms(deadline)) == 1)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len);
            if (soerr == 0)
                break;
            errno = soerr;
        }
        int saved = errno;
        close(fd);
        fd = -1;
        errno = saved;
    }
    if (fd < 0)
        snprintf(err, errcap, "cannot connect to %.100s: %s", address, strerror(errno));
    freeaddrinfo(res);
    return fd;
}

static void print_stream(dev_printer *d, const raster *r, print_outcome *out)
{
    uint64_t deadline = now_ms() + (uint64_t)d->o.timeout_ms;
    bool sock = d->kind == KIND_TCP, two_way = true;
    char err[200] = "";
    int fd =
        sock ? connect_tcp(d->target, deadline, err, sizeof err) : open_usb(d->target, &two_way);
    if (fd < 0) {
        if (!sock)
            snprintf(err, sizeof err, "cannot open %.120s: %s", d->target, strerror(errno));
        fail(out, "connect", "%s%s", err, "");
        return;
    }
    if (d->o.status && two_way) {
        query_status(fd, sock, deadline, &out->before);
        if (printer_status_blocks(&out->before, out)) {
            close(fd);
            return;
        }
    }
    size_t n = escpos_job(r, &d->o, NULL, 0);
    unsigned char *job = malloc(n);
    if (!job) {
        fail(out, "write", "%s%s", "out of memory", "");
        close(fd);
        return;
    }
    escpos_job(r, &d->o, job, n);
    bool sent = write_all(fd, sock, job, n, deadline);
    int saved = errno;
    explicit_bzero(job, n);
    free(job);
    if (!sent) {
        fail(out, saved == ETIMEDOUT ? "timeout" : "write", "sending the slip failed: %s%s",
             strerror(saved), "");
        /* the printer may say why (paper ran out halfway) */
        if (d->o.status && two_way && out->before.known) {
            query_status(fd, sock, now_ms() + STATUS_WAIT_MS * 4, &out->after);
            printer_status_blocks(&out->after, out);
            out->kind = PRINT_OUT_FAILED;
        }
        close(fd);
        return;
    }
    if (d->o.status && two_way && out->before.known) {
        query_status(fd, sock, now_ms() + STATUS_WAIT_MS * 4, &out->after);
        if (printer_status_blocks(&out->after, out)) {
            snprintf(out->reason + strlen(out->reason), sizeof out->reason - strlen(out->reason),
                     " (after printing: the slip may be incomplete)");
            close(fd);
            return;
        }
    }
    close(fd);
    out->kind = out->after.known ? PRINT_OUT_PRINTED : PRINT_OUT_UNCONFIRMED;
    if (!out->after.known)
        snprintf(out->reason, sizeof out->reason, "sent; the printer does not report its status");
}

bool printer_check(printer *p, printer_status *st, char *why, size_t whycap)
{
    dev_printer *d = (dev_printer *)p;
    *st = (printer_status){0};
    why[0] = '\0';
    if (d->kind == KIND_FILE || d->kind == KIND_PNG) {
        snprintf(why, whycap, "%s (a file, not a printer: no status)", d->target);
        return true;
    }
    uint64_t deadline = now_ms() + (uint64_t)d->o.timeout_ms;
    bool sock = d->kind == KIND_TCP, two_way = true;
    int fd = sock ? connect_tcp(d->target, deadline, why, whycap) : open_usb(d->target, &two_way);
    if (fd < 0) {
        if (!sock)
            snprintf(why, whycap, "cannot open %.120s: %s", d->target, strerror(errno));
        return false;
    }
    if (two_way)
        query_status(fd, sock, deadline, st);
    close(fd);
    if (!st->known)
        snprintf(why, whycap, "%s does not answer status questions (a one-way printer?)",
                 d->target);
    return true;
}

static void print_file(dev_printer *d, const raster *r, print_outcome *out)
{
    size_t n = escpos_job(r, &d->o, NULL, 0);
    unsigned char *job = malloc(n);
    if (!job) {
        fail(out, "file", "%s%s", "out of memory", "");
        return;
    }
    escpos_job(r, &d->o, job, n);
    int fd = open(d->target, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        fail(out, "file", "cannot open printer file %.100s: %s", d->target, strerror(errno));
    } else {
        bool ok = write_all(fd, false, job, n, now_ms() + (uint64_t)d->o.timeout_ms);
        int saved = errno;
        if (close(fd) != 0 && ok) {
            ok = false;
            saved = errno;
        }
        if (ok)
            out->kind = PRINT_OUT_PRINTED; /* a file is not a printer: written is printed */
        else
            fail(out, "file", "write to printer file %.100s failed: %s", d->target,
                 strerror(saved));
    }
    explicit_bzero(job, n);
    free(job);
}

static void dev_print(printer *p, const raster *r, print_outcome *out)
{
    dev_printer *d = (dev_printer *)p;
    *out = (print_outcome){.kind = PRINT_OUT_FAILED};
    char err[200] = "";
    switch (d->kind) {
    case KIND_FILE:
        print_file(d, r, out);
        break;
    case KIND_PNG:
        if (raster_write_png(r, d->target, err, sizeof err))
            out->kind = PRINT_OUT_PRINTED;
        else
            fail(out, "file", "%s%s", err, "");
        break;
    case KIND_USB:
    case KIND_TCP:
        print_stream(d, r, out);
        break;
    }
}

static void dev_destroy(printer *p)
{
    free(p);
}

static printer *make(printer_kind kind, const char *target, const printer_options *o)
{
    dev_printer *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->kind = kind;
    d->o = *o;
    snprintf(d->target, sizeof d->target, "%s", target);
    d->base.print = dev_print;
    d->base.destroy = dev_destroy;
    return &d->base;
}

printer *printer_file_new(const char *path, const printer_options *o)
{
    return make(KIND_FILE, path, o);
}

printer *printer_png_new(const char *path, const printer_options *o)
{
    return make(KIND_PNG, path, o);
}

printer *printer_usb_new(const char *device, const printer_options *o)
{
    return make(KIND_USB, device, o);
}

printer *printer_tcp_new(const char *address, const printer_options *o)
{
    return make(KIND_TCP, address, o);
}
