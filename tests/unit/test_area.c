/* test_area.c — area codes: levels, prefixes, parents, subtree tests and the grants that scope
 * what a user sees (no database). Codes are the demo world's real ones (DOMAIN.md). */
#include "unit.h"

static void levels(void **state)
{
    (void)state;
    assert_int_equal(area_code_level("410000"), AREA_PROVINCE);       /* 河南省 */
    assert_int_equal(area_code_level("410100"), AREA_CITY);           /* 郑州市 */
    assert_int_equal(area_code_level("410104"), AREA_COUNTY);         /* 管城回族区 */
    assert_int_equal(area_code_level("410181"), AREA_COUNTY);         /* 巩义市, county-level */
    assert_int_equal(area_code_level("410104007000"), AREA_TOWNSHIP); /* 陇海马路街道 */
    assert_int_equal(area_code_level("410181110000"), AREA_TOWNSHIP); /* 北山口镇 */
    assert_int_equal(area_code_level("410104007001"), AREA_VILLAGE);  /* a community */
    assert_int_equal(area_code_level("410104007001001"), AREA_GRID);  /* a grid in it */
    /* 东莞市 has no counties: its towns sit directly under the city, county part 00 */
    assert_int_equal(area_code_level("441900003000"), AREA_TOWNSHIP);
    assert_string_equal(area_level_zh(AREA_TOWNSHIP), "街道/镇");
    assert_string_equal(area_level_en(AREA_GRID), "grid");
    assert_string_equal(area_level_en(0), "");
    assert_string_equal(area_level_zh(7), "");
}

static void invalid_codes(void **state)
{
    (void)state;
    const char *bad[] = {"410104000001",    /* a village with no township (000) */
                         "000000",          /* no province */
                         "001234",          /* no province either */
                         "410000007000",    /* township with no county */
                         "41010",           /* 5 digits */
                         "4101040",         /* 7 */
                         "41010400700",     /* 11 */
                         "4101040070010",   /* 13 */
                         "410104007001000", /* grid number 000 */
                         "410104007000001", /* a grid directly under a township */
                         "41010A",          /* letters */
                         "41O104",          /* letter O for zero */
                         "410104007001001001",
                         " 410104",
                         "410104 ",
                         "-41010",
                         ""};
    for (size_t i = 0; i < JC_NELEM(bad); i++)
        if (area_code_level(bad[i])) fail_msg("'%s' accepted as an area code", bad[i]);
    assert_int_equal(area_code_level(NULL), 0);
    char out[16];
    assert_false(area_code_prefix("410104000001", out));
    assert_false(area_code_parent("41010A", out));
    jc_grant g;
    assert_false(area_grant_make("000000", &g));
}

static void check_prefix(const char *code, const char *want)
{
    char p[16] = "";
    assert_true(area_code_prefix(code, p));
    assert_string_equal(p, want);
}

static void prefixes(void **state)
{
    (void)state;
    check_prefix("410000", "41");
    check_prefix("410100", "4101");
    check_prefix("410104", "410104");
    check_prefix("410181", "410181");
    check_prefix("410104007000", "410104007");
    check_prefix("410104007001", "410104007001");
    check_prefix("410104007001001", "410104007001001");
}

static void check_parent(const char *code, const char *want)
{
    char p[16] = "";
    assert_true(area_code_parent(code, p));
    assert_string_equal(p, want);
    /* the parent is a real code one level up */
    assert_int_equal(area_code_level(p), area_code_level(code) - 1);
}

static void parents(void **state)
{
    (void)state;
    check_parent("410100", "410000");
    check_parent("410104", "410100");
    check_parent("410181", "410100");
    check_parent("410104007000", "410104");
    check_parent("410104007001", "410104007000");
    check_parent("410104007001001", "410104007001");
    char p[16];
    assert_true(area_code_parent("441900003000", p)); /* 莞城街道 → 东莞市 itself */
    assert_string_equal(p, "441900");
    assert_false(area_code_parent("410000", p)); /* a province is a root */
    /* walking up from a grid reaches the province in five steps */
    char cur[16] = "410104007001001";
    int steps = 0;
    while (area_code_parent(cur, p)) {
        memcpy(cur, p, sizeof cur);
        steps++;
    }
    assert_int_equal(steps, 5);
    assert_string_equal(cur, "410000");
}

static void within(void **state)
{
    (void)state;
    assert_true(area_code_within("410104007001001", "410104007000"));
    assert_true(area_code_within("410104007001", "410104"));
    assert_true(area_code_within("410104", "410100"));
    assert_true(area_code_within("410181110000", "410100")); /* 北山口镇 in 郑州市 */
    assert_true(area_code_within("410104", "410104"));       /* an area is within itself */
    assert_true(area_code_within("410105008000", "410000"));
    assert_false(area_code_within("410105008000", "410104")); /* 文化路街道 is in 金水区 */
    assert_false(area_code_within("410104", "410104007000")); /* a parent is not within */
    assert_false(area_code_within("410100", "410104"));
    assert_false(area_code_within("410104008000", "410104007000"));
    assert_false(area_code_within("410104007002", "410104007001"));
    assert_false(area_code_within("4101040070", "410104"));    /* not a code */
    assert_false(area_code_within("410104007001", "4101040")); /* ancestor not a code */
    assert_false(area_code_within("420104", "410000"));
}

static jc_user user_with(jc_grant *g, const char *const *codes, int n)
{
    for (int i = 0; i < n; i++) assert_true(area_grant_make(codes[i], &g[i]));
    jc_user u = {
        .id = 7, .username = "grid", .roles = RB(ROLE_GRID_WORKER), .ngrants = n, .grants = g};
    return u;
}

static void visible(void **state)
{
    (void)state;
    jc_grant g[2];
    static const char *const codes[] = {"410104007000", "410181110000"};
    jc_user u = user_with(g, codes, 2);
    assert_true(area_visible(&u, "410104007000"));
    assert_true(area_visible(&u, "410104007001"));
    assert_true(area_visible(&u, "410104007001001"));
    assert_true(area_visible(&u, "410181110203"));
    assert_false(area_visible(&u, "410104"));       /* the district above is not granted */
    assert_false(area_visible(&u, "410104008000")); /* a neighbouring sub-district */
    assert_false(area_visible(&u, "410105008000"));
    assert_false(area_visible(&u, "410100"));
    assert_false(area_visible(&u, NULL));
    assert_false(area_visible(NULL, "410104007000"));
    jc_user none = {.id = 8, .username = "nobody"};
    assert_false(area_visible(&none, "410104007000"));
    assert_true(area_visible(&unit_system_user, "410104007000"));
    assert_true(area_visible(&unit_system_user, "999999"));
}

/* A grant is a range [prefix, end) that a database query uses; it must hold exactly the codes
 * that area_code_within() says are inside. */
static void grant_ranges(void **state)
{
    (void)state;
    static const char *const ancestors[] = {
        "410000", "410100", "410104", "410181", "410104007000", "410104007001", "410104007001001"};
    static const char *const codes[] = {
        "410000",          "410100",          "410104",       "410105",
        "410181",          "410199",          "420100",       "410104007000",
        "410104007001",    "410104007099",    "410104008000", "410104007001001",
        "410104007001002", "410104007002001", "410181110000", "410181110201"};
    for (size_t i = 0; i < JC_NELEM(ancestors); i++) {
        jc_grant g;
        assert_true(area_grant_make(ancestors[i], &g));
        assert_string_equal(g.code, ancestors[i]);
        for (size_t k = 0; k < JC_NELEM(codes); k++) {
            bool in_range = strcmp(codes[k], g.prefix) >= 0 && strcmp(codes[k], g.end) < 0;
            if (in_range != area_code_within(codes[k], ancestors[i]))
                fail_msg("%s in [%s, %s) = %d but within(%s) = %d", codes[k], g.prefix, g.end,
                         in_range, ancestors[i], !in_range);
        }
    }
    jc_grant g;
    assert_true(area_grant_make("410104007000", &g));
    assert_string_equal(g.prefix, "410104007");
    assert_string_equal(g.end, "410104007:");
}

static void filter(void **state)
{
    (void)state;
    jc_grant g[1];
    static const char *const codes[] = {"410104007000"};
    jc_user u = user_with(g, codes, 1);
    jc_ctx c;
    unit_ctx_init(&c, NULL, &u, 0);
    char lo[16], hi[17];
    bool covered = false;
    /* one grant: no filter means that grant's subtree, wholly visible */
    assert_int_equal(area_filter(&c, NULL, lo, hi, &covered), JC_OK);
    assert_string_equal(lo, "410104007");
    assert_string_equal(hi, "410104007:");
    assert_true(covered);
    assert_int_equal(area_filter(&c, "410104007001", lo, hi, &covered), JC_OK);
    assert_string_equal(lo, "410104007001");
    assert_string_equal(hi, "410104007001:");
    assert_true(covered);
    assert_int_equal(area_filter(&c, "410104", lo, hi, &covered), JC_EPERM);
    assert_string_equal(c.err.code, "area_forbidden");
    assert_non_null(strstr(c.err.en, "410104"));
    assert_int_equal(area_filter(&c, "4101", lo, hi, &covered), JC_EINVAL);
    assert_string_equal(c.err.field, "area");
    assert_int_equal(area_check(&c, "410105008000", "area"), JC_EPERM);
    assert_int_equal(area_check(&c, "410104007001001", "area"), JC_OK);
    unit_ctx_done(&c);

    /* two grants and no filter: every code, and each row must be checked against the grants */
    jc_grant g2[2];
    static const char *const two[] = {"410104007001001", "410104007001002"};
    jc_user u2 = user_with(g2, two, 2);
    unit_ctx_init(&c, NULL, &u2, 0);
    assert_int_equal(area_filter(&c, NULL, lo, hi, &covered), JC_OK);
    assert_string_equal(lo, "");
    assert_string_equal(hi, "~");
    assert_false(covered);
    assert_int_equal(area_filter(&c, "410104007001002", lo, hi, &covered), JC_OK);
    assert_true(covered);
    unit_ctx_done(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(levels),       cmocka_unit_test(invalid_codes), cmocka_unit_test(prefixes),
        cmocka_unit_test(parents),      cmocka_unit_test(within),        cmocka_unit_test(visible),
        cmocka_unit_test(grant_ranges), cmocka_unit_test(filter),
    };
    return cmocka_run_group_tests_name("area", tests, NULL, NULL);
}
