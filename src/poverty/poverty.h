/* poverty.h — 扶贫专项治理 of a town (巩义市北山口镇): the registry of households and persons with
 * their poverty status lifecycle and 公示 (public notice), the 回头看 review campaigns whose
 * findings are change requests applied to the registry, poverty projects, the funds ledger and
 * 雨露计划 subsidies.
 *
 * The heart of it: every figure the town reports upward is computed from records, and every
 * correction is traceable — statuses change by appending history rows (with effective dates, in
 * the transaction that writes the audit record), corrections are change requests that are
 * approved and applied, and a rollback is a new applied change, never an edit of history.
 *
 * Files: poverty_db.c (migrations and the registry's SQL), poverty_review_db.c (campaigns and
 * change requests), poverty_funds_db.c (projects, funds, 雨露计划) hold all SQL; poverty.c,
 * poverty_review.c and poverty_funds.c the rules; poverty_import.c the spreadsheet import and
 * export and the command-line commands; poverty_*_api.c the handlers; poverty_demo.c the demo. */
#ifndef JC_POVERTY_H
#define JC_POVERTY_H

#include "../base/jw.h"
#include "../kernel/kernel.h"

/* Who may write the registry (扶贫专干/驻村工作队 and administrators), who approves corrections
 * (leaders and administrators), who may read (those and leaders). */
#define PV_WRITERS   (RB(ROLE_ADMIN) | RB(ROLE_POVERTY_OFFICER))
#define PV_APPROVERS (RB(ROLE_ADMIN) | RB(ROLE_LEADER))
#define PV_READERS   (RB(ROLE_ADMIN) | RB(ROLE_POVERTY_OFFICER) | RB(ROLE_LEADER))

/* The tag of 建档立卡贫困户 (a national term, not a local list). */
#define PV_TAG_REGISTERED "建档立卡贫困户"

/* ---- statuses (poverty.c) ---- */

enum pv_status {
    PV_NONE = 0,  /* 未识别 */
    PV_POOR,      /* 贫困户: 一般 / 低保 / 五保 */
    PV_EXITED,    /* 已脱贫 (exit marked) */
    PV_STABLE,    /* 稳定脱贫 */
    PV_RETURNED,  /* 返贫 */
    PV_MONITORED, /* 监测户: 脱贫不稳定户 / 边缘易致贫户 / 突发严重困难户 */
    PV_STATUS__MAX
};

typedef struct pv_kind {
    const char *code, *zh, *en;
} pv_kind;

typedef struct pv_status_info {
    const char *code, *zh, *en;
    const pv_kind *kinds; /* NULL-terminated by code; NULL when the status has no kinds */
} pv_status_info;

extern const pv_status_info pv_statuses[PV_STATUS__MAX];
/* PV_STATUS__MAX when unknown */
int pv_status_from_code(const char *code);
const char *pv_status_zh(const char *code);
/* The kind's label, or NULL when `kind` is not one of the status's kinds ("" is none). */
const char *pv_kind_zh(const char *status, const char *kind);
/* True when the lifecycle allows from → to directly (without a correction). */
bool pv_transition_allowed(const char *from, const char *to);

/* ---- records ---- */

typedef struct pv_household {
    int64_t id;
    const char *area_code, *area_name, *household_no, *address, *phone, *note;
    const char *status, *kind, *status_since;
    const char *head_name; /* current 户主, or NULL */
    int64_t members;       /* current members */
    int64_t created_at, updated_at, version;
} pv_household;

typedef struct pv_person {
    int64_t id;
    const char *citizen_id, *name, *birth_date, *phone, *area_code;
    int64_t sex;          /* 1 male, 2 female (GB/T 2261.1) */
    int64_t household_id; /* 0 = in no household (left) */
    const char *relation, *state, *left_reason, *left_on;
    const char *household_no; /* of the current household (lists) */
    int64_t created_at, updated_at, version;
} pv_person;

/* A person as given (API body, import row, change request): checked by pv_person_check(). */
typedef struct pv_person_in {
    const char *name, *citizen_id, *relation, *phone, *birth_date;
    int64_t sex; /* 0 = take it from the ID */
} pv_person_in;

typedef struct pv_hh_filter {
    char lo[16], hi[17];
    bool covered;
    const char *tag, *status, *q;
    bool key_only; /* carries any of the 十类重点户 categories */
    int64_t limit, offset;
} pv_hh_filter;

/* ---- poverty_db.c: the registry's SQL ---- */
extern const store_migration poverty_migrations[];
extern const unsigned poverty_nmigrations;

int db_pv_household_get(jc_ctx *c, int64_t id, pv_household *h);
int db_pv_household_by_no(jc_ctx *c, const char *no, int64_t *id, const char **area);
int db_pv_household_insert(jc_ctx *c, const pv_household *h, int64_t *id);
int db_pv_household_update(jc_ctx *c, const pv_household *h, int64_t version);
int db_pv_household_set_status(jc_ctx *c, int64_t id, const char *status, const char *kind,
                               const char *since, int64_t version);
/* Bumps the version of a household whose members or tags changed (no version check). */
int db_pv_household_touch(jc_ctx *c, int64_t id);
typedef int (*pv_household_fn)(jc_ctx *c, const pv_household *h, void *arg);
int db_pv_household_list(jc_ctx *c, const pv_hh_filter *f, pv_household_fn fn, void *arg,
                         int64_t *total);
/* Tags of a household as a JSON array of strings (arena-owned). */
int db_pv_tags(jc_ctx *c, int64_t household_id, json_t **out);
int db_pv_tag_add(jc_ctx *c, int64_t household_id, const char *tag);
int db_pv_tags_clear(jc_ctx *c, int64_t household_id);
int db_pv_tag_remove(jc_ctx *c, int64_t household_id, const char *tag);

int db_pv_person_get(jc_ctx *c, int64_t id, pv_person *p);
/* JC_ENOTFOUND (without jc_fail) when no person has that ID. */
int db_pv_person_by_cid(jc_ctx *c, const char *citizen_id, pv_person *p);
int db_pv_person_insert(jc_ctx *c, const pv_person *p, int64_t *id);
int db_pv_person_update(jc_ctx *c, const pv_person *p, int64_t version);
/* Current members of a household, 户主 first. */
typedef int (*pv_person_fn)(jc_ctx *c, const pv_person *p, void *arg);
int db_pv_members(jc_ctx *c, int64_t household_id, pv_person_fn fn, void *arg);
int db_pv_member_count(jc_ctx *c, int64_t household_id, int64_t *n);
typedef struct pv_person_filter {
    char lo[16], hi[17];
    bool covered;
    const char *q, *state;
    int64_t household_id;
    int64_t limit, offset;
} pv_person_filter;
int db_pv_person_list(jc_ctx *c, const pv_person_filter *f, pv_person_fn fn, void *arg,
                      int64_t *total);

/* Membership history: a person joins a household from a date, leaves it on a date. */
int db_pv_member_join(jc_ctx *c, int64_t person_id, int64_t household_id, const char *relation,
                      const char *from, const char *reason, int64_t change_id);
int db_pv_member_leave(jc_ctx *c, int64_t person_id, const char *on, const char *reason);
/* Membership history of a household as JSON (arena-owned). */
int db_pv_member_history(jc_ctx *c, int64_t household_id, bool pii, json_t **out);

/* Import: a household by its number, with its area, first status date and whether it has a
 * head; *id = 0 when there is none. */
int db_pv_import_household(jc_ctx *c, const char *no, int64_t *id, const char **area,
                           const char **first, bool *has_head);
/* Villages (or grids) of that name: the first code and how many there are (0, 1, 2 = several). */
int db_pv_area_by_name(jc_ctx *c, const char *name, const char **code, int *n);
/* The record of a citizen ID: *id = 0 when there is none. */
int db_pv_import_cid(jc_ctx *c, const char *cid, int64_t *id, const char **name,
                     const char **household_no);

/* Status history: appended, never changed. */
typedef struct pv_status_row {
    int64_t household_id;
    const char *status, *kind, *prev_status, *prev_kind, *effective_date, *reason;
    int64_t change_id, notice_id;
} pv_status_row;
int db_pv_status_append(jc_ctx *c, const pv_status_row *r, int64_t *id);
int db_pv_status_history(jc_ctx *c, int64_t household_id, json_t **out);
/* The latest effective date of a household's history ("" when none). */
int db_pv_status_last_date(jc_ctx *c, int64_t household_id, const char **date);
/* The status the household had just before its latest row (for rolling back). */
int db_pv_status_before_last(jc_ctx *c, int64_t household_id, const char **status,
                             const char **kind);
/* Counts per village and status at the end of `as_of`: households and their members. */
int db_pv_stats(jc_ctx *c, const char *lo, const char *hi, bool covered, const char *as_of,
                json_t *villages);

/* 公示 */
typedef struct pv_notice {
    int64_t id;
    const char *area_code;
    int64_t household_id, change_id;
    const char *target_status, *target_kind, *start_date, *end_date, *place, *outcome;
    int64_t days, pending, upheld; /* objections */
    int64_t created_at, version;
} pv_notice;
int db_pv_notice_get(jc_ctx *c, int64_t id, pv_notice *n);
int db_pv_notice_insert(jc_ctx *c, const pv_notice *n, int64_t *id);
int db_pv_notice_set_outcome(jc_ctx *c, int64_t id, const char *outcome, int64_t household_id);
/* The latest notice without outcome for a household (household_id) or a change (change_id)
 * and target status; JC_ENOTFOUND (without jc_fail) when none. */
int db_pv_notice_open(jc_ctx *c, int64_t household_id, int64_t change_id, const char *target,
                      pv_notice *n);
int db_pv_notices_json(jc_ctx *c, int64_t household_id, int64_t change_id, json_t **out);
typedef struct pv_notice_filter {
    char lo[16], hi[17];
    bool covered;
    bool open_only;
    int64_t limit, offset;
} pv_notice_filter;
int db_pv_notice_list(jc_ctx *c, const pv_notice_filter *f, json_t *items, int64_t *total);
int db_pv_objection_insert(jc_ctx *c, int64_t notice_id, const char *received_on,
                           const char *from_name, const char *content, int64_t *id);
int db_pv_objection_get(jc_ctx *c, int64_t id, json_t **out, int64_t *notice_id, int64_t *version);
int db_pv_objection_resolve(jc_ctx *c, int64_t id, int64_t version, const char *resolution,
                            const char *note, const char *on);

/* ---- poverty.c: rules of the registry ---- */
#define PV_NCONFIG 10
extern const config_def poverty_config[PV_NCONFIG];

/* True when the caller may see citizen IDs and phone numbers unmasked (poverty.pii_roles). */
bool pv_pii(jc_ctx *c);
const char *pv_today(jc_ctx *c); /* Shanghai date (arena) */
/* The configured 十类重点户 categories, NULL-terminated (arena). */
const char **pv_key_tags(jc_ctx *c, int *n);
bool pv_tag_known(jc_ctx *c, const char *tag);
/* An area for registry records: visible to the caller, existing, and a village or below. */
int pv_check_area(jc_ctx *c, const char *code, const char *field);
/* Validates a person: name, citizen ID (GB 11643), sex and birth date against the ID, relation
 * from poverty.relations, phone. field_prefix names the fields in errors ("persons[2]."). */
int pv_person_check(jc_ctx *c, pv_person_in *in, const char *field_prefix);
/* The same with the relations (poverty.relations) already read: imports check a million rows. */
int pv_person_check_list(jc_ctx *c, pv_person_in *in, const char *field_prefix, json_t *relations);
/* JC_ECONFLICT "duplicate" naming the existing record of that citizen ID, if there is one that
 * is still in a household or deceased; *existing = its id when it has left every household (it
 * may join another), 0 when there is none. */
int pv_person_unique(jc_ctx *c, const char *citizen_id, const char *field, int64_t *existing);

/* Shared by the rules files. */
int pv_need_writer(jc_ctx *c);
int pv_check_stale(jc_ctx *c, int64_t have, int64_t want, const char *en, const char *zh);
int pv_check_tags(jc_ctx *c, const char **tags, int n);
int pv_check_tags_list(jc_ctx *c, const char **tags, int n, json_t *key_categories);
int pv_check_status_kind(jc_ctx *c, const char *status, const char **kind, bool *known);
int pv_check_effective(jc_ctx *c, const char *date, const char *after);
json_t *pv_allowed_from(const char *from);
json_t *pv_household_audit(jc_ctx *c, const pv_household *h);
json_t *pv_person_audit(jc_ctx *c, const pv_person *p);
/* Checks persons given for a household (prefix names them in errors: "persons"): each one, one
 * head at most (none more when has_head), no ID twice, none registered in another household;
 * existing[i] receives the record of someone who left every household (0 otherwise). */
int pv_check_persons(jc_ctx *c, pv_person_in *ps, int n, bool has_head, int64_t *existing,
                     const char *prefix);
/* Adds a checked person to a household with a membership row from `from` (inside the caller's
 * transaction; audited). */
int pv_put_member(jc_ctx *c, const pv_household *h, const pv_person_in *in, int64_t existing,
                  const char *from, const char *reason, int64_t change_id, int64_t *pid);

json_t *pv_household_json(jc_ctx *c, const pv_household *h, bool pii);
json_t *pv_person_json(jc_ctx *c, const pv_person *p, bool pii);
int pv_household_read(jc_ctx *c, int64_t id, pv_household *h); /* with the area check */
int pv_person_read(jc_ctx *c, int64_t id, pv_person *p);

typedef struct pv_household_in {
    const char *area_code, *household_no, *address, *phone, *note;
    const char **tags;
    int ntags;
    const char *status, *kind, *effective_date; /* initial status (default none, today) */
    pv_person_in *persons;
    int npersons;
} pv_household_in;
/* Registers a household with its members in one transaction. */
int pv_household_create(jc_ctx *c, pv_household_in *in, int64_t *id);
/* Address, phone, note, household_no, tags (only the non-NULL ones; tags when has_tags). */
int pv_household_edit(jc_ctx *c, int64_t id, int64_t version, const pv_household_in *in,
                      bool has_tags);
/* Adds a member at registration (a missed one found in a review is a change request). */
int pv_household_add_person(jc_ctx *c, int64_t household_id, int64_t version, pv_person_in *in,
                            const char *from, int64_t *person_id);
int pv_person_edit(jc_ctx *c, int64_t id, int64_t version, const char *name, const char *phone,
                   const char *relation, bool clear_phone);
/* A lifecycle step (识别, 标注脱贫, 稳定脱贫, 返贫, 纳入/解除监测): checks the lifecycle, the date
 * (not before the last one, not after today) and the 公示 the step needs. */
int pv_status_change(jc_ctx *c, int64_t id, int64_t version, const char *status, const char *kind,
                     const char *effective_date, const char *reason);
/* Writes a status change and its history row (the caller holds the transaction and audits). */
int pv_status_write(jc_ctx *c, const pv_household *h, const char *status, const char *kind,
                    const char *date, const char *reason, int64_t change_id, int64_t notice_id);
/* The 公示 a step into `status` needs, for a household or a change request: JC_OK with *notice_id
 * (0 when none is needed), or the refusal: no notice (notice_required), still running (with the
 * date it may proceed), an objection pending or upheld. */
int pv_notice_ready(jc_ctx *c, int64_t household_id, int64_t change_id, const char *status,
                    const char *effective_date, int64_t *notice_id);
bool pv_notice_needed(jc_ctx *c, const char *status);
int pv_notice_start(jc_ctx *c, int64_t household_id, int64_t change_id, const char *target,
                    const char *kind, const char *start, int64_t days, const char *place,
                    int64_t *id);
json_t *pv_notice_json(jc_ctx *c, const pv_notice *n);
int pv_objection_add(jc_ctx *c, int64_t notice_id, const char *received_on, const char *from_name,
                     const char *content, int64_t *id);
int pv_objection_resolve(jc_ctx *c, int64_t id, int64_t version, const char *resolution,
                         const char *note);
int pv_stats(jc_ctx *c, const char *area, const char *as_of, json_t **out);

/* ---- 回头看 campaigns and change requests (poverty_review.c) ---- */
extern const wf_def pv_change_wf;

enum pv_change_type {
    PV_CH_NEW = 0,      /* 新识别 */
    PV_CH_DECREASE,     /* 人口自然减少 */
    PV_CH_MISSED,       /* 漏登 */
    PV_CH_WRONG_ASSESS, /* 错评 */
    PV_CH_WRONG_EXIT,   /* 错退 / 标注稳定脱贫错误需回退 */
    PV_CH__MAX
};
typedef struct pv_change_type_info {
    const char *code, *zh, *en;
    bool count_households; /* the report says "N户M人" (else "M人") */
} pv_change_type_info;
extern const pv_change_type_info pv_change_types[PV_CH__MAX];
int pv_change_type_from_code(const char *code);

typedef struct pv_review {
    int64_t id;
    const char *area_code, *area_name, *name, *start_date, *end_date, *state, *note;
    json_t *focus; /* ["key","registered"] */
    int64_t created_at, closed_at, version;
} pv_review;

typedef struct pv_review_in {
    const char *area_code, *name, *start_date, *end_date, *note;
    const char **villages;
    int nvillages;
    const char **focus;
    int nfocus;
    const int64_t *checkers;
    int ncheckers;
} pv_review_in;

typedef struct pv_change {
    int64_t id, review_id, household_id;
    const char *area_code, *area_name, *type, *state, *evidence, *description, *effective_date;
    const char *reject_reason;
    json_t *payload;
    int64_t n_households, n_persons;
    int64_t created_by, submitted_by, approved_by, applied_by;
    int64_t created_at, submitted_at, approved_at, applied_at, updated_at, version;
} pv_change;

typedef struct pv_change_filter {
    char lo[16], hi[17];
    bool covered;
    int64_t review_id, household_id;
    int64_t states; /* bits of pv_change_wf.states */
    const char *type;
    int64_t limit, offset;
} pv_change_filter;

/* poverty_review_db.c */
int db_pv_review_insert(jc_ctx *c, const pv_review_in *in, int64_t *id);
int db_pv_review_get(jc_ctx *c, int64_t id, pv_review *r);
int db_pv_review_update(jc_ctx *c, const pv_review *r, int64_t version);
int db_pv_review_list(jc_ctx *c, const char *lo, const char *hi, bool covered, int64_t limit,
                      int64_t offset, json_t *items, int64_t *total);
int db_pv_review_village_add(jc_ctx *c, int64_t review_id, const char *code);
int db_pv_review_checker_add(jc_ctx *c, int64_t review_id, int64_t user_id);
int db_pv_review_checkers_clear(jc_ctx *c, int64_t review_id);
int db_pv_review_villages(jc_ctx *c, int64_t review_id, json_t **out);
int db_pv_review_checkers(jc_ctx *c, int64_t review_id, json_t **out);
/* Fills the household set of a campaign from the registry (focus: key, registered), returns the
 * number of households. */
int db_pv_review_snapshot(jc_ctx *c, int64_t review_id, bool key, bool registered, int64_t *n);
int db_pv_review_progress(jc_ctx *c, int64_t review_id, json_t **out);
int db_pv_review_focus(jc_ctx *c, int64_t review_id, json_t **by_tag, int64_t *key,
                       int64_t *registered, int64_t *total);
typedef struct pv_check_filter {
    int64_t review_id;
    const char *village;
    int checked; /* -1 any, 0 not yet, 1 checked */
    int64_t limit, offset;
} pv_check_filter;
int db_pv_review_checks(jc_ctx *c, const pv_check_filter *f, bool pii, json_t *items,
                        int64_t *total);
int db_pv_review_check_get(jc_ctx *c, int64_t review_id, int64_t household_id, const char **area,
                           int64_t *checked_at, int64_t *version);
int db_pv_review_check_set(jc_ctx *c, int64_t review_id, int64_t household_id, const char *result,
                           const char *note, int64_t version);
/* Per type: findings, households, persons, applied (rejected ones not counted). */
int db_pv_review_findings(jc_ctx *c, int64_t review_id, int64_t count[PV_CH__MAX],
                          int64_t hh[PV_CH__MAX], int64_t persons[PV_CH__MAX],
                          int64_t applied[PV_CH__MAX]);

int db_pv_change_insert(jc_ctx *c, const pv_change *ch, int64_t *id);
int db_pv_change_get(jc_ctx *c, int64_t id, pv_change *ch);
int db_pv_change_update(jc_ctx *c, const pv_change *ch, int64_t version);
typedef int (*pv_change_fn)(jc_ctx *c, const pv_change *ch, void *arg);
int db_pv_change_list(jc_ctx *c, const pv_change_filter *f, pv_change_fn fn, void *arg,
                      int64_t *total);
int db_pv_child_villages(jc_ctx *c, const char *parent, json_t **out);
int db_pv_user_covers(jc_ctx *c, int64_t user_id, const char *area, bool *ok, const char **name);
int db_pv_change_item_add(jc_ctx *c, int64_t change_id, int64_t household_id, int64_t person_id,
                          const char *what);
int db_pv_change_items(jc_ctx *c, int64_t change_id, bool pii, json_t **out);

/* poverty_review.c */
int pv_review_create(jc_ctx *c, const pv_review_in *in, int64_t *id);
int pv_review_edit(jc_ctx *c, int64_t id, int64_t version, const char *name, const char *end_date,
                   const char *note, const int64_t *checkers, int ncheckers, bool has_checkers,
                   bool close);
int pv_review_read(jc_ctx *c, int64_t id, pv_review *r);
json_t *pv_review_json(jc_ctx *c, const pv_review *r, bool detail);
int pv_review_check(jc_ctx *c, int64_t review_id, int64_t household_id, const char *result,
                    const char *note, int64_t version);
int pv_review_summary(jc_ctx *c, int64_t review_id, json_t **out);

typedef struct pv_change_in {
    int64_t review_id, household_id;
    const char *type, *evidence, *description, *effective_date;
    json_t *payload; /* type-specific: see docs/poverty.md */
} pv_change_in;
int pv_change_create(jc_ctx *c, const pv_change_in *in, int64_t *id);
int pv_change_edit(jc_ctx *c, int64_t id, int64_t version, const pv_change_in *in);
int pv_change_read(jc_ctx *c, int64_t id, pv_change *ch);
/* submit, withdraw, approve, reject, apply. Apply changes the registry in the same transaction. */
int pv_change_transition(jc_ctx *c, int64_t id, int64_t version, const char *action,
                         const char *reason);
json_t *pv_change_json(jc_ctx *c, const pv_change *ch, bool detail);
/* Findings that concern a household (arena-owned JSON array). */
int pv_household_findings(jc_ctx *c, int64_t household_id, json_t **out);

/* ---- projects, funds, 雨露计划 (poverty_funds.c, poverty_funds_db.c) ---- */
typedef struct pv_project {
    int64_t id;
    const char *area_code, *area_name, *name, *type, *description, *responsible;
    const char *start_date, *planned_end, *actual_end, *acceptance, *accepted_on;
    int64_t budget_fen, progress, allocated_fen, disbursed_fen;
    int64_t created_at, updated_at, version;
} pv_project;

typedef struct pv_project_filter {
    char lo[16], hi[17];
    bool covered;
    const char *type, *completed_before, *year;
    int overdue;   /* 1: only overdue */
    int completed; /* -1 any, 0 open, 1 completed */
    int64_t limit, offset;
} pv_project_filter;

int db_pv_project_get(jc_ctx *c, int64_t id, pv_project *p);
int db_pv_project_insert(jc_ctx *c, const pv_project *p, int64_t *id);
int db_pv_project_update(jc_ctx *c, const pv_project *p, int64_t version);
typedef int (*pv_project_fn)(jc_ctx *c, const pv_project *p, void *arg);
int db_pv_project_list(jc_ctx *c, const pv_project_filter *f, pv_project_fn fn, void *arg,
                       int64_t *total, int64_t *budget_sum);

typedef struct pv_source {
    int64_t id;
    const char *area_code, *area_name, *name, *level, *note;
    int64_t year, amount_fen, allocated_fen, disbursed_fen, created_at, version;
} pv_source;
int db_pv_source_get(jc_ctx *c, int64_t id, pv_source *s);
int db_pv_source_insert(jc_ctx *c, const pv_source *s, int64_t *id);
int db_pv_source_list(jc_ctx *c, const char *lo, const char *hi, bool covered, json_t *items);
/* Guarded counters: JC_OK when the amount fits, JC_EUNPROC (no jc_fail) when it does not. */
int db_pv_source_allocate(jc_ctx *c, int64_t id, int64_t amount);
int db_pv_project_allocate(jc_ctx *c, int64_t id, int64_t amount);
int db_pv_allocation_insert(jc_ctx *c, int64_t source_id, int64_t project_id, const char *area,
                            int64_t amount, const char *on, const char *note, int64_t *id);
int db_pv_allocation_get(jc_ctx *c, int64_t id, json_t **out, const char **area,
                         int64_t *project_id, int64_t *source_id, int64_t *amount,
                         int64_t *disbursed);
int db_pv_allocation_list(jc_ctx *c, const char *lo, const char *hi, bool covered,
                          int64_t project_id, int64_t source_id, json_t *items);
int db_pv_allocation_disburse(jc_ctx *c, int64_t id, int64_t amount);
int db_pv_disbursement_insert(jc_ctx *c, int64_t allocation_id, int64_t project_id,
                              int64_t source_id, const char *area, const char *voucher,
                              const char *payee, const char *on, int64_t amount, const char *note,
                              int64_t *id);
int db_pv_disbursement_list(jc_ctx *c, const char *lo, const char *hi, bool covered,
                            int64_t project_id, int64_t source_id, int64_t limit, int64_t offset,
                            json_t *items, int64_t *total);
int db_pv_disbursement_get(jc_ctx *c, int64_t id, json_t **out);
json_t *pv_source_to_json(const pv_source *s); /* a new reference */
int db_pv_balances(jc_ctx *c, const char *lo, const char *hi, bool covered, json_t **projects,
                   json_t **sources);

typedef struct pv_yulu {
    int64_t id, person_id, household_id;
    const char *area_code, *area_name, *person_name, *citizen_id, *school_year, *school, *major,
        *level, *enrolled_on, *eligibility;
    int64_t full_time, annual_fen, paid_fen, created_at, version;
} pv_yulu;
int db_pv_yulu_get(jc_ctx *c, int64_t id, pv_yulu *y);
int db_pv_yulu_find(jc_ctx *c, int64_t person_id, const char *school_year, int64_t *id);
int db_pv_yulu_insert(jc_ctx *c, const pv_yulu *y, int64_t *id);
typedef struct pv_yulu_filter {
    char lo[16], hi[17];
    bool covered;
    const char *school_year;
    int64_t person_id, household_id;
    int64_t limit, offset;
} pv_yulu_filter;
typedef int (*pv_yulu_fn)(jc_ctx *c, const pv_yulu *y, void *arg);
int db_pv_yulu_list(jc_ctx *c, const pv_yulu_filter *f, pv_yulu_fn fn, void *arg, int64_t *total,
                    int64_t *annual_sum, int64_t *paid_sum);
int db_pv_yulu_pay(jc_ctx *c, int64_t id, int64_t amount);
int db_pv_yulu_payment_insert(jc_ctx *c, int64_t yulu_id, int64_t semester, int64_t amount,
                              const char *on, const char *voucher, int64_t *id);
int db_pv_yulu_payments(jc_ctx *c, int64_t yulu_id, json_t **out);

json_t *pv_project_json(jc_ctx *c, const pv_project *p);
int pv_project_read(jc_ctx *c, int64_t id, pv_project *p);
int pv_project_create(jc_ctx *c, pv_project *p, int64_t *id);
/* Fields present in `ch` (non-NULL, or >= 0 for numbers) are changed. */
int pv_project_edit(jc_ctx *c, int64_t id, int64_t version, const pv_project *ch,
                    bool clear_actual_end);
int pv_source_create(jc_ctx *c, pv_source *s, int64_t *id);
int pv_allocate(jc_ctx *c, int64_t source_id, int64_t project_id, int64_t amount, const char *on,
                const char *note, int64_t *id);
int pv_disburse(jc_ctx *c, int64_t allocation_id, const char *voucher, const char *payee,
                const char *on, int64_t amount, const char *note, int64_t *id);
json_t *pv_yulu_json(jc_ctx *c, const pv_yulu *y, bool pii);
/* Why a person may (or may not) receive 雨露计划: JC_OK with the basis, or JC_EUNPROC with the
 * reason (code not_eligible). */
int pv_yulu_eligible(jc_ctx *c, int64_t person_id, pv_person *p, pv_household *h,
                     const char **basis);
typedef struct pv_yulu_in {
    int64_t person_id;
    const char *school_year, *school, *major, *level, *enrolled_on;
    bool full_time;
} pv_yulu_in;
int pv_yulu_apply(jc_ctx *c, const pv_yulu_in *in, int64_t *id);
int pv_yulu_read(jc_ctx *c, int64_t id, pv_yulu *y);
int pv_yulu_pay(jc_ctx *c, int64_t id, int64_t semester, const char *on, const char *voucher,
                int64_t *payment_id);

/* ---- import and export (poverty_import.c) ---- */
typedef enum pv_import_kind { PV_IMPORT_HOUSEHOLDS, PV_IMPORT_PERSONS } pv_import_kind;
typedef struct pv_import_report {
    int64_t rows, errors;
    json_t *problems; /* [{line, field, message, message_zh}] up to a limit (owned by the arena) */
    int64_t created;
} pv_import_report;
/* Reads a table (tab_reader) twice: validates every row (collecting up to max_problems problems),
 * then, when all are valid and not dry_run, writes them in one transaction with one audit
 * record. progress(arg, done, total, rows) is called now and then (may be NULL). */
struct tab_reader;
typedef void (*pv_progress_fn)(void *arg, int64_t done, int64_t total, int64_t rows);
int pv_import(jc_ctx *c, pv_import_kind kind, const void *data, size_t len, const char *path,
              const char *source_name, bool dry_run, pv_import_report *rep, pv_progress_fn progress,
              void *progress_arg);
/* Any filtered list as .xlsx bytes (malloc'd; the caller frees). Personal data is masked for
 * roles that may not see it. The filters' limit and offset are overwritten. */
int pv_export_households(jc_ctx *c, pv_hh_filter *f, void **data, size_t *len);
int pv_export_persons(jc_ctx *c, pv_person_filter *f, void **data, size_t *len);
int pv_export_projects(jc_ctx *c, pv_project_filter *f, void **data, size_t *len);
int pv_export_disbursements(jc_ctx *c, const char *lo, const char *hi, bool covered,
                            int64_t project_id, int64_t source_id, void **data, size_t *len);
int pv_export_yulu(jc_ctx *c, pv_yulu_filter *f, void **data, size_t *len);
#define PV_NCOMMANDS 3 /* poverty_commands[] in poverty_import.c */

int poverty_demo(jc_ctx *c);

#endif
