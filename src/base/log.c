#include "log.h"
#include "timeutil.h"

#include <stdarg.h>
#include <stdio.h>

static int log_level = LOG_INFO;

void jc_log_set_level(int level)
{
    log_level = level;
}

void jc_log(int level, const char *fmt, ...)
{
    if (level > log_level) return;
    static const char *const names[] = {"error", "warn", "info", "debug"};
    char ts[32], line[1024];
    jc_time_local(jc_now(), ts);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s %s %s\n", ts, names[level], line); /* one write: lines do not interleave */
}
