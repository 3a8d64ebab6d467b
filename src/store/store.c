#include "store_impl.h"
#include "../base/rc.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool store_is_uri_pg(const char *uri)
{
    return strncmp(uri, "postgresql://", 13) == 0 || strncmp(uri, "postgres://", 11) == 0;
}

int store_open(const char *uri, store **out, char **errmsg)
{
    *out = NULL;
    if (errmsg) *errmsg = NULL;
    if (store_is_uri_pg(uri)) return store_pg_open(uri, out, errmsg);
    return store_sqlite_open(uri, out, errmsg);
}

void store_set_err(store *db, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(db->err, sizeof db->err, fmt, ap);
    va_end(ap);
}

const char *store_errmsg(const store *db)
{
    return db->err;
}

store_kind store_kind_of(const store *db)
{
    return db->kind;
}

store *store_of(store_stmt *st)
{
    return st->db;
}

void store_cache_clear(store *db)
{
    for (size_t i = 0; i < db->capcache; i++)
        if (db->cache[i].st) db->ops->finalize(db->cache[i].st);
    free(db->cache);
    db->cache = NULL;
    db->ncache = db->capcache = 0;
}

void store_close(store *db)
{
    if (!db) return;
    store_cache_clear(db);
    db->ops->close(db);
}

static size_t ptr_hash(const void *p, size_t cap)
{
    uintptr_t x = (uintptr_t)p;
    x ^= x >> 17;
    x *= 0x9E3779B97F4A7C15ull;
    return (size_t)(x >> 7) & (cap - 1);
}

static int cache_put(store *db, const char *sql, store_stmt *st)
{
    if ((db->ncache + 1) * 2 > db->capcache) {
        size_t ncap = db->capcache ? db->capcache * 2 : 64;
        struct stmt_slot *nc = calloc(ncap, sizeof *nc);
        if (!nc) return JC_ENOMEM;
        for (size_t i = 0; i < db->capcache; i++) {
            if (!db->cache[i].sql) continue;
            size_t h = ptr_hash(db->cache[i].sql, ncap);
            while (nc[h].sql) h = (h + 1) & (ncap - 1);
            nc[h] = db->cache[i];
        }
        free(db->cache);
        db->cache = nc;
        db->capcache = ncap;
    }
    size_t h = ptr_hash(sql, db->capcache);
    while (db->cache[h].sql) h = (h + 1) & (db->capcache - 1);
    db->cache[h].sql = sql;
    db->cache[h].st = st;
    db->ncache++;
    return JC_OK;
}

int store_prepare(store *db, const char *sql, store_stmt **out)
{
    if (db->capcache) {
        size_t h = ptr_hash(sql, db->capcache);
        while (db->cache[h].sql) {
            if (db->cache[h].sql == sql) {
                *out = db->cache[h].st;
                return JC_OK;
            }
            h = (h + 1) & (db->capcache - 1);
        }
    }
    store_stmt *st;
    int rc = db->ops->prepare(db, sql, &st);
    if (rc) return rc;
    rc = cache_put(db, sql, st);
    if (rc) {
        db->ops->finalize(st);
        return rc;
    }
    *out = st;
    return JC_OK;
}

void store_bind_int(store_stmt *st, int idx, int64_t v)
{
    st->db->ops->bind_int(st, idx, v);
}
void store_bind_null_int(store_stmt *st, int idx)
{
    st->db->ops->bind_null(st, idx, true);
}
void store_bind_opt_int(store_stmt *st, int idx, int64_t v, bool present)
{
    if (present)
        store_bind_int(st, idx, v);
    else
        store_bind_null_int(st, idx);
}
void store_bind_text(store_stmt *st, int idx, const char *s)
{
    if (s)
        st->db->ops->bind_text(st, idx, s);
    else
        st->db->ops->bind_null(st, idx, false);
}
void store_bind_blob(store_stmt *st, int idx, const void *p, size_t n)
{
    st->db->ops->bind_blob(st, idx, p, n);
}
void store_bind_double(store_stmt *st, int idx, double v)
{
    st->db->ops->bind_double(st, idx, v);
}
int store_step(store_stmt *st)
{
    return st->db->ops->step(st);
}
int store_col_count(store_stmt *st)
{
    return st->db->ops->col_count(st);
}
bool store_col_null(store_stmt *st, int col)
{
    return st->db->ops->col_null(st, col);
}
int64_t store_col_int(store_stmt *st, int col)
{
    return st->db->ops->col_int(st, col);
}
double store_col_double(store_stmt *st, int col)
{
    return st->db->ops->col_double(st, col);
}
const char *store_col_text(store_stmt *st, int col)
{
    return st->db->ops->col_text(st, col);
}
const void *store_col_blob(store_stmt *st, int col, size_t *n)
{
    return st->db->ops->col_blob(st, col, n);
}
int64_t store_changes(store_stmt *st)
{
    return st->db->ops->changes(st);
}
void store_reset(store_stmt *st)
{
    st->db->ops->reset(st);
}

const char *store_like_contains(arena *a, const char *q)
{
    if (!q || !*q) return NULL;
    size_t n = strlen(q);
    char *p = arena_alloc(a, n * 2 + 3);
    if (!p) return NULL;
    size_t o = 0;
    p[o++] = '%';
    for (size_t i = 0; i < n; i++) {
        if (q[i] == '%' || q[i] == '_' || q[i] == '\\') p[o++] = '\\';
        p[o++] = q[i];
    }
    p[o++] = '%';
    p[o] = '\0';
    return p;
}

int store_one_int(store_stmt *st, int64_t *out)
{
    int rc = store_one(st);
    *out = rc ? 0 : store_col_int(st, 0);
    store_reset(st);
    return rc;
}

int store_run(store_stmt *st)
{
    int rc;
    do rc = store_step(st);
    while (rc == STORE_ROW);
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : rc;
}

int store_one(store_stmt *st)
{
    int rc = store_step(st);
    if (rc == STORE_ROW) return JC_OK;
    if (rc == STORE_DONE) return JC_ENOTFOUND;
    return rc;
}

int store_begin(store *db)
{
    if (db->tx_depth++ > 0) return JC_OK;
    db->tx_doomed = false;
    int rc = db->ops->exec(db, db->ops->begin_sql);
    if (rc) db->tx_depth = 0;
    return rc;
}

int store_begin_snapshot(store *db)
{
    if (db->tx_depth > 0) return JC_EINTERNAL; /* a snapshot cannot nest in a write */
    int rc = db->ops->exec(db, db->ops->snapshot_sql);
    if (!rc) {
        db->tx_depth = 1;
        db->tx_doomed = false;
    }
    return rc;
}

bool store_in_tx(const store *db)
{
    return db->tx_depth > 0;
}

int store_commit(store *db)
{
    if (db->tx_depth <= 0) return JC_EINTERNAL;
    if (--db->tx_depth > 0) return db->tx_doomed ? JC_EDB : JC_OK;
    if (db->tx_doomed) {
        db->ops->exec(db, "ROLLBACK");
        return JC_EDB;
    }
    int rc = db->ops->exec(db, "COMMIT");
    if (rc) db->ops->exec(db, "ROLLBACK");
    return rc;
}

void store_rollback(store *db)
{
    if (db->tx_depth <= 0) return;
    if (--db->tx_depth > 0) {
        db->tx_doomed = true;
        return;
    }
    /* keep the first error message: ROLLBACK's own status is not interesting */
    char saved[sizeof db->err];
    memcpy(saved, db->err, sizeof saved);
    db->ops->exec(db, "ROLLBACK");
    memcpy(db->err, saved, sizeof saved);
}

char *store_ddl_expand(store_kind kind, const char *sql)
{
    static const struct {
        const char *word, *sqlite, *pg;
    } words[] = {
        {"@ID@", "INTEGER PRIMARY KEY AUTOINCREMENT",
         "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
        {"@BLOB@", "BLOB", "BYTEA"},
        {"@CODE@", "TEXT", "TEXT COLLATE \"C\""},
    };
    size_t cap = strlen(sql) * 2 + 256, len = 0;
    char *out = malloc(cap);
    if (!out) return NULL;
    const char *p = sql;
    while (*p) {
        size_t k;
        for (k = 0; k < JC_NELEM(words); k++)
            if (strncmp(p, words[k].word, strlen(words[k].word)) == 0) break;
        const char *rep = NULL;
        size_t skip = 1;
        if (k < JC_NELEM(words)) {
            rep = kind == STORE_PG ? words[k].pg : words[k].sqlite;
            skip = strlen(words[k].word);
        }
        size_t rl = rep ? strlen(rep) : 1;
        if (len + rl + 1 > cap) {
            cap = (len + rl + 1) * 2;
            char *n = realloc(out, cap);
            if (!n) {
                free(out);
                return NULL;
            }
            out = n;
        }
        if (rep)
            memcpy(out + len, rep, rl);
        else
            out[len] = *p;
        len += rl;
        p += skip;
    }
    out[len] = '\0';
    return out;
}

int store_exec_script(store *db, const char *sql)
{
    char *x = store_ddl_expand(db->kind, sql);
    if (!x) return JC_ENOMEM;
    int rc = db->ops->exec(db, x);
    free(x);
    return rc;
}

static const char SQL_MIG_TABLE[] = "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                    " module TEXT NOT NULL, version BIGINT NOT NULL,"
                                    " applied_at BIGINT NOT NULL, PRIMARY KEY (module, version))";
static const char SQL_MIG_MAX[] =
    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE module = ?";
static const char SQL_MIG_ADD[] =
    "INSERT INTO schema_migrations (module, version, applied_at) VALUES (?, ?, ?)";

int store_migrate(store *db, const char *module, const store_migration *m, size_t n)
{
    int rc = db->ops->exec(db, SQL_MIG_TABLE);
    if (rc) return rc;
    for (size_t i = 0; i < n; i++) {
        rc = store_begin(db);
        if (rc) return rc;
        if (db->kind == STORE_PG) {
            /* several servers may start at once: one migrates, the others wait and then skip */
            rc = db->ops->exec(db, "SELECT pg_advisory_xact_lock(4242001)");
            if (rc) goto fail;
        }
        store_stmt *st;
        rc = store_prepare(db, SQL_MIG_MAX, &st);
        if (rc) goto fail;
        store_bind_text(st, 1, module);
        int64_t have;
        rc = store_one_int(st, &have);
        if (rc) goto fail;
        if (have >= m[i].version) {
            store_rollback(db);
            continue;
        }
        rc = store_exec_script(db, db->kind == STORE_PG && m[i].pg_sql ? m[i].pg_sql : m[i].sql);
        if (rc) {
            char msg[sizeof db->err];
            memcpy(msg, db->err, sizeof msg);
            store_set_err(db, "migration %s/%d: %.400s", module, m[i].version, msg);
            goto fail;
        }
        rc = store_prepare(db, SQL_MIG_ADD, &st);
        if (rc) goto fail;
        store_bind_text(st, 1, module);
        store_bind_int(st, 2, m[i].version);
        store_bind_int(st, 3, (int64_t)time(NULL));
        rc = store_run(st);
        if (rc) goto fail;
        rc = store_commit(db);
        if (rc) return rc;
    }
    return JC_OK;
fail:
    store_rollback(db);
    return rc;
}

/* ---- pool ----
 * One connection per server thread, opened on the thread's first request and kept for its life:
 * libmicrohttpd's pool threads each serve one request at a time, so a thread-local connection
 * needs no lock at all on the hot path. */

struct store_pool {
    char *uri;          /* malloc */
    pthread_key_t key;  /* the calling thread's connection */
    pthread_mutex_t mu; /* guards all[] */
    store **all;        /* malloc: every connection opened, closed by store_pool_free() */
    int nall, cap;
};

int store_pool_new(const char *uri, int size, store_pool **out, char **errmsg)
{
    (void)size;
    /* open one now, so that a wrong URI fails at start-up rather than on the first request */
    store *probe;
    int rc = store_open(uri, &probe, errmsg);
    if (rc) return rc;
    store_close(probe);
    store_pool *p = calloc(1, sizeof *p);
    if (!p) return JC_ENOMEM;
    p->uri = strdup(uri);
    if (!p->uri || pthread_key_create(&p->key, NULL) != 0) {
        free(p->uri);
        free(p);
        return JC_ENOMEM;
    }
    pthread_mutex_init(&p->mu, NULL);
    *out = p;
    return JC_OK;
}

void store_pool_free(store_pool *p)
{
    if (!p) return;
    for (int i = 0; i < p->nall; i++) store_close(p->all[i]);
    pthread_key_delete(p->key);
    pthread_mutex_destroy(&p->mu);
    free(p->all);
    free(p->uri);
    free(p);
}

store *store_pool_get(store_pool *p)
{
    store *db = pthread_getspecific(p->key);
    if (db) {
        if (!db->ops->healthy(db)) {
            store_cache_clear(db);
            db->ops->reconnect(db);
        }
        return db;
    }
    char *err = NULL;
    if (store_open(p->uri, &db, &err)) {
        free(err);
        return NULL;
    }
    pthread_mutex_lock(&p->mu);
    if (p->nall == p->cap) {
        int ncap = p->cap ? p->cap * 2 : 16;
        store **n = realloc(p->all, sizeof *n * (size_t)ncap);
        if (!n) {
            pthread_mutex_unlock(&p->mu);
            store_close(db);
            return NULL;
        }
        p->all = n;
        p->cap = ncap;
    }
    p->all[p->nall++] = db;
    pthread_mutex_unlock(&p->mu);
    pthread_setspecific(p->key, db);
    return db;
}

void store_pool_put(store_pool *p, store *db)
{
    (void)p;
    while (db->tx_depth > 0) store_rollback(db); /* a handler that forgot: never leak a tx */
}
