/* cases.c — the rules of a city management case: creation and routing, the closed loop
 * 受理 → 派单/定责 → 处置 → 核查 → 办结 (with 退回, 重派, 挂起, 重新打开), duplicates and their
 * merging, moderation of public text, photos, and the resident's evaluation. */
#include "cases.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const wf_state case_states[] = {
    /* the order fixes the bits of the state filter (cases_db.c CASE_WHERE) */
    {"new", "待受理", "awaiting acceptance", false},
    {"dispatched", "已派单", "dispatched", false},
    {"processing", "处置中", "being handled", false},
    {"verifying", "待核查", "awaiting verification", false},
    {"suspended", "已挂起", "suspended", false},
    {"closed", "已办结", "closed", true},
    {"rejected", "不予受理", "not accepted", true},
    {"merged", "已合并", "merged into another case", true},
};

#define STAFF   CASES_STAFF
#define CHIEF   (WF_ASSIGNEE | CASE_CHIEF_ACTION) /* the road's chief (linked account) */
#define HANDLER WF_ASSIGNEE                       /* a member of the team, or the assignee */

/* The command centre (administrators, leaders) may take every step; the chief of the road
 * accepts, verifies and redispatches; the team that handles it starts, suspends and submits. */
static const wf_transition case_transitions[] = {
    {"dispatch", "new", "dispatched", STAFF, CHIEF, "受理派单", "Accept and dispatch"},
    {"reject", "new", "rejected", STAFF, CHIEF | WF_NEEDS_REASON, "不予受理", "Do not accept"},
    {"start", "dispatched", "processing", STAFF, HANDLER, "开始处置", "Start handling"},
    {"return", "dispatched", "new", STAFF, HANDLER | WF_NEEDS_REASON, "退回", "Return"},
    {"redispatch", "dispatched", "dispatched", STAFF, CHIEF | WF_NEEDS_REASON, "重派",
     "Redispatch"},
    {"redispatch", "processing", "dispatched", STAFF, CHIEF | WF_NEEDS_REASON, "重派",
     "Redispatch"},
    {"suspend", "processing", "suspended", STAFF, HANDLER | WF_NEEDS_REASON, "挂起", "Suspend"},
    {"resume", "suspended", "processing", STAFF, HANDLER, "恢复处置", "Resume"},
    {"submit", "processing", "verifying", STAFF, HANDLER | WF_NEEDS_NOTE, "处置完成",
     "Handled: ask for verification"},
    {"verify", "verifying", "closed", STAFF, CHIEF, "核查通过,办结", "Verified: close"},
    {"return", "verifying", "processing", STAFF, CHIEF | WF_NEEDS_REASON, "核查不通过,退回重办",
     "Not fixed: back to handling"},
    {"reopen", "closed", "processing", STAFF, WF_NEEDS_REASON | WF_REOPEN, "重新打开", "Reopen"},
};

const wf_def case_wf = {
    "case", case_states, JC_NELEM(case_states), case_transitions, JC_NELEM(case_transitions), "new",
};

static const char *const open_states[] = {"new", "dispatched", "processing", "verifying",
                                          "suspended"};

bool case_is_open(const char *state)
{
    for (size_t i = 0; state && i < JC_NELEM(open_states); i++)
        if (strcmp(open_states[i], state) == 0) return true;
    return false;
}

bool case_overdue(const case_rec *k, int64_t now)
{
    /* a suspended case's clock stands still */
    return k->deadline_at && now > k->deadline_at && case_is_open(k->state) &&
           strcmp(k->state, "suspended") != 0;
}

/* ---- shared helpers of the domain ---- */

void cases_write_time(jw *w, const char *key, int64_t t)
{
    if (!t) {
        jw_knull(w, key);
        return;
    }
    char ts[32];
    jc_time_local(t, ts);
    jw_kstr(w, key, ts);
}

int cases_check_area(jc_ctx *c, const char *code, const char *field)
{
    int rc = area_check(c, code, field);
    if (rc) return rc;
    return area_exists(c, code, field);
}

bool cases_show_contact(jc_ctx *c, bool anonymous)
{
    if (!c->user) return false;
    if (c->user->system || jc_user_has(c->user, RB(ROLE_ADMIN))) return true;
    return !anonymous && jc_user_has(c->user, RB(ROLE_LEADER));
}

const char *cases_mask_phone(jc_ctx *c, const char *phone)
{
    if (!phone) return NULL;
    char m[32];
    mask_phone(phone, m);
    return arena_strdup(c->a, m);
}

int cases_stale(jc_ctx *c, int64_t current, const char *what_en, const char *what_zh)
{
    jc_fail_extra(c, "current_version", json_integer(current));
    return jc_fail(
        c, JC_ESTALE, "stale_version", "version",
        arena_printf(c->a, "the %s was changed by someone else; reload and try again", what_en),
        arena_printf(c->a, "该%s已被他人修改,请刷新后重试", what_zh));
}

json_t *cases_rate(int64_t part, int64_t whole)
{
    if (whole <= 0) return json_null();
    return json_real((double)((part * 1000 * 2 + whole) / (whole * 2)) / 10.0);
}

void case_token_new(char out[33])
{
    unsigned char b[16];
    randombytes_buf(b, sizeof b);
    sodium_bin2hex(out, 33, b, sizeof b);
}

void case_token_hash(const char *token, char out[65])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(d, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(out, 65, d, sizeof d);
}

const char *case_media_url(jc_ctx *c, const char *key, const char *type)
{
    const char *base = json_string_value(config_get(c, "cases.public_base_url"));
    size_t n = base ? strlen(base) : 0;
    while (n && base[n - 1] == '/') n--;
    return arena_printf(c->a, "%.*s/open311/v2/media/%s.%s", (int)n, base ? base : "", key,
                        image_ext(type));
}

int case_photo_check(jc_ctx *c, const void *data, size_t len, const char *field, const char **type)
{
    int64_t max = config_get_int(c, "cases.photo_max_bytes", 5 << 20);
    if (len == 0)
        return jc_fail(c, JC_EINVAL, "required", field, "the photo is empty", "照片内容为空");
    if ((int64_t)len > max)
        return jc_fail(
            c, JC_ETOOBIG, "photo_too_large", field,
            arena_printf(c->a, "%s: a photo may have at most %lld bytes", field, (long long)max),
            arena_printf(c->a, "照片不能超过%lld字节(%.1f MB)", (long long)max,
                         (double)max / 1048576.0));
    *type = image_sniff(data, len);
    if (!*type)
        return jc_fail(c, JC_EMEDIA, "not_an_image", field,
                       arena_printf(c->a, "%s: only JPEG, PNG and WebP photos are accepted", field),
                       "只接受 JPEG、PNG 或 WebP 格式的照片");
    return JC_OK;
}

/* ---- attributes of a service ---- */

static bool is_blank_value(json_t *v)
{
    return !v || json_is_null(v) || (json_is_string(v) && jc_blank(json_string_value(v))) ||
           (json_is_array(v) && json_array_size(v) == 0);
}

static bool value_in(json_t *values, const char *key)
{
    size_t i;
    json_t *v;
    json_array_foreach(values, i, v)
    {
        const char *k = json_string_value(json_object_get(v, "key"));
        if (k && key && strcmp(k, key) == 0) return true;
    }
    return false;
}

int case_check_attributes(jc_ctx *c, const case_service *s, json_t *given, const char *field,
                          const char **json_text)
{
    *json_text = NULL;
    if (given && !json_is_object(given))
        return jc_fail(c, JC_EINVAL, "invalid_field", field, "attributes must be an object",
                       "附加属性须为对象");
    json_t *out = jc_own(c, json_object());
    const char *key;
    json_t *v;
    json_object_foreach(given, key, v)
    {
        bool known = false;
        size_t i;
        json_t *a;
        json_array_foreach(s->attributes, i,
                           a) if (strcmp(json_string_value(json_object_get(a, "code")), key) == 0)
            known = true;
        if (!known)
            return jc_fail(c, JC_EINVAL, "unknown_attribute",
                           arena_printf(c->a, "attribute[%s]", key),
                           arena_printf(c->a, "the service %s has no attribute '%s'", s->code, key),
                           arena_printf(c->a, "类别「%s」没有附加属性「%s」", s->name, key));
    }
    size_t i;
    json_t *a;
    json_array_foreach(s->attributes, i, a)
    {
        const char *code = json_string_value(json_object_get(a, "code"));
        const char *dt = json_string_value(json_object_get(a, "datatype"));
        const char *desc = json_string_value(json_object_get(a, "description"));
        const char *f = arena_printf(c->a, "attribute[%s]", code);
        json_t *val = given ? json_object_get(given, code) : NULL;
        if (is_blank_value(val)) {
            if (json_is_true(json_object_get(a, "required")))
                return jc_fail(c, JC_EINVAL, "required", f,
                               arena_printf(c->a, "%s is required for %s", f, s->code),
                               arena_printf(c->a, "请填写「%s」", desc ? desc : code));
            continue;
        }
#define BAD(en, zh)                                                                                \
    return jc_fail(c, JC_EINVAL, "invalid_field", f, arena_printf(c->a, "%s: %s", f, en),          \
                   arena_printf(c->a, "「%s」%s", desc ? desc : code, zh))
        if (strcmp(dt, "multivaluelist") == 0) {
            json_t *arr = json_is_array(val) ? val : NULL, *one = NULL;
            if (!arr && json_is_string(val)) {
                one = jc_own(c, json_pack("[O]", val));
                arr = one;
            }
            if (!arr || json_array_size(arr) > 20) BAD("must be a list of keys", "须为可选值列表");
            size_t k;
            json_t *e;
            json_array_foreach(arr, k,
                               e) if (!json_is_string(e) ||
                                      !value_in(json_object_get(a, "values"), json_string_value(e)))
                BAD("is not one of the listed values", "不是可选的取值");
            json_object_set(out, code, arr);
            continue;
        }
        if (!json_is_string(val) && !(json_is_number(val) && strcmp(dt, "number") == 0))
            BAD("must be a text", "须为文字");
        const char *sv = json_is_string(val) ? json_string_value(val) : NULL;
        if (sv && (!jc_utf8_valid(sv, json_string_length(val)) || jc_has_control(sv)))
            BAD("contains invalid characters", "含有无效字符");
        if (strcmp(dt, "number") == 0) {
            double d;
            if (sv) {
                char *end;
                d = strtod(sv, &end);
                if (end == sv || *end || !isfinite(d)) BAD("must be a number", "须为数字");
            } else {
                d = json_number_value(val);
            }
            json_object_set_new(out, code, json_real(d));
        } else if (strcmp(dt, "datetime") == 0) {
            int64_t t;
            if (!jc_datetime_parse(sv, &t)) BAD("must be an ISO 8601 time", "须为ISO 8601时间");
            json_object_set(out, code, val);
        } else if (strcmp(dt, "singlevaluelist") == 0) {
            if (!value_in(json_object_get(a, "values"), sv))
                BAD("is not one of the listed values", "不是可选的取值");
            json_object_set(out, code, val);
        } else {
            size_t max = strcmp(dt, "text") == 0 ? 2000 : 200;
            if (jc_utf8_len(sv) > max)
                BAD(arena_printf(c->a, "at most %zu characters", max),
                    arena_printf(c->a, "不能超过%zu个字", max));
            json_object_set(out, code, val);
        }
#undef BAD
    }
    if (json_object_size(out)) {
        char *txt = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
        *json_text = txt ? arena_strdup(c->a, txt) : NULL;
        free(txt);
        if (!*json_text) return JC_ENOMEM;
    }
    return JC_OK;
}

/* ---- reading ---- */

int case_read(jc_ctx *c, int64_t id, case_rec *out)
{
    int rc = db_case_get(c, id, out);
    if (rc) return rc;
    return area_check(c, out->area_code, NULL);
}

int case_effective(jc_ctx *c, const case_rec *k, case_rec *out)
{
    if (!k->merged_into || strcmp(k->state, "merged") != 0) {
        *out = *k;
        return JC_OK;
    }
    return db_case_get(c, k->merged_into, out);
}

int case_by_token(jc_ctx *c, const char *token, case_rec *out)
{
    size_t n = token ? strlen(token) : 0;
    if (n != 32 || strspn(token, "0123456789abcdef") != n)
        return jc_fail(c, JC_ENOTFOUND, "not_found", "token", "no case has this token",
                       "查询凭证无效");
    char h[65];
    case_token_hash(token, h);
    int64_t id;
    int rc = db_case_by_token(c, h, &id);
    if (rc)
        return jc_fail(c, JC_ENOTFOUND, "not_found", "token", "no case has this token",
                       "查询凭证无效");
    return db_case_get(c, id, out);
}

/* ---- what the API shows ---- */

static bool is_handler(jc_ctx *c, const case_rec *k)
{
    if (!c->user || c->user->system) return false;
    if (k->assignee_id && k->assignee_id == c->user->id) return true;
    bool yes = false;
    db_team_has_member(c, k->team_id, c->user->id, &yes);
    return yes;
}

static bool is_chief(jc_ctx *c, const case_rec *k)
{
    return c->user && !c->user->system && k->chief_user_id && k->chief_user_id == c->user->id;
}

static bool assignee_for(jc_ctx *c, const case_rec *k, const wf_transition *t)
{
    return (t->flags & CASE_CHIEF_ACTION) ? is_chief(c, k) : is_handler(c, k);
}

static void write_actions(jw *w, jc_ctx *c, const case_rec *k)
{
    bool handler = is_handler(c, k), chief = is_chief(c, k);
    jw_arr(w);
    for (size_t i = 0; i < case_wf.ntrans; i++) {
        const wf_transition *t = &case_wf.trans[i];
        if (strcmp(t->from, k->state) != 0) continue;
        bool mine = (t->flags & CASE_CHIEF_ACTION) ? chief : handler;
        if (!jc_user_has(c->user, t->roles) && !(mine && (t->flags & WF_ASSIGNEE))) continue;
        const wf_state *to = wf_state_find(&case_wf, t->to);
        jw_obj(w);
        jw_kstr(w, "action", t->action);
        jw_kstr(w, "to", t->to);
        jw_kstr(w, "to_zh", to ? to->zh : "");
        jw_kstr(w, "to_en", to ? to->en : "");
        jw_kstr(w, "zh", t->zh);
        jw_kstr(w, "en", t->en);
        jw_kbool(w, "needs_note", (t->flags & WF_NEEDS_NOTE) != 0);
        jw_kbool(w, "needs_reason", (t->flags & WF_NEEDS_REASON) != 0);
        jw_kbool(w, "needs_score", false);
        jw_kbool(w, "routes",
                 strcmp(t->action, "dispatch") == 0 || strcmp(t->action, "redispatch") == 0);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

static void write_ref(jw *w, const char *key, int64_t id, const char *name)
{
    jw_key(w, key);
    if (!id) {
        jw_null(w);
        return;
    }
    jw_obj(w);
    jw_kint(w, "id", id);
    jw_kstr(w, "name", name ? name : "");
    jw_obj_end(w);
}

static void write_opt_id(jw *w, const char *key, int64_t id)
{
    if (id)
        jw_kint(w, key, id);
    else
        jw_knull(w, key);
}

static const char *source_zh(const char *s)
{
    if (!s) return "";
    if (strcmp(s, "public") == 0) return "群众上报";
    if (strcmp(s, "staff") == 0) return "工作人员录入";
    if (strcmp(s, "patrol") == 0) return "巡查发现";
    if (strcmp(s, "inspection") == 0) return "工地检查";
    if (strcmp(s, "phone") == 0) return "电话受理";
    return s;
}

/* 张三 → 张*: the first character and a star */
static const char *mask_name(jc_ctx *c, const char *name)
{
    if (!name || !*name) return name;
    size_t n = 1;
    while (name[n] && ((unsigned char)name[n] & 0xC0) == 0x80) n++;
    return arena_printf(c->a, "%.*s*", (int)n, name);
}

int case_write(jw *w, jc_ctx *c, const case_rec *k, bool detail, json_t *extra)
{
    const wf_state *s = wf_state_find(&case_wf, k->state);
    jw_obj(w);
    jw_kint(w, "id", k->id);
    jw_kstr(w, "service_code", k->service_code);
    jw_kstr(w, "service_name", k->service_name);
    jw_kstr(w, "source", k->source);
    jw_kstr(w, "source_zh", source_zh(k->source));
    jw_kstr(w, "description", k->description);
    jw_kstr(w, "public_description", k->public_description);
    jw_kbool(w, "hidden", k->hidden);
    jw_kstr(w, "hidden_reason", k->hidden_reason);
    jw_key(w, "attributes");
    jw_raw(w, k->attributes ? k->attributes : "{}");
    if (k->has_pos) {
        jw_kreal(w, "lat", k->lat);
        jw_kreal(w, "lng", k->lng);
    } else {
        jw_knull(w, "lat");
        jw_knull(w, "lng");
    }
    jw_kstr(w, "address", k->address ? k->address : "");
    jw_kstr(w, "area", k->area_code);
    jw_kstr(w, "area_name", k->area_name ? k->area_name : "");
    write_ref(w, "road", k->road_id, k->road_name);
    jw_key(w, "chief");
    if (k->chief_id) {
        const chief_level *cl = chief_level_find(k->chief_level);
        jw_obj(w);
        jw_kint(w, "id", k->chief_id);
        jw_kstr(w, "name", k->chief_name ? k->chief_name : "");
        jw_kstr(w, "level", k->chief_level ? k->chief_level : "");
        jw_kstr(w, "level_zh", cl ? cl->zh : "");
        write_opt_id(w, "user_id", k->chief_user_id);
        jw_obj_end(w);
    } else {
        jw_null(w);
    }
    write_ref(w, "team", k->team_id, k->team_name);
    write_ref(w, "assignee", k->assignee_id, k->assignee_name);
    write_opt_id(w, "site_id", k->site_id);
    write_opt_id(w, "inspection_id", k->inspection_id);
    write_opt_id(w, "patrol_id", k->patrol_id);
    /* the reporter: contact data only for those who may see it, never for anonymous reports
     * except to administrators */
    bool show = cases_show_contact(c, k->anonymous);
    jw_key(w, "reporter");
    jw_obj(w);
    jw_kbool(w, "anonymous", k->anonymous);
    jw_kstr(w, "name",
            show           ? k->reporter_name
            : k->anonymous ? NULL
                           : mask_name(c, k->reporter_name));
    jw_kstr(w, "phone",
            show ? k->reporter_phone
                 : (k->anonymous ? NULL : cases_mask_phone(c, k->reporter_phone)));
    jw_kstr(w, "email", show ? k->reporter_email : (k->reporter_email ? "***" : NULL));
    jw_kbool(w, "masked", !show);
    jw_obj_end(w);
    jw_kstr(w, "state", k->state);
    jw_kstr(w, "state_zh", s ? s->zh : "");
    jw_kstr(w, "state_en", s ? s->en : "");
    jw_kstr(w, "status", case_is_open(k->state) ? "open" : "closed");
    jw_kbool(w, "overdue", case_overdue(k, c->now));
    cases_write_time(w, "deadline", k->deadline_at);
    cases_write_time(w, "suspended_at", k->suspended_at);
    write_opt_id(w, "merged_into", k->merged_into);
    jw_kstr(w, "last_note", k->last_note);
    jw_kstr(w, "reply", k->reply);
    jw_kstr(w, "last_reason", k->last_reason);
    jw_kint(w, "reopen_count", k->reopen_count);
    cases_write_time(w, "created_at", k->created_at);
    cases_write_time(w, "updated_at", k->updated_at);
    cases_write_time(w, "dispatched_at", k->dispatched_at);
    cases_write_time(w, "closed_at", k->closed_at);
    jw_kint(w, "version", k->version);
    if (detail) {
        json_t *photos = jc_own(c, json_array()), *evals = jc_own(c, json_array()),
               *merged = jc_own(c, json_array());
        int rc = db_photo_list(c, k->id, false, photos);
        if (!rc) rc = db_eval_list(c, k->id, evals);
        if (!rc) rc = db_case_merged_ids(c, k->id, merged);
        if (rc) return rc;
        size_t i;
        json_t *p;
        json_array_foreach(photos, i, p)
        {
            json_object_set_new(
                p, "url",
                json_string(arena_printf(c->a, "/api/v1/cases/%lld/photos/%lld", (long long)k->id,
                                         (long long)json_integer_value(json_object_get(p, "id")))));
            json_object_del(p, "key");
        }
        jw_kjson(w, "photos", photos);
        jw_kjson(w, "evaluations", evals);
        jw_kjson(w, "merged_cases", merged);
        jw_key(w, "actions");
        write_actions(w, c, k);
        bool staff = jc_user_has(c->user, STAFF);
        jw_kbool(w, "can_edit", staff && case_is_open(k->state));
        jw_kbool(w, "can_moderate", staff);
        jw_kbool(w, "can_merge", (staff || is_chief(c, k)) && case_is_open(k->state));
        jw_kbool(w, "can_add_photo",
                 jc_user_has(c->user, CASES_FIELD) && strcmp(k->state, "merged") != 0 &&
                     strcmp(k->state, "rejected") != 0);
    }
    const char *key;
    json_t *v;
    json_object_foreach(extra, key, v) jw_kjson(w, key, v);
    jw_obj_end(w);
    return JC_OK;
}

const char *case_status_notes(jc_ctx *c, int64_t own, int64_t eff, const char *st,
                              const char *team_name, const char *reply, const char *reason)
{
    const char *team = team_name && *team_name ? team_name : "相关部门";
    const char *base;
    if (!st)
        base = "";
    else if (strcmp(st, "new") == 0)
        base = "已收到,等待受理。";
    else if (strcmp(st, "dispatched") == 0)
        base = arena_printf(c->a, "已派单至%s处置。", team);
    else if (strcmp(st, "processing") == 0)
        base = arena_printf(c->a, "%s正在处置。", team);
    else if (strcmp(st, "verifying") == 0)
        base = "已处置完毕,正在核查。";
    else if (strcmp(st, "suspended") == 0)
        base = "暂缓处置,恢复后继续办理。";
    else if (strcmp(st, "closed") == 0)
        base = reply && *reply ? arena_printf(c->a, "已办结。%s", reply) : "已办结。";
    else if (strcmp(st, "rejected") == 0)
        base = arena_printf(c->a, "不予受理:%s", reason ? reason : "");
    else
        base = "";
    if (own != eff)
        return arena_printf(c->a, "已与编号 %lld 的同一问题合并办理。%s", (long long)eff, base);
    return base;
}

/* ---- the audit snapshot ---- */

static json_t *case_audit(jc_ctx *c, const case_rec *k)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "area", k->area_code, "service_code",
                          k->service_code, "state", k->state, "description", k->description,
                          "address", k->address ? k->address : "");
    if (!o) return NULL;
    if (k->has_pos) {
        json_object_set_new(o, "lat", json_real(k->lat));
        json_object_set_new(o, "lng", json_real(k->lng));
    }
#define ID(key, v)                                                                                 \
    if (v) json_object_set_new(o, key, json_integer(v))
    ID("road_id", k->road_id);
    ID("chief_id", k->chief_id);
    ID("team_id", k->team_id);
    ID("assignee_id", k->assignee_id);
    ID("merged_into", k->merged_into);
    ID("deadline_at", k->deadline_at);
#undef ID
    if (k->hidden) json_object_set_new(o, "hidden", json_true());
    if (k->public_description)
        json_object_set_new(o, "public_description", json_string(k->public_description));
    if (k->reporter_name) json_object_set_new(o, "reporter_name", json_string(k->reporter_name));
    if (k->reporter_phone) json_object_set_new(o, "reporter_phone", json_string(k->reporter_phone));
    if (k->reply) json_object_set_new(o, "reply", json_string(k->reply));
    return jc_own(c, o);
}

/* ---- creation ---- */

static int check_user(jc_ctx *c, int64_t id, const char *area, const char *field, const char **name)
{
    bool ok = false;
    int rc = db_user_brief(c, id, area, name, &ok);
    if (rc) return rc;
    if (!*name)
        return jc_fail(c, JC_EUNPROC, "unknown_user", field, "no such user", "指定的人员不存在");
    if (!ok)
        return jc_fail(c, JC_EUNPROC, "user_out_of_area", field,
                       "the person is disabled or not granted the case's area",
                       "该人员已停用或不负责该诉求所属区域");
    return JC_OK;
}

static int check_team(jc_ctx *c, int64_t id, const char *area, team_rec *t)
{
    int rc = db_team_get(c, id, t);
    if (rc == JC_ENOTFOUND)
        return jc_fail(c, JC_EUNPROC, "unknown_team", "team_id", "no such team", "队伍不存在");
    if (rc) return rc;
    if (!t->active || !area_code_within(area, t->area_code))
        return jc_fail(c, JC_EUNPROC, "team_out_of_area", "team_id",
                       "the team is inactive or does not cover the case's area",
                       "该队伍已停用或不负责该诉求所属区域");
    return JC_OK;
}

static int check_chief(jc_ctx *c, int64_t id, int64_t road_id, chief_rec *k)
{
    int rc = db_chief_get(c, id, k);
    if (rc == JC_ENOTFOUND)
        return jc_fail(c, JC_EUNPROC, "unknown_chief", "chief_id", "no such road chief",
                       "路长不存在");
    if (rc) return rc;
    if (!k->active || (road_id && k->road_id != road_id))
        return jc_fail(c, JC_EUNPROC, "chief_not_of_road", "chief_id",
                       "the road chief is inactive or not a chief of the case's road",
                       "该路长已卸任或不是该道路的路长");
    return JC_OK;
}

static const wf_transition *find_transition(const char *action, const char *from)
{
    for (size_t i = 0; i < case_wf.ntrans; i++)
        if (strcmp(case_wf.trans[i].action, action) == 0 &&
            strcmp(case_wf.trans[i].from, from) == 0)
            return &case_wf.trans[i];
    return NULL;
}

static int apply_transition(jc_ctx *c, case_rec *k, const wf_transition *tr,
                            const case_action_in *in, int64_t version);

int case_create(jc_ctx *c, const case_input *in, const case_photo_in *photo, int64_t *id)
{
    case_service s;
    int rc = cases_service_get(c, in->service_code, "service_code", &s);
    if (rc) return rc;
    if (in->has_pos) {
        if ((rc = cases_check_location(c, in->lat, in->lng, "lat", "lng"))) return rc;
    } else if (!in->address || jc_blank(in->address)) {
        return jc_fail(c, JC_EINVAL, "location_required", "lat",
                       "a location is required: lat and lng, or an address",
                       "请提供位置:经纬度或详细地址");
    }
    case_rec k = {0};
    k.service_code = s.code;
    k.service_name = s.name;
    k.source = in->source ? in->source : "staff";
    k.description = in->description ? in->description : "";
    k.address = in->address ? in->address : "";
    k.has_pos = in->has_pos;
    k.lat = in->lat;
    k.lng = in->lng;
    json_t *attrs = NULL;
    if (in->attributes_json) {
        attrs = jc_own(c, json_loads(in->attributes_json, 0, NULL));
        if (!attrs)
            return jc_fail(c, JC_EINVAL, "invalid_field", "attributes",
                           "attributes must be a JSON object", "附加属性须为JSON对象");
    }
    if ((rc = case_check_attributes(c, &s, attrs, "attributes", &k.attributes))) return rc;
    if (in->road_id) {
        road_rec r;
        if ((rc = db_road_get(c, in->road_id, &r)) == JC_ENOTFOUND || (!rc && !r.active))
            return jc_fail(c, JC_EUNPROC, "unknown_road", "road_id", "no such road",
                           "道路不存在或已停用");
        if (rc) return rc;
        if (c->user && (rc = area_check(c, r.area_code, "road_id"))) return rc;
    }
    if (in->area_code && c->user && (rc = cases_check_area(c, in->area_code, "area"))) return rc;
    case_route_out ro;
    if ((rc = case_route(c, &s, in->road_id, in->has_pos, in->lat, in->lng, in->address,
                         in->area_code, &ro)))
        return rc;
    k.area_code = in->area_code ? in->area_code : ro.area_code;
    k.road_id = ro.road_id;
    k.chief_id = ro.chief_id;
    k.team_id = ro.team_id;
    /* staff create cases only in their own areas; the public anywhere in the service area */
    if (c->user && !in->public_report && (rc = area_check(c, k.area_code, "area"))) return rc;
    if (in->assignee_id) {
        const char *name;
        if ((rc = check_user(c, in->assignee_id, k.area_code, "assignee_id", &name))) return rc;
        k.assignee_id = in->assignee_id;
    }
    k.site_id = in->site_id;
    k.inspection_id = in->inspection_id;
    k.patrol_id = in->patrol_id;
    k.reporter_name = in->reporter_name;
    k.reporter_phone = in->reporter_phone;
    k.reporter_email = in->reporter_email;
    k.anonymous = in->anonymous;
    k.client_addr = in->public_report ? c->ip : NULL;
    k.state = case_wf.initial;
    k.deadline_at = c->now + s.limit_hours * 3600;
    char token_hash[65];
    if (in->token) case_token_hash(in->token, token_hash);

    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    if ((rc = db_case_insert(c, &k, in->token ? token_hash : NULL, id))) goto fail;
    k.id = *id;
    if (photo && photo->data) {
        char key[33];
        int64_t pid;
        case_token_new(key);
        if ((rc = db_photo_insert(c, k.id, photo, key, &pid))) goto fail;
    }
    json_t *snap = case_audit(c, &k);
    if (k.attributes) json_object_set_new(snap, "attributes", json_string(k.attributes));
    if (photo && photo->data) json_object_set_new(snap, "photos", json_integer(1));
    if ((rc = audit_append_id(c, "create", "case", k.id, k.area_code, NULL, snap,
                              source_zh(k.source))))
        goto fail;
    if (in->dispatch) {
        /* routed at creation (inspections, patrols, staff who ask): the loop starts dispatched */
        if (!db_case_get(c, k.id, &k)) {
            case_action_in ai = {0};
            ai.wf.note = "自动派单";
            rc = apply_transition(c, &k, find_transition("dispatch", "new"), &ai, k.version);
        } else {
            rc = JC_EDB;
        }
        if (rc) goto fail;
    }
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

int case_edit(jc_ctx *c, int64_t id, int64_t version, const case_input *ch)
{
    if (!jc_user_has(c->user, STAFF))
        return jc_fail(c, JC_EPERM, "forbidden", NULL,
                       "only the command centre (administrators, leaders) edits cases",
                       "只有管理员或书记/主任可以修改诉求");
    int rc = store_begin(c->db);
    if (rc) return jc_fail_db(c, rc);
    case_rec k;
    if ((rc = case_read(c, id, &k))) goto fail;
    if (k.version != version) {
        rc = cases_stale(c, k.version, "case", "诉求");
        goto fail;
    }
    if (!case_is_open(k.state)) {
        rc = jc_fail(c, JC_ECONFLICT, "closed", NULL, "a finished case cannot be edited",
                     "已办结、不予受理或已合并的诉求不能修改");
        goto fail;
    }
    json_t *before = case_audit(c, &k);
    case_service s;
    bool service_changed = ch->service_code && strcmp(ch->service_code, k.service_code) != 0;
    if ((rc = cases_service_get(c, ch->service_code ? ch->service_code : k.service_code,
                                "service_code", &s)))
        goto fail;
    if (service_changed) {
        k.service_code = s.code;
        k.service_name = s.name;
        k.deadline_at = k.created_at + s.limit_hours * 3600;
    }
    if (ch->description) k.description = ch->description;
    if (ch->address) k.address = ch->address;
    if (ch->has_pos) {
        if ((rc = cases_check_location(c, ch->lat, ch->lng, "lat", "lng"))) goto fail;
        k.has_pos = true;
        k.lat = ch->lat;
        k.lng = ch->lng;
    }
    if (ch->attributes_json || service_changed) {
        json_t *attrs = ch->attributes_json ? jc_own(c, json_loads(ch->attributes_json, 0, NULL))
                        : service_changed   ? NULL
                                            : jc_own(c, json_loads(k.attributes, 0, NULL));
        if ((rc = case_check_attributes(c, &s, attrs, "attributes", &k.attributes))) goto fail;
    }
    if (ch->road_id && ch->road_id != k.road_id) {
        road_rec r;
        rc = db_road_get(c, ch->road_id, &r);
        if (rc == JC_ENOTFOUND || (!rc && !r.active)) {
            rc = jc_fail(c, JC_EUNPROC, "unknown_road", "road_id", "no such road",
                         "道路不存在或已停用");
            goto fail;
        }
        if (rc || (rc = area_check(c, r.area_code, "road_id"))) goto fail;
        case_route_out ro;
        if ((rc = case_route(c, &s, ch->road_id, false, 0, 0, NULL, k.area_code, &ro))) goto fail;
        k.road_id = ch->road_id;
        k.chief_id = ro.chief_id;
    }
    if ((rc = db_case_update(c, &k, version))) goto fail;
    json_t *after = case_audit(c, &k);
    if (k.attributes) json_object_set_new(after, "attributes", json_string(k.attributes));
    if ((rc = audit_append_id(c, "update", "case", id, k.area_code, before, after, NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

/* ---- the loop ---- */

/* Applies a transition already allowed (by wf_check, or by the system: automatic dispatch, a
 * resident's 未解决): dispatch details, clocks, the update and its audit record. */
static int apply_transition(jc_ctx *c, case_rec *k, const wf_transition *tr,
                            const case_action_in *in, int64_t version)
{
    if (!tr) return jc_fail(c, JC_EINTERNAL, "internal_error", NULL, "no transition", "内部错误");
    json_t *before = case_audit(c, k);
    int rc;
    bool routes = strcmp(tr->action, "dispatch") == 0 || strcmp(tr->action, "redispatch") == 0;
    if (!routes && (in->chief_id || in->team_id || in->assignee_id || in->road_id))
        return jc_fail(c, JC_EINVAL, "invalid_field",
                       in->team_id       ? "team_id"
                       : in->chief_id    ? "chief_id"
                       : in->assignee_id ? "assignee_id"
                                         : "road_id",
                       "the handler is chosen only when dispatching or redispatching",
                       "只有派单或重派时才能指定处置队伍和人员");
    if (routes) {
        int64_t old_team = k->team_id, old_chief = k->chief_id, old_assignee = k->assignee_id;
        case_service s;
        bool have_service = cases_service_get(c, k->service_code, "service_code", &s) == JC_OK;
        c->err = (jc_err){0};
        if (in->road_id && in->road_id != k->road_id) {
            road_rec r;
            rc = db_road_get(c, in->road_id, &r);
            if (rc == JC_ENOTFOUND || (!rc && !r.active))
                return jc_fail(c, JC_EUNPROC, "unknown_road", "road_id", "no such road",
                               "道路不存在或已停用");
            if (rc) return rc;
            k->road_id = in->road_id;
            k->chief_id = 0;
        }
        if (in->chief_id) {
            chief_rec ch;
            if ((rc = check_chief(c, in->chief_id, k->road_id, &ch))) return rc;
            k->chief_id = ch.id;
            k->chief_user_id = ch.user_id;
        } else if (!k->chief_id && k->road_id && have_service) {
            case_route_out ro;
            if ((rc = case_route(c, &s, k->road_id, false, 0, 0, NULL, k->area_code, &ro)))
                return rc;
            k->chief_id = ro.chief_id;
        }
        if (in->team_id) {
            team_rec t;
            if ((rc = check_team(c, in->team_id, k->area_code, &t))) return rc;
            k->team_id = t.id;
            k->team_name = t.name;
        } else if (!k->team_id && have_service) {
            if ((rc = db_team_for(c, s.team, k->area_code, &k->team_id))) return rc;
        }
        if (in->clear_assignee) k->assignee_id = 0;
        if (in->assignee_id) {
            const char *name;
            if ((rc = check_user(c, in->assignee_id, k->area_code, "assignee_id", &name)))
                return rc;
            k->assignee_id = in->assignee_id;
        }
        if (!k->team_id && !k->assignee_id)
            return jc_fail(c, JC_EUNPROC, "no_handler", "team_id",
                           "no team handles this service here: choose a team or a person",
                           "该区域没有处置此类问题的队伍,请指定处置队伍或人员");
        if (strcmp(tr->action, "redispatch") == 0 && k->team_id == old_team &&
            k->chief_id == old_chief && k->assignee_id == old_assignee)
            return jc_fail(c, JC_EUNPROC, "unchanged", "team_id",
                           "redispatch needs another team, chief or person",
                           "重派须更换处置队伍、路长或人员");
        k->dispatched_at = c->now;
    }
    if (strcmp(tr->action, "suspend") == 0) k->suspended_at = c->now;
    if (strcmp(tr->action, "resume") == 0 && k->suspended_at) {
        if (k->deadline_at) k->deadline_at += c->now - k->suspended_at;
        k->suspended_at = 0;
    }
    if (tr->flags & WF_REOPEN) {
        case_service s;
        int64_t hours =
            cases_service_get(c, k->service_code, "service_code", &s) == JC_OK ? s.limit_hours : 72;
        c->err = (jc_err){0};
        k->reopen_count++;
        k->deadline_at = c->now + hours * 3600;
        k->reply = NULL;
    }
    k->state = tr->to;
    k->closed_at = wf_is_terminal(&case_wf, k->state) ? c->now : 0;
    if (in->wf.note && *in->wf.note) k->last_note = in->wf.note;
    if (in->wf.reason && *in->wf.reason) k->last_reason = in->wf.reason;
    if (in->reply && *in->reply) k->reply = in->reply;
    if ((rc = db_case_update(c, k, version))) return rc;
    k->version = version + 1;
    const char *why = in->wf.reason && *in->wf.reason ? in->wf.reason : in->wf.note;
    json_t *after = case_audit(c, k);
    if (in->wf.note && *in->wf.note) json_object_set_new(after, "note", json_string(in->wf.note));
    return audit_append_id(c, tr->action, "case", k->id, k->area_code, before, after, why);
}

int case_transition(jc_ctx *c, int64_t id, int64_t version, const char *action,
                    const case_action_in *in)
{
    int rc = store_begin(c->db);
    if (rc) return jc_fail_db(c, rc);
    case_rec k;
    if ((rc = case_read(c, id, &k))) goto fail;
    /* the version first: an action on a case that moved on is "changed meanwhile" */
    if (k.version != version) {
        rc = cases_stale(c, k.version, "case", "诉求");
        goto fail;
    }
    const wf_transition *t = action ? find_transition(action, k.state) : NULL, *tr;
    bool mine = t && assignee_for(c, &k, t);
    if ((rc = wf_check(c, &case_wf, k.state, action, mine, &tr))) goto fail;
    if ((rc = wf_check_inputs(c, tr, &in->wf))) goto fail;
    if ((rc = apply_transition(c, &k, tr, in, version))) goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

/* ---- duplicates ---- */

static int cmp_near(const void *a, const void *b)
{
    const case_near *x = a, *y = b;
    return x->dist < y->dist ? -1 : x->dist > y->dist ? 1 : (x->id > y->id) - (x->id < y->id);
}

int case_nearby(jc_ctx *c, const char *service, double lat, double lng, int64_t except,
                bool public_only, json_t **out)
{
    int64_t radius = config_get_int(c, "cases.duplicate_radius_m", 50);
    double la0, la1, ln0, ln1;
    geo_box_around(lat, lng, (double)radius, &la0, &la1, &ln0, &ln1);
    enum { MAX = 200 };
    case_near *near = arena_alloc(c->a, sizeof *near * MAX);
    if (!near) return JC_ENOMEM;
    int n, kept = 0;
    int rc = db_case_in_box(c, service, la0, la1, ln0, ln1, except, near, MAX, &n);
    if (rc) return rc;
    for (int i = 0; i < n; i++) {
        near[i].dist = geo_distance_m(lat, lng, near[i].lat, near[i].lng);
        if (near[i].dist <= (double)radius) near[kept++] = near[i];
    }
    qsort(near, (size_t)kept, sizeof *near, cmp_near);
    json_t *arr = jc_own(c, json_array());
    for (int i = 0; i < kept && json_array_size(arr) < 10; i++) {
        case_rec k;
        if ((rc = db_case_get(c, near[i].id, &k))) return rc;
        if (!public_only && !area_visible(c->user, k.area_code)) continue;
        const wf_state *s = wf_state_find(&case_wf, k.state);
        char ts[32];
        jc_time_local(k.created_at, ts);
        const char *text =
            public_only && k.public_description ? k.public_description : k.description;
        json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s}",
                                             "id", (json_int_t)k.id, "service_code", k.service_code,
                                             "service_name", k.service_name, "state", k.state,
                                             "state_zh", s ? s->zh : "", "state_en", s ? s->en : "",
                                             "description", text, "address",
                                             k.address ? k.address : "", "distance_m",
                                             (json_int_t)llround(near[i].dist), "created_at", ts));
    }
    *out = arr;
    return JC_OK;
}

int case_merge(jc_ctx *c, int64_t id, int64_t version, int64_t into, const char *reason)
{
    if (!reason || jc_blank(reason))
        return jc_fail(c, JC_EINVAL, "required", "reason", "reason is required", "请填写合并原因");
    if (into == id)
        return jc_fail(c, JC_EUNPROC, "merge_into_itself", "into",
                       "a case cannot be merged into itself", "诉求不能合并到自身");
    int rc = store_begin(c->db);
    if (rc) return jc_fail_db(c, rc);
    case_rec k, o;
    if ((rc = case_read(c, id, &k))) goto fail;
    if (k.version != version) {
        rc = cases_stale(c, k.version, "case", "诉求");
        goto fail;
    }
    if (!jc_user_has(c->user, STAFF) && !is_chief(c, &k)) {
        rc = jc_fail(c, JC_EPERM, "forbidden", NULL,
                     "only the command centre or the case's road chief merges duplicates",
                     "只有管理员、书记/主任或该诉求的路长可以合并重复诉求");
        goto fail;
    }
    if (!case_is_open(k.state)) {
        rc = jc_fail(c, JC_ECONFLICT, "not_open", NULL, "only an open case can be merged",
                     "只有未办结的诉求可以合并");
        goto fail;
    }
    rc = db_case_get(c, into, &o);
    if (rc == JC_ENOTFOUND) {
        rc = jc_fail(c, JC_EUNPROC, "unknown_case", "into", "no such case to merge into",
                     "要合并到的诉求不存在");
        goto fail;
    }
    if (rc || (rc = area_check(c, o.area_code, "into"))) goto fail;
    if (strcmp(o.state, "merged") == 0 || strcmp(o.state, "rejected") == 0) {
        rc = jc_fail(c, JC_EUNPROC, "invalid_original", "into",
                     "the original must not be merged or rejected itself",
                     "合并目标本身已合并或不予受理");
        goto fail;
    }
    json_t *before = case_audit(c, &k);
    k.state = "merged";
    k.merged_into = o.id;
    k.closed_at = c->now;
    k.last_reason = reason;
    if ((rc = db_case_update(c, &k, version))) goto fail;
    /* what was merged into the duplicate follows the original too */
    if ((rc = db_case_repoint_merged(c, k.id, o.id))) goto fail;
    if ((rc = audit_append_id(c, "merge", "case", k.id, k.area_code, before, case_audit(c, &k),
                              reason)))
        goto fail;
    json_t *note = jc_own(c, json_pack("{s:I}", "merged_case", (json_int_t)k.id));
    if ((rc = audit_append_id(c, "merge_in", "case", o.id, o.area_code, NULL, note, reason)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

/* ---- moderation ---- */

int case_moderate(jc_ctx *c, int64_t id, int64_t version, const bool *hidden,
                  const char *public_description, bool clear_public_description, const char *reason)
{
    if (!jc_user_has(c->user, STAFF))
        return jc_fail(c, JC_EPERM, "forbidden", NULL,
                       "only administrators and leaders moderate public reports",
                       "只有管理员或书记/主任可以处理公开内容");
    if (!reason || jc_blank(reason))
        return jc_fail(c, JC_EINVAL, "required", "reason",
                       "reason is required: the audit log names who did it and why",
                       "请填写处理原因(操作日志将记录操作人和原因)");
    if (!hidden && !public_description && !clear_public_description)
        return jc_fail(c, JC_EINVAL, "required", "hidden", "give hidden and/or public_description",
                       "请指定是否隐藏或修改公开描述");
    int rc = store_begin(c->db);
    if (rc) return jc_fail_db(c, rc);
    case_rec k;
    if ((rc = case_read(c, id, &k))) goto fail;
    if (k.version != version) {
        rc = cases_stale(c, k.version, "case", "诉求");
        goto fail;
    }
    json_t *before =
        jc_own(c, json_pack("{s:b, s:s?, s:s?}", "hidden", k.hidden, "public_description",
                            k.public_description, "hidden_reason", k.hidden_reason));
    if (hidden) {
        k.hidden = *hidden;
        k.hidden_reason = *hidden ? reason : NULL;
    }
    if (clear_public_description) k.public_description = NULL;
    if (public_description) k.public_description = public_description;
    if ((rc = db_case_update(c, &k, version))) goto fail;
    json_t *after =
        jc_own(c, json_pack("{s:b, s:s?, s:s?}", "hidden", k.hidden, "public_description",
                            k.public_description, "hidden_reason", k.hidden_reason));
    if ((rc = audit_append_id(c, "moderate", "case", id, k.area_code, before, after, reason)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

/* ---- photos ---- */

int case_add_photo(jc_ctx *c, int64_t id, const case_photo_in *p, int64_t *photo_id)
{
    int rc = store_begin(c->db);
    if (rc) return jc_fail_db(c, rc);
    case_rec k;
    if ((rc = case_read(c, id, &k))) goto fail;
    if (strcmp(k.state, "merged") == 0 || strcmp(k.state, "rejected") == 0) {
        rc = jc_fail(c, JC_ECONFLICT, "closed", NULL,
                     "photos cannot be added to a merged or rejected case",
                     "已合并或不予受理的诉求不能再添加照片");
        goto fail;
    }
    int64_t n, max = config_get_int(c, "cases.photos_per_case", 9);
    if ((rc = db_photo_count(c, id, &n))) goto fail;
    if (n >= max) {
        rc = jc_fail(c, JC_EUNPROC, "too_many_photos", "photo",
                     arena_printf(c->a, "a case has at most %lld photos", (long long)max),
                     arena_printf(c->a, "每件诉求最多%lld张照片", (long long)max));
        goto fail;
    }
    char key[33];
    case_token_new(key);
    if ((rc = db_photo_insert(c, id, p, key, photo_id))) goto fail;
    json_t *after =
        jc_own(c, json_pack("{s:I, s:s, s:s, s:I}", "photo_id", (json_int_t)*photo_id, "stage",
                            p->stage, "content_type", p->type, "size", (json_int_t)p->len));
    if ((rc = audit_append_id(c, "photo", "case", id, k.area_code, NULL, after, NULL))) goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

/* ---- the resident's evaluation ---- */

int case_evaluate(jc_ctx *c, const char *token, bool resolved, int64_t rating, const char *comment)
{
    if (rating < 1 || rating > 5)
        return jc_fail(c, JC_EINVAL, "invalid_field", "rating", "rating must be 1 to 5",
                       "满意度评分须为1到5");
    int rc = store_begin(c->db);
    if (rc) return jc_fail_db(c, rc);
    case_rec own, eff;
    if ((rc = case_by_token(c, token, &own))) goto fail;
    if ((rc = case_effective(c, &own, &eff))) goto fail;
    if (strcmp(eff.state, "closed") != 0) {
        rc = jc_fail(c, JC_ECONFLICT, "not_closed", NULL,
                     "the case is not closed yet: it can be evaluated once it is",
                     "诉求尚未办结,办结后才能评价");
        goto fail;
    }
    bool done;
    if ((rc = db_eval_exists(c, eff.id, own.id, eff.reopen_count, &done))) goto fail;
    if (done) {
        rc = jc_fail(c, JC_ECONFLICT, "already_evaluated", NULL,
                     "you have already evaluated this handling of the case",
                     "您已评价过本次办理结果");
        goto fail;
    }
    if ((rc = db_eval_insert(c, eff.id, own.id, eff.reopen_count, resolved, rating, comment)))
        goto fail;
    json_t *after = jc_own(c, json_pack("{s:b, s:I, s:I}", "resolved", resolved, "rating",
                                        (json_int_t)rating, "from_case", (json_int_t)own.id));
    if ((rc = audit_append_id(c, "evaluate", "case", eff.id, eff.area_code, NULL, after, comment)))
        goto fail;
    if (!resolved) {
        /* 未解决: the resident reopens it */
        case_action_in ai = {0};
        ai.wf.reason = comment && !jc_blank(comment)
                           ? arena_printf(c->a, "居民评价:未解决。%s", comment)
                           : "居民评价:未解决";
        if ((rc = apply_transition(c, &eff, find_transition("reopen", "closed"), &ai, eff.version)))
            goto fail;
    }
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}
