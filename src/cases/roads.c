/* roads.c — 路长制: roads with their geometry, chiefs at three levels with their duties, the
 * teams and their members, the routing of a case to a road's chief and a team, patrol logs
 * (日巡查 / 夜盯守) and the compliance of each chief with the patrol frequency of the level. */
#include "cases.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROAD_POINTS  500
#define MAX_TRACK_POINTS 5000

/* ---- geometry ---- */

int road_parse_geometry(jc_ctx *c, json_t *g, const char *field, double **pts, int *n)
{
    *pts = NULL;
    *n = 0;
    size_t cnt = json_array_size(g);
    if (!json_is_array(g) || cnt < 2 || cnt > MAX_ROAD_POINTS)
        return jc_fail(
            c, JC_EINVAL, "invalid_field", field,
            arena_printf(c->a, "%s must be a list of 2–%d points [lat, lng]", field,
                         MAX_ROAD_POINTS),
            arena_printf(c->a, "道路走向须为2–%d个坐标点 [纬度, 经度]", MAX_ROAD_POINTS));
    double *p = arena_alloc(c->a, sizeof *p * cnt * 2);
    if (!p) return JC_ENOMEM;
    size_t i;
    json_t *pt;
    json_array_foreach(g, i, pt)
    {
        json_t *la = json_array_get(pt, 0), *ln = json_array_get(pt, 1);
        if (!json_is_array(pt) || json_array_size(pt) != 2 || !json_is_number(la) ||
            !json_is_number(ln))
            return jc_fail(c, JC_EINVAL, "invalid_field", field,
                           arena_printf(c->a, "%s: point %zu must be [lat, lng]", field, i + 1),
                           arena_printf(c->a, "道路走向第%zu个点须为 [纬度, 经度]", i + 1));
        p[2 * i] = json_number_value(la);
        p[2 * i + 1] = json_number_value(ln);
        int rc = cases_check_location(c, p[2 * i], p[2 * i + 1], field, field);
        if (rc) return rc;
    }
    *pts = p;
    *n = (int)cnt;
    return JC_OK;
}

/* Compact JSON text of a point list, 6 decimals (about 0.1 m). */
static const char *points_text(jc_ctx *c, const double *pts, int n)
{
    jc_buf b;
    buf_init(&b, (size_t)n * 48 + 16);
    int rc = buf_puts(&b, "[");
    for (int i = 0; !rc && i < n; i++)
        rc = buf_printf(&b, "%s[%.6f,%.6f]", i ? "," : "", pts[2 * i], pts[2 * i + 1]);
    if (!rc) rc = buf_puts(&b, "]");
    const char *out = rc ? NULL : arena_strdup(c->a, b.data);
    buf_free(&b);
    return out;
}

static bool road_points(jc_ctx *c, const road_rec *r, double **pts, int *n)
{
    *pts = NULL;
    *n = 0;
    if (!r->geometry) return false;
    json_t *g = jc_own(c, json_loads(r->geometry, 0, NULL));
    size_t cnt = json_array_size(g);
    if (cnt == 0) return false;
    double *p = arena_alloc(c->a, sizeof *p * cnt * 2);
    if (!p) return false;
    for (size_t i = 0; i < cnt; i++) {
        p[2 * i] = json_number_value(json_array_get(json_array_get(g, i), 0));
        p[2 * i + 1] = json_number_value(json_array_get(json_array_get(g, i), 1));
    }
    *pts = p;
    *n = (int)cnt;
    return true;
}

/* ---- JSON ---- */

json_t *road_json(jc_ctx *c, const road_rec *r)
{
    json_t *g = r->geometry ? json_loads(r->geometry, 0, NULL) : NULL;
    return jc_own(c, json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:I, s:b, s:I}", "id",
                               (json_int_t)r->id, "area", r->area_code, "area_name",
                               r->area_name ? r->area_name : "", "name", r->name, "description",
                               r->description ? r->description : "", "geometry",
                               g ? g : json_null(), "length_m", (json_int_t)r->length_m, "active",
                               r->active, "version", (json_int_t)r->version));
}

json_t *chief_json(jc_ctx *c, const chief_rec *k, bool show_phone)
{
    const chief_level *cl = chief_level_find(k->level);
    json_t *duties = k->duties ? json_loads(k->duties, 0, NULL) : NULL;
    const char *phone = k->phone && !show_phone ? cases_mask_phone(c, k->phone) : k->phone;
    json_t *o =
        json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:o, s:s, s:s, s:b, s:I}", "id",
                  (json_int_t)k->id, "road_id", (json_int_t)k->road_id, "road_name",
                  k->road_name ? k->road_name : "", "level", k->level, "level_zh", cl ? cl->zh : "",
                  "level_en", cl ? cl->en : "", "name", k->name, "title", k->title ? k->title : "",
                  "phone", phone, "duties", duties ? duties : json_array(), "since",
                  k->since ? k->since : "", "frequency", cases_level_frequency(c, k->level),
                  "active", k->active, "version", (json_int_t)k->version);
    if (!o) return NULL;
    json_object_set_new(o, "user",
                        k->user_id ? json_pack("{s:I, s:s}", "id", (json_int_t)k->user_id, "name",
                                               k->user_name ? k->user_name : "")
                                   : json_null());
    return jc_own(c, o);
}

json_t *team_json(jc_ctx *c, const team_rec *t, bool show_phone)
{
    json_t *members = json_array();
    db_team_members(c, t->id, members);
    const char *phone = t->phone && !show_phone ? cases_mask_phone(c, t->phone) : t->phone;
    return jc_own(c, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s?, s:o, s:b, s:I}", "id",
                               (json_int_t)t->id, "area", t->area_code, "area_name",
                               t->area_name ? t->area_name : "", "name", t->name, "kind", t->kind,
                               "leader_name", t->leader_name ? t->leader_name : "", "phone", phone,
                               "members", members, "active", t->active, "version",
                               (json_int_t)t->version));
}

/* ---- roads ---- */

static int only_staff(jc_ctx *c, const char *en, const char *zh)
{
    if (jc_user_has(c->user, CASES_STAFF)) return JC_OK;
    return jc_fail(c, JC_EPERM, "forbidden", NULL, en, zh);
}

static json_t *road_audit(jc_ctx *c, const road_rec *r)
{
    return jc_own(c, json_pack("{s:s, s:s, s:s, s:s?, s:I, s:b}", "area", r->area_code, "name",
                               r->name, "description", r->description ? r->description : "",
                               "geometry", r->geometry, "length_m", (json_int_t)r->length_m,
                               "active", r->active));
}

int road_create(jc_ctx *c, road_rec *r, int64_t *id)
{
    int rc = only_staff(c, "only administrators and leaders set up roads",
                        "只有管理员或书记/主任可以设置道路");
    if (!rc) rc = cases_check_area(c, r->area_code, "area");
    if (rc) return rc;
    if (r->pts) {
        r->geometry = points_text(c, r->pts, r->npts);
        r->length_m = llround(geo_polyline_length_m(r->pts, r->npts));
    }
    r->active = true;
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    if ((rc = db_road_insert(c, r, id))) goto fail;
    if ((rc =
             audit_append_id(c, "create", "road", *id, r->area_code, NULL, road_audit(c, r), NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

int road_edit(jc_ctx *c, int64_t id, int64_t version, const road_rec *ch, const bool *active,
              bool geometry_given)
{
    int rc = only_staff(c, "only administrators and leaders set up roads",
                        "只有管理员或书记/主任可以设置道路");
    if (rc) return rc;
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    road_rec r;
    if ((rc = db_road_get(c, id, &r)) || (rc = area_check(c, r.area_code, NULL))) goto fail;
    if (r.version != version) {
        rc = cases_stale(c, r.version, "road", "道路");
        goto fail;
    }
    json_t *before = road_audit(c, &r);
    if (ch->name) r.name = ch->name;
    if (ch->description) r.description = ch->description;
    if (geometry_given) {
        r.geometry = ch->pts ? points_text(c, ch->pts, ch->npts) : NULL;
        r.length_m = ch->pts ? llround(geo_polyline_length_m(ch->pts, ch->npts)) : 0;
    }
    if (active) r.active = *active;
    if ((rc = db_road_update(c, &r, version))) goto fail;
    if ((rc = audit_append_id(c, "update", "road", id, r.area_code, before, road_audit(c, &r),
                              NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

/* ---- chiefs ---- */

static int check_duties(jc_ctx *c, const char *duties_json)
{
    json_t *d = jc_own(c, json_loads(duties_json ? duties_json : "null", 0, NULL));
    size_t i;
    json_t *e;
    if (!json_is_array(d) || json_array_size(d) == 0)
        return jc_fail(c, JC_EINVAL, "required", "duties", "duties needs at least one duty",
                       "请至少选择一项职责");
    json_array_foreach(d, i, e) if (!json_is_string(e) ||
                                    !config_list_has(c, "cases.chief_duties", json_string_value(e)))
    {
        jc_fail_extra(c, "allowed", json_incref(config_get(c, "cases.chief_duties")));
        return jc_fail(c, JC_EINVAL, "invalid_field", "duties",
                       "duties: every duty must be one of cases.chief_duties",
                       "职责须为配置的路长职责(包秩序、包卫生、包立面)之一");
    }
    return JC_OK;
}

static int check_chief_user(jc_ctx *c, int64_t user_id, const char *area, const char **name)
{
    bool ok = false;
    int rc = db_user_brief(c, user_id, area, name, &ok);
    if (rc) return rc;
    if (!*name)
        return jc_fail(c, JC_EUNPROC, "unknown_user", "user_id", "no such user", "账号不存在");
    if (!ok)
        return jc_fail(c, JC_EUNPROC, "user_out_of_area", "user_id",
                       "the account is disabled or not granted the road's area",
                       "该账号已停用或不负责该道路所属区域");
    return JC_OK;
}

static json_t *chief_audit(jc_ctx *c, const chief_rec *k)
{
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b}", "road_id", (json_int_t)k->road_id,
                          "level", k->level, "name", k->name, "title", k->title ? k->title : "",
                          "duties", k->duties, "since", k->since, "active", k->active);
    if (o && k->user_id) json_object_set_new(o, "user_id", json_integer(k->user_id));
    if (o && k->phone) json_object_set_new(o, "phone", json_string(k->phone));
    return jc_own(c, o);
}

int chief_create(jc_ctx *c, chief_rec *k, int64_t *id)
{
    int rc = only_staff(c, "only administrators and leaders appoint road chiefs",
                        "只有管理员或书记/主任可以任命路长");
    if (rc) return rc;
    road_rec r;
    rc = db_road_get(c, k->road_id, &r);
    if (rc == JC_ENOTFOUND)
        return jc_fail(c, JC_EUNPROC, "unknown_road", "road_id", "no such road", "道路不存在");
    if (rc || (rc = area_check(c, r.area_code, "road_id"))) return rc;
    if (!chief_level_find(k->level))
        return jc_fail(c, JC_EINVAL, "invalid_field", "level",
                       "level must be general, first or second",
                       "级别须为总路长、一级路长或二级路长");
    if ((rc = check_duties(c, k->duties))) return rc;
    const char *uname;
    if (k->user_id && (rc = check_chief_user(c, k->user_id, r.area_code, &uname))) return rc;
    k->area_code = r.area_code;
    k->active = true;
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    if ((rc = db_chief_insert(c, k, id))) goto fail;
    if ((rc = audit_append_id(c, "create", "road_chief", *id, r.area_code, NULL, chief_audit(c, k),
                              NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

int chief_edit(jc_ctx *c, int64_t id, int64_t version, const chief_rec *ch, const bool *active,
               bool user_given)
{
    int rc = only_staff(c, "only administrators and leaders appoint road chiefs",
                        "只有管理员或书记/主任可以任命路长");
    if (rc) return rc;
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    chief_rec k;
    if ((rc = db_chief_get(c, id, &k)) || (rc = area_check(c, k.area_code, NULL))) goto fail;
    if (k.version != version) {
        rc = cases_stale(c, k.version, "road chief", "路长");
        goto fail;
    }
    json_t *before = chief_audit(c, &k);
    if (ch->level) {
        if (!chief_level_find(ch->level)) {
            rc = jc_fail(c, JC_EINVAL, "invalid_field", "level",
                         "level must be general, first or second",
                         "级别须为总路长、一级路长或二级路长");
            goto fail;
        }
        k.level = ch->level;
    }
    if (ch->name) k.name = ch->name;
    if (ch->title) k.title = ch->title;
    if (ch->phone) k.phone = *ch->phone ? ch->phone : NULL;
    if (ch->since) k.since = ch->since;
    if (ch->duties) {
        if ((rc = check_duties(c, ch->duties))) goto fail;
        k.duties = ch->duties;
    }
    if (user_given) {
        const char *uname;
        if (ch->user_id && (rc = check_chief_user(c, ch->user_id, k.area_code, &uname))) goto fail;
        k.user_id = ch->user_id;
    }
    if (active) k.active = *active;
    if ((rc = db_chief_update(c, &k, version))) goto fail;
    if ((rc = audit_append_id(c, "update", "road_chief", id, k.area_code, before,
                              chief_audit(c, &k), NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

/* ---- teams ---- */

static int check_members(jc_ctx *c, const char *area, const int64_t *ids, int n)
{
    for (int i = 0; i < n; i++) {
        const char *name;
        bool ok = false;
        int rc = db_user_brief(c, ids[i], area, &name, &ok);
        if (rc) return rc;
        if (!name || !ok)
            return jc_fail(c, JC_EUNPROC, "member_out_of_area", "members",
                           arena_printf(c->a,
                                        "member %lld does not exist, is disabled or is not granted "
                                        "the team's area",
                                        (long long)ids[i]),
                           arena_printf(c->a, "队员 %lld 不存在、已停用或不负责该队伍所属区域",
                                        (long long)ids[i]));
        for (int k = 0; k < i; k++)
            if (ids[k] == ids[i])
                return jc_fail(c, JC_EINVAL, "invalid_field", "members", "a member appears twice",
                               "队员重复");
    }
    return JC_OK;
}

static int check_kind(jc_ctx *c, const char *kind)
{
    if (kind && config_list_has(c, "cases.team_kinds", kind)) return JC_OK;
    jc_fail_extra(c, "allowed", json_incref(config_get(c, "cases.team_kinds")));
    return jc_fail(c, JC_EINVAL, "invalid_field", "kind", "kind must be one of cases.team_kinds",
                   "队伍类型须为配置的类型之一");
}

static json_t *team_audit(jc_ctx *c, const team_rec *t, const int64_t *m, int n)
{
    json_t *members = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(members, json_integer(m[i]));
    return jc_own(c,
                  json_pack("{s:s, s:s, s:s, s:s, s:b, s:o}", "area", t->area_code, "name", t->name,
                            "kind", t->kind, "leader_name", t->leader_name ? t->leader_name : "",
                            "active", t->active, "members", members));
}

int team_create(jc_ctx *c, team_rec *t, const int64_t *members, int nmembers, int64_t *id)
{
    int rc = only_staff(c, "only administrators and leaders set up teams",
                        "只有管理员或书记/主任可以设置队伍");
    if (!rc) rc = cases_check_area(c, t->area_code, "area");
    if (!rc) rc = check_kind(c, t->kind);
    if (!rc) rc = check_members(c, t->area_code, members, nmembers);
    if (rc) return rc;
    t->active = true;
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    if ((rc = db_team_insert(c, t, id))) goto fail;
    if ((rc = db_team_set_members(c, *id, members, nmembers))) goto fail;
    if ((rc = audit_append_id(c, "create", "team", *id, t->area_code, NULL,
                              team_audit(c, t, members, nmembers), NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

int team_edit(jc_ctx *c, int64_t id, int64_t version, const team_rec *ch, const bool *active,
              const int64_t *members, int nmembers, bool members_given)
{
    int rc = only_staff(c, "only administrators and leaders set up teams",
                        "只有管理员或书记/主任可以设置队伍");
    if (rc) return rc;
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    team_rec t;
    if ((rc = db_team_get(c, id, &t)) || (rc = area_check(c, t.area_code, NULL))) goto fail;
    if (t.version != version) {
        rc = cases_stale(c, t.version, "team", "队伍");
        goto fail;
    }
    json_t *old_members = jc_own(c, json_array());
    if ((rc = db_team_members(c, id, old_members))) goto fail;
    size_t nold = json_array_size(old_members);
    int64_t *old = arena_alloc(c->a, sizeof *old * (nold ? nold : 1));
    if (!old) {
        rc = JC_ENOMEM;
        goto fail;
    }
    for (size_t i = 0; i < nold; i++)
        old[i] = json_integer_value(json_object_get(json_array_get(old_members, i), "id"));
    json_t *before = team_audit(c, &t, old, (int)nold);
    if (ch->name) t.name = ch->name;
    if (ch->kind) {
        if ((rc = check_kind(c, ch->kind))) goto fail;
        t.kind = ch->kind;
    }
    if (ch->leader_name) t.leader_name = ch->leader_name;
    if (ch->phone) t.phone = *ch->phone ? ch->phone : NULL;
    if (active) t.active = *active;
    if (members_given && (rc = check_members(c, t.area_code, members, nmembers))) goto fail;
    if ((rc = db_team_update(c, &t, version))) goto fail;
    if (members_given && (rc = db_team_set_members(c, id, members, nmembers))) goto fail;
    if ((rc = audit_append_id(c, "update", "team", id, t.area_code, before,
                              members_given ? team_audit(c, &t, members, nmembers)
                                            : team_audit(c, &t, old, (int)nold),
                              NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

/* ---- routing ---- */

static bool duties_have(jc_ctx *c, const char *duties_json, const char *duty)
{
    json_t *d = jc_own(c, json_loads(duties_json ? duties_json : "[]", 0, NULL));
    size_t i;
    json_t *e;
    json_array_foreach(d, i, e) if (json_is_string(e) && duty &&
                                    strcmp(json_string_value(e), duty) == 0) return true;
    return false;
}

int case_route(jc_ctx *c, const case_service *s, int64_t road_id, bool has_pos, double lat,
               double lng, const char *address, const char *area_hint, case_route_out *out)
{
    memset(out, 0, sizeof *out);
    int rc;
    road_rec *roads = NULL;
    int nroads = 0;
    const road_rec *road = NULL;
    road_rec given;
    if (road_id) {
        if ((rc = db_road_get(c, road_id, &given))) return rc;
        road = &given;
    } else if (has_pos || (address && *address)) {
        /* routing is the office's, not the caller's: every active road counts */
        if ((rc = db_road_list(c, "", "~", true, true, &roads, &nroads))) return rc;
        double best = (double)config_get_int(c, "cases.road_snap_m", 150);
        size_t best_len = 0;
        for (int i = 0; i < nroads; i++) {
            double *pts;
            int n;
            if (has_pos) {
                if (!road_points(c, &roads[i], &pts, &n)) continue;
                double d = geo_polyline_distance_m(lat, lng, pts, n);
                if (d <= best) {
                    best = d;
                    road = &roads[i];
                }
            } else if (strstr(address, roads[i].name) && strlen(roads[i].name) > best_len) {
                /* "陇海马路与城东路交叉口": the longest road name found in the address */
                best_len = strlen(roads[i].name);
                road = &roads[i];
            }
        }
    }
    if (road) {
        out->road_id = road->id;
        out->area_code = road->area_code;
        chief_rec *chiefs;
        int n;
        if ((rc = db_chief_list(c, road->id, "", "~", true, &chiefs, &n))) return rc;
        int best = -1;
        for (int i = 0; i < n; i++) {
            if (!chiefs[i].active) continue;
            /* the chief with the service's duty, the most local level, with an account */
            int score = (duties_have(c, chiefs[i].duties, s->duty) ? 8 : 0) +
                        (strcmp(chiefs[i].level, "second") == 0  ? 4
                         : strcmp(chiefs[i].level, "first") == 0 ? 2
                                                                 : 0) +
                        (chiefs[i].user_id ? 1 : 0);
            if (score > best) {
                best = score;
                out->chief_id = chiefs[i].id;
            }
        }
    }
    if (area_hint && *area_hint) out->area_code = area_hint;
    if (!out->area_code) {
        const char *intake = json_string_value(config_get(c, "cases.intake_area"));
        out->area_code = intake ? intake : "410104007000";
    }
    return db_team_for(c, s->team, out->area_code, &out->team_id);
}

/* ---- patrols ---- */

int patrol_create(jc_ctx *c, const patrol_in *in, int64_t *id)
{
    if (!jc_user_has(c->user, CASES_FIELD))
        return jc_fail(c, JC_EPERM, "forbidden", NULL, "your role does not patrol",
                       "您的角色无巡查职责");
    road_rec r;
    int rc = db_road_get(c, in->road_id, &r);
    if (rc == JC_ENOTFOUND)
        return jc_fail(c, JC_EUNPROC, "unknown_road", "road_id", "no such road", "道路不存在");
    if (rc || (rc = area_check(c, r.area_code, "road_id"))) return rc;
    if (in->ended_at <= in->started_at || in->ended_at - in->started_at > 24 * 3600)
        return jc_fail(c, JC_EINVAL, "invalid_field", "ended_at",
                       "a patrol ends after it starts, within 24 hours",
                       "巡查结束时间须晚于开始时间且不超过24小时");
    if (in->ended_at > c->now + 600)
        return jc_fail(c, JC_EINVAL, "invalid_field", "ended_at",
                       "a patrol cannot end in the future", "巡查结束时间不能晚于现在");
    if (in->started_at < c->now - 90 * 86400)
        return jc_fail(c, JC_EINVAL, "invalid_field", "started_at",
                       "patrols are logged within 90 days", "只能补录90天以内的巡查");
    int64_t chief_id = in->chief_id;
    if (chief_id) {
        chief_rec k;
        rc = db_chief_get(c, chief_id, &k);
        if (rc == JC_ENOTFOUND || (!rc && (k.road_id != in->road_id || !k.active)))
            return jc_fail(c, JC_EUNPROC, "chief_not_of_road", "chief_id",
                           "the chief is not an active chief of this road",
                           "该路长不是此道路的在任路长");
        if (rc) return rc;
        /* a chief logs their own patrols; the command centre may enter anyone's paper log */
        if (!jc_user_has(c->user, CASES_STAFF) && k.user_id != c->user->id)
            return jc_fail(c, JC_EPERM, "forbidden", "chief_id",
                           "you may log patrols only as yourself", "只能登记本人的巡查");
    } else if (!c->user->system) {
        if ((rc = db_chief_of_user(c, in->road_id, c->user->id, &chief_id))) return rc;
    }
    const char *track = NULL;
    int64_t distance = 0;
    if (in->track && !json_is_null(in->track)) {
        size_t n = json_array_size(in->track);
        if (!json_is_array(in->track) || n < 2 || n > MAX_TRACK_POINTS)
            return jc_fail(c, JC_EINVAL, "invalid_field", "track",
                           "track must be a list of 2–5000 points [lat, lng]",
                           "轨迹须为2–5000个坐标点");
        double *pts = arena_alloc(c->a, sizeof *pts * n * 2);
        if (!pts) return JC_ENOMEM;
        for (size_t i = 0; i < n; i++) {
            json_t *pt = json_array_get(in->track, i);
            json_t *la = json_array_get(pt, 0), *ln = json_array_get(pt, 1);
            if (!json_is_array(pt) || json_array_size(pt) < 2 || json_array_size(pt) > 3 ||
                !json_is_number(la) || !json_is_number(ln) ||
                (json_array_size(pt) == 3 && !json_is_integer(json_array_get(pt, 2))))
                return jc_fail(c, JC_EINVAL, "invalid_field", "track",
                               arena_printf(c->a,
                                            "track: point %zu must be [lat, lng] or "
                                            "[lat, lng, epoch seconds]",
                                            i + 1),
                               arena_printf(c->a, "轨迹第%zu个点格式不正确", i + 1));
            pts[2 * i] = json_number_value(la);
            pts[2 * i + 1] = json_number_value(ln);
            if ((rc = cases_check_location(c, pts[2 * i], pts[2 * i + 1], "track", "track")))
                return rc;
        }
        distance = llround(geo_polyline_length_m(pts, (int)n));
        char *t = json_dumps(in->track, JSON_COMPACT);
        track = t ? arena_strdup(c->a, t) : NULL;
        free(t);
        if (!track) return JC_ENOMEM;
    }
    size_t nprob = json_array_size(in->problems);
    if (in->problems && (!json_is_array(in->problems) || nprob > 20))
        return jc_fail(c, JC_EINVAL, "invalid_field", "problems",
                       "problems must be a list of at most 20", "发现问题最多20项");
    patrol_row_in row = {0};
    char day[11];
    jc_date_local(in->started_at, day);
    row.area = r.area_code;
    row.patroller = c->user->display_name ? c->user->display_name : c->user->username;
    row.kind = in->kind;
    row.local_date = day;
    row.findings = in->findings;
    row.track = track;
    row.road_id = in->road_id;
    row.chief_id = chief_id;
    row.user_id = c->user->system ? 0 : c->user->id;
    row.started_at = in->started_at;
    row.ended_at = in->ended_at;
    row.distance_m = distance;
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    if ((rc = db_patrol_insert(c, &row, id))) goto fail;
    json_t *ids = jc_own(c, json_array());
    for (size_t i = 0; i < nprob; i++) {
        /* a problem found on the way becomes a case of this road, dispatched at once */
        json_t *p = json_array_get(in->problems, i);
        json_t *la = json_object_get(p, "lat"), *ln = json_object_get(p, "lng");
        const char *svc = json_string_value(json_object_get(p, "service_code"));
        const char *desc = json_string_value(json_object_get(p, "description"));
        const char *addr = json_string_value(json_object_get(p, "address"));
        if (!json_is_object(p) || !svc || !desc || jc_blank(desc) || jc_utf8_len(desc) > 2000 ||
            jc_has_control(desc) || (addr && (jc_utf8_len(addr) > 200 || jc_has_control(addr))) ||
            (la && !json_is_number(la)) || (ln && !json_is_number(ln)) || (!la != !ln)) {
            rc = jc_fail(c, JC_EINVAL, "invalid_field", "problems",
                         arena_printf(c->a,
                                      "problems[%zu] needs service_code, description (≤ 2000) and "
                                      "optionally lat, lng and address",
                                      i),
                         arena_printf(c->a, "第%zu项发现问题须有类别和描述", i + 1));
            goto fail;
        }
        case_input ci = {0};
        ci.service_code = svc;
        ci.description = desc;
        ci.address = addr ? addr : r.name;
        ci.has_pos = la != NULL;
        ci.lat = json_number_value(la);
        ci.lng = json_number_value(ln);
        ci.road_id = in->road_id;
        ci.patrol_id = *id;
        ci.source = "patrol";
        ci.dispatch = true;
        int64_t cid;
        if ((rc = case_create(c, &ci, NULL, &cid))) goto fail;
        json_array_append_new(ids, json_integer(cid));
    }
    char *idtxt = json_dumps(ids, JSON_COMPACT);
    rc = idtxt ? db_patrol_set_cases(c, *id, idtxt) : JC_ENOMEM;
    free(idtxt);
    if (rc) goto fail;
    json_t *after =
        jc_own(c, json_pack("{s:I, s:I, s:s, s:I, s:I, s:s, s:I, s:O}", "road_id",
                            (json_int_t)in->road_id, "chief_id", (json_int_t)chief_id, "kind",
                            in->kind, "started_at", (json_int_t)in->started_at, "ended_at",
                            (json_int_t)in->ended_at, "findings", in->findings ? in->findings : "",
                            "distance_m", (json_int_t)distance, "case_ids", ids));
    if ((rc = audit_append_id(c, "create", "patrol", *id, r.area_code, NULL, after, NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

int patrol_get(jc_ctx *c, int64_t id, json_t **out)
{
    const char *area;
    int rc = db_patrol_get(c, id, out, &area);
    if (rc) return rc;
    return area_check(c, area, NULL);
}

int patrol_list(jc_ctx *c, const char *lo, const char *hi, bool covered, int64_t road_id,
                int64_t chief_id, int64_t from, int64_t to, int64_t limit, int64_t offset,
                json_t **items, int64_t *total)
{
    *items = jc_own(c, json_array());
    return db_patrol_list(c, lo, hi, covered, road_id, chief_id, from, to, limit, offset, *items,
                          total);
}

/* The period of `freq` containing the day: "2026-03-05", "2026-W10", "2026-03-H1", "2026-03". */
static void period_key(const char *freq, int64_t day, char out[16])
{
    if (strcmp(freq, "day") == 0) {
        jc_date_format(day, out);
    } else if (strcmp(freq, "half_month") == 0) {
        int y, m, d;
        jc_civil_from_days(day, &y, &m, &d);
        snprintf(out, 16, "%04d-%02d-H%d", y % 10000, m % 13, d <= 15 ? 1 : 2);
    } else if (!jc_period_of(freq, day, out)) {
        jc_period_of("week", day, out);
    }
}

static const char *freq_zh(const char *f)
{
    if (strcmp(f, "day") == 0) return "每天";
    if (strcmp(f, "week") == 0) return "每周";
    if (strcmp(f, "half_month") == 0) return "每半月";
    return "每月";
}

int patrol_compliance(jc_ctx *c, const char *lo, const char *hi, bool covered, const char *from,
                      const char *to, json_t **out)
{
    int64_t d0, d1, today;
    char today_s[11];
    jc_date_local(c->now, today_s);
    jc_date_parse(today_s, &today);
    if (!jc_date_parse(from, &d0) || !jc_date_parse(to, &d1) || d1 < d0)
        return jc_fail(c, JC_EINVAL, "invalid_parameter", "from", "from must not be after to",
                       "开始日期不能晚于结束日期");
    if (d1 - d0 > 400)
        return jc_fail(c, JC_EINVAL, "invalid_parameter", "to", "at most 400 days at once",
                       "一次最多统计400天");
    if (d1 > today) d1 = today;
    chief_rec *chiefs;
    int n;
    int rc = db_chief_list(c, 0, lo, hi, covered, &chiefs, &n);
    if (rc) return rc;
    json_t *rows = json_array();
    int64_t sum_req = 0, sum_done = 0, sum_open = 0;
    for (int i = 0; i < n; i++) {
        const chief_rec *k = &chiefs[i];
        if (!k->active) continue;
        const char *freq = cases_level_frequency(c, k->level);
        int64_t start = d0, since;
        if (k->since && jc_date_parse(k->since, &since) && since > start) start = since;
        json_t *days = jc_own(c, json_object());
        char f_s[11], t_s[11];
        jc_date_format(start, f_s);
        jc_date_format(d1, t_s);
        int64_t patrols = 0;
        if (start <= d1 && (rc = db_patrol_days(c, k->id, f_s, t_s, days))) {
            json_decref(rows);
            return rc;
        }
        int64_t required = 0, done = 0, open = 0;
        json_t *missed = json_array();
        /* the period holding today is still running: open, not missed, until it is over */
        char running[16] = "";
        if (d1 == today) period_key(freq, today, running);
        char cur[16] = "";
        bool cur_done = false;
        for (int64_t day = start; day <= d1 + 1; day++) {
            char key[16] = "";
            if (day <= d1) period_key(freq, day, key);
            if (strcmp(key, cur) != 0) {
                if (*cur) {
                    required++;
                    if (cur_done)
                        done++;
                    else if (strcmp(cur, running) == 0)
                        open++;
                    else if (json_array_size(missed) < 60)
                        json_array_append_new(missed, json_string(cur));
                }
                snprintf(cur, sizeof cur, "%s", key);
                cur_done = false;
            }
            if (day > d1) break;
            char ds[11];
            jc_date_format(day, ds);
            json_t *cnt = json_object_get(days, ds);
            if (cnt) {
                cur_done = true;
                patrols += json_integer_value(cnt);
            }
        }
        int64_t due = required - open;
        sum_req += required;
        sum_done += done;
        sum_open += open;
        const chief_level *cl = chief_level_find(k->level);
        json_array_append_new(
            rows,
            json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:o, s:o}",
                      "chief_id", (json_int_t)k->id, "name", k->name, "level", k->level, "level_zh",
                      cl ? cl->zh : "", "road_id", (json_int_t)k->road_id, "road_name",
                      k->road_name ? k->road_name : "", "frequency", freq, "frequency_zh",
                      freq_zh(freq), "required", (json_int_t)required, "done", (json_int_t)done,
                      "open", (json_int_t)open, "missed", (json_int_t)(due - done), "patrols",
                      (json_int_t)patrols, "rate", due > 0 ? cases_rate(done, due) : json_null(),
                      "missed_periods", missed));
    }
    int64_t due = sum_req - sum_open;
    *out = jc_own(c, json_pack("{s:s, s:s, s:o, s:I, s:I, s:I, s:o}", "from", from, "to", to,
                               "chiefs", rows, "required", (json_int_t)sum_req, "done",
                               (json_int_t)sum_done, "open", (json_int_t)sum_open, "rate",
                               due > 0 ? cases_rate(sum_done, due) : json_null()));
    return JC_OK;
}
