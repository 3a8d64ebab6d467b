/* party_db.c — every SQL statement of the party domain and its migrations, prepared once per
 * connection, parameters bound. The rest of the domain never sees SQL. */
#include "party.h"

#include <stdio.h>
#include <string.h>

static const char M1[] =
    "CREATE TABLE party_units ("
    " id @ID@,"
    " area_code @CODE@ NOT NULL REFERENCES areas(code),"
    " name TEXT NOT NULL, credit_code TEXT NOT NULL UNIQUE,"
    " credit_warn BIGINT NOT NULL DEFAULT 0,"
    " kind TEXT NOT NULL CHECK (kind IN ('economic', 'social')),"
    " category TEXT NOT NULL, address TEXT NOT NULL DEFAULT '',"
    " lat DOUBLE PRECISION, lng DOUBLE PRECISION,"
    " employees BIGINT NOT NULL DEFAULT 0 CHECK (employees >= 0),"
    " status TEXT NOT NULL CHECK (status IN ('operating', 'closed')),"
    " contact_name TEXT NOT NULL DEFAULT '', contact_phone TEXT,"
    " created_by BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " version BIGINT NOT NULL DEFAULT 1);"
    "CREATE INDEX party_units_area ON party_units(area_code, status);"
    "CREATE TABLE party_orgs ("
    " id @ID@,"
    " area_code @CODE@ NOT NULL REFERENCES areas(code),"
    " name TEXT NOT NULL,"
    " kind TEXT NOT NULL CHECK (kind IN ('committee', 'general_branch', 'branch',"
    "  'joint_branch')),"
    " setting TEXT NOT NULL CHECK (setting IN ('single', 'joint')),"
    " status TEXT NOT NULL CHECK (status IN ('incubating', 'preparing', 'established',"
    "  'dissolved')),"
    " established_on TEXT, dissolved_on TEXT,"
    " parent_id BIGINT REFERENCES party_orgs(id),"
    " secretary TEXT NOT NULL DEFAULT '', committee TEXT NOT NULL DEFAULT '[]',"
    " village BIGINT NOT NULL DEFAULT 0, term_start TEXT, term_end TEXT, joint_override TEXT,"
    " created_by BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " version BIGINT NOT NULL DEFAULT 1);"
    "CREATE INDEX party_orgs_area ON party_orgs(area_code, status);"
    "CREATE INDEX party_orgs_parent ON party_orgs(parent_id);"
    /* the organization covering a unit now (history is in the audit log) */
    "CREATE TABLE party_org_units ("
    " unit_id BIGINT NOT NULL PRIMARY KEY REFERENCES party_units(id),"
    " org_id BIGINT NOT NULL REFERENCES party_orgs(id), since TEXT NOT NULL);"
    "CREATE INDEX party_org_units_org ON party_org_units(org_id);"
    "CREATE TABLE party_members ("
    " id @ID@,"
    " area_code @CODE@ NOT NULL REFERENCES areas(code),"
    " name TEXT NOT NULL, citizen_id TEXT NOT NULL UNIQUE, phone TEXT,"
    " sex BIGINT NOT NULL, birth_date TEXT NOT NULL,"
    " unit_id BIGINT REFERENCES party_units(id), org_id BIGINT REFERENCES party_orgs(id),"
    " stage TEXT NOT NULL CHECK (stage IN ('applicant', 'activist', 'candidate',"
    "  'probationary', 'full')),"
    " status TEXT NOT NULL CHECK (status IN ('active', 'transferred_out')),"
    " applied_on TEXT NOT NULL, activist_on TEXT, candidate_on TEXT, probationary_on TEXT,"
    " full_on TEXT, extension_months BIGINT NOT NULL DEFAULT 0,"
    " introducer1_id BIGINT REFERENCES party_members(id),"
    " introducer2_id BIGINT REFERENCES party_members(id),"
    " dues_category TEXT NOT NULL DEFAULT 'regular' CHECK (dues_category IN ('regular',"
    "  'student', 'unemployed', 'dibao')),"
    " monthly_income_fen BIGINT NOT NULL DEFAULT 0 CHECK (monthly_income_fen >= 0),"
    " created_by BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " version BIGINT NOT NULL DEFAULT 1);"
    "CREATE INDEX party_members_unit ON party_members(unit_id, status, stage);"
    "CREATE INDEX party_members_org ON party_members(org_id, status, stage);"
    "CREATE INDEX party_members_area ON party_members(area_code, status, stage);"
    "CREATE TABLE party_transfers ("
    " id @ID@,"
    " member_id BIGINT NOT NULL REFERENCES party_members(id),"
    " area_code @CODE@ NOT NULL REFERENCES areas(code), on_date TEXT NOT NULL,"
    " direction TEXT NOT NULL CHECK (direction IN ('in', 'out', 'internal')),"
    " from_org_id BIGINT REFERENCES party_orgs(id), from_text TEXT NOT NULL DEFAULT '',"
    " to_org_id BIGINT REFERENCES party_orgs(id), to_text TEXT NOT NULL DEFAULT '',"
    " from_unit_id BIGINT REFERENCES party_units(id), to_unit_id BIGINT REFERENCES"
    "  party_units(id),"
    " note TEXT NOT NULL DEFAULT '', created_by BIGINT, created_at BIGINT NOT NULL);"
    "CREATE INDEX party_transfers_member ON party_transfers(member_id, id);"
    "CREATE TABLE party_dues ("
    " id @ID@,"
    " member_id BIGINT NOT NULL REFERENCES party_members(id),"
    " area_code @CODE@ NOT NULL REFERENCES areas(code), month TEXT NOT NULL,"
    " base_fen BIGINT NOT NULL, due_fen BIGINT NOT NULL, paid_fen BIGINT NOT NULL"
    "  CHECK (paid_fen >= 0),"
    " paid_on TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', created_by BIGINT,"
    " created_at BIGINT NOT NULL, UNIQUE (member_id, month));"
    "CREATE TABLE party_incubations ("
    " unit_id BIGINT NOT NULL PRIMARY KEY REFERENCES party_units(id),"
    " area_code @CODE@ NOT NULL REFERENCES areas(code),"
    " path TEXT NOT NULL CHECK (path IN ('train', 'transfer', 'hire')),"
    " instructor_id BIGINT REFERENCES users(id), next_step TEXT NOT NULL DEFAULT '',"
    " target_date TEXT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " version BIGINT NOT NULL DEFAULT 1);"
    "CREATE TABLE party_stations ("
    " id @ID@,"
    " area_code @CODE@ NOT NULL REFERENCES areas(code),"
    " unit_id BIGINT NOT NULL REFERENCES party_units(id),"
    " instructor_id BIGINT NOT NULL REFERENCES users(id),"
    " goal TEXT NOT NULL, since TEXT NOT NULL, until TEXT,"
    " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " version BIGINT NOT NULL DEFAULT 1);"
    "CREATE INDEX party_stations_unit ON party_stations(unit_id);"
    "CREATE TABLE party_demo_points ("
    " id @ID@,"
    " township @CODE@ NOT NULL, category TEXT NOT NULL,"
    " unit_id BIGINT NOT NULL REFERENCES party_units(id),"
    " area_code @CODE@ NOT NULL REFERENCES areas(code),"
    " chosen_on TEXT NOT NULL, note TEXT NOT NULL DEFAULT '',"
    " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " version BIGINT NOT NULL DEFAULT 1, UNIQUE (township, category));"
    "CREATE TABLE party_visits ("
    " id @ID@,"
    " area_code @CODE@ NOT NULL REFERENCES areas(code),"
    " unit_id BIGINT NOT NULL REFERENCES party_units(id),"
    " instructor_id BIGINT REFERENCES users(id),"
    " visited_on TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('visit', 'advice')),"
    " summary TEXT NOT NULL, advice TEXT NOT NULL DEFAULT '', outcome TEXT NOT NULL DEFAULT '',"
    " created_at BIGINT NOT NULL);"
    "CREATE INDEX party_visits_unit ON party_visits(unit_id, visited_on);"
    "CREATE TABLE party_services ("
    " id @ID@,"
    " area_code @CODE@ NOT NULL REFERENCES areas(code),"
    " list TEXT NOT NULL CHECK (list IN ('office', 'enterprise', 'need')),"
    " title TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',"
    " provider TEXT NOT NULL DEFAULT '', unit_id BIGINT REFERENCES party_units(id),"
    " contact TEXT NOT NULL DEFAULT '', active BIGINT NOT NULL DEFAULT 1,"
    " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " version BIGINT NOT NULL DEFAULT 1);"
    "CREATE TABLE party_matches ("
    " id @ID@,"
    " area_code @CODE@ NOT NULL REFERENCES areas(code),"
    " need_id BIGINT NOT NULL REFERENCES party_services(id),"
    " offer_id BIGINT NOT NULL REFERENCES party_services(id),"
    " state TEXT NOT NULL CHECK (state IN ('matched', 'in_progress', 'done', 'cancelled')),"
    " matched_on TEXT NOT NULL, done_on TEXT, note TEXT NOT NULL DEFAULT '',"
    " outcome TEXT NOT NULL DEFAULT '', beneficiaries BIGINT NOT NULL DEFAULT 0,"
    " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " version BIGINT NOT NULL DEFAULT 1);"
    "CREATE INDEX party_matches_need ON party_matches(need_id);"
    "CREATE TABLE party_meetings ("
    " id @ID@,"
    " area_code @CODE@ NOT NULL REFERENCES areas(code),"
    " title TEXT NOT NULL, held_on TEXT NOT NULL, place TEXT NOT NULL DEFAULT '',"
    " host TEXT NOT NULL DEFAULT '', attendees TEXT NOT NULL DEFAULT '[]',"
    " decisions TEXT NOT NULL DEFAULT '[]', minutes TEXT NOT NULL DEFAULT '',"
    " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " version BIGINT NOT NULL DEFAULT 1);";

const store_migration party_migrations[] = {{1, M1, NULL}};
const unsigned party_nmigrations = JC_NELEM(party_migrations);

#define TXT(i)                     arena_strdup(c->a, store_col_text(st, i))
#define NOTFOUND(what_en, what_zh) jc_fail(c, JC_ENOTFOUND, "not_found", NULL, what_en, what_zh)

/* ?1..?2 area range, ?3 covered (skip grants), ?4 user */
#define GRANTED(x)                                                                                 \
    " " x ".area_code >= ?1 AND " x ".area_code < ?2"                                              \
    " AND (?3 = 1 OR EXISTS (SELECT 1 FROM user_areas g WHERE g.user_id = ?4"                      \
    "  AND " x ".area_code >= g.prefix AND " x ".area_code < g.prefix_end))"

static void bind_scope(jc_ctx *c, store_stmt *st, const party_filter *f)
{
    store_bind_text(st, 1, f->lo);
    store_bind_text(st, 2, f->hi);
    store_bind_int(st, 3, f->covered || c->user->system ? 1 : 0);
    store_bind_int(st, 4, c->user->id);
}

static int64_t page_limit(const party_filter *f)
{
    return f->limit > 0 ? f->limit : (int64_t)1 << 40;
}

static int stale(jc_ctx *c, const char *what_en, const char *what_zh)
{
    return jc_fail(
        c, JC_ESTALE, "stale_version", "version",
        arena_printf(c->a, "the %s was changed by someone else; reload and try again", what_en),
        arena_printf(c->a, "该%s已被他人修改,请刷新后重试", what_zh));
}

/* Runs an UPDATE … WHERE id = ? AND version = ?: stale when nothing changed. */
static int run_versioned(jc_ctx *c, store_stmt *st, const char *en, const char *zh)
{
    int rc = store_run(st);
    if (rc) return jc_fail_db(c, rc);
    if (store_changes(st) == 0) return stale(c, en, zh);
    return JC_OK;
}

/* ---- units ---- */

#define MEMBERS_OF(col, cond)                                                                      \
    "(SELECT count(*) FROM party_members m WHERE m." col " = u.id AND m.status = 'active'"         \
    " AND " cond ")"

#define UNIT_COLS                                                                                  \
    "SELECT u.id, u.area_code, ar.name, u.name, u.credit_code, u.credit_warn, u.kind,"             \
    " u.category, u.address, u.lat, u.lng, u.employees, u.status, u.contact_name,"                 \
    " u.contact_phone, u.version, u.created_at, u.updated_at, o.id, o.name, o.kind, o.setting,"    \
    " o.status, " MEMBERS_OF("unit_id", "m.stage = 'full'") ", " MEMBERS_OF(                       \
        "unit_id",                                                                                 \
        "m.stage = 'probationary'") ", " MEMBERS_OF("unit_id",                                     \
                                                    "m.stage IN ('applicant', 'activist', "        \
                                                    "'candidate')") ", i.path, i.next_step, "      \
                                                                    "i.target_date, "              \
                                                                    "i.instructor_id, "            \
                                                                    "us.display_name, i.version"   \
                                                                    " FROM party_units u LEFT "    \
                                                                    "JOIN areas ar ON ar.code = "  \
                                                                    "u.area_code"                  \
                                                                    " LEFT JOIN party_org_units "  \
                                                                    "l ON l.unit_id = u.id"        \
                                                                    " LEFT JOIN party_orgs o ON "  \
                                                                    "o.id = l.org_id"              \
                                                                    " LEFT JOIN "                  \
                                                                    "party_incubations i ON "      \
                                                                    "i.unit_id = u.id"             \
                                                                    " LEFT JOIN users us ON "      \
                                                                    "us.id = i.instructor_id"

/* ?5 LIKE, ?6 category, ?7 kind, ?8 status, ?9 coverage, ?10 org */
#define UNIT_WHERE                                                                                 \
    " WHERE" GRANTED(                                                                              \
        "u") " AND (?5 IS NULL OR u.name LIKE ?5 ESCAPE '\\'"                                      \
             " OR u.credit_code LIKE ?5 ESCAPE '\\' OR u.address LIKE ?5 ESCAPE '\\')"             \
             " AND (?6 IS NULL OR u.category = ?6) AND (?7 IS NULL OR u.kind = ?7)"                \
             " AND (?8 IS NULL OR u.status = ?8)"                                                  \
             " AND (?9 IS NULL"                                                                    \
             "  OR (?9 = 'own' AND o.status = 'established' AND o.setting = 'single')"             \
             "  OR (?9 = 'joint' AND o.status = 'established' AND o.setting = 'joint')"            \
             "  OR (?9 = 'covered' AND o.status = 'established')"                                  \
             "  OR (?9 = 'none' AND (o.id IS NULL OR o.status <> 'established'))"                  \
             "  OR (?9 = 'pending' AND o.status IN ('incubating', 'preparing'))"                   \
             "  OR (?9 = 'not_own' AND (o.id IS NULL OR o.status <> 'established'"                 \
             "   OR o.setting <> 'single')))"                                                      \
             " AND (?10 = 0 OR o.id = ?10)"

static const char SQL_UNIT_GET[] = UNIT_COLS " WHERE u.id = ?";
static const char SQL_UNIT_LIST[] = UNIT_COLS UNIT_WHERE " ORDER BY u.id LIMIT ?11 OFFSET ?12";
static const char SQL_UNIT_COUNT[] =
    "SELECT count(*) FROM party_units u LEFT JOIN party_org_units l ON l.unit_id = u.id"
    " LEFT JOIN party_orgs o ON o.id = l.org_id" UNIT_WHERE;
static const char SQL_UNIT_BY_CODE[] = "SELECT id FROM party_units WHERE credit_code = ?";
static const char SQL_UNIT_INSERT[] =
    "INSERT INTO party_units (area_code, name, credit_code, credit_warn, kind, category,"
    " address, lat, lng, employees, status, contact_name, contact_phone, created_by, created_at,"
    " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15)"
    " RETURNING id";
static const char SQL_UNIT_UPDATE[] =
    "UPDATE party_units SET area_code = ?1, name = ?2, credit_code = ?3, credit_warn = ?4,"
    " kind = ?5, category = ?6, address = ?7, lat = ?8, lng = ?9, employees = ?10, status = ?11,"
    " contact_name = ?12, contact_phone = ?13, updated_at = ?14, version = version + 1"
    " WHERE id = ?15 AND version = ?16";

static void unit_from_row(jc_ctx *c, store_stmt *st, party_unit *u)
{
    memset(u, 0, sizeof *u);
    u->id = store_col_int(st, 0);
    u->area_code = TXT(1);
    u->area_name = TXT(2);
    u->name = TXT(3);
    u->credit_code = TXT(4);
    u->credit_warn = store_col_int(st, 5) != 0;
    u->kind = TXT(6);
    u->category = TXT(7);
    u->address = TXT(8);
    u->has_pos = !store_col_null(st, 9) && !store_col_null(st, 10);
    u->lat = store_col_double(st, 9);
    u->lng = store_col_double(st, 10);
    u->employees = store_col_int(st, 11);
    u->status = TXT(12);
    u->contact_name = TXT(13);
    u->contact_phone = TXT(14);
    u->version = store_col_int(st, 15);
    u->created_at = store_col_int(st, 16);
    u->updated_at = store_col_int(st, 17);
    u->org_id = store_col_int(st, 18);
    u->org_name = TXT(19);
    u->org_kind = TXT(20);
    u->org_setting = TXT(21);
    u->org_status = TXT(22);
    u->formal = store_col_int(st, 23);
    u->probationary = store_col_int(st, 24);
    u->pipeline = store_col_int(st, 25);
    u->has_plan = !store_col_null(st, 26);
    u->plan_path = TXT(26);
    u->plan_next_step = TXT(27);
    u->plan_target_date = TXT(28);
    u->plan_instructor_id = store_col_int(st, 29);
    u->plan_instructor_name = TXT(30);
    u->plan_version = store_col_int(st, 31);
}

int db_party_unit_get(jc_ctx *c, int64_t id, party_unit *u)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_UNIT_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    if (rc == JC_OK) unit_from_row(c, st, u);
    store_reset(st);
    if (rc == JC_ENOTFOUND) return NOTFOUND("no such organization", "两新组织不存在");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_party_unit_by_code(jc_ctx *c, const char *credit_code, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_UNIT_BY_CODE, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, credit_code);
    rc = store_one(st);
    *id = rc == JC_OK ? store_col_int(st, 0) : 0;
    store_reset(st);
    return rc && rc != JC_ENOTFOUND ? jc_fail_db(c, rc) : JC_OK;
}

static void bind_unit_values(store_stmt *st, const party_unit *u)
{
    store_bind_text(st, 1, u->area_code);
    store_bind_text(st, 2, u->name);
    store_bind_text(st, 3, u->credit_code);
    store_bind_int(st, 4, u->credit_warn ? 1 : 0);
    store_bind_text(st, 5, u->kind);
    store_bind_text(st, 6, u->category);
    store_bind_text(st, 7, u->address ? u->address : "");
    if (u->has_pos) {
        store_bind_double(st, 8, u->lat);
        store_bind_double(st, 9, u->lng);
    } else {
        store_bind_null_int(st, 8);
        store_bind_null_int(st, 9);
    }
    store_bind_int(st, 10, u->employees);
    store_bind_text(st, 11, u->status);
    store_bind_text(st, 12, u->contact_name ? u->contact_name : "");
    store_bind_text(st, 13, u->contact_phone && *u->contact_phone ? u->contact_phone : NULL);
}

int db_party_unit_insert(jc_ctx *c, const party_unit *u, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_UNIT_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    bind_unit_values(st, u);
    jc_bind_actor(st, 14, c);
    store_bind_int(st, 15, c->now);
    rc = store_one_int(st, id);
    if (rc == JC_ECONFLICT)
        return jc_fail(c, rc, "duplicate", "credit_code",
                       "an organization with this credit code is already registered",
                       "该统一社会信用代码已登记");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_party_unit_update(jc_ctx *c, const party_unit *u, int64_t version)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_UNIT_UPDATE, &st);
    if (rc) return jc_fail_db(c, rc);
    bind_unit_values(st, u);
    store_bind_int(st, 14, c->now);
    store_bind_int(st, 15, u->id);
    store_bind_int(st, 16, version);
    rc = store_run(st);
    if (rc == JC_ECONFLICT)
        return jc_fail(c, rc, "duplicate", "credit_code",
                       "an organization with this credit code is already registered",
                       "该统一社会信用代码已登记");
    if (rc) return jc_fail_db(c, rc);
    if (store_changes(st) == 0) return stale(c, "organization", "两新组织");
    return JC_OK;
}

static void bind_unit_filter(jc_ctx *c, store_stmt *st, const party_filter *f)
{
    bind_scope(c, st, f);
    store_bind_text(st, 5, store_like_contains(c->a, f->q));
    store_bind_text(st, 6, f->category);
    store_bind_text(st, 7, f->kind);
    store_bind_text(st, 8, f->status);
    store_bind_text(st, 9, f->coverage);
    store_bind_int(st, 10, f->org_id);
}

int db_party_unit_list(jc_ctx *c, const party_filter *f, party_unit_fn fn, void *arg,
                       int64_t *total)
{
    store_stmt *st;
    int rc;
    if (total) {
        if ((rc = store_prepare(c->db, SQL_UNIT_COUNT, &st))) return jc_fail_db(c, rc);
        bind_unit_filter(c, st, f);
        rc = store_one_int(st, total);
        if (rc) return jc_fail_db(c, rc);
    }
    if ((rc = store_prepare(c->db, SQL_UNIT_LIST, &st))) return jc_fail_db(c, rc);
    bind_unit_filter(c, st, f);
    store_bind_int(st, 11, page_limit(f));
    store_bind_int(st, 12, f->offset);
    int frc = JC_OK;
    while (!frc && (rc = store_step(st)) == STORE_ROW) {
        party_unit u;
        unit_from_row(c, st, &u);
        frc = fn(c, &u, arg);
    }
    store_reset(st);
    if (frc) return frc;
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

/* ---- organizations ---- */

#define ORG_MEMBERS(cond)                                                                          \
    "(SELECT count(*) FROM party_members m WHERE m.org_id = o.id AND m.status = 'active'"          \
    " AND " cond ")"

#define ORG_COLS                                                                                   \
    "SELECT o.id, o.area_code, ar.name, o.name, o.kind, o.setting, o.status, o.established_on,"    \
    " o.dissolved_on, o.parent_id, p.name, o.secretary, o.committee, o.village, o.term_start,"     \
    " o.term_end, o.joint_override, o.version, o.created_at, o.updated_at,"                        \
    " (SELECT count(*) FROM party_org_units l WHERE l.org_id = o.id), " ORG_MEMBERS(               \
        "m.stage IN "                                                                              \
        "('"                                                                                       \
        "probationary"                                                                             \
        "', 'full')") ", " ORG_MEMBERS("m.stage = 'full'") ", " ORG_MEMBERS("m.stage = "           \
                                                                            "'probationary'") " F" \
                                                                                              "RO" \
                                                                                              "M " \
                                                                                              "pa" \
                                                                                              "rt" \
                                                                                              "y_" \
                                                                                              "or" \
                                                                                              "gs" \
                                                                                              " o" \
                                                                                              " "  \
                                                                                              "LE" \
                                                                                              "FT" \
                                                                                              " J" \
                                                                                              "OI" \
                                                                                              "N " \
                                                                                              "ar" \
                                                                                              "ea" \
                                                                                              "s " \
                                                                                              "ar" \
                                                                                              " O" \
                                                                                              "N " \
                                                                                              "ar" \
                                                                                              ".c" \
                                                                                              "od" \
                                                                                              "e " \
                                                                                              "= " \
                                                                                              "o." \
                                                                                              "ar" \
                                                                                              "ea" \
                                                                                              "_c" \
                                                                                              "od" \
                                                                                              "e"  \
                                                                                              " L" \
                                                                                              "EF" \
                                                                                              "T " \
                                                                                              "JO" \
                                                                                              "IN" \
                                                                                              " p" \
                                                                                              "ar" \
                                                                                              "ty" \
                                                                                              "_o" \
                                                                                              "rg" \
                                                                                              "s " \
                                                                                              "p " \
                                                                                              "ON" \
                                                                                              " p" \
                                                                                              ".i" \
                                                                                              "d " \
                                                                                              "= " \
                                                                                              "o." \
                                                                                              "pa" \
                                                                                              "re" \
                                                                                              "nt" \
                                                                                              "_i" \
                                                                                              "d"

/* ?5 status, ?6 kind, ?7 LIKE, ?8 parent, ?9 setting */
#define ORG_WHERE                                                                                  \
    " WHERE" GRANTED(                                                                              \
        "o") " AND (?5 IS NULL OR o.status = ?5) AND (?6 IS NULL OR o.kind = ?6)"                  \
             " AND (?7 IS NULL OR o.name LIKE ?7 ESCAPE '\\' OR o.secretary LIKE ?7 ESCAPE '\\')"  \
             " AND (?8 = 0 OR o.parent_id = ?8) AND (?9 IS NULL OR o.setting = ?9)"

static const char SQL_ORG_GET[] = ORG_COLS " WHERE o.id = ?";
static const char SQL_ORG_LIST[] = ORG_COLS ORG_WHERE " ORDER BY o.id LIMIT ?10 OFFSET ?11";
static const char SQL_ORG_COUNT[] = "SELECT count(*) FROM party_orgs o" ORG_WHERE;
static const char SQL_ORG_INSERT[] =
    "INSERT INTO party_orgs (area_code, name, kind, setting, status, established_on,"
    " dissolved_on, parent_id, secretary, committee, village, term_start, term_end,"
    " joint_override, created_by, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
    " ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16) RETURNING id";
static const char SQL_ORG_UPDATE[] =
    "UPDATE party_orgs SET area_code = ?1, name = ?2, kind = ?3, setting = ?4, status = ?5,"
    " established_on = ?6, dissolved_on = ?7, parent_id = ?8, secretary = ?9, committee = ?10,"
    " village = ?11, term_start = ?12, term_end = ?13, joint_override = ?14, updated_at = ?15,"
    " version = version + 1 WHERE id = ?16 AND version = ?17";
static const char SQL_ORG_UNITS[] =
    "SELECT unit_id FROM party_org_units WHERE org_id = ? ORDER BY unit_id";
static const char SQL_UNIT_ORG[] = "SELECT org_id FROM party_org_units WHERE unit_id = ?";
static const char SQL_ORG_LINK[] =
    "INSERT INTO party_org_units (unit_id, org_id, since) VALUES (?1, ?2, ?3)";
static const char SQL_ORG_UNLINK[] = "DELETE FROM party_org_units WHERE org_id = ?";
static const char SQL_ORG_CHILDREN[] = "SELECT o.id, o.name, o.kind, o.status, " ORG_MEMBERS(
    "m.stage IN ('probationary', 'full')") " FROM party_orgs o WHERE o.parent_id = ? ORDER BY o.id";

static void org_from_row(jc_ctx *c, store_stmt *st, party_org *o)
{
    memset(o, 0, sizeof *o);
    o->id = store_col_int(st, 0);
    o->area_code = TXT(1);
    o->area_name = TXT(2);
    o->name = TXT(3);
    o->kind = TXT(4);
    o->setting = TXT(5);
    o->status = TXT(6);
    o->established_on = TXT(7);
    o->dissolved_on = TXT(8);
    o->parent_id = store_col_int(st, 9);
    o->parent_name = TXT(10);
    o->secretary = TXT(11);
    o->committee = TXT(12);
    o->village = store_col_int(st, 13) != 0;
    o->term_start = TXT(14);
    o->term_end = TXT(15);
    o->joint_override = TXT(16);
    o->version = store_col_int(st, 17);
    o->created_at = store_col_int(st, 18);
    o->updated_at = store_col_int(st, 19);
    o->nunits = store_col_int(st, 20);
    o->members = store_col_int(st, 21);
    o->formal = store_col_int(st, 22);
    o->probationary = store_col_int(st, 23);
}

int db_party_org_get(jc_ctx *c, int64_t id, party_org *o)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_ORG_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    if (rc == JC_OK) org_from_row(c, st, o);
    store_reset(st);
    if (rc == JC_ENOTFOUND) return NOTFOUND("no such party organization", "党组织不存在");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static void bind_org_values(store_stmt *st, const party_org *o)
{
    store_bind_text(st, 1, o->area_code);
    store_bind_text(st, 2, o->name);
    store_bind_text(st, 3, o->kind);
    store_bind_text(st, 4, o->setting);
    store_bind_text(st, 5, o->status);
    store_bind_text(st, 6, o->established_on);
    store_bind_text(st, 7, o->dissolved_on);
    store_bind_opt_int(st, 8, o->parent_id, o->parent_id > 0);
    store_bind_text(st, 9, o->secretary ? o->secretary : "");
    store_bind_text(st, 10, o->committee ? o->committee : "[]");
    store_bind_int(st, 11, o->village ? 1 : 0);
    store_bind_text(st, 12, o->term_start);
    store_bind_text(st, 13, o->term_end);
    store_bind_text(st, 14, o->joint_override);
}

int db_party_org_insert(jc_ctx *c, const party_org *o, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_ORG_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    bind_org_values(st, o);
    jc_bind_actor(st, 15, c);
    store_bind_int(st, 16, c->now);
    rc = store_one_int(st, id);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_party_org_update(jc_ctx *c, const party_org *o, int64_t version)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_ORG_UPDATE, &st);
    if (rc) return jc_fail_db(c, rc);
    bind_org_values(st, o);
    store_bind_int(st, 15, c->now);
    store_bind_int(st, 16, o->id);
    store_bind_int(st, 17, version);
    return run_versioned(c, st, "party organization", "党组织");
}

static void bind_org_filter(jc_ctx *c, store_stmt *st, const party_filter *f)
{
    bind_scope(c, st, f);
    store_bind_text(st, 5, f->status);
    store_bind_text(st, 6, f->kind);
    store_bind_text(st, 7, store_like_contains(c->a, f->q));
    store_bind_int(st, 8, f->parent_id);
    store_bind_text(st, 9, f->coverage); /* the setting, for organizations */
}

int db_party_org_list(jc_ctx *c, const party_filter *f, party_org_fn fn, void *arg, int64_t *total)
{
    store_stmt *st;
    int rc;
    if (total) {
        if ((rc = store_prepare(c->db, SQL_ORG_COUNT, &st))) return jc_fail_db(c, rc);
        bind_org_filter(c, st, f);
        rc = store_one_int(st, total);
        if (rc) return jc_fail_db(c, rc);
    }
    if ((rc = store_prepare(c->db, SQL_ORG_LIST, &st))) return jc_fail_db(c, rc);
    bind_org_filter(c, st, f);
    store_bind_int(st, 10, page_limit(f));
    store_bind_int(st, 11, f->offset);
    int frc = JC_OK;
    while (!frc && (rc = store_step(st)) == STORE_ROW) {
        party_org o;
        org_from_row(c, st, &o);
        frc = fn(c, &o, arg);
    }
    store_reset(st);
    if (frc) return frc;
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

int db_party_org_units(jc_ctx *c, int64_t org_id, int64_t **ids, int *n)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_ORG_UNITS, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, org_id);
    int cap = 16;
    *n = 0;
    *ids = arena_alloc(c->a, sizeof(int64_t) * (size_t)cap);
    while (*ids && (rc = store_step(st)) == STORE_ROW) {
        if (*n == cap) {
            int64_t *more = arena_alloc(c->a, sizeof(int64_t) * (size_t)cap * 2);
            if (!more) {
                *ids = NULL;
                break;
            }
            memcpy(more, *ids, sizeof(int64_t) * (size_t)cap);
            *ids = more;
            cap *= 2;
        }
        (*ids)[(*n)++] = store_col_int(st, 0);
    }
    store_reset(st);
    if (!*ids) return JC_ENOMEM;
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

int db_party_unit_org(jc_ctx *c, int64_t unit_id, int64_t *org_id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_UNIT_ORG, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, unit_id);
    rc = store_one(st);
    *org_id = rc == JC_OK ? store_col_int(st, 0) : 0;
    store_reset(st);
    return rc && rc != JC_ENOTFOUND ? jc_fail_db(c, rc) : JC_OK;
}

int db_party_org_link(jc_ctx *c, int64_t org_id, int64_t unit_id, const char *since)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_ORG_LINK, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, unit_id);
    store_bind_int(st, 2, org_id);
    store_bind_text(st, 3, since);
    rc = store_run(st);
    if (rc == JC_ECONFLICT) return rc; /* the caller names the unit taken */
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_party_org_unlink_all(jc_ctx *c, int64_t org_id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_ORG_UNLINK, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, org_id);
    rc = store_run(st);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_party_org_children(jc_ctx *c, int64_t org_id, json_t *out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_ORG_CHILDREN, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, org_id);
    while ((rc = store_step(st)) == STORE_ROW)
        json_array_append_new(
            out, json_pack("{s:I, s:s, s:s, s:s, s:I}", "id", (json_int_t)store_col_int(st, 0),
                           "name", store_col_text(st, 1), "kind", store_col_text(st, 2), "status",
                           store_col_text(st, 3), "members", (json_int_t)store_col_int(st, 4)));
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

/* ---- members ---- */

#define MEMBER_COLS                                                                                \
    "SELECT m.id, m.area_code, ar.name, m.name, m.citizen_id, m.phone, m.sex, m.birth_date,"       \
    " m.unit_id, u.name, m.org_id, o.name, m.stage, m.status, m.applied_on, m.activist_on,"        \
    " m.candidate_on, m.probationary_on, m.full_on, m.extension_months, m.introducer1_id,"         \
    " i1.name, m.introducer2_id, i2.name, m.dues_category, m.monthly_income_fen, m.version,"       \
    " m.created_at, m.updated_at"                                                                  \
    " FROM party_members m LEFT JOIN areas ar ON ar.code = m.area_code"                            \
    " LEFT JOIN party_units u ON u.id = m.unit_id LEFT JOIN party_orgs o ON o.id = m.org_id"       \
    " LEFT JOIN party_members i1 ON i1.id = m.introducer1_id"                                      \
    " LEFT JOIN party_members i2 ON i2.id = m.introducer2_id"

/* ?5 stage, ?6 status, ?7 org, ?8 unit, ?9 LIKE name, ?10 exact citizen ID */
#define MEMBER_WHERE                                                                               \
    " WHERE" GRANTED("m") " AND (?5 IS NULL OR m.stage = ?5) AND (?6 IS NULL OR m.status = ?6)"    \
                          " AND (?7 = 0 OR m.org_id = ?7) AND (?8 = 0 OR m.unit_id = ?8)"          \
                          " AND (?9 IS NULL OR m.name LIKE ?9 ESCAPE '\\' OR m.citizen_id = ?10)"

static const char SQL_MEMBER_GET[] = MEMBER_COLS " WHERE m.id = ?";
static const char SQL_MEMBER_LIST[] =
    MEMBER_COLS MEMBER_WHERE " ORDER BY m.id LIMIT ?11 OFFSET ?12";
static const char SQL_MEMBER_COUNT[] = "SELECT count(*) FROM party_members m" MEMBER_WHERE;
static const char SQL_MEMBER_BY_CID[] = "SELECT id FROM party_members WHERE citizen_id = ?";
static const char SQL_MEMBER_INSERT[] =
    "INSERT INTO party_members (area_code, name, citizen_id, phone, sex, birth_date, unit_id,"
    " org_id, stage, status, applied_on, activist_on, candidate_on, probationary_on, full_on,"
    " extension_months, introducer1_id, introducer2_id, dues_category, monthly_income_fen,"
    " created_by, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
    " ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?22) RETURNING id";
static const char SQL_MEMBER_UPDATE[] =
    "UPDATE party_members SET area_code = ?1, name = ?2, citizen_id = ?3, phone = ?4, sex = ?5,"
    " birth_date = ?6, unit_id = ?7, org_id = ?8, stage = ?9, status = ?10, applied_on = ?11,"
    " activist_on = ?12, candidate_on = ?13, probationary_on = ?14, full_on = ?15,"
    " extension_months = ?16, introducer1_id = ?17, introducer2_id = ?18, dues_category = ?19,"
    " monthly_income_fen = ?20, updated_at = ?21, version = version + 1"
    " WHERE id = ?22 AND version = ?23";

static void member_from_row(jc_ctx *c, store_stmt *st, party_member *m)
{
    memset(m, 0, sizeof *m);
    m->id = store_col_int(st, 0);
    m->area_code = TXT(1);
    m->area_name = TXT(2);
    m->name = TXT(3);
    m->citizen_id = TXT(4);
    m->phone = TXT(5);
    m->sex = store_col_int(st, 6);
    m->birth_date = TXT(7);
    m->unit_id = store_col_int(st, 8);
    m->unit_name = TXT(9);
    m->org_id = store_col_int(st, 10);
    m->org_name = TXT(11);
    m->stage = TXT(12);
    m->status = TXT(13);
    for (int s = 0; s < STAGE__MAX; s++) m->dates.on[s] = TXT(14 + s);
    m->dates.extension_months = store_col_int(st, 19);
    m->introducer_id[0] = store_col_int(st, 20);
    m->introducer_name[0] = TXT(21);
    m->introducer_id[1] = store_col_int(st, 22);
    m->introducer_name[1] = TXT(23);
    m->dues_category = TXT(24);
    m->income_fen = store_col_int(st, 25);
    m->version = store_col_int(st, 26);
    m->created_at = store_col_int(st, 27);
    m->updated_at = store_col_int(st, 28);
}

int db_party_member_get(jc_ctx *c, int64_t id, party_member *m)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_MEMBER_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    if (rc == JC_OK) member_from_row(c, st, m);
    store_reset(st);
    if (rc == JC_ENOTFOUND) return NOTFOUND("no such member", "党员(发展对象)不存在");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_party_member_by_cid(jc_ctx *c, const char *citizen_id, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_MEMBER_BY_CID, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, citizen_id);
    rc = store_one(st);
    *id = rc == JC_OK ? store_col_int(st, 0) : 0;
    store_reset(st);
    return rc && rc != JC_ENOTFOUND ? jc_fail_db(c, rc) : JC_OK;
}

static void bind_member_values(store_stmt *st, const party_member *m)
{
    store_bind_text(st, 1, m->area_code);
    store_bind_text(st, 2, m->name);
    store_bind_text(st, 3, m->citizen_id);
    store_bind_text(st, 4, m->phone && *m->phone ? m->phone : NULL);
    store_bind_int(st, 5, m->sex);
    store_bind_text(st, 6, m->birth_date);
    store_bind_opt_int(st, 7, m->unit_id, m->unit_id > 0);
    store_bind_opt_int(st, 8, m->org_id, m->org_id > 0);
    store_bind_text(st, 9, m->stage);
    store_bind_text(st, 10, m->status);
    for (int s = 0; s < STAGE__MAX; s++)
        store_bind_text(st, 11 + s, m->dates.on[s] && *m->dates.on[s] ? m->dates.on[s] : NULL);
    store_bind_int(st, 16, m->dates.extension_months);
    store_bind_opt_int(st, 17, m->introducer_id[0], (m->introducer_id[0]) > 0);
    store_bind_opt_int(st, 18, m->introducer_id[1], (m->introducer_id[1]) > 0);
    store_bind_text(st, 19, m->dues_category ? m->dues_category : "regular");
    store_bind_int(st, 20, m->income_fen);
}

int db_party_member_insert(jc_ctx *c, const party_member *m, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_MEMBER_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    bind_member_values(st, m);
    jc_bind_actor(st, 21, c);
    store_bind_int(st, 22, c->now);
    rc = store_one_int(st, id);
    if (rc == JC_ECONFLICT)
        return jc_fail(c, rc, "duplicate", "citizen_id",
                       "a member with this citizen ID is already registered", "该身份证号码已登记");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_party_member_update(jc_ctx *c, const party_member *m, int64_t version)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_MEMBER_UPDATE, &st);
    if (rc) return jc_fail_db(c, rc);
    bind_member_values(st, m);
    store_bind_int(st, 21, c->now);
    store_bind_int(st, 22, m->id);
    store_bind_int(st, 23, version);
    rc = store_run(st);
    if (rc == JC_ECONFLICT)
        return jc_fail(c, rc, "duplicate", "citizen_id",
                       "a member with this citizen ID is already registered", "该身份证号码已登记");
    if (rc) return jc_fail_db(c, rc);
    if (store_changes(st) == 0) return stale(c, "member", "党员记录");
    return JC_OK;
}

static void bind_member_filter(jc_ctx *c, store_stmt *st, const party_filter *f)
{
    bind_scope(c, st, f);
    store_bind_text(st, 5, f->stage);
    store_bind_text(st, 6, f->status);
    store_bind_int(st, 7, f->org_id);
    store_bind_int(st, 8, f->unit_id);
    store_bind_text(st, 9, store_like_contains(c->a, f->q));
    /* an exact citizen ID finds a member only for those who may see IDs */
    store_bind_text(st, 10, f->pii && f->q && *f->q ? f->q : "");
}

int db_party_member_list(jc_ctx *c, const party_filter *f, party_member_fn fn, void *arg,
                         int64_t *total)
{
    store_stmt *st;
    int rc;
    if (total) {
        if ((rc = store_prepare(c->db, SQL_MEMBER_COUNT, &st))) return jc_fail_db(c, rc);
        bind_member_filter(c, st, f);
        rc = store_one_int(st, total);
        if (rc) return jc_fail_db(c, rc);
    }
    if ((rc = store_prepare(c->db, SQL_MEMBER_LIST, &st))) return jc_fail_db(c, rc);
    bind_member_filter(c, st, f);
    store_bind_int(st, 11, page_limit(f));
    store_bind_int(st, 12, f->offset);
    int frc = JC_OK;
    while (!frc && (rc = store_step(st)) == STORE_ROW) {
        party_member m;
        member_from_row(c, st, &m);
        frc = fn(c, &m, arg);
    }
    store_reset(st);
    if (frc) return frc;
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

static const char SQL_TRANSFER_INSERT[] =
    "INSERT INTO party_transfers (member_id, area_code, on_date, direction, from_org_id,"
    " from_text, to_org_id, to_text, from_unit_id, to_unit_id, note, created_by, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) RETURNING id";
static const char SQL_TRANSFERS[] =
    "SELECT t.id, t.on_date, t.direction, t.from_org_id, fo.name, t.from_text, t.to_org_id,"
    " tor.name, t.to_text, t.from_unit_id, fu.name, t.to_unit_id, tu.name, t.note, t.created_at"
    " FROM party_transfers t LEFT JOIN party_orgs fo ON fo.id = t.from_org_id"
    " LEFT JOIN party_orgs tor ON tor.id = t.to_org_id"
    " LEFT JOIN party_units fu ON fu.id = t.from_unit_id"
    " LEFT JOIN party_units tu ON tu.id = t.to_unit_id"
    " WHERE t.member_id = ? ORDER BY t.on_date, t.id";

int db_party_transfer_insert(jc_ctx *c, int64_t member_id, const char *area, const char *on,
                             const char *direction, int64_t from_org, const char *from_text,
                             int64_t to_org, const char *to_text, int64_t from_unit,
                             int64_t to_unit, const char *note, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_TRANSFER_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, member_id);
    store_bind_text(st, 2, area);
    store_bind_text(st, 3, on);
    store_bind_text(st, 4, direction);
    store_bind_opt_int(st, 5, from_org, from_org > 0);
    store_bind_text(st, 6, from_text ? from_text : "");
    store_bind_opt_int(st, 7, to_org, to_org > 0);
    store_bind_text(st, 8, to_text ? to_text : "");
    store_bind_opt_int(st, 9, from_unit, from_unit > 0);
    store_bind_opt_int(st, 10, to_unit, to_unit > 0);
    store_bind_text(st, 11, note ? note : "");
    jc_bind_actor(st, 12, c);
    store_bind_int(st, 13, c->now);
    rc = store_one_int(st, id);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static json_t *ref_or_null(store_stmt *st, int id_col, int name_col)
{
    if (store_col_null(st, id_col)) return json_null();
    const char *n = store_col_text(st, name_col);
    return json_pack("{s:I, s:s}", "id", (json_int_t)store_col_int(st, id_col), "name", n ? n : "");
}

int db_party_transfers(jc_ctx *c, int64_t member_id, json_t *out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_TRANSFERS, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, member_id);
    while ((rc = store_step(st)) == STORE_ROW) {
        char ts[32];
        jc_time_local(store_col_int(st, 14), ts);
        json_array_append_new(
            out,
            json_pack("{s:I, s:s, s:s, s:o, s:s, s:o, s:s, s:o, s:o, s:s, s:s}", "id",
                      (json_int_t)store_col_int(st, 0), "date", store_col_text(st, 1), "direction",
                      store_col_text(st, 2), "from_org", ref_or_null(st, 3, 4), "from_text",
                      store_col_text(st, 5), "to_org", ref_or_null(st, 6, 7), "to_text",
                      store_col_text(st, 8), "from_unit", ref_or_null(st, 9, 10), "to_unit",
                      ref_or_null(st, 11, 12), "note", store_col_text(st, 13), "recorded_at", ts));
    }
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

/* ---- dues ---- */

static const char SQL_DUES_INSERT[] =
    "INSERT INTO party_dues (member_id, area_code, month, base_fen, due_fen, paid_fen, paid_on,"
    " note, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
    " RETURNING id";
static const char SQL_DUES_LIST[] =
    "SELECT id, month, base_fen, due_fen, paid_fen, paid_on, note FROM party_dues"
    " WHERE member_id = ? ORDER BY month DESC";
/* ?5 org, ?6 month */
static const char SQL_DUES_MONTH[] =
    "SELECT m.id, m.name, m.stage, m.dues_category, m.monthly_income_fen, d.base_fen,"
    " d.due_fen, d.paid_fen, d.paid_on FROM party_members m"
    " LEFT JOIN party_dues d ON d.member_id = m.id AND d.month = ?6"
    " WHERE" GRANTED("m") " AND m.status = 'active' AND m.stage IN ('probationary', 'full')"
                          " AND (?5 = 0 OR m.org_id = ?5) ORDER BY m.id";

int db_party_dues_insert(jc_ctx *c, int64_t member_id, const char *area, const char *month,
                         int64_t base_fen, int64_t due_fen, int64_t paid_fen, const char *paid_on,
                         const char *note, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_DUES_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, member_id);
    store_bind_text(st, 2, area);
    store_bind_text(st, 3, month);
    store_bind_int(st, 4, base_fen);
    store_bind_int(st, 5, due_fen);
    store_bind_int(st, 6, paid_fen);
    store_bind_text(st, 7, paid_on);
    store_bind_text(st, 8, note ? note : "");
    jc_bind_actor(st, 9, c);
    store_bind_int(st, 10, c->now);
    rc = store_one_int(st, id);
    if (rc == JC_ECONFLICT)
        return jc_fail(c, JC_ECONFLICT, "duplicate", "month",
                       "the dues of this month are already recorded", "该月党费已登记");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_party_dues_list(jc_ctx *c, int64_t member_id, json_t *out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_DUES_LIST, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, member_id);
    while ((rc = store_step(st)) == STORE_ROW)
        json_array_append_new(out, json_pack("{s:I, s:s, s:I, s:I, s:I, s:s, s:s}", "id",
                                             (json_int_t)store_col_int(st, 0), "month",
                                             store_col_text(st, 1), "base_fen",
                                             (json_int_t)store_col_int(st, 2), "due_fen",
                                             (json_int_t)store_col_int(st, 3), "paid_fen",
                                             (json_int_t)store_col_int(st, 4), "paid_on",
                                             store_col_text(st, 5), "note", store_col_text(st, 6)));
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

int db_party_dues_summary(jc_ctx *c, const party_filter *f, const char *month, json_t *out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_DUES_MONTH, &st);
    if (rc) return jc_fail_db(c, rc);
    bind_scope(c, st, f);
    store_bind_int(st, 5, f->org_id);
    store_bind_text(st, 6, month);
    while ((rc = store_step(st)) == STORE_ROW) {
        json_t *o = json_pack(
            "{s:I, s:s, s:s, s:s, s:I}", "member_id", (json_int_t)store_col_int(st, 0), "name",
            store_col_text(st, 1), "stage", store_col_text(st, 2), "dues_category",
            store_col_text(st, 3), "monthly_income_fen", (json_int_t)store_col_int(st, 4));
        if (store_col_null(st, 5)) {
            json_object_set_new(o, "paid", json_null());
        } else {
            json_object_set_new(
                o, "paid",
                json_pack("{s:I, s:I, s:I, s:s}", "base_fen", (json_int_t)store_col_int(st, 5),
                          "due_fen", (json_int_t)store_col_int(st, 6), "paid_fen",
                          (json_int_t)store_col_int(st, 7), "paid_on", store_col_text(st, 8)));
        }
        json_array_append_new(out, o);
    }
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

/* ---- incubation plans ---- */

static const char SQL_PLAN_GET[] =
    "SELECT i.unit_id, i.area_code, i.path, i.next_step, i.target_date, i.instructor_id,"
    " u.display_name, i.version, i.updated_at FROM party_incubations i"
    " LEFT JOIN users u ON u.id = i.instructor_id WHERE i.unit_id = ?";
static const char SQL_PLAN_INSERT[] =
    "INSERT INTO party_incubations (unit_id, area_code, path, instructor_id, next_step,"
    " target_date, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)";
static const char SQL_PLAN_UPDATE[] =
    "UPDATE party_incubations SET area_code = ?2, path = ?3, instructor_id = ?4, next_step = ?5,"
    " target_date = ?6, updated_at = ?7, version = version + 1"
    " WHERE unit_id = ?1 AND version = ?8";

int db_party_plan_get(jc_ctx *c, int64_t unit_id, party_plan *p)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_PLAN_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, unit_id);
    rc = store_one(st);
    if (rc == JC_OK) {
        memset(p, 0, sizeof *p);
        p->unit_id = store_col_int(st, 0);
        p->area_code = TXT(1);
        p->path = TXT(2);
        p->next_step = TXT(3);
        p->target_date = TXT(4);
        p->instructor_id = store_col_int(st, 5);
        p->instructor_name = TXT(6);
        p->version = store_col_int(st, 7);
        p->updated_at = store_col_int(st, 8);
    }
    store_reset(st);
    if (rc == JC_ENOTFOUND) return JC_ENOTFOUND;
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_party_plan_upsert(jc_ctx *c, const party_plan *p, int64_t version)
{
    store_stmt *st;
    int rc = store_prepare(c->db, version ? SQL_PLAN_UPDATE : SQL_PLAN_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, p->unit_id);
    store_bind_text(st, 2, p->area_code);
    store_bind_text(st, 3, p->path);
    store_bind_opt_int(st, 4, p->instructor_id, p->instructor_id > 0);
    store_bind_text(st, 5, p->next_step ? p->next_step : "");
    store_bind_text(st, 6, p->target_date);
    store_bind_int(st, 7, c->now);
    if (version) {
        store_bind_int(st, 8, version);
        return run_versioned(c, st, "incubation plan", "孵化计划");
    }
    rc = store_run(st);
    if (rc == JC_ECONFLICT) return stale(c, "incubation plan", "孵化计划");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

/* ---- instructors' stations, demonstration points, visits ---- */

#define STATION_COLS                                                                               \
    "SELECT s.id, s.area_code, s.unit_id, u.name, u.category, s.instructor_id,"                    \
    " us.display_name, s.goal, s.since, s.until, s.version,"                                       \
    " (SELECT count(*) FROM party_visits v WHERE v.unit_id = s.unit_id"                            \
    "  AND v.instructor_id = s.instructor_id),"                                                    \
    " (SELECT max(v.visited_on) FROM party_visits v WHERE v.unit_id = s.unit_id"                   \
    "  AND v.instructor_id = s.instructor_id)"                                                     \
    " FROM party_stations s JOIN party_units u ON u.id = s.unit_id"                                \
    " LEFT JOIN users us ON us.id = s.instructor_id"

static const char SQL_STATION_GET[] = STATION_COLS " WHERE s.id = ?";
/* ?5 instructor, ?6 unit, ?7 current only */
static const char SQL_STATION_LIST[] = STATION_COLS
    " WHERE" GRANTED("s") " AND (?5 = 0 OR s.instructor_id = ?5)"
                          " AND (?6 = 0 OR s.unit_id = ?6) AND (?7 = 0 OR s.until IS NULL)"
                          " ORDER BY s.id LIMIT ?8 OFFSET ?9";
static const char SQL_STATION_COUNT[] = "SELECT count(*) FROM party_stations s WHERE" GRANTED(
    "s") " AND (?5 = 0 OR s.instructor_id = ?5) AND (?6 = 0 OR s.unit_id = ?6)"
         " AND (?7 = 0 OR s.until IS NULL)";
static const char SQL_STATION_INSERT[] =
    "INSERT INTO party_stations (area_code, unit_id, instructor_id, goal, since, created_at,"
    " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) RETURNING id";
static const char SQL_STATION_UPDATE[] =
    "UPDATE party_stations SET goal = ?1, until = ?2, updated_at = ?3, version = version + 1"
    " WHERE id = ?4 AND version = ?5";
static const char SQL_STATION_ACTIVE[] =
    "SELECT count(*) FROM party_stations WHERE unit_id = ?1 AND instructor_id = ?2"
    " AND until IS NULL";

static json_t *station_from_row(jc_ctx *c, store_stmt *st)
{
    (void)c;
    json_t *o = json_pack(
        "{s:I, s:s, s:{s:I, s:s, s:s}, s:{s:I, s:s}, s:s, s:s, s:s?, s:I, s:b, s:I, s:s?}", "id",
        (json_int_t)store_col_int(st, 0), "area", store_col_text(st, 1), "unit", "id",
        (json_int_t)store_col_int(st, 2), "name", store_col_text(st, 3), "category",
        store_col_text(st, 4), "instructor", "id", (json_int_t)store_col_int(st, 5), "name",
        store_col_text(st, 6) ? store_col_text(st, 6) : "", "goal", store_col_text(st, 7), "since",
        store_col_text(st, 8), "until", store_col_text(st, 9), "version",
        (json_int_t)store_col_int(st, 10), "current", store_col_null(st, 9), "visits",
        (json_int_t)store_col_int(st, 11), "last_visit", store_col_text(st, 12));
    if (o && !json_object_get(o, "until")) json_object_set_new(o, "until", json_null());
    if (o && !json_object_get(o, "last_visit")) json_object_set_new(o, "last_visit", json_null());
    return o;
}

int db_party_station_insert(jc_ctx *c, const char *area, int64_t unit_id, int64_t instructor_id,
                            const char *goal, const char *since, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_STATION_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, area);
    store_bind_int(st, 2, unit_id);
    store_bind_int(st, 3, instructor_id);
    store_bind_text(st, 4, goal);
    store_bind_text(st, 5, since);
    store_bind_int(st, 6, c->now);
    rc = store_one_int(st, id);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_party_station_get(jc_ctx *c, int64_t id, json_t **out, const char **area, int64_t *version)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_STATION_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    if (rc == JC_OK) {
        *out = jc_own(c, station_from_row(c, st));
        *area = TXT(1);
        *version = store_col_int(st, 10);
    }
    store_reset(st);
    if (rc == JC_ENOTFOUND) return NOTFOUND("no such station", "蹲点记录不存在");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_party_station_update(jc_ctx *c, int64_t id, int64_t version, const char *goal,
                            const char *until)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_STATION_UPDATE, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, goal);
    store_bind_text(st, 2, until);
    store_bind_int(st, 3, c->now);
    store_bind_int(st, 4, id);
    store_bind_int(st, 5, version);
    return run_versioned(c, st, "station", "蹲点记录");
}

int db_party_station_list(jc_ctx *c, const party_filter *f, json_t *items, int64_t *total)
{
    store_stmt *st;
    int64_t current = f->status && strcmp(f->status, "current") == 0;
    int rc = store_prepare(c->db, SQL_STATION_COUNT, &st);
    if (rc) return jc_fail_db(c, rc);
    bind_scope(c, st, f);
    store_bind_int(st, 5, f->instructor_id);
    store_bind_int(st, 6, f->unit_id);
    store_bind_int(st, 7, current);
    rc = store_one_int(st, total);
    if (rc) return jc_fail_db(c, rc);
    if ((rc = store_prepare(c->db, SQL_STATION_LIST, &st))) return jc_fail_db(c, rc);
    bind_scope(c, st, f);
    store_bind_int(st, 5, f->instructor_id);
    store_bind_int(st, 6, f->unit_id);
    store_bind_int(st, 7, current);
    store_bind_int(st, 8, page_limit(f));
    store_bind_int(st, 9, f->offset);
    while ((rc = store_step(st)) == STORE_ROW)
        json_array_append_new(items, station_from_row(c, st));
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

int db_party_station_active(jc_ctx *c, int64_t unit_id, int64_t instructor_id, bool *yes)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_STATION_ACTIVE, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, unit_id);
    store_bind_int(st, 2, instructor_id);
    rc = store_one(st);
    *yes = rc == JC_OK && store_col_int(st, 0) > 0;
    store_reset(st);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

#define POINT_COLS                                                                                 \
    "SELECT p.id, p.township, p.category, p.unit_id, u.name, o.id, o.name, o.kind, p.area_code,"   \
    " p.chosen_on, p.note, p.version,"                                                             \
    " (SELECT us.display_name FROM party_stations s JOIN users us ON us.id = s.instructor_id"      \
    "  WHERE s.unit_id = p.unit_id AND s.until IS NULL ORDER BY s.id LIMIT 1),"                    \
    " (SELECT s.goal FROM party_stations s WHERE s.unit_id = p.unit_id AND s.until IS NULL"        \
    "  ORDER BY s.id LIMIT 1)"                                                                     \
    " FROM party_demo_points p JOIN party_units u ON u.id = p.unit_id"                             \
    " LEFT JOIN party_org_units l ON l.unit_id = u.id LEFT JOIN party_orgs o ON o.id = l.org_id"

static const char SQL_POINT_GET[] = POINT_COLS " WHERE p.id = ?";
static const char SQL_POINT_LIST[] = POINT_COLS " WHERE" GRANTED("p") " ORDER BY p.category";
static const char SQL_POINT_INSERT[] =
    "INSERT INTO party_demo_points (township, category, unit_id, area_code, chosen_on, note,"
    " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) RETURNING id";
static const char SQL_POINT_UPDATE[] =
    "UPDATE party_demo_points SET unit_id = ?1, area_code = ?2, chosen_on = ?3, note = ?4,"
    " updated_at = ?5, version = version + 1 WHERE id = ?6 AND version = ?7";
static const char SQL_POINT_FIND[] =
    "SELECT id, version FROM party_demo_points WHERE township = ?1 AND category = ?2";

static json_t *point_from_row(store_stmt *st)
{
    json_t *o = json_pack("{s:I, s:s, s:s, s:{s:I, s:s}, s:s, s:s, s:s, s:I, s:s?, s:s?}", "id",
                          (json_int_t)store_col_int(st, 0), "township", store_col_text(st, 1),
                          "category", store_col_text(st, 2), "unit", "id",
                          (json_int_t)store_col_int(st, 3), "name", store_col_text(st, 4), "area",
                          store_col_text(st, 8), "chosen_on", store_col_text(st, 9), "note",
                          store_col_text(st, 10), "version", (json_int_t)store_col_int(st, 11),
                          "instructor", store_col_text(st, 12), "goal", store_col_text(st, 13));
    if (!o) return NULL;
    json_object_set_new(o, "org",
                        store_col_null(st, 5)
                            ? json_null()
                            : json_pack("{s:I, s:s, s:s}", "id", (json_int_t)store_col_int(st, 5),
                                        "name", store_col_text(st, 6), "kind",
                                        store_col_text(st, 7)));
    if (!json_object_get(o, "instructor")) json_object_set_new(o, "instructor", json_null());
    if (!json_object_get(o, "goal")) json_object_set_new(o, "goal", json_null());
    return o;
}

int db_party_point_get(jc_ctx *c, int64_t id, json_t **out, const char **area, int64_t *version)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_POINT_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    if (rc == JC_OK) {
        *out = jc_own(c, point_from_row(st));
        *area = TXT(8);
        *version = store_col_int(st, 11);
    }
    store_reset(st);
    if (rc == JC_ENOTFOUND) return NOTFOUND("no such demonstration point", "示范点不存在");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_party_point_insert(jc_ctx *c, const char *township, const char *category, int64_t unit_id,
                          const char *area, const char *chosen_on, const char *note, int64_t *id)
{
    /* one per category and township: an existing point is replaced (UPDATE), not duplicated */
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_POINT_FIND, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, township);
    store_bind_text(st, 2, category);
    rc = store_one(st);
    int64_t found = rc == JC_OK ? store_col_int(st, 0) : 0;
    int64_t version = rc == JC_OK ? store_col_int(st, 1) : 0;
    store_reset(st);
    if (rc && rc != JC_ENOTFOUND) return jc_fail_db(c, rc);
    if (found) {
        *id = found;
        return db_party_point_update(c, found, version, unit_id, area, chosen_on, note);
    }
    if ((rc = store_prepare(c->db, SQL_POINT_INSERT, &st))) return jc_fail_db(c, rc);
    store_bind_text(st, 1, township);
    store_bind_text(st, 2, category);
    store_bind_int(st, 3, unit_id);
    store_bind_text(st, 4, area);
    store_bind_text(st, 5, chosen_on);
    store_bind_text(st, 6, note ? note : "");
    store_bind_int(st, 7, c->now);
    rc = store_one_int(st, id);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_party_point_update(jc_ctx *c, int64_t id, int64_t version, int64_t unit_id, const char *area,
                          const char *chosen_on, const char *note)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_POINT_UPDATE, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, unit_id);
    store_bind_text(st, 2, area);
    store_bind_text(st, 3, chosen_on);
    store_bind_text(st, 4, note ? note : "");
    store_bind_int(st, 5, c->now);
    store_bind_int(st, 6, id);
    store_bind_int(st, 7, version);
    return run_versioned(c, st, "demonstration point", "示范点");
}

int db_party_point_list(jc_ctx *c, const party_filter *f, json_t *items)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_POINT_LIST, &st);
    if (rc) return jc_fail_db(c, rc);
    bind_scope(c, st, f);
    while ((rc = store_step(st)) == STORE_ROW) json_array_append_new(items, point_from_row(st));
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

static const char SQL_VISIT_INSERT[] =
    "INSERT INTO party_visits (area_code, unit_id, instructor_id, visited_on, kind, summary,"
    " advice, outcome, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id";
#define VISIT_FROM                                                                                 \
    " FROM party_visits v JOIN party_units u ON u.id = v.unit_id"                                  \
    " LEFT JOIN users us ON us.id = v.instructor_id WHERE" GRANTED(                                \
        "v") " AND (?5 = 0 OR v.unit_id = ?5) AND (?6 = 0 OR v.instructor_id = ?6)"
static const char SQL_VISIT_LIST[] =
    "SELECT v.id, v.area_code, v.unit_id, u.name, v.instructor_id, us.display_name,"
    " v.visited_on, v.kind, v.summary, v.advice, v.outcome" VISIT_FROM
    " ORDER BY v.visited_on DESC, v.id DESC LIMIT ?7 OFFSET ?8";
static const char SQL_VISIT_COUNT[] = "SELECT count(*)" VISIT_FROM;

int db_party_visit_insert(jc_ctx *c, const char *area, int64_t unit_id, int64_t instructor_id,
                          const char *on, const char *kind, const char *summary, const char *advice,
                          const char *outcome, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_VISIT_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, area);
    store_bind_int(st, 2, unit_id);
    store_bind_opt_int(st, 3, instructor_id, instructor_id > 0);
    store_bind_text(st, 4, on);
    store_bind_text(st, 5, kind);
    store_bind_text(st, 6, summary);
    store_bind_text(st, 7, advice ? advice : "");
    store_bind_text(st, 8, outcome ? outcome : "");
    store_bind_int(st, 9, c->now);
    rc = store_one_int(st, id);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_party_visit_list(jc_ctx *c, const party_filter *f, json_t *items, int64_t *total)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_VISIT_COUNT, &st);
    if (rc) return jc_fail_db(c, rc);
    bind_scope(c, st, f);
    store_bind_int(st, 5, f->unit_id);
    store_bind_int(st, 6, f->instructor_id);
    rc = store_one_int(st, total);
    if (rc) return jc_fail_db(c, rc);
    if ((rc = store_prepare(c->db, SQL_VISIT_LIST, &st))) return jc_fail_db(c, rc);
    bind_scope(c, st, f);
    store_bind_int(st, 5, f->unit_id);
    store_bind_int(st, 6, f->instructor_id);
    store_bind_int(st, 7, page_limit(f));
    store_bind_int(st, 8, f->offset);
    while ((rc = store_step(st)) == STORE_ROW) {
        json_t *o = json_pack("{s:I, s:s, s:{s:I, s:s}, s:s, s:s, s:s, s:s, s:s}", "id",
                              (json_int_t)store_col_int(st, 0), "area", store_col_text(st, 1),
                              "unit", "id", (json_int_t)store_col_int(st, 2), "name",
                              store_col_text(st, 3), "date", store_col_text(st, 6), "kind",
                              store_col_text(st, 7), "summary", store_col_text(st, 8), "advice",
                              store_col_text(st, 9), "outcome", store_col_text(st, 10));
        if (o) json_object_set_new(o, "instructor", ref_or_null(st, 4, 5));
        json_array_append_new(items, o);
    }
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

/* ---- services and matches ---- */

#define SERVICE_COLS                                                                               \
    "SELECT s.id, s.area_code, ar.name, s.list, s.title, s.description, s.provider, s.unit_id,"    \
    " u.name, s.contact, s.active, s.version, s.created_at,"                                       \
    " (SELECT m.state FROM party_matches m WHERE (m.need_id = s.id OR m.offer_id = s.id)"          \
    "  AND m.state <> 'cancelled' ORDER BY m.id DESC LIMIT 1),"                                    \
    " (SELECT count(*) FROM party_matches m WHERE (m.need_id = s.id OR m.offer_id = s.id)"         \
    "  AND m.state <> 'cancelled')"                                                                \
    " FROM party_services s LEFT JOIN areas ar ON ar.code = s.area_code"                           \
    " LEFT JOIN party_units u ON u.id = s.unit_id"

static const char SQL_SERVICE_GET[] = SERVICE_COLS " WHERE s.id = ?";
/* ?5 list, ?6 LIKE, ?7 active only */
#define SERVICE_WHERE                                                                              \
    " WHERE" GRANTED("s") " AND (?5 IS NULL OR s.list = ?5)"                                       \
                          " AND (?6 IS NULL OR s.title LIKE ?6 ESCAPE '\\' OR s.description LIKE " \
                          "?6 ESCAPE '\\'"                                                         \
                          "  OR s.provider LIKE ?6 ESCAPE '\\') AND (?7 = 0 OR s.active = 1)"
static const char SQL_SERVICE_LIST[] =
    SERVICE_COLS SERVICE_WHERE " ORDER BY s.list, s.id LIMIT ?8 OFFSET ?9";
static const char SQL_SERVICE_COUNT[] = "SELECT count(*) FROM party_services s" SERVICE_WHERE;
static const char SQL_SERVICE_INSERT[] =
    "INSERT INTO party_services (area_code, list, title, description, provider, unit_id,"
    " contact, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) RETURNING id";
static const char SQL_SERVICE_UPDATE[] =
    "UPDATE party_services SET title = ?1, description = ?2, provider = ?3, contact = ?4,"
    " active = ?5, updated_at = ?6, version = version + 1 WHERE id = ?7 AND version = ?8";

static json_t *service_from_row(store_stmt *st)
{
    json_t *o =
        json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:I, s:I}", "id",
                  (json_int_t)store_col_int(st, 0), "area", store_col_text(st, 1), "area_name",
                  store_col_text(st, 2) ? store_col_text(st, 2) : "", "list", store_col_text(st, 3),
                  "title", store_col_text(st, 4), "description", store_col_text(st, 5), "provider",
                  store_col_text(st, 6), "contact", store_col_text(st, 9), "active",
                  store_col_int(st, 10) != 0, "version", (json_int_t)store_col_int(st, 11),
                  "matches", (json_int_t)store_col_int(st, 14));
    if (!o) return NULL;
    json_object_set_new(o, "unit", ref_or_null(st, 7, 8));
    const char *m = store_col_text(st, 13);
    json_object_set_new(o, "match_state", m ? json_string(m) : json_null());
    char ts[32];
    jc_time_local(store_col_int(st, 12), ts);
    json_object_set_new(o, "created_at", json_string(ts));
    return o;
}

int db_party_service_insert(jc_ctx *c, const char *area, const char *list, const char *title,
                            const char *description, const char *provider, int64_t unit_id,
                            const char *contact, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_SERVICE_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, area);
    store_bind_text(st, 2, list);
    store_bind_text(st, 3, title);
    store_bind_text(st, 4, description ? description : "");
    store_bind_text(st, 5, provider ? provider : "");
    store_bind_opt_int(st, 6, unit_id, unit_id > 0);
    store_bind_text(st, 7, contact ? contact : "");
    store_bind_int(st, 8, c->now);
    rc = store_one_int(st, id);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_party_service_get(jc_ctx *c, int64_t id, json_t **out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_SERVICE_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    if (rc == JC_OK) *out = jc_own(c, service_from_row(st));
    store_reset(st);
    if (rc == JC_ENOTFOUND) return NOTFOUND("no such service item", "服务清单项不存在");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_party_service_update(jc_ctx *c, int64_t id, int64_t version, const char *title,
                            const char *description, const char *provider, const char *contact,
                            bool active)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_SERVICE_UPDATE, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, title);
    store_bind_text(st, 2, description);
    store_bind_text(st, 3, provider);
    store_bind_text(st, 4, contact);
    store_bind_int(st, 5, active ? 1 : 0);
    store_bind_int(st, 6, c->now);
    store_bind_int(st, 7, id);
    store_bind_int(st, 8, version);
    return run_versioned(c, st, "service item", "服务清单项");
}

int db_party_service_list(jc_ctx *c, const party_filter *f, json_t *items, int64_t *total)
{
    store_stmt *st;
    int64_t active = f->status && strcmp(f->status, "active") == 0;
    int rc = store_prepare(c->db, SQL_SERVICE_COUNT, &st);
    if (rc) return jc_fail_db(c, rc);
    bind_scope(c, st, f);
    store_bind_text(st, 5, f->list);
    store_bind_text(st, 6, store_like_contains(c->a, f->q));
    store_bind_int(st, 7, active);
    rc = store_one_int(st, total);
    if (rc) return jc_fail_db(c, rc);
    if ((rc = store_prepare(c->db, SQL_SERVICE_LIST, &st))) return jc_fail_db(c, rc);
    bind_scope(c, st, f);
    store_bind_text(st, 5, f->list);
    store_bind_text(st, 6, store_like_contains(c->a, f->q));
    store_bind_int(st, 7, active);
    store_bind_int(st, 8, page_limit(f));
    store_bind_int(st, 9, f->offset);
    while ((rc = store_step(st)) == STORE_ROW) json_array_append_new(items, service_from_row(st));
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

#define MATCH_COLS                                                                                 \
    "SELECT m.id, m.area_code, m.need_id, n.title, n.provider, m.offer_id, f.title, f.provider,"   \
    " f.list, m.state, m.matched_on, m.done_on, m.note, m.outcome, m.beneficiaries, m.version"     \
    " FROM party_matches m JOIN party_services n ON n.id = m.need_id"                              \
    " JOIN party_services f ON f.id = m.offer_id"

static const char SQL_MATCH_GET[] = MATCH_COLS " WHERE m.id = ?";
/* ?5 state, ?6 need, ?7 offer */
#define MATCH_WHERE                                                                                \
    " WHERE" GRANTED("m") " AND (?5 IS NULL OR m.state = ?5) AND (?6 = 0 OR m.need_id = ?6)"       \
                          " AND (?7 = 0 OR m.offer_id = ?7)"
static const char SQL_MATCH_LIST[] =
    MATCH_COLS MATCH_WHERE " ORDER BY m.id DESC LIMIT ?8 OFFSET ?9";
static const char SQL_MATCH_COUNT[] = "SELECT count(*) FROM party_matches m" MATCH_WHERE;
static const char SQL_MATCH_INSERT[] =
    "INSERT INTO party_matches (area_code, need_id, offer_id, state, matched_on, note,"
    " created_at, updated_at) VALUES (?1, ?2, ?3, 'matched', ?4, ?5, ?6, ?6) RETURNING id";
static const char SQL_MATCH_UPDATE[] =
    "UPDATE party_matches SET state = ?1, done_on = ?2, outcome = ?3, beneficiaries = ?4,"
    " updated_at = ?5, version = version + 1 WHERE id = ?6 AND version = ?7";
static const char SQL_NEED_BUSY[] =
    "SELECT id FROM party_matches WHERE need_id = ? AND state <> 'cancelled' ORDER BY id LIMIT 1";

static json_t *match_from_row(store_stmt *st)
{
    const wf_state *s = wf_state_find(&party_match_wf, store_col_text(st, 9));
    json_t *o = json_pack(
        "{s:I, s:s, s:{s:I, s:s, s:s}, s:{s:I, s:s, s:s, s:s}, s:s, s:s, s:s, s:s, s:s?, s:s,"
        " s:s, s:I, s:I}",
        "id", (json_int_t)store_col_int(st, 0), "area", store_col_text(st, 1), "need", "id",
        (json_int_t)store_col_int(st, 2), "title", store_col_text(st, 3), "provider",
        store_col_text(st, 4), "offer", "id", (json_int_t)store_col_int(st, 5), "title",
        store_col_text(st, 6), "provider", store_col_text(st, 7), "list", store_col_text(st, 8),
        "state", store_col_text(st, 9), "state_zh", s ? s->zh : "", "state_en", s ? s->en : "",
        "matched_on", store_col_text(st, 10), "done_on", store_col_text(st, 11), "note",
        store_col_text(st, 12), "outcome", store_col_text(st, 13), "beneficiaries",
        (json_int_t)store_col_int(st, 14), "version", (json_int_t)store_col_int(st, 15));
    if (o && !json_object_get(o, "done_on")) json_object_set_new(o, "done_on", json_null());
    return o;
}

int db_party_match_insert(jc_ctx *c, const char *area, int64_t need_id, int64_t offer_id,
                          const char *on, const char *note, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_MATCH_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, area);
    store_bind_int(st, 2, need_id);
    store_bind_int(st, 3, offer_id);
    store_bind_text(st, 4, on);
    store_bind_text(st, 5, note ? note : "");
    store_bind_int(st, 6, c->now);
    rc = store_one_int(st, id);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_party_match_get(jc_ctx *c, int64_t id, json_t **out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_MATCH_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    if (rc == JC_OK) *out = jc_own(c, match_from_row(st));
    store_reset(st);
    if (rc == JC_ENOTFOUND) return NOTFOUND("no such match", "对接记录不存在");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_party_match_update(jc_ctx *c, int64_t id, int64_t version, const char *state,
                          const char *done_on, const char *outcome, int64_t beneficiaries)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_MATCH_UPDATE, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, state);
    store_bind_text(st, 2, done_on);
    store_bind_text(st, 3, outcome ? outcome : "");
    store_bind_int(st, 4, beneficiaries);
    store_bind_int(st, 5, c->now);
    store_bind_int(st, 6, id);
    store_bind_int(st, 7, version);
    return run_versioned(c, st, "match", "对接记录");
}

int db_party_match_list(jc_ctx *c, const party_filter *f, json_t *items, int64_t *total)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_MATCH_COUNT, &st);
    if (rc) return jc_fail_db(c, rc);
    bind_scope(c, st, f);
    store_bind_text(st, 5, f->state);
    store_bind_int(st, 6, f->need_id);
    store_bind_int(st, 7, f->offer_id);
    rc = store_one_int(st, total);
    if (rc) return jc_fail_db(c, rc);
    if ((rc = store_prepare(c->db, SQL_MATCH_LIST, &st))) return jc_fail_db(c, rc);
    bind_scope(c, st, f);
    store_bind_text(st, 5, f->state);
    store_bind_int(st, 6, f->need_id);
    store_bind_int(st, 7, f->offer_id);
    store_bind_int(st, 8, page_limit(f));
    store_bind_int(st, 9, f->offset);
    while ((rc = store_step(st)) == STORE_ROW) json_array_append_new(items, match_from_row(st));
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

int db_party_need_busy(jc_ctx *c, int64_t need_id, int64_t *match_id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_NEED_BUSY, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, need_id);
    rc = store_one(st);
    *match_id = rc == JC_OK ? store_col_int(st, 0) : 0;
    store_reset(st);
    return rc && rc != JC_ENOTFOUND ? jc_fail_db(c, rc) : JC_OK;
}

/* ---- joint meetings ---- */

#define MEETING_COLS                                                                               \
    "SELECT id, area_code, title, held_on, place, host, attendees, decisions, minutes, version,"   \
    " created_at FROM party_meetings mt"

static const char SQL_MEETING_GET[] = MEETING_COLS " WHERE id = ?";
/* ?5 LIKE */
#define MEETING_WHERE                                                                              \
    " WHERE" GRANTED("mt") " AND (?5 IS NULL OR mt.title LIKE ?5 ESCAPE '\\'"                      \
                           " OR mt.decisions LIKE ?5 ESCAPE '\\')"
static const char SQL_MEETING_LIST[] =
    MEETING_COLS MEETING_WHERE " ORDER BY mt.held_on DESC, mt.id DESC LIMIT ?6 OFFSET ?7";
static const char SQL_MEETING_COUNT[] = "SELECT count(*) FROM party_meetings mt" MEETING_WHERE;
static const char SQL_MEETING_INSERT[] =
    "INSERT INTO party_meetings (area_code, title, held_on, place, host, attendees, decisions,"
    " minutes, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)"
    " RETURNING id";
static const char SQL_MEETING_UPDATE[] =
    "UPDATE party_meetings SET title = ?1, held_on = ?2, place = ?3, host = ?4, attendees = ?5,"
    " decisions = ?6, minutes = ?7, updated_at = ?8, version = version + 1"
    " WHERE id = ?9 AND version = ?10";

static json_t *meeting_from_row(store_stmt *st)
{
    json_t *att = json_loads(store_col_text(st, 6), 0, NULL);
    json_t *dec = json_loads(store_col_text(st, 7), 0, NULL);
    int64_t present = 0, total = 0;
    size_t i;
    json_t *a;
    json_array_foreach(att, i, a)
    {
        total++;
        if (json_is_true(json_object_get(a, "present"))) present++;
    }
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:I, s:I, s:I}", "id",
                     (json_int_t)store_col_int(st, 0), "area", store_col_text(st, 1), "title",
                     store_col_text(st, 2), "held_on", store_col_text(st, 3), "place",
                     store_col_text(st, 4), "host", store_col_text(st, 5), "attendees",
                     att ? att : json_array(), "decisions", dec ? dec : json_array(), "minutes",
                     store_col_text(st, 8), "version", (json_int_t)store_col_int(st, 9), "present",
                     (json_int_t)present, "invited", (json_int_t)total);
}

int db_party_meeting_insert(jc_ctx *c, const char *area, const char *title, const char *held_on,
                            const char *place, const char *host, const char *attendees,
                            const char *decisions, const char *minutes, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_MEETING_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, area);
    store_bind_text(st, 2, title);
    store_bind_text(st, 3, held_on);
    store_bind_text(st, 4, place ? place : "");
    store_bind_text(st, 5, host ? host : "");
    store_bind_text(st, 6, attendees);
    store_bind_text(st, 7, decisions);
    store_bind_text(st, 8, minutes ? minutes : "");
    store_bind_int(st, 9, c->now);
    rc = store_one_int(st, id);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_party_meeting_get(jc_ctx *c, int64_t id, json_t **out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_MEETING_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    if (rc == JC_OK) *out = jc_own(c, meeting_from_row(st));
    store_reset(st);
    if (rc == JC_ENOTFOUND) return NOTFOUND("no such meeting", "联席会议记录不存在");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_party_meeting_update(jc_ctx *c, int64_t id, int64_t version, const char *title,
                            const char *held_on, const char *place, const char *host,
                            const char *attendees, const char *decisions, const char *minutes)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_MEETING_UPDATE, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, title);
    store_bind_text(st, 2, held_on);
    store_bind_text(st, 3, place);
    store_bind_text(st, 4, host);
    store_bind_text(st, 5, attendees);
    store_bind_text(st, 6, decisions);
    store_bind_text(st, 7, minutes);
    store_bind_int(st, 8, c->now);
    store_bind_int(st, 9, id);
    store_bind_int(st, 10, version);
    return run_versioned(c, st, "meeting", "联席会议记录");
}

int db_party_meeting_list(jc_ctx *c, const party_filter *f, json_t *items, int64_t *total)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_MEETING_COUNT, &st);
    if (rc) return jc_fail_db(c, rc);
    bind_scope(c, st, f);
    store_bind_text(st, 5, store_like_contains(c->a, f->q));
    rc = store_one_int(st, total);
    if (rc) return jc_fail_db(c, rc);
    if ((rc = store_prepare(c->db, SQL_MEETING_LIST, &st))) return jc_fail_db(c, rc);
    bind_scope(c, st, f);
    store_bind_text(st, 5, store_like_contains(c->a, f->q));
    store_bind_int(st, 6, page_limit(f));
    store_bind_int(st, 7, f->offset);
    while ((rc = store_step(st)) == STORE_ROW) json_array_append_new(items, meeting_from_row(st));
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

/* ---- coverage ---- */

/* ?5 formal members for an own branch. One pass over the units of the range; the members of
 * each unit are counted through the covering index party_members_unit (a seek per unit), which
 * keeps the query proportional to the units asked about, not to all the members. */
static const char SQL_COV_UNITS[] =
    "SELECT count(*),"
    " SUM(CASE WHEN u.status = 'operating' THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN u.status = 'operating' AND o.setting = 'single' THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN u.status = 'operating' AND o.setting = 'joint' THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN u.status = 'operating' AND (o.setting IS NULL OR o.setting <> 'single')"
    "  AND (SELECT count(*) FROM party_members m WHERE m.unit_id = u.id AND m.status = 'active'"
    "  AND m.stage = 'full') >= ?5 THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN u.status = 'operating' AND NOT EXISTS (SELECT 1 FROM party_members m"
    "  WHERE m.unit_id = u.id AND m.status = 'active' AND m.stage IN ('probationary', 'full'))"
    "  THEN 1 ELSE 0 END)"
    " FROM party_units u LEFT JOIN party_org_units l ON l.unit_id = u.id"
    " LEFT JOIN party_orgs o ON o.id = l.org_id AND o.status = 'established'"
    " WHERE" GRANTED("u");
/* ?5 .. ?6 this year */
static const char SQL_COV_ORGS[] =
    "SELECT o.status, count(*),"
    " SUM(CASE WHEN o.established_on >= ?5 AND o.established_on <= ?6 THEN 1 ELSE 0 END)"
    " FROM party_orgs o WHERE" GRANTED("o") " GROUP BY o.status";
static const char SQL_COV_MEMBERS[] =
    "SELECT m.stage, count(*) FROM party_members m WHERE m.status = 'active' AND" GRANTED(
        "m") " GROUP BY m.stage";

int db_party_coverage(jc_ctx *c, const party_filter *f, int64_t min_formal, const char *year_from,
                      const char *year_to, party_coverage *out)
{
    memset(out, 0, sizeof *out);
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_COV_UNITS, &st);
    if (rc) return jc_fail_db(c, rc);
    bind_scope(c, st, f);
    store_bind_int(st, 5, min_formal);
    rc = store_one(st);
    if (rc == JC_OK) { /* SUM of no rows is NULL: store_col_int reads it as 0 */
        out->units_total = store_col_int(st, 0);
        out->operating = store_col_int(st, 1);
        out->closed = out->units_total - out->operating;
        out->own = store_col_int(st, 2);
        out->joint = store_col_int(st, 3);
        out->needs_branch = store_col_int(st, 4);
        out->no_members = store_col_int(st, 5);
    }
    store_reset(st);
    if (rc) return jc_fail_db(c, rc);
    if ((rc = store_prepare(c->db, SQL_COV_ORGS, &st))) return jc_fail_db(c, rc);
    bind_scope(c, st, f);
    store_bind_text(st, 5, year_from);
    store_bind_text(st, 6, year_to);
    while ((rc = store_step(st)) == STORE_ROW) {
        const wf_state *s = wf_state_find(&party_org_wf, store_col_text(st, 0));
        if (!s) continue;
        out->orgs[s - party_org_wf.states] = store_col_int(st, 1);
        if (strcmp(s->code, "established") == 0) out->established_this_year = store_col_int(st, 2);
    }
    store_reset(st);
    if (rc != STORE_DONE) return jc_fail_db(c, rc);
    if ((rc = store_prepare(c->db, SQL_COV_MEMBERS, &st))) return jc_fail_db(c, rc);
    bind_scope(c, st, f);
    while ((rc = store_step(st)) == STORE_ROW) {
        int s = party_enum_find(party_stages, STAGE__MAX, store_col_text(st, 0));
        if (s >= 0) out->members[s] = store_col_int(st, 1);
    }
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

/* The latest snapshot of each record of `entity` written up to `until`, among those whose
 * latest row lies in the area range. A record moved out of the range later is judged by the
 * row that was latest then. */
static const char SQL_SNAPSHOTS[] =
    "SELECT a.entity_id, a.area_code, a.after_json FROM audit a"
    " WHERE a.entity = ?1 AND a.at <= ?2 AND a.area_code >= ?3 AND a.area_code < ?4"
    " AND NOT EXISTS (SELECT 1 FROM audit b WHERE b.entity = ?1 AND b.entity_id = a.entity_id"
    "  AND b.at <= ?2 AND b.seq > a.seq)";

int db_party_snapshots(jc_ctx *c, const char *entity, int64_t until, const char *lo, const char *hi,
                       party_snapshot_fn fn, void *arg)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_SNAPSHOTS, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, entity);
    store_bind_int(st, 2, until);
    store_bind_text(st, 3, lo);
    store_bind_text(st, 4, hi);
    int frc = JC_OK;
    while (!frc && (rc = store_step(st)) == STORE_ROW) {
        const char *txt = store_col_text(st, 2);
        if (!txt) continue; /* deleted */
        json_t *after = json_loads(txt, 0, NULL);
        if (!after) continue;
        frc = fn(c, store_col_text(st, 0), store_col_text(st, 1), after, arg);
        json_decref(after);
    }
    store_reset(st);
    if (frc) return frc;
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

/* ---- the map, areas by name, users ---- */

static const char SQL_MAP_AREAS[] =
    "SELECT code, name, level, lat, lng, geometry FROM areas WHERE code >= ?1 AND code < ?2"
    " ORDER BY code";

int db_party_map_areas(jc_ctx *c, const char *lo, const char *hi, json_t *out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_MAP_AREAS, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, lo);
    store_bind_text(st, 2, hi);
    while ((rc = store_step(st)) == STORE_ROW) {
        const char *code = store_col_text(st, 0);
        if (!area_visible(c->user, code)) continue;
        json_t *o = json_pack("{s:s, s:s, s:I}", "code", code, "name", store_col_text(st, 1),
                              "level", (json_int_t)store_col_int(st, 2));
        if (!o) continue;
        if (!store_col_null(st, 3) && !store_col_null(st, 4)) {
            json_object_set_new(o, "lat", json_real(store_col_double(st, 3)));
            json_object_set_new(o, "lng", json_real(store_col_double(st, 4)));
        } else {
            json_object_set_new(o, "lat", json_null());
            json_object_set_new(o, "lng", json_null());
        }
        const char *g = store_col_text(st, 5);
        json_t *gj = g ? json_loads(g, 0, NULL) : NULL;
        json_object_set_new(o, "geometry", gj ? gj : json_null());
        json_array_append_new(out, o);
    }
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

static const char SQL_AREA_BY_NAME[] = "SELECT code FROM areas WHERE name = ? ORDER BY code";

int db_party_area_by_name(jc_ctx *c, const char *name, char code[16], int *matches)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_AREA_BY_NAME, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, name);
    *matches = 0;
    code[0] = '\0';
    while ((rc = store_step(st)) == STORE_ROW) {
        const char *k = store_col_text(st, 0);
        if (!area_visible(c->user, k)) continue;
        if (!*matches) snprintf(code, 16, "%s", k);
        (*matches)++;
    }
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

static const char SQL_USER[] =
    "SELECT u.display_name, u.disabled, (SELECT count(*) FROM user_roles r WHERE r.user_id = u.id"
    " AND r.role = 'party_instructor') FROM users u WHERE u.id = ?";

int db_party_user_name(jc_ctx *c, int64_t id, const char **name, unsigned *roles)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_USER, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    if (rc == JC_OK) {
        *name = TXT(0);
        *roles =
            store_col_int(st, 1) == 0 && store_col_int(st, 2) > 0 ? RB(ROLE_PARTY_INSTRUCTOR) : 0;
    }
    store_reset(st);
    if (rc == JC_ENOTFOUND)
        return jc_fail(c, JC_EUNPROC, "unknown_user", "instructor_id", "no such user",
                       "指定的用户不存在");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static const char SQL_CHILD_AREAS[] = "SELECT code FROM areas WHERE parent_code = ? ORDER BY code";

int db_party_child_areas(jc_ctx *c, const char *parent, char (*codes)[16], int max, int *n)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_CHILD_AREAS, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, parent);
    *n = 0;
    while (*n < max && (rc = store_step(st)) == STORE_ROW)
        snprintf(codes[(*n)++], 16, "%s", store_col_text(st, 0));
    store_reset(st);
    return rc == STORE_DONE || rc == STORE_ROW ? JC_OK : jc_fail_db(c, rc);
}

static const char SQL_INSTRUCTORS[] =
    "SELECT u.id, u.display_name FROM users u JOIN user_roles r ON r.user_id = u.id"
    " AND r.role = 'party_instructor' WHERE u.disabled = 0 AND EXISTS (SELECT 1 FROM user_areas g"
    " WHERE g.user_id = u.id AND ?1 >= g.prefix AND ?1 < g.prefix_end) ORDER BY u.id";

int db_party_instructors(jc_ctx *c, const char *area, json_t *out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_INSTRUCTORS, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, area);
    while ((rc = store_step(st)) == STORE_ROW)
        json_array_append_new(out, json_pack("{s:I, s:s}", "id", (json_int_t)store_col_int(st, 0),
                                             "name", store_col_text(st, 1)));
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

static const char SQL_COUNT_MEMBERS[] = "SELECT count(*) FROM party_members";

int db_party_count_members(jc_ctx *c, int64_t *n)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_COUNT_MEMBERS, &st);
    if (rc) return jc_fail_db(c, rc);
    rc = store_one_int(st, n);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

/* Bulk loading of bench data on SQLite: a page cache large enough for the indexes being filled
 * (the default 2 MiB makes every index insert a disk read). PostgreSQL needs nothing. */
static const char SQL_BULK_SQLITE[] = "PRAGMA cache_size = -262144";

int db_party_bulk_tuning(jc_ctx *c)
{
    if (store_kind_of(c->db) != STORE_SQLITE) return JC_OK;
    int rc = store_exec_script(c->db, SQL_BULK_SQLITE);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}
