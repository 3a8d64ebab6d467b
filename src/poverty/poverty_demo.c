/* poverty_demo.c — the poverty registry of 巩义市北山口镇 in the demo world, reproducing the
 * figures of the source from records: 13 administrative villages, 1312 households tagged 十类重点户
 * and 77 建档立卡 households (persons with valid citizen IDs of 410181 and plausible birth dates),
 * their status histories with the 公示 of every entry and exit, the finished 2020 回头看 campaign
 * whose findings — 新识别1户4人、人口自然减少8人、漏登4人、错评1户4人、标注稳定脱贫错误需回退1户2人
 * — were recorded, approved and applied through the same rules as the API, six projects completed
 * before the end of October 2020 with their funds, 雨露计划 students, and a campaign of this year
 * still under way.
 *
 * The registry itself is written in bulk (prepared statements inside the init transaction, one
 * audit record per batch, as an import would); everything after it goes through the rules, so
 * the audit log tells the campaign's story. A fixed seed makes the world the same every time. */
#include "poverty.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOWN        "410181110000"
#define NVILLAGES   13
#define NREGISTERED 77
#define NKEY        1312

typedef struct rng {
    uint64_t s;
} rng;

static uint32_t rnd(rng *r)
{
    r->s = r->s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(r->s >> 33);
}

/* lo..hi inclusive */
static int rint_(rng *r, int lo, int hi)
{
    return lo + (int)(rnd(r) % (uint32_t)(hi - lo + 1));
}

/* 09:00 + hour offset in Shanghai on a date */
static int64_t at(const char *date, int hour)
{
    int64_t d;
    jc_date_parse(date, &d);
    return d * 86400 - JC_TZ_OFFSET + (9 + hour) * 3600;
}

static void village(int i, char out[16])
{
    snprintf(out, 16, "4101811102%02d", 1 + i % NVILLAGES);
}

/* ---- people ---- */

static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "田", "董", "袁", "潘", "于", "蒋", "蔡", "杜", "程", "苏", "魏", "吕", "丁", "任", "范", "贾",
};
static const char *const male_names[] = {
    "建国", "建军", "国强", "志强", "永刚", "卫东", "红军", "保国", "振华", "福生", "长林",
    "金山", "德顺", "玉龙", "海军", "俊杰", "浩然", "子轩", "宇航", "明辉", "东升", "铁柱",
    "占魁", "守信", "天佑", "瑞祥", "春生", "秋实", "立新", "文博", "家豪", "梓豪",
};
static const char *const female_names[] = {
    "秀英", "桂兰", "玉梅", "秀兰", "凤英", "桂芝", "淑珍", "丽娟", "春花", "翠萍",
    "红霞", "小燕", "玉兰", "美玲", "雪梅", "海燕", "欣怡", "梓涵", "雨桐", "思琪",
    "佳怡", "晓静", "艳丽", "慧敏", "金凤", "素芳", "冬梅", "月娥",
};

typedef struct idset {
    uint64_t *slot;
    size_t cap;
} idset;

static bool idset_add(idset *s, uint64_t v)
{
    v |= (uint64_t)1 << 63;
    size_t j = (v * 0x9E3779B97F4A7C15ULL) >> 50 & (s->cap - 1);
    while (s->slot[j]) {
        if (s->slot[j] == v) return false;
        j = (j + 1) & (s->cap - 1);
    }
    s->slot[j] = v;
    return true;
}

typedef struct world {
    jc_ctx *c;
    rng r;
    idset ids;
    int64_t seq; /* keeps the 3-digit sequences apart */
    /* the candidates the campaign's findings need */
    int64_t reg[NREGISTERED];
    int64_t elderly[64], elderly_hh[64];
    int nelderly;
    int64_t daughters[16], daughters_hh[16];
    int ndaughters;
    int64_t sons[8], sons_hh[8];
    int nsons;
    int64_t key_hh[NKEY];
    int64_t students[32], students_hh[32];
    int nstudents;
    int64_t persons;
} world;

/* A citizen ID of 巩义市 for a birth date and sex, unique in this world. */
static const char *make_cid(world *w, const char *birth, int sex)
{
    char first[32];
    for (int tries = 0; tries < 1000; tries++) {
        int s = (int)(w->seq++ % 500) * 2 + (sex == 1 ? 1 : 0);
        snprintf(first, sizeof first, "410181%.4s%.2s%.2s%03d", birth, birth + 5, birth + 8, s);
        char check = citizen_id_check_char(first);
        char *id = arena_printf(w->c->a, "%s%c", first, check);
        uint64_t v = 0;
        for (int i = 0; i < 17; i++) v = v * 10 + (uint64_t)(id[i] - '0');
        v = v * 11 + (check == 'X' ? 10 : (uint64_t)(check - '0'));
        if (idset_add(&w->ids, v)) return id;
    }
    return NULL;
}

static const char *birth_in(world *w, int year)
{
    int m = rint_(&w->r, 1, 12), d = rint_(&w->r, 1, 28);
    return arena_printf(w->c->a, "%04d-%02d-%02d", year, m, d);
}

typedef struct member {
    pv_person_in in;
    int year;
} member;

static void person(world *w, member *m, const char *surname, int sex, int year, const char *rel)
{
    const char *given = sex == 1 ? male_names[rnd(&w->r) % JC_NELEM(male_names)]
                                 : female_names[rnd(&w->r) % JC_NELEM(female_names)];
    m->year = year;
    m->in.name = arena_printf(w->c->a, "%s%s", surname, given);
    m->in.birth_date = birth_in(w, year);
    m->in.sex = sex;
    m->in.relation = rel;
    m->in.citizen_id = make_cid(w, m->in.birth_date, sex);
    m->in.phone = NULL;
}

/* A family of n: the head, a spouse, children, grandchildren or the head's parents. `head_year`
 * sets the generation; `kids_from` forces a child born that year or later (students). */
static int family(world *w, int n, int head_year, member *out, int kids_from)
{
    const char *sn = surnames[rnd(&w->r) % JC_NELEM(surnames)];
    int head_sex = n == 1 && rint_(&w->r, 0, 2) == 0 ? 2 : 1;
    int k = 0;
    person(w, &out[k++], sn, head_sex, head_year, "户主");
    if (k < n) {
        const char *sp = surnames[rnd(&w->r) % JC_NELEM(surnames)];
        person(w, &out[k++], head_sex == 1 ? sp : sn, head_sex == 1 ? 2 : 1,
               head_year + rint_(&w->r, -2, 4), "配偶");
    }
    if (k < n && head_year < 1950 && rint_(&w->r, 0, 1)) {
        /* an old couple living with a grown son */
        person(w, &out[k++], sn, 1, head_year + rint_(&w->r, 24, 30), "子");
    }
    while (k < n) {
        int left = n - k;
        if (head_year >= 1955 && head_year < 1975 && left >= 1 && k >= 2 &&
            rint_(&w->r, 0, 3) == 0 && head_year - 28 > 1925) {
            int ps = rint_(&w->r, 1, 2);
            person(w, &out[k++], ps == 1 ? sn : surnames[rnd(&w->r) % JC_NELEM(surnames)], ps,
                   head_year - rint_(&w->r, 24, 30), ps == 1 ? "父亲" : "母亲");
            continue;
        }
        int year = head_year + rint_(&w->r, 22, 32);
        if (kids_from && year < kids_from) year = kids_from + rint_(&w->r, 0, 3);
        if (year > 2019) year = 2019 - rint_(&w->r, 0, 6);
        int sex = rint_(&w->r, 1, 2);
        if (head_year < 1958 && year < 1998 && left >= 2 && rint_(&w->r, 0, 1)) {
            /* a married son with his child */
            person(w, &out[k++], sn, 1, year, "子");
            int gy = year + rint_(&w->r, 22, 30);
            if (gy > 2019) gy = 2019 - rint_(&w->r, 0, 8);
            int gs = rint_(&w->r, 1, 2);
            person(w, &out[k++], sn, gs, gy, gs == 1 ? "孙子" : "孙女");
            continue;
        }
        person(w, &out[k++], sn, sex, year, sex == 1 ? "子" : "女");
    }
    for (int i = 0; i < n; i++)
        if (!out[i].in.citizen_id) return JC_EINTERNAL;
    return JC_OK;
}

/* ---- bulk writes ---- */

typedef struct step {
    const char *status, *kind, *date, *reason;
    bool notice;
} step;

static int write_household(world *w, const char *area, const char *no, const char *address,
                           const char **tags, int ntags, const step *steps, int nsteps, member *m,
                           int n, const char *registered, bool eligible, int64_t *hid)
{
    jc_ctx *c = w->c;
    const step *last = &steps[nsteps - 1];
    pv_household h = {.area_code = area,
                      .household_no = no,
                      .address = address,
                      .status = last->status,
                      .kind = last->kind,
                      .status_since = last->date};
    int rc = db_pv_household_insert(c, &h, &h.id);
    const char *prev = NULL, *prev_kind = NULL;
    for (int i = 0; !rc && i < nsteps; i++) {
        int64_t nid = 0;
        if (steps[i].notice) {
            int64_t d;
            jc_date_parse(steps[i].date, &d);
            char start[11], end[11];
            jc_date_format(d - 12, start);
            jc_date_format(d - 6, end);
            pv_notice nt = {.area_code = area,
                            .household_id = h.id,
                            .target_status = steps[i].status,
                            .target_kind = steps[i].kind,
                            .start_date = start,
                            .end_date = end,
                            .days = 7,
                            .place = "村务公开栏"};
            rc = db_pv_notice_insert(c, &nt, &nid);
            if (!rc) rc = db_pv_notice_set_outcome(c, nid, "used", h.id);
        }
        pv_status_row sr = {.household_id = h.id,
                            .status = steps[i].status,
                            .kind = steps[i].kind,
                            .prev_status = prev,
                            .prev_kind = prev_kind,
                            .effective_date = steps[i].date,
                            .reason = steps[i].reason,
                            .notice_id = nid};
        if (!rc) rc = db_pv_status_append(c, &sr, NULL);
        prev = steps[i].status;
        prev_kind = steps[i].kind;
    }
    for (int i = 0; !rc && i < ntags; i++) rc = db_pv_tag_add(c, h.id, tags[i]);
    for (int i = 0; !rc && i < n; i++) {
        pv_person p = {.citizen_id = m[i].in.citizen_id,
                       .name = m[i].in.name,
                       .sex = m[i].in.sex,
                       .birth_date = m[i].in.birth_date,
                       .area_code = area,
                       .household_id = h.id,
                       .relation = m[i].in.relation,
                       .state = "alive"};
        rc = db_pv_person_insert(c, &p, &p.id);
        const char *from = strcmp(p.birth_date, registered) > 0 ? p.birth_date : registered;
        if (!rc) rc = db_pv_member_join(c, p.id, h.id, p.relation, from, "登记", 0);
        if (rc) break;
        w->persons++;
        int age2020 = 2020 - m[i].year;
        if (age2020 >= 80 && (!strcmp(p.relation, "父亲") || !strcmp(p.relation, "母亲")) &&
            w->nelderly < 64) {
            w->elderly[w->nelderly] = p.id;
            w->elderly_hh[w->nelderly++] = h.id;
        }
        if (!strcmp(p.relation, "女") && age2020 >= 21 && age2020 <= 30 && w->ndaughters < 16) {
            w->daughters[w->ndaughters] = p.id;
            w->daughters_hh[w->ndaughters++] = h.id;
        }
        if (!strcmp(p.relation, "子") && age2020 >= 20 && age2020 <= 35 && w->nsons < 8) {
            w->sons[w->nsons] = p.id;
            w->sons_hh[w->nsons++] = h.id;
        }
        if (eligible && (!strcmp(p.relation, "子") || !strcmp(p.relation, "女")) &&
            m[i].year >= 2002 && m[i].year <= 2006 && w->nstudents < 32) {
            w->students[w->nstudents] = p.id;
            w->students_hh[w->nstudents++] = h.id;
        }
    }
    *hid = h.id;
    return rc;
}

static const char *const groups[] = {"一组", "二组", "三组", "四组", "五组", "六组"};

static const char *village_name(int i)
{
    static const char *const names[NVILLAGES] = {
        "北山口村", "桃园村", "南侯村", "北侯村", "小里河村", "水地河村", "柏林村",
        "白窑村",   "石窑村", "唐屯村", "东侯村", "清西村",   "兴华村"};
    return names[i % NVILLAGES];
}

/* 77 建档立卡 households: identified in October 2014 after a 公示, exited 2016–2019 after
 * another, about half marked 稳定脱贫 in May 2020; two became 脱贫不稳定户 in 2021. Household 3
 * (4 members) is the one the campaign finds wrongly assessed; household 7 (2 members) the one whose
 * 稳定脱贫 mark is rolled back. */
static int registered_households(world *w)
{
    jc_ctx *c = w->c;
    for (int i = 0; i < NREGISTERED; i++) {
        char area[16], no[32];
        village(i, area);
        snprintf(no, sizeof no, "%s%04d", area, 1 + i / NVILLAGES);
        int n = i == 3 ? 4 : i == 7 ? 2 : rint_(&w->r, 1, 6);
        bool wubao = n == 1 && i % 3 == 0;
        const char *kind = wubao ? "wubao" : i % 5 == 0 ? "dibao" : "general";
        int head_year = n == 1 ? rint_(&w->r, 1936, 1950) : rint_(&w->r, 1948, 1982);
        member m[8];
        int rc = family(w, n, head_year, m, head_year >= 1972 ? 2002 : 0);
        if (rc) return rc;
        step steps[6];
        int k = 0;
        char *d0 = arena_printf(c->a, "2014-10-%02d", rint_(&w->r, 10, 28));
        steps[k++] = (step){"poor", kind, d0, "精准识别,建档立卡", true};
        int exit_year = 2016 + i % 4;
        steps[k++] = (step){"exited", "",
                            arena_printf(c->a, "%d-%02d-%02d", exit_year, rint_(&w->r, 10, 12),
                                         rint_(&w->r, 1, 28)),
                            "达到脱贫标准,标注脱贫", true};
        if (i % 2 == 0 || i == 7)
            steps[k++] = (step){"stable", "", "2020-05-20",
                                "收入稳定、“两不愁三保障”达标,标注稳定脱贫", false};
        if (i == 11 || i == 24)
            steps[k++] = (step){"monitored", "unstable", "2021-06-15",
                                "因病支出骤增,纳入脱贫不稳定户监测", false};
        const char *tags[] = {PV_TAG_REGISTERED};
        const char *addr = arena_printf(c->a, "%s%s", village_name(i), groups[i % 6]);
        if ((rc =
                 write_household(w, area, no, addr, tags, 1, steps, k, m, n, d0, true, &w->reg[i])))
            return rc;
    }
    return audit_append(c, "import", "pv_household", "demo-registered", TOWN, NULL,
                        jc_own(c, json_pack("{s:s, s:i}", "batch", "建档立卡贫困户(演示数据)",
                                            "households", NREGISTERED)),
                        "演示数据:建档立卡贫困户");
}

/* Categories with their weights (of 100) and family sizes. */
static const struct {
    int weight, min, max;
} key_shape[] = {
    {24, 1, 5}, /* 低保户 */
    {7, 1, 2},  /* 特困供养户(五保户) */
    {18, 2, 5}, /* 残疾人户 */
    {15, 2, 5}, /* 大病户 */
    {6, 2, 5},  /* 危房户 */
    {12, 1, 1}, /* 独居老人户 */
    {7, 1, 3},  /* 无劳动力户 */
    {4, 2, 4},  /* 单亲家庭户 */
    {4, 3, 5},  /* 留守老人儿童户 */
    {3, 2, 5},  /* 突发困难户 */
};

/* 1312 households carrying one or two of the ten categories; about one in twenty-three was taken
 * into monitoring (边缘易致贫户 / 突发严重困难户) in April 2020. */
static int key_households(world *w)
{
    jc_ctx *c = w->c;
    int ncat;
    const char **cats = pv_key_tags(c, &ncat);
    if (!cats || ncat < 1) return JC_EINTERNAL;
    int shapes = ncat < (int)JC_NELEM(key_shape) ? ncat : (int)JC_NELEM(key_shape);
    for (int j = 0; j < NKEY; j++) {
        char area[16], no[32];
        village(j, area);
        snprintf(no, sizeof no, "%s%04d", area, 100 + j / NVILLAGES);
        int roll = rint_(&w->r, 0, 99), t = 0, acc = 0;
        for (t = 0; t < shapes - 1; t++) {
            acc += key_shape[t].weight;
            if (roll < acc) break;
        }
        const char *tags[2] = {cats[t], NULL};
        int ntags = 1;
        if (rint_(&w->r, 0, 5) == 0) {
            int u = rint_(&w->r, 0, shapes - 1);
            if (u != t && key_shape[u].max > 1 && key_shape[t].max > 1) tags[ntags++] = cats[u];
        }
        int n = rint_(&w->r, key_shape[t].min, key_shape[t].max);
        int head_year = n == 1 ? rint_(&w->r, 1930, 1955) : rint_(&w->r, 1945, 1985);
        member m[8];
        int rc = family(w, n, head_year, m, 0);
        if (rc) return rc;
        step steps[2];
        int k = 0;
        steps[k++] = (step){"none", "", "2019-12-20", "十类重点户摸排登记", false};
        if (j % 23 == 5)
            steps[k++] = (step){"monitored", j % 2 ? "sudden" : "marginal", "2020-04-10",
                                j % 2 ? "突发重大疾病,纳入突发严重困难户监测"
                                      : "人均纯收入低于监测线,纳入边缘易致贫户监测",
                                false};
        const char *addr = arena_printf(c->a, "%s%s", village_name(j), groups[j % 6]);
        if ((rc = write_household(w, area, no, addr, tags, ntags, steps, k, m, n, "2019-12-20",
                                  false, &w->key_hh[j])))
            return rc;
    }
    return audit_append(
        c, "import", "pv_household", "demo-key", TOWN, NULL,
        jc_own(c, json_pack("{s:s, s:i}", "batch", "十类重点户(演示数据)", "households", NKEY)),
        "演示数据:十类重点户");
}

/* ---- the campaign, through the rules ---- */

static int as_user(jc_ctx *c, const char *username, jc_user *u)
{
    int64_t id;
    int rc = user_find_id(c, username, &id);
    if (!rc) rc = user_load(c, id, u);
    return rc;
}

typedef struct actors {
    jc_user officer, admin;
} actors;

/* recorded by the officer, submitted, approved by the administrator, applied */
static int finding(jc_ctx *c, actors *a, int64_t review, int64_t household, const char *type,
                   json_t *payload, const char *effective, const char *desc, const char *evidence,
                   const char *day, int64_t *out)
{
    const jc_user *keep = c->user;
    int64_t id;
    pv_change ch;
    c->user = &a->officer;
    c->now = at(day, 0);
    pv_change_in in = {.review_id = review,
                       .household_id = household,
                       .type = type,
                       .payload = jc_own(c, payload),
                       .evidence = evidence,
                       .description = desc,
                       .effective_date = effective};
    int rc = pv_change_create(c, &in, &id);
    if (!rc) rc = db_pv_change_get(c, id, &ch);
    if (!rc) rc = pv_change_transition(c, id, ch.version, "submit", NULL);
    c->user = &a->admin;
    c->now = at(day, 3);
    if (!rc) rc = db_pv_change_get(c, id, &ch);
    if (!rc) rc = pv_change_transition(c, id, ch.version, "approve", NULL);
    c->user = &a->officer;
    if (out) *out = id;
    c->user = keep;
    return rc;
}

static int apply_on(jc_ctx *c, actors *a, int64_t id, const char *day)
{
    const jc_user *keep = c->user;
    pv_change ch;
    c->user = &a->officer;
    c->now = at(day, 1);
    int rc = db_pv_change_get(c, id, &ch);
    if (!rc) rc = pv_change_transition(c, id, ch.version, "apply", NULL);
    c->user = keep;
    return rc;
}

static json_t *leave(int64_t pid, const char *reason, const char *date)
{
    return json_pack("{s:I, s:s, s:s}", "person_id", (json_int_t)pid, "reason", reason, "date",
                     date);
}

static json_t *newcomer(world *w, const char *surname, int sex, const char *birth,
                        const char *relation)
{
    const char *given = sex == 1 ? male_names[rnd(&w->r) % JC_NELEM(male_names)]
                                 : female_names[rnd(&w->r) % JC_NELEM(female_names)];
    return json_pack("{s:s, s:s, s:s}", "name", arena_printf(w->c->a, "%s%s", surname, given),
                     "citizen_id", make_cid(w, birth, sex), "relation", relation);
}

static const char *surname_of(world *w, int64_t household)
{
    pv_household h;
    if (db_pv_household_get(w->c, household, &h) || !h.head_name) return "王";
    return arena_strndup(w->c->a, h.head_name, 3); /* one CJK character */
}

/* Picks n candidates whose households differ from each other and from those used so far,
 * taking every third one so that they spread over the villages. */
static bool pick(const int64_t *ids, const int64_t *hhs, int count, int n, int64_t *used,
                 int *nused, int64_t *out_p, int64_t *out_h)
{
    int got = 0;
    for (int pass = 0; pass < 3 && got < n; pass++)
        for (int i = pass; i < count && got < n; i += 3) {
            bool taken = false;
            for (int k = 0; k < *nused; k++) taken |= used[k] == hhs[i];
            if (taken) continue;
            out_p[got] = ids[i];
            out_h[got++] = hhs[i];
            used[(*nused)++] = hhs[i];
        }
    return got == n;
}

static int campaign_2020(world *w, actors *a, int64_t *review_id)
{
    jc_ctx *c = w->c;
    c->user = &a->officer;
    c->now = at("2020-08-03", 0);
    static const char *focus[] = {"key", "registered"};
    const int64_t checkers[] = {a->officer.id};
    pv_review_in in = {.area_code = TOWN,
                       .name = "2020年脱贫攻坚“回头看”排查",
                       .start_date = "2020-08-03",
                       .end_date = "2020-09-30",
                       .note = "对全镇13个行政村的十类重点户和建档立卡贫困户逐户走访,"
                               "核实家庭人口、收入和“两不愁三保障”情况。",
                       .focus = focus,
                       .nfocus = 2,
                       .checkers = checkers,
                       .ncheckers = 1};
    int rc = pv_review_create(c, &in, review_id);
    if (rc) return rc;
    int64_t rid = *review_id;

    /* the findings, each on the day its household was visited */
    int64_t ids[16];
    int n = 0;
    /* 新识别1户4人: a family in 水地河村 fallen into poverty through illness, 公示 then 纳入 */
    json_t *persons = json_array();
    json_array_append_new(persons, newcomer(w, "范", 1, "1972-04-16", "户主"));
    json_array_append_new(persons, newcomer(w, "郭", 2, "1974-09-02", "配偶"));
    json_array_append_new(persons, newcomer(w, "范", 2, "1999-11-23", "女"));
    json_array_append_new(persons, newcomer(w, "范", 1, "2004-06-08", "子"));
    json_t *payload =
        json_pack("{s:{s:s, s:s, s:s, s:[s]}, s:o, s:s, s:s}", "household", "area", "410181110206",
                  "household_no", "4101811102060990", "address", "水地河村三组", "tags",
                  PV_TAG_REGISTERED, "persons", persons, "status", "poor", "kind", "general");
    if ((rc = finding(c, a, rid, 0, "new", payload, "2020-09-05",
                      "户主范某2019年底确诊尿毒症,长期透析,家庭人均纯收入低于国家扶贫标准,"
                      "经农户申请、村民代表评议,拟新识别为贫困户。",
                      "农户申请书、医院诊断证明、收入核算表、村民代表评议记录", "2020-08-12",
                      &ids[n++])))
        return rc;
    c->user = &a->officer;
    c->now = at("2020-08-20", 0);
    int64_t notice;
    if ((rc = pv_notice_start(c, 0, ids[0], "poor", "general", "2020-08-20", 7, "水地河村务公开栏",
                              &notice)))
        return rc;

    /* 人口自然减少8人: five elderly parents who died, two daughters married out, one son moved —
     * in eight different households, spread over the villages */
    int64_t used[8];
    int nused = 0;
    int64_t pick_p[8], pick_h[8];
    if (!pick(w->elderly, w->elderly_hh, w->nelderly, 5, used, &nused, pick_p, pick_h) ||
        !pick(w->daughters, w->daughters_hh, w->ndaughters, 2, used, &nused, pick_p + 5,
              pick_h + 5) ||
        !pick(w->sons, w->sons_hh, w->nsons, 1, used, &nused, pick_p + 7, pick_h + 7))
        return JC_EINTERNAL;
    static const char *const death_days[] = {"2020-01-17", "2020-03-02", "2020-04-25", "2020-06-11",
                                             "2020-07-08"};
    for (int i = 0; i < 5; i++) {
        json_t *p = json_pack("{s:[o]}", "persons", leave(pick_p[i], "deceased", death_days[i]));
        if ((rc = finding(c, a, rid, pick_h[i], "decrease", p, NULL,
                          "老人已病故,户籍已注销,系统中仍为在册人口。", "死亡证明、户籍注销证明",
                          arena_printf(c->a, "2020-08-%02d", 4 + i), &ids[n++])))
            return rc;
    }
    for (int i = 0; i < 2; i++) {
        json_t *p = json_pack("{s:[o]}", "persons",
                              leave(pick_p[5 + i], "married_out", i ? "2019-10-02" : "2020-01-06"));
        if ((rc = finding(c, a, rid, pick_h[5 + i], "decrease", p, NULL, "女儿已出嫁并迁出户口。",
                          "结婚证、户口迁移证明", arena_printf(c->a, "2020-08-%02d", 10 + i),
                          &ids[n++])))
            return rc;
    }
    json_t *p = json_pack("{s:[o]}", "persons", leave(pick_p[7], "moved_out", "2020-05-18"));
    if ((rc = finding(c, a, rid, pick_h[7], "decrease", p, NULL, "儿子在郑州落户,户口已迁出。",
                      "户口迁移证明", "2020-08-13", &ids[n++])))
        return rc;

    /* 漏登4人: two babies, a daughter-in-law married in and her son */
    int64_t h1 = w->key_hh[40], h2 = w->reg[20], h3 = w->key_hh[415];
    const char *s1 = surname_of(w, h1), *s2 = surname_of(w, h2), *s3 = surname_of(w, h3);
    if ((rc = finding(c, a, rid, h1, "missed",
                      json_pack("{s:[o]}", "persons", newcomer(w, s1, 2, "2020-02-14", "孙女")),
                      "2020-08-17", "2020年2月出生的孙女未登记入户。", "出生医学证明、户口簿",
                      "2020-08-17", &ids[n++])))
        return rc;
    if ((rc = finding(c, a, rid, h2, "missed",
                      json_pack("{s:[o]}", "persons", newcomer(w, s2, 1, "2019-12-30", "孙子")),
                      "2020-08-18", "2019年底出生的孙子未登记入户。", "出生医学证明、户口簿",
                      "2020-08-18", &ids[n++])))
        return rc;
    if ((rc = finding(c, a, rid, h3, "missed",
                      json_pack("{s:[o, o]}", "persons", newcomer(w, "杜", 2, "1996-03-21", "儿媳"),
                                newcomer(w, s3, 1, "2020-05-30", "孙子")),
                      "2020-08-19", "儿媳2019年嫁入并落户,其子2020年出生,均未登记。",
                      "结婚证、户口簿、出生医学证明", "2020-08-19", &ids[n++])))
        return rc;

    /* 错评1户4人: a registered household whose income was above the line when it was identified */
    if ((rc = finding(c, a, rid, w->reg[3], "wrong_assess", json_object(), "2020-09-08",
                      "经核查,该户2014年识别时家庭有稳定工资性收入,人均纯收入高于当年扶贫标准,"
                      "属错评,予以清退。",
                      "收入核算表、务工证明、村民代表评议记录", "2020-08-24", &ids[n++])))
        return rc;
    /* 标注稳定脱贫错误需回退1户2人 */
    if ((rc = finding(c, a, rid, w->reg[7], "wrong_exit", json_object(), "2020-09-08",
                      "户主今年因病丧失劳动能力,收入不稳定,不符合稳定脱贫条件,"
                      "稳定脱贫标注予以回退。",
                      "医院诊断证明、收入核算表", "2020-08-25", &ids[n++])))
        return rc;

    /* every household of the set was visited in August and September */
    json_t *checks = jc_own(c, json_array());
    int64_t total;
    pv_check_filter f = {.review_id = rid, .checked = 0, .limit = 5000};
    if ((rc = db_pv_review_checks(c, &f, true, checks, &total))) return rc;
    size_t i;
    json_t *k;
    c->user = &a->officer;
    json_array_foreach(checks, i, k)
    {
        int day = (int)(i * 50 / json_array_size(checks));
        int64_t d;
        jc_date_parse("2020-08-03", &d);
        char ds[11];
        jc_date_format(d + day, ds);
        c->now = at(ds, (int)(i % 8));
        if ((rc = pv_review_check(c, rid, json_integer_value(json_object_get(k, "household_id")),
                                  "ok", "入户核实,信息准确",
                                  json_integer_value(json_object_get(k, "version")))))
            return rc;
    }

    /* applied once approved; 新识别 after its 公示 */
    for (int j = 1; j < n; j++)
        if ((rc = apply_on(c, a, ids[j], j < 9 ? "2020-08-28" : "2020-09-08"))) return rc;
    if ((rc = apply_on(c, a, ids[0], "2020-09-05"))) return rc;

    pv_review r;
    c->user = &a->officer;
    c->now = at("2020-09-30", 8);
    if ((rc = db_pv_review_get(c, rid, &r))) return rc;
    return pv_review_edit(c, rid, r.version, NULL, NULL, NULL, NULL, 0, false, true);
}

/* This year's 防返贫 monitoring round: under way, a third of the households visited, one death
 * recorded and waiting for approval. */
static int campaign_now(world *w, actors *a, int64_t real_now)
{
    jc_ctx *c = w->c;
    char today[11], start[11], end[11];
    int64_t d;
    jc_date_local(real_now, today);
    jc_date_parse(today, &d);
    jc_date_format(d - 20, start);
    jc_date_format(d + 25, end);
    c->user = &a->officer;
    c->now = at(start, 0);
    static const char *focus[] = {"registered"};
    const int64_t checkers[] = {a->officer.id};
    pv_review_in in = {.area_code = TOWN,
                       .name = arena_printf(c->a, "%.4s年防止返贫动态监测集中排查", today),
                       .start_date = start,
                       .end_date = end,
                       .note = "对建档立卡脱贫户逐户排查收入变化和“两不愁三保障”情况。",
                       .focus = focus,
                       .nfocus = 1,
                       .checkers = checkers,
                       .ncheckers = 1};
    int64_t rid;
    int rc = pv_review_create(c, &in, &rid);
    if (rc) return rc;
    json_t *checks = jc_own(c, json_array());
    int64_t total;
    pv_check_filter f = {.review_id = rid, .checked = 0, .limit = 5000};
    if ((rc = db_pv_review_checks(c, &f, true, checks, &total))) return rc;
    for (size_t i = 0; i < json_array_size(checks); i += 3) {
        json_t *k = json_array_get(checks, i);
        c->now = at(start, (int)(i % 9)) + (int64_t)(i / 3) * 43200;
        if (c->now > real_now - 3600) c->now = real_now - 3600;
        if ((rc = pv_review_check(c, rid, json_integer_value(json_object_get(k, "household_id")),
                                  "ok", "收入稳定,“两不愁三保障”达标",
                                  json_integer_value(json_object_get(k, "version")))))
            return rc;
    }
    /* an elderly member of a registered household died: recorded and submitted */
    int64_t id;
    pv_person pp = {0};
    for (int i = w->nelderly - 1; i >= 0 && !pp.household_id; i--)
        for (int k = 0; k < NREGISTERED; k++)
            if (w->elderly_hh[i] == w->reg[k] && k != 3) {
                if ((rc = db_pv_person_get(c, w->elderly[i], &pp))) return rc;
                break; /* alive and still a member, or the next candidate */
            }
    if (!pp.household_id) return JC_OK;
    c->now = real_now - 7200;
    char died[11];
    jc_date_format(d - 9, died);
    pv_change_in ci = {
        .review_id = rid,
        .household_id = pp.household_id,
        .type = "decrease",
        .payload = jc_own(c, json_pack("{s:[o]}", "persons", leave(pp.id, "deceased", died))),
        .description = "老人病故,待审核后减员。",
        .evidence = "死亡证明"};
    if ((rc = pv_change_create(c, &ci, &id))) return rc;
    pv_change ch;
    if ((rc = db_pv_change_get(c, id, &ch))) return rc;
    return pv_change_transition(c, id, ch.version, "submit", NULL);
}

/* ---- projects, funds, 雨露计划 ---- */

struct demo_project {
    const char *village, *name, *type, *desc, *responsible;
    int64_t budget_yuan;
    const char *start, *planned, *actual, *accepted;
};

static const struct demo_project projects_2020[] = {
    {"410181110201", "北山口村设施农业大棚", "产业扶贫", "新建日光温室大棚12座,带动贫困户务工增收",
     "北山口村委会", 800000, "2020-03-10", "2020-06-30", "2020-06-20", "2020-07-05"},
    {"410181110202", "桃园村安全饮水巩固提升工程", "安全饮水", "新打机井1眼,铺设管网3.2公里",
     "镇水利站", 360000, "2020-04-01", "2020-07-31", "2020-07-15", "2020-07-28"},
    {"410181110206", "水地河村通组道路硬化", "基础设施", "硬化通组道路2.6公里,宽4米", "镇交通办",
     1250000, "2020-04-15", "2020-08-31", "2020-08-31", "2020-09-15"},
    {"410181110205", "小里河村光伏扶贫电站", "光伏扶贫", "建设村级光伏电站300千瓦,收益用于公益岗位",
     "镇扶贫办", 960000, "2020-05-06", "2020-09-30", "2020-09-18", "2020-10-10"},
    {"410181110209", "石窑村危房改造", "危房改造", "完成12户C、D级危房改造", "镇建设所", 420000,
     "2020-06-01", "2020-10-31", "2020-10-12", "2020-10-26"},
    {"410181110207", "柏林村扶贫车间", "就业扶贫", "建设标准化扶贫车间1座,吸纳30人就业",
     "柏林村委会", 680000, "2020-06-10", "2020-10-31", "2020-10-28", NULL},
    {"410181110210", "唐屯村小杂粮加工项目", "产业扶贫", "购置小杂粮加工设备一套", "唐屯村委会",
     300000, "2020-07-01", "2020-11-30", "2020-11-20", "2020-12-05"},
};

struct demo_source {
    const char *name, *level;
    int64_t amount_yuan;
};
static const struct demo_source sources_2020[] = {
    {"2020年中央财政专项扶贫资金", "中央", 2600000},
    {"2020年省级财政专项扶贫资金", "省级", 1500000},
    {"2020年巩义市财政专项扶贫资金", "县级", 900000},
};

static int funds_and_projects(world *w, actors *a, int64_t real_now)
{
    jc_ctx *c = w->c;
    c->user = &a->officer;
    int64_t src[3], prj[JC_NELEM(projects_2020)];
    int rc;
    for (int i = 0; i < 3; i++) {
        c->now = at("2020-03-02", i);
        pv_source s = {.area_code = TOWN,
                       .name = sources_2020[i].name,
                       .level = sources_2020[i].level,
                       .year = 2020,
                       .amount_fen = sources_2020[i].amount_yuan * 100,
                       .note = i == 0   ? "豫财农〔2020〕12号"
                               : i == 1 ? "豫财农〔2020〕31号"
                                        : "巩财〔2020〕8号"};
        if ((rc = pv_source_create(c, &s, &src[i]))) return rc;
    }
    for (size_t i = 0; i < JC_NELEM(projects_2020); i++) {
        const struct demo_project *d = &projects_2020[i];
        c->now = at(d->start, -1);
        pv_project p = {.area_code = d->village,
                        .name = d->name,
                        .type = d->type,
                        .description = d->desc,
                        .responsible = d->responsible,
                        .budget_fen = d->budget_yuan * 100,
                        .start_date = d->start,
                        .planned_end = d->planned};
        if ((rc = pv_project_create(c, &p, &prj[i]))) return rc;
    }
    /* allocations: central money first, then provincial, then the city's */
    int64_t left[3] = {2600000, 1500000, 900000};
    int64_t alloc_ids[32];
    int nalloc = 0;
    for (size_t i = 0; i < JC_NELEM(projects_2020); i++) {
        int64_t need = projects_2020[i].budget_yuan;
        for (int s = 0; s < 3 && need > 0; s++) {
            int64_t take = need < left[s] ? need : left[s];
            if (take <= 0) continue;
            c->now = at(projects_2020[i].start, 2);
            if ((rc = pv_allocate(c, src[s], prj[i], take * 100, projects_2020[i].start,
                                  "按项目计划下达", &alloc_ids[nalloc])))
                return rc;
            nalloc++;
            left[s] -= take;
            need -= take;
        }
    }
    /* progress, then payments by voucher, completion and acceptance */
    for (size_t i = 0; i < JC_NELEM(projects_2020); i++) {
        const struct demo_project *d = &projects_2020[i];
        pv_project p;
        if ((rc = db_pv_project_get(c, prj[i], &p))) return rc;
        pv_project ch = {.budget_fen = -1, .progress = 60};
        c->now = at(d->start, 0) + 30 * 86400;
        if ((rc = pv_project_edit(c, prj[i], p.version, &ch, false))) return rc;
        if ((rc = db_pv_project_get(c, prj[i], &p))) return rc;
        pv_project done = {.budget_fen = -1, .progress = -1, .actual_end = d->actual};
        if (d->accepted) {
            done.acceptance = "passed";
            done.accepted_on = d->accepted;
        }
        c->now = at(d->accepted ? d->accepted : d->actual, 2);
        if ((rc = pv_project_edit(c, prj[i], p.version, &done, false))) return rc;
    }
    /* pay 70 % on progress and the rest (less a 5 % retention on the last two) at the end */
    json_t *allocs = jc_own(c, json_array());
    if ((rc = db_pv_allocation_list(c, "", "~", true, 0, 0, allocs))) return rc;
    size_t i;
    json_t *al;
    int voucher = 12;
    json_array_foreach(allocs, i, al)
    {
        int64_t id = json_integer_value(json_object_get(al, "id"));
        int64_t amount = json_integer_value(json_object_get(al, "amount_fen"));
        int64_t pid = json_integer_value(json_object_get(al, "project_id"));
        size_t k = 0;
        while (k < JC_NELEM(projects_2020) && prj[k] != pid) k++;
        const struct demo_project *d = &projects_2020[k];
        int64_t first = amount * 70 / 100;
        int64_t rest = k >= 5 ? amount * 25 / 100 : amount - first;
        const char *payee = k == 1   ? "巩义市水利工程有限公司"
                            : k == 2 ? "河南豫通路桥建设有限公司"
                            : k == 3 ? "郑州晶阳新能源科技有限公司"
                            : k == 4 ? "巩义市宏达建筑工程有限公司"
                                     : "巩义市北山口镇建筑安装队";
        int64_t dd;
        jc_date_parse(d->start, &dd);
        char on[11];
        jc_date_format(dd + 35, on);
        c->now = at(on, 3);
        int64_t did;
        if ((rc = pv_disburse(c, id,
                              arena_printf(c->a, "记-2020-%02d-%04d", 3 + voucher / 10, voucher),
                              payee, on, first, "进度款", &did)))
            return rc;
        voucher++;
        jc_date_parse(d->actual, &dd);
        jc_date_format(dd + 12, on);
        c->now = at(on, 3);
        if (c->now > real_now) c->now = real_now - 3600;
        if ((rc = pv_disburse(
                 c, id, arena_printf(c->a, "记-2020-%02d-%04d", 3 + voucher / 10, voucher), payee,
                 on, rest, k >= 5 ? "竣工结算款(留5%质保金)" : "竣工结算款", &did)))
            return rc;
        voucher++;
    }
    /* this year's: one on schedule, one overdue */
    char today[11], s1[11], p1[11], s2[11], p2[11];
    int64_t t;
    jc_date_local(real_now, today);
    jc_date_parse(today, &t);
    jc_date_format(t - 120, s1);
    jc_date_format(t + 60, p1);
    jc_date_format(t - 200, s2);
    jc_date_format(t - 15, p2);
    c->now = real_now - 86400 * 120;
    pv_project cur[2] = {
        {.area_code = "410181110212",
         .name = "清西村红薯粉条加工扩建",
         .type = "产业扶贫",
         .description = "扩建加工车间400平方米,带动脱贫户和监测户务工",
         .responsible = "清西村委会",
         .budget_fen = 52000000,
         .start_date = s1,
         .planned_end = p1,
         .progress = 45},
        {.area_code = "410181110213",
         .name = "兴华村生产便道修建",
         .type = "基础设施",
         .description = "修建生产便道1.8公里",
         .responsible = "镇交通办",
         .budget_fen = 46000000,
         .start_date = s2,
         .planned_end = p2,
         .progress = 80},
    };
    for (int k = 0; k < 2; k++) {
        int64_t id;
        if ((rc = pv_project_create(c, &cur[k], &id))) return rc;
    }
    /* 雨露计划: 2020–2021 school year, both semesters paid */
    int paid = 0;
    static const char *const schools[][3] = {
        {"巩义市中等专业学校", "机电技术应用", "secondary"},
        {"郑州铁路职业技术学院", "铁道机车", "higher"},
        {"河南经贸职业学院", "会计", "higher"},
        {"巩义市第二中等专业学校", "计算机应用", "secondary"},
        {"郑州职业技术学院", "护理", "higher"},
        {"河南职业技术学院", "烹饪工艺与营养", "higher"},
        {"巩义市中等专业学校", "汽车运用与维修", "secondary"},
        {"郑州旅游职业学院", "酒店管理", "higher"},
    };
    for (int k = 0; k < w->nstudents && paid < 8; k++) {
        pv_person pp;
        if ((rc = db_pv_person_get(c, w->students[k], &pp))) return rc;
        if (!pp.household_id || strcmp(pp.birth_date, "2005-08-31") > 0) continue;
        c->now = at("2020-09-20", k % 6);
        pv_yulu_in in = {.person_id = pp.id,
                         .school_year = "2020-2021",
                         .school = schools[paid][0],
                         .major = schools[paid][1],
                         .level = schools[paid][2],
                         .enrolled_on = "2020-09-01",
                         .full_time = true};
        int64_t yid, pay;
        rc = pv_yulu_apply(c, &in, &yid);
        if (rc == JC_EUNPROC) { /* e.g. the household found wrongly assessed */
            c->err = (jc_err){0};
            continue;
        }
        if (rc) return rc;
        c->now = at("2020-11-16", 1);
        if ((rc = pv_yulu_pay(c, yid, 1, "2020-11-16",
                              arena_printf(c->a, "雨露-2020-%03d", 2 * paid + 1), &pay)))
            return rc;
        c->now = at("2021-04-20", 1);
        if ((rc = pv_yulu_pay(c, yid, 2, "2021-04-20",
                              arena_printf(c->a, "雨露-2021-%03d", 2 * paid + 2), &pay)))
            return rc;
        paid++;
    }
    /* this school year: the younger ones still studying, first semester paid */
    int y, m, dday;
    jc_civil_from_days(t, &y, &m, &dday);
    int sy = m >= 9 ? y : y - 1;
    const char *school_year = arena_printf(c->a, "%d-%d", sy, sy + 1);
    char enrolled[11], paid_on[11];
    snprintf(enrolled, sizeof enrolled, "%d-09-01", sy);
    snprintf(paid_on, sizeof paid_on, "%d-11-15", sy);
    if (strcmp(paid_on, today) > 0) jc_date_format(t - 1, paid_on);
    int current = 0;
    for (int k = w->nstudents - 1; k >= 0 && current < 4; k--) {
        pv_person pp;
        if ((rc = db_pv_person_get(c, w->students[k], &pp))) return rc;
        if (!pp.household_id || strcmp(pp.birth_date, "2005-01-01") < 0) continue;
        c->now = at(enrolled, 2 + current);
        if (c->now > real_now) c->now = real_now - 7200;
        pv_yulu_in in = {.person_id = pp.id,
                         .school_year = school_year,
                         .school = schools[(current + 3) % 8][0],
                         .major = schools[(current + 3) % 8][1],
                         .level = schools[(current + 3) % 8][2],
                         .enrolled_on = enrolled,
                         .full_time = true};
        int64_t yid, pay;
        rc = pv_yulu_apply(c, &in, &yid);
        if (rc == JC_ECONFLICT || rc == JC_EUNPROC) {
            c->err = (jc_err){0};
            continue;
        }
        if (rc) return rc;
        c->now = at(paid_on, 1);
        if (c->now > real_now) c->now = real_now - 3600;
        if ((rc = pv_yulu_pay(c, yid, 1, paid_on,
                              arena_printf(c->a, "雨露-%d-%03d", sy, current + 1), &pay)))
            return rc;
        current++;
    }
    return JC_OK;
}

int poverty_demo(jc_ctx *c)
{
    int64_t real_now = c->now;
    const jc_user *system = c->user;
    world *w = calloc(1, sizeof *w);
    if (!w) return JC_ENOMEM;
    w->c = c;
    w->r.s = 20200803;
    w->ids.cap = 1 << 14;
    w->ids.slot = calloc(w->ids.cap, sizeof *w->ids.slot);
    actors a;
    int rc = w->ids.slot ? JC_OK : JC_ENOMEM;
    if (!rc) rc = as_user(c, "poverty", &a.officer);
    if (!rc) rc = as_user(c, "admin", &a.admin);
    c->now = at("2020-03-01", 0);
    if (!rc) rc = registered_households(w);
    if (!rc) rc = key_households(w);
    int64_t review;
    if (!rc) rc = campaign_2020(w, &a, &review);
    if (!rc) rc = funds_and_projects(w, &a, real_now);
    if (!rc) rc = campaign_now(w, &a, real_now);
    c->user = system;
    c->now = real_now;
    free(w->ids.slot);
    free(w);
    return rc;
}
