/* sites.c — construction dust control "8个100%": sites with their "一长三员" supervisors, the
 * checklist (Zhengzhou's seven items and a configurable eighth; edited by saving a new version,
 * while an inspection keeps the version it used), day and night inspections, and the
 * rectification case each failed item opens for the site's supervisor. */
#include "cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Zhengzhou 2019: the first seven of the eight 100 % (the eighth is cases.dust_eighth_item) */
static const struct {
    const char *code, *text;
} zhengzhou_items[] = {
    {"fence", "周边围挡"},         {"cover", "物料堆放覆盖"},      {"wet", "土方开挖湿法作业"},
    {"wash", "出场车辆清洗"},      {"harden", "施工现场地面硬化"}, {"sealed", "渣土车辆密闭运输"},
    {"video", "在线视频监控安装"},
};

static json_t *default_items(jc_ctx *c)
{
    json_t *items = json_array();
    for (size_t i = 0; i < JC_NELEM(zhengzhou_items); i++)
        json_array_append_new(items, json_pack("{s:s, s:s}", "code", zhengzhou_items[i].code,
                                               "text", zhengzhou_items[i].text));
    const char *eighth = json_string_value(config_get(c, "cases.dust_eighth_item"));
    if (eighth && *eighth)
        json_array_append_new(items, json_pack("{s:s, s:s}", "code", "item8", "text", eighth));
    return jc_own(c, items);
}

int checklist_current(jc_ctx *c, json_t **out)
{
    int64_t version, at;
    const char *items;
    int rc = db_checklist_current(c, &version, &items, &at);
    if (rc) return rc;
    json_t *it = items ? jc_own(c, json_loads(items, 0, NULL)) : default_items(c);
    json_t *o = json_pack("{s:I, s:O, s:b}", "version", (json_int_t)version, "items", it, "saved",
                          version > 0);
    if (o && at) {
        char ts[32];
        jc_time_local(at, ts);
        json_object_set_new(o, "created_at", json_string(ts));
    }
    *out = jc_own(c, o);
    return *out ? JC_OK : JC_ENOMEM;
}

static bool code_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
}

/* Checks items [{code?, text}] and gives every item a code. */
static int normalise_items(jc_ctx *c, json_t *items, json_t **out)
{
    size_t n = json_array_size(items);
    if (!json_is_array(items) || n == 0 || n > 30)
        return jc_fail(c, JC_EINVAL, "invalid_field", "items", "items must be a list of 1–30",
                       "检查项须为1–30项");
    json_t *norm = jc_own(c, json_array());
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        json_t *text = json_is_string(it) ? it : json_object_get(it, "text");
        json_t *code = json_is_object(it) ? json_object_get(it, "code") : NULL;
        const char *t = json_string_value(text);
        if (!t || jc_blank(t) || jc_utf8_len(t) > 100 || jc_has_control(t))
            return jc_fail(c, JC_EINVAL, "invalid_field", "items",
                           arena_printf(c->a, "items[%zu]: text of 1–100 characters", i),
                           arena_printf(c->a, "第%zu项:内容须为1–100个字", i + 1));
        const char *cs = code && !json_is_null(code) ? json_string_value(code) : NULL;
        if (code && !json_is_null(code)) {
            size_t len = cs ? strlen(cs) : 0;
            bool ok = len > 0 && len <= 30;
            for (size_t k = 0; ok && k < len; k++) ok = code_char(cs[k]);
            if (!ok)
                return jc_fail(
                    c, JC_EINVAL, "invalid_field", "items",
                    arena_printf(c->a, "items[%zu]: code is 1–30 of a-z 0-9 _", i),
                    arena_printf(c->a, "第%zu项:代码须为1–30个小写字母、数字或下划线", i + 1));
        } else {
            cs = arena_printf(c->a, "item%zu", i + 1);
        }
        size_t k;
        json_t *prev;
        json_array_foreach(norm, k, prev)
        {
            if (strcmp(json_string_value(json_object_get(prev, "code")), cs) == 0)
                cs = arena_printf(c->a, "%s_%zu", cs, i + 1); /* generated codes stay unique */
            if (strcmp(json_string_value(json_object_get(prev, "code")), cs) == 0)
                return jc_fail(c, JC_EINVAL, "invalid_field", "items",
                               arena_printf(c->a, "items: code %s appears twice", cs),
                               arena_printf(c->a, "检查项代码 %s 重复", cs));
        }
        json_array_append_new(norm, json_pack("{s:s, s:s}", "code", cs, "text", t));
    }
    *out = norm;
    return JC_OK;
}

static int checklist_insert(jc_ctx *c, int64_t version, json_t *items, const char *note)
{
    char *txt = json_dumps(items, JSON_COMPACT);
    if (!txt) return JC_ENOMEM;
    int rc = db_checklist_insert(c, version, txt, note);
    free(txt);
    if (rc) return rc;
    char vs[24];
    snprintf(vs, sizeof vs, "%lld", (long long)version);
    json_t *after = jc_own(c, json_pack("{s:O, s:s}", "items", items, "note", note ? note : ""));
    return audit_append(c, "create", "checklist", vs, NULL, NULL, after, note);
}

int checklist_save(jc_ctx *c, json_t *items, const char *note, int64_t *version)
{
    if (!jc_user_has(c->user, CASES_STAFF))
        return jc_fail(c, JC_EPERM, "forbidden", NULL,
                       "only administrators and leaders change the checklist",
                       "只有管理员或书记/主任可以修改检查表");
    json_t *norm = NULL;
    int rc = normalise_items(c, items, &norm);
    if (rc) return rc;
    int64_t cur, at;
    const char *old;
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    if ((rc = db_checklist_current(c, &cur, &old, &at))) goto fail;
    if (*version != cur) {
        rc = cases_stale(c, cur, "checklist", "检查表");
        goto fail;
    }
    *version = cur + 1;
    if ((rc = checklist_insert(c, *version, norm, note))) goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

/* ---- sites ---- */

json_t *site_json(jc_ctx *c, const site_rec *s, bool show_phone)
{
    json_t *sup = jc_own(c, json_loads(s->supervisors ? s->supervisors : "[]", 0, NULL));
    json_t *list = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(sup, i, e)
    {
        json_t *x = json_deep_copy(e);
        const char *ph = json_string_value(json_object_get(x, "phone"));
        if (ph && !show_phone)
            json_object_set_new(x, "phone", json_string(cases_mask_phone(c, ph)));
        json_array_append_new(list, x);
    }
    json_t *o = json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:s?, s:s?, s:o, s:b, s:I}", "id", (json_int_t)s->id,
        "area", s->area_code, "area_name", s->area_name ? s->area_name : "", "name", s->name,
        "builder", s->builder ? s->builder : "", "address", s->address ? s->address : "", "area_m2",
        (json_int_t)s->area_m2, "start_date", s->start_date, "end_date", s->end_date, "supervisors",
        list, "active", s->active, "version", (json_int_t)s->version);
    if (!o) return NULL;
    json_object_set_new(o, "lat", s->has_pos ? json_real(s->lat) : json_null());
    json_object_set_new(o, "lng", s->has_pos ? json_real(s->lng) : json_null());
    return jc_own(c, o);
}

/* supervisors: [{title, name, phone?, user_id?}] with titles from the configured 一长三员 */
static int check_supervisors(jc_ctx *c, json_t *sup, const char *area, const char **text)
{
    size_t n = json_array_size(sup);
    if (!json_is_array(sup) || n > 12)
        return jc_fail(c, JC_EINVAL, "invalid_field", "supervisors",
                       "supervisors must be a list of at most 12", "监管人员最多12人");
    json_t *norm = jc_own(c, json_array());
    size_t i;
    json_t *e;
    json_array_foreach(sup, i, e)
    {
        const char *title = json_string_value(json_object_get(e, "title"));
        const char *name = json_string_value(json_object_get(e, "name"));
        json_t *ph = json_object_get(e, "phone"), *uid = json_object_get(e, "user_id");
        char norm_phone[12];
        if (!json_is_object(e) || !title ||
            !config_list_has(c, "cases.site_supervisor_titles", title)) {
            jc_fail_extra(c, "allowed", json_incref(config_get(c, "cases.site_supervisor_titles")));
            return jc_fail(
                c, JC_EINVAL, "invalid_field", "supervisors",
                arena_printf(c->a,
                             "supervisors[%zu]: title must be one of the "
                             "configured titles (一长三员)",
                             i),
                arena_printf(c->a, "第%zu位监管人员的职务须为配置的“一长三员”职务", i + 1));
        }
        if (!name || jc_blank(name) || jc_utf8_len(name) > 50 || jc_has_control(name))
            return jc_fail(c, JC_EINVAL, "invalid_field", "supervisors",
                           arena_printf(c->a, "supervisors[%zu]: name of 1–50 characters", i),
                           arena_printf(c->a, "第%zu位监管人员须有姓名", i + 1));
        if (ph && !json_is_null(ph) &&
            !(json_is_string(ph) && mobile_valid(json_string_value(ph), norm_phone)))
            return jc_fail(c, JC_EINVAL, "invalid_field", "supervisors",
                           arena_printf(c->a, "supervisors[%zu]: phone must be a mobile number", i),
                           arena_printf(c->a, "第%zu位监管人员的手机号码无效", i + 1));
        json_t *x = json_pack("{s:s, s:s}", "title", title, "name", name);
        if (ph && !json_is_null(ph)) json_object_set_new(x, "phone", json_string(norm_phone));
        if (uid && !json_is_null(uid)) {
            const char *uname;
            bool ok = false;
            int rc = json_is_integer(uid)
                         ? db_user_brief(c, json_integer_value(uid), area, &uname, &ok)
                         : JC_OK;
            if (rc) {
                json_decref(x);
                return rc;
            }
            if (!json_is_integer(uid) || !uname || !ok) {
                json_decref(x);
                return jc_fail(
                    c, JC_EUNPROC, "user_out_of_area", "supervisors",
                    arena_printf(c->a,
                                 "supervisors[%zu]: the account does not exist, is "
                                 "disabled or is not granted the site's area",
                                 i),
                    arena_printf(c->a, "第%zu位监管人员的账号不存在、已停用或不负责该区域", i + 1));
            }
            json_object_set_new(x, "user_id", json_integer(json_integer_value(uid)));
        }
        json_array_append_new(norm, x);
    }
    char *t = json_dumps(norm, JSON_COMPACT);
    *text = t ? arena_strdup(c->a, t) : NULL;
    free(t);
    return *text ? JC_OK : JC_ENOMEM;
}

static json_t *site_audit(jc_ctx *c, const site_rec *s)
{
    return jc_own(c,
                  json_pack("{s:s, s:s, s:s, s:s, s:I, s:s?, s:s?, s:s, s:b}", "area", s->area_code,
                            "name", s->name, "builder", s->builder ? s->builder : "", "address",
                            s->address ? s->address : "", "area_m2", (json_int_t)s->area_m2,
                            "start_date", s->start_date, "end_date", s->end_date, "supervisors",
                            s->supervisors ? s->supervisors : "[]", "active", s->active));
}

static int check_dates(jc_ctx *c, const char *start, const char *end)
{
    if (start && end && strcmp(start, end) > 0)
        return jc_fail(c, JC_EINVAL, "invalid_field", "end_date",
                       "end_date must not be before start_date", "竣工日期不能早于开工日期");
    return JC_OK;
}

int site_create(jc_ctx *c, site_rec *s, json_t *supervisors, int64_t *id)
{
    if (!jc_user_has(c->user, CASES_STAFF))
        return jc_fail(c, JC_EPERM, "forbidden", NULL,
                       "only administrators and leaders register sites",
                       "只有管理员或书记/主任可以登记工地");
    int rc = cases_check_area(c, s->area_code, "area");
    if (!rc && s->has_pos) rc = cases_check_location(c, s->lat, s->lng, "lat", "lng");
    if (!rc) rc = check_dates(c, s->start_date, s->end_date);
    if (!rc)
        rc = check_supervisors(c, supervisors ? supervisors : jc_own(c, json_array()), s->area_code,
                               &s->supervisors);
    if (rc) return rc;
    s->active = true;
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    if ((rc = db_site_insert(c, s, id))) goto fail;
    if ((rc =
             audit_append_id(c, "create", "site", *id, s->area_code, NULL, site_audit(c, s), NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

int site_edit(jc_ctx *c, int64_t id, int64_t version, const site_rec *ch, json_t *supervisors,
              const bool *active)
{
    if (!jc_user_has(c->user, CASES_STAFF))
        return jc_fail(c, JC_EPERM, "forbidden", NULL, "only administrators and leaders edit sites",
                       "只有管理员或书记/主任可以修改工地");
    int rc = store_begin(c->db);
    if (rc) return jc_fail_db(c, rc);
    site_rec s;
    if ((rc = db_site_get(c, id, &s)) || (rc = area_check(c, s.area_code, NULL))) goto fail;
    if (s.version != version) {
        rc = cases_stale(c, s.version, "site", "工地");
        goto fail;
    }
    json_t *before = site_audit(c, &s);
    if (ch->name) s.name = ch->name;
    if (ch->builder) s.builder = ch->builder;
    if (ch->address) s.address = ch->address;
    if (ch->has_pos) {
        if ((rc = cases_check_location(c, ch->lat, ch->lng, "lat", "lng"))) goto fail;
        s.has_pos = true;
        s.lat = ch->lat;
        s.lng = ch->lng;
    }
    if (ch->area_m2) s.area_m2 = ch->area_m2;
    if (ch->start_date) s.start_date = ch->start_date;
    if (ch->end_date) s.end_date = ch->end_date;
    if ((rc = check_dates(c, s.start_date, s.end_date))) goto fail;
    if (supervisors && (rc = check_supervisors(c, supervisors, s.area_code, &s.supervisors)))
        goto fail;
    if (active) s.active = *active;
    if ((rc = db_site_update(c, &s, version))) goto fail;
    if ((rc = audit_append_id(c, "update", "site", id, s.area_code, before, site_audit(c, &s),
                              NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

/* ---- inspections ---- */

/* The person responsible for rectification: the supervisor with an account whose title comes
 * first in cases.site_supervisor_titles (网格长 by default). */
static int64_t site_responsible(jc_ctx *c, const site_rec *s)
{
    json_t *sup = jc_own(c, json_loads(s->supervisors ? s->supervisors : "[]", 0, NULL));
    json_t *titles = config_get(c, "cases.site_supervisor_titles");
    size_t ti;
    json_t *t;
    json_array_foreach(titles, ti, t)
    {
        size_t i;
        json_t *e;
        json_array_foreach(sup, i, e)
        {
            const char *title = json_string_value(json_object_get(e, "title"));
            json_t *uid = json_object_get(e, "user_id");
            if (title && json_is_integer(uid) && strcmp(title, json_string_value(t)) == 0)
                return json_integer_value(uid);
        }
    }
    return 0;
}

int inspection_create(jc_ctx *c, const inspection_in *in, int64_t *id)
{
    if (!jc_user_has(c->user, CASES_FIELD))
        return jc_fail(c, JC_EPERM, "forbidden", NULL, "your role does not inspect sites",
                       "您的角色无工地检查职责");
    site_rec s;
    int rc = db_site_get(c, in->site_id, &s);
    if (rc == JC_ENOTFOUND)
        return jc_fail(c, JC_EUNPROC, "unknown_site", "site_id", "no such site", "工地不存在");
    if (rc || (rc = area_check(c, s.area_code, "site_id"))) return rc;
    if (!s.active)
        return jc_fail(c, JC_EUNPROC, "site_inactive", "site_id", "the site is closed",
                       "该工地已停止监管");
    if (in->at > c->now + 600 || in->at < c->now - 90 * 86400)
        return jc_fail(c, JC_EINVAL, "invalid_field", "inspected_at",
                       "an inspection lies within the last 90 days, not in the future",
                       "检查时间须在最近90天内且不晚于现在");
    case_service svc;
    const char *svc_code = json_string_value(config_get(c, "cases.site_rectification_service"));
    if ((rc = cases_service_get(c, svc_code, "cases.site_rectification_service", &svc))) {
        jc_fail(c, JC_EUNPROC, "no_rectification_service", NULL,
                "the service of rectification cases (cases.site_rectification_service) is not "
                "configured",
                "未配置工地整改工单的诉求类别(cases.site_rectification_service)");
        return JC_EUNPROC;
    }
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    int64_t version = in->checklist_version, cur, at;
    const char *items_txt;
    json_t *items;
    if ((rc = db_checklist_current(c, &cur, &items_txt, &at))) goto fail;
    if (version == 0 && cur == 0) {
        /* the default checklist becomes version 1 the first time it is used */
        items = default_items(c);
        if ((rc = checklist_insert(c, 1, items, "郑州市扬尘治理“8个100%”默认检查表"))) goto fail;
        version = 1;
    } else {
        if (version == 0) version = cur;
        if ((rc = db_checklist_get(c, version, &items_txt))) goto fail;
        items = jc_own(c, json_loads(items_txt, 0, NULL));
    }
    /* every item answered exactly once */
    size_t nitems = json_array_size(items);
    if (!json_is_array(in->results) || json_array_size(in->results) != nitems) {
        rc = jc_fail(
            c, JC_EINVAL, "invalid_field", "results",
            arena_printf(c->a, "results must answer each of the %zu checklist items once", nitems),
            arena_printf(c->a, "检查结果须逐项填写全部%zu项", nitems));
        goto fail;
    }
    json_t *results = jc_own(c, json_array());
    int64_t passed = 0, failed = 0;
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item)
    {
        const char *code = json_string_value(json_object_get(item, "code"));
        json_t *found = NULL;
        size_t k;
        json_t *r;
        json_array_foreach(
            in->results, k,
            r) if (json_is_object(r) && json_string_value(json_object_get(r, "code")) &&
                   strcmp(json_string_value(json_object_get(r, "code")), code) == 0) found = r;
        json_t *pass = found ? json_object_get(found, "pass") : NULL;
        json_t *note = found ? json_object_get(found, "note") : NULL;
        const char *ns = note && !json_is_null(note) ? json_string_value(note) : NULL;
        if (!found || !json_is_boolean(pass) || (note && !json_is_null(note) && !ns) ||
            (ns && (jc_utf8_len(ns) > 500 || jc_has_control(ns)))) {
            rc = jc_fail(c, JC_EINVAL, "invalid_field", "results",
                         arena_printf(c->a,
                                      "results: item %s needs pass (true/false) and an "
                                      "optional note of at most 500 characters",
                                      code),
                         arena_printf(c->a, "检查项「%s」须填写是否合格",
                                      json_string_value(json_object_get(item, "text"))));
            goto fail;
        }
        json_is_true(pass) ? passed++ : failed++;
        json_array_append_new(results, json_pack("{s:s, s:O, s:b, s:s}", "code", code, "text",
                                                 json_object_get(item, "text"), "pass",
                                                 json_is_true(pass), "note", ns ? ns : ""));
    }
    char *res_txt = json_dumps(results, JSON_COMPACT);
    rc = res_txt ? db_inspection_insert(c, s.id, s.area_code, version, in->kind, in->at, res_txt,
                                        passed, failed, in->note, id)
                 : JC_ENOMEM;
    free(res_txt);
    if (rc) goto fail;
    /* each failed item: a rectification case for the site's supervisor */
    json_t *ids = jc_own(c, json_array());
    int64_t responsible = site_responsible(c, &s), team = 0;
    if ((rc = db_team_for(c, svc.team, s.area_code, &team))) goto fail;
    json_t *r;
    json_array_foreach(results, i, r)
    {
        if (json_is_true(json_object_get(r, "pass"))) continue;
        const char *text = json_string_value(json_object_get(r, "text"));
        const char *note = json_string_value(json_object_get(r, "note"));
        case_input ci = {0};
        ci.service_code = svc.code;
        ci.description = arena_printf(c->a, "【扬尘治理“8个100%%”%s】%s:「%s」不合格。%s",
                                      strcmp(in->kind, "night") == 0 ? "夜盯守" : "日巡查", s.name,
                                      text, note && *note ? note : "");
        ci.address = s.address && *s.address ? s.address : s.name;
        ci.has_pos = s.has_pos;
        ci.lat = s.lat;
        ci.lng = s.lng;
        ci.area_code = s.area_code;
        ci.site_id = s.id;
        ci.inspection_id = *id;
        ci.assignee_id = responsible;
        ci.source = "inspection";
        ci.dispatch = responsible || team;
        int64_t cid;
        if ((rc = case_create(c, &ci, NULL, &cid))) goto fail;
        json_array_append_new(ids, json_integer(cid));
    }
    char *idtxt = json_dumps(ids, JSON_COMPACT);
    rc = idtxt ? db_inspection_set_cases(c, *id, idtxt) : JC_ENOMEM;
    free(idtxt);
    if (rc) goto fail;
    json_t *after =
        jc_own(c, json_pack("{s:I, s:I, s:s, s:I, s:I, s:I, s:O}", "site_id", (json_int_t)s.id,
                            "checklist_version", (json_int_t)version, "kind", in->kind,
                            "inspected_at", (json_int_t)in->at, "passed", (json_int_t)passed,
                            "failed", (json_int_t)failed, "case_ids", ids));
    if ((rc = audit_append_id(c, "create", "inspection", *id, s.area_code, NULL, after, in->note)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}
