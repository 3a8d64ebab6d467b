/* poverty_funds_api.c — HTTP handlers of projects, the funds ledger and 雨露计划. */
#include "poverty_api.h"

#include <stdio.h>
#include <string.h>

/* ---- projects ---- */

static int read_project_filter(jc_req *r, pv_project_filter *f)
{
    memset(f, 0, sizeof *f);
    f->completed = -1;
    int rc = pva_scope(r, f->lo, f->hi, &f->covered);
    if (!rc) rc = pva_page(r, &f->limit, &f->offset);
    if (rc) return rc;
    const char *type = req_query(r, "type"), *year = req_query(r, "year");
    f->type = type && *type ? type : NULL;
    if (year && *year) {
        if (strlen(year) != 4 || strspn(year, "0123456789") != 4)
            return jc_fail(&r->c, JC_EINVAL, "invalid_parameter", "year", "year must be YYYY",
                           "year 须为四位年份");
        f->year = year;
    }
    int64_t v;
    if ((rc = req_query_int(r, "overdue", 0, 0, 1, &v))) return rc;
    f->overdue = (int)v;
    if ((rc = req_query_int(r, "completed", -1, -1, 1, &v))) return rc;
    f->completed = (int)v;
    if ((rc = req_query_date(r, "completed_before", &f->completed_before))) return rc;
    return JC_OK;
}

struct plist {
    json_t *items;
    json_t *by_type;
};

static int add_project(jc_ctx *c, const pv_project *p, void *arg)
{
    struct plist *a = arg;
    json_array_append(a->items, pv_project_json(c, p));
    if (a->by_type) {
        json_t *t = json_object_get(a->by_type, p->type);
        if (!t) {
            t = json_pack("{s:I, s:I}", "projects", (json_int_t)0, "budget_fen", (json_int_t)0);
            json_object_set_new(a->by_type, p->type, t);
        }
        json_object_set_new(t, "projects",
                            json_integer(json_integer_value(json_object_get(t, "projects")) + 1));
        json_object_set_new(
            t, "budget_fen",
            json_integer(json_integer_value(json_object_get(t, "budget_fen")) + p->budget_fen));
    }
    return JC_OK;
}

int h_projects(jc_req *r)
{
    pv_project_filter f;
    int rc = read_project_filter(r, &f);
    if (rc) return rc;
    struct plist a = {jc_own(&r->c, json_array()), NULL};
    int64_t total, budget;
    if ((rc = db_pv_project_list(&r->c, &f, add_project, &a, &total, &budget))) return rc;
    return pva_list(r, a.items, total, f.limit, f.offset,
                    jc_own(&r->c, json_pack("{s:I}", "budget_fen", (json_int_t)budget)));
}

/* "completed before DATE": the projects finished on or before the day, with their totals and a
 * sentence for the report. */
int h_project_report(jc_req *r)
{
    pv_project_filter f;
    int rc = read_project_filter(r, &f);
    if (rc) return rc;
    const char *before;
    if ((rc = req_query_date(r, "before", &before))) return rc;
    if (!before)
        return jc_fail(&r->c, JC_EINVAL, "required", "before",
                       "before (YYYY-MM-DD) is required: projects completed on or before it",
                       "请提供截止日期 before(YYYY-MM-DD)");
    f.completed_before = before;
    f.completed = 1;
    f.limit = 1000;
    f.offset = 0;
    struct plist a = {jc_own(&r->c, json_array()), jc_own(&r->c, json_object())};
    int64_t total, budget;
    if ((rc = db_pv_project_list(&r->c, &f, add_project, &a, &total, &budget))) return rc;
    int64_t paid = 0, accepted = 0;
    size_t i;
    json_t *p;
    json_array_foreach(a.items, i, p)
    {
        paid += json_integer_value(json_object_get(p, "disbursed_fen"));
        accepted += strcmp(json_string_value(json_object_get(p, "acceptance")), "passed") == 0;
    }
    /* in 万元, as reports give it: 447万元, 447.5万元 */
    char wan[40];
    int64_t w100 = (budget + 50) / 100; /* yuan */
    if (w100 % 10000 == 0)
        snprintf(wan, sizeof wan, "%lld", (long long)(w100 / 10000));
    else
        snprintf(wan, sizeof wan, "%lld.%02lld", (long long)(w100 / 10000),
                 (long long)((w100 % 10000 + 50) / 100 % 100));
    int y, m, d;
    int64_t days;
    jc_date_parse(before, &days);
    jc_civil_from_days(days, &y, &m, &d);
    const char *text = arena_printf(&*r->c.a,
                                    "截至%d年%d月%d日,已完成扶贫项目%lld个(其中验收合格%lld个),"
                                    "总投资%s万元。",
                                    y, m, d, (long long)total, (long long)accepted, wan);
    return req_json(r, 200,
                    json_pack("{s:s, s:I, s:I, s:I, s:I, s:O, s:O, s:s}", "before", before,
                              "completed", (json_int_t)total, "accepted", (json_int_t)accepted,
                              "budget_fen", (json_int_t)budget, "disbursed_fen", (json_int_t)paid,
                              "by_type", a.by_type, "items", a.items, "text", text));
}

static int project_reply(jc_req *r, int status, int64_t id)
{
    pv_project p;
    int rc = pv_project_read(&r->c, id, &p);
    if (rc) return rc;
    json_t *o = pv_project_json(&r->c, &p), *allocs = jc_own(&r->c, json_array()),
           *pays = jc_own(&r->c, json_array());
    int64_t total;
    if ((rc = db_pv_allocation_list(&r->c, "", "~", true, id, 0, allocs))) return rc;
    if ((rc = db_pv_disbursement_list(&r->c, "", "~", true, id, 0, 500, 0, pays, &total)))
        return rc;
    json_object_set(o, "allocations", allocs);
    json_object_set(o, "disbursements", pays);
    return pva_record(r, status, o, "/api/v1/poverty/projects/%lld", id);
}

static const char *const acceptance_codes[] = {"pending", "passed", "failed", NULL};

static const field_spec project_spec[] = {
    {"area", FT_AREA, FF_REQUIRED, 0, 0, NULL, "实施地点"},
    {"name", FT_TEXT, FF_REQUIRED, 1, 100, NULL, "项目名称"},
    {"type", FT_TEXT, FF_REQUIRED, 1, 50, NULL, "项目类型"},
    {"budget_fen", FT_MONEY, FF_REQUIRED, 0, 0, NULL, "预算"},
    {"start_date", FT_DATE, 0, 0, 0, NULL, "开工日期"},
    {"planned_end", FT_DATE, FF_REQUIRED, 0, 0, NULL, "计划完成日期"},
    {"actual_end", FT_DATE, FF_NULLABLE, 0, 0, NULL, "实际完成日期"},
    {"progress", FT_INT, 0, 0, 100, NULL, "进度"},
    {"acceptance", FT_ENUM, 0, 0, 0, acceptance_codes, "验收"},
    {"accepted_on", FT_DATE, 0, 0, 0, NULL, "验收日期"},
    {"description", FT_TEXT, FF_MULTILINE, 0, 4000, NULL, "建设内容"},
    {"responsible", FT_TEXT, 0, 0, 100, NULL, "责任单位"},
};
enum {
    PJ_AREA,
    PJ_NAME,
    PJ_TYPE,
    PJ_BUDGET,
    PJ_START,
    PJ_PLANNED,
    PJ_ACTUAL,
    PJ_PROGRESS,
    PJ_ACCEPT,
    PJ_ACCEPTED_ON,
    PJ_DESC,
    PJ_RESP,
    PJ__N
};

int h_project_create(jc_req *r)
{
    field_val v[PJ__N];
    int rc = input_parse(&r->c, r->json, project_spec, PJ__N, v, NULL);
    if (rc) return rc;
    pv_project p = {0};
    p.area_code = v[PJ_AREA].s;
    p.name = v[PJ_NAME].s;
    p.type = v[PJ_TYPE].s;
    p.budget_fen = v[PJ_BUDGET].i;
    p.start_date = v[PJ_START].s;
    p.planned_end = v[PJ_PLANNED].s;
    p.actual_end = v[PJ_ACTUAL].null ? NULL : v[PJ_ACTUAL].s;
    p.progress = v[PJ_PROGRESS].present ? v[PJ_PROGRESS].i : (p.actual_end ? 100 : 0);
    p.acceptance = v[PJ_ACCEPT].s;
    p.accepted_on = v[PJ_ACCEPTED_ON].s;
    p.description = v[PJ_DESC].s;
    p.responsible = v[PJ_RESP].s;
    int64_t id;
    if ((rc = pv_project_create(&r->c, &p, &id))) return rc;
    return project_reply(r, 201, id);
}

int h_project_get(jc_req *r)
{
    int64_t id;
    int rc = req_var_id(r, 0, &id);
    if (rc) return rc;
    return project_reply(r, 200, id);
}

int h_project_update(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    field_spec spec[PJ__N];
    memcpy(spec, project_spec, sizeof spec);
    for (int i = 0; i < PJ__N; i++) spec[i].flags &= ~(unsigned)FF_REQUIRED;
    field_val v[PJ__N];
    static const char *const also[] = {"version", NULL};
    if ((rc = input_parse(&r->c, r->json, spec, PJ__N, v, also))) return rc;
    if (v[PJ_AREA].present)
        return jc_fail(&r->c, JC_EINVAL, "invalid_field", "area",
                       "a project's place does not change: register a new project",
                       "项目实施地点不能修改");
    pv_project ch = {0};
    ch.budget_fen = -1;
    ch.progress = -1;
    if (v[PJ_NAME].present) ch.name = v[PJ_NAME].s;
    if (v[PJ_TYPE].present) ch.type = v[PJ_TYPE].s;
    if (v[PJ_BUDGET].present) ch.budget_fen = v[PJ_BUDGET].i;
    if (v[PJ_START].present) ch.start_date = v[PJ_START].s;
    if (v[PJ_PLANNED].present) ch.planned_end = v[PJ_PLANNED].s;
    if (v[PJ_ACTUAL].present && !v[PJ_ACTUAL].null) ch.actual_end = v[PJ_ACTUAL].s;
    if (v[PJ_PROGRESS].present) ch.progress = v[PJ_PROGRESS].i;
    if (v[PJ_ACCEPT].present) ch.acceptance = v[PJ_ACCEPT].s;
    if (v[PJ_ACCEPTED_ON].present) ch.accepted_on = v[PJ_ACCEPTED_ON].s;
    if (v[PJ_DESC].present) ch.description = v[PJ_DESC].s;
    if (v[PJ_RESP].present) ch.responsible = v[PJ_RESP].s;
    if ((rc = pv_project_edit(&r->c, id, version, &ch, v[PJ_ACTUAL].present && v[PJ_ACTUAL].null)))
        return rc;
    return project_reply(r, 200, id);
}

/* ---- funds ---- */

int h_sources(jc_req *r)
{
    char lo[16], hi[17];
    bool covered;
    int rc = pva_scope(r, lo, hi, &covered);
    if (rc) return rc;
    json_t *items = jc_own(&r->c, json_array());
    if ((rc = db_pv_source_list(&r->c, lo, hi, covered, items))) return rc;
    return req_json(r, 200, json_pack("{s:O}", "items", items));
}

int h_source_create(jc_req *r)
{
    static const field_spec spec[] = {
        {"area", FT_AREA, FF_REQUIRED, 0, 0, NULL, "所属区域"},
        {"name", FT_TEXT, FF_REQUIRED, 1, 100, NULL, "资金名称"},
        {"level", FT_TEXT, FF_REQUIRED, 1, 20, NULL, "资金级次"},
        {"year", FT_INT, FF_REQUIRED, 2000, 2100, NULL, "年度"},
        {"amount_fen", FT_MONEY, FF_REQUIRED, 1, 0, NULL, "金额"},
        {"note", FT_TEXT, FF_MULTILINE, 0, 2000, NULL, "备注"},
    };
    field_val v[6];
    int rc = input_parse(&r->c, r->json, spec, 6, v, NULL);
    if (rc) return rc;
    pv_source s = {0};
    s.area_code = v[0].s;
    s.name = v[1].s;
    s.level = v[2].s;
    s.year = v[3].i;
    s.amount_fen = v[4].i;
    s.note = v[5].s;
    int64_t id;
    if ((rc = pv_source_create(&r->c, &s, &id))) return rc;
    pv_source got;
    if ((rc = db_pv_source_get(&r->c, id, &got))) return rc;
    return pva_record(r, 201, jc_own(&r->c, pv_source_to_json(&got)),
                      "/api/v1/poverty/funds/sources/%lld", id);
}

static int scope_ids(jc_req *r, char lo[16], char hi[17], bool *covered, int64_t *project,
                     int64_t *source)
{
    int rc = pva_scope(r, lo, hi, covered);
    if (!rc) rc = pva_query_id(r, "project", project);
    if (!rc) rc = pva_query_id(r, "source", source);
    return rc;
}

int h_allocations(jc_req *r)
{
    char lo[16], hi[17];
    bool covered;
    int64_t project, source;
    int rc = scope_ids(r, lo, hi, &covered, &project, &source);
    if (rc) return rc;
    json_t *items = jc_own(&r->c, json_array());
    if ((rc = db_pv_allocation_list(&r->c, lo, hi, covered, project, source, items))) return rc;
    return req_json(r, 200, json_pack("{s:O}", "items", items));
}

int h_allocation_create(jc_req *r)
{
    static const field_spec spec[] = {
        {"source_id", FT_INT, FF_REQUIRED, 1, INT64_MAX, NULL, "资金来源"},
        {"project_id", FT_INT, FF_REQUIRED, 1, INT64_MAX, NULL, "项目"},
        {"amount_fen", FT_MONEY, FF_REQUIRED, 1, 0, NULL, "下达金额"},
        {"allocated_on", FT_DATE, FF_REQUIRED, 0, 0, NULL, "下达日期"},
        {"note", FT_TEXT, FF_MULTILINE, 0, 2000, NULL, "文号及说明"},
    };
    field_val v[5];
    int rc = input_parse(&r->c, r->json, spec, 5, v, NULL);
    if (rc) return rc;
    int64_t id;
    if ((rc = pv_allocate(&r->c, v[0].i, v[1].i, v[2].i, v[3].s, v[4].s, &id))) return rc;
    json_t *o;
    const char *area;
    int64_t p, s, a, d;
    if ((rc = db_pv_allocation_get(&r->c, id, &o, &area, &p, &s, &a, &d))) return rc;
    return pva_record(r, 201, o, "/api/v1/poverty/funds/allocations/%lld", id);
}

int h_disbursements(jc_req *r)
{
    char lo[16], hi[17];
    bool covered;
    int64_t project, source, limit, offset, total = 0;
    int rc = scope_ids(r, lo, hi, &covered, &project, &source);
    if (!rc) rc = pva_page(r, &limit, &offset);
    if (rc) return rc;
    json_t *items = jc_own(&r->c, json_array());
    if ((rc = db_pv_disbursement_list(&r->c, lo, hi, covered, project, source, limit, offset, items,
                                      &total)))
        return rc;
    return pva_list(r, items, total, limit, offset, NULL);
}

int h_disbursement_create(jc_req *r)
{
    static const field_spec spec[] = {
        {"allocation_id", FT_INT, FF_REQUIRED, 1, INT64_MAX, NULL, "资金下达记录"},
        {"voucher_no", FT_TEXT, FF_REQUIRED, 1, 40, NULL, "凭证号"},
        {"payee", FT_TEXT, FF_REQUIRED, 1, 100, NULL, "收款人"},
        {"paid_on", FT_DATE, FF_REQUIRED, 0, 0, NULL, "支付日期"},
        {"amount_fen", FT_MONEY, FF_REQUIRED, 1, 0, NULL, "支付金额"},
        {"note", FT_TEXT, FF_MULTILINE, 0, 2000, NULL, "用途"},
    };
    field_val v[6];
    int rc = input_parse(&r->c, r->json, spec, 6, v, NULL);
    if (rc) return rc;
    int64_t id;
    if ((rc = pv_disburse(&r->c, v[0].i, v[1].s, v[2].s, v[3].s, v[4].i, v[5].s, &id))) return rc;
    json_t *o, *dis;
    const char *area;
    int64_t p, s, a, d;
    if ((rc = db_pv_allocation_get(&r->c, v[0].i, &o, &area, &p, &s, &a, &d))) return rc;
    if ((rc = db_pv_disbursement_get(&r->c, id, &dis))) return rc;
    json_t *out =
        json_pack("{s:I, s:O, s:O}", "id", (json_int_t)id, "disbursement", dis, "allocation", o);
    req_set_header(r, "Location",
                   arena_printf(r->c.a, "/api/v1/poverty/funds/disbursements/%lld", (long long)id));
    return req_json(r, 201, out);
}

int h_balances(jc_req *r)
{
    char lo[16], hi[17];
    bool covered;
    int rc = pva_scope(r, lo, hi, &covered);
    if (rc) return rc;
    json_t *projects, *sources;
    if ((rc = db_pv_balances(&r->c, lo, hi, covered, &projects, &sources))) return rc;
    int64_t amount = 0, allocated = 0, disbursed = 0;
    size_t i;
    json_t *s;
    json_array_foreach(sources, i, s)
    {
        amount += json_integer_value(json_object_get(s, "amount_fen"));
        allocated += json_integer_value(json_object_get(s, "allocated_fen"));
        disbursed += json_integer_value(json_object_get(s, "disbursed_fen"));
    }
    return req_json(r, 200,
                    json_pack("{s:O, s:O, s:{s:I, s:I, s:I, s:I, s:I}}", "projects", projects,
                              "sources", sources, "total", "amount_fen", (json_int_t)amount,
                              "allocated_fen", (json_int_t)allocated, "disbursed_fen",
                              (json_int_t)disbursed, "unallocated_fen",
                              (json_int_t)(amount - allocated), "undisbursed_fen",
                              (json_int_t)(allocated - disbursed)));
}

/* ---- 雨露计划 ---- */

struct ylist {
    json_t *items;
    bool pii;
};

static int add_yulu(jc_ctx *c, const pv_yulu *y, void *arg)
{
    struct ylist *a = arg;
    json_array_append(a->items, pv_yulu_json(c, y, a->pii));
    return JC_OK;
}

static int read_yulu_filter(jc_req *r, pv_yulu_filter *f)
{
    memset(f, 0, sizeof *f);
    int rc = pva_scope(r, f->lo, f->hi, &f->covered);
    if (!rc) rc = pva_page(r, &f->limit, &f->offset);
    if (!rc) rc = pva_query_id(r, "person", &f->person_id);
    if (!rc) rc = pva_query_id(r, "household", &f->household_id);
    if (rc) return rc;
    const char *sy = req_query(r, "school_year");
    f->school_year = sy && *sy ? sy : NULL;
    return JC_OK;
}

int h_yulu(jc_req *r)
{
    pv_yulu_filter f;
    int rc = read_yulu_filter(r, &f);
    if (rc) return rc;
    struct ylist a = {jc_own(&r->c, json_array()), pv_pii(&r->c)};
    int64_t total, annual, paid;
    if ((rc = db_pv_yulu_list(&r->c, &f, add_yulu, &a, &total, &annual, &paid))) return rc;
    return pva_list(r, a.items, total, f.limit, f.offset,
                    jc_own(&r->c, json_pack("{s:I, s:I}", "annual_fen", (json_int_t)annual,
                                            "paid_fen", (json_int_t)paid)));
}

static int yulu_reply(jc_req *r, int status, int64_t id)
{
    pv_yulu y;
    int rc = pv_yulu_read(&r->c, id, &y);
    if (rc) return rc;
    json_t *o = pv_yulu_json(&r->c, &y, pv_pii(&r->c)), *pays;
    if ((rc = db_pv_yulu_payments(&r->c, id, &pays))) return rc;
    json_object_set(o, "payments", pays);
    return pva_record(r, status, o, "/api/v1/poverty/yulu/%lld", id);
}

static const char *const level_codes[] = {"secondary", "higher", NULL};

int h_yulu_create(jc_req *r)
{
    static const field_spec spec[] = {
        {"person_id", FT_INT, FF_REQUIRED, 1, INT64_MAX, NULL, "学生"},
        {"school_year", FT_TEXT, FF_REQUIRED, 9, 9, NULL, "学年"},
        {"school", FT_TEXT, FF_REQUIRED, 1, 100, NULL, "学校"},
        {"major", FT_TEXT, 0, 0, 100, NULL, "专业"},
        {"level", FT_ENUM, FF_REQUIRED, 0, 0, level_codes, "层次"},
        {"full_time", FT_BOOL, FF_REQUIRED, 0, 0, NULL, "全日制"},
        {"enrolled_on", FT_DATE, 0, 0, 0, NULL, "入学日期"},
    };
    field_val v[7];
    int rc = input_parse(&r->c, r->json, spec, 7, v, NULL);
    if (rc) return rc;
    pv_yulu_in in = {v[0].i, v[1].s, v[2].s, v[3].s, v[4].s, v[6].s, v[5].i != 0};
    int64_t id;
    if ((rc = pv_yulu_apply(&r->c, &in, &id))) return rc;
    return yulu_reply(r, 201, id);
}

int h_yulu_eligibility(jc_req *r)
{
    int64_t person;
    int rc = pva_query_id(r, "person_id", &person);
    if (rc) return rc;
    if (!person)
        return jc_fail(&r->c, JC_EINVAL, "required", "person_id", "person_id is required",
                       "请提供 person_id");
    pv_person p;
    pv_household h;
    const char *basis = NULL;
    rc = pv_yulu_eligible(&r->c, person, &p, &h, &basis);
    if (rc && rc != JC_EUNPROC) return rc;
    json_t *o = json_pack("{s:I, s:b, s:s?, s:s?, s:s?}", "person_id", (json_int_t)person,
                          "eligible", rc == JC_OK, "basis", rc ? NULL : basis, "reason",
                          rc ? r->c.err.en : NULL, "reason_zh", rc ? r->c.err.zh : NULL);
    r->c.err = (jc_err){0};
    return req_json(r, 200, o);
}

int h_yulu_get(jc_req *r)
{
    int64_t id;
    int rc = req_var_id(r, 0, &id);
    if (rc) return rc;
    return yulu_reply(r, 200, id);
}

int h_yulu_pay(jc_req *r)
{
    int64_t id;
    int rc = req_var_id(r, 0, &id);
    if (rc) return rc;
    static const field_spec spec[] = {
        {"semester", FT_INT, FF_REQUIRED, 1, 2, NULL, "学期"},
        {"paid_on", FT_DATE, FF_REQUIRED, 0, 0, NULL, "发放日期"},
        {"voucher_no", FT_TEXT, 0, 0, 40, NULL, "凭证号"},
    };
    field_val v[3];
    if ((rc = input_parse(&r->c, r->json, spec, 3, v, NULL))) return rc;
    int64_t pid;
    if ((rc = pv_yulu_pay(&r->c, id, v[0].i, v[1].s, v[2].s, &pid))) return rc;
    return yulu_reply(r, 201, id);
}

int pva_export_funds(jc_req *r, const char *kind)
{
    void *data = NULL;
    size_t len = 0;
    int rc;
    if (strcmp(kind, "projects") == 0) {
        pv_project_filter f;
        if ((rc = read_project_filter(r, &f))) return rc;
        rc = pv_export_projects(&r->c, &f, &data, &len);
    } else if (strcmp(kind, "disbursements") == 0) {
        char lo[16], hi[17];
        bool covered;
        int64_t project, source;
        if ((rc = scope_ids(r, lo, hi, &covered, &project, &source))) return rc;
        rc = pv_export_disbursements(&r->c, lo, hi, covered, project, source, &data, &len);
    } else if (strcmp(kind, "yulu") == 0) {
        pv_yulu_filter f;
        if ((rc = read_yulu_filter(r, &f))) return rc;
        rc = pv_export_yulu(&r->c, &f, &data, &len);
    } else {
        return jc_fail(&r->c, JC_ENOTFOUND, "not_found", NULL,
                       "export households, persons, projects, disbursements or yulu",
                       "可导出 households、persons、projects、disbursements 或 yulu");
    }
    if (rc) return rc;
    return pva_xlsx(r, data, len, kind);
}
