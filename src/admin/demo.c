/* demo.c — the demo world of DOMAIN.md: the area tree with its real codes (communities, villages
 * and grids below the three named townships are illustrative) and one user per role. */
#include "demo.h"
#include "../kernel/kernel.h"

#include <stdio.h>
#include <string.h>

struct demo_area {
    const char *code, *kind, *name;
    double lat, lng;
};

static const struct demo_area areas[] = {
    {"410100", "地级市", "郑州市", 34.7466, 113.6253},
    {"410104", "区", "管城回族区", 34.7536, 113.6774},
    {"410104007000", "街道", "陇海马路街道", 34.7358, 113.6833},
    {"410104007001", "社区", "永安街社区", 34.7372, 113.6791},
    {"410104007002", "社区", "陇海东路社区", 34.7349, 113.6905},
    {"410104007003", "社区", "二里岗社区", 34.7318, 113.6862},
    {"410104007004", "社区", "南关社区", 34.7391, 113.6745},
    {"410104007005", "社区", "城东南路社区", 34.7402, 113.6880},
    {"410104007006", "社区", "未来路社区", 34.7331, 113.6958},
    {"410104007007", "社区", "东明路社区", 34.7366, 113.7012},
    {"410104007008", "社区", "机务段社区", 34.7300, 113.6790},
    {"410104007009", "社区", "南曹社区", 34.7285, 113.6925},
    {"410104007001001", "网格", "永安街社区第一网格", 34.7376, 113.6782},
    {"410104007001002", "网格", "永安街社区第二网格", 34.7368, 113.6801},
    {"410104007002001", "网格", "陇海东路社区第一网格", 34.7352, 113.6896},
    {"410105", "区", "金水区", 34.8003, 113.6606},
    {"410105008000", "街道", "文化路街道", 34.7826, 113.6630},
    {"410105008001", "社区", "农科路社区", 34.7870, 113.6655},
    {"410105008002", "社区", "文化路社区", 34.7810, 113.6601},
    {"410105008003", "社区", "红专路社区", 34.7795, 113.6668},
    {"410105008004", "社区", "关虎屯社区", 34.7760, 113.6630},
    {"410105008005", "社区", "丰产路社区", 34.7842, 113.6700},
    {"410105008006", "社区", "大学生创业园社区", 34.7890, 113.6585},
    {"410105008001001", "网格", "农科路社区第一网格", 34.7873, 113.6648},
    {"410108", "区", "惠济区", 34.8673, 113.6164},
    {"410181", "县级市", "巩义市", 34.7480, 112.9830},
    {"410181110000", "镇", "北山口镇", 34.7290, 112.9100},
    {"410181110201", "村", "北山口村", 34.7301, 112.9085},
    {"410181110202", "村", "桃园村", 34.7355, 112.9152},
    {"410181110203", "村", "南侯村", 34.7212, 112.9050},
    {"410181110204", "村", "北侯村", 34.7398, 112.9031},
    {"410181110205", "村", "小里河村", 34.7185, 112.9201},
    {"410181110206", "村", "水地河村", 34.7150, 112.8988},
    {"410181110207", "村", "柏林村", 34.7420, 112.9230},
    {"410181110208", "村", "白窑村", 34.7265, 112.8935},
    {"410181110209", "村", "石窑村", 34.7330, 112.8900},
    {"410181110210", "村", "唐屯村", 34.7240, 112.9290},
    {"410181110211", "村", "东侯村", 34.7385, 112.9320},
    {"410181110212", "村", "清西村", 34.7195, 112.9120},
    {"410181110213", "村", "兴华村", 34.7450, 112.9075},
};

struct demo_user {
    const char *username, *display_name, *phone;
    unsigned roles;
    const char *areas[3];
};

static const struct demo_user users[] = {
    {"leader", "李明(陇海马路街道党工委书记)", "13803710001", RB(ROLE_LEADER), {"410104007000"}},
    {"leader2", "陈静(文化路街道党工委书记)", "13803710002", RB(ROLE_LEADER), {"410105008000"}},
    {"instructor",
     "王晓红(党建指导员)",
     "13803710003",
     RB(ROLE_PARTY_INSTRUCTOR),
     {"410105008000"}},
    {"poverty", "赵建国(扶贫专干)", "13803710004", RB(ROLE_POVERTY_OFFICER), {"410181110000"}},
    {"roadchief", "孙志强(二级路长)", "13803710005", RB(ROLE_ROAD_CHIEF), {"410104007000"}},
    {"team", "周伟(综合执法队员)", "13803710006", RB(ROLE_TEAM_MEMBER), {"410104007000"}},
    {"grid",
     "吴芳(永安街社区网格员)",
     "13803710007",
     RB(ROLE_GRID_WORKER),
     {"410104007001001", "410104007001002"}},
    /* city management (cases): a first-level road chief and members of two more teams */
    {"roadchief1", "刘卫东(一级路长)", "13803710008", RB(ROLE_ROAD_CHIEF), {"410104007000"}},
    {"cleaner", "郭红梅(卫生清洁队员)", "13803710009", RB(ROLE_TEAM_MEMBER), {"410104007000"}},
    {"patroller", "马强(日常巡逻队员)", "13803710010", RB(ROLE_TEAM_MEMBER), {"410104007000"}},
};

void demo_print_users(FILE *out)
{
    for (size_t i = 0; i < JC_NELEM(users); i++)
        fprintf(out, "%s%s", i ? " " : "", users[i].username);
}

int demo_areas(jc_ctx *c)
{
    int rc;
    for (size_t i = 0; i < JC_NELEM(areas); i++) {
        area_rec a = {0};
        snprintf(a.code, sizeof a.code, "%s", areas[i].code);
        a.kind = areas[i].kind;
        a.name = areas[i].name;
        a.has_pos = true;
        a.lat = areas[i].lat;
        a.lng = areas[i].lng;
        if ((rc = area_create(c, &a))) return rc;
    }
    return JC_OK;
}

int demo_users(jc_ctx *c, const char *password)
{
    int rc;
    for (size_t i = 0; i < JC_NELEM(users); i++) {
        const struct demo_user *d = &users[i];
        user_input in = {.username = d->username,
                         .display_name = d->display_name,
                         .phone = d->phone,
                         .password = password,
                         .roles = d->roles,
                         .areas = (const char **)d->areas,
                         .has_roles = true,
                         .has_areas = true};
        while (in.nareas < 3 && d->areas[in.nareas]) in.nareas++;
        int64_t id;
        if ((rc = user_create(c, &in, &id))) return rc;
    }
    return JC_OK;
}
