/* cases_demo.c — city management of 陇海马路街道 in the demo world: the 13 roads with their
 * geometry and chiefs at three levels, the three teams, and a season (the last 100 days) of
 * work played in time order through the same functions the API uses — residents' reports over
 * Open311 with photos, patrols and their findings, day and night inspections of three sites
 * with rectification cases, and every step of the loop by the person who would take it — so
 * that every figure of the reports comes from records and every audit entry has a real date. */
#include "cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STREET "410104007000"
#define DAYS   100

/* ---- the roads ---- */

struct demo_road {
    const char *name, *desc;
    double pts[5][2];
    int npts;
    const char *second, *second_title, *second_user; /* 二级路长 */
};

static const struct demo_road roads[] = {
    {"陇海马路",
     "西起南关街,东至东明路",
     {{34.7358, 113.6720},
      {34.7361, 113.6800},
      {34.7359, 113.6900},
      {34.7356, 113.7000},
      {34.7355, 113.7080}},
     5,
     "孙志强",
     "城管执法中队中队长",
     "roadchief"},
    {"货站街",
     "西起南关街,东至未来路",
     {{34.7402, 113.6745}, {34.7404, 113.6850}, {34.7401, 113.6960}},
     3,
     "何建设",
     "城东南路社区党委书记",
     NULL},
    {"港湾路",
     "西起东三马路,东至东明路",
     {{34.7300, 113.6760}, {34.7298, 113.6880}, {34.7302, 113.7000}},
     3,
     "周秀兰",
     "二里岗社区党委书记",
     NULL},
    {"永安街",
     "西起南关街,东至二里岗街",
     {{34.7376, 113.6750}, {34.7378, 113.6840}},
     2,
     "杨光",
     "永安街社区居委会主任",
     NULL},
    {"机务段路",
     "西起东三马路,东至二里岗街",
     {{34.7285, 113.6770}, {34.7287, 113.6850}},
     2,
     "韩立新",
     "机务段社区党支部书记",
     NULL},
    {"英协路",
     "西起东三马路,东至东明路",
     {{34.7440, 113.6800}, {34.7442, 113.6920}, {34.7439, 113.7010}},
     3,
     "冯丽",
     "城管执法队员",
     NULL},
    {"城南路",
     "西起东三马路,东至未来路",
     {{34.7240, 113.6800}, {34.7242, 113.6950}},
     2,
     "邓伟",
     "南曹社区党支部书记",
     NULL},
    {"南关街",
     "北起陇海马路北侧,南至城南路",
     {{34.7470, 113.6735}, {34.7380, 113.6738}, {34.7260, 113.6742}},
     3,
     "曹亮",
     "南关社区居委会主任",
     NULL},
    {"东三马路",
     "北起英协路,南至城南路",
     {{34.7480, 113.6790}, {34.7360, 113.6792}, {34.7250, 113.6795}},
     3,
     "孙志强",
     "城管执法中队中队长",
     "roadchief"},
    {"二里岗街",
     "北起货站街,南至城南路",
     {{34.7450, 113.6836}, {34.7340, 113.6838}, {34.7240, 113.6840}},
     3,
     "彭涛",
     "城管执法队员",
     NULL},
    {"城东南路",
     "北起英协路,南至城南路",
     {{34.7480, 113.6880}, {34.7360, 113.6882}, {34.7230, 113.6885}},
     3,
     "蒋红",
     "陇海东路社区党委书记",
     NULL},
    {"未来路",
     "北起英协路北侧,南至城南路",
     {{34.7490, 113.6958}, {34.7360, 113.6960}, {34.7220, 113.6962}},
     3,
     "沈永强",
     "未来路社区党支部书记",
     NULL},
    {"东明路",
     "北起英协路,南至港湾路",
     {{34.7480, 113.7012}, {34.7355, 113.7014}, {34.7230, 113.7016}},
     3,
     "卢静",
     "东明路社区居委会主任",
     NULL},
};
#define NROADS ((int)JC_NELEM(roads))

/* ---- a small deterministic random source ---- */

static uint64_t rs = 0x2545F4914F6CDD1Dull;
static uint64_t rnd(void)
{
    rs ^= rs >> 12;
    rs ^= rs << 25;
    rs ^= rs >> 27;
    return rs * 2685821657736338717ull;
}
static int rint_(int n)
{
    return (int)(rnd() % (uint64_t)n);
}
static double runit(void)
{
    return (double)(rnd() >> 11) / 9007199254740992.0;
}

/* ---- a photo: a small street scene as PNG (stored deflate blocks, no dependency on art) ---- */

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static uint32_t crc_table[256];

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
    if (!crc_table[1])
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            crc_table[i] = c;
        }
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) c = crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

static size_t png_chunk(unsigned char *out, const char *type, const unsigned char *data, size_t n)
{
    put32(out, (uint32_t)n);
    memcpy(out + 4, type, 4);
    if (n) memcpy(out + 8, data, n);
    put32(out + 8 + n, crc32_of(out + 4, n + 4));
    return n + 12;
}

/* zlib data with stored (uncompressed) deflate blocks: valid for every PNG reader */
static size_t zlib_stored(unsigned char *out, const unsigned char *raw, size_t n)
{
    size_t o = 0;
    out[o++] = 0x78;
    out[o++] = 0x01;
    uint32_t a = 1, b = 0;
    for (size_t i = 0; i < n; i++) {
        a = (a + raw[i]) % 65521;
        b = (b + a) % 65521;
    }
    for (size_t off = 0; off < n || n == 0;) {
        size_t len = n - off > 65535 ? 65535 : n - off;
        out[o++] = off + len >= n ? 1 : 0;
        out[o++] = (unsigned char)(len & 0xFF);
        out[o++] = (unsigned char)(len >> 8);
        out[o++] = (unsigned char)(~len & 0xFF);
        out[o++] = (unsigned char)((~len >> 8) & 0xFF);
        memcpy(out + o, raw + off, len);
        o += len;
        off += len;
        if (n == 0) break;
    }
    put32(out + o, (b << 16) | a);
    return o + 4;
}

/* A W×H picture: sky, buildings, the road, and a coloured object where the problem is. */
static unsigned char *demo_png(jc_ctx *c, int kind, size_t *len)
{
    enum { W = 128, H = 96 };
    size_t raw_len = (size_t)H * (1 + W * 3);
    unsigned char *raw = arena_alloc(c->a, raw_len);
    if (!raw) return NULL;
    static const unsigned char blob[][3] = {{88, 140, 60},  {150, 110, 70}, {200, 60, 50},
                                            {230, 180, 40}, {60, 90, 200},  {220, 220, 220},
                                            {120, 70, 140}, {70, 70, 70}};
    const unsigned char *bc = blob[kind % 8];
    for (int y = 0; y < H; y++) {
        unsigned char *row = raw + (size_t)y * (1 + W * 3);
        row[0] = 0;
        for (int x = 0; x < W; x++) {
            unsigned char r, g, b;
            if (y < 32) {
                r = (unsigned char)(150 + y), g = (unsigned char)(190 + y / 2), b = 235;
            } else if (y < 62) {
                bool window = (x % 20 > 5 && x % 20 < 12) && (y % 12 > 3 && y % 12 < 9);
                r = window ? 200 : (unsigned char)(170 - (x / 40) * 12);
                g = window ? 220 : (unsigned char)(150 - (x / 40) * 10);
                b = window ? 235 : 130;
            } else {
                bool stripe = y > 84 && y < 87 && (x / 12) % 2 == 0;
                r = g = b = stripe ? 235 : 95;
            }
            int dx = x - 72, dy = y - 74;
            if (dx * dx / 3 + dy * dy < 140) r = bc[0], g = bc[1], b = bc[2];
            row[1 + x * 3] = r;
            row[2 + x * 3] = g;
            row[3 + x * 3] = b;
        }
    }
    size_t zcap = raw_len + raw_len / 65535 * 5 + 16;
    unsigned char *z = arena_alloc(c->a, zcap);
    unsigned char *png = arena_alloc(c->a, zcap + 64);
    if (!z || !png) return NULL;
    size_t zlen = zlib_stored(z, raw, raw_len);
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    unsigned char ihdr[13] = {0};
    put32(ihdr, W);
    put32(ihdr + 4, H);
    ihdr[8] = 8; /* bits */
    ihdr[9] = 2; /* RGB */
    size_t n = 8;
    memcpy(png, sig, 8);
    n += png_chunk(png + n, "IHDR", ihdr, sizeof ihdr);
    n += png_chunk(png + n, "IDAT", z, zlen);
    n += png_chunk(png + n, "IEND", NULL, 0);
    *len = n;
    return png;
}

/* ---- people ---- */

static jc_user *load_user(jc_ctx *c, const char *name)
{
    int64_t id = 0;
    if (user_find_id(c, name, &id)) {
        c->err = (jc_err){0};
        return NULL;
    }
    jc_user *u = arena_calloc(c->a, sizeof *u);
    if (!u || user_load(c, id, u)) {
        c->err = (jc_err){0};
        return NULL;
    }
    return u;
}

static struct {
    jc_user *leader, *roadchief, *roadchief1, *team, *cleaner, *patroller;
} who;

/* ---- the plan of one case: the steps of its loop with their delays ---- */

enum act {
    A_END = 0,
    A_DISPATCH,
    A_START,
    A_SUBMIT,
    A_VERIFY,
    A_RETURN,
    A_SUSPEND,
    A_RESUME,
    A_REJECT,
    A_REDISPATCH,
    A_EVAL_OK,
    A_EVAL_BAD,
    A_MERGE,
    A_PHOTO,
};

#define MAX_STEPS 12

struct plan {
    int road;
    const case_service *svc;
    int64_t t0;
    double lat, lng;
    const char *desc, *address, *reporter, *phone;
    bool public_report, anonymous, photo;
    const char *source;
    char token[33];
    int64_t id;        /* once created */
    int merge_into;    /* plan index of the original (A_MERGE) */
    int64_t team_hint; /* redispatch target */
    enum act steps[MAX_STEPS];
    int64_t delay[MAX_STEPS]; /* seconds after the previous step */
    int nsteps;
};

static void step(struct plan *p, enum act a, int64_t seconds)
{
    if (p->nsteps < MAX_STEPS) {
        p->steps[p->nsteps] = a;
        p->delay[p->nsteps] = seconds < 60 ? 60 : seconds;
        p->nsteps++;
    }
}

static int64_t hours(double lo, double hi)
{
    return (int64_t)((lo + runit() * (hi - lo)) * 3600);
}

/* the events, kept in a binary heap by time */
enum ev_kind { EV_CASE, EV_PATROL, EV_INSPECT, EV_CHECKLIST };
struct ev {
    int64_t t;
    int kind, idx, step;
};
static struct ev *heap;
static int nheap, capheap;

static int push(int64_t t, int kind, int idx, int stepno)
{
    if (nheap == capheap) {
        int ncap = capheap ? capheap * 2 : 1024;
        struct ev *nh = realloc(heap, sizeof *nh * (size_t)ncap);
        if (!nh) return JC_ENOMEM;
        heap = nh;
        capheap = ncap;
    }
    int i = nheap++;
    heap[i] = (struct ev){t, kind, idx, stepno};
    while (i > 0 && heap[(i - 1) / 2].t > heap[i].t) {
        struct ev tmp = heap[i];
        heap[i] = heap[(i - 1) / 2];
        heap[(i - 1) / 2] = tmp;
        i = (i - 1) / 2;
    }
    return JC_OK;
}

static struct ev pop(void)
{
    struct ev top = heap[0];
    heap[0] = heap[--nheap];
    int i = 0;
    for (;;) {
        int l = 2 * i + 1, r = l + 1, m = i;
        if (l < nheap && heap[l].t < heap[m].t) m = l;
        if (r < nheap && heap[r].t < heap[m].t) m = r;
        if (m == i) break;
        struct ev tmp = heap[i];
        heap[i] = heap[m];
        heap[m] = tmp;
        i = m;
    }
    return top;
}

/* ---- texts ---- */

struct svc_text {
    const char *code, *report, *note, *reply;
};

static const struct svc_text svc_texts[] = {
    {"litter", "%s%s路边有一堆生活垃圾,已经两天没人清理,有异味。",
     "已安排保洁员清运垃圾并冲洗地面。", "垃圾已清运,地面已冲洗干净,感谢您的反映。"},
    {"road_dirty", "%s%s路面有大片油污,骑车容易滑倒。", "已用清洗剂处理油污,路面恢复正常。",
     "路面油污已清洗处理。"},
    {"street_vendor", "%s%s每天早上有流动摊贩占道卖菜,人行道走不通。",
     "执法队员现场劝离摊贩,引导到便民市场经营,并安排早间盯守。",
     "已劝离占道摊贩,早间安排队员盯守,防止反弹。"},
    {"shop_overflow", "%s%s一家餐馆在店外摆桌,占用人行道。",
     "约谈店主,现场督促将桌椅收回店内,签订门前三包责任书。", "已督促商户规范经营,桌椅已收回店内。"},
    {"parking", "%s%s共享单车和电动车乱停放,占用盲道。",
     "联系共享单车企业运维人员清运车辆,规范停放区域。", "车辆已清理归位,盲道已恢复畅通。"},
    {"posters", "%s%s墙面和电线杆上贴满小广告。", "已清除小广告并对墙面进行粉刷。",
     "小广告已清除,墙面已恢复。"},
    {"facade", "%s%s一家商铺门头牌匾松动,有掉落危险。", "督促商户拆除松动牌匾,重新按规范安装。",
     "松动牌匾已拆除并重新加固安装。"},
    {"road_damage", "%s%s井盖破损,车辆经过有响声,存在安全隐患。",
     "已设置警示标志并联系权属单位更换井盖。", "井盖已由权属单位更换,隐患已消除。"},
    {"dust", "%s%s渣土车撒漏,路面都是泥土,尘土飞扬。", "对路面进行冲洗,约谈渣土运输企业。",
     "路面已冲洗,已约谈运输企业并要求密闭运输。"},
    {"site_rectification", "%s%s", "已督促施工单位立即整改,现场复查已落实。", "已整改到位。"},
    {"other", "%s%s路灯不亮,晚上行人看不清路。", "已联系路灯管理所维修。", "路灯已修复。"},
};

static const struct svc_text *texts_of(const char *code)
{
    for (size_t i = 0; i < JC_NELEM(svc_texts); i++)
        if (strcmp(svc_texts[i].code, code) == 0) return &svc_texts[i];
    return &svc_texts[JC_NELEM(svc_texts) - 1];
}

static const char *const surnames[] = {"张", "王", "李", "赵", "刘", "陈", "杨", "黄",
                                       "吴", "郭", "马", "朱", "胡", "高", "林", "何"};
static const char *const given[] = {"建华", "秀英", "丽",   "洋",   "静怡", "国强", "敏",
                                    "海涛", "桂兰", "志刚", "雪梅", "磊",   "婷",   "振宇"};

/* a point on road i, a little off the centre line, and a way to say where it is */
static void on_road(int i, double *lat, double *lng, const char **where, jc_ctx *c)
{
    const struct demo_road *r = &roads[i];
    int seg = rint_(r->npts - 1);
    double t = runit();
    *lat = r->pts[seg][0] + t * (r->pts[seg + 1][0] - r->pts[seg][0]) + (runit() - 0.5) * 0.0003;
    *lng = r->pts[seg][1] + t * (r->pts[seg + 1][1] - r->pts[seg][1]) + (runit() - 0.5) * 0.0003;
    int other = (i + 1 + rint_(NROADS - 1)) % NROADS;
    *where = rint_(2) ? arena_printf(c->a, "与%s交叉口附近", roads[other].name)
                      : arena_printf(c->a, "%d号门前", 2 + 2 * rint_(120));
}

/* ---- running the events ---- */

struct world {
    struct plan *plans;
    int nplans, capplans;
    int64_t road_ids[NROADS];
    int64_t team_ids[3]; /* 综合执法, 卫生清洁, 日常巡逻 */
    int64_t site_ids[3];
    case_service *svc;
    int nsvc;
    int64_t start;
};

static struct plan *new_plan(struct world *wd)
{
    if (wd->nplans == wd->capplans) {
        int ncap = wd->capplans ? wd->capplans * 2 : 256;
        struct plan *np = realloc(wd->plans, sizeof *np * (size_t)ncap);
        if (!np) return NULL;
        wd->plans = np;
        wd->capplans = ncap;
    }
    struct plan *p = &wd->plans[wd->nplans++];
    memset(p, 0, sizeof *p);
    p->merge_into = -1;
    return p;
}

static const case_service *service(struct world *wd, const char *code)
{
    for (int i = 0; i < wd->nsvc; i++)
        if (strcmp(wd->svc[i].code, code) == 0) return &wd->svc[i];
    return &wd->svc[0];
}

/* The person who takes a step: the chief of the road (or the secretary) for the chief's
 * steps, a member of the handling team (or the assignee) for the team's. */
static const jc_user *actor(jc_ctx *c, const case_rec *k, enum act a)
{
    bool chief_step = a == A_DISPATCH || a == A_VERIFY || a == A_RETURN || a == A_REDISPATCH ||
                      a == A_REJECT || a == A_MERGE;
    if (chief_step) {
        if (k->chief_user_id && who.roadchief && k->chief_user_id == who.roadchief->id)
            return who.roadchief;
        return who.leader;
    }
    if (k->assignee_id) {
        if (who.roadchief && k->assignee_id == who.roadchief->id) return who.roadchief;
        if (who.roadchief1 && k->assignee_id == who.roadchief1->id) return who.roadchief1;
    }
    bool yes;
    const jc_user *members[] = {who.team, who.cleaner, who.patroller};
    for (size_t i = 0; i < JC_NELEM(members); i++)
        if (members[i] && !db_team_has_member(c, k->team_id, members[i]->id, &yes) && yes)
            return members[i];
    return who.leader;
}

static int run_case_step(jc_ctx *c, struct world *wd, int idx, int s)
{
    struct plan *p = &wd->plans[idx];
    int rc;
    if (s == 0) {
        /* the report */
        case_input in = {0};
        in.service_code = p->svc->code;
        in.description = p->desc;
        in.address = p->address;
        in.has_pos = true;
        in.lat = p->lat;
        in.lng = p->lng;
        in.source = p->source;
        in.reporter_name = p->reporter;
        in.reporter_phone = p->phone;
        in.anonymous = p->anonymous;
        if (strcmp(p->svc->code, "parking") == 0)
            in.attributes_json =
                rint_(2) ? "{\"vehicle\":\"shared_bike\"}" : "{\"vehicle\":\"ebike\"}";
        if (strcmp(p->svc->code, "road_damage") == 0) in.attributes_json = "{\"kind\":\"manhole\"}";
        case_photo_in photo = {0};
        if (p->photo) {
            photo.data = demo_png(c, rint_(8), &photo.len);
            photo.type = "image/png";
            photo.stage = "report";
        }
        if (p->public_report) {
            case_token_new(p->token);
            in.token = p->token;
            in.public_report = true;
            c->user = NULL;
            c->ip = arena_printf(c->a, "203.0.113.%d", 1 + idx % 250);
        } else {
            c->user = strcmp(p->source, "phone") == 0 ? who.leader : who.roadchief1;
        }
        rc = case_create(c, &in, photo.data ? &photo : NULL, &p->id);
        c->ip = "";
    } else {
        enum act a = p->steps[s - 1];
        case_rec k;
        if ((rc = db_case_get(c, p->id, &k))) return rc;
        if (strcmp(k.state, "merged") == 0) return JC_OK; /* it follows its original now */
        c->user = actor(c, &k, a);
        const struct svc_text *tx = texts_of(p->svc->code);
        case_action_in in = {0};
        const char *action = NULL;
        switch (a) {
        case A_DISPATCH:
            action = "dispatch";
            break;
        case A_START:
            action = "start";
            break;
        case A_SUBMIT:
            action = "submit";
            in.wf.note = tx->note;
            break;
        case A_VERIFY:
            action = "verify";
            in.reply = tx->reply;
            break;
        case A_RETURN:
            action = "return";
            in.wf.reason = "现场复核仍有遗留问题,请彻底处置后再提交。";
            break;
        case A_SUSPEND:
            action = "suspend";
            in.wf.reason = "需权属单位配合处置,等待对方排期。";
            break;
        case A_RESUME:
            action = "resume";
            break;
        case A_REJECT:
            action = "reject";
            in.wf.reason = "经核实,该问题位于辖区外的铁路用地,已告知反映人向铁路部门反映。";
            break;
        case A_REDISPATCH:
            action = "redispatch";
            in.wf.reason = "经核实问题类型,改派更合适的队伍处置。";
            in.team_id = p->team_hint && p->team_hint != k.team_id ? p->team_hint
                         : k.team_id == wd->team_ids[0]            ? wd->team_ids[2]
                                                                   : wd->team_ids[0];
            break;
        case A_EVAL_OK:
        case A_EVAL_BAD:
            if (!p->public_report || strcmp(k.state, "closed") != 0) break;
            c->user = NULL;
            rc = case_evaluate(c, p->token, a == A_EVAL_OK,
                               a == A_EVAL_OK ? 4 + rint_(2) : 1 + rint_(2),
                               a == A_EVAL_OK ? (rint_(2) ? "处理很及时,满意。" : NULL)
                                              : "问题又出现了,没有彻底解决。");
            break;
        case A_MERGE:
            if (wd->plans[p->merge_into].id)
                rc = case_merge(c, p->id, k.version, wd->plans[p->merge_into].id,
                                "同一位置同一问题的重复反映,合并办理。");
            break;
        case A_PHOTO: {
            case_photo_in ph = {0};
            int64_t pid;
            ph.data = demo_png(c, 5, &ph.len);
            ph.type = "image/png";
            ph.stage = "result";
            rc = ph.data ? case_add_photo(c, p->id, &ph, &pid) : JC_ENOMEM;
            break;
        }
        default:
            break;
        }
        if (action) rc = case_transition(c, p->id, k.version, action, &in);
        if (rc == JC_ECONFLICT || rc == JC_EUNPROC) {
            /* a step the case no longer allows (merged meanwhile, nothing to redispatch to) */
            c->err = (jc_err){0};
            return JC_OK;
        }
    }
    if (rc) return rc;
    if (s < p->nsteps) {
        int64_t t = c->now + p->delay[s];
        if (t < wd->start + DAYS * 86400 - 1800) return push(t, EV_CASE, idx, s + 1);
    }
    return JC_OK;
}

/* A plan for a case reported at t0 on road i; how far it gets depends on its age. */
static int plan_case(jc_ctx *c, struct world *wd, int64_t t0, int road, int64_t now)
{
    static const char *const codes[] = {
        "litter",        "litter",  "road_dirty", "street_vendor", "street_vendor",
        "shop_overflow", "parking", "parking",    "posters",       "facade",
        "road_damage",   "dust",    "other"};
    struct plan *p = new_plan(wd);
    if (!p) return JC_ENOMEM;
    int idx = wd->nplans - 1;
    p->road = road;
    p->svc = service(wd, codes[rint_(JC_NELEM(codes))]);
    p->t0 = t0;
    const char *where;
    on_road(road, &p->lat, &p->lng, &where, c);
    p->address = arena_printf(c->a, "%s%s", roads[road].name, where);
    p->desc = arena_printf(c->a, texts_of(p->svc->code)->report, roads[road].name, where);
    int src = rint_(10);
    p->public_report = src < 7;
    p->source = src < 7 ? "public" : src < 9 ? "phone" : "staff";
    if (src < 9) {
        p->anonymous = p->public_report && rint_(8) == 0;
        p->reporter = arena_printf(c->a, "%s%s", surnames[rint_(JC_NELEM(surnames))],
                                   given[rint_(JC_NELEM(given))]);
        p->phone = arena_printf(c->a, "139%08d", 37100000 + rint_(899999));
    }
    p->photo = p->public_report && rint_(2) == 0;
    double age_days = (double)(now - t0) / 86400.0;
    int r = rint_(100);
    double lim = (double)p->svc->limit_hours;
    step(p, A_DISPATCH, hours(0.2, 2.5));
    if (r < 4) {
        p->nsteps = 0;
        step(p, A_REJECT, hours(1, 6));
    } else if (age_days < 4) {
        /* the last days' reports: still early in the loop, every early state in turn */
        static int turn;
        int k = turn++ % 4;
        if (k == 0) p->nsteps = 0;
        if (k >= 2) step(p, A_START, hours(0.5, 3));
        if (k >= 3) step(p, A_SUBMIT, hours(1, 6));
    } else if (r < 10) {
        step(p, A_START, hours(1, 4));
        step(p, A_SUSPEND, hours(2, 10));
        if (age_days > 20) {
            step(p, A_RESUME, hours(48, 120));
            step(p, A_SUBMIT, hours(4, 24));
            step(p, A_VERIFY, hours(2, 12));
        }
    } else if (r < 14) {
        /* overdue: started and left lying */
        step(p, A_START, hours(2, 6));
    } else if (r < 19) {
        step(p, A_REDISPATCH, hours(1, 5));
        step(p, A_START, hours(1, 4));
        step(p, A_SUBMIT, hours(3, lim * 0.6));
        step(p, A_VERIFY, hours(1, 8));
        step(p, A_EVAL_OK, hours(10, 60));
    } else if (r < 26) {
        step(p, A_START, hours(1, 4));
        step(p, A_SUBMIT, hours(2, lim * 0.5));
        step(p, A_RETURN, hours(1, 6));
        step(p, A_SUBMIT, hours(3, 20));
        step(p, A_VERIFY, hours(1, 8));
        step(p, A_EVAL_OK, hours(10, 60));
    } else if (r < 33 && p->public_report) {
        /* the resident answers 未解决: reopened, handled again */
        step(p, A_START, hours(1, 4));
        step(p, A_SUBMIT, hours(2, lim * 0.7));
        step(p, A_VERIFY, hours(1, 8));
        step(p, A_EVAL_BAD, hours(10, 48));
        step(p, A_SUBMIT, hours(6, 30));
        step(p, A_VERIFY, hours(1, 8));
        step(p, A_EVAL_OK, hours(10, 48));
    } else {
        step(p, A_START, hours(0.5, 4));
        /* most within the limit, some late */
        step(p, A_SUBMIT, r < 40 ? hours(lim * 1.1, lim * 2.0) : hours(1, lim * 0.7));
        if (p->public_report && rint_(3) == 0) step(p, A_PHOTO, 600);
        step(p, A_VERIFY, hours(1, 10));
        if (rint_(10) < 7) step(p, A_EVAL_OK, hours(8, 72));
    }
    int rc = push(t0, EV_CASE, idx, 0);
    /* now and then a neighbour reports the same thing: a duplicate, merged into it */
    if (!rc && rint_(12) == 0 && age_days > 2 && r >= 4) {
        struct plan *d = new_plan(wd);
        if (!d) return JC_ENOMEM;
        p = &wd->plans[idx]; /* the array may have moved */
        *d = *p;
        d->nsteps = 0;
        d->token[0] = '\0';
        d->public_report = true;
        d->source = "public";
        d->photo = false;
        d->reporter = arena_printf(c->a, "%s女士", surnames[rint_(JC_NELEM(surnames))]);
        d->phone = arena_printf(c->a, "138%08d", 37100000 + rint_(899999));
        d->lat += (runit() - 0.5) * 0.0002;
        d->lng += (runit() - 0.5) * 0.0002;
        d->merge_into = idx;
        step(d, A_MERGE, hours(0.5, 3));
        rc = push(t0 + hours(1, 10), EV_CASE, wd->nplans - 1, 0);
    }
    return rc;
}

/* ---- patrols ---- */

struct chief_ref {
    int64_t id;
    int road;
    const char *level;
    double skip; /* how often a period is missed */
};

static int run_patrol(jc_ctx *c, struct world *wd, const struct chief_ref *k, int64_t t)
{
    patrol_in in = {0};
    in.road_id = wd->road_ids[k->road];
    in.chief_id = k->id;
    bool night = strcmp(k->level, "second") == 0 && rint_(5) == 0;
    in.kind = night ? "night" : "day";
    in.started_at = t;
    in.ended_at = t + hours(0.6, 1.8);
    c->now = in.ended_at + 300; /* logged once it is over */
    const struct demo_road *r = &roads[k->road];
    json_t *track = jc_own(c, json_array());
    for (int i = 0; i < r->npts; i++)
        json_array_append_new(
            track, json_pack("[f, f, I]", r->pts[i][0], r->pts[i][1], (json_int_t)(t + i * 600)));
    in.track = track;
    in.findings =
        night ? "夜间盯守,沿街商户规范经营,未发现渣土车撒漏。" : "沿线巡查,市容秩序总体良好。";
    if (rint_(25) == 0) {
        /* a problem found on the way becomes a case */
        double lat, lng;
        const char *where;
        on_road(k->road, &lat, &lng, &where, c);
        const char *code = rint_(2) ? "litter" : "shop_overflow";
        in.findings = "巡查发现问题,已现场登记并派单。";
        in.problems = jc_own(
            c, json_pack("[{s:s, s:s, s:f, s:f, s:s}]", "service_code", code, "description",
                         arena_printf(c->a, texts_of(code)->report, r->name, where), "lat", lat,
                         "lng", lng, "address", arena_printf(c->a, "%s%s", r->name, where)));
    }
    /* the chief logs it (with an account), or the office enters the paper log */
    c->user = who.leader;
    if (who.roadchief && k->road == 0 && strcmp(k->level, "second") == 0) c->user = who.roadchief;
    if (who.roadchief && k->road == 8 && strcmp(k->level, "second") == 0) c->user = who.roadchief;
    int64_t id;
    int rc = patrol_create(c, &in, &id);
    if (rc || !in.problems) return rc;
    /* the cases it opened are handled by their teams like any other */
    json_t *out;
    if ((rc = patrol_get(c, id, &out))) return rc;
    json_t *ids = json_object_get(out, "case_ids");
    for (size_t i = 0; i < json_array_size(ids); i++) {
        struct plan *p = new_plan(wd);
        if (!p) return JC_ENOMEM;
        p->id = json_integer_value(json_array_get(ids, i));
        p->svc = service(
            wd, json_string_value(json_object_get(json_array_get(in.problems, i), "service_code")));
        step(p, A_START, hours(0.5, 3));
        step(p, A_SUBMIT, hours(2, 10));
        step(p, A_VERIFY, hours(1, 6));
        if ((rc = push(t + p->delay[0], EV_CASE, wd->nplans - 1, 1))) return rc;
    }
    return JC_OK;
}

/* ---- sites ---- */

struct demo_site {
    const char *name, *builder, *address;
    double lat, lng;
    int64_t m2;
    const char *start, *end;
    const char *chief_user; /* 网格长 with an account */
    const char *names[4];
    double fail; /* chance that an item fails, at the start of the season */
};

static const struct demo_site sites[] = {
    {"陇海马路棚户区改造安置房项目",
     "郑州市管城区城市建设投资有限公司",
     "陇海马路与未来路交叉口东南角",
     34.7330,
     113.6915,
     42000,
     "2025-03-18",
     "2027-06-30",
     "roadchief",
     {"孙志强", "杨光", "冯丽", "彭涛"},
     0.09},
    {"城东南路地下综合管廊工程",
     "中国建筑第七工程局有限公司",
     "城东南路货站街至英协路段",
     34.7418,
     113.6883,
     18500,
     "2025-09-01",
     "2026-12-31",
     "roadchief1",
     {"刘卫东", "蒋红", "彭涛", "冯丽"},
     0.14},
    {"二里岗街道路提质改造工程",
     "郑州市市政工程有限公司",
     "二里岗街港湾路至机务段路段",
     34.7292,
     113.6838,
     9600,
     "2026-05-10",
     "2027-01-20",
     "roadchief",
     {"孙志强", "周秀兰", "韩立新", "彭涛"},
     0.06},
};

static int run_inspection(jc_ctx *c, struct world *wd, int s, int64_t t, int64_t season_end)
{
    json_t *cl;
    int rc = checklist_current(c, &cl);
    if (rc) return rc;
    /* sites improve over the season: fewer failures towards its end */
    double progress = (double)(t - wd->start) / (double)(season_end - wd->start);
    double fail = sites[s].fail * (1.3 - progress);
    json_t *results = jc_own(c, json_array());
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(cl, "items"), i, item)
    {
        bool pass = runit() >= fail;
        json_array_append_new(
            results, json_pack("{s:O, s:b, s:s}", "code", json_object_get(item, "code"), "pass",
                               pass, "note", pass ? "" : "现场检查发现未落实,已要求限期整改。"));
    }
    inspection_in in = {0};
    in.site_id = wd->site_ids[s];
    char day[11];
    jc_date_local(t, day);
    int64_t dnum;
    jc_date_parse(day, &dnum);
    bool night = (dnum % 7) == 3;
    in.kind = night ? "night" : "day";
    in.at = t;
    in.results = results;
    in.note = night ? "夜盯守:重点检查渣土车出场冲洗和密闭运输。" : "日巡查。";
    c->user = s == 1 ? who.roadchief1 : who.team;
    int64_t id;
    if ((rc = inspection_create(c, &in, &id))) return rc;
    json_t *out;
    const char *area;
    if ((rc = db_inspection_get(c, id, &out, &area))) return rc;
    json_t *ids = json_object_get(out, "case_ids");
    for (i = 0; i < json_array_size(ids); i++) {
        struct plan *p = new_plan(wd);
        if (!p) return JC_ENOMEM;
        p->id = json_integer_value(json_array_get(ids, i));
        p->svc = service(wd, "site_rectification");
        step(p, A_START, hours(1, 8));
        step(p, A_SUBMIT, hours(6, rint_(6) ? 60 : 110));
        step(p, A_VERIFY, hours(2, 20));
        if ((rc = push(t + p->delay[0], EV_CASE, wd->nplans - 1, 1))) return rc;
    }
    return JC_OK;
}

/* Halfway through the season the office sharpens the eighth item: a new checklist version;
 * earlier inspections keep version 1. */
static int revise_checklist(jc_ctx *c)
{
    json_t *cl;
    int rc = checklist_current(c, &cl);
    if (rc) return rc;
    json_t *items = jc_own(c, json_deep_copy(json_object_get(cl, "items")));
    size_t i;
    json_t *it;
    json_array_foreach(items, i,
                       it) if (strcmp(json_string_value(json_object_get(it, "code")), "item8") == 0)
        json_object_set_new(it, "text", json_string("非道路移动机械达标(国三及以上,挂牌管理)"));
    int64_t version = json_integer_value(json_object_get(cl, "version"));
    c->user = who.leader;
    return checklist_save(c, items, "第八项细化为国三及以上非道路移动机械挂牌管理", &version);
}

/* ---- setting up ---- */

static int setup(jc_ctx *c, struct world *wd, struct chief_ref *chiefs, int *nchiefs)
{
    int rc;
    /* the teams */
    static const struct {
        const char *name, *kind, *leader, *phone, *member;
    } teams[] = {
        {"综合执法队", "综合执法", "周伟", "13803710006", "team"},
        {"卫生清洁队", "卫生清洁", "郭红梅", "13803710009", "cleaner"},
        {"日常巡逻队", "日常巡逻", "马强", "13803710010", "patroller"},
    };
    for (size_t i = 0; i < JC_NELEM(teams); i++) {
        team_rec t = {0};
        t.area_code = STREET;
        t.name = teams[i].name;
        t.kind = teams[i].kind;
        t.leader_name = teams[i].leader;
        t.phone = teams[i].phone;
        int64_t m = 0;
        user_find_id(c, teams[i].member, &m);
        c->err = (jc_err){0};
        if ((rc = team_create(c, &t, &m, m ? 1 : 0, &wd->team_ids[i]))) return rc;
    }
    /* the roads and their chiefs: 总路长 (the secretary for the west, the director for the east),
     * 一级路长 (members of the office's leadership), 二级路长 (one for each road) */
    *nchiefs = 0;
    for (int i = 0; i < NROADS; i++) {
        road_rec r = {0};
        r.area_code = STREET;
        r.name = roads[i].name;
        r.description = roads[i].desc;
        r.pts = arena_alloc(c->a, sizeof(double) * 2 * (size_t)roads[i].npts);
        if (!r.pts) return JC_ENOMEM;
        for (int k = 0; k < roads[i].npts; k++) {
            r.pts[2 * k] = roads[i].pts[k][0];
            r.pts[2 * k + 1] = roads[i].pts[k][1];
        }
        r.npts = roads[i].npts;
        if ((rc = road_create(c, &r, &wd->road_ids[i]))) return rc;
        const char *general = i < 7 ? "李明" : "王国栋";
        const char *first = i < 4 ? "刘卫东" : i < 9 ? "张红" : "赵磊";
        struct {
            const char *level, *name, *title, *phone, *user;
            double skip;
        } cs[] = {
            {"general", general, i < 7 ? "街道党工委书记" : "街道办事处主任",
             i < 7 ? "13803710001" : "13803710011", i < 7 ? "leader" : NULL, i < 7 ? 0.1 : 0.25},
            {"first", first,
             i < 4   ? "街道党工委委员、副主任"
             : i < 9 ? "街道办事处副主任"
                     : "街道武装部部长",
             i < 4   ? "13803710008"
             : i < 9 ? "13803710012"
                     : "13803710013",
             i < 4 ? "roadchief1" : NULL,
             i < 4   ? 0.05
             : i < 9 ? 0.15
                     : 0.3},
            {"second", roads[i].second, roads[i].second_title, NULL, roads[i].second_user,
             roads[i].second_user ? 0.04 : 0.08 + 0.02 * (i % 5)},
        };
        for (size_t k = 0; k < JC_NELEM(cs); k++) {
            chief_rec ch = {0};
            ch.road_id = wd->road_ids[i];
            ch.level = cs[k].level;
            ch.name = cs[k].name;
            ch.title = cs[k].title;
            ch.phone = cs[k].phone;
            if (cs[k].user) {
                user_find_id(c, cs[k].user, &ch.user_id);
                c->err = (jc_err){0};
            }
            ch.duties = "[\"包秩序\",\"包卫生\",\"包立面\"]";
            char since[11];
            jc_date_format(wd->start / 86400 - 30, since);
            ch.since = since;
            int64_t id;
            if ((rc = chief_create(c, &ch, &id))) return rc;
            chiefs[*nchiefs] = (struct chief_ref){id, i, cs[k].level, cs[k].skip};
            (*nchiefs)++;
        }
    }
    /* the sites and their "一长三员" */
    json_t *titles = config_get(c, "cases.site_supervisor_titles");
    for (size_t i = 0; i < JC_NELEM(sites); i++) {
        site_rec s = {0};
        s.area_code = STREET;
        s.name = sites[i].name;
        s.builder = sites[i].builder;
        s.address = sites[i].address;
        s.has_pos = true;
        s.lat = sites[i].lat;
        s.lng = sites[i].lng;
        s.area_m2 = sites[i].m2;
        s.start_date = sites[i].start;
        s.end_date = sites[i].end;
        json_t *sup = jc_own(c, json_array());
        for (size_t k = 0; k < 4 && k < json_array_size(titles); k++) {
            json_t *e = json_pack("{s:O, s:s, s:s}", "title", json_array_get(titles, k), "name",
                                  sites[i].names[k], "phone",
                                  arena_printf(c->a, "1370371%04d", (int)(i * 10 + k + 1)));
            if (k == 0) {
                int64_t uid = 0;
                user_find_id(c, sites[i].chief_user, &uid);
                c->err = (jc_err){0};
                if (uid) json_object_set_new(e, "user_id", json_integer(uid));
            }
            json_array_append_new(sup, e);
        }
        if ((rc = site_create(c, &s, sup, &wd->site_ids[i]))) return rc;
    }
    return JC_OK;
}

int cases_demo(jc_ctx *c)
{
    int64_t real_now = c->now;
    const jc_user *real_user = c->user;
    const char *real_ip = c->ip;
    struct world wd = {0};
    char today_s[11];
    jc_date_local(real_now, today_s);
    int64_t today;
    jc_date_parse(today_s, &today);
    /* the season: the last 100 days, from 08:00 of the first */
    wd.start = (today - DAYS) * 86400 - JC_TZ_OFFSET + 8 * 3600;
    int64_t season_end = real_now - 600;
    rs = 0x2545F4914F6CDD1Dull;
    who.leader = load_user(c, "leader");
    who.roadchief = load_user(c, "roadchief");
    who.roadchief1 = load_user(c, "roadchief1");
    who.team = load_user(c, "team");
    who.cleaner = load_user(c, "cleaner");
    who.patroller = load_user(c, "patroller");
    if (!who.leader)
        return jc_fail(c, JC_EINTERNAL, "demo", NULL, "demo user leader missing", "缺少演示用户");
    int rc = cases_services(c, &wd.svc, &wd.nsvc);
    if (rc) return rc;
    c->now = wd.start - 20 * 86400;
    struct chief_ref chiefs[NROADS * 3];
    int nchiefs;
    if ((rc = setup(c, &wd, chiefs, &nchiefs))) goto out;

    /* the season's events */
    for (int64_t d = 0; d < DAYS && !rc; d++) {
        int64_t day0 = wd.start + d * 86400; /* 08:00 */
        /* residents' reports: more on weekdays, some in the evening */
        int n = 2 + rint_(3);
        for (int i = 0; i < n && !rc; i++) {
            int64_t t = day0 + hours(0, 13);
            if (t < season_end - 3600) rc = plan_case(c, &wd, t, rint_(NROADS), real_now);
        }
        /* patrols by the frequency of each level, now and then missed */
        int64_t dn = today - DAYS + d;
        int y, m, dd;
        jc_civil_from_days(dn, &y, &m, &dd);
        int weekday = (int)((dn % 7 + 7 + 3) % 7); /* Monday = 0 */
        for (int k = 0; k < nchiefs && !rc; k++) {
            const char *lv = chiefs[k].level;
            bool due = strcmp(lv, "second") == 0  ? true
                       : strcmp(lv, "first") == 0 ? weekday == 2
                                                  : dd == 5 || dd == 20;
            if (!due || runit() < chiefs[k].skip) continue;
            int64_t t = day0 + hours(strcmp(lv, "second") == 0 ? 0 : 1, 10);
            if (t < season_end - 7200) rc = push(t, EV_PATROL, k, 0);
        }
        /* site inspections: Tuesdays and Fridays by day, and one night a week */
        for (int s = 0; s < 3 && !rc; s++) {
            bool night = dn % 7 == 3;
            if (weekday == 1 || weekday == 4 || night) {
                int64_t t = night ? day0 + 13 * 3600 + hours(0, 2) : day0 + hours(1, 8);
                if (t < season_end - 7200) rc = push(t, EV_INSPECT, s, 0);
            }
        }
    }
    /* the checklist was revised halfway through: later inspections use version 2 */
    if (!rc) rc = push(wd.start + 55 * 86400, EV_CHECKLIST, 0, 0);
    arena *outer = c->a;
    while (!rc && nheap) {
        struct ev e = pop();
        c->now = e.t;
        /* each event in its own arena: a season does not fit in one request's memory */
        arena *scratch = arena_new(0);
        if (!scratch) {
            rc = JC_ENOMEM;
            break;
        }
        c->a = scratch;
        if (e.kind == EV_CASE)
            rc = run_case_step(c, &wd, e.idx, e.step);
        else if (e.kind == EV_PATROL)
            rc = run_patrol(c, &wd, &chiefs[e.idx], e.t);
        else if (e.kind == EV_INSPECT)
            rc = run_inspection(c, &wd, e.idx, e.t, season_end);
        else
            rc = revise_checklist(c);
        c->a = outer;
        if (rc) {
            /* keep the message: the error text lives in the event's arena */
            c->err.en = arena_strdup(outer, c->err.en);
            c->err.zh = arena_strdup(outer, c->err.zh);
            c->err.field = arena_strdup(outer, c->err.field);
            c->err.code = arena_strdup(outer, c->err.code);
        }
        arena_free(scratch);
    }
out:
    free(heap);
    heap = NULL;
    nheap = capheap = 0;
    free(wd.plans);
    c->now = real_now;
    c->user = real_user;
    c->ip = real_ip;
    return rc;
}
