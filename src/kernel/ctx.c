#include "ctx.h"
#include "../base/log.h"

#include <string.h>

const struct jc_role_info jc_roles[ROLE__MAX] = {
    [ROLE_ADMIN] = {"admin", "街道/镇管理员", "administrator"},
    [ROLE_LEADER] = {"leader", "书记/主任", "leader"},
    [ROLE_PARTY_INSTRUCTOR] = {"party_instructor", "党建指导员", "party-building instructor"},
    [ROLE_POVERTY_OFFICER] = {"poverty_officer", "扶贫专干", "poverty officer"},
    [ROLE_ROAD_CHIEF] = {"road_chief", "路长", "road chief"},
    [ROLE_TEAM_MEMBER] = {"team_member", "执法/保洁/巡逻队员", "team member"},
    [ROLE_GRID_WORKER] = {"grid_worker", "网格员", "grid worker"},
};

jc_role jc_role_from_code(const char *code)
{
    for (int r = 0; r < ROLE__MAX; r++)
        if (code && strcmp(jc_roles[r].code, code) == 0) return (jc_role)r;
    return ROLE__MAX;
}

int jc_fail(jc_ctx *c, int rc, const char *code, const char *field, const char *en, const char *zh)
{
    c->err.code = code;
    c->err.field = field;
    c->err.en = en;
    c->err.zh = zh;
    return rc;
}

int jc_fail_db(jc_ctx *c, int rc)
{
    jc_log(LOG_ERR, "storage: %s: %s", jc_strerror(rc), c->db ? store_errmsg(c->db) : "-");
    if (rc == JC_EBUSY)
        return jc_fail(c, rc, "busy", NULL, "The database is busy; try again",
                       "数据库繁忙,请稍后重试");
    return jc_fail(c, rc, "storage_error", NULL, "The database could not complete the request",
                   "数据库无法完成此请求");
}

void jc_fail_extra(jc_ctx *c, const char *key, json_t *value)
{
    if (!value) return;
    if (!c->err.extra) c->err.extra = jc_own(c, json_object());
    if (c->err.extra)
        json_object_set_new(c->err.extra, key, value);
    else
        json_decref(value);
}

void jc_bind_actor(store_stmt *st, int idx, const jc_ctx *c)
{
    bool real = c->user && !c->user->system;
    store_bind_opt_int(st, idx, real ? c->user->id : 0, real);
}

bool jc_user_has(const jc_user *u, unsigned roles_mask)
{
    return u && (u->system || (u->roles & roles_mask));
}

static void decref(void *p)
{
    json_decref(p);
}

json_t *jc_own(jc_ctx *c, json_t *v)
{
    /* a full arena has already released v (arena_defer runs the cleanup at once): never hand
     * back a freed value */
    if (v && arena_defer(c->a, decref, v) != 0) return NULL;
    return v;
}
