#include "desk/desk.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/refnum.h"

const char *desk_tr(desk_lang lang, const char *nl, const char *en)
{
    return lang == DESK_EN ? en : nl;
}

void desk_init(desk_state *s, desk_lang lang, int64_t now_ms)
{
    memset(s, 0, sizeof *s);
    s->lang = lang;
    s->now_ms = now_ms;
    s->version = 1;
}

void desk_wipe(desk_state *s)
{
    explicit_bzero(s, sizeof *s);
}

static void effect(desk_effects *out, desk_effect_kind k, const char *ref, const char *uuid,
                   int count, const char *text)
{
    if (!out || out->n >= DESK_MAX_EFFECTS)
        return;
    desk_effect *e = &out->e[out->n++];
    memset(e, 0, sizeof *e);
    e->kind = k;
    snprintf(e->ref, sizeof e->ref, "%s", ref ? ref : "");
    snprintf(e->uuid, sizeof e->uuid, "%s", uuid ? uuid : "");
    e->count = count;
    snprintf(e->text, sizeof e->text, "%s", text ? text : "");
}

static void say(desk_state *s, bool error, const char *msg)
{
    snprintf(s->message, sizeof s->message, "%s", msg);
    s->message_error = error;
}

const char *desk_error_words(desk_lang l, desk_error e, long status)
{
    switch (e) {
    case DESK_ERR_NETWORK:
        return desk_tr(l, "Geen verbinding met het zaaksysteem",
                       "No connection to the case service");
    case DESK_ERR_AUTH:
        return status == 403
                   ? desk_tr(l, "Geen toegang (403): vraag de beheerder de sleutel na te kijken",
                             "Access refused (403): ask the administrator to check the token")
                   : desk_tr(l,
                             "Sleutel geweigerd (401): vraag de beheerder de sleutel na te kijken",
                             "Token refused (401): ask the administrator to check the token");
    case DESK_ERR_NOT_FOUND:
        return desk_tr(l, "Niet gevonden (404)", "Not found (404)");
    case DESK_ERR_SERVER:
        return desk_tr(l, "Het zaaksysteem gaf een fout",
                       "The case service answered with an error");
    case DESK_ERR_ANSWER:
        return desk_tr(l, "Het antwoord van het zaaksysteem is onleesbaar",
                       "The case service's answer cannot be read");
    default:
        return "";
    }
}

static void wipe_task(desk_task *t)
{
    explicit_bzero(t, sizeof *t);
}

static void wipe_case(desk_state *s)
{
    explicit_bzero(&s->cv, sizeof s->cv);
    s->case_open = false;
    s->scroll = 0;
}

const desk_task *desk_find_task(const desk_state *s, const char *uuid, const char *ref)
{
    for (int i = 0; i < s->n_tasks; i++) {
        if (uuid && uuid[0] && !strcmp(s->tasks[i].uuid, uuid))
            return &s->tasks[i];
        if (ref && ref[0] && !strcmp(s->tasks[i].ref, ref))
            return &s->tasks[i];
    }
    return NULL;
}

static bool recently_closed(desk_state *s, const char *uuid)
{
    for (int i = 0; i < s->n_closed; i++)
        if (!strcmp(s->closed[i].uuid, uuid) &&
            s->now_ms - s->closed[i].at_ms < DESK_CLOSED_MEMORY_MS)
            return true;
    return false;
}

static void remember_closed(desk_state *s, const char *uuid)
{
    /* forget the old ones first */
    int k = 0;
    for (int i = 0; i < s->n_closed; i++)
        if (s->now_ms - s->closed[i].at_ms < DESK_CLOSED_MEMORY_MS)
            s->closed[k++] = s->closed[i];
    s->n_closed = k;
    if (s->n_closed == DESK_MAX_TASKS) {
        memmove(&s->closed[0], &s->closed[1], sizeof s->closed[0] * (DESK_MAX_TASKS - 1));
        s->n_closed--;
    }
    snprintf(s->closed[s->n_closed].uuid, DESK_UUID_MAX, "%s", uuid);
    s->closed[s->n_closed].at_ms = s->now_ms;
    s->n_closed++;
}

/* ---- the keyboard focus ---- */

static void set_focus(char focus[DESK_FOCUS_MAX], const char *id)
{
    snprintf(focus, DESK_FOCUS_MAX, "%s", id ? id : "");
}

/* A row's controls are "open:<key>" and "done:<key>": its number, else its uuid (as the
 * screen makes them). */
static const char *row_key(const desk_task *t)
{
    return t->ref[0] ? t->ref : t->uuid;
}

static int row_index(const desk_task *tasks, int n, const char *key)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(row_key(&tasks[i]), key))
            return i;
    return -1;
}

static bool row_control(const char *id)
{
    return !strncmp(id, "open:", 5) || !strncmp(id, "done:", 5);
}

/* The list goes from `old` to `now`: a focus on a row that went moves to the next row that
 * stayed (its same button), else to the look-up field; the row to go back to is forgotten. */
static void refocus_rows(desk_state *s, const desk_task *old, int old_n, const desk_task *now,
                         int now_n)
{
    if (s->focus_back[0] && row_index(now, now_n, s->focus_back + 5) < 0)
        s->focus_back[0] = '\0';
    if (!row_control(s->focus) || row_index(now, now_n, s->focus + 5) >= 0)
        return;
    int at = row_index(old, old_n, s->focus + 5);
    for (int j = at < 0 ? old_n : at + 1; j < old_n; j++)
        if (row_index(now, now_n, row_key(&old[j])) >= 0) {
            char id[DESK_FOCUS_MAX];
            snprintf(id, sizeof id, "%.5s%s", s->focus, row_key(&old[j]));
            set_focus(s->focus, id);
            return;
        }
    set_focus(s->focus, "input");
}

/* Controls that both screens have keep the focus when the screen changes. */
static bool head_control(const char *id)
{
    return !strcmp(id, "input") || !strcmp(id, "lookup") || !strcmp(id, "lang");
}

/* A case view opened: the focus (when the keys are in use) goes to "close", and a row's
 * "open:" is remembered for the way back. */
static void focus_case_opened(desk_state *s)
{
    if (!s->focus[0] || head_control(s->focus))
        return;
    if (!strncmp(s->focus, "open:", 5))
        set_focus(s->focus_back, s->focus);
    set_focus(s->focus, "close");
}

/* Back to the list: to the row the case was opened from, else the field. */
static void focus_list_again(desk_state *s)
{
    if (s->focus[0] && !head_control(s->focus))
        set_focus(s->focus,
                  s->focus_back[0] && row_index(s->tasks, s->n_tasks, s->focus_back + 5) >= 0
                      ? s->focus_back
                      : "input");
    s->focus_back[0] = '\0';
}

int desk_focus_step(const char *const *ids, int n, const char *cur, int dir)
{
    if (!ids || n <= 0)
        return -1;
    int at = -1;
    for (int i = 0; cur && cur[0] && i < n && at < 0; i++)
        if (ids[i] && !strcmp(ids[i], cur))
            at = i;
    if (at < 0) {
        if (dir < 0)
            return n - 1;
        for (int i = 0; i < n; i++)
            if (ids[i] && strcmp(ids[i], "lang"))
                return i; /* the first control after the bar */
        return 0;
    }
    return ((at + (dir < 0 ? -1 : 1)) % n + n) % n;
}

bool desk_focus_on_button(const desk_state *s)
{
    return s->focus[0] && strcmp(s->focus, "input") != 0;
}

const char *desk_focus_activates(const desk_state *s)
{
    return desk_focus_on_button(s) && !s->input[0] ? s->focus : NULL;
}

static void poll_ok(desk_state *s, const desk_action *a, desk_effects *out)
{
    static desk_task next[DESK_MAX_TASKS]; /* the UI thread only */
    int n = 0, fresh = 0;
    for (int i = 0; i < a->n && n < DESK_MAX_TASKS; i++) {
        const desk_task *in = &a->tasks[i];
        if (!in->uuid[0] || recently_closed(s, in->uuid))
            continue;
        if (in->status[0] && strcmp(in->status, "te_verwerken"))
            continue; /* a server that ignores the filter */
        const desk_task *old = desk_find_task(s, in->uuid, NULL);
        desk_task *t = &next[n++];
        *t = *in;
        if (old) {
            t->seen_ms = old->seen_ms;
            t->fresh = old->fresh;
            t->closing = old->closing;
        } else {
            t->seen_ms = a->now_ms;
            t->fresh = s->polled; /* what was there when the desk started is not news */
            t->closing = false;
            if (t->fresh)
                fresh++;
        }
    }
    /* what the screen shows changed? (an unchanged list draws nothing) */
    bool same = n == s->n_tasks && !s->stale && s->polled &&
                s->last_ok_ms / 60000 == a->now_ms / 60000 &&
                memcmp(s->tasks, next, sizeof next[0] * (size_t)n) == 0;
    char focus_was[DESK_FOCUS_MAX];
    set_focus(focus_was, s->focus);
    refocus_rows(s, s->tasks, s->n_tasks, next, n);
    if (strcmp(focus_was, s->focus))
        same = false;
    for (int i = 0; i < s->n_tasks; i++)
        wipe_task(&s->tasks[i]);
    memcpy(s->tasks, next, sizeof next[0] * (size_t)n);
    explicit_bzero(next, sizeof next[0] * (size_t)n);
    s->n_tasks = n;
    s->polled = true;
    s->stale = false;
    s->poll_error = DESK_ERR_NONE;
    s->last_ok_ms = a->now_ms;
    if (!same)
        s->version++;
    if (fresh) {
        effect(out, DESK_EFF_CHIME, NULL, NULL, fresh, NULL);
        char m[160];
        snprintf(m, sizeof m, "%d new task(s) in the list", fresh);
        effect(out, DESK_EFF_LOG, NULL, NULL, fresh, m);
    }
}

/* What an answer was asked for: its number, else its klantcontact's uuid. */
static const char *key_of(const desk_action *a)
{
    return a->ref && a->ref[0] ? a->ref : a->uuid ? a->uuid : "";
}

static void start_lookup(desk_state *s, const char *ref, const char *contact, desk_effects *out)
{
    bool by_ref = ref && ref[0];
    snprintf(s->case_key, sizeof s->case_key, "%s", by_ref ? ref : contact);
    s->case_loading = true;
    effect(out, DESK_EFF_FETCH_CASE, by_ref ? ref : NULL, by_ref ? NULL : contact, 0, NULL);
    say(s, false, desk_tr(s->lang, "Zaak wordt opgezocht ...", "Looking the case up ..."));
}

static void enter(desk_state *s, desk_effects *out)
{
    char ref[DESK_REF_MAX];
    if (!s->input[0])
        return;
    bool ok = desk_parse_reference(s->input, ref);
    explicit_bzero(s->input, sizeof s->input);
    if (!ok) {
        say(s, true,
            desk_tr(s->lang, "Dat is geen geldig nummer: 10 cijfers, of scan de QR-code van de bon",
                    "That is not a valid number: 10 digits, or scan the slip's QR code"));
        return;
    }
    start_lookup(s, ref, NULL, out);
}

static void type_chars(desk_state *s, const char *text)
{
    size_t n = strlen(s->input);
    for (const char *p = text; p && *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c >= 0x7f)
            continue; /* numbers and the QR payload are ASCII */
        if (c == ' ' && n == 0)
            continue; /* a leading space means nothing (and Space on a button is no text) */
        if (n + 1 < sizeof s->input)
            s->input[n++] = (char)c;
    }
    s->input[n] = '\0';
}

void desk_apply(desk_state *s, const desk_action *a, desk_effects *out)
{
    if (out)
        out->n = 0;
    int64_t prev_ms = s->now_ms;
    if (a->now_ms)
        s->now_ms = a->now_ms;
    uint32_t before = s->version;
    switch (a->kind) {
    case DESK_ACT_TICK:
        for (int i = 0; i < s->n_tasks; i++)
            if (s->tasks[i].fresh && s->now_ms - s->tasks[i].seen_ms >= DESK_FRESH_MS) {
                s->tasks[i].fresh = false;
                s->version++;
            }
        /* waiting times: in seconds during a task's first minute, then in minutes */
        for (int i = 0; i < s->n_tasks; i++) {
            int64_t from = s->tasks[i].assigned_ms ? s->tasks[i].assigned_ms : s->tasks[i].seen_ms;
            bool seconds = s->now_ms - from < 61000;
            int64_t unit = seconds ? 1000 : 60000;
            if ((s->now_ms - from) / unit != (prev_ms - from) / unit) {
                s->version++;
                break;
            }
        }
        return; /* the version changed above only when the screen does */
    case DESK_ACT_POLL_OK:
        poll_ok(s, a, out);
        return; /* the version changed only when the list did */
    case DESK_ACT_POLL_FAIL:
        if (!s->stale || s->poll_error != a->error) {
            char m[160];
            snprintf(m, sizeof m, "poll failed: %s (HTTP %ld); the list is kept as it was",
                     a->error == DESK_ERR_NETWORK     ? "network"
                     : a->error == DESK_ERR_AUTH      ? "token refused"
                     : a->error == DESK_ERR_NOT_FOUND ? "not found"
                     : a->error == DESK_ERR_ANSWER    ? "unreadable answer"
                                                      : "server error",
                     a->status);
            effect(out, DESK_EFF_LOG, NULL, NULL, 0, m);
        }
        s->stale = true;
        s->poll_error = a->error;
        break;
    case DESK_ACT_FOCUS:
        set_focus(s->focus, a->text);
        break;
    case DESK_ACT_CHAR:
        type_chars(s, a->text);
        break;
    case DESK_ACT_BACKSPACE: {
        size_t n = strlen(s->input);
        if (n)
            s->input[n - 1] = '\0';
        break;
    }
    case DESK_ACT_ENTER:
        enter(s, out);
        break;
    case DESK_ACT_ESCAPE:
        if (s->input[0])
            explicit_bzero(s->input, sizeof s->input);
        else if (s->screen == DESK_CASE || s->case_loading) {
            bool was_case = s->screen == DESK_CASE;
            wipe_case(s);
            s->case_loading = false;
            s->screen = DESK_LIST;
            s->message[0] = '\0';
            if (was_case)
                focus_list_again(s);
        }
        break;
    case DESK_ACT_OPEN: {
        for (int i = 0; i < s->n_tasks; i++)
            if ((a->ref && a->ref[0] && !strcmp(s->tasks[i].ref, a->ref)) ||
                (a->uuid && a->uuid[0] && !strcmp(s->tasks[i].contact_uuid, a->uuid)))
                s->tasks[i].fresh = false;
        if (a->ref && a->ref[0])
            start_lookup(s, a->ref, NULL, out);
        else if (a->uuid && strlen(a->uuid) == 36)
            start_lookup(s, NULL, a->uuid, out);
        else
            say(s, true,
                desk_tr(s->lang, "Deze taak heeft geen nummer om de zaak mee op te zoeken",
                        "This task has no number to look its case up with"));
        break;
    }
    case DESK_ACT_CASE_OK:
        if (!s->case_loading || !a->kase || strcmp(key_of(a), s->case_key))
            return; /* an answer nobody waits for any more */
        wipe_case(s);
        s->cv = *a->kase;
        s->case_open = true;
        s->case_loading = false;
        s->screen = DESK_CASE;
        s->message[0] = '\0';
        focus_case_opened(s);
        effect(out, DESK_EFF_LOG, NULL, NULL, 0, "case opened");
        break;
    case DESK_ACT_CASE_FAIL: {
        if (!s->case_loading || strcmp(key_of(a), s->case_key))
            return;
        s->case_loading = false;
        char m[200];
        if (a->error == DESK_ERR_NOT_FOUND)
            snprintf(
                m, sizeof m, "%s",
                desk_tr(s->lang, "Geen zaak met dit nummer gevonden", "No case with this number"));
        else
            snprintf(m, sizeof m, "%s", desk_error_words(s->lang, a->error, a->status));
        say(s, true, m);
        break;
    }
    case DESK_ACT_DONE: {
        if (!a->uuid || !a->uuid[0])
            return;
        const desk_task *t = desk_find_task(s, a->uuid, NULL);
        if (t)
            s->tasks[t - s->tasks].closing = true;
        for (int i = 0; i < s->cv.n_tasks; i++)
            if (!strcmp(s->cv.tasks[i].uuid, a->uuid))
                s->cv.tasks[i].closing = true;
        effect(out, DESK_EFF_CLOSE_TASK, NULL, a->uuid, 0, NULL);
        say(s, false, desk_tr(s->lang, "Wordt afgemeld ...", "Closing ..."));
        break;
    }
    case DESK_ACT_DONE_OK: {
        if (!a->uuid)
            return;
        remember_closed(s, a->uuid);
        static desk_task old[DESK_MAX_TASKS]; /* the UI thread only */
        int old_n = s->n_tasks;
        memcpy(old, s->tasks, sizeof old[0] * (size_t)old_n);
        int k = 0;
        for (int i = 0; i < s->n_tasks; i++) {
            if (!strcmp(s->tasks[i].uuid, a->uuid)) {
                wipe_task(&s->tasks[i]);
                continue;
            }
            if (k != i)
                s->tasks[k] = s->tasks[i];
            k++;
        }
        for (int i = k; i < s->n_tasks; i++)
            wipe_task(&s->tasks[i]);
        s->n_tasks = k;
        refocus_rows(s, old, old_n, s->tasks, s->n_tasks);
        explicit_bzero(old, sizeof old[0] * (size_t)old_n);
        for (int i = 0; i < s->cv.n_tasks; i++)
            if (!strcmp(s->cv.tasks[i].uuid, a->uuid)) {
                /* its "done" button goes: the focus on it goes to "close" */
                char id[DESK_FOCUS_MAX];
                snprintf(id, sizeof id, "case-done:%s", row_key(&s->cv.tasks[i]));
                if (!strcmp(s->focus, id))
                    set_focus(s->focus, "close");
                s->cv.tasks[i].closing = false;
                snprintf(s->cv.tasks[i].status, sizeof s->cv.tasks[i].status, "verwerkt");
            }
        say(s, false, desk_tr(s->lang, "Afgemeld: klaar", "Closed: done"));
        effect(out, DESK_EFF_LOG, NULL, NULL, 0, "task closed (verwerkt)");
        break;
    }
    case DESK_ACT_DONE_FAIL: {
        if (!a->uuid)
            return;
        const desk_task *t = desk_find_task(s, a->uuid, NULL);
        if (t)
            s->tasks[t - s->tasks].closing = false;
        for (int i = 0; i < s->cv.n_tasks; i++)
            if (!strcmp(s->cv.tasks[i].uuid, a->uuid))
                s->cv.tasks[i].closing = false;
        char m[200];
        snprintf(m, sizeof m, "%s: %s",
                 desk_tr(s->lang, "Afmelden niet gelukt", "Could not close the task"),
                 desk_error_words(s->lang, a->error, a->status));
        say(s, true, m);
        break;
    }
    case DESK_ACT_CLOSE_CASE: {
        bool was_case = s->screen == DESK_CASE;
        wipe_case(s);
        s->case_loading = false;
        s->screen = DESK_LIST;
        s->message[0] = '\0';
        if (was_case)
            focus_list_again(s);
        break;
    }
    case DESK_ACT_SCROLL:
        s->scroll += a->n;
        if (s->scroll < 0)
            s->scroll = 0;
        break;
    case DESK_ACT_LANG:
        s->lang = a->n == DESK_EN ? DESK_EN : DESK_NL;
        break;
    }
    if (s->version == before)
        s->version++;
}

bool desk_parse_reference(const char *input, char out[DESK_REF_MAX])
{
    if (!input)
        return false;
    while (*input == ' ')
        input++;
    if (!strncasecmp(input, "LOKET:", 6))
        input += 6;
    char digits[REFNUM_DIGITS + 1];
    size_t n = 0;
    for (const char *p = input; *p; p++) {
        if (*p == ' ')
            continue;
        if (!isdigit((unsigned char)*p) || n == REFNUM_DIGITS)
            return false;
        digits[n++] = *p;
    }
    digits[n] = '\0';
    if (n != REFNUM_DIGITS || !refnum_valid(digits, NULL))
        return false;
    snprintf(out, DESK_REF_MAX, "%s", digits);
    return true;
}

void desk_hhmm(int64_t ms, char out[8])
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    if (!localtime_r(&t, &tm)) {
        snprintf(out, 8, "--:--");
        return;
    }
    snprintf(out, 8, "%02d:%02d", tm.tm_hour % 24, tm.tm_min % 60);
}

void desk_waited(int64_t from_ms, int64_t now_ms, desk_lang lang, char *out, size_t cap)
{
    if (from_ms <= 0) {
        snprintf(out, cap, "?");
        return;
    }
    int64_t s = (now_ms - from_ms) / 1000;
    if (s < 0)
        s = 0;
    if (s < 60)
        snprintf(out, cap, "%lld s", (long long)s);
    else if (s < 3600)
        snprintf(out, cap, "%lld min", (long long)(s / 60));
    else
        snprintf(out, cap, "%lld %s %02lld min", (long long)(s / 3600), lang == DESK_EN ? "h" : "u",
                 (long long)(s % 3600 / 60));
}

static int digits_at(const char *s, int n, int *v)
{
    int r = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return 0;
        r = r * 10 + (s[i] - '0');
    }
    *v = r;
    return 1;
}

int64_t desk_parse_time(const char *s)
{
    int Y, M, D, h, m, sec;
    if (!s || strlen(s) < 19 || !digits_at(s, 4, &Y) || s[4] != '-' || !digits_at(s + 5, 2, &M) ||
        s[7] != '-' || !digits_at(s + 8, 2, &D) || (s[10] != 'T' && s[10] != ' ') ||
        !digits_at(s + 11, 2, &h) || s[13] != ':' || !digits_at(s + 14, 2, &m) || s[16] != ':' ||
        !digits_at(s + 17, 2, &sec))
        return 0;
    if (M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || sec > 60 || Y < 1970)
        return 0;
    const char *p = s + 19;
    int frac_ms = 0;
    if (*p == '.') {
        p++;
        int k = 0;
        while (isdigit((unsigned char)*p)) {
            if (k < 3)
                frac_ms = frac_ms * 10 + (*p - '0');
            k++;
            p++;
        }
        if (k == 0)
            return 0;
        for (; k < 3; k++)
            frac_ms *= 10;
    }
    int off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (!digits_at(p + 1, 2, &oh) || p[3] != ':' || !digits_at(p + 4, 2, &om) || oh > 23 ||
            om > 59)
            return 0;
        off = (oh * 60 + om) * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return 0;
    }
    if (*p)
        return 0;
    /* days from the civil date (Howard Hinnant's algorithm): no timegm, no TZ */
    int y = Y - (M <= 2);
    int era = y / 400;
    int yoe = y - era * 400;
    int doy = (153 * (M + (M > 2 ? -3 : 9)) + 2) / 5 + D - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = (int64_t)era * 146097 + doe - 719468;
    int64_t secs = days * 86400 + h * 3600 + m * 60 + sec - (int64_t)off * 60;
    return secs * 1000 + frac_ms;
}
