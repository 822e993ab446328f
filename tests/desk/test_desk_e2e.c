/* The desk console end to end, against the reference case service:
 *
 *   test_desk_e2e LOKET_CASESVC LOKET_DESK SCRIPT_DIR OUT_DIR
 *
 * loket-casesvc makes the site (team actor, a kiosk's and a desk's token, certificates) and
 * serves HTTPS with client certificates on a free port. loket-desk runs a script
 * (tests/desk/handoff.script) under Xvfb with SDL's disk audio driver; once it has its first
 * (empty) list, this driver creates a hand-off the way the kiosk does (a klantcontact with
 * its betrokkene, a call-back number, an internetaak for the team) with the kiosk's
 * credentials. The script sees it within 2 s, calls it up by number and by QR payload and
 * marks it done; the driver then checks at the service that the task is verwerkt, stops the
 * service (the desk must mark its list stale), and checks the desk's log for personal data
 * and its sound for the chime. A second run with a wrong token must say so. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/refnum.h"
#include "intake/intake.h"
#include "net/caseapi.h"
#include "net/uplink.h"

static const char *casesvc, *desk, *scripts, *out;
static const char *kiosk, *kiosk_scripts; /* the real kiosk (loket) and its scripts (tests/ui) */

static void msleep(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static pid_t spawn(char *const argv[], const char *cwd, const char *log, const char *env,
                   const char *env2)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (cwd && chdir(cwd) != 0)
            _exit(127);
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        if (env)
            putenv((char *)env);
        if (env2)
            putenv((char *)env2);
        execv(argv[0], argv);
        _exit(127);
    }
    return pid;
}

static pid_t reaped_pid;
static int reaped_status;

/* Waits for a child up to ms; returns its exit status, or -1 (then it is killed). */
static int wait_for(pid_t pid, int ms)
{
    if (pid == reaped_pid)
        return reaped_status;
    for (int t = 0; t < ms; t += 50) {
        int st;
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid)
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        msleep(50);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return -1;
}

/* Waits for a file to appear; gives up early when `pid` (if > 0) has ended. */
static bool wait_file(const char *path, int ms, pid_t pid)
{
    for (int t = 0; t < ms; t += 50) {
        if (access(path, F_OK) == 0)
            return true;
        int st;
        if (pid > 0 && waitpid(pid, &st, WNOHANG) == pid) {
            reaped_pid = pid; /* for wait_for */
            reaped_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
            return access(path, F_OK) == 0;
        }
        msleep(50);
    }
    return false;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    if (b)
        b[n] = '\0';
    fclose(f);
    return b;
}

typedef struct {
    char dir[700];
    char team[40];
    int port;
    pid_t svc;
} site;

/* init-site and serve on a free port */
static void start_service(site *s, const char *name)
{
    snprintf(s->dir, sizeof s->dir, "%s/%s", out, name);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s/shots'", s->dir, s->dir);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd,
             "cd '%s' && '%s' init-site --data-dir svc --site 'Bibliotheek Centrum' --kiosk "
             "zuil-1 --desk balie-1 > init.out 2>&1",
             s->dir, casesvc);
    assert_int_equal(system(cmd), 0);
    char path[1200];
    snprintf(path, sizeof path, "%s/init.out", s->dir);
    char *init = slurp(path);
    assert_non_null(init);
    const char *a = strstr(init, "actor ");
    assert_non_null(a);
    assert_int_equal(sscanf(a, "actor %36s", s->team), 1);
    free(init);
    char *argv[] = {(char *)casesvc, "serve", "--data-dir", "svc", "--port", "0",
                    "--ready",       "ready", NULL};
    snprintf(path, sizeof path, "%s/casesvc.log", s->dir);
    s->svc = spawn(argv, s->dir, path, NULL, NULL);
    snprintf(path, sizeof path, "%s/ready", s->dir);
    assert_true(wait_file(path, 30000, s->svc));
    msleep(100);
    char *r = slurp(path);
    assert_non_null(r);
    s->port = atoi(r);
    free(r);
    assert_true(s->port > 0);
}

static void stop_service(site *s)
{
    if (s->svc > 0) {
        kill(s->svc, SIGTERM);
        wait_for(s->svc, 10000);
        s->svc = 0;
    }
}

static void write_desk_ini(const site *s, const char *token_file)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/desk.ini", s->dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(
        f,
        "; written by test_desk_e2e\n[desk]\nurl = https://127.0.0.1:%d/klantinteracties/api/v1\n"
        "ca = svc/certs/ca.pem\ncert = svc/certs/client-balie-1.pem\n"
        "key = svc/certs/client-balie-1.key\ntoken_file = %s\nteam_actor = %s\n"
        "poll_ms = 1000\n",
        s->port, token_file, s->team);
    fclose(f);
}

/* A client of the site's service with the certificate and token of `name` (init-site's). */
static caseapi *client_of(const site *s, const char *name)
{
    caseapi_config cc;
    caseapi_config_defaults(&cc);
    snprintf(cc.base_url, sizeof cc.base_url, "https://127.0.0.1:%d/klantinteracties/api/v1",
             s->port);
    snprintf(cc.ca_file, sizeof cc.ca_file, "%s/svc/certs/ca.pem", s->dir);
    snprintf(cc.cert_file, sizeof cc.cert_file, "%s/svc/certs/client-%s.pem", s->dir, name);
    snprintf(cc.key_file, sizeof cc.key_file, "%s/svc/certs/client-%s.key", s->dir, name);
    snprintf(cc.token_file, sizeof cc.token_file, "%s/svc/token-%s", s->dir, name);
    char err[300];
    caseapi *c = caseapi_new(&cc, err, sizeof err);
    if (!c)
        fail_msg("%s client: %s", name, err);
    return c;
}

/* The kiosk's credentials (a kiosk token): for what the kiosk itself does. */
static caseapi *kiosk_client(const site *s)
{
    return client_of(s, "zuil-1");
}

/* The desk's credentials (a desk token): for checking results at the service, which a kiosk's
 * token may not read. */
static caseapi *desk_client(const site *s)
{
    return client_of(s, "balie-1");
}

static json_t *call(caseapi *c, const char *method, const char *path, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    long status;
    char *ans;
    size_t n;
    char why[300];
    desk_error e = caseapi_request(c, method, path, text, &status, &ans, &n, why, sizeof why);
    free(text);
    if (e != DESK_ERR_NONE)
        fail_msg("%s %s: %s", method, path, why);
    json_t *j = json_loadb(ans, n, 0, NULL);
    caseapi_answer_free(ans, n);
    assert_non_null(j);
    return j;
}

/* What the kiosk sends (app/intake/intake.c) for Gerard, who sent his story (consent for the
 * municipality, call me back) and then asked for help at the kiosk:
 * - the intake: a klantcontact with the slip's number 0010000020, the answers, the overview
 *   (reactie) and the metadata, its betrokkene with his name, his call-back number;
 * - the hand-off: a klantcontact of its own (number 0010000012, metadata.bon = the slip's
 *   number, no overview) and an internetaak for the site's team.
 * Returns the internetaak's uuid. */
static void seed(const site *s, char task_uuid[40])
{
    caseapi *c = kiosk_client(s);
    json_t *intake = json_pack(
        "{s:{s:s,s:s,s:s,s:s,s:b,s:s,s:b,s:s,s:s,s:{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}},"
        "s:{s:s,s:b,s:{s:s,s:s}}}",
        "klantcontact", "kanaal", "zelfbedieningszuil", "onderwerp",
        "Ik ga verhuizen (zelfbedieningszuil)", "inhoud",
        "Wanneer verhuist u? 3 januari 2027\nHuurt u uw woning? ja", "reactie",
        "Gemeente Utrecht\n- Geef uw verhuizing door uiterlijk op 3 januari 2027\n"
        "Belastingdienst\n- Pas uw toeslagen aan",
        "indicatieContactGelukt", 1, "taal", "nld", "vertrouwelijk", 1, "plaatsgevondenOp",
        "2026-11-29T10:40:00+01:00", "referentienummer", "0010000020", "metadata", "zuil", "zuil-2",
        "locatie", "Bibliotheek Centrum", "intake", "5d1f7a2e-0000-4000-8000-000000000001",
        "levensgebeurtenis", "verhuizen", "toestemming", "gemeente", "signalen", "",
        "contactvoorkeur", "terugbellen", "naambron", "ID-kaart via zuil, echtheid gecontroleerd",
        "bibliotheekpas", "2100000123456", "betrokkene", "rol", "klant", "initiator", 1,
        "contactnaam", "voornaam", "Gerard", "achternaam", "Jansen");
    json_t *r = call(c, "POST", "/maak-klantcontact", intake);
    const char *bt = json_string_value(json_object_get(json_object_get(r, "betrokkene"), "uuid"));
    const char *story =
        json_string_value(json_object_get(json_object_get(r, "klantcontact"), "uuid"));
    assert_non_null(bt);
    assert_non_null(story);
    json_t *da = json_pack("{s:{s:s},s:n,s:s,s:s,s:s,s:s}", "verstrektDoorBetrokkene", "uuid", bt,
                           "verstrektDoorPartij", "adres", "0612345678", "soortDigitaalAdres",
                           "telefoonnummer", "omschrijving", "Terugbelverzoek via zuil",
                           "referentie", "loket-0010000020");
    json_decref(call(c, "POST", "/digitaleadressen", da));
    json_t *handoff = json_pack(
        "{s:{s:s,s:s,s:s,s:b,s:s,s:b,s:s,s:s,s:{s:s,s:s,s:s,s:s,s:s,s:s,s:s}},s:{s:s,s:b}}",
        "klantcontact", "kanaal", "zelfbedieningszuil", "onderwerp",
        "Warm overdracht: Ik ga verhuizen (zelfbedieningszuil)", "inhoud",
        "De inwoner vraagt een medewerker om hulp bij zuil 2 (Bibliotheek Centrum). Gevraagd "
        "bij: het overzicht.\nWanneer verhuist u? 3 januari 2027\nHuurt u uw woning? ja",
        "indicatieContactGelukt", 1, "taal", "nld", "vertrouwelijk", 1, "plaatsgevondenOp",
        "2026-11-29T10:42:00+01:00", "referentienummer", "0010000012", "metadata", "zuil", "zuil-2",
        "locatie", "Bibliotheek Centrum", "intake", "5d1f7a2e-0000-4000-8000-000000000002", "soort",
        "warme overdracht", "herkenningsnummer", "0012", "levensgebeurtenis", "verhuizen", "bon",
        "0010000020", "betrokkene", "rol", "klant", "initiator", 1);
    json_t *r2 = call(c, "POST", "/maak-klantcontact", handoff);
    const char *kc =
        json_string_value(json_object_get(json_object_get(r2, "klantcontact"), "uuid"));
    assert_non_null(kc);
    json_t *taak =
        json_pack("{s:s,s:{s:s},s:[{s:s}],s:s,s:s,s:s}", "gevraagdeHandeling",
                  "Warm overdracht: inwoner wacht bij zuil 2", "aanleidinggevendKlantcontact",
                  "uuid", kc, "toegewezenAanActoren", "uuid", s->team, "toelichting",
                  "Herkenningsnummer 0012. Gevraagd om 10:42. Levensgebeurtenis: Ik ga "
                  "verhuizen. Nummer van de bon: 001 000 0020.",
                  "status", "te_verwerken", "referentienummer", "0010000012");
    json_t *t = call(c, "POST", "/internetaken", taak);
    snprintf(task_uuid, 40, "%s", json_string_value(json_object_get(t, "uuid")));
    assert_int_equal(strlen(task_uuid), 36);
    /* and a task another channel made about his story, without a number (the desk must find
     * its case through aanleidinggevendKlantcontact) */
    json_t *other = json_pack("{s:s,s:{s:s},s:[{s:s}],s:s,s:s}", "gevraagdeHandeling",
                              "Terugbellen over de huurtoeslag", "aanleidinggevendKlantcontact",
                              "uuid", story, "toegewezenAanActoren", "uuid", s->team, "toelichting",
                              "Via de telefoon aangenomen.", "status", "te_verwerken");
    json_decref(call(c, "POST", "/internetaken", other));
    json_decref(other);
    json_decref(t);
    json_decref(intake);
    json_decref(handoff);
    json_decref(da);
    json_decref(taak);
    json_decref(r);
    json_decref(r2);
    caseapi_free(c);
}

static pid_t start_desk(const site *s, const char *script, const char *log, char *envbuf,
                        size_t envcap, const char *env2)
{
    char sp[1200], shots[1200], rl[1200];
    snprintf(sp, sizeof sp, "%s/%s", scripts, script);
    snprintf(shots, sizeof shots, "%s/shots", s->dir);
    snprintf(rl, sizeof rl, "%s/render.log", s->dir);
    snprintf(envbuf, envcap, "SDL_DISKAUDIOFILE=%s/audio.raw", s->dir);
    char *argv[] = {(char *)desk,    "--config", "desk.ini",     "--script", sp,
                    "--screenshots", shots,      "--render-log", rl,         NULL};
    return spawn(argv, s->dir, log, envbuf, env2);
}

/* The service `name` and the desk running `script` with the desk's token, until the desk has
 * polled once (its file desk-ready); `log`: the desk's log. */
static pid_t desk_ready(site *s, const char *name, const char *script, char *log, size_t logcap,
                        char *env, size_t envcap)
{
    start_service(s, name);
    write_desk_ini(s, "svc/token-balie-1");
    snprintf(log, logcap, "%s/desk.log", s->dir);
    pid_t d = start_desk(s, script, log, env, envcap, NULL);
    char path[1200];
    snprintf(path, sizeof path, "%s/desk-ready", s->dir);
    if (!wait_file(path, 60000, d)) {
        kill(d, SIGKILL);
        stop_service(s);
        fail_msg("the desk never polled (see %s)", log);
    }
    return d;
}

static void test_handoff(void **st)
{
    (void)st;
    site s = {0};
    char log[1200], path[1200], env[1300];
    pid_t d = desk_ready(&s, "handoff", "handoff.script", log, sizeof log, env, sizeof env);
    /* the desk has its first, empty list: now the citizen asks for help */
    char uuid[40];
    seed(&s, uuid);
    /* the script calls it up and marks it done */
    snprintf(path, sizeof path, "%s/desk-done", s.dir);
    bool done = wait_file(path, 90000, d);
    /* at the service: verwerkt, with the time */
    if (done) {
        caseapi *c = desk_client(&s);
        char p[128];
        snprintf(p, sizeof p, "/internetaken/%s", uuid);
        json_t *t = call(c, "GET", p, NULL);
        assert_string_equal(json_string_value(json_object_get(t, "status")), "verwerkt");
        assert_non_null(json_string_value(json_object_get(t, "afgehandeldOp")));
        json_decref(t);
        caseapi_free(c);
    }
    /* the service goes away: the desk keeps its list, marked stale, and finishes its script */
    stop_service(&s);
    int rc = wait_for(d, 60000);
    char *text = slurp(log);
    assert_non_null(text);
    if (!done || rc != 0) {
        fprintf(stderr, "%s\n", text);
        free(text);
        fail_msg("the desk's script failed (exit %d)", rc);
    }
    /* how fast: the script printed it */
    const char *fig = strstr(text, "desk: task 0010000012 in the list");
    assert_non_null(fig);
    printf("%.*s\n", (int)strcspn(fig, "\n"), fig);
    /* nothing personal in the desk's log */
    const char *personal[] = {"Gerard", "Jansen",    "0612345678",        "verhuist",
                              "Huurt",  "toeslagen", "Herkenningsnummer", "2100000123456",
                              NULL};
    for (int i = 0; personal[i]; i++)
        if (strstr(text, personal[i]))
            fail_msg("the desk's log has '%s'", personal[i]);
    assert_non_null(strstr(text, "chime and highlight"));
    free(text);
    /* the slip on the desk's screen has the QR code the citizen got: an independent reader
     * (zbarimg, as for the printed slips) reads it from the screenshot */
    if (system("command -v zbarimg > /dev/null 2>&1") == 0) {
        char cmd[2600], qr[1200];
        snprintf(qr, sizeof qr, "%s/qr.txt", s.dir);
        snprintf(cmd, sizeof cmd, "zbarimg -q --raw '%s/shots/case-scanned.png' > '%s'", s.dir, qr);
        assert_int_equal(system(cmd), 0);
        char *got = slurp(qr);
        assert_non_null(got);
        assert_string_equal(got, "LOKET:0010000020\n");
        free(got);
        printf("desk: the slip's QR code on screen reads LOKET:0010000020\n");
    } else {
        printf("desk: zbarimg not installed: the QR code on screen was not read\n");
    }
    /* the chime reached the sound device: SDL's disk driver wrote it (16-bit samples) */
    snprintf(path, sizeof path, "%s/audio.raw", s.dir);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    int16_t buf[4096];
    size_t n;
    int peak = 0;
    while ((n = fread(buf, sizeof buf[0], 4096, f)) > 0)
        for (size_t i = 0; i < n; i++)
            if (abs(buf[i]) > peak)
                peak = abs(buf[i]);
    fclose(f);
    printf("desk: chime peak %d of 32767\n", peak);
    assert_true(peak > 8000);
}

/* The same story with the keyboard only (tests/desk/keyboard.script): Tab to a row's Openen,
 * Enter, Escape, Tab to Klaar, Enter; the focus follows the rows as they go, a scanner still
 * works whatever has the focus, and the case view shows the library pass's number. Both tasks
 * end verwerkt at the service. */
static void test_keyboard(void **st)
{
    (void)st;
    site s = {0};
    char log[1200], path[1200], env[1300];
    pid_t d = desk_ready(&s, "keyboard", "keyboard.script", log, sizeof log, env, sizeof env);
    char uuid[40];
    seed(&s, uuid);
    snprintf(path, sizeof path, "%s/desk-done", s.dir);
    bool done = wait_file(path, 90000, d);
    int rc = wait_for(d, 30000);
    char *text = slurp(log);
    assert_non_null(text);
    if (!done || rc != 0) {
        stop_service(&s);
        fprintf(stderr, "%s\n", text);
        free(text);
        fail_msg("the desk's keyboard script failed (exit %d)", rc);
    }
    const char *personal[] = {"Gerard", "Jansen", "0612345678", "2100000123456", NULL};
    for (int i = 0; personal[i]; i++)
        if (strstr(text, personal[i]))
            fail_msg("the desk's log has '%s'", personal[i]);
    free(text);
    /* what the keys did reached the service: both tasks verwerkt */
    caseapi *c = desk_client(&s);
    char p[128];
    snprintf(p, sizeof p, "/internetaken/%s", uuid);
    json_t *t = call(c, "GET", p, NULL);
    assert_string_equal(json_string_value(json_object_get(t, "status")), "verwerkt");
    json_decref(t);
    json_t *open = call(c, "GET", "/internetaken?status=te_verwerken", NULL);
    assert_int_equal(json_integer_value(json_object_get(open, "count")), 0);
    json_decref(open);
    caseapi_free(c);
    stop_service(&s);
    /* the focus ring is in the render log: the frames say where it was */
    snprintf(path, sizeof path, "%s/render.log", s.dir);
    char *rl = slurp(path);
    assert_non_null(rl);
    assert_non_null(strstr(rl, "focus=open:0010000012"));
    assert_non_null(strstr(rl, "focus=case-done:0010000012"));
    free(rl);
}

/* Runs a kiosk script against the site's service with the hand-off through the case service;
 * returns its exit status. */
static int run_kiosk(const site *s, const char *script, const char *name)
{
    char sp[1200], shots[1000], data[1200], log[1200], url[200], team[80], env[1300];
    snprintf(sp, sizeof sp, "%s/%s", kiosk_scripts, script);
    snprintf(shots, sizeof shots, "%s/%s", s->dir, name);
    mkdir(shots, 0755);
    snprintf(data, sizeof data, "%s/data", shots);
    snprintf(log, sizeof log, "%s/kiosk.log", shots);
    snprintf(url, sizeof url, "uplink.url=https://localhost:%d/klantinteracties/api/v1", s->port);
    snprintf(team, sizeof team, "handoff.team=%s", s->team);
    snprintf(env, sizeof env, "SDL_DISKAUDIOFILE=%s/audio.raw", shots);
    char *argv[] = {(char *)kiosk,
                    "--script",
                    sp,
                    "--screenshot-dir",
                    shots,
                    "--data-dir",
                    data,
                    "--set",
                    url,
                    "--set",
                    "uplink.ca=svc/certs/ca.pem",
                    "--set",
                    "uplink.cert=svc/certs/client-zuil-1.pem",
                    "--set",
                    "uplink.key=svc/certs/client-zuil-1.key",
                    "--set",
                    "uplink.token_file=svc/token-zuil-1",
                    "--set",
                    "handoff.backend=casesvc",
                    "--set",
                    team,
                    "--set",
                    "handoff.place=zuil 2",
                    NULL};
    int rc = wait_for(spawn(argv, s->dir, log, env, NULL), 120000);
    if (rc != 0) {
        char *text = slurp(log);
        fprintf(stderr, "kiosk %s exited %d:\n%s\n", script, rc, text ? text : "");
        free(text);
    }
    return rc;
}

/* The one open-or-closed task of the site with this number, as the service has it. */
static json_t *task_at_service(const site *s, const char *number)
{
    caseapi *c = desk_client(s);
    char p[160];
    snprintf(p, sizeof p, "/internetaken?referentienummer=%s", number);
    json_t *list = call(c, "GET", p, NULL);
    caseapi_free(c);
    assert_int_equal(json_integer_value(json_object_get(list, "count")), 1);
    json_t *t = json_incref(json_array_get(json_object_get(list, "results"), 0));
    json_decref(list);
    return t;
}

/* The whole loop of issue 7 with the real programs: the kiosk (loket, scripted) asks for help
 * while the desk console polls; the hand-off arrives through the kiosk's outbox and uplink as a
 * klantcontact with an internetaak for the team; the desk sees it within 2 s, calls the case
 * up by number and by QR payload, and marks it done; the service then has it verwerkt. */
static void test_kiosk_to_desk(void **st)
{
    (void)st;
    if (!kiosk)
        skip();
    site s = {0};
    char log[1200], path[1200], env[1300];
    pid_t d =
        desk_ready(&s, "kiosk-to-desk", "kiosk_loop.script", log, sizeof log, env, sizeof env);
    int krc = run_kiosk(&s, "handoff_wait.script", "kiosk");
    snprintf(path, sizeof path, "%s/desk-done", s.dir);
    bool done = krc == 0 && wait_file(path, 90000, d);
    int rc = done ? wait_for(d, 30000) : (kill(d, SIGKILL), wait_for(d, 5000));
    if (!done || rc != 0) {
        char *text = slurp(log);
        stop_service(&s);
        fail_msg("kiosk exit %d; the desk's script failed (exit %d):\n%s", krc, rc,
                 text ? text : "");
    }
    json_t *t = task_at_service(&s, "0010000012");
    assert_string_equal(json_string_value(json_object_get(t, "status")), "verwerkt");
    assert_non_null(json_string_value(json_object_get(t, "afgehandeldOp")));
    assert_string_equal(json_string_value(json_object_get(t, "gevraagdeHandeling")),
                        "Warm overdracht: inwoner wacht bij zuil 2");
    assert_non_null(
        strstr(json_string_value(json_object_get(t, "toelichting")), "Herkenningsnummer 0012"));
    json_decref(t);
    stop_service(&s);
    char *text = slurp(log);
    const char *fig = text ? strstr(text, "desk: task 0010000012 in the list") : NULL;
    if (fig)
        printf("%.*s\n", (int)strcspn(fig, "\n"), fig);
    free(text);
}

/* The citizen does not need the employee after all: the kiosk closes the task at the
 * service (status verwerkt, the reason in its toelichting). */
static void test_kiosk_cancels(void **st)
{
    (void)st;
    if (!kiosk)
        skip();
    site s = {0};
    start_service(&s, "kiosk-cancels");
    int rc = run_kiosk(&s, "handoff_casesvc.script", "kiosk");
    assert_int_equal(rc, 0);
    json_t *t = task_at_service(&s, "0010000012");
    assert_string_equal(json_string_value(json_object_get(t, "status")), "verwerkt");
    assert_non_null(strstr(json_string_value(json_object_get(t, "toelichting")),
                           "geannuleerd door de inwoner"));
    json_decref(t);
    stop_service(&s);
}

/* The kiosk closes a task whose text is long in bytes (600 "é": 600 characters, 1,200 bytes):
 * the note is added below it, the text shortened at a character boundary, never cut inside
 * one (that made the PATCH's JSON invalid and the closing was retried for ever). */
static void test_kiosk_closes_a_long_task(void **st)
{
    (void)st;
    site s = {0};
    start_service(&s, "long-task");
    char number[REFNUM_DIGITS + 1];
    assert_true(refnum_make(1, 77, number));
    caseapi *c = kiosk_client(&s);
    json_t *mk = json_pack("{s:{s:s,s:s,s:s,s:b,s:s,s:b,s:s,s:s},s:{s:s,s:b}}", "klantcontact",
                           "kanaal", "zelfbedieningszuil", "onderwerp", "Warm overdracht", "inhoud",
                           "-", "indicatieContactGelukt", 1, "taal", "nld", "vertrouwelijk", 1,
                           "plaatsgevondenOp", "2026-11-29T10:42:00+01:00", "referentienummer",
                           number, "betrokkene", "rol", "klant", "initiator", 1);
    json_t *r = call(c, "POST", "/maak-klantcontact", mk);
    const char *kc = json_string_value(json_object_get(json_object_get(r, "klantcontact"), "uuid"));
    char long_text[1300] = "";
    for (int i = 0; i < 600; i++)
        strcat(long_text, "\xc3\xa9");
    json_t *taak = json_pack("{s:s,s:{s:s},s:[{s:s}],s:s,s:s,s:s}", "gevraagdeHandeling",
                             "Warm overdracht", "aanleidinggevendKlantcontact", "uuid", kc,
                             "toegewezenAanActoren", "uuid", s.team, "toelichting", long_text,
                             "status", "te_verwerken", "referentienummer", number);
    json_decref(call(c, "POST", "/internetaken", taak));
    json_decref(taak);
    json_decref(r);
    json_decref(mk);
    /* the kiosk's uplink closes it */
    uplink_config cfg;
    uplink_config_defaults(&cfg);
    snprintf(cfg.base_url, sizeof cfg.base_url, "https://localhost:%d/klantinteracties/api/v1",
             s.port);
    snprintf(cfg.ca_file, sizeof cfg.ca_file, "%s/svc/certs/ca.pem", s.dir);
    snprintf(cfg.cert_file, sizeof cfg.cert_file, "%s/svc/certs/client-zuil-1.pem", s.dir);
    snprintf(cfg.key_file, sizeof cfg.key_file, "%s/svc/certs/client-zuil-1.key", s.dir);
    snprintf(cfg.token_file, sizeof cfg.token_file, "%s/svc/token-zuil-1", s.dir);
    char err[300], why[200];
    uplink *u = uplink_new(&cfg, NULL, err, sizeof err);
    assert_non_null(u);
    char note[200];
    snprintf(note, sizeof note, "Niet meer nodig: geannuleerd door de inwoner om 10:45.");
    char *env =
        intake_task_close_envelope(number, note, "2026-11-29T10:45:00+01:00", err, sizeof err);
    assert_non_null(env);
    deliver_result res = uplink_deliver(u, env, strlen(env), false, why, sizeof why);
    if (res != DELIVER_OK)
        fail_msg("the closing was not delivered: %s", why);
    free(env);
    uplink_free(u);
    json_t *t = task_at_service(&s, number);
    assert_string_equal(json_string_value(json_object_get(t, "status")), "verwerkt");
    const char *text = json_string_value(json_object_get(t, "toelichting"));
    assert_non_null(text);
    assert_true(intake_utf8_chars(text) <= 1000);
    assert_int_equal(strncmp(text, "\xc3\xa9\xc3\xa9", 4), 0); /* the old text first */
    size_t tl = strlen(text), nl = strlen(note);
    assert_true(tl > nl && strcmp(text + tl - nl, note) == 0); /* the note whole, last */
    json_decref(t);
    caseapi_free(c);
    stop_service(&s);
}

static void test_wrong_token(void **st)
{
    (void)st;
    site s = {0};
    start_service(&s, "wrong-token");
    char tok[1200];
    snprintf(tok, sizeof tok, "%s/bad-token", s.dir);
    FILE *f = fopen(tok, "w");
    assert_non_null(f);
    fputs("0123456789abcdef0123456789abcdef\n", f);
    fclose(f);
    chmod(tok, 0600);
    write_desk_ini(&s, "bad-token");
    char log[1200], env[1300];
    snprintf(log, sizeof log, "%s/desk.log", s.dir);
    /* and no sound device: the desk works on, and says why it will only highlight */
    pid_t d = start_desk(&s, "wrong_token.script", log, env, sizeof env,
                         "SDL_AUDIODRIVER=no-such-driver");
    int rc = wait_for(d, 60000);
    stop_service(&s);
    char *text = slurp(log);
    assert_non_null(text);
    if (rc != 0) {
        fprintf(stderr, "%s\n", text);
        free(text);
        fail_msg("the desk's script failed (exit %d)", rc);
    }
    assert_non_null(strstr(text, "new tasks are only highlighted"));
    free(text);
}

int main(int argc, char **argv)
{
    if (argc != 5 && argc != 7) {
        fprintf(stderr, "usage: test_desk_e2e LOKET_CASESVC LOKET_DESK SCRIPT_DIR OUT_DIR "
                        "[LOKET KIOSK_SCRIPT_DIR]\n");
        return 2;
    }
    if (argc == 7) {
        kiosk = argv[5];
        kiosk_scripts = argv[6];
    }
    casesvc = argv[1];
    desk = argv[2];
    scripts = argv[3];
    out = argv[4];
    mkdir(out, 0755);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handoff),       cmocka_unit_test(test_wrong_token),
        cmocka_unit_test(test_keyboard),      cmocka_unit_test(test_kiosk_to_desk),
        cmocka_unit_test(test_kiosk_cancels), cmocka_unit_test(test_kiosk_closes_a_long_task),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
