#include "casesvc_run.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int casesvc_run_start(const char *bin, const char *data, const char *ready, const char *log,
                      pid_t *pid)
{
    unlink(ready);
    *pid = fork();
    if (*pid < 0)
        return 0;
    if (*pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd >= 0)
            dup2(fd, 2);
        execl(bin, bin, "serve", "--data-dir", data, "--port", "0", "--ready", ready, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 300 && access(ready, F_OK) != 0; i++) {
        struct timespec ts = {0, 50 * 1000000L};
        nanosleep(&ts, NULL);
    }
    char port[32];
    if (!casesvc_run_read_line(ready, port, sizeof port))
        return 0;
    int p = atoi(port);
    return p > 0 ? p : 0;
}

bool casesvc_run_read_line(const char *path, char *out, size_t cap)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    bool ok = fgets(out, (int)cap, f) != NULL;
    fclose(f);
    if (ok)
        out[strcspn(out, "\n")] = '\0';
    return ok;
}

size_t casesvc_run_on_data(char *p, size_t sz, size_t nm, void *ud)
{
    casesvc_run_buf *b = ud;
    char *nb = realloc(b->b, b->n + sz * nm + 1);
    if (!nb)
        return 0;
    b->b = nb;
    memcpy(b->b + b->n, p, sz * nm);
    b->n += sz * nm;
    b->b[b->n] = '\0';
    return sz * nm;
}
