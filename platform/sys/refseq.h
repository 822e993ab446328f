/* The kiosk's reference sequence: the next number, kept in `<data_dir>/reference-sequence`
 * (one decimal number, no personal data). Each call hands out a number never handed out
 * before (until it wraps after REFNUM_SEQ_MAX): the file is replaced atomically and fsync'd
 * before the number is used, and locked against a second process. */
#ifndef LOKET_REFSEQ_H
#define LOKET_REFSEQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

bool refseq_next(const char *data_dir, uint32_t *seq, char *err, size_t errcap);

#endif
