/* fake_printer PORT MODE OUTFILE [READYFILE]: a fake raw-TCP receipt printer (like port 9100)
 * for tests. Listens on 127.0.0.1:PORT (0 = any free port), writes the port it got to READYFILE
 * (via READYFILE.tmp and rename), serves connections one after another until SIGTERM/SIGINT,
 * appends every byte received to OUTFILE and answers DLE EOT n status queries according to MODE.
 *
 * Like a real printer it spots DLE EOT n anywhere in the stream (also inside image data), as
 * real-time commands are handled before the command parser sees the bytes. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct {
    const char *name;
    bool answers;       /* false: never answers a status query */
    bool closes;        /* true: closes each connection at once, reads nothing */
    unsigned char s[4]; /* answer to DLE EOT 1..4 */
} mode;

static const mode modes[] = {
    {"ok", true, false, {0x16, 0x12, 0x12, 0x12}},
    {"near_end", true, false, {0x16, 0x12, 0x12, 0x1E}},
    {"paper_end", true, false, {0x1E, 0x32, 0x12, 0x7E}},
    {"cover_open", true, false, {0x1E, 0x16, 0x12, 0x12}},
    {"offline", true, false, {0x1E, 0x52, 0x52, 0x12}},
    {"silent", false, false, {0}},
    {"close", false, true, {0}},
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static bool write_all(int fd, const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

static bool write_ready(const char *path, int port)
{
    size_t len = strlen(path) + 5;
    char *tmp = malloc(len);
    if (!tmp)
        return false;
    snprintf(tmp, len, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    bool ok = f && fprintf(f, "%d\n", port) > 0;
    if (f && fclose(f) != 0)
        ok = false;
    ok = ok && rename(tmp, path) == 0;
    if (!ok)
        fprintf(stderr, "fake_printer: cannot write %s: %s\n", path, strerror(errno));
    free(tmp);
    return ok;
}

/* Waits until fd is readable; false when a stop signal came (the signals are blocked outside). */
static bool wait_readable(int fd, const sigset_t *unblocked)
{
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    while (!stop) {
        int r = ppoll(&pfd, 1, NULL, unblocked);
        if (r > 0)
            return true;
        if (r < 0 && errno != EINTR) {
            fprintf(stderr, "fake_printer: poll: %s\n", strerror(errno));
            return false;
        }
    }
    return false;
}

/* Serves one connection until the peer closes it (true) or a stop signal / error (false). */
static bool serve(int conn, const mode *m, const char *outfile, const sigset_t *unblocked)
{
    int out = open(outfile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (out < 0) {
        fprintf(stderr, "fake_printer: %s: %s\n", outfile, strerror(errno));
        return false;
    }
    int state = 0; /* 0: plain, 1: after DLE, 2: after DLE EOT */
    bool ok = true;
    unsigned char buf[4096];
    while (ok && wait_readable(conn, unblocked)) {
        ssize_t n = recv(conn, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno != ECONNRESET)
            fprintf(stderr, "fake_printer: recv: %s\n", strerror(errno));
        if (n <= 0)
            break;
        if (!write_all(out, buf, (size_t)n)) {
            fprintf(stderr, "fake_printer: %s: %s\n", outfile, strerror(errno));
            ok = false;
            break;
        }
        for (ssize_t i = 0; i < n; i++) {
            unsigned char c = buf[i];
            if (state == 2) {
                state = 0;
                if (c >= 1 && c <= 4 && m->answers)
                    /* The peer may be gone already: that is its business. */
                    (void)!send(conn, &m->s[c - 1], 1, MSG_NOSIGNAL);
            } else if (state == 1 && c == 0x04) {
                state = 2;
            } else {
                state = c == 0x10 ? 1 : 0;
            }
        }
    }
    close(out);
    return ok && !stop;
}

int main(int argc, char **argv)
{
    if (argc < 4 || argc > 5) {
        fprintf(stderr, "usage: %s PORT MODE OUTFILE [READYFILE]\n", argv[0]);
        return 2;
    }
    char *end;
    errno = 0;
    long port = strtol(argv[1], &end, 10);
    if (errno || *end || end == argv[1] || port < 0 || port > 65535) {
        fprintf(stderr, "fake_printer: bad port %s\n", argv[1]);
        return 2;
    }
    const mode *m = NULL;
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
        if (strcmp(argv[2], modes[i].name) == 0)
            m = &modes[i];
    if (!m) {
        fprintf(stderr,
                "fake_printer: unknown mode %s (ok, near_end, paper_end, cover_open, "
                "offline, silent, close)\n",
                argv[2]);
        return 2;
    }

    /* SIGTERM/SIGINT are blocked except while waiting in ppoll, so none is lost. */
    sigset_t block, unblocked;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    sigprocmask(SIG_BLOCK, &block, &unblocked);
    sigdelset(&unblocked, SIGTERM);
    sigdelset(&unblocked, SIGINT);
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (ls < 0) {
        fprintf(stderr, "fake_printer: socket: %s\n", strerror(errno));
        return 1;
    }
    int one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof addr;
    if (bind(ls, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(ls, 8) < 0 ||
        getsockname(ls, (struct sockaddr *)&addr, &alen) < 0) {
        fprintf(stderr, "fake_printer: 127.0.0.1:%ld: %s\n", port, strerror(errno));
        close(ls);
        return 1;
    }
    if (argc == 5 && !write_ready(argv[4], ntohs(addr.sin_port))) {
        close(ls);
        return 1;
    }

    int rc = 0;
    while (wait_readable(ls, &unblocked)) {
        int conn = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
        if (conn < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            fprintf(stderr, "fake_printer: accept: %s\n", strerror(errno));
            rc = 1;
            break;
        }
        bool ok = true;
        if (!m->closes)
            ok = serve(conn, m, argv[3], &unblocked);
        close(conn);
        if (!ok) {
            rc = stop ? 0 : 1;
            break;
        }
    }
    close(ls);
    return rc;
}
