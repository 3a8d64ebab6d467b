/* party_cov.c — coverage (中办发〔2012〕11号), now from the tables or for a past day from the
 * audit log; the rule warnings of DOMAIN.md; the data of the 版图 map. */
#include "party.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One decimal of a percentage, from integers (the same on both backends): null when n = 0. */
static json_t *rate(int64_t x, int64_t n)
{
    if (n <= 0) return json_null();
    return json_real((double)((x * 1000 + n / 2) / n) / 10.0);
}

static json_t *coverage_json(jc_ctx *c, const party_coverage *v, const char *area,
                             const char *as_of, const char *source)
{
    (void)c;
    int64_t covered = v->own + v->joint;
    json_t *members = json_object();
    int64_t party = 0;
    for (int s = 0; s < STAGE__MAX; s++) {
        json_object_set_new(members, party_stages[s].code, json_integer(v->members[s]));
        if (s >= STAGE_PROBATIONARY) party += v->members[s];
    }
    json_object_set_new(members, "party_members", json_integer(party));
    json_t *orgs = json_object();
    for (size_t i = 0; i < party_org_wf.nstates; i++)
        json_object_set_new(orgs, party_org_wf.states[i].code, json_integer(v->orgs[i]));
    json_object_set_new(orgs, "established_this_year", json_integer(v->established_this_year));
    return json_pack(
        "{s:s?, s:s, s:s, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}, s:o, s:o, s:o, s:o,"
        " s:{s:s, s:s, s:s, s:s, s:s}}",
        "area", area, "as_of", as_of, "source", source, "units", "total",
        (json_int_t)v->units_total, "operating", (json_int_t)v->operating, "closed",
        (json_int_t)v->closed, "own", (json_int_t)v->own, "joint", (json_int_t)v->joint, "covered",
        (json_int_t)covered, "uncovered", (json_int_t)(v->operating - covered), "needs_branch",
        (json_int_t)v->needs_branch, "no_members", (json_int_t)v->no_members, "coverage_rate",
        rate(covered, v->operating), "own_rate", rate(v->own, v->operating), "orgs", orgs,
        "members", members, "definitions", "coverage_rate_zh",
        "组织覆盖率 =(单独组建党组织的单位数 + 纳入联合党组织的单位数)÷ 在营单位数",
        "coverage_rate_en",
        "coverage = (units with their own organization + units inside a joint one) / operating "
        "units",
        "own_rate_zh", "单独组建率 = 单独组建党组织的单位数 ÷ 在营单位数", "own_rate_en",
        "own-organization rate = units with their own organization / operating units", "source",
        "中办发〔2012〕11号");
}

/* ---- from the audit log ---- */

struct asof_unit {
    int64_t id;
    bool operating;
    int cover; /* 0 none, 1 own, 2 joint */
    int64_t formal, members;
};

struct asof {
    const party_filter *f;
    struct asof_unit *u;
    int nu, cap;
    bool sorted;
    const char *year_from, *day;
    party_coverage *out;
    int64_t min_formal;
};

static bool in_scope(jc_ctx *c, const party_filter *f, const char *area)
{
    if (!area || strcmp(area, f->lo) < 0 || strcmp(area, f->hi) >= 0) return false;
    return f->covered || area_visible(c->user, area);
}

static int unit_cmp(const void *a, const void *b)
{
    const struct asof_unit *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static struct asof_unit *find_unit(struct asof *s, int64_t id)
{
    struct asof_unit key = {.id = id};
    return s->nu ? bsearch(&key, s->u, (size_t)s->nu, sizeof *s->u, unit_cmp) : NULL;
}

static int collect_unit(jc_ctx *c, const char *entity_id, const char *area, json_t *after,
                        void *arg)
{
    struct asof *s = arg;
    if (!in_scope(c, s->f, area)) return JC_OK;
    if (s->nu == s->cap) {
        int cap = s->cap ? s->cap * 2 : 256;
        struct asof_unit *more = arena_alloc(c->a, sizeof *more * (size_t)cap);
        if (!more) return JC_ENOMEM;
        if (s->nu) memcpy(more, s->u, sizeof *more * (size_t)s->nu);
        s->u = more;
        s->cap = cap;
    }
    const char *status = json_string_value(json_object_get(after, "status"));
    s->u[s->nu++] = (struct asof_unit){.id = strtoll(entity_id, NULL, 10),
                                       .operating = status && strcmp(status, "operating") == 0};
    return JC_OK;
}

static int collect_org(jc_ctx *c, const char *entity_id, const char *area, json_t *after, void *arg)
{
    (void)entity_id;
    struct asof *s = arg;
    const char *status = json_string_value(json_object_get(after, "status"));
    const char *setting = json_string_value(json_object_get(after, "setting"));
    const wf_state *st = wf_state_find(&party_org_wf, status);
    if (!st) return JC_OK;
    bool established = strcmp(status, "established") == 0;
    if (in_scope(c, s->f, area)) {
        s->out->orgs[st - party_org_wf.states]++;
        const char *on = json_string_value(json_object_get(after, "established_on"));
        if (established && on && strcmp(on, s->year_from) >= 0 && strcmp(on, s->day) <= 0)
            s->out->established_this_year++;
    }
    if (!established) return JC_OK;
    int cover = setting && strcmp(setting, "single") == 0 ? 1 : 2;
    size_t i;
    json_t *id;
    json_array_foreach(json_object_get(after, "units"), i, id)
    {
        struct asof_unit *u = find_unit(s, json_integer_value(id));
        if (u && (u->cover == 0 || cover == 1)) u->cover = cover;
    }
    return JC_OK;
}

static int collect_member(jc_ctx *c, const char *entity_id, const char *area, json_t *after,
                          void *arg)
{
    (void)entity_id;
    struct asof *s = arg;
    if (!in_scope(c, s->f, area)) return JC_OK;
    const char *status = json_string_value(json_object_get(after, "status"));
    if (!status || strcmp(status, "active") != 0) return JC_OK;
    int stage = party_enum_find(party_stages, STAGE__MAX,
                                json_string_value(json_object_get(after, "stage")));
    if (stage < 0) return JC_OK;
    s->out->members[stage]++;
    if (stage < STAGE_PROBATIONARY) return JC_OK;
    struct asof_unit *u = find_unit(s, json_integer_value(json_object_get(after, "unit_id")));
    if (u) {
        u->members++;
        if (stage == STAGE_FULL) u->formal++;
    }
    return JC_OK;
}

static int coverage_asof(jc_ctx *c, const party_filter *f, const char *day, int64_t min_formal,
                         party_coverage *out)
{
    memset(out, 0, sizeof *out);
    int64_t days;
    jc_date_parse(day, &days);
    int64_t until = (days + 1) * 86400 - JC_TZ_OFFSET - 1;
    struct asof s = {.f = f, .day = day, .out = out, .min_formal = min_formal};
    s.year_from = arena_printf(c->a, "%.4s-01-01", day);
    int rc = db_party_snapshots(c, "party_unit", until, f->lo, f->hi, collect_unit, &s);
    if (rc) return rc;
    if (s.nu) qsort(s.u, (size_t)s.nu, sizeof *s.u, unit_cmp);
    /* every organization: a joint one registered at the street covers units of a community */
    if ((rc = db_party_snapshots(c, "party_org", until, "", "~", collect_org, &s))) return rc;
    if ((rc = db_party_snapshots(c, "party_member", until, f->lo, f->hi, collect_member, &s)))
        return rc;
    for (int i = 0; i < s.nu; i++) {
        const struct asof_unit *u = &s.u[i];
        out->units_total++;
        if (!u->operating) {
            out->closed++;
            continue;
        }
        out->operating++;
        if (u->cover == 1) out->own++;
        if (u->cover == 2) out->joint++;
        if (u->formal >= min_formal && u->cover != 1) out->needs_branch++;
        if (u->members == 0) out->no_members++;
    }
    return JC_OK;
}

int party_coverage_json(jc_ctx *c, const party_filter *f, const char *area, const char *as_of,
                        json_t **out)
{
    char today[11];
    jc_date_local(c->now, today);
    if (as_of && strcmp(as_of, today) > 0)
        return jc_fail(c, JC_EINVAL, "invalid_parameter", "as_of", "as_of cannot lie in the future",
                       "as_of 不能晚于今天");
    party_limits L;
    party_limits_load(c, &L);
    party_coverage v;
    int rc;
    if (as_of) {
        rc = coverage_asof(c, f, as_of, L.branch_min_formal, &v);
    } else {
        char from[11];
        snprintf(from, sizeof from, "%.4s-01-01", today);
        rc = db_party_coverage(c, f, L.branch_min_formal, from, today, &v);
    }
    if (rc) return rc;
    *out = jc_own(c, coverage_json(c, &v, area, as_of ? as_of : today, as_of ? "audit" : "live"));
    if (*out && !area) json_object_set_new(*out, "area", json_null());
    return *out ? JC_OK : JC_ENOMEM;
}

/* ---- warnings ---- */

struct warn_ctx {
    party_limits L;
    char today[11];
    const char *only; /* a rule code, or NULL */
    json_t *items;
    int64_t counts[RULE__MAX];
};

static bool wants(struct warn_ctx *w, int rule)
{
    return !w->only || strcmp(w->only, party_rules[rule].code) == 0;
}

static void warn(jc_ctx *c, struct warn_ctx *w, int rule, const char *entity, int64_t id,
                 const char *name, const char *area, const char *area_name, const char *zh,
                 const char *en, json_t *extra)
{
    (void)c;
    w->counts[rule]++;
    const struct party_rule_info *r = &party_rules[rule];
    json_t *o =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s}", "rule", r->code,
                  "rule_zh", r->zh, "rule_en", r->en, "source", r->source, "entity", entity, "id",
                  (json_int_t)id, "name", name, "area", area, "area_name",
                  area_name ? area_name : "", "detail_zh", zh, "detail_en", en);
    if (o && extra) json_object_update(o, extra);
    json_decref(extra);
    json_array_append_new(w->items, o);
}

static int warn_unit(jc_ctx *c, const party_unit *u, void *arg)
{
    struct warn_ctx *w = arg;
    bool own = u->org_id && u->org_status && strcmp(u->org_status, "established") == 0 &&
               strcmp(u->org_setting, "single") == 0;
    bool has_org = u->org_id && u->org_status && strcmp(u->org_status, "dissolved") != 0;
    bool covered = u->org_id && u->org_status && strcmp(u->org_status, "established") == 0;
    const wf_state *os = u->org_id ? wf_state_find(&party_org_wf, u->org_status) : NULL;
    if (wants(w, RULE_UNIT_NEEDS_BRANCH) && party_rule_unit_needs_branch(&w->L, u->formal, own))
        warn(c, w, RULE_UNIT_NEEDS_BRANCH, "unit", u->id, u->name, u->area_code, u->area_name,
             arena_printf(c->a, "有正式党员%lld名,%s", (long long)u->formal,
                          covered   ? arena_printf(c->a, "目前纳入%s", u->org_name)
                          : has_org ? arena_printf(c->a, "%s(%s)", u->org_name, os ? os->zh : "")
                                    : "尚未建立党组织"),
             arena_printf(c->a, "%lld formal members, %s", (long long)u->formal,
                          covered   ? arena_printf(c->a, "now inside %s", u->org_name)
                          : has_org ? arena_printf(c->a, "%s (%s)", u->org_name, os ? os->en : "")
                                    : "no party organization yet"),
             json_pack("{s:I, s:I}", "value", (json_int_t)u->formal, "limit",
                       (json_int_t)w->L.branch_min_formal));
    if (wants(w, RULE_UNIT_UNPLANNED) &&
        party_rule_unit_unplanned(u->formal + u->probationary, has_org, u->has_plan))
        warn(c, w, RULE_UNIT_UNPLANNED, "unit", u->id, u->name, u->area_code, u->area_name,
             arena_printf(c->a, "无党员、未纳入党组织,也没有孵化计划(从业人员%lld人)",
                          (long long)u->employees),
             arena_printf(c->a, "no members, no organization and no incubation plan (%lld staff)",
                          (long long)u->employees),
             json_pack("{s:I}", "value", (json_int_t)0));
    return JC_OK;
}

struct org_node {
    party_org o;
    int64_t sub_members; /* members including descendants */
};

struct org_set {
    struct org_node *n;
    int count, cap;
};

static int collect_orgs(jc_ctx *c, const party_org *o, void *arg)
{
    struct org_set *s = arg;
    if (s->count == s->cap) {
        int cap = s->cap ? s->cap * 2 : 64;
        struct org_node *more = arena_alloc(c->a, sizeof *more * (size_t)cap);
        if (!more) return JC_ENOMEM;
        if (s->count) memcpy(more, s->n, sizeof *more * (size_t)s->count);
        s->n = more;
        s->cap = cap;
    }
    s->n[s->count].o = *o;
    s->n[s->count].sub_members = o->members;
    s->count++;
    return JC_OK;
}

static void warn_orgs(jc_ctx *c, struct warn_ctx *w, struct org_set *s)
{
    /* members of sub-organizations count for their parents (a 党委's branches): walk up */
    for (int i = 0; i < s->count; i++) {
        int64_t parent = s->n[i].o.parent_id;
        for (int depth = 0; parent && depth < 8; depth++) {
            int k;
            for (k = 0; k < s->count && s->n[k].o.id != parent; k++) {
            }
            if (k == s->count) break;
            s->n[k].sub_members += s->n[i].o.members;
            parent = s->n[k].o.parent_id;
        }
    }
    for (int i = 0; i < s->count; i++) {
        const party_org *o = &s->n[i].o;
        if (strcmp(o->status, "established") != 0) continue;
        int kind = party_enum_find(party_org_kinds, ORG_KIND__MAX, o->kind);
        int setting = party_enum_find(party_org_settings, SETTING__MAX, o->setting);
        if (wants(w, RULE_JOINT_OVER_LIMIT) && party_rule_joint_over(&w->L, setting, o->nunits))
            warn(c, w, RULE_JOINT_OVER_LIMIT, "org", o->id, o->name, o->area_code, o->area_name,
                 arena_printf(c->a, "覆盖%lld个单位%s%s", (long long)o->nunits,
                              o->joint_override ? ",理由:" : "",
                              o->joint_override ? o->joint_override : ""),
                 arena_printf(c->a, "covers %lld units%s%s", (long long)o->nunits,
                              o->joint_override ? "; reason: " : "",
                              o->joint_override ? o->joint_override : ""),
                 json_pack("{s:I, s:I}", "value", (json_int_t)o->nunits, "limit",
                           (json_int_t)w->L.joint_max_units));
        int size_rule = party_rule_size(&w->L, kind, s->n[i].sub_members);
        if (size_rule >= 0 && wants(w, size_rule))
            warn(c, w, size_rule, "org", o->id, o->name, o->area_code, o->area_name,
                 arena_printf(c->a, "党员%lld名", (long long)s->n[i].sub_members),
                 arena_printf(c->a, "%lld members", (long long)s->n[i].sub_members),
                 json_pack("{s:I, s:I}", "value", (json_int_t)s->n[i].sub_members, "limit",
                           (json_int_t)(size_rule == RULE_NEEDS_COMMITTEE
                                            ? w->L.committee_members
                                            : w->L.branch_max_members)));
        json_t *cm = json_loads(o->committee ? o->committee : "[]", 0, NULL);
        int64_t ncm = (int64_t)json_array_size(cm);
        json_decref(cm);
        if (wants(w, RULE_NO_BRANCH_COMMITTEE) && party_rule_committee(&w->L, kind, o->formal, ncm))
            warn(
                c, w, RULE_NO_BRANCH_COMMITTEE, "org", o->id, o->name, o->area_code, o->area_name,
                arena_printf(c->a, "正式党员%lld名,支委会%lld人", (long long)o->formal,
                             (long long)ncm),
                arena_printf(c->a, "%lld formal members, committee of %lld", (long long)o->formal,
                             (long long)ncm),
                json_pack("{s:I, s:I}", "value", (json_int_t)ncm, "formal", (json_int_t)o->formal));
        char due[11];
        if (wants(w, RULE_TERM_DUE) &&
            party_rule_term_due(&w->L, kind, o->village, o->term_start, o->term_end, w->today, due))
            warn(c, w, RULE_TERM_DUE, "org", o->id, o->name, o->area_code, o->area_name,
                 arena_printf(c->a, "任期于%s届满", due),
                 arena_printf(c->a, "term ended on %s", due), json_pack("{s:s}", "due", due));
    }
}

static int warn_member(jc_ctx *c, const party_member *m, void *arg)
{
    struct warn_ctx *w = arg;
    char due[11];
    if (party_rule_probation_overdue(&w->L, &m->dates, w->today, due))
        warn(c, w, RULE_PROBATION_OVERDUE, "member", m->id, m->name, m->area_code, m->area_name,
             arena_printf(
                 c->a, "%s接收为预备党员%s,预备期于%s届满", m->dates.on[STAGE_PROBATIONARY],
                 m->dates.extension_months
                     ? arena_printf(c->a, "(延长%lld个月)", (long long)m->dates.extension_months)
                     : "",
                 due),
             arena_printf(
                 c->a, "admitted on %s%s; probation ended on %s", m->dates.on[STAGE_PROBATIONARY],
                 m->dates.extension_months ? arena_printf(c->a, " (extended by %lld months)",
                                                          (long long)m->dates.extension_months)
                                           : "",
                 due),
             json_pack("{s:s}", "due", due));
    return JC_OK;
}

int party_warnings(jc_ctx *c, const party_filter *f, const char *rule, json_t **items)
{
    struct warn_ctx *w = arena_calloc(c->a, sizeof *w);
    if (!w) return JC_ENOMEM;
    party_limits_load(c, &w->L);
    jc_date_local(c->now, w->today);
    w->only = rule;
    w->items = jc_own(c, json_array());
    party_filter q = *f;
    q.limit = 0;
    q.offset = 0;
    int rc;
    if (wants(w, RULE_UNIT_NEEDS_BRANCH) || wants(w, RULE_UNIT_UNPLANNED)) {
        q.status = "operating";
        if ((rc = db_party_unit_list(c, &q, warn_unit, w, NULL))) return rc;
    }
    if (wants(w, RULE_JOINT_OVER_LIMIT) || wants(w, RULE_BRANCH_TOO_LARGE) ||
        wants(w, RULE_NEEDS_COMMITTEE) || wants(w, RULE_NO_BRANCH_COMMITTEE) ||
        wants(w, RULE_TERM_DUE)) {
        struct org_set s = {0};
        party_filter o = *f;
        o.limit = 0;
        o.offset = 0;
        o.status = NULL;
        o.kind = NULL;
        o.coverage = NULL;
        o.q = NULL;
        if ((rc = db_party_org_list(c, &o, collect_orgs, &s, NULL))) return rc;
        warn_orgs(c, w, &s);
    }
    if (wants(w, RULE_PROBATION_OVERDUE)) {
        party_filter m = *f;
        m.limit = 0;
        m.offset = 0;
        m.stage = "probationary";
        m.status = "active";
        m.q = NULL;
        if ((rc = db_party_member_list(c, &m, warn_member, w, NULL))) return rc;
    }
    json_t *counts = json_object();
    for (int r = 0; r < RULE__MAX; r++)
        json_object_set_new(counts, party_rules[r].code, json_integer(w->counts[r]));
    json_t *out = json_pack("{s:O, s:o}", "items", w->items, "counts", counts);
    *items = jc_own(c, out);
    return *items ? JC_OK : JC_ENOMEM;
}

/* ---- the map ---- */

struct map_ctx {
    json_t *units;
    const char *category;
    int64_t without_pos;
    json_t *points; /* unit id (text) → category of its demonstration point */
};

static int map_unit(jc_ctx *c, const party_unit *u, void *arg)
{
    struct map_ctx *m = arg;
    if (m->category && strcmp(m->category, u->category) != 0) return JC_OK;
    if (!u->has_pos) {
        m->without_pos++;
        return JC_OK;
    }
    const char *cov = "none";
    if (u->org_id && u->org_status) {
        if (strcmp(u->org_status, "established") == 0)
            cov = strcmp(u->org_setting, "single") == 0 ? "own" : "joint";
        else if (strcmp(u->org_status, "dissolved") != 0)
            cov = "pending";
    }
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)u->id);
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:f, s:f, s:s, s:s?, s:s?, s:I, s:I, s:b}", "id",
                          (json_int_t)u->id, "name", u->name, "category", u->category, "area",
                          u->area_code, "lat", u->lat, "lng", u->lng, "coverage", cov, "org_name",
                          u->org_name, "org_status", u->org_status, "formal", (json_int_t)u->formal,
                          "probationary", (json_int_t)u->probationary, "demo_point",
                          json_object_get(m->points, key) != NULL);
    if (o && !u->org_name) json_object_set_new(o, "org_name", json_null());
    if (o && !u->org_status) json_object_set_new(o, "org_status", json_null());
    (void)c;
    json_array_append_new(m->units, o);
    return JC_OK;
}

int party_map_json(jc_ctx *c, const party_filter *f, const char *category, json_t **out)
{
    json_t *areas = jc_own(c, json_array());
    int rc = db_party_map_areas(c, f->lo, f->hi, areas);
    if (rc) return rc;
    json_t *pts = jc_own(c, json_array());
    if ((rc = db_party_point_list(c, f, pts))) return rc;
    struct map_ctx m = {
        .units = jc_own(c, json_array()), .category = category, .points = jc_own(c, json_object())};
    size_t i;
    json_t *p;
    json_array_foreach(pts, i, p)
    {
        char key[24];
        snprintf(key, sizeof key, "%lld",
                 (long long)json_integer_value(json_object_get(json_object_get(p, "unit"), "id")));
        json_object_set(m.points, key, json_object_get(p, "category"));
    }
    party_filter q = *f;
    q.limit = 0;
    q.offset = 0;
    q.status = "operating";
    if ((rc = db_party_unit_list(c, &q, map_unit, &m, NULL))) return rc;
    *out = jc_own(c, json_pack("{s:O, s:O, s:I, s:O}", "areas", areas, "units", m.units,
                               "without_position", (json_int_t)m.without_pos, "categories",
                               config_get(c, "party.categories")));
    return *out ? JC_OK : JC_ENOMEM;
}
