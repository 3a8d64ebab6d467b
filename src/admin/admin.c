/* admin.c — the kernel's own API: session, me, areas, users, audit, configuration, health and
 * the OpenAPI description. */
#include "../app.h"
#include "../http/server.h"
#include "../kernel/kernel.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- session ---- */

static const field_spec login_spec[] = {
    {"username", FT_TEXT, FF_REQUIRED, 1, 64, NULL, "用户名"},
    {"password", FT_TEXT, FF_REQUIRED, 1, 256, NULL, "密码"},
};

static json_t *me_json(jc_ctx *c, const jc_user *u)
{
    json_t *roles = json_array(), *areas = json_array();
    for (int r = 0; r < ROLE__MAX; r++)
        if (u->roles & RB(r))
            json_array_append_new(roles, json_pack("{s:s, s:s, s:s}", "code", jc_roles[r].code,
                                                   "zh", jc_roles[r].zh, "en", jc_roles[r].en));
    for (int i = 0; i < u->ngrants; i++) {
        area_rec a;
        const char *name = area_get(c, u->grants[i].code, &a) == JC_OK ? a.name : "";
        json_array_append_new(areas,
                              json_pack("{s:s, s:s, s:s, s:i}", "code", u->grants[i].code, "name",
                                        name ? name : "", "path", area_path(c, u->grants[i].code),
                                        "level", area_code_level(u->grants[i].code)));
    }
    c->err = (jc_err){0};
    return json_pack("{s:I, s:s, s:s, s:o, s:o}", "id", (json_int_t)u->id, "username", u->username,
                     "display_name", u->display_name, "roles", roles, "areas", areas);
}

static void set_session_cookie(jc_req *r, const char *token, int64_t max_age)
{
    extern bool admin_secure_cookie;
    req_set_header(r, "Set-Cookie",
                   arena_printf(r->c.a,
                                "jc_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s",
                                token, (long long)max_age, admin_secure_cookie ? "; Secure" : ""));
}

bool admin_secure_cookie;

static int h_login(jc_req *r)
{
    field_val v[2];
    int rc = input_parse(&r->c, r->json, login_spec, 2, v, NULL);
    if (rc) return rc;
    char token[AUTH_TOKEN_LEN];
    jc_user *u = arena_calloc(r->c.a, sizeof *u);
    int64_t exp;
    if (!u) return JC_ENOMEM;
    rc = auth_login(&r->c, v[0].s, v[1].s, token, u, &exp);
    if (rc) return rc;
    r->c.user = u;
    set_session_cookie(r, token, exp - r->c.now);
    return req_json(r, 200, me_json(&r->c, u));
}

static int h_logout(jc_req *r)
{
    if (r->session_token) {
        int rc = auth_logout(&r->c, r->session_token);
        if (rc) return rc;
    }
    set_session_cookie(r, "", 0);
    return req_json(r, 200, json_pack("{s:b}", "ok", 1));
}

static int h_me(jc_req *r)
{
    return req_json(r, 200, me_json(&r->c, r->c.user));
}

static const field_spec pw_spec[] = {
    {"current_password", FT_TEXT, FF_REQUIRED, 1, 256, NULL, "当前密码"},
    {"new_password", FT_TEXT, FF_REQUIRED, 1, 256, NULL, "新密码"},
};

static int h_me_password(jc_req *r)
{
    field_val v[2];
    int rc = input_parse(&r->c, r->json, pw_spec, 2, v, NULL);
    if (rc) return rc;
    if ((rc = auth_verify_password(&r->c, r->c.user->id, v[0].s))) return rc;
    if (!auth_password_ok(v[1].s))
        return jc_fail(&r->c, JC_EINVAL, "invalid_field", "new_password",
                       "password must be 8–128 characters", "密码长度须为8–128个字符");
    user_input in = {.password = v[1].s};
    if ((rc = user_update(&r->c, r->c.user->id, 0, &in))) return rc;
    set_session_cookie(r, "", 0); /* every session ended, this one too */
    return req_json(r, 200, json_pack("{s:b}", "ok", 1));
}

/* ---- health, roles, openapi ---- */

static const char SQL_PING[] = "SELECT 1";

static int h_healthz(jc_req *r)
{
    store_stmt *st;
    int rc = store_prepare(r->c.db, SQL_PING, &st);
    if (!rc) rc = store_one(st);
    if (!rc) store_reset(st);
    if (rc) return jc_fail_db(&r->c, JC_EBUSY);
    return req_json(r, 200,
                    json_pack("{s:s, s:s, s:s}", "status", "ok", "database",
                              store_kind_of(r->c.db) == STORE_PG ? "postgresql" : "sqlite",
                              "version", JICENG_VERSION));
}

static int h_roles(jc_req *r)
{
    json_t *a = json_array();
    for (int i = 0; i < ROLE__MAX; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "code", jc_roles[i].code, "zh",
                                           jc_roles[i].zh, "en", jc_roles[i].en));
    return req_json(r, 200, json_pack("{s:o}", "items", a));
}

static char *openapi_text;
static pthread_once_t openapi_once = PTHREAD_ONCE_INIT;

static void merge_fragment(const struct jc_asset *a, void *arg)
{
    json_t *doc = arg;
    if (strcmp(a->name, "openapi/base.json") == 0) return;
    json_error_t e;
    json_t *frag = json_loadb((const char *)a->data, a->len, 0, &e);
    if (!frag) {
        jc_log(LOG_ERR, "%s: %s (line %d)", a->name, e.text, e.line);
        return;
    }
    json_object_update(json_object_get(doc, "paths"), json_object_get(frag, "paths"));
    /* every components map (schemas, parameters, responses …) merges member by member */
    json_t *comps = json_object_get(doc, "components");
    const char *kind;
    json_t *map;
    json_object_foreach(json_object_get(frag, "components"), kind, map)
    {
        json_t *have = json_object_get(comps, kind);
        if (have)
            json_object_update(have, map);
        else
            json_object_set(comps, kind, map);
    }
    json_t *tags = json_object_get(frag, "tags");
    if (tags) json_array_extend(json_object_get(doc, "tags"), tags);
    json_decref(frag);
}

static void openapi_build(void)
{
    const struct jc_asset *base = asset_find("openapi/base.json");
    json_t *doc = base ? json_loadb((const char *)base->data, base->len, 0, NULL) : NULL;
    if (!doc) return;
    json_object_set_new(json_object_get(doc, "info"), "version", json_string(JICENG_VERSION));
    asset_each("openapi/", merge_fragment, doc);
    openapi_text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
}

static int h_openapi(jc_req *r)
{
    pthread_once(&openapi_once, openapi_build);
    if (!openapi_text) return JC_EINTERNAL;
    r->raw = openapi_text;
    r->raw_len = strlen(openapi_text);
    r->raw_type = "application/json; charset=utf-8";
    r->status = 200;
    return JC_OK;
}

/* ---- areas ---- */

static const char SQL_AREA_LIST[] =
    "SELECT code, parent_code, level, kind, name, lat, lng, version FROM areas a"
    " WHERE a.code >= ?1 AND a.code < ?2"
    " AND (?3 = 1 OR EXISTS (SELECT 1 FROM user_areas g WHERE g.user_id = ?4"
    "  AND a.code >= g.prefix AND a.code < g.prefix_end))"
    " AND (?5 IS NULL OR a.parent_code = ?5) AND (?6 = 0 OR a.level = ?6)"
    " ORDER BY a.code LIMIT ?7 OFFSET ?8";
static const char SQL_AREA_COUNT[] =
    "SELECT count(*) FROM areas a WHERE a.code >= ?1 AND a.code < ?2"
    " AND (?3 = 1 OR EXISTS (SELECT 1 FROM user_areas g WHERE g.user_id = ?4"
    "  AND a.code >= g.prefix AND a.code < g.prefix_end))"
    " AND (?5 IS NULL OR a.parent_code = ?5) AND (?6 = 0 OR a.level = ?6)";

static void bind_area_filter(store_stmt *st, const char *lo, const char *hi, bool covered,
                             const jc_user *u, const char *parent, int64_t level)
{
    store_bind_text(st, 1, lo);
    store_bind_text(st, 2, hi);
    store_bind_int(st, 3, covered ? 1 : 0);
    store_bind_int(st, 4, u->id);
    store_bind_text(st, 5, parent);
    store_bind_int(st, 6, level);
}

/* One area as area_json() shows it, written directly (the list is read on every page load). */
static void write_area_row(jw *w, store_stmt *st)
{
    int level = (int)store_col_int(st, 2);
    const char *parent = store_col_text(st, 1);
    jw_obj(w);
    jw_kstr(w, "code", store_col_text(st, 0));
    jw_kstr(w, "name", store_col_text(st, 4));
    jw_kint(w, "level", level);
    jw_kstr(w, "level_zh", area_level_zh(level));
    jw_kstr(w, "level_en", area_level_en(level));
    jw_kstr(w, "kind", store_col_text(st, 3));
    jw_kstr(w, "parent", parent ? parent : "");
    jw_kint(w, "version", store_col_int(st, 7));
    if (!store_col_null(st, 5) && !store_col_null(st, 6)) {
        jw_kreal(w, "lat", store_col_double(st, 5));
        jw_kreal(w, "lng", store_col_double(st, 6));
    }
    jw_obj_end(w);
}

static int write_areas(jc_req *r, jw *w, const char *lo, const char *hi, bool covered,
                       const char *parent, int64_t level, int64_t page, int64_t per_page)
{
    jc_ctx *c = &r->c;
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_AREA_LIST, &st);
    if (rc) return jc_fail_db(c, rc);
    bind_area_filter(st, lo, hi, covered, c->user, parent, level);
    store_bind_int(st, 7, per_page);
    store_bind_int(st, 8, (page - 1) * per_page);
    int64_t rows = 0, total;
    jw_obj(w);
    jw_key(w, "items");
    jw_arr(w);
    while ((rc = store_step(st)) == STORE_ROW) {
        rows++;
        write_area_row(w, st);
    }
    store_reset(st);
    if (rc != STORE_DONE) return jc_fail_db(c, rc);
    jw_arr_end(w);
    /* a page that is neither full nor empty tells the total by itself: no count query */
    total = (page - 1) * per_page + rows;
    if (rows == per_page || (rows == 0 && page > 1)) {
        if ((rc = store_prepare(c->db, SQL_AREA_COUNT, &st))) return jc_fail_db(c, rc);
        bind_area_filter(st, lo, hi, covered, c->user, parent, level);
        rc = store_one_int(st, &total);
        if (rc) return jc_fail_db(c, rc);
    }
    jw_kint(w, "total", total);
    jw_kint(w, "page", page);
    jw_kint(w, "per_page", per_page);
    jw_obj_end(w);
    return JC_OK;
}

/* Answers of the area list, kept until the tree changes (area_tree_version(), shared by every
 * server through the database). The tree is read on every page load and changes a few times a
 * year. Keys carry the range, the filters and — when the range is not wholly visible — the user. */
#define AREA_CACHE_SLOTS 64
static struct area_cache_slot {
    char key[128];
    int64_t version;
    char *body; /* malloc */
    size_t len;
} area_cache[AREA_CACHE_SLOTS];
static pthread_mutex_t area_cache_mu = PTHREAD_MUTEX_INITIALIZER;

static struct area_cache_slot *area_cache_slot(const char *key)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *p = key; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ull;
    return &area_cache[h % AREA_CACHE_SLOTS];
}

static int h_areas(jc_req *r)
{
    jc_ctx *c = &r->c;
    char lo[16], hi[17];
    int64_t level, page, per_page, version;
    bool covered;
    int rc = area_filter(c, req_query(r, "area"), lo, hi, &covered);
    if (!rc) rc = req_query_int(r, "level", 0, 0, 6, &level);
    if (!rc) rc = req_query_int(r, "page", 1, 1, 1000000, &page);
    if (!rc) rc = req_query_int(r, "per_page", 500, 1, 5000, &per_page);
    if (rc) return rc;
    const char *parent = req_query(r, "parent");
    if (parent && !*parent) parent = NULL;
    if (parent && strlen(parent) > 15)
        return jc_fail(c, JC_EINVAL, "invalid_parameter", "parent", "parent must be an area code",
                       "参数 parent 须为区划代码");
    if ((rc = area_tree_version(c, &version))) return rc;
    char key[128];
    snprintf(key, sizeof key, "%s|%s|%lld|%s|%lld|%lld|%lld", lo, hi,
             covered ? 0LL : (long long)c->user->id, parent ? parent : "", (long long)level,
             (long long)page, (long long)per_page);
    struct area_cache_slot *slot = area_cache_slot(key);
    pthread_mutex_lock(&area_cache_mu);
    if (slot->body && slot->version == version && strcmp(slot->key, key) == 0) {
        char *copy = arena_alloc(c->a, slot->len + 1);
        if (copy) memcpy(copy, slot->body, slot->len);
        size_t len = slot->len;
        pthread_mutex_unlock(&area_cache_mu);
        if (!copy) return JC_ENOMEM;
        r->raw = copy;
        r->raw_len = len;
        r->raw_type = "application/json; charset=utf-8";
        r->status = 200;
        return JC_OK;
    }
    pthread_mutex_unlock(&area_cache_mu);
    jw *w = req_writer(r, 200);
    if (!w) return JC_ENOMEM;
    if ((rc = write_areas(r, w, lo, hi, covered, parent, level, page, per_page))) return rc;
    if (w->err) return JC_OK; /* the router reports it */
    char *body = malloc(w->b->len + 1);
    if (!body) return JC_OK;
    memcpy(body, w->b->data, w->b->len);
    pthread_mutex_lock(&area_cache_mu);
    free(slot->body);
    snprintf(slot->key, sizeof slot->key, "%s", key);
    slot->version = version;
    slot->body = body;
    slot->len = w->b->len;
    pthread_mutex_unlock(&area_cache_mu);
    return JC_OK;
}

static int h_area_get(jc_req *r)
{
    const char *code = r->vars[0];
    if (!area_visible(r->c.user, code))
        return jc_fail(&r->c, JC_ENOTFOUND, "not_found", NULL, "no such area", "区域不存在");
    area_rec a;
    int rc = area_get(&r->c, code, &a);
    if (rc) return rc;
    json_t *o = area_json(&a);
    json_object_set_new(o, "path", json_string(area_path(&r->c, code)));
    req_etag(r, a.version);
    return req_json(r, 200, o);
}

static const field_spec area_spec[] = {
    {"code", FT_TEXT, FF_REQUIRED, 6, 15, NULL, "区划代码"},
    {"name", FT_TEXT, FF_REQUIRED, 1, 64, NULL, "名称"},
    {"kind", FT_TEXT, FF_REQUIRED, 1, 16, NULL, "类型"},
    {"parent", FT_TEXT, 0, 0, 15, NULL, "上级区域"},
    {"lat", FT_NUMBER, FF_NULLABLE, -90, 90, NULL, "纬度"},
    {"lng", FT_NUMBER, FF_NULLABLE, -180, 180, NULL, "经度"},
    {"geometry", FT_JSON, FF_NULLABLE, 0, 0, NULL, "边界"},
};

static const char *dump_or_null(jc_ctx *c, json_t *j)
{
    if (!j) return NULL;
    char *s = json_dumps(j, JSON_COMPACT);
    char *r = arena_strdup(c->a, s);
    free(s);
    return r;
}

static int h_area_create(jc_req *r)
{
    field_val v[7];
    int rc = input_parse(&r->c, r->json, area_spec, 7, v, NULL);
    if (rc) return rc;
    area_rec a = {0};
    snprintf(a.code, sizeof a.code, "%s", v[0].s);
    a.name = v[1].s;
    a.kind = v[2].s;
    if (v[3].present) snprintf(a.parent, sizeof a.parent, "%s", v[3].s);
    if (v[4].present && !v[4].null && v[5].present && !v[5].null) {
        a.has_pos = true;
        a.lat = v[4].d;
        a.lng = v[5].d;
    }
    a.geometry = v[6].present && !v[6].null ? dump_or_null(&r->c, v[6].j) : NULL;
    if ((rc = area_create(&r->c, &a))) return rc;
    area_rec now;
    if ((rc = area_get(&r->c, a.code, &now))) return rc;
    req_etag(r, now.version);
    return req_json(r, 201, area_json(&now));
}

static int h_area_update(jc_req *r)
{
    const char *code = r->vars[0];
    int64_t version;
    int rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    field_val v[7];
    static const char *const also[] = {"version", NULL};
    field_spec spec[6];
    memcpy(spec, area_spec + 1, sizeof spec);
    for (int i = 0; i < 6; i++) spec[i].flags &= ~(unsigned)FF_REQUIRED; /* a partial update */
    if ((rc = input_parse(&r->c, r->json, spec, 6, v + 1, also))) return rc;
    for (int i = 1; i <= 2; i++)
        if (v[i].present && jc_blank(v[i].s))
            return jc_fail(&r->c, JC_EINVAL, "required", area_spec[i].name,
                           arena_printf(r->c.a, "%s is required", area_spec[i].name),
                           arena_printf(r->c.a, "%s为必填项", area_spec[i].zh));
    if (v[3].present)
        return jc_fail(&r->c, JC_EINVAL, "invalid_field", "parent",
                       "the parent follows from the code and cannot change",
                       "上级区域由区划代码决定,不能修改");
    if (!area_visible(r->c.user, code))
        return jc_fail(&r->c, JC_ENOTFOUND, "not_found", NULL, "no such area", "区域不存在");
    double lat = v[4].d, lng = v[5].d;
    bool pos = v[4].present && !v[4].null;
    if (pos != (v[5].present && !v[5].null))
        return jc_fail(&r->c, JC_EINVAL, "invalid_field", pos ? "lng" : "lat",
                       "lat and lng go together", "经纬度须同时提供");
    rc = area_update(&r->c, code, version, v[1].present ? v[1].s : NULL,
                     v[2].present ? v[2].s : NULL,
                     v[6].present && !v[6].null ? dump_or_null(&r->c, v[6].j) : NULL,
                     pos ? &lat : NULL, pos ? &lng : NULL);
    if (rc) return rc;
    area_rec now;
    if ((rc = area_get(&r->c, code, &now))) return rc;
    req_etag(r, now.version);
    return req_json(r, 200, area_json(&now));
}

/* ---- users ---- */

static const char *const role_codes[] = {"admin",           "leader",     "party_instructor",
                                         "poverty_officer", "road_chief", "team_member",
                                         "grid_worker",     NULL};

static const field_spec user_spec[] = {
    {"username", FT_TEXT, FF_REQUIRED, 3, 32, NULL, "用户名"},
    {"display_name", FT_TEXT, FF_REQUIRED, 1, 64, NULL, "姓名"},
    {"password", FT_TEXT, FF_REQUIRED, 1, 256, NULL, "密码"},
    {"roles", FT_STRLIST, FF_REQUIRED, 0, ROLE__MAX, NULL, "角色"},
    {"areas", FT_STRLIST, FF_REQUIRED, 0, 50, NULL, "授权区域"},
    {"phone", FT_PHONE, FF_NULLABLE, 0, 0, NULL, "手机号码"},
    {"disabled", FT_BOOL, 0, 0, 0, NULL, "停用"},
};

static int roles_from_list(jc_ctx *c, const field_val *v, unsigned *mask)
{
    *mask = 0;
    for (int i = 0; i < v->nlist; i++) {
        jc_role role = jc_role_from_code(v->list[i]);
        if (role == ROLE__MAX) {
            json_t *allowed = json_array();
            for (const char *const *p = role_codes; *p; p++)
                json_array_append_new(allowed, json_string(*p));
            jc_fail_extra(c, "allowed", allowed);
            return jc_fail(c, JC_EINVAL, "invalid_field", "roles",
                           arena_printf(c->a, "unknown role '%s'", v->list[i]),
                           arena_printf(c->a, "未知角色「%s」", v->list[i]));
        }
        *mask |= RB(role);
    }
    return JC_OK;
}

static void fill_user_input(const field_val *v, user_input *in)
{
    if (v[1].present) in->display_name = v[1].s;
    if (v[2].present) in->password = v[2].s;
    if (v[4].present) {
        in->has_areas = true;
        in->areas = v[4].list;
        in->nareas = v[4].nlist;
    }
    if (v[5].present) in->phone = v[5].null ? "" : v[5].s;
    if (v[6].present) {
        in->has_disabled = true;
        in->disabled = v[6].i != 0;
    }
}

static int h_users(jc_req *r)
{
    int64_t page, per_page, total;
    int rc = req_page(r, &page, &per_page);
    if (rc) return rc;
    json_t *items;
    if ((rc = user_list(&r->c, (int)((page - 1) * per_page), (int)per_page, &items, &total)))
        return rc;
    return req_json(r, 200,
                    json_incref(req_page_json(r, json_incref(items), total, page, per_page)));
}

static int h_user_create(jc_req *r)
{
    field_val v[7];
    int rc = input_parse(&r->c, r->json, user_spec, 7, v, NULL);
    if (rc) return rc;
    user_input in = {.username = v[0].s};
    fill_user_input(v, &in);
    if ((rc = roles_from_list(&r->c, &v[3], &in.roles))) return rc;
    in.has_roles = true;
    int64_t id;
    if ((rc = user_create(&r->c, &in, &id))) return rc;
    json_t *o;
    if ((rc = user_get_json(&r->c, id, &o))) return rc;
    req_etag(r, json_integer_value(json_object_get(o, "version")));
    return req_json(r, 201, json_incref(o));
}

static int h_user_get(jc_req *r)
{
    int64_t id;
    int rc = req_var_id(r, 0, &id);
    if (rc) return rc;
    json_t *o;
    if ((rc = user_get_json(&r->c, id, &o))) return rc;
    req_etag(r, json_integer_value(json_object_get(o, "version")));
    return req_json(r, 200, json_incref(o));
}

static int h_user_update(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    field_val v[7];
    static const field_spec upd_spec[] = {
        {"username", FT_TEXT, 0, 3, 32, NULL, "用户名"},
        {"display_name", FT_TEXT, 0, 1, 64, NULL, "姓名"},
        {"password", FT_TEXT, 0, 1, 256, NULL, "密码"},
        {"roles", FT_STRLIST, 0, 0, ROLE__MAX, NULL, "角色"},
        {"areas", FT_STRLIST, 0, 0, 50, NULL, "授权区域"},
        {"phone", FT_PHONE, FF_NULLABLE, 0, 0, NULL, "手机号码"},
        {"disabled", FT_BOOL, 0, 0, 0, NULL, "停用"},
    };
    static const char *const also[] = {"version", NULL};
    if ((rc = input_parse(&r->c, r->json, upd_spec, 7, v, also))) return rc;
    if (v[0].present)
        return jc_fail(&r->c, JC_EINVAL, "invalid_field", "username",
                       "a username cannot be changed", "用户名不能修改");
    user_input in = {0};
    fill_user_input(v, &in);
    if (v[3].present) {
        if ((rc = roles_from_list(&r->c, &v[3], &in.roles))) return rc;
        in.has_roles = true;
    }
    if (!rc && in.has_disabled && in.disabled && id == r->c.user->id)
        return jc_fail(&r->c, JC_EUNPROC, "cannot_disable_self", "disabled",
                       "you cannot disable your own account", "不能停用自己的账号");
    if ((rc = user_update(&r->c, id, version, &in))) return rc;
    json_t *o;
    if ((rc = user_get_json(&r->c, id, &o))) return rc;
    req_etag(r, json_integer_value(json_object_get(o, "version")));
    return req_json(r, 200, json_incref(o));
}

/* People who can take work in an area: active users granted that area or an ancestor of it.
 * Names only — open to every logged-in user, so leaders can pick an assignee. */
static const char SQL_USER_LOOKUP[] =
    "SELECT u.id, u.display_name FROM users u WHERE u.disabled = 0 AND EXISTS (SELECT 1"
    " FROM user_areas g WHERE g.user_id = u.id AND ?1 >= g.prefix AND ?1 < g.prefix_end)"
    " ORDER BY u.id LIMIT 200";

static int h_user_lookup(jc_req *r)
{
    const char *area = req_query(r, "area");
    if (!area || !area_code_level(area))
        return jc_fail(&r->c, JC_EINVAL, "invalid_parameter", "area", "area must be an area code",
                       "参数 area 须为区划代码");
    int rc = area_check(&r->c, area, "area");
    if (rc) return rc;
    store_stmt *st;
    if ((rc = store_prepare(r->c.db, SQL_USER_LOOKUP, &st))) return jc_fail_db(&r->c, rc);
    store_bind_text(st, 1, area);
    json_t *items = json_array();
    while ((rc = store_step(st)) == STORE_ROW)
        json_array_append_new(items, json_pack("{s:I, s:s}", "id", (json_int_t)store_col_int(st, 0),
                                               "display_name", store_col_text(st, 1)));
    store_reset(st);
    if (rc != STORE_DONE) {
        json_decref(items);
        return jc_fail_db(&r->c, rc);
    }
    return req_json(r, 200, json_pack("{s:o}", "items", items));
}

/* ---- audit ---- */

static int h_audit(jc_req *r)
{
    int64_t before, limit;
    int rc = req_query_int(r, "before", 0, 0, INT64_MAX, &before);
    if (!rc) rc = req_query_int(r, "limit", 50, 1, 500, &limit);
    if (rc) return rc;
    const char *entity = req_query(r, "entity"), *id = req_query(r, "id");
    if (entity && !*entity) entity = NULL;
    if (id && !*id) id = NULL;
    if (id && !entity)
        return jc_fail(&r->c, JC_EINVAL, "invalid_parameter", "entity", "id needs entity as well",
                       "按记录查询时须同时指定 entity");
    json_t *items;
    if ((rc = audit_list(&r->c, entity, id, before, (int)limit, &items))) return rc;
    json_t *out = json_pack("{s:O}", "items", items);
    size_t n = json_array_size(items);
    if (n == (size_t)limit)
        json_object_set_new(out, "next_before",
                            json_incref(json_object_get(json_array_get(items, n - 1), "seq")));
    return req_json(r, 200, out);
}

/* ---- configuration ---- */

static int h_config(jc_req *r)
{
    json_t *items;
    int rc = config_list(&r->c, &items);
    if (rc) return rc;
    return req_json(r, 200, json_pack("{s:O}", "items", items));
}

static int h_config_set(jc_req *r)
{
    /* the version read with GET /config: 0 for a key never set (so input_version() does not fit) */
    json_t *body = r->json, *jv = json_object_get(body, "version");
    int64_t version = -1;
    int rc;
    if (jv) {
        if (!json_is_integer(jv) || json_integer_value(jv) < 0)
            return jc_fail(&r->c, JC_EINVAL, "invalid_field", "version",
                           "version must be a non-negative integer", "version 须为非负整数");
        version = json_integer_value(jv);
    } else if ((rc = input_version(&r->c, NULL, req_header(r, "If-Match"), &version))) {
        return rc;
    }
    json_t *value = json_object_get(body, "value");
    if (!value)
        return jc_fail(&r->c, JC_EINVAL, "required", "value", "value is required", "请提供取值");
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
    {
        if (strcmp(key, "value") && strcmp(key, "version"))
            return jc_fail(&r->c, JC_EINVAL, "unknown_field", arena_strdup(r->c.a, key),
                           arena_printf(r->c.a, "unknown field '%s'", key),
                           arena_printf(r->c.a, "不认识的字段「%s」", key));
    }
    if ((rc = config_set(&r->c, r->vars[0], value, version))) return rc;
    json_t *now = config_get(&r->c, r->vars[0]);
    /* config_set() moved the version one up from the one the caller read */
    req_etag(r, version + 1);
    return req_json(r, 200,
                    json_pack("{s:s, s:O, s:I}", "key", r->vars[0], "value", now, "version",
                              (json_int_t)(version + 1)));
}

#define ADMIN RB(ROLE_ADMIN)

static const jc_route admin_routes[] = {
    {"GET", "/healthz", h_healthz, 0, RT_PUBLIC, 0},
    {"GET", "/api/v1/openapi.json", h_openapi, 0, RT_PUBLIC, 0},
    {"POST", "/api/v1/session", h_login, 0, RT_PUBLIC, 8192},
    {"DELETE", "/api/v1/session", h_logout, 0, RT_PUBLIC | RT_OPTIONAL_AUTH, 0},
    {"GET", "/api/v1/me", h_me, 0, 0, 0},
    {"PUT", "/api/v1/me/password", h_me_password, 0, 0, 8192},
    {"GET", "/api/v1/roles", h_roles, 0, 0, 0},
    {"GET", "/api/v1/areas", h_areas, 0, 0, 0},
    {"POST", "/api/v1/areas", h_area_create, ADMIN, 0, 256 * 1024},
    {"GET", "/api/v1/areas/{code}", h_area_get, 0, 0, 0},
    {"PATCH", "/api/v1/areas/{code}", h_area_update, ADMIN, 0, 256 * 1024},
    {"GET", "/api/v1/users", h_users, ADMIN, 0, 0},
    {"POST", "/api/v1/users", h_user_create, ADMIN, 0, 0},
    {"GET", "/api/v1/users/lookup", h_user_lookup, 0, 0, 0},
    {"GET", "/api/v1/users/{id}", h_user_get, ADMIN, 0, 0},
    {"PATCH", "/api/v1/users/{id}", h_user_update, ADMIN, 0, 0},
    {"GET", "/api/v1/audit", h_audit, 0, 0, 0},
    {"GET", "/api/v1/config", h_config, ADMIN, 0, 0},
    {"PUT", "/api/v1/config/{key}", h_config_set, ADMIN, 0, 0},
};

const jc_module admin_module = {
    .name = "admin",
    .routes = admin_routes,
    .nroutes = JC_NELEM(admin_routes),
};
