/* The kiosk's log (stderr; journald under systemd). Rule: no personal data ever — no names,
 * answers, dates the citizen gave, contact details. Log ids, counts, states and error codes. */
#ifndef LOKET_LOG_H
#define LOKET_LOG_H

typedef enum { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR } log_level;

void log_set_level(log_level min);
void log_msg(log_level level, const char *module, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#endif
