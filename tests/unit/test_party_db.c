/* test_party_db.c — the party domain on a real database (SQLite, and PostgreSQL when
 * JICENG_TEST_PG_URI is set): coverage now and for a past day rebuilt from the audit log, the
 * warnings computed from records, all-or-nothing writes, and the import that writes every row or
 * none. */
#include "dbfixture.h"

#include "../../src/app.h"
#include "../../src/party/party.h"

#define DAY(y, m, d) (jc_days_from_civil(y, m, d) * 86400 - JC_TZ_OFFSET + 10 * 3600)

static void world(dbfx *f)
{
    assert_int_equal(dbfx_migrate_kernel(f), JC_OK);
    assert_int_equal(store_migrate(f->db, "party", party_migrations, party_nmigrations), JC_OK);
    app_register_config();
    static const char *const codes[] = {"410100", "410105", "410105008000", "410105008001",
                                        "410105008002"};
    for (size_t i = 0; i < JC_NELEM(codes); i++) {
        area_rec a = {0};
        snprintf(a.code, sizeof a.code, "%s", codes[i]);
        a.kind = "区域";
        a.name = codes[i];
        assert_int_equal(area_create(&f->c, &a), JC_OK);
    }
}

static int64_t unit(dbfx *f, const char *name, const char *area)
{
    static int n;
    char code[19];
    snprintf(code, sizeof code, "91410105MA44B%04d", n++ % 10000);
    code[17] = credit_code_check_char(code);
    code[18] = '\0';
    party_unit u = {0};
    u.area_code = area;
    u.name = name;
    u.credit_code = arena_strdup(f->c.a, code);
    u.kind = "economic";
    u.category = "网络科技";
    u.status = "operating";
    int64_t id;
    int rc = party_unit_create(&f->c, &u, &id);
    if (rc) fail_msg("unit %s: %s", name, f->c.err.en ? f->c.err.en : jc_strerror(rc));
    return id;
}

static int64_t org(dbfx *f, const char *name, const char *setting, const int64_t *units, int n,
                   const char *established)
{
    party_org o = {0};
    o.area_code = "410105008000";
    o.name = name;
    o.kind = strcmp(setting, "joint") == 0 ? "joint_branch" : "branch";
    o.setting = setting;
    o.status = "established";
    o.established_on = established;
    int64_t id;
    int rc = party_org_create(&f->c, &o, units, n, NULL, &id);
    if (rc) fail_msg("org %s: %s", name, f->c.err.en ? f->c.err.en : jc_strerror(rc));
    return id;
}

static party_filter street(void)
{
    party_filter p = {.covered = true};
    snprintf(p.lo, sizeof p.lo, "410105008");
    snprintf(p.hi, sizeof p.hi, "410105008:");
    return p;
}

static int64_t get_int(json_t *o, const char *a, const char *b)
{
    json_t *x = json_object_get(o, a);
    return json_integer_value(b ? json_object_get(x, b) : x);
}

static void coverage_time_travel(void **state)
{
    dbfx *f = dbfx_get(state);
    world(f);
    /* day 1: three units; day 2: A sets up its own branch; day 3: B and C a joint one */
    f->c.now = DAY(2026, 3, 1);
    int64_t a = unit(f, "甲", "410105008001"), b = unit(f, "乙", "410105008001"),
            c = unit(f, "丙", "410105008002");
    f->c.now = DAY(2026, 4, 1);
    org(f, "甲党支部", "single", &a, 1, "2026-04-01");
    f->c.now = DAY(2026, 5, 1);
    int64_t bc[2] = {b, c};
    org(f, "乙丙联合党支部", "joint", bc, 2, "2026-05-01");
    f->c.now = DAY(2026, 6, 15);
    party_filter p = street();
    json_t *now, *then, *before, *today;
    assert_int_equal(party_coverage_json(&f->c, &p, "410105008000", NULL, &now), JC_OK);
    assert_int_equal(get_int(now, "units", "operating"), 3);
    assert_int_equal(get_int(now, "units", "own"), 1);
    assert_int_equal(get_int(now, "units", "joint"), 2);
    assert_true(json_real_value(json_object_get(now, "coverage_rate")) == 100.0);
    assert_true(json_real_value(json_object_get(now, "own_rate")) == 33.3);
    assert_int_equal(get_int(now, "orgs", "established_this_year"), 2);
    /* the end of 15 April: only A was covered */
    assert_int_equal(party_coverage_json(&f->c, &p, "410105008000", "2026-04-15", &then), JC_OK);
    assert_string_equal(json_string_value(json_object_get(then, "source")), "audit");
    assert_int_equal(get_int(then, "units", "own"), 1);
    assert_int_equal(get_int(then, "units", "joint"), 0);
    assert_int_equal(get_int(then, "orgs", "established"), 1);
    /* before anything was registered */
    assert_int_equal(party_coverage_json(&f->c, &p, NULL, "2026-02-28", &before), JC_OK);
    assert_int_equal(get_int(before, "units", "total"), 0);
    /* today from the audit equals today from the tables */
    assert_int_equal(party_coverage_json(&f->c, &p, "410105008000", "2026-06-15", &today), JC_OK);
    assert_true(json_equal(json_object_get(now, "units"), json_object_get(today, "units")));
    assert_true(json_equal(json_object_get(now, "orgs"), json_object_get(today, "orgs")));
    /* one community only: C is in 410105008002 */
    party_filter one = {.covered = true};
    snprintf(one.lo, sizeof one.lo, "410105008001");
    snprintf(one.hi, sizeof one.hi, "410105008001:");
    json_t *part;
    assert_int_equal(party_coverage_json(&f->c, &one, NULL, "2026-06-15", &part), JC_OK);
    assert_int_equal(get_int(part, "units", "operating"), 2);
    assert_int_equal(get_int(part, "units", "joint"), 1);
    /* a future day is refused */
    assert_int_equal(party_coverage_json(&f->c, &p, NULL, "2026-06-16", &part), JC_EINVAL);
}

static int64_t count_of(dbfx *f, const char *sql)
{
    return dbfx_scalar(f, sql);
}

static void joint_over_limit_writes_nothing(void **state)
{
    dbfx *f = dbfx_get(state);
    world(f);
    f->c.now = DAY(2026, 6, 1);
    int64_t ids[6];
    static const char *const names[] = {"一", "二", "三", "四", "五", "六"};
    for (int i = 0; i < 6; i++) ids[i] = unit(f, names[i], "410105008001");
    int64_t orgs0 = count_of(f, "SELECT count(*) FROM party_orgs");
    int64_t audit0 = count_of(f, "SELECT count(*) FROM audit");
    party_org o = {0};
    o.area_code = "410105008000";
    o.name = "六户联合党支部";
    o.kind = "joint_branch";
    o.setting = "joint";
    o.status = "established";
    o.established_on = "2026-05-20";
    int64_t id = 0;
    assert_int_equal(party_org_create(&f->c, &o, ids, 6, NULL, &id), JC_EUNPROC);
    assert_string_equal(f->c.err.code, "joint_over_limit");
    assert_int_equal(count_of(f, "SELECT count(*) FROM party_orgs"), orgs0);
    assert_int_equal(count_of(f, "SELECT count(*) FROM party_org_units"), 0);
    assert_int_equal(count_of(f, "SELECT count(*) FROM audit"), audit0);
    /* with the reason given it is set up, and listed among the warnings */
    f->c.err = (jc_err){0};
    assert_int_equal(party_org_create(&f->c, &o, ids, 6, "同一商会统一管理", &id), JC_OK);
    assert_int_equal(count_of(f, "SELECT count(*) FROM party_org_units"), 6);
    party_filter p = street();
    json_t *w;
    assert_int_equal(party_warnings(&f->c, &p, "joint_over_limit", &w), JC_OK);
    assert_int_equal(json_array_size(json_object_get(w, "items")), 1);
    assert_int_equal(get_int(json_array_get(json_object_get(w, "items"), 0), "id", NULL), id);
    /* a unit is covered by one organization only */
    party_org o2 = o;
    o2.name = "另一个";
    o2.status = "incubating";
    o2.established_on = NULL;
    int64_t two[2] = {ids[0], ids[1]};
    assert_int_equal(party_org_create(&f->c, &o2, two, 2, NULL, &id), JC_ECONFLICT);
    assert_string_equal(f->c.err.code, "unit_taken");
}

static void warnings_from_records(void **state)
{
    dbfx *f = dbfx_get(state);
    world(f);
    f->c.now = DAY(2026, 6, 1);
    int64_t empty = unit(f, "空壳", "410105008001");
    int64_t shop = unit(f, "小店", "410105008001");
    int64_t host = unit(f, "大楼", "410105008002");
    int64_t br = org(f, "大楼党支部", "single", &host, 1, "2020-01-01");
    /* three formal members work at the shop but belong to the building's branch */
    static const char *const cids[] = {"410104199001011237", "410104199001011245",
                                       "410104200002290050"};
    for (int i = 0; i < 3; i++) {
        party_member m = {0};
        m.name = "党员";
        m.citizen_id = cids[i];
        m.unit_id = shop;
        m.org_id = br;
        m.stage = "full";
        m.dates = (party_stage_dates){
            {"2019-01-01", "2019-03-01", "2020-04-01", "2020-06-01", "2021-06-02"}, 0};
        int64_t id;
        int rc = party_member_create(&f->c, &m, NULL, &id);
        if (rc) fail_msg("member: %s", f->c.err.en);
    }
    party_filter p = street();
    json_t *w;
    assert_int_equal(party_warnings(&f->c, &p, NULL, &w), JC_OK);
    json_t *counts = json_object_get(w, "counts");
    assert_int_equal(get_int(counts, "unit_needs_branch", NULL), 1);
    assert_int_equal(get_int(counts, "unit_unplanned", NULL), 1); /* the empty one */
    assert_int_equal(get_int(counts, "term_due", NULL), 1);       /* 2020 + 3 years */
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(w, "items"), i, item)
    {
        const char *rule = json_string_value(json_object_get(item, "rule"));
        if (strcmp(rule, "unit_needs_branch") == 0)
            assert_int_equal(get_int(item, "id", NULL), shop);
        if (strcmp(rule, "unit_unplanned") == 0) assert_int_equal(get_int(item, "id", NULL), empty);
        assert_non_null(json_string_value(json_object_get(item, "source")));
    }
    /* an incubation plan takes the empty unit off the list */
    assert_int_equal(
        party_plan_set(&f->c, empty, 0, "hire", NULL, false, "招聘党员", NULL, false, NULL), JC_OK);
    assert_int_equal(party_warnings(&f->c, &p, "unit_unplanned", &w), JC_OK);
    assert_int_equal(json_array_size(json_object_get(w, "items")), 0);
}

static void import_all_or_nothing(void **state)
{
    dbfx *f = dbfx_get(state);
    world(f);
    f->c.now = DAY(2026, 6, 1);
    char good1[19], good2[19];
    memcpy(good1, "91410105MA44C0001", 17);
    good1[17] = credit_code_check_char(good1);
    good1[18] = '\0';
    memcpy(good2, "91410105MA44C0002", 17);
    good2[17] = credit_code_check_char(good2);
    good2[18] = '\0';
    char csv[1024];
    snprintf(csv, sizeof csv,
             "\xEF\xBB\xBF名称,统一社会信用代码,组织类型,行业类别,所属区域\r\n"
             "一号公司,%s,新经济组织,网络科技,410105008001\r\n"
             "二号公司,%s,新经济组织,没有这个类别,410105008001\r\n",
             good1, good2);
    json_t *rep;
    int64_t audit0 = count_of(f, "SELECT count(*) FROM audit");
    assert_int_equal(party_import_units(&f->c, csv, strlen(csv), false, &rep), JC_EUNPROC);
    assert_string_equal(f->c.err.code, "import_invalid");
    assert_int_equal(get_int(rep, "rows", NULL), 2);
    assert_int_equal(get_int(rep, "invalid", NULL), 1);
    json_t *e = json_array_get(json_object_get(rep, "errors"), 0);
    assert_int_equal(get_int(e, "row", NULL), 3);
    assert_string_equal(json_string_value(json_object_get(e, "column")), "D");
    assert_string_equal(json_string_value(json_object_get(e, "field")), "category");
    assert_int_equal(count_of(f, "SELECT count(*) FROM party_units"), 0);
    assert_int_equal(count_of(f, "SELECT count(*) FROM audit"), audit0);
    /* fixed: both rows, each with its audit record */
    snprintf(csv, sizeof csv,
             "名称,统一社会信用代码,组织类型,行业类别,所属区域\n"
             "一号公司,%s,新经济组织,网络科技,410105008001\n"
             "二号公司,%s,新社会组织,网络科技,410105008002\n",
             good1, good2);
    f->c.err = (jc_err){0};
    assert_int_equal(party_import_units(&f->c, csv, strlen(csv), false, &rep), JC_OK);
    assert_int_equal(get_int(rep, "created", NULL), 2);
    assert_int_equal(count_of(f, "SELECT count(*) FROM party_units"), 2);
    assert_int_equal(count_of(f, "SELECT count(*) FROM audit WHERE entity = 'party_unit'"), 2);
    /* again: both codes are now registered, nothing is written twice */
    assert_int_equal(party_import_units(&f->c, csv, strlen(csv), true, &rep), JC_OK);
    assert_int_equal(get_int(rep, "invalid", NULL), 2);
    assert_int_equal(count_of(f, "SELECT count(*) FROM party_units"), 2);
}

int main(void)
{
    (void)dbfx_is_pg; /* helpers of the fixture this file does not need */
    (void)dbfx_exec;
    const struct CMUnitTest tests[] = {
        DBFX_BOTH(coverage_time_travel),
        DBFX_BOTH(joint_over_limit_writes_nothing),
        DBFX_BOTH(warnings_from_records),
        DBFX_BOTH(import_all_or_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
