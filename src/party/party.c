/* party.c — the registry: 两新组织, their party organizations, and members with the 发展党员
 * pipeline, transfers and dues. Every write is one transaction with its audit record; the audit
 * snapshots carry everything coverage needs, so that `coverage?as_of=` can rebuild a past day
 * from them (party_cov.c). */
#include "party.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STAFF (RB(ROLE_ADMIN) | RB(ROLE_LEADER))

static int forbidden(jc_ctx *c, const char *en, const char *zh)
{
    return jc_fail(c, JC_EPERM, "forbidden", NULL, en, zh);
}

static int staff_only(jc_ctx *c)
{
    if (jc_user_has(c->user, STAFF)) return JC_OK;
    return forbidden(c, "only leaders and administrators change the party registry",
                     "只有书记/主任或管理员可以修改党建登记信息");
}

static void today_of(jc_ctx *c, char out[11])
{
    jc_date_local(c->now, out);
}

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

static int stale_now(jc_ctx *c, int64_t current, const char *en, const char *zh)
{
    jc_fail_extra(c, "current_version", json_integer(current));
    return jc_fail(
        c, JC_ESTALE, "stale_version", "version",
        arena_printf(c->a, "the %s was changed by someone else; reload and try again", en),
        arena_printf(c->a, "该%s已被他人修改,请刷新后重试", zh));
}

bool party_may_see_personal(jc_ctx *c)
{
    if (!c->user) return false;
    if (c->user->system) return true;
    json_t *roles = config_get(c, "party.personal_data_roles"), *r;
    size_t i;
    json_array_foreach(roles, i, r)
    {
        jc_role role = jc_role_from_code(json_string_value(r));
        if (role < ROLE__MAX && jc_user_has(c->user, RB(role))) return true;
    }
    return false;
}

int party_check_area(jc_ctx *c, const char *code, const char *field)
{
    int rc = area_check(c, code, field);
    if (rc) return rc;
    return area_exists(c, code, field);
}

int party_check_category(jc_ctx *c, const char *category, const char *field)
{
    if (category && config_list_has(c, "party.categories", category)) return JC_OK;
    jc_fail_extra(c, "allowed", json_incref(config_get(c, "party.categories")));
    return jc_fail(
        c, JC_EINVAL, "invalid_field", field,
        arena_printf(c->a, "%s: not one of the configured categories (party.categories)", field),
        "行业类别不在配置的类别中");
}

static json_t *enum_label(const struct party_enum *t, int n, const char *code)
{
    int i = party_enum_find(t, n, code);
    return json_pack("{s:s, s:s}", "zh", i >= 0 ? t[i].zh : "", "en", i >= 0 ? t[i].en : "");
}

static void set_label(json_t *o, const char *key, const struct party_enum *t, int n,
                      const char *code)
{
    int i = party_enum_find(t, n, code);
    json_object_set_new(o, key, json_string(code ? code : ""));
    char k[48];
    snprintf(k, sizeof k, "%s_zh", key);
    json_object_set_new(o, k, json_string(i >= 0 ? t[i].zh : ""));
    snprintf(k, sizeof k, "%s_en", key);
    json_object_set_new(o, k, json_string(i >= 0 ? t[i].en : ""));
}

static json_t *str_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

static json_t *time_json(int64_t t)
{
    char ts[32];
    jc_time_local(t, ts);
    return json_string(ts);
}

static json_t *masked_phone(jc_ctx *c, const char *phone, bool see)
{
    if (!phone || !*phone) return json_null();
    if (see) return json_string(phone);
    char m[32];
    mask_phone(phone, m);
    (void)c;
    return json_string(m);
}

/* ---- 两新组织 ---- */

/* 'own', 'joint', 'pending' (an organization incubating or in preparation) or 'none' */
static const char *unit_coverage(const party_unit *u)
{
    if (!u->org_id || !u->org_status) return "none";
    if (strcmp(u->org_status, "established") == 0)
        return u->org_setting && strcmp(u->org_setting, "single") == 0 ? "own" : "joint";
    if (strcmp(u->org_status, "dissolved") == 0) return "none";
    return "pending";
}

json_t *party_unit_json(jc_ctx *c, const party_unit *u)
{
    bool see = party_may_see_personal(c);
    json_t *o = json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:I, s:s, s:I}", "id", (json_int_t)u->id, "area",
        u->area_code, "area_name", u->area_name ? u->area_name : "", "name", u->name, "credit_code",
        u->credit_code, "credit_code_warning", u->credit_warn, "category", u->category, "address",
        u->address ? u->address : "", "employees", (json_int_t)u->employees, "contact_name",
        u->contact_name ? u->contact_name : "", "version", (json_int_t)u->version);
    if (!o) return NULL;
    set_label(o, "kind", party_unit_kinds, UNIT_KIND__MAX, u->kind);
    set_label(o, "status", party_unit_statuses, UNIT_STATUS__MAX, u->status);
    credit_code_info info;
    if (credit_code_check(u->credit_code, &info) != CCODE_FORMAT)
        json_object_set_new(o, "credit_code_registrar",
                            json_pack("{s:s, s:s, s:s, s:s}", "zh", info.registrar_zh, "en",
                                      info.registrar_en, "class_zh", info.class_zh, "class_en",
                                      info.class_en));
    else
        json_object_set_new(o, "credit_code_registrar", json_null());
    json_object_set_new(o, "lat", u->has_pos ? json_real(u->lat) : json_null());
    json_object_set_new(o, "lng", u->has_pos ? json_real(u->lng) : json_null());
    json_object_set_new(o, "contact_phone", masked_phone(c, u->contact_phone, see));
    json_object_set_new(o, "org",
                        u->org_id
                            ? json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)u->org_id,
                                        "name", u->org_name, "kind", u->org_kind, "setting",
                                        u->org_setting, "status", u->org_status)
                            : json_null());
    json_object_set_new(o, "coverage", json_string(unit_coverage(u)));
    json_object_set_new(o, "members",
                        json_pack("{s:I, s:I, s:I}", "formal", (json_int_t)u->formal,
                                  "probationary", (json_int_t)u->probationary, "pipeline",
                                  (json_int_t)u->pipeline));
    if (u->has_plan) {
        json_t *p = json_pack("{s:s, s:s, s:I}", "path", u->plan_path, "next_step",
                              u->plan_next_step ? u->plan_next_step : "", "version",
                              (json_int_t)u->plan_version);
        json_t *lbl = enum_label(party_paths, PATH__MAX, u->plan_path);
        json_object_set(p, "path_zh", json_object_get(lbl, "zh"));
        json_object_set(p, "path_en", json_object_get(lbl, "en"));
        json_decref(lbl);
        json_object_set_new(p, "target_date", str_or_null(u->plan_target_date));
        json_object_set_new(p, "instructor",
                            u->plan_instructor_id
                                ? json_pack("{s:I, s:s}", "id", (json_int_t)u->plan_instructor_id,
                                            "name",
                                            u->plan_instructor_name ? u->plan_instructor_name : "")
                                : json_null());
        json_object_set_new(o, "incubation", p);
    } else {
        json_object_set_new(o, "incubation", json_null());
    }
    json_object_set_new(o, "created_at", time_json(u->created_at));
    json_object_set_new(o, "updated_at", time_json(u->updated_at));
    return jc_own(c, o);
}

json_t *party_unit_audit(jc_ctx *c, const party_unit *u)
{
    json_t *o = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s?}", "area", u->area_code, "name",
        u->name, "credit_code", u->credit_code, "kind", u->kind, "category", u->category, "status",
        u->status, "address", u->address ? u->address : "", "employees", (json_int_t)u->employees,
        "contact_name", u->contact_name ? u->contact_name : "", "contact_phone", u->contact_phone);
    if (o && u->has_pos) {
        json_object_set_new(o, "lat", json_real(u->lat));
        json_object_set_new(o, "lng", json_real(u->lng));
    }
    return jc_own(c, o);
}

int party_unit_read(jc_ctx *c, int64_t id, party_unit *u)
{
    int rc = db_party_unit_get(c, id, u);
    if (rc) return rc;
    return area_check(c, u->area_code, NULL);
}

static int check_position(jc_ctx *c, const party_unit *u)
{
    if (!u->has_pos) return JC_OK;
    if (u->lat < 3.0 || u->lat > 54.0 || u->lng < 73.0 || u->lng > 136.0)
        return jc_fail(c, JC_EINVAL, "invalid_field", u->lat < 3.0 || u->lat > 54.0 ? "lat" : "lng",
                       "the position must lie in China (latitude 3–54, longitude 73–136)",
                       "经纬度须在中国境内(纬度3–54,经度73–136)");
    return JC_OK;
}

int party_unit_insert_tx(jc_ctx *c, party_unit *u, int64_t *id)
{
    int rc = db_party_unit_insert(c, u, id);
    if (rc) return rc;
    u->id = *id;
    return audit_append_id(c, "create", "party_unit", *id, u->area_code, NULL,
                           party_unit_audit(c, u), NULL);
}

int party_unit_create(jc_ctx *c, party_unit *u, int64_t *id)
{
    int rc = staff_only(c);
    if (!rc) rc = party_check_area(c, u->area_code, "area");
    if (!rc) rc = party_check_category(c, u->category, "category");
    if (!rc) rc = check_position(c, u);
    if (rc) return rc;
    if (!u->status) u->status = "operating";
    u->credit_warn = credit_code_check(u->credit_code, NULL) == CCODE_CHECKSUM;
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    if ((rc = party_unit_insert_tx(c, u, id))) return rollback(c, rc);
    return commit(c);
}

int party_unit_edit(jc_ctx *c, int64_t id, int64_t version, const party_unit *ch, bool clear_pos)
{
    int rc = staff_only(c);
    if (rc) return rc;
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    party_unit u;
    if ((rc = party_unit_read(c, id, &u))) return rollback(c, rc);
    if (u.version != version)
        return rollback(c, stale_now(c, u.version, "organization", "两新组织"));
    json_t *before = party_unit_audit(c, &u);
    if (ch->area_code && (rc = party_check_area(c, ch->area_code, "area"))) return rollback(c, rc);
    if (ch->category && (rc = party_check_category(c, ch->category, "category")))
        return rollback(c, rc);
#define APPLY(f)                                                                                   \
    if (ch->f) u.f = ch->f
    APPLY(area_code);
    APPLY(name);
    APPLY(credit_code);
    APPLY(kind);
    APPLY(category);
    APPLY(address);
    APPLY(status);
    APPLY(contact_name);
    APPLY(contact_phone);
#undef APPLY
    if (ch->employees >= 0) u.employees = ch->employees;
    if (ch->has_pos) {
        u.has_pos = true;
        u.lat = ch->lat;
        u.lng = ch->lng;
    } else if (clear_pos) {
        u.has_pos = false;
    }
    if ((rc = check_position(c, &u))) return rollback(c, rc);
    u.credit_warn = credit_code_check(u.credit_code, NULL) == CCODE_CHECKSUM;
    if ((rc = db_party_unit_update(c, &u, version))) return rollback(c, rc);
    if ((rc = audit_append_id(c, "update", "party_unit", id, u.area_code, before,
                              party_unit_audit(c, &u), NULL)))
        return rollback(c, rc);
    return commit(c);
}

/* ---- party organizations ---- */

static json_t *committee_json(const char *text)
{
    json_t *v = text ? json_loads(text, 0, NULL) : NULL;
    return json_is_array(v) ? v : (json_decref(v), json_array());
}

static int org_kind_of(const party_org *o)
{
    return party_enum_find(party_org_kinds, ORG_KIND__MAX, o->kind);
}

/* The term's end: as recorded, or from the start and the configured years. */
static void effective_term_end(jc_ctx *c, const party_org *o, char out[11])
{
    out[0] = '\0';
    if (o->term_end && *o->term_end) {
        snprintf(out, 11, "%s", o->term_end);
        return;
    }
    party_limits L;
    party_limits_load(c, &L);
    if (!party_term_end(&L, org_kind_of(o), o->village, o->term_start, out)) out[0] = '\0';
}

json_t *party_org_json(jc_ctx *c, const party_org *o)
{
    json_t *j =
        json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:I, s:I}", "id", (json_int_t)o->id, "area",
                  o->area_code, "area_name", o->area_name ? o->area_name : "", "name", o->name,
                  "secretary", o->secretary ? o->secretary : "", "village", o->village,
                  "units_count", (json_int_t)o->nunits, "version", (json_int_t)o->version);
    if (!j) return NULL;
    set_label(j, "kind", party_org_kinds, ORG_KIND__MAX, o->kind);
    set_label(j, "setting", party_org_settings, SETTING__MAX, o->setting);
    const wf_state *s = wf_state_find(&party_org_wf, o->status);
    json_object_set_new(j, "status", json_string(o->status));
    json_object_set_new(j, "status_zh", json_string(s ? s->zh : ""));
    json_object_set_new(j, "status_en", json_string(s ? s->en : ""));
    json_object_set_new(j, "established_on", str_or_null(o->established_on));
    json_object_set_new(j, "dissolved_on", str_or_null(o->dissolved_on));
    json_object_set_new(j, "parent",
                        o->parent_id ? json_pack("{s:I, s:s}", "id", (json_int_t)o->parent_id,
                                                 "name", o->parent_name ? o->parent_name : "")
                                     : json_null());
    json_object_set_new(j, "committee", committee_json(o->committee));
    json_object_set_new(j, "term_start", str_or_null(o->term_start));
    json_object_set_new(j, "term_end", str_or_null(o->term_end));
    char end[11], today[11];
    effective_term_end(c, o, end);
    today_of(c, today);
    json_object_set_new(j, "term_end_effective", str_or_null(end));
    json_object_set_new(
        j, "term_due",
        json_boolean(strcmp(o->status, "established") == 0 && *end && strcmp(end, today) < 0));
    json_object_set_new(j, "joint_override", str_or_null(o->joint_override));
    json_object_set_new(j, "members",
                        json_pack("{s:I, s:I, s:I}", "total", (json_int_t)o->members, "formal",
                                  (json_int_t)o->formal, "probationary",
                                  (json_int_t)o->probationary));
    json_object_set_new(j, "created_at", time_json(o->created_at));
    json_object_set_new(j, "updated_at", time_json(o->updated_at));
    return jc_own(c, j);
}

static json_t *org_audit(jc_ctx *c, const party_org *o, const int64_t *units, int n)
{
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(arr, json_integer(units[i]));
    json_t *j = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s, s:o, s:b, s:s?, s:s?, s:o}", "area",
        o->area_code, "name", o->name, "kind", o->kind, "setting", o->setting, "status", o->status,
        "established_on", o->established_on, "dissolved_on", o->dissolved_on, "secretary",
        o->secretary ? o->secretary : "", "committee", committee_json(o->committee), "village",
        o->village, "term_start", o->term_start, "term_end", o->term_end, "units", arr);
    if (j && o->parent_id) json_object_set_new(j, "parent_id", json_integer(o->parent_id));
    if (j && o->joint_override)
        json_object_set_new(j, "joint_override", json_string(o->joint_override));
    return jc_own(c, j);
}

int party_org_read(jc_ctx *c, int64_t id, party_org *o)
{
    int rc = db_party_org_get(c, id, o);
    if (rc) return rc;
    return area_check(c, o->area_code, NULL);
}

static bool is_date_le_today(jc_ctx *c, const char *d)
{
    char today[11];
    today_of(c, today);
    return d && jc_date_valid(d) && strcmp(d, today) <= 0;
}

static int int64_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* The units an organization may cover: visible, operating, not covered by another organization,
 * no duplicates, as many as the setting allows. Sorts ids. */
static int check_units(jc_ctx *c, const party_org *o, int64_t *ids, int n, const char *override)
{
    party_limits L;
    party_limits_load(c, &L);
    int setting = party_enum_find(party_org_settings, SETTING__MAX, o->setting);
    qsort(ids, (size_t)n, sizeof *ids, int64_cmp);
    for (int i = 1; i < n; i++)
        if (ids[i] == ids[i - 1])
            return jc_fail(c, JC_EINVAL, "invalid_field", "unit_ids",
                           arena_printf(c->a, "unit %lld is listed twice", (long long)ids[i]),
                           arena_printf(c->a, "单位 %lld 重复", (long long)ids[i]));
    if (setting == SETTING_SINGLE && n > 1)
        return jc_fail(c, JC_EUNPROC, "single_setting_units", "unit_ids",
                       "an organization set up alone covers its own unit only",
                       "单独组建的党组织只覆盖本单位");
    if (setting == SETTING_SINGLE && n == 0 && !o->parent_id)
        return jc_fail(c, JC_EINVAL, "required", "unit_ids",
                       "an organization set up alone names its unit",
                       "单独组建的党组织须指明所在单位");
    if (setting == SETTING_JOINT && n < 2)
        return jc_fail(c, JC_EUNPROC, "joint_needs_units", "unit_ids",
                       "a joint organization covers at least two units",
                       "联合组建的党组织至少覆盖两个单位");
    if (party_rule_joint_over(&L, setting, n) && (!override || jc_blank(override))) {
        jc_fail_extra(c, "limit", json_integer(L.joint_max_units));
        return jc_fail(c, JC_EUNPROC, "joint_over_limit", "unit_ids",
                       arena_printf(c->a,
                                    "a joint branch generally covers at most %lld units "
                                    "(中国共产党支部工作条例(试行)第五条); give override_reason "
                                    "to cover %d",
                                    (long long)L.joint_max_units, n),
                       arena_printf(c->a,
                                    "联合党支部覆盖单位一般不超过%lld个(中国共产党支部工作条例"
                                    "(试行)第五条);确需覆盖%d个的,请填写理由(override_reason)",
                                    (long long)L.joint_max_units, n));
    }
    for (int i = 0; i < n; i++) {
        party_unit u;
        int rc = db_party_unit_get(c, ids[i], &u);
        if (rc == JC_ENOTFOUND || (!rc && !area_visible(c->user, u.area_code))) {
            c->err = (jc_err){0};
            return jc_fail(c, JC_EUNPROC, "unknown_unit", "unit_ids",
                           arena_printf(c->a, "unit %lld does not exist", (long long)ids[i]),
                           arena_printf(c->a, "单位 %lld 不存在", (long long)ids[i]));
        }
        if (rc) return rc;
        if (strcmp(u.status, "operating") != 0)
            return jc_fail(c, JC_EUNPROC, "unit_closed", "unit_ids",
                           arena_printf(c->a, "%s is closed", u.name),
                           arena_printf(c->a, "%s 已关闭", u.name));
        if (u.org_id && u.org_id != o->id) {
            jc_fail_extra(c, "unit_id", json_integer(ids[i]));
            return jc_fail(c, JC_ECONFLICT, "unit_taken", "unit_ids",
                           arena_printf(c->a, "%s is already covered by %s", u.name, u.org_name),
                           arena_printf(c->a, "%s 已由 %s 覆盖", u.name, u.org_name));
        }
    }
    return JC_OK;
}

static int check_committee(jc_ctx *c, const char *text)
{
    json_error_t e;
    json_t *v = json_loads(text, 0, &e);
    size_t i;
    json_t *m;
    bool ok = json_is_array(v) && json_array_size(v) <= 15;
    json_array_foreach(v, i, m)
    {
        const char *name = json_string_value(json_object_get(m, "name"));
        const char *duty = json_string_value(json_object_get(m, "duty"));
        if (!json_is_object(m) || json_object_size(m) != 2 || !name || jc_blank(name) ||
            jc_utf8_len(name) > 40 || !duty || jc_utf8_len(duty) > 20 || jc_has_control(name) ||
            jc_has_control(duty))
            ok = false;
    }
    json_decref(v);
    if (ok) return JC_OK;
    return jc_fail(c, JC_EINVAL, "invalid_field", "committee",
                   "committee must be a list of at most 15 {name, duty} (name 1–40, duty up to "
                   "20 characters)",
                   "支委会须为不超过15人的列表,每人为 {name 姓名, duty 职务}");
}

static int check_org_fields(jc_ctx *c, party_org *o)
{
    int kind = org_kind_of(o);
    if (kind == ORG_JOINT_BRANCH && strcmp(o->setting, "joint") != 0)
        return jc_fail(c, JC_EUNPROC, "kind_setting", "setting",
                       "a joint branch (联合党支部) is set up jointly",
                       "联合党支部的组建方式须为联合组建");
    int rc = check_committee(c, o->committee ? o->committee : "[]");
    if (rc) return rc;
    if (o->term_start && !jc_date_valid(o->term_start))
        return jc_fail(c, JC_EINVAL, "invalid_field", "term_start", "term_start must be a date",
                       "任期开始须为日期");
    if (o->term_end && o->term_start && strcmp(o->term_end, o->term_start) <= 0)
        return jc_fail(c, JC_EINVAL, "invalid_field", "term_end", "the term ends after it starts",
                       "任期结束须晚于任期开始");
    if (strcmp(o->status, "established") == 0 && !is_date_le_today(c, o->established_on))
        return jc_fail(c, JC_EINVAL, o->established_on ? "invalid_field" : "required",
                       "established_on",
                       "an established organization has its date of establishment, not in the "
                       "future",
                       "已成立的党组织须填写成立日期,且不能晚于今天");
    if (strcmp(o->status, "established") != 0 && o->established_on)
        return jc_fail(c, JC_EINVAL, "invalid_field", "established_on",
                       "only an established organization has a date of establishment",
                       "尚未成立的党组织不能填写成立日期");
    if (o->parent_id) {
        party_org p;
        if (o->parent_id == o->id)
            return jc_fail(c, JC_EUNPROC, "invalid_parent", "parent_id",
                           "an organization is not its own parent", "上级党组织不能是自身");
        rc = db_party_org_get(c, o->parent_id, &p);
        if (rc == JC_ENOTFOUND || (!rc && !area_visible(c->user, p.area_code))) {
            c->err = (jc_err){0};
            return jc_fail(c, JC_EUNPROC, "invalid_parent", "parent_id",
                           "the parent organization does not exist", "上级党组织不存在");
        }
        if (rc) return rc;
        int pk = org_kind_of(&p);
        if ((pk != ORG_COMMITTEE && pk != ORG_GENERAL_BRANCH) ||
            strcmp(p.status, "dissolved") == 0 || (o->id && p.parent_id == o->id))
            return jc_fail(c, JC_EUNPROC, "invalid_parent", "parent_id",
                           "the parent must be a party committee or general branch in being",
                           "上级党组织须为未撤销的党委或党总支");
    }
    return JC_OK;
}

static int link_units(jc_ctx *c, int64_t org_id, const int64_t *ids, int n, const char *since)
{
    for (int i = 0; i < n; i++) {
        int rc = db_party_org_link(c, org_id, ids[i], since);
        if (rc == JC_ECONFLICT) {
            c->err = (jc_err){0};
            jc_fail_extra(c, "unit_id", json_integer(ids[i]));
            return jc_fail(c, JC_ECONFLICT, "unit_taken", "unit_ids",
                           "the unit is already covered by another organization",
                           "该单位已由其他党组织覆盖");
        }
        if (rc) return rc;
    }
    return JC_OK;
}

int party_org_create(jc_ctx *c, party_org *o, const int64_t *unit_ids, int nunits,
                     const char *override_reason, int64_t *id)
{
    int rc = staff_only(c);
    if (!rc) rc = party_check_area(c, o->area_code, "area");
    if (rc) return rc;
    o->id = 0; /* a new one: no unit of it is "already covered by itself" */
    if (!o->status) o->status = party_org_wf.initial;
    if (strcmp(o->status, "dissolved") == 0)
        return jc_fail(c, JC_EINVAL, "invalid_field", "status",
                       "a new organization is incubating, in preparation or established",
                       "新建党组织的状态须为孵化中、筹建或已成立");
    if (!o->term_start && strcmp(o->status, "established") == 0) o->term_start = o->established_on;
    int64_t *ids = arena_alloc(c->a, sizeof(int64_t) * (size_t)(nunits + 1));
    if (!ids) return JC_ENOMEM;
    if (nunits) memcpy(ids, unit_ids, sizeof(int64_t) * (size_t)nunits);
    o->joint_override = override_reason && !jc_blank(override_reason) ? override_reason : NULL;
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    if ((rc = check_org_fields(c, o)) || (rc = check_units(c, o, ids, nunits, override_reason)))
        return rollback(c, rc);
    if ((rc = db_party_org_insert(c, o, id))) return rollback(c, rc);
    o->id = *id;
    char today[11];
    today_of(c, today);
    if ((rc = link_units(c, *id, ids, nunits, o->established_on ? o->established_on : today)))
        return rollback(c, rc);
    if ((rc = audit_append_id(c, "create", "party_org", *id, o->area_code, NULL,
                              org_audit(c, o, ids, nunits), override_reason)))
        return rollback(c, rc);
    return commit(c);
}

/* the organization with its units, for the audit's before-image */
static int org_with_units(jc_ctx *c, int64_t id, int64_t version, party_org *o, int64_t **units,
                          int *n)
{
    int rc = party_org_read(c, id, o);
    if (rc) return rc;
    if (o->version != version) return stale_now(c, o->version, "party organization", "党组织");
    return db_party_org_units(c, id, units, n);
}

int party_org_edit(jc_ctx *c, int64_t id, int64_t version, const party_org *ch, bool clear_parent,
                   const bool *village)
{
    int rc = staff_only(c);
    if (rc) return rc;
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    party_org o;
    int64_t *units;
    int n;
    if ((rc = org_with_units(c, id, version, &o, &units, &n))) return rollback(c, rc);
    if (strcmp(o.status, "dissolved") == 0)
        return rollback(c, jc_fail(c, JC_ECONFLICT, "closed", NULL,
                                   "a dissolved organization cannot be changed",
                                   "已撤销的党组织不能修改"));
    json_t *before = org_audit(c, &o, units, n);
    if (ch->area_code && (rc = party_check_area(c, ch->area_code, "area"))) return rollback(c, rc);
    if (ch->established_on && strcmp(o.status, "established") != 0)
        return rollback(c, jc_fail(c, JC_EINVAL, "invalid_field", "established_on",
                                   "the date of establishment is set when it is established",
                                   "成立日期在批准成立时填写"));
#define APPLY(f)                                                                                   \
    if (ch->f) o.f = ch->f
    APPLY(area_code);
    APPLY(name);
    APPLY(kind);
    APPLY(secretary);
    APPLY(committee);
    APPLY(term_start);
    APPLY(term_end);
    APPLY(established_on);
#undef APPLY
    if (village) o.village = *village;
    if (ch->parent_id) o.parent_id = ch->parent_id;
    if (clear_parent) o.parent_id = 0;
    if (ch->kind && org_kind_of(&o) == ORG_JOINT_BRANCH && strcmp(o.setting, "joint") != 0)
        return rollback(c, jc_fail(c, JC_EUNPROC, "kind_setting", "kind",
                                   "an organization set up alone cannot become a joint branch",
                                   "单独组建的党组织不能改为联合党支部"));
    if ((rc = check_org_fields(c, &o))) return rollback(c, rc);
    if ((rc = db_party_org_update(c, &o, version))) return rollback(c, rc);
    if ((rc = audit_append_id(c, "update", "party_org", id, o.area_code, before,
                              org_audit(c, &o, units, n), NULL)))
        return rollback(c, rc);
    return commit(c);
}

int party_org_set_units(jc_ctx *c, int64_t id, int64_t version, const int64_t *unit_ids, int nunits,
                        const char *override_reason)
{
    int rc = staff_only(c);
    if (rc) return rc;
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    party_org o;
    int64_t *units;
    int n;
    if ((rc = org_with_units(c, id, version, &o, &units, &n))) return rollback(c, rc);
    if (strcmp(o.status, "dissolved") == 0)
        return rollback(c, jc_fail(c, JC_ECONFLICT, "closed", NULL,
                                   "a dissolved organization covers no units",
                                   "已撤销的党组织不覆盖单位"));
    json_t *before = org_audit(c, &o, units, n);
    int64_t *ids = arena_alloc(c->a, sizeof(int64_t) * (size_t)(nunits + 1));
    if (!ids) return rollback(c, JC_ENOMEM);
    if (nunits) memcpy(ids, unit_ids, sizeof(int64_t) * (size_t)nunits);
    if ((rc = check_units(c, &o, ids, nunits, override_reason))) return rollback(c, rc);
    o.joint_override = override_reason && !jc_blank(override_reason) ? override_reason : NULL;
    char today[11];
    today_of(c, today);
    /* units that stay keep their date; the others are linked from today */
    if ((rc = db_party_org_unlink_all(c, id))) return rollback(c, rc);
    if ((rc = link_units(c, id, ids, nunits, today))) return rollback(c, rc);
    if ((rc = db_party_org_update(c, &o, version))) return rollback(c, rc);
    if ((rc = audit_append_id(c, "units", "party_org", id, o.area_code, before,
                              org_audit(c, &o, ids, nunits), override_reason)))
        return rollback(c, rc);
    return commit(c);
}

int party_org_transition(jc_ctx *c, int64_t id, int64_t version, const char *action,
                         const char *date, const char *reason)
{
    int rc = store_begin(c->db);
    if (rc) return jc_fail_db(c, rc);
    party_org o;
    int64_t *units;
    int n;
    if ((rc = org_with_units(c, id, version, &o, &units, &n))) return rollback(c, rc);
    const wf_transition *tr;
    if ((rc = wf_check(c, &party_org_wf, o.status, action, false, &tr))) return rollback(c, rc);
    wf_input in = {NULL, reason, NULL, NULL};
    if ((rc = wf_check_inputs(c, tr, &in))) return rollback(c, rc);
    json_t *before = org_audit(c, &o, units, n);
    char today[11];
    today_of(c, today);
    const char *on = date && *date ? date : NULL;
    if (on && !is_date_le_today(c, on))
        return rollback(c, jc_fail(c, JC_EINVAL, "invalid_field", "date",
                                   "the date must be a real date, not in the future",
                                   "日期须为有效日期,且不能晚于今天"));
    if (strcmp(tr->to, "established") == 0) {
        if (!on)
            return rollback(c, jc_fail(c, JC_EINVAL, "required", "date",
                                       "the date of establishment (the approval) is required",
                                       "须填写批准成立的日期"));
        int setting = party_enum_find(party_org_settings, SETTING__MAX, o.setting);
        if ((setting == SETTING_SINGLE && n != 1 && !o.parent_id) ||
            (setting == SETTING_JOINT && n < 2))
            return rollback(c, jc_fail(c, JC_EUNPROC, "no_units", "unit_ids",
                                       "name the units the organization covers before it is "
                                       "established",
                                       "批准成立前须确定党组织覆盖的单位"));
        o.established_on = on;
        if (!o.term_start) o.term_start = on;
    } else if (strcmp(tr->to, "dissolved") == 0) {
        if (o.members > 0)
            return rollback(c, jc_fail(c, JC_ECONFLICT, "has_members", NULL,
                                       arena_printf(c->a,
                                                    "%lld members still belong to it: transfer "
                                                    "them first",
                                                    (long long)o.members),
                                       arena_printf(c->a, "尚有%lld名党员,须先转接组织关系",
                                                    (long long)o.members)));
        o.dissolved_on = on ? on : today;
        if ((rc = db_party_org_unlink_all(c, id))) return rollback(c, rc);
        n = 0;
    }
    o.status = tr->to;
    if ((rc = db_party_org_update(c, &o, version))) return rollback(c, rc);
    if ((rc = audit_append_id(c, action, "party_org", id, o.area_code, before,
                              org_audit(c, &o, units, n), reason)))
        return rollback(c, rc);
    return commit(c);
}

/* ---- members ---- */

static int stage_of(const char *code)
{
    return party_enum_find(party_stages, STAGE__MAX, code);
}

static json_t *dates_json(const party_member *m)
{
    json_t *o = json_object();
    for (int s = 0; s < STAGE__MAX; s++)
        json_object_set_new(o, party_stages[s].code, str_or_null(m->dates.on[s]));
    return o;
}

json_t *party_member_json(jc_ctx *c, const party_member *m)
{
    bool see = party_may_see_personal(c);
    char masked[32], today[11];
    today_of(c, today);
    if (!see) mask_citizen_id(m->citizen_id, masked);
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:I}", "id",
                          (json_int_t)m->id, "area", m->area_code, "area_name",
                          m->area_name ? m->area_name : "", "name", m->name, "citizen_id",
                          see ? m->citizen_id : masked, "sex", m->sex == 2 ? "female" : "male",
                          "age", (json_int_t)party_age_on(m->birth_date, today), "extension_months",
                          (json_int_t)m->dates.extension_months, "status", m->status, "version",
                          (json_int_t)m->version);
    if (!o) return NULL;
    json_object_set_new(o, "birth_date", see ? json_string(m->birth_date) : json_null());
    json_object_set_new(o, "phone", masked_phone(c, m->phone, see));
    set_label(o, "stage", party_stages, STAGE__MAX, m->stage);
    set_label(o, "dues_category", party_dues_categories, DUES__MAX, m->dues_category);
    json_object_set_new(o, "unit",
                        m->unit_id ? json_pack("{s:I, s:s}", "id", (json_int_t)m->unit_id, "name",
                                               m->unit_name ? m->unit_name : "")
                                   : json_null());
    json_object_set_new(o, "org",
                        m->org_id ? json_pack("{s:I, s:s}", "id", (json_int_t)m->org_id, "name",
                                              m->org_name ? m->org_name : "")
                                  : json_null());
    json_object_set_new(o, "dates", dates_json(m));
    json_t *intro = json_array();
    for (int i = 0; i < 2; i++)
        if (m->introducer_id[i])
            json_array_append_new(
                intro, json_pack("{s:I, s:s}", "id", (json_int_t)m->introducer_id[i], "name",
                                 m->introducer_name[i] ? m->introducer_name[i] : ""));
    json_object_set_new(o, "introducers", intro);
    party_limits L;
    party_limits_load(c, &L);
    int stage = stage_of(m->stage);
    int cat = party_enum_find(party_dues_categories, DUES__MAX, m->dues_category);
    bool member = stage == STAGE_PROBATIONARY || stage == STAGE_FULL;
    json_object_set_new(o, "monthly_income_fen", see ? json_integer(m->income_fen) : json_null());
    json_object_set_new(o, "monthly_dues_fen",
                        member && cat >= 0 ? json_integer(party_dues_fen(&L, cat, m->income_fen))
                                           : json_null());
    char end[11];
    if (stage == STAGE_PROBATIONARY && party_probation_end(&L, &m->dates, end))
        json_object_set_new(o, "probation_end", json_string(end));
    else
        json_object_set_new(o, "probation_end", json_null());
    /* what comes next, and the first day it is possible */
    json_t *next = json_null();
    if (stage >= 0 && stage < STAGE_FULL && strcmp(m->status, "active") == 0) {
        char e[11] = "";
        if (stage == STAGE_ACTIVIST && m->dates.on[STAGE_ACTIVIST])
            party_add_months(m->dates.on[STAGE_ACTIVIST], L.activist_months, e);
        else if (stage == STAGE_PROBATIONARY)
            snprintf(e, sizeof e, "%s", json_string_value(json_object_get(o, "probation_end")));
        else if (stage == STAGE_CANDIDATE && party_age_on(m->birth_date, today) < L.min_age)
            party_add_months(m->birth_date, L.min_age * 12, e);
        next = json_pack("{s:s, s:s, s:s, s:s?}", "stage", party_stages[stage + 1].code, "zh",
                         party_stages[stage + 1].zh, "en", party_stages[stage + 1].en, "earliest",
                         *e ? e : NULL);
        if (next && !*e) json_object_set_new(next, "earliest", json_null());
    }
    json_object_set_new(o, "next", next);
    json_object_set_new(o, "created_at", time_json(m->created_at));
    json_object_set_new(o, "updated_at", time_json(m->updated_at));
    return jc_own(c, o);
}

static json_t *member_audit(jc_ctx *c, const party_member *m)
{
    json_t *d = json_object();
    for (int s = 0; s < STAGE__MAX; s++)
        if (m->dates.on[s])
            json_object_set_new(d, party_stages[s].code, json_string(m->dates.on[s]));
    /* the income stays out of the log: the audit shows snapshots to every role of the area,
     * the API shows the income only to party.personal_data_roles */
    json_t *o = json_pack("{s:s, s:s, s:s, s:s?, s:s, s:s, s:o, s:I, s:s}", "area", m->area_code,
                          "name", m->name, "citizen_id", m->citizen_id, "phone", m->phone, "stage",
                          m->stage, "status", m->status, "dates", d, "extension_months",
                          (json_int_t)m->dates.extension_months, "dues_category",
                          m->dues_category ? m->dues_category : "regular");
    if (!o) return NULL;
    if (m->unit_id) json_object_set_new(o, "unit_id", json_integer(m->unit_id));
    if (m->org_id) json_object_set_new(o, "org_id", json_integer(m->org_id));
    if (m->introducer_id[0]) {
        json_t *a = json_array();
        for (int i = 0; i < 2; i++)
            if (m->introducer_id[i]) json_array_append_new(a, json_integer(m->introducer_id[i]));
        json_object_set_new(o, "introducers", a);
    }
    return jc_own(c, o);
}

int party_member_read(jc_ctx *c, int64_t id, party_member *m)
{
    int rc = db_party_member_get(c, id, m);
    if (rc) return rc;
    return area_check(c, m->area_code, NULL);
}

/* A refusal of the pipeline as an error: which rule, its source, when it may proceed. */
static int refused(jc_ctx *c, int rc, const party_refusal *w, const char *field)
{
    json_t *rule =
        json_pack("{s:s, s:s, s:s}", "zh", w->rule_zh, "en", w->rule_en, "source", w->source);
    jc_fail_extra(c, "rule", rule);
    if (w->earliest[0]) jc_fail_extra(c, "earliest", json_string(w->earliest));
    const char *until_en =
        w->earliest[0] ? arena_printf(c->a, "; possible from %s", w->earliest) : "";
    const char *until_zh = w->earliest[0] ? arena_printf(c->a, ",最早可于%s办理", w->earliest) : "";
    return jc_fail(c, rc, w->code, field ? field : w->field,
                   arena_printf(c->a, "%s (%s)%s", w->rule_en, w->source, until_en),
                   arena_printf(c->a, "%s(%s)%s", w->rule_zh, w->source, until_zh));
}

/* The date field of a stage, as the API names it. */
static const char *date_field(const char *stage_code)
{
    static const char *const names[STAGE__MAX] = {"applied_on", "activist_on", "candidate_on",
                                                  "probationary_on", "full_on"};
    int s = stage_of(stage_code);
    return s >= 0 ? names[s] : stage_code;
}

/* Two introducers: distinct formal members (正式党员) in the caller's areas, not the member. */
static int check_introducers(jc_ctx *c, const party_limits *L, int64_t self, const int64_t *ids,
                             int n, party_member *out)
{
    if (n != (int)L->introducers)
        return jc_fail(c, JC_EUNPROC, "introducers", "introducer_ids",
                       arena_printf(c->a,
                                    "admission needs %lld introducers who are full members "
                                    "(中国共产党章程第五条)",
                                    (long long)L->introducers),
                       arena_printf(c->a,
                                    "接收预备党员须有%lld名正式党员作入党介绍人(中国共产党"
                                    "章程第五条)",
                                    (long long)L->introducers));
    for (int i = 0; i < n; i++) {
        if (ids[i] == self || (i && ids[i] == ids[0]))
            return jc_fail(c, JC_EUNPROC, "introducers", "introducer_ids",
                           "the introducers are two different people, not the applicant",
                           "入党介绍人须为两名不同的党员,且不能是本人");
        party_member p;
        int rc = db_party_member_get(c, ids[i], &p);
        if (rc == JC_ENOTFOUND || (!rc && !area_visible(c->user, p.area_code))) {
            c->err = (jc_err){0};
            return jc_fail(c, JC_EUNPROC, "introducers", "introducer_ids",
                           arena_printf(c->a, "introducer %lld does not exist", (long long)ids[i]),
                           arena_printf(c->a, "入党介绍人 %lld 不存在", (long long)ids[i]));
        }
        if (rc) return rc;
        if (strcmp(p.stage, "full") != 0 || strcmp(p.status, "active") != 0)
            return jc_fail(c, JC_EUNPROC, "introducers", "introducer_ids",
                           arena_printf(c->a,
                                        "%s is not a full member and cannot introduce "
                                        "(中国共产党章程第五条)",
                                        p.name),
                           arena_printf(c->a,
                                        "%s 不是正式党员,不能作入党介绍人(中国共产党章程"
                                        "第五条)",
                                        p.name));
        if (out) out->introducer_id[i] = ids[i];
    }
    return JC_OK;
}

/* The unit and branch of a member: visible; the branch must be able to hold members; the area
 * follows the unit (else the branch). */
static int place_member(jc_ctx *c, party_member *m)
{
    int rc;
    m->area_code = NULL;
    if (m->org_id) {
        party_org o;
        rc = db_party_org_get(c, m->org_id, &o);
        if (rc == JC_ENOTFOUND || (!rc && !area_visible(c->user, o.area_code))) {
            c->err = (jc_err){0};
            return jc_fail(c, JC_EUNPROC, "unknown_org", "org_id",
                           "the party organization does not exist", "党组织不存在");
        }
        if (rc) return rc;
        if (strcmp(o.status, "dissolved") == 0)
            return jc_fail(c, JC_EUNPROC, "org_dissolved", "org_id",
                           "the party organization was dissolved", "该党组织已撤销");
        m->area_code = o.area_code;
        m->org_name = o.name;
    }
    if (m->unit_id) {
        party_unit u;
        rc = db_party_unit_get(c, m->unit_id, &u);
        if (rc == JC_ENOTFOUND || (!rc && !area_visible(c->user, u.area_code))) {
            c->err = (jc_err){0};
            return jc_fail(c, JC_EUNPROC, "unknown_unit", "unit_id",
                           "the organization (unit) does not exist", "所在两新组织不存在");
        }
        if (rc) return rc;
        m->area_code = u.area_code;
        m->unit_name = u.name;
    }
    if (!m->area_code)
        return jc_fail(c, JC_EINVAL, "required", "unit_id",
                       "name the unit where the person works or the party organization",
                       "须填写所在单位或所属党组织");
    int stage = stage_of(m->stage);
    if ((stage == STAGE_PROBATIONARY || stage == STAGE_FULL) && !m->org_id)
        return jc_fail(c, JC_EINVAL, "required", "org_id",
                       "a party member belongs to a party organization (中国共产党章程第八条)",
                       "党员须编入党的一个支部(中国共产党章程第八条)");
    return JC_OK;
}

int party_member_create(jc_ctx *c, party_member *m, const char *transfer_in_from, int64_t *id)
{
    int rc = staff_only(c);
    if (rc) return rc;
    citizen_id_info info;
    char today[11];
    today_of(c, today);
    int64_t tdays;
    jc_date_parse(today, &tdays);
    if (citizen_id_check(m->citizen_id, tdays, &info) != CID_OK)
        return jc_fail(c, JC_EINVAL, "invalid_field", "citizen_id",
                       "citizen_id is not a valid GB 11643 number", "身份证号码无效");
    m->birth_date = arena_strdup(c->a, info.birth);
    m->sex = info.sex;
    if (!m->stage) m->stage = "applicant";
    if (!m->status) m->status = "active";
    party_limits L;
    party_limits_load(c, &L);
    party_refusal why;
    int stage = stage_of(m->stage);
    if (!party_chain_check(&L, m->birth_date, stage, &m->dates, today, &why)) {
        const char *field =
            why.field && stage_of(why.field) >= 0 ? date_field(why.field) : why.field;
        return refused(c, strcmp(why.code, "required") == 0 ? JC_EINVAL : JC_EUNPROC, &why, field);
    }
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    if ((rc = place_member(c, m))) return rollback(c, rc);
    bool transferred = transfer_in_from && !jc_blank(transfer_in_from);
    int nintro = (m->introducer_id[0] > 0) + (m->introducer_id[1] > 0);
    if (nintro || (stage == STAGE_PROBATIONARY && !transferred)) {
        int64_t ids[2] = {m->introducer_id[0], m->introducer_id[1]};
        if (!ids[0]) ids[0] = ids[1];
        if ((rc = check_introducers(c, &L, 0, ids, nintro, m))) return rollback(c, rc);
    }
    if ((rc = db_party_member_insert(c, m, id))) return rollback(c, rc);
    m->id = *id;
    if (transferred) {
        int64_t tid;
        if ((rc = db_party_transfer_insert(c, *id, m->area_code, today, "in", 0, transfer_in_from,
                                           m->org_id, "", 0, m->unit_id, "", &tid)))
            return rollback(c, rc);
    }
    if ((rc = audit_append_id(
             c, "create", "party_member", *id, m->area_code, NULL, member_audit(c, m),
             transferred ? arena_printf(c->a, "组织关系转入:%s", transfer_in_from) : NULL)))
        return rollback(c, rc);
    return commit(c);
}

/* read with the version compared, and the before-image */
static int member_for_change(jc_ctx *c, int64_t id, int64_t version, party_member *m,
                             json_t **before)
{
    int rc = party_member_read(c, id, m);
    if (rc) return rc;
    if (m->version != version) return stale_now(c, m->version, "member", "党员记录");
    *before = member_audit(c, m);
    return JC_OK;
}

int party_member_edit(jc_ctx *c, int64_t id, int64_t version, const party_member *ch)
{
    int rc = staff_only(c);
    if (rc) return rc;
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    party_member m;
    json_t *before;
    if ((rc = member_for_change(c, id, version, &m, &before))) return rollback(c, rc);
    if (ch->name) m.name = ch->name;
    if (ch->phone) m.phone = *ch->phone ? ch->phone : NULL;
    if (ch->dues_category) m.dues_category = ch->dues_category;
    if (ch->income_fen >= 0) m.income_fen = ch->income_fen;
    if (ch->unit_id) {
        m.unit_id = ch->unit_id > 0 ? ch->unit_id : 0;
        if ((rc = place_member(c, &m))) return rollback(c, rc);
    }
    if ((rc = db_party_member_update(c, &m, version))) return rollback(c, rc);
    if ((rc = audit_append_id(c, "update", "party_member", id, m.area_code, before,
                              member_audit(c, &m), NULL)))
        return rollback(c, rc);
    return commit(c);
}

int party_member_advance(jc_ctx *c, int64_t id, int64_t version, const char *to, const char *date,
                         const int64_t *introducers, int nintro)
{
    int rc = staff_only(c);
    if (rc) return rc;
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    party_member m;
    json_t *before;
    if ((rc = member_for_change(c, id, version, &m, &before))) return rollback(c, rc);
    if (strcmp(m.status, "active") != 0)
        return rollback(c, jc_fail(c, JC_ECONFLICT, "transferred_out", NULL,
                                   "the member's relation was transferred out",
                                   "该党员组织关系已转出"));
    party_limits L;
    party_limits_load(c, &L);
    char today[11];
    today_of(c, today);
    int from = stage_of(m.stage), target = stage_of(to);
    party_refusal why;
    if (target < 0)
        return rollback(c,
                        jc_fail(c, JC_EINVAL, "invalid_field", "to", "unknown stage", "阶段无效"));
    if (!party_step_check(&L, m.birth_date, from, target, &m.dates, date, today, &why)) {
        if (strcmp(why.code, "stage_order") == 0) {
            if (from + 1 < STAGE__MAX)
                jc_fail_extra(c, "next", json_string(party_stages[from + 1].code));
            return rollback(c, refused(c, JC_ECONFLICT, &why, "to"));
        }
        return rollback(
            c,
            refused(c, strcmp(why.code, "invalid_date") == 0 ? JC_EINVAL : JC_EUNPROC, &why, NULL));
    }
    if (target == STAGE_PROBATIONARY) {
        if (!m.org_id)
            return rollback(c, jc_fail(c, JC_EUNPROC, "no_org", "org_id",
                                       "a probationary member is admitted by a branch: set the "
                                       "member's party organization first",
                                       "预备党员须由党支部接收,请先确定所属党组织"));
        if ((rc = check_introducers(c, &L, m.id, introducers, nintro, &m))) return rollback(c, rc);
    } else if (nintro) {
        return rollback(c, jc_fail(c, JC_EINVAL, "invalid_field", "introducer_ids",
                                   "introducers are named at admission as a probationary "
                                   "member",
                                   "入党介绍人在接收为预备党员时填写"));
    }
    m.dates.on[target] = date;
    m.stage = party_stages[target].code;
    if ((rc = db_party_member_update(c, &m, version))) return rollback(c, rc);
    if ((rc = audit_append_id(
             c, "advance", "party_member", id, m.area_code, before, member_audit(c, &m),
             arena_printf(c->a, "%s → %s", party_stages[from].zh, party_stages[target].zh))))
        return rollback(c, rc);
    return commit(c);
}

int party_member_extend(jc_ctx *c, int64_t id, int64_t version, int64_t months, const char *date,
                        const char *reason)
{
    int rc = staff_only(c);
    if (rc) return rc;
    if (!reason || jc_blank(reason))
        return jc_fail(c, JC_EINVAL, "required", "reason",
                       "the branch's reason for extending is required", "须填写延长预备期的理由");
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    party_member m;
    json_t *before;
    if ((rc = member_for_change(c, id, version, &m, &before))) return rollback(c, rc);
    party_limits L;
    party_limits_load(c, &L);
    char today[11];
    today_of(c, today);
    party_refusal why;
    if (!party_extend_check(&L, stage_of(m.stage), &m.dates, months, date, today, &why))
        return rollback(c, refused(c,
                                   strcmp(why.code, "extension_months") == 0 ||
                                           strcmp(why.code, "invalid_date") == 0
                                       ? JC_EINVAL
                                       : JC_ECONFLICT,
                                   &why, NULL));
    m.dates.extension_months = months;
    if ((rc = db_party_member_update(c, &m, version))) return rollback(c, rc);
    if ((rc = audit_append_id(
             c, "extend", "party_member", id, m.area_code, before, member_audit(c, &m),
             arena_printf(c->a, "%s:延长预备期%lld个月(%s)", date, (long long)months, reason))))
        return rollback(c, rc);
    return commit(c);
}

int party_member_transfer(jc_ctx *c, int64_t id, int64_t version, int64_t to_org, int64_t to_unit,
                          const char *to_text, const char *date, const char *note)
{
    int rc = staff_only(c);
    if (rc) return rc;
    if (!is_date_le_today(c, date))
        return jc_fail(c, JC_EINVAL, "invalid_field", "date",
                       "the date must be a real date, not in the future",
                       "日期须为有效日期,且不能晚于今天");
    if ((to_org > 0) == (to_text && !jc_blank(to_text)))
        return jc_fail(c, JC_EINVAL, "required", "to_org_id",
                       "give either the branch inside (to_org_id) or the organization outside "
                       "(to_text)",
                       "须填写转入的本辖区党组织(to_org_id)或辖区外的接收组织(to_text)之一");
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    party_member m;
    json_t *before;
    if ((rc = member_for_change(c, id, version, &m, &before))) return rollback(c, rc);
    if (strcmp(m.status, "active") != 0)
        return rollback(c, jc_fail(c, JC_ECONFLICT, "transferred_out", NULL,
                                   "the member's relation was already transferred out",
                                   "该党员组织关系已转出"));
    int64_t from_org = m.org_id, from_unit = m.unit_id;
    const char *direction;
    if (to_org > 0) {
        if (to_org == m.org_id)
            return rollback(c, jc_fail(c, JC_EUNPROC, "same_org", "to_org_id",
                                       "the member already belongs to that organization",
                                       "该党员已在此党组织"));
        party_org o;
        if ((rc = db_party_org_get(c, to_org, &o)) == JC_ENOTFOUND ||
            (!rc && !area_visible(c->user, o.area_code))) {
            c->err = (jc_err){0};
            return rollback(c, jc_fail(c, JC_EUNPROC, "unknown_org", "to_org_id",
                                       "the party organization does not exist", "党组织不存在"));
        }
        if (rc) return rollback(c, rc);
        if (strcmp(o.status, "established") != 0)
            return rollback(c, jc_fail(c, JC_EUNPROC, "org_not_established", "to_org_id",
                                       "members are transferred to an established organization",
                                       "党员只能转入已成立的党组织"));
        m.org_id = to_org;
        if (to_unit >= 0) m.unit_id = to_unit;
        if ((rc = place_member(c, &m))) return rollback(c, rc);
        direction = "internal";
    } else {
        m.status = "transferred_out";
        direction = "out";
    }
    int64_t tid;
    if ((rc = db_party_transfer_insert(c, id, m.area_code, date, direction, from_org, "",
                                       to_org > 0 ? to_org : 0, to_text, from_unit,
                                       to_org > 0 ? m.unit_id : 0, note, &tid)))
        return rollback(c, rc);
    if ((rc = db_party_member_update(c, &m, version))) return rollback(c, rc);
    if ((rc = audit_append_id(c, "transfer", "party_member", id, m.area_code, before,
                              member_audit(c, &m),
                              to_org > 0 ? arena_printf(c->a, "%s:转至%s", date, m.org_name)
                                         : arena_printf(c->a, "%s:转出至%s", date, to_text))))
        return rollback(c, rc);
    return commit(c);
}

int party_dues_pay(jc_ctx *c, int64_t member_id, const char *month, const int64_t *paid_fen,
                   const char *paid_on, const char *note, int64_t *id)
{
    int rc = staff_only(c);
    if (rc) return rc;
    char first[11], last[11];
    if (!month || strlen(month) != 7 || !jc_period_parse(month, first, last))
        return jc_fail(c, JC_EINVAL, "invalid_field", "month", "month must be YYYY-MM",
                       "月份须为 YYYY-MM");
    if (!is_date_le_today(c, paid_on))
        return jc_fail(c, JC_EINVAL, "invalid_field", "paid_on",
                       "the date paid must be a real date, not in the future",
                       "缴纳日期须为有效日期,且不能晚于今天");
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    party_member m;
    if ((rc = party_member_read(c, member_id, &m))) return rollback(c, rc);
    int stage = stage_of(m.stage);
    if (stage != STAGE_PROBATIONARY && stage != STAGE_FULL)
        return rollback(c, jc_fail(c, JC_EUNPROC, "not_a_member", NULL,
                                   "dues are paid by probationary and full members",
                                   "预备党员和正式党员才缴纳党费"));
    if (m.dates.on[STAGE_PROBATIONARY] && strcmp(last, m.dates.on[STAGE_PROBATIONARY]) < 0)
        return rollback(c, jc_fail(c, JC_EUNPROC, "before_admission", "month",
                                   "that month lies before the admission", "该月份早于入党时间"));
    party_limits L;
    party_limits_load(c, &L);
    int cat = party_enum_find(party_dues_categories, DUES__MAX, m.dues_category);
    int64_t due = party_dues_fen(&L, cat < 0 ? DUES_REGULAR : cat, m.income_fen);
    int64_t paid = paid_fen ? *paid_fen : due;
    if ((rc = db_party_dues_insert(c, member_id, m.area_code, month, m.income_fen, due, paid,
                                   paid_on, note, id)))
        return rollback(c, rc);
    json_t *after =
        jc_own(c, json_pack("{s:I, s:s, s:I, s:I, s:s}", "member_id", (json_int_t)member_id,
                            "month", month, "due_fen", (json_int_t)due, "paid_fen",
                            (json_int_t)paid, "paid_on", paid_on));
    if ((rc = audit_append_id(c, "create", "party_dues", *id, m.area_code, NULL, after, note)))
        return rollback(c, rc);
    return commit(c);
}
