/* poverty_funds.c — poverty projects (budget, deadline, progress, completion, acceptance), the
 * funds ledger (资金使用管理: sources → allocations to projects → disbursements, all in integer
 * fen, never beyond what was allocated) and 雨露计划 (vocational-school subsidies for children of
 * eligible households, checked from the registry). */
#include "poverty.h"

#include <stdio.h>
#include <string.h>

static const char *acceptance_zh(const char *a)
{
    if (!a || strcmp(a, "pending") == 0) return "待验收";
    if (strcmp(a, "passed") == 0) return "验收合格";
    if (strcmp(a, "failed") == 0) return "验收不合格";
    return a;
}

static void yuan(int64_t fen, char out[32])
{
    money_format_yuan(fen, out);
}

json_t *pv_project_json(jc_ctx *c, const pv_project *p)
{
    const char *today = pv_today(c);
    bool completed = p->actual_end && *p->actual_end;
    bool overdue = !completed && strcmp(p->planned_end, today) < 0;
    json_t *o = json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s?, s:s, s:s?, s:I, s:s, s:s, s:s?, s:I, "
        "s:I, s:I, s:b, s:b, s:I}",
        "id", (json_int_t)p->id, "area", p->area_code, "area_name",
        p->area_name ? p->area_name : "", "name", p->name, "type", p->type, "description",
        p->description ? p->description : "", "responsible", p->responsible ? p->responsible : "",
        "budget_fen", (json_int_t)p->budget_fen, "start_date", p->start_date, "planned_end",
        p->planned_end, "actual_end", p->actual_end, "progress", (json_int_t)p->progress,
        "acceptance", p->acceptance, "acceptance_zh", acceptance_zh(p->acceptance), "accepted_on",
        p->accepted_on, "allocated_fen", (json_int_t)p->allocated_fen, "disbursed_fen",
        (json_int_t)p->disbursed_fen, "remaining_fen",
        (json_int_t)(p->allocated_fen - p->disbursed_fen), "completed", completed, "overdue",
        overdue, "version", (json_int_t)p->version);
    if (!o) return NULL;
    char ts[32];
    jc_time_local(p->updated_at, ts);
    json_object_set_new(o, "updated_at", json_string(ts));
    return jc_own(c, o);
}

int pv_project_read(jc_ctx *c, int64_t id, pv_project *p)
{
    int rc = db_pv_project_get(c, id, p);
    if (rc) return rc;
    return area_check(c, p->area_code, NULL);
}

static int check_type(jc_ctx *c, const char *type)
{
    if (config_list_has(c, "poverty.project_types", type)) return JC_OK;
    jc_fail_extra(c, "allowed", json_incref(config_get(c, "poverty.project_types")));
    return jc_fail(c, JC_EINVAL, "invalid_field", "type",
                   "type is not one of the configured project types (poverty.project_types)",
                   "项目类型不在配置的类型中");
}

/* Projects and fund sources belong to the township or one of its villages. */
static int check_fund_area(jc_ctx *c, const char *code)
{
    int rc = area_check(c, code, "area");
    if (rc) return rc;
    area_rec a;
    rc = area_get(c, code, &a);
    if (rc == JC_ENOTFOUND) {
        c->err = (jc_err){0};
        return jc_fail(c, JC_EUNPROC, "unknown_area", "area",
                       arena_printf(c->a, "area %s does not exist", code),
                       arena_printf(c->a, "区域 %s 不存在", code));
    }
    if (rc) return rc;
    if (a.level < AREA_TOWNSHIP)
        return jc_fail(c, JC_EUNPROC, "area_level", "area",
                       "projects and funds belong to a township or a village",
                       "项目和资金须属于乡镇(街道)或行政村");
    return JC_OK;
}

/* The consistency of completion, progress and acceptance. */
static int check_project(jc_ctx *c, const pv_project *p)
{
    const char *today = pv_today(c);
    if (p->start_date && *p->start_date && strcmp(p->planned_end, p->start_date) < 0)
        return jc_fail(c, JC_EINVAL, "invalid_field", "planned_end",
                       "planned_end lies before start_date", "计划完成日期早于开工日期");
    bool done = p->actual_end && *p->actual_end;
    if (done) {
        if (strcmp(p->actual_end, today) > 0)
            return jc_fail(c, JC_EUNPROC, "invalid_date", "actual_end",
                           "actual_end lies in the future", "实际完成日期不能晚于今天");
        if (p->start_date && *p->start_date && strcmp(p->actual_end, p->start_date) < 0)
            return jc_fail(c, JC_EINVAL, "invalid_field", "actual_end",
                           "actual_end lies before start_date", "实际完成日期早于开工日期");
        if (p->progress != 100)
            return jc_fail(c, JC_EUNPROC, "invalid_field", "progress",
                           "a completed project has progress 100", "已完成的项目进度须为100%");
    } else if (p->progress == 100) {
        return jc_fail(c, JC_EUNPROC, "required", "actual_end",
                       "progress 100 needs the actual completion date",
                       "进度100%时须填写实际完成日期");
    }
    if (strcmp(p->acceptance, "pending") != 0) {
        if (!done)
            return jc_fail(c, JC_EUNPROC, "not_completed", "acceptance",
                           "only a completed project is accepted", "项目完成后才能验收");
        if (!p->accepted_on || !*p->accepted_on)
            return jc_fail(c, JC_EINVAL, "required", "accepted_on",
                           "accepted_on is required with the acceptance", "请填写验收日期");
        if (strcmp(p->accepted_on, p->actual_end) < 0 || strcmp(p->accepted_on, today) > 0)
            return jc_fail(c, JC_EUNPROC, "invalid_date", "accepted_on",
                           "accepted_on lies between the completion and today",
                           "验收日期须在完成日期与今天之间");
    } else if (p->accepted_on && *p->accepted_on) {
        return jc_fail(c, JC_EINVAL, "invalid_field", "accepted_on",
                       "accepted_on is given only with an acceptance result",
                       "未验收的项目不能填写验收日期");
    }
    return JC_OK;
}

static json_t *project_audit(jc_ctx *c, const pv_project *p)
{
    return jc_own(c, json_pack("{s:s, s:s, s:s, s:I, s:s?, s:s, s:s?, s:I, s:s, s:s?}", "area",
                               p->area_code, "name", p->name, "type", p->type, "budget_fen",
                               (json_int_t)p->budget_fen, "start_date", p->start_date,
                               "planned_end", p->planned_end, "actual_end", p->actual_end,
                               "progress", (json_int_t)p->progress, "acceptance", p->acceptance,
                               "accepted_on", p->accepted_on));
}

int pv_project_create(jc_ctx *c, pv_project *p, int64_t *id)
{
    int rc = pv_need_writer(c);
    if (!rc) rc = check_fund_area(c, p->area_code);
    if (!rc) rc = check_type(c, p->type);
    if (!p->acceptance) p->acceptance = "pending";
    if (!rc) rc = check_project(c, p);
    if (rc) return rc;
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    if ((rc = db_pv_project_insert(c, p, id))) goto fail;
    if ((rc = audit_append_id(c, "create", "pv_project", *id, p->area_code, NULL,
                              project_audit(c, p), NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

int pv_project_edit(jc_ctx *c, int64_t id, int64_t version, const pv_project *ch,
                    bool clear_actual_end)
{
    int rc = pv_need_writer(c);
    if (!rc && ch->type) rc = check_type(c, ch->type);
    if (rc) return rc;
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    pv_project p;
    if ((rc = pv_project_read(c, id, &p))) goto fail;
    if ((rc = pv_check_stale(c, p.version, version, "project", "项目"))) goto fail;
    json_t *before = project_audit(c, &p);
    if (ch->name) p.name = ch->name;
    if (ch->type) p.type = ch->type;
    if (ch->description) p.description = ch->description;
    if (ch->responsible) p.responsible = ch->responsible;
    if (ch->budget_fen >= 0) p.budget_fen = ch->budget_fen;
    if (ch->start_date) p.start_date = ch->start_date;
    if (ch->planned_end) p.planned_end = ch->planned_end;
    if (ch->progress >= 0) p.progress = ch->progress;
    if (ch->actual_end) {
        p.actual_end = ch->actual_end;
        if (ch->progress < 0) p.progress = 100; /* completed means done */
    }
    if (clear_actual_end) p.actual_end = NULL;
    if (ch->acceptance) p.acceptance = ch->acceptance;
    if (ch->accepted_on) p.accepted_on = ch->accepted_on;
    if (p.budget_fen < p.allocated_fen) {
        char a[32];
        yuan(p.allocated_fen, a);
        rc = jc_fail(c, JC_EUNPROC, "over_budget", "budget_fen",
                     arena_printf(c->a, "%s yuan are already allocated to the project", a),
                     arena_printf(c->a, "该项目已下达资金 %s 元,预算不能少于此数", a));
        goto fail;
    }
    if ((rc = check_project(c, &p))) goto fail;
    if ((rc = db_pv_project_update(c, &p, version))) goto fail;
    if ((rc = audit_append_id(c, "update", "pv_project", id, p.area_code, before,
                              project_audit(c, &p), NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

/* ---- funds ---- */

int pv_source_create(jc_ctx *c, pv_source *s, int64_t *id)
{
    int rc = pv_need_writer(c);
    if (!rc) rc = check_fund_area(c, s->area_code);
    if (rc) return rc;
    if (!config_list_has(c, "poverty.fund_levels", s->level)) {
        jc_fail_extra(c, "allowed", json_incref(config_get(c, "poverty.fund_levels")));
        return jc_fail(c, JC_EINVAL, "invalid_field", "level",
                       "level is not one of poverty.fund_levels", "资金级次不在配置的级次中");
    }
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    if ((rc = db_pv_source_insert(c, s, id))) goto fail;
    if ((rc = audit_append_id(
             c, "create", "pv_fund_source", *id, s->area_code, NULL,
             jc_own(c, json_pack("{s:s, s:s, s:I, s:I}", "name", s->name, "level", s->level, "year",
                                 (json_int_t)s->year, "amount_fen", (json_int_t)s->amount_fen)),
             NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

int pv_allocate(jc_ctx *c, int64_t source_id, int64_t project_id, int64_t amount, const char *on,
                const char *note, int64_t *id)
{
    int rc = pv_need_writer(c);
    if (rc) return rc;
    if (strcmp(on, pv_today(c)) > 0)
        return jc_fail(c, JC_EUNPROC, "invalid_date", "allocated_on",
                       "allocated_on lies in the future", "下达日期不能晚于今天");
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    pv_source s;
    pv_project p;
    if ((rc = db_pv_source_get(c, source_id, &s))) {
        if (rc == JC_ENOTFOUND) c->err.field = "source_id";
        goto fail;
    }
    if ((rc = area_check(c, s.area_code, "source_id"))) goto fail;
    if ((rc = pv_project_read(c, project_id, &p))) {
        if (rc == JC_ENOTFOUND) c->err.field = "project_id";
        goto fail;
    }
    if (!area_code_within(p.area_code, s.area_code)) {
        rc = jc_fail(c, JC_EUNPROC, "outside_source", "project_id",
                     "the project lies outside the area of the fund source",
                     "项目不在该资金来源的使用范围内");
        goto fail;
    }
    /* checked and written in one statement each: two allocations at once cannot both fit */
    rc = db_pv_source_allocate(c, source_id, amount);
    if (rc == JC_EUNPROC) {
        char left[32];
        yuan(s.amount_fen - s.allocated_fen, left);
        jc_fail_extra(c, "remaining_fen", json_integer(s.amount_fen - s.allocated_fen));
        rc = jc_fail(c, JC_EUNPROC, "over_allocation", "amount_fen",
                     arena_printf(c->a, "the source has only %s yuan left to allocate", left),
                     arena_printf(c->a, "该资金来源可下达余额仅 %s 元", left));
    }
    if (rc) goto fail;
    rc = db_pv_project_allocate(c, project_id, amount);
    if (rc == JC_EUNPROC) {
        char left[32];
        yuan(p.budget_fen - p.allocated_fen, left);
        jc_fail_extra(c, "remaining_fen", json_integer(p.budget_fen - p.allocated_fen));
        rc = jc_fail(c, JC_EUNPROC, "over_budget", "amount_fen",
                     arena_printf(c->a, "the project's budget has only %s yuan unfunded", left),
                     arena_printf(c->a, "该项目预算尚缺口仅 %s 元,不能超预算下达", left));
    }
    if (rc) goto fail;
    if ((rc = db_pv_allocation_insert(c, source_id, project_id, p.area_code, amount, on, note, id)))
        goto fail;
    if ((rc = audit_append_id(
             c, "create", "pv_allocation", *id, p.area_code, NULL,
             jc_own(c, json_pack("{s:I, s:I, s:I, s:s, s:s}", "source_id", (json_int_t)source_id,
                                 "project_id", (json_int_t)project_id, "amount_fen",
                                 (json_int_t)amount, "allocated_on", on, "note", note ? note : "")),
             NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

int pv_disburse(jc_ctx *c, int64_t allocation_id, const char *voucher, const char *payee,
                const char *on, int64_t amount, const char *note, int64_t *id)
{
    int rc = pv_need_writer(c);
    if (rc) return rc;
    if (strcmp(on, pv_today(c)) > 0)
        return jc_fail(c, JC_EUNPROC, "invalid_date", "paid_on", "paid_on lies in the future",
                       "支付日期不能晚于今天");
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    const char *area;
    int64_t project_id, source_id, allocated, disbursed;
    if ((rc = db_pv_allocation_get(c, allocation_id, NULL, &area, &project_id, &source_id,
                                   &allocated, &disbursed)))
        goto fail;
    if ((rc = area_check(c, area, "allocation_id"))) goto fail;
    /* the check and the write are one statement: concurrent payments cannot overdraw */
    rc = db_pv_allocation_disburse(c, allocation_id, amount);
    if (rc == JC_EUNPROC) {
        /* read again: what is left now, after any payment that committed meanwhile */
        db_pv_allocation_get(c, allocation_id, NULL, &area, &project_id, &source_id, &allocated,
                             &disbursed);
        char left[32];
        yuan(allocated - disbursed, left);
        jc_fail_extra(c, "remaining_fen", json_integer(allocated - disbursed));
        rc =
            jc_fail(c, JC_EUNPROC, "over_disbursement", "amount_fen",
                    arena_printf(
                        c->a, "the payment exceeds what remains of the allocation (%s yuan)", left),
                    arena_printf(c->a, "支付金额超过该笔下达资金的余额(%s 元)", left));
    }
    if (rc) goto fail;
    if ((rc = db_pv_disbursement_insert(c, allocation_id, project_id, source_id, area, voucher,
                                        payee, on, amount, note, id)))
        goto fail;
    if ((rc = audit_append_id(
             c, "create", "pv_disbursement", *id, area, NULL,
             jc_own(c, json_pack("{s:I, s:I, s:s, s:s, s:s, s:I}", "allocation_id",
                                 (json_int_t)allocation_id, "project_id", (json_int_t)project_id,
                                 "voucher_no", voucher, "payee", payee, "paid_on", on, "amount_fen",
                                 (json_int_t)amount)),
             note)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

/* ---- 雨露计划 ---- */

static const char *level_zh(const char *l)
{
    if (strcmp(l, "secondary") == 0) return "中职";
    if (strcmp(l, "higher") == 0) return "高职";
    return l;
}

json_t *pv_yulu_json(jc_ctx *c, const pv_yulu *y, bool pii)
{
    char cid[32];
    if (pii)
        snprintf(cid, sizeof cid, "%s", y->citizen_id);
    else
        mask_citizen_id(y->citizen_id, cid);
    json_t *o = json_pack(
        "{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:b, s:s, s:I, "
        "s:I, s:I, s:I}",
        "id", (json_int_t)y->id, "person_id", (json_int_t)y->person_id, "household_id",
        (json_int_t)y->household_id, "area", y->area_code, "area_name",
        y->area_name ? y->area_name : "", "name", y->person_name, "citizen_id", cid, "school_year",
        y->school_year, "school", y->school, "major", y->major ? y->major : "", "level", y->level,
        "level_zh", level_zh(y->level), "enrolled_on", y->enrolled_on, "full_time",
        y->full_time != 0, "eligibility", y->eligibility, "annual_fen", (json_int_t)y->annual_fen,
        "paid_fen", (json_int_t)y->paid_fen, "due_fen", (json_int_t)(y->annual_fen - y->paid_fen),
        "version", (json_int_t)y->version);
    return jc_own(c, o);
}

int pv_yulu_read(jc_ctx *c, int64_t id, pv_yulu *y)
{
    int rc = db_pv_yulu_get(c, id, y);
    if (rc) return rc;
    return area_check(c, y->area_code, NULL);
}

static int not_eligible(jc_ctx *c, const char *en, const char *zh)
{
    return jc_fail(c, JC_EUNPROC, "not_eligible", "person_id", en, zh);
}

int pv_yulu_eligible(jc_ctx *c, int64_t person_id, pv_person *p, pv_household *h,
                     const char **basis)
{
    int rc = pv_person_read(c, person_id, p);
    if (rc) {
        if (rc == JC_ENOTFOUND) c->err.field = "person_id";
        return rc;
    }
    if (strcmp(p->state, "alive") != 0 || !p->household_id)
        return not_eligible(
            c, arena_printf(c->a, "%s is not a current member of a registered household", p->name),
            arena_printf(c->a, "%s不是在册户的现有成员", p->name));
    if ((rc = db_pv_household_get(c, p->household_id, h))) return rc;
    json_t *tags;
    if ((rc = db_pv_tags(c, h->id, &tags))) return rc;
    size_t i;
    json_t *t;
    json_array_foreach(tags, i, t) if (strcmp(json_string_value(t), PV_TAG_REGISTERED) == 0)
    {
        *basis = PV_TAG_REGISTERED;
        return JC_OK;
    }
    if (config_list_has(c, "poverty.yulu_eligible_statuses", h->status)) {
        const char *k = pv_kind_zh(h->status, h->kind);
        *basis = k && *k ? arena_printf(c->a, "%s(%s)", pv_status_zh(h->status), k)
                         : pv_status_zh(h->status);
        return JC_OK;
    }
    return not_eligible(
        c,
        arena_printf(c->a,
                     "the household of %s is %s and not 建档立卡: 雨露计划 is for children of "
                     "registered, exited or monitored households",
                     p->name, h->status),
        arena_printf(c->a,
                     "%s所在户为「%s」且非建档立卡贫困户,不属于雨露计划补助对象(须为建档立卡、"
                     "已脱贫或监测户家庭)",
                     p->name, pv_status_zh(h->status)));
}

/* "2024-2025": two consecutive years */
static bool school_year_ok(const char *s)
{
    int a, b;
    char tail;
    if (!s || strlen(s) != 9 || sscanf(s, "%4d-%4d%c", &a, &b, &tail) != 2) return false;
    return a >= 2000 && a <= 2100 && b == a + 1;
}

int pv_yulu_apply(jc_ctx *c, const pv_yulu_in *in, int64_t *id)
{
    int rc = pv_need_writer(c);
    if (rc) return rc;
    if (!school_year_ok(in->school_year))
        return jc_fail(c, JC_EINVAL, "invalid_field", "school_year",
                       "school_year must be two consecutive years, e.g. 2024-2025",
                       "学年须为相邻两年,如 2024-2025");
    if (strcmp(in->level, "secondary") != 0 && strcmp(in->level, "higher") != 0) {
        jc_fail_extra(c, "allowed", json_pack("[s, s]", "secondary", "higher"));
        return not_eligible(c, "雨露计划 is for 中职 (secondary) or 高职 (higher vocational) study",
                            "雨露计划仅补助中职、高职在校生");
    }
    if (!in->full_time) {
        c->err.field = "full_time";
        return jc_fail(c, JC_EUNPROC, "not_eligible", "full_time",
                       "雨露计划 is for full-time study only", "雨露计划仅补助全日制在校生");
    }
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    pv_person p;
    pv_household h;
    const char *basis;
    int64_t existing;
    if ((rc = pv_yulu_eligible(c, in->person_id, &p, &h, &basis))) goto fail;
    if ((rc = db_pv_yulu_find(c, in->person_id, in->school_year, &existing))) goto fail;
    if (existing) {
        jc_fail_extra(c, "existing_id", json_integer(existing));
        rc = jc_fail(c, JC_ECONFLICT, "duplicate", "school_year",
                     arena_printf(c->a, "%s already has an application for %s (no. %lld)", p.name,
                                  in->school_year, (long long)existing),
                     arena_printf(c->a, "%s已申请 %s 学年补助(申请编号%lld)", p.name,
                                  in->school_year, (long long)existing));
        goto fail;
    }
    pv_yulu y = {0};
    y.person_id = p.id;
    y.household_id = h.id;
    y.area_code = h.area_code;
    y.school_year = in->school_year;
    y.school = in->school;
    y.major = in->major;
    y.level = in->level;
    y.full_time = 1;
    y.enrolled_on = in->enrolled_on;
    y.annual_fen = config_get_int(c, "poverty.yulu_annual_fen", 300000);
    y.eligibility = basis;
    if ((rc = db_pv_yulu_insert(c, &y, id))) goto fail;
    if ((rc = audit_append_id(
             c, "create", "pv_yulu", *id, y.area_code, NULL,
             jc_own(c, json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:s}", "person_id",
                                 (json_int_t)p.id, "citizen_id", p.citizen_id, "school_year",
                                 in->school_year, "school", in->school, "level", in->level,
                                 "annual_fen", (json_int_t)y.annual_fen, "eligibility", basis)),
             NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

int pv_yulu_pay(jc_ctx *c, int64_t id, int64_t semester, const char *on, const char *voucher,
                int64_t *payment_id)
{
    int rc = pv_need_writer(c);
    if (rc) return rc;
    if (strcmp(on, pv_today(c)) > 0)
        return jc_fail(c, JC_EUNPROC, "invalid_date", "paid_on", "paid_on lies in the future",
                       "发放日期不能晚于今天");
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    pv_yulu y;
    if ((rc = pv_yulu_read(c, id, &y))) goto fail;
    /* half a year's subsidy per semester; the second takes the odd fen */
    int64_t half = y.annual_fen / 2;
    int64_t amount = semester == 1 ? half : y.annual_fen - half;
    rc = db_pv_yulu_pay(c, id, amount);
    if (rc == JC_EUNPROC)
        rc = jc_fail(c, JC_ECONFLICT, "duplicate", "semester", "the year's subsidy is already paid",
                     "本学年补助已全部发放");
    if (rc) goto fail;
    if ((rc = db_pv_yulu_payment_insert(c, id, semester, amount, on, voucher, payment_id)))
        goto fail;
    if ((rc = audit_append_id(
             c, "pay", "pv_yulu", id, y.area_code, NULL,
             jc_own(c, json_pack("{s:I, s:I, s:s, s:s}", "semester", (json_int_t)semester,
                                 "amount_fen", (json_int_t)amount, "paid_on", on, "voucher_no",
                                 voucher ? voucher : "")),
             NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}
