/* test_workflow.c — the closed loop as data: who may move a record, from where, with what. */
#include "unit.h"

/* A small complaint loop: reported → assigned → handled → closed, with a reopen. */
static const wf_state states[] = {
    {"reported", "已受理", "reported", false},  {"assigned", "已派单", "assigned", false},
    {"handled", "已处置", "handled", false},    {"closed", "已办结", "closed", true},
    {"cancelled", "已撤销", "cancelled", true},
};
static const wf_transition trans[] = {
    {"assign", "reported", "assigned", RB(ROLE_ADMIN) | RB(ROLE_LEADER), 0, "派单", "assign"},
    {"cancel", "reported", "cancelled", RB(ROLE_ADMIN), WF_NEEDS_REASON, "撤销", "cancel"},
    {"handle", "assigned", "handled", RB(ROLE_ROAD_CHIEF), WF_NEEDS_NOTE | WF_ASSIGNEE, "处置",
     "handle"},
    {"evaluate", "handled", "closed", RB(ROLE_LEADER), WF_NEEDS_SCORE, "考评", "evaluate"},
    {"reopen", "handled", "assigned", RB(ROLE_LEADER), WF_NEEDS_REASON | WF_REOPEN, "退回",
     "reopen"},
};
static const wf_def loop = {"complaint", states,          JC_NELEM(states),
                            trans,       JC_NELEM(trans), "reported"};

static const jc_user admin = {.id = 1, .username = "admin", .roles = RB(ROLE_ADMIN)};
static const jc_user leader = {.id = 2, .username = "leader", .roles = RB(ROLE_LEADER)};
static const jc_user chief = {.id = 3, .username = "roadchief", .roles = RB(ROLE_ROAD_CHIEF)};
static const jc_user team = {.id = 4, .username = "team", .roles = RB(ROLE_TEAM_MEMBER)};

static void states_lookup(void **state)
{
    (void)state;
    assert_string_equal(wf_state_find(&loop, "handled")->zh, "已处置");
    assert_null(wf_state_find(&loop, "nope"));
    assert_null(wf_state_find(&loop, NULL));
    assert_true(wf_is_terminal(&loop, "closed"));
    assert_true(wf_is_terminal(&loop, "cancelled"));
    assert_false(wf_is_terminal(&loop, "handled"));
    assert_false(wf_is_terminal(&loop, "nope"));
}

static void legal_moves(void **state)
{
    (void)state;
    jc_ctx c;
    const wf_transition *t = NULL;
    unit_ctx_init(&c, NULL, &admin, 0);
    assert_int_equal(wf_check(&c, &loop, "reported", "assign", false, &t), JC_OK);
    assert_string_equal(t->to, "assigned");
    assert_int_equal(wf_check(&c, &loop, "reported", "cancel", false, &t), JC_OK);
    assert_string_equal(t->to, "cancelled");
    unit_ctx_done(&c);

    unit_ctx_init(&c, NULL, &leader, 0);
    assert_int_equal(wf_check(&c, &loop, "handled", "reopen", false, &t), JC_OK);
    assert_string_equal(t->to, "assigned");
    assert_true(t->flags & WF_REOPEN);
    assert_int_equal(wf_check(&c, &loop, "handled", "evaluate", false, &t), JC_OK);
    assert_string_equal(t->to, "closed");
    unit_ctx_done(&c);

    unit_ctx_init(&c, NULL, &unit_system_user, 0); /* the command line may do anything legal */
    assert_int_equal(wf_check(&c, &loop, "assigned", "handle", false, &t), JC_OK);
    unit_ctx_done(&c);
}

static void illegal_move_lists_allowed(void **state)
{
    (void)state;
    jc_ctx c;
    char buf[256];
    const wf_transition *t = NULL;
    unit_ctx_init(&c, NULL, &admin, 0);
    /* evaluating a record that was never handled */
    assert_int_equal(wf_check(&c, &loop, "reported", "evaluate", false, &t), JC_ECONFLICT);
    assert_null(t);
    assert_string_equal(c.err.code, "invalid_transition");
    assert_string_equal(unit_extra_list(&c, "allowed", buf, sizeof buf), "assign,cancel");
    assert_string_equal(json_string_value(json_object_get(c.err.extra, "state")), "reported");
    assert_non_null(strstr(c.err.zh, "已受理"));
    unit_ctx_done(&c);

    /* nothing moves out of a terminal state */
    unit_ctx_init(&c, NULL, &leader, 0);
    assert_int_equal(wf_check(&c, &loop, "closed", "reopen", false, &t), JC_ECONFLICT);
    assert_string_equal(unit_extra_list(&c, "allowed", buf, sizeof buf), "");
    unit_ctx_done(&c);

    /* an action the loop does not know is bad input, not a conflict */
    unit_ctx_init(&c, NULL, &admin, 0);
    assert_int_equal(wf_check(&c, &loop, "reported", "approve", false, &t), JC_EINVAL);
    assert_string_equal(c.err.field, "action");
    assert_int_equal(wf_check(&c, &loop, "reported", NULL, false, &t), JC_EINVAL);
    unit_ctx_done(&c);
}

static void role_refused(void **state)
{
    (void)state;
    jc_ctx c;
    char buf[256];
    const wf_transition *t = NULL;
    /* a road chief may not assign, and is told what they may do (nothing, here) */
    unit_ctx_init(&c, NULL, &chief, 0);
    assert_int_equal(wf_check(&c, &loop, "reported", "assign", false, &t), JC_EPERM);
    assert_string_equal(unit_extra_list(&c, "allowed", buf, sizeof buf), "");
    unit_ctx_done(&c);
    /* the leader may assign but not cancel */
    unit_ctx_init(&c, NULL, &leader, 0);
    assert_int_equal(wf_check(&c, &loop, "reported", "cancel", false, &t), JC_EPERM);
    assert_string_equal(unit_extra_list(&c, "allowed", buf, sizeof buf), "assign");
    unit_ctx_done(&c);
    /* an anonymous caller may take no step */
    unit_ctx_init(&c, NULL, NULL, 0);
    assert_int_equal(wf_check(&c, &loop, "reported", "assign", false, &t), JC_EPERM);
    unit_ctx_done(&c);
}

static void assignee_flag(void **state)
{
    (void)state;
    jc_ctx c;
    char buf[256];
    const wf_transition *t = NULL;
    unit_ctx_init(&c, NULL, &team, 0);
    /* a team member without the road-chief role handles the case assigned to them … */
    assert_int_equal(wf_check(&c, &loop, "assigned", "handle", true, &t), JC_OK);
    assert_string_equal(t->to, "handled");
    /* … but not someone else's */
    assert_int_equal(wf_check(&c, &loop, "assigned", "handle", false, &t), JC_EPERM);
    /* and being the assignee opens only the transitions flagged for it */
    assert_int_equal(wf_check(&c, &loop, "reported", "assign", true, &t), JC_EPERM);
    assert_int_equal(wf_check(&c, &loop, "handled", "evaluate", true, &t), JC_EPERM);
    unit_ctx_done(&c);

    unit_ctx_init(&c, NULL, &team, 0);
    json_t *allowed = wf_allowed(&c, &loop, "assigned", true);
    assert_int_equal(json_array_size(allowed), 1);
    json_t *h = json_array_get(allowed, 0);
    assert_string_equal(json_string_value(json_object_get(h, "action")), "handle");
    assert_string_equal(json_string_value(json_object_get(h, "to_zh")), "已处置");
    assert_true(json_is_true(json_object_get(h, "needs_note")));
    assert_true(json_is_false(json_object_get(h, "needs_score")));
    assert_int_equal(json_array_size(wf_allowed(&c, &loop, "assigned", false)), 0);
    (void)buf;
    unit_ctx_done(&c);
}

static void describe(void **state)
{
    (void)state;
    jc_ctx c;
    unit_ctx_init(&c, NULL, &admin, 0);
    json_t *d = wf_describe(&c, &loop);
    assert_string_equal(json_string_value(json_object_get(d, "initial")), "reported");
    assert_int_equal(json_array_size(json_object_get(d, "states")), JC_NELEM(states));
    json_t *tr = json_object_get(d, "transitions");
    assert_int_equal(json_array_size(tr), JC_NELEM(trans));
    json_t *assign = json_array_get(tr, 0);
    json_t *roles = json_object_get(assign, "roles");
    assert_int_equal(json_array_size(roles), 2);
    assert_string_equal(json_string_value(json_array_get(roles, 0)), "admin");
    assert_string_equal(json_string_value(json_array_get(roles, 1)), "leader");
    assert_true(json_is_true(json_object_get(json_array_get(tr, 2), "assignee")));
    unit_ctx_done(&c);
}

static const wf_transition *find(const char *action)
{
    for (size_t i = 0; i < JC_NELEM(trans); i++)
        if (strcmp(trans[i].action, action) == 0) return &trans[i];
    return NULL;
}

static void inputs(void **state)
{
    (void)state;
    jc_ctx c;
    unit_ctx_init(&c, NULL, &leader, 0);
    const wf_transition *handle = find("handle"), *reopen = find("reopen"),
                        *evaluate = find("evaluate"), *assign = find("assign");
    int64_t s0 = 0, s100 = 100, s101 = 101, sneg = -1, s80 = 80;

    /* handling needs a note saying what was done; blanks do not count */
    assert_int_equal(wf_check_inputs(&c, handle, &(wf_input){0}), JC_EINVAL);
    assert_string_equal(c.err.field, "note");
    assert_string_equal(c.err.code, "required");
    assert_int_equal(wf_check_inputs(&c, handle, &(wf_input){.note = " \t\r\n"}), JC_EINVAL);
    assert_int_equal(wf_check_inputs(&c, handle, &(wf_input){.note = "已清理"}), JC_OK);

    /* sending a record back needs a reason */
    assert_int_equal(wf_check_inputs(&c, reopen, &(wf_input){.note = "x"}), JC_EINVAL);
    assert_string_equal(c.err.field, "reason");
    assert_int_equal(wf_check_inputs(&c, reopen, &(wf_input){.reason = "未整改到位"}), JC_OK);

    /* evaluation: a score 0–100 and a comment */
    assert_int_equal(wf_check_inputs(&c, evaluate, &(wf_input){.comment = "好"}), JC_EINVAL);
    assert_string_equal(c.err.field, "score");
    assert_string_equal(c.err.code, "required");
    assert_int_equal(wf_check_inputs(&c, evaluate, &(wf_input){.score = &s101, .comment = "好"}),
                     JC_EINVAL);
    assert_string_equal(c.err.code, "invalid_field");
    assert_int_equal(wf_check_inputs(&c, evaluate, &(wf_input){.score = &sneg, .comment = "好"}),
                     JC_EINVAL);
    assert_int_equal(wf_check_inputs(&c, evaluate, &(wf_input){.score = &s80}), JC_EINVAL);
    assert_string_equal(c.err.field, "comment");
    assert_int_equal(wf_check_inputs(&c, evaluate, &(wf_input){.score = &s80, .comment = "  "}),
                     JC_EINVAL);
    assert_int_equal(wf_check_inputs(&c, evaluate, &(wf_input){.score = &s0, .comment = "差"}),
                     JC_OK);
    assert_int_equal(wf_check_inputs(&c, evaluate, &(wf_input){.score = &s100, .comment = "优"}),
                     JC_OK);

    /* a score anywhere else is a mistake, not silently dropped */
    assert_int_equal(wf_check_inputs(&c, assign, &(wf_input){.score = &s80}), JC_EINVAL);
    assert_string_equal(c.err.field, "score");
    assert_int_equal(wf_check_inputs(&c, assign, &(wf_input){0}), JC_OK);
    unit_ctx_done(&c);
}

static void overdue(void **state)
{
    (void)state;
    /* 2026-12-01T10:00:00+08:00 */
    int64_t morning = 1796094245 - 3 * 3600 - 4 * 60 - 5 + 2 * 3600;
    assert_false(wf_overdue(&loop, "assigned", "2026-12-01", morning)); /* due today: not yet */
    assert_true(wf_overdue(&loop, "assigned", "2026-11-30", morning));
    assert_false(wf_overdue(&loop, "assigned", "2026-12-02", morning));
    /* 00:30 on 2 December in Shanghai is still 1 December in UTC: the deadline has passed */
    int64_t after_midnight = morning + 14 * 3600 + 30 * 60;
    assert_true(wf_overdue(&loop, "assigned", "2026-12-01", after_midnight));
    /* 23:59:59 on the deadline day is not overdue */
    assert_false(wf_overdue(&loop, "assigned", "2026-12-01", morning + 14 * 3600 - 1));
    /* finished work is never overdue, and no deadline means never overdue */
    assert_false(wf_overdue(&loop, "closed", "2026-11-30", morning));
    assert_false(wf_overdue(&loop, "assigned", "", morning));
    assert_false(wf_overdue(&loop, "assigned", NULL, morning));
}

/* Out of memory (a full arena) while refusing a move: still a refusal with its code, no crash. */
static void full_arena(void **state)
{
    (void)state;
    jc_ctx c;
    unit_ctx_init(&c, NULL, &admin, 0);
    arena_free(c.a);
    c.a = arena_new(64);
    assert_non_null(arena_alloc(c.a, 64));
    const wf_transition *t = NULL;
    assert_int_equal(wf_check(&c, &loop, "reported", "evaluate", false, &t), JC_ECONFLICT);
    assert_int_equal(wf_check(&c, &loop, "reported", "approve", false, &t), JC_EINVAL);
    c.user = &chief;
    assert_int_equal(wf_check(&c, &loop, "reported", "assign", false, &t), JC_EPERM);
    c.user = &admin;
    assert_int_equal(wf_check(&c, &loop, "reported", "assign", false, &t), JC_OK);
    assert_null(wf_allowed(&c, &loop, "reported", false));
    unit_ctx_done(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(states_lookup),
        cmocka_unit_test(legal_moves),
        cmocka_unit_test(illegal_move_lists_allowed),
        cmocka_unit_test(role_refused),
        cmocka_unit_test(assignee_flag),
        cmocka_unit_test(describe),
        cmocka_unit_test(inputs),
        cmocka_unit_test(overdue),
        cmocka_unit_test(full_arena),
    };
    return cmocka_run_group_tests_name("workflow", tests, NULL, NULL);
}
