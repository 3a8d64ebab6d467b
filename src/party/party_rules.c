/* party_rules.c — the rules of DOMAIN.md as pure functions over configuration: the 发展党员
 * pipeline (order, durations, age, introducers), dues from the income bands, terms of office,
 * and the single-record decisions behind the warnings. Nothing here touches the database, so
 * tests/unit/test_party_rules.c checks each rule directly. */
#include "party.h"

#include <stdio.h>
#include <string.h>

/* ---- enumerations ---- */

const struct party_enum party_unit_kinds[UNIT_KIND__MAX] = {
    {"economic", "新经济组织", "new economic organization"},
    {"social", "新社会组织", "new social organization"},
};
const struct party_enum party_unit_statuses[UNIT_STATUS__MAX] = {
    {"operating", "在营", "operating"},
    {"closed", "已关闭", "closed"},
};
const struct party_enum party_org_kinds[ORG_KIND__MAX] = {
    {"committee", "党委", "party committee"},
    {"general_branch", "党总支", "general branch"},
    {"branch", "党支部", "branch"},
    {"joint_branch", "联合党支部", "joint branch"},
};
const struct party_enum party_org_settings[SETTING__MAX] = {
    {"single", "单独组建", "set up alone"},
    {"joint", "联合组建", "set up jointly"},
};
const struct party_enum party_stages[STAGE__MAX] = {
    {"applicant", "入党申请人", "applicant"},
    {"activist", "入党积极分子", "activist"},
    {"candidate", "发展对象", "candidate for admission"},
    {"probationary", "预备党员", "probationary member"},
    {"full", "正式党员", "full member"},
};
const struct party_enum party_dues_categories[DUES__MAX] = {
    {"regular", "按收入缴纳", "by income"},
    {"student", "学生", "student"},
    {"unemployed", "下岗失业", "unemployed"},
    {"dibao", "享受低保", "minimum living allowance"},
};
const struct party_enum party_paths[PATH__MAX] = {
    {"train", "内部培养", "develop members inside"},
    {"transfer", "输入党员", "members transferred in"},
    {"hire", "招聘优先", "hire members first"},
};
const struct party_enum party_lists[LIST__MAX] = {
    {"office", "街道提供", "offered by the office"},
    {"enterprise", "企业提供", "offered by enterprises"},
    {"need", "群众需求", "needs of residents"},
};

const char *const party_unit_kind_codes[] = {"economic", "social", NULL};
const char *const party_unit_status_codes[] = {"operating", "closed", NULL};
const char *const party_org_kind_codes[] = {"committee", "general_branch", "branch", "joint_branch",
                                            NULL};
const char *const party_org_setting_codes[] = {"single", "joint", NULL};
const char *const party_stage_codes[] = {"applicant",    "activist", "candidate",
                                         "probationary", "full",     NULL};
const char *const party_dues_codes[] = {"regular", "student", "unemployed", "dibao", NULL};
const char *const party_path_codes[] = {"train", "transfer", "hire", NULL};
const char *const party_list_codes[] = {"office", "enterprise", "need", NULL};

int party_enum_find(const struct party_enum *t, int n, const char *code)
{
    for (int i = 0; code && i < n; i++)
        if (strcmp(t[i].code, code) == 0) return i;
    return -1;
}

/* ---- workflows ---- */

#define STAFF   (RB(ROLE_ADMIN) | RB(ROLE_LEADER))
#define STAFF_I (STAFF | RB(ROLE_PARTY_INSTRUCTOR))

static const wf_state org_states[] = {
    {"incubating", "孵化中", "incubating", false},
    {"preparing", "筹建", "in preparation", false},
    {"established", "已成立", "established", false},
    {"dissolved", "撤销", "dissolved", true},
};

/* 上级党组织 approves a new organization: instructors move an incubated one to 筹建, the
 * office establishes it (with the date of the approval) or dissolves it. */
static const wf_transition org_transitions[] = {
    {"prepare", "incubating", "preparing", STAFF_I, 0, "转入筹建", "Start preparation"},
    {"establish", "preparing", "established", STAFF, 0, "批准成立", "Establish"},
    {"dissolve", "incubating", "dissolved", STAFF, WF_NEEDS_REASON, "撤销", "Dissolve"},
    {"dissolve", "preparing", "dissolved", STAFF, WF_NEEDS_REASON, "撤销", "Dissolve"},
    {"dissolve", "established", "dissolved", STAFF, WF_NEEDS_REASON, "撤销", "Dissolve"},
};

const wf_def party_org_wf = {
    "party_org",  org_states, JC_NELEM(org_states), org_transitions, JC_NELEM(org_transitions),
    "incubating",
};

static const wf_state match_states[] = {
    {"matched", "已对接", "matched", false},
    {"in_progress", "实施中", "in progress", false},
    {"done", "已完成", "done", true},
    {"cancelled", "已取消", "cancelled", true},
};

static const wf_transition match_transitions[] = {
    {"start", "matched", "in_progress", STAFF_I, 0, "开始实施", "Start"},
    {"finish", "in_progress", "done", STAFF_I, WF_NEEDS_NOTE, "完成", "Done"},
    {"cancel", "matched", "cancelled", STAFF_I, WF_NEEDS_REASON, "取消", "Cancel"},
    {"cancel", "in_progress", "cancelled", STAFF_I, WF_NEEDS_REASON, "取消", "Cancel"},
};

const wf_def party_match_wf = {
    "party_match",
    match_states,
    JC_NELEM(match_states),
    match_transitions,
    JC_NELEM(match_transitions),
    "matched",
};

/* ---- the rules and their sources ---- */

const struct party_rule_info party_rules[RULE__MAX] = {
    [RULE_UNIT_NEEDS_BRANCH] = {"unit_needs_branch", "有3名以上正式党员但未单独建立党支部",
                                "3 or more formal members but no branch of its own",
                                "中国共产党章程第三十条;中国共产党支部工作条例(试行)第四条"},
    [RULE_JOINT_OVER_LIMIT] = {"joint_over_limit", "联合党支部覆盖单位超过5个",
                               "joint branch covering more than 5 units",
                               "中国共产党支部工作条例(试行)第五条"},
    [RULE_BRANCH_TOO_LARGE] = {"branch_too_large", "党支部党员超过50人,应成立党总支",
                               "branch of more than 50 members: should become a general branch",
                               "中国共产党支部工作条例(试行)第四条;中国共产党章程第三十条"},
    [RULE_NEEDS_COMMITTEE] = {"needs_party_committee", "党员达到100人,应成立基层党委",
                              "100 or more members: should become a primary party committee",
                              "中国共产党章程第三十条"},
    [RULE_NO_BRANCH_COMMITTEE] = {"no_branch_committee",
                                  "正式党员7人以上应设支部委员会(3至5人,一般不超过7人)",
                                  "7 or more formal members need a branch committee of 3 to 5 "
                                  "(at most 7)",
                                  "中国共产党支部工作条例(试行)第六章"},
    [RULE_TERM_DUE] = {"term_due", "任期届满,应按期换届", "term of office ended: election due",
                       "中国共产党章程第三十条;中国共产党支部工作条例(试行)第六章"},
    [RULE_PROBATION_OVERDUE] = {"probation_overdue", "预备期已满未讨论转正",
                                "probation over, not yet converted to full membership",
                                "中国共产党章程第七条"},
    [RULE_UNIT_UNPLANNED] = {"unit_unplanned", "无党员且未制定孵化计划",
                             "no party members and no incubation plan",
                             "中办发〔2012〕11号(党的组织和工作覆盖)"},
};

/* ---- configuration ---- */

static const char DEF_CATEGORIES[] = "[\"民办教育\",\"创客\",\"网络科技\",\"商铺\",\"楼宇\","
                                     "\"商圈\",\"市场\",\"文化艺术\",\"餐饮\",\"社会服务\"]";
static const char DEF_ORG_RULES[] =
    "{\"branch_min_formal\":3,\"joint_max_units\":5,\"branch_max_members\":50,"
    "\"committee_members\":100,\"committee_formal\":7,\"committee_min\":3,\"committee_max\":7}";
static const char DEF_TERMS[] = "{\"committee\":5,\"general_branch\":3,\"branch\":3,"
                                "\"joint_branch\":3,\"village\":5}";
static const char DEF_PIPELINE[] =
    "{\"min_age\":18,\"activist_months\":12,\"probation_months\":12,"
    "\"extension_min_months\":6,\"extension_max_months\":12,\"introducers\":2}";
/* 关于中国共产党党费收缴、使用和管理的规定 (2008): monthly after-tax income, upper bounds
 * inclusive */
static const char DEF_BANDS[] = "[{\"up_to_fen\":300000,\"permille\":5},"
                                "{\"up_to_fen\":500000,\"permille\":10},"
                                "{\"up_to_fen\":1000000,\"permille\":15},"
                                "{\"up_to_fen\":null,\"permille\":20}]";
static const char DEF_FIXED[] = "{\"student\":20,\"unemployed\":20,\"dibao\":20}";

/* An object with exactly these integer members, each in [lo, hi]. */
static int check_int_object(jc_ctx *c, json_t *v, const char *const *keys, int64_t lo, int64_t hi)
{
    size_t n = 0;
    for (const char *const *k = keys; *k; k++, n++) {
        json_t *x = json_object_get(v, *k);
        if (!json_is_integer(x) || json_integer_value(x) < lo || json_integer_value(x) > hi)
            return jc_fail(c, JC_EINVAL, "invalid_field", "value",
                           arena_printf(c->a, "value.%s must be an integer between %lld and %lld",
                                        *k, (long long)lo, (long long)hi),
                           arena_printf(c->a, "取值中的 %s 须为%lld到%lld之间的整数", *k,
                                        (long long)lo, (long long)hi));
    }
    if (!json_is_object(v) || json_object_size(v) != n)
        return jc_fail(c, JC_EINVAL, "invalid_field", "value",
                       "value must be an object with exactly the documented members",
                       "取值须为仅含规定成员的对象");
    return JC_OK;
}

static int check_org_rules(jc_ctx *c, json_t *v)
{
    static const char *const keys[] = {
        "branch_min_formal", "joint_max_units", "branch_max_members", "committee_members",
        "committee_formal",  "committee_min",   "committee_max",      NULL};
    int rc = check_int_object(c, v, keys, 1, 100000);
    if (!rc && json_integer_value(json_object_get(v, "committee_min")) >
                   json_integer_value(json_object_get(v, "committee_max")))
        rc = jc_fail(c, JC_EINVAL, "invalid_field", "value",
                     "committee_min must not exceed committee_max",
                     "支委会最少人数不能大于最多人数");
    return rc;
}

static int check_terms(jc_ctx *c, json_t *v)
{
    static const char *const keys[] = {"committee",    "general_branch", "branch",
                                       "joint_branch", "village",        NULL};
    return check_int_object(c, v, keys, 1, 10);
}

static int check_pipeline(jc_ctx *c, json_t *v)
{
    static const char *const keys[] = {"min_age",
                                       "activist_months",
                                       "probation_months",
                                       "extension_min_months",
                                       "extension_max_months",
                                       "introducers",
                                       NULL};
    int rc = check_int_object(c, v, keys, 0, 120);
    if (!rc && json_integer_value(json_object_get(v, "extension_min_months")) >
                   json_integer_value(json_object_get(v, "extension_max_months")))
        rc = jc_fail(c, JC_EINVAL, "invalid_field", "value",
                     "extension_min_months must not exceed extension_max_months",
                     "延长预备期的最短月数不能大于最长月数");
    return rc;
}

static int check_bands(jc_ctx *c, json_t *v)
{
    size_t i, n = json_array_size(v);
    json_t *b;
    int64_t prev = -1;
    if (!json_is_array(v) || n == 0 || n > PARTY_MAX_BANDS)
        return jc_fail(c, JC_EINVAL, "invalid_field", "value", "value must be a list of 1–12 bands",
                       "取值须为1–12档的列表");
    json_array_foreach(v, i, b)
    {
        json_t *up = json_object_get(b, "up_to_fen"), *pm = json_object_get(b, "permille");
        bool last = i + 1 == n;
        bool ok = json_is_object(b) && json_object_size(b) == 2 && json_is_integer(pm) &&
                  json_integer_value(pm) >= 0 && json_integer_value(pm) <= 1000 &&
                  (last ? json_is_null(up) : json_is_integer(up) && json_integer_value(up) > prev);
        if (!ok)
            return jc_fail(c, JC_EINVAL, "invalid_field", "value",
                           "each band is {up_to_fen, permille}: bounds rising, the last null",
                           "每档为 {up_to_fen, permille}:上限递增,最后一档上限为 null");
        if (!last) prev = json_integer_value(up);
    }
    return JC_OK;
}

static int check_fixed(jc_ctx *c, json_t *v)
{
    static const char *const keys[] = {"student", "unemployed", "dibao", NULL};
    return check_int_object(c, v, keys, 0, 1000000);
}

static int check_roles(jc_ctx *c, json_t *v)
{
    size_t i;
    json_t *e;
    if (!json_is_array(v) || json_array_size(v) > ROLE__MAX)
        return jc_fail(c, JC_EINVAL, "invalid_field", "value", "value must be a list of roles",
                       "取值须为角色列表");
    json_array_foreach(
        v, i, e) if (jc_role_from_code(json_string_value(e)) ==
                     ROLE__MAX) return jc_fail(c, JC_EINVAL, "invalid_field", "value",
                                               "every item must be a role code (GET /api/v1/roles)",
                                               "每一项都须为角色代码(见 /api/v1/roles)");
    return JC_OK;
}

const config_def party_config[PARTY_NCONFIG] = {
    {"party.categories", DEF_CATEGORIES, "两新组织的行业类别",
     "business categories of the new organizations", config_check_string_list},
    {"party.org_rules", DEF_ORG_RULES,
     "党组织设置规则:单独建支部的正式党员数、联合党支部覆盖单位上限、支部/总支/党委人数界限、"
     "设支委会的正式党员数及支委会人数",
     "organization rules: formal members for an own branch, units per joint branch, members of "
     "a branch / general branch / committee, formal members that need a branch committee and "
     "its size",
     check_org_rules},
    {"party.terms", DEF_TERMS, "党组织每届任期(年):党委、总支、支部、联合支部、村/社区",
     "terms of office in years: committee, general branch, branch, joint branch, village or "
     "community",
     check_terms},
    {"party.pipeline", DEF_PIPELINE,
     "发展党员:最低年龄、积极分子培养月数、预备期月数、延长预备期月数范围、入党介绍人数",
     "admission: minimum age, months as activist, probation months, extension range in months, "
     "introducers",
     check_pipeline},
    {"party.dues_bands", DEF_BANDS, "党费按月工资收入(税后)分档比例,上限含本数",
     "dues bands on the monthly after-tax income, upper bounds inclusive", check_bands},
    {"party.dues_fixed_fen", DEF_FIXED, "学生、下岗失业、享受低保党员每月党费(分)",
     "monthly dues in fen of students, the unemployed and 低保 recipients", check_fixed},
    {"party.personal_data_roles", "[\"admin\",\"leader\"]",
     "可查看党员身份证号和手机号的角色(其他角色看到脱敏值)",
     "roles that see citizen IDs and phone numbers unmasked", check_roles},
    {"party.import_max_rows", "5000", "一次导入的最多行数", "most rows of one import",
     config_check_positive_int},
};
const unsigned party_nconfig = JC_NELEM(party_config);

static int64_t obj_int(json_t *o, const char *k, int64_t def)
{
    json_t *v = json_object_get(o, k);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : def;
}

static void limits_from(party_limits *L, json_t *rules, json_t *terms, json_t *pipe, json_t *bands,
                        json_t *fixed)
{
    memset(L, 0, sizeof *L);
    L->branch_min_formal = obj_int(rules, "branch_min_formal", 3);
    L->joint_max_units = obj_int(rules, "joint_max_units", 5);
    L->branch_max_members = obj_int(rules, "branch_max_members", 50);
    L->committee_members = obj_int(rules, "committee_members", 100);
    L->committee_formal = obj_int(rules, "committee_formal", 7);
    L->committee_min = obj_int(rules, "committee_min", 3);
    L->committee_max = obj_int(rules, "committee_max", 7);
    for (int k = 0; k < ORG_KIND__MAX; k++)
        L->term_years[k] = obj_int(terms, party_org_kinds[k].code, k == ORG_COMMITTEE ? 5 : 3);
    L->term_years_village = obj_int(terms, "village", 5);
    L->min_age = obj_int(pipe, "min_age", 18);
    L->activist_months = obj_int(pipe, "activist_months", 12);
    L->probation_months = obj_int(pipe, "probation_months", 12);
    L->extension_min_months = obj_int(pipe, "extension_min_months", 6);
    L->extension_max_months = obj_int(pipe, "extension_max_months", 12);
    L->introducers = obj_int(pipe, "introducers", 2);
    size_t i;
    json_t *b;
    json_array_foreach(bands, i, b)
    {
        if (L->nbands >= PARTY_MAX_BANDS) break;
        json_t *up = json_object_get(b, "up_to_fen");
        L->bands[L->nbands].up_to_fen = json_is_integer(up) ? json_integer_value(up) : -1;
        L->bands[L->nbands].permille = obj_int(b, "permille", 0);
        L->nbands++;
    }
    L->flat_fen[DUES_REGULAR] = -1;
    for (int k = DUES_STUDENT; k < DUES__MAX; k++)
        L->flat_fen[k] = obj_int(fixed, party_dues_categories[k].code, 20);
}

void party_limits_default(party_limits *L)
{
    json_t *j[5];
    const char *src[5] = {DEF_ORG_RULES, DEF_TERMS, DEF_PIPELINE, DEF_BANDS, DEF_FIXED};
    for (int i = 0; i < 5; i++) j[i] = json_loads(src[i], JSON_DECODE_ANY, NULL);
    limits_from(L, j[0], j[1], j[2], j[3], j[4]);
    for (int i = 0; i < 5; i++) json_decref(j[i]);
}

void party_limits_load(jc_ctx *c, party_limits *L)
{
    limits_from(L, config_get(c, "party.org_rules"), config_get(c, "party.terms"),
                config_get(c, "party.pipeline"), config_get(c, "party.dues_bands"),
                config_get(c, "party.dues_fixed_fen"));
}

/* ---- dues ---- */

int party_dues_band(const party_limits *L, int category, int64_t base_fen)
{
    if (category != DUES_REGULAR && category >= 0 && category < DUES__MAX) return -1;
    for (int i = 0; i < L->nbands; i++)
        if (L->bands[i].up_to_fen < 0 || base_fen <= L->bands[i].up_to_fen) return i;
    return L->nbands - 1;
}

int64_t party_dues_fen(const party_limits *L, int category, int64_t base_fen)
{
    int b = party_dues_band(L, category, base_fen);
    if (b < 0) return L->flat_fen[category];
    if (base_fen <= 0 || L->nbands == 0) return 0;
    /* base × ‰ / 1000, half up, in integers */
    return (base_fen * L->bands[b].permille + 500) / 1000;
}

/* ---- dates ---- */

bool party_add_months(const char *date, int64_t months, char out[11])
{
    int64_t days;
    if (!jc_date_parse(date, &days)) return false;
    int y, m, d;
    jc_civil_from_days(days, &y, &m, &d);
    int64_t total = (int64_t)y * 12 + (m - 1) + months;
    if (total < 1900 * 12 || total >= 2200 * 12) return false;
    int ny = (int)(total / 12), nm = (int)(total % 12) + 1;
    char probe[32];
    snprintf(probe, sizeof probe, "%04d-%02d-%02d", ny, nm, d);
    if (jc_date_valid(probe)) {
        memcpy(out, probe, 11);
        return true;
    }
    /* 31st, or 29 February: the day does not exist, so the period ends with the month */
    int64_t first_next = jc_days_from_civil(nm == 12 ? ny + 1 : ny, nm == 12 ? 1 : nm + 1, 1);
    jc_date_format(first_next, out);
    return true;
}

int party_age_on(const char *birth, const char *on)
{
    int by, bm, bd, y, m, d;
    int64_t b, o;
    if (!jc_date_parse(birth, &b) || !jc_date_parse(on, &o)) return -1;
    jc_civil_from_days(b, &by, &bm, &bd);
    jc_civil_from_days(o, &y, &m, &d);
    int age = y - by;
    if (m < bm || (m == bm && d < bd)) age--;
    return age;
}

/* ---- the pipeline ---- */

static const char SRC_AGE[] = "中国共产党章程第一条";
static const char SRC_ACTIVIST[] = "中国共产党发展党员工作细则第十三条";
static const char SRC_PROBATION[] = "中国共产党章程第七条";
static const char SRC_ORDER[] = "中国共产党发展党员工作细则(2014)";

static bool refuse(party_refusal *why, const char *code, const char *field, const char *zh,
                   const char *en, const char *source, const char *earliest)
{
    why->code = code;
    why->field = field;
    why->rule_zh = zh;
    why->rule_en = en;
    why->source = source;
    snprintf(why->earliest, sizeof why->earliest, "%s", earliest ? earliest : "");
    return false;
}

/* The first day the person is `age` years old. */
static void birthday_at(const char *birth, int64_t age, char out[11])
{
    party_add_months(birth, age * 12, out);
}

/* The checks of reaching `to` on `date`, given the dates of earlier stages. */
static bool stage_rules(const party_limits *L, const char *birth, int to,
                        const party_stage_dates *d, const char *date, const char *today,
                        party_refusal *why)
{
    const char *prev = to > 0 ? d->on[to - 1] : NULL;
    if (!date || !jc_date_valid(date))
        return refuse(why, "invalid_date", "date", "日期须为有效日期(YYYY-MM-DD)",
                      "the date must be a real date YYYY-MM-DD", SRC_ORDER, NULL);
    if (strcmp(date, today) > 0)
        return refuse(why, "date_in_future", "date", "日期不能晚于今天",
                      "the date cannot lie in the future", SRC_ORDER, NULL);
    if (prev && strcmp(date, prev) < 0)
        return refuse(why, "date_before_previous", "date", "日期不能早于上一阶段的日期",
                      "the date cannot precede the previous stage", SRC_ORDER, prev);
    char e[11];
    if (to == STAGE_APPLICANT || to == STAGE_PROBATIONARY) {
        /* 年满十八岁: when applying, and again when admitted */
        if (party_age_on(birth, date) < L->min_age) {
            birthday_at(birth, L->min_age, e);
            return refuse(why, "too_young", "date", "年满十八岁方可申请入党和被接收为预备党员",
                          "one must be 18 to apply and to be admitted", SRC_AGE, e);
        }
    }
    if (to == STAGE_CANDIDATE && prev) {
        party_add_months(prev, L->activist_months, e);
        if (strcmp(date, e) < 0)
            return refuse(why, "activist_period", "date",
                          "入党积极分子须经一年以上培养教育和考察方可列为发展对象",
                          "an activist is trained and observed for at least a year before "
                          "becoming a candidate",
                          SRC_ACTIVIST, e);
    }
    if (to == STAGE_FULL && prev) {
        party_add_months(prev, L->probation_months + d->extension_months, e);
        if (strcmp(date, e) < 0)
            return refuse(why, "probation_period", "date",
                          d->extension_months ? "延长的预备期未满,不能转为正式党员"
                                              : "预备期为一年,期满方可转为正式党员",
                          d->extension_months
                              ? "the extended probation has not ended"
                              : "the probation lasts one year before full membership",
                          SRC_PROBATION, e);
    }
    return true;
}

bool party_chain_check(const party_limits *L, const char *birth, int stage,
                       const party_stage_dates *d, const char *today, party_refusal *why)
{
    if (stage < 0 || stage >= STAGE__MAX)
        return refuse(why, "invalid_stage", "stage", "阶段无效", "unknown stage", SRC_ORDER, NULL);
    for (int s = 0; s <= stage; s++) {
        if (!d->on[s] || !*d->on[s]) {
            why->code = "required";
            why->field = party_stages[s].code; /* the caller names the date field */
            why->rule_zh = "须填写此前每个阶段的日期";
            why->rule_en = "the date of every stage up to the current one is required";
            why->source = SRC_ORDER;
            why->earliest[0] = '\0';
            return false;
        }
        if (!stage_rules(L, birth, s, d, d->on[s], today, why)) {
            why->field = party_stages[s].code;
            return false;
        }
    }
    for (int s = stage + 1; s < STAGE__MAX; s++)
        if (d->on[s] && *d->on[s]) {
            why->code = "date_of_later_stage";
            why->field = party_stages[s].code;
            why->rule_zh = "尚未到达的阶段不能有日期";
            why->rule_en = "a stage not yet reached cannot have a date";
            why->source = SRC_ORDER;
            why->earliest[0] = '\0';
            return false;
        }
    if (d->extension_months && stage != STAGE_PROBATIONARY && stage != STAGE_FULL)
        return refuse(why, "extension_without_probation", "extension_months",
                      "只有预备党员可以延长预备期", "only a probation can be extended",
                      SRC_PROBATION, NULL);
    return true;
}

bool party_step_check(const party_limits *L, const char *birth, int from, int to,
                      const party_stage_dates *d, const char *date, const char *today,
                      party_refusal *why)
{
    if (to != from + 1 || to >= STAGE__MAX)
        return refuse(why, "stage_order", "to",
                      "发展党员须按入党申请人、入党积极分子、发展对象、预备党员、正式党员的"
                      "顺序逐级进行,不能跳过或倒退",
                      "admission goes applicant, activist, candidate, probationary, full member: "
                      "no stage is skipped or repeated",
                      SRC_ORDER, NULL);
    return stage_rules(L, birth, to, d, date, today, why);
}

bool party_extend_check(const party_limits *L, int stage, const party_stage_dates *d,
                        int64_t months, const char *date, const char *today, party_refusal *why)
{
    if (stage != STAGE_PROBATIONARY)
        return refuse(why, "not_probationary", NULL, "只有预备党员可以延长预备期",
                      "only a probationary member's probation can be extended", SRC_PROBATION,
                      NULL);
    if (d->extension_months)
        return refuse(why, "already_extended", NULL, "预备期只能延长一次,最长不超过一年",
                      "a probation is extended once, by at most a year", SRC_PROBATION, NULL);
    if (months < L->extension_min_months || months > L->extension_max_months)
        return refuse(why, "extension_months", "months", "延长预备期不能少于半年,最长不超过一年",
                      "a probation is extended by at least six months and at most a year",
                      SRC_PROBATION, NULL);
    if (!date || !jc_date_valid(date))
        return refuse(why, "invalid_date", "date", "日期须为有效日期(YYYY-MM-DD)",
                      "the date must be a real date YYYY-MM-DD", SRC_ORDER, NULL);
    if (strcmp(date, today) > 0)
        return refuse(why, "date_in_future", "date", "日期不能晚于今天",
                      "the date cannot lie in the future", SRC_ORDER, NULL);
    const char *p = d->on[STAGE_PROBATIONARY];
    if (p && strcmp(date, p) < 0)
        return refuse(why, "date_before_previous", "date", "日期不能早于接收为预备党员的日期",
                      "the date cannot precede the admission", SRC_ORDER, p);
    return true;
}

bool party_probation_end(const party_limits *L, const party_stage_dates *d, char out[11])
{
    const char *p = d->on[STAGE_PROBATIONARY];
    return p && party_add_months(p, L->probation_months + d->extension_months, out);
}

bool party_term_end(const party_limits *L, int kind, bool village, const char *start, char out[11])
{
    if (!start || kind < 0 || kind >= ORG_KIND__MAX) return false;
    int64_t years = village && kind != ORG_COMMITTEE ? L->term_years_village : L->term_years[kind];
    return party_add_months(start, years * 12, out);
}

/* ---- the warnings, record by record ---- */

bool party_rule_unit_needs_branch(const party_limits *L, int64_t formal, bool has_own)
{
    return formal >= L->branch_min_formal && !has_own;
}

bool party_rule_joint_over(const party_limits *L, int setting, int64_t units)
{
    return setting == SETTING_JOINT && units > L->joint_max_units;
}

int party_rule_size(const party_limits *L, int kind, int64_t members)
{
    if (kind == ORG_COMMITTEE) return -1;
    if (members >= L->committee_members) return RULE_NEEDS_COMMITTEE;
    if ((kind == ORG_BRANCH || kind == ORG_JOINT_BRANCH) && members > L->branch_max_members)
        return RULE_BRANCH_TOO_LARGE;
    return -1;
}

bool party_rule_committee(const party_limits *L, int kind, int64_t formal, int64_t committee)
{
    if (kind != ORG_BRANCH && kind != ORG_JOINT_BRANCH) return false;
    if (committee > L->committee_max) return true;
    return formal >= L->committee_formal && committee < L->committee_min;
}

bool party_rule_term_due(const party_limits *L, int kind, bool village, const char *term_start,
                         const char *term_end, const char *today, char due[11])
{
    due[0] = '\0';
    if (term_end && *term_end)
        snprintf(due, 11, "%s", term_end);
    else if (!party_term_end(L, kind, village, term_start, due))
        return false;
    return strcmp(due, today) < 0;
}

bool party_rule_probation_overdue(const party_limits *L, const party_stage_dates *d,
                                  const char *today, char due[11])
{
    due[0] = '\0';
    /* the branch discusses conversion when the probation ends: overdue the day after */
    return party_probation_end(L, d, due) && strcmp(due, today) < 0;
}

bool party_rule_unit_unplanned(int64_t members, bool has_org, bool has_plan)
{
    return members == 0 && !has_org && !has_plan;
}
