/* cases_db.c — every SQL statement of city management, prepared once per connection, parameters
 * bound; the rest of the domain never sees SQL. Written once for SQLite and PostgreSQL (see the
 * rules at the top of store/store.h). */
#include "cases.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char M1[] =
    "CREATE TABLE case_roads ("
    " id @ID@,"
    " area_code @CODE@ NOT NULL REFERENCES areas(code),"
    " name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',"
    " geometry TEXT, length_m BIGINT NOT NULL DEFAULT 0,"
    " active BIGINT NOT NULL DEFAULT 1,"
    " created_by BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " version BIGINT NOT NULL DEFAULT 1,"
    " UNIQUE (area_code, name));"
    "CREATE TABLE case_chiefs ("
    " id @ID@,"
    " road_id BIGINT NOT NULL REFERENCES case_roads(id),"
    " level TEXT NOT NULL CHECK (level IN ('general', 'first', 'second')),"
    " name TEXT NOT NULL, title TEXT NOT NULL DEFAULT '', phone TEXT,"
    " user_id BIGINT REFERENCES users(id),"
    " duties TEXT NOT NULL, since TEXT NOT NULL,"
    " active BIGINT NOT NULL DEFAULT 1,"
    " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
    "CREATE INDEX case_chiefs_road ON case_chiefs(road_id);"
    "CREATE INDEX case_chiefs_user ON case_chiefs(user_id);"
    "CREATE TABLE case_teams ("
    " id @ID@,"
    " area_code @CODE@ NOT NULL REFERENCES areas(code),"
    " name TEXT NOT NULL, kind TEXT NOT NULL, leader_name TEXT NOT NULL DEFAULT '', phone TEXT,"
    " active BIGINT NOT NULL DEFAULT 1,"
    " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, version BIGINT NOT NULL DEFAULT 1,"
    " UNIQUE (area_code, name));"
    "CREATE TABLE case_team_members ("
    " team_id BIGINT NOT NULL REFERENCES case_teams(id),"
    " user_id BIGINT NOT NULL REFERENCES users(id),"
    " PRIMARY KEY (team_id, user_id));"
    "CREATE INDEX case_team_members_user ON case_team_members(user_id);"
    "CREATE TABLE case_sites ("
    " id @ID@,"
    " area_code @CODE@ NOT NULL REFERENCES areas(code),"
    " name TEXT NOT NULL, builder TEXT NOT NULL DEFAULT '', address TEXT NOT NULL DEFAULT '',"
    " lat DOUBLE PRECISION, lng DOUBLE PRECISION, area_m2 BIGINT NOT NULL DEFAULT 0,"
    " start_date TEXT, end_date TEXT, supervisors TEXT NOT NULL DEFAULT '[]',"
    " active BIGINT NOT NULL DEFAULT 1,"
    " created_by BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " version BIGINT NOT NULL DEFAULT 1);"
    "CREATE INDEX case_sites_area ON case_sites(area_code);"
    "CREATE TABLE case_checklists ("
    " version BIGINT NOT NULL PRIMARY KEY, items TEXT NOT NULL, note TEXT NOT NULL DEFAULT '',"
    " created_by BIGINT, created_at BIGINT NOT NULL);"
    "CREATE TABLE case_inspections ("
    " id @ID@,"
    " site_id BIGINT NOT NULL REFERENCES case_sites(id),"
    " area_code @CODE@ NOT NULL REFERENCES areas(code),"
    " checklist_version BIGINT NOT NULL REFERENCES case_checklists(version),"
    " kind TEXT NOT NULL CHECK (kind IN ('day', 'night')),"
    " inspected_at BIGINT NOT NULL, local_date TEXT NOT NULL,"
    " inspector_id BIGINT REFERENCES users(id), inspector_name TEXT NOT NULL DEFAULT '',"
    " results TEXT NOT NULL, passed BIGINT NOT NULL, failed BIGINT NOT NULL,"
    " note TEXT NOT NULL DEFAULT '', case_ids TEXT NOT NULL DEFAULT '[]',"
    " created_at BIGINT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
    "CREATE INDEX case_inspections_site ON case_inspections(site_id, inspected_at);"
    "CREATE TABLE case_patrols ("
    " id @ID@,"
    " area_code @CODE@ NOT NULL REFERENCES areas(code),"
    " road_id BIGINT NOT NULL REFERENCES case_roads(id),"
    " chief_id BIGINT REFERENCES case_chiefs(id),"
    " user_id BIGINT REFERENCES users(id), patroller TEXT NOT NULL,"
    " kind TEXT NOT NULL CHECK (kind IN ('day', 'night')),"
    " started_at BIGINT NOT NULL, ended_at BIGINT NOT NULL, local_date TEXT NOT NULL,"
    " findings TEXT NOT NULL DEFAULT '', track TEXT, distance_m BIGINT NOT NULL DEFAULT 0,"
    " case_ids TEXT NOT NULL DEFAULT '[]',"
    " created_by BIGINT, created_at BIGINT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
    "CREATE INDEX case_patrols_chief ON case_patrols(chief_id, local_date);"
    "CREATE INDEX case_patrols_road ON case_patrols(road_id, started_at);"
    "CREATE INDEX case_patrols_area ON case_patrols(area_code, started_at);"
    "CREATE TABLE cases ("
    " id @ID@,"
    " area_code @CODE@ NOT NULL REFERENCES areas(code),"
    " service_code TEXT NOT NULL, service_name TEXT NOT NULL,"
    " source TEXT NOT NULL CHECK (source IN ('public', 'staff', 'patrol', 'inspection', 'phone')),"
    " description TEXT NOT NULL, public_description TEXT,"
    " hidden BIGINT NOT NULL DEFAULT 0, hidden_reason TEXT,"
    " attributes TEXT, lat DOUBLE PRECISION, lng DOUBLE PRECISION,"
    " address TEXT NOT NULL DEFAULT '',"
    " road_id BIGINT REFERENCES case_roads(id), chief_id BIGINT REFERENCES case_chiefs(id),"
    " team_id BIGINT REFERENCES case_teams(id), assignee_id BIGINT REFERENCES users(id),"
    " site_id BIGINT REFERENCES case_sites(id), inspection_id BIGINT, patrol_id BIGINT,"
    " reporter_name TEXT, reporter_phone TEXT, reporter_email TEXT,"
    " anonymous BIGINT NOT NULL DEFAULT 0, client_addr TEXT, device_id TEXT, account_id TEXT,"
    " token_hash TEXT UNIQUE, media_key TEXT, media_type TEXT,"
    " state TEXT NOT NULL, deadline_at BIGINT, suspended_at BIGINT,"
    " merged_into BIGINT REFERENCES cases(id),"
    " last_note TEXT, reply TEXT, last_reason TEXT, reopen_count BIGINT NOT NULL DEFAULT 0,"
    " created_by BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " closed_at BIGINT, dispatched_at BIGINT, version BIGINT NOT NULL DEFAULT 1);"
    "CREATE INDEX cases_created ON cases(created_at);"
    "CREATE INDEX cases_area ON cases(area_code, created_at);"
    "CREATE INDEX cases_state ON cases(state, deadline_at);"
    "CREATE INDEX cases_near ON cases(service_code, lat);"
    "CREATE INDEX cases_addr ON cases(client_addr, created_at);"
    "CREATE INDEX cases_road ON cases(road_id);"
    "CREATE INDEX cases_team ON cases(team_id);"
    "CREATE INDEX cases_merged ON cases(merged_into);"
    "CREATE TABLE case_media ("
    " id @ID@,"
    " case_id BIGINT NOT NULL REFERENCES cases(id),"
    " stage TEXT NOT NULL CHECK (stage IN ('report', 'process', 'result')),"
    " content_type TEXT NOT NULL, size BIGINT NOT NULL, sha256 TEXT NOT NULL,"
    " pkey TEXT NOT NULL UNIQUE, data @BLOB@ NOT NULL,"
    " created_by BIGINT, created_at BIGINT NOT NULL);"
    "CREATE INDEX case_media_case ON case_media(case_id);"
    "CREATE TABLE case_evaluations ("
    " id @ID@,"
    " case_id BIGINT NOT NULL REFERENCES cases(id),"
    " source_case_id BIGINT NOT NULL REFERENCES cases(id),"
    " cycle BIGINT NOT NULL, resolved BIGINT NOT NULL,"
    " rating BIGINT NOT NULL CHECK (rating BETWEEN 1 AND 5), comment TEXT NOT NULL DEFAULT '',"
    " created_at BIGINT NOT NULL,"
    " UNIQUE (case_id, source_case_id, cycle));"
    "CREATE INDEX case_evaluations_time ON case_evaluations(created_at);"
    "CREATE TABLE open311_clients (addr TEXT NOT NULL PRIMARY KEY, last_at BIGINT NOT NULL);";

const store_migration cases_migrations[CASES_NMIGRATIONS] = {{1, M1, NULL}};

/* ---- small helpers ---- */

#define TXT(i) arena_strdup(c->a, store_col_text(st, i))

static int stale(jc_ctx *c, const char *en, const char *zh)
{
    return jc_fail(
        c, JC_ESTALE, "stale_version", "version",
        arena_printf(c->a, "the %s was changed by someone else; reload and try again", en),
        arena_printf(c->a, "该%s已被他人修改,请刷新后重试", zh));
}

static int not_found(jc_ctx *c, const char *en, const char *zh)
{
    return jc_fail(c, JC_ENOTFOUND, "not_found", NULL, arena_printf(c->a, "no such %s", en),
                   arena_printf(c->a, "%s不存在", zh));
}

/* Runs a statement expected to change one row, else a stale version. */
static int run_versioned(jc_ctx *c, store_stmt *st, const char *en, const char *zh)
{
    int rc = store_run(st);
    if (rc) return jc_fail_db(c, rc);
    return store_changes(st) == 0 ? stale(c, en, zh) : JC_OK;
}

/* ---- cases ---- */

#define CASE_COLS                                                                                  \
    "SELECT k.id, k.area_code, ar.name, k.service_code, k.service_name, k.source, k.description,"  \
    " k.public_description, k.hidden, k.hidden_reason, k.attributes, k.lat, k.lng, k.address,"     \
    " k.road_id, rd.name, k.chief_id, ch.name, ch.level, ch.user_id, k.team_id, tm.name,"          \
    " k.assignee_id, u.display_name, k.site_id, k.inspection_id, k.patrol_id, k.reporter_name,"    \
    " k.reporter_phone, k.reporter_email, k.anonymous, k.client_addr, k.state, k.deadline_at,"     \
    " k.suspended_at, k.merged_into, k.last_note, k.reply, k.last_reason, k.reopen_count,"         \
    " k.created_by, k.created_at, k.updated_at, k.closed_at, k.dispatched_at, k.version"           \
    " FROM cases k LEFT JOIN areas ar ON ar.code = k.area_code"                                    \
    " LEFT JOIN case_roads rd ON rd.id = k.road_id LEFT JOIN case_chiefs ch ON ch.id = k.chief_id" \
    " LEFT JOIN case_teams tm ON tm.id = k.team_id LEFT JOIN users u ON u.id = k.assignee_id"

/* ?1..?2 area range, ?3 covered, ?4 user (grants), ?5 state bits (order of case_wf.states),
 * ?6 service, ?7 source, ?8 LIKE pattern, ?9 road, ?10 team, ?11 chief, ?12 assignee, ?13 site,
 * ?14 overdue only, ?15 now, ?16 include hidden, ?17 hidden only, ?18..?19 created range,
 * ?20 id (a number typed as the search) */
#define CASE_WHERE                                                                                 \
    " WHERE k.area_code >= ?1 AND k.area_code < ?2"                                                \
    " AND (?3 = 1 OR EXISTS (SELECT 1 FROM user_areas g WHERE g.user_id = ?4"                      \
    "  AND k.area_code >= g.prefix AND k.area_code < g.prefix_end))"                               \
    " AND (?5 = 0 OR (?5 & CASE k.state WHEN 'new' THEN 1 WHEN 'dispatched' THEN 2"                \
    "  WHEN 'processing' THEN 4 WHEN 'verifying' THEN 8 WHEN 'suspended' THEN 16"                  \
    "  WHEN 'closed' THEN 32 WHEN 'rejected' THEN 64 ELSE 128 END) <> 0)"                          \
    " AND (?6 IS NULL OR k.service_code = ?6) AND (?7 IS NULL OR k.source = ?7)"                   \
    " AND (?8 IS NULL OR k.description LIKE ?8 ESCAPE '\\' OR k.address LIKE ?8 ESCAPE '\\'"       \
    "  OR k.id = ?20)"                                                                             \
    " AND (?9 = 0 OR k.road_id = ?9) AND (?10 = 0 OR k.team_id = ?10)"                             \
    " AND (?11 = 0 OR k.chief_id = ?11) AND (?12 = 0 OR k.assignee_id = ?12)"                      \
    " AND (?13 = 0 OR k.site_id = ?13)"                                                            \
    " AND (?14 = 0 OR (k.deadline_at < ?15"                                                        \
    "  AND k.state IN ('new', 'dispatched', 'processing', 'verifying')))"                          \
    " AND (?16 = 1 OR k.hidden = 0) AND (?17 = 0 OR k.hidden = 1)"                                 \
    " AND (?18 = 0 OR k.created_at >= ?18) AND (?19 = 0 OR k.created_at < ?19)"

static const char SQL_CASE_GET[] = CASE_COLS " WHERE k.id = ?";
static const char SQL_CASE_LIST_NEW[] =
    CASE_COLS CASE_WHERE " ORDER BY k.created_at DESC, k.id DESC LIMIT ?21 OFFSET ?22";
static const char SQL_CASE_LIST_OLD[] =
    CASE_COLS CASE_WHERE " ORDER BY k.created_at, k.id LIMIT ?21 OFFSET ?22";
static const char SQL_CASE_LIST_DEADLINE[] =
    CASE_COLS CASE_WHERE " ORDER BY k.deadline_at, k.id LIMIT ?21 OFFSET ?22";
static const char SQL_CASE_LIST_UPDATED[] =
    CASE_COLS CASE_WHERE " ORDER BY k.updated_at DESC, k.id DESC LIMIT ?21 OFFSET ?22";
static const char SQL_CASE_COUNT[] = "SELECT count(*) FROM cases k" CASE_WHERE;

static const char SQL_CASE_INSERT[] =
    "INSERT INTO cases (area_code, service_code, service_name, source, description, attributes,"
    " lat, lng, address, road_id, chief_id, team_id, assignee_id, site_id, inspection_id,"
    " patrol_id, reporter_name, reporter_phone, reporter_email, anonymous, client_addr,"
    " device_id, account_id, token_hash, state, deadline_at, created_by, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
    " ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?28) RETURNING id";

static const char SQL_CASE_UPDATE[] =
    "UPDATE cases SET area_code = ?1, service_code = ?2, service_name = ?3, description = ?4,"
    " public_description = ?5, hidden = ?6, hidden_reason = ?7, attributes = ?8, lat = ?9,"
    " lng = ?10, address = ?11, road_id = ?12, chief_id = ?13, team_id = ?14, assignee_id = ?15,"
    " state = ?16, deadline_at = ?17, suspended_at = ?18, merged_into = ?19, last_note = ?20,"
    " reply = ?21, last_reason = ?22, reopen_count = ?23, closed_at = ?24, dispatched_at = ?25,"
    " updated_at = ?26, version = version + 1 WHERE id = ?27 AND version = ?28";

static void case_from_row(jc_ctx *c, store_stmt *st, case_rec *k)
{
    memset(k, 0, sizeof *k);
    k->id = store_col_int(st, 0);
    k->area_code = TXT(1);
    k->area_name = TXT(2);
    k->service_code = TXT(3);
    k->service_name = TXT(4);
    k->source = TXT(5);
    k->description = TXT(6);
    k->public_description = TXT(7);
    k->hidden = store_col_int(st, 8) != 0;
    k->hidden_reason = TXT(9);
    k->attributes = TXT(10);
    k->has_pos = !store_col_null(st, 11) && !store_col_null(st, 12);
    k->lat = store_col_double(st, 11);
    k->lng = store_col_double(st, 12);
    k->address = TXT(13);
    k->road_id = store_col_int(st, 14);
    k->road_name = TXT(15);
    k->chief_id = store_col_int(st, 16);
    k->chief_name = TXT(17);
    k->chief_level = TXT(18);
    k->chief_user_id = store_col_int(st, 19);
    k->team_id = store_col_int(st, 20);
    k->team_name = TXT(21);
    k->assignee_id = store_col_int(st, 22);
    k->assignee_name = TXT(23);
    k->site_id = store_col_int(st, 24);
    k->inspection_id = store_col_int(st, 25);
    k->patrol_id = store_col_int(st, 26);
    k->reporter_name = TXT(27);
    k->reporter_phone = TXT(28);
    k->reporter_email = TXT(29);
    k->anonymous = store_col_int(st, 30) != 0;
    k->client_addr = TXT(31);
    k->state = TXT(32);
    k->deadline_at = store_col_int(st, 33);
    k->suspended_at = store_col_int(st, 34);
    k->merged_into = store_col_int(st, 35);
    k->last_note = TXT(36);
    k->reply = TXT(37);
    k->last_reason = TXT(38);
    k->reopen_count = store_col_int(st, 39);
    k->created_by = store_col_int(st, 40);
    k->created_at = store_col_int(st, 41);
    k->updated_at = store_col_int(st, 42);
    k->closed_at = store_col_int(st, 43);
    k->dispatched_at = store_col_int(st, 44);
    k->version = store_col_int(st, 45);
}

int db_case_get(jc_ctx *c, int64_t id, case_rec *out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_CASE_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    if (rc == JC_OK) case_from_row(c, st, out);
    store_reset(st);
    if (rc == JC_ENOTFOUND) return not_found(c, "case", "诉求");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static void bind_pos(store_stmt *st, int idx, bool has, double v)
{
    if (has)
        store_bind_double(st, idx, v);
    else
        store_bind_null_int(st, idx);
}

int db_case_insert(jc_ctx *c, const case_rec *k, const char *token_hash, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_CASE_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, k->area_code);
    store_bind_text(st, 2, k->service_code);
    store_bind_text(st, 3, k->service_name);
    store_bind_text(st, 4, k->source);
    store_bind_text(st, 5, k->description);
    store_bind_text(st, 6, k->attributes);
    bind_pos(st, 7, k->has_pos, k->lat);
    bind_pos(st, 8, k->has_pos, k->lng);
    store_bind_text(st, 9, k->address ? k->address : "");
    store_bind_opt_int(st, 10, k->road_id, k->road_id > 0);
    store_bind_opt_int(st, 11, k->chief_id, k->chief_id > 0);
    store_bind_opt_int(st, 12, k->team_id, k->team_id > 0);
    store_bind_opt_int(st, 13, k->assignee_id, k->assignee_id > 0);
    store_bind_opt_int(st, 14, k->site_id, k->site_id > 0);
    store_bind_opt_int(st, 15, k->inspection_id, k->inspection_id > 0);
    store_bind_opt_int(st, 16, k->patrol_id, k->patrol_id > 0);
    store_bind_text(st, 17, k->reporter_name);
    store_bind_text(st, 18, k->reporter_phone);
    store_bind_text(st, 19, k->reporter_email);
    store_bind_int(st, 20, k->anonymous ? 1 : 0);
    store_bind_text(st, 21, k->client_addr);
    store_bind_text(st, 22, NULL);
    store_bind_text(st, 23, NULL);
    store_bind_text(st, 24, token_hash);
    store_bind_text(st, 25, k->state);
    store_bind_opt_int(st, 26, k->deadline_at, k->deadline_at > 0);
    jc_bind_actor(st, 27, c);
    store_bind_int(st, 28, c->now);
    rc = store_one_int(st, id);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_case_update(jc_ctx *c, const case_rec *k, int64_t version)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_CASE_UPDATE, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, k->area_code);
    store_bind_text(st, 2, k->service_code);
    store_bind_text(st, 3, k->service_name);
    store_bind_text(st, 4, k->description);
    store_bind_text(st, 5, k->public_description);
    store_bind_int(st, 6, k->hidden ? 1 : 0);
    store_bind_text(st, 7, k->hidden_reason);
    store_bind_text(st, 8, k->attributes);
    bind_pos(st, 9, k->has_pos, k->lat);
    bind_pos(st, 10, k->has_pos, k->lng);
    store_bind_text(st, 11, k->address ? k->address : "");
    store_bind_opt_int(st, 12, k->road_id, k->road_id > 0);
    store_bind_opt_int(st, 13, k->chief_id, k->chief_id > 0);
    store_bind_opt_int(st, 14, k->team_id, k->team_id > 0);
    store_bind_opt_int(st, 15, k->assignee_id, k->assignee_id > 0);
    store_bind_text(st, 16, k->state);
    store_bind_opt_int(st, 17, k->deadline_at, k->deadline_at > 0);
    store_bind_opt_int(st, 18, k->suspended_at, k->suspended_at > 0);
    store_bind_opt_int(st, 19, k->merged_into, k->merged_into > 0);
    store_bind_text(st, 20, k->last_note);
    store_bind_text(st, 21, k->reply);
    store_bind_text(st, 22, k->last_reason);
    store_bind_int(st, 23, k->reopen_count);
    store_bind_opt_int(st, 24, k->closed_at, k->closed_at > 0);
    store_bind_opt_int(st, 25, k->dispatched_at, k->dispatched_at > 0);
    store_bind_int(st, 26, c->now);
    store_bind_int(st, 27, k->id);
    store_bind_int(st, 28, version);
    return run_versioned(c, st, "case", "诉求");
}

static void bind_case_filter(jc_ctx *c, store_stmt *st, const case_filter *f)
{
    store_bind_text(st, 1, f->lo);
    store_bind_text(st, 2, f->hi);
    store_bind_int(st, 3, f->covered ? 1 : 0);
    store_bind_int(st, 4, c->user ? c->user->id : 0);
    store_bind_int(st, 5, f->states);
    store_bind_text(st, 6, f->service);
    store_bind_text(st, 7, f->source);
    store_bind_text(st, 8, store_like_contains(c->a, f->q));
    store_bind_int(st, 9, f->road_id);
    store_bind_int(st, 10, f->team_id);
    store_bind_int(st, 11, f->chief_id);
    store_bind_int(st, 12, f->assignee_id);
    store_bind_int(st, 13, f->site_id);
    store_bind_int(st, 14, f->overdue_only ? 1 : 0);
    store_bind_int(st, 15, c->now);
    store_bind_int(st, 16, f->include_hidden || f->hidden_only ? 1 : 0);
    store_bind_int(st, 17, f->hidden_only ? 1 : 0);
    store_bind_int(st, 18, f->from);
    store_bind_int(st, 19, f->to);
    int64_t idq = 0;
    if (f->q && *f->q) {
        const char *q = f->q[0] == '#' ? f->q + 1 : f->q;
        size_t n = strspn(q, "0123456789");
        if (n && n < 16 && !q[n]) idq = strtoll(q, NULL, 10);
    }
    store_bind_int(st, 20, idq);
}

int db_case_list(jc_ctx *c, const case_filter *f, case_fn fn, void *arg, int64_t *total)
{
    store_stmt *st;
    int rc;
    if (total) {
        if ((rc = store_prepare(c->db, SQL_CASE_COUNT, &st))) return jc_fail_db(c, rc);
        bind_case_filter(c, st, f);
        rc = store_one_int(st, total);
        if (rc) return jc_fail_db(c, rc);
    }
    const char *sql = f->sort == CASE_SORT_OLD        ? SQL_CASE_LIST_OLD
                      : f->sort == CASE_SORT_DEADLINE ? SQL_CASE_LIST_DEADLINE
                      : f->sort == CASE_SORT_UPDATED  ? SQL_CASE_LIST_UPDATED
                                                      : SQL_CASE_LIST_NEW;
    if ((rc = store_prepare(c->db, sql, &st))) return jc_fail_db(c, rc);
    bind_case_filter(c, st, f);
    store_bind_int(st, 21, f->limit);
    store_bind_int(st, 22, f->offset);
    int frc = JC_OK;
    while (!frc && (rc = store_step(st)) == STORE_ROW) {
        case_rec k;
        case_from_row(c, st, &k);
        frc = fn(c, &k, arg);
    }
    store_reset(st);
    if (frc) return frc;
    return rc == STORE_DONE || rc == STORE_ROW ? JC_OK : jc_fail_db(c, rc);
}

static const char SQL_CASE_BY_TOKEN[] = "SELECT id FROM cases WHERE token_hash = ?";

int db_case_by_token(jc_ctx *c, const char *token_hash, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_CASE_BY_TOKEN, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, token_hash);
    rc = store_one_int(st, id);
    if (rc == JC_ENOTFOUND) return not_found(c, "token", "凭证");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static const char SQL_CASE_BOX[] =
    "SELECT id, lat, lng FROM cases WHERE service_code = ?1 AND lat >= ?2 AND lat <= ?3"
    " AND lng >= ?4 AND lng <= ?5 AND id <> ?6 AND hidden = 0"
    " AND state IN ('new', 'dispatched', 'processing', 'verifying', 'suspended')"
    " ORDER BY id DESC LIMIT ?7";

int db_case_in_box(jc_ctx *c, const char *service, double lat_lo, double lat_hi, double lng_lo,
                   double lng_hi, int64_t except, case_near *out, int max, int *n)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_CASE_BOX, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, service);
    store_bind_double(st, 2, lat_lo);
    store_bind_double(st, 3, lat_hi);
    store_bind_double(st, 4, lng_lo);
    store_bind_double(st, 5, lng_hi);
    store_bind_int(st, 6, except);
    store_bind_int(st, 7, max);
    *n = 0;
    while (*n < max && (rc = store_step(st)) == STORE_ROW) {
        out[*n].id = store_col_int(st, 0);
        out[*n].lat = store_col_double(st, 1);
        out[*n].lng = store_col_double(st, 2);
        (*n)++;
    }
    store_reset(st);
    return rc == STORE_DONE || rc == STORE_ROW ? JC_OK : jc_fail_db(c, rc);
}

static const char SQL_CASE_MERGED[] = "SELECT id FROM cases WHERE merged_into = ? ORDER BY id";
static const char SQL_CASE_REPOINT[] =
    "UPDATE cases SET merged_into = ?1, updated_at = ?3, version = version + 1"
    " WHERE merged_into = ?2";

int db_case_merged_ids(jc_ctx *c, int64_t into, json_t *ids)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_CASE_MERGED, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, into);
    while ((rc = store_step(st)) == STORE_ROW)
        json_array_append_new(ids, json_integer(store_col_int(st, 0)));
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

int db_case_repoint_merged(jc_ctx *c, int64_t from, int64_t to)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_CASE_REPOINT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, to);
    store_bind_int(st, 2, from);
    store_bind_int(st, 3, c->now);
    rc = store_run(st);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static const char SQL_TEAM_HAS[] =
    "SELECT count(*) FROM case_team_members WHERE team_id = ? AND user_id = ?";

int db_team_has_member(jc_ctx *c, int64_t team_id, int64_t user_id, bool *yes)
{
    *yes = false;
    if (!team_id || !user_id) return JC_OK;
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_TEAM_HAS, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, team_id);
    store_bind_int(st, 2, user_id);
    rc = store_one(st);
    *yes = rc == JC_OK && store_col_int(st, 0) > 0;
    store_reset(st);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

/* Public reports of one address in the window, and the oldest of them (for Retry-After). */
static const char SQL_ADDR_COUNT[] =
    "SELECT count(*), COALESCE(MIN(created_at), 0) FROM cases"
    " WHERE client_addr = ? AND created_at > ? AND source = 'public'";
/* Takes the address's row lock (PostgreSQL; SQLite serialises writers anyway), so that
 * several servers counting the same address at once see each other's reports. */
static const char SQL_ADDR_LOCK[] = "INSERT INTO open311_clients (addr, last_at) VALUES (?1, ?2)"
                                    " ON CONFLICT (addr) DO UPDATE SET last_at = ?2";

int db_case_count_from_addr(jc_ctx *c, const char *addr, int64_t since, int64_t *n, int64_t *oldest)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_ADDR_COUNT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, addr);
    store_bind_int(st, 2, since);
    rc = store_one(st);
    *n = rc ? 0 : store_col_int(st, 0);
    *oldest = rc ? 0 : store_col_int(st, 1);
    store_reset(st);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_open311_lock_addr(jc_ctx *c, const char *addr)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_ADDR_LOCK, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, addr);
    store_bind_int(st, 2, c->now);
    rc = store_run(st);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

/* ---- photos ---- */

static const char SQL_PHOTO_INSERT[] =
    "INSERT INTO case_media (case_id, stage, content_type, size, sha256, pkey, data, created_by,"
    " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id";
static const char SQL_PHOTO_FIRST[] =
    "UPDATE cases SET media_key = ?2, media_type = ?3 WHERE id = ?1 AND media_key IS NULL";
static const char SQL_PHOTO_COUNT[] = "SELECT count(*) FROM case_media WHERE case_id = ?";
static const char SQL_PHOTO_LIST[] =
    "SELECT id, stage, content_type, size, pkey, created_at FROM case_media WHERE case_id = ?1"
    " AND (?2 = 0 OR stage = 'report') ORDER BY id";
static const char SQL_PHOTO_GET[] =
    "SELECT content_type, data, case_id FROM case_media WHERE id = ?1 AND case_id = ?2";
static const char SQL_PHOTO_PUBLIC[] =
    "SELECT m.content_type, m.data, m.case_id FROM case_media m JOIN cases k ON k.id = m.case_id"
    " WHERE m.pkey = ?1 AND m.stage = 'report' AND k.hidden = 0";

int db_photo_insert(jc_ctx *c, int64_t case_id, const case_photo_in *p, const char *key,
                    int64_t *id)
{
    unsigned char d[32];
    char hex[65];
    crypto_hash_sha256(d, p->data, p->len);
    for (int i = 0; i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", d[i]);
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_PHOTO_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, case_id);
    store_bind_text(st, 2, p->stage);
    store_bind_text(st, 3, p->type);
    store_bind_int(st, 4, (int64_t)p->len);
    store_bind_text(st, 5, hex);
    store_bind_text(st, 6, key);
    store_bind_blob(st, 7, p->data, p->len);
    jc_bind_actor(st, 8, c);
    store_bind_int(st, 9, c->now);
    rc = store_one_int(st, id);
    if (rc) return jc_fail_db(c, rc);
    if (strcmp(p->stage, "report") != 0) return JC_OK;
    if ((rc = store_prepare(c->db, SQL_PHOTO_FIRST, &st))) return jc_fail_db(c, rc);
    store_bind_int(st, 1, case_id);
    store_bind_text(st, 2, key);
    store_bind_text(st, 3, p->type);
    rc = store_run(st);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_photo_count(jc_ctx *c, int64_t case_id, int64_t *n)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_PHOTO_COUNT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, case_id);
    rc = store_one_int(st, n);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_photo_list(jc_ctx *c, int64_t case_id, bool public_only, json_t *out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_PHOTO_LIST, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, case_id);
    store_bind_int(st, 2, public_only ? 1 : 0);
    while ((rc = store_step(st)) == STORE_ROW) {
        char ts[32];
        jc_time_local(store_col_int(st, 5), ts);
        json_array_append_new(
            out, json_pack("{s:I, s:s, s:s, s:I, s:s, s:s}", "id", (json_int_t)store_col_int(st, 0),
                           "stage", store_col_text(st, 1), "content_type", store_col_text(st, 2),
                           "size", (json_int_t)store_col_int(st, 3), "key", store_col_text(st, 4),
                           "created_at", ts));
    }
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

int db_photo_get(jc_ctx *c, int64_t case_id, int64_t id, const char *key, const char **type,
                 const void **data, size_t *len, int64_t *owner_case)
{
    store_stmt *st;
    int rc = store_prepare(c->db, key ? SQL_PHOTO_PUBLIC : SQL_PHOTO_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    if (key) {
        store_bind_text(st, 1, key);
    } else {
        store_bind_int(st, 1, id);
        store_bind_int(st, 2, case_id);
    }
    rc = store_one(st);
    if (rc == JC_OK) {
        *type = TXT(0);
        size_t n = 0;
        const void *b = store_col_blob(st, 1, &n);
        void *copy = arena_alloc(c->a, n ? n : 1);
        if (copy && n) memcpy(copy, b, n);
        *data = copy;
        *len = n;
        *owner_case = store_col_int(st, 2);
        if (!copy) rc = JC_ENOMEM;
    }
    store_reset(st);
    if (rc == JC_ENOTFOUND) return not_found(c, "photo", "照片");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

/* ---- evaluations and the public timeline ---- */

static const char SQL_EVAL_INSERT[] =
    "INSERT INTO case_evaluations (case_id, source_case_id, cycle, resolved, rating, comment,"
    " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_EVAL_EXISTS[] = "SELECT count(*) FROM case_evaluations"
                                      " WHERE case_id = ?1 AND source_case_id = ?2 AND cycle = ?3";
static const char SQL_EVAL_LIST[] =
    "SELECT source_case_id, cycle, resolved, rating, comment, created_at FROM case_evaluations"
    " WHERE case_id = ?1 OR source_case_id = ?1 ORDER BY id";
static const char SQL_PUBLIC_EVENTS[] =
    "SELECT at, action FROM audit WHERE entity = 'case' AND entity_id = ? ORDER BY seq";

int db_eval_insert(jc_ctx *c, int64_t case_id, int64_t source_case_id, int64_t cycle, bool resolved,
                   int64_t rating, const char *comment)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_EVAL_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, case_id);
    store_bind_int(st, 2, source_case_id);
    store_bind_int(st, 3, cycle);
    store_bind_int(st, 4, resolved ? 1 : 0);
    store_bind_int(st, 5, rating);
    store_bind_text(st, 6, comment ? comment : "");
    store_bind_int(st, 7, c->now);
    rc = store_run(st);
    if (rc == JC_ECONFLICT)
        return jc_fail(c, JC_ECONFLICT, "already_evaluated", NULL,
                       "this case has already been evaluated", "该诉求已评价过");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_eval_exists(jc_ctx *c, int64_t case_id, int64_t source_case_id, int64_t cycle, bool *yes)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_EVAL_EXISTS, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, case_id);
    store_bind_int(st, 2, source_case_id);
    store_bind_int(st, 3, cycle);
    rc = store_one(st);
    *yes = rc == JC_OK && store_col_int(st, 0) > 0;
    store_reset(st);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_eval_list(jc_ctx *c, int64_t case_id, json_t *out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_EVAL_LIST, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, case_id);
    while ((rc = store_step(st)) == STORE_ROW) {
        char ts[32];
        jc_time_local(store_col_int(st, 5), ts);
        json_array_append_new(out, json_pack("{s:I, s:I, s:b, s:I, s:s, s:s}", "case_id",
                                             (json_int_t)store_col_int(st, 0), "cycle",
                                             (json_int_t)store_col_int(st, 1), "resolved",
                                             store_col_int(st, 2) != 0, "rating",
                                             (json_int_t)store_col_int(st, 3), "comment",
                                             store_col_text(st, 4), "at", ts));
    }
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

int db_case_public_events(jc_ctx *c, int64_t id, json_t *out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_PUBLIC_EVENTS, &st);
    if (rc) return jc_fail_db(c, rc);
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    store_bind_text(st, 1, ids);
    while ((rc = store_step(st)) == STORE_ROW) {
        char ts[32];
        jc_time_local(store_col_int(st, 0), ts);
        json_array_append_new(out,
                              json_pack("{s:s, s:s}", "at", ts, "action", store_col_text(st, 1)));
    }
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

/* ---- roads ---- */

#define GRANTS(alias)                                                                              \
    " AND (?3 = 1 OR EXISTS (SELECT 1 FROM user_areas g WHERE g.user_id = ?4"                      \
    "  AND " alias ".area_code >= g.prefix AND " alias ".area_code < g.prefix_end))"

#define ROAD_COLS                                                                                  \
    "SELECT r.id, r.area_code, ar.name, r.name, r.description, r.geometry, r.length_m, r.active,"  \
    " r.version, r.created_at, r.updated_at FROM case_roads r LEFT JOIN areas ar"                  \
    " ON ar.code = r.area_code"

static const char SQL_ROAD_GET[] = ROAD_COLS " WHERE r.id = ?";
static const char SQL_ROAD_LIST[] =
    ROAD_COLS " WHERE r.area_code >= ?1 AND r.area_code < ?2" GRANTS(
        "r") " AND (?5 = 0 OR r.active = 1) ORDER BY r.id";
static const char SQL_ROAD_INSERT[] =
    "INSERT INTO case_roads (area_code, name, description, geometry, length_m, active,"
    " created_by, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7, ?7) RETURNING id";
static const char SQL_ROAD_UPDATE[] =
    "UPDATE case_roads SET name = ?1, description = ?2, geometry = ?3, length_m = ?4,"
    " active = ?5, updated_at = ?6, version = version + 1 WHERE id = ?7 AND version = ?8";

static void road_from_row(jc_ctx *c, store_stmt *st, road_rec *r)
{
    memset(r, 0, sizeof *r);
    r->id = store_col_int(st, 0);
    r->area_code = TXT(1);
    r->area_name = TXT(2);
    r->name = TXT(3);
    r->description = TXT(4);
    r->geometry = TXT(5);
    r->length_m = store_col_int(st, 6);
    r->active = store_col_int(st, 7) != 0;
    r->version = store_col_int(st, 8);
    r->created_at = store_col_int(st, 9);
    r->updated_at = store_col_int(st, 10);
}

int db_road_get(jc_ctx *c, int64_t id, road_rec *out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_ROAD_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    if (rc == JC_OK) road_from_row(c, st, out);
    store_reset(st);
    if (rc == JC_ENOTFOUND) return not_found(c, "road", "道路");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_road_insert(jc_ctx *c, const road_rec *r, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_ROAD_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, r->area_code);
    store_bind_text(st, 2, r->name);
    store_bind_text(st, 3, r->description ? r->description : "");
    store_bind_text(st, 4, r->geometry);
    store_bind_int(st, 5, r->length_m);
    jc_bind_actor(st, 6, c);
    store_bind_int(st, 7, c->now);
    rc = store_one_int(st, id);
    if (rc == JC_ECONFLICT)
        return jc_fail(c, JC_ECONFLICT, "duplicate", "name",
                       "a road of that name already exists in the area", "该区域已有同名道路");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_road_update(jc_ctx *c, const road_rec *r, int64_t version)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_ROAD_UPDATE, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, r->name);
    store_bind_text(st, 2, r->description ? r->description : "");
    store_bind_text(st, 3, r->geometry);
    store_bind_int(st, 4, r->length_m);
    store_bind_int(st, 5, r->active ? 1 : 0);
    store_bind_int(st, 6, c->now);
    store_bind_int(st, 7, r->id);
    store_bind_int(st, 8, version);
    rc = store_run(st);
    if (rc == JC_ECONFLICT)
        return jc_fail(c, JC_ECONFLICT, "duplicate", "name",
                       "a road of that name already exists in the area", "该区域已有同名道路");
    if (rc) return jc_fail_db(c, rc);
    return store_changes(st) == 0 ? stale(c, "road", "道路") : JC_OK;
}

static void bind_range(jc_ctx *c, store_stmt *st, const char *lo, const char *hi, bool covered)
{
    store_bind_text(st, 1, lo);
    store_bind_text(st, 2, hi);
    store_bind_int(st, 3, covered || !c->user ? 1 : 0);
    store_bind_int(st, 4, c->user ? c->user->id : 0);
}

int db_road_list(jc_ctx *c, const char *lo, const char *hi, bool covered, bool active_only,
                 road_rec **out, int *n)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_ROAD_LIST, &st);
    if (rc) return jc_fail_db(c, rc);
    bind_range(c, st, lo, hi, covered);
    store_bind_int(st, 5, active_only ? 1 : 0);
    int cap = 0;
    *n = 0;
    *out = NULL;
    while ((rc = store_step(st)) == STORE_ROW) {
        if (*n == cap) {
            int ncap = cap ? cap * 2 : 32;
            road_rec *nr = arena_alloc(c->a, sizeof *nr * (size_t)ncap);
            if (!nr) {
                rc = JC_ENOMEM;
                break;
            }
            if (*n) memcpy(nr, *out, sizeof *nr * (size_t)*n);
            *out = nr;
            cap = ncap;
        }
        road_from_row(c, st, &(*out)[(*n)++]);
    }
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

/* ---- chiefs ---- */

#define CHIEF_COLS                                                                                 \
    "SELECT ch.id, ch.road_id, rd.name, rd.area_code, ch.level, ch.name, ch.title, ch.phone,"      \
    " ch.user_id, u.display_name, ch.duties, ch.since, ch.active, ch.version FROM case_chiefs ch"  \
    " JOIN case_roads rd ON rd.id = ch.road_id LEFT JOIN users u ON u.id = ch.user_id"

static const char SQL_CHIEF_GET[] = CHIEF_COLS " WHERE ch.id = ?";
static const char SQL_CHIEF_LIST[] = CHIEF_COLS
    " WHERE (?5 = 0 OR ch.road_id = ?5) AND rd.area_code >= ?1 AND rd.area_code < ?2" GRANTS(
        "rd") " ORDER BY ch.road_id, CASE ch.level WHEN 'general' THEN 1 WHEN 'first' THEN 2"
              " ELSE 3 END, ch.id";
static const char SQL_CHIEF_INSERT[] =
    "INSERT INTO case_chiefs (road_id, level, name, title, phone, user_id, duties, since, active,"
    " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9, ?9) RETURNING id";
static const char SQL_CHIEF_UPDATE[] =
    "UPDATE case_chiefs SET level = ?1, name = ?2, title = ?3, phone = ?4, user_id = ?5,"
    " duties = ?6, since = ?7, active = ?8, updated_at = ?9, version = version + 1"
    " WHERE id = ?10 AND version = ?11";
static const char SQL_CHIEF_OF_USER[] =
    "SELECT id FROM case_chiefs WHERE road_id = ?1 AND user_id = ?2 AND active = 1"
    " ORDER BY CASE level WHEN 'second' THEN 1 WHEN 'first' THEN 2 ELSE 3 END, id LIMIT 1";

static void chief_from_row(jc_ctx *c, store_stmt *st, chief_rec *k)
{
    memset(k, 0, sizeof *k);
    k->id = store_col_int(st, 0);
    k->road_id = store_col_int(st, 1);
    k->road_name = TXT(2);
    k->area_code = TXT(3);
    k->level = TXT(4);
    k->name = TXT(5);
    k->title = TXT(6);
    k->phone = TXT(7);
    k->user_id = store_col_int(st, 8);
    k->user_name = TXT(9);
    k->duties = TXT(10);
    k->since = TXT(11);
    k->active = store_col_int(st, 12) != 0;
    k->version = store_col_int(st, 13);
}

int db_chief_get(jc_ctx *c, int64_t id, chief_rec *out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_CHIEF_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    if (rc == JC_OK) chief_from_row(c, st, out);
    store_reset(st);
    if (rc == JC_ENOTFOUND) return not_found(c, "road chief", "路长");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_chief_insert(jc_ctx *c, const chief_rec *k, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_CHIEF_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, k->road_id);
    store_bind_text(st, 2, k->level);
    store_bind_text(st, 3, k->name);
    store_bind_text(st, 4, k->title ? k->title : "");
    store_bind_text(st, 5, k->phone);
    store_bind_opt_int(st, 6, k->user_id, k->user_id > 0);
    store_bind_text(st, 7, k->duties);
    store_bind_text(st, 8, k->since);
    store_bind_int(st, 9, c->now);
    rc = store_one_int(st, id);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_chief_update(jc_ctx *c, const chief_rec *k, int64_t version)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_CHIEF_UPDATE, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, k->level);
    store_bind_text(st, 2, k->name);
    store_bind_text(st, 3, k->title ? k->title : "");
    store_bind_text(st, 4, k->phone);
    store_bind_opt_int(st, 5, k->user_id, k->user_id > 0);
    store_bind_text(st, 6, k->duties);
    store_bind_text(st, 7, k->since);
    store_bind_int(st, 8, k->active ? 1 : 0);
    store_bind_int(st, 9, c->now);
    store_bind_int(st, 10, k->id);
    store_bind_int(st, 11, version);
    return run_versioned(c, st, "road chief", "路长");
}

int db_chief_list(jc_ctx *c, int64_t road_id, const char *lo, const char *hi, bool covered,
                  chief_rec **out, int *n)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_CHIEF_LIST, &st);
    if (rc) return jc_fail_db(c, rc);
    bind_range(c, st, lo, hi, covered);
    store_bind_int(st, 5, road_id);
    int cap = 0;
    *n = 0;
    *out = NULL;
    while ((rc = store_step(st)) == STORE_ROW) {
        if (*n == cap) {
            int ncap = cap ? cap * 2 : 32;
            chief_rec *nr = arena_alloc(c->a, sizeof *nr * (size_t)ncap);
            if (!nr) {
                rc = JC_ENOMEM;
                break;
            }
            if (*n) memcpy(nr, *out, sizeof *nr * (size_t)*n);
            *out = nr;
            cap = ncap;
        }
        chief_from_row(c, st, &(*out)[(*n)++]);
    }
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

int db_chief_of_user(jc_ctx *c, int64_t road_id, int64_t user_id, int64_t *chief_id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_CHIEF_OF_USER, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, road_id);
    store_bind_int(st, 2, user_id);
    rc = store_one_int(st, chief_id);
    return rc && rc != JC_ENOTFOUND ? jc_fail_db(c, rc) : JC_OK;
}

/* ---- teams ---- */

#define TEAM_COLS                                                                                  \
    "SELECT t.id, t.area_code, ar.name, t.name, t.kind, t.leader_name, t.phone, t.active,"         \
    " t.version FROM case_teams t LEFT JOIN areas ar ON ar.code = t.area_code"

static const char SQL_TEAM_GET[] = TEAM_COLS " WHERE t.id = ?";
static const char SQL_TEAM_LIST[] =
    TEAM_COLS " WHERE t.area_code >= ?1 AND t.area_code < ?2" GRANTS("t") " ORDER BY t.id";
static const char SQL_TEAM_INSERT[] =
    "INSERT INTO case_teams (area_code, name, kind, leader_name, phone, active, created_at,"
    " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?6) RETURNING id";
static const char SQL_TEAM_UPDATE[] =
    "UPDATE case_teams SET name = ?1, kind = ?2, leader_name = ?3, phone = ?4, active = ?5,"
    " updated_at = ?6, version = version + 1 WHERE id = ?7 AND version = ?8";
static const char SQL_TEAM_MEMBERS[] =
    "SELECT m.user_id, u.display_name FROM case_team_members m JOIN users u ON u.id = m.user_id"
    " WHERE m.team_id = ? ORDER BY m.user_id";
static const char SQL_TEAM_CLEAR[] = "DELETE FROM case_team_members WHERE team_id = ?";
static const char SQL_TEAM_ADD[] =
    "INSERT INTO case_team_members (team_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING";
static const char SQL_TEAM_OF_KIND[] =
    "SELECT id, area_code FROM case_teams WHERE kind = ? AND active = 1 ORDER BY id";

static void team_from_row(jc_ctx *c, store_stmt *st, team_rec *t)
{
    memset(t, 0, sizeof *t);
    t->id = store_col_int(st, 0);
    t->area_code = TXT(1);
    t->area_name = TXT(2);
    t->name = TXT(3);
    t->kind = TXT(4);
    t->leader_name = TXT(5);
    t->phone = TXT(6);
    t->active = store_col_int(st, 7) != 0;
    t->version = store_col_int(st, 8);
}

int db_team_get(jc_ctx *c, int64_t id, team_rec *out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_TEAM_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    if (rc == JC_OK) team_from_row(c, st, out);
    store_reset(st);
    if (rc == JC_ENOTFOUND) return not_found(c, "team", "队伍");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_team_insert(jc_ctx *c, const team_rec *t, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_TEAM_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, t->area_code);
    store_bind_text(st, 2, t->name);
    store_bind_text(st, 3, t->kind);
    store_bind_text(st, 4, t->leader_name ? t->leader_name : "");
    store_bind_text(st, 5, t->phone);
    store_bind_int(st, 6, c->now);
    rc = store_one_int(st, id);
    if (rc == JC_ECONFLICT)
        return jc_fail(c, JC_ECONFLICT, "duplicate", "name",
                       "a team of that name already exists in the area", "该区域已有同名队伍");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_team_update(jc_ctx *c, const team_rec *t, int64_t version)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_TEAM_UPDATE, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, t->name);
    store_bind_text(st, 2, t->kind);
    store_bind_text(st, 3, t->leader_name ? t->leader_name : "");
    store_bind_text(st, 4, t->phone);
    store_bind_int(st, 5, t->active ? 1 : 0);
    store_bind_int(st, 6, c->now);
    store_bind_int(st, 7, t->id);
    store_bind_int(st, 8, version);
    rc = store_run(st);
    if (rc == JC_ECONFLICT)
        return jc_fail(c, JC_ECONFLICT, "duplicate", "name",
                       "a team of that name already exists in the area", "该区域已有同名队伍");
    if (rc) return jc_fail_db(c, rc);
    return store_changes(st) == 0 ? stale(c, "team", "队伍") : JC_OK;
}

int db_team_list(jc_ctx *c, const char *lo, const char *hi, bool covered, team_rec **out, int *n)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_TEAM_LIST, &st);
    if (rc) return jc_fail_db(c, rc);
    bind_range(c, st, lo, hi, covered);
    int cap = 0;
    *n = 0;
    *out = NULL;
    while ((rc = store_step(st)) == STORE_ROW) {
        if (*n == cap) {
            int ncap = cap ? cap * 2 : 16;
            team_rec *nt = arena_alloc(c->a, sizeof *nt * (size_t)ncap);
            if (!nt) {
                rc = JC_ENOMEM;
                break;
            }
            if (*n) memcpy(nt, *out, sizeof *nt * (size_t)*n);
            *out = nt;
            cap = ncap;
        }
        team_from_row(c, st, &(*out)[(*n)++]);
    }
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

int db_team_members(jc_ctx *c, int64_t team_id, json_t *out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_TEAM_MEMBERS, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, team_id);
    while ((rc = store_step(st)) == STORE_ROW)
        json_array_append_new(out, json_pack("{s:I, s:s}", "id", (json_int_t)store_col_int(st, 0),
                                             "name", store_col_text(st, 1)));
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

int db_team_set_members(jc_ctx *c, int64_t team_id, const int64_t *ids, int n)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_TEAM_CLEAR, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, team_id);
    if ((rc = store_run(st))) return jc_fail_db(c, rc);
    for (int i = 0; i < n; i++) {
        if ((rc = store_prepare(c->db, SQL_TEAM_ADD, &st))) return jc_fail_db(c, rc);
        store_bind_int(st, 1, team_id);
        store_bind_int(st, 2, ids[i]);
        if ((rc = store_run(st))) return jc_fail_db(c, rc);
    }
    return JC_OK;
}

int db_team_for(jc_ctx *c, const char *kind, const char *area, int64_t *team_id)
{
    *team_id = 0;
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_TEAM_OF_KIND, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, kind);
    size_t best = 0;
    while ((rc = store_step(st)) == STORE_ROW) {
        const char *code = store_col_text(st, 1);
        char prefix[16];
        /* the team whose area holds the case's, the most local one first */
        if (area && area_code_within(area, code) && area_code_prefix(code, prefix) &&
            strlen(prefix) > best) {
            best = strlen(prefix);
            *team_id = store_col_int(st, 0);
        }
    }
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

static const char SQL_USER_BRIEF[] =
    "SELECT u.display_name, u.disabled, CASE WHEN EXISTS (SELECT 1 FROM user_areas g"
    " WHERE g.user_id = u.id AND ?2 >= g.prefix AND ?2 < g.prefix_end) THEN 1 ELSE 0 END"
    " FROM users u WHERE u.id = ?1";

int db_user_brief(jc_ctx *c, int64_t id, const char *area, const char **name, bool *ok)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_USER_BRIEF, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    store_bind_text(st, 2, area);
    rc = store_one(st);
    *ok = false;
    if (rc == JC_OK) {
        *name = TXT(0);
        *ok = store_col_int(st, 1) == 0 && store_col_int(st, 2) == 1;
    }
    store_reset(st);
    if (rc == JC_ENOTFOUND) {
        *name = NULL;
        return JC_OK;
    }
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

/* ---- patrols ---- */

static const char SQL_PATROL_INSERT[] =
    "INSERT INTO case_patrols (area_code, road_id, chief_id, user_id, patroller, kind,"
    " started_at, ended_at, local_date, findings, track, distance_m, created_by, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) RETURNING id";
static const char SQL_PATROL_CASES[] = "UPDATE case_patrols SET case_ids = ?2 WHERE id = ?1";
#define PATROL_COLS                                                                                \
    "SELECT p.id, p.area_code, p.road_id, rd.name, p.chief_id, ch.name, ch.level, p.user_id,"      \
    " p.patroller, p.kind, p.started_at, p.ended_at, p.local_date, p.findings, p.distance_m,"      \
    " p.case_ids, p.created_at, p.version, p.track FROM case_patrols p"                            \
    " LEFT JOIN case_roads rd ON rd.id = p.road_id LEFT JOIN case_chiefs ch ON ch.id = p.chief_id"
#define PATROL_WHERE                                                                               \
    " WHERE p.area_code >= ?1 AND p.area_code < ?2" GRANTS(                                        \
        "p") " AND (?5 = 0 OR p.road_id = ?5)"                                                     \
             " AND (?6 = 0 OR p.chief_id = ?6) AND (?7 = 0 OR p.started_at >= ?7)"                 \
             " AND (?8 = 0 OR p.started_at < ?8)"
static const char SQL_PATROL_GET[] = PATROL_COLS " WHERE p.id = ?";
static const char SQL_PATROL_LIST[] =
    PATROL_COLS PATROL_WHERE " ORDER BY p.started_at DESC, p.id DESC LIMIT ?9 OFFSET ?10";
static const char SQL_PATROL_COUNT[] = "SELECT count(*) FROM case_patrols p" PATROL_WHERE;
static const char SQL_PATROL_DAYS[] =
    "SELECT local_date, count(*) FROM case_patrols WHERE chief_id = ?1 AND local_date >= ?2"
    " AND local_date <= ?3 GROUP BY local_date ORDER BY local_date";

int db_patrol_insert(jc_ctx *c, const patrol_row_in *in, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_PATROL_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, in->area);
    store_bind_int(st, 2, in->road_id);
    store_bind_opt_int(st, 3, in->chief_id, in->chief_id > 0);
    store_bind_opt_int(st, 4, in->user_id, in->user_id > 0);
    store_bind_text(st, 5, in->patroller);
    store_bind_text(st, 6, in->kind);
    store_bind_int(st, 7, in->started_at);
    store_bind_int(st, 8, in->ended_at);
    store_bind_text(st, 9, in->local_date);
    store_bind_text(st, 10, in->findings ? in->findings : "");
    store_bind_text(st, 11, in->track);
    store_bind_int(st, 12, in->distance_m);
    jc_bind_actor(st, 13, c);
    store_bind_int(st, 14, c->now);
    rc = store_one_int(st, id);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_patrol_set_cases(jc_ctx *c, int64_t id, const char *case_ids)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_PATROL_CASES, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    store_bind_text(st, 2, case_ids);
    rc = store_run(st);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static json_t *patrol_row_json(jc_ctx *c, store_stmt *st, bool with_track)
{
    char t1[32], t2[32], t3[32];
    jc_time_local(store_col_int(st, 10), t1);
    jc_time_local(store_col_int(st, 11), t2);
    jc_time_local(store_col_int(st, 16), t3);
    const char *lvl = store_col_text(st, 6);
    const chief_level *cl = chief_level_find(lvl);
    json_t *o = json_pack(
        "{s:I, s:s, s:{s:I, s:s?}, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:I, s:b}", "id",
        (json_int_t)store_col_int(st, 0), "area", store_col_text(st, 1), "road", "id",
        (json_int_t)store_col_int(st, 2), "name", store_col_text(st, 3), "patroller",
        store_col_text(st, 8), "kind", store_col_text(st, 9), "started_at", t1, "ended_at", t2,
        "date", store_col_text(st, 12), "findings", store_col_text(st, 13), "distance_m",
        (json_int_t)store_col_int(st, 14), "minutes",
        (json_int_t)((store_col_int(st, 11) - store_col_int(st, 10)) / 60), "created_at", t3,
        "version", (json_int_t)store_col_int(st, 17), "has_track", !store_col_null(st, 18));
    if (!o) return NULL;
    json_object_set_new(
        o, "chief",
        store_col_null(st, 4)
            ? json_null()
            : json_pack("{s:I, s:s?, s:s?, s:s?}", "id", (json_int_t)store_col_int(st, 4), "name",
                        store_col_text(st, 5), "level", lvl, "level_zh", cl ? cl->zh : NULL));
    json_object_set_new(o, "user_id",
                        store_col_null(st, 7) ? json_null() : json_integer(store_col_int(st, 7)));
    json_t *ids = json_loads(store_col_text(st, 15), 0, NULL);
    json_object_set_new(o, "case_ids", ids ? ids : json_array());
    if (with_track) {
        json_t *tr = store_col_null(st, 18) ? NULL : json_loads(store_col_text(st, 18), 0, NULL);
        json_object_set_new(o, "track", tr ? tr : json_null());
    }
    (void)c;
    return o;
}

int db_patrol_get(jc_ctx *c, int64_t id, json_t **out, const char **area)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_PATROL_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    if (rc == JC_OK) {
        *out = jc_own(c, patrol_row_json(c, st, true));
        *area = TXT(1);
    }
    store_reset(st);
    if (rc == JC_ENOTFOUND) return not_found(c, "patrol", "巡查记录");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_patrol_list(jc_ctx *c, const char *lo, const char *hi, bool covered, int64_t road_id,
                   int64_t chief_id, int64_t from, int64_t to, int64_t limit, int64_t offset,
                   json_t *items, int64_t *total)
{
    store_stmt *st;
    for (int pass = 0; pass < 2; pass++) {
        int rc = store_prepare(c->db, pass ? SQL_PATROL_LIST : SQL_PATROL_COUNT, &st);
        if (rc) return jc_fail_db(c, rc);
        bind_range(c, st, lo, hi, covered);
        store_bind_int(st, 5, road_id);
        store_bind_int(st, 6, chief_id);
        store_bind_int(st, 7, from);
        store_bind_int(st, 8, to);
        if (pass == 0) {
            rc = store_one_int(st, total);
            if (rc) return jc_fail_db(c, rc);
            continue;
        }
        store_bind_int(st, 9, limit);
        store_bind_int(st, 10, offset);
        while ((rc = store_step(st)) == STORE_ROW)
            json_array_append_new(items, patrol_row_json(c, st, false));
        store_reset(st);
        if (rc != STORE_DONE) return jc_fail_db(c, rc);
    }
    return JC_OK;
}

int db_patrol_days(jc_ctx *c, int64_t chief_id, const char *from, const char *to, json_t *out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_PATROL_DAYS, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, chief_id);
    store_bind_text(st, 2, from);
    store_bind_text(st, 3, to);
    while ((rc = store_step(st)) == STORE_ROW)
        json_object_set_new(out, store_col_text(st, 0), json_integer(store_col_int(st, 1)));
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

/* ---- sites, checklists, inspections ---- */

#define SITE_COLS                                                                                  \
    "SELECT s.id, s.area_code, ar.name, s.name, s.builder, s.address, s.lat, s.lng, s.area_m2,"    \
    " s.start_date, s.end_date, s.supervisors, s.active, s.version, s.created_at,"                 \
    " (SELECT count(*) FROM case_inspections i WHERE i.site_id = s.id),"                           \
    " (SELECT count(*) FROM case_inspections i WHERE i.site_id = s.id AND i.failed = 0),"          \
    " (SELECT MAX(i.inspected_at) FROM case_inspections i WHERE i.site_id = s.id)"                 \
    " FROM case_sites s LEFT JOIN areas ar ON ar.code = s.area_code"

static const char SQL_SITE_GET[] = SITE_COLS " WHERE s.id = ?";
static const char SQL_SITE_LIST[] =
    SITE_COLS " WHERE s.area_code >= ?1 AND s.area_code < ?2" GRANTS("s") " ORDER BY s.id";
static const char SQL_SITE_INSERT[] =
    "INSERT INTO case_sites (area_code, name, builder, address, lat, lng, area_m2, start_date,"
    " end_date, supervisors, active, created_by, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1, ?11, ?12, ?12) RETURNING id";
static const char SQL_SITE_UPDATE[] =
    "UPDATE case_sites SET name = ?1, builder = ?2, address = ?3, lat = ?4, lng = ?5,"
    " area_m2 = ?6, start_date = ?7, end_date = ?8, supervisors = ?9, active = ?10,"
    " updated_at = ?11, version = version + 1 WHERE id = ?12 AND version = ?13";

static void site_from_row(jc_ctx *c, store_stmt *st, site_rec *s, int64_t stats[3])
{
    memset(s, 0, sizeof *s);
    s->id = store_col_int(st, 0);
    s->area_code = TXT(1);
    s->area_name = TXT(2);
    s->name = TXT(3);
    s->builder = TXT(4);
    s->address = TXT(5);
    s->has_pos = !store_col_null(st, 6) && !store_col_null(st, 7);
    s->lat = store_col_double(st, 6);
    s->lng = store_col_double(st, 7);
    s->area_m2 = store_col_int(st, 8);
    s->start_date = TXT(9);
    s->end_date = TXT(10);
    s->supervisors = TXT(11);
    s->active = store_col_int(st, 12) != 0;
    s->version = store_col_int(st, 13);
    s->created_at = store_col_int(st, 14);
    if (stats) {
        stats[0] = store_col_int(st, 15);
        stats[1] = store_col_int(st, 16);
        stats[2] = store_col_int(st, 17);
    }
}

static void site_stats(json_t *o, const int64_t stats[3])
{
    json_object_set_new(o, "inspections", json_integer(stats[0]));
    json_object_set_new(o, "inspections_passed", json_integer(stats[1]));
    json_object_set_new(o, "pass_rate", stats[0] ? cases_rate(stats[1], stats[0]) : json_null());
    if (stats[2]) {
        char ts[32];
        jc_time_local(stats[2], ts);
        json_object_set_new(o, "last_inspected_at", json_string(ts));
    } else {
        json_object_set_new(o, "last_inspected_at", json_null());
    }
}

int db_site_get(jc_ctx *c, int64_t id, site_rec *out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_SITE_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    if (rc == JC_OK) site_from_row(c, st, out, NULL);
    store_reset(st);
    if (rc == JC_ENOTFOUND) return not_found(c, "site", "工地");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_site_stats(jc_ctx *c, int64_t id, json_t *o)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_SITE_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    if (rc == JC_OK) {
        site_rec s;
        int64_t stats[3];
        site_from_row(c, st, &s, stats);
        site_stats(o, stats);
    }
    store_reset(st);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_site_insert(jc_ctx *c, const site_rec *s, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_SITE_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, s->area_code);
    store_bind_text(st, 2, s->name);
    store_bind_text(st, 3, s->builder ? s->builder : "");
    store_bind_text(st, 4, s->address ? s->address : "");
    bind_pos(st, 5, s->has_pos, s->lat);
    bind_pos(st, 6, s->has_pos, s->lng);
    store_bind_int(st, 7, s->area_m2);
    store_bind_text(st, 8, s->start_date);
    store_bind_text(st, 9, s->end_date);
    store_bind_text(st, 10, s->supervisors ? s->supervisors : "[]");
    jc_bind_actor(st, 11, c);
    store_bind_int(st, 12, c->now);
    rc = store_one_int(st, id);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_site_update(jc_ctx *c, const site_rec *s, int64_t version)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_SITE_UPDATE, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, s->name);
    store_bind_text(st, 2, s->builder ? s->builder : "");
    store_bind_text(st, 3, s->address ? s->address : "");
    bind_pos(st, 4, s->has_pos, s->lat);
    bind_pos(st, 5, s->has_pos, s->lng);
    store_bind_int(st, 6, s->area_m2);
    store_bind_text(st, 7, s->start_date);
    store_bind_text(st, 8, s->end_date);
    store_bind_text(st, 9, s->supervisors ? s->supervisors : "[]");
    store_bind_int(st, 10, s->active ? 1 : 0);
    store_bind_int(st, 11, c->now);
    store_bind_int(st, 12, s->id);
    store_bind_int(st, 13, version);
    return run_versioned(c, st, "site", "工地");
}

int db_site_list(jc_ctx *c, const char *lo, const char *hi, bool covered, json_t *out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_SITE_LIST, &st);
    if (rc) return jc_fail_db(c, rc);
    bind_range(c, st, lo, hi, covered);
    while ((rc = store_step(st)) == STORE_ROW) {
        site_rec s;
        int64_t stats[3];
        site_from_row(c, st, &s, stats);
        json_t *o = json_incref(site_json(c, &s, false));
        if (o) site_stats(o, stats);
        json_array_append_new(out, o);
    }
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

static const char SQL_CHECKLIST_CURRENT[] =
    "SELECT version, items, created_at FROM case_checklists ORDER BY version DESC LIMIT 1";
static const char SQL_CHECKLIST_GET[] = "SELECT items FROM case_checklists WHERE version = ?";
static const char SQL_CHECKLIST_INSERT[] =
    "INSERT INTO case_checklists (version, items, note, created_by, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_CHECKLIST_LIST[] =
    "SELECT c.version, c.items, c.note, c.created_at, u.display_name,"
    " (SELECT count(*) FROM case_inspections i WHERE i.checklist_version = c.version)"
    " FROM case_checklists c LEFT JOIN users u ON u.id = c.created_by ORDER BY c.version DESC";

int db_checklist_current(jc_ctx *c, int64_t *version, const char **items, int64_t *created_at)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_CHECKLIST_CURRENT, &st);
    if (rc) return jc_fail_db(c, rc);
    rc = store_one(st);
    *version = 0;
    *items = NULL;
    *created_at = 0;
    if (rc == JC_OK) {
        *version = store_col_int(st, 0);
        *items = TXT(1);
        *created_at = store_col_int(st, 2);
    }
    store_reset(st);
    return rc && rc != JC_ENOTFOUND ? jc_fail_db(c, rc) : JC_OK;
}

int db_checklist_get(jc_ctx *c, int64_t version, const char **items)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_CHECKLIST_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, version);
    rc = store_one(st);
    *items = rc ? NULL : TXT(0);
    store_reset(st);
    if (rc == JC_ENOTFOUND)
        return jc_fail(c, JC_EUNPROC, "unknown_checklist", "checklist_version",
                       "no such checklist version", "检查表版本不存在");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_checklist_insert(jc_ctx *c, int64_t version, const char *items, const char *note)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_CHECKLIST_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, version);
    store_bind_text(st, 2, items);
    store_bind_text(st, 3, note ? note : "");
    jc_bind_actor(st, 4, c);
    store_bind_int(st, 5, c->now);
    rc = store_run(st);
    if (rc == JC_ECONFLICT)
        return jc_fail(c, JC_ESTALE, "stale_version", "version",
                       "someone saved a new checklist meanwhile; reload and try again",
                       "检查表已被他人更新,请刷新后重试");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_checklist_list(jc_ctx *c, json_t *out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_CHECKLIST_LIST, &st);
    if (rc) return jc_fail_db(c, rc);
    while ((rc = store_step(st)) == STORE_ROW) {
        char ts[32];
        jc_time_local(store_col_int(st, 3), ts);
        json_t *items = json_loads(store_col_text(st, 1), 0, NULL);
        json_array_append_new(
            out, json_pack("{s:I, s:o, s:s, s:s, s:s?, s:I}", "version",
                           (json_int_t)store_col_int(st, 0), "items", items ? items : json_array(),
                           "note", store_col_text(st, 2), "created_at", ts, "created_by",
                           store_col_text(st, 4), "inspections", (json_int_t)store_col_int(st, 5)));
    }
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

static const char SQL_INSP_INSERT[] =
    "INSERT INTO case_inspections (site_id, area_code, checklist_version, kind, inspected_at,"
    " local_date, inspector_id, inspector_name, results, passed, failed, note, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) RETURNING id";
static const char SQL_INSP_CASES[] = "UPDATE case_inspections SET case_ids = ?2 WHERE id = ?1";
#define INSP_COLS                                                                                  \
    "SELECT i.id, i.site_id, s.name, i.area_code, i.checklist_version, i.kind, i.inspected_at,"    \
    " i.inspector_name, i.results, i.passed, i.failed, i.note, i.case_ids, i.version"              \
    " FROM case_inspections i JOIN case_sites s ON s.id = i.site_id"
#define INSP_WHERE                                                                                 \
    " WHERE i.area_code >= ?1 AND i.area_code < ?2" GRANTS("i") " AND (?5 = 0 OR i.site_id = ?5)"
static const char SQL_INSP_GET[] = INSP_COLS " WHERE i.id = ?";
static const char SQL_INSP_LIST[] =
    INSP_COLS INSP_WHERE " ORDER BY i.inspected_at DESC, i.id DESC LIMIT ?6 OFFSET ?7";
static const char SQL_INSP_COUNT[] = "SELECT count(*) FROM case_inspections i" INSP_WHERE;
static const char SQL_PASS_RATES[] =
    "SELECT substr(local_date, 1, 7), count(*), SUM(passed), SUM(failed),"
    " SUM(CASE WHEN failed = 0 THEN 1 ELSE 0 END), SUM(CASE WHEN kind = 'night' THEN 1 ELSE 0 END)"
    " FROM case_inspections WHERE site_id = ? GROUP BY substr(local_date, 1, 7)"
    " ORDER BY substr(local_date, 1, 7)";

int db_inspection_insert(jc_ctx *c, int64_t site_id, const char *area, int64_t checklist_version,
                         const char *kind, int64_t at, const char *results, int64_t passed,
                         int64_t failed, const char *note, int64_t *id)
{
    char day[11];
    jc_date_local(at, day);
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_INSP_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, site_id);
    store_bind_text(st, 2, area);
    store_bind_int(st, 3, checklist_version);
    store_bind_text(st, 4, kind);
    store_bind_int(st, 5, at);
    store_bind_text(st, 6, day);
    jc_bind_actor(st, 7, c);
    store_bind_text(st, 8, c->user ? c->user->display_name : "");
    store_bind_text(st, 9, results);
    store_bind_int(st, 10, passed);
    store_bind_int(st, 11, failed);
    store_bind_text(st, 12, note ? note : "");
    store_bind_int(st, 13, c->now);
    rc = store_one_int(st, id);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_inspection_set_cases(jc_ctx *c, int64_t id, const char *case_ids)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_INSP_CASES, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    store_bind_text(st, 2, case_ids);
    rc = store_run(st);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static json_t *inspection_row_json(store_stmt *st)
{
    char ts[32];
    jc_time_local(store_col_int(st, 6), ts);
    json_t *results = json_loads(store_col_text(st, 8), 0, NULL);
    json_t *ids = json_loads(store_col_text(st, 12), 0, NULL);
    int64_t passed = store_col_int(st, 9), failed = store_col_int(st, 10);
    return json_pack("{s:I, s:{s:I, s:s}, s:s, s:I, s:s, s:s, s:s, s:o, s:I, s:I, s:b, s:s, s:o,"
                     " s:I}",
                     "id", (json_int_t)store_col_int(st, 0), "site", "id",
                     (json_int_t)store_col_int(st, 1), "name", store_col_text(st, 2), "area",
                     store_col_text(st, 3), "checklist_version", (json_int_t)store_col_int(st, 4),
                     "kind", store_col_text(st, 5), "inspected_at", ts, "inspector",
                     store_col_text(st, 7), "results", results ? results : json_array(), "passed",
                     (json_int_t)passed, "failed", (json_int_t)failed, "all_passed", failed == 0,
                     "note", store_col_text(st, 11), "case_ids", ids ? ids : json_array(),
                     "version", (json_int_t)store_col_int(st, 13));
}

int db_inspection_get(jc_ctx *c, int64_t id, json_t **out, const char **area)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_INSP_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    if (rc == JC_OK) {
        *out = jc_own(c, inspection_row_json(st));
        *area = TXT(3);
    }
    store_reset(st);
    if (rc == JC_ENOTFOUND) return not_found(c, "inspection", "检查记录");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_inspection_list(jc_ctx *c, int64_t site_id, const char *lo, const char *hi, bool covered,
                       int64_t limit, int64_t offset, json_t *items, int64_t *total)
{
    store_stmt *st;
    for (int pass = 0; pass < 2; pass++) {
        int rc = store_prepare(c->db, pass ? SQL_INSP_LIST : SQL_INSP_COUNT, &st);
        if (rc) return jc_fail_db(c, rc);
        bind_range(c, st, lo, hi, covered);
        store_bind_int(st, 5, site_id);
        if (pass == 0) {
            rc = store_one_int(st, total);
            if (rc) return jc_fail_db(c, rc);
            continue;
        }
        store_bind_int(st, 6, limit);
        store_bind_int(st, 7, offset);
        while ((rc = store_step(st)) == STORE_ROW)
            json_array_append_new(items, inspection_row_json(st));
        store_reset(st);
        if (rc != STORE_DONE) return jc_fail_db(c, rc);
    }
    return JC_OK;
}

int db_site_pass_rates(jc_ctx *c, int64_t site_id, json_t *out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_PASS_RATES, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, site_id);
    while ((rc = store_step(st)) == STORE_ROW) {
        int64_t n = store_col_int(st, 1), items_ok = store_col_int(st, 2),
                items_bad = store_col_int(st, 3), full = store_col_int(st, 4);
        int64_t items = items_ok + items_bad;
        json_array_append_new(out,
                              json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:o, s:o}", "month",
                                        store_col_text(st, 0), "inspections", (json_int_t)n,
                                        "night", (json_int_t)store_col_int(st, 5), "all_passed",
                                        (json_int_t)full, "items_checked", (json_int_t)items,
                                        "items_failed", (json_int_t)items_bad, "pass_rate",
                                        n ? cases_rate(full, n) : json_null(), "item_pass_rate",
                                        items ? cases_rate(items_ok, items) : json_null()));
    }
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

/* ---- reports ---- */

static const char SQL_SUM_STATE[] =
    "SELECT k.state, count(*), SUM(CASE WHEN k.deadline_at < ?15 AND k.state IN ('new',"
    " 'dispatched', 'processing', 'verifying') THEN 1 ELSE 0 END) FROM cases k" CASE_WHERE
    " GROUP BY k.state";
static const char SQL_SUM_SOURCE[] =
    "SELECT k.source, count(*) FROM cases k" CASE_WHERE " GROUP BY k.source";
static const char SQL_SUM_SERVICE[] =
    "SELECT k.service_code, MAX(k.service_name), count(*),"
    " SUM(CASE WHEN k.state IN ('closed', 'rejected', 'merged') THEN 1 ELSE 0 END)"
    " FROM cases k" CASE_WHERE " GROUP BY k.service_code ORDER BY count(*) DESC, k.service_code";
static const char SQL_SUM_CLOSED[] =
    "SELECT count(*), SUM(CASE WHEN k.closed_at <= k.deadline_at THEN 1 ELSE 0 END),"
    " SUM(k.closed_at - k.created_at) FROM cases k" CASE_WHERE " AND k.state = 'closed'";

int db_summary_by_state(jc_ctx *c, const case_filter *f, json_t *by_state, json_t *by_source,
                        json_t *by_service, int64_t *overdue, int64_t *closed_on_time,
                        int64_t *closed, int64_t *close_secs)
{
    const char *sqls[] = {SQL_SUM_STATE, SQL_SUM_SOURCE, SQL_SUM_SERVICE, SQL_SUM_CLOSED};
    *overdue = *closed_on_time = *closed = *close_secs = 0;
    for (size_t q = 0; q < JC_NELEM(sqls); q++) {
        store_stmt *st;
        int rc = store_prepare(c->db, sqls[q], &st);
        if (rc) return jc_fail_db(c, rc);
        bind_case_filter(c, st, f);
        while ((rc = store_step(st)) == STORE_ROW) {
            if (q == 0) {
                json_object_set_new(by_state, store_col_text(st, 0),
                                    json_integer(store_col_int(st, 1)));
                *overdue += store_col_int(st, 2);
            } else if (q == 1) {
                json_object_set_new(by_source, store_col_text(st, 0),
                                    json_integer(store_col_int(st, 1)));
            } else if (q == 2) {
                json_array_append_new(
                    by_service,
                    json_pack("{s:s, s:s, s:I, s:I}", "code", store_col_text(st, 0), "name",
                              store_col_text(st, 1), "total", (json_int_t)store_col_int(st, 2),
                              "finished", (json_int_t)store_col_int(st, 3)));
            } else {
                *closed = store_col_int(st, 0);
                *closed_on_time = store_col_int(st, 1);
                *close_secs = store_col_int(st, 2);
            }
        }
        store_reset(st);
        if (rc != STORE_DONE) return jc_fail_db(c, rc);
    }
    return JC_OK;
}

static const char SQL_OVERDUE_ROWS[] =
    "SELECT k.id, k.service_name, k.address, k.deadline_at, k.state, k.chief_id, ch.name,"
    " ch.level, k.road_id, rd.name, k.team_id, tm.name, k.created_at FROM cases k"
    " LEFT JOIN case_roads rd ON rd.id = k.road_id LEFT JOIN case_chiefs ch ON ch.id = k.chief_id"
    " LEFT JOIN case_teams tm ON tm.id = k.team_id" CASE_WHERE
    " AND k.deadline_at < ?15 AND k.state IN ('new', 'dispatched', 'processing', 'verifying')"
    " ORDER BY k.deadline_at, k.id LIMIT 2000";

int db_overdue_rows(jc_ctx *c, const case_filter *f, json_t *out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_OVERDUE_ROWS, &st);
    if (rc) return jc_fail_db(c, rc);
    bind_case_filter(c, st, f);
    while ((rc = store_step(st)) == STORE_ROW) {
        char dl[32];
        jc_time_local(store_col_int(st, 3), dl);
        int64_t hours = (c->now - store_col_int(st, 3)) / 3600;
        json_t *o = json_pack(
            "{s:I, s:s, s:s, s:s, s:s, s:I}", "id", (json_int_t)store_col_int(st, 0),
            "service_name", store_col_text(st, 1), "address", store_col_text(st, 2), "deadline", dl,
            "state", store_col_text(st, 4), "hours_overdue", (json_int_t)hours);
        if (!o) continue;
        json_object_set_new(o, "chief_id", json_integer(store_col_int(st, 5)));
        json_object_set_new(o, "chief_name",
                            json_string(store_col_text(st, 6) ? store_col_text(st, 6) : ""));
        json_object_set_new(o, "chief_level",
                            json_string(store_col_text(st, 7) ? store_col_text(st, 7) : ""));
        json_object_set_new(o, "road_name",
                            json_string(store_col_text(st, 9) ? store_col_text(st, 9) : ""));
        json_object_set_new(o, "team_id", json_integer(store_col_int(st, 10)));
        json_object_set_new(o, "team_name",
                            json_string(store_col_text(st, 11) ? store_col_text(st, 11) : ""));
        json_array_append_new(out, o);
    }
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

/* Evaluations of cases in the filter's areas, by the time they were given. */
#define SAT_WHERE                                                                                  \
    " WHERE k.area_code >= ?1 AND k.area_code < ?2"                                                \
    " AND (?3 = 1 OR EXISTS (SELECT 1 FROM user_areas g WHERE g.user_id = ?4"                      \
    "  AND k.area_code >= g.prefix AND k.area_code < g.prefix_end))"                               \
    " AND (?5 = 0 OR e.created_at >= ?5) AND (?6 = 0 OR e.created_at < ?6)"
static const char SQL_SAT_TEAM[] =
    "SELECT k.team_id, MAX(tm.name), count(*), SUM(e.resolved), SUM(e.rating)"
    " FROM case_evaluations e JOIN cases k ON k.id = e.case_id"
    " LEFT JOIN case_teams tm ON tm.id = k.team_id" SAT_WHERE
    " GROUP BY k.team_id ORDER BY k.team_id";
static const char SQL_SAT_ROAD[] =
    "SELECT k.road_id, MAX(rd.name), count(*), SUM(e.resolved), SUM(e.rating)"
    " FROM case_evaluations e JOIN cases k ON k.id = e.case_id"
    " LEFT JOIN case_roads rd ON rd.id = k.road_id" SAT_WHERE
    " GROUP BY k.road_id ORDER BY k.road_id";

int db_satisfaction_rows(jc_ctx *c, const case_filter *f, bool by_team, json_t *out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, by_team ? SQL_SAT_TEAM : SQL_SAT_ROAD, &st);
    if (rc) return jc_fail_db(c, rc);
    bind_range(c, st, f->lo, f->hi, f->covered);
    store_bind_int(st, 5, f->from);
    store_bind_int(st, 6, f->to);
    while ((rc = store_step(st)) == STORE_ROW) {
        int64_t n = store_col_int(st, 2), ok = store_col_int(st, 3), sum = store_col_int(st, 4);
        json_t *o =
            json_pack("{s:I, s:I, s:I, s:o, s:o}", "evaluations", (json_int_t)n, "resolved",
                      (json_int_t)ok, "rating_sum", (json_int_t)sum, "resolved_rate",
                      n ? cases_rate(ok, n) : json_null(), "average_rating",
                      n ? json_real((double)((sum * 100 + n / 2) / n) / 100.0) : json_null());
        if (!o) continue;
        json_object_set_new(
            o, "id", store_col_null(st, 0) ? json_null() : json_integer(store_col_int(st, 0)));
        json_object_set_new(
            o, "name", json_string(store_col_text(st, 1) ? store_col_text(st, 1) : "(未指定)"));
        json_array_append_new(out, o);
    }
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

/* ---- Open311 ---- */

#define O311_COLS                                                                                  \
    "SELECT k.id, k.state, k.service_code, k.service_name, k.description, k.public_description,"   \
    " k.lat, k.lng, k.address, k.created_at, k.updated_at, k.deadline_at, k.reply,"                \
    " k.last_reason, tm.name, ar.name, k.media_key, k.media_type, k.merged_into, o.state,"         \
    " o.reply, o.last_reason, ot.name, o.updated_at, o.deadline_at FROM cases k"                   \
    " LEFT JOIN case_teams tm ON tm.id = k.team_id LEFT JOIN areas ar ON ar.code = k.area_code"    \
    " LEFT JOIN cases o ON o.id = k.merged_into LEFT JOIN case_teams ot ON ot.id = o.team_id"

static const char SQL_O311_LIST[] =
    O311_COLS " WHERE k.hidden = 0 AND k.created_at >= ?1 AND k.created_at < ?2"
              " AND (?3 IS NULL OR k.service_code = ?3)"
              " AND (?4 = 0 OR ?4 = CASE WHEN COALESCE(o.state, k.state) IN ('new', 'dispatched',"
              " 'processing', 'verifying', 'suspended') THEN 1 ELSE 2 END)"
              " ORDER BY k.created_at DESC, k.id DESC LIMIT ?5 OFFSET ?6";
static const char SQL_O311_ONE[] = O311_COLS " WHERE k.id = ?1 AND k.hidden = 0";

static void o311_from_row(store_stmt *st, o311_row *r)
{
    /* column texts live until the next step: the callback uses them at once */
    memset(r, 0, sizeof *r);
    r->id = store_col_int(st, 0);
    r->state = store_col_text(st, 1);
    r->service_code = store_col_text(st, 2);
    r->service_name = store_col_text(st, 3);
    r->description = store_col_text(st, 4);
    r->public_description = store_col_text(st, 5);
    r->has_pos = !store_col_null(st, 6) && !store_col_null(st, 7);
    r->lat = store_col_double(st, 6);
    r->lng = store_col_double(st, 7);
    r->address = store_col_text(st, 8);
    r->created_at = store_col_int(st, 9);
    r->updated_at = store_col_int(st, 10);
    r->deadline_at = store_col_int(st, 11);
    r->reply = store_col_text(st, 12);
    r->last_reason = store_col_text(st, 13);
    r->team_name = store_col_text(st, 14);
    r->area_name = store_col_text(st, 15);
    r->media_key = store_col_text(st, 16);
    r->media_type = store_col_text(st, 17);
    r->merged_into = store_col_int(st, 18);
    r->o_state = store_col_text(st, 19);
    r->o_reply = store_col_text(st, 20);
    r->o_reason = store_col_text(st, 21);
    r->o_team = store_col_text(st, 22);
    r->o_updated = store_col_int(st, 23);
    r->o_deadline = store_col_int(st, 24);
}

int db_open311_list(jc_ctx *c, const o311_filter *f, o311_fn fn, void *arg)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_O311_LIST, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, f->from);
    store_bind_int(st, 2, f->to);
    store_bind_text(st, 3, f->service);
    store_bind_int(st, 4, f->status);
    store_bind_int(st, 5, f->limit);
    store_bind_int(st, 6, f->offset);
    int frc = JC_OK;
    while (!frc && (rc = store_step(st)) == STORE_ROW) {
        o311_row r;
        o311_from_row(st, &r);
        frc = fn(c, &r, arg);
    }
    store_reset(st);
    if (frc) return frc;
    return rc == STORE_DONE || rc == STORE_ROW ? JC_OK : jc_fail_db(c, rc);
}

int db_open311_one(jc_ctx *c, int64_t id, o311_fn fn, void *arg)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_O311_ONE, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    int frc = JC_OK;
    if (rc == JC_OK) {
        o311_row r;
        o311_from_row(st, &r);
        frc = fn(c, &r, arg);
    }
    store_reset(st);
    if (rc == JC_ENOTFOUND) return not_found(c, "request", "诉求");
    if (rc) return jc_fail_db(c, rc);
    return frc;
}
