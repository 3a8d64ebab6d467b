/* router.c — the route table, authentication, JSON bodies, and the one place where jc_rc codes
 * become HTTP statuses and error bodies. */
#include "server.h"
#include "../base/buf.h"
#include "../base/log.h"
#include "../base/text.h"
#include "../base/timeutil.h"
#include "../kernel/auth.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_BODY_LIMIT ((size_t)1 << 20)

bool router_add(jc_app *app, const jc_route *routes, size_t n)
{
    const jc_route **nr = realloc(app->routes, sizeof *nr * (app->nroutes + n));
    if (!nr) return false;
    app->routes = nr;
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < app->nroutes; k++)
            if (strcmp(app->routes[k]->method, routes[i].method) == 0 &&
                strcmp(app->routes[k]->pattern, routes[i].pattern) == 0) {
                jc_log(LOG_ERR, "duplicate route %s %s", routes[i].method, routes[i].pattern);
                return false;
            }
        app->routes[app->nroutes++] = &routes[i];
    }
    return true;
}

bool router_add_error_hook(jc_app *app, const char *prefix, void (*render)(jc_req *r, int rc))
{
    if (app->nerror_hooks >= (int)JC_NELEM(app->error_hooks)) return false;
    app->error_hooks[app->nerror_hooks].prefix = prefix;
    app->error_hooks[app->nerror_hooks].render = render;
    app->nerror_hooks++;
    return true;
}

/* Matches path against pattern segment by segment; {x} takes one non-empty segment. */
static bool match(const char *pat, const char *path, const char **vars, int *nvars, arena *a)
{
    int nv = 0;
    while (*pat && *path) {
        if (*pat == '{') {
            const char *pe = strchr(pat, '}');
            const char *se = strchr(path, '/');
            size_t len = se ? (size_t)(se - path) : strlen(path);
            if (!pe || len == 0 || nv >= REQ_MAX_VARS) return false;
            if (vars) vars[nv] = arena_strndup(a, path, len);
            nv++;
            pat = pe + 1;
            path += len;
            continue;
        }
        if (*pat != *path) return false;
        pat++;
        path++;
    }
    if (*pat || *path) return false;
    if (nvars) *nvars = nv;
    return true;
}

const jc_route *router_match(const jc_app *app, const char *method, const char *path,
                             const char **vars, int *nvars, arena *a, bool *other_method)
{
    *other_method = false;
    if (strcmp(method, "HEAD") == 0) method = "GET";
    for (size_t i = 0; i < app->nroutes; i++) {
        const jc_route *rt = app->routes[i];
        if (!match(rt->pattern, path, NULL, NULL, a)) continue;
        if (strcmp(rt->method, method) != 0) {
            *other_method = true;
            continue;
        }
        match(rt->pattern, path, vars, nvars, a);
        return rt;
    }
    return NULL;
}

int jc_rc_http_status(int rc)
{
    switch (rc) {
    case JC_OK:
        return 200;
    case JC_EINVAL:
        return 400;
    case JC_EUNPROC:
        return 422;
    case JC_EAUTH:
        return 401;
    case JC_EPERM:
        return 403;
    case JC_ENOTFOUND:
        return 404;
    case JC_ECONFLICT:
    case JC_ESTALE:
        return 409;
    case JC_EPRECOND:
        return 428;
    case JC_ETOOBIG:
        return 413;
    case JC_EMEDIA:
        return 415;
    case JC_ERATE:
        return 429;
    case JC_EBUSY:
        return 503;
    default:
        return 500;
    }
}

/* ---- accessors for handlers ---- */

const char *req_query(jc_req *r, const char *key)
{
    return r->conn ? MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key) : NULL;
}

const char *req_header(jc_req *r, const char *name)
{
    return r->conn ? MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name) : NULL;
}

int req_query_int(jc_req *r, const char *key, int64_t def, int64_t min, int64_t max, int64_t *out)
{
    const char *v = req_query(r, key);
    if (!v || !*v) {
        *out = def;
        return JC_OK;
    }
    char *end;
    long long x = strtoll(v, &end, 10);
    if (*end || x < min || x > max)
        return jc_fail(&r->c, JC_EINVAL, "invalid_parameter", key,
                       arena_printf(r->c.a, "%s must be an integer between %lld and %lld", key,
                                    (long long)min, (long long)max),
                       arena_printf(r->c.a, "参数 %s 须为%lld到%lld之间的整数", key, (long long)min,
                                    (long long)max));
    *out = x;
    return JC_OK;
}

int req_query_date(jc_req *r, const char *key, const char **out)
{
    const char *v = req_query(r, key);
    *out = NULL;
    if (!v || !*v) return JC_OK;
    if (!jc_date_valid(v))
        return jc_fail(&r->c, JC_EINVAL, "invalid_parameter", key,
                       arena_printf(r->c.a, "%s must be a date YYYY-MM-DD", key),
                       arena_printf(r->c.a, "参数 %s 须为日期(YYYY-MM-DD)", key));
    *out = v;
    return JC_OK;
}

int req_var_id(jc_req *r, int idx, int64_t *id)
{
    const char *v = idx < r->nvars ? r->vars[idx] : NULL;
    char *end;
    long long x = v ? strtoll(v, &end, 10) : 0;
    if (!v || *end || x <= 0)
        return jc_fail(&r->c, JC_ENOTFOUND, "not_found", NULL, "no such record", "记录不存在");
    *id = x;
    return JC_OK;
}

int req_page(jc_req *r, int64_t *page, int64_t *per_page)
{
    int rc = req_query_int(r, "page", 1, 1, 1000000, page);
    if (!rc) rc = req_query_int(r, "per_page", 50, 1, 200, per_page);
    return rc;
}

json_t *req_page_json(jc_req *r, json_t *items, int64_t total, int64_t page, int64_t per_page)
{
    return jc_own(&r->c,
                  json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)total,
                            "page", (json_int_t)page, "per_page", (json_int_t)per_page));
}

void req_set_header(jc_req *r, const char *name, const char *value)
{
    if (r->nhdr < REQ_MAX_HDRS) {
        r->hdr[r->nhdr].name = name;
        r->hdr[r->nhdr].value = value;
        r->nhdr++;
    }
}

int req_json(jc_req *r, int status, json_t *body)
{
    r->status = status;
    r->out = jc_own(&r->c, body);
    return body ? JC_OK
                : jc_fail(&r->c, JC_ENOMEM, "out_of_memory", NULL, "out of memory", "内存不足");
}

static void buf_free_cb(void *p)
{
    buf_free(p);
}

jw *req_writer(jc_req *r, int status)
{
    jc_buf *b = arena_alloc(r->c.a, sizeof *b);
    jw *w = arena_alloc(r->c.a, sizeof *w);
    if (!b || !w) return NULL;
    buf_init(b, (size_t)64 << 20);
    if (arena_defer(r->c.a, buf_free_cb, b)) return NULL;
    jw_init(w, b);
    r->w = w;
    r->status = status;
    return w;
}

void req_etag(jc_req *r, int64_t version)
{
    req_set_header(r, "ETag", arena_printf(r->c.a, "\"%lld\"", (long long)version));
}

/* ---- dispatch ---- */

static void error_body(const jc_app *app, jc_req *r, int rc)
{
    for (int i = 0; app && i < app->nerror_hooks; i++)
        if (strncmp(r->path, app->error_hooks[i].prefix, strlen(app->error_hooks[i].prefix)) == 0) {
            if (!r->c.err.code) r->c.err.code = jc_strerror(rc);
            r->status = jc_rc_http_status(rc);
            r->out = NULL;
            r->w = NULL;
            r->raw = NULL;
            app->error_hooks[i].render(r, rc);
            if (r->raw) return;
        }
    jc_err *e = &r->c.err;
    if (!e->code) {
        e->code = jc_strerror(rc);
        if (rc >= JC_ENOMEM && rc != JC_EBUSY) {
            e->en = "internal error";
            e->zh = "服务器内部错误";
        }
    }
    json_t *err = json_pack("{s:s, s:s, s:s}", "code", e->code, "message", e->en ? e->en : e->code,
                            "message_zh", e->zh ? e->zh : "请求失败");
    if (err && e->field) json_object_set_new(err, "field", json_string(e->field));
    if (err && e->extra) json_object_update(err, e->extra);
    r->out = jc_own(&r->c, json_pack("{s:o?}", "error", err));
    r->status = jc_rc_http_status(rc);
    r->raw = NULL;
}

static bool is_json_type(const char *ct)
{
    if (!ct) return false;
    while (*ct == ' ') ct++;
    size_t n = strlen("application/json");
    if (strncasecmp(ct, "application/json", n) != 0) return false;
    ct += n;
    while (*ct == ' ') ct++;
    if (!*ct) return true;
    if (*ct != ';') return false;
    /* only UTF-8 is accepted */
    const char *cs = strcasestr(ct, "charset=");
    if (!cs) return true;
    cs += 8;
    if (*cs == '"') cs++;
    return strncasecmp(cs, "utf-8", 5) == 0 || strncasecmp(cs, "utf8", 4) == 0;
}

static int parse_body(jc_req *r)
{
    if ((r->route->flags & RT_RAW_BODY) || r->body_len == 0) return JC_OK;
    if (!is_json_type(req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE)))
        return jc_fail(&r->c, JC_EMEDIA, "unsupported_media_type", "Content-Type",
                       "send JSON with Content-Type: application/json",
                       "请以 Content-Type: application/json 发送JSON");
    if (!jc_utf8_valid(r->body, r->body_len))
        return jc_fail(&r->c, JC_EINVAL, "invalid_utf8", NULL, "the body is not valid UTF-8",
                       "请求内容不是有效的UTF-8编码");
    json_error_t je;
    r->json = jc_own(&r->c, json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &je));
    if (!r->json)
        return jc_fail(&r->c, JC_EINVAL, "invalid_json", NULL,
                       arena_printf(r->c.a, "malformed JSON at line %d column %d: %s", je.line,
                                    je.column, je.text),
                       arena_printf(r->c.a, "JSON格式错误(第%d行第%d列)", je.line, je.column));
    if (!json_is_object(r->json) && !json_is_array(r->json))
        return jc_fail(&r->c, JC_EINVAL, "invalid_json", NULL, "the body must be a JSON object",
                       "请求内容须为JSON对象");
    return JC_OK;
}

/* Query parameters and the decoded path are text at the edge like the body: bytes that are not
 * UTF-8 are refused here, before PostgreSQL refuses them as a storage error. */
static enum MHD_Result arg_utf8(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
    const char **bad = cls;
    (void)kind;
    if ((key && !jc_utf8_valid(key, strlen(key))) ||
        (value && !jc_utf8_valid(value, strlen(value)))) {
        *bad = key ? key : "";
        return MHD_NO;
    }
    return MHD_YES;
}

static int check_url_utf8(jc_req *r)
{
    const char *bad = NULL;
    if (!jc_utf8_valid(r->path, strlen(r->path))) bad = "";
    if (!bad && r->conn) MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, arg_utf8, &bad);
    if (!bad) return JC_OK;
    return jc_fail(&r->c, JC_EINVAL, "invalid_utf8",
                   *bad && jc_utf8_valid(bad, strlen(bad)) ? arena_strdup(r->c.a, bad) : NULL,
                   "the address or a query parameter is not valid UTF-8",
                   "请求地址或查询参数不是有效的UTF-8编码");
}

static int authenticate(jc_req *r, jc_user *u)
{
    const char *authz = req_header(r, MHD_HTTP_HEADER_AUTHORIZATION);
    if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
        const char *tok = authz + 7;
        while (*tok == ' ') tok++;
        return auth_bearer(&r->c, tok, u);
    }
    const char *cookie =
        r->conn ? MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "jc_session") : NULL;
    if (cookie && *cookie) {
        r->session_token = cookie;
        return auth_session(&r->c, cookie, u);
    }
    return jc_fail(&r->c, JC_EAUTH, "unauthenticated", NULL, "please log in", "请先登录");
}

/* The methods routed for a path, for the Allow header of a 405. */
static const char *allowed_methods(const jc_app *app, const char *path, arena *a)
{
    char *out = arena_strdup(a, "");
    for (size_t i = 0; out && i < app->nroutes; i++)
        if (match(app->routes[i]->pattern, path, NULL, NULL, a) &&
            !strstr(out, app->routes[i]->method))
            out = arena_printf(a, "%s%s%s", out, *out ? ", " : "", app->routes[i]->method);
    return out ? out : "GET";
}

void router_dispatch(jc_app *app, jc_req *r)
{
    bool other = false;
    r->route = router_match(app, r->method, r->path, r->vars, &r->nvars, r->c.a, &other);
    if (!r->route) {
        if (other) {
            req_set_header(r, "Allow", allowed_methods(app, r->path, r->c.a));
            error_body(app, r,
                       jc_fail(&r->c, JC_EINVAL, "method_not_allowed", NULL,
                               "method not allowed here", "不支持此请求方法"));
            r->status = 405;
        } else {
            error_body(
                app, r,
                jc_fail(&r->c, JC_ENOTFOUND, "not_found", NULL, "no such resource", "资源不存在"));
        }
        return;
    }
    r->c.db = store_pool_get(app->pool);
    int rc = JC_OK;
    if (!r->c.db)
        rc = jc_fail(&r->c, JC_EBUSY, "database_unavailable", NULL,
                     "the database cannot be reached; try again shortly",
                     "暂时无法连接数据库,请稍后重试");
    jc_user *u = arena_calloc(r->c.a, sizeof *u);
    if (!u) rc = JC_ENOMEM;
    if (!rc && !(r->route->flags & RT_PUBLIC)) {
        rc = authenticate(r, u);
        if (!rc) r->c.user = u;
        if (!rc && r->route->roles && !jc_user_has(u, r->route->roles))
            rc = jc_fail(&r->c, JC_EPERM, "forbidden", NULL, "your role may not do this",
                         "您的角色无权执行此操作");
    } else if (!rc && (r->route->flags & RT_OPTIONAL_AUTH)) {
        if (authenticate(r, u) == JC_OK) r->c.user = u;
        r->c.err = (jc_err){0};
    }
    if (!rc) rc = check_url_utf8(r);
    if (!rc) rc = parse_body(r);
    if (!rc) rc = r->route->handler(r);
    if (!rc && r->w) {
        if (r->w->err) {
            rc = jc_fail(&r->c, r->w->err, "out_of_memory", NULL, "the answer could not be written",
                         "无法生成应答");
        } else {
            r->raw = r->w->b->data ? r->w->b->data : "";
            r->raw_len = r->w->b->len;
            r->raw_type = "application/json; charset=utf-8";
        }
    }
    if (r->c.db) {
        store_pool_put(app->pool, r->c.db);
        r->c.db = NULL;
    }
    if (rc) {
        if (rc >= JC_ENOMEM && rc != JC_EBUSY)
            jc_log(LOG_ERR, "%s %s: %s (%s)", r->method, r->path, jc_strerror(rc),
                   r->c.err.en ? r->c.err.en : "-");
        error_body(app, r, rc);
        json_t *ra = r->c.err.extra ? json_object_get(r->c.err.extra, "retry_after") : NULL;
        if (rc == JC_ERATE && json_is_integer(ra))
            req_set_header(r, "Retry-After",
                           arena_printf(r->c.a, "%lld", (long long)json_integer_value(ra)));
    } else if (!r->status) {
        r->status = 200;
    }
}
