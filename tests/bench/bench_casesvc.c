/* bench_casesvc: load on the reference case service over HTTPS on loopback.
 *
 *   bench_casesvc LOKET_CASESVC [REQUESTS [CONNECTIONS]]
 *
 * Starts loket-casesvc in a temporary directory (init-site, first-run certificates, client
 * certificates required), then, with CONNECTIONS threads each keeping one TLS connection open
 * (libcurl), sends REQUESTS (default 2000, over 4 connections) of each of:
 *   - POST /maak-klantcontact (a kiosk's intake, ~1.5 KB, a durable SQLite commit each), and
 *   - GET /internetaken?status=te_verwerken&toegewezenAanActor__uuid=... (the desk's polling
 *     query, with 20 tasks waiting, 5 of them for another site),
 * and prints requests per second and the latency p50, p99 and max of each. Bounded loops only:
 * every thread does its share and stops. */
#include <curl/curl.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "casesvc_run.h"

static const char *BIN;
static char DIR_[128], DATA[200], READY[256], TOKEN[128], ACTOR[37], OTHER[37];
static int PORT;

typedef struct {
    int id, n;
    bool post;
    double *lat;
    int failures;
    char kc_uuid[37]; /* of the last contact posted (for tasks) */
} worker;

static size_t sink(char *p, size_t sz, size_t nm, void *ud)
{
    /* keep the start of the answer: the klantcontact uuid is near its end, keep it all */
    char **b = ud;
    size_t old = *b ? strlen(*b) : 0, n = sz * nm;
    char *nb = realloc(*b, old + n + 1);
    if (!nb)
        return 0;
    memcpy(nb + old, p, n);
    nb[old + n] = '\0';
    *b = nb;
    return n;
}

static CURL *handle(struct curl_slist **h)
{
    CURL *c = curl_easy_init();
    char auth[256], ca[256], cert[256], key[256];
    snprintf(auth, sizeof auth, "Authorization: Token %s", TOKEN);
    snprintf(ca, sizeof ca, "%s/certs/ca.pem", DATA);
    snprintf(cert, sizeof cert, "%s/certs/client-bench.pem", DATA);
    snprintf(key, sizeof key, "%s/certs/client-bench.key", DATA);
    *h = curl_slist_append(NULL, auth);
    *h = curl_slist_append(*h, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_CAINFO, ca);
    curl_easy_setopt(c, CURLOPT_SSLCERT, cert);
    curl_easy_setopt(c, CURLOPT_SSLKEY, key);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, *h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    return c;
}

static long perform(CURL *c, const char *path, const char *body, char **answer)
{
    char url[512];
    snprintf(url, sizeof url, "https://localhost:%d/klantinteracties/api/v1%s", PORT, path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    if (body)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    else
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    free(*answer);
    *answer = NULL;
    curl_easy_setopt(c, CURLOPT_WRITEDATA, answer);
    long status = 0;
    if (curl_easy_perform(c) != CURLE_OK)
        return 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    return status;
}

static const char INHOUD[] =
    "Gaat u verhuizen binnen de gemeente? Ja\\nWanneer verhuist u? 15 december 2026\\n"
    "Verhuist u met kinderen? Ja\\nHeeft u een huurwoning? Ja\\nKrijgt u huurtoeslag? Ja\\n"
    "Wilt u hulp bij het doorgeven? Ja";
static const char REACTIE[] =
    "Gemeente Utrecht\\n- Verhuizing doorgeven (uiterlijk 5 dagen na de verhuisdatum)\\n"
    "Belastingdienst / Toeslagen\\n- Huurtoeslag aanpassen (voor 1 januari)\\n"
    "Woningcorporatie\\n- Huur opzeggen (een maand van tevoren)";

static void *run(void *arg)
{
    worker *w = arg;
    struct curl_slist *h;
    CURL *c = handle(&h);
    char *answer = NULL, body[4096], q[256];
    snprintf(q, sizeof q, "/internetaken?status=te_verwerken&toegewezenAanActor__uuid=%s", ACTOR);
    for (int i = 0; i < w->n; i++) {
        if (w->post)
            snprintf(body, sizeof body,
                     "{\"klantcontact\":{\"kanaal\":\"zelfbedieningszuil\",\"onderwerp\":"
                     "\"Verhuizen (zelfbedieningszuil)\",\"inhoud\":\"%s\",\"reactie\":\"%s\","
                     "\"indicatieContactGelukt\":true,\"taal\":\"nld\",\"vertrouwelijk\":true,"
                     "\"plaatsgevondenOp\":\"2026-11-28T10:42:00+01:00\",\"referentienummer\":"
                     "\"%02d%08d\",\"metadata\":{\"zuil\":\"zuil-1\",\"locatie\":\"Bibliotheek "
                     "Centrum\",\"levensgebeurtenis\":\"moving\",\"toestemming\":\"gemeente,"
                     "toeslagen\",\"contactvoorkeur\":\"terugbellen\"}},\"betrokkene\":{\"rol\":"
                     "\"klant\",\"initiator\":true}}",
                     INHOUD, REACTIE, w->id % 100, i);
        double t0 = now_ms();
        long st = perform(c, w->post ? "/maak-klantcontact" : q, w->post ? body : NULL, &answer);
        w->lat[i] = now_ms() - t0;
        if (st != (w->post ? 201 : 200))
            w->failures++;
        if (w->post && st == 201 && answer) {
            const char *u = strstr(answer, "\"klantcontact\":{");
            u = u ? strstr(u, "\"uuid\":\"") : NULL;
            if (u)
                snprintf(w->kc_uuid, sizeof w->kc_uuid, "%.36s", u + 8);
        }
    }
    free(answer);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return NULL;
}

static void phase(const char *name, bool post, int n, int k, char kc_out[37])
{
    worker *w = calloc((size_t)k, sizeof *w);
    pthread_t *t = calloc((size_t)k, sizeof *t);
    double *lat = calloc((size_t)n, sizeof *lat);
    int off = 0;
    double t0 = now_ms();
    static int round;
    round++;
    for (int i = 0; i < k; i++) {
        w[i].id = round * 10 + i;
        w[i].n = n / k + (i < n % k);
        w[i].post = post;
        w[i].lat = lat + off;
        off += w[i].n;
        pthread_create(&t[i], NULL, run, &w[i]);
    }
    int failures = 0;
    for (int i = 0; i < k; i++) {
        pthread_join(t[i], NULL);
        failures += w[i].failures;
    }
    double wall = now_ms() - t0;
    if (kc_out)
        snprintf(kc_out, 37, "%s", w[0].kc_uuid);
    qsort(lat, (size_t)n, sizeof *lat, cmp_double);
    printf("%-40s %6d requests, %d connections: %7.0f requests/s, p50 %6.2f ms, p99 %6.2f ms, "
           "max %6.2f ms%s\n",
           name, n, k, n / (wall / 1000.0), lat[n / 2], lat[(int)(n * 0.99)], lat[n - 1],
           failures ? " FAILURES" : "");
    if (failures) {
        fprintf(stderr, "bench_casesvc: %d request(s) failed\n", failures);
        exit(1);
    }
    free(w);
    free(t);
    free(lat);
}

static void read_line(const char *path, char *out, size_t cap)
{
    if (!casesvc_run_read_line(path, out, cap)) {
        fprintf(stderr, "bench_casesvc: cannot read %s\n", path);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_casesvc LOKET_CASESVC [REQUESTS [CONNECTIONS]]\n");
        return 2;
    }
    BIN = argv[1];
    int n = argc > 2 ? atoi(argv[2]) : 2000, k = argc > 3 ? atoi(argv[3]) : 4;
    if (n < 10 || k < 1 || k > 64 || n > 10000000) {
        fprintf(stderr, "bench_casesvc: REQUESTS >= 10, 1 <= CONNECTIONS <= 64\n");
        return 2;
    }
    snprintf(DIR_, sizeof DIR_, "/tmp/bench-casesvc-XXXXXX");
    if (!mkdtemp(DIR_))
        return 1;
    snprintf(DATA, sizeof DATA, "%s/data", DIR_);
    snprintf(READY, sizeof READY, "%s/ready", DIR_);
    char cmd[1024], path[300];
    snprintf(cmd, sizeof cmd,
             "'%s' init-site --data-dir '%s' --site 'Bibliotheek Centrum' --kiosk bench "
             "--desk bench-desk > "
             "'%s/site' && '%s' init-site --data-dir '%s' --site 'Stadskantoor' > '%s/other'",
             BIN, DATA, DIR_, BIN, DATA, DIR_);
    if (system(cmd) != 0)
        return 1;
    snprintf(path, sizeof path, "%s/site", DIR_);
    read_line(path, cmd, sizeof cmd);
    snprintf(ACTOR, sizeof ACTOR, "%.36s", cmd + 6);
    snprintf(path, sizeof path, "%s/other", DIR_);
    read_line(path, cmd, sizeof cmd);
    snprintf(OTHER, sizeof OTHER, "%.36s", cmd + 6);
    snprintf(path, sizeof path, "%s/token-bench", DATA);
    read_line(path, TOKEN, sizeof TOKEN);

    pid_t pid;
    /* one log line per request: not part of what is measured here */
    PORT = casesvc_run_start(BIN, DATA, READY, "/dev/null", &pid);
    if (PORT <= 0) {
        fprintf(stderr, "bench_casesvc: cannot read %s\n", READY);
        exit(1);
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);

    char kc[37];
    phase("POST /maak-klantcontact", true, n, k, kc);
    /* 20 waiting tasks: 15 for this site's team, 5 for another */
    struct curl_slist *h;
    CURL *c = handle(&h);
    char *answer = NULL, body[1024];
    for (int i = 0; i < 20; i++) {
        snprintf(body, sizeof body,
                 "{\"gevraagdeHandeling\":\"Warme overdracht: inwoner wacht bij zuil 1\","
                 "\"status\":\"te_verwerken\",\"aanleidinggevendKlantcontact\":{\"uuid\":\"%s\"},"
                 "\"toegewezenAanActoren\":[{\"uuid\":\"%s\"}]}",
                 kc, i < 15 ? ACTOR : OTHER);
        if (perform(c, "/internetaken", body, &answer) != 201) {
            fprintf(stderr, "bench_casesvc: cannot make the tasks\n");
            return 1;
        }
    }
    free(answer);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    /* the desk's query, with a desk's token (a kiosk's may not list tasks) */
    snprintf(path, sizeof path, "%s/token-bench-desk", DATA);
    read_line(path, TOKEN, sizeof TOKEN);
    phase("GET /internetaken?status=te_verwerken&...", false, n, k, NULL);

    /* the service's own CPU time (client and service share the machine) */
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    unsigned long ut = 0, stm = 0;
    if (f && fscanf(f, "%*d (%*[^)]) %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut,
                    &stm) == 2)
        printf("service CPU time: %.1f s for %d requests, %.2f ms per request\n",
               (double)(ut + stm) / (double)sysconf(_SC_CLK_TCK), 2 * n + 20,
               1000.0 * (double)(ut + stm) / (double)sysconf(_SC_CLK_TCK) / (2 * n + 20));
    if (f)
        fclose(f);
    kill(pid, SIGTERM);
    int st = 0;
    waitpid(pid, &st, 0);
    curl_global_cleanup();
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", DIR_);
    if (system(cmd) != 0)
        return 1;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}
