/* poverty_review_api.c — HTTP handlers of 回头看 campaigns and change requests. */
#include "poverty_api.h"

#include <string.h>

/* A JSON array of positive user ids. */
static int id_list(jc_ctx *c, json_t *v, const char *field, int64_t **out, int *n)
{
    *out = NULL;
    *n = 0;
    if (!v) return JC_OK;
    if (!json_is_array(v) || json_array_size(v) > 50)
        return jc_fail(c, JC_EINVAL, "invalid_field", field,
                       arena_printf(c->a, "%s must be a list of at most 50 user ids", field),
                       "排查人员须为不超过50个账号编号的列表");
    *n = (int)json_array_size(v);
    *out = arena_alloc(c->a, sizeof **out * (size_t)(*n + 1));
    if (!*out) return JC_ENOMEM;
    for (int i = 0; i < *n; i++) {
        json_t *e = json_array_get(v, (size_t)i);
        if (!json_is_integer(e) || json_integer_value(e) < 1)
            return jc_fail(c, JC_EINVAL, "invalid_field", field,
                           arena_printf(c->a, "%s must hold positive user ids", field),
                           "排查人员须为账号编号(正整数)");
        (*out)[i] = json_integer_value(e);
    }
    return JC_OK;
}

static int review_reply(jc_req *r, int status, int64_t id)
{
    pv_review rv;
    int rc = pv_review_read(&r->c, id, &rv);
    if (rc) return rc;
    json_t *o = pv_review_json(&r->c, &rv, true);
    return pva_record(r, status, o, "/api/v1/poverty/reviews/%lld", id);
}

int h_reviews(jc_req *r)
{
    char lo[16], hi[17];
    bool covered;
    int64_t limit, offset, total = 0;
    int rc = pva_scope(r, lo, hi, &covered);
    if (!rc) rc = pva_page(r, &limit, &offset);
    if (rc) return rc;
    json_t *items = jc_own(&r->c, json_array());
    if ((rc = db_pv_review_list(&r->c, lo, hi, covered, limit, offset, items, &total))) return rc;
    return pva_list(r, items, total, limit, offset, NULL);
}

int h_review_create(jc_req *r)
{
    static const field_spec spec[] = {
        {"name", FT_TEXT, FF_REQUIRED, 1, 100, NULL, "排查名称"},
        {"area", FT_AREA, FF_REQUIRED, 0, 0, NULL, "排查范围"},
        {"start_date", FT_DATE, FF_REQUIRED, 0, 0, NULL, "开始日期"},
        {"end_date", FT_DATE, FF_REQUIRED, 0, 0, NULL, "结束日期"},
        {"villages", FT_STRLIST, 0, 0, 200, NULL, "行政村"},
        {"focus", FT_STRLIST, FF_REQUIRED, 0, 2, NULL, "重点关注对象"},
        {"checkers", FT_JSON, 0, 0, 0, NULL, "排查人员"},
        {"note", FT_TEXT, FF_MULTILINE, 0, 2000, NULL, "说明"},
    };
    field_val v[8];
    int rc = input_parse(&r->c, r->json, spec, 8, v, NULL);
    if (rc) return rc;
    pv_review_in in = {0};
    in.name = v[0].s;
    in.area_code = v[1].s;
    in.start_date = v[2].s;
    in.end_date = v[3].s;
    in.villages = v[4].list;
    in.nvillages = v[4].nlist;
    in.focus = v[5].list;
    in.nfocus = v[5].nlist;
    in.note = v[7].s;
    int64_t *checkers;
    if ((rc = id_list(&r->c, v[6].j, "checkers", &checkers, &in.ncheckers))) return rc;
    in.checkers = checkers;
    int64_t id;
    if ((rc = pv_review_create(&r->c, &in, &id))) return rc;
    return review_reply(r, 201, id);
}

int h_review_get(jc_req *r)
{
    int64_t id;
    int rc = req_var_id(r, 0, &id);
    if (rc) return rc;
    return review_reply(r, 200, id);
}

int h_review_update(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    static const field_spec spec[] = {
        {"name", FT_TEXT, 0, 1, 100, NULL, "排查名称"},
        {"end_date", FT_DATE, 0, 0, 0, NULL, "结束日期"},
        {"note", FT_TEXT, FF_MULTILINE, 0, 2000, NULL, "说明"},
        {"checkers", FT_JSON, 0, 0, 0, NULL, "排查人员"},
        {"close", FT_BOOL, 0, 0, 0, NULL, "结束排查"},
    };
    field_val v[5];
    static const char *const also[] = {"version", NULL};
    if ((rc = input_parse(&r->c, r->json, spec, 5, v, also))) return rc;
    if (v[4].present && !v[4].i)
        return jc_fail(&r->c, JC_EINVAL, "invalid_field", "close",
                       "a closed campaign is not reopened", "已结束的排查不能重新打开");
    int64_t *checkers;
    int n;
    if ((rc = id_list(&r->c, v[3].j, "checkers", &checkers, &n))) return rc;
    if ((rc = pv_review_edit(&r->c, id, version, v[0].s, v[1].s, v[2].s, checkers, n, v[3].present,
                             v[4].present && v[4].i)))
        return rc;
    return review_reply(r, 200, id);
}

int h_review_checks(jc_req *r)
{
    int64_t id;
    int rc = req_var_id(r, 0, &id);
    if (rc) return rc;
    pv_review rv;
    if ((rc = pv_review_read(&r->c, id, &rv))) return rc;
    pv_check_filter f = {.review_id = id, .checked = -1};
    if ((rc = pva_page(r, &f.limit, &f.offset))) return rc;
    int64_t checked;
    if ((rc = req_query_int(r, "checked", -1, -1, 1, &checked))) return rc;
    f.checked = (int)checked;
    const char *village = req_query(r, "village");
    if (village && *village) {
        if (area_code_level(village) < AREA_VILLAGE)
            return jc_fail(&r->c, JC_EINVAL, "invalid_parameter", "village",
                           "village must be a village code (12 digits)",
                           "village 须为行政村区划代码(12位)");
        if ((rc = area_check(&r->c, village, "village"))) return rc;
        f.village = village;
    }
    json_t *items = jc_own(&r->c, json_array());
    int64_t total = 0;
    if ((rc = db_pv_review_checks(&r->c, &f, pv_pii(&r->c), items, &total))) return rc;
    return pva_list(r, items, total, f.limit, f.offset, NULL);
}

int h_review_check(jc_req *r)
{
    int64_t id, hid, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = req_var_id(r, 1, &hid);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    static const char *const results[] = {"ok", "finding", NULL};
    static const field_spec spec[] = {
        {"result", FT_ENUM, FF_REQUIRED, 0, 0, results, "排查结果"},
        {"note", FT_TEXT, FF_MULTILINE, 0, 2000, NULL, "排查情况"},
    };
    field_val v[2];
    static const char *const also[] = {"version", NULL};
    if ((rc = input_parse(&r->c, r->json, spec, 2, v, also))) return rc;
    if ((rc = pv_review_check(&r->c, id, hid, v[0].s, v[1].s, version))) return rc;
    pv_check_filter f = {.review_id = id, .checked = 1, .limit = 1};
    (void)f;
    const char *area;
    int64_t checked_at, have;
    if ((rc = db_pv_review_check_get(&r->c, id, hid, &area, &checked_at, &have))) return rc;
    req_etag(r, have);
    return req_json(r, 200,
                    json_pack("{s:I, s:I, s:s, s:s, s:b, s:I}", "review_id", (json_int_t)id,
                              "household_id", (json_int_t)hid, "result", v[0].s, "note",
                              v[1].s ? v[1].s : "", "checked", checked_at != 0, "version",
                              (json_int_t)have));
}

int h_review_summary(jc_req *r)
{
    int64_t id;
    int rc = req_var_id(r, 0, &id);
    if (rc) return rc;
    json_t *out;
    if ((rc = pv_review_summary(&r->c, id, &out))) return rc;
    return req_json(r, 200, json_incref(out));
}

/* ---- change requests ---- */

struct change_arg {
    json_t *items;
};

static int add_change(jc_ctx *c, const pv_change *ch, void *arg)
{
    struct change_arg *a = arg;
    json_array_append(a->items, pv_change_json(c, ch, false));
    return JC_OK;
}

int h_changes(jc_req *r)
{
    pv_change_filter f;
    memset(&f, 0, sizeof f);
    int rc = pva_scope(r, f.lo, f.hi, &f.covered);
    if (!rc) rc = pva_page(r, &f.limit, &f.offset);
    if (!rc) rc = pva_query_id(r, "review", &f.review_id);
    if (!rc) rc = pva_query_id(r, "household", &f.household_id);
    if (rc) return rc;
    const char *type = req_query(r, "type"), *states = req_query(r, "state");
    if (type && *type) {
        if (pv_change_type_from_code(type) == PV_CH__MAX)
            return jc_fail(&r->c, JC_EINVAL, "invalid_parameter", "type",
                           "type must be new, decrease, missed, wrong_assess or wrong_exit",
                           "type 须为 new、decrease、missed、wrong_assess 或 wrong_exit");
        f.type = type;
    }
    for (const char *p = states; p && *p;) {
        size_t n = strcspn(p, ",");
        size_t i;
        for (i = 0; i < pv_change_wf.nstates; i++)
            if (strlen(pv_change_wf.states[i].code) == n &&
                strncmp(pv_change_wf.states[i].code, p, n) == 0)
                break;
        if (i == pv_change_wf.nstates)
            return jc_fail(&r->c, JC_EINVAL, "invalid_parameter", "state",
                           "state must be a comma list of draft, submitted, approved, applied, "
                           "rejected",
                           "state 须为 draft、submitted、approved、applied、rejected(可逗号分隔)");
        f.states |= (int64_t)1 << i;
        p += n + (p[n] == ',');
    }
    struct change_arg a = {jc_own(&r->c, json_array())};
    int64_t total;
    if ((rc = db_pv_change_list(&r->c, &f, add_change, &a, &total))) return rc;
    return pva_list(r, a.items, total, f.limit, f.offset, NULL);
}

static int change_reply(jc_req *r, int status, int64_t id)
{
    pv_change ch;
    int rc = pv_change_read(&r->c, id, &ch);
    if (rc) return rc;
    return pva_record(r, status, pv_change_json(&r->c, &ch, true), "/api/v1/poverty/changes/%lld",
                      id);
}

static const char *const type_codes[] = {"new",          "decrease",   "missed",
                                         "wrong_assess", "wrong_exit", NULL};

int h_change_create(jc_req *r)
{
    static const field_spec spec[] = {
        {"review_id", FT_INT, 0, 1, INT64_MAX, NULL, "回头看排查"},
        {"household_id", FT_INT, 0, 1, INT64_MAX, NULL, "户"},
        {"type", FT_ENUM, FF_REQUIRED, 0, 0, type_codes, "问题类型"},
        {"payload", FT_JSON, 0, 0, 0, NULL, "变更内容"},
        {"evidence", FT_TEXT, FF_MULTILINE, 0, 4000, NULL, "佐证材料"},
        {"description", FT_TEXT, FF_MULTILINE, 0, 2000, NULL, "问题描述"},
        {"effective_date", FT_DATE, 0, 0, 0, NULL, "生效日期"},
    };
    field_val v[7];
    int rc = input_parse(&r->c, r->json, spec, 7, v, NULL);
    if (rc) return rc;
    pv_change_in in = {0};
    in.review_id = v[0].present ? v[0].i : 0;
    in.household_id = v[1].present ? v[1].i : 0;
    in.type = v[2].s;
    in.payload = v[3].j;
    in.evidence = v[4].s;
    in.description = v[5].s;
    in.effective_date = v[6].s;
    int64_t id;
    if ((rc = pv_change_create(&r->c, &in, &id))) return rc;
    return change_reply(r, 201, id);
}

int h_change_get(jc_req *r)
{
    int64_t id;
    int rc = req_var_id(r, 0, &id);
    if (rc) return rc;
    return change_reply(r, 200, id);
}

int h_change_update(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    static const field_spec spec[] = {
        {"payload", FT_JSON, 0, 0, 0, NULL, "变更内容"},
        {"evidence", FT_TEXT, FF_MULTILINE, 0, 4000, NULL, "佐证材料"},
        {"description", FT_TEXT, FF_MULTILINE, 0, 2000, NULL, "问题描述"},
        {"effective_date", FT_DATE, FF_NULLABLE, 0, 0, NULL, "生效日期"},
    };
    field_val v[4];
    static const char *const also[] = {"version", NULL};
    if ((rc = input_parse(&r->c, r->json, spec, 4, v, also))) return rc;
    pv_change_in in = {0};
    in.payload = v[0].j;
    in.evidence = v[1].s;
    in.description = v[2].s;
    in.effective_date = v[3].present ? (v[3].null ? "" : v[3].s) : NULL;
    if ((rc = pv_change_edit(&r->c, id, version, &in))) return rc;
    return change_reply(r, 200, id);
}

int h_change_transition(jc_req *r)
{
    int64_t id, version;
    int rc = req_var_id(r, 0, &id);
    if (!rc) rc = input_version(&r->c, r->json, req_header(r, "If-Match"), &version);
    if (rc) return rc;
    static const field_spec spec[] = {
        {"action", FT_TEXT, FF_REQUIRED, 1, 32, NULL, "操作"},
        {"reason", FT_TEXT, FF_MULTILINE, 0, 2000, NULL, "原因"},
    };
    field_val v[2];
    static const char *const also[] = {"version", NULL};
    if ((rc = input_parse(&r->c, r->json, spec, 2, v, also))) return rc;
    if ((rc = pv_change_transition(&r->c, id, version, v[0].s, v[1].s))) return rc;
    return change_reply(r, 200, id);
}
