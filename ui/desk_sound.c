#include "desk_sound.h"

#include <SDL.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define RATE 48000

struct desk_sound {
    SDL_AudioDeviceID dev;
    int16_t *pcm;
    size_t n;
    unsigned count;
};

/* A two-tone chime (E6 then A5, like a shop door), each with a soft attack and decay, at
 * about half of full scale. */
static int16_t *make_chime(size_t *n)
{
    const double tones[2] = {1318.5, 880.0};
    const size_t tone_n = RATE * 18 / 100, gap_n = RATE * 4 / 100;
    *n = 2 * tone_n + gap_n;
    int16_t *p = calloc(*n, sizeof *p);
    if (!p)
        return NULL;
    for (int k = 0; k < 2; k++) {
        size_t off = k * (tone_n + gap_n);
        for (size_t i = 0; i < tone_n; i++) {
            double t = (double)i / RATE;
            double attack = i < RATE / 200 ? (double)i / (RATE / 200) : 1.0;
            double env = attack * exp(-t * 9.0);
            p[off + i] = (int16_t)(16000.0 * env * sin(2 * M_PI * tones[k] * t));
        }
    }
    return p;
}

desk_sound *desk_sound_open(char *why, size_t whycap)
{
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
        snprintf(why, whycap, "no sound: %s", SDL_GetError());
        return NULL;
    }
    SDL_AudioSpec want = {.freq = RATE, .format = AUDIO_S16SYS, .channels = 1, .samples = 1024};
    SDL_AudioSpec have;
    SDL_AudioDeviceID dev = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
    if (!dev) {
        snprintf(why, whycap, "no sound device: %s", SDL_GetError());
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
        return NULL;
    }
    desk_sound *s = calloc(1, sizeof *s);
    if (s)
        s->pcm = make_chime(&s->n);
    if (!s || !s->pcm) {
        free(s);
        SDL_CloseAudioDevice(dev);
        snprintf(why, whycap, "out of memory");
        return NULL;
    }
    s->dev = dev;
    SDL_PauseAudioDevice(dev, 0);
    return s;
}

void desk_sound_close(desk_sound *s)
{
    if (!s)
        return;
    SDL_CloseAudioDevice(s->dev);
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
    free(s->pcm);
    free(s);
}

bool desk_sound_chime(desk_sound *s)
{
    if (!s)
        return false;
    /* a chime still playing is not doubled: one is enough for any number of new tasks */
    if (SDL_GetQueuedAudioSize(s->dev) > 0) {
        s->count++;
        return true;
    }
    if (SDL_QueueAudio(s->dev, s->pcm, (Uint32)(s->n * sizeof *s->pcm)) != 0)
        return false;
    s->count++;
    return true;
}

unsigned desk_sound_count(const desk_sound *s)
{
    return s ? s->count : 0;
}
