/* poverty_funds_db.c — the SQL of poverty projects, the funds ledger (sources, allocations,
 * disbursements) and 雨露计划. Money is integer fen; every counter that a payment may not
 * overdraw is moved by a conditional UPDATE that checks and writes in one statement, so two
 * payments at the same time cannot both pass the check (PostgreSQL re-evaluates the condition
 * on the row the first one committed; SQLite serialises writers). */
#include "poverty.h"

#include <string.h>

#define TXT(i) arena_strdup(c->a, store_col_text(st, i))

#define SCOPE(col)                                                                                 \
    " " col " >= ?1 AND " col " < ?2"                                                              \
    " AND (?3 = 1 OR EXISTS (SELECT 1 FROM user_areas g WHERE g.user_id = ?4"                      \
    "  AND " col " >= g.prefix AND " col " < g.prefix_end))"

static void bind_scope(jc_ctx *c, store_stmt *st, const char *lo, const char *hi, bool covered)
{
    store_bind_text(st, 1, lo);
    store_bind_text(st, 2, hi);
    store_bind_int(st, 3, covered ? 1 : 0);
    store_bind_int(st, 4, c->user ? c->user->id : 0);
}

/* A guarded counter: JC_OK when one row changed, JC_EUNPROC (not described) when none did. */
static int guarded(jc_ctx *c, store_stmt *st)
{
    int rc = store_run(st);
    if (rc) return jc_fail_db(c, rc);
    return store_changes(st) == 1 ? JC_OK : JC_EUNPROC;
}

/* ---- projects ---- */

#define PROJECT_COLS                                                                               \
    "SELECT p.id, p.area_code, ar.name, p.name, p.type, p.description, p.responsible,"             \
    " p.budget_fen, p.start_date, p.planned_end, p.actual_end, p.progress, p.acceptance,"          \
    " p.accepted_on, p.allocated_fen, p.disbursed_fen, p.created_at, p.updated_at, p.version"      \
    " FROM pv_projects p LEFT JOIN areas ar ON ar.code = p.area_code"

static void project_from_row(jc_ctx *c, store_stmt *st, pv_project *p)
{
    memset(p, 0, sizeof *p);
    p->id = store_col_int(st, 0);
    p->area_code = TXT(1);
    p->area_name = TXT(2);
    p->name = TXT(3);
    p->type = TXT(4);
    p->description = TXT(5);
    p->responsible = TXT(6);
    p->budget_fen = store_col_int(st, 7);
    p->start_date = TXT(8);
    p->planned_end = TXT(9);
    p->actual_end = TXT(10);
    p->progress = store_col_int(st, 11);
    p->acceptance = TXT(12);
    p->accepted_on = TXT(13);
    p->allocated_fen = store_col_int(st, 14);
    p->disbursed_fen = store_col_int(st, 15);
    p->created_at = store_col_int(st, 16);
    p->updated_at = store_col_int(st, 17);
    p->version = store_col_int(st, 18);
}

static const char SQL_PROJECT_GET[] = PROJECT_COLS " WHERE p.id = ?";

int db_pv_project_get(jc_ctx *c, int64_t id, pv_project *p)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_PROJECT_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    if (rc == JC_OK) project_from_row(c, st, p);
    store_reset(st);
    if (rc == JC_ENOTFOUND)
        return jc_fail(c, rc, "not_found", NULL, "no such project", "该扶贫项目不存在");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static const char SQL_PROJECT_INSERT[] =
    "INSERT INTO pv_projects (area_code, name, type, description, responsible, budget_fen,"
    " start_date, planned_end, actual_end, progress, acceptance, accepted_on, created_by,"
    " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
    " ?14, ?14) RETURNING id";

int db_pv_project_insert(jc_ctx *c, const pv_project *p, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_PROJECT_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, p->area_code);
    store_bind_text(st, 2, p->name);
    store_bind_text(st, 3, p->type);
    store_bind_text(st, 4, p->description ? p->description : "");
    store_bind_text(st, 5, p->responsible ? p->responsible : "");
    store_bind_int(st, 6, p->budget_fen);
    store_bind_text(st, 7, p->start_date && *p->start_date ? p->start_date : NULL);
    store_bind_text(st, 8, p->planned_end);
    store_bind_text(st, 9, p->actual_end && *p->actual_end ? p->actual_end : NULL);
    store_bind_int(st, 10, p->progress);
    store_bind_text(st, 11, p->acceptance ? p->acceptance : "pending");
    store_bind_text(st, 12, p->accepted_on && *p->accepted_on ? p->accepted_on : NULL);
    jc_bind_actor(st, 13, c);
    store_bind_int(st, 14, c->now);
    rc = store_one_int(st, id);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static const char SQL_PROJECT_UPDATE[] =
    "UPDATE pv_projects SET name = ?1, type = ?2, description = ?3, responsible = ?4,"
    " budget_fen = ?5, start_date = ?6, planned_end = ?7, actual_end = ?8, progress = ?9,"
    " acceptance = ?10, accepted_on = ?11, updated_at = ?12, version = version + 1"
    " WHERE id = ?13 AND version = ?14";

int db_pv_project_update(jc_ctx *c, const pv_project *p, int64_t version)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_PROJECT_UPDATE, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, p->name);
    store_bind_text(st, 2, p->type);
    store_bind_text(st, 3, p->description ? p->description : "");
    store_bind_text(st, 4, p->responsible ? p->responsible : "");
    store_bind_int(st, 5, p->budget_fen);
    store_bind_text(st, 6, p->start_date && *p->start_date ? p->start_date : NULL);
    store_bind_text(st, 7, p->planned_end);
    store_bind_text(st, 8, p->actual_end && *p->actual_end ? p->actual_end : NULL);
    store_bind_int(st, 9, p->progress);
    store_bind_text(st, 10, p->acceptance);
    store_bind_text(st, 11, p->accepted_on && *p->accepted_on ? p->accepted_on : NULL);
    store_bind_int(st, 12, c->now);
    store_bind_int(st, 13, p->id);
    store_bind_int(st, 14, version);
    rc = store_run(st);
    if (rc == JC_EUNPROC)
        return jc_fail(c, rc, "over_budget", "budget_fen",
                       "the budget is less than what is already allocated to the project",
                       "预算不能少于已下达到该项目的资金");
    if (rc) return jc_fail_db(c, rc);
    if (store_changes(st) == 0)
        return jc_fail(c, JC_ESTALE, "stale_version", "version",
                       "the project was changed by someone else; reload and try again",
                       "该项目已被他人修改,请刷新后重试");
    return JC_OK;
}

/* ?5 type, ?6 overdue only (?7 today), ?8 completed (-1 any, 0 open, 1 done), ?9 completed on or
 * before, ?10 year of the planned end */
#define PROJECT_WHERE                                                                              \
    " WHERE" SCOPE("p.area_code") " AND (?5 IS NULL OR p.type = ?5)"                               \
                                  " AND (?6 = 0 OR (p.actual_end IS NULL AND p.planned_end < ?7))" \
                                  " AND (?8 < 0 OR (?8 = 1 AND p.actual_end IS NOT NULL) OR (?8 "  \
                                  "= 0 AND p.actual_end IS NULL))"                                 \
                                  " AND (?9 IS NULL OR p.actual_end <= ?9)"                        \
                                  " AND (?10 IS NULL OR substr(p.planned_end, 1, 4) = ?10)"

static const char SQL_PROJECT_LIST[] =
    PROJECT_COLS PROJECT_WHERE " ORDER BY p.planned_end, p.id LIMIT ?11 OFFSET ?12";
static const char SQL_PROJECT_COUNT[] =
    "SELECT count(*), COALESCE(SUM(p.budget_fen), 0) FROM pv_projects p" PROJECT_WHERE;

static void bind_project_filter(jc_ctx *c, store_stmt *st, const pv_project_filter *f)
{
    char today[11];
    jc_date_local(c->now, today);
    bind_scope(c, st, f->lo, f->hi, f->covered);
    store_bind_text(st, 5, f->type && *f->type ? f->type : NULL);
    store_bind_int(st, 6, f->overdue == 1 ? 1 : 0);
    store_bind_text(st, 7, today);
    store_bind_int(st, 8, f->completed);
    store_bind_text(st, 9, f->completed_before);
    store_bind_text(st, 10, f->year);
}

int db_pv_project_list(jc_ctx *c, const pv_project_filter *f, pv_project_fn fn, void *arg,
                       int64_t *total, int64_t *budget_sum)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_PROJECT_COUNT, &st);
    if (rc) return jc_fail_db(c, rc);
    bind_project_filter(c, st, f);
    rc = store_one(st);
    *total = rc ? 0 : store_col_int(st, 0);
    if (budget_sum) *budget_sum = rc ? 0 : store_col_int(st, 1);
    store_reset(st);
    if (rc) return jc_fail_db(c, rc);
    if ((rc = store_prepare(c->db, SQL_PROJECT_LIST, &st))) return jc_fail_db(c, rc);
    bind_project_filter(c, st, f);
    store_bind_int(st, 11, f->limit);
    store_bind_int(st, 12, f->offset);
    int frc = JC_OK;
    while (!frc && (rc = store_step(st)) == STORE_ROW) {
        pv_project p;
        project_from_row(c, st, &p);
        frc = fn(c, &p, arg);
    }
    store_reset(st);
    if (frc) return frc;
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

/* ---- sources ---- */

#define SOURCE_COLS                                                                                \
    "SELECT s.id, s.area_code, ar.name, s.name, s.level, s.year, s.amount_fen, s.allocated_fen,"   \
    " s.disbursed_fen, s.note, s.created_at, s.version FROM pv_fund_sources s"                     \
    " LEFT JOIN areas ar ON ar.code = s.area_code"

static void source_from_row(jc_ctx *c, store_stmt *st, pv_source *s)
{
    memset(s, 0, sizeof *s);
    s->id = store_col_int(st, 0);
    s->area_code = TXT(1);
    s->area_name = TXT(2);
    s->name = TXT(3);
    s->level = TXT(4);
    s->year = store_col_int(st, 5);
    s->amount_fen = store_col_int(st, 6);
    s->allocated_fen = store_col_int(st, 7);
    s->disbursed_fen = store_col_int(st, 8);
    s->note = TXT(9);
    s->created_at = store_col_int(st, 10);
    s->version = store_col_int(st, 11);
}

json_t *pv_source_to_json(const pv_source *s)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:s, s:I}", "id",
                     (json_int_t)s->id, "area", s->area_code, "area_name",
                     s->area_name ? s->area_name : "", "name", s->name, "level", s->level, "year",
                     (json_int_t)s->year, "amount_fen", (json_int_t)s->amount_fen, "allocated_fen",
                     (json_int_t)s->allocated_fen, "disbursed_fen", (json_int_t)s->disbursed_fen,
                     "unallocated_fen", (json_int_t)(s->amount_fen - s->allocated_fen),
                     "undisbursed_fen", (json_int_t)(s->allocated_fen - s->disbursed_fen), "note",
                     s->note ? s->note : "", "version", (json_int_t)s->version);
}

static const char SQL_SOURCE_GET[] = SOURCE_COLS " WHERE s.id = ?";

int db_pv_source_get(jc_ctx *c, int64_t id, pv_source *s)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_SOURCE_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    if (rc == JC_OK) source_from_row(c, st, s);
    store_reset(st);
    if (rc == JC_ENOTFOUND)
        return jc_fail(c, rc, "not_found", NULL, "no such fund source", "该资金来源不存在");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static const char SQL_SOURCE_INSERT[] =
    "INSERT INTO pv_fund_sources (area_code, name, level, year, amount_fen, note, created_by,"
    " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) RETURNING id";

int db_pv_source_insert(jc_ctx *c, const pv_source *s, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_SOURCE_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, s->area_code);
    store_bind_text(st, 2, s->name);
    store_bind_text(st, 3, s->level);
    store_bind_int(st, 4, s->year);
    store_bind_int(st, 5, s->amount_fen);
    store_bind_text(st, 6, s->note ? s->note : "");
    jc_bind_actor(st, 7, c);
    store_bind_int(st, 8, c->now);
    rc = store_one_int(st, id);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static const char SQL_SOURCE_LIST[] =
    SOURCE_COLS " WHERE" SCOPE("s.area_code") " ORDER BY s.year DESC, s.id LIMIT 1000";

int db_pv_source_list(jc_ctx *c, const char *lo, const char *hi, bool covered, json_t *items)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_SOURCE_LIST, &st);
    if (rc) return jc_fail_db(c, rc);
    bind_scope(c, st, lo, hi, covered);
    while ((rc = store_step(st)) == STORE_ROW) {
        pv_source s;
        source_from_row(c, st, &s);
        json_array_append_new(items, pv_source_to_json(&s));
    }
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

static const char SQL_SOURCE_ALLOCATE[] =
    "UPDATE pv_fund_sources SET allocated_fen = allocated_fen + ?1, updated_at = ?2,"
    " version = version + 1 WHERE id = ?3 AND allocated_fen + ?1 <= amount_fen";
static const char SQL_PROJECT_ALLOCATE[] =
    "UPDATE pv_projects SET allocated_fen = allocated_fen + ?1, updated_at = ?2,"
    " version = version + 1 WHERE id = ?3 AND allocated_fen + ?1 <= budget_fen";

int db_pv_source_allocate(jc_ctx *c, int64_t id, int64_t amount)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_SOURCE_ALLOCATE, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, amount);
    store_bind_int(st, 2, c->now);
    store_bind_int(st, 3, id);
    return guarded(c, st);
}

int db_pv_project_allocate(jc_ctx *c, int64_t id, int64_t amount)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_PROJECT_ALLOCATE, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, amount);
    store_bind_int(st, 2, c->now);
    store_bind_int(st, 3, id);
    return guarded(c, st);
}

/* ---- allocations ---- */

static const char SQL_ALLOCATION_INSERT[] =
    "INSERT INTO pv_allocations (source_id, project_id, area_code, amount_fen, allocated_on,"
    " note, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id";

int db_pv_allocation_insert(jc_ctx *c, int64_t source_id, int64_t project_id, const char *area,
                            int64_t amount, const char *on, const char *note, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_ALLOCATION_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, source_id);
    store_bind_int(st, 2, project_id);
    store_bind_text(st, 3, area);
    store_bind_int(st, 4, amount);
    store_bind_text(st, 5, on);
    store_bind_text(st, 6, note ? note : "");
    jc_bind_actor(st, 7, c);
    store_bind_int(st, 8, c->now);
    rc = store_one_int(st, id);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

#define ALLOCATION_COLS                                                                            \
    "SELECT a.id, a.source_id, s.name, a.project_id, p.name, a.area_code, ar.name, a.amount_fen,"  \
    " a.disbursed_fen, a.allocated_on, a.note, a.version FROM pv_allocations a"                    \
    " JOIN pv_fund_sources s ON s.id = a.source_id JOIN pv_projects p ON p.id = a.project_id"      \
    " LEFT JOIN areas ar ON ar.code = a.area_code"

static json_t *allocation_json(store_stmt *st)
{
    return json_pack(
        "{s:I, s:I, s:s, s:I, s:s, s:s, s:s, s:I, s:I, s:I, s:s, s:s, s:I}", "id",
        (json_int_t)store_col_int(st, 0), "source_id", (json_int_t)store_col_int(st, 1),
        "source_name", store_col_text(st, 2), "project_id", (json_int_t)store_col_int(st, 3),
        "project_name", store_col_text(st, 4), "area", store_col_text(st, 5), "area_name",
        store_col_text(st, 6) ? store_col_text(st, 6) : "", "amount_fen",
        (json_int_t)store_col_int(st, 7), "disbursed_fen", (json_int_t)store_col_int(st, 8),
        "remaining_fen", (json_int_t)(store_col_int(st, 7) - store_col_int(st, 8)), "allocated_on",
        store_col_text(st, 9), "note", store_col_text(st, 10), "version",
        (json_int_t)store_col_int(st, 11));
}

static const char SQL_ALLOCATION_GET[] = ALLOCATION_COLS " WHERE a.id = ?";

int db_pv_allocation_get(jc_ctx *c, int64_t id, json_t **out, const char **area,
                         int64_t *project_id, int64_t *source_id, int64_t *amount,
                         int64_t *disbursed)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_ALLOCATION_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    if (rc == JC_OK) {
        if (out) *out = jc_own(c, allocation_json(st));
        *area = TXT(5);
        *project_id = store_col_int(st, 3);
        *source_id = store_col_int(st, 1);
        *amount = store_col_int(st, 7);
        *disbursed = store_col_int(st, 8);
    }
    store_reset(st);
    if (rc == JC_ENOTFOUND)
        return jc_fail(c, rc, "not_found", "allocation_id", "no such allocation",
                       "该资金下达记录不存在");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static const char SQL_ALLOCATION_LIST[] = ALLOCATION_COLS " WHERE" SCOPE(
    "a.area_code") " AND (?5 = 0 OR a.project_id = ?5)"
                   " AND (?6 = 0 OR a.source_id = ?6) ORDER BY a.allocated_on, a.id LIMIT 2000";

int db_pv_allocation_list(jc_ctx *c, const char *lo, const char *hi, bool covered,
                          int64_t project_id, int64_t source_id, json_t *items)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_ALLOCATION_LIST, &st);
    if (rc) return jc_fail_db(c, rc);
    bind_scope(c, st, lo, hi, covered);
    store_bind_int(st, 5, project_id);
    store_bind_int(st, 6, source_id);
    while ((rc = store_step(st)) == STORE_ROW) json_array_append_new(items, allocation_json(st));
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

static const char SQL_ALLOCATION_DISBURSE[] =
    "UPDATE pv_allocations SET disbursed_fen = disbursed_fen + ?1, version = version + 1"
    " WHERE id = ?2 AND disbursed_fen + ?1 <= amount_fen";
static const char SQL_PROJECT_DISBURSED[] =
    "UPDATE pv_projects SET disbursed_fen = disbursed_fen + ?1, updated_at = ?2 WHERE id = ?3";
static const char SQL_SOURCE_DISBURSED[] =
    "UPDATE pv_fund_sources SET disbursed_fen = disbursed_fen + ?1, updated_at = ?2 WHERE id = ?3";

int db_pv_allocation_disburse(jc_ctx *c, int64_t id, int64_t amount)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_ALLOCATION_DISBURSE, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, amount);
    store_bind_int(st, 2, id);
    return guarded(c, st);
}

/* ---- disbursements ---- */

static const char SQL_DISBURSEMENT_INSERT[] =
    "INSERT INTO pv_disbursements (allocation_id, project_id, source_id, area_code, voucher_no,"
    " payee, paid_on, amount_fen, note, created_by, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id";

int db_pv_disbursement_insert(jc_ctx *c, int64_t allocation_id, int64_t project_id,
                              int64_t source_id, const char *area, const char *voucher,
                              const char *payee, const char *on, int64_t amount, const char *note,
                              int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_DISBURSEMENT_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, allocation_id);
    store_bind_int(st, 2, project_id);
    store_bind_int(st, 3, source_id);
    store_bind_text(st, 4, area);
    store_bind_text(st, 5, voucher);
    store_bind_text(st, 6, payee);
    store_bind_text(st, 7, on);
    store_bind_int(st, 8, amount);
    store_bind_text(st, 9, note ? note : "");
    jc_bind_actor(st, 10, c);
    store_bind_int(st, 11, c->now);
    rc = store_one_int(st, id);
    if (rc == JC_ECONFLICT)
        return jc_fail(c, rc, "duplicate", "voucher_no",
                       arena_printf(c->a, "voucher %s is already booked", voucher),
                       arena_printf(c->a, "凭证号 %s 已入账", voucher));
    if (rc) return jc_fail_db(c, rc);
    /* the project's and the source's running totals follow the allocation's */
    const char *sqls[2] = {SQL_PROJECT_DISBURSED, SQL_SOURCE_DISBURSED};
    int64_t ids[2] = {project_id, source_id};
    for (int i = 0; i < 2; i++) {
        if ((rc = store_prepare(c->db, sqls[i], &st))) return jc_fail_db(c, rc);
        store_bind_int(st, 1, amount);
        store_bind_int(st, 2, c->now);
        store_bind_int(st, 3, ids[i]);
        if ((rc = store_run(st))) return jc_fail_db(c, rc);
    }
    return JC_OK;
}

#define DISBURSEMENT_WHERE                                                                         \
    " WHERE" SCOPE("d.area_code") " AND (?5 = 0 OR d.project_id = ?5)"                             \
                                  " AND (?6 = 0 OR d.source_id = ?6)"

#define DISBURSEMENT_COLS                                                                          \
    "SELECT d.id, d.allocation_id, d.project_id, p.name, d.source_id, s.name, d.area_code,"        \
    " ar.name, d.voucher_no, d.payee, d.paid_on, d.amount_fen, d.note, d.created_at"               \
    " FROM pv_disbursements d JOIN pv_projects p ON p.id = d.project_id"                           \
    " JOIN pv_fund_sources s ON s.id = d.source_id LEFT JOIN areas ar ON ar.code = d.area_code"

static const char SQL_DISBURSEMENT_LIST[] =
    DISBURSEMENT_COLS DISBURSEMENT_WHERE " ORDER BY d.paid_on DESC, d.id DESC LIMIT ?7 OFFSET ?8";
static const char SQL_DISBURSEMENT_GET[] = DISBURSEMENT_COLS " WHERE d.id = ?";

static json_t *disbursement_json(store_stmt *st)
{
    char ts[32];
    jc_time_local(store_col_int(st, 13), ts);
    return json_pack(
        "{s:I, s:I, s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s}", "id",
        (json_int_t)store_col_int(st, 0), "allocation_id", (json_int_t)store_col_int(st, 1),
        "project_id", (json_int_t)store_col_int(st, 2), "project_name", store_col_text(st, 3),
        "source_id", (json_int_t)store_col_int(st, 4), "source_name", store_col_text(st, 5), "area",
        store_col_text(st, 6), "area_name", store_col_text(st, 7) ? store_col_text(st, 7) : "",
        "voucher_no", store_col_text(st, 8), "payee", store_col_text(st, 9), "paid_on",
        store_col_text(st, 10), "amount_fen", (json_int_t)store_col_int(st, 11), "note",
        store_col_text(st, 12), "created_at", ts);
}

int db_pv_disbursement_get(jc_ctx *c, int64_t id, json_t **out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_DISBURSEMENT_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    if (rc == JC_OK) *out = jc_own(c, disbursement_json(st));
    store_reset(st);
    if (rc == JC_ENOTFOUND)
        return jc_fail(c, rc, "not_found", NULL, "no such disbursement", "该支付记录不存在");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}
static const char SQL_DISBURSEMENT_COUNT[] =
    "SELECT count(*) FROM pv_disbursements d" DISBURSEMENT_WHERE;

int db_pv_disbursement_list(jc_ctx *c, const char *lo, const char *hi, bool covered,
                            int64_t project_id, int64_t source_id, int64_t limit, int64_t offset,
                            json_t *items, int64_t *total)
{
    int rc;
    for (int pass = 0; pass < 2; pass++) {
        store_stmt *st;
        if ((rc = store_prepare(c->db, pass ? SQL_DISBURSEMENT_LIST : SQL_DISBURSEMENT_COUNT, &st)))
            return jc_fail_db(c, rc);
        bind_scope(c, st, lo, hi, covered);
        store_bind_int(st, 5, project_id);
        store_bind_int(st, 6, source_id);
        if (pass) {
            store_bind_int(st, 7, limit);
            store_bind_int(st, 8, offset);
        }
        while ((rc = store_step(st)) == STORE_ROW) {
            if (!pass) {
                *total = store_col_int(st, 0);
                continue;
            }
            json_array_append_new(items, disbursement_json(st));
        }
        store_reset(st);
        if (rc != STORE_DONE) return jc_fail_db(c, rc);
    }
    return JC_OK;
}

static const char SQL_BALANCE_PROJECTS[] =
    "SELECT p.id, p.name, p.area_code, ar.name, p.budget_fen, p.allocated_fen, p.disbursed_fen"
    " FROM pv_projects p LEFT JOIN areas ar ON ar.code = p.area_code"
    " WHERE" SCOPE("p.area_code") " ORDER BY p.area_code, p.id LIMIT 5000";
static const char SQL_BALANCE_SOURCES[] =
    SOURCE_COLS " WHERE" SCOPE("s.area_code") " ORDER BY s.year DESC, s.id LIMIT 5000";

int db_pv_balances(jc_ctx *c, const char *lo, const char *hi, bool covered, json_t **projects,
                   json_t **sources)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_BALANCE_PROJECTS, &st);
    if (rc) return jc_fail_db(c, rc);
    bind_scope(c, st, lo, hi, covered);
    json_t *pa = jc_own(c, json_array());
    while ((rc = store_step(st)) == STORE_ROW) {
        int64_t budget = store_col_int(st, 4), alloc = store_col_int(st, 5),
                paid = store_col_int(st, 6);
        json_array_append_new(
            pa, json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "project_id",
                          (json_int_t)store_col_int(st, 0), "name", store_col_text(st, 1), "area",
                          store_col_text(st, 2), "area_name",
                          store_col_text(st, 3) ? store_col_text(st, 3) : "", "budget_fen",
                          (json_int_t)budget, "allocated_fen", (json_int_t)alloc, "disbursed_fen",
                          (json_int_t)paid, "remaining_fen", (json_int_t)(alloc - paid),
                          "unfunded_fen", (json_int_t)(budget - alloc)));
    }
    store_reset(st);
    if (rc != STORE_DONE) return jc_fail_db(c, rc);
    if ((rc = store_prepare(c->db, SQL_BALANCE_SOURCES, &st))) return jc_fail_db(c, rc);
    bind_scope(c, st, lo, hi, covered);
    json_t *sa = jc_own(c, json_array());
    while ((rc = store_step(st)) == STORE_ROW) {
        pv_source s;
        source_from_row(c, st, &s);
        json_array_append_new(sa, pv_source_to_json(&s));
    }
    store_reset(st);
    if (rc != STORE_DONE) return jc_fail_db(c, rc);
    *projects = pa;
    *sources = sa;
    return JC_OK;
}

/* ---- 雨露计划 ---- */

#define YULU_COLS                                                                                  \
    "SELECT y.id, y.person_id, y.household_id, y.area_code, ar.name, p.name, p.citizen_id,"        \
    " y.school_year, y.school, y.major, y.level, y.enrolled_on, y.eligibility, y.full_time,"       \
    " y.annual_fen, y.paid_fen, y.created_at, y.version FROM pv_yulu y"                            \
    " JOIN pv_persons p ON p.id = y.person_id LEFT JOIN areas ar ON ar.code = y.area_code"

static void yulu_from_row(jc_ctx *c, store_stmt *st, pv_yulu *y)
{
    memset(y, 0, sizeof *y);
    y->id = store_col_int(st, 0);
    y->person_id = store_col_int(st, 1);
    y->household_id = store_col_int(st, 2);
    y->area_code = TXT(3);
    y->area_name = TXT(4);
    y->person_name = TXT(5);
    y->citizen_id = TXT(6);
    y->school_year = TXT(7);
    y->school = TXT(8);
    y->major = TXT(9);
    y->level = TXT(10);
    y->enrolled_on = TXT(11);
    y->eligibility = TXT(12);
    y->full_time = store_col_int(st, 13);
    y->annual_fen = store_col_int(st, 14);
    y->paid_fen = store_col_int(st, 15);
    y->created_at = store_col_int(st, 16);
    y->version = store_col_int(st, 17);
}

static const char SQL_YULU_GET[] = YULU_COLS " WHERE y.id = ?";

int db_pv_yulu_get(jc_ctx *c, int64_t id, pv_yulu *y)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_YULU_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    if (rc == JC_OK) yulu_from_row(c, st, y);
    store_reset(st);
    if (rc == JC_ENOTFOUND)
        return jc_fail(c, rc, "not_found", NULL, "no such application", "该雨露计划申请不存在");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static const char SQL_YULU_FIND[] =
    "SELECT id FROM pv_yulu WHERE person_id = ? AND school_year = ?";

int db_pv_yulu_find(jc_ctx *c, int64_t person_id, const char *school_year, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_YULU_FIND, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, person_id);
    store_bind_text(st, 2, school_year);
    rc = store_one(st);
    *id = rc == JC_OK ? store_col_int(st, 0) : 0;
    store_reset(st);
    return rc && rc != JC_ENOTFOUND ? jc_fail_db(c, rc) : JC_OK;
}

static const char SQL_YULU_INSERT[] =
    "INSERT INTO pv_yulu (person_id, household_id, area_code, school_year, school, major, level,"
    " full_time, enrolled_on, annual_fen, eligibility, created_by, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13) RETURNING id";

int db_pv_yulu_insert(jc_ctx *c, const pv_yulu *y, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_YULU_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, y->person_id);
    store_bind_int(st, 2, y->household_id);
    store_bind_text(st, 3, y->area_code);
    store_bind_text(st, 4, y->school_year);
    store_bind_text(st, 5, y->school);
    store_bind_text(st, 6, y->major ? y->major : "");
    store_bind_text(st, 7, y->level);
    store_bind_int(st, 8, y->full_time);
    store_bind_text(st, 9, y->enrolled_on && *y->enrolled_on ? y->enrolled_on : NULL);
    store_bind_int(st, 10, y->annual_fen);
    store_bind_text(st, 11, y->eligibility);
    jc_bind_actor(st, 12, c);
    store_bind_int(st, 13, c->now);
    rc = store_one_int(st, id);
    if (rc == JC_ECONFLICT)
        return jc_fail(c, rc, "duplicate", "school_year",
                       "the student already has an application for that school year",
                       "该学生本学年已申请");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

#define YULU_WHERE                                                                                 \
    " WHERE" SCOPE(                                                                                \
        "y.area_code") " AND (?5 IS NULL OR y.school_year = ?5)"                                   \
                       " AND (?6 = 0 OR y.person_id = ?6) AND (?7 = 0 OR y.household_id = ?7)"

static const char SQL_YULU_LIST[] =
    YULU_COLS YULU_WHERE " ORDER BY y.school_year DESC, y.area_code, y.id LIMIT ?8 OFFSET ?9";
static const char SQL_YULU_COUNT[] =
    "SELECT count(*), COALESCE(SUM(y.annual_fen), 0), COALESCE(SUM(y.paid_fen), 0)"
    " FROM pv_yulu y" YULU_WHERE;

int db_pv_yulu_list(jc_ctx *c, const pv_yulu_filter *f, pv_yulu_fn fn, void *arg, int64_t *total,
                    int64_t *annual_sum, int64_t *paid_sum)
{
    int rc;
    for (int pass = 0; pass < 2; pass++) {
        store_stmt *st;
        if ((rc = store_prepare(c->db, pass ? SQL_YULU_LIST : SQL_YULU_COUNT, &st)))
            return jc_fail_db(c, rc);
        bind_scope(c, st, f->lo, f->hi, f->covered);
        store_bind_text(st, 5, f->school_year && *f->school_year ? f->school_year : NULL);
        store_bind_int(st, 6, f->person_id);
        store_bind_int(st, 7, f->household_id);
        if (pass) {
            store_bind_int(st, 8, f->limit);
            store_bind_int(st, 9, f->offset);
        }
        int frc = JC_OK;
        while (!frc && (rc = store_step(st)) == STORE_ROW) {
            if (!pass) {
                *total = store_col_int(st, 0);
                *annual_sum = store_col_int(st, 1);
                *paid_sum = store_col_int(st, 2);
                continue;
            }
            pv_yulu y;
            yulu_from_row(c, st, &y);
            frc = fn(c, &y, arg);
        }
        store_reset(st);
        if (frc) return frc;
        if (rc != STORE_DONE) return jc_fail_db(c, rc);
    }
    return JC_OK;
}

static const char SQL_YULU_PAY[] =
    "UPDATE pv_yulu SET paid_fen = paid_fen + ?1, updated_at = ?2, version = version + 1"
    " WHERE id = ?3 AND paid_fen + ?1 <= annual_fen";

int db_pv_yulu_pay(jc_ctx *c, int64_t id, int64_t amount)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_YULU_PAY, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, amount);
    store_bind_int(st, 2, c->now);
    store_bind_int(st, 3, id);
    return guarded(c, st);
}

static const char SQL_YULU_PAYMENT_INSERT[] =
    "INSERT INTO pv_yulu_payments (yulu_id, semester, amount_fen, paid_on, voucher_no,"
    " created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";

int db_pv_yulu_payment_insert(jc_ctx *c, int64_t yulu_id, int64_t semester, int64_t amount,
                              const char *on, const char *voucher, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_YULU_PAYMENT_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, yulu_id);
    store_bind_int(st, 2, semester);
    store_bind_int(st, 3, amount);
    store_bind_text(st, 4, on);
    store_bind_text(st, 5, voucher ? voucher : "");
    jc_bind_actor(st, 6, c);
    store_bind_int(st, 7, c->now);
    rc = store_one_int(st, id);
    if (rc == JC_ECONFLICT)
        return jc_fail(c, rc, "duplicate", "semester",
                       arena_printf(c->a, "semester %lld is already paid", (long long)semester),
                       arena_printf(c->a, "第%lld学期补助已发放", (long long)semester));
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static const char SQL_YULU_PAYMENTS[] =
    "SELECT id, semester, amount_fen, paid_on, voucher_no FROM pv_yulu_payments"
    " WHERE yulu_id = ? ORDER BY semester";

int db_pv_yulu_payments(jc_ctx *c, int64_t yulu_id, json_t **out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_YULU_PAYMENTS, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, yulu_id);
    json_t *arr = jc_own(c, json_array());
    while ((rc = store_step(st)) == STORE_ROW)
        json_array_append_new(
            arr, json_pack("{s:I, s:I, s:I, s:s, s:s}", "id", (json_int_t)store_col_int(st, 0),
                           "semester", (json_int_t)store_col_int(st, 1), "amount_fen",
                           (json_int_t)store_col_int(st, 2), "paid_on", store_col_text(st, 3),
                           "voucher_no", store_col_text(st, 4)));
    store_reset(st);
    if (rc != STORE_DONE) return jc_fail_db(c, rc);
    *out = arr;
    return JC_OK;
}
