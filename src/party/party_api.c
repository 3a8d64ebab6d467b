/* party_api.c — HTTP handlers of the party domain: inputs checked by field specs, rules in
 * party.c / party_work.c / party_cov.c, answers as JSON (or .xlsx for exports). The route table
 * and the module are at the end. */
#include "party.h"
#include "../app.h"

#include <stdlib.h>
#include <string.h>

#define STAFF        (RB(ROLE_ADMIN) | RB(ROLE_LEADER))
#define PARTY        (STAFF | RB(ROLE_PARTY_INSTRUCTOR))
#define WRITE_LIMIT  (64 * 1024)
#define IMPORT_LIMIT (16u << 20)

static const char *const also_version[] = {"version", NULL};

/* ---- common pieces ---- */

static const char *qparam(jc_req *r, const char *k)
{
    const char *v = req_query(r, k);
    return v && *v ? v : NULL;
}

static int enum_param(jc_req *r, const char *key, const char *const *codes, const char **out)
{
    *out = qparam(r, key);
    if (!*out) return JC_OK;
    for (const char *const *p = codes; *p; p++)
        if (strcmp(*p, *out) == 0) return JC_OK;
    json_t *allowed = json_array();
    for (const char *const *p = codes; *p; p++) json_array_append_new(allowed, json_string(*p));
    jc_fail_extra(&r->c, "allowed", allowed);
    return jc_fail(&r->c, JC_EINVAL, "invalid_parameter", key,
                   arena_printf(r->c.a, "%s is not one of the allowed values", key),
                   arena_printf(r->c.a, "参数 %s 的取值无效", key));
}

/* area, page and the common filters of the lists */
static int read_filter(jc_req *r, party_filter *f)
{
    memset(f, 0, sizeof *f);
    int rc = area_filter(&r->c, req_query(r, "area"), f->lo, f->hi, &f->covered);
    if (rc) return rc;
    f->q = qparam(r, "q");
    f->category = qparam(r, "category");
    f->pii = party_may_see_personal(&r->c);
    int64_t page, per_page;
    if ((rc = req_page(r, &page, &per_page))) return rc;
    f->limit = per_page;
    f->offset = (page - 1) * per_page;
    if ((rc = req_query_int(r, "org", 0, 0, INT64_MAX, &f->org_id))) return rc;
    if ((rc = req_query_int(r, "unit", 0, 0, INT64_MAX, &f->unit_id))) return rc;
    return JC_OK;
}

static int page_answer(jc_req *r, const party_filter *f, json_t *items, int64_t total)
{
    return req_json(
        r, 200, json_incref(req_page_json(r, items, total, f->offset / f->limit + 1, f->limit)));
}

static int xlsx_answer(jc_req *r, void *data, size_t len, const char *ascii, const char *zh)
{
    void *copy = arena_alloc(r->c.a, len ? len : 1);
    if (!copy) {
        free(data);
        return JC_ENOMEM;
    }
    memcpy(copy, data, len);
    free(data);
    r->raw = copy;
    r->raw_len = len;
    r->raw_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    char day[11];
    jc_date_local(r->c.now, day);
    char compact[9] = {day[0], day[1], day[2], day[3], day[5], day[6], day[8], day[9], 0};
    /* RFC 6266: an ASCII name for old clients and the Chinese one percent-encoded */
    char enc[256];
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)zh; *p && o + 4 < sizeof enc; p++)
        o += (size_t)snprintf(enc + o, sizeof enc - o, "%%%02X", *p);
    enc[o] = '\0';
    req_set_header(r, "Content-Disposition",
                   arena_printf(r->c.a,
                                "attachment; filename=\"%s-%s.xlsx\"; filename*=UTF-8''%s-%s.xlsx",
                                ascii, compact, enc, compact));
    req_set_header(r, "Cache-Control", "no-store");
    r->status = 200;
    return JC_OK;
}

static json_t *describe_enum(const struct party_enum *t, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(
            a, json_pack("{s:s, s:s, s:s}", "code", t[i].code, "zh", t[i].zh, "en", t[i].en));
    return a;
}

/* ---- meta ---- */

static int h_meta(jc_req *r)
{
    jc_ctx *c = &r->c;
    party_limits L;
    party_limits_load(c, &L);
    json_t *rules = json_array();
    for (int i = 0; i < RULE__MAX; i++)
        json_array_append_new(rules, json_pack("{s:s, s:s, s:s, s:s}", "code", party_rules[i].code,
                                               "zh", party_rules[i].zh, "en", party_rules[i].en,
                                               "source", party_rules[i].source));
    json_t *out = json_pack(
        "{s:O, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:O, s:O, s:o, s:b, s:O, s:O,"
        " s:O, s:O}",
        "categories", config_get(c, "party.categories"), "unit_kinds",
        describe_enum(party_unit_kinds, UNIT_KIND__MAX), "unit_statuses",
        describe_enum(party_unit_statuses, UNIT_STATUS__MAX), "org_kinds",
        describe_enum(party_org_kinds, ORG_KIND__MAX), "org_settings",
        describe_enum(party_org_settings, SETTING__MAX), "stages",
        describe_enum(party_stages, STAGE__MAX), "dues_categories",
        describe_enum(party_dues_categories, DUES__MAX), "paths",
        describe_enum(party_paths, PATH__MAX), "lists", describe_enum(party_lists, LIST__MAX),
        "org_workflow", json_incref(wf_describe(c, &party_org_wf)), "match_workflow",
        wf_describe(c, &party_match_wf), "org_rules", config_get(c, "party.org_rules"), "rules",
        rules, "personal_data", party_may_see_personal(c), "terms", config_get(c, "party.terms"),
        "pipeline", config_get(c, "party.pipeline"), "dues_bands",
        config_get(c, "party.dues_bands"), "dues_fixed_fen", config_get(c, "party.dues_fixed_fen"));
    (void)L;
    return req_json(r, 200, out);
}

/* ---- coverage, warnings, map ---- */

static int h_coverage(jc_req *r)
{
    party_filter f;
    int rc = read_filter(r, &f);
    const char *as_of;
    if (!rc) rc = req_query_date(r, "as_of", &as_of);
    if (rc) return rc;
    json_t *out;
    if ((rc = party_coverage_json(&r->c, &f, qparam(r, "area"), as_of, &out))) return rc;
    return req_json(r, 200, json_incref(out));
}

static int h_coverage_history(jc_req *r)
{
    party_filter f;
    int rc = read_filter(r, &f);
    int64_t months;
    if (!rc) rc = req_query_int(r, "months", 12, 1, 36, &months);
    if (rc) return rc;
    char today[11];
    jc_date_local(r->c.now, today);
    int64_t tdays;
    jc_date_parse(today, &tdays);
    int y, m, d;
    jc_civil_from_days(tdays, &y, &m, &d);
    json_t *points = json_array();
    /* the last day of each earlier month, then today */
    for (int64_t k = months - 1; k >= 0; k--) {
        char day[11];
        if (k == 0) {
            memcpy(day, today, 11);
        } else {
            int64_t total = (int64_t)y * 12 + (m - 1) - k + 1; /* the month after */
            int64_t first = jc_days_from_civil((int)(total / 12), (int)(total % 12) + 1, 1);
            jc_date_format(first - 1, day);
        }
        json_t *cov;
        if ((rc = party_coverage_json(&r->c, &f, qparam(r, "area"), day, &cov))) {
            json_decref(points);
            return rc;
        }
        json_array_append_new(
            points,
            json_pack("{s:s, s:O, s:O, s:O, s:O, s:O, s:O, s:O}", "date", day, "operating",
                      json_object_get(json_object_get(cov, "units"), "operating"), "own",
                      json_object_get(json_object_get(cov, "units"), "own"), "joint",
                      json_object_get(json_object_get(cov, "units"), "joint"), "coverage_rate",
                      json_object_get(cov, "coverage_rate"), "own_rate",
                      json_object_get(cov, "own_rate"), "established",
                      json_object_get(json_object_get(cov, "orgs"), "established"), "party_members",
                      json_object_get(json_object_get(cov, "members"), "party_members")));
    }
    json_t *out = json_pack("{s:o, s:o}", "area",
                            qparam(r, "area") ? json_string(qparam(r, "area")) : json_null(),
                            "points", points);
    return req_json(r, 200, out);
}

static int rule_param(jc_req *r, const char **rule)
{
    *rule = qparam(r, "rule");
    if (!*rule) return JC_OK;
    for (int i = 0; i < RULE__MAX; i++)
        if (strcmp(party_rules[i].code, *rule) == 0) return JC_OK;
    json_t *allowed = json_array();
    for (int i = 0; i < RULE__MAX; i++)
        json_array_append_new(allowed, json_string(party_rules[i].code));
    jc_fail_extra(&r->c, "allowed", allowed);
    return jc_fail(&r->c, JC_EINVAL, "invalid_parameter", "rule", "unknown rule", "规则代码无效");
}

static int h_warnings(jc_req *r)
{
    party_filter f;
    const char *rule;
    int rc = read_filter(r, &f);
    if (!rc) rc = rule_param(r, &rule);
    if (rc) return rc;
    json_t *out;
    if ((rc = party_warnings(&r->c, &f, rule, &out))) return rc;
    /* a page of the items; the counts cover all */
    json_t *all = json_object_get(out, "items"), *page = json_array();
    size_t n = json_array_size(all);
    for (size_t i = (size_t)f.offset; i < n && i < (size_t)(f.offset + f.limit); i++)
        json_array_append(page, json_array_get(all, i));
    json_t *rules = json_array();
    for (int i = 0; i < RULE__MAX; i++)
        json_array_append_new(rules, json_pack("{s:s, s:s, s:s, s:s}", "code", party_rules[i].code,
                                               "zh", party_rules[i].zh, "en", party_rules[i].en,
                                               "source", party_rules[i].source));
    return req_json(r, 200,
                    json_pack("{s:o, s:I, s:I, s:I, s:O, s:o}", "items", page, "total",
                              (json_int_t)n, "page", (json_int_t)(f.offset / f.limit + 1),
                              "per_page", (json_int_t)f.limit, "counts",
                              json_object_get(out, "counts"), "rules", rules));
}

static int h_warnings_export(jc_req *r)
{
    party_filter f;
    const char *rule;
    int rc = read_filter(r, &f);
    if (!rc) rc = rule_param(r, &rule);
    if (rc) return rc;
    void *data;
    size_t len;
    if ((rc = party_export_warnings(&r->c, &f, rule, &data, &len))) return rc;
    return xlsx_answer(r, data, len, "party-warnings", "两新党建预警");
}

static int h_map(jc_req *r)
{
    party_filter f;
    int rc = read_filter(r, &f);
    if (rc) return rc;
    json_t *out;
    if ((rc = party_map_json(&r->c, &f, f.category, &out))) return rc;
    return req_json(r, 200, json_incref(out));
}

/* ---- units ---- */

static const char *const coverage_codes[] = {"own",     "joint",   "covered", "none",
                                             "pending", "not_own", NULL};

static int unit_filter(jc_req *r, party_filter *f)
{
    int rc = read_filter(r, f);
    if (!rc) rc = enum_param(r, "kind", party_unit_kind_codes, &f->kind);
    if (!rc) rc = enum_param(r, "status", party_unit_status_codes, &f->status);
    if (!rc) rc = enum_param(r, "coverage", coverage_codes, &f->coverage);
    return rc;
}

static int push_unit(jc_ctx *c, const party_unit *u, void *arg)
{
    json_array_append(arg, party_unit_json(c, u));
    return JC_OK;
}

static int h_units(jc_req *r)
{
    party_filter f;
    int rc = unit_filter(r, &f);
    if (rc) return rc;
    json_t *items = json_array();
    int64_t total;
    if ((rc = db_party_unit_list(&r->c, &f, push_unit, items, &total))) {
        json_decref(items);
        return rc;
    }
    return page_answer(r, &f, items, total);
}

static int h_units_export(jc_req *r)
{
    party_filter f;
    int rc = unit_filter(r, &f);
    if (rc) return rc;
    void *data;
    size_t len;
    if ((rc = party_export_units(&r->c, &f, &data, &len))) return rc;
    return xlsx_answer(r, data, len, "party-units", "两新组织");
}

static const field_spec unit_spec[] = {
    {"name", FT_TEXT, FF_REQUIRED, 1, 100, NULL, "名称"},
    {"credit_code", FT_CREDIT_CODE, FF_REQUIRED, 0, 0, NULL, "统一社会信用代码"},
    {"kind", FT_ENUM, FF_REQUIRED, 0, 0, party_unit_kind_codes, "组织类型"},
    {"category", FT_TEXT, FF_REQUIRED, 1, 50, NULL, "行业类别"},
    {"area", FT_AREA, FF_REQUIRED, 0, 0, NULL, "所属区域"},
    {"address", FT_TEXT, 0, 0, 200, NULL, "地址"},
    {"lat", FT_NUMBER, FF_NULLABLE, 0, 0, NULL, "纬度"},
    {"lng", FT_NUMBER, FF_NULLABLE, 0, 0, NULL, "经度"},
    {"employees", FT_INT, 0, 0, 10000000, NULL, "从业人员"},
    {"status", FT_ENUM, 0, 0, 0, party_unit_status_codes, "经营状态"},
    {"contact_name", FT_TEXT, 0, 0, 40, NULL, "联系人"},
    {"contact_phone", FT_PHONE, FF_NULLABLE, 0, 0, NULL, "联系电话"},
};
enum {
    U_NAME,
    U_CODE,
    U_KIND,
    U_CAT,
    U_AREA,
    U_ADDR,
    U_LAT,
    U_LNG,
    U_EMP,
    U_STATUS,
    U_CNAME,
    U_CPHONE,
    U__N
};

static int reply_unit(jc_req *r, int status, int64_t id, bool detail)
{
    party_unit u;
    int rc = party_unit_read(&r->c, id, &u);
    if (rc) return rc;
    json_t *o = json_deep_copy(party_unit_json(&r->c, &u));
    if (!o) return JC_ENOMEM;
    if (u.credit_warn) {
        json_object_set_new(
            o, "warnings",
            json_pack("[{s:s, s:s, s:s}]", "field", "credit_code", "message",
                      "the check character of the credit code does not match: accepted as an "
                      "early pilot code, please verify it",
                      "message_zh", "统一社会信用代码校验位不符:已按早期试点代码接受,请核实"));
    } else {
        json_object_set_new(o, "warnings", json_array());
    }
    if (detail) {
        party_filter f = {.covered = true, .unit_id = id, .limit = 20};
        snprintf(f.lo, sizeof f.lo, "%s", "");
        snprintf(f.hi, sizeof f.hi, "%s", "~");
        json_t *stations = json_array(), *visits = json_array(), *points = json_array();
        int64_t n;
        if (!rc) rc = db_party_station_list(&r->c, &f, stations, &n);
        if (!rc) rc = db_party_visit_list(&r->c, &f, visits, &n);
        json_object_set_new(o, "stations", stations);
        json_object_set_new(o, "visits", visits);
        f.unit_id = 0;
        if (!rc) rc = db_party_point_list(&r->c, &f, points);
        json_t *mine = json_null();
        size_t i;
        json_t *p;
        json_array_foreach(points, i, p) if (json_integer_value(json_object_get(
                                                 json_object_get(p, "unit"), "id")) == id)
        {
            json_decref(mine);
            mine = json_incref(json_object_get(p, "category"));
        }
        json_decref(points);
        json_object_set_new(o, "demo_point", mine);
        json_object_set_new(o, "can_edit", json_boolean(jc_user_has(r->c.user, STAFF)));
        if (rc) {
            json_decref(o);
            return rc;
        }
    }
    req_etag(r, u.version);
    if (status == 201)
        req_set_header(r, "Location",
                       arena_printf(r->c.a, "/api/v1/party/units/%lld", (long long)id));
    return req_json(r, status, o);
}

static void unit_from_input(const field_val *v, party_unit *u)
{
    u->name = v[U_NAME].s;
    u->credit_code = v[U_CODE].s;
    u->kind = v[U_KIND].s;
    u->category = v[U_CAT].s;
    u->area_code = v[U_AREA].s;
    u->address = v[U_ADDR].s;
    u->employees = v[U_EMP].present ? v[U_EMP].i : -1;
    u->status = v[U_STATUS].s;
    u->contact_name = v[U_CNAME].s;
    if (v[U_CPHONE].present) u->contact_phone = v[U_CPHONE].null ? "" : v[U_CPHONE].s;
}

static int position(jc_req *r, const field_val *v, party_unit *u, bool *clear)
{
    *clear = false;
    bool lat = v[U_LAT].present && !v[U_LAT].null, lng = v[U_LNG].present && !v[U_LNG].null;
    if (lat != lng || v[U_LAT].null != v[U_LNG].null)
        return jc_fail(&r->c, JC_EINVAL, "invalid_field", lat ? "lng" : "lat",
                       "latitude and longitude go together", "经纬度须同时填写");
    if (lat) {
        u->has_pos = true;
        u->lat = v[U_LAT].d;
        u->lng = v[U_LNG].d;
    }
    *clear = v[U_LAT].present && v[U_LAT].null;
    return JC_OK;
}

static int h_unit_create(jc_req *r)
{
    field_val v[U__N];
    int rc = input_parse(&r->c, r->json, unit_spec, U__N, v, NULL);
    if (rc) return rc;
    party_unit u = {0};
    unit_from_input(v, &u);
    if (u.employees < 0) u.employees = 0;
    bool clear;
    if ((rc = position(r, v, &u, &clear))) return rc;
    int64_t id;
    if ((rc = party_unit_create(&r->c, &u, &id))) return rc;
    return reply_unit(r, 201, id, false);
}

static int h_unit_get(jc_req *r)
{
    int64_t id;
    int rc = req_var_id(r, 0, &id);
    if (rc) return rc;
    return reply_unit(r, 200, id, true);
}

static int h_unit_update(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    field_spec spec[U__N];
    memcpy(spec, unit_spec, sizeof spec);
    for (int i = 0; i < U__N; i++) spec[i].flags &= ~(unsigned)FF_REQUIRED;
    field_val v[U__N];
    if ((rc = input_parse(&r->c, r->json, spec, U__N, v, also_version))) return rc;
    if (v[U_NAME].present && jc_blank(v[U_NAME].s))
        return jc_fail(&r->c, JC_EINVAL, "required", "name", "name is required", "名称为必填项");
    party_unit ch = {0};
    unit_from_input(v, &ch);
    bool clear;
    if ((rc = position(r, v, &ch, &clear))) return rc;
    if ((rc = party_unit_edit(&r->c, id, version, &ch, clear))) return rc;
    return reply_unit(r, 200, id, true);
}

static int h_unit_import(jc_req *r)
{
    const char *dry = req_query(r, "dry_run");
    if (dry && strcmp(dry, "1") != 0 && strcmp(dry, "0") != 0 && strcmp(dry, "true") != 0 &&
        strcmp(dry, "false") != 0)
        return jc_fail(&r->c, JC_EINVAL, "invalid_parameter", "dry_run", "dry_run is 1 or 0",
                       "dry_run 须为1或0");
    bool dry_run = dry && (strcmp(dry, "1") == 0 || strcmp(dry, "true") == 0);
    json_t *report;
    int rc = party_import_units(&r->c, r->body, r->body_len, dry_run, &report);
    if (rc) return rc;
    return req_json(r, dry_run ? 200 : 201, json_incref(report));
}

static int h_unit_template(jc_req *r)
{
    void *data;
    size_t len;
    int rc = party_import_template(&r->c, &data, &len);
    if (rc) return rc;
    return xlsx_answer(r, data, len, "party-units-template", "两新组织导入模板");
}

static const field_spec plan_spec[] = {
    {"path", FT_ENUM, 0, 0, 0, party_path_codes, "孵化路径"},
    {"instructor_id", FT_INT, FF_NULLABLE, 1, INT64_MAX, NULL, "指导员"},
    {"next_step", FT_TEXT, FF_MULTILINE, 0, 500, NULL, "下一步"},
    {"target_date", FT_DATE, FF_NULLABLE, 0, 0, NULL, "目标日期"},
    {"note", FT_TEXT, FF_MULTILINE, 0, 1000, NULL, "进展说明"},
};

static int h_unit_plan(jc_req *r)
{
    int64_t id;
    int rc = req_var_id(r, 0, &id);
    if (rc) return rc;
    json_t *vj = r->json ? json_object_get(r->json, "version") : NULL;
    int64_t version;
    if (json_is_integer(vj) && json_integer_value(vj) == 0)
        version = 0; /* 0 = create the plan */
    else if ((rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version)))
        return rc;
    field_val v[5];
    if ((rc = input_parse(&r->c, r->json, plan_spec, 5, v, also_version))) return rc;
    const int64_t *instr = v[1].present && !v[1].null ? &v[1].i : NULL;
    if ((rc = party_plan_set(&r->c, id, version, v[0].s, instr, v[1].present && v[1].null, v[2].s,
                             v[3].present && !v[3].null ? v[3].s : NULL, v[3].present && v[3].null,
                             v[4].s)))
        return rc;
    return reply_unit(r, 200, id, false);
}

static int h_board(jc_req *r)
{
    party_filter f;
    int rc = read_filter(r, &f);
    if (rc) return rc;
    f.status = "operating";
    f.coverage = "not_own";
    json_t *items = json_array();
    int64_t total;
    if ((rc = db_party_unit_list(&r->c, &f, push_unit, items, &total))) {
        json_decref(items);
        return rc;
    }
    party_limits L;
    party_limits_load(&r->c, &L);
    size_t i;
    json_t *u;
    json_array_foreach(items, i, u)
    {
        int64_t formal =
            json_integer_value(json_object_get(json_object_get(u, "members"), "formal"));
        json_object_set_new(u, "needed", json_integer(L.branch_min_formal));
        json_object_set_new(u, "ready", json_boolean(formal >= L.branch_min_formal));
    }
    return page_answer(r, &f, items, total);
}

/* ---- organizations ---- */

static int org_filter(jc_req *r, party_filter *f)
{
    static const char *const statuses[] = {"incubating", "preparing", "established", "dissolved",
                                           NULL};
    int rc = read_filter(r, f);
    if (!rc) rc = enum_param(r, "status", statuses, &f->status);
    if (!rc) rc = enum_param(r, "kind", party_org_kind_codes, &f->kind);
    if (!rc) rc = enum_param(r, "setting", party_org_setting_codes, &f->coverage);
    if (!rc) rc = req_query_int(r, "parent", 0, 0, INT64_MAX, &f->parent_id);
    return rc;
}

static int push_org(jc_ctx *c, const party_org *o, void *arg)
{
    json_array_append(arg, party_org_json(c, o));
    return JC_OK;
}

static int h_orgs(jc_req *r)
{
    party_filter f;
    int rc = org_filter(r, &f);
    if (rc) return rc;
    json_t *items = json_array();
    int64_t total;
    if ((rc = db_party_org_list(&r->c, &f, push_org, items, &total))) {
        json_decref(items);
        return rc;
    }
    return page_answer(r, &f, items, total);
}

static int h_orgs_export(jc_req *r)
{
    party_filter f;
    int rc = org_filter(r, &f);
    if (rc) return rc;
    void *data;
    size_t len;
    if ((rc = party_export_orgs(&r->c, &f, &data, &len))) return rc;
    return xlsx_answer(r, data, len, "party-orgs", "党组织");
}

static int reply_org(jc_req *r, int status, int64_t id)
{
    party_org o;
    int rc = party_org_read(&r->c, id, &o);
    if (rc) return rc;
    json_t *j = json_deep_copy(party_org_json(&r->c, &o));
    if (!j) return JC_ENOMEM;
    party_filter f = {.covered = true, .org_id = id};
    snprintf(f.hi, sizeof f.hi, "~");
    json_t *units = json_array(), *children = json_array();
    rc = db_party_unit_list(&r->c, &f, push_unit, units, NULL);
    if (!rc) rc = db_party_org_children(&r->c, id, children);
    json_object_set_new(j, "units", units);
    json_object_set_new(j, "children", children);
    json_object_set_new(j, "actions",
                        json_incref(wf_allowed(&r->c, &party_org_wf, o.status, false)));
    json_object_set_new(
        j, "can_edit",
        json_boolean(jc_user_has(r->c.user, STAFF) && strcmp(o.status, "dissolved") != 0));
    if (rc) {
        json_decref(j);
        return rc;
    }
    req_etag(r, o.version);
    if (status == 201)
        req_set_header(r, "Location",
                       arena_printf(r->c.a, "/api/v1/party/orgs/%lld", (long long)id));
    return req_json(r, status, j);
}

static const char *const new_org_statuses[] = {"incubating", "preparing", "established", NULL};
static const char *const pipeline_actions[] = {"advance", "extend", NULL};
static const char *const visit_kinds[] = {"visit", "advice", NULL};

static const field_spec org_spec[] = {
    {"name", FT_TEXT, FF_REQUIRED, 1, 100, NULL, "名称"},
    {"area", FT_AREA, FF_REQUIRED, 0, 0, NULL, "所属区域"},
    {"kind", FT_ENUM, FF_REQUIRED, 0, 0, party_org_kind_codes, "党组织类别"},
    {"setting", FT_ENUM, FF_REQUIRED, 0, 0, party_org_setting_codes, "组建方式"},
    {"status", FT_ENUM, 0, 0, 0, new_org_statuses, "状态"},
    {"established_on", FT_DATE, 0, 0, 0, NULL, "成立日期"},
    {"parent_id", FT_INT, FF_NULLABLE, 1, INT64_MAX, NULL, "上级党组织"},
    {"secretary", FT_TEXT, 0, 0, 40, NULL, "书记"},
    {"committee", FT_JSON, 0, 0, 0, NULL, "支委会"},
    {"village", FT_BOOL, 0, 0, 0, NULL, "村/社区党组织"},
    {"term_start", FT_DATE, FF_NULLABLE, 0, 0, NULL, "任期开始"},
    {"term_end", FT_DATE, FF_NULLABLE, 0, 0, NULL, "任期届满"},
    {"unit_ids", FT_JSON, 0, 0, 0, NULL, "覆盖单位"},
    {"override_reason", FT_TEXT, FF_MULTILINE, 0, 500, NULL, "超出规定的理由"},
};
enum {
    O_NAME,
    O_AREA,
    O_KIND,
    O_SETTING,
    O_STATUS,
    O_EST,
    O_PARENT,
    O_SEC,
    O_COMMITTEE,
    O_VILLAGE,
    O_TSTART,
    O_TEND,
    O_UNITS,
    O_OVERRIDE,
    O__N
};

/* unit_ids: an array of positive integers (at most 200) */
static int unit_ids(jc_req *r, json_t *v, int64_t **ids, int *n)
{
    *n = 0;
    *ids = NULL;
    if (!v) return JC_OK;
    size_t i, count = json_array_size(v);
    json_t *e;
    if (!json_is_array(v) || count > 200)
        return jc_fail(&r->c, JC_EINVAL, "invalid_field", "unit_ids",
                       "unit_ids must be a list of at most 200 unit ids",
                       "覆盖单位须为不超过200个单位编号的列表");
    *ids = arena_alloc(r->c.a, sizeof(int64_t) * (count + 1));
    if (!*ids) return JC_ENOMEM;
    json_array_foreach(v, i, e)
    {
        if (!json_is_integer(e) || json_integer_value(e) < 1)
            return jc_fail(&r->c, JC_EINVAL, "invalid_field", "unit_ids",
                           "every unit id is a positive integer", "单位编号须为正整数");
        (*ids)[(*n)++] = json_integer_value(e);
    }
    return JC_OK;
}

static const char *committee_text(jc_req *r, const field_val *v)
{
    if (!v->present) return NULL;
    char *s = json_dumps(v->j, JSON_COMPACT);
    char *t = s ? arena_strdup(r->c.a, s) : NULL;
    free(s);
    return t;
}

static int h_org_create(jc_req *r)
{
    field_val v[O__N];
    int rc = input_parse(&r->c, r->json, org_spec, O__N, v, NULL);
    if (rc) return rc;
    party_org o = {0};
    o.name = v[O_NAME].s;
    o.area_code = v[O_AREA].s;
    o.kind = v[O_KIND].s;
    o.setting = v[O_SETTING].s;
    o.status = v[O_STATUS].s;
    o.established_on = v[O_EST].s;
    o.parent_id = v[O_PARENT].present && !v[O_PARENT].null ? v[O_PARENT].i : 0;
    o.secretary = v[O_SEC].s;
    o.committee = committee_text(r, &v[O_COMMITTEE]);
    o.village = v[O_VILLAGE].present && v[O_VILLAGE].i;
    o.term_start = v[O_TSTART].null ? NULL : v[O_TSTART].s;
    o.term_end = v[O_TEND].null ? NULL : v[O_TEND].s;
    int64_t *ids;
    int n;
    if ((rc = unit_ids(r, v[O_UNITS].j, &ids, &n))) return rc;
    int64_t id;
    if ((rc = party_org_create(&r->c, &o, ids, n, v[O_OVERRIDE].s, &id))) return rc;
    return reply_org(r, 201, id);
}

static int h_org_get(jc_req *r)
{
    int64_t id;
    int rc = req_var_id(r, 0, &id);
    if (rc) return rc;
    return reply_org(r, 200, id);
}

static int h_org_update(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    field_spec spec[O__N];
    memcpy(spec, org_spec, sizeof spec);
    for (int i = 0; i < O__N; i++) spec[i].flags &= ~(unsigned)FF_REQUIRED;
    field_val v[O__N];
    if ((rc = input_parse(&r->c, r->json, spec, O__N, v, also_version))) return rc;
    const char *fixed = v[O_SETTING].present  ? "setting"
                        : v[O_STATUS].present ? "status"
                        : v[O_UNITS].present  ? "unit_ids"
                                              : NULL;
    if (fixed)
        return jc_fail(&r->c, JC_EINVAL, "invalid_field", fixed,
                       "the setting does not change (set up a new organization); the status "
                       "moves through transitions and the units through PUT …/units",
                       "组建方式不能修改(请新建党组织);状态通过流转操作变更,覆盖单位通过 "
                       "PUT …/units 调整");
    if (v[O_NAME].present && jc_blank(v[O_NAME].s))
        return jc_fail(&r->c, JC_EINVAL, "required", "name", "name is required", "名称为必填项");
    party_org ch = {0};
    ch.name = v[O_NAME].s;
    ch.area_code = v[O_AREA].s;
    ch.kind = v[O_KIND].s;
    ch.established_on = v[O_EST].s;
    ch.parent_id = v[O_PARENT].present && !v[O_PARENT].null ? v[O_PARENT].i : 0;
    ch.secretary = v[O_SEC].s;
    ch.committee = committee_text(r, &v[O_COMMITTEE]);
    ch.term_start = v[O_TSTART].present && !v[O_TSTART].null ? v[O_TSTART].s : NULL;
    ch.term_end = v[O_TEND].present && !v[O_TEND].null ? v[O_TEND].s : NULL;
    bool village = v[O_VILLAGE].i != 0;
    if ((rc = party_org_edit(&r->c, id, version, &ch, v[O_PARENT].present && v[O_PARENT].null,
                             v[O_VILLAGE].present ? &village : NULL)))
        return rc;
    return reply_org(r, 200, id);
}

static const field_spec org_units_spec[] = {
    {"unit_ids", FT_JSON, FF_REQUIRED, 0, 0, NULL, "覆盖单位"},
    {"override_reason", FT_TEXT, FF_MULTILINE, 0, 500, NULL, "超出规定的理由"},
};

static int h_org_units(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    field_val v[2];
    if ((rc = input_parse(&r->c, r->json, org_units_spec, 2, v, also_version))) return rc;
    int64_t *ids;
    int n;
    if ((rc = unit_ids(r, v[0].j, &ids, &n))) return rc;
    if ((rc = party_org_set_units(&r->c, id, version, ids, n, v[1].s))) return rc;
    return reply_org(r, 200, id);
}

static const field_spec org_tr_spec[] = {
    {"action", FT_TEXT, FF_REQUIRED, 1, 32, NULL, "操作"},
    {"date", FT_DATE, 0, 0, 0, NULL, "日期"},
    {"reason", FT_TEXT, FF_MULTILINE, 0, 1000, NULL, "原因"},
};

static int h_org_transition(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    field_val v[3];
    if ((rc = input_parse(&r->c, r->json, org_tr_spec, 3, v, also_version))) return rc;
    if ((rc = party_org_transition(&r->c, id, version, v[0].s, v[1].s, v[2].s))) return rc;
    return reply_org(r, 200, id);
}

/* ---- members ---- */

static int member_filter(jc_req *r, party_filter *f)
{
    static const char *const statuses[] = {"active", "transferred_out", NULL};
    int rc = read_filter(r, f);
    if (!rc) rc = enum_param(r, "stage", party_stage_codes, &f->stage);
    if (!rc) rc = enum_param(r, "status", statuses, &f->status);
    return rc;
}

static int push_member(jc_ctx *c, const party_member *m, void *arg)
{
    json_array_append(arg, party_member_json(c, m));
    return JC_OK;
}

static int h_members(jc_req *r)
{
    party_filter f;
    int rc = member_filter(r, &f);
    if (rc) return rc;
    json_t *items = json_array();
    int64_t total;
    if ((rc = db_party_member_list(&r->c, &f, push_member, items, &total))) {
        json_decref(items);
        return rc;
    }
    return page_answer(r, &f, items, total);
}

static int h_members_export(jc_req *r)
{
    party_filter f;
    int rc = member_filter(r, &f);
    if (rc) return rc;
    void *data;
    size_t len;
    if ((rc = party_export_members(&r->c, &f, &data, &len))) return rc;
    return xlsx_answer(r, data, len, "party-members", "党员");
}

static int reply_member(jc_req *r, int status, int64_t id)
{
    party_member m;
    int rc = party_member_read(&r->c, id, &m);
    if (rc) return rc;
    json_t *j = json_deep_copy(party_member_json(&r->c, &m));
    if (!j) return JC_ENOMEM;
    json_t *transfers = json_array(), *dues = json_array();
    rc = db_party_transfers(&r->c, id, transfers);
    if (!rc) rc = db_party_dues_list(&r->c, id, dues);
    if (!party_may_see_personal(&r->c)) {
        size_t i;
        json_t *e;
        json_array_foreach(dues, i, e) json_object_set_new(e, "base_fen", json_null());
    }
    json_object_set_new(j, "transfers", transfers);
    json_object_set_new(j, "dues", dues);
    json_object_set_new(j, "can_edit", json_boolean(jc_user_has(r->c.user, STAFF)));
    if (rc) {
        json_decref(j);
        return rc;
    }
    req_etag(r, m.version);
    if (status == 201)
        req_set_header(r, "Location",
                       arena_printf(r->c.a, "/api/v1/party/members/%lld", (long long)id));
    return req_json(r, status, j);
}

static const field_spec member_spec[] = {
    {"name", FT_TEXT, FF_REQUIRED, 1, 40, NULL, "姓名"},
    {"citizen_id", FT_CITIZEN_ID, FF_REQUIRED, 0, 0, NULL, "身份证号码"},
    {"phone", FT_PHONE, FF_NULLABLE, 0, 0, NULL, "手机号码"},
    {"unit_id", FT_INT, FF_NULLABLE, 1, INT64_MAX, NULL, "所在单位"},
    {"org_id", FT_INT, FF_NULLABLE, 1, INT64_MAX, NULL, "所属党组织"},
    {"stage", FT_ENUM, 0, 0, 0, party_stage_codes, "阶段"},
    {"applied_on", FT_DATE, 0, 0, 0, NULL, "申请入党日期"},
    {"activist_on", FT_DATE, 0, 0, 0, NULL, "列为入党积极分子日期"},
    {"candidate_on", FT_DATE, 0, 0, 0, NULL, "列为发展对象日期"},
    {"probationary_on", FT_DATE, 0, 0, 0, NULL, "接收为预备党员日期"},
    {"full_on", FT_DATE, 0, 0, 0, NULL, "转为正式党员日期"},
    {"extension_months", FT_INT, 0, 0, 12, NULL, "延长预备期月数"},
    {"introducer_ids", FT_JSON, 0, 0, 0, NULL, "入党介绍人"},
    {"dues_category", FT_ENUM, 0, 0, 0, party_dues_codes, "党费类别"},
    {"monthly_income_fen", FT_MONEY, 0, 0, 0, NULL, "月收入(分)"},
    {"transfer_in_from", FT_TEXT, 0, 0, 100, NULL, "转入自"},
};
enum {
    M_NAME,
    M_CID,
    M_PHONE,
    M_UNIT,
    M_ORG,
    M_STAGE,
    M_APPLIED,
    M_ACTIVIST,
    M_CANDIDATE,
    M_PROB,
    M_FULL,
    M_EXT,
    M_INTRO,
    M_DUES,
    M_INCOME,
    M_FROM,
    M__N
};

static int introducer_ids(jc_req *r, json_t *v, int64_t out[2], int *n)
{
    *n = 0;
    out[0] = out[1] = 0;
    if (!v) return JC_OK;
    size_t i;
    json_t *e;
    if (!json_is_array(v) || json_array_size(v) > 2)
        return jc_fail(&r->c, JC_EINVAL, "invalid_field", "introducer_ids",
                       "introducer_ids is a list of the two introducers' member ids",
                       "入党介绍人须为两名党员编号的列表");
    json_array_foreach(v, i, e)
    {
        if (!json_is_integer(e) || json_integer_value(e) < 1)
            return jc_fail(&r->c, JC_EINVAL, "invalid_field", "introducer_ids",
                           "every introducer is a member id", "入党介绍人须为党员编号");
        out[(*n)++] = json_integer_value(e);
    }
    return JC_OK;
}

static int h_member_create(jc_req *r)
{
    field_val v[M__N];
    int rc = input_parse(&r->c, r->json, member_spec, M__N, v, NULL);
    if (rc) return rc;
    party_member m = {0};
    m.name = v[M_NAME].s;
    m.citizen_id = v[M_CID].s;
    m.phone = v[M_PHONE].null ? NULL : v[M_PHONE].s;
    m.unit_id = v[M_UNIT].present && !v[M_UNIT].null ? v[M_UNIT].i : 0;
    m.org_id = v[M_ORG].present && !v[M_ORG].null ? v[M_ORG].i : 0;
    m.stage = v[M_STAGE].s;
    for (int s = 0; s < STAGE__MAX; s++) m.dates.on[s] = v[M_APPLIED + s].s;
    m.dates.extension_months = v[M_EXT].i;
    m.dues_category = v[M_DUES].s;
    m.income_fen = v[M_INCOME].present ? v[M_INCOME].i : 0;
    int n;
    if ((rc = introducer_ids(r, v[M_INTRO].j, m.introducer_id, &n))) return rc;
    int64_t id;
    if ((rc = party_member_create(&r->c, &m, v[M_FROM].s, &id))) return rc;
    return reply_member(r, 201, id);
}

static int h_member_get(jc_req *r)
{
    int64_t id;
    int rc = req_var_id(r, 0, &id);
    if (rc) return rc;
    return reply_member(r, 200, id);
}

static const field_spec member_edit_spec[] = {
    {"name", FT_TEXT, 0, 1, 40, NULL, "姓名"},
    {"phone", FT_PHONE, FF_NULLABLE, 0, 0, NULL, "手机号码"},
    {"unit_id", FT_INT, FF_NULLABLE, 1, INT64_MAX, NULL, "所在单位"},
    {"dues_category", FT_ENUM, 0, 0, 0, party_dues_codes, "党费类别"},
    {"monthly_income_fen", FT_MONEY, 0, 0, 0, NULL, "月收入(分)"},
};

static int h_member_update(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    field_val v[5];
    if ((rc = input_parse(&r->c, r->json, member_edit_spec, 5, v, also_version))) return rc;
    if (v[0].present && jc_blank(v[0].s))
        return jc_fail(&r->c, JC_EINVAL, "required", "name", "name is required", "姓名为必填项");
    party_member ch = {0};
    ch.name = v[0].s;
    if (v[1].present) ch.phone = v[1].null ? "" : v[1].s;
    if (v[2].present) ch.unit_id = v[2].null ? -1 : v[2].i;
    ch.dues_category = v[3].s;
    ch.income_fen = v[4].present ? v[4].i : -1;
    if ((rc = party_member_edit(&r->c, id, version, &ch))) return rc;
    return reply_member(r, 200, id);
}

static const field_spec pipeline_spec[] = {
    {"action", FT_ENUM, FF_REQUIRED, 0, 0, pipeline_actions, "操作"},
    {"to", FT_TEXT, 0, 1, 20, NULL, "转入阶段"},
    {"date", FT_TEXT, FF_REQUIRED, 0, 20, NULL, "日期"},
    {"introducer_ids", FT_JSON, 0, 0, 0, NULL, "入党介绍人"},
    {"months", FT_INT, 0, 0, 0, NULL, "延长月数"},
    {"reason", FT_TEXT, FF_MULTILINE, 0, 1000, NULL, "理由"},
};

static int h_member_pipeline(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    field_val v[6];
    if ((rc = input_parse(&r->c, r->json, pipeline_spec, 6, v, also_version))) return rc;
    if (strcmp(v[0].s, "advance") == 0) {
        if (!v[1].present)
            return jc_fail(&r->c, JC_EINVAL, "required", "to", "to (the next stage) is required",
                           "须填写转入的阶段(to)");
        int64_t ids[2];
        int n;
        if ((rc = introducer_ids(r, v[3].j, ids, &n))) return rc;
        rc = party_member_advance(&r->c, id, version, v[1].s, v[2].s, ids, n);
    } else {
        if (!v[4].present)
            return jc_fail(&r->c, JC_EINVAL, "required", "months", "months (6 to 12) is required",
                           "须填写延长月数(6至12)");
        rc = party_member_extend(&r->c, id, version, v[4].i, v[2].s, v[5].s);
    }
    if (rc) return rc;
    return reply_member(r, 200, id);
}

static const field_spec transfer_spec[] = {
    {"to_org_id", FT_INT, 0, 1, INT64_MAX, NULL, "转入党组织"},
    {"to_unit_id", FT_INT, FF_NULLABLE, 1, INT64_MAX, NULL, "新所在单位"},
    {"to_text", FT_TEXT, 0, 0, 100, NULL, "转往辖区外组织"},
    {"date", FT_DATE, FF_REQUIRED, 0, 0, NULL, "日期"},
    {"note", FT_TEXT, FF_MULTILINE, 0, 1000, NULL, "说明"},
};

static int h_member_transfer(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    field_val v[5];
    if ((rc = input_parse(&r->c, r->json, transfer_spec, 5, v, also_version))) return rc;
    int64_t to_unit = !v[1].present ? -1 : v[1].null ? 0 : v[1].i;
    if ((rc = party_member_transfer(&r->c, id, version, v[0].present ? v[0].i : 0, to_unit, v[2].s,
                                    v[3].s, v[4].s)))
        return rc;
    return reply_member(r, 200, id);
}

static int h_member_dues(jc_req *r)
{
    int64_t id;
    int rc = req_var_id(r, 0, &id);
    if (rc) return rc;
    party_member m;
    if ((rc = party_member_read(&r->c, id, &m))) return rc;
    json_t *items = json_array();
    if ((rc = db_party_dues_list(&r->c, id, items))) {
        json_decref(items);
        return rc;
    }
    if (!party_may_see_personal(&r->c)) {
        size_t i;
        json_t *e;
        json_array_foreach(items, i, e) json_object_set_new(e, "base_fen", json_null());
    }
    json_t *mj = party_member_json(&r->c, &m);
    return req_json(r, 200,
                    json_pack("{s:I, s:O, s:O, s:o}", "member_id", (json_int_t)id,
                              "monthly_dues_fen", json_object_get(mj, "monthly_dues_fen"),
                              "dues_category", json_object_get(mj, "dues_category"), "items",
                              items));
}

static const field_spec dues_spec[] = {
    {"month", FT_TEXT, FF_REQUIRED, 7, 7, NULL, "月份"},
    {"paid_fen", FT_MONEY, 0, 0, 0, NULL, "实缴金额(分)"},
    {"paid_on", FT_DATE, FF_REQUIRED, 0, 0, NULL, "缴纳日期"},
    {"note", FT_TEXT, 0, 0, 200, NULL, "备注"},
};

static int h_member_pay(jc_req *r)
{
    int64_t id;
    int rc = req_var_id(r, 0, &id);
    if (rc) return rc;
    field_val v[4];
    if ((rc = input_parse(&r->c, r->json, dues_spec, 4, v, NULL))) return rc;
    int64_t pid;
    if ((rc = party_dues_pay(&r->c, id, v[0].s, v[1].present ? &v[1].i : NULL, v[2].s, v[3].s,
                             &pid)))
        return rc;
    json_t *items = json_array();
    if ((rc = db_party_dues_list(&r->c, id, items))) {
        json_decref(items);
        return rc;
    }
    json_t *row = NULL;
    size_t i;
    json_t *e;
    json_array_foreach(items, i, e) if (json_integer_value(json_object_get(e, "id")) == pid) row =
        e;
    json_t *out = json_deep_copy(row);
    json_decref(items);
    if (!out) return JC_ENOMEM;
    return req_json(r, 201, out);
}

static int h_dues(jc_req *r)
{
    party_filter f;
    int rc = read_filter(r, &f);
    if (rc) return rc;
    const char *month = qparam(r, "month");
    char first[11], last[11], buf[8];
    if (!month) {
        char today[11];
        jc_date_local(r->c.now, today);
        snprintf(buf, sizeof buf, "%.7s", today);
        month = buf;
    }
    if (strlen(month) != 7 || !jc_period_parse(month, first, last))
        return jc_fail(&r->c, JC_EINVAL, "invalid_parameter", "month", "month must be YYYY-MM",
                       "month 须为 YYYY-MM");
    json_t *items = json_array();
    if ((rc = db_party_dues_summary(&r->c, &f, month, items))) {
        json_decref(items);
        return rc;
    }
    party_limits L;
    party_limits_load(&r->c, &L);
    bool see = party_may_see_personal(&r->c);
    int64_t expected = 0, paid = 0, npaid = 0;
    size_t i;
    json_t *e;
    json_array_foreach(items, i, e)
    {
        int cat = party_enum_find(party_dues_categories, DUES__MAX,
                                  json_string_value(json_object_get(e, "dues_category")));
        int64_t due = party_dues_fen(&L, cat < 0 ? DUES_REGULAR : cat,
                                     json_integer_value(json_object_get(e, "monthly_income_fen")));
        json_object_set_new(e, "due_fen", json_integer(due));
        if (!see) json_object_set_new(e, "monthly_income_fen", json_null());
        if (!see && json_is_object(json_object_get(e, "paid")))
            json_object_set_new(json_object_get(e, "paid"), "base_fen", json_null());
        expected += due;
        json_t *p = json_object_get(e, "paid");
        if (json_is_object(p)) {
            npaid++;
            paid += json_integer_value(json_object_get(p, "paid_fen"));
        }
    }
    return req_json(r, 200,
                    json_pack("{s:s, s:I, s:I, s:I, s:I, s:o}", "month", month, "members",
                              (json_int_t)json_array_size(items), "paid_members", (json_int_t)npaid,
                              "expected_fen", (json_int_t)expected, "paid_fen", (json_int_t)paid,
                              "items", items));
}

static int h_dues_calc(jc_req *r)
{
    int64_t base;
    const char *cat_code;
    int rc = req_query_int(r, "base_fen", 0, 0, INT64_MAX / 1000, &base);
    if (!rc) rc = enum_param(r, "category", party_dues_codes, &cat_code);
    if (rc) return rc;
    if (!cat_code) cat_code = "regular";
    party_limits L;
    party_limits_load(&r->c, &L);
    int cat = party_enum_find(party_dues_categories, DUES__MAX, cat_code);
    int band = party_dues_band(&L, cat, base);
    json_t *b = json_null();
    if (band >= 0)
        b = L.bands[band].up_to_fen >= 0
                ? json_pack("{s:I, s:I}", "up_to_fen", (json_int_t)L.bands[band].up_to_fen,
                            "permille", (json_int_t)L.bands[band].permille)
                : json_pack("{s:n, s:I}", "up_to_fen", "permille",
                            (json_int_t)L.bands[band].permille);
    return req_json(r, 200,
                    json_pack("{s:I, s:s, s:I, s:o}", "base_fen", (json_int_t)base, "category",
                              cat_code, "due_fen", (json_int_t)party_dues_fen(&L, cat, base),
                              "band", b));
}

/* ---- instructors, demonstration points, visits ---- */

static int h_instructors(jc_req *r)
{
    const char *area = req_query(r, "area");
    if (!area || !area_code_level(area))
        return jc_fail(&r->c, JC_EINVAL, "invalid_parameter", "area", "area must be an area code",
                       "参数 area 须为区划代码");
    int rc = area_check(&r->c, area, "area");
    if (rc) return rc;
    json_t *items = json_array();
    if ((rc = db_party_instructors(&r->c, area, items))) {
        json_decref(items);
        return rc;
    }
    return req_json(r, 200, json_pack("{s:o}", "items", items));
}

static int h_stations(jc_req *r)
{
    party_filter f;
    int rc = read_filter(r, &f);
    if (rc) return rc;
    const char *who = req_query(r, "instructor");
    if (who && strcmp(who, "me") == 0)
        f.instructor_id = r->c.user->id;
    else if ((rc = req_query_int(r, "instructor", 0, 0, INT64_MAX, &f.instructor_id)))
        return rc;
    int64_t cur;
    if ((rc = req_query_int(r, "current", 0, 0, 1, &cur))) return rc;
    f.status = cur ? "current" : NULL;
    json_t *items = json_array();
    int64_t total;
    if ((rc = db_party_station_list(&r->c, &f, items, &total))) {
        json_decref(items);
        return rc;
    }
    return page_answer(r, &f, items, total);
}

static const field_spec station_spec[] = {
    {"unit_id", FT_INT, FF_REQUIRED, 1, INT64_MAX, NULL, "蹲点单位"},
    {"instructor_id", FT_INT, FF_REQUIRED, 1, INT64_MAX, NULL, "指导员"},
    {"goal", FT_TEXT, FF_REQUIRED | FF_MULTILINE, 1, 500, NULL, "蹲点目标"},
    {"since", FT_DATE, FF_REQUIRED, 0, 0, NULL, "开始日期"},
};

static int reply_station(jc_req *r, int status, int64_t id)
{
    json_t *s;
    const char *area;
    int64_t version;
    int rc = db_party_station_get(&r->c, id, &s, &area, &version);
    if (!rc) rc = area_check(&r->c, area, NULL);
    if (rc) return rc;
    req_etag(r, version);
    return req_json(r, status, json_incref(s));
}

static int h_station_create(jc_req *r)
{
    field_val v[4];
    int rc = input_parse(&r->c, r->json, station_spec, 4, v, NULL);
    if (rc) return rc;
    int64_t id;
    if ((rc = party_station_create(&r->c, v[0].i, v[1].i, v[2].s, v[3].s, &id))) return rc;
    return reply_station(r, 201, id);
}

static const field_spec station_edit_spec[] = {
    {"goal", FT_TEXT, FF_MULTILINE, 1, 500, NULL, "蹲点目标"},
    {"until", FT_DATE, 0, 0, 0, NULL, "结束日期"},
};

static int h_station_update(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    field_val v[2];
    if ((rc = input_parse(&r->c, r->json, station_edit_spec, 2, v, also_version))) return rc;
    if ((rc = party_station_edit(&r->c, id, version, v[0].s, v[1].s))) return rc;
    return reply_station(r, 200, id);
}

static int h_points(jc_req *r)
{
    party_filter f;
    int rc = read_filter(r, &f);
    if (rc) return rc;
    json_t *items = json_array();
    if ((rc = db_party_point_list(&r->c, &f, items))) {
        json_decref(items);
        return rc;
    }
    return req_json(r, 200, json_pack("{s:o}", "items", items));
}

static const field_spec point_spec[] = {
    {"category", FT_TEXT, FF_REQUIRED, 1, 50, NULL, "行业类别"},
    {"unit_id", FT_INT, FF_REQUIRED, 1, INT64_MAX, NULL, "示范单位"},
    {"chosen_on", FT_DATE, FF_REQUIRED, 0, 0, NULL, "确定日期"},
    {"note", FT_TEXT, FF_MULTILINE, 0, 1000, NULL, "说明"},
};

static int h_point_set(jc_req *r)
{
    field_val v[4];
    int rc = input_parse(&r->c, r->json, point_spec, 4, v, NULL);
    if (rc) return rc;
    int64_t id;
    if ((rc = party_point_set(&r->c, v[0].s, v[1].i, v[2].s, v[3].s, &id))) return rc;
    json_t *p;
    const char *area;
    int64_t version;
    if ((rc = db_party_point_get(&r->c, id, &p, &area, &version))) return rc;
    req_etag(r, version);
    return req_json(r, 200, json_incref(p));
}

static int h_visits(jc_req *r)
{
    party_filter f;
    int rc = read_filter(r, &f);
    if (!rc) rc = req_query_int(r, "instructor", 0, 0, INT64_MAX, &f.instructor_id);
    if (rc) return rc;
    json_t *items = json_array();
    int64_t total;
    if ((rc = db_party_visit_list(&r->c, &f, items, &total))) {
        json_decref(items);
        return rc;
    }
    return page_answer(r, &f, items, total);
}

static const field_spec visit_spec[] = {
    {"unit_id", FT_INT, FF_REQUIRED, 1, INT64_MAX, NULL, "单位"},
    {"date", FT_DATE, FF_REQUIRED, 0, 0, NULL, "日期"},
    {"kind", FT_ENUM, FF_REQUIRED, 0, 0, visit_kinds, "类型"},
    {"summary", FT_TEXT, FF_REQUIRED | FF_MULTILINE, 1, 2000, NULL, "情况"},
    {"advice", FT_TEXT, FF_MULTILINE, 0, 2000, NULL, "指导意见"},
    {"outcome", FT_TEXT, FF_MULTILINE, 0, 2000, NULL, "成效"},
};

static int h_visit_create(jc_req *r)
{
    field_val v[6];
    int rc = input_parse(&r->c, r->json, visit_spec, 6, v, NULL);
    if (rc) return rc;
    int64_t id;
    if ((rc = party_visit_create(&r->c, v[0].i, v[1].s, v[2].s, v[3].s, v[4].s, v[5].s, &id)))
        return rc;
    party_filter f = {.covered = true, .unit_id = v[0].i, .limit = 1};
    snprintf(f.hi, sizeof f.hi, "~");
    json_t *items = json_array();
    int64_t total;
    if ((rc = db_party_visit_list(&r->c, &f, items, &total))) {
        json_decref(items);
        return rc;
    }
    json_t *first = json_incref(json_array_get(items, 0));
    json_decref(items);
    return req_json(r, 201, first);
}

/* ---- services and matches ---- */

static int h_services(jc_req *r)
{
    party_filter f;
    int rc = read_filter(r, &f);
    if (!rc) rc = enum_param(r, "list", party_list_codes, &f.list);
    if (!rc && qparam(r, "active")) {
        int64_t a;
        if ((rc = req_query_int(r, "active", 0, 0, 1, &a))) return rc;
        f.status = a ? "active" : NULL;
    }
    if (rc) return rc;
    json_t *items = json_array();
    int64_t total;
    if ((rc = db_party_service_list(&r->c, &f, items, &total))) {
        json_decref(items);
        return rc;
    }
    return page_answer(r, &f, items, total);
}

static const field_spec service_spec[] = {
    {"area", FT_AREA, FF_REQUIRED, 0, 0, NULL, "所属区域"},
    {"list", FT_ENUM, FF_REQUIRED, 0, 0, party_list_codes, "清单"},
    {"title", FT_TEXT, FF_REQUIRED, 1, 100, NULL, "名称"},
    {"description", FT_TEXT, FF_MULTILINE, 0, 2000, NULL, "内容"},
    {"provider", FT_TEXT, 0, 0, 100, NULL, "提供方/提出方"},
    {"unit_id", FT_INT, FF_NULLABLE, 1, INT64_MAX, NULL, "企业"},
    {"contact", FT_TEXT, 0, 0, 100, NULL, "联系方式"},
    {"active", FT_BOOL, 0, 0, 0, NULL, "有效"},
};

static int reply_service(jc_req *r, int status, int64_t id)
{
    json_t *s;
    int rc = db_party_service_get(&r->c, id, &s);
    if (!rc) rc = area_check(&r->c, json_string_value(json_object_get(s, "area")), NULL);
    if (rc) return rc;
    req_etag(r, json_integer_value(json_object_get(s, "version")));
    return req_json(r, status, json_incref(s));
}

static int h_service_create(jc_req *r)
{
    field_val v[8];
    int rc = input_parse(&r->c, r->json, service_spec, 8, v, NULL);
    if (rc) return rc;
    if (v[7].present && !v[7].i)
        return jc_fail(&r->c, JC_EINVAL, "invalid_field", "active", "a new item starts active",
                       "新建的清单项须为有效状态");
    int64_t id;
    if ((rc = party_service_create(&r->c, v[0].s, v[1].s, v[2].s, v[3].s, v[4].s,
                                   v[5].present && !v[5].null ? v[5].i : 0, v[6].s, &id)))
        return rc;
    return reply_service(r, 201, id);
}

static int h_service_update(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    field_spec spec[8];
    memcpy(spec, service_spec, sizeof spec);
    for (int i = 0; i < 8; i++) spec[i].flags &= ~(unsigned)FF_REQUIRED;
    field_val v[8];
    if ((rc = input_parse(&r->c, r->json, spec, 8, v, also_version))) return rc;
    const char *fixed = v[0].present   ? "area"
                        : v[1].present ? "list"
                        : v[5].present ? "unit_id"
                                       : NULL;
    if (fixed)
        return jc_fail(&r->c, JC_EINVAL, "invalid_field", fixed,
                       "area, list and enterprise of an item do not change",
                       "清单项的区域、所属清单和企业不能修改");
    if (v[2].present && jc_blank(v[2].s))
        return jc_fail(&r->c, JC_EINVAL, "required", "title", "title is required", "名称为必填项");
    bool active = v[7].i != 0;
    if ((rc = party_service_edit(&r->c, id, version, v[2].s, v[3].s, v[4].s, v[6].s,
                                 v[7].present ? &active : NULL)))
        return rc;
    return reply_service(r, 200, id);
}

static int h_matches(jc_req *r)
{
    static const char *const states[] = {"matched", "in_progress", "done", "cancelled", NULL};
    party_filter f;
    int rc = read_filter(r, &f);
    if (!rc) rc = enum_param(r, "state", states, &f.state);
    if (!rc) rc = req_query_int(r, "need", 0, 0, INT64_MAX, &f.need_id);
    if (!rc) rc = req_query_int(r, "offer", 0, 0, INT64_MAX, &f.offer_id);
    if (rc) return rc;
    json_t *items = json_array();
    int64_t total;
    if ((rc = db_party_match_list(&r->c, &f, items, &total))) {
        json_decref(items);
        return rc;
    }
    size_t i;
    json_t *m;
    json_array_foreach(items, i, m) json_object_set_new(
        m, "actions",
        json_incref(wf_allowed(&r->c, &party_match_wf,
                               json_string_value(json_object_get(m, "state")), false)));
    return page_answer(r, &f, items, total);
}

static int reply_match(jc_req *r, int status, int64_t id)
{
    json_t *m;
    int rc = db_party_match_get(&r->c, id, &m);
    if (!rc) rc = area_check(&r->c, json_string_value(json_object_get(m, "area")), NULL);
    if (rc) return rc;
    json_t *out = json_deep_copy(m);
    json_object_set_new(
        out, "actions",
        json_incref(wf_allowed(&r->c, &party_match_wf,
                               json_string_value(json_object_get(m, "state")), false)));
    req_etag(r, json_integer_value(json_object_get(m, "version")));
    return req_json(r, status, out);
}

static const field_spec match_spec[] = {
    {"need_id", FT_INT, FF_REQUIRED, 1, INT64_MAX, NULL, "群众需求"},
    {"offer_id", FT_INT, FF_REQUIRED, 1, INT64_MAX, NULL, "服务资源"},
    {"date", FT_DATE, FF_REQUIRED, 0, 0, NULL, "对接日期"},
    {"note", FT_TEXT, FF_MULTILINE, 0, 1000, NULL, "说明"},
};

static int h_match_create(jc_req *r)
{
    field_val v[4];
    int rc = input_parse(&r->c, r->json, match_spec, 4, v, NULL);
    if (rc) return rc;
    int64_t id;
    if ((rc = party_match_create(&r->c, v[0].i, v[1].i, v[2].s, v[3].s, &id))) return rc;
    return reply_match(r, 201, id);
}

static const field_spec match_tr_spec[] = {
    {"action", FT_TEXT, FF_REQUIRED, 1, 32, NULL, "操作"},
    {"note", FT_TEXT, FF_MULTILINE, 0, 2000, NULL, "成效"},
    {"reason", FT_TEXT, FF_MULTILINE, 0, 2000, NULL, "原因"},
    {"beneficiaries", FT_INT, 0, 0, 1000000, NULL, "受益人数"},
    {"date", FT_DATE, 0, 0, 0, NULL, "日期"},
};

static int h_match_transition(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    field_val v[5];
    if ((rc = input_parse(&r->c, r->json, match_tr_spec, 5, v, also_version))) return rc;
    if ((rc = party_match_transition(&r->c, id, version, v[0].s, v[1].s, v[2].s,
                                     v[3].present ? &v[3].i : NULL, v[4].s)))
        return rc;
    return reply_match(r, 200, id);
}

/* ---- joint meetings ---- */

static int h_meetings(jc_req *r)
{
    party_filter f;
    int rc = read_filter(r, &f);
    if (rc) return rc;
    json_t *items = json_array();
    int64_t total;
    if ((rc = db_party_meeting_list(&r->c, &f, items, &total))) {
        json_decref(items);
        return rc;
    }
    return page_answer(r, &f, items, total);
}

static const field_spec meeting_spec[] = {
    {"area", FT_AREA, FF_REQUIRED, 0, 0, NULL, "所属区域"},
    {"title", FT_TEXT, FF_REQUIRED, 1, 100, NULL, "会议名称"},
    {"held_on", FT_DATE, FF_REQUIRED, 0, 0, NULL, "会议日期"},
    {"place", FT_TEXT, 0, 0, 100, NULL, "地点"},
    {"host", FT_TEXT, 0, 0, 40, NULL, "主持人"},
    {"attendees", FT_JSON, 0, 0, 0, NULL, "参会人员"},
    {"decisions", FT_JSON, 0, 0, 0, NULL, "议定事项"},
    {"minutes", FT_TEXT, FF_MULTILINE, 0, 8000, NULL, "会议纪要"},
};

static int reply_meeting(jc_req *r, int status, int64_t id)
{
    json_t *m;
    int rc = db_party_meeting_get(&r->c, id, &m);
    if (!rc) rc = area_check(&r->c, json_string_value(json_object_get(m, "area")), NULL);
    if (rc) return rc;
    req_etag(r, json_integer_value(json_object_get(m, "version")));
    return req_json(r, status, json_incref(m));
}

static int h_meeting_create(jc_req *r)
{
    field_val v[8];
    int rc = input_parse(&r->c, r->json, meeting_spec, 8, v, NULL);
    if (rc) return rc;
    int64_t id;
    if ((rc = party_meeting_save(&r->c, 0, 0, v[0].s, v[1].s, v[2].s, v[3].s, v[4].s, v[5].j,
                                 v[6].j, v[7].s, &id)))
        return rc;
    return reply_meeting(r, 201, id);
}

static int h_meeting_get(jc_req *r)
{
    int64_t id;
    int rc = req_var_id(r, 0, &id);
    if (rc) return rc;
    return reply_meeting(r, 200, id);
}

static int h_meeting_update(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    field_spec spec[8];
    memcpy(spec, meeting_spec, sizeof spec);
    for (int i = 0; i < 8; i++) spec[i].flags &= ~(unsigned)FF_REQUIRED;
    field_val v[8];
    if ((rc = input_parse(&r->c, r->json, spec, 8, v, also_version))) return rc;
    if (v[0].present)
        return jc_fail(&r->c, JC_EINVAL, "invalid_field", "area",
                       "the area of a meeting does not change", "会议的所属区域不能修改");
    if (v[1].present && jc_blank(v[1].s))
        return jc_fail(&r->c, JC_EINVAL, "required", "title", "title is required",
                       "会议名称为必填项");
    int64_t out;
    if ((rc = party_meeting_save(&r->c, id, version, NULL, v[1].s, v[2].s, v[3].s, v[4].s, v[5].j,
                                 v[6].j, v[7].s, &out)))
        return rc;
    return reply_meeting(r, 200, id);
}

/* ---- the module ---- */

static const jc_route party_routes[] = {
    {"GET", "/api/v1/party/meta", h_meta, PARTY, 0, 0},
    {"GET", "/api/v1/party/coverage", h_coverage, PARTY, 0, 0},
    {"GET", "/api/v1/party/coverage/history", h_coverage_history, PARTY, 0, 0},
    {"GET", "/api/v1/party/warnings", h_warnings, PARTY, 0, 0},
    {"GET", "/api/v1/party/warnings/export", h_warnings_export, PARTY, 0, 0},
    {"GET", "/api/v1/party/map", h_map, PARTY, 0, 0},
    {"GET", "/api/v1/party/units", h_units, PARTY, 0, 0},
    {"POST", "/api/v1/party/units", h_unit_create, STAFF, 0, WRITE_LIMIT},
    {"GET", "/api/v1/party/units/export", h_units_export, PARTY, 0, 0},
    {"POST", "/api/v1/party/units/import", h_unit_import, STAFF, RT_RAW_BODY, IMPORT_LIMIT},
    {"GET", "/api/v1/party/units/import/template", h_unit_template, PARTY, 0, 0},
    {"GET", "/api/v1/party/units/{id}", h_unit_get, PARTY, 0, 0},
    {"PATCH", "/api/v1/party/units/{id}", h_unit_update, STAFF, 0, WRITE_LIMIT},
    {"PUT", "/api/v1/party/units/{id}/incubation", h_unit_plan, PARTY, 0, WRITE_LIMIT},
    {"GET", "/api/v1/party/incubation", h_board, PARTY, 0, 0},
    {"GET", "/api/v1/party/orgs", h_orgs, PARTY, 0, 0},
    {"POST", "/api/v1/party/orgs", h_org_create, STAFF, 0, WRITE_LIMIT},
    {"GET", "/api/v1/party/orgs/export", h_orgs_export, PARTY, 0, 0},
    {"GET", "/api/v1/party/orgs/{id}", h_org_get, PARTY, 0, 0},
    {"PATCH", "/api/v1/party/orgs/{id}", h_org_update, STAFF, 0, WRITE_LIMIT},
    {"PUT", "/api/v1/party/orgs/{id}/units", h_org_units, STAFF, 0, WRITE_LIMIT},
    {"POST", "/api/v1/party/orgs/{id}/transitions", h_org_transition, PARTY, 0, WRITE_LIMIT},
    {"GET", "/api/v1/party/members", h_members, PARTY, 0, 0},
    {"POST", "/api/v1/party/members", h_member_create, STAFF, 0, WRITE_LIMIT},
    {"GET", "/api/v1/party/members/export", h_members_export, PARTY, 0, 0},
    {"GET", "/api/v1/party/members/{id}", h_member_get, PARTY, 0, 0},
    {"PATCH", "/api/v1/party/members/{id}", h_member_update, STAFF, 0, WRITE_LIMIT},
    {"POST", "/api/v1/party/members/{id}/pipeline", h_member_pipeline, STAFF, 0, WRITE_LIMIT},
    {"POST", "/api/v1/party/members/{id}/transfers", h_member_transfer, STAFF, 0, WRITE_LIMIT},
    {"GET", "/api/v1/party/members/{id}/dues", h_member_dues, PARTY, 0, 0},
    {"POST", "/api/v1/party/members/{id}/dues", h_member_pay, STAFF, 0, WRITE_LIMIT},
    {"GET", "/api/v1/party/dues", h_dues, PARTY, 0, 0},
    {"GET", "/api/v1/party/dues/calc", h_dues_calc, PARTY, 0, 0},
    {"GET", "/api/v1/party/instructors", h_instructors, PARTY, 0, 0},
    {"GET", "/api/v1/party/stations", h_stations, PARTY, 0, 0},
    {"POST", "/api/v1/party/stations", h_station_create, STAFF, 0, WRITE_LIMIT},
    {"PATCH", "/api/v1/party/stations/{id}", h_station_update, STAFF, 0, WRITE_LIMIT},
    {"GET", "/api/v1/party/demo-points", h_points, PARTY, 0, 0},
    {"POST", "/api/v1/party/demo-points", h_point_set, STAFF, 0, WRITE_LIMIT},
    {"GET", "/api/v1/party/visits", h_visits, PARTY, 0, 0},
    {"POST", "/api/v1/party/visits", h_visit_create, PARTY, 0, WRITE_LIMIT},
    {"GET", "/api/v1/party/services", h_services, PARTY, 0, 0},
    {"POST", "/api/v1/party/services", h_service_create, PARTY, 0, WRITE_LIMIT},
    {"PATCH", "/api/v1/party/services/{id}", h_service_update, PARTY, 0, WRITE_LIMIT},
    {"GET", "/api/v1/party/matches", h_matches, PARTY, 0, 0},
    {"POST", "/api/v1/party/matches", h_match_create, PARTY, 0, WRITE_LIMIT},
    {"POST", "/api/v1/party/matches/{id}/transitions", h_match_transition, PARTY, 0, WRITE_LIMIT},
    {"GET", "/api/v1/party/meetings", h_meetings, PARTY, 0, 0},
    {"POST", "/api/v1/party/meetings", h_meeting_create, PARTY, 0, WRITE_LIMIT},
    {"GET", "/api/v1/party/meetings/{id}", h_meeting_get, PARTY, 0, 0},
    {"PATCH", "/api/v1/party/meetings/{id}", h_meeting_update, PARTY, 0, WRITE_LIMIT},
};

static const jc_command party_cli[] = {
    {"party fill", "bench data: many 两新组织 and members (demo databases only; no audit)",
     party_cli_fill},
    {"party bench", "time coverage against SELECT count(*) of the members (bench/party.sh)",
     party_cli_bench},
};

const jc_module party_module = {
    .name = "party",
    .migrations = party_migrations,
    .nmigrations = 1,
    .routes = party_routes,
    .nroutes = JC_NELEM(party_routes),
    .config = party_config,
    .nconfig = PARTY_NCONFIG,
    .demo = party_demo,
    .commands = party_cli,
    .ncommands = JC_NELEM(party_cli),
};
