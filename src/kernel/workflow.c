#include "workflow.h"
#include "../base/text.h"
#include "../base/timeutil.h"

#include <string.h>

const wf_state *wf_state_find(const wf_def *d, const char *code)
{
    for (size_t i = 0; code && i < d->nstates; i++)
        if (strcmp(d->states[i].code, code) == 0) return &d->states[i];
    return NULL;
}

bool wf_is_terminal(const wf_def *d, const char *state)
{
    const wf_state *s = wf_state_find(d, state);
    return s && s->terminal;
}

static bool may_take(const jc_user *u, const wf_transition *t, bool is_assignee)
{
    return jc_user_has(u, t->roles) || (is_assignee && (t->flags & WF_ASSIGNEE));
}

void wf_write_allowed(jw *w, jc_ctx *c, const wf_def *d, const char *from, bool is_assignee)
{
    jw_arr(w);
    for (size_t i = 0; i < d->ntrans; i++) {
        const wf_transition *t = &d->trans[i];
        if (strcmp(t->from, from) != 0 || !may_take(c->user, t, is_assignee)) continue;
        const wf_state *to = wf_state_find(d, t->to);
        jw_obj(w);
        jw_kstr(w, "action", t->action);
        jw_kstr(w, "to", t->to);
        jw_kstr(w, "to_zh", to ? to->zh : "");
        jw_kstr(w, "to_en", to ? to->en : "");
        jw_kstr(w, "zh", t->zh);
        jw_kstr(w, "en", t->en);
        jw_kbool(w, "needs_note", (t->flags & WF_NEEDS_NOTE) != 0);
        jw_kbool(w, "needs_reason", (t->flags & WF_NEEDS_REASON) != 0);
        jw_kbool(w, "needs_score", (t->flags & WF_NEEDS_SCORE) != 0);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

json_t *wf_allowed(jc_ctx *c, const wf_def *d, const char *from, bool is_assignee)
{
    json_t *arr = jc_own(c, json_array());
    for (size_t i = 0; i < d->ntrans; i++) {
        const wf_transition *t = &d->trans[i];
        if (strcmp(t->from, from) != 0 || !may_take(c->user, t, is_assignee)) continue;
        const wf_state *to = wf_state_find(d, t->to);
        json_array_append_new(
            arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:b}", "action", t->action,
                           "to", t->to, "to_zh", to ? to->zh : "", "to_en", to ? to->en : "", "zh",
                           t->zh, "en", t->en, "needs_note", (t->flags & WF_NEEDS_NOTE) != 0,
                           "needs_reason", (t->flags & WF_NEEDS_REASON) != 0, "needs_score",
                           (t->flags & WF_NEEDS_SCORE) != 0));
    }
    return arr;
}

int wf_check(jc_ctx *c, const wf_def *d, const char *from, const char *action, bool is_assignee,
             const wf_transition **out)
{
    const wf_transition *found = NULL;
    bool exists = false;
    for (size_t i = 0; i < d->ntrans; i++) {
        const wf_transition *t = &d->trans[i];
        if (action && strcmp(t->action, action) == 0) exists = true;
        if (action && strcmp(t->action, action) == 0 && strcmp(t->from, from) == 0) found = t;
    }
    const wf_state *s = wf_state_find(d, from);
    if (!exists) {
        jc_fail_extra(c, "allowed", json_incref(wf_allowed(c, d, from, is_assignee)));
        return jc_fail(c, JC_EINVAL, "invalid_field", "action",
                       arena_printf(c->a, "unknown action '%s'", action ? action : ""),
                       arena_printf(c->a, "未知操作 '%s'", action ? action : ""));
    }
    if (!found) {
        jc_fail_extra(c, "allowed", json_incref(wf_allowed(c, d, from, is_assignee)));
        jc_fail_extra(c, "state", json_string(from));
        return jc_fail(
            c, JC_ECONFLICT, "invalid_transition", "action",
            arena_printf(c->a, "'%s' is not possible in state %s", action, s ? s->en : from),
            arena_printf(c->a, "当前状态「%s」下不能执行此操作", s ? s->zh : from));
    }
    if (!may_take(c->user, found, is_assignee)) {
        jc_fail_extra(c, "allowed", json_incref(wf_allowed(c, d, from, is_assignee)));
        return jc_fail(c, JC_EPERM, "forbidden", "action",
                       arena_printf(c->a, "your role may not '%s' here", action),
                       arena_printf(c->a, "您的角色无权执行「%s」", found->zh));
    }
    *out = found;
    return JC_OK;
}

json_t *wf_describe(jc_ctx *c, const wf_def *d)
{
    json_t *states = json_array(), *trans = json_array();
    for (size_t i = 0; i < d->nstates; i++)
        json_array_append_new(states, json_pack("{s:s, s:s, s:s, s:b}", "code", d->states[i].code,
                                                "zh", d->states[i].zh, "en", d->states[i].en,
                                                "terminal", d->states[i].terminal));
    for (size_t i = 0; i < d->ntrans; i++) {
        const wf_transition *t = &d->trans[i];
        json_t *roles = json_array();
        for (int r = 0; r < ROLE__MAX; r++)
            if (t->roles & RB(r)) json_array_append_new(roles, json_string(jc_roles[r].code));
        json_array_append_new(trans, json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:b, s:b, s:b, s:b}",
                                               "action", t->action, "from", t->from, "to", t->to,
                                               "zh", t->zh, "en", t->en, "roles", roles, "assignee",
                                               (t->flags & WF_ASSIGNEE) != 0, "needs_note",
                                               (t->flags & WF_NEEDS_NOTE) != 0, "needs_reason",
                                               (t->flags & WF_NEEDS_REASON) != 0, "needs_score",
                                               (t->flags & WF_NEEDS_SCORE) != 0));
    }
    return jc_own(c, json_pack("{s:s, s:s, s:o, s:o}", "name", d->name, "initial", d->initial,
                               "states", states, "transitions", trans));
}

static bool text_present(const char *s)
{
    if (!s) return false;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r') return true;
    return false;
}

int wf_check_inputs(jc_ctx *c, const wf_transition *t, const wf_input *in)
{
    if ((t->flags & WF_NEEDS_NOTE) && !text_present(in->note))
        return jc_fail(c, JC_EINVAL, "required", "note", "note is required: say what was done",
                       "请填写办理情况说明");
    if ((t->flags & WF_NEEDS_REASON) && !text_present(in->reason))
        return jc_fail(c, JC_EINVAL, "required", "reason", "reason is required", "请填写原因");
    if (t->flags & WF_NEEDS_SCORE) {
        if (!in->score)
            return jc_fail(c, JC_EINVAL, "required", "score", "score (0–100) is required",
                           "请填写考评分数(0–100)");
        if (*in->score < 0 || *in->score > 100)
            return jc_fail(c, JC_EINVAL, "invalid_field", "score",
                           "score must be between 0 and 100", "考评分数须在0到100之间");
        if (!text_present(in->comment))
            return jc_fail(c, JC_EINVAL, "required", "comment",
                           "comment is required with the score", "请填写考评意见");
    } else if (in->score) {
        return jc_fail(c, JC_EINVAL, "invalid_field", "score", "score is only given at evaluation",
                       "只有考评时才能打分");
    }
    return JC_OK;
}

bool wf_overdue(const wf_def *d, const char *state, const char *deadline, int64_t now)
{
    if (!deadline || !*deadline || wf_is_terminal(d, state)) return false;
    char today[11];
    jc_date_local(now, today);
    return strcmp(deadline, today) < 0;
}
