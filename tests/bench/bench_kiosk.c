/* Kiosk benchmark (not a timed test: it prints figures; machines are noisy).
 *
 *   bench_kiosk LOKET SCRIPTS_DIR [IDLE_SECONDS] [--no-callgrind]
 *
 * Prints:
 *   first_frame_ms   start of the process to the first interactive frame (median of 5), as
 *                    seen from outside and as measured inside the program
 *   peak_rss_kib     peak resident memory after IDLE_SECONDS on the welcome screen
 *   idle_cpu_pct     CPU used during IDLE_SECONDS idle on the welcome screen (default 10)
 *   overview_instr_cold / overview_instr_warm
 *                    instructions (callgrind) to draw the overview screen once, with an empty
 *                    text cache and with a warm one
 * Run it with a display (the README says how: under xvfb-run). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

static char datadir[] = "/tmp/loket-bench-XXXXXX";

/* Starts loket; its stdout comes back through *out. */
static pid_t start(const char *loket, char *const extra[], FILE **out)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        if (!freopen("/dev/null", "w", stderr))
            _exit(126);
        char *argv[16] = {(char *)loket, "--windowed", "--data-dir", datadir};
        int n = 4;
        for (int i = 0; extra && extra[i] && n < 15; i++)
            argv[n++] = extra[i];
        argv[n] = NULL;
        execv(loket, argv);
        _exit(127);
    }
    close(fds[1]);
    *out = fdopen(fds[0], "r");
    return pid;
}

static double cpu_seconds(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    unsigned long ut = 0, st = 0;
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
        return -1;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static long callgrind(const char *loket, const char *scripts, const char *fn)
{
    char out[128], cmd[2048];
    snprintf(out, sizeof out, "%s/callgrind.%s", datadir, fn);
    snprintf(cmd, sizeof cmd,
             "valgrind --tool=callgrind --collect-atstart=no --toggle-collect=%s "
             "--callgrind-out-file=%s %s --script %s/bench_overview.script --data-dir %s "
             "--screenshot-dir %s >/dev/null 2>&1",
             fn, out, loket, scripts, datadir, datadir);
    if (system(cmd) != 0)
        return -1;
    FILE *f = fopen(out, "r");
    if (!f)
        return -1;
    char line[512];
    long total = -1;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "totals:", 7) || !strncmp(line, "summary:", 8))
            total = atol(strchr(line, ':') + 1);
    fclose(f);
    return total;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_kiosk LOKET SCRIPTS_DIR [IDLE_SECONDS] [--no-callgrind]\n");
        return 2;
    }
    const char *loket = argv[1], *scripts = argv[2];
    int idle = argc > 3 && argv[3][0] != '-' ? atoi(argv[3]) : 10;
    int no_cg = !strcmp(argv[argc - 1], "--no-callgrind");
    if (!mkdtemp(datadir))
        return 1;

    /* 1. start to first interactive frame */
    double outside[5], inside[5];
    for (int i = 0; i < 5; i++) {
        char *extra[] = {"--exit-after-first-frame", NULL};
        FILE *out;
        double t0 = now_ms();
        pid_t pid = start(loket, extra, &out);
        char line[128] = "";
        inside[i] = -1;
        while (fgets(line, sizeof line, out))
            if (!strncmp(line, "first_frame_ms=", 15)) {
                outside[i] = now_ms() - t0;
                inside[i] = atof(line + 15);
            }
        fclose(out);
        int st;
        waitpid(pid, &st, 0);
        if (inside[i] < 0) {
            fprintf(stderr, "bench: loket did not draw a first frame (is there a display?)\n");
            return 1;
        }
    }
    qsort(outside, 5, sizeof outside[0], cmp_double);
    qsort(inside, 5, sizeof inside[0], cmp_double);
    printf("first_frame_ms=%.1f (inside the program: %.1f; median of 5)\n", outside[2], inside[2]);

    /* 2. idle on the welcome screen: CPU and peak memory */
    FILE *out;
    pid_t pid = start(loket, NULL, &out);
    sleep(2); /* let it start and draw */
    double c0 = cpu_seconds(pid), t0 = now_ms();
    sleep((unsigned)idle);
    double c1 = cpu_seconds(pid), t1 = now_ms();
    kill(pid, SIGTERM);
    int st;
    struct rusage ru;
    wait4(pid, &st, 0, &ru);
    fclose(out);
    if (c0 < 0 || c1 < 0) {
        fprintf(stderr, "bench: loket stopped during the idle measurement\n");
        return 1;
    }
    printf("idle_cpu_pct=%.3f (%.3f s CPU over %.1f s on the welcome screen)\n",
           100.0 * (c1 - c0) / ((t1 - t0) / 1000.0), c1 - c0, (t1 - t0) / 1000.0);
    printf("peak_rss_kib=%ld\n", ru.ru_maxrss);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "bench: loket did not stop cleanly on SIGTERM\n");
        return 1;
    }

    /* 3. instructions to draw the overview once */
    if (!no_cg) {
        long cold = callgrind(loket, scripts, "ui_redraw_cold");
        long warm = callgrind(loket, scripts, "ui_redraw");
        if (cold < 0 || warm < 0) {
            fprintf(stderr, "bench: callgrind failed (is valgrind installed?)\n");
            return 1;
        }
        printf("overview_instr_cold=%ld (empty text cache)\n", cold);
        printf("overview_instr_warm=%ld (text cache warm: no glyph rendering)\n", warm);
        printf("overview_cold_to_warm_ratio=%.1f\n", (double)cold / (double)warm);
    }
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", datadir);
    return system(cmd) == 0 ? 0 : 1;
}
