/* cases_api.c — the HTTP handlers of city management (inputs checked against field specs,
 * rules in cases.c, roads.c, sites.c, reports.c), the route table with the Open311 routes of
 * open311.c, and the module. */
#include "cases.h"
#include "../app.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern const jc_command cases_commands[CASES_NCOMMANDS];

static const char *const ALSO_VERSION[] = {"version", NULL};

/* ---- shared ---- */

static int reply_json(jc_req *r, int status, json_t *o)
{
    return req_json(r, status, json_incref(o));
}

static int scope(jc_req *r, char lo[16], char hi[17], bool *covered)
{
    return area_filter(&r->c, req_query(r, "area"), lo, hi, covered);
}

/* from/to (YYYY-MM-DD, Shanghai) or period (YYYY, YYYY-Qn, YYYY-MM, YYYY-Www) as a half-open
 * range of epoch seconds; the default when none is given: [def_days ago, now]. */
static int date_range(jc_req *r, int def_days, int64_t *t0, int64_t *t1, const char **from_s,
                      const char **to_s)
{
    const char *from, *to, *period = req_query(r, "period");
    int rc = req_query_date(r, "from", &from);
    if (!rc) rc = req_query_date(r, "to", &to);
    if (rc) return rc;
    if (period && *period) {
        char *f = arena_alloc(r->c.a, 11), *l = arena_alloc(r->c.a, 11);
        if (!f || !l) return JC_ENOMEM;
        if (!jc_period_parse(period, f, l))
            return jc_fail(&r->c, JC_EINVAL, "invalid_parameter", "period",
                           "period must be YYYY, YYYY-Qn, YYYY-MM or YYYY-Www",
                           "period 须为 YYYY、YYYY-Qn、YYYY-MM 或 YYYY-Www");
        from = f;
        to = l;
    }
    char today[11];
    jc_date_local(r->c.now, today);
    int64_t d0, d1, dt;
    jc_date_parse(today, &dt);
    if (!to) to = arena_strdup(r->c.a, today);
    jc_date_parse(to, &d1);
    if (!from) {
        d0 = def_days ? d1 - def_days + 1 : 0;
        char *f = arena_alloc(r->c.a, 11);
        if (!f) return JC_ENOMEM;
        jc_date_format(def_days ? d0 : 0, f);
        from = def_days ? f : NULL;
    } else {
        jc_date_parse(from, &d0);
    }
    if (from && d0 > d1)
        return jc_fail(&r->c, JC_EINVAL, "invalid_parameter", "from", "from must not be after to",
                       "开始日期不能晚于结束日期");
    *t0 = from ? d0 * 86400 - JC_TZ_OFFSET : 0;
    *t1 = (d1 + 1) * 86400 - JC_TZ_OFFSET;
    if (from_s) *from_s = from;
    if (to_s) *to_s = to;
    return JC_OK;
}

static int query_id(jc_req *r, const char *key, int64_t *out)
{
    return req_query_int(r, key, 0, 0, INT64_MAX, out);
}

/* ---- the case list ---- */

static int read_case_filter(jc_req *r, case_filter *f)
{
    memset(f, 0, sizeof *f);
    int rc = area_filter(&r->c, req_query(r, "area"), f->lo, f->hi, &f->covered);
    if (rc) return rc;
#define Q(name) (req_query(r, name) && *req_query(r, name) ? req_query(r, name) : NULL)
    f->service = Q("service");
    f->source = Q("source");
    f->q = Q("q");
    const char *states = Q("state"), *sort = Q("sort"), *assignee = Q("assignee");
#undef Q
    for (const char *p = states; p && *p;) {
        size_t n = strcspn(p, ","), i;
        for (i = 0; i < case_wf.nstates; i++)
            if (strlen(case_wf.states[i].code) == n && strncmp(case_wf.states[i].code, p, n) == 0)
                break;
        if (i == case_wf.nstates)
            return jc_fail(&r->c, JC_EINVAL, "invalid_parameter", "state",
                           "state must be a comma list of new, dispatched, processing, verifying, "
                           "suspended, closed, rejected, merged",
                           "state 须为以下状态(可用逗号分隔):new、dispatched、processing、"
                           "verifying、suspended、closed、rejected、merged");
        f->states |= (int64_t)1 << i;
        p += n + (p[n] == ',');
    }
    int64_t v;
    if ((rc = req_query_int(r, "open", 0, 0, 1, &v))) return rc;
    if (v) {
        int64_t mask = 0;
        for (size_t i = 0; i < case_wf.nstates; i++)
            if (case_is_open(case_wf.states[i].code)) mask |= (int64_t)1 << i;
        f->states = f->states ? (f->states & mask) : mask;
        if (!f->states) f->states = (int64_t)1 << 40; /* closed states asked with open=1 */
    }
    if ((rc = req_query_int(r, "overdue", 0, 0, 1, &v))) return rc;
    f->overdue_only = v;
    if ((rc = req_query_int(r, "hidden", 0, 0, 1, &v))) return rc;
    f->hidden_only = v;
    f->include_hidden = true; /* staff see hidden reports (marked) */
    if ((rc = query_id(r, "road", &f->road_id)) || (rc = query_id(r, "team", &f->team_id)) ||
        (rc = query_id(r, "chief", &f->chief_id)) || (rc = query_id(r, "site", &f->site_id)))
        return rc;
    if (assignee && strcmp(assignee, "me") == 0)
        f->assignee_id = r->c.user->id;
    else if ((rc = query_id(r, "assignee", &f->assignee_id)))
        return rc;
    if (!sort || strcmp(sort, "-created") == 0)
        f->sort = CASE_SORT_NEW;
    else if (strcmp(sort, "created") == 0)
        f->sort = CASE_SORT_OLD;
    else if (strcmp(sort, "deadline") == 0)
        f->sort = CASE_SORT_DEADLINE;
    else if (strcmp(sort, "-updated") == 0)
        f->sort = CASE_SORT_UPDATED;
    else
        return jc_fail(&r->c, JC_EINVAL, "invalid_parameter", "sort",
                       "sort must be -created, created, deadline or -updated",
                       "sort 须为 -created、created、deadline 或 -updated");
    if (f->source && strcmp(f->source, "public") && strcmp(f->source, "staff") &&
        strcmp(f->source, "patrol") && strcmp(f->source, "inspection") &&
        strcmp(f->source, "phone"))
        return jc_fail(&r->c, JC_EINVAL, "invalid_parameter", "source",
                       "source must be public, staff, phone, patrol or inspection",
                       "source 须为 public、staff、phone、patrol 或 inspection");
    if ((rc = date_range(r, 0, &f->from, &f->to, NULL, NULL))) return rc;
    if (!req_query(r, "to") && !req_query(r, "period")) f->to = 0;
    int64_t page, per_page;
    if ((rc = req_page(r, &page, &per_page))) return rc;
    f->limit = per_page;
    f->offset = (page - 1) * per_page;
    return JC_OK;
}

static int write_item(jc_ctx *c, const case_rec *k, void *arg)
{
    return case_write(arg, c, k, false, NULL);
}

static int h_cases(jc_req *r)
{
    case_filter f;
    int rc = read_case_filter(r, &f);
    if (rc) return rc;
    jw *w = req_writer(r, 200);
    if (!w) return JC_ENOMEM;
    int64_t total;
    jw_obj(w);
    jw_key(w, "items");
    jw_arr(w);
    if ((rc = db_case_list(&r->c, &f, write_item, w, &total))) return rc;
    jw_arr_end(w);
    jw_kint(w, "total", total);
    jw_kint(w, "page", f.offset / f.limit + 1);
    jw_kint(w, "per_page", f.limit);
    jw_obj_end(w);
    return JC_OK;
}

static int reply_case(jc_req *r, int status, int64_t id, json_t *extra)
{
    case_rec k;
    int rc = case_read(&r->c, id, &k);
    if (rc) return rc;
    req_etag(r, k.version);
    if (status == 201)
        req_set_header(r, "Location", arena_printf(r->c.a, "/api/v1/cases/%lld", (long long)id));
    jw *w = req_writer(r, status);
    if (!w) return JC_ENOMEM;
    return case_write(w, &r->c, &k, true, extra);
}

static const char *const SOURCES[] = {"staff", "phone", NULL};

static const field_spec case_spec[] = {
    {"service_code", FT_TEXT, FF_REQUIRED, 1, 40, NULL, "诉求类别"},
    {"description", FT_TEXT, FF_REQUIRED | FF_MULTILINE, 1, 4000, NULL, "问题描述"},
    {"lat", FT_NUMBER, 0, 0, 0, NULL, "纬度"},
    {"lng", FT_NUMBER, 0, 0, 0, NULL, "经度"},
    {"address", FT_TEXT, 0, 0, 200, NULL, "地址"},
    {"road_id", FT_INT, 0, 1, INT64_MAX, NULL, "道路"},
    {"area", FT_AREA, 0, 0, 0, NULL, "所属区域"},
    {"attributes", FT_JSON, 0, 0, 0, NULL, "附加属性"},
    {"reporter_name", FT_TEXT, 0, 0, 50, NULL, "反映人"},
    {"reporter_phone", FT_PHONE, FF_NULLABLE, 0, 0, NULL, "联系电话"},
    {"anonymous", FT_BOOL, 0, 0, 0, NULL, "匿名"},
    {"source", FT_ENUM, 0, 0, 0, SOURCES, "来源"},
    {"assignee_id", FT_INT, 0, 1, INT64_MAX, NULL, "处置人"},
    {"dispatch", FT_BOOL, 0, 0, 0, NULL, "立即派单"},
};
enum {
    C_SVC,
    C_DESC,
    C_LAT,
    C_LNG,
    C_ADDR,
    C_ROAD,
    C_AREA,
    C_ATTR,
    C_RNAME,
    C_RPHONE,
    C_ANON,
    C_SOURCE,
    C_ASSIGNEE,
    C_DISPATCH,
    C__N
};

static int read_position(jc_req *r, field_val *v, int lat, int lng, bool *has, double *la,
                         double *ln)
{
    *has = false;
    if (v[lat].present != v[lng].present)
        return jc_fail(&r->c, JC_EINVAL, "required", v[lat].present ? "lng" : "lat",
                       "lat and lng are given together", "经度和纬度须同时提供");
    if (!v[lat].present) return JC_OK;
    *has = true;
    *la = v[lat].d;
    *ln = v[lng].d;
    return cases_check_location(&r->c, *la, *ln, "lat", "lng");
}

static const char *json_text(jc_req *r, json_t *j)
{
    if (!j) return NULL;
    char *t = json_dumps(j, JSON_COMPACT);
    const char *out = t ? arena_strdup(r->c.a, t) : NULL;
    free(t);
    return out;
}

static int h_case_create(jc_req *r)
{
    field_val v[C__N];
    int rc = input_parse(&r->c, r->json, case_spec, C__N, v, NULL);
    if (rc) return rc;
    case_input in = {0};
    if ((rc = read_position(r, v, C_LAT, C_LNG, &in.has_pos, &in.lat, &in.lng))) return rc;
    if (v[C_ATTR].present && !json_is_object(v[C_ATTR].j))
        return jc_fail(&r->c, JC_EINVAL, "invalid_field", "attributes",
                       "attributes must be an object {code: value}", "附加属性须为对象");
    in.service_code = v[C_SVC].s;
    in.description = v[C_DESC].s;
    in.address = v[C_ADDR].s;
    in.road_id = v[C_ROAD].i;
    in.area_code = v[C_AREA].s;
    in.attributes_json = json_text(r, v[C_ATTR].j);
    in.reporter_name = v[C_RNAME].s;
    in.reporter_phone = v[C_RPHONE].null ? NULL : v[C_RPHONE].s;
    in.anonymous = v[C_ANON].i;
    in.source = v[C_SOURCE].s ? v[C_SOURCE].s : "staff";
    in.assignee_id = v[C_ASSIGNEE].i;
    in.dispatch = v[C_DISPATCH].i;
    int64_t id;
    if ((rc = case_create(&r->c, &in, NULL, &id))) return rc;
    json_t *extra = NULL;
    if (in.has_pos) {
        json_t *dups;
        if ((rc = case_nearby(&r->c, in.service_code, in.lat, in.lng, id, false, &dups))) return rc;
        extra = jc_own(&r->c, json_pack("{s:O}", "duplicates", dups));
    }
    return reply_case(r, 201, id, extra);
}

static int h_case_get(jc_req *r)
{
    int64_t id;
    int rc = req_var_id(r, 0, &id);
    return rc ? rc : reply_case(r, 200, id, NULL);
}

static int h_case_update(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    field_spec spec[C__N];
    memcpy(spec, case_spec, sizeof spec);
    for (int i = 0; i < C__N; i++) spec[i].flags &= ~(unsigned)FF_REQUIRED;
    field_val v[C__N];
    if ((rc = input_parse(&r->c, r->json, spec, C__N, v, ALSO_VERSION))) return rc;
    static const int fixed[] = {C_AREA,   C_RNAME,    C_RPHONE,  C_ANON,
                                C_SOURCE, C_ASSIGNEE, C_DISPATCH};
    for (size_t i = 0; i < JC_NELEM(fixed); i++)
        if (v[fixed[i]].present)
            return jc_fail(&r->c, JC_EINVAL, "invalid_field", case_spec[fixed[i]].name,
                           "this field cannot be edited (handlers change through dispatch)",
                           "此字段不能修改(处置人员通过派单或重派变更)");
    if (v[C_DESC].present && jc_blank(v[C_DESC].s))
        return jc_fail(&r->c, JC_EINVAL, "required", "description", "description is required",
                       "问题描述为必填项");
    case_input ch = {0};
    if ((rc = read_position(r, v, C_LAT, C_LNG, &ch.has_pos, &ch.lat, &ch.lng))) return rc;
    ch.service_code = v[C_SVC].s;
    ch.description = v[C_DESC].s;
    ch.address = v[C_ADDR].s;
    ch.road_id = v[C_ROAD].i;
    ch.attributes_json = json_text(r, v[C_ATTR].j);
    if ((rc = case_edit(&r->c, id, version, &ch))) return rc;
    return reply_case(r, 200, id, NULL);
}

static const field_spec transition_spec[] = {
    {"action", FT_TEXT, FF_REQUIRED, 1, 32, NULL, "操作"},
    {"note", FT_TEXT, FF_MULTILINE, 0, 2000, NULL, "处置情况"},
    {"reason", FT_TEXT, FF_MULTILINE, 0, 2000, NULL, "原因"},
    {"reply", FT_TEXT, FF_MULTILINE, 0, 1000, NULL, "答复群众"},
    {"chief_id", FT_INT, 0, 1, INT64_MAX, NULL, "路长"},
    {"team_id", FT_INT, 0, 1, INT64_MAX, NULL, "处置队伍"},
    {"assignee_id", FT_INT, FF_NULLABLE, 1, INT64_MAX, NULL, "处置人"},
    {"road_id", FT_INT, 0, 1, INT64_MAX, NULL, "道路"},
};

static int h_case_transition(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    field_val v[8];
    if ((rc = input_parse(&r->c, r->json, transition_spec, 8, v, ALSO_VERSION))) return rc;
    case_action_in in = {0};
    in.wf.note = v[1].s;
    in.wf.reason = v[2].s;
    in.reply = v[3].s;
    in.chief_id = v[4].i;
    in.team_id = v[5].i;
    in.assignee_id = v[6].null ? 0 : v[6].i;
    in.clear_assignee = v[6].present && v[6].null;
    in.road_id = v[7].i;
    if ((rc = case_transition(&r->c, id, version, v[0].s, &in))) return rc;
    return reply_case(r, 200, id, NULL);
}

static const field_spec merge_spec[] = {
    {"into", FT_INT, FF_REQUIRED, 1, INT64_MAX, NULL, "合并到"},
    {"reason", FT_TEXT, FF_REQUIRED | FF_MULTILINE, 1, 1000, NULL, "原因"},
};

static int h_case_merge(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    field_val v[2];
    if ((rc = input_parse(&r->c, r->json, merge_spec, 2, v, ALSO_VERSION))) return rc;
    if ((rc = case_merge(&r->c, id, version, v[0].i, v[1].s))) return rc;
    return reply_case(r, 200, id, NULL);
}

static const field_spec moderation_spec[] = {
    {"hidden", FT_BOOL, 0, 0, 0, NULL, "隐藏"},
    {"public_description", FT_TEXT, FF_NULLABLE | FF_MULTILINE, 1, 4000, NULL, "公开描述"},
    {"reason", FT_TEXT, FF_REQUIRED | FF_MULTILINE, 1, 1000, NULL, "处理原因"},
};

static int h_case_moderate(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    field_val v[3];
    if ((rc = input_parse(&r->c, r->json, moderation_spec, 3, v, ALSO_VERSION))) return rc;
    bool hidden = v[0].i;
    if (v[1].present && !v[1].null && jc_blank(v[1].s))
        return jc_fail(&r->c, JC_EINVAL, "invalid_field", "public_description",
                       "public_description must not be blank (null restores the original)",
                       "公开描述不能为空(设为 null 恢复原文)");
    if ((rc = case_moderate(&r->c, id, version, v[0].present ? &hidden : NULL,
                            v[1].present && !v[1].null ? v[1].s : NULL, v[1].present && v[1].null,
                            v[2].s)))
        return rc;
    return reply_case(r, 200, id, NULL);
}

static int h_photo_upload(jc_req *r)
{
    int64_t id;
    int rc = req_var_id(r, 0, &id);
    if (rc) return rc;
    const char *stage = req_query(r, "stage");
    if (!stage || !*stage) stage = "process";
    if (strcmp(stage, "report") && strcmp(stage, "process") && strcmp(stage, "result"))
        return jc_fail(&r->c, JC_EINVAL, "invalid_parameter", "stage",
                       "stage must be report, process or result",
                       "stage 须为 report(上报)、process(处置中)或 result(处置结果)");
    const char *ct = req_header(r, "Content-Type");
    if (!ct || strncasecmp(ct, "image/", 6) != 0)
        return jc_fail(
            &r->c, JC_EMEDIA, "unsupported_media_type", "Content-Type",
            "send the photo itself with Content-Type image/jpeg, image/png or image/webp",
            "请以 image/jpeg、image/png 或 image/webp 上传照片");
    case_photo_in p = {r->body, r->body_len, NULL, stage};
    if ((rc = case_photo_check(&r->c, r->body, r->body_len, "photo", &p.type))) return rc;
    int64_t pid;
    if ((rc = case_add_photo(&r->c, id, &p, &pid))) return rc;
    char ts[32];
    jc_time_local(r->c.now, ts);
    const char *url =
        arena_printf(r->c.a, "/api/v1/cases/%lld/photos/%lld", (long long)id, (long long)pid);
    req_set_header(r, "Location", url);
    return req_json(r, 201,
                    json_pack("{s:I, s:s, s:s, s:I, s:s, s:s}", "id", (json_int_t)pid, "stage",
                              stage, "content_type", p.type, "size", (json_int_t)p.len,
                              "created_at", ts, "url", url));
}

static int h_photo_get(jc_req *r)
{
    int64_t id, pid;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = req_var_id(r, 1, &pid);
    if (rc) return rc;
    case_rec k;
    if ((rc = case_read(&r->c, id, &k))) return rc;
    const char *type;
    const void *data;
    size_t len;
    int64_t owner;
    if ((rc = db_photo_get(&r->c, id, pid, NULL, &type, &data, &len, &owner))) return rc;
    r->status = 200;
    r->raw = data;
    r->raw_len = len;
    r->raw_type = type;
    return JC_OK;
}

static int read_point(jc_req *r, const char **svc, double *lat, double *lng)
{
    *svc = req_query(r, "service_code");
    const char *la = req_query(r, "lat"), *ln = req_query(r, "lng");
    if (!*svc || !**svc)
        return jc_fail(&r->c, JC_EINVAL, "required", "service_code", "service_code is required",
                       "请指定诉求类别");
    case_service s;
    int rc = cases_service_get(&r->c, *svc, "service_code", &s);
    if (rc) return rc;
    char *e1 = NULL, *e2 = NULL;
    *lat = la ? strtod(la, &e1) : 0;
    *lng = ln ? strtod(ln, &e2) : 0;
    if (!la || !*la || *e1)
        return jc_fail(&r->c, JC_EINVAL, "required", "lat", "lat is required (decimal degrees)",
                       "请提供纬度");
    if (!ln || !*ln || *e2)
        return jc_fail(&r->c, JC_EINVAL, "required", "lng", "lng is required (decimal degrees)",
                       "请提供经度");
    return cases_check_location(&r->c, *lat, *lng, "lat", "lng");
}

static int h_nearby(jc_req *r)
{
    const char *svc;
    double lat, lng;
    int64_t except;
    int rc = read_point(r, &svc, &lat, &lng);
    if (!rc) rc = query_id(r, "except", &except);
    if (rc) return rc;
    json_t *items;
    if ((rc = case_nearby(&r->c, svc, lat, lng, except, false, &items))) return rc;
    return req_json(r, 200,
                    json_pack("{s:O, s:I}", "items", items, "radius_m",
                              (json_int_t)config_get_int(&r->c, "cases.duplicate_radius_m", 50)));
}

static int h_summary(jc_req *r)
{
    case_filter f;
    memset(&f, 0, sizeof f);
    const char *from, *to;
    int rc = scope(r, f.lo, f.hi, &f.covered);
    if (!rc) rc = date_range(r, 90, &f.from, &f.to, &from, &to);
    if (rc) return rc;
    f.include_hidden = true;
    json_t *out;
    if ((rc = cases_summary(&r->c, &f, &out))) return rc;
    json_object_set_new(out, "from", json_string(from));
    json_object_set_new(out, "to", json_string(to));
    return reply_json(r, 200, out);
}

static int h_overdue(jc_req *r)
{
    case_filter f;
    memset(&f, 0, sizeof f);
    int rc = scope(r, f.lo, f.hi, &f.covered);
    if (rc) return rc;
    f.include_hidden = true;
    json_t *out;
    if ((rc = cases_overdue_report(&r->c, &f, &out))) return rc;
    return reply_json(r, 200, out);
}

static int h_satisfaction(jc_req *r)
{
    case_filter f;
    memset(&f, 0, sizeof f);
    const char *from, *to;
    int rc = scope(r, f.lo, f.hi, &f.covered);
    if (!rc) rc = date_range(r, 90, &f.from, &f.to, &from, &to);
    if (rc) return rc;
    json_t *out;
    if ((rc = cases_satisfaction(&r->c, &f, &out))) return rc;
    json_object_set_new(out, "from", json_string(from));
    json_object_set_new(out, "to", json_string(to));
    return reply_json(r, 200, out);
}

static int h_meta(jc_req *r)
{
    json_t *wf = wf_describe(&r->c, &case_wf);
    json_t *levels = json_array();
    for (size_t i = 0; i < JC_NELEM(chief_levels); i++)
        json_array_append_new(levels,
                              json_pack("{s:s, s:s, s:s, s:s}", "code", chief_levels[i].code, "zh",
                                        chief_levels[i].zh, "en", chief_levels[i].en, "frequency",
                                        cases_level_frequency(&r->c, chief_levels[i].code)));
    service_area a;
    cases_service_area(&r->c, &a);
    json_t *o = json_pack(
        "{s:O, s:O, s:O, s:O, s:o, s:{s:s, s:f, s:f, s:f, s:f}, s:I, s:I, s:O}", "workflow", wf,
        "services", config_get(&r->c, "cases.services"), "team_kinds",
        config_get(&r->c, "cases.team_kinds"), "chief_duties",
        config_get(&r->c, "cases.chief_duties"), "levels", levels, "service_area", "name", a.name,
        "min_lat", a.min_lat, "max_lat", a.max_lat, "min_lng", a.min_lng, "max_lng", a.max_lng,
        "duplicate_radius_m", (json_int_t)config_get_int(&r->c, "cases.duplicate_radius_m", 50),
        "photo_max_bytes", (json_int_t)config_get_int(&r->c, "cases.photo_max_bytes", 5 << 20),
        "site_supervisor_titles", config_get(&r->c, "cases.site_supervisor_titles"));
    return req_json(r, 200, o);
}

/* ---- roads, chiefs, teams ---- */

static bool show_phones(jc_req *r)
{
    return jc_user_has(r->c.user, CASES_STAFF);
}

static int h_roads(jc_req *r)
{
    char lo[16], hi[17];
    bool covered;
    int64_t active;
    int rc = scope(r, lo, hi, &covered);
    if (!rc) rc = req_query_int(r, "active", 0, 0, 1, &active);
    if (rc) return rc;
    road_rec *roads;
    chief_rec *chiefs;
    int nr, nc;
    if ((rc = db_road_list(&r->c, lo, hi, covered, active, &roads, &nr))) return rc;
    if ((rc = db_chief_list(&r->c, 0, lo, hi, covered, &chiefs, &nc))) return rc;
    json_t *items = json_array();
    for (int i = 0; i < nr; i++) {
        json_t *o = json_deep_copy(road_json(&r->c, &roads[i])), *list = json_array();
        for (int k = 0; k < nc; k++)
            if (chiefs[k].road_id == roads[i].id)
                json_array_append(list, chief_json(&r->c, &chiefs[k], show_phones(r)));
        json_object_set_new(o, "chiefs", list);
        json_array_append_new(items, o);
    }
    return req_json(r, 200, json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)nr));
}

static const field_spec road_spec[] = {
    {"area", FT_AREA, FF_REQUIRED, 0, 0, NULL, "所属区域"},
    {"name", FT_TEXT, FF_REQUIRED, 1, 50, NULL, "道路名称"},
    {"description", FT_TEXT, FF_MULTILINE, 0, 500, NULL, "起止点"},
    {"geometry", FT_JSON, FF_NULLABLE, 0, 0, NULL, "道路走向"},
    {"active", FT_BOOL, 0, 0, 0, NULL, "启用"},
};

static int reply_road(jc_req *r, int status, int64_t id)
{
    road_rec rd;
    int rc = db_road_get(&r->c, id, &rd);
    if (!rc) rc = area_check(&r->c, rd.area_code, NULL);
    if (rc) return rc;
    chief_rec *chiefs;
    int n;
    if ((rc = db_chief_list(&r->c, id, "", "~", true, &chiefs, &n))) return rc;
    json_t *o = json_deep_copy(road_json(&r->c, &rd)), *list = json_array();
    for (int i = 0; i < n; i++)
        json_array_append(list, chief_json(&r->c, &chiefs[i], show_phones(r)));
    json_object_set_new(o, "chiefs", list);
    req_etag(r, rd.version);
    if (status == 201)
        req_set_header(r, "Location",
                       arena_printf(r->c.a, "/api/v1/cases/roads/%lld", (long long)id));
    return req_json(r, status, o);
}

static int h_road_create(jc_req *r)
{
    field_val v[5];
    int rc = input_parse(&r->c, r->json, road_spec, 5, v, NULL);
    if (rc) return rc;
    if (v[4].present && !v[4].i)
        return jc_fail(&r->c, JC_EINVAL, "invalid_field", "active", "a new road starts active",
                       "新建道路须为启用状态");
    road_rec rd = {0};
    rd.area_code = v[0].s;
    rd.name = v[1].s;
    rd.description = v[2].s;
    if (v[3].present && !v[3].null &&
        (rc = road_parse_geometry(&r->c, v[3].j, "geometry", &rd.pts, &rd.npts)))
        return rc;
    int64_t id;
    if ((rc = road_create(&r->c, &rd, &id))) return rc;
    return reply_road(r, 201, id);
}

static int h_road_get(jc_req *r)
{
    int64_t id;
    int rc = req_var_id(r, 0, &id);
    return rc ? rc : reply_road(r, 200, id);
}

static int h_road_update(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    field_spec spec[5];
    memcpy(spec, road_spec, sizeof spec);
    for (int i = 0; i < 5; i++) spec[i].flags &= ~(unsigned)FF_REQUIRED;
    spec[1].min = 0;
    field_val v[5];
    if ((rc = input_parse(&r->c, r->json, spec, 5, v, ALSO_VERSION))) return rc;
    if (v[0].present)
        return jc_fail(&r->c, JC_EINVAL, "invalid_field", "area",
                       "a road's area cannot change: deactivate it and create another",
                       "道路所属区域不能修改,请停用后新建");
    if (v[1].present && jc_blank(v[1].s))
        return jc_fail(&r->c, JC_EINVAL, "required", "name", "name is required",
                       "道路名称为必填项");
    road_rec ch = {0};
    ch.name = v[1].present ? v[1].s : NULL;
    ch.description = v[2].present ? v[2].s : NULL;
    if (v[3].present && !v[3].null &&
        (rc = road_parse_geometry(&r->c, v[3].j, "geometry", &ch.pts, &ch.npts)))
        return rc;
    bool active = v[4].i;
    if ((rc = road_edit(&r->c, id, version, &ch, v[4].present ? &active : NULL, v[3].present)))
        return rc;
    return reply_road(r, 200, id);
}

static const char *const LEVEL_CODES[] = {"general", "first", "second", NULL};

static const field_spec chief_spec[] = {
    {"road_id", FT_INT, FF_REQUIRED, 1, INT64_MAX, NULL, "道路"},
    {"level", FT_ENUM, FF_REQUIRED, 0, 0, LEVEL_CODES, "级别"},
    {"name", FT_TEXT, FF_REQUIRED, 1, 50, NULL, "姓名"},
    {"title", FT_TEXT, 0, 0, 50, NULL, "职务"},
    {"phone", FT_PHONE, FF_NULLABLE, 0, 0, NULL, "手机号码"},
    {"user_id", FT_INT, FF_NULLABLE, 1, INT64_MAX, NULL, "系统账号"},
    {"duties", FT_STRLIST, FF_REQUIRED, 0, 10, NULL, "职责"},
    {"since", FT_DATE, 0, 0, 0, NULL, "任职日期"},
    {"active", FT_BOOL, 0, 0, 0, NULL, "在任"},
};

static const char *strlist_json(jc_req *r, field_val *v)
{
    json_t *a = json_array();
    for (int i = 0; i < v->nlist; i++) json_array_append_new(a, json_string(v->list[i]));
    const char *t = json_text(r, a);
    json_decref(a);
    return t;
}

static int reply_chief(jc_req *r, int status, int64_t id)
{
    chief_rec k;
    int rc = db_chief_get(&r->c, id, &k);
    if (!rc) rc = area_check(&r->c, k.area_code, NULL);
    if (rc) return rc;
    req_etag(r, k.version);
    if (status == 201)
        req_set_header(r, "Location",
                       arena_printf(r->c.a, "/api/v1/cases/chiefs/%lld", (long long)id));
    return reply_json(r, status, chief_json(&r->c, &k, show_phones(r)));
}

static int h_chiefs(jc_req *r)
{
    char lo[16], hi[17];
    bool covered;
    int64_t road;
    int rc = scope(r, lo, hi, &covered);
    if (!rc) rc = query_id(r, "road", &road);
    if (rc) return rc;
    chief_rec *chiefs;
    int n;
    if ((rc = db_chief_list(&r->c, road, lo, hi, covered, &chiefs, &n))) return rc;
    json_t *items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append(items, chief_json(&r->c, &chiefs[i], show_phones(r)));
    return req_json(r, 200, json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)n));
}

static int h_chief_create(jc_req *r)
{
    field_val v[9];
    int rc = input_parse(&r->c, r->json, chief_spec, 9, v, NULL);
    if (rc) return rc;
    if (v[8].present && !v[8].i)
        return jc_fail(&r->c, JC_EINVAL, "invalid_field", "active", "a new chief starts active",
                       "新任命的路长须为在任状态");
    chief_rec k = {0};
    k.road_id = v[0].i;
    k.level = v[1].s;
    k.name = v[2].s;
    k.title = v[3].s;
    k.phone = v[4].null ? NULL : v[4].s;
    k.user_id = v[5].null ? 0 : v[5].i;
    k.duties = strlist_json(r, &v[6]);
    char today[11];
    jc_date_local(r->c.now, today);
    k.since = v[7].s ? v[7].s : arena_strdup(r->c.a, today);
    int64_t id;
    if ((rc = chief_create(&r->c, &k, &id))) return rc;
    return reply_chief(r, 201, id);
}

static int h_chief_update(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    field_spec spec[9];
    memcpy(spec, chief_spec, sizeof spec);
    for (int i = 0; i < 9; i++) spec[i].flags &= ~(unsigned)FF_REQUIRED;
    spec[2].min = 0;
    field_val v[9];
    if ((rc = input_parse(&r->c, r->json, spec, 9, v, ALSO_VERSION))) return rc;
    if (v[0].present)
        return jc_fail(&r->c, JC_EINVAL, "invalid_field", "road_id",
                       "a chief's road cannot change: appoint a chief on the other road",
                       "路长所属道路不能修改,请在另一道路任命");
    if (v[2].present && jc_blank(v[2].s))
        return jc_fail(&r->c, JC_EINVAL, "required", "name", "name is required", "姓名为必填项");
    chief_rec ch = {0};
    ch.level = v[1].s;
    ch.name = v[2].s;
    ch.title = v[3].s;
    ch.phone = v[4].present ? (v[4].null ? "" : v[4].s) : NULL;
    ch.user_id = v[5].null ? 0 : v[5].i;
    ch.duties = v[6].present ? strlist_json(r, &v[6]) : NULL;
    ch.since = v[7].s;
    bool active = v[8].i;
    if ((rc = chief_edit(&r->c, id, version, &ch, v[8].present ? &active : NULL, v[5].present)))
        return rc;
    return reply_chief(r, 200, id);
}

static const field_spec team_spec[] = {
    {"area", FT_AREA, FF_REQUIRED, 0, 0, NULL, "所属区域"},
    {"name", FT_TEXT, FF_REQUIRED, 1, 50, NULL, "队伍名称"},
    {"kind", FT_TEXT, FF_REQUIRED, 1, 50, NULL, "队伍类型"},
    {"leader_name", FT_TEXT, 0, 0, 50, NULL, "负责人"},
    {"phone", FT_TEXT, FF_NULLABLE, 0, 20, NULL, "联系电话"},
    {"members", FT_JSON, 0, 0, 0, NULL, "队员"},
    {"active", FT_BOOL, 0, 0, 0, NULL, "启用"},
};

static int read_members(jc_req *r, json_t *j, int64_t **ids, int *n)
{
    size_t cnt = json_array_size(j);
    *n = 0;
    *ids = arena_alloc(r->c.a, sizeof **ids * (cnt ? cnt : 1));
    if (!*ids) return JC_ENOMEM;
    if (!json_is_array(j) || cnt > 200)
        return jc_fail(&r->c, JC_EINVAL, "invalid_field", "members",
                       "members must be a list of user ids", "队员须为用户编号列表");
    for (size_t i = 0; i < cnt; i++) {
        json_t *e = json_array_get(j, i);
        if (!json_is_integer(e) || json_integer_value(e) < 1)
            return jc_fail(&r->c, JC_EINVAL, "invalid_field", "members",
                           "members must be a list of user ids", "队员须为用户编号列表");
        (*ids)[(*n)++] = json_integer_value(e);
    }
    return JC_OK;
}

static int reply_team(jc_req *r, int status, int64_t id)
{
    team_rec t;
    int rc = db_team_get(&r->c, id, &t);
    if (!rc) rc = area_check(&r->c, t.area_code, NULL);
    if (rc) return rc;
    req_etag(r, t.version);
    if (status == 201)
        req_set_header(r, "Location",
                       arena_printf(r->c.a, "/api/v1/cases/teams/%lld", (long long)id));
    return reply_json(r, status, team_json(&r->c, &t, show_phones(r)));
}

static int h_teams(jc_req *r)
{
    char lo[16], hi[17];
    bool covered;
    int rc = scope(r, lo, hi, &covered);
    if (rc) return rc;
    team_rec *teams;
    int n;
    if ((rc = db_team_list(&r->c, lo, hi, covered, &teams, &n))) return rc;
    json_t *items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append(items, team_json(&r->c, &teams[i], show_phones(r)));
    return req_json(r, 200, json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)n));
}

static int h_team_create(jc_req *r)
{
    field_val v[7];
    int rc = input_parse(&r->c, r->json, team_spec, 7, v, NULL);
    if (rc) return rc;
    if (v[6].present && !v[6].i)
        return jc_fail(&r->c, JC_EINVAL, "invalid_field", "active", "a new team starts active",
                       "新建队伍须为启用状态");
    team_rec t = {0};
    t.area_code = v[0].s;
    t.name = v[1].s;
    t.kind = v[2].s;
    t.leader_name = v[3].s;
    t.phone = v[4].null ? NULL : v[4].s;
    int64_t *members = NULL;
    int n = 0;
    if (v[5].present && (rc = read_members(r, v[5].j, &members, &n))) return rc;
    int64_t id;
    if ((rc = team_create(&r->c, &t, members, n, &id))) return rc;
    return reply_team(r, 201, id);
}

static int h_team_update(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    field_spec spec[7];
    memcpy(spec, team_spec, sizeof spec);
    for (int i = 0; i < 7; i++) spec[i].flags &= ~(unsigned)FF_REQUIRED;
    spec[1].min = spec[2].min = 0;
    field_val v[7];
    if ((rc = input_parse(&r->c, r->json, spec, 7, v, ALSO_VERSION))) return rc;
    if (v[0].present)
        return jc_fail(&r->c, JC_EINVAL, "invalid_field", "area", "a team's area cannot change",
                       "队伍所属区域不能修改");
    if ((v[1].present && jc_blank(v[1].s)) || (v[2].present && jc_blank(v[2].s)))
        return jc_fail(&r->c, JC_EINVAL, "required",
                       v[1].present && jc_blank(v[1].s) ? "name" : "kind",
                       "name and kind may not be blank", "队伍名称和类型不能为空");
    team_rec ch = {0};
    ch.name = v[1].s;
    ch.kind = v[2].s;
    ch.leader_name = v[3].s;
    ch.phone = v[4].present ? (v[4].null ? "" : v[4].s) : NULL;
    int64_t *members = NULL;
    int n = 0;
    if (v[5].present && (rc = read_members(r, v[5].j, &members, &n))) return rc;
    bool active = v[6].i;
    if ((rc = team_edit(&r->c, id, version, &ch, v[6].present ? &active : NULL, members, n,
                        v[5].present)))
        return rc;
    return reply_team(r, 200, id);
}

/* ---- patrols ---- */

static const char *const PATROL_KINDS[] = {"day", "night", NULL};

static const field_spec patrol_spec[] = {
    {"road_id", FT_INT, FF_REQUIRED, 1, INT64_MAX, NULL, "道路"},
    {"chief_id", FT_INT, 0, 1, INT64_MAX, NULL, "路长"},
    {"kind", FT_ENUM, FF_REQUIRED, 0, 0, PATROL_KINDS, "巡查类型"},
    {"started_at", FT_DATETIME, FF_REQUIRED, 0, 0, NULL, "开始时间"},
    {"ended_at", FT_DATETIME, FF_REQUIRED, 0, 0, NULL, "结束时间"},
    {"findings", FT_TEXT, FF_MULTILINE, 0, 2000, NULL, "巡查情况"},
    {"track", FT_JSON, FF_NULLABLE, 0, 0, NULL, "轨迹"},
    {"problems", FT_JSON, 0, 0, 0, NULL, "发现问题"},
};

static int h_patrol_create(jc_req *r)
{
    field_val v[8];
    int rc = input_parse(&r->c, r->json, patrol_spec, 8, v, NULL);
    if (rc) return rc;
    patrol_in in = {0};
    in.road_id = v[0].i;
    in.chief_id = v[1].i;
    in.kind = v[2].s;
    in.started_at = v[3].i;
    in.ended_at = v[4].i;
    in.findings = v[5].s;
    in.track = v[6].null ? NULL : v[6].j;
    in.problems = v[7].j;
    int64_t id;
    if ((rc = patrol_create(&r->c, &in, &id))) return rc;
    json_t *out;
    if ((rc = patrol_get(&r->c, id, &out))) return rc;
    req_set_header(r, "Location",
                   arena_printf(r->c.a, "/api/v1/cases/patrols/%lld", (long long)id));
    return reply_json(r, 201, out);
}

static int h_patrol_get(jc_req *r)
{
    int64_t id;
    int rc = req_var_id(r, 0, &id);
    json_t *out;
    if (!rc) rc = patrol_get(&r->c, id, &out);
    return rc ? rc : reply_json(r, 200, out);
}

static int h_patrols(jc_req *r)
{
    char lo[16], hi[17];
    bool covered;
    int64_t road, chief, page, per_page, t0, t1;
    int rc = scope(r, lo, hi, &covered);
    if (!rc) rc = query_id(r, "road", &road);
    if (!rc) rc = query_id(r, "chief", &chief);
    if (!rc) rc = req_page(r, &page, &per_page);
    if (!rc) rc = date_range(r, 0, &t0, &t1, NULL, NULL);
    if (rc) return rc;
    json_t *items;
    int64_t total;
    if ((rc = patrol_list(&r->c, lo, hi, covered, road, chief, t0, t1, per_page,
                          (page - 1) * per_page, &items, &total)))
        return rc;
    return reply_json(r, 200, req_page_json(r, json_incref(items), total, page, per_page));
}

static int h_compliance(jc_req *r)
{
    char lo[16], hi[17];
    bool covered;
    int64_t t0, t1;
    const char *from, *to;
    int rc = scope(r, lo, hi, &covered);
    if (!rc) rc = date_range(r, 30, &t0, &t1, &from, &to);
    if (rc) return rc;
    json_t *out;
    if ((rc = patrol_compliance(&r->c, lo, hi, covered, from, to, &out))) return rc;
    return reply_json(r, 200, out);
}

/* ---- sites and inspections ---- */

static const field_spec site_spec[] = {
    {"area", FT_AREA, FF_REQUIRED, 0, 0, NULL, "所属区域"},
    {"name", FT_TEXT, FF_REQUIRED, 1, 100, NULL, "工地名称"},
    {"builder", FT_TEXT, 0, 0, 100, NULL, "建设单位"},
    {"address", FT_TEXT, 0, 0, 200, NULL, "地址"},
    {"lat", FT_NUMBER, 0, 0, 0, NULL, "纬度"},
    {"lng", FT_NUMBER, 0, 0, 0, NULL, "经度"},
    {"area_m2", FT_INT, 0, 1, 100000000, NULL, "占地面积"},
    {"start_date", FT_DATE, 0, 0, 0, NULL, "开工日期"},
    {"end_date", FT_DATE, 0, 0, 0, NULL, "竣工日期"},
    {"supervisors", FT_JSON, 0, 0, 0, NULL, "监管人员"},
    {"active", FT_BOOL, 0, 0, 0, NULL, "监管中"},
};
enum {
    S_AREA,
    S_NAME,
    S_BUILDER,
    S_ADDR,
    S_LAT,
    S_LNG,
    S_M2,
    S_START,
    S_END,
    S_SUP,
    S_ACTIVE,
    S__N
};

static int reply_site(jc_req *r, int status, int64_t id)
{
    site_rec s;
    int rc = db_site_get(&r->c, id, &s);
    if (!rc) rc = area_check(&r->c, s.area_code, NULL);
    if (rc) return rc;
    json_t *o = json_deep_copy(site_json(&r->c, &s, show_phones(r)));
    json_t *rates = json_array(), *recent = json_array();
    int64_t total;
    json_object_set_new(o, "pass_rates", rates);
    json_object_set_new(o, "recent_inspections", recent);
    jc_own(&r->c, o);
    if ((rc = db_site_stats(&r->c, id, o)) || (rc = db_site_pass_rates(&r->c, id, rates)) ||
        (rc = db_inspection_list(&r->c, id, "", "~", true, 10, 0, recent, &total)))
        return rc;
    req_etag(r, s.version);
    if (status == 201)
        req_set_header(r, "Location",
                       arena_printf(r->c.a, "/api/v1/cases/sites/%lld", (long long)id));
    return reply_json(r, status, o);
}

static int h_sites(jc_req *r)
{
    char lo[16], hi[17];
    bool covered;
    int rc = scope(r, lo, hi, &covered);
    if (rc) return rc;
    json_t *items = jc_own(&r->c, json_array());
    if ((rc = db_site_list(&r->c, lo, hi, covered, items))) return rc;
    return req_json(
        r, 200,
        json_pack("{s:O, s:I}", "items", items, "total", (json_int_t)json_array_size(items)));
}

static int h_site_create(jc_req *r)
{
    field_val v[S__N];
    int rc = input_parse(&r->c, r->json, site_spec, S__N, v, NULL);
    if (rc) return rc;
    if (v[S_ACTIVE].present && !v[S_ACTIVE].i)
        return jc_fail(&r->c, JC_EINVAL, "invalid_field", "active", "a new site starts active",
                       "新登记的工地须为监管中");
    site_rec s = {0};
    s.area_code = v[S_AREA].s;
    s.name = v[S_NAME].s;
    s.builder = v[S_BUILDER].s;
    s.address = v[S_ADDR].s;
    if ((rc = read_position(r, v, S_LAT, S_LNG, &s.has_pos, &s.lat, &s.lng))) return rc;
    s.area_m2 = v[S_M2].i;
    s.start_date = v[S_START].s;
    s.end_date = v[S_END].s;
    int64_t id;
    if ((rc = site_create(&r->c, &s, v[S_SUP].j, &id))) return rc;
    return reply_site(r, 201, id);
}

static int h_site_get(jc_req *r)
{
    int64_t id;
    int rc = req_var_id(r, 0, &id);
    return rc ? rc : reply_site(r, 200, id);
}

static int h_site_update(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    field_spec spec[S__N];
    memcpy(spec, site_spec, sizeof spec);
    for (int i = 0; i < S__N; i++) spec[i].flags &= ~(unsigned)FF_REQUIRED;
    spec[S_NAME].min = 0;
    field_val v[S__N];
    if ((rc = input_parse(&r->c, r->json, spec, S__N, v, ALSO_VERSION))) return rc;
    if (v[S_AREA].present)
        return jc_fail(&r->c, JC_EINVAL, "invalid_field", "area", "a site's area cannot change",
                       "工地所属区域不能修改");
    if (v[S_NAME].present && jc_blank(v[S_NAME].s))
        return jc_fail(&r->c, JC_EINVAL, "required", "name", "name is required",
                       "工地名称为必填项");
    site_rec ch = {0};
    ch.name = v[S_NAME].s;
    ch.builder = v[S_BUILDER].s;
    ch.address = v[S_ADDR].s;
    if ((rc = read_position(r, v, S_LAT, S_LNG, &ch.has_pos, &ch.lat, &ch.lng))) return rc;
    ch.area_m2 = v[S_M2].i;
    ch.start_date = v[S_START].s;
    ch.end_date = v[S_END].s;
    bool active = v[S_ACTIVE].i;
    if ((rc = site_edit(&r->c, id, version, &ch, v[S_SUP].present ? v[S_SUP].j : NULL,
                        v[S_ACTIVE].present ? &active : NULL)))
        return rc;
    return reply_site(r, 200, id);
}

static int h_checklist(jc_req *r)
{
    json_t *out;
    int rc = checklist_current(&r->c, &out);
    return rc ? rc : reply_json(r, 200, out);
}

static const field_spec checklist_spec[] = {
    {"items", FT_JSON, FF_REQUIRED, 0, 0, NULL, "检查项"},
    {"note", FT_TEXT, FF_MULTILINE, 0, 500, NULL, "修订说明"},
    {"version", FT_INT, FF_REQUIRED, 0, INT64_MAX, NULL, "版本"},
};

static int h_checklist_save(jc_req *r)
{
    field_val v[3];
    int rc = input_parse(&r->c, r->json, checklist_spec, 3, v, NULL);
    if (rc) return rc;
    int64_t version = v[2].i;
    if ((rc = checklist_save(&r->c, v[0].j, v[1].s, &version))) return rc;
    return h_checklist(r);
}

static int h_checklists(jc_req *r)
{
    json_t *items = jc_own(&r->c, json_array());
    int rc = db_checklist_list(&r->c, items);
    json_t *cur;
    if (!rc) rc = checklist_current(&r->c, &cur);
    if (rc) return rc;
    return req_json(r, 200, json_pack("{s:O, s:O}", "current", cur, "items", items));
}

static const field_spec inspection_spec[] = {
    {"site_id", FT_INT, FF_REQUIRED, 1, INT64_MAX, NULL, "工地"},
    {"kind", FT_ENUM, FF_REQUIRED, 0, 0, PATROL_KINDS, "检查类型"},
    {"inspected_at", FT_DATETIME, 0, 0, 0, NULL, "检查时间"},
    {"checklist_version", FT_INT, 0, 1, INT64_MAX, NULL, "检查表版本"},
    {"results", FT_JSON, FF_REQUIRED, 0, 0, NULL, "检查结果"},
    {"note", FT_TEXT, FF_MULTILINE, 0, 2000, NULL, "备注"},
};

static int reply_inspection(jc_req *r, int status, int64_t id)
{
    json_t *o;
    const char *area;
    int rc = db_inspection_get(&r->c, id, &o, &area);
    if (!rc) rc = area_check(&r->c, area, NULL);
    if (rc) return rc;
    if (status == 201)
        req_set_header(r, "Location",
                       arena_printf(r->c.a, "/api/v1/cases/inspections/%lld", (long long)id));
    return reply_json(r, status, o);
}

static int h_inspection_create(jc_req *r)
{
    field_val v[6];
    int rc = input_parse(&r->c, r->json, inspection_spec, 6, v, NULL);
    if (rc) return rc;
    inspection_in in = {0};
    in.site_id = v[0].i;
    in.kind = v[1].s;
    in.at = v[2].present ? v[2].i : r->c.now;
    in.checklist_version = v[3].i;
    in.results = v[4].j;
    in.note = v[5].s;
    int64_t id;
    if ((rc = inspection_create(&r->c, &in, &id))) return rc;
    return reply_inspection(r, 201, id);
}

static int h_inspection_get(jc_req *r)
{
    int64_t id;
    int rc = req_var_id(r, 0, &id);
    return rc ? rc : reply_inspection(r, 200, id);
}

static int h_inspections(jc_req *r)
{
    char lo[16], hi[17];
    bool covered;
    int64_t site, page, per_page, total;
    int rc = scope(r, lo, hi, &covered);
    if (!rc) rc = query_id(r, "site", &site);
    if (!rc) rc = req_page(r, &page, &per_page);
    if (rc) return rc;
    json_t *items = jc_own(&r->c, json_array());
    if ((rc = db_inspection_list(&r->c, site, lo, hi, covered, per_page, (page - 1) * per_page,
                                 items, &total)))
        return rc;
    return reply_json(r, 200, req_page_json(r, json_incref(items), total, page, per_page));
}

/* ---- public (no login) ---- */

static int h_public_info(jc_req *r)
{
    road_rec *roads;
    int n;
    int rc = db_road_list(&r->c, "", "~", true, true, &roads, &n);
    if (rc) return rc;
    json_t *rl = json_array();
    for (int i = 0; i < n; i++) {
        json_t *g = roads[i].geometry ? json_loads(roads[i].geometry, 0, NULL) : NULL;
        json_array_append_new(rl,
                              json_pack("{s:I, s:s, s:o}", "id", (json_int_t)roads[i].id, "name",
                                        roads[i].name, "geometry", g ? g : json_null()));
    }
    case_service *s;
    int ns;
    if ((rc = cases_services(&r->c, &s, &ns))) {
        json_decref(rl);
        return rc;
    }
    json_t *sl = json_array();
    for (int i = 0; i < ns; i++)
        if (s[i].is_public)
            json_array_append_new(
                sl, json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:O}", "code", s[i].code, "name",
                              s[i].name, "name_en", s[i].name_en, "group", s[i].group,
                              "description", s[i].description, "limit_hours",
                              (json_int_t)s[i].limit_hours, "attributes", s[i].attributes));
    service_area a;
    cases_service_area(&r->c, &a);
    return req_json(r, 200,
                    json_pack("{s:o, s:o, s:{s:s, s:f, s:f, s:f, s:f}, s:I, s:I}", "roads", rl,
                              "services", sl, "service_area", "name", a.name, "min_lat", a.min_lat,
                              "max_lat", a.max_lat, "min_lng", a.min_lng, "max_lng", a.max_lng,
                              "duplicate_radius_m",
                              (json_int_t)config_get_int(&r->c, "cases.duplicate_radius_m", 50),
                              "photo_max_bytes",
                              (json_int_t)config_get_int(&r->c, "cases.photo_max_bytes", 5 << 20)));
}

static int h_public_nearby(jc_req *r)
{
    const char *svc;
    double lat, lng;
    int rc = read_point(r, &svc, &lat, &lng);
    if (rc) return rc;
    json_t *items;
    if ((rc = case_nearby(&r->c, svc, lat, lng, 0, true, &items))) return rc;
    return req_json(r, 200,
                    json_pack("{s:O, s:I}", "items", items, "radius_m",
                              (json_int_t)config_get_int(&r->c, "cases.duplicate_radius_m", 50)));
}

static const char *action_zh(const char *a)
{
    static const struct {
        const char *code, *zh;
    } names[] = {
        {"create", "已受理登记"}, {"dispatch", "已派单"},     {"start", "开始处置"},
        {"return", "退回"},       {"redispatch", "重新派单"}, {"suspend", "暂缓处置"},
        {"resume", "恢复处置"},   {"submit", "处置完成"},     {"verify", "核查通过,已办结"},
        {"reject", "不予受理"},   {"reopen", "重新办理"},     {"merge", "与同一问题合并办理"},
        {"evaluate", "群众评价"}, {"photo", "补充照片"},
    };
    for (size_t i = 0; i < JC_NELEM(names); i++)
        if (strcmp(names[i].code, a) == 0) return names[i].zh;
    return NULL;
}

static int h_track(jc_req *r)
{
    case_rec own, eff;
    int rc = case_by_token(&r->c, r->vars[0], &own);
    if (!rc) rc = case_effective(&r->c, &own, &eff);
    if (rc) return rc;
    json_t *events = jc_own(&r->c, json_array()), *timeline = json_array();
    if ((rc = db_case_public_events(&r->c, own.id, events))) {
        json_decref(timeline);
        return rc;
    }
    if (eff.id != own.id) db_case_public_events(&r->c, eff.id, events);
    size_t i;
    json_t *e;
    json_array_foreach(events, i, e)
    {
        const char *a = json_string_value(json_object_get(e, "action"));
        const char *zh = action_zh(a);
        if (!zh || strcmp(a, "photo") == 0 || strcmp(a, "moderate") == 0) continue;
        json_array_append_new(timeline, json_pack("{s:O, s:s, s:s}", "at", json_object_get(e, "at"),
                                                  "action", a, "zh", zh));
    }
    bool done = false;
    if (strcmp(eff.state, "closed") == 0)
        db_eval_exists(&r->c, eff.id, own.id, eff.reopen_count, &done);
    const wf_state *s = wf_state_find(&case_wf, eff.state);
    json_t *photos = jc_own(&r->c, json_array());
    if (!own.hidden) db_photo_list(&r->c, own.id, true, photos); /* hidden: not served either */
    json_t *urls = json_array();
    json_array_foreach(photos, i, e) json_array_append_new(
        urls, json_string(case_media_url(&r->c, json_string_value(json_object_get(e, "key")),
                                         json_string_value(json_object_get(e, "content_type")))));
    char t1[32], t2[32];
    jc_time_local(own.created_at, t1);
    jc_time_local(eff.updated_at > own.updated_at ? eff.updated_at : own.updated_at, t2);
    const char *text = own.public_description ? own.public_description : own.description;
    json_t *o = json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:b, s:b}", "id",
        (json_int_t)own.id, "service_code", own.service_code, "service_name", own.service_name,
        "description", own.hidden ? "" : text, "address", own.address ? own.address : "", "state",
        eff.state, "state_zh", s ? s->zh : "", "state_en", s ? s->en : "", "status",
        case_is_open(eff.state) ? "open" : "closed", "status_notes",
        case_status_notes(&r->c, own.id, eff.id, eff.state, eff.team_name, eff.reply,
                          eff.last_reason),
        "requested_datetime", t1, "timeline", timeline, "media_urls", urls, "can_evaluate",
        strcmp(eff.state, "closed") == 0 && !done, "evaluated", done);
    if (!o) return JC_ENOMEM;
    json_object_set_new(o, "updated_datetime", json_string(t2));
    json_object_set_new(o, "merged_into", eff.id != own.id ? json_integer(eff.id) : json_null());
    json_object_set_new(o, "lat", own.has_pos ? json_real(own.lat) : json_null());
    json_object_set_new(o, "lng", own.has_pos ? json_real(own.lng) : json_null());
    return req_json(r, 200, o);
}

static const field_spec evaluation_spec[] = {
    {"resolved", FT_BOOL, FF_REQUIRED, 0, 0, NULL, "是否解决"},
    {"rating", FT_INT, FF_REQUIRED, 1, 5, NULL, "满意度"},
    {"comment", FT_TEXT, FF_MULTILINE, 0, 1000, NULL, "意见"},
};

static int h_evaluate(jc_req *r)
{
    field_val v[3];
    int rc = input_parse(&r->c, r->json, evaluation_spec, 3, v, NULL);
    if (rc) return rc;
    if ((rc = case_evaluate(&r->c, r->vars[0], v[0].i, v[1].i, v[2].s))) return rc;
    return h_track(r);
}

/* ---- routes: literal paths before the {id} patterns that would take them ---- */

#define STAFF  CASES_STAFF
#define FIELD  CASES_FIELD
#define PUB    RT_PUBLIC
#define O311   (RT_PUBLIC | RT_RAW_BODY)
#define JSON64 (64 * 1024)
#define PHOTO  ((size_t)8 << 20)

static const jc_route cases_routes[] = {
    {"GET", "/api/v1/cases/meta", h_meta, 0, 0, 0},
    {"GET", "/api/v1/cases/nearby", h_nearby, 0, 0, 0},
    {"GET", "/api/v1/cases/summary", h_summary, 0, 0, 0},
    {"GET", "/api/v1/cases/reports/overdue", h_overdue, 0, 0, 0},
    {"GET", "/api/v1/cases/reports/satisfaction", h_satisfaction, 0, 0, 0},
    {"GET", "/api/v1/cases/roads", h_roads, 0, 0, 0},
    {"POST", "/api/v1/cases/roads", h_road_create, STAFF, 0, 1 << 20},
    {"GET", "/api/v1/cases/roads/{id}", h_road_get, 0, 0, 0},
    {"PATCH", "/api/v1/cases/roads/{id}", h_road_update, STAFF, 0, 1 << 20},
    {"GET", "/api/v1/cases/chiefs", h_chiefs, 0, 0, 0},
    {"POST", "/api/v1/cases/chiefs", h_chief_create, STAFF, 0, JSON64},
    {"PATCH", "/api/v1/cases/chiefs/{id}", h_chief_update, STAFF, 0, JSON64},
    {"GET", "/api/v1/cases/teams", h_teams, 0, 0, 0},
    {"POST", "/api/v1/cases/teams", h_team_create, STAFF, 0, JSON64},
    {"PATCH", "/api/v1/cases/teams/{id}", h_team_update, STAFF, 0, JSON64},
    {"GET", "/api/v1/cases/patrols", h_patrols, 0, 0, 0},
    {"POST", "/api/v1/cases/patrols", h_patrol_create, FIELD, 0, 1 << 20},
    {"GET", "/api/v1/cases/patrols/compliance", h_compliance, 0, 0, 0},
    {"GET", "/api/v1/cases/patrols/{id}", h_patrol_get, 0, 0, 0},
    {"GET", "/api/v1/cases/sites", h_sites, 0, 0, 0},
    {"POST", "/api/v1/cases/sites", h_site_create, STAFF, 0, JSON64},
    {"GET", "/api/v1/cases/sites/{id}", h_site_get, 0, 0, 0},
    {"PATCH", "/api/v1/cases/sites/{id}", h_site_update, STAFF, 0, JSON64},
    {"GET", "/api/v1/cases/checklist", h_checklist, 0, 0, 0},
    {"PUT", "/api/v1/cases/checklist", h_checklist_save, STAFF, 0, JSON64},
    {"GET", "/api/v1/cases/checklists", h_checklists, 0, 0, 0},
    {"GET", "/api/v1/cases/inspections", h_inspections, 0, 0, 0},
    {"POST", "/api/v1/cases/inspections", h_inspection_create, FIELD, 0, JSON64},
    {"GET", "/api/v1/cases/inspections/{id}", h_inspection_get, 0, 0, 0},
    {"GET", "/api/v1/cases/public/info", h_public_info, 0, PUB, 0},
    {"GET", "/api/v1/cases/public/nearby", h_public_nearby, 0, PUB, 0},
    {"GET", "/api/v1/cases/public/track/{token}", h_track, 0, PUB, 0},
    {"POST", "/api/v1/cases/public/track/{token}/evaluation", h_evaluate, 0, PUB, 8192},
    {"GET", "/api/v1/cases", h_cases, 0, 0, 0},
    {"POST", "/api/v1/cases", h_case_create, FIELD, 0, JSON64},
    {"GET", "/api/v1/cases/{id}", h_case_get, 0, 0, 0},
    {"PATCH", "/api/v1/cases/{id}", h_case_update, STAFF, 0, JSON64},
    {"POST", "/api/v1/cases/{id}/transitions", h_case_transition, 0, 0, JSON64},
    {"POST", "/api/v1/cases/{id}/merge", h_case_merge, STAFF | RB(ROLE_ROAD_CHIEF), 0, JSON64},
    {"POST", "/api/v1/cases/{id}/moderation", h_case_moderate, STAFF, 0, JSON64},
    {"POST", "/api/v1/cases/{id}/photos", h_photo_upload, FIELD, RT_RAW_BODY, PHOTO},
    {"GET", "/api/v1/cases/{id}/photos/{pid}", h_photo_get, 0, 0, 0},
    /* Open311 GeoReport v2 (open311.c) */
    {"GET", "/open311/discovery.json", open311_discovery, 0, O311, 0},
    {"GET", "/open311/discovery.xml", open311_discovery, 0, O311, 0},
    {"GET", "/open311/v2/discovery.json", open311_discovery, 0, O311, 0},
    {"GET", "/open311/v2/discovery.xml", open311_discovery, 0, O311, 0},
    {"GET", "/open311/v2/services.json", open311_services, 0, O311, 0},
    {"GET", "/open311/v2/services.xml", open311_services, 0, O311, 0},
    {"GET", "/open311/v2/services/{file}", open311_service, 0, O311, 0},
    {"GET", "/open311/v2/requests.json", open311_get, 0, O311, 0},
    {"GET", "/open311/v2/requests.xml", open311_get, 0, O311, 0},
    {"POST", "/open311/v2/requests.json", open311_post, 0, O311, PHOTO},
    {"POST", "/open311/v2/requests.xml", open311_post, 0, O311, PHOTO},
    {"GET", "/open311/v2/requests/{file}", open311_request, 0, O311, 0},
    {"GET", "/open311/v2/tokens/{file}", open311_token, 0, O311, 0},
    {"GET", "/open311/v2/media/{file}", open311_media, 0, O311, 0},
};

const jc_module cases_module = {
    .name = "cases",
    .migrations = cases_migrations,
    .nmigrations = JC_NELEM(cases_migrations),
    .routes = cases_routes,
    .nroutes = JC_NELEM(cases_routes),
    .config = cases_config,
    .nconfig = JC_NELEM(cases_config),
    .demo = cases_demo,
    .commands = cases_commands,
    .ncommands = JC_NELEM(cases_commands),
    .error_prefix = "/open311/",
    .render_error = open311_render_error,
};
