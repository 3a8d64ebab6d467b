/* ledger.h — 书记抓基层党建工作台账: the secretary's ledger of party-building tasks, each on the
 * closed loop 定责 → 研讨 → 问效 → 考评 → 办结, and the recurring duties ("四个一") that generate
 * tasks every period and whose compliance is reported. */
#ifndef JC_LEDGER_H
#define JC_LEDGER_H

#include "../base/jw.h"
#include "../kernel/kernel.h"

extern const wf_def ledger_wf;

typedef struct ledger_task {
    int64_t id;
    const char *area_code, *area_name;
    const char *title, *description, *category;
    const char *responsible_unit, *responsible_person;
    int64_t assignee_id; /* 0 = none */
    const char *assignee_name;
    const char *deadline; /* YYYY-MM-DD */
    const char *state;
    bool has_score;
    int64_t score;
    const char *eval_comment, *last_note;
    int64_t reopen_count;
    int64_t duty_id; /* 0 = ad hoc */
    const char *period;
    int64_t created_by, created_at, updated_at, closed_at, version;
} ledger_task;

typedef struct ledger_duty {
    int64_t id;
    const char *area_code, *area_name;
    const char *title, *description, *category, *frequency; /* week|month|quarter|year */
    const char *responsible_unit, *responsible_person;
    int64_t assignee_id;
    const char *assignee_name;
    const char *start_date;
    bool active;
    int64_t created_at, version;
} ledger_duty;

enum ledger_sort { LEDGER_SORT_DEADLINE, LEDGER_SORT_DEADLINE_DESC, LEDGER_SORT_UPDATED_DESC };

typedef struct ledger_filter {
    char lo[16], hi[17]; /* area range */
    bool covered;        /* the range lies in the caller's grants (area_filter) */
    int64_t states;      /* bit i = ledger_wf.states[i]; 0 = any state */
    const char *category, *q, *from, *to, *period;
    enum ledger_sort sort;
    int64_t duty_id, assignee_id;
    bool overdue_only;
    bool all; /* period=all: no period bounds (the summary defaults to this month otherwise) */
    int64_t limit, offset;
} ledger_filter;

/* ---- ledger_db.c: all SQL of the ledger ---- */
int db_ledger_task_get(jc_ctx *c, int64_t id, ledger_task *t);
int db_ledger_task_insert(jc_ctx *c, const ledger_task *t, int64_t *id); /* ON CONFLICT → 0 */
int db_ledger_task_update(jc_ctx *c, const ledger_task *t, int64_t version);
int db_ledger_task_exists(jc_ctx *c, int64_t duty_id, const char *period, bool *exists);
/* Calls fn for every task of the page; fn must not use the list's own statement (it may read
 * other statements, not write). A nonzero return stops the walk and is returned. */
typedef int (*ledger_task_fn)(jc_ctx *c, const ledger_task *t, void *arg);
int db_ledger_task_list(jc_ctx *c, const ledger_filter *f, ledger_task_fn fn, void *arg,
                        int64_t *total);
int db_ledger_summary(jc_ctx *c, const ledger_filter *f, json_t *out);
int db_ledger_duty_get(jc_ctx *c, int64_t id, ledger_duty *d);
int db_ledger_duty_insert(jc_ctx *c, const ledger_duty *d, int64_t *id);
int db_ledger_duty_update(jc_ctx *c, const ledger_duty *d, int64_t version);
int db_ledger_duty_list(jc_ctx *c, const ledger_filter *f, json_t *items, int64_t *total);
/* Active duties (all areas) for generation: ids into the array, up to max. */
int db_ledger_duty_ids(jc_ctx *c, int64_t *ids, int max, int *n);
/* Tasks of one duty whose deadline lies in [from, to]: period, state, deadline, closed_at. */
int db_ledger_duty_tasks(jc_ctx *c, int64_t duty_id, const char *from, const char *to, json_t *out);
int db_ledger_user_name(jc_ctx *c, int64_t id, const char **name, bool *can_see_area,
                        const char *area);

/* ---- ledger.c: rules ---- */
/* The task as the API shows it; with_actions adds what this user may do next. */
void ledger_task_write(jw *w, jc_ctx *c, const ledger_task *t, bool with_actions);
json_t *ledger_duty_json(jc_ctx *c, const ledger_duty *d);
/* Creates a task in state 定责 (assigned); appends the audit record. */
int ledger_task_create(jc_ctx *c, ledger_task *t, int64_t *id);
/* Field edits while the task is open. Only non-NULL members of `changes` are applied. */
int ledger_task_edit(jc_ctx *c, int64_t id, int64_t version, const ledger_task *changes,
                     bool clear_assignee);
int ledger_task_transition(jc_ctx *c, int64_t id, int64_t version, const char *action,
                           const wf_input *in);
int ledger_task_read(jc_ctx *c, int64_t id, ledger_task *t); /* with the area check */
int ledger_duty_create(jc_ctx *c, ledger_duty *d, int64_t *id);
/* assignee_id < 0 clears the assignee; active NULL = unchanged */
int ledger_duty_edit(jc_ctx *c, int64_t id, int64_t version, const ledger_duty *changes,
                     const bool *active);
/* Creates the tasks of every active duty for each period from its start up to today.
 * Idempotent: a (duty, period) pair is created once, even by several servers at once. */
int ledger_generate(jc_ctx *c, int64_t only_duty, int *created);
/* Per duty: periods required so far in [from, to], done on time, done late, open; overall rate. */
int ledger_compliance(jc_ctx *c, const ledger_filter *f, json_t **out);

int ledger_demo(jc_ctx *c);

extern const store_migration ledger_migrations[];
extern const unsigned ledger_nmigrations;
extern const config_def ledger_config[];
extern const unsigned ledger_nconfig;

#endif
