/* test_store.c — the storage interface on a real database: migrations, nested transactions,
 * constraint errors, parameters, the statement cache and error paths. Every test runs on SQLite
 * and, when JICENG_TEST_PG_URI is set, on PostgreSQL (see dbfixture.h). */
#include "dbfixture.h"

static const char T_DDL[] = "CREATE TABLE t (k TEXT PRIMARY KEY, v BIGINT NOT NULL CHECK (v >= 0));"
                            "CREATE TABLE child (id @ID@, k TEXT NOT NULL REFERENCES t(k));";
static const char SQL_T_INSERT[] = "INSERT INTO t (k, v) VALUES (?, ?)";
static const char SQL_T_COUNT[] = "SELECT COUNT(*) FROM t";
static const char SQL_T_HAS[] = "SELECT COUNT(*) FROM t WHERE k = ?";

static int insert(dbfx *f, const char *k, int64_t v)
{
    store_stmt *st;
    int rc = store_prepare(f->db, SQL_T_INSERT, &st);
    if (rc) return rc;
    store_bind_text(st, 1, k);
    store_bind_int(st, 2, v);
    return store_run(st);
}

static int64_t count_on(store *db)
{
    store_stmt *st;
    assert_int_equal(store_prepare(db, SQL_T_COUNT, &st), JC_OK);
    assert_int_equal(store_one(st), JC_OK);
    int64_t n = store_col_int(st, 0);
    store_reset(st);
    return n;
}

static bool has_row(dbfx *f, const char *k)
{
    store_stmt *st;
    assert_int_equal(store_prepare(f->db, SQL_T_HAS, &st), JC_OK);
    store_bind_text(st, 1, k);
    assert_int_equal(store_one(st), JC_OK);
    bool yes = store_col_int(st, 0) > 0;
    store_reset(st);
    return yes;
}

static const char SQL_TABLE_SQLITE[] =
    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?";
static const char SQL_TABLE_PG[] =
    "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'"
    " AND table_name = ?";

static bool table_exists(dbfx *f, const char *name)
{
    store_stmt *st;
    assert_int_equal(store_prepare(f->db, dbfx_is_pg(f) ? SQL_TABLE_PG : SQL_TABLE_SQLITE, &st),
                     JC_OK);
    store_bind_text(st, 1, name);
    assert_int_equal(store_one(st), JC_OK);
    bool yes = store_col_int(st, 0) > 0;
    store_reset(st);
    return yes;
}

/* ---- migrations ---- */

static const char SQL_MIG_COUNT[] =
    "SELECT COUNT(*) FROM schema_migrations WHERE module = 'kernel'";
static const char SQL_MIG_BROKEN[] =
    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE module = 'broken'";

static void migrate_kernel(void **state)
{
    dbfx *f = dbfx_get(state);
    assert_int_equal(dbfx_migrate_kernel(f), JC_OK);
    assert_int_equal(dbfx_scalar(f, SQL_MIG_COUNT), kernel_nmigrations);
    assert_true(table_exists(f, "audit"));
    assert_true(table_exists(f, "users"));
    /* a second start applies nothing and fails nothing */
    assert_int_equal(dbfx_migrate_kernel(f), JC_OK);
    assert_int_equal(dbfx_scalar(f, SQL_MIG_COUNT), kernel_nmigrations);
    assert_false(store_in_tx(f->db));
}

static void migrate_failure_rolls_back(void **state)
{
    dbfx *f = dbfx_get(state);
    static const store_migration m[] = {
        {1, "CREATE TABLE ok1 (a BIGINT);", NULL},
        /* the second statement fails: the first must not stay behind */
        {2, "CREATE TABLE ok2 (a BIGINT); CREATE TABLE ok1 (b BIGINT);", NULL},
        {3, "CREATE TABLE ok3 (a BIGINT);", NULL},
    };
    int rc = store_migrate(f->db, "broken", m, JC_NELEM(m));
    assert_int_not_equal(rc, JC_OK);
    assert_non_null(strstr(store_errmsg(f->db), "migration broken/2"));
    assert_false(store_in_tx(f->db));
    assert_int_equal(dbfx_scalar(f, SQL_MIG_BROKEN), 1);
    assert_true(table_exists(f, "ok1"));
    assert_false(table_exists(f, "ok2"));
    assert_false(table_exists(f, "ok3")); /* later versions wait for the broken one */
}

/* ---- transactions ---- */

static void tx_inner_rollback_dooms_outer(void **state)
{
    dbfx *f = dbfx_get(state);
    dbfx_exec(f, T_DDL);
    assert_int_equal(store_begin(f->db), JC_OK);
    assert_int_equal(insert(f, "a", 1), JC_OK);
    assert_int_equal(store_begin(f->db), JC_OK);
    assert_int_equal(insert(f, "b", 2), JC_OK);
    store_rollback(f->db); /* the inner unit of work failed */
    assert_true(store_in_tx(f->db));
    /* the outer commit must not save half of the work */
    assert_int_equal(store_commit(f->db), JC_EDB);
    assert_false(store_in_tx(f->db));
    assert_int_equal(count_on(f->db), 0);

    /* deeper: every commit above the failure reports it */
    assert_int_equal(store_begin(f->db), JC_OK);
    assert_int_equal(store_begin(f->db), JC_OK);
    assert_int_equal(store_begin(f->db), JC_OK);
    assert_int_equal(insert(f, "c", 3), JC_OK);
    store_rollback(f->db);
    assert_int_equal(store_commit(f->db), JC_EDB);
    assert_int_equal(store_commit(f->db), JC_EDB);
    assert_false(store_in_tx(f->db));
    assert_int_equal(count_on(f->db), 0);

    /* the doom ends with its transaction: the next one commits */
    assert_int_equal(store_begin(f->db), JC_OK);
    assert_int_equal(insert(f, "d", 4), JC_OK);
    assert_int_equal(store_commit(f->db), JC_OK);
    assert_int_equal(count_on(f->db), 1);
}

static void tx_nested_commit_only_at_outermost(void **state)
{
    dbfx *f = dbfx_get(state);
    dbfx_exec(f, T_DDL);
    store *other;
    char *err = NULL;
    assert_int_equal(store_open(f->uri, &other, &err), JC_OK);

    assert_int_equal(store_begin(f->db), JC_OK);
    assert_int_equal(insert(f, "a", 1), JC_OK);
    assert_int_equal(store_begin(f->db), JC_OK);
    assert_int_equal(insert(f, "b", 2), JC_OK);
    assert_int_equal(store_commit(f->db), JC_OK);
    assert_true(store_in_tx(f->db));
    /* the inner commit did not reach the database: another connection sees nothing yet */
    assert_int_equal(count_on(other), 0);
    assert_int_equal(store_commit(f->db), JC_OK);
    assert_false(store_in_tx(f->db));
    assert_int_equal(count_on(other), 2);

    /* an outer rollback undoes a committed inner level */
    assert_int_equal(store_begin(f->db), JC_OK);
    assert_int_equal(store_begin(f->db), JC_OK);
    assert_int_equal(insert(f, "c", 3), JC_OK);
    assert_int_equal(store_commit(f->db), JC_OK);
    store_rollback(f->db);
    assert_false(has_row(f, "c"));
    assert_int_equal(count_on(other), 2);

    /* unbalanced calls are refused, not silently ignored */
    assert_int_equal(store_commit(f->db), JC_EINTERNAL);
    store_rollback(f->db); /* a no-op outside a transaction */
    assert_false(store_in_tx(f->db));
    store_close(other);
}

/* A statement that fails inside a transaction, and whose failure the caller shrugs off, must not
 * leave the commit claiming success for writes that were not saved (PostgreSQL aborts the whole
 * transaction on any error and answers COMMIT with ROLLBACK). */
static void tx_commit_after_failed_statement(void **state)
{
    dbfx *f = dbfx_get(state);
    dbfx_exec(f, T_DDL);
    assert_int_equal(insert(f, "dup", 1), JC_OK);
    assert_int_equal(store_begin(f->db), JC_OK);
    assert_int_equal(insert(f, "keep", 1), JC_OK);
    assert_int_equal(insert(f, "dup", 2), JC_ECONFLICT);
    int rc = store_commit(f->db);
    assert_false(store_in_tx(f->db));
    if ((rc == JC_OK) != has_row(f, "keep"))
        fail_msg("commit said %s but row 'keep' is %s", jc_strerror(rc),
                 has_row(f, "keep") ? "stored" : "missing");
}

/* ---- constraints ---- */

static const char SQL_CHILD_INSERT[] = "INSERT INTO child (k) VALUES (?)";

static void constraint_errors(void **state)
{
    dbfx *f = dbfx_get(state);
    dbfx_exec(f, T_DDL);
    assert_int_equal(insert(f, "a", 1), JC_OK);
    /* a duplicate key is a conflict (409), with the database's words kept for the log */
    assert_int_equal(insert(f, "a", 2), JC_ECONFLICT);
    assert_true(store_errmsg(f->db)[0] != '\0');
    /* NOT NULL, CHECK and foreign keys break a rule (422) */
    store_stmt *st;
    assert_int_equal(store_prepare(f->db, SQL_T_INSERT, &st), JC_OK);
    store_bind_text(st, 1, "null");
    store_bind_null_int(st, 2);
    assert_int_equal(store_run(st), JC_EUNPROC);
    assert_int_equal(insert(f, "neg", -1), JC_EUNPROC);
    assert_int_equal(store_prepare(f->db, SQL_CHILD_INSERT, &st), JC_OK);
    store_bind_text(st, 1, "nope");
    assert_int_equal(store_run(st), JC_EUNPROC);
    store_bind_text(st, 1, "a");
    assert_int_equal(store_run(st), JC_OK);
    /* the statement that failed is usable again */
    assert_int_equal(insert(f, "b", 2), JC_OK);
    assert_int_equal(count_on(f->db), 2);
}

/* ---- parameters and values ---- */

static const char SQL_NUM_INSERT[] = "INSERT INTO t (k, v) VALUES (?2, ?1)";
static const char SQL_NUM_SELECT[] = "SELECT k, v + ?2 FROM t WHERE v >= ?1 AND v <= ?1";
static const char SQL_QUOTED[] = "SELECT k FROM t WHERE k <> 'what?' AND k <> '?1' AND v = ?";

static void numbered_params(void **state)
{
    dbfx *f = dbfx_get(state);
    dbfx_exec(f, T_DDL);
    store_stmt *st;
    assert_int_equal(store_prepare(f->db, SQL_NUM_INSERT, &st), JC_OK);
    store_bind_int(st, 1, 7);
    store_bind_text(st, 2, "x");
    assert_int_equal(store_run(st), JC_OK);
    store_bind_int(st, 1, 9);
    store_bind_text(st, 2, "y");
    assert_int_equal(store_run(st), JC_OK);

    /* ?1 used twice, ?2 once */
    assert_int_equal(store_prepare(f->db, SQL_NUM_SELECT, &st), JC_OK);
    store_bind_int(st, 1, 7);
    store_bind_int(st, 2, 100);
    assert_int_equal(store_step(st), STORE_ROW);
    assert_string_equal(store_col_text(st, 0), "x");
    assert_int_equal(store_col_int(st, 1), 107);
    assert_int_equal(store_step(st), STORE_DONE);
    store_reset(st);

    /* question marks inside literals are not parameters */
    assert_int_equal(store_prepare(f->db, SQL_QUOTED, &st), JC_OK);
    store_bind_int(st, 1, 9);
    assert_int_equal(store_one(st), JC_OK);
    assert_string_equal(store_col_text(st, 0), "y");
    store_reset(st);
}

static const char V_DDL[] = "CREATE TABLE vals (id @ID@, i BIGINT, d DOUBLE PRECISION, s TEXT,"
                            " b @BLOB@, c @CODE@);";
static const char SQL_V_INSERT[] =
    "INSERT INTO vals (i, d, s, b, c) VALUES (?, ?, ?, ?, ?) RETURNING id";
static const char SQL_V_GET[] = "SELECT i, d, s, b, c FROM vals WHERE id = ?";
static const char SQL_V_RANGE[] = "SELECT COUNT(*) FROM vals WHERE c >= ? AND c < ?";
static const char SQL_V_TOUCH[] = "UPDATE vals SET s = ? WHERE id >= ?";

static int64_t insert_val(dbfx *f, int64_t i, double d, const char *s, const void *b, size_t bn,
                          const char *c)
{
    store_stmt *st;
    assert_int_equal(store_prepare(f->db, SQL_V_INSERT, &st), JC_OK);
    store_bind_int(st, 1, i);
    store_bind_double(st, 2, d);
    store_bind_text(st, 3, s);
    if (b) store_bind_blob(st, 4, b, bn); /* else left unbound: NULL of the column's type */
    store_bind_text(st, 5, c);
    assert_int_equal(store_one(st), JC_OK);
    int64_t id = store_col_int(st, 0);
    store_reset(st);
    return id;
}

static void values_round_trip(void **state)
{
    dbfx *f = dbfx_get(state);
    dbfx_exec(f, V_DDL);
    unsigned char bytes[256];
    for (int i = 0; i < 256; i++) bytes[i] = (unsigned char)i; /* NULs and high bytes included */
    int64_t id1 =
        insert_val(f, INT64_MAX, 0.1, "郑州市 · 管城回族区", bytes, sizeof bytes, "410104007000");
    int64_t id2 = insert_val(f, INT64_MIN, -1e300, NULL, NULL, 0, NULL);
    assert_true(id1 > 0);
    assert_true(id2 > id1); /* @ID@ numbers rows */

    store_stmt *st;
    assert_int_equal(store_prepare(f->db, SQL_V_GET, &st), JC_OK);
    store_bind_int(st, 1, id1);
    assert_int_equal(store_one(st), JC_OK);
    assert_int_equal(store_col_count(st), 5);
    assert_true(store_col_int(st, 0) == INT64_MAX);
    assert_true(store_col_double(st, 1) == 0.1);
    assert_string_equal(store_col_text(st, 2), "郑州市 · 管城回族区");
    size_t n = 0;
    const void *p = store_col_blob(st, 3, &n);
    assert_int_equal(n, sizeof bytes);
    assert_memory_equal(p, bytes, sizeof bytes);
    assert_false(store_col_null(st, 2));
    store_reset(st);

    store_bind_int(st, 1, id2);
    assert_int_equal(store_one(st), JC_OK);
    assert_true(store_col_int(st, 0) == INT64_MIN);
    assert_true(store_col_double(st, 1) == -1e300);
    assert_true(store_col_null(st, 2));
    assert_null(store_col_text(st, 2));
    assert_true(store_col_null(st, 3));
    assert_true(store_col_null(st, 4));
    store_reset(st);

    /* rows changed by an UPDATE, per execution */
    assert_int_equal(store_prepare(f->db, SQL_V_TOUCH, &st), JC_OK);
    const struct {
        int64_t from, changed;
    } touch[] = {{id1, 2}, {id2, 1}, {id2 + 100, 0}};
    for (size_t i = 0; i < JC_NELEM(touch); i++) {
        store_bind_text(st, 1, "x");
        store_bind_int(st, 2, touch[i].from);
        assert_int_equal(store_step(st), STORE_DONE);
        assert_int_equal(store_changes(st), touch[i].changed);
        store_reset(st);
    }
}

/* Area subtrees are range queries on @CODE@ columns: they must compare bytewise on every
 * backend, whatever the database's collation ("410104007:" sorts after every digit). */
static void code_ranges(void **state)
{
    dbfx *f = dbfx_get(state);
    dbfx_exec(f, V_DDL);
    static const char *const codes[] = {"410104",          "410104007000", "410104007001",
                                        "410104007001001", "410104007099", "410104008000",
                                        "410105008000",    "41010400700",  "4101040070",
                                        "410104007:",      "410104007001:"};
    for (size_t i = 0; i < JC_NELEM(codes); i++) insert_val(f, 0, 0, NULL, NULL, 0, codes[i]);
    static const char *const ancestors[] = {"410104", "410104007000", "410104007001", "410100"};
    for (size_t a = 0; a < JC_NELEM(ancestors); a++) {
        jc_grant g;
        assert_true(area_grant_make(ancestors[a], &g));
        int64_t want = 0;
        for (size_t i = 0; i < JC_NELEM(codes); i++)
            if (strcmp(codes[i], g.prefix) >= 0 && strcmp(codes[i], g.end) < 0) want++;
        store_stmt *st;
        assert_int_equal(store_prepare(f->db, SQL_V_RANGE, &st), JC_OK);
        store_bind_text(st, 1, g.prefix);
        store_bind_text(st, 2, g.end);
        assert_int_equal(store_one(st), JC_OK);
        int64_t got = store_col_int(st, 0);
        store_reset(st);
        if (got != want)
            fail_msg("[%s, %s): database counts %lld, bytewise %lld", g.prefix, g.end,
                     (long long)got, (long long)want);
    }
}

/* ---- the statement cache ---- */

static const char SQL_ONE[] = "SELECT 1";
static char many_sql[300][24]; /* distinct addresses, stable for the whole run */

static void statement_cache(void **state)
{
    dbfx *f = dbfx_get(state);
    store_stmt *a, *b;
    assert_int_equal(store_prepare(f->db, SQL_ONE, &a), JC_OK);
    assert_int_equal(store_prepare(f->db, SQL_ONE, &b), JC_OK);
    assert_ptr_equal(a, b); /* prepared once per connection */
    assert_ptr_equal(store_of(a), f->db);
    /* the same text at another address is another statement: the key is the address */
    static const char copy[] = "SELECT 1";
    assert_int_equal(store_prepare(f->db, copy, &b), JC_OK);
    assert_ptr_not_equal(a, b);

    /* enough statements to make the cache grow several times; each keeps its own SQL */
    store_stmt *st[JC_NELEM(many_sql)];
    for (size_t i = 0; i < JC_NELEM(many_sql); i++) {
        snprintf(many_sql[i], sizeof many_sql[i], "SELECT %zu", i + 1000);
        assert_int_equal(store_prepare(f->db, many_sql[i], &st[i]), JC_OK);
    }
    for (size_t i = 0; i < JC_NELEM(many_sql); i++) {
        store_stmt *again;
        assert_int_equal(store_prepare(f->db, many_sql[i], &again), JC_OK);
        assert_ptr_equal(again, st[i]);
        assert_int_equal(store_one(again), JC_OK);
        assert_int_equal(store_col_int(again, 0), (int64_t)i + 1000);
        store_reset(again);
    }
    assert_int_equal(store_prepare(f->db, SQL_ONE, &b), JC_OK);
    assert_ptr_equal(a, b);
}

/* ---- error paths ---- */

static const char SQL_MISSING[] = "SELECT x FROM no_such_table";
static const char SQL_TMP_INSERT[] = "INSERT INTO tmp (a) VALUES (?)";

static void error_missing_table(void **state)
{
    dbfx *f = dbfx_get(state);
    store_stmt *st = NULL;
    int rc = store_prepare(f->db, SQL_MISSING, &st);
    /* SQLite knows at prepare time; PostgreSQL prepares on first execution */
    if (rc == JC_OK) {
        assert_true(dbfx_is_pg(f));
        rc = store_step(st);
        store_reset(st);
    }
    assert_int_equal(rc, JC_EINTERNAL); /* bad SQL is a bug, reported as such */
    assert_non_null(strstr(store_errmsg(f->db), "no_such_table"));
    /* the connection is still good */
    assert_int_equal(dbfx_scalar(f, SQL_ONE), 1);
}

static void error_table_dropped_under_statement(void **state)
{
    dbfx *f = dbfx_get(state);
    dbfx_exec(f, "CREATE TABLE tmp (a BIGINT);");
    store_stmt *st;
    assert_int_equal(store_prepare(f->db, SQL_TMP_INSERT, &st), JC_OK);
    store_bind_int(st, 1, 1);
    assert_int_equal(store_run(st), JC_OK);
    dbfx_exec(f, "DROP TABLE tmp;");
    /* the cached statement now points at nothing: an error code, not a crash */
    store_bind_int(st, 1, 2);
    int rc = store_step(st);
    store_reset(st);
    assert_true(rc != STORE_ROW && rc != STORE_DONE && rc != JC_OK);
    assert_int_equal(dbfx_scalar(f, SQL_ONE), 1);
    /* and inside a transaction, the failure can be rolled back cleanly */
    assert_int_equal(store_begin(f->db), JC_OK);
    assert_int_not_equal(store_run(st), JC_OK);
    store_rollback(f->db);
    assert_false(store_in_tx(f->db));
    assert_int_equal(dbfx_scalar(f, SQL_ONE), 1);
}

static void error_open(void **state)
{
    (void)state;
    store *db = NULL;
    char *err = NULL;
    /* a directory that does not exist */
    int rc = store_open("/nonexistent-jiceng-dir/x/y.db", &db, &err);
    assert_int_not_equal(rc, JC_OK);
    assert_null(db);
    assert_non_null(err);
    free(err);
    /* a PostgreSQL server that is not there: unavailable (503), not a crash */
    err = NULL;
    rc = store_open("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2", &db, &err);
    assert_int_equal(rc, JC_EBUSY);
    assert_null(db);
    assert_non_null(err);
    free(err);
    assert_true(store_is_uri_pg("postgres://x"));
    assert_false(store_is_uri_pg("/var/lib/jiceng/jiceng.db"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        DBFX_BOTH(migrate_kernel),
        DBFX_BOTH(migrate_failure_rolls_back),
        DBFX_BOTH(tx_inner_rollback_dooms_outer),
        DBFX_BOTH(tx_nested_commit_only_at_outermost),
        DBFX_BOTH(tx_commit_after_failed_statement),
        DBFX_BOTH(constraint_errors),
        DBFX_BOTH(numbered_params),
        DBFX_BOTH(values_round_trip),
        DBFX_BOTH(code_ranges),
        DBFX_BOTH(statement_cache),
        DBFX_BOTH(error_missing_table),
        DBFX_BOTH(error_table_dropped_under_statement),
        cmocka_unit_test(error_open),
    };
    return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
