#include "sys/refseq.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "core/refnum.h"

static bool write_all(int fd, const char *b, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, b, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        b += w;
        n -= (size_t)w;
    }
    return true;
}

bool refseq_next(const char *data_dir, uint32_t *seq, char *err, size_t errcap)
{
    char path[1100], tmp[1110], lockpath[1110];
    snprintf(path, sizeof path, "%s/reference-sequence", data_dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    snprintf(lockpath, sizeof lockpath, "%s.lock", path);
    int lock = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock < 0 || flock(lock, LOCK_EX) != 0) {
        snprintf(err, errcap, "cannot lock %s: %s", lockpath, strerror(errno));
        if (lock >= 0)
            close(lock);
        return false;
    }
    bool ok = false;
    unsigned long last = 0;
    FILE *f = fopen(path, "re");
    if (f) {
        char line[32] = "";
        char *end = NULL;
        if (fgets(line, sizeof line, f))
            last = strtoul(line, &end, 10);
        fclose(f);
        if (!end || end == line || last > REFNUM_SEQ_MAX) {
            /* never guess: a damaged file could hand out numbers twice */
            snprintf(err, errcap, "%s is damaged; a technician must check it", path);
            goto out;
        }
    } else if (errno != ENOENT) {
        snprintf(err, errcap, "cannot read %s: %s", path, strerror(errno));
        goto out;
    }
    uint32_t next = last >= REFNUM_SEQ_MAX ? 1 : (uint32_t)last + 1;
    char text[32];
    int n = snprintf(text, sizeof text, "%u\n", (unsigned)next);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, errcap, "cannot write %s: %s", tmp, strerror(errno));
        goto out;
    }
    bool written = write_all(fd, text, (size_t)n) && fsync(fd) == 0;
    int saved = errno;
    if (close(fd) != 0 && written) {
        written = false;
        saved = errno;
    }
    if (!written || rename(tmp, path) != 0) {
        snprintf(err, errcap, "cannot write %s: %s", path, strerror(written ? errno : saved));
        unlink(tmp);
        goto out;
    }
    int dfd = open(data_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd); /* the rename itself survives a power cut */
        close(dfd);
    }
    *seq = next;
    ok = true;
out:
    flock(lock, LOCK_UN);
    close(lock);
    return ok;
}
