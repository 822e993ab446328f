/* Life-event content: organisations, life events, questions, tasks.
 *
 * Contract: content_load_dir() reads organisations.yaml and events/ *.yaml (schema in
 * assets/content/README.md), validates everything, and either returns a complete, immutable
 * model or a list of "file:line: problem" diagnostics. A loaded model is never partially valid.
 * All strings are owned by the model and freed by content_free(). */
#ifndef LOKET_CONTENT_H
#define LOKET_CONTENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/lang.h"

#define CONTENT_MAX_QUESTIONS 12
#define CONTENT_MAX_CHOICES 6
#define CONTENT_MAX_TASKS 24
#define CONTENT_MAX_EVENTS 32
#define CONTENT_MAX_ORGS 64
#define CONTENT_MAX_SIGNALS 8
/* Answer options per question: the choices plus "unknown". */
#define CONTENT_MAX_OPTIONS (CONTENT_MAX_CHOICES + 1)

/* A citizen-visible text in every language; NULL where not translated. */
typedef struct {
    const char *s[LANG_COUNT];
} ltext;

/* The text in `lang`, falling back to Dutch; "" if the text is absent altogether. */
const char *ltext_get(const ltext *t, lang_id lang);
bool ltext_present(const ltext *t);

typedef enum { QUESTION_YESNO, QUESTION_CHOICE, QUESTION_DATE } question_kind;

/* Option indices of the fixed kinds. */
enum { YESNO_YES = 0, YESNO_NO = 1, YESNO_UNKNOWN = 2 };
enum { DATE_KNOWN = 0, DATE_UNKNOWN = 1 };

/* One AND-term of a condition: question `question` must have one of the options in `accepted`
 * (bit i = option i). */
typedef struct {
    int question;
    uint32_t accepted;
} condition_term;

typedef struct {
    int n_terms; /* 0: always true */
    condition_term terms[CONTENT_MAX_QUESTIONS];
} condition;

typedef struct {
    const char *id;
    ltext text;
} choice;

typedef struct {
    const char *id;
    question_kind kind;
    ltext text;
    ltext help;   /* optional */
    ltext moment; /* date questions: "de verhuizing" */
    int n_choices;
    choice choices[CONTENT_MAX_CHOICES];
    bool allow_unknown;
    condition when;
    int line;
} question;

typedef enum { DEADLINE_NONE, DEADLINE_ASAP, DEADLINE_RELATIVE } deadline_kind;
typedef enum { UNIT_DAY, UNIT_WEEK, UNIT_MONTH } deadline_unit;

typedef struct {
    deadline_kind kind;
    int question; /* RELATIVE: index of the date question */
    int amount;   /* RELATIVE: > 0 */
    deadline_unit unit;
    bool before; /* RELATIVE: before the moment instead of after */
} deadline_rule;

typedef struct {
    const char *id;
    const char *org_id;
    int org; /* index into content.orgs, resolved by content_validate() */
    ltext text;
    ltext how; /* optional */
    deadline_rule deadline;
    condition when;
    int line;
} task;

typedef struct {
    const char *id;
    ltext name;
    ltext about;
    const char *phone;   /* may be NULL */
    ltext phone_hours;   /* optional */
    const char *website; /* may be NULL */
    ltext visit;         /* optional */
    const char *icon;    /* pictogram name (assets/icons/<icon>.svg); see content_check_org_icons */
    bool from_site;
    int line;
} organisation;

/* An early signal: a situation that calls for active help rather than a list. Event signals
 * fire on answers (`when`); content-wide ones (signals.yaml) on the overview's size. */
typedef struct {
    const char *id;
    ltext text; /* the reason, in plain words, shown to the citizen */
    condition when;
    int min_organisations; /* content-wide: fires from this many organisations */
    int line;
} signal_rule;

typedef struct {
    const char *id;
    const char *file;
    const char *icon;
    int order;
    ltext title;
    ltext intro; /* optional */
    int n_questions;
    question questions[CONTENT_MAX_QUESTIONS];
    int n_tasks;
    task tasks[CONTENT_MAX_TASKS];
    int n_signals;
    signal_rule signals[CONTENT_MAX_SIGNALS];
} life_event;

typedef struct content {
    int n_orgs;
    organisation orgs[CONTENT_MAX_ORGS];
    int n_events;
    life_event events[CONTENT_MAX_EVENTS]; /* sorted by order */
    int n_signals;                         /* content-wide signals (signals.yaml) */
    signal_rule signals[CONTENT_MAX_SIGNALS];
    struct content_arena *arena; /* owns every string */
} content;

/* Diagnostics: "file:line: message" lines. */
typedef struct {
    int count;
    char *text; /* newline-separated, NUL-terminated; NULL when count == 0 */
    size_t len, cap;
} content_diag;

void content_diag_add(content_diag *d, const char *file, int line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
void content_diag_free(content_diag *d);

/* Loads and validates a content directory. Returns NULL and fills `diag` on any error. */
content *content_load_dir(const char *dir, content_diag *diag);

/* Parses one organisations file / one event file from memory (used by the loader, the tests
 * and the fuzz target). `into` accumulates; returns false and fills diag on error. */
bool content_parse_orgs(content *into, const char *file, const char *buf, size_t len,
                        content_diag *diag);
bool content_parse_event(content *into, const char *file, const char *buf, size_t len,
                         content_diag *diag);
bool content_parse_signals(content *into, const char *file, const char *buf, size_t len,
                           content_diag *diag);
content *content_new(void);
/* Cross-file checks and the exhaustive path walk; sorts events. Returns false on error. */
bool content_validate(content *c, content_diag *diag);
/* Every organisation names its pictogram (`icon`), reported as "file:line: organisation 'x':
 * 'icon' is missing" against `file` (the organisations file). content_load_dir() requires it, so
 * the kiosk and --check-content do; the in-memory parsers accept an organisation without one
 * (small test fixtures). Like a life event's icon, the SVG file itself is not looked up here. */
bool content_check_org_icons(const content *c, const char *file, content_diag *diag);
void content_free(content *c);

/* Fills the organisations marked from_site (the municipality) with the site's own details. */
void content_apply_site(content *c, const char *name, const char *phone, const char *website,
                        const char *visit);

int content_find_org(const content *c, const char *id);
int content_find_event(const content *c, const char *id);

/* Number of answer options of a question (choices + unknown, 3 for yes/no, 2 for a date). */
int question_n_options(const question *q);
/* The option index for a condition value like "yes", "known" or a choice id; -1 if none. */
int question_option_index(const question *q, const char *value);

/* Advice for editors (not errors): texts that are long for people who read poorly. Counts
 * characters of the Dutch text: a question over 90, a task over 120, a how-to over 400. */
void content_lint(const content *c, content_diag *advice);

/* Translation coverage: texts present in `lang` out of all texts; missing ones listed in
 * `missing` (may be NULL) as "file:line: key". */
void content_coverage(const content *c, lang_id lang, int *present, int *total,
                      content_diag *missing);

#endif
