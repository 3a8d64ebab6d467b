/* http.h — what a module sees of HTTP: a request with its context, and the route table.
 *
 * Handlers receive a jc_req whose ctx has the arena, a database connection and the logged-in
 * user; they read inputs through the req_* accessors, return a jc_rc, and on success set the
 * JSON answer with req_json(). Errors become statuses in exactly one place (router.c). */
#ifndef JC_HTTP_H
#define JC_HTTP_H

#include "../base/jw.h"
#include "../kernel/ctx.h"

#include <stdbool.h>
#include <stddef.h>

struct MHD_Connection;
typedef struct jc_req jc_req;
typedef int (*jc_handler)(jc_req *r);

enum route_flags {
    RT_PUBLIC = 1 << 0,        /* no login needed */
    RT_RAW_BODY = 1 << 1,      /* the body is not JSON (uploads, spreadsheets): handler reads it */
    RT_OPTIONAL_AUTH = 1 << 2, /* public, but the user is loaded when a session is present */
};

typedef struct jc_route {
    const char *method;  /* GET POST PUT PATCH DELETE */
    const char *pattern; /* "/api/v1/ledger/tasks/{id}"; {x} matches one path segment */
    jc_handler handler;
    unsigned roles;    /* RB() mask; 0 = any logged-in user */
    unsigned flags;    /* route_flags */
    size_t body_limit; /* bytes; 0 = 1 MiB */
} jc_route;

#define REQ_MAX_VARS 4
#define REQ_MAX_HDRS 8

struct jc_req {
    jc_ctx c; /* arena, db, user, now, err */
    const char *method, *path;
    const char *vars[REQ_MAX_VARS]; /* {x} path segments in order (arena) */
    int nvars;
    struct MHD_Connection *conn;
    const jc_route *route;
    const char *body; /* raw body (NUL-terminated), NULL when none */
    size_t body_len;
    json_t *json; /* parsed JSON body or NULL */
    const char *session_token;
    /* response */
    int status;      /* 0 = 200 (or from the rc) */
    json_t *out;     /* JSON answer (arena-owned) */
    jw *w;           /* or a JSON answer written directly (req_writer) */
    const void *raw; /* or a raw answer: bytes (arena or static) */
    size_t raw_len;
    const char *raw_type; /* its content type */
    struct {
        const char *name, *value;
    } hdr[REQ_MAX_HDRS];
    int nhdr;
};

const char *req_query(jc_req *r, const char *key);
const char *req_header(jc_req *r, const char *name);
/* An integer query parameter in [min, max], def when absent; 400 naming the parameter. */
int req_query_int(jc_req *r, const char *key, int64_t def, int64_t min, int64_t max, int64_t *out);
/* An optional date (YYYY-MM-DD) query parameter; NULL when absent; 400 when malformed. */
int req_query_date(jc_req *r, const char *key, const char **out);
/* Path variable idx as a positive integer; 404 otherwise. */
int req_var_id(jc_req *r, int idx, int64_t *id);
/* page (1-based) and per_page (1..200, default 50) from the query. */
int req_page(jc_req *r, int64_t *page, int64_t *per_page);
/* {items, total, page, per_page} (steals items) */
json_t *req_page_json(jc_req *r, json_t *items, int64_t total, int64_t page, int64_t per_page);

void req_set_header(jc_req *r, const char *name, const char *value);
/* Sets the JSON answer (the reference is taken over) and its status (0 → 200). */
int req_json(jc_req *r, int status, json_t *body);
/* Sets ETag: "version" */
void req_etag(jc_req *r, int64_t version);
/* A JSON writer for the answer (status 0 → 200): what it holds is sent when the handler returns
 * JC_OK. For hot paths, where building a jansson tree would cost more than the request. */
jw *req_writer(jc_req *r, int status);

#endif
