/* cases.h — city management of 陇海马路街道: roads and their chiefs (路长制: 总路长 / 一级路长 /
 * 二级路长 with 包秩序、包卫生、包立面), the three teams, patrol logs and their compliance, cases
 * on the closed loop 受理 → 派单/定责 → 处置 → 核查 → 办结 (from residents over Open311 GeoReport
 * v2, patrols, site inspections or staff), duplicates, moderation, photos, residents' evaluation,
 * and the construction-site inspections "8个100%".
 *
 * Files: cases_db.c (all SQL and the migrations), cases.c (cases: routing, loop, duplicates,
 * merge, moderation, photos, evaluation), roads.c (roads, chiefs, teams, patrols, compliance),
 * sites.c (sites, checklists, inspections), reports.c, open311.c (the public Open311 API),
 * cases_api.c (handlers, routes, module), cases_demo.c, cases_cli.c, cases_util.c. */
#ifndef JC_CASES_H
#define JC_CASES_H

#include "../base/jw.h"
#include "../http/http.h"
#include "../kernel/kernel.h"
#include "cases_util.h"

/* ---- configuration (cases_config.c) ---- */

#define CASES_NCONFIG 17
extern const config_def cases_config[CASES_NCONFIG];

/* A service (category) of config cases.services. Strings and attributes belong to the request. */
typedef struct case_service {
    const char *code, *name, *name_en, *group, *description, *keywords;
    const char *team; /* one of cases.team_kinds: the kind of team that handles it */
    const char *duty; /* one of cases.chief_duties: which road chief duty it falls under */
    int64_t limit_hours;
    bool is_public;
    json_t *attributes; /* Open311 attribute definitions (array), never NULL */
} case_service;

/* Every configured service (arena), in configuration order. */
int cases_services(jc_ctx *c, case_service **out, int *n);
/* The service of a code; JC_EINVAL naming `field` when there is none. */
int cases_service_get(jc_ctx *c, const char *code, const char *field, case_service *out);

typedef struct service_area {
    const char *name;
    double min_lat, max_lat, min_lng, max_lng;
} service_area;
void cases_service_area(jc_ctx *c, service_area *out);
/* JC_OK, or 400 naming field `lat`/`lng` with the range and the area's name. */
int cases_check_location(jc_ctx *c, double lat, double lng, const char *lat_field,
                         const char *lng_field);

/* Patrol frequency of a chief level: "day", "week", "half_month" or "month". */
const char *cases_level_frequency(jc_ctx *c, const char *level);

/* ---- chief levels ---- */
typedef struct chief_level {
    const char *code, *zh, *en;
} chief_level;
extern const chief_level chief_levels[3]; /* general 总路长, first 一级路长, second 二级路长 */
const chief_level *chief_level_find(const char *code);

/* ---- the case loop ---- */

extern const wf_def case_wf;
#define CASE_CHIEF_ACTION (1u << 8) /* a transition taken by the responsible chief (or staff) */

typedef struct case_rec {
    int64_t id;
    const char *area_code, *area_name;
    const char *service_code, *service_name, *source;
    const char *description, *public_description; /* public_description: moderated, or NULL */
    bool hidden;
    const char *hidden_reason;
    const char *attributes; /* JSON object text, or NULL */
    bool has_pos;
    double lat, lng;
    const char *address;
    int64_t road_id;
    const char *road_name;
    int64_t chief_id;
    const char *chief_name, *chief_level;
    int64_t chief_user_id;
    int64_t team_id;
    const char *team_name;
    int64_t assignee_id;
    const char *assignee_name;
    int64_t site_id, inspection_id, patrol_id;
    const char *reporter_name, *reporter_phone, *reporter_email;
    bool anonymous;
    const char *client_addr;
    const char *state;
    int64_t deadline_at, suspended_at, merged_into;
    const char *last_note, *reply, *last_reason;
    int64_t reopen_count;
    int64_t created_by, created_at, updated_at, closed_at, dispatched_at, version;
} case_rec;

enum case_sort { CASE_SORT_NEW, CASE_SORT_OLD, CASE_SORT_DEADLINE, CASE_SORT_UPDATED };

typedef struct case_filter {
    char lo[16], hi[17];
    bool covered;
    int64_t states; /* bits in the order of case_wf.states; 0 = any */
    const char *service, *source, *q;
    int64_t road_id, team_id, chief_id, assignee_id, site_id;
    bool overdue_only, hidden_only, include_hidden;
    int64_t from, to; /* created_at range [from, to), 0 = open */
    enum case_sort sort;
    int64_t limit, offset;
} case_filter;

/* What a staff member or a resident sends to create a case. */
typedef struct case_input {
    const char *service_code, *description, *address, *source, *attributes_json;
    bool has_pos;
    double lat, lng;
    int64_t road_id, site_id, inspection_id, patrol_id, assignee_id;
    const char *area_code; /* NULL: from the road, else cases.intake_area */
    const char *reporter_name, *reporter_phone, *reporter_email, *device_id, *account_id;
    bool anonymous;
    bool dispatch;     /* routed and dispatched at once (inspections, patrols, staff who ask) */
    const char *token; /* Open311 reports: the reporter's token (only its hash is stored) */
    bool public_report;
} case_input;

typedef struct case_photo_in {
    const void *data;
    size_t len;
    const char *type; /* sniffed */
    const char *stage;
} case_photo_in;

/* What a transition carries beyond the kernel's note/reason. */
typedef struct case_action_in {
    wf_input wf;
    const char *reply; /* the answer shown to the resident (status_notes) */
    int64_t chief_id, team_id, assignee_id, road_id; /* dispatch / redispatch overrides; 0 = keep */
    bool clear_assignee;
} case_action_in;

/* ---- cases_db.c ---- */
#define CASES_NMIGRATIONS 1
extern const store_migration cases_migrations[CASES_NMIGRATIONS];

int db_case_get(jc_ctx *c, int64_t id, case_rec *out);
int db_case_insert(jc_ctx *c, const case_rec *k, const char *token_hash, int64_t *id);
int db_case_update(jc_ctx *c, const case_rec *k, int64_t version);
typedef int (*case_fn)(jc_ctx *c, const case_rec *k, void *arg);
int db_case_list(jc_ctx *c, const case_filter *f, case_fn fn, void *arg, int64_t *total);
int db_case_by_token(jc_ctx *c, const char *token_hash, int64_t *id);
/* Open cases of one service in a latitude/longitude box (ids, lat, lng) for the duplicate check. */
typedef struct case_near {
    int64_t id;
    double lat, lng, dist;
} case_near;
int db_case_in_box(jc_ctx *c, const char *service, double lat_lo, double lat_hi, double lng_lo,
                   double lng_hi, int64_t except, case_near *out, int max, int *n);
int db_case_merged_ids(jc_ctx *c, int64_t into, json_t *ids);
/* Duplicates merged into `from` follow `to` from now on (one level of merging). */
int db_case_repoint_merged(jc_ctx *c, int64_t from, int64_t to);
/* true when the user is a member of the team */
int db_team_has_member(jc_ctx *c, int64_t team_id, int64_t user_id, bool *yes);
int db_case_count_from_addr(jc_ctx *c, const char *addr, int64_t since, int64_t *n,
                            int64_t *oldest);
int db_open311_lock_addr(jc_ctx *c, const char *addr);

int db_photo_insert(jc_ctx *c, int64_t case_id, const case_photo_in *p, const char *key,
                    int64_t *id);
int db_photo_count(jc_ctx *c, int64_t case_id, int64_t *n);
/* list of {id, stage, content_type, size, key, created_at} for a case */
int db_photo_list(jc_ctx *c, int64_t case_id, bool public_only, json_t *out);
/* bytes of a photo (arena copy); JC_ENOTFOUND */
int db_photo_get(jc_ctx *c, int64_t case_id, int64_t id, const char *key, const char **type,
                 const void **data, size_t *len, int64_t *owner_case);

int db_eval_insert(jc_ctx *c, int64_t case_id, int64_t source_case_id, int64_t cycle, bool resolved,
                   int64_t rating, const char *comment);
int db_eval_list(jc_ctx *c, int64_t case_id, json_t *out);
int db_eval_exists(jc_ctx *c, int64_t case_id, int64_t source_case_id, int64_t cycle, bool *yes);
/* public timeline of a case: [{at, action}] from the audit log */
int db_case_public_events(jc_ctx *c, int64_t id, json_t *out);

/* ---- cases.c ---- */
/* Reads a case the user may see (area check), or JC_ENOTFOUND / JC_EPERM. */
int case_read(jc_ctx *c, int64_t id, case_rec *out);
/* Creates a case: validates, routes (road → chief, team, deadline), stores its photo, appends
 * the audit record; with in->dispatch also dispatches it. All in one transaction. */
int case_create(jc_ctx *c, const case_input *in, const case_photo_in *photo, int64_t *id);
int case_edit(jc_ctx *c, int64_t id, int64_t version, const case_input *ch);
int case_transition(jc_ctx *c, int64_t id, int64_t version, const char *action,
                    const case_action_in *in);
int case_merge(jc_ctx *c, int64_t id, int64_t version, int64_t into, const char *reason);
int case_moderate(jc_ctx *c, int64_t id, int64_t version, const bool *hidden,
                  const char *public_description, bool clear_public_description,
                  const char *reason);
int case_add_photo(jc_ctx *c, int64_t id, const case_photo_in *p, int64_t *photo_id);
/* Evaluation by the reporter's token: resolved or not, a rating 1–5; 未解决 reopens. */
int case_evaluate(jc_ctx *c, const char *token, bool resolved, int64_t rating, const char *comment);
/* The case of a token (the token's own case, not the one it was merged into). */
int case_by_token(jc_ctx *c, const char *token, case_rec *out);
/* The case whose status a merged duplicate follows (itself when not merged). */
int case_effective(jc_ctx *c, const case_rec *k, case_rec *out);
/* Open cases of the same service within cases.duplicate_radius_m, nearest first (arena). */
int case_nearby(jc_ctx *c, const char *service, double lat, double lng, int64_t except,
                bool public_only, json_t **out);
/* true for the states Open311 calls open */
bool case_is_open(const char *state);
bool case_overdue(const case_rec *k, int64_t now);
/* Writes the case as the staff API shows it; detail adds photos, evaluations and actions;
 * the members of extra (may be NULL) are written last. */
int case_write(jw *w, jc_ctx *c, const case_rec *k, bool detail, json_t *extra);
/* The text Open311 shows as status_notes (arena): own is the case asked about, eff the one whose
 * status it follows (itself, or the original it was merged into) with that one's state, team,
 * reply to the resident and last reason. */
const char *case_status_notes(jc_ctx *c, int64_t own, int64_t eff, const char *state,
                              const char *team, const char *reply, const char *reason);

/* One request as Open311 shows it (cases_db.c), with the original's status when merged. */
typedef struct o311_row {
    int64_t id, created_at, updated_at, deadline_at, merged_into;
    const char *state, *service_code, *service_name, *description, *public_description;
    const char *address, *reply, *last_reason, *team_name, *area_name, *media_key, *media_type;
    bool has_pos;
    double lat, lng;
    const char *o_state, *o_reply, *o_reason, *o_team;
    int64_t o_updated, o_deadline;
} o311_row;
typedef struct o311_filter {
    int64_t from, to; /* created_at in [from, to) */
    const char *service;
    int status; /* 0 any, 1 open, 2 closed */
    int64_t limit, offset;
} o311_filter;
typedef int (*o311_fn)(jc_ctx *c, const o311_row *row, void *arg);
int db_open311_list(jc_ctx *c, const o311_filter *f, o311_fn fn, void *arg);
/* JC_ENOTFOUND when there is no such visible (not hidden) request */
int db_open311_one(jc_ctx *c, int64_t id, o311_fn fn, void *arg);
/* The public URL of a photo (arena), honouring cases.public_base_url. */
const char *case_media_url(jc_ctx *c, const char *key, const char *type);
/* token: 32 hex characters into out (33 bytes); hash: 64 hex of its SHA-256 */
void case_token_new(char out[33]);
void case_token_hash(const char *token, char out[65]);
/* Validates a photo against the configured limits: JC_EINVAL / JC_EMEDIA / JC_ETOOBIG naming
 * `field`. */
int case_photo_check(jc_ctx *c, const void *data, size_t len, const char *field, const char **type);
/* Checks Open311-style attributes (code → value) against the service definition and returns
 * them as compact JSON text (arena), or NULL when there are none. */
int case_check_attributes(jc_ctx *c, const case_service *s, json_t *given, const char *field,
                          const char **json_text);

/* ---- roads, chiefs, teams, patrols (roads.c) ---- */

typedef struct road_rec {
    int64_t id;
    const char *area_code, *area_name, *name, *description;
    const char *geometry; /* JSON [[lat,lng],…] or NULL */
    double *pts;          /* parsed geometry (arena), lat,lng pairs */
    int npts;
    int64_t length_m;
    bool active;
    int64_t version, created_at, updated_at;
} road_rec;

typedef struct chief_rec {
    int64_t id, road_id;
    const char *road_name, *area_code;
    const char *level, *name, *title, *phone;
    int64_t user_id;
    const char *user_name;
    const char *duties; /* JSON array text */
    const char *since;  /* YYYY-MM-DD appointed */
    bool active;
    int64_t version;
} chief_rec;

typedef struct team_rec {
    int64_t id;
    const char *area_code, *area_name, *name, *kind, *leader_name, *phone;
    bool active;
    int64_t version;
} team_rec;

int db_road_get(jc_ctx *c, int64_t id, road_rec *out);
int db_road_insert(jc_ctx *c, const road_rec *r, int64_t *id);
int db_road_update(jc_ctx *c, const road_rec *r, int64_t version);
/* roads of an area range (active only when active_only), by name */
int db_road_list(jc_ctx *c, const char *lo, const char *hi, bool covered, bool active_only,
                 road_rec **out, int *n);
int db_chief_get(jc_ctx *c, int64_t id, chief_rec *out);
int db_chief_insert(jc_ctx *c, const chief_rec *k, int64_t *id);
int db_chief_update(jc_ctx *c, const chief_rec *k, int64_t version);
/* chiefs of one road (road_id > 0) or of every road of an area range */
int db_chief_list(jc_ctx *c, int64_t road_id, const char *lo, const char *hi, bool covered,
                  chief_rec **out, int *n);
/* chief records linked to a user on a road */
int db_chief_of_user(jc_ctx *c, int64_t road_id, int64_t user_id, int64_t *chief_id);
int db_team_get(jc_ctx *c, int64_t id, team_rec *out);
int db_team_insert(jc_ctx *c, const team_rec *t, int64_t *id);
int db_team_update(jc_ctx *c, const team_rec *t, int64_t version);
int db_team_list(jc_ctx *c, const char *lo, const char *hi, bool covered, team_rec **out, int *n);
int db_team_members(jc_ctx *c, int64_t team_id, json_t *out);
int db_team_set_members(jc_ctx *c, int64_t team_id, const int64_t *ids, int n);
/* the team of a kind covering an area (deepest area first), 0 when none */
int db_team_for(jc_ctx *c, const char *kind, const char *area, int64_t *team_id);
int db_user_brief(jc_ctx *c, int64_t id, const char *area, const char **name, bool *ok);

json_t *road_json(jc_ctx *c, const road_rec *r);
json_t *chief_json(jc_ctx *c, const chief_rec *k, bool show_phone);
json_t *team_json(jc_ctx *c, const team_rec *t, bool show_phone);

/* Parses and checks a polyline (JSON array of [lat, lng]) inside the service area. */
int road_parse_geometry(jc_ctx *c, json_t *g, const char *field, double **pts, int *n);
int road_create(jc_ctx *c, road_rec *r, int64_t *id);
int road_edit(jc_ctx *c, int64_t id, int64_t version, const road_rec *ch, const bool *active,
              bool geometry_given);
int chief_create(jc_ctx *c, chief_rec *k, int64_t *id);
int chief_edit(jc_ctx *c, int64_t id, int64_t version, const chief_rec *ch, const bool *active,
               bool user_given);
int team_create(jc_ctx *c, team_rec *t, const int64_t *members, int nmembers, int64_t *id);
int team_edit(jc_ctx *c, int64_t id, int64_t version, const team_rec *ch, const bool *active,
              const int64_t *members, int nmembers, bool members_given);

/* Routing: the road of a location (given, nearest within cases.road_snap_m, or named in the
 * address), the chief of that road for the service's duty, the team of the service's kind. */
typedef struct case_route_out {
    int64_t road_id, chief_id, team_id;
    const char *area_code;
} case_route_out;
int case_route(jc_ctx *c, const case_service *s, int64_t road_id, bool has_pos, double lat,
               double lng, const char *address, const char *area_hint, case_route_out *out);

typedef struct patrol_row_in {
    const char *area, *patroller, *kind, *local_date, *findings, *track;
    int64_t road_id, chief_id, user_id, started_at, ended_at, distance_m;
} patrol_row_in;
int db_patrol_insert(jc_ctx *c, const patrol_row_in *in, int64_t *id);
int db_patrol_set_cases(jc_ctx *c, int64_t id, const char *case_ids);
int db_patrol_get(jc_ctx *c, int64_t id, json_t **out, const char **area);
int db_patrol_list(jc_ctx *c, const char *lo, const char *hi, bool covered, int64_t road_id,
                   int64_t chief_id, int64_t from, int64_t to, int64_t limit, int64_t offset,
                   json_t *items, int64_t *total);
/* {date: count} of one chief's patrols in [from, to] (local dates) */
int db_patrol_days(jc_ctx *c, int64_t chief_id, const char *from, const char *to, json_t *out);

typedef struct patrol_in {
    int64_t road_id, chief_id;
    const char *kind; /* day | night */
    int64_t started_at, ended_at;
    const char *findings;
    json_t *track;    /* [[lat,lng,epoch?],…] or NULL */
    json_t *problems; /* [{service_code, description, lat, lng, address}] → cases */
} patrol_in;
int patrol_create(jc_ctx *c, const patrol_in *in, int64_t *id);
int patrol_get(jc_ctx *c, int64_t id, json_t **out);
int patrol_list(jc_ctx *c, const char *lo, const char *hi, bool covered, int64_t road_id,
                int64_t chief_id, int64_t from, int64_t to, int64_t limit, int64_t offset,
                json_t **items, int64_t *total);
/* Per chief: patrols required by the level's frequency in [from, to] and periods covered. */
int patrol_compliance(jc_ctx *c, const char *lo, const char *hi, bool covered, const char *from,
                      const char *to, json_t **out);

/* ---- sites and inspections (sites.c) ---- */

typedef struct site_rec {
    int64_t id;
    const char *area_code, *area_name, *name, *builder, *address;
    bool has_pos;
    double lat, lng;
    int64_t area_m2;
    const char *start_date, *end_date;
    const char *supervisors; /* JSON [{title, name, phone, user_id}] */
    bool active;
    int64_t version, created_at;
} site_rec;

int db_site_get(jc_ctx *c, int64_t id, site_rec *out);
int db_site_insert(jc_ctx *c, const site_rec *s, int64_t *id);
int db_site_update(jc_ctx *c, const site_rec *s, int64_t version);
int db_site_list(jc_ctx *c, const char *lo, const char *hi, bool covered, json_t *out);
int db_checklist_current(jc_ctx *c, int64_t *version, const char **items, int64_t *created_at);
int db_checklist_get(jc_ctx *c, int64_t version, const char **items);
int db_checklist_insert(jc_ctx *c, int64_t version, const char *items, const char *note);
int db_checklist_list(jc_ctx *c, json_t *out);
int db_inspection_insert(jc_ctx *c, int64_t site_id, const char *area, int64_t checklist_version,
                         const char *kind, int64_t at, const char *results, int64_t passed,
                         int64_t failed, const char *note, int64_t *id);
int db_inspection_set_cases(jc_ctx *c, int64_t id, const char *case_ids);
int db_inspection_get(jc_ctx *c, int64_t id, json_t **out, const char **area);
int db_inspection_list(jc_ctx *c, int64_t site_id, const char *lo, const char *hi, bool covered,
                       int64_t limit, int64_t offset, json_t *items, int64_t *total);
int db_site_pass_rates(jc_ctx *c, int64_t site_id, json_t *out);
/* inspections, inspections_passed, pass_rate, last_inspected_at into o */
int db_site_stats(jc_ctx *c, int64_t id, json_t *o);

json_t *site_json(jc_ctx *c, const site_rec *s, bool show_phone);
int site_create(jc_ctx *c, site_rec *s, json_t *supervisors, int64_t *id);
int site_edit(jc_ctx *c, int64_t id, int64_t version, const site_rec *ch, json_t *supervisors,
              const bool *active);
/* The checklist in use: {version, items:[{code,text}]} — the default one when none was saved. */
int checklist_current(jc_ctx *c, json_t **out);
int checklist_save(jc_ctx *c, json_t *items, const char *note, int64_t *version);
typedef struct inspection_in {
    int64_t site_id;
    const char *kind; /* day | night */
    int64_t at;
    int64_t checklist_version; /* 0: the current one */
    json_t *results;           /* [{code, pass, note}] */
    const char *note;
} inspection_in;
int inspection_create(jc_ctx *c, const inspection_in *in, int64_t *id);

/* ---- reports (reports.c) ---- */
int cases_summary(jc_ctx *c, const case_filter *f, json_t **out);
int cases_overdue_report(jc_ctx *c, const case_filter *f, json_t **out);
int cases_satisfaction(jc_ctx *c, const case_filter *f, json_t **out);

int db_summary_by_state(jc_ctx *c, const case_filter *f, json_t *by_state, json_t *by_source,
                        json_t *by_service, int64_t *overdue, int64_t *closed_on_time,
                        int64_t *closed, int64_t *close_secs);
int db_overdue_rows(jc_ctx *c, const case_filter *f, json_t *out);
int db_satisfaction_rows(jc_ctx *c, const case_filter *f, bool by_team, json_t *out);

/* ---- Open311 (open311.c) and the module (cases_api.c) ---- */
int open311_discovery(jc_req *r);
void open311_render_error(jc_req *r, int rc);
int open311_services(jc_req *r);
int open311_service(jc_req *r);
int open311_get(jc_req *r);
int open311_post(jc_req *r);
int open311_request(jc_req *r);
int open311_token(jc_req *r);
int open311_media(jc_req *r);

int cases_demo(jc_ctx *c);
#define CASES_NCOMMANDS 1 /* cases_commands[] of cases_cli.c (app.h's jc_command) */

/* helpers shared by the files of the domain */
#define CASES_STAFF (RB(ROLE_ADMIN) | RB(ROLE_LEADER))
#define CASES_FIELD                                                                                \
    (RB(ROLE_ADMIN) | RB(ROLE_LEADER) | RB(ROLE_ROAD_CHIEF) | RB(ROLE_TEAM_MEMBER) |               \
     RB(ROLE_GRID_WORKER))
void cases_write_time(jw *w, const char *key, int64_t t);
/* The area of a new record: granted to the caller and present in the tree. */
int cases_check_area(jc_ctx *c, const char *code, const char *field);
/* true when the caller may see personal contact data (names, phones of reporters) */
bool cases_show_contact(jc_ctx *c, bool anonymous);
const char *cases_mask_phone(jc_ctx *c, const char *phone);
int cases_stale(jc_ctx *c, int64_t current, const char *what_en, const char *what_zh);
/* part / whole as a percentage with one decimal, rounded half up from integers (the same on
 * both backends); null when whole is 0 */
json_t *cases_rate(int64_t part, int64_t whole);

#endif
