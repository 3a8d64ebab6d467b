/* ledger.c — the rules of the secretary's ledger. */
#include "ledger.h"

#include <stdio.h>
#include <string.h>

#define LEADERS (RB(ROLE_ADMIN) | RB(ROLE_LEADER))

static const wf_state ledger_states[] = {
    {"assigned", "定责", "assigned", false},
    {"discussing", "研讨", "in discussion", false},
    {"checking", "问效", "checking effect", false},
    {"evaluating", "考评", "evaluation", false},
    {"closed", "办结", "closed", true},
    {"cancelled", "已撤销", "cancelled", true},
};

/* Leaders assign, check and evaluate; the person responsible (the assignee) does the work. */
static const wf_transition ledger_transitions[] = {
    {"start", "assigned", "discussing", LEADERS, WF_ASSIGNEE, "开始研讨", "Start handling"},
    {"submit", "discussing", "checking", LEADERS, WF_ASSIGNEE | WF_NEEDS_NOTE, "提交问效",
     "Submit for checking"},
    {"verify", "checking", "evaluating", LEADERS, 0, "问效通过", "Effect confirmed"},
    {"return", "checking", "discussing", LEADERS, WF_NEEDS_REASON | WF_REOPEN, "退回重办",
     "Return for rework"},
    {"evaluate", "evaluating", "closed", LEADERS, WF_NEEDS_SCORE, "考评办结", "Evaluate and close"},
    {"reopen", "evaluating", "discussing", LEADERS, WF_NEEDS_REASON | WF_REOPEN, "重新打开",
     "Reopen"},
    {"cancel", "assigned", "cancelled", LEADERS, WF_NEEDS_REASON, "撤销", "Cancel"},
};

const wf_def ledger_wf = {
    "ledger_task",
    ledger_states,
    JC_NELEM(ledger_states),
    ledger_transitions,
    JC_NELEM(ledger_transitions),
    "assigned",
};

static const char DEFAULT_CATEGORIES[] =
    "[\"组织建设\",\"党员管理\",\"阵地建设\",\"制度建设\",\"作风建设\",\"服务群众\",\"四个一\"]";

const config_def ledger_config[] = {
    {"ledger.categories", DEFAULT_CATEGORIES, "党建工作台账的任务类别",
     "categories of ledger tasks", config_check_string_list},
};
const unsigned ledger_nconfig = JC_NELEM(ledger_config);

static const char *const frequencies[] = {"week", "month", "quarter", "year", NULL};

static void write_time(jw *w, const char *key, int64_t t)
{
    char ts[32];
    jc_time_local(t, ts);
    jw_kstr(w, key, ts);
}

void ledger_task_write(jw *w, jc_ctx *c, const ledger_task *t, bool with_actions)
{
    const wf_state *s = wf_state_find(&ledger_wf, t->state);
    jw_obj(w);
    jw_kint(w, "id", t->id);
    jw_kstr(w, "area", t->area_code);
    jw_kstr(w, "area_name", t->area_name ? t->area_name : "");
    jw_kstr(w, "title", t->title);
    jw_kstr(w, "description", t->description ? t->description : "");
    jw_kstr(w, "category", t->category);
    jw_kstr(w, "responsible_unit", t->responsible_unit ? t->responsible_unit : "");
    jw_kstr(w, "responsible_person", t->responsible_person ? t->responsible_person : "");
    jw_kstr(w, "deadline", t->deadline);
    jw_kstr(w, "state", t->state);
    jw_kstr(w, "state_zh", s ? s->zh : "");
    jw_kstr(w, "state_en", s ? s->en : "");
    jw_kbool(w, "overdue", wf_overdue(&ledger_wf, t->state, t->deadline, c->now));
    jw_kint(w, "reopen_count", t->reopen_count);
    write_time(w, "created_at", t->created_at);
    write_time(w, "updated_at", t->updated_at);
    jw_kint(w, "version", t->version);
    jw_key(w, "assignee");
    if (t->assignee_id) {
        jw_obj(w);
        jw_kint(w, "id", t->assignee_id);
        jw_kstr(w, "name", t->assignee_name ? t->assignee_name : "");
        jw_obj_end(w);
    } else {
        jw_null(w);
    }
    jw_key(w, "score");
    if (t->has_score)
        jw_int(w, t->score);
    else
        jw_null(w);
    jw_kstr(w, "eval_comment", t->eval_comment);
    jw_kstr(w, "last_note", t->last_note);
    jw_key(w, "duty_id");
    if (t->duty_id)
        jw_int(w, t->duty_id);
    else
        jw_null(w);
    jw_kstr(w, "period", t->period);
    if (t->closed_at)
        write_time(w, "closed_at", t->closed_at);
    else
        jw_knull(w, "closed_at");
    if (with_actions) {
        bool mine = c->user && t->assignee_id && c->user->id == t->assignee_id;
        jw_key(w, "actions");
        wf_write_allowed(w, c, &ledger_wf, t->state, mine);
        jw_kbool(w, "can_edit",
                 jc_user_has(c->user, LEADERS) && !wf_is_terminal(&ledger_wf, t->state));
    }
    jw_obj_end(w);
}

json_t *ledger_duty_json(jc_ctx *c, const ledger_duty *d)
{
    json_t *o = json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:I}", "id", (json_int_t)d->id,
        "area", d->area_code, "area_name", d->area_name ? d->area_name : "", "title", d->title,
        "description", d->description ? d->description : "", "category", d->category, "frequency",
        d->frequency, "responsible_unit", d->responsible_unit ? d->responsible_unit : "",
        "responsible_person", d->responsible_person ? d->responsible_person : "", "start_date",
        d->start_date, "active", d->active, "version", (json_int_t)d->version);
    if (!o) return NULL;
    json_object_set_new(o, "assignee",
                        d->assignee_id ? json_pack("{s:I, s:s}", "id", (json_int_t)d->assignee_id,
                                                   "name", d->assignee_name ? d->assignee_name : "")
                                       : json_null());
    return jc_own(c, o);
}

/* Snapshot of what a person would want to see changed in the history. */
static json_t *task_audit(jc_ctx *c, const ledger_task *t)
{
    json_t *o =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "area", t->area_code, "title", t->title,
                  "category", t->category, "deadline", t->deadline, "state", t->state,
                  "responsible_unit", t->responsible_unit ? t->responsible_unit : "",
                  "responsible_person", t->responsible_person ? t->responsible_person : "");
    if (!o) return NULL;
    if (t->description && *t->description)
        json_object_set_new(o, "description", json_string(t->description));
    if (t->assignee_id) json_object_set_new(o, "assignee_id", json_integer(t->assignee_id));
    if (t->has_score) json_object_set_new(o, "score", json_integer(t->score));
    if (t->eval_comment) json_object_set_new(o, "eval_comment", json_string(t->eval_comment));
    if (t->period) json_object_set_new(o, "period", json_string(t->period));
    return jc_own(c, o);
}

static int check_category(jc_ctx *c, const char *cat)
{
    if (cat && config_list_has(c, "ledger.categories", cat)) return JC_OK;
    jc_fail_extra(c, "allowed", json_incref(config_get(c, "ledger.categories")));
    return jc_fail(c, JC_EINVAL, "invalid_field", "category",
                   "category: not one of the configured categories (ledger.categories)",
                   "类别不在配置的任务类别中");
}

/* The assignee must exist, be active and have the task's area among their grants. */
static int check_assignee(jc_ctx *c, int64_t id, const char *area, const char **name)
{
    bool sees = false;
    int rc = db_ledger_user_name(c, id, name, &sees, area);
    if (rc) return rc;
    if (!sees)
        return jc_fail(c, JC_EUNPROC, "assignee_out_of_area", "assignee_id",
                       "the assignee is disabled or not granted this task's area",
                       "责任人已停用或不负责该任务所属区域");
    return JC_OK;
}

/* The area of a new or moved record: granted to the caller and present in the tree. A code in
 * the caller's subtree that names no area would otherwise reach the database as a foreign-key
 * failure. */
static int check_area(jc_ctx *c, const char *code)
{
    int rc = area_check(c, code, "area");
    if (rc) return rc;
    area_rec a;
    rc = area_get(c, code, &a);
    if (rc == JC_ENOTFOUND)
        return jc_fail(c, JC_EUNPROC, "unknown_area", "area",
                       arena_printf(c->a, "area %s does not exist", code),
                       arena_printf(c->a, "区域 %s 不存在", code));
    return rc;
}

int ledger_task_read(jc_ctx *c, int64_t id, ledger_task *t)
{
    int rc = db_ledger_task_get(c, id, t);
    if (rc) return rc;
    return area_check(c, t->area_code, NULL);
}

int ledger_task_create(jc_ctx *c, ledger_task *t, int64_t *id)
{
    if (!jc_user_has(c->user, LEADERS))
        return jc_fail(c, JC_EPERM, "forbidden", NULL,
                       "only leaders and administrators assign tasks",
                       "只有书记/主任或管理员可以定责");
    int rc = check_area(c, t->area_code);
    if (!rc) rc = check_category(c, t->category);
    if (!rc && t->assignee_id)
        rc = check_assignee(c, t->assignee_id, t->area_code, &t->assignee_name);
    if (rc) return rc;
    t->state = ledger_wf.initial;
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    if ((rc = db_ledger_task_insert(c, t, id))) goto fail;
    if (*id == 0) {
        rc = jc_fail(c, JC_ECONFLICT, "duplicate", "period",
                     "this duty already has a task for that period", "该常态化工作本期任务已存在");
        goto fail;
    }
    t->id = *id;
    if ((rc = audit_append_id(c, "create", "ledger_task", *id, t->area_code, NULL, task_audit(c, t),
                              NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

int ledger_task_edit(jc_ctx *c, int64_t id, int64_t version, const ledger_task *ch,
                     bool clear_assignee)
{
    if (!jc_user_has(c->user, LEADERS))
        return jc_fail(c, JC_EPERM, "forbidden", NULL, "only leaders and administrators edit tasks",
                       "只有书记/主任或管理员可以修改任务");
    int rc = store_begin(c->db);
    if (rc) return jc_fail_db(c, rc);
    ledger_task t;
    if ((rc = ledger_task_read(c, id, &t))) goto fail;
    if (wf_is_terminal(&ledger_wf, t.state)) {
        rc = jc_fail(c, JC_ECONFLICT, "closed", NULL, "a closed or cancelled task cannot be edited",
                     "已办结或已撤销的任务不能修改");
        goto fail;
    }
    if (t.version != version) {
        jc_fail_extra(c, "current_version", json_integer(t.version));
        rc = jc_fail(c, JC_ESTALE, "stale_version", "version",
                     "the task was changed by someone else; reload and try again",
                     "该任务已被他人修改,请刷新后重试");
        goto fail;
    }
    json_t *before = task_audit(c, &t);
    if (ch->area_code && (rc = check_area(c, ch->area_code))) goto fail;
    if (ch->category && (rc = check_category(c, ch->category))) goto fail;
#define APPLY(f)                                                                                   \
    if (ch->f) t.f = ch->f
    APPLY(area_code);
    APPLY(title);
    APPLY(description);
    APPLY(category);
    APPLY(responsible_unit);
    APPLY(responsible_person);
    APPLY(deadline);
#undef APPLY
    if (clear_assignee) t.assignee_id = 0;
    if (ch->assignee_id) t.assignee_id = ch->assignee_id;
    if (t.assignee_id && (ch->assignee_id || ch->area_code) &&
        (rc = check_assignee(c, t.assignee_id, t.area_code, &t.assignee_name)))
        goto fail;
    if ((rc = db_ledger_task_update(c, &t, version))) goto fail;
    if ((rc = audit_append_id(c, "update", "ledger_task", id, t.area_code, before,
                              task_audit(c, &t), NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

int ledger_task_transition(jc_ctx *c, int64_t id, int64_t version, const char *action,
                           const wf_input *in)
{
    int rc = store_begin(c->db);
    if (rc) return jc_fail_db(c, rc);
    ledger_task t;
    if ((rc = ledger_task_read(c, id, &t))) goto fail;
    /* the version first: an action on a task that moved on is "changed meanwhile", not illegal */
    if (t.version != version) {
        jc_fail_extra(c, "current_version", json_integer(t.version));
        rc = jc_fail(c, JC_ESTALE, "stale_version", "version",
                     "the task was changed by someone else; reload and try again",
                     "该任务已被他人修改,请刷新后重试");
        goto fail;
    }
    bool mine = t.assignee_id && c->user->id == t.assignee_id && !c->user->system;
    const wf_transition *tr;
    if ((rc = wf_check(c, &ledger_wf, t.state, action, mine, &tr))) goto fail;
    if ((rc = wf_check_inputs(c, tr, in))) goto fail;
    json_t *before = task_audit(c, &t);
    t.state = tr->to;
    if (in->note && *in->note) t.last_note = in->note;
    if (tr->flags & WF_REOPEN) {
        t.reopen_count++;
        t.has_score = false;
        t.eval_comment = NULL;
    }
    if (tr->flags & WF_NEEDS_SCORE) {
        t.has_score = true;
        t.score = *in->score;
        t.eval_comment = in->comment;
    }
    t.closed_at = wf_is_terminal(&ledger_wf, t.state) ? c->now : 0;
    if ((rc = db_ledger_task_update(c, &t, version))) goto fail;
    const char *why = in->reason && *in->reason     ? in->reason
                      : in->comment && *in->comment ? in->comment
                                                    : in->note;
    if ((rc = audit_append_id(c, action, "ledger_task", id, t.area_code, before, task_audit(c, &t),
                              why)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

/* ---- recurring duties ---- */

static json_t *duty_audit(jc_ctx *c, const ledger_duty *d)
{
    return jc_own(c,
                  json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s}", "area", d->area_code,
                            "title", d->title, "category", d->category, "frequency", d->frequency,
                            "start_date", d->start_date, "active", d->active, "responsible_unit",
                            d->responsible_unit ? d->responsible_unit : "", "responsible_person",
                            d->responsible_person ? d->responsible_person : ""));
}

int ledger_duty_create(jc_ctx *c, ledger_duty *d, int64_t *id)
{
    if (!jc_user_has(c->user, LEADERS))
        return jc_fail(c, JC_EPERM, "forbidden", NULL, "only leaders and administrators set duties",
                       "只有书记/主任或管理员可以设置常态化工作");
    int rc = check_area(c, d->area_code);
    if (!rc) rc = check_category(c, d->category);
    if (!rc && d->assignee_id)
        rc = check_assignee(c, d->assignee_id, d->area_code, &d->assignee_name);
    if (rc) return rc;
    char today_s[11];
    int64_t today, start;
    jc_date_local(c->now, today_s);
    jc_date_parse(today_s, &today);
    if (!jc_date_parse(d->start_date, &start) || start < today - 731 || start > today + 366)
        return jc_fail(c, JC_EINVAL, "invalid_field", "start_date",
                       "start_date must lie within two years before and one year after today",
                       "开始日期须在今天之前两年至之后一年之间");
    bool known = false;
    for (const char *const *f = frequencies; *f; f++) known |= strcmp(*f, d->frequency) == 0;
    if (!known)
        return jc_fail(c, JC_EINVAL, "invalid_field", "frequency",
                       "frequency must be week, month, quarter or year",
                       "频次须为 week、month、quarter 或 year");
    d->active = true;
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    if ((rc = db_ledger_duty_insert(c, d, id))) goto fail;
    if ((rc = audit_append_id(c, "create", "ledger_duty", *id, d->area_code, NULL, duty_audit(c, d),
                              NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    int created;
    return ledger_generate(c, *id, &created);
fail:
    store_rollback(c->db);
    return rc;
}

int ledger_duty_edit(jc_ctx *c, int64_t id, int64_t version, const ledger_duty *ch,
                     const bool *active)
{
    if (!jc_user_has(c->user, LEADERS))
        return jc_fail(c, JC_EPERM, "forbidden", NULL, "only leaders and administrators set duties",
                       "只有书记/主任或管理员可以设置常态化工作");
    int rc = store_begin(c->db);
    if (rc) return jc_fail_db(c, rc);
    ledger_duty d;
    if ((rc = db_ledger_duty_get(c, id, &d))) goto fail;
    if ((rc = area_check(c, d.area_code, NULL))) goto fail;
    json_t *before = duty_audit(c, &d);
    if (ch->category && (rc = check_category(c, ch->category))) goto fail;
    if (ch->title) d.title = ch->title;
    if (ch->description) d.description = ch->description;
    if (ch->category) d.category = ch->category;
    if (ch->responsible_unit) d.responsible_unit = ch->responsible_unit;
    if (ch->responsible_person) d.responsible_person = ch->responsible_person;
    if (ch->assignee_id > 0) {
        if ((rc = check_assignee(c, ch->assignee_id, d.area_code, &d.assignee_name))) goto fail;
        d.assignee_id = ch->assignee_id;
    }
    if (ch->assignee_id < 0) d.assignee_id = 0;
    if (active) d.active = *active;
    if ((rc = db_ledger_duty_update(c, &d, version))) {
        if (rc == JC_ESTALE) jc_fail_extra(c, "current_version", json_integer(d.version));
        goto fail;
    }
    if ((rc = audit_append_id(c, "update", "ledger_duty", id, d.area_code, before,
                              duty_audit(c, &d), NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

static const char *freq_zh(const char *f)
{
    if (strcmp(f, "week") == 0) return "周";
    if (strcmp(f, "month") == 0) return "月";
    if (strcmp(f, "quarter") == 0) return "季度";
    return "年";
}

/* The period containing `days`, its last day, and the first day of the next period. */
static bool period_at(const char *freq, int64_t days, char name[16], int64_t *first, int64_t *last)
{
    char f[11], l[11];
    if (!jc_period_of(freq, days, name) || !jc_period_parse(name, f, l)) return false;
    return jc_date_parse(f, first) && jc_date_parse(l, last);
}

static int generate_one(jc_ctx *c, int64_t duty_id, int *created)
{
    ledger_duty d;
    int rc = db_ledger_duty_get(c, duty_id, &d);
    if (rc) return rc;
    if (!d.active) return JC_OK;
    int64_t start, today;
    char today_s[11];
    jc_date_local(c->now, today_s);
    if (!jc_date_parse(d.start_date, &start) || !jc_date_parse(today_s, &today)) return JC_OK;
    int64_t day = start;
    /* start dates lie at most two years back (ledger_duty_create), so the walk is short */
    while (day <= today) {
        char name[16];
        int64_t first, last;
        if (!period_at(d.frequency, day, name, &first, &last)) break;
        char deadline[11];
        jc_date_format(last, deadline);
        ledger_task t = {0};
        t.area_code = d.area_code;
        t.title = arena_printf(c->a, "%s(%s)", d.title, name);
        t.description = d.description;
        t.category = d.category;
        t.responsible_unit = d.responsible_unit;
        t.responsible_person = d.responsible_person;
        t.assignee_id = d.assignee_id;
        t.deadline = deadline;
        t.state = ledger_wf.initial;
        t.duty_id = d.id;
        t.period = name;
        int64_t id;
        bool exists;
        /* look first: a refused insert would still burn an id of the PostgreSQL sequence */
        if ((rc = db_ledger_task_exists(c, d.id, name, &exists))) return rc;
        if (exists) {
            day = last + 1;
            continue;
        }
        if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
        rc = db_ledger_task_insert(c, &t, &id);
        if (!rc && id) {
            t.id = id;
            rc = audit_append_id(c, "generate", "ledger_task", id, t.area_code, NULL,
                                 task_audit(c, &t),
                                 arena_printf(c->a, "每%s一次:%s", freq_zh(d.frequency), d.title));
            if (!rc) (*created)++;
        }
        if (rc) {
            store_rollback(c->db);
            return rc;
        }
        if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
        day = last + 1;
    }
    return JC_OK;
}

int ledger_generate(jc_ctx *c, int64_t only_duty, int *created)
{
    *created = 0;
    if (only_duty) return generate_one(c, only_duty, created);
    int64_t ids[1000];
    int n;
    int rc = db_ledger_duty_ids(c, ids, 1000, &n);
    for (int i = 0; !rc && i < n; i++) rc = generate_one(c, ids[i], created);
    return rc;
}

int ledger_compliance(jc_ctx *c, const ledger_filter *f, json_t **out)
{
    json_t *duties = jc_own(c, json_array());
    int64_t total;
    ledger_filter all = *f;
    all.limit = 1000;
    all.offset = 0;
    int rc = db_ledger_duty_list(c, &all, duties, &total);
    if (rc) return rc;
    char today_s[11];
    jc_date_local(c->now, today_s);
    int64_t sum_req = 0, sum_ontime = 0, sum_late = 0, sum_open = 0;
    json_t *rows = json_array();
    size_t i;
    json_t *d;
    json_array_foreach(duties, i, d)
    {
        json_t *tasks = jc_own(c, json_array());
        if ((rc = db_ledger_duty_tasks(c, json_integer_value(json_object_get(d, "id")), f->from,
                                       f->to, tasks))) {
            json_decref(rows);
            return rc;
        }
        int64_t req = 0, ontime = 0, late = 0, open = 0;
        json_t *periods = json_array();
        size_t k;
        json_t *t;
        json_array_foreach(tasks, k, t)
        {
            const char *state = json_string_value(json_object_get(t, "state"));
            const char *deadline = json_string_value(json_object_get(t, "deadline"));
            const char *status;
            if (strcmp(state, "cancelled") == 0) continue; /* a cancelled period is not owed */
            req++;
            if (strcmp(state, "closed") == 0) {
                char closed_day[11];
                jc_date_local(json_integer_value(json_object_get(t, "closed_at_epoch")),
                              closed_day);
                bool in_time = strcmp(closed_day, deadline) <= 0;
                in_time ? ontime++ : late++;
                status = in_time ? "done" : "late";
            } else {
                open++;
                status = strcmp(deadline, today_s) < 0 ? "missed" : "open";
            }
            json_array_append_new(
                periods, json_pack("{s:O, s:O, s:s, s:O}", "period", json_object_get(t, "period"),
                                   "task_id", json_object_get(t, "task_id"), "status", status,
                                   "deadline", json_object_get(t, "deadline")));
        }
        sum_req += req;
        sum_ontime += ontime;
        sum_late += late;
        sum_open += open;
        json_array_append_new(
            rows,
            json_pack("{s:O, s:O, s:O, s:O, s:I, s:I, s:I, s:I, s:o, s:o}", "duty_id",
                      json_object_get(d, "id"), "title", json_object_get(d, "title"), "frequency",
                      json_object_get(d, "frequency"), "area", json_object_get(d, "area"),
                      "required", (json_int_t)req, "on_time", (json_int_t)ontime, "late",
                      (json_int_t)late, "open", (json_int_t)open, "rate",
                      req ? json_real((double)(ontime * 1000 / req) / 10.0) : json_null(),
                      "periods", periods));
    }
    *out = jc_own(c, json_pack("{s:s, s:s, s:o, s:I, s:I, s:I, s:I, s:o}", "from", f->from, "to",
                               f->to, "duties", rows, "required", (json_int_t)sum_req, "on_time",
                               (json_int_t)sum_ontime, "late", (json_int_t)sum_late, "open",
                               (json_int_t)sum_open, "rate",
                               sum_req ? json_real((double)(sum_ontime * 1000 / sum_req) / 10.0)
                                       : json_null()));
    return JC_OK;
}
