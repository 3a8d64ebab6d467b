/* party_demo.c — the 两新 party-building network of 文化路街道 as DOMAIN.md describes it, built
 * through the domain's own functions so that every figure comes from records and every record
 * has its history: 42 units with party organizations (26 of their own, 16 in three joint
 * branches of the shop streets 蓝堡湾贵人街 and 天骄金街 and of the 大学生创业园), 2 in
 * preparation (传世老汤饸饹面 has applied), 8 set up this year, the named units, demonstration
 * points with the instructor stationed there, incubation plans, members in every stage of the
 * pipeline, dues, the 三向服务清单 and joint meetings.
 *
 * Time is simulated: the office started the ledger two years ago (every unit and organization
 * that existed then is registered on that day), and everything later is written on its own
 * date, so that `coverage?as_of=` shows the network growing. */
#include "party.h"

#include <stdio.h>
#include <string.h>

#define STREET "410105008000"

static const char *const communities[7] = {
    STREET,         "410105008001", /* 农科路社区 */
    "410105008002",                 /* 文化路社区 */
    "410105008003",                 /* 红专路社区 */
    "410105008004",                 /* 关虎屯社区 */
    "410105008005",                 /* 丰产路社区 */
    "410105008006",                 /* 大学生创业园社区 */
};

/* community centres (from the area tree) for placing units */
static const double centre[7][2] = {
    {34.7826, 113.6630}, {34.7885, 113.6680}, {34.7820, 113.6600}, {34.7780, 113.6690},
    {34.7762, 113.6600}, {34.7835, 113.6700}, {34.7890, 113.6587},
};

/* boundaries: the street and a partition of it into its six communities ([lat, lng] corners) */
struct box {
    const char *code;
    double lat0, lng0, lat1, lng1;
};
static const struct box boxes[] = {
    {"410105008006", 34.7855, 113.6550, 34.7925, 113.6625},
    {"410105008001", 34.7855, 113.6625, 34.7925, 113.6735},
    {"410105008002", 34.7785, 113.6550, 34.7855, 113.6650},
    {"410105008005", 34.7815, 113.6650, 34.7855, 113.6735},
    {"410105008004", 34.7740, 113.6550, 34.7785, 113.6650},
    {"410105008003", 34.7740, 113.6650, 34.7815, 113.6735},
};

/* ---- time ---- */

struct clock {
    int year;        /* this year */
    int64_t today;   /* days */
    int64_t adopted; /* the day the office started the ledger: 1 March two years ago */
    int64_t real_now;
};

static void set_day(jc_ctx *c, int64_t day, int hour)
{
    c->now = day * 86400 - JC_TZ_OFFSET + hour * 3600;
}

static const char *ymd(jc_ctx *c, int64_t day)
{
    char *s = arena_alloc(c->a, 11);
    if (s) jc_date_format(day, s);
    return s;
}

static int64_t civil(int y, int m, int d)
{
    return jc_days_from_civil(y, m, d);
}

/* ---- deterministic variety ---- */

static uint32_t rng = 20120301u;
static uint32_t rnd(uint32_t n)
{
    rng = rng * 1664525u + 1013904223u;
    return (rng >> 8) % (n ? n : 1);
}

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
                                       "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗",
                                       "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧"};
static const char *const given[] = {
    "建华", "秀英", "志强", "丽娟", "海燕", "伟",   "芳",   "敏",   "静",   "磊",   "洋",   "艳",
    "勇",   "军",   "杰",   "娜",   "涛",   "明",   "超",   "霞",   "平",   "刚",   "桂英", "文",
    "辉",   "鹏",   "华",   "飞",   "玲",   "晨",   "宇",   "欣悦", "博",   "浩然", "婷",   "雪",
    "琳",   "晓东", "子涵", "思远", "国栋", "红梅", "立新", "春燕", "振宇", "佳怡", "俊峰", "雅琴"};

static int member_seq;
static int other_seq; /* contacts and committee members who are not registered here */

static const char *other_name(jc_ctx *c)
{
    int i = other_seq++;
    return arena_printf(c->a, "%s%s", surnames[(i * 13 + 5) % JC_NELEM(surnames)],
                        given[(i * 17 + 7 + i / 48) % JC_NELEM(given)]);
}

struct person {
    char name[32];
    char cid[19];
    char phone[12];
    int64_t birth;
};

static void person(jc_ctx *c, int birth_year, struct person *p)
{
    int i = member_seq++;
    snprintf(p->name, sizeof p->name, "%s%s", surnames[(i * 7 + 3) % JC_NELEM(surnames)],
             given[(i * 11 + i / 30) % JC_NELEM(given)]);
    int m = 1 + (int)rnd(12), d = 1 + (int)rnd(28);
    p->birth = civil(birth_year, m, d);
    char first17[40];
    int seq = 100 + i % 900; /* unique per person: fewer than 900 people */
    snprintf(first17, sizeof first17, "410105%04d%02d%02d%03d", birth_year % 10000, m, d, seq);
    first17[17] = '\0';
    snprintf(p->cid, sizeof p->cid, "%.17s%c", first17, citizen_id_check_char(first17));
    char phone[24];
    snprintf(phone, sizeof phone, "139%08d", (37100000 + i * 7) % 100000000);
    memcpy(p->phone, phone, sizeof p->phone - 1);
    p->phone[sizeof p->phone - 1] = '\0';
    (void)c;
}

/* ---- units ---- */

enum cov { OWN, JOINT_GRW, JOINT_TJ, JOINT_PARK, PREP, INCUB, NONE, CLOSED };

struct demo_unit {
    const char *name, *kind, *category;
    int community, employees;
    enum cov cov;
    const char *address;
    int formal, probationary; /* members working there (own organizations: see orgs) */
    const char *code;         /* fixed credit code (a pilot code), else generated */
};

static const struct demo_unit units[] = {
    /* own organizations: index = organization below */
    {"郑州晨钟教育集团", "social", "民办教育", 3, 860, OWN, "金水区红专路12号", 0, 0, NULL},
    {"金水区众创家协会", "social", "创客", 6, 35, OWN, "金水区文化路97号创业园A座", 0, 0, NULL},
    {"新创客协会", "social", "创客", 6, 28, OWN, "金水区文化路97号创业园B座", 0, 0, NULL},
    {"河南智业科技发展有限公司", "economic", "网络科技", 1, 120, OWN, "金水区农科路38号", 0, 0,
     NULL},
    {"河南省超级宝贝少儿艺术团", "social", "文化艺术", 2, 46, OWN, "金水区文化路56号", 0, 0, NULL},
    /* registered with a code from the 2015 pilot whose check character fails */
    {"河南田野文化艺术有限公司", "economic", "文化艺术", 5, 38, OWN, "金水区丰产路21号", 0, 0,
     "91410105MA3X52KT8C"},
    {"郑州大河网络科技有限公司", "economic", "网络科技", 1, 210, OWN, "金水区农科路16号", 0, 0,
     NULL},
    {"河南中原智汇大厦物业服务有限公司", "economic", "楼宇", 5, 66, OWN, "金水区丰产路9号", 0, 0,
     NULL},
    {"郑州博雅外国语培训学校", "social", "民办教育", 2, 52, OWN, "金水区文化路80号", 0, 0, NULL},
    {"河南云鼎信息技术有限公司", "economic", "网络科技", 1, 95, OWN, "金水区农科路52号", 0, 0,
     NULL},
    {"郑州丰产路农贸市场管理有限公司", "economic", "市场", 5, 40, OWN, "金水区丰产路66号", 0, 0,
     NULL},
    {"河南红专律师事务所", "social", "社会服务", 3, 24, OWN, "金水区红专路30号", 0, 0, NULL},
    {"郑州创新大厦运营管理有限公司", "economic", "楼宇", 6, 30, OWN, "金水区文化路99号", 0, 0,
     NULL},
    {"郑州文化路商圈管理有限公司", "economic", "商圈", 2, 18, OWN, "金水区文化路70号", 0, 0, NULL},
    {"河南启航教育科技有限公司", "economic", "民办教育", 4, 75, OWN, "金水区关虎屯街8号", 0, 0,
     NULL},
    {"郑州康宁养老服务中心", "social", "社会服务", 4, 44, OWN, "金水区关虎屯街22号", 0, 0, NULL},
    {"河南墨香书画艺术有限公司", "economic", "文化艺术", 3, 20, OWN, "金水区红专路45号", 0, 0,
     NULL},
    {"郑州数联软件有限公司", "economic", "网络科技", 6, 64, OWN, "金水区文化路97号创业园C座", 0, 0,
     NULL},
    {"河南农科路电子商务产业园管理有限公司", "economic", "楼宇", 1, 28, OWN, "金水区农科路60号", 0,
     0, NULL},
    {"郑州鑫源餐饮管理有限公司", "economic", "餐饮", 5, 130, OWN, "金水区丰产路40号", 0, 0, NULL},
    {"河南至诚会计师事务所有限公司", "economic", "社会服务", 2, 36, OWN, "金水区文化路62号", 0, 0,
     NULL},
    {"郑州青藤幼儿园", "social", "民办教育", 3, 48, OWN, "金水区红专路58号", 0, 0, NULL},
    {"郑州华联超市文化路店", "economic", "商铺", 2, 60, OWN, "金水区文化路88号", 0, 0, NULL},
    {"郑州市金水区书法家协会", "social", "文化艺术", 2, 15, OWN, "金水区文化路74号", 0, 0, NULL},
    {"河南源创孵化器管理有限公司", "economic", "创客", 6, 22, OWN, "金水区文化路97号创业园D座", 0,
     0, NULL},
    {"郑州新科物流信息有限公司", "economic", "网络科技", 4, 58, OWN, "金水区关虎屯街36号", 0, 0,
     NULL},
    /* 蓝堡湾贵人街 */
    {"贵人街老街坊烩面馆", "economic", "餐饮", 4, 12, JOINT_GRW, "蓝堡湾贵人街3号", 1, 0, NULL},
    {"贵人街便民药房", "economic", "商铺", 4, 6, JOINT_GRW, "蓝堡湾贵人街7号", 1, 0, NULL},
    {"贵人街美家超市", "economic", "商铺", 4, 15, JOINT_GRW, "蓝堡湾贵人街11号", 2, 0, NULL},
    {"贵人街时光书店", "economic", "商铺", 4, 5, JOINT_GRW, "蓝堡湾贵人街15号", 1, 1, NULL},
    {"贵人街茶语茶庄", "economic", "商铺", 4, 4, JOINT_GRW, "蓝堡湾贵人街19号", 0, 0, NULL},
    /* 天骄金街: six shops under one joint branch, over the usual five */
    {"天骄金街金顺珠宝行", "economic", "商铺", 5, 9, JOINT_TJ, "天骄金街2号", 1, 0, NULL},
    {"天骄金街雅致服饰", "economic", "商铺", 5, 7, JOINT_TJ, "天骄金街6号", 1, 0, NULL},
    {"天骄金街百味小吃城", "economic", "餐饮", 5, 26, JOINT_TJ, "天骄金街10号", 1, 1, NULL},
    {"天骄金街数码广场", "economic", "商铺", 5, 31, JOINT_TJ, "天骄金街14号", 3, 0, NULL},
    {"天骄金街康乐眼镜店", "economic", "商铺", 5, 5, JOINT_TJ, "天骄金街18号", 0, 0, NULL},
    {"天骄金街福源茶行", "economic", "商铺", 5, 4, JOINT_TJ, "天骄金街22号", 1, 0, NULL},
    /* 大学生创业园 */
    {"大学生创业园党群服务中心", "social", "创客", 6, 8, JOINT_PARK, "金水区文化路97号创业园服务楼",
     2, 0, NULL},
    {"郑州青年创客空间科技有限公司", "economic", "创客", 6, 14, JOINT_PARK,
     "金水区文化路97号创业园E座", 1, 0, NULL},
    {"河南星火文创设计有限公司", "economic", "文化艺术", 6, 11, JOINT_PARK,
     "金水区文化路97号创业园F座", 1, 0, NULL},
    {"郑州码上未来网络科技有限公司", "economic", "网络科技", 6, 19, JOINT_PARK,
     "金水区文化路97号创业园G座", 2, 0, NULL},
    {"郑州小满农业科技有限公司", "economic", "创客", 6, 9, JOINT_PARK, "金水区文化路97号创业园H座",
     1, 0, NULL},
    /* in preparation */
    {"传世老汤饸饹面", "economic", "餐饮", 4, 16, PREP, "蓝堡湾贵人街23号", 3, 0, NULL},
    {"郑州云帆网络科技有限公司", "economic", "网络科技", 1, 42, PREP, "金水区农科路70号", 3, 1,
     NULL},
    /* incubating */
    {"河南青禾文化传媒有限公司", "economic", "文化艺术", 2, 33, INCUB, "金水区文化路120号", 1, 1,
     NULL},
    {"郑州启明星教育培训学校", "social", "民办教育", 3, 27, INCUB, "金水区红专路77号", 2, 0, NULL},
    {"郑州丰产路汽车服务有限公司", "economic", "商铺", 5, 21, INCUB, "金水区丰产路88号", 1, 0,
     NULL},
    /* no organization yet */
    {"郑州味道餐饮有限公司", "economic", "餐饮", 1, 30, NONE, "金水区农科路90号", 0, 0, NULL},
    {"河南优学网络科技有限公司", "economic", "网络科技", 6, 25, NONE, "金水区文化路97号创业园J座",
     0, 1, NULL},
    {"郑州悦动健身俱乐部", "social", "社会服务", 2, 18, NONE, "金水区文化路132号", 2, 0, NULL},
    {"郑州花间美业工作室", "economic", "商铺", 4, 6, NONE, "金水区关虎屯街51号", 0, 0, NULL},
    {"郑州安居家政服务有限公司", "economic", "社会服务", 5, 40, NONE, "金水区丰产路102号", 0, 0,
     NULL},
    {"郑州红专路五金机电商行", "economic", "商铺", 3, 8, NONE, "金水区红专路91号", 0, 0, NULL},
    {"河南绿野户外运动俱乐部", "social", "社会服务", 1, 12, NONE, "金水区农科路101号", 1, 0, NULL},
    {"郑州小叮当托管中心", "social", "民办教育", 4, 10, NONE, "金水区关虎屯街60号", 0, 0, NULL},
    /* closed */
    {"郑州老字号胡辣汤馆", "economic", "餐饮", 4, 0, CLOSED, "金水区关虎屯街12号", 0, 0, NULL},
    {"郑州速达快递网点", "economic", "商铺", 1, 0, CLOSED, "金水区农科路5号", 0, 0, NULL},
};
#define NUNITS ((int)JC_NELEM(units))
#define NOWN   26

/* own organizations (one per unit 0..25) */
struct demo_org {
    const char *kind;
    int year, month, day; /* established; year 0 = this year (index into this_year[]) */
    int formal, probationary;
    bool committee; /* a 支委会 elected */
    int term_rel;   /* the current term started 1 or 2 years ago (0 = at the establishment) */
    const char *secretary;
};

static const struct demo_org orgs[NOWN] = {
    {"committee", 2014, 6, 18, 0, 0, true, 2, "张建华"}, /* members in its three branches */
    {"branch", 2017, 9, 12, 5, 1, false, 2, "刘海燕"},
    {"branch", 0, 0, 1, 4, 0, false, 0, "陈志强"},
    {"branch", 0, 0, 2, 8, 1, true, 0, "王立新"},
    {"branch", 2018, 5, 20, 4, 1, false, 2, "赵丽娟"},
    {"branch", 2019, 11, 8, 3, 0, false, 1, "孙红梅"},
    {"branch", 2016, 4, 15, 9, 0, false, 1, "周振宇"}, /* 9 formal, no 支委会 */
    {"branch", 2015, 7, 1, 6, 0, false, 2, "吴国栋"},
    {"branch", 2018, 3, 26, 5, 1, false, 2, "郑雅琴"}, /* an overdue probation */
    {"branch", 2017, 12, 5, 7, 1, true, 2, "黄俊峰"},
    {"branch", 2016, 8, 16, 4, 0, false, 1, "马春燕"},
    {"branch", 2019, 6, 30, 5, 0, false, 1, "林思远"},
    {"branch", 2020, 10, 9, 3, 1, false, 2, "何佳怡"},
    {"branch", 2021, 4, 22, 3, 0, true, 2, "郭晓东"},
    {"branch", 2017, 5, 4, 6, 1, false, 2, "罗振宇"},
    {"branch", 2018, 9, 10, 4, 0, false, 2, "梁桂英"},
    {"branch", 0, 0, 3, 3, 0, false, 0, "宋文"},
    {"branch", 0, 0, 4, 5, 1, false, 0, "韩子涵"},
    {"branch", 2022, 3, 18, 3, 0, false, 1, "唐明"},
    {"branch", 2013, 11, 20, 48, 4, true, 1, "冯立新"}, /* 52: should be a 总支 */
    {"branch", 2019, 1, 15, 4, 0, false, 1, "于海燕"},
    {"branch", 0, 0, 5, 3, 1, false, 0, "董晨"},
    {"branch", 2021, 5, 10, 4, 0, false, 0, "萧鹏"}, /* term ended: 换届 due */
    {"branch", 2016, 10, 28, 3, 0, false, 1, "王静"},
    {"branch", 0, 0, 6, 3, 0, false, 0, "李浩然"},
    {"branch", 0, 0, 7, 4, 0, false, 0, "张婷"},
};

/* the branches of 郑州晨钟教育集团党委 */
static const struct {
    const char *name, *secretary;
    int formal, probationary;
} chenzhong[] = {
    {"郑州晨钟教育集团第一党支部(高中部)", "陈思远", 36, 2},
    {"郑州晨钟教育集团第二党支部(初中部)", "杨欣悦", 34, 2},
    {"郑州晨钟教育集团第三党支部(小学部)", "刘振宇", 31, 1},
};

struct world {
    struct clock k;
    int64_t unit_id[NUNITS];
    int64_t org_id[NOWN];
    int64_t joint_id[3], prep_id[2], incub_id[3];
    int64_t chenzhong_id[3];
    int64_t full_of[NUNITS][2]; /* two full members of a unit's organization, for introducers */
    int64_t instructor, leader2;
    int64_t reg_day[NUNITS]; /* the day each unit was registered */
    int64_t recent_full[2];  /* the last two full members registered: introducers */
    int64_t probationers[128];
    int nprob;
    int64_t this_year[8]; /* the dates of the eight organizations set up this year */
};

static int64_t user(jc_ctx *c, const char *username)
{
    int64_t id = 0;
    if (user_find_id(c, username, &id)) c->err = (jc_err){0};
    return id;
}

/* A credit code: registrar 9 (市场监管) class 1 for companies, 5 (民政) 1/2 for associations and
 * private non-enterprise units, area 410105, then a generated body and its check character. */
static const char *credit_code(jc_ctx *c, const struct demo_unit *u, int i)
{
    if (u->code) return u->code;
    static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    char s[19];
    bool social = strcmp(u->kind, "social") == 0;
    snprintf(s, sizeof s, "%s410105", social ? (strstr(u->name, "协会") ? "51" : "52") : "91");
    s[8] = 'M';
    s[9] = 'A';
    for (int k = 10; k < 17; k++) s[k] = alphabet[(i * 13 + k * 7 + (int)rnd(31)) % 31];
    s[17] = '\0';
    s[17] = credit_code_check_char(s);
    s[18] = '\0';
    return arena_strdup(c->a, s);
}

static int make_unit(jc_ctx *c, struct world *w, int i)
{
    const struct demo_unit *d = &units[i];
    party_unit u = {0};
    u.area_code = communities[d->community];
    u.name = d->name;
    u.credit_code = credit_code(c, d, i);
    u.kind = d->kind;
    u.category = d->category;
    u.address = d->address;
    u.has_pos = true;
    /* spread around the community centre, inside its box */
    u.lat = centre[d->community][0] + ((double)rnd(400) - 200.0) / 100000.0;
    u.lng = centre[d->community][1] + ((double)rnd(500) - 250.0) / 100000.0;
    u.employees = d->employees;
    u.status = "operating";
    u.contact_name = other_name(c);
    u.contact_phone = arena_printf(c->a, "138%08d", 37100000 + i * 13);
    return party_unit_create(c, &u, &w->unit_id[i]);
}

/* A member with a consistent history: applied, activist, candidate, admitted, (converted). The
 * last date lies before `by` (the day the member is registered). */
static int make_member(jc_ctx *c, struct world *w, int64_t unit_id, int64_t org_id, int stage,
                       int64_t by, const char *from, int64_t *id)
{
    struct person p;
    int64_t last = by - 20 - rnd(300); /* the latest stage */
    if (stage == STAGE_FULL && rnd(3)) last -= 365 * (1 + rnd(15));
    int64_t d[STAGE__MAX];
    d[stage] = last;
    for (int s = stage - 1; s >= 0; s--) {
        /* a year and a few days: a year from 29 February ends on 1 March */
        int64_t gap = s == STAGE_PROBATIONARY ? 368 + rnd(20)
                      : s == STAGE_CANDIDATE  ? 40 + rnd(60)
                      : s == STAGE_ACTIVIST   ? 370 + rnd(200)
                                              : 90 + rnd(180);
        d[s] = d[s + 1] - gap;
    }
    int y, m, dd;
    jc_civil_from_days(d[0], &y, &m, &dd);
    person(c, y - 21 - (int)rnd(15), &p);
    party_member mb = {0};
    mb.name = arena_strdup(c->a, p.name);
    mb.citizen_id = arena_strdup(c->a, p.cid);
    mb.phone = arena_strdup(c->a, p.phone);
    mb.unit_id = unit_id;
    mb.org_id = org_id;
    mb.stage = party_stages[stage].code;
    for (int s = 0; s <= stage; s++) mb.dates.on[s] = ymd(c, d[s]);
    mb.dues_category = "regular";
    mb.income_fen = (int64_t)(2500 + rnd(95) * 100) * 100;
    if (rnd(19) == 0) { /* a few live on the minimum living allowance */
        mb.dues_category = "dibao";
        mb.income_fen = 0;
    }
    if (stage == STAGE_PROBATIONARY) {
        mb.introducer_id[0] = w->recent_full[0];
        mb.introducer_id[1] = w->recent_full[1];
    }
    int rc = party_member_create(c, &mb, from, id);
    if (!rc && stage == STAGE_PROBATIONARY && w->nprob < (int)JC_NELEM(w->probationers))
        w->probationers[w->nprob++] = *id;
    if (!rc && stage == STAGE_FULL) {
        w->recent_full[1] = w->recent_full[0];
        w->recent_full[0] = *id;
    }
    return rc;
}

/* members of an organization, registered on `on`; the first two full members are kept */
static int members_of(jc_ctx *c, struct world *w, int unit, int64_t org_id, int formal,
                      int probationary, int64_t on)
{
    int rc = JC_OK;
    for (int k = 0; k < formal + probationary && !rc; k++) {
        int64_t id;
        rc = make_member(c, w, unit >= 0 ? w->unit_id[unit] : 0, org_id,
                         k < formal ? STAGE_FULL : STAGE_PROBATIONARY, on, NULL, &id);
        if (!rc && unit >= 0 && k < 2 && k < formal) w->full_of[unit][k] = id;
    }
    return rc;
}

static const char *committee_of(jc_ctx *c, const char *secretary, int n)
{
    static const char *const duties[] = {"书记",     "组织委员", "宣传委员", "纪检委员",
                                         "青年委员", "统战委员", "群工委员"};
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:s, s:s}", "name", i ? other_name(c) : secretary,
                                           "duty", duties[i % JC_NELEM(duties)]));
    char *s = json_dumps(a, JSON_COMPACT);
    json_decref(a);
    char *r = s ? arena_strdup(c->a, s) : NULL;
    free(s);
    return r;
}

/* Creates an organization: registered as it stood on the adoption day, or prepared six weeks
 * before its date and established on it; a later election starts the current term (term, 0 =
 * none). */
static int make_org(jc_ctx *c, struct world *w, party_org *o, const int64_t *unit_ids, int n,
                    int64_t established, const char *override, int64_t term, int64_t *id)
{
    int rc;
    int64_t created = established <= w->k.adopted ? w->k.adopted : established;
    if (term && term <= established) term = 0;
    o->term_start = term && term <= created ? ymd(c, term) : NULL;
    if (established <= w->k.adopted) {
        set_day(c, w->k.adopted, 9);
        o->status = "established";
        o->established_on = ymd(c, established);
        if ((rc = party_org_create(c, o, unit_ids, n, override, id))) return rc;
    } else {
        int64_t prepared = established - 45;
        if (prepared < w->k.adopted) prepared = w->k.adopted;
        set_day(c, prepared, 10);
        o->status = "preparing";
        o->established_on = NULL;
        if ((rc = party_org_create(c, o, unit_ids, n, override, id))) return rc;
        set_day(c, established, 15);
        party_org cur;
        if ((rc = db_party_org_get(c, *id, &cur))) return rc;
        if ((rc =
                 party_org_transition(c, *id, cur.version, "establish", ymd(c, established), NULL)))
            return rc;
    }
    if (term > created) {
        /* the election of the current term */
        set_day(c, term, 15);
        party_org cur, ch = {0};
        if ((rc = db_party_org_get(c, *id, &cur))) return rc;
        ch.term_start = ymd(c, term);
        if ((rc = party_org_edit(c, *id, cur.version, &ch, false, NULL))) return rc;
    }
    return JC_OK;
}

static int own_orgs(jc_ctx *c, struct world *w)
{
    int rc;
    int k_this = 0;
    for (int i = 0; i < NOWN; i++) {
        const struct demo_org *d = &orgs[i];
        int64_t est = d->year ? civil(d->year, d->month, d->day) : w->this_year[k_this++];
        party_org o = {0};
        o.area_code = communities[units[i].community];
        o.name = arena_printf(c->a, "%s%s", units[i].name, i == 0 ? "党委" : "党支部");
        o.kind = d->kind;
        o.setting = "single";
        o.secretary = d->secretary;
        o.committee = committee_of(c, d->secretary, d->committee ? (i == 0 ? 7 : 5) : 0);
        int64_t term = d->term_rel ? civil(w->k.year - d->term_rel, d->month, d->day) : 0;
        if ((rc = make_org(c, w, &o, &w->unit_id[i], 1, est, NULL, term, &w->org_id[i]))) return rc;
        int64_t reg = est > w->k.adopted ? est : w->k.adopted;
        set_day(c, reg, 16);
        if (i == 0) {
            /* the committee's members are in its three branches */
            for (int b = 0; b < 3; b++) {
                party_org br = {0};
                br.area_code = o.area_code;
                br.name = chenzhong[b].name;
                br.kind = "branch";
                br.setting = "single";
                br.parent_id = w->org_id[0];
                br.secretary = chenzhong[b].secretary;
                br.committee = committee_of(c, chenzhong[b].secretary, 5);
                if ((rc = make_org(c, w, &br, NULL, 0, civil(2014, 6, 18), NULL,
                                   civil(w->k.year - 2, 6, 18), &w->chenzhong_id[b])))
                    return rc;
                set_day(c, w->k.adopted, 16);
                if ((rc = members_of(c, w, 0, w->chenzhong_id[b], chenzhong[b].formal,
                                     chenzhong[b].probationary, w->k.adopted)))
                    return rc;
            }
            continue;
        }
        if ((rc = members_of(c, w, i, w->org_id[i], d->formal, d->probationary, reg))) return rc;
    }
    return JC_OK;
}

static int joint_orgs(jc_ctx *c, struct world *w)
{
    static const struct {
        const char *name, *secretary;
        enum cov cov;
        int community, year, month, day; /* year 0: this year, the 8th date */
        const char *override;
    } joints[3] = {
        {"蓝堡湾贵人街联合党支部", "罗秀英", JOINT_GRW, 4, 2019, 7, 1, NULL},
        {"天骄金街联合党支部", "徐建华", JOINT_TJ, 5, 2020, 6, 28,
         "天骄金街六家商户同属天骄金街商会,统一管理,街道党工委研究同意暂由一个联合党支部覆盖"},
        {"大学生创业园联合党支部", "高飞", JOINT_PARK, 6, 0, 0, 8, NULL},
    };
    int rc;
    for (int j = 0; j < 3; j++) {
        int64_t ids[8];
        int n = 0;
        for (int i = 0; i < NUNITS; i++)
            if (units[i].cov == joints[j].cov) ids[n++] = w->unit_id[i];
        int64_t est = joints[j].year ? civil(joints[j].year, joints[j].month, joints[j].day)
                                     : w->this_year[7];
        party_org o = {0};
        o.area_code = communities[joints[j].community];
        o.name = joints[j].name;
        o.kind = "joint_branch";
        o.setting = "joint";
        o.secretary = joints[j].secretary;
        o.committee = committee_of(c, joints[j].secretary, 3);
        int64_t term =
            joints[j].year ? civil(w->k.year - 1 - j, joints[j].month, joints[j].day) : 0;
        if ((rc = make_org(c, w, &o, ids, n, est, joints[j].override, term, &w->joint_id[j])))
            return rc;
        int64_t reg = est > w->k.adopted ? est : w->k.adopted;
        set_day(c, reg, 17);
        for (int i = 0; i < NUNITS; i++) {
            if (units[i].cov != joints[j].cov) continue;
            if ((rc = members_of(c, w, i, w->joint_id[j], units[i].formal, units[i].probationary,
                                 reg)))
                return rc;
        }
    }
    return JC_OK;
}

/* organizations in preparation and incubating; units without one; plans */
static int pending_orgs(jc_ctx *c, struct world *w)
{
    int rc, np = 0, ni = 0;
    for (int i = 0; i < NUNITS; i++) {
        const struct demo_unit *u = &units[i];
        if (u->cov != PREP && u->cov != INCUB && u->cov != NONE) continue;
        /* members working there belong to a branch nearby: the shop streets' joint branches,
         * the park's, or the 文化路商圈 branch for the other communities */
        int64_t home = u->community == 4   ? w->joint_id[0]
                       : u->community == 5 ? w->joint_id[1]
                       : u->community == 6 ? w->joint_id[2]
                                           : w->org_id[13];
        int64_t since = w->k.today - 200 - rnd(150);
        if (u->community == 6 && since <= w->this_year[7]) since = w->this_year[7] + 1;
        if (since > w->k.today) since = w->k.today;
        set_day(c, since, 11);
        if ((rc = members_of(c, w, i, home, u->formal, u->probationary, since))) return rc;
        if (u->cov == NONE) continue;
        party_org o = {0};
        o.area_code = communities[u->community];
        o.name = arena_printf(c->a, "%s党支部", u->name);
        o.kind = "branch";
        o.setting = "single";
        o.status = u->cov == PREP ? "preparing" : "incubating";
        o.secretary = "";
        int64_t id;
        set_day(c, w->k.today - (u->cov == PREP ? 30 + rnd(20) : 90 + rnd(60)), 10);
        if ((rc = party_org_create(c, &o, &w->unit_id[i], 1, NULL, &id))) return rc;
        if (u->cov == PREP)
            w->prep_id[np++] = id;
        else
            w->incub_id[ni++] = id;
    }
    return JC_OK;
}

static int plans(jc_ctx *c, struct world *w)
{
    static const struct {
        const char *unit, *path, *next;
        int target_days; /* from today; 0 = none */
        bool instructor;
    } p[] = {
        {"传世老汤饸饹面", "transfer", "已有正式党员3名,支部成立申请已报街道党工委,待批复", 20,
         true},
        {"郑州云帆网络科技有限公司", "train", "召开党员大会选举支部书记,报街道党工委审批", 45,
         true},
        {"河南青禾文化传媒有限公司", "train", "发展对象1名下月参加集中培训;积极分子1名继续考察",
         150, true},
        {"郑州启明星教育培训学校", "hire", "招聘教师优先录用党员,已面试党员教师1名", 120, true},
        {"郑州丰产路汽车服务有限公司", "transfer", "动员2名流动党员将组织关系转入", 90, false},
        {"郑州味道餐饮有限公司", "hire", "与人社所对接,店长岗位优先招聘党员", 180, false},
        {"河南优学网络科技有限公司", "train", "预备党员1名按期转正后,再培养2名积极分子", 240, true},
        {"郑州悦动健身俱乐部", "transfer", "2名党员组织关系已转入联合党支部,再转入1名即可单独组建",
         100, false},
        {"郑州红专路五金机电商行", "hire", "店主表示招聘时优先考虑党员", 0, false},
        {"河南绿野户外运动俱乐部", "transfer", "联系会员中的在职党员转入组织关系", 200, false},
        {"郑州码上未来网络科技有限公司", "train", "正式党员2名,再发展1名即可单独建立党支部", 300,
         true},
    };
    int rc;
    for (size_t k = 0; k < JC_NELEM(p); k++) {
        int i;
        for (i = 0; i < NUNITS && strcmp(units[i].name, p[k].unit) != 0; i++) {
        }
        if (i == NUNITS) continue;
        set_day(c, w->k.today - 160 + (int64_t)k * 9, 14);
        const char *target = p[k].target_days ? ymd(c, w->k.today + p[k].target_days) : NULL;
        if ((rc = party_plan_set(c, w->unit_id[i], 0, p[k].path,
                                 p[k].instructor ? &w->instructor : NULL, false,
                                 "与单位负责人面谈,摸清党员底数", target, false, "建立孵化台账")))
            return rc;
        set_day(c, w->k.today - 30 + (int64_t)k, 15);
        party_plan cur;
        if ((rc = db_party_plan_get(c, w->unit_id[i], &cur))) return rc;
        if ((rc = party_plan_set(c, w->unit_id[i], cur.version, NULL, NULL, false, p[k].next, NULL,
                                 false, "指导员走访后更新下一步")))
            return rc;
    }
    return JC_OK;
}

/* the pipeline walked through in time, and the special cases of the warnings */
static int pipeline(jc_ctx *c, struct world *w)
{
    int rc;
    int zhiye = 3, boya = 8;
    int64_t org = w->org_id[zhiye], unit = w->unit_id[zhiye];
    int64_t t = w->k.today;
    struct {
        int64_t applied;
        int upto; /* stage reached */
    } walk[] = {
        {t - 60, STAGE_APPLICANT},  {t - 330, STAGE_ACTIVIST},     {t - 560, STAGE_ACTIVIST},
        {t - 600, STAGE_CANDIDATE}, {t - 700, STAGE_PROBATIONARY},
    };
    for (size_t k = 0; k < JC_NELEM(walk); k++) {
        struct person p;
        int y, m, d;
        jc_civil_from_days(walk[k].applied, &y, &m, &d);
        person(c, y - 23 - (int)k, &p);
        party_member mb = {0};
        mb.name = arena_strdup(c->a, p.name);
        mb.citizen_id = arena_strdup(c->a, p.cid);
        mb.phone = arena_strdup(c->a, p.phone);
        mb.unit_id = unit;
        mb.org_id = org;
        mb.stage = "applicant";
        mb.dates.on[STAGE_APPLICANT] = ymd(c, walk[k].applied);
        mb.income_fen = 620000;
        set_day(c, walk[k].applied, 10);
        int64_t id;
        if ((rc = party_member_create(c, &mb, NULL, &id))) return rc;
        int64_t day = walk[k].applied;
        for (int s = STAGE_ACTIVIST; s <= walk[k].upto; s++) {
            day += s == STAGE_ACTIVIST ? 120 : s == STAGE_CANDIDATE ? 380 : 60;
            set_day(c, day, 10);
            party_member cur;
            if ((rc = db_party_member_get(c, id, &cur))) return rc;
            int64_t intro[2] = {w->full_of[zhiye][0], w->full_of[zhiye][1]};
            if ((rc = party_member_advance(c, id, cur.version, party_stages[s].code, ymd(c, day),
                                           intro, s == STAGE_PROBATIONARY ? 2 : 0)))
                return rc;
        }
    }
    /* 郑州博雅外国语培训学校: admitted 14 months ago, not converted (a warning) */
    int64_t adm = t - 425;
    set_day(c, adm, 16);
    struct person p;
    person(c, 1996, &p);
    party_member mb = {0};
    mb.name = arena_strdup(c->a, p.name);
    mb.citizen_id = arena_strdup(c->a, p.cid);
    mb.phone = arena_strdup(c->a, p.phone);
    mb.unit_id = w->unit_id[boya];
    mb.org_id = w->org_id[boya];
    mb.stage = "probationary";
    mb.dates.on[0] = ymd(c, adm - 900);
    mb.dates.on[1] = ymd(c, adm - 780);
    mb.dates.on[2] = ymd(c, adm - 90);
    mb.dates.on[3] = ymd(c, adm);
    mb.introducer_id[0] = w->full_of[boya][0];
    mb.introducer_id[1] = w->full_of[boya][1];
    mb.income_fen = 480000;
    int64_t id;
    if ((rc = party_member_create(c, &mb, NULL, &id))) return rc;
    /* 河南云鼎信息技术有限公司: admitted 15 months ago, probation extended by six months */
    int yunding = 9;
    adm = t - 455;
    set_day(c, adm, 16);
    person(c, 1994, &p);
    memset(&mb, 0, sizeof mb);
    mb.name = arena_strdup(c->a, p.name);
    mb.citizen_id = arena_strdup(c->a, p.cid);
    mb.phone = arena_strdup(c->a, p.phone);
    mb.unit_id = w->unit_id[yunding];
    mb.org_id = w->org_id[yunding];
    mb.stage = "probationary";
    mb.dates.on[0] = ymd(c, adm - 800);
    mb.dates.on[1] = ymd(c, adm - 700);
    mb.dates.on[2] = ymd(c, adm - 60);
    mb.dates.on[3] = ymd(c, adm);
    mb.introducer_id[0] = w->full_of[yunding][0];
    mb.introducer_id[1] = w->full_of[yunding][1];
    mb.income_fen = 750000;
    if ((rc = party_member_create(c, &mb, NULL, &id))) return rc;
    set_day(c, adm + 366, 15);
    party_member cur;
    if ((rc = db_party_member_get(c, id, &cur))) return rc;
    if ((rc = party_member_extend(c, id, cur.version, 6, ymd(c, adm + 366),
                                  "学习教育参加不够经常,需继续考察")))
        return rc;
    /* a member transferred in from outside, and one who moved on */
    set_day(c, t - 70, 10);
    person(c, 1988, &p);
    memset(&mb, 0, sizeof mb);
    mb.name = arena_strdup(c->a, p.name);
    mb.citizen_id = arena_strdup(c->a, p.cid);
    mb.phone = arena_strdup(c->a, p.phone);
    mb.unit_id = w->unit_id[6];
    mb.org_id = w->org_id[6];
    mb.stage = "full";
    mb.dates.on[0] = ymd(c, civil(2009, 3, 2));
    mb.dates.on[1] = ymd(c, civil(2009, 9, 1));
    mb.dates.on[2] = ymd(c, civil(2010, 10, 8));
    mb.dates.on[3] = ymd(c, civil(2010, 12, 1));
    mb.dates.on[4] = ymd(c, civil(2011, 12, 1));
    mb.income_fen = 1180000;
    if ((rc = party_member_create(c, &mb, "中共郑州高新区某科技公司支部委员会", &id))) return rc;
    set_day(c, t - 40, 10);
    if ((rc = db_party_member_get(c, w->full_of[12][1] ? w->full_of[12][1] : w->full_of[12][0],
                                  &cur)))
        return rc;
    if ((rc = party_member_transfer(c, cur.id, cur.version, 0, -1, "中共上海市浦东新区某街道工委",
                                    ymd(c, t - 40), "随单位迁往上海工作")))
        return rc;
    /* a member moved from the 贵人街 joint branch into 传世老汤's circle was recorded earlier; one
     * moves between branches here */
    set_day(c, t - 25, 10);
    if ((rc = db_party_member_get(c, w->full_of[29][0], &cur))) return rc;
    return party_member_transfer(c, cur.id, cur.version, w->joint_id[1], w->unit_id[33], NULL,
                                 ymd(c, t - 25), "工作单位变动,由时光书店到百味小吃城");
}

/* the closed noodle house's branch: members moved, unit closed, branch dissolved */
static int dissolved(jc_ctx *c, struct world *w)
{
    int idx = NUNITS - 2, rc;
    party_org o = {0};
    o.area_code = communities[units[idx].community];
    o.name = "郑州老字号胡辣汤馆党支部";
    o.kind = "branch";
    o.setting = "single";
    o.secretary = "谢平";
    int64_t id;
    if ((rc = make_org(c, w, &o, &w->unit_id[idx], 1, civil(2016, 8, 1), NULL, 0, &id))) return rc;
    int64_t members[3];
    for (int k = 0; k < 3; k++)
        if ((rc = make_member(c, w, w->unit_id[idx], id, STAGE_FULL, w->k.adopted, NULL,
                              &members[k])))
            return rc;
    int64_t closed = w->k.today - 260;
    set_day(c, closed, 10);
    for (int k = 0; k < 3; k++) {
        party_member cur;
        if ((rc = db_party_member_get(c, members[k], &cur))) return rc;
        if ((rc = party_member_transfer(c, members[k], cur.version, w->joint_id[0],
                                        k == 0 ? w->unit_id[26] : 0, NULL, ymd(c, closed),
                                        "所在单位停业,组织关系转入贵人街联合党支部")))
            return rc;
    }
    set_day(c, closed + 1, 10);
    party_org cur;
    if ((rc = db_party_org_get(c, id, &cur))) return rc;
    if ((rc = party_org_transition(c, id, cur.version, "dissolve", ymd(c, closed + 1),
                                   "所在单位停业,经街道党工委批准撤销")))
        return rc;
    for (int i = NUNITS - 2; i < NUNITS; i++) {
        party_unit u;
        if ((rc = db_party_unit_get(c, w->unit_id[i], &u))) return rc;
        party_unit ch = {0};
        ch.status = "closed";
        ch.employees = -1;
        if ((rc = party_unit_edit(c, w->unit_id[i], u.version, &ch, false))) return rc;
    }
    return JC_OK;
}

/* a day not before the unit was registered */
static int64_t after_reg(const struct world *w, int unit, int64_t day)
{
    return day > w->reg_day[unit] ? day : w->reg_day[unit] + 1;
}

static int instructors(jc_ctx *c, struct world *w)
{
    static const struct {
        int unit;
        const char *goal;
        int since_days;
    } st[] = {
        {0, "站在更高的高度承担社会责任:打造民办教育党建示范点", 540},
        {3, "科技报国:以党建引领技术创新,打造网络科技党建示范点", 300},
        {42, "指导传世老汤饸饹面完成党支部组建", 120},
        {43, "指导郑州云帆网络科技完成党支部组建并开展组织生活", 100},
        {44, "培养发展对象,推动青禾文化传媒单独建立党支部", 90},
    };
    int rc;
    for (size_t k = 0; k < JC_NELEM(st); k++) {
        int64_t since = after_reg(w, st[k].unit, w->k.today - st[k].since_days);
        set_day(c, since, 9);
        int64_t id;
        if ((rc = party_station_create(c, w->unit_id[st[k].unit], w->instructor, st[k].goal,
                                       ymd(c, since), &id)))
            return rc;
    }
    static const struct {
        const char *category;
        int unit;
    } pts[] = {
        {"民办教育", 0}, {"创客", 1},  {"网络科技", 3}, {"文化艺术", 4},
        {"楼宇", 7},     {"市场", 10}, {"商圈", 13},
    };
    for (size_t k = 0; k < JC_NELEM(pts); k++) {
        int64_t on = after_reg(w, pts[k].unit, w->k.today - 500 + (int64_t)k * 30);
        set_day(c, on, 10);
        int64_t id;
        if ((rc = party_point_set(c, pts[k].category, w->unit_id[pts[k].unit], ymd(c, on),
                                  "街道党工委研究确定为本行业党建示范点", &id)))
            return rc;
    }
    /* the instructor logs the visits herself */
    jc_user iu;
    const jc_user *system = c->user;
    if ((rc = user_load(c, w->instructor, &iu))) return rc;
    c->user = &iu;
    static const struct {
        int unit, days_ago;
        const char *kind, *summary, *advice, *outcome;
    } visits[] = {
        {0, 500, "visit", "走访晨钟教育集团党委,了解三个支部“三会一课”开展情况",
         "建议以党建带团建、队建,建立党员教师先锋岗", "设立党员教师先锋岗42个"},
        {0, 320, "advice", "指导党委换届准备工作", "按期召开党员大会,差额选举", "党委如期完成换届"},
        {0, 60, "visit", "调研“站在更高的高度承担社会责任”主题实践", "组织党员教师进社区开设公益课",
         "已在关虎屯社区开设公益课4次"},
        {3, 280, "visit", "走访河南智业科技,座谈技术骨干党员", "把党员培养成骨干,把骨干培养成党员",
         "确定入党积极分子2名"},
        {3, 150, "advice", "指导支部成立后首次组织生活会", "围绕“科技报国”开展主题党日",
         "主题党日参与率100%"},
        {3, 20, "visit", "检查发展党员工作台账", "按期做好积极分子考察记录", ""},
        {42, 100, "visit", "到传世老汤饸饹面摸底党员情况", "动员店内党员将组织关系转入",
         "2名党员转入组织关系"},
        {42, 35, "advice", "指导填写成立党支部申请", "材料报街道党工委", "申请已上报"},
        {43, 80, "visit", "走访云帆网络科技", "建立党员活动室", "活动室已挂牌"},
        {44, 70, "visit", "了解青禾文化传媒员工中党员情况", "制定发展党员计划", ""},
    };
    for (size_t k = 0; k < JC_NELEM(visits) && !rc; k++) {
        int64_t day = after_reg(w, visits[k].unit, w->k.today - visits[k].days_ago);
        set_day(c, day, 15);
        int64_t id;
        rc = party_visit_create(c, w->unit_id[visits[k].unit], ymd(c, day), visits[k].kind,
                                visits[k].summary, visits[k].advice, visits[k].outcome, &id);
    }
    c->user = system;
    return rc;
}

static int services(jc_ctx *c, struct world *w)
{
    static const struct {
        const char *list, *title, *desc, *provider;
        int unit, community;
    } items[] = {
        {"office", "四点半课堂", "放学后到社区党群服务中心做作业、读书,志愿者辅导",
         "农科路社区党群服务中心", -1, 1},
        {"office", "免费就业技能培训", "电商运营、家政服务等技能培训,结业推荐就业",
         "文化路街道劳动保障所", -1, 0},
        {"office", "政策宣讲进企业", "减税降费、稳岗补贴等政策上门讲解", "文化路街道党工委", -1, 0},
        {"enterprise", "少儿艺术公益课", "为困难家庭儿童免费开设舞蹈、声乐课", NULL, 4, 2},
        {"enterprise", "创业辅导", "为大学生创业团队提供一对一辅导", NULL, 1, 6},
        {"enterprise", "少儿编程体验课", "每月两次编程体验课,免费提供电脑", NULL, 3, 1},
        {"enterprise", "书画公益课", "老年人、青少年书画公益培训", NULL, 16, 3},
        {"need", "困难家庭孩子放学后无人照看", "双职工困难家庭,孩子下午4点半放学无人接送照看",
         "农科路社区 困难家庭12户", -1, 1},
        {"need", "失业人员想学电商技能", "辖区失业人员希望学习网店运营", "文化路社区 失业人员8名",
         -1, 2},
        {"need", "困难家庭孩子想学舞蹈", "低保家庭孩子希望学习舞蹈", "关虎屯社区 低保家庭6户", -1,
         4},
        {"need", "老年人智能手机使用培训", "老年人不会用手机挂号、付款", "丰产路社区 老年协会", -1,
         5},
    };
    int64_t ids[JC_NELEM(items)];
    int rc;
    for (size_t k = 0; k < JC_NELEM(items); k++) {
        set_day(c, w->k.today - 200 + (int64_t)k * 5, 9);
        if ((rc = party_service_create(c, communities[items[k].community], items[k].list,
                                       items[k].title, items[k].desc, items[k].provider,
                                       items[k].unit >= 0 ? w->unit_id[items[k].unit] : 0,
                                       "0371-6395xxxx", &ids[k])))
            return rc;
    }
    static const struct {
        int need, offer, days_ago, steps, beneficiaries;
        const char *outcome;
    } m[] = {
        {7, 0, 150, 2, 36, "四点半课堂每周一至周五开放,36名孩子受益"},
        {9, 3, 120, 2, 12, "12名困难家庭孩子免费参加舞蹈课,期末汇报演出"},
        {8, 1, 40, 1, 0, NULL},
    };
    for (size_t k = 0; k < JC_NELEM(m); k++) {
        int64_t day = w->k.today - m[k].days_ago;
        set_day(c, day, 10);
        int64_t id;
        if ((rc = party_match_create(c, ids[m[k].need], ids[m[k].offer], ymd(c, day),
                                     "街道党建办对接", &id)))
            return rc;
        json_t *cur;
        if (m[k].steps >= 1) {
            set_day(c, day + 7, 10);
            if ((rc = db_party_match_get(c, id, &cur))) return rc;
            if ((rc = party_match_transition(c, id,
                                             json_integer_value(json_object_get(cur, "version")),
                                             "start", NULL, NULL, NULL, NULL)))
                return rc;
        }
        if (m[k].steps >= 2) {
            set_day(c, day + 60, 10);
            int64_t b = m[k].beneficiaries;
            if ((rc = db_party_match_get(c, id, &cur))) return rc;
            if ((rc = party_match_transition(c, id,
                                             json_integer_value(json_object_get(cur, "version")),
                                             "finish", m[k].outcome, NULL, &b, NULL)))
                return rc;
        }
    }
    return JC_OK;
}

static int meetings(jc_ctx *c, struct world *w)
{
    static const struct {
        const char *title;
        int days_ago;
        const char *decisions[3];
    } mt[] = {
        {"文化路街道两新组织党建联席会议(第一次)",
         210,
         {"建立三向服务清单,每季度更新", "天骄金街联合党支部暂覆盖六家商户,年底前评估拆分", NULL}},
        {"文化路街道两新组织党建联席会议(第二次)",
         120,
         {"推动传世老汤饸饹面单独建立党支部", "四点半课堂扩大到红专路社区", NULL}},
        {"文化路街道两新组织党建联席会议(第三次)",
         30,
         {"年内完成郑州华联超市文化路店党支部换届", "示范点经验在全街道推广",
          "大学生创业园联合党支部开展创业沙龙"}},
    };
    int rc;
    for (size_t k = 0; k < JC_NELEM(mt); k++) {
        int64_t day = w->k.today - mt[k].days_ago;
        set_day(c, day, 16);
        json_t *att = jc_own(c, json_array());
        static const int who[] = {0, 3, 4, 1, 6, 22};
        for (size_t i = 0; i < JC_NELEM(who); i++)
            json_array_append_new(att, json_pack("{s:s, s:s, s:b}", "name", orgs[who[i]].secretary,
                                                 "unit", units[who[i]].name, "present",
                                                 (i + k) % 5 != 4));
        json_t *dec = jc_own(c, json_array());
        for (int i = 0; i < 3 && mt[k].decisions[i]; i++)
            json_array_append_new(dec, json_string(mt[k].decisions[i]));
        int64_t id;
        if ((rc = party_meeting_save(c, 0, 0, STREET, mt[k].title, ymd(c, day),
                                     "文化路街道党群服务中心", "陈静(街道党工委书记)", att, dec,
                                     "通报两新组织党建工作进展,研究下一步工作。", &id)))
            return rc;
    }
    return JC_OK;
}

static int dues(jc_ctx *c, struct world *w)
{
    /* the last three months of two branches */
    int rc;
    for (int back = 3; back >= 1; back--) {
        int y, m, d;
        jc_civil_from_days(w->k.today, &y, &m, &d);
        int64_t total = (int64_t)y * 12 + (m - 1) - back;
        char month[16];
        snprintf(month, sizeof month, "%04d-%02d", (int)(total / 12) % 10000,
                 (int)(total % 12) + 1);
        int64_t paid_on = civil((int)(total / 12), (int)(total % 12) + 1, 10);
        set_day(c, paid_on, 11);
        for (int o = 3; o <= 6; o += 3) {
            party_filter f = {.covered = true, .org_id = w->org_id[o], .status = "active"};
            snprintf(f.hi, sizeof f.hi, "~");
            json_t *items = jc_own(c, json_array());
            if ((rc = db_party_dues_summary(c, &f, month, items))) return rc;
            size_t i;
            json_t *e;
            json_array_foreach(items, i, e)
            {
                int64_t pid;
                rc = party_dues_pay(c, json_integer_value(json_object_get(e, "member_id")), month,
                                    NULL, ymd(c, paid_on), NULL, &pid);
                if (rc == JC_EUNPROC) { /* admitted after that month */
                    c->err = (jc_err){0};
                    rc = JC_OK;
                }
                if (rc) return rc;
            }
        }
    }
    return JC_OK;
}

/* Probationary members registered earlier are converted when their year is over (their branch
 * meets a few days after): only the case of the warning stays overdue. */
static int conversions(jc_ctx *c, struct world *w)
{
    party_limits L;
    party_limits_load(c, &L);
    for (int i = 0; i < w->nprob; i++) {
        party_member m;
        int rc = db_party_member_get(c, w->probationers[i], &m);
        if (rc) return rc;
        char end_s[11];
        int64_t end;
        if (strcmp(m.stage, "probationary") != 0 || strcmp(m.status, "active") != 0 ||
            !party_probation_end(&L, &m.dates, end_s) || !jc_date_parse(end_s, &end))
            continue;
        int64_t day = end + (int64_t)rnd(10);
        if (day >= w->k.today) continue;
        set_day(c, day, 16);
        if ((rc = party_member_advance(c, m.id, m.version, "full", ymd(c, day), NULL, 0)))
            return rc;
    }
    return JC_OK;
}

static int boundaries(jc_ctx *c)
{
    int rc;
    char buf[512];
    for (size_t i = 0; i <= JC_NELEM(boxes); i++) {
        const char *code = i < JC_NELEM(boxes) ? boxes[i].code : STREET;
        double a0 = 34.7740, g0 = 113.6550, a1 = 34.7925, g1 = 113.6735;
        if (i < JC_NELEM(boxes)) {
            a0 = boxes[i].lat0;
            g0 = boxes[i].lng0;
            a1 = boxes[i].lat1;
            g1 = boxes[i].lng1;
        }
        /* GeoJSON: [lng, lat], the ring closed */
        snprintf(buf, sizeof buf,
                 "{\"type\":\"Polygon\",\"coordinates\":[[[%.4f,%.4f],[%.4f,%.4f],[%.4f,%.4f],"
                 "[%.4f,%.4f],[%.4f,%.4f]]]}",
                 g0, a0, g1, a0, g1, a1, g0, a1, g0, a0);
        area_rec a;
        if ((rc = area_get(c, code, &a))) return rc;
        if ((rc = area_update(c, code, a.version, NULL, NULL, buf, NULL, NULL))) return rc;
    }
    return JC_OK;
}

int party_demo(jc_ctx *c)
{
    struct world *w = arena_calloc(c->a, sizeof *w);
    if (!w) return JC_ENOMEM;
    rng = 20120301u;
    member_seq = 0;
    other_seq = 0;
    w->k.real_now = c->now;
    char today[11];
    jc_date_local(c->now, today);
    jc_date_parse(today, &w->k.today);
    int y, m, d;
    jc_civil_from_days(w->k.today, &y, &m, &d);
    w->k.year = y;
    w->k.adopted = civil(y - 2, 3, 1);
    /* the eight organizations of this year, spread from 2 January to today */
    int64_t jan = civil(y, 1, 2);
    for (int k = 0; k < 8; k++)
        w->this_year[k] = w->k.today <= jan ? w->k.today : jan + (w->k.today - jan) * (k + 1) / 9;
    w->instructor = user(c, "instructor");
    w->leader2 = user(c, "leader2");
    int rc = boundaries(c);
    /* the units as registered on the adoption day; the park's and this year's newcomers later */
    for (int i = 0; !rc && i < NUNITS; i++) {
        bool late = units[i].cov == JOINT_PARK || (i < NOWN && orgs[i].year == 0);
        int64_t day = w->k.adopted;
        if (late) day = w->this_year[0] - 60 - (i % 5) * 7;
        if (day < w->k.adopted) day = w->k.adopted;
        set_day(c, day, 9);
        w->reg_day[i] = day;
        rc = make_unit(c, w, i);
    }
    if (!rc) rc = own_orgs(c, w);
    if (!rc) rc = joint_orgs(c, w);
    if (!rc) rc = pending_orgs(c, w);
    if (!rc) rc = pipeline(c, w);
    if (!rc) rc = dissolved(c, w);
    if (!rc) rc = conversions(c, w);
    if (!rc) rc = plans(c, w);
    if (!rc) rc = instructors(c, w);
    if (!rc) rc = services(c, w);
    if (!rc) rc = meetings(c, w);
    if (!rc) rc = dues(c, w);
    c->now = w->k.real_now;
    return rc;
}
