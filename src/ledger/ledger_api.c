/* ledger_api.c — HTTP handlers of the ledger: inputs checked by spec, rules in ledger.c. */
#include "ledger.h"
#include "../app.h"

#include <string.h>

static int read_filter(jc_req *r, ledger_filter *f)
{
    memset(f, 0, sizeof *f);
    int rc = area_filter(&r->c, req_query(r, "area"), f->lo, f->hi, &f->covered);
    if (rc) return rc;
#define Q(name) (req_query(r, name) && *req_query(r, name) ? req_query(r, name) : NULL)
    f->category = Q("category");
    f->q = Q("q");
    f->period = Q("period");
    const char *states = Q("state");
#undef Q
    /* state=a,b,c (any of them); open=1 = every state that is not terminal */
    for (const char *p = states; p && *p;) {
        size_t n = strcspn(p, ",");
        size_t i;
        for (i = 0; i < ledger_wf.nstates; i++)
            if (strlen(ledger_wf.states[i].code) == n &&
                strncmp(ledger_wf.states[i].code, p, n) == 0)
                break;
        if (i == ledger_wf.nstates)
            return jc_fail(&r->c, JC_EINVAL, "invalid_parameter", "state",
                           "state must be a comma list of assigned, discussing, checking, "
                           "evaluating, closed, cancelled",
                           "state 须为以下状态(可用逗号分隔多个):assigned、discussing、checking、"
                           "evaluating、closed、cancelled");
        f->states |= (int64_t)1 << i;
        p += n + (p[n] == ',');
    }
    int64_t open;
    if ((rc = req_query_int(r, "open", 0, 0, 1, &open))) return rc;
    if (open) {
        int64_t mask = 0;
        for (size_t i = 0; i < ledger_wf.nstates; i++)
            if (!ledger_wf.states[i].terminal) mask |= (int64_t)1 << i;
        f->states = f->states ? (f->states & mask) : mask;
        if (!f->states) f->states = (int64_t)1 << 62; /* closed states asked with open=1: none */
    }
    const char *sort = req_query(r, "sort");
    if (!sort || !*sort || strcmp(sort, "deadline") == 0)
        f->sort = LEDGER_SORT_DEADLINE;
    else if (strcmp(sort, "-deadline") == 0)
        f->sort = LEDGER_SORT_DEADLINE_DESC;
    else if (strcmp(sort, "-updated") == 0)
        f->sort = LEDGER_SORT_UPDATED_DESC;
    else
        return jc_fail(&r->c, JC_EINVAL, "invalid_parameter", "sort",
                       "sort must be deadline, -deadline or -updated",
                       "sort 须为 deadline、-deadline 或 -updated");
    if ((rc = req_query_date(r, "from", &f->from))) return rc;
    if ((rc = req_query_date(r, "to", &f->to))) return rc;
    if (f->period && strcmp(f->period, "all") == 0) {
        f->period = NULL; /* every period: no deadline bounds */
        f->all = true;
    } else if (f->period) {
        char *first = arena_alloc(r->c.a, 11), *last = arena_alloc(r->c.a, 11);
        if (!jc_period_parse(f->period, first, last))
            return jc_fail(&r->c, JC_EINVAL, "invalid_parameter", "period",
                           "period must be YYYY, YYYY-Qn, YYYY-MM or YYYY-Www",
                           "period 须为 YYYY、YYYY-Qn、YYYY-MM 或 YYYY-Www");
        f->from = first;
        f->to = last;
    }
    int64_t v;
    if ((rc = req_query_int(r, "overdue", 0, 0, 1, &v))) return rc;
    f->overdue_only = v == 1;
    if ((rc = req_query_int(r, "duty", 0, 0, INT64_MAX, &f->duty_id))) return rc;
    const char *as = req_query(r, "assignee");
    if (as && strcmp(as, "me") == 0)
        f->assignee_id = r->c.user->id;
    else if ((rc = req_query_int(r, "assignee", 0, 0, INT64_MAX, &f->assignee_id)))
        return rc;
    int64_t page, per_page;
    if ((rc = req_page(r, &page, &per_page))) return rc;
    f->limit = per_page;
    f->offset = (page - 1) * per_page;
    return JC_OK;
}

static int write_item(jc_ctx *c, const ledger_task *t, void *arg)
{
    ledger_task_write(arg, c, t, false);
    return JC_OK;
}

static int h_tasks(jc_req *r)
{
    ledger_filter f;
    int rc = read_filter(r, &f);
    if (rc) return rc;
    jw *w = req_writer(r, 200);
    if (!w) return JC_ENOMEM;
    int64_t total;
    jw_obj(w);
    jw_key(w, "items");
    jw_arr(w);
    if ((rc = db_ledger_task_list(&r->c, &f, write_item, w, &total))) return rc;
    jw_arr_end(w);
    jw_kint(w, "total", total);
    jw_kint(w, "page", f.offset / f.limit + 1);
    jw_kint(w, "per_page", f.limit);
    jw_obj_end(w);
    return JC_OK;
}

static const field_spec task_spec[] = {
    {"title", FT_TEXT, FF_REQUIRED, 1, 100, NULL, "标题"},
    {"description", FT_TEXT, FF_MULTILINE, 0, 4000, NULL, "内容"},
    {"area", FT_AREA, FF_REQUIRED, 0, 0, NULL, "所属区域"},
    {"category", FT_TEXT, FF_REQUIRED, 1, 50, NULL, "类别"},
    {"responsible_unit", FT_TEXT, 0, 0, 100, NULL, "责任单位"},
    {"responsible_person", FT_TEXT, 0, 0, 64, NULL, "责任人"},
    {"assignee_id", FT_INT, FF_NULLABLE, 1, INT64_MAX, NULL, "责任人账号"},
    {"deadline", FT_DATE, FF_REQUIRED, 0, 0, NULL, "完成时限"},
};
enum { T_TITLE, T_DESC, T_AREA, T_CAT, T_UNIT, T_PERSON, T_ASSIGNEE, T_DEADLINE, T__N };

static int reply_task(jc_req *r, int status, int64_t id)
{
    ledger_task t;
    int rc = ledger_task_read(&r->c, id, &t);
    if (rc) return rc;
    req_etag(r, t.version);
    if (status == 201)
        req_set_header(r, "Location",
                       arena_printf(r->c.a, "/api/v1/ledger/tasks/%lld", (long long)id));
    jw *w = req_writer(r, status);
    if (!w) return JC_ENOMEM;
    ledger_task_write(w, &r->c, &t, true);
    return JC_OK;
}

static int h_task_create(jc_req *r)
{
    field_val v[T__N];
    int rc = input_parse(&r->c, r->json, task_spec, T__N, v, NULL);
    if (rc) return rc;
    ledger_task t = {0};
    t.title = v[T_TITLE].s;
    t.description = v[T_DESC].s;
    t.area_code = v[T_AREA].s;
    t.category = v[T_CAT].s;
    t.responsible_unit = v[T_UNIT].s;
    t.responsible_person = v[T_PERSON].s;
    t.assignee_id = v[T_ASSIGNEE].present && !v[T_ASSIGNEE].null ? v[T_ASSIGNEE].i : 0;
    t.deadline = v[T_DEADLINE].s;
    int64_t id;
    if ((rc = ledger_task_create(&r->c, &t, &id))) return rc;
    return reply_task(r, 201, id);
}

static int h_task_get(jc_req *r)
{
    int64_t id;
    int rc = req_var_id(r, 0, &id);
    if (rc) return rc;
    return reply_task(r, 200, id);
}

static int h_task_update(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    field_spec spec[T__N];
    memcpy(spec, task_spec, sizeof spec);
    for (int i = 0; i < T__N; i++) spec[i].flags &= ~(unsigned)FF_REQUIRED;
    spec[T_TITLE].min = 0; /* an empty title is "required" below, as when creating */
    field_val v[T__N];
    static const char *const also[] = {"version", NULL};
    if ((rc = input_parse(&r->c, r->json, spec, T__N, v, also))) return rc;
    /* an edit's spec drops FF_REQUIRED, and with it the check that text is not blank */
    if (v[T_TITLE].present && jc_blank(v[T_TITLE].s))
        return jc_fail(&r->c, JC_EINVAL, "required", "title", "title is required", "标题为必填项");
    ledger_task ch = {0};
#define SET(f, k)                                                                                  \
    if (v[k].present) ch.f = v[k].s
    SET(title, T_TITLE);
    SET(description, T_DESC);
    SET(area_code, T_AREA);
    SET(category, T_CAT);
    SET(responsible_unit, T_UNIT);
    SET(responsible_person, T_PERSON);
    SET(deadline, T_DEADLINE);
#undef SET
    bool clear = v[T_ASSIGNEE].present && v[T_ASSIGNEE].null;
    if (v[T_ASSIGNEE].present && !v[T_ASSIGNEE].null) ch.assignee_id = v[T_ASSIGNEE].i;
    if ((rc = ledger_task_edit(&r->c, id, version, &ch, clear))) return rc;
    return reply_task(r, 200, id);
}

static const field_spec transition_spec[] = {
    {"action", FT_TEXT, FF_REQUIRED, 1, 32, NULL, "操作"},
    {"note", FT_TEXT, FF_MULTILINE, 0, 2000, NULL, "办理情况"},
    {"reason", FT_TEXT, FF_MULTILINE, 0, 2000, NULL, "原因"},
    {"comment", FT_TEXT, FF_MULTILINE, 0, 2000, NULL, "考评意见"},
    {"score", FT_INT, 0, 0, 100, NULL, "考评分数"},
};

static int h_task_transition(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    field_val v[5];
    static const char *const also[] = {"version", NULL};
    if ((rc = input_parse(&r->c, r->json, transition_spec, 5, v, also))) return rc;
    wf_input in = {v[1].s, v[2].s, v[3].s, v[4].present ? &v[4].i : NULL};
    if ((rc = ledger_task_transition(&r->c, id, version, v[0].s, &in))) return rc;
    return reply_task(r, 200, id);
}

static int h_summary(jc_req *r)
{
    ledger_filter f;
    int rc = read_filter(r, &f);
    if (rc) return rc;
    if (!f.all && !f.period && !f.from && !f.to) {
        /* default: this month (Shanghai) */
        char *p = arena_alloc(r->c.a, 16), *first = arena_alloc(r->c.a, 11),
             *last = arena_alloc(r->c.a, 11);
        char today[11];
        int64_t days;
        jc_date_local(r->c.now, today);
        jc_date_parse(today, &days);
        jc_period_of("month", days, p);
        jc_period_parse(p, first, last);
        f.period = p;
        f.from = first;
        f.to = last;
    }
    json_t *out = json_pack("{s:s?, s:s?, s:s?, s:s?}", "area", req_query(r, "area"), "period",
                            f.period, "from", f.from, "to", f.to);
    if ((rc = db_ledger_summary(&r->c, &f, out))) {
        json_decref(out);
        return rc;
    }
    return req_json(r, 200, out);
}

static int h_workflow(jc_req *r)
{
    json_t *d = wf_describe(&r->c, &ledger_wf);
    json_object_set(d, "categories", config_get(&r->c, "ledger.categories"));
    return req_json(r, 200, json_incref(d));
}

/* ---- duties ---- */

static const char *const freq_codes[] = {"week", "month", "quarter", "year", NULL};

static const field_spec duty_spec[] = {
    {"title", FT_TEXT, FF_REQUIRED, 1, 100, NULL, "名称"},
    {"description", FT_TEXT, FF_MULTILINE, 0, 4000, NULL, "内容"},
    {"area", FT_AREA, FF_REQUIRED, 0, 0, NULL, "所属区域"},
    {"category", FT_TEXT, FF_REQUIRED, 1, 50, NULL, "类别"},
    {"frequency", FT_ENUM, FF_REQUIRED, 0, 0, freq_codes, "频次"},
    {"responsible_unit", FT_TEXT, 0, 0, 100, NULL, "责任单位"},
    {"responsible_person", FT_TEXT, 0, 0, 64, NULL, "责任人"},
    {"assignee_id", FT_INT, FF_NULLABLE, 1, INT64_MAX, NULL, "责任人账号"},
    {"start_date", FT_DATE, FF_REQUIRED, 0, 0, NULL, "开始日期"},
    {"active", FT_BOOL, 0, 0, 0, NULL, "启用"},
};
enum {
    D_TITLE,
    D_DESC,
    D_AREA,
    D_CAT,
    D_FREQ,
    D_UNIT,
    D_PERSON,
    D_ASSIGNEE,
    D_START,
    D_ACTIVE,
    D__N
};

static int reply_duty(jc_req *r, int status, int64_t id)
{
    ledger_duty d;
    int rc = db_ledger_duty_get(&r->c, id, &d);
    if (!rc) rc = area_check(&r->c, d.area_code, NULL);
    if (rc) return rc;
    req_etag(r, d.version);
    return req_json(r, status, json_incref(ledger_duty_json(&r->c, &d)));
}

/* Duties and compliance are filtered by area (and compliance by dates) only. */
static int read_scope(jc_req *r, ledger_filter *f, bool dates)
{
    memset(f, 0, sizeof *f);
    int rc = area_filter(&r->c, req_query(r, "area"), f->lo, f->hi, &f->covered);
    if (rc) return rc;
    int64_t page, per_page;
    if ((rc = req_page(r, &page, &per_page))) return rc;
    f->limit = per_page;
    f->offset = (page - 1) * per_page;
    if (!dates) return JC_OK;
    if ((rc = req_query_date(r, "from", &f->from))) return rc;
    if ((rc = req_query_date(r, "to", &f->to))) return rc;
    const char *p = req_query(r, "period");
    if (p && *p) {
        char *first = arena_alloc(r->c.a, 11), *last = arena_alloc(r->c.a, 11);
        if (!jc_period_parse(p, first, last))
            return jc_fail(&r->c, JC_EINVAL, "invalid_parameter", "period",
                           "period must be YYYY, YYYY-Qn, YYYY-MM or YYYY-Www",
                           "period 须为 YYYY、YYYY-Qn、YYYY-MM 或 YYYY-Www");
        f->period = p;
        f->from = first;
        f->to = last;
    }
    return JC_OK;
}

static int h_duties(jc_req *r)
{
    ledger_filter f;
    int rc = read_scope(r, &f, false);
    if (rc) return rc;
    json_t *items = json_array();
    int64_t total;
    if ((rc = db_ledger_duty_list(&r->c, &f, items, &total))) {
        json_decref(items);
        return rc;
    }
    return req_json(r, 200,
                    json_incref(req_page_json(r, items, total, f.offset / f.limit + 1, f.limit)));
}

static int h_duty_create(jc_req *r)
{
    field_val v[D__N];
    int rc = input_parse(&r->c, r->json, duty_spec, D__N, v, NULL);
    if (rc) return rc;
    if (v[D_ACTIVE].present && !v[D_ACTIVE].i)
        return jc_fail(&r->c, JC_EINVAL, "invalid_field", "active", "a new duty starts active",
                       "新建的常态化工作须为启用状态");
    ledger_duty d = {0};
    d.title = v[D_TITLE].s;
    d.description = v[D_DESC].s;
    d.area_code = v[D_AREA].s;
    d.category = v[D_CAT].s;
    d.frequency = v[D_FREQ].s;
    d.responsible_unit = v[D_UNIT].s;
    d.responsible_person = v[D_PERSON].s;
    d.assignee_id = v[D_ASSIGNEE].present && !v[D_ASSIGNEE].null ? v[D_ASSIGNEE].i : 0;
    d.start_date = v[D_START].s;
    int64_t id;
    if ((rc = ledger_duty_create(&r->c, &d, &id))) return rc;
    req_set_header(r, "Location",
                   arena_printf(r->c.a, "/api/v1/ledger/duties/%lld", (long long)id));
    return reply_duty(r, 201, id);
}

static int h_duty_get(jc_req *r)
{
    int64_t id;
    int rc = req_var_id(r, 0, &id);
    if (rc) return rc;
    return reply_duty(r, 200, id);
}

static int h_duty_update(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    field_spec spec[D__N];
    memcpy(spec, duty_spec, sizeof spec);
    for (int i = 0; i < D__N; i++) spec[i].flags &= ~(unsigned)FF_REQUIRED;
    spec[D_TITLE].min = 0; /* an empty title is "required" below, as when creating */
    field_val v[D__N];
    static const char *const also[] = {"version", NULL};
    if ((rc = input_parse(&r->c, r->json, spec, D__N, v, also))) return rc;
    if (v[D_TITLE].present && jc_blank(v[D_TITLE].s))
        return jc_fail(&r->c, JC_EINVAL, "required", "title", "title is required", "名称为必填项");
    const char *fixed = v[D_AREA].present    ? "area"
                        : v[D_FREQ].present  ? "frequency"
                        : v[D_START].present ? "start_date"
                                             : NULL;
    if (fixed)
        return jc_fail(&r->c, JC_EINVAL, "invalid_field", fixed,
                       "area, frequency and start date of a duty cannot change: end it and "
                       "create a new one",
                       "常态化工作的区域、频次和开始日期不能修改,请停用后新建");
    ledger_duty ch = {0};
    if (v[D_TITLE].present) ch.title = v[D_TITLE].s;
    if (v[D_DESC].present) ch.description = v[D_DESC].s;
    if (v[D_CAT].present) ch.category = v[D_CAT].s;
    if (v[D_UNIT].present) ch.responsible_unit = v[D_UNIT].s;
    if (v[D_PERSON].present) ch.responsible_person = v[D_PERSON].s;
    if (v[D_ASSIGNEE].present) ch.assignee_id = v[D_ASSIGNEE].null ? -1 : v[D_ASSIGNEE].i;
    bool active = v[D_ACTIVE].i != 0;
    if ((rc = ledger_duty_edit(&r->c, id, version, &ch, v[D_ACTIVE].present ? &active : NULL)))
        return rc;
    return reply_duty(r, 200, id);
}

static int h_compliance(jc_req *r)
{
    ledger_filter f;
    int rc = read_scope(r, &f, true);
    if (rc) return rc;
    if (!f.from || !f.to) {
        /* default: this year so far */
        char today[11];
        jc_date_local(r->c.now, today);
        char *first = arena_printf(r->c.a, "%.4s-01-01", today);
        if (!f.from) f.from = first;
        if (!f.to) f.to = arena_strdup(r->c.a, today);
    }
    json_t *out;
    if ((rc = ledger_compliance(&r->c, &f, &out))) return rc;
    return req_json(r, 200, json_incref(out));
}

#define LEADERS (RB(ROLE_ADMIN) | RB(ROLE_LEADER))

static const jc_route ledger_routes[] = {
    {"GET", "/api/v1/ledger/workflow", h_workflow, 0, 0, 0},
    {"GET", "/api/v1/ledger/tasks", h_tasks, 0, 0, 0},
    {"POST", "/api/v1/ledger/tasks", h_task_create, LEADERS, 0, 64 * 1024},
    {"GET", "/api/v1/ledger/tasks/{id}", h_task_get, 0, 0, 0},
    {"PATCH", "/api/v1/ledger/tasks/{id}", h_task_update, LEADERS, 0, 64 * 1024},
    {"POST", "/api/v1/ledger/tasks/{id}/transitions", h_task_transition, 0, 0, 64 * 1024},
    {"GET", "/api/v1/ledger/summary", h_summary, 0, 0, 0},
    {"GET", "/api/v1/ledger/duties", h_duties, 0, 0, 0},
    {"POST", "/api/v1/ledger/duties", h_duty_create, LEADERS, 0, 64 * 1024},
    {"GET", "/api/v1/ledger/duties/{id}", h_duty_get, 0, 0, 0},
    {"PATCH", "/api/v1/ledger/duties/{id}", h_duty_update, LEADERS, 0, 64 * 1024},
    {"GET", "/api/v1/ledger/compliance", h_compliance, 0, 0, 0},
};

static int ledger_tick(jc_ctx *c)
{
    int created;
    return ledger_generate(c, 0, &created);
}

const jc_module ledger_module = {
    .name = "ledger",
    .migrations = ledger_migrations,
    .nmigrations = 1,
    .routes = ledger_routes,
    .nroutes = JC_NELEM(ledger_routes),
    .config = ledger_config,
    .nconfig = 1,
    .demo = ledger_demo,
    .tick = ledger_tick,
};
