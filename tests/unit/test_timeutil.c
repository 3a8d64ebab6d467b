/* test_timeutil.c — the calendar, UTC/Shanghai times and reporting periods.
 * Literal day numbers and epoch seconds were computed independently (Python datetime). */
#include "unit.h"

#include <stdio.h>

static void civil_known_days(void **state)
{
    (void)state;
    assert_int_equal(jc_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(jc_days_from_civil(1969, 12, 31), -1);
    assert_int_equal(jc_days_from_civil(2000, 1, 1), 10957);
    assert_int_equal(jc_days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(jc_days_from_civil(2024, 1, 1), 19723);
    assert_int_equal(jc_days_from_civil(1900, 1, 1), -25567);
    assert_int_equal(jc_days_from_civil(2199, 12, 31), 84005);
}

static void civil_leap_years(void **state)
{
    (void)state;
    /* days between 28 February and 1 March: 2 in a leap year, 1 otherwise */
    assert_int_equal(jc_days_from_civil(2000, 3, 1) - jc_days_from_civil(2000, 2, 28), 2);
    assert_int_equal(jc_days_from_civil(1900, 3, 1) - jc_days_from_civil(1900, 2, 28), 1);
    assert_int_equal(jc_days_from_civil(2024, 3, 1) - jc_days_from_civil(2024, 2, 28), 2);
    assert_int_equal(jc_days_from_civil(2026, 3, 1) - jc_days_from_civil(2026, 2, 28), 1);
    assert_int_equal(jc_days_from_civil(2100, 3, 1) - jc_days_from_civil(2100, 2, 28), 1);
    int y, m, d;
    jc_civil_from_days(jc_days_from_civil(2000, 2, 28) + 1, &y, &m, &d);
    assert_true(y == 2000 && m == 2 && d == 29);
    jc_civil_from_days(jc_days_from_civil(1900, 2, 28) + 1, &y, &m, &d);
    assert_true(y == 1900 && m == 3 && d == 1);
    jc_civil_from_days(jc_days_from_civil(2024, 2, 28) + 1, &y, &m, &d);
    assert_true(y == 2024 && m == 2 && d == 29);
}

/* Every day from 1900 to 2199 maps back to itself and the next number is the next day. */
static void civil_round_trip(void **state)
{
    (void)state;
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t expect = jc_days_from_civil(1900, 1, 1);
    for (int y = 1900; y <= 2199; y++) {
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        for (int m = 1; m <= 12; m++) {
            int last = dm[m - 1] + (m == 2 && leap);
            for (int d = 1; d <= last; d++) {
                int64_t n = jc_days_from_civil(y, m, d);
                if (n != expect)
                    fail_msg("%04d-%02d-%02d → %lld, expected %lld", y, m, d, (long long)n,
                             (long long)expect);
                int yy, mm, dd;
                jc_civil_from_days(n, &yy, &mm, &dd);
                if (yy != y || mm != m || dd != d)
                    fail_msg("%lld → %04d-%02d-%02d, expected %04d-%02d-%02d", (long long)n, yy, mm,
                             dd, y, m, d);
                char s[11], want[32];
                jc_date_format(n, s);
                snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
                assert_string_equal(s, want);
                assert_true(jc_date_valid(want));
                int64_t back;
                assert_true(jc_date_parse(want, &back));
                assert_int_equal(back, n);
                expect++;
            }
        }
    }
}

static void date_valid(void **state)
{
    (void)state;
    const char *ok[] = {"2026-12-01", "2000-02-29", "2024-02-29", "1900-01-01",
                        "2199-12-31", "2026-01-31", "2026-04-30"};
    for (size_t i = 0; i < JC_NELEM(ok); i++) assert_true(jc_date_valid(ok[i]));
    const char *bad[] = {"2026-02-29",  "1900-02-29",     "2100-02-29",
                         "2026-02-30",  "2026-04-31",     "2026-13-01",
                         "2026-00-10",  "2026-01-00",     "2026-01-32",
                         "1899-12-31",  "2200-01-01",     "2026-1-01",
                         "2026-01-1",   "2026/01/01",     "20260101",
                         "2026-01-01 ", " 2026-01-01",    "2026-01-01T00:00:00Z",
                         "+026-01-01",  "２０２６-01-01", ""};
    for (size_t i = 0; i < JC_NELEM(bad); i++)
        if (jc_date_valid(bad[i])) fail_msg("'%s' accepted as a date", bad[i]);
    assert_false(jc_date_valid(NULL));
    int64_t days = 42;
    assert_false(jc_date_parse("2026-02-29", &days));
}

static void datetime_parse(void **state)
{
    (void)state;
    const int64_t t0 = 1796094245; /* 2026-12-01T03:04:05Z */
    static const char *const same[] = {
        "2026-12-01T03:04:05Z",      "2026-12-01T03:04:05z",          "2026-12-01 03:04:05Z",
        "2026-12-01T11:04:05+08:00", "2026-12-01T11:04:05.123+08:00", "2026-12-01T03:04:05.999999Z",
        "2026-11-30T22:04:05-05:00", "2026-12-01T03:04:05+00:00",     "2026-12-01T08:34:05+05:30",
    };
    for (size_t i = 0; i < JC_NELEM(same); i++) {
        int64_t t = 0;
        if (!jc_datetime_parse(same[i], &t)) fail_msg("'%s' refused", same[i]);
        assert_int_equal(t, t0);
    }
    /* a bare date is midnight in Shanghai: 16:00 UTC the day before */
    int64_t t;
    assert_true(jc_datetime_parse("2026-12-01", &t));
    assert_int_equal(t, 1796054400);
    const char *bad[] = {
        "2026-12-01T03:04:05", /* no zone: ambiguous */
        "2026-12-01T24:00:00Z",      "2026-12-01T03:60:00Z",   "2026-12-01T03:04:61Z",
        "2026-12-01T03:04:05+0800",  "2026-12-01T03:04:05+08", "2026-12-01T03:04:05.Z",
        "2026-12-01T03:04:05.12.3Z", "2026-12-01T03:04Z",      "2026-12-01T03:04:05+15:00",
        "2026-12-01T03:04:05+08:60", "2026-02-30T03:04:05Z",   "2026-12-01X03:04:05Z",
        "2026-12-01T03:04:05ZZ",     "2026-12-01T3:04:05Z",    ""};
    for (size_t i = 0; i < JC_NELEM(bad); i++)
        if (jc_datetime_parse(bad[i], &t)) fail_msg("'%s' accepted", bad[i]);
    assert_false(jc_datetime_parse(NULL, &t));
}

static void time_format(void **state)
{
    (void)state;
    char s[32], d[11];
    jc_time_utc(1796094245, s);
    assert_string_equal(s, "2026-12-01T03:04:05Z");
    jc_time_local(1796094245, s);
    assert_string_equal(s, "2026-12-01T11:04:05+08:00");
    /* 20:00 UTC on New Year's Eve is already the new year in Shanghai */
    jc_time_local(1798747200, s);
    assert_string_equal(s, "2027-01-01T04:00:00+08:00");
    jc_date_local(1798747200, d);
    assert_string_equal(d, "2027-01-01");
    jc_time_local(0, s);
    assert_string_equal(s, "1970-01-01T08:00:00+08:00");
    jc_time_utc(-1, s);
    assert_string_equal(s, "1969-12-31T23:59:59Z");
    jc_date_local(-8 * 3600 - 1, d); /* one second before local midnight of 1970-01-01 */
    assert_string_equal(d, "1969-12-31");
    /* what is written is read back */
    for (int64_t t = -86400 * 400; t < (int64_t)86400 * 30000; t += 86400 * 17 + 3607) {
        int64_t back;
        jc_time_local(t, s);
        assert_true(jc_datetime_parse(s, &back));
        assert_int_equal(back, t);
        jc_time_utc(t, s);
        assert_true(jc_datetime_parse(s, &back));
        assert_int_equal(back, t);
    }
}

static void check_period(const char *p, const char *first, const char *last)
{
    char f[11] = "", l[11] = "";
    if (!jc_period_parse(p, f, l)) fail_msg("period '%s' refused", p);
    assert_string_equal(f, first);
    assert_string_equal(l, last);
}

static void period_parse(void **state)
{
    (void)state;
    check_period("2026", "2026-01-01", "2026-12-31");
    check_period("2026-Q1", "2026-01-01", "2026-03-31");
    check_period("2026-Q2", "2026-04-01", "2026-06-30");
    check_period("2026-Q4", "2026-10-01", "2026-12-31");
    check_period("2026-02", "2026-02-01", "2026-02-28");
    check_period("2024-02", "2024-02-01", "2024-02-29");
    check_period("2000-02", "2000-02-01", "2000-02-29");
    check_period("2100-02", "2100-02-01", "2100-02-28");
    check_period("2026-12", "2026-12-01", "2026-12-31");
    check_period("2024-Q1", "2024-01-01", "2024-03-31");
    /* ISO weeks: week 1 holds the year's first Thursday (2026-01-01 is one) */
    check_period("2026-W01", "2025-12-29", "2026-01-04");
    check_period("2026-W49", "2026-11-30", "2026-12-06");
    /* a year starting on a Thursday has 53 weeks */
    check_period("2026-W53", "2026-12-28", "2027-01-03");
    /* so does a leap year starting on a Wednesday (2020) */
    check_period("2020-W53", "2020-12-28", "2021-01-03");
    check_period("2025-W01", "2024-12-30", "2025-01-05");
    check_period("2025-W52", "2025-12-22", "2025-12-28");

    const char *bad[] = {"2025-W53", /* 2025 starts on a Wednesday and is not leap: 52 weeks */
                         "2026-W00", "2026-W54", "2026-W1", "2026-W",     "2026-Q0", "2026-Q5",
                         "2026-Q",   "2026-00",  "2026-13", "2026-2",     "26",      "2026-",
                         "1899",     "2200",     "2026-1Q", "2026-02-01", "",        "abcd"};
    for (size_t i = 0; i < JC_NELEM(bad); i++) {
        char f[11], l[11];
        if (jc_period_parse(bad[i], f, l)) fail_msg("period '%s' accepted", bad[i]);
    }
    char f[11], l[11];
    assert_false(jc_period_parse(NULL, f, l));
}

static void check_of(const char *kind, int y, int m, int d, const char *want)
{
    char out[16] = "";
    if (!jc_period_of(kind, jc_days_from_civil(y, m, d), out))
        fail_msg("%s of %04d-%02d-%02d refused", kind, y, m, d);
    if (strcmp(out, want) != 0)
        fail_msg("%s of %04d-%02d-%02d is %s, expected %s", kind, y, m, d, out, want);
}

static void period_of(void **state)
{
    (void)state;
    check_of("year", 2026, 12, 31, "2026");
    check_of("year", 2027, 1, 1, "2027");
    check_of("quarter", 2026, 3, 31, "2026-Q1");
    check_of("quarter", 2026, 4, 1, "2026-Q2");
    check_of("quarter", 2026, 12, 31, "2026-Q4");
    check_of("quarter", 2027, 1, 1, "2027-Q1");
    check_of("month", 2026, 2, 28, "2026-02");
    check_of("month", 2024, 2, 29, "2024-02");
    check_of("month", 2026, 12, 31, "2026-12");
    check_of("month", 2027, 1, 1, "2027-01");
    /* ISO weeks cross the year boundary in both directions */
    check_of("week", 2025, 12, 28, "2025-W52");
    check_of("week", 2025, 12, 29, "2026-W01");
    check_of("week", 2026, 1, 1, "2026-W01");
    check_of("week", 2026, 1, 4, "2026-W01");
    check_of("week", 2026, 1, 5, "2026-W02");
    check_of("week", 2026, 12, 31, "2026-W53");
    check_of("week", 2027, 1, 3, "2026-W53");
    check_of("week", 2027, 1, 4, "2027-W01");
    check_of("week", 2021, 1, 3, "2020-W53");
    check_of("week", 2024, 12, 30, "2025-W01");
    char out[16];
    assert_false(jc_period_of("fortnight", 0, out));
    assert_false(jc_period_of("year", jc_days_from_civil(1899, 12, 31), out));
    assert_false(jc_period_of("year", jc_days_from_civil(2200, 1, 1), out));
}

/* Every day of 1990–2060 lies inside the period jc_period_of() names for it, per jc_period_parse(),
 * and ISO weeks run Monday to Sunday. */
static void period_of_consistent(void **state)
{
    (void)state;
    static const char *const kinds[] = {"week", "month", "quarter", "year"};
    int64_t from = jc_days_from_civil(1990, 1, 1), to = jc_days_from_civil(2060, 12, 31);
    for (int64_t day = from; day <= to; day++) {
        char today[11];
        jc_date_format(day, today);
        for (size_t k = 0; k < JC_NELEM(kinds); k++) {
            char p[16], f[11], l[11];
            assert_true(jc_period_of(kinds[k], day, p));
            if (!jc_period_parse(p, f, l))
                fail_msg("%s of %s is '%s', unparsable", kinds[k], today, p);
            if (strcmp(f, today) > 0 || strcmp(l, today) < 0)
                fail_msg("%s %s is %s..%s, not around %s", kinds[k], p, f, l, today);
            if (k == 0) {
                int64_t fd, ld;
                assert_true(jc_date_parse(f, &fd));
                assert_true(jc_date_parse(l, &ld));
                assert_int_equal(ld - fd, 6);
                assert_int_equal((fd % 7 + 7) % 7, 4); /* 1970-01-05, day 4, was a Monday */
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(civil_known_days),     cmocka_unit_test(civil_leap_years),
        cmocka_unit_test(civil_round_trip),     cmocka_unit_test(date_valid),
        cmocka_unit_test(datetime_parse),       cmocka_unit_test(time_format),
        cmocka_unit_test(period_parse),         cmocka_unit_test(period_of),
        cmocka_unit_test(period_of_consistent),
    };
    return cmocka_run_group_tests_name("timeutil", tests, NULL, NULL);
}
