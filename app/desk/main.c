/* loket-desk: the desk console. Wiring only: configuration, the two network threads (the
 * poller asks for the team's open tasks every poll_ms; the requester looks cases up and
 * closes tasks), the SDL event loop, the chime, scripted mode. The state machine is
 * app/desk/desk.c, the screens ui/desk_ui.c, the HTTP client platform/net/caseapi.c. */
#include <SDL.h>
#include <SDL_image.h>
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "desk/desk.h"
#include "desk/desk_config.h"
#include "desk_script.h"
#include "desk_sound.h"
#include "desk_ui.h"
#include "net/caseapi.h"
#include "sys/log.h"

#ifndef LOKET_ASSETS_DIR
#define LOKET_ASSETS_DIR "assets"
#endif

#define MAX_RESULTS 32
#define MAX_JOBS 16

typedef enum { RES_POLL, RES_CASE, RES_DONE } result_kind;

typedef struct {
    result_kind kind;
    desk_error error;
    long status;
    char ref[DESK_REF_MAX];
    char uuid[DESK_UUID_MAX];
    desk_task *tasks; /* RES_POLL: malloc'd, wiped when used */
    int n;
    desk_case *kase; /* RES_CASE */
} result;

typedef struct {
    bool close; /* else: look a case up */
    char ref[DESK_REF_MAX];
    char uuid[DESK_UUID_MAX];
} job;

typedef struct {
    desk_config cfg;
    desk_state *st;
    desk_ui *ui;
    desk_sound *sound;
    unsigned chimes_due;
    caseapi *poll_api, *req_api;
    pthread_t poller, requester;
    bool threads;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool stop;
    result results[MAX_RESULTS];
    int n_results;
    job jobs[MAX_JOBS];
    int n_jobs;
    Uint32 wake_event;
    FILE *render_log;
    unsigned long frames;
    bool quit;
    bool was_case_open;
    char open_case[DESK_UUID_MAX]; /* the uuid of the case on screen */
} desk_app;

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
    (void)sig;
    got_signal = 1;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void free_result(result *r)
{
    if (r->tasks) {
        explicit_bzero(r->tasks, sizeof *r->tasks * DESK_MAX_TASKS);
        free(r->tasks);
    }
    if (r->kase) {
        explicit_bzero(r->kase, sizeof *r->kase);
        free(r->kase);
    }
    explicit_bzero(r, sizeof *r);
}

/* On a network thread: hand a result to the UI thread. A poll result replaces an older one
 * that was not used yet (only the newest list counts). */
static void post(desk_app *a, result *r)
{
    pthread_mutex_lock(&a->lock);
    if (r->kind == RES_POLL)
        for (int i = 0; i < a->n_results; i++)
            if (a->results[i].kind == RES_POLL) {
                free_result(&a->results[i]);
                a->results[i] = *r;
                r = NULL;
                break;
            }
    if (r) {
        if (a->n_results < MAX_RESULTS)
            a->results[a->n_results++] = *r;
        else
            free_result(r);
    }
    pthread_mutex_unlock(&a->lock);
    SDL_Event ev = {.type = a->wake_event};
    SDL_PushEvent(&ev);
}

static void *poller_main(void *ud)
{
    desk_app *a = ud;
    for (;;) {
        pthread_mutex_lock(&a->lock);
        bool stop = a->stop;
        pthread_mutex_unlock(&a->lock);
        if (stop)
            break;
        result r = {.kind = RES_POLL};
        r.tasks = calloc(DESK_MAX_TASKS, sizeof *r.tasks);
        char why[300] = "";
        if (!r.tasks) {
            r.error = DESK_ERR_ANSWER;
        } else {
            r.error = caseapi_list_tasks(a->poll_api, a->cfg.team_actor, r.tasks, DESK_MAX_TASKS,
                                         &r.n, &r.status, why, sizeof why);
        }
        if (r.error != DESK_ERR_NONE)
            log_msg(LOG_DEBUG, "desk", "poll: %s", why);
        post(a, &r);
        /* the next poll poll_ms after this one started would drift; after it ended is fine */
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        long ns = until.tv_nsec + (long)(a->cfg.poll_ms % 1000) * 1000000L;
        until.tv_sec += a->cfg.poll_ms / 1000 + ns / 1000000000L;
        until.tv_nsec = ns % 1000000000L;
        pthread_mutex_lock(&a->lock);
        while (!a->stop && pthread_cond_timedwait(&a->cond, &a->lock, &until) != ETIMEDOUT)
            ;
        pthread_mutex_unlock(&a->lock);
    }
    return NULL;
}

static void *requester_main(void *ud)
{
    desk_app *a = ud;
    for (;;) {
        pthread_mutex_lock(&a->lock);
        while (!a->stop && a->n_jobs == 0)
            pthread_cond_wait(&a->cond, &a->lock);
        if (a->stop) {
            pthread_mutex_unlock(&a->lock);
            break;
        }
        job j = a->jobs[0];
        memmove(&a->jobs[0], &a->jobs[1], sizeof a->jobs[0] * (size_t)(a->n_jobs - 1));
        a->n_jobs--;
        pthread_mutex_unlock(&a->lock);
        char why[300] = "";
        result r = {0};
        snprintf(r.ref, sizeof r.ref, "%s", j.ref);
        snprintf(r.uuid, sizeof r.uuid, "%s", j.uuid);
        if (j.close) {
            r.kind = RES_DONE;
            char when[40];
            time_t t = time(NULL);
            struct tm tm;
            gmtime_r(&t, &tm);
            strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
            r.error = caseapi_close_task(a->req_api, j.uuid, when, &r.status, why, sizeof why);
            log_msg(r.error ? LOG_WARN : LOG_INFO, "desk", "close task %s: %s%s", j.uuid,
                    r.error ? "failed: " : "verwerkt", r.error ? why : "");
        } else {
            r.kind = RES_CASE;
            r.kase = calloc(1, sizeof *r.kase);
            if (!r.kase)
                r.error = DESK_ERR_ANSWER;
            else if (j.ref[0])
                r.error = caseapi_get_case(a->req_api, j.ref, r.kase, &r.status, why, sizeof why);
            else
                r.error = caseapi_get_case_by_uuid(a->req_api, j.uuid, r.kase, &r.status, why,
                                                   sizeof why);
            log_msg(r.error && r.error != DESK_ERR_NOT_FOUND ? LOG_WARN : LOG_INFO, "desk",
                    "case lookup: %s%s%s",
                    r.error == DESK_ERR_NONE        ? "found"
                    : r.error == DESK_ERR_NOT_FOUND ? "not found"
                                                    : "failed",
                    r.error && r.error != DESK_ERR_NOT_FOUND ? ": " : "",
                    r.error && r.error != DESK_ERR_NOT_FOUND ? why : "");
        }
        post(a, &r);
    }
    return NULL;
}

static void submit(desk_app *a, const job *j)
{
    pthread_mutex_lock(&a->lock);
    if (a->n_jobs < MAX_JOBS)
        a->jobs[a->n_jobs++] = *j;
    pthread_cond_broadcast(&a->cond);
    pthread_mutex_unlock(&a->lock);
}

static void apply(desk_app *a, desk_action *act)
{
    act->now_ms = now_ms();
    desk_effects fx;
    desk_apply(a->st, act, &fx);
    for (int i = 0; i < fx.n; i++) {
        const desk_effect *e = &fx.e[i];
        switch (e->kind) {
        case DESK_EFF_FETCH_CASE: {
            job j = {.close = false};
            snprintf(j.ref, sizeof j.ref, "%s", e->ref);
            snprintf(j.uuid, sizeof j.uuid, "%s", e->uuid);
            submit(a, &j);
            break;
        }
        case DESK_EFF_CLOSE_TASK: {
            job j = {.close = true};
            snprintf(j.uuid, sizeof j.uuid, "%s", e->uuid);
            submit(a, &j);
            break;
        }
        case DESK_EFF_CHIME:
            a->chimes_due++;
            if (a->sound)
                desk_sound_chime(a->sound);
            log_msg(LOG_INFO, "desk", "%d new task(s): %s", e->count,
                    a->sound ? "chime and highlight" : "highlight (no sound device)");
            break;
        case DESK_EFF_LOG:
            log_msg(LOG_INFO, "desk", "%s", e->text);
            break;
        }
    }
    /* a case view closed or replaced by another: the text cache and the slip held its words */
    if (a->was_case_open && (!a->st->case_open || strcmp(a->open_case, a->st->cv.uuid) != 0))
        desk_ui_forget(a->ui);
    a->was_case_open = a->st->case_open;
    snprintf(a->open_case, sizeof a->open_case, "%s", a->st->case_open ? a->st->cv.uuid : "");
}

static void drain(desk_app *a)
{
    result local[MAX_RESULTS];
    pthread_mutex_lock(&a->lock);
    int n = a->n_results;
    memcpy(local, a->results, sizeof local[0] * (size_t)n);
    a->n_results = 0;
    explicit_bzero(a->results, sizeof a->results[0] * (size_t)n);
    pthread_mutex_unlock(&a->lock);
    for (int i = 0; i < n; i++) {
        result *r = &local[i];
        desk_action act = {.error = r->error, .status = r->status, .ref = r->ref, .uuid = r->uuid};
        switch (r->kind) {
        case RES_POLL:
            act.kind = r->error ? DESK_ACT_POLL_FAIL : DESK_ACT_POLL_OK;
            act.tasks = r->tasks;
            act.n = r->n;
            break;
        case RES_CASE:
            act.kind = r->error ? DESK_ACT_CASE_FAIL : DESK_ACT_CASE_OK;
            act.kase = r->kase;
            break;
        case RES_DONE:
            act.kind = r->error ? DESK_ACT_DONE_FAIL : DESK_ACT_DONE_OK;
            break;
        }
        apply(a, &act);
        free_result(r);
    }
}

static void click(desk_app *a, const char *id)
{
    desk_action act = {0};
    const desk_state *s = a->st;
    if (!strcmp(id, "lookup")) {
        act.kind = DESK_ACT_ENTER;
    } else if (!strcmp(id, "close")) {
        act.kind = DESK_ACT_CLOSE_CASE;
    } else if (!strcmp(id, "up") || !strcmp(id, "down")) {
        act.kind = DESK_ACT_SCROLL;
        act.n = (id[0] == 'u' ? -1 : 1) * desk_ui_page(a->ui);
    } else if (!strcmp(id, "lang")) {
        act.kind = DESK_ACT_LANG;
        act.n = s->lang == DESK_NL ? DESK_EN : DESK_NL;
    } else if (!strcmp(id, "open-bon")) {
        act.kind = DESK_ACT_OPEN;
        act.ref = s->cv.bon;
    } else if (!strncmp(id, "open:", 5)) {
        /* a row: by its number, or by its klantcontact when it has none */
        const desk_task *t = desk_find_task(s, id + 5, id + 5);
        if (!t)
            return;
        char ref[DESK_REF_MAX], contact[DESK_UUID_MAX];
        snprintf(ref, sizeof ref, "%s", t->ref);
        snprintf(contact, sizeof contact, "%s", t->contact_uuid);
        act.kind = DESK_ACT_OPEN;
        act.ref = ref;
        act.uuid = contact;
        apply(a, &act);
        return;
    } else if (!strncmp(id, "done:", 5) || !strncmp(id, "case-done:", 10)) {
        const char *key = strchr(id, ':') + 1;
        const desk_task *t = desk_find_task(s, key, key);
        if (!t)
            for (int i = 0; i < s->cv.n_tasks && !t; i++)
                if (!strcmp(s->cv.tasks[i].ref, key) || !strcmp(s->cv.tasks[i].uuid, key))
                    t = &s->cv.tasks[i];
        if (!t)
            return;
        char uuid[DESK_UUID_MAX];
        snprintf(uuid, sizeof uuid, "%s", t->uuid);
        act.kind = DESK_ACT_DONE;
        act.uuid = uuid;
        apply(a, &act);
        return;
    } else {
        return;
    }
    apply(a, &act);
}

/* Tab / Shift+Tab: the next or previous control on screen, in reading order. */
static void focus_move(desk_app *a, int dir)
{
    const char *ids[LAYOUT_MAX_WIDGETS];
    int n = desk_ui_focus_order(a->ui, ids, LAYOUT_MAX_WIDGETS);
    int i = desk_focus_step(ids, n, a->st->focus, dir);
    if (i < 0)
        return;
    char id[DESK_FOCUS_MAX];
    snprintf(id, sizeof id, "%s", ids[i]);
    desk_action act = {.kind = DESK_ACT_FOCUS, .text = id};
    apply(a, &act);
}

/* A key pressed (the window's and the scripts' keys alike); false when it does nothing. A
 * scanner types and presses Enter: with something typed, Enter always looks that up. */
static bool key_down(desk_app *a, SDL_Keycode k, Uint16 mod)
{
    desk_action act = {0};
    const char *target = desk_focus_activates(a->st);
    switch (k) {
    case SDLK_TAB:
        focus_move(a, mod & KMOD_SHIFT ? -1 : 1);
        return true;
    case SDLK_SPACE:
        /* on a button: activates it (the text " " that follows is dropped: the field is
         * empty); else it is typed */
        if (target) {
            char id[DESK_FOCUS_MAX];
            snprintf(id, sizeof id, "%s", target);
            click(a, id);
        }
        return true;
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
        if (target) {
            char id[DESK_FOCUS_MAX];
            snprintf(id, sizeof id, "%s", target);
            click(a, id);
            return true;
        }
        act.kind = DESK_ACT_ENTER;
        break;
    case SDLK_BACKSPACE:
        act.kind = DESK_ACT_BACKSPACE;
        break;
    case SDLK_ESCAPE:
        act.kind = DESK_ACT_ESCAPE;
        break;
    case SDLK_PAGEDOWN:
    case SDLK_PAGEUP:
        act.kind = DESK_ACT_SCROLL;
        act.n = (k == SDLK_PAGEDOWN ? 1 : -1) * desk_ui_page(a->ui);
        break;
    default:
        return false;
    }
    apply(a, &act);
    return true;
}

static void frame(desk_app *a)
{
    /* the view cannot scroll past its end */
    int max = desk_ui_max_scroll(a->ui);
    if (a->st->screen == DESK_CASE && a->st->scroll > max) {
        desk_action act = {.kind = DESK_ACT_SCROLL, .n = max - a->st->scroll};
        apply(a, &act);
    }
    if (desk_ui_render(a->ui, a->st, false)) {
        a->frames++;
        if (a->render_log)
            desk_ui_write_render_log(a->ui, a->st, a->render_log, a->frames);
    }
}

static void handle(desk_app *a, const SDL_Event *ev)
{
    desk_action act = {0};
    switch (ev->type) {
    case SDL_QUIT:
        a->quit = true;
        return;
    case SDL_TEXTINPUT:
        act.kind = DESK_ACT_CHAR;
        act.text = ev->text.text;
        break;
    case SDL_KEYDOWN:
        key_down(a, ev->key.keysym.sym, ev->key.keysym.mod);
        return;
    case SDL_MOUSEWHEEL:
        if (a->st->screen != DESK_CASE)
            return;
        act.kind = DESK_ACT_SCROLL;
        act.n = -ev->wheel.y * desk_ui_page(a->ui) / 6;
        break;
    case SDL_MOUSEBUTTONUP: {
        const widget *w = desk_ui_hit(a->ui, ev->button.x, ev->button.y);
        if (a->st->focus[0]) {
            /* the mouse: no ring (as the kiosk's touch) */
            desk_action off = {.kind = DESK_ACT_FOCUS, .text = ""};
            apply(a, &off);
        }
        if (w) {
            char id[128];
            snprintf(id, sizeof id, "%s", w->id);
            click(a, id);
        }
        return;
    }
    case SDL_WINDOWEVENT:
        if (ev->window.event == SDL_WINDOWEVENT_EXPOSED ||
            ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
            desk_ui_render(a->ui, a->st, true);
        return;
    default:
        if (ev->type == a->wake_event)
            drain(a);
        return;
    }
    apply(a, &act);
}

/* One turn of the loop: events for up to `wait_ms`, results, the clock, a frame. */
static void turn(desk_app *a, int wait_ms)
{
    SDL_Event ev;
    if (SDL_WaitEventTimeout(&ev, wait_ms)) {
        handle(a, &ev);
        while (SDL_PollEvent(&ev))
            handle(a, &ev);
    }
    drain(a);
    desk_action tick = {.kind = DESK_ACT_TICK};
    apply(a, &tick);
    frame(a);
}

/* ---- scripted mode ---- */

static void h_dispatch(void *ctx, const desk_action *act)
{
    desk_action copy = *act;
    apply(ctx, &copy);
    frame(ctx);
}

static void h_click(void *ctx, const char *id)
{
    click(ctx, id);
    frame(ctx);
}

static bool h_key(void *ctx, SDL_Keycode k, Uint16 mod)
{
    bool did = key_down(ctx, k, mod);
    frame(ctx);
    return did;
}

static void h_pump(void *ctx, int ms)
{
    desk_app *a = ctx;
    Uint64 until = SDL_GetTicks64() + (Uint64)ms;
    do {
        Uint64 t = SDL_GetTicks64();
        turn(a, until > t ? (int)(until - t > 20 ? 20 : until - t) : 0);
    } while (SDL_GetTicks64() < until);
}

static void h_logshot(void *ctx, const char *name)
{
    desk_app *a = ctx;
    if (a->render_log) {
        fprintf(a->render_log, "screenshot\t%s\n", name);
        fflush(a->render_log);
    }
}

static const desk_state *h_state(void *ctx)
{
    return ((desk_app *)ctx)->st;
}

static unsigned h_chimes(void *ctx)
{
    return ((desk_app *)ctx)->chimes_due;
}

static void usage(void)
{
    fprintf(stderr, "usage: loket-desk --config FILE [--script FILE] [--screenshots DIR]\n"
                    "                  [--render-log FILE] [--debug]\n");
}

/* A setting into the client's configuration (cut at its size; the settings' own sizes are
 * no larger). */
static void copy_str(char *dst, size_t cap, const char *src)
{
    size_t n = strnlen(src, cap - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

int main(int argc, char **argv)
{
    const char *config = NULL, *script = NULL, *shots = NULL, *render_log = NULL;
    bool debug = false;
    static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
                                         {"script", required_argument, NULL, 's'},
                                         {"screenshots", required_argument, NULL, 'o'},
                                         {"render-log", required_argument, NULL, 'r'},
                                         {"debug", no_argument, NULL, 'd'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int ch;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'c':
            config = optarg;
            break;
        case 's':
            script = optarg;
            break;
        case 'o':
            shots = optarg;
            break;
        case 'r':
            render_log = optarg;
            break;
        case 'd':
            debug = true;
            break;
        case 'h':
            usage();
            return 0;
        default:
            usage();
            return 2;
        }
    }
    if (!config || optind != argc) {
        usage();
        return 2;
    }
    if (debug)
        log_set_level(LOG_DEBUG);
    static desk_app app;
    desk_app *a = &app;
    char err[600];
    desk_config_defaults(&a->cfg);
    snprintf(a->cfg.icons_dir, sizeof a->cfg.icons_dir, "%s/icons", LOKET_ASSETS_DIR);
    if (!desk_config_load(&a->cfg, config, err, sizeof err) ||
        !desk_config_check(&a->cfg, err, sizeof err)) {
        fprintf(stderr, "loket-desk: %s\n", err);
        return 2;
    }
    caseapi_config cc;
    caseapi_config_defaults(&cc);
    copy_str(cc.base_url, sizeof cc.base_url, a->cfg.url);
    copy_str(cc.ca_file, sizeof cc.ca_file, a->cfg.ca);
    copy_str(cc.cert_file, sizeof cc.cert_file, a->cfg.cert);
    copy_str(cc.key_file, sizeof cc.key_file, a->cfg.key);
    copy_str(cc.token_file, sizeof cc.token_file, a->cfg.token_file);
    copy_str(cc.pin, sizeof cc.pin, a->cfg.pin);
    cc.timeout_ms = a->cfg.timeout_s * 1000;
    a->poll_api = caseapi_new(&cc, err, sizeof err);
    a->req_api = a->poll_api ? caseapi_new(&cc, err, sizeof err) : NULL;
    if (!a->req_api) {
        fprintf(stderr, "loket-desk: %s\n", err);
        caseapi_free(a->poll_api);
        return 2;
    }
    a->st = calloc(1, sizeof *a->st);
    if (!a->st) {
        fprintf(stderr, "loket-desk: out of memory\n");
        return 1;
    }
    desk_init(a->st, a->cfg.lang, now_ms());
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    SDL_SetHint(SDL_HINT_QUIT_ON_LAST_WINDOW_CLOSE, "1");
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        fprintf(stderr, "loket-desk: cannot start the display: %s\n", SDL_GetError());
        return 1;
    }
    IMG_Init(IMG_INIT_PNG);
    a->wake_event = SDL_RegisterEvents(1);
    desk_ui_options uo = {.scripted = script != NULL,
                          .width = a->cfg.width_px,
                          .height = a->cfg.height_px,
                          .width_mm = a->cfg.width_mm,
                          .font_family = a->cfg.font,
                          .icons_dir = a->cfg.icons_dir};
    a->ui = desk_ui_create(&uo, err, sizeof err);
    if (!a->ui) {
        fprintf(stderr, "loket-desk: %s\n", err);
        SDL_Quit();
        return 1;
    }
    if (a->cfg.sound) {
        char why[300];
        a->sound = desk_sound_open(why, sizeof why);
        if (!a->sound)
            log_msg(LOG_WARN, "desk", "%s: new tasks are only highlighted", why);
    } else {
        log_msg(LOG_INFO, "desk", "sound off (desk.sound = false): new tasks are only highlighted");
    }
    if (render_log) {
        a->render_log = fopen(render_log, "w");
        if (!a->render_log) {
            fprintf(stderr, "loket-desk: cannot write %s: %s\n", render_log, strerror(errno));
            return 1;
        }
    }
    pthread_mutex_init(&a->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_cond_init(&a->cond, &ca);
    pthread_condattr_destroy(&ca);
    if (pthread_create(&a->poller, NULL, poller_main, a) != 0 ||
        pthread_create(&a->requester, NULL, requester_main, a) != 0) {
        fprintf(stderr, "loket-desk: cannot start the network threads\n");
        return 1;
    }
    a->threads = true;
    log_msg(LOG_INFO, "desk", "started: polling every %d ms", a->cfg.poll_ms);
    SDL_StartTextInput();
    int rc = 0;
    if (script) {
        desk_script_host h = {.ctx = a,
                              .dispatch = h_dispatch,
                              .click = h_click,
                              .key = h_key,
                              .pump = h_pump,
                              .logshot = h_logshot,
                              .state = h_state,
                              .chimes = h_chimes};
        char serr[1024];
        if (desk_script_run(script, a->ui, &h, shots, serr, sizeof serr) != 0) {
            fprintf(stderr, "loket-desk: %s\n", serr);
            rc = 1;
        } else {
            log_msg(LOG_INFO, "desk", "script done");
        }
    } else {
        desk_ui_render(a->ui, a->st, true);
        while (!a->quit && !got_signal)
            turn(a, 200);
    }
    pthread_mutex_lock(&a->lock);
    a->stop = true;
    pthread_cond_broadcast(&a->cond);
    pthread_mutex_unlock(&a->lock);
    pthread_join(a->poller, NULL);
    pthread_join(a->requester, NULL);
    for (int i = 0; i < a->n_results; i++)
        free_result(&a->results[i]);
    caseapi_free(a->poll_api);
    caseapi_free(a->req_api);
    desk_sound_close(a->sound);
    desk_ui_destroy(a->ui);
    if (a->render_log)
        fclose(a->render_log);
    desk_wipe(a->st);
    free(a->st);
    IMG_Quit();
    SDL_Quit();
    return rc;
}
