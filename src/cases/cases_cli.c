/* cases_cli.c — `jiceng cases fill`: many synthetic cases at once, for benchmarks and load
 * tests (100 000 in a few seconds), through the same bound INSERT the API uses. One audit
 * record names the fill, so the chain says where the rows came from. */
#include "cases.h"
#include "../app.h"
#include "../cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char FILL_HELP[] =
    "usage: jiceng cases fill --db DB [--count N] [--days D] [--seed S]\n"
    "Adds N synthetic cases (default 10000) spread over the last D days (default 180) at random\n"
    "places of 陇海马路街道, in every state, routed to the demo's roads and teams when they "
    "exist.\n"
    "For benchmarks and load tests: never on a database with real cases.\n";

/* xorshift64*: the same data for the same seed */
static uint64_t next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

static double uniform(uint64_t *s)
{
    return (double)(next(s) >> 11) / 9007199254740992.0;
}

static const char *const texts[] = {
    "路边有垃圾堆放,影响通行和环境卫生。", "人行道上电动车乱停,盲道被占用。",
    "井盖松动,车辆经过有响声。",           "商户在店外摆放货物,占用人行道。",
    "墙面有小广告,已经很长时间没人清理。", "路面有油污,下雨天容易滑倒。",
};

static int cmd_fill(int argc, char **argv)
{
    struct opt opts[] = {
        {"--db", 0, 0, 0}, {"--count", 0, 0, 0}, {"--days", 0, 0, 0}, {"--seed", 0, 0, 0}};
    const char *pos[1];
    int npos;
    int rc = parse_opts("cases fill", argc, argv, opts, JC_NELEM(opts), pos, 0, &npos);
    if (rc < 0) return fputs(FILL_HELP, stdout), 0;
    if (rc) return rc;
    if (!require_db("cases fill", OPT("--db"))) return EXIT_USAGE;
    long count = 10000, days = 180;
    unsigned long long seed = 42;
    char *end;
    if (OPT("--count")->set &&
        ((count = strtol(OPT("--count")->value, &end, 10)) < 1 || count > 10000000 || *end))
        return usage_error("cases fill", "--count must be 1..10000000, not '%s'",
                           OPT("--count")->value);
    if (OPT("--days")->set &&
        ((days = strtol(OPT("--days")->value, &end, 10)) < 1 || days > 3650 || *end))
        return usage_error("cases fill", "--days must be 1..3650, not '%s'", OPT("--days")->value);
    if (OPT("--seed")->set && ((seed = strtoull(OPT("--seed")->value, &end, 10)) == 0 || *end))
        return usage_error("cases fill", "--seed must be a positive integer, not '%s'",
                           OPT("--seed")->value);
    struct cli k;
    if (cli_open(&k, OPT("--db")->value, true)) return 1;
    jc_ctx *c = &k.c;
    case_service *svc;
    int nsvc, npub = 0;
    if ((rc = cases_services(c, &svc, &nsvc))) return cli_fail(&k, "cases fill", rc);
    for (int i = 0; i < nsvc; i++)
        if (svc[i].is_public) svc[npub++] = svc[i];
    if (!npub) {
        fprintf(stderr, "jiceng cases fill: no public service is configured\n");
        cli_close(&k);
        return 1;
    }
    const char *area = json_string_value(config_get(c, "cases.intake_area"));
    area_rec ar;
    if (!area || area_get(c, area, &ar)) {
        fprintf(stderr, "jiceng cases fill: the intake area %s does not exist\n",
                area ? area : "(unset)");
        cli_close(&k);
        return 1;
    }
    static const char *const states[] = {"closed", "closed",   "closed",     "closed",
                                         "closed", "rejected", "processing", "dispatched",
                                         "new",    "verifying"};
    uint64_t s = seed * 0x9E3779B97F4A7C15ull + 1;
    int64_t now = jc_now(), first = 0, last = 0;
    /* places: routing each of 512 points once per service (routing reads the roads, so a
     * memo keeps 100 000 inserts to seconds) */
    enum { NPOS = 512 };
    struct place {
        double lat, lng;
    } *places = arena_alloc(k.a, sizeof *places * NPOS);
    case_route_out *memo = arena_calloc(k.a, sizeof *memo * NPOS * (size_t)npub);
    if (!places || !memo) return cli_fail(&k, "cases fill", JC_ENOMEM);
    for (int i = 0; i < NPOS; i++) {
        places[i].lat = 34.7260 + uniform(&s) * 0.0200;
        places[i].lng = 113.6730 + uniform(&s) * 0.0320;
    }
    arena *keep = k.a, *scratch = arena_new(0);
    if ((rc = store_begin(k.db))) return cli_fail(&k, "cases fill", jc_fail_db(c, rc));
    for (long i = 0; i < count && !rc; i++) {
        int si = (int)(next(&s) % (uint64_t)npub), pi = (int)(next(&s) % NPOS);
        const case_service *sv = &svc[si];
        case_route_out *ro = &memo[pi * npub + si];
        c->a = scratch;
        if (!ro->area_code) {
            if ((rc = case_route(c, sv, 0, true, places[pi].lat, places[pi].lng, NULL, NULL, ro)))
                break;
            ro->area_code = arena_strdup(keep, ro->area_code); /* outlives the scratch arena */
        }
        case_rec r = {0};
        c->now = now - (int64_t)(uniform(&s) * (double)days * 86400);
        r.area_code = ro->area_code;
        r.service_code = sv->code;
        r.service_name = sv->name;
        r.source = next(&s) % 3 ? "public" : "staff";
        r.description = texts[next(&s) % JC_NELEM(texts)];
        r.has_pos = true;
        /* within about 5 m of the routed point */
        r.lat = places[pi].lat + (uniform(&s) - 0.5) * 0.00009;
        r.lng = places[pi].lng + (uniform(&s) - 0.5) * 0.00011;
        r.address = "陇海马路街道";
        r.state = states[next(&s) % JC_NELEM(states)];
        r.deadline_at = c->now + sv->limit_hours * 3600;
        r.road_id = ro->road_id;
        r.chief_id = ro->chief_id;
        r.team_id = ro->team_id;
        int64_t id;
        if ((rc = db_case_insert(c, &r, NULL, &id))) break;
        if (!first) first = id;
        last = id;
        if (i % 1024 == 1023) {
            arena_free(scratch);
            scratch = arena_new(0);
        }
    }
    c->a = keep;
    arena_free(scratch);
    c->now = now;
    if (!rc) {
        json_t *after = jc_own(c, json_pack("{s:I, s:I, s:I, s:I}", "count", (json_int_t)count,
                                            "first_id", (json_int_t)first, "last_id",
                                            (json_int_t)last, "days", (json_int_t)days));
        rc = audit_append(c, "fill", "case", "synthetic", area, NULL, after,
                          "jiceng cases fill: synthetic cases for a benchmark");
    }
    if (rc) {
        store_rollback(k.db);
        return cli_fail(&k, "cases fill", rc);
    }
    if ((rc = store_commit(k.db))) return cli_fail(&k, "cases fill", jc_fail_db(c, rc));
    printf("%ld synthetic cases added (ids %lld–%lld)\n", count, (long long)first, (long long)last);
    cli_close(&k);
    return 0;
}

const jc_command cases_commands[CASES_NCOMMANDS] = {
    {"cases fill", "add N synthetic cases (benchmarks, load tests)", cmd_fill},
};
