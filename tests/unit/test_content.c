/* Content loader and validator: valid content, and every kind of broken file names its file,
 * line and problem. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "content/content.h"
#include "content/overview.h"
#include "fixture.h"

static void valid_fixture_loads(void **state)
{
    (void)state;
    content *c = fixture_content();
    assert_int_equal(c->n_orgs, 3);
    assert_int_equal(c->n_events, 2);
    /* sorted by order */
    assert_string_equal(c->events[0].id, "job_loss");
    assert_string_equal(c->events[1].id, "moving");
    const life_event *m = &c->events[1];
    assert_int_equal(m->n_questions, 3);
    assert_int_equal(m->questions[0].kind, QUESTION_DATE);
    assert_int_equal(m->questions[2].kind, QUESTION_CHOICE);
    assert_int_equal(question_n_options(&m->questions[2]), 3); /* low, other, unknown */
    assert_int_equal(m->tasks[1].org, content_find_org(c, "toeslagen"));
    /* when: {renting: yes, income: [low, unknown]} */
    const condition *w = &m->tasks[1].when;
    assert_int_equal(w->n_terms, 2);
    assert_int_equal(w->terms[0].accepted, 1u << YESNO_YES);
    assert_int_equal(w->terms[1].accepted, (1u << 0) | (1u << 2));
    assert_int_equal(m->tasks[0].deadline.kind, DEADLINE_RELATIVE);
    assert_int_equal(m->tasks[0].deadline.amount, 5);
    assert_int_equal(m->tasks[2].deadline.kind, DEADLINE_ASAP);
    assert_string_equal(ltext_get(&m->title, LANG_EN), "I am moving");
    /* fallback to Dutch where a translation is missing */
    assert_string_equal(ltext_get(&c->events[0].title, LANG_EN), "Ik verlies mijn baan");
    content_free(c);
}

typedef struct {
    const char *name;
    const char *file; /* event file; NULL = organisations file */
    const char *text;
    const char *expect; /* substring of the diagnostics, with file:line */
} broken_case;

#define EV_HEAD "id: ev\ntitle: {nl: T}\nicon: x\n"
#define ONE_Q "questions:\n  - id: q1\n    type: yesno\n    text: {nl: V?}\n"
#define ONE_T "tasks:\n  - id: t1\n    org: uwv\n    text: {nl: Doe het.}\n"

static const broken_case cases[] = {
    {"not YAML", "events/a.yaml", "id: ev\ntitle: {nl: T\nquestions: [\n",
     "events/a.yaml:3: not valid YAML"},
    {"unknown key (typo)", "events/a.yaml",
     EV_HEAD "questions:\n  - id: q1\n    type: yesno\n    txt: {nl: V?}\n" ONE_T,
     "events/a.yaml:7: question: unknown key 'txt'"},
    {"no Dutch text", "events/a.yaml",
     EV_HEAD "questions:\n  - id: q1\n    type: yesno\n    text: {en: Q?}\n" ONE_T,
     "events/a.yaml:7: question 'q1': 'text' has no Dutch text"},
    {"unknown organisation", "events/a.yaml",
     EV_HEAD ONE_Q "tasks:\n  - id: t1\n    org: nope\n    text: {nl: Doe.}\n",
     "events/a.yaml:9: task 't1': organisation 'nope' is not in organisations.yaml"},
    {"condition on a later question", "events/a.yaml",
     EV_HEAD "questions:\n  - id: q1\n    type: yesno\n    text: {nl: V?}\n    when: {q2: yes}\n"
             "  - id: q2\n    type: yesno\n    text: {nl: W?}\n" ONE_T,
     "events/a.yaml:8: question 'q1': 'when' uses question 'q2', which is not asked before"},
    {"answer that does not exist", "events/a.yaml",
     EV_HEAD ONE_Q "tasks:\n  - id: t1\n    org: uwv\n    text: {nl: Doe.}\n    when: {q1: maybe}\n"
                   "  - id: t2\n    org: uwv\n    text: {nl: Altijd.}\n",
     "events/a.yaml:12: task 't1': 'maybe' is not an answer of question 'q1'"},
    {"deadline on a yes/no question", "events/a.yaml",
     EV_HEAD ONE_Q "tasks:\n  - id: t1\n    org: uwv\n    text: {nl: Doe.}\n"
                   "    deadline: {after: q1, days: 3}\n",
     "events/a.yaml:12: task 't1': deadline question 'q1' is not a date question"},
    {"question that can never be asked", "events/a.yaml",
     EV_HEAD ONE_Q
     "  - id: q2\n    type: yesno\n    text: {nl: W?}\n    when: {q1: yes}\n"
     "  - id: q3\n    type: yesno\n    text: {nl: X?}\n    when: {q1: no, q2: yes}\n" ONE_T,
     "events/a.yaml:12: question 'q3' can never be asked"},
    {"answers that end without a task", "events/a.yaml",
     EV_HEAD ONE_Q "tasks:\n  - id: t1\n    org: uwv\n    text: {nl: Doe.}\n    when: {q1: yes}\n",
     "events/a.yaml:1: life event 'ev': 2 combination(s) of answers end without any task, e.g. "
     "q1=no"},
    {"task that can never be shown", "events/a.yaml",
     EV_HEAD ONE_Q
     "  - id: q2\n    type: yesno\n    text: {nl: W?}\n    when: {q1: yes}\n"
     "tasks:\n  - id: t0\n    org: uwv\n    text: {nl: Altijd.}\n"
     "  - id: t1\n    org: uwv\n    text: {nl: Nooit.}\n    when: {q1: no, q2: yes}\n",
     "events/a.yaml:16: task 't1' can never be shown"},
    {"question id used twice", "events/a.yaml",
     EV_HEAD ONE_Q "  - id: q1\n    type: yesno\n    text: {nl: W?}\n" ONE_T,
     "events/a.yaml:8: question 'q1': this id is used twice"},
    {"date question without moment", "events/a.yaml",
     EV_HEAD "questions:\n  - id: d\n    type: date\n    text: {nl: Wanneer?}\n" ONE_T,
     "events/a.yaml:5: question 'd': a date question needs 'moment'"},
    {"unknown language", "events/a.yaml",
     "id: ev\ntitle: {nl: T, de: Titel}\nicon: x\n" ONE_Q ONE_T,
     "events/a.yaml:2: life event 'ev': 'title': unknown language 'de'"},
    {"empty file", "events/a.yaml", "", "events/a.yaml:1: the file is empty"},
    {"one choice only", "events/a.yaml",
     EV_HEAD "questions:\n  - id: c\n    type: choice\n    text: {nl: Wat?}\n    choices:\n"
             "      - id: a\n        text: {nl: A}\n" ONE_T,
     "events/a.yaml:9: question 'c': give at least 2 choices"},
    {"questions not a list", "events/a.yaml", EV_HEAD "questions: {q1: x}\n" ONE_T,
     "events/a.yaml:4: life event 'ev': 'questions' must be a list"},
    {"bad deadline amount", "events/a.yaml",
     EV_HEAD "questions:\n  - id: d\n    type: date\n    text: {nl: W?}\n    moment: {nl: m}\n"
             "tasks:\n  - id: t1\n    org: uwv\n    text: {nl: Doe.}\n"
             "    deadline: {after: d, days: -3}\n",
     "events/a.yaml:13: task 't1': 'days' must be a whole number from 1 to 3660"},
    {"organisation without contact", NULL,
     "organisations:\n  - id: x\n    name: {nl: X}\n    about: {nl: Y}\n",
     "organisations.yaml:2: organisation 'x': give at least one of phone, website or visit"},
    {"bad id", "events/a.yaml", "id: Ev-1\ntitle: {nl: T}\nicon: x\n" ONE_Q ONE_T,
     "events/a.yaml:1: life event: 'id' must be lower-case letters"},
    {"signal that can never fire", "events/a.yaml",
     EV_HEAD ONE_Q "  - id: q2\n    type: yesno\n    text: {nl: W?}\n    when: {q1: yes}\n" ONE_T
                   "signals:\n  - id: s1\n    text: {nl: Hulp.}\n    when: {q1: no, q2: yes}\n",
     "events/a.yaml:17: signal 's1' can never fire"},
    {"signal without when", "events/a.yaml",
     EV_HEAD ONE_Q ONE_T "signals:\n  - id: s1\n    text: {nl: Hulp.}\n",
     "events/a.yaml:13: signal 's1': 'when' is missing"},
    {"two documents", "events/a.yaml", EV_HEAD ONE_Q ONE_T "---\nid: other\n",
     "events/a.yaml:12: only one YAML document per file"},
    {"organisation pictogram that is not a name", NULL,
     "organisations:\n  - id: x\n    icon: Org/X.svg\n    name: {nl: X}\n    about: {nl: Y}\n"
     "    website: www.x.nl\n",
     "organisations.yaml:3: organisation 'x': 'icon' must be lower-case letters"},
};

static void broken_file_is_reported(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const broken_case *bc = &cases[i];
        content *c = content_new();
        content_diag d = {0};
        bool ok;
        if (bc->file) {
            ok = content_parse_orgs(c, "organisations.yaml", FIXTURE_ORGS, sizeof FIXTURE_ORGS - 1,
                                    &d);
            assert_true(ok);
            ok = content_parse_event(c, bc->file, bc->text, strlen(bc->text), &d);
        } else {
            ok = content_parse_orgs(c, "organisations.yaml", bc->text, strlen(bc->text), &d);
        }
        if (ok)
            ok = content_validate(c, &d);
        if (ok || !d.text || !strstr(d.text, bc->expect)) {
            fprintf(stderr, "case '%s': expected\n  %s\ngot:\n%s\n", bc->name, bc->expect,
                    d.text ? d.text : "(nothing)");
            fail();
        }
        content_diag_free(&d);
        content_free(c);
    }
}

static void duplicate_event_ids_across_files(void **state)
{
    (void)state;
    content *c = content_new();
    content_diag d = {0};
    assert_true(content_parse_orgs(c, "o.yaml", FIXTURE_ORGS, sizeof FIXTURE_ORGS - 1, &d));
    assert_true(content_parse_event(c, "events/a.yaml", FIXTURE_JOB, sizeof FIXTURE_JOB - 1, &d));
    assert_false(content_parse_event(c, "events/b.yaml", FIXTURE_JOB, sizeof FIXTURE_JOB - 1, &d));
    assert_non_null(strstr(d.text, "events/b.yaml:1: life event 'job_loss': this id is also used "
                                   "by events/a.yaml"));
    content_diag_free(&d);
    content_free(c);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static const char ICON_LINE[] = "    icon: org_x\n";

/* FIXTURE_ORGS with a pictogram for every organisation (at most 8), as a content folder needs;
 * the in-memory fixture has none. Owned by the caller. */
static char *orgs_with_icons(void)
{
    static const char item[] = "  - id: ";
    char *out = malloc(sizeof FIXTURE_ORGS + 8 * sizeof ICON_LINE), *o = out;
    assert_non_null(out);
    for (const char *p = FIXTURE_ORGS; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
        memcpy(o, p, n);
        o += n;
        if (strncmp(p, item, sizeof item - 1) == 0) {
            memcpy(o, ICON_LINE, sizeof ICON_LINE - 1);
            o += sizeof ICON_LINE - 1;
        }
        p += n;
    }
    *o = '\0';
    return out;
}

static void load_dir_reads_every_event_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/loket-content-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char p[256];
    snprintf(p, sizeof p, "%s/organisations.yaml", dir);
    char *orgs = orgs_with_icons();
    write_file(p, orgs);
    free(orgs);
    snprintf(p, sizeof p, "%s/events", dir);
    mkdir(p, 0700);
    snprintf(p, sizeof p, "%s/events/moving.yaml", dir);
    write_file(p, FIXTURE_MOVING);
    snprintf(p, sizeof p, "%s/events/job.yaml", dir);
    write_file(p, FIXTURE_JOB);
    snprintf(p, sizeof p, "%s/events/notes.txt", dir); /* not content: ignored */
    write_file(p, "hello");
    content_diag d = {0};
    content *c = content_load_dir(dir, &d);
    assert_non_null(c);
    assert_int_equal(c->n_events, 2);
    content_free(c);

    /* one broken file: nothing is loaded, the file is named */
    snprintf(p, sizeof p, "%s/events/job.yaml", dir);
    write_file(p, "id: job\n  bad: [\n");
    c = content_load_dir(dir, &d);
    assert_null(c);
    assert_non_null(strstr(d.text, "events/job.yaml:"));
    content_diag_free(&d);

    /* a missing organisations file */
    snprintf(p, sizeof p, "%s/organisations.yaml", dir);
    unlink(p);
    c = content_load_dir(dir, &d);
    assert_null(c);
    assert_non_null(strstr(d.text, "organisations.yaml: cannot open"));
    content_diag_free(&d);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

/* A content folder: every organisation names its pictogram; the in-memory parser does not
 * insist (test fixtures), the folder loader and the check do, with file and line. */
static void organisation_without_pictogram_is_reported(void **state)
{
    (void)state;
    content *c = fixture_content();
    assert_null(c->orgs[0].icon);
    content_diag d = {0};
    assert_false(content_check_org_icons(c, "organisations.yaml", &d));
    assert_int_equal(d.count, 3);
    assert_non_null(
        strstr(d.text, "organisations.yaml:2: organisation 'gemeente': 'icon' is missing"));
    assert_non_null(strstr(d.text, "organisations.yaml:11: organisation 'uwv': 'icon' is missing"));
    content_diag_free(&d);
    content_free(c);

    /* one organisation without: the folder does not load */
    char dir[] = "/tmp/loket-content-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char p[256];
    snprintf(p, sizeof p, "%s/events", dir);
    mkdir(p, 0700);
    snprintf(p, sizeof p, "%s/events/job.yaml", dir);
    write_file(p, FIXTURE_JOB);
    char *orgs = orgs_with_icons();
    char *uwv_icon = strstr(strstr(orgs, "id: uwv"), ICON_LINE);
    assert_non_null(uwv_icon);
    size_t cut = sizeof ICON_LINE - 1;
    memmove(uwv_icon, uwv_icon + cut, strlen(uwv_icon + cut) + 1);
    snprintf(p, sizeof p, "%s/organisations.yaml", dir);
    write_file(p, orgs);
    free(orgs);
    c = content_load_dir(dir, &d);
    assert_null(c);
    assert_int_equal(d.count, 1);
    assert_non_null(
        strstr(d.text, "/organisations.yaml:13: organisation 'uwv': 'icon' is missing"));
    content_diag_free(&d);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

/* The repository's assets folder, from this file's path (tests/unit/test_content.c). */
static void assets_path(char *out, size_t cap, const char *sub)
{
    const char *tail = strstr(__FILE__, "tests/unit/test_content.c");
    int root = tail ? (int)(tail - __FILE__) : 0;
    snprintf(out, cap, "%.*sassets/%s", root, __FILE__, sub);
}

/* The shipped organisations each have a pictogram, and the file is there. */
static void shipped_organisations_have_pictograms(void **state)
{
    (void)state;
    char dir[1024], icons[1024];
    assets_path(dir, sizeof dir, "content");
    assets_path(icons, sizeof icons, "icons");
    content_diag d = {0};
    content *c = content_load_dir(dir, &d);
    if (!c)
        fprintf(stderr, "%s", d.text ? d.text : "");
    assert_non_null(c);
    assert_true(c->n_orgs >= 19);
    for (int i = 0; i < c->n_orgs; i++) {
        const organisation *o = &c->orgs[i];
        assert_non_null(o->icon);
        char path[1200];
        snprintf(path, sizeof path, "%s/%s.svg", icons, o->icon);
        struct stat st;
        if (stat(path, &st) != 0 || st.st_size == 0) {
            fprintf(stderr, "organisation '%s': pictogram %s is missing or empty\n", o->id, path);
            fail();
        }
    }
    content_diag_free(&d);
    content_free(c);
}

static void content_wide_signals(void **state)
{
    (void)state;
    content *c = fixture_content();
    content_diag d = {0};
    static const char ok[] = "signals:\n  - id: many\n    min_organisations: 2\n"
                             "    text: {nl: Veel., en: A lot.}\n";
    assert_true(content_parse_signals(c, "signals.yaml", ok, sizeof ok - 1, &d));
    assert_int_equal(c->n_signals, 1);
    assert_int_equal(c->signals[0].min_organisations, 2);
    /* moving with renting = yes and a low income: gemeente and toeslagen */
    const life_event *e = &c->events[content_find_event(c, "moving")];
    int answers[CONTENT_MAX_QUESTIONS] = {DATE_UNKNOWN, YESNO_YES, 0,  -1, -1, -1,
                                          -1,           -1,        -1, -1, -1, -1};
    civil_date dates[CONTENT_MAX_QUESTIONS] = {0};
    overview ov;
    overview_build(e, answers, dates, (civil_date){2026, 11, 28}, &ov);
    overview_signals(c, e, answers, &ov);
    assert_int_equal(ov.n_groups, 2);
    assert_int_equal(ov.n_signals, 1);
    assert_true(ov.signals[0].global);
    assert_string_equal(overview_signal_id(c, e, &ov.signals[0]), "many");
    assert_string_equal(ltext_get(overview_signal_text(c, e, &ov.signals[0]), LANG_EN), "A lot.");
    static const char bad[] = "signals:\n  - id: one\n    min_organisations: 1\n"
                              "    text: {nl: X}\n  - id: w\n    when: {a: yes}\n"
                              "    text: {nl: Y}\n    min_organisations: 3\n";
    assert_false(content_parse_signals(c, "signals.yaml", bad, sizeof bad - 1, &d));
    assert_non_null(strstr(d.text, "signals.yaml:3: signal 'one': 'min_organisations' must be"));
    assert_non_null(strstr(d.text, "signals.yaml:6: signal: unknown key 'when'"));
    content_diag_free(&d);
    content_free(c);
}

static void coverage_counts_translations(void **state)
{
    (void)state;
    content *c = fixture_content();
    int present, total;
    content_diag missing = {0};
    content_coverage(c, LANG_NL, &present, &total, NULL);
    assert_int_equal(present, total);
    content_coverage(c, LANG_EN, &present, &total, &missing);
    /* job_loss has only Dutch: title, question, task */
    assert_int_equal(total - present, 3);
    assert_int_equal(missing.count, 3);
    assert_non_null(strstr(missing.text, "life event 'job_loss' title"));
    content_diag_free(&missing);
    content_free(c);
}

static void site_fills_municipality(void **state)
{
    (void)state;
    content *c = fixture_content();
    content_apply_site(c, "Gemeente Utrecht", "14 030", "www.utrecht.nl", "Stadsplateau 1");
    const organisation *g = &c->orgs[content_find_org(c, "gemeente")];
    assert_string_equal(ltext_get(&g->name, LANG_EN), "Gemeente Utrecht");
    assert_string_equal(g->phone, "14 030");
    const organisation *t = &c->orgs[content_find_org(c, "toeslagen")];
    assert_string_equal(t->phone, "0800 0543"); /* untouched */
    content_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_fixture_loads),
        cmocka_unit_test(broken_file_is_reported),
        cmocka_unit_test(duplicate_event_ids_across_files),
        cmocka_unit_test(load_dir_reads_every_event_file),
        cmocka_unit_test(organisation_without_pictogram_is_reported),
        cmocka_unit_test(shipped_organisations_have_pictograms),
        cmocka_unit_test(content_wide_signals),
        cmocka_unit_test(coverage_counts_translations),
        cmocka_unit_test(site_fills_municipality),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
