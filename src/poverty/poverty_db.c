/* poverty_db.c — the poverty module's migrations and every SQL statement of the registry
 * (households, persons, membership and status history, 公示). Prepared once per connection,
 * parameters bound; the rest of the module never sees SQL. */
#include "poverty.h"

#include <string.h>

static const char M1[] =
    /* households: the current status is denormalised from pv_status_history for lists */
    "CREATE TABLE pv_households ("
    " id @ID@,"
    " area_code @CODE@ NOT NULL REFERENCES areas(code),"
    " household_no TEXT UNIQUE,"
    " address TEXT NOT NULL DEFAULT '', phone TEXT, note TEXT NOT NULL DEFAULT '',"
    " status TEXT NOT NULL DEFAULT 'none', status_kind TEXT NOT NULL DEFAULT '',"
    " status_since TEXT NOT NULL,"
    " created_by BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " version BIGINT NOT NULL DEFAULT 1);"
    "CREATE INDEX pv_households_area ON pv_households(area_code, id);"
    "CREATE INDEX pv_households_status ON pv_households(status, area_code);"
    "CREATE TABLE pv_household_tags ("
    " household_id BIGINT NOT NULL REFERENCES pv_households(id), tag TEXT NOT NULL,"
    " PRIMARY KEY (household_id, tag));"
    "CREATE INDEX pv_household_tags_tag ON pv_household_tags(tag, household_id);"
    /* persons: household_id and relation are the current membership (pv_members keeps the
     * history); a person is in at most one household because it is one column */
    "CREATE TABLE pv_persons ("
    " id @ID@,"
    " citizen_id TEXT NOT NULL UNIQUE,"
    " name TEXT NOT NULL, sex BIGINT NOT NULL CHECK (sex IN (1, 2)), birth_date TEXT NOT NULL,"
    " phone TEXT,"
    " area_code @CODE@ NOT NULL REFERENCES areas(code),"
    " household_id BIGINT REFERENCES pv_households(id),"
    " relation TEXT NOT NULL DEFAULT '',"
    " state TEXT NOT NULL DEFAULT 'alive' CHECK (state IN ('alive', 'moved', 'deceased')),"
    " left_reason TEXT, left_on TEXT,"
    " created_by BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " version BIGINT NOT NULL DEFAULT 1);"
    "CREATE INDEX pv_persons_household ON pv_persons(household_id);"
    "CREATE INDEX pv_persons_area ON pv_persons(area_code, id);"
    "CREATE UNIQUE INDEX pv_persons_one_head ON pv_persons(household_id)"
    " WHERE relation = '户主' AND household_id IS NOT NULL;"
    "CREATE TABLE pv_members ("
    " id @ID@,"
    " person_id BIGINT NOT NULL REFERENCES pv_persons(id),"
    " household_id BIGINT NOT NULL REFERENCES pv_households(id),"
    " relation TEXT NOT NULL, from_date TEXT NOT NULL, to_date TEXT,"
    " reason_in TEXT NOT NULL DEFAULT '', reason_out TEXT, change_id BIGINT);"
    "CREATE INDEX pv_members_household ON pv_members(household_id, from_date);"
    "CREATE UNIQUE INDEX pv_members_current ON pv_members(person_id) WHERE to_date IS NULL;"
    "CREATE TABLE pv_status_history ("
    " id @ID@,"
    " household_id BIGINT NOT NULL REFERENCES pv_households(id),"
    " status TEXT NOT NULL, kind TEXT NOT NULL DEFAULT '',"
    " prev_status TEXT, prev_kind TEXT,"
    " effective_date TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',"
    " change_id BIGINT, notice_id BIGINT,"
    " created_by BIGINT, created_at BIGINT NOT NULL);"
    "CREATE INDEX pv_status_history_hh ON pv_status_history(household_id, effective_date, id);"
    "CREATE TABLE pv_notices ("
    " id @ID@,"
    " area_code @CODE@ NOT NULL REFERENCES areas(code),"
    " household_id BIGINT REFERENCES pv_households(id), change_id BIGINT,"
    " target_status TEXT NOT NULL, target_kind TEXT NOT NULL DEFAULT '',"
    " start_date TEXT NOT NULL, end_date TEXT NOT NULL, days BIGINT NOT NULL,"
    " place TEXT NOT NULL DEFAULT '', outcome TEXT,"
    " created_by BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " version BIGINT NOT NULL DEFAULT 1);"
    "CREATE INDEX pv_notices_household ON pv_notices(household_id, id);"
    "CREATE INDEX pv_notices_change ON pv_notices(change_id, id);"
    "CREATE INDEX pv_notices_area ON pv_notices(area_code, id);"
    "CREATE TABLE pv_objections ("
    " id @ID@,"
    " notice_id BIGINT NOT NULL REFERENCES pv_notices(id),"
    " received_on TEXT NOT NULL, from_name TEXT NOT NULL DEFAULT '', content TEXT NOT NULL,"
    " resolution TEXT NOT NULL DEFAULT 'pending'"
    "  CHECK (resolution IN ('pending', 'upheld', 'dismissed')),"
    " resolution_note TEXT, resolved_on TEXT,"
    " created_by BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " version BIGINT NOT NULL DEFAULT 1);"
    "CREATE INDEX pv_objections_notice ON pv_objections(notice_id);"
    /* 回头看 campaigns: the household set is frozen when the campaign is created */
    "CREATE TABLE pv_reviews ("
    " id @ID@,"
    " area_code @CODE@ NOT NULL REFERENCES areas(code),"
    " name TEXT NOT NULL, start_date TEXT NOT NULL, end_date TEXT NOT NULL,"
    " focus TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),"
    " note TEXT NOT NULL DEFAULT '',"
    " created_by BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " closed_at BIGINT, version BIGINT NOT NULL DEFAULT 1);"
    "CREATE TABLE pv_review_villages ("
    " review_id BIGINT NOT NULL REFERENCES pv_reviews(id),"
    " area_code @CODE@ NOT NULL REFERENCES areas(code), PRIMARY KEY (review_id, area_code));"
    "CREATE TABLE pv_review_checkers ("
    " review_id BIGINT NOT NULL REFERENCES pv_reviews(id),"
    " user_id BIGINT NOT NULL REFERENCES users(id), PRIMARY KEY (review_id, user_id));"
    "CREATE TABLE pv_review_checks ("
    " review_id BIGINT NOT NULL REFERENCES pv_reviews(id),"
    " household_id BIGINT NOT NULL REFERENCES pv_households(id),"
    " area_code @CODE@ NOT NULL,"
    " is_key BIGINT NOT NULL, is_registered BIGINT NOT NULL,"
    " result TEXT, note TEXT, checked_at BIGINT, checked_by BIGINT,"
    " version BIGINT NOT NULL DEFAULT 1,"
    " PRIMARY KEY (review_id, household_id));"
    "CREATE INDEX pv_review_checks_area ON pv_review_checks(review_id, area_code);"
    "CREATE TABLE pv_review_focus_tags ("
    " review_id BIGINT NOT NULL REFERENCES pv_reviews(id),"
    " household_id BIGINT NOT NULL, tag TEXT NOT NULL,"
    " PRIMARY KEY (review_id, household_id, tag));"
    /* change requests (findings): what they do is their payload; what they did, their items */
    "CREATE TABLE pv_changes ("
    " id @ID@,"
    " review_id BIGINT REFERENCES pv_reviews(id),"
    " area_code @CODE@ NOT NULL REFERENCES areas(code),"
    " type TEXT NOT NULL, state TEXT NOT NULL,"
    " household_id BIGINT REFERENCES pv_households(id),"
    " payload TEXT NOT NULL, evidence TEXT NOT NULL DEFAULT '',"
    " description TEXT NOT NULL DEFAULT '', effective_date TEXT NOT NULL,"
    " n_households BIGINT NOT NULL DEFAULT 0, n_persons BIGINT NOT NULL DEFAULT 0,"
    " reject_reason TEXT,"
    " created_by BIGINT, submitted_by BIGINT, approved_by BIGINT, applied_by BIGINT,"
    " created_at BIGINT NOT NULL, submitted_at BIGINT, approved_at BIGINT, applied_at BIGINT,"
    " updated_at BIGINT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
    "CREATE INDEX pv_changes_review ON pv_changes(review_id, type);"
    "CREATE INDEX pv_changes_household ON pv_changes(household_id);"
    "CREATE INDEX pv_changes_area ON pv_changes(area_code, id);"
    "CREATE TABLE pv_change_items ("
    " id @ID@,"
    " change_id BIGINT NOT NULL REFERENCES pv_changes(id),"
    " household_id BIGINT REFERENCES pv_households(id),"
    " person_id BIGINT REFERENCES pv_persons(id), what TEXT NOT NULL);"
    "CREATE INDEX pv_change_items_change ON pv_change_items(change_id);"
    "CREATE INDEX pv_change_items_household ON pv_change_items(household_id);"
    /* projects and funds: counters are guarded by CHECKs and conditional updates */
    "CREATE TABLE pv_projects ("
    " id @ID@,"
    " area_code @CODE@ NOT NULL REFERENCES areas(code),"
    " name TEXT NOT NULL, type TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',"
    " responsible TEXT NOT NULL DEFAULT '',"
    " budget_fen BIGINT NOT NULL CHECK (budget_fen >= 0),"
    " start_date TEXT, planned_end TEXT NOT NULL, actual_end TEXT,"
    " progress BIGINT NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),"
    " acceptance TEXT NOT NULL DEFAULT 'pending'"
    "  CHECK (acceptance IN ('pending', 'passed', 'failed')), accepted_on TEXT,"
    " allocated_fen BIGINT NOT NULL DEFAULT 0 CHECK (allocated_fen <= budget_fen),"
    " disbursed_fen BIGINT NOT NULL DEFAULT 0,"
    " created_by BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " version BIGINT NOT NULL DEFAULT 1);"
    "CREATE INDEX pv_projects_area ON pv_projects(area_code, id);"
    "CREATE TABLE pv_fund_sources ("
    " id @ID@,"
    " area_code @CODE@ NOT NULL REFERENCES areas(code),"
    " name TEXT NOT NULL, level TEXT NOT NULL, year BIGINT NOT NULL,"
    " amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),"
    " allocated_fen BIGINT NOT NULL DEFAULT 0 CHECK (allocated_fen <= amount_fen),"
    " disbursed_fen BIGINT NOT NULL DEFAULT 0, note TEXT NOT NULL DEFAULT '',"
    " created_by BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " version BIGINT NOT NULL DEFAULT 1);"
    "CREATE TABLE pv_allocations ("
    " id @ID@,"
    " source_id BIGINT NOT NULL REFERENCES pv_fund_sources(id),"
    " project_id BIGINT NOT NULL REFERENCES pv_projects(id),"
    " area_code @CODE@ NOT NULL REFERENCES areas(code),"
    " amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),"
    " disbursed_fen BIGINT NOT NULL DEFAULT 0 CHECK (disbursed_fen <= amount_fen),"
    " allocated_on TEXT NOT NULL, note TEXT NOT NULL DEFAULT '',"
    " created_by BIGINT, created_at BIGINT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
    "CREATE INDEX pv_allocations_project ON pv_allocations(project_id);"
    "CREATE INDEX pv_allocations_source ON pv_allocations(source_id);"
    "CREATE TABLE pv_disbursements ("
    " id @ID@,"
    " allocation_id BIGINT NOT NULL REFERENCES pv_allocations(id),"
    " project_id BIGINT NOT NULL REFERENCES pv_projects(id),"
    " source_id BIGINT NOT NULL REFERENCES pv_fund_sources(id),"
    " area_code @CODE@ NOT NULL REFERENCES areas(code),"
    " voucher_no TEXT NOT NULL UNIQUE, payee TEXT NOT NULL, paid_on TEXT NOT NULL,"
    " amount_fen BIGINT NOT NULL CHECK (amount_fen > 0), note TEXT NOT NULL DEFAULT '',"
    " created_by BIGINT, created_at BIGINT NOT NULL);"
    "CREATE INDEX pv_disbursements_project ON pv_disbursements(project_id, paid_on);"
    "CREATE INDEX pv_disbursements_area ON pv_disbursements(area_code, paid_on);"
    /* 雨露计划 */
    "CREATE TABLE pv_yulu ("
    " id @ID@,"
    " person_id BIGINT NOT NULL REFERENCES pv_persons(id),"
    " household_id BIGINT NOT NULL REFERENCES pv_households(id),"
    " area_code @CODE@ NOT NULL REFERENCES areas(code),"
    " school_year TEXT NOT NULL, school TEXT NOT NULL, major TEXT NOT NULL DEFAULT '',"
    " level TEXT NOT NULL, full_time BIGINT NOT NULL, enrolled_on TEXT,"
    " annual_fen BIGINT NOT NULL, paid_fen BIGINT NOT NULL DEFAULT 0"
    "  CHECK (paid_fen <= annual_fen), eligibility TEXT NOT NULL,"
    " created_by BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " version BIGINT NOT NULL DEFAULT 1,"
    " UNIQUE (person_id, school_year));"
    "CREATE INDEX pv_yulu_area ON pv_yulu(area_code, school_year);"
    "CREATE TABLE pv_yulu_payments ("
    " id @ID@,"
    " yulu_id BIGINT NOT NULL REFERENCES pv_yulu(id),"
    " semester BIGINT NOT NULL CHECK (semester IN (1, 2)),"
    " amount_fen BIGINT NOT NULL CHECK (amount_fen > 0), paid_on TEXT NOT NULL,"
    " voucher_no TEXT NOT NULL DEFAULT '',"
    " created_by BIGINT, created_at BIGINT NOT NULL, UNIQUE (yulu_id, semester));";

const store_migration poverty_migrations[] = {{1, M1, NULL}};
const unsigned poverty_nmigrations = JC_NELEM(poverty_migrations);

#define TXT(i) arena_strdup(c->a, store_col_text(st, i))

static int stale(jc_ctx *c, const char *what_en, const char *what_zh)
{
    return jc_fail(
        c, JC_ESTALE, "stale_version", "version",
        arena_printf(c->a, "the %s was changed by someone else; reload and try again", what_en),
        arena_printf(c->a, "该%s已被他人修改,请刷新后重试", what_zh));
}

/* Runs a statement that must change exactly one row. */
static int run_one(jc_ctx *c, store_stmt *st)
{
    int rc = store_run(st);
    if (rc) return jc_fail_db(c, rc);
    return JC_OK;
}

/* ---- households ---- */

#define HH_COLS                                                                                    \
    "SELECT h.id, h.area_code, ar.name, h.household_no, h.address, h.phone, h.note, h.status,"     \
    " h.status_kind, h.status_since, h.created_at, h.updated_at, h.version,"                       \
    " (SELECT p.name FROM pv_persons p WHERE p.household_id = h.id AND p.relation = '户主'),"    \
    " (SELECT count(*) FROM pv_persons p WHERE p.household_id = h.id)"                             \
    " FROM pv_households h LEFT JOIN areas ar ON ar.code = h.area_code"

static void hh_from_row(jc_ctx *c, store_stmt *st, pv_household *h)
{
    memset(h, 0, sizeof *h);
    h->id = store_col_int(st, 0);
    h->area_code = TXT(1);
    h->area_name = TXT(2);
    h->household_no = TXT(3);
    h->address = TXT(4);
    h->phone = TXT(5);
    h->note = TXT(6);
    h->status = TXT(7);
    h->kind = TXT(8);
    h->status_since = TXT(9);
    h->created_at = store_col_int(st, 10);
    h->updated_at = store_col_int(st, 11);
    h->version = store_col_int(st, 12);
    h->head_name = TXT(13);
    h->members = store_col_int(st, 14);
}

static const char SQL_HH_GET[] = HH_COLS " WHERE h.id = ?";

int db_pv_household_get(jc_ctx *c, int64_t id, pv_household *h)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_HH_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    if (rc == JC_OK) hh_from_row(c, st, h);
    store_reset(st);
    if (rc == JC_ENOTFOUND)
        return jc_fail(c, rc, "not_found", NULL, "no such household", "该户不存在");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static const char SQL_HH_BY_NO[] = "SELECT id, area_code FROM pv_households WHERE household_no = ?";

int db_pv_household_by_no(jc_ctx *c, const char *no, int64_t *id, const char **area)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_HH_BY_NO, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, no);
    rc = store_one(st);
    if (rc == JC_OK) {
        *id = store_col_int(st, 0);
        if (area) *area = TXT(1);
    }
    store_reset(st);
    if (rc == JC_ENOTFOUND) {
        *id = 0;
        return JC_OK;
    }
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static const char SQL_HH_INSERT[] =
    "INSERT INTO pv_households (area_code, household_no, address, phone, note, status,"
    " status_kind, status_since, created_by, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10) RETURNING id";

int db_pv_household_insert(jc_ctx *c, const pv_household *h, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_HH_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, h->area_code);
    store_bind_text(st, 2, h->household_no && *h->household_no ? h->household_no : NULL);
    store_bind_text(st, 3, h->address ? h->address : "");
    store_bind_text(st, 4, h->phone && *h->phone ? h->phone : NULL);
    store_bind_text(st, 5, h->note ? h->note : "");
    store_bind_text(st, 6, h->status);
    store_bind_text(st, 7, h->kind ? h->kind : "");
    store_bind_text(st, 8, h->status_since);
    jc_bind_actor(st, 9, c);
    store_bind_int(st, 10, c->now);
    rc = store_one_int(st, id);
    if (rc == JC_ECONFLICT)
        return jc_fail(
            c, rc, "duplicate", "household_no",
            arena_printf(c->a, "household number %s is already registered", h->household_no),
            arena_printf(c->a, "户编号 %s 已存在", h->household_no));
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static const char SQL_HH_UPDATE[] =
    "UPDATE pv_households SET household_no = ?1, address = ?2, phone = ?3, note = ?4,"
    " updated_at = ?5, version = version + 1 WHERE id = ?6 AND version = ?7";

int db_pv_household_update(jc_ctx *c, const pv_household *h, int64_t version)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_HH_UPDATE, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, h->household_no && *h->household_no ? h->household_no : NULL);
    store_bind_text(st, 2, h->address);
    store_bind_text(st, 3, h->phone && *h->phone ? h->phone : NULL);
    store_bind_text(st, 4, h->note);
    store_bind_int(st, 5, c->now);
    store_bind_int(st, 6, h->id);
    store_bind_int(st, 7, version);
    rc = store_run(st);
    if (rc == JC_ECONFLICT)
        return jc_fail(
            c, rc, "duplicate", "household_no",
            arena_printf(c->a, "household number %s is already registered", h->household_no),
            arena_printf(c->a, "户编号 %s 已存在", h->household_no));
    if (rc) return jc_fail_db(c, rc);
    if (store_changes(st) == 0) return stale(c, "household", "户");
    return JC_OK;
}

/* Guarded by the version the caller read in its transaction: two steps at once on PostgreSQL
 * cannot both pass and leave a history that disagrees with the household. */
static const char SQL_HH_STATUS[] =
    "UPDATE pv_households SET status = ?1, status_kind = ?2, status_since = ?3, updated_at = ?4,"
    " version = version + 1 WHERE id = ?5 AND version = ?6";

int db_pv_household_set_status(jc_ctx *c, int64_t id, const char *status, const char *kind,
                               const char *since, int64_t version)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_HH_STATUS, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, status);
    store_bind_text(st, 2, kind ? kind : "");
    store_bind_text(st, 3, since);
    store_bind_int(st, 4, c->now);
    store_bind_int(st, 5, id);
    store_bind_int(st, 6, version);
    rc = store_run(st);
    if (rc) return jc_fail_db(c, rc);
    if (store_changes(st) == 0) return stale(c, "household", "户");
    return JC_OK;
}

static const char SQL_HH_TOUCH[] =
    "UPDATE pv_households SET updated_at = ?1, version = version + 1 WHERE id = ?2";

int db_pv_household_touch(jc_ctx *c, int64_t id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_HH_TOUCH, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, c->now);
    store_bind_int(st, 2, id);
    return run_one(c, st);
}

/* ?1..?2 area range, ?3 covered, ?4 user, ?5 tag, ?6 status, ?7 LIKE pattern, ?8 exact text
 * (household number or citizen ID), ?9 key only: tags come only from the configured 十类重点户
 * categories and 建档立卡, so any other tag than 建档立卡 makes a household a key one */
#define HH_WHERE                                                                                   \
    " WHERE h.area_code >= ?1 AND h.area_code < ?2"                                                \
    " AND (?3 = 1 OR EXISTS (SELECT 1 FROM user_areas g WHERE g.user_id = ?4"                      \
    "  AND h.area_code >= g.prefix AND h.area_code < g.prefix_end))"                               \
    " AND (?5 IS NULL OR EXISTS (SELECT 1 FROM pv_household_tags t"                                \
    "  WHERE t.household_id = h.id AND t.tag = ?5))"                                               \
    " AND (?6 IS NULL OR h.status = ?6)"                                                           \
    " AND (?7 IS NULL OR h.address LIKE ?7 ESCAPE '\\' OR h.household_no = ?8"                     \
    "  OR EXISTS (SELECT 1 FROM pv_persons p WHERE p.household_id = h.id"                          \
    "   AND (p.name LIKE ?7 ESCAPE '\\' OR p.citizen_id = ?8)))"                                   \
    " AND (?9 = 0 OR EXISTS (SELECT 1 FROM pv_household_tags t WHERE t.household_id = h.id"        \
    "  AND t.tag <> '" PV_TAG_REGISTERED "'))"

static const char SQL_HH_LIST[] =
    HH_COLS HH_WHERE " ORDER BY h.area_code, h.id LIMIT ?10 OFFSET ?11";
static const char SQL_HH_COUNT[] = "SELECT count(*) FROM pv_households h" HH_WHERE;

static void bind_hh_filter(jc_ctx *c, store_stmt *st, const pv_hh_filter *f)
{
    store_bind_text(st, 1, f->lo);
    store_bind_text(st, 2, f->hi);
    store_bind_int(st, 3, f->covered ? 1 : 0);
    store_bind_int(st, 4, c->user ? c->user->id : 0);
    store_bind_text(st, 5, f->tag && *f->tag ? f->tag : NULL);
    store_bind_text(st, 6, f->status && *f->status ? f->status : NULL);
    store_bind_text(st, 7, store_like_contains(c->a, f->q));
    store_bind_text(st, 8, f->q && *f->q ? f->q : NULL);
    store_bind_int(st, 9, f->key_only ? 1 : 0);
}

int db_pv_household_list(jc_ctx *c, const pv_hh_filter *f, pv_household_fn fn, void *arg,
                         int64_t *total)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_HH_COUNT, &st);
    if (rc) return jc_fail_db(c, rc);
    bind_hh_filter(c, st, f);
    rc = store_one_int(st, total);
    if (rc) return jc_fail_db(c, rc);
    if ((rc = store_prepare(c->db, SQL_HH_LIST, &st))) return jc_fail_db(c, rc);
    bind_hh_filter(c, st, f);
    store_bind_int(st, 10, f->limit);
    store_bind_int(st, 11, f->offset);
    int frc = JC_OK;
    while (!frc && (rc = store_step(st)) == STORE_ROW) {
        pv_household h;
        hh_from_row(c, st, &h);
        frc = fn(c, &h, arg);
    }
    store_reset(st);
    if (frc) return frc;
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

/* ---- tags ---- */

static const char SQL_TAGS[] =
    "SELECT tag FROM pv_household_tags WHERE household_id = ? ORDER BY tag";
static const char SQL_TAG_ADD[] =
    "INSERT INTO pv_household_tags (household_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING";
static const char SQL_TAGS_CLEAR[] = "DELETE FROM pv_household_tags WHERE household_id = ?";
static const char SQL_TAG_REMOVE[] =
    "DELETE FROM pv_household_tags WHERE household_id = ? AND tag = ?";

int db_pv_tags(jc_ctx *c, int64_t household_id, json_t **out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_TAGS, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, household_id);
    json_t *arr = jc_own(c, json_array());
    while ((rc = store_step(st)) == STORE_ROW)
        json_array_append_new(arr, json_string(store_col_text(st, 0)));
    store_reset(st);
    if (rc != STORE_DONE) return jc_fail_db(c, rc);
    *out = arr;
    return JC_OK;
}

int db_pv_tag_add(jc_ctx *c, int64_t household_id, const char *tag)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_TAG_ADD, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, household_id);
    store_bind_text(st, 2, tag);
    return run_one(c, st);
}

int db_pv_tags_clear(jc_ctx *c, int64_t household_id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_TAGS_CLEAR, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, household_id);
    return run_one(c, st);
}

int db_pv_tag_remove(jc_ctx *c, int64_t household_id, const char *tag)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_TAG_REMOVE, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, household_id);
    store_bind_text(st, 2, tag);
    return run_one(c, st);
}

/* ---- persons ---- */

#define PERSON_COLS                                                                                \
    "SELECT id, citizen_id, name, sex, birth_date, phone, area_code, household_id, relation,"      \
    " state, left_reason, left_on, created_at, updated_at, version,"                               \
    " (SELECT h.household_no FROM pv_households h WHERE h.id = pv_persons.household_id)"           \
    " FROM pv_persons"

static void person_from_row(jc_ctx *c, store_stmt *st, pv_person *p)
{
    memset(p, 0, sizeof *p);
    p->id = store_col_int(st, 0);
    p->citizen_id = TXT(1);
    p->name = TXT(2);
    p->sex = store_col_int(st, 3);
    p->birth_date = TXT(4);
    p->phone = TXT(5);
    p->area_code = TXT(6);
    p->household_id = store_col_int(st, 7);
    p->relation = TXT(8);
    p->state = TXT(9);
    p->left_reason = TXT(10);
    p->left_on = TXT(11);
    p->created_at = store_col_int(st, 12);
    p->updated_at = store_col_int(st, 13);
    p->version = store_col_int(st, 14);
    p->household_no = TXT(15);
}

static const char SQL_PERSON_GET[] = PERSON_COLS " WHERE id = ?";
static const char SQL_PERSON_BY_CID[] = PERSON_COLS " WHERE citizen_id = ?";

int db_pv_person_get(jc_ctx *c, int64_t id, pv_person *p)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_PERSON_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    if (rc == JC_OK) person_from_row(c, st, p);
    store_reset(st);
    if (rc == JC_ENOTFOUND)
        return jc_fail(c, rc, "not_found", NULL, "no such person", "该人员不存在");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_pv_person_by_cid(jc_ctx *c, const char *citizen_id, pv_person *p)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_PERSON_BY_CID, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, citizen_id);
    rc = store_one(st);
    if (rc == JC_OK) person_from_row(c, st, p);
    store_reset(st);
    if (rc == JC_ENOTFOUND) return rc;
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static const char SQL_PERSON_INSERT[] =
    "INSERT INTO pv_persons (citizen_id, name, sex, birth_date, phone, area_code, household_id,"
    " relation, state, created_by, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'alive', ?9, ?10, ?10) RETURNING id";

int db_pv_person_insert(jc_ctx *c, const pv_person *p, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_PERSON_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, p->citizen_id);
    store_bind_text(st, 2, p->name);
    store_bind_int(st, 3, p->sex);
    store_bind_text(st, 4, p->birth_date);
    store_bind_text(st, 5, p->phone && *p->phone ? p->phone : NULL);
    store_bind_text(st, 6, p->area_code);
    store_bind_opt_int(st, 7, p->household_id, p->household_id > 0);
    store_bind_text(st, 8, p->relation ? p->relation : "");
    jc_bind_actor(st, 9, c);
    store_bind_int(st, 10, c->now);
    rc = store_one_int(st, id);
    if (rc == JC_ECONFLICT)
        return jc_fail(c, rc, "duplicate", "citizen_id",
                       "this citizen ID is already registered, or the household already has a "
                       "head (户主)",
                       "该身份证号已登记,或该户已有户主");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static const char SQL_PERSON_UPDATE[] =
    "UPDATE pv_persons SET name = ?1, phone = ?2, area_code = ?3, household_id = ?4,"
    " relation = ?5, state = ?6, left_reason = ?7, left_on = ?8, updated_at = ?9,"
    " version = version + 1 WHERE id = ?10 AND version = ?11";

int db_pv_person_update(jc_ctx *c, const pv_person *p, int64_t version)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_PERSON_UPDATE, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, p->name);
    store_bind_text(st, 2, p->phone && *p->phone ? p->phone : NULL);
    store_bind_text(st, 3, p->area_code);
    store_bind_opt_int(st, 4, p->household_id, p->household_id > 0);
    store_bind_text(st, 5, p->relation ? p->relation : "");
    store_bind_text(st, 6, p->state);
    store_bind_text(st, 7, p->left_reason);
    store_bind_text(st, 8, p->left_on);
    store_bind_int(st, 9, c->now);
    store_bind_int(st, 10, p->id);
    store_bind_int(st, 11, version);
    rc = store_run(st);
    if (rc == JC_ECONFLICT)
        return jc_fail(c, rc, "duplicate", "relation", "the household already has a head (户主)",
                       "该户已有户主");
    if (rc) return jc_fail_db(c, rc);
    if (store_changes(st) == 0) return stale(c, "person", "人员");
    return JC_OK;
}

static const char SQL_MEMBERS[] =
    PERSON_COLS " WHERE household_id = ?"
                " ORDER BY CASE WHEN relation = '户主' THEN 0 ELSE 1 END, birth_date, id";

int db_pv_members(jc_ctx *c, int64_t household_id, pv_person_fn fn, void *arg)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_MEMBERS, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, household_id);
    /* the rows are copied out first: fn may use other statements */
    pv_person *rows = NULL;
    int n = 0, cap = 0;
    while ((rc = store_step(st)) == STORE_ROW) {
        if (n == cap) {
            int ncap = cap ? cap * 2 : 16;
            pv_person *nr = arena_alloc(c->a, sizeof *nr * (size_t)ncap);
            if (!nr) {
                store_reset(st);
                return JC_ENOMEM;
            }
            if (n) memcpy(nr, rows, sizeof *nr * (size_t)n);
            rows = nr;
            cap = ncap;
        }
        person_from_row(c, st, &rows[n++]);
    }
    store_reset(st);
    if (rc != STORE_DONE) return jc_fail_db(c, rc);
    for (int i = 0; i < n; i++)
        if ((rc = fn(c, &rows[i], arg))) return rc;
    return JC_OK;
}

static const char SQL_MEMBER_COUNT[] = "SELECT count(*) FROM pv_persons WHERE household_id = ?";

int db_pv_member_count(jc_ctx *c, int64_t household_id, int64_t *n)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_MEMBER_COUNT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, household_id);
    rc = store_one_int(st, n);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

#define PERSON_WHERE                                                                               \
    " WHERE area_code >= ?1 AND area_code < ?2"                                                    \
    " AND (?3 = 1 OR EXISTS (SELECT 1 FROM user_areas g WHERE g.user_id = ?4"                      \
    "  AND pv_persons.area_code >= g.prefix AND pv_persons.area_code < g.prefix_end))"             \
    " AND (?5 IS NULL OR name LIKE ?5 ESCAPE '\\' OR citizen_id = ?6)"                             \
    " AND (?7 IS NULL OR state = ?7) AND (?8 = 0 OR household_id = ?8)"

static const char SQL_PERSON_LIST[] =
    PERSON_COLS PERSON_WHERE " ORDER BY area_code, household_id, id LIMIT ?9 OFFSET ?10";
static const char SQL_PERSON_COUNT[] = "SELECT count(*) FROM pv_persons" PERSON_WHERE;

static void bind_person_filter(jc_ctx *c, store_stmt *st, const pv_person_filter *f)
{
    store_bind_text(st, 1, f->lo);
    store_bind_text(st, 2, f->hi);
    store_bind_int(st, 3, f->covered ? 1 : 0);
    store_bind_int(st, 4, c->user ? c->user->id : 0);
    store_bind_text(st, 5, store_like_contains(c->a, f->q));
    store_bind_text(st, 6, f->q && *f->q ? f->q : NULL);
    store_bind_text(st, 7, f->state && *f->state ? f->state : NULL);
    store_bind_int(st, 8, f->household_id);
}

int db_pv_person_list(jc_ctx *c, const pv_person_filter *f, pv_person_fn fn, void *arg,
                      int64_t *total)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_PERSON_COUNT, &st);
    if (rc) return jc_fail_db(c, rc);
    bind_person_filter(c, st, f);
    rc = store_one_int(st, total);
    if (rc) return jc_fail_db(c, rc);
    if ((rc = store_prepare(c->db, SQL_PERSON_LIST, &st))) return jc_fail_db(c, rc);
    bind_person_filter(c, st, f);
    store_bind_int(st, 9, f->limit);
    store_bind_int(st, 10, f->offset);
    int frc = JC_OK;
    while (!frc && (rc = store_step(st)) == STORE_ROW) {
        pv_person p;
        person_from_row(c, st, &p);
        frc = fn(c, &p, arg);
    }
    store_reset(st);
    if (frc) return frc;
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

/* ---- membership history ---- */

static const char SQL_MEMBER_JOIN[] =
    "INSERT INTO pv_members (person_id, household_id, relation, from_date, reason_in, change_id)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_MEMBER_LEAVE[] =
    "UPDATE pv_members SET to_date = ?2, reason_out = ?3 WHERE person_id = ?1 AND to_date IS NULL";

int db_pv_member_join(jc_ctx *c, int64_t person_id, int64_t household_id, const char *relation,
                      const char *from, const char *reason, int64_t change_id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_MEMBER_JOIN, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, person_id);
    store_bind_int(st, 2, household_id);
    store_bind_text(st, 3, relation ? relation : "");
    store_bind_text(st, 4, from);
    store_bind_text(st, 5, reason ? reason : "");
    store_bind_opt_int(st, 6, change_id, change_id > 0);
    rc = store_run(st);
    if (rc == JC_ECONFLICT)
        return jc_fail(c, rc, "duplicate", "citizen_id", "the person is already in a household",
                       "该人员已在其他户中");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_pv_member_leave(jc_ctx *c, int64_t person_id, const char *on, const char *reason)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_MEMBER_LEAVE, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, person_id);
    store_bind_text(st, 2, on);
    store_bind_text(st, 3, reason);
    return run_one(c, st);
}

static const char SQL_MEMBER_HISTORY[] =
    "SELECT m.person_id, p.name, p.citizen_id, m.relation, m.from_date, m.to_date, m.reason_in,"
    " m.reason_out, m.change_id FROM pv_members m JOIN pv_persons p ON p.id = m.person_id"
    " WHERE m.household_id = ? ORDER BY m.from_date, m.id";

int db_pv_member_history(jc_ctx *c, int64_t household_id, bool pii, json_t **out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_MEMBER_HISTORY, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, household_id);
    json_t *arr = jc_own(c, json_array());
    while ((rc = store_step(st)) == STORE_ROW) {
        char masked[32];
        const char *cid = store_col_text(st, 2);
        if (!pii) mask_citizen_id(cid, masked);
        json_t *o =
            json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:s, s:s?}", "person_id",
                      (json_int_t)store_col_int(st, 0), "name", store_col_text(st, 1), "citizen_id",
                      pii ? cid : masked, "relation", store_col_text(st, 3), "from",
                      store_col_text(st, 4), "to", store_col_text(st, 5), "reason_in",
                      store_col_text(st, 6), "reason_out", store_col_text(st, 7));
        if (o)
            json_object_set_new(o, "change_id",
                                store_col_null(st, 8) ? json_null()
                                                      : json_integer(store_col_int(st, 8)));
        json_array_append_new(arr, o);
    }
    store_reset(st);
    if (rc != STORE_DONE) return jc_fail_db(c, rc);
    *out = arr;
    return JC_OK;
}

/* ---- status history ---- */

static const char SQL_STATUS_APPEND[] =
    "INSERT INTO pv_status_history (household_id, status, kind, prev_status, prev_kind,"
    " effective_date, reason, change_id, notice_id, created_by, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id";

int db_pv_status_append(jc_ctx *c, const pv_status_row *r, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_STATUS_APPEND, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, r->household_id);
    store_bind_text(st, 2, r->status);
    store_bind_text(st, 3, r->kind ? r->kind : "");
    store_bind_text(st, 4, r->prev_status);
    store_bind_text(st, 5, r->prev_kind);
    store_bind_text(st, 6, r->effective_date);
    store_bind_text(st, 7, r->reason ? r->reason : "");
    store_bind_opt_int(st, 8, r->change_id, r->change_id > 0);
    store_bind_opt_int(st, 9, r->notice_id, r->notice_id > 0);
    jc_bind_actor(st, 10, c);
    store_bind_int(st, 11, c->now);
    rc = store_one(st);
    if (id) *id = rc ? 0 : store_col_int(st, 0);
    store_reset(st);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static const char SQL_STATUS_HISTORY[] =
    "SELECT s.id, s.status, s.kind, s.prev_status, s.prev_kind, s.effective_date, s.reason,"
    " s.change_id, s.notice_id, s.created_at, u.display_name FROM pv_status_history s"
    " LEFT JOIN users u ON u.id = s.created_by"
    " WHERE s.household_id = ? ORDER BY s.effective_date, s.id";

int db_pv_status_history(jc_ctx *c, int64_t household_id, json_t **out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_STATUS_HISTORY, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, household_id);
    json_t *arr = jc_own(c, json_array());
    while ((rc = store_step(st)) == STORE_ROW) {
        char ts[32];
        jc_time_local(store_col_int(st, 9), ts);
        const char *status = store_col_text(st, 1), *kind = store_col_text(st, 2);
        const char *kzh = pv_kind_zh(status, kind);
        json_t *o = json_pack(
            "{s:I, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s, s:s, s:s, s:s?}", "id",
            (json_int_t)store_col_int(st, 0), "status", status, "status_zh", pv_status_zh(status),
            "kind", kind, "kind_zh", kzh ? kzh : "", "prev_status", store_col_text(st, 3),
            "prev_kind", store_col_text(st, 4), "effective_date", store_col_text(st, 5), "reason",
            store_col_text(st, 6), "recorded_at", ts, "recorded_by", store_col_text(st, 10));
        if (o) {
            json_object_set_new(o, "change_id",
                                store_col_null(st, 7) ? json_null()
                                                      : json_integer(store_col_int(st, 7)));
            json_object_set_new(o, "notice_id",
                                store_col_null(st, 8) ? json_null()
                                                      : json_integer(store_col_int(st, 8)));
        }
        json_array_append_new(arr, o);
    }
    store_reset(st);
    if (rc != STORE_DONE) return jc_fail_db(c, rc);
    *out = arr;
    return JC_OK;
}

static const char SQL_STATUS_LAST_DATE[] =
    "SELECT max(effective_date) FROM pv_status_history WHERE household_id = ?";

int db_pv_status_last_date(jc_ctx *c, int64_t household_id, const char **date)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_STATUS_LAST_DATE, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, household_id);
    rc = store_one(st);
    *date = rc == JC_OK && !store_col_null(st, 0) ? TXT(0) : "";
    store_reset(st);
    return rc && rc != JC_ENOTFOUND ? jc_fail_db(c, rc) : JC_OK;
}

static const char SQL_STATUS_BEFORE_LAST[] =
    "SELECT prev_status, prev_kind FROM pv_status_history WHERE household_id = ?"
    " ORDER BY effective_date DESC, id DESC LIMIT 1";

int db_pv_status_before_last(jc_ctx *c, int64_t household_id, const char **status,
                             const char **kind)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_STATUS_BEFORE_LAST, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, household_id);
    rc = store_one(st);
    *status = rc == JC_OK ? TXT(0) : NULL;
    *kind = rc == JC_OK ? TXT(1) : NULL;
    store_reset(st);
    return rc && rc != JC_ENOTFOUND ? jc_fail_db(c, rc) : JC_OK;
}

/* The status of every household at the end of ?1: its history row with the latest effective date
 * not after ?1 (ties: the later row). Households registered after ?1 have no such row. */
#define STATUS_AT                                                                                  \
    "WITH st AS (SELECT s.household_id, s.status FROM pv_status_history s"                         \
    " WHERE s.effective_date <= ?1 AND NOT EXISTS (SELECT 1 FROM pv_status_history s2"             \
    "  WHERE s2.household_id = s.household_id AND s2.effective_date <= ?1"                         \
    "  AND (s2.effective_date > s.effective_date"                                                  \
    "   OR (s2.effective_date = s.effective_date AND s2.id > s.id))))"

#define STATS_WHERE                                                                                \
    " WHERE h.area_code >= ?2 AND h.area_code < ?3"                                                \
    " AND (?4 = 1 OR EXISTS (SELECT 1 FROM user_areas g WHERE g.user_id = ?5"                      \
    "  AND h.area_code >= g.prefix AND h.area_code < g.prefix_end))"

static const char SQL_STATS_HH[] =
    STATUS_AT " SELECT h.area_code, st.status, count(*) FROM st"
              " JOIN pv_households h ON h.id = st.household_id" STATS_WHERE
              " GROUP BY h.area_code, st.status ORDER BY h.area_code, st.status";
/* members at the end of ?1: joined on or before it, not left on or before it */
static const char SQL_STATS_PERSONS[] =
    STATUS_AT " SELECT h.area_code, st.status, count(*) FROM st"
              " JOIN pv_households h ON h.id = st.household_id"
              " JOIN pv_members m ON m.household_id = st.household_id" STATS_WHERE
              " AND m.from_date <= ?1 AND (m.to_date IS NULL OR m.to_date > ?1)"
              " GROUP BY h.area_code, st.status ORDER BY h.area_code, st.status";

/* Adds count to villages[area][key][status] (objects created on demand). */
static void stats_add(json_t *villages, const char *area, const char *key, const char *status,
                      int64_t n)
{
    json_t *v = json_object_get(villages, area);
    if (!v) {
        v = json_object();
        json_object_set_new(villages, area, v);
    }
    json_t *k = json_object_get(v, key);
    if (!k) {
        k = json_object();
        json_object_set_new(v, key, k);
    }
    json_object_set_new(k, status, json_integer(n));
}

int db_pv_stats(jc_ctx *c, const char *lo, const char *hi, bool covered, const char *as_of,
                json_t *villages)
{
    const char *sqls[2] = {SQL_STATS_HH, SQL_STATS_PERSONS};
    const char *keys[2] = {"households", "persons"};
    for (int k = 0; k < 2; k++) {
        store_stmt *st;
        int rc = store_prepare(c->db, sqls[k], &st);
        if (rc) return jc_fail_db(c, rc);
        store_bind_text(st, 1, as_of);
        store_bind_text(st, 2, lo);
        store_bind_text(st, 3, hi);
        store_bind_int(st, 4, covered ? 1 : 0);
        store_bind_int(st, 5, c->user ? c->user->id : 0);
        while ((rc = store_step(st)) == STORE_ROW)
            stats_add(villages, store_col_text(st, 0), keys[k], store_col_text(st, 1),
                      store_col_int(st, 2));
        store_reset(st);
        if (rc != STORE_DONE) return jc_fail_db(c, rc);
    }
    return JC_OK;
}

/* ---- 公示 ---- */

#define NOTICE_COLS                                                                                \
    "SELECT n.id, n.area_code, n.household_id, n.change_id, n.target_status, n.target_kind,"       \
    " n.start_date, n.end_date, n.days, n.place, n.outcome, n.created_at, n.version,"              \
    " (SELECT count(*) FROM pv_objections o WHERE o.notice_id = n.id"                              \
    "  AND o.resolution = 'pending'),"                                                             \
    " (SELECT count(*) FROM pv_objections o WHERE o.notice_id = n.id"                              \
    "  AND o.resolution = 'upheld')"                                                               \
    " FROM pv_notices n"

static void notice_from_row(jc_ctx *c, store_stmt *st, pv_notice *n)
{
    memset(n, 0, sizeof *n);
    n->id = store_col_int(st, 0);
    n->area_code = TXT(1);
    n->household_id = store_col_int(st, 2);
    n->change_id = store_col_int(st, 3);
    n->target_status = TXT(4);
    n->target_kind = TXT(5);
    n->start_date = TXT(6);
    n->end_date = TXT(7);
    n->days = store_col_int(st, 8);
    n->place = TXT(9);
    n->outcome = TXT(10);
    n->created_at = store_col_int(st, 11);
    n->version = store_col_int(st, 12);
    n->pending = store_col_int(st, 13);
    n->upheld = store_col_int(st, 14);
}

static const char SQL_NOTICE_GET[] = NOTICE_COLS " WHERE n.id = ?";

int db_pv_notice_get(jc_ctx *c, int64_t id, pv_notice *n)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_NOTICE_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    if (rc == JC_OK) notice_from_row(c, st, n);
    store_reset(st);
    if (rc == JC_ENOTFOUND)
        return jc_fail(c, rc, "not_found", NULL, "no such public notice", "该公示不存在");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static const char SQL_NOTICE_INSERT[] =
    "INSERT INTO pv_notices (area_code, household_id, change_id, target_status, target_kind,"
    " start_date, end_date, days, place, created_by, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11) RETURNING id";

int db_pv_notice_insert(jc_ctx *c, const pv_notice *n, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_NOTICE_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, n->area_code);
    store_bind_opt_int(st, 2, n->household_id, n->household_id > 0);
    store_bind_opt_int(st, 3, n->change_id, n->change_id > 0);
    store_bind_text(st, 4, n->target_status);
    store_bind_text(st, 5, n->target_kind ? n->target_kind : "");
    store_bind_text(st, 6, n->start_date);
    store_bind_text(st, 7, n->end_date);
    store_bind_int(st, 8, n->days);
    store_bind_text(st, 9, n->place ? n->place : "");
    jc_bind_actor(st, 10, c);
    store_bind_int(st, 11, c->now);
    rc = store_one_int(st, id);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static const char SQL_NOTICE_OUTCOME[] =
    "UPDATE pv_notices SET outcome = ?1, household_id = COALESCE(household_id, ?2),"
    " updated_at = ?3, version = version + 1 WHERE id = ?4";

int db_pv_notice_set_outcome(jc_ctx *c, int64_t id, const char *outcome, int64_t household_id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_NOTICE_OUTCOME, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, outcome);
    store_bind_opt_int(st, 2, household_id, household_id > 0);
    store_bind_int(st, 3, c->now);
    store_bind_int(st, 4, id);
    return run_one(c, st);
}

static const char SQL_NOTICE_OPEN_HH[] =
    NOTICE_COLS " WHERE n.household_id = ?1 AND n.target_status = ?2 AND n.outcome IS NULL"
                " ORDER BY n.id DESC LIMIT 1";
static const char SQL_NOTICE_OPEN_CHANGE[] =
    NOTICE_COLS " WHERE n.change_id = ?1 AND n.target_status = ?2 AND n.outcome IS NULL"
                " ORDER BY n.id DESC LIMIT 1";

int db_pv_notice_open(jc_ctx *c, int64_t household_id, int64_t change_id, const char *target,
                      pv_notice *n)
{
    store_stmt *st;
    int rc = store_prepare(c->db, change_id ? SQL_NOTICE_OPEN_CHANGE : SQL_NOTICE_OPEN_HH, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, change_id ? change_id : household_id);
    store_bind_text(st, 2, target);
    rc = store_one(st);
    if (rc == JC_OK) notice_from_row(c, st, n);
    store_reset(st);
    if (rc == JC_ENOTFOUND) return rc;
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static const char SQL_OBJECTIONS[] =
    "SELECT id, received_on, from_name, content, resolution, resolution_note, resolved_on,"
    " version FROM pv_objections WHERE notice_id = ? ORDER BY id";

static int objections_json(jc_ctx *c, int64_t notice_id, json_t **out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_OBJECTIONS, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, notice_id);
    json_t *arr = json_array();
    while ((rc = store_step(st)) == STORE_ROW)
        json_array_append_new(
            arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:s?, s:I}", "id",
                           (json_int_t)store_col_int(st, 0), "received_on", store_col_text(st, 1),
                           "from_name", store_col_text(st, 2), "content", store_col_text(st, 3),
                           "resolution", store_col_text(st, 4), "resolution_note",
                           store_col_text(st, 5), "resolved_on", store_col_text(st, 6), "version",
                           (json_int_t)store_col_int(st, 7)));
    store_reset(st);
    if (rc != STORE_DONE) {
        json_decref(arr);
        return jc_fail_db(c, rc);
    }
    *out = arr;
    return JC_OK;
}

static const char SQL_NOTICES_HH[] = NOTICE_COLS " WHERE n.household_id = ? ORDER BY n.id";
static const char SQL_NOTICES_CHANGE[] = NOTICE_COLS " WHERE n.change_id = ? ORDER BY n.id";

int db_pv_notices_json(jc_ctx *c, int64_t household_id, int64_t change_id, json_t **out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, change_id ? SQL_NOTICES_CHANGE : SQL_NOTICES_HH, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, change_id ? change_id : household_id);
    pv_notice rows[64];
    int n = 0;
    while (n < (int)JC_NELEM(rows) && (rc = store_step(st)) == STORE_ROW)
        notice_from_row(c, st, &rows[n++]);
    store_reset(st);
    if (rc != STORE_DONE && rc != STORE_ROW) return jc_fail_db(c, rc);
    json_t *arr = jc_own(c, json_array());
    for (int i = 0; i < n; i++) {
        json_t *o = pv_notice_json(c, &rows[i]), *obj = NULL;
        if ((rc = objections_json(c, rows[i].id, &obj))) return rc;
        json_object_set_new(o, "objections", obj);
        json_array_append(arr, o);
    }
    *out = arr;
    return JC_OK;
}

#define NOTICE_WHERE                                                                               \
    " WHERE n.area_code >= ?1 AND n.area_code < ?2"                                                \
    " AND (?3 = 1 OR EXISTS (SELECT 1 FROM user_areas g WHERE g.user_id = ?4"                      \
    "  AND n.area_code >= g.prefix AND n.area_code < g.prefix_end))"                               \
    " AND (?5 = 0 OR n.outcome IS NULL)"

static const char SQL_NOTICE_LIST[] =
    NOTICE_COLS NOTICE_WHERE " ORDER BY n.start_date DESC, n.id DESC LIMIT ?6 OFFSET ?7";
static const char SQL_NOTICE_COUNT[] = "SELECT count(*) FROM pv_notices n" NOTICE_WHERE;

int db_pv_notice_list(jc_ctx *c, const pv_notice_filter *f, json_t *items, int64_t *total)
{
    store_stmt *st;
    int rc;
    for (int pass = 0; pass < 2; pass++) {
        if ((rc = store_prepare(c->db, pass ? SQL_NOTICE_LIST : SQL_NOTICE_COUNT, &st)))
            return jc_fail_db(c, rc);
        store_bind_text(st, 1, f->lo);
        store_bind_text(st, 2, f->hi);
        store_bind_int(st, 3, f->covered ? 1 : 0);
        store_bind_int(st, 4, c->user ? c->user->id : 0);
        store_bind_int(st, 5, f->open_only ? 1 : 0);
        if (pass) {
            store_bind_int(st, 6, f->limit);
            store_bind_int(st, 7, f->offset);
        }
        while ((rc = store_step(st)) == STORE_ROW) {
            if (!pass) {
                *total = store_col_int(st, 0);
                continue;
            }
            pv_notice n;
            notice_from_row(c, st, &n);
            json_array_append(items, pv_notice_json(c, &n));
        }
        store_reset(st);
        if (rc != STORE_DONE) return jc_fail_db(c, rc);
    }
    return JC_OK;
}

static const char SQL_OBJECTION_INSERT[] =
    "INSERT INTO pv_objections (notice_id, received_on, from_name, content, created_by,"
    " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) RETURNING id";

int db_pv_objection_insert(jc_ctx *c, int64_t notice_id, const char *received_on,
                           const char *from_name, const char *content, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_OBJECTION_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, notice_id);
    store_bind_text(st, 2, received_on);
    store_bind_text(st, 3, from_name ? from_name : "");
    store_bind_text(st, 4, content);
    jc_bind_actor(st, 5, c);
    store_bind_int(st, 6, c->now);
    rc = store_one_int(st, id);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static const char SQL_OBJECTION_GET[] =
    "SELECT id, received_on, from_name, content, resolution, resolution_note, resolved_on,"
    " version, notice_id FROM pv_objections WHERE id = ?";

int db_pv_objection_get(jc_ctx *c, int64_t id, json_t **out, int64_t *notice_id, int64_t *version)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_OBJECTION_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    if (rc == JC_OK) {
        *out = jc_own(c, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:s?, s:I, s:I}", "id",
                                   (json_int_t)store_col_int(st, 0), "received_on",
                                   store_col_text(st, 1), "from_name", store_col_text(st, 2),
                                   "content", store_col_text(st, 3), "resolution",
                                   store_col_text(st, 4), "resolution_note", store_col_text(st, 5),
                                   "resolved_on", store_col_text(st, 6), "version",
                                   (json_int_t)store_col_int(st, 7), "notice_id",
                                   (json_int_t)store_col_int(st, 8)));
        *version = store_col_int(st, 7);
        *notice_id = store_col_int(st, 8);
    }
    store_reset(st);
    if (rc == JC_ENOTFOUND)
        return jc_fail(c, rc, "not_found", NULL, "no such objection", "该异议不存在");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static const char SQL_OBJECTION_RESOLVE[] =
    "UPDATE pv_objections SET resolution = ?1, resolution_note = ?2, resolved_on = ?3,"
    " updated_at = ?4, version = version + 1 WHERE id = ?5 AND version = ?6"
    " AND resolution = 'pending'";

int db_pv_objection_resolve(jc_ctx *c, int64_t id, int64_t version, const char *resolution,
                            const char *note, const char *on)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_OBJECTION_RESOLVE, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, resolution);
    store_bind_text(st, 2, note);
    store_bind_text(st, 3, on);
    store_bind_int(st, 4, c->now);
    store_bind_int(st, 5, id);
    store_bind_int(st, 6, version);
    rc = store_run(st);
    if (rc) return jc_fail_db(c, rc);
    if (store_changes(st) == 0) return stale(c, "objection", "异议");
    return JC_OK;
}

/* ---- import lookups ---- */

static const char SQL_IMPORT_HH[] =
    "SELECT h.id, h.area_code,"
    " (SELECT min(s.effective_date) FROM pv_status_history s WHERE s.household_id = h.id),"
    " (SELECT count(*) FROM pv_persons p WHERE p.household_id = h.id AND p.relation = '户主')"
    " FROM pv_households h WHERE h.household_no = ?";

int db_pv_import_household(jc_ctx *c, const char *no, int64_t *id, const char **area,
                           const char **first, bool *has_head)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_IMPORT_HH, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, no);
    rc = store_one(st);
    *id = 0;
    if (rc == JC_OK) {
        *id = store_col_int(st, 0);
        *area = TXT(1);
        *first = store_col_null(st, 2) ? NULL : TXT(2);
        *has_head = store_col_int(st, 3) > 0;
    }
    store_reset(st);
    return rc && rc != JC_ENOTFOUND ? jc_fail_db(c, rc) : JC_OK;
}

static const char SQL_AREA_BY_NAME[] =
    "SELECT code FROM areas WHERE name = ? AND level >= 5 ORDER BY code LIMIT 2";

int db_pv_area_by_name(jc_ctx *c, const char *name, const char **code, int *n)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_AREA_BY_NAME, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, name);
    *n = 0;
    *code = NULL;
    while ((rc = store_step(st)) == STORE_ROW) {
        if (!*n) *code = TXT(0);
        (*n)++;
    }
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

static const char SQL_CID_STATE[] =
    "SELECT p.id, p.name, p.state, p.household_id, h.household_no FROM pv_persons p"
    " LEFT JOIN pv_households h ON h.id = p.household_id WHERE p.citizen_id = ?";

int db_pv_import_cid(jc_ctx *c, const char *cid, int64_t *id, const char **name,
                     const char **household_no)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_CID_STATE, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, cid);
    rc = store_one(st);
    *id = 0;
    if (rc == JC_OK) {
        *id = store_col_int(st, 0);
        *name = TXT(1);
        *household_no = TXT(4);
    }
    store_reset(st);
    return rc && rc != JC_ENOTFOUND ? jc_fail_db(c, rc) : JC_OK;
}
