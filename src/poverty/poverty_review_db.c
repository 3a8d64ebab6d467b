/* poverty_review_db.c — the SQL of 回头看 campaigns (their frozen household sets and check
 * records) and of change requests. */
#include "poverty.h"

#include <stdlib.h>
#include <string.h>

#define TXT(i) arena_strdup(c->a, store_col_text(st, i))

static int run(jc_ctx *c, store_stmt *st)
{
    int rc = store_run(st);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

/* ---- campaigns ---- */

static const char SQL_REVIEW_INSERT[] =
    "INSERT INTO pv_reviews (area_code, name, start_date, end_date, focus, note, created_by,"
    " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) RETURNING id";

int db_pv_review_insert(jc_ctx *c, const pv_review_in *in, int64_t *id)
{
    json_t *focus = json_array();
    for (int i = 0; i < in->nfocus; i++) json_array_append_new(focus, json_string(in->focus[i]));
    char *text = json_dumps(focus, JSON_COMPACT);
    json_decref(focus);
    const char *ftext = text ? arena_strdup(c->a, text) : NULL;
    free(text);
    if (!ftext) return JC_ENOMEM;
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_REVIEW_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, in->area_code);
    store_bind_text(st, 2, in->name);
    store_bind_text(st, 3, in->start_date);
    store_bind_text(st, 4, in->end_date);
    store_bind_text(st, 5, ftext);
    store_bind_text(st, 6, in->note ? in->note : "");
    jc_bind_actor(st, 7, c);
    store_bind_int(st, 8, c->now);
    rc = store_one_int(st, id);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

#define REVIEW_COLS                                                                                \
    "SELECT r.id, r.area_code, ar.name, r.name, r.start_date, r.end_date, r.state, r.note,"        \
    " r.focus, r.created_at, r.closed_at, r.version FROM pv_reviews r"                             \
    " LEFT JOIN areas ar ON ar.code = r.area_code"

static void review_from_row(jc_ctx *c, store_stmt *st, pv_review *r)
{
    memset(r, 0, sizeof *r);
    r->id = store_col_int(st, 0);
    r->area_code = TXT(1);
    r->area_name = TXT(2);
    r->name = TXT(3);
    r->start_date = TXT(4);
    r->end_date = TXT(5);
    r->state = TXT(6);
    r->note = TXT(7);
    r->focus = jc_own(c, json_loads(store_col_text(st, 8), 0, NULL));
    r->created_at = store_col_int(st, 9);
    r->closed_at = store_col_int(st, 10);
    r->version = store_col_int(st, 11);
}

static const char SQL_REVIEW_GET[] = REVIEW_COLS " WHERE r.id = ?";

int db_pv_review_get(jc_ctx *c, int64_t id, pv_review *r)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_REVIEW_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    if (rc == JC_OK) review_from_row(c, st, r);
    store_reset(st);
    if (rc == JC_ENOTFOUND)
        return jc_fail(c, rc, "not_found", NULL, "no such review campaign", "该回头看排查不存在");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static const char SQL_REVIEW_UPDATE[] =
    "UPDATE pv_reviews SET name = ?1, end_date = ?2, note = ?3, state = ?4, closed_at = ?5,"
    " updated_at = ?6, version = version + 1 WHERE id = ?7 AND version = ?8";

int db_pv_review_update(jc_ctx *c, const pv_review *r, int64_t version)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_REVIEW_UPDATE, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, r->name);
    store_bind_text(st, 2, r->end_date);
    store_bind_text(st, 3, r->note);
    store_bind_text(st, 4, r->state);
    store_bind_opt_int(st, 5, r->closed_at, r->closed_at > 0);
    store_bind_int(st, 6, c->now);
    store_bind_int(st, 7, r->id);
    store_bind_int(st, 8, version);
    rc = store_run(st);
    if (rc) return jc_fail_db(c, rc);
    if (store_changes(st) == 0)
        return jc_fail(c, JC_ESTALE, "stale_version", "version",
                       "the campaign was changed by someone else; reload and try again",
                       "该排查已被他人修改,请刷新后重试");
    return JC_OK;
}

#define REVIEW_WHERE                                                                               \
    " WHERE r.area_code >= ?1 AND r.area_code < ?2"                                                \
    " AND (?3 = 1 OR EXISTS (SELECT 1 FROM user_areas g WHERE g.user_id = ?4"                      \
    "  AND r.area_code >= g.prefix AND r.area_code < g.prefix_end))"

static const char SQL_REVIEW_LIST[] =
    REVIEW_COLS REVIEW_WHERE " ORDER BY r.start_date DESC, r.id DESC LIMIT ?5 OFFSET ?6";
static const char SQL_REVIEW_COUNT[] = "SELECT count(*) FROM pv_reviews r" REVIEW_WHERE;

int db_pv_review_list(jc_ctx *c, const char *lo, const char *hi, bool covered, int64_t limit,
                      int64_t offset, json_t *items, int64_t *total)
{
    pv_review rows[200];
    int n = 0, rc;
    for (int pass = 0; pass < 2; pass++) {
        store_stmt *st;
        if ((rc = store_prepare(c->db, pass ? SQL_REVIEW_LIST : SQL_REVIEW_COUNT, &st)))
            return jc_fail_db(c, rc);
        store_bind_text(st, 1, lo);
        store_bind_text(st, 2, hi);
        store_bind_int(st, 3, covered ? 1 : 0);
        store_bind_int(st, 4, c->user ? c->user->id : 0);
        if (pass) {
            store_bind_int(st, 5, limit);
            store_bind_int(st, 6, offset);
        }
        while ((rc = store_step(st)) == STORE_ROW) {
            if (!pass)
                *total = store_col_int(st, 0);
            else if (n < (int)JC_NELEM(rows))
                review_from_row(c, st, &rows[n++]);
        }
        store_reset(st);
        if (rc != STORE_DONE) return jc_fail_db(c, rc);
    }
    for (int i = 0; i < n; i++) json_array_append(items, pv_review_json(c, &rows[i], false));
    return JC_OK;
}

static const char SQL_VILLAGE_ADD[] =
    "INSERT INTO pv_review_villages (review_id, area_code) VALUES (?, ?)";
static const char SQL_CHECKER_ADD[] =
    "INSERT INTO pv_review_checkers (review_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING";
static const char SQL_CHECKERS_CLEAR[] = "DELETE FROM pv_review_checkers WHERE review_id = ?";

int db_pv_review_village_add(jc_ctx *c, int64_t review_id, const char *code)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_VILLAGE_ADD, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, review_id);
    store_bind_text(st, 2, code);
    rc = store_run(st);
    if (rc == JC_ECONFLICT)
        return jc_fail(c, JC_EINVAL, "invalid_field", "villages",
                       arena_printf(c->a, "village %s is given twice", code),
                       arena_printf(c->a, "行政村 %s 重复", code));
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_pv_review_checker_add(jc_ctx *c, int64_t review_id, int64_t user_id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_CHECKER_ADD, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, review_id);
    store_bind_int(st, 2, user_id);
    return run(c, st);
}

int db_pv_review_checkers_clear(jc_ctx *c, int64_t review_id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_CHECKERS_CLEAR, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, review_id);
    return run(c, st);
}

static const char SQL_VILLAGES[] =
    "SELECT v.area_code, ar.name FROM pv_review_villages v LEFT JOIN areas ar"
    " ON ar.code = v.area_code WHERE v.review_id = ? ORDER BY v.area_code";

int db_pv_review_villages(jc_ctx *c, int64_t review_id, json_t **out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_VILLAGES, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, review_id);
    json_t *arr = jc_own(c, json_array());
    while ((rc = store_step(st)) == STORE_ROW)
        json_array_append_new(arr, json_pack("{s:s, s:s}", "area", store_col_text(st, 0), "name",
                                             store_col_text(st, 1) ? store_col_text(st, 1) : ""));
    store_reset(st);
    if (rc != STORE_DONE) return jc_fail_db(c, rc);
    *out = arr;
    return JC_OK;
}

static const char SQL_CHECKERS[] =
    "SELECT u.id, u.display_name FROM pv_review_checkers k JOIN users u ON u.id = k.user_id"
    " WHERE k.review_id = ? ORDER BY u.id";

int db_pv_review_checkers(jc_ctx *c, int64_t review_id, json_t **out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_CHECKERS, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, review_id);
    json_t *arr = jc_own(c, json_array());
    while ((rc = store_step(st)) == STORE_ROW)
        json_array_append_new(arr, json_pack("{s:I, s:s}", "id", (json_int_t)store_col_int(st, 0),
                                             "name", store_col_text(st, 1)));
    store_reset(st);
    if (rc != STORE_DONE) return jc_fail_db(c, rc);
    *out = arr;
    return JC_OK;
}

/* The household set: households of the campaign's villages (and their grids) that carry a
 * 十类重点户 category (?2) or 建档立卡 (?3), as they are now. */
#define HAS_KEY                                                                                    \
    "EXISTS (SELECT 1 FROM pv_household_tags t WHERE t.household_id = h.id"                        \
    " AND t.tag <> '" PV_TAG_REGISTERED "')"
#define HAS_REG                                                                                    \
    "EXISTS (SELECT 1 FROM pv_household_tags t WHERE t.household_id = h.id"                        \
    " AND t.tag = '" PV_TAG_REGISTERED "')"

static const char SQL_SNAPSHOT[] =
    "INSERT INTO pv_review_checks (review_id, household_id, area_code, is_key, is_registered)"
    " SELECT ?1, h.id, h.area_code, CASE WHEN " HAS_KEY " THEN 1 ELSE 0 END,"
    " CASE WHEN " HAS_REG " THEN 1 ELSE 0 END FROM pv_households h"
    " WHERE EXISTS (SELECT 1 FROM pv_review_villages v WHERE v.review_id = ?1"
    "  AND h.area_code >= v.area_code AND h.area_code < v.area_code || ':')"
    " AND ((?2 = 1 AND " HAS_KEY ") OR (?3 = 1 AND " HAS_REG "))";
static const char SQL_SNAPSHOT_TAGS[] =
    "INSERT INTO pv_review_focus_tags (review_id, household_id, tag)"
    " SELECT k.review_id, k.household_id, t.tag FROM pv_review_checks k"
    " JOIN pv_household_tags t ON t.household_id = k.household_id WHERE k.review_id = ?1";
static const char SQL_CHECK_COUNT[] = "SELECT count(*) FROM pv_review_checks WHERE review_id = ?";

int db_pv_review_snapshot(jc_ctx *c, int64_t review_id, bool key, bool registered, int64_t *n)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_SNAPSHOT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, review_id);
    store_bind_int(st, 2, key ? 1 : 0);
    store_bind_int(st, 3, registered ? 1 : 0);
    if ((rc = run(c, st))) return rc;
    if ((rc = store_prepare(c->db, SQL_SNAPSHOT_TAGS, &st))) return jc_fail_db(c, rc);
    store_bind_int(st, 1, review_id);
    if ((rc = run(c, st))) return rc;
    if ((rc = store_prepare(c->db, SQL_CHECK_COUNT, &st))) return jc_fail_db(c, rc);
    store_bind_int(st, 1, review_id);
    rc = store_one_int(st, n);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

/* per village (a grid's households count for its village): households in the set, checked */
static const char SQL_PROGRESS[] =
    "SELECT v.area_code, ar.name,"
    " (SELECT count(*) FROM pv_review_checks k WHERE k.review_id = v.review_id"
    "  AND k.area_code >= v.area_code AND k.area_code < v.area_code || ':'),"
    " (SELECT count(*) FROM pv_review_checks k WHERE k.review_id = v.review_id"
    "  AND k.area_code >= v.area_code AND k.area_code < v.area_code || ':'"
    "  AND k.checked_at IS NOT NULL),"
    " (SELECT count(*) FROM pv_changes ch WHERE ch.review_id = v.review_id"
    "  AND ch.area_code >= v.area_code AND ch.area_code < v.area_code || ':'"
    "  AND ch.state <> 'rejected')"
    " FROM pv_review_villages v LEFT JOIN areas ar ON ar.code = v.area_code"
    " WHERE v.review_id = ? ORDER BY v.area_code";

int db_pv_review_progress(jc_ctx *c, int64_t review_id, json_t **out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_PROGRESS, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, review_id);
    json_t *arr = jc_own(c, json_array());
    while ((rc = store_step(st)) == STORE_ROW)
        json_array_append_new(arr,
                              json_pack("{s:s, s:s, s:I, s:I, s:I}", "area", store_col_text(st, 0),
                                        "name", store_col_text(st, 1) ? store_col_text(st, 1) : "",
                                        "households", (json_int_t)store_col_int(st, 2), "checked",
                                        (json_int_t)store_col_int(st, 3), "findings",
                                        (json_int_t)store_col_int(st, 4)));
    store_reset(st);
    if (rc != STORE_DONE) return jc_fail_db(c, rc);
    *out = arr;
    return JC_OK;
}

static const char SQL_FOCUS[] =
    "SELECT count(*), SUM(is_key), SUM(is_registered) FROM pv_review_checks WHERE review_id = ?";
static const char SQL_FOCUS_TAGS[] =
    "SELECT tag, count(*) FROM pv_review_focus_tags WHERE review_id = ? GROUP BY tag"
    " ORDER BY count(*) DESC, tag";

int db_pv_review_focus(jc_ctx *c, int64_t review_id, json_t **by_tag, int64_t *key,
                       int64_t *registered, int64_t *total)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_FOCUS, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, review_id);
    rc = store_one(st);
    *total = rc ? 0 : store_col_int(st, 0);
    *key = rc ? 0 : store_col_int(st, 1);
    *registered = rc ? 0 : store_col_int(st, 2);
    store_reset(st);
    if (rc) return jc_fail_db(c, rc);
    if ((rc = store_prepare(c->db, SQL_FOCUS_TAGS, &st))) return jc_fail_db(c, rc);
    store_bind_int(st, 1, review_id);
    json_t *arr = jc_own(c, json_array());
    while ((rc = store_step(st)) == STORE_ROW)
        json_array_append_new(arr, json_pack("{s:s, s:I}", "tag", store_col_text(st, 0),
                                             "households", (json_int_t)store_col_int(st, 1)));
    store_reset(st);
    if (rc != STORE_DONE) return jc_fail_db(c, rc);
    *by_tag = arr;
    return JC_OK;
}

#define CHECK_WHERE                                                                                \
    " WHERE k.review_id = ?1 AND (?2 IS NULL OR (k.area_code >= ?2 AND k.area_code < ?2 || ':'))"  \
    " AND (?3 < 0 OR (?3 = 1 AND k.checked_at IS NOT NULL) OR (?3 = 0 AND k.checked_at IS NULL))"

static const char SQL_CHECKS[] =
    "SELECT k.household_id, k.area_code, ar.name, k.is_key, k.is_registered, k.result, k.note,"
    " k.checked_at, u.display_name, k.version, h.status, h.status_kind, h.household_no,"
    " (SELECT p.name FROM pv_persons p WHERE p.household_id = h.id AND p.relation = '户主'),"
    " (SELECT count(*) FROM pv_persons p WHERE p.household_id = h.id),"
    " (SELECT count(*) FROM pv_changes ch WHERE ch.review_id = k.review_id"
    "  AND ch.household_id = k.household_id AND ch.state <> 'rejected')"
    " FROM pv_review_checks k JOIN pv_households h ON h.id = k.household_id"
    " LEFT JOIN areas ar ON ar.code = k.area_code LEFT JOIN users u ON u.id = "
    "k.checked_by" CHECK_WHERE " ORDER BY k.area_code, k.household_id LIMIT ?4 OFFSET ?5";
static const char SQL_CHECKS_COUNT[] = "SELECT count(*) FROM pv_review_checks k" CHECK_WHERE;

int db_pv_review_checks(jc_ctx *c, const pv_check_filter *f, bool pii, json_t *items,
                        int64_t *total)
{
    (void)pii;
    int rc;
    for (int pass = 0; pass < 2; pass++) {
        store_stmt *st;
        if ((rc = store_prepare(c->db, pass ? SQL_CHECKS : SQL_CHECKS_COUNT, &st)))
            return jc_fail_db(c, rc);
        store_bind_int(st, 1, f->review_id);
        store_bind_text(st, 2, f->village && *f->village ? f->village : NULL);
        store_bind_int(st, 3, f->checked);
        if (pass) {
            store_bind_int(st, 4, f->limit);
            store_bind_int(st, 5, f->offset);
        }
        while ((rc = store_step(st)) == STORE_ROW) {
            if (!pass) {
                *total = store_col_int(st, 0);
                continue;
            }
            const char *status = store_col_text(st, 10), *kind = store_col_text(st, 11);
            const char *kzh = pv_kind_zh(status, kind);
            json_t *o = json_pack(
                "{s:I, s:s, s:s, s:b, s:b, s:s?, s:s?, s:s?, s:I, s:s, s:s, s:s, s:s, s:s?, "
                "s:s?, s:I, s:I}",
                "household_id", (json_int_t)store_col_int(st, 0), "area", store_col_text(st, 1),
                "area_name", store_col_text(st, 2) ? store_col_text(st, 2) : "", "is_key",
                store_col_int(st, 3) != 0, "is_registered", store_col_int(st, 4) != 0, "result",
                store_col_text(st, 5), "note", store_col_text(st, 6), "checked_by",
                store_col_text(st, 8), "version", (json_int_t)store_col_int(st, 9), "status",
                status, "status_zh", pv_status_zh(status), "kind", kind, "kind_zh", kzh ? kzh : "",
                "household_no", store_col_text(st, 12), "head_name", store_col_text(st, 13),
                "members", (json_int_t)store_col_int(st, 14), "findings",
                (json_int_t)store_col_int(st, 15));
            if (o) {
                json_object_set_new(o, "checked", json_boolean(!store_col_null(st, 7)));
                if (store_col_null(st, 7)) {
                    json_object_set_new(o, "checked_at", json_null());
                } else {
                    char ts[32];
                    jc_time_local(store_col_int(st, 7), ts);
                    json_object_set_new(o, "checked_at", json_string(ts));
                }
            }
            json_array_append_new(items, o);
        }
        store_reset(st);
        if (rc != STORE_DONE) return jc_fail_db(c, rc);
    }
    return JC_OK;
}

static const char SQL_CHECK_GET[] = "SELECT area_code, checked_at, version FROM pv_review_checks"
                                    " WHERE review_id = ? AND household_id = ?";

int db_pv_review_check_get(jc_ctx *c, int64_t review_id, int64_t household_id, const char **area,
                           int64_t *checked_at, int64_t *version)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_CHECK_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, review_id);
    store_bind_int(st, 2, household_id);
    rc = store_one(st);
    if (rc == JC_OK) {
        *area = TXT(0);
        *checked_at = store_col_null(st, 1) ? 0 : store_col_int(st, 1);
        *version = store_col_int(st, 2);
    }
    store_reset(st);
    if (rc == JC_ENOTFOUND)
        return jc_fail(c, rc, "not_found", NULL,
                       "the household is not in this campaign's household set",
                       "该户不在本次排查的范围内");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static const char SQL_CHECK_SET[] =
    "UPDATE pv_review_checks SET result = ?1, note = ?2, checked_at = ?3, checked_by = ?4,"
    " version = version + 1 WHERE review_id = ?5 AND household_id = ?6 AND version = ?7";

int db_pv_review_check_set(jc_ctx *c, int64_t review_id, int64_t household_id, const char *result,
                           const char *note, int64_t version)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_CHECK_SET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, result);
    store_bind_text(st, 2, note ? note : "");
    store_bind_int(st, 3, c->now);
    jc_bind_actor(st, 4, c);
    store_bind_int(st, 5, review_id);
    store_bind_int(st, 6, household_id);
    store_bind_int(st, 7, version);
    rc = store_run(st);
    if (rc) return jc_fail_db(c, rc);
    if (store_changes(st) == 0)
        return jc_fail(c, JC_ESTALE, "stale_version", "version",
                       "the check record was changed by someone else; reload and try again",
                       "该户的排查记录已被他人修改,请刷新后重试");
    return JC_OK;
}

static const char SQL_FINDINGS[] =
    "SELECT type, count(*), SUM(n_households), SUM(n_persons),"
    " SUM(CASE WHEN state = 'applied' THEN 1 ELSE 0 END) FROM pv_changes"
    " WHERE review_id = ? AND state <> 'rejected' GROUP BY type";

int db_pv_review_findings(jc_ctx *c, int64_t review_id, int64_t count[PV_CH__MAX],
                          int64_t hh[PV_CH__MAX], int64_t persons[PV_CH__MAX],
                          int64_t applied[PV_CH__MAX])
{
    for (int i = 0; i < PV_CH__MAX; i++) count[i] = hh[i] = persons[i] = applied[i] = 0;
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_FINDINGS, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, review_id);
    while ((rc = store_step(st)) == STORE_ROW) {
        int t = pv_change_type_from_code(store_col_text(st, 0));
        if (t == PV_CH__MAX) continue;
        count[t] = store_col_int(st, 1);
        hh[t] = store_col_int(st, 2);
        persons[t] = store_col_int(st, 3);
        applied[t] = store_col_int(st, 4);
    }
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

/* ---- change requests ---- */

static const char *payload_text(jc_ctx *c, json_t *payload)
{
    char *s = json_dumps(payload ? payload : json_object(), JSON_COMPACT | JSON_SORT_KEYS);
    if (!s) return NULL;
    char *r = arena_strdup(c->a, s);
    free(s);
    return r;
}

static const char SQL_CHANGE_INSERT[] =
    "INSERT INTO pv_changes (review_id, area_code, type, state, household_id, payload, evidence,"
    " description, effective_date, n_households, n_persons, created_by, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13) RETURNING id";

int db_pv_change_insert(jc_ctx *c, const pv_change *ch, int64_t *id)
{
    const char *payload = payload_text(c, ch->payload);
    if (!payload) return JC_ENOMEM;
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_CHANGE_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_opt_int(st, 1, ch->review_id, ch->review_id > 0);
    store_bind_text(st, 2, ch->area_code);
    store_bind_text(st, 3, ch->type);
    store_bind_text(st, 4, ch->state);
    store_bind_opt_int(st, 5, ch->household_id, ch->household_id > 0);
    store_bind_text(st, 6, payload);
    store_bind_text(st, 7, ch->evidence ? ch->evidence : "");
    store_bind_text(st, 8, ch->description ? ch->description : "");
    store_bind_text(st, 9, ch->effective_date ? ch->effective_date : "");
    store_bind_int(st, 10, ch->n_households);
    store_bind_int(st, 11, ch->n_persons);
    jc_bind_actor(st, 12, c);
    store_bind_int(st, 13, c->now);
    rc = store_one_int(st, id);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

#define CHANGE_COLS                                                                                \
    "SELECT ch.id, ch.review_id, ch.household_id, ch.area_code, ar.name, ch.type, ch.state,"       \
    " ch.evidence, ch.description, ch.effective_date, ch.reject_reason, ch.payload,"               \
    " ch.n_households, ch.n_persons, ch.created_by, ch.submitted_by, ch.approved_by,"              \
    " ch.applied_by, ch.created_at, ch.submitted_at, ch.approved_at, ch.applied_at,"               \
    " ch.updated_at, ch.version FROM pv_changes ch LEFT JOIN areas ar ON ar.code = ch.area_code"

static int64_t col_int0(store_stmt *st, int i)
{
    return store_col_null(st, i) ? 0 : store_col_int(st, i);
}

static void change_from_row(jc_ctx *c, store_stmt *st, pv_change *ch)
{
    memset(ch, 0, sizeof *ch);
    ch->id = store_col_int(st, 0);
    ch->review_id = col_int0(st, 1);
    ch->household_id = col_int0(st, 2);
    ch->area_code = TXT(3);
    ch->area_name = TXT(4);
    ch->type = TXT(5);
    ch->state = TXT(6);
    ch->evidence = TXT(7);
    ch->description = TXT(8);
    ch->effective_date = TXT(9);
    ch->reject_reason = TXT(10);
    ch->payload = jc_own(c, json_loads(store_col_text(st, 11), 0, NULL));
    if (!ch->payload) ch->payload = jc_own(c, json_object());
    ch->n_households = store_col_int(st, 12);
    ch->n_persons = store_col_int(st, 13);
    ch->created_by = col_int0(st, 14);
    ch->submitted_by = col_int0(st, 15);
    ch->approved_by = col_int0(st, 16);
    ch->applied_by = col_int0(st, 17);
    ch->created_at = col_int0(st, 18);
    ch->submitted_at = col_int0(st, 19);
    ch->approved_at = col_int0(st, 20);
    ch->applied_at = col_int0(st, 21);
    ch->updated_at = col_int0(st, 22);
    ch->version = store_col_int(st, 23);
}

static const char SQL_CHANGE_GET[] = CHANGE_COLS " WHERE ch.id = ?";

int db_pv_change_get(jc_ctx *c, int64_t id, pv_change *ch)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_CHANGE_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    if (rc == JC_OK) change_from_row(c, st, ch);
    store_reset(st);
    if (rc == JC_ENOTFOUND)
        return jc_fail(c, rc, "not_found", NULL, "no such change request", "该变更申请不存在");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static const char SQL_CHANGE_UPDATE[] =
    "UPDATE pv_changes SET state = ?1, household_id = ?2, area_code = ?3, payload = ?4,"
    " evidence = ?5, description = ?6, effective_date = ?7, n_households = ?8, n_persons = ?9,"
    " reject_reason = ?10, submitted_by = ?11, submitted_at = ?12, approved_by = ?13,"
    " approved_at = ?14, applied_by = ?15, applied_at = ?16, updated_at = ?17,"
    " version = version + 1 WHERE id = ?18 AND version = ?19";

int db_pv_change_update(jc_ctx *c, const pv_change *ch, int64_t version)
{
    const char *payload = payload_text(c, ch->payload);
    if (!payload) return JC_ENOMEM;
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_CHANGE_UPDATE, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, ch->state);
    store_bind_opt_int(st, 2, ch->household_id, ch->household_id > 0);
    store_bind_text(st, 3, ch->area_code);
    store_bind_text(st, 4, payload);
    store_bind_text(st, 5, ch->evidence ? ch->evidence : "");
    store_bind_text(st, 6, ch->description ? ch->description : "");
    store_bind_text(st, 7, ch->effective_date ? ch->effective_date : "");
    store_bind_int(st, 8, ch->n_households);
    store_bind_int(st, 9, ch->n_persons);
    store_bind_text(st, 10, ch->reject_reason);
    store_bind_opt_int(st, 11, ch->submitted_by, ch->submitted_by > 0);
    store_bind_opt_int(st, 12, ch->submitted_at, ch->submitted_at > 0);
    store_bind_opt_int(st, 13, ch->approved_by, ch->approved_by > 0);
    store_bind_opt_int(st, 14, ch->approved_at, ch->approved_at > 0);
    store_bind_opt_int(st, 15, ch->applied_by, ch->applied_by > 0);
    store_bind_opt_int(st, 16, ch->applied_at, ch->applied_at > 0);
    store_bind_int(st, 17, c->now);
    store_bind_int(st, 18, ch->id);
    store_bind_int(st, 19, version);
    rc = store_run(st);
    if (rc) return jc_fail_db(c, rc);
    if (store_changes(st) == 0)
        return jc_fail(c, JC_ESTALE, "stale_version", "version",
                       "the change request was changed by someone else; reload and try again",
                       "该变更申请已被他人修改,请刷新后重试");
    return JC_OK;
}

/* ?5 review, ?6 household (the change's own, or one it affected), ?7 state bits, ?8 type */
#define CHANGE_WHERE                                                                               \
    " WHERE ch.area_code >= ?1 AND ch.area_code < ?2"                                              \
    " AND (?3 = 1 OR EXISTS (SELECT 1 FROM user_areas g WHERE g.user_id = ?4"                      \
    "  AND ch.area_code >= g.prefix AND ch.area_code < g.prefix_end))"                             \
    " AND (?5 = 0 OR ch.review_id = ?5)"                                                           \
    " AND (?6 = 0 OR ch.household_id = ?6 OR EXISTS (SELECT 1 FROM pv_change_items i"              \
    "  WHERE i.change_id = ch.id AND i.household_id = ?6))"                                        \
    " AND (?7 = 0 OR (?7 & CASE ch.state WHEN 'draft' THEN 1 WHEN 'submitted' THEN 2"              \
    "  WHEN 'approved' THEN 4 WHEN 'applied' THEN 8 ELSE 16 END) <> 0)"                            \
    " AND (?8 IS NULL OR ch.type = ?8)"

static const char SQL_CHANGE_LIST[] =
    CHANGE_COLS CHANGE_WHERE " ORDER BY ch.id DESC LIMIT ?9 OFFSET ?10";
static const char SQL_CHANGE_COUNT[] = "SELECT count(*) FROM pv_changes ch" CHANGE_WHERE;

static void bind_change_filter(jc_ctx *c, store_stmt *st, const pv_change_filter *f)
{
    store_bind_text(st, 1, f->lo);
    store_bind_text(st, 2, f->hi);
    store_bind_int(st, 3, f->covered ? 1 : 0);
    store_bind_int(st, 4, c->user ? c->user->id : 0);
    store_bind_int(st, 5, f->review_id);
    store_bind_int(st, 6, f->household_id);
    store_bind_int(st, 7, f->states);
    store_bind_text(st, 8, f->type && *f->type ? f->type : NULL);
}

int db_pv_change_list(jc_ctx *c, const pv_change_filter *f, pv_change_fn fn, void *arg,
                      int64_t *total)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_CHANGE_COUNT, &st);
    if (rc) return jc_fail_db(c, rc);
    bind_change_filter(c, st, f);
    rc = store_one_int(st, total);
    if (rc) return jc_fail_db(c, rc);
    if ((rc = store_prepare(c->db, SQL_CHANGE_LIST, &st))) return jc_fail_db(c, rc);
    bind_change_filter(c, st, f);
    store_bind_int(st, 9, f->limit);
    store_bind_int(st, 10, f->offset);
    /* copied out first: fn reads other statements */
    pv_change *rows = arena_alloc(c->a, sizeof *rows * (size_t)(f->limit > 0 ? f->limit : 1));
    int n = 0;
    if (!rows) {
        store_reset(st);
        return JC_ENOMEM;
    }
    while (n < f->limit && (rc = store_step(st)) == STORE_ROW) change_from_row(c, st, &rows[n++]);
    store_reset(st);
    if (rc != STORE_DONE && rc != STORE_ROW) return jc_fail_db(c, rc);
    for (int i = 0; i < n; i++)
        if ((rc = fn(c, &rows[i], arg))) return rc;
    return JC_OK;
}

static const char SQL_ITEM_ADD[] =
    "INSERT INTO pv_change_items (change_id, household_id, person_id, what)"
    " VALUES (?1, ?2, ?3, ?4)";

int db_pv_change_item_add(jc_ctx *c, int64_t change_id, int64_t household_id, int64_t person_id,
                          const char *what)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_ITEM_ADD, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, change_id);
    store_bind_opt_int(st, 2, household_id, household_id > 0);
    store_bind_opt_int(st, 3, person_id, person_id > 0);
    store_bind_text(st, 4, what);
    return run(c, st);
}

static const char SQL_ITEMS[] =
    "SELECT i.household_id, i.person_id, i.what, p.name, p.citizen_id FROM pv_change_items i"
    " LEFT JOIN pv_persons p ON p.id = i.person_id WHERE i.change_id = ? ORDER BY i.id";

int db_pv_change_items(jc_ctx *c, int64_t change_id, bool pii, json_t **out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_ITEMS, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, change_id);
    json_t *arr = jc_own(c, json_array());
    while ((rc = store_step(st)) == STORE_ROW) {
        json_t *o = json_pack("{s:s}", "what", store_col_text(st, 2));
        json_object_set_new(o, "household_id",
                            store_col_null(st, 0) ? json_null()
                                                  : json_integer(store_col_int(st, 0)));
        json_object_set_new(o, "person_id",
                            store_col_null(st, 1) ? json_null()
                                                  : json_integer(store_col_int(st, 1)));
        if (!store_col_null(st, 1)) {
            char m[32];
            const char *cid = store_col_text(st, 4);
            if (!pii) mask_citizen_id(cid, m);
            json_object_set_new(o, "name", json_string(store_col_text(st, 3)));
            json_object_set_new(o, "citizen_id", json_string(pii ? cid : m));
        }
        json_array_append_new(arr, o);
    }
    store_reset(st);
    if (rc != STORE_DONE) return jc_fail_db(c, rc);
    *out = arr;
    return JC_OK;
}

/* ---- areas and users a campaign names ---- */

static const char SQL_CHILD_VILLAGES[] =
    "SELECT code FROM areas WHERE parent_code = ? AND level = 5 ORDER BY code";

int db_pv_child_villages(jc_ctx *c, const char *parent, json_t **out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_CHILD_VILLAGES, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, parent);
    json_t *arr = jc_own(c, json_array());
    while ((rc = store_step(st)) == STORE_ROW)
        json_array_append_new(arr, json_string(store_col_text(st, 0)));
    store_reset(st);
    if (rc != STORE_DONE) return jc_fail_db(c, rc);
    *out = arr;
    return JC_OK;
}

/* An active user granted an area that contains `area` or lies inside it. */
static const char SQL_USER_COVERS[] =
    "SELECT u.display_name, CASE WHEN u.disabled = 0 AND EXISTS (SELECT 1 FROM user_areas g"
    " WHERE g.user_id = u.id AND ((?2 >= g.prefix AND ?2 < g.prefix_end)"
    "  OR (g.area_code >= ?2 AND g.area_code < ?3))) THEN 1 ELSE 0 END"
    " FROM users u WHERE u.id = ?1";

int db_pv_user_covers(jc_ctx *c, int64_t user_id, const char *area, bool *ok, const char **name)
{
    jc_grant g;
    if (!area_grant_make(area, &g)) return JC_EINTERNAL;
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_USER_COVERS, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, user_id);
    store_bind_text(st, 2, g.prefix);
    store_bind_text(st, 3, g.end);
    rc = store_one(st);
    *ok = rc == JC_OK && store_col_int(st, 1) == 1;
    if (name) *name = rc == JC_OK ? TXT(0) : NULL;
    store_reset(st);
    return rc && rc != JC_ENOTFOUND ? jc_fail_db(c, rc) : JC_OK;
}
