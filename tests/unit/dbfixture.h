/* dbfixture.h — a fresh database per test, on SQLite (a file in a temporary directory) and, when
 * JICENG_TEST_PG_URI is set, on PostgreSQL.
 *
 * WARNING: on PostgreSQL every test starts with DROP SCHEMA public CASCADE. Point the variable at
 * a throwaway database, never at one whose data you want to keep. */
#ifndef JC_TEST_DBFIXTURE_H
#define JC_TEST_DBFIXTURE_H

#include "unit.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* 2026-06-15T12:00:00+08:00 */
#define DBFX_NOW ((int64_t)1781496000)

typedef struct dbfx {
    store_kind kind;
    char dir[256]; /* SQLite: the temporary directory; "" for PostgreSQL */
    char uri[512];
    store *db; /* NULL when the backend is not available: the test skips */
    jc_ctx c;  /* system user, DBFX_NOW */
} dbfx;

static dbfx dbfx_sqlite = {.kind = STORE_SQLITE}, dbfx_pg = {.kind = STORE_PG};

static int dbfx_setup(void **state)
{
    dbfx *f = *state;
    f->db = NULL;
    f->dir[0] = '\0';
    if (f->kind == STORE_PG) {
        const char *uri = getenv("JICENG_TEST_PG_URI");
        if (!uri || !*uri) return 0;
        snprintf(f->uri, sizeof f->uri, "%s", uri);
    } else {
        const char *tmp = getenv("TMPDIR");
        snprintf(f->dir, sizeof f->dir, "%s/jc-unit-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(f->dir)) {
            print_error("mkdtemp %s failed\n", f->dir);
            return -1;
        }
        snprintf(f->uri, sizeof f->uri, "%s/test.db", f->dir);
    }
    char *err = NULL;
    int rc = store_open(f->uri, &f->db, &err);
    if (rc) {
        print_error("store_open(%s): %s: %s\n", f->uri, jc_strerror(rc), err ? err : "");
        free(err);
        return -1;
    }
    if (f->kind == STORE_PG &&
        store_exec_script(f->db, "DROP SCHEMA public CASCADE; CREATE SCHEMA public;")) {
        print_error("resetting schema public: %s\n", store_errmsg(f->db));
        store_close(f->db);
        f->db = NULL;
        return -1;
    }
    unit_ctx_init(&f->c, f->db, &unit_system_user, DBFX_NOW);
    return 0;
}

static int dbfx_teardown(void **state)
{
    dbfx *f = *state;
    if (f->db) {
        unit_ctx_done(&f->c);
        store_close(f->db);
        f->db = NULL;
    }
    if (f->dir[0]) {
        DIR *d = opendir(f->dir);
        struct dirent *e;
        while (d && (e = readdir(d))) {
            if (e->d_name[0] == '.') continue;
            char p[sizeof f->dir + 300];
            snprintf(p, sizeof p, "%s/%s", f->dir, e->d_name);
            unlink(p);
        }
        if (d) closedir(d);
        rmdir(f->dir);
    }
    return 0;
}

/* The fixture of a test; skips it when its backend is not configured. */
static dbfx *dbfx_get(void **state)
{
    dbfx *f = *state;
    if (!f->db) skip();
    return f;
}

static bool dbfx_is_pg(const dbfx *f)
{
    return f->kind == STORE_PG;
}

/* Runs DDL/DML text that must succeed. */
static void dbfx_exec(dbfx *f, const char *sql)
{
    int rc = store_exec_script(f->db, sql);
    if (rc) fail_msg("%s: %s: %s", sql, jc_strerror(rc), store_errmsg(f->db));
}

/* The first column of the first row of a query without parameters. sql must be static text: the
 * statement cache is keyed by its address. */
static int64_t dbfx_scalar(dbfx *f, const char *sql)
{
    store_stmt *st;
    int rc = store_prepare(f->db, sql, &st);
    if (rc) fail_msg("prepare %s: %s: %s", sql, jc_strerror(rc), store_errmsg(f->db));
    rc = store_one(st);
    int64_t v = rc ? 0 : store_col_int(st, 0);
    store_reset(st);
    if (rc) fail_msg("%s: %s: %s", sql, jc_strerror(rc), store_errmsg(f->db));
    return v;
}

static int dbfx_migrate_kernel(dbfx *f)
{
    return store_migrate(f->db, "kernel", kernel_migrations, kernel_nmigrations);
}

#define DBFX_BOTH(fn)                                                                              \
    {"sqlite/" #fn, fn, dbfx_setup, dbfx_teardown, &dbfx_sqlite},                                  \
    {                                                                                              \
        "pg/" #fn, fn, dbfx_setup, dbfx_teardown, &dbfx_pg                                         \
    }

#endif
