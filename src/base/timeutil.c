#include "timeutil.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t jc_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec;
}

/* Howard Hinnant's days_from_civil / civil_from_days. */
int64_t jc_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void jc_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
    int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (mm <= 2));
    *m = mm;
    *d = dd;
}

static void split(int64_t t, int64_t *days, int64_t *secs)
{
    int64_t d = t / 86400, r = t % 86400;
    if (r < 0) {
        r += 86400;
        d -= 1;
    }
    *days = d;
    *secs = r;
}

static void put_digits(char *p, unsigned v, int n);

/* Written digit by digit: every record in every answer carries times, and printf is slow. */
static void fmt_time(int64_t t, int64_t off, const char *suffix, char out[32])
{
    int64_t days, secs;
    split(t + off, &days, &secs);
    jc_date_format(days, out);
    out[10] = 'T';
    put_digits(out + 11, (unsigned)(secs / 3600), 2);
    out[13] = ':';
    put_digits(out + 14, (unsigned)(secs / 60 % 60), 2);
    out[16] = ':';
    put_digits(out + 17, (unsigned)(secs % 60), 2);
    snprintf(out + 19, 13, "%s", suffix);
}

void jc_time_utc(int64_t t, char out[32])
{
    fmt_time(t, 0, "Z", out);
}

void jc_time_local(int64_t t, char out[32])
{
    fmt_time(t, JC_TZ_OFFSET, "+08:00", out);
}

void jc_date_local(int64_t t, char out[11])
{
    int64_t days, secs;
    split(t + JC_TZ_OFFSET, &days, &secs);
    jc_date_format(days, out);
}

static void put_digits(char *p, unsigned v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

void jc_date_format(int64_t days, char out[11])
{
    int y, m, d;
    jc_civil_from_days(days, &y, &m, &d);
    put_digits(out, (unsigned)y, 4);
    out[4] = '-';
    put_digits(out + 5, (unsigned)m, 2);
    out[7] = '-';
    put_digits(out + 8, (unsigned)d, 2);
    out[10] = '\0';
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return dm[m - 1];
}

static bool date_prefix(const char *s, int *y, int *m, int *d)
{
    if (strlen(s) < 10 || s[4] != '-' || s[7] != '-') return false;
    *y = digits(s, 4);
    *m = digits(s + 5, 2);
    *d = digits(s + 8, 2);
    if (*y < 1900 || *y > 2199 || *m < 1 || *m > 12 || *d < 1) return false;
    return *d <= days_in_month(*y, *m);
}

bool jc_date_valid(const char *s)
{
    int y, m, d;
    return s && strlen(s) == 10 && date_prefix(s, &y, &m, &d);
}

bool jc_date_parse(const char *s, int64_t *days)
{
    int y, m, d;
    if (!jc_date_valid(s) || !date_prefix(s, &y, &m, &d)) return false;
    *days = jc_days_from_civil(y, m, d);
    return true;
}

bool jc_datetime_parse(const char *s, int64_t *t)
{
    int y, mo, d;
    if (!s || !date_prefix(s, &y, &mo, &d)) return false;
    int64_t days = jc_days_from_civil(y, mo, d);
    size_t n = strlen(s);
    if (n == 10) {
        *t = days * 86400 - JC_TZ_OFFSET;
        return true;
    }
    if (n < 19 || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':') return false;
    int hh = digits(s + 11, 2), mm = digits(s + 14, 2), ss = digits(s + 17, 2);
    if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60) return false;
    const char *p = s + 19;
    if (*p == '.') { /* fractional seconds are accepted and dropped */
        p++;
        if (*p < '0' || *p > '9') return false;
        while (*p >= '0' && *p <= '9') p++;
    }
    int64_t off;
    if (strcmp(p, "Z") == 0 || strcmp(p, "z") == 0) {
        off = 0;
    } else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
        int oh = digits(p + 1, 2), om = digits(p + 4, 2);
        if (oh < 0 || oh > 14 || om < 0 || om > 59) return false;
        off = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
    } else {
        return false;
    }
    *t = days * 86400 + hh * 3600 + mm * 60 + ss - off;
    return true;
}

/* ISO week: the Monday of week 1 is the Monday of the week containing January 4th. */
static int64_t iso_week1_monday(int y)
{
    int64_t jan4 = jc_days_from_civil(y, 1, 4);
    int64_t wd = ((jan4 % 7) + 7 + 3) % 7; /* 1970-01-01 was a Thursday: Monday = 0 */
    return jan4 - wd;
}

bool jc_period_parse(const char *p, char first[11], char last[11])
{
    if (!p) return false;
    size_t n = strlen(p);
    int y = n >= 4 ? digits(p, 4) : -1;
    if (y < 1900 || y > 2199) return false;
    int m1, m2;
    if (n == 4) {
        m1 = 1;
        m2 = 12;
    } else if (n == 7 && p[4] == '-' && p[5] == 'Q' && p[6] >= '1' && p[6] <= '4') {
        m1 = (p[6] - '1') * 3 + 1;
        m2 = m1 + 2;
    } else if (n == 7 && p[4] == '-' && digits(p + 5, 2) >= 1 && digits(p + 5, 2) <= 12) {
        m1 = m2 = digits(p + 5, 2);
    } else if (n == 8 && p[4] == '-' && p[5] == 'W' && digits(p + 6, 2) >= 1) {
        int w = digits(p + 6, 2);
        int64_t mon = iso_week1_monday(y) + (int64_t)(w - 1) * 7;
        if (w > 53 || mon >= iso_week1_monday(y + 1)) return false;
        jc_date_format(mon, first);
        jc_date_format(mon + 6, last);
        return true;
    } else {
        return false;
    }
    jc_date_format(jc_days_from_civil(y, m1, 1), first);
    jc_date_format(jc_days_from_civil(y, m2, days_in_month(y, m2)), last);
    return true;
}

bool jc_period_of(const char *kind, int64_t days, char out[16])
{
    int y, m, d;
    jc_civil_from_days(days, &y, &m, &d);
    if (y < 1900 || y > 2199) return false;
    y %= 10000; /* tells the compiler the width */
    if (strcmp(kind, "year") == 0) {
        snprintf(out, 16, "%04d", y);
    } else if (strcmp(kind, "quarter") == 0) {
        snprintf(out, 16, "%04d-Q%d", y, (m - 1) / 3 % 4 + 1);
    } else if (strcmp(kind, "month") == 0) {
        snprintf(out, 16, "%04d-%02d", y, m % 13);
    } else if (strcmp(kind, "week") == 0) {
        int wy = y + 1;
        while (days < iso_week1_monday(wy)) wy--;
        int w = (int)((days - iso_week1_monday(wy)) / 7) % 54 + 1;
        snprintf(out, 16, "%04d-W%02d", wy % 10000, w);
    } else {
        return false;
    }
    return true;
}
