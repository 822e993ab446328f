/* Content loader: YAML (libyaml's document API, so every node knows its line) into the model of
 * content.h. Strict: unknown keys, wrong types and dangling references are errors. */
#include "content/content.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

#include "content/overview.h"

/* ---- arena: every string of the model ---- */

struct content_arena {
    struct content_arena *next;
    size_t used, cap;
    char data[];
};

static char *arena_strdup(content *c, const char *s)
{
    size_t n = strlen(s) + 1;
    struct content_arena *a = c->arena;
    if (!a || a->cap - a->used < n) {
        size_t cap = n > 16384 ? n : 16384;
        struct content_arena *b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->next = a;
        b->used = 0;
        b->cap = cap;
        c->arena = b;
        a = b;
    }
    char *p = a->data + a->used;
    memcpy(p, s, n);
    a->used += n;
    return p;
}

content *content_new(void)
{
    return calloc(1, sizeof(content));
}

void content_free(content *c)
{
    if (!c)
        return;
    struct content_arena *a = c->arena;
    while (a) {
        struct content_arena *n = a->next;
        free(a);
        a = n;
    }
    free(c);
}

/* ---- diagnostics ---- */

void content_diag_add(content_diag *d, const char *file, int line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char row[1024];
    int n = line > 0 ? snprintf(row, sizeof row, "%s:%d: %s\n", file, line, msg)
                     : snprintf(row, sizeof row, "%s: %s\n", file, msg);
    if (n < 0)
        return;
    size_t len = (size_t)n < sizeof row ? (size_t)n : sizeof row - 1;
    if (d->len + len + 1 > d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 1024;
        while (cap < d->len + len + 1)
            cap *= 2;
        char *t = realloc(d->text, cap);
        if (!t)
            return;
        d->text = t;
        d->cap = cap;
    }
    memcpy(d->text + d->len, row, len);
    d->len += len;
    d->text[d->len] = '\0';
    d->count++;
}

void content_diag_free(content_diag *d)
{
    free(d->text);
    memset(d, 0, sizeof *d);
}

/* ---- ltext ---- */

const char *ltext_get(const ltext *t, lang_id lang)
{
    if ((unsigned)lang < LANG_COUNT && t->s[lang])
        return t->s[lang];
    return t->s[LANG_NL] ? t->s[LANG_NL] : "";
}

bool ltext_present(const ltext *t)
{
    return t->s[LANG_NL] != NULL;
}

/* ---- YAML walking helpers ---- */

typedef struct {
    content *c;
    yaml_document_t *doc;
    const char *file;
    content_diag *diag;
    int errors;
} walker;

static int node_line(const yaml_node_t *n)
{
    return n ? (int)n->start_mark.line + 1 : 0;
}

static void err(walker *w, const yaml_node_t *n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void err(walker *w, const yaml_node_t *n, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    content_diag_add(w->diag, w->file, node_line(n), "%s", msg);
    w->errors++;
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static yaml_node_t *node(walker *w, int id)
{
    return yaml_document_get_node(w->doc, id);
}

/* Checks that every key of mapping `m` is in `allowed` (NULL-terminated) and is unique. */
static bool check_keys(walker *w, yaml_node_t *m, const char *what, const char *const *allowed)
{
    bool ok = true;
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(w, p->key);
        const char *key = scalar(k);
        if (!key) {
            err(w, k, "%s: keys must be plain words", what);
            ok = false;
            continue;
        }
        bool known = false;
        for (const char *const *a = allowed; *a; a++)
            known |= strcmp(*a, key) == 0;
        if (!known) {
            err(w, k, "%s: unknown key '%s'", what, key);
            ok = false;
        }
        for (yaml_node_pair_t *q = m->data.mapping.pairs.start; q < p; q++) {
            const char *other = scalar(node(w, q->key));
            if (other && strcmp(other, key) == 0) {
                err(w, k, "%s: key '%s' appears twice", what, key);
                ok = false;
            }
        }
    }
    return ok;
}

static yaml_node_t *get(walker *w, yaml_node_t *m, const char *key)
{
    if (!m || m->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        const char *k = scalar(node(w, p->key));
        if (k && strcmp(k, key) == 0)
            return node(w, p->value);
    }
    return NULL;
}

static bool valid_id(const char *s)
{
    if (!s || !*s || strlen(s) > 40)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return false;
    return true;
}

/* A required (or optional) id scalar. */
static const char *get_id(walker *w, yaml_node_t *m, const char *key, const char *what)
{
    yaml_node_t *n = get(w, m, key);
    if (!n) {
        err(w, m, "%s: '%s' is missing", what, key);
        return NULL;
    }
    const char *s = scalar(n);
    if (!valid_id(s)) {
        err(w, n, "%s: '%s' must be lower-case letters, digits or _ (at most 40)", what, key);
        return NULL;
    }
    return arena_strdup(w->c, s);
}

static const char *get_string(walker *w, yaml_node_t *m, const char *key, const char *what,
                              bool required)
{
    yaml_node_t *n = get(w, m, key);
    if (!n) {
        if (required)
            err(w, m, "%s: '%s' is missing", what, key);
        return NULL;
    }
    const char *s = scalar(n);
    if (!s || !*s) {
        err(w, n, "%s: '%s' must be a non-empty text", what, key);
        return NULL;
    }
    return arena_strdup(w->c, s);
}

static bool get_bool(walker *w, yaml_node_t *m, const char *key, const char *what, bool dflt)
{
    yaml_node_t *n = get(w, m, key);
    if (!n)
        return dflt;
    const char *s = scalar(n);
    if (s && strcmp(s, "true") == 0)
        return true;
    if (s && strcmp(s, "false") == 0)
        return false;
    err(w, n, "%s: '%s' must be true or false", what, key);
    return dflt;
}

static bool parse_int(const char *s, int lo, int hi, int *out)
{
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

/* Reads a translated text: a mapping language-code -> text, Dutch required. */
static void get_ltext(walker *w, yaml_node_t *m, const char *key, const char *what, bool required,
                      ltext *out)
{
    memset(out, 0, sizeof *out);
    yaml_node_t *n = get(w, m, key);
    if (!n) {
        if (required)
            err(w, m, "%s: '%s' is missing", what, key);
        return;
    }
    if (n->type != YAML_MAPPING_NODE) {
        err(w, n, "%s: '%s' must map language codes to texts, e.g. 'nl: ...'", what, key);
        return;
    }
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(w, p->key), *v = node(w, p->value);
        int lang = lang_from_code(scalar(k));
        if (lang < 0) {
            err(w, k, "%s: '%s': unknown language '%s' (use nl, en, tr, ar, pl or uk)", what, key,
                scalar(k) ? scalar(k) : "?");
            continue;
        }
        const char *s = scalar(v);
        if (!s || !*s) {
            err(w, v, "%s: '%s' in '%s' must be a non-empty text", what, scalar(k), key);
            continue;
        }
        if (out->s[lang]) {
            err(w, k, "%s: '%s' has language '%s' twice", what, key, scalar(k));
            continue;
        }
        out->s[lang] = arena_strdup(w->c, s);
    }
    if (!out->s[LANG_NL])
        err(w, n, "%s: '%s' has no Dutch text (nl), which every text needs", what, key);
}

/* ---- documents ---- */

static bool load_doc(walker *w, yaml_document_t *doc, const char *buf, size_t len)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        content_diag_add(w->diag, w->file, 0, "out of memory");
        w->errors++;
        return false;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
    bool ok = yaml_parser_load(&parser, doc);
    if (!ok) {
        content_diag_add(w->diag, w->file, (int)parser.problem_mark.line + 1,
                         "not valid YAML: %s%s%s", parser.problem ? parser.problem : "error",
                         parser.context ? " " : "", parser.context ? parser.context : "");
        w->errors++;
    } else if (!yaml_document_get_root_node(doc)) {
        content_diag_add(w->diag, w->file, 1, "the file is empty");
        w->errors++;
        yaml_document_delete(doc);
        ok = false;
    } else {
        /* One document per file; a second one would be silently ignored otherwise. */
        yaml_document_t extra;
        if (yaml_parser_load(&parser, &extra)) {
            if (yaml_document_get_root_node(&extra)) {
                content_diag_add(w->diag, w->file, (int)extra.start_mark.line + 1,
                                 "only one YAML document per file (remove the '---')");
                w->errors++;
                ok = false;
            }
            yaml_document_delete(&extra);
        }
        if (!ok)
            yaml_document_delete(doc);
    }
    yaml_parser_delete(&parser);
    return ok;
}

static void parse_org(walker *w, yaml_node_t *m)
{
    static const char *const keys[] = {"id",          "icon",    "name",  "about",     "phone",
                                       "phone_hours", "website", "visit", "from_site", NULL};
    if (m->type != YAML_MAPPING_NODE) {
        err(w, m, "organisation: expected a mapping with id, name, ...");
        return;
    }
    check_keys(w, m, "organisation", keys);
    if (w->c->n_orgs >= CONTENT_MAX_ORGS) {
        err(w, m, "too many organisations (at most %d)", CONTENT_MAX_ORGS);
        return;
    }
    organisation *o = &w->c->orgs[w->c->n_orgs];
    memset(o, 0, sizeof *o);
    o->line = node_line(m);
    o->id = get_id(w, m, "id", "organisation");
    char what[80];
    snprintf(what, sizeof what, "organisation '%s'", o->id ? o->id : "?");
    get_ltext(w, m, "name", what, true, &o->name);
    get_ltext(w, m, "about", what, true, &o->about);
    o->phone = get_string(w, m, "phone", what, false);
    get_ltext(w, m, "phone_hours", what, false, &o->phone_hours);
    o->website = get_string(w, m, "website", what, false);
    get_ltext(w, m, "visit", what, false, &o->visit);
    /* required for a content folder (content_check_org_icons), a name like a life event's icon */
    if (get(w, m, "icon"))
        o->icon = get_id(w, m, "icon", what);
    o->from_site = get_bool(w, m, "from_site", what, false);
    if (!o->phone && !o->website && !ltext_present(&o->visit) && !o->from_site)
        err(w, m, "%s: give at least one of phone, website or visit (or from_site: true)", what);
    if (o->id && content_find_org(w->c, o->id) >= 0)
        err(w, m, "%s: this id is used twice", what);
    w->c->n_orgs++;
}

bool content_parse_orgs(content *into, const char *file, const char *buf, size_t len,
                        content_diag *diag)
{
    walker w = {.c = into, .file = file, .diag = diag};
    yaml_document_t doc;
    if (!load_doc(&w, &doc, buf, len))
        return false;
    w.doc = &doc;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    static const char *const keys[] = {"organisations", NULL};
    if (root->type != YAML_MAPPING_NODE) {
        err(&w, root, "expected 'organisations:' at the top");
    } else {
        check_keys(&w, root, "file", keys);
        yaml_node_t *list = get(&w, root, "organisations");
        if (!list || list->type != YAML_SEQUENCE_NODE) {
            err(&w, list ? list : root, "'organisations' must be a list (items start with '- ')");
        } else {
            for (yaml_node_item_t *i = list->data.sequence.items.start;
                 i < list->data.sequence.items.top; i++)
                parse_org(&w, node(&w, *i));
        }
    }
    yaml_document_delete(&doc);
    return w.errors == 0;
}

static int find_question(const life_event *e, int before, const char *id)
{
    for (int i = 0; i < before; i++)
        if (e->questions[i].id && strcmp(e->questions[i].id, id) == 0)
            return i;
    return -1;
}

/* `when: {question: value | [values]}` against the first `n_known` questions of `e`. */
static void parse_condition(walker *w, life_event *e, int n_known, yaml_node_t *m, const char *what,
                            condition *out)
{
    memset(out, 0, sizeof *out);
    if (!m)
        return;
    if (m->type != YAML_MAPPING_NODE) {
        err(w, m, "%s: 'when' must map question ids to answers, e.g. {renting: yes}", what);
        return;
    }
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(w, p->key), *v = node(w, p->value);
        const char *qid = scalar(k);
        int qi = qid ? find_question(e, n_known, qid) : -1;
        if (qi < 0) {
            if (qid && find_question(e, e->n_questions, qid) >= 0)
                err(w, k, "%s: 'when' uses question '%s', which is not asked before this one", what,
                    qid);
            else
                err(w, k, "%s: 'when' uses unknown question '%s'", what, qid ? qid : "?");
            continue;
        }
        for (int t = 0; t < out->n_terms; t++)
            if (out->terms[t].question == qi)
                err(w, k, "%s: 'when' names question '%s' twice", what, qid);
        const question *q = &e->questions[qi];
        uint32_t accepted = 0;
        yaml_node_item_t one = p->value;
        yaml_node_item_t *start = &one, *top = &one + 1;
        if (v->type == YAML_SEQUENCE_NODE) {
            start = v->data.sequence.items.start;
            top = v->data.sequence.items.top;
            if (start == top)
                err(w, v, "%s: 'when' gives no answers for '%s'", what, qid);
        }
        for (yaml_node_item_t *i = start; i < top; i++) {
            yaml_node_t *vn = node(w, *i);
            const char *val = scalar(vn);
            int opt = val ? question_option_index(q, val) : -1;
            if (opt < 0)
                err(w, vn, "%s: '%s' is not an answer of question '%s'", what, val ? val : "?",
                    qid);
            else
                accepted |= 1u << opt;
        }
        if (out->n_terms < CONTENT_MAX_QUESTIONS)
            out->terms[out->n_terms++] = (condition_term){qi, accepted};
    }
}

/* An item of a list of questions or tasks: a mapping with known keys, within the limit. */
static bool list_item(walker *w, yaml_node_t *m, const char *kind, const char *const *keys,
                      int count, int max)
{
    if (m->type != YAML_MAPPING_NODE) {
        err(w, m, "%s: expected a mapping with id, text, ...", kind);
        return false;
    }
    if (count >= max) {
        err(w, m, "too many %ss (at most %d per life event)", kind, max);
        return false;
    }
    check_keys(w, m, kind, keys);
    return true;
}

static void parse_question(walker *w, life_event *e, yaml_node_t *m)
{
    static const char *const keys[] = {"id",      "type", "text",    "help", "moment",
                                       "choices", "when", "unknown", NULL};
    if (!list_item(w, m, "question", keys, e->n_questions, CONTENT_MAX_QUESTIONS))
        return;
    question *q = &e->questions[e->n_questions];
    memset(q, 0, sizeof *q);
    q->line = node_line(m);
    q->id = get_id(w, m, "id", "question");
    char what[80];
    snprintf(what, sizeof what, "question '%s'", q->id ? q->id : "?");
    if (q->id && find_question(e, e->n_questions, q->id) >= 0)
        err(w, m, "%s: this id is used twice in this life event", what);
    const char *type = scalar(get(w, m, "type"));
    if (!type)
        err(w, m, "%s: 'type' is missing (date, yesno or choice)", what);
    else if (strcmp(type, "yesno") == 0)
        q->kind = QUESTION_YESNO;
    else if (strcmp(type, "choice") == 0)
        q->kind = QUESTION_CHOICE;
    else if (strcmp(type, "date") == 0)
        q->kind = QUESTION_DATE;
    else
        err(w, get(w, m, "type"), "%s: type '%s' is not date, yesno or choice", what, type);
    get_ltext(w, m, "text", what, true, &q->text);
    get_ltext(w, m, "help", what, false, &q->help);
    get_ltext(w, m, "moment", what, false, &q->moment);
    q->allow_unknown = get_bool(w, m, "unknown", what, true);

    yaml_node_t *choices = get(w, m, "choices");
    if (q->kind == QUESTION_CHOICE) {
        if (!choices || choices->type != YAML_SEQUENCE_NODE) {
            err(w, choices ? choices : m, "%s: a choice question needs a list 'choices'", what);
        } else {
            for (yaml_node_item_t *i = choices->data.sequence.items.start;
                 i < choices->data.sequence.items.top; i++) {
                yaml_node_t *cn = node(w, *i);
                static const char *const ckeys[] = {"id", "text", NULL};
                if (cn->type != YAML_MAPPING_NODE) {
                    err(w, cn, "%s: each choice needs an id and a text", what);
                    continue;
                }
                if (q->n_choices >= CONTENT_MAX_CHOICES) {
                    err(w, cn, "%s: at most %d choices", what, CONTENT_MAX_CHOICES);
                    break;
                }
                check_keys(w, cn, "choice", ckeys);
                choice *ch = &q->choices[q->n_choices];
                ch->id = get_id(w, cn, "id", what);
                get_ltext(w, cn, "text", what, true, &ch->text);
                if (ch->id && (strcmp(ch->id, "unknown") == 0 ||
                               (q->n_choices && question_option_index(q, ch->id) >= 0)))
                    err(w, cn, "%s: choice id '%s' is used twice or reserved", what, ch->id);
                q->n_choices++;
            }
            if (q->n_choices < 2)
                err(w, choices, "%s: give at least 2 choices", what);
        }
    } else if (choices) {
        err(w, choices, "%s: only a choice question has 'choices'", what);
    }
    if (q->kind == QUESTION_DATE && !ltext_present(&q->moment))
        err(w, m, "%s: a date question needs 'moment' (e.g. nl: de verhuizing)", what);
    if (q->kind != QUESTION_DATE && get(w, m, "moment"))
        err(w, get(w, m, "moment"), "%s: only a date question has a 'moment'", what);
    if (q->kind == QUESTION_YESNO || q->kind == QUESTION_DATE)
        q->allow_unknown = true;
    /* 'when' is read once all questions are known, so that a reference to a later question
     * can be told apart from an unknown one. */
    e->n_questions++;
}

static void parse_deadline(walker *w, life_event *e, yaml_node_t *m, const char *what,
                           deadline_rule *d)
{
    memset(d, 0, sizeof *d);
    if (!m)
        return;
    static const char *const keys[] = {"after", "before", "days", "weeks", "months", "asap", NULL};
    if (m->type != YAML_MAPPING_NODE) {
        err(w, m, "%s: 'deadline' must be like {after: move_date, days: 5} or {asap: true}", what);
        return;
    }
    check_keys(w, m, "deadline", keys);
    if (get(w, m, "asap")) {
        if (get_bool(w, m, "asap", what, false))
            d->kind = DEADLINE_ASAP;
        if (m->data.mapping.pairs.top - m->data.mapping.pairs.start != 1)
            err(w, m, "%s: 'asap' stands alone in a deadline", what);
        return;
    }
    yaml_node_t *after = get(w, m, "after"), *before = get(w, m, "before");
    if (!!after == !!before) {
        err(w, m, "%s: a deadline needs either 'after' or 'before' a date question", what);
        return;
    }
    const char *qid = scalar(after ? after : before);
    int qi = qid ? find_question(e, e->n_questions, qid) : -1;
    if (qi < 0) {
        err(w, after ? after : before, "%s: deadline uses unknown question '%s'", what,
            qid ? qid : "?");
        return;
    }
    if (e->questions[qi].kind != QUESTION_DATE) {
        err(w, after ? after : before, "%s: deadline question '%s' is not a date question", what,
            qid);
        return;
    }
    static const char *const units[] = {"days", "weeks", "months"};
    int found = 0;
    for (int u = 0; u < 3; u++) {
        yaml_node_t *n = get(w, m, units[u]);
        if (!n)
            continue;
        found++;
        if (!parse_int(scalar(n), 1, 3660, &d->amount))
            err(w, n, "%s: '%s' must be a whole number from 1 to 3660", what, units[u]);
        d->unit = (deadline_unit)u;
    }
    if (found != 1) {
        err(w, m, "%s: a deadline needs exactly one of days, weeks or months", what);
        return;
    }
    d->kind = DEADLINE_RELATIVE;
    d->question = qi;
    d->before = before != NULL;
}

static void parse_task(walker *w, life_event *e, yaml_node_t *m)
{
    static const char *const keys[] = {"id", "org", "text", "how", "deadline", "when", NULL};
    if (!list_item(w, m, "task", keys, e->n_tasks, CONTENT_MAX_TASKS))
        return;
    task *t = &e->tasks[e->n_tasks];
    memset(t, 0, sizeof *t);
    t->line = node_line(m);
    t->org = -1;
    t->id = get_id(w, m, "id", "task");
    char what[80];
    snprintf(what, sizeof what, "task '%s'", t->id ? t->id : "?");
    for (int i = 0; t->id && i < e->n_tasks; i++)
        if (e->tasks[i].id && strcmp(e->tasks[i].id, t->id) == 0)
            err(w, m, "%s: this id is used twice in this life event", what);
    t->org_id = get_id(w, m, "org", what);
    get_ltext(w, m, "text", what, true, &t->text);
    get_ltext(w, m, "how", what, false, &t->how);
    parse_deadline(w, e, get(w, m, "deadline"), what, &t->deadline);
    parse_condition(w, e, e->n_questions, get(w, m, "when"), what, &t->when);
    e->n_tasks++;
}

/* One signal: {id, text, when} in an event file; {id, text, min_organisations} in
 * signals.yaml (e == NULL). */
static void parse_signal(walker *w, life_event *e, yaml_node_t *m, signal_rule *sg)
{
    static const char *const ev_keys[] = {"id", "text", "when", NULL};
    static const char *const global_keys[] = {"id", "text", "min_organisations", NULL};
    memset(sg, 0, sizeof *sg);
    sg->line = node_line(m);
    if (m->type != YAML_MAPPING_NODE) {
        err(w, m, "signal: expected a mapping with id, text, ...");
        return;
    }
    check_keys(w, m, "signal", e ? ev_keys : global_keys);
    sg->id = get_id(w, m, "id", "signal");
    char what[80];
    snprintf(what, sizeof what, "signal '%s'", sg->id ? sg->id : "?");
    get_ltext(w, m, "text", what, true, &sg->text);
    if (e) {
        yaml_node_t *when = get(w, m, "when");
        if (!when)
            err(w, m, "%s: 'when' is missing (the answers that call for help)", what);
        parse_condition(w, e, e->n_questions, when, what, &sg->when);
    } else {
        yaml_node_t *n = get(w, m, "min_organisations");
        if (!n || !parse_int(scalar(n), 2, OVERVIEW_MAX_GROUPS, &sg->min_organisations))
            err(w, n ? n : m, "%s: 'min_organisations' must be a whole number from 2 to %d", what,
                OVERVIEW_MAX_GROUPS);
    }
}

static void parse_signal_list(walker *w, life_event *e, yaml_node_t *list, signal_rule *out, int *n)
{
    if (!list)
        return;
    if (list->type != YAML_SEQUENCE_NODE) {
        err(w, list, "'signals' must be a list (items start with '- ')");
        return;
    }
    for (yaml_node_item_t *i = list->data.sequence.items.start; i < list->data.sequence.items.top;
         i++) {
        if (*n >= CONTENT_MAX_SIGNALS) {
            err(w, node(w, *i), "too many signals (at most %d)", CONTENT_MAX_SIGNALS);
            return;
        }
        signal_rule *sg = &out[*n];
        parse_signal(w, e, node(w, *i), sg);
        for (int k = 0; sg->id && k < *n; k++)
            if (out[k].id && strcmp(out[k].id, sg->id) == 0)
                err(w, node(w, *i), "signal '%s': this id is used twice", sg->id);
        (*n)++;
    }
}

bool content_parse_signals(content *into, const char *file, const char *buf, size_t len,
                           content_diag *diag)
{
    walker w = {.c = into, .file = file, .diag = diag};
    yaml_document_t doc;
    if (!load_doc(&w, &doc, buf, len))
        return false;
    w.doc = &doc;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    static const char *const keys[] = {"signals", NULL};
    if (root->type != YAML_MAPPING_NODE) {
        err(&w, root, "expected 'signals:' at the top");
    } else {
        check_keys(&w, root, "file", keys);
        parse_signal_list(&w, NULL, get(&w, root, "signals"), into->signals, &into->n_signals);
    }
    yaml_document_delete(&doc);
    return w.errors == 0;
}

bool content_parse_event(content *into, const char *file, const char *buf, size_t len,
                         content_diag *diag)
{
    walker w = {.c = into, .file = file, .diag = diag};
    yaml_document_t doc;
    if (!load_doc(&w, &doc, buf, len))
        return false;
    w.doc = &doc;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    static const char *const keys[] = {"id",        "order", "icon",    "title", "intro",
                                       "questions", "tasks", "signals", NULL};
    if (root->type != YAML_MAPPING_NODE) {
        err(&w, root, "a life event file starts with 'id:', 'title:', 'questions:', 'tasks:'");
        yaml_document_delete(&doc);
        return false;
    }
    if (into->n_events >= CONTENT_MAX_EVENTS) {
        err(&w, root, "too many life events (at most %d)", CONTENT_MAX_EVENTS);
        yaml_document_delete(&doc);
        return false;
    }
    check_keys(&w, root, "life event", keys);
    life_event *e = &into->events[into->n_events];
    memset(e, 0, sizeof *e);
    e->file = arena_strdup(into, file);
    e->id = get_id(&w, root, "id", "life event");
    char what[80];
    snprintf(what, sizeof what, "life event '%s'", e->id ? e->id : "?");
    e->icon = get_id(&w, root, "icon", what);
    yaml_node_t *order = get(&w, root, "order");
    if (order && !parse_int(scalar(order), 0, 100000, &e->order))
        err(&w, order, "%s: 'order' must be a whole number from 0 to 100000", what);
    get_ltext(&w, root, "title", what, true, &e->title);
    get_ltext(&w, root, "intro", what, false, &e->intro);

    yaml_node_t *qs = get(&w, root, "questions");
    if (!qs || qs->type != YAML_SEQUENCE_NODE ||
        qs->data.sequence.items.start == qs->data.sequence.items.top) {
        err(&w, qs ? qs : root, "%s: 'questions' must be a list with at least one question", what);
    } else {
        yaml_node_t *qnodes[CONTENT_MAX_QUESTIONS];
        for (yaml_node_item_t *i = qs->data.sequence.items.start; i < qs->data.sequence.items.top;
             i++) {
            int before = e->n_questions;
            parse_question(&w, e, node(&w, *i));
            if (e->n_questions > before)
                qnodes[before] = node(&w, *i);
        }
        for (int qi = 0; qi < e->n_questions; qi++) {
            char qwhat[80];
            snprintf(qwhat, sizeof qwhat, "question '%s'",
                     e->questions[qi].id ? e->questions[qi].id : "?");
            parse_condition(&w, e, qi, get(&w, qnodes[qi], "when"), qwhat, &e->questions[qi].when);
        }
    }
    yaml_node_t *ts = get(&w, root, "tasks");
    if (!ts || ts->type != YAML_SEQUENCE_NODE ||
        ts->data.sequence.items.start == ts->data.sequence.items.top) {
        err(&w, ts ? ts : root, "%s: 'tasks' must be a list with at least one task", what);
    } else {
        for (yaml_node_item_t *i = ts->data.sequence.items.start; i < ts->data.sequence.items.top;
             i++)
            parse_task(&w, e, node(&w, *i));
    }
    parse_signal_list(&w, e, get(&w, root, "signals"), e->signals, &e->n_signals);
    if (e->id && content_find_event(into, e->id) >= 0)
        err(&w, root, "%s: this id is also used by %s", what,
            into->events[content_find_event(into, e->id)].file);
    into->n_events++;
    yaml_document_delete(&doc);
    return w.errors == 0;
}

/* ---- lookups ---- */

int content_find_org(const content *c, const char *id)
{
    for (int i = 0; i < c->n_orgs; i++)
        if (c->orgs[i].id && strcmp(c->orgs[i].id, id) == 0)
            return i;
    return -1;
}

int content_find_event(const content *c, const char *id)
{
    for (int i = 0; i < c->n_events; i++)
        if (c->events[i].id && strcmp(c->events[i].id, id) == 0)
            return i;
    return -1;
}

int question_n_options(const question *q)
{
    switch (q->kind) {
    case QUESTION_YESNO:
        return 3;
    case QUESTION_DATE:
        return 2;
    case QUESTION_CHOICE:
        return q->n_choices + (q->allow_unknown ? 1 : 0);
    }
    return 0;
}

int question_option_index(const question *q, const char *value)
{
    switch (q->kind) {
    case QUESTION_YESNO:
        return strcmp(value, "yes") == 0       ? YESNO_YES
               : strcmp(value, "no") == 0      ? YESNO_NO
               : strcmp(value, "unknown") == 0 ? YESNO_UNKNOWN
                                               : -1;
    case QUESTION_DATE:
        return strcmp(value, "known") == 0     ? DATE_KNOWN
               : strcmp(value, "unknown") == 0 ? DATE_UNKNOWN
                                               : -1;
    case QUESTION_CHOICE:
        for (int i = 0; i < q->n_choices; i++)
            if (q->choices[i].id && strcmp(q->choices[i].id, value) == 0)
                return i;
        if (q->allow_unknown && strcmp(value, "unknown") == 0)
            return q->n_choices;
        return -1;
    }
    return -1;
}

/* ---- directory ---- */

static char *read_file(const char *path, size_t *len, content_diag *diag)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        content_diag_add(diag, path, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0)
            break;
        if (n == cap) {
            if (cap >= (size_t)4 << 20) {
                content_diag_add(diag, path, 0, "file is larger than 4 MiB");
                free(buf);
                buf = NULL;
                break;
            }
            char *t = realloc(buf, cap * 2);
            if (!t) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = t;
            cap *= 2;
        }
    }
    if (buf && ferror(f)) {
        content_diag_add(diag, path, 0, "read error");
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

content *content_load_dir(const char *dir, content_diag *diag)
{
    content *c = content_new();
    if (!c) {
        content_diag_add(diag, dir, 0, "out of memory");
        return NULL;
    }
    bool ok = true;
    char path[4096];
    snprintf(path, sizeof path, "%s/organisations.yaml", dir);
    size_t len;
    char *buf = read_file(path, &len, diag);
    if (!buf || !content_parse_orgs(c, path, buf, len, diag) ||
        !content_check_org_icons(c, path, diag))
        ok = false;
    free(buf);

    /* content-wide signals: optional */
    snprintf(path, sizeof path, "%s/signals.yaml", dir);
    if (access(path, F_OK) == 0) {
        buf = read_file(path, &len, diag);
        if (!buf || !content_parse_signals(c, path, buf, len, diag))
            ok = false;
        free(buf);
    }

    snprintf(path, sizeof path, "%s/events", dir);
    DIR *d = opendir(path);
    if (!d) {
        content_diag_add(diag, path, 0, "cannot open the life events folder: %s", strerror(errno));
        content_free(c);
        return NULL;
    }
    char *names[CONTENT_MAX_EVENTS + 1];
    int n_names = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (de->d_name[0] == '.' || l < 6 || strcmp(de->d_name + l - 5, ".yaml") != 0)
            continue;
        if (n_names > CONTENT_MAX_EVENTS) {
            content_diag_add(diag, path, 0, "more than %d life event files", CONTENT_MAX_EVENTS);
            ok = false;
            break;
        }
        names[n_names++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n_names, sizeof names[0], cmp_names);
    for (int i = 0; i < n_names; i++) {
        char file[4096];
        snprintf(file, sizeof file, "%s/events/%s", dir, names[i]);
        buf = names[i] ? read_file(file, &len, diag) : NULL;
        if (!buf || !content_parse_event(c, file, buf, len, diag))
            ok = false;
        free(buf);
        free(names[i]);
    }
    if (n_names == 0) {
        content_diag_add(diag, path, 0, "no life events (*.yaml) in this folder");
        ok = false;
    }
    if (ok)
        ok = content_validate(c, diag);
    if (!ok) {
        content_free(c);
        return NULL;
    }
    return c;
}

void content_apply_site(content *c, const char *name, const char *phone, const char *website,
                        const char *visit)
{
    for (int i = 0; i < c->n_orgs; i++) {
        organisation *o = &c->orgs[i];
        if (!o->from_site)
            continue;
        /* A proper name and an address read the same in every language. */
        if (name && *name) {
            memset(&o->name, 0, sizeof o->name);
            o->name.s[LANG_NL] = arena_strdup(c, name);
        }
        if (phone && *phone)
            o->phone = arena_strdup(c, phone);
        if (website && *website)
            o->website = arena_strdup(c, website);
        if (visit && *visit) {
            memset(&o->visit, 0, sizeof o->visit);
            o->visit.s[LANG_NL] = arena_strdup(c, visit);
        }
    }
}
