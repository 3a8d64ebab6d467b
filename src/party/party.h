/* party.h — 两新 party building (文化路街道): the registry of new economic and social organizations
 * (两新组织), the party organizations set up in them (党委 / 党总支 / 党支部 / 联合党支部) and
 * their incubation 孵化中 → 筹建 → 已成立, members and the 发展党员 pipeline, dues, coverage
 * (组织覆盖率, 单独组建率) with time travel through the audit log, the rule warnings of DOMAIN.md,
 * instructors stationed at demonstration points, the 三向服务清单 and joint meetings.
 *
 * Files: party_rules.c (pure rules: pipeline, dues, terms, thresholds — no database),
 * party_db.c (all SQL and the migrations), party.c (registry writes: units, organizations,
 * members), party_cov.c (coverage, warnings, map), party_work.c (incubation, instructors,
 * services, meetings), party_io.c (import and export), party_api.c (handlers and the module),
 * party_demo.c, party_cli.c (`jiceng party fill`). */
#ifndef JC_PARTY_H
#define JC_PARTY_H

#include "../base/jw.h"
#include "../kernel/kernel.h"

/* ---- enumerations (code, zh, en); parallel tables in party_rules.c ---- */

struct party_enum {
    const char *code, *zh, *en;
};

enum party_unit_kind { UNIT_ECONOMIC, UNIT_SOCIAL, UNIT_KIND__MAX };
enum party_unit_status { UNIT_OPERATING, UNIT_CLOSED, UNIT_STATUS__MAX };
enum party_org_kind {
    ORG_COMMITTEE,
    ORG_GENERAL_BRANCH,
    ORG_BRANCH,
    ORG_JOINT_BRANCH,
    ORG_KIND__MAX
};
enum party_org_setting { SETTING_SINGLE, SETTING_JOINT, SETTING__MAX };
enum party_stage {
    STAGE_APPLICANT,    /* 入党申请人 */
    STAGE_ACTIVIST,     /* 入党积极分子 */
    STAGE_CANDIDATE,    /* 发展对象 */
    STAGE_PROBATIONARY, /* 预备党员 */
    STAGE_FULL,         /* 正式党员 */
    STAGE__MAX
};
enum party_dues_category { DUES_REGULAR, DUES_STUDENT, DUES_UNEMPLOYED, DUES_DIBAO, DUES__MAX };
enum party_incubation_path { PATH_TRAIN, PATH_TRANSFER, PATH_HIRE, PATH__MAX };
enum party_service_list { LIST_OFFICE, LIST_ENTERPRISE, LIST_NEED, LIST__MAX };

extern const struct party_enum party_unit_kinds[UNIT_KIND__MAX];
extern const struct party_enum party_unit_statuses[UNIT_STATUS__MAX];
extern const struct party_enum party_org_kinds[ORG_KIND__MAX];
extern const struct party_enum party_org_settings[SETTING__MAX];
extern const struct party_enum party_stages[STAGE__MAX];
extern const struct party_enum party_dues_categories[DUES__MAX];
extern const struct party_enum party_paths[PATH__MAX];
extern const struct party_enum party_lists[LIST__MAX];

/* index of code in a table of n entries, or -1 */
int party_enum_find(const struct party_enum *t, int n, const char *code);
/* NULL-terminated list of the codes (static), for FT_ENUM field specs */
extern const char *const party_unit_kind_codes[],
    *const party_unit_status_codes[],
        *const party_org_kind_codes[],
            *const party_org_setting_codes[],
                *const party_stage_codes[],
                    *const party_dues_codes[], *const party_path_codes[], *const party_list_codes[];

extern const wf_def party_org_wf;   /* 孵化中 → 筹建 → 已成立 → 撤销 */
extern const wf_def party_match_wf; /* 已对接 → 实施中 → 已完成 (or 已取消) */

/* ---- pure rules (party_rules.c) ----
 * Every limit comes from configuration (party_limits_load); the functions take them as data so
 * that unit tests can check each rule without a database. */

typedef struct party_band {
    int64_t up_to_fen; /* inclusive upper bound of the monthly base; -1 = no bound */
    int64_t permille;  /* rate in ‰ (0.5% = 5) */
} party_band;

#define PARTY_MAX_BANDS 12

typedef struct party_limits {
    int64_t branch_min_formal;  /* 3: a unit with this many formal members sets up its own branch */
    int64_t joint_max_units;    /* 5: units a joint branch generally covers */
    int64_t branch_max_members; /* 50: a 党支部 generally has at most this many members */
    int64_t committee_members;  /* 100: from this many members, a 基层党委 */
    int64_t committee_formal;   /* 7: formal members from which a branch elects a 支委会 */
    int64_t committee_min;      /* 3 */
    int64_t committee_max;      /* 7: "3 to 5, generally not more than 7" */
    int64_t term_years[ORG_KIND__MAX];
    int64_t term_years_village;                         /* 村/社区 党组织 */
    int64_t min_age;                                    /* 18 */
    int64_t activist_months;                            /* 12: 入党积极分子 培养考察 */
    int64_t probation_months;                           /* 12 */
    int64_t extension_min_months, extension_max_months; /* 6 … 12 */
    int64_t introducers;                                /* 2 */
    party_band bands[PARTY_MAX_BANDS];
    int nbands;
    int64_t flat_fen[DUES__MAX]; /* fixed monthly dues of students, unemployed, 低保; -1 = banded */
} party_limits;

/* The configuration (arena-free: copies numbers). Defaults when a key is unset. */
void party_limits_load(jc_ctx *c, party_limits *L);
/* The defaults alone (tests). */
void party_limits_default(party_limits *L);

/* Monthly dues in fen for an after-tax monthly base in fen (2008 rules: bands with inclusive
 * upper bounds; fixed amounts for students, the unemployed and 低保 recipients). Rounded half up
 * to the fen. */
int64_t party_dues_fen(const party_limits *L, int category, int64_t base_fen);
/* The band used for a base (index), or -1 for a fixed category. */
int party_dues_band(const party_limits *L, int category, int64_t base_fen);

/* Calendar helpers on YYYY-MM-DD: the date `months` later (when that day does not exist in the
 * month, the first day of the next month: the period has fully elapsed then). */
bool party_add_months(const char *date, int64_t months, char out[11]);
/* Completed years of age on `on` for a birth date. */
int party_age_on(const char *birth, const char *on);

/* Why a pipeline step is refused: which rule, its source, and the first date it may proceed
 * ("" when no date helps). Messages are filled in English and Chinese (static buffers of the
 * caller). */
typedef struct party_refusal {
    const char *code;    /* machine code: stage_order, too_young, activist_period, … */
    const char *rule_zh; /* the rule in words */
    const char *rule_en;
    const char *source; /* 党章第五条 … */
    char earliest[11];  /* YYYY-MM-DD or "" */
    const char *field;  /* the input at fault */
} party_refusal;

/* The dates of a member's stages (NULL when not reached). */
typedef struct party_stage_dates {
    const char *on[STAGE__MAX];
    int64_t extension_months;
} party_stage_dates;

/* A member's stage chain checked as a whole (registration of a member at any stage, with the
 * dates of every earlier stage): order, not in the future, durations, age. OK → true. */
bool party_chain_check(const party_limits *L, const char *birth, int stage,
                       const party_stage_dates *d, const char *today, party_refusal *why);
/* One step forward from `from` to `to` on `date`. */
bool party_step_check(const party_limits *L, const char *birth, int from, int to,
                      const party_stage_dates *d, const char *date, const char *today,
                      party_refusal *why);
/* Extending the probation by `months` on `date`. */
bool party_extend_check(const party_limits *L, int stage, const party_stage_dates *d,
                        int64_t months, const char *date, const char *today, party_refusal *why);
/* End of probation (the day conversion is possible): probationary_on + probation + extension. */
bool party_probation_end(const party_limits *L, const party_stage_dates *d, char out[11]);

/* Term end of an organization from its start (kind and village decide the years). */
bool party_term_end(const party_limits *L, int kind, bool village, const char *start, char out[11]);

/* ---- the rule warnings (DOMAIN.md), each naming its rule and source ---- */
enum party_rule {
    RULE_UNIT_NEEDS_BRANCH,   /* ≥3 formal members, no own branch */
    RULE_JOINT_OVER_LIMIT,    /* joint branch covering more than 5 units */
    RULE_BRANCH_TOO_LARGE,    /* 党支部 with more than 50 members: should be a 总支 */
    RULE_NEEDS_COMMITTEE,     /* ≥100 members: should be a 基层党委 */
    RULE_NO_BRANCH_COMMITTEE, /* ≥7 formal members and no 支委会 (or one of the wrong size) */
    RULE_TERM_DUE,            /* term ended: 换届 due */
    RULE_PROBATION_OVERDUE,   /* probationary member past the probation, not converted */
    RULE_UNIT_UNPLANNED,      /* no members and no incubation plan */
    RULE__MAX
};

struct party_rule_info {
    const char *code, *zh, *en, *source;
};
extern const struct party_rule_info party_rules[RULE__MAX];

/* The single-record decisions behind the warnings. */
bool party_rule_unit_needs_branch(const party_limits *L, int64_t formal, bool has_own);
bool party_rule_joint_over(const party_limits *L, int setting, int64_t units);
/* RULE_BRANCH_TOO_LARGE, RULE_NEEDS_COMMITTEE or -1 */
int party_rule_size(const party_limits *L, int kind, int64_t members);
bool party_rule_committee(const party_limits *L, int kind, int64_t formal, int64_t committee);
/* term_end may be "" (then computed from term_start); due receives the end date. */
bool party_rule_term_due(const party_limits *L, int kind, bool village, const char *term_start,
                         const char *term_end, const char *today, char due[11]);
bool party_rule_probation_overdue(const party_limits *L, const party_stage_dates *d,
                                  const char *today, char due[11]);
bool party_rule_unit_unplanned(int64_t members, bool has_org, bool has_plan);

/* ---- records ---- */

typedef struct party_unit {
    int64_t id;
    const char *area_code, *area_name;
    const char *name, *credit_code;
    bool credit_warn;
    const char *kind, *category, *address;
    bool has_pos;
    double lat, lng;
    int64_t employees;
    const char *status, *contact_name, *contact_phone;
    int64_t version, created_at, updated_at;
    /* joined: the organization covering the unit (0 = none), members working there, the plan */
    int64_t org_id;
    const char *org_name, *org_kind, *org_setting, *org_status;
    int64_t formal, probationary, pipeline;
    bool has_plan;
    const char *plan_path, *plan_next_step, *plan_target_date, *plan_instructor_name;
    int64_t plan_instructor_id, plan_version;
} party_unit;

typedef struct party_org {
    int64_t id;
    const char *area_code, *area_name;
    const char *name, *kind, *setting, *status;
    const char *established_on, *dissolved_on; /* NULL when not */
    int64_t parent_id;
    const char *parent_name;
    const char *secretary;
    const char *committee; /* JSON array text [{"name","duty"}] */
    bool village;
    const char *term_start, *term_end; /* NULL when not set */
    const char *joint_override;        /* why a joint branch covers more units than the rule */
    int64_t version, created_at, updated_at;
    /* counted */
    int64_t nunits, members, formal, probationary;
} party_org;

typedef struct party_member {
    int64_t id;
    const char *area_code, *area_name;
    const char *name, *citizen_id, *phone, *birth_date;
    int64_t sex;
    int64_t unit_id, org_id;
    const char *unit_name, *org_name;
    const char *stage, *status;
    party_stage_dates dates;
    int64_t introducer_id[2];
    const char *introducer_name[2];
    const char *dues_category;
    int64_t income_fen;
    int64_t version, created_at, updated_at;
} party_member;

/* list filters: area range as area_filter() gives it, and the rest optional */
typedef struct party_filter {
    char lo[16], hi[17];
    bool covered;
    const char *q, *category, *kind, *status, *coverage, *stage, *list, *state;
    int64_t org_id, unit_id, instructor_id, parent_id, need_id, offer_id;
    bool pii;              /* the caller may search by citizen ID */
    int64_t limit, offset; /* limit 0 = every row (internal walks) */
} party_filter;

/* ---- party_db.c: all SQL ---- */
extern const store_migration party_migrations[];
extern const unsigned party_nmigrations;

int db_party_unit_get(jc_ctx *c, int64_t id, party_unit *u);
int db_party_unit_by_code(jc_ctx *c, const char *credit_code, int64_t *id); /* 0 when none */
int db_party_unit_insert(jc_ctx *c, const party_unit *u, int64_t *id);
int db_party_unit_update(jc_ctx *c, const party_unit *u, int64_t version);
typedef int (*party_unit_fn)(jc_ctx *c, const party_unit *u, void *arg);
int db_party_unit_list(jc_ctx *c, const party_filter *f, party_unit_fn fn, void *arg,
                       int64_t *total);

int db_party_org_get(jc_ctx *c, int64_t id, party_org *o);
int db_party_org_insert(jc_ctx *c, const party_org *o, int64_t *id);
int db_party_org_update(jc_ctx *c, const party_org *o, int64_t version);
typedef int (*party_org_fn)(jc_ctx *c, const party_org *o, void *arg);
int db_party_org_list(jc_ctx *c, const party_filter *f, party_org_fn fn, void *arg, int64_t *total);
/* unit ids covered by an organization, in order (arena array) */
int db_party_org_units(jc_ctx *c, int64_t org_id, int64_t **ids, int *n);
/* The organization covering a unit (0 = none) */
int db_party_unit_org(jc_ctx *c, int64_t unit_id, int64_t *org_id);
int db_party_org_link(jc_ctx *c, int64_t org_id, int64_t unit_id, const char *since);
int db_party_org_unlink_all(jc_ctx *c, int64_t org_id);
int db_party_org_children(jc_ctx *c, int64_t org_id, json_t *out);

int db_party_member_get(jc_ctx *c, int64_t id, party_member *m);
int db_party_member_by_cid(jc_ctx *c, const char *citizen_id, int64_t *id);
int db_party_member_insert(jc_ctx *c, const party_member *m, int64_t *id);
int db_party_member_update(jc_ctx *c, const party_member *m, int64_t version);
typedef int (*party_member_fn)(jc_ctx *c, const party_member *m, void *arg);
int db_party_member_list(jc_ctx *c, const party_filter *f, party_member_fn fn, void *arg,
                         int64_t *total);
int db_party_transfer_insert(jc_ctx *c, int64_t member_id, const char *area, const char *on,
                             const char *direction, int64_t from_org, const char *from_text,
                             int64_t to_org, const char *to_text, int64_t from_unit,
                             int64_t to_unit, const char *note, int64_t *id);
int db_party_transfers(jc_ctx *c, int64_t member_id, json_t *out);
int db_party_dues_insert(jc_ctx *c, int64_t member_id, const char *area, const char *month,
                         int64_t base_fen, int64_t due_fen, int64_t paid_fen, const char *paid_on,
                         const char *note, int64_t *id);
int db_party_dues_list(jc_ctx *c, int64_t member_id, json_t *out);
/* per org and month: members expected, paid, amounts */
int db_party_dues_summary(jc_ctx *c, const party_filter *f, const char *month, json_t *out);

/* incubation plans */
typedef struct party_plan {
    int64_t unit_id;
    const char *area_code, *path, *next_step, *target_date;
    int64_t instructor_id;
    const char *instructor_name;
    int64_t version, updated_at;
} party_plan;
int db_party_plan_get(jc_ctx *c, int64_t unit_id, party_plan *p); /* JC_ENOTFOUND quietly */
int db_party_plan_upsert(jc_ctx *c, const party_plan *p, int64_t version);
int db_party_board(jc_ctx *c, const party_filter *f, json_t *items, int64_t *total);

/* instructors, demonstration points, visits */
int db_party_station_insert(jc_ctx *c, const char *area, int64_t unit_id, int64_t instructor_id,
                            const char *goal, const char *since, int64_t *id);
int db_party_station_get(jc_ctx *c, int64_t id, json_t **out, const char **area, int64_t *version);
int db_party_station_update(jc_ctx *c, int64_t id, int64_t version, const char *goal,
                            const char *until);
int db_party_station_list(jc_ctx *c, const party_filter *f, json_t *items, int64_t *total);
/* true when the instructor is stationed at the unit now */
int db_party_station_active(jc_ctx *c, int64_t unit_id, int64_t instructor_id, bool *yes);
int db_party_point_get(jc_ctx *c, int64_t id, json_t **out, const char **area, int64_t *version);
int db_party_point_insert(jc_ctx *c, const char *township, const char *category, int64_t unit_id,
                          const char *area, const char *chosen_on, const char *note, int64_t *id);
int db_party_point_update(jc_ctx *c, int64_t id, int64_t version, int64_t unit_id, const char *area,
                          const char *chosen_on, const char *note);
int db_party_point_list(jc_ctx *c, const party_filter *f, json_t *items);
int db_party_visit_insert(jc_ctx *c, const char *area, int64_t unit_id, int64_t instructor_id,
                          const char *on, const char *kind, const char *summary, const char *advice,
                          const char *outcome, int64_t *id);
int db_party_visit_list(jc_ctx *c, const party_filter *f, json_t *items, int64_t *total);

/* services and matches */
int db_party_service_insert(jc_ctx *c, const char *area, const char *list, const char *title,
                            const char *description, const char *provider, int64_t unit_id,
                            const char *contact, int64_t *id);
int db_party_service_get(jc_ctx *c, int64_t id, json_t **out);
int db_party_service_update(jc_ctx *c, int64_t id, int64_t version, const char *title,
                            const char *description, const char *provider, const char *contact,
                            bool active);
int db_party_service_list(jc_ctx *c, const party_filter *f, json_t *items, int64_t *total);
int db_party_match_insert(jc_ctx *c, const char *area, int64_t need_id, int64_t offer_id,
                          const char *on, const char *note, int64_t *id);
int db_party_match_get(jc_ctx *c, int64_t id, json_t **out);
int db_party_match_update(jc_ctx *c, int64_t id, int64_t version, const char *state,
                          const char *done_on, const char *outcome, int64_t beneficiaries);
int db_party_match_list(jc_ctx *c, const party_filter *f, json_t *items, int64_t *total);
/* an open (matched or in progress) or done match of the need: its id, or 0 */
int db_party_need_busy(jc_ctx *c, int64_t need_id, int64_t *match_id);

/* joint meetings */
int db_party_meeting_insert(jc_ctx *c, const char *area, const char *title, const char *held_on,
                            const char *place, const char *host, const char *attendees,
                            const char *decisions, const char *minutes, int64_t *id);
int db_party_meeting_get(jc_ctx *c, int64_t id, json_t **out);
int db_party_meeting_update(jc_ctx *c, int64_t id, int64_t version, const char *title,
                            const char *held_on, const char *place, const char *host,
                            const char *attendees, const char *decisions, const char *minutes);
int db_party_meeting_list(jc_ctx *c, const party_filter *f, json_t *items, int64_t *total);

/* coverage, live */
typedef struct party_coverage {
    int64_t units_total, operating, own, joint, closed;
    int64_t needs_branch; /* operating units with ≥3 formal members and no own organization */
    int64_t no_members;   /* operating units where no party member works */
    int64_t orgs[4];      /* by status: incubating, preparing, established, dissolved */
    int64_t established_this_year;
    int64_t members[STAGE__MAX];
} party_coverage;
int db_party_coverage(jc_ctx *c, const party_filter *f, int64_t min_formal, const char *year_from,
                      const char *year_to, party_coverage *out);
/* coverage from the audit log: the latest snapshot of each record written up to `until` */
typedef int (*party_snapshot_fn)(jc_ctx *c, const char *entity_id, const char *area, json_t *after,
                                 void *arg);
int db_party_snapshots(jc_ctx *c, const char *entity, int64_t until, const char *lo, const char *hi,
                       party_snapshot_fn fn, void *arg);

/* areas of a range with their boundaries, for the map */
int db_party_map_areas(jc_ctx *c, const char *lo, const char *hi, json_t *out);

/* areas by name (imports accept a community's name) */
int db_party_area_by_name(jc_ctx *c, const char *name, char code[16], int *matches);
int db_party_user_name(jc_ctx *c, int64_t id, const char **name, unsigned *roles);
/* enabled party instructors granted an area: [{id, name}] */
int db_party_instructors(jc_ctx *c, const char *area, json_t *out);
/* a larger page cache for loading bench data (SQLite) */
int db_party_bulk_tuning(jc_ctx *c);
/* SELECT count(*) FROM party_members: the bench's baseline */
int db_party_count_members(jc_ctx *c, int64_t *n);
/* the codes of the areas right below `parent` (bench data) */
int db_party_child_areas(jc_ctx *c, const char *parent, char (*codes)[16], int max, int *n);

/* ---- party.c: registry ---- */
bool party_may_see_personal(jc_ctx *c);
int party_check_area(jc_ctx *c, const char *code, const char *field);
int party_check_category(jc_ctx *c, const char *category, const char *field);

json_t *party_unit_json(jc_ctx *c, const party_unit *u);
json_t *party_org_json(jc_ctx *c, const party_org *o);
json_t *party_member_json(jc_ctx *c, const party_member *m);
json_t *party_unit_audit(jc_ctx *c, const party_unit *u);

int party_unit_read(jc_ctx *c, int64_t id, party_unit *u);
/* *warn is set when the credit code's check character fails (accepted: early pilot codes) */
int party_unit_create(jc_ctx *c, party_unit *u, int64_t *id);
int party_unit_edit(jc_ctx *c, int64_t id, int64_t version, const party_unit *ch, bool clear_pos);
/* Inserts with its audit record; the caller holds the transaction (import, demo). */
int party_unit_insert_tx(jc_ctx *c, party_unit *u, int64_t *id);

int party_org_read(jc_ctx *c, int64_t id, party_org *o);
int party_org_create(jc_ctx *c, party_org *o, const int64_t *unit_ids, int nunits,
                     const char *override_reason, int64_t *id);
/* non-NULL members of ch change; village NULL = unchanged */
int party_org_edit(jc_ctx *c, int64_t id, int64_t version, const party_org *ch, bool clear_parent,
                   const bool *village);
int party_org_set_units(jc_ctx *c, int64_t id, int64_t version, const int64_t *unit_ids, int nunits,
                        const char *override_reason);
/* prepare / establish (date) / dissolve (reason) */
int party_org_transition(jc_ctx *c, int64_t id, int64_t version, const char *action,
                         const char *date, const char *reason);

int party_member_read(jc_ctx *c, int64_t id, party_member *m);
/* transfer_in_from: the organization outside the jurisdiction the member comes from (NULL when
 * the person is registered here first); recorded as a transfer in */
int party_member_create(jc_ctx *c, party_member *m, const char *transfer_in_from, int64_t *id);
int party_member_edit(jc_ctx *c, int64_t id, int64_t version, const party_member *ch);
/* advance to the next stage on `date` (introducers for 预备党员) or extend the probation */
int party_member_advance(jc_ctx *c, int64_t id, int64_t version, const char *to, const char *date,
                         const int64_t *introducers, int nintro);
int party_member_extend(jc_ctx *c, int64_t id, int64_t version, int64_t months, const char *date,
                        const char *reason);
/* to another branch (to_org > 0) or out of the jurisdiction (to_text) */
int party_member_transfer(jc_ctx *c, int64_t id, int64_t version, int64_t to_org, int64_t to_unit,
                          const char *to_text, const char *date, const char *note);
int party_dues_pay(jc_ctx *c, int64_t member_id, const char *month, const int64_t *paid_fen,
                   const char *paid_on, const char *note, int64_t *id);

/* ---- party_cov.c ---- */
/* as_of NULL = now (from the tables); a date = from the audit log up to the end of that day */
int party_coverage_json(jc_ctx *c, const party_filter *f, const char *area, const char *as_of,
                        json_t **out);
int party_warnings(jc_ctx *c, const party_filter *f, const char *rule, json_t **items);
int party_map_json(jc_ctx *c, const party_filter *f, const char *category, json_t **out);

/* ---- party_work.c ---- */
int party_plan_set(jc_ctx *c, int64_t unit_id, int64_t version, const char *path,
                   const int64_t *instructor_id, bool clear_instructor, const char *next_step,
                   const char *target_date, bool clear_target, const char *note);
int party_station_create(jc_ctx *c, int64_t unit_id, int64_t instructor_id, const char *goal,
                         const char *since, int64_t *id);
int party_station_edit(jc_ctx *c, int64_t id, int64_t version, const char *goal, const char *until);
int party_point_set(jc_ctx *c, const char *category, int64_t unit_id, const char *chosen_on,
                    const char *note, int64_t *id);
int party_visit_create(jc_ctx *c, int64_t unit_id, const char *on, const char *kind,
                       const char *summary, const char *advice, const char *outcome, int64_t *id);
int party_service_create(jc_ctx *c, const char *area, const char *list, const char *title,
                         const char *description, const char *provider, int64_t unit_id,
                         const char *contact, int64_t *id);
int party_service_edit(jc_ctx *c, int64_t id, int64_t version, const char *title,
                       const char *description, const char *provider, const char *contact,
                       const bool *active);
int party_match_create(jc_ctx *c, int64_t need_id, int64_t offer_id, const char *on,
                       const char *note, int64_t *id);
int party_match_transition(jc_ctx *c, int64_t id, int64_t version, const char *action,
                           const char *note, const char *reason, const int64_t *beneficiaries,
                           const char *date);
int party_meeting_save(jc_ctx *c, int64_t id, int64_t version, const char *area, const char *title,
                       const char *held_on, const char *place, const char *host, json_t *attendees,
                       json_t *decisions, const char *minutes, int64_t *out_id);

/* ---- party_io.c: import and export ---- */
/* Checks every row of a table (CSV UTF-8/GBK or XLSX) and, unless dry_run, writes all of them in
 * one transaction. A report {format, rows, valid, errors[], warnings[]} is returned in both
 * cases; a table with any bad row writes nothing (JC_EUNPROC import_invalid with the report). */
int party_import_units(jc_ctx *c, const void *data, size_t len, bool dry_run, json_t **report);
int party_import_template(jc_ctx *c, void **data, size_t *len);
/* An .xlsx of a list (malloc'd bytes) */
int party_export_units(jc_ctx *c, const party_filter *f, void **data, size_t *len);
int party_export_orgs(jc_ctx *c, const party_filter *f, void **data, size_t *len);
int party_export_members(jc_ctx *c, const party_filter *f, void **data, size_t *len);
int party_export_warnings(jc_ctx *c, const party_filter *f, const char *rule, void **data,
                          size_t *len);

int party_demo(jc_ctx *c);

#define PARTY_NCONFIG 8
extern const config_def party_config[PARTY_NCONFIG];
extern const unsigned party_nconfig;

/* `jiceng party fill` (bench data) and `jiceng party bench` (timings): party_cli.c */
int party_cli_fill(int argc, char **argv);
int party_cli_bench(int argc, char **argv);

#endif
