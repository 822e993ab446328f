/* The desk's chime for a new task: two short tones generated in memory and queued on an SDL
 * audio device. Without a sound device the desk only highlights (desk_sound_open says why). */
#ifndef LOKET_DESK_SOUND_H
#define LOKET_DESK_SOUND_H

#include <stdbool.h>
#include <stddef.h>

typedef struct desk_sound desk_sound;

/* NULL with the reason in `why` when there is no sound device. */
desk_sound *desk_sound_open(char *why, size_t whycap);
void desk_sound_close(desk_sound *s);
/* Queues the chime (about 0.4 s); returns false if the device refused it. */
bool desk_sound_chime(desk_sound *s);
/* Chimes queued so far. */
unsigned desk_sound_count(const desk_sound *s);

#endif
