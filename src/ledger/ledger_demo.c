/* ledger_demo.c — the secretary's ledger of the demo world: the "四个一" duties of 陇海马路街道
 * since the start of the year, run day by day so that every audit record carries a real date,
 * and ad-hoc tasks in every state of the loop. */
#include "ledger.h"

#include <stdio.h>
#include <string.h>

static int64_t user_id(jc_ctx *c, const char *username)
{
    int64_t id = 0;
    if (user_find_id(c, username, &id)) c->err = (jc_err){0};
    return id;
}

static int step(jc_ctx *c, int64_t id, const char *action, const char *note, const char *reason,
                const char *comment, int64_t score)
{
    ledger_task t;
    int rc = db_ledger_task_get(c, id, &t);
    if (rc) return rc;
    wf_input in = {note, reason, comment, score >= 0 ? &score : NULL};
    return ledger_task_transition(c, id, t.version, action, &in);
}

/* Walks a task through the loop up to `upto` steps: start, submit, verify, evaluate. */
static int walk(jc_ctx *c, int64_t id, int upto, int64_t score)
{
    static const char *const notes[] = {
        "已召开专题会议研究部署,明确责任人和时间节点。",
        "已按要求完成,相关记录和照片已归档。",
    };
    int rc = JC_OK;
    if (!rc && upto >= 1) rc = step(c, id, "start", NULL, NULL, NULL, -1);
    if (!rc && upto >= 2) rc = step(c, id, "submit", notes[id % 2], NULL, NULL, -1);
    if (!rc && upto >= 3) rc = step(c, id, "verify", "经核查,工作已落实。", NULL, NULL, -1);
    if (!rc && upto >= 4)
        rc = step(c, id, "evaluate", NULL, NULL, score >= 90 ? "完成质量高,群众反映好。" : "按期完成,资料较完整。", score);
    return rc;
}

struct demo_duty {
    const char *title, *desc, *frequency, *unit, *person;
};

static const struct demo_duty duties[] = {
    {"班子成员每周一天下沉社区", "街道班子成员每周至少一天到联系社区,听取意见、解决问题。", "week",
     "街道党工委", "班子成员"},
    {"社区每周一天走访企业和居民院落", "各社区每周安排一天走访辖区企业、居民院落,收集问题和需求。",
     "week", "各社区党组织", "社区书记"},
    {"区域化党建联席会议每月一次", "召开区域化党建联席会议,通报情况、协调共建项目。", "month",
     "街道党工委", "党建办"},
    {"问题需求资源清单每季度更新", "完善一套问题清单、需求清单、资源清单,按季度更新。", "quarter",
     "党建办", "党建办主任"},
};

static int run_duties(jc_ctx *c, int64_t leader, int64_t *created_duties)
{
    char today_s[11];
    jc_date_local(c->now, today_s);
    int64_t today, start;
    char start_s[11];
    snprintf(start_s, sizeof start_s, "%.4s-01-01", today_s);
    jc_date_parse(today_s, &today);
    jc_date_parse(start_s, &start);
    int64_t real_now = c->now;
    int rc;
    /* duties are set up on the first of January */
    c->now = start * 86400 - JC_TZ_OFFSET + 9 * 3600;
    for (size_t i = 0; i < JC_NELEM(duties); i++) {
        ledger_duty d = {0};
        d.area_code = "410104007000";
        d.title = duties[i].title;
        d.description = duties[i].desc;
        d.category = "四个一";
        d.frequency = duties[i].frequency;
        d.responsible_unit = duties[i].unit;
        d.responsible_person = duties[i].person;
        d.assignee_id = leader;
        d.start_date = start_s;
        if ((rc = ledger_duty_create(c, &d, &created_duties[i]))) return rc;
    }
    /* day by day: new periods open, and on a period's last day its task is worked through;
     * every 9th is left undone and every 7th is finished a day late */
    int counter = 0;
    for (int64_t day = start; day < today; day++) {
        c->now = day * 86400 - JC_TZ_OFFSET + 9 * 3600;
        int created;
        if ((rc = ledger_generate(c, 0, &created))) return rc;
        char ds[11];
        jc_date_format(day, ds);
        ledger_filter f = {.lo = "", .hi = "~", .states = 1 /* assigned */, .limit = 50};
        json_t *items = json_array();
        int64_t total;
        char prev[11];
        jc_date_format(day - 1, prev);
        /* tasks due today, and the late ones of yesterday */
        for (int pass = 0; pass < 2 && !rc; pass++) {
            f.from = f.to = pass ? prev : ds;
            json_array_clear(items);
            if ((rc = db_ledger_task_list(c, &f, items, &total))) break;
            size_t i;
            json_t *t;
            json_array_foreach(items, i, t)
            {
                if (json_is_null(json_object_get(t, "duty_id"))) continue;
                int64_t id = json_integer_value(json_object_get(t, "id"));
                int n = pass ? 0 : ++counter;
                if (pass == 0 && (n % 9 == 0 || n % 7 == 0)) continue;
                c->now += 3600;
                if ((rc = walk(c, id, 4, 80 + (int64_t)(id * 7 % 21)))) break;
            }
        }
        json_decref(items);
        if (rc) return rc;
    }
    c->now = real_now;
    int created;
    return ledger_generate(c, 0, &created);
}

struct demo_task {
    const char *area, *title, *desc, *category, *unit, *person, *assignee;
    int due_in_days; /* relative to today */
    int steps;       /* 0 assigned … 4 closed; 5 cancelled; 6 reopened once */
    int score;
};

static const struct demo_task tasks[] = {
    {"410104007000", "制定2026年度基层党建工作要点", "结合上级要求,制定年度党建工作要点和任务清单。",
     "制度建设", "街道党工委", "李明", "leader", 20, 0, 0},
    {"410104007001", "永安街社区党群服务中心功能提升", "完善日间照料、银龄之家等服务功能,更新服务公示牌。",
     "阵地建设", "永安街社区党委", "社区书记", "leader", 12, 1, 0},
    {"410104007002", "陇海东路社区流动党员排查", "全面排查辖区流动党员,建立联系台账。", "党员管理",
     "陇海东路社区党支部", "社区书记", NULL, -5, 1, 0},
    {"410104007000", "软弱涣散党组织整顿", "对排查出的软弱涣散党组织逐一制定整顿方案。", "组织建设",
     "组织办", "组织委员", "leader", 3, 2, 0},
    {"410104007003", "二里岗社区“红色物业”试点", "推动物业企业党建联建,建立议事协商机制。",
     "服务群众", "二里岗社区党委", "社区书记", NULL, 25, 2, 0},
    {"410104007000", "党员冬训工作", "组织全体党员参加冬训,完成学习积分登记。", "党员管理", "党建办",
     "党建办主任", "leader", 10, 3, 0},
    {"410104007001001", "网格党小组建设", "在第一网格建立党小组,明确党员中心户。", "组织建设",
     "永安街社区党委", "吴芳", "grid", -2, 6, 0},
    {"410104007000", "“三会一课”制度落实情况检查", "检查各支部三会一课记录,通报问题并督促整改。",
     "制度建设", "组织办", "组织委员", "leader", -20, 4, 92},
    {"410104007004", "南关社区党员志愿服务队组建", "组建党员志愿服务队,开展“我为群众办实事”活动。",
     "服务群众", "南关社区党支部", "社区书记", NULL, -30, 4, 85},
    {"410104007000", "基层党建述职评议准备", "准备年度书记抓基层党建述职评议材料。", "作风建设",
     "街道党工委", "李明", "leader", -45, 4, 78},
    {"410104007005", "城东南路社区党员活动室改造", "因场地调整,项目取消。", "阵地建设",
     "城东南路社区", "社区书记", NULL, 40, 5, 0},
    {"410105008000", "两新组织党组织覆盖攻坚", "对未建立党组织的两新组织逐一摸排,制定组建计划。",
     "组织建设", "文化路街道党工委", "陈静", "leader2", 30, 1, 0},
    {"410105008006", "大学生创业园党群服务中心活动计划", "制定季度活动计划,开展创业沙龙和政策宣讲。",
     "阵地建设", "创业园联合党支部", "王晓红", "instructor", -3, 2, 0},
    {"410105008000", "党建指导员蹲点工作总结", "指导员完成蹲点指导工作总结并交流。", "作风建设",
     "党建办", "王晓红", "instructor", -15, 4, 88},
};

int ledger_demo(jc_ctx *c)
{
    int64_t leader = user_id(c, "leader");
    int64_t duty_ids[JC_NELEM(duties)];
    int rc = run_duties(c, leader, duty_ids);
    if (rc) return rc;
    char today_s[11];
    jc_date_local(c->now, today_s);
    int64_t today;
    jc_date_parse(today_s, &today);
    for (size_t i = 0; i < JC_NELEM(tasks); i++) {
        const struct demo_task *d = &tasks[i];
        char deadline[11];
        jc_date_format(today + d->due_in_days, deadline);
        ledger_task t = {0};
        t.area_code = d->area;
        t.title = d->title;
        t.description = d->desc;
        t.category = d->category;
        t.responsible_unit = d->unit;
        t.responsible_person = d->person;
        t.assignee_id = d->assignee ? user_id(c, d->assignee) : 0;
        t.deadline = deadline;
        int64_t id;
        if ((rc = ledger_task_create(c, &t, &id))) return rc;
        if (d->steps == 5) {
            rc = step(c, id, "cancel", NULL, "场地调整,项目取消", NULL, -1);
        } else if (d->steps == 6) {
            rc = walk(c, id, 3, -1);
            if (!rc) rc = step(c, id, "reopen", NULL, "党小组成员名单不完整,需补充", NULL, -1);
        } else {
            rc = walk(c, id, d->steps, d->score);
        }
        if (rc) return rc;
    }
    return JC_OK;
}
