/* reports.c — what the office reports upward about city management, computed from the records:
 * cases by state, source and service with the on-time rate; overdue cases per chief and per
 * team; residents' satisfaction per team and per road. */
#include "cases.h"

#include <string.h>

static json_t *rate(int64_t part, int64_t whole)
{
    return cases_rate(part, whole);
}

int cases_summary(jc_ctx *c, const case_filter *f, json_t **out)
{
    json_t *by_state = jc_own(c, json_object()), *by_source = jc_own(c, json_object()),
           *by_service = jc_own(c, json_array());
    for (size_t i = 0; i < case_wf.nstates; i++)
        json_object_set_new(by_state, case_wf.states[i].code, json_integer(0));
    int64_t overdue, on_time, closed, secs;
    int rc = db_summary_by_state(c, f, by_state, by_source, by_service, &overdue, &on_time, &closed,
                                 &secs);
    if (rc) return rc;
    int64_t total = 0, open = 0;
    const char *key;
    json_t *v;
    json_object_foreach(by_state, key, v)
    {
        total += json_integer_value(v);
        if (case_is_open(key)) open += json_integer_value(v);
    }
    json_t *teams = jc_own(c, json_array());
    if ((rc = db_satisfaction_rows(c, f, true, teams))) return rc;
    int64_t evals = 0, resolved = 0;
    double rating_sum = 0;
    size_t i;
    json_array_foreach(teams, i, v)
    {
        int64_t n = json_integer_value(json_object_get(v, "evaluations"));
        evals += n;
        resolved += json_integer_value(json_object_get(v, "resolved"));
        rating_sum += (double)json_integer_value(json_object_get(v, "rating_sum"));
    }
    json_t *o = json_pack(
        "{s:I, s:I, s:O, s:O, s:O, s:I, s:I, s:I, s:o, s:o}", "total", (json_int_t)total, "open",
        (json_int_t)open, "by_state", by_state, "by_source", by_source, "by_service", by_service,
        "overdue", (json_int_t)overdue, "closed", (json_int_t)closed, "closed_on_time",
        (json_int_t)on_time, "on_time_rate", rate(on_time, closed), "average_close_hours",
        closed ? json_real((double)(secs * 10 / 3600 / closed) / 10.0) : json_null());
    if (!o) return JC_ENOMEM;
    json_object_set_new(
        o, "evaluations",
        json_pack("{s:I, s:I, s:o, s:o}", "total", (json_int_t)evals, "resolved",
                  (json_int_t)resolved, "resolved_rate", rate(resolved, evals), "average_rating",
                  evals
                      ? json_real((double)(int64_t)(rating_sum * 100 / (double)evals + 0.5) / 100.0)
                      : json_null()));
    *out = jc_own(c, o);
    return JC_OK;
}

/* Appends row to the group of `id` in groups (an array of {id, name, …, count, cases}). */
static void group_add(json_t *groups, int64_t id, json_t *head, json_t *row)
{
    size_t i;
    json_t *g;
    json_array_foreach(groups, i, g) if (json_integer_value(json_object_get(g, "id")) == id)
    {
        json_array_append(json_object_get(g, "cases"), row);
        json_object_set_new(g, "count",
                            json_integer(json_integer_value(json_object_get(g, "count")) + 1));
        json_decref(head);
        return;
    }
    json_object_set_new(head, "id", id ? json_integer(id) : json_null());
    json_object_set_new(head, "count", json_integer(1));
    json_object_set_new(head, "cases", json_pack("[O]", row));
    json_array_append_new(groups, head);
}

int cases_overdue_report(jc_ctx *c, const case_filter *f, json_t **out)
{
    json_t *rows = jc_own(c, json_array());
    int rc = db_overdue_rows(c, f, rows);
    if (rc) return rc;
    json_t *chiefs = json_array(), *teams = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        const char *lvl = json_string_value(json_object_get(r, "chief_level"));
        const chief_level *cl = chief_level_find(lvl);
        group_add(chiefs, json_integer_value(json_object_get(r, "chief_id")),
                  json_pack("{s:O, s:s, s:O}", "name", json_object_get(r, "chief_name"), "level_zh",
                            cl ? cl->zh : "", "road_name", json_object_get(r, "road_name")),
                  r);
        group_add(teams, json_integer_value(json_object_get(r, "team_id")),
                  json_pack("{s:O}", "name", json_object_get(r, "team_name")), r);
    }
    *out = jc_own(c, json_pack("{s:I, s:o, s:o}", "total", (json_int_t)json_array_size(rows),
                               "by_chief", chiefs, "by_team", teams));
    return *out ? JC_OK : JC_ENOMEM;
}

int cases_satisfaction(jc_ctx *c, const case_filter *f, json_t **out)
{
    json_t *teams = json_array(), *roads = json_array();
    int rc = db_satisfaction_rows(c, f, true, teams);
    if (!rc) rc = db_satisfaction_rows(c, f, false, roads);
    if (rc) {
        json_decref(teams);
        json_decref(roads);
        return rc;
    }
    int64_t evals = 0, resolved = 0;
    double sum = 0;
    size_t i;
    json_t *v;
    json_array_foreach(teams, i, v)
    {
        int64_t n = json_integer_value(json_object_get(v, "evaluations"));
        evals += n;
        resolved += json_integer_value(json_object_get(v, "resolved"));
        sum += (double)json_integer_value(json_object_get(v, "rating_sum"));
    }
    *out = jc_own(
        c, json_pack("{s:o, s:o, s:{s:I, s:I, s:o, s:o}}", "by_team", teams, "by_road", roads,
                     "total", "evaluations", (json_int_t)evals, "resolved", (json_int_t)resolved,
                     "resolved_rate", rate(resolved, evals), "average_rating",
                     evals ? json_real((double)(int64_t)(sum * 100 / (double)evals + 0.5) / 100.0)
                           : json_null()));
    return *out ? JC_OK : JC_ENOMEM;
}
