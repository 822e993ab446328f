/* Read-aloud benchmark (not a timed test: it prints figures; machines are noisy).
 *
 *   bench_speech [DATA_DIR] [RUNS]
 *
 * For a typical screen text of about 40 words (the moving overview's first lines) in each of
 * the six languages:
 *   first_ms   median time from speech_say to the first samples queued to the sound device,
 *              over RUNS runs (default 11) through a speech object; cold: the first run, which
 *              also switches espeak-ng's voice (loads the language's dictionary)
 *   synth_ms   median time to synthesise the whole text to memory (speech_synth)
 *   audio_s    the length of the speech at the normal rate
 *   rtf        real-time factor: synth_ms / audio length (below 1: faster than speech)
 *   dbfs       RMS level of the speech at the top volume level, dB below full scale
 * The speech object plays into SDL's "dummy" audio driver unless SDL_AUDIODRIVER says
 * otherwise: nothing is heard, the timing is the same. DATA_DIR: espeak-ng-data ("" or absent:
 * the library's default). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

#include "speech/speech.h"

static const struct {
    const char *lang, *text;
} texts[] = {
    {"nl", "U gaat verhuizen. Geef uw nieuwe adres door aan de gemeente, uiterlijk vijf dagen na "
           "de verhuizing. Dat kan online met DigiD of hier aan de balie. Krijgt u huurtoeslag? "
           "Geef dan ook uw nieuwe huur door aan Dienst Toeslagen. Tik op Volgende om verder te "
           "gaan."},
    {"en", "You are moving house. Tell the municipality your new address, no later than five "
           "days after the move. You can do this online with DigiD or here at the desk. Do you "
           "receive rent benefit? Then also tell the Benefits Service your new rent. Tap Next to "
           "continue."},
    {"tr", "Taşınıyorsunuz. Yeni adresinizi en geç taşındıktan beş gün sonra belediyeye "
           "bildirin. Bunu DigiD ile internetten veya burada bankoda yapabilirsiniz. Kira "
           "yardımı alıyor musunuz? O zaman yeni kiranızı da Yardımlar Dairesine bildirin. Devam "
           "etmek için İleri düğmesine dokunun."},
    {"ar", "أنت تنتقل إلى مسكن جديد. أبلغ البلدية بعنوانك الجديد في موعد أقصاه خمسة أيام بعد "
           "الانتقال. يمكنك فعل ذلك عبر الإنترنت باستخدام DigiD أو هنا عند المكتب. هل تحصل على "
           "إعانة الإيجار؟ إذن أبلغ أيضا مصلحة الإعانات بإيجارك الجديد. اضغط على التالي "
           "للمتابعة."},
    {"pl", "Przeprowadzasz się. Podaj gminie swój nowy adres najpóźniej pięć dni po "
           "przeprowadzce. Możesz to zrobić przez internet z DigiD albo tutaj przy okienku. Czy "
           "otrzymujesz dodatek mieszkaniowy? Wtedy podaj też nowy czynsz urzędowi do spraw "
           "dodatków. Dotknij Dalej, aby kontynuować."},
    {"uk", "Ви переїжджаєте. Повідомте муніципалітет про свою нову адресу не пізніше ніж через "
           "п'ять днів після переїзду. Це можна зробити онлайн через DigiD або тут, біля стійки. "
           "Ви отримуєте допомогу на оренду? Тоді також повідомте службу допомоги про нову "
           "орендну плату. Натисніть Далі, щоб продовжити."},
};

static int count_words(const char *s)
{
    int n = 0;
    bool in = false;
    for (; *s; s++) {
        bool sp = *s == ' ';
        if (!sp && !in)
            n++;
        in = !sp;
    }
    return n;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Says text RUNS times; returns the median time to first audio and the first run's in *cold. */
static double first_audio(speech *sp, const char *lang, const char *text, int runs, double *cold)
{
    double *t = calloc((size_t)runs, sizeof *t);
    for (int i = 0; i < runs; i++) {
        speech_stats before, st;
        speech_get_stats(sp, &before);
        speech_say(sp, lang, text);
        double t0 = now_ms();
        do {
            sleep_ms(1);
            speech_get_stats(sp, &st);
        } while ((st.utterances == before.utterances || st.samples == before.samples) &&
                 now_ms() - t0 < 5000);
        t[i] = st.last_first_audio_ms;
        speech_stop(sp);
        while (speech_speaking(sp) && now_ms() - t0 < 10000)
            sleep_ms(1);
    }
    *cold = t[0];
    qsort(t, (size_t)runs, sizeof *t, cmp_double);
    double m = t[runs / 2];
    free(t);
    return m;
}

int main(int argc, char **argv)
{
    const char *data_dir = argc > 1 ? argv[1] : "";
    int runs = argc > 2 ? atoi(argv[2]) : 11;
    if (runs < 1)
        runs = 1;
    setenv("SDL_AUDIODRIVER", "dummy", 0);
    char err[256];
    speech_options o = {.backend = "espeak", .data_dir = data_dir};
    speech *sp = speech_create(&o, err, sizeof err);
    if (!sp) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    speech_set_volume(sp, SPEECH_VOLUME_LEVELS - 1);
    double *t = calloc((size_t)runs, sizeof *t);
    for (size_t l = 0; l < sizeof texts / sizeof texts[0]; l++) {
        double cold;
        double first = first_audio(sp, texts[l].lang, texts[l].text, runs, &cold);
        int16_t *pcm = NULL;
        size_t n = 0;
        int rate = 0;
        for (int i = 0; i < runs; i++) {
            free(pcm);
            double t0 = now_ms();
            if (!speech_synth(data_dir, texts[l].lang, texts[l].text, 0, SPEECH_VOLUME_LEVELS - 1,
                              &pcm, &n, &rate, err, sizeof err)) {
                fprintf(stderr, "%s: %s\n", texts[l].lang, err);
                return 1;
            }
            t[i] = now_ms() - t0;
        }
        qsort(t, (size_t)runs, sizeof *t, cmp_double);
        double sum = 0;
        for (size_t i = 0; i < n; i++)
            sum += (double)pcm[i] * pcm[i];
        double audio_s = rate ? (double)n / rate : 0;
        double rms = n ? sqrt(sum / (double)n) / 32768.0 : 0;
        printf("%-3s words=%d first_ms=%.1f (cold %.1f) synth_ms=%.0f audio_s=%.2f rtf=%.3f "
               "dbfs=%.1f\n",
               texts[l].lang, count_words(texts[l].text), first, cold, t[runs / 2], audio_s,
               audio_s > 0 ? t[runs / 2] / 1000.0 / audio_s : 0,
               rms > 0 ? 20 * log10(rms) : -INFINITY);
        free(pcm);
    }
    free(t);
    speech_destroy(sp);
    return 0;
}
