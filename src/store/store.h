/* store.h — the storage interface: one connection to SQLite or PostgreSQL.
 *
 * SQL is written once with `?` or `?N` parameters, prepared on first use and cached per connection
 * (keyed by the address of the SQL string, so pass string literals or other static text), and
 * every value is bound, never formatted into SQL. A few DDL words differ between the backends;
 * migrations spell them as @ID@, @BLOB@ and @CODE@ (see store_exec_script()).
 *
 * Portable SQL rules for module authors: integers are BIGINT, booleans are 0/1 integers, times are
 * epoch seconds (BIGINT), dates 'YYYY-MM-DD' text, money integer fen; select no boolean expressions
 * (use CASE … THEN 1 ELSE 0 END); use RETURNING and ON CONFLICT (both backends have them). */
#ifndef JC_STORE_H
#define JC_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"

typedef enum store_kind { STORE_SQLITE, STORE_PG } store_kind;

typedef struct store store;
typedef struct store_stmt store_stmt;
typedef struct store_pool store_pool;

#define STORE_ROW  100 /* store_step(): a row is available */
#define STORE_DONE 101 /* store_step(): no (more) rows */

/* uri: a file path (SQLite, created if missing) or postgresql://… / postgres://… (libpq).
 * On failure returns a jc_rc and, if errmsg is not NULL, a malloc'd message. */
int store_open(const char *uri, store **out, char **errmsg);
void store_close(store *db);
store_kind store_kind_of(const store *db);
bool store_is_uri_pg(const char *uri);
/* The last error text of this connection (never NULL). */
const char *store_errmsg(const store *db);

/* Transactions nest by depth: only the outermost begin/commit reach the database. A rollback at
 * any depth dooms the whole transaction; the outermost commit then rolls back and fails. SQLite
 * begins IMMEDIATE, so writers queue instead of failing half-way. */
int store_begin(store *db);
/* A read-only transaction that sees one snapshot across statements (REPEATABLE READ on
 * PostgreSQL, a deferred transaction on SQLite); end it with store_rollback(). */
int store_begin_snapshot(store *db);
int store_commit(store *db);
void store_rollback(store *db);
bool store_in_tx(const store *db);

/* Runs DDL text (several statements, no parameters) after replacing @ID@ (autoincrement primary
 * key), @BLOB@ (binary) and @CODE@ (text compared bytewise: area codes, sortable keys). */
int store_exec_script(store *db, const char *sql);

/* A cached prepared statement for this connection. Always store_reset() it after use. */
int store_prepare(store *db, const char *sql, store_stmt **out);
void store_bind_int(store_stmt *st, int idx, int64_t v);
void store_bind_null_int(store_stmt *st, int idx);
/* v when present, else an integer-typed NULL (optional ids, scores, dates as epochs) */
void store_bind_opt_int(store_stmt *st, int idx, int64_t v, bool present);
/* NULL binds SQL NULL typed as text: on PostgreSQL the first binding fixes a parameter's type,
 * so a NULL for a BIGINT column must use store_bind_null_int() */
void store_bind_text(store_stmt *st, int idx, const char *s);
void store_bind_blob(store_stmt *st, int idx, const void *p, size_t n);
void store_bind_double(store_stmt *st, int idx, double v);
/* STORE_ROW, STORE_DONE, or a jc_rc: JC_ECONFLICT for a unique violation, JC_EUNPROC for a
 * foreign-key or check violation, JC_EBUSY when locked/unavailable, JC_EDB otherwise. */
int store_step(store_stmt *st);
int store_col_count(store_stmt *st);
bool store_col_null(store_stmt *st, int col);
int64_t store_col_int(store_stmt *st, int col);
double store_col_double(store_stmt *st, int col);
/* Valid until the next step or reset; NULL for SQL NULL. */
const char *store_col_text(store_stmt *st, int col);
const void *store_col_blob(store_stmt *st, int col, size_t *n);
/* Rows changed by the last completed INSERT/UPDATE/DELETE of this statement. */
int64_t store_changes(store_stmt *st);
void store_reset(store_stmt *st);
store *store_of(store_stmt *st);

/* A LIKE pattern matching text that contains q literally: "%" + q with %, _ and \ escaped + "%",
 * for `col LIKE ? ESCAPE '\'`. NULL for a NULL or empty q (no filter). Memory from the arena. */
const char *store_like_contains(arena *a, const char *q);

/* Runs a statement that returns no rows (or ignores them); resets it. Returns JC_OK or a jc_rc. */
int store_run(store_stmt *st);
/* Steps once; JC_OK with a row ready, JC_ENOTFOUND when there is none. Caller resets. */
int store_one(store_stmt *st);
/* Steps once and reads the first column as an integer (0 when there is no row or on error),
 * then resets: counts, ids from RETURNING, single numbers. Returns as store_one(). */
int store_one_int(store_stmt *st, int64_t *out);

/* Numbered migrations of one module, applied in order inside one transaction each. */
typedef struct store_migration {
    int version;
    const char *sql;    /* DDL for both backends */
    const char *pg_sql; /* when not NULL, used on PostgreSQL instead (triggers, functions) */
} store_migration;
int store_migrate(store *db, const char *module, const store_migration *m, size_t n);

/* Connections for server threads: each thread gets its own, opened on first use and kept.
 * get() returns NULL when the database cannot be reached. free() closes them all: call it only
 * after the threads have stopped. */
int store_pool_new(const char *uri, int size, store_pool **out, char **errmsg);
void store_pool_free(store_pool *p);
store *store_pool_get(store_pool *p);
void store_pool_put(store_pool *p, store *db);

/* Online consistent copy of the database to a SQLite file (from either backend is not supported:
 * SQLite only; PostgreSQL backups use pg_dump). */
int store_backup_sqlite(store *db, const char *path, char **errmsg);

#endif
