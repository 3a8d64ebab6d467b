/* poverty.c — the rules of the registry: statuses and their lifecycle, 公示, persons and their
 * citizen IDs, households and their members, and the status counts reported upward. */
#include "poverty.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- statuses ---- */

static const pv_kind poor_kinds[] = {
    {"general", "一般贫困户", "ordinary poor household"},
    {"dibao", "低保贫困户", "poor household on minimum living allowance (低保)"},
    {"wubao", "五保贫困户", "poor household under the five guarantees (五保)"},
    {NULL, NULL, NULL},
};
static const pv_kind monitored_kinds[] = {
    {"unstable", "脱贫不稳定户", "exited but unstable"},
    {"marginal", "边缘易致贫户", "marginal, prone to poverty"},
    {"sudden", "突发严重困难户", "sudden severe hardship"},
    {NULL, NULL, NULL},
};

const pv_status_info pv_statuses[PV_STATUS__MAX] = {
    {"none", "未识别", "not identified", NULL},
    {"poor", "贫困户", "poor household", poor_kinds},
    {"exited", "已脱贫", "exited poverty", NULL},
    {"stable", "稳定脱贫", "stably out of poverty", NULL},
    {"returned", "返贫", "returned to poverty", NULL},
    {"monitored", "监测户", "monitored household", monitored_kinds},
};

int pv_status_from_code(const char *code)
{
    for (int i = 0; code && i < PV_STATUS__MAX; i++)
        if (strcmp(pv_statuses[i].code, code) == 0) return i;
    return PV_STATUS__MAX;
}

const char *pv_status_zh(const char *code)
{
    int s = pv_status_from_code(code);
    return s < PV_STATUS__MAX ? pv_statuses[s].zh : (code ? code : "");
}

const char *pv_kind_zh(const char *status, const char *kind)
{
    int s = pv_status_from_code(status);
    if (s == PV_STATUS__MAX) return NULL;
    if (!kind || !*kind) return pv_statuses[s].kinds ? NULL : "";
    for (const pv_kind *k = pv_statuses[s].kinds; k && k->code; k++)
        if (strcmp(k->code, kind) == 0) return k->zh;
    return NULL;
}

/* The lifecycle without corrections: 识别 (none → poor), 标注脱贫 (poor → exited), 稳定脱贫,
 * 返贫, 纳入监测 and 解除监测 (back to where the household stood), and a change of attribute
 * (一般/低保/五保, or the kind of monitoring). Corrections (错评, 错退) are change requests. */
static const char *const lifecycle[][2] = {
    {"none", "poor"},        {"none", "monitored"},      {"poor", "poor"},
    {"poor", "exited"},      {"exited", "stable"},       {"exited", "returned"},
    {"exited", "monitored"}, {"stable", "returned"},     {"stable", "monitored"},
    {"returned", "exited"},  {"monitored", "monitored"}, {"monitored", "poor"},
    {"monitored", "none"},   {"monitored", "exited"},    {"monitored", "stable"},
};

bool pv_transition_allowed(const char *from, const char *to)
{
    for (size_t i = 0; i < JC_NELEM(lifecycle); i++)
        if (strcmp(lifecycle[i][0], from) == 0 && strcmp(lifecycle[i][1], to) == 0) return true;
    return false;
}

json_t *pv_allowed_from(const char *from)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < JC_NELEM(lifecycle); i++)
        if (strcmp(lifecycle[i][0], from) == 0)
            json_array_append_new(arr, json_string(lifecycle[i][1]));
    return arr;
}

/* ---- configuration ---- */

static int check_statuses(jc_ctx *c, json_t *v)
{
    int rc = config_check_string_list(c, v);
    if (rc) return rc;
    size_t i;
    json_t *e;
    json_array_foreach(
        v, i,
        e) if (pv_status_from_code(json_string_value(e)) ==
               PV_STATUS__MAX) return jc_fail(c, JC_EINVAL, "invalid_field", "value",
                                              "every item must be a status: none, poor, exited, "
                                              "stable, returned, "
                                              "monitored",
                                              "每一项须为状态代码:"
                                              "none、poor、exited、stable、returned、monitored");
    return JC_OK;
}

static int check_roles(jc_ctx *c, json_t *v)
{
    int rc = config_check_string_list(c, v);
    if (rc) return rc;
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e) if (jc_role_from_code(json_string_value(e)) ==
                                    ROLE__MAX) return jc_fail(c, JC_EINVAL, "invalid_field",
                                                              "value",
                                                              "every item must be a role code",
                                                              "每一项须为角色代码");
    return JC_OK;
}

static int check_notice_days(jc_ctx *c, json_t *v)
{
    if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 30)
        return jc_fail(c, JC_EINVAL, "invalid_field", "value", "value must be 1–30 days",
                       "取值须为1–30天");
    return JC_OK;
}

static int check_lines(jc_ctx *c, json_t *v)
{
    const char *k;
    json_t *e;
    if (!json_is_object(v) || json_object_size(v) == 0)
        return jc_fail(c, JC_EINVAL, "invalid_field", "value",
                       "value must be an object {\"YEAR\": yuan per person and year}",
                       "取值须为对象 {\"年份\": 元/人·年}");
    json_object_foreach(v, k, e)
    {
        if (strlen(k) != 4 || strspn(k, "0123456789") != 4 || !json_is_integer(e) ||
            json_integer_value(e) <= 0)
            return jc_fail(c, JC_EINVAL, "invalid_field", "value",
                           "each member must be a year (YYYY) with a positive whole number of yuan",
                           "每一项须为年份(YYYY)及正整数金额(元)");
    }
    return JC_OK;
}

const config_def poverty_config[PV_NCONFIG] = {
    {"poverty.key_categories",
     "[\"低保户\",\"特困供养户(五保户)\",\"残疾人户\",\"大病户\",\"危房户\",\"独居老人户\","
     "\"无劳动力户\",\"单亲家庭户\",\"留守老人儿童户\",\"突发困难户\"]",
     "十类重点户的类别(乡镇确定;户可同时属于多类)",
     "the town's ten categories of key households (十类重点户); a household may carry several",
     config_check_string_list},
    {"poverty.notice_days", "7", "识别、退出公示的天数(最少)",
     "days of the public notice (公示) before an entry or exit, at least", check_notice_days},
    {"poverty.notice_statuses", "[\"poor\",\"returned\",\"exited\"]",
     "需要公示后才能变更到的状态(进入贫困户、返贫,退出)",
     "statuses a household enters only after a public notice (entry, return, exit)",
     check_statuses},
    {"poverty.pii_roles", "[\"admin\",\"poverty_officer\"]",
     "可以查看完整身份证号和电话的角色(其他角色看到打码)",
     "roles that see citizen IDs and phone numbers unmasked (others see them masked)", check_roles},
    {"poverty.relations",
     "[\"户主\",\"配偶\",\"子\",\"女\",\"儿媳\",\"女婿\",\"孙子\",\"孙女\",\"父亲\",\"母亲\","
     "\"祖父母\",\"兄弟姐妹\",\"其他\"]",
     "与户主关系", "relations to the head of the household", config_check_string_list},
    {"poverty.project_types",
     "[\"产业扶贫\",\"基础设施\",\"安全饮水\",\"危房改造\",\"教育扶贫\",\"就业扶贫\",\"光伏扶贫\","
     "\"金融扶贫\",\"其他\"]",
     "扶贫项目类型", "types of poverty-alleviation projects", config_check_string_list},
    {"poverty.fund_levels", "[\"中央\",\"省级\",\"市级\",\"县级\",\"乡镇\",\"社会帮扶\"]",
     "扶贫资金来源级次", "levels of fund sources", config_check_string_list},
    {"poverty.yulu_annual_fen", "300000", "雨露计划每生每年补助(分),分两学期发放",
     "雨露计划 subsidy per student and school year in fen, paid in two semesters",
     config_check_positive_int},
    {"poverty.yulu_eligible_statuses",
     "[\"poor\",\"exited\",\"stable\",\"returned\",\"monitored\"]",
     "雨露计划可享受的户状态(另:建档立卡贫困户均可享受)",
     "household statuses eligible for 雨露计划 (建档立卡 households always are)", check_statuses},
    {"poverty.poverty_line",
     "{\"2010\":2300,\"2014\":2800,\"2015\":2855,\"2016\":3000,\"2017\":3335,\"2018\":3535,"
     "\"2019\":3747,\"2020\":4000}",
     "国家扶贫标准(元/人·年,按年)", "national poverty line per year (yuan per person and year)",
     check_lines},
};

/* ---- helpers ---- */

bool pv_pii(jc_ctx *c)
{
    if (!c->user) return false;
    if (c->user->system) return true;
    json_t *roles = config_get(c, "poverty.pii_roles"), *e;
    size_t i;
    json_array_foreach(roles, i, e)
    {
        jc_role r = jc_role_from_code(json_string_value(e));
        if (r < ROLE__MAX && jc_user_has(c->user, RB(r))) return true;
    }
    return false;
}

const char *pv_today(jc_ctx *c)
{
    char *d = arena_alloc(c->a, 11);
    if (!d) return "1970-01-01";
    jc_date_local(c->now, d);
    return d;
}

const char **pv_key_tags(jc_ctx *c, int *n)
{
    json_t *v = config_get(c, "poverty.key_categories"), *e;
    size_t i, k = json_array_size(v);
    const char **out = arena_alloc(c->a, sizeof *out * (k + 1));
    if (!out) {
        if (n) *n = 0;
        return NULL;
    }
    json_array_foreach(v, i, e) out[i] = json_string_value(e);
    out[k] = NULL;
    if (n) *n = (int)k;
    return out;
}

bool pv_tag_known(jc_ctx *c, const char *tag)
{
    return strcmp(tag, PV_TAG_REGISTERED) == 0 || config_list_has(c, "poverty.key_categories", tag);
}

int pv_check_area(jc_ctx *c, const char *code, const char *field)
{
    int rc = area_check(c, code, field);
    if (rc) return rc;
    area_rec a;
    rc = area_get(c, code, &a);
    if (rc == JC_ENOTFOUND) {
        c->err = (jc_err){0};
        return jc_fail(c, JC_EUNPROC, "unknown_area", field,
                       arena_printf(c->a, "area %s does not exist", code),
                       arena_printf(c->a, "区域 %s 不存在", code));
    }
    if (rc) return rc;
    if (a.level < AREA_VILLAGE)
        return jc_fail(c, JC_EUNPROC, "area_level", field,
                       "households belong to a village (行政村) or a grid below it",
                       "户须属于行政村(或其下的网格)");
    return JC_OK;
}

static const char *sex_zh(int64_t s)
{
    return s == 1 ? "男" : s == 2 ? "女" : "";
}

static const char *person_state_zh(const char *s)
{
    if (!s) return "";
    if (strcmp(s, "alive") == 0) return "在册";
    if (strcmp(s, "moved") == 0) return "已迁出";
    if (strcmp(s, "deceased") == 0) return "已故";
    return s;
}

static const char *pfx(jc_ctx *c, const char *prefix, const char *name)
{
    return prefix && *prefix ? arena_printf(c->a, "%s%s", prefix, name) : name;
}

int pv_person_check(jc_ctx *c, pv_person_in *in, const char *prefix)
{
    return pv_person_check_list(c, in, prefix, config_get(c, "poverty.relations"));
}

static bool in_list(json_t *list, const char *s)
{
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) if (json_is_string(e) &&
                                       strcmp(json_string_value(e), s) == 0) return true;
    return false;
}

int pv_person_check_list(jc_ctx *c, pv_person_in *in, const char *prefix, json_t *relations)
{
    const char *f = pfx(c, prefix, "name");
    if (jc_blank(in->name))
        return jc_fail(c, JC_EINVAL, "required", f, arena_printf(c->a, "%s is required", f),
                       "姓名为必填项");
    if (jc_utf8_len(in->name) > 50 || jc_has_control(in->name))
        return jc_fail(c, JC_EINVAL, "invalid_field", f,
                       arena_printf(c->a, "%s: at most 50 characters, no control characters", f),
                       "姓名不能超过50个字");
    f = pfx(c, prefix, "citizen_id");
    if (!in->citizen_id || !*in->citizen_id)
        return jc_fail(c, JC_EINVAL, "required", f, arena_printf(c->a, "%s is required", f),
                       "身份证号为必填项");
    int64_t today;
    jc_date_parse(pv_today(c), &today);
    citizen_id_info info;
    switch (citizen_id_check(in->citizen_id, today, &info)) {
    case CID_OK:
        break;
    case CID_FORMAT:
        return jc_fail(c, JC_EINVAL, "invalid_field", f,
                       arena_printf(c->a, "%s: must be 17 digits and a check digit or X", f),
                       "身份证号须为18位(17位数字加校验码)");
    case CID_DATE:
        return jc_fail(c, JC_EINVAL, "invalid_field", f,
                       arena_printf(c->a, "%s contains an impossible birth date", f),
                       "身份证号中的出生日期无效");
    case CID_CHECKSUM:
        return jc_fail(c, JC_EINVAL, "invalid_field", f,
                       arena_printf(c->a, "%s: check digit does not match (GB 11643)", f),
                       "身份证号校验码不正确(GB 11643)");
    }
    if (in->citizen_id[17] == 'x') {
        char *u = arena_strdup(c->a, in->citizen_id);
        if (!u) return JC_ENOMEM;
        u[17] = 'X';
        in->citizen_id = u;
    }
    if (in->sex && in->sex != info.sex) {
        f = pfx(c, prefix, "sex");
        return jc_fail(c, JC_EINVAL, "invalid_field", f,
                       arena_printf(c->a, "%s does not match the citizen ID, which says %s", f,
                                    info.sex == 1 ? "male (1)" : "female (2)"),
                       arena_printf(c->a, "性别与身份证号不符(身份证号为%s性)", sex_zh(info.sex)));
    }
    if (in->birth_date && *in->birth_date && strcmp(in->birth_date, info.birth) != 0) {
        f = pfx(c, prefix, "birth_date");
        return jc_fail(c, JC_EINVAL, "invalid_field", f,
                       arena_printf(c->a, "%s %s does not match the citizen ID, which says %s", f,
                                    in->birth_date, info.birth),
                       arena_printf(c->a, "出生日期 %s 与身份证号不符(身份证号为 %s)",
                                    in->birth_date, info.birth));
    }
    in->sex = info.sex;
    in->birth_date = arena_strdup(c->a, info.birth);
    f = pfx(c, prefix, "relation");
    if (!in->relation || !in_list(relations, in->relation)) {
        jc_fail_extra(c, "allowed", json_incref(relations));
        return jc_fail(c, in->relation ? JC_EINVAL : JC_EINVAL,
                       in->relation ? "invalid_field" : "required", f,
                       arena_printf(c->a, "%s must be one of poverty.relations", f),
                       "与户主关系须为配置的关系之一");
    }
    if (in->phone && *in->phone) {
        char norm[12];
        f = pfx(c, prefix, "phone");
        if (!mobile_valid(in->phone, norm))
            return jc_fail(c, JC_EINVAL, "invalid_field", f,
                           arena_printf(c->a, "%s must be a mobile number (11 digits)", f),
                           "手机号码须为11位");
        in->phone = arena_strdup(c->a, norm);
    }
    return JC_OK;
}

int pv_person_unique(jc_ctx *c, const char *citizen_id, const char *field, int64_t *existing)
{
    pv_person p;
    *existing = 0;
    int rc = db_pv_person_by_cid(c, citizen_id, &p);
    if (rc == JC_ENOTFOUND) return JC_OK;
    if (rc) return rc;
    if (strcmp(p.state, "deceased") != 0 && p.household_id == 0) {
        *existing = p.id; /* moved out of every household: may join another */
        return JC_OK;
    }
    json_t *ex = json_pack("{s:I, s:I}", "person_id", (json_int_t)p.id, "household_id",
                           (json_int_t)p.household_id);
    if (!area_visible(c->user, p.area_code)) {
        jc_fail_extra(c, "existing", ex);
        return jc_fail(
            c, JC_ECONFLICT, "duplicate", field,
            arena_printf(c->a,
                         "this citizen ID is already registered (person %lld, in an "
                         "area you do not manage)",
                         (long long)p.id),
            arena_printf(c->a, "该身份证号已登记(人员编号%lld,属其他辖区)", (long long)p.id));
    }
    json_object_set_new(ex, "name", json_string(p.name));
    json_object_set_new(ex, "state", json_string(p.state));
    if (strcmp(p.state, "deceased") == 0) {
        jc_fail_extra(c, "existing", ex);
        return jc_fail(c, JC_ECONFLICT, "duplicate", field,
                       arena_printf(c->a,
                                    "this citizen ID is registered for %s (person %lld), "
                                    "deceased on %s",
                                    p.name, (long long)p.id, p.left_on ? p.left_on : "?"),
                       arena_printf(c->a, "该身份证号已登记为%s(人员编号%lld),已于%s死亡", p.name,
                                    (long long)p.id, p.left_on ? p.left_on : "?"));
    }
    pv_household h;
    rc = db_pv_household_get(c, p.household_id, &h);
    if (rc) return rc;
    json_object_set_new(ex, "area_name", json_string(h.area_name ? h.area_name : ""));
    json_object_set_new(ex, "head_name", json_string(h.head_name ? h.head_name : ""));
    jc_fail_extra(c, "existing", ex);
    return jc_fail(
        c, JC_ECONFLICT, "duplicate", field,
        arena_printf(c->a,
                     "this citizen ID is already registered: %s (person %lld), member of "
                     "household %lld (head %s, %s); a person is in one household at a time",
                     p.name, (long long)p.id, (long long)h.id, h.head_name ? h.head_name : "—",
                     h.area_name ? h.area_name : h.area_code),
        arena_printf(c->a,
                     "该身份证号已登记:%s(人员编号%lld),现为%s户主%s家(户编号%lld)成员;"
                     "同一人同时只能在一户",
                     p.name, (long long)p.id, h.area_name ? h.area_name : h.area_code,
                     h.head_name ? h.head_name : "—", (long long)h.id));
}

/* ---- JSON ---- */

static void set_time(json_t *o, const char *key, int64_t t)
{
    char ts[32];
    jc_time_local(t, ts);
    json_object_set_new(o, key, json_string(ts));
}

json_t *pv_household_json(jc_ctx *c, const pv_household *h, bool pii)
{
    char phone[32] = "";
    if (h->phone && *h->phone) {
        if (pii)
            snprintf(phone, sizeof phone, "%s", h->phone);
        else
            mask_phone(h->phone, phone);
    }
    const char *kzh = pv_kind_zh(h->status, h->kind);
    json_t *o = json_pack(
        "{s:I, s:s, s:s, s:s?, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:I, s:I}", "id",
        (json_int_t)h->id, "area", h->area_code, "area_name", h->area_name ? h->area_name : "",
        "household_no", h->household_no, "address", h->address ? h->address : "", "phone", phone,
        "note", h->note ? h->note : "", "status", h->status, "status_zh", pv_status_zh(h->status),
        "kind", h->kind ? h->kind : "", "kind_zh", kzh ? kzh : "", "status_since", h->status_since,
        "head_name", h->head_name, "members", (json_int_t)h->members, "version",
        (json_int_t)h->version);
    if (!o) return NULL;
    set_time(o, "created_at", h->created_at);
    set_time(o, "updated_at", h->updated_at);
    json_t *tags;
    if (db_pv_tags(c, h->id, &tags) == JC_OK)
        json_object_set(o, "tags", tags);
    else
        json_object_set_new(o, "tags", json_array());
    return jc_own(c, o);
}

json_t *pv_person_json(jc_ctx *c, const pv_person *p, bool pii)
{
    char cid[32], phone[32] = "";
    if (pii)
        snprintf(cid, sizeof cid, "%s", p->citizen_id);
    else
        mask_citizen_id(p->citizen_id, cid);
    if (p->phone && *p->phone) {
        if (pii)
            snprintf(phone, sizeof phone, "%s", p->phone);
        else
            mask_phone(p->phone, phone);
    }
    json_t *o = json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:I}",
                          "id", (json_int_t)p->id, "name", p->name, "citizen_id", cid, "sex",
                          (json_int_t)p->sex, "sex_zh", sex_zh(p->sex), "birth_date", p->birth_date,
                          "phone", phone, "area", p->area_code, "relation",
                          p->relation ? p->relation : "", "state", p->state, "left_reason",
                          p->left_reason, "left_on", p->left_on, "version", (json_int_t)p->version);
    if (!o) return NULL;
    json_object_set_new(o, "state_zh", json_string(person_state_zh(p->state)));
    json_object_set_new(o, "household_id",
                        p->household_id ? json_integer(p->household_id) : json_null());
    return jc_own(c, o);
}

json_t *pv_notice_json(jc_ctx *c, const pv_notice *n)
{
    int64_t end;
    char proceed[11] = "";
    if (jc_date_parse(n->end_date, &end)) jc_date_format(end + 1, proceed);
    const char *today = pv_today(c);
    const char *state = n->outcome                         ? n->outcome
                        : n->upheld                        ? "failed"
                        : strcmp(today, n->start_date) < 0 ? "scheduled"
                        : strcmp(today, n->end_date) <= 0  ? "running"
                        : n->pending                       ? "objection"
                                                           : "ended";
    static const char *const zh[][2] = {
        {"used", "已办理"},      {"failed", "异议成立"}, {"withdrawn", "已撤回"},
        {"scheduled", "未开始"}, {"running", "公示中"},  {"objection", "有待处理异议"},
        {"ended", "公示期满"},
    };
    const char *state_zh = state;
    for (size_t i = 0; i < JC_NELEM(zh); i++)
        if (strcmp(zh[i][0], state) == 0) state_zh = zh[i][1];
    const char *kzh = pv_kind_zh(n->target_status, n->target_kind);
    json_t *o =
        json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s?, "
                  "s:I, s:I, s:I}",
                  "id", (json_int_t)n->id, "area", n->area_code, "target_status", n->target_status,
                  "target_status_zh", pv_status_zh(n->target_status), "target_kind",
                  n->target_kind ? n->target_kind : "", "target_kind_zh", kzh ? kzh : "",
                  "start_date", n->start_date, "end_date", n->end_date, "days", (json_int_t)n->days,
                  "may_proceed_on", proceed, "state", state, "state_zh", state_zh, "place",
                  n->place, "pending_objections", (json_int_t)n->pending, "upheld_objections",
                  (json_int_t)n->upheld, "version", (json_int_t)n->version);
    if (!o) return NULL;
    json_object_set_new(o, "household_id",
                        n->household_id ? json_integer(n->household_id) : json_null());
    json_object_set_new(o, "change_id", n->change_id ? json_integer(n->change_id) : json_null());
    return jc_own(c, o);
}

/* ---- reading with the area check ---- */

int pv_household_read(jc_ctx *c, int64_t id, pv_household *h)
{
    int rc = db_pv_household_get(c, id, h);
    if (rc) return rc;
    return area_check(c, h->area_code, NULL);
}

int pv_person_read(jc_ctx *c, int64_t id, pv_person *p)
{
    int rc = db_pv_person_get(c, id, p);
    if (rc) return rc;
    return area_check(c, p->area_code, NULL);
}

int pv_need_writer(jc_ctx *c)
{
    if (jc_user_has(c->user, PV_WRITERS)) return JC_OK;
    return jc_fail(c, JC_EPERM, "forbidden", NULL,
                   "only poverty officers (扶贫专干) and administrators change the registry",
                   "只有扶贫专干和管理员可以修改扶贫档案");
}

int pv_check_stale(jc_ctx *c, int64_t have, int64_t want, const char *en, const char *zh)
{
    if (have == want) return JC_OK;
    jc_fail_extra(c, "current_version", json_integer(have));
    return jc_fail(
        c, JC_ESTALE, "stale_version", "version",
        arena_printf(c->a, "the %s was changed by someone else; reload and try again", en),
        arena_printf(c->a, "该%s已被他人修改,请刷新后重试", zh));
}

/* A status with its kind: the kind must be one of the status's kinds (required when it has). */
int pv_check_status_kind(jc_ctx *c, const char *status, const char **kind, bool *known)
{
    int s = pv_status_from_code(status);
    if (s == PV_STATUS__MAX) {
        json_t *allowed = json_array();
        for (int i = 0; i < PV_STATUS__MAX; i++)
            json_array_append_new(allowed, json_string(pv_statuses[i].code));
        jc_fail_extra(c, "allowed", allowed);
        return jc_fail(c, JC_EINVAL, "invalid_field", "status",
                       "status must be none, poor, exited, stable, returned or monitored",
                       "状态须为 none、poor、exited、stable、returned 或 monitored");
    }
    if (!*kind) *kind = "";
    if (!pv_kind_zh(status, *kind)) {
        json_t *allowed = json_array();
        for (const pv_kind *k = pv_statuses[s].kinds; k && k->code; k++)
            json_array_append_new(allowed, json_string(k->code));
        jc_fail_extra(c, "allowed", allowed);
        if (pv_statuses[s].kinds)
            return jc_fail(
                c, JC_EINVAL, **kind ? "invalid_field" : "required", "kind",
                arena_printf(c->a, "kind is required for status %s: one of the allowed", status),
                arena_printf(c->a, "状态「%s」须注明属性(类型)", pv_statuses[s].zh));
        return jc_fail(c, JC_EINVAL, "invalid_field", "kind",
                       arena_printf(c->a, "status %s has no kinds", status),
                       arena_printf(c->a, "状态「%s」没有属性(类型)", pv_statuses[s].zh));
    }
    if (known) *known = true;
    return JC_OK;
}

/* An effective date: today at the latest, and not before `after` (the last history date). */
int pv_check_effective(jc_ctx *c, const char *date, const char *after)
{
    const char *today = pv_today(c);
    if (strcmp(date, today) > 0)
        return jc_fail(c, JC_EUNPROC, "invalid_date", "effective_date",
                       arena_printf(c->a, "effective_date %s lies in the future", date),
                       arena_printf(c->a, "生效日期 %s 不能晚于今天", date));
    if (after && *after && strcmp(date, after) < 0)
        return jc_fail(c, JC_EUNPROC, "invalid_date", "effective_date",
                       arena_printf(c->a,
                                    "effective_date %s lies before the household's last status "
                                    "change (%s): history is appended in order",
                                    date, after),
                       arena_printf(c->a, "生效日期 %s 早于该户上一次状态变更(%s)", date, after));
    return JC_OK;
}

json_t *pv_household_audit(jc_ctx *c, const pv_household *h)
{
    json_t *tags = NULL;
    if (h->id) db_pv_tags(c, h->id, &tags);
    return jc_own(c, json_pack("{s:s, s:s?, s:s, s:s?, s:s, s:s, s:s, s:O?}", "area", h->area_code,
                               "household_no", h->household_no, "address",
                               h->address ? h->address : "", "phone", h->phone, "status", h->status,
                               "kind", h->kind ? h->kind : "", "status_since", h->status_since,
                               "tags", tags));
}

json_t *pv_person_audit(jc_ctx *c, const pv_person *p)
{
    return jc_own(c, json_pack("{s:s, s:s, s:I, s:s, s:s?, s:I, s:s, s:s}", "name", p->name,
                               "citizen_id", p->citizen_id, "sex", (json_int_t)p->sex, "birth_date",
                               p->birth_date, "phone", p->phone, "household_id",
                               (json_int_t)p->household_id, "relation",
                               p->relation ? p->relation : "", "state", p->state));
}

/* ---- households ---- */

int pv_check_tags(jc_ctx *c, const char **tags, int n)
{
    return n ? pv_check_tags_list(c, tags, n, config_get(c, "poverty.key_categories")) : JC_OK;
}

int pv_check_tags_list(jc_ctx *c, const char **tags, int n, json_t *key_categories)
{
    for (int i = 0; i < n; i++) {
        if (strcmp(tags[i], PV_TAG_REGISTERED) != 0 && !in_list(key_categories, tags[i])) {
            json_t *allowed = json_array();
            json_array_append_new(allowed, json_string(PV_TAG_REGISTERED));
            json_array_extend(allowed, key_categories);
            jc_fail_extra(c, "allowed", allowed);
            return jc_fail(
                c, JC_EINVAL, "invalid_field", "tags",
                arena_printf(c->a,
                             "tag '%s' is neither 建档立卡贫困户 nor one of the "
                             "configured categories (poverty.key_categories)",
                             tags[i]),
                arena_printf(c->a, "标签「%s」不是建档立卡贫困户,也不在十类重点户类别中", tags[i]));
        }
        for (int k = 0; k < i; k++)
            if (strcmp(tags[k], tags[i]) == 0)
                return jc_fail(c, JC_EINVAL, "invalid_field", "tags",
                               arena_printf(c->a, "tag '%s' is given twice", tags[i]),
                               arena_printf(c->a, "标签「%s」重复", tags[i]));
    }
    return JC_OK;
}

/* Adds a checked person to a household (new record, or the record of someone who left every
 * household), with the membership row. Must run inside the caller's transaction. */
int pv_put_member(jc_ctx *c, const pv_household *h, const pv_person_in *in, int64_t existing,
                  const char *from, const char *reason, int64_t change_id, int64_t *pid)
{
    int rc;
    pv_person p = {0};
    if (existing) {
        if ((rc = db_pv_person_get(c, existing, &p))) return rc;
        int64_t v = p.version;
        p.name = in->name;
        if (in->phone && *in->phone) p.phone = in->phone;
        p.area_code = h->area_code;
        p.household_id = h->id;
        p.relation = in->relation;
        p.state = "alive";
        p.left_reason = NULL;
        p.left_on = NULL;
        if ((rc = db_pv_person_update(c, &p, v))) return rc;
    } else {
        p.citizen_id = in->citizen_id;
        p.name = in->name;
        p.sex = in->sex;
        p.birth_date = in->birth_date;
        p.phone = in->phone;
        p.area_code = h->area_code;
        p.household_id = h->id;
        p.relation = in->relation;
        p.state = "alive";
        if ((rc = db_pv_person_insert(c, &p, &p.id))) return rc;
    }
    if ((rc = db_pv_member_join(c, p.id, h->id, in->relation, from, reason, change_id))) return rc;
    if (pid) *pid = p.id;
    return audit_append_id(c, existing ? "join" : "create", "pv_person", p.id, h->area_code, NULL,
                           pv_person_audit(c, &p), reason);
}

/* Checks a list of persons for a household: each one, one head at most (and none when the
 * household has one), IDs not given twice, and none registered elsewhere. */
int pv_check_persons(jc_ctx *c, pv_person_in *ps, int n, bool has_head, int64_t *existing,
                     const char *prefix)
{
    int rc, heads = has_head ? 1 : 0;
    for (int i = 0; i < n; i++) {
        const char *p = arena_printf(c->a, "%s[%d].", prefix, i);
        if ((rc = pv_person_check(c, &ps[i], p))) return rc;
        if (strcmp(ps[i].relation, "户主") == 0 && ++heads > 1)
            return jc_fail(c, JC_EUNPROC, "two_heads", arena_printf(c->a, "%srelation", p),
                           "a household has one head (户主)", "一户只能有一位户主");
        for (int k = 0; k < i; k++)
            if (strcmp(ps[k].citizen_id, ps[i].citizen_id) == 0)
                return jc_fail(c, JC_EINVAL, "invalid_field", arena_printf(c->a, "%scitizen_id", p),
                               "the same citizen ID is given twice", "同一身份证号出现了两次");
        if ((rc = pv_person_unique(c, ps[i].citizen_id, arena_printf(c->a, "%scitizen_id", p),
                                   &existing[i])))
            return rc;
    }
    return JC_OK;
}

int pv_household_create(jc_ctx *c, pv_household_in *in, int64_t *id)
{
    int rc = pv_need_writer(c);
    if (!rc) rc = pv_check_area(c, in->area_code, "area");
    if (!rc) rc = pv_check_tags(c, in->tags, in->ntags);
    if (rc) return rc;
    const char *status = in->status && *in->status ? in->status : "none";
    const char *kind = in->kind;
    if ((rc = pv_check_status_kind(c, status, &kind, NULL))) return rc;
    if (pv_notice_needed(c, status))
        return jc_fail(c, JC_EUNPROC, "notice_required", "status",
                       arena_printf(c->a,
                                    "a new household cannot start as %s: register it, hold the "
                                    "public notice (公示), then change its status",
                                    status),
                       arena_printf(c->a,
                                    "新登记的户不能直接为「%s」:请先登记,公示期满后再变更状态",
                                    pv_status_zh(status)));
    /* an exit (or a stable one) follows an entry: it is not where a registration starts (an
     * import brings existing records of the national system with whatever status they have) */
    if (strcmp(status, "none") != 0 && strcmp(status, "monitored") != 0) {
        jc_fail_extra(c, "allowed", json_pack("[s, s]", "none", "monitored"));
        return jc_fail(c, JC_EUNPROC, "invalid_transition", "status",
                       "a new household starts as none (未识别) or monitored (监测户)",
                       "新登记的户只能为未识别或监测户");
    }
    const char *date = in->effective_date && *in->effective_date ? in->effective_date : pv_today(c);
    if ((rc = pv_check_effective(c, date, NULL))) return rc;
    if (in->phone && *in->phone) {
        char norm[12];
        if (!mobile_valid(in->phone, norm))
            return jc_fail(c, JC_EINVAL, "invalid_field", "phone",
                           "phone must be a mobile number (11 digits)", "联系电话须为11位手机号码");
        in->phone = arena_strdup(c->a, norm);
    }
    int64_t *existing = arena_calloc(c->a, sizeof *existing * (size_t)(in->npersons + 1));
    if (!existing) return JC_ENOMEM;
    if ((rc = pv_check_persons(c, in->persons, in->npersons, false, existing, "persons")))
        return rc;

    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    pv_household h = {0};
    h.area_code = in->area_code;
    h.household_no = in->household_no;
    h.address = in->address;
    h.phone = in->phone;
    h.note = in->note;
    h.status = status;
    h.kind = kind;
    h.status_since = date;
    if ((rc = db_pv_household_insert(c, &h, &h.id))) goto fail;
    pv_status_row sr = {.household_id = h.id,
                        .status = status,
                        .kind = kind,
                        .effective_date = date,
                        .reason = "登记"};
    if ((rc = db_pv_status_append(c, &sr, NULL))) goto fail;
    for (int i = 0; i < in->ntags; i++)
        if ((rc = db_pv_tag_add(c, h.id, in->tags[i]))) goto fail;
    for (int i = 0; i < in->npersons; i++)
        if ((rc = pv_put_member(c, &h, &in->persons[i], existing[i], date, "登记", 0, NULL)))
            goto fail;
    if ((rc = audit_append_id(c, "create", "pv_household", h.id, h.area_code, NULL,
                              pv_household_audit(c, &h), NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    *id = h.id;
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

int pv_household_edit(jc_ctx *c, int64_t id, int64_t version, const pv_household_in *in,
                      bool has_tags)
{
    int rc = pv_need_writer(c);
    if (!rc && has_tags) rc = pv_check_tags(c, in->tags, in->ntags);
    if (rc) return rc;
    const char *phone = in->phone;
    if (phone && *phone) {
        char norm[12];
        if (!mobile_valid(phone, norm))
            return jc_fail(c, JC_EINVAL, "invalid_field", "phone",
                           "phone must be a mobile number (11 digits)", "联系电话须为11位手机号码");
        phone = arena_strdup(c->a, norm);
    }
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    pv_household h;
    if ((rc = pv_household_read(c, id, &h))) goto fail;
    if ((rc = pv_check_stale(c, h.version, version, "household", "户"))) goto fail;
    json_t *before = pv_household_audit(c, &h);
    if (in->household_no) h.household_no = in->household_no;
    if (in->address) h.address = in->address;
    if (phone) h.phone = phone;
    if (in->note) h.note = in->note;
    if ((rc = db_pv_household_update(c, &h, version))) goto fail;
    if (has_tags) {
        if ((rc = db_pv_tags_clear(c, id))) goto fail;
        for (int i = 0; i < in->ntags; i++)
            if ((rc = db_pv_tag_add(c, id, in->tags[i]))) goto fail;
    }
    if ((rc = audit_append_id(c, "update", "pv_household", id, h.area_code, before,
                              pv_household_audit(c, &h), NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

int pv_household_add_person(jc_ctx *c, int64_t household_id, int64_t version, pv_person_in *in,
                            const char *from, int64_t *person_id)
{
    int rc = pv_need_writer(c);
    if (rc) return rc;
    if ((rc = pv_person_check(c, in, NULL))) return rc;
    const char *date = from && *from ? from : pv_today(c);
    if (strcmp(date, pv_today(c)) > 0)
        return jc_fail(c, JC_EUNPROC, "invalid_date", "from", "from lies in the future",
                       "加入日期不能晚于今天");
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    pv_household h;
    int64_t existing;
    if ((rc = pv_household_read(c, household_id, &h))) goto fail;
    if ((rc = pv_check_stale(c, h.version, version, "household", "户"))) goto fail;
    if (strcmp(in->relation, "户主") == 0 && h.head_name) {
        rc = jc_fail(c, JC_EUNPROC, "two_heads", "relation",
                     arena_printf(c->a, "the household already has a head (%s)", h.head_name),
                     arena_printf(c->a, "该户已有户主(%s)", h.head_name));
        goto fail;
    }
    if ((rc = pv_person_unique(c, in->citizen_id, "citizen_id", &existing))) goto fail;
    if ((rc = pv_put_member(c, &h, in, existing, date, "登记", 0, person_id))) goto fail;
    if ((rc = db_pv_household_touch(c, h.id))) goto fail;
    if ((rc = audit_append_id(
             c, "add_person", "pv_household", h.id, h.area_code, NULL,
             jc_own(c, json_pack("{s:I, s:s, s:s, s:s, s:s}", "person_id", (json_int_t)*person_id,
                                 "name", in->name, "citizen_id", in->citizen_id, "relation",
                                 in->relation, "from", date)),
             NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

int pv_person_edit(jc_ctx *c, int64_t id, int64_t version, const char *name, const char *phone,
                   const char *relation, bool clear_phone)
{
    int rc = pv_need_writer(c);
    if (rc) return rc;
    if (name && (jc_blank(name) || jc_utf8_len(name) > 50))
        return jc_fail(c, JC_EINVAL, jc_blank(name) ? "required" : "invalid_field", "name",
                       "name: 1–50 characters", "姓名须为1–50个字");
    if (relation && !config_list_has(c, "poverty.relations", relation)) {
        jc_fail_extra(c, "allowed", json_incref(config_get(c, "poverty.relations")));
        return jc_fail(c, JC_EINVAL, "invalid_field", "relation",
                       "relation must be one of poverty.relations", "与户主关系须为配置的关系之一");
    }
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    pv_person p;
    if ((rc = pv_person_read(c, id, &p))) goto fail;
    if ((rc = pv_check_stale(c, p.version, version, "person", "人员"))) goto fail;
    if (relation && !p.household_id) {
        rc = jc_fail(c, JC_EUNPROC, "not_in_household", "relation", "the person is in no household",
                     "该人员不在任何户中");
        goto fail;
    }
    json_t *before = pv_person_audit(c, &p);
    if (name) p.name = name;
    if (phone) p.phone = phone;
    if (clear_phone) p.phone = NULL;
    bool moved_relation = relation && strcmp(relation, p.relation) != 0;
    if (relation) p.relation = relation;
    if ((rc = db_pv_person_update(c, &p, version))) goto fail;
    if (moved_relation) {
        /* the relation is part of the membership: the old row ends, a new one starts today */
        const char *today = pv_today(c);
        if ((rc = db_pv_member_leave(c, p.id, today, "关系变更"))) goto fail;
        if ((rc = db_pv_member_join(c, p.id, p.household_id, relation, today, "关系变更", 0)))
            goto fail;
    }
    if ((rc = audit_append_id(c, "update", "pv_person", id, p.area_code, before,
                              pv_person_audit(c, &p), NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

/* ---- status ---- */

bool pv_notice_needed(jc_ctx *c, const char *status)
{
    return config_list_has(c, "poverty.notice_statuses", status);
}

int pv_status_write(jc_ctx *c, const pv_household *h, const char *status, const char *kind,
                    const char *date, const char *reason, int64_t change_id, int64_t notice_id)
{
    pv_status_row r = {.household_id = h->id,
                       .status = status,
                       .kind = kind ? kind : "",
                       .prev_status = h->status,
                       .prev_kind = h->kind ? h->kind : "",
                       .effective_date = date,
                       .reason = reason,
                       .change_id = change_id,
                       .notice_id = notice_id};
    int rc = db_pv_status_append(c, &r, NULL);
    if (!rc) rc = db_pv_household_set_status(c, h->id, status, kind, date, h->version);
    if (!rc && notice_id) rc = db_pv_notice_set_outcome(c, notice_id, "used", h->id);
    return rc;
}

int pv_notice_ready(jc_ctx *c, int64_t household_id, int64_t change_id, const char *status,
                    const char *effective_date, int64_t *notice_id)
{
    *notice_id = 0;
    if (!pv_notice_needed(c, status)) return JC_OK;
    pv_notice n;
    int rc = db_pv_notice_open(c, household_id, change_id, status, &n);
    if (rc == JC_ENOTFOUND) {
        int64_t days = config_get_int(c, "poverty.notice_days", 7);
        return jc_fail(c, JC_EUNPROC, "notice_required", "status",
                       arena_printf(c->a,
                                    "becoming %s needs a public notice (公示) of %lld days first",
                                    status, (long long)days),
                       arena_printf(c->a, "变更为「%s」须先公示%lld天", pv_status_zh(status),
                                    (long long)days));
    }
    if (rc) return rc;
    int64_t end;
    char proceed[11];
    jc_date_parse(n.end_date, &end);
    jc_date_format(end + 1, proceed);
    const char *today = pv_today(c);
    if (strcmp(today, proceed) < 0 || strcmp(effective_date, proceed) < 0) {
        jc_fail_extra(c, "may_proceed_on", json_string(proceed));
        jc_fail_extra(c, "notice_id", json_integer(n.id));
        return jc_fail(c, JC_ECONFLICT, "notice_running", "effective_date",
                       arena_printf(c->a,
                                    "the public notice runs from %s to %s; the change may "
                                    "proceed on %s",
                                    n.start_date, n.end_date, proceed),
                       arena_printf(c->a, "公示期为 %s 至 %s,须于 %s 起方可办理", n.start_date,
                                    n.end_date, proceed));
    }
    if (n.pending) {
        jc_fail_extra(c, "notice_id", json_integer(n.id));
        return jc_fail(c, JC_ECONFLICT, "objection_pending", "status",
                       "an objection to the public notice is not yet resolved",
                       "公示期间收到的异议尚未处理");
    }
    *notice_id = n.id;
    return JC_OK;
}

int pv_status_change(jc_ctx *c, int64_t id, int64_t version, const char *status, const char *kind,
                     const char *effective_date, const char *reason)
{
    int rc = pv_need_writer(c);
    if (!rc) rc = pv_check_status_kind(c, status, &kind, NULL);
    if (rc) return rc;
    const char *date = effective_date && *effective_date ? effective_date : pv_today(c);
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    pv_household h;
    const char *last;
    int64_t notice_id;
    if ((rc = pv_household_read(c, id, &h))) goto fail;
    if ((rc = pv_check_stale(c, h.version, version, "household", "户"))) goto fail;
    if (!pv_transition_allowed(h.status, status) ||
        (strcmp(h.status, status) == 0 && strcmp(h.kind, kind) == 0)) {
        jc_fail_extra(c, "allowed", pv_allowed_from(h.status));
        jc_fail_extra(c, "state", json_string(h.status));
        rc = jc_fail(c, JC_ECONFLICT, "invalid_transition", "status",
                     arena_printf(c->a,
                                  "a household that is %s cannot become %s%s%s directly "
                                  "(corrections are change requests)",
                                  h.status, status, *kind ? "/" : "", kind),
                     arena_printf(c->a, "「%s」户不能直接变更为「%s%s%s」(纠错须提出变更申请)",
                                  pv_status_zh(h.status), pv_status_zh(status), *kind ? "·" : "",
                                  *kind ? pv_kind_zh(status, kind) : ""));
        goto fail;
    }
    if ((rc = db_pv_status_last_date(c, id, &last))) goto fail;
    if ((rc = pv_check_effective(c, date, last))) goto fail;
    /* a change of attribute within a status (一般 → 低保) is no entry or exit: no 公示 */
    notice_id = 0;
    if (strcmp(h.status, status) != 0 && (rc = pv_notice_ready(c, id, 0, status, date, &notice_id)))
        goto fail;
    json_t *before = pv_household_audit(c, &h);
    if ((rc = pv_status_write(c, &h, status, kind, date, reason, 0, notice_id))) goto fail;
    h.status = status;
    h.kind = kind;
    h.status_since = date;
    if ((rc = audit_append_id(c, "status", "pv_household", id, h.area_code, before,
                              pv_household_audit(c, &h), reason)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

int pv_notice_start(jc_ctx *c, int64_t household_id, int64_t change_id, const char *target,
                    const char *kind, const char *start, int64_t days, const char *place,
                    int64_t *id)
{
    int rc = pv_need_writer(c);
    if (rc) return rc;
    if (pv_status_from_code(target) == PV_STATUS__MAX || !pv_notice_needed(c, target)) {
        jc_fail_extra(c, "allowed", json_incref(config_get(c, "poverty.notice_statuses")));
        return jc_fail(c, JC_EINVAL, "invalid_field", "target_status",
                       "target_status must be a status that needs a public notice "
                       "(poverty.notice_statuses)",
                       "公示的目标状态须为需要公示的状态");
    }
    if (kind && *kind && !pv_kind_zh(target, kind))
        return jc_fail(c, JC_EINVAL, "invalid_field", "target_kind",
                       "target_kind is not a kind of the target status", "目标属性与目标状态不符");
    int64_t min = config_get_int(c, "poverty.notice_days", 7);
    if (!days) days = min;
    if (days < min || days > 30)
        return jc_fail(
            c, JC_EINVAL, "invalid_field", "days",
            arena_printf(c->a, "days must be %lld–30 (poverty.notice_days)", (long long)min),
            arena_printf(c->a, "公示天数须为%lld–30天", (long long)min));
    int64_t s, today;
    jc_date_parse(start, &s);
    jc_date_parse(pv_today(c), &today);
    if (s > today + 30 || s < today - 365)
        return jc_fail(c, JC_EUNPROC, "invalid_date", "start_date",
                       "start_date must lie within a year before and 30 days after today",
                       "公示开始日期须在今天之前一年至之后30天之间");
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    pv_notice n = {0}, open;
    char end[11];
    jc_date_format(s + days - 1, end);
    n.household_id = household_id;
    n.change_id = change_id;
    n.target_status = target;
    n.target_kind = kind;
    n.start_date = start;
    n.end_date = end;
    n.days = days;
    n.place = place;
    if (household_id) {
        pv_household h;
        if ((rc = pv_household_read(c, household_id, &h))) goto fail;
        if (!pv_transition_allowed(h.status, target)) {
            jc_fail_extra(c, "allowed", pv_allowed_from(h.status));
            rc = jc_fail(
                c, JC_ECONFLICT, "invalid_transition", "target_status",
                arena_printf(c->a, "a household that is %s cannot become %s", h.status, target),
                arena_printf(c->a, "「%s」户不能变更为「%s」", pv_status_zh(h.status),
                             pv_status_zh(target)));
            goto fail;
        }
        n.area_code = h.area_code;
    } else {
        pv_change ch;
        if ((rc = pv_change_read(c, change_id, &ch))) goto fail;
        if (strcmp(ch.type, "new") != 0 || wf_is_terminal(&pv_change_wf, ch.state)) {
            rc = jc_fail(c, JC_ECONFLICT, "invalid_transition", "change_id",
                         "a public notice belongs to an open 新识别 change request",
                         "只有未办结的新识别申请才需要公示");
            goto fail;
        }
        const char *st = json_string_value(json_object_get(ch.payload, "status"));
        if (!st || strcmp(st, target) != 0) {
            rc = jc_fail(c, JC_EUNPROC, "invalid_field", "target_status",
                         "target_status differs from the status the change request gives",
                         "公示的目标状态与新识别申请的状态不一致");
            goto fail;
        }
        n.area_code = ch.area_code;
    }
    rc = db_pv_notice_open(c, household_id, change_id, target, &open);
    if (rc == JC_OK) {
        jc_fail_extra(c, "notice_id", json_integer(open.id));
        rc = jc_fail(
            c, JC_ECONFLICT, "duplicate", "target_status",
            arena_printf(c->a, "a public notice for this is already open (%s to %s)",
                         open.start_date, open.end_date),
            arena_printf(c->a, "已有进行中的公示(%s 至 %s)", open.start_date, open.end_date));
        goto fail;
    }
    if (rc != JC_ENOTFOUND) goto fail;
    if ((rc = db_pv_notice_insert(c, &n, id))) goto fail;
    n.id = *id;
    if ((rc = audit_append_id(
             c, "create", "pv_notice", *id, n.area_code, NULL,
             jc_own(c, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:s}", "household_id",
                                 (json_int_t)household_id, "change_id", (json_int_t)change_id,
                                 "target_status", target, "target_kind", kind ? kind : "",
                                 "start_date", start, "end_date", end, "days", (json_int_t)days,
                                 "place", place ? place : "")),
             NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

int pv_objection_add(jc_ctx *c, int64_t notice_id, const char *received_on, const char *from_name,
                     const char *content, int64_t *id)
{
    int rc = pv_need_writer(c);
    if (rc) return rc;
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    pv_notice n;
    if ((rc = db_pv_notice_get(c, notice_id, &n))) goto fail;
    if ((rc = area_check(c, n.area_code, NULL))) goto fail;
    if (n.outcome) {
        rc =
            jc_fail(c, JC_ECONFLICT, "closed", NULL, "the public notice is closed", "该公示已办结");
        goto fail;
    }
    if (strcmp(received_on, n.start_date) < 0 || strcmp(received_on, n.end_date) > 0 ||
        strcmp(received_on, pv_today(c)) > 0) {
        rc = jc_fail(c, JC_EUNPROC, "invalid_date", "received_on",
                     arena_printf(c->a,
                                  "an objection is received during the notice (%s to %s), not "
                                  "after today",
                                  n.start_date, n.end_date),
                     arena_printf(c->a, "异议须在公示期(%s 至 %s)内收到,且不晚于今天", n.start_date,
                                  n.end_date));
        goto fail;
    }
    if ((rc = db_pv_objection_insert(c, notice_id, received_on, from_name, content, id))) goto fail;
    if ((rc = audit_append_id(
             c, "objection", "pv_notice", notice_id, n.area_code, NULL,
             jc_own(c, json_pack("{s:I, s:s, s:s, s:s}", "objection_id", (json_int_t)*id,
                                 "received_on", received_on, "from_name",
                                 from_name ? from_name : "", "content", content)),
             NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

int pv_objection_resolve(jc_ctx *c, int64_t id, int64_t version, const char *resolution,
                         const char *note)
{
    int rc = pv_need_writer(c);
    if (rc) return rc;
    if (jc_blank(note))
        return jc_fail(c, JC_EINVAL, "required", "note",
                       "note is required: say how the objection was verified",
                       "请填写异议核实处理情况");
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    json_t *obj;
    int64_t notice_id, have;
    pv_notice n;
    if ((rc = db_pv_objection_get(c, id, &obj, &notice_id, &have))) goto fail;
    if ((rc = db_pv_notice_get(c, notice_id, &n))) goto fail;
    if ((rc = area_check(c, n.area_code, NULL))) goto fail;
    if ((rc = pv_check_stale(c, have, version, "objection", "异议"))) goto fail;
    if (strcmp(json_string_value(json_object_get(obj, "resolution")), "pending") != 0) {
        rc = jc_fail(c, JC_ECONFLICT, "closed", NULL, "the objection is already resolved",
                     "该异议已处理");
        goto fail;
    }
    if ((rc = db_pv_objection_resolve(c, id, version, resolution, note, pv_today(c)))) goto fail;
    /* an objection found true ends the notice: the entry or exit does not go ahead */
    if (strcmp(resolution, "upheld") == 0 && !n.outcome &&
        (rc = db_pv_notice_set_outcome(c, notice_id, "failed", 0)))
        goto fail;
    if ((rc = audit_append_id(c, "resolve", "pv_notice", notice_id, n.area_code, obj,
                              jc_own(c, json_pack("{s:I, s:s, s:s}", "objection_id", (json_int_t)id,
                                                  "resolution", resolution, "note", note)),
                              note)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

/* ---- statistics ---- */

static json_t *zero_counts(void)
{
    json_t *o = json_object();
    for (int i = 0; i < PV_STATUS__MAX; i++)
        json_object_set_new(o, pv_statuses[i].code, json_integer(0));
    return o;
}

static int64_t add_counts(json_t *into, json_t *from)
{
    const char *k;
    json_t *v;
    int64_t sum = 0;
    json_object_foreach(from, k, v)
    {
        int64_t n = json_integer_value(v);
        sum += n;
        json_object_set_new(into, k,
                            json_integer(json_integer_value(json_object_get(into, k)) + n));
    }
    return sum;
}

int pv_stats(jc_ctx *c, const char *area, const char *as_of, json_t **out)
{
    char lo[16], hi[17];
    bool covered;
    int rc = area_filter(c, area, lo, hi, &covered);
    if (rc) return rc;
    json_t *by = jc_own(c, json_object());
    if ((rc = db_pv_stats(c, lo, hi, covered, as_of, by))) return rc;
    json_t *rows = json_array(), *th = zero_counts(), *tp = zero_counts();
    int64_t sum_h = 0, sum_p = 0;
    const char *code;
    json_t *v;
    json_object_foreach(by, code, v)
    {
        area_rec a;
        const char *name = area_get(c, code, &a) == JC_OK ? a.name : code;
        c->err = (jc_err){0};
        json_t *hh = zero_counts(), *pp = zero_counts();
        int64_t nh = add_counts(hh, json_object_get(v, "households"));
        int64_t np = add_counts(pp, json_object_get(v, "persons"));
        sum_h += add_counts(th, hh);
        sum_p += add_counts(tp, pp);
        json_array_append_new(rows,
                              json_pack("{s:s, s:s, s:o, s:o, s:I, s:I}", "area", code, "name",
                                        name, "households", hh, "persons", pp, "households_total",
                                        (json_int_t)nh, "persons_total", (json_int_t)np));
    }
    json_t *labels = json_array();
    for (int i = 0; i < PV_STATUS__MAX; i++)
        json_array_append_new(labels, json_pack("{s:s, s:s, s:s}", "code", pv_statuses[i].code,
                                                "zh", pv_statuses[i].zh, "en", pv_statuses[i].en));
    *out =
        jc_own(c, json_pack("{s:s, s:s?, s:o, s:{s:o, s:o, s:I, s:I}, s:o}", "as_of", as_of, "area",
                            area && *area ? area : NULL, "villages", rows, "total", "households",
                            th, "persons", tp, "households_total", (json_int_t)sum_h,
                            "persons_total", (json_int_t)sum_p, "statuses", labels));
    return *out ? JC_OK : JC_ENOMEM;
}
