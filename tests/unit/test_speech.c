/* Read-aloud: the six voices, volume steps in dB (EN 301 549 8.2.1.1 / 8.2.1.2), speaking
 * rates, and a speech object playing into SDL's "disk" audio driver, which writes what the
 * device plays to a raw file (16-bit mono at the synthesiser's rate) in real time. The object
 * tests use short sentences, so the real-time pace costs a few seconds in all. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "speech/speech.h"

/* espeak-ng's voices speak at -20 to -21 dBFS RMS at the top level (bench_speech); a voice that
 * fails gives silence or a click. -40 dBFS is 19 dB below the quietest voice and far above
 * nothing. */
#define MIN_RMS_TOP 0.01

static const char *const langs[] = {"nl", "en", "tr", "ar", "pl", "uk"};
static const char *const sentences[] = {
    "Goedemorgen. Welkom bij het loket van de gemeente.",
    "Good morning. Welcome to the desk of the municipality.",
    "Günaydın. Belediyenin danışma masasına hoş geldiniz.",
    "صباح الخير. مرحبا بكم في مكتب البلدية.",
    "Dzień dobry. Witamy w okienku urzędu gminy.",
    "Доброго ранку. Ласкаво просимо до віконця громади.",
};
static const char LONG_EN[] =
    "You are moving house. Tell the municipality your new address, no later than five days "
    "after the move. You can do this online with DigiD or here at the desk. Do you receive rent "
    "benefit? Then also tell the Benefits Service your new rent. Tap Next to continue.";

static const char *audio_file(void)
{
    return getenv("SDL_DISKAUDIOFILE");
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static double energy(const int16_t *s, size_t n)
{
    double e = 0;
    for (size_t i = 0; i < n; i++)
        e += (double)s[i] * s[i];
    return e;
}

static double rms(const int16_t *s, size_t n)
{
    return n ? sqrt(energy(s, n) / (double)n) / 32768.0 : 0;
}

static double db(double ratio)
{
    return 20.0 * log10(ratio);
}

static void synth(const char *lang, const char *text, int rate, int level, int16_t **pcm, size_t *n)
{
    char err[256];
    int sr = 0;
    bool ok = speech_synth(NULL, lang, text, rate, level, pcm, n, &sr, err, sizeof err);
    if (!ok)
        fail_msg("speech_synth %s: %s", lang, err);
    assert_int_equal(sr, 22050);
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* The samples of the disk driver's file from byte offset `from` on. */
static int16_t *read_audio(const char *path, long from, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    if (from > size)
        from = size;
    fseek(f, from, SEEK_SET);
    size_t count = (size_t)(size - from) / 2;
    int16_t *s = malloc(count * 2 + 2);
    assert_non_null(s);
    *n = fread(s, 2, count, f);
    fclose(f);
    return s;
}

static speech *make(void)
{
    char err[256];
    speech_options o = {.backend = "espeak"};
    speech *sp = speech_create(&o, err, sizeof err);
    if (!sp)
        fail_msg("speech_create: %s", err);
    return sp;
}

/* Waits up to ms for the object to fall silent; true if it did. */
static bool wait_silent(speech *sp, int ms)
{
    double t0 = now_ms();
    while (speech_speaking(sp)) {
        if (now_ms() - t0 > ms)
            return false;
        sleep_ms(5);
    }
    return true;
}

/* Waits up to ms until samples of an utterance after `before` reached the device. */
static bool wait_audio(speech *sp, const speech_stats *before, int ms)
{
    double t0 = now_ms();
    speech_stats st;
    for (;;) {
        speech_get_stats(sp, &st);
        if (st.utterances > before->utterances && st.samples > before->samples)
            return true;
        if (now_ms() - t0 > ms)
            return false;
        sleep_ms(1);
    }
}

/* ---- synthesis to memory ---- */

/* Long-term average spectrum: 32 bands of 344 Hz (0-11 kHz), dB relative to the total. The
 * synthesiser carries a little state from one utterance to the next (pitch flutter), so the
 * same text in the same voice is never the same samples twice. For "DigiD, UWV, 14 030" its
 * spectrum stays within 0.6 dB RMS across the bands (three rounds of the six voices), while
 * two languages reading it (their letter names and numbers) are 2.5 dB or more apart. */
#define LTAS_N 256
#define LTAS_BANDS 32
#define LTAS_SAME_DB 1.5

static void ltas(const int16_t *s, size_t n, double out[LTAS_BANDS])
{
    static double cs[LTAS_N / 2][LTAS_N], sn[LTAS_N / 2][LTAS_N], win[LTAS_N];
    static bool ready;
    if (!ready) {
        for (int i = 0; i < LTAS_N; i++)
            win[i] = 0.5 - 0.5 * cos(2 * M_PI * i / LTAS_N);
        for (int k = 0; k < LTAS_N / 2; k++)
            for (int i = 0; i < LTAS_N; i++) {
                cs[k][i] = win[i] * cos(2 * M_PI * (k + 1) * i / LTAS_N);
                sn[k][i] = win[i] * sin(2 * M_PI * (k + 1) * i / LTAS_N);
            }
        ready = true;
    }
    double band[LTAS_BANDS] = {0}, total = 0;
    for (size_t f = 0; f + LTAS_N <= n; f += LTAS_N)
        for (int k = 0; k < LTAS_N / 2; k++) {
            double re = 0, im = 0;
            for (int i = 0; i < LTAS_N; i++) {
                re += cs[k][i] * s[f + i];
                im += sn[k][i] * s[f + i];
            }
            band[k / (LTAS_N / 2 / LTAS_BANDS)] += re * re + im * im;
            total += re * re + im * im;
        }
    for (int b = 0; b < LTAS_BANDS; b++)
        out[b] = 10 * log10(band[b] / total + 1e-12);
}

static double ltas_distance(const double a[LTAS_BANDS], const double b[LTAS_BANDS])
{
    double d = 0;
    for (int i = 0; i < LTAS_BANDS; i++)
        d += (a[i] - b[i]) * (a[i] - b[i]);
    return sqrt(d / LTAS_BANDS);
}

static void ltas_of(const char *lang, const char *text, double out[LTAS_BANDS])
{
    int16_t *s;
    size_t n;
    synth(lang, text, 0, SPEECH_VOLUME_LEVELS - 1, &s, &n);
    ltas(s, n, out);
    free(s);
}

static void every_language_speaks_and_differs(void **state)
{
    (void)state;
    for (int l = 0; l < 6; l++) {
        int16_t *s;
        size_t sn;
        synth(langs[l], sentences[l], 0, SPEECH_VOLUME_LEVELS - 1, &s, &sn);
        double r = rms(s, sn);
        print_message("%s: %.2f s, RMS %.1f dBFS\n", langs[l], (double)sn / 22050, db(r));
        if (r < MIN_RMS_TOP)
            fail_msg("%s: RMS %.4f (%.1f dBFS) is below %.2f", langs[l], r, db(r), MIN_RMS_TOP);
        /* six to eight words: a voice that skips an unknown script says (almost) nothing */
        if (sn < 22050 * 3 / 2)
            fail_msg("%s: only %.2f s of speech", langs[l], (double)sn / 22050);
        free(s);
    }
    /* The same letters and digits through each voice: read in six languages, six spectra. */
    static const char digits[] = "DigiD, UWV, 14 030";
    double spec[6][LTAS_BANDS], again[LTAS_BANDS], unknown[LTAS_BANDS];
    for (int l = 0; l < 6; l++)
        ltas_of(langs[l], digits, spec[l]);
    for (int a = 0; a < 6; a++)
        for (int b = a + 1; b < 6; b++) {
            double d = ltas_distance(spec[a], spec[b]);
            print_message("%s-%s %.2f dB  ", langs[a], langs[b], d);
            if (d < LTAS_SAME_DB)
                fail_msg("%s and %s sound the same (%.2f dB apart)", langs[a], langs[b], d);
        }
    print_message("\n");
    /* The measure itself: the same voice again is "the same"; an unknown language is Dutch. */
    ltas_of("nl", digits, again);
    ltas_of("xx", digits, unknown);
    print_message("nl again %.2f dB, xx %.2f dB\n", ltas_distance(again, spec[0]),
                  ltas_distance(unknown, spec[0]));
    assert_true(ltas_distance(again, spec[0]) < LTAS_SAME_DB);
    assert_true(ltas_distance(unknown, spec[0]) < LTAS_SAME_DB);
}

static void volume_steps_are_the_decibels_they_claim(void **state)
{
    (void)state;
    double r[SPEECH_VOLUME_LEVELS];
    for (int v = 0; v < SPEECH_VOLUME_LEVELS; v++) {
        int16_t *s;
        size_t n;
        synth("nl", sentences[0], 0, v, &s, &n);
        r[v] = rms(s, n);
        free(s);
    }
    for (int v = 0; v < SPEECH_VOLUME_LEVELS; v++) {
        double measured = db(r[v] / r[SPEECH_VOLUME_LEVELS - 1]);
        double claimed = speech_volume_db(v) - speech_volume_db(SPEECH_VOLUME_LEVELS - 1);
        print_message("level %d: %.2f dB (claimed %.1f)\n", v, measured, claimed);
        if (fabs(measured - claimed) > 0.5)
            fail_msg("level %d measures %.2f dB, claims %.2f dB", v, measured, claimed);
    }
    assert_true(speech_volume_db(SPEECH_VOLUME_LEVELS - 1) == 0.0);
    /* EN 301 549 8.2.1.2: a range; 8.2.1.1: a gain of at least 12 dB above the lowest. */
    double range = db(r[SPEECH_VOLUME_LEVELS - 1] / r[0]);
    assert_true(range >= 18.0 - 0.5);
    bool twelve = false;
    for (int v = 1; v < SPEECH_VOLUME_LEVELS; v++)
        twelve |= db(r[v] / r[0]) >= 12.0;
    assert_true(twelve);
    /* clamped */
    assert_true(speech_volume_db(-3) == speech_volume_db(0));
    assert_true(speech_volume_db(99) == speech_volume_db(SPEECH_VOLUME_LEVELS - 1));
}

static void faster_rate_is_shorter(void **state)
{
    (void)state;
    size_t n[SPEECH_RATE_MAX - SPEECH_RATE_MIN + 1];
    for (int step = SPEECH_RATE_MIN; step <= SPEECH_RATE_MAX; step++) {
        int16_t *s;
        synth("en", LONG_EN, step, SPEECH_VOLUME_DEFAULT, &s, &n[step - SPEECH_RATE_MIN]);
        free(s);
        print_message("rate %+d (%d wpm): %.2f s\n", step, speech_rate_wpm(step),
                      (double)n[step - SPEECH_RATE_MIN] / 22050);
        if (step > SPEECH_RATE_MIN)
            assert_true(n[step - SPEECH_RATE_MIN] < n[step - SPEECH_RATE_MIN - 1]);
    }
    /* 120 -> 235 wpm: the fastest takes clearly less time than the slowest */
    assert_true((double)n[SPEECH_RATE_MAX - SPEECH_RATE_MIN] < 0.7 * (double)n[0]);
    assert_int_equal(speech_rate_wpm(0), 170);
    assert_int_equal(speech_rate_wpm(-9), speech_rate_wpm(SPEECH_RATE_MIN));
    assert_int_equal(speech_rate_wpm(9), speech_rate_wpm(SPEECH_RATE_MAX));
}

/* ---- the speech object ---- */

static void say_plays_what_synth_makes(void **state)
{
    (void)state;
    speech *sp = make();
    const char *text = "Goedemorgen, welkom.";
    speech_say(sp, "nl", text);
    /* Not blocked: it is still speaking when speech_say has returned. */
    assert_true(speech_speaking(sp));
    /* speech_synth from this thread while the object's thread speaks */
    int16_t *ref;
    size_t n_ref;
    synth("nl", text, 0, SPEECH_VOLUME_DEFAULT, &ref, &n_ref);
    assert_true(wait_silent(sp, 10000));
    sleep_ms(200); /* the device's last buffer, and stdio's, reach the file */
    speech_stats st;
    speech_get_stats(sp, &st);
    assert_int_equal(st.utterances, 1);
    assert_string_equal(st.last_lang, "nl");
    /* the same synthesis, give or take the synthesiser's pitch flutter (see ltas) */
    assert_true(fabs((double)st.samples - (double)n_ref) < 0.05 * (double)n_ref);
    assert_true(fabs(db(st.last_rms / rms(ref, n_ref))) < 0.5);
    assert_true(st.last_first_audio_ms >= 0);

    size_t n;
    int16_t *played = read_audio(audio_file(), 0, &n);
    assert_true(n >= n_ref);
    double e_played = energy(played, n), e_ref = energy(ref, n_ref);
    print_message("played %.2f s of sound, energy %.2f dB from the synthesis\n", (double)n / 22050,
                  10 * log10(e_played / e_ref));
    assert_true(rms(played, n) > 0);
    assert_true(fabs(10 * log10(e_played / e_ref)) < 0.5);
    free(played);
    free(ref);
    speech_destroy(sp);
}

/* The kiosk is shared: other processes take the CPU now and then, and one utterance may wait a
 * scheduler slice longer. The median of the six languages is what a listener notices. */
static void first_audio_within_100_ms_in_every_language(void **state)
{
    (void)state;
    speech *sp = make();
    double t[6];
    for (int l = 0; l < 6; l++) {
        speech_stats before, st;
        speech_get_stats(sp, &before);
        speech_say(sp, langs[l], sentences[l]);
        assert_true(wait_audio(sp, &before, 2000));
        speech_get_stats(sp, &st);
        print_message("%s: first audio after %.2f ms\n", langs[l], st.last_first_audio_ms);
        assert_string_equal(st.last_lang, langs[l]);
        t[l] = st.last_first_audio_ms;
        speech_stop(sp);
    }
    for (int i = 1; i < 6; i++)
        for (int j = i; j > 0 && t[j] < t[j - 1]; j--) {
            double x = t[j];
            t[j] = t[j - 1];
            t[j - 1] = x;
        }
    assert_true(t[3] < 100);
    assert_true(wait_silent(sp, 1000));
    speech_destroy(sp);
}

/* Sound is queued as it is made: while a minute of speech is being synthesised, the device
 * already has part of it. */
static void sound_is_queued_as_it_is_made(void **state)
{
    (void)state;
    size_t len = strlen(LONG_EN);
    char *text = malloc(4 * (len + 1) + 1);
    assert_non_null(text);
    text[0] = '\0';
    for (int i = 0; i < 4; i++) {
        strcat(text, LONG_EN);
        strcat(text, " ");
    }
    speech *sp = make();
    speech_say(sp, "en", text);
    uint64_t partial = 0;
    speech_stats st;
    double t0 = now_ms();
    do {
        speech_get_stats(sp, &st);
        if (st.samples > 0 && st.samples < 22050 * 45)
            partial = st.samples;
        struct timespec ts = {0, 200000};
        nanosleep(&ts, NULL);
    } while (st.samples < 22050 * 45 && now_ms() - t0 < 5000);
    print_message("seen %.1f s of sound queued while the rest was being made\n",
                  (double)partial / 22050);
    assert_true(partial > 0);
    assert_true(st.samples >= 22050 * 45);
    speech_stop(sp);
    assert_true(wait_silent(sp, 200));
    free(text);
    speech_destroy(sp);
}

static void stop_stops(void **state)
{
    (void)state;
    int16_t *ref;
    size_t n_ref;
    synth("en", LONG_EN, 0, SPEECH_VOLUME_DEFAULT, &ref, &n_ref);
    speech *sp = make();
    speech_stats before;
    speech_get_stats(sp, &before);
    speech_say(sp, "en", LONG_EN);
    assert_true(wait_audio(sp, &before, 2000));
    sleep_ms(300);
    assert_true(speech_speaking(sp));
    speech_stop(sp);
    assert_true(wait_silent(sp, 100));
    speech_stats at_stop, later;
    speech_get_stats(sp, &at_stop);
    /* What the device has already taken and what stdio holds reach the file within ~150 ms;
     * from then on the device plays silence, and it keeps playing (the file grows). */
    sleep_ms(300);
    long from = file_size(audio_file());
    sleep_ms(400);
    speech_get_stats(sp, &later);
    assert_int_equal(later.samples, at_stop.samples);
    assert_false(speech_speaking(sp));
    size_t n;
    int16_t *after = read_audio(audio_file(), from, &n);
    assert_true(n > 22050 / 10);
    for (size_t i = 0; i < n; i++)
        if (after[i] != 0)
            fail_msg("sound %.2f s after the stop", (double)i / 22050 + 0.3);
    free(after);
    /* and what was played is a small part of the 15 s utterance */
    int16_t *all = read_audio(audio_file(), 0, &n);
    double part = energy(all, n) / energy(ref, n_ref);
    print_message("played %.0f%% of the utterance's energy before the stop\n", part * 100);
    assert_true(part > 0.0 && part < 0.2);
    free(all);
    free(ref);

    /* stopped the moment it was asked: nothing reaches the device */
    speech_get_stats(sp, &before);
    speech_say(sp, "en", LONG_EN);
    speech_stop(sp);
    assert_true(wait_silent(sp, 200));
    speech_get_stats(sp, &later);
    assert_true(later.samples - before.samples < n_ref);
    speech_destroy(sp);
}

static void say_replaces_what_is_being_said(void **state)
{
    (void)state;
    int16_t *ref;
    size_t n_ref;
    synth("nl", "Hallo.", 0, SPEECH_VOLUME_LEVELS - 1, &ref, &n_ref);
    speech *sp = make();
    speech_stats before, st;
    speech_get_stats(sp, &before);
    speech_say(sp, "en", LONG_EN);
    assert_true(wait_audio(sp, &before, 2000));
    sleep_ms(200);
    speech_set_volume(sp, 99); /* the top level, for the next utterance */
    double t0 = now_ms();
    speech_say(sp, "nl", "Hallo.");
    /* "Hallo." lasts under a second; the English would have taken 15 s */
    assert_true(wait_silent(sp, 3000));
    double took = now_ms() - t0;
    print_message("the replacement finished after %.0f ms (it lasts %.0f ms)\n", took,
                  (double)n_ref * 1000 / 22050);
    speech_get_stats(sp, &st);
    assert_int_equal(st.utterances, 2);
    assert_string_equal(st.last_lang, "nl");
    assert_true(fabs(db(st.last_rms / rms(ref, n_ref))) < 0.5);
    free(ref);

    /* many in a row: the last one is said, every one counted at most once */
    speech_get_stats(sp, &before);
    for (int i = 0; i < 20; i++)
        speech_say(sp, langs[i % 6], sentences[i % 6]);
    speech_say(sp, "ar", "نعم.");
    assert_true(wait_silent(sp, 10000));
    speech_get_stats(sp, &st);
    assert_true(st.utterances > before.utterances);
    assert_true(st.utterances <= before.utterances + 21);
    assert_string_equal(st.last_lang, "ar");
    speech_destroy(sp);
}

static void sim_writes_the_log_line(void **state)
{
    (void)state;
    FILE *log = tmpfile();
    assert_non_null(log);
    char err[256];
    speech_options o = {.backend = "sim", .log = log};
    speech *sp = speech_create(&o, err, sizeof err);
    assert_non_null(sp);
    speech_say(sp, "xx", "Uw nummer\t001\n000 0427");
    speech_set_rate(sp, 9);
    speech_set_volume(sp, -5);
    speech_say(sp, "ar", "رقمك 001 000 0427");
    speech_say(sp, "en", "");
    assert_false(speech_speaking(sp));
    speech_stats st;
    speech_get_stats(sp, &st);
    assert_int_equal(st.utterances, 2);
    assert_string_equal(st.last_lang, "ar");
    assert_int_equal(st.samples, 0);
    speech_destroy(sp);
    rewind(log);
    char buf[512] = {0};
    size_t got = fread(buf, 1, sizeof buf - 1, log);
    fclose(log);
    assert_true(got > 0);
    assert_string_equal(buf, "speech\tnl\t0\t3\tUw nummer 001 000 0427\n"
                             "speech\tar\t2\t0\tرقمك 001 000 0427\n");
}

static void failures_are_said_plainly(void **state)
{
    (void)state;
    char err[256];
    speech_options o = {.backend = "tape"};
    assert_null(speech_create(&o, err, sizeof err));
    assert_string_equal(err, "unknown speech backend: tape (espeak or sim)");
    o = (speech_options){.backend = "espeak", .data_dir = "/nonexistent/espeak-ng-data"};
    assert_null(speech_create(&o, err, sizeof err));
    assert_non_null(strstr(err, "speech data not found in /nonexistent/espeak-ng-data"));
    int16_t *pcm;
    size_t n;
    int sr;
    assert_false(speech_synth("/nonexistent", "nl", "Hallo", 0, 0, &pcm, &n, &sr, err, sizeof err));
    assert_null(pcm);
    /* the disk driver takes the device name as the file to write: one that cannot be made */
    o = (speech_options){.backend = "espeak", .audio_device = "/nonexistent/dir/audio.raw"};
    assert_null(speech_create(&o, err, sizeof err));
    print_message("%s\n", err);
    assert_true(strncmp(err, "no sound device: /nonexistent/dir/audio.raw: ", 45) == 0);
    /* and after a failure the default works again */
    speech *sp = make();
    speech_destroy(sp);
}

int main(void)
{
    /* By hand as well as from ctest: the disk driver, into the current directory. */
    setenv("SDL_AUDIODRIVER", "disk", 0);
    setenv("SDL_DISKAUDIOFILE", "speech-audio.raw", 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_language_speaks_and_differs),
        cmocka_unit_test(volume_steps_are_the_decibels_they_claim),
        cmocka_unit_test(faster_rate_is_shorter),
        cmocka_unit_test(say_plays_what_synth_makes),
        cmocka_unit_test(first_audio_within_100_ms_in_every_language),
        cmocka_unit_test(sound_is_queued_as_it_is_made),
        cmocka_unit_test(stop_stops),
        cmocka_unit_test(say_replaces_what_is_being_said),
        cmocka_unit_test(sim_writes_the_log_line),
        cmocka_unit_test(failures_are_said_plainly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
