/* party_cli.c — `jiceng party fill`: bench data for the coverage benchmark (bench/party.sh).
 *
 * Adds N units spread over the communities below an area, their organizations (about 40 % of
 * their own, 30 % in joint branches of five, some in preparation or incubating) and M members,
 * in one transaction with bound parameters. It writes straight through the storage functions and
 * appends no audit records, so it runs only on a demo database (`jiceng init --demo`). */
#include "party.h"
#include "../cli.h"
#include "../io/progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char FILL_HELP[] =
    "usage: jiceng party fill --db DB [--units N] [--members M] [--area CODE]\n"
    "Adds bench data to a demo database: N 两新组织 (default 100000) spread over the areas below\n"
    "CODE (default 410105008000), their party organizations and M members (default 1000000),\n"
    "in one transaction. No audit records are written: demo databases only.\n";

static bool parse_count(const char *s, int64_t max, int64_t *out)
{
    char *end;
    long long v = s ? strtoll(s, &end, 10) : -1;
    if (!s || *end || v < 0 || v > max) return false;
    *out = v;
    return true;
}

struct fill {
    struct cli *k;
    char areas[64][16];
    int nareas;
    int64_t *unit_ids, *org_of; /* per unit: its organization (0 = none) */
};

static int fill_units(struct fill *f, int64_t n)
{
    static const char *const cats[] = {"民办教育", "创客", "网络科技", "商铺",
                                       "楼宇",     "商圈", "市场",     "文化艺术"};
    static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    jc_ctx *c = &f->k->c;
    for (int64_t i = 0; i < n; i++) {
        party_unit u = {0};
        char code[19], name[64];
        snprintf(code, sizeof code, "91410105B");
        int64_t x = i;
        for (int k = 9; k < 17; k++, x /= 31) code[k] = alphabet[x % 31];
        code[17] = credit_code_check_char(code);
        code[18] = '\0';
        snprintf(name, sizeof name, "测试单位%07lld", (long long)i);
        u.area_code = f->areas[i % f->nareas];
        u.name = name;
        u.credit_code = code;
        u.kind = i % 4 ? "economic" : "social";
        u.category = cats[i % JC_NELEM(cats)];
        u.address = "";
        u.employees = 5 + i % 200;
        u.status = i % 50 == 49 ? "closed" : "operating";
        int rc = db_party_unit_insert(c, &u, &f->unit_ids[i]);
        if (rc) return rc;
        if (i % 4096 == 0) progress_draw(stdout, "units", i, n, i);
    }
    progress_end(stdout);
    return JC_OK;
}

static int fill_orgs(struct fill *f, int64_t n)
{
    jc_ctx *c = &f->k->c;
    for (int64_t i = 0; i < n;) {
        int slot = (int)(i % 10);
        party_org o = {0};
        char name[64];
        o.area_code = f->areas[i % f->nareas];
        o.name = name;
        o.committee = "[]";
        o.secretary = "";
        int take = 1;
        if (slot < 4) { /* own branch */
            snprintf(name, sizeof name, "测试单位%07lld党支部", (long long)i);
            o.kind = "branch";
            o.setting = "single";
            o.status = "established";
            o.established_on = i % 7 ? "2018-06-01" : "2026-03-01";
        } else if (slot < 9) { /* a joint branch of the next five */
            snprintf(name, sizeof name, "测试联合党支部%07lld", (long long)i);
            o.kind = "joint_branch";
            o.setting = "joint";
            o.status = "established";
            o.established_on = "2019-09-01";
            take = 5;
        } else { /* one unit in ten: in preparation, incubating, or nothing */
            snprintf(name, sizeof name, "测试单位%07lld党支部", (long long)i);
            o.kind = "branch";
            o.setting = "single";
            o.status = i % 20 == 9 ? "preparing" : "incubating";
            if (i % 30 == 19) {
                i++;
                continue;
            }
        }
        if (i + take > n) take = (int)(n - i);
        int64_t id;
        int rc = db_party_org_insert(c, &o, &id);
        for (int k = 0; !rc && k < take; k++) {
            rc = db_party_org_link(c, id, f->unit_ids[i + k], "2019-09-01");
            f->org_of[i + k] = id;
        }
        if (rc) return rc;
        i += take;
        if (i % 4096 < (int64_t)take) progress_draw(stdout, "organizations", i, n, i);
    }
    progress_end(stdout);
    return JC_OK;
}

static int fill_members(struct fill *f, int64_t n, int64_t nunits)
{
    jc_ctx *c = &f->k->c;
    int64_t base = jc_days_from_civil(1960, 1, 1);
    for (int64_t i = 0; i < n; i++) {
        /* unique IDs in rising order (the unique index grows at its end): 100 people born on
         * each day from 1960 on; the units likewise in order, ten members or so each */
        int64_t day = base + i / 100, seq = i % 100;
        int y, m, d;
        jc_civil_from_days(day, &y, &m, &d);
        char first17[18], cid[19], birth[11];
        snprintf(first17, sizeof first17, "410105%04d%02d%02d%03lld", y, m, d, (long long)seq);
        snprintf(cid, sizeof cid, "%s%c", first17, citizen_id_check_char(first17));
        jc_date_format(day, birth);
        int64_t unit = (int64_t)((double)i * (double)nunits / (double)n);
        party_member mb = {0};
        mb.area_code = f->areas[unit % f->nareas];
        mb.name = "测试党员";
        mb.citizen_id = cid;
        mb.sex = seq % 2 ? 1 : 2;
        if (day >= base + 365 * 60) {
            fprintf(stderr, "%s party fill: at most %lld members\n", cli_prog, (long long)(i));
            return JC_EINVAL;
        }
        mb.birth_date = birth;
        mb.unit_id = f->unit_ids[unit];
        mb.org_id = f->org_of[unit];
        int stage = i % 10 == 0 ? STAGE_PROBATIONARY : i % 23 == 0 ? STAGE_ACTIVIST : STAGE_FULL;
        if (!mb.org_id && stage != STAGE_ACTIVIST) stage = STAGE_ACTIVIST;
        mb.stage = party_stages[stage].code;
        mb.status = i % 97 == 0 ? "transferred_out" : "active";
        mb.dates.on[0] = "2015-03-01";
        if (stage >= STAGE_ACTIVIST) mb.dates.on[1] = "2015-09-01";
        if (stage >= STAGE_PROBATIONARY) {
            mb.dates.on[2] = "2016-10-01";
            mb.dates.on[3] = "2016-12-01";
        }
        if (stage == STAGE_FULL) mb.dates.on[4] = "2017-12-02";
        mb.dues_category = "regular";
        mb.income_fen = 300000 + i % 900000;
        int64_t id;
        int rc = db_party_member_insert(c, &mb, &id);
        if (rc) return rc;
        if (i % 16384 == 0) progress_draw(stdout, "members", i, n, i);
    }
    progress_end(stdout);
    return JC_OK;
}

int party_cli_fill(int argc, char **argv)
{
    struct opt opts[] = {
        {"--db", 0, 0, 0}, {"--units", 0, 0, 0}, {"--members", 0, 0, 0}, {"--area", 0, 0, 0}};
    int got, rc = parse_opts("party fill", argc, argv, opts, JC_NELEM(opts), NULL, 0, &got);
    if (rc < 0) {
        fputs(FILL_HELP, stdout);
        return 0;
    }
    if (rc) return rc;
    if (!require_db("party fill", OPT("--db"))) return EXIT_USAGE;
    int64_t nunits = 100000, nmembers = 1000000;
    if (OPT("--units")->set && !parse_count(OPT("--units")->value, 10000000, &nunits))
        return usage_error("party fill", "%s", "--units must be a count up to 10000000");
    if (OPT("--members")->set && !parse_count(OPT("--members")->value, 2000000, &nmembers))
        return usage_error("party fill", "%s", "--members must be a count up to 2000000");
    if (nunits == 0 && nmembers > 0)
        return usage_error("party fill", "%s", "members need units (--units > 0)");
    const char *area = OPT("--area")->set ? OPT("--area")->value : "410105008000";
    struct cli k;
    if (cli_open(&k, OPT("--db")->value, true)) return 1;
    if (!json_is_true(config_get(&k.c, "demo.world"))) {
        fprintf(stderr,
                "%s party fill: %s is not a demo database (jiceng init --demo); bench "
                "data writes no audit records and is refused elsewhere\n",
                cli_prog, OPT("--db")->value);
        cli_close(&k);
        return 1;
    }
    struct fill f = {.k = &k};
    if ((rc = db_party_child_areas(&k.c, area, f.areas, 64, &f.nareas))) {
        rc = cli_fail(&k, "party fill", rc);
        cli_close(&k);
        return rc;
    }
    if (f.nareas == 0) {
        fprintf(stderr, "%s party fill: area %s has no areas below it\n", cli_prog, area);
        cli_close(&k);
        return 1;
    }
    f.unit_ids = calloc((size_t)nunits + 1, sizeof *f.unit_ids);
    f.org_of = calloc((size_t)nunits + 1, sizeof *f.org_of);
    if (!f.unit_ids || !f.org_of) {
        free(f.unit_ids);
        free(f.org_of);
        cli_close(&k);
        fprintf(stderr, "%s party fill: out of memory\n", cli_prog);
        return 1;
    }
    if ((rc = db_party_bulk_tuning(&k.c))) goto fail;
    if ((rc = store_begin(k.db))) goto fail;
    if ((rc = fill_units(&f, nunits))) goto rollback;
    if ((rc = fill_orgs(&f, nunits))) goto rollback;
    if (nmembers && (rc = fill_members(&f, nmembers, nunits))) goto rollback;
    if ((rc = store_commit(k.db))) goto fail;
    printf("party fill: %lld units, %lld members below %s\n", (long long)nunits,
           (long long)nmembers, area);
    free(f.unit_ids);
    free(f.org_of);
    cli_close(&k);
    return 0;
rollback:
    store_rollback(k.db);
fail:
    free(f.unit_ids);
    free(f.org_of);
    rc = cli_fail(&k, "party fill", rc);
    cli_close(&k);
    return rc;
}

static const char BENCH_HELP[] =
    "usage: jiceng party bench --db DB [--area CODE] [--rounds N] [--as-of DATE]\n"
    "Times the coverage of an area (default 410105008000) and, as the baseline, a plain\n"
    "SELECT count(*) FROM party_members on the same connection, N rounds each (default 5), and\n"
    "prints the medians in milliseconds: `coverage_ms X`, `count_ms Y` (and `asof_ms Z` with\n"
    "--as-of, the coverage rebuilt from the audit log).\n";

static double ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int party_cli_bench(int argc, char **argv)
{
    struct opt opts[] = {
        {"--db", 0, 0, 0}, {"--area", 0, 0, 0}, {"--rounds", 0, 0, 0}, {"--as-of", 0, 0, 0}};
    int got, rc = parse_opts("party bench", argc, argv, opts, JC_NELEM(opts), NULL, 0, &got);
    if (rc < 0) {
        fputs(BENCH_HELP, stdout);
        return 0;
    }
    if (rc) return rc;
    if (!require_db("party bench", OPT("--db"))) return EXIT_USAGE;
    int64_t rounds = 5;
    if (OPT("--rounds")->set && (!parse_count(OPT("--rounds")->value, 1000, &rounds) || !rounds))
        return usage_error("party bench", "%s", "--rounds must be 1–1000");
    const char *area = OPT("--area")->set ? OPT("--area")->value : "410105008000";
    const char *as_of = OPT("--as-of")->set ? OPT("--as-of")->value : NULL;
    if (!area_code_level(area))
        return usage_error("party bench", "%s", "--area must be an area code");
    if (as_of && !jc_date_valid(as_of))
        return usage_error("party bench", "%s", "--as-of must be a date YYYY-MM-DD");
    struct cli k;
    if (cli_open(&k, OPT("--db")->value, true)) return 1;
    party_filter f = {.covered = true};
    area_code_prefix(area, f.lo);
    snprintf(f.hi, sizeof f.hi, "%s:", f.lo);
    double cov[1000], cnt[1000], asof[1000];
    int64_t members = 0;
    json_t *out;
    for (int64_t i = 0; i < rounds && !rc; i++) {
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        rc = party_coverage_json(&k.c, &f, area, NULL, &out);
        cov[i] = ms_since(&t0);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if (!rc) rc = db_party_count_members(&k.c, &members);
        cnt[i] = ms_since(&t0);
        if (as_of && !rc) {
            clock_gettime(CLOCK_MONOTONIC, &t0);
            rc = party_coverage_json(&k.c, &f, area, as_of, &out);
            asof[i] = ms_since(&t0);
        }
    }
    if (rc) {
        rc = cli_fail(&k, "party bench", rc);
        cli_close(&k);
        return rc;
    }
    qsort(cov, (size_t)rounds, sizeof *cov, dbl_cmp);
    qsort(cnt, (size_t)rounds, sizeof *cnt, dbl_cmp);
    printf("members %lld\ncoverage_ms %.3f\ncount_ms %.3f\n", (long long)members, cov[rounds / 2],
           cnt[rounds / 2]);
    if (as_of) {
        qsort(asof, (size_t)rounds, sizeof *asof, dbl_cmp);
        printf("asof_ms %.3f\n", asof[rounds / 2]);
    }
    cli_close(&k);
    return 0;
}
