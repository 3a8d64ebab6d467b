/* test_audit.c — the append-only, hash-chained audit log on a real database: what is written,
 * that the database refuses to change it, and that `jiceng verify` names the first altered or
 * removed record when someone goes around the database's refusal. SQLite always; PostgreSQL
 * when JICENG_TEST_PG_URI is set (see dbfixture.h). */
#include "dbfixture.h"

static const char SQL_AUDIT_COUNT[] = "SELECT COUNT(*) FROM audit";
static const char SQL_AUDIT_ROW[] =
    "SELECT seq, CASE WHEN user_id IS NULL THEN -1 ELSE user_id END, username, action, entity,"
    " entity_id, area_code, before_json, after_json, reason FROM audit WHERE seq = ?";

/* Three records by the system user, committed. */
static void append_three(dbfx *f)
{
    assert_int_equal(dbfx_migrate_kernel(f), JC_OK);
    jc_ctx *c = &f->c;
    json_t *a1 = jc_own(c, json_pack("{s:s, s:i}", "name", "陇海马路街道", "b", 1));
    json_t *a2 = jc_own(c, json_pack("{s:s, s:s}", "state", "assigned", "a", "x"));
    json_t *b2 = jc_own(c, json_pack("{s:s}", "state", "reported"));
    assert_int_equal(store_begin(f->db), JC_OK);
    assert_int_equal(
        audit_append(c, "create", "area", "410104007000", "410104007000", NULL, a1, NULL), JC_OK);
    assert_int_equal(
        audit_append_id(c, "assign", "ledger_task", 42, "410104007001", b2, a2, "派给网格员"),
        JC_OK);
    assert_int_equal(
        audit_append(c, "set", "config", "demo.world", NULL, NULL, jc_own(c, json_true()), ""),
        JC_OK);
    assert_int_equal(store_commit(f->db), JC_OK);
}

static void verify_expect(dbfx *f, int rc_want, int64_t checked_want, int64_t bad_want,
                          const char *why_has)
{
    int64_t checked = -1, bad = -1;
    const char *why = NULL;
    int rc = audit_verify(f->db, &checked, &bad, &why);
    if (rc != rc_want || checked != checked_want || bad != bad_want)
        fail_msg("audit_verify: %s, checked %lld, bad_seq %lld (%s); expected %s, %lld, %lld",
                 jc_strerror(rc), (long long)checked, (long long)bad, why ? why : "-",
                 jc_strerror(rc_want), (long long)checked_want, (long long)bad_want);
    if (why_has) {
        assert_non_null(why);
        assert_non_null(strstr(why, why_has));
    }
}

static void drop_triggers(dbfx *f)
{
    if (dbfx_is_pg(f))
        dbfx_exec(f, "DROP TRIGGER audit_no_update ON audit;");
    else
        dbfx_exec(f, "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;");
}

static void append_and_verify(void **state)
{
    dbfx *f = dbfx_get(state);
    verify_expect(f, JC_EINTERNAL, 0, 0, NULL); /* no audit table: an error, not "all good" */
    append_three(f);
    verify_expect(f, JC_OK, 3, 0, NULL);

    store_stmt *st;
    assert_int_equal(store_prepare(f->db, SQL_AUDIT_ROW, &st), JC_OK);
    store_bind_int(st, 1, 2);
    assert_int_equal(store_one(st), JC_OK);
    assert_int_equal(store_col_int(st, 1), -1); /* the system user has no user id */
    assert_string_equal(store_col_text(st, 2), "system");
    assert_string_equal(store_col_text(st, 3), "assign");
    assert_string_equal(store_col_text(st, 4), "ledger_task");
    assert_string_equal(store_col_text(st, 5), "42");
    assert_string_equal(store_col_text(st, 6), "410104007001");
    /* snapshots are canonical JSON (sorted keys, compact) so that the hash is reproducible */
    assert_string_equal(store_col_text(st, 7), "{\"state\":\"reported\"}");
    assert_string_equal(store_col_text(st, 8), "{\"a\":\"x\",\"state\":\"assigned\"}");
    assert_string_equal(store_col_text(st, 9), "派给网格员");
    store_reset(st);
    store_bind_int(st, 1, 3);
    assert_int_equal(store_one(st), JC_OK);
    assert_true(store_col_null(st, 6)); /* no area */
    assert_true(store_col_null(st, 7));
    assert_true(store_col_null(st, 9)); /* an empty reason is no reason */
    store_reset(st);

    /* a user's record carries the id; the chain continues across transactions */
    jc_user u = {.id = 5, .username = "grid", .roles = RB(ROLE_GRID_WORKER)};
    f->c.user = &u;
    assert_int_equal(store_begin(f->db), JC_OK);
    assert_int_equal(
        audit_append_id(&f->c, "handle", "ledger_task", 42, "410104007001", NULL, NULL, NULL),
        JC_OK);
    assert_int_equal(store_commit(f->db), JC_OK);
    f->c.user = &unit_system_user;
    store_bind_int(st, 1, 4);
    assert_int_equal(store_one(st), JC_OK);
    assert_int_equal(store_col_int(st, 1), 5);
    assert_string_equal(store_col_text(st, 2), "grid");
    store_reset(st);
    verify_expect(f, JC_OK, 4, 0, NULL);
}

static void append_needs_transaction(void **state)
{
    dbfx *f = dbfx_get(state);
    assert_int_equal(dbfx_migrate_kernel(f), JC_OK);
    /* outside a transaction the record could survive a write that failed: refused */
    assert_int_equal(audit_append(&f->c, "create", "area", "410104", "410104", NULL, NULL, NULL),
                     JC_EINTERNAL);
    assert_int_equal(dbfx_scalar(f, SQL_AUDIT_COUNT), 0);
    /* a record whose transaction is rolled back leaves no trace and no gap */
    assert_int_equal(store_begin(f->db), JC_OK);
    assert_int_equal(audit_append(&f->c, "create", "area", "410104", "410104", NULL, NULL, NULL),
                     JC_OK);
    store_rollback(f->db);
    assert_int_equal(dbfx_scalar(f, SQL_AUDIT_COUNT), 0);
    append_three(f);
    verify_expect(f, JC_OK, 3, 0, NULL);
}

static const char SQL_AFTER_2[] = "SELECT after_json FROM audit WHERE seq = 2";

static void database_refuses_changes(void **state)
{
    dbfx *f = dbfx_get(state);
    append_three(f);
    assert_int_not_equal(
        store_exec_script(f->db, "UPDATE audit SET after_json = '{}' WHERE seq = 2"), JC_OK);
    assert_non_null(strstr(store_errmsg(f->db), "append-only"));
    assert_int_not_equal(store_exec_script(f->db, "DELETE FROM audit WHERE seq = 3"), JC_OK);
    assert_non_null(strstr(store_errmsg(f->db), "append-only"));
    assert_int_not_equal(store_exec_script(f->db, "DELETE FROM audit"), JC_OK);
    assert_int_equal(dbfx_scalar(f, SQL_AUDIT_COUNT), 3);
    store_stmt *st;
    assert_int_equal(store_prepare(f->db, SQL_AFTER_2, &st), JC_OK);
    assert_int_equal(store_one(st), JC_OK);
    assert_string_equal(store_col_text(st, 0), "{\"a\":\"x\",\"state\":\"assigned\"}");
    store_reset(st);
    verify_expect(f, JC_OK, 3, 0, NULL);
}

static void tamper_content(void **state)
{
    dbfx *f = dbfx_get(state);
    append_three(f);
    drop_triggers(f);
    dbfx_exec(f,
              "UPDATE audit SET after_json = '{\"a\":\"x\",\"state\":\"closed\"}' WHERE seq = 2;");
    /* record 1 is fine; record 2 is named */
    verify_expect(f, JC_ECONFLICT, 1, 2, "altered");
}

static void tamper_other_fields(void **state)
{
    dbfx *f = dbfx_get(state);
    append_three(f);
    drop_triggers(f);
    /* who did it */
    dbfx_exec(f, "UPDATE audit SET username = 'admin' WHERE seq = 1;");
    verify_expect(f, JC_ECONFLICT, 0, 1, "altered");
    dbfx_exec(f, "UPDATE audit SET username = 'system' WHERE seq = 1;");
    verify_expect(f, JC_OK, 3, 0, NULL); /* put back, the chain holds again */
    /* when */
    dbfx_exec(f, "UPDATE audit SET at = at - 86400 WHERE seq = 3;");
    verify_expect(f, JC_ECONFLICT, 2, 3, "altered");
    dbfx_exec(f, "UPDATE audit SET at = at + 86400 WHERE seq = 3;");
    /* a reason slipped in where there was none */
    dbfx_exec(f, "UPDATE audit SET reason = '' WHERE seq = 3;");
    verify_expect(f, JC_ECONFLICT, 2, 3, "altered");
    dbfx_exec(f, "UPDATE audit SET reason = NULL WHERE seq = 3;");
    /* a record re-linked to a forged predecessor */
    dbfx_exec(f, "UPDATE audit SET prev_hash = hash WHERE seq = 3;");
    verify_expect(f, JC_ECONFLICT, 2, 3, "link");
    /* a replaced stored hash is caught as well */
    dbfx_exec(f, "UPDATE audit SET hash = 'ffff' WHERE seq = 2;");
    verify_expect(f, JC_ECONFLICT, 1, 2, NULL);
}

static void delete_last_row(void **state)
{
    dbfx *f = dbfx_get(state);
    append_three(f);
    drop_triggers(f);
    dbfx_exec(f, "DELETE FROM audit WHERE seq = 3;");
    /* records 1 and 2 are intact; the head still says there were 3 */
    verify_expect(f, JC_ECONFLICT, 2, 3, "removed");
}

static void delete_middle_row(void **state)
{
    dbfx *f = dbfx_get(state);
    append_three(f);
    drop_triggers(f);
    dbfx_exec(f, "DELETE FROM audit WHERE seq = 2;");
    verify_expect(f, JC_ECONFLICT, 1, 3, "missing");
}

/* ---- reading the log: scope and personal data ---- */

static const char SQL_ADD_USER[] =
    "INSERT INTO users (username, display_name, password_hash, created_at, updated_at)"
    " VALUES ('leader', '书记', 'x', 0, 0) RETURNING id";
static const char SQL_ADD_GRANT[] =
    "INSERT INTO user_areas (user_id, area_code, prefix, prefix_end)"
    " VALUES (?, '410104', '410104', '410104:')";

static json_t *find_entry(json_t *list, const char *entity_id)
{
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e)
    {
        if (strcmp(json_string_value(json_object_get(e, "entity_id")), entity_id) == 0) return e;
    }
    return NULL;
}

static void list_scope_and_masking(void **state)
{
    dbfx *f = dbfx_get(state);
    assert_int_equal(dbfx_migrate_kernel(f), JC_OK);
    jc_ctx *c = &f->c;
    area_rec a = {.code = "410104", .name = "管城回族区", .kind = "区"};
    assert_int_equal(area_create(c, &a), JC_OK); /* itself audited: entity_id 410104 */
    int64_t uid = dbfx_scalar(f, SQL_ADD_USER);
    store_stmt *st;
    assert_int_equal(store_prepare(f->db, SQL_ADD_GRANT, &st), JC_OK);
    store_bind_int(st, 1, uid);
    assert_int_equal(store_run(st), JC_OK);

    json_t *person = jc_own(c, json_pack("{s:s, s:s, s:s, s:{s:s}}", "name", "张三", "phone",
                                         "13800138000", "citizen_id", "11010519491231002X",
                                         "contact", "mobile", "13912345678"));
    assert_int_equal(store_begin(f->db), JC_OK);
    assert_int_equal(audit_append(c, "create", "person", "p1", "410104007001", NULL, person, NULL),
                     JC_OK);
    assert_int_equal(audit_append(c, "create", "person", "p2", "410105008001", NULL, person, NULL),
                     JC_OK);
    assert_int_equal(audit_append(c, "set", "config", "c1", NULL, NULL, person, NULL), JC_OK);
    assert_int_equal(store_commit(f->db), JC_OK);

    /* a leader of 管城回族区: only records of the district, personal data masked */
    jc_grant g;
    assert_true(area_grant_make("410104", &g));
    jc_user leader = {
        .id = uid, .username = "leader", .roles = RB(ROLE_LEADER), .ngrants = 1, .grants = &g};
    c->user = &leader;
    json_t *list = NULL;
    assert_int_equal(audit_list(c, NULL, NULL, 0, 50, &list), JC_OK);
    assert_int_equal(json_array_size(list), 2); /* p1 and the area itself */
    assert_null(find_entry(list, "p2"));        /* 金水区 */
    assert_null(find_entry(list, "c1"));        /* no area: administrators only */
    json_t *after = json_object_get(find_entry(list, "p1"), "after");
    assert_string_equal(json_string_value(json_object_get(after, "name")), "张三");
    assert_string_equal(json_string_value(json_object_get(after, "phone")), "138****8000");
    assert_string_equal(json_string_value(json_object_get(after, "citizen_id")),
                        "110105********002X");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(after, "contact"), "mobile")),
        "139****5678");
    /* newest first, and a filter by entity */
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "entity_id")),
                        "p1");
    assert_int_equal(audit_list(c, "area", NULL, 0, 50, &list), JC_OK);
    assert_int_equal(json_array_size(list), 1);

    /* an administrator of the same district sees the unmasked record and the area-less one */
    jc_user admin = leader;
    admin.roles = RB(ROLE_ADMIN);
    c->user = &admin;
    assert_int_equal(audit_list(c, NULL, NULL, 0, 50, &list), JC_OK);
    assert_int_equal(json_array_size(list), 3);
    after = json_object_get(find_entry(list, "p1"), "after");
    assert_string_equal(json_string_value(json_object_get(after, "phone")), "13800138000");
    /* keyset paging: the page before the newest entry starts with the second one, skipping the
     * 金水区 record that lies between them */
    int64_t top = json_integer_value(json_object_get(json_array_get(list, 0), "seq"));
    int64_t second = json_integer_value(json_object_get(json_array_get(list, 1), "seq"));
    assert_true(second < top - 1);
    assert_int_equal(audit_list(c, NULL, NULL, top, 1, &list), JC_OK);
    assert_int_equal(json_array_size(list), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "seq")), second);
    c->user = &unit_system_user;
    verify_expect(f, JC_OK, 4, 0, NULL);
}

/* ---- a kernel write that touches several rows in one transaction ---- */

static const char SQL_GRANTS_OF[] = "SELECT COUNT(*) FROM user_areas";

/* Granting the same area twice must not fail the whole user creation (on PostgreSQL a failed
 * statement aborts the transaction, so "ignore the duplicate and go on" cannot work there). */
static void user_create_duplicate_area(void **state)
{
    dbfx *f = dbfx_get(state);
    assert_int_equal(auth_init(), JC_OK);
    assert_int_equal(dbfx_migrate_kernel(f), JC_OK);
    area_rec a = {.code = "410104", .name = "管城回族区", .kind = "区"};
    assert_int_equal(area_create(&f->c, &a), JC_OK);
    const char *areas[] = {"410104", "410104"};
    user_input in = {.username = "grid1",
                     .display_name = "网格员一",
                     .password = "long-enough-1",
                     .roles = RB(ROLE_GRID_WORKER),
                     .areas = areas,
                     .nareas = 2};
    int64_t id = 0;
    int rc = user_create(&f->c, &in, &id);
    if (rc) fail_msg("user_create: %s (%s)", jc_strerror(rc), f->c.err.en ? f->c.err.en : "");
    assert_true(id > 0);
    assert_int_equal(dbfx_scalar(f, SQL_GRANTS_OF), 1);
    assert_false(store_in_tx(f->db));
    verify_expect(f, JC_OK, 2, 0, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        DBFX_BOTH(append_and_verify),          DBFX_BOTH(append_needs_transaction),
        DBFX_BOTH(database_refuses_changes),   DBFX_BOTH(tamper_content),
        DBFX_BOTH(tamper_other_fields),        DBFX_BOTH(delete_last_row),
        DBFX_BOTH(delete_middle_row),          DBFX_BOTH(list_scope_and_masking),
        DBFX_BOTH(user_create_duplicate_area),
    };
    return cmocka_run_group_tests_name("audit", tests, NULL, NULL);
}
