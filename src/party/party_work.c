/* party_work.c — the work around the registry: incubation plans of units without their own
 * organization (内部培养、输入党员、招聘优先), instructors stationed at units (蹲点) and the
 * demonstration point of each business category, visits and advice, the 三向服务清单 with needs
 * matched to offers and tracked to done, and the joint meetings (联席会). */
#include "party.h"

#include <stdio.h>
#include <string.h>

#define STAFF      (RB(ROLE_ADMIN) | RB(ROLE_LEADER))
#define INSTRUCTOR RB(ROLE_PARTY_INSTRUCTOR)

static int rollback(jc_ctx *c, int rc)
{
    store_rollback(c->db);
    return rc;
}

static int commit(jc_ctx *c)
{
    int rc = store_commit(c->db);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static bool is_staff(jc_ctx *c)
{
    return jc_user_has(c->user, STAFF);
}

static bool valid_past_date(jc_ctx *c, const char *d)
{
    char today[11];
    jc_date_local(c->now, today);
    return d && jc_date_valid(d) && strcmp(d, today) <= 0;
}

static int bad_date(jc_ctx *c, const char *field)
{
    return jc_fail(c, JC_EINVAL, "invalid_field", field,
                   arena_printf(c->a, "%s must be a real date, not in the future", field),
                   "日期须为有效日期,且不能晚于今天");
}

/* A user who is a party instructor, enabled, granted the area. */
static int check_instructor(jc_ctx *c, int64_t id, const char *area, const char **name)
{
    unsigned roles = 0;
    int rc = db_party_user_name(c, id, name, &roles);
    if (rc) return rc;
    jc_user u;
    if (!(roles & INSTRUCTOR))
        return jc_fail(c, JC_EUNPROC, "not_instructor", "instructor_id",
                       "the user is not an enabled party-building instructor",
                       "该用户不是在岗的党建指导员");
    rc = user_load(c, id, &u);
    if (rc) {
        c->err = (jc_err){0};
        return jc_fail(c, JC_EUNPROC, "not_instructor", "instructor_id",
                       "the user is not an enabled party-building instructor",
                       "该用户不是在岗的党建指导员");
    }
    if (!area_visible(&u, area))
        return jc_fail(c, JC_EUNPROC, "instructor_out_of_area", "instructor_id",
                       "the instructor is not granted this unit's area",
                       "该指导员不负责此单位所在区域");
    return JC_OK;
}

/* Instructors act on the units they are stationed at or whose plan they hold. */
static int instructor_may(jc_ctx *c, int64_t unit_id, int64_t plan_instructor)
{
    if (is_staff(c) || c->user->system) return JC_OK;
    if (!jc_user_has(c->user, INSTRUCTOR))
        return jc_fail(c, JC_EPERM, "forbidden", NULL, "your role may not do this",
                       "您的角色无权执行此操作");
    if (plan_instructor == c->user->id) return JC_OK;
    bool yes = false;
    int rc = db_party_station_active(c, unit_id, c->user->id, &yes);
    if (rc) return rc;
    if (yes) return JC_OK;
    return jc_fail(c, JC_EPERM, "not_your_unit", NULL,
                   "instructors work on the units they are stationed at or whose plan they hold",
                   "指导员只能处理本人蹲点或负责孵化的单位");
}

/* ---- incubation ---- */

static json_t *plan_audit(jc_ctx *c, const party_plan *p)
{
    json_t *o =
        json_pack("{s:s, s:s, s:s, s:s?}", "area", p->area_code, "path", p->path, "next_step",
                  p->next_step ? p->next_step : "", "target_date", p->target_date);
    if (o && p->instructor_id)
        json_object_set_new(o, "instructor_id", json_integer(p->instructor_id));
    return jc_own(c, o);
}

int party_plan_set(jc_ctx *c, int64_t unit_id, int64_t version, const char *path,
                   const int64_t *instructor_id, bool clear_instructor, const char *next_step,
                   const char *target_date, bool clear_target, const char *note)
{
    int rc = store_begin(c->db);
    if (rc) return jc_fail_db(c, rc);
    party_unit u;
    if ((rc = party_unit_read(c, unit_id, &u))) return rollback(c, rc);
    party_plan p = {0}, old;
    rc = db_party_plan_get(c, unit_id, &old);
    bool exists = rc == JC_OK;
    if (rc && rc != JC_ENOTFOUND) return rollback(c, rc);
    if ((rc = instructor_may(c, unit_id, exists ? old.instructor_id : 0))) return rollback(c, rc);
    int64_t current = exists ? old.version : 0;
    if (version != current) {
        jc_fail_extra(c, "current_version", json_integer(current));
        return rollback(c, jc_fail(c, JC_ESTALE, "stale_version", "version",
                                   exists ? "the plan was changed by someone else; reload"
                                          : "there is no plan yet: send version 0 to create it",
                                   exists ? "孵化计划已被他人修改,请刷新后重试"
                                          : "尚无孵化计划:新建时 version 须为0"));
    }
    if (u.org_id && strcmp(u.org_status, "established") == 0 &&
        strcmp(u.org_setting, "single") == 0)
        return rollback(c, jc_fail(c, JC_ECONFLICT, "has_own_org", NULL,
                                   "the unit already has its own party organization",
                                   "该单位已单独建立党组织,无需孵化"));
    if (exists) p = old;
    p.unit_id = unit_id;
    p.area_code = u.area_code;
    if (path) p.path = path;
    if (!p.path)
        return rollback(c, jc_fail(c, JC_EINVAL, "required", "path",
                                   "the path is required: train, transfer or hire",
                                   "须选择孵化路径:内部培养、输入党员或招聘优先"));
    if (next_step) p.next_step = next_step;
    if (clear_target) p.target_date = NULL;
    if (target_date) p.target_date = target_date;
    if (clear_instructor) p.instructor_id = 0;
    if (instructor_id) {
        const char *name;
        if ((rc = check_instructor(c, *instructor_id, u.area_code, &name))) return rollback(c, rc);
        p.instructor_id = *instructor_id;
    }
    json_t *before = exists ? plan_audit(c, &old) : NULL;
    if ((rc = db_party_plan_upsert(c, &p, version))) return rollback(c, rc);
    if ((rc = audit_append_id(c, exists ? "update" : "create", "party_incubation", unit_id,
                              u.area_code, before, plan_audit(c, &p), note)))
        return rollback(c, rc);
    return commit(c);
}

/* ---- stations and demonstration points ---- */

int party_station_create(jc_ctx *c, int64_t unit_id, int64_t instructor_id, const char *goal,
                         const char *since, int64_t *id)
{
    if (!is_staff(c))
        return jc_fail(c, JC_EPERM, "forbidden", NULL,
                       "leaders and administrators station instructors",
                       "由书记/主任或管理员安排指导员蹲点");
    if (!valid_past_date(c, since)) return bad_date(c, "since");
    int rc = store_begin(c->db);
    if (rc) return jc_fail_db(c, rc);
    party_unit u;
    const char *name;
    if ((rc = party_unit_read(c, unit_id, &u))) return rollback(c, rc);
    if ((rc = check_instructor(c, instructor_id, u.area_code, &name))) return rollback(c, rc);
    bool already = false;
    if ((rc = db_party_station_active(c, unit_id, instructor_id, &already))) return rollback(c, rc);
    if (already)
        return rollback(c, jc_fail(c, JC_ECONFLICT, "duplicate", "unit_id",
                                   "the instructor is already stationed at this unit",
                                   "该指导员已在此单位蹲点"));
    if ((rc = db_party_station_insert(c, u.area_code, unit_id, instructor_id, goal, since, id)))
        return rollback(c, rc);
    json_t *after = jc_own(c, json_pack("{s:s, s:I, s:s, s:I, s:s, s:s, s:s}", "area", u.area_code,
                                        "unit_id", (json_int_t)unit_id, "unit", u.name,
                                        "instructor_id", (json_int_t)instructor_id, "instructor",
                                        name, "goal", goal, "since", since));
    if ((rc = audit_append_id(c, "create", "party_station", *id, u.area_code, NULL, after, NULL)))
        return rollback(c, rc);
    return commit(c);
}

int party_station_edit(jc_ctx *c, int64_t id, int64_t version, const char *goal, const char *until)
{
    if (!is_staff(c))
        return jc_fail(c, JC_EPERM, "forbidden", NULL,
                       "leaders and administrators station instructors",
                       "由书记/主任或管理员安排指导员蹲点");
    if (until && !valid_past_date(c, until)) return bad_date(c, "until");
    int rc = store_begin(c->db);
    if (rc) return jc_fail_db(c, rc);
    json_t *s;
    const char *area;
    int64_t cur;
    if ((rc = db_party_station_get(c, id, &s, &area, &cur))) return rollback(c, rc);
    if ((rc = area_check(c, area, NULL))) return rollback(c, rc);
    if (cur != version) {
        jc_fail_extra(c, "current_version", json_integer(cur));
        return rollback(c, jc_fail(c, JC_ESTALE, "stale_version", "version",
                                   "the station was changed by someone else; reload",
                                   "蹲点记录已被他人修改,请刷新后重试"));
    }
    const char *since = json_string_value(json_object_get(s, "since"));
    if (until && strcmp(until, since) < 0)
        return rollback(c,
                        jc_fail(c, JC_EINVAL, "invalid_field", "until",
                                "a station ends after it starts", "蹲点结束日期不能早于开始日期"));
    if (!json_is_null(json_object_get(s, "until")) && until)
        return rollback(c, jc_fail(c, JC_ECONFLICT, "closed", "until",
                                   "the station has already ended", "该蹲点已结束"));
    const char *g = goal ? goal : json_string_value(json_object_get(s, "goal"));
    const char *u = until ? until : json_string_value(json_object_get(s, "until"));
    if ((rc = db_party_station_update(c, id, version, g, u))) return rollback(c, rc);
    json_t *before = json_pack("{s:O, s:O}", "goal", json_object_get(s, "goal"), "until",
                               json_object_get(s, "until"));
    json_t *after = json_pack("{s:s, s:s?}", "goal", g, "until", u);
    rc = audit_append_id(c, "update", "party_station", id, area, jc_own(c, before),
                         jc_own(c, after), NULL);
    if (rc) return rollback(c, rc);
    return commit(c);
}

int party_point_set(jc_ctx *c, const char *category, int64_t unit_id, const char *chosen_on,
                    const char *note, int64_t *id)
{
    if (!is_staff(c))
        return jc_fail(c, JC_EPERM, "forbidden", NULL,
                       "leaders and administrators choose demonstration points",
                       "由书记/主任或管理员确定示范点");
    if (!valid_past_date(c, chosen_on)) return bad_date(c, "chosen_on");
    int rc = party_check_category(c, category, "category");
    if (rc) return rc;
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    party_unit u;
    if ((rc = party_unit_read(c, unit_id, &u))) return rollback(c, rc);
    if (strcmp(u.category, category) != 0)
        return rollback(c, jc_fail(c, JC_EUNPROC, "category_mismatch", "unit_id",
                                   arena_printf(c->a, "%s is of category %s, not %s", u.name,
                                                u.category, category),
                                   arena_printf(c->a, "%s 属于「%s」类,不是「%s」类", u.name,
                                                u.category, category)));
    if (strcmp(u.status, "operating") != 0)
        return rollback(c, jc_fail(c, JC_EUNPROC, "unit_closed", "unit_id",
                                   "a closed unit cannot be a demonstration point",
                                   "已关闭的单位不能作为示范点"));
    if (area_code_level(u.area_code) < AREA_TOWNSHIP)
        return rollback(c, jc_fail(c, JC_EUNPROC, "area_level", "unit_id",
                                   "the unit lies above a sub-district", "该单位不在街道/镇以下"));
    char township[16];
    snprintf(township, sizeof township, "%.9s000", u.area_code);
    /* the point of this category and township, if any, is replaced: one per category */
    json_t *before = NULL;
    int64_t found = 0;
    party_filter f = {.covered = true};
    snprintf(f.lo, sizeof f.lo, "%.9s", u.area_code);
    snprintf(f.hi, sizeof f.hi, "%.9s:", u.area_code);
    json_t *pts = jc_own(c, json_array());
    if ((rc = db_party_point_list(c, &f, pts))) return rollback(c, rc);
    size_t i;
    json_t *p;
    json_array_foreach(
        pts, i, p) if (strcmp(json_string_value(json_object_get(p, "category")), category) == 0)
    {
        found = json_integer_value(json_object_get(p, "id"));
        before = json_pack("{s:s, s:O, s:O, s:O}", "category", category, "unit_id",
                           json_object_get(json_object_get(p, "unit"), "id"), "chosen_on",
                           json_object_get(p, "chosen_on"), "note", json_object_get(p, "note"));
    }
    if ((rc = db_party_point_insert(c, township, category, unit_id, u.area_code, chosen_on, note,
                                    id)))
        return rollback(c, rc);
    json_t *after =
        json_pack("{s:s, s:I, s:s, s:s, s:s}", "category", category, "unit_id", (json_int_t)unit_id,
                  "unit", u.name, "chosen_on", chosen_on, "note", note ? note : "");
    if ((rc = audit_append_id(c, found ? "update" : "create", "party_demo_point", *id, u.area_code,
                              jc_own(c, before), jc_own(c, after), note)))
        return rollback(c, rc);
    return commit(c);
}

int party_visit_create(jc_ctx *c, int64_t unit_id, const char *on, const char *kind,
                       const char *summary, const char *advice, const char *outcome, int64_t *id)
{
    if (!valid_past_date(c, on)) return bad_date(c, "date");
    int rc = store_begin(c->db);
    if (rc) return jc_fail_db(c, rc);
    party_unit u;
    if ((rc = party_unit_read(c, unit_id, &u))) return rollback(c, rc);
    if ((rc = instructor_may(c, unit_id, u.plan_instructor_id))) return rollback(c, rc);
    int64_t who = c->user->system ? 0 : c->user->id;
    if ((rc = db_party_visit_insert(c, u.area_code, unit_id, who, on, kind, summary, advice,
                                    outcome, id)))
        return rollback(c, rc);
    json_t *after = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s}", "area", u.area_code, "unit_id",
                              (json_int_t)unit_id, "date", on, "kind", kind, "summary", summary,
                              "advice", advice ? advice : "", "outcome", outcome ? outcome : "");
    if ((rc = audit_append_id(c, "create", "party_visit", *id, u.area_code, NULL, jc_own(c, after),
                              NULL)))
        return rollback(c, rc);
    return commit(c);
}

/* ---- 三向服务清单 ---- */

int party_service_create(jc_ctx *c, const char *area, const char *list, const char *title,
                         const char *description, const char *provider, int64_t unit_id,
                         const char *contact, int64_t *id)
{
    int rc = party_check_area(c, area, "area");
    if (rc) return rc;
    if (strcmp(list, "enterprise") == 0 && unit_id <= 0)
        return jc_fail(c, JC_EINVAL, "required", "unit_id",
                       "an offer of an enterprise names the enterprise (unit_id)",
                       "企业提供的服务须指明企业(unit_id)");
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    if (unit_id > 0) {
        party_unit u;
        if ((rc = party_unit_read(c, unit_id, &u))) {
            if (rc == JC_ENOTFOUND || rc == JC_EPERM) {
                c->err = (jc_err){0};
                rc =
                    jc_fail(c, JC_EUNPROC, "unknown_unit", "unit_id", "no such unit", "单位不存在");
            }
            return rollback(c, rc);
        }
        if (!provider || !*provider) provider = u.name;
    }
    if ((rc = db_party_service_insert(c, area, list, title, description, provider, unit_id, contact,
                                      id)))
        return rollback(c, rc);
    json_t *after = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "area", area, "list", list, "title",
                              title, "description", description ? description : "", "provider",
                              provider ? provider : "", "contact", contact ? contact : "");
    if (after && unit_id > 0) json_object_set_new(after, "unit_id", json_integer(unit_id));
    if ((rc = audit_append_id(c, "create", "party_service", *id, area, NULL, jc_own(c, after),
                              NULL)))
        return rollback(c, rc);
    return commit(c);
}

int party_service_edit(jc_ctx *c, int64_t id, int64_t version, const char *title,
                       const char *description, const char *provider, const char *contact,
                       const bool *active)
{
    int rc = store_begin(c->db);
    if (rc) return jc_fail_db(c, rc);
    json_t *s;
    if ((rc = db_party_service_get(c, id, &s))) return rollback(c, rc);
    const char *area = json_string_value(json_object_get(s, "area"));
    if ((rc = area_check(c, area, NULL))) return rollback(c, rc);
    if (json_integer_value(json_object_get(s, "version")) != version) {
        jc_fail_extra(c, "current_version", json_incref(json_object_get(s, "version")));
        return rollback(c, jc_fail(c, JC_ESTALE, "stale_version", "version",
                                   "the item was changed by someone else; reload",
                                   "服务清单项已被他人修改,请刷新后重试"));
    }
#define CUR(k) json_string_value(json_object_get(s, k))
    const char *t = title ? title : CUR("title"),
               *d = description ? description : CUR("description"),
               *p = provider ? provider : CUR("provider"), *k = contact ? contact : CUR("contact");
#undef CUR
    bool act = active ? *active : json_is_true(json_object_get(s, "active"));
    if ((rc = db_party_service_update(c, id, version, t, d, p, k, act))) return rollback(c, rc);
    json_t *before =
        json_pack("{s:O, s:O, s:O, s:O, s:O}", "title", json_object_get(s, "title"), "description",
                  json_object_get(s, "description"), "provider", json_object_get(s, "provider"),
                  "contact", json_object_get(s, "contact"), "active", json_object_get(s, "active"));
    json_t *after = json_pack("{s:s, s:s, s:s, s:s, s:b}", "title", t, "description", d, "provider",
                              p, "contact", k, "active", act);
    if ((rc = audit_append_id(c, "update", "party_service", id, area, jc_own(c, before),
                              jc_own(c, after), NULL)))
        return rollback(c, rc);
    return commit(c);
}

int party_match_create(jc_ctx *c, int64_t need_id, int64_t offer_id, const char *on,
                       const char *note, int64_t *id)
{
    if (!valid_past_date(c, on)) return bad_date(c, "date");
    int rc = store_begin(c->db);
    if (rc) return jc_fail_db(c, rc);
    json_t *need, *offer;
    rc = db_party_service_get(c, need_id, &need);
    if (!rc) rc = area_check(c, json_string_value(json_object_get(need, "area")), NULL);
    if (rc == JC_ENOTFOUND || rc == JC_EPERM) {
        c->err = (jc_err){0};
        return rollback(
            c, jc_fail(c, JC_EUNPROC, "unknown_need", "need_id", "no such need", "群众需求不存在"));
    }
    if (rc) return rollback(c, rc);
    rc = db_party_service_get(c, offer_id, &offer);
    if (!rc) rc = area_check(c, json_string_value(json_object_get(offer, "area")), NULL);
    if (rc == JC_ENOTFOUND || rc == JC_EPERM) {
        c->err = (jc_err){0};
        return rollback(c, jc_fail(c, JC_EUNPROC, "unknown_offer", "offer_id", "no such offer",
                                   "服务资源不存在"));
    }
    if (rc) return rollback(c, rc);
    if (strcmp(json_string_value(json_object_get(need, "list")), "need") != 0)
        return rollback(c, jc_fail(c, JC_EUNPROC, "not_a_need", "need_id",
                                   "need_id must be an item of the residents' needs list",
                                   "need_id 须为群众需求清单中的项目"));
    if (strcmp(json_string_value(json_object_get(offer, "list")), "need") == 0)
        return rollback(c, jc_fail(c, JC_EUNPROC, "not_an_offer", "offer_id",
                                   "offer_id must be an item offered by the office or an "
                                   "enterprise",
                                   "offer_id 须为街道或企业提供的服务项目"));
    if (!json_is_true(json_object_get(need, "active")) ||
        !json_is_true(json_object_get(offer, "active")))
        return rollback(c, jc_fail(c, JC_EUNPROC, "inactive", NULL, "both items must be active",
                                   "需求和服务项目须为有效状态"));
    int64_t busy;
    if ((rc = db_party_need_busy(c, need_id, &busy))) return rollback(c, rc);
    if (busy) {
        jc_fail_extra(c, "match_id", json_integer(busy));
        return rollback(c,
                        jc_fail(c, JC_ECONFLICT, "need_matched", "need_id",
                                "the need is already matched (or done)", "该需求已对接或已完成"));
    }
    const char *area = json_string_value(json_object_get(need, "area"));
    if ((rc = db_party_match_insert(c, area, need_id, offer_id, on, note, id)))
        return rollback(c, rc);
    json_t *after = json_pack("{s:s, s:I, s:I, s:s, s:s, s:s}", "area", area, "need_id",
                              (json_int_t)need_id, "offer_id", (json_int_t)offer_id, "state",
                              "matched", "matched_on", on, "note", note ? note : "");
    if ((rc = audit_append_id(c, "create", "party_match", *id, area, NULL, jc_own(c, after), note)))
        return rollback(c, rc);
    return commit(c);
}

int party_match_transition(jc_ctx *c, int64_t id, int64_t version, const char *action,
                           const char *note, const char *reason, const int64_t *beneficiaries,
                           const char *date)
{
    int rc = store_begin(c->db);
    if (rc) return jc_fail_db(c, rc);
    json_t *m;
    if ((rc = db_party_match_get(c, id, &m))) return rollback(c, rc);
    const char *area = json_string_value(json_object_get(m, "area"));
    if ((rc = area_check(c, area, NULL))) return rollback(c, rc);
    int64_t cur = json_integer_value(json_object_get(m, "version"));
    if (cur != version) {
        jc_fail_extra(c, "current_version", json_integer(cur));
        return rollback(c, jc_fail(c, JC_ESTALE, "stale_version", "version",
                                   "the match was changed by someone else; reload",
                                   "对接记录已被他人修改,请刷新后重试"));
    }
    const char *state = json_string_value(json_object_get(m, "state"));
    const wf_transition *tr;
    if ((rc = wf_check(c, &party_match_wf, state, action, false, &tr))) return rollback(c, rc);
    wf_input in = {note, reason, NULL, NULL};
    if ((rc = wf_check_inputs(c, tr, &in))) return rollback(c, rc);
    char today[11];
    jc_date_local(c->now, today);
    if (date && !valid_past_date(c, date)) return rollback(c, bad_date(c, "date"));
    const char *done_on = strcmp(tr->to, "done") == 0 ? (date ? date : today) : NULL;
    const char *outcome =
        strcmp(tr->to, "done") == 0 ? note : json_string_value(json_object_get(m, "outcome"));
    int64_t ben =
        beneficiaries ? *beneficiaries : json_integer_value(json_object_get(m, "beneficiaries"));
    if ((rc = db_party_match_update(c, id, version, tr->to, done_on, outcome, ben)))
        return rollback(c, rc);
    json_t *before = json_pack("{s:s, s:s}", "area", area, "state", state);
    json_t *after =
        json_pack("{s:s, s:s, s:s?, s:s, s:I}", "area", area, "state", tr->to, "done_on", done_on,
                  "outcome", outcome ? outcome : "", "beneficiaries", (json_int_t)ben);
    if ((rc = audit_append_id(c, action, "party_match", id, area, jc_own(c, before),
                              jc_own(c, after), reason ? reason : note)))
        return rollback(c, rc);
    return commit(c);
}

/* ---- joint meetings ---- */

static int check_attendees(jc_ctx *c, json_t *a)
{
    size_t i;
    json_t *e;
    bool ok = json_is_array(a) && json_array_size(a) <= 200;
    json_array_foreach(a, i, e)
    {
        const char *name = json_string_value(json_object_get(e, "name"));
        json_t *unit = json_object_get(e, "unit"), *present = json_object_get(e, "present");
        const char *k;
        json_t *v;
        json_object_foreach(e, k, v) if (strcmp(k, "name") && strcmp(k, "unit") &&
                                         strcmp(k, "present")) ok = false;
        if (!json_is_object(e) || !name || jc_blank(name) || jc_utf8_len(name) > 40 ||
            jc_has_control(name) ||
            (unit && (!json_is_string(unit) || jc_utf8_len(json_string_value(unit)) > 100 ||
                      jc_has_control(json_string_value(unit)))) ||
            !json_is_boolean(present))
            ok = false;
    }
    if (ok) return JC_OK;
    return jc_fail(c, JC_EINVAL, "invalid_field", "attendees",
                   "attendees must be a list of at most 200 {name, unit, present}",
                   "参会人员须为不超过200人的列表,每人为 {name 姓名, unit 单位, present 是否出席}");
}

static int check_decisions(jc_ctx *c, json_t *d)
{
    size_t i;
    json_t *e;
    bool ok = json_is_array(d) && json_array_size(d) <= 50;
    json_array_foreach(d, i, e) if (!json_is_string(e) || jc_blank(json_string_value(e)) ||
                                    jc_utf8_len(json_string_value(e)) > 500 ||
                                    jc_has_control(json_string_value(e))) ok = false;
    if (ok) return JC_OK;
    return jc_fail(c, JC_EINVAL, "invalid_field", "decisions",
                   "decisions must be a list of at most 50 texts of up to 500 characters",
                   "议定事项须为不超过50条、每条不超过500字的列表");
}

static char *dump(jc_ctx *c, json_t *v)
{
    char *s = json_dumps(v, JSON_COMPACT);
    char *r = s ? arena_strdup(c->a, s) : NULL;
    free(s);
    return r;
}

int party_meeting_save(jc_ctx *c, int64_t id, int64_t version, const char *area, const char *title,
                       const char *held_on, const char *place, const char *host, json_t *attendees,
                       json_t *decisions, const char *minutes, int64_t *out_id)
{
    if (held_on && !jc_date_valid(held_on))
        return jc_fail(c, JC_EINVAL, "invalid_field", "held_on", "held_on must be a date",
                       "会议日期须为有效日期");
    int rc;
    if (attendees && (rc = check_attendees(c, attendees))) return rc;
    if (decisions && (rc = check_decisions(c, decisions))) return rc;
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    json_t *before = NULL;
    if (id) {
        json_t *m;
        if ((rc = db_party_meeting_get(c, id, &m))) return rollback(c, rc);
        area = json_string_value(json_object_get(m, "area"));
        if ((rc = area_check(c, area, NULL))) return rollback(c, rc);
        if (json_integer_value(json_object_get(m, "version")) != version) {
            jc_fail_extra(c, "current_version", json_incref(json_object_get(m, "version")));
            return rollback(c, jc_fail(c, JC_ESTALE, "stale_version", "version",
                                       "the meeting was changed by someone else; reload",
                                       "会议记录已被他人修改,请刷新后重试"));
        }
        before = m;
#define CUR(k) json_string_value(json_object_get(m, k))
        if (!title) title = CUR("title");
        if (!held_on) held_on = CUR("held_on");
        if (!place) place = CUR("place");
        if (!host) host = CUR("host");
        if (!minutes) minutes = CUR("minutes");
#undef CUR
        if (!attendees) attendees = json_object_get(m, "attendees");
        if (!decisions) decisions = json_object_get(m, "decisions");
    } else if ((rc = party_check_area(c, area, "area"))) {
        return rollback(c, rc);
    }
    json_t *empty = jc_own(c, json_array());
    const char *att = dump(c, attendees ? attendees : empty);
    const char *dec = dump(c, decisions ? decisions : empty);
    if (!att || !dec) return rollback(c, JC_ENOMEM);
    if (id) {
        rc = db_party_meeting_update(c, id, version, title, held_on, place ? place : "",
                                     host ? host : "", att, dec, minutes ? minutes : "");
        *out_id = id;
    } else {
        rc = db_party_meeting_insert(c, area, title, held_on, place, host, att, dec, minutes,
                                     out_id);
    }
    if (rc) return rollback(c, rc);
    json_t *after =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:O, s:O, s:s}", "area", area, "title", title,
                  "held_on", held_on, "place", place ? place : "", "host", host ? host : "",
                  "attendees", attendees ? attendees : empty, "decisions",
                  decisions ? decisions : empty, "minutes", minutes ? minutes : "");
    json_t *b = NULL;
    if (before)
        b = json_pack(
            "{s:O, s:O, s:O, s:O, s:O, s:O, s:O}", "title", json_object_get(before, "title"),
            "held_on", json_object_get(before, "held_on"), "place",
            json_object_get(before, "place"), "host", json_object_get(before, "host"), "attendees",
            json_object_get(before, "attendees"), "decisions", json_object_get(before, "decisions"),
            "minutes", json_object_get(before, "minutes"));
    if ((rc = audit_append_id(c, id ? "update" : "create", "party_meeting", *out_id, area,
                              jc_own(c, b), jc_own(c, after), NULL)))
        return rollback(c, rc);
    return commit(c);
}
