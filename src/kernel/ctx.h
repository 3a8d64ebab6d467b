/* ctx.h — what every kernel and domain function is handed: the request's arena, a database
 * connection, the acting user, the clock, and a slot for the error it may report.
 *
 * Domain code returns jc_rc codes and describes the failure with jc_fail(); it never writes a
 * response. The router turns ctx->err into {"error":{code, field, message, message_zh}}. */
#ifndef JC_CTX_H
#define JC_CTX_H

#include "../base/arena.h"
#include "../base/rc.h"
#include "../store/store.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* Roles of DOMAIN.md. Parallel table jc_roles[] gives codes and labels. */
typedef enum jc_role {
    ROLE_ADMIN = 0,        /* 街道/镇 administrator */
    ROLE_LEADER,           /* 书记/主任 */
    ROLE_PARTY_INSTRUCTOR, /* 党建指导员 */
    ROLE_POVERTY_OFFICER,  /* 扶贫专干 / 驻村工作队 */
    ROLE_ROAD_CHIEF,       /* 路长 */
    ROLE_TEAM_MEMBER,      /* 执法/保洁/巡逻 team member */
    ROLE_GRID_WORKER,      /* 社区/村 网格员 */
    ROLE__MAX
} jc_role;

#define RB(r)     (1u << (r))
#define ROLES_ANY ((1u << ROLE__MAX) - 1)

struct jc_role_info {
    const char *code, *zh, *en;
};
extern const struct jc_role_info jc_roles[ROLE__MAX];
/* ROLE__MAX when unknown */
jc_role jc_role_from_code(const char *code);

/* An area granted to a user: the subtree of `code`, i.e. codes in [prefix, prefix + ":"). */
typedef struct jc_grant {
    char code[16];
    char prefix[16];
    char end[17];
} jc_grant;

typedef struct jc_user {
    int64_t id;               /* 0 for the system (command line) user */
    const char *username;     /* arena */
    const char *display_name; /* arena */
    unsigned roles;           /* RB(role) bits */
    int ngrants;
    jc_grant *grants; /* arena */
    bool system;      /* command line: every area, every role */
} jc_user;

typedef struct jc_err {
    const char *code;  /* machine code: invalid_field, required, not_found … (static or arena) */
    const char *field; /* the offending input field, or NULL */
    const char *en;    /* English message */
    const char *zh;    /* Chinese message */
    json_t *extra;     /* owned by the arena: merged into the error object (e.g. allowed) */
} jc_err;

typedef struct jc_ctx {
    arena *a;            /* request-scoped memory */
    store *db;           /* connection checked out for this request */
    const jc_user *user; /* NULL when anonymous */
    const char *ip;      /* client address (arena), "" for the command line */
    int64_t now;         /* request time, UTC epoch seconds */
    jc_err err;
} jc_ctx;

/* Records the failure and returns rc, so callers write `return jc_fail(c, JC_EINVAL, …);`.
 * Strings must outlive the request (static or arena). */
int jc_fail(jc_ctx *c, int rc, const char *code, const char *field, const char *en, const char *zh);
/* Like jc_fail() for a storage error: logs the database message, tells the client little. */
int jc_fail_db(jc_ctx *c, int rc);
/* Attaches extra members to the error object (steals the reference). */
void jc_fail_extra(jc_ctx *c, const char *key, json_t *value);

bool jc_user_has(const jc_user *u, unsigned roles_mask);
/* Binds the acting user's id for a created_by-style column: NULL for the system user (command
 * line, periodic jobs) and for anonymous requests. */
void jc_bind_actor(store_stmt *st, int idx, const jc_ctx *c);
/* Arena-owned jansson value: decref'd when the request ends. Returns v, or NULL (v released)
 * when the arena is full. */
json_t *jc_own(jc_ctx *c, json_t *v);

#endif
