/* Read-aloud: espeak-ng synthesises on a thread of its own; SDL audio plays it. Nothing here
 * blocks the caller. Text may hold personal data (read through a headset): it is never logged
 * (except to opt->log, which only scripted test runs set) and is wiped after synthesis. */
#ifndef LOKET_SPEECH_H
#define LOKET_SPEECH_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SPEECH_RATE_MIN (-2)
#define SPEECH_RATE_MAX 2
#define SPEECH_VOLUME_LEVELS 5 /* -24, -18, -12, -6, 0 dB */
#define SPEECH_VOLUME_DEFAULT 3

typedef struct {
    const char *backend;      /* "espeak" (real: synthesis + sound) or "sim" (no sound: records) */
    const char *data_dir;     /* espeak-ng-data; NULL or "": the library's default */
    const char *audio_device; /* SDL audio device name; NULL or "": the default device */
    FILE *log; /* scripted test runs only: "speech\t<lang>\t<rate>\t<level>\t<text>\n" per
                  utterance; NULL otherwise. <lang> the language spoken (after the fallback to
                  nl), <rate> the step (-2..2), <level> the volume level (0..4); tabs, CR and LF
                  in the text become spaces. Written by speech_say, both backends. */
} speech_options;

typedef struct speech speech;

typedef struct {
    uint64_t utterances;        /* speech_say calls that reached synthesis */
    uint64_t samples;           /* samples queued to the sound device, all utterances */
    double last_first_audio_ms; /* speech_say -> first samples queued, last utterance */
    double last_rms;            /* RMS (full scale = 1.0) of the last utterance's samples */
    char last_lang[8];
} speech_stats;

/* err: plain English, e.g. "no sound device: ..." */
speech *speech_create(const speech_options *o, char *err, size_t errcap);
void speech_destroy(speech *sp);
/* Stops what is being said, then says text (plain UTF-8, not SSML) in lang (nl, en, tr, ar, pl,
 * uk; anything else: nl), at the rate and volume set now. NULL or "" text: speech_stop. */
void speech_say(speech *sp, const char *lang, const char *text);
void speech_stop(speech *sp);
/* Synthesising or sound still queued; always false for "sim". */
bool speech_speaking(speech *sp);
/* Clamped to SPEECH_RATE_MIN..MAX; 0 is normal. Rate and volume apply from the next
 * speech_say (an utterance is queued to the device as a whole within milliseconds). */
void speech_set_rate(speech *sp, int step);
/* Clamped to 0..SPEECH_VOLUME_LEVELS-1. */
void speech_set_volume(speech *sp, int level);
int speech_rate_wpm(int step);
/* Gain in dB relative to the synthesiser's full output (0 dB at the top level). */
double speech_volume_db(int level);
void speech_get_stats(speech *sp, speech_stats *out);
/* Synthesises to memory (tests, benchmarks): 16-bit mono, malloc'd, *sample_rate Hz. */
bool speech_synth(const char *data_dir, const char *lang, const char *text, int rate_step,
                  int volume_level, int16_t **pcm, size_t *n, int *sample_rate, char *err,
                  size_t errcap);
#endif
