/* poverty_review.c — 回头看 review campaigns and change requests.
 *
 * A campaign freezes its household set when it is created (the 十类重点户 and/or 建档立卡
 * households of its villages), and each household gets a check record. Findings are change
 * requests: 新识别, 人口自然减少, 漏登, 错评, 错退 (标注稳定脱贫错误需回退). They move
 * draft → submitted → approved → applied (or rejected with a reason); applying changes the
 * registry in the same transaction, and writes history rows and audit records — a rollback is a
 * new applied change. The campaign's report sentence is generated from these records. */
#include "poverty.h"

#include <stdio.h>
#include <string.h>

const pv_change_type_info pv_change_types[PV_CH__MAX] = {
    {"new", "新识别", "newly identified", true},
    {"decrease", "人口自然减少", "natural decrease", false},
    {"missed", "漏登", "missed registration", false},
    {"wrong_assess", "错评", "wrongly assessed", true},
    {"wrong_exit", "标注稳定脱贫错误需回退", "exit wrongly marked, rolled back", true},
};

int pv_change_type_from_code(const char *code)
{
    for (int i = 0; code && i < PV_CH__MAX; i++)
        if (strcmp(pv_change_types[i].code, code) == 0) return i;
    return PV_CH__MAX;
}

static const wf_state change_states[] = {
    {"draft", "草稿", "draft", false},         {"submitted", "待审核", "submitted", false},
    {"approved", "已审核", "approved", false}, {"applied", "已整改", "applied", true},
    {"rejected", "已驳回", "rejected", true},
};

/* Officers record and apply; leaders (镇领导) or administrators approve — never the person who
 * submitted (checked in pv_change_transition). */
static const wf_transition change_transitions[] = {
    {"submit", "draft", "submitted", PV_WRITERS, 0, "提交审核", "Submit for approval"},
    {"withdraw", "submitted", "draft", PV_WRITERS, WF_NEEDS_REASON, "撤回修改", "Withdraw"},
    {"approve", "submitted", "approved", PV_APPROVERS, 0, "审核通过", "Approve"},
    {"reject", "submitted", "rejected", PV_APPROVERS, WF_NEEDS_REASON, "驳回", "Reject"},
    {"reject", "approved", "rejected", PV_APPROVERS, WF_NEEDS_REASON, "驳回", "Reject"},
    {"cancel", "draft", "rejected", PV_WRITERS, WF_NEEDS_REASON, "作废", "Discard"},
    {"apply", "approved", "applied", PV_WRITERS, 0, "整改入库", "Apply to the registry"},
};

const wf_def pv_change_wf = {
    "pv_change",
    change_states,
    JC_NELEM(change_states),
    change_transitions,
    JC_NELEM(change_transitions),
    "draft",
};

/* ---- campaigns ---- */

static const char *const focus_codes[] = {"key", "registered"};

int pv_review_read(jc_ctx *c, int64_t id, pv_review *r)
{
    int rc = db_pv_review_get(c, id, r);
    if (rc) return rc;
    return area_check(c, r->area_code, NULL);
}

static int review_counts(jc_ctx *c, int64_t id, int64_t *households, int64_t *checked,
                         int64_t *findings)
{
    json_t *progress;
    int rc = db_pv_review_progress(c, id, &progress);
    if (rc) return rc;
    *households = *checked = *findings = 0;
    size_t i;
    json_t *v;
    json_array_foreach(progress, i, v)
    {
        *households += json_integer_value(json_object_get(v, "households"));
        *checked += json_integer_value(json_object_get(v, "checked"));
        *findings += json_integer_value(json_object_get(v, "findings"));
    }
    return JC_OK;
}

json_t *pv_review_json(jc_ctx *c, const pv_review *r, bool detail)
{
    char ts[32];
    jc_time_local(r->created_at, ts);
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:O, s:s, s:I}", "id",
                          (json_int_t)r->id, "area", r->area_code, "area_name",
                          r->area_name ? r->area_name : "", "name", r->name, "start_date",
                          r->start_date, "end_date", r->end_date, "state", r->state, "state_zh",
                          strcmp(r->state, "open") == 0 ? "进行中" : "已结束", "note",
                          r->note ? r->note : "", "focus", r->focus ? r->focus : json_array(),
                          "created_at", ts, "version", (json_int_t)r->version);
    if (!o) return NULL;
    if (r->closed_at) {
        jc_time_local(r->closed_at, ts);
        json_object_set_new(o, "closed_at", json_string(ts));
    } else {
        json_object_set_new(o, "closed_at", json_null());
    }
    json_t *villages, *checkers, *progress;
    int64_t hh = 0, checked = 0, findings = 0;
    if (db_pv_review_villages(c, r->id, &villages) == JC_OK)
        json_object_set(o, "villages", villages);
    if (db_pv_review_checkers(c, r->id, &checkers) == JC_OK)
        json_object_set(o, "checkers", checkers);
    if (review_counts(c, r->id, &hh, &checked, &findings) == JC_OK) {
        json_object_set_new(o, "households", json_integer(hh));
        json_object_set_new(o, "checked", json_integer(checked));
        json_object_set_new(o, "findings", json_integer(findings));
    }
    if (detail && db_pv_review_progress(c, r->id, &progress) == JC_OK)
        json_object_set(o, "progress", progress);
    c->err = (jc_err){0};
    return jc_own(c, o);
}

int pv_review_create(jc_ctx *c, const pv_review_in *in, int64_t *id)
{
    int rc = pv_need_writer(c);
    if (rc) return rc;
    if ((rc = area_check(c, in->area_code, "area"))) return rc;
    area_rec a;
    if ((rc = area_get(c, in->area_code, &a))) {
        if (rc == JC_ENOTFOUND) {
            c->err = (jc_err){0};
            return jc_fail(c, JC_EUNPROC, "unknown_area", "area", "no such area", "区域不存在");
        }
        return rc;
    }
    if (a.level != AREA_TOWNSHIP && a.level != AREA_VILLAGE)
        return jc_fail(c, JC_EUNPROC, "area_level", "area",
                       "a campaign covers a township (乡镇/街道) or one village",
                       "排查范围须为乡镇(街道)或一个行政村");
    if (strcmp(in->start_date, in->end_date) > 0)
        return jc_fail(c, JC_EINVAL, "invalid_field", "end_date", "end_date lies before start_date",
                       "结束日期早于开始日期");
    bool key = false, reg = false;
    for (int i = 0; i < in->nfocus; i++) {
        if (strcmp(in->focus[i], focus_codes[0]) == 0)
            key = true;
        else if (strcmp(in->focus[i], focus_codes[1]) == 0)
            reg = true;
        else {
            jc_fail_extra(c, "allowed", json_pack("[s, s]", "key", "registered"));
            return jc_fail(c, JC_EINVAL, "invalid_field", "focus",
                           "focus items are key (十类重点户) and registered (建档立卡贫困户)",
                           "重点关注对象须为 key(十类重点户)或 registered(建档立卡贫困户)");
        }
    }
    if (!key && !reg)
        return jc_fail(c, JC_EINVAL, "required", "focus",
                       "focus needs key (十类重点户) and/or registered (建档立卡贫困户)",
                       "请选择重点关注对象(十类重点户、建档立卡贫困户)");
    /* villages: those given, each inside the campaign's area; by default all of a township's */
    const char **villages = in->villages;
    int nvillages = in->nvillages;
    if (nvillages == 0) {
        json_t *all;
        if (a.level == AREA_VILLAGE) {
            villages = arena_alloc(c->a, sizeof *villages);
            if (!villages) return JC_ENOMEM;
            villages[0] = in->area_code;
            nvillages = 1;
        } else {
            if ((rc = db_pv_child_villages(c, in->area_code, &all))) return rc;
            nvillages = (int)json_array_size(all);
            villages = arena_alloc(c->a, sizeof *villages * (size_t)(nvillages + 1));
            if (!villages) return JC_ENOMEM;
            for (int i = 0; i < nvillages; i++)
                villages[i] = json_string_value(json_array_get(all, (size_t)i));
        }
        if (nvillages == 0)
            return jc_fail(c, JC_EUNPROC, "no_villages", "villages",
                           "the area has no villages to check", "该区域下没有行政村");
    }
    for (int i = 0; i < nvillages; i++) {
        area_rec v;
        if (!area_code_within(villages[i], in->area_code) ||
            area_code_level(villages[i]) != AREA_VILLAGE)
            return jc_fail(
                c, JC_EINVAL, "invalid_field", "villages",
                arena_printf(c->a, "%s is not a village of %s", villages[i], in->area_code),
                arena_printf(c->a, "%s 不是本次排查范围内的行政村", villages[i]));
        if ((rc = area_get(c, villages[i], &v))) {
            if (rc == JC_ENOTFOUND) {
                c->err = (jc_err){0};
                return jc_fail(c, JC_EUNPROC, "unknown_area", "villages",
                               arena_printf(c->a, "village %s does not exist", villages[i]),
                               arena_printf(c->a, "行政村 %s 不存在", villages[i]));
            }
            return rc;
        }
    }
    for (int i = 0; i < in->ncheckers; i++) {
        bool ok;
        if ((rc = db_pv_user_covers(c, in->checkers[i], in->area_code, &ok, NULL))) return rc;
        if (!ok)
            return jc_fail(c, JC_EUNPROC, "unknown_user", "checkers",
                           arena_printf(c->a,
                                        "user %lld does not exist, is disabled or is not granted "
                                        "this area",
                                        (long long)in->checkers[i]),
                           arena_printf(c->a, "排查人员 %lld 不存在、已停用或不负责该区域",
                                        (long long)in->checkers[i]));
    }
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    int64_t n;
    if ((rc = db_pv_review_insert(c, in, id))) goto fail;
    for (int i = 0; i < nvillages; i++)
        if ((rc = db_pv_review_village_add(c, *id, villages[i]))) goto fail;
    for (int i = 0; i < in->ncheckers; i++)
        if ((rc = db_pv_review_checker_add(c, *id, in->checkers[i]))) goto fail;
    if ((rc = db_pv_review_snapshot(c, *id, key, reg, &n))) goto fail;
    json_t *vs = json_array(), *fs = json_array(), *cs = json_array();
    for (int i = 0; i < nvillages; i++) json_array_append_new(vs, json_string(villages[i]));
    for (int i = 0; i < in->nfocus; i++) json_array_append_new(fs, json_string(in->focus[i]));
    for (int i = 0; i < in->ncheckers; i++)
        json_array_append_new(cs, json_integer(in->checkers[i]));
    if ((rc = audit_append_id(
             c, "create", "pv_review", *id, in->area_code, NULL,
             jc_own(c, json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:I}", "name", in->name,
                                 "start_date", in->start_date, "end_date", in->end_date, "villages",
                                 vs, "focus", fs, "checkers", cs, "households", (json_int_t)n)),
             NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

int pv_review_edit(jc_ctx *c, int64_t id, int64_t version, const char *name, const char *end_date,
                   const char *note, const int64_t *checkers, int ncheckers, bool has_checkers,
                   bool close)
{
    int rc = pv_need_writer(c);
    if (rc) return rc;
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    pv_review r;
    if ((rc = pv_review_read(c, id, &r))) goto fail;
    if ((rc = pv_check_stale(c, r.version, version, "campaign", "排查"))) goto fail;
    if (strcmp(r.state, "closed") == 0) {
        rc = jc_fail(c, JC_ECONFLICT, "closed", NULL, "the campaign is closed", "该排查已结束");
        goto fail;
    }
    json_t *before = jc_own(c, json_pack("{s:s, s:s, s:s, s:s}", "name", r.name, "end_date",
                                         r.end_date, "note", r.note, "state", r.state));
    if (name) r.name = name;
    if (end_date) {
        if (strcmp(end_date, r.start_date) < 0) {
            rc = jc_fail(c, JC_EINVAL, "invalid_field", "end_date",
                         "end_date lies before start_date", "结束日期早于开始日期");
            goto fail;
        }
        r.end_date = end_date;
    }
    if (note) r.note = note;
    if (close) {
        r.state = "closed";
        r.closed_at = c->now;
    }
    if (has_checkers) {
        if ((rc = db_pv_review_checkers_clear(c, id))) goto fail;
        for (int i = 0; i < ncheckers; i++) {
            bool ok;
            if ((rc = db_pv_user_covers(c, checkers[i], r.area_code, &ok, NULL))) goto fail;
            if (!ok) {
                rc = jc_fail(c, JC_EUNPROC, "unknown_user", "checkers",
                             arena_printf(c->a,
                                          "user %lld does not exist, is disabled or is not "
                                          "granted this area",
                                          (long long)checkers[i]),
                             arena_printf(c->a, "排查人员 %lld 不存在、已停用或不负责该区域",
                                          (long long)checkers[i]));
                goto fail;
            }
            if ((rc = db_pv_review_checker_add(c, id, checkers[i]))) goto fail;
        }
    }
    if ((rc = db_pv_review_update(c, &r, version))) goto fail;
    if ((rc =
             audit_append_id(c, close ? "close" : "update", "pv_review", id, r.area_code, before,
                             jc_own(c, json_pack("{s:s, s:s, s:s, s:s}", "name", r.name, "end_date",
                                                 r.end_date, "note", r.note, "state", r.state)),
                             NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

static int review_open(jc_ctx *c, int64_t id, pv_review *r)
{
    int rc = pv_review_read(c, id, r);
    if (rc) return rc;
    if (strcmp(r->state, "open") != 0)
        return jc_fail(c, JC_ECONFLICT, "closed", "review_id", "the campaign is closed",
                       "该排查已结束");
    return JC_OK;
}

int pv_review_check(jc_ctx *c, int64_t review_id, int64_t household_id, const char *result,
                    const char *note, int64_t version)
{
    int rc = pv_need_writer(c);
    if (rc) return rc;
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    pv_review r;
    const char *area;
    int64_t checked_at, have;
    if ((rc = review_open(c, review_id, &r))) goto fail;
    if ((rc = db_pv_review_check_get(c, review_id, household_id, &area, &checked_at, &have)))
        goto fail;
    if ((rc = area_check(c, area, NULL))) goto fail;
    if ((rc = pv_check_stale(c, have, version, "check record", "排查记录"))) goto fail;
    if ((rc = db_pv_review_check_set(c, review_id, household_id, result, note, version))) goto fail;
    if ((rc = audit_append_id(
             c, "check", "pv_review", review_id, area, NULL,
             jc_own(c, json_pack("{s:I, s:s, s:s}", "household_id", (json_int_t)household_id,
                                 "result", result, "note", note ? note : "")),
             NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

/* The report sentence in the source's form, from the counts. */
static const char *summary_text(jc_ctx *c, int64_t villages, int64_t key, int64_t reg,
                                const int64_t count[PV_CH__MAX], const int64_t hh[PV_CH__MAX],
                                const int64_t persons[PV_CH__MAX], bool all_applied)
{
    char *s = arena_printf(c->a, "对%lld个行政村进行排查", (long long)villages);
    if (key && reg)
        s = arena_printf(c->a, "%s,对%lld户十类重点户和%lld户建档立卡贫困户重点关注。", s,
                         (long long)key, (long long)reg);
    else if (key)
        s = arena_printf(c->a, "%s,对%lld户十类重点户重点关注。", s, (long long)key);
    else if (reg)
        s = arena_printf(c->a, "%s,对%lld户建档立卡贫困户重点关注。", s, (long long)reg);
    else
        s = arena_printf(c->a, "%s。", s);
    char *parts = arena_strdup(c->a, "");
    int n = 0;
    for (int t = 0; t < PV_CH__MAX; t++) {
        if (!count[t]) continue;
        const pv_change_type_info *ti = &pv_change_types[t];
        if (ti->count_households)
            parts = arena_printf(c->a, "%s%s%s%lld户%lld人", parts, n ? "、" : "", ti->zh,
                                 (long long)hh[t], (long long)persons[t]);
        else
            parts = arena_printf(c->a, "%s%s%s%lld人", parts, n ? "、" : "", ti->zh,
                                 (long long)persons[t]);
        n++;
    }
    if (!n) return arena_printf(c->a, "%s未排查出问题。", s);
    return arena_printf(c->a, "%s共排查%s%s", s, parts,
                        all_applied ? ",以上问题均已整改并系统录入、标识到位。" : "。");
}

int pv_review_summary(jc_ctx *c, int64_t review_id, json_t **out)
{
    pv_review r;
    int rc = pv_review_read(c, review_id, &r);
    if (rc) return rc;
    json_t *villages, *progress, *by_tag;
    int64_t key, reg, total;
    if ((rc = db_pv_review_villages(c, review_id, &villages))) return rc;
    if ((rc = db_pv_review_progress(c, review_id, &progress))) return rc;
    if ((rc = db_pv_review_focus(c, review_id, &by_tag, &key, &reg, &total))) return rc;
    int64_t count[PV_CH__MAX], hh[PV_CH__MAX], persons[PV_CH__MAX], applied[PV_CH__MAX];
    if ((rc = db_pv_review_findings(c, review_id, count, hh, persons, applied))) return rc;
    int64_t checked = 0, villages_done = 0, nfind = 0, napplied = 0;
    size_t i;
    json_t *v;
    json_array_foreach(progress, i, v)
    {
        int64_t n = json_integer_value(json_object_get(v, "households"));
        int64_t k = json_integer_value(json_object_get(v, "checked"));
        checked += k;
        if (k == n) villages_done++;
    }
    json_t *types = json_array();
    for (int t = 0; t < PV_CH__MAX; t++) {
        nfind += count[t];
        napplied += applied[t];
        json_array_append_new(types,
                              json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:b}", "type",
                                        pv_change_types[t].code, "zh", pv_change_types[t].zh, "en",
                                        pv_change_types[t].en, "findings", (json_int_t)count[t],
                                        "households", (json_int_t)hh[t], "persons",
                                        (json_int_t)persons[t], "applied", (json_int_t)applied[t],
                                        "counts_households", pv_change_types[t].count_households));
    }
    bool all_applied = nfind > 0 && nfind == napplied;
    const char *text = summary_text(c, (int64_t)json_array_size(villages), key, reg, count, hh,
                                    persons, all_applied);
    *out =
        jc_own(c, json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:O, s:O, s:{s:I, s:I, s:I, s:O}, "
                            "s:{s:I, s:I}, s:o, s:I, s:I, s:b, s:s}",
                            "review_id", (json_int_t)r.id, "name", r.name, "state", r.state,
                            "start_date", r.start_date, "end_date", r.end_date, "villages",
                            (json_int_t)json_array_size(villages), "villages_checked",
                            (json_int_t)villages_done, "village_list", villages, "progress",
                            progress, "focus", "key", (json_int_t)key, "registered",
                            (json_int_t)reg, "total", (json_int_t)total, "by_tag", by_tag, "checks",
                            "households", (json_int_t)total, "checked", (json_int_t)checked,
                            "by_type", types, "findings", (json_int_t)nfind, "applied",
                            (json_int_t)napplied, "all_applied", all_applied, "text", text));
    return *out ? JC_OK : JC_ENOMEM;
}

/* ---- change requests: payloads ---- */

static const char *fld(jc_ctx *c, const char *prefix, const char *name)
{
    return arena_printf(c->a, "%s%s", prefix, name);
}

/* Refuses members of obj not in allowed (NULL-terminated). */
static int only_keys(jc_ctx *c, json_t *obj, const char *const *allowed, const char *prefix)
{
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v)
    {
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++) ok = strcmp(*a, k) == 0;
        if (!ok)
            return jc_fail(c, JC_EINVAL, "unknown_field", fld(c, prefix, k),
                           arena_printf(c->a, "unknown field '%s%s'", prefix, k),
                           arena_printf(c->a, "不认识的字段「%s%s」", prefix, k));
    }
    return JC_OK;
}

/* An optional text member: NULL when absent; 400 when not a text or too long. */
static int opt_text(jc_ctx *c, json_t *obj, const char *key, const char *prefix, size_t max,
                    const char **out)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v)) return JC_OK;
    if (!json_is_string(v) || jc_has_control(json_string_value(v)) ||
        jc_utf8_len(json_string_value(v)) > max)
        return jc_fail(
            c, JC_EINVAL, "invalid_field", fld(c, prefix, key),
            arena_printf(c->a, "%s%s must be a text of at most %zu characters", prefix, key, max),
            arena_printf(c->a, "%s%s 须为不超过%zu个字的文字", prefix, key, max));
    *out = json_string_value(v);
    return JC_OK;
}

static int req_int(jc_ctx *c, json_t *obj, const char *key, const char *prefix, int64_t *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return jc_fail(c, JC_EINVAL, "required", fld(c, prefix, key),
                       arena_printf(c->a, "%s%s is required", prefix, key),
                       arena_printf(c->a, "%s%s 为必填项", prefix, key));
    if (!json_is_integer(v) || json_integer_value(v) < 1)
        return jc_fail(c, JC_EINVAL, "invalid_field", fld(c, prefix, key),
                       arena_printf(c->a, "%s%s must be a positive integer", prefix, key),
                       arena_printf(c->a, "%s%s 须为正整数", prefix, key));
    *out = json_integer_value(v);
    return JC_OK;
}

static int date_member(jc_ctx *c, json_t *obj, const char *key, const char *prefix, bool required,
                       const char **out)
{
    int rc = opt_text(c, obj, key, prefix, 10, out);
    if (rc) return rc;
    if (!*out) {
        if (!required) return JC_OK;
        return jc_fail(c, JC_EINVAL, "required", fld(c, prefix, key),
                       arena_printf(c->a, "%s%s is required", prefix, key),
                       arena_printf(c->a, "%s%s 为必填项", prefix, key));
    }
    if (!jc_date_valid(*out))
        return jc_fail(c, JC_EINVAL, "invalid_field", fld(c, prefix, key),
                       arena_printf(c->a, "%s%s must be a date YYYY-MM-DD", prefix, key),
                       arena_printf(c->a, "%s%s 须为有效日期(YYYY-MM-DD)", prefix, key));
    if (strcmp(*out, pv_today(c)) > 0)
        return jc_fail(c, JC_EUNPROC, "invalid_date", fld(c, prefix, key),
                       arena_printf(c->a, "%s%s lies in the future", prefix, key),
                       arena_printf(c->a, "%s%s 不能晚于今天", prefix, key));
    return JC_OK;
}

/* persons: [{name, citizen_id, relation, sex?, birth_date?, phone?}] */
static int parse_persons(jc_ctx *c, json_t *arr, const char *prefix, pv_person_in **out, int *n)
{
    static const char *const keys[] = {"name",       "citizen_id", "relation", "sex",
                                       "birth_date", "phone",      NULL};
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > 30)
        return jc_fail(c, JC_EINVAL, json_is_array(arr) ? "invalid_field" : "required",
                       fld(c, prefix, "persons"),
                       arena_printf(c->a, "%spersons must list 1–30 persons", prefix),
                       "须列出1–30名人员");
    *n = (int)json_array_size(arr);
    *out = arena_calloc(c->a, sizeof **out * (size_t)*n);
    if (!*out) return JC_ENOMEM;
    for (int i = 0; i < *n; i++) {
        json_t *p = json_array_get(arr, (size_t)i);
        const char *px = arena_printf(c->a, "%spersons[%d].", prefix, i);
        if (!json_is_object(p))
            return jc_fail(c, JC_EINVAL, "invalid_field", arena_printf(c->a, "%spersons", prefix),
                           "every person must be an object", "每名人员须为对象");
        int rc = only_keys(c, p, keys, px);
        if (!rc) rc = opt_text(c, p, "name", px, 50, &(*out)[i].name);
        if (!rc) rc = opt_text(c, p, "citizen_id", px, 18, &(*out)[i].citizen_id);
        if (!rc) rc = opt_text(c, p, "relation", px, 20, &(*out)[i].relation);
        if (!rc) rc = opt_text(c, p, "birth_date", px, 10, &(*out)[i].birth_date);
        if (!rc) rc = opt_text(c, p, "phone", px, 20, &(*out)[i].phone);
        if (rc) return rc;
        json_t *sex = json_object_get(p, "sex");
        if (sex && !json_is_null(sex)) {
            if (!json_is_integer(sex) ||
                (json_integer_value(sex) != 1 && json_integer_value(sex) != 2))
                return jc_fail(c, JC_EINVAL, "invalid_field", fld(c, px, "sex"),
                               arena_printf(c->a, "%ssex must be 1 (male) or 2 (female)", px),
                               "性别须为 1(男)或 2(女)");
            (*out)[i].sex = json_integer_value(sex);
        }
    }
    return JC_OK;
}

static json_t *persons_json(const pv_person_in *ps, int n)
{
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:s}", "name", ps[i].name, "citizen_id",
                              ps[i].citizen_id, "relation", ps[i].relation, "sex",
                              (json_int_t)ps[i].sex, "birth_date", ps[i].birth_date);
        if (o && ps[i].phone && *ps[i].phone)
            json_object_set_new(o, "phone", json_string(ps[i].phone));
        json_array_append_new(arr, o);
    }
    return arr;
}

static const char *const leave_reasons[][3] = {
    {"deceased", "死亡", "died"},
    {"married_out", "婚出", "married out"},
    {"moved_out", "迁出", "moved away"},
    {"other", "其他", "other"},
};

static const char *leave_reason_zh(const char *code)
{
    for (size_t i = 0; i < JC_NELEM(leave_reasons); i++)
        if (strcmp(leave_reasons[i][0], code) == 0) return leave_reasons[i][1];
    return NULL;
}

/* What a checked change will do. */
typedef struct plan {
    json_t *payload; /* normalised */
    const char *area;
    int64_t n_households, n_persons;
    /* new */
    pv_household_in hh;
    const char *status, *kind;
    /* new, missed */
    pv_person_in *persons;
    int npersons;
    int64_t *existing;
    /* decrease */
    int64_t *leave_ids;
    const char **leave_reason, **leave_on;
    int nleave;
    int64_t new_head_id;
    /* wrong_exit */
    const char *target, *target_kind;
} plan;

/* Checks a change request against the registry as it is now (on create, edit and apply). */
static int plan_change(jc_ctx *c, int type, int64_t household_id, json_t *payload, plan *p)
{
    memset(p, 0, sizeof *p);
    int rc;
    if (!json_is_object(payload))
        return jc_fail(c, JC_EINVAL, "invalid_field", "payload", "payload must be an object",
                       "payload 须为对象");
    pv_household h = {0};
    if (type != PV_CH_NEW) {
        if (!household_id)
            return jc_fail(c, JC_EINVAL, "required", "household_id",
                           "household_id is required for this type of change",
                           "该类变更须指明所涉及的户");
        if ((rc = pv_household_read(c, household_id, &h))) {
            if (rc == JC_ENOTFOUND) c->err.field = "household_id";
            return rc;
        }
        p->area = h.area_code;
        p->n_households = 1;
    } else if (household_id) {
        return jc_fail(c, JC_EINVAL, "invalid_field", "household_id",
                       "a newly identified household has no household_id yet",
                       "新识别的户尚无户编号,请勿填写 household_id");
    }
    switch (type) {
    case PV_CH_NEW: {
        static const char *const keys[] = {"household", "persons", "status", "kind", NULL};
        static const char *const hkeys[] = {"area",  "household_no", "address",
                                            "phone", "tags",         NULL};
        if ((rc = only_keys(c, payload, keys, "payload."))) return rc;
        json_t *hj = json_object_get(payload, "household");
        if (!json_is_object(hj))
            return jc_fail(c, JC_EINVAL, "required", "payload.household",
                           "payload.household {area, address, …} is required",
                           "请填写新识别户的基本信息");
        if ((rc = only_keys(c, hj, hkeys, "payload.household."))) return rc;
        if ((rc = opt_text(c, hj, "area", "payload.household.", 15, &p->hh.area_code)) ||
            (rc = opt_text(c, hj, "household_no", "payload.household.", 40, &p->hh.household_no)) ||
            (rc = opt_text(c, hj, "address", "payload.household.", 200, &p->hh.address)) ||
            (rc = opt_text(c, hj, "phone", "payload.household.", 20, &p->hh.phone)))
            return rc;
        if (!p->hh.area_code)
            return jc_fail(c, JC_EINVAL, "required", "payload.household.area",
                           "payload.household.area is required", "请选择新识别户所属行政村");
        if ((rc = pv_check_area(c, p->hh.area_code, "payload.household.area"))) return rc;
        if (p->hh.phone && *p->hh.phone) {
            char norm[12];
            if (!mobile_valid(p->hh.phone, norm))
                return jc_fail(c, JC_EINVAL, "invalid_field", "payload.household.phone",
                               "payload.household.phone must be a mobile number",
                               "联系电话须为11位手机号码");
            p->hh.phone = arena_strdup(c->a, norm);
        }
        json_t *tags = json_object_get(hj, "tags");
        if (tags && !json_is_array(tags))
            return jc_fail(c, JC_EINVAL, "invalid_field", "payload.household.tags",
                           "payload.household.tags must be a list", "标签须为列表");
        p->hh.ntags = (int)json_array_size(tags);
        p->hh.tags = arena_alloc(c->a, sizeof(char *) * (size_t)(p->hh.ntags + 1));
        if (!p->hh.tags) return JC_ENOMEM;
        for (int i = 0; i < p->hh.ntags; i++) {
            json_t *t = json_array_get(tags, (size_t)i);
            if (!json_is_string(t))
                return jc_fail(c, JC_EINVAL, "invalid_field", "payload.household.tags",
                               "every tag must be a text", "标签须为文字");
            p->hh.tags[i] = json_string_value(t);
        }
        if ((rc = pv_check_tags(c, p->hh.tags, p->hh.ntags))) {
            c->err.field = "payload.household.tags";
            return rc;
        }
        if ((rc = opt_text(c, payload, "status", "payload.", 20, &p->status)) ||
            (rc = opt_text(c, payload, "kind", "payload.", 20, &p->kind)))
            return rc;
        if (!p->status) p->status = "monitored";
        if (strcmp(p->status, "poor") != 0 && strcmp(p->status, "monitored") != 0) {
            jc_fail_extra(c, "allowed", json_pack("[s, s]", "poor", "monitored"));
            return jc_fail(c, JC_EINVAL, "invalid_field", "payload.status",
                           "a newly identified household becomes poor or monitored",
                           "新识别户的状态须为贫困户或监测户");
        }
        if ((rc = pv_check_status_kind(c, p->status, &p->kind, NULL))) {
            c->err.field = c->err.field && strcmp(c->err.field, "kind") == 0 ? "payload.kind"
                                                                             : "payload.status";
            return rc;
        }
        if ((rc = parse_persons(c, json_object_get(payload, "persons"), "payload.", &p->persons,
                                &p->npersons)))
            return rc;
        p->existing = arena_calloc(c->a, sizeof(int64_t) * (size_t)(p->npersons + 1));
        if (!p->existing) return JC_ENOMEM;
        if ((rc = pv_check_persons(c, p->persons, p->npersons, false, p->existing,
                                   "payload.persons")))
            return rc;
        bool head = false;
        for (int i = 0; i < p->npersons; i++) head |= strcmp(p->persons[i].relation, "户主") == 0;
        if (!head)
            return jc_fail(c, JC_EUNPROC, "head_required", "payload.persons",
                           "a newly identified household needs its head (户主) among the persons",
                           "新识别户须登记户主");
        p->area = p->hh.area_code;
        p->n_households = 1;
        p->n_persons = p->npersons;
        json_t *hout = json_pack("{s:s, s:s, s:o}", "area", p->hh.area_code, "address",
                                 p->hh.address ? p->hh.address : "", "tags",
                                 tags ? json_deep_copy(tags) : json_array());
        if (p->hh.household_no && *p->hh.household_no)
            json_object_set_new(hout, "household_no", json_string(p->hh.household_no));
        if (p->hh.phone && *p->hh.phone)
            json_object_set_new(hout, "phone", json_string(p->hh.phone));
        p->payload = jc_own(c, json_pack("{s:o, s:o, s:s, s:s}", "household", hout, "persons",
                                         persons_json(p->persons, p->npersons), "status", p->status,
                                         "kind", p->kind));
        return JC_OK;
    }
    case PV_CH_DECREASE: {
        static const char *const keys[] = {"persons", "new_head_id", NULL};
        /* name: written back for the record; ignored when given */
        static const char *const pkeys[] = {"person_id", "reason", "date", "name", NULL};
        if ((rc = only_keys(c, payload, keys, "payload."))) return rc;
        json_t *arr = json_object_get(payload, "persons");
        if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > 30)
            return jc_fail(c, JC_EINVAL, "required", "payload.persons",
                           "payload.persons must list 1–30 members who left",
                           "请列出减少的人员(1–30人)");
        p->nleave = (int)json_array_size(arr);
        p->leave_ids = arena_calloc(c->a, sizeof(int64_t) * (size_t)p->nleave);
        p->leave_reason = arena_calloc(c->a, sizeof(char *) * (size_t)p->nleave);
        p->leave_on = arena_calloc(c->a, sizeof(char *) * (size_t)p->nleave);
        if (!p->leave_ids || !p->leave_reason || !p->leave_on) return JC_ENOMEM;
        json_t *out = json_array();
        jc_own(c, out);
        bool head_leaves = false;
        for (int i = 0; i < p->nleave; i++) {
            json_t *e = json_array_get(arr, (size_t)i);
            const char *px = arena_printf(c->a, "payload.persons[%d].", i);
            if (!json_is_object(e))
                return jc_fail(c, JC_EINVAL, "invalid_field", "payload.persons",
                               "every entry must be an object", "每一项须为对象");
            if ((rc = only_keys(c, e, pkeys, px))) return rc;
            if ((rc = req_int(c, e, "person_id", px, &p->leave_ids[i]))) return rc;
            if ((rc = opt_text(c, e, "reason", px, 20, &p->leave_reason[i]))) return rc;
            if (!p->leave_reason[i] || !leave_reason_zh(p->leave_reason[i])) {
                jc_fail_extra(
                    c, "allowed",
                    json_pack("[s, s, s, s]", "deceased", "married_out", "moved_out", "other"));
                return jc_fail(c, JC_EINVAL, p->leave_reason[i] ? "invalid_field" : "required",
                               fld(c, px, "reason"),
                               "reason must be deceased, married_out, moved_out or other",
                               "减少原因须为 deceased(死亡)、married_out(婚出)、moved_out(迁出)或"
                               " other(其他)");
            }
            if ((rc = date_member(c, e, "date", px, true, &p->leave_on[i]))) return rc;
            for (int k = 0; k < i; k++)
                if (p->leave_ids[k] == p->leave_ids[i])
                    return jc_fail(c, JC_EINVAL, "invalid_field", fld(c, px, "person_id"),
                                   "the same person is listed twice", "同一人员重复列出");
            pv_person pp;
            rc = db_pv_person_get(c, p->leave_ids[i], &pp);
            if (rc == JC_ENOTFOUND ||
                (!rc && (pp.household_id != household_id || strcmp(pp.state, "alive") != 0))) {
                c->err = (jc_err){0};
                return jc_fail(
                    c, JC_EUNPROC, "not_a_member", fld(c, px, "person_id"),
                    arena_printf(c->a,
                                 "person %lld is not a current member of "
                                 "household %lld",
                                 (long long)p->leave_ids[i], (long long)household_id),
                    arena_printf(c->a, "人员 %lld 不是该户现有成员", (long long)p->leave_ids[i]));
            }
            if (rc) return rc;
            if (strcmp(pp.relation, "户主") == 0) head_leaves = true;
            json_array_append_new(out, json_pack("{s:I, s:s, s:s, s:s}", "person_id",
                                                 (json_int_t)pp.id, "name", pp.name, "reason",
                                                 p->leave_reason[i], "date", p->leave_on[i]));
        }
        json_t *nh = json_object_get(payload, "new_head_id");
        if (nh && !json_is_null(nh)) {
            if ((rc = req_int(c, payload, "new_head_id", "payload.", &p->new_head_id))) return rc;
            pv_person pp;
            bool leaving = false;
            for (int i = 0; i < p->nleave; i++) leaving |= p->leave_ids[i] == p->new_head_id;
            rc = db_pv_person_get(c, p->new_head_id, &pp);
            if (rc == JC_ENOTFOUND || leaving ||
                (!rc && (pp.household_id != household_id || strcmp(pp.state, "alive") != 0))) {
                c->err = (jc_err){0};
                return jc_fail(c, JC_EUNPROC, "not_a_member", "payload.new_head_id",
                               "the new head must be a member who stays",
                               "新户主须为留在该户的成员");
            }
            if (rc) return rc;
            if (!head_leaves)
                return jc_fail(c, JC_EUNPROC, "invalid_field", "payload.new_head_id",
                               "the head does not leave: no new head is needed",
                               "户主未减少,无需指定新户主");
        }
        p->n_persons = p->nleave;
        p->payload = jc_own(c, json_pack("{s:O}", "persons", out));
        if (p->new_head_id)
            json_object_set_new(p->payload, "new_head_id", json_integer(p->new_head_id));
        return JC_OK;
    }
    case PV_CH_MISSED: {
        static const char *const keys[] = {"persons", NULL};
        if ((rc = only_keys(c, payload, keys, "payload."))) return rc;
        if ((rc = parse_persons(c, json_object_get(payload, "persons"), "payload.", &p->persons,
                                &p->npersons)))
            return rc;
        p->existing = arena_calloc(c->a, sizeof(int64_t) * (size_t)(p->npersons + 1));
        if (!p->existing) return JC_ENOMEM;
        if ((rc = pv_check_persons(c, p->persons, p->npersons, h.head_name != NULL, p->existing,
                                   "payload.persons")))
            return rc;
        p->n_persons = p->npersons;
        p->payload =
            jc_own(c, json_pack("{s:o}", "persons", persons_json(p->persons, p->npersons)));
        return JC_OK;
    }
    case PV_CH_WRONG_ASSESS: {
        /* from_status/from_kind: written back for the record; ignored when given */
        static const char *const keys[] = {"from_status", "from_kind", NULL};
        if ((rc = only_keys(c, payload, keys, "payload."))) return rc;
        if (strcmp(h.status, "none") == 0)
            return jc_fail(c, JC_ECONFLICT, "invalid_transition", "household_id",
                           "the household has no poverty status to remove",
                           "该户未被识别为贫困户或监测户,无需纠正错评");
        p->n_persons = h.members;
        p->payload = jc_own(
            c, json_pack("{s:s, s:s}", "from_status", h.status, "from_kind", h.kind ? h.kind : ""));
        return JC_OK;
    }
    case PV_CH_WRONG_EXIT: {
        static const char *const keys[] = {"status", "kind", "from_status", "from_kind", NULL};
        if ((rc = only_keys(c, payload, keys, "payload."))) return rc;
        if (strcmp(h.status, "exited") != 0 && strcmp(h.status, "stable") != 0)
            return jc_fail(c, JC_ECONFLICT, "invalid_transition", "household_id",
                           arena_printf(c->a,
                                        "the household is %s: only an exit (exited, stable) can "
                                        "be rolled back",
                                        h.status),
                           arena_printf(c->a, "该户为「%s」,只有已脱贫或稳定脱贫的标注可以回退",
                                        pv_status_zh(h.status)));
        if ((rc = opt_text(c, payload, "status", "payload.", 20, &p->target)) ||
            (rc = opt_text(c, payload, "kind", "payload.", 20, &p->target_kind)))
            return rc;
        if (!p->target) {
            /* back to where the household stood before the exit was marked */
            if ((rc = db_pv_status_before_last(c, h.id, &p->target, &p->target_kind))) return rc;
            if (!p->target || !*p->target || strcmp(p->target, h.status) == 0) {
                p->target = strcmp(h.status, "stable") == 0 ? "exited" : "poor";
                p->target_kind = strcmp(p->target, "poor") == 0 ? "general" : "";
            }
        }
        if (strcmp(p->target, "poor") != 0 && strcmp(p->target, "exited") != 0 &&
            strcmp(p->target, "returned") != 0 && strcmp(p->target, "monitored") != 0) {
            jc_fail_extra(c, "allowed",
                          json_pack("[s, s, s, s]", "poor", "exited", "returned", "monitored"));
            return jc_fail(c, JC_EINVAL, "invalid_field", "payload.status",
                           "a rolled-back exit returns to poor, exited, returned or monitored",
                           "回退后的状态须为贫困户、已脱贫、返贫或监测户");
        }
        if (strcmp(p->target, h.status) == 0)
            return jc_fail(c, JC_EINVAL, "invalid_field", "payload.status",
                           "the household already has that status", "该户已是该状态");
        if ((rc = pv_check_status_kind(c, p->target, &p->target_kind, NULL))) {
            c->err.field = "payload.kind";
            return rc;
        }
        p->n_persons = h.members;
        p->payload =
            jc_own(c, json_pack("{s:s, s:s, s:s, s:s}", "status", p->target, "kind", p->target_kind,
                                "from_status", h.status, "from_kind", h.kind ? h.kind : ""));
        return JC_OK;
    }
    }
    return JC_EINTERNAL;
}

/* ---- change requests: records ---- */

int pv_change_read(jc_ctx *c, int64_t id, pv_change *ch)
{
    int rc = db_pv_change_get(c, id, ch);
    if (rc) return rc;
    return area_check(c, ch->area_code, NULL);
}

/* Masks citizen IDs and phones inside a payload for roles that may not see them. */
static json_t *masked(jc_ctx *c, json_t *v, bool pii)
{
    if (pii || !v) return v;
    json_t *copy = jc_own(c, json_deep_copy(v));
    json_t *persons = json_object_get(copy, "persons"), *p;
    size_t i;
    json_array_foreach(persons, i, p)
    {
        char m[32];
        const char *cid = json_string_value(json_object_get(p, "citizen_id"));
        if (cid) {
            mask_citizen_id(cid, m);
            json_object_set_new(p, "citizen_id", json_string(m));
        }
        const char *ph = json_string_value(json_object_get(p, "phone"));
        if (ph) {
            mask_phone(ph, m);
            json_object_set_new(p, "phone", json_string(m));
        }
    }
    json_t *hh = json_object_get(copy, "household");
    const char *ph = json_string_value(json_object_get(hh, "phone"));
    if (ph) {
        char m[32];
        mask_phone(ph, m);
        json_object_set_new(hh, "phone", json_string(m));
    }
    return copy;
}

static void set_time_or_null(json_t *o, const char *key, int64_t t)
{
    if (!t) {
        json_object_set_new(o, key, json_null());
        return;
    }
    char ts[32];
    jc_time_local(t, ts);
    json_object_set_new(o, key, json_string(ts));
}

static void set_id_or_null(json_t *o, const char *key, int64_t id)
{
    json_object_set_new(o, key, id ? json_integer(id) : json_null());
}

json_t *pv_change_json(jc_ctx *c, const pv_change *ch, bool detail)
{
    int t = pv_change_type_from_code(ch->type);
    const wf_state *s = wf_state_find(&pv_change_wf, ch->state);
    bool pii = pv_pii(c);
    bool applied = strcmp(ch->state, "applied") == 0;
    json_t *o = json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s?, s:O, s:I, "
        "s:{s:b, s:b, s:b}}",
        "id", (json_int_t)ch->id, "area", ch->area_code, "area_name",
        ch->area_name ? ch->area_name : "", "type", ch->type, "type_zh",
        t < PV_CH__MAX ? pv_change_types[t].zh : ch->type, "type_en",
        t < PV_CH__MAX ? pv_change_types[t].en : ch->type, "state", ch->state, "state_zh",
        s ? s->zh : ch->state, "evidence", ch->evidence ? ch->evidence : "", "description",
        ch->description ? ch->description : "", "effective_date",
        ch->effective_date ? ch->effective_date : "", "households", (json_int_t)ch->n_households,
        "persons", (json_int_t)ch->n_persons, "reject_reason", ch->reject_reason, "payload",
        masked(c, ch->payload, pii), "version", (json_int_t)ch->version, "marks", "rectified",
        applied, "entered", applied, "flagged", applied);
    if (!o) return NULL;
    set_id_or_null(o, "review_id", ch->review_id);
    set_id_or_null(o, "household_id", ch->household_id);
    set_time_or_null(o, "created_at", ch->created_at);
    set_time_or_null(o, "submitted_at", ch->submitted_at);
    set_time_or_null(o, "approved_at", ch->approved_at);
    set_time_or_null(o, "applied_at", ch->applied_at);
    set_time_or_null(o, "updated_at", ch->updated_at);
    set_id_or_null(o, "created_by", ch->created_by);
    set_id_or_null(o, "submitted_by", ch->submitted_by);
    set_id_or_null(o, "approved_by", ch->approved_by);
    json_object_set_new(o, "state_en", json_string(s ? s->en : ch->state));
    pv_household h;
    if (ch->household_id && db_pv_household_get(c, ch->household_id, &h) == JC_OK)
        json_object_set_new(o, "head_name", h.head_name ? json_string(h.head_name) : json_null());
    else
        json_object_set_new(o, "head_name", json_null());
    c->err = (jc_err){0};
    if (detail) {
        json_t *items, *notices;
        json_object_set(o, "actions", wf_allowed(c, &pv_change_wf, ch->state, false));
        if (db_pv_change_items(c, ch->id, pii, &items) == JC_OK)
            json_object_set(o, "items", items);
        else
            json_object_set_new(o, "items", json_array());
        if (db_pv_notices_json(c, 0, ch->id, &notices) == JC_OK)
            json_object_set(o, "notices", notices);
        else
            json_object_set_new(o, "notices", json_array());
        c->err = (jc_err){0};
    }
    return jc_own(c, o);
}

static json_t *change_audit(jc_ctx *c, const pv_change *ch)
{
    return jc_own(c,
                  json_pack("{s:s, s:s, s:I, s:I, s:O, s:I, s:I, s:s}", "type", ch->type, "state",
                            ch->state, "review_id", (json_int_t)ch->review_id, "household_id",
                            (json_int_t)ch->household_id, "payload", ch->payload, "households",
                            (json_int_t)ch->n_households, "persons", (json_int_t)ch->n_persons,
                            "evidence", ch->evidence ? ch->evidence : ""));
}

/* A finding of a campaign marks its household checked (if it was not yet). */
static int mark_checked(jc_ctx *c, int64_t review_id, int64_t household_id)
{
    const char *area;
    int64_t checked_at, version;
    int rc = db_pv_review_check_get(c, review_id, household_id, &area, &checked_at, &version);
    if (rc == JC_ENOTFOUND) {
        c->err = (jc_err){0};
        return JC_OK; /* a household outside the set: a finding all the same */
    }
    if (rc || checked_at) return rc;
    return db_pv_review_check_set(c, review_id, household_id, "finding", "记录发现问题", version);
}

int pv_change_create(jc_ctx *c, const pv_change_in *in, int64_t *id)
{
    int rc = pv_need_writer(c);
    if (rc) return rc;
    int type = pv_change_type_from_code(in->type);
    if (type == PV_CH__MAX) {
        json_t *allowed = json_array();
        for (int i = 0; i < PV_CH__MAX; i++)
            json_array_append_new(allowed, json_string(pv_change_types[i].code));
        jc_fail_extra(c, "allowed", allowed);
        return jc_fail(c, JC_EINVAL, "invalid_field", "type",
                       "type must be new, decrease, missed, wrong_assess or wrong_exit",
                       "类型须为 new(新识别)、decrease(人口自然减少)、missed(漏登)、"
                       "wrong_assess(错评)或 wrong_exit(错退)");
    }
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    pv_review r;
    plan p;
    if (in->review_id && (rc = review_open(c, in->review_id, &r))) {
        if (rc == JC_ENOTFOUND) c->err.field = "review_id";
        goto fail;
    }
    if ((rc =
             plan_change(c, type, in->household_id, in->payload ? in->payload : json_object(), &p)))
        goto fail;
    if (in->review_id && !area_code_within(p.area, r.area_code)) {
        rc = jc_fail(c, JC_EUNPROC, "outside_review", "household_id",
                     "the household lies outside the campaign's area", "该户不在本次排查范围内");
        goto fail;
    }
    pv_change ch = {0};
    ch.review_id = in->review_id;
    ch.household_id = in->household_id;
    ch.area_code = p.area;
    ch.type = pv_change_types[type].code;
    ch.state = pv_change_wf.initial;
    ch.payload = p.payload;
    ch.evidence = in->evidence;
    ch.description = in->description;
    ch.effective_date = in->effective_date;
    ch.n_households = p.n_households;
    ch.n_persons = p.n_persons;
    if ((rc = db_pv_change_insert(c, &ch, id))) goto fail;
    ch.id = *id;
    if (in->review_id && in->household_id &&
        (rc = mark_checked(c, in->review_id, in->household_id)))
        goto fail;
    if ((rc = audit_append_id(c, "create", "pv_change", *id, ch.area_code, NULL,
                              change_audit(c, &ch), in->description)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

int pv_change_edit(jc_ctx *c, int64_t id, int64_t version, const pv_change_in *in)
{
    int rc = pv_need_writer(c);
    if (rc) return rc;
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    pv_change ch;
    if ((rc = pv_change_read(c, id, &ch))) goto fail;
    if ((rc = pv_check_stale(c, ch.version, version, "change request", "变更申请"))) goto fail;
    if (strcmp(ch.state, "draft") != 0) {
        rc = jc_fail(c, JC_ECONFLICT, "closed", NULL,
                     "only a draft change request can be edited (withdraw it first)",
                     "只有草稿状态的变更申请可以修改(已提交的请先撤回)");
        goto fail;
    }
    json_t *before = change_audit(c, &ch);
    if (in->payload) {
        plan p;
        if ((rc = plan_change(c, pv_change_type_from_code(ch.type), ch.household_id, in->payload,
                              &p)))
            goto fail;
        ch.payload = p.payload;
        ch.area_code = p.area;
        ch.n_households = p.n_households;
        ch.n_persons = p.n_persons;
    }
    if (in->evidence) ch.evidence = in->evidence;
    if (in->description) ch.description = in->description;
    if (in->effective_date) {
        ch.effective_date = in->effective_date;
    }
    if ((rc = db_pv_change_update(c, &ch, version))) goto fail;
    if ((rc = audit_append_id(c, "update", "pv_change", id, ch.area_code, before,
                              change_audit(c, &ch), NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

/* ---- applying: the registry changes in the caller's transaction ---- */

static int audit_household(jc_ctx *c, int64_t household_id, json_t *before, const pv_change *ch)
{
    pv_household h;
    int rc = db_pv_household_get(c, household_id, &h);
    if (rc) return rc;
    const char *why = arena_printf(
        c->a, "%s(变更申请 %lld)%s%s", pv_change_types[pv_change_type_from_code(ch->type)].zh,
        (long long)ch->id, ch->description && *ch->description ? ":" : "",
        ch->description ? ch->description : "");
    return audit_append_id(c, before ? "correct" : "create", "pv_household", household_id,
                           h.area_code, before, pv_household_audit(c, &h), why);
}

static int collect_member(jc_ctx *c, const pv_person *p, void *arg)
{
    (void)c;
    struct {
        int64_t ids[200];
        int n;
    } *col = arg;
    if (col->n < 200) col->ids[col->n++] = p->id;
    return JC_OK;
}

static int member_items(jc_ctx *c, int64_t change_id, int64_t household_id, const char *what,
                        int64_t *n)
{
    struct {
        int64_t ids[200];
        int n;
    } *col = arena_calloc(c->a, sizeof *col);
    if (!col) return JC_ENOMEM;
    int rc = db_pv_members(c, household_id, collect_member, col);
    if (rc) return rc;
    if ((rc = db_pv_change_item_add(c, change_id, household_id, 0, "household"))) return rc;
    for (int i = 0; i < col->n; i++)
        if ((rc = db_pv_change_item_add(c, change_id, household_id, col->ids[i], what))) return rc;
    *n = col->n;
    return JC_OK;
}

static int apply_change(jc_ctx *c, pv_change *ch)
{
    int type = pv_change_type_from_code(ch->type);
    plan p;
    int rc = plan_change(c, type, ch->household_id, ch->payload, &p);
    if (rc) return rc;
    const char *date = ch->effective_date && *ch->effective_date ? ch->effective_date : pv_today(c);
    const char *reason =
        arena_printf(c->a, "%s(变更申请 %lld)", pv_change_types[type].zh, (long long)ch->id);
    switch (type) {
    case PV_CH_NEW: {
        int64_t notice_id;
        if ((rc = pv_check_effective(c, date, NULL))) return rc;
        if ((rc = pv_notice_ready(c, 0, ch->id, p.status, date, &notice_id))) return rc;
        pv_household h = {0};
        h.area_code = p.hh.area_code;
        h.household_no = p.hh.household_no;
        h.address = p.hh.address;
        h.phone = p.hh.phone;
        h.status = p.status;
        h.kind = p.kind;
        h.status_since = date;
        if ((rc = db_pv_household_insert(c, &h, &h.id))) return rc;
        pv_status_row sr = {.household_id = h.id,
                            .status = p.status,
                            .kind = p.kind,
                            .effective_date = date,
                            .reason = reason,
                            .change_id = ch->id,
                            .notice_id = notice_id};
        if ((rc = db_pv_status_append(c, &sr, NULL))) return rc;
        if (notice_id && (rc = db_pv_notice_set_outcome(c, notice_id, "used", h.id))) return rc;
        for (int i = 0; i < p.hh.ntags; i++)
            if ((rc = db_pv_tag_add(c, h.id, p.hh.tags[i]))) return rc;
        if ((rc = db_pv_change_item_add(c, ch->id, h.id, 0, "household"))) return rc;
        for (int i = 0; i < p.npersons; i++) {
            int64_t pid;
            if ((rc = pv_put_member(c, &h, &p.persons[i], p.existing[i], date, reason, ch->id,
                                    &pid)))
                return rc;
            if ((rc = db_pv_change_item_add(c, ch->id, h.id, pid, "added"))) return rc;
        }
        ch->household_id = h.id;
        ch->n_persons = p.npersons;
        return audit_household(c, h.id, NULL, ch);
    }
    case PV_CH_DECREASE: {
        pv_household h;
        if ((rc = pv_check_effective(c, date, NULL))) return rc;
        if ((rc = db_pv_household_get(c, ch->household_id, &h))) return rc;
        json_t *before = pv_household_audit(c, &h);
        for (int i = 0; i < p.nleave; i++) {
            pv_person pp;
            if ((rc = db_pv_person_get(c, p.leave_ids[i], &pp))) return rc;
            json_t *pb = pv_person_audit(c, &pp);
            int64_t v = pp.version;
            const char *why = leave_reason_zh(p.leave_reason[i]);
            pp.household_id = 0;
            pp.relation = "";
            pp.state = strcmp(p.leave_reason[i], "deceased") == 0 ? "deceased" : "moved";
            pp.left_reason = why;
            pp.left_on = p.leave_on[i];
            if ((rc = db_pv_member_leave(c, pp.id, p.leave_on[i], why))) return rc;
            if ((rc = db_pv_person_update(c, &pp, v))) return rc;
            if ((rc = db_pv_change_item_add(c, ch->id, h.id, pp.id, p.leave_reason[i]))) return rc;
            if ((rc = audit_append_id(c, "leave", "pv_person", pp.id, h.area_code, pb,
                                      pv_person_audit(c, &pp), reason)))
                return rc;
        }
        if (p.new_head_id) {
            pv_person pp;
            if ((rc = db_pv_person_get(c, p.new_head_id, &pp))) return rc;
            int64_t v = pp.version;
            pp.relation = "户主";
            if ((rc = db_pv_member_leave(c, pp.id, date, "关系变更"))) return rc;
            if ((rc = db_pv_person_update(c, &pp, v))) return rc;
            if ((rc = db_pv_member_join(c, pp.id, h.id, "户主", date, "关系变更", ch->id)))
                return rc;
            if ((rc = db_pv_change_item_add(c, ch->id, h.id, pp.id, "new_head"))) return rc;
        }
        if ((rc = db_pv_household_touch(c, h.id))) return rc;
        ch->n_persons = p.nleave;
        return audit_household(c, h.id, before, ch);
    }
    case PV_CH_MISSED: {
        pv_household h;
        if ((rc = pv_check_effective(c, date, NULL))) return rc;
        if ((rc = db_pv_household_get(c, ch->household_id, &h))) return rc;
        json_t *before = pv_household_audit(c, &h);
        for (int i = 0; i < p.npersons; i++) {
            int64_t pid;
            if ((rc = pv_put_member(c, &h, &p.persons[i], p.existing[i], date, reason, ch->id,
                                    &pid)))
                return rc;
            if ((rc = db_pv_change_item_add(c, ch->id, h.id, pid, "added"))) return rc;
        }
        if ((rc = db_pv_household_touch(c, h.id))) return rc;
        ch->n_persons = p.npersons;
        return audit_household(c, h.id, before, ch);
    }
    case PV_CH_WRONG_ASSESS:
    case PV_CH_WRONG_EXIT: {
        pv_household h;
        const char *last;
        if ((rc = db_pv_household_get(c, ch->household_id, &h))) return rc;
        if ((rc = db_pv_status_last_date(c, h.id, &last))) return rc;
        if ((rc = pv_check_effective(c, date, last))) return rc;
        json_t *before = pv_household_audit(c, &h);
        const char *to = type == PV_CH_WRONG_ASSESS ? "none" : p.target;
        const char *kind = type == PV_CH_WRONG_ASSESS ? "" : p.target_kind;
        if ((rc = pv_status_write(c, &h, to, kind, date, reason, ch->id, 0))) return rc;
        /* wrongly assessed: the household was never 建档立卡 either */
        if (type == PV_CH_WRONG_ASSESS && (rc = db_pv_tag_remove(c, h.id, PV_TAG_REGISTERED)))
            return rc;
        if ((rc = member_items(c, ch->id, h.id, "member", &ch->n_persons))) return rc;
        return audit_household(c, h.id, before, ch);
    }
    }
    return JC_EINTERNAL;
}

int pv_change_transition(jc_ctx *c, int64_t id, int64_t version, const char *action,
                         const char *reason)
{
    int rc = store_begin(c->db);
    if (rc) return jc_fail_db(c, rc);
    pv_change ch;
    const wf_transition *tr;
    if ((rc = pv_change_read(c, id, &ch))) goto fail;
    if ((rc = pv_check_stale(c, ch.version, version, "change request", "变更申请"))) goto fail;
    if ((rc = wf_check(c, &pv_change_wf, ch.state, action, false, &tr))) goto fail;
    wf_input in = {NULL, reason, NULL, NULL};
    if ((rc = wf_check_inputs(c, tr, &in))) goto fail;
    if (strcmp(action, "approve") == 0 && c->user && !c->user->system &&
        ch.submitted_by == c->user->id) {
        rc = jc_fail(c, JC_EPERM, "self_approval", "action",
                     "a change request is approved by someone other than who submitted it",
                     "变更申请须由提交人以外的人员审核");
        goto fail;
    }
    json_t *before = change_audit(c, &ch);
    ch.state = tr->to;
    int64_t uid = c->user && !c->user->system ? c->user->id : 0;
    if (strcmp(action, "submit") == 0) {
        ch.submitted_by = uid;
        ch.submitted_at = c->now;
    } else if (strcmp(action, "approve") == 0) {
        ch.approved_by = uid;
        ch.approved_at = c->now;
    } else if (strcmp(action, "withdraw") == 0) {
        ch.submitted_at = 0;
        ch.submitted_by = 0;
    } else if (strcmp(tr->to, "rejected") == 0) {
        ch.reject_reason = reason;
    } else if (strcmp(action, "apply") == 0) {
        if ((rc = apply_change(c, &ch))) goto fail;
        ch.applied_by = uid;
        ch.applied_at = c->now;
    }
    if ((rc = db_pv_change_update(c, &ch, version))) goto fail;
    if ((rc = audit_append_id(c, action, "pv_change", id, ch.area_code, before,
                              change_audit(c, &ch), reason)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
fail:
    store_rollback(c->db);
    return rc;
}

struct findings_arg {
    json_t *arr;
};

static int add_finding(jc_ctx *c, const pv_change *ch, void *arg)
{
    struct findings_arg *a = arg;
    json_array_append(a->arr, pv_change_json(c, ch, false));
    return JC_OK;
}

int pv_household_findings(jc_ctx *c, int64_t household_id, json_t **out)
{
    pv_change_filter f = {
        .lo = "", .hi = "~", .covered = true, .household_id = household_id, .limit = 100};
    struct findings_arg a = {jc_own(c, json_array())};
    int64_t total;
    int rc = db_pv_change_list(c, &f, add_finding, &a, &total);
    if (rc) return rc;
    *out = a.arr;
    return JC_OK;
}
