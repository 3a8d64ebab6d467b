#include "area.h"
#include "audit.h"
#include "../base/text.h"

#include <stdio.h>
#include <string.h>

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

static bool zeros(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != '0') return false;
    return true;
}

int area_code_level(const char *code)
{
    size_t n = code ? strlen(code) : 0;
    if (!all_digits(code ? code : "", n)) return 0;
    if (n == 6) {
        if (zeros(code, 2)) return 0;
        if (zeros(code + 2, 4)) return AREA_PROVINCE;
        if (zeros(code + 4, 2)) return AREA_CITY;
        return AREA_COUNTY;
    }
    if (n == 12) {
        if (zeros(code, 2) || zeros(code + 2, 4) || zeros(code + 6, 3)) return 0;
        return zeros(code + 9, 3) ? AREA_TOWNSHIP : AREA_VILLAGE;
    }
    if (n == 15) {
        char village[13];
        memcpy(village, code, 12);
        village[12] = '\0';
        if (area_code_level(village) != AREA_VILLAGE || zeros(code + 12, 3)) return 0;
        return AREA_GRID;
    }
    return 0;
}

static const int prefix_len[] = {0, 2, 4, 6, 9, 12, 15};

bool area_code_prefix(const char *code, char prefix[16])
{
    int level = area_code_level(code);
    if (!level) return false;
    memcpy(prefix, code, (size_t)prefix_len[level]);
    prefix[prefix_len[level]] = '\0';
    return true;
}

bool area_code_parent(const char *code, char parent[16])
{
    int level = area_code_level(code);
    switch (level) {
    case AREA_CITY:
        snprintf(parent, 16, "%.2s0000", code);
        return true;
    case AREA_COUNTY:
        snprintf(parent, 16, "%.4s00", code);
        return true;
    case AREA_TOWNSHIP:
        snprintf(parent, 16, "%.6s", code);
        return true;
    case AREA_VILLAGE:
        snprintf(parent, 16, "%.9s000", code);
        return true;
    case AREA_GRID:
        snprintf(parent, 16, "%.12s", code);
        return true;
    default:
        return false;
    }
}

bool area_grant_make(const char *code, jc_grant *g)
{
    if (!area_code_prefix(code, g->prefix)) return false;
    snprintf(g->code, sizeof g->code, "%s", code);
    /* ':' follows '9' in ASCII: every code that starts with the prefix sorts below prefix":" */
    snprintf(g->end, sizeof g->end, "%s:", g->prefix);
    return true;
}

bool area_code_within(const char *code, const char *ancestor)
{
    char p[16];
    return area_code_prefix(ancestor, p) && strncmp(code, p, strlen(p)) == 0 &&
           area_code_level(code) >= area_code_level(ancestor);
}

const char *area_level_zh(int level)
{
    static const char *const n[] = {"", "省", "市", "区/县", "街道/镇", "社区/村", "网格"};
    return level >= 1 && level <= 6 ? n[level] : "";
}

const char *area_level_en(int level)
{
    static const char *const n[] = {"",         "province", "city", "county",
                                    "township", "village",  "grid"};
    return level >= 1 && level <= 6 ? n[level] : "";
}

bool area_visible(const jc_user *u, const char *code)
{
    if (!u || !code) return false;
    if (u->system) return true;
    for (int i = 0; i < u->ngrants; i++)
        if (strncmp(code, u->grants[i].prefix, strlen(u->grants[i].prefix)) == 0) return true;
    return false;
}

int area_check(jc_ctx *c, const char *code, const char *field)
{
    if (area_visible(c->user, code)) return JC_OK;
    return jc_fail(c, JC_EPERM, "area_forbidden", field,
                   arena_printf(c->a, "area %s is outside your granted areas", code ? code : ""),
                   arena_printf(c->a, "区域 %s 不在您的管辖范围内", code ? code : ""));
}

int area_filter(jc_ctx *c, const char *code, char lo[16], char hi[17], bool *covered)
{
    const jc_user *u = c->user;
    if (!code || !*code) {
        if (u && !u->system && u->ngrants == 1) {
            /* one grant: its subtree is the whole visible range */
            memcpy(lo, u->grants[0].prefix, sizeof u->grants[0].prefix);
            memcpy(hi, u->grants[0].end, sizeof u->grants[0].end);
            *covered = true;
            return JC_OK;
        }
        strcpy(lo, "");
        strcpy(hi, "~");
        *covered = u && u->system;
        return JC_OK;
    }
    jc_grant g;
    if (!area_grant_make(code, &g))
        return jc_fail(c, JC_EINVAL, "invalid_parameter", "area",
                       "area must be an area code (6, 12 or 15 digits)",
                       "area 须为区划代码(6、12或15位数字)");
    int rc = area_check(c, code, "area");
    if (rc) return rc;
    memcpy(lo, g.prefix, sizeof g.prefix);
    memcpy(hi, g.end, sizeof g.end);
    *covered = true; /* a visible area's subtree lies inside one grant */
    return JC_OK;
}

/* ---- database ---- */

static const char SQL_GET[] =
    "SELECT code, parent_code, level, kind, name, lat, lng, geometry, version, created_at,"
    " updated_at FROM areas WHERE code = ?";

static void row_to_rec(jc_ctx *c, store_stmt *st, area_rec *a)
{
    memset(a, 0, sizeof *a);
    snprintf(a->code, sizeof a->code, "%s", store_col_text(st, 0));
    const char *p = store_col_text(st, 1);
    snprintf(a->parent, sizeof a->parent, "%s", p ? p : "");
    a->level = (int)store_col_int(st, 2);
    a->kind = arena_strdup(c->a, store_col_text(st, 3));
    a->name = arena_strdup(c->a, store_col_text(st, 4));
    a->has_pos = !store_col_null(st, 5) && !store_col_null(st, 6);
    a->lat = store_col_double(st, 5);
    a->lng = store_col_double(st, 6);
    a->geometry = arena_strdup(c->a, store_col_text(st, 7));
    a->version = store_col_int(st, 8);
    a->created_at = store_col_int(st, 9);
    a->updated_at = store_col_int(st, 10);
}

int area_get(jc_ctx *c, const char *code, area_rec *out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, code);
    rc = store_one(st);
    if (rc == JC_OK) row_to_rec(c, st, out);
    store_reset(st);
    if (rc == JC_ENOTFOUND)
        return jc_fail(c, rc, "not_found", "code", arena_printf(c->a, "no area %s", code),
                       arena_printf(c->a, "区域 %s 不存在", code));
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

json_t *area_json(const area_rec *a)
{
    json_t *o = json_pack(
        "{s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:I}", "code", a->code, "name", a->name ? a->name : "",
        "level", a->level, "level_zh", area_level_zh(a->level), "level_en", area_level_en(a->level),
        "kind", a->kind ? a->kind : "", "parent", a->parent, "version", (json_int_t)a->version);
    if (!o) return NULL;
    if (a->has_pos) {
        json_object_set_new(o, "lat", json_real(a->lat));
        json_object_set_new(o, "lng", json_real(a->lng));
    }
    if (a->geometry) {
        json_t *g = json_loads(a->geometry, 0, NULL);
        json_object_set_new(o, "geometry", g ? g : json_null());
    }
    return o;
}

static int check_fields(jc_ctx *c, const char *name, const char *kind, const char *geometry,
                        const double *lat, const double *lng)
{
    if (name && (jc_blank(name) || jc_utf8_len(name) > 64 || jc_has_control(name)))
        return jc_fail(c, JC_EINVAL, "invalid_field", "name",
                       "name is required (at most 64 characters)", "名称为必填项(不超过64个字)");
    if (kind && (jc_blank(kind) || jc_utf8_len(kind) > 16 || jc_has_control(kind)))
        return jc_fail(c, JC_EINVAL, "invalid_field", "kind",
                       "kind is required (e.g. 街道, 社区, 网格)",
                       "类型为必填项(如 街道、社区、网格)");
    if (geometry) {
        json_error_t e;
        json_t *g = json_loads(geometry, 0, &e);
        bool ok = g && (json_is_object(g) || json_is_array(g)) && strlen(geometry) <= 65536;
        json_decref(g);
        if (!ok)
            return jc_fail(c, JC_EINVAL, "invalid_field", "geometry",
                           "geometry must be a JSON object or array (at most 64 KiB)",
                           "geometry 须为JSON对象或数组(不超过64KiB)");
    }
    if ((lat && (*lat < -90 || *lat > 90)) || (lng && (*lng < -180 || *lng > 180)))
        return jc_fail(c, JC_EINVAL, "invalid_field",
                       lat && (*lat < -90 || *lat > 90) ? "lat" : "lng",
                       "lat must be within -90..90 and lng within -180..180",
                       "纬度须在-90到90之间,经度须在-180到180之间");
    return JC_OK;
}

static const char SQL_BUMP[] = "UPDATE area_version SET version = version + 1 WHERE id = 1";
static const char SQL_VERSION[] = "SELECT version FROM area_version WHERE id = 1";

static int bump_tree_version(jc_ctx *c)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_BUMP, &st);
    if (!rc) rc = store_run(st);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int area_tree_version(jc_ctx *c, int64_t *version)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_VERSION, &st);
    if (rc) return jc_fail_db(c, rc);
    rc = store_one_int(st, version);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static const char SQL_INSERT[] =
    "INSERT INTO areas (code, parent_code, level, kind, name, lat, lng, geometry, created_at,"
    " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

int area_create(jc_ctx *c, const area_rec *in)
{
    int level = area_code_level(in->code);
    if (!level)
        return jc_fail(
            c, JC_EINVAL, "invalid_field", "code",
            "code is not an area code: 6 digits (GB/T 2260), 12 digits (township: "
            "9 + 000, village), or 15 digits (grid)",
            "code 不是有效区划代码:6位(GB/T 2260)、12位(乡镇为9位+000,村/社区)或15位(网格)");
    int rc = check_fields(c, in->name ? in->name : "", in->kind ? in->kind : "", in->geometry,
                          in->has_pos ? &in->lat : NULL, in->has_pos ? &in->lng : NULL);
    if (rc) return rc;
    char parent[16] = "";
    bool has_parent = area_code_parent(in->code, parent);
    if (in->parent[0] && (!has_parent || strcmp(in->parent, parent) != 0))
        return jc_fail(
            c, JC_EUNPROC, "code_not_under_parent", "parent",
            arena_printf(c->a, "code %s does not extend the code of parent %s", in->code,
                         in->parent),
            arena_printf(c->a, "区划代码 %s 不是上级 %s 的下级代码", in->code, in->parent));
    area_rec p;
    bool parent_exists = has_parent && area_get(c, parent, &p) == JC_OK;
    c->err = (jc_err){0};
    if (!parent_exists) {
        /* a root of the tree: only from the command line (jiceng init / demo) */
        if (!c->user || !c->user->system)
            return jc_fail(c, JC_EUNPROC, "parent_missing", "parent",
                           arena_printf(c->a, "parent area %s does not exist", parent),
                           arena_printf(c->a, "上级区域 %s 不存在", parent));
        parent[0] = '\0';
    }
    if (!jc_user_has(c->user, RB(ROLE_ADMIN)))
        return jc_fail(c, JC_EPERM, "forbidden", NULL, "only administrators manage areas",
                       "只有管理员可以管理区域");
    if (parent[0] && (rc = area_check(c, parent, "parent"))) return rc;

    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    store_stmt *st;
    if ((rc = store_prepare(c->db, SQL_INSERT, &st))) goto dbfail;
    store_bind_text(st, 1, in->code);
    store_bind_text(st, 2, parent[0] ? parent : NULL);
    store_bind_int(st, 3, level);
    store_bind_text(st, 4, in->kind);
    store_bind_text(st, 5, in->name);
    if (in->has_pos) {
        store_bind_double(st, 6, in->lat);
        store_bind_double(st, 7, in->lng);
    }
    store_bind_text(st, 8, in->geometry);
    store_bind_int(st, 9, c->now);
    store_bind_int(st, 10, c->now);
    rc = store_run(st);
    if (rc == JC_ECONFLICT) {
        store_rollback(c->db);
        return jc_fail(c, rc, "duplicate", "code",
                       arena_printf(c->a, "area %s already exists", in->code),
                       arena_printf(c->a, "区域 %s 已存在", in->code));
    }
    if (rc) goto dbfail;
    area_rec now;
    if ((rc = area_get(c, in->code, &now))) goto fail;
    json_t *after = jc_own(c, area_json(&now));
    if ((rc = audit_append(c, "create", "area", in->code, in->code, NULL, after, NULL))) goto fail;
    if ((rc = bump_tree_version(c))) goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
dbfail:
    rc = jc_fail_db(c, rc);
fail:
    store_rollback(c->db);
    return rc;
}

static const char SQL_UPDATE[] =
    "UPDATE areas SET name = COALESCE(?1, name), kind = COALESCE(?2, kind),"
    " geometry = COALESCE(?3, geometry), lat = CASE WHEN ?9 = 1 THEN ?4 ELSE lat END,"
    " lng = CASE WHEN ?9 = 1 THEN ?5 ELSE lng END, version = version + 1, updated_at = ?6"
    " WHERE code = ?7 AND version = ?8";

int area_update(jc_ctx *c, const char *code, int64_t version, const char *name, const char *kind,
                const char *geometry, const double *lat, const double *lng)
{
    if (!jc_user_has(c->user, RB(ROLE_ADMIN)))
        return jc_fail(c, JC_EPERM, "forbidden", NULL, "only administrators manage areas",
                       "只有管理员可以管理区域");
    int rc = area_check(c, code, "code");
    if (rc) return rc;
    if ((rc = check_fields(c, name, kind, geometry, lat, lng))) return rc;
    if ((!lat) != (!lng))
        return jc_fail(c, JC_EINVAL, "invalid_field", lat ? "lng" : "lat",
                       "lat and lng go together", "经纬度须同时提供");
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    area_rec before;
    if ((rc = area_get(c, code, &before))) goto fail;
    store_stmt *st;
    if ((rc = store_prepare(c->db, SQL_UPDATE, &st))) goto dbfail;
    store_bind_text(st, 1, name);
    store_bind_text(st, 2, kind);
    store_bind_text(st, 3, geometry);
    store_bind_double(st, 4, lat ? *lat : 0);
    store_bind_double(st, 5, lng ? *lng : 0);
    store_bind_int(st, 6, c->now);
    store_bind_text(st, 7, code);
    store_bind_int(st, 8, version);
    store_bind_int(st, 9, lat ? 1 : 0);
    if ((rc = store_run(st))) goto dbfail;
    if (store_changes(st) == 0) {
        store_rollback(c->db);
        jc_fail_extra(c, "current_version", json_integer(before.version));
        return jc_fail(c, JC_ESTALE, "stale_version", "version",
                       "the area was changed by someone else; reload and try again",
                       "该区域已被他人修改,请刷新后重试");
    }
    area_rec after;
    if ((rc = area_get(c, code, &after))) goto fail;
    if ((rc = audit_append(c, "update", "area", code, code, jc_own(c, area_json(&before)),
                           jc_own(c, area_json(&after)), NULL)))
        goto fail;
    if ((rc = bump_tree_version(c))) goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
dbfail:
    rc = jc_fail_db(c, rc);
fail:
    store_rollback(c->db);
    return rc;
}

static const char SQL_NAME[] = "SELECT name FROM areas WHERE code = ?";

const char *area_path(jc_ctx *c, const char *code)
{
    const char *chain[8];
    int n = 0;
    char cur[16];
    snprintf(cur, sizeof cur, "%s", code);
    while (n < 8) {
        store_stmt *st;
        if (store_prepare(c->db, SQL_NAME, &st)) break;
        store_bind_text(st, 1, cur);
        if (store_one(st) == JC_OK) chain[n++] = arena_strdup(c->a, store_col_text(st, 0));
        store_reset(st);
        char parent[16];
        if (!area_code_parent(cur, parent)) break;
        memcpy(cur, parent, sizeof cur);
    }
    char *out = arena_strdup(c->a, "");
    for (int i = n - 1; i >= 0; i--)
        out = arena_printf(c->a, "%s%s%s", out, *out ? " / " : "", chain[i] ? chain[i] : "");
    return out;
}

static const char SQL_IS_ROOT[] =
    "SELECT count(*) FROM areas WHERE code = ? AND parent_code IS NULL";

bool area_user_is_root(jc_ctx *c)
{
    const jc_user *u = c->user;
    if (!u) return false;
    if (u->system) return true;
    for (int i = 0; i < u->ngrants; i++) {
        store_stmt *st;
        if (store_prepare(c->db, SQL_IS_ROOT, &st)) return false;
        store_bind_text(st, 1, u->grants[i].code);
        bool root = store_one(st) == JC_OK && store_col_int(st, 0) > 0;
        store_reset(st);
        if (root) return true;
    }
    return false;
}

static const char SQL_EXISTS[] = "SELECT count(*) FROM areas WHERE code = ?";

int area_exists(jc_ctx *c, const char *code, const char *field)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_EXISTS, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, code);
    rc = store_one(st);
    bool found = rc == JC_OK && store_col_int(st, 0) > 0;
    store_reset(st);
    if (rc) return jc_fail_db(c, rc);
    if (found) return JC_OK;
    return jc_fail(c, JC_EUNPROC, "unknown_area", field,
                   arena_printf(c->a, "area %s does not exist", code),
                   arena_printf(c->a, "区域 %s 不存在", code));
}
