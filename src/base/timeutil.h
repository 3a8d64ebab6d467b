/* timeutil.h — time is stored in UTC (epoch seconds), dates as ISO 8601 'YYYY-MM-DD' strings,
 * and shown in Asia/Shanghai (UTC+8, no daylight saving since 1991). */
#ifndef JC_TIMEUTIL_H
#define JC_TIMEUTIL_H

#include <stdbool.h>
#include <stdint.h>

#define JC_TZ_OFFSET (8 * 3600) /* Asia/Shanghai */

int64_t jc_now(void);
/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t jc_days_from_civil(int y, int m, int d);
void jc_civil_from_days(int64_t days, int *y, int *m, int *d);

/* "2026-12-01T03:04:05Z" (21 bytes incl. NUL) */
void jc_time_utc(int64_t t, char out[32]);
/* "2026-12-01T11:04:05+08:00" (26 bytes incl. NUL) */
void jc_time_local(int64_t t, char out[32]);
/* The Shanghai calendar date of t: "2026-12-01" */
void jc_date_local(int64_t t, char out[11]);

/* True for a real calendar date written exactly as YYYY-MM-DD (years 1900..2199). */
bool jc_date_valid(const char *s);
/* Parses a valid date into days since the epoch; false when it is not a valid date. */
bool jc_date_parse(const char *s, int64_t *days);
void jc_date_format(int64_t days, char out[11]);
/* ISO 8601 date-time with 'Z' or an offset (also accepts a bare date: local midnight). */
bool jc_datetime_parse(const char *s, int64_t *t);

/* A reporting period: "2026" (year), "2026-Q4" (quarter), "2026-12" (month),
 * "2026-W49" (ISO week). Fills the first and last day (inclusive) as YYYY-MM-DD. */
bool jc_period_parse(const char *p, char first[11], char last[11]);
/* The period of `kind` ("week","month","quarter","year") containing the date `days`. */
bool jc_period_of(const char *kind, int64_t days, char out[16]);

#endif
