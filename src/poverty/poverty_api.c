/* poverty_api.c — HTTP handlers of the registry (households, persons, status, 公示, statistics,
 * import and export), the route table of the whole module, and its jc_module. Inputs are checked
 * by field_spec tables; the rules are in poverty.c. */
#include "poverty_api.h"
#include "../app.h"

#include <stdlib.h>
#include <string.h>

/* ---- shared helpers ---- */

int pva_scope(jc_req *r, char lo[16], char hi[17], bool *covered)
{
    return area_filter(&r->c, req_query(r, "area"), lo, hi, covered);
}

int pva_page(jc_req *r, int64_t *limit, int64_t *offset)
{
    int64_t page, per_page;
    int rc = req_page(r, &page, &per_page);
    if (rc) return rc;
    *limit = per_page;
    *offset = (page - 1) * per_page;
    return JC_OK;
}

int pva_list(jc_req *r, json_t *items, int64_t total, int64_t limit, int64_t offset, json_t *extra)
{
    json_t *o = json_pack("{s:O, s:I, s:I, s:I}", "items", items, "total", (json_int_t)total,
                          "page", (json_int_t)(offset / limit + 1), "per_page", (json_int_t)limit);
    if (!o) return JC_ENOMEM;
    if (extra) json_object_update(o, extra);
    return req_json(r, 200, o);
}

int pva_record(jc_req *r, int status, json_t *o, const char *location_fmt, int64_t id)
{
    if (!o) return JC_ENOMEM;
    json_t *v = json_object_get(o, "version");
    if (json_is_integer(v)) req_etag(r, json_integer_value(v));
    if (status == 201 && location_fmt)
        req_set_header(r, "Location", arena_printf(r->c.a, location_fmt, (long long)id));
    return req_json(r, status, json_incref(o));
}

static void free_cb(void *p)
{
    free(p);
}

int pva_xlsx(jc_req *r, void *data, size_t len, const char *name)
{
    if (arena_defer(r->c.a, free_cb, data)) return JC_ENOMEM;
    r->raw = data;
    r->raw_len = len;
    r->raw_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    char today[11];
    jc_date_local(r->c.now, today);
    req_set_header(
        r, "Content-Disposition",
        arena_printf(r->c.a, "attachment; filename=\"poverty-%s-%s.xlsx\"", name, today));
    r->status = 200;
    return JC_OK;
}

int pva_query_id(jc_req *r, const char *key, int64_t *out)
{
    return req_query_int(r, key, 0, 0, INT64_MAX, out);
}

/* ---- meta ---- */

static json_t *string_list(const char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(a, json_string(v[i]));
    return a;
}

static int h_meta(jc_req *r)
{
    jc_ctx *c = &r->c;
    json_t *statuses = json_array();
    for (int i = 0; i < PV_STATUS__MAX; i++) {
        json_t *kinds = json_array(), *to = pv_allowed_from(pv_statuses[i].code);
        for (const pv_kind *k = pv_statuses[i].kinds; k && k->code; k++)
            json_array_append_new(
                kinds, json_pack("{s:s, s:s, s:s}", "code", k->code, "zh", k->zh, "en", k->en));
        json_array_append_new(
            statuses, json_pack("{s:s, s:s, s:s, s:o, s:o, s:b}", "code", pv_statuses[i].code, "zh",
                                pv_statuses[i].zh, "en", pv_statuses[i].en, "kinds", kinds, "next",
                                to, "needs_notice", pv_notice_needed(c, pv_statuses[i].code)));
    }
    json_t *types = json_array();
    for (int i = 0; i < PV_CH__MAX; i++)
        json_array_append_new(types,
                              json_pack("{s:s, s:s, s:s, s:b}", "code", pv_change_types[i].code,
                                        "zh", pv_change_types[i].zh, "en", pv_change_types[i].en,
                                        "counts_households", pv_change_types[i].count_households));
    static const char *const reasons[][3] = {{"deceased", "死亡", "died"},
                                             {"married_out", "婚出", "married out"},
                                             {"moved_out", "迁出", "moved away"},
                                             {"other", "其他", "other"}};
    json_t *leave = json_array();
    for (size_t i = 0; i < JC_NELEM(reasons); i++)
        json_array_append_new(leave, json_pack("{s:s, s:s, s:s}", "code", reasons[i][0], "zh",
                                               reasons[i][1], "en", reasons[i][2]));
    static const char *const levels[][3] = {{"secondary", "中职", "secondary vocational"},
                                            {"higher", "高职", "higher vocational"}};
    json_t *yl = json_array();
    for (size_t i = 0; i < JC_NELEM(levels); i++)
        json_array_append_new(yl, json_pack("{s:s, s:s, s:s}", "code", levels[i][0], "zh",
                                            levels[i][1], "en", levels[i][2]));
    static const char *const focus[] = {"key", "registered"};
    json_t *o = json_pack(
        "{s:o, s:s, s:O, s:O, s:O, s:O, s:I, s:O, s:I, s:O, s:O, s:o, s:o, s:o, s:o, s:o, s:b, "
        "s:b, s:b}",
        "statuses", statuses, "registered_tag", PV_TAG_REGISTERED, "key_categories",
        config_get(c, "poverty.key_categories"), "relations", config_get(c, "poverty.relations"),
        "project_types", config_get(c, "poverty.project_types"), "fund_levels",
        config_get(c, "poverty.fund_levels"), "notice_days",
        (json_int_t)config_get_int(c, "poverty.notice_days", 7), "notice_statuses",
        config_get(c, "poverty.notice_statuses"), "yulu_annual_fen",
        (json_int_t)config_get_int(c, "poverty.yulu_annual_fen", 300000), "yulu_eligible_statuses",
        config_get(c, "poverty.yulu_eligible_statuses"), "poverty_line",
        config_get(c, "poverty.poverty_line"), "change_types", types, "change_workflow",
        json_incref(wf_describe(c, &pv_change_wf)), "leave_reasons", leave, "yulu_levels", yl,
        "focus", string_list(focus, 2), "pii", pv_pii(c), "can_write",
        jc_user_has(c->user, PV_WRITERS), "can_approve", jc_user_has(c->user, PV_APPROVERS));
    return req_json(r, 200, o);
}

/* ---- households ---- */

static int read_hh_filter(jc_req *r, pv_hh_filter *f)
{
    memset(f, 0, sizeof *f);
    int rc = pva_scope(r, f->lo, f->hi, &f->covered);
    if (!rc) rc = pva_page(r, &f->limit, &f->offset);
    if (rc) return rc;
#define Q(name) (req_query(r, name) && *req_query(r, name) ? req_query(r, name) : NULL)
    f->tag = Q("tag");
    f->status = Q("status");
    f->q = Q("q");
    const char *focus = Q("focus");
#undef Q
    if (f->status && pv_status_from_code(f->status) == PV_STATUS__MAX)
        return jc_fail(&r->c, JC_EINVAL, "invalid_parameter", "status",
                       "status must be none, poor, exited, stable, returned or monitored",
                       "status 须为 none、poor、exited、stable、returned 或 monitored");
    if (focus && strcmp(focus, "key") == 0)
        f->key_only = true;
    else if (focus && strcmp(focus, "registered") == 0)
        f->tag = PV_TAG_REGISTERED;
    else if (focus)
        return jc_fail(&r->c, JC_EINVAL, "invalid_parameter", "focus",
                       "focus must be key or registered", "focus 须为 key 或 registered");
    return JC_OK;
}

struct list_arg {
    json_t *items;
    bool pii;
};

static int add_household(jc_ctx *c, const pv_household *h, void *arg)
{
    struct list_arg *a = arg;
    json_array_append(a->items, pv_household_json(c, h, a->pii));
    return JC_OK;
}

static int h_households(jc_req *r)
{
    pv_hh_filter f;
    int rc = read_hh_filter(r, &f);
    if (rc) return rc;
    struct list_arg a = {jc_own(&r->c, json_array()), pv_pii(&r->c)};
    int64_t total;
    if ((rc = db_pv_household_list(&r->c, &f, add_household, &a, &total))) return rc;
    return pva_list(r, a.items, total, f.limit, f.offset, NULL);
}

static int add_person(jc_ctx *c, const pv_person *p, void *arg)
{
    struct list_arg *a = arg;
    json_t *o = pv_person_json(c, p, a->pii);
    json_object_set_new(o, "household_no",
                        p->household_no ? json_string(p->household_no) : json_null());
    json_array_append(a->items, o);
    return JC_OK;
}

static int household_reply(jc_req *r, int status, int64_t id, bool location);

static int add_yulu(jc_ctx *c, const pv_yulu *y, void *arg)
{
    struct list_arg *a = arg;
    json_array_append(a->items, pv_yulu_json(c, y, a->pii));
    return JC_OK;
}

static int household_detail(jc_req *r, int status, int64_t id)
{
    return household_reply(r, status, id, true);
}

static int household_reply(jc_req *r, int status, int64_t id, bool location)
{
    jc_ctx *c = &r->c;
    pv_household h;
    int rc = pv_household_read(c, id, &h);
    if (rc) return rc;
    bool pii = pv_pii(c);
    json_t *o = pv_household_json(c, &h, pii);
    struct list_arg members = {jc_own(c, json_array()), pii};
    json_t *history, *notices, *findings, *membership;
    if ((rc = db_pv_members(c, id, add_person, &members))) return rc;
    if ((rc = db_pv_status_history(c, id, &history))) return rc;
    if ((rc = db_pv_notices_json(c, id, 0, &notices))) return rc;
    if ((rc = pv_household_findings(c, id, &findings))) return rc;
    if ((rc = db_pv_member_history(c, id, pii, &membership))) return rc;
    pv_yulu_filter yf = {.lo = "", .hi = "~", .covered = true, .household_id = id, .limit = 100};
    struct list_arg ya = {jc_own(c, json_array()), pii};
    int64_t n, a, p;
    if ((rc = db_pv_yulu_list(c, &yf, add_yulu, &ya, &n, &a, &p))) return rc;
    json_object_set(o, "subsidies", ya.items);
    json_object_set(o, "persons", members.items);
    json_object_set(o, "status_history", history);
    json_object_set(o, "notices", notices);
    json_object_set(o, "findings", findings);
    json_object_set(o, "membership_history", membership);
    json_object_set_new(o, "next_statuses", pv_allowed_from(h.status));
    json_object_set_new(o, "can_write", json_boolean(jc_user_has(c->user, PV_WRITERS)));
    return pva_record(r, status, o, location ? "/api/v1/poverty/households/%lld" : NULL, id);
}

static const char *const status_codes[] = {"none",     "poor",      "exited", "stable",
                                           "returned", "monitored", NULL};

static const field_spec hh_spec[] = {
    {"area", FT_AREA, FF_REQUIRED, 0, 0, NULL, "所属行政村"},
    {"household_no", FT_TEXT, FF_NULLABLE, 0, 40, NULL, "户编号"},
    {"address", FT_TEXT, 0, 0, 200, NULL, "地址"},
    {"phone", FT_TEXT, FF_NULLABLE, 0, 20, NULL, "联系电话"},
    {"note", FT_TEXT, FF_MULTILINE, 0, 2000, NULL, "备注"},
    {"tags", FT_STRLIST, 0, 0, 24, NULL, "标签"},
    {"status", FT_ENUM, 0, 0, 0, status_codes, "状态"},
    {"kind", FT_TEXT, 0, 0, 20, NULL, "属性"},
    {"effective_date", FT_DATE, 0, 0, 0, NULL, "生效日期"},
    {"persons", FT_JSON, 0, 0, 0, NULL, "家庭成员"},
};
enum {
    HS_AREA,
    HS_NO,
    HS_ADDRESS,
    HS_PHONE,
    HS_NOTE,
    HS_TAGS,
    HS_STATUS,
    HS_KIND,
    HS_DATE,
    HS_PERSONS,
    HS__N
};

/* persons: [{name, citizen_id, relation, sex?, birth_date?, phone?}] from a JSON body */
static int persons_from_json(jc_ctx *c, json_t *arr, pv_person_in **out, int *n)
{
    static const char *const keys[] = {"name",       "citizen_id", "relation", "sex",
                                       "birth_date", "phone",      NULL};
    *n = 0;
    *out = NULL;
    if (!arr) return JC_OK;
    if (!json_is_array(arr) || json_array_size(arr) > 30)
        return jc_fail(c, JC_EINVAL, "invalid_field", "persons",
                       "persons must be a list of at most 30 persons",
                       "家庭成员须为不超过30人的列表");
    *n = (int)json_array_size(arr);
    *out = arena_calloc(c->a, sizeof **out * (size_t)(*n + 1));
    if (!*out) return JC_ENOMEM;
    for (int i = 0; i < *n; i++) {
        json_t *p = json_array_get(arr, (size_t)i), *v;
        const char *k;
        if (!json_is_object(p))
            return jc_fail(c, JC_EINVAL, "invalid_field", "persons",
                           "every person must be an object", "每名成员须为对象");
        json_object_foreach(p, k, v)
        {
            bool ok = false;
            for (const char *const *a = keys; *a && !ok; a++) ok = strcmp(*a, k) == 0;
            const char *f = arena_printf(c->a, "persons[%d].%s", i, k);
            if (!ok)
                return jc_fail(c, JC_EINVAL, "unknown_field", f,
                               arena_printf(c->a, "unknown field '%s'", f),
                               arena_printf(c->a, "不认识的字段「%s」", f));
            if (strcmp(k, "sex") == 0) {
                if (!json_is_null(v) && (!json_is_integer(v) || (json_integer_value(v) != 1 &&
                                                                 json_integer_value(v) != 2)))
                    return jc_fail(c, JC_EINVAL, "invalid_field", f, "sex must be 1 or 2",
                                   "性别须为 1(男)或 2(女)");
                (*out)[i].sex = json_is_integer(v) ? json_integer_value(v) : 0;
                continue;
            }
            if (json_is_null(v)) continue;
            if (!json_is_string(v) || jc_has_control(json_string_value(v)) ||
                json_string_length(v) > 200)
                return jc_fail(c, JC_EINVAL, "invalid_field", f,
                               arena_printf(c->a, "%s must be a text", f),
                               arena_printf(c->a, "%s须为文字", f));
            const char *s = json_string_value(v);
            if (strcmp(k, "name") == 0) (*out)[i].name = s;
            if (strcmp(k, "citizen_id") == 0) (*out)[i].citizen_id = s;
            if (strcmp(k, "relation") == 0) (*out)[i].relation = s;
            if (strcmp(k, "birth_date") == 0) (*out)[i].birth_date = s;
            if (strcmp(k, "phone") == 0) (*out)[i].phone = s;
        }
    }
    return JC_OK;
}

static int h_household_create(jc_req *r)
{
    field_val v[HS__N];
    int rc = input_parse(&r->c, r->json, hh_spec, HS__N, v, NULL);
    if (rc) return rc;
    pv_household_in in = {0};
    in.area_code = v[HS_AREA].s;
    in.household_no = v[HS_NO].null ? NULL : v[HS_NO].s;
    in.address = v[HS_ADDRESS].s;
    in.phone = v[HS_PHONE].null ? NULL : v[HS_PHONE].s;
    in.note = v[HS_NOTE].s;
    in.tags = v[HS_TAGS].list;
    in.ntags = v[HS_TAGS].nlist;
    in.status = v[HS_STATUS].s;
    in.kind = v[HS_KIND].s;
    in.effective_date = v[HS_DATE].s;
    if ((rc = persons_from_json(&r->c, v[HS_PERSONS].j, &in.persons, &in.npersons))) return rc;
    int64_t id;
    if ((rc = pv_household_create(&r->c, &in, &id))) return rc;
    return household_detail(r, 201, id);
}

static int h_household_get(jc_req *r)
{
    int64_t id;
    int rc = req_var_id(r, 0, &id);
    if (rc) return rc;
    return household_detail(r, 200, id);
}

static int h_household_update(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    static const field_spec spec[] = {
        {"household_no", FT_TEXT, 0, 1, 40, NULL, "户编号"},
        {"address", FT_TEXT, 0, 0, 200, NULL, "地址"},
        {"phone", FT_TEXT, FF_NULLABLE, 0, 20, NULL, "联系电话"},
        {"note", FT_TEXT, FF_MULTILINE, 0, 2000, NULL, "备注"},
        {"tags", FT_STRLIST, 0, 0, 24, NULL, "标签"},
    };
    field_val v[5];
    static const char *const also[] = {"version", NULL};
    if ((rc = input_parse(&r->c, r->json, spec, 5, v, also))) return rc;
    pv_household_in in = {0};
    in.household_no = v[0].s;
    in.address = v[1].s;
    in.phone = v[2].present ? (v[2].null ? "" : v[2].s) : NULL;
    in.note = v[3].s;
    in.tags = v[4].list;
    in.ntags = v[4].nlist;
    if ((rc = pv_household_edit(&r->c, id, version, &in, v[4].present))) return rc;
    return household_detail(r, 200, id);
}

static int h_household_status(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    static const field_spec spec[] = {
        {"status", FT_ENUM, FF_REQUIRED, 0, 0, status_codes, "状态"},
        {"kind", FT_TEXT, 0, 0, 20, NULL, "属性"},
        {"effective_date", FT_DATE, 0, 0, 0, NULL, "生效日期"},
        {"reason", FT_TEXT, FF_REQUIRED | FF_MULTILINE, 1, 2000, NULL, "变更原因"},
    };
    field_val v[4];
    static const char *const also[] = {"version", NULL};
    if ((rc = input_parse(&r->c, r->json, spec, 4, v, also))) return rc;
    if ((rc = pv_status_change(&r->c, id, version, v[0].s, v[1].s, v[2].s, v[3].s))) return rc;
    return household_detail(r, 200, id);
}

static const field_spec person_spec[] = {
    {"name", FT_TEXT, FF_REQUIRED, 1, 50, NULL, "姓名"},
    {"citizen_id", FT_TEXT, FF_REQUIRED, 1, 18, NULL, "身份证号"},
    {"relation", FT_TEXT, FF_REQUIRED, 1, 20, NULL, "与户主关系"},
    {"sex", FT_INT, 0, 1, 2, NULL, "性别"},
    {"birth_date", FT_DATE, 0, 0, 0, NULL, "出生日期"},
    {"phone", FT_TEXT, 0, 0, 20, NULL, "联系电话"},
    {"from", FT_DATE, 0, 0, 0, NULL, "入户日期"},
};

static int h_household_add_person(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    field_val v[7];
    static const char *const also[] = {"version", NULL};
    if ((rc = input_parse(&r->c, r->json, person_spec, 7, v, also))) return rc;
    pv_person_in in = {v[0].s, v[1].s, v[2].s, v[5].s, v[4].s, v[3].present ? v[3].i : 0};
    int64_t pid;
    if ((rc = pv_household_add_person(&r->c, id, version, &in, v[6].s, &pid))) return rc;
    req_set_header(r, "Location",
                   arena_printf(r->c.a, "/api/v1/poverty/persons/%lld", (long long)pid));
    return household_reply(r, 201, id, false);
}

/* ---- persons ---- */

static int h_persons(jc_req *r)
{
    pv_person_filter f = {0};
    int rc = pva_scope(r, f.lo, f.hi, &f.covered);
    if (!rc) rc = pva_page(r, &f.limit, &f.offset);
    if (!rc) rc = pva_query_id(r, "household", &f.household_id);
    if (rc) return rc;
    const char *q = req_query(r, "q"), *state = req_query(r, "state");
    f.q = q && *q ? q : NULL;
    f.state = state && *state ? state : NULL;
    if (f.state && strcmp(f.state, "alive") && strcmp(f.state, "moved") &&
        strcmp(f.state, "deceased"))
        return jc_fail(&r->c, JC_EINVAL, "invalid_parameter", "state",
                       "state must be alive, moved or deceased",
                       "state 须为 alive、moved 或 deceased");
    struct list_arg a = {jc_own(&r->c, json_array()), pv_pii(&r->c)};
    int64_t total;
    if ((rc = db_pv_person_list(&r->c, &f, add_person, &a, &total))) return rc;
    return pva_list(r, a.items, total, f.limit, f.offset, NULL);
}

static int person_reply(jc_req *r, int64_t id)
{
    pv_person p;
    int rc = pv_person_read(&r->c, id, &p);
    if (rc) return rc;
    json_t *o = pv_person_json(&r->c, &p, pv_pii(&r->c));
    json_object_set_new(o, "household_no",
                        p.household_no ? json_string(p.household_no) : json_null());
    pv_yulu_filter yf = {.lo = "", .hi = "~", .covered = true, .person_id = id, .limit = 50};
    struct list_arg ya = {jc_own(&r->c, json_array()), pv_pii(&r->c)};
    int64_t n, a, pd;
    if ((rc = db_pv_yulu_list(&r->c, &yf, add_yulu, &ya, &n, &a, &pd))) return rc;
    json_object_set(o, "subsidies", ya.items);
    return pva_record(r, 200, o, NULL, id);
}

static int h_person_get(jc_req *r)
{
    int64_t id;
    int rc = req_var_id(r, 0, &id);
    if (rc) return rc;
    return person_reply(r, id);
}

static int h_person_update(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    static const field_spec spec[] = {
        {"name", FT_TEXT, 0, 1, 50, NULL, "姓名"},
        {"phone", FT_PHONE, FF_NULLABLE, 0, 0, NULL, "联系电话"},
        {"relation", FT_TEXT, 0, 1, 20, NULL, "与户主关系"},
    };
    field_val v[3];
    static const char *const also[] = {"version", NULL};
    if ((rc = input_parse(&r->c, r->json, spec, 3, v, also))) return rc;
    if ((rc = pv_person_edit(&r->c, id, version, v[0].s, v[1].null ? NULL : v[1].s, v[2].s,
                             v[1].present && v[1].null)))
        return rc;
    return person_reply(r, id);
}

/* ---- 公示 ---- */

static int h_notices(jc_req *r)
{
    pv_notice_filter f = {0};
    int rc = pva_scope(r, f.lo, f.hi, &f.covered);
    if (!rc) rc = pva_page(r, &f.limit, &f.offset);
    int64_t open;
    if (!rc) rc = req_query_int(r, "open", 0, 0, 1, &open);
    if (rc) return rc;
    f.open_only = open == 1;
    json_t *items = jc_own(&r->c, json_array());
    int64_t total = 0;
    if ((rc = db_pv_notice_list(&r->c, &f, items, &total))) return rc;
    return pva_list(r, items, total, f.limit, f.offset, NULL);
}

static int notice_reply(jc_req *r, int status, int64_t id)
{
    pv_notice n;
    int rc = db_pv_notice_get(&r->c, id, &n);
    if (!rc) rc = area_check(&r->c, n.area_code, NULL);
    if (rc) return rc;
    json_t *list;
    if ((rc = db_pv_notices_json(&r->c, n.household_id, n.household_id ? 0 : n.change_id, &list)))
        return rc;
    size_t i;
    json_t *e, *o = pv_notice_json(&r->c, &n);
    json_array_foreach(list, i, e) if (json_integer_value(json_object_get(e, "id")) == id) o = e;
    return pva_record(r, status, o, "/api/v1/poverty/notices/%lld", id);
}

static int h_notice_create(jc_req *r)
{
    static const field_spec spec[] = {
        {"household_id", FT_INT, 0, 1, INT64_MAX, NULL, "户"},
        {"change_id", FT_INT, 0, 1, INT64_MAX, NULL, "新识别申请"},
        {"target_status", FT_ENUM, FF_REQUIRED, 0, 0, status_codes, "目标状态"},
        {"target_kind", FT_TEXT, 0, 0, 20, NULL, "目标属性"},
        {"start_date", FT_DATE, FF_REQUIRED, 0, 0, NULL, "公示开始日期"},
        {"days", FT_INT, 0, 1, 30, NULL, "公示天数"},
        {"place", FT_TEXT, 0, 0, 100, NULL, "公示地点"},
    };
    field_val v[7];
    int rc = input_parse(&r->c, r->json, spec, 7, v, NULL);
    if (rc) return rc;
    if (v[0].present == v[1].present)
        return jc_fail(&r->c, JC_EINVAL, "required", "household_id",
                       "give either household_id or change_id (a 新识别 change request)",
                       "请指明公示的户(household_id)或新识别申请(change_id)之一");
    int64_t id;
    if ((rc = pv_notice_start(&r->c, v[0].present ? v[0].i : 0, v[1].present ? v[1].i : 0, v[2].s,
                              v[3].s, v[4].s, v[5].present ? v[5].i : 0, v[6].s, &id)))
        return rc;
    return notice_reply(r, 201, id);
}

static int h_notice_get(jc_req *r)
{
    int64_t id;
    int rc = req_var_id(r, 0, &id);
    if (rc) return rc;
    return notice_reply(r, 200, id);
}

static int h_objection_create(jc_req *r)
{
    int64_t id;
    int rc = req_var_id(r, 0, &id);
    if (rc) return rc;
    static const field_spec spec[] = {
        {"received_on", FT_DATE, FF_REQUIRED, 0, 0, NULL, "收到日期"},
        {"from_name", FT_TEXT, 0, 0, 50, NULL, "反映人"},
        {"content", FT_TEXT, FF_REQUIRED | FF_MULTILINE, 1, 2000, NULL, "异议内容"},
    };
    field_val v[3];
    if ((rc = input_parse(&r->c, r->json, spec, 3, v, NULL))) return rc;
    int64_t oid;
    if ((rc = pv_objection_add(&r->c, id, v[0].s, v[1].s, v[2].s, &oid))) return rc;
    return notice_reply(r, 201, id);
}

static int h_objection_resolve(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    static const char *const res[] = {"upheld", "dismissed", NULL};
    static const field_spec spec[] = {
        {"resolution", FT_ENUM, FF_REQUIRED, 0, 0, res, "处理结果"},
        {"note", FT_TEXT, FF_REQUIRED | FF_MULTILINE, 1, 2000, NULL, "核实情况"},
    };
    field_val v[2];
    static const char *const also[] = {"version", NULL};
    if ((rc = input_parse(&r->c, r->json, spec, 2, v, also))) return rc;
    if ((rc = pv_objection_resolve(&r->c, id, version, v[0].s, v[1].s))) return rc;
    json_t *obj;
    int64_t notice_id, have;
    if ((rc = db_pv_objection_get(&r->c, id, &obj, &notice_id, &have))) return rc;
    return notice_reply(r, 200, notice_id);
}

/* ---- statistics ---- */

static int h_stats(jc_req *r)
{
    const char *as_of;
    int rc = req_query_date(r, "as_of", &as_of);
    if (rc) return rc;
    json_t *out;
    if ((rc = pv_stats(&r->c, req_query(r, "area"), as_of ? as_of : pv_today(&r->c), &out)))
        return rc;
    return req_json(r, 200, json_incref(out));
}

/* ---- import and export ---- */

static int h_import(jc_req *r)
{
    const char *kind = r->vars[0];
    pv_import_kind k;
    if (strcmp(kind, "households") == 0)
        k = PV_IMPORT_HOUSEHOLDS;
    else if (strcmp(kind, "persons") == 0)
        k = PV_IMPORT_PERSONS;
    else
        return jc_fail(&r->c, JC_ENOTFOUND, "not_found", NULL, "import households or persons",
                       "只能导入户(households)或人员(persons)");
    int64_t dry;
    int rc = req_query_int(r, "dry_run", 0, 0, 1, &dry);
    if (rc) return rc;
    if (!r->body || r->body_len == 0)
        return jc_fail(&r->c, JC_EINVAL, "required", "file",
                       "send the .xlsx or CSV file as the request body",
                       "请上传 .xlsx 或 CSV 文件");
    pv_import_report rep;
    const char *name = req_query(r, "filename");
    rc = pv_import(&r->c, k, r->body, r->body_len, NULL, name ? name : "upload", dry == 1, &rep,
                   NULL, NULL);
    if (rc) return rc;
    return req_json(r, dry ? 200 : 201,
                    json_pack("{s:s, s:b, s:I, s:I, s:I, s:O}", "kind", kind, "dry_run", dry == 1,
                              "rows", (json_int_t)rep.rows, "created", (json_int_t)rep.created,
                              "errors", (json_int_t)rep.errors, "problems", rep.problems));
}

static int h_export(jc_req *r)
{
    const char *kind = r->vars[0];
    void *data = NULL;
    size_t len = 0;
    int rc;
    if (strcmp(kind, "households") == 0) {
        pv_hh_filter f;
        if ((rc = read_hh_filter(r, &f))) return rc;
        rc = pv_export_households(&r->c, &f, &data, &len);
    } else if (strcmp(kind, "persons") == 0) {
        pv_person_filter f = {0};
        if ((rc = pva_scope(r, f.lo, f.hi, &f.covered))) return rc;
        if ((rc = pva_query_id(r, "household", &f.household_id))) return rc;
        const char *q = req_query(r, "q"), *state = req_query(r, "state");
        f.q = q && *q ? q : NULL;
        f.state = state && *state ? state : NULL;
        rc = pv_export_persons(&r->c, &f, &data, &len);
    } else {
        return pva_export_funds(r, kind);
    }
    if (rc) return rc;
    return pva_xlsx(r, data, len, kind);
}

/* ---- the module ---- */

extern const jc_command poverty_commands[PV_NCOMMANDS];

#define R  PV_READERS
#define W  PV_WRITERS
#define WA (PV_WRITERS | PV_APPROVERS)

static const jc_route poverty_routes[] = {
    {"GET", "/api/v1/poverty/meta", h_meta, R, 0, 0},
    {"GET", "/api/v1/poverty/households", h_households, R, 0, 0},
    {"POST", "/api/v1/poverty/households", h_household_create, W, 0, 256 * 1024},
    {"GET", "/api/v1/poverty/households/{id}", h_household_get, R, 0, 0},
    {"PATCH", "/api/v1/poverty/households/{id}", h_household_update, W, 0, 64 * 1024},
    {"POST", "/api/v1/poverty/households/{id}/status", h_household_status, W, 0, 64 * 1024},
    {"POST", "/api/v1/poverty/households/{id}/persons", h_household_add_person, W, 0, 64 * 1024},
    {"GET", "/api/v1/poverty/persons", h_persons, R, 0, 0},
    {"GET", "/api/v1/poverty/persons/{id}", h_person_get, R, 0, 0},
    {"PATCH", "/api/v1/poverty/persons/{id}", h_person_update, W, 0, 64 * 1024},
    {"GET", "/api/v1/poverty/notices", h_notices, R, 0, 0},
    {"POST", "/api/v1/poverty/notices", h_notice_create, W, 0, 64 * 1024},
    {"GET", "/api/v1/poverty/notices/{id}", h_notice_get, R, 0, 0},
    {"POST", "/api/v1/poverty/notices/{id}/objections", h_objection_create, W, 0, 64 * 1024},
    {"POST", "/api/v1/poverty/objections/{id}/resolve", h_objection_resolve, W, 0, 64 * 1024},
    {"GET", "/api/v1/poverty/stats", h_stats, R, 0, 0},
    {"POST", "/api/v1/poverty/import/{kind}", h_import, W, RT_RAW_BODY, 64u << 20},
    {"GET", "/api/v1/poverty/export/{kind}", h_export, R, 0, 0},
    {"GET", "/api/v1/poverty/reviews", h_reviews, R, 0, 0},
    {"POST", "/api/v1/poverty/reviews", h_review_create, W, 0, 64 * 1024},
    {"GET", "/api/v1/poverty/reviews/{id}", h_review_get, R, 0, 0},
    {"PATCH", "/api/v1/poverty/reviews/{id}", h_review_update, W, 0, 64 * 1024},
    {"GET", "/api/v1/poverty/reviews/{id}/checks", h_review_checks, R, 0, 0},
    {"POST", "/api/v1/poverty/reviews/{id}/checks/{household_id}", h_review_check, W, 0, 64 * 1024},
    {"GET", "/api/v1/poverty/reviews/{id}/summary", h_review_summary, R, 0, 0},
    {"GET", "/api/v1/poverty/changes", h_changes, R, 0, 0},
    {"POST", "/api/v1/poverty/changes", h_change_create, W, 0, 256 * 1024},
    {"GET", "/api/v1/poverty/changes/{id}", h_change_get, R, 0, 0},
    {"PATCH", "/api/v1/poverty/changes/{id}", h_change_update, W, 0, 256 * 1024},
    {"POST", "/api/v1/poverty/changes/{id}/transitions", h_change_transition, WA, 0, 64 * 1024},
    {"GET", "/api/v1/poverty/projects", h_projects, R, 0, 0},
    {"POST", "/api/v1/poverty/projects", h_project_create, W, 0, 64 * 1024},
    {"GET", "/api/v1/poverty/projects/report", h_project_report, R, 0, 0},
    {"GET", "/api/v1/poverty/projects/{id}", h_project_get, R, 0, 0},
    {"PATCH", "/api/v1/poverty/projects/{id}", h_project_update, W, 0, 64 * 1024},
    {"GET", "/api/v1/poverty/funds/sources", h_sources, R, 0, 0},
    {"POST", "/api/v1/poverty/funds/sources", h_source_create, W, 0, 64 * 1024},
    {"GET", "/api/v1/poverty/funds/allocations", h_allocations, R, 0, 0},
    {"POST", "/api/v1/poverty/funds/allocations", h_allocation_create, W, 0, 64 * 1024},
    {"GET", "/api/v1/poverty/funds/disbursements", h_disbursements, R, 0, 0},
    {"POST", "/api/v1/poverty/funds/disbursements", h_disbursement_create, W, 0, 64 * 1024},
    {"GET", "/api/v1/poverty/funds/balances", h_balances, R, 0, 0},
    {"GET", "/api/v1/poverty/yulu", h_yulu, R, 0, 0},
    {"POST", "/api/v1/poverty/yulu", h_yulu_create, W, 0, 64 * 1024},
    {"GET", "/api/v1/poverty/yulu/eligibility", h_yulu_eligibility, R, 0, 0},
    {"GET", "/api/v1/poverty/yulu/{id}", h_yulu_get, R, 0, 0},
    {"POST", "/api/v1/poverty/yulu/{id}/payments", h_yulu_pay, W, 0, 64 * 1024},
};

const jc_module poverty_module = {
    .name = "poverty",
    .migrations = poverty_migrations,
    .nmigrations = 1,
    .routes = poverty_routes,
    .nroutes = JC_NELEM(poverty_routes),
    .config = poverty_config,
    .nconfig = PV_NCONFIG,
    .demo = poverty_demo,
    .commands = poverty_commands,
    .ncommands = PV_NCOMMANDS,
};
