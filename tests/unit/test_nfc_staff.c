/* Staff badges' PINs: right and wrong, locked after 5 wrong in a row (also across a restart),
 * a new PIN unlocks, no PIN is ever stored, and a damaged file is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "nfc/nfc_staff.h"

static const char *BADGE = "9a3b000000000000000000000000000000000000000000000000000000000001";
static const char *OTHER = "44e0000000000000000000000000000000000000000000000000000000000002";

static char DIR_[64], PATH[128];

static int setup(void **state)
{
    (void)state;
    snprintf(DIR_, sizeof DIR_, "/tmp/loket-staff-XXXXXX");
    assert_non_null(mkdtemp(DIR_));
    snprintf(PATH, sizeof PATH, "%s/staff-pins", DIR_);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char lock[160];
    snprintf(lock, sizeof lock, "%s.lock", PATH);
    unlink(PATH);
    unlink(lock);
    rmdir(DIR_);
    return 0;
}

static bool file_has(const char *needle)
{
    FILE *f = fopen(PATH, "r");
    char buf[8192];
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    buf[n] = '\0';
    if (f)
        fclose(f);
    return strstr(buf, needle) != NULL;
}

static void right_wrong_and_locked(void **state)
{
    (void)state;
    char err[256];
    unlink(PATH);
    staff_pins *p = staff_pins_open(PATH, err, sizeof err); /* no file yet: empty */
    assert_non_null(p);
    int left = -1;
    assert_int_equal(staff_pins_check(p, BADGE, "1234", &left), STAFF_PIN_NO_PIN);
    assert_true(staff_pins_set(p, BADGE, "1234", err, sizeof err));
    struct stat st;
    assert_int_equal(stat(PATH, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_false(file_has("1234")); /* only a salted PBKDF2 hash */
    assert_int_equal(staff_pins_check(p, BADGE, "1234", &left), STAFF_PIN_OK);
    assert_int_equal(staff_pins_check(p, OTHER, "1234", &left), STAFF_PIN_NO_PIN);
    assert_int_equal(staff_pins_check(p, BADGE, "4321", &left), STAFF_PIN_WRONG);
    assert_int_equal(left, 4);
    /* the right PIN clears the count */
    assert_int_equal(staff_pins_check(p, BADGE, "1234", &left), STAFF_PIN_OK);
    for (int i = 0; i < 3; i++)
        assert_int_equal(staff_pins_check(p, BADGE, "0000", &left), STAFF_PIN_WRONG);
    assert_int_equal(left, 2);
    staff_pins_free(p);
    /* a restart gives no extra tries: the count was on disk */
    p = staff_pins_open(PATH, err, sizeof err);
    assert_non_null(p);
    assert_int_equal(staff_pins_check(p, BADGE, "0000", &left), STAFF_PIN_WRONG);
    assert_int_equal(left, 1);
    assert_int_equal(staff_pins_check(p, BADGE, "0000", &left), STAFF_PIN_LOCKED);
    assert_int_equal(left, 0);
    /* locked: even the right PIN does not open it */
    assert_int_equal(staff_pins_check(p, BADGE, "1234", &left), STAFF_PIN_LOCKED);
    staff_pins_free(p);
    p = staff_pins_open(PATH, err, sizeof err);
    assert_int_equal(staff_pins_check(p, BADGE, "1234", &left), STAFF_PIN_LOCKED);
    /* a technician sets a new PIN: unlocked */
    assert_true(staff_pins_set(p, BADGE, "98765", err, sizeof err));
    assert_int_equal(staff_pins_check(p, BADGE, "1234", &left), STAFF_PIN_WRONG);
    assert_int_equal(staff_pins_check(p, BADGE, "98765", &left), STAFF_PIN_OK);
    staff_pins_free(p);
}

static void bad_pins_and_files(void **state)
{
    (void)state;
    char err[256];
    unlink(PATH);
    staff_pins *p = staff_pins_open(PATH, err, sizeof err);
    assert_false(staff_pins_set(p, BADGE, "123", err, sizeof err));
    assert_false(staff_pins_set(p, BADGE, "123456789", err, sizeof err));
    assert_false(staff_pins_set(p, BADGE, "12a4", err, sizeof err));
    assert_false(staff_pins_set(p, "nothex", "1234", err, sizeof err));
    staff_pins_free(p);
    /* readable by others: refused */
    FILE *f = fopen(PATH, "w");
    fprintf(f,
            "%s 00112233445566778899aabbccddeeff "
            "0000000000000000000000000000000000000000000000000000000000000000 0\n",
            BADGE);
    fclose(f);
    chmod(PATH, 0644);
    assert_null(staff_pins_open(PATH, err, sizeof err));
    assert_non_null(strstr(err, "chmod 600"));
    chmod(PATH, 0600);
    p = staff_pins_open(PATH, err, sizeof err);
    assert_non_null(p);
    staff_pins_free(p);
    /* a damaged line: refused, with its line number */
    f = fopen(PATH, "a");
    fprintf(f, "%s zz 00 0\n", OTHER);
    fclose(f);
    assert_null(staff_pins_open(PATH, err, sizeof err));
    assert_non_null(strstr(err, ":2:"));
}

/* A technician sets a new PIN with `loket --staff-pin` while the kiosk runs (another process,
 * another copy): the kiosk takes it at the next check, and its own writes never bring the old
 * copy back. */
static void a_new_pin_from_another_process(void **state)
{
    (void)state;
    char err[256];
    unlink(PATH);
    staff_pins *kiosk = staff_pins_open(PATH, err, sizeof err);
    staff_pins *tech = staff_pins_open(PATH, err, sizeof err);
    assert_true(staff_pins_set(tech, BADGE, "1234", err, sizeof err));
    assert_true(staff_pins_set(tech, OTHER, "5555", err, sizeof err));
    int left;
    for (int i = 0; i < 5; i++)
        staff_pins_check(kiosk, BADGE, "0000", &left);
    assert_int_equal(staff_pins_check(kiosk, BADGE, "1234", &left), STAFF_PIN_LOCKED);
    assert_true(staff_pins_set(tech, BADGE, "9999", err, sizeof err)); /* unlocked */
    assert_int_equal(staff_pins_check(kiosk, BADGE, "9999", &left), STAFF_PIN_OK);
    /* a wrong PIN on the other badge writes the file: the new PIN stays */
    assert_int_equal(staff_pins_check(kiosk, OTHER, "0000", &left), STAFF_PIN_WRONG);
    staff_pins_free(kiosk);
    kiosk = staff_pins_open(PATH, err, sizeof err);
    assert_int_equal(staff_pins_check(kiosk, BADGE, "9999", &left), STAFF_PIN_OK);
    assert_int_equal(staff_pins_check(kiosk, BADGE, "1234", &left), STAFF_PIN_WRONG);
    staff_pins_free(kiosk);
    staff_pins_free(tech);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(right_wrong_and_locked),
        cmocka_unit_test(bad_pins_and_files),
        cmocka_unit_test(a_new_pin_from_another_process),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
