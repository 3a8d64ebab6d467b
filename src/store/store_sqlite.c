/* store_sqlite.c — the embedded backend: WAL, foreign keys on, synchronous=FULL. */
#include "store_impl.h"
#include "../base/rc.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

typedef struct sq_store {
    struct store base;
    sqlite3 *h;
    char *path; /* malloc */
} sq_store;

typedef struct sq_stmt {
    struct store_stmt base;
    sqlite3_stmt *s;
    int64_t changes;
} sq_stmt;

static int sq_rc(store *db, int rc)
{
    sq_store *q = (sq_store *)db;
    store_set_err(db, "%s", sqlite3_errmsg(q->h));
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return JC_EBUSY;
    case SQLITE_CONSTRAINT:
        if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
            return JC_ECONFLICT;
        return JC_EUNPROC;
    case SQLITE_NOMEM:
        return JC_ENOMEM;
    case SQLITE_FULL:
    case SQLITE_IOERR:
        return JC_EIO;
    default:
        return JC_EDB;
    }
}

static void sq_close(store *db)
{
    sq_store *q = (sq_store *)db;
    sqlite3_close_v2(q->h);
    free(q->path);
    free(q);
}

static int sq_exec(store *db, const char *sql)
{
    sq_store *q = (sq_store *)db;
    char *msg = NULL;
    int rc = sqlite3_exec(q->h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        int jrc = sq_rc(db, sqlite3_extended_errcode(q->h));
        if (msg) store_set_err(db, "%s", msg);
        sqlite3_free(msg);
        return jrc;
    }
    return JC_OK;
}

static int sq_prepare(store *db, const char *sql, store_stmt **out)
{
    sq_store *q = (sq_store *)db;
    sq_stmt *st = calloc(1, sizeof *st);
    if (!st) return JC_ENOMEM;
    int rc = sqlite3_prepare_v3(q->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->s, NULL);
    if (rc != SQLITE_OK) {
        free(st);
        int jrc = sq_rc(db, rc);
        return jrc == JC_EBUSY ? jrc : JC_EINTERNAL; /* bad SQL is a bug */
    }
    st->base.db = db;
    *out = &st->base;
    return JC_OK;
}

static void sq_finalize(store_stmt *s)
{
    sq_stmt *st = (sq_stmt *)s;
    sqlite3_finalize(st->s);
    free(st);
}

#define S(x) (((sq_stmt *)(x))->s)

static void sq_bind_int(store_stmt *s, int i, int64_t v)
{
    sqlite3_bind_int64(S(s), i, v);
}
static void sq_bind_null(store_stmt *s, int i, bool is_int)
{
    (void)is_int;
    sqlite3_bind_null(S(s), i);
}
static void sq_bind_text(store_stmt *s, int i, const char *v)
{
    sqlite3_bind_text(S(s), i, v, -1, SQLITE_TRANSIENT);
}
static void sq_bind_blob(store_stmt *s, int i, const void *p, size_t n)
{
    sqlite3_bind_blob64(S(s), i, p ? p : "", n, SQLITE_TRANSIENT);
}
static void sq_bind_double(store_stmt *s, int i, double v)
{
    sqlite3_bind_double(S(s), i, v);
}

static int sq_step(store_stmt *s)
{
    sq_stmt *st = (sq_stmt *)s;
    int rc = sqlite3_step(st->s);
    if (rc == SQLITE_ROW) return STORE_ROW;
    if (rc == SQLITE_DONE) {
        st->changes = sqlite3_changes64(sqlite3_db_handle(st->s));
        return STORE_DONE;
    }
    return sq_rc(s->db, sqlite3_extended_errcode(((sq_store *)s->db)->h));
}

static int sq_col_count(store_stmt *s)
{
    return sqlite3_column_count(S(s));
}
static bool sq_col_null(store_stmt *s, int c)
{
    return sqlite3_column_type(S(s), c) == SQLITE_NULL;
}
static const char *sq_col_text(store_stmt *s, int c)
{
    return (const char *)sqlite3_column_text(S(s), c);
}
static int64_t sq_col_int(store_stmt *s, int c)
{
    return sqlite3_column_int64(S(s), c);
}
static double sq_col_double(store_stmt *s, int c)
{
    return sqlite3_column_double(S(s), c);
}
static const void *sq_col_blob(store_stmt *s, int c, size_t *n)
{
    const void *p = sqlite3_column_blob(S(s), c);
    *n = (size_t)sqlite3_column_bytes(S(s), c);
    return p;
}
static int64_t sq_changes(store_stmt *s)
{
    return ((sq_stmt *)s)->changes;
}
static void sq_reset(store_stmt *s)
{
    sqlite3_reset(S(s));
    sqlite3_clear_bindings(S(s));
}
static bool sq_healthy(store *db)
{
    (void)db;
    return true;
}
static int sq_reconnect(store *db)
{
    (void)db;
    return JC_OK;
}

static const struct store_ops sq_ops = {
    .close = sq_close,
    .exec = sq_exec,
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .bind_int = sq_bind_int,
    .bind_null = sq_bind_null,
    .bind_text = sq_bind_text,
    .bind_blob = sq_bind_blob,
    .bind_double = sq_bind_double,
    .step = sq_step,
    .col_count = sq_col_count,
    .col_null = sq_col_null,
    .col_text = sq_col_text,
    .col_int = sq_col_int,
    .col_double = sq_col_double,
    .col_blob = sq_col_blob,
    .changes = sq_changes,
    .reset = sq_reset,
    .healthy = sq_healthy,
    .reconnect = sq_reconnect,
    .begin_sql = "BEGIN IMMEDIATE",
    .snapshot_sql = "BEGIN DEFERRED",
};

/* Before the first connection: no global memory statistics, whose mutex every allocation of
 * every connection would otherwise take. */
static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;
static void sqlite_global_init(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int store_sqlite_open(const char *path, store **out, char **errmsg)
{
    pthread_once(&sqlite_once, sqlite_global_init);
    sq_store *q = calloc(1, sizeof *q);
    if (!q) return JC_ENOMEM;
    q->base.ops = &sq_ops;
    q->base.kind = STORE_SQLITE;
    q->path = strdup(path);
    int rc = sqlite3_open_v2(
        path, &q->h,
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, NULL);
    if (rc != SQLITE_OK || !q->path) {
        if (errmsg) *errmsg = strdup(q->h ? sqlite3_errmsg(q->h) : "out of memory");
        sqlite3_close_v2(q->h);
        free(q->path);
        free(q);
        return JC_EDB;
    }
    sqlite3_busy_timeout(q->h, 15000);
    sqlite3_extended_result_codes(q->h, 1);
    static const char pragmas[] = "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;"
                                  "PRAGMA synchronous=FULL; PRAGMA temp_store=MEMORY;";
    char *msg = NULL;
    if (sqlite3_exec(q->h, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
        if (errmsg) *errmsg = strdup(msg ? msg : "pragma failed");
        sqlite3_free(msg);
        sqlite3_close_v2(q->h);
        free(q->path);
        free(q);
        return JC_EDB;
    }
    *out = &q->base;
    return JC_OK;
}

int store_backup_sqlite(store *db, const char *path, char **errmsg)
{
    if (db->kind != STORE_SQLITE) {
        if (errmsg) *errmsg = strdup("backup of PostgreSQL: use pg_dump");
        return JC_EINVAL;
    }
    sq_store *q = (sq_store *)db;
    sqlite3 *dst;
    if (sqlite3_open(path, &dst) != SQLITE_OK) {
        if (errmsg) *errmsg = strdup(sqlite3_errmsg(dst));
        sqlite3_close(dst);
        return JC_EIO;
    }
    /* one step copies every page under one read transaction: a consistent snapshot even while
     * servers keep writing (WAL readers do not block writers) */
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", q->h, "main");
    int rc = b ? sqlite3_backup_step(b, -1) : SQLITE_ERROR;
    if (b) sqlite3_backup_finish(b);
    int jrc = JC_OK;
    if (rc != SQLITE_DONE) {
        if (errmsg) *errmsg = strdup(sqlite3_errmsg(dst));
        jrc = JC_EIO;
    } else if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK) {
        jrc = JC_EIO;
    }
    sqlite3_close(dst);
    return jrc;
}
