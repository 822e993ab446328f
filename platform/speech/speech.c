/* Read-aloud through espeak-ng (synthesis) and SDL audio (sound).
 *
 * espeak-ng keeps its state in globals and is not re-entrant: every call into it is made under
 * one process-wide mutex (es_lock), and it is initialised once, in synchronous mode, so that
 * espeak_ng_Synthesize runs on the calling thread and hands over the sound in short buffers
 * through synth_cb. The sink of the synthesis in progress (es_sink) says where a buffer goes:
 * to a speech object's sound device, or to memory (speech_synth).
 *
 * A speech object has one thread that synthesises. speech_say hands it a copy of the text and
 * bumps a generation number; the callback compares the generation before it queues a buffer,
 * under the object's lock, and aborts the synthesis (returns 1) when it changed. speech_stop
 * and speech_say clear the sound already queued under the same lock, so once they return not
 * one more buffer of the old utterance reaches the device. */
#include "speech/speech.h"

#include <SDL.h>
#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>
#include <time.h>

#define SYNTH_BUFFER_MS 50 /* espeak-ng hands over sound in buffers of this length */
#define DEVICE_SAMPLES 512 /* SDL device buffer: 23 ms at 22050 Hz */
#define FALLBACK_LANG "nl"

/* Kiosk language code -> espeak-ng voice. */
static const struct {
    const char *lang, *voice;
} voices[] = {{"nl", "nl"}, {"en", "en"}, {"tr", "tr"}, {"ar", "ar"}, {"pl", "pl"}, {"uk", "uk"}};

static const char *voice_for(const char *lang)
{
    for (size_t i = 0; lang && i < sizeof voices / sizeof voices[0]; i++)
        if (strcasecmp(lang, voices[i].lang) == 0)
            return voices[i].lang;
    return FALLBACK_LANG;
}

static const char *espeak_voice(const char *lang)
{
    for (size_t i = 0; i < sizeof voices / sizeof voices[0]; i++)
        if (strcmp(lang, voices[i].lang) == 0)
            return voices[i].voice;
    return FALLBACK_LANG;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

int speech_rate_wpm(int step)
{
    static const int wpm[] = {120, 145, 170, 200, 235};
    if (step < SPEECH_RATE_MIN)
        step = SPEECH_RATE_MIN;
    if (step > SPEECH_RATE_MAX)
        step = SPEECH_RATE_MAX;
    return wpm[step - SPEECH_RATE_MIN];
}

static int clamp_level(int level)
{
    return level < 0 ? 0 : level >= SPEECH_VOLUME_LEVELS ? SPEECH_VOLUME_LEVELS - 1 : level;
}

static int clamp_rate(int step)
{
    return step < SPEECH_RATE_MIN   ? SPEECH_RATE_MIN
           : step > SPEECH_RATE_MAX ? SPEECH_RATE_MAX
                                    : step;
}

double speech_volume_db(int level)
{
    return -6.0 * (double)(SPEECH_VOLUME_LEVELS - 1 - clamp_level(level));
}

/* Applies the gain to n samples; returns their sum of squares (after the gain). */
static double apply_gain(const short *in, int16_t *out, size_t n, double gain)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        double v = nearbyint((double)in[i] * gain);
        if (v > 32767.0)
            v = 32767.0;
        if (v < -32768.0)
            v = -32768.0;
        out[i] = (int16_t)v;
        sum += v * v;
    }
    return sum;
}

/* ---- the one espeak-ng of the process ---- */

struct speech {
    bool sim;
    FILE *log;
    char *data_dir;
    SDL_AudioDeviceID dev;
    pthread_t thread;
    bool thread_started;

    pthread_mutex_t lock; /* everything below */
    pthread_cond_t wake;
    bool quit;
    uint64_t gen;       /* bumped by every speech_say and speech_stop */
    char *pending;      /* text the thread has yet to take, or NULL */
    size_t pending_len; /* its length, for the wipe */
    char pending_lang[8];
    int pending_rate, pending_level;
    bool synthesising;
    int rate, level;
    double say_t0;     /* when the last speech_say came */
    bool first_queued; /* a buffer of the current utterance reached the device */
    double utt_sumsq;
    uint64_t utt_n;
    speech_stats stats;

    int16_t *chunk; /* the thread's scratch buffer for one synthesis buffer after the gain */
    size_t chunk_cap;
};

typedef struct {
    speech *sp; /* sound device; NULL: into buf */
    uint64_t gen;
    double gain;
    int16_t *buf;
    size_t n, cap;
    bool oom;
} sink;

static pthread_mutex_t es_lock = PTHREAD_MUTEX_INITIALIZER;
static bool es_ready;
static bool es_atexit;
static char es_path[4096]; /* the data_dir it was initialised with; "" the default */
static char es_voice[8];   /* the voice set last, "" none */
static sink *es_sink;      /* the synthesis in progress */

static int synth_to_device(sink *k, const short *wav, size_t n)
{
    speech *sp = k->sp;
    if (sp->chunk_cap < n) {
        int16_t *c = realloc(sp->chunk, n * sizeof *c);
        if (!c)
            return 1;
        sp->chunk = c;
        sp->chunk_cap = n;
    }
    double sumsq = apply_gain(wav, sp->chunk, n, k->gain);
    int abort = 0;
    pthread_mutex_lock(&sp->lock);
    if (sp->gen != k->gen || sp->quit) {
        abort = 1;
    } else if (SDL_QueueAudio(sp->dev, sp->chunk, (Uint32)(n * sizeof *sp->chunk)) == 0) {
        if (!sp->first_queued) {
            sp->first_queued = true;
            sp->stats.last_first_audio_ms = now_ms() - sp->say_t0;
        }
        sp->stats.samples += n;
        sp->utt_sumsq += sumsq;
        sp->utt_n += n;
        sp->stats.last_rms = sqrt(sp->utt_sumsq / (double)sp->utt_n) / 32768.0;
    }
    pthread_mutex_unlock(&sp->lock);
    /* The samples are speech: wipe the scratch copy. */
    explicit_bzero(sp->chunk, n * sizeof *sp->chunk);
    return abort;
}

static int synth_to_memory(sink *k, const short *wav, size_t n)
{
    if (k->cap - k->n < n) {
        size_t cap = k->cap ? k->cap : 22050;
        while (cap - k->n < n)
            cap *= 2;
        int16_t *b = realloc(k->buf, cap * sizeof *b);
        if (!b) {
            k->oom = true;
            return 1;
        }
        k->buf = b;
        k->cap = cap;
    }
    apply_gain(wav, k->buf + k->n, n, k->gain);
    k->n += n;
    return 0;
}

/* Called by espeak-ng (under es_lock) for every buffer; 1 stops the synthesis. */
static int synth_cb(short *wav, int numsamples, espeak_EVENT *events)
{
    (void)events;
    sink *k = es_sink;
    if (!k)
        return 1;
    if (!wav || numsamples <= 0) /* NULL: the end; 0 samples happens and means nothing */
        return 0;
    return k->sp ? synth_to_device(k, wav, (size_t)numsamples)
                 : synth_to_memory(k, wav, (size_t)numsamples);
}

static void es_terminate(void)
{
    pthread_mutex_lock(&es_lock);
    if (es_ready)
        espeak_ng_Terminate();
    es_ready = false;
    es_voice[0] = '\0';
    pthread_mutex_unlock(&es_lock);
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Under es_lock. espeak-ng searches a data directory that is missing elsewhere without a word:
 * a data_dir that holds no phoneme table is refused here instead. */
static bool es_init_locked(const char *data_dir, char *err, size_t errcap)
{
    const char *want = data_dir ? data_dir : "";
    if (es_ready && strcmp(es_path, want) == 0)
        return true;
    if (strlen(want) >= sizeof es_path - 32) {
        snprintf(err, errcap, "speech data directory name too long");
        return false;
    }
    if (want[0]) {
        char probe[sizeof es_path];
        snprintf(probe, sizeof probe, "%s/phontab", want);
        bool direct = access(probe, R_OK) == 0;
        snprintf(probe, sizeof probe, "%s/espeak-ng-data/phontab", want);
        if (!direct && !(access(probe, R_OK) == 0 && is_dir(want))) {
            snprintf(err, errcap, "speech data not found in %s (no espeak-ng phontab there)", want);
            return false;
        }
    }
    if (es_ready) {
        espeak_ng_Terminate();
        es_ready = false;
    }
    es_voice[0] = '\0';
    espeak_ng_InitializePath(want[0] ? want : NULL);
    espeak_ng_ERROR_CONTEXT ctx = NULL;
    espeak_ng_STATUS st = espeak_ng_Initialize(&ctx);
    if (st == ENS_OK)
        st = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, SYNTH_BUFFER_MS, NULL);
    if (st != ENS_OK) {
        char msg[160];
        espeak_ng_GetStatusCodeMessage(st, msg, sizeof msg);
        espeak_ng_ClearErrorContext(&ctx);
        snprintf(err, errcap, "speech synthesiser cannot start: %s (data: %s)", msg,
                 want[0] ? want : "default");
        return false;
    }
    espeak_ng_ClearErrorContext(&ctx);
    espeak_SetSynthCallback(synth_cb);
    snprintf(es_path, sizeof es_path, "%s", want);
    es_ready = true;
    if (!es_atexit) {
        /* espeak-ng's tables live until exit; freeing them then keeps leak checkers quiet. */
        atexit(es_terminate);
        es_atexit = true;
    }
    return true;
}

/* Synthesises text (UTF-8, plain, not SSML) in lang (one of ours) into k. */
static bool es_synth(const char *data_dir, const char *lang, const char *text, size_t len,
                     int rate_step, sink *k, char *err, size_t errcap)
{
    pthread_mutex_lock(&es_lock);
    bool ok = es_init_locked(data_dir, err, errcap);
    if (ok && strcmp(es_voice, lang) != 0) {
        espeak_ng_STATUS st = espeak_ng_SetVoiceByName(espeak_voice(lang));
        if (st != ENS_OK) {
            char msg[160];
            espeak_ng_GetStatusCodeMessage(st, msg, sizeof msg);
            snprintf(err, errcap, "speech voice %s: %s", espeak_voice(lang), msg);
            es_voice[0] = '\0';
            ok = false;
        } else {
            snprintf(es_voice, sizeof es_voice, "%s", lang);
        }
    }
    if (ok) {
        espeak_ng_SetParameter(espeakRATE, speech_rate_wpm(rate_step), 0);
        es_sink = k;
        espeak_ng_STATUS st =
            espeak_ng_Synthesize(text, len + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, NULL);
        es_sink = NULL;
        if (st != ENS_OK && st != ENS_SPEECH_STOPPED) {
            char msg[160];
            espeak_ng_GetStatusCodeMessage(st, msg, sizeof msg);
            snprintf(err, errcap, "speech synthesis failed: %s", msg);
            ok = false;
        }
    }
    pthread_mutex_unlock(&es_lock);
    return ok;
}

bool speech_synth(const char *data_dir, const char *lang, const char *text, int rate_step,
                  int volume_level, int16_t **pcm, size_t *n, int *sample_rate, char *err,
                  size_t errcap)
{
    *pcm = NULL;
    *n = 0;
    *sample_rate = 0;
    if (errcap)
        err[0] = '\0';
    sink k = {.gain = pow(10.0, speech_volume_db(volume_level) / 20.0)};
    const char *t = text ? text : "";
    if (!es_synth(data_dir, voice_for(lang), t, strlen(t), clamp_rate(rate_step), &k, err,
                  errcap)) {
        free(k.buf);
        return false;
    }
    if (k.oom) {
        free(k.buf);
        snprintf(err, errcap, "out of memory");
        return false;
    }
    pthread_mutex_lock(&es_lock);
    *sample_rate = espeak_ng_GetSampleRate();
    pthread_mutex_unlock(&es_lock);
    *pcm = k.buf;
    *n = k.n;
    return true;
}

/* ---- the speech object ---- */

static void wipe_free(char *s, size_t len)
{
    if (!s)
        return;
    explicit_bzero(s, len);
    free(s);
}

static void *run(void *arg)
{
    speech *sp = arg;
    pthread_mutex_lock(&sp->lock);
    for (;;) {
        while (!sp->pending && !sp->quit)
            pthread_cond_wait(&sp->wake, &sp->lock);
        if (sp->quit)
            break;
        char *text = sp->pending;
        size_t len = sp->pending_len;
        sp->pending = NULL;
        char lang[8];
        memcpy(lang, sp->pending_lang, sizeof lang);
        int rate = sp->pending_rate;
        sink k = {.sp = sp,
                  .gen = sp->gen,
                  .gain = pow(10.0, speech_volume_db(sp->pending_level) / 20.0)};
        sp->synthesising = true;
        sp->first_queued = false;
        sp->utt_sumsq = 0;
        sp->utt_n = 0;
        sp->stats.utterances++;
        sp->stats.last_rms = 0;
        memcpy(sp->stats.last_lang, lang, sizeof sp->stats.last_lang);
        pthread_mutex_unlock(&sp->lock);

        char err[256]; /* a failure is not the caller's to hear about: it stays silent */
        es_synth(sp->data_dir, lang, text, len, rate, &k, err, sizeof err);
        wipe_free(text, len);

        pthread_mutex_lock(&sp->lock);
        sp->synthesising = false;
    }
    pthread_mutex_unlock(&sp->lock);
    return NULL;
}

speech *speech_create(const speech_options *o, char *err, size_t errcap)
{
    if (errcap)
        err[0] = '\0';
    const char *backend = o && o->backend && o->backend[0] ? o->backend : "espeak";
    bool sim = strcmp(backend, "sim") == 0;
    if (!sim && strcmp(backend, "espeak") != 0) {
        snprintf(err, errcap, "unknown speech backend: %s (espeak or sim)", backend);
        return NULL;
    }
    speech *sp = calloc(1, sizeof *sp);
    if (!sp) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    sp->sim = sim;
    sp->log = o ? o->log : NULL;
    sp->level = SPEECH_VOLUME_DEFAULT;
    pthread_mutex_init(&sp->lock, NULL);
    pthread_cond_init(&sp->wake, NULL);
    if (sim)
        return sp;

    const char *dir = o && o->data_dir ? o->data_dir : "";
    sp->data_dir = strdup(dir);
    if (!sp->data_dir) {
        snprintf(err, errcap, "out of memory");
        speech_destroy(sp);
        return NULL;
    }
    pthread_mutex_lock(&es_lock);
    bool ok = es_init_locked(sp->data_dir, err, errcap);
    int rate = ok ? espeak_ng_GetSampleRate() : 0;
    pthread_mutex_unlock(&es_lock);
    if (!ok) {
        speech_destroy(sp);
        return NULL;
    }

    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
        snprintf(err, errcap, "no sound device: SDL audio cannot start: %s", SDL_GetError());
        speech_destroy(sp);
        return NULL;
    }
    SDL_AudioSpec want = {0}, have;
    want.freq = rate;
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    want.samples = DEVICE_SAMPLES;
    const char *name = o && o->audio_device && o->audio_device[0] ? o->audio_device : NULL;
    /* No allowed changes: SDL converts to whatever the device really does. */
    sp->dev = SDL_OpenAudioDevice(name, 0, &want, &have, 0);
    if (sp->dev == 0) {
        snprintf(err, errcap, "no sound device: %s: %s", name ? name : "default device",
                 SDL_GetError());
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
        speech_destroy(sp);
        return NULL;
    }
    SDL_PauseAudioDevice(sp->dev, 0);
    if (pthread_create(&sp->thread, NULL, run, sp) != 0) {
        snprintf(err, errcap, "cannot start the speech thread");
        speech_destroy(sp);
        return NULL;
    }
    sp->thread_started = true;
    return sp;
}

void speech_destroy(speech *sp)
{
    if (!sp)
        return;
    pthread_mutex_lock(&sp->lock);
    sp->quit = true;
    sp->gen++;
    pthread_cond_signal(&sp->wake);
    pthread_mutex_unlock(&sp->lock);
    if (sp->thread_started)
        pthread_join(sp->thread, NULL);
    if (sp->dev) {
        SDL_ClearQueuedAudio(sp->dev);
        SDL_CloseAudioDevice(sp->dev);
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
    }
    wipe_free(sp->pending, sp->pending_len);
    free(sp->chunk);
    free(sp->data_dir);
    pthread_cond_destroy(&sp->wake);
    pthread_mutex_destroy(&sp->lock);
    free(sp);
}

/* Under sp->lock. */
static void stop_locked(speech *sp)
{
    sp->gen++;
    wipe_free(sp->pending, sp->pending_len);
    sp->pending = NULL;
    if (sp->dev)
        SDL_ClearQueuedAudio(sp->dev);
}

static void write_log_line(FILE *f, const char *lang, int rate, int level, const char *text)
{
    fprintf(f, "speech\t%s\t%d\t%d\t", lang, rate, level);
    for (const char *p = text; *p; p++)
        fputc(*p == '\t' || *p == '\n' || *p == '\r' ? ' ' : *p, f);
    fputc('\n', f);
    fflush(f);
}

void speech_say(speech *sp, const char *lang, const char *text)
{
    if (!sp)
        return;
    if (!text || !text[0]) {
        speech_stop(sp);
        return;
    }
    const char *l = voice_for(lang);
    size_t len = strlen(text);
    char *copy = sp->sim ? NULL : malloc(len + 1);
    if (copy)
        memcpy(copy, text, len + 1);
    pthread_mutex_lock(&sp->lock);
    if (sp->log)
        write_log_line(sp->log, l, sp->rate, sp->level, text);
    stop_locked(sp);
    if (sp->sim) {
        sp->stats.utterances++;
        snprintf(sp->stats.last_lang, sizeof sp->stats.last_lang, "%s", l);
    } else if (copy) {
        sp->pending = copy;
        sp->pending_len = len;
        snprintf(sp->pending_lang, sizeof sp->pending_lang, "%s", l);
        sp->pending_rate = sp->rate;
        sp->pending_level = sp->level;
        sp->say_t0 = now_ms();
        pthread_cond_signal(&sp->wake);
    }
    pthread_mutex_unlock(&sp->lock);
}

void speech_stop(speech *sp)
{
    if (!sp)
        return;
    pthread_mutex_lock(&sp->lock);
    stop_locked(sp);
    pthread_mutex_unlock(&sp->lock);
}

bool speech_speaking(speech *sp)
{
    if (!sp || sp->sim)
        return false;
    pthread_mutex_lock(&sp->lock);
    bool r = sp->pending || sp->synthesising || SDL_GetQueuedAudioSize(sp->dev) > 0;
    pthread_mutex_unlock(&sp->lock);
    return r;
}

void speech_set_rate(speech *sp, int step)
{
    if (!sp)
        return;
    pthread_mutex_lock(&sp->lock);
    sp->rate = clamp_rate(step);
    pthread_mutex_unlock(&sp->lock);
}

void speech_set_volume(speech *sp, int level)
{
    if (!sp)
        return;
    pthread_mutex_lock(&sp->lock);
    sp->level = clamp_level(level);
    pthread_mutex_unlock(&sp->lock);
}

void speech_get_stats(speech *sp, speech_stats *out)
{
    memset(out, 0, sizeof *out);
    if (!sp)
        return;
    pthread_mutex_lock(&sp->lock);
    *out = sp->stats;
    pthread_mutex_unlock(&sp->lock);
}
