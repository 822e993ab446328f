#include "script.h"

#include "core/speak.h"
#include "script_util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int script_run(const char *path, ui *u, const script_host *h, const char *shot_dir, char *err,
               size_t errcap)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errcap, "%s: cannot open: %s", path, strerror(errno));
        return 1;
    }
    char line[1024];
    int lineno = 0, rc = 0;
    h->frame(h->ctx);
#define FAIL(...)                                                                                  \
    do {                                                                                           \
        char m_[700];                                                                              \
        snprintf(m_, sizeof m_, __VA_ARGS__);                                                      \
        snprintf(err, errcap, "%s:%d: %s", path, lineno, m_);                                      \
        rc = 1;                                                                                    \
        goto out;                                                                                  \
    } while (0)
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *cmd = script_trim(line);
        if (!*cmd || *cmd == '#')
            continue;
        char *arg = script_split(cmd);
        const session *s = h->state(h->ctx);
        if (!strcmp(cmd, "tap")) {
            /* like a finger: the press is input; the release on a control is its action */
            const widget *w;
            int x, y;
            bool at = arg[0] == '@' && sscanf(arg + 1, "%d,%d", &x, &y) == 2;
            w = at ? ui_hit(u, x, y) : ui_find(u, arg);
            if (!w && !at)
                FAIL("no control '%s' to tap on screen '%s'", arg, screen_name(s->screen));
            action press = {.kind = ACT_INPUT};
            action a = w ? w->act : press;
            h->dispatch(h->ctx, &press);
            if (w)
                h->dispatch(h->ctx, &a);
        } else if (!strcmp(cmd, "key")) {
            SDL_Keycode k = SDL_GetKeyFromName(arg);
            if (k == SDLK_UNKNOWN)
                FAIL("unknown key '%s'", arg);
            h->key(h->ctx, k);
            /* the text a keypad key makes (NumLock on), where SDL sends text: the program must
             * not type it (the keypad steers) */
            static const char kp_text[] = "1234567890./*-+";
            static const SDL_Keycode kp_keys[] = {
                SDLK_KP_1,      SDLK_KP_2,      SDLK_KP_3,        SDLK_KP_4,     SDLK_KP_5,
                SDLK_KP_6,      SDLK_KP_7,      SDLK_KP_8,        SDLK_KP_9,     SDLK_KP_0,
                SDLK_KP_PERIOD, SDLK_KP_DIVIDE, SDLK_KP_MULTIPLY, SDLK_KP_MINUS, SDLK_KP_PLUS};
            for (size_t i = 0; i < sizeof kp_keys / sizeof *kp_keys; i++) {
                if (kp_keys[i] != k || !SDL_IsTextInputActive() || !h->events)
                    continue;
                SDL_Event text = {.type = SDL_TEXTINPUT};
                text.text.text[0] = kp_text[i];
                if (SDL_PushEvent(&text) < 1)
                    FAIL("key: cannot push a text event: %s", SDL_GetError());
                h->events(h->ctx);
            }
        } else if (!strcmp(cmd, "type")) {
            /* like fingers on a keyboard: a key pressed, then the text it makes (SDL sends
             * text only while text input is on), each through the program's event loop */
            if (!*arg || !h->events)
                FAIL("type needs a text (and a host that takes events)");
            const unsigned char *p = (const unsigned char *)arg;
            while (*p) {
                size_t len = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : 2;
                if (strnlen((const char *)p, len) < len)
                    FAIL("type: broken UTF-8");
                int cp = len == 1   ? *p
                         : len == 2 ? ((p[0] & 0x1F) << 6) | (p[1] & 0x3F)
                         : len == 3 ? ((p[0] & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F)
                                    : 0;
                /* the key's code as SDL names it: its small letter, or the character */
                SDL_Event down = {.type = SDL_KEYDOWN};
                down.key.state = SDL_PRESSED;
                down.key.keysym.sym = cp >= 'A' && cp <= 'Z'     ? cp - 'A' + 'a'
                                      : cp >= 0xC0 && cp <= 0xDE ? cp + 0x20
                                                                 : cp;
                if (SDL_PushEvent(&down) < 1)
                    FAIL("type: cannot push a key event: %s", SDL_GetError());
                if (SDL_IsTextInputActive()) {
                    SDL_Event text = {.type = SDL_TEXTINPUT};
                    memcpy(text.text.text, p, len);
                    if (SDL_PushEvent(&text) < 1)
                        FAIL("type: cannot push a text event: %s", SDL_GetError());
                }
                h->events(h->ctx);
                h->frame(h->ctx);
                p += len;
            }
        } else if (!strcmp(cmd, "tick")) {
            char *end;
            long ms = strtol(arg, &end, 10);
            if (*end || ms <= 0)
                FAIL("tick needs milliseconds > 0");
            h->advance(h->ctx, (uint64_t)ms);
        } else if (!strcmp(cmd, "screenshot")) {
            if (!*arg || strchr(arg, '/'))
                FAIL("screenshot needs a file name (no folders)");
            char p[2048], e[256];
            snprintf(p, sizeof p, "%s/%s", shot_dir ? shot_dir : ".", arg);
            if (!ui_screenshot(u, p, e, sizeof e))
                FAIL("%s", e);
            h->logshot(h->ctx, arg);
        } else if (!strcmp(cmd, "expect")) {
            char *what = arg;
            char *val = script_split(what);
            const layout *L = ui_layout(u);
            if (!strcmp(what, "screen")) {
                if (strcmp(screen_name(s->screen), val))
                    FAIL("expected screen '%s', but it is '%s'", val, screen_name(s->screen));
            } else if (!strcmp(what, "text")) {
                if (!script_any_text(L, val))
                    FAIL("expected text '%s' on screen '%s'", val, screen_name(s->screen));
            } else if (!strcmp(what, "no-text")) {
                if (script_any_text(L, val))
                    FAIL("text '%s' should not be on screen '%s'", val, screen_name(s->screen));
            } else if (!strcmp(what, "control")) {
                if (!ui_find(u, val))
                    FAIL("expected control '%s' on screen '%s'", val, screen_name(s->screen));
            } else if (!strcmp(what, "no-control")) {
                if (ui_find(u, val))
                    FAIL("control '%s' should not be on screen '%s'", val, screen_name(s->screen));
            } else {
                FAIL("unknown expectation '%s'", what);
            }
        } else if (!strcmp(cmd, "card")) {
            card_kind kind;
            bool old = !strcmp(arg, "present old-document"); /* BAC only: the MRZ details */
            if (!strcmp(arg, "present id-document") || old)
                kind = CARD_ID_DOCUMENT;
            else if (!strcmp(arg, "present other"))
                kind = CARD_OTHER;
            else if (!strcmp(arg, "present staff")) /* the simulated staff badge */
                kind = CARD_STAFF;
            else if (!strcmp(arg, "present library-pass"))
                kind = CARD_LIBRARY_PASS;
            else if (!strcmp(arg, "remove"))
                kind = CARD_NONE;
            else
                FAIL("card wants 'present id-document', 'present old-document', 'present other', "
                     "'present staff', 'present library-pass' or 'remove'");
            if (old && (!h->card_bac_only || !h->card_bac_only(h->ctx, true)))
                FAIL("no simulated card reader in this configuration");
            if (!h->card(h->ctx, kind))
                FAIL("no simulated card reader in this configuration");
        } else if (!strcmp(cmd, "redraw")) {
            if (!strcmp(arg, "cold"))
                ui_redraw_cold(u, s);
            else if (!*arg)
                ui_redraw(u, s);
            else
                FAIL("redraw takes nothing or 'cold'");
            h->logframe(h->ctx);
        } else if (!strcmp(cmd, "fault")) {
            char name[64], state[8];
            if (sscanf(arg, "%63s %7s", name, state) != 2 ||
                (strcmp(state, "on") && strcmp(state, "off")))
                FAIL("fault needs a name and on/off");
            if (!h->fault(h->ctx, name, !strcmp(state, "on")))
                FAIL("no fault '%s' in this configuration", name);
        } else if (!strcmp(cmd, "tab-to")) {
            /* only Tab presses, through the program's own key handling */
            int presses = 0;
            while (strcmp(ui_focus_id(u), arg) != 0 && presses < 200) {
                h->key(h->ctx, SDLK_TAB);
                h->frame(h->ctx);
                presses++;
            }
            if (strcmp(ui_focus_id(u), arg) != 0)
                FAIL("Tab never reached control '%s' on screen '%s'", arg,
                     screen_name(h->state(h->ctx)->screen));
        } else if (!strcmp(cmd, "listen-to")) {
            /* like a blind keypad user: "2" (next) until the control is reached, and every
             * press is answered by the voice with the control's name */
            int presses = 0;
            while (strcmp(ui_focus_id(u), arg) != 0 && presses < 200) {
                h->key(h->ctx, SDLK_KP_2);
                h->frame(h->ctx);
                presses++;
                const char *said = h->last_speech ? h->last_speech(h->ctx) : NULL;
                const widget *fw = ui_find(u, ui_focus_id(u));
                char name[512] = "";
                if (fw)
                    speak_prepare(session_speech_lang(h->state(h->ctx)), fw->text, name,
                                  sizeof name);
                if (!said || !fw || !said[0] || !strstr(said, name))
                    FAIL("on control '%s' the voice said \"%.200s\", not its name \"%.100s\"",
                         ui_focus_id(u), said ? said : "(no speech)", name);
            }
            if (strcmp(ui_focus_id(u), arg) != 0)
                FAIL("keypad 2 never reached control '%s' on screen '%s'", arg,
                     screen_name(h->state(h->ctx)->screen));
        } else if (!strcmp(cmd, "expect-text-input")) {
            bool on = !strcmp(arg, "on");
            if (!on && strcmp(arg, "off"))
                FAIL("expect-text-input wants on or off");
            if ((SDL_IsTextInputActive() == SDL_TRUE) != on)
                FAIL("SDL's text input is %s on screen '%s'", on ? "off" : "on",
                     screen_name(s->screen));
        } else if (!strcmp(cmd, "expect-focus")) {
            if (strcmp(ui_focus_id(u), arg) != 0)
                FAIL("the focus is on '%s', not on '%s'", ui_focus_id(u), arg);
        } else if (!strcmp(cmd, "expect-speech") || !strcmp(cmd, "expect-no-speech")) {
            /* the speech happens after the frame: draw first */
            h->frame(h->ctx);
            const char *said = h->last_speech ? h->last_speech(h->ctx) : NULL;
            if (!said)
                FAIL("no speech in this configuration");
            bool has = strstr(said, arg) != NULL;
            if (has != !strcmp(cmd, "expect-speech"))
                FAIL("the last speech %s '%s': \"%.300s\"", has ? "says" : "does not say", arg,
                     said);
        } else if (!strcmp(cmd, "expect-silent")) {
            if (!h->speaking)
                FAIL("no speech in this configuration");
            if (h->speaking(h->ctx))
                FAIL("the voice is still speaking");
        } else if (!strcmp(cmd, "wait") && !strcmp(arg, "card")) {
            if (!h->wait_card || !h->wait_card(h->ctx))
                FAIL("no ID card on the reader within 5 s");
        } else if (!strcmp(cmd, "wait") && !strcmp(arg, "pin")) {
            if (!h->wait_pin || !h->wait_pin(h->ctx))
                FAIL("the staff PIN was not checked within 10 s");
        } else if (!strcmp(cmd, "wait") && !strcmp(arg, "handoff")) {
            if (!h->wait_handoff || !h->wait_handoff(h->ctx))
                FAIL("the hand-off did not reach the desk within 20 s");
        } else if (!strcmp(cmd, "wait")) {
            if (strcmp(arg, "delivered") || !h->wait_delivered)
                FAIL("wait knows 'delivered', 'card', 'handoff' and 'pin'");
            if (!h->wait_delivered(h->ctx))
                FAIL("the outbox was not delivered within 20 s");
        } else {
            FAIL("unknown command '%s'", cmd);
        }
        h->frame(h->ctx);
    }
out:
#undef FAIL
    fclose(f);
    return rc;
}
