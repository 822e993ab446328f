/* The real case service (loket-casesvc) in the tests and the benchmark: started on a free port,
 * its ready file and other one-line files read, and libcurl's answers gathered. */
#ifndef LOKET_TEST_CASESVC_RUN_H
#define LOKET_TEST_CASESVC_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Starts `bin serve --data-dir data --port 0 --ready ready` (a stale ready file removed first),
 * its stderr appended to `log`; waits up to 15 s for the ready file. Returns the port it
 * listens on, or 0; *pid gets the child (-1 when fork failed). */
int casesvc_run_start(const char *bin, const char *data, const char *ready, const char *log,
                      pid_t *pid);

/* The first line of a file, without its newline; false when it cannot be read. */
bool casesvc_run_read_line(const char *path, char *out, size_t cap);

/* An answer's bytes, NUL-terminated (free b). */
typedef struct {
    char *b;
    size_t n;
} casesvc_run_buf;

/* A CURLOPT_WRITEFUNCTION into a casesvc_run_buf (CURLOPT_WRITEDATA). */
size_t casesvc_run_on_data(char *p, size_t sz, size_t nm, void *ud);

#endif
