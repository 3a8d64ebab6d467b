/* ledger_db.c — every SQL statement of the ledger, prepared once per connection, parameters
 * bound. The rest of the ledger never sees SQL. */
#include "ledger.h"

#include <string.h>

static const char M1[] =
    "CREATE TABLE ledger_duties ("
    " id @ID@,"
    " area_code @CODE@ NOT NULL REFERENCES areas(code),"
    " title TEXT NOT NULL, description TEXT NOT NULL DEFAULT '', category TEXT NOT NULL,"
    " frequency TEXT NOT NULL CHECK (frequency IN ('week', 'month', 'quarter', 'year')),"
    " responsible_unit TEXT NOT NULL DEFAULT '', responsible_person TEXT NOT NULL DEFAULT '',"
    " assignee_id BIGINT REFERENCES users(id),"
    " start_date TEXT NOT NULL, active BIGINT NOT NULL DEFAULT 1,"
    " created_by BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " version BIGINT NOT NULL DEFAULT 1);"
    "CREATE INDEX ledger_duties_area ON ledger_duties(area_code);"
    "CREATE TABLE ledger_tasks ("
    " id @ID@,"
    " area_code @CODE@ NOT NULL REFERENCES areas(code),"
    " title TEXT NOT NULL, description TEXT NOT NULL DEFAULT '', category TEXT NOT NULL,"
    " responsible_unit TEXT NOT NULL DEFAULT '', responsible_person TEXT NOT NULL DEFAULT '',"
    " assignee_id BIGINT REFERENCES users(id),"
    " deadline TEXT NOT NULL, state TEXT NOT NULL,"
    " score BIGINT CHECK (score BETWEEN 0 AND 100), eval_comment TEXT, last_note TEXT,"
    " reopen_count BIGINT NOT NULL DEFAULT 0,"
    " duty_id BIGINT REFERENCES ledger_duties(id), period TEXT,"
    " created_by BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " closed_at BIGINT, version BIGINT NOT NULL DEFAULT 1,"
    " UNIQUE (duty_id, period));"
    "CREATE INDEX ledger_tasks_area ON ledger_tasks(area_code, deadline);"
    "CREATE INDEX ledger_tasks_state ON ledger_tasks(state, deadline);";

const store_migration ledger_migrations[] = {{1, M1, NULL}};
const unsigned ledger_nmigrations = JC_NELEM(ledger_migrations);

/* ---- tasks ---- */

#define TASK_COLS                                                                                  \
    "SELECT t.id, t.area_code, ar.name, t.title, t.description, t.category, t.responsible_unit,"   \
    " t.responsible_person, t.assignee_id, u.display_name, t.deadline, t.state, t.score,"          \
    " t.eval_comment, t.last_note, t.reopen_count, t.duty_id, t.period, t.created_by,"             \
    " t.created_at, t.updated_at, t.closed_at, t.version"                                          \
    " FROM ledger_tasks t LEFT JOIN areas ar ON ar.code = t.area_code"                             \
    " LEFT JOIN users u ON u.id = t.assignee_id"

/* ?1..?2 area range, ?3 system, ?4 user id (grants), ?5 states (bits in the order of
 * ledger_wf.states: assigned 1, discussing 2, checking 4, evaluating 8, closed 16, cancelled 32),
 * ?6 category, ?7 LIKE pattern,
 * ?8..?9 deadline range, ?10 duty, ?11 assignee, ?12 overdue only, ?13 today */
#define TASK_WHERE                                                                                 \
    " WHERE t.area_code >= ?1 AND t.area_code < ?2"                                                \
    " AND (?3 = 1 OR EXISTS (SELECT 1 FROM user_areas g WHERE g.user_id = ?4"                      \
    "  AND t.area_code >= g.prefix AND t.area_code < g.prefix_end))"                               \
    " AND (?5 = 0 OR (?5 & CASE t.state WHEN 'assigned' THEN 1 WHEN 'discussing' THEN 2"           \
    "  WHEN 'checking' THEN 4 WHEN 'evaluating' THEN 8 WHEN 'closed' THEN 16 ELSE 32 END) <> 0)"   \
    " AND (?6 IS NULL OR t.category = ?6)"                                                         \
    " AND (?7 IS NULL OR t.title LIKE ?7 ESCAPE '\\' OR t.description LIKE ?7 ESCAPE '\\')"        \
    " AND (?8 IS NULL OR t.deadline >= ?8) AND (?9 IS NULL OR t.deadline <= ?9)"                   \
    " AND (?10 = 0 OR t.duty_id = ?10) AND (?11 = 0 OR t.assignee_id = ?11)"                       \
    " AND (?12 = 0 OR (t.deadline < ?13 AND t.state NOT IN ('closed', 'cancelled')))"

static const char SQL_TASK_GET[] = TASK_COLS " WHERE t.id = ?";
static const char SQL_TASK_LIST[] =
    TASK_COLS TASK_WHERE " ORDER BY t.deadline, t.id LIMIT ?14 OFFSET ?15";
static const char SQL_TASK_LIST_DEADLINE_DESC[] =
    TASK_COLS TASK_WHERE " ORDER BY t.deadline DESC, t.id DESC LIMIT ?14 OFFSET ?15";
static const char SQL_TASK_LIST_UPDATED_DESC[] =
    TASK_COLS TASK_WHERE " ORDER BY t.updated_at DESC, t.id DESC LIMIT ?14 OFFSET ?15";
static const char SQL_TASK_COUNT[] = "SELECT count(*) FROM ledger_tasks t" TASK_WHERE;
static const char SQL_TASK_SUMMARY[] =
    "SELECT t.state, count(*),"
    " SUM(CASE WHEN t.deadline < ?13 AND t.state NOT IN ('closed', 'cancelled') THEN 1 ELSE 0 END),"
    " SUM(COALESCE(t.score, 0)), SUM(CASE WHEN t.score IS NULL THEN 0 ELSE 1 END),"
    " SUM(CASE WHEN t.reopen_count > 0 THEN 1 ELSE 0 END)"
    " FROM ledger_tasks t" TASK_WHERE " GROUP BY t.state ORDER BY t.state";
static const char SQL_TASK_INSERT[] =
    "INSERT INTO ledger_tasks (area_code, title, description, category, responsible_unit,"
    " responsible_person, assignee_id, deadline, state, duty_id, period, created_by, created_at,"
    " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)"
    " ON CONFLICT (duty_id, period) DO NOTHING RETURNING id";
static const char SQL_TASK_EXISTS[] =
    "SELECT count(*) FROM ledger_tasks WHERE duty_id = ? AND period = ?";
static const char SQL_TASK_UPDATE[] =
    "UPDATE ledger_tasks SET area_code = ?1, title = ?2, description = ?3, category = ?4,"
    " responsible_unit = ?5, responsible_person = ?6, assignee_id = ?7, deadline = ?8,"
    " state = ?9, score = ?10, eval_comment = ?11, last_note = ?12, reopen_count = ?13,"
    " closed_at = ?14, updated_at = ?15, version = version + 1"
    " WHERE id = ?16 AND version = ?17";

static void task_from_row(jc_ctx *c, store_stmt *st, ledger_task *t)
{
    memset(t, 0, sizeof *t);
#define TXT(i) arena_strdup(c->a, store_col_text(st, i))
    t->id = store_col_int(st, 0);
    t->area_code = TXT(1);
    t->area_name = TXT(2);
    t->title = TXT(3);
    t->description = TXT(4);
    t->category = TXT(5);
    t->responsible_unit = TXT(6);
    t->responsible_person = TXT(7);
    t->assignee_id = store_col_int(st, 8);
    t->assignee_name = TXT(9);
    t->deadline = TXT(10);
    t->state = TXT(11);
    t->has_score = !store_col_null(st, 12);
    t->score = store_col_int(st, 12);
    t->eval_comment = TXT(13);
    t->last_note = TXT(14);
    t->reopen_count = store_col_int(st, 15);
    t->duty_id = store_col_int(st, 16);
    t->period = TXT(17);
    t->created_by = store_col_int(st, 18);
    t->created_at = store_col_int(st, 19);
    t->updated_at = store_col_int(st, 20);
    t->closed_at = store_col_int(st, 21);
    t->version = store_col_int(st, 22);
#undef TXT
}

int db_ledger_task_get(jc_ctx *c, int64_t id, ledger_task *t)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_TASK_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    if (rc == JC_OK) task_from_row(c, st, t);
    store_reset(st);
    if (rc == JC_ENOTFOUND) return jc_fail(c, rc, "not_found", NULL, "no such task", "任务不存在");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_ledger_task_insert(jc_ctx *c, const ledger_task *t, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_TASK_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, t->area_code);
    store_bind_text(st, 2, t->title);
    store_bind_text(st, 3, t->description ? t->description : "");
    store_bind_text(st, 4, t->category);
    store_bind_text(st, 5, t->responsible_unit ? t->responsible_unit : "");
    store_bind_text(st, 6, t->responsible_person ? t->responsible_person : "");
    store_bind_opt_int(st, 7, t->assignee_id, t->assignee_id > 0);
    store_bind_text(st, 8, t->deadline);
    store_bind_text(st, 9, t->state);
    store_bind_opt_int(st, 10, t->duty_id, t->duty_id > 0);
    store_bind_text(st, 11, t->period);
    jc_bind_actor(st, 12, c);
    store_bind_int(st, 13, c->now);
    rc = store_step(st);
    *id = rc == STORE_ROW ? store_col_int(st, 0) : 0;
    store_reset(st);
    if (rc == STORE_ROW || rc == STORE_DONE) return JC_OK;
    return jc_fail_db(c, rc);
}

int db_ledger_task_exists(jc_ctx *c, int64_t duty_id, const char *period, bool *exists)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_TASK_EXISTS, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, duty_id);
    store_bind_text(st, 2, period);
    rc = store_one(st);
    *exists = rc == JC_OK && store_col_int(st, 0) > 0;
    store_reset(st);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_ledger_task_update(jc_ctx *c, const ledger_task *t, int64_t version)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_TASK_UPDATE, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, t->area_code);
    store_bind_text(st, 2, t->title);
    store_bind_text(st, 3, t->description);
    store_bind_text(st, 4, t->category);
    store_bind_text(st, 5, t->responsible_unit);
    store_bind_text(st, 6, t->responsible_person);
    store_bind_opt_int(st, 7, t->assignee_id, t->assignee_id > 0);
    store_bind_text(st, 8, t->deadline);
    store_bind_text(st, 9, t->state);
    store_bind_opt_int(st, 10, t->score, t->has_score);
    store_bind_text(st, 11, t->eval_comment);
    store_bind_text(st, 12, t->last_note);
    store_bind_int(st, 13, t->reopen_count);
    store_bind_opt_int(st, 14, t->closed_at, t->closed_at > 0);
    store_bind_int(st, 15, c->now);
    store_bind_int(st, 16, t->id);
    store_bind_int(st, 17, version);
    rc = store_run(st);
    if (rc) return jc_fail_db(c, rc);
    if (store_changes(st) == 0)
        return jc_fail(c, JC_ESTALE, "stale_version", "version",
                       "the task was changed by someone else; reload and try again",
                       "该任务已被他人修改,请刷新后重试");
    return JC_OK;
}

static void bind_task_filter(jc_ctx *c, store_stmt *st, const ledger_filter *f)
{
    char today[11];
    jc_date_local(c->now, today);
    store_bind_text(st, 1, f->lo);
    store_bind_text(st, 2, f->hi);
    store_bind_int(st, 3, f->covered ? 1 : 0);
    store_bind_int(st, 4, c->user->id);
    store_bind_int(st, 5, f->states);
    store_bind_text(st, 6, f->category);
    store_bind_text(st, 7, store_like_contains(c->a, f->q));
    store_bind_text(st, 8, f->from);
    store_bind_text(st, 9, f->to);
    store_bind_int(st, 10, f->duty_id);
    store_bind_int(st, 11, f->assignee_id);
    store_bind_int(st, 12, f->overdue_only ? 1 : 0);
    store_bind_text(st, 13, today);
}

int db_ledger_task_list(jc_ctx *c, const ledger_filter *f, ledger_task_fn fn, void *arg,
                        int64_t *total)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_TASK_COUNT, &st);
    if (rc) return jc_fail_db(c, rc);
    bind_task_filter(c, st, f);
    rc = store_one_int(st, total);
    if (rc) return jc_fail_db(c, rc);
    const char *sql = f->sort == LEDGER_SORT_DEADLINE_DESC  ? SQL_TASK_LIST_DEADLINE_DESC
                      : f->sort == LEDGER_SORT_UPDATED_DESC ? SQL_TASK_LIST_UPDATED_DESC
                                                            : SQL_TASK_LIST;
    if ((rc = store_prepare(c->db, sql, &st))) return jc_fail_db(c, rc);
    bind_task_filter(c, st, f);
    store_bind_int(st, 14, f->limit);
    store_bind_int(st, 15, f->offset);
    int frc = JC_OK;
    while (!frc && (rc = store_step(st)) == STORE_ROW) {
        ledger_task t;
        task_from_row(c, st, &t);
        frc = fn(c, &t, arg);
    }
    store_reset(st);
    if (frc) return frc;
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

int db_ledger_summary(jc_ctx *c, const ledger_filter *f, json_t *out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_TASK_SUMMARY, &st);
    if (rc) return jc_fail_db(c, rc);
    bind_task_filter(c, st, f);
    json_t *by_state = json_object();
    for (size_t i = 0; i < ledger_wf.nstates; i++)
        json_object_set_new(by_state, ledger_wf.states[i].code, json_integer(0));
    int64_t total = 0, overdue = 0, score_sum = 0, scored = 0, reopened = 0;
    while ((rc = store_step(st)) == STORE_ROW) {
        json_object_set_new(by_state, store_col_text(st, 0), json_integer(store_col_int(st, 1)));
        total += store_col_int(st, 1);
        overdue += store_col_int(st, 2);
        score_sum += store_col_int(st, 3);
        scored += store_col_int(st, 4);
        reopened += store_col_int(st, 5);
    }
    store_reset(st);
    if (rc != STORE_DONE) {
        json_decref(by_state);
        return jc_fail_db(c, rc);
    }
    json_object_set_new(out, "total", json_integer(total));
    json_object_set_new(out, "by_state", by_state);
    json_object_set_new(out, "overdue", json_integer(overdue));
    json_object_set_new(out, "evaluated", json_integer(scored));
    json_object_set_new(out, "reopened", json_integer(reopened));
    /* one decimal, computed from integers: the same on both backends */
    json_object_set_new(out, "average_score",
                        scored ? json_real((double)((score_sum * 10 + scored / 2) / scored) / 10.0)
                               : json_null());
    return JC_OK;
}

/* ---- duties ---- */

#define DUTY_COLS                                                                                  \
    "SELECT d.id, d.area_code, ar.name, d.title, d.description, d.category, d.frequency,"          \
    " d.responsible_unit, d.responsible_person, d.assignee_id, u.display_name, d.start_date,"      \
    " d.active, d.created_at, d.version FROM ledger_duties d"                                      \
    " LEFT JOIN areas ar ON ar.code = d.area_code LEFT JOIN users u ON u.id = d.assignee_id"
#define DUTY_WHERE                                                                                 \
    " WHERE d.area_code >= ?1 AND d.area_code < ?2"                                                \
    " AND (?3 = 1 OR EXISTS (SELECT 1 FROM user_areas g WHERE g.user_id = ?4"                      \
    "  AND d.area_code >= g.prefix AND d.area_code < g.prefix_end))"

static const char SQL_DUTY_GET[] = DUTY_COLS " WHERE d.id = ?";
static const char SQL_DUTY_LIST[] = DUTY_COLS DUTY_WHERE " ORDER BY d.id LIMIT ?5 OFFSET ?6";
static const char SQL_DUTY_COUNT[] = "SELECT count(*) FROM ledger_duties d" DUTY_WHERE;
static const char SQL_DUTY_IDS[] = "SELECT id FROM ledger_duties WHERE active = 1 ORDER BY id";
static const char SQL_DUTY_INSERT[] =
    "INSERT INTO ledger_duties (area_code, title, description, category, frequency,"
    " responsible_unit, responsible_person, assignee_id, start_date, active, created_by,"
    " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)"
    " RETURNING id";
static const char SQL_DUTY_UPDATE[] =
    "UPDATE ledger_duties SET title = ?1, description = ?2, category = ?3, responsible_unit = ?4,"
    " responsible_person = ?5, assignee_id = ?6, active = ?7, updated_at = ?8,"
    " version = version + 1 WHERE id = ?9 AND version = ?10";
static const char SQL_DUTY_TASKS[] =
    "SELECT period, state, deadline, closed_at, id FROM ledger_tasks"
    " WHERE duty_id = ?1 AND deadline >= ?2 AND deadline <= ?3 ORDER BY deadline";

static void duty_from_row(jc_ctx *c, store_stmt *st, ledger_duty *d)
{
    memset(d, 0, sizeof *d);
#define TXT(i) arena_strdup(c->a, store_col_text(st, i))
    d->id = store_col_int(st, 0);
    d->area_code = TXT(1);
    d->area_name = TXT(2);
    d->title = TXT(3);
    d->description = TXT(4);
    d->category = TXT(5);
    d->frequency = TXT(6);
    d->responsible_unit = TXT(7);
    d->responsible_person = TXT(8);
    d->assignee_id = store_col_int(st, 9);
    d->assignee_name = TXT(10);
    d->start_date = TXT(11);
    d->active = store_col_int(st, 12) != 0;
    d->created_at = store_col_int(st, 13);
    d->version = store_col_int(st, 14);
#undef TXT
}

int db_ledger_duty_get(jc_ctx *c, int64_t id, ledger_duty *d)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_DUTY_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    if (rc == JC_OK) duty_from_row(c, st, d);
    store_reset(st);
    if (rc == JC_ENOTFOUND)
        return jc_fail(c, rc, "not_found", NULL, "no such duty", "常态化工作不存在");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_ledger_duty_insert(jc_ctx *c, const ledger_duty *d, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_DUTY_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, d->area_code);
    store_bind_text(st, 2, d->title);
    store_bind_text(st, 3, d->description ? d->description : "");
    store_bind_text(st, 4, d->category);
    store_bind_text(st, 5, d->frequency);
    store_bind_text(st, 6, d->responsible_unit ? d->responsible_unit : "");
    store_bind_text(st, 7, d->responsible_person ? d->responsible_person : "");
    store_bind_opt_int(st, 8, d->assignee_id, d->assignee_id > 0);
    store_bind_text(st, 9, d->start_date);
    store_bind_int(st, 10, d->active ? 1 : 0);
    jc_bind_actor(st, 11, c);
    store_bind_int(st, 12, c->now);
    rc = store_one_int(st, id);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int db_ledger_duty_update(jc_ctx *c, const ledger_duty *d, int64_t version)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_DUTY_UPDATE, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, d->title);
    store_bind_text(st, 2, d->description);
    store_bind_text(st, 3, d->category);
    store_bind_text(st, 4, d->responsible_unit);
    store_bind_text(st, 5, d->responsible_person);
    store_bind_opt_int(st, 6, d->assignee_id, d->assignee_id > 0);
    store_bind_int(st, 7, d->active ? 1 : 0);
    store_bind_int(st, 8, c->now);
    store_bind_int(st, 9, d->id);
    store_bind_int(st, 10, version);
    rc = store_run(st);
    if (rc) return jc_fail_db(c, rc);
    if (store_changes(st) == 0)
        return jc_fail(c, JC_ESTALE, "stale_version", "version",
                       "the duty was changed by someone else; reload and try again",
                       "该常态化工作已被他人修改,请刷新后重试");
    return JC_OK;
}

static void bind_duty_filter(jc_ctx *c, store_stmt *st, const ledger_filter *f)
{
    store_bind_text(st, 1, f->lo);
    store_bind_text(st, 2, f->hi);
    store_bind_int(st, 3, f->covered ? 1 : 0);
    store_bind_int(st, 4, c->user->id);
}

int db_ledger_duty_list(jc_ctx *c, const ledger_filter *f, json_t *items, int64_t *total)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_DUTY_COUNT, &st);
    if (rc) return jc_fail_db(c, rc);
    bind_duty_filter(c, st, f);
    rc = store_one_int(st, total);
    if (rc) return jc_fail_db(c, rc);
    if ((rc = store_prepare(c->db, SQL_DUTY_LIST, &st))) return jc_fail_db(c, rc);
    bind_duty_filter(c, st, f);
    store_bind_int(st, 5, f->limit);
    store_bind_int(st, 6, f->offset);
    while ((rc = store_step(st)) == STORE_ROW) {
        ledger_duty d;
        duty_from_row(c, st, &d);
        json_array_append_new(items, json_incref(ledger_duty_json(c, &d)));
    }
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

int db_ledger_duty_ids(jc_ctx *c, int64_t *ids, int max, int *n)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_DUTY_IDS, &st);
    if (rc) return jc_fail_db(c, rc);
    *n = 0;
    while (*n < max && (rc = store_step(st)) == STORE_ROW) ids[(*n)++] = store_col_int(st, 0);
    store_reset(st);
    return rc == STORE_DONE || rc == STORE_ROW ? JC_OK : jc_fail_db(c, rc);
}

int db_ledger_duty_tasks(jc_ctx *c, int64_t duty_id, const char *from, const char *to, json_t *out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_DUTY_TASKS, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, duty_id);
    store_bind_text(st, 2, from);
    store_bind_text(st, 3, to);
    while ((rc = store_step(st)) == STORE_ROW) {
        json_t *o = json_pack("{s:s?, s:s, s:s, s:I}", "period", store_col_text(st, 0), "state",
                              store_col_text(st, 1), "deadline", store_col_text(st, 2), "task_id",
                              (json_int_t)store_col_int(st, 4));
        if (!store_col_null(st, 3))
            json_object_set_new(o, "closed_at_epoch", json_integer(store_col_int(st, 3)));
        json_array_append_new(out, o);
    }
    store_reset(st);
    return rc == STORE_DONE ? JC_OK : jc_fail_db(c, rc);
}

static const char SQL_USER_NAME[] =
    "SELECT u.display_name, u.disabled, CASE WHEN EXISTS (SELECT 1 FROM user_areas g"
    " WHERE g.user_id = u.id AND ?2 >= g.prefix AND ?2 < g.prefix_end) THEN 1 ELSE 0 END"
    " FROM users u WHERE u.id = ?1";

int db_ledger_user_name(jc_ctx *c, int64_t id, const char **name, bool *can_see_area,
                        const char *area)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_USER_NAME, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    store_bind_text(st, 2, area);
    rc = store_one(st);
    if (rc == JC_OK) {
        *name = arena_strdup(c->a, store_col_text(st, 0));
        *can_see_area = store_col_int(st, 2) == 1 && store_col_int(st, 1) == 0;
    }
    store_reset(st);
    if (rc == JC_ENOTFOUND)
        return jc_fail(c, JC_EUNPROC, "unknown_user", "assignee_id", "no such user",
                       "指定的责任人不存在");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}
