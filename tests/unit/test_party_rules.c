/* test_party_rules.c — the rules of the party domain as pure functions: the dues table, calendar
 * arithmetic, the 发展党员 pipeline (order, durations, age), terms of office and each warning's
 * single-record decision, with the defaults of the configuration. Expected values are worked out
 * by hand from DOMAIN.md, not taken from the code. */
#include "unit.h"

#include "../../src/party/party.h"

static party_limits L;

static int setup(void **state)
{
    (void)state;
    party_limits_default(&L);
    return 0;
}

/* ---- 党费 (2008): monthly after-tax base, upper bounds inclusive ---- */

static void dues_bands(void **state)
{
    (void)state;
    struct {
        int64_t base, due;
    } v[] = {
        {0, 0},           {100000, 500}, /* 1000 元 × 0.5% = 5 元 */
        {300000, 1500},                  /* 3000 元: the bound belongs to the lower band, 15 元 */
        {300001, 3000},                  /* 3000.01 元 × 1% = 30.0001 元 → 30 元 */
        {500000, 5000},                  /* 5000 元 × 1% */
        {500001, 7500},                  /* 5000.01 × 1.5% = 75.00015 → 75 元 */
        {1000000, 15000},                /* 10000 × 1.5% */
        {1000001, 20000},                /* 10000.01 × 2% = 200.0002 → 200 元 */
        {2500000, 50000},                /* 25000 × 2% */
        {100100, 501},                   /* 1001 元 × 0.5% = 5.005 元: half a fen rounds up */
        {123456, 617},                   /* 1234.56 × 0.5% = 6.1728 元 */
        {456789, 4568},                  /* 4567.89 × 1% = 45.6789 元 */
    };
    for (size_t i = 0; i < JC_NELEM(v); i++) {
        int64_t got = party_dues_fen(&L, DUES_REGULAR, v[i].base);
        if (got != v[i].due)
            fail_msg("base %lld fen: dues %lld, expected %lld", (long long)v[i].base,
                     (long long)got, (long long)v[i].due);
    }
    assert_int_equal(party_dues_band(&L, DUES_REGULAR, 300000), 0);
    assert_int_equal(party_dues_band(&L, DUES_REGULAR, 300001), 1);
    assert_int_equal(party_dues_band(&L, DUES_REGULAR, 99999999), 3);
}

static void dues_fixed(void **state)
{
    (void)state;
    /* students, the unemployed and 低保 recipients pay 0.2 元 whatever their income */
    for (int cat = DUES_STUDENT; cat < DUES__MAX; cat++) {
        assert_int_equal(party_dues_fen(&L, cat, 0), 20);
        assert_int_equal(party_dues_fen(&L, cat, 800000), 20);
        assert_int_equal(party_dues_band(&L, cat, 800000), -1);
    }
}

static void dues_configured(void **state)
{
    (void)state;
    /* a local table: ≤ 2000 元 at 0.4%, the rest at 1% */
    party_limits l = L;
    l.nbands = 2;
    l.bands[0] = (party_band){200000, 4};
    l.bands[1] = (party_band){-1, 10};
    assert_int_equal(party_dues_fen(&l, DUES_REGULAR, 200000), 800);
    assert_int_equal(party_dues_fen(&l, DUES_REGULAR, 200100), 2001);
}

/* ---- dates ---- */

static void check_add(const char *from, int64_t months, const char *want)
{
    char out[11] = "";
    assert_true(party_add_months(from, months, out));
    if (strcmp(out, want) != 0)
        fail_msg("%s + %lld months = %s, expected %s", from, (long long)months, out, want);
}

static void add_months(void **state)
{
    (void)state;
    check_add("2025-03-15", 12, "2026-03-15");
    check_add("2025-03-15", 18, "2026-09-15");
    check_add("2024-02-29", 12, "2025-03-01"); /* no 29 February: the year ends with February */
    check_add("2024-02-29", 48, "2028-02-29");
    check_add("2025-08-31", 6, "2026-03-01"); /* no 31 February */
    check_add("2025-12-31", 1, "2026-01-31");
    check_add("2025-11-30", 3, "2026-03-01"); /* no 30 February */
    char out[11];
    assert_false(party_add_months("2025-02-30", 1, out));
}

static void ages(void **state)
{
    (void)state;
    assert_int_equal(party_age_on("2008-06-15", "2026-06-14"), 17);
    assert_int_equal(party_age_on("2008-06-15", "2026-06-15"), 18);
    assert_int_equal(party_age_on("2008-02-29", "2026-02-28"), 17);
    assert_int_equal(party_age_on("2008-02-29", "2026-03-01"), 18);
}

/* ---- the pipeline ---- */

static party_stage_dates dates(const char *a, const char *b, const char *c, const char *d,
                               const char *e)
{
    party_stage_dates s = {{a, b, c, d, e}, 0};
    return s;
}

static void chain_ok(void **state)
{
    (void)state;
    party_refusal why;
    party_stage_dates d =
        dates("2020-03-01", "2020-09-01", "2021-09-01", "2021-11-01", "2022-11-01");
    assert_true(party_chain_check(&L, "1990-01-01", STAGE_FULL, &d, "2026-06-15", &why));
    d = dates("2026-06-15", NULL, NULL, NULL, NULL);
    assert_true(party_chain_check(&L, "1990-01-01", STAGE_APPLICANT, &d, "2026-06-15", &why));
}

static void chain_refusals(void **state)
{
    (void)state;
    party_refusal why;
    const char *today = "2026-06-15";
    /* 17 when applying: refused, possible on the 18th birthday */
    party_stage_dates d = dates("2026-06-01", NULL, NULL, NULL, NULL);
    assert_false(party_chain_check(&L, "2008-06-10", STAGE_APPLICANT, &d, today, &why));
    assert_string_equal(why.code, "too_young");
    assert_string_equal(why.earliest, "2026-06-10");
    assert_string_equal(why.source, "中国共产党章程第一条");
    /* a candidate after eleven months as activist */
    d = dates("2024-01-10", "2024-03-01", "2025-02-01", NULL, NULL);
    assert_false(party_chain_check(&L, "1990-01-01", STAGE_CANDIDATE, &d, today, &why));
    assert_string_equal(why.code, "activist_period");
    assert_string_equal(why.field, "candidate");
    assert_string_equal(why.earliest, "2025-03-01");
    /* converted before the year of probation */
    d = dates("2020-01-01", "2020-02-01", "2021-03-01", "2021-05-01", "2022-04-30");
    assert_false(party_chain_check(&L, "1990-01-01", STAGE_FULL, &d, today, &why));
    assert_string_equal(why.code, "probation_period");
    assert_string_equal(why.earliest, "2022-05-01");
    assert_string_equal(why.source, "中国共产党章程第七条");
    /* with six months' extension the conversion waits eighteen */
    d = dates("2020-01-01", "2020-02-01", "2021-03-01", "2021-05-01", "2022-06-01");
    d.extension_months = 6;
    assert_false(party_chain_check(&L, "1990-01-01", STAGE_FULL, &d, today, &why));
    assert_string_equal(why.earliest, "2022-11-01");
    /* dates out of order */
    d = dates("2024-01-10", "2023-12-01", NULL, NULL, NULL);
    assert_false(party_chain_check(&L, "1990-01-01", STAGE_ACTIVIST, &d, today, &why));
    assert_string_equal(why.code, "date_before_previous");
    /* a date in the future */
    d = dates("2026-06-16", NULL, NULL, NULL, NULL);
    assert_false(party_chain_check(&L, "1990-01-01", STAGE_APPLICANT, &d, today, &why));
    assert_string_equal(why.code, "date_in_future");
    /* a missing earlier date, and a date of a stage not reached */
    d = dates("2024-01-10", NULL, "2025-03-01", NULL, NULL);
    assert_false(party_chain_check(&L, "1990-01-01", STAGE_CANDIDATE, &d, today, &why));
    assert_string_equal(why.code, "required");
    assert_string_equal(why.field, "activist");
    d = dates("2024-01-10", NULL, NULL, "2025-03-01", NULL);
    assert_false(party_chain_check(&L, "1990-01-01", STAGE_APPLICANT, &d, today, &why));
    assert_string_equal(why.code, "date_of_later_stage");
    /* admitted at 17: too young for 预备党员 though old enough… never: 18 is the bar */
    d = dates("2024-01-10", "2024-02-01", "2025-03-01", "2025-04-01", NULL);
    assert_false(party_chain_check(&L, "2007-05-01", STAGE_PROBATIONARY, &d, today, &why));
    assert_string_equal(why.code, "too_young");
}

static void steps(void **state)
{
    (void)state;
    party_refusal why;
    const char *today = "2026-06-15";
    party_stage_dates d = dates("2024-01-10", "2025-06-15", NULL, NULL, NULL);
    /* no stage is skipped */
    assert_false(party_step_check(&L, "1990-01-01", STAGE_ACTIVIST, STAGE_PROBATIONARY, &d, today,
                                  today, &why));
    assert_string_equal(why.code, "stage_order");
    assert_false(party_step_check(&L, "1990-01-01", STAGE_ACTIVIST, STAGE_APPLICANT, &d, today,
                                  today, &why));
    assert_string_equal(why.code, "stage_order");
    /* exactly a year as activist is enough, a day less is not */
    assert_true(party_step_check(&L, "1990-01-01", STAGE_ACTIVIST, STAGE_CANDIDATE, &d,
                                 "2026-06-15", today, &why));
    assert_false(party_step_check(&L, "1990-01-01", STAGE_ACTIVIST, STAGE_CANDIDATE, &d,
                                  "2026-06-14", today, &why));
    assert_string_equal(why.earliest, "2026-06-15");
    assert_false(party_step_check(&L, "1990-01-01", STAGE_ACTIVIST, STAGE_CANDIDATE, &d,
                                  "2026-13-01", today, &why));
    assert_string_equal(why.code, "invalid_date");
}

static void extensions(void **state)
{
    (void)state;
    party_refusal why;
    const char *today = "2026-06-15";
    party_stage_dates d = dates("2023-01-01", "2023-02-01", "2024-03-01", "2025-05-01", NULL);
    assert_true(party_extend_check(&L, STAGE_PROBATIONARY, &d, 6, "2026-05-01", today, &why));
    assert_true(party_extend_check(&L, STAGE_PROBATIONARY, &d, 12, "2026-05-01", today, &why));
    assert_false(party_extend_check(&L, STAGE_PROBATIONARY, &d, 5, "2026-05-01", today, &why));
    assert_string_equal(why.code, "extension_months");
    assert_false(party_extend_check(&L, STAGE_PROBATIONARY, &d, 13, "2026-05-01", today, &why));
    assert_false(party_extend_check(&L, STAGE_CANDIDATE, &d, 6, "2026-05-01", today, &why));
    assert_string_equal(why.code, "not_probationary");
    d.extension_months = 6; /* once only */
    assert_false(party_extend_check(&L, STAGE_PROBATIONARY, &d, 6, "2026-05-01", today, &why));
    assert_string_equal(why.code, "already_extended");
    char end[11];
    assert_true(party_probation_end(&L, &d, end));
    assert_string_equal(end, "2026-11-01");
}

/* ---- terms and the warnings ---- */

static void terms(void **state)
{
    (void)state;
    char end[11];
    assert_true(party_term_end(&L, ORG_BRANCH, false, "2023-06-18", end));
    assert_string_equal(end, "2026-06-18"); /* 支部: 3 years */
    assert_true(party_term_end(&L, ORG_GENERAL_BRANCH, false, "2023-06-18", end));
    assert_string_equal(end, "2026-06-18");
    assert_true(party_term_end(&L, ORG_COMMITTEE, false, "2023-06-18", end));
    assert_string_equal(end, "2028-06-18"); /* 基层党委: 5 years */
    assert_true(party_term_end(&L, ORG_BRANCH, true, "2023-06-18", end));
    assert_string_equal(end, "2028-06-18"); /* 村/社区: 5 years */
    char due[11];
    assert_false(party_rule_term_due(&L, ORG_BRANCH, false, "2023-06-18", NULL, "2026-06-18", due));
    assert_true(party_rule_term_due(&L, ORG_BRANCH, false, "2023-06-18", NULL, "2026-06-19", due));
    assert_string_equal(due, "2026-06-18");
    /* a recorded end wins over the computed one */
    assert_false(
        party_rule_term_due(&L, ORG_BRANCH, false, "2023-06-18", "2026-12-31", "2026-07-01", due));
    assert_false(party_rule_term_due(&L, ORG_BRANCH, false, NULL, NULL, "2026-07-01", due));
}

static void warnings(void **state)
{
    (void)state;
    /* ≥ 3 formal members and no own branch */
    assert_false(party_rule_unit_needs_branch(&L, 2, false));
    assert_true(party_rule_unit_needs_branch(&L, 3, false));
    assert_false(party_rule_unit_needs_branch(&L, 9, true));
    /* a joint branch covers at most 5 units */
    assert_false(party_rule_joint_over(&L, SETTING_JOINT, 5));
    assert_true(party_rule_joint_over(&L, SETTING_JOINT, 6));
    assert_false(party_rule_joint_over(&L, SETTING_SINGLE, 6));
    /* > 50 members: a 总支; ≥ 100: a 党委 */
    assert_int_equal(party_rule_size(&L, ORG_BRANCH, 50), -1);
    assert_int_equal(party_rule_size(&L, ORG_BRANCH, 51), RULE_BRANCH_TOO_LARGE);
    assert_int_equal(party_rule_size(&L, ORG_JOINT_BRANCH, 51), RULE_BRANCH_TOO_LARGE);
    assert_int_equal(party_rule_size(&L, ORG_BRANCH, 100), RULE_NEEDS_COMMITTEE);
    assert_int_equal(party_rule_size(&L, ORG_GENERAL_BRANCH, 99), -1);
    assert_int_equal(party_rule_size(&L, ORG_GENERAL_BRANCH, 100), RULE_NEEDS_COMMITTEE);
    assert_int_equal(party_rule_size(&L, ORG_COMMITTEE, 500), -1);
    /* ≥ 7 formal members need a 支委会 of 3–5 (at most 7) */
    assert_false(party_rule_committee(&L, ORG_BRANCH, 6, 0));
    assert_true(party_rule_committee(&L, ORG_BRANCH, 7, 0));
    assert_true(party_rule_committee(&L, ORG_BRANCH, 7, 2));
    assert_false(party_rule_committee(&L, ORG_BRANCH, 7, 3));
    assert_false(party_rule_committee(&L, ORG_BRANCH, 40, 7));
    assert_true(party_rule_committee(&L, ORG_BRANCH, 40, 8));
    assert_false(party_rule_committee(&L, ORG_COMMITTEE, 40, 0));
    /* probation: overdue the day after it ends */
    party_stage_dates d = dates("2023-01-01", "2023-02-01", "2024-03-01", "2025-05-01", NULL);
    char due[11];
    assert_false(party_rule_probation_overdue(&L, &d, "2026-05-01", due));
    assert_true(party_rule_probation_overdue(&L, &d, "2026-05-02", due));
    assert_string_equal(due, "2026-05-01");
    d.extension_months = 6;
    assert_false(party_rule_probation_overdue(&L, &d, "2026-05-02", due));
    /* no members, no organization, no plan */
    assert_true(party_rule_unit_unplanned(0, false, false));
    assert_false(party_rule_unit_unplanned(1, false, false));
    assert_false(party_rule_unit_unplanned(0, true, false));
    assert_false(party_rule_unit_unplanned(0, false, true));
    /* every rule names a source */
    for (int r = 0; r < RULE__MAX; r++) {
        assert_non_null(party_rules[r].source);
        assert_true(strlen(party_rules[r].source) > 6);
    }
}

static void configured_thresholds(void **state)
{
    (void)state;
    party_limits l = L;
    l.joint_max_units = 3;
    l.branch_min_formal = 5;
    l.activist_months = 6;
    assert_true(party_rule_joint_over(&l, SETTING_JOINT, 4));
    assert_false(party_rule_unit_needs_branch(&l, 4, false));
    party_refusal why;
    party_stage_dates d = dates("2025-01-10", "2025-12-15", NULL, NULL, NULL);
    assert_true(party_step_check(&l, "1990-01-01", STAGE_ACTIVIST, STAGE_CANDIDATE, &d,
                                 "2026-06-15", "2026-06-15", &why));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dues_bands),
        cmocka_unit_test(dues_fixed),
        cmocka_unit_test(dues_configured),
        cmocka_unit_test(add_months),
        cmocka_unit_test(ages),
        cmocka_unit_test(chain_ok),
        cmocka_unit_test(chain_refusals),
        cmocka_unit_test(steps),
        cmocka_unit_test(extensions),
        cmocka_unit_test(terms),
        cmocka_unit_test(warnings),
        cmocka_unit_test(configured_thresholds),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
