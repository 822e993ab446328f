#include "desk_script.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "script_util.h"

static bool row_has(const desk_state *s, const char *needle)
{
    for (int i = 0; i < s->n_tasks; i++) {
        const desk_task *t = &s->tasks[i];
        if (strstr(t->ref, needle) || strstr(t->code, needle) || strstr(t->what, needle))
            return true;
    }
    return false;
}

/* "<word> [ms]": splits off a trailing number of milliseconds */
static int split_ms(char *arg, int dflt)
{
    char *sp = strrchr(arg, ' ');
    if (sp) {
        char *end;
        long v = strtol(sp + 1, &end, 10);
        if (!*end && v > 0) {
            *sp = '\0';
            script_trim(arg);
            return (int)v;
        }
    }
    return dflt;
}

int desk_script_run(const char *path, desk_ui *u, const desk_script_host *h, const char *shot_dir,
                    char *err, size_t errcap)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errcap, "%s: cannot open: %s", path, strerror(errno));
        return 1;
    }
    char line[1024];
    int lineno = 0, rc = 0;
#define FAIL(...)                                                                                  \
    do {                                                                                           \
        char m_[700];                                                                              \
        snprintf(m_, sizeof m_, __VA_ARGS__);                                                      \
        snprintf(err, errcap, "%s:%d: %s", path, lineno, m_);                                      \
        rc = 1;                                                                                    \
        goto out;                                                                                  \
    } while (0)
#define WAIT_UNTIL(cond, ms)                                                                       \
    do {                                                                                           \
        for (int w_ = 0; !(cond) && w_ < (ms); w_ += 20)                                           \
            h->pump(h->ctx, 20);                                                                   \
    } while (0)
    h->pump(h->ctx, 0);
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *cmd = script_trim(line);
        if (!*cmd || *cmd == '#')
            continue;
        char *arg = script_split(cmd);
        if (!strcmp(cmd, "tap")) {
            int x, y;
            const widget *w;
            if (arg[0] == '@' && sscanf(arg + 1, "%d,%d", &x, &y) == 2)
                w = desk_ui_hit(u, x, y);
            else
                w = desk_ui_find(u, arg);
            if (!w)
                FAIL("no control '%s' to tap", arg);
            char id[128];
            snprintf(id, sizeof id, "%s", w->id);
            h->click(h->ctx, id);
        } else if (!strcmp(cmd, "tap-row")) {
            /* the open or done button of the row whose task says <text> (rows without a
             * number have ids by uuid, which a script cannot know) */
            char which[8];
            int off = 0;
            if (sscanf(arg, "%7s %n", which, &off) != 1 || off == 0 ||
                (strcmp(which, "open") && strcmp(which, "done")))
                FAIL("tap-row wants open or done, then the row's text");
            char *text = script_trim(arg + off);
            const desk_state *s = h->state(h->ctx);
            const desk_task *t = NULL;
            for (int i = 0; i < s->n_tasks && !t; i++)
                if (strstr(s->tasks[i].what, text) || strstr(s->tasks[i].ref, text))
                    t = &s->tasks[i];
            if (!t)
                FAIL("no row with '%s'", text);
            char id[128];
            snprintf(id, sizeof id, "%s:%s", which, t->ref[0] ? t->ref : t->uuid);
            if (!desk_ui_find(u, id))
                FAIL("the row '%s' has no control '%s' on screen", text, which);
            h->click(h->ctx, id);
        } else if (!strcmp(cmd, "key")) {
            /* the same way as the window's keys (app/desk/main.c) */
            Uint16 mod = KMOD_NONE;
            const char *name = arg;
            if (!strncasecmp(name, "shift+", 6)) {
                mod = KMOD_LSHIFT;
                name += 6;
            }
            SDL_Keycode k = SDL_GetKeyFromName(name);
            if (k == SDLK_UNKNOWN || !h->key(h->ctx, k, mod))
                FAIL("key '%s' does nothing at the desk", arg);
        } else if (!strcmp(cmd, "type")) {
            /* one key at a time, as a scanner types */
            for (const char *p = arg; *p; p++) {
                char one[2] = {*p, 0};
                desk_action a = {.kind = DESK_ACT_CHAR, .text = one};
                h->dispatch(h->ctx, &a);
            }
        } else if (!strcmp(cmd, "wait")) {
            char *what = arg;
            char *val = script_split(what);
            int ms = split_ms(val, 5000);
            if (!strcmp(what, "task")) {
                WAIT_UNTIL(row_has(h->state(h->ctx), val), ms);
                if (!row_has(h->state(h->ctx), val))
                    FAIL("no task with '%s' in the list within %d ms", val, ms);
            } else if (!strcmp(what, "gone")) {
                WAIT_UNTIL(!row_has(h->state(h->ctx), val), ms);
                if (row_has(h->state(h->ctx), val))
                    FAIL("the task '%s' is still in the list after %d ms", val, ms);
            } else if (!strcmp(what, "case")) {
                const desk_state *s = h->state(h->ctx);
                WAIT_UNTIL(!s->case_loading && (s->case_open || s->message_error), ms);
                if (!s->case_open || s->case_loading)
                    FAIL("no case open after %d ms: %s", ms, s->message);
            } else if (!strcmp(what, "message")) {
                const desk_state *s = h->state(h->ctx);
                WAIT_UNTIL(strstr(s->message, val) != NULL, ms);
                if (!strstr(s->message, val))
                    FAIL("the message is '%s', not '%s'", s->message, val);
            } else if (!strcmp(what, "list")) {
                WAIT_UNTIL(h->state(h->ctx)->polled, ms);
                if (!h->state(h->ctx)->polled)
                    FAIL("no list from the case service within %d ms", ms);
            } else if (!strcmp(what, "stale")) {
                WAIT_UNTIL(h->state(h->ctx)->stale, ms);
                if (!h->state(h->ctx)->stale)
                    FAIL("the list was not marked stale within %d ms", ms);
            } else {
                FAIL("wait knows list, task, gone, case, message and stale");
            }
        } else if (!strcmp(cmd, "touch")) {
            /* tells a test driver that the script got here */
            FILE *t = *arg && !strchr(arg, '/') ? fopen(arg, "w") : NULL;
            if (!t)
                FAIL("touch needs a file name in the working directory");
            fclose(t);
        } else if (!strcmp(cmd, "pause")) {
            int ms = atoi(arg);
            if (ms <= 0)
                FAIL("pause needs milliseconds > 0");
            h->pump(h->ctx, ms);
        } else if (!strcmp(cmd, "expect-seen-within")) {
            char ref[32];
            int ms;
            if (sscanf(arg, "%31s %d", ref, &ms) != 2)
                FAIL("expect-seen-within needs a number and milliseconds");
            const desk_task *t = desk_find_task(h->state(h->ctx), NULL, ref);
            if (!t)
                FAIL("no task %s in the list", ref);
            if (!t->assigned_ms)
                FAIL("the task %s has no toegewezenOp", ref);
            long long d = (long long)(t->seen_ms - t->assigned_ms);
            printf("desk: task %s in the list %lld ms after its toegewezenOp\n", ref, d);
            fflush(stdout);
            if (d > ms)
                FAIL("the task %s appeared %lld ms after its creation (more than %d)", ref, d, ms);
            if (!t->fresh)
                FAIL("the task %s is not highlighted", ref);
        } else if (!strcmp(cmd, "expect-focus")) {
            const desk_state *s = h->state(h->ctx);
            char want[160];
            if (!strncmp(arg, "row ", 4)) {
                char which[8];
                int off = 0;
                if (sscanf(arg + 4, "%7s %n", which, &off) != 1 || off == 0 ||
                    (strcmp(which, "open") && strcmp(which, "done")))
                    FAIL("expect-focus row wants open or done, then the row's text");
                const char *text = arg + 4 + off;
                const desk_task *t = NULL;
                for (int i = 0; i < s->n_tasks && !t; i++)
                    if (strstr(s->tasks[i].what, text) || strstr(s->tasks[i].ref, text))
                        t = &s->tasks[i];
                if (!t)
                    FAIL("no row with '%s'", text);
                snprintf(want, sizeof want, "%s:%s", which, t->ref[0] ? t->ref : t->uuid);
            } else {
                snprintf(want, sizeof want, "%s", strcmp(arg, "none") ? arg : "");
            }
            if (strcmp(s->focus, want))
                FAIL("the focus is on '%s', not '%s'", s->focus[0] ? s->focus : "none",
                     want[0] ? want : "none");
            if (strcmp(desk_ui_ring(u), want))
                FAIL("the focus ring is drawn round '%s', not '%s'",
                     desk_ui_ring(u)[0] ? desk_ui_ring(u) : "nothing", want[0] ? want : "nothing");
        } else if (!strcmp(cmd, "expect")) {
            char *what = arg;
            char *val = script_split(what);
            const layout *L = desk_ui_layout(u);
            const desk_state *s = h->state(h->ctx);
            if (!strcmp(what, "screen")) {
                const char *name = s->screen == DESK_CASE ? "case" : "list";
                if (strcmp(name, val))
                    FAIL("expected screen '%s', but it is '%s'", val, name);
            } else if (!strcmp(what, "text")) {
                if (!script_any_text(L, val))
                    FAIL("expected text '%s' on screen", val);
            } else if (!strcmp(what, "no-text")) {
                if (script_any_text(L, val))
                    FAIL("text '%s' should not be on screen", val);
            } else if (!strcmp(what, "control")) {
                if (!desk_ui_find(u, val))
                    FAIL("expected control '%s' on screen", val);
            } else if (!strcmp(what, "no-control")) {
                if (desk_ui_find(u, val))
                    FAIL("control '%s' should not be on screen", val);
            } else if (!strcmp(what, "chime")) {
                if (h->chimes(h->ctx) == 0)
                    FAIL("no chime");
            } else {
                FAIL("unknown expectation '%s'", what);
            }
        } else if (!strcmp(cmd, "screenshot")) {
            if (!*arg || strchr(arg, '/'))
                FAIL("screenshot needs a file name (no folders)");
            h->pump(h->ctx, 0);
            char p[2048], e[256];
            snprintf(p, sizeof p, "%s/%s", shot_dir ? shot_dir : ".", arg);
            if (!desk_ui_screenshot(u, p, e, sizeof e))
                FAIL("%s", e);
            h->logshot(h->ctx, arg);
        } else {
            FAIL("unknown command '%s'", cmd);
        }
        h->pump(h->ctx, 0);
    }
out:
#undef FAIL
#undef WAIT_UNTIL
    fclose(f);
    return rc;
}
