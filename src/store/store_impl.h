/* store_impl.h — internal: the backend vtable behind store.h. */
#ifndef JC_STORE_IMPL_H
#define JC_STORE_IMPL_H

#include "store.h"

struct store_ops {
    void (*close)(store *db);
    int (*exec)(store *db, const char *sql); /* simple statements, no params */
    int (*prepare)(store *db, const char *sql, store_stmt **out);
    void (*finalize)(store_stmt *st);
    void (*bind_int)(store_stmt *st, int idx, int64_t v);
    void (*bind_null)(store_stmt *st, int idx, bool is_int);
    void (*bind_text)(store_stmt *st, int idx, const char *s);
    void (*bind_blob)(store_stmt *st, int idx, const void *p, size_t n);
    void (*bind_double)(store_stmt *st, int idx, double v);
    int (*step)(store_stmt *st);
    int (*col_count)(store_stmt *st);
    bool (*col_null)(store_stmt *st, int col);
    const char *(*col_text)(store_stmt *st, int col);
    int64_t (*col_int)(store_stmt *st, int col);
    double (*col_double)(store_stmt *st, int col);
    const void *(*col_blob)(store_stmt *st, int col, size_t *n);
    int64_t (*changes)(store_stmt *st);
    void (*reset)(store_stmt *st);
    bool (*healthy)(store *db);  /* false when the connection needs reopening */
    int (*reconnect)(store *db); /* statements are finalized before */
    const char *begin_sql;
    const char *snapshot_sql;
};

struct stmt_slot {
    const char *sql; /* key: the caller's static SQL text */
    store_stmt *st;
};

struct store {
    const struct store_ops *ops;
    store_kind kind;
    int tx_depth;
    bool tx_doomed;
    char err[512];
    struct stmt_slot *cache; /* malloc: open addressing by pointer */
    size_t ncache, capcache;
};

struct store_stmt {
    store *db; /* the connection that owns the statement */
};

void store_set_err(store *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void store_cache_clear(store *db);
/* Replaces the DDL words; malloc'd result. */
char *store_ddl_expand(store_kind kind, const char *sql);

int store_sqlite_open(const char *path, store **out, char **errmsg);
int store_pg_open(const char *uri, store **out, char **errmsg);

#endif
