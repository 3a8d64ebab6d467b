/* log.h — one line per event on stderr: time, level, message. */
#ifndef JC_LOG_H
#define JC_LOG_H

enum { LOG_ERR = 0, LOG_WARN, LOG_INFO, LOG_DEBUG };

void jc_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void jc_log_set_level(int level);

#endif
