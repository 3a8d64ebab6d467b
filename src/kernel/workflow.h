/* workflow.h — the closed loop as data: states, transitions with the roles allowed to take them,
 * and what each transition requires (a note, a reason, a score). Domains define a wf_def (ledger
 * tasks: 定责 → 研讨 → 问效 → 考评 → 办结; later complaints, hazards, review corrections) and call
 * wf_check() before they write; illegal moves are JC_ECONFLICT listing the allowed next actions.
 *
 * Deadlines and overdue: a record is overdue when its deadline (a Shanghai calendar date) is
 * before today and its state is not terminal. */
#ifndef JC_WORKFLOW_H
#define JC_WORKFLOW_H

#include "ctx.h"
#include "../base/jw.h"

enum wf_flags {
    WF_NEEDS_NOTE = 1 << 0,   /* a note describing what was done */
    WF_NEEDS_REASON = 1 << 1, /* a reason (return, reopen, cancel, suspend) */
    WF_NEEDS_SCORE = 1 << 2,  /* a score 0–100 and a comment (evaluation) */
    WF_ASSIGNEE = 1 << 3,     /* also allowed to the record's assignee, whatever the role */
    WF_REOPEN = 1 << 4,       /* counts as a reopening */
};

typedef struct wf_state {
    const char *code, *zh, *en;
    bool terminal;
} wf_state;

typedef struct wf_transition {
    const char *action; /* "start", "submit", "verify", "evaluate", "reopen" … */
    const char *from, *to;
    unsigned roles; /* RB() mask of roles allowed */
    unsigned flags;
    const char *zh, *en; /* button labels */
} wf_transition;

typedef struct wf_def {
    const char *name;
    const wf_state *states;
    size_t nstates;
    const wf_transition *trans;
    size_t ntrans;
    const char *initial;
} wf_def;

const wf_state *wf_state_find(const wf_def *d, const char *code);
bool wf_is_terminal(const wf_def *d, const char *state);

/* The transition for `action` from `from`, if the user may take it (is_assignee: the user is the
 * record's assignee). On refusal: JC_ECONFLICT (illegal in this state) or JC_EPERM (not this
 * user's), with `allowed` (actions possible from here for this user) in the error. */
int wf_check(jc_ctx *c, const wf_def *d, const char *from, const char *action, bool is_assignee,
             const wf_transition **out);
/* [{action, to, zh, en, needs_note, needs_reason, needs_score}] for this user (arena-owned). */
json_t *wf_allowed(jc_ctx *c, const wf_def *d, const char *from, bool is_assignee);
/* The same list written straight into an answer. */
void wf_write_allowed(jw *w, jc_ctx *c, const wf_def *d, const char *from, bool is_assignee);
/* {states:[…], transitions:[…]} — for the UI and the API description (arena-owned). */
json_t *wf_describe(jc_ctx *c, const wf_def *d);

/* What the actor sends with a transition; NULL when not given. */
typedef struct wf_input {
    const char *note;    /* what was done */
    const char *reason;  /* why (return, reopen, cancel) */
    const char *comment; /* evaluation comment */
    const int64_t *score;
} wf_input;

/* Checks the inputs a transition requires: a note, a reason, a score 0–100 with a comment. */
int wf_check_inputs(jc_ctx *c, const wf_transition *t, const wf_input *in);

/* Overdue: deadline (YYYY-MM-DD) before today's Shanghai date and a non-terminal state. */
bool wf_overdue(const wf_def *d, const char *state, const char *deadline, int64_t now);

#endif
