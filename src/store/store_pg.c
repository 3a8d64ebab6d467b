/* store_pg.c — the PostgreSQL backend (libpq). Statements are prepared on their first execution,
 * when the types of the bound values are known, so `? IS NULL` and friends need no casts. */
#include "store_impl.h"
#include "../base/rc.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OID_INT8   20
#define OID_TEXT   25
#define OID_FLOAT8 701
#define OID_BYTEA  17

#define PG_MAX_PARAMS 128 /* more parameters in one statement is a bug */

typedef struct pg_store {
    struct store base;
    PGconn *conn;
    char *uri; /* malloc */
    unsigned next_name;
} pg_store;

struct pg_param {
    char *val; /* malloc: text or binary value; NULL for SQL NULL */
    int len;
    int fmt; /* 0 text, 1 binary */
    unsigned type;
};

typedef struct pg_stmt {
    struct store_stmt base;
    char *sql; /* malloc: with $N placeholders */
    char name[16];
    bool prepared;
    int nparams;
    struct pg_param *params; /* malloc: nparams */
    PGresult *res;
    int row, nrows;
    int64_t changes;
    unsigned char *blob; /* malloc (PQunescapeBytea): last blob column read */
} pg_stmt;

static int pg_err(store *db, const PGresult *res)
{
    pg_store *p = (pg_store *)db;
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(p->conn);
    store_set_err(db, "%s", msg && *msg ? msg : PQerrorMessage(p->conn));
    size_t n = strlen(db->err);
    while (n && (db->err[n - 1] == '\n' || db->err[n - 1] == ' ')) db->err[--n] = '\0';
    if (PQstatus(p->conn) != CONNECTION_OK) return JC_EBUSY;
    if (!state) return JC_EDB;
    if (strcmp(state, "23505") == 0) return JC_ECONFLICT;
    if (strncmp(state, "23", 2) == 0) return JC_EUNPROC;
    if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0)
        return JC_EBUSY;
    if (strcmp(state, "42601") == 0 || strncmp(state, "42", 2) == 0) return JC_EINTERNAL;
    return JC_EDB;
}

static void pg_close(store *db)
{
    pg_store *p = (pg_store *)db;
    PQfinish(p->conn);
    free(p->uri);
    free(p);
}

static int pg_exec(store *db, const char *sql)
{
    pg_store *p = (pg_store *)db;
    PGresult *r = PQexec(p->conn, sql);
    ExecStatusType s = PQresultStatus(r);
    int rc = JC_OK;
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) rc = pg_err(db, r);
    /* COMMIT of a transaction that an earlier error aborted "succeeds" with the tag ROLLBACK:
     * report it, or the caller would believe writes were saved that were thrown away */
    if (!rc && strcmp(sql, "COMMIT") == 0 && strcmp(PQcmdStatus(r), "ROLLBACK") == 0) {
        store_set_err(db, "COMMIT rolled back: a statement of the transaction had failed");
        rc = JC_EDB;
    }
    PQclear(r);
    return rc;
}

/* `?` → `$n` in order, `?N` → `$N`; quoted literals and identifiers are left alone. */
static char *convert_params(const char *sql, int *nparams)
{
    size_t n = strlen(sql);
    char *out = malloc(n * 4 + 16);
    if (!out) return NULL;
    size_t o = 0;
    int maxn = 0;
    char quote = 0;
    for (size_t i = 0; i < n; i++) {
        char c = sql[i];
        if (quote) {
            out[o++] = c;
            if (c == quote) quote = 0;
            continue;
        }
        if (c == '\'' || c == '"') {
            quote = c;
            out[o++] = c;
            continue;
        }
        if (c != '?') {
            out[o++] = c;
            continue;
        }
        int num;
        if (sql[i + 1] >= '0' && sql[i + 1] <= '9') {
            num = 0;
            while (sql[i + 1] >= '0' && sql[i + 1] <= '9') num = num * 10 + (sql[++i] - '0');
        } else {
            num = maxn + 1; /* as SQLite numbers a bare `?` */
        }
        if (num > maxn) maxn = num;
        o += (size_t)sprintf(out + o, "$%d", num);
    }
    out[o] = '\0';
    *nparams = maxn;
    return out;
}

static int pg_prepare(store *db, const char *sql, store_stmt **out)
{
    pg_store *p = (pg_store *)db;
    pg_stmt *st = calloc(1, sizeof *st);
    if (!st) return JC_ENOMEM;
    st->sql = convert_params(sql, &st->nparams);
    if (st->sql && st->nparams > PG_MAX_PARAMS) {
        store_set_err(db, "statement has %d parameters (at most %d)", st->nparams, PG_MAX_PARAMS);
        free(st->sql);
        free(st);
        return JC_EINTERNAL;
    }
    st->params = calloc((size_t)st->nparams + 1, sizeof *st->params);
    if (!st->sql || !st->params) {
        free(st->sql);
        free(st->params);
        free(st);
        return JC_ENOMEM;
    }
    snprintf(st->name, sizeof st->name, "j%u", ++p->next_name);
    st->base.db = db;
    st->row = -1;
    *out = &st->base;
    return JC_OK;
}

static void clear_result(pg_stmt *st)
{
    PQclear(st->res);
    st->res = NULL;
    st->row = -1;
    st->nrows = 0;
    PQfreemem(st->blob);
    st->blob = NULL;
}

static void pg_reset(store_stmt *s)
{
    pg_stmt *st = (pg_stmt *)s;
    clear_result(st);
    for (int i = 0; i < st->nparams; i++) {
        free(st->params[i].val);
        st->params[i] = (struct pg_param){0};
    }
}

static void pg_finalize(store_stmt *s)
{
    pg_stmt *st = (pg_stmt *)s;
    pg_reset(s);
    /* the server-side statement goes away with the connection; DEALLOCATE is not worth a trip */
    free(st->params);
    free(st->sql);
    free(st);
}

static struct pg_param *param(store_stmt *s, int idx)
{
    pg_stmt *st = (pg_stmt *)s;
    if (idx < 1 || idx > st->nparams) return NULL;
    struct pg_param *pp = &st->params[idx - 1];
    free(pp->val);
    *pp = (struct pg_param){0};
    return pp;
}

static void pg_bind_int(store_stmt *s, int idx, int64_t v)
{
    struct pg_param *pp = param(s, idx);
    if (!pp) return;
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "%lld", (long long)v);
    pp->val = strdup(tmp);
    pp->len = n;
    pp->type = OID_INT8;
}

static void pg_bind_null(store_stmt *s, int idx, bool is_int)
{
    struct pg_param *pp = param(s, idx);
    if (pp) pp->type = is_int ? OID_INT8 : OID_TEXT;
}

static void pg_bind_text(store_stmt *s, int idx, const char *v)
{
    struct pg_param *pp = param(s, idx);
    if (!pp) return;
    pp->val = strdup(v);
    pp->len = (int)strlen(v);
    pp->type = OID_TEXT;
}

static void pg_bind_blob(store_stmt *s, int idx, const void *p, size_t n)
{
    struct pg_param *pp = param(s, idx);
    if (!pp) return;
    pp->val = malloc(n ? n : 1);
    if (pp->val && n) memcpy(pp->val, p, n);
    pp->len = (int)n;
    pp->fmt = 1;
    pp->type = OID_BYTEA;
}

static void pg_bind_double(store_stmt *s, int idx, double v)
{
    struct pg_param *pp = param(s, idx);
    if (!pp) return;
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%.17g", v);
    pp->val = strdup(tmp);
    pp->len = (int)strlen(tmp);
    pp->type = OID_FLOAT8;
}

static int pg_step(store_stmt *s)
{
    pg_stmt *st = (pg_stmt *)s;
    pg_store *p = (pg_store *)s->db;
    if (st->res) {
        if (++st->row < st->nrows) return STORE_ROW;
        return STORE_DONE;
    }
    int n = st->nparams;
    const char *vals[PG_MAX_PARAMS];
    int lens[PG_MAX_PARAMS], fmts[PG_MAX_PARAMS];
    unsigned types[PG_MAX_PARAMS];
    for (int i = 0; i < n; i++) {
        vals[i] = st->params[i].val;
        lens[i] = st->params[i].len;
        fmts[i] = st->params[i].fmt;
        types[i] = st->params[i].type;
    }
    if (!st->prepared) {
        PGresult *r = PQprepare(p->conn, st->name, st->sql, n, (const Oid *)types);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            int rc = pg_err(s->db, r);
            PQclear(r);
            return rc;
        }
        PQclear(r);
        st->prepared = true;
    }
    st->res = PQexecPrepared(p->conn, st->name, n, vals, lens, fmts, 0);
    ExecStatusType es = PQresultStatus(st->res);
    if (es == PGRES_TUPLES_OK) {
        st->nrows = PQntuples(st->res);
        const char *ct = PQcmdTuples(st->res);
        st->changes = ct && *ct ? atoll(ct) : 0;
        st->row = 0;
        return st->nrows > 0 ? STORE_ROW : STORE_DONE;
    }
    if (es == PGRES_COMMAND_OK) {
        const char *ct = PQcmdTuples(st->res);
        st->changes = ct && *ct ? atoll(ct) : 0;
        st->nrows = 0;
        st->row = 0;
        return STORE_DONE;
    }
    int rc = pg_err(s->db, st->res);
    clear_result(st);
    return rc;
}

static int pg_col_count(store_stmt *s)
{
    pg_stmt *st = (pg_stmt *)s;
    return st->res ? PQnfields(st->res) : 0;
}
static bool pg_col_null(store_stmt *s, int c)
{
    pg_stmt *st = (pg_stmt *)s;
    return !st->res || st->row >= st->nrows || PQgetisnull(st->res, st->row, c);
}
static const char *pg_col_text(store_stmt *s, int c)
{
    pg_stmt *st = (pg_stmt *)s;
    if (pg_col_null(s, c)) return NULL;
    return PQgetvalue(st->res, st->row, c);
}
static int64_t pg_col_int(store_stmt *s, int c)
{
    const char *v = pg_col_text(s, c);
    if (!v) return 0;
    if (v[0] == 't' && !v[1]) return 1;
    if (v[0] == 'f' && !v[1]) return 0;
    return strtoll(v, NULL, 10);
}
static double pg_col_double(store_stmt *s, int c)
{
    const char *v = pg_col_text(s, c);
    return v ? strtod(v, NULL) : 0.0;
}
static const void *pg_col_blob(store_stmt *s, int c, size_t *n)
{
    pg_stmt *st = (pg_stmt *)s;
    const char *v = pg_col_text(s, c);
    *n = 0;
    if (!v) return NULL;
    PQfreemem(st->blob);
    st->blob = PQunescapeBytea((const unsigned char *)v, n);
    return st->blob;
}
static int64_t pg_changes(store_stmt *s)
{
    return ((pg_stmt *)s)->changes;
}

static bool pg_healthy(store *db)
{
    return PQstatus(((pg_store *)db)->conn) == CONNECTION_OK;
}

static int pg_session_setup(store *db)
{
    return pg_exec(db, "SET client_encoding = 'UTF8'; SET client_min_messages = warning;"
                       " SET TIME ZONE 'UTC'");
}

static int pg_reconnect(store *db)
{
    pg_store *p = (pg_store *)db;
    PQreset(p->conn);
    if (PQstatus(p->conn) != CONNECTION_OK) return JC_EBUSY;
    return pg_session_setup(db);
}

static const struct store_ops pg_ops = {
    .close = pg_close,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .bind_int = pg_bind_int,
    .bind_null = pg_bind_null,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .bind_double = pg_bind_double,
    .step = pg_step,
    .col_count = pg_col_count,
    .col_null = pg_col_null,
    .col_text = pg_col_text,
    .col_int = pg_col_int,
    .col_double = pg_col_double,
    .col_blob = pg_col_blob,
    .changes = pg_changes,
    .reset = pg_reset,
    .healthy = pg_healthy,
    .reconnect = pg_reconnect,
    .begin_sql = "BEGIN",
    .snapshot_sql = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
};

int store_pg_open(const char *uri, store **out, char **errmsg)
{
    pg_store *p = calloc(1, sizeof *p);
    if (!p) return JC_ENOMEM;
    p->base.ops = &pg_ops;
    p->base.kind = STORE_PG;
    p->uri = strdup(uri);
    p->conn = PQconnectdb(uri);
    if (!p->uri || PQstatus(p->conn) != CONNECTION_OK) {
        if (errmsg) {
            char *m = strdup(p->conn ? PQerrorMessage(p->conn) : "out of memory");
            if (m) m[strcspn(m, "\n")] = '\0';
            *errmsg = m;
        }
        PQfinish(p->conn);
        free(p->uri);
        free(p);
        return JC_EBUSY;
    }
    int rc = pg_session_setup(&p->base);
    if (rc) {
        if (errmsg) *errmsg = strdup(p->base.err);
        pg_close(&p->base);
        return rc;
    }
    *out = &p->base;
    return JC_OK;
}
