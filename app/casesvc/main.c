/* loket-casesvc: the reference case service (VNG Klantinteracties API subset) for sites
 * without Open Klant, the demo and the tests. Wiring only: options, files, signals.
 *
 *   loket-casesvc serve --data-dir DIR [--port N] [--bind ADDR] [--ready FILE] ...
 *   loket-casesvc init-site (--data-dir DIR | --db DB --tokens FILE) --site NAME
 *                 [--kiosk ID]... [--desk ID]...
 *
 * See the README ("The reference case service") for every option. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <malloc.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "casesvc_api.h"
#include "casesvc_certs.h"
#include "casesvc_http.h"
#include "casesvc_store.h"
#include "casesvc_tokens.h"

#ifndef LOKET_CASESVC_OPENAPI
#define LOKET_CASESVC_OPENAPI "/usr/share/loket/casesvc/openapi.yaml"
#endif

/* jansson frees without wiping; the service's JSON holds citizens' answers */
static void *wiping_malloc(size_t n)
{
    return malloc(n);
}

static void wiping_free(void *p)
{
    if (p) {
        explicit_bzero(p, malloc_usable_size(p));
        free(p);
    }
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 8192, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (len + 1 >= cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[len] = '\0';
    return buf;
}

static bool write_atomic(const char *path, const char *text)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    bool ok = fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text) && fsync(fd) == 0;
    if (fd >= 0)
        ok = close(fd) == 0 && ok;
    return ok && rename(tmp, path) == 0;
}

static void usage(void)
{
    fprintf(stderr, "usage:\n"
                    "  loket-casesvc serve [--data-dir DIR] [--db FILE] [--tokens FILE]\n"
                    "                [--cert PEM --key PEM] [--client-ca PEM | --no-client-cert]\n"
                    "                [--bind ADDR] [--port N] [--origin URL] [--ready FILE]\n"
                    "                [--openapi FILE] [--threads N]\n"
                    "  loket-casesvc init-site (--data-dir DIR | --db FILE --tokens FILE)\n"
                    "                --site NAME [--kiosk ID]... [--desk ID]...\n");
    exit(2);
}

static void path_in(char *out, size_t cap, const char *dir, const char *name)
{
    snprintf(out, cap, "%s/%s", dir, name);
}

/* --data-dir DIR: made when missing; the database (into dbp) and the tokens file (into tkp, both
 * of `cap` bytes) in it, unless *db and *tokens were given. False, said, when it cannot be
 * made. */
static bool use_data_dir(const char *dir, const char **db, char *dbp, const char **tokens,
                         char *tkp, size_t cap)
{
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "loket-casesvc: cannot create %s: %s\n", dir, strerror(errno));
        return false;
    }
    path_in(dbp, cap, dir, "casesvc.db");
    path_in(tkp, cap, dir, "tokens");
    *db = *db ? *db : dbp;
    *tokens = *tokens ? *tokens : tkp;
    return true;
}

/* ---- init-site ---- */

static int init_site(int argc, char **argv)
{
    static const struct option opts[] = {
        {"data-dir", required_argument, NULL, 'd'},
        {"db", required_argument, NULL, 'b'},
        {"tokens", required_argument, NULL, 't'},
        {"site", required_argument, NULL, 's'},
        {"kiosk", required_argument, NULL, 'k'},
        {"desk", required_argument, NULL, 'e'},
        {NULL, 0, NULL, 0},
    };
    const char *dir = NULL, *db = NULL, *tokens = NULL, *site = NULL;
    const char *clients[64];
    casesvc_role roles[64];
    size_t n_clients = 0;
    int o;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'd':
            dir = optarg;
            break;
        case 'b':
            db = optarg;
            break;
        case 't':
            tokens = optarg;
            break;
        case 's':
            site = optarg;
            break;
        case 'k':
        case 'e':
            if (n_clients < 64) {
                roles[n_clients] = o == 'k' ? CASESVC_ROLE_KIOSK : CASESVC_ROLE_DESK;
                clients[n_clients++] = optarg;
            }
            break;
        default:
            usage();
        }
    }
    char dbp[4096], tkp[4096];
    if (dir && !use_data_dir(dir, &db, dbp, &tokens, tkp, sizeof dbp))
        return 1;
    if (optind != argc || !db || !tokens || !site || !*site || strlen(site) > 200)
        usage();
    char err[512];
    casesvc_store *st = casesvc_store_open(db, err, sizeof err);
    if (!st) {
        fprintf(stderr, "loket-casesvc: %s\n", err);
        return 1;
    }
    casesvc_filter f = {.kind = "actor", .ref = site, .limit = 1};
    casesvc_rows rows;
    if (casesvc_store_list(st, &f, &rows) != 0) {
        fprintf(stderr, "loket-casesvc: cannot read %s\n", db);
        casesvc_store_close(st);
        return 1;
    }
    char uuid[37];
    if (rows.n) {
        snprintf(uuid, sizeof uuid, "%s", rows.rows[0].uuid);
    } else {
        unsigned char b[16];
        RAND_bytes(b, sizeof b);
        b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
        b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
        snprintf(uuid, sizeof uuid,
                 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                 b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                 b[15]);
        char omschrijving[256];
        snprintf(omschrijving, sizeof omschrijving, "Team %s", site);
        json_t *body =
            json_pack("{s:s,s:s,s:b,s:n,s:{s:s}}", "naam", site, "soortActor",
                      "organisatorische_eenheid", "indicatieActief", 1, "actoridentificator",
                      "actorIdentificatie", "omschrijving", omschrijving);
        char *s = body ? json_dumps(body, JSON_COMPACT) : NULL;
        json_decref(body);
        casesvc_obj obj = {"actor", uuid, site, NULL, NULL, s};
        casesvc_store_result r =
            s ? casesvc_store_insert(st, &obj, 1, NULL, 0) : CASESVC_STORE_ERROR;
        free(s);
        if (r != CASESVC_STORE_OK) {
            fprintf(stderr, "loket-casesvc: cannot store the actor in %s\n", db);
            casesvc_rows_free(&rows);
            casesvc_store_close(st);
            return 1;
        }
    }
    casesvc_rows_free(&rows);
    casesvc_store_close(st);
    printf("actor %s %s\n", uuid, site);

    char tdir[4096];
    snprintf(tdir, sizeof tdir, "%s", tokens);
    char *slash = strrchr(tdir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(tdir, sizeof tdir, ".");
    for (size_t i = 0; i < n_clients; i++) {
        char plain[8400];
        snprintf(plain, sizeof plain, "%s/token-%.200s", tdir, clients[i]);
        bool created;
        if (!casesvc_tokens_issue(tokens, clients[i], roles[i], plain, &created, err, sizeof err)) {
            fprintf(stderr, "loket-casesvc: %s\n", err);
            return 1;
        }
        printf("token %s %s%s\n", clients[i], plain, created ? "" : " (kept)");
    }
    return 0;
}

/* ---- serve ---- */

/* The client names of the tokens file: one client certificate each on a first run. */
static size_t token_names(const char *tokens, char names[][64], size_t max)
{
    FILE *f = fopen(tokens, "r");
    size_t n = 0;
    char line[512], hex[128], name[64];
    while (f && n < max && fgets(line, sizeof line, f))
        if (line[0] != '#' && sscanf(line, "%127s %63s", hex, name) == 2)
            memcpy(names[n++], name, sizeof name);
    if (f)
        fclose(f);
    return n;
}

static int serve(int argc, char **argv)
{
    static const struct option opts[] = {
        {"data-dir", required_argument, NULL, 'd'}, {"db", required_argument, NULL, 'b'},
        {"tokens", required_argument, NULL, 't'},   {"cert", required_argument, NULL, 'c'},
        {"key", required_argument, NULL, 'k'},      {"client-ca", required_argument, NULL, 'a'},
        {"no-client-cert", no_argument, NULL, 'n'}, {"bind", required_argument, NULL, 'B'},
        {"port", required_argument, NULL, 'p'},     {"origin", required_argument, NULL, 'o'},
        {"ready", required_argument, NULL, 'r'},    {"openapi", required_argument, NULL, 'O'},
        {"threads", required_argument, NULL, 'T'},  {NULL, 0, NULL, 0},
    };
    const char *dir = NULL, *db = NULL, *tokens = NULL, *cert = NULL, *key = NULL, *ca = NULL;
    const char *bind = "127.0.0.1", *origin = NULL, *ready = NULL, *openapi = LOKET_CASESVC_OPENAPI;
    bool no_client_cert = false;
    long port = 8443, threads = 4;
    int o;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        char *end;
        switch (o) {
        case 'd':
            dir = optarg;
            break;
        case 'b':
            db = optarg;
            break;
        case 't':
            tokens = optarg;
            break;
        case 'c':
            cert = optarg;
            break;
        case 'k':
            key = optarg;
            break;
        case 'a':
            ca = optarg;
            break;
        case 'n':
            no_client_cert = true;
            break;
        case 'B':
            bind = optarg;
            break;
        case 'p':
            port = strtol(optarg, &end, 10);
            if (*end || port < 0 || port > 65535)
                usage();
            break;
        case 'o':
            origin = optarg;
            break;
        case 'r':
            ready = optarg;
            break;
        case 'O':
            openapi = optarg;
            break;
        case 'T':
            threads = strtol(optarg, &end, 10);
            if (*end || threads < 1 || threads > 64)
                usage();
            break;
        default:
            usage();
        }
    }
    if (optind != argc)
        usage();
    char dbp[4096], tkp[4096], certs[4096], cp[4200], kp[4200], cap[4200];
    char err[512];
    if (dir) {
        if (!use_data_dir(dir, &db, dbp, &tokens, tkp, sizeof dbp))
            return 1;
        if (!cert && !key) {
            /* first run: a CA, a server certificate and one client certificate per token */
            path_in(certs, sizeof certs, dir, "certs");
            char names[64][64];
            const char *list[64];
            size_t n = token_names(tokens, names, 64);
            for (size_t i = 0; i < n; i++)
                list[i] = names[i];
            bool made;
            if (!casesvc_certs_ensure(certs, list, n, &made, err, sizeof err)) {
                fprintf(stderr, "loket-casesvc: %s\n", err);
                return 1;
            }
            if (made)
                fprintf(stderr, "loket-casesvc: made certificates in %s (CA: ca.pem)\n", certs);
            snprintf(cp, sizeof cp, "%s/server.pem", certs);
            snprintf(kp, sizeof kp, "%s/server.key", certs);
            snprintf(cap, sizeof cap, "%s/ca.pem", certs);
            cert = cp;
            key = kp;
            if (!ca && !no_client_cert)
                ca = cap;
        }
    }
    if (no_client_cert)
        ca = NULL;
    if (!db || !tokens || !cert || !key)
        usage();

    casesvc_tokens *tk = casesvc_tokens_load(tokens, err, sizeof err);
    if (!tk) {
        fprintf(stderr, "loket-casesvc: %s (make tokens with: loket-casesvc init-site)\n", err);
        return 1;
    }
    char *cert_pem = read_text(cert), *key_pem = read_text(key),
         *ca_pem = ca ? read_text(ca) : NULL;
    char *spec = read_text(openapi);
    if (!cert_pem || !key_pem || (ca && !ca_pem)) {
        fprintf(stderr, "loket-casesvc: cannot read %s\n", !cert_pem ? cert : !key_pem ? key : ca);
        return 1;
    }
    if (!spec)
        fprintf(stderr, "loket-casesvc: no OpenAPI description at %s (schema not served)\n",
                openapi);
    casesvc_store *st = casesvc_store_open(db, err, sizeof err);
    if (!st) {
        fprintf(stderr, "loket-casesvc: %s\n", err);
        return 1;
    }

    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    casesvc_api_config acfg = {.store = st, .tokens = tk, .base_url = origin, .openapi_text = spec};
    casesvc_api *api = casesvc_api_new(&acfg);
    casesvc_http_config hcfg = {.cert_pem = cert_pem,
                                .key_pem = key_pem,
                                .client_ca_pem = ca_pem,
                                .bind = bind,
                                .port = (uint16_t)port,
                                .threads = (unsigned)threads,
                                .log = stderr};
    casesvc_http *h = api ? casesvc_http_start(&hcfg, api, err, sizeof err) : NULL;
    if (!h) {
        fprintf(stderr, "loket-casesvc: %s\n", api ? err : "out of memory");
        return 1;
    }
    unsigned p = casesvc_http_port(h);
    if (!origin) {
        char o2[128];
        snprintf(o2, sizeof o2, "https://localhost:%u", p);
        casesvc_api_set_origin(api, o2);
    }
    fprintf(stderr,
            "loket-casesvc: listening on https://%s:%u" CASESVC_API_BASE
            " (%zu token(s), client certificates %s)\n",
            bind, p, casesvc_tokens_count(tk), ca_pem ? "required" : "not asked");
    if (ready) {
        char num[32];
        snprintf(num, sizeof num, "%u\n", p);
        if (!write_atomic(ready, num)) {
            fprintf(stderr, "loket-casesvc: cannot write %s\n", ready);
            casesvc_http_stop(h);
            return 1;
        }
    }
    int sig = 0;
    while (sigwait(&sigs, &sig) != 0)
        ;
    casesvc_http_stop(h);
    casesvc_api_free(api);
    casesvc_store_close(st);
    casesvc_tokens_free(tk);
    free(cert_pem);
    free(key_pem);
    free(ca_pem);
    free(spec);
    fprintf(stderr, "loket-casesvc: stopped\n");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        usage();
    json_set_alloc_funcs(wiping_malloc, wiping_free);
    if (strcmp(argv[1], "serve") == 0)
        return serve(argc - 1, argv + 1);
    if (strcmp(argv[1], "init-site") == 0)
        return init_site(argc - 1, argv + 1);
    usage();
}
