/* test_poverty.c — the rules of the poverty module on a real database: the status lifecycle and
 * its 公示, citizen IDs against sex and birth date, each type of change request applied to the
 * registry (and a rejected one never), the campaign's report sentence, and payments that may not
 * overdraw. SQLite always; PostgreSQL when JICENG_TEST_PG_URI is set (see dbfixture.h). The
 * clock is DBFX_NOW: 2026-06-15 in Shanghai. */
#include "dbfixture.h"

#include "../../src/poverty/poverty.h"

#define TOWN    "410181110000"
#define VILLAGE "410181110201"

static char *cid(jc_ctx *c, const char *birth, int seq)
{
    char first[18];
    snprintf(first, sizeof first, "410181%.4s%.2s%.2s%03d", birth, birth + 5, birth + 8, seq);
    return arena_printf(c->a, "%s%c", first, citizen_id_check_char(first));
}

/* The kernel's and the module's tables, the configuration, and 北山口镇 with one village. */
static void world(dbfx *f)
{
    static bool registered;
    if (!registered) {
        config_register(kernel_config, kernel_nconfig);
        config_register(poverty_config, PV_NCONFIG);
        registered = true;
    }
    assert_int_equal(dbfx_migrate_kernel(f), JC_OK);
    assert_int_equal(store_migrate(f->db, "poverty", poverty_migrations, poverty_nmigrations),
                     JC_OK);
    static const char *const codes[][3] = {{"410100", "地级市", "郑州市"},
                                           {"410181", "县级市", "巩义市"},
                                           {TOWN, "镇", "北山口镇"},
                                           {VILLAGE, "村", "北山口村"}};
    for (size_t i = 0; i < JC_NELEM(codes); i++) {
        area_rec a = {0};
        snprintf(a.code, sizeof a.code, "%s", codes[i][0]);
        a.kind = codes[i][1];
        a.name = codes[i][2];
        if (area_create(&f->c, &a)) fail_msg("area %s: %s", codes[i][0], f->c.err.en);
    }
}

static void expect(jc_ctx *c, int rc, int want, const char *code, const char *field)
{
    if (rc != want)
        fail_msg("rc %s (%s: %s), expected %s", jc_strerror(rc), c->err.code ? c->err.code : "-",
                 c->err.en ? c->err.en : "-", jc_strerror(want));
    if (code) assert_string_equal(c->err.code, code);
    if (field) assert_string_equal(c->err.field, field);
    c->err = (jc_err){0};
}

static int64_t household(jc_ctx *c, const char *tag, int n, int seq0)
{
    pv_person_in ps[4] = {
        {"王建国", cid(c, "1960-03-04", seq0 + 1), "户主", NULL, NULL, 0},
        {"李秀英", cid(c, "1962-05-06", seq0 + 2), "配偶", NULL, NULL, 0},
        {"王小军", cid(c, "1988-07-08", seq0 + 3), "子", NULL, NULL, 0},
        {"张桂兰", cid(c, "1935-09-10", seq0 + 4), "母亲", NULL, NULL, 0},
    };
    const char *tags[] = {tag};
    pv_household_in in = {.area_code = VILLAGE,
                          .address = "一组",
                          .tags = tags,
                          .ntags = tag ? 1 : 0,
                          .effective_date = "2026-01-01",
                          .persons = ps,
                          .npersons = n};
    int64_t id = 0;
    int rc = pv_household_create(c, &in, &id);
    if (rc) fail_msg("household: %s", c->err.en);
    return id;
}

static int64_t version_of(jc_ctx *c, int64_t id)
{
    pv_household h;
    assert_int_equal(db_pv_household_get(c, id, &h), JC_OK);
    return h.version;
}

static const char *status_of(jc_ctx *c, int64_t id)
{
    pv_household h;
    assert_int_equal(db_pv_household_get(c, id, &h), JC_OK);
    return h.status;
}

static void step(jc_ctx *c, int64_t id, const char *status, const char *kind, const char *notice,
                 const char *date)
{
    int64_t nid;
    if (notice)
        assert_int_equal(pv_notice_start(c, id, 0, status, kind, notice, 7, "", &nid), JC_OK);
    int rc = pv_status_change(c, id, version_of(c, id), status, kind, date, "测试");
    if (rc) fail_msg("%s → %s: %s", status_of(c, id), status, c->err.en);
}

/* ---- no database ---- */

static void lifecycle_table(void **state)
{
    (void)state;
    assert_true(pv_transition_allowed("none", "poor"));
    assert_true(pv_transition_allowed("poor", "exited"));
    assert_true(pv_transition_allowed("exited", "stable"));
    assert_true(pv_transition_allowed("stable", "returned"));
    assert_true(pv_transition_allowed("exited", "monitored"));
    assert_true(pv_transition_allowed("monitored", "none"));
    assert_false(pv_transition_allowed("none", "exited")); /* no exit without entry */
    assert_false(pv_transition_allowed("poor", "stable")); /* exited first */
    assert_false(pv_transition_allowed("stable", "poor")); /* a rollback is a correction */
    assert_false(pv_transition_allowed("exited", "none")); /* 错评 is a correction */
    assert_string_equal(pv_kind_zh("poor", "dibao"), "低保贫困户");
    assert_string_equal(pv_kind_zh("monitored", "sudden"), "突发严重困难户");
    assert_null(pv_kind_zh("poor", ""));        /* poor needs its kind */
    assert_null(pv_kind_zh("exited", "dibao")); /* exited has none */
    assert_string_equal(pv_kind_zh("exited", ""), "");
    assert_int_equal(pv_change_type_from_code("wrong_exit"), PV_CH_WRONG_EXIT);
    assert_string_equal(pv_change_types[PV_CH_WRONG_EXIT].zh, "标注稳定脱贫错误需回退");
    assert_false(pv_change_types[PV_CH_DECREASE].count_households); /* "M人" */
    assert_true(pv_change_types[PV_CH_NEW].count_households);       /* "N户M人" */
}

/* ---- with a database ---- */

static void person_rules(void **state)
{
    dbfx *f = dbfx_get(state);
    world(f);
    jc_ctx *c = &f->c;
    char *id = cid(c, "1970-02-03", 15); /* odd: male */
    pv_person_in p = {"赵一", id, "户主", NULL, NULL, 0};
    assert_int_equal(pv_person_check(c, &p, "p."), JC_OK);
    assert_int_equal(p.sex, 1);
    assert_string_equal(p.birth_date, "1970-02-03");
    char *bad = arena_strdup(c->a, id);
    bad[17] = bad[17] == '1' ? '2' : '1';
    pv_person_in q = {"赵一", bad, "户主", NULL, NULL, 0};
    expect(c, pv_person_check(c, &q, "p."), JC_EINVAL, "invalid_field", "p.citizen_id");
    pv_person_in r = {"赵一", id, "户主", NULL, "1970-02-04", 0};
    expect(c, pv_person_check(c, &r, "p."), JC_EINVAL, "invalid_field", "p.birth_date");
    pv_person_in s = {"赵一", id, "户主", NULL, NULL, 2};
    expect(c, pv_person_check(c, &s, "p."), JC_EINVAL, "invalid_field", "p.sex");
    pv_person_in t = {"赵一", id, "邻居", NULL, NULL, 0};
    expect(c, pv_person_check(c, &t, "p."), JC_EINVAL, "invalid_field", "p.relation");
    char *lower = arena_strdup(c->a, cid(c, "1970-02-03", 16));
    pv_person_in u = {"赵二", lower, "配偶", "+8613912345678", NULL, 0};
    assert_int_equal(pv_person_check(c, &u, NULL), JC_OK);
    assert_string_equal(u.phone, "13912345678");
    /* a person is in one household at a time */
    int64_t h = household(c, NULL, 2, 100);
    pv_household hh;
    assert_int_equal(db_pv_household_get(c, h, &hh), JC_OK);
    pv_person_in again = {"王建国", cid(c, "1960-03-04", 101), "户主", NULL, NULL, 0};
    pv_household_in in = {.area_code = VILLAGE, .persons = &again, .npersons = 1};
    int64_t other;
    expect(c, pv_household_create(c, &in, &other), JC_ECONFLICT, "duplicate",
           "persons[0].citizen_id");
    assert_int_equal(dbfx_scalar(f, "SELECT count(*) FROM pv_households"), 1);
}

static void status_and_notice(void **state)
{
    dbfx *f = dbfx_get(state);
    world(f);
    jc_ctx *c = &f->c;
    int64_t h = household(c, "低保户", 2, 200);
    /* entry needs a notice */
    expect(c, pv_status_change(c, h, version_of(c, h), "poor", "general", NULL, "识别"), JC_EUNPROC,
           "notice_required", "status");
    /* during it: refused with the day it may proceed */
    int64_t nid;
    assert_int_equal(pv_notice_start(c, h, 0, "poor", "general", "2026-06-12", 7, "", &nid), JC_OK);
    int rc = pv_status_change(c, h, version_of(c, h), "poor", "general", NULL, "识别");
    assert_int_equal(rc, JC_ECONFLICT);
    assert_string_equal(c->err.code, "notice_running");
    assert_string_equal(json_string_value(json_object_get(c->err.extra, "may_proceed_on")),
                        "2026-06-19");
    c->err = (jc_err){0};
    assert_string_equal(status_of(c, h), "none");
    /* a notice that has ended */
    int64_t h2 = household(c, "低保户", 1, 210);
    step(c, h2, "poor", "general", "2026-06-01", "2026-06-10");
    pv_household got;
    assert_int_equal(db_pv_household_get(c, h2, &got), JC_OK);
    assert_string_equal(got.status, "poor");
    assert_string_equal(got.status_since, "2026-06-10");
    assert_int_equal(dbfx_scalar(f, "SELECT count(*) FROM pv_notices WHERE outcome = 'used'"), 1);
    /* an attribute change needs none; an illegal step and a date before the last are refused */
    step(c, h2, "poor", "dibao", NULL, "2026-06-11");
    expect(c, pv_status_change(c, h2, version_of(c, h2), "stable", "", NULL, "x"), JC_ECONFLICT,
           "invalid_transition", "status");
    expect(c, pv_status_change(c, h2, version_of(c, h2), "poor", "wubao", "2026-06-05", "x"),
           JC_EUNPROC, "invalid_date", "effective_date");
    expect(c, pv_status_change(c, h2, version_of(c, h2) - 1, "poor", "wubao", NULL, "x"), JC_ESTALE,
           "stale_version", "version");
    /* the history: appended in order, each row in the transaction with its audit record */
    assert_int_equal(dbfx_scalar(f, "SELECT count(*) FROM pv_status_history"), 4);
    assert_int_equal(dbfx_scalar(f, "SELECT count(*) FROM audit WHERE entity = 'pv_household'"
                                    " AND action = 'status'"),
                     2);
    /* counts on any past day */
    json_t *s;
    assert_int_equal(pv_stats(c, VILLAGE, "2026-06-09", &s), JC_OK);
    json_t *v = json_array_get(json_object_get(s, "villages"), 0);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(v, "households"), "none")),
                     2);
    assert_int_equal(pv_stats(c, VILLAGE, "2026-06-15", &s), JC_OK);
    v = json_array_get(json_object_get(s, "villages"), 0);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(v, "households"), "poor")),
                     1);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(v, "persons"), "poor")), 1);
}

static int64_t change(jc_ctx *c, int64_t review, int64_t household, const char *type,
                      json_t *payload)
{
    pv_change_in in = {.review_id = review,
                       .household_id = household,
                       .type = type,
                       .payload = jc_own(c, payload),
                       .description = "测试"};
    int64_t id = 0;
    int rc = pv_change_create(c, &in, &id);
    if (rc) fail_msg("%s: %s (%s)", type, c->err.en, c->err.field ? c->err.field : "-");
    return id;
}

static int move(jc_ctx *c, int64_t id, const char *action, const char *reason)
{
    pv_change ch;
    assert_int_equal(db_pv_change_get(c, id, &ch), JC_OK);
    return pv_change_transition(c, id, ch.version, action, reason);
}

static void through(jc_ctx *c, int64_t id)
{
    assert_int_equal(move(c, id, "submit", NULL), JC_OK);
    assert_int_equal(move(c, id, "approve", NULL), JC_OK);
    int rc = move(c, id, "apply", NULL);
    if (rc) fail_msg("apply %lld: %s", (long long)id, c->err.en);
}

static void each_change_type(void **state)
{
    dbfx *f = dbfx_get(state);
    world(f);
    jc_ctx *c = &f->c;
    int64_t a = household(c, PV_TAG_REGISTERED, 2, 300); /* 错退 */
    int64_t b = household(c, PV_TAG_REGISTERED, 3, 310); /* 错评 */
    int64_t k = household(c, "残疾人户", 4, 320);        /* 人口自然减少 */
    int64_t d = household(c, "大病户", 1, 330);          /* 漏登 */
    step(c, a, "poor", "general", "2026-02-01", "2026-02-10");
    step(c, a, "exited", "", "2026-03-01", "2026-03-10");
    step(c, a, "stable", "", NULL, "2026-05-01");
    step(c, b, "poor", "general", "2026-02-01", "2026-02-10");
    const char *focus[] = {"key", "registered"};
    pv_review_in rin = {.area_code = TOWN,
                        .name = "回头看",
                        .start_date = "2026-06-01",
                        .end_date = "2026-06-30",
                        .focus = focus,
                        .nfocus = 2};
    int64_t review;
    assert_int_equal(pv_review_create(c, &rin, &review), JC_OK);
    json_t *sum;
    assert_int_equal(pv_review_summary(c, review, &sum), JC_OK);
    assert_string_equal(
        json_string_value(json_object_get(sum, "text")),
        "对1个行政村进行排查,对2户十类重点户和2户建档立卡贫困户重点关注。未排查出问题。");

    /* 人口自然减少: the grandmother died */
    pv_person gm;
    assert_int_equal(db_pv_person_by_cid(c, cid(c, "1935-09-10", 324), &gm), JC_OK);
    int64_t c1 = change(c, review, k, "decrease",
                        json_pack("{s:[{s:I, s:s, s:s}]}", "persons", "person_id",
                                  (json_int_t)gm.id, "reason", "deceased", "date", "2026-06-01"));
    /* 漏登: a son */
    int64_t c2 = change(c, review, d, "missed",
                        json_pack("{s:[{s:s, s:s, s:s}]}", "persons", "name", "王小二",
                                  "citizen_id", cid(c, "2001-01-01", 335), "relation", "子"));
    int64_t c3 = change(c, review, b, "wrong_assess", json_object());
    int64_t c4 = change(c, review, a, "wrong_exit", json_object());
    int64_t c5 = change(c, review, 0, "new",
                        json_pack("{s:{s:s, s:s, s:[s]}, s:[{s:s, s:s, s:s}, {s:s, s:s, s:s}], "
                                  "s:s, s:s}",
                                  "household", "area", VILLAGE, "address", "五组", "tags",
                                  PV_TAG_REGISTERED, "persons", "name", "宫一", "citizen_id",
                                  cid(c, "1970-05-05", 341), "relation", "户主", "name", "宫二",
                                  "citizen_id", cid(c, "1972-06-06", 342), "relation", "配偶",
                                  "status", "poor", "kind", "general"));
    assert_int_equal(pv_review_summary(c, review, &sum), JC_OK);
    assert_string_equal(
        json_string_value(json_object_get(sum, "text")),
        "对1个行政村进行排查,对2户十类重点户和2户建档立卡贫困户重点关注。共排查新识别1户"
        "2人、人口自然减少1人、漏登1人、错评1户3人、标注稳定脱贫错误需回退1户2人。");

    through(c, c1);
    pv_person dead;
    assert_int_equal(db_pv_person_get(c, gm.id, &dead), JC_OK);
    assert_string_equal(dead.state, "deceased");
    assert_int_equal(dead.household_id, 0);
    assert_string_equal(dead.left_on, "2026-06-01");
    through(c, c2);
    int64_t n;
    assert_int_equal(db_pv_member_count(c, d, &n), JC_OK);
    assert_int_equal(n, 2);
    through(c, c3);
    assert_string_equal(status_of(c, b), "none");
    assert_int_equal(
        dbfx_scalar(f,
                    "SELECT count(*) FROM pv_household_tags WHERE tag = '" PV_TAG_REGISTERED "'"),
        1); /* only a's is left */
    through(c, c4);
    assert_string_equal(status_of(c, a), "exited");
    /* a rollback is a new row: the old ones are all there */
    assert_int_equal(
        dbfx_scalar(f, "SELECT count(*) FROM pv_status_history WHERE household_id = 1"), 5);
    /* 新识别: refused until its 公示 has ended */
    assert_int_equal(move(c, c5, "submit", NULL), JC_OK);
    assert_int_equal(move(c, c5, "approve", NULL), JC_OK);
    expect(c, move(c, c5, "apply", NULL), JC_EUNPROC, "notice_required", "status");
    int64_t nid;
    assert_int_equal(pv_notice_start(c, 0, c5, "poor", "general", "2026-06-14", 7, "", &nid),
                     JC_OK);
    expect(c, move(c, c5, "apply", NULL), JC_ECONFLICT, "notice_running", "effective_date");
    assert_int_equal(dbfx_scalar(f, "SELECT count(*) FROM pv_households"), 4); /* nothing yet */
    f->c.now += 7 * 86400;                                                     /* a week on */
    assert_int_equal(move(c, c5, "apply", NULL), JC_OK);
    assert_int_equal(dbfx_scalar(f, "SELECT count(*) FROM pv_households"), 5);

    assert_int_equal(pv_review_summary(c, review, &sum), JC_OK);
    assert_string_equal(
        json_string_value(json_object_get(sum, "text")),
        "对1个行政村进行排查,对2户十类重点户和2户建档立卡贫困户重点关注。共排查新识别1户2人、"
        "人口自然减少1人、漏登1人、错评1户3人、标注稳定脱贫错误需回退1户2人,"
        "以上问题均已整改并系统录"
        "入、标识到位。");
}

static void rejected_is_never_applied(void **state)
{
    dbfx *f = dbfx_get(state);
    world(f);
    jc_ctx *c = &f->c;
    int64_t h = household(c, "低保户", 2, 400);
    step(c, h, "monitored", "marginal", NULL, "2026-03-01");
    int64_t id = change(c, 0, h, "wrong_assess", json_object());
    assert_int_equal(move(c, id, "submit", NULL), JC_OK);
    expect(c, move(c, id, "reject", NULL), JC_EINVAL, "required", "reason");
    assert_int_equal(move(c, id, "reject", "经复核认定正确"), JC_OK);
    expect(c, move(c, id, "apply", NULL), JC_ECONFLICT, "invalid_transition", "action");
    assert_string_equal(status_of(c, h), "monitored");
    /* a finding that no longer fits is refused whole: the member already left */
    pv_person p;
    assert_int_equal(db_pv_person_by_cid(c, cid(c, "1962-05-06", 402), &p), JC_OK);
    json_t *leave = json_pack("{s:[{s:I, s:s, s:s}]}", "persons", "person_id", (json_int_t)p.id,
                              "reason", "moved_out", "date", "2026-06-01");
    int64_t x = change(c, 0, h, "decrease", json_incref(leave));
    int64_t y = change(c, 0, h, "decrease", leave);
    through(c, x);
    assert_int_equal(move(c, y, "submit", NULL), JC_OK);
    assert_int_equal(move(c, y, "approve", NULL), JC_OK);
    expect(c, move(c, y, "apply", NULL), JC_EUNPROC, "not_a_member",
           "payload.persons[0].person_id");
    pv_change ch;
    assert_int_equal(db_pv_change_get(c, y, &ch), JC_OK);
    assert_string_equal(ch.state, "approved");
}

static void payments_never_overdraw(void **state)
{
    dbfx *f = dbfx_get(state);
    world(f);
    jc_ctx *c = &f->c;
    pv_source s = {
        .area_code = TOWN, .name = "衔接资金", .level = "中央", .year = 2026, .amount_fen = 100000};
    int64_t sid, pid, aid, did;
    assert_int_equal(pv_source_create(c, &s, &sid), JC_OK);
    pv_project p = {.area_code = VILLAGE,
                    .name = "道路",
                    .type = "基础设施",
                    .budget_fen = 80000,
                    .planned_end = "2026-12-31"};
    assert_int_equal(pv_project_create(c, &p, &pid), JC_OK);
    expect(c, pv_allocate(c, sid, pid, 80001, "2026-06-01", "", &aid), JC_EUNPROC, "over_budget",
           "amount_fen");
    assert_int_equal(pv_allocate(c, sid, pid, 60000, "2026-06-01", "", &aid), JC_OK);
    assert_int_equal(pv_disburse(c, aid, "V-1", "公司", "2026-06-02", 45000, "", &did), JC_OK);
    expect(c, pv_disburse(c, aid, "V-2", "公司", "2026-06-02", 15001, "", &did), JC_EUNPROC,
           "over_disbursement", "amount_fen");
    expect(c, pv_disburse(c, aid, "V-1", "公司", "2026-06-02", 1, "", &did), JC_ECONFLICT,
           "duplicate", "voucher_no");
    assert_int_equal(pv_disburse(c, aid, "V-3", "公司", "2026-06-03", 15000, "", &did), JC_OK);
    assert_int_equal(dbfx_scalar(f, "SELECT disbursed_fen FROM pv_allocations"), 60000);
    assert_int_equal(dbfx_scalar(f, "SELECT disbursed_fen FROM pv_projects"), 60000);
    assert_int_equal(dbfx_scalar(f, "SELECT disbursed_fen FROM pv_fund_sources"), 60000);
    assert_int_equal(dbfx_scalar(f, "SELECT count(*) FROM pv_disbursements"), 2);
    /* the database refuses what the rules would, too */
    assert_int_not_equal(
        store_exec_script(f->db, "UPDATE pv_allocations SET disbursed_fen = amount_fen + 1"), 0);
}

int main(void)
{
    (void)dbfx_exec;
    (void)dbfx_is_pg;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lifecycle_table),    DBFX_BOTH(person_rules),
        DBFX_BOTH(status_and_notice),         DBFX_BOTH(each_change_type),
        DBFX_BOTH(rejected_is_never_applied), DBFX_BOTH(payments_never_overdraw),
    };
    return cmocka_run_group_tests_name("poverty", tests, NULL, NULL);
}
